# Writes the essay of tests/books/floats14h: prose, then two or three
# figures cited close together (a sentence or two between them), more
# prose after them, and again further on. Where the citations fall on
# the page follows the seed.
# With 'notes' (tests/suites/floats14i.sh): four groups of two or three
# floats (figures, and short tables captioned as floats) among paragraphs
# with footnotes, and a last paragraph citing one more float, so that the
# part's text ends before it.
# python3 gen.py SEED [notes] > 01-floats.md
import random
import sys
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
notes_mode = len(sys.argv) > 2 and sys.argv[2] == "notes"
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
def figure(img, width):
    global fig
    fig += 1
    alt = "Two grey bars, the second taller" if img == "bars" else "A tall grey shape"
    print("![%s](images/%s.png \"Figure %d\"){width=%d%%}\n" % (alt, img, fig, width))
def table_or_figure():
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
notes = []
def noted(p):
    if random.random() < 0.5:
        notes.append("[^n%d]: %s" % (len(notes) + 1, para(random.randint(1, 3))))
        return p + "[^n%d]" % len(notes)
    return p
if notes_mode:
    print('---\ntitle: "Floats among Notes"\nauthor: "The octavo test suite"\n---\n')
    for group in range(4):
        for _ in range(random.randint(2, 4)):
            print(noted(para(random.randint(3, 6))) + "\n")
        for j in range(random.randint(2, 3)):
            print(noted(para(random.randint(1, 2))) + " Figure %d shows it." % (fig + 1) + "\n")
            table_or_figure()
    print(para(2) + " Figure %d shows it.\n" % (fig + 1))
    table_or_figure()
    print("\n".join(notes))
    sys.exit(0)
print('---\ntitle: "Floats in a Row"\nauthor: "The octavo test suite"\n---\n')
for group in range(3):
    for _ in range(random.randint(2, 5)):
        print(para(random.randint(3, 6)) + "\n")
    k = random.randint(2, 3)
    for j in range(k):
        print(para(random.randint(1, 2)) + " Figure %d shows it." % (fig + 1) + "\n")
        if random.random() < 0.25:
            figure("tall", random.choice([20, 25]))
        else:
            figure("bars", random.choice([60, 80, 100]))
    for _ in range(random.randint(3, 6)):
        print(para(random.randint(3, 6)) + "\n")
