#!/bin/sh
# tests/suites/pages14f.sh - issue 14, the last page depth failure and item
# 2's "never more than one page from its reference".
# - Stacked heads (a heading right under another) are set a quarter line
#   apart (depth14p; was half a line), off the baseline grid, the text
#   after them back on it: tests/books/blocks p. 5 (PDF p. 11), an essay
#   opening whose H2/H3/H4 stack and two lines once went whole to p. 6,
#   leaving p. 5 six lines short. A heading squeezed at a page's foot
#   (half a line of its space given up) is the search's choice at
#   SQUEEZE_DEMERITS: p. 5 now runs a line long (its verso a part's end)
#   with the stack's full space rather than squeezed.
# - 'octavo report' counts floats set more than a page from their place;
#   0 on the edition and every test book, and tests/books/farfloat's
#   figure, owed behind a note taller than a page, goes at the top of the
#   note's second page rather than a page later.
. "$ROOT/tests/lib.sh"

# --- blocks p. 5 -----------------------------------------------------------------
expect 0 "report blocks" "$OCTAVO" report "$ROOT/tests/books/blocks" &&
	want "blocks: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "blocks: widows" "$(fig 'widows' 1)" -eq 0 &&
	want "blocks: orphans" "$(fig 'orphans' 1)" -eq 0 &&
	{ printf '%s\n' "$out" | grep -q "^  p\.5	" &&
		no "blocks: p. 5 has no page problem" "$(printf '%s\n' "$out" | grep '^  p\.5	')" ||
		ok "blocks: p. 5 has no page problem"; }

if command -v pdftotext >/dev/null 2>&1; then
	expect 0 "build blocks" "$OCTAVO" build "$ROOT/tests/books/blocks" -o "$T/b" --pdf &&
		pdftotext -bbox -f 11 -l 11 "$T/b/"*.pdf "$T/b11.html" 2>/dev/null &&
		r=$(python3 - "$T/b11.html" <<'PY'
import re, sys
# PDF p. 11 (folio 5) holds the stack 'A second-level heading', 'A
# third-level heading', 'A fourth-level heading' and the paragraph under
# it; the heads stand a quarter line apart (1.25 x 14 pt baseline to
# baseline) and the paragraph's first line on the grid again,
# the stack nearer it than the text above (heads14m: a third of the
# slot's spare under the h4, 18.7 pt baseline to baseline; was 21).
ws = [(float(b), w) for b, w in
      re.findall(r'<word [^>]*yMax="([0-9.]+)"[^>]*>([^<]*)</word>', open(sys.argv[1]).read())]
def first(word):
    ys = [y for y, w in ws if w == word]
    return ys[0] if ys else None
h2, h3, h4, para = first('second-level'), first('third-level'), first('fourth-level'), first('before')
top = first('first')  # 'The first paragraph under a level-one heading'
if None in (h2, h3, h4, para, top):
    print('missing on p. 11: %s' % [h2, h3, h4, para, top])
    sys.exit()
bad = []
for a, b, name in ((h2, h3, 'h2-h3'), (h3, h4, 'h3-h4')):
    if not 16 < b - a < 20:
        bad.append('%s %.1f pt' % (name, b - a))
if not 17 < para - h4 < 29:
    bad.append('h4 to its text %.1f pt' % (para - h4))
# the text under the stack on the body's grid (within descender noise)
k = (para - top) / 14
if abs(k - round(k)) > 0.12:
    bad.append('text under the stack off the grid: %.2f lines below the text above' % k)
print('bad: ' + ', '.join(bad) if bad else 'ok')
PY
) && { [ "$r" = ok ] && ok "blocks: p. 5 holds the stack half a line apart, its text on the grid" ||
		no "blocks: p. 5 holds the stack half a line apart, its text on the grid" "$r"; }
else
	skip "blocks: the stack on p. 5 (pdftotext not installed)"
fi

# --- stacked heads at every depth of a page (tests/stacked14f) ----------------------
# 40 stacks of two or three heads after paragraphs of 1 to 11 sentences.
# Set a whole line apart (the half line rounded up by the grid), 2 pages
# ended two or more lines short and 5 spreads unequal; now 0 and 1 (pp.
# 2/3, which is why the book is not under tests/books/: pages14d.sh holds
# each book there to no unequal spread).
# The fifteen seeds in one book (audit14.sh) left pp. 42/43 and 212/213
# unequal and p. 241 three short (seeds 2, 8, 9, 15 set alone: seed 2
# pp. 12/13, seed 8 pp. 2/3, seed 9 its opening p. 1). depth14p: stacked
# heads a quarter line apart, so that three take whole grid lines (6,
# not 6.5 rounded to 7): the fifteen in one book 1 page two short -> 0,
# unequal 2 -> 2 (pp. 2/3 and 208/209); seeds 2 and 9 alone 0 and 0
# (below); seed 8 pp. 4/5 and seed 1 (this book's one.md) pp. 2/3 are
# unequal (seed 1 was even): p. 3 could end level with p. 2 (e 92, on
# the grid) but the pages after it cost more than the 3000. floats14n looked
# at seeds 8 and 9 (no floats: the deferred float tries do not reach
# them). Seed 8: its verso p. 2 runs a line long; p. 3 could match it,
# tried a line taller, but the break after it leaves the pages on
# dearer than the 3000 of the unequal spread, and no heading on p. 3 is
# one fill's stretch may space (heads_to_space: none). Seed 9: p. 2
# opens with the last two lines of p. 1's paragraph, then three heads
# stacked; p. 1 taking them moves p. 2's end two lines on, again just
# before a stack with its two lines, so the shift runs on: the stack a
# line shorter (depth14p) ends it. A stack moved overleaf with a line of
# text is the layout left to try.
# stack16: seed 8's pp. 4/5 (PDF pp. 10/11): the verso one short before
# the stack 'Section 5'/'Subsection 5'/'Point 5'; the recto one short
# would have ended at 're-' (kept whole by foot_hyphens), but the
# paragraph set again broke the same line at another hyphen, the lines
# the same to the pages, and the set was dropped: the words kept whole
# round by round (keep_foot_words) end it without one, 1 unequal -> 0.
# Seed 1 (this book's one.md) stays unequal: p. 3 level with p. 2 moves
# the pages after it on until p. 7 (the next stop it can end at)
# ends three or four short, whatever the pages between choose.
for seed in 2 8 9; do
	mkdir -p "$T/seed$seed"
	cp "$ROOT/tests/stacked14f/book.yaml" "$T/seed$seed/"
	python3 "$ROOT/tests/stacked14f/gen.py" "$seed" >"$T/seed$seed/one.md"
	expect 0 "report stacked seed $seed" "$OCTAVO" report "$T/seed$seed" &&
		want "stacked seed $seed: pages two or more lines short (main: seed 9's opening 3 short)" \
			"$(fig 'page depth' 4)" -eq 0 &&
		want "stacked seed $seed: unequal spreads (main: seed 2's pp. 12/13, e81b21c: seed 8's pp. 4/5)" \
			"$(fig 'unequal spreads' 1)" -eq 0
done
expect 0 "report stacked" "$OCTAVO" report "$ROOT/tests/stacked14f" &&
	want "stacked: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "stacked: unequal spreads" "$(fig 'unequal spreads' 1)" -le 1 &&
	want "stacked: widows" "$(fig 'widows' 1)" -eq 0 &&
	want "stacked: orphans" "$(fig 'orphans' 1)" -eq 0
if command -v pdftotext >/dev/null 2>&1 &&
	expect 0 "build stacked" "$OCTAVO" build "$ROOT/tests/stacked14f" -o "$T/s" --pdf; then
	# No page ends on a heading: its last line of text (above the folio)
	# is never one of the heads ('Section 3 heading', 'Point 5 heading').
	foot=$(page_feet "$T/s/stacked-heads.pdf" | grep ' heading$')
	[ -z "$foot" ] && ok "stacked: no page ends on a heading" ||
		no "stacked: no page ends on a heading" "$foot"
fi

# --- floats never more than a page from their place ----------------------------
for book in manuscript tests/books/pages tests/books/blocks tests/books/notes100 \
	tests/books/book18 tests/books/tagged tests/books/farfloat tests/stacked14f; do
	expect 0 "report $book" "$OCTAVO" report "$ROOT/$book" &&
		want "$book: floats more than a page from their place" "$(fig 'float gaps' 4)" -eq 0
done
expect 0 "report farfloat" "$OCTAVO" report "$ROOT/tests/books/farfloat" &&
	want "farfloat: the figure moved, the text filling in" "$(fig 'float gaps' 3)" -eq 1 &&
	want "farfloat: its note runs over more than a page" "$(fig 'notes split' 1)" -ge 2 &&
	want "farfloat: notes begun after their reference's page" "$(fig 'notes split' 5)" -eq 0

# Byte identity on one thread and two, with the search's short cuts checked.
expect 0 "build farfloat -j 1" "$OCTAVO" build "$ROOT/tests/books/farfloat" -o "$T/f1" -j 1 -q &&
	OCTAVO_CHECK_TRIES=1 expect 0 "build farfloat -j 2, tries checked" \
		"$OCTAVO" build "$ROOT/tests/books/farfloat" -o "$T/f2" -j 2 -q &&
	{ cmp -s "$T/f1/a-far-float.pdf" "$T/f2/a-far-float.pdf" &&
		cmp -s "$T/f1/a-far-float.epub" "$T/f2/a-far-float.epub" &&
		ok "farfloat: the same bytes on one thread and two" ||
		no "farfloat: the same bytes on one thread and two" "$(ls -l "$T/f1" "$T/f2")"; }
