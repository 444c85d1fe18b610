#!/bin/sh
# tests/suites/bench12.sh - a book that gives memory back (4 MB of
# Markdown or more; $OCTAVO_GIVE_BACK_MIN moves the line, 0: any book)
# adds the PDF's objects after its pages' streams, and writes its EPUB
# beside them on the thread that helped make the streams (src/pdf/pdf.c,
# make_streams: pdf_options.beside), not after the whole PDF draft. What
# thread writes the EPUB, and when, must change nothing: the PDF, the
# EPUB, the stores they keep (.SLUG.pdf-streams, .SLUG.deflated) and the
# messages are those of --jobs 1, cold, warm and after an edit; a warm
# rebuild leaves both stores untouched.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

# build DIR OUT JOBS [ARGS...]: a build with threads and the give-back
# path for any book, its messages in OUT.err. Returns octavo's status.
build() {
	b_dir=$1 b_out=$2 b_jobs=$3
	shift 3
	OCTAVO_JOBS_MIN=0 OCTAVO_GIVE_BACK_MIN=0 "$OCTAVO" build "$b_dir" -o "$b_out" \
		--jobs "$b_jobs" -v "$@" 2>"$b_out.err" >/dev/null
}

# same_kept A B: A and B hold the same editions and stores, byte for byte.
same_kept() {
	for f in "$1"/*.pdf "$1"/*.epub "$1"/.*.pdf-streams "$1"/.*.deflated; do
		[ -f "$f" ] && cmp -s "$f" "$2/$(basename "$f")" || return 1
	done
}

# messages OUT: the build's messages but the progress and the timing.
messages() {
	grep -v '^octavo: \(threads\|wrote\|reading\|laid\|loading\|laying\|checking\|writing\|read\|comparing\|since\)' "$1.err"
}

# stamp OUT: the stores' inodes and modification times.
stamp() {
	ls -li --time-style=+%s.%N "$1"/.*.pdf-streams "$1"/.*.deflated 2>/dev/null
}

# --- each book, cold: two threads against one --------------------------------
n=0
for book in manuscript tests/books/tagged tests/books/dialect; do
	n=$((n + 1))
	name=$(basename "$book")
	profs=""
	[ "$book" = manuscript ] && profs=offset
	for prof in "" $profs; do
		set -- ${prof:+--profile "$prof"}
		tag="$name${prof:+ ($prof profile)}"
		o1=$T/$n$prof-j1 o2=$T/$n$prof-j2
		rm -rf "$o1" "$o2"
		build "$ROOT/$book" "$o1" 1 "$@"
		s1=$?
		build "$ROOT/$book" "$o2" 2 "$@"
		s2=$?
		started=$(sed -n 's/^octavo: threads: \([0-9]*\) started .*/\1/p' "$o2.err")
		if [ "$s1" = 0 ] && [ "$s2" = 0 ] && [ "${started:-0}" -ge 1 ] && same_kept "$o1" "$o2"; then
			ok "bench12: $tag: the EPUB beside the PDF's late objects ($started threads), cold: --jobs 1's files and stores"
		else
			no "bench12: $tag: the EPUB beside the PDF's late objects, cold: --jobs 1's files" "status $s1 / $s2, threads '$started'
$(cd "$T" && sha256sum "$o1"/* "$o2"/* 2>&1 | head -20)
$(head -20 "$o2.err")"
		fi
		if [ "$(messages "$o1")" = "$(messages "$o2")" ]; then
			ok "bench12: $tag: the same messages, in the same order"
		else
			no "bench12: $tag: the same messages" "$(diff "$o1.err" "$o2.err" | head -20)"
		fi
	done
done

# The same bytes as a build that never gives back (the default for the
# edition), so that the path changes memory and time alone.
P=$T/plain
rm -rf "$P"
if "$OCTAVO" build "$ROOT/manuscript" -o "$P" -q 2>/dev/null && same_kept "$P" "$T/1-j2"; then
	ok "bench12: the edition built as always (no give-back, one thread) is the same bytes"
else
	no "bench12: the edition built as always is the same bytes" "$(cd "$T" && sha256sum plain/*.pdf plain/*.epub 1-j2/*.pdf 1-j2/*.epub 2>&1)"
fi

# --- warm: every stream and entry from the stores, both left as they are ------
W=$T/1-j2
before=$(stamp "$W")
if build "$ROOT/manuscript" "$W" 2 && same_kept "$W" "$T/1-j1" &&
	[ -n "$before" ] && [ "$before" = "$(stamp "$W")" ]; then
	ok "bench12: a warm rebuild, EPUB beside: the same files, .pdf-streams and .deflated untouched"
else
	no "bench12: a warm rebuild, EPUB beside: the same files, the stores untouched" "before: $before
after:  $(stamp "$W")"
fi

# --- an edited part: the cold build's bytes -----------------------------------
E=$T/edited
rm -rf "$E" && cp -r "$ROOT/manuscript" "$E"
part=$(ls "$E"/*.md | sed -n 3p)
printf '\nA paragraph added for the test, so that some pages change.\n' >>"$part"
build "$E" "$W" 2
s=$?
rm -rf "$T/edited-cold"
build "$E" "$T/edited-cold" 1
# (The stores hold the same records, in the order they were taken or made.)
if [ "$s" = 0 ] && cmp -s "$W/civil-dialogue.pdf" "$T/edited-cold/civil-dialogue.pdf" &&
	cmp -s "$W/civil-dialogue.epub" "$T/edited-cold/civil-dialogue.epub"; then
	ok "bench12: after an edit, the warm build beside is the cold --jobs 1 build"
else
	no "bench12: after an edit, the warm build beside is the cold --jobs 1 build" "status $s
$(head -10 "$W.err")"
fi

# --- a PDF that stops before its pages: the EPUB is still written ------------
# A tagged PDF refuses a figure without alt text before it draws a page
# (pdf_check_alt): the EPUB, which runs beside the PDF's late objects,
# must run all the same, so the status and the messages are --jobs 1's.
B=$T/noalt
mkbook "$B"
png "$B/images/a.png" 20 20
printf -- '---\ntitle: "Two"\n---\n\nText.\n\n![](images/a.png)\n' >"$B/two.md"
build "$B" "$T/noalt-j1" 1 --screen
s1=$?
build "$B" "$T/noalt-j2" 2 --screen
s2=$?
if [ "$s1" = 1 ] && [ "$s2" = 1 ] && [ "$(messages "$T/noalt-j1")" = "$(messages "$T/noalt-j2")" ]; then
	ok "bench12: a tagged PDF refused before its pages: status 1 and --jobs 1's messages, the EPUB's among them"
else
	no "bench12: a tagged PDF refused before its pages: --jobs 1's status and messages" "status $s1 / $s2
$(diff "$T/noalt-j1.err" "$T/noalt-j2.err" | head -10)"
fi

# --- a real book past the line (the edition 25 times: 4.3 MB) ----------------
# The release build (bin/octavo, or OCTAVO_RELEASE): under the sanitizers
# the book takes minutes.
REL=${OCTAVO_RELEASE:-$ROOT/bin/octavo}
if ! [ -x "$REL" ] || ! command -v python3 >/dev/null 2>&1; then
	skip "bench12: a 4.3 MB book (needs bin/octavo and python3)"
	exit 0
fi
if ! python3 "$ROOT/bench/scale.py" "$ROOT/manuscript" "$T/x25" 25 >/dev/null 2>"$T/scale.err"; then
	no "bench12: the edition 25 times over" "$(cat "$T/scale.err")"
	exit 0
fi
unset OCTAVO_GIVE_BACK_MIN OCTAVO_JOBS_MIN
"$REL" build "$T/x25" -o "$T/x25-j2" --jobs 2 -q 2>"$T/x25-j2.err"
s2=$?
"$REL" build "$T/x25" -o "$T/x25-j1" --jobs 1 -q 2>"$T/x25-j1.err"
s1=$?
if [ "$s1" = 0 ] && [ "$s2" = 0 ] && same_kept "$T/x25-j1" "$T/x25-j2" &&
	cmp -s "$T/x25-j1.err" "$T/x25-j2.err"; then
	ok "bench12: the edition 25 times over (4.3 MB, gives back), two threads: --jobs 1's files, stores and messages"
else
	no "bench12: the edition 25 times over, two threads: --jobs 1's files" "status $s1 / $s2
$(diff "$T/x25-j1.err" "$T/x25-j2.err" | head -10)"
fi
before=$(stamp "$T/x25-j2")
if "$REL" build "$T/x25" -o "$T/x25-j2" --jobs 2 -q 2>/dev/null && same_kept "$T/x25-j1" "$T/x25-j2" &&
	[ "$before" = "$(stamp "$T/x25-j2")" ]; then
	ok "bench12: its warm rebuild: the same files, both stores untouched"
else
	no "bench12: the 4.3 MB book's warm rebuild: the stores untouched" "before: $before
after:  $(stamp "$T/x25-j2")"
fi
