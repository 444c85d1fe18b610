#!/bin/sh
# tests/bad-input.sh - every kind of broken or hostile manuscript, as
# 'make test' runs it (OCTAVO: the sanitizer build; ROOT: the repository).
#
# Each case starts from a small book that builds, with a good edition of it
# in $T/bo, then makes one mistake. A mistake must give the exact message
# ("path:line:col: error: ..." as the first line of it), exit status 1 and
# leave the previous edition byte for byte as it was; an input that is
# accepted (a BOM, CRLF, a warning) must give exit status 0 and a book.
# Prints one line per case: "ok   ...", "FAIL ..." or "skip ...".
. "$ROOT/tests/lib.sh"
B=$T/b

# The cases start from lib.sh's mkbook in $B.

run() { # runs octavo on the book into $T/bo; sets out and rc
	out=$(cd "$T" && timeout 300 "$OCTAVO" build "$B" -o "$T/bo" 2>&1)
	rc=$?
}
# bad NAME WANT: the build fails with exit 1, WANT as one whole line, and
# the previous edition untouched.
bad() {
	name=$1 want=$2
	rm -rf "$T/bo" && cp -a "$T/good.d" "$T/bo"
	run
	if crashed; then no "$name (crashed)" "$(printf '%s\n' "$out" | grep -E 'runtime error|Sanitizer|#[0-9] ' | head -8)"; return; fi
	if [ $rc -ne 1 ]; then no "$name (exit $rc, want 1)" "$out"; return; fi
	if ! printf '%s\n' "$out" | grep -qxF -- "$want"; then
		no "$name (message)" "got: $(printf '%s\n' "$out" | grep -E 'error|warning' | head -5)
want: $want"
		return
	fi
	if [ "$(ls -a "$T/bo")" != "$(ls -a "$T/good.d")" ]; then
		no "$name (stray files in the output folder)" "$(ls -a "$T/bo")"; return
	fi
	for f in "$T/good.d"/*; do
		if ! cmp -s "$f" "$T/bo/${f##*/}"; then no "$name (previous edition changed: ${f##*/})"; return; fi
	done
	ok "$name"
}
# good NAME [WANT]: the build succeeds (exit 0), printing WANT as one whole
# line when given, and every XML file of its EPUB is well-formed.
good() {
	name=$1 want=${2:-}
	rm -rf "$T/go"
	out=$(cd "$T" && timeout 300 "$OCTAVO" build "$B" -o "$T/go" 2>&1)
	rc=$?
	if crashed; then no "$name (crashed)" "$(printf '%s\n' "$out" | grep -E 'runtime error|Sanitizer|#[0-9] ' | head -8)"; return; fi
	if [ $rc -ne 0 ]; then no "$name (exit $rc, want 0)" "$out"; return; fi
	if [ -n "$want" ] && ! printf '%s\n' "$out" | grep -qxF -- "$want"; then
		no "$name (message)" "got: $(printf '%s\n' "$out" | grep -E 'error|warning' | head -5)
want: $want"
		return
	fi
	if ! xml_ok "$T/go/"*.epub; then no "$name (EPUB XML not well-formed)"; return; fi
	ok "$name"
}
mkbook
if (cd "$T" && "$OCTAVO" build "$B" -o "$T/bo" -q); then
	cp -a "$T/bo" "$T/good.d"
else
	no "bad input: the small book builds"; exit 0
fi

# === missing files ===========================================================
mkbook; sed -i 's/two.md/too.md/' "$B/book.yaml"
bad "missing: a part" "$B/book.yaml:7:5: error: cannot read part 'too.md': No such file or directory"
mkbook; rm "$B/book.yaml"
bad "missing: book.yaml" "$B/book.yaml: error: cannot read book.yaml: No such file or directory"
mkbook; printf 'style: mine.yaml\n' >>"$B/book.yaml"
bad "missing: a style file" "$B/book.yaml:8:8: error: cannot read style 'mine.yaml' ($B/mine.yaml): No such file or directory"
mkbook; essay '![A chart](images/none.png)\n'
bad "missing: an image" "$B/two.md:5:1: error: cannot read image 'images/none.png': No such file or directory"
mkbook; rm -rf "$B"
out=$(cd "$T" && "$OCTAVO" build "$B" -o "$T/bo" 2>&1); rc=$?
if [ $rc -eq 1 ] && ! crashed && printf '%s\n' "$out" | grep -qxF "$B: error: not a manuscript directory: No such file or directory"; then
	ok "missing: the manuscript folder"
else no "missing: the manuscript folder (exit $rc)" "$out"; fi

# === a directory where a file is expected ====================================
mkbook; mkdir "$B/dir.md"; sed -i 's/two.md/dir.md/' "$B/book.yaml"
bad "directory: as a part" "$B/book.yaml:7:5: error: cannot read part 'dir.md': Is a directory"
mkbook; rm "$B/book.yaml"; mkdir "$B/book.yaml"
bad "directory: as book.yaml" "$B/book.yaml: error: cannot read book.yaml: Is a directory"
mkbook; mkdir "$B/images/dir.png"; essay '![A chart](images/dir.png)\n'
bad "directory: as an image" "$B/two.md:5:1: error: cannot read image 'images/dir.png': Is a directory"
mkbook; mkdir "$B/mine.yaml"; printf 'style: mine.yaml\n' >>"$B/book.yaml"
bad "directory: as the style file" "$B/book.yaml:8:8: error: cannot read style 'mine.yaml': Is a directory"

# === empty essays =============================================================
mkbook; : >"$B/two.md"
bad "empty: a zero-byte essay" "$B/two.md:1:1: error: part is empty"
mkbook; printf '\n  \n\t\n' >"$B/two.md"
bad "empty: an essay of blank lines" "$B/two.md:1:1: error: part is empty"
mkbook; printf -- '---\ntitle: "Two"\n---\n' >"$B/two.md"
bad "empty: only front matter" "$B/two.md:4:1: error: part 'Two' has no text"
mkbook; printf -- '---\ntitle: "Two"\n---\n\n\n' >"$B/two.md"
bad "empty: front matter and blank lines" "$B/two.md:4:1: error: part 'Two' has no text"
mkbook; printf -- '---\ntitle: "Two"\n' >"$B/two.md"
bad "empty: front matter never closed" "$B/two.md:1:1: error: front matter opened here is never closed"

# === malformed YAML ===========================================================
mkbook; printf -- '---\ntitle: "Two"\n\tauthor: x\n---\n\nText.\n' >"$B/two.md"
bad "yaml: a tab in front matter" "$B/two.md:3:1: error: tab used for indentation"
mkbook; sed -i 's/^  - one.md/\t- one.md/' "$B/book.yaml"
bad "yaml: a tab in book.yaml" "$B/book.yaml:6:1: error: tab used for indentation"
mkbook; sed -i 's/^title: Test Book/title: "Test Book/' "$B/book.yaml"
bad "yaml: an unclosed double quote" "$B/book.yaml:1:8: error: quoted text is never closed"
mkbook; sed -i "s/^title: Test Book/title: 'Test Book/" "$B/book.yaml"
bad "yaml: an unclosed single quote" "$B/book.yaml:1:8: error: quoted text is never closed"
mkbook; printf -- '---\ntitle: "Two\n---\n\nText.\n' >"$B/two.md"
bad "yaml: an unclosed quote in front matter" "$B/two.md:2:8: error: quoted text is never closed"
mkbook; printf 'title: A\ntitle: B\nlanguage: en-GB\n' >"$B/book.yaml"
bad "yaml: a duplicate key" "$B/book.yaml:2:1: error: duplicate key 'title' (first given on line 1)"
mkbook; printf -- '---\ntitle: "Two"\nauthor: A\nauthor: B\n---\n\nText.\n' >"$B/two.md"
bad "yaml: a duplicate key in front matter" "$B/two.md:4:1: error: duplicate key 'author' (first given on line 3)"
mkbook; sed -i 's/^title: Test Book/title: [Test, Book]/' "$B/book.yaml"
bad "yaml: a list where text belongs" "$B/book.yaml:1:8: error: 'title' must be text, not a list"
mkbook; sed -i 's/^language: en-GB/language: {en: GB}/' "$B/book.yaml"
bad "yaml: a mapping where text belongs" "$B/book.yaml:2:11: error: 'language' must be text, not a mapping"
mkbook; printf 'title: T\nlanguage: en\nidentifiers: {uuid: urn:uuid:11111111-2222-3333-4444-555555555555}\nparts: one.md\n' >"$B/book.yaml"
bad "yaml: text where a list belongs" "$B/book.yaml:4:8: error: 'parts' must be a non-empty list of Markdown files"
mkbook; sed -i 's/^title: Test Book/title: \&t Test Book/' "$B/book.yaml"
bad "yaml: an anchor" "$B/book.yaml:1:8: error: YAML anchors ('&t') are not supported"
mkbook; printf -- '- a\n- b\n' >"$B/book.yaml"
bad "yaml: book.yaml is a list" "$B/book.yaml:1:1: error: book.yaml must be a mapping of keys such as 'title:'"
mkbook; printf -- '---\n- a list\n---\n\nText.\n' >"$B/two.md"
bad "yaml: front matter is a list" "$B/two.md:2:1: error: front matter must be a mapping of keys such as 'title:'"
mkbook; sed -i 's/^  - one.md/  - [one.md]/' "$B/book.yaml"
bad "yaml: a part that is a list" "$B/book.yaml:6:5: error: 'file' must be text, not a list"
mkbook; printf '  -\n' >>"$B/book.yaml"
bad "yaml: an empty entry in parts" "$B/book.yaml:8:4: error: part 3 names no file"
mkbook; printf '  - ""\n' >>"$B/book.yaml"
bad "yaml: an empty file name in parts" "$B/book.yaml:8:5: error: part 3 names no file"
mkbook; printf '  - two.md\n' >>"$B/book.yaml"
bad "yaml: a part listed twice" "$B/book.yaml:8:5: error: part 'two.md' is listed twice (first on line 7)"
mkbook; python3 -c "print('title: ' + '[' * 100000)" >"$B/book.yaml"
bad "yaml: 100,000 nested lists" "$B/book.yaml:1:72: error: YAML nested more than 64 levels deep"

mkbook; printf 'title: Test Book\nlanguage: en-GB\nidentifiers: {uuid: 11111111-2222-3333-4444-555555555555}\nparts:\n  - {file: one.md, kind: preface}\n' >"$B/book.yaml"
good "yaml: a book of one preface and no essays"

# === unknown keys (warnings: the book is made) ================================
mkbook; printf 'colour: red\n' >>"$B/book.yaml"
good "unknown key: book.yaml" "$B/book.yaml:8:1: warning: unknown key 'colour' ignored"
mkbook; printf -- '---\ntitle: "Two"\ndate: 2011\n---\n\nText.\n' >"$B/two.md"
good "unknown key: front matter" "$B/two.md:3:1: warning: unknown key 'date' ignored"
mkbook; style; printf 'columns: 2\n' >>"$B/mine.yaml"
good "unknown key: style file" "$B/mine.yaml:29:1: warning: unknown key 'columns' ignored"

# === invalid UTF-8 (the byte offset) and NUL bytes ============================
mkbook; essay 'Second \377 text.\n'
bad "utf-8: a stray byte in an essay" "$B/two.md:5:8: error: invalid UTF-8 byte 0xFF at byte offset 29"
mkbook; essay 'An overlong \300\257 slash.\n'
bad "utf-8: an overlong sequence" "$B/two.md:5:13: error: invalid UTF-8 byte 0xC0 at byte offset 34"
mkbook; essay 'A surrogate \355\240\200 here.\n'
bad "utf-8: an encoded surrogate" "$B/two.md:5:13: error: invalid UTF-8 byte 0xED at byte offset 34"
mkbook; essay 'Cut short \342\202'
bad "utf-8: a sequence cut short at the end" "$B/two.md:5:11: error: invalid UTF-8 byte 0xE2 at byte offset 32"
mkbook; printf 'title: Caf\351\n' >"$B/book.yaml"
bad "utf-8: Latin-1 in book.yaml" "$B/book.yaml:1:11: error: invalid UTF-8 byte 0xE9 at byte offset 10"
mkbook; essay 'A NUL \000 byte.\n'
bad "nul: in an essay" "$B/two.md:5:7: error: NUL byte at byte offset 28"
mkbook; printf 'title: A\000B\n' >"$B/book.yaml"
bad "nul: in book.yaml" "$B/book.yaml:1:9: error: NUL byte at byte offset 8"
mkbook; printf -- '---\ntitle: "Two\\0"\n---\n\nText.\n' >"$B/two.md"
bad "nul: escaped in a YAML value" "$B/two.md:2:8: error: NUL byte in a YAML value"

# === a BOM and CRLF (accepted) ================================================
mkbook; printf '\357\273\277---\ntitle: "Two"\n---\n\nText after a BOM.\n' >"$B/two.md"
good "bom: an essay (accepted)"
mkbook; printf '\357\273\277' | cat - "$B/book.yaml" >"$T/y" && mv "$T/y" "$B/book.yaml"
good "bom: book.yaml (accepted)"
mkbook; printf -- '---\r\ntitle: "Two"\r\n---\r\n\r\nCRLF text,\r\nsecond line.\r\n' >"$B/two.md"
good "crlf: an essay (accepted)"
if unzip -p "$T/go/test-book.epub" OEBPS/text/essay-02.xhtml 2>/dev/null | grep -q 'CRLF text, second line'; then
	ok "crlf: the essay's text is read whole"
else no "crlf: the essay's text is read whole"; fi
mkbook; sed -i 's/$/\r/' "$B/book.yaml"
good "crlf: book.yaml (accepted)"

# === very large input (made here; a correct book or a clear error) ============
mkbook; python3 -c "
import random
random.seed(1)
words = 'the of partnership government voluntary sector civil society independent'.split()
out, n = [], 0
while n < 10_000_000:
    w = random.choice(words); out.append(w); n += len(w) + 1
open('$B/two.md', 'w').write('---\ntitle: Two\n---\n\n' + ' '.join(out) + '\n')"
good "large: a 10 MB paragraph"
# Without page markers nothing else cuts the paragraph's text: the EPUB
# must still parse within libxml2's 10,000,000-byte text node limit.
rm -rf "$T/go"
if (cd "$T" && timeout 300 "$OCTAVO" build "$B" -o "$T/go" -q --epub --no-page-list) &&
	xml_ok "$T/go/"*.epub; then
	ok "large: a 10 MB paragraph, EPUB without a page list"
else no "large: a 10 MB paragraph, EPUB without a page list"; fi
mkbook; python3 -c "open('$B/two.md', 'w').write('---\ntitle: Two\n---\n\nA ' + 'x' * 200_000 + ' word.\n')"
good "large: a 200 KB word with no break points"
mkbook; python3 -c "open('$B/two.md', 'w').write('---\ntitle: Two\n---\n\n' + '> ' * 10_000 + 'deep\n')"
bad "large: 10,000 nested block quotes" "$B/two.md:5:129: error: block quotes or lists nested more than 64 deep"
mkbook; python3 -c "open('$B/two.md', 'w').write('---\ntitle: Two\n---\n\n' + ''.join('  ' * i + '- item\n' for i in range(10_000)))"
bad "large: 10,000 nested lists" "$B/two.md:37:65: error: block quotes or lists nested more than 64 deep"
mkbook; python3 -c "open('$B/two.md', 'w').write('---\ntitle: Two\n---\n\n' + '*' * 10_000 + 'x' + '*' * 10_000 + '\n')"
bad "large: 10,000 nested emphases" "$B/two.md:5:1: error: emphasis or links nested more than 64 deep"
mkbook; python3 -c "
n = 100_000
body = ''.join('Sentence %d.[^%d] ' % (i, i) for i in range(n)) + '\n\n'
body += ''.join('[^%d]: Note %d.\n' % (i, i) for i in range(n))
open('$B/two.md', 'w').write('---\ntitle: Two\n---\n\n' + body)"
good "large: 100,000 footnotes"

# === footnotes ================================================================
mkbook; essay 'Text.[^a]\n\n[^a]: A note that cites itself.[^a]\n'
bad "footnote: refers to itself" "$B/two.md:7:32: error: footnote '[^a]' refers to itself"
mkbook; essay 'Text.[^a]\n\n[^a]: First.\n\n[^a]: Second.\n'
bad "footnote: a label defined twice" "$B/two.md:9:1: error: footnote '[^a]' is defined twice (first on line 7)"
mkbook; essay 'Text.[^a] more[^b].\n\n[^a]: See[^b].\n\n[^b]: See[^a].\n'
good "footnote: two notes that cite each other"
mkbook; essay 'Text.\n\n```\n[^a]: in code\n[^a]: in code\n```\n'
good "footnote: labels in a code block are text"

# === images ===================================================================
mkbook; png "$B/images/ok.png"; head -c 40 "$B/images/ok.png" >"$B/images/short.png"
essay '![A chart](images/short.png)\n'
bad "image: a truncated PNG" "$B/two.md:5:1: error: image 'images/short.png' is a truncated PNG"
mkbook; printf '\377\330\377\340\000\020JFIF\000' >"$B/images/short.jpg"; essay '![A chart](images/short.jpg)\n'
bad "image: a truncated JPEG" "$B/two.md:5:1: error: image 'images/short.jpg' is a truncated JPEG"
mkbook; png "$B/images/ok.png"; python3 -c "
d = bytearray(open('$B/images/ok.png', 'rb').read()); d[45] ^= 0xFF
open('$B/images/bad.png', 'wb').write(d)"
essay '![A chart](images/bad.png)\n'
bad "image: a damaged PNG" "$B/two.md:5:1: error: image 'images/bad.png' is a damaged PNG (a chunk's checksum is wrong)"
mkbook; printf 'not an image\n' >"$B/images/text.png"; essay '![A chart](images/text.png)\n'
bad "image: not an image" "$B/two.md:5:1: error: image 'images/text.png' is not a PNG, JPEG, GIF or SVG image"
mkbook; png "$B/images/huge.png" 50000 50000; essay '![A chart](images/huge.png)\n'
bad "image: 50,000 x 50,000 pixels" "$B/two.md:5:1: error: image 'images/huge.png' is 50000 x 50000 pixels; octavo takes 1 to 20000 a side"
mkbook; png "$B/images/ok.png"; essay '![A chart](images/ok.png)\n'
good "image: a good PNG"
mkbook; png "$B/images/dot.png"
printf 'title: Civiq Dialogue\nsubtitle: How government and civil society can work together\nlanguage: en-GB\nidentifiers: {uuid: 11111111-2222-3333-4444-555555555555}\nparts: [two.md]\n' >"$B/book.yaml"
printf '# Two\n\n> A quotation.\n\n- a list\n- of two\n\n![A dot](images/dot.png)\n' >"$B/two.md"
good "image: a 1 x 1 PNG figure"

# === characters no font has (right-to-left and CJK text set by a fallback font) =
# A machine without the system's fallback fonts (fonts-dejavu-core,
# fonts-droid-fallback): the build goes on, each character told at its place.
export OCTAVO_SYSTEM_FONTS="$T/no-fonts"
mkbook; essay 'A snowman \342\230\203 and a fraktur \360\235\224\230 here.\n'
good "glyphs: characters no font has (warning)" "$B/two.md:5:11: warning: no font has '☃' (U+2603), '𝔘' (U+1D518); they are printed as a hollow box"
if out2=$(pdftotext "$T/go/test-book.pdf" - 2>/dev/null) && printf '%s' "$out2" | grep -q 'snowman □ and a fraktur □ here'; then
	ok "glyphs: a visible replacement in the PDF"
else no "glyphs: a visible replacement in the PDF" "$(printf '%s' "$out2" | grep snowman)"; fi
mkbook; essay 'Latin text with שלום עולם in it.\n'
good "scripts: right-to-left text with no font for it (warning)" "$B/two.md:5:17: warning: no font has 'ם' (U+05DD), 'ו' (U+05D5), 'ל' (U+05DC), 'ש' (U+05E9), 'ע' (U+05E2); they are printed as a hollow box"
mkbook; essay 'Latin text with 中文文本 in it.\n'
good "scripts: CJK text with no font for it (warning)" "$B/two.md:5:17: warning: no font has '中' (U+4E2D), '文' (U+6587), '本' (U+672C); they are printed as a hollow box"
unset OCTAVO_SYSTEM_FONTS

# === a style file with impossible geometry ====================================
mkbook; style 's/inner: 16mm/inner: 100mm/'
bad "style: margins wider than the page" "$B/mine.yaml:5:3: error: the inner and outer margins leave less than 1 in of text width"
mkbook; style 's/top: 17mm/top: 120mm/' 's/bottom: 21mm/bottom: 120mm/'
bad "style: margins taller than the page" "$B/mine.yaml:5:3: error: the top and bottom margins leave less than 1 in of text height"
mkbook; style 's/size: 10.5pt/size: 0pt/'
bad "style: a zero body size" "$B/mine.yaml:10:3: error: body size 0.0pt is outside 4pt to 72pt"
mkbook; style 's/size: 8.5pt/size: 0/'
bad "style: a zero note size" "$B/mine.yaml:15:3: error: notes need a size of 4pt to 72pt and leading no less than the size"
mkbook; style 's/h2: 11.5pt/h2: 0pt/'
bad "style: a zero heading size" "$B/mine.yaml:19:7: error: heading size 'h2' of 0.0pt is outside 4pt to 144pt"
mkbook; style 's/width: 138mm/width: 0mm/'
bad "style: a zero page width" "$B/mine.yaml:2:3: error: page size 0.0 x 612.3 pt is outside 1 in to 200 in"
mkbook; style 's/height: 216mm/height: 1e308in/'
bad "style: an infinite page" "$B/mine.yaml:3:11: error: 'height' is more than 200 in"
mkbook; style 's/leading: 14pt/leading: 5pt/'
bad "style: leading less than the size" "$B/mine.yaml:10:3: error: body leading 5.0pt is less than the body size"
mkbook; style 's/indent: 1em/indent: 30em/'
bad "style: an indent wider than the text" "$B/mine.yaml:12:11: error: paragraph indent 315.0pt is more than half the text width"
mkbook; style 's/leading: 11pt/leading: 300pt/'
bad "style: notes too tall for the page" "$B/mine.yaml:5:3: error: the text block is 504.6pt high: too little for two lines of text and two of notes"
mkbook; style 's/leading: 14pt/leading: 1.3em/' 's/size: 8.5pt/size: 0.8em/'
good "style: leading and note size in ems (accepted)"
mkbook; style 's|^  italic: .*|  italic:|'
bad "style: a face that names no file" "$B/mine.yaml:23:10: error: 'italic' names no file"
mkbook; style 's/top: 17mm/top: -5mm/'
bad "style: a negative margin" "$B/mine.yaml:5:8: error: 'top' must not be negative"
mkbook; style 's/width: 138mm/width: 138 furlongs/'
bad "style: an unknown unit" "$B/mine.yaml:2:10: error: unknown unit 'furlongs' in 'width'"
mkbook; style 's/size: 10.5pt/size: nan/'
bad "style: not a number" "$B/mine.yaml:10:9: error: 'size' must be a length such as '12pt', not 'nan'"

# === security: paths stay inside the manuscript ===============================
mkbook; essay '![A chart](../../etc/passwd)\n'
bad "confined: an image above the manuscript" "$B/two.md:5:1: error: image '../../etc/passwd' is outside the manuscript directory"
mkbook; essay '![A chart](/etc/passwd)\n'
bad "confined: an image by absolute path" "$B/two.md:5:1: error: image '/etc/passwd' is outside the manuscript directory"
mkbook; png "$T/outside.png"; ln -s "$T/outside.png" "$B/images/link.png"; essay '![A chart](images/link.png)\n'
bad "confined: an image symlinked outside" "$B/two.md:5:1: error: image 'images/link.png' is outside the manuscript directory"
mkbook; ln -s /etc "$B/images/etc"; essay '![A chart](images/etc/passwd)\n'
bad "confined: an image through a symlinked folder" "$B/two.md:5:1: error: image 'images/etc/passwd' is outside the manuscript directory"
mkbook; sed -i 's|two.md|../two.md|' "$B/book.yaml"
bad "confined: a part above the manuscript" "$B/book.yaml:7:5: error: part '../two.md' is outside the manuscript directory"
mkbook; sed -i 's|two.md|/etc/passwd|' "$B/book.yaml"
bad "confined: a part by absolute path" "$B/book.yaml:7:5: error: part '/etc/passwd' is outside the manuscript directory"
mkbook; cp "$B/two.md" "$T/outside.md"; ln -s "$T/outside.md" "$B/link.md"; sed -i 's|two.md|link.md|' "$B/book.yaml"
bad "confined: a part symlinked outside" "$B/book.yaml:7:5: error: part 'link.md' is outside the manuscript directory"
mkbook; printf 'style: ../mine.yaml\n' >>"$B/book.yaml"
bad "confined: a style above the manuscript" "$B/book.yaml:8:8: error: style '../mine.yaml' is outside the manuscript directory"
mkbook; style 's|regular: .*|regular: /etc/passwd|'
bad "confined: a style's font outside" "$B/mine.yaml:22:12: error: regular '/etc/passwd' is outside the manuscript and octavo's own folders"
mkbook; style 's|^  css: .*|  css: /etc/passwd|'
bad "confined: a style's CSS outside" "$B/mine.yaml:28:8: error: css '/etc/passwd' is outside the manuscript and octavo's own folders"
mkbook; printf 'slug: ../../escaped\n' >>"$B/book.yaml"
bad "confined: a slug that climbs out of the output folder" "$B/book.yaml:8:7: error: 'slug' must be a plain file name (letters, digits, '-', '_')"
mkbook; sed -i 's|^title: Test Book|title: "../../Test/Book"|' "$B/book.yaml"
good "confined: a title with slashes makes a plain file name"
if [ "$(ls "$T/go")" = "$(printf 'test-book.epub\ntest-book.pdf')" ] && [ ! -e "$T/Test" ]; then
	ok "confined: outputs only inside the output folder"
else no "confined: outputs only inside the output folder" "$(ls -R "$T/go")"; fi

# === security: raw HTML and links never reach the EPUB as markup ==============
mkbook; essay '<script>alert(1)</script>\n\nText <img src="http://evil.example/x.png" onerror="alert(2)"> and <a href="javascript:alert(3)" onclick="x()">a</a>.\n\n<link rel="stylesheet" href="http://evil.example/s.css">\n\n<iframe src="http://evil.example/"></iframe>\n\nA [link](javascript:alert(4)), [another](java&#9;script:alert(5)) and [a file](file:///etc/passwd).\n'
good "html: script, handlers and external resources (warnings)" "$B/two.md:5:1: warning: raw HTML <script> left out of the book"
unzip -p "$T/go/test-book.epub" 'OEBPS/*' >"$T/all.txt" 2>/dev/null
if grep -qiE '<script|onerror|onclick|javascript|evil\.example|<iframe|file:///etc' "$T/all.txt"; then
	no "html: nothing of it is in the EPUB" "$(grep -oiE '.{0,40}(<script|onerror|onclick|javascript|evil\.example|<iframe|file:///etc).{0,40}' "$T/all.txt" | head -5)"
else ok "html: nothing of it is in the EPUB"; fi
mkbook; printf -- '---\ntitle: "<script>alert(1)</script> & \\"x\\""\nauthor: "O'"'"'Brien <b onmouseover=x>"\n---\n\nText with & and < and ]]> and \\\\u0001.\n' >"$B/two.md"
good "html: markup characters in titles and text are escaped"
if grep -q '<script>' "$T/x/OEBPS/text/essay-02.xhtml" 2>/dev/null; then no "html: a title's markup is text"; else ok "html: a title's markup is text"; fi

# === security: well-formed XML for random manuscripts ==========================
# Manuscripts made of random pieces of Markdown, markup, entities and odd
# characters; each must build (or fail cleanly) and give well-formed XML.
nbad=0 nrand=0 msg=""
for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
	mkbook
	python3 - "$seed" "$B/two.md" "$B/book.yaml" <<'PY'
import random, sys
r = random.Random(int(sys.argv[1]))
bits = ['*', '**', '_', '`', '[', ']', '(', ')', '<', '>', '&', '"', "'", '#', '- ', '> ',
        '\n', '\n\n', '|', '---', '&amp;', '&#0;', '&#x1F600;', '&#xFFFE;', '&#11;', '<b>',
        '</i>', '<![CDATA[', ']]>', '<!--', '-->', '\\', '[^1]', '[^1]: ', '![x](images/none.png)',
        '[l](http://a.b/?x="y"&z=<w>)', '\u00a0', '\u200b', '\u2028', '\ufeff', '\U0001F600',
        'word', 'words and more', '\t', '~~', '1. ', '```', '<http://x.y/"><b>>', '\x0b', '\x1f']
def text(n): return ''.join(r.choice(bits) for _ in range(n))
open(sys.argv[2], 'w').write('---\ntitle: "T%s"\nsubtitle: %s\n---\n\n%s\n' % (
    r.randrange(99), repr(text(5)).replace("\\'", "''"), text(r.randrange(50, 400))))
meta = open(sys.argv[3]).read().replace('title: Test Book', 'title: %s' % repr('Book ' + text(6)).replace("\\'", "''"))
open(sys.argv[3], 'w').write(meta + 'description: %s\nkeywords: [%s]\n' % (
    repr(text(8)).replace("\\'", "''"), repr(text(3)).replace("\\'", "''")))
PY
	nrand=$((nrand + 1))
	rm -rf "$T/go"
	out=$(cd "$T" && timeout 300 "$OCTAVO" build "$B" -o "$T/go" -q 2>&1); rc=$?
	if crashed; then
		nbad=$((nbad + 1)); msg="$msg seed $seed: crashed: $(printf '%s' "$out" | grep -m1 -E 'runtime error|Sanitizer');"
	elif [ $rc -eq 0 ]; then
		xml_ok "$T/go/"*.epub || { nbad=$((nbad + 1)); msg="$msg seed $seed: XML not well-formed;"; }
	elif [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -qE '^[^ ]+:[0-9]+:[0-9]+: error: '; then
		nbad=$((nbad + 1)); msg="$msg seed $seed: exit $rc: $(printf '%s' "$out" | head -3);"
	fi
done
if [ $nbad -eq 0 ]; then ok "xml: $nrand random manuscripts give well-formed XML or a clear error"
else no "xml: random manuscripts ($nbad of $nrand bad)" "$msg"; fi

# === security: no shell ========================================================
# Nothing may hand a string to a shell: no system() or popen(), and no
# program started as "sh -c". (Starting a program with an argv array, as
# posix_spawn does, passes each argument as it is and is allowed.)
if grep -nE '\b(system|popen)[[:space:]]*\(|"(/bin/)?(ba|da)?sh"|"-c"' \
	"$ROOT"/src/*.c "$ROOT"/src/*/*.c >"$T/shell.txt"; then
	no "shell: no code runs a shell" "$(cat "$T/shell.txt")"
else ok "shell: no code runs a shell"; fi

# === resources: linear growth ==================================================
sh "$ROOT/tests/fuzz/linear.sh"
