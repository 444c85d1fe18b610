#!/bin/sh
# tests/suites/thr13.sh - threads only where they pay (issue 13): a book
# of less Markdown than the threshold (src/util/jobs.h, JOBS_MIN_BYTES;
# $OCTAVO_JOBS_MIN moves it) starts no thread whatever --jobs says, a
# bigger one does; 'octavo build -v' says how many ("threads: N
# started"); either way, and with --jobs 1, the files are the same bytes.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

# threads DIR OUT ARGS...: builds DIR into OUT with -v; prints the number
# of threads the build started (empty when it failed or did not say).
threads() {
	dir=$1 outdir=$2
	shift 2
	"$OCTAVO" build "$dir" -o "$outdir" -v "$@" 2>"$outdir.err" >/dev/null &&
		sed -n 's/^octavo: threads: \([0-9]*\) started .*/\1/p' "$outdir.err"
}

# same DIR-A DIR-B: whether both hold the same PDF and EPUB, byte for byte.
same() {
	for f in "$1"/*.pdf "$1"/*.epub; do
		[ -f "$f" ] && cmp -s "$f" "$2/$(basename "$f")" || return 1
	done
}

unset OCTAVO_JOBS_MIN
B=$ROOT/manuscript

# --- a small book: no thread, whatever --jobs says -----------------------------
n=$(threads "$B" "$T/small-j2" --jobs 2)
if [ "$n" = 0 ]; then
	ok "thr13: the edition (a small book) starts no thread with --jobs 2"
else
	no "thr13: the edition (a small book) starts no thread with --jobs 2" "threads: '$n'
$(grep -v 'warning\|^ ' "$T/small-j2.err" | head -20)"
fi
min=$(sed -n 's/^octavo: threads: .* a thread from \([0-9]*\) KB).*/\1/p' "$T/small-j2.err")
if expect 0 "thr13: build without -v" "$OCTAVO" build "$B" -o "$T/small-q" --jobs 2 &&
	! printf '%s\n' "$out" | grep -q '^octavo: threads:'; then
	ok "thr13: without -v the build says nothing of threads"
else
	no "thr13: without -v the build says nothing of threads" "$out"
fi

# --- libzip opened beside a small book's reading and layout (build.c's
# load_book): one thread, -v says so; none with --jobs 1 or without an
# EPUB; the same bytes either way -----------------------------------------
beside='^octavo: threads: 0 started (.*), and one beside to open libzip'
n1=$(threads "$B" "$T/small-j1" --jobs 1)
np=$(threads "$B" "$T/small-pdf" --jobs 2 --pdf)
if grep -q "$beside" "$T/small-j2.err" && [ "$n1" = 0 ] && ! grep -q 'beside to open' "$T/small-j1.err" &&
	[ "$np" = 0 ] && ! grep -q 'beside to open' "$T/small-pdf.err" && same "$T/small-j1" "$T/small-j2" &&
	cmp -s "$T/small-j1/civil-dialogue.pdf" "$T/small-pdf/civil-dialogue.pdf"; then
	ok "thr13: a small book opens libzip on a thread beside its layout (--jobs 2), not with --jobs 1 or --pdf, to the same bytes"
else
	no "thr13: a small book opens libzip on a thread beside its layout, not with --jobs 1 or --pdf, to the same bytes" "$(grep '^octavo: threads' "$T/small-j2.err" "$T/small-j1.err" "$T/small-pdf.err")
$(cd "$T" && sha256sum small-j1/*.pdf small-j1/*.epub small-j2/*.pdf small-j2/*.epub small-pdf/*.pdf 2>&1)"
fi

# --- a small book's tagged PDF (the screen profile): the EPUB beside it, one
# thread, at any size (build.c's write_editions); the same bytes as --jobs 1
n=$(threads "$B" "$T/screen-j2" --jobs 2 --profile screen)
n1=$(threads "$B" "$T/screen-j1" --jobs 1 --profile screen)
if [ "$n" = 1 ] && [ "$n1" = 0 ] && same "$T/screen-j1" "$T/screen-j2"; then
	ok "thr13: a tagged PDF (--profile screen) has the EPUB beside it on one thread, to the same bytes as --jobs 1"
else
	no "thr13: a tagged PDF (--profile screen) has the EPUB beside it on one thread, to the same bytes" "threads: '$n' and '$n1' (--jobs 1)
$(grep -v 'warning\|^ ' "$T/screen-j2.err" | head -20)"
fi

# --- the threshold moved to 0: the same small book starts both threads, to
# the same bytes (this is how the other suites test the join) --------------
n=$(OCTAVO_JOBS_MIN=0 threads "$B" "$T/small-any" --jobs 2)
if [ "${n:-0}" -ge 2 ] && same "$T/small-j2" "$T/small-any"; then
	ok "thr13: OCTAVO_JOBS_MIN=0 starts threads for the edition ($n), to the same bytes"
else
	no "thr13: OCTAVO_JOBS_MIN=0 starts threads for the edition, to the same bytes" "threads: '$n'"
fi
n=$(OCTAVO_JOBS_MIN=0 threads "$B" "$T/small-any1" --jobs 1)
if [ "$n" = 0 ] && same "$T/small-j2" "$T/small-any1"; then
	ok "thr13: --jobs 1 starts no thread even with OCTAVO_JOBS_MIN=0, to the same bytes"
else
	no "thr13: --jobs 1 starts no thread even with OCTAVO_JOBS_MIN=0" "threads: '$n'"
fi
if expect 2 "thr13: OCTAVO_JOBS_MIN=1MB" env OCTAVO_JOBS_MIN=1MB "$OCTAVO" build "$B" -o "$T/u"; then
	has "thr13: OCTAVO_JOBS_MIN=1MB is a usage error" "octavo: error: OCTAVO_JOBS_MIN takes a number of bytes, not '1MB'"
fi

# --- a big book at the default threshold: threads, the same bytes -------------
# The edition repeated until it holds more Markdown than the threshold.
if [ -z "$min" ] || [ "$min" -le 0 ]; then
	no "thr13: -v names the threshold ('a thread from N KB')" "$(grep threads "$T/small-j2.err")"
elif ! command -v python3 >/dev/null 2>&1; then
	skip "thr13: a big book starts threads (python3 is needed to make it)"
else
	ed=$(du -bc "$B"/*.md | tail -n 1 | cut -f1)
	times=$((min * 1024 / ed + 2))
	python3 "$ROOT/bench/scale.py" "$B" "$T/big" "$times" >/dev/null
	n=$(threads "$T/big" "$T/big-j2" --jobs 2)
	n1=$(threads "$T/big" "$T/big-j1" --jobs 1)
	# (and no thread beside for libzip: that is a small book's, build.c)
	if [ "${n:-0}" -ge 2 ] && grep -q "^octavo: threads: $n started ([0-9]* KB of Markdown; a thread from $min KB) ([0-9]* ms)$" "$T/big-j2.err"; then
		ok "thr13: the edition $times times over (more than $min KB) starts $n threads with --jobs 2"
	else
		no "thr13: the edition $times times over (more than $min KB) starts threads with --jobs 2" "threads: '$n'
$(grep -v 'warning\|^ ' "$T/big-j2.err" | head -20)"
	fi
	if [ "$n1" = 0 ] && same "$T/big-j1" "$T/big-j2"; then
		ok "thr13: the big book with --jobs 1 starts none, and gives the same PDF and EPUB"
	else
		no "thr13: the big book with --jobs 1 starts none, and gives the same PDF and EPUB" "threads: '$n1'
$(cd "$T" && sha256sum big-j1/*.pdf big-j1/*.epub big-j2/*.pdf big-j2/*.epub 2>&1)"
	fi
	# The threshold is the book's: moved above it, the big book starts none.
	above=$(((min + 1024 * times) * 1024))
	n=$(OCTAVO_JOBS_MIN=$above threads "$T/big" "$T/big-above" --jobs 2)
	if [ "$n" = 0 ] && same "$T/big-j1" "$T/big-above"; then
		ok "thr13: the big book under a higher OCTAVO_JOBS_MIN starts none, to the same bytes"
	else
		no "thr13: the big book under a higher OCTAVO_JOBS_MIN starts none" "threads: '$n'"
	fi
fi

# --- the parts' Markdown parsed in two halves (src/book/book.c's
# load_part_files): the same messages, in the same order, as one thread
# gives, and a part listed twice across the cut named as one thread names
# it (the second half read again, in order) ---------------------------------
mkdir -p "$T/halves"
for i in 1 2 3 4; do
	{ printf -- '---\ntitle: "Part %s"\n---\n\n' "$i"
	  printf 'Text with <blink>a tag octavo does not know</blink> in part %s.\n\n' "$i"
	  printf 'Words of part %s. %.0s' "$i" $(seq 1 200); printf '\n'; } >"$T/halves/p$i.md"
done
ln -s p1.md "$T/halves/again.md"
printf 'title: Halves\nlanguage: en-GB\nparts:\n  - p1.md\n  - p2.md\n  - p3.md\n  - p4.md\n' >"$T/halves/book.yaml"
cp -r "$T/halves" "$T/twice"
printf '  - again.md\n' >>"$T/twice/book.yaml"
for b in halves twice; do
	for j in 1 2; do # (the last line's time aside)
		OCTAVO_JOBS_MIN=0 "$OCTAVO" check "$T/$b" --jobs $j 2>&1 | grep -v '^octavo: checked' >"$T/$b-j$j.msg"
	done
done
if cmp -s "$T/halves-j1.msg" "$T/halves-j2.msg" && [ "$(grep -c 'is not known to octavo' "$T/halves-j2.msg")" = 4 ] &&
	[ "$(grep 'is not known' "$T/halves-j2.msg" | cut -d: -f1 | tr '\n' ' ')" = "$T/halves/p1.md $T/halves/p2.md $T/halves/p3.md $T/halves/p4.md " ]; then
	ok "thr13: parts parsed on two threads give one thread's messages, in book order"
else
	no "thr13: parts parsed on two threads give one thread's messages, in book order" "$(diff "$T/halves-j1.msg" "$T/halves-j2.msg" | head -20)"
fi
if cmp -s "$T/twice-j1.msg" "$T/twice-j2.msg" && grep -q "part 'again.md' is listed twice (first on line 4)" "$T/twice-j2.msg"; then
	ok "thr13: a part listed twice across the halves' cut is named as one thread names it"
else
	no "thr13: a part listed twice across the halves' cut is named as one thread names it" "$(diff "$T/twice-j1.msg" "$T/twice-j2.msg" | head -20; head -20 "$T/twice-j2.msg")"
fi
