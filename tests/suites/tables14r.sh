#!/bin/sh
# tests/suites/tables14r.sh - a table's words kept whole where a width
# without hyphens exists (table.c's cp_table_whole): the spare width of a
# table once went to a wide header set on one line while a narrower
# column hyphenated ("Dona-/tions" beside "Trading and other", the
# edition's p. 95; "Develop-/ment or / growth loan", p. 89). The report
# counts table cells' lines ending at a hyphen ('table cells
# hyphenated'); where no width without hyphens exists (a German table of
# long compounds) the hyphens stay and nothing is lost.
. "$ROOT/tests/lib.sh"

BK=$ROOT/tests/books/tables14r
# the PDF's text, one line each, runs of spaces as one
text() { pdftotext -layout "$1" - 2>/dev/null | sed 's/  */ /g; s/^ //'; }

if expect 0 "tables14r: the test book builds" "$OCTAVO" build "$BK" -o "$T/t"; then
	out=$(text "$T/t/tables14r.pdf")
	contains "tables14r: 'Donations' whole beside 'Catering and other'" \
		'Season Tickets Sponsors Donations Catering and'
	contains "tables14r: 'Development or growth grant' keeps 'Development' whole" \
		'Development or'
	n=$(printf '%s\n' "$out" | grep -cE 'Dona-$|Develop-$' || true)
	want "tables14r: no needless hyphen in those cells" "$n" -eq 0
	# nothing lost where the words cannot all be whole
	# (tables15: the line breaker's say in the widths keeps
	# 'Veranstaltungen' whole, 'Veranstal-' / 'tungen' before)
	for w in 'Mit-' 'glieder' 'Veranstal' 'tungen' 'Einnahmen' '3.930' 'route to income'; do
		contains "tables14r: the German table and the rest hold '$w'" "$w"
	done
	epubcheck_ok "tables14r" "$T/t/tables14r.epub"
fi
if expect 0 "tables14r: report" "$OCTAVO" report "$BK"; then
	# the English tables none, the German table's three compounds
	want "tables14r: report: table cells hyphenated" "$(fig 'table cells hyphenated' 1)" -le 3
	want "tables14r: report: table cells hyphenated, the German ones" \
		"$(fig 'table cells hyphenated' 1)" -ge 1
fi

# the edition: pp. 89 and 95's tables
if expect 0 "tables14r: the edition builds" "$OCTAVO" build "$ROOT/manuscript" -o "$T/ed"; then
	out=$(text "$T/ed/civil-dialogue.pdf")
	contains "tables14r: edition: 'Donations' whole (p. 95)" 'Year Grants Contracts Donations'
	contains "tables14r: edition: 'Development' whole (p. 89)" 'Development £50,000'
	n=$(printf '%s\n' "$out" | grep -cE '^(Dona-|Develop-)' || true)
	want "tables14r: edition: no 'Dona-' or 'Develop-' line" "$n" -eq 0
fi
if expect 0 "tables14r: edition report" "$OCTAVO" report "$ROOT/manuscript"; then
	want "tables14r: edition: table cells hyphenated" "$(fig 'table cells hyphenated' 1)" -eq 0
fi
