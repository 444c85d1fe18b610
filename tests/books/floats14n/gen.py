# tests/books/floats14n/gen.py SEED - an essay for tests/suites/floats14n.sh:
# some paragraphs, a short table (a float) cited, a few paragraphs more,
# then a table of 70 rows (a long table, which breaks in the flow), each
# length drawn from SEED. A short table that waits for the next page,
# then the long one, put the long table before it: floats out of order,
# and note_placed aborted (seeds 1, 19 and 20 of 1-40, since 6d6d070).
import random, sys
seed = int(sys.argv[1]); r = random.Random(seed)
words = "the council and the charity agreed a plan for the year ahead with money for volunteers and a promise to report what worked and what did not in plain words".split()
def para(n):
    return " ".join(r.choice(words) for _ in range(n)).capitalize() + "."
out = ["---", 'title: "Tables in Turn %d"' % seed, "---", ""]
for _ in range(r.randint(2, 9)):
    out += [para(r.randint(20, 90)), ""]
out += ["Table 1 shows the grants." , ""]
out += ["| Year | Grants | Volunteers |", "| --- | ---: | ---: |"]
for y in range(r.randint(2, 8)):
    out.append("| %d | %d | %d |" % (2010 + y, r.randint(1, 999), r.randint(1, 99)))
out += ["", "Table: Grants by year.", ""]
for _ in range(r.randint(0, 3)):
    out += [para(r.randint(10, 60)), ""]
out += ["Table 2 lists every area.", ""]
out += ["| Area | Contracts | Value |", "| --- | ---: | ---: |"]
for a in range(70):
    out.append("| Area %d | %d | %d |" % (a, r.randint(1, 99), r.randint(100, 9999)))
out += ["", "Table: Every area.", ""]
for _ in range(3):
    out += [para(r.randint(30, 80)), ""]
print("\n".join(out))
