#!/bin/sh
# tests/suites/a11y16.sh - a book in many languages, tagged (issue 16).
#
# tests/books/a11y16 is in English with passages in 27 other languages,
# nine of them with hyphenation patterns installed: no fixed limit on a
# book's languages (there were 16 for /Lang, 8 for patterns). In its
# screen PDF each word hyphenated across lines is a Span whose
# /ActualText is the whole word, read in its passage's language (its own
# /Lang, or the division's it sits in); every /ActualText holds letters,
# never the private-use code a ligature's glyph is held by; each font's
# /W widths are its program's (ISO 14289-1 7.21.5, a veraPDF rule). Needs qpdf,
# poppler-utils and python3 (tests/deps.sh); epubcheck when installed.
. "$ROOT/tests/lib.sh"

CHECK="python3 $ROOT/tests/tagcheck.py"
LANGS="python3 $ROOT/tests/suites/a11y16.py"
B=$T/a11y16
cp -r "$ROOT/tests/books/a11y16" "$B"
MD=$B/tongues.md
PDF=$T/screen/many-tongues.pdf

if ! expect 0 "a11y16: the book in 28 languages builds on screen" \
	"$OCTAVO" build "$B" -o "$T/screen" --screen; then
	exit 0
fi
ok "a11y16: the book in 28 languages builds on screen"
for c in matterhorn mcids artifacts; do
	$CHECK $c "$PDF" | sed "s/^\(ok  \|FAIL\) /\1 a11y16: /"
done
$CHECK words "$PDF" "$B" | sed "s/^\(ok  \|FAIL\) /\1 a11y16: /"
# A rule of veraPDF's PDF/UA-1 profile that tagcheck.py does not cover.
$LANGS widths "$PDF" | sed "s/^\(ok  \|FAIL\) /\1 a11y16: /"

# The passages' languages, from the Markdown: each word to its language.
python3 - "$MD" >"$T/md-langs.txt" <<'PY'
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
for text, lang in re.findall(r"\[([^\]]*)\]\{lang=([A-Za-z-]+)\}", md):
    for w in text.split():
        print(f"{w}\t{lang}")
for lang, body in re.findall(r"^::: \{lang=([A-Za-z-]+)\}\n(.*?)^:::$", md, re.S | re.M):
    for w in re.findall(r"\w+", body):
        print(f"{w}\t{lang}")
PY

# Every /Lang of the tree: each passage's language, none dropped.
langs_want=$(cut -f2 "$T/md-langs.txt" | sort -u | tr '\n' ' ')
got=$($LANGS langs "$PDF" | tr '\n' ' ')
if [ "$got" = "$langs_want" ]; then
	ok "a11y16: the structure tree has a /Lang for each of the $(echo $langs_want | wc -w) passages' languages"
else
	no "a11y16: the structure tree's /Lang values are the passages' languages" "want: $langs_want
got:  $got"
fi

# Every hyphenated word is read as itself, in its passage's language.
$LANGS words "$PDF" >"$T/words.txt"
n=$(wc -l <"$T/words.txt")
bad=$(awk -F'\t' 'NR == FNR { lang[$1] = lang[$1] " " $2; next }
	!(index(lang[$1] " ", " " $2 " ")) { print }' "$T/md-langs.txt" "$T/words.txt")
if [ "$n" -ge 10 ] && [ -z "$bad" ]; then
	ok "a11y16: $n words hyphenated in passages, each a Span read as the whole word in its passage's language"
else
	no "a11y16: hyphenated words in passages carry their language ($n words)" "$bad"
fi
nl=$(cut -f2 "$T/words.txt" | sort -u | wc -l)
if [ "$nl" -ge 7 ]; then
	ok "a11y16: words hyphenated in $nl languages, each read in its own"
else
	no "a11y16: words hyphenated in only $nl languages" "$(cat "$T/words.txt")"
fi
# A word hyphenated in a ::: {lang=de} division reads in German.
if grep -q "^Donaudampfschifffahrtsgesellschaftskapitänsmütze	de$" "$T/words.txt"; then
	ok "a11y16: a word hyphenated in a German division reads in German, as the whole word"
else
	no "a11y16: a word hyphenated in a German division" "$(cat "$T/words.txt")"
fi

# The book with every block (the mono face too), on screen.
if expect 0 "a11y16: the book with every block builds on screen" "$OCTAVO" build \
	"$ROOT/tests/books/tagged" -o "$T/tb" --screen --pdf -q; then
	$LANGS widths "$T/tb/tagged-blocks.pdf" | sed "s/^\(ok  \|FAIL\) /\1 a11y16: every block: /"
fi

# /ActualText holds letters: no private-use code point (a ligature's glyph).
pua() { LC_ALL=C grep -c "$(printf '\363[\260-\277]')" "$1"; }
if [ "$(pua "$T/words.txt")" -eq 0 ]; then
	ok "a11y16: no /ActualText holds a private-use character (ligatures read as letters)"
else
	no "a11y16: /ActualText with private-use characters" "$(LC_ALL=C grep "$(printf '\363[\260-\277]')" "$T/words.txt")"
fi
if expect 0 "a11y16: the screen edition builds" "$OCTAVO" build "$ROOT/manuscript" -o "$T/ed" \
	--screen --pdf -q; then
	$LANGS words "$T/ed/civil-dialogue.pdf" >"$T/ed-words.txt"
	$LANGS widths "$T/ed/civil-dialogue.pdf" | sed "s/^\(ok  \|FAIL\) /\1 a11y16: the screen edition: /"
	n=$(wc -l <"$T/ed-words.txt")
	if [ "$n" -gt 20 ] && [ "$(pua "$T/ed-words.txt")" -eq 0 ]; then
		ok "a11y16: the screen edition's $n hyphenated words' /ActualText hold only letters"
	else
		no "a11y16: the screen edition's /ActualText" \
			"$(LC_ALL=C grep "$(printf '\363[\260-\277]')" "$T/ed-words.txt")"
	fi
fi

# The languages without patterns: each told once, at its passage.
if expect 0 "a11y16: check" "$OCTAVO" check "$B"; then
	n=$(printf '%s\n' "$out" | grep -c "warning: no hyphenation patterns for '")
	line=$(grep -n '{lang=mt}' "$MD" | cut -d: -f1)
	if [ "$n" -eq 18 ] && printf '%s\n' "$out" |
		grep -q "tongues.md:$line:[0-9]*: warning: no hyphenation patterns for 'mt'"; then
		ok "a11y16: check tells each of the 18 languages without patterns, the last at its line"
	else
		no "a11y16: check tells the languages without patterns ($n of 18)" "$out"
	fi
fi

# The EPUB: each passage's language as lang and xml:lang.
if expect 0 "a11y16: the EPUB builds" "$OCTAVO" build "$B" -o "$T/ep" --epub -q; then
	mkdir -p "$T/ex" && (cd "$T/ex" && unzip -q "$T/ep/many-tongues.epub")
	got=$(cat "$T"/ex/OEBPS/text/*.xhtml | grep -o ' xml:lang="[A-Za-z-]*"' |
		sed 's/.*="\(.*\)"/\1/' | grep -v '^en-GB$' | sort -u | tr '\n' ' ')
	if [ "$got" = "$langs_want" ]; then
		ok "a11y16: EPUB: xml:lang for each of the passages' languages"
	else
		no "a11y16: EPUB: xml:lang of the passages" "want: $langs_want
got:  $got"
	fi
	if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null 2>&1; then
		if java -jar /usr/bin/epubcheck "$T/ep/many-tongues.epub" 2>&1 |
			grep -q "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"; then
			ok "a11y16: EPUB: epubcheck 0/0/0/0"
		else
			no "a11y16: EPUB: epubcheck" "$(java -jar /usr/bin/epubcheck "$T/ep/many-tongues.epub" 2>&1 | tail -5)"
		fi
	else
		skip "a11y16: EPUB: epubcheck not installed"
	fi
fi
