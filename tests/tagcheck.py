#!/usr/bin/env python3
"""Checks on a tagged PDF (PDF/UA-1), from qpdf's JSON and poppler's pdfinfo.

  tagcheck.py matterhorn PDF     one result line per Matterhorn 1.1 failure
                                 condition covered (tests/matterhorn.md lists them)
  tagcheck.py mcids PDF          every MCID of every page is reached from the
                                 parent tree, by exactly one element
  tagcheck.py words PDF MSDIR    pdfinfo -struct-text holds every word of each
                                 part once, in reading order, notes after the
                                 paragraph citing them
  tagcheck.py artifacts PDF      artifacts' text is only running heads, folios,
                                 leaders and hyphens
  tagcheck.py attrs PDF          prints the elements' Alt, ActualText and ID, and
                                 the annotations' Contents
  tagcheck.py untagged PDF       the PDF has no structure tree and no marked content

Result lines are the suites' ("ok   NAME", "FAIL NAME"); the exit status is
the number of failures (at most 100).
"""
import base64
import json
import re
import subprocess
import sys
import unicodedata

FAILS = 0


def result(name, good, why=""):
    global FAILS
    if good:
        print(f"ok   {name}")
    else:
        FAILS += 1
        print(f"FAIL {name}")
        if why:
            for line in str(why).splitlines()[:20]:
                print(f"     {line}")


# === the PDF as qpdf sees it ==================================================

class Pdf:
    def __init__(self, path):
        out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                              "--decode-level=all", path, "-"],
                             capture_output=True, check=True).stdout
        j = json.loads(out)
        self.objs = j["qpdf"][1]
        self.root = self.get(self.objs["trailer"]["value"]["/Root"])
        self.page_refs = [p["object"] for p in j["pages"]]

    def obj(self, ref):
        o = self.objs.get("obj:" + ref)
        if o is None:
            return None
        return o["stream"]["dict"] if "stream" in o else o["value"]

    def get(self, v):
        """Follows a reference."""
        if isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
            return self.obj(v)
        return v

    def data(self, ref):
        o = self.objs.get("obj:" + ref)
        return base64.b64decode(o["stream"]["data"]) if o and "stream" in o else b""

    def contents(self, page_ref):
        c = self.obj(page_ref).get("/Contents")
        refs = c if isinstance(c, list) else [c]
        return b"\n".join(self.data(r) for r in refs if r)


def text(v):
    """A PDF string from qpdf's JSON: u:text or b:hex."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        if b[:2] == b"\xfe\xff":
            return b[2:].decode("utf-16-be", "replace")
        return b.decode("latin-1")
    return None


# === content streams ==========================================================

TOKEN = re.compile(rb"""\s*(?:
    (?P<str>\() |
    (?P<hex><[0-9A-Fa-f\s]*>) |
    (?P<dict><<|>>) |
    (?P<arr>[\[\]]) |
    (?P<name>/[^\s/\[\]()<>{}%]*) |
    (?P<num>[+-]?(?:\d+\.?\d*|\.\d+)) |
    (?P<op>[A-Za-z'"*][A-Za-z0-9'"*]*) |
    (?P<comment>%[^\n]*)
)""", re.X)


def tokens(data):
    """(kind, value) pairs of a content stream; strings as bytes."""
    i, n = 0, len(data)
    while i < n:
        m = TOKEN.match(data, i)
        if not m or m.end() == i:
            if data[i:i + 1].isspace():
                i += 1
                continue
            raise ValueError(f"cannot read content at {i}: {data[i:i+20]!r}")
        i = m.end()
        kind = m.lastgroup
        if kind == "str":
            depth, out = 1, bytearray()
            while depth:
                c = data[i]
                i += 1
                if c == 0x5C:  # backslash
                    e = data[i]
                    i += 1
                    esc = {0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}
                    if e in esc:
                        out.append(esc[e])
                    elif 0x30 <= e <= 0x37:
                        o = chr(e)
                        while len(o) < 3 and 0x30 <= data[i] <= 0x37:
                            o += chr(data[i])
                            i += 1
                        out.append(int(o, 8) & 255)
                    elif e in (10, 13):
                        pass
                    else:
                        out.append(e)
                    continue
                if c == 0x28:
                    depth += 1
                elif c == 0x29:
                    depth -= 1
                    if not depth:
                        break
                out.append(c)
            yield "str", bytes(out)
        elif kind == "hex":
            yield "str", bytes.fromhex(re.sub(rb"\s", b"", m.group(kind)[1:-1]).decode())
        elif kind != "comment":
            yield kind, m.group(kind)


PAINT = {b"Tj", b"TJ", b"'", b'"', b"Do", b"f", b"F", b"f*", b"S", b"s", b"B", b"B*",
         b"b", b"b*", b"sh", b"BI"}


def marked(data):
    """Walks a content stream: yields (op, operands, stack) for every
    operator, stack being the open marked-content sequences as
    (tag, mcid or None)."""
    stack, operands = [], []
    for kind, v in tokens(data):
        if kind in ("op",):
            if v == b"BDC" or v == b"BMC":
                tag = operands[0] if operands else b"?"
                mcid = None
                if v == b"BDC":
                    # /Tag <</MCID n>> : find MCID in the dict tokens
                    for k in range(len(operands) - 1):
                        if operands[k] == b"/MCID":
                            mcid = int(operands[k + 1])
                stack.append((tag, mcid))
            elif v == b"EMC":
                if stack:
                    stack.pop()
            yield v, operands, list(stack)
            operands = []
        else:
            operands.append(v)


# === the structure tree =======================================================

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note
Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form""".split())


class Tree:
    def __init__(self, pdf):
        self.pdf = pdf
        self.root = pdf.get(pdf.root.get("/StructTreeRoot"))
        self.elems = []  # (ref, dict, type, depth), in document order
        self.mcrs = []   # (elem ref, page ref, mcid)
        self.objrs = []  # (elem ref, annot ref)
        if self.root:
            k = self.root.get("/K")
            for kid in (k if isinstance(k, list) else [k]):
                self.walk(kid, 0, None)

    def walk(self, ref, depth, parent_pg):
        e = self.pdf.get(ref)
        if not isinstance(e, dict):
            return
        s = e.get("/S", "?")[1:]
        self.elems.append((ref, e, s, depth))
        pg = e.get("/Pg", parent_pg)
        k = e.get("/K")
        for kid in (k if isinstance(k, list) else [] if k is None else [k]):
            if isinstance(kid, int):
                self.mcrs.append((ref, pg, kid))
                continue
            d = self.pdf.get(kid)
            if isinstance(d, dict) and d.get("/Type") == "/MCR":
                self.mcrs.append((ref, d.get("/Pg", pg), d["/MCID"]))
            elif isinstance(d, dict) and d.get("/Type") == "/OBJR":
                self.objrs.append((ref, d["/Obj"]))
            else:
                self.walk(kid, depth + 1, pg)

    def kids(self, ref):
        e = self.pdf.get(ref)
        k = e.get("/K")
        out = []
        for kid in (k if isinstance(k, list) else [] if k is None else [k]):
            d = self.pdf.get(kid)
            if isinstance(d, dict) and d.get("/Type") == "/StructElem":
                out.append(d.get("/S", "?")[1:])
        return out


def number_tree(pdf, node, out):
    node = pdf.get(node)
    nums = node.get("/Nums", [])
    for i in range(0, len(nums), 2):
        out[nums[i]] = nums[i + 1]
    for kid in node.get("/Kids", []):
        number_tree(pdf, kid, out)
    return out


def page_mcids(pdf):
    """Per page ref: the MCIDs its content marks, in order."""
    res = {}
    for p in pdf.page_refs:
        res[p] = [st[-1][1] for op, _, st in marked(pdf.contents(p))
                  if op in (b"BDC",) and st and st[-1][1] is not None]
    return res


def cmd_mcids(path):
    pdf = Pdf(path)
    tree = Tree(pdf)
    pt = number_tree(pdf, tree.root["/ParentTree"], {}) if tree.root else {}
    marks = page_mcids(pdf)
    bad = []
    owner = {}
    for ref, pg, mcid in tree.mcrs:
        if (pg, mcid) in owner:
            bad.append(f"MCID {mcid} on {pg} held by {owner[(pg, mcid)]} and {ref}")
        owner[(pg, mcid)] = ref
        if mcid not in marks.get(pg, []):
            bad.append(f"element {ref} holds MCID {mcid} that page {pg} does not mark")
    total = 0
    for p, ids in marks.items():
        total += len(ids)
        if len(set(ids)) != len(ids):
            bad.append(f"page {p} marks an MCID twice")
        if not ids:
            continue
        key = pdf.obj(p).get("/StructParents")
        arr = pdf.get(pt.get(key)) if key is not None else None
        if arr is None:
            bad.append(f"page {p}: no parent tree entry (StructParents {key})")
            continue
        for m in ids:
            if m >= len(arr) or owner.get((p, m)) != arr[m]:
                bad.append(f"page {p} MCID {m}: parent tree says {arr[m] if m < len(arr) else None},"
                           f" the tree {owner.get((p, m))}")
    nk = tree.root.get("/ParentTreeNextKey") if tree.root else None
    if pt and (nk is None or nk <= max(pt)):
        bad.append(f"ParentTreeNextKey {nk} not above every key ({max(pt)})")
    result(f"every MCID ({total}) reached from the parent tree by exactly one element",
           total > 0 and not bad, "\n".join(bad[:20]) or "no MCIDs")


# === Matterhorn ===============================================================

def fonts_of(pdf):
    """Every font dictionary the pages' resources name: {name: dict}."""
    seen = {}
    for p in pdf.page_refs:
        res = pdf.get(pdf.obj(p).get("/Resources", {}))
        for name, ref in pdf.get(res.get("/Font", {})).items():
            seen[ref] = pdf.get(ref)
    return seen


def tounicode_codes(pdf, font):
    ref = font.get("/ToUnicode")
    if not ref:
        return set()
    cmap = pdf.data(ref).decode("latin-1")
    codes = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes.add(int(src, 16))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes.update(range(int(a, 16), int(b, 16) + 1))
    return codes


def cmd_matterhorn(path):
    pdf = Pdf(path)
    cat = pdf.root
    tree = Tree(pdf)
    mark = pdf.get(cat.get("/MarkInfo", {})) or {}

    # 01: content marked or artifact, never one inside the other
    nested_art, nested_tag, bare = [], [], []
    for p in pdf.page_refs:
        for op, _, st in marked(pdf.contents(p)):
            if op in (b"BDC", b"BMC") and len(st) > 1:
                outer, inner = st[:-1], st[-1]
                if inner[0] == b"/Artifact" and any(m is not None for _, m in outer):
                    nested_art.append(p)
                if inner[1] is not None and any(t == b"/Artifact" for t, _ in outer):
                    nested_tag.append(p)
            if op in PAINT:
                if not any(t == b"/Artifact" or m is not None for t, m in st):
                    bare.append((p, op.decode()))
    result("matterhorn 01-003: no artifact inside tagged content", not nested_art, nested_art[:5])
    result("matterhorn 01-004: no tagged content inside an artifact", not nested_tag,
           nested_tag[:5])
    result("matterhorn 01-005: all content tagged or an artifact", not bare, bare[:10])
    result("matterhorn 01-007: MarkInfo /Marked true, no /Suspects true",
           mark.get("/Marked") is True and mark.get("/Suspects") is not True, mark)

    # 02: role map
    rm = pdf.get(tree.root.get("/RoleMap", {})) if tree.root else {}
    rm = {k[1:]: v[1:] for k, v in (rm or {}).items()}
    unmapped, circular = [], []
    for _, _, s, _ in tree.elems:
        t, seen = s, set()
        while t not in STANDARD and t in rm and t not in seen:
            seen.add(t)
            t = rm[t]
        if t in seen:
            circular.append(s)
        elif t not in STANDARD:
            unmapped.append(s)
    result("matterhorn 02-001: every structure type standard or mapped to one",
           tree.root is not None and not unmapped, sorted(set(unmapped)))
    result("matterhorn 02-003: no circular role mapping", not circular, circular)
    result("matterhorn 02-004: no standard type remapped",
           not [k for k in rm if k in STANDARD], rm)

    # 06, 07: metadata and viewer preferences
    xmp = pdf.data(cat["/Metadata"]).decode("utf-8", "replace") if "/Metadata" in cat else ""
    result("matterhorn 06-001: an XMP metadata stream", bool(xmp))
    result("matterhorn 06-002: XMP has the PDF/UA identifier (pdfuaid:part 1)",
           re.search(r"<pdfuaid:part>\s*1\s*</pdfuaid:part>|pdfuaid:part=\"1\"", xmp) is not None)
    result("matterhorn 06-003: XMP has a dc:title",
           re.search(r"<dc:title>.*?<rdf:li[^>]*>[^<]+</rdf:li>", xmp, re.S) is not None)
    vp = pdf.get(cat.get("/ViewerPreferences", {})) or {}
    result("matterhorn 07-001: ViewerPreferences has DisplayDocTitle", "/DisplayDocTitle" in vp)
    result("matterhorn 07-002: DisplayDocTitle is true", vp.get("/DisplayDocTitle") is True)

    # 09: tables, lists, contents as ISO 32000-1 tables 333, 336, 337 have them
    parent = {}
    for ref, e, s, _ in tree.elems:
        for kid in tree.kids(ref):
            pass
        p = pdf.get(e.get("/P"))
        parent[ref] = (p.get("/S", "?")[1:] if isinstance(p, dict) else "?")
    bad9 = {"table": [], "list": [], "toc": []}
    allowed = {
        "Table": ("table", {"TR", "THead", "TBody", "TFoot", "Caption"}),
        "THead": ("table", {"TR"}), "TBody": ("table", {"TR"}), "TFoot": ("table", {"TR"}),
        "TR": ("table", {"TH", "TD"}),
        "L": ("list", {"LI", "L", "Caption"}), "LI": ("list", {"Lbl", "LBody"}),
        "TOC": ("toc", {"TOCI", "TOC", "Caption"}),
    }
    must_parent = {"TR": ("table", {"Table", "THead", "TBody", "TFoot"}),
                   "TH": ("table", {"TR"}), "TD": ("table", {"TR"}),
                   "LI": ("list", {"L"}), "Lbl": ("list", {"LI", "Note", "BibEntry"}),
                   "LBody": ("list", {"LI"}), "TOCI": ("toc", {"TOC"})}
    for ref, e, s, _ in tree.elems:
        if s in allowed:
            group, ok = allowed[s]
            for k in tree.kids(ref):
                if k not in ok:
                    bad9[group].append(f"{s} holds {k}")
        if s in must_parent:
            group, ok = must_parent[s]
            if parent[ref] not in ok:
                bad9[group].append(f"{s} in {parent[ref]}")
    result("matterhorn 09-004: table elements as ISO 32000-1 table 337", not bad9["table"],
           bad9["table"][:5])
    result("matterhorn 09-005: list elements as ISO 32000-1 table 336", not bad9["list"],
           bad9["list"][:5])
    result("matterhorn 09-006: TOC elements as ISO 32000-1 table 333", not bad9["toc"],
           bad9["toc"][:5])

    # 10-001: every character code maps to Unicode
    fonts = fonts_of(pdf)
    names = {}
    for p in pdf.page_refs:
        res = pdf.get(pdf.obj(p).get("/Resources", {}))
        for name, ref in pdf.get(res.get("/Font", {})).items():
            names[name.encode()] = ref
    maps = {ref: tounicode_codes(pdf, f) for ref, f in fonts.items()}
    unmapped = set()
    for p in pdf.page_refs:
        cur = None
        for kind, v in tokens(pdf.contents(p)):
            if kind == "name" and v in names:
                cur = names[v]
            if kind == "str" and cur:
                for i in range(0, len(v) - 1, 2):
                    code = v[i] << 8 | v[i + 1]
                    if code not in maps[cur]:
                        unmapped.add((cur, code))
    result("matterhorn 10-001: every character code maps to Unicode (ToUnicode)",
           not unmapped, sorted(unmapped)[:10])

    # 11: natural language
    lang = text(cat.get("/Lang"))
    good_lang = lang is not None and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang)
    result("matterhorn 11-001: the language of the text is known (catalog /Lang)",
           bool(good_lang), lang)
    result("matterhorn 11-006: the language of the metadata is known",
           bool(good_lang) and re.search(r'xml:lang="[A-Za-z]', xmp) is not None)

    # 13-004: figures have alternative text
    figs = [(ref, text(e.get("/Alt")) or text(e.get("/ActualText")))
            for ref, e, s, _ in tree.elems if s == "Figure"]
    result(f"matterhorn 13-004: every Figure ({len(figs)}) has alt text",
           all(a and a.strip() for _, a in figs), [r for r, a in figs if not a][:5])

    # 14: headings
    levels = [int(s[1]) for _, _, s, _ in tree.elems if re.fullmatch(r"H[1-6]", s)]
    plain_h = [s for _, _, s, _ in tree.elems if s == "H"]
    result("matterhorn 14-002: the first heading is H1", levels[:1] == [1], levels[:3])
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    result(f"matterhorn 14-003: no heading level skipped ({len(levels)} headings)",
           levels and not skips, skips[:5])
    result("matterhorn 14-007: numbered headings only, never H beside Hn",
           not (plain_h and levels))

    # 15-003: header cells have a scope
    def scope(e):
        a = pdf.get(e.get("/A"))
        for d in (a if isinstance(a, list) else [a]):
            d = pdf.get(d)
            if isinstance(d, dict) and d.get("/Scope") in ("/Row", "/Column", "/Both"):
                return True
        return False
    ths = [(ref, e) for ref, e, s, _ in tree.elems if s == "TH"]
    result(f"matterhorn 15-003: every TH ({len(ths)}) has a Scope",
           all(scope(e) or "/Headers" in str(e) for _, e in ths),
           [r for r, e in ths if not scope(e)][:5])

    # 19: notes
    ids = [text(e.get("/ID")) for _, e, s, _ in tree.elems if s == "Note"]
    result(f"matterhorn 19-003: every Note ({len(ids)}) has an ID", all(ids))
    result("matterhorn 19-004: Note IDs are unique", len(set(ids)) == len(ids))

    # 28: annotations
    objr_of = {}
    for ref, a in tree.objrs:
        objr_of[a] = ref
    pt = number_tree(pdf, tree.root["/ParentTree"], {}) if tree.root else {}
    no_tabs, no_link, no_contents, nannots = [], [], [], 0
    for p in pdf.page_refs:
        pg = pdf.obj(p)
        annots = pdf.get(pg.get("/Annots", [])) or []
        if annots and pg.get("/Tabs") != "/S":
            no_tabs.append((p, pg.get("/Tabs")))
        for a in annots:
            ad = pdf.get(a)
            if ad.get("/Subtype") != "/Link":
                continue
            nannots += 1
            holder = objr_of.get(a)
            s = pdf.get(holder).get("/S") if holder else None
            if s != "/Link" or pt.get(ad.get("/StructParent")) != holder:
                no_link.append((a, s))
            if not (text(ad.get("/Contents")) or "").strip():
                no_contents.append(a)
    result("matterhorn 28-008: a page with annotations has a Tabs key",
           not [t for t in no_tabs if t[1] is None], no_tabs[:5])
    result("matterhorn 28-009: its Tabs key is S", not no_tabs, no_tabs[:5])
    result(f"matterhorn 28-011: every link annotation ({nannots}) in a Link tag",
           not no_link, no_link[:5])
    result("matterhorn 28-012: every link annotation has Contents", not no_contents,
           no_contents[:5])

    # 31: fonts embedded
    unembedded = []
    for ref, f in fonts.items():
        desc = f
        if f.get("/Subtype") == "/Type0":
            desc = pdf.get(pdf.get(f["/DescendantFonts"])[0])
            if desc.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in desc:
                unembedded.append((ref, "no CIDToGIDMap"))
        fd = pdf.get(desc.get("/FontDescriptor", {})) or {}
        if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            unembedded.append((ref, "not embedded"))
    result(f"matterhorn 31-009: every font ({len(fonts)}) embedded (Type 2 CIDFonts "
           "with a CIDToGIDMap, 31-007)", fonts and not unembedded, unembedded)

    # beyond Matterhorn, as the issue asks: figures have a BBox
    def bbox(e):
        a = pdf.get(e.get("/A"))
        return any(isinstance(pdf.get(d), dict) and "/BBox" in pdf.get(d)
                   for d in (a if isinstance(a, list) else [a]))
    result("every Figure has a /BBox", all(bbox(pdf.get(r)) for r, _ in figs))


# === the words ================================================================

def norm(s):
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"[\u2018\u2019\u201c\u201d'\"]", "", s)
    s = re.sub(r"[\u2013\u2014\u2212-]", " ", s)
    return re.findall(r"\w+", s.lower())


def struct_sects(path):
    """pdfinfo -struct-text's Sects: (body words, note words) each, in order.
    The texts it prints are joined as they are: the spaces between words
    are the PDF's own (a word hyphenated across lines is two texts)."""
    out = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, check=True,
                         text=True).stdout
    sects = []
    note_at = None
    for line in out.splitlines():
        ind = len(line) - len(line.lstrip(" "))
        s = line.strip()
        if ind == 2 and not s.startswith('"'):
            sects.append(["", "", s])
            note_at = None
            continue
        if not sects:
            continue
        if note_at is not None and ind <= note_at and not s.startswith('"'):
            note_at = None
        if s.startswith("Note"):
            note_at = ind
            continue
        if s.startswith('"') and s.endswith('"'):
            sects[-1][1 if note_at is not None else 0] += s[1:-1]
    return [(norm(b), norm(n), s) for b, n, s in sects]


def markdown_words(src):
    """The words a reader meets in one part, from its Markdown: title,
    subtitle, byline and role, then the body with note marks as their
    numbers; and the notes' words, in their numbers' order."""
    fm, body = "", src
    if src.startswith("---\n"):
        fm, body = src[4:].split("\n---\n", 1)
    meta = dict(re.findall(r'^(\w+):\s*"?(.*?)"?\s*$', fm, re.M))
    head = [meta.get(k, "") for k in ("title", "subtitle", "author", "role")]
    # notes: definitions out of the body
    defs = {}
    out_lines = []
    cur = None
    for line in body.split("\n"):
        m = re.match(r"\[\^([^\]]+)\]:\s*(.*)", line)
        if m:
            cur = m.group(1)
            defs[cur] = [m.group(2)]
        elif cur and (line.startswith("    ") or line.startswith("\t")):
            defs[cur].append(line.strip())
        elif cur and not line.strip():
            defs[cur].append("")
        else:
            cur = None
            out_lines.append(line)
    body = "\n".join(out_lines)
    order = []
    for label in re.findall(r"\[\^([^\]]+)\]", body):
        if label not in order:
            order.append(label)
    body = re.sub(r"\[\^([^\]]+)\]", lambda m: f" {order.index(m.group(1)) + 1} ", body)
    if not meta.get("title"):
        m = re.search(r"^# (.*)$", body, re.M)
        if m:
            head[0] = m.group(1)
            body = body.replace(m.group(0), "", 1)

    def plain(t):
        t = re.sub(r'!\[([^\]]*)\]\(([^)\s]*)(?:\s+"([^"]*)")?\)',
                   lambda m: m.group(3) if m.group(3) else m.group(1), t)
        t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
        # spans with attributes ([x]{lang=de}) and fenced divs (::: {lang=fr})
        t = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", t)
        t = re.sub(r"^:::.*$", " ", t, flags=re.M)
        t = re.sub(r"^\s*(#+|>|[-*+]\s|\|?\s*:?-{3,}.*$)", " ", t, flags=re.M)
        t = re.sub(r"^\s*```.*$", " ", t, flags=re.M)
        return t.replace("|", " ")
    notes = []
    for i, label in enumerate(order):
        notes += [str(i + 1)] + norm(plain("\n".join(defs.get(label, []))))
    return norm(" ".join(head)) + norm(plain(body)), notes


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return (f"word {i}: pdf {' '.join(a[max(0, i - 6):i + 6])!r}\n"
                    f"        md  {' '.join(b[max(0, i - 6):i + 6])!r}")
    return f"lengths: pdf {len(a)} words, markdown {len(b)}"


def cmd_words(path, msdir):
    book = open(f"{msdir}/book.yaml", encoding="utf-8").read()
    files = re.findall(r"^\s*-\s+(?:file:\s*)?([\w./-]+\.md)\s*$", book, re.M)
    sects = struct_sects(path)
    # the parts' Sects follow the front matter's, in the book's order (a
    # preface first, as book.yaml lists it)
    parts = sects[len(sects) - len(files):]
    result("a Sect for each part, after the front matter's",
           len(sects) > len(files) and len(parts) == len(files),
           f"{len(sects)} Sects, {len(files)} parts")
    for f, (body, notes, _) in zip(files, parts):
        want_body, want_notes = markdown_words(open(f"{msdir}/{f}", encoding="utf-8").read())
        result(f"{f}: struct text holds every word once, in reading order ({len(want_body)})",
               body == want_body, first_diff(body, want_body))
        if want_notes or notes:
            result(f"{f}: its notes' words, each note after its citing paragraph",
                   notes == want_notes, first_diff(notes, want_notes))


def cmd_attrs(path):
    """Prints each element's type and the text attributes a reader is given
    instead of its content or beside it: Alt, ActualText, ID; and each link
    annotation's Contents."""
    pdf = Pdf(path)
    tree = Tree(pdf)
    for ref, e, s, _ in tree.elems:
        for key in ("/Alt", "/ActualText", "/ID"):
            if key in e:
                print(f"{s} {key[1:]}: {text(e[key])}")
    for p in pdf.page_refs:
        for a in pdf.get(pdf.obj(p).get("/Annots", [])) or []:
            print(f"Annot Contents: {text(pdf.get(a).get('/Contents'))}")


def unicode_maps(pdf):
    """Per font ref: {code: text} from its ToUnicode."""
    maps = {}
    for ref, f in fonts_of(pdf).items():
        cmap = pdf.data(f["/ToUnicode"]).decode("latin-1") if "/ToUnicode" in f else ""
        m = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                m[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
        maps[ref] = m
    return maps


def cmd_artifacts(path):
    """The text drawn as artifacts is only running heads (titles, the
    book's title, authors), folios, leaders and added hyphens."""
    pdf = Pdf(path)
    maps = unicode_maps(pdf)
    out = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, check=True,
                         text=True).stdout
    # what a running head may say: the titles (H1) and the contents'
    # entries (titles and authors), and the book's title
    heads, stack = [], []
    for line in out.splitlines():
        ind = len(line) - len(line.lstrip(" "))
        s = line.strip()
        while stack and stack[-1][0] >= ind:
            stack.pop()
        if s.startswith('"'):
            if any(t in ("H1", "TOCI") for _, t in stack):
                heads.append(s[1:-1])
        else:
            stack.append((ind, s.split(" ")[0].rstrip(":")))
    title = text(pdf.get(pdf.objs["trailer"]["value"]["/Info"]).get("/Title")) or ""
    allowed = set(norm(" ".join(heads) + " " + title))
    stray = []
    nart = 0
    for p in pdf.page_refs:
        res = pdf.get(pdf.obj(p).get("/Resources", {}))
        names = {k.encode(): v for k, v in pdf.get(res.get("/Font", {})).items()}
        cur, stack, buf = None, [], []
        for kind, v in tokens(pdf.contents(p)):
            if kind == "name" and v in names:
                cur = names[v]
            elif kind == "op" and v in (b"BDC", b"BMC"):
                stack.append(bool(buf) and buf[0] == b"/Artifact")
            elif kind == "op" and v == b"EMC":
                if stack:
                    stack.pop()
            elif kind == "str" and cur and stack and stack[-1]:
                t = "".join(maps[cur].get(v[i] << 8 | v[i + 1], "?")
                            for i in range(0, len(v) - 1, 2))
                nart += 1
                for w in norm(t):
                    if w not in allowed and not re.fullmatch(r"[0-9]+|[ivxlc]+", w):
                        stray.append((p, w))
            if kind == "op":
                buf = []
            else:
                buf.append(v)
    result(f"artifacts ({nart} texts) are only running heads, folios, leaders and hyphens",
           not stray, stray[:10])


def cmd_untagged(path):
    pdf = Pdf(path)
    marks = sum(1 for p in pdf.page_refs for op, _, _ in marked(pdf.contents(p))
                if op in (b"BDC", b"BMC"))
    result("untagged: no StructTreeRoot, no MarkInfo, no marked content",
           "/StructTreeRoot" not in pdf.root and "/MarkInfo" not in pdf.root and marks == 0,
           f"{marks} marked-content operators")


def main(argv):
    cmds = {"matterhorn": cmd_matterhorn, "mcids": cmd_mcids, "words": cmd_words,
            "untagged": cmd_untagged, "attrs": cmd_attrs, "artifacts": cmd_artifacts}
    if len(argv) < 3 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    cmds[argv[1]](*argv[2:])
    return min(FAILS, 100)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
