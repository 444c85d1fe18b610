/* code14.c - where inline code and words with no allowed break may break
 * (src/layout/cut.c), the emergency pass's fallback line (linebreak.c),
 * and tests/books/code14 set whole: no line overfull, each forced break
 * recorded (issue 14 item 5). */
#include "unit/unit.h"

#include "book/book.h"
#include "layout/layout-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ===== the inline-code rule ============================================= */

/* The pieces code_break_at cuts s into, joined by '|'. */
static void code_pieces(const char *s, char *out)
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

UNIT_TEST(code_breaks_after_its_punctuation)
{
	static const char *const cases[][2] = {
		{"org.example.module.Factory", "org.|example.|module.|Factory"},
		{"a-long-hyphenated-name", "a-|long-|hyphenated-|name"},
		{"path/to/file.md", "path/|to/|file.|md"},
		{"fn(a,b)", "fn(|a,|b)"},
		{"PACKAGE_TARGET_RESOLVE", "PACKAGE_|TARGET_|RESOLVE"},
		{"std::vector", "std::|vector"},   /* "::" stays whole */
		{"a->b", "a->b"},                   /* so does "->" */
		{"x=4.567", "x=|4.567"},             /* not inside the number */
		{"10,000", "10,000"},
		{"AddEnvironmentCleanupHook()", "Add|Environment|Cleanup|Hook()"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char out[128];
		code_pieces(cases[i][0], out);
		UCHECK(!strcmp(out, cases[i][1]), "'%s' breaks as '%s', want '%s'", cases[i][0], out,
		       cases[i][1]);
	}
}

/* ===== emergency breaks ================================================== */

static size_t count_kind(const struct cp_cut *pts, size_t n, enum cp_cut_kind k)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += pts[i].kind == k;
	return c;
}

/* fix14: punctuation that opens a word stays with it. */
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
		code_pieces(cases[i][0], out);
		UCHECK(!strcmp(out, cases[i][1]), "'%s' breaks as '%s', want '%s'", cases[i][0], out,
		       cases[i][1]);
	}
}

UNIT_TEST(cut_points_soft_then_any)
{
	struct cp_cut pts[256];
	const char *s = "{string|Buffer|TypedArray}";
	size_t n = cp_cut_points(s, strlen(s), 1, pts, ARRAY_LEN(pts));
	/* after the bars, and inside "TypedArray" between its words */
	UCHECK(count_kind(pts, n, CP_CUT_SOFT) == 3 && pts[0].at == 1 && pts[1].at == 8 &&
		       pts[2].at == 15,
	       "soft breaks after '{' and each '|': %zu (%zu, %zu)", n, n ? pts[0].at : 0,
	       n > 1 ? pts[1].at : 0);
	UCHECK(count_kind(pts, n, CP_CUT_NAME) == 1 && count_kind(pts, n, CP_CUT_CHAR) == 0,
	       "one break in the name, none between characters at level 1");
	char tok[121];
	for (int i = 0; i < 120; i++)
		tok[i] = "0123456789abcdef"[(i * 7 + 3) % 16];
	tok[120] = '\0';
	UCHECK(cp_cut_points(tok, 120, 1, pts, ARRAY_LEN(pts)) == 0,
	       "a token with no punctuation has no soft break");
	n = cp_cut_points(tok, 120, 2, pts, ARRAY_LEN(pts));
	UCHECK(n == 119 && count_kind(pts, n, CP_CUT_CHAR) == 119,
	       "level 2: between every two characters (%zu)", n);
	for (size_t i = 1; i < n; i++)
		if (pts[i].at <= pts[i - 1].at) {
			UCHECK(false, "ascending at %zu", i);
			break;
		}
}

UNIT_TEST(cut_points_keep_characters_whole)
{
	/* e + combining acute, a ZWJ emoji sequence, and two-byte letters:
	 * no break before the mark, inside the sequence or inside a letter */
	const char *s = "e\xCC\x81" "a\xE2\x80\x8D" "b\xC3\xA9\xC3\xA9";
	struct cp_cut pts[32];
	size_t n = cp_cut_points(s, strlen(s), 2, pts, ARRAY_LEN(pts));
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char at = (unsigned char)s[pts[i].at];
		ok &= (at & 0xC0) != 0x80;                      /* not inside a character */
		ok &= !(at == 0xCC);                            /* not before the mark */
		ok &= !(pts[i].at >= 4 && pts[i].at <= 7);     /* not around the joiner */
	}
	/* e\u0301 | a\u200Db | é | é: breaks at 3 (before a), 8 (é), 10 (é) */
	UCHECK(ok && n == 3 && pts[0].at == 3 && pts[1].at == 8 && pts[2].at == 10,
	       "breaks between whole characters only: %zu (%zu %zu %zu)", n, n ? pts[0].at : 0,
	       n > 1 ? pts[1].at : 0, n > 2 ? pts[2].at : 0);
}

UNIT_TEST(cut_between_spans)
{
	UCHECK(cp_cut_between('E', '('), "a run may break before an opening bracket");
	UCHECK(!cp_cut_between('(', 'p'), "not after one");
	UCHECK(!cp_cut_between('L', ','), "no line starts with a comma");
	UCHECK(!cp_cut_between('x', ')'), "nor with a closing bracket");
}

/* ===== the runs too wide, and the emergency pass's fallback ============ */

/* Boxes of widths w (n of them) joined by penalties of cost pen (none
 * where pen is LB_INFINITY), ending a paragraph as compose.c does. */
static size_t run_items(const double *w, size_t n, double pen, struct lb_item *it)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && pen < LB_INFINITY)
			it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, pen, false};
		it[k++] = (struct lb_item){LB_BOX, w[i], 0, 0, 0, false};
	}
	it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, LB_INFINITY, false};
	it[k++] = (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false};
	it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, -LB_INFINITY, false};
	return k;
}

static void emergency(struct lb_params *p)
{
	lb_params_default(p);
	p->emergency = true;
	p->tolerance = 1e9;
}

UNIT_TEST(emergency_keeps_the_least_overfull_line)
{
	/* intl.md:55's cell: "Date." "prototype." "toLocale*String()", the
	 * column exactly as wide as the last, which the sums' rounding made
	 * overfull; the fallback took the oldest node and set all three on
	 * one line. */
	double w[] = {24.95, 49.9, 84.82};
	struct lb_item it[16];
	size_t n = run_items(w, 3, 100, it);
	struct lb_params p;
	emergency(&p);
	struct lb_result r;
	UCHECK(lb_break(it, n, 84.82, &p, &r) == 0, "breaks");
	UCHECK(r.nlines == 2 && !cp_overfull(&r), "two lines, none overfull: %zu", r.nlines);
	lb_result_release(&r);
	/* Narrower: the last piece cannot fit; only its own line overflows. */
	UCHECK(lb_break(it, n, 80, &p, &r) == 0, "breaks at 80");
	UCHECK(r.nlines == 2 && r.ratios[0] >= -1 && r.ratios[1] < -1,
	       "'Date.prototype.' fits, the last line alone is overfull: %zu lines", r.nlines);
	size_t nb = 0;
	size_t *boxes = cp_wide_runs(it, n, &r, 80, &nb);
	UCHECK(nb == 1 && boxes[0] == 4, "the run too wide is the last box: %zu (%zu)", nb,
	       nb ? boxes[0] : 0);
	free(boxes);
	lb_result_release(&r);
}

UNIT_TEST(wide_runs_span_boxes_without_breaks)
{
	/* PACKAGE_TARGET_RESOLVE(packageURL, as four boxes with no break
	 * between them after "of": the run is all four. */
	struct lb_item it[16];
	size_t k = 0;
	it[k++] = (struct lb_item){LB_BOX, 20, 0, 0, 0, false};  /* "of" */
	it[k++] = (struct lb_item){LB_GLUE, 3, 1.5, 1, 0, false};
	double run[] = {90, 4, 50, 3};
	for (size_t i = 0; i < 4; i++)
		it[k++] = (struct lb_item){LB_BOX, run[i], 0, 0, 0, false};
	it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, LB_INFINITY, false};
	it[k++] = (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false};
	it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, -LB_INFINITY, false};
	struct lb_params p;
	emergency(&p);
	struct lb_result r;
	lb_break(it, k, 120, &p, &r);
	UCHECK(cp_overfull(&r), "overfull without emergency breaks");
	size_t nb = 0;
	size_t *boxes = cp_wide_runs(it, k, &r, 120, &nb);
	UCHECK(nb == 4 && boxes[0] == 2 && boxes[3] == 5, "the four boxes of the run: %zu", nb);
	free(boxes);
	lb_result_release(&r);
}

/* ===== the test book ==================================================== */

UNIT_TEST(code14_book_has_no_overfull_line)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load("tests/books/code14", ".", &d);
	struct tx_fonts *f = b ? tx_fonts_load(&b->style, b->meta.language, &d) : NULL;
	struct pg_doc *doc = f ? pg_compose(b, f, &d) : NULL;
	if (!doc) {
		UCHECK(false, "tests/books/code14 lays out");
		return;
	}
	struct pg_stats st;
	pg_stats(doc, &st);
	UCHECK(st.overfull == 0, "no overfull line: %zu", st.overfull);
	/* the tokens' (PACKAGE_ in prose breaks at its low line: allowed) */
	UCHECK(st.cut >= 7, "forced breaks recorded: %zu", st.cut);
	size_t beyond = 0;
	for (size_t i = 0; i < doc->nlinev; i++)
		beyond += doc->linev[i].cut && doc->linev[i].overfull;
	UCHECK(beyond == 0, "no forced line overfull: %zu", beyond);
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	diag_free_source_cache();
}
