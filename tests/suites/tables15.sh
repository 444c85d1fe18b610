#!/bin/sh
# tests/suites/tables15.sh - a table's column widths checked by the line
# breaker (issue 14 item 3; tests/books/tables15).
#  - cp_table_whole chose among widths by an estimate of each cell's lines
#    (its max over the column's width), which counts a word in three
#    pieces as no deeper than one in two: a column 0.3 pt short of
#    "Subscrip-" set "Sub-/scrip-/tions". The best few widths are now set
#    by the line breaker (compose.c's probe_cells) and the fewest words in
#    three pieces win, then the fewest lines, then hyphens.
# Each check but 'nothing lost' and epubcheck fails on 21a1ea4.
. "$ROOT/tests/lib.sh"

BK=$ROOT/tests/books/tables15
text() { pdftotext -layout "$1" - 2>/dev/null | sed 's/  */ /g; s/^ //'; }

if expect 0 "tables15: the test book builds" "$OCTAVO" build "$BK" -o "$T/t"; then
	all=$(text "$T/t/tables15.pdf")
	out=$(printf '%s\n' "$all" | sed -n '/officers/,/No word of the head/p')
	contains "tables15: 'Subscriptions' in two pieces" 'Subscrip-'
	n=$(printf '%s\n' "$out" | grep -cE '(^| )scrip-( |$)' || true)
	want "tables15: ... not three ('Sub-/scrip-/tions')" "$n" -eq 0
	all=$(printf '%s\n' "$all" | tr -d '\n ')
	for w in 'Commission' 'Members' 'Monthly' '25,000' '4294967294' 'slirp4netns' \
		'ip_local_port_range' 'portreserve'; do
		case $all in
		*"$w"*) ok "tables15: nothing lost: '$w'" ;;
		*) no "tables15: nothing lost: '$w'" ;;
		esac
	done
	epubcheck_ok "tables15" "$T/t/tables15.epub"
fi
