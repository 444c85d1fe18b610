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

# A justified line broken inside inline code or an address, or at a
# space beside code, may be left short (up to 3 em) once its spaces are
# at full stretch, rather than gape (add_code's rag, lb_rag_taken). Main
# set these lines at r = 2.28, 2.31 and 3.53.
B=$T/code
mkbook "$B"
sed -i '/two.md/d' "$B/book.yaml"
cat >"$B/one.md" <<'MD'
---
title: "One"
---

The `child_process.exec()` and `child_process.execFile()` methods additionally allow for an optional `callback` function to be specified that is invoked when the child process terminates.

Inline code such as `voluntary_sector_organisations.annual_income(contract_value, number_of_volunteers)` breaks after its own punctuation.

- Build options:
  - The `xcode_emulation` module of `node-gyp` reads `framework_dirs` and `xcode_settings.OTHER_LDFLAGS` from each target's settings before it links.
  - Set `npm_config_node_gyp` to the path of `node_modules/node-gyp/bin/node-gyp.js` to use another copy of it.

Read the guide at https://github.com/nodejs/node-gyp/blob/main/docs/Updating-npm-bundled-node-gyp.md before updating the copy that npm bundles.
MD
if expect 0 "lines14p: report --lines of the code book" "$OCTAVO" report --lines "$B"; then
	lines=$(printf '%s\n' "$out" | awk -F'\t' 'index($1, "one.md") { sub(/^r=/, "", $3); print $3 "\t" $4 }')
	worst=$(printf '%s\n' "$lines" | awk -F'\t' '$1 + 0 > w { w = $1 + 0 } END { print w + 0 }')
	awk -v w="$worst" 'BEGIN { exit !(w <= 1) }' &&
		ok "lines14p: no line beside or inside code past r = 1 ($worst)" ||
		no "lines14p: a line beside or inside code at r = $worst, want <= 1" "$lines"
	for s in 'Inline code such as voluntary_sector_organisations.' \
		'annual_income(contract_value, number_of_volunteers)' \
		'The xcode_emulation module of node-gyp reads'; do
		printf '%s\n' "$lines" | cut -f2 | grep -qxF -- "$s" && ok "lines14p: a line '$s'" ||
			no "lines14p: no line '$s'" "$lines"
	done
	bad=$(printf '%s\n' "$lines" | cut -f2 | grep -- '[a-z]-$' | grep -v 'node-$' || true)
	[ -z "$bad" ] && ok "lines14p: no hyphen added in code or an address" ||
		no "lines14p: a hyphen added in code or an address" "$bad"
fi
if expect 0 "lines14p: the code book builds" "$OCTAVO" build "$B" -o "$T/codeo"; then
	# the short line ends no more than 3 em (31.5 pt) inside the measure
	# and never past it: 'reads' against the right edge of the lines
	# above and below it ('framework_dirs ... OTHER_LDFLAGS')
	edge=$(pdftotext -bbox "$T/codeo/test-book.pdf" - 2>/dev/null | awk -F'"' '
		/>reads<\/word>/ { r = $6 } />xcode_settings.OTHER_LDFLAGS<\/word>/ { e = $6 }
		END { printf "%.1f", e - r }')
	awk -v g="$edge" 'BEGIN { exit !(g > 0.5 && g <= 31.5) }' &&
		ok "lines14p: the line before 'framework_dirs' is left $edge pt short (<= 3 em)" ||
		no "lines14p: the line before 'framework_dirs' is left '$edge' pt short, want (0.5, 31.5]"
fi
# The report counts the lines left short, which r no longer shows (the
# one before 'framework_dirs' among them); the edition has none.
expect 0 "lines14p: report of the code book" "$OCTAVO" report "$B" &&
	want "lines14p: lines left short at code or an address" "$(fig 'lines left short' 1)" -ge 1

# Letter breaks keep the word's kerning: the pieces of an address that
# stay on one line are as wide as the same letters shaped whole (EB
# Garamond kerns 'Av', 'Tw'; Charis SIL has no kerning). Without it the
# address's second line, 'TvAwAvAwAvTwTvTwTv', was 9 pt too wide.
G=/usr/share/fonts/opentype/ebgaramond
if [ -f "$G/EBGaramond12-Regular.otf" ]; then
	B=$T/kern
	mkbook "$B"
	sed -i '/two.md/d' "$B/book.yaml"
	mkdir -p "$B/fonts"
	cp "$G/EBGaramond12-Regular.otf" "$G/EBGaramond12-Italic.otf" "$G/EBGaramond12-Bold.otf" "$B/fonts/"
	printf 'style: style.yaml\n' >>"$B/book.yaml"
	sed -e 's#\.\./fonts/CharisSIL-Regular.ttf#fonts/EBGaramond12-Regular.otf#' \
		-e 's#\.\./fonts/CharisSIL-Italic.ttf#fonts/EBGaramond12-Italic.otf#' \
		-e 's#\.\./fonts/CharisSIL-Bold\(Italic\)*.ttf#fonts/EBGaramond12-Bold.otf#' \
		-e "s#\.\./fonts/#$ROOT/fonts/#; s#css: epub.css#css: $ROOT/styles/epub.css#" \
		"$ROOT/styles/default.yaml" >"$B/style.yaml"
	cat >"$B/one.md" <<'MD'
---
title: "One"
---

See https://example.org/AwAvAwAvTwTvTwTvAwAvAwAvTwTvTwTvAwAvAwAvTwTvTwTv for it.

Word AwAvAwAvTwTvTwTv here.
MD
	if expect 0 "lines14p: the EB Garamond book builds" "$OCTAVO" build "$B" -o "$T/kerno"; then
		ws=$(pdftotext -bbox "$T/kerno/test-book.pdf" - 2>/dev/null |
			awk -F'"' '/>AwAvAwAvTwTvTwTv<\/word>/ { printf "%.2f ", $6 - $2 }')
		set -- $ws
		if [ $# -eq 2 ] && [ "$1" = "$2" ]; then
			ok "lines14p: an address's letter-broken pieces keep their kerning ($1 pt, as the word whole)"
		else
			no "lines14p: the address's second line against the word whole: '$ws', want two equal widths"
		fi
	fi
else
	skip "lines14p: kerning across letter breaks (no EB Garamond: fonts-ebgaramond)"
fi
