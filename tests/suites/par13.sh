#!/bin/sh
# tests/suites/par13.sh - the main matter's parts set on two threads
# (src/layout/parallel.c, issue 13): --jobs 1 and --jobs 2 give the same
# PDF and EPUB, byte for byte, and the same messages in the same order,
# on the edition and on books of every kind: notes, floats, tables and
# code, other languages and their passages, book-end notes, Arabic, one
# part; and on books made so that the second half cannot be joined as
# set (a glyph numbered otherwise, a character missing in both halves, a
# page break owed, a face without small capitals told once) and is set
# again. OCTAVO_PATTERNS=all: a small book's hyphenation subset is not
# shared between threads, so without it a small book stays on one.
# OCTAVO_JOBS_MIN=0: threads for any size of book (src/util/jobs.h).
# tests/unit/par13.c checks that the books are joined from two runs.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

F="$ROOT/fonts"
DJ=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

# both NAME DIR: builds DIR with --jobs 1 and with --jobs 2 and compares
# the files and the messages (the output folder's name and the time
# aside).
both() {
	n=$1 dir=$2
	for j in 1 2; do
		rm -rf "$T/$n-j$j"
		OCTAVO_PATTERNS=all OCTAVO_JOBS_MIN=0 "$OCTAVO" build "$dir" -o "$T/$n-j$j" --jobs $j \
			>"$T/$n-j$j.out" 2>"$T/$n-j$j.err"
		echo $? >"$T/$n-j$j.rc"
		sed -E "s|$n-j$j|$n-jN|g; s/ in [0-9]+ ms/ in N ms/" "$T/$n-j$j.err" >"$T/$n-j$j.msg"
	done
	if ! cmp -s "$T/$n-j1.rc" "$T/$n-j2.rc" || [ "$(cat "$T/$n-j1.rc")" != 0 ]; then
		no "par13: $n builds with --jobs 1 and --jobs 2" "$(head -20 "$T/$n-j1.err" "$T/$n-j2.err")"
		return
	fi
	same=true nfiles=0
	for f in "$T/$n-j1"/*.pdf "$T/$n-j1"/*.epub; do
		[ -f "$f" ] || continue
		nfiles=$((nfiles + 1))
		cmp -s "$f" "$T/$n-j2/$(basename "$f")" || same=false
	done
	if $same && [ "$nfiles" -eq 2 ]; then
		ok "par13: $n: --jobs 1 and --jobs 2 give byte-identical PDF and EPUB"
	else
		no "par13: $n: the editions differ with the number of threads" "$(cd "$T" && sha256sum "$n-j1"/* "$n-j2"/* 2>&1)"
	fi
	if cmp -s "$T/$n-j1.msg" "$T/$n-j2.msg"; then
		ok "par13: $n: the same messages in the same order (warnings: $(grep -c 'warning:' "$T/$n-j1.msg"))"
	else
		no "par13: $n: the messages differ with the number of threads" "$(diff "$T/$n-j1.msg" "$T/$n-j2.msg" | head -20)"
	fi
}

# === the edition and the test books ============================================
both edition "$ROOT/manuscript"
for b in notes100 pages blocks tagged book18 book18c a11y16 dialect de fr es en-GB lang17b; do
	[ -f "$ROOT/tests/books/$b/book.yaml" ] && both "$b" "$ROOT/tests/books/$b"
done

# === books made for the join's checks ==========================================
# two DIR ONE TWO [STYLE-LINE...]: a two-part book in Charis, parts' bodies
# ONE and TWO (printf formats), more lines under the style's 'fonts:'.
two() {
	d=$1 one=$2 tw=$3
	shift 3
	rm -rf "$d" && mkdir -p "$d"
	cat >"$d/book.yaml" <<YAML
title: Two halves
language: en-GB
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-555555555555
style: mine.yaml
parts:
  - one.md
  - two.md
YAML
	{
		printf 'fonts:\n  regular: %s\n  italic: %s\n  bold: %s\n  bold-italic: %s\n' \
			"${REG:-$F/CharisSIL-Regular.ttf}" "$F/CharisSIL-Italic.ttf" \
			"$F/CharisSIL-Bold.ttf" "$F/CharisSIL-BoldItalic.ttf"
		for l in "$@"; do printf '%s\n' "$l"; done
		printf 'epub:\n  css: %s/styles/epub.css\n' "$ROOT"
		[ -n "${TOP:-}" ] && printf '%s\n' "$TOP"
	} >"$d/mine.yaml"
	printf -- "---\ntitle: \"One\"\nauthor: \"A. Writer\"\n---\n\n$one" >"$d/one.md"
	printf -- "---\ntitle: \"Two\"\nauthor: \"B. Writer\"\n---\n\n$tw" >"$d/two.md"
}
para="Partnership between the voluntary sector and government depends on trust, on time and on the patience to listen before deciding what a community needs. "
long="$para$para$para$para$para\n\n"

# One small capital reached from 'n' (smcp) in the first half and from
# 'N' (c2sc, an acronym) in the second: one thread draws the second as
# the glyph's other text, the fork as its first.
two "$T/caps" "$long The [nhs]{.smallcaps} said so.\n" "$long The NHS said so.\n" "  small-caps: acronyms"
both caps "$T/caps"
# A character no font has, in both halves (told at its first three
# places in the book, then counted), and in the second half only.
two "$T/miss2" "$long A \360\237\234\201 and \360\237\234\201.\n" "$long Two \360\237\234\201, \360\237\234\201 and \360\237\234\201.\n"
both missing-both "$T/miss2"
two "$T/miss1" "$long Nothing missing.\n" "$long Four \360\237\234\201 \360\237\234\201 \360\237\234\201 \360\237\234\201.\n"
both missing-second "$T/miss1"
# Code lines too wide for the measure in both halves (each told).
code='```\nthis_is_a_very_long_line_of_code(with, many, arguments, that, will, never, fit, on, one, line, of, the, page)\n```\n'
two "$T/wraps" "$long$code" "$long$code$code"
both code-wraps "$T/wraps"
# A page break owed at the end of the first half.
two "$T/newpage" "$long\\\\newpage\n" "$long"
both newpage "$T/newpage"
# Passages in other languages on both sides, numbered in the doc's order
# (the tagged PDF's /Lang).
two "$T/langs" "${long}A [Weltanschauung]{lang=de} and [bibliothèque]{lang=fr}.\n" \
	"${long}A [bibliothèque]{lang=fr}, [biblioteca]{lang=es} and [Weltanschauung]{lang=de}.\n"
TOP="tagged: true" two "$T/langs-tagged" "${long}A [Weltanschauung]{lang=de} and [bibliothèque]{lang=fr}.\n" \
	"${long}A [bibliothèque]{lang=fr}, [biblioteca]{lang=es} and [Weltanschauung]{lang=de}.\n"
both passages-tagged "$T/langs-tagged"
both passages "$T/langs"
# A face without small capitals, asked for in both halves: told once.
if [ -f "$DJ" ]; then
	REG=DejaVuSans.ttf two "$T/nosc" "$long[Small]{.smallcaps} one.\n" "$long[Small]{.smallcaps} two.\n"
	cp -L "$DJ" "$T/nosc/"
	both no-small-caps "$T/nosc"
else
	skip "par13: a face without small capitals: $DJ not installed"
fi
# An Arabic book of two parts (DejaVu Sans for the script).
if [ -f "$DJ" ]; then
	two "$T/ar" "" "" "  fallback: [DejaVuSans.ttf]"
	cp -L "$DJ" "$T/ar/"
	sed -i 's/^language: en-GB/language: ar/' "$T/ar/book.yaml"
	for p in one two; do
		sed -n '/^---$/,/^---$/!p' "$ROOT/tests/books/lang17c/ar.md" >>"$T/ar/$p.md"
	done
	both arabic "$T/ar"
else
	skip "par13: an Arabic book: $DJ not installed"
fi
