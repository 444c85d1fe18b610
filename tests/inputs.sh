#!/bin/sh
# tests/inputs.sh - the files and text a book reads (issue 12): files that
# are not regular files (a FIFO hung the build in open()), hard links out
# of the manuscript, terminal escapes echoed in messages, a part listed
# twice under two names, and YAML that says more than text, lists and
# mappings (merge keys, tags, a second front-matter block).
#
# Each bad case starts from a small book with a good edition of it in
# $T/bo, makes one mistake, and wants the exact first line of the message,
# exit status 1 and the previous edition byte for byte as it was. Builds
# run under 'timeout 20' so that a hang is a FAIL, not a stuck suite.
. "$ROOT/tests/lib.sh"
B=$T/b


run() { # builds the book into $T/bo; sets out and rc
	out=$(cd "$T" && timeout 20 "$OCTAVO" build "$B" -o "$T/bo" 2>&1)
	rc=$?
}
# bad NAME WANT: the build fails with exit 1, WANT as one whole line, and
# the previous edition untouched.
bad() {
	name=$1 want=$2
	rm -rf "$T/bo" && cp -a "$T/good.d" "$T/bo"
	run
	if crashed; then no "$name (crashed)" "$(printf '%s\n' "$out" | grep -E 'runtime error|Sanitizer|#[0-9] ' | head -8)"; return; fi
	if [ $rc -eq 124 ]; then no "$name (hung: killed after 20 s)"; return; fi
	if [ $rc -ne 1 ]; then no "$name (exit $rc, want 1)" "$out"; return; fi
	if ! printf '%s\n' "$out" | grep -qxF -- "$want"; then
		no "$name (message)" "got: $(printf '%s\n' "$out" | grep -E 'error|warning' | head -5)
want: $want"
		return
	fi
	if [ "$(ls -a "$T/bo")" != "$(ls -a "$T/good.d")" ]; then
		no "$name (stray files in the output folder)" "$(ls -a "$T/bo")"; return
	fi
	for f in "$T/good.d"/*; do
		if ! cmp -s "$f" "$T/bo/${f##*/}"; then no "$name (previous edition changed: ${f##*/})"; return; fi
	done
	ok "$name"
}
# good NAME: the build succeeds (exit 0).
good() {
	name=$1
	rm -rf "$T/go"
	out=$(cd "$T" && timeout 20 "$OCTAVO" build "$B" -o "$T/go" 2>&1)
	rc=$?
	if crashed; then no "$name (crashed)" "$(printf '%s\n' "$out" | grep -E 'runtime error|Sanitizer|#[0-9] ' | head -8)"; return; fi
	if [ $rc -ne 0 ]; then no "$name (exit $rc, want 0)" "$out"; return; fi
	ok "$name"
}

mkbook "$B"
if (cd "$T" && "$OCTAVO" build "$B" -o "$T/bo" -q); then
	cp -a "$T/bo" "$T/good.d"
else
	no "inputs: the small book builds"; exit 0
fi

# === not a regular file: hangs in open() ======================================
mkbook "$B"; rm "$B/two.md"; mkfifo "$B/two.md"
bad "hang: a FIFO as a part" "$B/book.yaml:7:5: error: part 'two.md' is a FIFO, not a regular file"
mkbook "$B"; rm "$B/book.yaml"; mkfifo "$B/book.yaml"
bad "hang: a FIFO as book.yaml" "$B/book.yaml: error: book.yaml is a FIFO, not a regular file"
mkbook "$B"; mkfifo "$B/images/chart.png"; essay '![A chart](images/chart.png)\n'
bad "hang: a FIFO as an image" "$B/two.md:5:1: error: image 'images/chart.png' is a FIFO, not a regular file"
mkbook "$B"; printf 'style: mine.yaml\n' >>"$B/book.yaml"; mkfifo "$B/mine.yaml"
bad "hang: a FIFO as the style file" "$B/book.yaml:8:8: error: style 'mine.yaml' is a FIFO, not a regular file"
mkbook "$B"; style 's|css: .*|css: book.css|'; mkfifo "$B/book.css"
bad "hang: a FIFO as the style's css" "$B/mine.yaml:28:8: error: css 'book.css' is a FIFO, not a regular file"
mkbook "$B"; style 's|regular: .*|regular: face.ttf|'; mkfifo "$B/face.ttf"
bad "hang: a FIFO as a font" "$B/mine.yaml:22:12: error: regular 'face.ttf' is a FIFO, not a regular file"
mkbook "$B"
if mknod "$B/zero.md" c 1 5 2>/dev/null; then
	sed -i 's/two.md/zero.md/' "$B/book.yaml"
	bad "hang: a character device (/dev/zero) as a part" "$B/book.yaml:7:5: error: part 'zero.md' is a character device, not a regular file"
else
	skip "hang: a character device as a part (mknod needs root)"
fi
mkbook "$B"; ln -s /dev/zero "$B/zero.md"; sed -i 's/two.md/zero.md/' "$B/book.yaml"
bad "hang: a symlink to /dev/zero as a part" "$B/book.yaml:7:5: error: part 'zero.md' is outside the manuscript directory"

# === hard links out of the manuscript ========================================
mkbook "$B"; printf 'root:x:0:0:root:/root:/bin/sh\n' >"$T/passwd"
style 's|css: .*|css: book.css|'; ln "$T/passwd" "$B/book.css"
bad "hard link: a style's css to a file outside" "$B/mine.yaml:28:8: error: css 'book.css' is a hard link (2 names for one file)"
contains "hard link: the hint says why" "hint: hard links can reach files outside the manuscript; copy the file instead"
mkbook "$B"; cp "$B/two.md" "$T/outside.md"; rm "$B/two.md"; ln "$T/outside.md" "$B/two.md"
bad "hard link: a part to a file outside" "$B/book.yaml:7:5: error: part 'two.md' is a hard link (2 names for one file)"
mkbook "$B"; png "$T/outside.png"; ln "$T/outside.png" "$B/images/chart.png"; essay '![A chart](images/chart.png)\n'
bad "hard link: an image to a file outside" "$B/two.md:5:1: error: image 'images/chart.png' is a hard link (2 names for one file)"
mkbook "$B"; style 's|css: .*|css: book.css|'; cp "$ROOT/styles/epub.css" "$B/book.css"
good "hard link: a css with one name (accepted)"

# === terminal escapes in messages =============================================
# YAML's "\e" and "\a" put ESC and BEL into the part's name.
mkbook "$B"; sed -i 's/^  - two.md/  - "x\\e]0;pwned\\a\\e[2J.md"/' "$B/book.yaml"
bad "escapes: a part's name is shown escaped" "$B/book.yaml:7:5: error: cannot read part 'x\\x1b]0;pwned\\x07\\x1b[2J.md': No such file or directory"
if printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\033\007]')"; then
	no "escapes: no raw ESC or BEL byte in the messages" "$(printf '%s\n' "$out" | od -c | head -5)"
else ok "escapes: no raw ESC or BEL byte in the messages"; fi
D=$T/$(printf 'm\033[2J\233')
out=$(cd "$T" && timeout 20 "$OCTAVO" build "$D" -o "$T/bo" 2>&1)
has "escapes: a folder name with ESC and a raw C1 byte" "$T/m\\x1b[2J\\x9b: error: not a manuscript directory: No such file or directory"

# === a part listed twice under two names =====================================
mkbook "$B"; printf '  - ./two.md\n' >>"$B/book.yaml"
bad "twice: './two.md' and 'two.md'" "$B/book.yaml:8:5: error: part './two.md' is listed twice (first on line 7)"
mkbook "$B"; ln -s two.md "$B/again.md"; printf '  - again.md\n' >>"$B/book.yaml"
bad "twice: a symlink to a listed part" "$B/book.yaml:8:5: error: part 'again.md' is listed twice (first on line 7)"

# === YAML that says more than text ===========================================
mkbook "$B"; printf '<<: {title: Other}\n' >>"$B/book.yaml"
bad "yaml: a merge key in book.yaml" "$B/book.yaml:8:1: error: YAML merge keys ('<<') are not supported"
mkbook "$B"; printf 'base: &b {title: Other}\n<<: *b\n' >>"$B/book.yaml"
bad "yaml: '<<: *anchor' in book.yaml" "$B/book.yaml:8:7: error: YAML anchors ('&b') are not supported"
mkbook "$B"; style 's|^body:|body:\n  <<: {size: 10pt}|'
bad "yaml: a merge key in the style" "$B/mine.yaml:10:3: error: YAML merge keys ('<<') are not supported"
mkbook "$B"; printf -- '---\ntitle: !!binary VHdv\n---\n\nText.\n' >"$B/two.md"
bad "yaml: !!binary in front matter" "$B/two.md:2:8: error: YAML tag '!!binary' is not supported"
mkbook "$B"; sed -i 's/^title: Test Book/title: !!python\/object Test/' "$B/book.yaml"
bad "yaml: a !!python/object tag in book.yaml" "$B/book.yaml:1:8: error: YAML tag '!!python/object' is not supported"
mkbook "$B"; printf -- '---\ntitle: !!str Two\n---\n\nText.\n' >"$B/two.md"
good "yaml: !!str in front matter (accepted)"

# === a second front-matter block =============================================
mkbook "$B"; printf -- '---\ntitle: "Two"\n---\n---\nauthor: Another\n---\n\nText.\n' >"$B/two.md"
bad "front matter: a second block" "$B/two.md:4:1: error: a second front-matter block (the first is on line 1)"
mkbook "$B"; printf -- '---\ntitle: "Two"\n---\n\n---\nauthor: Another\nrole: editor\n---\n\nText.\n' >"$B/two.md"
bad "front matter: a second block after a blank line" "$B/two.md:5:1: error: a second front-matter block (the first is on line 1)"
mkbook "$B"; printf -- '---\ntitle: "Two"\n---\n\n---\n\nNote: a rule, then text.\n\n---\n\nText.\n' >"$B/two.md"
good "front matter: a rule after it (accepted)"
