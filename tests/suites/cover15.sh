#!/bin/sh
# tests/suites/cover15.sh - 'octavo cover' (issue 15, item 4) and the EPUB's
# raster cover (issue 16): the wrap cover's size to 0.1 mm from the trim,
# the spine (pages x paper) and the bleed; its barcode read back by zbarimg
# from a 300 ppi render; bad and missing ISBNs at book.yaml's line with the
# previous cover untouched; the spine's text by the printers' rules; the
# paper key; the front image's resolution; the EPUB's cover-image (PNG,
# at least 1600 x 2560) read by epubcheck and calibre's ebook-meta.
. "$ROOT/tests/lib.sh"

need() { command -v "$1" >/dev/null 2>&1; }
# box FILE NAME: "x0 y0 x1 y1" of page 1's box NAME (MediaBox, TrimBox...)
box() { pdfinfo -box "$1" | sed -n "s/^$2: *//p" | tr -s ' '; }
# mm A B: B - A points in mm, to 0.01
mm() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) * 25.4 / 72 }'; }
# near NAME GOT WANT: |GOT - WANT| < 0.1 (mm)
near() {
	if awk -v g="$2" -v w="$3" 'BEGIN { d = g - w; exit !(d < 0.1 && d > -0.1) }'; then
		ok "$1 ($2 mm)"
	else
		no "$1" "got $2 mm, want $3 mm"
	fi
}

# === the edition's text with an ISBN ============================================
M=$T/m
cp -r "$ROOT/manuscript" "$M"
sed -i 's/isbn-print: ""/isbn-print: "978-0-306-40615-7"/' "$M/book.yaml"
isbn_line=$(grep -n 'isbn-print:' "$M/book.yaml" | cut -d: -f1)
O=$T/out
if expect 0 "the edition builds with its raster cover" "$OCTAVO" build "$M" -o "$O" -q; then
	pages=$(pdfinfo "$O/civil-dialogue.pdf" | sed -n 's/^Pages: *//p')
	ok "the edition builds with its raster cover ($pages pages)"
fi
pages=${pages:-0}

# --- the size: 2 x trim + spine + 2 x bleed ---
for prof in kdp lulu offset; do
	expect 0 "cover --profile $prof" "$OCTAVO" cover "$M" -o "$O/$prof" --profile $prof -q || continue
	f="$O/$prof/civil-dialogue-cover.pdf"
	# the spine holds the interior as the profile pads it (press15b):
	# to even, or to a 16-page signature for offset
	case $prof in offset) sig=16 ;; *) sig=2 ;; esac
	leaves=$(( (pages + sig - 1) / sig * sig ))
	case $prof in
	kdp) bleed=3.175 spine=$(awk -v p="$leaves" 'BEGIN { print p * 0.002252 * 25.4 }') ;;
	lulu) bleed=3.175 spine=$(awk -v p="$leaves" 'BEGIN { print (p / 444 + 0.06) * 25.4 }') ;;
	offset) bleed=3 spine=$(awk -v p="$leaves" 'BEGIN { print p * 0.002252 * 25.4 }') ;;
	esac
	# the bleed box: offset's media box holds crop marks beyond it
	set -- $(box "$f" BleedBox)
	bx=$1
	near "$prof: cover width = 2 x 138 mm + spine + 2 x bleed" "$(mm "$1" "$3")" \
		"$(awk -v s="$spine" -v b="$bleed" 'BEGIN { print 276 + s + 2 * b }')"
	near "$prof: cover height = 216 mm + 2 x bleed" "$(mm "$2" "$4")" \
		"$(awk -v b="$bleed" 'BEGIN { print 216 + 2 * b }')"
	set -- $(box "$f" TrimBox)
	near "$prof: trim box = 2 x trim + spine" "$(mm "$1" "$3")" \
		"$(awk -v s="$spine" 'BEGIN { print 276 + s }')"
	near "$prof: trim box inset by the bleed" "$(mm "$bx" "$1")" "$bleed"
done

# --- the barcode, read back ---
if need zbarimg && need pdftoppm; then
	pdftoppm -r 300 -png -singlefile "$O/kdp/civil-dialogue-cover.pdf" "$T/c300"
	got=$(zbarimg -q --raw "$T/c300.png" 2>/dev/null)
	if [ "$got" = 9780306406157 ]; then
		ok "zbarimg reads the barcode at 300 ppi as the ISBN 9780306406157"
	else
		no "zbarimg reads the barcode at 300 ppi" "got '$got'"
	fi
	got=$(pdftotext "$O/kdp/civil-dialogue-cover.pdf" - | tr -s ' \n' '  ')
	case $got in
	*"ISBN 978-0-306-40615-7"*) ok "the ISBN in figures above the bars" ;;
	*) no "the ISBN in figures above the bars" "$got" ;;
	esac
	case $got in
	*"Twenty-one essays by leading"*"vision statement."*) ok "the back holds the description" ;;
	*) no "the back holds the description" "$got" ;;
	esac
else
	skip "zbarimg or pdftoppm missing (apt-get install zbar-tools poppler-utils)"
fi

# --- the spine: text on 131 pages of cream at KDP, none under 80 pages ---
sed -i 's/^slug:/paper: cream\nslug:/' "$M/book.yaml"
if expect 0 "cover on cream paper" "$OCTAVO" cover "$M" -o "$O/cream" --profile kdp; then
	set -- $(box "$O/cream/civil-dialogue-cover.pdf" TrimBox)
	near "cream: spine = pages (kdp: made even) x 0.0025 in" "$(mm "$1" "$3")" \
		"$(awk -v p="$(( (pages + 1) / 2 * 2 ))" 'BEGIN { print 276 + p * 0.0025 * 25.4 }')"
	contains "cream: the summary gives the spine and its paper" "x 0.00250 in, cream paper"
	# the spine's text, running down: pdftotext finds the title twice
	n=$(pdftotext "$O/cream/civil-dialogue-cover.pdf" - | grep -c "Civil Dialogue")
	if [ "$n" -ge 2 ]; then ok "cream: the title on the spine too"; else no "cream: the title on the spine too" "$n"; fi
fi
sed -i 's/^paper: cream$/paper: 400ppi/' "$M/book.yaml"
if expect 0 "cover on 400 pages to the inch" "$OCTAVO" cover "$M" -o "$O/ppi" -q; then
	set -- $(box "$O/ppi/civil-dialogue-cover.pdf" TrimBox)
	near "400ppi: spine = pages / 400 in" "$(mm "$1" "$3")" \
		"$(awk -v p="$pages" 'BEGIN { print 276 + p / 400 * 25.4 }')"
fi
sed -i 's/^paper: 400ppi$/paper: thick/' "$M/book.yaml"
pl=$(grep -n '^paper:' "$M/book.yaml" | cut -d: -f1)
expect 1 "an unknown paper is an error" "$OCTAVO" cover "$M" -o "$O/ppi" &&
	contains "an unknown paper is an error at its line" "book.yaml:$pl:8: error: 'paper' must be white, cream"
sed -i '/^paper:/d' "$M/book.yaml"

# --- determinism and the guides ---
cp "$O/kdp/civil-dialogue-cover.pdf" "$T/c1.pdf"
if expect 0 "a second cover" "$OCTAVO" cover "$M" -o "$O/kdp" --profile kdp -q; then
	cmp -s "$O/kdp/civil-dialogue-cover.pdf" "$T/c1.pdf" &&
		ok "two covers are byte-identical" || no "two covers are byte-identical"
fi
if expect 0 "cover --proof" "$OCTAVO" cover "$M" -o "$O/proof" --profile kdp --proof -q; then
	qpdf --qdf --object-streams=disable "$O/proof/civil-dialogue-cover.pdf" "$T/q.pdf" 2>/dev/null
	n=$(grep -ac ' re S$\| l S$' "$T/q.pdf")
	if [ "$n" -ge 6 ]; then ok "--proof draws the trim, folds and safe areas ($n guides)"; else no "--proof draws guides" "$n"; fi
	qpdf --qdf --object-streams=disable "$O/kdp/civil-dialogue-cover.pdf" "$T/q0.pdf" 2>/dev/null
	n=$(grep -ac ' re S$\| l S$' "$T/q0.pdf")
	if [ "$n" -eq 0 ]; then ok "no guides without --proof"; else no "no guides without --proof" "$n"; fi
fi
expect 2 "an unknown profile is a usage error" "$OCTAVO" cover "$M" -o "$O" --profile kpd &&
	contains "an unknown profile: did you mean" "did you mean 'kdp'?"

# --- a bad ISBN and none: errors at book.yaml's line, the cover untouched ---
cp "$O/kdp/civil-dialogue-cover.pdf" "$T/before.pdf"
sed -i 's/978-0-306-40615-7/978-0-306-40615-8/' "$M/book.yaml"
if expect 1 "a wrong check digit is an error" "$OCTAVO" cover "$M" -o "$O/kdp" --profile kdp; then
	contains "a wrong check digit, at book.yaml's line" \
		"book.yaml:$isbn_line:15: error: '978-0-306-40615-8' is not a valid ISBN-13"
	if cmp -s "$T/before.pdf" "$O/kdp/civil-dialogue-cover.pdf"; then
		ok "a bad ISBN leaves the previous cover untouched"
	else
		no "a bad ISBN leaves the previous cover untouched"
	fi
fi
sed -i 's/isbn-print: "978-0-306-40615-8"/isbn-print: ""/' "$M/book.yaml"
if expect 1 "a cover without a print ISBN is an error" "$OCTAVO" cover "$M" -o "$O/kdp" --profile kdp; then
	contains "no print ISBN, at book.yaml's line" \
		"book.yaml:$isbn_line:15: error: a print cover needs the print ISBN for its barcode"
	cmp -s "$T/before.pdf" "$O/kdp/civil-dialogue-cover.pdf" &&
		ok "no ISBN leaves the previous cover untouched" || no "no ISBN leaves the previous cover untouched"
fi
sed -i 's/isbn-print: ""/isbn-print: "979-10-90636-07-1"/' "$M/book.yaml"
expect 0 "a 979 ISBN" "$OCTAVO" cover "$M" -o "$O/979" -q && ok "a 979 ISBN makes a cover"

# --- the EPUB's raster cover ---
E=$T/epub
mkdir -p "$E" && (cd "$E" && unzip -q "$O/civil-dialogue.epub")
got=$(python3 - "$E" <<'PY'
import re, struct, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
ns = {"o": "http://www.idpf.org/2007/opf"}
opf = ET.parse(root + "/OEBPS/content.opf").getroot()
items = [i for i in opf.iter("{http://www.idpf.org/2007/opf}item")
         if "cover-image" in (i.get("properties") or "").split()]
if len(items) != 1:
    print("cover-image items:", len(items)); sys.exit()
it = items[0]
data = open(root + "/OEBPS/" + it.get("href"), "rb").read()
if it.get("media-type") != "image/png" or data[:8] != b"\x89PNG\r\n\x1a\n":
    print("not a PNG:", it.get("media-type")); sys.exit()
w, h = struct.unpack(">II", data[16:24])
print(f"{w}x{h}" if w >= 1600 and h >= 2560 else f"too small: {w}x{h}")
PY
)
case $got in
*x*) case $got in too*) no "the EPUB's cover-image is at least 1600 x 2560" "$got" ;; *) ok "the EPUB's cover-image is a PNG of $got (at least 1600 x 2560)" ;; esac ;;
*) no "the EPUB's cover-image is a PNG" "$got" ;;
esac
grep -q 'src="../images/cover.png"' "$E/OEBPS/text/cover.xhtml" &&
	ok "the cover page shows the raster cover" || no "the cover page shows the raster cover"
if [ -f /usr/bin/epubcheck ] && need java; then
	out=$(java -jar /usr/bin/epubcheck "$O/civil-dialogue.epub" 2>&1)
	contains "epubcheck: 0 errors with the raster cover" "0 fatals / 0 errors / 0 warnings"
else
	skip "epubcheck missing"
fi
if need ebook-meta; then
	ebook-meta "$O/civil-dialogue.epub" --get-cover="$T/meta-cover.png" >/dev/null 2>&1
	if [ -s "$T/meta-cover.png" ] && cmp -s "$T/meta-cover.png" "$E/OEBPS/images/cover.png"; then
		ok "calibre's ebook-meta finds the raster cover"
	else
		no "calibre's ebook-meta finds the raster cover"
	fi
	# calibre's AZW3 takes the cover, not the chart (issue 16): its cover
	# has the raster cover's shape (calibre resizes it)
	if need ebook-convert && ebook-convert "$O/civil-dialogue.epub" "$T/c.azw3" >/dev/null 2>&1 &&
		ebook-meta "$T/c.azw3" --get-cover="$T/azw-cover.jpg" >/dev/null 2>&1; then
		r=$(file "$T/azw-cover.jpg" | sed -n 's/.*, \([0-9]*\)x\([0-9]*\),.*/\1 \2/p')
		if [ -n "$r" ] && awk -v w="${r% *}" -v h="${r#* }" 'BEGIN { d = w / h - 1636 / 2560; exit !(d < 0.01 && d > -0.01) }'; then
			ok "ebook-convert's AZW3 takes the raster cover ($r)"
		else
			no "ebook-convert's AZW3 takes the raster cover" "$r"
		fi
	else
		skip "ebook-convert to AZW3 failed or is missing"
	fi
else
	skip "calibre's ebook-meta missing"
fi
# kept, not rendered again; the same bytes either way
ino=$(stat -c %i "$O/.civil-dialogue.cover-png" 2>/dev/null)
expect 0 "a second build" "$OCTAVO" build "$M" -o "$O" -q --epub
[ -n "$ino" ] && [ "$ino" = "$(stat -c %i "$O/.civil-dialogue.cover-png")" ] &&
	ok "a kept raster cover is used, not rendered again" ||
	no "a kept raster cover is used, not rendered again"
expect 0 "a build without the kept cover" "$OCTAVO" build "$M" -o "$T/fresh" -q --epub
(cd "$T" && mkdir x1 x2 && cd x1 && unzip -q "$O/civil-dialogue.epub" && cd ../x2 && unzip -q "$T/fresh/civil-dialogue.epub")
cmp -s "$T/x1/OEBPS/images/cover.png" "$T/x2/OEBPS/images/cover.png" &&
	ok "the raster cover is the same rendered or kept" || no "the raster cover is the same rendered or kept"

# === a small book: the spine's rules, the front image ===========================
B=$T/small
mkbook "$B"
cat >>"$B/book.yaml" <<'YAML'
publisher: A Press
description: A short book about covers.
YAML
sed -i 's|^  uuid: \(.*\)|  uuid: \1\n  isbn-print: 9780306406157|' "$B/book.yaml"
if expect 0 "a 12-page book's cover" "$OCTAVO" cover "$B" -o "$B/out" --profile kdp; then
	contains "KDP: no spine text under its page minimum" \
		"warning: the spine carries no text: kdp prints spine text only on books of 80 pages or more"
fi
if expect 0 "a thin book's cover without a profile" "$OCTAVO" cover "$B" -o "$B/out"; then
	contains "a spine too thin for its text: a warning" "is too thin for 6 pt type"
fi
# the front image: 300 x 450 pixels across ~4 in is ~75 ppi: an error at its line
python3 - "$B/images/front.png" 300 450 <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
w, h = int(sys.argv[2]), int(sys.argv[3])
raw = b''.join(b'\x00' + bytes((x * 7 + y) & 255 for x in range(w)) for y in range(h))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
printf 'cover-image: images/front.png\n' >>"$B/book.yaml"
il=$(grep -n '^cover-image:' "$B/book.yaml" | cut -d: -f1)
cp "$B/out/test-book-cover.pdf" "$T/small-before.pdf"
if expect 1 "a front image under 200 ppi is an error" "$OCTAVO" cover "$B" -o "$B/out"; then
	contains "a front image under 200 ppi, at its line" "book.yaml:$il:14: error: cover image 'images/front.png' is"
	cmp -s "$T/small-before.pdf" "$B/out/test-book-cover.pdf" &&
		ok "a failed cover leaves the previous one untouched" || no "a failed cover leaves the previous one untouched"
fi
python3 - "$B/images/front.png" 1400 1000 <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
w, h = int(sys.argv[2]), int(sys.argv[3])
raw = b''.join(b'\x00' + bytes(((x // 50 + y // 50) % 2) * 200 for x in range(w)) for y in range(h))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
if expect 0 "a front image of 300 ppi or more" "$OCTAVO" cover "$B" -o "$B/out"; then
	n=$(pdfimages -list "$B/out/test-book-cover.pdf" 2>/dev/null | awk 'NR > 2' | wc -l)
	[ "$n" -eq 1 ] && ok "the front image is on the cover" || no "the front image is on the cover" "$n images"
	case $out in *"cover image"*) no "no resolution warning at 300 ppi or more" "$out" ;; *) ok "no resolution warning at 300 ppi or more" ;; esac
fi
