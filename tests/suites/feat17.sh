#!/bin/sh
# tests/suites/feat17.sh - issue 17, item 3: the style's `features:` list
# reaches the glyphs on their own, with a font that has the features
# (Debian's Inter, variable): `tnum` sets every figure to one width (a run
# of ones as wide as a run of noughts, narrower without it), and calt, on
# by default, is turned off by "-calt" (other glyphs drawn for the
# contextual forms of hyphens and arrows between capitals and figures).
# Skipped, never passed, when fonts-inter-variable is not installed.
. "$ROOT/tests/lib.sh"
V=/usr/share/fonts/truetype/inter-vf/Inter.var.ttf
if [ ! -f "$V" ]; then
	skip "features: fonts-inter-variable not installed"
	exit 0
fi

# interbook DIR [FEATURES]: a one-part book in Inter, with 'features:
# FEATURES' in its style when given.
interbook() {
	mkdir -p "$1"
	cp -L "$V" "$1/"
	cp "$ROOT/styles/epub.css" "$1/"
	cat >"$1/book.yaml" <<'YAML'
title: Features
language: en-GB
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-000000170017
slug: feat
style: style.yaml
parts:
  - one.md
YAML
	sed -e 's#FONT-R#Inter.var.ttf#; s#FONT-I#Inter.var.ttf#; s#FONT-B$#Inter.var.ttf#' \
		-e 's#FONT-BI#Inter.var.ttf#' "$ROOT/tests/books/lang17/style.yaml" >"$1/style.yaml"
	if [ -n "${2:-}" ]; then
		sed -i "s#^EXTRA\$#  features: $2#" "$1/style.yaml"
	else
		sed -i '/^EXTRA$/d' "$1/style.yaml"
	fi
	printf -- '---\ntitle: "One"\n---\n\nFigures 1111111111 and 0000000000 here.\n\nCaps A-B, X-Y and (ABC) 10:45, 3x4 and ->, =>.\n' >"$1/one.md"
}
# width PDF WORD: the width in points of WORD as pdftotext -bbox places it.
width() {
	pdftotext -bbox "$1" - 2>/dev/null | python3 -c '
import re, sys
for m in re.finditer(r"xMin=\"([0-9.]+)\"[^>]*xMax=\"([0-9.]+)\"[^>]*>([^<]*)<", sys.stdin.read()):
    if m.group(3) == sys.argv[1]:
        print("%.1f" % (float(m.group(2)) - float(m.group(1))))
        break' "$2"
}
# glyphs PDF: the text-showing operators of its pages, uncompressed.
glyphs() {
	qpdf --qdf --object-streams=disable "$1" "$1.qdf" && grep -a 'TJ$' "$1.qdf"
}

interbook "$T/plain"
interbook "$T/tnum" "[tnum]"
interbook "$T/nocalt" '["-calt"]'
if expect 0 "Inter, no features" "$OCTAVO" build "$T/plain" -o "$T/plain/out" -q &&
	expect 0 "Inter, features: [tnum]" "$OCTAVO" build "$T/tnum" -o "$T/tnum/out" -q &&
	expect 0 "Inter, features: [-calt]" "$OCTAVO" build "$T/nocalt" -o "$T/nocalt/out" -q; then
	p1=$(width "$T/plain/out/feat.pdf" 1111111111) p0=$(width "$T/plain/out/feat.pdf" 0000000000)
	t1=$(width "$T/tnum/out/feat.pdf" 1111111111) t0=$(width "$T/tnum/out/feat.pdf" 0000000000)
	if [ -n "$p1" ] && [ -n "$t1" ] && [ "$t1" = "$t0" ] &&
		python3 -c "import sys; sys.exit(not float('$p1') < float('$t1') - 5)"; then
		ok "tnum: ten ones as wide as ten noughts ($t1 pt), wider than without it ($p1 pt)"
	else
		no "tnum: tabular figures" "ones $p1 / noughts $p0 without; ones $t1 / noughts $t0 with tnum"
	fi
	a=$(glyphs "$T/plain/out/feat.pdf") b=$(glyphs "$T/nocalt/out/feat.pdf")
	if [ -n "$a" ] && [ "$a" != "$b" ]; then
		ok "calt on by default, and \"-calt\" draws other glyphs"
	else
		no "calt: \"-calt\" changes the glyphs drawn" "$a"
	fi
	if pdftotext "$T/nocalt/out/feat.pdf" - | grep -q 'Caps A-B, X-Y and (ABC) 10:45, 3x4 and ->, =>.' &&
		pdftotext "$T/plain/out/feat.pdf" - | grep -q 'Caps A-B, X-Y and (ABC) 10:45, 3x4 and ->, =>.'; then
		ok "the text extracts as written, with calt and without"
	else
		no "the text extracts as written" "$(pdftotext "$T/plain/out/feat.pdf" - | grep Caps)"
	fi
fi
