#!/bin/sh
# tests/suites/images18.sh - issue 18 item 5: an image far finer than
# print needs (over 900 ppi at its size in the book) is resampled for the
# PDF by pixman, to 600 ppi, with 'build' saying so at the image's line;
# its alpha stays a soft mask; the EPUB keeps the file as it is; an image
# at print resolution is left alone.
. "$ROOT/tests/lib.sh"
B=$T/book
O=$T/out

# A W x H RGBA PNG: a red -> blue gradient across, alpha 50% in the
# left half (rows alike, so it is quick to make at any size).
rgba() { # rgba FILE W H
	python3 - "$@" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
f, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
row = b'\0' + b''.join(bytes((255 * (w - 1 - x) // (w - 1), 0, 255 * x // (w - 1),
                             128 if x < w // 2 else 255)) for x in range(w))
data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
data += chunk(b'IDAT', zlib.compress(row * h, 1)) + chunk(b'IEND', b'')
open(f, 'wb').write(data)
PY
}

mkbook "$B"
rgba "$B/images/big.png" 6000 4000
rgba "$B/images/small.png" 300 200
printf -- '---\ntitle: "Two"\nauthor: "Another"\n---\n\nA camera'"'"'s picture:\n\n![A gradient](images/big.png)\n\nAnd a small one:\n\n![A small gradient](images/small.png)\n' >"$B/two.md"

if expect 0 "a book with a 6000 x 4000 picture builds" "$OCTAVO" build "$B" -o "$O"; then
	line=$(printf '%s\n' "$out" | grep 'big.png')
	case $line in
	*"two.md:8:1: warning: image 'images/big.png' is "*" ppi at its size in the book (6000 x 4000 pixels); the PDF has it resampled to "*)
		ok "build says at the image's line that it resampled it" ;;
	*) no "build says at the image's line that it resampled it" "$out" ;;
	esac
	# (the small one prints at 96 ppi, its own size: 'images: min-ppi' warns
	# of that, images14m.sh, but nothing is resampled)
	if printf '%s\n' "$out" | grep -q 'small.png.*resampled'; then
		no "an image under 900 ppi is not resampled, and not told so" "$out"
	else ok "an image under 900 ppi is not resampled, and not told so"; fi
	want=$(printf '%s\n' "$line" | sed -n 's/.*resampled to \([0-9]*\) x \([0-9]*\)$/\1 \2/p')
	list=$(pdfimages -list "$O/test-book.pdf" 2>&1)
	# page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
	got=$(printf '%s\n' "$list" | awk '$3 == "image" && $4 > 300 {print $4, $5; exit}')
	ppi=$(printf '%s\n' "$list" | awk '$3 == "image" && $4 > 300 {print $13; exit}')
	if [ -n "$want" ] && [ "$got" = "$want" ] && [ "${ppi:-0}" -le 610 ] && [ "${ppi:-0}" -ge 590 ]; then
		ok "the PDF holds it at the size told ($got pixels, $ppi ppi)"
	else no "the PDF holds it at the size told (want '$want', got '$got' at '$ppi' ppi)" "$list"; fi
	if printf '%s\n' "$list" | awk '$3 == "smask"' | grep -q .; then
		ok "its alpha stays a soft mask"
	else no "its alpha stays a soft mask" "$list"; fi
	if printf '%s\n' "$list" | awk '$3 == "image" && $4 == 300 && $5 == 200' | grep -q .; then
		ok "the small image keeps its 300 x 200 pixels"
	else no "the small image keeps its 300 x 200 pixels" "$list"; fi
	# The colours: the left edge red at 50% on white, the right blue.
	pdftoppm -r 40 -f 3 -l 99 -png "$O/test-book.pdf" "$T/p" >/dev/null 2>&1
	if python3 - "$T" <<'PY'
import glob, struct, sys, zlib
# read the first page that has a saturated blue pixel and a pinkish one
def pixels(f):
    d = open(f, 'rb').read(); i = 8; w = h = 0; idat = b''
    while i < len(d):
        n = struct.unpack('>I', d[i:i+4])[0]; t = d[i+4:i+8]; c = d[i+8:i+8+n]
        if t == b'IHDR': w, h, bd, ct = struct.unpack('>IIBB', c[:10])
        if t == b'IDAT': idat += c
        i += 12 + n
    raw = zlib.decompress(idat); bpp = 3 if ct == 2 else 4; stride = w * bpp
    rows, prev, p = [], bytearray(stride), 0
    for y in range(h):
        f_ = raw[p]; line = bytearray(raw[p+1:p+1+stride]); p += 1 + stride
        for x in range(stride):
            a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c2 = prev[x-bpp] if x >= bpp else 0
            if f_ == 1: line[x] = (line[x] + a) & 255
            elif f_ == 2: line[x] = (line[x] + b) & 255
            elif f_ == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f_ == 4:
                pa, pb, pc = abs(b - c2), abs(a - c2), abs(a + b - 2 * c2)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c2)) & 255
        rows.append(line); prev = line
    return [(r[x*bpp], r[x*bpp+1], r[x*bpp+2]) for r in rows for x in range(w)]
for f in sorted(glob.glob(sys.argv[1] + '/p-*.png')):
    px = pixels(f)
    if any(r > 240 and 110 < g < 145 and 110 < b < 145 for r, g, b in px) and \
       any(r < 30 and g < 30 and b > 200 for r, g, b in px):
        sys.exit(0)
sys.exit(1)
PY
	then ok "the resampled picture prints red at half alpha on the left, blue on the right"
	else no "the resampled picture prints red at half alpha on the left, blue on the right"; fi
	if unzip -l "$O/test-book.epub" | awk '{print $1, $4}' | grep -q "^$(stat -c %s "$B/images/big.png") .*big.png"; then
		ok "the EPUB keeps the file as it is"
	else no "the EPUB keeps the file as it is" "$(unzip -l "$O/test-book.epub")"; fi
fi
# Under a print profile the same picture is resampled in its colour
# conversion, and told the same way (the small one, 75 ppi, would be
# KDP's error: left out).
printf -- '---\ntitle: "Two"\nauthor: "Another"\n---\n\nA camera'"'"'s picture:\n\n![A gradient](images/big.png)\n' >"$B/two.md"
if expect 0 "the kdp profile builds it" "$OCTAVO" build "$B" -o "$T/kdp" --profile kdp --pdf; then
	contains "the kdp build says so too" "two.md:8:1: warning: image 'images/big.png' is "
fi
