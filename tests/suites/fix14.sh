#!/bin/sh
# tests/suites/fix14.sh - issue 14's visible defects, on tests/books/fix14
# (and notes100): a note's number never runs into its text (the indent
# grows to the book's widest number), no list marker leaves the text block
# (a list's indent grows to its widest marker, in the EPUB too), inline
# code never breaks after the punctuation that opens a word ("--" of
# "--continue"), and a table too wide steps down to the style's floor
# ('tables: min-size') before any word in it is cut. Asserted on the
# PDF's words (pdftotext -bbox), the report and the EPUB's XHTML.
. "$ROOT/tests/lib.sh"
BK=$ROOT/tests/books/fix14
O=$T/fix14

if expect 0 "fix14: the test book builds" "$OCTAVO" build "$BK" -o "$O"; then
	build_out=$out
	# Lists: every marker inside the text block (main: "10." to "105."
	# 4.5 pt into the margin), and one indent for all of a list's items.
	tb=$(python3 "$ROOT/tests/textblock.py" --tol 0.5 --list 100000 "$O/fix14.pdf" 2>&1)
	n=$(printf '%s\n' "$tb" | grep -cE '	[0-9]+\.$')
	if [ "$n" -eq 0 ]; then
		ok "fix14: no list marker leaves the text block"
	else
		no "fix14: $n list markers leave the text block" "$(printf '%s\n' "$tb" | grep -E '	[0-9]+\.$' | head -5)"
	fi
	bbox=$(pdftotext -bbox "$O/fix14.pdf" - 2>/dev/null)
	printf '%s\n' "$bbox" | grep -q '>105\.</word>' &&
		ok "fix14: the 105-item list's last marker is printed" ||
		no "fix14: the 105-item list's last marker is printed" ""
	x=$(printf '%s\n' "$bbox" | grep '>Item</word>' | sed 's/.*xMin="\([0-9.]*\)".*/\1/' |
		awk '{ printf "%.1f\n", $1 }' | sort -u | wc -l)
	want "fix14: the long list's items start at one indent (one per page side)" "$x" -le 2
	# The EPUB: the list's margin holds its widest number.
	xh=$(unzip -p "$O/fix14.epub" OEBPS/text/essay-01.xhtml 2>/dev/null)
	n=$(printf '%s\n' "$xh" | grep -c '^<ol style="margin-left: 2.0em">$')
	want "fix14: EPUB: the 12-item list's margin holds two figures" "$n" -eq 1
	n=$(printf '%s\n' "$xh" | grep -c '^<ol style="margin-left: 2.5em"\( start="98"\)\?>$')
	want "fix14: EPUB: the lists past 100 hold three figures" "$n" -eq 2
	printf '%s\n' "$xh" | grep -q '^<ul>$' &&
		ok "fix14: EPUB: a bulleted list keeps the stylesheet's margin" ||
		no "fix14: EPUB: a bulleted list keeps the stylesheet's margin" "$xh"
	# Inline code: no line ends with the punctuation that opens a word
	# (main: 14 lines end with "--", "../", "./", "::" or "=-").
	lay=$(pdftotext -layout "$O/fix14.pdf" - 2>/dev/null)
	n=$(printf '%s\n' "$lay" | grep -cE '(--|\.\./|\./|__|::|=-)$')
	want "fix14: no line ends with a code word's opening punctuation" "$n" -eq 0
	n=$(printf '%s\n' "$bbox" | grep -c '>--continue</word>')
	want "fix14: --continue is set whole" "$n" -ge 8
	# The table: stepped down, no word cut (main: 49 forced breaks).
	out=$build_out
	printf '%s\n' "$out" | grep -q 'warning: no allowed break fits' &&
		no "fix14: the wide table cuts no word" "$out" ||
		ok "fix14: the wide table cuts no word"
	for w in openStream closeStream tagMetadata; do
		a=$(printf '%s' "$w" | sed 's/\([a-z]*\).*/\1/') b=$(printf '%s' "$w" | sed 's/^[a-z]*//')
		printf '%s\n' "$bbox" | grep -q ">$a</word>" && printf '%s\n' "$bbox" | grep -q ">$b</word>" &&
			ok "fix14: the head '$w' breaks only between its words" ||
			no "fix14: the head '$w' breaks only between its words" ""
	done
	if expect 0 "fix14: report" "$OCTAVO" report "$BK"; then
		want "fix14: report: forced breaks" "$(fig 'forced breaks' 1)" -eq 0
		want "fix14: report: overfull lines" "$(fig 'overfull lines' 1)" -eq 0
	fi
	# Notes: 105 numbers, each clear of its text, the text at one indent.
	r=$(python3 "$ROOT/tests/suites/fix14.py" notes "$O/fix14.pdf" Source 2>&1) &&
		ok "fix14: note numbers clear of their text ($(printf '%s' "$r" | head -1))" ||
		no "fix14: note numbers clear of their text" "$r"
	if command -v java >/dev/null 2>&1 && [ -f /usr/bin/epubcheck ]; then
		r=$(java -jar /usr/bin/epubcheck "$O/fix14.epub" 2>&1)
		printf '%s\n' "$r" | grep -q 'No errors or warnings' &&
			ok "fix14: epubcheck" || no "fix14: epubcheck" "$r"
	else
		skip "fix14: epubcheck (not installed)"
	fi
fi

# notes100: 120 notes, 100 to 119 three figures wide (main: "100Note 100.").
if expect 0 "fix14: notes100 builds" "$OCTAVO" build "$ROOT/tests/books/notes100" -o "$T/n100"; then
	r=$(python3 "$ROOT/tests/suites/fix14.py" notes "$T/n100/many-notes.pdf" Note 2>&1) &&
		ok "fix14: notes100: note numbers clear of their text ($(printf '%s' "$r" | head -1))" ||
		no "fix14: notes100: note numbers clear of their text" "$r"
fi

# Another face: DejaVu Serif's figures are wider than Charis's, so its
# two-figure labels need the wider indent too; Liberation Mono for code.
DV=/usr/share/fonts/truetype/dejavu
LM=/usr/share/fonts/truetype/liberation2
B=$T/dv
if [ -f "$DV/DejaVuSerif.ttf" ] && [ -f "$LM/LiberationMono-Regular.ttf" ]; then
	rm -rf "$B" && cp -r "$BK" "$B" && mkdir "$B/fonts" &&
		cp "$DV"/DejaVuSerif.ttf "$DV"/DejaVuSerif-Italic.ttf "$DV"/DejaVuSerif-Bold.ttf \
			"$DV"/DejaVuSerif-BoldItalic.ttf "$LM"/LiberationMono-Regular.ttf "$B/fonts/"
	style "s|$ROOT/fonts/CharisSIL-Regular.ttf|$B/fonts/DejaVuSerif.ttf|" \
		"s|$ROOT/fonts/CharisSIL-Italic.ttf|$B/fonts/DejaVuSerif-Italic.ttf|" \
		"s|$ROOT/fonts/CharisSIL-Bold.ttf|$B/fonts/DejaVuSerif-Bold.ttf|" \
		"s|$ROOT/fonts/CharisSIL-BoldItalic.ttf|$B/fonts/DejaVuSerif-BoldItalic.ttf|" \
		"s|$ROOT/fonts/NotoSansMono-Regular.ttf|$B/fonts/LiberationMono-Regular.ttf|"
	if expect 0 "fix14: DejaVu Serif: builds" "$OCTAVO" build "$B" -o "$T/dvo"; then
		r=$(python3 "$ROOT/tests/suites/fix14.py" notes "$T/dvo/fix14.pdf" Source 2>&1) &&
			ok "fix14: DejaVu Serif: note numbers clear of their text" ||
			no "fix14: DejaVu Serif: note numbers clear of their text" "$r"
		tb=$(python3 "$ROOT/tests/textblock.py" --tol 0.5 --list 100000 "$T/dvo/fix14.pdf" 2>&1)
		n=$(printf '%s\n' "$tb" | grep -cE '	[0-9]+\.$')
		want "fix14: DejaVu Serif: no list marker leaves the text block" "$n" -eq 0
	fi
else
	skip "fix14: DejaVu Serif and Liberation Mono not installed"
fi

# The floor is the style's: at 'tables: min-size: 8pt' the table cannot
# fit, so its words are cut where they must be, each warned at the row.
B=$T/floor
rm -rf "$B" && cp -r "$BK" "$B"
style '$a tables:\n  min-size: 8pt'
if expect 0 "fix14: a higher floor builds" "$OCTAVO" build "$B" -o "$T/fl"; then
	contains "fix14: below the floor, a cut word is warned at its row" "03-matrix.md:12:"
fi
rm -rf "$B" && cp -r "$BK" "$B"
style '$a tables:\n  size: 8pt\n  min-size: 9pt'
if expect 1 "fix14: a floor above the size is an error" "$OCTAVO" check "$B"; then
	contains "fix14: the floor's error is at its line" "mine.yaml:31:13: error: tables 'min-size' 9.0pt is more than their 'size' 8.0pt"
fi
