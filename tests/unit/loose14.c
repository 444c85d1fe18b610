/*
 * loose14.c - the line breaker asked for a number of lines (lb_params'
 * lines, TeX's \looseness as a count): a paragraph set a line tighter
 * than its best, checked against an exhaustive search.
 */
#include "unit.h"

#include "layout/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SPACE_W 3.0
#define SPACE_Y 1.5
#define SPACE_Z 1.0
#define FILL 1e5

/* A paragraph of n words of the given widths: box, glue, ..., box, no
 * break, the final fill glue and the forced break. items must hold
 * 2n + 2. */
static size_t paragraph(struct lb_item *items, const double *words, size_t n)
{
	size_t k = 0;
	for (size_t w = 0; w < n; w++) {
		items[k++] = (struct lb_item){.kind = LB_BOX, .width = words[w]};
		if (w + 1 < n)
			items[k++] = (struct lb_item){LB_GLUE, SPACE_W, SPACE_Y, SPACE_Z, 0, false};
	}
	items[k++] = (struct lb_item){.kind = LB_PENALTY, .penalty = LB_INFINITY};
	items[k++] = (struct lb_item){LB_GLUE, 0, FILL, 0, 0, false};
	items[k++] = (struct lb_item){.kind = LB_PENALTY, .penalty = -LB_INFINITY};
	return k;
}

/* Plain demerits only: (l + badness)^2 a line, no fitness, hyphen or
 * runt costs, so that the exhaustive search below can price a line. */
static void plain_params(struct lb_params *p)
{
	lb_params_default(p);
	p->fitness_demerits = 0;
	p->short_last_demerits = 0;
	p->final_hyphen_demerits = 0;
	p->flagged_demerits = 0;
	p->end_stretch = 0;
}

/* The demerits of the line of words [a, b) (b == n: the last line), or
 * INFINITY when it is not feasible at tolerance tol. */
static double line_cost(const double *words, size_t n, size_t a, size_t b, double width,
			double tol)
{
	double L = 0;
	for (size_t w = a; w < b; w++)
		L += words[w] + (w + 1 < b ? SPACE_W : 0);
	size_t gaps = b - a - 1;
	double r;
	if (b == n)
		r = L <= width ? (width - L) / (gaps * SPACE_Y + FILL)
			       : (gaps ? (width - L) / (gaps * SPACE_Z) : -INFINITY);
	else if (L < width)
		r = gaps ? (width - L) / (gaps * SPACE_Y) : INFINITY;
	else
		r = gaps ? (width - L) / (gaps * SPACE_Z) : (L > width ? -INFINITY : 0);
	if (r < -1 || r > tol)
		return INFINITY;
	double bad = 100 * fabs(r) * fabs(r) * fabs(r);
	return (10 + bad) * (10 + bad);
}

/* The fewest demerits of a setting of the words in exactly lines lines,
 * by dynamic programming over (words set, lines used): INFINITY for
 * none. */
static double exhaustive(const double *words, size_t n, size_t lines, double width, double tol)
{
	double *d = malloc((n + 1) * (lines + 1) * sizeof(double));
	for (size_t i = 0; i <= n; i++)
		for (size_t l = 0; l <= lines; l++)
			d[i * (lines + 1) + l] = INFINITY;
	d[0] = 0;
	for (size_t b = 1; b <= n; b++)
		for (size_t l = 1; l <= lines; l++)
			for (size_t a = 0; a < b; a++) {
				double from = d[a * (lines + 1) + l - 1];
				if (isinf(from))
					continue;
				double c = line_cost(words, n, a, b, width, tol);
				if (from + c < d[b * (lines + 1) + l])
					d[b * (lines + 1) + l] = from + c;
			}
	double best = d[n * (lines + 1) + lines];
	free(d);
	return best;
}

static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* A paragraph whose best setting is n lines can be set in n - 1: the
 * breaker finds that setting with the fewest demerits the exhaustive
 * search finds, and the same when asked for its best count. */
UNIT_TEST(loose14_tighter_exact)
{
	struct lb_params p;
	plain_params(&p);
	int tighter = 0;
	for (unsigned seed = 1; seed <= 40; seed++) {
		unsigned rs = seed;
		double words[80];
		size_t n = 40 + next_rand(&rs) % 40;
		for (size_t w = 0; w < n; w++)
			words[w] = 4 + next_rand(&rs) % 16;
		struct lb_item items[2 * 80 + 2];
		size_t ni = paragraph(items, words, n);
		double width = 300;
		struct lb_result best;
		p.lines = 0;
		if (lb_break(items, ni, width, &p, &best) < 0)
			continue;
		double want = exhaustive(words, n, best.nlines, width, p.tolerance);
		UCHECK(fabs(best.demerits - want) <= 1e-6 * want,
		       "seed %u: best %zu lines %.3f, exhaustive %.3f", seed, best.nlines,
		       best.demerits, want);
		/* Asked for its own count: the same setting. */
		struct lb_result same;
		p.lines = best.nlines;
		UCHECK(lb_break(items, ni, width, &p, &same) == 0 && same.nlines == best.nlines &&
			       !memcmp(same.breaks, best.breaks, best.nlines * sizeof(size_t)),
		       "seed %u: asked for its best count, another setting", seed);
		lb_result_release(&same);
		/* A line fewer. */
		struct lb_result fewer;
		p.lines = best.nlines - 1;
		double ex = exhaustive(words, n, best.nlines - 1, width, p.tolerance);
		int rc = lb_break(items, ni, width, &p, &fewer);
		UCHECK((rc == 0) == !isinf(ex), "seed %u: %zu lines: breaker %d, exhaustive %g",
		       seed, best.nlines - 1, rc, ex);
		if (rc == 0) {
			tighter++;
			UCHECK(fewer.nlines == best.nlines - 1, "seed %u: %zu lines, not %zu", seed,
			       fewer.nlines, best.nlines - 1);
			UCHECK(fabs(fewer.demerits - ex) <= 1e-6 * ex,
			       "seed %u: a line fewer %.3f, exhaustive %.3f", seed, fewer.demerits,
			       ex);
			UCHECK(fewer.demerits >= best.demerits, "seed %u: tighter beat best", seed);
			for (size_t l = 0; l < fewer.nlines; l++)
				UCHECK(fewer.ratios[l] >= -1 && fewer.ratios[l] <= p.tolerance,
				       "seed %u: line %zu at r = %.3f", seed, l, fewer.ratios[l]);
			lb_result_release(&fewer);
		}
		lb_result_release(&best);
	}
	/* The seeds above hold both kinds. */
	UCHECK(tighter >= 5 && tighter < 40, "%d of 40 paragraphs could be set a line tighter",
	       tighter);
}

/* One that cannot: words as wide as the line leave no shorter setting;
 * and a setting with more lines than the words, none either. */
UNIT_TEST(loose14_tighter_none)
{
	struct lb_params p;
	plain_params(&p);
	double words[] = {70, 70, 70, 70, 70, 70};
	struct lb_item items[2 * 6 + 2];
	size_t ni = paragraph(items, words, 6);
	struct lb_result r;
	UCHECK(lb_break(items, ni, 144, &p, &r) == 0 && r.nlines == 3, "best: %zu lines",
	       r.nlines);
	size_t best_lines = r.nlines;
	lb_result_release(&r);
	p.lines = best_lines - 1;
	UCHECK(lb_break(items, ni, 144, &p, &r) == -1 && r.nlines == 0,
	       "6 words of 70 on 2 lines of 144");
	lb_result_release(&r);
	p.lines = 7;
	UCHECK(lb_break(items, ni, 144, &p, &r) == -1, "6 words on 7 lines");
	lb_result_release(&r);
}

/* The same paragraph asked the same gives the same breaks (the line
 * groups are taken in a fixed order, not the active list's). */
UNIT_TEST(loose14_tighter_deterministic)
{
	struct lb_params p;
	lb_params_default(&p);
	p.end_stretch = 0;
	unsigned rs = 7;
	double words[70];
	for (size_t w = 0; w < 70; w++)
		words[w] = 4 + next_rand(&rs) % 16;
	struct lb_item items[2 * 70 + 2];
	size_t ni = paragraph(items, words, 70);
	struct lb_result a, b;
	UCHECK(lb_break(items, ni, 300, &p, &a) == 0, "seed 7 sets");
	p.lines = a.nlines - 1;
	struct lb_result t1, t2;
	int r1 = lb_break(items, ni, 300, &p, &t1), r2 = lb_break(items, ni, 300, &p, &t2);
	UCHECK(r1 == r2 && t1.nlines == t2.nlines && t1.demerits == t2.demerits &&
		       (r1 < 0 || !memcmp(t1.breaks, t2.breaks, t1.nlines * sizeof(size_t))),
	       "two runs differ");
	p.lines = 0;
	UCHECK(lb_break(items, ni, 300, &p, &b) == 0 && b.nlines == a.nlines &&
		       !memcmp(a.breaks, b.breaks, a.nlines * sizeof(size_t)),
	       "the search without a count changed");
	lb_result_release(&a);
	lb_result_release(&b);
	lb_result_release(&t1);
	lb_result_release(&t2);
}
