#!/bin/sh
# tests/suites/titles14.sh - titles are lines of Markdown (issue 14, item
# 6 and 7: display lines, nothing the reader should see lost or garbled).
# A part's title and subtitle in its front matter, and a '# Title', keep
# their emphasis, code and sub/superscripts in both editions ("Reading
# *Middlemarch*" sets the novel's name in italic); everywhere text is
# plain (the EPUB's metadata, contents, running heads, the PDF's
# outline), the markup is gone, not printed. book.yaml's title, subtitle
# and running head are read the same way: plain words where text is plain,
# their emphasis kept on the half-title, the title page, the EPUB's title
# page and the cover's front. A title that
# only looks like a block ("1. Introduction", "# Not a heading") stays as
# written. Before: "Reading *Middlemarch*" printed its asterisks in both
# editions, and a '# Title' (or a README's HTML <h1>) lost its italic.
. "$ROOT/tests/lib.sh"
B=$T/titles14
mkbook "$B"
printf 'slug: test-book\n' >>"$B/book.yaml"
sed -i 's/^title: Test Book$/title: "On *The Origin* of Things \&amp; Others"/' "$B/book.yaml"
para='The partnership between the state and the voluntary sector has been described many times, and each time the description has been a little different from the last. '
body=
for i in 1 2 3 4 5 6; do body="$body$para$para$para$para\n\n"; done
printf -- '---\ntitle: "Reading *Middlemarch* and `grep` Today"\nsubtitle: "On *Daniel Deronda*, H~2~O and E = mc^2^"\nauthor: "B. Reader"\n---\n\n%b%b' \
	"$body" "$body" >"$B/one.md"
printf -- '# A Note on *Bleak House*\n\n%b%b' "$body" "$body" >"$B/two.md"
printf -- '---\ntitle: "1. Introduction"\n---\n\n%b' "$body" >"$B/three.md"
printf -- '<h1 align="center">A Note on <em>Hard Times</em></h1>\n\n%b' "$body" >"$B/four.md"
sed -i 's/^  - two.md$/  - two.md\n  - three.md\n  - four.md/' "$B/book.yaml"

if expect 0 "titles14: the book builds" "$OCTAVO" build "$B" -o "$T/titles14-out" -q; then
	pdf=$T/titles14-out/test-book.pdf
	epub=$T/titles14-out/test-book.epub
	txt=$(pdftotext "$pdf" - 2>/dev/null)
	stars=$(printf '%s\n' "$txt" | grep -n '[*`~^]' | head -3)
	[ -z "$stars" ] && ok "titles14: PDF: no title's markup printed" ||
		no "titles14: PDF: no title's markup printed" "$stars"
	n=$(printf '%s\n' "$txt" | grep -c 'Reading Middlemarch and grep Today')
	want "titles14: PDF: the title's words, in the opening and the contents" "$n" -ge 2
	n=$(printf '%s\n' "$txt" | tr -d '\f' | grep -c '^On The Origin of Things & Others$')
	want "titles14: PDF: the book's title as plain words, its entity decoded" "$n" -ge 2
	# The half-title and the title page (PDF pp. 1 and 3; no subtitle):
	# book.yaml's "*The Origin*" in italic, the only italic there.
	# pdftohtml marks text in an italic face <i> (pdffonts cannot tell:
	# a page lists the fonts of the resources it shares with the rest).
	for pg in 1 3; do
		f=$(pdftohtml -xml -i -q -f $pg -l $pg -stdout "$pdf" 2>/dev/null |
			grep -c '<i>The Origin</i>')
		want "titles14: PDF p. $pg: the book's title sets its italic" "$f" -ge 1
	done
	n=$(printf '%s\n' "$txt" | tr -d '\f' | grep -c '^1\. Introduction$')
	want "titles14: PDF: '1. Introduction' is a title, not a list" "$n" -ge 1
	# The opening pages: the essay title's italic is the only italic on
	# 'two.md's first page (no subtitle, a roman byline-less body).
	first=$(printf '%s\n' "$txt" | awk -v RS='\f' '/A Note on Bleak House/ && /partnership/ {print NR; exit}')
	if [ -n "$first" ]; then
		f=$(pdftohtml -xml -i -q -f "$first" -l "$first" -stdout "$pdf" 2>/dev/null |
			grep -c '<i>Bleak House</i>')
		want "titles14: PDF: '# A Note on *Bleak House*' sets its italic" "$f" -ge 1
	else
		no "titles14: PDF: the opening of two.md found" "$txt"
	fi
	x1=$(unzip -p "$epub" OEBPS/text/essay-01.xhtml)
	printf '%s\n' "$x1" | grep -q '<h2 class="title" epub:type="title">Reading <em>Middlemarch</em> and <code>grep</code> Today</h2>' &&
		ok "titles14: EPUB: the title's emphasis and code" ||
		no "titles14: EPUB: the title's emphasis and code" "$(printf '%s\n' "$x1" | grep '<h2')"
	printf '%s\n' "$x1" | grep -q 'On <em>Daniel Deronda</em>, H<sub>2</sub>O and E = mc<sup>2</sup></p>' &&
		ok "titles14: EPUB: the subtitle's emphasis, sub- and superscripts" ||
		no "titles14: EPUB: the subtitle's emphasis, sub- and superscripts" "$(printf '%s\n' "$x1" | grep subtitle)"
	printf '%s\n' "$x1" | grep -q '<title>Reading Middlemarch and grep Today</title>' &&
		ok "titles14: EPUB: the document's title is plain words" ||
		no "titles14: EPUB: the document's title is plain words" "$(printf '%s\n' "$x1" | grep '<title')"
	x2=$(unzip -p "$epub" OEBPS/text/essay-02.xhtml)
	printf '%s\n' "$x2" | grep -q 'A Note on <em>Bleak House</em></h2>' &&
		ok "titles14: EPUB: a '# Title' keeps its emphasis" ||
		no "titles14: EPUB: a '# Title' keeps its emphasis" "$(printf '%s\n' "$x2" | grep '<h2')"
	x4=$(unzip -p "$epub" OEBPS/text/essay-04.xhtml)
	printf '%s\n' "$x4" | grep -q 'A Note on <em>Hard Times</em></h2>' &&
		ok "titles14: EPUB: an HTML <h1> title keeps its emphasis" ||
		no "titles14: EPUB: an HTML <h1> title keeps its emphasis" "$(printf '%s\n' "$x4" | grep '<h2')"
	tp=$(unzip -p "$epub" OEBPS/text/titlepage.xhtml)
	printf '%s\n' "$tp" | grep -q '<h1 class="title" epub:type="title">On <em>The Origin</em> of Things &amp; Others</h1>' &&
		ok "titles14: EPUB: the title page keeps the book's title's emphasis" ||
		no "titles14: EPUB: the title page keeps the book's title's emphasis" "$(printf '%s\n' "$tp" | grep '<h1')"
	opf=$(unzip -p "$epub" OEBPS/content.opf)
	printf '%s\n' "$opf" | grep -q '<dc:title id="title">On The Origin of Things &amp; Others</dc:title>' &&
		ok "titles14: EPUB: dc:title plain" ||
		no "titles14: EPUB: dc:title plain" "$(printf '%s\n' "$opf" | grep dc:title)"
	nav=$(unzip -p "$epub" OEBPS/nav.xhtml)
	printf '%s\n' "$nav" | grep -q '[*`]' &&
		no "titles14: EPUB: no markup in the contents" "$(printf '%s\n' "$nav" | grep '[*`]')" ||
		ok "titles14: EPUB: no markup in the contents"
	if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null 2>&1; then
		if java -jar /usr/bin/epubcheck "$epub" 2>&1 |
			grep -q "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"; then
			ok "titles14: EPUB: epubcheck 0/0/0/0"
		else
			no "titles14: EPUB: epubcheck" "$(java -jar /usr/bin/epubcheck "$epub" 2>&1 | tail -5)"
		fi
	else
		skip "titles14: EPUB: epubcheck not installed"
	fi
fi
lib_cleanup
