#!/bin/sh
# tests/suites/code14.sh - no line leaves the measure, inline code and runs
# of text with no allowed break included (issue 14 item 5): such a run is
# broken where it must be - at its punctuation, between its spans, then
# between any two characters, with a continuation mark in code and a
# hyphen in prose - and each forced break is counted by 'octavo report'
# and told by 'octavo check' at its file:line:col. Asserted on the PDF's
# words (pdftotext -bbox, tests/textblock.py), the report and the messages;
# on the Node.js API docs too where Debian's nodejs ships them.
. "$ROOT/tests/lib.sh"
BK=$ROOT/tests/books/code14
O=$T/code14

# textblock PDF: tests/textblock.py's verdict (0: every word inside the text
# block and none drawn over another); its output in $tb.
textblock() {
	tb=$(python3 "$ROOT/tests/textblock.py" "$1" 2>&1)
}

if expect 0 "code14: the test book builds" "$OCTAVO" build "$BK" -o "$O"; then
	build_out=$out
	if textblock "$O/code14.pdf"; then
		ok "code14: no word leaves the text block or runs over another (pdftotext -bbox)"
	else
		no "code14: words leave the text block" "$tb"
	fi
	# The warnings, each at the file, line and column of the break.
	out=$build_out
	contains "code14: a 120-character code token: warned at its break, with the mark" \
		"01-tokens.md:15:90: warning: no allowed break fits '3a18f6d4b2907e5c3a18f6d4b2907e5c3a18f6d4...' in the line: broken after '...5c3a18f6d4b2907e5c3a' with a continuation mark"
	contains "code14: the same token in prose: warned, no mark" \
		"01-tokens.md:19:43: warning: no allowed break fits '3a18f6d4b2907e5c3a18f6d4b2907e5c3a18f6d4...' in the line: broken after '3a18f6d4b2907e5c3', where no rule allows"
	# A name from code in prose breaks after its low line: an allowed
	# break, not a forced one (it was one until names broke as code does).
	printf '%s\n' "$out" | grep -q "02-runs.md:[0-9:]* warning: no allowed break" &&
		no "code14: a run of bold, roman and italic spans: broken at its underscore, unwarned" "$out" ||
		ok "code14: a run of bold, roman and italic spans: broken at its underscore, unwarned"
	contains "code14: code in a footnote: warned at the note's line" "01-tokens.md:33:"
	# The table steps down to the style's floor (tables: min-size) before
	# it cuts a word, and there the 60-character token fits its column:
	# no forced break at its row. (A cut below the floor is warned at
	# its row: tests/suites/fix14.sh.)
	printf '%s\n' "$out" | grep -q "01-tokens.md:30:[0-9]*: warning: no allowed break" &&
		no "code14: code in a table cell: the table steps down, the token whole" "$out" ||
		ok "code14: code in a table cell: the table steps down, the token whole"
	# Code broken after its punctuation or inside a name in camel case
	# is not a forced break: no warning at those lines.
	n=$(printf '%s\n' "$out" | grep -c 'warning: no allowed break fits')
	want "code14: forced breaks warned of, each once" "$n" -ge 7
	for l in 7 11 13; do
		printf '%s\n' "$out" | grep -q "01-tokens.md:$l:[0-9]*: warning: no allowed break" &&
			no "code14: line $l's code breaks at its own punctuation, unwarned" "$out" ||
			ok "code14: line $l's code breaks at its own punctuation, unwarned"
	done
	# The PDF shows the marks: the continuation mark after each cut of the
	# code token, hyphens in the prose one; pdftotext reads the token in pieces.
	txt=$(pdftotext "$O/code14.pdf" - 2>/dev/null)
	marks=$(printf '%s\n' "$txt" | grep -c '3a18f6d4.*\(→\|↪\)$')
	want "code14: the code token's lines end with the continuation mark" "$marks" -ge 3
	# (-layout: plain pdftotext joins a line ending at a hyphen to the next)
	pdftotext -layout "$O/code14.pdf" - 2>/dev/null | grep -q 'this-is-a-long-[a-z-]*-$' &&
		ok "code14: hyphenated code breaks after its own hyphen, none added" ||
		no "code14: hyphenated code breaks after its own hyphen" "$(pdftotext -layout "$O/code14.pdf" - | grep -n 'hyphenated' | head -3)"
	# The EPUB holds the token whole, with no mark.
	tok=$(python3 -c 'print("".join("0123456789abcdef"[(i * 7 + 3) % 16] for i in range(120)))')
	unzip -p "$O/code14.epub" '*.xhtml' 2>/dev/null | grep -q "<code>$tok</code>" &&
		ok "code14: the EPUB keeps the code token whole" ||
		no "code14: the EPUB keeps the code token whole" ""
fi

# The report: no overfull line, the forced breaks counted and listed.
if expect 0 "code14: report" "$OCTAVO" report "$BK"; then
	want "code14: report: overfull lines" "$(fig 'overfull lines' 1)" -eq 0
	want "code14: report: forced breaks" "$(fig 'forced breaks' 1)" -ge 7
fi
if expect 0 "code14: report --lines" "$OCTAVO" report "$BK" --lines; then
	n=$(printf '%s\n' "$out" | grep -c ' forced	')
	want "code14: report --lines marks each forced line" "$n" -ge 7
	# (r = 7.55 before a break inside code could leave its line short,
	# lines14p; 2.41 since)
	contains "code14: report --lines: the run broken after PACKAGE_, not forced" "	Return the result of PACKAGE_"
	printf '%s\n' "$out" | grep -q 'r=+[0-2]\.[0-9]*	Return the result of PACKAGE_' &&
		ok "code14: report --lines: the line before the run under r = 3" ||
		no "code14: report --lines: the line before the run under r = 3" "$(printf '%s\n' "$out" | grep PACKAGE_)"
fi

# check warns at the same places, and writes nothing.
if expect 0 "code14: check" "$OCTAVO" check "$BK"; then
	contains "code14: check warns of a forced break at file:line:col" \
		"01-tokens.md:19:43: warning: no allowed break fits '3a18f6d4b2907e5c3a18f6d4b2907e5c3a18f6d4...' in the line: broken after '3a18f6d4b2907e5c3', where no rule allows"
fi

# intl.md:55's table: a cell exactly as wide as its widest code, no break
# forced and none overfull (the emergency pass took the oldest node and
# set the cell on one line, run into the next column).
B=$T/intl
mkbook "$B"
cat >"$B/two.md" <<'EOF'
---
title: "Two"
---

| Feature | `none` | `system-icu` | `small-icu` | `full-icu` |
| --- | --- | --- | --- | --- |
| `String.prototype.toLocale*Case()` | partial (not locale-aware) | full | full | full |
| `Date.prototype.toLocale*String()` | partial (not locale-aware) | partial/full (depends on OS) | partial (English-only) | full |
EOF
if expect 0 "code14: intl's table" "$OCTAVO" report "$B"; then
	want "code14: intl's table: overfull lines" "$(fig 'overfull lines' 1)" -eq 0
	want "code14: intl's table: forced breaks" "$(fig 'forced breaks' 1)" -eq 0
fi

# More than 50 forced breaks: one finding, at the first, with the count.
B=$T/many
mkbook "$B"
python3 -c '
import sys
tok = "".join("0123456789abcdef"[(i * 5 + 1) % 16] for i in range(150))
sys.stdout.write("---\ntitle: \"Two\"\n---\n\n" + "".join("Token `%s` here.\n\n" % tok for _ in range(30)))
' >"$B/two.md"
if expect 0 "code14: 30 long tokens" "$OCTAVO" check "$B"; then
	n=$(printf '%s\n' "$out" | grep -c "no allowed break fits '")
	[ "$n" -eq 0 ] && contains "code14: past 50 forced breaks, one finding with the count" \
		"two.md:5:42: warning: 90 words are broken where no rule allows, the first here" ||
		no "code14: past 50 forced breaks, one finding ($n told one by one)" "$out"
fi

# A name from code written in prose ("**READ_PACKAGE_JSON**(url)", as
# the Node.js docs write their algorithms, and their unions of types
# "{string[]|Buffer[]}") breaks after its low lines and bars as inline code
# does at its punctuation, with no hyphen and no warning; before, a name
# longer than the line was a forced break, warned about and outlined (the
# Node docs: 55 forced breaks, now 0).
B=$T/snake
mkbook "$B"
printf -- '---\ntitle: "Names"\n---\n\nReturn the result of **THE_QUICK_BROWN_FOX_JUMPS_OVER_THE_LAZY_DOG_AND_RUNS_AWAY_FROM_THE_FARMER**(_url_, _target_), and so on to the end of the paragraph, which is long enough to be justified.\n\n* `sources` {string[]|ArrayBuffer[]|TypedArray[]|DataView[]|Blob[]|File[]|Response[]} An array of objects.\n' >"$B/one.md"
if expect 0 "code14: a long name in prose" "$OCTAVO" check "$B"; then
	n=$(printf '%s\n' "$out" | grep -c "no allowed break fits")
	want "code14: a long name in prose breaks after a low line, no warning" "$n" -eq 0
	out=$("$OCTAVO" report "$B" 2>/dev/null)
	want "code14: a long name in prose: forced breaks" "$(fig 'forced breaks' 1)" -eq 0
fi

# The Node.js API docs (bench/nodebook.sh): esm.md:986 and intl.md:55 ran
# past the measure; now no line of the book is overfull or leaves it.
if [ -f /usr/share/doc/nodejs/api/esm.md ]; then
	sh "$ROOT/bench/nodebook.sh" /usr/share/doc/nodejs/api "$T/node" >/dev/null 2>&1
	if "$OCTAVO" build "$T/node" -o "$T/node-out" -q >/dev/null 2>&1 &&
		out=$("$OCTAVO" report "$T/node" 2>/dev/null); then
		want "code14: Node docs: overfull lines" "$(fig 'overfull lines' 1)" -eq 0
		if textblock "$T/node-out/node-api.pdf"; then
			ok "code14: Node docs: no word leaves the text block or runs over another"
		else
			no "code14: Node docs: words leave the text block" "$tb"
		fi
	else
		no "code14: the Node docs build" ""
	fi
else
	skip "code14: Node docs (nodejs's api/*.md not installed)"
fi
