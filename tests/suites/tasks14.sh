#!/bin/sh
# tests/suites/tasks14.sh - GitHub's task lists ('- [ ] ...', '- [x] ...'),
# common in the READMEs authors write: the box is the item's marker in both
# editions (after the number in a numbered list), drawn in the PDF (four
# rules, a filled square inside when done: few book fonts have U+2610), a
# character in the EPUB; '[ ]' anywhere else stays as written.
. "$ROOT/tests/lib.sh"
B=$T/tasks14
mkbook "$B"
printf -- '---\ntitle: "Tasks"\n---\n\nA plan:\n\n- [ ] write the draft\n- [x] find a publisher\n- [X] choose the **type** face\n- not a task at all\n- [ ]not a task either\n\nAnd a loose one:\n\n1. [x] first, done\n\n   with a second paragraph\n\n2. [ ] second, to do\n\nText [ ] in a paragraph stays.\n' \
	>"$B/two.md"
if expect 0 "tasks14: the book builds" "$OCTAVO" build "$B" -o "$T/tasks-out"; then
	pdf=$T/tasks-out/test-book.pdf
	txt=$(pdftotext -layout "$pdf" - 2>/dev/null)
	printf '%s\n' "$txt" | grep -qE '\[[ xX]\] *(write|find|choose|first|second)' &&
		no "tasks14: PDF: no task prints its '[ ]' or '[x]'" "$txt" ||
		ok "tasks14: PDF: no task prints its '[ ]' or '[x]'"
	for s in 'write the draft' 'choose the type face' '\[ \]not a task either' \
		'Text \[ \] in a paragraph stays' '1\. +first, done' '2\. +second, to do'; do
		printf '%s\n' "$txt" | grep -qE "$s" && ok "tasks14: PDF: '$s'" ||
			no "tasks14: PDF: '$s'" "$txt"
	done
	# The boxes: four rules each (five tasks), and a square in each of
	# the three done; no other rules on the page.
	if have qpdf; then
		qpdf --qdf --object-streams=disable "$pdf" "$T/tasks.qdf" 2>/dev/null
		n=$(python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read().decode("latin1")
print(sum(len(re.findall(r" re\b", m)) for m in re.findall(r"stream\n(.*?)endstream", d, re.S)))' "$T/tasks.qdf")
		want "tasks14: PDF: 5 boxes of 4 rules and 3 filled squares" "$n" -eq 23
	else
		skip "tasks14: qpdf not installed"
	fi
	xh=$(unzip -p "$T/tasks-out/test-book.epub" OEBPS/text/essay-02.xhtml 2>/dev/null)
	n=$(printf '%s\n' "$xh" | grep -c '<li class="task"><span class="task-box">☐</span>write the draft')
	want "tasks14: EPUB: a task to do, its box the marker" "$n" -eq 1
	n=$(printf '%s\n' "$xh" | grep -c '<span class="task-box">☑</span>')
	want "tasks14: EPUB: three tasks done" "$n" -eq 3
	n=$(printf '%s\n' "$xh" | grep -c '<li><span class="task-box">☑</span><p>first, done</p>')
	want "tasks14: EPUB: a numbered task keeps its number" "$n" -eq 1
	printf '%s\n' "$xh" | grep -q '\[ \]not a task either' && ok "tasks14: EPUB: '[ ]not' stays" ||
		no "tasks14: EPUB: '[ ]not' stays" "$xh"
	xml_ok "$T/tasks-out/test-book.epub" && ok "tasks14: EPUB: well-formed" ||
		no "tasks14: EPUB: well-formed" ""
fi

# The tagged PDF (--screen): a task's box is rules, no text; its Lbl reads
# as the EPUB's character (after the number in a numbered list), and the
# tagging stays clean.
if expect 0 "tasks14: the screen PDF builds" "$OCTAVO" build "$B" -o "$T/tasks-screen" --screen; then
	pdf=$(ls "$T"/tasks-screen/*.pdf | head -1)
	attrs=$(python3 "$ROOT/tests/tagcheck.py" attrs "$pdf" 2>&1)
	for s in 'Lbl ActualText: ☐' 'Lbl ActualText: ☑' 'Lbl ActualText: 1. ☑' 'Lbl ActualText: 2. ☐'; do
		printf '%s\n' "$attrs" | grep -qF "$s" && ok "tasks14: tagged: '$s'" ||
			no "tasks14: tagged: '$s'" "$attrs"
	done
	for c in matterhorn mcids artifacts; do
		r=$(python3 "$ROOT/tests/tagcheck.py" "$c" "$pdf" 2>&1)
		printf '%s\n' "$r" | grep -q '^FAIL' && no "tasks14: tagcheck $c" "$r" ||
			ok "tasks14: tagcheck $c"
	done
fi
