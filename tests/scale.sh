#!/bin/sh
# tests/scale.sh - resources at scale (issue 12, items 12 and 13): memory
# that grows with the input by a bounded number of bytes per byte, and
# internal links that cost the same each however many there are.
#
# Both measure the release build (bin/octavo, which make test builds, or
# OCTAVO_RELEASE): the sanitizers' shadow memory and instrumentation would
# measure themselves. Instruction counts (valgrind's callgrind), not wall
# time, so that a busy machine cannot fail or pass a case. The 50 MB
# essay and the 10 MB paragraph belong to make bench (bench/run.sh).
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
REL=${OCTAVO_RELEASE:-$ROOT/bin/octavo}
# The whole hyphenation patterns for every size: a small book loads only
# the ones its words need, which would make N and 2N do different work.
export OCTAVO_PATTERNS=all

if ! [ -x "$REL" ]; then
	skip "scale: no release build at $REL (make bin/octavo)"
	exit 0
fi

# mkone DIR: a one-essay book whose essay, DIR/one.md, the case writes.
mkone() {
	mkbook "$1"
	printf 'title: T\nlanguage: en-GB\nidentifiers:\n  uuid: urn:uuid:11111111-2222-3333-4444-555555555555\nparts:\n  - one.md\n' >"$1/book.yaml"
	printf -- '---\ntitle: One\n---\n\nA small book.\n' >"$1/one.md"
}

# === memory: peak RSS per input byte =============================================
# A 2 MB essay of the manuscript's prose (bench/scale.py, as make bench
# makes its 50 MB one). What it costs above a small book, per byte of
# Markdown, must stay under 20 bytes: it was 39 when each line's drawing
# operations (96 bytes a piece of text) and the pages made from them all
# waited together for the end of the part, and the breaker kept every
# feasible breakpoint at full size; 14.4 after that; 20.1-20.3 once the
# drawing operations carried their tags (64 bytes, was 48) and build ran
# check's lint over the layout (December 2026). 24 holds that line until
# the cost is found and taken back. 20.7 with one malloc arena on huge
# pages (src/util/heap.c): both peaks fell (a small book 47 -> 44 MB, the
# 2 MB essay 86.5 -> 85 MB), the small book's more. Back under 20
# (17.3, the 2 MB essay 85 -> 72.5 MB): the lint's line records keep
# their texts only where it may quote them, a drawing operation is 56
# bytes (was 64) and a vertical list's line 136 (was 152). 19.0 after
# that: the peak was the EPUB cover's first rendering (poppler, cairo, a
# 16 MB image) stacked on what the layout had freed and the heap kept;
# 13.0 (79 -> 67 MB) once a book of 1 MB or more gives it back first.
if ! [ -x /usr/bin/time ]; then
	skip "memory: peak RSS per input byte (/usr/bin/time is not installed)"
else
	mkone "$T/small"
	python3 "$ROOT/bench/scale.py" "$ROOT/manuscript" "$T/big" --essay=2 >/dev/null
	bytes=$(wc -c <"$T/big/big.md")
	if /usr/bin/time -f %M -o "$T/rss0" "$REL" build "$T/small" -o "$T/out0" -q >"$T/log0" 2>&1 &&
		/usr/bin/time -f %M -o "$T/rss1" "$REL" build "$T/big" -o "$T/out1" -q >"$T/log1" 2>&1; then
		k0=$(tail -n 1 "$T/rss0") k1=$(tail -n 1 "$T/rss1")
		per=$(awk -v a="$k0" -v b="$k1" -v n="$bytes" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }')
		line="memory: a 2 MB essay costs $per bytes of peak RSS per input byte ($k1 KB, a small book $k0 KB)"
		if awk -v p="$per" 'BEGIN { exit !(p < 20) }'; then ok "$line"; else no "$line, want < 20"; fi
	else
		no "memory: the 2 MB essay builds" "$(cat "$T/log0" "$T/log1")"
	fi
	rm -rf "$T/big" "$T/out0" "$T/out1"
fi

# === links: one lookup each =======================================================
# Each internal link looked for its target in every block of the book, in
# the lint ('check') and again in the EPUB ('build'): 40,000 links took
# 10 s to check. Instructions at 2N over those at N, above a small book's,
# must stay under LIMIT (linear, with room for n log n); quadratic was 2.5
# to 2.8 at these sizes. tests/fuzz/linear.sh has them too, for check.
LIMIT=2.3
if ! command -v valgrind >/dev/null 2>&1; then
	skip "links: instruction counts (valgrind is not installed)"
	exit 0
fi
count() { # count CMD DIR: instructions 'octavo CMD DIR' executes
	if [ "$1" = build ]; then
		# Into an empty folder each time: a second build into one
		# compares its pages with the first's, which is more work.
		rm -rf "$T/cg-out"
		set -- build "$2" -o "$T/cg-out" --epub
	fi
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$REL" "$@" -q >"$T/cg.txt" 2>&1
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$T/cg.txt"
}
# growth NAME CMD N SCRIPT: SCRIPT (Python) writes one.md in argv[1] for
# size int(argv[2]); compares 'octavo CMD' at N and 2N.
growth() {
	name=$1 cmd=$2 n=$3 script=$4
	for k in 1 2; do
		mkone "$T/g$k"
		python3 -c "$script" "$T/g$k" $((n * k))
	done
	# The small book's count, once per command.
	eval "i0=\${i0_$cmd:-}"
	if [ -z "$i0" ]; then
		i0=$(count "$cmd" "$T/small")
		eval "i0_$cmd=\$i0"
	fi
	i1=$(count "$cmd" "$T/g1") i2=$(count "$cmd" "$T/g2")
	if [ -z "$i0" ] || [ -z "$i1" ] || [ -z "$i2" ]; then
		no "$name: callgrind gave no count" "$(cat "$T/cg.txt")"
		return
	fi
	r=$(awk -v a="$i1" -v b="$i2" -v z="$i0" 'BEGIN { printf "%.2f", (b - z) / (a - z) }')
	line="$name ($cmd, N=$n: $i1, 2N: $i2 instructions, small book $i0; ratio $r)"
	if awk -v r="$r" -v l="$LIMIT" 'BEGIN { exit !(r <= l) }'; then ok "$line"; else no "$line, want <= $LIMIT"; fi
}
[ -d "$T/small" ] || mkone "$T/small"
HEAD='import sys; d, n = sys.argv[1], int(sys.argv[2]); w = lambda s: open(d + "/one.md", "w").write("---\ntitle: One\n---\n\n" + s)'
LINKS="$HEAD
w(''.join('See [section %d](#essay-01-section-%d).\n\n' % (i, i) for i in range(n)) +
  ''.join('## Section %d\n\nText.\n\n' % i for i in range(n)))"
growth "links: internal links to headings grow linearly" check 1000 "$LINKS"
growth "links: internal links to headings grow linearly" build 1000 "$LINKS"
growth "links: headings with cross-references grow linearly" build 1000 "$HEAD
w(''.join('## Heading %d\n\nSee [the next](#essay-01-heading-%d).\n\n' % (i, (i + 1) % n) for i in range(n)))"
