#!/usr/bin/env python3
"""measure.py - line-breaking figures of typeset PDFs, measured alike.

    measure.py --font FONT.ttf --size PT --source A.md[,B.md...]
               [--octavo-lines FILE] [--dump PREFIX] NAME=X.pdf [NAME=Y.pdf ...]

Runs poppler's `pdftotext -bbox-layout` on each PDF and reads its lines
and words with their boxes. The same rules then apply to every engine:

- body lines: lines whose words are as tall as the commonest word height
  (the body size), so headings and notes are left out; so are lines that
  look like table rows (a few wide gaps among narrow ones), lines with no
  other body line within 1.6 leadings (running heads, folios), contents
  lines, and each essay's display matter: from its title (a line 1.25 times
  the body height or more) to its opening words (from the --source files,
  which must be given in the PDFs' order);
- full lines: body lines that reach the text block's right edge (less
  1.5 pt; measured on odd and even pages apart), or end where the next
  line ends (a quotation indented on both sides);
- paragraphs start after a heading or other left-out matter, at a
  first-line indent, at a list marker, after a line that is not full, or
  after a vertical gap; a paragraph's last line is not counted justified;
- the adjustment ratio of a full line, estimated from its interword gaps:
  gap = mean distance between words (leaving out gaps after . ? ! : ;,
  which TeX widens), space = the font's space at PT,
  r = (gap - space) / (space / 2) when wider, (gap - space) / (space / 3)
  when narrower: the stretch and shrink TeX and octavo give a space;
- hyphenated lines: full lines ending in a hyphen whose next line carries
  on the word; 'by engine' when the joined word is a word of the sources,
  'explicit' when the hyphen is the text's own (side-effect);
- hyphen ladder: the most consecutive lines ending in a hyphen.

With --octavo-lines (the output of `octavo report --lines`), also prints
the mean |r| octavo itself computed, as a check on the estimate. With
--dump, writes PREFIX-NAME.txt (every body line: P starts a paragraph, J
justified, - hyphenated, O overfull, and its r) and PREFIX-NAME.pages (the
page where the text starts and the page of the loosest line).
"""
import html
import re
import statistics
import struct
import subprocess
import sys

SENTENCE_END = tuple(".?!:;") + ("\u201d", "\u2019", ")")
HYPHENS = ("-", "\u2010", "\u00ad")
HANGING = HYPHENS + tuple(".,;:\u2019\u201d\u2013\u2014")

# --------------------------------------------------------------------------
# The font's space
# --------------------------------------------------------------------------


def space_advance(path):
    """The advance width of U+0020 in a TrueType font, in em: from 'cmap'
    (format 4), 'hmtx', 'hhea' and 'head'. Raises ValueError when not found."""
    with open(path, "rb") as f:
        data = f.read()
    ntables = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(ntables):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag.decode("latin-1")] = (off, length)
    upem = struct.unpack(">H", data[tables["head"][0] + 18:tables["head"][0] + 20])[0]
    nhm = struct.unpack(">H", data[tables["hhea"][0] + 34:tables["hhea"][0] + 36])[0]
    cmap = tables["cmap"][0]
    gid = None
    for i in range(struct.unpack(">H", data[cmap + 2:cmap + 4])[0]):
        pid, eid, off = struct.unpack(">HHI", data[cmap + 4 + 8 * i:cmap + 12 + 8 * i])
        sub = cmap + off
        if struct.unpack(">H", data[sub:sub + 2])[0] != 4 or pid not in (0, 3):
            continue
        segx2 = struct.unpack(">H", data[sub + 6:sub + 8])[0]
        ends = sub + 14
        starts = ends + segx2 + 2
        deltas = starts + segx2
        ranges = deltas + segx2
        for s in range(segx2 // 2):
            end, start = (struct.unpack(">H", data[a + 2 * s:a + 2 * s + 2])[0]
                          for a in (ends, starts))
            if start <= 0x20 <= end:
                delta = struct.unpack(">h", data[deltas + 2 * s:deltas + 2 * s + 2])[0]
                ro = struct.unpack(">H", data[ranges + 2 * s:ranges + 2 * s + 2])[0]
                if ro == 0:
                    gid = (0x20 + delta) & 0xFFFF
                else:
                    at = ranges + 2 * s + ro + 2 * (0x20 - start)
                    gid = struct.unpack(">H", data[at:at + 2])[0]
                break
        if gid is not None:
            break
    if gid is None:
        raise ValueError("%s: no glyph for U+0020" % path)
    hmtx = tables["hmtx"][0]
    adv = struct.unpack(">H", data[hmtx + 4 * min(gid, nhm - 1):hmtx + 4 * min(gid, nhm - 1) + 2])[0]
    return adv / upem


# --------------------------------------------------------------------------
# Reading a PDF's lines
# --------------------------------------------------------------------------

PAGE = re.compile(r"<page\b")
LINE = re.compile(r"<line\b[^>]*>(.*?)</line>", re.S)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def read_pdf(path):
    """(pages, (trim x0, trim x1)): pages, each a list of lines in reading
    order, each a list of words (xmin, ymin, xmax, ymax, text); the trim
    box's left and right edges in points, from pdfinfo -box."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True,
                         text=True, check=True).stdout
    box = subprocess.run(["pdfinfo", "-box", path], capture_output=True, text=True).stdout
    m = re.search(r"^TrimBox:\s+([\d.]+)\s+[\d.]+\s+([\d.]+)", box, re.M)
    trim = (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)
    pages = []
    for chunk in PAGE.split(xml)[1:]:
        lines = []
        for lm in LINE.finditer(chunk):
            words = [(float(a), float(b), float(c), float(d), html.unescape(t))
                     for a, b, c, d, t in WORD.findall(lm.group(1))]
            if words:
                lines.append(words)
        pages.append(lines)
    return pages, trim


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------


def mode(values, step):
    counts = {}
    for v in values:
        k = round(v / step)
        counts[k] = counts.get(k, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) * step if counts else None


def gaps_of(words):
    """(gap, word before it) between the words of a line; the gap after a
    list's bullet or number is the list's, not an interword space."""
    first = 1 if MARKER.match(words[0][4]) else 0
    return [(words[i + 1][0] - words[i][2], words[i][4]) for i in range(first, len(words) - 1)]


def is_table_row(words, space):
    """Cells set apart by wide gaps among ordinary ones."""
    g = [x for x, w in gaps_of(words) if not w.endswith(SENTENCE_END)]
    if len(g) < 2:
        return False
    return max(g) > 3 * space and max(g) > 2.5 * statistics.median(g)


def letters(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


MARKER = re.compile(r"^([\u2022\u25e6\u2023\u2043\u00b7]|\d+[.)])$")


def attach_small(line, body_h):
    """The line with superscripts (note calls, shorter than 0.85 of the
    body height) joined to the word before them, so they make no gap."""
    out = []
    for w in line:
        if out and w[3] - w[1] < 0.85 * body_h:
            p = out[-1]
            out[-1] = (p[0], p[1], max(p[2], w[2]), p[3], p[4] + w[4])
        else:
            out.append(w)
    return out


def measure(pdf, space, size, vocab, openings, table_words):
    """The figures of one PDF (see the module comment), and its body lines
    as dicts for --dump."""
    pages, trim = pdf
    heights = [w[3] - w[1] for p in pages for line in p for w in line]
    body_h = mode(heights, 0.05)
    leading = size * 14 / 10.5
    is_body = lambda ln: abs(statistics.median(w[3] - w[1] for w in ln) - body_h) <= 0.04 * body_h
    # Pass 1: body lines in reading order; 'cut' marks a line that follows
    # something else (a heading, a note, a table), which starts a paragraph.
    body = []
    skipping, nxt, cut = True, 0, True
    for i, p in enumerate(pages):
        bodyish = [ln for ln in p if is_body(ln)]
        for line in p:
            h = statistics.median(w[3] - w[1] for w in line)
            text = letters(" ".join(w[4] for w in line))
            if h >= 1.25 * body_h:
                # An essay's title: what follows up to its opening words
                # (subtitle, byline, role) is display matter, not text.
                skipping, cut = True, True
                continue
            if skipping:
                if nxt < len(openings) and text.startswith(openings[nxt]):
                    skipping, nxt = False, nxt + 1
                else:
                    continue
            y = line[0][3]
            if not any(0 < abs(o[0][3] - y) <= 1.6 * leading for o in bodyish):
                continue  # alone: a running head or a folio
            if not is_body(line) or is_table_row(line, space):
                cut = True
                continue
            words = [letters(w[4]) for w in line if letters(w[4])]
            cells = sum(1 for w in words if w in table_words)
            if cells == len(words) or (cells >= 2 and cells >= len(words) - 1):
                cut = True
                continue  # a table's cells
            if sum(1 for w in line if set(w[4]) <= {".", "\u2026"}) >= 3:
                continue  # a contents line with dot leaders
            body.append({"page": i, "words": attach_small(line, body_h), "cut": cut})
            cut = False
    # The text block's edges, odd and even pages apart.
    left, right = {}, {}
    for parity in (0, 1):
        rows = [r for r in body if r["page"] % 2 == parity] or body
        left[parity] = mode([r["words"][0][0] for r in rows], 0.25)
        right[parity] = mode([r["words"][-1][2] for r in rows], 0.25)
    # Pass 2: where paragraphs start: after a cut, at a first-line indent,
    # at a list marker, after a line short of the margin, after a gap.
    overfull = 0
    for k, r in enumerate(body):
        par = r["page"] % 2
        x0, x1 = r["words"][0][0], r["words"][-1][2]
        # A line reaches the margin, or the narrower measure of a quotation
        # indented on the right too: the next line ends where it ends.
        nx = body[k + 1] if k + 1 < len(body) else None
        r["reaches"] = x1 >= right[par] - 1.5 or (
            nx is not None and nx["page"] == r["page"] and not nx["cut"]
            and abs(nx["words"][-1][2] - x1) <= 0.3 and len(r["words"]) > 1)
        # Past the margin: by more than a point after a letter, or by more
        # than a hyphen's width after what may hang (protrusion in octavo,
        # overhang in Typst). Superscript note calls are not the line's end.
        end = r["words"][-1][4].rstrip("0123456789*\u2020")
        if x1 > right[par] + 1 and not end.endswith(HANGING) or x1 > right[par] + 4.5:
            overfull += 1
            r["overfull"] = True
        prev = body[k - 1] if k else None
        r["starts"] = (r["cut"] or prev is None or not prev["reaches"]
                       or abs(x0 - (left[par] + size)) <= 1.5
                       or MARKER.match(r["words"][0][4]) is not None
                       or (prev["page"] == r["page"]
                           and r["words"][0][3] - prev["words"][0][3] > 1.3 * leading))
    for k, r in enumerate(body):
        r["last"] = k + 1 == len(body) or body[k + 1]["starts"]
        r["justified"] = r["reaches"] and not r["last"] and len(r["words"]) > 1
    s = {"lines": len(body), "paragraphs": sum(1 for r in body if r["starts"])}
    s["lines per paragraph"] = s["lines"] / s["paragraphs"] if s["paragraphs"] else 0
    ratios, last_gaps = [], []
    for r in body:
        g = [x for x, w in gaps_of(r["words"]) if not w.endswith(SENTENCE_END)]
        g = g or [x for x, _ in gaps_of(r["words"])]
        if not g:
            continue
        gap = statistics.mean(g)
        if r["justified"]:
            ratio = (gap - space) / (space / 2) if gap >= space else (gap - space) / (space / 3)
            r["r"] = ratio
            ratios.append(ratio)
        elif not r["reaches"]:
            last_gaps.extend(g)
    s["justified lines"] = len(ratios)
    s["loose (r > 1)"] = sum(1 for x in ratios if x > 1)
    s["very loose (r > 2)"] = sum(1 for x in ratios if x > 2)
    s["tight (r < -0.8)"] = sum(1 for x in ratios if x < -0.8)
    s["overfull (past the margin)"] = overfull
    s["mean |r|"] = statistics.mean(abs(x) for x in ratios) if ratios else 0
    s["worst r"] = max(ratios, key=abs) if ratios else 0
    # Hyphens at line ends.
    by_engine = explicit = ladder = run = 0
    for k, r in enumerate(body):
        last = r["words"][-1][4]
        if r["justified"] and last.endswith(HYPHENS) and k + 1 < len(body):
            run += 1
            ladder = max(ladder, run)
            head = letters(last.split("\u2014")[-1])
            tail = letters(re.sub(r"[^\w-].*$", "", body[k + 1]["words"][0][4]))
            r["hyphen"] = True
            if (head + tail) in vocab and (head + "-" + tail) not in vocab:
                by_engine += 1
            else:
                explicit += 1
        else:
            run = 0
    s["hyphenated lines"] = by_engine + explicit
    s["  of which at the text's own hyphens"] = explicit
    s["longest hyphen ladder"] = ladder
    s["space on last lines (pt)"] = statistics.median(last_gaps) if last_gaps else 0
    s["pages"] = len(pages)
    mm = 25.4 / 72
    s["margins mm, recto (inner/outer)"] = "%.1f / %.1f" % (
        (left[0] - trim[0]) * mm, (trim[1] - right[0]) * mm)
    s["measure mm (recto, verso)"] = "%.1f, %.1f" % ((right[0] - left[0]) * mm,
                                                     (right[1] - left[1]) * mm)
    # Pages to look at: where the text starts, where the loosest line is.
    s["first page"] = body[0]["page"] + 1 if body else 1
    worst = max((r for r in body if "r" in r), key=lambda r: r["r"], default=None)
    s["loosest page"] = worst["page"] + 1 if worst else s["first page"]
    return s, body


def openings_of(paths):
    """The letters of the first three words of each source's first
    paragraph, to find where each essay's text starts in a PDF."""
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            text = f.read()
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 4) + 5:]
        for block in re.split(r"\n\s*\n", text):
            b = block.strip()
            if b and not b.startswith(("#", ">", "-", "|", "!", "[^")) and not re.match(r"\d+\.", b):
                out.append(letters(" ".join(re.sub(r"[*_`]", "", b).split()[:3])))
                break
    return out


def vocabulary(paths):
    """(the sources' words, lower case, and their hyphenated compounds as
    'a-b'; the letters of every word in a pipe table's cells)."""
    words, table = set(), set()
    for p in paths:
        with open(p, encoding="utf-8") as f:
            text = f.read()
        for w in re.findall(r"[A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)*", text):
            w = w.lower()
            words.add(w)
            words.update(w.split("-"))
        for line in text.split("\n"):
            if line.lstrip().startswith("|"):
                table.update(letters(w) for w in line.replace("|", " ").split())
    table.discard("")
    return words, table


def octavo_own(path):
    """Mean |r| and counts from `octavo report --lines`: justified lines
    are those with a ratio that are not a paragraph's last (r = 0 exactly
    with no hyphen is taken as a last line)."""
    rs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.search(r"\tp\.\d+\tr=([-+][\d.]+)", line)
            if m and "(front matter)" not in line:
                r = float(m.group(1))
                if r != 0.0:
                    rs.append(r)
    return rs


FIELDS = ["pages", "paragraphs", "lines", "lines per paragraph", "justified lines",
          "loose (r > 1)", "very loose (r > 2)", "tight (r < -0.8)",
          "overfull (past the margin)", "hyphenated lines",
          "  of which at the text's own hyphens", "longest hyphen ladder", "mean |r|", "worst r",
          "space on last lines (pt)", "margins mm, recto (inner/outer)",
          "measure mm (recto, verso)"]


def main(argv):
    args = {"--font": None, "--size": "10.5", "--source": "", "--octavo-lines": None,
            "--dump": None}
    pdfs = []
    i = 1
    while i < len(argv):
        if argv[i] in args:
            args[argv[i]] = argv[i + 1]
            i += 2
        else:
            pdfs.append(argv[i].split("=", 1))
            i += 1
    if not pdfs or not args["--font"]:
        sys.exit(__doc__)
    size = float(args["--size"])
    space = space_advance(args["--font"]) * size
    sources = [p for p in args["--source"].split(",") if p]
    vocab, table_words = vocabulary(sources)
    openings = openings_of(sources)
    print("natural space: %.3f pt (Charis SIL's U+0020 advance at %.1f pt; stretch %.3f, "
          "shrink %.3f)" % (space, size, space / 2, space / 3))
    results = []
    for name, path in pdfs:
        s, rows = measure(read_pdf(path), space, size, vocab, openings, table_words)
        results.append((name, s))
        if args["--dump"]:
            with open("%s-%s.pages" % (args["--dump"], name), "w") as f:
                f.write("%d %d\n" % (s["first page"], s["loosest page"]))
            with open("%s-%s.txt" % (args["--dump"], name), "w", encoding="utf-8") as f:
                for r in rows:
                    f.write("p%-3d %s%s%s%s r=%+.2f  %s\n" % (
                        r["page"] + 1, "P" if r["starts"] else " ", "J" if r["justified"] else " ",
                        "-" if r.get("hyphen") else " ", "O" if r.get("overfull") else " ",
                        r.get("r", 0.0),
                        " ".join(w[4] for w in r["words"])))
    w0 = max(len(f) for f in FIELDS)
    widths = [max(12, len(n)) for n, _ in results]
    print("%-*s" % (w0, "") + "".join("  %*s" % (w, n) for w, (n, _) in zip(widths, results)))
    print("-" * (w0 + sum(w + 2 for w in widths)))
    for f in FIELDS:
        row = "%-*s" % (w0, f)
        for w, (_, s) in zip(widths, results):
            v = s[f]
            row += "  %*s" % (w, ("%.2f" % v) if isinstance(v, float) else v)
        print(row)
    if args["--octavo-lines"]:
        rs = octavo_own(args["--octavo-lines"])
        if rs:
            print("\ncheck: octavo's own report for these essays: %d lines with r != 0, "
                  "mean |r| %.2f, loose %d, tight %d" % (
                      len(rs), statistics.mean(abs(r) for r in rs),
                      sum(1 for r in rs if r > 1), sum(1 for r in rs if r < -0.8)))


if __name__ == "__main__":
    main(sys.argv)
