#!/usr/bin/env python3
"""pagefigures.py - the page figures of `octavo report`, measured on any PDF.

    pagefigures.py [--pages] NAME=FILE.pdf [NAME=FILE.pdf ...]

Reads each PDF's words and their boxes with poppler's `pdftotext -bbox`
and measures, the same way for every engine (issue 14's comparison of
octavo with pandoc + xelatex):

- page depth: where each running page's last line (text or note) falls
  against the foot most pages share, in body leadings: on it, one line
  long, one short, two or more short;
- unequal spreads: facing running pages (verso, recto) ending differently;
- pages whose body lines are off the baseline grid (vertical glue stretched
  to fill the page, as LaTeX's \\flushbottom does);
- page-final hyphens on rectos and versos;
- notes split (a page's notes begin with a note's continuation), over
  three pages or more, broken after a hyphen, lone note lines;
- float gaps: pages two lines short or more followed by a page that opens
  with a picture (pdfimages -list).

Running pages are those from the first chapter opening on, less each
part's (chapter's) last page, the pages before an opening. An opening is
a page whose text starts three leadings or more below the usual top line
and that holds five body lines or more.
Running heads and foot folios (lines at the same place on many pages) are
left out. Heuristics, stated here so the figures can be checked: body
lines are those of the commonest word height, notes the run of smaller
lines at a page's foot; a note starts on a line whose first word begins
with a digit, or below a line holding only a raised number (LaTeX's mark).
"""
import collections
import re
import subprocess
import sys

WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="[0-9.]+" height="[0-9.]+">(.*?)</page>', re.S)
HYPHENS = ("-", "\u2010", "\u00ad")


def read_pages(pdf):
    """Each page's lines, top to bottom: dicts y (bottom), h (median word
    height), x (left), words."""
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for body in PAGE.findall(html):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(body)]
        words.sort(key=lambda w: (w[3], w[0]))
        lines = []
        for w in words:
            if lines and abs(lines[-1]["y"] - w[3]) < 1.5:
                lines[-1]["w"].append(w)
            else:
                lines.append({"y": w[3], "w": [w]})
        for ln in lines:
            ln["w"].sort(key=lambda w: w[0])
            hs = sorted(w[3] - w[1] for w in ln["w"])
            ln["h"] = hs[len(hs) // 2]
            ln["x"] = ln["w"][0][0]
            ln["text"] = " ".join(w[4] for w in ln["w"])
        pages.append(lines)
    return pages


def image_pages(pdf):
    out = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True).stdout
    return {int(l.split()[0]) - 1 for l in out.splitlines()[2:] if l.split()}


def mode(values, default=0.0):
    c = collections.Counter(round(v) for v in values)
    return c.most_common(1)[0][0] if c else default


def measure(pdf):
    pages = read_pages(pdf)
    images = image_pages(pdf)
    allw = [w for p in pages for ln in p for w in ln["w"]]
    H = mode([w[3] - w[1] for w in allw])  # the body's word height
    # Lines at the same place on many pages: running heads, foot folios.
    n = len(pages)
    tops = collections.Counter(round(p[0]["y"]) for p in pages if p)
    bots = collections.Counter(round(p[-1]["y"]) for p in pages if p)
    head_y = [y for y, k in tops.items() if k >= n * 0.25]
    foot_y = [y for y, k in bots.items() if k >= n * 0.25 and
              all(re.fullmatch(r"[0-9ivxlc]+", p[-1]["text"]) for p in pages
                  if p and round(p[-1]["y"]) == y)]
    for p in pages:
        while p and any(abs(p[0]["y"] - y) <= 1 for y in head_y) and len(p[0]["w"]) <= 8:
            p.pop(0)
        while p and any(abs(p[-1]["y"] - y) <= 1 for y in foot_y):
            p.pop()
        # A folio at the foot of an opening (LaTeX's plain style).
        if p and re.fullmatch(r"[0-9ivxlc]+", p[-1]["text"]) and len(p) > 1 and \
                p[-1]["y"] - p[-2]["y"] > 2 * H:
            p.pop()
    body = lambda ln: abs(ln["h"] - H) <= 0.08 * H
    # The body leading: the commonest step between body lines.
    steps = [b["y"] - a["y"] for p in pages for a, b in zip(p, p[1:]) if body(a) and body(b)]
    L = mode([s for s in steps if s > H * 0.5], 14)
    top = mode([p[0]["y"] for p in pages if len(p) > 10])
    opening = [bool(p) and p[0]["y"] - top >= 3 * L and sum(1 for ln in p if body(ln)) >= 5
               for p in pages]
    foot = mode([p[-1]["y"] for p in pages if len(p) > 10])
    for p in pages:
        # a folio below the foot (an opening's, in LaTeX's plain style)
        if len(p) > 1 and re.fullmatch(r"[0-9ivxlc]+", p[-1]["text"]) and \
                p[-1]["y"] > foot + L / 2:
            p.pop()
    for i, p in enumerate(pages):
        # notes: the run of smaller lines at the foot
        k = len(p)
        while k > 0 and p[k - 1]["h"] < 0.9 * H:
            k -= 1
        if k == len(p) or k == 0 or not any(body(ln) for ln in p[:k]):
            k = len(p)
        p[:] = [dict(ln, note=j >= k) for j, ln in enumerate(p)]
    first = next((i for i, o in enumerate(opening) if o), 0)
    textp = [i for i in range(n) if pages[i] and i >= first]
    part_last = set()
    for i in textp:
        j = i + 1
        while j < n and not pages[j]:
            j += 1
        if j >= n or opening[j]:
            part_last.add(i)
    running = [i for i in textp if i not in part_last]
    f = collections.OrderedDict()
    short = {}
    for i in running:
        short[i] = round((foot - pages[i][-1]["y"]) / L)
    f["running pages"] = len(running)
    f["on the last grid line"] = sum(1 for i in running if short[i] == 0)
    f["one line long (or more)"] = sum(1 for i in running if short[i] < 0)
    f["one line short"] = sum(1 for i in running if short[i] == 1)
    f["two or more short"] = sum(1 for i in running if short[i] >= 2)
    f["  of them openings"] = sum(1 for i in running if short[i] >= 2 and opening[i])
    spreads = [(v, v + 1) for v in running if v % 2 == 1 and v + 1 in short]
    f["unequal spreads"] = "%d of %d" % (sum(1 for v, r in spreads if short[v] != short[r]),
                                         len(spreads))
    off = 0
    for i in running:
        ys = [ln["y"] for ln in pages[i] if body(ln) and not ln["note"]]
        if len(ys) > 5 and any(abs(((y - ys[0]) / L) - round((y - ys[0]) / L)) * L > 1 for y in ys):
            off += 1
    f["pages off the baseline grid"] = off
    rh = vh = 0
    for i in running:
        b = [ln for ln in pages[i] if not ln["note"]]
        if b and b[-1]["w"][-1][4].endswith(HYPHENS):
            if i % 2 == 0:
                rh += 1  # a recto: PDF page 1, 3, ... (index even)
            else:
                vh += 1
    f["page-final hyphens recto"] = rh
    f["page-final hyphens verso"] = vh
    # Notes: each page's note lines, which start a note.
    notes = []
    for i in range(n):
        nl = [ln for ln in pages[i] if ln["note"]]
        starts, keep = [], []
        marker = False
        for ln in nl:
            if re.fullmatch(r"[0-9]+", ln["text"]) and ln["h"] < 0.75 * H:
                marker = True  # a raised mark on its own line
                continue
            keep.append(ln)
            starts.append(marker or bool(re.match(r"[0-9]", ln["w"][0][4])))
            marker = False
        notes.append((keep, starts))
    split = through = after_hyphen = lone = 0
    for i in range(max(1, first + 1), n):
        keep, starts = notes[i]
        if not keep or starts[0]:
            continue
        split += 1  # this page's notes begin with a continuation
        pk, ps = notes[i - 1]
        if pk and pk[-1]["w"][-1][4].endswith(HYPHENS):
            after_hyphen += 1
        if pk and not any(ps):
            through += 1  # the page before held only a continuation too
        rest = 1
        while rest < len(keep) and not starts[rest]:
            rest += 1
        if rest == 1:
            lone += 1
        if ps:
            last = len(ps) - 1
            while last > 0 and not ps[last]:
                last -= 1
            if len(pk) - last == 1:
                lone += 1
    f["notes split"] = split
    f["  over three pages or more"] = through
    f["  after a hyphen"] = after_hyphen
    f["  lone note lines"] = lone
    f["float gaps (2+ lines before a picture)"] = sum(
        1 for i in running if short[i] >= 2 and i + 1 in images)
    f["pages"] = n
    return f, {i: short[i] for i in running}, opening


def main(argv):
    show = "--pages" in argv
    args = [a for a in argv[1:] if a != "--pages"]
    if not args:
        sys.exit(__doc__)
    res = []
    for a in args:
        name, _, pdf = a.partition("=")
        res.append((name, measure(pdf)))
    keys = list(res[0][1][0].keys())
    print("%-42s" % "figure" + "".join("%14s" % name for name, _ in res))
    for k in keys:
        print("%-42s" % k + "".join("%14s" % r[0][k] for _, r in res))
    if show:
        for name, (_, short, opening) in res:
            bad = ["p.%d%s: %d short" % (i + 1, " (opening)" if opening[i] else "", s)
                   for i, s in sorted(short.items()) if s >= 2]
            print("%s: %s" % (name, "; ".join(bad) or "no page two or more short"))


if __name__ == "__main__":
    main(sys.argv)
