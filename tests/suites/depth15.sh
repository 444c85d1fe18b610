#!/bin/sh
# tests/suites/depth15.sh - no page of running text two or more lines
# short outside a part's end (issue 14, item 4) where the page has too few
# headings on the grid to spread: on tests/books/depth15, README-shaped
# parts whose openings end before a heading that does not fit with its
# two lines. main 21a1ea4 left p. 1 (a heading under the title, a list of
# code names, an item's paragraph) 2 lines short and p. 5 (one-line
# paragraphs that cannot go looser, two lists, headings set larger, off
# the grid) 4 short: its page search spaced only headings on the grid a
# line wider (fill's stretch), and only as many as the page lacked. Now a
# page still two short once its paragraphs have been set again is chosen
# again with its lists, code blocks and the paragraphs after them spaced
# too (page.c's blocks_for), to end within a line of its foot. news.md,
# release notes under large headings: main left 5 of its 11 spreads
# unequal (a recto a line short of its verso) and p. 17 two short; a part
# with an unequal spread is chosen again so too, a recto's blocks spaced
# to end level with its verso.
. "$ROOT/tests/lib.sh"
BK=$ROOT/tests/books/depth15
O=$T/depth15

if expect 0 "depth15: report depth15" "$OCTAVO" report "$BK"; then
	want "depth15: pages two or more lines short" "$(fig 'page depth' 4)" -eq 0
	want "depth15: pages a line short (the openings spread, a line short)" \
		"$(fig 'page depth' 3)" -ge 2
	n=$(printf '%s\n' "$out" | grep -c 'lines short$')
	want "depth15: pages the report lists as lines short" "$n" -eq 0
	want "depth15: part-final pages under five lines" "$(fig 'part-final pages' 1)" -eq 0
	want "depth15: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0
	want "depth15: facing pages of running text" "$(fig 'unequal spreads' 2)" -ge 10
fi

if expect 0 "depth15: build depth15" "$OCTAVO" build "$BK" -o "$O"; then
	pdf=$O/short-pages.pdf
	# The openings keep what they held, spread to their foot: p. 1's
	# item paragraph, p. 5's 'Installation' section (PDF pages 7, 11).
	p1=$(pdftotext -f 7 -l 7 -layout "$pdf" - 2>/dev/null)
	p5=$(pdftotext -f 11 -l 11 -layout "$pdf" - 2>/dev/null)
	case $p1 in
	*"name each"*) ok "depth15: p. 1 ends with the item's paragraph" ;;
	*) no "depth15: p. 1 ends with the item's paragraph" "$p1" ;;
	esac
	case $p5 in
	*"See the file INSTALL.md"*) ok "depth15: p. 5 ends with its 'Installation' section" ;;
	*) no "depth15: p. 5 ends with its 'Installation' section" "$p5" ;;
	esac
	# Nothing lost: the last words of each part.
	all=$(pdftotext "$pdf" - 2>/dev/null | tr -s ' \n' ' ')
	for w in "Thank you for reading this far." "moving-between-versions" \
		"shows them with their current values." "lampd 3.0.1"; do
		case $all in
		*"$w"*) ok "depth15: the text holds '$w'" ;;
		*) no "depth15: the text holds '$w'" ;;
		esac
	done
fi

# A paragraph ending in a colon stays with the list it introduces: on a
# page spread to its foot (p. 5, 'About the Toolkit'), the line goes above
# the paragraph, not between the two (page.c's intro_spaceable). e81b21c
# set 'https://toolkit.example.org/' a line lower under 'The project's
# home page is:' (42 pt) than the list above under its own (28 pt).
# pdftotext -bbox: the baseline of a line's word, yMax.
base_of() {
	pdftotext -f 11 -l 11 -bbox "$O/short-pages.pdf" - 2>/dev/null |
		grep -F ">$1<" | head -n 1 | sed 's/.*yMax="\([0-9.]*\)".*/\1/'
}
if [ -f "$O/short-pages.pdf" ] && have pdftotext; then
	a=$(base_of 'at:')
	a2=$(base_of 'https://releases.example.org/toolkit/')
	b=$(base_of 'is:')
	b2=$(base_of 'https://toolkit.example.org/')
	if [ -n "$a" ] && [ -n "$a2" ] && [ -n "$b" ] && [ -n "$b2" ]; then
		g1=$(awk -v x="$a" -v y="$a2" 'BEGIN { printf "%d", y - x + 0.5 }')
		g2=$(awk -v x="$b" -v y="$b2" 'BEGIN { printf "%d", y - x + 0.5 }')
		want "depth15: 'home page is:' to its list, as 'published at:' to its ($g1 pt)" \
			"$g2" -eq "$g1"
		want "depth15: 'published at:' to its list, one line and the list's space" \
			"$g1" -le 30
	else
		no "depth15: the colon paragraphs and their lists found on p. 5"
	fi
fi
