#!/bin/sh
# tests/pdf-limits.sh - libharu's limits and the XML of the metadata (issue
# 12, items 2 and 8): a value over libharu's 65,535-byte string limit (a
# description, 200,000 keywords, an 80 KB heading in the outline, a URL) is
# cut or left out with a warning at its line, a value no PDF can take is an
# error at its line when the book is read (exit 1), and the writer never
# crashes on a libharu failure. The XMP packet, the EPUB's OPF and XHTML
# stay well-formed whatever control characters the metadata holds.
#
# Every PDF a case makes must pass qpdf --check and pdftotext.
. "$ROOT/tests/lib.sh"

B=$T/b
O=$T/out

# pdf_ok NAME: the PDF in $O passes qpdf --check and pdftotext (prints a
# FAIL line and returns 1 when not).
pdf_ok() {
	pdf=$O/test-book.pdf
	if ! [ -s "$pdf" ]; then
		no "$1 (no PDF)" "$out"
		return 1
	fi
	if ! msg=$(qpdf --check "$pdf" 2>&1); then
		no "$1 (qpdf --check)" "$msg"
		return 1
	fi
	if ! msg=$(pdftotext "$pdf" - 2>&1 >/dev/null) || [ -n "$msg" ]; then
		no "$1 (pdftotext)" "$msg"
		return 1
	fi
	return 0
}

# info KEY: the length in characters (PDFDocEncoding: bytes) of the PDF's
# document information entry KEY, from qpdf's JSON; -1 when it has none.
info() {
	qpdf --json --json-key=qpdf "$O/test-book.pdf" 2>/dev/null | python3 -c '
import json, sys
objs = json.load(sys.stdin)["qpdf"][1]
info = objs["obj:" + objs["trailer"]["value"]["/Info"]]["value"]
v = info.get(sys.argv[1], "")
print(len(v) - 2 if v.startswith("u:") else (len(v) - 2) // 2 if v.startswith("b:") else -1)
' "/$1"
}

# === a description over libharu's string limit ==================================
# A description is long only for the EPUB's sake: the PDF's Subject is cut
# at a word, with a warning at book.yaml's line, and the XMP keeps it whole.
mkbook "$B"
python3 -c 'print("description: " + "word " * 13999 + "lastword")' >>"$B/book.yaml"
if expect 0 "pdf: description over 65,535 bytes" "$OCTAVO" build "$B" -o "$O" &&
	pdf_ok "pdf: description over 65,535 bytes"; then
	n=$(info Subject)
	if ! printf '%s\n' "$out" | grep -q "^$B/book.yaml:8:14: warning: 'description' is too long for the PDF's document information (70003 characters, at most 65535): cut to "; then
		no "pdf: description over 65,535 bytes (no warning at its line)" "$out"
	elif [ "$n" -lt 65000 ] || [ "$n" -gt 65535 ]; then
		no "pdf: description over 65,535 bytes (Subject is $n bytes)"
	elif ! grep -aq 'lastword</rdf:li>' "$O/test-book.pdf"; then
		no "pdf: description over 65,535 bytes (the XMP lost its end)"
	else
		ok "pdf: description over 65,535 bytes"
	fi
fi

# === 200,000 keywords =========================================================
# The Info dictionary's Keywords end at a whole keyword, with a warning.
mkbook "$B"
rm -rf "$O"
python3 -c 'print("keywords: [" + ", ".join("kw%d" % i for i in range(200000)) + "]")' >>"$B/book.yaml"
if expect 0 "pdf: 200,000 keywords" "$OCTAVO" build "$B" -o "$O" &&
	pdf_ok "pdf: 200,000 keywords"; then
	n=$(info Keywords)
	kw=$(python3 -c '
import re, sys
d = open(sys.argv[1], "rb").read()
m = re.search(rb"/Keywords \(((?:[^\\)]|\\.)*)\)", d)
print(m.group(1)[-12:].decode("latin-1") if m else "")' "$O/test-book.pdf")
	if ! printf '%s\n' "$out" | grep -q "^$B/book.yaml:8:11: warning: 'keywords' is too long for the PDF's document information"; then
		no "pdf: 200,000 keywords (no warning at its line)" "$out"
	elif [ "$n" -lt 65000 ] || [ "$n" -gt 65535 ]; then
		no "pdf: 200,000 keywords (Keywords is $n bytes)"
	elif ! printf '%s' "$kw" | grep -Eq ', kw[0-9]+$'; then
		no "pdf: 200,000 keywords (not cut after a whole keyword: '$kw')"
	else
		ok "pdf: 200,000 keywords"
	fi
fi

# === an 80 KB heading =========================================================
# Its bookmark is cut with a warning at the heading's line; the page sets
# the heading whole (its last word is on a page).
mkbook "$B"
rm -rf "$O"
python3 -c 'print("\n## " + "heading " * 10000 + "zz9end\n\nAfter it.")' >>"$B/one.md"
if expect 0 "pdf: 80 KB heading in the outline" "$OCTAVO" build "$B" -o "$O" &&
	pdf_ok "pdf: 80 KB heading in the outline"; then
	if ! printf '%s\n' "$out" | grep -q "^$B/one.md:8:1: warning: heading too long for the PDF's bookmarks (80006 characters, at most 65535): its bookmark is cut to "; then
		no "pdf: 80 KB heading in the outline (no warning at its line)" "$out"
	elif ! pdftotext "$O/test-book.pdf" - | grep -q zz9end; then
		no "pdf: 80 KB heading in the outline (the page lost the heading's end)"
	else
		ok "pdf: 80 KB heading in the outline"
	fi
fi

# === a book's and a part's title over libharu's string limit =================
# Both are in the Info dictionary or the outline: cut there with a warning
# at book.yaml's line and at the front matter's.
mkbook "$B"
rm -rf "$O"
sed -i '/^title:/d' "$B/book.yaml"
python3 -c 'print("slug: test-book\ntitle: " + "Title " * 12000 + "end")' >>"$B/book.yaml"
python3 -c 'print("---\ntitle: \"" + "Part " * 14000 + "p\"\n---\n\nText.")' >"$B/one.md"
if expect 0 "pdf: titles over 65,535 bytes" "$OCTAVO" build "$B" -o "$O" &&
	pdf_ok "pdf: titles over 65,535 bytes"; then
	w1="$B/book.yaml:8:8: warning: 'title' is too long for the PDF's document information (72003 characters, at most 65535): cut to 65532"
	w2="$B/book.yaml:8:8: warning: title too long for the PDF's bookmarks (72003 characters, at most 65535): its bookmark is cut to 65532"
	w3="$B/one.md:2:8: warning: title too long for the PDF's bookmarks (70001 characters, at most 65535): its bookmark is cut to 65535"
	miss=
	for w in "$w1" "$w2" "$w3"; do
		printf '%s\n' "$out" | grep -qxF -- "$w" || miss="$miss$w
"
	done
	if [ -z "$miss" ]; then ok "pdf: titles over 65,535 bytes"; else
		no "pdf: titles over 65,535 bytes" "missing:
$miss
got:
$out"; fi
fi

# === a URL over libharu's string limit ========================================
mkbook "$B"
rm -rf "$O"
python3 -c 'print("\nSee [the site](https://example.com/" + "a" * 70000 + ") here.")' >>"$B/one.md"
if expect 0 "pdf: link over 65,535 bytes" "$OCTAVO" build "$B" -o "$O" &&
	pdf_ok "pdf: link over 65,535 bytes"; then
	if printf '%s\n' "$out" | grep -q "^$B/one.md:8:6: warning: link too long for the PDF (70020 bytes, at most 65535): its text is not linked there"; then
		ok "pdf: link over 65,535 bytes"
	else
		no "pdf: link over 65,535 bytes (no warning at its line)" "$out"
	fi
fi

# === values no PDF can take: errors when the book is read ====================
mkbook "$B"
rm -rf "$O"
printf 'date: 2023-02-30\n' >>"$B/book.yaml"
if expect 1 "pdf: a date the calendar lacks" "$OCTAVO" build "$B" -o "$O"; then
	has "pdf: a date the calendar lacks" \
	    "$B/book.yaml:8:7: error: 'date' must be a date written YYYY-MM-DD, not '2023-02-30'"
fi
# ... and 29 February only in a leap year.
mkbook "$B"
printf 'revised: 2023-02-29\n' >>"$B/book.yaml"
if expect 1 "pdf: 29 February outside a leap year" "$OCTAVO" build "$B" -o "$O"; then
	want="$B/book.yaml:8:10: error: 'revised' must be a date written YYYY-MM-DD, not '2023-02-29'"
	if ! printf '%s\n' "$out" | grep -qxF -- "$want"; then
		no "pdf: 29 February outside a leap year" "want line: $want
got:
$out"
	else
		sed -i 's/^revised: .*/revised: 2024-02-29/' "$B/book.yaml"
		if expect 0 "pdf: 29 February outside a leap year (2024-02-29)" "$OCTAVO" build "$B" -o "$O" &&
			pdf_ok "pdf: 29 February outside a leap year (2024-02-29)"; then
			ok "pdf: 29 February outside a leap year"
		fi
	fi
fi

mkbook "$B"
rm -rf "$O"
sed -i '/^language:/d' "$B/book.yaml"
python3 -c 'print("language: en-" + "a" * 70000)' >>"$B/book.yaml"
if expect 1 "pdf: language tag over 65,535 bytes" "$OCTAVO" build "$B" -o "$O"; then
	contains "pdf: language tag over 65,535 bytes" "$B/book.yaml:7:11: error: 'en-aaaa"
fi

# A page of 200 in, the most a PDF page can be, leaves no room for bleed.
mkbook "$B"
sed -e 's#^  width: .*#  width: 14400pt#' -e 's#^  height: .*#  height: 14400pt#' \
    -e "s#\.\./#$ROOT/#" -e "s#: epub.css#: $ROOT/styles/epub.css#" \
    "$ROOT/styles/default.yaml" >"$B/big.yaml"
grep -q '^  crop-marks: true' "$B/big.yaml" || printf 'print:\n  bleed: 3mm\n  crop-marks: true\n' >>"$B/big.yaml"
printf 'style: big.yaml\n' >>"$B/book.yaml"
line=$(grep -n '^  bleed' "$B/big.yaml" | head -1 | cut -d: -f1)
if expect 1 "pdf: page with its bleed over 200 in" "$OCTAVO" build "$B" -o "$O"; then
	has "pdf: page with its bleed over 200 in" \
	    "$B/big.yaml:$line:3: error: page size 14400.0 x 14400.0 pt with its bleed and crop marks is over 200 in, the largest a PDF page can be"
fi

# === control characters in the metadata =======================================
# YAML's escapes give the book BEL, ESC, U+FFFE and U+FFFF, which XML 1.0
# forbids: the XMP packet, the OPF, the XHTML and the NCX stay well-formed,
# and the Info strings and bookmarks hold no control characters.
mkbook "$B"
rm -rf "$O"
sed -i '/^title:/d' "$B/book.yaml"
cat >>"$B/book.yaml" <<'YAML'
title: "Bell\a title \uFFFE & <x>"
slug: test-book
description: "Desc\x07ription \uFFFF with \x01 controls"
rights: "R\e[31m red"
creators:
  - name: "Ed\aitor \uFFFE"
    role: editor
YAML
printf -- '---\ntitle: "On\\ae \\uFFFE"\nauthor: "An\\x07 author \\uFFFE"\n---\n\nText.\n' >"$B/one.md"
if expect 0 "xml: control characters in the metadata" "$OCTAVO" build "$B" -o "$O" &&
	pdf_ok "xml: control characters in the metadata"; then
	msg=$(python3 - "$O/test-book.pdf" "$O/test-book.epub" "$T/x" <<'PY' 2>&1
import os, re, subprocess, sys, zipfile
pdf, epub, tmp = sys.argv[1:]
os.makedirs(tmp, exist_ok=True)
d = open(pdf, "rb").read()
m = re.search(rb"<\?xpacket begin.*?<\?xpacket end=\"r\"\?>", d, re.S)
if not m:
    sys.exit("no XMP packet")
files = [os.path.join(tmp, "xmp.xml")]
open(files[0], "wb").write(m.group(0))
z = zipfile.ZipFile(epub)
for n in z.namelist():
    if n.endswith((".opf", ".xhtml", ".ncx")):
        files.append(os.path.join(tmp, n.replace("/", "_")))
        open(files[-1], "wb").write(z.read(n))
r = subprocess.run(["xmllint", "--noout"] + files, capture_output=True, text=True)
if r.returncode:
    sys.exit(r.stderr[:2000])
# The Info dictionary and the outline, as qpdf reads them: no control
# characters left.
j = subprocess.run(["qpdf", "--json", pdf], capture_output=True, text=True).stdout
strings = re.findall(r'"(?:/Title|/Author|/Subject|/Rights|title)": "((?:[^"\\]|\\.)*)"', j)
for s in strings:
    if re.search(r"\\u00(0[0-8bcef]|1[0-9a-f]|7f)|\\u00[89][0-9a-f]|[\x00-\x08\x0b\x0c\x0e-\x1f]", s):
        sys.exit("control character in %r" % s)
if not any("Bell title" in s for s in strings):
    sys.exit("no title found in %r" % strings)
PY
)
	if [ $? -eq 0 ]; then ok "xml: control characters in the metadata"; else
		no "xml: control characters in the metadata" "$msg"; fi
fi

# === an image libharu refuses =================================================
# A JPEG of two components passed the book stage's old probe, and libharu
# refused it (HPDF_UNSUPPORTED_JPEG_FORMAT): the writer stopped with a NULL
# page. The book stage's check (libjpeg) now refuses it at the image's
# line, exit 1, before the PDF is begun; no crash.
mkbook "$B"
rm -rf "$O"
python3 - "$B/two.jpg" <<'PY'
import struct, sys
sof = bytes([8]) + struct.pack(">HH", 1, 1) + bytes([2, 1, 0x11, 0, 2, 0x11, 0])
sos = bytes([2, 1, 0, 2, 0, 0, 63, 0])
open(sys.argv[1], "wb").write(b"\xff\xd8\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof +
                              b"\xff\xda" + struct.pack(">H", len(sos) + 2) + sos +
                              b"\x00\x00\xff\xd9")
PY
printf '\n![A figure](two.jpg)\n\nAfter it.\n' >>"$B/one.md"
out=$("$OCTAVO" build "$B" -o "$O" 2>&1)
rc=$?
if crashed || [ "$rc" -ne 1 ]; then
	no "pdf: an image libharu refuses (exit $rc)" "$out"
else
	contains "pdf: an image libharu refuses" \
	    "$B/one.md:8:1: error: image 'two.jpg' is a JPEG of 2 colour components; PDF takes 1, 3 or 4"
fi

# === more pages than one /Kids array holds ====================================
# libharu's arrays hold 32,767 elements: a book of more pages (here one
# figure a page: a 1x3 pixel placeholder asked at the measure's width,
# since an image prints at its natural size unless asked) needs a page
# tree of more than one level.
mkbook "$B"
rm -rf "$O"
python3 - "$B" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
ihdr = struct.pack(">IIBBBBB", 1, 3, 8, 0, 0, 0, 0)
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
       chunk(b"IDAT", zlib.compress(b"\x00\x80" * 3)) + chunk(b"IEND", b""))
open(sys.argv[1] + "/images/tall.png", "wb").write(png)
with open(sys.argv[1] + "/one.md", "a") as f:
    f.write("\n![A tall figure](images/tall.png){width=100%}\n" * 32770)
PY
if expect 0 "pdf: over 32,767 pages" "$OCTAVO" build "$B" --pdf -o "$O" &&
	pdf_ok "pdf: over 32,767 pages"; then
	n=$(pdfinfo "$O/test-book.pdf" | sed -n 's/^Pages: *//p')
	if [ "${n:-0}" -gt 32767 ]; then ok "pdf: over 32,767 pages"; else
		no "pdf: over 32,767 pages (pdfinfo says ${n:-none})"; fi
fi

# === more images than one dictionary holds ====================================
# The pages share one /XObject dictionary, and libharu's hold 4,095
# entries: the 4,096th image file is an error at its line, not a crash.
mkbook "$B"
rm -rf "$O"
python3 - "$B" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
ihdr = struct.pack(">IIBBBBB", 1, 3, 8, 0, 0, 0, 0)
with open(sys.argv[1] + "/one.md", "a") as f:
    for i in range(4100):
        idat = zlib.compress(bytes([0, i % 256, 0, i // 256, 0, 7]))
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
        open("%s/images/i%d.png" % (sys.argv[1], i), "wb").write(png)
        f.write("\n![Figure %d](images/i%d.png)\n" % (i, i))
PY
out=$("$OCTAVO" build "$B" --pdf -o "$O" 2>&1)
rc=$?
if crashed || [ "$rc" -ne 1 ]; then
	no "pdf: more than 4,095 images (exit $rc)" "$out"
else
	contains "pdf: more than 4,095 images" \
	    "$B/one.md:8198:1: error: cannot put image 'images/i4095.png' into the PDF: more than 4,095 entries in one dictionary (libharu error 0x1007, detail 0)"
fi
