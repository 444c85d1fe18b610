#!/bin/sh
# tests/suites/node18b.sh - the Node.js API docs under a second (issue 18):
# its two short cuts must change no byte. Code in the mono face whose
# characters no lookup of the font can act on is set without hb_shape
# (src/text/plain.c; OCTAVO_NO_PLAIN shapes everything with HarfBuzz, as
# before); the page search stacks lines with no note, float or break of
# their own in a tight loop (fill_once, page.c; pipe13's stored hashes and
# node18's OCTAVO_CHECK_TRIES hold it to the old pages). Speed itself is
# the bench's (bench/run.sh, octavo-node), never a test's.
. "$ROOT/tests/lib.sh"
B=$T/book

# same_build NAME DIR: DIR builds, and builds to the same PDF and EPUB
# with every word shaped by HarfBuzz.
same_build() {
	expect 0 "$1 builds" "$OCTAVO" build "$2" -o "$T/p" -q || return 0
	export OCTAVO_NO_PLAIN=1
	expect 0 "$1 builds with HarfBuzz for everything" "$OCTAVO" build "$2" -o "$T/h" -q ||
		{ unset OCTAVO_NO_PLAIN; return 0; }
	unset OCTAVO_NO_PLAIN
	same=true
	for f in "$T/p"/*.pdf "$T/p"/*.epub; do
		cmp -s "$f" "$T/h/$(basename "$f")" || same=false
	done
	$same && ok "$1: the same PDF and EPUB as with HarfBuzz for every word" ||
		no "$1: the same PDF and EPUB as with HarfBuzz for every word"
	rm -rf "$T/p" "$T/h"
}

# === code of every kind =========================================================
# ASCII lines (plain), lines with a character outside ASCII or one no font
# has, a tab, a line too long for the measure (wrapped char by char), and
# inline code in prose.
code='Some `inline.code()` and `x => y` in text, and `naïve` too.\n\n```js\nconst fs = require('"'"'node:fs'"'"');\nfs.readFile('"'"'/etc/passwd'"'"', (err, data) => {\n\tif (err) throw err; // 0123456789 1/2 3/4\n  console.log(data);\n});\nconst s = '"'"'caf\xc3\xa9 \xe4\xbd\xa0'"'"'; // ~!@#$%%^&*()_+`-={}|[]\\\\:";<>?,./\nconst aVeryLongName = someObject.someMethod(firstArgument, secondArgument, thirdArgument, fourthArgument, fifthArgument);\n```\n\n    indented code: AVA WAVE ffi fl office HTTP NASA\n'
mkbook
essay "$code"
same_build "code book (Noto Sans Mono)" "$B"

# The same code with a kerning font in the mono face's place, ligatures,
# acronyms in small capitals and fractions asked for: only what no
# lookup touches is plain, and every word still comes out as HarfBuzz
# makes it.
mkbook
essay "$code"
style "s|mono: .*|mono: $ROOT/fonts/CharisSIL-Regular.ttf|"
same_build "code book (Charis SIL as mono)" "$B"
mkbook
essay "$code"
style "s|mono: .*|mono: $ROOT/fonts/CharisSIL-Regular.ttf\n  small-caps: acronyms\n  features: [frac, ss01]|"
same_build "code book (Charis SIL as mono, acronyms, frac)" "$B"

# The test books that hold code, tables and notes.
for book in manuscript tests/books/blocks tests/books/pages; do
	same_build "$(basename "$book")" "$ROOT/$book"
done

# === the Node.js docs ==========================================================
API=/usr/share/doc/nodejs/api
if [ -f "$API/fs.md" ] && [ -z "${OCTAVO_SKIP_NODE:-}" ]; then
	sh "$ROOT/bench/nodebook.sh" "$API" "$T/node"
	same_build "Node docs" "$T/node"
else
	skip "Node docs (nodejs's api/*.md not installed)"
fi
