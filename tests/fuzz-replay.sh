#!/bin/sh
# tests/fuzz-replay.sh - 'make test' replays the fuzzers' corpus and every
# crasher they found, under gcc's ASan and UBSan (no clang needed): the
# harnesses of tests/fuzz/ are linked with a small main() (replay.c) and
# the sanitizer objects 'make test' built in build/san/.
#
# tests/fuzz/corpus/essay/*  and crashers/essay-*  go through fuzz_essay.c
# tests/fuzz/corpus/yaml/*   and crashers/yaml-*   go through fuzz_yaml.c
# tests/fuzz/corpus/style/*  and crashers/style-*  go through fuzz_style.c
# tests/fuzz/corpus/image/*  and crashers/image-*  go through fuzz_image.c
#
# Env: OCTAVO (build/san/octavo: its folder holds the objects), ROOT.
# Prints one "ok   "/"FAIL " line per corpus and per crasher.
set -u
ROOT=${ROOT:?}
OCTAVO=${OCTAVO:?}
SAN=$(dirname "$OCTAVO")
F=$ROOT/tests/fuzz
T=$(mktemp -d /tmp/octavo-replay.XXXXXX)
trap 'rm -rf "$T"' EXIT

WARN="-std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Wvla"
SANF="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
# The libraries and flags are the Makefile's own, asked of make.
mkvar() { printf 'octavo-print-%%:\n\t@echo $($*)\n' | make -s -C "$ROOT" -f Makefile -f - "octavo-print-$1"; }
XML="" XMLC="" XMLL=""
if pkg-config --exists libxml-2.0 2>/dev/null; then
	XML="-DFUZZ_XML" XMLC=$(pkg-config --cflags libxml-2.0) XMLL=$(pkg-config --libs libxml-2.0)
fi
# The objects of today's sources only: a stale one of a deleted file would
# define its functions twice.
objs=$(cd "$ROOT/src" && ls */*.c | sed "s|^\(.*\)\.c\$|$SAN/\1.o|")
CFLAGS="$WARN $SANF $(mkvar PKG_CFLAGS) $XMLC $XML -DFUZZ_ROOT=\"$ROOT\" -I$ROOT/src"
# The harness reads the EPUB back with libzip, which octavo itself opens
# with dlopen (src/epub/ocf.c) and so does not link.
LIBS="$(mkvar LIBS) $(pkg-config --libs libzip) $XMLL"
for t in essay yaml style image; do
	if ! out=$(${CC:-cc} $CFLAGS -o "$T/replay-$t" "$F/replay.c" "$F/fuzz.c" "$F/fuzz_$t.c" \
		$objs $LIBS 2>&1) || [ -n "$out" ]; then
		echo "FAIL fuzz replay: build the $t replayer warning-free"
		printf '%s\n' "$out" | head -20 | sed 's/^/     /'
		exit 0
	fi
done
# The fuzzers ran with fonts cut down to Latin (tests/fuzz/subset.c): so
# does the replay, which also keeps it quick.
mkdir -p "$T/fonts"
if ${CC:-cc} -O1 $(pkg-config --cflags harfbuzz-subset) -o "$T/subset" "$F/subset.c" \
	$(pkg-config --libs harfbuzz-subset) 2>/dev/null; then
	for f in CharisSIL-Regular CharisSIL-Italic CharisSIL-Bold CharisSIL-BoldItalic NotoSansMono-Regular; do
		"$T/subset" "$ROOT/fonts/$f.ttf" "$T/fonts/$f.ttf"
	done
	export FUZZ_FONTS=$T/fonts
fi
export OCTAVO_DATADIR=$ROOT

replay() { # replay HARNESS NAME FILE...
	t=$1 name=$2; shift 2
	if out=$("$T/replay-$t" "$@" 2>&1); then
		echo "ok   fuzz replay: $name ($(printf '%s\n' "$out" | sed -n 's/^replayed //p'))"
	else
		echo "FAIL fuzz replay: $name"
		printf '%s\n' "$out" | grep -E 'ERROR|SUMMARY|runtime error|#[0-9] |fuzz:' | head -20 | sed 's/^/     /'
	fi
}
for t in essay yaml style image; do
	replay $t "$t corpus" "$F/corpus/$t"
	for c in "$F"/crashers/$t-*; do
		[ -f "$c" ] || continue
		replay $t "crasher $(basename "$c")" "$c"
	done
done
