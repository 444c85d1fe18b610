#!/bin/sh
# tests/suites/lang17c.sh - issue 17's audit, second stop: what the audit
# found and fixed.
#
# - A small capital reached from 's' (smcp) and from 'S' (c2sc) is one
#   glyph: each use must extract as its own letter (pdftotext), in a
#   TrueType (Charis) and an OpenType CFF font (Linux Libertine).
# - The EPUB cuts OpenType CFF fonts to the book's glyphs, as it cuts
#   TrueType, and its cuts keep the style's figures (onum): the EPUB's
#   own font, set again by octavo with 'figures: old-style', draws
#   old-style figures without a warning.
# - A book in a language written without hyphens (Chinese, Arabic) builds,
#   unhyphenated, where it was an error "no hyphenation patterns".
# Fonts from Debian's packages (tests/deps.sh); a missing one is a skip.
. "$ROOT/tests/lib.sh"
L="$ROOT/tests/books/lang17c"
F="$ROOT/fonts"
LL=/usr/share/fonts/opentype/linux-libertine
G=/usr/share/fonts/opentype/ebgaramond

# book DIR LANG MD R I B BI [EXTRA]: a one-part book in the given fonts.
book() {
	d=$1
	mkdir -p "$d"
	cat >"$d/book.yaml" <<YAML
title: Test
language: $2
publisher: Octavo Press
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-555555555555
style: style.yaml
parts:
  - one.md
YAML
	cp "$L/$3" "$d/one.md"
	cp "$ROOT/styles/epub.css" "$d/"
	for f in "$4" "$5" "$6" "$7"; do cp -L "$f" "$d/" || return 1; done
	sed -e "s#FONT-R#$(basename "$4")#; s#FONT-I#$(basename "$5")#; s#FONT-B\$#$(basename "$6")#" \
		-e "s#FONT-BI#$(basename "$7")#" -e "s#^EXTRA\$#${8:-}#" \
		"$ROOT/tests/books/lang17/style.yaml" >"$d/style.yaml"
}
text() { pdftotext "$1" - 2>&1 | tr '\n' ' ' | tr -s ' '; }

# === one glyph, two texts =======================================================
caps() { # caps NAME R I B BI
	n=$1
	shift
	if [ ! -f "$1" ]; then
		skip "$n: $1 not installed"
		return
	fi
	d="$T/caps-$(printf '%s' "$n" | tr -c 'A-Za-z0-9\n' -)"
	book "$d" en-GB caps.md "$@" "  small-caps: acronyms"
	expect 0 "$n: small capitals by smcp and c2sc build" "$OCTAVO" build "$d" -o "$d/out" -q || return
	got=$(text "$d/out/test.pdf")
	if printf '%s' "$got" | grep -qF 'the NHS and the NCVO met at the BBC. Small capitals here and his sons said so.'; then
		ok "$n: a small capital from 's' and from 'S' extracts as each (pdftotext)"
	else
		no "$n: a small capital from 's' and from 'S' extracts as each (pdftotext)" "$got"
	fi
	if fonts=$(pdffonts "$d/out/test.pdf" 2>&1) && ! printf '%s\n' "$fonts" | grep -qiE 'error|warning' &&
		[ -z "$(pdftoppm -r 30 -png "$d/out/test.pdf" "$T/r" 2>&1)" ] && qpdf --check "$d/out/test.pdf" >/dev/null 2>&1; then
		ok "$n: the second ToUnicode's font passes pdffonts, pdftoppm and qpdf --check"
	else
		no "$n: the second ToUnicode's font passes pdffonts, pdftoppm and qpdf --check" "$fonts"
	fi
}
caps "Charis SIL" "$F/CharisSIL-Regular.ttf" "$F/CharisSIL-Italic.ttf" "$F/CharisSIL-Bold.ttf" \
	"$F/CharisSIL-BoldItalic.ttf"
caps "Linux Libertine" "$LL/LinLibertine_R.otf" "$LL/LinLibertine_RI.otf" "$LL/LinLibertine_RB.otf" \
	"$LL/LinLibertine_RBI.otf"

# === the EPUB's OpenType CFF fonts ==============================================
if [ -f "$G/EBGaramond12-Regular.otf" ]; then
	d="$T/garamond"
	book "$d" en-GB caps.md "$G/EBGaramond12-Regular.otf" "$G/EBGaramond12-Italic.otf" \
		"$G/EBGaramond12-Bold.otf" "$G/EBGaramond12-Bold.otf" "  figures: old-style"
	if expect 0 "EB Garamond with old-style figures builds" "$OCTAVO" build "$d" -o "$d/out" -q; then
		whole=$(stat -c %s "$G/EBGaramond12-Regular.otf")
		cut=$(unzip -l "$d/out/test.epub" | awk '/fonts\/EBGaramond12-Regular.otf/ { print $1 }')
		if [ -n "$cut" ] && [ "$cut" -lt $((whole / 2)) ]; then
			ok "EPUB: the OpenType CFF font cut to the book's glyphs ($whole -> $cut bytes)"
		else
			no "EPUB: the OpenType CFF font cut to the book's glyphs ($whole -> $cut bytes)"
		fi
		out=$(java -jar /usr/bin/epubcheck "$d/out/test.epub" 2>&1)
		contains "epubcheck passes the EPUB with cut CFF fonts" "0 fatals / 0 errors / 0 warnings"
		# The cut font set by octavo again, asking for old-style
		# figures: a font without onum would be warned of.
		d2="$T/garamond-cut"
		mkdir -p "$d2"
		unzip -p "$d/out/test.epub" OEBPS/fonts/EBGaramond12-Regular.otf >"$T/cut.otf"
		book "$d2" en-GB caps.md "$T/cut.otf" "$G/EBGaramond12-Italic.otf" \
			"$G/EBGaramond12-Bold.otf" "$G/EBGaramond12-Bold.otf" "  figures: old-style"
		if expect 0 "the EPUB's cut font builds a book" "$OCTAVO" build "$d2" -o "$d2/out"; then
			if printf '%s\n' "$out" | grep -q 'old-style figures'; then
				no "EPUB: the cut font keeps its old-style figures (onum)" "$out"
			else
				ok "EPUB: the cut font keeps its old-style figures (onum)"
			fi
		fi
	fi
else
	skip "EPUB's CFF fonts: fonts-ebgaramond not installed"
fi

# === languages written without hyphens ==========================================
DJ=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
DF=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
for c in zh:zh.md:$DF ar:ar.md:$DJ; do
	lang=${c%%:*} md=${c#*:} md=${md%%:*} fb=${c##*:}
	if [ ! -f "$fb" ]; then
		skip "language $lang: $fb not installed"
		continue
	fi
	d="$T/lang-$lang"
	book "$d" "$lang" "$md" "$F/CharisSIL-Regular.ttf" "$F/CharisSIL-Italic.ttf" \
		"$F/CharisSIL-Bold.ttf" "$F/CharisSIL-BoldItalic.ttf" "  fallback: [$(basename "$fb")]"
	cp -L "$fb" "$d/"
	if expect 0 "language $lang: a book builds without hyphenation patterns" "$OCTAVO" build "$d" -o "$d/out"; then
		if printf '%s\n' "$out" | grep -q 'hyphenation\|error'; then
			no "language $lang: no word of patterns" "$out"
		else
			ok "language $lang: a book builds without hyphenation patterns, and says nothing of them"
		fi
		key=$(sed -n '6p' "$d/one.md" | python3 -c 'import sys; print(sys.stdin.read()[:14])')
		if pdftotext "$d/out/test.pdf" - | tr -d '\n' | grep -qF "$key"; then
			ok "language $lang: pdftotext gives its text back in logical order"
		else
			no "language $lang: pdftotext gives its text back in logical order" "$(pdftotext "$d/out/test.pdf" -)"
		fi
	fi
done
# make installs no package for them (tests/deps.sh's rule).
eval "$(sed -n '/^hyphen_pkg()/,/^}/p' "$ROOT/tests/deps.sh")"
printf 'language: zh-Hant\n' >"$T/by.yaml"
a=$(hyphen_pkg "$T/by.yaml")
printf 'language: de-CH\n' >"$T/by.yaml"
b=$(hyphen_pkg "$T/by.yaml")
if [ -z "$a" ] && [ "$b" = hyphen-de ]; then
	ok "make: no hyphen package for zh-Hant, hyphen-de for de-CH"
else
	no "make: no hyphen package for zh-Hant, hyphen-de for de-CH" "zh-Hant: '$a', de-CH: '$b'"
fi

# A contents entry whose title is Arabic, in a left-to-right book's
# contents: the title at the left, the leaders after it, the number at the
# right (it was set right to left: the title against the number, one dot).
d="$T/lang-ar"
if [ -f "$d/out/test.pdf" ]; then
	sed -i 's/^language: .*/language: en-GB/' "$d/book.yaml"
	if expect 0 "an Arabic title in an English book builds" "$OCTAVO" build "$d" -o "$d/out" -q; then
		r=$(pdftotext -bbox "$d/out/test.pdf" - 2>/dev/null | python3 -c '
import re, sys
t = sys.stdin.read()
pages = t.split("<page ")
for p in pages:
    if ">Contents<" not in p:
        continue
    ws = [(float(a), (float(b) + float(c)) / 2, w) for a, b, c, w in
          re.findall(r"xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" yMax=\"([0-9.]+)\">([^<]*)<", p)]
    dots = [w for w in ws if w[2] == "."]
    if not dots:
        print("no leaders"); sys.exit()
    line = sorted(w for w in ws if abs(w[1] - dots[0][1]) < 3)
    print("%d dots; first %s; last %s" % (len(dots), line[0][2] != "." and "title" or "dot", line[-1][2]))
')
		case $r in
		*"dots; first title; last 1")
			if [ "${r%% *}" -ge 5 ]; then ok "an Arabic contents entry: title at the left, leaders, number ($r)"; else no "an Arabic contents entry: title at the left, leaders, number" "$r"; fi ;;
		*) no "an Arabic contents entry: title at the left, leaders, number" "$r" ;;
		esac
	fi
fi
