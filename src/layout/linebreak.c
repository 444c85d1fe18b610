/*
 * linebreak.c - Knuth and Plass, "Breaking Paragraphs into Lines" (1981):
 * total-fit line breaking over boxes, glue and penalties.
 *
 * The terms are the paper's. A legal breakpoint is a penalty below
 * +infinity, or glue immediately after a box. For each active node (a
 * feasible breakpoint that may still start a line) and each new breakpoint
 * b we compute the adjustment ratio r of the line between them; the line is
 * feasible when -1 <= r <= rho (the tolerance). Its badness is
 * 100|r|^3, its demerits (l + badness)^2 +/- penalty^2, plus alpha when
 * both ends are flagged (hyphen) breaks and gamma when the fitness classes
 * of adjacent lines differ by more than one. An active node is deactivated
 * once its line to b would be overfull (r < -1) or b is a forced break.
 */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void lb_params_default(struct lb_params *p)
{
	p->tolerance = 2.0;         /* TeX's \tolerance 200 as a ratio */
	p->line_penalty = 10;       /* \linepenalty */
	p->flagged_demerits = 3000; /* \doublehyphendemerits */
	p->fitness_demerits = 100;  /* \adjdemerits */
	p->final_hyphen_demerits = 5000; /* \finalhyphendemerits */
	p->emergency = false;
	p->hyphenate = true;
}

/* A breakpoint in the paper's sense, with the totals after it. */
struct node {
	size_t pos;
	int fitness;
	size_t line;
	double total_w, total_y, total_z; /* width, stretch, shrink up to after pos */
	double demerits;
	double ratio;
	int prev; /* index into the node pool, -1 for the start */
	int next_active;
	bool flagged;
};

struct pool {
	struct node *v;
	size_t n, cap;
};

static int new_node(struct pool *p, struct node nd)
{
	GROW(p->v, p->cap, p->n + 1);
	p->v[p->n] = nd;
	return (int)p->n++;
}

/* Fitness class of a line with adjustment ratio r: 0 tight, 1 decent,
 * 2 loose, 3 very loose. */
static int fitness_class(double r)
{
	if (r < -0.5)
		return 0;
	if (r <= 0.5)
		return 1;
	if (r <= 1)
		return 2;
	return 3;
}

static bool is_legal(const struct lb_item *items, size_t i, bool hyphenate)
{
	if (items[i].kind == LB_PENALTY)
		return items[i].penalty < LB_INFINITY &&
		       (hyphenate || !items[i].flagged || items[i].width == 0);
	if (items[i].kind == LB_GLUE)
		return i > 0 && items[i - 1].kind == LB_BOX;
	return false;
}

int lb_break(const struct lb_item *items, size_t n, double width, const struct lb_params *p,
	     struct lb_result *res)
{
	memset(res, 0, sizeof(*res));
	struct pool pool = {0};
	/* Running sums of width, stretch and shrink before item i. */
	double sw = 0, sy = 0, sz = 0;
	int active = new_node(&pool, (struct node){0, 1, 0, 0, 0, 0, 0, 0, -1, -1, false});

	for (size_t i = 0; i < n && active >= 0; i++) {
		const struct lb_item *it = &items[i];
		if (!is_legal(items, i, p->hyphenate)) {
			if (it->kind != LB_PENALTY) {
				sw += it->width;
				if (it->kind == LB_GLUE) {
					sy += it->stretch;
					sz += it->shrink;
				}
			}
			continue;
		}
		double pw = it->kind == LB_PENALTY ? it->width : 0;
		bool forced = it->kind == LB_PENALTY && it->penalty <= -LB_INFINITY;
		bool flagged = it->kind == LB_PENALTY && it->flagged;
		/* The best way found to reach breakpoint i, per fitness class. */
		double best_d[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
		int best_a[4] = {-1, -1, -1, -1};
		double best_r[4] = {0};
		int prev_active = -1;
		for (int a = active; a >= 0;) {
			struct node *A = &pool.v[a];
			int next = A->next_active;
			double L = sw - A->total_w + pw;
			double r;
			if (L < width) {
				double y = sy - A->total_y;
				r = y > 0 ? (width - L) / y : INFINITY;
			} else if (L > width) {
				double z = sz - A->total_z;
				r = z > 0 ? (width - L) / z : -INFINITY;
			} else {
				r = 0;
			}
			bool deactivate = r < -1 || forced;
			bool feasible = r >= -1 && r <= p->tolerance;
			/* In the emergency pass an underfull line (even one with no
			 * stretch at all) is feasible at maximal badness: loose
			 * beats overfull. */
			if (p->emergency && r > p->tolerance)
				feasible = true;
			/* An empty last line is fine: the final glue stretches. */
			if (forced && isinf(r) && r > 0)
				feasible = true, r = 0;
			bool last_chance = deactivate && !feasible && p->emergency && a == active &&
					   next < 0 && best_a[0] < 0 && best_a[1] < 0 &&
					   best_a[2] < 0 && best_a[3] < 0;
			if (feasible || last_chance) {
				double bad = isinf(r) ? 10000 : 100 * fabs(r) * fabs(r) * fabs(r);
				if (bad > 10000)
					bad = 10000;
				double d = p->line_penalty + bad;
				d *= d;
				if (it->kind == LB_PENALTY && !forced) {
					if (it->penalty >= 0)
						d += it->penalty * it->penalty;
					else
						d -= it->penalty * it->penalty;
				}
				if (flagged && A->flagged)
					d += p->flagged_demerits;
				if (forced && A->flagged)
					d += p->final_hyphen_demerits;
				int c = fitness_class(r);
				if (abs(c - A->fitness) > 1)
					d += p->fitness_demerits;
				if (last_chance)
					d += 1e8; /* overfull or underfull: only when nothing else fits */
				d += A->demerits;
				if (d < best_d[c]) {
					best_d[c] = d;
					best_a[c] = a;
					best_r[c] = r < -1 ? -1 : (r > 1e6 ? 1e6 : r);
				}
			}
			if (deactivate) {
				if (prev_active < 0)
					active = next;
				else
					pool.v[prev_active].next_active = next;
			} else {
				prev_active = a;
			}
			a = next;
		}
		/* Totals after the break: discard the glue and penalties that
		 * follow it, up to the next box or forced break. */
		double tw = sw, ty = sy, tz = sz;
		for (size_t j = i; j < n; j++) {
			if (items[j].kind == LB_BOX)
				break;
			if (j > i && items[j].kind == LB_PENALTY && items[j].penalty <= -LB_INFINITY)
				break;
			if (items[j].kind == LB_GLUE) {
				tw += items[j].width;
				ty += items[j].stretch;
				tz += items[j].shrink;
			}
		}
		double dmin = INFINITY;
		for (int c = 0; c < 4; c++)
			if (best_d[c] < dmin)
				dmin = best_d[c];
		/* Append new active nodes: only classes within gamma of the best
		 * can still win, so the others are not kept (the paper's filter). */
		for (int c = 0; c < 4; c++) {
			if (best_a[c] < 0 || best_d[c] > dmin + p->fitness_demerits)
				continue;
			struct node nd = {i, c, pool.v[best_a[c]].line + 1, tw, ty, tz, best_d[c],
					  best_r[c], best_a[c], -1, flagged};
			int k = new_node(&pool, nd);
			pool.v[k].next_active = active;
			active = k;
		}
		if (it->kind == LB_GLUE) {
			sw += it->width;
			sy += it->stretch;
			sz += it->shrink;
		}
	}
	/* The forced break at the end is the only active node left (or the
	 * best of them): walk back from it. */
	int best = -1;
	for (int a = active; a >= 0; a = pool.v[a].next_active)
		if (pool.v[a].pos == n - 1 && (best < 0 || pool.v[a].demerits < pool.v[best].demerits))
			best = a;
	if (best < 0) {
		free(pool.v);
		return -1;
	}
	size_t lines = pool.v[best].line;
	res->breaks = xmalloc(lines * sizeof(*res->breaks));
	res->ratios = xmalloc(lines * sizeof(*res->ratios));
	res->nlines = lines;
	res->demerits = pool.v[best].demerits;
	for (int k = best; pool.v[k].prev >= 0; k = pool.v[k].prev) {
		size_t l = pool.v[k].line - 1;
		res->breaks[l] = pool.v[k].pos;
		res->ratios[l] = pool.v[k].ratio;
	}
	free(pool.v);
	return 0;
}

void lb_result_release(struct lb_result *res)
{
	free(res->breaks);
	free(res->ratios);
	memset(res, 0, sizeof(*res));
}
