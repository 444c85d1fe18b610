#!/bin/sh
# tests/suites/design14q.sh - a book designer's sign-off of the printed
# page (issue 14): what they rejected, on books of our own making.
#
# The contents: a title too long for one line put its dot leaders and
# page number on its first line, the rest of the title turning over flush
# left beneath them, where it read as an entry of its own. The number
# belongs on the title's last line, where the eye ends it, and the
# turnover under a hanging indent (TeX's \@dottedtocline, Chicago 1.43).
. "$ROOT/tests/lib.sh"
B=$T/design14q
mkbook "$B"
sed -i 's/^title: "Two"$/title: "Partnership, Procurement and the Recognition of Social Wealth in Public Contracts"/' "$B/two.md"

# words PDF PAGE: each word of PAGE as "xMin yMax word", from pdftotext's
# boxes.
words() {
	pdftotext -bbox -f "$2" -l "$2" "$1" - 2>/dev/null |
		sed -n 's/.*xMin="\([0-9.]*\)".*yMax="\([0-9.]*\)">\(.*\)<\/word>/\1 \2 \3/p'
}

if expect 0 "design14q: the book builds" "$OCTAVO" build "$B" -o "$T/out" -q; then
	pdf=$T/out/test-book.pdf
	cpage=$(pdftotext "$pdf" - 2>/dev/null | awk -v RS='\f' '/Contents/ {print NR; exit}')
	w=$(words "$pdf" "${cpage:-5}")
	# The baselines of the title's first and last words, and the number's.
	y1=$(printf '%s\n' "$w" | awk '$3 == "Partnership," {print $2; exit}')
	x1=$(printf '%s\n' "$w" | awk '$3 == "Partnership," {print $1; exit}')
	y2=$(printf '%s\n' "$w" | awk '$3 == "Contracts" {print $2; exit}')
	x2=$(printf '%s\n' "$w" | awk -v y="$y2" '$2 == y {print $1; exit}')
	num=$(printf '%s\n' "$w" | awk '$3 ~ /^[0-9]+$/ {print $2}' | tail -1)
	if [ -n "$y1" ] && [ -n "$y2" ] && [ "$y1" != "$y2" ]; then
		[ "$num" = "$y2" ] && ok "design14q: a long contents title's number is on its last line" ||
			no "design14q: a long contents title's number is on its last line" \
				"title lines at $y1 and $y2, the last number at $num: $w"
		awk -v a="$x1" -v b="$x2" 'BEGIN { exit !(b > a + 5) }' &&
			ok "design14q: the title turns over under a hanging indent" ||
			no "design14q: the title turns over under a hanging indent" \
				"first line at x $x1, the turnover at $x2"
	else
		no "design14q: the long title takes two lines in the contents" "$w"
	fi
	# The short title's number stays on its one line.
	yo=$(printf '%s\n' "$w" | awk '$3 == "One" {print $2; exit}')
	n=$(printf '%s\n' "$w" | awk -v y="$yo" '$2 == y && $3 ~ /^[0-9]+$/' | wc -l)
	want "design14q: a one-line title keeps its number" "$n" -eq 1
fi

