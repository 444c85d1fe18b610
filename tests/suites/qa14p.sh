#!/bin/sh
# tests/suites/qa14p.sh - books nobody here wrote in scripts other than
# Latin, as a book designer went through them: a book in Hebrew
# (tests/books/qa14p) runs right to left in both editions - its lists'
# labels and its notes' numbers at the right of their lines, the note rule
# at the right, the EPUB's documents dir="rtl" and its spine turning pages
# right to left. Each check fails on the octavo before the mend.
. "$ROOT/tests/lib.sh"

B=$ROOT/tests/books/qa14p
O=$T/he
expect 0 "a book in Hebrew builds" "$OCTAVO" build "$B" -o "$O" -q || exit 0
PDF=$O/hebrew.pdf
EPUB=$O/hebrew.epub

# label_right PDF WORD LABEL: passes (prints 'right') when, on the line of
# the PDF whose words hold WORD (Hebrew, found in either order of its
# letters, as pdftotext may give them in visual order), the word LABEL
# (its characters in either order: "1." or ".1") is the line's rightmost.
label_right() {
	pdftotext -bbox "$1" - 2>/dev/null | python3 -c '
import re, sys
word, label = sys.argv[1], sys.argv[2]
ws = []
for m in re.finditer(r"<page |xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\">([^<]*)</word>", sys.stdin.read()):
    if m.group(0) == "<page ":
        ws.append(None)
    else:
        ws.append((float(m.group(1)), float(m.group(2)), float(m.group(3)), m.group(4)))
page, pages = [], []
for w in ws:
    if w is None:
        page = []
        pages.append(page)
    else:
        page.append(w)
for page in pages:
    for x0, x1, y, t in page:
        if word not in (t, t[::-1]):
            continue
        line = [w for w in page if abs(w[2] - y) < 4]
        labs = [w for w in line if w[3] in (label, label[::-1])]
        if not labs:
            print("no label %r on the line of %r" % (label, word))
            sys.exit()
        rest = max(w[1] for w in line if w not in labs)
        print("right" if labs[0][0] >= rest else "left: label at %.1f, text to %.1f" % (labs[0][0], rest))
        sys.exit()
print("no line holds %r" % word)
' "$2" "$3"
}

# === the PDF: labels and notes at the right ===================================
for item in "שקיפות: 1." "אחריות: 2." "רשימה •"; do
	w=${item% *} lab=${item##* }
	got=$(label_right "$PDF" "$w" "$lab")
	[ "$got" = right ] && ok "Hebrew list: '$lab' at the right of its item's line" ||
		no "Hebrew list: '$lab' at the right of its item's line" "$got"
done
got=$(label_right "$PDF" "הרשם" "1")
[ "$got" = right ] && ok "Hebrew note: its number at the right of its first line" ||
	no "Hebrew note: its number at the right of its first line" "$got"

# The note rule: a filled rule 0.4 pt thick at the text block's right.
qpdf --qdf --object-streams=disable "$PDF" "$T/q.pdf" 2>/dev/null
got=$(python3 - "$T/q.pdf" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
for m in re.finditer(rb'stream\r?\n(.*?)endstream', d, re.S):
    for r in re.findall(rb'([\d.]+) [\d.]+ ([\d.]+) (0\.4) re f', m.group(1)):
        print(r[0].decode(), r[1].decode())
PY
)
x=$(printf '%s\n' "$got" | head -1 | cut -d' ' -f1)
# The page's width from pdfinfo: the rule starts right of the middle.
wpt=$(pdfinfo "$PDF" | awk '/Page size/ {print $3}')
if [ -n "$x" ] && awk -v x="$x" -v w="$wpt" 'BEGIN { exit !(x > w / 2) }'; then
	ok "Hebrew note: the rule above the notes at the right ($x of $wpt pt)"
else
	no "Hebrew note: the rule above the notes at the right" "rules: $got; page width $wpt"
fi

# === the EPUB: right to left ===================================================
x=$(unzip -p "$EPUB" OEBPS/text/essay-01.xhtml)
case $x in
*'<html '*' dir="rtl">'*) ok "Hebrew EPUB: the essay's <html> is dir=\"rtl\"" ;;
*) no "Hebrew EPUB: the essay's <html> is dir=\"rtl\"" "$(printf '%s\n' "$x" | grep '<html')" ;;
esac
x=$(unzip -p "$EPUB" OEBPS/nav.xhtml)
case $x in
*'<html '*' dir="rtl">'*) ok "Hebrew EPUB: the nav's <html> is dir=\"rtl\"" ;;
*) no "Hebrew EPUB: the nav's <html> is dir=\"rtl\"" "$(printf '%s\n' "$x" | grep '<html')" ;;
esac
x=$(unzip -p "$EPUB" OEBPS/content.opf)
case $x in
*'<spine toc="ncx" page-progression-direction="rtl">'*) ok "Hebrew EPUB: the spine turns pages right to left" ;;
*) no "Hebrew EPUB: the spine turns pages right to left" "$(printf '%s\n' "$x" | grep '<spine')" ;;
esac
x=$(unzip -p "$EPUB" OEBPS/css/style.css)
case $x in
*'[dir="rtl"] th, [dir="rtl"] td'*) ok "Hebrew EPUB: the stylesheet sets cells flush right" ;;
*) no "Hebrew EPUB: the stylesheet sets cells flush right" "$(printf '%s\n' "$x" | tail -5)" ;;
esac
epubcheck_ok "Hebrew book" "$EPUB"

# === which languages run right to left ==========================================
# A script subtag decides; a language alone by its script. Each tag's
# book (languages whose text takes no hyphens: no patterns needed): the
# essay's <html> has dir="rtl" or has none.
for tagdir in "ar:rtl" "fa-IR:rtl" "yi:rtl" "ur-Arab:rtl" "ug-Latn:ltr" "sd-Deva:ltr" "en-GB:ltr"; do
	tag=${tagdir%%:*} dir=${tagdir##*:}
	d=$T/l-$tag
	mkdir -p "$d"
	sed "s/^language: he/language: $tag/" "$B/book.yaml" >"$d/book.yaml"
	cp "$B/one.md" "$d/"
	expect 0 "a book in '$tag' builds" "$OCTAVO" build "$d" -o "$d/out" -q || continue
	x=$(unzip -p "$d/out/hebrew.epub" OEBPS/text/essay-01.xhtml | grep '<html')
	case $x in *'dir="rtl"'*) got=rtl ;; *) got=ltr ;; esac
	[ "$got" = "$dir" ] && ok "language '$tag' runs $dir in the EPUB" ||
		no "language '$tag' runs $dir in the EPUB" "$x"
done

# === Chinese and Japanese: a line break in the source is no space ================
# Between two wide characters a soft line break joins them (CSS Text 3's
# segment break transformation); between Latin words, or a Latin word and a
# Chinese one, it stays a space. Before, '测试\n中文' printed '测试 中文'.
d=$T/zh
mkdir -p "$d"
sed -e 's/^language: he/language: zh-CN/' -e 's/^slug: hebrew/slug: zh/' "$B/book.yaml" >"$d/book.yaml"
printf -- '---\ntitle: 测试\n---\n\n本段落用于测试\n中文在书中的排版，**以及\n汉字**之间的换行。English\nwords and\n中文 mixed; かな\nカナ。\n' >"$d/one.md"
if expect 0 "a book in Chinese builds" "$OCTAVO" build "$d" -o "$d/out" -q; then
	got=$(pdftotext "$d/out/zh.pdf" - 2>/dev/null | tr '\n' ' ')
	x=$(unzip -p "$d/out/zh.epub" OEBPS/text/essay-01.xhtml | grep '本段落')
	for want in '测试中文在' '以及汉字' 'かなカナ' 'English words and 中文 mixed'; do
		case $got in *"$want"*) ok "Chinese: '$want' in the PDF" ;; *) no "Chinese: '$want' in the PDF" "$got" ;; esac
	done
	want='<p>本段落用于测试中文在书中的排版，<strong>以及汉字</strong>之间的换行。English words and 中文 mixed; かなカナ。</p>'
	[ "$x" = "$want" ] && ok "Chinese: the EPUB's paragraph joins its lines" || no "Chinese: the EPUB's paragraph joins its lines" "got:  $x
want: $want"
fi
