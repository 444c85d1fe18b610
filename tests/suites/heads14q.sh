#!/bin/sh
# tests/suites/heads14q.sh - issue 14, items 4 and 6: headings squeezed at
# a page's foot. A page that would end short because the heading after it
# does not fit with its two lines may take it with half a line of its
# space given up (page.c's fill), the heading's baseline off the grid: a
# blemish a designer marks.
# - 'octavo report' counts them ("headings squeezed"), lists each such page
#   among the page problems, and 'octavo proof' outlines it: the edition
#   has 8 (PDF pp. 17, 23, 54, 71, 113, 117, 119, 127; folios 7 ... 117).
# - A page that would end only a line short is squeezed only where the
#   search finds that cheaper than the page left short with its facing page
#   to match (SQUEEZE_DEMERITS): the Node.js docs' events.md, set alone,
#   had 6 squeezed heads and 39 of 55 running pages on the grid; now 0 and
#   48, no spread unequal, no page two short.
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

# --- a page a line short is left so where its facing page can match --------------
API=/usr/share/doc/nodejs/api
if [ -f "$API/events.md" ]; then
	mkdir -p "$T/ev"
	cp "$API/events.md" "$T/ev/"
	{
		printf 'title: Events\nlanguage: en-US\nidentifiers:\n'
		printf '  uuid: urn:uuid:11111111-2222-3333-4444-000000140017\n'
		printf 'parts:\n  - events.md\n'
	} >"$T/ev/book.yaml"
	if expect 0 "report events.md" "$OCTAVO" report "$T/ev"; then
		want "events.md: headings squeezed (was 6)" "$(fig 'headings squeezed' 1)" -le 1
		want "events.md: pages on the grid (was 39)" "$(fig 'page depth' 1)" -ge 44
		want "events.md: pages two or more lines short" "$(fig 'page depth' 4)" -eq 0
		want "events.md: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0
	fi
else
	skip "events.md (nodejs's api/*.md not installed)"
fi
