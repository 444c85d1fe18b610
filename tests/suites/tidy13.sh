#!/bin/sh
# tests/suites/tidy13.sh - the tree keeps what issue 13 (items 4, 9, 10)
# tidied: libraries and one util/ copy instead of hand-written ones, no
# circle of calls inside a folder, libharu's insides in one file.
. "$ROOT/tests/lib.sh"
S=$ROOT/src

# === one hash, one table, zlib's CRC, one XML escaper ==========================
# The FNV prime is written once, in util/hash.c; no file probes a table of
# its own ("& (cap - 1)" or "& mask" walks).
if out=$(grep -rlE '1099511628211|16777619|2166136261|0x811c9dc5|14695981039346656037' "$S" |
	grep -v '/util/\(hash\.c\|util\.h\)$'); then
	no "FNV-1a is written only in util/hash.c" "$out"
else ok "FNV-1a is written only in util/hash.c"; fi
if out=$(grep -rnE '(cap|mask) - 1\)|& mask\b' "$S" --include='*.c' | grep -v '/util/hash\.c:'); then
	no "one hash table: util's struct hmap" "$out"
else ok "one hash table: util's struct hmap"; fi
if out=$(grep -rniE '0xedb88320|crc_table|make_crc' "$S"); then
	no "CRC-32 is zlib's crc32" "$out"
else ok "CRC-32 is zlib's crc32"; fi
if out=$(grep -rnE '"&(amp|lt|gt|quot);"' "$S" --include='*.c' | grep -v '/util/util\.c:'); then
	no "one XML escaper (util's sb_add_xml)" "$out"
else ok "one XML escaper (util's sb_add_xml)"; fi
if out=$(grep -rnE '\bdeflate(Init2?)?\(' "$S/cli" "$S/book" 2>/dev/null); then
	no "PNGs are written by libpng (no deflate in cli/ or book/)" "$out"
else ok "PNGs are written by libpng (no deflate in cli/ or book/)"; fi

# === libharu's insides in one file =============================================
if out=$(grep -rlE 'hpdf_(doc|pages|objects)\.h>' "$S" | grep -v '/pdf/haru\.c$'); then
	no "only pdf/haru.c includes libharu's private headers" "$out"
else ok "only pdf/haru.c includes libharu's private headers"; fi
fields='->(mmgr|xref|catalog|trailer|pdf_version|write_fn|filter|attr)\b|obj_class|HPDF_PageAttr|HPDF_CallbackReader_New|->stream\b'
if out=$(grep -nE -e "$fields" "$S"/pdf/*.c | grep -v '^[^:]*/haru\.c:'); then
	no "only pdf/haru.c reaches into libharu's structs" "$out"
else ok "only pdf/haru.c reaches into libharu's structs"; fi
if grep -q 'libharu 2\.3\.0' "$S/pdf/haru.c"; then ok "haru.c names the libharu version it was checked against"
else no "haru.c names the libharu version it was checked against"; fi

# === no circle of calls inside a folder ========================================
# From the objects of the build under test (build/san or build/release).
objdir=$(dirname "$OCTAVO")
[ -d "$objdir/book" ] || objdir=$ROOT/build/release
if [ ! -d "$objdir/book" ] || ! command -v nm >/dev/null; then
	skip "no circle of calls inside book/, text/, layout/, pdf/, epub/, cli/ (no object files or nm)"
elif out=$(python3 "$ROOT/tests/filegraph.py" "$objdir" book text layout pdf epub cli 2>&1); then
	ok "no circle of calls inside book/, text/, layout/, pdf/, epub/, cli/"
else no "no circle of calls inside a folder" "$(printf '%s\n' "$out" | grep -B1 'circles: [^n]')"; fi

# === the renamed functions say what they do ====================================
if out=$(grep -rnE '\b(diag_release|tx_pdffont_free|is_static)\b' "$S" "$ROOT/tests" --include='*.c' --include='*.h'); then
	no "misleading names are gone (diag_release, tx_pdffont_free, is_static)" "$out"
else ok "misleading names are gone (diag_release, tx_pdffont_free, is_static)"; fi

# === a book still builds through the one table =================================
# Links to headings (the anchor index), duplicate ids (the string set),
# hyphenation (the pattern word sets) and shaping (the word cache).
B=$T/b
mkbook
essay 'See [the other](one.md#first-essay-text) and [below](#twice).\n\n## Twice\n\n## Twice\n\nA hyphenation-demanding paragraph of extraordinarily long, incomprehensibly polysyllabic words.\n'
printf '\nFirst essay text.\n\n## First essay text\n' >>"$B/one.md"
if expect 0 "a book with links and repeated headings builds" "$OCTAVO" build "$B" -o "$T/o"; then
	if printf '%s\n' "$out" | grep -q 'warning:.*link'; then
		no "links to headings resolve through the anchor index" "$out"
	else ok "links to headings resolve through the anchor index"; fi
	if xml_ok "$T/o/test-book.epub" && grep -q 'id="essay-02-twice-2"' "$T"/x/OEBPS/text/*.xhtml; then
		ok "a repeated heading gets its own id (the string set)"
	else no "a repeated heading gets its own id (the string set)" "$(grep -ho 'id="[^"]*twice[^"]*"' "$T"/x/OEBPS/text/*.xhtml)"; fi
fi
