#!/bin/sh
# tests/suites/start13.sh - the compiled hyphenation patterns (issue 13):
# OUTDIR/.SLUG.patterns keeps the automaton libhyphen built from the
# dictionary (a small book's subset, or the whole file), and the next build
# takes it instead of reading the dictionary again. Whatever the store
# holds - this build's, another book's words, the whole file, damaged or
# cut bytes - the editions are the bytes a build into an empty folder
# makes, and a store that does not fit is made again.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

B=$T/book
mkbook "$B"
style "s|width: 138mm|width: 90mm|"
essay 'Parliamentary representatives deliberated interminably about the responsibilities of international organisations, notwithstanding considerable disagreements concerning constitutional arrangements, accountability, transparency and administrative proportionality.\n\nThe extraordinarily complicated negotiations continued, characteristically, throughout the uncomfortable afternoon.\n'
export SOURCE_DATE_EPOCH=1700000000
# A user's cache of its own, empty (hyphen.c): with the whole dictionary
# compiled there already, a small book's first build keeps the whole
# file, not its subset, and the subset's checks below would not see one.
export XDG_CACHE_HOME="$T/cache"
S=.test-book.patterns

# fresh NAME: a build into a new folder, its PDF and EPUB as $T/NAME.pdf/.epub.
fresh() {
	rm -rf "$T/fresh"
	"$OCTAVO" build "$B" -o "$T/fresh" -q 2>"$T/fresh.err" &&
		cp "$T/fresh/test-book.pdf" "$T/$1.pdf" && cp "$T/fresh/test-book.epub" "$T/$1.epub"
}
# build DIR [ARGS]: a build into DIR.
build() { d=$1; shift; "$OCTAVO" build "$B" -o "$d" -q "$@" 2>"$T/out.err"; }
# same DIR NAME: DIR's editions are $T/NAME's.
same() { cmp -s "$1/test-book.pdf" "$T/$2.pdf" && cmp -s "$1/test-book.epub" "$T/$2.epub"; }
# edit_store FILE PYTHON: runs PYTHON over the store's bytes d (written back).
edit_store() {
	python3 - "$1" "$2" <<'PY'
import sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
exec(sys.argv[2])
open(p, 'wb').write(bytes(d))
PY
}

# --- a small book: its subset, kept and taken ------------------------------------
fresh f0
if [ -f "$T/fresh/$S" ] && head -c 39 "$T/fresh/$S" | grep -q '^octavo compiled hyphenation patterns'; then
	ok "start13: a build keeps its compiled patterns in OUTDIR/.SLUG.patterns"
else
	no "start13: a build keeps its compiled patterns in OUTDIR/.SLUG.patterns" "$(ls -la "$T/fresh"; cat "$T/fresh.err")"
fi
hyphenated() { "$OCTAVO" report "$B" 2>/dev/null | sed -n 's/^hyphenated lines *\([0-9]*\).*/\1/p'; }
if [ "$(hyphenated)" -gt 0 ] 2>/dev/null; then
	ok "start13: the test book's narrow page hyphenates words (the patterns act)"
else
	no "start13: the test book's narrow page hyphenates words (the patterns act)" "$("$OCTAVO" report "$B" 2>&1 | head -20)"
fi
rm -rf "$T/out"
if build "$T/out" && cp "$T/out/$S" "$T/s0" && build "$T/out" && same "$T/out" f0 && cmp -s "$T/out/$S" "$T/s0"; then
	ok "start13: a rebuild takes the kept patterns and gives the fresh build's PDF and EPUB byte for byte"
else
	no "start13: a rebuild takes the kept patterns and gives the fresh build's PDF and EPUB byte for byte" "$(cat "$T/out.err")"
fi
if build "$T/out" --jobs 1 && same "$T/out" f0 && (export OCTAVO_JOBS_MIN=0 && build "$T/out" --jobs 2) &&
	same "$T/out" f0; then
	ok "start13: --jobs 1 and --jobs 2 rebuilds give the same editions"
else
	no "start13: --jobs 1 and --jobs 2 rebuilds give the same editions" "$(cat "$T/out.err")"
fi

# --- damaged, cut or foreign stores are read afresh --------------------------------
edit_store "$T/out/$S" 'd[len(d) // 2] ^= 0x55'
if build "$T/out" && same "$T/out" f0 && cmp -s "$T/out/$S" "$T/s0"; then
	ok "start13: a damaged store (one byte changed) is read afresh, made again, and changes nothing"
else
	no "start13: a damaged store (one byte changed) is read afresh, made again, and changes nothing" "$(cat "$T/out.err")"
fi
edit_store "$T/out/$S" 'd[:] = d[:len(d) // 3]'
if build "$T/out" && same "$T/out" f0 && cmp -s "$T/out/$S" "$T/s0"; then
	ok "start13: a cut store is read afresh and made again"
else
	no "start13: a cut store is read afresh and made again" "$(cat "$T/out.err")"
fi
edit_store "$T/out/$S" 'import zlib, struct; m = d.index(b"\n") + 1; d[m + 24:] = bytes(len(d) - m - 24); d[m:m + 4] = struct.pack("<I", zlib.crc32(bytes(d[m + 4:])))'
if build "$T/out" && same "$T/out" f0; then
	ok "start13: a store whose bytes are no automaton (CRC right) is refused, not used"
else
	no "start13: a store whose bytes are no automaton (CRC right) is refused, not used" "$(cat "$T/out.err")"
fi
printf 'not a store\n' >"$T/out/$S"
if build "$T/out" && same "$T/out" f0; then
	ok "start13: a foreign file in the store's place is ignored and replaced"
else
	no "start13: a foreign file in the store's place is ignored and replaced" "$(cat "$T/out.err")"
fi

# --- other words: then the whole file, which serves any words ---------------------
cp "$B/two.md" "$T/two.md"
essay 'Unquestionably, the photographers disproportionately underestimated the electromagnetic circumstances of the archaeological expedition, misunderstanding its characteristically international and interdisciplinary organisation.\n'
fresh f1
if build "$T/out" && same "$T/out" f1 && [ "$(wc -c <"$T/out/$S")" -gt "$(wc -c <"$T/s0")" ]; then
	ok "start13: changed words make the build keep the whole file, and the editions equal a fresh build's"
else
	no "start13: changed words make the build keep the whole file, and the editions equal a fresh build's" "$(cat "$T/out.err")"
fi
cp "$T/out/$S" "$T/s1"
cp "$T/two.md" "$B/two.md"
if build "$T/out" && same "$T/out" f0 && cmp -s "$T/out/$S" "$T/s1"; then
	ok "start13: the kept whole file serves the old words again (the store unchanged, the fresh build's bytes)"
else
	no "start13: the kept whole file serves the old words again (the store unchanged, the fresh build's bytes)" "$(cat "$T/out.err")"
fi
rm -rf "$T/all"
if OCTAVO_PATTERNS=all build "$T/all" && same "$T/all" f0 && [ "$(wc -c <"$T/all/$S")" -gt "$(wc -c <"$T/s0")" ]; then
	ok "start13: the whole file's patterns (OCTAVO_PATTERNS=all) are kept, and hyphenate as the subset did"
else
	no "start13: the whole file's patterns (OCTAVO_PATTERNS=all) are kept, and hyphenate as the subset did" "$(cat "$T/out.err"; ls -la "$T/all")"
fi
cp "$T/all/$S" "$T/sall"
if OCTAVO_PATTERNS=all build "$T/all" && same "$T/all" f0 && OCTAVO_PATTERNS=all build "$T/all" --jobs 1 && same "$T/all" f0 &&
	build "$T/all" && same "$T/all" f0 && cmp -s "$T/all/$S" "$T/sall"; then
	ok "start13: the kept whole file serves big and small builds alike (no new store, the same bytes)"
else
	no "start13: the kept whole file serves big and small builds alike (no new store, the same bytes)" "$(cat "$T/out.err")"
fi

# --- an 8-bit dictionary (German's is ISO 8859-1) -----------------------------------
if [ -f /usr/share/hyphen/hyph_de_DE.dic ]; then
	sed -i 's/^language: .*/language: de-DE/' "$B/book.yaml"
	essay 'Die Zusammenarbeit der Bundesländer überraschte Verfassungsrichterinnen, Straßenbahnschaffner und Gemeinschaftsküchenbetreiber gleichermaßen.\n'
	fresh g0
	rm -rf "$T/de"
	if build "$T/de" && build "$T/de" && same "$T/de" g0 && [ "$(hyphenated)" -gt 0 ] 2>/dev/null; then
		ok "start13: German (an 8-bit dictionary): the kept subset gives the fresh build's bytes"
	else
		no "start13: German (an 8-bit dictionary): the kept subset gives the fresh build's bytes" "$(cat "$T/out.err")"
	fi
	if OCTAVO_PATTERNS=all build "$T/de" && same "$T/de" g0 && OCTAVO_PATTERNS=all build "$T/de" && same "$T/de" g0; then
		ok "start13: German's whole file, kept and taken, gives the same bytes"
	else
		no "start13: German's whole file, kept and taken, gives the same bytes" "$(cat "$T/out.err")"
	fi
else
	skip "start13: no German patterns installed (hyphen-de)"
fi

# --- the manifest's hashes, taken as the files were written ----------------------
# The editions are hashed on their writers' threads and the files the commit
# writes itself from their bytes in memory, not read back: each name's size
# and FNV-1a hash in .SLUG.edition must still be the file's.
manifest_ok() {
	python3 - "$1" <<'PY'
import os, sys
d = sys.argv[1]
bad = []
lines = [l for l in open(os.path.join(d, '.test-book.edition')) if not l.startswith('#')]
for l in lines:
    name, size, h = l.rstrip('\n').split('\t')
    data = open(os.path.join(d, name), 'rb').read()
    x = 0xcbf29ce484222325
    for b in data:
        x = ((x ^ b) * 0x100000001b3) % 2**64
    if len(data) != int(size) or '%016x' % x != h:
        bad.append(name)
print(' '.join(bad) if bad else 'ok %d' % len(lines))
sys.exit(1 if bad or len(lines) < 4 else 0)
PY
}
rm -rf "$T/m"
if build "$T/m" && m1=$(manifest_ok "$T/m") && build "$T/m" && m2=$(manifest_ok "$T/m"); then
	ok "start13: the manifest gives each file's size and FNV-1a hash, first build and rebuild ($m1, $m2)"
else
	no "start13: the manifest gives each file's size and FNV-1a hash, first build and rebuild" "$m1 $m2 $(cat "$T/out.err")"
fi
