#!/bin/sh
# tests/fuzz/linear.sh - time grows at most linearly with the input.
#
# Each case makes a pathological manuscript at size N and 2N, runs
# 'octavo check' (read and lay out) on both under valgrind's callgrind, and
# compares instruction counts: (I(2N) - I0) / (I(N) - I0), where I0 is a
# small book's count, must stay under LIMIT (2.3: linear, with room for
# n log n sorting). Instruction counts, unlike wall time, do not depend on
# the machine's load. Needs valgrind and an unsanitized build (bin/octavo,
# made here with make). Prints "ok", "FAIL" or "skip" lines; with -v, also
# the counts.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
LIMIT=${LIMIT:-2.3}
export OCTAVO_DATADIR=${OCTAVO_DATADIR:-$ROOT}
# The whole hyphenation patterns for every size: a small book loads only
# the ones its words need, which would make N and 2N do different work.
export OCTAVO_PATTERNS=all
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skip linear growth: valgrind is not installed"; exit 0
fi
if ! make -s -C "$ROOT" bin/octavo >/dev/null 2>&1; then
	echo "FAIL linear growth: cannot build bin/octavo"; exit 0
fi
BIN=$ROOT/bin/octavo
# The scratch folder $T and mkbook (a small two-part book; each case
# fills its one.md) from the suites' library.
OCTAVO=$BIN
. "$ROOT/tests/lib.sh"

count() { # count DIR: instructions 'octavo check DIR' executes
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" check -q "$1" \
		>"$T/cg.txt" 2>&1
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$T/cg.txt"
}

# The compiled dictionaries in a cache of this run's own (hyphen.c keeps
# them in the user's cache): a first build makes them, every build
# counted takes them, so that I0 is not a build that compiles them while
# N and 2N read them (ratio 19 for a word with no break points).
export XDG_CACHE_HOME="$T/cache"
mkbook "$T/base"
count "$T/base" >/dev/null
I0=$(count "$T/base")
if [ -z "$I0" ]; then echo "FAIL linear growth: callgrind gave no count"; cat "$T/cg.txt"; exit 0; fi

# case NAME N SCRIPT: SCRIPT (Python) writes the book in sys.argv[1] for
# size int(sys.argv[2]).
case_() {
	name=$1 n=$2 script=$3
	for k in 1 2; do
		mkbook "$T/c$k"
		python3 -c "$script" "$T/c$k" $((n * k))
	done
	i1=$(count "$T/c1") i2=$(count "$T/c2")
	r=$(awk -v a="$i1" -v b="$i2" -v z="$I0" 'BEGIN { printf "%.2f", (b - z) / (a - z) }')
	line="linear growth: $name (N=$n: $i1, 2N: $i2 instructions; ratio $r)"
	if awk -v r="$r" -v l="$LIMIT" 'BEGIN { exit !(r <= l) }'; then echo "ok   $line"
	else echo "FAIL $line"; fi
}

HEAD='import sys; d, n = sys.argv[1], int(sys.argv[2]); w = lambda s: open(d + "/one.md", "w").write("---\ntitle: One\n---\n\n" + s)'
case_ "one long paragraph" 10000 "$HEAD
import random; r = random.Random(1)
w(' '.join(r.choice(['partnership', 'the', 'of', 'government', 'civil', 'society']) for _ in range(n)) + '\n')"
case_ "a paragraph of many pieces (quotes, code, emphasis)" 4000 "$HEAD
w(''.join(\"it's *a* \\\`b\\\` \" for _ in range(n)) + '\n')"
case_ "a word with no break points" 20000 "$HEAD
w('A ' + 'x' * n + ' word.\n')"
# From 2,000 notes up: at 1,000 the paragraph of references is set in
# TeX's first pass (no hyphenation), at 2,000 it needs the second, and a
# count that doubles in passes as well as in input is not a growth rate.
case_ "footnotes" 2000 "$HEAD
w(''.join('Text %d.[^%d] ' % (i, i) for i in range(n)) + '\n\n' + ''.join('[^%d]: Note %d.\n' % (i, i) for i in range(n)))"
case_ "headings of the same name" 1000 "$HEAD
w('## Same\n\nText.\n\n' * n)"
case_ "short paragraphs (pages)" 2000 "$HEAD
w('A short paragraph of a few words.\n\n' * n)"
case_ "block quotes and lists" 1000 "$HEAD
w('> quoted\n>\n> - a list item\n>   > deeper\n\n' * n)"
case_ "keys in front matter" 4000 "import sys; d, n = sys.argv[1], int(sys.argv[2])
open(d + '/one.md', 'w').write('---\ntitle: One\n' + ''.join('k%d: v\n' % i for i in range(n)) + '---\n\nText.\n')"
case_ "parts listed in book.yaml" 1000 "import sys; d, n = sys.argv[1], int(sys.argv[2])
open(d + '/book.yaml', 'a').write(''.join('  - p%d.md\n' % i for i in range(n)))
[open(d + '/p%d.md' % i, 'w').write('# P\n\nText.\n') for i in range(n)]"
# Each internal link once looked for its target in every block of the
# book (issue 12's item 13): 'check' lints every link against an index of
# the book's ids now. tests/scale.sh measures 'build' (the EPUB's links).
case_ "internal links to headings" 1000 "$HEAD
w(''.join('See [section %d](#essay-01-section-%d).\\n\\n' % (i, i) for i in range(n)) +
  ''.join('## Section %d\\n\\nText.\\n\\n' % i for i in range(n)))"
case_ "headings with cross-references" 1000 "$HEAD
w(''.join('## Heading %d\\n\\nSee [the next](#essay-01-heading-%d).\\n\\n' % (i, (i + 1) % n) for i in range(n)))"
