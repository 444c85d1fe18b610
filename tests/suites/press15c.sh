#!/bin/sh
# tests/suites/press15c.sh - issue 15's third round: preflight checks the
# cover's spine against the interior beside it (the page count the cover
# recorded, and the spine's width against the interior's pages x the
# paper); PDF/X-1a:2001 files carry no key PDF 1.3 lacks but the Metadata
# the application notes allow; the SWOP output profile embedded is the
# 54 KB remake.
. "$ROOT/tests/lib.sh"
command -v qpdf >/dev/null || { skip "press15c: qpdf is not installed"; exit 0; }

# A small book with a print ISBN, a description and paragraphs enough for
# a few pages; grown later by more of them.
B=$T/b
mkbook
sed -i -e 's/^title: Test Book$/title: Test Book\ndescription: "A short book to test the spine of its cover against its interior."/' \
	-e 's/^identifiers:$/identifiers:\n  isbn-print: "978-0-306-40615-7"/' "$B/book.yaml"
para='Partnership between a department and the charities it funds rests on trust that is earned slowly and lost quickly, and the rules that govern it should say so plainly and early. '
body=''
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do body="$body$para$para$para\n\n"; done
essay "$body"
O=$T/o

# === the spine, cover and interior made together ================================
if expect 0 "kdp: the interior builds" "$OCTAVO" build "$B" -o "$O" --pdf --profile kdp -q &&
	expect 0 "kdp: the cover builds" "$OCTAVO" cover "$B" -o "$O" --profile kdp -q; then
	pages=$(pdfinfo "$O/test-book.pdf" | sed -n 's/^Pages: *//p')
	# the cover's page records what it was made for (PDF 1.3's page-piece dictionary)
	pg=$(qpdf --show-pages "$O/test-book-cover.pdf" | sed -n 's/^page 1: \([0-9]*\) .*/\1/p')
	obj=$(qpdf --show-object="$pg" "$O/test-book-cover.pdf")
	case $obj in
	*"/PieceInfo << /Octavo << /LastModified (D:"*"/Private << /Pages $pages /PaperMicrons 57.2008 "*)
		ok "the cover records the interior's $pages pages and its paper in /PieceInfo" ;;
	*) no "the cover records the interior's pages" "$obj" ;;
	esac
	case $obj in *"/LastModified (D:"*"/PieceInfo"*) ok "the page has the LastModified PieceInfo asks" ;; *) no "page LastModified" "$obj" ;; esac
	if expect 0 "preflight passes with the cover made for this interior" "$OCTAVO" preflight "$B" -o "$O" --profile kdp; then
		mm=$(awk -v p="$pages" 'BEGIN { printf "%.2f", p * 0.002252 * 25.4 }')
		has "the spine rule passes, its width from the wrap's trim" \
			"PASS  cover     spine: $mm mm; the interior's $pages pages x 0.002252 in (white paper) make $mm mm"
		has "the page count rule passes" \
			"PASS  cover     spine's pages: the cover was made for $pages pages, the interior has $pages"
	fi
	# === the interior grows: the old cover fails ===============================
	essay "$body$body"
	if expect 0 "kdp: the longer interior builds" "$OCTAVO" build "$B" -o "$O" --pdf --profile kdp -q; then
		more=$(pdfinfo "$O/test-book.pdf" | sed -n 's/^Pages: *//p')
		if [ "$more" -gt "$pages" ]; then ok "the interior grew ($pages -> $more pages)"; else no "the interior grew" "$pages -> $more"; fi
		if expect 1 "preflight fails a cover made for fewer pages (exit 1)" "$OCTAVO" preflight "$B" -o "$O" --profile kdp; then
			has "it names both counts" \
				"FAIL  cover     spine's pages: the cover was made for $pages pages, the interior has $more: make the cover again"
			contains "the spine's width fails too" "FAIL  cover     spine: "
		fi
		# the cover made again passes
		expect 0 "the cover again" "$OCTAVO" cover "$B" -o "$O" --profile kdp -q &&
			expect 0 "preflight passes once the cover is made again" "$OCTAVO" preflight "$B" -o "$O" --profile kdp &&
			ok "preflight passes once the cover is made again"
	fi
	# === the paper changes: same pages, another spine ===========================
	sed -i 's/^title: Test Book$/title: Test Book\npaper: cream/' "$B/book.yaml"
	if expect 1 "preflight fails a white-paper cover for a cream-paper book" "$OCTAVO" preflight "$B" -o "$O" --profile kdp; then
		contains "it says the cream paper's spine" "x 0.0025 in (cream paper) make"
	fi
fi

# === PDF/X-1a:2001 holds to PDF 1.3's keys; X-4 keeps its own =================
for p in kdp offset; do
	expect 0 "$p: the edition's interior builds" "$OCTAVO" build "$B" -o "$T/x-$p" --pdf --profile $p -q || continue
	f=$T/x-$p/test-book.pdf
	root=$(qpdf --show-object=trailer "$f" | sed -n 's/.*\/Root \([0-9]*\) 0 R.*/\1/p')
	cat=$(qpdf --show-object="$root" "$f")
	md=$(printf '%s\n' "$cat" | sed -n 's/.*\/Metadata \([0-9]*\) 0 R.*/\1/p')
	xmp=$(qpdf --show-object="$md" --filtered-stream-data "$f")
	if [ $p = kdp ]; then
		case $cat in *"/Lang"*) no "X-1a: no /Lang in the catalog (PDF 1.4)" "$cat" ;; *) ok "X-1a: no /Lang in the catalog (PDF 1.4)" ;; esac
		case $xmp in
		*pdfxid:*) no "X-1a: no pdfxid (ISO 15930-7's) in the XMP" "$xmp" ;;
		*"<pdfx:GTS_PDFXVersion>PDF/X-1:2001</pdfx:GTS_PDFXVersion>"*"<pdfx:GTS_PDFXConformance>PDF/X-1a:2001</pdfx:GTS_PDFXConformance>"*)
			ok "X-1a: the XMP says PDF/X-1a:2001 in the pdfx schema, as the Info dictionary" ;;
		*) no "X-1a: pdfx version in the XMP" "$xmp" ;;
		esac
		expect 0 "X-1a: preflight passes" "$OCTAVO" preflight "$B" -o "$T/x-$p" --profile $p &&
			has "X-1a: preflight checks the catalog's keys" "PASS  interior  PDF 1.3 keys: catalog has no later key"
		# the SWOP output profile embedded: the 54 KB remake, an output profile
		oi=$(printf '%s\n' "$cat" | sed -n 's/.*\/DestOutputProfile \([0-9]*\) 0 R.*/\1/p')
		n=$(qpdf --show-object="$oi" --filtered-stream-data "$f" | wc -c)
		cls=$(qpdf --show-object="$oi" --filtered-stream-data "$f" | dd bs=1 skip=12 count=8 2>/dev/null)
		if [ "$n" -gt 1000 ] && [ "$n" -lt 60000 ] && [ "$cls" = prtrCMYK ]; then
			ok "kdp: the SWOP output profile embedded is $n bytes, class prtr, CMYK"
		else
			no "kdp: the SWOP output profile embedded" "$n bytes, $cls"
		fi
	else
		case $cat in *"/Lang"*) ok "X-4: /Lang kept (PDF 1.6)" ;; *) no "X-4: /Lang kept" "$cat" ;; esac
		case $xmp in *"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"*) ok "X-4: pdfxid:GTS_PDFXVersion in the XMP" ;; *) no "X-4: pdfxid" "$xmp" ;; esac
	fi
done
