#!/bin/sh
# tests/suites/hyph14p.sh - whole hyphenation dictionaries compiled once a
# machine (src/text/hyphen.c, src/util/cache.c): libhyphen took 3.5 s for
# German's whole file at every build that needed it. A build keeps each
# whole automaton it compiles in $XDG_CACHE_HOME/octavo, and any later build
# takes it from there: a book's own language (here OCTAVO_PATTERNS=all) and
# a passage's (French, loaded by the layout). Checked here: the files are
# written, reused (not written again), ignored and written again when
# stale (another dictionary or octavo build: another key), damaged or cut,
# and a cache folder that cannot be made costs nothing but time; the PDF
# and EPUB are the same bytes in every case, on one thread or two.
# tests/unit/hyph14p.c frees hyphenation handles on two threads at once.
. "$ROOT/tests/lib.sh"
export SOURCE_DATE_EPOCH=1700000000
export XDG_CACHE_HOME="$T/xdg"
C="$XDG_CACHE_HOME/octavo"
B="$T/book"
mkbook
printf -- '---\ntitle: "Two"\n---\n\nPartnership, accountability and independence in [la coopération intercommunale et l’administration départementale]{lang=fr} communities.\n' >"$B/two.md"

# build NAME OUT [ENV...]: the book into OUT with the whole file of
# patterns; ok when it exits 0 and says nothing.
build() {
	b_name=$1 b_out=$2
	shift 2
	expect 0 "$b_name" env "$@" OCTAVO_PATTERNS=all "$OCTAVO" build "$B" -o "$b_out" -q &&
		if [ -z "$out" ]; then ok "$b_name: built, nothing said"; else no "$b_name: said" "$out"; fi
}
# same NAME OUT: OUT's PDF and EPUB are the first build's bytes.
same() {
	if cmp -s "$T/o1/test-book.pdf" "$2/test-book.pdf" && cmp -s "$T/o1/test-book.epub" "$2/test-book.epub"; then
		ok "$1: the same PDF and EPUB bytes"
	else
		no "$1: other bytes" "$(ls -l "$T/o1" "$2")"
	fi
}
inode() { ls -i "$1" 2>/dev/null | awk '{ print $1 }'; }

build "first build" "$T/o1"
EN=$(ls "$C"/patterns-*-hyph_en_GB.dic 2>/dev/null | head -1)
FR=$(ls "$C"/patterns-*-hyph_fr.dic 2>/dev/null | head -1)
if [ -n "$EN" ] && [ -n "$FR" ] && [ "$(head -n 1 "$EN")" = "octavo cache 1" ] &&
	[ "$(head -n 1 "$FR")" = "octavo cache 1" ]; then
	ok "the book's dictionary (en-GB) and its passage's (fr) kept in the user's cache"
else
	no "no cache files for en-GB and fr" "$(ls -la "$C" 2>&1)"
fi
cp "$EN" "$T/en.kept" 2>/dev/null
en0=$(inode "$EN") fr0=$(inode "$FR")

# Reused: a fresh output folder takes both, writes neither again, and its
# own store of patterns gets the book's from the cache.
build "fresh output folder" "$T/o2"
same "fresh output folder" "$T/o2"
[ -n "$en0" ] && [ "$(inode "$EN")" = "$en0" ] && [ "$(inode "$FR")" = "$fr0" ] &&
	ok "the cache files taken, not written again" ||
	no "a cache file was written again" "$(ls -li "$C")"
[ -s "$T/o2/.test-book.patterns" ] && ok "the output folder's store holds the patterns taken" ||
	no "no .test-book.patterns in a fresh output folder" "$(ls -la "$T/o2")"

# restored NAME OUT: the en-GB file was written again (a new file) with
# the bytes of the first.
restored() {
	same "$1" "$2"
	if [ "$(inode "$EN")" != "$en0" ] && cmp -s "$EN" "$T/en.kept"; then
		ok "$1: the file written again, as it was"
	else
		no "$1: the file not written again as it was" "$(ls -li "$C" "$T/en.kept")"
	fi
	en0=$(inode "$EN")
}
# Stale: another key (the file of another dictionary or octavo build).
printf '\377\377\377\377\377\377\377\377' | dd of="$EN" bs=1 seek=15 conv=notrunc 2>/dev/null
build "stale cache" "$T/o3"
restored "stale cache" "$T/o3"
# Damaged: one byte of the automaton changed (its check fails).
printf 'Z' | dd of="$EN" bs=1 seek=4000 conv=notrunc 2>/dev/null
build "damaged cache" "$T/o4"
restored "damaged cache" "$T/o4"
# Cut short.
truncate -s 3000 "$EN"
build "cut cache" "$T/o5"
restored "cut cache" "$T/o5"
# Not ours at all.
printf 'something else\n' >"$EN"
build "foreign file" "$T/o6"
restored "foreign file" "$T/o6"

# A cache folder that cannot be made (a file in its way), and no cache at
# all (neither XDG_CACHE_HOME nor HOME): built alike, nothing said.
: >"$T/plain"
build "cache folder in a file's way" "$T/o7" XDG_CACHE_HOME="$T/plain"
same "cache folder in a file's way" "$T/o7"
build "no cache folder" "$T/o8" -u XDG_CACHE_HOME -u HOME
same "no cache folder" "$T/o8"
# A relative XDG_CACHE_HOME is ignored (the XDG spec): ~/.cache then.
mkdir -p "$T/home" "$T/cwd"
(cd "$T/cwd" && build "relative XDG_CACHE_HOME" "$T/o9" XDG_CACHE_HOME=rel HOME="$T/home")
[ ! -e "$T/cwd/rel" ] && ls "$T/home/.cache/octavo"/patterns-*-hyph_en_GB.dic >/dev/null 2>&1 &&
	ok "a relative XDG_CACHE_HOME ignored for ~/.cache/octavo" ||
	no "relative XDG_CACHE_HOME" "$(ls -laR "$T/cwd" "$T/home" 2>&1 | head -20)"

# Two threads (the patterns beside the Markdown, the parts on two), from a
# new cache: the same bytes.
build "two threads, new cache" "$T/o10" XDG_CACHE_HOME="$T/xdg2" OCTAVO_JOBS_MIN=0 OCTAVO_JOBS=2
same "two threads, new cache" "$T/o10"
build "two threads, cache kept" "$T/o11" XDG_CACHE_HOME="$T/xdg2" OCTAVO_JOBS_MIN=0 OCTAVO_JOBS=2
same "two threads, cache kept" "$T/o11"
