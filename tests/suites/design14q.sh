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

# A word processor's two spaces after a full stop come to Markdown as a
# no-break space and a space. The EPUB drops the no-break space beside an
# ordinary one (epub_nbsp_collapse); the PDF set both, a gap of two word
# spaces in the middle of a line (the edition's vision statement, pp. vii
# and viii: "21st July 2011.  It is", "debate,  Civil Exchange"). A line
# set at its natural width (a paragraph's last) shows it: each gap
# between words is one word space.
B2=$T/nbsp
mkbook "$B2"
printf -- '---\ntitle: "One"\n---\n\nAlpha beta.\302\240 Gamma delta,\302\240 epsilon zeta \302\240eta.\n\nA figure of 10\302\240km stays whole.\n' >"$B2/one.md"
if expect 0 "design14q: the book with no-break spaces builds" "$OCTAVO" build "$B2" -o "$T/out2" -q; then
	pdf=$T/out2/test-book.pdf
	p=$(pdftotext "$pdf" - 2>/dev/null | awk -v RS='\f' '/Alpha/ {print NR; exit}')
	# The gaps between the words of the line, each from the word's
	# start to the next's less the word's width as pdftotext saw it.
	gaps=$(pdftotext -bbox -f "${p:-5}" -l "${p:-5}" "$pdf" - 2>/dev/null |
		sed -n 's/.*xMin="\([0-9.]*\)".*xMax="\([0-9.]*\)".*>\(.*\)<\/word>/\1 \2 \3/p' |
		awk '/^[0-9.]+ [0-9.]+ Alpha$/ {on = 1} on {
			if (x1 != "") printf "%.1f ", $1 - x1; x1 = $2 }
			on && $3 == "eta." {exit}')
	wide=$(printf '%s\n' "$gaps" | awk '{ lo = $1; hi = $1; for (i = 2; i <= NF; i++) {
		if ($i < lo) lo = $i; if ($i > hi) hi = $i }; print (hi - lo > 1.5) ? "wide" : "even" }')
	[ "$wide" = even ] && ok "design14q: a no-break space beside a space sets one word space" ||
		no "design14q: a no-break space beside a space sets one word space" "gaps: $gaps"
	pdftotext "$pdf" - 2>/dev/null | grep -q '10.km stays' &&
		ok "design14q: a no-break space alone stays" ||
		no "design14q: a no-break space alone stays" "$(pdftotext "$pdf" - | grep km)"
fi
