#!/bin/sh
# tests/suites/fast13.sh - what has not changed is not deflated again on a
# rebuild (issue 13): OUTDIR/.SLUG.deflated keeps each entry of the EPUB as
# its zip deflated it, with the compressor that did, and a rebuild zips
# those as they are when the entry's bytes hash the same and the record's
# own check holds (tests/suites/epub13.sh damages each field). Whatever the
# store holds, a rebuild's EPUB is the same bytes as a fresh build's: a
# changed font or essay is deflated again, and so is a record made by
# another compressor or damaged on disk.
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

B=$T/book
mkbook "$B"
mkdir -p "$B/f"
cp "$ROOT/fonts/CharisSIL-Regular.ttf" "$B/f/body.ttf"
style "s|regular: .*|regular: f/body.ttf|"
essay 'Some *italic* and **bold** text, and a word in code: `x = 1`.\n'
export SOURCE_DATE_EPOCH=1700000000

# fresh NAME: the EPUB of a build into a new folder, as $T/NAME.epub.
fresh() {
	rm -rf "$T/fresh"
	"$OCTAVO" build "$B" -o "$T/fresh" -q --epub 2>"$T/fresh.err" &&
		cp "$T/fresh"/*.epub "$T/$1.epub"
}
# again: one more build into $T/out (the cache's folder).
again() { "$OCTAVO" build "$B" -o "$T/out" -q "$@" 2>"$T/out.err"; }
# stored TEXT: .SLUG.deflated in $T/out holds TEXT.
stored() { grep -aq "$1" "$T/out/.test-book.deflated"; }
# edit_store PYTHON: runs PYTHON over the store's bytes d (written back).
edit_store() {
	python3 - "$T/out/.test-book.deflated" "$1" <<'PY'
import sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
exec(sys.argv[2])
open(p, 'wb').write(bytes(d))
PY
}

# --- a rebuild zips the kept deflated bytes, and they are the same ------------
if fresh f0 && again && again && cmp -s "$T/out/test-book.epub" "$T/f0.epub"; then
	ok "fast13: a rebuild from the kept deflated entries gives the fresh build's EPUB byte for byte"
else
	no "fast13: a rebuild from the kept deflated entries gives the fresh build's EPUB byte for byte" "$(cat "$T/out.err" "$T/fresh.err")"
fi
if stored 'deflate 3' && stored 'deflate 6' && stored 'libzip ' && stored 'OEBPS/fonts/body.ttf' &&
	stored 'OEBPS/text/' && ! stored 'mimetype'; then
	ok "fast13: the store keeps the deflated fonts and texts (not the stored mimetype) and names the compressor"
else
	no "fast13: the store keeps the deflated fonts and texts (not the stored mimetype) and names the compressor" "$(ls -la "$T/out")"
fi
if again --jobs 1 && cmp -s "$T/out/test-book.epub" "$T/f0.epub" &&
	(export OCTAVO_JOBS_MIN=0 && again --jobs 2) &&
	cmp -s "$T/out/test-book.epub" "$T/f0.epub"; then
	ok "fast13: --jobs 1 and --jobs 2 rebuilds give the same EPUB"
else
	no "fast13: --jobs 1 and --jobs 2 rebuilds give the same EPUB" "$(cat "$T/out.err")"
fi
if command -v unzip >/dev/null 2>&1 && unzip -tq "$T/out/test-book.epub" >/dev/null 2>&1; then
	ok "fast13: the rebuilt EPUB's entries pass unzip -t (CRCs and sizes)"
else
	no "fast13: the rebuilt EPUB's entries pass unzip -t (CRCs and sizes)" "$(unzip -tq "$T/out/test-book.epub" 2>&1 | tail -3)"
fi

# --- a changed font is cut and deflated again ------------------------------------
cp "$ROOT/fonts/CharisSIL-Bold.ttf" "$B/f/body.ttf"
if again && fresh f1 && cmp -s "$T/out/test-book.epub" "$T/f1.epub" &&
	! cmp -s "$T/f0.epub" "$T/f1.epub"; then
	ok "fast13: a changed font is cut and deflated again (the EPUB equals a fresh build's)"
else
	no "fast13: a changed font is cut and deflated again (the EPUB equals a fresh build's)" "$(cat "$T/out.err")"
fi
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub"; then
	ok "fast13: the changed font's new deflated cut is kept and zipped as kept"
else
	no "fast13: the changed font's new deflated cut is kept and zipped as kept" "$(cat "$T/out.err")"
fi

# --- a changed essay is deflated again; the store keeps only this build's ------
size0=$(wc -c <"$T/out/.test-book.deflated")
essay 'Other words now, and *more* of them than before, to change the entry.\n'
if again && fresh f2 && cmp -s "$T/out/test-book.epub" "$T/f2.epub" && ! cmp -s "$T/f1.epub" "$T/f2.epub"; then
	ok "fast13: a changed essay is deflated again (the EPUB equals a fresh build's)"
else
	no "fast13: a changed essay is deflated again (the EPUB equals a fresh build's)" "$(cat "$T/out.err")"
fi
essay 'Some *italic* and **bold** text, and a word in code: `x = 1`.\n'
again && again
size1=$(wc -c <"$T/out/.test-book.deflated")
if [ "$size0" -eq "$size1" ] && cmp -s "$T/out/test-book.epub" "$T/f1.epub"; then
	ok "fast13: the store holds this build's entries only (the same size after an edit and its undoing)"
else
	no "fast13: the store holds this build's entries only (the same size after an edit and its undoing)" "$size0 bytes, then $size1"
fi

# --- another compressor's bytes, or damaged ones, are not used ------------------
# A record naming another level is not offered; one whose bytes were
# damaged fails its check: both are deflated again
# (and the store rewritten).
edit_store "d[:] = d.replace(b'deflate 3', b'deflate 9')"
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub" && stored 'deflate 3' && ! stored 'deflate 9'; then
	ok "fast13: a record from another compressor is deflated again and rewritten"
else
	no "fast13: a record from another compressor is deflated again and rewritten" "$(cat "$T/out.err")"
fi
edit_store "d[-100] ^= 0x55"
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub"; then
	ok "fast13: a record damaged on disk is not zipped (the EPUB equals a fresh build's)"
else
	no "fast13: a record damaged on disk is not zipped (the EPUB equals a fresh build's)" "$(cat "$T/out.err")"
fi
edit_store "d[:] = d[:len(d) // 2]"
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub" && again && cmp -s "$T/out/test-book.epub" "$T/f1.epub"; then
	ok "fast13: a store cut short is read as far as it goes, and written whole again"
else
	no "fast13: a store cut short is read as far as it goes, and written whole again" "$(cat "$T/out.err")"
fi
: >"$T/out/.test-book.deflated"
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub"; then
	ok "fast13: an empty store deflates everything"
else
	no "fast13: an empty store deflates everything" "$(cat "$T/out.err")"
fi

# --- an EPUB zipped from the store passes epubcheck ---------------------------
if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null 2>&1; then
	if java -jar /usr/bin/epubcheck "$T/out/test-book.epub" >"$T/ec.txt" 2>&1; then
		ok "fast13: the rebuilt EPUB passes epubcheck"
	else
		no "fast13: the rebuilt EPUB passes epubcheck" "$(tail -5 "$T/ec.txt")"
	fi
else
	skip "fast13: epubcheck (and java) not installed"
fi
