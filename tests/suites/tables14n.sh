#!/bin/sh
# tests/suites/tables14n.sh - what tables14n added beside spans14's cells
# spanning rows: the EPUB's stylesheet for <details> (set open, its
# summary a label on a line of its own, as the PDF sets it), added only
# to books that hold one and whose stylesheet does not style it.
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
