#!/usr/bin/env python3
"""report.py - the benchmark's tables, from the files run.sh left.

    report.py RESULTS_DIR

Reads NAME.json (hyperfine's --export-json or harness.py's), NAME.rss (peak
RSS in KB, /usr/bin/time -f %M), NAME.pages, NAME.missing, NAME.failed,
workloads, memory ("NAME BYTES RSS_KB" lines), machine and profile.txt, and prints: the machine, octavo's
times, the peers' times as ratios to octavo, the profile, and each target
with PASS or MISS. Targets are reported, never enforced: the exit status
is 0 whatever they show.
"""
import json
import os
import sys

WORKLOADS = [("one", "single essay"), ("x1", "edition (1x)"),
             ("x10", "edition 10x"), ("x50", "edition 50x")]
MODES = [("pdf", "PDF"), ("epub", "EPUB"), ("both", "PDF+EPUB")]
PEERS = [("pandoc-epub", "pandoc -o X.epub", "epub"),
         ("pandoc-pdflatex", "pandoc -o X.pdf (pdflatex)", "pdf"),
         ("pandoc-xelatex", "pandoc -o X.pdf (xelatex, Charis)", "pdf"),
         ("typst", "typst compile (Charis)", "pdf")]


class Results:
    def __init__(self, folder):
        self.dir = folder

    def path(self, name, ext):
        return os.path.join(self.dir, name + ext)

    def text(self, name, ext):
        try:
            with open(self.path(name, ext)) as f:
                return f.read().strip()
        except OSError:
            return None

    def timing(self, name):
        """hyperfine's result dict, or None."""
        t = self.text(name, ".json")
        return json.loads(t)["results"][0] if t else None

    def status(self, name):
        """'missing: ...', 'failed: ...' or None when measured."""
        for ext in (".missing", ".failed"):
            t = self.text(name, ext)
            if t:
                return t if t.startswith(("missing", "failed")) else "missing: " + t
        return None if self.timing(name) else "not run"

    def rss_mb(self, name):
        t = self.text(name, ".rss")
        try:
            return int(t.split()[-1]) / 1024.0 if t else None
        except ValueError:
            return None

    def pages(self, name):
        t = self.text(name, ".pages")
        return int(t) if t and t.isdigit() else None


def ms(s):
    return "%.1f" % (s * 1000) if s is not None else "-"


def fmt(v, spec):
    return spec % v if v is not None else "-"


def table(head, rows):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = "  ".join("%*s" % (w, h) if i else "%-*s" % (w, h)
                     for i, (w, h) in enumerate(zip(widths, head)))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join("%*s" % (w, c) if i else "%-*s" % (w, c)
                        for i, (w, c) in enumerate(zip(widths, r))))


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    R = Results(argv[1])
    print("== machine")
    print(R.text("machine", "") or "(unknown)")

    workloads = {}
    for line in (R.text("workloads", "") or "").splitlines():
        w, parts, words, _ = line.split(None, 3)
        workloads[w] = (int(parts), int(words))

    print("\n== octavo: wall time (median, min, max of the timed runs after a warm-up),")
    print("   CPU (user+sys, mean), peak RSS, pages of the PDF, pages per second of wall time")
    rows = []
    for w, label in WORKLOADS:
        parts, words = workloads.get(w, (0, 0))
        book_pages = R.pages("octavo-%s-pdf" % w) or R.pages("octavo-%s-both" % w)
        extra = {"x1": [("cold", "PDF+EPUB, empty folder"),
                        ("threads", "PDF+EPUB, threads forced (OCTAVO_JOBS_MIN=0)")],
                 "x10": [("j1", "PDF+EPUB, --jobs 1")]}.get(w, [])
        for mode, mlabel in MODES + extra:
            name = "octavo-%s-%s" % (w, mode)
            st = R.status(name)
            if st:
                rows.append([label, mlabel, parts, words, st, "", "", "", "", "", ""])
                continue
            t = R.timing(name)
            pages = R.pages(name) or book_pages
            rows.append([label, mlabel, parts, words, ms(t["median"]), ms(t["min"]), ms(t["max"]),
                         ms(t["user"] + t["system"]), fmt(R.rss_mb(name), "%.1f"),
                         fmt(pages, "%d"), fmt(pages / t["median"] if pages else None, "%.0f")])
    table(["workload", "output", "parts", "words", "median ms", "min ms", "max ms",
           "CPU ms", "RSS MB", "pages", "pages/s"], rows)

    def median(name):
        t = R.timing(name)
        return t["median"] if t else None

    print("\n== peers on the same manuscript (the edition's 22 parts concatenated);")
    print("   ratio = peer's median / octavo's median for the same output (octavo-x1-pdf or -epub);")
    print("   CPU ratio = the same for user+sys time, steadier on a busy machine")
    rows = []
    for name, label, mode in PEERS:
        st = R.status(name)
        if st:
            rows.append([label, st, "", "", "", "", "", "", "", ""])
            continue
        t = R.timing(name)
        base = median("octavo-x1-%s" % mode)
        o = R.timing("octavo-x1-%s" % mode)
        cpu = t["user"] + t["system"]
        pages = R.pages(name)
        rows.append([label, ms(t["median"]), ms(t["min"]), ms(t["max"]),
                     ms(cpu), fmt(R.rss_mb(name), "%.1f"),
                     fmt(pages, "%d"), fmt(pages / t["median"] if pages else None, "%.0f"),
                     "%.1fx" % (t["median"] / base) if base else "-",
                     "%.1fx" % (cpu / (o["user"] + o["system"])) if o else "-"])
    table(["peer", "median ms", "min ms", "max ms", "CPU ms", "RSS MB", "pages", "pages/s",
           "ratio", "CPU ratio"], rows)

    print("\n== memory: peak RSS of one build (PDF+EPUB), /usr/bin/time -f %M;")
    print("   bytes per input byte = peak RSS / the essay's size in bytes")
    memory = {}
    for line in (R.text("memory", "") or "").splitlines():
        w, size, kb = line.split()
        memory[w] = (int(size), int(kb))
    rows = []
    for w, label in (("essay", "one essay of varied prose"), ("paragraph", "one paragraph")):
        if w in memory:
            size, kb = memory[w]
            rows.append([label, "%.1f" % (size / 1e6), "%.1f" % (kb / 1024.0),
                         "%.1f" % (kb * 1024.0 / size)])
        else:
            rows.append([label, R.text("memory-" + w, ".missing") or
                         R.text("memory-" + w, ".failed") or "not run", "", ""])
    table(["workload", "input MB", "peak RSS MB", "bytes/input byte"], rows)

    print("\n== profile: octavo build (PDF+EPUB) under callgrind, instructions (Ir) by group;")
    print("   inclusive = the group and all it calls, self = its own functions")
    prof = R.text("profile", ".txt")
    print(prof if prof else (R.status("profile") or "not run"))

    print("\n== targets (reported, not enforced)")
    rows = []

    def target(what, value, goal, ok):
        if value is None:
            rows.append([what, goal, "-", "n/a"])
        else:
            rows.append([what, goal, value, "PASS" if ok else "MISS"])

    m = median("octavo-x1-both")
    target("edition, PDF+EPUB, wall", ms(m) + " ms" if m else None, "< 100 ms on %s cores" %
           os.cpu_count(), m is not None and m < 0.100)
    m = median("octavo-x1-cold")
    # A first build: no caches to reuse (the EPUB's cover rendered, every
    # entry deflated). Reported beside the rebuild, no target of its own.
    rows.append(["edition, PDF+EPUB, into an empty folder", "(reported)",
                 ms(m) + " ms" if m else "-", "-"])
    for prof in ("ingramspark", "kdp", "lulu", "offset", "screen"):
        m = median("octavo-x1-profile-" + prof)
        target("edition --profile %s, PDF+EPUB" % prof, ms(m) + " ms" if m else None,
               "< 100 ms", m is not None and m < 0.100)
    for prof in ("kdp", "offset"):
        m = median("octavo-cover-" + prof)
        target("wrap cover --profile %s" % prof, ms(m) + " ms" if m else None,
               "< 50 ms", m is not None and m < 0.050)
    t = R.timing("octavo-node")
    target("Node.js API docs, PDF+EPUB, wall (CPU)",
           "%s ms (CPU %s ms, %s pages)" % (ms(t["median"]), ms(t["user"] + t["system"]),
                                           fmt(R.pages("octavo-node"), "%d")) if t else None,
           "< 1000 ms", t is not None and t["median"] < 1.0)
    m = median("octavo-one-both")
    target("single-essay rebuild, PDF+EPUB", ms(m) + " ms" if m else None, "< 20 ms",
           m is not None and m < 0.020)
    for peer, mode, goal in (("pandoc-pdflatex", "pdf", 20), ("typst", "pdf", 5),
                             ("pandoc-epub", "epub", 10)):
        p, o = median(peer), median("octavo-x1-%s" % mode)
        r = p / o if p and o else None
        label = {"pandoc-pdflatex": "PDF vs pandoc+pdflatex", "typst": "PDF vs Typst",
                 "pandoc-epub": "EPUB vs pandoc"}[peer]
        if r is None:
            rows.append([label, ">= %dx faster" % goal, R.status(peer) or "-", "n/a"])
        else:
            target(label, "%.1fx" % r, ">= %dx faster" % goal, r >= goal)
    a, b = median("octavo-x50-both"), median("octavo-x1-both")
    r = a / b if a and b else None
    target("50x book / 1x book, PDF+EPUB", "%.1fx" % r if r else None, "<= 55x",
           r is not None and r <= 55)
    rss = R.rss_mb("octavo-x50-both")
    target("peak RSS at 50x, PDF+EPUB", "%.1f MB" % rss if rss else None, "< 150 MB",
           rss is not None and rss < 150)
    if "essay" in memory:
        size, kb = memory["essay"]
        bpb = kb * 1024.0 / size
        target("peak RSS per input byte, %.0f MB essay" % (size / 1e6), "%.1f" % bpb, "< 20",
               bpb < 20)
    else:
        rows.append(["peak RSS per input byte, essay", "< 20", "-", "n/a"])
    table(["target", "goal", "measured", "result"], rows)


if __name__ == "__main__":
    main(sys.argv)
