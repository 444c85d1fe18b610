#!/bin/sh
# tests/suites/epub13b.sh - an EPUB-only build asks the layout for the page
# marks alone, and takes them from OUTDIR/.SLUG.marks when that keeps them
# under the key of the book's inputs (src/cli/marks.c, issue 13):
# a warm --epub build lays nothing out and writes the cold build's bytes;
# every kind of input change misses the key (the EPUB a cold build's in a
# fresh folder); a damaged record is ignored; a PDF + EPUB build fills it.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

export SOURCE_DATE_EPOCH=1700000000
unset OCTAVO_JOBS_MIN
B=$T/book
SLUG=test-book

# A book of a few pages: text, a heading, a note, an image.
mkbook
printf "slug: test-book\n" >>"$B/book.yaml"
style
# realpng FILE W H: a whole grey PNG of W x H pixels.
realpng() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
w, h = int(sys.argv[2]), int(sys.argv[3])
raw = b''.join(b'\x00' + bytes([(x * 5 + y) % 256 for x in range(w)]) for y in range(h))
data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
data += chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
open(sys.argv[1], 'wb').write(data)
PY
}
realpng "$B/images/a.png" 400 300
python3 - "$B/two.md" <<'PY'
import sys
words = ("the council and the charity agreed that a partnership of equals "
         "needs money, time and trust on both sides of the table").split()
out = ['---', 'title: "Two"', 'author: "Another"', '---', '']
for p in range(40):
    n = 40 + (p * 7) % 50
    out.append(' '.join(words[(p + i) % len(words)] for i in range(n)) + '.')
    out.append('')
    if p == 5:
        out += ['## A heading', '', 'A note here.[^1]', '', '![A chart](images/a.png)', '']
out += ['[^1]: The note, long enough to matter on its page.', '']
open(sys.argv[1], 'w').write('\n'.join(out))
PY
# Inputs changed just before a build are not kept (their times are too
# close to the build's start to trust): let the clock move on.
settle() { sleep 0.2; }
settle

# epub OUT [ARGS]: an EPUB-only build of $B into OUT with -v; its messages
# in OUT.err, whether it laid out in $laid (yes, no, or empty: failed).
epub() {
	o=$1
	shift
	laid=
	"$OCTAVO" build "$B" -o "$o" --epub -v "$@" 2>"$o.err" || return 1
	if grep -q '^octavo: took the page marks of' "$o.err"; then
		laid=no
	elif grep -q '^octavo: laid out ' "$o.err"; then
		laid=yes
	fi
}
# msgs FILE: the messages a build gave, without -v's stage lines and the
# summary.
msgs() { grep -v '^octavo: ' "$1"; }
# cold NAME: a cold --epub build of $B in a fresh folder; its EPUB's hash.
cold() {
	rm -rf "$T/cold-$1"
	epub "$T/cold-$1" && sha256sum <"$T/cold-$1/$SLUG.epub"
}
hash() { sha256sum <"$1/$SLUG.epub"; }

# --- (a) cold, then warm: the same bytes, and no layout ------------------------
W=$T/warm
if epub "$W" && [ "$laid" = yes ] && [ -s "$W/.$SLUG.marks" ] &&
	head -n 1 "$W/.$SLUG.marks" | grep -qx 'octavo page marks 1'; then
	ok "epub13b: a cold --epub build lays out and keeps the page marks in .SLUG.marks"
else
	no "epub13b: a cold --epub build lays out and keeps the page marks" "laid=$laid; $(ls -la "$W"; cat "$W.err")"
fi
cp -r "$W" "$T/warm.cold"
cp "$W.err" "$T/warm.cold.err"
if epub "$W" && [ "$laid" = no ] && cmp -s "$W/$SLUG.epub" "$T/warm.cold/$SLUG.epub"; then
	ok "epub13b: a warm --epub build takes the marks (no layout) and writes the cold build's EPUB"
else
	no "epub13b: a warm --epub build takes the marks and writes the cold build's EPUB" "laid=$laid; $(cat "$W.err")"
fi
if [ "$(msgs "$W.err")" = "$(msgs "$T/warm.cold.err")" ] &&
	grep -q 'warning' "$W.err"; then
	ok "epub13b: the warm build gives the cold build's warnings, from the layout and the lint, in order"
else
	no "epub13b: the warm build gives the cold build's warnings" "$(diff "$T/warm.cold.err" "$W.err")"
fi
# The revision record the kept pages write is the layout's: after one more
# warm build and one with the layout (a new binary's key would miss it:
# OCTAVO_NO_PRUNE is part of the key and changes no page).
l1= l2=
epub "$W" && cp "$W/.$SLUG.pages" "$T/pages.kept" && cp "$W/$SLUG.changes.txt" "$T/changes.kept"
epub "$W" && l1=$laid
OCTAVO_NO_PRUNE=1 epub "$W" && l2=$laid
if [ "$l1" = no ] && [ "$l2" = yes ] && cmp -s "$W/.$SLUG.pages" "$T/pages.kept" &&
	cmp -s "$W/$SLUG.changes.txt" "$T/changes.kept"; then
	ok "epub13b: the revision record and report from kept marks are the layout's, byte for byte"
else
	no "epub13b: the revision record from kept marks is the layout's" "$l1 $l2 $(diff "$T/pages.kept" "$W/.$SLUG.pages" | head; cat "$W/$SLUG.changes.txt")"
fi
# Quiet builds keep the warnings (and hints) they do not show.
rm -rf "$T/q"
"$OCTAVO" build "$B" -o "$T/q" --epub -q 2>/dev/null
if epub "$T/q" && [ "$laid" = no ] && [ "$(msgs "$T/q.err")" = "$(msgs "$T/warm.cold.err")" ]; then
	ok "epub13b: marks kept by a quiet build give every warning and hint to a later one"
else
	no "epub13b: marks kept by a quiet build give every warning to a later one" "laid=$laid; $(diff "$T/warm.cold.err" "$T/q.err")"
fi

# --- (b) each kind of input changed: the key misses ---------------------------
# change NAME CMD...: after a warm build, CMD changes an input; the next
# warm build must lay out and give the EPUB a cold build in a fresh folder
# gives; the build after it takes the new marks.
change() {
	name=$1
	shift
	epub "$W" >/dev/null
	before=$(hash "$W")
	"$@"
	settle
	if ! epub "$W" || [ "$laid" != yes ]; then
		no "epub13b: $name: the warm build lays out again" "laid=$laid; $(cat "$W.err" | head -20)"
		return
	fi
	got=$(hash "$W")
	want=$(cold "$name")
	if [ "$got" = "$want" ] && epub "$W" && [ "$laid" = no ] && [ "$(hash "$W")" = "$want" ]; then
		ok "epub13b: $name: the key misses; the EPUB is a cold build's (then kept again)"
	else
		no "epub13b: $name: the EPUB is a cold build's" "got $got want $want laid=$laid"
	fi
	[ "$got" != "$before" ] && changed="$changed $name"
}
changed=
change "a part's text" sed -i 's/^A note here\./A note here, and a few more words to move the lines on./' "$B/two.md"
change "book.yaml's title" sed -i 's/^title: Test Book$/title: Another Test Book/' "$B/book.yaml"
change "the style's body size" sed -i 's/^  size: 10.5pt$/  size: 11.5pt/' "$B/mine.yaml"
change "the style's trim" sed -i 's/^  height: 216mm$/  height: 180mm/' "$B/mine.yaml"
change "the style's margins" sed -i 's/^  outer: 20mm$/  outer: 30mm/' "$B/mine.yaml"
change "the notes' place" sed -i 's/^  leading: 11pt$/  leading: 11pt\n  place: book-end/' "$B/mine.yaml"
change "the print profile" sh -c "printf 'print: lulu\n' >>'$B/mine.yaml'"
sed -i '/^print: lulu$/d' "$B/mine.yaml" # lulu prints no such trim: the PDF below would fail
realpng "$B/images/b.png" 300 600
change "an image's size" cp "$B/images/b.png" "$B/images/a.png"
# A font file's bytes changed, its size and time of change kept.
cp "$ROOT/fonts/CharisSIL-Regular.ttf" "$B/regular.ttf"
sed -i "s|^  regular: .*|  regular: $B/regular.ttf|" "$B/mine.yaml"
settle
epub "$W" >/dev/null
swap_font() {
	python3 - "$B/regular.ttf" "$ROOT/fonts/CharisSIL-Bold.ttf" <<'PY'
import os, sys
st = os.stat(sys.argv[1])
data = open(sys.argv[2], 'rb').read()
data = data[:st.st_size].ljust(st.st_size, b'\0')
with open(sys.argv[1], 'r+b') as f:
    f.write(data)
os.utime(sys.argv[1], ns=(st.st_atime_ns, st.st_mtime_ns))
PY
}
m0=$(stat -c %Y.%y "$B/regular.ttf")
cp "$B/regular.ttf" "$T/regular.orig"
change "a font file's bytes (same size and mtime)" swap_font
if [ "$(stat -c %Y.%y "$B/regular.ttf")" = "$m0" ] && ! cmp -s "$B/regular.ttf" "$T/regular.orig"; then
	ok "epub13b: the font swap kept the file's size and mtime"
else
	no "epub13b: the font swap kept the file's size and mtime"
fi
cp "$T/regular.orig" "$B/regular.ttf"
settle
for n in "a part's text" "the style's body size" "the style's trim"; do
	case "$changed" in
	*"$n"*) ok "epub13b: $n changed the EPUB's page list (a test that can fail)" ;;
	*) no "epub13b: $n changed the EPUB's page list" "changed:$changed" ;;
	esac
done

# --- (c) a damaged record is ignored --------------------------------------------
epub "$W" >/dev/null
epub "$W" >/dev/null
good=$(hash "$W")
cp "$W/.$SLUG.marks" "$T/marks.good"
damage() { # damage HOW: $W's record made bad, then a warm build
	cp "$T/marks.good" "$W/.$SLUG.marks"
	python3 - "$W/.$SLUG.marks" "$1" <<'PY'
import struct, sys, zlib
path, how = sys.argv[1], sys.argv[2]
b = bytearray(open(path, 'rb').read())
head = b.index(b'\n') + 1
if how == 'cut':
    b = b[:len(b) // 2]
elif how == 'flip':
    b[-10] ^= 0x40
elif how == 'refit':  # the data made nonsense, its check made to hold
    crc, klen, dlen = struct.unpack_from('<IIQ', b, head)
    at = head + 16 + klen
    data = bytearray(b[at:at + dlen])
    # the first mark in a part: its block number made huge
    data[4:] = bytes(x ^ 0x5a for x in data[4:])
    h = struct.pack('<IQ', klen, dlen)
    c = zlib.crc32(bytes(data), zlib.crc32(bytes(b[head + 16:at]), zlib.crc32(h)))
    b[head:head + 4] = struct.pack('<I', c)
    b[at:at + dlen] = data
elif how == 'empty':
    b = b''
open(path, 'wb').write(bytes(b))
PY
	epub "$W"
}
for how in cut flip refit empty; do
	if damage $how && [ "$laid" = yes ] && [ "$(hash "$W")" = "$good" ]; then
		ok "epub13b: a record damaged ($how) is not taken: laid out, the same EPUB"
	else
		no "epub13b: a record damaged ($how) is not taken" "laid=$laid; $(grep -E 'error|Sanitizer|runtime' "$W.err" | head)"
	fi
done
if epub "$W" && [ "$laid" = no ] && [ "$(hash "$W")" = "$good" ]; then
	ok "epub13b: after a damaged record, the next build keeps and takes the marks again"
else
	no "epub13b: after a damaged record, the next build takes the marks again" "laid=$laid"
fi

# --- (d) a PDF + EPUB build fills the record for an --epub build ----------------
rm -rf "$T/both"
"$OCTAVO" build "$B" -o "$T/both" -q 2>"$T/both.err"
if epub "$T/both" && [ "$laid" = no ] && [ "$(hash "$T/both")" = "$(cold both)" ]; then
	ok "epub13b: PDF + EPUB then --epub in the same folder: no layout, a cold --epub build's EPUB"
else
	no "epub13b: PDF + EPUB then --epub: a cold --epub build's EPUB" "laid=$laid; $(cat "$T/both.err")"
fi
pdf1=$(sha256sum <"$T/both/$SLUG.pdf")
"$OCTAVO" build "$B" -o "$T/both" -q 2>/dev/null
rm -rf "$T/pdf-cold"
"$OCTAVO" build "$B" -o "$T/pdf-cold" -q 2>/dev/null
if [ "$pdf1" = "$(sha256sum <"$T/both/$SLUG.pdf")" ] &&
	cmp -s "$T/both/$SLUG.pdf" "$T/pdf-cold/$SLUG.pdf"; then
	ok "epub13b: a PDF + EPUB build beside kept marks writes a cold build's PDF"
else
	no "epub13b: a PDF + EPUB build beside kept marks writes a cold build's PDF"
fi

# --- the page list off, and the threads -----------------------------------------
rm -rf "$T/np"
"$OCTAVO" build "$B" -o "$T/np" --epub -v --no-page-list 2>"$T/np.err"
if ! grep -q '^octavo: laid out\|^octavo: took the page marks' "$T/np.err" && [ ! -e "$T/np/.$SLUG.marks" ]; then
	ok "epub13b: --epub --no-page-list needs nothing of the layout and keeps no marks"
else
	no "epub13b: --epub --no-page-list needs nothing of the layout" "$(grep '^octavo' "$T/np.err")"
fi
# The layout's threads are part of the key: a record made on one thread is
# not taken by a build that sets the parts on two (their join stays tested).
rm -rf "$T/j"
"$OCTAVO" build "$B" -o "$T/j" --epub -q --jobs 1 2>/dev/null
if OCTAVO_JOBS_MIN=0 epub "$T/j" --jobs 2 && [ "$laid" = yes ] &&
	cmp -s "$T/j/$SLUG.epub" "$W/$SLUG.epub" && OCTAVO_JOBS_MIN=0 epub "$T/j" --jobs 2 &&
	[ "$laid" = no ] && cmp -s "$T/j/$SLUG.epub" "$W/$SLUG.epub"; then
	ok "epub13b: marks set on two threads are kept apart from one thread's, the same EPUB"
else
	no "epub13b: marks set on two threads are kept apart from one thread's" "laid=$laid"
fi
