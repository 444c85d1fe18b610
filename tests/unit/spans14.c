/* spans14.c - column widths with cells spanning columns (cp_table_spans):
 * HTML's automatic layout, a spanning cell's min and max past its
 * columns' shared over them after the one-column cells are counted. */
#include "unit/unit.h"

#include "layout/layout-int.h"

#include <math.h>

UNIT_TEST(table_spans_share_the_excess_by_the_columns_maxes)
{
	/* row 0: two cells (min 20, 30; max 40, 60); row 1: one cell over
	 * both (min 100, max 200), a gutter of 10 between the columns */
	double cmin[] = {20, 30, 100, 0}, cmax[] = {40, 60, 200, 0}, w[2];
	int span[] = {1, 1, 2, 0};
	cp_table_spans(2, 2, span, 10, cmin, cmax);
	UCHECK(fabs(cmin[2] - 36) < 1e-9 && fabs(cmin[3] - 54) < 1e-9,
	       "the min's 40 past 20 + 30 + 10 shared 40:60: %.2f %.2f", cmin[2], cmin[3]);
	double sum = cp_table_widths(2, 2, cmin, cmax, 1000, w);
	UCHECK(fabs(sum + 10 - 200) < 1e-9, "at their maxes the columns and gutter hold the "
	       "spanning cell on one line: %.2f + 10", sum);
	UCHECK(fabs(w[0] / w[1] - 40.0 / 60) < 1e-9, "in the columns' proportion: %.2f %.2f",
	       w[0], w[1]);
	sum = cp_table_widths(2, 2, cmin, cmax, 80, w);
	UCHECK(sum > 80 && fabs(w[0] - 36) < 1e-9 && fabs(w[1] - 54) < 1e-9,
	       "too narrow: each column at least its share of the min: %.2f %.2f", w[0], w[1]);
}

UNIT_TEST(table_spans_that_fit_change_nothing)
{
	double cmin[] = {20, 30, 15, 0}, cmax[] = {40, 60, 50, 0};
	double cmin1[] = {20, 30}, cmax1[] = {40, 60}, w[2], w1[2];
	int span[] = {1, 1, 2, 0};
	cp_table_spans(2, 2, span, 10, cmin, cmax);
	double sum = cp_table_widths(2, 2, cmin, cmax, 70, w);
	double sum1 = cp_table_widths(2, 1, cmin1, cmax1, 70, w1);
	UCHECK(fabs(sum - sum1) < 1e-9 && fabs(w[0] - w1[0]) < 1e-9 && fabs(w[1] - w1[1]) < 1e-9,
	       "as without it: %.2f %.2f, %.2f %.2f", w[0], w[1], w1[0], w1[1]);
}

UNIT_TEST(table_spans_narrower_first_and_empty_columns_evenly)
{
	/* three columns with nothing of their own: a cell over the first two
	 * (min 50), then one over all three (min 95), gutters of 5 */
	double cmin[9] = {50, 0, 0, 0, 0, 0, 95, 0, 0}, cmax[9] = {50, 0, 0, 0, 0, 0, 95, 0, 0};
	int span[9] = {2, 0, 1, 1, 1, 1, 3, 0, 0};
	cp_table_spans(3, 3, span, 5, cmin, cmax);
	UCHECK(fabs(cmin[0] - 22.5) < 1e-9 && fabs(cmin[1] - 22.5) < 1e-9,
	       "the two-column cell first, evenly: %.2f %.2f", cmin[0], cmin[1]);
	double w[3];
	cp_table_widths(3, 3, cmin, cmax, 1000, w);
	UCHECK(w[0] + w[1] + w[2] + 10 >= 95 - 1e-9 && w[0] + w[1] + 5 >= 50 - 1e-9,
	       "both cells fit their columns: %.2f %.2f %.2f", w[0], w[1], w[2]);
}
