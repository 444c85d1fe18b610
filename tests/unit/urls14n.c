/*
 * urls14n.c - a penalty's own stretch (linebreak.c): what a line broken
 * at it may be left short by, so that a line of a long address or of
 * code alone, with no space to stretch, is feasible when it ends within
 * that of the measure (compose.c's letter breaks).
 */
#include "unit/unit.h"

#include "layout/layout.h"

/* Four boxes with a break between each (penalty 1000, stretch st), as
 * a code word over two lines: "aaaa|bbbb|cccc|dddd". */
static size_t letter_items(double st, struct lb_item *it)
{
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		if (i)
			it[n++] = (struct lb_item){LB_PENALTY, 0, st, 0, 1000, false};
		it[n++] = (struct lb_item){LB_BOX, 30, 0, 0, 0, false};
	}
	it[n++] = (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false};
	it[n++] = (struct lb_item){LB_PENALTY, 0, 0, 0, -LB_INFINITY, false};
	return n;
}

UNIT_TEST(penalty_stretch_lets_a_line_end_short)
{
	struct lb_item it[16];
	struct lb_params p;
	lb_params_default(&p);
	struct lb_result r;
	/* 65 wide: two boxes (60) leave 5 with nothing to stretch */
	size_t n = letter_items(0, it);
	UCHECK(lb_break(it, n, 65, &p, &r) < 0, "no stretch: no feasible setting");
	lb_result_release(&r);
	n = letter_items(6, it);
	UCHECK(lb_break(it, n, 65, &p, &r) == 0, "a short end of 6: feasible");
	UCHECK(r.nlines == 2 && r.breaks[0] == 3 && r.ratios[0] > 0.8 && r.ratios[0] < 0.9,
	       "broken after two boxes at r = 5/6: %zu lines, r %.3f", r.nlines,
	       r.nlines ? r.ratios[0] : 0);
	lb_result_release(&r);
}
