/* fix14.c - issue 14's visible defects (src/layout/table.c): a table too
 * wide steps down to the style's floor ('tables: min-size') before any
 * word in it is cut. Inline code's rule (cut.c: never a break after the
 * punctuation that opens a word, "--" of "--continue") is tested beside
 * the rest of that rule, in code14.c. The labels' room (labels.c) is
 * checked on the PDF by tests/suites/fix14.sh. */
#include "unit/unit.h"

#include "book/book.h"
#include "layout/layout-int.h"

#include <math.h>
#include <string.h>

UNIT_TEST(fix14_table_steps_to_the_floor)
{
	struct bk_style st;
	memset(&st, 0, sizeof(st));
	st.table_min_size = 5.25;
	UCHECK(cp_table_floor(&st, 9.45) == 5.25, "floor %.2f", cp_table_floor(&st, 9.45));
	UCHECK(cp_table_floor(&st, 4.5) == 4.5, "a floor above the size is the size");
	/* a table needing 400 pt of a 300 pt measure at 8 pt: 6 pt fills it */
	double size = 8, lead = 10;
	UCHECK(cp_table_step(&size, &lead, 5.25, 300, 400) && fabs(size - 6) < 1e-9 &&
		       fabs(lead - 7.5) < 1e-9,
	       "stepped to %.3f / %.3f, want 6 / 7.5", size, lead);
	/* one needing twice the measure stops at the floor */
	size = 8, lead = 10;
	UCHECK(cp_table_step(&size, &lead, 5.25, 300, 600) && fabs(size - 5.25) < 1e-9,
	       "stopped at %.3f, want the floor 5.25", size);
	/* at the floor it steps no further */
	UCHECK(!cp_table_step(&size, &lead, 5.25, 300, 600) && size == 5.25,
	       "no step below the floor: %.3f", size);
}
