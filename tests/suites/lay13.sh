#!/bin/sh
# tests/suites/lay13.sh - the layout's cheaper shaping (issue 13) sets the
# same pages:
# - the two threads share the words either shapes that depend on nothing
#   shaped before: --jobs 1 and --jobs 2 give the same bytes and messages
#   on the edition with acronyms in small capitals, and on a book whose
#   halves share words, small capitals (glyphs reached by their number,
#   never shared), ligatures and foreign letters, built three times;
# - HarfBuzz's shape plans are kept and its buffer replaced when its
#   operation budget runs low (after some 33,000 words): a paragraph set
#   after 33,000 distinct words breaks into the same lines, at the same
#   ratios, as the same paragraph set alone.
. "$ROOT/tests/lib.sh"
# Threads for these small books too (src/util/jobs.h: by default only a
# book of more Markdown than JOBS_MIN_BYTES starts them).
export OCTAVO_JOBS_MIN=0

# same_builds DIR NAME: --jobs 1 once and --jobs 2 three times, the same
# PDF, EPUB and messages each time.
same_builds() {
	dir=$1 name=$2
	for r in j1 j2a j2b j2c; do
		j=2
		[ "$r" = j1 ] && j=1
		rm -rf "$T/$name-$r"
		if ! "$OCTAVO" build "$dir" -o "$T/$name-$r" --jobs "$j" 2>"$T/$name-$r.err"; then
			no "lay13: $name builds with --jobs $j" "$(head -20 "$T/$name-$r.err")"
			return
		fi
		sed -E "s|$name-$r|$name-jN|g; s/ in [0-9]+ ms/ in N ms/" "$T/$name-$r.err" >"$T/$name-$r.msg"
	done
	for r in j2a j2b j2c; do
		for f in "$T/$name-j1"/*.pdf "$T/$name-j1"/*.epub; do
			if ! cmp -s "$f" "$T/$name-$r/$(basename "$f")"; then
				no "lay13: $name: --jobs 1 and --jobs 2 ($r) give the same $(basename "$f")"
				return
			fi
		done
		if ! cmp -s "$T/$name-j1.msg" "$T/$name-$r.msg"; then
			no "lay13: $name: the same messages on one thread and two ($r)" \
				"$(diff "$T/$name-j1.msg" "$T/$name-$r.msg" | head -10)"
			return
		fi
	done
	ok "lay13: $name: --jobs 1 and three builds with --jobs 2 give the same bytes and messages"
}

# === the edition, acronyms in small capitals ====================================
E="$T/edition"
cp -r "$ROOT/manuscript" "$E"
sed -e "s#\.\./fonts/#$ROOT/fonts/#" -e "s#^  mono: \(.*\)#  mono: \1\n  small-caps: acronyms#" \
	-e "s#^  css: .*#  css: $ROOT/styles/epub.css#" \
	"$ROOT/styles/civil-dialogue.yaml" >"$E/mine.yaml"
sed -i 's/^style: .*/style: mine.yaml/' "$E/book.yaml"
if grep -q 'small-caps: acronyms' "$E/mine.yaml"; then
	same_builds "$E" edition-acronyms
else
	no "lay13: the edition's style with acronyms made" "$(cat "$E/mine.yaml")"
fi

# === halves that share words ===================================================
B="$T/shared"
mkbook "$B"
text='The NHS and the NCVO met the BBC in the office: a [fine]{.smallcaps} affluent
offer, first of five, with [Nancy]{.smallcaps} and NANCY, the “fiefdom” of ﬁve
officials. Καλημέρα, Ωμέγα; naïve café, coöperation, œuvre. Partnership is
hard work; partnership is shared work.[^n]

[^n]: A note on the NHS and the office, with the ffi and ffl of affluent offices.
'
parts=
for i in 1 2 3 4 5 6; do
	printf -- '---\ntitle: "Part %s"\n---\n\n' "$i" >"$B/p$i.md"
	for k in 1 2 3 4 5 6; do printf '%s\n' "$text" | sed "s/\\[^n\\]/[^n$k]/g" >>"$B/p$i.md"; done
	parts="$parts  - p$i.md\n"
done
printf 'title: Shared\nlanguage: en-GB\nidentifiers:\n  uuid: urn:uuid:11111111-2222-3333-4444-555555555555\nparts:\n%b' \
	"$parts" >"$B/book.yaml"
style 's#^  mono: \(.*\)#  mono: \1\n  small-caps: acronyms#'
same_builds "$B" shared

# === a paragraph after 33,000 words ============================================
# The same paragraph (after a heading) set alone and after 33,000 distinct
# words in another book: its words shaped with a fresh buffer, and after
# the first buffer has been replaced.
para='Partnership between government and the voluntary sector works best when
each side knows what the other can offer, and the NHS, the NCVO and the BBC
find officials affluent in time: fine, first, offices, waffles and ﬂuffy
offers.'
# para_lines DIR WORDS: the paragraph's lines (ratio and text) in a book of
# WORDS distinct words before it; empty when it does not build.
para_lines() {
	B=$1
	mkbook "$B"
	{
		printf -- '---\ntitle: "Many"\n---\n\n'
		awk -v n="$2" 'BEGIN { a = "abcdefghijklmnopqrstuvwxyz";
			for (i = 0; i < n; i++) {
				v = i; w = "";
				do { w = w substr(a, v % 26 + 1, 1); v = int(v / 26) } while (v > 0);
				printf "%s%s", w, (i % 11 == 10) ? "\n\n" : " " } }'
		printf '\n\n## After\n\n%s\n' "$para"
	} >"$B/two.md"
	style 's#^  mono: \(.*\)#  mono: \1\n  small-caps: acronyms#'
	expect 0 "lay13: a book of $2 distinct words reports its lines" \
		"$OCTAVO" report "$B" --lines || return
	printf '%s\n' "$out" | grep -F 'two.md' | cut -f3- |
		awk -F '\t' '$2 ~ /^After *$/ { on = 1; next } on { print } on && /offers\. *$/ { exit }'
}
first=$(para_lines "$T/few" 0)
last=$(para_lines "$T/many" 33000)
if [ -n "$first" ] && [ "$first" = "$last" ] && [ "$(printf '%s\n' "$first" | wc -l)" -ge 3 ]; then
	ok "lay13: a paragraph set after 33,000 words has the lines and ratios it has alone"
else
	no "lay13: a paragraph set after 33,000 words has the lines and ratios it has alone" \
		"$(printf 'alone:\n%s\nafter:\n%s\n' "$first" "$last")"
fi
