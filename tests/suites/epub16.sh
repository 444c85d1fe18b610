#!/bin/sh
# tests/suites/epub16.sh - the EPUB's last defects (issue 16, part 2): page
# markers where the print pages begin, the accessibility metadata, font
# subsets that keep small capitals and their licence, smart punctuation of
# the YAML strings, no-break spaces beside spaces, figures' long
# descriptions and frames, nested sections, backlinks, the contents'
# authors and the zip's permissions. Checked on the edition and on small
# books, with epubcheck, xmllint, zipinfo, pdftotext and Ace by DAISY.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"
ACE=${OCTAVO_ACE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/octavo-ace}/node_modules/.bin/ace-cli
CHROMIUM=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}

E=$T/edition
if ! expect 0 "epub16: octavo build manuscript" "$OCTAVO" build "$ROOT/manuscript" -o "$E" -q; then
	exit 0
fi
EPUB=$E/civil-dialogue.epub PDF=$E/civil-dialogue.pdf X=$T/x
mkdir -p "$X" && (cd "$X" && unzip -q "$EPUB")
OPF=$X/OEBPS/content.opf

# --- epubcheck -----------------------------------------------------------------
epubcheck() { # epubcheck NAME FILE
	if ! [ -f /usr/bin/epubcheck ] || ! have java; then skip "$1: epubcheck not installed"; return; fi
	java -jar /usr/bin/epubcheck "$2" >"$T/epubcheck.txt" 2>&1
	if grep -q "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" "$T/epubcheck.txt"; then
		ok "$1: epubcheck 0 fatals / 0 errors / 0 warnings / 0 infos"
	else
		no "$1: epubcheck" "$(grep -E '^(ERROR|WARNING|FATAL|INFO)|^Messages' "$T/epubcheck.txt")"
	fi
}
epubcheck "epub16: the edition" "$EPUB"

# --- zip permissions -----------------------------------------------------------
if have zipinfo; then
	modes=$(zipinfo "$EPUB" | awk '$1 ~ /^[-dl][-rwxsStT]+$/ { print $1 }' | sort | uniq -c)
	if [ "$(printf '%s\n' "$modes" | wc -l)" -eq 1 ] && printf '%s\n' "$modes" | grep -q -- ' -rw-r--r--$'; then
		ok "epub16: zipinfo shows every entry -rw-r--r-- (0644)"
	else
		no "epub16: zip entries not all 0644" "$modes"
	fi
else
	skip "epub16: zipinfo not installed (Debian package unzip)"
fi

# --- metadata (xmllint --xpath) --------------------------------------------------
x() { xmllint --xpath "$1" "$OPF" 2>/dev/null; }
O='/*[local-name()="package"]/*[local-name()="metadata"]'
meta() { x "string($O/*[local-name()=\"meta\"][@property=\"$1\"])"; }
if have xmllint; then
	got=$(meta a11y:certifiedBy)
	[ "$got" = "Civil Exchange" ] && ok "epub16: a11y:certifiedBy is the publisher" ||
		no "epub16: a11y:certifiedBy" "got '$got'"
	n=$(x "count($O/*[local-name()=\"link\"][contains(@href, \"accessibility-20170105\")])")
	c=$(meta dcterms:conformsTo)
	[ "$n" = 0 ] && [ "$c" = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA" ] &&
		ok "epub16: one conformance claim, EPUB Accessibility 1.1 / WCAG 2.1 AA, no 1.0 link" ||
		no "epub16: conformance claim" "1.0 links: $n; conformsTo: $c"
	pbm=$(x "count($O/*[@property=\"schema:accessibilityFeature\"][.=\"pageBreakMarkers\"])")
	ppn=$(x "count($O/*[@property=\"schema:accessibilityFeature\"][.=\"printPageNumbers\"])")
	[ "$pbm" = 1 ] && [ "$ppn" = 0 ] && ok "epub16: pageBreakMarkers, not printPageNumbers" ||
		no "epub16: page features" "pageBreakMarkers $pbm, printPageNumbers $ppn"
	src=$(x "string($O/*[local-name()=\"source\"])")
	of=$(x "string($O/*[@refines=\"#page-source\"][@property=\"source-of\"])")
	uuid=$(sed -n 's/^ *uuid: *\([^ ]*\).*/\1/p' "$ROOT/manuscript/book.yaml")
	[ "$src" = "$uuid" ] && [ "$of" = pagination ] &&
		ok "epub16: the page source is the edition's identifier ($src), not prose" ||
		no "epub16: page source" "dc:source '$src' (want '$uuid'), source-of '$of'"
	date=$(x "string($O/*[local-name()=\"date\"])")
	rev=$(sed -n 's/^revised: *\([0-9-]*\).*/\1/p' "$ROOT/manuscript/book.yaml")
	[ "$date" = "$rev" ] && ok "epub16: dc:date is this edition's ($date)" ||
		no "epub16: dc:date" "got '$date', want '$rev'"
	# Every essay's author a dc:creator with role aut, file-as and display-seq.
	nauth=$(for f in "$ROOT"/manuscript/[0-9]*.md; do sed -n 's/^author: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$f"; done | sort -u | wc -l)
	ncre=$(x "count($O/*[local-name()=\"creator\"])")
	nseq=$(x "count($O/*[@property=\"display-seq\"])")
	nfile=$(x "count($O/*[@property=\"file-as\"])")
	ncontrib=$(x "count($O/*[local-name()=\"contributor\"])")
	[ "$ncre" = "$nauth" ] && [ "$nseq" = "$ncre" ] && [ "$nfile" = "$ncre" ] && [ "$ncontrib" = 0 ] &&
		ok "epub16: $ncre dc:creators (the editor and every essay's author), each with file-as and display-seq" ||
		no "epub16: creators" "authors $nauth, creators $ncre, display-seq $nseq, file-as $nfile, contributors $ncontrib"
	desc=$(x "string($O/*[local-name()=\"description\"])")
	case $desc in *"Exchange’s"*) ok "epub16: the description has smart punctuation (Exchange’s)" ;;
	*) no "epub16: description punctuation" "$desc" ;; esac
else
	skip "epub16: metadata: xmllint not installed (Debian package libxml2-utils)"
fi

# --- everything else that needs the XHTML parsed: one Python script ----------
cat >"$T/check.py" <<'PY'
import os, re, struct, subprocess, sys
import xml.etree.ElementTree as ET
what, x, root, pdf = sys.argv[1:5]
H = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}type"
problems = []
def doc(f): return ET.parse(os.path.join(x, "OEBPS", f)).getroot()
def pagebreaks(el): return [e for e in el.iter() if (e.get(OPS) or "") == "pagebreak"]
def text(el): return re.sub(r"\s+", " ", "".join(el.itertext())).strip()

def markers():
    # The front matter's pages: each marker in its own file, at its top.
    want = {"page-i": "text/titlepage.xhtml", "page-ii": "text/titlepage.xhtml",
            "page-iii": "text/titlepage.xhtml", "page-iv": "text/copyright.xhtml",
            "page-v": "nav.xhtml"}
    for pid, f in want.items():
        r = doc(f)
        ids = [e.get("id") for e in pagebreaks(r)]
        if pid not in ids:
            problems.append(f"{pid} is not in {f} (it has {ids})")
    nav = doc("nav.xhtml")
    body = nav.find(f"{H}body")
    first = list(body)[0]
    if first.get("id") != "page-v":
        problems.append("page v's marker is not the nav document's first element")
    # Every later contents page: its marker opens the link of the entry the
    # printed page begins with.
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    n = 0
    for a in nav.iter(f"{H}a"):
        for pb in pagebreaks(a):
            label = pb.get("aria-label")
            roman = {"vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}.get(label)
            if not roman:
                problems.append(f"a marker for page {label} in the nav's contents")
                continue
            page = subprocess.run(["pdftotext", "-f", str(roman), "-l", str(roman), pdf, "-"],
                                  capture_output=True, text=True).stdout
            line = page.strip().splitlines()[0]
            au = [s for s in a.iter(f"{H}span") if s.get("class") == "toc-author"]
            entry = text(a)
            if au:
                entry = entry[:len(entry) - len(text(au[0]))].strip()
            if not entry or not line.startswith(entry):
                problems.append(f"page {label} begins '{line}' but its marker opens '{entry}'")
            n += 1
    # The front matter's markers sit before any text of their page.
    for f in ("text/titlepage.xhtml", "text/copyright.xhtml"):
        sec = doc(f).find(f"{H}body/{H}section")
        kids = list(sec)
        if not kids or (kids[0].get(OPS) or "") != "pagebreak":
            problems.append(f"{f}: the page marker is not the section's first element")
    return f"i-iii on the title page, iv on the copyright page, v atop the nav, {n} later contents page(s) at their entry"

def semantics():
    nsec = nback = nauth = 0
    nav = doc("nav.xhtml")
    authors = {}
    for f in sorted(os.listdir(os.path.join(root, "manuscript"))):
        if re.match(r"\d\d-.*\.md$", f):
            src = open(os.path.join(root, "manuscript", f), encoding="utf-8").read()
            m = re.search(r'^author:\s*"?(.*?)"?\s*$', src, re.M)
            t = re.search(r'^title:\s*"?(.*?)"?\s*$', src, re.M)
            if m and not f.startswith("00"):
                authors[t.group(1)] = m.group(1).replace("'", "\u2019")
    for a in nav.iter(f"{H}a"):
        spans = [s for s in a.iter(f"{H}span") if s.get("class") == "toc-author"]
        if spans:
            nauth += 1
    if nauth != len(authors):
        problems.append(f"the contents lists {nauth} authors; the book has {len(authors)} essays with one")
    for f in sorted(os.listdir(os.path.join(x, "OEBPS", "text"))):
        r = doc("text/" + f)
        parent = {c: p for p in r.iter() for c in p}
        for h in r.iter():
            if h.tag not in (f"{H}h3", f"{H}h4", f"{H}h5") or h.get("id") is None:
                continue
            sec = parent.get(h)
            if sec is None or sec.tag != f"{H}section" or sec.get("aria-labelledby") != h.get("id"):
                problems.append(f"{f}: heading #{h.get('id')} does not open its own <section>")
                continue
            nsec += 1
            if h.tag != f"{H}h3":
                up = parent.get(sec)
                uh = up.find(f"{H}h{int(h.tag[-1]) - 1}") if up is not None else None
                if uh is None:
                    problems.append(f"{f}: the section of #{h.get('id')} is not nested in its parent heading's")
        for a in r.iter(f"{H}a"):
            if a.get("role") == "doc-backlink":
                nback += 1
                if "backlink" not in (a.get(OPS) or "").split():
                    problems.append(f"{f}: a backlink without epub:type=\"backlink\"")
        for t in r.iter():
            if t.text and re.search("\u00a0 | \u00a0", t.text) or t.tail and re.search("\u00a0 | \u00a0", t.tail):
                problems.append(f"{f}: a no-break space beside a space")
                break
    return f"{nsec} subsections in nested <section>s, {nback} backlinks typed, {nauth} authors in the contents, no double gaps"

def figures():
    n = framed = 0
    for f in sorted(os.listdir(os.path.join(x, "OEBPS", "text"))):
        r = doc("text/" + f)
        ids = {e.get("id"): e for e in r.iter() if e.get("id")}
        for img in r.iter(f"{H}img"):
            d = img.get("aria-describedby")
            if not d:
                continue
            el = ids.get(d)
            if el is None or "long-description" not in (el.get("class") or "") or not text(el).startswith("Description"):
                problems.append(f"{f}: aria-describedby={d} finds no long description")
                continue
            n += 1
            if "2009" not in text(el):
                problems.append(f"{f}: the chart's description lacks the years between 2007 and 2011")
            framed += "framed" in (img.get("class") or "").split()
    if n == 0:
        problems.append("no figure has a long description")
    if framed != n:
        problems.append("the chart, on an opaque white ground, is not framed")
    return f"{n} figure(s) with a long description by aria-describedby, framed on white"

def fonts():
    d = os.path.join(x, "OEBPS", "fonts")
    out = []
    for f in sorted(os.listdir(d)):
        if not f.endswith((".ttf", ".otf")):
            continue
        b = open(os.path.join(d, f), "rb").read()
        tabs = {}
        for i in range(struct.unpack(">H", b[4:6])[0]):
            tag, _, off, ln = struct.unpack(">4sIII", b[12 + 16 * i:28 + 16 * i])
            tabs[tag.decode("latin-1")] = off
        g = tabs.get("GSUB")
        feats = set()
        if g is not None:
            fl = g + struct.unpack(">H", b[g + 6:g + 8])[0]
            cnt = struct.unpack(">H", b[fl:fl + 2])[0]
            feats = {b[fl + 2 + 6 * i:fl + 6 + 6 * i].decode("latin-1") for i in range(cnt)}
        nm = tabs["name"]
        cnt = struct.unpack(">H", b[nm + 2:nm + 4])[0]
        ids = {struct.unpack(">H", b[nm + 6 + 12 * i + 6:nm + 6 + 12 * i + 8])[0] for i in range(cnt)}
        for want in ("smcp", "c2sc"):
            if want not in feats:
                problems.append(f"{f}: no {want} in GSUB ({sorted(feats)})")
        for want in (13, 14):
            if want not in ids:
                problems.append(f"{f}: no name ID {want}")
        out.append(f)
    lic = os.path.join(d, "OFL.txt")
    if not os.path.exists(lic) or open(lic, "rb").read() != open(os.path.join(root, "fonts", "OFL.txt"), "rb").read():
        problems.append("OEBPS/fonts/OFL.txt is missing or not fonts/OFL.txt")
    opf = open(os.path.join(x, "OEBPS", "content.opf"), encoding="utf-8").read()
    if 'href="fonts/OFL.txt" media-type="text/plain"' not in opf:
        problems.append("OFL.txt is not in the manifest")
    css = open(os.path.join(x, "OEBPS", "css", "fonts.css"), encoding="utf-8").read()
    if '"smcp"' not in css:
        problems.append("fonts.css does not ask for the font's small capitals")
    return f"{len(out)} fonts keep smcp, c2sc and name IDs 13, 14; OFL.txt beside them"

try:
    print({"markers": markers, "semantics": semantics, "figures": figures, "fonts": fonts}[what]())
except Exception as ex:
    problems.append(f"{type(ex).__name__}: {ex}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
if have python3; then
	for what in markers semantics figures fonts; do
		if out=$(python3 "$T/check.py" $what "$X" "$ROOT" "$PDF" 2>&1); then ok "epub16: $what: $out"
		else no "epub16: $what" "$out"; fi
	done
else
	skip "epub16: markers, semantics, figures, fonts: python3 not installed"
fi

# --- smart punctuation in both editions --------------------------------------
sub=$(grep -h '^subtitle:' "$ROOT/manuscript/03-commissioning.md")
case $sub in *"'"*) ;; *) skip "epub16: essay 3's subtitle has no straight apostrophe to turn" ;; esac
if grep -q "A commissioner’s case" "$X/OEBPS/text/essay-03.xhtml" &&
	pdftotext "$PDF" - 2>/dev/null | grep -q "A commissioner’s case"; then
	ok "epub16: a subtitle from YAML gets a curly apostrophe in the EPUB and the PDF"
else
	no "epub16: YAML strings' smart punctuation" "$(grep -o 'commissioner.s case' "$X/OEBPS/text/essay-03.xhtml")"
fi

# --- a small book: certifier keys, file-as, a figure not on white -----------------
B=$T/b
mkbook "$B"
cat >>"$B/book.yaml" <<'YAML'
publisher: "Smith's Press"
certified-by: An Accessibility Auditor
certifier-credential: Certified by a made-up scheme for this test
certifier-report: https://example.org/report.html
creators:
  - name: Ann Editor
    role: editor
    file-as: Editor, Ann
YAML
printf -- '---\ntitle: "Two"\nauthor: "Jo Bloggs"\nauthor-file-as: "Bloggs, Jo"\n---\n\nSee:\n\n![A grey square](images/grey.png)\n\nAfter.\n' >"$B/two.md"
png "$B/images/grey.png"
if expect 0 "epub16: a book with a certifier builds" "$OCTAVO" build "$B" -o "$T/bo" -q; then
	epubcheck "epub16: the small book" "$T/bo/test-book.epub"
	mkdir -p "$T/bx" && (cd "$T/bx" && unzip -q "$T/bo/test-book.epub")
	OPF=$T/bx/OEBPS/content.opf
	by=$(meta a11y:certifiedBy)
	cred=$(x "string($O/*[@refines=\"#certifier\"][@property=\"a11y:certifierCredential\"])")
	rep=$(x "string($O/*[local-name()=\"link\"][@rel=\"a11y:certifierReport\"]/@href)")
	[ "$by" = "An Accessibility Auditor" ] && [ -n "$cred" ] && [ "$rep" = "https://example.org/report.html" ] &&
		ok "epub16: certified-by, certifier-credential and certifier-report reach the OPF" ||
		no "epub16: certifier" "by '$by', credential '$cred', report '$rep'"
	fa=$(x "string($O/*[@property=\"file-as\"][@refines=concat(\"#\", $O/*[local-name()=\"creator\"][.=\"Jo Bloggs\"]/@id)])")
	fe=$(x "string($O/*[@property=\"file-as\"][@refines=concat(\"#\", $O/*[local-name()=\"creator\"][.=\"Ann Editor\"]/@id)])")
	[ "$fa" = "Bloggs, Jo" ] && [ "$fe" = "Editor, Ann" ] && ok "epub16: author-file-as and file-as refine the creators" ||
		no "epub16: file-as" "Jo Bloggs: '$fa'; Ann Editor: '$fe'"
	pub=$(x "string($O/*[local-name()=\"publisher\"])")
	[ "$pub" = "Smith’s Press" ] && ok "epub16: book.yaml's publisher gets a curly apostrophe" || no "epub16: publisher punctuation" "$pub"
	if grep -q 'class="figure framed"' "$T/bx/OEBPS/text/two.xhtml" 2>/dev/null ||
		! grep -q 'class="figure"' "$T/bx/OEBPS/text/"*.xhtml; then
		no "epub16: a grey picture is framed as if on white" "$(grep -h '<img' "$T/bx/OEBPS/text/"*.xhtml)"
	else
		ok "epub16: a picture not on white is not framed"
	fi
	BOOK_EPUB=$T/bo/test-book.epub
fi
sed -i 's|^certifier-report: .*|certifier-report: our-report.html|' "$B/book.yaml"
if expect 1 "epub16: a certifier-report that is no URL is an error" "$OCTAVO" build "$B" -o "$T/bo2" -q; then
	contains "epub16: the error names book.yaml's line and column" "$B/book.yaml:11:19: error: 'certifier-report' must be a URL"
fi

# --- Ace by DAISY ----------------------------------------------------------------
# Installed by tests/epub-checks.sh (npm @daisy/ace-cli); without it, the
# metadata checks above stand in.
ace() { # ace NAME EPUB WANT-MISSING
	rm -rf "$T/ace"
	PUPPETEER_EXECUTABLE_PATH=$CHROMIUM timeout 600 "$ACE" -f -s -o "$T/ace" "$2" >"$T/ace.log" 2>&1
	if [ ! -f "$T/ace/report.json" ]; then
		skip "$1: ace-cli wrote no report: $(grep -m1 -i error "$T/ace.log")"
		return
	fi
	if out=$(python3 - "$T/ace/report.json" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
v = [(a["earl:testSubject"]["url"], x["earl:test"]["earl:impact"], x["earl:test"]["dct:title"])
     for a in r.get("assertions", []) for x in a.get("assertions", [])]
missing = r.get("a11y-metadata", {}).get("missing", [])
want = [m for m in sys.argv[2].split(",") if m]
bad = [f"{i} {t} in {u}" for u, i, t in v]
if sorted(missing) != sorted(want):
    bad.append(f"metadata missing: {missing}, want {want}")
print("\n".join(bad) if bad else f"0 violations, metadata missing: {missing or 'none'}")
sys.exit(1 if bad else 0)
PY
	); then ok "$1: Ace $out"; else no "$1: Ace by DAISY" "$out"; fi
}
if [ -x "$ACE" ] && [ -x "$CHROMIUM" ] && have python3; then
	# The edition names no credential or report, which no one has given it.
	ace "epub16: the edition" "$EPUB" "a11y:certifierCredential,a11y:certifierReport"
	[ -n "${BOOK_EPUB:-}" ] && ace "epub16: the book with a certifier" "$BOOK_EPUB" ""
else
	skip "epub16: Ace: no ace-cli at $ACE or no Chromium (tests/epub-checks.sh installs it); metadata checked with xmllint above"
fi
