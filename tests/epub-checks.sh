#!/bin/sh
# tests/epub-checks.sh - the EPUB edition, end to end, under real validators
# and real reading software. Run by tests/run.sh with OCTAVO (the octavo
# binary to test) and ROOT (the repository) set; by hand:
#
#   OCTAVO=bin/octavo ROOT=. sh tests/epub-checks.sh
#
# Prints one line per check, "ok   ", "FAIL " or "skip " and what it is;
# details follow failures, indented. A check whose tool cannot run here
# (no network for npm, no root for apt-get) says "skip" and why: it never
# passes silently.
#
#   epubcheck        0 errors, 0 warnings
#   xmllint          every XHTML, OPF, NCX and SVG file is well-formed
#   package          zip order and compression, cover, landmarks, languages,
#                    no scripts
#   footnotes        every noteref finds its aside in the same file, and the
#                    aside's backlink finds the noteref
#   page-list        one entry per page of the PDF, each at its marker
#   reproducible     two builds with SOURCE_DATE_EPOCH set are byte-identical
#   ace              Ace by DAISY (npm @daisy/ace-cli, headless Chromium):
#                    0 violations
#   calibre          ebook-convert to text keeps the whole book in order
#
# Ace is installed once into $OCTAVO_ACE_DIR (default ~/.cache/octavo-ace),
# outside the repository; later runs reuse it. ACE_VERSION pins it.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"
ACE_VERSION=${ACE_VERSION:-1.4.6}
ACE_DIR=${OCTAVO_ACE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/octavo-ace}
CHROMIUM=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}

# apt_install PKG: installs a Debian package as root or through sudo -n,
# updating the package lists once if the package is unknown. Quiet; the
# log stays in $T. Returns non-zero when it cannot.
apt_install() {
	if [ "$(id -u)" = 0 ]; then SUDO=""
	elif have sudo && sudo -n true 2>/dev/null; then SUDO="sudo -n"
	else return 1; fi
	have apt-get || return 1
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get install -y -q --no-install-recommends "$1" >"$T/apt-$1.log" 2>&1 && return 0
	$SUDO apt-get update -q >>"$T/apt-$1.log" 2>&1 &&
		$SUDO apt-get install -y -q --no-install-recommends "$1" >>"$T/apt-$1.log" 2>&1
}

# --- the edition --------------------------------------------------------------
E=$T/edition
if ! out=$("$OCTAVO" build "$ROOT/manuscript" -o "$E" 2>&1); then
	no "epub: octavo build manuscript" "$out"
	exit 0
fi
EPUB=$(find "$E" -maxdepth 1 -name "*.epub" | head -1)
PDF=$(find "$E" -maxdepth 1 -name "*.pdf" | head -1)
if [ -z "$EPUB" ]; then no "epub: the build wrote no EPUB" "$(ls "$E")"; exit 0; fi
X=$T/x
mkdir -p "$X" && (cd "$X" && unzip -q "$EPUB")

# --- epubcheck ----------------------------------------------------------------
if [ -f /usr/bin/epubcheck ] && have java; then
	java -jar /usr/bin/epubcheck "$EPUB" >"$T/epubcheck.txt" 2>&1
	if grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$T/epubcheck.txt"; then
		ok "epubcheck: 0 errors, 0 warnings ($(java -jar /usr/bin/epubcheck --version 2>&1 | head -1))"
	else
		no "epubcheck: errors or warnings" "$(grep -E '^(ERROR|WARNING|FATAL)|^Messages' "$T/epubcheck.txt")"
	fi
else
	skip "epubcheck: not installed (Debian package epubcheck)"
fi

# --- well-formed XML ----------------------------------------------------------
if have xmllint; then
	files=$(find "$X" -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' -o -name '*.svg' | sort)
	n=$(printf '%s\n' "$files" | grep -c .)
	# shellcheck disable=SC2086
	if out=$(xmllint --noout $files 2>&1); then
		ok "xmllint: all $n XHTML, OPF, NCX and SVG files are well-formed"
	else
		no "xmllint: malformed XML" "$out"
	fi
else
	skip "xmllint: not installed (Debian package libxml2-utils)"
fi

# --- structure: package, footnotes, page list ---------------------------------
# One Python script, so the checks share one parse of the files.
cat >"$T/check.py" <<'PY'
import os, re, subprocess, sys, zipfile
import xml.etree.ElementTree as ET

what, epub, x = sys.argv[1], sys.argv[2], sys.argv[3]
H = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}type"
XL = "{http://www.w3.org/XML/1998/namespace}lang"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
problems = []

def types(el):
    return (el.get(OPS) or "").split()

def docs():
    for d, _, fs in os.walk(x):
        for f in sorted(fs):
            if f.endswith(".xhtml"):
                p = os.path.join(d, f)
                yield os.path.relpath(p, x), ET.parse(p).getroot()

def package():
    z = zipfile.ZipFile(epub)
    infos = z.infolist()
    if infos[0].filename != "mimetype" or infos[0].compress_type != zipfile.ZIP_STORED:
        problems.append("mimetype is not the first entry, stored")
    for i in infos[1:]:
        # pictures already compressed are stored; everything else deflated
        picture = i.filename.lower().endswith((".png", ".jpg", ".jpeg", ".gif"))
        want = zipfile.ZIP_STORED if picture else zipfile.ZIP_DEFLATED
        if i.compress_type != want:
            problems.append(f"{i.filename} is not {'stored' if picture else 'deflated'}")
    opf_path = os.path.join(x, "OEBPS", "content.opf")
    opf = ET.parse(opf_path).getroot()
    lang = opf.find(f"{OPF}metadata/{DC}language").text
    items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
    covers = [i for i in items.values() if "cover-image" in (i.get("properties") or "").split()]
    if len(covers) != 1:
        problems.append(f"{len(covers)} manifest items have properties=\"cover-image\"")
    spine = [r.get("idref") for r in opf.iter(f"{OPF}itemref")]
    first = os.path.join(x, "OEBPS", items[spine[0]].get("href"))
    if not any("cover" in types(e) for e in ET.parse(first).getroot().iter()):
        problems.append(f"the first spine item, {items[spine[0]].get('href')}, is no cover page")
    nav = ET.parse(os.path.join(x, "OEBPS", "nav.xhtml")).getroot()
    marks = set()
    for n in nav.iter(f"{H}nav"):
        if "landmarks" in types(n):
            marks = {t for a in n.iter(f"{H}a") for t in types(a)}
    for want in ("cover", "toc", "bodymatter", "copyright-page"):
        if want not in marks:
            problems.append(f"the landmarks have no {want}")
    for name, root in docs():
        if root.get(XL) != lang or root.get("lang") != lang:
            problems.append(f"{name}: xml:lang/lang are not the book's language {lang}")
        if root.find(f".//{H}script") is not None:
            problems.append(f"{name}: has a <script>")
    return f"mimetype first and stored, {len(infos) - 1} files deflated, cover first, landmarks, language {lang}"

def footnotes():
    refs = notes = 0
    for name, root in docs():
        ids = {e.get("id"): e for e in root.iter() if e.get("id")}
        for a in root.iter(f"{H}a"):
            if "noteref" not in types(a):
                continue
            refs += 1
            href = a.get("href") or ""
            target = ids.get(href[1:]) if href.startswith("#") else None
            if target is None or target.tag != f"{H}aside" or "footnote" not in types(target):
                problems.append(f"{name}: noteref {href} finds no footnote aside in the file")
                continue
            if target.get("hidden") is not None:
                problems.append(f"{name}: footnote {href} is hidden (Apple Books will not pop it up)")
            if a.get("role") != "doc-noteref" or target.get("role") != "doc-footnote":
                problems.append(f"{name}: noteref {href} or its aside lacks its ARIA role")
        for aside in root.iter(f"{H}aside"):
            if "footnote" not in types(aside):
                continue
            notes += 1
            backs = [a for a in aside.iter(f"{H}a") if a.get("role") == "doc-backlink"]
            if not backs:
                problems.append(f"{name}: footnote #{aside.get('id')} has no backlink")
            for b in backs:
                ref = ids.get((b.get("href") or "#")[1:])
                if ref is None or "noteref" not in types(ref) or ref.get("href") != "#" + aside.get("id"):
                    problems.append(f"{name}: the backlink of #{aside.get('id')} does not return to its noteref")
    if refs == 0:
        problems.append("the book has no footnote references: nothing was checked")
    return f"{refs} noterefs and {notes} notes, all linked both ways"

def page_list():
    nav = ET.parse(os.path.join(x, "OEBPS", "nav.xhtml")).getroot()
    pl = [n for n in nav.iter(f"{H}nav") if "page-list" in types(n)]
    if not pl:
        print("none")
        sys.exit(3)
    entries = [a.get("href") for a in pl[0].iter(f"{H}a")]
    pdf = sys.argv[4]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    if len(entries) != pages:
        problems.append(f"the page list has {len(entries)} entries; the PDF has {pages} pages")
    cache = {}
    for href in entries:
        f, _, frag = href.partition("#")
        if f not in cache:
            cache[f] = {e.get("id"): e for e in ET.parse(os.path.join(x, "OEBPS", f)).getroot().iter()}
        el = cache[f].get(frag)
        if el is None or "pagebreak" not in types(el) or el.get("role") != "doc-pagebreak" \
                or not el.get("aria-label"):
            problems.append(f"page-list entry {href} finds no labelled pagebreak marker")
    ncx = open(os.path.join(x, "OEBPS", "toc.ncx"), encoding="utf-8").read()
    if ncx.count("<pageTarget ") != len(entries):
        problems.append("the NCX's pageList differs from the nav's page list")
    return f"{len(entries)} entries for {pages} PDF pages, each at its marker, NCX pageList too"

try:
    summary = {"package": package, "footnotes": footnotes, "page-list": page_list}[what]()
except Exception as ex:  # a missing file or element is a failure, not a crash
    problems.append(f"{type(ex).__name__}: {ex}")
    summary = ""
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(summary)
PY

if have python3; then
	if out=$(python3 "$T/check.py" package "$EPUB" "$X" 2>&1); then ok "package: $out"
	else no "package: structure" "$out"; fi
	if out=$(python3 "$T/check.py" footnotes "$EPUB" "$X" 2>&1); then ok "footnotes: $out"
	else no "footnotes: pop-up notes" "$out"; fi
	out=$(python3 "$T/check.py" page-list "$EPUB" "$X" "$PDF" 2>&1)
	case $? in
	0) ok "page-list: $out" ;;
	3) skip "page-list: the print layout passes no page marks yet" ;;
	*) no "page-list: one entry per printed page" "$out" ;;
	esac
else
	skip "package, footnotes, page-list: python3 not installed"
fi

# --- reproducible -------------------------------------------------------------
# The reason goes on the FAIL line itself: run.sh shows only that line.
R1=$T/r1/$(basename "$EPUB") R2=$T/r2/$(basename "$EPUB")
if ! out=$(SOURCE_DATE_EPOCH=1700000000 "$OCTAVO" build "$ROOT/manuscript" -o "$T/r1" 2>&1) ||
	! out=$(SOURCE_DATE_EPOCH=1700000000 "$OCTAVO" build "$ROOT/manuscript" -o "$T/r2" 2>&1); then
	no "reproducible: a build with SOURCE_DATE_EPOCH failed: $(printf '%s\n' "$out" | grep -m1 error)" "$out"
elif ! out=$(cmp "$R1" "$R2" 2>&1); then
	no "reproducible: two EPUB builds with SOURCE_DATE_EPOCH differ: $out" \
		"$( (cd "$T" && mkdir u1 u2 && cd u1 && unzip -q "$R1" && cd ../u2 && unzip -q "$R2" &&
			cd .. && diff -r u1 u2) 2>&1)"
else
	ok "reproducible: two EPUB builds with SOURCE_DATE_EPOCH are byte-identical"
fi

# --- Ace by DAISY -------------------------------------------------------------
# ace_ready: makes $ACE a usable ace-cli of ACE_VERSION, installing it into
# ACE_DIR when missing, or prints why it cannot.
ACE=$ACE_DIR/node_modules/.bin/ace-cli
ace_ready() {
	pkg=$ACE_DIR/node_modules/@daisy/ace-cli/package.json
	if [ -x "$ACE" ] && grep -q "\"version\": \"$ACE_VERSION\"" "$pkg" 2>/dev/null; then
		return 0
	fi
	have npm || { echo "npm not installed (Debian package npm)"; return 1; }
	mkdir -p "$ACE_DIR" || { echo "cannot create $ACE_DIR"; return 1; }
	# Chromium comes from Debian; puppeteer must not fetch its own.
	if ! PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
		timeout 900 npm install --prefix "$ACE_DIR" --no-audit --no-fund --loglevel=error \
		"@daisy/ace-cli@$ACE_VERSION" >"$T/npm.log" 2>&1; then
		echo "npm install @daisy/ace-cli@$ACE_VERSION failed: $(grep -m1 -E 'ERR|error' "$T/npm.log")"
		return 1
	fi
	[ -x "$ACE" ] || { echo "npm installed no ace-cli"; return 1; }
}
if ! have python3; then
	skip "ace: python3 not installed (to read Ace's report)"
elif ! why=$(ace_ready); then
	skip "ace: $why"
elif [ ! -x "$CHROMIUM" ] && ! apt_install chromium; then
	skip "ace: no Chromium at $CHROMIUM and it cannot be installed (Debian package chromium)"
else
	# ace's puppeteer runner always launches Chromium with --no-sandbox
	# (so it runs as root); PUPPETEER_EXECUTABLE_PATH points it at Debian's.
	PUPPETEER_EXECUTABLE_PATH=$CHROMIUM timeout 600 "$ACE" -f -s -o "$T/ace" "$EPUB" \
		>"$T/ace.log" 2>&1
	rc=$?
	if [ ! -f "$T/ace/report.json" ]; then
		skip "ace: ace-cli wrote no report (exit $rc): $(grep -m1 -iE 'error' "$T/ace.log")"
	elif out=$(python3 - "$T/ace/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
v = [(a["earl:testSubject"]["url"], x["earl:test"]["earl:impact"], x["earl:test"]["dct:title"])
     for a in r.get("assertions", []) for x in a.get("assertions", [])]
for url, impact, rule in v:
    print(f"{impact} {rule} in {url}")
print(f"{len(v)} violations, outcome {r['earl:result']['earl:outcome']}")
sys.exit(1 if v else 0)
PY
	); then
		ok "ace: $out (Ace $ACE_VERSION)"
	else
		no "ace: Ace by DAISY reports violations" "$out"
	fi
fi

# --- Calibre ------------------------------------------------------------------
# Every part's title, then the first and last words of its text, in book
# order: the nav's list of titles cannot pass for the book.
if ! have ebook-convert && ! apt_install calibre; then
	skip "calibre: ebook-convert missing and cannot be installed (Debian package calibre)"
elif ! timeout 600 ebook-convert "$EPUB" "$T/book.txt" >"$T/calibre.log" 2>&1; then
	no "calibre: ebook-convert failed" "$(tail -5 "$T/calibre.log")"
elif out=$(python3 - "$ROOT/manuscript" "$T/book.txt" <<'PY'
import re, sys, unicodedata
msdir, txt = sys.argv[1], sys.argv[2]

def words(s):
    s = unicodedata.normalize("NFKC", s).lower()
    s = re.sub(r"[\u2018\u2019'\u201c\u201d\"]", "", s)
    return re.findall(r"\w+", s)

def plain(md):
    md = re.sub(r"\[\^[^\]]*\]", "", md)
    md = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", md)
    return md

book = open(f"{msdir}/book.yaml", encoding="utf-8").read()
files = re.findall(r"^\s*-\s+(?:file:\s*)?([\w./-]+\.md)\s*$", book, re.M)
text = words(open(txt, encoding="utf-8").read())

def find(seq, start):
    n = len(seq)
    for i in range(start, len(text) - n + 1):
        if text[i:i + n] == seq:
            return i + n
    return -1

pos, bad = 0, []
for f in files:
    src = open(f"{msdir}/{f}", encoding="utf-8").read()
    title = re.search(r'^title:\s*"?(.*?)"?\s*$', src, re.M).group(1)
    body = src.split("\n---\n", 1)[1]
    paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()
             and not p.lstrip().startswith(("[^", "#", ">", "-", "|", "!", "`"))
             and not re.match(r"\s*\d+\.", p)]
    for what, seq in (("title", words(title)), ("opening", words(plain(paras[0]))[:8]),
                      ("ending", words(plain(paras[-1]))[-8:])):
        at = find(seq, pos)
        if at < 0:
            bad.append(f"{f}: its {what} '{' '.join(seq)}' is missing or out of order")
            break
        pos = at
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"all {len(files)} parts' titles, openings and endings in order")
PY
); then
	ok "calibre: ebook-convert to text: $out"
else
	no "calibre: the text is not the whole book in order" "$out"
fi
