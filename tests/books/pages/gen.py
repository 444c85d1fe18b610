#!/usr/bin/env python3
"""Writes the pages test book's essays (tests/books/pages/): run once, the
output is checked in. Deterministic: a fixed seed."""
import random
import sys

r = random.Random(14)
WORDS = ("the council and the charity agreed that a partnership should rest on "
         "trust rather than on contracts alone so that volunteers could plan "
         "their work for years ahead without fearing each spring budget round "
         "independence accountability responsibility commissioning infrastructure "
         "organisations neighbourhood understanding relationships "
         "representatives characteristically institutionalisation").split()


def sentence(n):
    w = [r.choice(WORDS) for _ in range(n)]
    return " ".join(w).capitalize() + "."


def para(nsent, note_refs=()):
    s = [sentence(r.randint(8, 16)) for _ in range(nsent)]
    # references near the end of the paragraph: the awkward place
    for k, ref in enumerate(note_refs):
        i = len(s) - 1 - k
        s[i] = s[i][:-1] + f"[^{ref}]."
    return " ".join(s)


def notes_essay():
    out = ['---\ntitle: "Notes at the Foot"\nauthor: "The octavo test suite"\n---\n']
    notes = []
    n = 0
    for p in range(16):
        refs = []
        for _ in range(r.choice((1, 1, 2, 3))):
            n += 1
            refs.append(f"n{n}")
            kind = r.choice(("short", "short", "mid", "long"))
            body = {"short": sentence(8),
                    "mid": " ".join(sentence(12) for _ in range(3)),
                    "long": " ".join(sentence(14) for _ in range(9))}[kind]
            notes.append(f"[^n{n}]: {body}\n")
        out.append(para(r.randint(3, 7), refs) + "\n")
    out.append("")
    out += notes
    return "\n".join(out)


# The figures are placeholders of a few pixels, set at the measure as
# full-size pictures would be ({width=100%}): they print at 24 ppi.
def floats_essay():
    out = ['---\ntitle: "Figures and Tables"\nauthor: "The octavo test suite"\n---\n']
    for i in range(3):
        out.append(para(5) + "\n")
        if i == 1:
            # a tall figure cited mid-page: where it does not fit, the
            # text after it fills the page and it heads the next one
            out.append("The tall figure below is cited here, in the middle of the text.\n")
            out.append('![A tall grey shape](images/tall.png "Figure 0: a tall one"){width=100%}\n')
    out.append("As the figure below shows, the bars differ. " + para(4) + "\n")
    out.append('![Two grey bars, the second taller](images/bars.png "Figure 1: two bars"){width=100%}\n')
    out.append(para(3) + "\n")
    out.append("The short table that follows is cited here, near a page foot. " + para(2) + "\n")
    out.append("| Year | Grants | Contracts |\n|---|--:|--:|")
    for y in range(2005, 2010):
        out.append(f"| {y} | {r.randint(10, 99)}% | {r.randint(10, 99)}% |")
    out.append("")
    out.append(para(6) + "\n")
    out.append('![The same bars again](images/bars.png "Figure 2: the bars again"){width=100%}\n')
    out.append('![And once more, one after the other](images/bars.png "Figure 3: a third time"){width=100%}\n')
    out.append(para(5) + "\n")
    out.append("The long table below runs over more than one page. " + para(2) + "\n")
    out.append("| Row | Organisation | Income |\n|--:|---|--:|")
    for k in range(1, 61):
        out.append(f"| {k} | {r.choice(WORDS).capitalize()} {r.choice(WORDS)} | £{r.randint(1, 999)},000 |")
    out.append("")
    out.append(para(5) + "\n")
    return "\n".join(out)


def short_essay(nparas, last):
    out = ['---\ntitle: "A Short Last Page"\nauthor: "The octavo test suite"\n---\n']
    for i in range(nparas):
        out.append(para(4) + "\n")
    out.append(para(last) + "\n")
    return "\n".join(out)


if __name__ == "__main__":
    open("01-notes.md", "w").write(notes_essay())
    open("02-floats.md", "w").write(floats_essay())
    np, last = int(sys.argv[1]) if len(sys.argv) > 1 else 10, int(sys.argv[2]) if len(sys.argv) > 2 else 1
    open("03-short-end.md", "w").write(short_essay(np, last))
