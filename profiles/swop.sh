#!/bin/sh
# profiles/swop.sh - remakes profiles/SWOP-octavo.icc, the CMYK output
# profile of the print-on-demand profiles (ingramspark, kdp, lulu), from
# Ghostscript's SWOP output profile as Debian ships it (libgs-common:
# /usr/share/color/icc/ghostscript/default_cmyk.icc, "Artifex CMYK SWOP
# Profile", AGPL-3+) with ArgyllCMS (Debian's argyll package). See
# profiles/LICENSE-SWOP.txt. Run from anywhere: sh profiles/swop.sh
#
# Why remake it: Ghostscript's profile is 187 KB of 16-bit tables that
# deflate to 140 KB and cost about 24 M instructions to deflate on every
# build of a print-on-demand PDF. Its device-to-Lab table (the
# characterisation) is sampled at 1617 CMYK patches (targen, fakeread) and
# a low-quality profile made from those (colprof -ql, as fogra39.sh does):
# 54 KB, 0.39 dE2000 average and 1.7 peak against the samples. The
# condition is the same, SWOP (CGATS TR 001): 300% total ink (-l 300),
# ramped black (-kr), perceptual and saturation tables gamut-mapped from
# sRGB (-S). targen's patches are its defaults (no random seed), so a
# remade file differs from the shipped one in colprof's header date only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=/usr/share/color/icc/ghostscript/default_cmyk.icc
[ -f "$src" ] || { echo "swop.sh: $src missing: apt-get install libgs-common" >&2; exit 1; }
command -v colprof >/dev/null || { echo "swop.sh: colprof missing: apt-get install argyll" >&2; exit 1; }
srgb=/usr/share/color/icc/sRGB.icc
[ -f "$srgb" ] || { echo "swop.sh: $srgb missing: apt-get install icc-profiles-free" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src" "$tmp/artifex.icc"
(cd "$tmp" && targen -v0 -d4 -f1617 -l300 SWOP >/dev/null &&
	fakeread artifex.icc SWOP >/dev/null &&
	colprof -ql -nc -kr -l 300 -S "$srgb" \
		-D "SWOP (CGATS TR 001) (octavo: ArgyllCMS colprof from Artifex CMYK SWOP)" \
		-C "Copyright Artifex Software 2011; derived by octavo, AGPL-3+. See octavo's profiles/LICENSE-SWOP.txt" \
		SWOP >/dev/null)
cp "$tmp/SWOP.icc" "$here/SWOP-octavo.icc"
echo "wrote $here/SWOP-octavo.icc ($(wc -c <"$here/SWOP-octavo.icc") bytes)"
