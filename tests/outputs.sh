#!/bin/sh
# tests/outputs.sh - the output folder: no build removes or overwrites a
# file the book reads, an edition is put in place as one unit (a killed,
# failed or concurrent build never leaves a PDF of one build beside the
# EPUB of another), killed builds leave no litter for long, names fit the
# file system, and watch follows a manuscript folder replaced by rename.
#
#   OCTAVO=build/san/octavo ROOT=. sh tests/outputs.sh
. "$ROOT/tests/lib.sh"

B=$T/b
O=$T/o
# LeakSanitizer cannot run under ptrace: leaks are checked in the other runs.
traced() { ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -qq -o /dev/null "$@"; }

# version N: the small book, its first essay marked "Marker vN".
version() {
	mkbook "$B"
	printf '\nMarker v%s here.\n' "$1" >>"$B/one.md"
}
# marks DIR: the versions the PDF and the EPUB of DIR were built from,
# as "pdf=N epub=N".
marks() {
	p=$(pdftotext "$1/test-book.pdf" - 2>/dev/null | grep -o 'Marker v[0-9]*' | head -1)
	e=$(unzip -p "$1/test-book.epub" '*.xhtml' 2>/dev/null | grep -o 'Marker v[0-9]*' | head -1)
	echo "pdf=${p#Marker v} epub=${e#Marker v}"
}
# manifest_ok DIR: DIR/.test-book.edition lists every file of the edition
# with the size and FNV-1a hash it has now, and no journal is pending.
manifest_ok() {
	[ ! -e "$1/.test-book.journal" ] && python3 - "$1" <<'PY'
import os, sys
d = sys.argv[1]
lines = open(os.path.join(d, ".test-book.edition")).read().splitlines()
assert lines[0] == "# octavo edition 1", lines[0]
names = set()
for line in lines[1:]:
    if line.startswith("#"):
        continue
    name, size, want = line.split("\t")
    data = open(os.path.join(d, name), "rb").read()
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) % 2**64
    assert len(data) == int(size) and "%016x" % h == want, name
    names.add(name)
assert {"test-book.pdf", "test-book.epub"} <= names, names
PY
}
# litter DIR: octavo's temporaries left in DIR (none is the answer).
litter() {
	ls -A "$1" | grep -E '\.(new|old|tmp)-[0-9]+' || true
}
# whole NAME DIR VERSION: the edition in DIR is complete, from VERSION.
whole() {
	m=$(marks "$2")
	if [ "$m" != "pdf=$3 epub=$3" ]; then
		no "$1 (mixed edition: $m, want v$3)" "$(ls -la "$2")"
	elif ! manifest_ok "$2" >"$T/manifest.err" 2>&1; then
		no "$1 (the manifest does not match the files)" "$(cat "$T/manifest.err"; ls -la "$2")"
	elif [ -n "$(litter "$2")" ]; then
		no "$1 (temporaries left behind)" "$(litter "$2")"
	else
		ok "$1"
	fi
}

# === 4: an output folder holding the book's own files =======================
# With -o the manuscript folder, a part named like the revision report was
# deleted by the first build (no earlier record) and overwritten by later
# ones.
version 1
printf -- '---\ntitle: "Notes"\n---\n\nNotes kept in a file named like the report.\n' \
	>"$B/test-book.changes.txt"
printf '  - test-book.changes.txt\n' >>"$B/book.yaml"
cp "$B/test-book.changes.txt" "$T/part.txt"
if expect 1 "-o the manuscript folder, a part named SLUG.changes.txt (exit)" "$OCTAVO" build "$B" -o "$B"; then
	if ! cmp -s "$B/test-book.changes.txt" "$T/part.txt"; then
		no "-o the manuscript folder: the part named SLUG.changes.txt survives" "$(ls -la "$B")"
	elif [ -e "$B/test-book.pdf" ] || [ -e "$B/test-book.epub" ]; then
		no "-o the manuscript folder: refused before writing anything" "$(ls -la "$B")"
	else
		has "-o the manuscript folder: refused with a clear message at the part's line" \
			"$B/book.yaml:8:5: error: part 'test-book.changes.txt' is a file the build writes in the output folder '$B'"
	fi
fi
# The same folder is fine when nothing in it clashes.
version 1
expect 0 "-o the manuscript folder, nothing clashing" "$OCTAVO" build "$B" -o "$B" -q &&
	if [ -f "$B/test-book.pdf" ] && [ -f "$B/one.md" ]; then ok "-o the manuscript folder builds when nothing clashes"
	else no "-o the manuscript folder builds when nothing clashes" "$(ls -la "$B")"; fi

# === 5, 6: killed in the middle of putting the edition in place ===============
# strace's 'inject=rename:signal=KILL:when=N' kills the build at its Nth
# rename (counted per thread). Whatever N, a reader of the folder can tell a
# complete edition (no journal pending and the manifest matching), the next
# build to start finishes or undoes what the killed one began before it does
# anything else, and the next to finish leaves one whole edition and no
# temporaries.
if command -v strace >/dev/null 2>&1 && strace -f -qq -o /dev/null true 2>/dev/null; then
	bad=""
	for n in 1 2 3 4 5 6 7 8; do
		version 1
		rm -rf "$O"
		"$OCTAVO" build "$B" -o "$O" -q && "$OCTAVO" build "$B" -o "$O" -q || bad="$bad
first builds failed"
		version 2
		traced -e trace=rename -e inject=rename:signal=KILL:when=$n \
			"$OCTAVO" build "$B" -o "$O" -q >/dev/null 2>&1
		rc=$?
		# A reader right after the kill: a journal says the edition is
		# being replaced; without one, the manifest is the truth.
		if [ ! -e "$O/.test-book.journal" ] && ! manifest_ok "$O" >/dev/null 2>&1; then
			bad="$bad
killed at rename $n (exit $rc): no journal, and the manifest does not match: $(marks "$O")"
		fi
		# The next build starts (and is killed once it has taken the lock
		# and looked at the folder): the edition is whole again.
		version 3
		traced -e trace=getdents64 -e inject=getdents64:signal=KILL:when=1 \
			"$OCTAVO" build "$B" -o "$O" -q >/dev/null 2>&1
		m=$(marks "$O")
		if [ "$m" != "pdf=1 epub=1" ] && [ "$m" != "pdf=2 epub=2" ]; then
			bad="$bad
killed at rename $n, then the next build started: edition $m, want v1 or v2 whole"
		elif ! manifest_ok "$O" >"$T/manifest.err" 2>&1; then
			bad="$bad
killed at rename $n, then the next build started: manifest $(tail -1 "$T/manifest.err")"
		fi
		out=$("$OCTAVO" build "$B" -o "$O" 2>&1)
		rc=$?
		m=$(marks "$O")
		if [ $rc -ne 0 ] || crashed || [ "$m" != "pdf=3 epub=3" ] || ! manifest_ok "$O" >/dev/null 2>&1 ||
			[ -n "$(litter "$O")" ]; then
			bad="$bad
killed at rename $n, then a whole build (exit $rc): $m; litter: $(litter "$O" | tr '\n' ' ')$out"
		fi
	done
	if [ -z "$bad" ]; then ok "a build killed at any rename: the next build repairs the edition and removes the litter"
	else no "a build killed at any rename leaves a mixed edition or litter" "$bad"; fi

	# Killed between the PDF and the EPUB, and the next build cannot finish
	# the renames (its first fails): it puts the previous edition back.
	version 1
	rm -rf "$O"
	"$OCTAVO" build "$B" -o "$O" -q && "$OCTAVO" build "$B" -o "$O" -q
	version 2
	# On one thread (as any book under the threads' threshold), its
	# renames in one count: the PDF's and the EPUB's temporaries, the
	# journal, the PDF, the EPUB - killed at the EPUB's.
	OCTAVO_JOBS=1 traced -e trace=rename -e inject=rename:signal=KILL:when=5 \
		"$OCTAVO" build "$B" -o "$O" -q >/dev/null 2>&1
	m1=$(marks "$O")
	[ -e "$O/.test-book.journal" ] && m1="$m1 journal"
	version 3
	out=$(traced -e trace=rename,getdents64 -e inject=rename:error=EIO:when=1 \
		-e inject=getdents64:signal=KILL:when=1 "$OCTAVO" build "$B" -o "$O" 2>&1)
	if [ "$m1" != "pdf=2 epub=1 journal" ]; then
		no "a killed build's edition that cannot be finished is undone (the kill left $m1)" "$(ls -A "$O")"
	elif ! printf '%s\n' "$out" | grep -q "warning: cannot finish the edition an interrupted build began: Input/output error"; then
		no "a killed build's edition that cannot be finished is undone (no warning)" "$out"
	else
		whole "a killed build's edition that cannot be finished is undone: the previous one, whole" "$O" 1
	fi

	# A rename that fails at any point: the previous edition, byte for byte.
	bad=""
	for n in 1 2 3 4 5 6 7; do
		version 1
		rm -rf "$O" "$T/good"
		"$OCTAVO" build "$B" -o "$O" -q && "$OCTAVO" build "$B" -o "$O" -q
		cp -a "$O" "$T/good"
		version 2
		out=$(traced -e trace=rename -e inject=rename:error=EIO:when=$n \
			"$OCTAVO" build "$B" -o "$O" 2>&1)
		rc=$?
		if crashed; then
			bad="$bad
rename $n failing: crashed $out"
		elif [ $rc -eq 0 ]; then
			# this rename was not one the build needed (a cache), or
			# there are fewer renames than n: the new edition is whole
			m=$(marks "$O")
			[ "$m" = "pdf=2 epub=2" ] && manifest_ok "$O" >/dev/null 2>&1 || bad="$bad
rename $n failing, exit 0: $m"
		elif [ $rc -ne 3 ] || ! diff -r "$O" "$T/good" >/dev/null 2>&1; then
			bad="$bad
rename $n failing (exit $rc): $(diff -r "$O" "$T/good" 2>&1 | head -5)
$out"
		fi
	done
	if [ -z "$bad" ]; then ok "a rename failing at any point leaves the previous edition byte for byte (exit 3)"
	else no "a rename failing part-way leaves part of a new edition" "$bad"; fi

	# Two builds into one folder, the first stalled in the middle of its
	# renames (after the PDF, before the EPUB): the second waits, and the
	# folder ends with one build's edition, whole.
	version 1
	rm -rf "$O"
	"$OCTAVO" build "$B" -o "$O" -q
	cp "$O/test-book.pdf" "$T/v1.pdf"
	version 2
	cp -r "$B" "$T/b2"
	# Stalled at the PDF's and the EPUB's renames (one thread, as above).
	OCTAVO_JOBS=1 traced -e trace=rename -e inject=rename:delay_enter=3000000:when=4..5 \
		"$OCTAVO" build "$T/b2" -o "$O" -q >"$T/a.log" 2>&1 &
	A=$!
	i=0
	while cmp -s "$O/test-book.pdf" "$T/v1.pdf" && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	version 3
	"$OCTAVO" build "$B" -o "$O" >"$T/b.log" 2>&1
	rcb=$?
	wait $A
	rca=$?
	m=$(marks "$O")
	if [ $rca -ne 0 ] || [ $rcb -ne 0 ]; then
		no "two builds into one folder (exit $rca and $rcb)" "$(cat "$T/a.log" "$T/b.log")"
	else
		whole "two builds into one folder, one stalled mid-way, never mix" "$O" 3
		out=$(cat "$T/b.log")
		contains "two builds into one folder: the second says it waits" "octavo: waiting for another build"
	fi

	# The wait is bounded: a build that holds the folder too long makes
	# the next fail, saying why, rather than hang.
	version 1
	traced -e trace=rename -e inject=rename:delay_enter=4000000:when=1 \
		"$OCTAVO" build "$B" -o "$O" -q >"$T/a.log" 2>&1 &
	A=$!
	sleep 1.5
	version 4
	out=$(OCTAVO_LOCK_WAIT=1 "$OCTAVO" build "$B" -o "$O" 2>&1)
	rc=$?
	wait $A
	if [ $rc -ne 3 ] || crashed; then
		no "a build waits a bounded time for another (exit $rc, want 3)" "$out"
	else
		contains "a build waits a bounded time for another, then says which holds the folder" "is still writing here after 1 s"
	fi
	whole "after a build gave up waiting, the other's edition is whole" "$O" 1
else
	skip "strace cannot trace here: the killed and concurrent build cases"
fi

# === 6: litter, and only litter, is removed ===================================
version 1
rm -rf "$O"
"$OCTAVO" build "$B" -o "$O" -q
gone=$(sh -c 'echo $$') # a pid no process has now
printf 'half a PDF' >"$O/.test-book.pdf.new-$gone.tmp-$gone"
printf 'an EPUB' >"$O/.test-book.epub.new-$gone"
printf 'old' >"$O/.test-book.pdf.old-$gone"
printf 'report' >"$O/test-book.changes.txt.tmp-$gone"
mkdir "$O/.test-book.proof.tmp-$gone" && printf 'P6' >"$O/.test-book.proof.tmp-$gone/s-1.ppm"
printf 'alive' >"$O/.test-book.pdf.new-$$"        # a build still running
printf 'mine' >"$O/test-book.notes.new-$gone"      # not a name octavo makes
printf 'other' >"$O/.other-book.pdf.new-$gone"    # another book's
"$OCTAVO" build "$B" -o "$O" -q
left=$(ls -A "$O" | grep -E '\.(new|old|tmp)-[0-9]+' | sort | tr '\n' ' ')
want=$(printf '%s\n' ".test-book.pdf.new-$$" "test-book.notes.new-$gone" ".other-book.pdf.new-$gone" | sort | tr '\n' ' ')
if [ "$left" = "$want" ]; then ok "the next build removes killed builds' temporaries, and only those"
else no "the next build removes killed builds' temporaries, and only those" "left: $left
want: $want"; fi

# === 5: a failed EPUB rename =================================================
version 1
rm -rf "$O"
"$OCTAVO" build "$B" -o "$O" -q
cp "$O/test-book.pdf" "$T/v1.pdf"
rm "$O/test-book.epub"
mkdir "$O/test-book.epub" && : >"$O/test-book.epub/x"
version 2
if expect 3 "the EPUB's place is a folder (exit)" "$OCTAVO" build "$B" -o "$O"; then
	if ! cmp -s "$O/test-book.pdf" "$T/v1.pdf"; then
		no "the EPUB's place is a folder: the previous PDF is left untouched" "$out"
	elif [ -n "$(litter "$O")" ]; then
		no "the EPUB's place is a folder: no temporaries left" "$(litter "$O")"
	else
		contains "the EPUB's place is a folder: a clear error, the previous PDF untouched" \
			"test-book.epub: error: cannot put the new edition in place: Is a directory"
	fi
fi

# === 14: names too long for the file system ==================================
long=$(printf 'a%.0s' $(seq 240))
version 1
sed -i "s/^parts:/slug: $long\nparts:/" "$B/book.yaml"
expect 1 "a 240-character slug (exit)" "$OCTAVO" build "$B" -o "$O" &&
	has "a 240-character slug is an error at its line in book.yaml" \
		"$B/book.yaml:5:7: error: 'slug' is 240 bytes long: at most 200 fit in the names of the files octavo writes"
max=$(printf 'b%.0s' $(seq 200))
version 1
sed -i "s/^parts:/slug: $max\nparts:/" "$B/book.yaml"
rm -rf "$O"
expect 0 "a 200-character slug builds" "$OCTAVO" build "$B" -o "$O" -q &&
	if [ -f "$O/$max.pdf" ] && [ -f "$O/$max.epub" ]; then ok "a 200-character slug: every file written"
	else no "a 200-character slug: every file written" "$(ls -A "$O")"; fi

# === names from titles in any language ========================================
# A title's letters with marks lose them ("ü" -> "u"), letters of other
# scripts stay as they are ("й" is not "и"); a slug the book gives may hold
# them too. Before: "Prüfbuch für Zeilen" -> pr-fbuch-f-r-zeilen, and a
# Cyrillic title -> book.
# slug_of TITLE NAME: the book titled TITLE writes NAME.pdf and NAME.epub.
slug_of() {
	mkbook "$T/sl"
	sed -i "s/^title: Test Book/title: $1/" "$T/sl/book.yaml"
	rm -rf "$T/slo"
	expect 0 "the title '$1' builds" "$OCTAVO" build "$T/sl" -o "$T/slo" -q || return 0
	if [ -f "$T/slo/$2.pdf" ] && [ -f "$T/slo/$2.epub" ]; then ok "the title '$1' names its files $2"
	else no "the title '$1' names its files $2" "$(ls -A "$T/slo")"; fi
}
slug_of "Prüfbuch für Zeilen, Zellen und Listen" prufbuch-fur-zeilen-zellen-und-listen
slug_of "Œuvres complètes — Ça, c’est l’été" oeuvres-completes-ca-c-est-l-ete
slug_of "Straße und Ærø, Łódź" strasse-und-aero-lodz
slug_of "Гражданский диалог" Гражданский-диалог
slug_of "東京の本" 東京の本
mkbook "$T/sl"
sed -i "s/^parts:/slug: bücher-über\nparts:/" "$T/sl/book.yaml"
rm -rf "$T/slo"
expect 0 "a slug with letters beyond ASCII builds" "$OCTAVO" build "$T/sl" -o "$T/slo" -q &&
	if [ -f "$T/slo/bücher-über.pdf" ]; then ok "a slug with letters beyond ASCII names the files"
	else no "a slug with letters beyond ASCII names the files" "$(ls -A "$T/slo")"; fi

# === watch follows the path ==================================================
# wait_for FILE TEXT COUNT SECONDS: FILE has COUNT lines holding TEXT.
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
W=$T/w
mkbook "$W"
"$OCTAVO" watch "$W" -o "$T/wo" >"$T/watch.log" 2>&1 &
WATCH_PID=$!
if wait_for "$T/watch.log" '] built' 1 20; then
	# An editor (or git checkout, rsync) replaces the whole folder.
	rm -rf "$T/w.new" && cp -r "$W" "$T/w.new"
	printf '\nMarker v7 here.\n' >>"$T/w.new/one.md"
	mv "$W" "$T/w.old" && mv "$T/w.new" "$W"
	if wait_for "$T/watch.log" '] built' 2 10; then
		# ... and a save in the new folder is seen too.
		printf '\nMarker v8 here.\n' >>"$W/two.md"
		if wait_for "$T/watch.log" '] built' 3 10 &&
			pdftotext "$T/wo/test-book.pdf" - 2>/dev/null | grep -q 'Marker v8'; then
			ok "watch follows a manuscript folder replaced by mv"
		else no "watch: no rebuild on a save in the replacing folder" "$(cat "$T/watch.log")"; fi
	else no "watch: no rebuild when the manuscript folder is replaced by mv" "$(cat "$T/watch.log")"; fi
else
	no "watch: no first build within 20 s" "$(cat "$T/watch.log")"
fi
kill -INT "$WATCH_PID" 2>/dev/null
wait "$WATCH_PID" 2>/dev/null
