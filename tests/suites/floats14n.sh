#!/bin/sh
# tests/suites/floats14n.sh - issue 14 item 2: floats keep their order when
# a long table follows a float that waits. tests/books/floats14n/gen.py
# SEED writes an essay: paragraphs, a short table cited (a float), a few
# paragraphs, then a table of 70 rows, which breaks between its rows in
# the flow rather than floating (float_at). Where the short table did
# not fit (or was set aside to fill the page: floats14n's deferred tries)
# and waited for the next page, the long table went on in the flow
# before it: floats out of order, and note_placed's assertion aborted the
# build (seeds 1, 19 and 20 of 1-40, on every binary since 6d6d070). Now
# the page ends before the long table (flow_after_waiting).
. "$ROOT/tests/lib.sh"

B=$ROOT/tests/books/floats14n
mkdir -p "$T/b"
cat >"$T/b/book.yaml" <<'YAML'
title: Tables in Turn
language: en-GB
identifiers:
  uuid: urn:uuid:14141414-1414-4141-8141-14141414141e
parts:
  - one.md
YAML
built=0 far=0 order=0
for s in $(seq 1 30); do
	python3 "$B/gen.py" "$s" >"$T/b/one.md"
	expect 0 "floats14n: seed $s builds" "$OCTAVO" build "$T/b" -o "$T/out" -q || continue
	built=$((built + 1))
	"$OCTAVO" report "$T/b" >"$T/report" 2>&1
	f=$(sed -n 's/^float gaps .* \([0-9][0-9]*\) more than a page.*/\1/p' "$T/report")
	[ "${f:-1}" -eq 0 ] || { far=$((far + 1)); echo "     seed $s: ${f:-?} floats far"; }
	if have pdftotext; then
		# The short table's caption before the long one's, in the
		# PDF's reading order.
		pdftotext "$T/out/tables-in-turn.pdf" - |
			awk '/Grants by year\./ && !g {g = NR} /Every area\./ && !a {a = NR}
			     END {exit !(g && a && g < a)}' ||
			{ order=$((order + 1)); echo "     seed $s: tables out of order"; }
	fi
done
want "floats14n: all 30 seeds build" "$built" -eq 30
want "floats14n: no float more than a page from its place" "$far" -eq 0
want "floats14n: the tables in their order" "$order" -eq 0
