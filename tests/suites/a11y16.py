#!/usr/bin/env python3
"""Checks on a tagged PDF beside tagcheck.py's (issue 16).

  a11y16.py words PDF    each hyphenated word (a Span with /ActualText):
                         its text, a tab, its language - its own /Lang,
                         else its nearest ancestor's, else the catalog's
  a11y16.py langs PDF    each /Lang of the structure tree, once, sorted
  a11y16.py widths PDF   every width of every CIDFont's /W is its glyph's
                         advance in the embedded TrueType program (hmtx),
                         within 1/1000 em: ISO 14289-1 7.21.5, a rule of
                         veraPDF's PDF/UA-1 profile; prints a result line

Reads the PDF through tagcheck.py's qpdf JSON reader.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tagcheck import Pdf, result, text  # noqa: E402
import tagcheck  # noqa: E402


def advances(font):
    """The advance widths of a TrueType program, in 1/1000 em, by glyph."""
    n = struct.unpack(">H", font[4:6])[0]
    tables = {}
    for i in range(n):
        tag, _, off, length = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
        tables[tag] = (off, length)
    upem = struct.unpack(">H", font[tables[b"head"][0] + 18:][:2])[0]
    nh = struct.unpack(">H", font[tables[b"hhea"][0] + 34:][:2])[0]
    off = tables[b"hmtx"][0]
    adv = [struct.unpack(">H", font[off + 4 * i:off + 4 * i + 2])[0] for i in range(nh)]
    return [a * 1000.0 / upem for a in adv]


def cmd_widths(path):
    pdf = Pdf(path)
    seen, bad, nfont, nw = set(), [], 0, 0
    for pr in pdf.page_refs:
        res = pdf.get(pdf.obj(pr).get("/Resources")) or {}
        for ref in (pdf.get(res.get("/Font")) or {}).values():
            if ref in seen:
                continue
            seen.add(ref)
            f = pdf.get(ref)
            if f.get("/Subtype") != "/Type0":
                continue
            cid = pdf.get(f["/DescendantFonts"][0])
            fd = pdf.get(cid["/FontDescriptor"])
            if "/FontFile2" not in fd:
                continue
            nfont += 1
            adv = advances(pdf.data(fd["/FontFile2"]))
            m = cid.get("/CIDToGIDMap", "/Identity")
            gmap = None if m == "/Identity" else pdf.data(m)

            def gid(c):
                return c if gmap is None else struct.unpack(">H", gmap[2 * c:2 * c + 2])[0]

            def check(c, w):
                g = gid(c)
                a = adv[min(g, len(adv) - 1)]
                if abs(a - w) > 1:
                    bad.append(f"{f.get('/BaseFont')} cid {c} (glyph {g}): /W {w}, font {a:.1f}")
            w = pdf.get(cid.get("/W")) or []
            i = 0
            while i < len(w):
                if isinstance(pdf.get(w[i + 1]), list):
                    for k, x in enumerate(pdf.get(w[i + 1])):
                        check(w[i] + k, x)
                        nw += 1
                    i += 2
                else:
                    for c in range(w[i], w[i + 1] + 1):
                        check(c, w[i + 2])
                        nw += 1
                    i += 3
    result(f"ISO 14289-1 7.21.5: {nw} widths of {nfont} fonts' /W match their programs' hmtx",
           nfont and nw and not bad, "\n".join(bad[:10]))


def walk(pdf, ref, lang, out):
    e = pdf.get(ref)
    if not isinstance(e, dict) or e.get("/Type") in ("/MCR", "/OBJR"):
        return
    own = text(e.get("/Lang"))
    here = own or lang
    if "/ActualText" in e and e.get("/S") == "/Span":
        out.append((text(e["/ActualText"]), here))
    if own:
        out.append((None, own))
    k = e.get("/K")
    for kid in (k if isinstance(k, list) else [] if k is None else [k]):
        if not isinstance(kid, int):
            walk(pdf, kid, here, out)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("words", "langs", "widths"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "widths":
        cmd_widths(argv[2])
        return min(tagcheck.FAILS, 100)
    pdf = Pdf(argv[2])
    root = pdf.get(pdf.root.get("/StructTreeRoot")) or {}
    out = []
    k = root.get("/K")
    for kid in (k if isinstance(k, list) else [] if k is None else [k]):
        walk(pdf, kid, text(pdf.root.get("/Lang")), out)
    if argv[1] == "words":
        for w, lang in out:
            if w is not None:
                print(f"{w}\t{lang}")
    else:
        for lang in sorted({lang for w, lang in out if w is None}):
            print(lang)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
