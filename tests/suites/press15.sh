#!/bin/sh
# tests/suites/press15.sh - print profiles, PDF/X, print colour and
# preflight (issue 15 items 1, 2, 3, 5).
#
# Each profile builds the edition, and press15-pdfx.py reads every PDF
# back with qpdf --json and asserts the machine-checkable rules of
# PDF/X-1a:2001 and PDF/X-4 with the profile's figures: boxes to 0.01 pt,
# no DeviceRGB in X-1a, the output intent and its ICC profile, the
# version, the parity. Ghostscript reads every file without a word. Then
# a small book: KDP's 5.5 x 8.5 in with bleed, images converted to grey
# and CMYK (with alpha, low resolution, far too fine), the usage and
# style errors, and preflight's lines and exit status.
. "$ROOT/tests/lib.sh"
B=$T/b
CHECK="$ROOT/tests/suites/press15-pdfx.py"
command -v qpdf >/dev/null || { skip "press15: qpdf is not installed"; exit 0; }

# The edition's trim: Demy octavo, 138 x 216 mm.
TW=391.181
TH=612.283

# === every profile builds the edition ============================================
for p in ingramspark kdp lulu offset screen; do
	if expect 0 "edition --profile $p builds" "$OCTAVO" build "$ROOT/manuscript" -o "$T/e-$p" --pdf --profile "$p" -q; then
		ok "edition --profile $p builds"
		python3 "$CHECK" "$T/e-$p/civil-dialogue.pdf" "$p" $TW $TH
		if command -v gs >/dev/null; then
			g=$(gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=nullpage "$T/e-$p/civil-dialogue.pdf" 2>&1)
			if [ -z "$g" ]; then ok "$p: Ghostscript reads it without a warning"; else no "$p: Ghostscript" "$g"; fi
		else
			skip "$p: Ghostscript is not installed"
		fi
		if expect 0 "$p: preflight passes" "$OCTAVO" preflight "$ROOT/manuscript" -o "$T/e-$p" --profile "$p"; then
			ok "$p: preflight passes"
		fi
	fi
done
# The print edition without a profile is what it was: the style's bleed
# and crop marks, no PDF/X.
expect 0 "no profile builds" "$OCTAVO" build "$ROOT/manuscript" -o "$T/e-none" --pdf -q &&
	if [ "$(head -c 8 "$T/e-none/civil-dialogue.pdf")" = "%PDF-1.3" ] &&
		! grep -aq GTS_PDFX "$T/e-none/civil-dialogue.pdf" &&
		pdfinfo -box "$T/e-none/civil-dialogue.pdf" | grep -q "TrimBox: *26.50 *26.50"; then
		ok "no profile: the style's 3 mm bleed and crop marks, no PDF/X"
	else no "no profile: the edition changed" "$(pdfinfo -box "$T/e-none/civil-dialogue.pdf" | grep Box)"; fi
# --screen is the screen profile, byte for byte.
expect 0 "--screen builds" "$OCTAVO" build "$ROOT/manuscript" -o "$T/e-scr" --pdf --screen -q &&
	if cmp -s "$T/e-scr/civil-dialogue.pdf" "$T/e-screen/civil-dialogue.pdf"; then ok "--screen is --profile screen"
	else no "--screen differs from --profile screen"; fi
# Two builds in a print profile give the same bytes.
expect 0 "kdp rebuilds" "$OCTAVO" build "$ROOT/manuscript" -o "$T/e-kdp2" --pdf --profile kdp -q &&
	if cmp -s "$T/e-kdp/civil-dialogue.pdf" "$T/e-kdp2/civil-dialogue.pdf"; then ok "kdp: two builds, the same bytes"
	else no "kdp: two builds differ"; fi
# The offset printer's signature: 131 pages padded to 144, each blank
# page with its boxes.
n=$(qpdf --show-npages "$T/e-offset/civil-dialogue.pdf")
if [ "$n" -eq 144 ]; then ok "offset: 131 pages padded to 144 (signatures of 16)"; else no "offset: $n pages"; fi

# === KDP's 5.5 x 8.5 in with bleed: MediaBox 5.625 x 8.75 in ====================
mkbook "$B"
style 's/width: 138mm/width: 5.5in/' 's/height: 216mm/height: 8.5in/' 's/inner: 16mm/inner: 0.5in/' 's/outer: 20mm/outer: 0.5in/'
expect 0 "kdp 5.5 x 8.5 builds" "$OCTAVO" build "$B" -o "$T/k" --pdf --profile kdp -q &&
	python3 "$CHECK" "$T/k/test-book.pdf" kdp 396 612 &&
	if pdfinfo -box -f 1 -l 2 "$T/k/test-book.pdf" | grep -q "Page    1 MediaBox: *0.00 *0.00 *405.00 *630.00" &&
		pdfinfo -box -f 1 -l 2 "$T/k/test-book.pdf" | grep -q "Page    1 TrimBox: *0.00 *9.00 *396.00 *621.00" &&
		pdfinfo -box -f 1 -l 2 "$T/k/test-book.pdf" | grep -q "Page    2 TrimBox: *9.00 *9.00 *405.00 *621.00"; then
		ok "kdp 5.5 x 8.5 in: MediaBox 5.625 x 8.75 in, no bleed at the spine"
	else no "kdp 5.5 x 8.5 in boxes" "$(pdfinfo -box -f 1 -l 2 "$T/k/test-book.pdf" | grep Box)"; fi

# === the profile's name: command line and style ==================================
expect 2 "--profile kpd" "$OCTAVO" build "$B" -o "$T/x" --profile kpd &&
	has "--profile kpd: did you mean" "octavo: error: unknown print profile 'kpd'; did you mean 'kdp'? (the profiles: ingramspark, kdp, lulu, offset, screen)"
expect 2 "--profile nothing near" "$OCTAVO" build "$B" -o "$T/x" --profile zzzzzzzz &&
	contains "--profile zzzzzzzz: the list" "unknown print profile 'zzzzzzzz' (the profiles: ingramspark, kdp, lulu, offset, screen)"
expect 2 "--screen with --profile kdp" "$OCTAVO" build "$B" -o "$T/x" --screen --profile kdp &&
	contains "--screen with --profile kdp: refused" "--screen and --profile kdp ask for two different PDFs"
expect 2 "--profile on report" "$OCTAVO" report "$B" --profile kdp && ok "--profile does not apply to report"
mkbook "$B"
style
printf 'print: lullu\n' >>"$B/mine.yaml"
expect 1 "style print: lullu" "$OCTAVO" build "$B" -o "$T/x" &&
	has "style print: lullu: error at its line" "$B/mine.yaml:29:8: error: unknown print profile 'lullu'" &&
	contains "style print: lullu: did you mean" "hint: did you mean 'lulu'?"
mkbook "$B"
style
printf 'print: lulu\n' >>"$B/mine.yaml"
expect 0 "style print: lulu" "$OCTAVO" build "$B" -o "$T/s" --pdf -q &&
	python3 "$CHECK" "$T/s/test-book.pdf" lulu $TW $TH | grep -v '^ok' | grep . &&
	no "style print: lulu makes a Lulu PDF" || ok "style print: lulu makes a Lulu PDF"
expect 0 "--profile wins over the style" "$OCTAVO" build "$B" -o "$T/s2" --pdf -q --profile screen &&
	if ! grep -aq GTS_PDFX "$T/s2/test-book.pdf"; then ok "--profile screen wins over the style's lulu"
	else no "--profile screen wins over the style"; fi
mkbook "$B"
style
printf 'print:\n  profile: offset\n' >>"$B/mine.yaml"
expect 0 "style print: profile: offset" "$OCTAVO" build "$B" -o "$T/s3" --pdf -q &&
	if [ "$(head -c 8 "$T/s3/test-book.pdf")" = "%PDF-1.6" ]; then ok "style print: profile: offset is PDF/X-4"
	else no "style print: profile: offset"; fi

# === images in the printer's colour ===========================================
# img FILE W H KIND: a PNG drawn by Python's zlib: rgb (two colour bands),
# rgba (with a translucent half), clash (orange and grey, as the old
# chart's series were).
img() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
path, w, h, kind = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
alpha = kind == 'rgba'
rows = []
for y in range(h):
    row = bytearray(b'\0')
    for x in range(w):
        if kind == 'clash':
            c = (0xd9, 0x5f, 0x02) if x < w // 2 else (0x8c, 0x8c, 0x8c)
        else:
            c = (200, 30, 30) if y < h // 2 else (30, 60, 200)
        row += bytes(c) + (bytes([255 if x < w // 2 else 100]) if alpha else b'')
    rows.append(bytes(row))
data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6 if alpha else 2, 0, 0, 0))
data += chunk(b'IDAT', zlib.compress(b''.join(rows))) + chunk(b'IEND', b'')
open(path, 'wb').write(data)
PY
}
# images in the PDF: "ColorSpace Width SMask?" per image XObject
images() {
	python3 - "$1" <<'PY'
import json, subprocess, sys
j = json.loads(subprocess.run(['qpdf', '--json', sys.argv[1]], check=True, capture_output=True).stdout)
for k, o in j['qpdf'][1].items():
    d = o.get('stream', {}).get('dict', {})
    if d.get('/Subtype') == '/Image' and '/SMask' not in [k2 for k2 in d if k2 == '/Decode']:
        print(d.get('/ColorSpace'), d.get('/Width'), 'smask' if '/SMask' in d else 'opaque')
PY
}
mkbook "$B"
img "$B/images/rgb.png" 1300 600 rgb
img "$B/images/rgba.png" 1300 600 rgba
essay '![Two bands](images/rgb.png)\n\nText.\n\n![Translucent](images/rgba.png)\n'
expect 0 "rgb and rgba images, kdp" "$OCTAVO" build "$B" -o "$T/i" --pdf --profile kdp -q &&
	if [ "$(images "$T/i/test-book.pdf" | sort -u)" = "/DeviceGray 1300 opaque" ]; then
		ok "kdp: RGB and RGBA images become opaque DeviceGray (alpha laid on white)"
	else no "kdp: images" "$(images "$T/i/test-book.pdf")"; fi
expect 0 "rgb images, offset" "$OCTAVO" build "$B" -o "$T/i2" --pdf --profile offset -q &&
	if [ "$(images "$T/i2/test-book.pdf" | sort -u)" = "/DeviceCMYK 1300 opaque" ]; then
		ok "offset: RGB images become DeviceCMYK"
	else no "offset: images" "$(images "$T/i2/test-book.pdf")"; fi
expect 0 "rgb images, screen" "$OCTAVO" build "$B" -o "$T/i3" --pdf --profile screen -q &&
	if images "$T/i3/test-book.pdf" | grep -q "/DeviceRGB"; then ok "screen: RGB stays RGB"
	else no "screen: images" "$(images "$T/i3/test-book.pdf")"; fi
python3 "$CHECK" "$T/i/test-book.pdf" kdp $TW $TH
python3 "$CHECK" "$T/i2/test-book.pdf" offset $TW $TH
# The ink limit: offset's 300% (FOGRA39's own richest black is near 330%),
# kept by littleCMS's ink-limiting link after the FOGRA39 conversion.
python3 - "$T/i2/test-book.pdf" <<'PY' && ok "offset: total ink of the CMYK images within 300%" || no "offset: ink over 300%"
import base64, json, subprocess, sys
j = json.loads(subprocess.run(['qpdf', '--json', '--json-stream-data=inline', '--decode-level=generalized', sys.argv[1]], check=True, capture_output=True).stdout)
worst = 0
for k, o in j['qpdf'][1].items():
    s = o.get('stream', {})
    if s.get('dict', {}).get('/ColorSpace') == '/DeviceCMYK':
        d = base64.b64decode(s['data'])
        worst = max(worst, max(sum(d[i:i + 4]) for i in range(0, len(d), 4)))
sys.exit(0 if worst * 100 / 255 <= 300.5 else 1)
PY

# An image's own ICC profile is honoured: pure green tagged Adobe RGB
# (colord's profile, when installed) is a darker grey than untagged (sRGB)
# green, whose primary is less saturated and lighter.
ADOBE=/usr/share/color/icc/colord/AdobeRGB1998.icc
if [ -f "$ADOBE" ]; then
	mkbook "$B"
	python3 - "$B/images" "$ADOBE" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
w, h = 1300, 600
raw = (b'\0' + bytes([0, 255, 0]) * w) * h
for name, icc in (('plain.png', None), ('tagged.png', open(sys.argv[2], 'rb').read())):
    d = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
    if icc:
        d += chunk(b'iCCP', b'Adobe RGB\0\0' + zlib.compress(icc))
    d += chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
    open(sys.argv[1] + '/' + name, 'wb').write(d)
PY
	essay '![Plain green](images/plain.png)\n\n![Tagged green](images/tagged.png)\n'
	expect 0 "tagged image in kdp" "$OCTAVO" build "$B" -o "$T/g" --pdf --profile kdp -q &&
		python3 - "$T/g/test-book.pdf" <<'PY' && ok "kdp: an image's embedded ICC profile is honoured" || no "kdp: embedded ICC profile" "$(cat "$T/g.err" 2>/dev/null)"
import base64, json, subprocess, sys
j = json.loads(subprocess.run(['qpdf', '--json', '--json-stream-data=inline', '--decode-level=generalized', sys.argv[1]], check=True, capture_output=True).stdout)
greys = [base64.b64decode(o['stream']['data'])[0] for k, o in sorted(j['qpdf'][1].items(), key=lambda kv: int(kv[0].split()[0][4:]) if kv[0].startswith('obj:') else 0)
         if o.get('stream', {}).get('dict', {}).get('/Subtype') == '/Image']
print(greys, file=open(sys.argv[1] + '.greys', 'w'))
sys.exit(0 if len(greys) == 2 and greys[0] - greys[1] >= 8 else 1)
PY
else
	skip "press15: no Adobe RGB profile (colord-data) to tag an image with"
fi

# A colour JPEG (libjpeg's cjpeg, when there) decoded and converted too.
if command -v cjpeg >/dev/null; then
	mkbook "$B"
	python3 -c 'import sys; w, h = 1300, 600; sys.stdout.buffer.write(b"P6 %d %d 255\n" % (w, h) + bytes([200, 120, 20]) * (w * h))' |
		cjpeg -quality 90 >"$B/images/photo.jpg"
	essay '![A photograph](images/photo.jpg)\n'
	expect 0 "a JPEG in kdp" "$OCTAVO" build "$B" -o "$T/j" --pdf --profile kdp -q &&
		if [ "$(images "$T/j/test-book.pdf")" = "/DeviceGray 1300 opaque" ]; then ok "kdp: a colour JPEG becomes DeviceGray"
		else no "kdp: JPEG" "$(images "$T/j/test-book.pdf")"; fi
	expect 0 "a JPEG in offset" "$OCTAVO" build "$B" -o "$T/j2" --pdf --profile offset -q &&
		if [ "$(images "$T/j2/test-book.pdf")" = "/DeviceCMYK 1300 opaque" ]; then ok "offset: a colour JPEG becomes DeviceCMYK"
		else no "offset: JPEG" "$(images "$T/j2/test-book.pdf")"; fi
else
	skip "press15: no cjpeg to make a JPEG"
fi

# Resolution at the placed size: the text width is 4.02 in.
mkbook "$B"
img "$B/images/low.png" 100 50 rgb
essay 'Text.\n\n![Low](images/low.png){width=100%%}\n'
expect 1 "a 25 ppi image in kdp" "$OCTAVO" build "$B" -o "$T/l" --pdf --profile kdp &&
	contains "kdp: 25 ppi is an error at its line" "$B/two.md:7:1: error: image 'images/low.png' is 25 ppi at its size in the book (4.02 x 2.01 in); Amazon KDP Print asks for 300 ppi"
expect 0 "a 25 ppi image on screen" "$OCTAVO" build "$B" -o "$T/l2" --pdf --profile screen -q && ok "screen: no resolution rule"
mkbook "$B"
img "$B/images/mid.png" 1000 500 rgb
essay 'Text.\n\n![Mid](images/mid.png)\n'
expect 0 "a 249 ppi image in lulu" "$OCTAVO" build "$B" -o "$T/m" --pdf --profile lulu &&
	contains "lulu: 249 ppi is a warning at its line" "$B/two.md:7:1: warning: image 'images/mid.png' is 249 ppi at its size in the book"
mkbook "$B"
img "$B/images/fine.png" 5000 1000 rgb
essay '![Fine](images/fine.png)\n'
expect 0 "a 1245 ppi image in kdp" "$OCTAVO" build "$B" -o "$T/f" --pdf --profile kdp -q &&
	w=$(images "$T/f/test-book.pdf" | awk '{print $2}') &&
	if [ "$w" -ge 2400 ] && [ "$w" -le 2420 ]; then ok "kdp: a 1245 ppi image resampled to 600 ppi ($w px)"
	else no "kdp: resampling" "width $w"; fi

# === preflight ====================================================================
# A screen PDF is no KDP file: preflight says which rules fail, exit 1.
expect 1 "preflight kdp of a screen PDF" "$OCTAVO" preflight "$ROOT/manuscript" -o "$T/e-screen" --profile kdp
printf '%s\n' "$out" | grep -q "^FAIL  interior  GTS_PDFXVersion: missing" && printf '%s\n' "$out" | grep -q "^FAIL  interior  bleed:" &&
	printf '%s\n' "$out" | grep -q "^FAIL  interior  output intent: missing" && ok "preflight: a screen PDF fails kdp's bleed, PDF/X keys and output intent" ||
	no "preflight: kdp of a screen PDF" "$out"
# An image under the printer's least resolution: FAIL, named at its line.
mkbook "$B"
img "$B/images/low.png" 100 50 rgb
essay 'Text.\n\n![Low](images/low.png){width=100%%}\n'
expect 0 "low image, screen build" "$OCTAVO" build "$B" -o "$T/p" --pdf -q --profile screen &&
	expect 1 "preflight kdp of a 25 ppi image" "$OCTAVO" preflight "$B" -o "$T/p" --profile kdp &&
	contains "preflight: the image's line" "$B/two.md:7:1: error: image 'images/low.png' is 25 ppi at its size in the print edition; Amazon KDP Print asks for 300 ppi" &&
	contains "preflight: the image's rule" "FAIL  interior  image: Im1 DeviceRGB 100 x 50 px, placed 4.02 x 2.01 in: 25 ppi ($B/two.md:7:1)"
# Two series that differ only by hue: a warning in a grey interior.
mkbook "$B"
img "$B/images/clash.png" 1300 600 clash
essay '![Two series](images/clash.png)\n'
expect 0 "clash image, kdp" "$OCTAVO" build "$B" -o "$T/c" --pdf -q --profile kdp &&
	expect 0 "preflight of the clash" "$OCTAVO" preflight "$B" -o "$T/c" --profile kdp &&
	contains "preflight: colours that print as the same grey" "$B/two.md:5:1: warning: image 'images/clash.png': its colours #8c8c8c and #d95f02 print as greys" &&
	contains "preflight: the grey rule" "WARN  interior  grey: 'images/clash.png' has two colours that print as greys within 10% ($B/two.md:5:1)"
# The edition's redrawn chart reads in grey.
expect 0 "preflight of the edition's chart" "$OCTAVO" preflight "$ROOT/manuscript" -o "$T/e-kdp" --profile kdp &&
	contains "preflight: the chart stays apart in grey" "PASS  interior  grey: 'images/funding-mix.png': its dominant colours stay apart in grey"
expect 3 "preflight with no PDF" "$OCTAVO" preflight "$B" -o "$T/none" --profile kdp && ok "preflight: no PDF to read is exit 3"
