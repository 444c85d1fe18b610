"""pdflinks.py PDF: a PDF's navigation read back through `qpdf --json=2`,
one fact a line, for the suites to grep (book18.sh, book18c.sh):

    outline DEPTH TITLE      each outline entry, depth 0 at the top
    label INDEX S ST         each page-label range: first page (from 0),
                             style (/D, /r...) and starting number
    link FROM TO             each link annotation from page FROM to page
                             TO (numbered from 1)
"""
import json
import subprocess
import sys


def run(path, *keys):
    return json.loads(subprocess.run(["qpdf", "--json=2", *keys, path],
                                     capture_output=True, text=True, check=True).stdout)


def main(path):
    j = run(path, "--json-key=outlines", "--json-key=pagelabels", "--json-key=pages")

    def walk(outline, depth):
        for e in outline:
            print("outline", depth, e["title"])
            walk(e["kids"], depth + 1)

    walk(j["outlines"], 0)
    for label in j["pagelabels"]:
        print("label", label["index"], label["label"].get("/S"), label["label"].get("/St"))
    objs = {k[4:]: v.get("value") for k, v in run(path, "--json-key=qpdf")["qpdf"][1].items()}
    pages = [p["object"] for p in j["pages"]]
    for i, ref in enumerate(pages):
        annots = objs[ref].get("/Annots", [])
        if isinstance(annots, str):
            annots = objs[annots]
        for a in annots:
            a = objs[a] if isinstance(a, str) else a
            d = a.get("/Dest")
            d = objs.get(d) if isinstance(d, str) else d
            if isinstance(d, list) and d and d[0] in pages:
                print("link", i + 1, pages.index(d[0]) + 1)


if __name__ == "__main__":
    main(sys.argv[1])
