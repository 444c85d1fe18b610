# Writes an essay of floats among footnotes, for tests/suites/floats14i.sh:
# four groups of two or three floats cited close together (figures, and
# short tables captioned as floats), paragraphs with notes around them,
# and a last paragraph citing one more float, so that the part's text
# ends before it. Where the citations and notes fall follows the seed.
# python3 gen.py SEED > 01-floats.md
import random
import sys
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
random.seed(seed)
W = ("partnership independence neighbourhood trust contracts charity council "
     "budget volunteers accountability commissioning relationships years "
     "understanding infrastructure organisations responsibility the and of "
     "a to in for with that").split()
def sentence(n):
    s = " ".join(random.choice(W) for _ in range(n))
    return s[0].upper() + s[1:] + "."
def para(k):
    return " ".join(sentence(random.randint(8, 14)) for _ in range(k))
fig = 0
notes = []
def float_():
    global fig
    fig += 1
    if random.random() < 0.3:
        print("| Year | Budget | Volunteers |\n|---|---|---|")
        for r in range(random.randint(3, 8)):
            print("| %d | %d | %d |" % (2000 + r, random.randint(100, 999), random.randint(1, 99)))
        print("\nTable: Figure %d\n" % fig)
    else:
        img = random.choice(["tall", "bars"])
        alt = "Two grey bars, the second taller" if img == "bars" else "A tall grey shape"
        print("![%s](images/%s.png \"Figure %d\"){width=%d%%}\n"
              % (alt, img, fig, random.choice([25, 60, 100])))
def noted(p):
    if random.random() < 0.5:
        notes.append("[^n%d]: %s" % (len(notes) + 1, para(random.randint(1, 3))))
        return p + "[^n%d]" % len(notes)
    return p
print('---\ntitle: "Floats among Notes"\nauthor: "The octavo test suite"\n---\n')
for group in range(4):
    for _ in range(random.randint(2, 4)):
        print(noted(para(random.randint(3, 6))) + "\n")
    for j in range(random.randint(2, 3)):
        print(noted(para(random.randint(1, 2))) + " Figure %d shows it." % (fig + 1) + "\n")
        float_()
print(para(2) + " Figure %d shows it.\n" % (fig + 1))
float_()
print("\n".join(notes))
