#!/bin/sh
# tests/suites/urls14n.sh - long URLs and code break between letters at a
# cost, and images in a line at the size asked for (issue 14 items 5
# and 7). tests/books/urls14n: Node's BUILDING.md paragraph whose
# address runs over two lines ('visit https://...' at r = 15.9 before),
# signing keys' fingerprints after a name (r = 7-36), a base64 code
# span (r = 12.4), a list of long constants (r = 6.9), and short code
# words ('actual', 'expected') that must never be parted; then a mark
# with no size (scaled to the type), {width=2cm}, {height=3cm} (its line
# grows), <img width=120>, {width=huge} (warned of) and {width=4cm} in a
# table cell (at 4 cm, its row grown: tests/suites/cells14p.sh).
. "$ROOT/tests/lib.sh"
B=$ROOT/tests/books/urls14n
# the report's lines of one part: "ratio<TAB>text", justified ones only
# (a last line or a line of a list's label reads 0)
lines_of() {
	printf '%s\n' "$out" | awk -F'\t' -v f="$1" 'index($1, f) { sub(/^r=/, "", $3); sub(/ .*/, "", $3); print $3 "\t" $4 }'
}
if expect 0 "urls14n: report --lines" "$OCTAVO" report --lines "$B"; then
	urls=$(lines_of 01-urls.md)
	worst=$(printf '%s\n' "$urls" | awk -F'\t' '$1 + 0 > w { w = $1 + 0 } END { print w + 0 }')
	if awk -v w="$worst" 'BEGIN { exit !(w <= 2) }'; then
		ok "urls14n: no line of the addresses and code part past r = 2 ($worst)"
	else
		no "urls14n: worst line of the addresses and code part r = $worst, want <= 2" "$urls"
	fi
	for s in 'visit https://boxstarter.org/package/nr/url?https://raw' \
		'Colin Ihrig <cjihrig@gmail.com> 94AE' \
		'Danielle Adams <adamzdanielle@gmail.com> 1C05' \
		'The checksum of the archive is given as c2hh'; do
		r=$(printf '%s\n' "$urls" | awk -F'\t' -v s="$s" 'index($2, s) == 1 { print $1 + 0; exit }')
		if [ -n "$r" ] && awk -v r="$r" 'BEGIN { exit !(r <= 1) }'; then
			ok "urls14n: '$s...' set at r <= 1 ($r)"
		else
			no "urls14n: '$s...': r = '$r', want a line at r <= 1" "$urls"
		fi
	done
	# a letter break adds no hyphen, and leaves three letters a side
	bad=$(printf '%s\n' "$urls" | awk -F'\t' '$2 ~ /(https|94AE|c2hh|WRAP)/ && $2 ~ /-[ ]*$/')
	[ -z "$bad" ] && ok "urls14n: no hyphen added at a break in an address or code" ||
		no "urls14n: a hyphen added at a break in an address or code" "$bad"
	# short code words stay whole: each is on one line
	for w in actual expected Microtask Timeout TCPSERVERWRAP FSREQCALLBACK; do
		printf '%s\n' "$urls" | cut -f2 | grep -qw -- "$w" && ok "urls14n: '$w' kept whole" ||
			no "urls14n: '$w' parted between lines" "$urls"
	done
	# the hash over two lines: its pieces read back as the whole
	joined=$(printf '%s\n' "$urls" | cut -f2 | tr -d '\n ')
	for s in 94AE36675C464D64BAFA68DD7434390BDBE9B9C5 \
		'raw.githubusercontent.com/nodejs/node/HEAD/tools/bootstrap/windows_boxstarter'; do
		case $joined in
		*"$s"*) ok "urls14n: '$s' whole across its lines" ;;
		*) no "urls14n: '$s' not whole across its lines" "$urls" ;;
		esac
	done
fi

if expect 0 "urls14n: the book builds" "$OCTAVO" build "$B" -o "$T/o"; then
	msgs=$out
	pdf=$T/o/urls14n.pdf
	# each inline placing's resolution: the 240 x 120 logo
	got=$(pdfimages -list "$pdf" 2>/dev/null | awk 'NR > 2 { print $13 }' | tr '\n' ' ')
	nth_each "urls14n: PDF: inline image (ppi)" "$got" '823 no size: as high as the type' \
		'305 {width=2cm}: 2 cm wide' \
		'102 {height=3cm}: 3 cm high' \
		'192 <img width=120>: 120 CSS px' \
		'823 {width=huge}: unread, as high as the type' \
		'152 {width=4cm} in a cell: 4 cm wide, its row grown'
	# the line with the 3 cm mark grows: its baseline a mark's height
	# below the line above's, not one leading
	gap=$(pdftotext -bbox "$pdf" - 2>/dev/null | awk -F'"' '/>ABOVEWORD</ { a = $8 } />BESIDEWORD</ { b = $8 } END { printf "%.0f", b - a }')
	[ -n "$gap" ] && [ "$gap" -ge 80 ] && ok "urls14n: PDF: the line under a 3 cm mark grows ($gap pt)" ||
		no "urls14n: PDF: the line with a 3 cm mark is $gap pt below the one above, want >= 80"
	out=$msgs
	contains "urls14n: an unreadable inline width is warned of at its place" \
		"02-images.md:17:25: warning: image width 'huge' is not a percentage"
	n=$(printf '%s\n' "$msgs" | grep -c 'in a table cell' || true)
	want "urls14n: a cell's image at its size, nothing to warn of" "$n" -eq 0
	x=$(unzip -p "$T/o/urls14n.epub" OEBPS/text/essay-02.xhtml 2>/dev/null)
	for s in 'alt="logo" width="240" height="120"/>' \
		'alt="logo two" width="76" height="38" style="width: 76px; height: 38px; max-height: none"/>' \
		'alt="logo html" width="120" height="60" style="width: 120px; height: 60px; max-height: none"/>'; do
		case $x in
		*"$s"*) ok "urls14n: EPUB: $s" ;;
		*) no "urls14n: EPUB: $s" "$(printf '%s\n' "$x" | grep -o '<img[^>]*>')" ;;
		esac
	done
	epubcheck_ok urls14n "$T/o/urls14n.epub"
fi
