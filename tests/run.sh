#!/bin/sh
# tests/run.sh OCTAVO UNIT - the test suite behind 'make test'.
# Unit tests, then end-to-end tests over the real edition with real
# validators, then bad-input tests. Ends with "N passed, N failed".
OCTAVO=$1
UNIT=$2
ROOT=$(pwd)
# The suites' own setting up: the sanitizers' exit codes (a crash must never
# pass for a manuscript error), the scratch folder $T, the helpers.
. "$ROOT/tests/lib.sh"
# Here results are counted as well as printed.
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
# In tests/bad-input.sh (a small book, a good edition, then one mistake:
# exit 1, the exact message, the previous edition untouched).

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
