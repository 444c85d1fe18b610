#!/bin/sh
# tests/suites/floats14i.sh - issue 14 item 2 (and item 4's facing pages)
# with floats in a row, at the top of the page and at its foot.
# - pages: floats: bottom has the queue top floats have: a float that does
#   not fit where it stands waits for the next page's foot, and each cited
#   after it waits behind it, in order (up to four, while they all fit one
#   page), never going above it; the floats owed are stacked at that foot
#   together. Once only the first went there: a later float fitting its
#   place was set before it (on the page before, or above it on the same
#   page), one that did not fit ended the page early.
# - A page with a float and text under it that ends a line short of the
#   height tried sets the text under the float a line lower (the space
#   around the float stretching), so that its facing page can match it.
# - The paragraphs after floats moved on are indented before the page
#   choices are evened, not after: the indents once undid an even spread.
. "$ROOT/tests/lib.sh"

# scan DIR NAME SEEDS [notes]: the report figures of tests/books/floats14h's
# generator (gen.py SEED [notes]) from seeds 1 to SEEDS, in the book DIR
# (its book.yaml and style), summed into short2, gaps3, far, uneq and
# notes (notes over three pages, after a hyphen, lone lines); with
# pdftotext, the seeds whose figures are out of order into disorder.
# Returns 1 when a report failed.
scan() {
	short2=0 gaps3=0 far=0 uneq=0 notes=0 disorder=""
	for seed in $(seq 1 "$3"); do
		python3 "$ROOT/tests/books/floats14h/gen.py" "$seed" ${4:-} >"$1/01-floats.md"
		expect 0 "report $2 seed $seed" "$OCTAVO" report "$1" || return 1
		short2=$((short2 + $(fig 'page depth' 4)))
		gaps3=$((gaps3 + $(fig 'float gaps' 2)))
		far=$((far + $(fig 'float gaps' 4)))
		uneq=$((uneq + $(fig 'unequal spreads' 1)))
		notes=$((notes + $(fig 'notes split' 2) + $(fig 'notes split' 3) + $(fig 'notes split' 4)))
		if command -v pdftotext >/dev/null 2>&1 &&
			expect 0 "build $2 seed $seed" "$OCTAVO" build "$1" -o "$1/out" --pdf; then
			captions "$1"/out/*.pdf | in_order || disorder="$disorder $seed"
		fi
	done
	out="two short $short2, gaps of 3+ $gaps3, far $far, unequal $uneq, notes broken $notes, out of order:$disorder"
}
# in_order_seeds NAME: the figures in order on every seed scan tried.
in_order_seeds() {
	command -v pdftotext >/dev/null 2>&1 || return 0
	[ -z "$disorder" ] && ok "$1: figures in order" || no "$1: figures in order" "out of order on seeds$disorder"
}
# seeds DIR NAME MAX_UNEQUAL: floats14h's essay from seeds 1-12 in DIR:
# none two short, gapped or far, at most MAX_UNEQUAL unequal spreads.
seeds() {
	scan "$1" "$2" 12 || return 0
	want "$2 seeds 1-12: pages two or more lines short" "$short2" -eq 0
	want "$2 seeds 1-12: float gaps of three lines or more" "$gaps3" -eq 0
	want "$2 seeds 1-12: floats more than a page from their place" "$far" -eq 0
	want "$2 seeds 1-12: unequal spreads" "$uneq" -le "$3"
	in_order_seeds "$2 seeds 1-12"
}

if ! command -v python3 >/dev/null 2>&1; then
	skip "floats14h and floats14i seeds (python3 not installed)"
	lib_cleanup
	exit 0
fi

# --- floats at the top: tests/books/floats14h from twelve seeds ------------------
# main's binary (9d00fb3): 6 unequal spreads, on seeds 1, 2, 5, 6, 7 and 11
# (a page a line short beside a full one, each a float's page or the
# page before it); 6d6d070: 1, on seed 2 (its recto could end level with
# its verso only at a hyphen, and every even layout of its first setting
# cost more); none now: the paragraphs on and beside that spread set a
# line looser once none can go a line tighter (tighter_for_pages).
mkdir -p "$T/top"
cp "$ROOT/tests/books/floats14h/book.yaml" "$T/top/" && cp -r "$ROOT/tests/books/floats14h/images" "$T/top/"
seeds "$T/top" "floats14h" 0

# --- floats at the foot: tests/books/floats14i from the same seeds ----------------
# main's binary: figures out of order on 9 seeds of 12 (a figure cited
# later set before the one waiting), 5 pages two or more short, 1 float
# gap of three lines, 10 unequal spreads; now in order, none short or
# gapped, 1 unequal spread (seed 1).
F=$ROOT/tests/books/floats14i
mkdir -p "$T/foot"
cp "$F/book.yaml" "$F/floats.yaml" "$T/foot/" && cp -r "$F/images" "$T/foot/" &&
	sed -i "s#\.\./\.\./\.\./#$ROOT/#" "$T/foot/floats.yaml"
seeds "$T/foot" "floats14i" 1

# --- the book itself (seed 9): figures 2 and 3 at p. 3's foot, in order ---------
# main's binary set figure 3 in p. 3's text above figure 2, owed to its
# foot, and figure 6 before figure 5, and ended p. 2 five lines short
# (empty above a float) beside a full p. 3.
expect 0 "report floats14i" "$OCTAVO" report "$F" &&
	want "floats14i: pages two or more lines short outside part ends" "$(fig 'page depth' 4)" -eq 0 &&
	want "floats14i: float gaps of three lines or more" "$(fig 'float gaps' 2)" -eq 0 &&
	want "floats14i: floats more than a page from their place" "$(fig 'float gaps' 4)" -eq 0 &&
	want "floats14i: unequal spreads" "$(fig 'unequal spreads' 1)" -eq 0 &&
	want "floats14i: floats moved on a page, the text filling in" "$(fig 'float gaps' 3)" -ge 2
if command -v pdftotext >/dev/null 2>&1 &&
	expect 0 "build floats14i" "$OCTAVO" build "$F" -o "$T/f" --pdf; then
	pdf="$T/f/floats-at-the-foot.pdf"
	c=$(captions "$pdf")
	[ "$(printf '%s\n' "$c" | wc -l)" -eq 9 ] && printf '%s\n' "$c" | in_order &&
		ok "floats14i: the nine figures in order" ||
		no "floats14i: the nine figures in order" "$c"
	# The page holding figures 2 and 3: both under its text, at its foot.
	p3=$(for p in $(seq 1 "$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')"); do
		pdftotext -f "$p" -l "$p" "$pdf" - | grep -qx 'Figure 3' && echo "$p"; done)
	last=$(pdftotext -f "$p3" -l "$p3" "$pdf" - | tr -d '\f' | grep -v '^[0-9]*$' | grep . | tail -2 | tr '\n' ' ')
	[ "$last" = "Figure 2 Figure 3 " ] && ok "floats14i: figures 2 and 3 at their page's foot" ||
		no "floats14i: figures 2 and 3 at their page's foot" "p. $p3 ends: $last"
	(export OCTAVO_CHECK_TRIES=1 && expect 0 "build floats14i, tries checked" "$OCTAVO" \
		build "$F" -o "$T/fc" --pdf) &&
		{ cmp -s "$pdf" "$T/fc/floats-at-the-foot.pdf" &&
			ok "floats14i: the same PDF with every remembered try made again" ||
			no "floats14i: the same PDF with every remembered try made again"; }
else
	skip "floats14i: figures in order (pdftotext not installed)"
fi

# --- floats among notes, short tables as floats, a float after the text ----------
# tests/books/floats14h/gen.py SEED notes (floats among footnotes, short
# tables as floats, the part's text ending before its last float), seeds
# 1-10, floats at the top and at the foot: figures and tables in order;
# notes never over three pages,
# after a hyphen or a lone line. main's binary: at the foot, floats out of
# order on all 10 seeds; pages two or more short 11 (top) and 5 (foot),
# gaps of 3+ 4 and 1, floats more than a page from their place 2 and 0.
# a993aeb: 6 and 2, 3 and 1, 3 and 2. Now no float far (floats14j.sh):
# 8 and 2, 4 and 1, 0 and 0. Where a float right after floats that fill
# the next page's top is cited at a page's foot, the page ends before the
# text citing it (seeds 8 and 10, at the top: 2 and 3 lines short -> 3
# and 9; seed 10 at the foot: 9), a far float the dearer fault: on seed
# 10, figures 4 and 5 take two-thirds of a page each and are cited two
# lines apart, so no choice of pages keeps both near and none short.
mix() { # mix DIR NAME MAX_SHORT2 MAX_GAPS3 MAX_FAR MAX_UNEQUAL
	scan "$1" "$2" 10 notes || return 0
	want "$2 seeds 1-10: notes over three pages, after a hyphen, lone lines" "$notes" -eq 0
	want "$2 seeds 1-10: pages two or more lines short" "$short2" -le "$3"
	want "$2 seeds 1-10: float gaps of three lines or more" "$gaps3" -le "$4"
	want "$2 seeds 1-10: floats more than a page from their place" "$far" -le "$5"
	want "$2 seeds 1-10: unequal spreads" "$uneq" -le "$6"
	in_order_seeds "$2 seeds 1-10"
}
# Unequal spreads (a recto ending unlike its verso), not counted here
# before 400123f: top 11 (seeds 1: 2, 2: 1, 3: 1, 4: 3, 6: 2, 8: 1,
# 10: 1), foot 6 (seeds 2: 1, 4: 2, 8: 2, 10: 1); ceilings so that they
# cannot grow. Seven pages among them are also two or more short, lines
# left empty before a float that cannot move (top 4 p. 6, 6 p. 4, 8 pp.
# 6/7, 10 p. 4; foot 4 p. 2, 10 p. 4); two more (top 3 p. 6, 6 p. 6) are
# not looked at yet. Others were a line apart on pages with notes at the
# foot and a float or table over them ending off the grid (foot 8 pp.
# 2/3: the verso's figure a line short over its notes): tally raised the
# notes a whole line where the gap over them was 0.8 line or more. Now
# such a page (or one with a float on it) may have its notes a line lower
# instead, the space over the rule wider (notes_deeper): unequal top 11
# -> 8, foot 6 -> 4; the paragraphs around a bad spread also tried a line
# looser: two short top 7 -> 6. (spread14l's even_foot over the notes
# gave 10 and 5 but moved tests/books/tagged's figure 1 off its page.)
# floats14n: a page that ends short with a float its text cites is also
# tried with that float (the first it cites, or the last) set aside for
# the next page though it fits where cited (FLOAT_DEFER_DEMERITS, TeX's
# \floatingpenalty), the text filling the page: top two short 6 -> 4,
# gaps of 3+ 3 -> 2, unequal 8 -> 4 (seed 6: pp. 4 and 6, four and two
# lines short, now spreads a line short, none unequal); foot two short
# 2 -> 1, unequal 4 -> 2 (seeds 4 and 8). Pages a line short in even
# spreads: top 22 -> 28, foot 10 -> 14. Left (top 3, 4, 8, 10; foot
# 10): pages that end before a paragraph's last two lines whose note,
# three lines or more, cannot split, where setting a float aside moves
# the fault a page or two on; seed 10 is floats14j's case (figures 4 and
# 5, two-thirds of a page each, cited two lines apart).
# floats14p printed the tries the search weighed for those left: top
# seed 3, p. 6 (a verso two short under figures 6-8, the line after it
# citing note 8 of four lines): setting figure 7 aside (try kind 4, a
# line short, 1,470) with p. 7 a line short to match (400) is the
# cheapest way past p. 7 (3,610 against 16,810), but the part's text
# then ends on p. 9 two short before its last float (13,700), the fault
# moved two pages on, dearer in all (17,980 chosen). Foot seed 4, p. 4:
# the float set aside on p. 3 (1,000) goes to p. 4's foot with two lines
# over it, a line long at a hyphen (550); a line short (400) it holds
# no text, and the search found no way on from there that costs less
# (not looked at further). Top seed 10 is floats14j's
# book (its p. 4 now 5 lines short, was 8: looser_before_short).
# floats15: a page still two short before the floats its text cites has
# the tall figures cited on it and the next page set down to the style's
# floor (pages: figure-floor: smaller_floats): top seeds 8 and 10 and
# foot seed 10 end full. Top two short 4 -> 2 (seeds 3 and 4, a note
# that cannot split: no figure to set down), gaps of 3+ 2 -> 1, unequal
# 4 -> 3; foot two short 1 -> 0, gaps 1 -> 0, unequal 2 -> 1 (seed 4).
# A spread left unequal has the tall figures cited on its two pages and
# the next set down alike: foot seed 4 (pp. 4/5, figure 5 smaller) even,
# foot unequal 1 -> 0.
mix "$T/top" "floats among notes, top" 2 1 0 3
mix "$T/foot" "floats among notes, foot" 0 0 0 0

# --- at the foot, a float first on its page, under floats owed to that foot ------
# gen.py 23 notes and 58 notes: a page's last line cites a float, so the
# next page begins with it while the floats owed go to that page's foot.
# main's binary (c381875) set it there in the text, at the page's top,
# over them: figure 9 over figure 8 (seed 23), 8 over 7 (seed 58). Now it
# joins them at the foot, in order, where they fit together (else it
# waits for the next page's foot); the pages as good as before. (A
# float set out of order is a bug: page.c's note_placed asserts it.)
# Seed 58 since floats14n (floats set aside where they fit): main's
# binary left the opening p. 1 three lines short; now pp. 1-6 end even
# and p. 7, full to its foot with notes 7 and 8 under figure 6 (note 8
# split), counts four short beside its verso: cheaper by the search's
# demerits (28,070 against 28,970 as first measured), the same number
# of pages two short, one unequal spread more.
for seed in 23 58; do
	python3 "$ROOT/tests/books/floats14h/gen.py" "$seed" notes >"$T/foot/01-floats.md"
	expect 0 "report foot seed $seed" "$OCTAVO" report "$T/foot" || continue
	want "foot seed $seed: floats more than a page from their place" "$(fig 'float gaps' 4)" -eq 0
	want "foot seed $seed: pages two or more lines short" "$(fig 'page depth' 4)" -le 1
	want "foot seed $seed: unequal spreads" "$(fig 'unequal spreads' 1)" -le $((seed == 58))
	if have pdftotext && expect 0 "build foot seed $seed" "$OCTAVO" build "$T/foot" \
		-o "$T/foot/s$seed" --pdf; then
		c=$(captions "$T/foot/s$seed"/*.pdf)
		printf '%s\n' "$c" | in_order && ok "foot seed $seed: figures in order" ||
			no "foot seed $seed: figures in order" "$c"
	fi
done

lib_cleanup
