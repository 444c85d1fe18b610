#!/bin/sh
# tests/suites/qa14.sh - what a book designer marked going through pages of
# books other than the edition (the Node.js docs, READMEs from Debian, the
# test books): each check fails on the octavo before the mend.
. "$ROOT/tests/lib.sh"

# === a code block sits centred between the text above and below it ===========
# Code lines are closer than the body's grid. A block had a quarter line
# over it and half a line under it that the grid rounded up to a whole one:
# tight under the text above, most of a blank line under itself (2 pt
# against 11-19 pt between the boxes). Now as much space above as below,
# for blocks of one to five lines, in a list item, and two blocks in a row.
B=$T/code
mkdir -p "$B"
cat >"$B/book.yaml" <<YAML
title: Code Between Prose
language: en-GB
slug: code-gaps
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-0000001a0016
parts:
  - a.md
YAML
{
	printf -- '---\ntitle: "Code between prose"\n---\n\n'
	k=0
	for n in 1 2 3 4 5 1 2 3; do
		k=$((k + 1))
		printf 'Prose%d runs on for a while so that the paragraph fills a whole line or two of the measure before the code block that follows it here.\n\n```\n' $k
		i=0
		while [ $i -lt $n ]; do
			printf 'code%d_%d = call(value, %d);\n' $k $i $i
			i=$((i + 1))
		done
		printf '```\n\n'
	done
	printf 'Prose9 comes before a list.\n\n- Item with code below\n\n  ```\n  code9_0 = 1;\n  ```\n\n- Prose in the next item, after the code of the item above.\n\n'
	printf 'Prose10 before two code blocks in a row, as the Node.js docs give the same call in two module systems.\n\n'
	printf '```\ncode10_0 = import(value);\n```\n\n```\ncode11_0 = require(value);\n```\n\nProse12 after them.\n'
} >"$B/a.md"
if expect 0 "qa14: the code book builds" "$OCTAVO" build "$B" -o "$T/co" -q; then
	# Per code block on a page with text above and below it: the gaps in
	# points between its boxes and the text's (pdftotext's word boxes).
	line_boxes "$T/co/code-gaps.pdf" >"$T/co/lines"
	python3 - "$T/co/lines" >"$T/gaps" <<'PY'
import sys
pages = {}
for row in open(sys.argv[1]):
    n, x, y0, y1, word = row.split(None, 4)
    word = word.strip()
    if not word.isdigit():
        pages.setdefault(n, []).append((float(y0), float(y1), word.split("_")[0]))
for lines in pages.values():
    lines.sort()
    i = 2  # past the running head
    while i < len(lines):
        k = lines[i][2]
        if not k.startswith("code") or lines[i - 1][2] == k:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1][2] == k:
            j += 1
        if j + 1 < len(lines):
            print("%s %d %.1f %.1f" % (k, j - i + 1, lines[i][0] - lines[i - 1][1], lines[j + 1][0] - lines[j][1]))
        i = j + 1
PY
	blocks=$(wc -l <"$T/gaps")
	# The boxes of the two faces differ by a point: 2.5 pt of slack. Two
	# blocks in a row are centred as one (page.c's centre_code): the
	# second no farther from the text below than from the first.
	bad=$(awk '$1 != "code11" && ($3 - $4 > 2.5 || $4 - $3 > 2.5 || $3 < 1.5) ||
		   $1 == "code11" && ($4 < $3 - 2.5 || $3 < 1.5)' "$T/gaps")
	if [ "$blocks" -ge 8 ] && [ -z "$bad" ]; then
		ok "qa14: $blocks code blocks as far from the text above as below"
	else
		no "qa14: code blocks as far from the text above as below (block, lines, gap above, gap below)" "$(cat "$T/gaps")"
	fi
fi
