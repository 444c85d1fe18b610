#!/bin/sh
# tests/suites/pdf13.sh - the PDF's streams and font subsets kept across
# builds (issue 13): OUTDIR/.SLUG.pdf-streams holds each page's content
# stream and each font file as the last build deflated them, and each font
# subset, under a key of their content. A rebuild's PDF is the same bytes
# as a build into an empty folder, for every test book and every profile;
# an edited essay's pages are deflated again and the rest are not; and a
# damaged, truncated or foreign store costs time, never a wrong byte.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

export SOURCE_DATE_EPOCH=1700000000

# cold_warm DIR NAME ARGS...: builds DIR into a new $T/NAME (cold), keeps
# its PDF as $T/NAME.cold.pdf, builds it again over it (warm). Returns
# octavo's status; stderr in $T/NAME.err.
cold_warm() {
	dir=$1 name=$2
	shift 2
	rm -rf "$T/$name"
	"$OCTAVO" build "$dir" -o "$T/$name" -q --pdf "$@" 2>"$T/$name.err" &&
		cp "$T/$name"/*.pdf "$T/$name.cold.pdf" &&
		"$OCTAVO" build "$dir" -o "$T/$name" -q --pdf "$@" 2>>"$T/$name.err"
}

# streams FILE: the records of a store, one "sum len how" line each.
streams() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
m = b"octavo pdf streams 3\n"
at = len(m) if d.startswith(m) else len(d)
# src/cli/records.c: check, key length (24: struct pdf_zkey), data length; key; data
while len(d) - at >= 16:
    c, k, z = struct.unpack_from('<IIQ', d, at)
    s, n, h = struct.unpack_from('<QQQ', d, at + 16)
    print(s, n, h)
    at += 16 + k + z
PY
}

# page_streams PDF: each page's content stream, inflated, one hash a line.
page_streams() {
	python3 - "$1" <<'PY'
import hashlib, re, sys, zlib
d = open(sys.argv[1], 'rb').read()
objs = {}
for m in re.finditer(rb'(\d+) 0 obj\s*<<', d):
    objs[int(m.group(1))] = m.end()
for m in re.finditer(rb'/Type /Page\n(?:[^>]|>(?!>))*?/Contents (\d+) 0 R', d):
    at = objs[int(m.group(1))]
    s = d.index(b'stream\r\n', at) + 8
    z = zlib.decompressobj()
    print(hashlib.sha1(z.decompress(d[s:])).hexdigest())
PY
}

# --- cold and warm: the same PDF, every test book ------------------------------
n=0
bad=
for y in "$ROOT"/manuscript/book.yaml "$ROOT"/tests/books/*/book.yaml; do
	dir=$(dirname "$y")
	name=b-$(basename "$dir")
	n=$((n + 1))
	if ! cold_warm "$dir" "$name"; then
		bad="$bad $name (build failed: $(head -3 "$T/$name.err"))"
		continue
	fi
	pdf=$(ls "$T/$name"/*.pdf)
	store=$(ls "$T/$name"/.*.pdf-streams 2>/dev/null)
	if ! cmp -s "$pdf" "$T/$name.cold.pdf"; then
		bad="$bad $name (warm PDF differs)"
	elif [ -z "$store" ] || [ ! -s "$store" ]; then
		bad="$bad $name (no store)"
	fi
done
if [ -z "$bad" ] && [ "$n" -ge 10 ]; then
	ok "pdf13: $n books: the rebuild's PDF (from the store) is the cold build's, byte for byte"
else
	no "pdf13: $n books: the rebuild's PDF (from the store) is the cold build's, byte for byte" "$bad"
fi

# The edition's PDF is the one pipe13 keeps the hash of, cold and warm.
want_sha=$(awk '$2 ~ /civil-dialogue.pdf$/ {print $1}' "$ROOT/tests/hashes/editions.sha256" 2>/dev/null | head -n 1)
got_cold=$(sha256sum "$T/b-manuscript.cold.pdf" 2>/dev/null | cut -d' ' -f1)
got_warm=$(sha256sum "$T/b-manuscript"/*.pdf 2>/dev/null | cut -d' ' -f1)
if [ -n "$want_sha" ] && [ "$got_cold" = "$want_sha" ] && [ "$got_warm" = "$want_sha" ]; then
	ok "pdf13: the edition's PDF, cold and warm, matches the stored SHA-256"
else
	no "pdf13: the edition's PDF, cold and warm, matches the stored SHA-256" "want $want_sha, cold $got_cold, warm $got_warm"
fi

# The store holds this build's streams: every page and font file, and the
# subsets; a warm build that changed nothing leaves it as it was.
S=$T/b-manuscript/.civil-dialogue.pdf-streams
pages=$(page_streams "$T/b-manuscript/civil-dialogue.pdf" | sort -u | wc -l)
recs=$(streams "$S" | sort -u | wc -l)
before=$(sha256sum "$S" | cut -d' ' -f1)
"$OCTAVO" build "$ROOT/manuscript" -o "$T/b-manuscript" -q --pdf 2>/dev/null
after=$(sha256sum "$S" | cut -d' ' -f1)
if [ "$pages" -ge 100 ] && [ "$recs" -ge "$pages" ] && [ "$before" = "$after" ]; then
	ok "pdf13: the edition's store holds $recs records for its $pages distinct page streams, font files and subsets, left as it was by an unchanged rebuild"
else
	no "pdf13: the edition's store holds a record per page and is left as it was" "pages $pages, records $recs, $before -> $after"
fi

# --- every profile, cold and warm ------------------------------------------------
bad=
for p in ingramspark kdp lulu offset screen; do
	if ! cold_warm "$ROOT/manuscript" "p-$p" --profile "$p"; then
		bad="$bad $p (build failed: $(head -3 "$T/p-$p.err"))"
	elif ! cmp -s "$T/p-$p"/*.pdf "$T/p-$p.cold.pdf"; then
		bad="$bad $p (warm PDF differs)"
	fi
done
# A profile built over another's folder: the other's records are not
# this one's (other boxes, colours), and the PDF is still its own.
if cold_warm "$ROOT/manuscript" p-mix --profile kdp &&
	"$OCTAVO" build "$ROOT/manuscript" -o "$T/p-mix" -q --pdf --profile screen 2>>"$T/p-mix.err" &&
	! cmp -s "$T/p-mix"/*.pdf "$T/p-screen.cold.pdf"; then
	bad="$bad screen-over-kdp (differs from screen cold)"
fi
if [ -z "$bad" ]; then
	ok "pdf13: ingramspark, kdp, lulu, offset and screen (tagged): warm PDF = cold PDF, and screen over kdp's store = screen cold"
else
	no "pdf13: every profile's warm PDF is its cold PDF" "$bad"
fi

# --- an edited essay: only its pages are deflated again --------------------------
E=$T/edited
rm -rf "$E" && cp -r "$ROOT/manuscript" "$E"
md=$(ls "$E"/*.md | sed -n 5p)
if cold_warm "$E" ed; then
	streams "$T/ed/.civil-dialogue.pdf-streams" | sort -u >"$T/ed.recs1"
	page_streams "$T/ed/civil-dialogue.pdf" >"$T/ed.pages1"
	# One paragraph's words changed, in the fifth part.
	python3 - "$md" <<'PY'
import sys
p = sys.argv[1]
t = open(p).read().split('\n\n')
for i in range(len(t) - 1, 0, -1):
    if len(t[i]) > 300 and t[i][0].isalpha():
        t[i] = t[i].replace(' the ', ' that ', 3)
        break
open(p, 'w').write('\n\n'.join(t))
PY
	"$OCTAVO" build "$E" -o "$T/ed" -q --pdf 2>"$T/ed.err"
	streams "$T/ed/.civil-dialogue.pdf-streams" | sort -u >"$T/ed.recs2"
	page_streams "$T/ed/civil-dialogue.pdf" >"$T/ed.pages2"
	rm -rf "$T/ed-cold"
	"$OCTAVO" build "$E" -o "$T/ed-cold" -q --pdf 2>>"$T/ed.err"
	npages=$(wc -l <"$T/ed.pages2")
	changed=$(paste -d' ' "$T/ed.pages1" "$T/ed.pages2" | awk '$1 != $2' | wc -l)
	new=$(comm -13 "$T/ed.recs1" "$T/ed.recs2" | wc -l)
	if cmp -s "$T/ed/civil-dialogue.pdf" "$T/ed-cold/civil-dialogue.pdf" && [ "$changed" -ge 1 ] &&
		[ "$changed" -le 10 ] && [ "$new" -le "$changed" ] && [ "$npages" -ge 100 ]; then
		ok "pdf13: one paragraph edited: $changed of $npages pages' streams differ, $new new records; the rebuild is the cold build of the edited book"
	else
		no "pdf13: one paragraph edited: only its pages are new, and the PDF is the cold build's" "$changed of $npages pages changed, $new new records; $(cat "$T/ed.err")"
	fi
else
	no "pdf13: the edited book builds" "$(cat "$T/ed.err")"
fi

# --- a damaged, truncated, foreign or garbage store: the same PDF ----------------
# edit_store PYTHON: runs PYTHON over the edition's store's bytes d.
edit_store() {
	python3 - "$S" "$1" <<'PY'
import struct, sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
exec(sys.argv[2])
open(p, 'wb').write(bytes(d))
PY
}
ref=$T/b-manuscript.cold.pdf
bad=
for how in \
	'for i in range(200, len(d), 997): d[i] ^= 0x55' \
	'del d[len(d) * 2 // 3:]' \
	'del d[30:]' \
	'd[:] = d[:21] + bytes(range(256)) * 40' \
	'import zlib
at = 21
while len(d) - at >= 16:
    z = struct.unpack_from("<Q", d, at + 8)[0]
    struct.pack_into("<Q", d, at + 32, 12345)
    struct.pack_into("<I", d, at, zlib.crc32(bytes(d[at + 4:at + 40 + z])))
    at += 40 + z' \
	'import zlib
at = 21
while len(d) - at >= 16:
    z = struct.unpack_from("<Q", d, at + 8)[0]
    if z > 8:
        d[at + 40 + z - 1] ^= 1
        struct.pack_into("<I", d, at, zlib.crc32(bytes(d[at + 4:at + 40 + z])))
    at += 40 + z' \
	'd[:] = b""'; do
	edit_store "$how"
	if ! "$OCTAVO" build "$ROOT/manuscript" -o "$T/b-manuscript" -q --pdf 2>"$T/dmg.err"; then
		bad="$bad [$how: build failed $(head -2 "$T/dmg.err")]"
	elif ! cmp -s "$T/b-manuscript/civil-dialogue.pdf" "$ref"; then
		bad="$bad [$how: the PDF differs]"
	fi
	# and the store is mended for the next
	"$OCTAVO" build "$ROOT/manuscript" -o "$T/b-manuscript" -q --pdf 2>/dev/null
	cmp -s "$T/b-manuscript/civil-dialogue.pdf" "$ref" || bad="$bad [$how: the build after it differs]"
done
if [ -z "$bad" ]; then
	ok "pdf13: a store with flipped bytes, cut short, cut to its head, garbage, foreign settings, wrong data with a matching CRC, or empty: the same PDF"
else
	no "pdf13: a damaged store never changes the PDF" "$bad"
fi

# --- the cover's fonts (deflated as libharu would, outside the store) ------------
C=$T/cover-book
rm -rf "$C" && cp -r "$ROOT/manuscript" "$C"
sed -i 's/isbn-print: ""/isbn-print: "978-0-306-40615-7"/' "$C/book.yaml"
if "$OCTAVO" cover "$C" -o "$T/cover" -q --profile kdp 2>"$T/cover.err" &&
	qpdf --check "$T/cover"/*.pdf >/dev/null 2>&1 && pdffonts "$T/cover"/*.pdf 2>/dev/null | grep -q 'CID TrueType'; then
	ok "pdf13: the wrap cover's fonts embed and qpdf --check passes"
else
	no "pdf13: the wrap cover's fonts embed and qpdf --check passes" "$(cat "$T/cover.err")"
fi
