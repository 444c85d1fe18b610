/* blocks14.c - what goes into the page: table column widths, balanced
 * display lines, and the test book tests/books/blocks set whole (code
 * inside the measure, distinct heading levels, strikethrough, an image in
 * a line). */
#include "unit/unit.h"

#include "layout/layout-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ===== table widths ===================================================== */

UNIT_TEST(table_widths_max_when_they_fit)
{
	double cmin[] = {10, 20, 12, 25}, cmax[] = {30, 40, 35, 50}, w[2];
	double sum = cp_table_widths(2, 2, cmin, cmax, 200, w);
	UCHECK(w[0] == 35 && w[1] == 50 && sum == 85, "maxes: %.1f %.1f (sum %.1f)", w[0], w[1],
	       sum);
}

UNIT_TEST(table_widths_min_when_nothing_fits)
{
	double cmin[] = {60, 70}, cmax[] = {90, 120}, w[2];
	double sum = cp_table_widths(2, 1, cmin, cmax, 100, w);
	UCHECK(sum > 100 && w[0] == 60 && w[1] == 70, "mins: %.1f %.1f", w[0], w[1]);
}

UNIT_TEST(table_widths_spare_goes_where_it_saves_lines)
{
	/* A number column (short, never wraps once at 40) beside a prose
	 * column (300 on one line). HTML's share in proportion to max - min
	 * would give the number column 10 + 10/270 of the spare and keep the
	 * prose at 4 lines; the number column needs only its max. */
	double cmin[] = {30, 40, 30, 40, 30, 40}, cmax[] = {40, 300, 38, 280, 36, 260}, w[2];
	double sum = cp_table_widths(2, 3, cmin, cmax, 150, w);
	UCHECK(fabs(sum - 150) < 0.01, "fills the measure: %.2f", sum);
	UCHECK(w[0] >= 30 && w[1] >= 40, "at least the mins: %.1f %.1f", w[0], w[1]);
	UCHECK(w[1] >= 105, "the prose column gets the room: %.1f %.1f", w[0], w[1]);
	UCHECK(w[0] >= 39.9, "the number column stays on one line: %.1f", w[0]);
}

/* ===== balanced display lines ============================================ */

/* Words of the given widths as a centred display line: ragged glue trios
 * (glue, penalty, glue) between them, the paragraph's ending. */
static size_t ragged_items(const double *words, size_t n, struct lb_item *it)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i) {
			it[k++] = (struct lb_item){LB_GLUE, 0, 30, 0, 0, false};
			it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, 0, false};
			it[k++] = (struct lb_item){LB_GLUE, 4, -30, 0, 0, false};
		}
		it[k++] = (struct lb_item){LB_BOX, words[i], 0, 0, 0, false};
	}
	it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, LB_INFINITY, false};
	it[k++] = (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false};
	it[k++] = (struct lb_item){LB_PENALTY, 0, 0, 0, -LB_INFINITY, false};
	return k;
}

/* The natural widths of the lines of res. */
static void line_widths(const struct lb_item *it, const struct lb_result *res, double *out)
{
	size_t start = 0;
	for (size_t l = 0; l < res->nlines; l++) {
		while (it[start].kind != LB_BOX)
			start++;
		double w = 0;
		for (size_t k = start; k < res->breaks[l]; k++)
			if (it[k].kind != LB_PENALTY)
				w += it[k].width;
		out[l] = w;
		start = res->breaks[l] + 1;
	}
}

UNIT_TEST(balance_evens_out_a_title)
{
	/* "Partnership, Procurement and the Recognition of Social Wealth in
	 * Public Contracts" in rough widths: greedy fills two lines and
	 * leaves two words to a third. */
	static const double words[] = {60, 58, 17, 16, 52, 11, 28, 30, 11, 27, 44};
	struct lb_item it[64];
	size_t n = ragged_items(words, ARRAY_LEN(words), it);
	struct lb_params p;
	lb_params_default(&p);
	p.tolerance = 1e9;
	struct lb_result res = {0};
	int rc = lb_break(it, n, 160, &p, &res);
	UCHECK(rc == 0 && res.nlines == 3, "three lines first: rc %d, %zu lines", rc, res.nlines);
	double before[8], after[8];
	line_widths(it, &res, before);
	rc = lb_balance(it, n, 160, false, &res);
	UCHECK(rc == 0 && res.nlines == 3, "still three lines: rc %d, %zu", rc, res.nlines);
	line_widths(it, &res, after);
	double lo = 1e9, hi = 0;
	for (size_t i = 0; i < res.nlines; i++) {
		lo = after[i] < lo ? after[i] : lo;
		hi = after[i] > hi ? after[i] : hi;
	}
	UCHECK(hi - lo < 45, "near-equal lines: %.0f %.0f %.0f (were %.0f %.0f %.0f)", after[0],
	       after[1], after[2], before[0], before[1], before[2]);
	UCHECK(after[2] <= after[0] + hi * 0.02, "no short line on top: %.0f %.0f %.0f", after[0],
	       after[1], after[2]);
	UCHECK(res.breaks[res.nlines - 1] == n - 1, "ends at the forced break");
	rc = lb_balance(it, n, 160, true, &res);
	line_widths(it, &res, after);
	UCHECK(rc == 0 && after[0] <= after[2] + hi * 0.02,
	       "short_top: no short line last: %.0f %.0f %.0f", after[0], after[1], after[2]);
	lb_result_release(&res);
}

UNIT_TEST(balance_leaves_one_line_alone)
{
	static const double words[] = {30, 40};
	struct lb_item it[16];
	size_t n = ragged_items(words, 2, it);
	struct lb_params p;
	lb_params_default(&p);
	p.tolerance = 1e9;
	struct lb_result res = {0};
	lb_break(it, n, 160, &p, &res);
	UCHECK(res.nlines == 1 && lb_balance(it, n, 160, false, &res) == -1 && res.nlines == 1,
	       "a one-line title stays as it is");
	lb_result_release(&res);
}

/* ===== the test book, set ================================================ */

struct set_book {
	struct diag d;
	struct book *b;
	struct tx_fonts *f;
	struct pg_doc *doc;
};

static bool set_blocks_book(struct set_book *s)
{
	diag_init(&s->d, stderr);
	s->d.quiet = true;
	s->b = book_load("tests/books/blocks", ".", &s->d);
	s->f = s->b ? tx_fonts_load(&s->b->style, s->b->meta.language, &s->d) : NULL;
	s->doc = s->f ? pg_compose(s->b, s->f, &s->d) : NULL;
	return s->doc != NULL;
}

static void unset_book(struct set_book *s)
{
	pg_doc_free(s->doc);
	tx_fonts_free(s->f);
	book_free(s->b);
	diag_free_source_cache();
}

/* The first piece of text that is word, and its page. */
static const struct pg_text *find_text(const struct pg_doc *doc, const char *word, size_t *page)
{
	for (size_t p = 0; p < doc->npages; p++)
		for (size_t i = 0; i < doc->pages[p].ntexts; i++) {
			const struct pg_text *t = &doc->pages[p].texts[i];
			if (t->len == strlen(word) && !memcmp(t->text, word, t->len)) {
				*page = p;
				return t;
			}
		}
	return NULL;
}

UNIT_TEST(blocks_book_keeps_inside_the_measure)
{
	struct set_book s;
	if (!set_blocks_book(&s)) {
		UCHECK(false, "tests/books/blocks lays out");
		unset_book(&s);
		return;
	}
	const struct bk_style *st = &s.b->style;
	UCHECK(s.doc->code_wrapped == 3, "three code lines wrapped, not %zu", s.doc->code_wrapped);
	/* No text leaves the text block: either margin, recto or verso. */
	double right_most = st->page_w - (st->margin_inner < st->margin_outer ? st->margin_inner
									  : st->margin_outer);
	size_t beyond = 0;
	for (size_t p = 0; p < s.doc->npages; p++)
		for (size_t i = 0; i < s.doc->pages[p].ntexts; i++) {
			const struct pg_text *t = &s.doc->pages[p].texts[i];
			double w = tx_shape(s.f, t->face, t->text, t->len)->width * t->size / 1000 *
				   t->hscale;
			if (t->x + w > right_most + 3.5) /* a hyphen may hang in the margin */
				beyond++;
		}
	UCHECK(beyond == 0, "%zu pieces of text beyond the measure", beyond);
	size_t wrapped = 0;
	for (size_t i = 0; i < s.doc->nlinev; i++)
		wrapped += s.doc->linev[i].wrapped;
	UCHECK(wrapped >= 3, "continuation lines recorded for the report: %zu", wrapped);
	unset_book(&s);
}

UNIT_TEST(blocks_book_heading_levels_differ)
{
	struct set_book s;
	if (!set_blocks_book(&s)) {
		UCHECK(false, "tests/books/blocks lays out");
		unset_book(&s);
		return;
	}
	/* The headings are the pieces 'level' not in the body's roman. */
	const struct pg_text *t[8];
	int nt = 0;
	for (size_t p = 0; p < s.doc->npages; p++)
		for (size_t i = 0; i < s.doc->pages[p].ntexts && nt < 8; i++) {
			const struct pg_text *x = &s.doc->pages[p].texts[i];
			if (x->len == 5 && !memcmp(x->text, "level", 5) && x->face != TX_REGULAR)
				t[nt++] = x;
		}
	UCHECK(nt == 4, "four headings h1-h4 set, not %d", nt);
	for (int i = 0; i < nt; i++)
		for (int j = i + 1; j < nt; j++)
			UCHECK(t[i]->face != t[j]->face || fabs(t[i]->size - t[j]->size) > 0.4,
			       "h%d and h%d look alike (face %d, %.1fpt)", i + 1, j + 1, t[i]->face,
			       t[i]->size);
	unset_book(&s);
}

UNIT_TEST(blocks_book_strike_and_inline_image)
{
	struct set_book s;
	if (!set_blocks_book(&s)) {
		UCHECK(false, "tests/books/blocks lays out");
		unset_book(&s);
		return;
	}
	size_t page;
	const struct pg_text *t = find_text(s.doc, "struck", &page);
	UCHECK(t != NULL, "the struck words are set");
	if (t) {
		bool ruled = false;
		const struct pg_page *pg = &s.doc->pages[page];
		for (size_t i = 0; i < pg->nrules; i++) {
			const struct pg_rule *r = &pg->rules[i];
			ruled |= r->x <= t->x + 0.5 && r->x + r->w > t->x + 10 && r->y > t->y &&
				 r->y < t->y + t->size * 0.5;
		}
		UCHECK(ruled, "a rule runs through 'struck', inside its x-height");
	}
	bool inline_img = false;
	for (size_t p = 0; p < s.doc->npages; p++)
		for (size_t i = 0; i < s.doc->pages[p].nimages; i++) {
			const struct pg_image *im = &s.doc->pages[p].images[i];
			inline_img |= strstr(im->img->src, "icon.png") && im->h <= s.b->style.body_size + 0.1;
		}
	UCHECK(inline_img, "the image inside a sentence is drawn, scaled to the line");
	/* Three note marks in a row are parted by commas. */
	const struct pg_text *c2 = find_text(s.doc, ",", &page);
	UCHECK(c2 && c2->size < s.b->style.body_size * 0.7, "a superior comma between note marks");
	unset_book(&s);
}
