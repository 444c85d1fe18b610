#!/bin/sh
# tests/suites/node18.sh - the Node.js API docs' time (issues 13 and 18):
# the short cuts it took must change nothing. The page search remembers
# each page it tries and, for a part set again, reuses the tries of the
# set before; the lint skips shaping code words whose characters the face
# has; the loader passes ASCII without decoding it; a code line without
# tabs is copied. Speed itself is the bench's (bench/run.sh, octavo-node),
# never a test's.
. "$ROOT/tests/lib.sh"
B=$T/book

# === the page search's tries: the same pages ===================================
# Under OCTAVO_CHECK_TRIES every try the search remembers or reuses is made
# again and asserted the same (an abort fails the build); the files must
# be the bytes of a build without it. tests/books/pages, notes100 and the
# manuscript set parts again (looser, wider, indented after a float).
for book in manuscript tests/books/pages tests/books/notes100 tests/books/blocks tests/books/fr; do
	n=$(basename "$book")
	expect 0 "$n builds" "$OCTAVO" build "$ROOT/$book" -o "$T/$n-a" -q || continue
	export OCTAVO_CHECK_TRIES=1
	if expect 0 "$n: every try remembered or reused is the try made afresh" \
		"$OCTAVO" build "$ROOT/$book" -o "$T/$n-b" -q; then
		ok "$n: every try remembered or reused is the try made afresh"
		same=true
		for f in "$T/$n-a"/*.pdf "$T/$n-a"/*.epub; do
			cmp -s "$f" "$T/$n-b/$(basename "$f")" || same=false
		done
		$same && ok "$n: the same PDF and EPUB with every try made afresh" ||
			no "$n: the same PDF and EPUB with every try made afresh"
	fi
	unset OCTAVO_CHECK_TRIES
done

# === the lint's missing glyphs in code =========================================
# An all-ASCII code block is passed without shaping its words; one with a
# character the monospaced face lacks is still told, at each place (three
# at most), the next place looked for past the one found. (With no
# fallback fonts: the system's Droid Sans Fallback has '你'.)
export OCTAVO_SYSTEM_FONTS="$T/no-fonts"
mkbook
essay 'Text.\n\n```\nlet s = '"'"'你'"'"' + '"'"'你'"'"';\nlet ok = 1;\n```\n\n```\nlet t = 2;\n\tx = 3;\n```\n'
expect 0 "code with a missing glyph builds" "$OCTAVO" build "$B" -o "$T/g" || true
contains "a missing glyph in code is told at its place" \
	"two.md:8:10: warning: the monospaced face has no glyph for '你'"
contains "the second place on the same line is told at its own column" \
	"two.md:8:16: warning: the monospaced face has no glyph for '你'"
n=$(printf '%s\n' "$out" | grep -c "warning: the monospaced face has no glyph" || true)
[ "$n" -eq 2 ] && ok "no other code line told of a missing glyph ($n)" ||
	no "no other code line told of a missing glyph ($n)" "$out"
unset OCTAVO_SYSTEM_FONTS
# A tab in code still goes to the next stop of four.
pdftotext -layout "$T/g/test-book.pdf" - 2>/dev/null | grep -q "^ *let t = 2; *$" &&
	pdftotext -layout "$T/g/test-book.pdf" - 2>/dev/null | grep -q "^ *    x = 3; *$" &&
	ok "a tab in code expands to four columns" ||
	no "a tab in code expands to four columns" "$(pdftotext -layout "$T/g/test-book.pdf" - | grep -B1 -A1 'x = 3')"

# === the loader's UTF-8 check ==================================================
mkbook
printf -- '---\ntitle: "Two"\n---\n\nab\n\377c\n' >"$B/two.md"
expect 1 "invalid UTF-8 after ASCII lines is an error" "$OCTAVO" check "$B" &&
	contains "invalid UTF-8 is placed at its line and column" \
		"two.md:6:1: error: invalid UTF-8 byte 0xFF"
printf -- '---\ntitle: "Two"\n---\n\nab é\000c\n' >"$B/two.md"
expect 1 "a NUL byte is an error" "$OCTAVO" check "$B" &&
	contains "a NUL byte is placed at its column (characters, not bytes)" \
		"two.md:5:5: error: NUL byte"

# === a citation is told where it stands (issue 18 item 2: file:line:col) ======
mkbook
essay 'Some *text* and [@a1] then\nmore [see @b2, p. 3] end.\n'
expect 0 "citations build" "$OCTAVO" check "$B" &&
	contains "a citation mid-paragraph is told at its column" \
		"two.md:5:17: warning: citation '[@a1]' is left as written" &&
	contains "a citation on the paragraph's next line is told there" \
		"two.md:6:6: warning: citation '[see @b2, p. 3]' is left as written"

# === the Node.js docs ==========================================================
API=/usr/share/doc/nodejs/api
if [ -f "$API/fs.md" ] && [ -z "${OCTAVO_SKIP_NODE:-}" ]; then
	N=$T/node
	sh "$ROOT/bench/nodebook.sh" "$API" "$N"
	if expect 0 "Node docs build" "$OCTAVO" build "$N" -o "$T/na"; then
		ok "Node docs build"
		pages=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9]*\) pages in .*/\1/p')
		pp=$(pdfinfo "$T/na/node-api.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
		[ -n "$pages" ] && [ "$pages" = "$pp" ] && ok "Node docs: $pages pages said, $pp in the PDF" ||
			no "Node docs: pages said ($pages) are the PDF's ($pp)"
		# Each place a glyph is missing is told once.
		d=$(printf '%s\n' "$out" | grep "has no glyph" | cut -d: -f1-3 | sort | uniq -d)
		[ -z "$d" ] && ok "Node docs: no place told twice of a missing glyph" ||
			no "Node docs: no place told twice of a missing glyph" "$d"
		export OCTAVO_CHECK_TRIES=1
		if expect 0 "Node docs: every try remembered or reused is the try made afresh" \
			"$OCTAVO" build "$N" -o "$T/nb" -q; then
			cmp -s "$T/na/node-api.pdf" "$T/nb/node-api.pdf" &&
				cmp -s "$T/na/node-api.epub" "$T/nb/node-api.epub" &&
				ok "Node docs: the same PDF and EPUB with every try made afresh" ||
				no "Node docs: the same PDF and EPUB with every try made afresh"
		fi
		unset OCTAVO_CHECK_TRIES
		# epubcheck takes a minute of CPU on this EPUB: asked for only.
		if [ -z "${OCTAVO_EPUBCHECK_NODE:-}" ]; then
			skip "Node docs: epubcheck (set OCTAVO_EPUBCHECK_NODE=1; a minute of CPU)"
		elif command -v java >/dev/null 2>&1 && [ -f /usr/bin/epubcheck ]; then
			ec=$(java -jar /usr/bin/epubcheck "$T/na/node-api.epub" 2>&1)
			printf '%s\n' "$ec" | grep -q "No errors or warnings detected" &&
				ok "Node docs: epubcheck finds no errors or warnings" ||
				no "Node docs: epubcheck finds no errors or warnings" "$(printf '%s\n' "$ec" | tail -8)"
		else
			skip "Node docs: epubcheck (not installed)"
		fi
	fi
else
	skip "Node docs (nodejs's api/*.md not installed)"
fi
