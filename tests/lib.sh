#!/bin/sh
# tests/lib.sh - what every test suite shares. A suite sources it first:
#
#   . "$ROOT/tests/lib.sh"
#
# with OCTAVO (the octavo binary under test) and ROOT (the repository) set,
# as tests/run.sh sets them. It gives the suite a scratch folder $T
# (removed on exit), the result lines tests/run.sh counts ("ok   ...",
# "FAIL ...", "skip ..."), a small book to start from, and ways to run
# octavo and look at what it said.
set -u
: "${OCTAVO:?set OCTAVO to the octavo binary}" "${ROOT:?set ROOT to the repository}"
OCTAVO=$(realpath "$OCTAVO")
ROOT=$(realpath "$ROOT")
OCTAVO_DATADIR=${OCTAVO_DATADIR:-$ROOT}
export OCTAVO_DATADIR
unset NO_COLOR SOURCE_DATE_EPOCH
# The sanitizers exit with status 1 by default, as a manuscript error does:
# a crash must never pass for an error.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=87"
T=$(mktemp -d /tmp/octavo-suite.XXXXXX)
lib_cleanup() {
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap lib_cleanup EXIT
trap 'exit 1' INT TERM

# === results ====================================================================
ok() { echo "ok   $1"; }
no() {
	echo "FAIL $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /' | head -25
	return 0
}
skip() { echo "skip $1"; }

# === running octavo ============================================================
# expect STATUS NAME CMD...: runs CMD (stdout and stderr into $out, status
# into $rc); returns 0 when it exits with STATUS, else prints a FAIL line and
# returns 1. A sanitizer report is a FAIL whatever the status.
expect() {
	want=$1 name=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if crashed; then
		no "$name (crashed, exit $rc)" "$(printf '%s\n' "$out" | grep -E 'runtime error|Sanitizer|#[0-9] ' | head -8)"
		return 1
	fi
	if [ "$rc" -ne "$want" ]; then
		no "$name (exit $rc, want $want)" "$out"
		return 1
	fi
	return 0
}
# have CMD: CMD is on the PATH.
have() { command -v "$1" >/dev/null 2>&1; }
crashed() { printf '%s\n' "$out" | grep -qE 'runtime error|ERROR: (Address|Leak|Undefined)Sanitizer'; }
# has NAME TEXT: passes when $out holds the line TEXT exactly.
has() {
	if printf '%s\n' "$out" | grep -qxF -- "$2"; then ok "$1"; else no "$1" "want line: $2
got:
$out"; fi
}
# contains NAME TEXT: passes when $out holds TEXT somewhere.
contains() {
	if printf '%s\n' "$out" | grep -qF -- "$2"; then ok "$1"; else no "$1" "want: $2
got:
$out"; fi
}

# epubcheck_ok NAME EPUB: EPUB exists and epubcheck finds nothing in it
# (a skip line when epubcheck or java is not installed).
epubcheck_ok() {
	if [ ! -f "$2" ]; then
		no "$1: EPUB: no file $2" # epubcheck says 0/0/0 of a missing file
	elif [ -f /usr/bin/epubcheck ] && have java; then
		ec_r=$(java -jar /usr/bin/epubcheck "$2" 2>&1)
		case $ec_r in
		*'0 fatals / 0 errors / 0 warnings'*) ok "$1: EPUB: epubcheck 0/0/0" ;;
		*) no "$1: EPUB: epubcheck" "$(printf '%s\n' "$ec_r" | tail -8)" ;;
		esac
	else
		skip "$1: epubcheck not installed"
	fi
}

# === octavo report's figures ==================================================
# fig LABEL N: the Nth number on the first line of $out (what 'octavo
# report' printed) that begins with LABEL: fig 'page depth' 4 is the pages
# two or more lines short.
fig() {
	printf '%s\n' "$out" | grep "^$1 " | head -1 | grep -oE '[0-9]+' | sed -n "${2}p"
}
# want NAME GOT OP N: passes when the figure GOT was found and [ GOT OP N ]
# holds; a FAIL shows the report's figures.
want() {
	if [ -n "$2" ] && [ "$2" "$3" "$4" ]; then ok "$1 ($2)"; else no "$1: got '$2', want $3 $4" "$out"; fi
}

# nth_each LABEL GOT SPEC...: the Nth SPEC ("WANT what it is") holds when
# the Nth word of GOT is WANT: "LABEL N what it is", ok or FAIL.
nth_each() {
	label=$1 got=$2
	shift 2
	n=0
	for s in "$@"; do
		n=$((n + 1))
		k=$(printf '%s\n' "$got" | awk -v n=$n '{ print $n }')
		if [ "$k" = "${s%% *}" ]; then
			ok "$label $n ${s#* } ($k)"
		else
			no "$label $n ${s#* }: got '$k', want '${s%% *}'" "$got"
		fi
	done
}

# captions PDF: the figure captions ("Figure N", a line of their own) in
# page order, top to bottom, one a line (-layout: a caption under a line
# that ends at a hyphen is not joined to it).
captions() { pdftotext -layout "$1" - 2>/dev/null | sed 's/^ *//; s/ *$//' | grep -E '^Figure [0-9]+$'; }
# in_order: its input's numbers (each line's second word) ascend.
in_order() { awk '{ n = $2 + 0; if (n < last) bad = 1; last = n } END { exit bad }'; }

# page_feet PDF: each page's last line of text above its folio (a line of
# only a number or a roman numeral is taken for the folio), one per page,
# leading and trailing spaces trimmed: grep the output for a heading to find
# a page that ends on one. (The form feed pdftotext ends each page with is
# taken out first: left in, it was every page's last line.)
page_feet() {
	pf_n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
	pf_p=1
	while [ "$pf_p" -le "$pf_n" ]; do
		pdftotext -f "$pf_p" -l "$pf_p" -layout "$1" - | tr -d '\f' |
			sed 's/^ *//; s/ *$//' | grep -v '^[0-9ivx]*$' | tail -1
		pf_p=$((pf_p + 1))
	done
}

# === a book to start from ======================================================
# mkbook [DIR]: a small two-part book (slug test-book) that builds, in DIR
# ($B when none is given). The one copy every suite and tests/run.sh use.
mkbook() {
	mk_dir=${1:-$B}
	rm -rf "$mk_dir" && mkdir -p "$mk_dir/images"
	cat >"$mk_dir/book.yaml" <<'YAML'
title: Test Book
language: en-GB
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-555555555555
parts:
  - one.md
  - two.md
YAML
	printf -- '---\ntitle: "One"\nauthor: "An author"\n---\n\nFirst essay text.\n' >"$mk_dir/one.md"
	printf -- '---\ntitle: "Two"\nauthor: "Another"\n---\n\nSecond essay text.\n' >"$mk_dir/two.md"
}

# xml_ok EPUB: every XML file in it is well-formed, within libxml2's
# default limits (as reading systems parse it). Unpacks into $T/x.
xml_ok() {
	rm -rf "$T/x" && mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$1") || return 1
	find "$T/x" \( -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' -o -name '*.xml' \) \
		-exec xmllint --noout --nonet {} + >/dev/null 2>&1
}

# same_files DIR1 DIR2: every file of DIR1 is in DIR2 with the same bytes,
# and DIR2 has no others (dot files included).
same_files() {
	diff -r "$1" "$2" >/dev/null 2>&1
}

# === a book $B with a local style ===============================================
# For suites that keep their book in $B (set B before calling these).
# style SED-EXPR...: book.yaml names mine.yaml, a local style with fixed
# line numbers (fonts from line 22, css on line 28), each SED-EXPR applied.
style() {
	cat >"$B/mine.yaml" <<YAML
page:
  width: 138mm
  height: 216mm
margins:
  top: 17mm
  bottom: 21mm
  inner: 16mm
  outer: 20mm
body:
  size: 10.5pt
  leading: 14pt
  indent: 1em
  quote-indent: 1.5em
notes:
  size: 8.5pt
  leading: 11pt
headings:
  title: 17pt
  h2: 11.5pt
  h3: 10.5pt
fonts:
  regular: $ROOT/fonts/CharisSIL-Regular.ttf
  italic: $ROOT/fonts/CharisSIL-Italic.ttf
  bold: $ROOT/fonts/CharisSIL-Bold.ttf
  bold-italic: $ROOT/fonts/CharisSIL-BoldItalic.ttf
  mono: $ROOT/fonts/NotoSansMono-Regular.ttf
epub:
  css: $ROOT/styles/epub.css
YAML
	for e in "$@"; do sed -i "$e" "$B/mine.yaml"; done
	printf 'style: mine.yaml\n' >>"$B/book.yaml"
}
essay() { # essay BODY: two.md with front matter and BODY (printf format)
	printf -- "---\ntitle: \"Two\"\n---\n\n$1" >"$B/two.md"
}
# A 1 x 1 PNG, with its header's size replaced by W x H when given.
png() { # png FILE [W H]
	python3 - "$@" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
w, h = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (1, 1)
data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
data += chunk(b'IDAT', zlib.compress(b'\x00\x80')) + chunk(b'IEND', b'')
open(sys.argv[1], 'wb').write(data)
PY
}

# line_boxes PDF: each line of text pdftotext finds, one a line: its page
# (from 0), xMin, yMin, yMax (points from the top) and its first word.
line_boxes() {
	pdftotext -bbox-layout "$1" - 2>/dev/null | python3 -c '
import re, sys
for n, page in enumerate(sys.stdin.read().split("<page")[1:]):
    for m in re.finditer(r"<line xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"[\d.]+\" yMax=\"([\d.]+)\">(.*?)</line>", page, re.S):
        words = re.findall(r">([^<]*)</word>", m.group(4))
        if words:
            print(n, m.group(1), m.group(2), m.group(3), words[0])
'
}
