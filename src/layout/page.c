/*
 * page.c - the vertical list onto pages: the baseline grid, keeps
 * (headings, widows, orphans), footnotes at the foot of the page they are
 * referenced on, running heads and folios, the front matter with its
 * contents, and the page marks the EPUB page list needs.
 *
 * Pages are decided before anything is drawn: for each page we find the
 * longest run of lines that fits together with the notes those lines
 * reference, back up over lines that must stay together, and only then
 * place the lines and the notes.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "layout-int.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ===== pages and geometry ============================================== */

static struct pg_page *new_page(struct pg_doc *doc, int part)
{
	GROW(doc->pages, doc->pages_cap, doc->npages + 1);
	struct pg_page *pg = &doc->pages[doc->npages++];
	memset(pg, 0, sizeof(*pg));
	pg->part = part;
	return pg;
}

/* Left edge of the text block: mirrored margins, the inner margin at the
 * spine. Page index 0 is a recto. */
static double block_left(const struct bk_style *st, size_t page_index)
{
	return page_index % 2 == 0 ? st->margin_inner : st->margin_outer;
}

static void page_text(struct composer *c, struct pg_page *page, enum tx_face face, double size,
		      const char *s, double x, double y, int align)
{
	const struct tx_word *w = tx_shape(c->f, face, s, strlen(s));
	double wd = cp_word_width(w, size);
	if (align == 0)
		x -= wd / 2;
	else if (align > 0)
		x -= wd;
	for (size_t i = 0; i < w->npieces; i++) {
		GROW(page->texts, page->texts_cap, page->ntexts + 1);
		page->texts[page->ntexts++] = (struct pg_text){
			.face = w->pieces[i].face,
			.size = (float)size,
			.x = (float)(x + w->pieces[i].x * size / 1000),
			.y = (float)y,
			.text = w->pieces[i].text,
			.len = (uint32_t)w->pieces[i].len,
			.hscale = 1};
	}
}

/* FNV-1a over a page's texts (struct pg_page's text_hash). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t text_hash(const struct pg_page *pg)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < pg->ntexts; i++) {
		const struct pg_text *t = &pg->texts[i];
		long long v[4] = {t->face, llround(t->size * 100.0), llround(t->x * 100.0),
				  llround(t->y * 100.0)};
		h = fnv(h, v, sizeof(v));
		h = fnv(h, t->text, t->len);
		h = fnv(h, "", 1);
	}
	return h;
}

/* ===== placing ========================================================= */

/* The page's text block: top and height, in points. */
struct block {
	double top, height;
};

static void place(struct composer *c, size_t pi, const struct vline *l, double y)
{
	struct pg_doc *doc = c->doc;
	struct pg_page *page = &doc->pages[pi];
	double left = block_left(c->st, pi);
	double base = c->st->page_h - c->st->margin_top - y;
	for (size_t i = 0; i < l->nops; i++) {
		const struct op *op = &l->ops[i];
		switch (op->kind) {
		case OP_TEXT:
			GROW(page->texts, page->texts_cap, page->ntexts + 1);
			page->texts[page->ntexts++] = (struct pg_text){
				.face = (uint8_t)op->face,
				.size = (float)op->size,
				.x = (float)(left + op->x),
				.y = (float)(base + op->dy),
				.text = op->text,
				.len = (uint32_t)op->len,
				.hscale = (float)op->hscale};
			break;
		case OP_RULE:
			GROW(page->rules, page->rules_cap, page->nrules + 1);
			page->rules[page->nrules++] =
				(struct pg_rule){left + op->x, base + op->dy, op->w, op->h};
			break;
		case OP_IMAGE:
			GROW(page->images, page->images_cap, page->nimages + 1);
			page->images[page->nimages++] =
				(struct pg_image){op->img, left + op->x, base + op->dy, op->w, op->h};
			break;
		case OP_LINK:
			GROW(page->links, page->links_cap, page->nlinks + 1);
			/* A note reference's destination is filled in when its
			 * note is placed: dest_page holds -2 - note until then. */
			page->links[page->nlinks++] =
				(struct pg_link){left + op->x, base + op->dy, left + op->x + op->w,
						 base + op->dy + op->h, op->url,
						 op->note >= 0 ? -2 - op->note : -1, 0};
			break;
		}
	}
	for (size_t k = 0; k <= l->nmore_info; k++) {
		long info = k == 0 ? l->info : l->more_info[k - 1];
		if (info < 0)
			continue;
		struct pg_line *ln = &doc->linev[info];
		ln->page = (int)pi;
		ln->x0 += left;
		ln->x1 += left;
		ln->y0 = base - l->advance * 0.25;
		ln->y1 = base + l->advance * 0.75;
	}
	if (l->outline_level < 0) {
		/* A contents entry: its number and leaders are drawn once the
		 * page numbers are known. */
		double x_end = 0;
		for (size_t i = 0; i < l->nops; i++)
			if (l->ops[i].kind == OP_TEXT) {
				double e = left + l->ops[i].x +
					   cp_word_width(tx_shape(c->f, l->ops[i].face, l->ops[i].text,
								  l->ops[i].len),
							 l->ops[i].size);
				if (e > x_end)
					x_end = e;
			}
		GROW(c->entries, c->entries_cap, c->nentries + 1);
		c->entries[c->nentries++] =
			(struct centry){pi, -l->outline_level - 1, base, x_end};
	} else if (l->outline) {
		GROW(doc->outline, doc->outline_cap, doc->noutline + 1);
		doc->outline[doc->noutline++] =
			(struct pg_outline){l->outline, l->outline_level, (int)pi, base + l->advance};
	}
}

/* ===== deciding pages ================================================== */

/* A part's footnotes, each set as a run of lines in notes[]. */
struct notes {
	struct arena ar; /* the arrays below; the lines' own arrays are malloc'd */
	struct vline *v;
	size_t *first, *count; /* per note: its lines in v */
	double *h;             /* per note line: its height */
	size_t n;
};

/* Note lines still owed by the previous page: note index and next line. */
struct carry {
	int note;
	size_t line;
};

struct pager {
	struct composer *c;
	struct notes *notes;
	double height;   /* text block height of the page being filled */
	double base_height; /* the style's text block height */
	double sep;      /* the footnote rule and the space around it */
	double grid;     /* body leading */
	double top;      /* first baseline below the top of the block */
};

/* Baselines of lines [s, e) stacked from the top of a page; y[i - s]. The
 * grid keeps body lines on facing pages aligned. */
static double stack(const struct pager *pg, const struct vline *lines, size_t s, size_t e,
		    double *y)
{
	double at = 0, bottom = 0;
	for (size_t i = s; i < e; i++) {
		const struct vline *l = &lines[i];
		if (i == s) {
			at = (l->new_page ? l->space : 0) +
			     (l->advance > pg->grid ? l->advance : pg->top);
		} else {
			at += l->space + l->advance;
		}
		if (l->grid && !l->opener) {
			/* Snap down to the next grid line. */
			double k = ceil((at - pg->top) / pg->grid - 1e-6);
			at = pg->top + (k < 0 ? 0 : k) * pg->grid;
		}
		if (y)
			y[i - s] = at;
		/* The last baseline may sit on the foot of the block with its
		 * descenders below it (TeX's \maxdepth), as in any book. */
		bottom = at;
	}
	return bottom;
}

static double note_lines_height(const struct notes *nt, int note, size_t from, size_t to)
{
	double h = 0;
	for (size_t k = from; k < to; k++)
		h += nt->h[nt->first[note] + k];
	return h;
}

/*
 * Whether lines [s, e) fit on a page that must also hold the carried note
 * lines and the start of every note those lines reference: all notes
 * but the last in full, the last at least its first line (it may run on).
 */
static bool fits(const struct pager *pg, const struct vline *lines, size_t s, size_t e,
		 const struct carry *carry)
{
	double body = stack(pg, lines, s, e, NULL);
	const struct notes *nt = pg->notes;
	double need = 0;
	int last = -1;
	for (size_t i = s; i < e; i++)
		for (size_t k = 0; k < lines[i].nnotes; k++) {
			int n = lines[i].notes[k];
			if (last >= 0)
				need += note_lines_height(nt, last, 0, nt->count[last]);
			last = n;
		}
	double carry_h = carry->note >= 0 ? note_lines_height(nt, carry->note, carry->line,
							      nt->count[carry->note])
					   : 0;
	if (last >= 0) {
		/* New notes follow the carried lines, so those must all fit. A
		 * short note (up to four lines) is never split; a longer one
		 * may run on to the next page from its third line. */
		size_t k = nt->count[last];
		size_t min_lines = k <= 4 ? k : 2;
		need += carry_h + note_lines_height(nt, last, 0, min_lines);
	} else if (carry->note >= 0) {
		need += nt->h[nt->first[carry->note] + carry->line]; /* one line, at least */
	}
	if (need > 0)
		need += pg->sep;
	return body + need <= pg->height + 0.01;
}

/*
 * Places footnote lines at the foot of page pi, flush with the bottom of
 * the text block: the carried lines first, then the notes referenced by
 * lines [s, e) in order, the last of them possibly cut short. Updates
 * carry to what the next page owes. body is where the body text ends.
 */
/* The note lines one page holds: runs of (note, from, to). */
struct note_run {
	int note;
	size_t from, to;
};

/*
 * Plans the footnote lines of a page whose body ends at body: the carried
 * lines first, then the notes referenced by lines [s, e) in order, the last
 * of them possibly cut short. Fills runs (room for 64) and returns their
 * number; sets *carry to what the next page owes and *used to the height.
 */
static size_t plan_notes(const struct pager *pg, const struct vline *lines, size_t s, size_t e,
			 struct carry *carry, double body, struct note_run *runs, double *used)
{
	const struct notes *nt = pg->notes;
	size_t nr = 0;
	*used = 0;
	if (carry->note >= 0)
		runs[nr++] = (struct note_run){carry->note, carry->line, nt->count[carry->note]};
	for (size_t i = s; i < e; i++)
		for (size_t k = 0; k < lines[i].nnotes && nr < 64; k++)
			runs[nr++] =
				(struct note_run){lines[i].notes[k], 0, nt->count[lines[i].notes[k]]};
	carry->note = -1;
	if (!nr)
		return 0;
	double room = pg->height - body - pg->sep;
	for (size_t r = 0; r < nr; r++) {
		size_t k = runs[r].from;
		for (; k < runs[r].to; k++) {
			double h = nt->h[nt->first[runs[r].note] + k];
			/* At least one note line per page, even on a page too
			 * small for it, so that a note always comes to an end. */
			if (*used + h > room + 0.01 && *used > 0)
				break;
			*used += h;
		}
		if (k < runs[r].to) {
			/* Cut here; fits() guaranteed that notes referenced
			 * later on the page have started before this one. */
			carry->note = runs[r].note;
			carry->line = k;
			runs[r].to = k;
			return r + 1;
		}
	}
	return nr;
}

/* Places the planned note lines at the foot of page pi, flush with the
 * bottom of the text block, under a short rule. */
static void place_notes(struct pager *pg, size_t pi, const struct note_run *runs, size_t nr,
			double used)
{
	if (!nr)
		return;
	struct composer *c = pg->c;
	const struct notes *nt = pg->notes;
	const struct bk_style *st = c->st;
	double start = pg->height - used; /* top of the notes */
	struct pg_page *page = &c->doc->pages[pi];
	double rule_y = st->page_h - st->margin_top - (start - pg->sep * 0.5);
	GROW(page->rules, page->rules_cap, page->nrules + 1);
	page->rules[page->nrules++] =
		(struct pg_rule){block_left(st, pi), rule_y, c->measure * 0.3, 0.4};
	double y = start;
	for (size_t r = 0; r < nr; r++) {
		for (size_t k = runs[r].from; k < runs[r].to; k++) {
			const struct vline *l = &nt->v[nt->first[runs[r].note] + k];
			y += nt->h[nt->first[runs[r].note] + k];
			place(c, pi, l, y - l->depth);
			if (k != 0)
				continue;
			/* The note starts here: point its references at it. */
			for (size_t i = 0; i < page->nlinks; i++)
				if (page->links[i].dest_page == -2 - runs[r].note) {
					page->links[i].dest_page = (int)pi;
					page->links[i].dest_y =
						st->page_h - st->margin_top - (y - l->depth) + l->advance;
				}
		}
	}
}

/* The longest run of lines from s that fits on the page with its notes. */
static size_t fill(const struct pager *pg, const struct vline *lines, size_t s, size_t n,
		   const struct carry *carry)
{
	size_t e = s;
	while (e < n && (e == s || !lines[e].new_page) && fits(pg, lines, s, e + 1, carry))
		e++;
	if (e == s && s < n)
		e = s + 1; /* a line taller than the page: place it anyway */
	return e;
}

/* Moves a break at e back so that it does not fall inside a kept run
 * (heading with its text, no widow, no orphan). */
static size_t keep_back(const struct vline *lines, size_t s, size_t n, size_t e)
{
	if (e >= n || lines[e].new_page)
		return e;
	size_t j = e;
	while (j > s + 1 && lines[j - 1].keep_next)
		j--;
	return j > s + 1 || !lines[s].keep_next ? j : e;
}

/* One page as planned: lines [s, e), its text block height, the note
 * lines carried into it. */
struct plan {
	size_t s, e;
	double height;
	struct carry carry_in;
	bool blank_before; /* a blank verso goes before it */
};

/* Plans one page from s: as many lines as fit in height, the break moved
 * out of kept runs, and one line more when that alone saves a break
 * inside a kept run (memoir's \enlargethispage, not stretched space). */
static void plan_page(struct pager *pg, const struct vline *lines, size_t n, struct plan *pl,
		      bool may_grow)
{
	pg->height = pl->height;
	size_t fit = fill(pg, lines, pl->s, n, &pl->carry_in);
	size_t e = keep_back(lines, pl->s, n, fit);
	if (e < fit && may_grow) {
		pg->height = pl->height + pg->grid;
		size_t fit2 = fill(pg, lines, pl->s, n, &pl->carry_in);
		size_t e2 = keep_back(lines, pl->s, n, fit2);
		if (e2 >= fit) {
			e = e2;
			pl->height += pg->grid;
		}
	}
	pg->height = pl->height;
	pl->e = e;
}

/* How many whole lines short of its block a planned page ends (0 when it
 * is the part's last page or full). */
static int shortfall(struct pager *pg, const struct vline *lines, size_t n, const struct plan *pl)
{
	if (pl->e >= n || pl->e == pl->s || lines[pl->e].new_page)
		return 0;
	pg->height = pl->height;
	double used = stack(pg, lines, pl->s, pl->e, NULL);
	/* Notes fill the foot of the page: a page with notes is short only
	 * by what neither body nor notes use. */
	struct carry cy = pl->carry_in;
	struct note_run runs[64];
	double notes;
	if (plan_notes(pg, lines, pl->s, pl->e, &cy, used, runs, &notes))
		return 0;
	int k = (int)floor((pl->height - used) / pg->grid + 0.3);
	return k > 0 ? k : 0;
}

/* The carry after a planned page. */
static struct carry carry_after(struct pager *pg, const struct vline *lines, const struct plan *pl)
{
	struct carry cy = pl->carry_in;
	struct note_run runs[64];
	double used;
	pg->height = pl->height;
	double body = pl->e > pl->s ? stack(pg, lines, pl->s, pl->e, NULL) : 0;
	plan_notes(pg, lines, pl->s, pl->e, &cy, body, runs, &used);
	return cy;
}

/*
 * Stacks the part's lines onto pages, starting on a new recto. Pages are
 * planned first, then placed. Widows, orphans and headings are kept by
 * keep_next; facing pages are balanced: when a recto must end short by a
 * line or two, its verso is set that much shorter too, so the last lines
 * of the spread align.
 */
static void paginate(struct pager *pg, struct vline *lines, size_t n, int part)
{
	struct composer *c = pg->c;
	struct pg_doc *doc = c->doc;
	struct plan *plans = NULL;
	size_t np = 0, cap = 0;
	size_t s = 0, page_no = doc->npages;
	struct carry carry = {-1, 0};
	int next_short = 0; /* lines the next page (a recto) ends short, to match */
	bool next_long = false; /* the next page (a recto) runs a line long, to match */
	while (s < n || carry.note >= 0) {
		GROW(plans, cap, np + 1);
		struct plan *pl = &plans[np];
		memset(pl, 0, sizeof(*pl));
		pl->blank_before = s < n && lines[s].new_page && page_no % 2 == 1;
		if (pl->blank_before)
			page_no++;
		pl->s = s;
		pl->carry_in = carry;
		bool recto = page_no % 2 == 0;
		pl->height = pg->base_height - next_short * pg->grid + (next_long ? pg->grid : 0);
		plan_page(pg, lines, n, pl, next_short == 0 && !next_long);
		/* A long verso makes its recto long too. */
		next_long = !recto && pl->height > pg->base_height;
		if (recto && pl->height > pg->base_height && np > 0 && !pl->blank_before &&
		    plans[np - 1].height == pg->base_height && !lines[plans[np - 1].s].opener) {
			/* A recto that had to grow: grow its verso to match, and
			 * plan the recto again after it. */
			struct plan v2 = plans[np - 1], r2 = *pl;
			v2.height = pg->base_height + pg->grid;
			plan_page(pg, lines, n, &v2, false);
			r2.s = v2.e;
			r2.carry_in = carry_after(pg, lines, &v2);
			r2.height = v2.height;
			plan_page(pg, lines, n, &r2, false);
			if (r2.e > r2.s && shortfall(pg, lines, n, &r2) == 0 &&
			    (r2.e >= n || !lines[r2.e - 1].keep_next || lines[r2.e].new_page)) {
				plans[np - 1] = v2;
				*pl = r2;
			}
		}
		int k = next_short ? 0 : shortfall(pg, lines, n, pl);
		/* A verso that must end short: its recto ends as short. */
		next_short = !recto && k >= 1 && k <= 2 ? k : 0;
		if (next_short)
			doc->short_pages++;
		if (recto && k >= 1 && k <= 2 && np > 0 && !pl->blank_before) {
			/* Balance the spread: replan the verso k lines shorter,
			 * then this recto after it at the same height. */
			struct plan *v = &plans[np - 1];
			struct plan v2 = *v, r2 = *pl;
			v2.height = pg->base_height - k * pg->grid;
			plan_page(pg, lines, n, &v2, false);
			if (v2.e > v2.s && !lines[v2.s].opener) {
				r2.s = v2.e;
				r2.carry_in = carry_after(pg, lines, &v2);
				r2.height = v2.height;
				plan_page(pg, lines, n, &r2, false);
				if (r2.e > r2.s && shortfall(pg, lines, n, &r2) == 0) {
					*v = v2;
					*pl = r2;
					doc->short_pages += 2;
				}
			}
		}
		if (pl->height > pg->base_height)
			doc->long_pages++;
		carry = carry_after(pg, lines, pl);
		s = pl->e;
		np++;
		page_no++;
	}
	/* Place what was planned. */
	double *y = xcalloc(n + 1, sizeof(double));
	for (size_t i = 0; i < np; i++) {
		struct plan *pl = &plans[i];
		if (pl->blank_before)
			new_page(doc, -1); /* a blank verso before a recto opening */
		size_t pi = doc->npages;
		new_page(doc, part);
		pg->height = pl->height;
		double body = pl->e > pl->s ? stack(pg, lines, pl->s, pl->e, y) : 0;
		for (size_t k = pl->s; k < pl->e; k++) {
			place(c, pi, &lines[k], y[k - pl->s]);
			/* Its pieces are on the page now: free them as we go, so
			 * that a long part's lines and its pages do not both
			 * hold all its text at once. */
			free(lines[k].ops);
			lines[k].ops = NULL;
			lines[k].nops = lines[k].ops_cap = 0;
		}
		if (pl->s == 0 && pl->e > 0 && part >= 0)
			c->part_page[part] = pi;
		struct carry cy = pl->carry_in;
		struct note_run runs[64];
		double used;
		size_t nr = plan_notes(pg, lines, pl->s, pl->e, &cy, body, runs, &used);
		place_notes(pg, pi, runs, nr, used);
		/* Where this page's text begins, for the EPUB page list. */
		struct pg_page *page = &doc->pages[pi];
		if (pl->e > pl->s) {
			page->mark_span = lines[pl->s].span;
			page->mark_off = lines[pl->s].span_off;
			page->mark_block = lines[pl->s].span ? NULL : lines[pl->s].block;
			page->opener = lines[pl->s].opener;
		}
	}
	pg->height = pg->base_height;
	free(y);
	free(plans);
}

/* ===== front matter ==================================================== */

/* Sets text centred on page pi with its first baseline at y (from the top
 * of the text block); returns the baseline after the last line. */
static double centred(struct composer *c, size_t pi, enum tx_face face, double size,
		      const char *s, double y, double lead)
{
	size_t first = c->nlines;
	cp_set_text(c, s, face, size, lead, 0, c->measure, false, true, 0);
	for (size_t i = first; i < c->nlines; i++) {
		place(c, pi, &c->lines[i], y);
		y += lead;
	}
	cp_free_lines(c, first);
	return y;
}

static const char *roman(struct arena *a, int n)
{
	static const char *const ones[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
	static const char *const tens[] = {"", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc"};
	if (n <= 0 || n >= 400)
		return ar_printf(a, "%d", n);
	const char *h = n >= 300 ? "ccc" : n >= 200 ? "cc" : n >= 100 ? "c" : "";
	return ar_printf(a, "%s%s%s", h, tens[(n / 10) % 10], ones[n % 10]);
}

struct entry {
	const char *title, *author;
	int part;      /* index into book->parts */
	int page;      /* its first page, index into the final page array */
};

/* Half-title, title page, copyright page. */
static void opening_pages(struct composer *c)
{
	const struct book *b = c->b;
	const struct bk_style *st = c->st;
	double h = st->page_h - st->margin_top - st->margin_bottom;
	/* i: half-title */
	new_page(c->doc, -1);
	centred(c, 0, TX_REGULAR, st->title_size, b->meta.title, h * 0.22, st->title_size * 1.3);
	/* ii: blank */
	new_page(c->doc, -1);
	/* iii: title page */
	new_page(c->doc, -1);
	double y = centred(c, 2, TX_REGULAR, st->title_size * 1.5, b->meta.title, h * 0.22,
			   st->title_size * 1.8);
	if (b->meta.subtitle)
		y = centred(c, 2, TX_ITALIC, st->body_size * 1.2, b->meta.subtitle,
			    y + st->body_leading * 0.5, st->body_leading * 1.2);
	y += st->body_leading * 2;
	for (size_t i = 0; i < b->meta.ncreators; i++) {
		const struct bk_creator *cr = &b->meta.creators[i];
		const char *line = ar_printf(&c->doc->arena, "%s%s",
					     !strcmp(cr->role, "edt") ? ar_printf(&c->doc->arena, "%s ",
						     bk_str(b, BK_STR_EDITED_BY)) : "", cr->name);
		y = centred(c, 2, TX_REGULAR, st->body_size, line, y, st->body_leading);
	}
	if (b->meta.publisher)
		centred(c, 2, TX_REGULAR, st->body_size, b->meta.publisher, h - st->body_leading,
			st->body_leading);
	GROW(c->doc->outline, c->doc->outline_cap, c->doc->noutline + 1);
	c->doc->outline[c->doc->noutline++] =
		(struct pg_outline){b->meta.title, 1, 2, st->page_h - st->margin_top};

	/* iv: copyright and colophon, set at the foot */
	new_page(c->doc, -1);
	struct arena *a = &c->doc->arena;
	const char *lines[16];
	int n = 0;
	lines[n++] = b->meta.subtitle ? ar_printf(a, "%s: %s", b->meta.title, b->meta.subtitle)
				      : b->meta.title;
	if (b->meta.rights)
		lines[n++] = b->meta.rights;
	if (b->meta.date)
		lines[n++] = ar_printf(a, "%s %s", bk_str(b, BK_STR_FIRST_PUBLISHED), b->meta.date);
	if (b->meta.edition)
		lines[n++] = ar_printf(a, "%s%s%s%s%s", b->meta.edition, b->meta.revised ? ", " : "",
				       b->meta.revised ? bk_str(b, BK_STR_REVISED) : "",
				       b->meta.revised ? " " : "", b->meta.revised ? b->meta.revised : "");
	if (b->meta.isbn_print)
		lines[n++] = ar_printf(a, "ISBN %s (print)", b->meta.isbn_print);
	if (b->meta.isbn_epub)
		lines[n++] = ar_printf(a, "ISBN %s (EPUB)", b->meta.isbn_epub);
	if (b->meta.publisher)
		lines[n++] = ar_printf(a, "%s %s", bk_str(b, BK_STR_PUBLISHED_BY), b->meta.publisher);
	const char *fam[4];
	lines[n++] = bk_colophon(b, a, fam, bk_font_families(st, fam, a), st->body_size,
				 st->body_leading);
	double lead = st->note_leading;
	y = h - lead * (n + (n - 1) * 0.4);
	for (int i = 0; i < n; i++) {
		size_t first = c->nlines;
		cp_set_text(c, lines[i], TX_REGULAR, st->note_size, lead, 0, c->measure, true, false,
			    0);
		for (size_t k = first; k < c->nlines; k++) {
			y += lead;
			place(c, 3, &c->lines[k], y);
		}
		cp_free_lines(c, first);
		y += lead * 0.4;
	}
}

/*
 * The contents: one entry per part, title and page number with dot leaders
 * between, the author below in italic, each entry a link. Set as lines so
 * that its length is known before the page numbers are: numbers sit in a
 * column of their own and never change how a title wraps.
 */
static size_t contents_lines(struct composer *c, const struct entry *ent, size_t n)
{
	const struct bk_style *st = c->st;
	double numw = st->body_size * 2.5;
	size_t first = c->nlines;
	cp_set_text(c, bk_str(c->b, BK_STR_CONTENTS), TX_REGULAR, st->title_size, st->title_size * 1.25, 0,
		    c->measure, false, true, st->body_leading * 2);
	c->lines[first].new_page = true;
	c->lines[first].opener = true;
	c->lines[first].outline = bk_str(c->b, BK_STR_CONTENTS);
	c->lines[first].outline_level = 1;
	c->lines[first].keep_next = true;
	for (size_t i = 0; i < n; i++) {
		size_t at = c->nlines;
		cp_set_text(c, ent[i].title, TX_REGULAR, st->body_size, st->body_leading, 0,
			    c->measure - numw - st->body_size, true, false,
			    i == 0 ? st->body_leading * 1.5 : st->body_leading * 0.5);
		if (ent[i].author)
			cp_set_text(c, ent[i].author, TX_ITALIC, st->note_size, st->note_leading,
				    st->body_size, c->measure - numw - st->body_size, true, false,
				    0);
		for (size_t k = at; k < c->nlines; k++) {
			c->lines[k].keep_next = k + 1 < c->nlines;
			c->lines[k].span = NULL;
			c->lines[k].block = NULL;
		}
		/* Mark the entry's first line: its number and leaders come later. */
		c->lines[at].outline_level = -(int)(i + 1);
	}
	return first;
}

/* Fills in page numbers, dot leaders and links on the contents pages. */
static void contents_numbers(struct composer *c, const struct entry *ent)
{
	const struct bk_style *st = c->st;
	const struct tx_word *dot = tx_shape(c->f, TX_REGULAR, ".", 1);
	double pitch = st->body_size * 0.9; /* leader dots align across entries */
	for (size_t t = 0; t < c->nentries; t++) {
		const struct centry *ce = &c->entries[t];
		struct pg_page *page = &c->doc->pages[ce->page];
		double left = block_left(st, ce->page), right = left + c->measure;
		const struct entry *e = &ent[ce->entry];
		const char *label = c->doc->pages[e->page].label;
		double nw = cp_word_width(tx_shape(c->f, TX_REGULAR, label, strlen(label)),
					  st->body_size);
		page_text(c, page, TX_REGULAR, st->body_size, label, right, ce->y, 1);
		/* Leaders from just after the title to before the number. */
		double from = ceil((ce->x_end + st->body_size * 0.5 - left) / pitch) * pitch + left;
		for (double x = from; x + pitch <= right - nw - st->body_size * 0.3; x += pitch)
			for (size_t k = 0; k < dot->npieces; k++) {
				GROW(page->texts, page->texts_cap, page->ntexts + 1);
				page->texts[page->ntexts++] = (struct pg_text){
					.face = dot->pieces[k].face,
					.size = (float)st->body_size,
					.x = (float)x,
					.y = (float)ce->y,
					.text = dot->pieces[k].text,
					.len = (uint32_t)dot->pieces[k].len,
					.hscale = 1};
			}
		GROW(page->links, page->links_cap, page->nlinks + 1);
		page->links[page->nlinks++] =
			(struct pg_link){left, ce->y - st->body_size * 0.3, right,
					 ce->y + st->body_size, NULL, (int)e->page,
					 st->page_h - st->margin_top};
	}
}

/* ===== running heads and folios ======================================== */

static void heads_and_folios(struct composer *c, size_t main_first)
{
	struct pg_doc *doc = c->doc;
	const struct bk_style *st = c->st;
	for (size_t i = 0; i < doc->npages; i++) {
		struct pg_page *pg = &doc->pages[i];
		pg->label = i < main_first ? roman(&doc->arena, (int)i + 1)
					   : ar_printf(&doc->arena, "%zu", i - main_first + 1);
		/* Blank pages, the half-title, title and copyright pages print
		 * neither head nor folio. */
		if (pg->ntexts == 0 || i < 4)
			continue;
		double left = block_left(st, i), mid = left + c->measure / 2;
		double head_y = st->page_h - st->margin_top + st->body_leading * 1.1;
		bool verso = i % 2 == 1;
		if (st->folio_head && !pg->opener) {
			/* In the head's outer corner: left on a verso, right on a recto. */
			page_text(c, pg, TX_REGULAR, st->note_size * 1.05, pg->label,
				  verso ? left : left + c->measure, head_y, verso ? -1 : 1);
		} else {
			page_text(c, pg, TX_REGULAR, st->note_size * 1.05, pg->label, mid,
				  st->margin_bottom - st->body_leading * 1.6, 0);
		}
		if (pg->opener || pg->part < 0)
			continue;
		/* Verso: the book's title (or the essay's author); recto: the
		 * essay's title. */
		const struct bk_part *part = &c->b->parts[pg->part];
		const char *head = !verso ? part->title
				   : st->verso_author && part->author ? part->author
								      : c->b->meta.title;
		page_text(c, pg, TX_ITALIC, st->note_size * 1.05, head, mid, head_y, 0);
	}
}

/* ===== the book ======================================================== */

/* Sets the part's notes as lines of their own. */
static void set_notes(struct composer *c, const struct bk_part *p, struct notes *nt)
{
	memset(nt, 0, sizeof(*nt));
	nt->n = p->nnotes;
	ar_init(&nt->ar);
	nt->first = ar_alloc(&nt->ar, (p->nnotes + 1) * sizeof(size_t));
	nt->count = ar_alloc(&nt->ar, (p->nnotes + 1) * sizeof(size_t));
	size_t base = c->nlines;
	for (size_t i = 0; i < p->nnotes; i++) {
		nt->first[i] = c->nlines - base;
		cp_set_note(c, &p->notes[i]);
		nt->count[i] = c->nlines - base - nt->first[i];
	}
	size_t n = c->nlines - base;
	nt->v = ar_alloc(&nt->ar, (n + 1) * sizeof(*nt->v));
	nt->h = ar_alloc(&nt->ar, (n + 1) * sizeof(double));
	if (n)
		memcpy(nt->v, c->lines + base, n * sizeof(*nt->v));
	for (size_t i = 0; i < n; i++)
		nt->h[i] = nt->v[i].space + nt->v[i].advance;
	c->nlines = base; /* the lines now belong to nt->v */
}

static void free_notes(struct notes *nt)
{
	size_t n = nt->n ? nt->first[nt->n - 1] + nt->count[nt->n - 1] : 0;
	for (size_t i = 0; i < n; i++) {
		free(nt->v[i].ops);
		free(nt->v[i].more_info);
		free(nt->v[i].notes);
	}
	ar_release(&nt->ar);
}

static void set_and_paginate(struct composer *c, struct pager *pg, size_t part)
{
	const struct bk_part *p = &c->b->parts[part];
	c->part = p;
	c->part_index = (int)part;
	struct notes nt;
	set_notes(c, p, &nt);
	pg->notes = &nt;
	cp_set_part(c, p, pg->base_height * 0.18);
	paginate(pg, c->lines, c->nlines, (int)part);
	cp_free_lines(c, 0);
	free_notes(&nt);
	pg->notes = NULL;
}


/* Rotates arr[0, n) so that its elements [k, n) come first. */
static void rotate(void *arr, size_t n, size_t k, size_t elt)
{
	if (!k || k >= n)
		return;
	char *tmp = xmalloc(k * elt);
	memcpy(tmp, arr, k * elt);
	memmove(arr, (char *)arr + k * elt, (n - k) * elt);
	memcpy((char *)arr + (n - k) * elt, tmp, k * elt);
	free(tmp);
}

/* The page marks for the EPUB page list, one per page. A blank page is
 * marked where the next page with text begins. */
static void make_marks(struct pg_doc *doc)
{
	doc->marks = ar_alloc(&doc->arena, (doc->npages + 1) * sizeof(*doc->marks));
	doc->nmarks = doc->npages;
	for (size_t i = doc->npages; i-- > 0;) {
		const struct pg_page *pg = &doc->pages[i];
		struct bk_pagemark *m = &doc->marks[i];
		m->label = pg->label;
		m->part = pg->part;
		m->span = pg->mark_span;
		m->offset = pg->mark_off;
		m->block = pg->mark_block;
		if (pg->part < 0 && pg->ntexts == 0 && i + 1 < doc->npages &&
		    doc->marks[i + 1].part >= 0) {
			m->part = doc->marks[i + 1].part;
			m->span = doc->marks[i + 1].span;
			m->offset = doc->marks[i + 1].offset;
			m->block = doc->marks[i + 1].block;
		}
	}
}

/* Asserts the invariants layout.h states of a composed doc. */
static void check_doc(const struct pg_doc *doc, const struct book *b)
{
	assert(doc->front_pages >= 0 && doc->front_pages % 2 == 0 &&
	       (size_t)doc->front_pages <= doc->npages);
	assert(doc->nmarks == doc->npages);
	assert(!doc->lean || doc->nlinev == 0);
	for (size_t i = 0; i < doc->npages; i++) {
		const struct pg_page *pg = &doc->pages[i];
		assert(pg->label);
		assert(pg->part >= -1 && (pg->part < 0 || (size_t)pg->part < b->nparts));
		assert(pg->ntexts <= pg->texts_cap && pg->nrules <= pg->rules_cap &&
		       pg->nimages <= pg->images_cap && pg->nlinks <= pg->links_cap);
		for (size_t k = 0; k < pg->nlinks; k++)
			assert(pg->links[k].url || (pg->links[k].dest_page >= -1 &&
						    pg->links[k].dest_page < (int)doc->npages));
	}
	for (size_t i = 0; i < doc->nlinev; i++)
		assert(doc->linev[i].page >= -1 && doc->linev[i].page < (int)doc->npages);
	for (size_t i = 0; i < doc->noutline; i++)
		assert(doc->outline[i].page >= 0 && doc->outline[i].page < (int)doc->npages);
}

static struct pg_doc *compose(const struct book *b, struct tx_fonts *f, struct diag *d,
			      bool lean);

struct pg_doc *pg_compose(const struct book *b, struct tx_fonts *f, struct diag *d)
{
	return compose(b, f, d, false);
}

struct pg_doc *pg_compose_lean(const struct book *b, struct tx_fonts *f, struct diag *d)
{
	return compose(b, f, d, true);
}

static struct pg_doc *compose(const struct book *b, struct tx_fonts *f, struct diag *d,
			      bool lean)
{
	struct pg_doc *doc = xcalloc(1, sizeof(*doc));
	doc->lean = lean;
	ar_init(&doc->arena);
	const struct bk_style *st = &b->style;
	doc->page_w = st->page_w;
	doc->page_h = st->page_h;
	doc->grid = st->body_leading;
	struct composer c = {.b = b, .st = st, .f = f, .d = d, .doc = doc, .part_index = -1};
	ar_init(&c.scratch);
	c.measure = st->page_w - st->margin_inner - st->margin_outer;
	c.part_page = ar_alloc(&doc->arena, (b->nparts + 1) * sizeof(size_t));
	for (int i = 0; i < TX_NFACES; i++)
		c.space_w[i] = tx_shape(f, (enum tx_face)i, " ", 1)->width;
	lb_params_default(&c.params);
	c.hyph = tx_hyph_load(b->meta.language, st, d);
	struct notes none = {0};
	double block_h = st->page_h - st->margin_top - st->margin_bottom;
	struct pager pg = {&c, &none, block_h, block_h, st->note_leading * 1.5, st->body_leading,
			   st->body_size};

	/* Main matter first: the essays, numbered from 1, each on a recto.
	 * Their page numbers are then known when the contents is set. */
	for (size_t i = 0; i < b->nparts; i++)
		if (b->parts[i].kind == BK_PART_ESSAY)
			set_and_paginate(&c, &pg, i);
	struct pg_page *main = doc->pages;
	size_t nmain = doc->npages;
	size_t main_outline = doc->noutline, main_lines = doc->nlinev;
	doc->pages = NULL;
	doc->npages = doc->pages_cap = 0;

	/* Front matter: half-title, title, copyright, contents, prefaces. */
	c.part = NULL;
	opening_pages(&c);
	struct entry *ent = ar_alloc(&doc->arena, (b->nparts + 1) * sizeof(*ent));
	for (size_t i = 0; i < b->nparts; i++) {
		ent[i].title = b->parts[i].title;
		ent[i].author = b->parts[i].kind == BK_PART_ESSAY ? b->parts[i].author : NULL;
		ent[i].part = (int)i;
	}
	c.part = NULL;
	contents_lines(&c, ent, b->nparts);
	paginate(&pg, c.lines, c.nlines, -1);
	cp_free_lines(&c, 0);
	for (size_t i = 0; i < b->nparts; i++)
		if (b->parts[i].kind != BK_PART_ESSAY)
			set_and_paginate(&c, &pg, i);
	if (doc->npages % 2 == 1)
		new_page(doc, -1); /* page 1 must be a recto */
	size_t nfront = doc->npages;
	doc->front_pages = (int)nfront;

	/* Join: front matter, then the main matter with its indexes shifted;
	 * the outline and line records rotated into page order. */
	GROW(doc->pages, doc->pages_cap, nfront + nmain);
	if (nmain)
		memcpy(doc->pages + nfront, main, nmain * sizeof(*main));
	free(main);
	doc->npages = nfront + nmain;
	for (size_t i = 0; i < main_outline; i++)
		doc->outline[i].page += (int)nfront;
	for (size_t pi = 0; pi < doc->npages; pi++)
		for (size_t k = 0; k < doc->pages[pi].nlinks; k++) {
			struct pg_link *ln = &doc->pages[pi].links[k];
			if (ln->dest_page < -1)
				ln->dest_page = -1; /* a note that was never placed */
			else if (ln->dest_page >= 0 && pi >= nfront)
				ln->dest_page += (int)nfront;
		}
	for (size_t i = 0; i < main_lines; i++)
		if (doc->linev[i].page >= 0)
			doc->linev[i].page += (int)nfront;
	for (size_t i = 0; i < b->nparts; i++)
		if (b->parts[i].kind == BK_PART_ESSAY)
			c.part_page[i] += nfront;
	rotate(doc->outline, doc->noutline, main_outline, sizeof(*doc->outline));
	rotate(doc->linev, doc->nlinev, main_lines, sizeof(*doc->linev));
	for (size_t i = 0; i < b->nparts; i++)
		ent[i].page = (int)c.part_page[i];

	heads_and_folios(&c, nfront);
	contents_numbers(&c, ent);
	make_marks(doc);

	free(c.entries);
	cp_free_lines(&c, 0);
	free(c.lines);
	tx_hyph_free(c.hyph);
	assert(!c.scratch.head); /* each paragraph released its scratch */
	/* Each page's arrays to their size: they live until the PDF is
	 * written, beside everything libharu holds. */
	for (size_t i = 0; i < doc->npages; i++) {
		struct pg_page *p = &doc->pages[i];
		p->text_hash = text_hash(p);
		if (p->texts_cap > p->ntexts && p->ntexts) {
			p->texts = xrealloc(p->texts, p->ntexts * sizeof(*p->texts));
			p->texts_cap = p->ntexts;
		}
	}
	if (doc->linev_cap > doc->nlinev && doc->nlinev) {
		doc->linev = xrealloc(doc->linev, doc->nlinev * sizeof(*doc->linev));
		doc->linev_cap = doc->nlinev;
	}
	check_doc(doc, b);
	return doc;
}

void pg_doc_drop_texts(struct pg_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->npages; i++) {
		free(doc->pages[i].texts);
		doc->pages[i].texts = NULL;
		doc->pages[i].ntexts = doc->pages[i].texts_cap = 0;
	}
}

void pg_doc_free(struct pg_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->npages; i++) {
		free(doc->pages[i].texts);
		free(doc->pages[i].rules);
		free(doc->pages[i].images);
		free(doc->pages[i].links);
	}
	free(doc->pages);
	free(doc->outline);
	free(doc->linev);
	ar_release(&doc->arena);
	free(doc);
}
