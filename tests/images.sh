#!/bin/sh
# tests/images.sh - images read once, checked whole and embedded right
# (issue 12: the tRNS crash, libpng's abort, the check-then-use race,
# corrupt data passed through, decompression bombs).
#
# Every image is made here with python3's zlib and struct; the JPEG is a
# 16 x 16 one cjpeg wrote, kept inline. Env: OCTAVO, ROOT (tests/lib.sh).
. "$ROOT/tests/lib.sh"

B=$T/b
O=$T/out
I=$T/img
mkdir -p "$I"

python3 - "$I" <<'PY'
import base64, os, struct, sys, zlib
out = sys.argv[1]

def chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))

def png(name, w, h, depth, ctype, raw, extra=b'', interlace=0, idat=None):
    """raw: the filtered scanlines (or None with idat: the IDAT data as given)."""
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, ctype, 0, 0, interlace))
    data += extra + chunk(b'IDAT', idat if idat is not None else zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    open(os.path.join(out, name), 'wb').write(data)

def rows(w, h, px, bpp):
    """Scanlines of h rows of w pixels, px(x, y) -> bytes, filter 0."""
    return b''.join(b'\0' + b''.join(px(x, y) for x in range(w)) for y in range(h))

def rgb(r, g, b): return bytes((r, g, b))

# A good 8-bit RGB PNG (passed through undecoded), and an 8 x 8 grey one.
png('ok.png', 8, 8, 8, 2, rows(8, 8, lambda x, y: rgb(x * 30, y * 30, 128), 3))
png('grey.png', 8, 8, 8, 0, rows(8, 8, lambda x, y: bytes((x * 30,)), 1))

# tRNS colour key on RGB, as 'convert -transparent' writes: the left half
# is the key colour (red, transparent), the right half blue.
px = lambda x, y: rgb(255, 0, 0) if x < 16 else rgb(0, 0, 255)
png('trns-rgb.png', 32, 8, 8, 2, rows(32, 8, px, 3), chunk(b'tRNS', struct.pack('>HHH', 255, 0, 0)))

# 16-bit RGBA: one colour in four stripes of falling alpha. Taking the low
# byte of each sample would give (255, 1, 254); rounding gives (192, 64, 128).
alphas = (0xFFFF, 0xBFFF, 0x8000, 0x4000)
px = lambda x, y: struct.pack('>HHHH', 0xC0FF, 0x4001, 0x80FE, alphas[x // 16])
png('rgba16.png', 64, 16, 16, 6, rows(64, 16, px, 8))

# Grey with alpha, a palette with tRNS, 16-bit grey, and an interlaced RGB.
png('grey-alpha.png', 8, 8, 8, 4, rows(8, 8, lambda x, y: bytes((x * 30, y * 30)), 2))
png('palette-trns.png', 8, 8, 8, 3, rows(8, 8, lambda x, y: bytes((x % 3,)), 1),
    chunk(b'PLTE', bytes((255, 0, 0, 0, 255, 0, 0, 0, 255))) + chunk(b'tRNS', b'\x00\xff'))
png('grey16.png', 8, 8, 16, 0, rows(8, 8, lambda x, y: struct.pack('>H', x * 8000), 2))
def adam7(w, h, px):
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    raw = b''
    for x0, y0, dx, dy in passes:
        xs = range(x0, w, dx)
        if not len(xs):
            continue
        for y in range(y0, h, dy):
            raw += b'\0' + b''.join(px(x, y) for x in xs)
    return raw
png('interlaced.png', 16, 16, 8, 2, adam7(16, 16, lambda x, y: rgb(x * 16, y * 16, 200)), interlace=1)

# Damaged: each decodes as far as its damage.
good = rows(8, 8, lambda x, y: rgb(x * 30, y * 30, 128), 3)
# A zlib stream whose stored block's length check fails.
png('zlib.png', 8, 8, 8, 2, None, idat=b'\x78\x01\x01\x10\x00\x10\x00' + good[:16])
# Too little data: four rows of eight.
png('short.png', 8, 8, 8, 2, good[:4 * 25])
png('short-alpha.png', 8, 8, 8, 6, rows(8, 8, lambda x, y: bytes((1, 2, 3, 255)), 4)[:4 * 33])
# A filter byte of 7 (filters are 0 to 4).
png('filter7.png', 8, 8, 8, 2, b'\x07' + good[1:])
# A palette of two colours and pixels that use index 5.
png('palette-range.png', 8, 8, 8, 3, rows(8, 8, lambda x, y: bytes((5 if x == y else 1,)), 1),
    chunk(b'PLTE', bytes((0, 0, 0, 255, 255, 255))))

# The bomb: 20,000 x 20,000 pixels of 1-bit grey, 48 KB deflated; its
# tRNS key meant decoding it (400 megapixels) for the PDF's mask.
w = 20000
png('bomb.png', w, w, 1, 0, (b'\0' + b'\0' * (w // 8)) * w, chunk(b'tRNS', b'\0\1'))
# For the configurable limits: 40 x 40 grey (1,600 pixels); 900 x 900
# 16-bit RGBA (0.81 megapixels, 6.5 MB decoded).
png('px1600.png', 40, 40, 8, 0, rows(40, 40, lambda x, y: b'\x80', 1))
png('bytes16.png', 900, 900, 16, 6, (b'\0' + b'\0' * 900 * 8) * 900)

# A 16 x 16 baseline JPEG (cjpeg -quality 50 -optimize), and damaged ones.
jpg = base64.b64decode(
    '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4'
    'UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj'
    'Y2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABQb/xAAXEAEA'
    'AwAAAAAAAAAAAAAAAAAEACEx/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAL/xAAZEQACAwEAAAAAAAAAAAAAAAAABAMFITH/'
    '2gAMAwEAAhEDEQA/AJ84cqJnDlRM4cqJnDlSpWxXvc0//9k=')
assert len(jpg) == 311
open(os.path.join(out, 'ok.jpg'), 'wb').write(jpg)
scan = 289  # the entropy-coded data: bytes 289 to 308, then EOI
garbage = bytes((0x9d, 0x13, 0xc7, 0x5a, 0x2e, 0xb1, 0x08, 0x6f, 0xe4, 0x31,
                 0x77, 0xa9, 0x1c, 0xd2, 0x45, 0x8b, 0x3e, 0xf0, 0x61, 0x0a))
open(os.path.join(out, 'scan.jpg'), 'wb').write(jpg[:scan] + garbage + jpg[309:])
open(os.path.join(out, 'short-scan.jpg'), 'wb').write(jpg[:scan + 10] + jpg[309:])
# Fill bytes (0xFF) before a marker, which JPEG allows and libharu misread.
open(os.path.join(out, 'fill.jpg'), 'wb').write(jpg[:20] + b'\xff' * 8 + jpg[20:])
PY

# figure NAME: two.md is a figure of images/NAME, on line 5, column 1,
# at the measure (the test images are a few pixels, their colours counted
# on the page).
figure() {
	printf -- '---\ntitle: "Two"\n---\n\n![A figure](images/%s){width=100%%}\n' "$1" >"$B/two.md"
	cp "$I/$1" "$B/images/$1"
}
build() { # build [OPTIONS]: the book into $O; sets out and rc
	out=$("$OCTAVO" build "$B" -o "$O" "$@" 2>&1)
	rc=$?
}
# good NAME: the build succeeds; its PDF passes qpdf --check and renders
# with pdftoppm without a word on stderr. Leaves the pages in $T/page-*.ppm.
good() {
	build
	if crashed || [ "$rc" -ne 0 ]; then
		no "$1 (exit $rc)" "$out"
		return 1
	fi
	rm -f "$T"/page-*.ppm
	if ! q=$(qpdf --check "$O/test-book.pdf" 2>&1); then
		no "$1 (qpdf --check)" "$q"
	elif r=$(pdftoppm -r 72 "$O/test-book.pdf" "$T/page" 2>&1) && [ -z "$r" ]; then
		ok "$1"
	else
		no "$1 (pdftoppm)" "$r"
	fi
}
# bad NAME FILE WANT: after a good edition, a figure of FILE fails with
# exit 1, WANT at the start of a line, and the edition as it was.
bad() {
	mkbook "$B"
	rm -rf "$O" "$O.before"
	figure ok.png
	build
	cp -a "$O" "$O.before"
	figure "$2"
	build
	if crashed || [ "$rc" -ne 1 ]; then
		no "$1 (exit $rc, want 1)" "$out"
	elif ! printf '%s\n' "$out" | grep -qF -- "$3"; then
		no "$1" "want: $3
got:
$out"
	elif ! same_files "$O.before" "$O"; then
		no "$1 (the previous edition changed)"
	else
		ok "$1"
	fi
}
# colour NAME R G B: some 200 pixels of the rendered pages are (R, G, B),
# give or take 3 in each channel.
colour() {
	if python3 - "$2" "$3" "$4" "$T"/page-*.ppm <<'PY'; then ok "$1"; else no "$1" "$(cat "$T/colours")"; fi
import sys
want = tuple(int(v) for v in sys.argv[1:4])
seen = {}
for path in sys.argv[4:]:
    d = open(path, 'rb').read()
    # P6\nW H\n255\n
    parts = d.split(b'\n', 3)
    w, h = map(int, parts[1].split())
    px = parts[3]
    for i in range(0, w * h * 3, 3):
        c = (px[i], px[i + 1], px[i + 2])
        seen[c] = seen.get(c, 0) + 1
near = sum(n for c, n in seen.items() if all(abs(c[k] - want[k]) <= 3 for k in range(3)))
top = sorted(seen.items(), key=lambda kv: -kv[1])[:12]
open(sys.argv[4].rsplit('/', 1)[0] + '/colours', 'w').write(
    'want %s: %d pixels near it; most common: %s\n' % (want, near, top))
sys.exit(0 if near >= 200 else 1)
PY
}

# === crashes and aborts ========================================================
mkbook "$B"; figure trns-rgb.png
if good "png: RGB with a tRNS colour key builds (libharu's loader crashed)"; then
	colour "png: tRNS: the keyed colour is transparent, the rest drawn" 0 0 255
	if python3 - "$T"/page-*.ppm <<'PY'; then ok "png: tRNS: no pixel of the key colour"; else no "png: tRNS: the key colour (red) is drawn"; fi
import sys
for path in sys.argv[1:]:
    d = open(path, 'rb').read().split(b'\n', 3)[3]
    for i in range(0, len(d), 3):
        if d[i] > 200 and d[i + 1] < 60 and d[i + 2] < 60:
            sys.exit(1)
PY
fi
mkbook "$B"; figure rgba16.png
if good "png: 16-bit RGBA builds"; then
	# Over the white page: c * a + 255 * (1 - a), a = 1, 0.75, 0.5, 0.25.
	colour "png: 16-bit RGBA: opaque stripe is (192, 64, 128)" 192 64 128
	colour "png: 16-bit RGBA: 75% stripe is (208, 112, 160)" 208 112 160
	colour "png: 16-bit RGBA: 50% stripe is (224, 160, 192)" 224 160 192
	colour "png: 16-bit RGBA: 25% stripe is (239, 207, 223)" 239 207 223
fi
for f in grey-alpha palette-trns grey16 interlaced grey; do
	mkbook "$B"; figure $f.png
	good "png: $f builds and renders"
done
mkbook "$B"; figure ok.jpg
good "jpeg: a baseline JPEG builds and renders"
mkbook "$B"; figure fill.jpg
good "jpeg: fill bytes between markers build and render (libharu's loader failed)"

# === damaged data: an error at the image's line, exit 1 =======================
bad "png: damaged: short image data with alpha (libpng aborted, exit 134)" short-alpha.png \
	"$B/two.md:5:1: error: image 'images/short-alpha.png' is a damaged PNG (libpng: "
bad "png: damaged: short image data, passed through before" short.png \
	"$B/two.md:5:1: error: image 'images/short.png' is a damaged PNG (libpng: "
bad "png: damaged: a broken zlib stream" zlib.png \
	"$B/two.md:5:1: error: image 'images/zlib.png' is a damaged PNG (libpng: "
bad "png: damaged: filter byte 7" filter7.png \
	"$B/two.md:5:1: error: image 'images/filter7.png' is a damaged PNG (libpng: "
bad "png: damaged: a palette index past the palette" palette-range.png \
	"$B/two.md:5:1: error: image 'images/palette-range.png' is a damaged PNG (a pixel's palette index is past the palette's end)"
bad "jpeg: damaged: a garbage scan" scan.jpg \
	"$B/two.md:5:1: error: image 'images/scan.jpg' is a damaged JPEG (libjpeg: Corrupt JPEG data"
bad "jpeg: damaged: a short scan" short-scan.jpg \
	"$B/two.md:5:1: error: image 'images/short-scan.jpg' is a damaged JPEG (libjpeg: Corrupt JPEG data"

# === decompression bombs =======================================================
start=$(date +%s)
bad "png: bomb: 20,000 x 20,000 1-bit refused at its line" bomb.png \
	"$B/two.md:5:1: error: image 'images/bomb.png' is 20000 x 20000 pixels (400.0 megapixels); octavo takes up to 50"
took=$(($(date +%s) - start))
if [ "$took" -lt 5 ]; then ok "png: bomb: refused from its header, in under 5 s (two builds: $took s)"; else no "png: bomb: refused in $took s"; fi

mkbook "$B"; figure px1600.png
printf 'style: house.yaml\n' >>"$B/book.yaml"
# The house style, its fonts and CSS named by absolute path from octavo's
# own folder, with a limit of 1,000 pixels.
python3 - "$ROOT" "$B/house.yaml" <<'PY'
import os, re, sys
root, dst = sys.argv[1:3]
src = os.path.join(root, 'styles', 'default.yaml')
text = open(src).read()
# Files the style names are relative to its folder: make them absolute.
text = re.sub(r'^(\s+(?:regular|italic|bold|bold-italic|mono|css):\s*)(\S+)(\s*#.*)?$',
              lambda m: m.group(1) + os.path.normpath(os.path.join(root, 'styles', m.group(2))), text, flags=re.M)
open(dst, 'w').write(text + '\nimages:\n  max-megapixels: 0.001\n')
PY
build
if [ "$rc" -eq 1 ] && ! crashed; then
	has "style: 'images: max-megapixels' lowers the limit" \
		"$B/two.md:5:1: error: image 'images/px1600.png' is 40 x 40 pixels (0.0 megapixels); octavo takes up to 0.001"
else no "style: 'images: max-megapixels' lowers the limit (exit $rc)" "$out"; fi
sed -i 's/max-megapixels: 0.001/max-megapixels: 1/' "$B/house.yaml"
figure bytes16.png
build
if [ "$rc" -eq 1 ] && ! crashed; then
	has "png: decoded bytes are limited too (16-bit RGBA, 0.8 of 1 megapixel)" \
		"$B/two.md:5:1: error: image 'images/bytes16.png' is 900 x 900 pixels that decode to 6.5 MB; octavo takes up to 4.0 MB"
else no "png: decoded bytes are limited too (exit $rc)" "$out"; fi
sed -i 's/max-megapixels: 1$/max-megapixels: lots/' "$B/house.yaml"
build
if [ "$rc" -eq 1 ] && ! crashed; then
	contains "style: 'max-megapixels' must be a number" "error: 'max-megapixels' must be a number above 0 and at most 400, such as '50'"
else no "style: 'max-megapixels' must be a number (exit $rc)" "$out"; fi

# === read once =================================================================
# The writers use the bytes the book stage read: the image file is opened
# once in the whole build, and the EPUB holds exactly the file's bytes.
mkbook "$B"; figure ok.png
if command -v strace >/dev/null 2>&1; then
	n=$(strace -f -e trace=open,openat -o "$T/trace" "$OCTAVO" build "$B" -o "$O" >/dev/null 2>&1;
	    grep -c 'images/ok\.png"' "$T/trace")
	if [ "$n" -eq 1 ]; then ok "read once: the image file is opened once per build"
	else no "read once: the image file is opened $n times" "$(grep 'images/ok' "$T/trace")"; fi
else
	skip "read once: no strace"
fi
build
mkdir -p "$T/x" && (cd "$T/x" && unzip -q -o "$O/test-book.epub")
if cmp -s "$T/x/OEBPS/images/ok.png" "$I/ok.png"; then ok "read once: the EPUB's image is the file's bytes"
else no "read once: the EPUB's image differs from the file"; fi

# A file swapped while the book is built, again and again, for a symlink
# to /etc/passwd or for text: each build either has the good image or
# fails; nothing else reaches the EPUB, nothing crashes.
mkbook "$B"; figure ok.png
printf 'not an image\n' >"$T/text"
python3 - "$B/images" "$I/ok.png" "$T/text" "$T/stop" <<'PY' &
import os, sys, time
d, good, text, stop = sys.argv[1:5]
good_bytes = open(good, 'rb').read()
i = 0
t0 = time.time()
while not os.path.exists(stop) and time.time() - t0 < 120:
    tmp = os.path.join(d, '.swap')
    kind = i % 3
    if kind == 0:
        open(tmp, 'wb').write(good_bytes)
    elif kind == 1:
        try: os.unlink(tmp)
        except FileNotFoundError: pass
        os.symlink('/etc/passwd', tmp)
    else:
        open(tmp, 'wb').write(open(text, 'rb').read())
    os.replace(tmp, os.path.join(d, 'ok.png'))
    i += 1
    time.sleep(0.002)
PY
swapper=$!
bad_runs=""
for k in 1 2 3 4 5 6; do
	rm -rf "$O"
	build
	if crashed || { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; }; then
		bad_runs="$bad_runs run $k: exit $rc;"
	elif [ "$rc" -eq 0 ]; then
		rm -rf "$T/x" && mkdir -p "$T/x" && (cd "$T/x" && unzip -q -o "$O/test-book.epub")
		cmp -s "$T/x/OEBPS/images/ok.png" "$I/ok.png" || bad_runs="$bad_runs run $k: the EPUB's image is not the good PNG;"
	fi
done
touch "$T/stop"
wait $swapper
if [ -z "$bad_runs" ]; then ok "read once: a file swapped during builds never reaches the EPUB"
else no "read once: a file swapped during builds" "$bad_runs"; fi

# === the edition's own image ===================================================
# An 8-bit PNG (the edition's chart: grey since it was redrawn for a
# black-and-white interior) still goes into the PDF undecoded: its IDAT
# data, with PNG's predictors.
mkbook "$B"
printf -- '---\ntitle: "Two"\n---\n\n![A chart](images/funding-mix.png)\n' >"$B/two.md"
cp "$ROOT/manuscript/images/funding-mix.png" "$B/images/"
build
if [ "$rc" -eq 0 ] && python3 - "$O/test-book.pdf" "$B/images/funding-mix.png" <<'PY'; then ok "png: an 8-bit PNG passes through undecoded"; else no "png: pass-through" "$out"; fi
import struct, sys
pdf = open(sys.argv[1], 'rb').read()
png = open(sys.argv[2], 'rb').read()
idat, i = b'', 8
while i < len(png):
    n = struct.unpack('>I', png[i:i + 4])[0]
    if png[i + 4:i + 8] == b'IDAT':
        idat += png[i + 8:i + 8 + n]
    i += n + 12
sys.exit(0 if idat in pdf and b'/Predictor 15' in pdf else 1)
PY
