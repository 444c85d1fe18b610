#!/usr/bin/env python3
"""tests/suites/lig15.py - the glyphs a PDF of octavo's draws, read back
through each font's ToUnicode: which ligatures were drawn, and where a
word's letters that the font joins into one glyph were drawn apart.

usage: lig15.py FILE.qdf (qpdf --qdf --object-streams=disable's output)
prints, one a line:
  lig TEXT N      ligature glyphs drawn for TEXT (a glyph standing for
                  two or more letters: "ffi"), N times
  split A|B WORD  glyph A followed in the same word by glyph B where the
                  font has a ligature for their letters together (an f
                  and an i drawn apart: "of|fice" drawn f + fi), in WORD
  word GLYPHS     each word as its glyphs read, "." between glyphs, "|"
                  and the TJ adjustment where the word's glyphs come in
                  two strings
"""
import re
import sys


def objects(data):
    """Object number -> its bytes, from a QDF file."""
    out = {}
    for m in re.finditer(rb"\n(\d+) 0 obj\n(.*?)\nendobj", data, re.S):
        out[int(m.group(1))] = m.group(2)
    return out


def cmap_of(body):
    """A ToUnicode CMap's bfchar entries: code -> text."""
    table = {}
    for blk in re.finditer(rb"beginbfchar(.*?)endbfchar", body, re.S):
        for m in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk.group(1)):
            hx = m.group(2).decode()
            text = bytes.fromhex(hx).decode("utf-16-be", "replace")
            table[int(m.group(1), 16)] = text
    for blk in re.finditer(rb"beginbfrange(.*?)endbfrange", body, re.S):
        for m in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                             blk.group(1)):
            lo, hi = int(m.group(1), 16), int(m.group(2), 16)
            first = bytes.fromhex(m.group(3).decode()).decode("utf-16-be", "replace")
            for k in range(lo, hi + 1):
                table[k] = first[:-1] + chr(ord(first[-1]) + k - lo)
    return table


def fonts_of(objs):
    """Font resource name -> ToUnicode table, over every font dictionary
    (octavo names its fonts /F0, /F1... the same on every page)."""
    names = {}
    for body in objs.values():
        for m in re.finditer(rb"/(F\d+A?) (\d+) 0 R", body):
            font = objs.get(int(m.group(2)), b"")
            tu = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if tu:
                names[m.group(1).decode()] = cmap_of(objs.get(int(tu.group(1)), b""))
    return names


def words(data, fonts):
    """Each word drawn: its font's name, then its glyphs' texts, None
    between strings (followed by the TJ adjustment between them, a
    number)."""
    out = []
    cur = []
    table = {}
    font = ""
    for m in re.finditer(rb"/(F\d+A?) [0-9.]+ Tf\n|\[([^\n]*?)\] TJ\n", data):
        if cur:
            out.append([font] + cur)
        cur = []
        if m.group(1):
            font = m.group(1).decode()
            table = fonts.get(font, {})
            continue
        adj = 0.0
        for t in re.finditer(rb"<([0-9A-Fa-f]*)>|(-?[0-9.]+)", m.group(2)):
            if t.group(2) is not None:
                adj = float(t.group(2))
                if abs(adj) > 100 and cur:  # a space
                    out.append([font] + cur)
                    cur = []
                continue
            hx = t.group(1)
            if cur:
                cur += [None, adj]
            adj = 0.0
            for k in range(0, len(hx), 4):
                g = table.get(int(hx[k:k + 4], 16), "?")
                if g == " ":
                    if cur and cur[-2:-1] != [None]:
                        out.append([font] + cur)
                    cur = []
                else:
                    cur.append(g)
    if cur:
        out.append([font] + cur)
    return out


def main():
    data = open(sys.argv[1], "rb").read()
    objs = objects(data)
    fonts = fonts_of(objs)
    ligs = {}
    own = {}  # each font's ligatures
    for name, t in fonts.items():
        own[name] = set(text for text in t.values() if len(text) > 1 and text.isalpha())
        for text in own[name]:
            ligs[text] = 0
    drawn = words(data, fonts)
    splits = []
    for w in drawn:
        glyphs = [g for g in w[1:] if isinstance(g, str)]
        for g in glyphs:
            if g in ligs:
                ligs[g] += 1
        for a, b in zip(glyphs, glyphs[1:]):
            if not (a.isalpha() and b.isalpha()):
                continue
            # letters the font draws as one glyph, drawn as two
            both = a + b
            if any(both[i:i + len(L)] == L and i < len(a) < i + len(L)
                   for L in own.get(w[0], ()) for i in range(len(both))):
                splits.append((a, b, "".join(glyphs)))
    for L, n in sorted(ligs.items()):
        print("lig %s %d" % (L, n))
    for a, b, word in splits:
        print("split %s|%s %s" % (a, b, word))
    for w in drawn:
        print("word %s" % ".".join(g if isinstance(g, str) else "|" if g is None else "%g" % g
                                   for g in w[1:])
              .replace(".|.", "|"))


if __name__ == "__main__":
    main()
