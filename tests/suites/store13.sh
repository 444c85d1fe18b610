#!/bin/sh
# tests/suites/store13.sh - the four stores kept in the output folder
# (.SLUG.deflated, .SLUG.pdf-streams, .SLUG.patterns, .SLUG.shapes) are one
# kind of file (src/cli/records.c, issue 13): a cold build's stores are the same bytes
# on one thread and on two; a rebuild that changed nothing leaves them
# untouched (the same inode); an edit rewrites them, and the editions are
# then a cold build's; a store of an older format is rebuilt, never read;
# the manifest's hashes are the stores' bytes; no temporary is left. The
# shaped words: a warm build after an edit that draws a glyph for other
# texts in another order, or from a damaged store, gives the cold build's
# editions.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

export SOURCE_DATE_EPOCH=1700000000
STORES="deflated pdf-streams patterns shapes"

# build DIR OUT [ARGS]: a build of DIR into OUT; stderr in $T/err.
build() {
	d=$1 o=$2
	shift 2
	"$OCTAVO" build "$d" -o "$o" -q "$@" 2>"$T/err"
}
# inodes OUT SLUG: the stores' inode numbers, on one line.
inodes() { for s in $STORES; do ls -i "$1/.$2.$s" 2>/dev/null | cut -d' ' -f1; done | tr '\n' ' '; }
# same_stores A B SLUG: the stores of A and B are the same bytes.
same_stores() {
	for s in $STORES; do
		[ -s "$1/.$3.$s" ] && cmp -s "$1/.$3.$s" "$2/.$3.$s" || return 1
	done
}
# same_editions A B SLUG: the PDFs and EPUBs are the same bytes.
same_editions() { cmp -s "$1/$3.pdf" "$2/$3.pdf" && cmp -s "$1/$3.epub" "$2/$3.epub"; }
# temporaries OUT: what a build left under a temporary name.
temporaries() { ls -a "$1" | grep -E '\.(tmp|new|old)-[0-9]+' || true; }

# --- cold on one thread and on two: the same stores ---------------------------
M=$ROOT/manuscript
if build "$M" "$T/j1" --jobs 1 && build "$M" "$T/j2" --jobs 2 && same_stores "$T/j1" "$T/j2" civil-dialogue &&
	same_editions "$T/j1" "$T/j2" civil-dialogue; then
	ok "store13: the edition's four stores, cold, are the same bytes with --jobs 1 and --jobs 2"
else
	no "store13: the edition's four stores, cold, are the same bytes with --jobs 1 and --jobs 2" "$(cat "$T/err"; ls -la "$T/j1" "$T/j2")"
fi
for s in $STORES; do
	head -c 40 "$T/j1/.civil-dialogue.$s" | head -n 1
done >"$T/magic"
if grep -qx 'octavo deflated entries 3' "$T/magic" && grep -qx 'octavo pdf streams 3' "$T/magic" &&
	grep -qx 'octavo compiled hyphenation patterns 2' "$T/magic" &&
	grep -qx 'octavo shaped words 1' "$T/magic"; then
	ok "store13: each store opens with its format's magic line and version"
else
	no "store13: each store opens with its format's magic line and version" "$(cat "$T/magic")"
fi

# --- an unchanged rebuild leaves them; the manifest hashes what is there ----------
before=$(inodes "$T/j1" civil-dialogue)
cp -r "$T/j1" "$T/j1.cold"
if build "$M" "$T/j1" && [ "$(inodes "$T/j1" civil-dialogue)" = "$before" ] &&
	same_editions "$T/j1" "$T/j1.cold" civil-dialogue && [ -z "$(temporaries "$T/j1")" ]; then
	ok "store13: a rebuild that changed nothing leaves the four stores untouched, the editions the cold build's, no temporary"
else
	no "store13: a rebuild that changed nothing leaves the four stores untouched" "$before -> $(inodes "$T/j1" civil-dialogue); $(temporaries "$T/j1"; cat "$T/err")"
fi
# The cold build's manifest names the stores with their sizes and FNV-1a
# hashes, made as they were written.
if python3 - "$T/j1.cold" >"$T/manifest" 2>&1 <<'PY'; then
import os, sys
d = sys.argv[1]
bad = []
seen = 0
for line in open(os.path.join(d, '.civil-dialogue.edition')):
    if line.startswith('#') or not line.strip():
        continue
    name, size, h = line.split()
    if not name.startswith('.civil-dialogue.') or name.split('.')[-1] not in ('deflated', 'pdf-streams', 'patterns', 'shapes'):
        continue
    b = open(os.path.join(d, name), 'rb').read()
    x = 0xcbf29ce484222325
    for c in b:
        x = ((x ^ c) * 0x100000001b3) % 2**64
    seen += 1
    if int(size) != len(b) or '%016x' % x != h:
        bad.append(name)
print(seen, bad)
sys.exit(0 if seen == 4 and not bad else 1)
PY
	ok "store13: the manifest gives each store's size and FNV-1a hash as written"
else
	no "store13: the manifest gives each store's size and FNV-1a hash as written" "$(cat "$T/manifest")"
fi

# --- an edit rewrites the stores; the editions are the edited book's cold ones -----
E=$T/edited
cp -r "$M" "$E"
md=$(ls "$E"/*.md | sed -n 4p)
sed -i '0,/ the / s// that /' "$md"
rm -rf "$T/ed" && cp -r "$T/j1" "$T/ed"
if build "$E" "$T/ed" && build "$E" "$T/ed-cold" && same_editions "$T/ed" "$T/ed-cold" civil-dialogue &&
	! cmp -s "$T/ed/.civil-dialogue.pdf-streams" "$T/j1/.civil-dialogue.pdf-streams"; then
	ok "store13: one word edited: the rebuild's editions are the edited book's cold build's, and the PDF's store is written again"
else
	no "store13: one word edited: the rebuild's editions are the edited book's cold build's" "$(cat "$T/err")"
fi
before=$(inodes "$T/ed" civil-dialogue)
if build "$E" "$T/ed" && [ "$(inodes "$T/ed" civil-dialogue)" = "$before" ] &&
	same_editions "$T/ed" "$T/ed-cold" civil-dialogue; then
	ok "store13: and the build after it, with nothing changed, leaves the rewritten stores untouched"
else
	no "store13: and the build after it, with nothing changed, leaves the rewritten stores untouched" "$before -> $(inodes "$T/ed" civil-dialogue)"
fi

# --- an older format's stores are rebuilt, never read ----------------------------
O=$T/old
cp -r "$T/j1.cold" "$O"
# the last format's magic lines, over records that would be read otherwise
for pair in "deflated:octavo deflated entries 2" "pdf-streams:octavo pdf streams 2" \
	"patterns:octavo compiled hyphenation patterns 1" "shapes:octavo shaped words 0"; do
	f=$O/.civil-dialogue.${pair%%:*}
	{ printf '%s\n' "${pair#*:}"; tail -c +"$(($(head -n 1 "$f" | wc -c) + 1))" "$f"; } >"$f.x" && mv "$f.x" "$f"
done
if build "$M" "$O" && same_editions "$O" "$T/j1.cold" civil-dialogue && same_stores "$O" "$T/j1.cold" civil-dialogue; then
	ok "store13: stores of the format before are rebuilt (the cold build's bytes), the editions the same"
else
	no "store13: stores of the format before are rebuilt, the editions the same" "$(cat "$T/err"; ls -la "$O")"
fi

# --- a killed build's half-written store is swept by the next -----------------------
dead=$(sh -c 'echo $$')
printf 'octavo pdf streams 3\n' >"$T/j1/.civil-dialogue.pdf-streams.new-$dead"
if build "$M" "$T/j1" && [ ! -e "$T/j1/.civil-dialogue.pdf-streams.new-$dead" ] &&
	same_editions "$T/j1" "$T/j1.cold" civil-dialogue; then
	ok "store13: a store a killed build left half written (.new-PID) is removed by the next build"
else
	no "store13: a store a killed build left half written (.new-PID) is removed by the next build" "$(ls -a "$T/j1"; cat "$T/err")"
fi

# --- the shaped words: taken only where shaping would give the same ----------------
# Acronyms in small capitals (c2sc) and a span of small capitals (smcp)
# draw one glyph for 'N' and for 'n': whichever comes first in the book is
# its text, the other drawn by its alias. A warm build after the two are
# swapped takes the kept words only where each glyph is drawn as shaping
# would draw it now; its editions are the cold build's.
S=$T/caps
mkdir -p "$S"
sed -e "s|\.\./fonts/|$ROOT/fonts/|" -e "s|css: *|css: $ROOT/styles/|" "$ROOT/styles/default.yaml" |
	sed 's|^fonts:|fonts:\n  small-caps: acronyms|' >"$S/style.yaml"
cat >"$S/book.yaml" <<'EOF'
title: Capitals
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-000000130013
language: en-GB
slug: caps
creators:
  - name: A. Writer
date: 2026-12-07
style: style.yaml
parts:
  - a.md
EOF
first='The NATO and UNESCO reports, [Small Capitals here]{.smallcaps}, the official ÉCOLE; figures 1234, affine flows.'
second='[nato unesco]{.smallcaps} then NATO again, a final field office [Small]{.smallcaps}.'
printf '# One\n\n%s\n\n%s\n' "$first" "$second" >"$S/a.md"
build "$S" "$T/caps-warm"
printf '# One\n\n%s\n\n%s\n' "$second" "$first" >"$S/a.md"
if build "$S" "$T/caps-warm" && build "$S" "$T/caps-cold" && same_editions "$T/caps-warm" "$T/caps-cold" caps &&
	cmp -s "$T/caps-warm/.caps.shapes" "$T/caps-cold/.caps.shapes"; then
	ok "store13: small capitals and acronyms swapped: a warm build's editions and words are the cold build's"
else
	no "store13: small capitals and acronyms swapped: a warm build's editions and words are the cold build's" "$(cat "$T/err")"
fi
# Damaged behind its check: a store whose record holds but whose words
# do not parse (a foreign writer's) is not read at all.
f=$T/j1.cold/.civil-dialogue.shapes
cp -r "$T/j1.cold" "$T/cut"
python3 - "$f" "$T/cut/.civil-dialogue.shapes" <<'PY'
import struct, sys, zlib
b = open(sys.argv[1], 'rb').read()
at = b.index(b'\n') + 1
# records.c's head: the check (32 bits), the key's length (32) and the
# data's (64), in this machine's order; the check is the CRC-32 of the
# lengths, the key and the data. Three bytes more: the last word cut.
check, klen, dlen = struct.unpack_from('=IIQ', b, at)
key = b[at + 16:at + 16 + klen]
data = b[at + 16 + klen:at + 16 + klen + dlen] + b'\xff\xff\xff'
lens = struct.pack('=IQ', klen, len(data))
crc = zlib.crc32(data, zlib.crc32(key, zlib.crc32(lens)))
open(sys.argv[2], 'wb').write(b[:at] + struct.pack('=I', crc) + lens + key + data)
PY
if build "$M" "$T/cut" && same_editions "$T/cut" "$T/j1.cold" civil-dialogue &&
	cmp -s "$T/cut/.civil-dialogue.shapes" "$f"; then
	ok "store13: a store of shaped words that does not parse is not read (made again: the cold build's bytes), the editions the same"
else
	no "store13: a store of shaped words that does not parse is not read, the editions the same" "$(cat "$T/err")"
fi
