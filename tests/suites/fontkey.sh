#!/bin/sh
# tests/suites/fontkey.sh - a font file rewritten with its old size and
# mtime is not taken for the old one: the PDF's kept subsets
# (.SLUG.pdf-streams, keyed by tx_pdffont_key) and the EPUB's font cuts
# key a font by its ctime too, which any write moves. A warm build after
# the rewrite gives the PDF and EPUB a cold build in a fresh folder gives.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

export SOURCE_DATE_EPOCH=1700000000
B=$T/book
mkbook
printf "slug: fk\n" >>"$B/book.yaml"
style
# The style's regular face from a copy of Charis Regular.
cp "$ROOT/fonts/CharisSIL-Regular.ttf" "$B/regular.ttf"
sed -i "s|^  regular: .*|  regular: $B/regular.ttf|" "$B/mine.yaml"
if ! grep -q "regular: $B/regular.ttf" "$B/mine.yaml"; then
	no "fontkey: the style names the copied font" "$(cat "$B/mine.yaml")"
	exit 0
fi
build() { "$OCTAVO" build "$B" -o "$1" -q 2>"$1.err"; }
if build "$T/w" && build "$T/w"; then
	ok "fontkey: the book builds twice into one folder"
else
	no "fontkey: the book builds twice into one folder" "$(cat "$T/w.err")"
fi
# Charis Bold, padded with zeros to Regular's size (a font's tables are
# found by offset: trailing bytes change nothing), written over the copy
# and its times set back.
python3 - "$B/regular.ttf" "$ROOT/fonts/CharisSIL-Bold.ttf" <<'PY'
import os, sys
st = os.stat(sys.argv[1])
data = open(sys.argv[2], 'rb').read()
assert len(data) <= st.st_size
with open(sys.argv[1], 'r+b') as f:
    f.write(data.ljust(st.st_size, b'\0'))
os.utime(sys.argv[1], ns=(st.st_atime_ns, st.st_mtime_ns))
PY
sleep 0.2
rm -rf "$T/c"
if build "$T/w" && build "$T/c"; then
	if cmp -s "$T/w/fk.pdf" "$T/c/fk.pdf"; then
		ok "fontkey: after the font's rewrite (same size and mtime) the warm PDF is the cold build's"
	else
		no "fontkey: after the font's rewrite the warm PDF is the cold build's" "$(pdffonts "$T/w/fk.pdf" 2>&1 | head; pdffonts "$T/c/fk.pdf" 2>&1 | head)"
	fi
	if cmp -s "$T/w/fk.epub" "$T/c/fk.epub"; then
		ok "fontkey: and the warm EPUB is the cold build's"
	else
		no "fontkey: and the warm EPUB is the cold build's"
	fi
else
	no "fontkey: the book builds after the font's rewrite" "$(cat "$T/w.err" "$T/c.err")"
fi
