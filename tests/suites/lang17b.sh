#!/bin/sh
# tests/suites/lang17b.sh - issues 16/17/18 remainders: a passage in another
# language ([x]{lang=de}, ::: {lang=fr}) hyphenated by its own patterns, with
# its quotes, lang in the EPUB and /Lang in the tagged PDF; acronyms and
# [x]{.smallcaps} as small capitals in the EPUB, with its own fonts; a
# character no font has printed as a visible box; warnings an editor can act
# on (loose lines, spaces, wrapped code, bylines, book.yaml).
. "$ROOT/tests/lib.sh"
B=$T/b
cp -r "$ROOT/tests/books/lang17b" "$B"
cat >"$B/style.yaml" <<YAML
fonts:
  regular: $ROOT/fonts/CharisSIL-Regular.ttf
  italic: $ROOT/fonts/CharisSIL-Italic.ttf
  bold: $ROOT/fonts/CharisSIL-Bold.ttf
  bold-italic: $ROOT/fonts/CharisSIL-BoldItalic.ttf
  mono: $ROOT/fonts/NotoSansMono-Regular.ttf
  small-caps: acronyms
  fallback: none    # no fallback fonts: the snowman is a character no font has
epub:
  css: $ROOT/styles/epub.css
hyphenate-capitalised: false
YAML
printf 'style: style.yaml\n' >>"$B/book.yaml"
E=$B/essay.md
line_of() { grep -n -- "$1" "$E" | head -1 | cut -d: -f1; }

expect 0 "the book builds" "$OCTAVO" build "$B" -o "$T/o" && ok "the book builds"
build_out=$out
PDF=$T/o/elsewhere.pdf EPUB=$T/o/elsewhere.epub
pdftotext -raw "$PDF" "$T/t.txt"

# === hyphenation by the passage's own patterns ================================
# The same capitalised compounds: in a German passage they take hyphens (the
# patterns of de, capitals and all); in English text, as names, none (the
# style says hyphenate-capitalised: false, which German ignores).
para() { awk -v s="$1" 'index($0, s) == 1 { on = 1 } on && /as the reader expects/ { print; exit } on { print }' "$T/t.txt"; }
de=$(para "In German:" | grep -c -- '[a-zäöü]-$' || true)
en=$(para "In English:" | grep -c -- '[a-zäöü]-$' || true)
[ "$de" -ge 1 ] && [ "$en" -eq 0 ] && ok "German passage hyphenated by de's patterns ($de lines), English not ($en)" ||
	no "German passage hyphenated by de's patterns ($de lines), English not ($en)" "$(para "In German:")"
if ls /usr/share/hyphen/hyph_hu* >/dev/null 2>&1; then
	skip "a language without patterns (hyphen-hu is installed here)"
else
	out=$build_out
	l=$(line_of "Hungarian")
	contains "no patterns: a warning at the passage" "essay.md:$l:23: warning: no hyphenation patterns for 'hu': its text is not hyphenated"
	contains "no patterns: the Debian package named" "hint: apt-get install hyphen-hu"
	grep -q "megszentségteleníthetetlenségeskedéseitekért" "$T/t.txt" && ok "no patterns: the passage set whole" || no "no patterns: the passage set whole"
fi
expect 0 "check says the same" "$OCTAVO" check "$B"
a=$(printf '%s\n' "$build_out" | grep "warning:" | sort) b=$(printf '%s\n' "$out" | grep "warning:" | sort)
[ "$a" = "$b" ] && ok "check and build: the same warnings" || no "check and build: the same warnings" "build:
$a
check:
$b"

# === quotes and lang ===========================================================
tr '\n' ' ' <"$T/t.txt" | grep -qF "„Gesundheitsversicherungsunternehmen ‚Wort‘ hier“ and ‘this’" &&
	ok "German quotes inside the German passage, English outside" ||
	no "German quotes inside the German passage, English outside" "$(grep -F "She said" "$T/t.txt")"
nn=$(printf '\342\200\257')
mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$EPUB")
X=$T/x/OEBPS/text/essay-01.xhtml
tr '\n' ' ' <"$T/t.txt" | grep -qF "« bonjour, “mon ami” »" && grep -qF "«${nn}bonjour, “mon ami”${nn}»${nn}:" "$X" &&
	ok "French div: guillemets and narrow no-break spaces" || no "French div: guillemets and narrow no-break spaces" "$(grep -F "Il a dit" "$T/t.txt" "$X")"
grep -q '<span lang="de" xml:lang="de">„Gesundheits' "$X" && ok "EPUB: the passage's lang and quotes" || no "EPUB: the passage's lang and quotes" "$(grep Gesundheit "$X")"
grep -q '<div lang="fr" xml:lang="fr">' "$X" && ok "EPUB: the div's lang" || no "EPUB: the div's lang"
if [ -f /usr/bin/epubcheck ]; then
	java -jar /usr/bin/epubcheck "$EPUB" 2>&1 | grep -q "No errors or warnings" && ok "epubcheck: no errors or warnings" ||
		no "epubcheck: no errors or warnings" "$(java -jar /usr/bin/epubcheck "$EPUB" 2>&1 | grep -E 'ERROR|WARN' | head)"
fi

# === /Lang in the tagged PDF ===================================================
expect 0 "the screen edition builds (tagged)" "$OCTAVO" build "$B" -o "$T/s" --screen -q && {
	qpdf --json "$T/s/elsewhere.pdf" >"$T/s.json" 2>/dev/null
	res=$(python3 - "$T/s.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
objs = j.get("qpdf", [{}, {}])[1] if "qpdf" in j else j.get("objects", {})
spans, langs = {}, {}
for k, v in objs.items():
    d = v.get("value", v) if isinstance(v, dict) else None
    if not isinstance(d, dict) or "/S" not in d:
        continue
    lang = d.get("/Lang")
    if lang:
        lang = lang[2:] if lang.startswith("u:") else lang
        langs.setdefault((d["/S"], lang), 0)
        langs[(d["/S"], lang)] += 1
print(" ".join("%s:%s=%d" % (s[1:], l, n) for (s, l), n in sorted(langs.items())))
PY
)
	case " $res " in *" Span:de="*) ok "tagged PDF: a Span with /Lang de ($res)" ;; *) no "tagged PDF: a Span with /Lang de" "$res" ;; esac
	case " $res " in *" Span:hu=1 "*) ok "tagged PDF: the Hungarian passage a Span with /Lang hu" ;; *) no "tagged PDF: the Hungarian passage a Span with /Lang hu" "$res" ;; esac
	case " $res " in *" Div:fr=1 "*) case " $res " in *"Span:fr"*) no "tagged PDF: the French div's /Lang, not repeated on its text" "$res" ;; *) ok "tagged PDF: the French div's /Lang, not repeated on its text" ;; esac ;;
		*) no "tagged PDF: the French div has /Lang fr" "$res" ;; esac
	pdfinfo -struct-text "$T/s/elsewhere.pdf" 2>/dev/null | grep -A1 "Span" | grep -q "gesellschaften\|gemeinschaften\|ordnungen" &&
		ok "tagged PDF: the passage's words in its Span" || no "tagged PDF: the passage's words in its Span"
}

# === a character no font has ===================================================
out=$build_out
l=$(line_of "snowman")
contains "missing glyph: warning at its place" "essay.md:$l:11: warning: no font has '☃' (U+2603); it is printed as a hollow box"
grep -q "A snowman □ here" "$T/t.txt" && ok "missing glyph: printed as a box (U+25A1), not '?'" || no "missing glyph: printed as a box" "$(grep snowman "$T/t.txt")"
grep -q "snowman ☃" "$X" && ok "missing glyph: the EPUB keeps the character" || no "missing glyph: the EPUB keeps the character"
# The box is visible: dark pixels on its outline, light inside.
pg=$(awk 'BEGIN{RS="\f"} /A snowman/{print NR; exit}' "$T/t.txt")
box=$(pdftotext -f "$pg" -l "$pg" -bbox "$PDF" - | grep '>□<' | head -1 | sed 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)".*/\1 \2 \3 \4/')
pdftoppm -r 288 -f "$pg" -l "$pg" -gray "$PDF" "$T/g" 2>/dev/null
res=$(python3 - "$T" $box <<'PY'
import glob, sys
f = sorted(glob.glob(sys.argv[1] + "/g-*.pgm"))[0]
d = open(f, "rb").read()
parts = d.split(b"\n", 3)
w, h = map(int, parts[1].split()); px = parts[3]
x0, y0, x1, y1 = (float(v) * 4 for v in sys.argv[2:6])  # 288 dpi: 4 px a point
dark = [(x, y) for y in range(int(y0), int(y1)) for x in range(int(x0), int(x1)) if px[y * w + x] < 100]
if not dark: print("none"); sys.exit()
xs = [p[0] for p in dark]; ys = [p[1] for p in dark]
cx, cy = (min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2
print(len(dark), max(xs) - min(xs), max(ys) - min(ys), "hollow" if px[cy * w + cx] > 150 else "filled")
PY
)
set -- $res
[ "${1:-none}" != none ] && [ "${2:-0}" -ge 10 ] && [ "${3:-0}" -ge 10 ] && [ "${4:-}" = hollow ] &&
	ok "missing glyph: a hollow box in the render ($res)" || no "missing glyph: a hollow box in the render" "box $box: $res"
# Past three places a character is counted, not repeated.
mkbook "$T/m"
cp "$B/style.yaml" "$T/m/" && printf 'style: style.yaml\n' >>"$T/m/book.yaml"
printf -- '---\ntitle: "Two"\nauthor: "Another"\n---\n\nOne ☃.\n\nTwo ☃.\n\nThree ☃.\n\nFour ☃.\n\nFive ☃.\n' >"$T/m/two.md"
expect 0 "five snowmen build" "$OCTAVO" build "$T/m" -o "$T/mo" && {
	n=$(printf '%s\n' "$out" | grep -c "two.md:[0-9]*:[0-9]*: warning: no font has '☃'" || true)
	[ "$n" -eq 3 ] && ok "missing glyph: three places told" || no "missing glyph: three places told ($n)" "$out"
	contains "missing glyph: the rest counted" "warning: no font has '☃' (U+2603) at 2 more places"
}

# === small capitals in the EPUB ================================================
grep -q '<abbr class="acronym">NATO</abbr> and <abbr class="acronym">UNESCO</abbr>' "$X" &&
	ok "EPUB: acronyms in <abbr class=\"acronym\">" || no "EPUB: acronyms in <abbr class=\"acronym\">" "$(grep NATO "$X")"
grep -q '<abbr class="acronym">ÉCOLE</abbr> and OK\.' "$X" && ok "EPUB: accented acronyms too, two capitals not" || no "EPUB: accented acronyms too, two capitals not"
grep -q '<span class="smallcaps">Small Capitals here</span>' "$X" && ok "EPUB: [x]{.smallcaps} as a span" || no "EPUB: [x]{.smallcaps} as a span"
tr -d '\n\t' <"$T/x/OEBPS/css/fonts.css" | grep -q 'abbr.acronym {font-variant-caps: all-small-caps;}' &&
	ok "EPUB CSS: acronyms in all-small-caps" || no "EPUB CSS: acronyms in all-small-caps" "$(cat "$T/x/OEBPS/css/fonts.css")"
grep -q 'font-variant: small-caps' "$T/x/OEBPS/css/style.css" && ok "EPUB CSS: .smallcaps in small-caps" || no "EPUB CSS: .smallcaps in small-caps"
# The EPUB's own subset font keeps both features (its GSUB's feature list).
F=$(ls "$T"/x/OEBPS/fonts/*Regular*.ttf | head -1)
feats=$(python3 - "$F" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
n = struct.unpack(">H", d[4:6])[0]
for i in range(n):
    tag, _, off, ln = struct.unpack(">4sIII", d[12 + 16 * i: 28 + 16 * i])
    if tag == b"GSUB":
        t = d[off:off + ln]
        fl = struct.unpack(">H", t[6:8])[0]
        nf = struct.unpack(">H", t[fl:fl + 2])[0]
        print(" ".join(sorted({t[fl + 2 + 6 * k: fl + 6 + 6 * k].decode() for k in range(nf)})))
PY
)
case " $feats " in *" c2sc "*" smcp "*) ok "EPUB font subset keeps c2sc and smcp" ;; *) no "EPUB font subset keeps c2sc and smcp" "$feats" ;; esac
# And they work with it: the EPUB's subset set with small-caps: acronyms
# draws NATO unlike without (HarfBuzz shaping, as a reading system would).
mkbook "$T/f"
printf -- '---\ntitle: "One"\nauthor: "An author"\n---\n\nThe NATO and UNESCO reports.\n' >"$T/f/one.md"
printf -- '---\ntitle: "Two"\nauthor: "An author"\n---\n\nThe NATO and UNESCO reports.\n' >"$T/f/two.md"
cp -r "$T/f" "$T/f2"
for d in f f2; do
	cp "$F" "$T/$d/sub.ttf"
	printf 'style: style.yaml\n' >>"$T/$d/book.yaml"
	printf 'fonts:\n  regular: sub.ttf\n  italic: sub.ttf\n  bold: sub.ttf\n  bold-italic: sub.ttf\n' >"$T/$d/style.yaml"
	[ "$d" = f ] && printf '  small-caps: acronyms\n' >>"$T/$d/style.yaml"
	printf 'epub:\n  css: %s/styles/epub.css\n' "$ROOT" >>"$T/$d/style.yaml"
	expect 0 "a book in the EPUB's subset font ($d)" "$OCTAVO" build "$T/$d" -o "$T/$d/out" -q || continue
	if printf '%s\n' "$out" | grep -q "no small capitals"; then no "the subset has small capitals ($d)" "$out"; fi
	pdftoppm -r 72 -f 7 -l 7 -gray "$T/$d/out/test-book.pdf" "$T/$d/r" 2>/dev/null
done
if ! cmp -s "$T"/f/r*.pgm "$T"/f2/r*.pgm && pdftotext "$T/f/out/test-book.pdf" - | grep -q "The NATO and UNESCO reports"; then
	ok "the EPUB's subset draws acronyms in small capitals (render differs, text NATO)"
else
	no "the EPUB's subset draws acronyms in small capitals"
fi

# === warnings an editor can act on =============================================
C=$T/c
mkbook "$C"
# No essay names an author: no byline is missing.
sed -i '/^author:/d' "$C/one.md" "$C/two.md"
expect 0 "a book with no bylines" "$OCTAVO" check "$C"
printf '%s\n' "$out" | grep -q "has no 'author'" && no "no byline missing where none stands" "$out" || ok "no byline missing where none stands"
contains "what book.yaml lacks, in one line" "book.yaml gives no 'publisher', 'creators', 'date', 'rights', 'description', 'isbn-print', 'isbn-epub'"
n=$(printf '%s\n' "$out" | grep -c "book.yaml: warning" || true)
[ "$n" -eq 1 ] && ok "book.yaml: one warning" || no "book.yaml: one warning ($n)" "$out"
printf -- '---\ntitle: "One"\nauthor: "An author"\n---\n\nFirst essay text.\n' >"$C/one.md"
expect 0 "a book with one byline" "$OCTAVO" check "$C" &&
	contains "a byline missing beside another" "essay 'Two' has no 'author' for its byline"
# Spaces: ten told one by one, eleven in one line.
{ printf -- '---\ntitle: "Two"\n---\n\n'; i=0; while [ $i -lt 10 ]; do printf 'Word  word %d.\n\n' $i; i=$((i + 1)); done; } >"$C/two.md"
expect 0 "ten double spaces" "$OCTAVO" check "$C"
n=$(printf '%s\n' "$out" | grep -c "warning: 2 spaces between words" || true)
[ "$n" -eq 10 ] && ok "ten double spaces: each told" || no "ten double spaces: each told ($n)" "$out"
printf 'Word  word 10.\n' >>"$C/two.md"
expect 0 "eleven double spaces" "$OCTAVO" check "$C" &&
	contains "eleven double spaces: one line at the first" "two.md:5:5: warning: 11 places with two or more spaces between words, the first here"
# Loose lines beside inline code: one line, 'octavo report' lists them.
# Names with no break point in them: a line ending short at a break in
# code (lines14p's rag) no longer counts as loose, and names such as
# 'someVeryLongFunctionName_0(argumentNumberOne)' now leave none.
{ printf -- '---\ntitle: "Two"\n---\n\n'; i=0; while [ $i -lt 6 ]; do printf 'Call `someVeryLongFunctionNameWithNoBreaks%dAtAllInIt` then `anotherQuiteLongFunctionNameWithoutBreaks` then a few words `yetAnotherLongIdentifierThatRunsOn%d` end.\n\n' $i $i; i=$((i + 1)); done; } >"$C/two.md"
expect 0 "paragraphs of inline code" "$OCTAVO" check "$C" && {
	n=$(printf '%s\n' "$out" | grep -c "loose line" || true)
	if printf '%s\n' "$out" | grep -q "loose lines (r > 1) in [0-9]* paragraphs of 1 parts, all beside inline code, the first here; 'octavo report' lists them" && [ "$n" -eq 1 ]; then
		ok "loose lines beside inline code: one line"
	else
		no "loose lines beside inline code: one line ($n)" "$out"
	fi
}
# Wrapped code lines: fifty told one by one, more in one line.
code() { { printf -- '---\ntitle: "Two"\n---\n\n```\n'; i=0; while [ $i -lt "$1" ]; do printf 'x = a_very_long_name_%d + another_very_long_name + yet_another_very_long_name + more\n' $i; i=$((i + 1)); done; printf '```\n'; } >"$C/two.md"; }
code 2
expect 0 "two wrapped code lines" "$OCTAVO" check "$C"
n=$(printf '%s\n' "$out" | grep -c "warning: code line of" || true)
[ "$n" -eq 2 ] && ok "two wrapped code lines: each told" || no "two wrapped code lines: each told ($n)" "$out"
code 51
expect 0 "51 wrapped code lines" "$OCTAVO" check "$C" &&
	contains "51 wrapped code lines: one line at the first" "two.md:6:62: warning: 51 code lines are wider than the text, the first here"
