/*
 * final14.c - a split word carried onto a paragraph's last line: ruled
 * out at the tolerance, priced past it (lb_params' soft_final_hyphen) as
 * a line at r = 2 - so a two-line paragraph whose first line cannot end
 * whole is set "approx-/imately" rather than with spaces three times
 * their width, and keeps its whole word where the line is only a little
 * loose.
 */
#include "unit.h"

#include "layout/layout.h"

#include <stddef.h>

#define SPACE_W 3.0
#define SPACE_Y 1.5
#define SPACE_Z 1.0
#define WIDTH 100.0

/* Six words of width w, then a word of 40 that may be split after head
 * (a hyphen of width 2), then a word of 10: two lines either way. Returns
 * the number of items; *hyphen is the hyphen's index. */
static size_t paragraph(struct lb_item *it, double w, double head, size_t *hyphen)
{
	size_t k = 0;
	const struct lb_item space = {LB_GLUE, SPACE_W, SPACE_Y, SPACE_Z, 0, false};
	for (int i = 0; i < 6; i++) {
		it[k++] = (struct lb_item){.kind = LB_BOX, .width = w};
		it[k++] = space;
	}
	it[k++] = (struct lb_item){.kind = LB_BOX, .width = head};
	*hyphen = k;
	it[k++] = (struct lb_item){.kind = LB_PENALTY, .width = 2, .penalty = 50, .flagged = true};
	it[k++] = (struct lb_item){.kind = LB_BOX, .width = 40 - head};
	it[k++] = space;
	it[k++] = (struct lb_item){.kind = LB_BOX, .width = 10};
	it[k++] = (struct lb_item){.kind = LB_PENALTY, .penalty = LB_INFINITY};
	it[k++] = (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false};
	it[k++] = (struct lb_item){.kind = LB_PENALTY, .penalty = -LB_INFINITY};
	return k;
}

/* The first line's end when the paragraph is set at tolerance 10 (the
 * looser pass), the final-hyphen rule soft or hard. */
static size_t first_break(const struct lb_item *it, size_t n, bool soft)
{
	struct lb_params p;
	lb_params_default(&p);
	p.end_stretch = 0;
	p.tolerance = 10;
	p.soft_final_hyphen = soft;
	struct lb_result r = {0};
	size_t at = (size_t)-1;
	if (lb_break(it, n, WIDTH, &p, &r) == 0 && r.nlines == 2)
		at = r.breaks[0];
	lb_result_release(&r);
	return at;
}

UNIT_TEST(final14_soft_final_hyphen)
{
	struct lb_item it[32];
	size_t hyphen;
	/* Whole, the first line is six words of 10 at r = 3.33; split, it
	 * takes 21 more and a hyphen, 1 over, shrunk at r = -0.17. */
	size_t n = paragraph(it, 10, 21, &hyphen);
	size_t hard = first_break(it, n, false), soft = first_break(it, n, true);
	UCHECK(hard != (size_t)-1 && hard != hyphen,
	       "the rule hard: the first line ends whole (at %zu)", hard);
	UCHECK(soft == hyphen, "the rule soft: the split word beats r = 3.33 (at %zu, want %zu)",
	       soft, hyphen);
	/* Whole, six words of 12 at r = 1.73; split after 8, the line is
	 * exactly full. A line under r = 2 beats the split. */
	n = paragraph(it, 12, 8, &hyphen);
	soft = first_break(it, n, true);
	UCHECK(soft != (size_t)-1 && soft != hyphen,
	       "the rule soft: r = 1.73 is kept rather than the split (at %zu)", soft);
	/* At the tolerance (the pass before), the rule stays hard: a
	 * paragraph with no other setting is not feasible there. */
	n = paragraph(it, 10, 21, &hyphen);
	struct lb_params p;
	lb_params_default(&p);
	p.end_stretch = 0;
	struct lb_result r = {0};
	UCHECK(lb_break(it, n, WIDTH, &p, &r) < 0, "at the tolerance: no setting");
	lb_result_release(&r);
}
