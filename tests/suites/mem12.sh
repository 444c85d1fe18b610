#!/bin/sh
# tests/suites/mem12.sh - memory cut without changing a page (closed issue
# 12's targets): the page search drops the states no kept state leads back
# to once its pool reaches 4,096 (page.c's prune_pool: a part of some 80
# pages or more), so a long essay is searched with its pool pruned many
# times over. With OCTAVO_NO_PRUNE=1 the pool is kept whole: the two
# builds must give the same PDF, EPUB and messages, on one thread and two.
#
# A prune that breaks the states' links makes the search loop forever,
# so each pruned build is bounded: at most MEM12_SLACK (4) times what the
# whole pool's build of the same essay took, and 60 s more (timeout); past
# that it fails with a message rather than stalling the suite.
. "$ROOT/tests/lib.sh"

L="$T/long"
if ! python3 "$ROOT/bench/scale.py" "$ROOT/manuscript" "$L" --essay=1 >/dev/null 2>"$T/scale.err"; then
	no "mem12: a 1 MB essay made from the manuscript" "$(cat "$T/scale.err")"
else
	for j in 1 2; do
		hung=
		for how in whole pruned; do
			rm -rf "$T/$how-$j"
			t0=$(date +%s)
			if [ "$how" = whole ]; then
				limit=${MEM12_WHOLE_LIMIT:-1800}
				OCTAVO_NO_PRUNE=1 timeout -k 10 "$limit" \
					"$OCTAVO" build "$L" -o "$T/$how-$j" --jobs "$j" 2>"$T/$how-$j.err"
				rc=$?
				limit=$(( ($(date +%s) - t0) * ${MEM12_SLACK:-4} + 60 ))
			else
				timeout -k 10 "$limit" "$OCTAVO" build "$L" -o "$T/$how-$j" --jobs "$j" \
					2>"$T/$how-$j.err"
				rc=$?
			fi
			if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then # timeout's
				hung="the $how build did not finish in $limit s (timed out: the page search loops?)"
				break
			fi
			sed -E "s|$how-$j|OUT|g; s/ in [0-9]+ ms/ in N ms/" "$T/$how-$j.err" >"$T/$how-$j.msg"
		done
		if [ -n "$hung" ]; then
			no "mem12: the 1 MB essay builds with the search's pool pruned and whole (--jobs $j)" "$hung"
			continue
		fi
		pages=$(pdfinfo "$T/pruned-$j/bench.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
		if [ "${pages:-0}" -lt 200 ]; then
			no "mem12: the 1 MB essay sets 200 pages or more (--jobs $j)" "pages: ${pages:-none}; $(head -5 "$T/pruned-$j.err")"
			continue
		fi
		same=yes
		for f in bench.pdf bench.epub; do
			cmp -s "$T/pruned-$j/$f" "$T/whole-$j/$f" || same="no ($f differs)"
		done
		cmp -s "$T/pruned-$j.msg" "$T/whole-$j.msg" || same="no (messages: $(diff "$T/pruned-$j.msg" "$T/whole-$j.msg" | head -5))"
		if [ "$same" = yes ]; then
			ok "mem12: a $pages-page essay's pages the same with the search's pool pruned and whole (--jobs $j)"
		else
			no "mem12: a $pages-page essay's pages the same with the search's pool pruned and whole (--jobs $j)" "$same"
		fi
	done
fi
