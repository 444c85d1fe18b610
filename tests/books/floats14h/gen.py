# Writes the essay of tests/books/floats14h: prose, then two or three
# figures cited close together (a sentence or two between them), more
# prose after them, and again further on. Where the citations fall on
# the page follows the seed.
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
def figure(img, width):
    global fig
    fig += 1
    alt = "Two grey bars, the second taller" if img == "bars" else "A tall grey shape"
    print("![%s](images/%s.png \"Figure %d\"){width=%d%%}\n" % (alt, img, fig, width))
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
