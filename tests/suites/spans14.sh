#!/bin/sh
# tests/suites/spans14.sh - HTML table cells that span columns and rows
# (colspan=, rowspan=), as READMEs write them (issue 14 items 3 and 7), in
# both editions: tests/books/spans14 has a header cell over its
# sub-headers, row headers down their rows, spans in a table's middle, a
# table longer than a page whose row groups meet the break, and spans past
# their table (warned once, clamped). A generated table with one group of
# 70 rows breaks where the page is full, its spanning cell going on. A
# group of rows breaks between its rows where keeping it whole would leave
# a page short (rowspan14m): the spanning cell's text split at a line,
# once, one TD in the tagged PDF, a rule closing the page's part.
. "$ROOT/tests/lib.sh"

# page_of PDF TEXT: the number of the first page whose text holds TEXT
page_of() {
	np=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	p=1
	while [ "$p" -le "${np:-0}" ]; do
		pdftotext -f "$p" -l "$p" -layout "$1" - 2>/dev/null | grep -qF -- "$2" && {
			echo "$p"
			return
		}
		p=$((p + 1))
	done
	echo 0
}
# foot_rule PDF PAGE: 'yes' when a rule as wide as a third of the page runs
# below the page's last line of text and above its folio (its lowest word),
# from the page drawn at 72 dpi (a pixel a point) and its words' boxes
foot_rule() {
	pdftoppm -gray -r 72 -f "$2" -l "$2" "$1" "$T/fr" 2>/dev/null
	pdftotext -bbox -f "$2" -l "$2" "$1" "$T/fr.html" 2>/dev/null
	python3 - "$T"/fr*.pgm "$T/fr.html" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
m = re.match(rb'P5\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
w, h = int(m.group(1)), int(m.group(2))
px = data[m.end():]
ys = sorted(float(b) for b in re.findall(r'yMax="([0-9.]+)"', open(sys.argv[2]).read()))
folio_top = min(float(a) for a in re.findall(r'yMin="([0-9.]+)"', open(sys.argv[2]).read())
                if float(a) > ys[-2] + 1) if len(ys) > 1 else h
last = ys[-2]
found = False
for y in range(int(last) + 1, int(folio_top)):
    row = px[y * w:(y + 1) * w]
    run = best = 0
    for v in row:
        run = run + 1 if v < 128 else 0
        best = max(best, run)
    found |= best > w / 3
print('yes' if found else 'no')
PY
	rm -f "$T"/fr*.pgm
}
S=$ROOT/tests/books/spans14
towns='Ashby Bexley Carrow Dunmore Elstead Fenwick Garston Hadleigh Ickham Jarrow Kelso
Ludlow Malton Nairn Oakham Penrith Quorn Ripon Selby Tring Ulverston Ventnor Wembury Yarm Zennor'
if expect 0 "spans14: the book builds" "$OCTAVO" build "$S" -o "$T/o"; then
	msgs=$out
	pdf=$T/o/spanning-cells.pdf
	# one warning of the manuscript's: the spans past their table
	n=$(printf '%s\n' "$msgs" | grep -c '\.md:[0-9]*:[0-9]*: warning' || true)
	want "spans14: one warning of the manuscript's" "$n" -eq 1
	out=$msgs contains "spans14: the spans past their table warned at the first" \
		"01-spans.md:49:5: warning: raw HTML <td> cell spans past its table (colspan=) or its group of rows (rowspan=): it spans as far as they go, 2 times in this part"
	txt=$(pdftotext "$pdf" - 2>/dev/null)
	# each cell's text once: a covered place repeats nothing
	for s in 'Toolchain' 'Operating systems' 'through MinGW' 'Winter' 'Spring' 'December' \
		'forty-nine millimetres' 'glyph runs, one per word and font' 'paginate' \
		'Overrunning title cell' 'Overrunning column' 'kept beside' 'last row beside' \
		'last place' 'County 1' 'County 9' 'County 14' 'next group' \
		'Quorn Minor' 'After the survey, a last paragraph.'; do
		n=$(printf '%s\n' "$txt" | grep -cxF -- "$s" || true)
		m=$(printf '%s\n' "$txt" | grep -oF -- "$s" | wc -l)
		if [ "$m" -eq 1 ] || { [ "$n" -eq 1 ] && [ "$m" -ge 1 ]; }; then
			ok "spans14: PDF: '$s' once"
		else
			no "spans14: PDF: '$s' once ($m times)" "$(printf '%s\n' "$txt" | grep -F -- "$s")"
		fi
	done
	# the long table's towns in their order, each once (with its
	# repeated head, 'County' and 'Town' twice)
	got=$(pdftotext -raw "$pdf" - 2>/dev/null |
		grep -oE "\b($(echo $towns | tr ' ' '|'))( Minor)?\b" | tr '\n' ' ')
	exp=$(for t in $towns; do printf '%s ' "$t"; done; for t in $towns; do printf '%s Minor ' "$t"; done)
	exp=$(printf '%s' "$exp" | cut -d' ' -f1-$((25 + 17 * 2)))
	[ "$got" = "$exp " ] && ok "spans14: PDF: the long table's 42 towns once, in order" ||
		no "spans14: PDF: the long table's 42 towns once, in order" "got: $got
want: $exp"
	for s in County Readings Morning Evening; do
		n=$(printf '%s\n' "$txt" | grep -cx "$s" || true)
		want "spans14: PDF: the long table's head '$s' repeated over its continuation" "$n" -eq 2
	done
	# County 6's five rows broken between its rows (keeping them whole
	# left p.3 two lines short), its cell's text above the break, a rule
	# under the rows on the page before it
	a=$(page_of "$pdf" Oakham)
	b=$(page_of "$pdf" Selby)
	want "spans14: PDF: County 6's group broken (Oakham p.$a, Selby p.$b)" "$b" -eq $((a + 1))
	[ "$(page_of "$pdf" 'County 6')" = "$a" ] && ok "spans14: PDF: 'County 6' above the break" ||
		no "spans14: PDF: 'County 6' above the break" "on p.$(page_of "$pdf" 'County 6')"
	# overleaf, its place under the repeated head not left empty: its
	# text again with '(cont.)' under it (tables14n), as a stub entry is
	# repeated over a continued table; nowhere else
	cb=$(pdftotext -layout -f "$b" -l "$b" "$pdf" - 2>/dev/null | grep -A1 -E '^ *County 6 +Quorn ' | tr -s ' ' | sed 's/^ //' | tr '\n' '|')
	case $cb in
	'County 6 Quorn '*'|(cont.) Ripon '*) ok "spans14: PDF: 'County 6' and '(cont.)' over the continuation" ;;
	*) no "spans14: PDF: 'County 6' and '(cont.)' over the continuation" "$cb" ;;
	esac
	n=$(printf '%s\n' "$txt" | grep -oF 'County 6' | wc -l)
	want "spans14: PDF: 'County 6' twice, above the break and over it" "$n" -eq 2
	n=$(printf '%s\n' "$txt" | grep -oF '(cont.)' | wc -l)
	want "spans14: PDF: '(cont.)' once" "$n" -eq 1
	r=$(foot_rule "$pdf" "$a")
	[ "$r" = yes ] && ok "spans14: PDF: a rule under the rows before the break" ||
		no "spans14: PDF: a rule under the rows before the break" "$r"
	# the EPUB: spans as HTML writes them, covered places left out
	xh=$(unzip -p "$T/o/spanning-cells.epub" OEBPS/text/essay-01.xhtml OEBPS/text/essay-02.xhtml 2>/dev/null)
	for s in '<tr><th scope="col" rowspan="2">Toolchain</th><th scope="col" colspan="3" class="align-center">Operating systems</th></tr>' \
		'<tr><th scope="col">Linux</th><th scope="col">macOS</th><th scope="col">Windows</th></tr>' \
		'<tr><td rowspan="3"><strong>Winter</strong></td><td>December</td>' \
		'<tr><td>January</td><td>seventy-one millimetres</td></tr>' \
		'<tr><td>shape</td><td colspan="2">glyph runs, one per word and font</td><td>text</td></tr>' \
		'<tr><td>paginate</td><td>pages</td><td>layout</td></tr>' \
		'<tr><td colspan="3">Overrunning title cell</td></tr>' \
		'<tr><td rowspan="2">Overrunning column</td>' \
		'<th scope="col" colspan="2" class="align-center">Readings</th>' \
		'<tr><td rowspan="5"><strong>County 6</strong></td><td>Oakham</td>' \
		'<tr><td rowspan="2">Down to the group’s end</td><td>first of the group</td></tr>' \
		'<tr><td>second of the group</td></tr>' '<tr><td>next group</td><td>beside it</td></tr>' \
		'<tr><td>Quorn Minor</td>'; do
		case $xh in
		*"$s"*) ok "spans14: EPUB: '$s'" ;;
		*) no "spans14: EPUB: '$s'" "$(printf '%s\n' "$xh" | grep '<tr>' | head -20)" ;;
		esac
	done
	xml_ok "$T/o/spanning-cells.epub" && ok "spans14: EPUB: well-formed" ||
		no "spans14: EPUB: well-formed" ""
	epubcheck_ok spans14 "$T/o/spanning-cells.epub"
fi

# broken_report NAME DIR: DIR's report: a table broken, none without its
# head, with a lone rule or under two rows, no page two or more lines
# short; 1 when the report failed ($out holds it otherwise)
broken_report() {
	expect 0 "$1: report" "$OCTAVO" report "$2" || return 1
	want "$1: report: a table broken" "$(fig 'tables broken' 1)" -ge 1
	want "$1: report: none without its head" "$(fig 'tables broken' 2)" -eq 0
	want "$1: report: none with a lone rule or under two rows" "$(fig 'tables broken' 3)" -eq 0
	want "$1: report: no page two or more lines short" "$(fig 'page depth' 4)" -eq 0
}

# the report: tables broken with their head, no lone rule or single row,
# and p.3 no longer two lines short (County 6's rows broken)
if broken_report spans14 "$S"; then
	want "spans14: report: no overfull line" "$(fig 'overfull lines' 1)" -eq 0
	want "spans14: report: County 6's break inside its group counted" \
		"$(fig 'tables broken' 4)" -eq 1
fi

# tagged PDF: TH and TD with /ColSpan and /RowSpan, the covered places none
if expect 0 "spans14: tagged PDF builds" "$OCTAVO" build "$S" -o "$T/tag" --screen --pdf; then
	st=$(pdfinfo -struct-text "$T/tag/spanning-cells.pdf" 2>/dev/null | tr -s ' ' | tr '\n' '|')
	for s in 'TH:| /Scope /Column| /RowSpan 2| "Toolchain "' \
		'TH:| /Scope /Column| /ColSpan 3| "Operating systems "' \
		'TD:| /RowSpan 3| "Winter "|' 'TD:| /ColSpan 2| "glyph runs, one per word and font "' \
		'TD:| /RowSpan 2| "paragraphs of boxes, glue and "| "penalties, from the text stage "' \
		'TR| TD| "paginate "| TD| "pages "| TD| "layout "| TR' \
		'TD:| /ColSpan 3| "Overrunning title cell "' 'TD:| /RowSpan 5| "County 6 "'; do
		case $st in
		*"$s"*) ok "spans14: tags: '$s'" ;;
		*) no "spans14: tags: '$s'" "$(printf '%s' "$st" | tr '|' '\n' | sed -n '/Table/,$p' | head -40)" ;;
		esac
	done
	for c in matterhorn mcids; do
		python3 "$ROOT/tests/tagcheck.py" $c "$T/tag/spanning-cells.pdf" | sed "s/^\(ok  \|FAIL\) /\1 spans14: tags: /"
	done
fi

# one group of 70 rows, deeper than a page: broken where the page is
# full, each row whole, the spanning cell's text at its top
B=$T/big
mkdir -p "$B"
printf 'title: One Long Group\nlanguage: en-GB\nidentifiers:\n  uuid: urn:uuid:0b10c514-0000-4000-8000-0000005a1415\nparts:\n  - a.md\n' >"$B/book.yaml"
{
	printf -- '---\ntitle: A Long Group\n---\n\nA paragraph before the table.\n\n<table>\n'
	printf '<tr><th>Group</th><th>Item</th><th>Value</th></tr>\n'
	i=0
	while [ $i -lt 70 ]; do
		[ $i -eq 0 ] && c='<td rowspan="70">The one group of all the rows</td>' || c=
		printf '<tr>%s<td>item %d</td><td>value %d</td></tr>\n' "$c" $i $i
		i=$((i + 1))
	done
	printf '</table>\n\nAfter the table.\n'
} >"$B/a.md"
if expect 0 "spans14: a group of 70 rows builds" "$OCTAVO" build "$B" -o "$T/bo"; then
	txt=$(pdftotext "$T/bo/one-long-group.pdf" - 2>/dev/null)
	n=$(printf '%s\n' "$txt" | grep -oE '\bitem [0-9]+\b' | sort -u | wc -l)
	want "spans14: long group: its 70 rows" "$n" -eq 70
	# the spanning cell's text once where it begins, then again with
	# '(cont.)' at the top of each page the group goes on to (tables14n),
	# each such break counted by the report
	cells=$(printf '%s\n' "$txt" | grep -o 'The one group of all the rows' | wc -l)
	conts=$(printf '%s\n' "$txt" | grep -oF '(cont.)' | wc -l)
	want "spans14: long group: the spanning cell over each continuation" "$conts" -ge 1
	want "spans14: long group: the cell's text once more for each '(cont.)'" "$cells" -eq $((conts + 1))
	pdf=$T/bo/one-long-group.pdf
	np=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	p=$(page_of "$pdf" 'item 0')
	bad=
	while [ "$p" -lt "$np" ]; do
		p=$((p + 1))
		pt=$(pdftotext -layout -f $p -l $p "$pdf" - 2>/dev/null)
		printf '%s\n' "$pt" | grep -qE '^ *item [0-9]+ ' || continue
		printf '%s\n' "$pt" | grep -A1 'The one group of all the rows *item' | grep -qE '^ *\(cont\.\) +item' ||
			bad="$bad p.$p"
	done
	[ -z "$bad" ] && ok "spans14: long group: each continuation opens with the cell and '(cont.)'" ||
		no "spans14: long group: each continuation opens with the cell and '(cont.)'" "not on$bad"
	if expect 0 "spans14: long group: report" "$OCTAVO" report "$B"; then
		want "spans14: long group: no page two or more lines short" "$(fig 'page depth' 4)" -eq 0
		want "spans14: long group: head repeated" "$(fig 'tables broken' 2)" -eq 0
		want "spans14: long group: report: breaks inside the group counted" \
			"$(fig 'tables broken' 4)" -eq "$conts"
	fi
fi
# tagged: the labels drawn over the continuations are artifacts, the cell
# one TD holding its text once
if expect 0 "spans14: long group: tagged PDF builds" "$OCTAVO" build "$B" -o "$T/bt" --screen --pdf; then
	st=$(pdfinfo -struct-text "$T/bt/one-long-group.pdf" 2>/dev/null)
	n=$(printf '%s\n' "$st" | grep -o 'The one group of all the rows' | wc -l)
	want "spans14: long group: tags: the cell's text once" "$n" -eq 1
	n=$(printf '%s\n' "$st" | grep -oF '(cont.)' | wc -l)
	want "spans14: long group: tags: no '(cont.)' in the structure" "$n" -eq 0
	for c in matterhorn mcids; do
		python3 "$ROOT/tests/tagcheck.py" $c "$T/bt/one-long-group.pdf" |
			sed "s/^\(ok  \|FAIL\) /\1 spans14: long group: tags: /"
	done
fi

# a group of ten rows whose spanning cell's text runs eight lines, met by
# the page's foot: broken between its rows (kept whole, the page before
# ended five lines short), the cell's text split at a line, each part
# once, one TD with content on both pages; a rule closes the page before
# cut_book DIR N: the book, its table's group after N rows
cut_book() {
	mkdir -p "$1"
	sed 's/0000005a1415/0000005a1418/; s/One Long Group/A Cell Across the Break/' "$B/book.yaml" >"$1/book.yaml"
	{
		printf -- '---\ntitle: A Cell Across the Break\n---\n\nA paragraph before the table.\n\n<table>\n'
		printf '<tr><th>Stage</th><th>Note</th><th>Step</th><th>Where it goes next</th></tr>\n'
		i=0
		while [ $i -lt "$2" ]; do
			printf '<tr><td>Before %d</td><td>a row</td><td>one</td><td>to the next row down</td></tr>\n' $i
			i=$((i + 1))
		done
		i=0
		while [ $i -lt 10 ]; do
			[ $i -eq 0 ] && c='<td rowspan="10">Alpha begins the long note of the group, whose text runs down the rows it spans over many lines of its narrow column, and goes on past the foot of the page to end overleaf with omega.</td>' || c=
			printf '<tr><td>Row %d</td>%s<td>step %d</td><td>to the next row down</td></tr>\n' $i "$c" $i
			i=$((i + 1))
		done
		i=0
		while [ $i -lt 6 ]; do
			printf '<tr><td>After %d</td><td>a row</td><td>three</td><td>to the next row down</td></tr>\n' $i
			i=$((i + 1))
		done
		printf '</table>\n\nAfter the table.\n'
	} >"$1/a.md"
}
D=$T/cut
cut_book "$D" 16
if expect 0 "spans14: a cell across the break builds" "$OCTAVO" build "$D" -o "$T/co"; then
	pdf=$T/co/a-cell-across-the-break.pdf
	txt=$(pdftotext -layout "$pdf" - 2>/dev/null)
	n=0
	for r in $(seq 0 15 | sed 's/^/Before_/') $(seq 0 9 | sed 's/^/Row_/') $(seq 0 5 | sed 's/^/After_/'); do
		m=$(printf '%s\n' "$txt" | grep -cE "^ *$(echo "$r" | tr _ ' ') " || true)
		[ "$m" -eq 1 ] && n=$((n + 1))
	done
	want "spans14: cut: each of the 32 rows once" "$n" -eq 32
	n=$(printf '%s\n' "$txt" | grep -c 'Where it goes next' || true)
	want "spans14: cut: the head repeated over the continuation" "$n" -eq 2
	words=$(pdftotext "$pdf" - 2>/dev/null | tr -s ' \n' '\n\n' | grep -cE '^(Alpha|begins|long|note|group,|whose|runs|spans|many|lines|narrow|column,|past|foot|page|end|overleaf|omega\.)$' || true)
	want "spans14: cut: the spanning cell's 18 words once each" "$words" -eq 18
	a=$(page_of "$pdf" Alpha)
	b=$(page_of "$pdf" omega)
	want "spans14: cut: its text split over the break (Alpha p.$a, omega p.$b)" "$b" -eq $((a + 1))
	r=$(foot_rule "$pdf" "$a")
	[ "$r" = yes ] && ok "spans14: cut: a rule under the rows before the break" ||
		no "spans14: cut: a rule under the rows before the break" "$r"
	# its text split over the break: no label repeats it
	n=$(pdftotext "$pdf" - 2>/dev/null | grep -oF '(cont.)' | wc -l)
	want "spans14: cut: no '(cont.)' where the cell's text goes on" "$n" -eq 0
	broken_report "spans14: cut" "$D" &&
		want "spans14: cut: report: the break inside the group counted" \
			"$(fig 'tables broken' 4)" -eq 1
fi
if expect 0 "spans14: cut: tagged PDF builds" "$OCTAVO" build "$D" -o "$T/ct" --screen --pdf; then
	st=$(pdfinfo -struct-text "$T/ct/a-cell-across-the-break.pdf" 2>/dev/null | tr -s ' ' | tr '\n' '|')
	td=$(printf '%s' "$st" | grep -oE 'TD:\| /RowSpan 10\|( "[^"]*"\|)*')
	case $td in
	*'"Alpha begins'*'omega. "'*) ok "spans14: cut: tags: the cell one TD across the pages" ;;
	*) no "spans14: cut: tags: the cell one TD across the pages" "$td" ;;
	esac
	for c in matterhorn mcids; do
		python3 "$ROOT/tests/tagcheck.py" $c "$T/ct/a-cell-across-the-break.pdf" |
			sed "s/^\(ok  \|FAIL\) /\1 spans14: cut: tags: /"
	done
fi

# four rows more before it: the page before ends on its last grid line
# with the group whole overleaf, unbroken (a break between groups costs
# no short page)
cut_book "$T/whole" 20
if expect 0 "spans14: a group after a full page builds" "$OCTAVO" build "$T/whole" -o "$T/wh"; then
	pdf=$T/wh/a-cell-across-the-break.pdf
	a=$(page_of "$pdf" Alpha)
	want "spans14: whole: the group not broken (Alpha p.$a)" "$(page_of "$pdf" omega)" -eq "$a"
	want "spans14: whole: it begins its page" "$(page_of "$pdf" 'Before 19 ')" -eq $((a - 1))
	if expect 0 "spans14: whole: report" "$OCTAVO" report "$T/whole"; then
		want "spans14: whole: no page short" "$(fig 'page depth' 3)" -eq 0
		want "spans14: whole: none two short" "$(fig 'page depth' 4)" -eq 0
	fi
fi

# a colspan= of 200 over a few columns: the columns no cell starts in are
# dropped (HTML gives them no width), not 200 gutters that crush the rest
W=$T/wide
mkdir -p "$W"
sed 's/0000005a1415/0000005a1417/; s/One Long Group/Wide Spans/' "$B/book.yaml" >"$W/book.yaml"
printf -- '---\ntitle: Wide\n---\n\n<table>\n<tr><td colspan="200">a heading cell over two columns</td><td>beside it</td></tr>\n<tr><td>first column</td><td>second column</td></tr>\n</table>\n' >"$W/a.md"
if expect 0 "spans14: a colspan of 200 builds" "$OCTAVO" build "$W" -o "$T/wo"; then
	out=$(unzip -p "$T/wo/wide-spans.epub" OEBPS/text/essay-01.xhtml 2>/dev/null)
	contains "spans14: wide: the empty columns dropped" \
		'<tr><td colspan="2">a heading cell over two columns</td><td>beside it</td></tr>'
	contains "spans14: wide: the short row padded" \
		'<tr><td>first column</td><td>second column</td><td></td></tr>'
	if expect 0 "spans14: wide: report" "$OCTAVO" report "$W"; then
		want "spans14: wide: no forced break" "$(fig 'forced breaks' 1)" -eq 0
	fi
fi
