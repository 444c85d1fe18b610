/*
 * table.c - a table's column widths from its content.
 *
 * HTML's automatic table layout (CSS 2.1, 17.5.2.2) starts from each
 * column's min-content width (its widest unbreakable piece) and max-content
 * width (its widest cell on one line): when the maxima fit, each column
 * takes its max; when not even the minima fit, its min. In between, the
 * browsers share the spare room in proportion to max - min, which gives a
 * long prose column most of it whether or not the short columns then
 * wrap ("1-3 / years" beside a half-empty column). Here the spare room is
 * given a point at a time to the column where it saves the most lines,
 * by an estimate of the table's depth: a row is as deep as its deepest
 * cell, and a cell of max-content width m in a column of width w needs
 * about m / w lines (never less than one).
 *
 * Then, once the table is set, what the page builder keeps together of
 * it (pg_mark_table): the composer marks it, page.c reads the marks.
 *
 * A table of right-to-left text runs right to left, as HTML's does under
 * dir="rtl" (CSS 2.1, 17.5: "columns ... ordered right to left"): its
 * first column at the right, the table at the measure's right edge.
 */
#include "layout-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The table's estimated depth in lines at widths w: the sum over rows of
 * a smooth maximum (a p-norm, p = 8) of its cells' line counts, so that
 * widening one of two equally deep cells still shows a small gain. */
static double depth(int nc, size_t nrows, const double *cmax, const double *w)
{
	double sum = 0;
	for (size_t r = 0; r < nrows; r++) {
		double acc = 0;
		for (int k = 0; k < nc; k++) {
			double lines = w[k] > 0 ? cmax[r * (size_t)nc + (size_t)k] / w[k] : 1;
			if (lines < 1)
				lines = 1;
			double l2 = lines * lines, l4 = l2 * l2;
			acc += l4 * l4;
		}
		sum += sqrt(sqrt(sqrt(acc)));
	}
	return sum;
}

/* The table's depth in whole lines, the same estimate rounded up per
 * cell. */
static double whole_depth(int nc, size_t nrows, const double *cmax, const double *w)
{
	double sum = 0;
	for (size_t r = 0; r < nrows; r++) {
		double deepest = 1;
		for (int k = 0; k < nc; k++) {
			double lines = w[k] > 0 ? ceil(cmax[r * (size_t)nc + (size_t)k] / w[k] - 1e-9) : 1;
			deepest = lines > deepest ? lines : deepest;
		}
		sum += deepest;
	}
	return sum;
}

static double min_of(const double *cmin, int nc, size_t nrows, int k)
{
	double m = 0;
	for (size_t r = 0; r < nrows; r++)
		m = cmin[r * (size_t)nc + (size_t)k] > m ? cmin[r * (size_t)nc + (size_t)k] : m;
	return m;
}

double cp_table_widths(int nc, size_t nrows, const double *cmin, const double *cmax,
		       double avail, double *w)
{
	double *mx = xcalloc((size_t)nc, sizeof(double));
	double sum_min = 0, sum_max = 0;
	for (int k = 0; k < nc; k++) {
		w[k] = 0;
		for (size_t r = 0; r < nrows; r++) {
			size_t i = r * (size_t)nc + (size_t)k;
			if (cmin[i] > w[k])
				w[k] = cmin[i];
			if (cmax[i] > mx[k])
				mx[k] = cmax[i];
		}
		if (mx[k] < w[k])
			mx[k] = w[k];
		sum_min += w[k];
		sum_max += mx[k];
	}
	if (sum_max <= avail || sum_min >= avail) {
		double total = 0;
		for (int k = 0; k < nc; k++) {
			if (sum_max <= avail)
				w[k] = mx[k];
			total += w[k];
		}
		free(mx);
		return total;
	}
	/* The spare room in steps of a point (or finer, for a narrow one). */
	double spare = avail - sum_min;
	double step = spare / 200 > 1 ? spare / 200 : spare < 1 ? spare : 1;
	double now = depth(nc, nrows, cmax, w);
	while (spare > 1e-9) {
		double d = step < spare ? step : spare;
		int best = -1;
		double best_gain = 1e-12, best_after = now;
		for (int k = 0; k < nc; k++) {
			if (w[k] >= mx[k])
				continue; /* on one line already */
			double keep = w[k];
			w[k] = keep + d > mx[k] ? mx[k] : keep + d;
			double after = depth(nc, nrows, cmax, w);
			w[k] = keep;
			if (now - after > best_gain) {
				best_gain = now - after;
				best = k;
				best_after = after;
			}
		}
		if (best < 0)
			break;
		double grow = w[best] + d > mx[best] ? mx[best] - w[best] : d;
		w[best] += grow;
		spare -= grow;
		now = best_after;
	}
	/* The estimate is smooth; lines are whole. A column a little short
	 * of its max (a number column wrapping one word) takes the room
	 * from the widest column when that costs no whole line there. */
	for (int k = 0; k < nc; k++) {
		double need = mx[k] - w[k];
		if (need <= 0 || need > w[k] * 0.5)
			continue;
		int donor = -1;
		for (int j = 0; j < nc; j++)
			if (j != k && w[j] - need >= min_of(cmin, nc, nrows, j) &&
			    (donor < 0 || w[j] > w[donor]))
				donor = j;
		if (donor < 0)
			continue;
		double before = whole_depth(nc, nrows, cmax, w);
		w[k] += need;
		w[donor] -= need;
		if (whole_depth(nc, nrows, cmax, w) > before) {
			w[k] -= need;
			w[donor] += need;
		}
	}
	/* What saves no line goes to the columns still wrapped, as HTML
	 * shares it (in proportion to max - width), so that the table fills
	 * the measure when any of its cells wrap. */
	double want = 0;
	for (int k = 0; k < nc; k++)
		want += mx[k] - w[k];
	double total = 0;
	for (int k = 0; k < nc; k++) {
		if (want > 0 && spare > 0)
			w[k] += spare * (mx[k] - w[k]) / want;
		total += w[k];
	}
	free(mx);
	return total;
}

/* ===== words kept whole ================================================ */

/* The hyphens the cells narrower than their widest word need at widths
 * w, by an estimate: one where the word goes in two lines (ctwo), else
 * its width over the column's less one, two at least. */
static double hyphens(int nc, size_t nrows, const double *cwhole, const double *ctwo,
		      const double *w)
{
	double n = 0;
	for (size_t r = 0; r < nrows; r++)
		for (int k = 0; k < nc; k++) {
			size_t i = r * (size_t)nc + (size_t)k;
			if (cwhole[i] <= w[k] + 0.01 || w[k] <= 0)
				continue;
			double more = ceil(cwhole[i] / w[k] - 1e-9) - 1;
			n += ctwo[i] <= w[k] + 0.01 ? 1 : more > 2 ? more : 2;
		}
	return n;
}

/* Whether widths b beat a: fewer lines by the estimate, then fewer hyphens
 * (the estimate of hyphens). */
static bool better(int nc, size_t nrows, const double *cmax, const double *cwhole,
		   const double *ctwo, const double *b, const double *a)
{
	double db = whole_depth(nc, nrows, cmax, b), da = whole_depth(nc, nrows, cmax, a);
	if (db != da)
		return db < da;
	return hyphens(nc, nrows, cwhole, ctwo, b) < hyphens(nc, nrows, cwhole, ctwo, a);
}

/* Most columns whose sets of raised columns are tried all; past them the
 * cheapest are raised first. */
#define WHOLE_TRY 6
/* The best widths by the estimate set by the line breaker (cp_table_probe)
 * to choose from: at most this many, and the widths that split no word
 * in three (two_floor). */
#define WHOLE_SET 4

/* The widths tried, best by the estimate first (nc each, in v). */
struct tries {
	double *v;
	size_t n;
};

/* Keeps widths b among the WHOLE_SET best by the estimate (better), in
 * order; the first of them is what the estimate alone would choose. */
static void keep_try(struct tries *t, int nc, size_t nrows, const double *cmax,
		     const double *cwhole, const double *ctwo, const double *b)
{
	size_t at = t->n;
	while (at > 0 && better(nc, nrows, cmax, cwhole, ctwo, b, t->v + (at - 1) * (size_t)nc))
		at--;
	if (at >= WHOLE_SET)
		return;
	size_t n = t->n < WHOLE_SET ? t->n + 1 : WHOLE_SET;
	memmove(t->v + (at + 1) * (size_t)nc, t->v + at * (size_t)nc,
		(n - 1 - at) * (size_t)nc * sizeof(double));
	memcpy(t->v + at * (size_t)nc, b, (size_t)nc * sizeof(double));
	t->n = n;
}

/* Whether some cell at widths w is narrower than its widest word, so that
 * the line breaker hyphenates there. */
static bool hyphenates(int nc, size_t nrows, const double *cwhole, const double *w)
{
	for (size_t r = 0; r < nrows; r++)
		for (int k = 0; k < nc; k++)
			if (cwhole[r * (size_t)nc + (size_t)k] > w[k] + 0.01)
				return true;
	return false;
}

/* Whether the line breaker's result a beats b: fewer words in three
 * pieces or more (a word read over three lines, "Sub-/scrip-/tions",
 * is worse than a row a line deeper), then fewer lines, then fewer
 * hyphens. */
static bool real_better(const struct cp_table_real *a, const struct cp_table_real *b)
{
	if (a->split3 != b->split3)
		return a->split3 < b->split3;
	if (a->lines != b->lines)
		return a->lines < b->lines;
	return a->hyphens < b->hyphens;
}

/*
 * The widths the estimate ranks best (t->v, in order) set by the line
 * breaker (probe), the best of them by what it makes into w. The estimate
 * counts a cell's lines as its max over the column's width, and a word
 * that breaks into three pieces ("Sub-/scrip-/tions" in a column 0.3 pt
 * narrower than "Subscrip-") as no deeper than one in two; the breaker
 * sees it. Ties keep the estimate's order.
 */
static void choose_real(const struct tries *t, int nc, const struct cp_table_probe *probe,
			double *w)
{
	size_t best = 0;
	struct cp_table_real rb = {0}, r;
	for (size_t i = 0; i < t->n; i++) {
		probe->set(probe->ctx, t->v + i * (size_t)nc, &r);
		if (i == 0 || real_better(&r, &rb)) {
			rb = r;
			best = i;
		}
	}
	memcpy(w, t->v + best * (size_t)nc, (size_t)nc * sizeof(double));
}

/* The widths that hyphenate no word more than once where that fits: each
 * cell's min raised to its width with one hyphen a word (ctwo), the room
 * left shared by the estimate (cp_table_widths); false when those do not
 * fit avail, or change nothing (no column's min is below them). */
static bool two_floor(int nc, size_t nrows, const double *base, const double *ctwo,
		      const double *cmax, double avail, double *raised, double *b)
{
	double sum = 0;
	bool any = false;
	for (int k = 0; k < nc; k++) {
		double m = 0;
		for (size_t r = 0; r < nrows; r++) {
			size_t i = r * (size_t)nc + (size_t)k;
			any |= ctwo[i] > base[i] + 0.01;
			raised[i] = ctwo[i] > base[i] ? ctwo[i] : base[i];
			m = raised[i] > m ? raised[i] : m;
		}
		sum += m;
	}
	if (!any || sum > avail)
		return false;
	cp_table_widths(nc, nrows, raised, cmax, avail, b);
	return true;
}

static double sum_of(const double *w, int nc)
{
	double s = 0;
	for (int k = 0; k < nc; k++)
		s += w[k];
	return s;
}

double cp_table_whole(int nc, size_t nrows, const double *cmin, const double *cwhole,
		      const double *ctwo, const double *cmax, double avail, double *w,
		      const struct cp_table_probe *probe)
{
	double total = cp_table_widths(nc, nrows, cmin, cmax, avail, w);
	if (total > avail + 0.01)
		return total; /* not even the hyphenated pieces fit */
	double sum_min = 0, *b = xcalloc((size_t)nc * 2, sizeof(double));
	double *need = b + nc; /* what column k lacks for its widest word */
	int cand[WHOLE_TRY], ncand = 0;
	for (int k = 0; k < nc; k++)
		sum_min += min_of(cmin, nc, nrows, k);
	/* The columns that hyphenate, cheapest first (need), the first
	 * WHOLE_TRY of them tried in every combination. */
	for (;;) {
		int best = -1;
		for (int k = 0; k < nc; k++) {
			double mn = min_of(cmin, nc, nrows, k), wh = min_of(cwhole, nc, nrows, k);
			if (w[k] < wh - 0.01 && need[k] == 0 && (best < 0 || wh - mn < need[best]))
				best = k;
		}
		if (best < 0 || ncand == WHOLE_TRY)
			break;
		need[best] = min_of(cwhole, nc, nrows, best) - min_of(cmin, nc, nrows, best);
		cand[ncand++] = best;
	}
	/* The columns that keep their words whole at w keep them whole in
	 * every try: the room a try gives goes to the others. */
	double *base = xmalloc(nrows * (size_t)nc * 2 * sizeof(double));
	double *raised = base + nrows * (size_t)nc;
	struct tries tr = {xmalloc((WHOLE_SET + 1) * (size_t)nc * sizeof(double)), 0};
	keep_try(&tr, nc, nrows, cmax, cwhole, ctwo, w);
	memcpy(base, cmin, nrows * (size_t)nc * sizeof(double));
	for (int k = 0; k < nc && ncand; k++) {
		double mn = min_of(cmin, nc, nrows, k), wh = min_of(cwhole, nc, nrows, k);
		if (w[k] < wh - 0.01)
			continue;
		sum_min += wh - mn;
		for (size_t r = 0; r < nrows; r++) {
			size_t i = r * (size_t)nc + (size_t)k;
			base[i] = cwhole[i] > base[i] ? cwhole[i] : base[i];
		}
	}
	for (unsigned set = 1; set < 1u << ncand; set++) {
		double add = 0;
		memcpy(raised, base, nrows * (size_t)nc * sizeof(double));
		for (int q = 0; q < ncand; q++) {
			if (!(set >> q & 1))
				continue;
			add += need[cand[q]];
			for (size_t r = 0; r < nrows; r++) {
				size_t i = r * (size_t)nc + (size_t)cand[q];
				raised[i] = cwhole[i] > raised[i] ? cwhole[i] : raised[i];
			}
		}
		if (sum_min + add > avail)
			continue;
		cp_table_widths(nc, nrows, raised, cmax, avail, b);
		keep_try(&tr, nc, nrows, cmax, cwhole, ctwo, b);
	}
	memcpy(w, tr.v, (size_t)nc * sizeof(double));
	/* Where the estimate's choice hyphenates, the line breaker chooses,
	 * among the best few and the widths that split no word in three. */
	if (probe && hyphenates(nc, nrows, cwhole, w)) {
		if (two_floor(nc, nrows, base, ctwo, cmax, avail, raised, b))
			memcpy(tr.v + tr.n++ * (size_t)nc, b, (size_t)nc * sizeof(double));
		if (tr.n > 1)
			choose_real(&tr, nc, probe, w);
	}
	free(tr.v);
	free(base);
	free(b);
	return sum_of(w, nc);
}

/* ===== cells spanning columns ========================================== */

/* The columns' min or max from the one-column cells (v: cmin or cmax). */
static void single_widths(int nc, size_t nrows, const int *span, const double *v, double *col)
{
	for (int k = 0; k < nc; k++) {
		col[k] = 0;
		for (size_t r = 0; r < nrows; r++) {
			size_t i = r * (size_t)nc + (size_t)k;
			if (span[i] <= 1 && v[i] > col[k])
				col[k] = v[i];
		}
	}
}

/* One spanning cell's width need (its min or max) shared over its n
 * columns from k: the excess over what they have (col) goes by weight,
 * col grows by it, and out[] gets each column's part of the cell. */
static void share(double need, double gap, int k, int n, const double *weight, double *col,
		  double *out)
{
	double have = gap * (n - 1), wsum = 0;
	for (int j = k; j < k + n; j++) {
		have += col[j];
		wsum += weight[j];
	}
	double excess = need > have ? need - have : 0;
	for (int j = k; j < k + n; j++) {
		double part = wsum > 0 ? weight[j] / wsum : 1.0 / n;
		col[j] += excess * part;
		out[j - k] = col[j];
	}
}

void cp_table_spans(int nc, size_t nrows, const int *span, double gap, double *cmin,
		    double *cmax)
{
	double *colmin = xcalloc((size_t)nc * 3, sizeof(double));
	double *colmax = colmin + nc, *out = colmax + nc;
	single_widths(nc, nrows, span, cmin, colmin);
	single_widths(nc, nrows, span, cmax, colmax);
	for (int n = 2; n <= nc; n++)
		for (size_t r = 0; r < nrows; r++)
			for (int k = 0; k + n <= nc; k++) {
				size_t i = r * (size_t)nc + (size_t)k;
				if (span[i] != n)
					continue;
				double mn = cmin[i], mx = cmax[i] > cmin[i] ? cmax[i] : cmin[i];
				share(mn, gap, k, n, colmax, colmin, out);
				for (int j = 0; j < n; j++)
					cmin[i + (size_t)j] = out[j];
				share(mx, gap, k, n, colmax, colmax, out);
				for (int j = 0; j < n; j++) {
					if (colmax[k + j] < colmin[k + j])
						colmax[k + j] = colmin[k + j];
					cmax[i + (size_t)j] = out[j];
				}
			}
	free(colmin);
}

/* ===== a table on pages ================================================ */

/*
 * Where a group of rows that cells spanning rows tie (nr rows, h[i] lines
 * each, its first line at lines) may break across pages. Each row is
 * whole. Between rows the group keeps together but where a break leaves
 * two rows of it at least on each side (any row, in a group deeper than
 * half the text block: deep), as longtable's \multirow never can and as
 * a browser's print fragments a cell spanning rows: the spanning cell's
 * text runs down its rows' lines (compose.c), so a break between them
 * splits it at a line boundary, once on each page and one TD in a tagged
 * PDF, not repeated. Such a break marks the line before it row_tied: the
 * page builder takes it when ending between groups would cost more
 * (page.c's TIED_DEMERITS) and closes the page's part with a rule.
 */
void cp_table_group_keeps(struct vline *lines, const size_t *h, size_t nr, bool deep)
{
	size_t at = 0, total = 0;
	for (size_t i = 0; i < nr; i++)
		total += h[i];
	for (size_t i = 0; i < nr; i++) {
		at += h[i];
		if (!h[i] || at >= total)
			continue;
		bool may = deep || (i + 1 >= 2 && nr - (i + 1) >= 2);
		lines[at - 1].keep_next = !may;
		lines[at - 1].row_tied = may;
	}
}

void pg_mark_table(struct composer *c, size_t first, size_t end)
{
	if (end <= first)
		return;
	struct vline *lines = c->lines;
	for (size_t i = first; i < end; i++) {
		lines[i].table = (int)first + 1; /* unique in the part's list */
		if (lines[i].table_head)
			lines[i].keep_next = true;
	}
	lines[first].float_len = (uint32_t)(end - first);
	/* The body rows' first lines. Two rows at least on each side of a
	 * break, and the closing rule with the last row. */
	size_t nb = 0, b[2] = {0}, last2[2] = {0};
	for (size_t i = first; i < end; i++)
		if (lines[i].row_first && !lines[i].table_head) {
			if (nb < 2)
				b[nb] = i;
			last2[0] = last2[1];
			last2[1] = i;
			nb++;
		}
	if (nb == 0)
		return;
	size_t keep_to = nb >= 2 ? b[1] : end; /* no break before the second body row */
	for (size_t i = b[0]; i < keep_to && i < end; i++)
		lines[i].keep_next = true;
	if (nb >= 2 && last2[1] > 0)
		lines[last2[1] - 1].keep_next = true; /* none before the last */
	for (size_t i = last2[1]; i + 1 < end; i++)
		lines[i].keep_next = true;
}

/* ===== the type size, down to the style's floor ========================= */

double cp_table_floor(const struct bk_style *st, double size)
{
	return st->table_min_size < size ? st->table_min_size : size;
}

bool cp_table_step(double *size, double *lead, double floor, double width, double need)
{
	/* The columns' mins and the gutters are widths of the type, so they
	 * scale with its size: this is the size at which they fill width. */
	double k = need > 0 ? width / need : 1;
	if (*size * k < floor)
		k = floor / *size;
	if (k >= 1)
		return false;
	*size *= k;
	*lead *= k;
	return true;
}

/* ===== direction ======================================================= */

bool cp_table_rtl(const struct bk_block *b, bool book_rtl)
{
	for (size_t r = 0; r < b->nkids; r++)
		for (size_t k = 0; k < b->kids[r].nkids; k++) {
			const struct bk_block *cell = &b->kids[r].kids[k];
			for (size_t i = 0; i < cell->nspans; i++) {
				const struct bk_span *sp = &cell->spans[i];
				int d = sp->kind == BK_SPAN_TEXT && sp->len
					    ? tx_direction(sp->text, sp->len)
					    : -1;
				if (d >= 0)
					return d == 1;
			}
		}
	return book_rtl;
}
