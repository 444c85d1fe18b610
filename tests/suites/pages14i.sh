#!/bin/sh
# tests/suites/pages14i.sh - issue 14 item 4 on code-heavy books: every full
# page ends on the last grid line, or a line long or short with its facing
# page the same.
# - A page that ends off the grid (code lines at 0.9 of a line, table rows)
#   has the lines after its last grid line spaced a little wider (each gap
#   up to 0.05 line, the space above a block up to half a line) so that its
#   last baseline sits on a grid line, level with its facing page's (once a
#   page of code ending 1.4 lines above the foot counted a line short and
#   its recto, a page of text, could not match it).
# - A part whose pages leave one two lines short is searched again with
#   fill's stretch (headings spaced a line wider), as one with an unequal
#   spread is.
# - In that second search a page that ends within a line of where it
#   should is also tried with its last heading a line wider, ending a line
#   or more sooner (fill_early), so that its facing page can end level.
. "$ROOT/tests/lib.sh"

# --- tests/books/code14i: code blocks at every depth of a page -------------------
# Main at 9d00fb3: pp. 6/7 and 28/29 unequal, pp. 6/7's last baselines
# apart; now every spread level.
B=$ROOT/tests/books/code14i
expect 0 "report code14i" "$OCTAVO" report "$B" &&
	want "code14i: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0 &&
	want "code14i: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "code14i: spreads whose last baselines differ" "$(fig 'spreads unbalanced' 1)" -eq 0

# The pages' last lines, read back from the PDF: the verso's and the
# recto's word boxes end within 3 pt of each other (a fifth of a line: the
# body face and the code face reach below their baselines by different
# amounts); on main p. 7's code ended a line and more above p. 6's foot.
if command -v pdftotext >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 &&
	expect 0 "build code14i" "$OCTAVO" build "$B" -o "$T/c" --pdf; then
	pdftotext -bbox "$T/c/code14i.pdf" "$T/c.html" 2>/dev/null
	r=$(python3 - "$T/c.html" <<'PY'
import re, sys
# Each page: its folio (the lowest word, a number) and the lowest word above
# it. Pages 6 and 7 (folios) were a line and more apart on main; now level.
feet = {}
for page in re.findall(r'<page.*?</page>', open(sys.argv[1]).read(), re.S):
    ws = [(float(b), w) for b, w in
          re.findall(r'<word [^>]*yMax="([0-9.]+)"[^>]*>([^<]*)</word>', page)]
    if not ws:
        continue
    folio = max(ws)
    if not folio[1].isdigit():
        continue
    body = [y for y, w in ws if y < folio[0] - 20]
    if body:
        feet[int(folio[1])] = max(body)
a, b = feet.get(6), feet.get(7)
print('ok' if a and b and abs(a - b) < 3.0 else 'pp. 6/7 end at %s and %s' % (a, b))
PY
)
	[ "$r" = ok ] && ok "code14i: pp. 6/7 end level" || no "code14i: pp. 6/7 end level" "$r"
else
	skip "code14i: pp. 6/7 end level (pdftotext or python3 missing, or the build failed)"
fi

# --- the edition: as before ------------------------------------------------------
# partend14r: a part's last page counts its lines of text; essays 14 and 15
# carry a line forward each (a spread a line short): on the grid 57 -> 53.
expect 0 "report manuscript" "$OCTAVO" report "$ROOT/manuscript" &&
	want "edition: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0 &&
	want "edition: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "edition: pages on the last grid line" "$(fig 'page depth' 1)" -ge 53 &&
	want "edition: loose lines" "$(fig 'loose lines' 2)" -le 43 &&
	want "edition: hyphenated lines (191: a paragraph on p. 72 a line looser, depth14n)" "$(fig 'hyphenated lines' 1)" -le 191

# --- the Node.js docs --------------------------------------------------------------
# Main at 9d00fb3: 7 unequal spreads of 1,102, 3 pages two or more short
# (of 2,361), 14 spreads whose last baselines differ, 1,275 pages on the
# last grid line; pages14i alone gave 1, 1, 5 and 1,449, and merged with
# audit14 (nested lists set tight: 2,386 pages) 1, 0, 5 and 1,405. The page
# two short was intl.md's opening: its next paragraph needs its two lines
# and the half line above them, a line more than the page has. qa14l's
# code blocks centred on the grid (as much space above as below): 0
# unequal, 0 two short, 4 unbalanced, 1,398 on the last grid line (from
# 1, 0, 5 and 1,418), more pages ending a line short with their facing
# page (515 -> 562) where a block's first part no longer fits a foot.
API=/usr/share/doc/nodejs/api
if [ -f "$API/fs.md" ] && [ -z "${OCTAVO_SKIP_NODE:-}" ]; then
	sh "$ROOT/bench/nodebook.sh" "$API" "$T/node"
	expect 0 "report Node docs" "$OCTAVO" report "$T/node" &&
		want "Node docs: unequal spreads" "$(fig 'unequal spreads' 1)" -le 1 &&
		want "Node docs: pages two or more lines short outside part ends" \
			"$(fig 'page depth' 4)" -le 1 &&
		want "Node docs: spreads whose last baselines differ" "$(fig 'spreads unbalanced' 1)" -le 5 &&
		want "Node docs: pages on the last grid line" "$(fig 'page depth' 1)" -ge 1390
else
	skip "Node docs (nodejs's api/*.md not installed, or OCTAVO_SKIP_NODE set)"
fi

# --- tests/books/stacked14j: two stacked-heads cases mended ---------------------
# Seeds 13 and 7 of tests/stacked14f/gen.py as two parts: a recto that could
# end a line sooner only at a hyphen, its verso two short (foot_hyphens now
# tries the page before one two short), and a spread run unequal to miss a
# recto ten pages on that could end well only at a hyphen (near_whole). Main
# at a993aeb: 1 page two short, 2 unequal spreads; now none.
B=$ROOT/tests/books/stacked14j
expect 0 "report stacked14j" "$OCTAVO" report "$B" &&
	want "stacked14j: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0 &&
	want "stacked14j: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "stacked14j: page-final hyphens on rectos" "$(fig 'page-final hyphens' 1)" -eq 0

# --- tests/books/loose14k: a part's last page of under five lines --------------
# Item 4: "pull lines back by a tighter setting of the part's last
# paragraphs (TeX's looseness)". tighter.md's last paragraph under a stack
# of heads runs two lines over its opening page: set a line tighter (the
# line breaker asked for one line fewer, lb_params' lines), the essay
# fits the page. looser.md's paragraphs cannot give a line back: a line
# looser, its last page holds five. Main at c381875: two last pages of 2
# and 3 lines; now none.
B=$ROOT/tests/books/loose14k
expect 0 "report loose14k" "$OCTAVO" report "$B" &&
	want "loose14k: part-final pages under five lines" "$(fig 'part-final pages' 1)" -eq 0 &&
	want "loose14k: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0 &&
	want "loose14k: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "loose14k: running pages (the first essay on one)" "$(fig 'page depth' 5)" -eq 3

# --- tests/books/partend14r: a part's last page under a note's tail -------------
# Item 4 counts a part's last page in lines of its text: mine7 (c6c925c)
# counted the note lines too and ended end.md on a page of 2 lines of text
# over 4 of its note's tail; the search now gives that page 5 lines of
# text, the note whole. Read back from the PDF: the lines between the
# running head and the first blank line (the space over the note rule).
B=$ROOT/tests/books/partend14r
expect 0 "report partend14r" "$OCTAVO" report "$B" &&
	want "partend14r: part-final pages under five lines of text" "$(fig 'part-final pages' 1)" -eq 0 &&
	want "partend14r: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0
if command -v pdftotext >/dev/null 2>&1; then
	expect 0 "build partend14r" "$OCTAVO" build "$B" -o "$T/pe" --pdf &&
		last=$(pdfinfo "$T/pe/"*.pdf | awk '/^Pages:/ {print $2}') &&
		text=$(pdftotext -layout -f "$last" -l "$last" "$T/pe/"*.pdf - |
			awk 'NR > 2 && !/[^ ]/ {exit} NR > 2 {n++} END {print n + 0}') &&
		want "partend14r: lines of text on the part's last page" "$text" -ge 5
else
	skip "partend14r: the last page read back (no pdftotext)"
fi

# --- tests/stacked14f: stacked heads at every depth of a page ------------------
# Fifteen generator seeds: 15 pages two or more short and 22 unequal
# spreads with pages14h's main; a verso two short whose one heading could
# not bring it to the grid is also tried a line short, its recto matching
# (pages14h). Main at 9d00fb3 left 7 and 15; fill_early and the second
# search for a page two short leave 4 and 5; pages14j's foot_hyphens on
# the page before one two short (seeds 2 and 13) and near_whole (seed 7)
# 2 and 2: seeds 9 and 15, openings two and three short whose next page
# opens on a stack of heads, and seeds 2 and 8, spreads unequal. A line
# given back (tighter_for_pages, TeX's \looseness -1) mends none of them:
# gen.py's paragraphs of long words have too little shrink, and not one
# of seed 9's 473 could be set a line shorter at the book's tolerance (of
# the edition's 537, 34 can).
if command -v python3 >/dev/null 2>&1; then
	mkdir -p "$T/st"
	cp "$ROOT/tests/stacked14f/book.yaml" "$T/st/"
	short2=0 uneq=0 seeds_ok=true
	for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		python3 "$ROOT/tests/stacked14f/gen.py" "$seed" >"$T/st/one.md"
		if ! expect 0 "report stacked14f seed $seed" "$OCTAVO" report "$T/st"; then
			seeds_ok=false
			break
		fi
		short2=$((short2 + $(fig 'page depth' 4)))
		uneq=$((uneq + $(fig 'unequal spreads' 1)))
	done
	if $seeds_ok; then
		out="two short $short2, unequal $uneq"
		want "stacked14f seeds 1-15: pages two or more lines short" "$short2" -le 2
		want "stacked14f seeds 1-15: unequal spreads" "$uneq" -le 2
	fi
else
	skip "stacked14f seeds (python3 not installed)"
fi

lib_cleanup
