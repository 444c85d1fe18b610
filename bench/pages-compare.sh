#!/bin/sh
# bench/pages-compare.sh - octavo's pages beside pandoc + xelatex's (issue
# 14). Not part of `make test` or `make bench`:
#
#   sh bench/pages-compare.sh [BOOKDIR]
#
# Sets the book (default manuscript/) with bin/octavo and with pandoc +
# xelatex as bench/run.sh runs its xelatex peer: the book class, a chapter
# per essay, the same trim and margins (Demy octavo, 138 x 216 mm, inner
# 16, outer 20, top 17, bottom 21 mm), Charis SIL 10.5/14 from fonts/
# (bench/templates/pandoc-header.tex). Then measures both PDFs the same way
# with bench/pagefigures.py (pdftotext -bbox) and prints the figures side
# by side, with octavo's own `octavo report` page figures after them.
#
# British hyphenation patterns come with Debian's texlive-lang-english;
# without them babel sets British English with no hyphenation at all, so
# the LaTeX peer is then set as en-US (patterns in texlive-base), and the
# script says so. Everything goes to $OCTAVO_COMPARE_DIR (default
# /tmp/octavo-pages-compare).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
OCTAVO=$ROOT/bin/octavo
BOOK=$(cd "${1:-$ROOT/manuscript}" && pwd)
OUT=${OCTAVO_COMPARE_DIR:-/tmp/octavo-pages-compare}
export OCTAVO_DATADIR="$ROOT"
[ -x "$OCTAVO" ] || { echo "pages-compare: error: no $OCTAVO: run 'make bin/octavo'" >&2; exit 2; }
for t in pandoc xelatex pdftotext pdfimages; do
	command -v $t >/dev/null 2>&1 || { echo "pages-compare: error: '$t' is not installed" >&2; exit 2; }
done

rm -rf "$OUT"
mkdir -p "$OUT/octavo" "$OUT/xelatex"
"$OCTAVO" build "$BOOK" -o "$OUT/octavo" --pdf -q
"$OCTAVO" report "$BOOK" >"$OUT/octavo-report.txt"
OPDF=$(ls "$OUT/octavo/"*.pdf)

lang=en-GB
if ! kpsewhich hyph-en-gb.tex >/dev/null 2>&1; then
	lang=en-US
	echo "pages-compare: no British hyphenation patterns for TeX (texlive-lang-english):" \
		"the LaTeX peer is set as en-US"
fi
python3 "$BENCH/convert.py" markdown "$BOOK" "$OUT/book.md"
title=$(sed -n 's/^title: *//p' "$BOOK/book.yaml" | head -1)
printf 'title: %s\nlang: %s\n' "$title" "$lang" >"$OUT/meta.yaml"
F=$ROOT/fonts
pandoc -f gfm+footnotes+smart "$OUT/book.md" --resource-path="$BOOK" \
	--metadata-file="$OUT/meta.yaml" --pdf-engine=xelatex \
	-H "$BENCH/templates/pandoc-header.tex" -V documentclass=book --top-level-division=chapter \
	-V geometry:paperwidth=138mm,paperheight=216mm,inner=16mm,outer=20mm,top=17mm,bottom=21mm,twoside \
	-V mainfont=CharisSIL-Regular.ttf -V "mainfontoptions=Path=$F/" \
	-V mainfontoptions=BoldFont=CharisSIL-Bold.ttf -V mainfontoptions=ItalicFont=CharisSIL-Italic.ttf \
	-V mainfontoptions=BoldItalicFont=CharisSIL-BoldItalic.ttf \
	-o "$OUT/xelatex/book.pdf" 2>"$OUT/xelatex/pandoc.log"

python3 "$BENCH/pagefigures.py" --pages "octavo=$OPDF" "xelatex=$OUT/xelatex/book.pdf" |
	tee "$OUT/table.txt"
echo
echo "octavo report's own page figures:"
sed -n '/^page depth/,/^part-final/p' "$OUT/octavo-report.txt"
