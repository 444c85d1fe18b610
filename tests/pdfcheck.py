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


def labels(pdf):
    """Page labels from qpdf's JSON: roman from 1, then decimal from 1."""
    import json
    out = subprocess.run(["qpdf", "--json", "--json-key=pagelabels", pdf],
                         capture_output=True, check=True, text=True).stdout
    pl = json.loads(out)["pagelabels"]
    styles = [(e["index"], e["label"].get("/S"), e["label"].get("/St", 1)) for e in pl]
    ok = len(styles) == 2 and styles[0] == (0, "/r", 1) and styles[1][1] == "/D" \
        and styles[1][2] == 1 and styles[1][0] % 2 == 0
    if not ok:
        print("page labels:", styles)
    return 0 if ok else 1


def rectos(pdf, msdir):
    """Each essay's title appears first on an odd-numbered (arabic) page."""
    import json
    out = subprocess.run(["qpdf", "--json", "--json-key=pagelabels", pdf],
                         capture_output=True, check=True, text=True).stdout
    front = json.loads(out)["pagelabels"][1]["index"]
    bad = 0
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True,
                                                       text=True).stdout).group(1))
    pages = []
    for i in range(front + 1, n + 1):
        t = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-enc", "UTF-8", pdf, "-"],
                           capture_output=True, text=True).stdout
        pages.append(norm(t))
    for f, title, _ in parts(msdir):
        if f.startswith("00-"):
            continue
        t = norm(markdown_plain(title))
        # an essay's opening page has its title near the top, no running head
        hit = [k for k, p in enumerate(pages) if p.startswith(t)]
        if not hit:
            print(f"{f}: no page begins with its title {t!r}")
            bad += 1
        elif (hit[0] + 1) % 2 != 1:
            print(f"{f}: opens on page {hit[0] + 1}, a verso")
            bad += 1
    return 1 if bad else 0


def main():
    if sys.argv[1] == "labels":
        return labels(sys.argv[2])
    if sys.argv[1] == "rectos":
        return rectos(sys.argv[2], sys.argv[3])
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
