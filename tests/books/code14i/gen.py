# Writes the essay of tests/books/code14i: prose, headings, and code blocks
# of 3 to 40 lines (some wider than the measure, wrapped) that fall at
# every depth of a page, as in the Node.js docs (issue 14, item 4).
# python3 gen.py SEED > 01-code.md
import random
import sys
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
random.seed(seed)
W = ("partnership independence neighbourhood trust contracts charity council "
     "budget volunteers accountability commissioning relationships years "
     "understanding infrastructure organisations responsibility the and of "
     "a to in for with that").split()
C = ("const", "let", "await", "return", "stream", "buffer", "options", "callback",
     "process", "resolve", "handle", "chunk", "signal", "module")
def sentence(n):
    s = " ".join(random.choice(W) for _ in range(n))
    return s[0].upper() + s[1:] + "."
def para(k):
    return " ".join(sentence(random.randint(8, 14)) for _ in range(k))
def code_line(depth):
    n = random.choice((2, 3, 4, 5, 6, 14))  # now and then wider than the measure
    words = [random.choice(C) for _ in range(n)]
    return "  " * depth + words[0] + "(" + ", ".join(words[1:]) + ");"
print('---\ntitle: "Code at the Foot %d"\nauthor: "The octavo test suite"\n---\n' % seed)
for section in range(14):
    print("## Section %d: %s\n" % (section + 1, sentence(3)[:-1]))
    for _ in range(random.randint(1, 3)):
        print(para(random.randint(1, 4)) + "\n")
        print("```js")
        for i in range(random.choice((3, 5, 8, 12, 20, 32, 40))):
            print(code_line(random.randint(0, 2)))
        print("```\n")
    print(para(random.randint(1, 3)) + "\n")
