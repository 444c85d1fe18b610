/*
 * balance.c - display lines (titles, subtitles, bylines) broken into
 * lines of near-equal length.
 *
 * A title set centred and broken as a paragraph is fills its first lines
 * and leaves the rest to the last ("...social wealth in / public
 * contracts"). A designer breaks it instead by sense and by shape: as
 * many lines as it needs, each about as long as the others. Here: the
 * same number of lines the breaker found, and the narrowest measure that
 * still holds the text in that many lines (a binary search over the
 * measure, each probe a first-fit pass over the legal breakpoints). A
 * first-fit pass from the top fills the upper lines, so the short line,
 * if any, is the last; the same pass from the end puts it first.
 */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The legal breakpoints of Knuth and Plass's model: a penalty below
 * +infinity, or a glue right after a box (not one that a penalty
 * follows: the ragged glue, penalty, glue trio breaks at its penalty). */
static bool legal(const struct lb_item *items, size_t n, size_t i)
{
	if (items[i].kind == LB_PENALTY)
		return items[i].penalty < LB_INFINITY;
	if (items[i].kind == LB_GLUE)
		return i > 0 && items[i - 1].kind == LB_BOX &&
		       !(i + 1 < n && items[i + 1].kind == LB_PENALTY);
	return false;
}

struct bal {
	const struct lb_item *items;
	size_t n;
	double *sum;   /* sum[i]: natural width of items [0, i) (boxes and glue) */
	size_t *first; /* first[i]: the first box at or after i (n for none) */
	size_t *pts;   /* the legal breakpoints, increasing; the last is n - 1 */
	size_t npts;
};

/* The natural width of the line after breakpoint a (or from the start,
 * a == SIZE_MAX) up to and including breakpoint b. */
static double line_width(const struct bal *B, size_t a, size_t b)
{
	size_t s = B->first[a == SIZE_MAX ? 0 : a + 1];
	if (s >= b)
		return 0;
	double w = B->sum[b] - B->sum[s];
	if (B->items[b].kind == LB_PENALTY)
		w += B->items[b].width;
	return w;
}

static bool is_forced(const struct bal *B, size_t i)
{
	return B->items[i].kind == LB_PENALTY && B->items[i].penalty <= -LB_INFINITY;
}

/* First fit at measure w, from the top (or from the end): the breaks in
 * out (room for npts), their number returned; 0 when some piece is wider
 * than w. */
static size_t fit(const struct bal *B, double w, bool from_end, size_t *out)
{
	size_t nl = 0;
	if (!from_end) {
		size_t a = SIZE_MAX, k = 0;
		while (k < B->npts) {
			size_t best = SIZE_MAX;
			for (size_t j = k; j < B->npts; j++) {
				if (line_width(B, a, B->pts[j]) > w + 1e-6)
					break;
				best = j;
				if (is_forced(B, B->pts[j]))
					break; /* a forced break ends the line */
			}
			if (best == SIZE_MAX)
				return 0;
			out[nl++] = B->pts[best];
			a = B->pts[best];
			k = best + 1;
		}
		return nl;
	}
	/* From the end: each line starts as early as it can. */
	size_t end = B->npts - 1;
	for (;;) {
		out[nl++] = B->pts[end];
		size_t best = SIZE_MAX, j;
		bool forced = false;
		for (j = end; j-- > 0;) {
			if (line_width(B, B->pts[j], B->pts[end]) > w + 1e-6)
				break;
			best = j;
			if (is_forced(B, B->pts[j])) {
				forced = true; /* the line cannot start before it */
				break;
			}
		}
		if (!forced && j == SIZE_MAX && line_width(B, SIZE_MAX, B->pts[end]) <= w + 1e-6)
			break; /* the rest is the first line */
		if (best == SIZE_MAX)
			return 0;
		end = best;
	}
	for (size_t i = 0; i < nl / 2; i++) {
		size_t t = out[i];
		out[i] = out[nl - 1 - i];
		out[nl - 1 - i] = t;
	}
	return nl;
}

/*
 * The nl lines at measure w that first fit found (in out) shared out as
 * evenly as the breakpoints allow: the breaks that give the least sum of
 * the squares of the lines' shortfalls from w (the caller checks the
 * shape). First fit alone fills the lines before the longest:
 * "Fußnoten und Verweise in einer / Sammlung / zusammenhängender
 * Beispiele". Leaves out as it is for a text of more than MAX_EVEN
 * breakpoints (a colophon; titles have a few dozen).
 */
#define MAX_EVEN 400
static void even(const struct bal *B, struct arena *scr, double w, size_t nl, size_t *out)
{
	size_t np = B->npts;
	if (nl < 2 || np > MAX_EVEN)
		return;
	/* cost[l * np + j]: the least for l + 1 lines, the last ending at
	 * pts[j]; from[...]: the breakpoint the line before it ended at
	 * (SIZE_MAX: none, the text's start). nf[q]: the first forced
	 * breakpoint at or after pts[q], which no line may run past. */
	double *cost = ar_alloc(scr, nl * np * sizeof(double));
	size_t *from = ar_alloc(scr, nl * np * sizeof(size_t));
	size_t *nf = ar_alloc(scr, (np + 1) * sizeof(size_t));
	nf[np] = np;
	for (size_t q = np; q-- > 0;)
		nf[q] = is_forced(B, B->pts[q]) ? q : nf[q + 1];
	for (size_t l = 0; l < nl; l++) {
		for (size_t j = 0; j < np; j++) {
			double *best = &cost[l * np + j];
			*best = INFINITY;
			for (size_t i = 0; i <= j; i++) {
				/* the line after pts[i - 1] (i == 0: from the start) */
				size_t prev = i ? i - 1 : SIZE_MAX;
				if ((l == 0) != (i == 0) || (l && cost[(l - 1) * np + prev] == INFINITY) ||
				    nf[i] < j)
					continue;
				double lw = line_width(B, i ? B->pts[prev] : SIZE_MAX, B->pts[j]);
				if (lw > w + 1e-6)
					continue;
				double c = (l ? cost[(l - 1) * np + prev] : 0) + (w - lw) * (w - lw);
				if (c < *best) {
					*best = c;
					from[l * np + j] = prev;
				}
			}
		}
	}
	if (cost[(nl - 1) * np + np - 1] == INFINITY)
		return;
	for (size_t l = nl, j = np - 1; l-- > 0;) {
		out[l] = B->pts[j];
		j = from[l * np + j];
	}
}

/* Whether lines whose first and last are this wide have the style's
 * shape: the short line last (or first), give or take 2% of the widest. */
static bool is_shaped(double first, double last, double widest, bool short_top)
{
	double tol = widest * 0.02;
	return short_top ? first <= last + tol : last <= first + tol;
}

/* lb_balance over B's breakpoints: 0 with res set, -1 (res as it was)
 * when no setting in k lines or fewer holds the text. */
/* Whether lines v (nl breaks) have the style's shape (is_shaped); their
 * widest into *widest when it is not NULL. */
static bool shape_of(const struct bal *B, const size_t *v, size_t nl, bool short_top,
		     double *widest)
{
	double first = 0, last = 0, most = 0;
	for (size_t i = 0; i < nl; i++) {
		double w = line_width(B, i ? v[i - 1] : SIZE_MAX, v[i]);
		most = w > most ? w : most;
		if (i == 0)
			first = w;
		last = w;
	}
	if (widest)
		*widest = most;
	return is_shaped(first, last, most, short_top);
}

/* The shortest of lines v (nl breaks) but the end one (the last, or the
 * first from_end), which may be short; INFINITY for none. */
static double inner_short(const struct bal *B, const size_t *v, size_t nl, bool from_end)
{
	double m = INFINITY;
	for (size_t i = 0; i < nl; i++) {
		double w = line_width(B, i ? v[i - 1] : SIZE_MAX, v[i]);
		if (i + 1 != (from_end ? 1 : nl) && w < m)
			m = w;
	}
	return m;
}

/* A hole: a line between others under this share of the measure. */
#define HOLE (2.0 / 3)

/* Lines v (nl breaks, first fit's at measure w) with a hole shared out
 * evenly (even) when that makes their shortest inner line longer; else
 * as they are. */
static void even_out(const struct bal *B, struct arena *scr, double w, size_t nl, bool from_end,
		     size_t *v)
{
	double was = inner_short(B, v, nl, from_end);
	if (was >= w * HOLE)
		return;
	size_t *ev = ar_memdup(scr, v, nl, sizeof(size_t));
	even(B, scr, w, nl, ev);
	if (inner_short(B, ev, nl, from_end) > was)
		memcpy(v, ev, nl * sizeof(size_t));
}

static int balance_at(const struct bal *B, struct arena *scr, double width, bool short_top,
		      size_t k, struct lb_result *res)
{
	size_t n = B->n;
	int rc = -1;
	size_t *out = ar_alloc(scr, n * sizeof(size_t)), *cand[2] = {NULL, NULL}, ncand[2] = {0, 0};
	double widest[2] = {0, 0};
	bool shaped[2] = {false, false};
	for (int dir = 0; dir < 2 && B->npts && B->pts[B->npts - 1] == n - 1; dir++) {
		/* The narrowest measure that keeps k lines (or fewer), filling
		 * from the top (dir 0) or from the end (dir 1). */
		bool from_end = dir == 1;
		double lo = 0, hi = width;
		size_t nl = fit(B, hi, from_end, out);
		if (!nl || nl > k)
			continue;
		for (int it = 0; it < 40 && hi - lo > 0.05; it++) {
			double mid = (lo + hi) / 2;
			size_t m = fit(B, mid, from_end, out);
			if (m && m <= k)
				hi = mid;
			else
				lo = mid;
		}
		nl = fit(B, hi, from_end, out);
		if (!nl || nl > k)
			continue;
		even_out(B, scr, hi, nl, from_end, out);
		cand[dir] = ar_memdup(scr, out, nl, sizeof(size_t));
		ncand[dir] = nl;
		shaped[dir] = shape_of(B, cand[dir], nl, short_top, &widest[dir]);
	}
	if (!(cand[0] && shaped[0]) && !(cand[1] && shaped[1]) && (cand[0] || cand[1])) {
		/* Neither has the style's shape (a last word too long to stay
		 * short): a wider measure, up to 30% wider, that gives it. */
		double bal = cand[0] && (!cand[1] || widest[0] <= widest[1]) ? widest[0] : widest[1];
		bool from_end = short_top;
		double best_w = 0;
		size_t best_nl = 0;
		for (size_t j = 0; j + 1 < B->npts; j++) {
			double w = from_end ? line_width(B, B->pts[j], B->pts[B->npts - 1])
					    : line_width(B, SIZE_MAX, B->pts[j]);
			if (w <= bal + 0.01 || w > bal * 1.3 || w > width || (best_w > 0 && w >= best_w))
				continue;
			size_t nl = fit(B, w, from_end, out);
			if (!nl || nl > k)
				continue;
			/* Not with a hole ("...in einer / Sammlung /
			 * zusammenhängender..."): evenness before shape. */
			even_out(B, scr, w, nl, from_end, out);
			if (shape_of(B, out, nl, short_top, NULL) &&
			    inner_short(B, out, nl, from_end) >= w * HOLE) {
				best_w = w;
				best_nl = nl;
				cand[from_end] = ar_memdup(scr, out, nl, sizeof(size_t));
			}
		}
		if (best_w > 0) {
			int d = from_end ? 1 : 0;
			ncand[d] = best_nl;
			shaped[d] = true;
			widest[d] = best_w;
		}
	}
	/* The candidate of the style's shape, the narrower if both are;
	 * else the narrower. */
	int pick = -1;
	for (int dir = 0; dir < 2; dir++) {
		if (!cand[dir])
			continue;
		if (pick < 0 || (shaped[dir] && !shaped[pick]) ||
		    (shaped[dir] == shaped[pick] && widest[dir] < widest[pick] - 0.01))
			pick = dir;
	}
	if (pick >= 0) {
		free(res->breaks);
		free(res->ratios);
		res->breaks = xmalloc(ncand[pick] * sizeof(size_t));
		memcpy(res->breaks, cand[pick], ncand[pick] * sizeof(size_t));
		res->ratios = xcalloc(ncand[pick], sizeof(double));
		res->nlines = ncand[pick];
		rc = 0;
	}
	return rc;
}

/* A break as dear as this is a last resort to the line breaker, as a
 * hyphen is: inside a name from code, between two letters with no mark
 * ("requested" / "Url", compose.c's CAMEL_PENALTY and letter breaks). */
#define BAL_DEAR 700

int lb_balance(const struct lb_item *items, size_t n, double width, bool short_top,
	       struct lb_result *res)
{
	size_t k = res->nlines;
	if (k < 2 || n < 2)
		return -1;
	/* Every working array in one scratch arena, released on return; only
	 * the result is malloc'd, as lb_result's contract says. */
	struct arena scr;
	ar_init(&scr);
	struct bal B = {items, n, ar_alloc(&scr, (n + 1) * sizeof(double)),
			ar_alloc(&scr, (n + 1) * sizeof(size_t)), ar_alloc(&scr, n * sizeof(size_t)), 0};
	B.sum[0] = 0;
	for (size_t i = 0; i < n; i++)
		B.sum[i + 1] = B.sum[i] + (items[i].kind == LB_PENALTY ? 0 : items[i].width);
	B.first[n] = n;
	for (size_t i = n; i-- > 0;)
		B.first[i] = items[i].kind == LB_BOX ? i : B.first[i + 1];
	/* Display lines break between words where they can: hyphens only
	 * when no balanced setting in as many lines goes without them ("Fuß-
	 * noten und Ver- / weise in einer Samm- / lung..." had three in
	 * four lines, since a narrower measure always takes another), nor
	 * at BAL_DEAR breaks; then
	 * only in the words wider than the measure; then anywhere. */
	int rc = -1;
	for (int hy = 0; hy < 3 && rc < 0; hy++) {
		B.npts = 0;
		double word = 0; /* the width of the word that i is in */
		for (size_t i = 0; i < n; i++) {
			if (items[i].kind == LB_GLUE || i == 0 || items[i - 1].kind == LB_GLUE) {
				word = 0;
				for (size_t j = i; j < n && items[j].kind != LB_GLUE; j++)
					word += items[j].kind == LB_BOX ? items[j].width : 0;
			}
			bool hyphen = items[i].kind == LB_PENALTY &&
				      ((items[i].flagged && items[i].width > 0) ||
				       items[i].penalty >= BAL_DEAR);
			if (legal(items, n, i) && (!hyphen || hy == 2 || (hy == 1 && word > width)))
				B.pts[B.npts++] = i;
		}
		rc = balance_at(&B, &scr, width, short_top, k, res);
	}
	ar_release(&scr);
	return rc;
}

