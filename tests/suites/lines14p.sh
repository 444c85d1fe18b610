#!/bin/sh
# tests/suites/lines14p.sh - lines of inline code and URLs, and the
# paragraph made again for a later pass (issue 14 items 5 and 7; the
# lines14p helper's scope).
. "$ROOT/tests/lib.sh"

# narrow DIR WIDTH: DIR's book.yaml takes the default style with the trim
# WIDTH wide and 10 mm side margins (a narrow measure).
narrow() {
	printf 'style: style.yaml\n' >>"$1/book.yaml"
	sed -e "s#\.\./fonts/#$ROOT/fonts/#; s#css: epub.css#css: $ROOT/styles/epub.css#" \
		-e "s#^  width: 138mm#  width: $2#; s#^  inner: 16mm.*#  inner: 10mm#" \
		-e "s#^  outer: 20mm#  outer: 10mm#" "$ROOT/styles/default.yaml" >"$1/style.yaml"
}
# bbox_width PDF WORD: the width of the first WORD pdftotext finds in PDF.
bbox_width() {
	pdftotext -bbox "$1" - 2>/dev/null |
		awk -v w="$2" -F'"' 'index($0, ">" w "</word>") { printf "%.1f", $6 - $2; exit }'
}

# An h6 is set in small capitals (heading, set_para's smallcaps); one that
# only fits its measure hyphenated is set again with its hyphenation points
# (rebuild_para), and keeps them: main lost them there, and set
# 'Internationalisation' in lower case, 91 pt wide against 114.
B=$T/h6
mkbook "$B"
sed -i '/two.md/d' "$B/book.yaml"
narrow "$B" 64mm
cat >"$B/one.md" <<'MD'
---
title: "One"
---

Internationalisation

###### Internationalisation of incomprehensibilities in counterrevolutionary administrations

Body text follows the heading, a paragraph of ordinary prose.
MD
if expect 0 "lines14p: the narrow h6 book builds" "$OCTAVO" build "$B" -o "$T/h6o"; then
	pdf=$T/h6o/test-book.pdf
	body=$(pdftotext -bbox "$pdf" - 2>/dev/null | grep '>Internationalisation</word>' | head -1 |
		awk -F'"' '{ printf "%.1f", $6 - $2 }')
	head=$(pdftotext -bbox "$pdf" - 2>/dev/null | grep '>Internationalisation</word>' | sed -n 2p |
		awk -F'"' '{ printf "%.1f", $6 - $2 }')
	if [ -n "$body" ] && [ -n "$head" ] && awk -v a="$head" -v b="$body" 'BEGIN { exit !(a > 1.15 * b) }'; then
		ok "lines14p: the hyphenated h6 keeps its small capitals ($head pt against $body)"
	else
		no "lines14p: the hyphenated h6 lost its small capitals: '$head' pt, body '$body'"
	fi
	words=$(pdftotext -bbox "$pdf" - 2>/dev/null | sed -n 's/.*">\(.*\)<\/word>/\1/p' |
		awk '/^Internationalisation$/ { n++ } n == 2' | sed '/^Body$/,$d')
	printf '%s\n' "$words" | grep -q -- '-$' && ok "lines14p: the h6 is hyphenated" ||
		no "lines14p: the h6 is not hyphenated (the test no longer reaches the rebuild)" "$words"
	joined=$(printf '%s\n' "$words" | tr '\n' ' ' | sed 's/- //g; s/ *$//')
	want_text="Internationalisation of incomprehensibilities in counterrevolutionary administrations"
	[ "$joined" = "$want_text" ] && ok "lines14p: the h6's words all set" ||
		no "lines14p: the h6's words" "$joined"
fi
