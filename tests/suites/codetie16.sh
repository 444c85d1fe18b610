#!/bin/sh
# tests/suites/codetie16.sh - a space in inline code before a short token
# (a number with its sign, closing brackets) is no break, as prose ties a
# number to its unit (issue 14 item 5; tests/books/codetie16, after
# systemd's UIDS-GIDS.md table).
#  - "16bit `(uid_t) -1`" in a table cell was set "16bit (uid_t)" / "-1",
#    the number alone on a line; and a prose line began with the ")" of
#    "`f(a, b) )`".
#  - With the space tied, a break after the "_" of "(uid_t)" left "t) -1"
#    ("(uid_" / "t) -1"): a break inside a word of code now leaves at
#    least three bytes after it (add_code's CODE_TAIL_MIN).
# The checks of the tie fail on e81b21c; the tail check guards the tie.
. "$ROOT/tests/lib.sh"

BK=$ROOT/tests/books/codetie16
text() { pdftotext -layout "$1" - 2>/dev/null | sed 's/  */ /g; s/^ //'; }

if expect 0 "codetie16: the test book builds" "$OCTAVO" build "$BK" -o "$T/t"; then
	out=$(text "$T/t/codetie16.pdf")
	n=$(printf '%s\n' "$out" | grep -cE '^(-1|\+1)( |$)' || true)
	want "codetie16: no line begins with a tied number ('-1')" "$n" -eq 0
	n=$(printf '%s\n' "$out" | grep -cE '^\)' || true)
	want "codetie16: no line begins with a lone ')'" "$n" -eq 0
	n=$(printf '%s\n' "$out" | grep -cE '^t\) ' || true)
	want "codetie16: no line begins 't) -1' ('(uid_' above)" "$n" -eq 0
	n=$(printf '%s\n' "$out" | grep -c '(uid_t) -1' || true)
	want "codetie16: '(uid_t) -1' whole in both rows and the prose" "$n" -ge 3
	all=$(printf '%s\n' "$out" | tr -d '\n ')
	for w in '4294967296' 'setuid(uid)!=0' 'kill(pid,SIGTERM)==-1' 'x[i]=+1' 'nss-systemd'; do
		case $all in
		*"$w"*) ok "codetie16: nothing lost: '$w'" ;;
		*) no "codetie16: nothing lost: '$w'" ;;
		esac
	done
	epubcheck_ok "codetie16" "$T/t/codetie16.epub"
fi
