#!/bin/sh
# tests/suites/heads14q.sh - issue 14, items 4 and 6: headings squeezed at
# a page's foot. A page that would end short because the heading after it
# does not fit with its two lines may take it with half a line of its
# space given up (page.c's fill), the heading's baseline off the grid: a
# blemish a designer marks.
# - 'octavo report' counts them ("headings squeezed"), lists each such page
#   among the page problems, and 'octavo proof' outlines it: the edition
#   has 8 (PDF pp. 17, 23, 54, 71, 113, 117, 119, 127; folios 7 ... 117).
. "$ROOT/tests/lib.sh"

fig() { # fig LABEL N: the Nth number on the report line that starts with LABEL
	printf '%s\n' "$out" | grep "^$1 " | head -1 | grep -oE '[0-9]+' | sed -n "${2}p"
}
want() {
	if [ -n "$2" ] && [ "$2" "$3" "$4" ]; then ok "$1 ($2)"; else no "$1: got '$2', want $3 $4" "$out"; fi
}

# --- the edition: counted, listed, outlined --------------------------------------
if expect 0 "report the edition" "$OCTAVO" report "$ROOT/manuscript"; then
	sq=$(fig 'headings squeezed' 1)
	want "edition: headings squeezed at a page's foot" "$sq" -le 8
	want "edition: pages two or more lines short" "$(fig 'page depth' 4)" -eq 0
	want "edition: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0
	listed=$(printf '%s\n' "$out" | grep -c '^  p\..*a heading squeezed off the grid')
	want "edition: each squeezed page among the page problems" "$listed" -eq "${sq:--1}"
	printf '%s\n' "$out" | grep -q '^  p\.7	.*a heading squeezed off the grid' &&
		ok "edition: p. 7 (PDF p. 17) listed with its squeezed heading" ||
		no "edition: p. 7 (PDF p. 17) listed with its squeezed heading" "$out"
	problems=$(fig 'page problems:' 1)
fi
if expect 0 "proof the edition" "$OCTAVO" proof "$ROOT/manuscript" -o "$T/proof"; then
	outlined=$(printf '%s\n' "$out" | grep -oE '[0-9]+ pages? outlined' | grep -oE '^[0-9]+')
	want "edition: proof outlines every page problem, the squeezed heads with them" \
		"${outlined:-}" -eq "${problems:--1}"
fi
