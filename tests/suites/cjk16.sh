#!/bin/sh
# tests/suites/cjk16.sh - what a Chinese or Japanese book prints of its
# own, beyond its text (tests/books/cjk16, a Japanese book with three
# editors and a subtitle of kana, kanji and Latin; tests/books/cjk15, a
# Chinese one with two):
# - the built-in strings in the book's language (目次, 編集：, 発行所：;
#   目录, 主编：, 出版者：; 目錄 for zh-TW), a label ending in a full-width
#   colon with no space after it, "：" between title and subtitle, 「」 for
#   Japanese quotes;
# - the editors on one line, joined as the language joins a list: "、" in
#   Chinese and Japanese, "A, B and C" in English (one "Edited by" line per
#   editor before);
# - no slanted ideograph: an italic word's kana and kanji from the
#   fallback font (which has no italic) drawn upright in the PDF, never
#   with a slanted text matrix; the EPUB's stylesheet forbids the reading
#   system's made-up slant (font-synthesis) and sets the subtitle upright.
# Each check fails on the octavo before (e81b21c) but epubcheck.
. "$ROOT/tests/lib.sh"

B=$ROOT/tests/books/cjk16
DF=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf

# slanted FILE: how many text matrices in the PDF slant its glyphs (pdf.c's
# synthetic italic: "1 0 0.2126 1 x y Tm").
slanted() {
	qpdf --qdf --object-streams=disable "$1" "$1.qdf" && grep -ac '^1 0 0\.2126 1 ' "$1.qdf"
}

if [ ! -f "$DF" ]; then
	skip "Japanese book: $DF not installed (fonts-droid-fallback)"
elif expect 0 "Japanese book builds" "$OCTAVO" build "$B" -o "$T/ja" -q; then
	out=$(pdftotext -f 3 -l 3 "$T/ja/cjk16.pdf" -)
	has "Japanese title page: the editors on one line, 編集：A、B、C" "編集：山田太郎、佐藤花子、鈴木一郎"
	out=$(pdftotext -f 4 -l 4 "$T/ja/cjk16.pdf" -)
	has "Japanese copyright page: title：subtitle" "町内会の記録：地域の暮らしと Civil Society の十年"
	has "Japanese copyright page: 発行所：publisher" "発行所：試験出版"
	has "Japanese copyright page: 初版 date" "初版 2026-12-07"
	out=$(pdftotext "$T/ja/cjk16.pdf" -)
	contains "Japanese contents: 目次" "目次"
	contains "Japanese quotes: 「」" "「回"
	n=$(slanted "$T/ja/cjk16.pdf")
	[ "$n" = 0 ] && ok "Japanese book: no slanted glyphs (italic kana and kanji upright)" ||
		no "Japanese book: no slanted glyphs (italic kana and kanji upright)" "$n slanted text matrices"
	x=$(unzip -p "$T/ja/cjk16.epub" OEBPS/text/titlepage.xhtml)
	case $x in
	*'<p class="creator">編集：山田太郎、佐藤花子、鈴木一郎</p>'*) ok "Japanese EPUB title page: 編集：A、B、C" ;;
	*) no "Japanese EPUB title page: 編集：A、B、C" "$x" ;;
	esac
	css=$(unzip -p "$T/ja/cjk16.epub" OEBPS/css/style.css)
	case $css in
	*'font-synthesis: weight;'*'p.subtitle:lang(ja)'*'font-style: normal;'*)
		ok "Japanese EPUB: no made-up slant, the subtitle upright" ;;
	*) no "Japanese EPUB: no made-up slant, the subtitle upright" "$(printf '%s\n' "$css" | tail -12)" ;;
	esac
	epubcheck_ok "Japanese book" "$T/ja/cjk16.epub"

	# The same book in English and in Chinese in traditional characters.
	mkdir -p "$T/en" "$T/tw"
	for l in en tw; do
		cp "$B"/* "$T/$l/"
		cp -r "$ROOT/fonts" "$ROOT/styles" "$T/$l/"
		sed -i 's#\.\./\.\./\.\./##' "$T/$l/cjk16.yaml"
	done
	sed -i 's/^language: ja/language: en/' "$T/en/book.yaml"
	sed -i 's/^language: ja/language: zh-TW/' "$T/tw/book.yaml"
	if expect 0 "English book builds" "$OCTAVO" build "$T/en" -o "$T/en/out" -q; then
		out=$(pdftotext -f 3 -l 3 "$T/en/out/cjk16.pdf" -)
		has "English title page: Edited by A, B and C" "Edited by 山田太郎, 佐藤花子 and 鈴木一郎"
		out=$(pdftotext -f 4 -l 4 "$T/en/out/cjk16.pdf" -)
		has "English copyright page: Published by publisher" "Published by 試験出版"
		css=$(unzip -p "$T/en/out/cjk16.epub" OEBPS/css/style.css)
		case $css in
		*font-synthesis*) no "English EPUB: no CJK stylesheet" "$css" ;;
		*) ok "English EPUB: no CJK stylesheet" ;;
		esac
	fi
	if expect 0 "Chinese (Taiwan) book builds" "$OCTAVO" build "$T/tw" -o "$T/tw/out" -q; then
		out=$(pdftotext "$T/tw/out/cjk16.pdf" -)
		contains "zh-TW contents: 目錄" "目錄"
		contains "zh-TW: 主編：A、B、C" "主編：山田太郎、佐藤花子、鈴木一郎"
		contains "zh-TW quotes: 「」" "「回"
	fi
fi

# === a Chinese book (simplified) ================================================
if [ -f "$DF" ] && expect 0 "Chinese book builds" "$OCTAVO" build "$ROOT/tests/books/cjk15" -o "$T/zh" -q; then
	out=$(pdftotext "$T/zh/cjk15.pdf" -)
	has "Chinese title page: 主编：A、B" "主编：王小明、李华"
	contains "Chinese contents: 目录" "目录"
	has "Chinese copyright page: 出版者：publisher" "出版者：测试出版社"
	contains "Chinese colophon: a decimal point" "以 Charis SIL 10.5/14 pt 字体"
	n=$(slanted "$T/zh/cjk15.pdf")
	[ "$n" = 0 ] && ok "Chinese book: no slanted glyphs (the italic subtitle upright)" ||
		no "Chinese book: no slanted glyphs (the italic subtitle upright)" "$n slanted text matrices"
fi

# === the wrap cover speaks the book's language ===================================
# cover.c's names() wrote "Edited by A and B" in every language (21a1ea4's
# cover of the Chinese book: "Edited by 王小明 and 李华").
if [ -f "$DF" ]; then
	mkdir -p "$T/zhcv" && cp -r "$ROOT/tests/books/cjk15/." "$T/zhcv/"
	sed -i 's|^  uuid:|  isbn-print: "978-0-306-40615-7"\n  uuid:|' "$T/zhcv/book.yaml"
	sed -i "s|\.\./\.\./\.\./|$ROOT/|" "$T/zhcv/cjk15.yaml"
	if expect 0 "the Chinese book's wrap cover" "$OCTAVO" cover "$T/zhcv" -o "$T/zhcvout" --profile offset -q; then
		out=$(pdftotext "$T/zhcvout"/*-cover.pdf - | tr -d ' ')
		contains "cover: the editors as the title page has them (主编：A、B)" "主编：王小明、李华"
		case $out in
		*"Edited"*) no "cover: no English label on a Chinese cover" "$out" ;;
		*) ok "cover: no English label on a Chinese cover" ;;
		esac
	fi
fi
