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

# A collection's authors type their parenthetical dashes as they please:
# the edition's essays 15 to 21 a spaced em dash ("outputs — sessions
# held, people seen —", pp. 87-88, 103, 109, 134), the rest a spaced en
# dash, as New Hart's Rules has it for British English; a reader turning
# from essay to essay saw two house styles. Where the book's language
# sets a spaced en dash, a spaced em dash is one too, in both editions;
# a closed em dash, and any dash in a language whose dash is the em
# (American English, Spanish), stays as typed.
B3=$T/dashes
mkbook "$B3"
printf -- '---\ntitle: "One"\n---\n\nAbout outputs \342\200\224 sessions held \342\200\224 rather than change, and a typed --- dash, and a closed\342\200\224em.\n' >"$B3/one.md"
cp -r "$B3" "$T/dashes-us"
sed -i 's/^language: en-GB$/language: en-US/' "$T/dashes-us/book.yaml"
if expect 0 "design14q: the book with em dashes builds" "$OCTAVO" build "$B3" -o "$T/out3" -q &&
	expect 0 "design14q: the American book builds" "$OCTAVO" build "$T/dashes-us" -o "$T/out4" -q; then
	t=$(pdftotext "$T/out3/test-book.pdf" - 2>/dev/null | tr '\n' ' ')
	case $t in
	*"outputs – sessions held – rather"*"typed – dash"*"closed—em"*)
		ok "design14q: en-GB: a spaced em dash is the language's spaced en dash" ;;
	*) no "design14q: en-GB: a spaced em dash is the language's spaced en dash" "$t" ;;
	esac
	x=$(unzip -p "$T/out3/test-book.epub" OEBPS/text/essay-01.xhtml 2>/dev/null | tr '\n' ' ')
	# (the EPUB ties a spaced dash to the word before it: a no-break
	# space there)
	ems=$(printf '%s\n' "$x" | grep -o '—' | wc -l)
	ens=$(printf '%s\n' "$x" | grep -o 'About.*closed' | grep -o '–' | wc -l)
	[ "$ems" -eq 1 ] && [ "$ens" -eq 3 ] && ok "design14q: en-GB: the EPUB sets the same dashes" ||
		no "design14q: en-GB: the EPUB sets the same dashes" \
			"$ems em, $ens en: $(printf '%s\n' "$x" | grep -o 'About.\{0,90\}')"
	t=$(pdftotext "$T/out4/test-book.pdf" - 2>/dev/null | tr '\n' ' ')
	case $t in
	*"outputs — sessions held — rather"*) ok "design14q: en-US: a spaced em dash stays" ;;
	*) no "design14q: en-US: a spaced em dash stays" "$t" ;;
	esac
fi
