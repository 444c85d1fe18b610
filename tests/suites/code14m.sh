#!/bin/sh
# tests/suites/code14m.sh - code blocks on the grid and code in headings
# (issue 14 items 5 and 6; qa14l's findings 4-6): two code blocks in a row
# centred as one between the text around them, a block too wide for the
# measure keeping its neighbours' left edge, and code in a heading or in
# bold or italic prose drawn bold or slanted though the mono face has no
# such face. Each check fails on the octavo before the mend.
. "$ROOT/tests/lib.sh"

B=$T/code
mkdir -p "$B"
cat >"$B/book.yaml" <<YAML
title: Code on the Grid
language: en-GB
slug: code-grid
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-0000001a0114
parts:
  - a.md
YAML
long=$(printf 'wide%0140d = 1;' 0)
{
	printf -- '---\ntitle: "Code on the grid"\n---\n\n'
	printf 'Prose1 before two code blocks in a row, as the Node.js docs give one call in two module systems.\n\n'
	printf '```\npairA1 = import(value);\n```\n\n```\npairA2 = require(value);\n```\n\n'
	printf 'Prose2 after them, and then another pair of blocks, of two lines and one.\n\n'
	printf '```\npairB1 = import(value);\npairB1 = more(value);\n```\n\n```\npairB2 = require(value);\n```\n\n'
	printf 'Prose3 after the second pair, before a short block.\n\n```\nshort = 1;\n```\n\n'
	printf 'Prose4 before a block with a line of 150 characters.\n\n```\n%s\nwide = 2;\n```\n\n' "$long"
	printf 'Prose5 after it.\n\n### `ERR_THIRD_LEVEL`\n\nText under the heading.\n\n'
	printf '#### `ERR_FOURTH_LEVEL`\n\nText with **`boldcode`** and *`italiccode`* in it.\n'
} >"$B/a.md"

if expect 0 "code14m: the book builds" "$OCTAVO" build "$B" -o "$T/o" -q; then
	line_boxes "$T/o/code-grid.pdf" >"$T/lines"
	# Two blocks in a row: the space between the boxes above the first,
	# between the two and below the second within 2 pt of each other
	# (before: 6.9, 8.8, 12.8 pt), and the text after them on the grid
	# of the text before (14 pt).
	for pair in "pairA1 pairA2" "pairB1 pairB2"; do
		set -- $pair
		got=$(python3 - "$T/lines" "$1" "$2" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
rows = [(int(r[0]), float(r[1]), float(r[2]), float(r[3]), r[4]) for r in rows]
rows.sort(key=lambda r: (r[0], r[2]))
first = [i for i, r in enumerate(rows) if r[4].startswith(sys.argv[2])]
second = [i for i, r in enumerate(rows) if r[4].startswith(sys.argv[3])]
a, b0, b1, c0, c1, d = rows[first[0] - 1], rows[first[0]], rows[first[-1]], rows[second[0]], rows[second[-1]], rows[second[-1] + 1]
gaps = (b0[2] - a[3], c0[2] - b1[3], d[2] - c1[3])
k = (d[3] - a[3]) / 14
print("%.1f %.1f %.1f %s %s" % (gaps + ("even" if max(gaps) - min(gaps) <= 2 else "uneven",
      "grid" if abs(k - round(k)) * 14 < 0.1 else "offgrid")))
PY
)
		case $got in
		*" even grid") ok "code14m: $1 and $2 evenly spaced, the text after on the grid ($got)" ;;
		*) no "code14m: $1 and $2 evenly spaced, the text after on the grid (above, between, below)" "$got" ;;
		esac
	done
	# The wide block keeps the indent of the short block before it.
	got=$(awk '$5 == "short" && !s { s = $2 } $5 ~ /^wide0/ && !w { w = $2 }
		END { d = s - w; if (d < 0) d = -d; printf "%s %s %s\n", s, w, (d < 0.5 ? "same" : "apart") }' "$T/lines")
	case $got in
	*" same") ok "code14m: a block too wide for the measure keeps its neighbours' left edge ($got)" ;;
	*) no "code14m: a block too wide for the measure keeps its neighbours' left edge (short, wide)" "$got" ;;
	esac
	# Code in a heading and in bold or italic prose: drawn bold (text
	# render mode 2) or slanted (a skewed text matrix); its text as it was.
	if have qpdf; then
		qpdf --qdf --object-streams=disable "$T/o/code-grid.pdf" "$T/q.pdf" 2>/dev/null
		bold=$(grep -ac '2 Tr' "$T/q.pdf")
		slant=$(grep -ac '^1 0 0.2126 1 ' "$T/q.pdf")
		[ "$bold" -ge 2 ] && [ "$slant" -ge 2 ] &&
			ok "code14m: code in headings and in bold or italic drawn bold ($bold) or slanted ($slant)" ||
			no "code14m: code in headings and in bold or italic drawn bold or slanted" "bold $bold, slanted $slant"
	else
		skip "code14m: no qpdf for the content streams"
	fi
	words=$(pdftotext "$T/o/code-grid.pdf" - | grep -oE 'ERR_THIRD_LEVEL|ERR_FOURTH_LEVEL|boldcode|italiccode' | wc -l)
	[ "$words" -eq 4 ] && ok "code14m: the bold and slanted code reads as its text" ||
		no "code14m: the bold and slanted code reads as its text" "$words of 4 found"
fi
