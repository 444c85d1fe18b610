#!/bin/sh
# tests/suites/text14n.sh - issue 14's item 7 at the level of what authors
# type (tests/books/text14n):
#
# - Arrows and operators typed in ASCII ("->", "<-", "<->", "!=") are one
#   sign: never broken inside (a chain "a->b->c" breaks only after a whole
#   arrow), closed up, and extracted as typed.
# - Titles, subtitles and bylines from YAML take the language's dash and
#   quotes as the Markdown's text does: on the title pages, in the
#   contents, the running heads, the EPUB's nav and dc:title.
# - A fallback glyph in a bold or italic word is set in the fallback
#   font's bold or italic (DejaVu Serif Bold for bold Greek), or its
#   upright slanted or emboldened where the font has none (with only
#   fonts-dejavu-core's files); code's fallback glyphs come from a
#   monospaced font and keep the grid.
. "$ROOT/tests/lib.sh"
B=$T/b
cp -r "$ROOT/tests/books/text14n" "$B"
PDF=$T/o/arrows.pdf
EPUB=$T/o/arrows.epub
FB=/usr/share/fonts/truetype/dejavu
if [ ! -f "$FB/DejaVuSerif-Bold.ttf" ] || [ ! -f "$FB/DejaVuSansMono.ttf" ]; then
	skip "text14n: fonts-dejavu-core not installed"
	exit 0
fi
expect 0 "text14n: the book builds" "$OCTAVO" build "$B" -o "$T/o" || exit 0
text=$(pdftotext "$PDF" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
pdftotext -bbox-layout "$PDF" "$T/layout.html" 2>/dev/null

# has_text NAME WANT: the PDF's text holds WANT.
has_text() {
	case "$text" in *"$2"*) ok "$1" ;; *) no "$1" "$text" ;; esac
}

# === arrows =====================================================================
# Each line of the text layer's first and last word: no line may start
# with the rest of an arrow ('>' or '=' after a break inside '->', '<->').
lines=$(python3 - "$T/layout.html" <<'PY'
import html, re, sys
x = open(sys.argv[1]).read()
for ln in re.findall(r"<line[^>]*>(.*?)</line>", x, re.S):
    ws = [html.unescape(w) for w in re.findall(r"<word[^>]*>([^<]*)</word>", ln)]
    if ws:
        print(ws[0], ws[-1])
PY
)
bad=$(printf '%s\n' "$lines" | grep -E '^[>=]')
[ -z "$bad" ] && ok "arrows: no line starts inside an arrow ('>' or '=')" ||
	no "arrows: no line starts inside an arrow ('>' or '=')" "$bad"
n=$(printf '%s\n' "$lines" | grep -cE -- '(->|<->)$')
[ "$n" -ge 1 ] && ok "arrows: a chain 'a->b->c' breaks after a whole arrow ($n lines)" ||
	no "arrows: a chain 'a->b->c' breaks after a whole arrow" "$lines"
has_text "arrows: extract as typed" "the map x -> y sends each point on, and b <- a goes back; p => q and q <=> p, a <-> b, and x != y."
# Closed up: '!=' was 14.0 pt wide with the font's spacing round '='.
w=$(python3 - "$T/layout.html" <<'PY'
import re, sys
x = open(sys.argv[1]).read()
m = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">!=</word>', x)
print("%.1f" % (float(m.group(2)) - float(m.group(1))) if m else 99)
PY
)
awk "BEGIN{exit !($w < 13)}" && ok "arrows: '!=' set close ($w pt < 13)" || no "arrows: '!=' set close ($w pt < 13)"

# === titles from YAML ============================================================
has_text "titles: the book's title, an en-GB spaced en dash and single quotes" "Arrows – and ‘Signs’"
has_text "titles: the book's subtitle likewise" "A book – with ‘quotes’"
has_text "titles: an essay's title" "Maps – and Arrows"
has_text "titles: an essay's subtitle" "From x – y to ‘there’"
case "$text" in *" - "*) no "titles: no spaced hyphen left in the PDF" "$text" ;; *) ok "titles: no spaced hyphen left in the PDF" ;; esac
x=$T/x
mkdir -p "$x" && (cd "$x" && unzip -q "$EPUB")
opf=$(cat "$x"/OEBPS/*.opf)
case "$opf" in *'<dc:title id="title">Arrows – and ‘Signs’</dc:title>'*) ok "titles: EPUB dc:title as printed" ;;
*) no "titles: EPUB dc:title as printed" "$(printf '%s\n' "$opf" | grep dc:title)" ;; esac
nav=$(cat "$x"/OEBPS/nav.xhtml)
# (a no-break space ties the dash to the word before, as in the body)
nb=$(printf '\302\240')
case "$nav" in *">Maps$nb– and Arrows<"*) ok "titles: EPUB nav" ;; *) no "titles: EPUB nav" "$nav" ;; esac
sed 's/^language: en-GB/language: en-US/' "$B/book.yaml" >"$T/us.yaml" && cp "$T/us.yaml" "$B/book.yaml"
expect 0 "titles: en-US builds" "$OCTAVO" build "$B" -o "$T/us" -q && {
	us=$(pdftotext "$T/us/arrows.pdf" - 2>/dev/null | tr '\n' ' ')
	case "$us" in *"Arrows—and “Signs”"*) ok "titles: en-US: a closed em dash, double quotes" ;;
	*) no "titles: en-US: a closed em dash, double quotes" "$us" ;; esac
}
sed -i 's/^language: en-US/language: en-GB/' "$B/book.yaml"

# === fallback glyphs in bold, italic and code ===================================
fonts=$(pdffonts "$PDF" 2>/dev/null)
embedded() { printf '%s\n' "$fonts" | grep -E "^[A-Z]{6}\+$1 " | grep -q "yes yes yes"; }
embedded DejaVuSerif-Bold && ok "fallback: bold Greek in DejaVu Serif Bold" || no "fallback: bold Greek in DejaVu Serif Bold" "$fonts"
embedded DejaVuSans-Bold && ok "fallback: a bold check mark in DejaVu Sans Bold" || no "fallback: a bold check mark in DejaVu Sans Bold" "$fonts"
embedded DejaVuSansMono && ok "fallback: code's ✔ ★ in DejaVu Sans Mono" || no "fallback: code's ✔ ★ in DejaVu Sans Mono" "$fonts"
if [ -f "$FB/DejaVuSerif-Italic.ttf" ]; then
	embedded DejaVuSerif-Italic && ok "fallback: italic Greek in DejaVu Serif Italic" || no "fallback: italic Greek in DejaVu Serif Italic" "$fonts"
else
	skip "fallback: DejaVu Serif Italic (fonts-dejavu-extra) not installed"
fi
has_text "fallback: bold and italic Greek extract as typed" "the word Ελληνικά in bold and in italic: the word ψυχή in italic"
# The code block keeps its grid: 'done' starts 16 columns after 'fn(x)'
# (5 columns), with ✔ and ★ one column each.
g=$(python3 - "$T/layout.html" <<'PY'
import re, sys
x = open(sys.argv[1]).read()
w = {t: (float(a), float(b)) for a, b, t in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', x)}
fn, done = w.get("fn(x)"), w.get("done")
print("%.2f" % abs((done[0] - fn[0]) - 16 * (fn[1] - fn[0]) / 5) if fn and done else 99)
PY
)
awk "BEGIN{exit !($g < 0.3)}" && ok "fallback: the code line keeps its grid (off by $g pt)" ||
	no "fallback: the code line keeps its grid (off by $g pt, want < 0.3)"
# Only fonts-dejavu-core's files (no Serif Italic): the italic Greek is
# DejaVu Serif's upright drawn slanted, as bold code is drawn emboldened.
sys=$T/sys
mkdir -p "$sys/dejavu"
for f in DejaVuSans DejaVuSans-Bold DejaVuSansMono DejaVuSansMono-Bold DejaVuSerif DejaVuSerif-Bold; do
	cp "$FB/$f.ttf" "$sys/dejavu/"
done
expect 0 "fallback: core only: the book builds" env OCTAVO_SYSTEM_FONTS="$sys" "$OCTAVO" build "$B" -o "$T/core" -q && {
	f=$(pdffonts "$T/core/arrows.pdf" 2>/dev/null)
	printf '%s\n' "$f" | grep -q "DejaVuSerif-Italic" && no "fallback: core only: no Serif Italic" "$f" ||
		ok "fallback: core only: no Serif Italic"
	qpdf --qdf --object-streams=disable "$T/core/arrows.pdf" "$T/core.qdf" 2>/dev/null
	n=$(grep -ac '^1 0 0.2126 1 ' "$T/core.qdf")
	[ "$n" -ge 1 ] && ok "fallback: core only: the italic Greek drawn slanted ($n runs)" ||
		no "fallback: core only: the italic Greek drawn slanted"
	case "$(pdftotext "$T/core/arrows.pdf" - 2>/dev/null | tr '\n' ' ')" in
	*"the word ψυχή in italic"*) ok "fallback: core only: extracts as typed" ;;
	*) no "fallback: core only: extracts as typed" ;;
	esac
}
epubcheck_ok "text14n" "$EPUB"
