#!/bin/sh
# tests/suites/images14m.sh - images at the size they ask for (issue 14
# item 7, qa14l's findings 1, 2 and 11). tests/books/images14m prints
# each picture at its author's size (<img width height>, style="width:",
# {width=4cm}, {width=} or width="50%" of the measure), else at its
# natural size (its pixels at the file's PNG pHYs or JPEG JFIF
# resolution, else 96 to the inch), made smaller to fit the measure and the text block, never
# larger; pdfimages -list gives each placing's pixels and ppi. Under the
# style's 'images: min-ppi' (150) a warning at the image's file:line:col,
# in build and check alike. The EPUB gives the same sizes; <details>
# keeps its <summary> as a label; a row of web badges reads apart.
. "$ROOT/tests/lib.sh"
I=$ROOT/tests/books/images14m
if expect 0 "images14m: the book builds" "$OCTAVO" build "$I" -o "$T/o"; then
	msgs=$out
	pdf=$T/o/images-at-their-size.pdf
	# each placing: its pixels and its resolution at its printed size
	got=$(pdfimages -list "$pdf" 2>/dev/null | awk 'NR > 2 { print $4 "x" $5 "@" $13 }' | tr '\n' ' ')
	# The tall picture: at most 60% of the text block (357 ppi), or as
	# small as the style's figure floor (pages: figure-floor, 40%: 536
	# ppi) where the page builder sets it down to fill a page (floats15's
	# smaller_floats, which does so here): either is the rule's size.
	tall=$(printf '%s\n' "$got" | awk '{ print $5 }')
	case $tall in 300x1500@*)
		[ "${tall#*@}" -ge 357 ] && [ "${tall#*@}" -le 536 ] &&
			got=$(printf '%s\n' "$got" | awk '{ $5 = "300x1500@357"; print }') ;;
	esac
	nth_each "images14m: PDF: image" "$got" '600x300@300 PNG at its pHYs 300 ppi (2 x 1 in)' \
		'400x200@200 JPEG at its JFIF density 200 ppi' \
		'240x120@96 PNG with no resolution: 96 ppi, not blown up to the measure' \
		'3000x600@747 wider than the measure: made smaller to fit it' \
		'300x1500@357 taller than the text block allows: made smaller (to 60%, or to the figure floor)' \
		'180x90@72 PNG at 72 ppi: its own size' \
		'600x300@187 {width=80%} of the measure' \
		'600x300@381 {width=4cm}: pandoc'"'"'s length' \
		'1500x750@374 SVG: the measure' \
		'240x120@192 <img width=120>: 120 CSS px' \
		'1500x750@1500 SVG <img width=96 height=48>: one inch' \
		'600x300@508 style="width: 3cm"' \
		'240x120@120 <img width=50%>: half the measure' \
		'600x300@300 <img width=12em>: its own size'
	out=$msgs
	for s in "01-natural.md:17:1: warning: image 'images/logo96.png' is 96 ppi at its size in the book (2.50 x 1.25 in); the style ('images: min-ppi') asks for 150 ppi" \
		"01-natural.md:29:1: warning: image 'images/icon72.png' is 72 ppi at its size in the book (2.50 x 1.25 in)" \
		"02-html.md:20:1: warning: image 'images/logo96.png' is 120 ppi at its size in the book" \
		"02-html.md:24:1: warning: image width '12em' is not a size octavo can print at; image 'images/mark300.png' is set at its own size" \
		"02-html.md:33:2: warning: image 'https://img.shields.io/badge/build-passing-green.svg' is not a file in the manuscript (octavo fetches nothing from the web)"; do
		contains "images14m: warns '${s%%: warning*}'" "$s"
	done
	n=$(printf '%s\n' "$msgs" | grep -c 'ppi at its size' || true)
	want "images14m: three images under 150 ppi, no more" "$n" -eq 3
	txt=$(pdftotext "$pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
	for s in 'build passing coverage 95%' 'Installation notes Run the installer'; do
		case $txt in
		*"$s"*) ok "images14m: PDF: '$s'" ;;
		*) no "images14m: PDF: '$s'" "$txt" ;;
		esac
	done
	# <summary>: space above it (a label, not a line run into the text)
	gap=$(pdftotext -layout "$pdf" - 2>/dev/null | grep -B1 'Installation notes' | head -1 | tr -d ' ')
	[ -z "$gap" ] && ok "images14m: PDF: a blank line's space above <summary>" ||
		no "images14m: PDF: a blank line's space above <summary>" "$gap"
	xh=$(unzip -p "$T/o/images-at-their-size.epub" OEBPS/text/essay-01.xhtml OEBPS/text/essay-02.xhtml 2>/dev/null)
	for s in 'src="../images/mark300.png" alt="A 600 by 300 mark saved at 300 pixels an inch" width="192" height="96"' \
		'src="../images/photo200.jpg" alt="A 400 by 200 gradient saved at 200 pixels an inch" width="192" height="96"' \
		'alt="The logo at 120 pixels" width="120" height="60"' \
		'alt="The mark again, 4 centimetres wide" width="151" height="76"' \
		'alt="The mark at 3 centimetres" width="113" height="57"' \
		'alt="The logo at half the measure" width="240" height="120" style="width: 50%; height: auto"' \
		'alt="The drawing at 96 by 48" width="96" height="48"' \
		'<details open="open">' '<summary><strong>Installation notes</strong></summary>' \
		'build passing</a> <a href="https://cov.example.org">coverage 95%</a>'; do
		case $xh in
		*"$s"*) ok "images14m: EPUB: '$s'" ;;
		*) no "images14m: EPUB: '$s'" "$xh" ;;
		esac
	done
	epubcheck_ok images14m "$T/o/images-at-their-size.epub"
fi
# check finds what the build finds, writing nothing
if expect 0 "images14m: check" "$OCTAVO" check "$I"; then
	n=$(printf '%s\n' "$out" | grep -c 'ppi at its size' || true)
	want "images14m: check: the same three images under 150 ppi" "$n" -eq 3
	contains "images14m: check: at the image's line" "01-natural.md:29:1: warning: image 'images/icon72.png' is 72 ppi"
fi
# the style's key: a lower floor, none, a bad value
B=$T/b
cp -r "$I" "$B"
style
printf 'images:\n  min-ppi: 100\n' >>"$B/mine.yaml"
if expect 0 "images14m: min-ppi 100 builds" "$OCTAVO" build "$B" -o "$T/o2"; then
	n=$(printf '%s\n' "$out" | grep -c 'ppi at its size' || true)
	want "images14m: min-ppi 100: two images under it" "$n" -eq 2
	contains "images14m: min-ppi 100: said so" "the style ('images: min-ppi') asks for 100 ppi"
fi
sed -i 's/min-ppi: 100/min-ppi: 0/' "$B/mine.yaml"
if expect 0 "images14m: min-ppi 0 builds" "$OCTAVO" build "$B" -o "$T/o3"; then
	n=$(printf '%s\n' "$out" | grep -c 'ppi at its size' || true)
	want "images14m: min-ppi 0: no resolution warnings" "$n" -eq 0
fi
sed -i 's/min-ppi: 0/min-ppi: lots/' "$B/mine.yaml"
if expect 1 "images14m: a bad min-ppi is an error" "$OCTAVO" build "$B" -o "$T/o4"; then
	contains "images14m: a bad min-ppi says what it takes" "mine.yaml:30:12: error: 'min-ppi' must be a number from 0 to 1200, such as '150'"
fi
