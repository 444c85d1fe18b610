#!/bin/sh
# tests/suites/tables15.sh - a table's column widths checked by the line
# breaker, and a range's min-content width as HTML's automatic layout has
# it (issue 14 item 3; tests/books/tables15).
#  - cp_table_whole chose among widths by an estimate of each cell's lines
#    (its max over the column's width), which counts a word in three
#    pieces as no deeper than one in two: a column 0.3 pt short of
#    "Subscrip-" set "Sub-/scrip-/tions". The best few widths are now set
#    by the line breaker (compose.c's probe_cells) and the fewest words in
#    three pieces win, then the fewest lines, then hyphens.
#  - A range written with an ellipsis ("1048576…2147483647", as systemd's
#    UIDS-GIDS.md writes them) was one unbreakable piece, so its column's
#    min took a third of the measure and the prose beside it went a word a
#    line ("Eph-/emeral/ports/handed/to cli-/ent/connec-/tions"). UAX #14
#    breaks after U+2026 before a digit, and so a browser's min-content;
#    octavo breaks it as a range's en dash (penalty 500).
#  - An eight-column head row whose words no widths at the table's size
#    keep to two pieces was set with three ("Sub-/scrip-/tions", "In-/
#    vest-/ments"); the table now steps down in size, to the style's
#    floor, where a smaller size sets none so (table16).
# Each check but 'nothing lost' and epubcheck fails on 21a1ea4; the
# eight-column checks fail on e81b21c.
. "$ROOT/tests/lib.sh"

BK=$ROOT/tests/books/tables15
text() { pdftotext -layout "$1" - 2>/dev/null | sed 's/  */ /g; s/^ //'; }

if expect 0 "tables15: the test book builds" "$OCTAVO" build "$BK" -o "$T/t"; then
	all=$(text "$T/t/tables15.pdf")
	out=$(printf '%s\n' "$all" | sed -n '/officers/,/No word of the head/p')
	contains "tables15: 'Subscriptions' in two pieces" 'Subscrip-'
	n=$(printf '%s\n' "$out" | grep -cE '(^| )scrip-( |$)' || true)
	want "tables15: ... not three ('Sub-/scrip-/tions')" "$n" -eq 0
	out=$(printf '%s\n' "$all" | sed -n '/income by source/,/Eight columns/p')
	n=$(printf '%s\n' "$out" | grep -cE '(^| )(Sub|In|vest)-( |$)' || true)
	want "tables15: eight columns: no word in three pieces ('Sub-/scrip-/tions')" "$n" -eq 0
	contains "tables15: eight columns: 'Subscriptions' in two" 'Subscrip-'
	contains "tables15: eight columns: 'Investments' in two" 'Invest-'
	out=$(printf '%s\n' "$all" | sed -n '/by range/,/A range such/p')
	contains "tables15: the Purpose head whole" 'Port range Purpose'
	contains "tables15: 'Ephemeral' whole" 'Ephemeral'
	contains "tables15: the longest range breaks after its ellipsis" '2147483648… Out of range'
	# the range column at its broken min: the table is 26 lines, was 47
	n=$(printf '%s\n' "$out" | grep -cv '^$' || true)
	want "tables15: the ranges table's depth in text lines" "$n" -le 30
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
if expect 0 "tables15: report" "$OCTAVO" report "$BK"; then
	want "tables15: report: table cells hyphenated (24 on 21a1ea4)" \
		"$(fig 'table cells hyphenated' 1)" -le 16
fi
