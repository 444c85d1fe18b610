#!/bin/sh
# tests/suites/tables14n.sh - what tables14n added beside spans14's cells
# spanning rows: the EPUB's stylesheet for <details> (set open, its
# summary a label on a line of its own, as the PDF sets it), added only
# to books that hold one and whose stylesheet does not style it; a cell
# listing names from code (Node.js's encodings) broken between the names,
# its key column not squeezed into their pieces; a spanning cell's label
# over a page break in the book's language ('strings: continued').
. "$ROOT/tests/lib.sh"

B=$T/b
# epub_css DIR SLUG: the EPUB's style.css
epub_css() { unzip -p "$1/$2.epub" OEBPS/css/style.css 2>/dev/null; }

# --- <details> in the EPUB ------------------------------------------------------
mkbook
essay '<details>\n<summary>Installation notes</summary>\n\nRun the installer, then restart the shell.\n\n</details>\n\nAfter it.\n'
if expect 0 "tables14n: a book with <details> builds" "$OCTAVO" build "$B" -o "$T/d"; then
	out=$(epub_css "$T/d" test-book)
	contains "tables14n: details: its stylesheet styles details" 'details {'
	contains "tables14n: details: the summary a block, no disclosure marker" 'summary {
	display: block;
	list-style: none;'
	contains "tables14n: details: no WebKit marker" 'summary::-webkit-details-marker {
	display: none;'
	n=$(printf '%s\n' "$out" | grep -c 'details {' || true)
	want "tables14n: details: its rules once" "$n" -eq 1
	out=$(unzip -p "$T/d/test-book.epub" OEBPS/text/essay-02.xhtml 2>/dev/null)
	contains "tables14n: details: open in the EPUB" '<details open="open">'
	epubcheck_ok "tables14n: details" "$T/d/test-book.epub"
fi

# a book without <details>: the style's stylesheet, byte for byte
mkbook
if expect 0 "tables14n: a book without <details> builds" "$OCTAVO" build "$B" -o "$T/n"; then
	epub_css "$T/n" test-book >"$T/n.css"
	cmp -s "$T/n.css" "$ROOT/styles/epub.css" &&
		ok "tables14n: no details: the stylesheet as the style gives it" ||
		no "tables14n: no details: the stylesheet as the style gives it" "$(diff "$ROOT/styles/epub.css" "$T/n.css" | head)"
fi

# a stylesheet that styles <details> itself: nothing added to it
mkbook
essay '<details>\n<summary>Notes</summary>\n\nText.\n\n</details>\n'
{ cat "$ROOT/styles/epub.css"; printf 'details { margin: 2em 0; }\n'; } >"$B/own.css"
style "s#css: .*#css: own.css#"
if expect 0 "tables14n: a stylesheet of its own builds" "$OCTAVO" build "$B" -o "$T/o"; then
	epub_css "$T/o" test-book >"$T/o.css"
	cmp -s "$T/o.css" "$B/own.css" && ok "tables14n: own details style: kept as it is" ||
		no "tables14n: own details style: kept as it is" "$(diff "$B/own.css" "$T/o.css" | head)"
fi

# --- a cell that lists names from code -------------------------------------------
# Node.js's util.md lists each encoding's aliases in one cell: broken at
# the spaces between the names, never inside one ("'iso- / ir-144'",
# "'iso_8859-2: / 1987'") while the column has room for a shorter line
mkbook
essay '| Encoding | Aliases |\n| --- | --- |\n'"\
| \`'iso-8859-2'\` | \`'csisolatin2'\`, \`'iso-ir-101'\`, \`'iso8859-2'\`, \`'iso88592'\`, \`'iso_8859-2'\`, \`'iso_8859-2:1987'\`, \`'l2'\`, \`'latin2'\` |\n\
| \`'iso-8859-5'\` | \`'csisolatincyrillic'\`, \`'cyrillic'\`, \`'iso-ir-144'\`, \`'iso8859-5'\`, \`'iso88595'\`, \`'iso_8859-5'\`, \`'iso_8859-5:1988'\` |\n\
| \`'iso-8859-7'\` | \`'csisolatingreek'\`, \`'ecma-118'\`, \`'elot_928'\`, \`'greek'\`, \`'greek8'\`, \`'iso-ir-126'\`, \`'iso8859-7'\`, \`'iso88597'\`, \`'iso_8859-7'\`, \`'iso_8859-7:1987'\`, \`'sun_eu_greek'\` |\n\
| \`'windows-1252'\` | \`'ansi_x3.4-1968'\`, \`'ascii'\`, \`'cp1252'\`, \`'cp819'\`, \`'csisolatin1'\`, \`'ibm819'\`, \`'iso-8859-1'\`, \`'iso-ir-100'\`, \`'iso8859-1'\`, \`'iso88591'\`, \`'iso_8859-1'\`, \`'iso_8859-1:1987'\`, \`'l1'\`, \`'latin1'\`, \`'us-ascii'\`, \`'x-cp1252'\` |\n\
| \`'shift_jis'\` | \`'csshiftjis'\`, \`'ms932'\`, \`'ms_kanji'\`, \`'shift-jis'\`, \`'sjis'\`, \`'windows-31j'\`, \`'x-sjis'\` |\n\
| \`'euc-kr'\` | \`'cseuckr'\`, \`'csksc56011987'\`, \`'iso-ir-149'\`, \`'korean'\`, \`'ks_c_5601-1987'\`, \`'ks_c_5601-1989'\`, \`'ksc5601'\`, \`'ksc_5601'\`, \`'windows-949'\` |\n\nAfter the table.\n"
if expect 0 "tables14n: a cell of names builds" "$OCTAVO" build "$B" -o "$T/c"; then
	# each line's names: a line of the column that opens or ends inside one
	# has an odd number of quotes
	bad=$(pdftotext -layout "$T/c/test-book.pdf" - 2>/dev/null | grep -E "^ *'?[a-z]" |
		sed -E "s/^ *'[a-z0-9_-]+' {2,}//; s/^ +//" | awk -F"'" 'NF > 1 && NF % 2 == 0')
	[ -z "$bad" ] && ok "tables14n: names: none broken inside" ||
		no "tables14n: names: none broken inside" "$bad"
	n=$(pdftotext "$T/c/test-book.pdf" - 2>/dev/null | grep -oE "'(iso_8859-[0-9]:19[0-9]{2}|ks_c_5601-19[0-9]{2}|csksc56011987|csisolatincyrillic|sun_eu_greek)'" | wc -l)
	want "tables14n: names: the nine long ones whole" "$n" -eq 9
	expect 0 "tables14n: names: report" "$OCTAVO" report "$B" &&
		want "tables14n: names: no word cut" "$(fig 'forced breaks' 1)" -eq 0
fi

# --- a cell spanning rows over a page break, in the book's language --------------
# the label repeated overleaf says 'continued' in the book's language, or
# as book.yaml's 'strings: continued:' says it
mkbook
sed -i 's/^language: en-GB/language: de/' "$B/book.yaml"
rows=$(i=0; while [ $i -lt 60 ]; do [ $i -eq 0 ] && c='<td rowspan="60">Gruppe</td>' || c=; printf '<tr>%s<td>Zeile %d</td></tr>\\n' "$c" $i; i=$((i + 1)); done)
essay "<table>\\n<tr><th>Gruppe</th><th>Zeile</th></tr>\\n$rows</table>\\n\\nDanach.\\n"
if expect 0 "tables14n: a German group of 60 rows builds" "$OCTAVO" build "$B" -o "$T/g"; then
	n=$(pdftotext "$T/g/test-book.pdf" - 2>/dev/null | grep -cF '(Forts.)' || true)
	want "tables14n: German: '(Forts.)' over the continuation" "$n" -ge 1
fi
printf 'strings:\n  continued: "(weiter)"\n' >>"$B/book.yaml"
if expect 0 "tables14n: 'strings: continued' builds" "$OCTAVO" build "$B" -o "$T/g2"; then
	n=$(pdftotext "$T/g2/test-book.pdf" - 2>/dev/null | grep -cF '(weiter)' || true)
	want "tables14n: 'strings: continued' over the continuation" "$n" -ge 1
fi
