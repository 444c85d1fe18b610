#!/bin/sh
# Installs the Debian packages octavo needs that are missing, and says which
# and why. "build": libraries to compile and link octavo; "test": the
# validators the tests run. Uses apt-get as root, or through sudo.
set -eu
build_pkgs="pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libhpdf-dev libzip-dev libharfbuzz-dev libhyphen-dev libyaml-dev zlib1g-dev libpng-dev libjpeg-dev"
# print colour (littleCMS), image resampling (pixman), preflight reading PDFs back (qpdf)
build_pkgs="$build_pkgs liblcms2-dev libpixman-1-dev libqpdf-dev"
# SVG (librsvg) and GIF (giflib) images
build_pkgs="$build_pkgs librsvg2-dev libgif-dev"
# bidi (FriBidi) and line-break classes (libunibreak)
build_pkgs="$build_pkgs libfribidi-dev libunibreak-dev"
# The fallback fonts a style that names none gets (src/book/typestyle.c):
# DejaVu Serif and Sans (symbols, Greek, Hebrew, Arabic) and Droid Sans
# Fallback (Chinese, Japanese, Korean). A build goes on without them.
build_pkgs="$build_pkgs fonts-dejavu-core fonts-droid-fallback"
# The EPUB's raster cover (src/cli/cover.c): poppler-glib over cairo.
build_pkgs="$build_pkgs libpoppler-glib-dev libcairo2-dev"
# The hyphenation patterns of the edition's language (manuscript/book.yaml),
# by the rule src/text/hyphen.c follows: en-US and en the American ones,
# other English the British; pt-BR Brazil's, other Portuguese Portugal's;
# Norwegian's are hyphen-no; the others hyphen-LANG.
hyphen_pkg() {
	tag=$(sed -n 's/^language:[[:space:]]*"\{0,1\}\([A-Za-z0-9-]*\).*/\1/p' "$1" 2>/dev/null | head -1)
	lang=$(printf '%s' "${tag%%-*}" | tr 'A-Z' 'a-z')
	region=$(printf '%s' "$tag" | tr 'a-z' 'A-Z' | sed -n 's/^[A-Z]*-\([A-Z]\{2\}\|[0-9]\{3\}\)\(-.*\)\{0,1\}$/\1/p')
	case "$lang" in
	"") echo hyphen-en-gb ;;
	en) if [ -z "$region" ] || [ "$region" = US ]; then echo hyphen-en-us; else echo hyphen-en-gb; fi ;;
	pt) if [ "$region" = BR ]; then echo hyphen-pt-br; else echo hyphen-pt-pt; fi ;;
	nb | nn | no) echo hyphen-no ;;
	# written without hyphens: no patterns needed (src/text/hyphen.c's unhyphenated)
	zh | ja | ko | ar | fa | ur | ps | sd | ug | ckb | he | yi | lo | km | my | bo | dz) ;;
	*) echo "hyphen-$lang" ;;
	esac
}
build_pkgs="$build_pkgs $(hyphen_pkg "$(dirname "$0")/../manuscript/book.yaml")"
test_pkgs="epubcheck qpdf poppler-utils libxml2-utils unzip python3 npm chromium calibre strace"
# tests/languages.sh and the unit tests: the test books' languages (en-GB is the edition's)
test_pkgs="$test_pkgs hyphen-de hyphen-fr hyphen-es hyphen-en-us"
# tests/suites/lang17.sh: quotes and strings in each language the table holds
test_pkgs="$test_pkgs hyphen-it hyphen-nl hyphen-sv hyphen-da hyphen-pl hyphen-cs"
test_pkgs="$test_pkgs hyphen-ru hyphen-uk hyphen-el"
# and its fonts: CFF (EB Garamond, Linux Libertine), variable (Inter); the
# fallbacks (DejaVu, Droid Sans Fallback) are among the build's
test_pkgs="$test_pkgs fonts-ebgaramond fonts-linuxlibertine fonts-inter-variable"
# tests/scale.sh and tests/fuzz/linear.sh: peak RSS (/usr/bin/time) and instruction counts
test_pkgs="$test_pkgs time valgrind"
# tests/suites/press15.sh: Ghostscript reads every print PDF without a warning
test_pkgs="$test_pkgs ghostscript"
# tests/suites/cover15.sh: the cover's barcode read back
test_pkgs="$test_pkgs zbar-tools"
case "${1:-build}" in
build) want=$build_pkgs; why="to build octavo (headers and libraries it links)" ;;
test) want="$build_pkgs $test_pkgs"; why="to run the tests (epubcheck, qpdf, pdftotext, pdffonts, xmllint, strace)" ;;
*) echo "usage: deps.sh build|test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	# npm may come with the machine's own Node.js rather than Debian's.
	if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
		continue
	fi
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "octavo: installing Debian packages$missing $why"
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "octavo: error: need root or sudo to install:$missing" >&2
	echo "hint: ask an administrator to run: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; update once if a package is unknown.
if ! $SUDO apt-get install -y -q --no-install-recommends $missing; then
	$SUDO apt-get update -q
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi
