#!/usr/bin/env python3
"""fix14.py - note labels clear of their text, by pdftotext -bbox.

    fix14.py notes FILE.pdf WORD

Finds every note line of FILE.pdf: a number, then WORD (the first word of
each note's text) on the same baseline. The number must end at least
GAP points (2.5: about a third of an em at note size) before WORD
begins, and every note's WORD must begin at the same x on a page (the
fixed indent a note hangs from its number), so that "100" never runs
into its text nor pushes it right. pdftotext reads a number run into
its text as one word ("100Source"), which fails too. Prints the notes
checked and each failure; exits 1 when there is any.
"""
import re
import subprocess
import sys

WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="[0-9.]+" height="[0-9.]+">(.*?)</page>', re.S)
GAP = 2.5


def notes(pdf, first):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    bad, seen = [], 0
    for page, body in enumerate(PAGE.findall(out), 1):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(body)]
        starts = set()
        for w in words:
            if re.fullmatch(r"[0-9]+" + re.escape(first), w[4]):
                bad.append(f"p.{page}: '{w[4]}': the number runs into its text")
        for w in words:
            if not re.fullmatch(r"[0-9]+", w[4]):
                continue
            # the next word right of it on its baseline (pdftotext may
            # read a column of labels apart from the notes' text)
            right = [v for v in words if abs(v[3] - w[3]) < 0.5 and v[0] > w[0]]
            nxt = min(right, default=None)
            if not nxt or nxt[4] != first:
                continue
            seen += 1
            starts.add(round(nxt[0], 1))
            if nxt[0] - w[2] < GAP:
                bad.append(f"p.{page}: '{w[4]} {first}': {nxt[0] - w[2]:.2f} pt apart, want {GAP}")
        if len(starts) > 1:
            bad.append(f"p.{page}: note text starts at {sorted(starts)}, not at one indent")
    print(f"{seen} note labels checked")
    for b in bad[:20]:
        print(b)
    return 1 if bad or not seen else 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "notes":
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(notes(sys.argv[2], sys.argv[3]))
