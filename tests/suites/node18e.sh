#!/bin/sh
# tests/suites/node18e.sh - the Node.js docs' cost cuts (issue 18, under a
# second) change no byte:
# - a book of 1 to 4 MB of Markdown grows its heaps on huge pages
#   (src/util/heap.c, heap_grow_huge): its files, cold and warm, on one thread and
#   two, are the same, and a warm rebuild leaves the PDF's store as it is;
# - the search's stretched tries begin from their plain try, and a squeeze
#   that does not hold gives the plain try back (src/layout/page.c):
#   OCTAVO_CHECK_TRIES makes every such try again the old way and stops
#   on a difference, on books whose parts are searched with the stretch;
# - the PDF is saved through octavo's own buffer (src/pdf/haru.c): it is
#   whole (qpdf) and ends as a PDF does.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

# A book of about 1.2 MB of prose (bench/scale.py, as tests/scale.sh
# makes its 2 MB essay): over the line where the heaps grow.
python3 "$ROOT/bench/scale.py" "$ROOT/manuscript" "$T/big" --essay=1.2 >/dev/null
bytes=$(wc -c <"$T/big/big.md")
if [ "$bytes" -ge 1048576 ]; then
	ok "node18e: a book of $bytes bytes of Markdown: over the 1 MB line"
else
	no "node18e: the test book is $bytes bytes, want 1 MB or more"
fi

sums() {
	sha256sum "$1"/*.pdf "$1"/*.epub | cut -c1-64
}

"$OCTAVO" build "$T/big" -o "$T/j1" --jobs 1 -q 2>"$T/j1.err"
s1=$?
"$OCTAVO" build "$T/big" -o "$T/j2" --jobs 2 -q 2>"$T/j2.err"
s2=$?
if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ "$(sums "$T/j1")" = "$(sums "$T/j2")" ]; then
	ok "node18e: the big book: the same PDF and EPUB on one thread and on two"
else
	no "node18e: the big book: -j 1 and -j 2 differ (status $s1, $s2)" "$(cat "$T/j1.err" "$T/j2.err")"
fi
if cmp -s "$T/j1.err" "$T/j2.err"; then
	ok "node18e: the big book: the same messages on one thread and on two"
else
	no "node18e: the big book: the messages differ" "$(diff "$T/j1.err" "$T/j2.err")"
fi

# Warm: the same files, and the PDF's store left untouched.
before=$(sums "$T/j2")
store=$(ls "$T/j2"/.*.pdf-streams)
stamp=$(stat -c '%i %Y %s' "$store")
"$OCTAVO" build "$T/big" -o "$T/j2" --jobs 2 -q 2>/dev/null
if [ "$(sums "$T/j2")" = "$before" ] && [ "$(stat -c '%i %Y %s' "$store")" = "$stamp" ]; then
	ok "node18e: the big book, warm: the same files, the PDF's store untouched"
else
	no "node18e: the big book, warm: the files or the store changed"
fi

# The saved PDF is whole.
pdf=$(ls "$T/j2"/*.pdf)
if [ "$(tail -c 6 "$pdf" | tr -d '\n\r')" = "%%EOF" ]; then
	ok "node18e: the saved PDF ends with %%EOF"
else
	no "node18e: the saved PDF does not end as a PDF does"
fi
if command -v qpdf >/dev/null 2>&1; then
	if qpdf --check "$pdf" >"$T/qpdf.out" 2>&1; then
		ok "node18e: qpdf --check passes on the saved PDF"
	else
		no "node18e: qpdf --check fails on the saved PDF" "$(tail -5 "$T/qpdf.out")"
	fi
else
	skip "node18e: qpdf --check (qpdf is not installed)"
fi

# Stretched and squeezed tries checked against fill made the old way.
for book in tests/heads14g tests/stacked14f tests/books/pages; do
	[ -f "$ROOT/$book/book.yaml" ] || {
		skip "node18e: $book: not here"
		continue
	}
	name=$(basename "$book")
	"$OCTAVO" build "$ROOT/$book" -o "$T/plain-$name" --jobs 1 -q 2>/dev/null
	if OCTAVO_CHECK_TRIES=1 "$OCTAVO" build "$ROOT/$book" -o "$T/chk-$name" --jobs 1 -q \
		2>"$T/chk-$name.err" &&
		cmp -s "$T/plain-$name"/*.pdf "$T/chk-$name"/*.pdf; then
		ok "node18e: $book: every try made from its plain try is the try fill makes, same PDF"
	else
		no "node18e: $book: OCTAVO_CHECK_TRIES failed or the PDF differs" "$(tail -3 "$T/chk-$name.err")"
	fi
done
