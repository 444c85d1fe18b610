#!/bin/sh
# tests/suites/lang17.sh - issue 17, items 2-5: quotes and strings by
# language, OpenType features by glyph number, CFF and variable fonts,
# fallback fonts, bidi and UAX #14 line breaks.
#
# Books are made in $T from tests/books/lang17: quotes.md in each language
# of quotes.golden; features.md in EB Garamond (CFF) with old-style figures
# and small capitals; the font kinds through pdffonts and pdftoppm; a Latin
# book with Arabic, Hebrew and Chinese paragraphs in fallback fonts, read
# back with pdftotext. Fonts come from Debian's packages (tests/deps.sh):
# fonts-ebgaramond, fonts-linuxlibertine, fonts-inter-variable,
# fonts-dejavu-core, fonts-droid-fallback; a book whose font is missing is
# skipped, never passed.
. "$ROOT/tests/lib.sh"
L17="$ROOT/tests/books/lang17"

# book DIR LANG MD: a one-part book in LANG from tests/books/lang17/MD.
book() {
	mkdir -p "$1"
	cat >"$1/book.yaml" <<YAML
title: Test
language: $2
publisher: Octavo Press
creators:
  - name: Ann Editor
    role: editor
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-555555555555
parts:
  - one.md
YAML
	cp "$L17/$3" "$1/one.md"
}
# fontbook DIR MD R I B BI [EXTRA]: a book in the given fonts (copied in).
fontbook() {
	fb=$1
	book "$fb" en-GB "$2"
	cp "$ROOT/styles/epub.css" "$fb/"
	for f in "$3" "$4" "$5" "$6"; do cp -L "$f" "$fb/" || return 1; done
	sed -e "s#FONT-R#$(basename "$3")#; s#FONT-I#$(basename "$4")#; s#FONT-B\$#$(basename "$5")#" \
		-e "s#FONT-BI#$(basename "$6")#" "$L17/style.yaml" >"$fb/style.yaml"
	extra=${7:-}
	python3 - "$fb/style.yaml" "$extra" <<'PY'
import sys
p, extra = sys.argv[1], sys.argv[2]
s = open(p).read().replace("EXTRA\n", extra + ("\n" if extra else ""))
open(p, "w").write(s)
PY
	printf 'style: style.yaml\n' >>"$fb/book.yaml"
}
# norm: stdin's text on one line, any run of spaces (U+202F too) one space,
# bidi marks out, lines broken at a hyphen joined.
norm() {
	python3 -c '
import sys, re
t = sys.stdin.read()
t = re.sub("[\u202a-\u202e]", "", t).replace("-\n", "")
print(" ".join(t.split()))'
}
# text PDF: the pages' text (pdftotext), normalised.
text() {
	pdftotext "$1" - 2>&1 | norm
}

# === quotes and strings by language =============================================
grep -v '^#' "$L17/quotes.golden" | while IFS='	' read -r lang para contents editor colophon; do
	d="$T/q-$lang"
	book "$d" "$lang" quotes.md
	name="quotes and strings in $lang"
	expect 0 "$name" "$OCTAVO" build "$d" -o "$d/out" -q || continue
	got=$(text "$d/out/test.pdf")
	miss=""
	for want in "$para" "$contents" "$editor" "$colophon"; do
		want=$(printf '%s' "$want" | norm)
		printf '%s\n' "$got" | grep -qF -- "$want" || miss="$miss
want: $want"
	done
	[ -n "$miss" ] && miss="$miss
got: $got"
	if [ -z "$miss" ]; then ok "$name"; else no "$name" "$miss"; fi
done

# French: the spaces before ; : ! ? and inside guillemets are narrow no-break
# spaces (U+202F) in both editions.
d="$T/q-fr"
n=$(printf '\342\200\257')
if unzip -p "$d/out/test.epub" OEBPS/text/essay-01.xhtml 2>/dev/null | grep -qF "stop$n: is it right$n? Yes$n! Wait$n; ok. At 10:30 see the «$n""Quoi$n?$n» line" &&
	qpdf --qdf --object-streams=disable "$d/out/test.pdf" "$T/fr.pdf" 2>/dev/null &&
	grep -aq '> <202F>' "$T/fr.pdf"; then
	ok "French spacing: narrow no-break spaces before ; : ! ? and inside guillemets"
else
	no "French spacing: narrow no-break spaces before ; : ! ? and inside guillemets" \
		"$(unzip -p "$d/out/test.epub" OEBPS/text/essay-01.xhtml | grep -o "see the.*" | od -c)"
fi
# A quote between two marks of punctuation opens where it follows a space
# or a bracket ('_"/"_', '("/")'): cmark-gfm's smart quotes close both
# there, and the Node.js docs printed '”/”' 47 times. A closing mark
# after code stays closing; an inch mark stays one.
d="$T/smart"
book "$d" en-US smart.md
if expect 0 "smart quotes: the book builds" "$OCTAVO" build "$d" -o "$d/out" -q; then
	got=$(text "$d/out/test.pdf")
	want='A path holds no “/” separator, nor (“/”) nor “%2F” in it.'
	printf '%s\n' "$got" | grep -qF -- "$want" && ok "smart quotes: '_\"/\"_' and '(\"/\")' open, in the PDF" ||
		no "smart quotes: '_\"/\"_' and '(\"/\")' open, in the PDF" "$got"
	x=$(unzip -p "$d/out/test.epub" OEBPS/text/essay-01.xhtml)
	want='Nested: “outer <em>‘inner’</em> text” and (“<code>x</code>”) and 5” wide.'
	printf '%s\n' "$x" | grep -qF -- "$want" && ok "smart quotes: nested, after code and inches, in the EPUB" ||
		no "smart quotes: nested, after code and inches, in the EPUB" "$(printf '%s\n' "$x" | grep Nested)"
fi
# The EPUB's own strings: landmarks and page list in the language.
if unzip -p "$T/q-de/out/test.epub" OEBPS/nav.xhtml | grep -q '<h2>Orientierungspunkte</h2>' &&
	unzip -p "$T/q-de/out/test.epub" OEBPS/nav.xhtml | grep -q '<h2>Seiten</h2>' &&
	unzip -p "$T/q-de/out/test.epub" OEBPS/text/copyright.xhtml | grep -q 'Gesetzt aus der Charis SIL mit octavo'; then
	ok "the EPUB's landmarks, page list and colophon in German"
else
	no "the EPUB's landmarks, page list and colophon in German" "$(unzip -p "$T/q-de/out/test.epub" OEBPS/nav.xhtml | grep h2)"
fi
if command -v java >/dev/null && [ -f /usr/bin/epubcheck ]; then
	out=$(java -jar /usr/bin/epubcheck "$T/q-fr/out/test.epub" 2>&1)
	contains "epubcheck passes the French EPUB" "0 fatals / 0 errors / 0 warnings"
fi

# strings: overrides, and an unknown key is an error at its place.
d="$T/strings"
book "$d" de quotes.md
cat >>"$d/book.yaml" <<'YAML'
strings:
  contents: Inhaltsverzeichnis
  colophon: "Aus der {fonts} gesetzt"
  quotes: "»«›‹"
YAML
if expect 0 "strings: overrides" "$OCTAVO" build "$d" -o "$d/out" -q; then
	got=$(text "$d/out/test.pdf")
	if printf '%s\n' "$got" | grep -qF 'Inhaltsverzeichnis' &&
		printf '%s\n' "$got" | grep -qF 'Aus der Charis SIL 10,5/14 pt gesetzt' &&
		printf '%s\n' "$got" | grep -qF 'She said »this is ›inner‹ text«'; then
		ok "strings: overrides (contents, colophon, quotes)"
	else
		no "strings: overrides (contents, colophon, quotes)" "$got"
	fi
fi
printf '  tocc: Inhalt\n' >>"$d/book.yaml"
line=$(grep -n 'tocc' "$d/book.yaml" | cut -d: -f1)
if expect 1 "strings: unknown key" "$OCTAVO" build "$d" -o "$d/out2" -q; then
	contains "strings: an unknown key is an error at its line and column" "book.yaml:$line:3: error: unknown string 'tocc'"
fi

# === OpenType features: glyph numbers in the content stream ===================
# glyphs PDF TEXT: the CIDs the ToUnicode CMaps map to TEXT, and whether
# each is drawn in a content stream ("cid:drawn" per line).
glyphs() {
	qpdf --qdf --object-streams=disable "$1" "$T/qdf.pdf" 2>/dev/null
	python3 - "$T/qdf.pdf" "$2" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
want = sys.argv[2].encode('utf-16-be').hex().upper()
cids = set()
for m in re.finditer(rb'beginbfchar\n(.*?)endbfchar', d, re.S):
    for a, b in re.findall(rb'<([0-9A-F]{4})> <([0-9A-F]+)>', m.group(1)):
        if b.decode() == want:
            cids.add(a.decode())
drawn = set()
# qpdf's QDF writes the strings in hex: <0013001700...>
for m in re.finditer(rb'\[([^\]]*)\] TJ', d):
    for h in re.findall(rb'<([0-9a-fA-F]+)>', m.group(1)):
        for k in range(0, len(h) - 3, 4):
            drawn.add(h[k:k + 4].decode().upper())
for c in sorted(cids):
    print('%s:%s' % (c, 'drawn' if c in drawn else 'not-drawn'))
PY
}
G=/usr/share/fonts/opentype/ebgaramond
if [ -f "$G/EBGaramond12-Regular.otf" ]; then
	d="$T/garamond"
	fontbook "$d" features.md "$G/EBGaramond12-Regular.otf" "$G/EBGaramond12-Italic.otf" \
		"$G/EBGaramond12-Bold.otf" "$G/EBGaramond12-Bold.otf" "  figures: old-style
  small-caps: acronyms"
	d2="$T/garamond-lining"
	fontbook "$d2" features.md "$G/EBGaramond12-Regular.otf" "$G/EBGaramond12-Italic.otf" \
		"$G/EBGaramond12-Bold.otf" "$G/EBGaramond12-Bold.otf" "  figures: lining"
	if expect 0 "EB Garamond with old-style figures and small caps" "$OCTAVO" build "$d" -o "$d/out" &&
		expect 0 "EB Garamond with lining figures" "$OCTAVO" build "$d2" -o "$d2/out" -q; then
		if printf '%s\n' "$out" | grep -q warning; then no "no warning for EB Garamond" "$out"; fi
		# Two glyphs for N: the capital and the small capital of NHS.
		n=$(glyphs "$d/out/test.pdf" N | grep -c ':drawn')
		if [ "$n" -ge 2 ]; then ok "small capitals drawn as their own glyphs (c2sc), ToUnicode 'N'"; else no "small capitals drawn as their own glyphs (c2sc)" "$(glyphs "$d/out/test.pdf" N)"; fi
		o=$(glyphs "$d/out/test.pdf" 9) l=$(glyphs "$d2/out/test.pdf" 9)
		# The subsets differ, so compare what the glyphs look like:
		# the renders of the two differ where the figures are.
		pdftoppm -r 60 -f 7 -l 7 -png "$d/out/test.pdf" "$T/old" 2>"$T/err1"
		pdftoppm -r 60 -f 7 -l 7 -png "$d2/out/test.pdf" "$T/lin" 2>"$T/err2"
		if [ -n "$o" ] && [ -n "$l" ] && ! cmp -s "$T"/old*.png "$T"/lin*.png && [ ! -s "$T/err1" ]; then
			ok "old-style figures drawn by glyph number (ToUnicode '9'), a render unlike lining figures'"
		else
			no "old-style figures drawn by glyph number" "$o / $l $(cat "$T/err1")"
		fi
		if pdftotext "$d/out/test.pdf" - | grep -q 'In 1984 the NHS and the NCVO spent 2,375 pounds on 16 offices'; then
			ok "text with small capitals, old-style figures and ligatures extracts as written"
		else
			no "text with small capitals, old-style figures and ligatures extracts as written" "$(pdftotext "$d/out/test.pdf" - | grep 1984)"
		fi
	fi
else
	skip "EB Garamond: fonts-ebgaramond not installed"
fi

# === font kinds through pdffonts and pdftoppm ====================================
kind() { # kind NAME TYPE R I B BI [EXTRA]
	n=$1 type=$2
	shift 2
	if [ ! -f "$1" ]; then
		skip "$n: $1 not installed"
		return
	fi
	d="$T/kind-$(printf '%s' "$n" | tr -c 'A-Za-z0-9\n' -)"
	fontbook "$d" features.md "$@"
	expect 0 "$n builds" "$OCTAVO" build "$d" -o "$d/out" -q || return
	fonts=$(pdffonts "$d/out/test.pdf" 2>&1)
	render=$(pdftoppm -r 40 -png "$d/out/test.pdf" "$T/r" 2>&1)
	if printf '%s\n' "$fonts" | grep -qiE 'error|warning|mismatch' || [ -n "$render" ]; then
		no "$n: pdffonts and pdftoppm without a warning" "$fonts
$render"
	elif printf '%s\n' "$fonts" | sed -n '3,$p' | grep -v "$type" | grep -q .; then
		no "$n: embedded as $type" "$fonts"
	else
		ok "$n: embedded as $type, no warning from pdffonts or pdftoppm"
	fi
}
F="$ROOT/fonts"
kind "Charis SIL (TrueType)" "CID TrueType" "$F/CharisSIL-Regular.ttf" "$F/CharisSIL-Italic.ttf" \
	"$F/CharisSIL-Bold.ttf" "$F/CharisSIL-BoldItalic.ttf"
kind "EB Garamond (OpenType CFF)" "CID Type 0C (OT)" "$G/EBGaramond12-Regular.otf" \
	"$G/EBGaramond12-Italic.otf" "$G/EBGaramond12-Bold.otf" "$G/EBGaramond12-Bold.otf"
LL=/usr/share/fonts/opentype/linux-libertine
kind "Linux Libertine (OpenType CFF)" "CID Type 0C (OT)" "$LL/LinLibertine_R.otf" \
	"$LL/LinLibertine_RI.otf" "$LL/LinLibertine_RB.otf" "$LL/LinLibertine_RBI.otf"
V=/usr/share/fonts/truetype/inter-vf/Inter.var.ttf
kind "Inter (variable TrueType)" "CID TrueType" "$V" "$V" "$V" "$V" "  axes:
    regular: {weight: 430, opsz: auto}
    bold: {weight: 700}"

# A variable font gives four instances from one file: four fonts embedded,
# the bold one heavier than the regular (its stems: more ink in a render).
if [ -f "$V" ]; then
	d="$T/kind-Inter--variable-TrueType-"
	n=$(pdffonts "$d/out/test.pdf" | sed -n '3,$p' | wc -l)
	if [ "$n" -eq 1 ]; then
		# features.md is all regular: add bold, italic and bold italic.
		printf '\nRegular, *italic*, **bold** and ***bold italic***.\n' >>"$d/one.md"
		"$OCTAVO" build "$d" -o "$d/out" -q
		n=$(pdffonts "$d/out/test.pdf" | sed -n '3,$p' | wc -l)
	fi
	if [ "$n" -eq 4 ]; then ok "one variable file gives four faces ($n instances embedded)"; else no "one variable file gives four faces" "$(pdffonts "$d/out/test.pdf")"; fi
fi

# === fallback fonts, bidi and CJK ================================================
DJ=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
DF=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
if [ -f "$DJ" ] && [ -f "$DF" ]; then
	d="$T/scripts"
	fontbook "$d" scripts.md "$F/CharisSIL-Regular.ttf" "$F/CharisSIL-Italic.ttf" \
		"$F/CharisSIL-Bold.ttf" "$F/CharisSIL-BoldItalic.ttf" "  fallback: [DejaVuSans.ttf, DroidSansFallbackFull.ttf]"
	cp -L "$DJ" "$DF" "$d/"
	expect 0 "a Latin book with Arabic, Hebrew and Chinese paragraphs" "$OCTAVO" build "$d" -o "$d/out"
	line=$(grep -n 'no font here has' "$d/one.md" | cut -d: -f1)
	contains "a character no font has: a warning at its place" "one.md:$line:26: warning: no font has '🙂' (U+1F642); it is printed as a hollow box"
	if pdftotext "$d/out/test.pdf" - | grep -q 'has: □ stays'; then ok "a character no font has: a visible mark"; else no "a character no font has: a visible mark"; fi
	got=$(text "$d/out/test.pdf")
	# Each paragraph comes back in logical order, word for word (the
	# punctuation beside a right-to-left word aside, which poppler puts
	# where it sees it).
	for script in Arabic Hebrew Chinese Greek; do
		case $script in
		Arabic) key='مرحبا' ;;
		Hebrew) key='שלום' ;;
		Chinese) key='公民社会' ;;
		Greek) key='Latin paragraph' ;;
		esac
		want=$(grep -F "$key" "$d/one.md")
		# The paragraph's letters and digits, in their order, are a run
		# of the page's (spaces and punctuation aside: poppler puts a
		# right-to-left word's trailing stop where it lies).
		if python3 - "$want" "$got" <<'PY'; then
import sys, re
def letters(s):
    return re.sub(r'[\W_]', '', s)
sys.exit(0 if letters(sys.argv[1]) in letters(sys.argv[2]) else 1)
PY
			ok "$script paragraph: pdftotext gives the logical order back"
		else
			no "$script paragraph: pdftotext gives the logical order back" "want: $want
have: $got"
		fi
	done
	# Right to left: the Arabic paragraph's first word is at the right
	# of its line, the indent there too.
	xs=$(pdftotext -bbox "$d/out/test.pdf" - 2>/dev/null | python3 -c '
import sys, re
t = sys.stdin.read()
# pdftotext -bbox gives the letters of a right-to-left word as they lie, reversed
for w in ("مرحبا"[::-1], "بكم"[::-1]):
    m = re.search(r"xMin=\"([0-9.]+)\"[^>]*>" + w + "<", t)
    print(m.group(1) if m else "none")')
	a=$(printf '%s\n' "$xs" | sed -n 1p) b=$(printf '%s\n' "$xs" | sed -n 2p)
	if [ "$a" != none ] && [ "$b" != none ] && python3 -c "import sys; sys.exit(0 if $a > $b else 1)"; then
		ok "right to left: the Arabic paragraph's first word is right of its second"
	else
		no "right to left: the Arabic paragraph's first word is right of its second" "$xs"
	fi
	fonts=$(pdffonts "$d/out/test.pdf" 2>&1)
	if printf '%s\n' "$fonts" | grep -q DejaVuSans && printf '%s\n' "$fonts" | grep -q DroidSansFallback; then
		ok "fallback fonts embedded only as used (DejaVu Sans, Droid Sans Fallback)"
	else
		no "fallback fonts embedded" "$fonts"
	fi
	# The EPUB: the Arabic and Hebrew paragraphs take their direction
	# from their first strong letter (dir="auto"), the others not.
	n=$(unzip -p "$d/out/test.epub" OEBPS/text/essay-01.xhtml | grep -c '<p dir="auto">')
	if [ "$n" -eq 2 ]; then ok "EPUB: right-to-left paragraphs take dir=\"auto\""; else no "EPUB: right-to-left paragraphs take dir=\"auto\" ($n)"; fi
	out=$(java -jar /usr/bin/epubcheck "$d/out/test.epub" 2>&1)
	contains "epubcheck passes the EPUB with Arabic, Hebrew and Chinese" "0 fatals / 0 errors / 0 warnings"
	# The Chinese paragraph breaks between ideographs: more than one line.
	n=$(pdftotext "$d/out/test.pdf" - | grep -c '[的是]')
	if [ "$n" -ge 2 ]; then ok "Chinese breaks between ideographs (UAX #14): $n lines"; else no "Chinese breaks between ideographs" "$(pdftotext "$d/out/test.pdf" -)"; fi
else
	skip "fallback, bidi, CJK: fonts-dejavu-core or fonts-droid-fallback not installed"
fi
