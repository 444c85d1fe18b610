#!/usr/bin/env python3
"""textblock.py - words that leave the text block of a PDF, by poppler.

    textblock.py [--tol PT] [--list N] FILE.pdf

Reads every word's box with `pdftotext -bbox` and finds the text block:
its width is the widest that at least 1% of the lines of five words or
more have, to half a point (justified lines all have it; a list's are
narrower); on the versos and on the rectos
apart (mirrored margins) its right edge is the commonest right end of the
lines that wide, and where one side has none (a short book), it mirrors
the other's across the page. A word whose box reaches more than PT points
(default 4: punctuation hangs into the margin by up to a hyphen's width)
past either edge has left the text block. Prints the edges, the count and
the first N such words (default 20) with their page and excess. It also
counts words drawn over the word before them on their line by more than
half a point (a line squeezed below its glue's shrink, or a table cell
run into the next column: the overfull lines that stay inside the
block). Exits 1 when there are any of either, 2 when the PDF cannot be
read.
"""
import collections
import re
import subprocess
import sys

WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([0-9.]+)" height="[0-9.]+">(.*?)</page>', re.S)


def pages_of(pdf):
    """Each page's lines: lists of (xmin, ymin, xmax, ymax, text), left to right."""
    res = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        sys.exit(2)
    pages, widths = [], []
    for width, body in PAGE.findall(res.stdout):
        widths.append(float(width))
        words = sorted(((float(a), float(b), float(c), float(d), w)
                        for a, b, c, d, w in WORD.findall(body)), key=lambda w: (w[3], w[0]))
        lines = []
        for w in words:
            if lines and abs(lines[-1][-1][3] - w[3]) < 1.5:
                lines[-1].append(w)
            else:
                lines.append([w])
        pages.append([sorted(ln) for ln in lines])
    return pages, widths


def commonest(values):
    c = collections.Counter(round(v * 2) / 2 for v in values)
    return c.most_common(1)[0][0] if c else None


def widest_common(values):
    """The widest of the widths at least 1% of the lines have (the body's,
    where most lines are a list's, narrower)."""
    c = collections.Counter(round(v * 2) / 2 for v in values)
    common = [v for v, k in c.items() if k >= max(3, len(values) / 100)]
    return max(common) if common else commonest(values)


def main(argv):
    tol, show, pdf = 4.0, 20, None
    i = 0
    while i < len(argv):
        if argv[i] == "--tol":
            tol = float(argv[i + 1])
            i += 2
        elif argv[i] == "--list":
            show = int(argv[i + 1])
            i += 2
        else:
            pdf = argv[i]
            i += 1
    if not pdf:
        sys.stderr.write(__doc__)
        return 2
    pages, widths = pages_of(pdf)
    full = [ln for p in pages for ln in p if len(ln) >= 5]
    measure = widest_common([ln[-1][2] - ln[0][0] for ln in full])
    edges = {}
    for parity in (0, 1):
        ends = [ln[-1][2] for k, p in enumerate(pages) if k % 2 == parity for ln in p
                if len(ln) >= 5 and abs(ln[-1][2] - ln[0][0] - measure) <= 0.5]
        right = commonest(ends)
        edges[parity] = (right - measure, right) if right is not None else None
    for parity in (0, 1):
        if edges[parity] is None and edges[1 - parity] is not None and widths:
            left = widths[0] - edges[1 - parity][1]
            edges[parity] = (left, left + measure)
        if edges[parity] is None:
            edges[parity] = (None, None)
    out, overlaps = [], []
    for k, p in enumerate(pages):
        left, right = edges[k % 2]
        if left is None:
            continue
        for ln in p:
            for j, w in enumerate(ln):
                over = max(w[2] - right, left - w[0])
                if over > tol:
                    out.append((k + 1, over, w[4]))
                if j and w[0] < ln[j - 1][2] - 0.5:
                    overlaps.append((k + 1, ln[j - 1][2] - w[0], ln[j - 1][4] + " / " + w[4]))
    for parity, name in ((0, "odd pages"), (1, "even pages")):
        left, right = edges[parity]
        if left is not None:
            print(f"text block, {name}: x from {left:.1f} to {right:.1f} pt")
    print(f"words outside the text block: {len(out)} (tolerance {tol:g} pt)")
    for page, over, text in out[:show]:
        print(f"  p.{page} (PDF page)\t{over:+.1f} pt\t{text}")
    print(f"words drawn over the word before them: {len(overlaps)}")
    for page, over, text in overlaps[:show]:
        print(f"  p.{page} (PDF page)\t{over:+.1f} pt\t{text}")
    return 1 if out or overlaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
