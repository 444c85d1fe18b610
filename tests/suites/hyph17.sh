#!/bin/sh
# tests/suites/hyph17.sh - hyphenation (issue 17), end to end:
#
# - capitalised words take hyphens by default, and none with the style's
#   'hyphenate-capitalised: false' ('help style' lists the key);
# - a book of ten dictionaries hyphenates its tenth language (German,
#   the last passage of tests/books/hyph17/ten), once left unhyphenated;
# - Czech (ISO 8859-2 patterns) is hyphenated in a Czech book;
# - a small book's patterns set the same pages as the whole file's
#   (OCTAVO_PATTERNS=all): the same PDF bytes, for the German, French,
#   Czech and ten-language books.
# tests/unit/hyph17.c checks the same word by word.
. "$ROOT/tests/lib.sh"
H="$ROOT/tests/books/hyph17"
export SOURCE_DATE_EPOCH=1700000000

# 'help style' documents the key.
expect 0 "help style" "$OCTAVO" help style &&
	contains "help style lists 'hyphenate-capitalised'" "hyphenate-capitalised"

# Capitalised words: a paragraph of nothing else, in a book of its own,
# with the default style and with hyphenate-capitalised: false.
caps() { # caps DIR [STYLE-LINE]
	mkdir -p "$1"
	cat >"$1/book.yaml" <<YAML
title: Capitals
language: en-GB
identifiers:
  uuid: urn:uuid:17171717-2222-3333-4444-00000000ca95
style: style.yaml
parts:
  - one.md
YAML
	{
		printf -- '---\ntitle: "Names"\nauthor: "A. B."\n---\n\n'
		for i in 1 2 3 4 5 6; do
			printf 'Parliament Westminster Birmingham Government Partnership Commissioning Accountability Independence Manchester '
		done
		printf '\n'
	} >"$1/one.md"
	sed "s#\.\./fonts/#$ROOT/fonts/#" "$ROOT/styles/default.yaml" >"$1/style.yaml"
	cp "$ROOT/styles/epub.css" "$1/" 2>/dev/null
	[ -n "${2:-}" ] && printf '%s\n' "$2" >>"$1/style.yaml"
	return 0
}
caps "$T/on" && caps "$T/off" "hyphenate-capitalised: false"
if expect 0 "report, capitalised words" "$OCTAVO" report "$T/on" --lines; then
	n=$(printf '%s\n' "$out" | grep 'one.md' | grep -c ' hyphen	')
	[ "$n" -gt 0 ] && ok "capitalised words take hyphens by default ($n lines)" ||
		no "capitalised words took no hyphen" "$out"
	printf '%s\n' "$out" | grep -q 'Par-$\|West-$\|Birm-$\|Gov-$\|Part-$\|Com-$\|Ac-$\|In-$\|Man-$\|min-$\|lia-$\|ern-$\|ner-$\|ing-$' &&
		ok "a capitalised word broken where its lower-case form breaks" ||
		no "no capitalised word broken at a pattern's break" "$out"
fi
if expect 0 "report, hyphenate-capitalised: false" "$OCTAVO" report "$T/off" --lines; then
	n=$(printf '%s\n' "$out" | grep 'one.md' | grep -c ' hyphen	')
	[ "$n" -eq 0 ] && ok "hyphenate-capitalised: false leaves capitalised words whole" ||
		no "hyphenate-capitalised: false: $n hyphenated lines" "$out"
fi

# Ten dictionaries: the tenth language (German, the last passage) is
# hyphenated by its own patterns.
if expect 0 "report, ten languages" "$OCTAVO" report "$H/ten" --lines; then
	printf '%s\n' "$out" | grep 'essay.md:24' | grep -q ' hyphen	' &&
		ok "the tenth dictionary's passage (de) is hyphenated" ||
		no "the tenth dictionary's passage (de) took no hyphen" "$(printf '%s\n' "$out" | grep 'essay.md:24')"
	for l in 8 10 16 20 22; do
		printf '%s\n' "$out" | grep "essay.md:$l	" | grep -q ' hyphen	' ||
			no "passage at essay.md:$l took no hyphen"
	done
fi
expect 0 "check, ten languages" "$OCTAVO" check "$H/ten" &&
	{ printf '%s\n' "$out" | grep -q 'no hyphenation patterns' &&
		no "a passage warned of missing patterns" "$out" ||
		ok "ten languages, no passage unhyphenated"; }

# Czech: ISO 8859-2 patterns, read through iconv.
if expect 0 "report, Czech" "$OCTAVO" report "$H/cs" --lines; then
	n=$(printf '%s\n' "$out" | grep 'essay.md' | grep -c ' hyphen	')
	[ "$n" -gt 0 ] && ok "Czech is hyphenated ($n lines)" || no "Czech took no hyphen" "$out"
	printf '%s\n' "$out" | grep 'essay.md' | grep ' hyphen	' | grep -q '[áčďéěíňóřšťúůýž]' &&
		ok "Czech lines with letters beyond ASCII are hyphenated" ||
		no "no hyphenated Czech line with letters beyond ASCII" "$out"
fi

# A small book's patterns set the same pages as the whole file's.
for b in "$ROOT/tests/books/de" "$ROOT/tests/books/fr" "$H/cs" "$H/ten"; do
	bk=$(basename "$b")
	expect 0 "build $bk (small book's patterns)" "$OCTAVO" build "$b" -o "$T/s-$bk" --pdf -q ||
		continue
	expect 0 "build $bk (whole files)" env OCTAVO_PATTERNS=all "$OCTAVO" build "$b" \
		-o "$T/w-$bk" --pdf -q || continue
	if cmp -s "$T/s-$bk"/*.pdf "$T/w-$bk"/*.pdf; then
		ok "$bk: the small book's patterns give the whole file's PDF"
	else
		no "$bk: the small book's patterns give another PDF than the whole file's"
	fi
done

# A split word on a paragraph's last line: ruled out at the tolerance, and
# past it priced as a line at r = 2 (tests/unit/final14.c). A two-line
# paragraph whose first line cannot end whole took r = 3.3 (spaces three
# times their width) rather than "approx-/imately".
mkdir -p "$T/final"
sed 's/^title: Capitals/title: Final/; s/one\.md/final.md/' "$T/on/book.yaml" >"$T/final/book.yaml"
cp "$T/on/style.yaml" "$T/final/"
cp "$T/on/epub.css" "$T/final/" 2>/dev/null
printf -- '---\ntitle: "Final"\n---\n\n%s\n\n%s\n%s\n' \
	'Some text before it to fill a line or two of the page, so that it is not the first.' \
	'The entire installation using Boxstarter will take up approximately 10 GB of' \
	'disk space.' >"$T/final/final.md"
if expect 0 "report, a two-line paragraph" "$OCTAVO" report "$T/final" --lines; then
	worst=$(printf '%s\n' "$out" | grep 'final.md:7	' | sed 's/.*r=+\{0,1\}\([-0-9.]*\).*/\1/' |
		sort -g | tail -1)
	[ -n "$worst" ] && awk -v r="$worst" 'BEGIN { exit !(r <= 2) }' &&
		ok "a two-line paragraph splits its word rather than set a line at r > 2 (r = $worst)" ||
		no "a two-line paragraph set a line at r = $worst" "$out"
fi
