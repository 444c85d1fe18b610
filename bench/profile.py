#!/usr/bin/env python3
"""profile.py - where octavo's instructions go, from callgrind's output.

    profile.py LABEL=callgrind.out [LABEL=callgrind.out ...]

Reads each file valgrind --tool=callgrind wrote (default options: event
Ir, compressed names and positions) and prints one table: for each group
of functions, its inclusive cost (every instruction executed inside the
group or below it, counted once at the calls that enter the group from
outside) and its self cost (instructions in the group's own functions),
each as a share of the whole run.

Functions without a symbol (a library's static functions) are shown by
their offset in the library.

A function belongs to a group by its name's prefix, by the shared object it
lives in (static functions of a library have no exported name), or, for
octavo's own static helpers, by its source file. Inclusive shares overlap
(PDF writing includes the compression libharu calls); self shares add up
to at most 100%.
"""
import re
import sys

# (label, name prefixes, object substrings, source-file substrings[, files
# left out]). octavo's own static helpers are placed by their source file.
GROUPS = [
    ("Markdown (cmark_*)", ("cmark_",), ("libcmark-gfm",), ()),
    ("YAML (yaml_*)", ("yaml_",), ("libyaml",), ()),
    ("shaping (hb_*)", ("hb_",), ("libharfbuzz",), ()),
    ("hyphenation (hnj_*)", ("hnj_",), ("libhyphen",), ()),
    ("line breaking (lb_break)", ("lb_break",), (), ("layout/linebreak.c",)),
    ("page composition (pg_*)", ("pg_",), (), ("src/layout/",), ("layout/linebreak.c",)),
    ("PDF writing (HPDF_*)", ("HPDF_",), ("libhpdf",), ()),
    ("compression (deflate/zlib)", ("deflate", "crc32", "adler32", "compress"), ("libz.so",), ()),
    ("zip (zip_*)", ("zip_", "_zip_"), ("libzip",), ()),
    ("octavo book stage (book_, bk_)", ("book_", "bk_"), (), ("src/book/",)),
    ("octavo text stage (tx_)", ("tx_",), (), ("src/text/",)),
    ("octavo PDF stage (pdf_)", ("pdf_",), (), ("src/pdf/",)),
    ("octavo EPUB stage (epub_)", ("epub_",), (), ("src/epub/",)),
    # Everything runs below libc's and ld.so's entry points: self cost only.
    ("libc: malloc, mem*, str* (self)", (), ("libc.so", "libc-", "vgpreload"), ()),
    ("dynamic loading, ld.so (self)", (), ("ld-linux", "/ld-"), ()),
]
SELF_ONLY = ("(self)",)

NAMED = re.compile(r"^\((\d+)\)(?: (.*))?$")


class Profile:
    def __init__(self, path):
        self.total = 0
        self.func_ob = {}    # function name -> object path
        self.func_fl = {}    # function name -> source file
        self.self_cost = {}  # function name -> Ir
        self.calls = {}      # (caller, callee) -> inclusive Ir of those calls
        self.read(path)

    def read(self, path):
        # Functions are keyed by callgrind's id, not by name: two libraries'
        # nameless functions at one offset have one name but two ids.
        names = {"ob": {}, "fl": {}, "fn": {}}
        ob = fl = fn = cfn = None
        after_calls = False

        def ident(kind, value):
            """The id of a compressed name '(id) name' or '(id)', defining
            it on first sight; uncompressed names are their own id."""
            m = NAMED.match(value)
            if not m:
                names[kind].setdefault(value, value)
                return value
            if m.group(2) is not None:
                names[kind][m.group(1)] = m.group(2)
            return m.group(1)

        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                c = line[0]
                if c.isdigit() or c in "+-*":
                    cost = line.split()
                    ir = int(cost[1]) if len(cost) > 1 else 0
                    if after_calls:
                        key = (fn, cfn)
                        self.calls[key] = self.calls.get(key, 0) + ir
                        after_calls = False
                    else:
                        self.self_cost[fn] = self.self_cost.get(fn, 0) + ir
                    continue
                key, _, value = line.partition("=")
                if key == "ob":
                    ob = names["ob"].get(ident("ob", value))
                elif key == "fl":
                    fl = names["fl"].get(ident("fl", value))
                elif key in ("fi", "fe", "cfi", "cfl"):
                    ident("fl", value)
                elif key == "fn":
                    fn = ident("fn", value)
                    self.func_ob.setdefault(fn, ob)
                    self.func_fl.setdefault(fn, fl)
                elif key == "cob":
                    ident("ob", value)
                elif key == "cfn":
                    cfn = ident("fn", value)
                elif key == "calls":
                    after_calls = True
                elif line.startswith("summary:") or line.startswith("totals:"):
                    self.total = max(self.total, int(line.split()[1]))
        self.func_name = names["fn"]
        if not self.total:
            self.total = sum(self.self_cost.values())

    def member(self, fn, group):
        prefixes, objects, files = group[1:4]
        left_out = group[4] if len(group) > 4 else ()
        fl = self.func_fl.get(fn) or ""
        if any(s in fl for s in left_out):
            return False
        if self.func_name.get(fn, "").startswith(prefixes):
            return True
        ob = self.func_ob.get(fn) or ""
        if any(o in ob for o in objects):
            return True
        return any(s in fl for s in files)

    def costs(self, group):
        """(inclusive, self) Ir of a group."""
        inside = {fn for fn in set(self.self_cost) | {c for _, c in self.calls}
                  if self.member(fn, group)}
        incl = sum(ir for (caller, callee), ir in self.calls.items()
                   if callee in inside and caller not in inside)
        own = sum(self.self_cost.get(fn, 0) for fn in inside)
        return max(incl, own), own


def main(argv):
    runs = []
    for arg in argv[1:]:
        label, _, path = arg.partition("=")
        runs.append((label, Profile(path)))
    if not runs:
        sys.exit(__doc__)
    w = max(len(g[0]) for g in GROUPS)
    head = "%-*s" % (w, "group")
    for label, _ in runs:
        head += "  %20s" % (label + " incl / self")
    print(head)
    print("-" * len(head))
    for g in GROUPS:
        row = "%-*s" % (w, g[0])
        for _, p in runs:
            incl, own = p.costs(g)
            if g[0].endswith(SELF_ONLY):
                row += "  %12s / %5.1f%%" % ("-", 100.0 * own / p.total)
            else:
                row += "  %11.1f%% / %5.1f%%" % (100.0 * incl / p.total, 100.0 * own / p.total)
        print(row)
    print("-" * len(head))
    row = "%-*s" % (w, "total instructions (Ir)")
    for _, p in runs:
        row += "  %20s" % ("{:,}".format(p.total))
    print(row)
    for label, p in runs:
        print("\nfunctions with the most self cost, %s:" % label)
        top = sorted(p.self_cost.items(), key=lambda kv: -kv[1])[:8]
        for fn, ir in top:
            ob = (p.func_ob.get(fn) or "?").rsplit("/", 1)[-1]
            print("  %5.1f%%  %s (%s)" % (100.0 * ir / p.total, p.func_name.get(fn, fn), ob))


if __name__ == "__main__":
    main(sys.argv)
