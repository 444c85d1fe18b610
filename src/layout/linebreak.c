/*
 * linebreak.c - Knuth and Plass, "Breaking Paragraphs into Lines" (1981):
 * total-fit line breaking over boxes, glue and penalties.
 *
 * The terms are the paper's. Two extensions: a box may carry stretch and
 * shrink of its own (font expansion, as pdfTeX's), summed with the glue's;
 * and a penalty may carry stretch, what the line broken at it may be left
 * short by (a \rightskip for that line only).
 *
 * A legal breakpoint is a penalty below
 * +infinity, or glue immediately after a box. For each active node (a
 * feasible breakpoint that may still start a line) and each new breakpoint
 * b we compute the adjustment ratio r of the line between them; the line is
 * feasible when -1 <= r <= rho (the tolerance). Its badness is
 * 100|r|^3, its demerits (l + badness)^2 +/- penalty^2, plus alpha when
 * both ends are flagged (hyphen) breaks and gamma when the fitness classes
 * of adjacent lines differ by more than one. An active node is deactivated
 * once its line to b would be overfull (r < -1) or b is a forced break.
 *
 * Two rules go beyond the paper, as hard constraints rather than
 * demerits: no more than max_ladder hyphenated lines in a row, and no
 * hyphen on the second-last line (the last line never ends a split word)
 * - the second only at the tolerance: past it (soft_final_hyphen), the
 * hyphen costs \finalhyphendemerits, as in TeX.
 * To keep the search exact under the first, an active node is kept per
 * fitness class and per length of the hyphen run ending at it.
 *
 * Asked for a number of lines (TeX's \looseness, as a target: lb_params'
 * lines), the search keeps the active nodes of each line number apart too,
 * as TeX does when \looseness is not 0: the best way to reach a
 * breakpoint in 7 lines no longer drives out the best in 6, so the
 * paragraph's fewest demerits at exactly that many lines are found, or
 * none when no feasible breaking has that many.
 */
#include "layout.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void lb_params_default(struct lb_params *p)
{
	p->tolerance = 1.26;        /* TeX's \tolerance 200: badness 100 r^3 = 200 */
	p->line_penalty = 10;       /* \linepenalty */
	p->flagged_demerits = 10000; /* \doublehyphendemerits */
	p->fitness_demerits = 10000; /* \adjdemerits: no loose line over a tight one */
	p->final_hyphen_demerits = 5000; /* \finalhyphendemerits */
	p->short_last_demerits = 5000;   /* a last line of a word or two */
	p->emergency = false;
	p->soft_final_hyphen = false;
	p->hyphenate = true;
	p->max_ladder = 2;
	p->line_bonus = 0;
	p->lines = 0;
	p->hang_right = p->hang_left = NULL;
}

double lb_rag_taken(double d, double y, double rag)
{
	double t = d - y;
	return t <= 0 ? 0 : t < rag ? t : rag;
}

/*
 * A breakpoint in the paper's sense. As in TeX, what the search needs of a
 * breakpoint while it may still start a line (an active node) is kept
 * apart from what the chosen breaks are read back from at the end (a
 * passive node): a long paragraph makes hundreds of thousands of feasible
 * breakpoints, of which only a few dozen are active at any time. Active
 * nodes are recycled as they are deactivated; passive nodes stay, and are
 * small.
 */
struct node {
	int fitness;
	size_t line;
	double total_w, total_y, total_z; /* width, stretch, shrink up to after pos */
	double demerits;
	int passive; /* its passive node: index into the passive pool */
	int next_active;
	bool flagged;
	int run; /* hyphenated lines in a row ending here */
	double hang; /* how far the next line's first character may hang left */
};

/* What the chosen breaks are read from: the breakpoint, the adjustment
 * ratio of the line ending there, and the breakpoint before (-1 for the
 * start). 16 bytes. */
struct passive {
	uint32_t pos;
	int32_t prev;
	double ratio;
};

struct pool {
	struct node *v;
	size_t n, cap;
	int free; /* recycled active nodes, chained through next_active; -1 for none */
};

struct passives {
	struct passive *v;
	size_t n, cap;
};

static int new_node(struct pool *p, struct node nd)
{
	if (p->free >= 0) {
		int k = p->free;
		p->free = p->v[k].next_active;
		p->v[k] = nd;
		return k;
	}
	GROW(p->v, p->cap, p->n + 1);
	p->v[p->n] = nd;
	return (int)p->n++;
}

static int new_passive(struct passives *p, size_t pos, int prev, double ratio)
{
	assert(pos <= UINT32_MAX && p->n < INT32_MAX);
	GROW(p->v, p->cap, p->n + 1);
	p->v[p->n] = (struct passive){(uint32_t)pos, prev, ratio};
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
		/* (an explicit hyphen's flagged penalty has no width, or a
		 * kerning's taken back: compose.c's add_text) */
		return items[i].penalty < LB_INFINITY &&
		       (hyphenate || !items[i].flagged || items[i].width <= 0);
	if (items[i].kind == LB_GLUE)
		return i > 0 && items[i - 1].kind == LB_BOX;
	return false;
}

/* The search's state while it walks the paragraph: the active list, the
 * node pools, and the running sums of width, stretch and shrink (the
 * paper's TW, TY, TZ) of the items before the one in hand. */
struct search {
	const struct lb_item *items;
	size_t n;
	double width;
	const struct lb_params *p;
	int runs; /* hyphen run lengths kept apart: 0..max_ladder */
	struct pool pool;
	struct passives pass;
	int active; /* the active list, chained through next_active; -1 when empty */
	double sw, sy, sz;
	/* With a number of lines asked (p->lines): the line number of the
	 * active nodes try_breakpoint takes (the others are passed over),
	 * and the distinct line numbers of the active list, gathered at
	 * each breakpoint. SIZE_MAX takes them all. */
	size_t only_line;
	size_t *groups;
	size_t ngroups, groups_cap;
};

/* The best way found to reach one breakpoint, per fitness class and
 * hyphen run (index class * runs + run): the paper's minimal demerits
 * D_c and the active node A_c they come from. */
struct candidates {
	double d[4 * 8];
	int a[4 * 8]; /* the active node's passive node, -1 for none */
	size_t line[4 * 8];
	double r[4 * 8];
	bool any;
};

/* The adjustment ratio r of the line from active node A to breakpoint i,
 * whose natural width is L: how far its glue (and its boxes' expansion)
 * must stretch (r > 0) or shrink (r < 0) to fill the measure. */
static double adjustment_ratio(const struct search *s, const struct node *A, size_t i, double L)
{
	const struct lb_params *p = s->p;
	/* The line's width, widened by what may hang at its ends. */
	double lw = s->width + A->hang + (p->hang_right ? p->hang_right[i] : 0);
	if (L < lw) {
		double y = s->sy - A->total_y;
		if (i > 0 && s->items[i].kind == LB_PENALTY && s->items[i - 1].kind == LB_BOX)
			y += p->end_stretch;
		/* A penalty's own stretch: how short a line broken there
		 * may be left (a letter break in a URL, on a line that may
		 * have no space to stretch). */
		if (s->items[i].kind == LB_PENALTY)
			y += s->items[i].stretch;
		double rag = lb_rag(&s->items[i]);
		if (rag > 0) {
			double t = lb_rag_taken(lw - L, y, rag), rest = lw - L - t;
			double r = y > 0 ? rest / y : rest > 1e-9 ? INFINITY : 0;
			return r + t / (y + rag);
		}
		return y > 0 ? (lw - L) / y : INFINITY;
	}
	if (L > lw) {
		double z = s->sz - A->total_z;
		/* A line with nothing to shrink that is longer by no more than
		 * the sums' rounding (a cell as wide as its widest word) fits. */
		return z > 0 ? (lw - L) / z : L - lw < 1e-6 ? 0 : -INFINITY;
	}
	return 0;
}

/* The demerits of a line from A to breakpoint it at ratio r, added to
 * A's: (l + badness)^2 +/- penalty^2, plus alpha for two flagged breaks
 * in a row, the final-hyphen and runt costs, and gamma for adjacent
 * lines whose fitness classes are more than one apart. */
static double line_demerits(const struct search *s, const struct node *A,
			    const struct lb_item *it, double r, double L, bool last_chance)
{
	const struct lb_params *p = s->p;
	bool forced = it->kind == LB_PENALTY && it->penalty <= -LB_INFINITY;
	bool flagged = it->kind == LB_PENALTY && it->flagged;
	/* Badness is not capped at TeX's 10000: in the looser
	 * passes a line at r = 5 must still beat one at r = 8. */
	double bad = isinf(r) ? 1e7 : 100 * fabs(r) * fabs(r) * fabs(r);
	if (bad > 1e7)
		bad = 1e7;
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
	if (forced && A->flagged) {
		/* Past the tolerance, a split word carried onto the last line
		 * costs as much as a line at r = 2 (badness 800): a line up
		 * to twice its spaces' stretch is kept rather than the split,
		 * a looser one is not. */
		double soft = p->line_penalty + 800;
		d += p->soft_final_hyphen ? soft * soft : p->final_hyphen_demerits;
	}
	/* A last line of one short word (a runt) is avoided
	 * where the paragraph can be set another way. */
	if (forced && L < s->width * 0.12)
		d += p->short_last_demerits;
	int c = fitness_class(r);
	if (abs(c - A->fitness) > 1)
		d += p->fitness_demerits;
	if (last_chance)
		d += 1e8; /* overfull or underfull: only when nothing else fits */
	return d + A->demerits - p->line_bonus;
}

/*
 * Tries every active node as the start of a line ending at legal
 * breakpoint i, keeping the best per fitness class and hyphen run in
 * best. Deactivates the nodes whose lines to i are overfull (r < -1),
 * and all of them at a forced break; returns them chained through
 * next_active, to be recycled once the new nodes are made. In the
 * emergency pass, when the last of them goes and no line to i is
 * feasible, the line that overflows least is kept (TeX's artificial
 * demerits): the newest node's, not the oldest's, which would have set
 * everything since on one line.
 */
static int try_breakpoint(struct search *s, size_t i, struct candidates *best)
{
	const struct lb_params *p = s->p;
	const struct lb_item *it = &s->items[i];
	double pw = it->kind == LB_PENALTY ? it->width : 0;
	bool forced = it->kind == LB_PENALTY && it->penalty <= -LB_INFINITY;
	bool flagged = it->kind == LB_PENALTY && it->flagged;
	int dead = -1;
	int prev_active = -1;
	/* the emergency pass's fallback: the least overfull line to i */
	struct node *least = NULL;
	double least_L = INFINITY, least_r = 0;
	int least_run = 0;
	for (int a = s->active; a >= 0;) {
		struct node *A = &s->pool.v[a];
		int next = A->next_active;
		if (s->only_line != SIZE_MAX && A->line != s->only_line) {
			prev_active = a;
			a = next;
			continue;
		}
		double L = s->sw - A->total_w + pw;
		double r = adjustment_ratio(s, A, i, L);
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
		int run = flagged ? A->run + 1 : 0;
		/* Hard rules: a ladder of at most max_ladder hyphens, and
		 * no split word carried onto the last line - but for the
		 * emergency pass, where a longer ladder beats an overfull
		 * line (a cell's one long compound is all hyphens), and the
		 * looser pass for the second, where it costs demerits as in
		 * TeX: a two-line paragraph whose first line cannot end
		 * whole is set "approx-/imately", not with gaping spaces. */
		bool final_rule = forced && A->flagged && !p->soft_final_hyphen;
		if ((run > p->max_ladder || final_rule) && !p->emergency)
			feasible = false;
		if (run > p->max_ladder)
			run = p->max_ladder;
		if (feasible) {
			double d = line_demerits(s, A, it, r, L, false);
			int k = fitness_class(r) * s->runs + run;
			if (d < best->d[k]) {
				best->d[k] = d;
				best->a[k] = A->passive;
				best->line[k] = A->line;
				best->r[k] = r < -1 ? -1 : (r > 1e6 ? 1e6 : r);
				best->any = true;
			}
		} else if (deactivate && p->emergency &&
			   (L < least_L || (L == least_L && A->demerits < least->demerits))) {
			least = A;
			least_L = L;
			least_r = r;
			least_run = run;
		}
		if (deactivate) {
			if (prev_active < 0)
				s->active = next;
			else
				s->pool.v[prev_active].next_active = next;
			A->next_active = dead;
			dead = a;
		} else {
			prev_active = a;
		}
		a = next;
	}
	if (least && s->active < 0 && !best->any) {
		/* (least is on the dead list, not yet recycled) */
		double d = line_demerits(s, least, it, least_r, least_L, true);
		int k = fitness_class(least_r) * s->runs + least_run;
		best->d[k] = d;
		best->a[k] = least->passive;
		best->line[k] = least->line;
		best->r[k] = least_r > 1e6 ? 1e6 : least_r;
		best->any = true;
	}
	return dead;
}

/*
 * Appends the new active nodes for breakpoint i from best. Within one
 * hyphen-run group every node is flagged alike, so their futures differ
 * only by gamma: the paper's filter (keep D_c <= D_min + gamma) applies
 * per group.
 */
static void add_active(struct search *s, size_t i, const struct candidates *best)
{
	const struct lb_params *p = s->p;
	const struct lb_item *items = s->items;
	bool flagged = items[i].kind == LB_PENALTY && items[i].flagged;
	/* Totals after the break: discard the glue and penalties that
	 * follow it, up to the next box or forced break. */
	double tw = s->sw, ty = s->sy, tz = s->sz;
	for (size_t j = i; j < s->n; j++) {
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
	int runs = s->runs;
	double dmin[8];
	for (int g = 0; g < runs; g++) {
		dmin[g] = INFINITY;
		for (int c = 0; c < 4; c++)
			if (best->d[c * runs + g] < dmin[g])
				dmin[g] = best->d[c * runs + g];
	}
	for (int k = 0; k < 4 * runs; k++) {
		if (best->a[k] < 0 || best->d[k] > dmin[k % runs] + p->fitness_demerits)
			continue;
		/* More lines than asked: no way on from it reaches the count. */
		if (p->lines && best->line[k] + 1 > p->lines)
			continue;
		int c = k / runs;
		struct node nd = {c, best->line[k] + 1, tw, ty, tz, best->d[k],
				  new_passive(&s->pass, i, best->a[k], best->r[k]), -1, flagged,
				  k % runs, p->hang_left ? p->hang_left[i] : 0};
		int fresh = new_node(&s->pool, nd);
		s->pool.v[fresh].next_active = s->active;
		s->active = fresh;
	}
}

/* The chosen breaks, read back through the passive nodes from the best
 * active node at the final forced break (of p->lines lines, when asked).
 * Returns -1 when none reached it. */
static int read_breaks(const struct search *s, struct lb_result *res)
{
	int best = -1;
	for (int a = s->active; a >= 0; a = s->pool.v[a].next_active)
		if (s->pass.v[s->pool.v[a].passive].pos == s->n - 1 &&
		    (!s->p->lines || s->pool.v[a].line == s->p->lines) &&
		    (best < 0 || s->pool.v[a].demerits < s->pool.v[best].demerits))
			best = a;
	if (best < 0)
		return -1;
	size_t lines = s->pool.v[best].line;
	res->breaks = xmalloc(lines * sizeof(*res->breaks));
	res->ratios = xmalloc(lines * sizeof(*res->ratios));
	res->nlines = lines;
	res->demerits = s->pool.v[best].demerits;
	size_t l = lines;
	for (int k = s->pool.v[best].passive; s->pass.v[k].prev >= 0; k = s->pass.v[k].prev) {
		assert(l > 0);
		l--;
		res->breaks[l] = s->pass.v[k].pos;
		res->ratios[l] = s->pass.v[k].ratio;
		assert(l + 1 == lines || res->breaks[l] < res->breaks[l + 1]);
	}
	assert(l == 0 && res->breaks[lines - 1] == s->n - 1);
	return 0;
}

/* Ends lines at legal breakpoint i from the active nodes try_breakpoint
 * takes (s->only_line's), adds the new active nodes, and recycles the
 * nodes deactivated. */
static void try_and_add(struct search *s, size_t i)
{
	/* line[k] and r[k] are read only where a[k] was set. */
	struct candidates best;
	for (int k = 0; k < 4 * s->runs; k++)
		best.d[k] = INFINITY, best.a[k] = -1;
	best.any = false;
	int dead = try_breakpoint(s, i, &best);
	/* Most breakpoints are too far from every active node: no line
	 * ends there, and no node is added. */
	if (best.any)
		add_active(s, i, &best);
	/* The nodes deactivated at i: free for reuse. */
	while (dead >= 0) {
		int next = s->pool.v[dead].next_active;
		s->pool.v[dead].next_active = s->pool.free;
		s->pool.free = dead;
		dead = next;
	}
}

static int by_line_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * try_and_add for a search asked for a number of lines: once per line
 * number among the active nodes, so that the best way to i in l lines
 * and the best in l + 1 are both kept. The numbers are taken highest
 * first: the nodes added at i (line l + 1) are then of a number already
 * taken, and never start a line at i themselves.
 */
static void try_by_line(struct search *s, size_t i)
{
	s->ngroups = 0;
	for (int a = s->active; a >= 0; a = s->pool.v[a].next_active) {
		size_t l = s->pool.v[a].line, g = 0;
		while (g < s->ngroups && s->groups[g] != l)
			g++;
		if (g == s->ngroups) {
			GROW(s->groups, s->groups_cap, s->ngroups + 1);
			s->groups[s->ngroups++] = l;
		}
	}
	qsort(s->groups, s->ngroups, sizeof(*s->groups), by_line_desc);
	for (size_t g = 0; g < s->ngroups; g++) {
		s->only_line = s->groups[g];
		try_and_add(s, i);
	}
	s->only_line = SIZE_MAX;
}

int lb_break(const struct lb_item *items, size_t n, double width, const struct lb_params *p,
	     struct lb_result *res)
{
	/* The contract: a paragraph ends with a forced break, and the hyphen
	 * runs kept apart fit struct candidates. */
	assert(n > 0 && items[n - 1].kind == LB_PENALTY &&
	       items[n - 1].penalty <= -LB_INFINITY);
	assert(p->max_ladder >= 1 && p->max_ladder <= 7);
	memset(res, 0, sizeof(*res));
	struct search s = {items, n, width, p, p->max_ladder + 1, {NULL, 0, 0, -1}, {0}, -1,
			   0, 0, 0, SIZE_MAX, NULL, 0, 0};
	s.active = new_node(&s.pool, (struct node){1, 0, 0, 0, 0, 0,
						   new_passive(&s.pass, 0, -1, 0), -1, false, 0,
						   0});
	for (size_t i = 0; i < n && s.active >= 0; i++) {
		const struct lb_item *it = &items[i];
		if (is_legal(items, i, p->hyphenate)) {
			if (p->lines)
				try_by_line(&s, i);
			else
				try_and_add(&s, i);
			if (it->kind != LB_GLUE)
				continue;
		} else if (it->kind == LB_PENALTY) {
			continue;
		}
		/* Boxes may stretch too: font expansion. */
		s.sw += it->width;
		s.sy += it->stretch;
		s.sz += it->shrink;
	}
	int rc = read_breaks(&s, res);
	free(s.pool.v);
	free(s.pass.v);
	free(s.groups);
	return rc;
}

void lb_result_release(struct lb_result *res)
{
	free(res->breaks);
	free(res->ratios);
	memset(res, 0, sizeof(*res));
}
