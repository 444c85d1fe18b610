#!/bin/sh
# tests/suites/tag16.sh - the tagged PDF, PDF/UA-1 (issue 16, part 1).
#
# The screen edition (--screen) of the manuscript and the test book with
# every kind of block (tests/books/tagged), as a screen PDF and as a print
# PDF whose style says 'tagged: true' (with bleed and crop marks): the
# Matterhorn Protocol 1.1 failure conditions a machine can check, one
# result each (tests/matterhorn.md lists them and those that need a
# human); every MCID reached from the parent tree; pdfinfo -struct-text
# holding every word of each part once, in reading order, against the
# Markdown; artifacts holding only running heads, folios, leaders and
# hyphens. Then: alt text and the /ActualText of hyphenated words as the
# Markdown has them, a figure without alt text (an error when tagged, a
# warning otherwise, at its line), an untagged print PDF, the same bytes
# twice. Needs qpdf and poppler-utils (tests/deps.sh), python3.
. "$ROOT/tests/lib.sh"

CHECK="python3 $ROOT/tests/tagcheck.py"

# tagged NAME PDF MSDIR: every check of a tagged PDF, its lines prefixed.
tagged() {
	if ! pdfinfo "$2" 2>/dev/null | grep -qx 'Tagged: *yes'; then
		no "$1: pdfinfo says Tagged: yes" "$(pdfinfo "$2" 2>&1 | head -20)"
		return
	fi
	ok "$1: pdfinfo says Tagged: yes"
	for c in matterhorn mcids artifacts; do
		$CHECK $c "$2" | sed "s/^\(ok  \|FAIL\) /\1 $1: /"
	done
	$CHECK words "$2" "$3" | sed "s/^\(ok  \|FAIL\) /\1 $1: /"
}

# === the edition on screen =======================================================
if expect 0 "screen edition builds" "$OCTAVO" build "$ROOT/manuscript" -o "$T/screen" --screen \
	--pdf; then
	ok "screen edition builds, tagged"
	tagged "screen edition" "$T/screen/civil-dialogue.pdf" "$ROOT/manuscript"
	out=$($CHECK attrs "$T/screen/civil-dialogue.pdf")
	alt=$(sed -n 's/^!\[\([^]]*\)\](images\/funding-mix.png.*/\1/p' \
		"$ROOT/manuscript/15-measuring-value.md")
	# (its quotes made typographic, as in the text)
	got=$(printf '%s\n' "$out" | sed -n 's/^Figure Alt: //p' | sed 's/[“”]/"/g; s/’/'"'"'/g')
	# then its long description, the block quote after it ('Description:')
	case $got in
	"$alt"*" Description: The chart"*"2011 24 45 19 12"*)
		ok "screen edition: the chart's /Alt is its Markdown alt text, then its long description" ;;
	*)	no "screen edition: the chart's /Alt is its Markdown alt text, then its long description" "$got" ;;
	esac
	n=$(printf '%s\n' "$out" | grep -c '^Span ActualText: ')
	bad=$(printf '%s\n' "$out" | sed -n 's/^Span ActualText: //p' | grep -c '[- ]')
	if [ "$n" -gt 20 ] && [ "$bad" -eq 0 ]; then
		ok "screen edition: $n hyphenated words, each a Span whose /ActualText is the whole word"
	else
		no "screen edition: hyphenated words as Spans with /ActualText ($n, $bad with a hyphen or space)" \
			"$(printf '%s\n' "$out" | grep '^Span' | head)"
	fi
	# Ligatures extract as their letters (ToUnicode), in the tree too.
	if pdfinfo -struct-text "$T/screen/civil-dialogue.pdf" 2>/dev/null |
		LC_ALL=C grep -q "$(printf '\357\254[\200-\204]')"; then
		no "screen edition: ligatures read as their letters in the structure's text"
	else
		ok "screen edition: ligatures read as their letters in the structure's text"
	fi
	# The same bytes twice.
	"$OCTAVO" build "$ROOT/manuscript" -o "$T/screen2" --screen --pdf -q 2>/dev/null
	if cmp -s "$T/screen/civil-dialogue.pdf" "$T/screen2/civil-dialogue.pdf"; then
		ok "screen edition: the same bytes from two builds"
	else
		no "screen edition: the same bytes from two builds"
	fi
fi

# === the book with every block ==================================================
B=$T/tagged
cp -r "$ROOT/tests/books/tagged" "$B"
if expect 0 "test book builds on screen" "$OCTAVO" build "$B" -o "$T/tb" --screen --pdf; then
	ok "test book builds on screen"
	tagged "test book" "$T/tb/tagged-blocks.pdf" "$B"
	out=$(pdfinfo -struct-text "$T/tb/tagged-blocks.pdf")
	for el in Document Sect H1 H2 H3 H4 P BlockQuote L LI Lbl LBody Table TR TH TD Figure \
		Caption Code TOC TOCI Note Reference Link Span; do
		if printf '%s\n' "$out" | grep -qE "^ *$el( |:|$)"; then
			ok "test book: a $el element"
		else
			no "test book: a $el element" "$(printf '%s\n' "$out" | head -40)"
		fi
	done
	# The fifth-level heading after a third is tagged H4: no level skipped.
	if printf '%s\n' "$out" | grep -A1 -E '^ *H4 ' | grep -q 'A fifth-level heading'; then
		ok "test book: a heading two levels down is tagged one level down (H3, then H4)"
	else
		no "test book: a heading two levels down is tagged one level down" \
			"$(printf '%s\n' "$out" | grep -A1 -E '^ *H[1-6] ')"
	fi
	# A note is read right after the paragraph that cites it.
	if printf '%s\n' "$out" | awk '/"The opening paragraph/ { p = NR } /Note <essay-01-note-1>/ { n = NR }
		/H2 / && !h { h = NR } END { exit !(p && n > p && n < h) }'; then
		ok "test book: note 1 read after its paragraph, before the next heading"
	else
		no "test book: note 1 read after its paragraph" "$out"
	fi
	out=$($CHECK attrs "$T/tb/tagged-blocks.pdf")
	has "test book: a figure's /Alt is its Markdown alt text" \
		"Figure Alt: A grey gradient of bars, darker to the right"
	has "test book: a note mark's link says which note" "Annot Contents: Note 2"
	has "test book: a link says where it goes" \
		"Annot Contents: Link to https://example.org/a/long/path/that/goes/on"
fi

# The print PDF, tagged by the style, with bleed and crop marks (artifacts).
style 's/^epub:/tagged: true\nprint:\n  bleed: 3mm\n  crop-marks: true\nepub:/'
if expect 0 "test book builds for print with 'tagged: true'" "$OCTAVO" build "$B" -o "$T/tp" --pdf; then
	ok "test book builds for print with 'tagged: true'"
	tagged "print, tagged" "$T/tp/tagged-blocks.pdf" "$B"
	if qpdf --qdf --object-streams=disable "$T/tp/tagged-blocks.pdf" - 2>/dev/null |
		grep -a -q '/Artifact <</Type /Page>> BDC'; then
		ok "print, tagged: crop marks are artifacts"
	else
		no "print, tagged: crop marks are artifacts"
	fi
fi

# Untagged: the print PDF of a style that does not ask.
sed -i '/^tagged: true$/d' "$B/mine.yaml"
if expect 0 "test book builds for print, untagged" "$OCTAVO" build "$B" -o "$T/tu" --pdf; then
	$CHECK untagged "$T/tu/tagged-blocks.pdf" | sed 's/^\(ok  \|FAIL\) /\1 print: /'
fi

# === a figure without alt text ==================================================
line=$(grep -n 'images/bars.png)$' "$B/essay.md" | cut -d: -f1)
sed -i 's|^!\[A second figure whose alt text is also its caption\](images/bars.png)$|![](images/bars.png)|' \
	"$B/essay.md"
if expect 1 "no alt text: a tagged build fails" "$OCTAVO" build "$B" -o "$T/na" --screen --pdf; then
	contains "no alt text: an error at the image's line and column, in a tagged build" \
		"essay.md:$line:1: error: image 'images/bars.png' has no alt text"
fi
if expect 0 "no alt text: an untagged build goes on" "$OCTAVO" build "$B" -o "$T/nb" --pdf; then
	contains "no alt text: a warning at the image's line and column, untagged" \
		"essay.md:$line:1: warning: image 'images/bars.png' has no alt text"
fi

# === another language ============================================================
# A division in another language (::: {lang=fr}) is an element with its /Lang.
mkbook "$T/lang"
printf -- '---\ntitle: "One"\nauthor: "An author"\n---\n\nEnglish text.\n\n::: {lang=fr}\nUn paragraphe en français.\n:::\n' >"$T/lang/one.md"
if expect 0 "lang: a book with a French division builds on screen" \
	"$OCTAVO" build "$T/lang" -o "$T/lang-out" --screen --pdf; then
	langs=$(qpdf --qdf --object-streams=disable "$T/lang-out/test-book.pdf" - 2>/dev/null |
		grep -a -c '/Lang (fr)')
	[ "$langs" -ge 1 ] && ok "lang: the French division carries /Lang (fr)" ||
		no "lang: no /Lang (fr) in the structure" "$langs"
fi
