#!/bin/sh
# tests/suites/lig15.sh - a word shaped in pieces at its hyphenation
# points (compose.c's add_hyphenated) is drawn with the glyphs it has
# whole: tests/books/lig15 in Charis SIL (fonts/), whose "office" is
# o + ffi + c + e - main drew the pieces "of" and "fice" each shaped alone,
# f + fi, 49 times in the edition. The glyphs are read back from the
# PDF through each font's ToUnicode (lig15.py).
. "$ROOT/tests/lib.sh"
if ! have qpdf; then
	skip "lig15: qpdf not installed"
	exit 0
fi
B=$T/lig
cp -r "$ROOT/tests/books/lig15" "$B"
cp "$ROOT"/fonts/CharisSIL-*.ttf "$ROOT/styles/epub.css" "$B/"
printf 'style: style.yaml\n' >>"$B/book.yaml"
expect 0 "lig15: the book builds" "$OCTAVO" build "$B" -o "$T/o" -q || exit 0
qpdf --qdf --object-streams=disable "$T/o/lig.pdf" "$T/lig.qdf"
G=$(python3 "$ROOT/tests/suites/lig15.py" "$T/lig.qdf")

# Every word whose letters the font joins is drawn joined: no f drawn
# apart from the fi, i or f after it in a word, whole or broken.
splits=$(printf '%s\n' "$G" | grep -c '^split')
if [ "$splits" -eq 0 ]; then
	ok "lig15: no ligature drawn apart at a hyphenation point"
else
	no "lig15: ligatures drawn apart" "$(printf '%s\n' "$G" | grep '^split' | head -5)"
fi
# "office" and "affirm" as the font sets them whole, as many times as
# the text has them outside a line's end ("of-/fice" is two words).
for w in office:o.ffi.c.e affirm:a.ffi.r.m; do
	word=${w%%:*} glyphs=${w#*:}
	typed=$(pdftotext "$T/o/lig.pdf" - | grep -o "\b$word\b" | wc -l)
	drawn=$(printf '%s\n' "$G" | grep -c "^word $glyphs\$")
	if [ "$typed" -ge 2 ] && [ "$drawn" -eq "$typed" ]; then
		ok "lig15: '$word' drawn $glyphs all $typed times"
	else
		no "lig15: '$word' drawn $glyphs" "$drawn of $typed times: $(printf '%s\n' "$G" |
			grep "^word [^ ]*o[.|]*f[.|]*f[.|]*i[.|]*c[.|]*e" | sort | uniq -c)"
	fi
done
ffi=$(printf '%s\n' "$G" | awk '$1 == "lig" && $2 == "ffi" { print $3 }')
if [ "${ffi:-0}" -ge 20 ]; then
	ok "lig15: $ffi ffi ligatures drawn"
else
	no "lig15: ffi ligatures drawn" "${ffi:-0}"
fi
# The lines are as the breaker measured them: none overfull, and the
# text reads as typed.
out=$("$OCTAVO" report "$B" 2>&1)
contains "lig15: no line overfull" "overfull lines        0"
out=$(pdftotext "$T/o/lig.pdf" - | tr '\n' ' ' | sed 's/- //g; s/  */ /g')
for s in "the difficulty lies in the sufficiency of the staffing" \
	"the officials affirm the efficiency of the office"; do
	contains "lig15: '$s' reads as typed" "$s"
done

# (the kerning after a word's own hyphen: tests/unit/lig15.c, in DejaVu
# Serif)
