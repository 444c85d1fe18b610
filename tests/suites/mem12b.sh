#!/bin/sh
# tests/suites/mem12b.sh - a part over 20,000 lines is set within bounded
# work (src/layout/page.c: STRETCH_SEARCH_LINES, KEEP_WHOLE_LINES). Such a
# part is searched once, the stretch allowed from the start, and never set
# again to keep whole the words its pages would end at; a part under the
# bound gets both. So, per line set, a part just over the bound costs less
# than one just under it: 0.82 of it (December 2026: 20,564 lines 1,538 M
# instructions, 18,804 lines 1,718 M), and 0.99 with the bounds taken out
# (1,863 M), as a part of any length would cost were they lost.
# Since depth14n (headings may take a line more space from the first
# search on) the part under the bound needs no second search either:
# 18,804 lines at 74,296 instructions a line, 20,564 at 73,468 (ratio
# 0.99). So the part over the bound is held to costing no more a line
# than the one under it (ratio <= 1.03) and to MAX_PER_LINE instructions
# a line: a second search or setting adds a fifth (88,315 a line for the
# part under the bound when it was searched twice).
#
# Instruction counts (valgrind's callgrind), not wall time, so that a busy
# machine cannot fail or pass the case; the release build (bin/octavo, or
# OCTAVO_RELEASE), as tests/scale.sh measures, since the sanitizers would
# count themselves; 'check', which lays out the book as a build does
# (pg_compose_lint_jobs) and writes nothing; one thread. Each count is
# bounded in time (MEM12B_LIMIT seconds, 300), so that work gone unbounded
# fails rather than stalls the suite. About 20 s of CPU.
. "$ROOT/tests/lib.sh"
REL=${OCTAVO_RELEASE:-$ROOT/bin/octavo}
LIMIT=${MEM12B_LIMIT:-300}
MAX_RATIO=1.03
MAX_PER_LINE=82000

if ! [ -x "$REL" ]; then
	skip "mem12b: no release build at $REL (make bin/octavo)"
	exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
	skip "mem12b: instruction counts (valgrind is not installed)"
	exit 0
fi

# count DIR NAME: the instructions 'octavo check DIR' executes into
# $T/NAME.i, the lines it laid out into $T/NAME.n; nothing after
# reporting a failure.
count() {
	if ! "$REL" check "$1" -v --jobs 1 >"$T/check.txt" 2>&1; then
		no "mem12b: 'octavo check' of a $2 MB essay" "$(tail -5 "$T/check.txt")"
		return
	fi
	sed -n 's/.*laid out [0-9]* pages, \([0-9]*\) lines.*/\1/p' "$T/check.txt" >"$T/$2.n"
	timeout -k 10 "$LIMIT" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$REL" check "$1" -q --jobs 1 >"$T/cg.txt" 2>&1
	rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		no "mem12b: 'octavo check' of a $2 MB essay under callgrind" "did not finish in $LIMIT s (timed out)"
		return
	fi
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$T/cg.txt" >"$T/$2.i"
	[ -s "$T/$2.i" ] && [ -s "$T/$2.n" ] ||
		no "mem12b: instructions and lines of a $2 MB essay counted" "$(tail -3 "$T/check.txt" "$T/cg.txt")"
}

# Two one-part essays of the manuscript's prose (bench/scale.py): the
# first 1.1 MB, some 18,800 lines, and the first 1.2 MB, some 20,600.
for mb in 1.1 1.2; do
	if ! python3 "$ROOT/bench/scale.py" "$ROOT/manuscript" "$T/e$mb" --essay=$mb >/dev/null 2>"$T/scale.err"; then
		no "mem12b: a $mb MB essay made from the manuscript" "$(cat "$T/scale.err")"
		exit 0
	fi
done
count "$T/e1.1" 1.1
count "$T/e1.2" 1.2
i0=$(cat "$T/1.1.i" 2>/dev/null) n0=$(cat "$T/1.1.n" 2>/dev/null)
i1=$(cat "$T/1.2.i" 2>/dev/null) n1=$(cat "$T/1.2.n" 2>/dev/null)
if [ -z "$i0" ] || [ -z "$i1" ] || [ -z "$n0" ] || [ -z "$n1" ]; then
	exit 0 # reported
fi
if [ "$n0" -ge 20000 ] || [ "$n1" -le 20000 ]; then
	no "mem12b: the essays fall either side of 20,000 lines" "$n0 and $n1 lines"
	exit 0
fi
r=$(awk -v a="$i0" -v na="$n0" -v b="$i1" -v nb="$n1" 'BEGIN { printf "%.2f", (b / nb) / (a / na) }')
line="mem12b: a part of $n1 lines costs $((i1 / n1)) instructions a line, one of $n0 lines $((i0 / n0)) (ratio $r)"
if awk -v r="$r" -v m="$MAX_RATIO" 'BEGIN { exit !(r <= m) }' && [ $((i1 / n1)) -le "$MAX_PER_LINE" ]; then
	ok "$line"
else
	no "$line, want <= $MAX_RATIO and <= $MAX_PER_LINE a line: is the part over 20,000 lines searched twice or set again?"
fi
