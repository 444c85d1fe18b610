#!/bin/sh
# tests/fuzz/leakcheck.sh - 'make leakcheck': valgrind memcheck over an
# unsanitized build (bin/octavo): the full edition, a check, and builds
# that fail on bad input (their error paths must free everything too).
# Any leak (definite, indirect or possible) or invalid access fails it;
# "still reachable" blocks are glib's own, made when HarfBuzz loads it,
# and the hyphenation patterns, which octavo keeps for the process (1.5 MB
# for en-GB; 'watch' and the fuzzers reuse them).
# Prints valgrind's summary per run and ends "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "leakcheck: installing valgrind"
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get install -y -q --no-install-recommends valgrind >/dev/null
fi
make -s bin/octavo || exit 1
export OCTAVO_DATADIR=$ROOT
T=$(mktemp -d /tmp/octavo-leak.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
VG="valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-fds=no --error-exitcode=99"

vg() { # vg NAME WANT-EXIT ARGS...: one run under memcheck
	name=$1 want=$2; shift 2
	$VG ./bin/octavo "$@" >"$T/out.txt" 2>&1
	rc=$?
	summary=$(grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|in use at exit|All heap blocks' "$T/out.txt" | sed 's/^==[0-9]*== *//')
	if [ $rc -eq "$want" ]; then
		pass=$((pass + 1)); echo "ok   leakcheck: $name"
	else
		fail=$((fail + 1)); echo "FAIL leakcheck: $name (exit $rc, want $want)"
		grep -E 'Invalid|uninitialised|lost in|at 0x|by 0x' "$T/out.txt" | head -40 | sed 's/^/     /'
	fi
	printf '%s\n' "$summary" | sed 's/^/     /'
}

vg "full build of the edition" 0 build manuscript -o "$T/out"
vg "check of the edition" 0 check manuscript
vg "EPUB only" 0 build manuscript -o "$T/out" --epub

# Failing builds: a book with several mistakes at once.
mkdir -p "$T/b"
printf 'title: Bad\nlanguage: en-GB\nidentifiers: {uuid: urn:uuid:11111111-2222-3333-4444-555555555555}\nparts: [one.md, two.md, missing.md]\nfoo: 1\n' >"$T/b/book.yaml"
printf -- '---\ntitle: One\n---\n\nText[^a] and ![x](../x.png) and ![y](none.png).\n\n[^a]: Note[^a].\n\n[^a]: Again.\n' >"$T/b/one.md"
printf 'Bad \377 byte.\n' >"$T/b/two.md"
vg "a book with many errors" 1 build "$T/b" -o "$T/out2"
printf 'title: "unclosed\n' >"$T/b/book.yaml"
vg "malformed book.yaml" 1 build "$T/b" -o "$T/out2"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
