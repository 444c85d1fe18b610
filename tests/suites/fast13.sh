#!/bin/sh
# tests/suites/fast13.sh - the EPUB's fonts are not deflated again on a
# rebuild (issue 13): OUTDIR/.SLUG.font-N keeps each cut with the bytes the
# zip deflated it to and the compressor that did, and a rebuild zips those
# as they are. Whatever the cache holds, a rebuild's EPUB is the same bytes
# as a fresh build's: a changed font is cut and deflated again, and so is a
# record made by another compressor or damaged on disk.
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
# record_has N TEXT: .SLUG.font-N in $T/out holds TEXT.
record_has() { grep -aq "$2" "$T/out/.test-book.font-$1"; }

# --- a rebuild zips the kept deflated bytes, and they are the same ------------
if fresh f0 && again && again && cmp -s "$T/out/test-book.epub" "$T/f0.epub"; then
	ok "fast13: a rebuild from the kept deflated fonts gives the fresh build's EPUB byte for byte"
else
	no "fast13: a rebuild from the kept deflated fonts gives the fresh build's EPUB byte for byte" "$(cat "$T/out.err" "$T/fresh.err")"
fi
if record_has 0 'deflate 3' && record_has 0 'libzip '; then
	ok "fast13: the font cache keeps the deflated cut and names its compressor"
else
	no "fast13: the font cache keeps the deflated cut and names its compressor" "$(ls -la "$T/out")"
fi
if again --jobs 1 && cmp -s "$T/out/test-book.epub" "$T/f0.epub" && again --jobs 2 &&
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
	ok "fast13: the changed font's new cut is kept and zipped as kept"
else
	no "fast13: the changed font's new cut is kept and zipped as kept" "$(cat "$T/out.err")"
fi

# --- another compressor's bytes, or damaged ones, are not used ------------------
# The head names the compressor; a record naming another level is deflated
# again (and rewritten); one whose bytes were damaged fails its check.
python3 - "$T/out/.test-book.font-0" <<'PY'
import sys
p = sys.argv[1]
d = open(p, 'rb').read()
open(p, 'wb').write(d.replace(b'deflate 3', b'deflate 9', 1))
PY
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub" && record_has 0 'deflate 3' &&
	! record_has 0 'deflate 9'; then
	ok "fast13: a record from another compressor is deflated again and rewritten"
else
	no "fast13: a record from another compressor is deflated again and rewritten" "$(cat "$T/out.err")"
fi
python3 - "$T/out/.test-book.font-0" <<'PY'
import sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
d[-100] ^= 0x55  # inside the deflated bytes, at the record's end
open(p, 'wb').write(bytes(d))
PY
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub"; then
	ok "fast13: a record damaged on disk is not zipped (the EPUB equals a fresh build's)"
else
	no "fast13: a record damaged on disk is not zipped (the EPUB equals a fresh build's)" "$(cat "$T/out.err")"
fi
: >"$T/out/.test-book.font-1"
if again && cmp -s "$T/out/test-book.epub" "$T/f1.epub"; then
	ok "fast13: an empty record is cut again"
else
	no "fast13: an empty record is cut again" "$(cat "$T/out.err")"
fi

# --- an EPUB with deflated fonts from the cache passes epubcheck ---------------
if [ -f /usr/bin/epubcheck ] && command -v java >/dev/null 2>&1; then
	if java -jar /usr/bin/epubcheck "$T/out/test-book.epub" >"$T/ec.txt" 2>&1; then
		ok "fast13: the rebuilt EPUB passes epubcheck"
	else
		no "fast13: the rebuilt EPUB passes epubcheck" "$(tail -5 "$T/ec.txt")"
	fi
else
	skip "fast13: epubcheck (and java) not installed"
fi
