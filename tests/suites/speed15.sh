#!/bin/sh
# tests/suites/speed15.sh - what a small book's rebuild asks of the kernel
# (speed15: the single-essay bench). On the virtual machines octavo is
# measured on a page fault costs 10-12 us and an munmap 30-60 us, so a
# font mapped again for a few bytes of its 'name' table, or a path
# resolved link by link only to find it is not there, shows in a build
# that takes 25 ms. Counted with strace on a rebuild (skipped without it):
#   - each font file is mapped once, by the text stage (HarfBuzz's blob);
#     the colophon's family names are read, not mapped (fontname.c);
#   - no readlink of a font file that is not there: a default fallback's
#     variant names are asked of access() before realpath (typestyle.c).
. "${ROOT:?set ROOT to the repository}/tests/lib.sh"

if ! have strace; then
	skip "speed15: strace not installed"
	exit 0
fi

B=$T/book
mkbook "$B"
essay 'The colophon names the families the pages are set in.\n'
"$OCTAVO" build "$B" -o "$T/out" -q 2>"$T/err" || no "speed15: first build" "$(cat "$T/err")"
# LeakSanitizer cannot run under ptrace: the leak check is the other
# suites' (a sanitizer build's own mappings carry no font's path).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -y -e trace=mmap,readlink -o "$T/trace" "$OCTAVO" build "$B" -o "$T/out" -q 2>"$T/err" ||
	no "speed15: rebuild under strace" "$(cat "$T/err")"

# mmap(..., FD</path/font.ttf>, 0): the fonts' mappings, counted by path.
maps=$(grep -oE 'mmap\(.*<[^>]*\.(ttf|otf|ttc)>' "$T/trace" | sed 's/.*<//; s/>$//' | sort | uniq -c)
twice=$(printf '%s\n' "$maps" | awk '$1 > 1')
if [ -z "$maps" ]; then
	no "speed15: the fonts are mapped (no mapping of a font file seen)" "$(head -n 20 "$T/trace")"
elif [ -z "$twice" ]; then
	ok "speed15: each font file is mapped once a build ($(printf '%s\n' "$maps" | wc -l) files)"
else
	no "speed15: each font file is mapped once a build" "$twice"
fi

# readlink("/usr/share/fonts/.../DejaVuSans-Italic.ttf", ...) = -1 ENOENT
if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
	gone=$(grep -E 'readlink\("[^"]*\.(ttf|otf|ttc)".*ENOENT' "$T/trace")
	if [ -z "$gone" ]; then
		ok "speed15: no font name that is not there is resolved link by link"
	else
		no "speed15: no font name that is not there is resolved link by link" "$gone"
	fi
else
	skip "speed15: the default fallback fonts (DejaVu) are not installed"
fi
