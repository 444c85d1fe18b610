#!/bin/sh
# tests/suites/pipe13.sh - one pipeline, one seam for threads (issue 13):
# --jobs 1 (and OCTAVO_JOBS=1) gives the same bytes and the same messages
# as two threads, and the editions of the flagship book and of the test
# books match the SHA-256 hashes stored in tests/hashes/editions.sha256.
#
# When a change means to change the editions' bytes, look at the pages,
# then store the new hashes with one line (and say why in the commit):
#
#   UPDATE_HASHES=1 OCTAVO=bin/octavo ROOT=. sh tests/suites/pipe13.sh
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

# builds BOOK-DIR NAME ARGS...: builds into $T/NAME (a fresh folder, then
# once more over it, so the font and cover caches are read back too);
# stderr in $T/NAME.err. Returns octavo's status.
builds() {
	dir=$1 name=$2
	shift 2
	rm -rf "$T/$name"
	"$OCTAVO" build "$dir" -o "$T/$name" "$@" 2>"$T/$name.err" &&
		"$OCTAVO" build "$dir" -o "$T/$name" "$@" 2>"$T/$name.err"
}

# --- --jobs 1 and two threads: the same files, the same messages --------------
# (OCTAVO_JOBS_MIN=0: threads for these small books too, src/util/jobs.h.)
for book in manuscript tests/books/tagged tests/books/blocks; do
	n=$(basename "$book")
	if ! builds "$ROOT/$book" "$n-j1" --jobs 1 ||
		! (export OCTAVO_JOBS_MIN=0 && builds "$ROOT/$book" "$n-j2" --jobs 2) ||
		! (export OCTAVO_JOBS=1 && builds "$ROOT/$book" "$n-env1"); then
		no "pipe13: $n builds with --jobs 1, --jobs 2 and OCTAVO_JOBS=1" "$(cat "$T/$n-j1.err" "$T/$n-j2.err" "$T/$n-env1.err" 2>/dev/null | head -20)"
		continue
	fi
	same=true
	for f in "$T/$n-j1"/*.pdf "$T/$n-j1"/*.epub; do
		b=$(basename "$f")
		cmp -s "$f" "$T/$n-j2/$b" && cmp -s "$f" "$T/$n-env1/$b" || same=false
	done
	if $same && ls "$T/$n-j1"/*.pdf "$T/$n-j1"/*.epub >/dev/null 2>&1; then
		ok "pipe13: $n: --jobs 1, --jobs 2 and OCTAVO_JOBS=1 give byte-identical PDF and EPUB"
	else
		no "pipe13: $n: the editions differ with the number of threads" "$(cd "$T" && sha256sum "$n-j1"/*.pdf "$n-j1"/*.epub "$n-j2"/*.pdf "$n-j2"/*.epub 2>&1)"
	fi
	# The messages, warnings included, in the same order (the summary's
	# time aside).
	for j in j1 j2; do
		sed -E "s|$n-$j|$n-jN|g; s/ in [0-9]+ ms/ in N ms/" "$T/$n-$j.err" >"$T/$n-$j.msg"
	done
	if cmp -s "$T/$n-j1.msg" "$T/$n-j2.msg" && [ -s "$T/$n-j1.msg" ]; then
		ok "pipe13: $n: the same messages, in the same order, on one thread and two"
	else
		no "pipe13: $n: the messages differ with the number of threads" "$(diff "$T/$n-j1.msg" "$T/$n-j2.msg" | head -20)"
	fi
done

# An EPUB-only build (the layout made for the page marks alone) and a
# PDF-only one: the same bytes as the full build's, on one thread or two.
B=$ROOT/tests/books/tagged
if builds "$B" epub-j1 --epub --jobs 1 &&
	(export OCTAVO_JOBS_MIN=0 && builds "$B" epub-j2 --epub --jobs 2 &&
		builds "$B" pdf-j2 --pdf --jobs 2) &&
	cmp -s "$T/epub-j1/tagged-blocks.epub" "$T/tagged-j1/tagged-blocks.epub" &&
	cmp -s "$T/epub-j2/tagged-blocks.epub" "$T/tagged-j1/tagged-blocks.epub" &&
	cmp -s "$T/pdf-j2/tagged-blocks.pdf" "$T/tagged-j1/tagged-blocks.pdf" &&
	! [ -e "$T/epub-j2/tagged-blocks.pdf" ] && ! [ -e "$T/pdf-j2/tagged-blocks.epub" ]; then
	ok "pipe13: --epub and --pdf alone give the full build's bytes, on one thread or two"
else
	no "pipe13: --epub or --pdf alone differs from the full build" "$(ls -l "$T/epub-j1" "$T/epub-j2" "$T/pdf-j2" 2>&1)"
fi

# --- usage ---------------------------------------------------------------------
B=$T/small
mkbook "$B"
if expect 2 "pipe13: --jobs 0" "$OCTAVO" build "$B" -o "$T/u" --jobs 0; then
	has "pipe13: --jobs 0 is a usage error" "octavo: error: --jobs takes a number of threads from 1 to 64, not '0'"
fi
if expect 2 "pipe13: OCTAVO_JOBS=two" env OCTAVO_JOBS=two "$OCTAVO" build "$B" -o "$T/u"; then
	has "pipe13: OCTAVO_JOBS=two is a usage error" "octavo: error: OCTAVO_JOBS takes a number of threads from 1 to 64, not 'two'"
fi
if expect 0 "pipe13: --jobs wins over OCTAVO_JOBS" env OCTAVO_JOBS=two "$OCTAVO" build "$B" -o "$T/u" -j 1 -q; then
	ok "pipe13: --jobs wins over OCTAVO_JOBS"
fi
if expect 0 "pipe13: --help" "$OCTAVO" --help; then
	contains "pipe13: --help documents --jobs" "-j, --jobs=N"
	contains "pipe13: --help documents OCTAVO_JOBS" "OCTAVO_JOBS=N"
fi

# --- the stored hashes ---------------------------------------------------------
# Every book here builds the same bytes on any run and in any folder:
# timestamps come from book.yaml (SOURCE_DATE_EPOCH is unset by lib.sh).
HASHES=$ROOT/tests/hashes/editions.sha256
BOOKS="manuscript tests/books/blocks tests/books/de tests/books/dialect tests/books/en-GB
tests/books/es tests/books/fr tests/books/pages tests/books/tagged"
: >"$T/hashes"
for book in $BOOKS; do
	n=$(basename "$book")
	rm -rf "$T/h"
	if ! "$OCTAVO" build "$ROOT/$book" -o "$T/h" -q 2>"$T/h.err"; then
		no "pipe13: $book builds" "$(cat "$T/h.err")"
		continue
	fi
	for f in "$T/h"/*.pdf "$T/h"/*.epub; do
		echo "$(sha256sum <"$f" | cut -d' ' -f1)  $book/$(basename "$f")" >>"$T/hashes"
	done
done
if [ -n "${UPDATE_HASHES:-}" ]; then
	mkdir -p "$(dirname "$HASHES")"
	cp "$T/hashes" "$HASHES"
	ok "pipe13: stored $(wc -l <"$HASHES") hashes in tests/hashes/editions.sha256"
elif ! [ -f "$HASHES" ]; then
	no "pipe13: no stored hashes" "make them: UPDATE_HASHES=1 OCTAVO=bin/octavo ROOT=. sh tests/suites/pipe13.sh"
else
	while read -r sum file; do
		want=$(awk -v f="$file" '$2 == f { print $1 }' "$HASHES")
		if [ "$sum" = "$want" ]; then
			ok "pipe13: $file matches its stored SHA-256"
		else
			no "pipe13: $file is not the stored bytes" "stored ${want:-nothing}, built $sum
if the change is meant: UPDATE_HASHES=1 OCTAVO=bin/octavo ROOT=. sh tests/suites/pipe13.sh"
		fi
	done <"$T/hashes"
	if [ "$(wc -l <"$T/hashes")" -ne "$(wc -l <"$HASHES")" ]; then
		no "pipe13: tests/hashes/editions.sha256 lists other files than were built" "$(cut -d' ' -f3 "$HASHES" | diff - "$(cut -d' ' -f3 "$T/hashes" >"$T/names"; echo "$T/names")")"
	fi
fi
