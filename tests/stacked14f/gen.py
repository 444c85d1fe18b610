# Writes one.md: 40 sections, each a paragraph of 1 to 11 sentences and then
# stacked heads (## and ###, every other section ####) over a paragraph, so
# that the stacks fall at every depth of a page. python3 gen.py 1 > one.md
import random, sys
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
W = ("partnership independence neighbourhood trust contracts charity council budget "
     "volunteers accountability commissioning relationships years understanding").split()
def sentence():
    s = " ".join(random.choice(W) for _ in range(random.randint(7, 13)))
    return s[0].upper() + s[1:] + "."
print('---\ntitle: "Stacked Heads"\nauthor: "The octavo test suite"\n---\n')
for i in range(40):
    print(" ".join(sentence() for _ in range(1 + (i * 5) % 11)) + "\n")
    print("## Section %d heading\n" % i)
    print("### Subsection %d heading\n" % i)
    if i % 2:
        print("#### Point %d heading\n" % i)
    print(" ".join(sentence() for _ in range(3 + i % 4)) + "\n")
