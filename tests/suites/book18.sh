#!/bin/sh
# tests/suites/book18.sh - the whole book model (issue 18 item 6):
# tests/books/book18 holds every kind of part (a half-title, a dedication,
# an epigraph, two part dividers, essays with author and bio and notes at
# their end, an empty contributors part, an appendix, an empty colophon).
# Its PDF is read page by page (folios roman then arabic, none where none
# is due, the outline nested under the dividers, note references linked to
# the end-notes); its EPUB checked by epubcheck and for each kind's
# epub:type and role, the end-notes and their backlinks. Then the notes at
# the foot and at the book's end, and the mistakes an author can make.
. "$ROOT/tests/lib.sh"
S=$ROOT/tests/books/book18
B=$T/b
cp -r "$S" "$B"
# The style's fonts and stylesheet from this repository, wherever it is.
sed -i "s|\.\./\.\./\.\./|$ROOT/|" "$B/book18.yaml"

expect 0 "book18 builds" "$OCTAVO" build "$B" -o "$T/o" && ok "book18 builds"
PDF=$T/o/common-ground.pdf
EPUB=$T/o/common-ground.epub
printf '%s\n' "$out" | grep -q "error:" && no "no errors" "$out" || ok "no errors"

# === the print edition, page by page ============================================
n=$(pdfinfo "$PDF" | awk '/^Pages:/{print $2}')
i=1
while [ "$i" -le "$n" ]; do
	pdftotext -layout -f "$i" -l "$i" "$PDF" "$T/p$i.txt"
	tr -s ' \n' '  ' <"$T/p$i.txt" >"$T/q$i.txt" # its words on one line
	i=$((i + 1))
done
# page TEXT: the first page holding TEXT.
page() { grep -lF -- "$1" "$T"/q*.txt | sed 's|.*/q\([0-9]*\)\.txt|\1|' | sort -n | head -1; }
# folio N: the page's last non-empty line, when it is a folio alone.
folio() { grep -v '^[[:space:]]*$' "$T/p$1.txt" | tail -1 | sed 's/^ *//; s/ *$//' | grep -xE '[0-9]+|[ivxlc]+' || true; }
for what in "For the people of every town:dedication" "The town is the people who stay:epigraph" \
	"Markets and libraries: where goods:part divider I" "Set in Charis SIL:colophon"; do
	p=$(page "${what%%:*}")
	if [ -z "$p" ]; then no "${what#*:} printed"; continue; fi
	[ -z "$(folio "$p")" ] && ok "no folio on the ${what#*:} (page $p)" ||
		no "no folio on the ${what#*:} (page $p)" "$(cat "$T/p$p.txt")"
done
p=$(grep -lx '[[:space:]]*Part II[[:space:]]*' "$T"/p*.txt | head -1)
[ -n "$p" ] && [ -z "$(grep -v '^[[:space:]]*$' "$p" | grep -v 'Part II')" ] &&
	ok "part divider II alone on its page, no folio" || no "part divider II alone on its page, no folio"
# Blank pages print nothing at all.
blank=0 marked=0
i=1
while [ "$i" -le "$n" ]; do
	if ! grep -q '[^[:space:]]' "$T/p$i.txt"; then blank=$((blank + 1)); fi
	i=$((i + 1))
done
[ "$blank" -ge 6 ] && ok "blank versos print nothing ($blank)" || no "blank versos print nothing ($blank)"
# Roman folios through the front matter, arabic from the introduction.
f=$(folio "$(page 'Every town keeps a record')")
[ "$f" = "xi" ] && ok "foreword at folio xi" || no "foreword at folio xi (got '$f')"
f=$(folio "$(page 'We asked each contributor')")
[ "$f" = "xiii" ] && ok "preface at folio xiii" || no "preface at folio xiii (got '$f')"
f=$(folio "$(page 'belongs to no one in particular')")
[ "$f" = "1" ] && ok "introduction opens the arabic folios at 1" || no "introduction at folio 1 (got '$f')"
f=$(folio "$(page 'trades in vegetables')")
echo "$f" | grep -qxE '[0-9]+' && ok "back matter goes on in arabic ($f)" || no "back matter in arabic (got '$f')"
# The second half-title: the book's title alone before the main matter.
ht=$(grep -lx '[[:space:]]*Common Ground[[:space:]]*' "$T"/p*.txt | wc -l)
[ "$ht" -ge 2 ] && ok "half-title part set (and page i)" || no "half-title part set ($ht pages)"
# The contents: every kind it lists, essays indented under their divider.
c=$T/p$(page "Contents").txt
for want in "Foreword" "Preface" "Introduction" "Part I: Places of Exchange" "Part II" \
	"  The Market Square" "Afterword" "Acknowledgements" "Appendix: Sources" \
	"Notes on contributors" "Bibliography"; do
	grep -qF -- "$want" "$c" && ok "contents: $want" || no "contents: $want" "$(cat "$c")"
done
grep -qE "Dedication|Epigraph|Colophon" "$c" && no "contents leaves out dedication, epigraph, colophon" ||
	ok "contents leaves out dedication, epigraph, colophon"
# The copyright page leaves the colophon to its own page.
grep -qF "Set in" "$T/p4.txt" && no "colophon not repeated on the copyright page" ||
	ok "colophon not repeated on the copyright page"
grep -qF "Set in Charis SIL 10.5/14 pt and typeset with octavo" "$T/p$n.txt" &&
	ok "colophon from the style's fonts, last page" || no "colophon from the style's fonts" "$(cat "$T/p$n.txt")"
# Notes on contributors from the essays' author and bio, by surname.
c=$T/p$(page "trades in vegetables").txt
tr -s ' \n' '  ' <"$c" | grep -qF "Tomas Ferreira trades in vegetables" && ok "contributors: bio" ||
	no "contributors: bio" "$(cat "$c")"
order=$(grep -oE "Tomas Ferreira|Mara Lindqvist|Ada Okonkwo" "$c" | tr '\n' ,)
[ "$order" = "Tomas Ferreira,Mara Lindqvist,Ada Okonkwo," ] && ok "contributors sorted by surname" ||
	no "contributors sorted by surname ($order)"
# End-notes: after each essay, numbered afresh, at note size.
p=$(page "The first charter for the market")
grep -qE '^ *Notes *$' "$T/p$p.txt" && ok "end-notes under a Notes heading" || no "end-notes heading" "$(cat "$T/p$p.txt")"
grep -qE '^ *1 +Churches were once' "$T"/p*.txt && ok "note numbers restart per essay" ||
	no "note numbers restart per essay"
python3 "$ROOT/tests/suites/pdflinks.py" "$PDF" >"$T/pdf.txt" || no "PDF read by qpdf"
grep -q "^outline 0 Part I: Places of Exchange" "$T/pdf.txt" && ok "outline: Part I" || no "outline: Part I" "$(cat "$T/pdf.txt")"
awk '/^outline 0 Part I:/{f=1; next} f&&/^outline 0/{f=0} f' "$T/pdf.txt" | grep -q "^outline 1 The Market Square" &&
	ok "outline: essays nested under their part" || no "outline: essays nested" "$(grep outline "$T/pdf.txt")"
grep -q "^outline 2 Notes" "$T/pdf.txt" && ok "outline: an essay's notes under it" || no "outline: notes"
grep -q "^outline 0 Dedication" "$T/pdf.txt" && ok "outline: dedication" || no "outline: dedication"
intro=$(page 'belongs to no one in particular')
grep -q "^label 0 /r 1" "$T/pdf.txt" && grep -q "^label $((intro - 1)) /D 1" "$T/pdf.txt" &&
	ok "page labels: roman, then arabic from 1 at the introduction" || no "page labels" "$(grep label "$T/pdf.txt")"
ref=$(page "Before there were councils") notes=$(page "The first charter for the market")
grep -q "^link $ref $notes\$" "$T/pdf.txt" && ok "note reference links to its end-note (p$ref -> p$notes)" ||
	no "note reference links to its end-note" "$(grep link "$T/pdf.txt")"

# Look at the pages: the dedication, a part divider, an end-notes page.
for what in "dedication:For the people of every town" "divider:Markets and libraries: where goods" \
	"endnotes:The first charter for the market"; do
	p=$(page "${what#*:}")
	pdftoppm -png -r 50 -f "$p" -l "$p" -singlefile "$PDF" "$T/${what%%:*}" &&
		ok "render the ${what%%:*} (page $p)" || no "render the ${what%%:*}"
	[ -n "${BOOK18_PNG:-}" ] && cp "$T/${what%%:*}.png" "$BOOK18_PNG-${what%%:*}.png"
done

# === the EPUB ====================================================================
mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$EPUB")
X=$T/x/OEBPS
if [ -f /usr/bin/epubcheck ] || command -v epubcheck >/dev/null; then
	ec=$(java -jar /usr/bin/epubcheck "$EPUB" 2>&1 || epubcheck "$EPUB" 2>&1)
	printf '%s\n' "$ec" | grep -q "No errors or warnings" && ok "EPUB passes epubcheck" ||
		no "EPUB passes epubcheck" "$(printf '%s\n' "$ec" | grep -E 'ERROR|WARNING' | head)"
else
	skip "epubcheck not installed"
fi
for t in 'epub:type="dedication" role="doc-dedication"' 'epub:type="epigraph" role="doc-epigraph"' \
	'epub:type="foreword" role="doc-foreword"' 'epub:type="preface" role="doc-preface"' \
	'epub:type="halftitlepage"' 'epub:type="introduction" role="doc-introduction"' \
	'epub:type="part" role="doc-part"' 'epub:type="chapter" role="doc-chapter"' \
	'epub:type="afterword" role="doc-afterword"' \
	'epub:type="acknowledgments" role="doc-acknowledgments"' 'epub:type="contributors"' \
	'epub:type="appendix" role="doc-appendix"' 'epub:type="bibliography" role="doc-bibliography"' \
	'epub:type="colophon" role="doc-colophon"'; do
	grep -qF -- "$t" "$X"/text/*.xhtml && ok "EPUB: $t" || no "EPUB: $t"
done
grep -l 'epub:type="dedication"' "$X"/text/*.xhtml | grep -q 'dedication-1.xhtml' &&
	ok "front matter's kind names the file" || no "front matter's kind names the file"
E=$(grep -l "The Market Square" "$X"/text/essay-*.xhtml | head -1)
grep -qF '<section class="endnotes" epub:type="endnotes" role="doc-endnotes"' "$E" &&
	ok "EPUB: end-notes section" || no "EPUB: end-notes section"
grep -qF '<li id="note-1" class="endnote" epub:type="endnote">' "$E" && ok "EPUB: end-note items" ||
	no "EPUB: end-note items" "$(grep -n note "$E" | head)"
grep -c 'role="doc-backlink"' "$E" | grep -qx 3 && ok "EPUB: a backlink per end-note" || no "EPUB: backlinks"
grep -qF 'href="#note-1" id="noteref-1" epub:type="noteref"' "$E" && ok "EPUB: references to end-notes" ||
	no "EPUB: references to end-notes"
grep -q '<aside' "$E" && no "EPUB: no pop-up footnotes with end-notes" || ok "EPUB: no pop-up footnotes with end-notes"
awk '/Part I: Places/{f=1} f&&/<\/ol>/{exit} f' "$X/nav.xhtml" | grep -q "The Market Square" &&
	ok "EPUB nav: essays nested under their part" || no "EPUB nav nested" "$(grep -A8 'Part I' "$X/nav.xhtml")"
grep -qF '>xi</a>' "$X/nav.xhtml" && grep -qF '>1</a>' "$X/nav.xhtml" &&
	ok "EPUB page-list follows the printed folios" || no "EPUB page-list folios"
grep -qF 'Ada Okonkwo</strong> has been a librarian' "$X"/text/contributors-*.xhtml &&
	ok "EPUB: notes on contributors written" || no "EPUB: notes on contributors" "$(cat "$X"/text/contributors-*.xhtml | tail -12)"
grep -qF 'Set in Charis SIL' "$X"/text/colophon-*.xhtml && ok "EPUB: colophon written" || no "EPUB: colophon"
grep -qF 'Set in' "$X/text/copyright.xhtml" && no "EPUB: colophon not repeated" || ok "EPUB: colophon not repeated"

# === notes at the foot, and at the book's end ===================================
sed -i 's/place: chapter-end/place: footnotes/' "$B/book18.yaml"
expect 0 "footnotes build" "$OCTAVO" build "$B" -o "$T/f" && ok "footnotes build"
pdftotext -layout "$T/f/common-ground.pdf" "$T/f.txt"
grep -qE '^ *Notes *$' "$T/f.txt" && no "footnotes: no Notes heading" || ok "footnotes: no Notes heading"
unzip -p "$T/f/common-ground.epub" "OEBPS/text/essay-02.xhtml" | grep -q 'epub:type="footnote"' &&
	ok "footnotes: EPUB pop-up footnotes" || no "footnotes: EPUB pop-up footnotes"
sed -i 's/place: footnotes/place: book-end/' "$B/book18.yaml"
expect 0 "book-end build" "$OCTAVO" build "$B" -o "$T/e" && ok "book-end build"
pdftotext -layout "$T/e/common-ground.pdf" "$T/e.txt"
awk 'BEGIN{RS="\f"} /^ *Notes *\n/ && /The Market Square/ && /The Reading Room/{print "y"}' "$T/e.txt" | grep -q y &&
	ok "book-end: one Notes section, headed by each part's title" || no "book-end: Notes section"
awk 'BEGIN{RS="\f"} /Notes on contributors/{c=NR} /The first charter/{n=NR} END{exit !(n && c && n < c)}' "$T/e.txt" &&
	ok "book-end: notes before the contributors" || no "book-end: notes before the contributors"
if [ -f /usr/bin/epubcheck ]; then
	java -jar /usr/bin/epubcheck "$T/e/common-ground.epub" 2>&1 | grep -q "No errors or warnings" &&
		ok "book-end: EPUB passes epubcheck" || no "book-end: EPUB passes epubcheck"
fi

# A tagged print edition (PDF/UA-1) of every kind: Matterhorn's conditions
# and the marked content all reached from the structure tree.
sed -i 's/place: book-end/place: chapter-end/' "$B/book18.yaml" && printf 'tagged: true\n' >>"$B/book18.yaml"
expect 0 "tagged build" "$OCTAVO" build "$B" -o "$T/g" && ok "tagged build"
for c in matterhorn mcids artifacts; do
	r=$(python3 "$ROOT/tests/tagcheck.py" "$c" "$T/g/common-ground.pdf" 2>&1)
	printf '%s\n' "$r" | grep -q '^FAIL' && no "tagged: $c" "$r" || ok "tagged: $c"
done

# === mistakes ===================================================================
mkbook "$T/m"
cat >"$T/m/book.yaml" <<'YAML'
title: Kinds
language: en-GB
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-555555555555
parts:
  - file: one.md
    kind: dedicaton
  - two.md
YAML
expect 1 "unknown kind" "$OCTAVO" check "$T/m" && contains "unknown kind at book.yaml:7:11" \
	"book.yaml:7:11: error: unknown part kind 'dedicaton'"
contains "unknown kind: the kinds named" "hint: use one of half-title, dedication"
sed -i 's/kind: dedicaton/kind: preface/' "$T/m/book.yaml"
printf -- '---\ntitle: "One"\nkind: appendix\n---\n\nText.\n' >"$T/m/one.md"
expect 0 "front matter's kind differs" "$OCTAVO" check "$T/m"
contains "book.yaml's kind wins, said at the front matter" \
	"one.md:3:7: warning: 'kind: appendix' differs from book.yaml's 'preface', which wins"
printf -- '---\ntitle: "One"\nkind: apendix\n---\n\nText.\n' >"$T/m/one.md"
expect 1 "front matter's unknown kind" "$OCTAVO" check "$T/m" &&
	contains "front matter's unknown kind at its line" "one.md:3:7: error: unknown part kind 'apendix'"
printf -- '---\ntitle: "One"\n---\n\nText.\n' >"$T/m/one.md"
sed -i 's/kind: preface/kind: dedication/' "$T/m/book.yaml"
: >"$T/m/one.md"
expect 1 "an empty dedication" "$OCTAVO" check "$T/m" && contains "an empty dedication is an error" "one.md:1:1: error: part is empty"
printf 'For M.\n' >"$T/m/one.md"
expect 0 "a dedication needs no title" "$OCTAVO" build "$T/m" -o "$T/mo" && ok "a dedication needs no title"
B=$T/m style 's/^  leading: 11pt$/  leading: 11pt\n  place: margin/'
expect 1 "bad notes place" "$OCTAVO" check "$T/m" &&
	contains "bad notes place at its line" "mine.yaml:17:10: error: notes' 'place' must be footnotes, chapter-end or book-end"
# A colophon of the author's own text wins over octavo's.
sed -i '/place: margin/d' "$T/m/mine.yaml"
printf '  - file: col.md\n    kind: colophon\n' >>"$T/m/book.yaml"
sed -i '/^style:/d' "$T/m/book.yaml" && printf 'style: mine.yaml\n' >>"$T/m/book.yaml"
printf 'Set by hand in a shed.\n' >"$T/m/col.md"
expect 0 "own colophon builds" "$OCTAVO" build "$T/m" -o "$T/mc" && ok "own colophon builds"
pdftotext "$T/mc/kinds.pdf" - 2>/dev/null | grep -q "Set by hand in a shed" && ! pdftotext "$T/mc/kinds.pdf" - | grep -q "typeset with octavo" &&
	ok "own colophon text, octavo's left out" || no "own colophon text"
