/* fix14.c - issue 14's visible defects (src/layout/cut.c, table.c): inline
 * code never breaks after the punctuation that opens a word ("--" of
 * "--continue", "../" of "../lib"), and a table too wide steps down to the
 * style's floor ('tables: min-size') before any word in it is cut. The
 * labels' room (labels.c) is checked on the PDF by tests/suites/fix14.sh. */
#include "unit/unit.h"

#include "book/book.h"
#include "layout/layout-int.h"

#include <math.h>
#include <string.h>

/* The pieces cp_code_break_at cuts s into, joined by '|'. */
static void pieces(const char *s, char *out)
{
	size_t n = strlen(s), k = 0, o = 0;
	while (k < n) {
		bool camel;
		size_t cut = cp_code_break_at(s + k, n - k, &camel);
		size_t end = cut ? k + cut : n;
		memcpy(out + o, s + k, end - k);
		o += end - k;
		if (cut)
			out[o++] = '|';
		k = end;
	}
	out[o] = '\0';
}

UNIT_TEST(fix14_code_keeps_opening_punctuation)
{
	static const char *const cases[][2] = {
		/* punctuation that opens the word stays with it */
		{"--continue", "--continue"},
		{"--force-with-lease", "--force-|with-|lease"},
		{"../../shared/config", "../../shared/|config"},
		{"./run", "./run"},
		{"__init__", "__init__"},
		{"::before", "::before"},
		{"-rf", "-rf"},
		/* and so do dashes or a path after other punctuation */
		{"fn(--flag)", "fn(--flag)"},
		{"--prefix=../lib", "--prefix=../lib"},
		{"x=-1", "x=-1"},
		/* punctuation that ends a word still lets it break */
		{"--strategy-option=theirs", "--strategy-|option=|theirs"},
		{"std::vector", "std::|vector"},
		{"promise.then().catch()", "promise.|then().|catch()"},
		{"path/to/file.md", "path/|to/|file.|md"},
		{"a-long-hyphenated-name", "a-|long-|hyphenated-|name"},
		{"foo__bar", "foo__|bar"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char out[128];
		pieces(cases[i][0], out);
		UCHECK(!strcmp(out, cases[i][1]), "'%s' breaks as '%s', want '%s'", cases[i][0], out,
		       cases[i][1]);
	}
}

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
