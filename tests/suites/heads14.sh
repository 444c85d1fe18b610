#!/bin/sh
# tests/suites/heads14.sh - running heads never leave the text block
# (issue 14, on any book): a book title or an essay title wider than the
# measure is shortened at a word, with an ellipsis, and a warning at
# where the title is given says so; 'running-head:' (book.yaml for the
# versos, a part's front matter for its rectos) gives a shorter one. The
# words' boxes are checked by tests/textblock.py (pdftotext -bbox).
. "$ROOT/tests/lib.sh"
B=$T/heads14
mkbook "$B"
printf 'slug: test-book\n' >>"$B/book.yaml"
sed -i 's/^title: Test Book$/title: An Uncommonly Long Book Title That Runs On Well Past Any Measure a Running Head Could Hold/' \
	"$B/book.yaml"
para='The partnership between the state and the voluntary sector has been described many times, and each time the description has been a little different from the last. '
body=
for i in 1 2 3 4 5 6 7 8; do body="$body$para$para$para$para\n\n"; done
printf -- '---\ntitle: "The Wealth We Do Not Count: Why the Voluntary Sector Must Be Treated as a Partner, Not a Supplier of Services"\n---\n\n%b%b' \
	"$body" "$body" >"$B/one.md"
printf -- '---\ntitle: "Another Title Far Too Long for the Head of Its Pages, Even in Italic at the Size of the Notes"\nrunning-head: "Another Title"\n---\n\n%b%b' \
	"$body" "$body" >"$B/two.md"

if expect 0 "heads14: the book builds" "$OCTAVO" build "$B" -o "$T/heads14-out"; then
	contains "heads14: the essay's title is warned of at its front matter" \
		"one.md:2:8: warning: running head 'The Wealth We Do Not Count"
	contains "heads14: the book's title is warned of in book.yaml" "book.yaml:1:8: warning: running head"
	contains "heads14: the warning says what it was shortened to" "shortened to 'The Wealth We Do Not Count"
	contains "heads14: the hint names the key" "running-head: ...' in the part's front matter"
	printf '%s\n' "$out" | grep -q "two.md:.*running head" &&
		no "heads14: a part with 'running-head:' is not warned of" "$out" ||
		ok "heads14: a part with 'running-head:' is not warned of"
	pdf=$T/heads14-out/test-book.pdf
	tb=$(python3 "$ROOT/tests/textblock.py" "$pdf" 2>&1)
	if [ $? -eq 0 ]; then
		ok "heads14: no word leaves the text block"
	else
		no "heads14: no word leaves the text block" "$tb"
	fi
	txt=$(pdftotext "$pdf" - 2>/dev/null | tr -d "\f")
	n=$(printf '%s\n' "$txt" | grep -c '^The Wealth We Do Not Count:.*…$')
	want "heads14: the essay's rectos carry its shortened title, with an ellipsis" "$n" -ge 2
	n=$(printf '%s\n' "$txt" | grep -c '^An Uncommonly Long Book Title.*…$')
	want "heads14: the versos carry the book's shortened title" "$n" -ge 2
	n=$(printf '%s\n' "$txt" | grep -c '^Another Title$')
	want "heads14: 'running-head:' is the second essay's head" "$n" -ge 2
fi

# book.yaml's 'running-head:' for the versos: no warning, that head.
sed -i '1a running-head: A Short Title' "$B/book.yaml"
if expect 0 "heads14: book.yaml's running-head" "$OCTAVO" build "$B" -o "$T/heads14-out2"; then
	printf '%s\n' "$out" | grep -q "book.yaml:.*running head" &&
		no "heads14: book.yaml's running-head: no warning" "$out" ||
		ok "heads14: book.yaml's running-head: no warning"
	n=$(pdftotext "$T/heads14-out2/test-book.pdf" - 2>/dev/null | tr -d "\f" | grep -c '^A Short Title$')
	want "heads14: book.yaml's running-head on the versos" "$n" -ge 2
fi

# A 'running-head:' itself too long is warned of at its own line, not the
# title's; with 'pages: verso-head: author', a byline too long for the
# verso at its 'author:' line, with a hint that fits it (before: line 1,
# col 1, and a hint to give a running-head, which heads only rectos).
# three.md's lines: 1 ---, 2 title, 3 author, 4 running-head.
long='A Running Head Given Too Long for Its Own Pages, Set in the Italic of the Notes Anyway'
printf -- '---\ntitle: "Three"\nauthor: "Dame Henrietta Montgomery-Fotheringay of the Royal Society for Very Long Names"\nrunning-head: "%s"\n---\n\n%b%b' \
	"$long" "$body" "$body" >"$B/three.md"
sed -i 's/^  - two.md$/  - two.md\n  - three.md/' "$B/book.yaml"
if expect 0 "heads14: a running-head too long" "$OCTAVO" build "$B" -o "$T/heads14-rh"; then
	contains "heads14: a running-head too long is warned of at its own line" \
		"three.md:4:15: warning: running head 'A Running Head Given"
fi
style
printf 'pages:\n  verso-head: author\n' >>"$B/mine.yaml"
if expect 0 "heads14: verso-head: author" "$OCTAVO" build "$B" -o "$T/heads14-va"; then
	contains "heads14: a byline too long for the verso is warned of at its author: line" \
		"three.md:3:9: warning: running head 'Dame Henrietta"
	contains "heads14: the byline's hint says what to do" "shorten the byline, or head the versos"
fi
sed -i '/^  - three.md$/d; /^style: mine.yaml$/d' "$B/book.yaml"

# The folios in the head ('pages: folios: head'): the head leaves them
# room, an em from each.
sed -i '/^running-head:/d' "$B/book.yaml"
style
printf 'pages:\n  folios: head\n' >>"$B/mine.yaml"
if expect 0 "heads14: folios in the head" "$OCTAVO" build "$B" -o "$T/heads14-out3"; then
	tb=$(python3 "$ROOT/tests/textblock.py" "$T/heads14-out3/test-book.pdf" 2>&1)
	if [ $? -eq 0 ]; then
		ok "heads14: folios in the head: no word leaves the text block"
	else
		no "heads14: folios in the head: no word leaves the text block" "$tb"
	fi
	# No head's words run into its folio: each head line's words are
	# an em or more from the page's folio.
	bad=$(pdftotext -bbox "$T/heads14-out3/test-book.pdf" - 2>/dev/null | python3 -c '
import re, sys
W = re.compile(r"<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>")
bad = 0
for page in sys.stdin.read().split("<page ")[1:]:
    words = [(float(a), float(b), float(c), w) for a, b, c, d, w in W.findall(page)]
    if not words:
        continue
    top = min(w[1] for w in words)
    head = sorted(w for w in words if abs(w[1] - top) < 2)
    for a, b in zip(head, head[1:]):
        if b[0] - a[2] < 0.5:
            bad += 1
print(bad)')
	want "heads14: folios in the head: no head runs into its folio" "$bad" -eq 0
fi

# Every heading level looks different (issue 14 item 6): h6 in small
# capitals (Charis has them), wider than h5's italic "level" by far; the
# EPUB's stylesheet sets h4 to h6 as the PDF does.
B=$T/levels14
mkbook "$B"
{
	printf -- '---\ntitle: "Heading levels"\n---\n\n'
	for l in 2 3 4 5 6; do
		printf '%s Heading at level %d\n\nBody text follows the heading, a paragraph of ordinary prose.\n\n' \
			"$(printf '%*s' "$l" '' | tr ' ' '#')" "$l"
	done
} >"$B/one.md"
if expect 0 "heads14: the heading levels book builds" "$OCTAVO" build "$B" -o "$T/levels-out"; then
	w=$(pdftotext -bbox "$T/levels-out/test-book.pdf" - 2>/dev/null | grep '>level</word>' |
		sed 's/.*xMin="\([0-9.]*\)".*xMax="\([0-9.]*\)".*/\1 \2/' |
		awk '{ w[NR] = $2 - $1 } END { printf "%d", (NR == 5 && w[5] > 1.15 * w[4]) ? 1 : 0 }')
	want "heads14: h6 is set in small capitals, wider than h5's italic" "$w" -eq 1
	css=$(unzip -p "$T/levels-out/test-book.epub" OEBPS/css/style.css 2>/dev/null)
	printf '%s\n' "$css" | tr -d '\n' | grep -q 'h6 {[^}]*font-variant: small-caps' &&
		ok "heads14: EPUB: h6 in small capitals" ||
		no "heads14: EPUB: h6 in small capitals" "$(printf '%s\n' "$css" | grep -A3 'h6')"
	printf '%s\n' "$css" | tr -d '\n' | grep -q 'h4 {[^}]*font-weight: bold' &&
		ok "heads14: EPUB: h4 bold italic, as in the PDF" ||
		no "heads14: EPUB: h4 bold italic, as in the PDF" ""
fi

# A font with no small capitals (DejaVu Serif): h6 falls back to bold
# roman, not to roman at the body's look (a one-line paragraph, audit14);
# its "level" as wide as h4's bold italic one, near enough, and wider than
# h5's italic.
D=/usr/share/fonts/truetype/dejavu
if [ -f "$D/DejaVuSerif.ttf" ] && [ -f "$D/DejaVuSerif-Bold.ttf" ]; then
	mkdir -p "$B/f"
	cp "$D/DejaVuSerif.ttf" "$B/f/r.ttf"
	cp "$D/DejaVuSerif-Italic.ttf" "$B/f/i.ttf"
	cp "$D/DejaVuSerif-Bold.ttf" "$B/f/b.ttf"
	cp "$D/DejaVuSerif-BoldItalic.ttf" "$B/f/bi.ttf"
	style "s|regular: .*|regular: f/r.ttf|; s|italic: .*|italic: f/i.ttf|; s|bold: .*|bold: f/b.ttf|; s|bold-italic: .*|bold-italic: f/bi.ttf|"
	if expect 0 "heads14: the heading levels in DejaVu Serif build" "$OCTAVO" build "$B" -o "$T/dv-out"; then
		w=$(pdftotext -bbox "$T/dv-out/test-book.pdf" - 2>/dev/null | grep '>level</word>' |
			sed 's/.*xMin="\([0-9.]*\)".*xMax="\([0-9.]*\)".*/\1 \2/' |
			awk '{ w[NR] = $2 - $1 } END { printf "%d", (NR == 5 && w[5] > 1.04 * w[4] && w[5] > 0.97 * w[3]) ? 1 : 0 }')
		want "heads14: no small capitals: h6 in bold roman" "$w" -eq 1
	fi
else
	skip "heads14: DejaVu Serif not installed"
fi
