#!/bin/sh
# tests/cli.sh - the command line, end to end: each command's happy path
# and failure paths (exit status, file:line:col messages with the source
# line and caret), check's lint, watch rebuilding on a save, the revision
# report, reproducible and atomic builds, proof sheets, init, and
# make install / uninstall into a DESTDIR.
#
# Run by tests/run.sh with OCTAVO (the sanitizer build) and ROOT (the
# repository) set. Prints one line per check: "ok   ...", "FAIL ..." or
# "skip ... (reason)". Works in a mktemp -d directory and removes it.
WATCH_PID=
. "$ROOT/tests/lib.sh"
cleanup() {
	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	lib_cleanup
}
trap cleanup EXIT

# wait_for FILE PATTERN COUNT SECONDS: until FILE has COUNT lines matching
# PATTERN; fails after SECONDS.
wait_for() {
	i=0
	while [ "$i" -lt $(($4 * 5)) ]; do
		n=$(grep -c -- "$2" "$1" 2>/dev/null)
		[ "${n:-0}" -ge "$3" ] && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# --- usage ------------------------------------------------------------------
if expect 0 "--help" "$OCTAVO" --help; then
	case $out in
	*"Exit status:"*"1  errors in the manuscript"*"2  usage errors"*"3  I/O or internal failure"*)
		ok "--help documents the exit status" ;;
	*) no "--help documents the exit status" "$out" ;;
	esac
fi
expect 0 "--version" "$OCTAVO" --version &&
	if printf '%s\n' "$out" | grep -qE '^octavo [0-9]+\.[0-9]+'; then ok "--version"; else no "--version" "$out"; fi
expect 0 "help watch" "$OCTAVO" help watch && contains "help COMMAND" "usage: octavo watch"
expect 0 "build --help" "$OCTAVO" build --help && contains "COMMAND --help" "usage: octavo build"
expect 2 "no command" "$OCTAVO" && contains "no command: exit 2" "octavo: error: no command given"
expect 2 "unknown command" "$OCTAVO" frobnicate && contains "unknown command: exit 2" "unknown command 'frobnicate'"
expect 2 "unknown option" "$OCTAVO" build --frobnicate && contains "unknown option: exit 2" "--help"
expect 2 "option for another command" "$OCTAVO" check -o x && has "option for another command: exit 2" "octavo: error: -o/--output does not apply to 'check'"
expect 2 "--color=sometimes" "$OCTAVO" check --color=sometimes && contains "--color=WHEN is checked: exit 2" "--color takes auto, always or never"
expect 2 "extra argument" "$OCTAVO" build a b && contains "extra argument: exit 2" "unexpected argument 'b'"
expect 2 "init without a directory" "$OCTAVO" init && contains "init needs NEWDIR: exit 2" "init needs"
expect 2 "help on no command" "$OCTAVO" help nope && ok "help on an unknown command: exit 2"

# --- init -------------------------------------------------------------------
uuid_re='urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
if expect 0 "init NEWDIR" "$OCTAVO" init "$T/new"; then
	if [ -f "$T/new/book.yaml" ] && grep -qE "uuid: $uuid_re" "$T/new/book.yaml" &&
		grep -q '^style: default' "$T/new/book.yaml" && [ "$(ls "$T/new"/*.md | wc -l)" -ge 1 ]; then
		ok "init: book.yaml with a random UUID, style default, example parts"
	else no "init: skeleton" "$(ls -la "$T/new"; cat "$T/new/book.yaml")"; fi
	"$OCTAVO" init "$T/new2" -q
	u1=$(grep -oE "$uuid_re" "$T/new/book.yaml")
	u2=$(grep -oE "$uuid_re" "$T/new2/book.yaml")
	if [ -n "$u1" ] && [ "$u1" != "$u2" ]; then ok "init: a fresh UUID each time"; else no "init: a fresh UUID each time" "$u1 $u2"; fi
fi
expect 3 "init into a non-empty directory" "$OCTAVO" init "$T/new" &&
	contains "init refuses a non-empty directory: exit 3" "already exists and is not empty"
if expect 0 "init then build" "$OCTAVO" build "$T/new" -o "$T/new-out"; then
	slug=$(cd "$T/new-out" && ls *.pdf 2>/dev/null | sed 's/\.pdf$//')
	if [ -n "$slug" ] && [ -s "$T/new-out/$slug.epub" ] && [ -s "$T/new-out/.$slug.pages" ] &&
		[ ! -e "$T/new-out/$slug.changes.txt" ]; then
		ok "init then build: PDF, EPUB and page record (no revision report yet)"
	else no "init then build: files" "$(ls -la "$T/new-out")"; fi
	if printf '%s\n' "$out" | tail -1 | grep -qE "^octavo: wrote .*\.pdf, .*\.epub: [0-9]+ pages in [0-9]+ ms(, [0-9]+ warnings?)?$"; then
		ok "build ends with a one-line summary (files, pages, time)"
	else no "build summary" "$out"; fi
fi
expect 0 "init then check" "$OCTAVO" check "$T/new" && contains "check on a new book: no errors" ": 0 errors"

# --- diagnostics at the source ------------------------------------------------
B=$T/b
mkbook "$B"
printf -- '---\ntitle: "Two\n---\n\nText.\n' >"$B/two.md"
if expect 1 "a manuscript error exits 1" "$OCTAVO" build "$B" -o "$T/bo"; then
	has "diagnostic: file:line:col first" "$B/two.md:2:8: error: quoted text is never closed"
	has "diagnostic: the source line" '    2 | title: "Two'
	has "diagnostic: a caret under the column" '      |        ^'
	has "diagnostic: nothing written" "octavo: 1 error; nothing written"
fi
mkbook "$B"
printf -- '---\ntitle: "Two"\nauthor: "A"\n---\n\nA\tword  here.\n' >"$B/two.md"
if expect 0 "check: a warning exits 0" "$OCTAVO" check "$B"; then
	has "caret: tabs expanded (message)" "$B/two.md:6:7: warning: 2 spaces between words"
	has "caret: tabs expanded (source)" "    6 | A       word  here."
	has "caret: tabs expanded (caret)" "      |             ^"
fi
expect 0 "--color=always" "$OCTAVO" check "$B" --color=always &&
	if printf '%s\n' "$out" | grep -q "$(printf '\033')\["; then ok "--color=always colours"; else no "--color=always colours" "$out"; fi
expect 0 "--color=auto" "$OCTAVO" check "$B" &&
	if printf '%s\n' "$out" | grep -q "$(printf '\033')"; then no "no colour off a terminal" "$out"; else ok "no colour off a terminal"; fi
expect 0 "-q" "$OCTAVO" check "$B" -q &&
	if printf '%s\n' "$out" | grep -q "warning:"; then no "-q keeps warnings quiet" "$out"; else ok "-q keeps warnings quiet"; fi

# check: every kind of problem, all at once.
C=$T/c
mkbook "$C"
cat >"$C/book.yaml" <<'YAML'
title: Test Book
subtitle: The editor's book
language: en-GB
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-555555555555
parts:
  - one.md
  - two.md
YAML
cat >"$C/one.md" <<'MD'
---
title: "One"
author: "An author"
---

First essay text with a note.[^a] And a missing one [^9] too.

#### Too deep

See [the second](two.md#nowhere), [nothing](#no-such-id) and [more](three.md).

    code with a 🙂 in it

![A picture](big.png)

[^a]: The note.

[^unused]: Nobody cites this one.
MD
# A white PNG of 5000 x 10 pixels.
python3 - "$C/big.png" <<'PY'
import struct, sys, zlib
def chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
raw = (b'\0' + b'\xff' * 15000) * 10
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 5000, 10, 8, 2, 0, 0, 0))
                              + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
printf -- '---\ntitle: "Stray"\n---\n\nNot listed.\n' >"$C/stray.md"
printf '# About this manuscript\n' >"$C/README.md"
before=$(ls -la "$C"; ls -a .)
if expect 1 "check: errors exit 1" "$OCTAVO" check "$C"; then
	has "check: footnote reference without a note" "$C/one.md:6:53: error: footnote reference '[^9]' has no note"
	has "check: note never referenced" "$C/one.md:18:1: warning: note '[^unused]' is never referenced, so it is left out"
	has "check: heading skips a level" "$C/one.md:8:1: warning: heading level 4 follows level 1, skipping a level"
	has "check: anchor missing in a part" "$C/one.md:10:6: warning: link 'two.md#nowhere': 'two.md' has no heading 'nowhere'; it leads to the part's start"
	has "check: anchor missing in the book" "$C/one.md:10:36: warning: link '#no-such-id' leads to no heading of this part; the editions keep only its text"
	has "check: link to no part" "$C/one.md:10:63: warning: link 'three.md' leads to no part of the book; the EPUB keeps only its text"
	# (an emoji: the default fallback fonts, DejaVu and Droid, have a snowman)
	has "check: a character the fonts lack" "$C/one.md:12:17: warning: the monospaced face has no glyph for '🙂' (U+1F642); it is printed as a hollow box"
	has "check: image too large" "$C/one.md:14:1: warning: image 'big.png' is 5000 x 10 pixels; over 4000 a side is more than print or screen needs"
	has "check: part not in book.yaml" "$C/stray.md: warning: part is in the manuscript but not in book.yaml"
	# book.yaml's strings get smart punctuation as the Markdown does: "editor's" is no finding.
	if printf '%s\n' "$out" | grep -q "book.yaml:2:.*straight"; then no "check: book.yaml's quotes are made curly, not reported" "$out"; else ok "check: book.yaml's quotes are made curly, not reported"; fi
	contains "check: missing metadata" "$C/book.yaml: warning: book.yaml gives no 'publisher'"
	if printf '%s\n' "$out" | grep -q "README.md"; then no "check: README.md is not a part" "$out"; else ok "check: README.md is not a part"; fi
fi
if [ "$before" = "$(ls -la "$C"; ls -a .)" ] && [ ! -e "$C/out" ]; then ok "check writes nothing"; else no "check writes nothing"; fi
M=$T/m
cp -r "$ROOT/manuscript" "$M"
expect 0 "check on the real manuscript" "$OCTAVO" check "$M" &&
	contains "check on the real manuscript: no errors" ": 0 errors"

# --- build ------------------------------------------------------------------
mkbook "$B"
expect 0 "build --pdf" "$OCTAVO" build "$B" -o "$T/p1" --pdf &&
	if [ -s "$T/p1/test-book.pdf" ] && [ ! -e "$T/p1/test-book.epub" ]; then ok "build --pdf: the PDF only"; else no "build --pdf" "$(ls -la "$T/p1")"; fi
expect 0 "build --epub" "$OCTAVO" build "$B" -o "$T/e1" --epub --no-page-list &&
	if [ -s "$T/e1/test-book.epub" ] && [ ! -e "$T/e1/test-book.pdf" ]; then ok "build --epub --no-page-list: the EPUB only"; else no "build --epub" "$(ls -la "$T/e1")"; fi
expect 0 "build -v" "$OCTAVO" build "$B" -o "$T/v1" -v && contains "-v: a line per stage off a terminal" "octavo: read 2 parts ("
expect 0 "build off a terminal: no progress line" "$OCTAVO" build "$B" -o "$T/v2" &&
	if printf '%s' "$out" | grep -q "$(printf '\r')"; then no "no progress off a terminal" "$out"; else ok "no progress off a terminal"; fi
: >"$T/afile"
expect 3 "-o naming a file" "$OCTAVO" build "$B" -o "$T/afile" && contains "-o naming a file: exit 3" "output path exists and is not a directory"
mkbook "$B"
sed -i 's/^title: Test Book/title: Test Book\nslug: ..\/escape/' "$B/book.yaml"
expect 1 "a slug with a path" "$OCTAVO" build "$B" -o "$T/sl" &&
	if [ ! -e "$T/escape.pdf" ] && [ ! -e "$T/sl" ]; then ok "no file outside the output directory"; else no "no file outside the output directory"; fi

# Reproducible: two builds, byte for byte.
mkbook "$B"
if SOURCE_DATE_EPOCH=1700000000 "$OCTAVO" build "$B" -o "$T/r1" -q && SOURCE_DATE_EPOCH=1700000000 "$OCTAVO" build "$B" -o "$T/r2" -q &&
	cmp -s "$T/r1/test-book.pdf" "$T/r2/test-book.pdf" && cmp -s "$T/r1/test-book.epub" "$T/r2/test-book.epub"; then
	ok "two builds with SOURCE_DATE_EPOCH are byte-identical"
else no "two builds with SOURCE_DATE_EPOCH are byte-identical"; fi

# Atomic: a failed build leaves the previous edition, every file of it.
A=$T/a
mkbook "$B"
"$OCTAVO" build "$B" -o "$A" -q
"$OCTAVO" build "$B" -o "$A" -q # a second build: a revision report too
mkdir -p "$T/good" && cp -p "$A"/* "$A"/.test-book.pages "$T/good/"
same_edition() {
	for f in test-book.pdf test-book.epub test-book.changes.txt .test-book.pages; do
		cmp -s "$A/$f" "$T/good/$f" || return 1
	done
	# no temporary files left behind (the EPUB's cut fonts and deflated
	# entries, the PDF's deflated streams, the compiled patterns and the
	# layout's page marks and the shaped words, kept from the good builds,
	# may be there, as may the folder's lock and manifest)
	[ "$(ls -A "$A" | grep -Evc '^\.test-book\.(font-[0-9]*|cover-png|deflated|pdf-streams|patterns|marks|shapes|hyph|lock|edition)$')" -eq 4 ]
}
printf -- '---\ntitle: "Two"\n---\n\nSecond \377 text.\n' >"$B/two.md"
expect 1 "an invalid essay after a good build" "$OCTAVO" build "$B" -o "$A" &&
	if same_edition; then ok "an invalid essay leaves the edition untouched"; else no "an invalid essay leaves the edition untouched" "$(ls -la "$A")"; fi
mkbook "$B"
cp "$ROOT/styles/default.yaml" "$B/style.yaml"
sed -i "s|\.\./fonts/|$ROOT/fonts/|; s|^  css: .*|  css: book.css|" "$B/style.yaml"
sed -i 's/^parts:/style: style.yaml\nparts:/' "$B/book.yaml"
ln -s "$T/no-such.css" "$B/book.css"
expect 1 "the style's stylesheet unreadable" "$OCTAVO" build "$B" -o "$A" &&
	if same_edition; then ok "an unreadable stylesheet leaves the edition untouched"; else no "an unreadable stylesheet leaves the edition untouched" "$out"; fi
# Midway: one edition is written, the other fails (a file size limit
# between the two files' sizes lets the smaller through but not the
# larger); neither may replace the old.
mkbook "$B"
printf '\nA new paragraph.\n' >>"$B/one.md"
pdf_size=$(wc -c <"$A/test-book.pdf")
epub_size=$(wc -c <"$A/test-book.epub")
limit=$(((pdf_size + epub_size) / 2 / 512))
out=$( (trap '' XFSZ; ulimit -f "$limit"; "$OCTAVO" build "$B" -o "$A") 2>&1)
rc=$?
if [ $rc -eq 3 ] && same_edition; then ok "a build failing midway leaves the whole edition untouched"
else no "a build failing midway leaves the whole edition untouched (exit $rc)" "$out
$(ls -la "$A")"; fi

# --- revision report ----------------------------------------------------------
R=$T/rv
if "$OCTAVO" build "$M" -o "$R" --pdf -q; then
	# One letter of one paragraph of essay 05: a long paragraph line.
	f=$(ls "$M"/05-*.md)
	n=$(awk 'NR > 8 && length($0) > 300 && /^[A-Z]/ && / and / { print NR; exit }' "$f")
	sed -i "${n}s/ and / aud /" "$f"
	expect 0 "rebuild after editing one paragraph" "$OCTAVO" build "$M" -o "$R" --pdf
	summary=$(sed -n 3p "$R/civil-dialogue.changes.txt")
	want_pages=$("$OCTAVO" report "$M" --lines 2>/dev/null | awk -F'\t' -v f="$f:$n" '$1 == f { sub(/^p\./, "", $2); print $2 }' | sort -u)
	got_pages=$(awk -F'\t' 'NR > 5 && NF == 4 { print $2 }' "$R/civil-dialogue.changes.txt" | sort -u)
	got_parts=$(awk -F'\t' 'NR > 5 && NF == 4 { print $3 }' "$R/civil-dialogue.changes.txt" | sort -u)
	if printf '%s\n' "$summary" | grep -qE '^pages? [0-9, -]+ changed; essays affected: 05$' &&
		[ -n "$got_pages" ] && [ -z "$(printf '%s\n' "$got_pages" | grep -vxF "$want_pages")" ] &&
		[ "$got_parts" = "$(basename "$f")" ]; then
		ok "revision report: the edited essay's pages, and only them ($summary)"
	else no "revision report names the right pages" "summary: $summary
pages of the paragraph: $want_pages
changed: $got_pages
parts: $got_parts
$(cat "$R/civil-dialogue.changes.txt")"; fi
	contains "revision report on stderr too" "octavo: since the last build: $summary"
else no "revision report: first build"; fi

# --- report ------------------------------------------------------------------
mkbook "$B"
expect 0 "report" "$OCTAVO" report "$B" && contains "report: the typographic report" "overfull lines"
expect 0 "report --lines" "$OCTAVO" report "$B" --lines &&
	if printf '%s\n' "$out" | grep -q "^$B/one.md:6	p\.1	"; then ok "report --lines: source, page, ratio"; else no "report --lines" "$out"; fi

# --- watch -------------------------------------------------------------------
W=$T/w
mkbook "$W"
"$OCTAVO" watch "$W" -o "$T/wo" >"$T/watch.log" 2>&1 &
WATCH_PID=$!
if wait_for "$T/watch.log" '] built' 1 20; then
	ok "watch: builds at once"
	cp "$T/wo/test-book.pdf" "$T/w1.pdf"
	printf '\nA paragraph added while watching.\n' >>"$W/two.md"
	if wait_for "$T/watch.log" '] built' 2 10; then
		if cmp -s "$T/wo/test-book.pdf" "$T/w1.pdf"; then no "watch: the rebuild changed the PDF"
		else ok "watch: rebuilds on a save, one line per build"; fi
	else no "watch: no rebuild within 10 s of a save" "$(cat "$T/watch.log")"; fi
	cp "$T/wo/test-book.pdf" "$T/w2.pdf"
	printf -- '---\ntitle: "Two\n---\n\nBroken.\n' >"$W/two.md"
	if wait_for "$T/watch.log" 'build failed' 1 10 && grep -qxF "$W/two.md:2:8: error: quoted text is never closed" "$T/watch.log" &&
		cmp -s "$T/wo/test-book.pdf" "$T/w2.pdf"; then
		ok "watch: a broken save shows its errors and keeps the last good edition"
	else no "watch: a broken save" "$(cat "$T/watch.log")"; fi
	kill -INT "$WATCH_PID"
	wait "$WATCH_PID"
	rc=$?
	WATCH_PID=
	if [ $rc -eq 0 ] && grep -q "stopped watching" "$T/watch.log"; then ok "watch: exits cleanly on SIGINT"
	else no "watch: SIGINT (exit $rc)" "$(cat "$T/watch.log")"; fi
else
	no "watch: no first build within 20 s" "$(cat "$T/watch.log")"
fi

# --- proof -------------------------------------------------------------------
mkbook "$B"
if command -v pdftoppm >/dev/null 2>&1; then
	if expect 0 "proof" "$OCTAVO" proof "$B" -o "$T/pr" --pages; then
		if python3 - "$T/pr/test-book-proof.png" <<'PY'; then
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat = 8, b''
while pos < len(d):
    n, = struct.unpack('>I', d[pos:pos + 4])
    kind, body = d[pos + 4:pos + 8], d[pos + 8:pos + 8 + n]
    assert zlib.crc32(kind + body) == struct.unpack('>I', d[pos + 8 + n:pos + 12 + n])[0]
    if kind == b'IHDR':
        w, h = struct.unpack('>II', body[:8])
    idat += body if kind == b'IDAT' else b''
    pos += 12 + n
assert len(zlib.decompress(idat)) == (w * 3 + 1) * h and w > 100 and h > 100
PY
			ok "proof: a valid PNG contact sheet"
		else no "proof: PNG" "$(ls -la "$T/pr")"; fi
		pages=$(pdfinfo "$T/pr/test-book.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
		if [ -n "$pages" ] && [ "$(ls "$T/pr"/test-book-page-*.png | wc -l)" -eq "$pages" ]; then
			ok "proof --pages: one PNG per page"
		else no "proof --pages" "$(ls "$T/pr")"; fi
		if ls -A "$T/pr" | grep -q proof-; then no "proof: scratch files removed" "$(ls -A "$T/pr")"; else ok "proof: scratch files removed"; fi
	fi
else
	skip "proof (pdftoppm not installed)"
fi
mkdir -p "$T/nobin"
expect 3 "proof without pdftoppm" env PATH="$T/nobin" "$OCTAVO" proof "$B" -o "$T/pr2" &&
	contains "proof without pdftoppm: exit 3 and a hint" "hint: it comes with poppler: apt-get install poppler-utils"

# --- packaging ---------------------------------------------------------------
if command -v groff >/dev/null 2>&1; then
	if w=$(groff -man -ww -z "$ROOT/octavo.1" 2>&1) && [ -z "$w" ]; then ok "octavo.1: groff -man finds no problems"
	else no "octavo.1: groff -man" "$w"; fi
else skip "octavo.1 (groff not installed)"; fi
if command -v bash >/dev/null 2>&1; then
	got=$(bash -c '. "$1"; COMP_WORDS=(octavo build --pd); COMP_CWORD=2; _octavo; echo "${COMPREPLY[*]}"' _ "$ROOT/completion/octavo.bash" 2>&1)
	if [ "$got" = "--pdf" ]; then ok "bash completion: build --pd -> --pdf"; else no "bash completion" "$got"; fi
else skip "bash completion (no bash)"; fi
if [ -x "$ROOT/bin/octavo" ] && command -v make >/dev/null 2>&1; then
	D=$T/dest
	if out=$(make -s -C "$ROOT" -o bin/octavo install DESTDIR="$D" PREFIX=/usr 2>&1) &&
		[ -x "$D/usr/bin/octavo" ] && [ -f "$D/usr/share/man/man1/octavo.1" ] &&
		[ -f "$D/usr/share/bash-completion/completions/octavo" ] &&
		[ -f "$D/usr/share/octavo/styles/default.yaml" ] && [ -n "$(ls "$D/usr/share/octavo/fonts")" ]; then
		ok "make install DESTDIR PREFIX: program, data, man page, completion"
		mkbook "$T/ib"
		if out=$(OCTAVO_DATADIR= "$D/usr/bin/octavo" build "$T/ib" -o "$T/ibo" 2>&1); then
			ok "installed octavo finds its styles and fonts"
		else no "installed octavo finds its styles and fonts" "$out"; fi
		if out=$(make -s -C "$ROOT" uninstall DESTDIR="$D" PREFIX=/usr 2>&1) && [ -z "$(find "$D" -type f)" ]; then
			ok "make uninstall removes every file"
		else no "make uninstall" "$out
$(find "$D" -type f)"; fi
	else no "make install" "$out"; fi
else
	skip "make install (bin/octavo not built)"
fi
