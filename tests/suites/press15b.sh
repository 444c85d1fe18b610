#!/bin/sh
# tests/suites/press15b.sh - issue 15's remainders: the wrap cover as the
# interior's PDF/X (every profile, read back by press15b-cover.py through
# qpdf --json, Ghostscript silent, 'octavo preflight' passing), its accent
# and picture in CMYK, offset's crop marks; 'octavo check' running the
# resolution rules as the build does; 'octavo proof' cropping each page at
# its own trim box when the profile gives no bleed at the spine.
. "$ROOT/tests/lib.sh"
command -v qpdf >/dev/null || { skip "press15b: qpdf is not installed"; exit 0; }
CHECK="$ROOT/tests/suites/press15b-cover.py"
INK="$ROOT/tests/suites/press15b-ink.py"

# === the cover of every profile is PDF/X =========================================
M=$T/m
cp -r "$ROOT/manuscript" "$M"
sed -i 's/isbn-print: ""/isbn-print: "978-0-306-40615-7"/' "$M/book.yaml"
for p in ingramspark kdp lulu offset; do
	O=$T/c-$p
	expect 0 "$p: the interior builds" "$OCTAVO" build "$M" -o "$O" --pdf --profile $p -q || continue
	expect 0 "$p: the cover builds" "$OCTAVO" cover "$M" -o "$O" --profile $p -q || continue
	f=$O/civil-dialogue-cover.pdf
	python3 "$CHECK" "$f" $p
	if command -v gs >/dev/null; then
		g=$(gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=nullpage "$f" 2>&1)
		if [ -z "$g" ]; then ok "$p: Ghostscript reads the cover without a word"; else no "$p: Ghostscript" "$g"; fi
	fi
	if expect 0 "$p: preflight passes, cover and all" "$OCTAVO" preflight "$M" -o "$O" --profile $p; then
		ok "$p: preflight passes, cover and all"
		n=$(printf '%s\n' "$out" | grep -c '^PASS  cover')
		if [ "$n" -ge 12 ]; then ok "$p: preflight read the cover ($n rules passed)"; else no "$p: preflight read the cover" "$out"; fi
	fi
	# the spine holds the interior's pages as printed, pad blanks included
	pages=$(pdfinfo "$O/civil-dialogue.pdf" | sed -n 's/^Pages: *//p')
	expect 0 "$p: the cover again, not quiet" "$OCTAVO" cover "$M" -o "$O" --profile $p &&
		contains "$p: the spine counts the interior's $pages pages" "($pages pages x"
done
# the offset cover: crop marks outside the bleed, fold marks at the spine
f=$T/c-offset/civil-dialogue-cover.pdf
if [ -f "$f" ]; then
	q=$(qpdf --qdf --object-streams=disable "$f" - | tr -d '\r')
	n=$(printf '%s\n' "$q" | grep -aoE '[0-9.]+ [0-9.]+ m [0-9.]+ [0-9.]+ l' | wc -l)
	if [ "$n" -eq 12 ]; then ok "offset cover: 8 crop and 4 fold marks drawn ($n strokes)"; else no "offset cover: marks" "$n"; fi
	# a render: the marks are ink beyond the bleed box, in the corners
	if command -v pdftoppm >/dev/null; then
		# the media's top left 36 x 18 pt, above the bleed box: the
		# trim's left edge (at 26.5 pt) carries on there as a mark
		pdftoppm -r 72 -png -singlefile -x 0 -y 0 -W 36 -H 18 "$f" "$T/corner"
		set -- $(python3 "$INK" "$T/corner.png")
		if [ "$1" -ge 25 ] && [ "$3" -le 28 ] && [ "$4" -lt 18 ]; then ok "offset cover: a crop mark in the media's corner, outside the bleed"; else no "offset cover: crop mark in the corner" "$*"; fi
	fi
fi
# no profile: a plain PDF, as before (the accent stays RGB for the EPUB's raster)
if expect 0 "a cover with no profile" "$OCTAVO" cover "$M" -o "$T/c-none" -q; then
	v=$(head -c 8 "$T/c-none/civil-dialogue-cover.pdf")
	if [ "$v" = "%PDF-1.3" ] && ! grep -aq GTS_PDFX "$T/c-none/civil-dialogue-cover.pdf"; then
		ok "no profile: a plain PDF cover"
	else
		no "no profile: a plain PDF cover" "$v"
	fi
fi
# the same cover twice: the same bytes
"$OCTAVO" cover "$M" -o "$T/c-again" --profile kdp -q && "$OCTAVO" cover "$M" -o "$T/c-again2" --profile kdp -q
if cmp -s "$T/c-again/civil-dialogue-cover.pdf" "$T/c-again2/civil-dialogue-cover.pdf"; then
	ok "a PDF/X cover is deterministic"
else
	no "a PDF/X cover is deterministic"
fi
# the back's ligatures are drawn (the fi of 'figures' was glyph 0)
if command -v pdftotext >/dev/null; then
	case $(pdftotext "$T/c-kdp/civil-dialogue-cover.pdf" - | tr -s ' \n' '  ') in
	*"leading figures from"*) ok "the back's fi ligature is drawn and reads back" ;;
	*) no "the back's fi ligature" "$(pdftotext "$T/c-kdp/civil-dialogue-cover.pdf" - | head -4)" ;;
	esac
fi

# === a front picture in RGB becomes CMYK in an X-1a cover ==========================
B=$T/b
mkbook "$B"
sed -i 's/^identifiers:/identifiers:\n  isbn-print: "978-0-306-40615-7"/' "$B/book.yaml"
printf 'description: "A test."\ncover-image: images/front.png\n' >>"$B/book.yaml"
python3 - "$B/images/front.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
w, h = 1200, 900
raw = b''.join(b'\x00' + bytes(v for x in range(w) for v in ((x * 255) // w, (y * 255) // h, 128)) for y in range(h))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                              + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
if expect 0 "an RGB front picture on a kdp cover" "$OCTAVO" cover "$B" -o "$T/bo" --profile kdp -q; then
	python3 "$CHECK" "$T/bo/test-book-cover.pdf" kdp
	if qpdf --json "$T/bo/test-book-cover.pdf" | grep -q '"/ColorSpace": "/DeviceCMYK"'; then
		ok "kdp cover: the picture converted to CMYK"
	else
		no "kdp cover: the picture converted to CMYK"
	fi
fi

# === check runs the resolution rules as build does ================================
B=$T/k
mkbook "$B"
style '$a print: kdp'
python3 - "$B/images" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
def png(path, w, h):
    raw = b''.join(b'\x00' + bytes((x * 7 + y * 3) % 256 for x in range(w)) for y in range(h))
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
png(sys.argv[1] + '/low.png', 300, 200)
png(sys.argv[1] + '/mid.png', 1000, 600)
png(sys.argv[1] + '/fine.png', 1400, 840)
PY
essay 'Some text.\n\n![A low one](images/low.png){width=100%%}\n\nMore text.\n\n![A middling one](images/mid.png)\n\n![A fine one](images/fine.png)\n'
if expect 1 "check: an image under 200 ppi is an error (style print: kdp)" "$OCTAVO" check "$B"; then
	ok "check: an image under 200 ppi is an error (style print: kdp)"
	contains "check: the error at the image's line" "two.md:7:1: error: image 'images/low.png' is 75 ppi at its size"
	contains "check: the warning at the image's line" "two.md:11:1: warning: image 'images/mid.png' is 249 ppi"
	case $out in *fine.png*) no "check: a 300+ ppi image passes" "$out" ;; *) ok "check: a 300+ ppi image passes" ;; esac
	chk=$(printf '%s\n' "$out" | grep -E 'ppi|hint: at this size')
	expect 1 "build stops on the same" "$OCTAVO" build "$B" -o "$T/ko"
	bld=$(printf '%s\n' "$out" | grep -E 'ppi|hint: at this size')
	if [ "$chk" = "$bld" ] && [ -n "$chk" ]; then ok "check and build say the same, word for word"; else no "check and build say the same" "check: $chk
build: $bld"; fi
fi
expect 0 "check --profile screen: no resolution rules" "$OCTAVO" check "$B" --profile screen
case $out in *ppi*) no "check --profile screen: no ppi findings" "$out" ;; *) ok "check --profile screen: no ppi findings" ;; esac
expect 2 "check --profile kpd: a usage error" "$OCTAVO" check "$B" --profile kpd &&
	contains "check --profile kpd: did you mean" "kdp"

# === proof crops at the trim box, wherever the profile puts it ======================
if command -v pdftoppm >/dev/null && command -v pdfinfo >/dev/null; then
	B=$T/p
	mkbook "$B"
	style
	para='The quick brown fox jumps over the lazy dog and keeps running along the bank. '
	body=$(for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do printf '%s' "$para$para$para$para"; printf '\\n\\n'; done)
	essay "$body"
	cp "$B/mine.yaml" "$B/plain.yaml"
	ref=""
	for p in none kdp ingramspark lulu offset; do
		cp "$B/plain.yaml" "$B/mine.yaml"
		[ $p = none ] || printf 'print: %s\n' $p >>"$B/mine.yaml"
		expect 0 "proof --pages, print: $p" "$OCTAVO" proof "$B" -o "$T/po-$p" --pages -q || continue
		# page 3 (a recto) and page 4 (a verso): the ink's box in each trimmed page
		# (pixels: the crop lands within 2 of the plain proof's; half
		# a bleed, the old error, is 6 at 100 dpi)
		got="$(python3 "$INK" "$T/po-$p/test-book-page-003.png") $(python3 "$INK" "$T/po-$p/test-book-page-004.png")"
		if [ $p = none ]; then
			ref=$got
			ok "proof: the style's centred trim, ink at $got"
		elif python3 -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split(); sys.exit(not (len(a) == len(b) == 12 and all(abs(int(x) - int(y)) <= 2 for x, y in zip(a, b))))' "$got" "$ref"; then
			ok "proof, print: $p: each page cut at its trim box (ink where the plain proof has it)"
		else
			no "proof, print: $p: each page cut at its trim box" "got $got, want $ref"
		fi
	done
	n=$(ls "$T/po-offset" | grep -c 'page-[0-9]*\.png$')
	m=$(ls "$T/po-none" | grep -c 'page-[0-9]*\.png$')
	if [ "$n" = "$m" ]; then ok "proof under offset: the laid-out pages, not the signature's blanks ($n)"; else no "proof under offset: pages" "$n vs $m"; fi
else
	skip "proof: pdftoppm or pdfinfo missing (apt-get install poppler-utils)"
fi
