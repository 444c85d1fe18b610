#!/bin/sh
# tests/suites/md18.sh - octavo's Markdown dialect (issue 18 items 1-4):
# tests/books/dialect uses every construct; its EPUB is compared with
# golden fragments, its PDF's text checked; build and check agree;
# remote images, comments, raw HTML, undefined notes; the Node.js API docs
# (when Debian's nodejs ships them) build without errors, every link to a
# heading resolved.
. "$ROOT/tests/lib.sh"
D=$ROOT/tests/books/dialect

# === the test book ============================================================
expect 0 "dialect book builds" "$OCTAVO" build "$D" -o "$T/d" && ok "dialect book builds"
mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$T/d/dialect.epub")
X=$T/x/OEBPS/text/essay-01.xhtml
# Golden fragments: each line of golden/essay-01.frag must be a line of the
# XHTML, the print pages' markers (which follow the pagination) taken out.
sed 's|<span epub:type="pagebreak"[^>]*/>||g' "$X" >"$T/x.xhtml"
missing=$(grep -vxF -f "$T/x.xhtml" "$D/golden/essay-01.frag" || true)
[ -z "$missing" ] && ok "EPUB fragments as golden" || no "EPUB fragments as golden" "$missing"
if command -v xmllint >/dev/null; then
	xmllint --noout "$X" 2>/dev/null && ok "dialect XHTML well-formed" || no "dialect XHTML well-formed"
fi
if [ -f /usr/bin/epubcheck ] || command -v epubcheck >/dev/null; then
	ec=$(java -jar /usr/bin/epubcheck "$T/d/dialect.epub" 2>&1 || epubcheck "$T/d/dialect.epub" 2>&1)
	printf '%s\n' "$ec" | grep -q "No errors or warnings" && ok "dialect EPUB passes epubcheck" ||
		no "dialect EPUB passes epubcheck" "$(printf '%s\n' "$ec" | grep -E 'ERROR|WARNING' | head)"
fi
pdftotext -layout "$T/d/dialect.pdf" "$T/d.txt"
for want in "is 210, water is" "H2O, and this is struck out. NASA flew" "x^2 + y\\,z" \
	"Term One" "The first definition." "Fruits and their colours." "E = mc^2 \\, ." \
	"[@smith2020, p. 33]"; do
	grep -qF -- "$want" "$T/d.txt" && ok "PDF text: $want" || no "PDF text: $want" "$(head -60 "$T/d.txt")"
done
grep -q "Custom Heading {" "$T/d.txt" && no "heading attributes not printed" || ok "heading attributes not printed"
grep -q ":::" "$T/d.txt" && no "div fences not printed" || ok "div fences not printed"
grep -q "newpage" "$T/d.txt" && no "newpage command not printed" || ok "newpage command not printed"
# \newpage and the pagebreak div: "v1.2 Notes" and "Last words." open pages.
awk 'BEGIN{RS="\f"} /v1.2 Notes/{print NR} /Last words/{print NR}' "$T/d.txt" >"$T/pp"
[ "$(sed -n 1p "$T/pp")" != "$(sed -n 2p "$T/pp")" ] && ok "page breaks make pages" || no "page breaks make pages"
# Links to headings are internal in the PDF: no URI annotation left.
if command -v qpdf >/dev/null; then
	qpdf --qdf --object-streams=disable "$T/d/dialect.pdf" "$T/q.pdf" 2>/dev/null
	if grep -aq "/URI" "$T/q.pdf"; then no "PDF links to headings are internal" "$(grep -a /URI "$T/q.pdf" | head -3)"; else ok "PDF links to headings are internal"; fi
	n=$(grep -ac "/Dest [0-9]" "$T/q.pdf")
	[ "$n" -ge 5 ] && ok "PDF has internal link destinations ($n)" || no "PDF has internal link destinations ($n)"
fi

# === build = check =============================================================
B=$T/b
mkbook "$B"
printf -- '---\ntitle: "Two"\nauthor: "A"\n---\n\nA note[^nonexistent] and a [link](#nowhere-here).\n\n<!-- a comment -->\n\n<iframe src="x"></iframe>\n\n<iframe src="y"></iframe>\n' >"$B/two.md"
expect 1 "check: undefined note is an error" "$OCTAVO" check "$B" && ok "check: undefined note is an error"
chk=$(printf '%s\n' "$out" | grep -v "in [0-9]* ms")
expect 1 "build: undefined note is an error too" "$OCTAVO" build "$B" -o "$T/bo" && ok "build: undefined note is an error too"
bld=$(printf '%s\n' "$out" | grep -v "in [0-9]* ms\|nothing written\|[0-9] error")
chk=$(printf '%s\n' "$chk" | grep -v "[0-9] error")
[ "$chk" = "$bld" ] && ok "build and check say the same" || no "build and check say the same" "check:
$chk
build:
$bld"
contains "build: the note's hint" "hint: define it on a line of its own"
printf '%s\n' "$out" | grep -q "comment" && no "HTML comment dropped silently" "$out" || ok "HTML comment dropped silently"
contains "raw HTML counted once per kind" "raw HTML <iframe> left out of the book, 2 times in this part"
[ ! -e "$T/bo/test-book.pdf" ] && ok "a failed build writes nothing" || no "a failed build writes nothing"

# === remote images and badges ==================================================
mkbook "$B"
printf '[![Build](https://example.org/badge.svg)](https://example.org)\nThe Real Title\n==============\n\nText with ![a badge](https://example.org/b.png) inside.\n' >"$B/two.md"
expect 0 "remote images are not fatal" "$OCTAVO" build "$B" -o "$T/ro" && ok "remote images are not fatal"
contains "remote image warned" "image 'https://example.org/b.png' is not a file in the manuscript"
pdftotext "$T/ro/test-book.pdf" - | grep -q "The Real Title" && ok "badge before a setext title keeps the title" || no "badge before a setext title keeps the title"
pdftotext "$T/ro/test-book.pdf" - | grep -q "Text with a badge inside" && ok "remote image's alt text stands" || no "remote image's alt text stands"
expect 1 "--strict makes warnings errors" "$OCTAVO" build "$B" -o "$T/ro2" --strict && ok "--strict makes warnings errors"

# === the Node.js docs ==========================================================
API=/usr/share/doc/nodejs/api
if [ -f "$API/fs.md" ] && [ -z "${OCTAVO_SKIP_NODE:-}" ]; then
	N=$T/node && mkdir -p "$N" && cp "$API"/*.md "$N"/
	# index.md is a bare list of links with no title: left out.
	{
		printf 'title: Node.js API\nlanguage: en-US\nslug: node-api\nrevised: 2026-12-01\n'
		printf 'identifiers:\n  uuid: urn:uuid:11111111-2222-3333-4444-000000180019\nparts:\n'
		for f in $(cd "$N" && ls *.md | grep -v '^index.md$' | sort); do printf '  - %s\n' "$f"; done
	} >"$N/book.yaml"
	expect 0 "Node docs build without errors" "$OCTAVO" build "$N" -o "$T/no" && ok "Node docs build without errors"
	nl=$(printf '%s\n' "$out" | grep -c "warning: link '[^']*#" || true)
	[ "$nl" -eq 0 ] && ok "Node docs: links to headings resolved ($nl left)" || no "Node docs: links to headings resolved ($nl left)" "$(printf '%s\n' "$out" | grep "warning: link" | head)"
	nm=$(printf '%s\n' "$out" | grep -c "warning: raw HTML\|warning: image\|warning: unsupported\|math\|citation" || true)
	[ "$nm" -lt 20 ] && ok "Node docs: $nm Markdown warnings (< 20)" || no "Node docs: $nm Markdown warnings (< 20)"
	# Every warning counted, the lint's typographic findings too, besides
	# those for characters no font has (issue 18's target).
	nw=$(printf '%s\n' "$out" | grep "warning:" | grep -vc "no font has\|has no glyph\|where the fonts lack" || true)
	[ "$nw" -lt 20 ] && ok "Node docs: $nw warnings besides missing glyphs (< 20)" ||
		no "Node docs: $nw warnings besides missing glyphs (< 20)" "$(printf '%s\n' "$out" | grep "warning:" | grep -v "no font has\|has no glyph" | cut -c1-150 | head -30)"
	ng=$(printf '%s\n' "$out" | grep "warning:" | grep -c "no font has\|has no glyph\|where the fonts lack" || true)
	[ "$ng" -lt 40 ] && ok "Node docs: $ng missing-glyph warnings, each character at three places at most" ||
		no "Node docs: $ng missing-glyph warnings" "$(printf '%s\n' "$out" | grep "no font has" | head)"
else
	skip "Node docs (nodejs's api/*.md not installed)"
fi

# === images: 16-bit PNG with alpha, GIF, SVG ===================================
# colours FILE.pdf: the average colour of the leftmost and rightmost
# columns that hold saturated pixels, and whether pure blue appears, on the
# page that holds the figure (the last page with any colour).
colours() {
	pdftoppm -r 30 "$1" "$T/pg" >/dev/null 2>&1
	python3 - "$T" <<'PY'
import glob, sys
best = None
for f in sorted(glob.glob(sys.argv[1] + "/pg-*.ppm")):
    d = open(f, "rb").read()
    parts = d.split(b"\n", 3)
    w, h = map(int, parts[1].split()); px = parts[3]
    cols = {}
    blue = False
    for y in range(h):
        for x in range(w):
            r, g, b = px[(y*w+x)*3:(y*w+x)*3+3]
            if max(r, g, b) - min(r, g, b) > 60:
                cols.setdefault(x, []).append((r, g, b))
                if b > 200 and r < 60 and g < 60: blue = True
    if cols: best = (cols, blue)
if not best: print("none"); sys.exit()
cols, blue = best
def avg(v): return tuple(sum(c[i] for c in v)//len(v) for i in range(3))
print(*avg(cols[min(cols)]), *avg(cols[max(cols)]), "blue" if blue else "noblue")
PY
}
for kind in grad16.png flag.gif shapes.svg; do
	mkbook "$B"
	cp "$D/images/$kind" "$B/images/"
	printf -- '---\ntitle: "Two"\nauthor: "A"\n---\n\nText.\n\n![A picture](images/%s)\n' "$kind" >"$B/two.md"
	rm -f "$T"/pg-*.ppm
	expect 0 "$kind: builds" "$OCTAVO" build "$B" -o "$T/i-$kind" || continue
	set -- $(colours "$T/i-$kind/test-book.pdf")
	case $kind in
	grad16.png) # red to blue at half alpha: never red to green
		[ "$1" -gt $(( $3 + 40 )) ] && [ "$6" -gt $(( $4 + 40 )) ] && [ "$5" -lt "$6" ] &&
			ok "16-bit PNG with alpha: red to blue ($*)" || no "16-bit PNG with alpha: red to blue ($*)" ;;
	flag.gif) # red left, green right, the transparent blue not drawn
		[ "$1" -gt 150 ] && [ "$5" -gt "$4" ] && [ "$7" = noblue ] &&
			ok "GIF: first frame, transparent colour ($*)" || no "GIF: first frame, transparent colour ($*)" ;;
	shapes.svg) # green square left, half-transparent red disc right
		[ "$2" -gt "$1" ] && [ "$4" -gt "$5" ] &&
			ok "SVG rendered for the PDF ($*)" || no "SVG rendered for the PDF ($*)"
		wpx=$(pdfimages -list "$T/i-$kind/test-book.pdf" 2>/dev/null | awk 'NR>2 && $3=="image"{print $4; exit}')
		[ "${wpx:-0}" -ge 1500 ] && ok "SVG at 300 ppi for 5 inches ($wpx px)" || no "SVG at 300 ppi for 5 inches (${wpx:-none} px)"
		unzip -l "$T/i-$kind/test-book.epub" | grep -q "\.svg$" && ok "SVG kept as SVG in the EPUB" || no "SVG kept as SVG in the EPUB"
		unzip -p "$T/i-$kind/test-book.epub" OEBPS/content.opf | grep -q 'media-type="image/svg+xml"' &&
			ok "SVG's media type in the OPF" || no "SVG's media type in the OPF" ;;
	esac
done

# === a div class the style defines =============================================
mkbook "$B"
printf -- '---\ntitle: "Two"\nauthor: "A"\n---\n\nBefore.\n\n::: warning\nMind the step.\n:::\n' >"$B/two.md"
expect 0 "a div class with no style builds" "$OCTAVO" check "$B" &&
	contains "a div class with no style is named" "div class 'warning' has no style"
style
printf 'divs:\n  warning: aside\n' >>"$B/mine.yaml"
expect 0 "a div class the style defines" "$OCTAVO" build "$B" -o "$T/dv" && ok "a div class the style defines"
printf '%s\n' "$out" | grep -q "has no style" && no "the style's class is known" "$out" || ok "the style's class is known"
unzip -p "$T/dv/test-book.epub" OEBPS/text/essay-02.xhtml | grep -q '<div class="warning aside">' &&
	ok "EPUB: the style's class set like octavo's" || no "EPUB: the style's class set like octavo's"
sed -i '/^divs:/,$d' "$B/mine.yaml"; printf 'divs:\n  warning: shouting\n' >>"$B/mine.yaml"
expect 1 "a div style octavo does not have is an error" "$OCTAVO" check "$B" &&
	contains "a div style octavo does not have is named" "div class 'warning' must be set like one of octavo's"
