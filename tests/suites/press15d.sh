#!/bin/sh
# tests/suites/press15d.sh - issue 15's remainders (press15d):
#  - 'octavo cover' reads only book.yaml and the style while its page-count
#    record holds (no Markdown parsed: a part's parse-time warning is not
#    said again), and the record's key follows every input of the page
#    count - a part's text, an image's file - but not an output folder
#    inside the manuscript, nor the manuscript as the output folder;
#  - an SVG's resolution is its rendering's (300 ppi at 5 in), not its
#    CSS pixels': a print profile takes a 200 x 100 CSS-pixel SVG at 2 in;
#  - the PDF's XMP names each creator once.
. "$ROOT/tests/lib.sh"

B=$T/b
mkbook "$B"
sed -i 's|^  uuid: \(.*\)$|  uuid: \1\n  isbn-print: "978-0-306-40615-7"|' "$B/book.yaml"
printf 'revised: 2026-01-02\n' >>"$B/book.yaml"
# A parse-time warning (math is set as code) tells whether two.md was parsed.
printf -- '---\ntitle: "Two"\nauthor: "Another"\n---\n\nSecond essay text, with $x^2$ in it.\n' >"$B/two.md"
png "$B/images/dot.png" 40 40

# record DIR: the cover's page-count record in DIR ("KEY PAGES")
record() { cat "$1/.test-book.cover-pages" 2>/dev/null; }

# --- the record: kept, read back without parsing --------------------------------
O=$T/o1
if expect 0 "cover, first" "$OCTAVO" cover "$B" -o "$O" --profile kdp; then
	contains "the first cover parses the parts (their warnings)" "is set as code"
	r1=$(record "$O")
	[ -n "$r1" ] && ok "the page count is on record ($r1)" || no "no record in $O" "$(ls -a "$O")"
	cp "$O/test-book-cover.pdf" "$T/first.pdf"
	if expect 0 "cover, second" "$OCTAVO" cover "$B" -o "$O" --profile kdp; then
		if printf '%s\n' "$out" | grep -q "is set as code"; then
			no "the second cover parsed the Markdown again" "$out"
		else
			ok "the second cover parses no Markdown (no part's warning)"
		fi
		[ "$(record "$O")" = "$r1" ] && ok "the record is the same" || no "record changed" "$(record "$O")"
		cmp -s "$O/test-book-cover.pdf" "$T/first.pdf" &&
			ok "the cover from the record has the same bytes" || no "the covers differ"
	fi
fi

# --- what changes the key ---------------------------------------------------------
# A part's text: parsed and laid out again, the new count on record.
python3 - "$B/one.md" <<'PY'
import sys
p = sys.argv[1]
open(p, "a").write("".join("\nA paragraph of filler text, number %d, to make the book longer than "
                           "it was, page after page after page.\n" % i for i in range(400)))
PY
if expect 0 "cover after a part grew" "$OCTAVO" cover "$B" -o "$O" --profile kdp; then
	contains "a changed part is parsed again" "is set as code"
	p1=${r1#* } p2=$(record "$O" | cut -d' ' -f2)
	[ "${p2:-0}" -gt "${p1:-0}" ] && ok "the page count follows the part ($p1 -> $p2 pages)" ||
		no "page count after the part grew: $p1 -> $p2"
fi
r2=$(record "$O")
# An image file of the manuscript, listed in no part yet: another size.
png "$B/images/dot.png" 41 40
expect 0 "cover after an image changed" "$OCTAVO" cover "$B" -o "$O" --profile kdp &&
	contains "a changed image means the book is read again" "is set as code"
[ "$(record "$O" | cut -d' ' -f1)" != "${r2%% *}" ] && ok "an image's change changes the key" ||
	no "the key did not follow the image" "$(record "$O")"
# An editor's hidden swap file is no input.
r3=$(record "$O")
: >"$B/.one.md.swp"
expect 0 "cover beside a hidden file" "$OCTAVO" cover "$B" -o "$O" --profile kdp &&
	[ "$(record "$O")" = "$r3" ] && ok "a hidden file leaves the key as it was" ||
	no "a hidden file changed the key" "$(record "$O")"

# --- output folders inside the manuscript ------------------------------------------
for o in "$B/out" "$B"; do
	expect 0 "cover into $o" "$OCTAVO" cover "$B" -o "$o" --profile kdp || continue
	ra=$(record "$o")
	expect 0 "cover into $o, again" "$OCTAVO" cover "$B" -o "$o" --profile kdp &&
		if printf '%s\n' "$out" | grep -q "is set as code"; then
			no "cover into $o: the second parsed the book again (its own output changed the key)" "$out"
		elif [ "$(record "$o")" = "$ra" ]; then
			ok "cover into ${o#"$T"/}: the second reads the record (its outputs are no inputs)"
		else
			no "cover into $o: record changed" "$(record "$o")"
		fi
done

# --- an SVG's resolution ---------------------------------------------------------
if ! expect 0 "an SVG renders (librsvg)" "$OCTAVO" build "$ROOT/tests/books/dialect" -o "$T/svg0" --pdf -q; then
	skip "SVG resolution (the dialect book does not build)"
else
	S=$T/s
	mkbook "$S"
	cp "$ROOT/tests/books/dialect/images/shapes.svg" "$S/images/"
	essay_s() { printf -- "---\ntitle: \"Two\"\n---\n\n$1" >"$S/two.md"; }
	# 200 x 100 CSS pixels at half the measure (about 2 in): 100 ppi by its
	# CSS size, 750 by the 1500 x 750 pixels the PDF gets.
	essay_s 'Text.\n\n![Shapes](images/shapes.svg){width=50%%}\n'
	if expect 0 "kdp takes an SVG at 2 in" "$OCTAVO" build "$S" -o "$T/s1" --pdf --profile kdp; then
		if printf '%s\n' "$out" | grep -q "ppi"; then no "kdp: a ppi message for the SVG" "$out"
		else ok "kdp takes a 200 x 100 CSS-pixel SVG at 2 in without a resolution message"; fi
		ppi=$(pdfimages -list "$T/s1/test-book.pdf" 2>/dev/null | awk 'NR > 2 && $3 == "image" {print $13; exit}')
		[ "${ppi:-0}" -ge 300 ] 2>/dev/null && ok "the SVG's image in the PDF is $ppi ppi" ||
			no "the SVG's image: '$ppi' ppi" "$(pdfimages -list "$T/s1/test-book.pdf" 2>&1)"
	fi
	expect 0 "check --profile kdp takes it too" "$OCTAVO" check "$S" --profile kdp &&
		if printf '%s\n' "$out" | grep -q "ppi"; then no "check: a ppi message for the SVG" "$out"
		else ok "check --profile kdp: no resolution message for the SVG"; fi
	# At 10% of the measure (0.4 in) the 1500 pixels are 3,700 ppi: resampled
	# to 600, said with the rendering's size.
	essay_s 'Text.\n\n![Shapes](images/shapes.svg){width=10%%}\n'
	expect 0 "an SVG far finer than print" "$OCTAVO" build "$S" -o "$T/s2" --pdf &&
		contains "a tiny SVG is resampled, said with its rendering's pixels" "(1500 x 750 pixels); the PDF has it resampled to"
fi

# --- XMP: each creator once ------------------------------------------------------
# The edition's vision statement is by its editor, Civil Exchange.
if expect 0 "build the edition's PDF" "$OCTAVO" build "$ROOT/manuscript" -o "$T/e" --pdf -q; then
	python3 - "$T/e/civil-dialogue.pdf" <<'PY' >"$T/creators.txt"
import re, sys
d = open(sys.argv[1], "rb").read().decode("latin-1")
seq = re.search(r"<dc:creator><rdf:Seq>(.*?)</rdf:Seq>", d, re.S).group(1)
for li in re.findall(r"<rdf:li>(.*?)</rdf:li>", seq):
    print(li)
PY
	n=$(wc -l <"$T/creators.txt") u=$(sort -u "$T/creators.txt" | wc -l)
	[ "$n" -gt 1 ] && [ "$n" -eq "$u" ] && ok "XMP dc:creator: $n names, none twice" ||
		no "XMP dc:creator: $n names, $u different" "$(sort "$T/creators.txt" | uniq -d)"
	[ "$(head -1 "$T/creators.txt")" = "Civil Exchange" ] && ok "XMP dc:creator: the editor first" ||
		no "XMP dc:creator's first" "$(head -1 "$T/creators.txt")"
fi
