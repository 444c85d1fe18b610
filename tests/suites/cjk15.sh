#!/bin/sh
# tests/suites/cjk15.sh - books in other scripts and languages:
# - a Chinese book with a Japanese essay (tests/books/cjk15, the default
#   fonts: Han and kana from Droid Sans Fallback): its long title, which
#   has no space, set at the title page's size and broken where UAX #14
#   allows, not stepped down as one word wider than the measure; its lines
#   broken between ideographs, never before closing punctuation (kinsoku),
#   never hyphenated; its text extracted from the PDF; its EPUB valid;
# - heading ids in the editions made of the heading's letters in any
#   script (Chinese, Cyrillic, Greek), not "section", unique in the book;
# - the editor named without a case the name is not in (Polish).
# Each check fails on the octavo before its mend (21a1ea4) but kinsoku,
# extraction and epubcheck, which held already and must go on holding.
. "$ROOT/tests/lib.sh"

B=$ROOT/tests/books/cjk15
DF=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf

# === a Chinese book ===========================================================
if [ ! -f "$DF" ]; then
	skip "Chinese book: $DF not installed (fonts-droid-fallback)"
elif expect 0 "Chinese book builds" "$OCTAVO" build "$B" -o "$T/zh" -q; then
	# The title page's title: 26 ideographs, no space. Its size is its
	# advance per character; the openings' title size is 17pt, and the
	# title stepped down to the subtitle's floor (12.6pt) as a word
	# wider than the measure.
	adv=$(pdftotext -f 3 -l 3 -bbox "$T/zh/cjk15.pdf" - | python3 -c '
import re, sys
for l in sys.stdin:
    m = re.search(r"xMin=\"([\d.]+)\".*xMax=\"([\d.]+)\".*>(.*)</word>", l)
    if m and m.group(3).startswith("公民"):
        print(round((float(m.group(2)) - float(m.group(1))) / len(m.group(3)), 1))
        break')
	if python3 -c "import sys; sys.exit(0 if float('${adv:-0}') >= 17 else 1)"; then
		ok "Chinese title set at 17pt or more on the title page (${adv}pt)"
	else
		no "Chinese title set at 17pt or more on the title page" "advance per character: '$adv'"
	fi
	n=$(pdftotext -f 3 -l 3 "$T/zh/cjk15.pdf" - | grep -c '^[公之历作关].*[^，。]$')
	[ "$n" -ge 2 ] && [ "$n" -le 3 ] && ok "Chinese title on 2-3 lines ($n)" ||
		no "Chinese title on 2-3 lines" "$(pdftotext -f 3 -l 3 "$T/zh/cjk15.pdf" - | head -8)"
	txt=$(pdftotext "$T/zh/cjk15.pdf" -)
	bad=$(printf '%s\n' "$txt" | grep -n '^[。，、」：；！？）”』》・ーっゃゅょッャュョ]')
	[ -z "$bad" ] && ok "no line starts with closing punctuation or a small kana (kinsoku)" ||
		no "no line starts with closing punctuation or a small kana (kinsoku)" "$bad"
	bad=$(printf '%s\n' "$txt" | grep -n '[「“（『《]$')
	[ -z "$bad" ] && ok "no line ends with opening punctuation" ||
		no "no line ends with opening punctuation" "$bad"
	out=$("$OCTAVO" report "$B" 2>&1)
	contains "Chinese book: no hyphenated line" "hyphenated lines      0 (0.0%)"
	contains "Chinese book: no forced break" "forced breaks         0"
	for w in 志愿者组织则有时间 町内会が長いあいだ地域の暮らしを支えてきた; do
		printf '%s\n' "$txt" | tr -d '\n' | grep -qF "$w" && ok "the PDF's text gives back '$w'" ||
			no "the PDF's text gives back '$w'" "$(printf '%s\n' "$txt" | head -40)"
	done
	epubcheck_ok "Chinese book" "$T/zh/cjk15.epub"
	# Heading ids: "essay-01-section", "-section-2", ... on the base.
	x=$(unzip -p "$T/zh/cjk15.epub" OEBPS/text/essay-01.xhtml OEBPS/text/essay-02.xhtml)
	for id in essay-01-钱从哪里来 essay-01-未来十年 essay-02-二つの組織をつなぐもの; do
		case $x in
		*"id=\"$id\""*) ok "EPUB: a heading's id is '$id'" ;;
		*) no "EPUB: a heading's id is '$id'" "$(printf '%s\n' "$x" | grep -o '<h[23][^>]*>')" ;;
		esac
	done
	case $x in
	*'href="#essay-01-%E6%9C%AA%E6%9D%A5%E5%8D%81%E5%B9%B4"'*) ok "EPUB: the link to '#未来十年' leads to its heading" ;;
	*) no "EPUB: the link to '#未来十年' leads to its heading" "$(printf '%s\n' "$x" | grep -o '<a href[^>]*>')" ;;
	esac
fi

# === heading ids in Cyrillic and Greek (and a Polish book) ========================================
Q=$ROOT/tests/books/qa14q
for lang in ru pl; do
	d=$T/$lang
	mkdir -p "$d"
	cp -r "$Q"/. "$d/book"
	sed -i "s/^language: ru/language: $lang/" "$d/book/book.yaml"
	sed -i "s#\.\./\.\./\.\./#$ROOT/#" "$d/book/qa14q.yaml"
	printf '\n## Η επόμενη μέρα\n\nΚείμενο.\n\n## Что дальше\n\nТекст.\n' >>"$d/book/essay.md"
	expect 0 "$lang: the book builds" "$OCTAVO" build "$d/book" -o "$d/out" -q || continue
	[ "$lang" = ru ] || continue
	nav=$(unzip -p "$d/out/qa14q.epub" OEBPS/nav.xhtml)
	for id in essay-01-что-дальше essay-01-η-επόμενη-μέρα essay-01-что-дальше-2 essay-02-итог; do
		case $nav in
		*"#$id\""*) ok "$lang: the contents lead to the heading id '$id'" ;;
		*) no "$lang: the contents lead to the heading id '$id'" "$(printf '%s\n' "$nav" | grep -o 'href="[^"]*"')" ;;
		esac
	done
	epubcheck_ok "ru book, Cyrillic and Greek ids" "$d/out/qa14q.epub"
done

# === the editor, named as book.yaml names them ================================
# "Pod redakcją Иван Петров": the phrase wants the name in the genitive.
x=$(pdftotext -l 3 "$T/pl/out/qa14q.pdf" - 2>/dev/null | grep -i 'redak')
[ "$x" = "Redakcja: Иван Петров" ] && ok "pl: the title page's editor reads 'Redakcja: Иван Петров'" ||
	no "pl: the title page's editor reads 'Redakcja: Иван Петров'" "$x"

# === a variable font in the EPUB ==============================================
# Inter's one variable file for all four faces: the PDF sets each face at
# its instance (wght 700 for bold, slnt -10 for italic), and the EPUB
# declared the bare variable file for all four, which a reading system
# draws at its default instance - bold and italic text upright and
# regular. Each face now gets its instance, cut static (no fvar table).
V=/usr/share/fonts/truetype/inter-vf/Inter.var.ttf
if [ -f "$V" ]; then
	d=$T/inter
	mkdir -p "$d"
	cp "$V" "$ROOT/styles/epub.css" "$d/"
	sed -e 's#FONT-[RIB]*$#Inter.var.ttf#' -e 's#^EXTRA$##' "$ROOT/tests/books/lang17/style.yaml" >"$d/style.yaml"
	printf 'title: Variable\nlanguage: en\npublisher: Octavo Press\nidentifiers:\n  uuid: urn:uuid:11111111-2222-3333-4444-00000000cf16\nstyle: style.yaml\nparts:\n  - one.md\n' >"$d/book.yaml"
	printf -- '---\ntitle: One\nauthor: A. Writer\n---\n\nRegular, *italic*, **bold** and ***bold italic*** words.\n' >"$d/one.md"
	if expect 0 "Inter (variable) book builds" "$OCTAVO" build "$d" -o "$d/out" -q; then
		mkdir -p "$d/x"
		(cd "$d/x" && unzip -q ../out/variable.epub)
		css=$(cat "$d/x/OEBPS/css/fonts.css")
		srcs=$(printf '%s\n' "$css" | grep -c 'src: url')
		files=$(printf '%s\n' "$css" | sed -n 's/.*src: url("\.\.\/\(.*\)");/\1/p' | sort -u | wc -l)
		[ "$srcs" -eq 4 ] && [ "$files" -eq 4 ] && ok "EPUB: four faces, four font files ($files)" ||
			no "EPUB: four faces, four font files" "$css"
		varfiles=$(python3 -c '
import glob, struct, sys
for f in sorted(glob.glob(sys.argv[1] + "/OEBPS/fonts/*")):
    d = open(f, "rb").read()
    n = struct.unpack(">H", d[4:6])[0]
    if any(d[12 + 16 * i:16 + 16 * i] == b"fvar" for i in range(n)):
        print(f)' "$d/x")
		[ -z "$varfiles" ] && ok "EPUB: each face's font is its static instance (no fvar)" ||
			no "EPUB: each face's font is its static instance (no fvar)" "$varfiles"
		case $css in
		*'font-style: italic;'*'font-weight: bold;'*'wght700-slnt-10'*) ok "EPUB: the bold italic face is Inter's wght 700, slnt -10" ;;
		*) no "EPUB: the bold italic face is Inter's wght 700, slnt -10" "$css" ;;
		esac
		epubcheck_ok "Inter (variable) book" "$d/out/variable.epub"
	fi
else
	skip "variable font in the EPUB: $V not installed (fonts-inter-variable)"
fi
