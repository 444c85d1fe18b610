#!/usr/bin/env python3
"""The language a reader is told for each word of a tagged PDF.

  a11y16-langs.py words PDF   each hyphenated word (a Span with /ActualText):
                              its text, a tab, its language - its own /Lang,
                              else its nearest ancestor's, else the catalog's
  a11y16-langs.py langs PDF   each /Lang of the structure tree, once, sorted

Reads the PDF through tagcheck.py's qpdf JSON reader.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tagcheck import Pdf, text  # noqa: E402


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
    if len(argv) != 3 or argv[1] not in ("words", "langs"):
        print(__doc__, file=sys.stderr)
        return 2
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
