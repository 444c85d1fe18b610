#!/bin/sh
# tests/suites/tidy13b.sh - what issue 13's tidying keeps (second stop):
# one dlopen loader (util/dl.c) whose failures stay clear errors and
# warnings, strbufs shortened only through sb_truncate, no dead NULL
# checks of a page's label, no function over 150 lines. (The circles of
# calls, layout/ included, are checked in tidy13.sh.)
. "$ROOT/tests/lib.sh"
S=$ROOT/src

# === the code =================================================================
if out=$(python3 "$ROOT/tests/longest.py" --max 150 "$S" 2>&1); then
	ok "no function in src/ is over 150 lines ($(printf '%s\n' "$out" | sed -n 1p | awk '{print $2, $1}'))"
else no "no function in src/ is over 150 lines" "$out"; fi
if out=$(grep -rnE '\bdl(open|sym|error|close)\(|<dlfcn\.h>' "$S" | grep -v '^[^:]*/util/dl\.[ch]:'); then
	no "only util/dl.c calls dlopen" "$out"
else ok "only util/dl.c calls dlopen"; fi
if out=$(grep -rnE '\bsb(\.|->)len *(--|-=|=[^=])' "$S" --include='*.c' | grep -v '/util/util\.c:'); then
	no "a strbuf is shortened only by sb_truncate (its NUL kept)" "$out"
else ok "a strbuf is shortened only by sb_truncate (its NUL kept)"; fi
if out=$(grep -nE 'label (&&|\?)|if \(label\)' "$S/cli/revision.c" "$S/cli/proof.c"); then
	no "no NULL check of a page's label, which layout.h says never happens" "$out"
else ok "no NULL check of a page's label, which layout.h says never happens"; fi

# === a library that is missing, or lacks a call ===============================
# dlopen looks in LD_LIBRARY_PATH first: $T/empty holds files that are no
# library, $T/lib a real one without the calls octavo needs.
B=$T/b
mkbook
printf '\n![A red square](images/sq.svg)\n' >>"$B/one.md"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="red"/></svg>\n' >"$B/images/sq.svg"
if expect 0 "a book with an SVG builds (librsvg through util/dl.c)" "$OCTAVO" build "$B" -o "$T/o" -q; then
	if pdfimages -list "$T/o/test-book.pdf" 2>/dev/null | grep -q ' image '; then
		ok "the SVG is rendered into the PDF"
	else no "the SVG is rendered into the PDF" "$(pdfimages -list "$T/o/test-book.pdf" 2>&1)"; fi
fi
if ! command -v cc >/dev/null; then
	skip "missing libraries (no C compiler for a stand-in library)"
	exit 0
fi
mkdir -p "$T/empty" "$T/lib"
printf 'int octavo_stand_in(void) { return 0; }\n' >"$T/n.c"
cc -shared -fPIC -o "$T/lib/stand-in.so" "$T/n.c"
for n in librsvg-2.so.2 librsvg-2.so libpoppler-glib.so.8 libpoppler-glib.so libqpdf.so libqpdf.so.29; do
	: >"$T/empty/$n"
	cp "$T/lib/stand-in.so" "$T/lib/$n"
done

expect 1 "an SVG without librsvg is an error" env LD_LIBRARY_PATH="$T/empty" "$OCTAVO" build "$B" -o "$T/o2" -q &&
	contains "it names the image's line and why librsvg did not open" \
		"one.md:8:1: error: image 'images/sq.svg' is an SVG, and librsvg cannot be opened ("
expect 1 "an SVG with a librsvg that lacks a call is an error" env LD_LIBRARY_PATH="$T/lib" "$OCTAVO" build "$B" -o "$T/o2" -q &&
	contains "it names the call" "is an SVG, and librsvg has no 'rsvg_handle_new_from_data'"
[ ! -e "$T/o2" ] && ok "nothing written on either" || no "nothing written on either" "$(ls -la "$T/o2")"

sed -i '/sq.svg/d' "$B/one.md"
if expect 0 "without poppler-glib the edition still builds" env LD_LIBRARY_PATH="$T/empty" "$OCTAVO" build "$B" -o "$T/c1"; then
	contains "a warning says the EPUB keeps its SVG cover, and why" \
		"warning: the EPUB keeps its SVG cover: the raster cover could not be made: cannot open poppler-glib ("
	if unzip -l "$T/c1/test-book.epub" | grep -q 'images/cover.svg'; then ok "the EPUB has its SVG cover"
	else no "the EPUB has its SVG cover" "$(unzip -l "$T/c1/test-book.epub")"; fi
fi
expect 0 "with a poppler-glib that lacks a call too" env LD_LIBRARY_PATH="$T/lib" "$OCTAVO" build "$B" -o "$T/c2" &&
	contains "the warning names the call" "the raster cover could not be made: poppler-glib has no 'g_bytes_new'"

expect 0 "the edition builds for preflight" "$OCTAVO" build "$B" -o "$T/p" -q &&
	ok "the edition builds for preflight"
expect 3 "preflight without libqpdf fails as an I/O or library failure" env LD_LIBRARY_PATH="$T/empty" "$OCTAVO" preflight "$B" -o "$T/p" &&
	contains "it says preflight needs libqpdf, with dlopen's words and a hint" "octavo: error: preflight needs libqpdf: " &&
	contains "with the hint" "hint: apt-get install libqpdf29"
expect 3 "preflight with a libqpdf that lacks a call fails" env LD_LIBRARY_PATH="$T/lib" "$OCTAVO" preflight "$B" -o "$T/p" &&
	contains "it names the call" "octavo: error: libqpdf has no 'qpdf_cleanup': too old for preflight"
expect 0 "with libqpdf, preflight runs" "$OCTAVO" preflight "$B" -o "$T/p" &&
	contains "with libqpdf, preflight runs every rule" "0 rules failed"
