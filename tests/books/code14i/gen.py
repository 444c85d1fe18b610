# Writes an essay of tests/books/code14i: API prose, headings, and code
# blocks of 3 to 40 lines (some wider than the measure, wrapped) that fall
# at every depth of a page, as in the Node.js docs (issue 14, item 4).
# python3 gen.py SEED > 01-code.md
import random
import sys
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
rng = random.Random(seed)
NOUNS = ("stream", "buffer", "socket", "handle", "callback", "promise", "module",
         "worker", "signal", "option", "chunk", "request", "listener", "encoding")
VERBS = ("returns", "emits", "reads", "writes", "closes", "resolves", "holds",
         "passes", "rejects", "drains")
CALLS = ("const", "let", "await", "return", "stream", "buffer", "options", "callback",
         "process", "resolve", "handle", "chunk", "signal", "module")

def prose(sentences):
    out = []
    for _ in range(sentences):
        words = ["the " + rng.choice(NOUNS), rng.choice(VERBS)]
        for _ in range(rng.randint(2, 6)):
            words.append(rng.choice(("a", "the", "each", "its", "no")) + " " + rng.choice(NOUNS))
        s = " ".join(words)
        out.append(s[0].upper() + s[1:] + ".")
    return " ".join(out)

def code(lines):
    print("```js")
    for _ in range(lines):
        args = [rng.choice(CALLS) for _ in range(rng.choice((2, 3, 4, 5, 6, 14)))]
        print("  " * rng.randint(0, 2) + args[0] + "(" + ", ".join(args[1:]) + ");")
    print("```\n")

print('---\ntitle: "Code at the Foot %d"\nauthor: "The octavo test suite"\n---\n' % seed)
for section in range(14):
    print("## Section %d: the %s %s\n" % (section + 1, rng.choice(NOUNS), rng.choice(VERBS)))
    for _ in range(rng.randint(1, 3)):
        print(prose(rng.randint(1, 4)) + "\n")
        code(rng.choice((3, 5, 8, 12, 20, 32, 40)))
        if rng.random() < 0.4:  # a list of options, as the API pages have
            for _ in range(rng.randint(2, 6)):
                print("* `%s` %s" % (rng.choice(CALLS), prose(rng.randint(1, 2))))
            print()
    print(prose(rng.randint(2, 6)) + "\n")
