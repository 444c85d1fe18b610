#!/usr/bin/env python3
"""convert.py - the manuscript's essays as one document, for the peers.

    convert.py markdown BOOKDIR OUT.md  [PART.md ...]
    convert.py typst    BOOKDIR OUT.typ PREAMBLE.typ [PART.md ...]
    convert.py latex    BOOKDIR OUT.tex PREAMBLE.tex [PART.md ...]

With no PART, every part listed in BOOKDIR/book.yaml, in order.

markdown: the parts concatenated for pandoc: each part's front matter
becomes a level-1 heading (title), an italic subtitle and a byline, and
footnote labels are made unique per part ([^1] in part 3 -> [^p3-1]).

typst: the same text as Typst markup after PREAMBLE (page, font, measure).
A small converter for what the manuscript uses (headings, paragraphs,
emphasis, links, footnotes, nested lists, block quotes, pipe tables, one
image), not a general Markdown reader: cmark-gfm's finer rules (lazy
continuation, HTML, reference links) are not followed.

latex: the markdown form run through pandoc (-t latex) and put after
PREAMBLE, which must end where the body starts; '\\end{document}' follows.
"""
import os
import re
import subprocess
import sys

# --------------------------------------------------------------------------
# Reading the book
# --------------------------------------------------------------------------


def book_parts(bookdir):
    """Part file names from BOOKDIR/book.yaml, in order (the two forms the
    manuscript uses: '- NAME.md' and '- file: NAME.md')."""
    parts, in_parts = [], False
    with open(os.path.join(bookdir, "book.yaml"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("parts:"):
                in_parts = True
            elif in_parts:
                m = re.match(r"\s*-\s*(?:file:\s*)?(\S+\.md)", line)
                if m:
                    parts.append(m.group(1))
    return parts


def read_part(path):
    """(front matter dict, body text) of one part."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    front = {}
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        for line in text[4:end].split("\n"):
            m = re.match(r'^(\w+):\s*"?(.*?)"?\s*$', line)
            if m:
                front[m.group(1)] = m.group(2).replace('\\"', '"')
        text = text[end + 5:]
    if "title" not in front:
        m = re.match(r"\s*#\s+(.*)\n", text)
        if m:
            front["title"] = m.group(1)
            text = text[m.end():]
    return front, text


# --------------------------------------------------------------------------
# Markdown for pandoc
# --------------------------------------------------------------------------


def to_markdown(bookdir, parts):
    out = []
    for i, name in enumerate(parts):
        front, body = read_part(os.path.join(bookdir, name))
        body = re.sub(r"\[\^([^\]\s]+)\]", lambda m: "[^p%d-%s]" % (i, m.group(1)), body)
        out.append("# %s\n" % front.get("title", name))
        if front.get("subtitle"):
            out.append("*%s*\n" % front["subtitle"])
        if front.get("author"):
            out.append("%s\n" % front["author"])
        out.append(body.strip("\n") + "\n")
    return "\n".join(out)


# --------------------------------------------------------------------------
# Markdown blocks (the subset the manuscript uses)
# --------------------------------------------------------------------------

ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")


def parse_blocks(text):
    """A list of blocks: ('h', level, text), ('p', text), ('quote', blocks),
    ('list', items) with items (indent, ordered, text), ('table', rows,
    aligns), ('img', alt, src, title), ('note', label, text)."""
    lines = text.split("\n")
    blocks, i, n = [], 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            blocks.append(("h", len(m.group(1)), m.group(2)))
            i += 1
            continue
        if line.startswith(">"):
            q = []
            while i < n and lines[i].strip() and (lines[i].startswith(">") or q):
                q.append(re.sub(r"^> ?", "", lines[i]))
                i += 1
            blocks.append(("quote", parse_blocks("\n".join(q))))
            continue
        m = re.match(r"^\[\^([^\]]+)\]:\s*(.*)$", line)
        if m:
            t = [m.group(2)]
            i += 1
            while i < n and (lines[i].startswith("    ") or lines[i].startswith("\t")):
                t.append(lines[i].strip())
                i += 1
            blocks.append(("note", m.group(1), " ".join(t)))
            continue
        m = re.match(r'^!\[(.*)\]\((\S+)(?:\s+"(.*)")?\)\s*$', line)
        if m:
            blocks.append(("img", m.group(1), m.group(2), m.group(3) or ""))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            rows = []
            while i < n and lines[i].lstrip().startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                rows.append(cells)
                i += 1
            aligns = []
            if len(rows) > 1 and all(re.match(r"^:?-+:?$", c) for c in rows[1]):
                for c in rows[1]:
                    aligns.append("right" if c.endswith(":") and not c.startswith(":")
                                  else "center" if c.startswith(":") and c.endswith(":")
                                  else "left")
                rows = rows[:1] + rows[2:]
            blocks.append(("table", rows, aligns))
            continue
        if ITEM.match(line):
            items = []
            while i < n:
                line = lines[i]
                m = ITEM.match(line)
                if m:
                    items.append([len(m.group(1)), m.group(2)[0].isdigit(), m.group(3)])
                elif line.strip() and (line.startswith(" ") or not items):
                    items[-1][2] += " " + line.strip()
                elif not line.strip():
                    # A blank line: the list goes on if an item or an
                    # indented continuation follows.
                    j = i + 1
                    if j < n and (ITEM.match(lines[j]) or lines[j].startswith("  ")):
                        i += 1
                        continue
                    break
                else:
                    break
                i += 1
            blocks.append(("list", items))
            continue
        p = []
        while i < n and lines[i].strip() and not re.match(r"^(#{1,6}\s|>|\[\^[^\]]+\]:)", lines[i]):
            p.append(lines[i].strip())
            i += 1
        blocks.append(("p", " ".join(p)))
    return blocks


# --------------------------------------------------------------------------
# Typst
# --------------------------------------------------------------------------

INLINE = re.compile(
    r"(?P<code>`[^`]+`)"
    r"|(?P<strong>\*\*(?P<st>.+?)\*\*)"
    r"|(?P<emph>\*(?P<et>[^*\s](?:.*?[^*\s])?)\*|\b_(?P<eu>[^_]+)_\b)"
    r"|(?P<note>\[\^(?P<nl>[^\]]+)\])"
    r"|(?P<link>\[(?P<lt>[^\]]+)\]\((?P<lu>[^)\s]+)(?:\s+\"[^\"]*\")?\))"
    r"|(?P<auto><(?P<au>https?://[^>\s]+)>)")

SPECIAL = re.compile(r"([\\*_`$#\[\]<>@~/=+-])")


def typst_text(s):
    """Plain text escaped for Typst markup; '--' and '---' stay dashes and
    straight quotes stay smart, as cmark-gfm's smart punctuation makes them."""
    s = SPECIAL.sub(r"\\\1", s)
    return s.replace("\\-\\-\\-", "---").replace("\\-\\-", "--")


def typst_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_inline(s, notes):
    out, pos = [], 0
    for m in INLINE.finditer(s):
        out.append(typst_text(s[pos:m.start()]))
        pos = m.end()
        if m.group("code"):
            out.append("#raw(%s)" % typst_string(m.group("code")[1:-1]))
        elif m.group("strong"):
            out.append("#strong[%s]" % typst_inline(m.group("st"), notes))
        elif m.group("emph"):
            out.append("#emph[%s]" % typst_inline(m.group("et") or m.group("eu"), notes))
        elif m.group("note"):
            body = notes.get(m.group("nl"), "")
            out.append("#footnote[%s]" % typst_inline(body, notes))
        elif m.group("link"):
            out.append("#link(%s)[%s]" % (typst_string(m.group("lu")),
                                         typst_inline(m.group("lt"), notes)))
        else:
            out.append("#link(%s)" % typst_string(m.group("au")))
    out.append(typst_text(s[pos:]))
    return "".join(out)


def typst_blocks(blocks, notes, imgdir):
    out = []
    for b in blocks:
        kind = b[0]
        if kind == "h":
            out.append("%s %s\n" % ("=" * b[1], typst_inline(b[2], notes)))
        elif kind == "p":
            out.append(typst_inline(b[1], notes) + "\n")
        elif kind == "quote":
            out.append("#pad(left: 1.5em)[\n%s]\n" % typst_blocks(b[1], notes, imgdir))
        elif kind == "list":
            base = min(it[0] for it in b[1])
            levels = sorted({it[0] for it in b[1]})
            for indent, ordered, text in b[1]:
                depth = levels.index(indent) if indent >= base else 0
                out.append("%s%s %s" % ("  " * depth, "+" if ordered else "-",
                                        typst_inline(text, notes)))
            out.append("")
        elif kind == "table":
            rows, aligns = b[1], b[2]
            cols = max(len(r) for r in rows)
            aligns = aligns or ["left"] * cols
            cells = []
            for r, row in enumerate(rows):
                for c in range(cols):
                    t = typst_inline(row[c] if c < len(row) else "", notes)
                    cells.append("[*%s*]" % t if r == 0 and t else "[%s]" % t)
            out.append("#table(columns: %d, align: (%s), stroke: none,\n  %s)\n" % (
                cols, ", ".join(aligns), ", ".join(cells)))
        elif kind == "img":
            out.append("#figure(image(%s, width: 100%%), caption: [%s])\n" % (
                typst_string(os.path.join(imgdir, b[2])), typst_inline(b[3] or b[1], notes)))
        # notes were collected before; they are set where they are called
    return "\n".join(out)


def to_typst(bookdir, parts, imgdir):
    out = []
    for name in parts:
        front, body = read_part(os.path.join(bookdir, name))
        blocks = parse_blocks(body)
        notes = {b[1]: b[2] for b in blocks if b[0] == "note"}
        out.append('#pagebreak(weak: true, to: "odd")\n= %s\n' % typst_inline(front.get("title", name), notes))
        if front.get("subtitle"):
            out.append("#emph[%s]\n" % typst_inline(front["subtitle"], notes))
        if front.get("author"):
            out.append("%s\n" % typst_inline(front["author"], notes))
        out.append(typst_blocks(blocks, notes, imgdir))
    return "\n".join(out)


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def main(argv):
    if len(argv) < 4 or argv[1] not in ("markdown", "typst", "latex"):
        sys.exit(__doc__)
    mode, bookdir, outpath = argv[1], argv[2], argv[3]
    rest = argv[4:]
    preamble = ""
    if mode in ("typst", "latex"):
        if not rest:
            sys.exit("convert.py: error: %s needs a preamble" % mode)
        with open(rest[0], encoding="utf-8") as f:
            preamble = f.read()
        rest = rest[1:]
    parts = rest or book_parts(bookdir)
    if mode == "markdown":
        text = to_markdown(bookdir, parts)
    elif mode == "typst":
        # Typst resolves paths relative to the .typ file: give it absolute ones.
        text = preamble + "\n" + to_typst(bookdir, parts, os.path.abspath(bookdir))
    else:
        md = to_markdown(bookdir, parts)
        body = subprocess.run(
            ["pandoc", "-f", "gfm+footnotes+smart", "-t", "latex",
             "--top-level-division=section", "--resource-path", bookdir],
            input=md, capture_output=True, text=True, check=True).stdout
        text = preamble + "\n" + body + "\n\\end{document}\n"
    with open(outpath, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv)
