# Writes one.md: a reference manual's shape (as the Node.js docs): many
# short sections, each a heading over one to three short paragraphs,
# some with a code block or a note line, so that pages end among headings
# kept with their text. python3 gen.py SEED > one.md
import random, sys
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
W = ("option stream buffer module handle worker process signal timer socket "
     "default value returns string number callback event listener").split()
def sentence():
    s = " ".join(random.choice(W) for _ in range(random.randint(5, 12)))
    return s[0].upper() + s[1:] + "."
print('---\ntitle: "Many Headings"\nauthor: "The octavo test suite"\n---\n')
for i in range(70):
    print("%s `--%s-%d`\n" % ("##" if i % 7 == 0 else "###", random.choice(W), i))
    for _ in range(random.randint(1, 3)):
        print(" ".join(sentence() for _ in range(random.randint(1, 4))) + "\n")
    if random.random() < 0.3:
        print("```js")
        for _ in range(random.randint(2, 6)):
            print("const %s = %s(%d);" % (random.choice(W), random.choice(W), random.randint(0, 99)))
        print("```\n")
