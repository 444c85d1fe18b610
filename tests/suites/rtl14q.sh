#!/bin/sh
# tests/suites/rtl14q.sh - a book in Hebrew with an essay in Arabic
# (tests/books/rtl14q), set right to left in the PDF where octavo set it
# left to right: the contents (titles from the right margin, page numbers
# at the left), tables (the first column at the right, the table at the
# measure's right edge), the book's strings in Hebrew (the contents'
# heading, the colophon with a decimal point, "and" written onto the name
# after it, with a maqaf before a Latin one); a book in az-Arab, which has
# no patterns and needs none. Each check but epubcheck's fails on the
# octavo before the mend (aa2cdaa).
. "$ROOT/tests/lib.sh"

B=$ROOT/tests/books/rtl14q
O=$T/rtl
expect 0 "a Hebrew book with an Arabic essay builds" "$OCTAVO" build "$B" -o "$O" -q || exit 0
PDF=$O/rtl.pdf
EPUB=$O/rtl.epub
pdftotext -bbox "$PDF" "$T/bbox.html" 2>/dev/null

# words PAGE-WORD LINE-WORD...: on the page that holds PAGE-WORD, the x
# extents of each LINE-WORD (found in either order of its letters, as
# pdftotext gives right-to-left words in visual order), one line each:
# "WORD xMin xMax", or "WORD missing"; then "RIGHT x x", the page's
# rightmost word's xMax.
words() {
	python3 - "$T/bbox.html" "$@" <<'PY'
import re, sys
pages, page = [], None
for m in re.finditer(r'<page |xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                     open(sys.argv[1], encoding='utf-8').read()):
    if m.group(0) == '<page ':
        page = []
        pages.append(page)
    else:
        page.append((float(m.group(1)), float(m.group(2)), m.group(3)))
key, want = sys.argv[2], sys.argv[3:]
def find(page, w):
    return [p for p in page if w in (p[2], p[2][::-1])]
for page in pages:
    if find(page, key):
        for w in want:
            f = find(page, w)
            print(w, "%.1f %.1f" % f[0][:2] if f else "missing")
        r = max(p[1] for p in page)
        print("RIGHT %.1f %.1f" % (r, r))
        sys.exit()
print(key, "page missing")
PY
}
# x WORD: the xMin (2) or xMax (3) of WORD in $got.
x() { printf '%s\n' "$got" | awk -v w="$1" -v f="$2" '$1 == w { print $f }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && a + 0 < b + 0) }'; }

# === the contents ==============================================================
got=$(words העניינים העניינים 1 3 العربية בעברית עימוד)
if lt "$(x 1 3)" "$(x בעברית 2)" && lt "$(x 3 3)" "$(x العربية 2)"; then
	ok "contents: each page number at the left of its title"
else
	no "contents: each page number at the left of its title" "$got"
fi
# The titles end at the measure's right edge, as the heading's page's
# widest line does (the first essay's title, 'עימוד').
if lt "$(x 1 3)" 100 && lt 340 "$(x עימוד 3)"; then
	ok "contents: titles from the right margin, numbers at the left margin"
else
	no "contents: titles from the right margin, numbers at the left margin" "$got"
fi
heading=$(pdftotext -f 5 -l 5 "$PDF" - 2>/dev/null | head -3)
case $(pdftotext "$PDF" - 2>/dev/null) in
*"תוכן העניינים"*) ok "contents: its heading in Hebrew, 'תוכן העניינים'" ;;
*) no "contents: its heading in Hebrew, 'תוכן העניינים'" "$heading" ;;
esac

# === tables ====================================================================
# The Hebrew table: 'ספר' (book) the first column, at the right; then
# 'עמודים' (pages), then 'שורות בעמוד' (lines a page) at the left.
got=$(words מילון ספר עמודים שורות מילון ספרים)
if lt "$(x עמודים 3)" "$(x ספר 2)" && lt "$(x שורות 3)" "$(x עמודים 2)"; then
	ok "Hebrew table: its columns from right to left"
else
	no "Hebrew table: its columns from right to left" "$got"
fi
# Its first column's right edge on the measure's (where the justified
# paragraph above ends its lines: the page's rightmost word).
got=$(words מילון מילון)
xr=$(x מילון 3) xp=$(x RIGHT 3)
if [ -n "$xr" ] && [ -n "$xp" ] && awk -v b="$xr" -v p="$xp" 'BEGIN { exit !(p - b < 1) }'; then
	ok "Hebrew table: at the measure's right edge ($xr of $xp)"
else
	no "Hebrew table: at the measure's right edge" "$got"
fi
# The Arabic table: 'المدينة' (city) at the right of 'السكان' (population),
# and 'القاهرة' (Cairo) at the right of its figure.
got=$(words 10,000,000 المدينة السكان القاهرة 10,000,000)
if lt "$(x السكان 3)" "$(x المدينة 2)" && lt "$(x 10,000,000 3)" "$(x القاهرة 2)"; then
	ok "Arabic table: its columns from right to left"
else
	no "Arabic table: its columns from right to left" "$got"
fi

# === the book's strings ========================================================
# The colophon in Hebrew, with Hebrew's decimal point.
got=$(pdftotext "$PDF" - 2>/dev/null | grep 14)
case $got in
*"סודר באות"*"10.5/14 pt"*) ok "colophon: in Hebrew, with a decimal point: '10.5/14 pt'" ;;
*) no "colophon: in Hebrew, with a decimal point: '10.5/14 pt'" "$got" ;;
esac
mkdir -p "$T/e" && (cd "$T/e" && unzip -qo "$EPUB")
got=$(grep -rh 'class="creator"' "$T/e" 2>/dev/null)
case $got in
*"בעריכת רות כהן ומיכל לוי"*) ok "EPUB credits: 'בעריכת', and 'ו' written onto the name after it" ;;
*) no "EPUB credits: 'בעריכת', and 'ו' written onto the name after it" "$got" ;;
esac
case $got in
*"Dana Levi ו־Ami Bar"*) ok "EPUB credits: 'ו־' (with a maqaf) before a Latin name" ;;
*) no "EPUB credits: 'ו־' (with a maqaf) before a Latin name" "$got" ;;
esac
epubcheck_ok "Hebrew and Arabic book" "$EPUB"

# === bidi15: FriBidi's levels over the paragraph, each line reordered =========
# three.md's 'בשנת 2024, הארגון ב־Habitat for Humanity בנה (12) בתים':
# the comma after 2024 takes the paragraph's level (1), so it stands at
# the left of the number; the Latin run after 'ב־' reads left to right as
# a whole, at the left of 'ב־' (the octavo before the mend, 21a1ea4, set
# 'for Humanity Habitat־ב' and '2024,').
line2024() {
	python3 - "$T/bbox.html" <<'PY'
import re, sys
for page in open(sys.argv[1], encoding='utf-8').read().split('<page ')[1:]:
    words = [(float(a), float(y), float(b), w) for a, y, b, w in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)]
    at = [w for w in words if w[3] in ('2024', '2024,')]
    if at:
        line = sorted(w for w in words if abs(w[1] - at[0][1]) < 4)
        print(" ".join(w[3] for w in line))
        sys.exit()
print("no 2024")
PY
}
got=$(line2024)
case " $got " in
*" , 2024 "*) ok "bidi: the comma after 2024 at its left, in the right-to-left line" ;;
*) no "bidi: the comma after 2024 at its left, in the right-to-left line" "$got" ;;
esac
case " $got " in
*" Habitat for Humanity ־ב "*) ok "bidi: 'Habitat for Humanity' whole, at the left of 'ב־'" ;;
*) no "bidi: 'Habitat for Humanity' whole, at the left of 'ב־'" "$got" ;;
esac
# A left-to-right paragraph (three.md's 'In English the greeting is שלום,
# the word...'): the comma after the Hebrew word takes the paragraph's
# level, at its right ('םולש,'), where the word shaped alone put it at
# its left (',םולש').
got=$(words greeting is םולש, ,םולש the)
case $got in
*"םולש, "[0-9]*) ok "bidi: in a left-to-right paragraph, the comma after 'שלום' at its right" ;;
*) no "bidi: in a left-to-right paragraph, the comma after 'שלום' at its right" "$got" ;;
esac
# pdftotext puts the line back in logical order (its own heuristic): the
# Latin words after 'ב־', in their order.
got=$(pdftotext "$PDF" - 2>/dev/null | python3 -c 'import re,sys; print(re.sub("[\u202a-\u202e]", "", sys.stdin.read()))' | grep Habitat)
case $got in
*"ב־ Habitat for Humanity"*) ok "bidi: pdftotext reads 'ב־ Habitat for Humanity' in order" ;;
*) no "bidi: pdftotext reads 'ב־ Habitat for Humanity' in order" "$got" ;;
esac
# The report prints lines in logical order, as written (it printed each
# right-to-left word's glyphs, reversed).
expect 0 "report of the Hebrew book" "$OCTAVO" report "$B" --lines
case $out in
*"בשנת 2024, הארגון ב־Habitat for Humanity בנה (12) בתים"*)
	ok "report: a Hebrew line in logical order" ;;
*) no "report: a Hebrew line in logical order" "$(printf '%s\n' "$out" | grep -i habitat)" ;;
esac

# === bidi15: a book bound on the right =========================================
# The running head of three.md ('octavo: מדריך לעימוד') runs right to left
# as its essay does: 'octavo:' at the right of 'מדריך', not by its first
# letter at the left. Rectos (odd PDF pages) have the spine at their right:
# their text block sits further right than a verso's, by outer - inner
# (21 - 17 mm); the folio and the head mirror with it.
pages() {
	python3 - "$T/bbox.html" <<'PY'
import re, sys
pages = open(sys.argv[1], encoding='utf-8').read().split('<page ')[1:]
for i, p in enumerate(pages):
    ws = [(float(a), float(y), float(b), w) for a, y, b, w in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', p)]
    if not ws:
        continue
    head = sorted(w for w in ws if w[1] < 60)
    body = [w for w in ws if w[1] >= 60]
    print(i + 1, "%.1f" % max(w[2] for w in body), "|", " ".join(w[3] for w in head))
PY
}
got=$(pages)
case $got in
*"| דומיעל ךירדמ :octavo"*) ok "running head: 'octavo: מדריך לעימוד' set right to left" ;;
*) no "running head: 'octavo: מדריך לעימוד' set right to left" "$got" ;;
esac
# the rightmost text of the essays' rectos and versos
r=$(printf '%s\n' "$got" | awk '$1 % 2 == 1 && $1 > 4 && $2 > m { m = $2 } END { print m }')
v=$(printf '%s\n' "$got" | awk '$1 % 2 == 0 && $1 > 4 && $2 > m { m = $2 } END { print m }')
if [ -n "$r" ] && [ -n "$v" ] && awk -v r="$r" -v v="$v" 'BEGIN { exit !(r - v > 11 && r - v < 11.7) }'; then
	ok "mirrored margins: rectos bound on the right ($r against the versos' $v)"
else
	no "mirrored margins: rectos bound on the right" "rectos $r, versos $v
$got"
fi
got=$(qpdf --json "$PDF" 2>/dev/null | grep -A2 '"/ViewerPreferences"')
case $got in
*'"/Direction": "/R2L"'*) ok "PDF: /ViewerPreferences /Direction /R2L" ;;
*) no "PDF: /ViewerPreferences /Direction /R2L" "$got" ;;
esac
if grep -q 'page-progression-direction="rtl"' "$T"/e/*/*.opf "$T"/e/*.opf 2>/dev/null; then
	ok "EPUB: the spine's page-progression-direction is rtl"
else
	no "EPUB: the spine's page-progression-direction is rtl" "$(grep -h '<spine' "$T"/e/*/*.opf "$T"/e/*.opf 2>/dev/null)"
fi

# === a language without patterns, in a script whose words are not divided ======
# Azerbaijani in the Arabic script: no patterns anywhere, none needed.
cp -r "$B" "$T/az"
sed -i 's/^language: he$/language: az-Arab/' "$T/az/book.yaml"
expect 0 "a book in 'az-Arab' builds, unhyphenated" "$OCTAVO" build "$T/az" -o "$T/azout" -q &&
	[ -s "$T/azout/rtl.pdf" ] && ok "a book in 'az-Arab' builds, unhyphenated"

# === the wrap cover =============================================================
# A right-to-left book opens from the other side: its front is left of the
# spine and its back right; the spine's title runs up it, its tops to the
# front at the left, so it reads with the book lying front up, from its
# first word at the head; the Hebrew on the spine drawn, not left out.
cp -r "$B" "$T/cv"
sed -i 's|^  uuid:|  isbn-print: "978-0-306-40615-7"\n  uuid:|; s|^slug: rtl$|slug: rtl\npaper: 0.02in\npublisher: הוצאת אוקטבו\ndescription: "ספר קטן על עימוד ספרים."|' "$T/cv/book.yaml"
if expect 0 "the wrap cover of a right-to-left book" "$OCTAVO" cover "$T/cv" -o "$T/cvout" --profile offset -q; then
	W=$(pdfinfo "$T/cvout/rtl-cover.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x.*/\1/p')
	pdftotext -bbox "$T/cvout/rtl-cover.pdf" "$T/cv.html" 2>/dev/null
	# "WORD xMin xMax yMin" for each word, by either order of its letters
	got=$(python3 - "$T/cv.html" "$W" <<'PY'
import re, sys
ws = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                open(sys.argv[1], encoding='utf-8').read())
mid = float(sys.argv[2]) / 2
for want in ('מדריך', 'ספרים', 'ISBN'):
    for x0, y0, x1, t in ws:
        if want in (t, t[::-1]):
            x0, x1 = float(x0), float(x1)
            where = 'spine' if abs((x0 + x1) / 2 - mid) < 12 else 'left' if x1 < mid else 'right'
            print(want, where, y0)
PY
)
	case $got in
	*"מדריך left"*"ספרים left"*) ok "cover: the front (its title) left of the spine" ;;
	*) no "cover: the front (its title) left of the spine" "$got" ;;
	esac
	case $got in
	*"ISBN right"*) ok "cover: the back (its barcode) right of the spine" ;;
	*) no "cover: the back (its barcode) right of the spine" "$got" ;;
	esac
	head=$(printf '%s\n' "$got" | awk '$1 == "מדריך" && $2 == "spine" { print $3 }')
	tail=$(printf '%s\n' "$got" | awk '$1 == "ספרים" && $2 == "spine" { print $3 }')
	if lt "$head" "$tail"; then
		ok "cover: the spine's title runs up, its first word at the head ($head above $tail)"
	else
		no "cover: the spine's title runs up, its first word at the head" "$got"
	fi
fi

# === a forced break in a right-to-left word =====================================
# A Hebrew word longer than the measure is cut with a hyphen: the hyphen
# at the line's end side, its left, not at the right of the cut piece
# (between it and the line's first half of the word, as it was drawn).
cp -r "$B" "$T/cut"
long=$(python3 -c "print('אבגדהוזחטיכלמנסעפצקרשת' * 4)")
printf '\nמילה ארוכה מאוד: %s סוף.\n' "$long" >>"$T/cut/two.md"
if expect 0 "a Hebrew word longer than the measure" "$OCTAVO" build "$T/cut" -o "$T/cutout" -q; then
	pdftotext -bbox "$T/cutout/rtl.pdf" "$T/cut.html" 2>/dev/null
	got=$(python3 - "$T/cut.html" <<'PY'
import re, sys
heb = lambda t: any('\u05d0' <= ch <= '\u05ea' for ch in t)
for page in open(sys.argv[1], encoding='utf-8').read().split('<page ')[1:]:
    ws = [(float(a), float(b), c) for a, b, c in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', page)]
    for x, y, t in ws:
        if '-' in t and heb(t):
            print('inside', t)
        elif t == '-':
            line = [w for w in ws if abs(w[1] - y) < 3 and w[2] != '-']
            print('end' if line and x < min(w[0] for w in line) else 'not-end', x)
PY
)
	case $got in
	*inside* | *not-end* | "") no "a right-to-left word's forced break: the hyphen at the line's left end" "$got" ;;
	*) ok "a right-to-left word's forced break: the hyphen at the line's left end ($(echo $got | wc -w) words)" ;;
	esac
fi
