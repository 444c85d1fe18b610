#!/bin/sh
# tests/suites/html14.sh - raw HTML in Markdown, as GitHub READMEs and
# Node.js's API docs write it (issue 14 item 7): set in both editions, not
# left out. tests/books/html14 has tables (thead, caption, th scope=row,
# colspan, Markdown in a cell after a blank line), <details>, <p align>,
# <img>, <picture>, <pre>, an HTML list, inline links, spans and strikes;
# and what octavo cannot set (script, iframe, video), each warned at its
# line. The Node docs' 17 tables reach the PDF (when Debian's nodejs ships
# them). Cut at random points, the HTML never crashes octavo.
. "$ROOT/tests/lib.sh"
H=$ROOT/tests/books/html14
if expect 0 "html14: the book builds" "$OCTAVO" build "$H" -o "$T/o"; then
	msgs=$out
	pdf=$T/o/raw-html-in-markdown.pdf
	txt=$(pdftotext "$pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ')
	for s in 'Supported platforms' 'Platform Version Notes' 'Linux & BSD' '≥ 4.19' \
		'Tested on x86_64 and arm64' 'See the Mac page for café <notes>.' \
		'Windows (both columns)' 'Works well' 'Markdown inside a cell, after a blank line' \
		'const cell = 42;' 'Installation notes for Windows' 'Run the installer as an administrator' \
		'second step of the notes' 'read the manual online' 'spanned words and the old name new name' \
		'An HTML list item with emphasis' 'Centred words of a centre tag' '$ make && make install' \
		'R&D since 2020' 'Applies multiple bug workarounds within OpenSSL' \
		'Node-API version Supported In' 'v12.22.0+, v14.17.0+' 'fallback words' \
		'The project’s logo' 'Logo in a picture element' \
		'A README Titled in HTML . . .' 'No front matter: the h1 above is the title.'; do
		case $txt in
		*"$s"*) ok "html14: PDF: '$s'" ;;
		*) no "html14: PDF: '$s'" "$txt" ;;
		esac
	done
	case $txt in
	*alert*|*'<b>'*|*'<td'*|*'&amp;'*) no "html14: PDF: no markup or script as text" "$txt" ;;
	*) ok "html14: PDF: no markup or script as text" ;;
	esac
	# the logo three times and the dot in the line: four images drawn
	n=$(pdfimages -list "$pdf" 2>/dev/null | awk 'NR > 2' | wc -l)
	want "html14: PDF: the <img>s drawn" "$n" -eq 4
	# warnings at the line and column of what is left out, or set plainly
	for s in '01-readme.md:14:16: warning: raw HTML <u> is set without its underline' \
		'01-readme.md:74:1: warning: raw HTML <script> left out of the book' \
		'01-readme.md:76:1: warning: raw HTML <iframe> left out of the book' \
		'02-api.md:43:28: warning: raw HTML <video> left out of the book'; do
		out=$msgs contains "html14: warns '${s%%: warning*}'" "$s"
	done
	n=$(printf '%s\n' "$msgs" | grep -c 'raw HTML' || true)
	want "html14: nothing else reported as raw HTML" "$n" -eq 4
	# the colspan= is set as a span (spans14.sh), not warned of
	case $msgs in
	*'cell spans'*) no "html14: a colspan= inside its table is not warned of" "$msgs" ;;
	*) ok "html14: a colspan= inside its table is not warned of" ;;
	esac
	# (the print pages' markers left out: where they fall is not what is checked)
	xh=$(unzip -p "$T/o/raw-html-in-markdown.epub" OEBPS/text/essay-01.xhtml OEBPS/text/essay-02.xhtml 2>/dev/null |
		sed 's|<span epub:type="pagebreak" [^>]*/>||g')
	n=$(printf '%s\n' "$xh" | grep -c '^<table>')
	want "html14: EPUB: four tables" "$n" -eq 4
	t3=$(unzip -p "$T/o/raw-html-in-markdown.epub" OEBPS/text/essay-03.xhtml 2>/dev/null)
	case $t3 in
	*'<h2 class="title" epub:type="title">A README Titled in HTML</h2>'*'A logo above the title'*)
		ok "html14: EPUB: <h1 align=center> first in a part is its title" ;;
	*) no "html14: EPUB: <h1 align=center> first in a part is its title" "$t3" ;;
	esac
	for s in '<caption>Supported platforms</caption>' '<th scope="col">Platform</th>' \
		'<td><strong>Markdown</strong> inside a cell, after a blank line</td>' \
		'<details open="open">' '<summary><strong>Installation notes for Windows</strong></summary>' \
		'<a href="https://example.org/docs">manual online</a>' '<del>old name</del>' \
		'<li>An HTML list item with <em>emphasis</em>' '<div class="centered">' \
		'alt="red dot"' '<td><strong>9</strong></td>' '$ make &amp;&amp; make install' \
		'<td colspan="2">Windows (both columns)</td><td>Works'; do
		case $xh in
		*"$s"*) ok "html14: EPUB: '$s'" ;;
		*) no "html14: EPUB: '$s'" "$xh" ;;
		esac
	done
	case $xh in
	*'<script'*|*alert*|*'<iframe'*|*'<video'*) no "html14: EPUB: nothing left out leaks" "$xh" ;;
	*) ok "html14: EPUB: nothing left out leaks" ;;
	esac
	xml_ok "$T/o/raw-html-in-markdown.epub" && ok "html14: EPUB: well-formed" ||
		no "html14: EPUB: well-formed" ""
	epubcheck_ok html14 "$T/o/raw-html-in-markdown.epub"
fi

# --- cut at random points: any prefix of the README builds or fails cleanly
python3 - "$H/01-readme.md" "$T/cuts" <<'PY'
import os, random, sys
src = open(sys.argv[1], encoding="utf-8").read()
head, body = src.split("---\n", 2)[1:], None
fm = "---\n" + src.split("---\n", 2)[1] + "---\n"
body = src.split("---\n", 2)[2]
rnd = random.Random(14)
os.makedirs(sys.argv[2], exist_ok=True)
for i in range(12):
    a = rnd.randrange(len(body))
    b = rnd.randrange(a, len(body) + 1)
    # a prefix, or a slice from the middle, or the body with a piece cut out
    cut = [body[:a], body[a:b], body[:a] + body[b:]][i % 3]
    # and some garbage: unclosed tags, a huge attribute, stray '<' and '&'
    if i % 4 == 3:
        cut += '<table><tr><td a="' + "x" * 70000 + '"><b>&#x110000;&#0;&bogus;<' + "<td>" * 300
    open(os.path.join(sys.argv[2], "cut%02d.md" % i), "w", encoding="utf-8").write(
        fm + "\n" + cut + "\n\nText.\n")
PY
bad=0
for f in "$T"/cuts/cut*.md; do
	mkbook "$T/cb"
	cp "$f" "$T/cb/two.md"
	cp -r "$H/images" "$T/cb/"
	out=$("$OCTAVO" build "$T/cb" -o "$T/co" -q 2>&1)
	rc=$?
	if crashed || [ "$rc" -gt 1 ]; then
		bad=$((bad + 1))
		printf '%s\n' "$out" | grep -E 'runtime error|Sanitizer|#[0-9] ' | head -5
	fi
done
want "html14: cut HTML: no crash in 12 builds" "$bad" -eq 0

# --- the Node.js API docs: their HTML tables in the book
N_API=/usr/share/doc/nodejs/api
if [ -f "$N_API/crypto.md" ] && [ -f "$N_API/n-api.md" ]; then
	sh "$ROOT/bench/nodebook.sh" "$N_API" "$T/node" >/dev/null 2>&1
	if expect 0 "html14: Node docs build" "$OCTAVO" build "$T/node" -o "$T/no"; then
		n=$(printf '%s\n' "$out" | grep -c 'raw HTML <table>\|raw HTML <span>\|raw HTML <a>' || true)
		want "html14: Node docs: no <table>, <span> or <a> left out" "$n" -eq 0
		ntxt=$(pdftotext "$T/no/node-api.pdf" - 2>/dev/null)
		for s in 'Supported In' 'Instructs OpenSSL to use Cisco’s version'; do
			printf '%s\n' "$ntxt" | grep -qF "$s" && ok "html14: Node docs: PDF: '$s'" ||
				no "html14: Node docs: PDF: '$s'"
		done
	fi
else
	skip "html14: Node docs not installed"
fi
