#!/bin/sh
# tests/fuzz/fuzz.sh - 'make fuzz': builds the libFuzzer harnesses with
# clang (ASan + UBSan) and runs each for FUZZ_MINUTES (default 30).
#
#   FUZZ_MINUTES=30   how long each harness runs
#   FUZZ_TARGETS="essay yaml style image"
#   FUZZ_PARALLEL=1   run the harnesses at once (one core each)
#   FUZZ_BUILD_ONLY=1 build and stop
#
# Work happens in build/fuzz/: corpus-NAME/ (the checked-in seeds plus what
# the fuzzer finds), NAME.log, and crash-*/timeout-*/oom-* artifacts, which
# belong in tests/fuzz/crashers/ once fixed. See tests/fuzz/README.md.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
B=build/fuzz
MIN=${FUZZ_MINUTES:-30}
TARGETS=${FUZZ_TARGETS:-essay yaml style image}
CLANG=$(command -v clang-14 || command -v clang || true)
if [ -z "$CLANG" ] || ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; return (int)n * 0; }' |
	"$CLANG" -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
	echo "fuzz: installing clang-14 and libclang-rt-14-dev for libFuzzer"
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get install -y -q --no-install-recommends clang-14 libclang-rt-14-dev >/dev/null
	CLANG=clang-14
fi

WARN="-std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wvla"
SAN="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
# The libraries and flags are the Makefile's own, asked of make.
mkvar() { printf 'octavo-print-%%:\n\t@echo $($*)\n' | make -s -C "$ROOT" -f Makefile -f - "octavo-print-$1"; }
XML="" XMLC="" XMLL=""
if pkg-config --exists libxml-2.0; then
	XML="-DFUZZ_XML" XMLC=$(pkg-config --cflags libxml-2.0) XMLL=$(pkg-config --libs libxml-2.0)
fi
CFLAGS="$WARN $SAN $(mkvar PKG_CFLAGS) $XMLC -DOCTAVO_DATADIR=\"$ROOT\""
# The harness reads the EPUB back with libzip, which octavo itself opens
# with dlopen (src/epub/ocf.c) and so does not link.
LIBS="$(mkvar LIBS) $(pkg-config --libs libzip) $XMLL"

mkdir -p $B/obj $B/fonts
objs=""
for src in src/*/*.c; do
	o=$B/obj/$(echo "$src" | sed 's|^src/||; s|/|-|; s|\.c$|.o|')
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ -n "$(find src -name '*.h' -newer "$o")" ]; then
		echo "  CC fuzz $src"
		"$CLANG" $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$src"
	fi
	objs="$objs $o"
done
HF="$CFLAGS $XML -DFUZZ_ROOT=\"$ROOT\" -Isrc -fsanitize=fuzzer-no-link"
"$CLANG" $HF -c -o $B/obj/fuzz.o tests/fuzz/fuzz.c
for t in $TARGETS; do
	echo "  LD fuzz $B/fuzz_$t"
	"$CLANG" $HF -fsanitize=fuzzer -o $B/fuzz_$t tests/fuzz/fuzz_$t.c $B/obj/fuzz.o $objs $LIBS
done
# Small fonts make each run write its PDF and EPUB in milliseconds.
cc -O1 $(pkg-config --cflags harfbuzz-subset) -o $B/subset tests/fuzz/subset.c \
	$(pkg-config --libs harfbuzz-subset)
for f in fonts/CharisSIL-Regular.ttf fonts/CharisSIL-Italic.ttf fonts/CharisSIL-Bold.ttf \
	fonts/CharisSIL-BoldItalic.ttf fonts/NotoSansMono-Regular.ttf; do
	[ -f "$B/$f" ] || $B/subset "$f" "$B/$f"
done
[ "${FUZZ_BUILD_ONLY:-}" ] && exit 0

# One harness for MIN minutes. libFuzzer stops at the first crash, so it is
# started again (the corpus kept) until the time is up; fork mode would
# re-run the whole corpus at every merge, which this slow a target cannot
# afford. Sums executions over the runs.
run() { # run NAME
	t=$1
	mkdir -p $B/corpus-$t $B/artifacts
	: >$B/$t.log
	end=$(($(date +%s) + MIN * 60))
	while [ "$(date +%s)" -lt "$end" ]; do
		start=$(date +%s)
		left=$((end - start))
		LSAN_OPTIONS=suppressions=$ROOT/tests/fuzz/lsan.supp FUZZ_FONTS=$ROOT/$B/fonts OCTAVO_DATADIR=$ROOT \
			$B/fuzz_$t $B/corpus-$t tests/fuzz/corpus/$t \
			-dict=tests/fuzz/$t.dict -max_len=16384 -timeout=20 -rss_limit_mb=2560 \
			-max_total_time=$left -print_final_stats=1 \
			-artifact_prefix=$B/artifacts/$t- >>$B/$t.log 2>&1 || true
		# A crash while reading the corpus would recur at every start.
		if [ $(($(date +%s) - start)) -lt 5 ] && [ "$(date +%s)" -lt "$end" ]; then
			echo "fuzz $t: stopped: it fails at once (see $B/$t.log)"; break
		fi
	done
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' $B/$t.log | awk '{ s += $1 } END { print s + 0 }')
	echo "fuzz $t: $MIN minutes, $execs executions, $(grep -c '^==.*ERROR\|^SUMMARY' $B/$t.log) sanitizer reports"
	echo "fuzz $t: last status: $(grep -E '^#[0-9]+' $B/$t.log | tail -1)"
}
if [ "${FUZZ_PARALLEL:-}" ]; then
	for t in $TARGETS; do run "$t" & done
	wait
else
	for t in $TARGETS; do run "$t"; done
fi
n=$(ls $B/artifacts 2>/dev/null | wc -l)
echo "fuzz: $n artifacts in $B/artifacts (crashes, timeouts, out-of-memory)"
