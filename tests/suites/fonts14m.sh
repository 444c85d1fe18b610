#!/bin/sh
# tests/suites/fonts14m.sh - issue 14's item 7, nothing the reader should
# see is lost, at the level of the text (tests/books/fonts14m):
#
# - Characters the body font lacks (✔ ★ →, Greek beyond Charis's IPA
#   letters, Chinese) are set in the default fallback fonts - DejaVu Serif,
#   DejaVu Sans, Droid Sans Fallback from fonts-dejavu-core and
#   fonts-droid-fallback - with no 'fallback:' in the style: embedded as
#   subsets, extracted as typed (pdftotext), on the line's baseline at the
#   body size. Without the fonts (OCTAVO_SYSTEM_FONTS elsewhere) or with
#   'fallback: none' the build goes on and says where, at file:line:col.
# - Operators closed up: "C++" and ">=" read as one sign, not "C+ +".
# - A URL breaks where the Chicago Manual (14.18) allows: before a single
#   slash, a hyphen, a period...; never after its own hyphen.
# - A hyphen between spaces is the language's dash: spaced en dash in
#   en-GB and French, closed em dash in en-US, a minus between figures;
#   never in code. PDF and EPUB alike.
. "$ROOT/tests/lib.sh"
B=$T/b
cp -r "$ROOT/tests/books/fonts14m" "$B"
PDF=$T/o/signs.pdf
EPUB=$T/o/signs.epub
FB=/usr/share/fonts/truetype
if [ ! -f "$FB/dejavu/DejaVuSans.ttf" ] || [ ! -f "$FB/droid/DroidSansFallbackFull.ttf" ]; then
	skip "fallback fonts: fonts-dejavu-core or fonts-droid-fallback not installed"
	exit 0
fi
expect 0 "the book builds" "$OCTAVO" build "$B" -o "$T/o" || exit 0
text=$(pdftotext "$PDF" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')

# === characters the body font lacks ===========================================
printf '%s\n' "$out" | grep -q "no font has" &&
	no "fallback: no character left without a font" "$(printf '%s\n' "$out" | grep 'no font has')" ||
	ok "fallback: no character left without a font, with no 'fallback:' in the style"
for s in "passed ✔ and" "got ★★★ from" "north → south" "it ἀρετή, and" "of ψυχή and of δίκαιον too." "Chinese: 中文文本 is"; do
	case "$text" in
	*"$s"*) ok "fallback: '$s' extracts as typed (pdftotext)" ;;
	*) no "fallback: '$s' extracts as typed (pdftotext)" "$text" ;;
	esac
done
fonts=$(pdffonts "$PDF" 2>/dev/null)
for f in DejaVuSerif DejaVuSans DroidSansFallback; do
	if printf '%s\n' "$fonts" | grep -E "^[A-Z]{6}\+$f " | grep -q "yes yes yes"; then
		ok "fallback: $f embedded as a subset with ToUnicode"
	else
		no "fallback: $f embedded as a subset with ToUnicode" "$fonts"
	fi
done
# Greek in one design: ρ and ε from the same font (DejaVu Serif), not
# Charis's IPA ρ beside DejaVu's ε.
g=$(pdftotext -bbox-layout "$PDF" - 2>/dev/null | grep -c '>ἀρετή,<')
[ "$g" -ge 1 ] && ok "fallback: the Greek word is one word in the text layer" || no "fallback: the Greek word is one word in the text layer"
# The size a subset adds: the whole PDF without fallback fonts against
# with them, a few kilobytes for the dozen glyphs (Droid Sans Fallback is
# 4 MB whole).
expect 0 "no fallback fonts: the book builds" env OCTAVO_SYSTEM_FONTS="$T/none" "$OCTAVO" build "$B" -o "$T/n" && {
	contains "no fallback fonts: a warning at the text's place" "one.md:6:27: warning: no font has '✔' (U+2714)"
	a=$(wc -c <"$T/n/signs.pdf") z=$(wc -c <"$PDF")
	[ $((z - a)) -lt 40000 ] && ok "fallback: subsets add $((z - a)) bytes (< 40,000)" ||
		no "fallback: subsets add $((z - a)) bytes (< 40,000)"
}
# styled DIR FONTS-LINE TOP-LINE: the book in DIR with the default style
# and a line more under 'fonts:' and at the top.
styled() {
	mkdir -p "$1" && cp -r "$B/." "$1/"
	printf 'style: style.yaml\n' >>"$1/book.yaml"
	sed -e "s#\.\./fonts/#$ROOT/fonts/#; s#css: epub.css#css: $ROOT/styles/epub.css#" \
		-e "s#^  mono: \(.*\)#  mono: \1\n$2#" "$ROOT/styles/default.yaml" >"$1/style.yaml"
	printf '%s\n' "$3" >>"$1/style.yaml"
}
styled "$T/none-style" "  fallback: none" ""
expect 0 "'fallback: none': the book builds" "$OCTAVO" build "$T/none-style" -o "$T/ns" &&
	contains "'fallback: none': a warning at the text's place" "one.md:6:27: warning: no font has '✔' (U+2714)"

# A fallback glyph at the body size, on the baseline: rendered, the ink
# of the check mark, the Chinese and a Greek word ends within a point of
# the baseline the Charis word beside it ends on ("and", "is", "of"), and
# is at least half as high and at most twice as high.
pdftotext -bbox "$PDF" "$T/bbox.html" 2>/dev/null
pg=$(pdftotext "$PDF" - 2>/dev/null | awk 'BEGIN{RS="\f"} /passed/{print NR; exit}')
pdftoppm -r 288 -f "$pg" -l "$pg" -gray "$PDF" "$T/g" 2>/dev/null
res=$(python3 - "$T" <<'PY'
import glob, re, sys
t = sys.argv[1]
html = open(t + "/bbox.html").read()
words = []
for i, p in enumerate(html.split("<page")[1:]):
    if "passed" in p:
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', p)
        break
d = open(sorted(glob.glob(t + "/g-*.pgm"))[0], "rb").read()
parts = d.split(b"\n", 3)
w, h = map(int, parts[1].split()); px = parts[3]
def ink(box, top, bottom):
    x0, x1 = int(float(box[0]) * 4), int(float(box[2]) * 4)
    ys = [y for y in range(top, bottom) for x in range(x0, x1) if px[y * w + x] < 128]
    return (min(ys), max(ys)) if ys else None
out = []
for sym, near in (("✔", "and"), ("中文文本", "is"), ("δίκαιον", "of")):
    s = [b for b in words if b[4] == sym]
    if not s:
        out.append(sym + ":missing"); continue
    s = s[0]
    n = sorted((abs(float(b[0]) - float(s[0])), b) for b in words
               if b[4] == near and abs(float(b[3]) - float(s[3])) < 6)
    n = [b for _, b in n]
    if not n:
        out.append(sym + ":no-neighbour"); continue
    n = n[0]
    top, bottom = int(float(n[1]) * 4), int(float(n[3]) * 4)  # the Charis word's line
    a, b = ink(s, top, bottom), ink(n, top, bottom)
    if not a or not b:
        out.append(sym + ":no-ink"); continue
    base = abs(a[1] - b[1]) / 4.0
    ratio = (a[1] - a[0]) / max(1, b[1] - b[0])
    good = base <= 1.0 + (1.0 if sym == "中文文本" else 0) and 0.5 <= ratio <= 2
    out.append("%s:%s(%.1fpt %.2f)" % (sym, "ok" if good else "off", base, ratio))
print(" ".join(out))
PY
)
case "$res" in
*off* | *missing* | *no-* | "") no "fallback: glyphs at the body size on the baseline" "$res" ;;
*) ok "fallback: glyphs at the body size on the baseline ($res)" ;;
esac

# === operators ===================================================================
ops=$(python3 - "$T/bbox.html" <<'PY'
import re, sys
words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', open(sys.argv[1]).read())
w = {t: float(b) - float(a) for a, b, t in words}
print("%.1f %.1f" % (w.get("C++", 99), w.get("&gt;=", 99)))
PY
)
set -- $ops
# Charis's + and = are an em wide, a fifth of an em either side: "C++"
# was 27.6 pt at 10.5 pt, ">=" 21 pt.
awk "BEGIN{exit !($1 < 24)}" && ok "operators: 'C++' set close ($1 pt < 24)" || no "operators: 'C++' set close ($1 pt < 24)"
awk "BEGIN{exit !($2 < 19.5)}" && ok "operators: '>=' set close ($2 pt < 19.5)" || no "operators: '>=' set close ($2 pt < 19.5)"
case "$text" in
*"we write C++ and use x >= y or a <= b in prose"*) ok "operators: extract as typed" ;;
*) no "operators: extract as typed" "$text" ;;
esac

# === URLs ========================================================================
# Every line break inside an address: the line after begins with a
# character the break goes before (/ ~ . , - _ ? # % @ = &), or the line
# before ends in '//' or ':'. Never a line ending in the address's own
# hyphen or period.
urls=$(pdftotext "$PDF" - 2>/dev/null | sed -n '/^Addresses:/,/version-two\.txt\./p')
bad=$(printf '%s\n' "$urls" | awk '
	NR > 1 && prev !~ / and$/ && $0 !~ /^(and|mail) / && $0 !~ /^https/ {
		c = substr($0, 1, 1)
		if (index("/~.,-_?#%@=&", c) == 0 && prev !~ /(\/\/|:)$/) print "after: " prev " | " $0
	}
	NR > 1 && prev ~ /[-.]$/ { print "ends in - or .: " prev }
	{ prev = $0 }')
n=$(printf '%s\n' "$urls" | wc -l)
[ "$n" -ge 4 ] && [ -z "$bad" ] && ok "URLs: $n lines, every break where Chicago 14.18 allows" ||
	no "URLs: every break where Chicago 14.18 allows" "$bad
$urls"
case "$text" in
*"https://example.org/Examples-Python3/tree"*"main/tests-and-examples/long_file-name.md"*) ok "URLs: extract whole" ;;
*) no "URLs: extract whole" "$text" ;;
esac

# === spaced hyphens =============================================================
x=$T/x
rm -rf "$x" && mkdir -p "$x" && (cd "$x" && unzip -q "$EPUB")
xh=$(cat "$x"/OEBPS/*.xhtml "$x"/OEBPS/*/*.xhtml 2>/dev/null)
# dash NAME WANT [EPUB]: in the PDF's text and the EPUB's (where a no-break
# space ties a spaced dash to the word before it)
dash() {
	case "$text" in *"$2"*) ok "dash: $1 (PDF)" ;; *) no "dash: $1 (PDF)" "$text" ;; esac
	case "$xh" in *"${3:-$2}"*) ok "dash: $1 (EPUB)" ;; *) no "dash: $1 (EPUB)" "$(printf '%s\n' "$xh" | grep -i "dashes\|phrase")" ;; esac
}
nb=$(printf '\302\240')
dash "en-GB: a spaced en dash" "a word – another word – and the end" "a word$nb– another word$nb– and the end"
dash "between figures: a minus" "is 5 − 3,"
dash "fr: a spaced en dash" "une phrase – une incise – et la fin" "une phrase$nb– une incise$nb– et la fin"
case "$xh" in *"<code>a - b</code>"*) ok "dash: inline code keeps its hyphen (EPUB)" ;; *) no "dash: inline code keeps its hyphen (EPUB)" ;; esac
case "$text" in *"a - b is code"*) ok "dash: inline code keeps its hyphen (PDF)" ;; *) no "dash: inline code keeps its hyphen (PDF)" "$text" ;; esac
case "$text" in *"x = a - b"*) ok "dash: a code block keeps its hyphen" ;; *) no "dash: a code block keeps its hyphen" "$text" ;; esac
sed -i 's/^language: en-GB/language: en-US/' "$B/book.yaml"
expect 0 "en-US: the book builds" "$OCTAVO" build "$B" -o "$T/us" -q && {
	us=$(pdftotext "$T/us/signs.pdf" - 2>/dev/null | tr '\n' ' ')
	case "$us" in *"a word—another word—and the end"*) ok "dash: en-US: a closed em dash" ;; *) no "dash: en-US: a closed em dash" "$us" ;; esac
	case "$us" in *"une phrase – une incise"*) ok "dash: a French passage in an en-US book: its own" ;; *) no "dash: a French passage in an en-US book: its own" "$us" ;; esac
}

# === PDF/X and PDF/UA ===========================================================
# The fallback faces are embedded (no font may be left out of PDF/X) and
# extract as typed in a print profile; a tagged edition keeps Matterhorn's
# conditions (ToUnicode for every glyph, no .notdef) with them.
sed -i 's/^language: en-US/language: en-GB/' "$B/book.yaml"
for p in ingramspark offset; do
	expect 0 "--profile $p builds" "$OCTAVO" build "$B" -o "$T/x-$p" --pdf --profile "$p" -q || continue
	r=$(python3 "$ROOT/tests/suites/press15-pdfx.py" "$T/x-$p/signs.pdf" "$p" 391.181 612.283 2>&1)
	printf '%s\n' "$r" | grep -q '^FAIL' && no "--profile $p: PDF/X rules" "$r" || ok "--profile $p: PDF/X rules"
	f=$(pdffonts "$T/x-$p/signs.pdf" 2>/dev/null | awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-2) != "yes")')
	[ -z "$f" ] && ok "--profile $p: every font embedded, with ToUnicode" || no "--profile $p: every font embedded, with ToUnicode" "$f"
	case "$(pdftotext "$T/x-$p/signs.pdf" - 2>/dev/null | tr '\n' ' ')" in
	*"passed ✔ and"*"Chinese: 中文文本 is"*) ok "--profile $p: fallback text extracts as typed" ;;
	*) no "--profile $p: fallback text extracts as typed" ;;
	esac
done
styled "$T/tagged" "" "tagged: true"
expect 0 "tagged build" "$OCTAVO" build "$T/tagged" -o "$T/g" --pdf -q && for c in matterhorn mcids; do
	r=$(python3 "$ROOT/tests/tagcheck.py" "$c" "$T/g/signs.pdf" 2>&1)
	printf '%s\n' "$r" | grep -q '^FAIL' && no "tagged: $c" "$r" || ok "tagged: $c"
done
