#!/bin/sh
# tests/suites/epub13.sh - what an EPUB build keeps beside the editions
# (issue 13) costs time when it is wrong, never a byte:
#  - the EPUB built into an empty folder, built again into it (its deflated
#    entries, font cuts and cover kept), and made by a full build are the
#    same bytes, for the edition and a book with a figure;
#  - .SLUG.deflated finds a record by a 64-bit hash of the entry's bytes
#    and checks the record itself: a record damaged in any field (the
#    deflated bytes, the hash, the CRC-32, the check, the sizes) is
#    deflated again, and the EPUB is the cold one;
#  - the cover image is kept under octavo's build ID: a copy of the same
#    program (a new file, a new time) finds it, so it is not rendered again.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

export SOURCE_DATE_EPOCH=1700000000

# --- cold, warm and full builds give one EPUB ----------------------------------
# same_epub NAME DIR SLUG: builds DIR --epub into an empty folder, again into
# it, and in full (PDF and EPUB) into another; all three EPUBs must match.
same_epub() {
	name=$1 dir=$2 slug=$3
	rm -rf "$T/cold" "$T/full"
	if ! "$OCTAVO" build "$dir" -o "$T/cold" -q --epub 2>"$T/err"; then
		no "epub13: $name: the cold --epub build" "$(cat "$T/err")"
		return
	fi
	cp "$T/cold/$slug.epub" "$T/$slug.cold.epub"
	if ! "$OCTAVO" build "$dir" -o "$T/cold" -q --epub 2>"$T/err" ||
		! "$OCTAVO" build "$dir" -o "$T/full" -q 2>>"$T/err"; then
		no "epub13: $name: the warm and full builds" "$(cat "$T/err")"
		return
	fi
	if [ -s "$T/cold/.$slug.deflated" ] && cmp -s "$T/$slug.cold.epub" "$T/cold/$slug.epub" &&
		cmp -s "$T/$slug.cold.epub" "$T/full/$slug.epub"; then
		ok "epub13: $name: the cold and warm --epub builds and the full build's EPUB are the same bytes"
	else
		no "epub13: $name: the cold and warm --epub builds and the full build's EPUB are the same bytes" "$(ls -la "$T/cold" "$T/full")"
	fi
}
same_epub "the edition" "$ROOT/manuscript" civil-dialogue
same_epub "a book with a figure" "$ROOT/tests/books/blocks" blocks-on-the-page

# --- a damaged record costs time, never a byte ---------------------------------
B=$T/book
mkbook "$B"
essay 'Some *italic* and **bold** text, and a word in code: `x = 1`.\n\nMr Smith walked 10 km.\n'
rm -rf "$T/ref"
"$OCTAVO" build "$B" -o "$T/ref" -q --epub 2>"$T/err" || no "epub13: the small book builds" "$(cat "$T/err")"
# damage FIELD: builds into $T/out (warm), flips one byte of FIELD in each
# record of the store (python, below), builds again; the EPUB must be the
# cold one, and pass unzip -t.
damage() {
	field=$1
	rm -rf "$T/out"
	"$OCTAVO" build "$B" -o "$T/out" -q --epub 2>"$T/err" || return 1
	python3 - "$T/out/.test-book.deflated" "$field" <<'PY' || return 1
import struct, sys
p, field = sys.argv[1], sys.argv[2]
d = bytearray(open(p, 'rb').read())
magic = b'octavo deflated entries 3\n'
assert d.startswith(magic), d[:40]
at, n = len(magic), 0
# src/cli/records.c: check (u32), key length (u32), data length (u64); the
# key: the entry's len, hash (u64), name NUL how; the data: crc (u32), z
offs = {'check': 0, 'zlen': 8, 'len': 16, 'hash': 24, 'name': 32}
while at + 16 <= len(d):
    chk, kl, dl = struct.unpack_from('<IIQ', d, at)
    body = at + 16 + kl
    if field == 'z':
        d[body + 4 + (dl - 4) // 2] ^= 0x20
    elif field == 'crc':
        d[body] ^= 0x01
    else:
        d[at + offs[field]] ^= 0x01
    at = body + dl
    n += 1
assert n > 3, n
open(p, 'wb').write(bytes(d))
PY
	"$OCTAVO" build "$B" -o "$T/out" -q --epub 2>"$T/err" &&
		cmp -s "$T/out/test-book.epub" "$T/ref/test-book.epub" &&
		{ ! command -v unzip >/dev/null 2>&1 || unzip -tq "$T/out/test-book.epub" >/dev/null 2>&1; }
}
for field in z crc check hash len zlen name; do
	if damage "$field"; then
		ok "epub13: every record's '$field' damaged: deflated again, the EPUB the cold one's bytes"
	else
		no "epub13: every record's '$field' damaged: deflated again, the EPUB the cold one's bytes" "$(cat "$T/err")"
	fi
done
# Rebuilt after the damage, the store is whole again and used.
if "$OCTAVO" build "$B" -o "$T/out" -q --epub 2>"$T/err" &&
	cmp -s "$T/out/test-book.epub" "$T/ref/test-book.epub"; then
	ok "epub13: the store written again after damage gives the same EPUB"
else
	no "epub13: the store written again after damage gives the same EPUB" "$(cat "$T/err")"
fi

# --- the cover image is kept under the build ID ----------------------------------
cover=$T/out/.test-book.cover-png
if [ -f "$cover" ]; then
	before=$(ls -i "$cover" | cut -d' ' -f1)
	cp "$OCTAVO" "$T/octavo-copy"
	touch -d '2001-01-01' "$T/octavo-copy"
	if "$T/octavo-copy" build "$B" -o "$T/out" -q --epub 2>"$T/err" &&
		[ "$(ls -i "$cover" | cut -d' ' -f1)" = "$before" ] &&
		cmp -s "$T/out/test-book.epub" "$T/ref/test-book.epub"; then
		ok "epub13: a copy of octavo (another file, another time) finds the kept cover image"
	else
		no "epub13: a copy of octavo (another file, another time) finds the kept cover image" "$(cat "$T/err")"
	fi
else
	skip "epub13: no raster cover kept (poppler-glib not installed?)"
fi
