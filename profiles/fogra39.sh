#!/bin/sh
# profiles/fogra39.sh - remakes profiles/FOGRA39-octavo.icc, the CMYK output
# profile of the 'offset' print profile, from Fogra's FOGRA39 characterization
# data as Debian ships it (icc-profiles-free: /usr/share/color/icc/FOGRA39L.ti3,
# Zlib licence) with ArgyllCMS's colprof (Debian's argyll package). See
# profiles/LICENSE-FOGRA39.txt. Run from anywhere: sh profiles/fogra39.sh
#
# Low quality (-ql: 54 KB) on purpose: the profile is embedded in every offset
# PDF and deflated on every build; its average error against the 1617
# measured patches is 0.5 dE (colprof's own check), far inside a press's
# tolerance. Ink: FOGRA39's 330% total area coverage (-l 330), ramped black
# (-kr); perceptual and saturation tables gamut-mapped from sRGB (-S), the
# source of most books' pictures. The header carries colprof's date, so a
# remade file differs from the shipped one in those bytes only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=/usr/share/color/icc/FOGRA39L.ti3
[ -f "$data" ] || { echo "fogra39.sh: $data missing: apt-get install icc-profiles-free" >&2; exit 1; }
command -v colprof >/dev/null || { echo "fogra39.sh: colprof missing: apt-get install argyll" >&2; exit 1; }
srgb=/usr/share/color/icc/sRGB.icc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$data" "$tmp/FOGRA39.ti3"
(cd "$tmp" && colprof -ql -nc -kr -l 330 -S "$srgb" \
	-D "FOGRA39 (octavo: ArgyllCMS colprof from Fogra's FOGRA39L data)" \
	-C "Data: Fogra, via Debian icc-profiles-free (Zlib). See octavo's profiles/LICENSE-FOGRA39.txt" \
	FOGRA39 >/dev/null)
cp "$tmp/FOGRA39.icc" "$here/FOGRA39-octavo.icc"
echo "wrote $here/FOGRA39-octavo.icc ($(wc -c <"$here/FOGRA39-octavo.icc") bytes)"
