#!/usr/bin/env python3
"""heads14m.py - headings bound to the text they head, by pdftotext -bbox-layout.

    heads14m.py FILE.pdf BOOKDIR

Reads the headings of BOOKDIR's Markdown files (their text, backticks
taken out, and level), finds each on the pages of FILE.pdf as a line of
its own, and measures the white between its box (the font's ascent to
descent, as pdftotext gives it) and the rows of text above and below it
on the page (a table row's cells are one row). Prints one line per
heading found:

    PAGE LEVEL mid|top|stack ABOVE BELOW BASE-ABOVE BASE-BELOW GRID TEXT

mid, top, or stack: right under another heading, the heads stacked so
measured as one (the first's ABOVE, the last's BELOW). ABOVE and BELOW
in points, box to box (at a page's top ABOVE is from the running head,
-1 with none); BASE-ABOVE and BASE-BELOW baseline to
baseline, where the heading and the rows around it are the text's size
and font (h3, h4), else "-"; GRID is the top of the text under the
heading from the grid's top line, in leadings (a whole number when it is
on the grid; "-" when the row under it is not text). Then for each list
between two paragraphs "list ABOVE BELOW FIRST-ITEM". Exits 0; the
suite judges the figures.
"""
import glob
import os
import re
import subprocess
import sys

LINE = re.compile(r'<line xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">(.*?)</line>', re.S)
WORD = re.compile(r'>([^<]*)</word>')
PAGE = re.compile(r'<page width="[0-9.]+" height="[0-9.]+">(.*?)</page>', re.S)
FOLIO = re.compile(r'^([0-9]+|[ivxlc]+)$')
LEAD = 14.0


def headings(book):
    """The book's headings: {text: level}."""
    out = {}
    for md in sorted(glob.glob(os.path.join(book, "*.md"))):
        for ln in open(md, encoding="utf-8"):
            m = re.match(r"^(#{1,6}) +(.*?) *$", ln)
            if m:
                out[m.group(2).replace("`", "")] = len(m.group(1))
    return out


def rows(body):
    """A page's rows, top to bottom: [yMin, yMax, text]; lines that start
    within a point of each other (a table's cells) are one row."""
    lines = sorted((float(b), float(d), " ".join(WORD.findall(t))) for a, b, c, d, t in LINE.findall(body))
    out = []
    for y0, y1, t in lines:
        if out and y0 - out[-1][0] < 1:
            out[-1] = [min(out[-1][0], y0), max(out[-1][1], y1), out[-1][2] + " | " + t]
        else:
            out.append([y0, y1, t])
    return out


def main():
    pdf, book = sys.argv[1], sys.argv[2]
    heads = headings(book)
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = [rows(b) for b in PAGE.findall(xml)]
    count = {}
    for rs in pages:
        for r in rs:
            h = round(r[1] - r[0], 1)
            count[h] = count.get(h, 0) + 1
    body_h = max(count, key=count.get)  # a line of text's box: the most common

    def text(r):
        return abs(r[1] - r[0] - body_h) < 0.05 and r[2] not in heads

    # The grid's top line: where most pages' first row under the running
    # head (smaller than the text) begins, when it is text.
    tops = {}
    for rs in pages:
        k = 1 if len(rs) > 1 and rs[0][1] - rs[0][0] < body_h - 1 else 0
        if k and text(rs[k]):
            tops[round(rs[k][0], 2)] = tops.get(round(rs[k][0], 2), 0) + 1
    top = max(tops, key=tops.get) if tops else None
    for pno, rs in enumerate(pages, 1):
        if rs and FOLIO.match(rs[-1][2]):
            rs = rs[:-1]  # the folio
        for i, (y0, y1, t) in enumerate(rs):
            if t not in heads or i + 1 >= len(rs):
                continue
            # Heads stacked on each other are one: the first's above, the
            # last's below; the ones under it are "stack", measured alone.
            k = i
            while k + 1 < len(rs) and rs[k + 1][2] in heads:
                k += 1
            if k + 1 >= len(rs):
                continue
            nx = rs[k + 1]
            # The running head is the page's first row, smaller than the
            # text; an opening page has none.
            where = "mid"
            if i == 0 or (i == 1 and rs[0][1] - rs[0][0] < body_h - 1):
                where = "top"
            elif rs[i - 1][2] in heads:
                where = "stack"
            above = y0 - rs[i - 1][1] if i else -1
            below = nx[0] - rs[k][1]
            grid = "%.3f" % ((nx[0] - top) / LEAD) if top is not None and text(nx) else "-"
            # Baseline to baseline, where the three rows are the text's
            # size and font (the same box): h3 and h4.
            base = "- -"
            if i and abs(y1 - y0 - body_h) < 0.05 and text(rs[i - 1]) and text(nx):
                base = "%.2f %.2f" % (y0 - rs[i - 1][0], nx[0] - y0)
            print("%d %d %s %.2f %.2f %s %s %s" % (pno, heads[t], where, above, below, base, grid, t))
        for i in range(1, len(rs) - 1):
            # A list between two paragraphs: its first item apart from
            # the row above, its rows then bullets or lines run on.
            if not (rs[i][2].startswith("\u2022") and rs[i][0] > rs[i - 1][1] and text(rs[i - 1])):
                continue
            j = i
            while j + 1 < len(rs) and (rs[j + 1][2].startswith("\u2022") or rs[j + 1][0] < rs[j][1]):
                j += 1
            if j + 1 < len(rs) and text(rs[j + 1]):
                print("list %.2f %.2f %s" % (rs[i][0] - rs[i - 1][1], rs[j + 1][0] - rs[j][1], rs[i][2]))


if __name__ == "__main__":
    main()
