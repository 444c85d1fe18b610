#!/bin/sh
# tests/suites/heads14m.sh - a heading sits nearer the text it heads than
# the text before it (issue 14 item 6; qa14l: the half line under a
# heading rounded to a whole grid line, so it stood midway between its
# texts). On tests/books/heads14m, measured by tests/suites/heads14m.py
# (pdftotext -bbox-layout): for every level, in the text and at a page's
# top, the white above a heading is greater than the white below it, box
# to box and, where the rows are the text's size, baseline to baseline;
# the text under a heading stays on the grid; a reference's entries (code
# headings over a line or two, as the Node.js errors pages) sit the same
# distance over their text, whatever spacing fill gave them; and a list
# has the same space above as below.
. "$ROOT/tests/lib.sh"
BK=$ROOT/tests/books/heads14m
O=$T/heads14m

if expect 0 "heads14m: the test book builds" "$OCTAVO" build "$BK" -o "$O"; then
	m=$(python3 "$ROOT/tests/suites/heads14m.py" "$O/heads14m.pdf" "$BK" 2>&1)
	out=$m # what a failed figure shows
	heads=$(printf '%s\n' "$m" | grep -v '^list ')
	# Each level measured: 2 to 4 in the text and at a page's top, the
	# others in the text.
	for want in "2 mid" "3 mid" "4 mid" "1 mid" "5 mid" "6 mid" "2 top" "3 top" "4 top"; do
		n=$(printf '%s\n' "$heads" | awk -v w="$want" '$2 " " $3 == w' | wc -l)
		want "heads14m: headings of level and place '$want' measured" "$n" -ge 1
	done
	# Above greater than below by a visible margin (2 pt: main had 9.6
	# above and 10.4 below an h2, 10.8 and 10.8 around an h3 or h4, 8.2
	# and 10.4 around an h2 at a page's top). Heads stacked on each
	# other are judged as one, the first's above against the last's
	# below; none touches its text (a squeezed heading at a page's foot
	# comes nearest).
	bad=$(printf '%s\n' "$heads" | awk '
		$3 != "stack" && $5 + 2 > $4 { print "not nearer its text: " $0 }
		$5 < 1 { print "touches its text: " $0 }')
	[ -z "$bad" ] && ok "heads14m: every heading nearer its text than the text above (box gaps, 2 pt or more)" ||
		no "heads14m: every heading nearer its text than the text above" "$bad"
	bad=$(printf '%s\n' "$heads" | awk '$6 != "-" && !($6 > $7) { print }')
	n=$(printf '%s\n' "$heads" | awk '$6 != "-"' | wc -l)
	want "heads14m: h3 to h6 in the text measured baseline to baseline" "$n" -ge 4
	[ -z "$bad" ] && ok "heads14m: baseline to baseline too, above greater than below" ||
		no "heads14m: baseline to baseline, above greater than below" "$bad"
	# The text under a heading keeps to the grid: a whole number of
	# leadings from the grid's top line.
	bad=$(printf '%s\n' "$heads" | awk '$8 != "-" { d = $8 - int($8 + 0.5); if (d > 0.01 || d < -0.01) print }')
	n=$(printf '%s\n' "$heads" | awk '$8 != "-"' | wc -l)
	want "heads14m: text under headings measured against the grid" "$n" -ge 20
	[ -z "$bad" ] && ok "heads14m: the text under every heading is on the grid" ||
		no "heads14m: the text under every heading is on the grid" "$bad"
	# The entries: the usual distance over their text (the commonest),
	# and none further from it - at a page's top or spaced wider by fill
	# (main: 12.7 pt, one at 19.7) - nor nearer than a third of it.
	ent=$(printf '%s\n' "$heads" | awk '$2 == 3 && $NF ~ /^ERR_/ { print $5 }')
	mode=$(printf '%s\n' "$ent" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
	n=$(printf '%s\n' "$ent" | wc -l)
	want "heads14m: the reference's entries measured" "$n" -ge 40
	far=$(printf '%s\n' "$ent" | awk -v m="$mode" '$1 > m + 0.1 || $1 < m / 3' | wc -l)
	want "heads14m: every entry as close to its text as the usual $mode pt, or closer where squeezed" "$far" -eq 0
	top=$(printf '%s\n' "$heads" | awk -v m="$mode" '$2 == 3 && $3 == "top" && $NF ~ /^ERR_/ && ($5 > m + 0.1 || $5 < m - 0.1)' | wc -l)
	want "heads14m: an entry at a page's top as far over its text as one in the text" "$top" -eq 0
	# Lists between paragraphs: the same space above as below.
	lists=$(printf '%s\n' "$m" | grep '^list ')
	n=$(printf '%s\n' "$lists" | grep -c '^list ')
	want "heads14m: lists between paragraphs measured" "$n" -ge 1
	bad=$(printf '%s\n' "$lists" | awk '{ d = $2 - $3; if (d > 0.5 || d < -0.5) print }')
	[ -z "$bad" ] && ok "heads14m: a list has the same space above as below" ||
		no "heads14m: a list has the same space above as below" "$bad"
fi
