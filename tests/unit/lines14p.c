/*
 * lines14p.c - a penalty's rag (linebreak.c, lb_rag_taken): how much
 * shorter still a line broken there may be left once its glue is at full
 * stretch, so that a justified line broken inside code is left short
 * rather than gape, and justified whenever r <= 1 fills it.
 */
#include "unit/unit.h"

#include "layout/layout.h"

UNIT_TEST(rag_taken_only_past_full_stretch)
{
	UCHECK(lb_rag_taken(5, 10, 30) == 0, "the glue fills it: nothing taken");
	UCHECK(lb_rag_taken(25, 10, 30) == 15, "past r = 1: the rest, %g",
	       lb_rag_taken(25, 10, 30));
	UCHECK(lb_rag_taken(60, 10, 30) == 30, "no more than the rag, %g",
	       lb_rag_taken(60, 10, 30));
}

/* "aaaa bbbb|cccc": two boxes and a space (stretch 2), then a break with
 * a rag inside the code word and its last piece, too wide to join them. */
static size_t rag_items(double rag, struct lb_item *it)
{
	size_t n = 0;
	it[n++] = (struct lb_item){LB_BOX, 30, 0, 0, 0, false};
	it[n++] = (struct lb_item){LB_GLUE, 5, 2, 1, 0, false};
	it[n++] = (struct lb_item){LB_BOX, 30, 0, 0, 0, false};
	it[n++] = (struct lb_item){LB_PENALTY, 0, 0, rag, 100, false};
	it[n++] = (struct lb_item){LB_BOX, 60, 0, 0, 0, false};
	it[n++] = (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false};
	it[n++] = (struct lb_item){LB_PENALTY, 0, 0, 0, -LB_INFINITY, false};
	return n;
}

UNIT_TEST(rag_lets_a_code_line_end_short)
{
	struct lb_item it[8];
	struct lb_params p;
	lb_params_default(&p);
	p.tolerance = 2; /* the looser pass's, about */
	struct lb_result r;
	/* 75 wide: the first line (65) is 10 short, its space stretches 2 */
	size_t n = rag_items(0, it);
	UCHECK(lb_break(it, n, 75, &p, &r) < 0, "no rag: r = 5, past the tolerance");
	lb_result_release(&r);
	n = rag_items(12, it);
	UCHECK(lb_break(it, n, 75, &p, &r) == 0, "a rag of 12: feasible");
	/* the space at r = 1 (2), the end 8 short: r = 1 + 8 / (2 + 12) */
	UCHECK(r.nlines == 2 && r.breaks[0] == 3 && r.ratios[0] > 1.56 && r.ratios[0] < 1.58,
	       "broken inside the code at r = 1.57 to the breaker: %zu lines, r %.3f", r.nlines,
	       r.nlines ? r.ratios[0] : 0);
	lb_result_release(&r);
	/* 67 wide: the space alone fills it (r = 1), nothing left short */
	UCHECK(lb_break(it, n, 67, &p, &r) == 0 && r.nlines == 2 && r.ratios[0] > 0.99 &&
		       r.ratios[0] < 1.01,
	       "filled by its space: r %.3f", r.nlines ? r.ratios[0] : 0);
	lb_result_release(&r);
}
