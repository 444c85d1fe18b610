#!/bin/sh
# tests/suites/qa14q.sh - books nobody here wrote, in Russian, Ukrainian
# and Greek and in fonts other than the edition's, as a reader of each
# would go through them. Each check fails on the octavo before its mend.
. "$ROOT/tests/lib.sh"

B=$ROOT/tests/books/qa14q

# === the titles octavo writes, in the book's language ==========================
# The part divider's label, the book-end notes' heading and the notes on
# contributors: "Part I", "Notes" and "Notes on contributors" printed in
# English in a Russian book (the strings of lang.c were there, the kinds'
# titles of kinds.c were not).
for want in "ru Часть Примечания Об авторах" "uk Частина Примітки Про авторів" \
	"el Μέρος Σημειώσεις Οι συγγραφείς"; do
	lang=${want%% *}
	set -- $want
	part=$2 notes=$3 contrib="$4 $5"
	d=$T/$lang
	mkdir -p "$d"
	cp -r "$B"/. "$d/book"
	sed -i "s/^language: ru/language: $lang/" "$d/book/book.yaml"
	sed -i "s#\.\./\.\./\.\./#$ROOT/#" "$d/book/qa14q.yaml"
	expect 0 "$lang: the book builds" "$OCTAVO" build "$d/book" -o "$d/out" -q || continue
	txt=$(pdftotext -layout "$d/out/qa14q.pdf" - 2>/dev/null)
	for w in "$part I" "$notes" "$contrib"; do
		n=$(printf '%s\n' "$txt" | grep -c -- "^[[:space:]]*$w[[:space:]]*\$")
		[ "$n" -ge 1 ] && ok "$lang: the PDF prints '$w' as a title" ||
			no "$lang: the PDF prints '$w' as a title" "$(printf '%s\n' "$txt" | grep -v "^[[:space:]]*\$" | sed -n 14,30p)"
	done
	nav=$(unzip -p "$d/out/qa14q.epub" OEBPS/nav.xhtml)
	for w in "$part I" "$notes" "$contrib"; do
		case $nav in
		*"$w"*) ok "$lang: the EPUB's contents name '$w'" ;;
		*) no "$lang: the EPUB's contents name '$w'" "$nav" ;;
		esac
	done
done
epubcheck_ok "ru book" "$T/ru/out/qa14q.epub"
