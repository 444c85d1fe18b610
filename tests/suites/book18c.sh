#!/bin/sh
# tests/suites/book18c.sh - the book-end notes (issue 18 item 6, style
# 'notes: place: book-end') and part ids that follow their kind:
# tests/books/book18c has two essays under a divider with notes enough for
# several pages, an appendix whose kind only its front matter gives, and a
# bibliography with a note after the Notes section. The PDF's contents
# lists the Notes with their folio and links to them; the EPUB holds the
# notes in one notes.xhtml at the same place (spine, nav, NCX, landmarks),
# each print page's marker where that page begins, references and
# backlinks across files; epubcheck, xmllint and Ace pass it.
. "$ROOT/tests/lib.sh"
B=$T/b
cp -r "$ROOT/tests/books/book18c" "$B"
sed -i "s|\.\./\.\./\.\./|$ROOT/|" "$B/book18c.yaml"

expect 0 "book18c builds" "$OCTAVO" build "$B" -o "$T/o" && ok "book18c builds"
printf '%s\n' "$out" | grep -q "warning: link" && no "links to the appendix's heading resolve" "$out" ||
	ok "links to the appendix's heading resolve"
PDF=$T/o/ways-in.pdf
EPUB=$T/o/ways-in.epub
X=$T/x && mkdir -p "$X" && (cd "$X" && unzip -q "$EPUB")

# === the print edition ==========================================================
n=$(pdfinfo "$PDF" | awk '/^Pages:/{print $2}')
i=1
while [ "$i" -le "$n" ]; do
	pdftotext -layout -f "$i" -l "$i" "$PDF" "$T/p$i.txt"
	i=$((i + 1))
done
# page REGEX: the first page with a line matching it.
page() { grep -lE -- "$1" "$T"/p*.txt | sed 's|.*/p\([0-9]*\)\.txt|\1|' | sort -n | head -1; }
folio() { grep -v '^[[:space:]]*$' "$T/p$1.txt" | tail -1 | sed 's/^ *//; s/ *$//'; }
notes=$(page '^ *Notes *$')
toc=$(page '^ *Contents *$')
nf=$(folio "$notes")
[ -n "$notes" ] && grep -q "The Harbour Wall" "$T/p$notes.txt" &&
	ok "one Notes section, each part's under its title (page $notes, folio $nf)" || no "Notes section" "$(cat "$T"/p*.txt)"
grep -qE "^ *Notes *(\. )+\.? *$nf *$" "$T/p$toc.txt" &&
	ok "the contents lists the Notes at folio $nf" || no "the contents lists the Notes at folio $nf" "$(cat "$T/p$toc.txt")"
awk '/Where to Look/{a=NR} /^ *Notes /{b=NR} /Further Reading/{c=NR} END{exit !(a < b && b < c)}' "$T/p$toc.txt" &&
	ok "the contents' Notes after the appendix, before the bibliography" || no "contents order" "$(cat "$T/p$toc.txt")"
python3 "$ROOT/tests/suites/pdflinks.py" "$PDF" >"$T/qpdf.txt" || no "PDF read by qpdf"
grep -qx "link $toc $notes" "$T/qpdf.txt" && ok "the contents' Notes entry links to page $notes" ||
	no "the contents' Notes entry links to page $notes" "$(grep link "$T/qpdf.txt")"
grep -qx "outline 0 Notes" "$T/qpdf.txt" && ok "outline: Notes" || no "outline: Notes" "$(grep outline "$T/qpdf.txt")"
ref=$(page '^ *The Harbour Wall *$') to=$(page "^ *1 +Note 1 on the harbour")
grep -qx "link $ref $to" "$T/qpdf.txt" && ok "a reference links to its book-end note (p$ref -> p$to)" ||
	no "a reference links to its book-end note (p$ref -> p$to)" "$(grep link "$T/qpdf.txt")"
[ "$(page 'Open on weekdays')" -lt "$(page 'Harbours of the North')" ] &&
	ok "the bibliography's own note is in the Notes before it" || no "the bibliography's note in the Notes"

# === the EPUB ===================================================================
N=$X/OEBPS/text/notes.xhtml
[ -f "$N" ] && ok "EPUB: one notes.xhtml" || no "EPUB: one notes.xhtml" "$(ls "$X/OEBPS/text")"
grep -q 'epub:type="endnote"' "$X"/OEBPS/text/essay-0*.xhtml "$X"/OEBPS/text/bibliography-*.xhtml &&
	no "EPUB: no notes left in the parts' files" || ok "EPUB: no notes left in the parts' files"
grep -c 'epub:type="endnote"' "$N" | grep -qx 19 && ok "EPUB: all 19 notes in notes.xhtml" ||
	no "EPUB: all 19 notes in notes.xhtml ($(grep -c 'epub:type="endnote"' "$N"))"
opf=$X/OEBPS/content.opf
grep -q '<item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>' "$opf" &&
	ok "EPUB: notes.xhtml in the manifest" || no "EPUB: notes.xhtml in the manifest"
spine=$(sed -n '/<spine/,/<\/spine>/s/.*idref="\([^"]*\)".*/\1/p' "$opf" | tr '\n' ' ')
case "$spine" in
*"x-essay-02 x-appendix-4 notes x-bibliography-5 "*) ok "EPUB: spine holds the notes where print has them" ;;
*) no "EPUB: spine holds the notes where print has them" "$spine" ;;
esac
nav=$X/OEBPS/nav.xhtml
grep -q '<li><a href="text/notes.xhtml">Notes</a>' "$nav" && grep -q 'href="text/notes.xhtml#notes-essay-01">The Harbour Wall' "$nav" &&
	ok "EPUB nav: Notes, each part's list under it" || no "EPUB nav: Notes" "$(cat "$nav")"
grep -q '<a epub:type="endnotes" href="text/notes.xhtml">' "$nav" && ok "EPUB landmarks: endnotes" || no "EPUB landmarks: endnotes"
grep -q 'src="text/notes.xhtml#notes-essay-02"' "$X/OEBPS/toc.ncx" && ok "EPUB NCX: the notes" || no "EPUB NCX: the notes"
# Every reference finds its note, every backlink its reference, and every
# page-list entry its marker, across files; each notes page's marker
# stands where that print page begins.
python3 - "$X/OEBPS" "$T" "$n" >"$T/links.txt" <<'PY'
import glob, os, re, sys
root, tdir, npages = sys.argv[1], sys.argv[2], int(sys.argv[3])
ids, docs = {}, {}
for f in glob.glob(root + "/text/*.xhtml") + [root + "/nav.xhtml"]:
    rel = os.path.relpath(f, root)
    docs[rel] = open(f, encoding="utf-8").read()
    ids[rel] = set(re.findall(r' id="([^"]+)"', docs[rel]))
bad = []
def target(src, href):
    f, _, i = href.partition("#")
    f = os.path.normpath(os.path.join(os.path.dirname(src), f)) if f else src
    return f, i
refs = back = 0
for rel, d in docs.items():
    for href in re.findall(r'<a href="([^"]+)"[^>]*epub:type="noteref"', d):
        refs += 1
        f, i = target(rel, href)
        if f != "text/notes.xhtml" or i not in ids.get(f, ()):
            bad.append(f"noteref {href} in {rel}")
    for href in re.findall(r'<a class="backlink" href="([^"]+)"', d):
        back += 1
        f, i = target(rel, href)
        if i not in ids.get(f, ()):
            bad.append(f"backlink {href} in {rel}")
pl = re.search(r'<nav epub:type="page-list".*?</nav>', docs["nav.xhtml"], re.S).group(0)
entries = re.findall(r'<a href="([^"]+)">([^<]+)</a>', pl)
for href, label in entries:
    f, i = target("nav.xhtml", href)
    if i not in ids.get(f, ()):
        bad.append(f"page {label}: {href} has no marker")
if len(entries) != npages:
    bad.append(f"{len(entries)} pages listed, the PDF has {npages}")
# Each marker in notes.xhtml: the words after it open its print page.
text = docs["text/notes.xhtml"]
pages = {label: k + 1 for k, (href, label) in enumerate(entries)}
checked = 0
for m in re.finditer(r'aria-label="([^"]+)"/>', text):
    after = re.sub(r"<[^>]+>", " ", text[m.end():m.end() + 600])
    words = re.findall(r"[A-Za-z0-9]+", after)[:4]
    if not words:
        continue
    page = open(f"{tdir}/p{pages[m.group(1)]}.txt", encoding="utf-8").read()
    first = re.findall(r"[A-Za-z0-9]+", page)[:40]
    if not first:
        continue  # a blank verso: its marker goes with the next page's
    if " ".join(words) not in " ".join(first):
        bad.append(f"page {m.group(1)}'s marker before {' '.join(words)!r}, the page opens {' '.join(first[:12])!r}")
    checked += 1
print(f"{refs} references, {back} backlinks, {len(entries)} pages, {checked} notes markers checked")
for b in bad:
    print("BAD", b)
PY
if grep -q "^BAD" "$T/links.txt" || ! grep -q "^19 references, 19 backlinks" "$T/links.txt"; then
	no "EPUB: references, backlinks and page markers across files" "$(cat "$T/links.txt")"
else
	ok "EPUB: $(cat "$T/links.txt")"
fi
grep -q 'id="page-[0-9]*"' "$N" && [ "$(grep -o 'aria-label="[0-9]*"/>' "$N" | wc -l)" -ge 3 ] &&
	ok "EPUB: the notes pages' markers in notes.xhtml" || no "EPUB: the notes pages' markers in notes.xhtml"
if command -v xmllint >/dev/null; then
	xmllint --noout "$N" 2>/dev/null && ok "notes.xhtml well-formed" || no "notes.xhtml well-formed"
fi
epubcheck_ok() { # NAME EPUB
	[ -f /usr/bin/epubcheck ] || { skip "$1: epubcheck not installed"; return; }
	ec=$(java -jar /usr/bin/epubcheck "$2" 2>&1)
	printf '%s\n' "$ec" | grep -q "No errors or warnings" && ok "$1: epubcheck 0/0/0" ||
		no "$1: epubcheck" "$(printf '%s\n' "$ec" | grep -E 'ERROR|WARNING|FATAL' | head)"
}
epubcheck_ok "book-end notes" "$EPUB"
ACE=${OCTAVO_ACE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/octavo-ace}/node_modules/.bin/ace-cli
CHROMIUM=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}
if [ -x "$ACE" ] && [ -x "$CHROMIUM" ]; then
	PUPPETEER_EXECUTABLE_PATH=$CHROMIUM timeout 600 "$ACE" -f -s -o "$T/ace" "$EPUB" >"$T/ace.log" 2>&1
	if [ -f "$T/ace/report.json" ]; then
		v=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("\n".join(x["earl:test"]["dct:title"]+" in "+a["earl:testSubject"]["url"] for a in r.get("assertions",[]) for x in a.get("assertions",[])))' "$T/ace/report.json")
		[ -z "$v" ] && ok "book-end notes: Ace 0 violations" || no "book-end notes: Ace" "$v"
	else
		skip "book-end notes: ace-cli wrote no report"
	fi
else
	skip "book-end notes: Ace not installed (tests/epub-checks.sh installs it)"
fi

# === ids follow the part's kind =================================================
A=$X/OEBPS/text/appendix-4.xhtml
grep -q 'id="appendix-4-where-the-records-are"' "$A" && ! grep -q 'id="essay-' "$A" &&
	ok "a front-matter kind's headings take its id (appendix-4-...)" || no "front-matter kind's heading ids" "$(grep -o 'id="[^"]*"' "$A")"
[ -f "$X/OEBPS/text/essay-01.xhtml" ] && [ -f "$X/OEBPS/text/essay-02.xhtml" ] &&
	grep -q 'id="essay-01-a-turn-in-the-harbour"' "$X/OEBPS/text/essay-01.xhtml" &&
	ok "essays keep their numbers in their ids" || no "essays keep their numbers in their ids" "$(ls "$X/OEBPS/text")"
grep -q 'href="appendix-4.xhtml#appendix-4-where-the-records-are"' "$X/OEBPS/text/essay-01.xhtml" &&
	ok "a link to the appendix's heading follows its id" || no "a link to the appendix's heading" "$(grep -o 'href="[^"]*"' "$X/OEBPS/text/essay-01.xhtml")"
# A heading's label (the words before its colon) names it, as Node's
# docs link their deprecations ('#DEP0111').
grep -q 'href="#essay-02-dep0001-the-keystone"' "$X/OEBPS/text/essay-02.xhtml" &&
	ok "a link by a heading's label ('#DEP0001')" || no "a link by a heading's label ('#DEP0001')" "$(grep -o 'href="#[^"]*"' "$X/OEBPS/text/essay-02.xhtml")"
# An edition's id written by hand still resolves.
printf '\nSee [where](#appendix-4-where-the-records-are).\n' >>"$B/appendix.md"
expect 0 "an edition's id in a link" "$OCTAVO" build "$B" -o "$T/o2" -q &&
	{ printf '%s\n' "$out" | grep -q "warning: link" && no "an edition's id in a link resolves" "$out" || ok "an edition's id in a link resolves"; }

# === page dumps =================================================================
# Golden page dumps (every line with its page and source line, 'report
# --lines') of the dialect book (every construct of issue 18 item 1) and
# this one; after an intended change to the pages (look at them first):
# UPDATE_GOLDEN=1 OCTAVO=bin/octavo ROOT=. sh tests/suites/book18c.sh
for g in dialect book18c; do
	(cd "$ROOT" && "$OCTAVO" report "tests/books/$g" --lines) >"$T/$g.lines" 2>/dev/null
	if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$T/$g.lines" "$ROOT/tests/golden/$g.lines"; fi
	if d=$(diff "$ROOT/tests/golden/$g.lines" "$T/$g.lines"); then
		ok "page dump of tests/books/$g as golden ($(wc -l <"$T/$g.lines") lines)"
	else
		no "page dump of tests/books/$g as golden" "$d"
	fi
done

# === the notes at the book's very end ===========================================
sed -i '/bibliography.md/,$d' "$B/book.yaml"
expect 0 "notes at the end build" "$OCTAVO" build "$B" -o "$T/e" -q && ok "notes at the end build"
rm -rf "$T/xe" && mkdir -p "$T/xe" && (cd "$T/xe" && unzip -q "$T/e/ways-in.epub")
sed -n '/<spine/,/<\/spine>/p' "$T/xe/OEBPS/content.opf" | grep idref | tail -1 | grep -q 'idref="notes"' &&
	ok "notes at the end: last in the spine" || no "notes at the end: last in the spine"
epubcheck_ok "notes at the end" "$T/e/ways-in.epub"
pdftotext -layout "$T/e/ways-in.pdf" - | awk 'BEGIN{RS="\f"} /Contents/' | grep -v '^[[:space:]]*$' | tail -2 | head -1 | grep -q "^ *Notes " &&
	ok "notes at the end: last in the contents" || no "notes at the end: last in the contents"

# === a tagged PDF with the Notes in its contents ================================
printf 'tagged: true\n' >>"$B/book18c.yaml"
expect 0 "tagged book-end build" "$OCTAVO" build "$B" -o "$T/g" -q && ok "tagged book-end build"
for c in matterhorn mcids artifacts; do
	r=$(python3 "$ROOT/tests/tagcheck.py" "$c" "$T/g/ways-in.pdf" 2>&1)
	[ $? = 0 ] && ok "tagged book-end: $c" || no "tagged book-end: $c" "$r"
done
pdfinfo -struct-text "$T/g/ways-in.pdf" 2>/dev/null | grep -A3 "TOCI" | grep -q "Notes" &&
	ok "tagged: the Notes are a TOCI of the contents" || no "tagged: the Notes are a TOCI of the contents"

# === footnotes: no notes document ===============================================
sed -i 's/place: book-end /place: footnotes/' "$B/book18c.yaml"
expect 0 "footnotes build" "$OCTAVO" build "$B" -o "$T/f" -q && ok "footnotes build"
unzip -l "$T/f/ways-in.epub" | grep -q "notes.xhtml" && no "footnotes: no notes.xhtml" || ok "footnotes: no notes.xhtml"
pdftotext -layout "$T/f/ways-in.pdf" - | awk 'BEGIN{RS="\f"} /Contents/' | grep -q "^ *Notes " &&
	no "footnotes: no Notes in the contents" || ok "footnotes: no Notes in the contents"
