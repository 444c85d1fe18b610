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
# The editor: "Под редакцией" / "За редакцією" want the name in the
# genitive, and book.yaml's names are in the nominative ("Под редакцией
# Иван Петров"); the colon form, as the translator's, reads right.
for lang in ru uk; do
	x=$(pdftotext -l 3 "$T/$lang/out/qa14q.pdf" - 2>/dev/null | grep -i 'редак')
	[ "$x" = "Редактор: Иван Петров" ] && ok "$lang: the title page's editor reads 'Редактор: Иван Петров'" ||
		no "$lang: the title page's editor reads 'Редактор: Иван Петров'" "$x"
done
# code.md has an h3 before an h2, as GoogleTest's README does: the nav
# opened a second list in the essay's item, which epubcheck refuses.
epubcheck_ok "ru book, an h3 before an h2" "$T/ru/out/qa14q.epub"

# === code is set as typed whatever the style's figures and small capitals =====
# With 'small-caps: acronyms' and 'figures: old-style', the code's runs of
# capitals (LOOP_COUNT, in a code block and in inline code) printed in
# small capitals and its figures old-style: shape.c gave the mono face the
# text's features. Each code line, cut from the page, must look the same as
# in the same book without those settings.
d=$T/feat
cp -r "$T/ru/book" "$d"
# code_png PDF WORD PNG: the line holding WORD, cut from its page at 72 dpi.
code_png() {
	pdftotext -bbox "$1" - 2>/dev/null | python3 -c '
import re, sys
page = 0
for l in sys.stdin:
    if "<page " in l:
        page += 1
    m = re.search(r"yMin=\"([\d.]+)\" xMax=\"[\d.]+\" yMax=\"([\d.]+)\">" + re.escape(sys.argv[1]) + "<", l)
    if m:
        y0, y1 = float(m.group(1)), float(m.group(2))
        print(page, int(y0) - 1, int(y1 - y0) + 3)
        break
' "$2" | {
		read -r pg y h || return 1
		pdftoppm -png -r 72 -f "$pg" -l "$pg" -x 0 -y "$y" -W 400 -H "$h" -singlefile "$1" "$3"
	}
}
expect 0 "the book builds without small capitals or old-style figures" "$OCTAVO" build "$d" -o "$d/plain" -q
sed -i 's/^  mono: \(.*\)$/  mono: \1\n  small-caps: acronyms\n  figures: old-style/' "$d/qa14q.yaml"
if expect 0 "the book builds with small capitals and old-style figures" "$OCTAVO" build "$d" -o "$d/feat" -q; then
	for w in LOOP_COUNT WEBP_MUX_ABI; do
		code_png "$d/plain/qa14q.pdf" "$w" "$d/a-$w" && code_png "$d/feat/qa14q.pdf" "$w" "$d/b-$w"
		if [ -s "$d/a-$w.png" ] && cmp -s "$d/a-$w.png" "$d/b-$w.png"; then
			ok "code '$w' prints as typed with small-caps: acronyms and figures: old-style"
		else
			no "code '$w' prints as typed with small-caps: acronyms and figures: old-style" "$(ls -l "$d"/*.png 2>&1)"
		fi
	done
	css=$(unzip -p "$d/feat/qa14q.epub" OEBPS/css/fonts.css)
	case $css in
	*'code, pre, kbd, samp {'*'font-feature-settings: normal;'*) ok "EPUB: code takes none of the text's features" ;;
	*) no "EPUB: code takes none of the text's features" "$css" ;;
	esac
	epubcheck_ok "features" "$d/feat/qa14q.epub"
fi

# === a face the style names twice =============================================
# A family without an italic, or the bold named again for the bold italic:
# that emphasis printed unmarked without a word. Said at the key's place.
d=$T/same
cp -r "$T/ru/book" "$d"
sed -i 's#^  italic: .*#  italic: '"$ROOT"'/fonts/CharisSIL-Regular.ttf#; s#^  bold-italic: .*#  bold-italic: '"$ROOT"'/fonts/CharisSIL-Bold.ttf#' "$d/qa14q.yaml"
li=$(grep -n '^  italic:' "$d/qa14q.yaml" | cut -d: -f1)
lb=$(grep -n '^  bold-italic:' "$d/qa14q.yaml" | cut -d: -f1)
if expect 0 "a style naming its regular face for the italic" "$OCTAVO" check "$d"; then
	contains "the italic named as the regular face: a warning at its key" \
		"qa14q.yaml:$li:11: warning: 'fonts: italic' is the same face as 'fonts: regular': italic words print upright"
	contains "the bold italic named as the bold face: a warning at its key" \
		"qa14q.yaml:$lb:16: warning: 'fonts: bold-italic' is the same face as 'fonts: bold': bold italic words print upright"
fi
expect 0 "the book in its four faces" "$OCTAVO" check "$T/ru/book" &&
	if printf '%s\n' "$out" | grep -q 'is the same face'; then no "four faces: no face named twice" "$out"; else ok "four faces: no face named twice"; fi
