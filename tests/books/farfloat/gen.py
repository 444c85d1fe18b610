# Writes 01-far.md: text to near a page's foot, a reference to a note
# taller than a page, then a tall figure that does not fit under it.
# python3 gen.py > 01-far.md
import random
random.seed(14)
W = ("partnership independence neighbourhood trust contracts charity council "
     "budget volunteers accountability commissioning relationships years "
     "understanding infrastructure organisations responsibility").split()
def sentence(n):
    s = " ".join(random.choice(W) for _ in range(n))
    return s[0].upper() + s[1:] + "."
def para(k):
    return " ".join(sentence(random.randint(8, 14)) for _ in range(k))
print('---\ntitle: "A Far Float"\nauthor: "The octavo test suite"\n---\n')
for _ in range(4):
    print(para(5) + "\n")
print(para(3) + " The note on this line runs over more than a page.[^long]\n")
print("![A tall grey shape](images/tall.png \"Figure 1: a tall one\")\n")
for _ in range(8):
    print(para(5) + "\n")
print("[^long]: " + " ".join(para(6) for _ in range(5)))
