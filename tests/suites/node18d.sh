#!/bin/sh
# tests/suites/node18d.sh - a big book's PDF made on two threads (issue
# 18, the Node.js docs under a second): the pages' content streams are
# made beside libharu's objects and shared out between the threads
# (src/pdf/pdf.c, make_streams), each found in the store of an earlier
# build by a read-only peek, and taken in page order by the PDF's thread;
# the PDF is then saved beside the EPUB. Whatever thread makes a page,
# the files, the messages and the kept store (.SLUG.pdf-streams) must be
# those of --jobs 1, cold and warm, and a warm rebuild must take every
# stream from the store (the file left as it is).
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

# build DIR OUT JOBS [ARGS...]: a build with threads for any book
# (OCTAVO_JOBS_MIN=0), its messages in OUT.err. Returns octavo's status.
build() {
	b_dir=$1 b_out=$2 b_jobs=$3
	shift 3
	OCTAVO_JOBS_MIN=0 "$OCTAVO" build "$b_dir" -o "$b_out" --jobs "$b_jobs" -v "$@" \
		2>"$b_out.err" >/dev/null
}

# kept OUT: the files a build leaves in OUT that must not depend on its
# threads: the editions and the PDF's store.
same_kept() {
	for f in "$1"/*.pdf "$1"/*.epub "$1"/.*.pdf-streams; do
		[ -f "$f" ] && cmp -s "$f" "$2/$(basename "$f")" || return 1
	done
}

# messages OUT: the build's messages but the progress and the timing.
messages() {
	grep -v '^octavo: \(threads\|wrote\|reading\|laid\|loading\|laying\|checking\|writing\|read\|comparing\|since\)' "$1.err"
}

# Each book as it is; the edition in the offset profile too (crop marks,
# PDF/X: the pages' contents moved on the media), the others' images being
# refused there.
n=0
for book in manuscript tests/books/tagged tests/books/pages tests/books/dialect; do
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
		if [ "$s1" = 0 ] && [ "$s2" = 0 ] && [ "${started:-0}" -ge 2 ] &&
			same_kept "$o1" "$o2"; then
			ok "node18d: $tag: the PDF made on two threads ($started started), cold, is --jobs 1's, its store too"
		else
			no "node18d: $tag: the PDF made on two threads, cold, is --jobs 1's" "status $s1 / $s2, threads '$started'
$(ls -la "$o1" "$o2" 2>&1 | head -30)
$(head -20 "$o2.err")"
		fi
		if [ "$(messages "$o1")" = "$(messages "$o2")" ]; then
			ok "node18d: $tag: the same messages, in the same order, on one thread and two"
		else
			no "node18d: $tag: the same messages on one thread and two" "$(diff "$o1.err" "$o2.err" | head -20)"
		fi
	done
done

# --- warm: every stream from the store, the store left as it is --------------
W=$T/warm
rm -rf "$W" && build "$ROOT/manuscript" "$W" 2 --profile offset
before=$(ls -li --time-style=+%s.%N "$W/.civil-dialogue.pdf-streams" 2>/dev/null)
cp "$W/civil-dialogue.pdf" "$T/warm-cold.pdf"
if build "$ROOT/manuscript" "$W" 2 --profile offset &&
	cmp -s "$W/civil-dialogue.pdf" "$T/warm-cold.pdf" &&
	[ -n "$before" ] && [ "$before" = "$(ls -li --time-style=+%s.%N "$W/.civil-dialogue.pdf-streams")" ]; then
	ok "node18d: a warm rebuild on two threads takes every stream from the store: the same PDF, the store untouched"
else
	no "node18d: a warm rebuild on two threads takes every stream from the store" "before: $before
after:  $(ls -li --time-style=+%s.%N "$W/.civil-dialogue.pdf-streams" 2>&1)
$(head -20 "$W.err")"
fi

# --- an essay edited: its pages made again, the rest taken; as a cold build --
E=$T/edited
rm -rf "$E" && cp -r "$ROOT/manuscript" "$E"
build "$E" "$T/ed-warm" 2 >/dev/null
first=$(ls "$E"/*.md | sed -n 3p)
sed -i '0,/^[A-Z]/s/^\([A-Z][a-z]*\) /\1 indeed /' "$first"
build "$E" "$T/ed-warm" 2
s1=$?
rm -rf "$T/ed-cold"
build "$E" "$T/ed-cold" 1
s2=$?
if [ "$s1" = 0 ] && [ "$s2" = 0 ] && ! cmp -s "$T/ed-warm/civil-dialogue.pdf" "$T/warm-cold.pdf" &&
	same_kept "$T/ed-cold" "$T/ed-warm"; then
	ok "node18d: after an edit, a warm build on two threads gives a cold --jobs 1 build's PDF and store"
else
	no "node18d: after an edit, a warm build on two threads gives a cold build's PDF and store" "status $s1 / $s2
$(head -20 "$T/ed-warm.err")"
fi

# --- a damaged store: peeked records are checked, never trusted -----------------
D=$T/damaged
rm -rf "$D" && build "$ROOT/manuscript" "$D" 2 &&
	f=$D/.civil-dialogue.pdf-streams &&
	size=$(wc -c <"$f") &&
	for at in $((size / 5)) $((size / 2)) $((size * 4 / 5)); do
		printf 'XXXXXXXX' | dd of="$f" bs=1 seek="$at" conv=notrunc 2>/dev/null
	done
cp "$D/civil-dialogue.pdf" "$T/damaged-cold.pdf"
if build "$ROOT/manuscript" "$D" 2 && cmp -s "$D/civil-dialogue.pdf" "$T/damaged-cold.pdf" &&
	same_kept "$T/1-j1" "$D"; then
	ok "node18d: a damaged store: the pages it spoilt made again, the PDF and the new store as a cold build's"
else
	no "node18d: a damaged store gives the cold build's PDF" "$(head -20 "$D.err")"
fi

# --- one page book, and a book with no pages of text (nothing to share) --------
mkbook "$T/tiny"
if build "$T/tiny" "$T/tiny-j2" 2 && build "$T/tiny" "$T/tiny-j1" 1 &&
	same_kept "$T/tiny-j1" "$T/tiny-j2"; then
	ok "node18d: a two-page book on two threads: the same files as --jobs 1"
else
	no "node18d: a two-page book on two threads" "$(head -20 "$T/tiny-j2.err")"
fi
