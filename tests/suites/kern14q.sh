#!/bin/sh
# tests/suites/kern14q.sh - a word's pieces keep the kerning they have
# inside the word (compose.c's kern_at, hyphen_kern), in tests/books/kern14q
# set in EB Garamond (fonts-ebgaramond, copied in), which kerns "ov",
# "ve" and "we": a word set with its hyphenation points ("gov-ern-ment",
# "sev-eral", "pow-er"), its address's and its code's pieces, is as wide
# in the PDF as the same word set whole - main drew the pieces each
# shaped alone, 0.11 pt wider a kerned pair at 11 pt. Skipped (not
# passed) without the font.
. "$ROOT/tests/lib.sh"
G=/usr/share/fonts/opentype/ebgaramond
if [ ! -f "$G/EBGaramond12-Regular.otf" ]; then
	skip "kern14q: fonts-ebgaramond not installed"
	exit 0
fi
B=$T/kern
cp -r "$ROOT/tests/books/kern14q" "$B"
cp -L "$G/EBGaramond12-Regular.otf" "$G/EBGaramond12-Italic.otf" "$G/EBGaramond12-Bold.otf" \
	"$ROOT/styles/epub.css" "$B/"
printf 'style: style.yaml\n' >>"$B/book.yaml"
expect 0 "kern14q: the book builds" "$OCTAVO" build "$B" -o "$T/o" -q || exit 0
PDF=$T/o/kern.pdf

# widths: each word pdftotext finds on the pages with text, and its width.
widths() {
	pdftotext -bbox "$PDF" - 2>/dev/null |
		awk -F'"' '/<word/ { w = $0; sub(/.*">/, "", w); sub(/<\/word>.*/, "", w); printf "%s %.3f\n", w, $6 - $2 }'
}
W=$(widths)
# Every word set more than once is as wide each time (to 0.005 pt):
# whole in the first pass's paragraphs, in pieces in the hyphenated one.
for word in government governments however several powerful never power; do
	spread=$(printf '%s\n' "$W" | awk -v w="$word" '$1 == w { n++; if (n == 1 || $2 < lo) lo = $2; if (n == 1 || $2 > hi) hi = $2 }
		END { printf "%d %.3f", n, hi - lo }')
	n=${spread% *} d=${spread#* }
	if [ "$n" -lt 2 ]; then
		no "kern14q: '$word' set more than once" "$n"
	elif awk -v d="$d" 'BEGIN { exit !(d < 0.005) }'; then
		ok "kern14q: '$word' as wide each of its $n times (spread $d pt)"
	else
		no "kern14q: '$word' $d pt wider in pieces than whole ($n times)" \
			"$(printf '%s\n' "$W" | awk -v w="$word" '$1 == w')"
	fi
done
# A hyphenated word is still read whole, the address and the code too.
text=$(pdftotext "$PDF" - 2>/dev/null | tr '\n' ' ' | sed 's/- //g; s/  */ /g')
for s in "its power over the several provinces is never more than the governors recover from the government" \
	"https://example" "several_government_powers.recovered_" "coverage(whatever_however) end here."; do
	case "$text" in
	*"$s"*) ok "kern14q: '$s' reads as typed" ;;
	*) no "kern14q: '$s' reads as typed" "$text" ;;
	esac
done
