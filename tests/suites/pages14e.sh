#!/bin/sh
# tests/suites/pages14e.sh - issue 14, the last pages: a spread left unequal
# is chosen again with a heading allowed a line more space above it (fill's
# stretch: the edition's pp. 36/37), and a page two lines short or unequal
# because the line it would end at ends at a hyphen has that word kept whole
# and its part set again (the pages book's p. 1 and pp. 14/15). Both must
# leave the files the same with the search's short cuts checked
# (OCTAVO_CHECK_TRIES=1) and on one thread or two.
. "$ROOT/tests/lib.sh"

# --- the edition's pp. 36/37 ----------------------------------------------------
expect 0 "report manuscript" "$OCTAVO" report "$ROOT/manuscript" &&
	want "edition: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0 &&
	want "edition: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "edition: loose lines" "$(fig 'loose lines' 2)" -le 49 &&
	# 83 since design14q set the edition's spaced em dashes as its en dashes
	# (one parenthetical dash through the book): p. 134's line ends "action -".
	want "edition: tight lines" "$(fig 'tight lines' 3)" -le 83 &&
	want "edition: orphans" "$(fig 'orphans' 1)" -eq 0 &&
	want "edition: widows" "$(fig 'widows' 1)" -eq 0

if command -v pdftotext >/dev/null 2>&1; then
	expect 0 "build manuscript" "$OCTAVO" build "$ROOT/manuscript" -o "$T/m" --pdf &&
		pdftotext -bbox "$T/m/"*.pdf "$T/m.html" 2>/dev/null &&
		r=$(python3 - "$T/m.html" <<'PY'
import re, sys
# Folios 36 and 37 end on the same line (the foot of the text block); on
# p. 36 the heading 'What it looks like when it works' sits a line further
# from the text above it than a heading's usual space (the stretch), and
# the text under it at its usual distance.
pages = {}
for page in re.findall(r'<page.*?</page>', open(sys.argv[1]).read(), re.S):
    ws = [(float(a), float(b), w) for a, b, w in
          re.findall(r'<word [^>]*yMin="([0-9.]+)"[^>]*yMax="([0-9.]+)"[^>]*>([^<]*)</word>', page)]
    if not ws:
        continue
    folio = max(ws, key=lambda x: x[1])
    if folio[2] in ('36', '37'):
        pages[folio[2]] = [x for x in ws if x is not folio]
if set(pages) != {'36', '37'}:
    print('missing %s' % sorted(pages))
    sys.exit()
# the foot of each: its last line of text or of notes (p. 37 holds a note)
foot = {k: max(x[1] for x in v) for k, v in pages.items()}
if abs(foot['36'] - foot['37']) > 3:
    print('bad: the pages end at %.1f and %.1f' % (foot['36'], foot['37']))
    sys.exit()
lines = sorted({round(x[1], 1) for x in pages["36"] if 16 < x[1] - x[0] < 18})
head = [x for x in pages['36'] if x[2] == 'looks']
if not head:
    print('missing the heading')
    sys.exit()
hy = head[0][1]
above = max(y for y in lines if y < hy - 2)
below = min(y for y in lines if y > hy + 2)
# the leading is 14 pt: a heading has a line of space above it, this one two
if not (hy - above > 2.5 * 14 and below - hy < 2.5 * 14):
    print('bad: heading %.1f pt below the text above, %.1f above the text under' % (hy - above, below - hy))
else:
    print('ok')
PY
) && { [ "$r" = ok ] && ok "edition: folios 36 and 37 end on the same line, p. 36's heading a line lower" ||
		no "edition: folios 36 and 37" "$r"; }
else
	skip "the edition's pp. 36/37 in the PDF (no pdftotext)"
fi

# --- the pages book --------------------------------------------------------------
expect 0 "report pages book" "$OCTAVO" report "$ROOT/tests/books/pages" &&
	want "pages book: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0 &&
	want "pages book: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "pages book: page-final hyphens on rectos" "$(fig 'page-final hyphens' 1)" -eq 0 &&
	want "pages book: orphans" "$(fig 'orphans' 1)" -eq 0 &&
	want "pages book: widows" "$(fig 'widows' 1)" -eq 0 &&
	{ printf '%s\n' "$out" | grep -qE '^  p\.1	' &&
		no "pages book: p. 1 not in the page problems" "$out" || ok "pages book: p. 1 not in the page problems"; }

# --- the same files with the short cuts checked, on one thread or two --------------
for b in manuscript tests/books/pages; do
	n=$(basename "$b")
	rm -rf "$T/a" "$T/b"
	expect 0 "build $n -j 1" "$OCTAVO" build "$ROOT/$b" -o "$T/a" -j 1 &&
		expect 0 "build $n -j 2 with OCTAVO_CHECK_TRIES=1" env OCTAVO_CHECK_TRIES=1 \
			"$OCTAVO" build "$ROOT/$b" -o "$T/b" -j 2 &&
		for f in "$T/a/"*.pdf "$T/a/"*.epub; do
			if cmp -s "$f" "$T/b/$(basename "$f")"; then ok "$n: $(basename "$f") the same bytes"
			else no "$n: $(basename "$f") differs between -j 1 and -j 2 with OCTAVO_CHECK_TRIES=1" ""; fi
		done
done
