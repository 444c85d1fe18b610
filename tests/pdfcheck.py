#!/usr/bin/env python3
"""Checks on a built PDF, with poppler's tools.

  pdfcheck.py outline PDF       prints the number of first-level outline entries
  pdfcheck.py order PDF MSDIR   every part's title, then its last paragraph's
                                words, appear in pdftotext's output in reading order
"""
import re
import subprocess
import sys
import unicodedata


def text_of(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                          check=True, text=True).stdout


def norm(s):
    """Words only: typography (quotes, dashes, ligatures, line breaks) aside."""
    s = unicodedata.normalize("NFKC", s)  # ligatures fi -> f i
    s = re.sub(r"[\u2018\u2019\u201c\u201d'\"]", "", s)
    s = re.sub(r"[\u2013\u2014-]", " ", s)
    return " ".join(re.findall(r"\w+", s.lower()))


def markdown_plain(s):
    s = re.sub(r"\[\^[^\]]*\]", "", s)                 # footnote refs
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)   # links, images
    s = s.replace("*", "").replace("`", "").replace("--", " ")
    return s


def parts(msdir):
    book = open(f"{msdir}/book.yaml", encoding="utf-8").read()
    files = re.findall(r"^\s*-\s+(?:file:\s*)?([\w./-]+\.md)\s*$", book, re.M)
    for f in files:
        src = open(f"{msdir}/{f}", encoding="utf-8").read()
        title = re.search(r'^title:\s*"?(.*?)"?\s*$', src, re.M).group(1)
        body = src.split("\n---\n", 1)[1]
        paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()
                 and not p.lstrip().startswith(("[^", "#", ">", "-", "|", "!"))
                 and not re.match(r"\s*\d+\.", p)]
        yield f, title, paras[-1]


def main():
    if sys.argv[1] == "outline":
        # Count /Title entries whose parent is the outline root (qpdf's JSON).
        out = subprocess.run(["qpdf", "--json", "--json-key=outlines", sys.argv[2]],
                             capture_output=True, check=True, text=True).stdout
        import json
        print(len(json.loads(out)["outlines"]))
        return 0
    text = norm(text_of(sys.argv[2]))
    pos = 0
    bad = 0
    for f, title, last in parts(sys.argv[3]):
        t = norm(markdown_plain(title))
        i = text.find(t, pos)
        if i < 0:
            print(f"{f}: title not found after position {pos}: {t!r}")
            bad += 1
            continue
        words = norm(markdown_plain(last)).split()
        tail = " ".join(words[-12:])
        j = text.find(tail, i)
        if j < 0:
            print(f"{f}: last paragraph not found after its title: {tail!r}")
            bad += 1
            continue
        pos = j
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
