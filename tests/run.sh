#!/bin/sh
# tests/run.sh OCTAVO UNIT - the test suite behind 'make test'.
# Unit tests, then end-to-end tests over the real edition with real
# validators, then bad-input tests. Ends with "N passed, N failed".
set -u
# A sanitizer crash must never pass for a manuscript error (both exit 1).
export ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=exitcode=87
OCTAVO=$(realpath "$1")
UNIT=$2
ROOT=$(pwd)
T=$(mktemp -d /tmp/octavo-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
no() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /' | head -20; }
check() { # check NAME COMMAND...: passes when the command succeeds
	name=$1; shift
	if out=$("$@" 2>&1); then ok "$name"; else no "$name" "$out"; fi
}

# --- unit tests -------------------------------------------------------------
if out=$("$UNIT" 2>&1); then ok "$(echo "$out" | tail -1)"; else no "unit tests" "$out"; fi

# --- the edition, end to end ------------------------------------------------
E=$T/edition
if out=$("$OCTAVO" build manuscript -o "$E" 2>&1); then ok "octavo build manuscript"; else no "octavo build manuscript" "$out"; fi
PDF=$E/civil-dialogue.pdf
EPUB=$E/civil-dialogue.epub

check "epubcheck: 0 errors, 0 warnings" sh -c "java -jar /usr/bin/epubcheck '$EPUB' 2>&1 | tee '$T/epubcheck.txt' | grep -q 'No errors or warnings detected'"
check "qpdf --check" qpdf --check "$PDF"
check "pdffonts: every font embedded" sh -c "pdffonts '$PDF' 2>/dev/null | awk 'NR>2 { n++; if (\$(NF-4) != \"yes\") bad++ } END { exit !(n >= 3 && !bad) }'"
check "pdf: TrimBox is 138 x 216 mm on every page" sh -c "pdfinfo -box -f 1 -l 999 '$PDF' 2>/dev/null | awk '/TrimBox/ { n++; w = \$(NF-1) - \$(NF-3); h = \$NF - \$(NF-2); if (w < 391.1 || w > 391.3 || h < 612.2 || h > 612.4) bad++ } END { exit !(n > 100 && !bad) }'"
check "pdf: bleed 3 mm and crop marks from the style" sh -c "pdfinfo -box '$PDF' 2>/dev/null | awk '/BleedBox/ { b = \$2 } /TrimBox/ { t = \$2 } END { d = t - b; exit !(d > 8.4 && d < 8.6) }'"
check "pdftotext and pdffonts print no warnings" sh -c "test -z \"\$(pdftotext '$PDF' /dev/null 2>&1; pdffonts '$PDF' 2>&1 >/dev/null)\""
check "pdf: ligatures extract as letters (no U+FB01 in the text)" sh -c "! pdftotext '$PDF' - 2>/dev/null | grep -q \$(printf '\\357\\254\\201')"
check "pdf: page labels i, ii, ... then 1" sh -c "pdfinfo -f 1 -l 999 '$PDF' >/dev/null 2>&1; python3 '$ROOT/tests/pdfcheck.py' labels '$PDF'"
check "pdf: every essay starts on an odd (recto) page" python3 "$ROOT/tests/pdfcheck.py" rectos "$PDF" manuscript
check "pdf: XMP metadata and /Lang en-GB" sh -c "qpdf --qdf --object-streams=disable '$PDF' - 2>/dev/null | grep -a -q '<dc:language><rdf:Bag><rdf:li>en-GB' && qpdf --show-object=trailer '$PDF' >/dev/null"
check "pdf: outline has one entry per part (plus title and contents)" sh -c "test \$(python3 '$ROOT/tests/pdfcheck.py' outline '$PDF') -eq 24"
check "pdftotext: every title and last paragraph, in reading order" python3 "$ROOT/tests/pdfcheck.py" order "$PDF" manuscript
check "report: 0 overfull lines, 0 widows, 0 orphans, ladders of at most 2" sh -c "'$OCTAVO' report manuscript > '$T/report.txt' && grep -q '^overfull lines  *0$' '$T/report.txt' && grep -q '^widows  *0$' '$T/report.txt' && grep -q '^orphans  *0$' '$T/report.txt' && grep -qE '^longest hyphen ladder +[0-2]$' '$T/report.txt'"
check "epub: mimetype first and stored" sh -c "unzip -v '$EPUB' | awk 'NR==4 { exit !(\$NF == \"mimetype\" && \$2 == \"Stored\") }'"
mkdir -p "$T/x" && (cd "$T/x" && unzip -q "$EPUB")
check "epub: every XHTML file is well-formed XML" sh -c "find '$T/x' -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' | xargs xmllint --noout"
check "epub: one XHTML file per part" sh -c "test \$(ls '$T/x/OEBPS/text/' | grep -c -E '^(essay|preface)-') -eq 22"
if out=$(SOURCE_DATE_EPOCH=1700000000 "$OCTAVO" build manuscript -o "$T/r1" -q 2>&1 &&
	 SOURCE_DATE_EPOCH=1700000000 "$OCTAVO" build manuscript -o "$T/r2" -q 2>&1 &&
	 cmp "$T/r1/civil-dialogue.epub" "$T/r2/civil-dialogue.epub" &&
	 cmp "$T/r1/civil-dialogue.pdf" "$T/r2/civil-dialogue.pdf"); then
	ok "two builds are byte-identical (PDF and EPUB)"
else no "two builds are byte-identical" "$out"; fi

# --- bad input --------------------------------------------------------------
# Each case: a small book, a good edition built from it, then one mistake.
# The build must fail with exit 1, print the exact message, and leave the
# previous edition byte-for-byte as it was.
mkbook() {
	rm -rf "$T/b" && mkdir -p "$T/b"
	cat >"$T/b/book.yaml" <<'YAML'
title: Test Book
language: en-GB
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-555555555555
parts:
  - one.md
  - two.md
YAML
	printf -- '---\ntitle: "One"\nauthor: "An author"\n---\n\nFirst essay text.\n' >"$T/b/one.md"
	printf -- '---\ntitle: "Two"\n---\n\nSecond essay text.\n' >"$T/b/two.md"
}
badcase() { # badcase NAME EXPECTED-STDERR-LINE (after the mistake is made)
	name=$1 want=$2
	out=$("$OCTAVO" build "$T/b" -o "$T/bo" 2>&1)
	rc=$?
	if [ $rc -ne 1 ]; then no "bad input: $name (exit $rc, want 1)" "$out"; return; fi
	if ! printf '%s\n' "$out" | grep -qxF "$want"; then no "bad input: $name (message)" "got: $out
want: $want"; return; fi
	if ! cmp -s "$T/bo/test-book.pdf" "$T/good.pdf" || ! cmp -s "$T/bo/test-book.epub" "$T/good.epub"; then
		no "bad input: $name (previous edition changed)"; return; fi
	ok "bad input: $name"
}
mkbook
if "$OCTAVO" build "$T/b" -o "$T/bo" -q; then
	cp "$T/bo/test-book.pdf" "$T/good.pdf"; cp "$T/bo/test-book.epub" "$T/good.epub"
	ok "small book builds"
else no "small book builds"; fi

mkbook; sed -i 's/two.md/too.md/' "$T/b/book.yaml"
badcase "missing part file" "$T/b/book.yaml:7:5: error: cannot read part 'too.md': No such file or directory"

mkbook; sed -i 's/^title: Test Book/title: "Test Book/' "$T/b/book.yaml"
badcase "malformed YAML (unclosed quote)" "$T/b/book.yaml:1:8: error: quoted text is never closed"

mkbook; printf -- '---\ntitle: "Two"\n---\n\nSecond \377 text.\n' >"$T/b/two.md"
badcase "invalid UTF-8 in an essay" "$T/b/two.md:5:8: error: invalid UTF-8 byte 0xFF at byte offset 29"

mkbook; printf -- '---\ntitle: "Two"\n\tauthor: x\n---\n\nText.\n' >"$T/b/two.md"
badcase "tab in front matter" "$T/b/two.md:3:1: error: tab used for indentation"

mkbook; printf 'title: A\ntitle: B\nlanguage: en-GB\n' >"$T/b/book.yaml"
badcase "duplicate key in book.yaml" "$T/b/book.yaml:2:1: error: duplicate key 'title' (first given on line 1)"

mkbook; mkdir "$T/b/dir.md"; sed -i 's/two.md/dir.md/' "$T/b/book.yaml"
badcase "a directory where a part should be" "$T/b/book.yaml:7:5: error: cannot read part 'dir.md': Is a directory"

mkbook; printf -- '---\ntitle: "Two"\n---\n\n![A chart](../../etc/passwd)\n' >"$T/b/two.md"
badcase "image outside the manuscript" "$T/b/two.md:5:1: error: image '../../etc/passwd' is outside the manuscript directory"

# --- suites kept in their own files -----------------------------------------
# Each prints "ok   ..." / "FAIL ..." / "skip ..." lines; we count them here.
# OCTAVO_SUITES picks some of them ("cli bad-input") when working on one.
# New suites source tests/lib.sh for what they share.
# Suites in tests/suites/ run too, after these, with no list to edit.
all_suites="epub-checks cli bad-input fuzz-replay images outputs inputs pdf-limits scale languages"
for f in "$ROOT"/tests/suites/*.sh; do
	[ -f "$f" ] && all_suites="$all_suites suites/$(basename "$f" .sh)"
done
suites=${OCTAVO_SUITES:-$all_suites}
for suite in $suites; do
	[ -f "$ROOT/tests/$suite.sh" ] || continue
	out=$(OCTAVO="$OCTAVO" ROOT="$ROOT" sh "$ROOT/tests/$suite.sh" 2>&1)
	printf '%s\n' "$out" | grep -E '^(ok|FAIL|skip) ' || true
	pass=$((pass + $(printf '%s\n' "$out" | grep -c '^ok ')))
	fail=$((fail + $(printf '%s\n' "$out" | grep -c '^FAIL ')))
	if ! printf '%s\n' "$out" | grep -qE '^(ok|FAIL|skip) '; then
		no "suite $suite printed no results" "$out"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
