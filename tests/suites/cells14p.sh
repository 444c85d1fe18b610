#!/bin/sh
# tests/suites/cells14p.sh - pictures in table cells, image sizes in ems,
# and the style's arrows (issue 14 items 3 and 7). tests/books/cells14p:
#
# - A picture in a cell is drawn at the size its author gave ({width=3cm},
#   {width=4em}, <img width=60>; {width=50%} of its column), no wider than
#   its column, its proportions kept: its row grows, the words beside it
#   set from the row's top as the EPUB's cells are; the column is as wide
#   as the picture (its min-content width). One asked wider than the page
#   takes half the measure, the words beside it the rest. A table of such
#   rows longer than a page repeats its head overleaf.
# - {width=3em}, {height=2em} and style="width: 4em" are ems of the body
#   type in the PDF and ems in the EPUB's CSS; <img width="2em"> (HTML's
#   attribute is pixels) and {width=3furlongs} are warned of at their
#   place, the picture at its usual size.
# - 'body: arrows: true' (cells.yaml) sets -> <- <-> => <=> (and cmark's
#   "-->") as arrows in the text of both editions, titles and captions
#   included, never in code; "<=", ">=", "->>" and "==>" stay as typed; off
#   (the default), the text keeps what was typed.
. "$ROOT/tests/lib.sh"
I=$ROOT/tests/books/cells14p
PDF=$T/o/cells14p.pdf
EPUB=$T/o/cells14p.epub
expect 0 "cells14p: the book builds" "$OCTAVO" build "$I" -o "$T/o" || exit 0
msgs=$out

# === pictures in cells, and ems =================================================
# each placing's printed width in points (pixels over resolution)
got=$(pdfimages -list "$PDF" 2>/dev/null | awk 'NR > 2 { printf "%.0f ", $4 / $13 * 72 }')
nth_each "cells14p: PDF: width (pt) of image" "$got" '19 cell, no size: as high as the type' \
	'85 cell, {width=3cm}' '57 cell, JPEG {width=2cm}' '42 cell, SVG {width=4em}: 4 x 10.5pt' \
	'45 cell, <img width=60>: 60 CSS px' '49 cell, {width=50%}: half its column' \
	'144 cell, {width=20cm}: half the measure, the words beside it the rest' \
	'57 long table, row 1 {width=2cm}' '57 long table, row 16 {width=2cm}'
n=$(printf '%s\n' "$got" | awk '{ for (i = 8; i <= 23; i++) if ($i == 57) n++ } END { print n + 0 }')
want "cells14p: PDF: all 16 of the long table's pictures at 2 cm" "$n" -eq 16
em=$(printf '%s\n' "$got" | awk '{ for (i = 24; i <= NF; i++) printf "%s ", $i }')
nth_each "cells14p: PDF: width (pt) of image in the ems part" "$em" '32 {width=3em}: 3 x 10.5pt' \
	'42 {height=2em}: 21pt high, twice as wide' '42 style="width: 4em"' \
	'21 <img width="2em">: unread, as high as the type' '21 {width=3furlongs}: unread' \
	'42 a figure {width=4em}'
# the row grows: the words beside the 3 cm mark start at the row's top, the
# next row's a mark's height below them
gap=$(pdftotext -bbox "$PDF" - 2>/dev/null | awk -F'"' '/>CELLTHREE</ { a = $4 } />JPEG</ { b = $4 } END { printf "%.0f", b - a }')
[ -n "$gap" ] && [ "$gap" -ge 45 ] && ok "cells14p: PDF: the 3 cm mark's row grows ($gap pt to the next)" ||
	no "cells14p: PDF: the row after the 3 cm mark is $gap pt below it, want >= 45"
top=$(pdftotext -bbox "$PDF" - 2>/dev/null | awk -F'"' '/>line</ && !m { m = $4 } />CELLTHREE</ { c = $4 } END { printf "%.0f", c - m }')
[ -n "$top" ] && [ "$top" -ge 10 ] && [ "$top" -le 20 ] &&
	ok "cells14p: PDF: the words beside the mark start at the row's top ($top pt below the row above)" ||
	no "cells14p: PDF: the words beside the mark are $top pt below the row above, want one line (10-20)"
heads=$(pdftotext -layout "$PDF" - 2>/dev/null | grep -c 'Row *Picture *Words' || true)
want "cells14p: PDF: the long table's head is set again overleaf" "$heads" -eq 2
out=$msgs
n=$(printf '%s\n' "$msgs" | grep -c 'no allowed break fits' || true)
want "cells14p: a chain a→b→...→z breaks after an arrow, where it may" "$n" -eq 0
n=$(printf '%s\n' "$msgs" | grep -c 'in a table cell' || true)
want "cells14p: no warning that a cell's picture is kept to the type" "$n" -eq 0
contains "cells14p: <img width=\"2em\"> is warned of at its place" \
	"02-em.md:14:26: warning: image width '2em' is not a size octavo can print at"
contains "cells14p: ... with a hint that ems go in style=" 'ems only in style="width: 3em"'
contains "cells14p: {width=3furlongs} is warned of at its place" \
	"02-em.md:17:29: warning: image width '3furlongs' is not a percentage of the text's width (like 60%) or a length (5cm, 2in, 120px, 3em)"
out=$(unzip -p "$EPUB" OEBPS/text/essay-01.xhtml OEBPS/text/essay-02.xhtml 2>/dev/null)
for s in 'alt="mark three" width="113" height="57" style="width: 113px; height: 57px; max-height: none"/>' \
	'alt="drawing em" width="56" height="28" style="width: 4em; height: auto; max-height: none"/>' \
	'alt="mark em" width="42" height="21" style="width: 3em; height: auto; max-height: none"/>' \
	'alt="mark tall" width="56" height="28" style="width: auto; height: 2em; max-height: none"/>' \
	'alt="mark style" width="56" height="28" style="width: 4em; height: auto; max-height: none"/>' \
	'width="56" height="28" style="width: 4em; height: auto"/>'; do
	contains "cells14p: EPUB: $s" "$s"
done

# === arrows =====================================================================
# (pdftotext reads the table's "A → B" at its size as one word, "A→B")
out=$(pdftotext "$PDF" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
for s in 'x → y sends' 'b ← a goes' 'p ⇒ q' 'q ⇔ p' 'a ↔ b' 'the long one → too' 'a <= b and a >= b' \
	'nor ->> nor ==>' 'a→b→c and z←y' 'typed: x -> y and p => q' 'fn(x) -> y' 'Pairs → places' \
	'A→B B←A' 'Arrows → Signs' 'Cells → Pictures'; do
	contains "cells14p: PDF: '$s'" "$s"
done
out=$(unzip -p "$EPUB" OEBPS/text/essay-03.xhtml OEBPS/nav.xhtml OEBPS/content.opf 2>/dev/null)
for s in 'x → y sends' 'a &lt;= b and a &gt;= b' '<code>x -&gt; y</code>' 'fn(x) -&gt; y' \
	'<caption>Pairs → places</caption>' '<td>A → B</td>' 'Arrows → Signs</a>' \
	'<dc:title id="title">Cells → Pictures</dc:title>'; do
	contains "cells14p: EPUB: '$s'" "$s"
done
epubcheck_ok cells14p "$EPUB"

# arrows off (the default): what was typed
B=$T/b
cp -r "$I" "$B"
sed -i "/arrows: true/d; s#\.\./\.\./\.\./#$ROOT/#" "$B/cells.yaml"
if expect 0 "cells14p: builds with no 'arrows'" "$OCTAVO" build "$B" -o "$T/off"; then
	text=$(pdftotext "$T/off/cells14p.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
	case $text in
	*'x -> y sends'*'p => q'*'a <-> b'*) ok "cells14p: no 'arrows': '->' as typed" ;;
	*) no "cells14p: no 'arrows': '->' as typed" "$text" ;;
	esac
	case $text in
	*→*) no "cells14p: no 'arrows': no arrow sign" "$text" ;;
	*) ok "cells14p: no 'arrows': no arrow sign" ;;
	esac
fi
# a bad value is the style's error at its place
sed -i 's/^  ligatures: true/  ligatures: true\n  arrows: sideways/' "$B/cells.yaml"
expect 1 "cells14p: 'arrows: sideways' is an error" "$OCTAVO" check "$B" &&
	contains "cells14p: ... at its place" "cells.yaml:18:11: error: 'arrows' must be true or false"
