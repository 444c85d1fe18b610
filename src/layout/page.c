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
#include "kinds.h"
#include "../book/kinds.h"

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
 * spine. Page index 0 is a recto: the spine at its left, or at its right
 * in a book that runs right to left (bound on the right, its rectos the
 * left-hand pages). */
static double block_left(const struct composer *c, size_t page_index)
{
	const struct bk_style *st = c->st;
	bool spine_left = (page_index % 2 == 0) != c->rtl;
	return spine_left ? st->margin_inner : st->margin_outer;
}

/* Word w (shaped in face) on the page at x, y: its left end there (align
 * -1), its centre (0) or its right end (1). */
static void page_word(struct pg_page *page, const struct tx_word *w, double size, double x,
		      double y, int align)
{
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

static void page_text(struct composer *c, struct pg_page *page, enum tx_face face, double size,
		      const char *s, double x, double y, int align)
{
	page_word(page, tx_shape(c->f, face, s, strlen(s)), size, x, y, align);
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
	double left = block_left(c, pi);
	double base = c->st->page_h - c->st->margin_top - y;
	for (size_t i = 0; i < l->nops; i++) {
		const struct op *op = &l->ops[i];
		switch (op->kind) {
		case OP_TEXT:
			pg_page_tag_lang(page, op->tag, (enum pg_role)op->role, op->ref, op->lang);
			GROW(page->texts, page->texts_cap, page->ntexts + 1);
			page->texts[page->ntexts++] = (struct pg_text){
				.face = (uint8_t)op->face,
				.size = (float)op->size,
				.x = (float)(left + op->x),
				.y = (float)(base + op->dy),
				.text = op->text,
				.len = (uint32_t)op->len,
				.hscale = (float)op->hscale,
				.flags = op->flags};
			break;
		case OP_RULE:
			GROW(page->rules, page->rules_cap, page->nrules + 1);
			page->rules[page->nrules++] =
				(struct pg_rule){left + op->x, base + op->dy, op->w, op->h};
			break;
		case OP_IMAGE:
			GROW(page->images, page->images_cap, page->nimages + 1);
			page->images[page->nimages++] =
				(struct pg_image){op->img, left + op->x, base + op->dy, op->w, op->h,
						  op->tag};
			break;
		case OP_LINK:
			GROW(page->links, page->links_cap, page->nlinks + 1);
			/* A note reference's destination is filled in when its
			 * note is placed: dest_page holds -2 - note until then. */
			page->links[page->nlinks++] =
				(struct pg_link){left + op->x, base + op->dy, left + op->x + op->w,
						 base + op->dy + op->h, op->url,
						 op_note(op) >= 0 ? -2 - op_note(op) : -1, 0,
						 op->tag, op->ref, op->role};
			break;
		}
	}
	for (size_t k = 0; k <= l->nmore_info; k++) {
		long info = k == 0 ? l->info : l->more_info[k - 1];
		if (info < 0)
			continue;
		struct pg_line *ln = &doc->linev[info];
		ln->page = (int)pi;
		if (ln->file && ln->src_line > 0) {
			if (!page->src_first || ln->src_line < page->src_first)
				page->src_first = ln->src_line;
			if (ln->src_line > page->src_last)
				page->src_last = ln->src_line;
		}
		ln->x0 += left;
		ln->x1 += left;
		ln->y0 = base - l->advance * 0.25;
		ln->y1 = base + l->advance * 0.75;
	}
	if (l->outline_level < 0) {
		/* A contents entry: its number and leaders are drawn once the
		 * page numbers are known. */
		double x_start = INFINITY, x_end = 0;
		for (size_t i = 0; i < l->nops; i++)
			if (l->ops[i].kind == OP_TEXT) {
				double s = left + l->ops[i].x;
				double e = s + cp_word_width(tx_shape(c->f, l->ops[i].face,
								      l->ops[i].text, l->ops[i].len),
							     l->ops[i].size);
				x_start = s < x_start ? s : x_start;
				x_end = e > x_end ? e : x_end;
			}
		GROW(c->entries, c->entries_cap, c->nentries + 1);
		c->entries[c->nentries++] =
			(struct centry){pi, -l->outline_level - 1, base, x_start, x_end};
	} else if (l->outline) {
		GROW(doc->outline, doc->outline_cap, doc->noutline + 1);
		doc->outline[doc->noutline++] =
			(struct pg_outline){l->outline, l->outline_level, (int)pi, base + l->advance,
					    l->outline_level > 1 ? l->block : NULL};
	}
}

/* ===== deciding pages ================================================== */

/*
 * Pages are chosen as Plass's thesis chooses them, the way Knuth and Plass
 * choose lines: each way of ending a page costs demerits, and the part is
 * cut into the pages of least total cost. A page is tried at four heights
 * (the block, one line short, one line long, two lines short); at each the
 * lines go on while they fit with the notes they reference (fill), the break
 * backs up out of kept runs (and, where that page ends at a hyphen above a
 * note running over, it is tried once more with that line left over and the
 * note taking its room), and the page's demerits follow from how far it
 * ends from the last grid line, whether its facing page ends the same, a
 * hyphen at its foot (TeX's \brokenpenalty, never on a recto), a note broken
 * at its foot, notes run on past their marks' page (a line of many marks
 * set where the page would otherwise end well short: dense_refs), and, for
 * a part's last page, how few lines of text it holds. The
 * search keeps the best ways into each state (line, note lines owed, float
 * owed, page parity, the verso's depth), and at most BEAM states a page:
 * bounded, so a long book costs in proportion to its length. A page that
 * ends off the grid (code, a table) has the lines at its foot spaced a
 * little wider to end on a grid line where that is in reach (even_foot);
 * one whose notes sit under a float, or under a body ending off the grid,
 * is also tried with its notes a line lower, the space over their rule
 * wider (notes_deeper), a state of its own. A page that ends short
 * with a float its text cites and that fits there is also tried with
 * that float (the first it cites, and the last) set aside for the next
 * page's top, or its foot, the text filling this page
 * (FLOAT_DEFER_DEMERITS: TeX's \floatingpenalty): a float once deferred
 * is owed, so it waits at most a page, as any float that does not fit.
 * A page left two or more lines short by a table that fits nowhere on it
 * is also tried with that table set in the flow, broken between its rows
 * with its head repeated overleaf (FLOW_TABLE_DEMERITS), kept only where
 * that page then ends within a line of its foot.
 * A part's page that ends short of its facing page (a verso: of the last
 * grid line) by one to MAX_STRETCH lines is also tried with as many
 * headings on it a line lower each (fill's stretch); a part whose chosen
 * pages leave a spread unequal, or a page two lines short, is searched
 * once more noting the rectos it could end well only at a hyphen; pages
 * still two short or unequal because the line they would end at ends at a
 * hyphen have that word kept whole and the part set again (foot_hyphens).
 * Pages still bad, or a part's last page under five lines, have the
 * paragraphs around them set a line tighter (TeX's \looseness -1,
 * tighter_for_pages), or, where none can be, the same paragraphs a
 * line looser; a part that spaces a heading wider has the paragraphs on
 * its pages a line short set a line looser where no line goes loose
 * (looser_for_stretch). Each is kept only when its pages cost less.
 * A part with a page still two short or a spread unequal is searched
 * once more with its lists, code blocks and the paragraphs after them
 * spaceable too, as TeX's \flushbottom stretches the skips around lists
 * (space_blocks).
 */

#define BEAM 48  /* states kept after each page */
#define MAX_LOOSE_LINES 40 /* paragraphs set looser to fill a page: at most this long */
#define NO_DEPTH (-99)
/* Each heading spaced a line wider so that its page ends level with its
 * facing page or on the last grid line (fill's stretch): dearer than a
 * spread a line short on both pages (100 each), far cheaper than facing
 * pages that end unlike (3000) or a page two lines short (10000). */
#define STRETCH_DEMERITS 250
/* The most headings fill's stretch spaces wider on one page (a line each). */
#define MAX_STRETCH 3
/* fill's stretch for the squeezed try: the heading after a page that ends
 * a line short given half a line less space (fill). */
#define FILL_SQUEEZE (MAX_STRETCH + 1)
/* fill's stretch above SPACE_BLOCKS: that many lines wider, spread over
 * the headings and then the other blocks with space above them (a list,
 * a code block, the paragraph after one: blocks_stretchable), for a page
 * two or more lines short, or a recto short of its verso, that has too
 * few headings to end where it should (blocks_for). As dear a line as a
 * heading's (STRETCH_DEMERITS). */
#define SPACE_BLOCKS (FILL_SQUEEZE + 1)
/* A heading squeezed at a page's foot, its baseline off the grid (fill):
 * a blemish a designer marks, so dearer than a page a line short (100):
 * where the page could end a line short the search weighs the two, and
 * the squeeze wins only where the plain page's short line costs more on
 * the pages after it. Cheaper than a page a line long (150), which would
 * take the heading whole: at 160 the edition's pages on the grid went 57
 * -> 53 and those a line long 9 -> 13. */
#define SQUEEZE_DEMERITS 140
/* A page that would end this many lines short or more before a heading
 * is squeezed in place (fill), not tried both ways: no plain page that
 * short is chosen where a squeeze can even it, and a try of its own for
 * each would cost the search states for nothing. */
#define SQUEEZE_IN_PLACE 2
/* The most floats a page's text may leave waiting behind it (set aside
 * in order, each to the top of the next page): more, and the page ends
 * before the next float. Bounds what a page reads past its first line. */
#define MAX_WAITING 4
/* A float two pages from the text before it (issue 14 item 2: never
 * more than one): one the page before owed that does not fit this page's
 * top either, or one right at this page's start that does not fit under
 * the floats set there. The issue's hard rule, so dearer than a page
 * twelve lines short: a page short where its text cites a float it
 * cannot take (before_citing) is the lesser fault. */
#define FAR_FLOAT_DEMERITS 60000
/* The text under a float a line lower so that its page ends a line
 * deeper (pad_under_float): dearer than a page on the grid, cheaper than
 * one a line short (100). */
#define FLOAT_PAD_DEMERITS 50
/* A float that fits where its text cites it set aside for the next page
 * (the search's deferred try, pg->defer), so that the text fills this
 * page: TeX's \floatingpenalty. Dearer than a spread a line short (100
 * a page), cheaper than facing pages that end unlike (3000) or a page
 * two lines short (10000). */
#define FLOAT_DEFER_DEMERITS 1000
/* A page's notes a line lower under a body that ends off the grid (a
 * float, a table: notes_deeper), the space over their rule wider: as
 * dear as the text under a float a line lower. */
#define NOTES_DROP_DEMERITS 50
/* The most space over the note rule, beyond its own (pager's sep), that
 * notes_deeper leaves: in lines. */
#define NOTES_DROP_MAX 1.25
/* A part's last page under PG_PART_END_LINES lines of its text, notes
 * not counted (issue 14 item 4: a club page, whatever note runs on under
 * it): dearer than a page three lines short, and each line of text fewer
 * dearer again, so that where no way gives it five the search keeps the
 * most text there (a page of four lines over a note's tail, not the tail
 * alone: tests/books/partend14r). */
#define PART_END_DEMERITS 20000
#define PART_END_LINE_DEMERITS 2000
/* A page that ends inside a kept run because no more of it fits (notes
 * fill the page under one line): an orphan, as dear as a page three
 * lines short. */
#define KEEP_BROKEN_DEMERITS 15000
/* A page that takes a line of many references whose notes run on to the
 * next page (dense_refs): some of them begin a page after their marks
 * (issue 14 item 1), the lesser fault only beside a page three or more
 * lines short (15000 and up); dearer than one two short (10000). */
#define DENSE_REFS_DEMERITS 12000
/* A page that ends between rows a cell spanning rows ties (row_tied): dearer
 * than a spread a line short (100 a page), cheaper than facing pages that
 * end unlike (3000) or a page two lines short (10000), so that a table
 * breaks between its groups unless that leaves a page short. */
#define TIED_DEMERITS 400
/* A table short enough to float that fits neither where it stands nor
 * in the room the page has left, set in the flow instead and broken
 * between its rows, its head repeated (the search's flowed try,
 * pg->flow): where the page would otherwise end two or more lines short
 * (the text after it cannot come up: another table, a heading kept with
 * it, the part's end). Dearer than a spread a line short (100 a page)
 * or a float set aside (1000), cheaper than a page two lines short
 * (10000). */
#define FLOW_TABLE_DEMERITS 2000

/* A part's footnotes, each set as a run of lines in notes[]. */
struct notes {
	struct arena ar; /* the arrays below; the lines' own arrays are malloc'd */
	struct vline *v;
	size_t *first, *count; /* per note: its lines in v */
	double *h;             /* per note line: its height */
	size_t n;
};

/* Note lines still owed by the previous page: note index and next line,
 * and the notes after it up to upto (a line whose references alone fill
 * more than a page owes them all), in full. */
struct carry {
	int note;
	size_t line;
	int upto;
};

/* A line as a page holds it: where its baseline falls, and whether it is a
 * table head's line repeated on a continuation page. */
struct item {
	size_t line;
	double y;
	bool repeat;
};

/* The note lines one page holds: runs of (note, from, to). */
struct note_run {
	int note;
	size_t from, to;
};

struct pager {
	struct composer *c;
	struct notes *notes;
	double height;   /* the foot the notes of the page being placed sit on */
	double base_height; /* the style's text block height */
	double sep;      /* the footnote rule and the space around it */
	double grid;     /* body leading */
	double top;      /* first baseline below the top of the block */
	/* the page tried last (fill): its lines in order */
	struct item *seq;
	size_t nseq, seq_cap;
	/* its note runs: as many as it has references, and the lines owed */
	struct note_run *runs;
	size_t runs_cap;
	/* The part's lists of paragraphs to set again (struct cp_setting's),
	 * released in one call once its pages are made. */
	struct arena part;
	/* While a part set again is searched: the tries of the set before
	 * (struct reuse, below), else NULL. */
	const struct reuse *reuse;
	/* Whether the search may space a heading a line wider (fill's
	 * stretch): a part's pages (set_and_paginate), not front matter's. */
	bool stretch;
	/* Whether the part searched holds a float (search_from): without,
	 * no try has text under one to move (pad_under_float). */
	bool floats;
	/* Set while the search tries a page (fill_tried): a stretched try
	 * that finds no heading to space may be left as it came out, since
	 * the search drops it (fill). */
	bool trying;
	/* While a page is tried or made with a float cited in its text set
	 * aside though it fits there: that float's first line, else -1
	 * (fill_once; the search's deferred tries, struct node's defer). */
	long defer;
	/* While a page is tried or made with a table that would float set in
	 * the flow instead, broken between its rows (the search's flowed
	 * try, struct node's flow): that table's first line, else -1; for it
	 * float_at gives 0, as for a long table. */
	long flow;
	/* Whether the search may space blocks other than headings a line
	 * wider (fill's stretch past SPACE_BLOCKS): only when a part's
	 * pages are still two short, or a spread unequal, once its
	 * paragraphs have been set again (space_blocks), a last resort. */
	bool space_blocks;
	/* Whether the search notes rectos it could end well only at a
	 * hyphen (struct chosen's near): only for a part whose first pages
	 * leave a spread unequal or a page two short (set_and_paginate). */
	bool watch_near;
	/* While the search makes a stretched try (fill's stretch): its plain
	 * try of the same page (same line, notes and float owed, height, no
	 * stop), not squeezed, else NULL: the page fill would make first. */
	const struct try *plain;
	/* For each of the lines plain_of (plain_n of them): the first line
	 * at or after it with a note, a float, a new page or a break, which
	 * stack_plain stops at (n for none); and heads_upto[i], how many of
	 * lines [0, i) begin a heading spaceable would space on a page that
	 * goes on past the line under it (heads_to_space). plain_run keeps
	 * them. */
	size_t *plain_to, *heads_upto;
	const struct vline *plain_of;
	size_t plain_n, plain_cap, heads_cap;
};

/* Appends serial to the list v (*n of *cap ints) in arena a; returns v,
 * moved when it grew (the old block left to the arena: a list costs at
 * most twice its size until the arena goes). */
static int *push_serial(struct arena *a, int *v, size_t *n, size_t *cap, int serial)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		int *w = ar_alloc(a, ncap * sizeof(int));
		if (*n)
			memcpy(w, v, *n * sizeof(int));
		v = w;
		*cap = ncap;
	}
	v[(*n)++] = serial;
	return v;
}

/* A page tried: from line s (with a float and note lines owed) at a height,
 * what it holds and what it leaves. */
struct try {
	size_t s, e;          /* flow lines [s, e), less a deferred float */
	size_t joined;        /* pages: floats: bottom - lines [s, joined) are
			       * floats that joined those owed to the foot */
	long fin;             /* a float owed by the page before: set at the top; -1 */
	long fdef;            /* a float in [s, e) that did not fit: owed to the next page */
	double height;        /* the block height tried */
	double foot;          /* where the notes end: height less whole empty lines */
	struct carry carry_in, carry_out;
	struct note_run *runs; /* pg->runs: valid until the next page is tried */
	size_t nruns;
	double notes_used;
	int sh;               /* lines short of the block's last grid line (negative: long) */
	bool last;            /* nothing follows in the part, or a new page does */
	bool hyphen;          /* its last flow line ends at a hyphen and the word runs over */
	bool tied;            /* it ends inside a group of rows a spanning cell ties */
	bool before_float;    /* it ended early because a float comes next */
	int stretched;        /* headings on it spaced a line wider each (fill) */
	bool keep_broken;     /* it ends inside a kept run (an orphan, a heading
			       * without its text): the page holds no more */
	bool squeezed;        /* fill kept it with a heading squeezed at its foot */
	bool padded;          /* the text under a float a line lower (pad_under_float) */
	bool deeper;          /* its notes may sit a line lower (notes_deeper) */
	bool dropped;         /* and they do: the search chose so (drop_notes) */
	bool dense;           /* it ends at a line whose notes run on (dense_refs) */
	bool deferred;        /* fdef fitted where cited and was set aside (pg->defer) */
	bool flowed;          /* it holds the start of the table pg->flow, broken
			       * between its rows rather than floating */
	long fplaced, flast;  /* the first and last floats its text cites set
			       * in it (their first lines), else -1 */
	int body_lines, note_lines; /* body_lines: 0 but on a part's last page when
				     * the search tries it (tally) */
	int notes_split;
};

static double note_lines_height(const struct notes *nt, int note, size_t from, size_t to)
{
	double h = 0;
	for (size_t k = from; k < to; k++)
		h += nt->h[nt->first[note] + k];
	return h;
}

/*
 * How many lines of note go on a page with room for them: all when they
 * fit; else the most that fit at a break the rules allow - two lines at
 * least on each side, not after a hyphenated line, and what runs on short
 * enough to end on the next page (TeX's \vsplit with \splittopskip's
 * care). 0 when the note cannot begin here. A note taller than most of a
 * page cannot keep to two pages and breaks where it must.
 */
static size_t note_cut(const struct pager *pg, int note, double room)
{
	const struct notes *nt = pg->notes;
	size_t cnt = nt->count[note], first = nt->first[note];
	double total = note_lines_height(nt, note, 0, cnt);
	if (total <= room + 0.01)
		return cnt;
	/* What runs on must leave the next page two lines of text, unless the
	 * note is too long to end on the next page however it breaks. */
	double rest_cap = pg->base_height - pg->sep - 2 * pg->grid;
	bool giant = total - room > rest_cap;
	double h = 0;
	size_t best = 0;
	for (size_t k = 1; k < cnt; k++) {
		h += nt->h[first + k - 1];
		if (h > room + 0.01)
			break;
		if (k < 2 || cnt - k < 2 || nt->v[first + k - 1].hyphen)
			continue;
		if (!giant && total - h > rest_cap)
			continue;
		best = k;
	}
	return best;
}

static void seq_push(struct pager *pg, size_t line, double y, bool repeat)
{
	GROW(pg->seq, pg->seq_cap, pg->nseq + 1);
	pg->seq[pg->nseq++] = (struct item){line, y, repeat};
}

/* ceil(q) for the grid's line counts, without the call's fixed cost: the
 * page search snaps 10 million baselines to the grid on the Node.js docs
 * (94 M instructions on one thread). A count far past any page's (or NaN)
 * goes to ceil. */
static inline double grid_ceil(double q)
{
	if (!(fabs(q) < 1e15))
		return ceil(q);
	double t = (double)(long long)q; /* toward zero: exact */
	return t < q ? t + 1 : t;
}

/* The baseline of line l below one at `at` (first: at the top of the page);
 * space, when not negative, stands for the line's own space above. Body
 * lines snap down to the baseline grid, which keeps facing pages aligned. */
static inline double next_at(const struct pager *pg, const struct vline *l, double at, bool first,
			     double space)
{
	if (space < 0)
		space = l->space;
	if (first)
		at = (l->new_page ? space : 0) + (l->advance > pg->grid ? l->advance : pg->top);
	else
		at += space + l->advance;
	if (l->grid && !l->opener) {
		double k = grid_ceil((at - pg->top) / pg->grid - 1e-6);
		at = pg->top + (k < 0 ? 0 : k) * pg->grid;
	}
	/* The last baseline may sit on the foot of the block with its
	 * descenders below it (TeX's \maxdepth), as in any book. */
	return at;
}

/* The notes a page's lines reference, as they accumulate: the heights of
 * all but the last in full, and the last, which alone may break. */
struct nacc {
	double full;
	int last;
	size_t refs;
};

/* Whether l's k-th note is referenced on the page already: earlier on l,
 * or by a line placed on it before l (pg->seq up to l; all of it when l
 * is not there, a float's line stacked under it). A note referenced
 * twice on a page is set there once, both marks leading to it. */
static bool note_on_page(const struct pager *pg, const struct vline *lines,
			 const struct vline *l, size_t k)
{
	int note = l->notes[k];
	for (size_t j = 0; j < k; j++)
		if (l->notes[j] == note)
			return true;
	for (size_t i = 0; i < pg->nseq; i++) {
		const struct vline *m = &lines[pg->seq[i].line];
		if (m == l)
			break;
		if (pg->seq[i].repeat)
			continue;
		for (size_t j = 0; j < m->nnotes; j++)
			if (m->notes[j] == note)
				return true;
	}
	return false;
}

static void nacc_add(const struct pager *pg, const struct vline *lines, struct nacc *a,
		     const struct vline *l)
{
	const struct notes *nt = pg->notes;
	for (size_t k = 0; k < l->nnotes; k++) {
		if (note_on_page(pg, lines, l, k))
			continue;
		if (a->last >= 0)
			a->full += note_lines_height(nt, a->last, 0, nt->count[a->last]);
		a->last = l->notes[k];
		a->refs++;
	}
}

/*
 * Whether line e, placed on the page tried at `at` (the body above it
 * ending at at0) though its notes do not all fit under those of the lines
 * above it (above; carry_h owed), is set there anyway, the page ending
 * under it and its notes running on to the next (plan_notes owes them,
 * in order: TeX's held-over inserts): a line of two or more new
 * references (tests/books/notes100's run of 80 marks, 32 a line) whose
 * notes would take more than half a page and whose page would otherwise
 * end three or more lines short, of which the first note fits whole. (A
 * line of a few short notes waits for the next page, its notes with it:
 * so its notes begin on their marks' page.) The rest begin a page after their marks (the report's
 * notes begun late), not a page left a third empty. Never on a page that
 * still owes notes to the page before: run on page after page, the notes
 * owed would grow with the book (a paragraph of 4,000 marks: each page
 * walked them all, and notes printed pages after their marks).
 */
static bool dense_refs(const struct pager *pg, const struct vline *lines, size_t e, double at0,
		       double at, double height, double carry_h, const struct nacc *above)
{
	const struct notes *nt = pg->notes;
	const struct vline *l = &lines[e];
	if (l->nnotes < 2 || at > height + 0.01 || carry_h > 0.01)
		return false;
	double full = above->full;
	if (above->last >= 0)
		full += note_lines_height(nt, above->last, 0, nt->count[above->last]);
	double room = height - at - pg->sep - carry_h - full;
	/* Without it, the page ends under three lines short (tally's count). */
	if (floor((room + at - at0) / pg->grid + 0.2) < 3)
		return false;
	size_t fresh = 0;
	int first = -1;
	double need = 0; /* the new notes, whole */
	for (size_t k = 0; k < l->nnotes; k++)
		if (!note_on_page(pg, lines, l, k)) {
			if (fresh++ == 0)
				first = l->notes[k];
			need += note_lines_height(nt, l->notes[k], 0, nt->count[l->notes[k]]);
		}
	return fresh >= 2 && need > height * 0.5 &&
	       note_lines_height(nt, first, 0, nt->count[first]) <= room + 0.01;
}

/* Whether a page whose body ends at body holds its notes: the lines owed
 * in full, every note but the last in full, the last at least to a break
 * the rules allow. */
static bool notes_fit(const struct pager *pg, double height, double body, double carry_h,
		      const struct nacc *a)
{
	if (a->last < 0 && carry_h <= 0)
		return body <= height + 0.01;
	double room = height - body - pg->sep - carry_h - a->full;
	if (room < -0.01)
		return false;
	return a->last < 0 || note_cut(pg, a->last, room) > 0;
}

/* The first line of the table line i belongs to: its serial is that line's
 * index + 1 (pg_mark_table), so a long table is not walked back each page. */
static size_t table_first(const struct vline *lines, size_t i)
{
	size_t f = (size_t)lines[i].table - 1;
	if (f <= i && lines[f].table == lines[i].table)
		return f;
	while (i > 0 && lines[i - 1].table == lines[i].table)
		i--;
	return i;
}

/* The height of lines [f, f + len) stacked alone, as on an empty page. */
static double group_height(const struct pager *pg, const struct vline *lines, size_t f,
			   size_t len)
{
	double at = 0;
	for (size_t i = f; i < f + len; i++)
		at = next_at(pg, &lines[i], at, i == f, -1);
	return at;
}

/* Whether a float starts at line i: a figure with its caption, or a table
 * short enough to keep whole on one page. */
static size_t float_at(const struct pager *pg, const struct vline *lines, size_t i)
{
	size_t len = lines[i].float_len;
	if (!len || (long)i == pg->flow)
		return 0;
	if (lines[i].table && group_height(pg, lines, i, len) > pg->base_height * 0.8)
		return 0; /* a long table breaks between rows instead */
	return len;
}

/* The floats a page owes the next are every float (float_at) from the
 * first it set aside, fin, up to the next page's first line: once one
 * float waits, each after it on the page waits too, so that they keep
 * their order. The first of them in lines [i, end), or -1. */
static long next_owed(const struct pager *pg, const struct vline *lines, size_t i, size_t end)
{
	while (i < end) {
		if (float_at(pg, lines, i))
			return (long)i;
		i += lines[i].float_len ? lines[i].float_len : 1;
	}
	return -1;
}

/* The space above line e, the first after floats set aside (the first
 * of them aside_space below the text before it): what the block before
 * the floats leaves below it and what e asks above it, less the half
 * line each float's own space adds on either side. 0 for a paragraph
 * running on after a figure; a code block or a table keeps its gap. */
static double space_after_aside(const struct pager *pg, const struct vline *lines, size_t n,
				size_t e, double aside_space)
{
	if (e >= n)
		return 0;
	double sp = aside_space + lines[e].space - pg->grid;
	return sp > 0 ? sp : 0;
}

/* The depth of float f stacked at the top of a page under floats
 * reaching at (0: none), half a line apart, as fill_once sets the floats
 * owed there (notes aside). */
static double stack_float(const struct pager *pg, const struct vline *lines, long f, double at)
{
	bool first = at <= 0;
	for (size_t i = (size_t)f; i < (size_t)f + lines[f].float_len; i++)
		at = next_at(pg, &lines[i], at, first && i == (size_t)f,
			     i == (size_t)f && !first ? pg->grid * 0.5 : -1);
	return at;
}

/* Whether the float at line e, after floats set aside already (*waiting
 * of them, *owed_at deep stacked), may wait behind them: at most
 * MAX_WAITING, all fitting the next page's top together. Counts it in
 * when so. */
static bool wait_behind(const struct pager *pg, const struct vline *lines, size_t e,
			double height, int *waiting, double *owed_at)
{
	double below = stack_float(pg, lines, (long)e, *owed_at);
	if (*waiting >= MAX_WAITING || below > height)
		return false;
	*owed_at = below;
	(*waiting)++;
	return true;
}

/*
 * The page t (from line s) ended before a float it could not leave
 * waiting behind those it set aside (wait_behind): the next page sets
 * those at its top and this one after them only if it fits, else a page
 * later - two pages from the text before it, which this page holds
 * (issue 14 item 2). The page is also tried ending before that text: the
 * first line of the paragraph right before the float, so that the float
 * waits one page from it. Returns that line, SIZE_MAX when there is
 * none (text before it on this page but a float's, or the page from s
 * is that paragraph alone).
 */
static size_t before_citing(const struct vline *lines, size_t n, size_t s, const struct try *t)
{
	if (!t->before_float || t->fdef < 0 || t->last || t->e <= s + 1 || t->e >= n ||
	    !lines[t->e].float_len)
		return SIZE_MAX;
	size_t k = s, from = SIZE_MAX;
	while (k < t->e) {
		if (lines[k].float_len) {
			k += lines[k].float_len; /* a float set aside: no text */
			from = SIZE_MAX;
			continue;
		}
		if (from == SIZE_MAX || !lines[k].para || lines[k].para != lines[k - 1].para)
			from = k;
		k++;
	}
	return from > s && from < t->e ? from : SIZE_MAX;
}

/*
 * Plans the note lines of the page tried: the lines owed first, then the
 * notes its lines reference, in order, the last of them possibly broken
 * (note_cut). Fills t's runs, carry_out, notes_used and notes_split.
 */
static void plan_notes(struct pager *pg, const struct vline *lines, struct try *t,
		       double body)
{
	const struct notes *nt = pg->notes;
	size_t nr = 0, need = 1;
	if (!nt || !nt->n) {
		/* A part without notes (as most are): none to plan. */
		GROW(pg->runs, pg->runs_cap, need);
		t->runs = pg->runs;
		t->carry_out = (struct carry){-1, 0, -1};
		t->notes_used = 0;
		t->nruns = 0;
		return;
	}
	for (size_t i = 0; i < pg->nseq; i++)
		need += lines[pg->seq[i].line].nnotes;
	GROW(pg->runs, pg->runs_cap, need);
	t->runs = pg->runs;
	if (t->carry_in.note >= 0) {
		need += (size_t)(t->carry_in.upto - t->carry_in.note);
		GROW(pg->runs, pg->runs_cap, need);
		t->runs = pg->runs;
		t->runs[nr++] = (struct note_run){t->carry_in.note, t->carry_in.line,
						  nt->count[t->carry_in.note]};
		for (int j = t->carry_in.note + 1; j <= t->carry_in.upto; j++)
			t->runs[nr++] = (struct note_run){j, 0, nt->count[j]};
	}
	for (size_t i = 0; i < pg->nseq; i++) {
		if (pg->seq[i].repeat)
			continue;
		const struct vline *l = &lines[pg->seq[i].line];
		for (size_t k = 0; k < l->nnotes; k++)
			if (!note_on_page(pg, lines, l, k))
				t->runs[nr++] =
				    (struct note_run){l->notes[k], 0, nt->count[l->notes[k]]};
	}
	t->carry_out = (struct carry){-1, 0, -1};
	t->notes_used = 0;
	t->nruns = nr;
	double room = t->height - body - pg->sep;
	for (size_t r = 0; r < nr; r++) {
		struct note_run *run = &t->runs[r];
		double h = note_lines_height(nt, run->note, run->from, run->to);
		if (t->notes_used + h <= room + 0.01) {
			t->notes_used += h;
			continue;
		}
		/* Cut here: what fill() checked lets only the last note break,
		 * and the lines owed break only when taller than a page. */
		size_t k = run->from;
		if (run->from == 0)
			k = note_cut(pg, run->note, room - t->notes_used);
		if (k <= run->from && t->notes_used > 0) {
			k = run->from; /* owed whole to the next page */
		} else if (k <= run->from) {
			/* A note taller than a page, owed: at least one line a
			 * page, so that it comes to an end. */
			k = run->from;
			do
				t->notes_used += nt->h[nt->first[run->note] + k++];
			while (k < run->to &&
			       t->notes_used + nt->h[nt->first[run->note] + k] <= room + 0.01);
			if (run->to - k == 1 && k - run->from > 2)
				t->notes_used -= nt->h[nt->first[run->note] + --k]; /* no lone line */
		} else {
			t->notes_used += note_lines_height(nt, run->note, run->from, k);
		}
		/* What does not fit is owed: this note's rest and the notes
		 * after it, which follow it in number (a line placed though
		 * its notes fill more than the page owes them all). */
		int upto = run->note;
		size_t q = r + 1;
		while (q < nr && t->runs[q].note == upto + 1)
			upto++, q++;
		if (q < nr && k >= run->to)
			continue; /* not in order: each at least a line, as before */
		if (k >= run->to && r + 1 < nr) {
			r++; /* this one whole: the owed begin with the next */
			run = &t->runs[r];
			k = 0;
		}
		if (k < run->to) {
			t->carry_out = (struct carry){run->note, k, q < nr ? run->note : upto};
			run->to = k;
			t->notes_split = k > 0;
			t->nruns = k > 0 ? r + 1 : r;
			return;
		}
	}
}

/* pages: floats: bottom. The floats the page tried owes its foot (t's
 * from fin on, next_owed's: before the first that waits a page more, or
 * t's first line of text, t->joined) stacked in order under a body ending
 * at `at`, half a line apart, with their notes into *acc; their lines into
 * pg->seq when push. Returns the depth reached. */
static double stack_under(struct pager *pg, const struct vline *lines, const struct try *t,
			  double at, struct nacc *acc, bool push)
{
	size_t end = t->fdef >= 0 && (size_t)t->fdef < t->joined ? (size_t)t->fdef : t->joined;
	for (long f = t->fin; f >= 0; f = next_owed(pg, lines, (size_t)f + lines[f].float_len, end))
		for (size_t i = (size_t)f; i < (size_t)f + lines[f].float_len; i++) {
			at = next_at(pg, &lines[i], at, push && pg->nseq == 0,
				     i == (size_t)f && (!push || pg->nseq) ? pg->grid * 0.5 : -1);
			nacc_add(pg, lines, acc, &lines[i]);
			if (push)
				seq_push(pg, i, at, false);
		}
	return at;
}

/* Whether the floats t owes its foot (stack_under's) fit stacked under a
 * body ending at `at`, with the notes of the body (acc) and their own. */
static bool float_under(struct pager *pg, const struct vline *lines, const struct try *t,
			double at, double carry_h, const struct nacc *acc, double height)
{
	struct nacc a = *acc;
	at = stack_under(pg, lines, t, at, &a, false);
	return notes_fit(pg, height, at, carry_h, &a);
}

/*
 * pages: floats: bottom. A float right at the start of the page tried (t,
 * from t->s, its floats owed to its foot: t->fin) has no place in its
 * text that is not above those floats: it joins them at the foot, in
 * order, with any floats right after it, while they fit with the notes
 * (acc, and carry_h owed) in the height; the first that does not waits
 * for the next page's foot, a page more (set at the top, it went above
 * them: floats14i's seeds 23 and 58 among notes, figure 9 over 8).
 * Sets t->joined (t->s without foot); returns the page's first line of
 * text.
 */
static size_t join_foot(struct pager *pg, const struct vline *lines, size_t n, size_t stop,
			bool foot, double carry_h, const struct nacc *acc, double height,
			struct try *t)
{
	size_t e = t->s;
	t->joined = e;
	while (foot && t->fdef < 0 && e < n && e < stop && float_at(pg, lines, e)) {
		t->joined = e + lines[e].float_len;
		if (!float_under(pg, lines, t, 0, carry_h, acc, height)) {
			t->joined = e;
			break;
		}
		e = t->joined;
	}
	return e;
}

/* How many lines a line of the flow counts for on its page: a table
 * row its cell lines, an image (a figure, a display off the grid taller
 * than two lines) its height in lines, so that a part's last page holding
 * a figure is not taken for a page of a line or two. */
static int body_lines_of(const struct pager *pg, const struct vline *l)
{
	if (!l->grid && l->advance > 2 * pg->grid && l->block && l->block->kind == BK_FIGURE)
		return (int)lround(l->advance / pg->grid);
	return 1 + (int)l->nmore_info;
}

/* How much wider an off-grid foot (even_foot) may space its lines, in
 * lines: each line-to-line gap, and the space above a block in it (a gap
 * a fifth of a line more than its line's advance; not a table row's). A
 * code block's 0.9-line leading goes to at most 0.95; the 3.5 pt between
 * a paragraph and its code block, to at most 10.5 pt, the space between
 * two code blocks. */
#define FOOT_LEAD_FLEX 0.05
#define FOOT_SPACE_FLEX 0.5

/* How much wider the gap above item it (the line above it at `above`)
 * may go in an off-grid foot: in points. */
static double foot_flex(const struct pager *pg, const struct vline *lines, double above,
			const struct item *it)
{
	bool spaced = it->y - above - lines[it->line].advance > 0.2 * pg->grid;
	return pg->grid * (FOOT_LEAD_FLEX + (spaced ? FOOT_SPACE_FLEX : 0));
}

/*
 * Vertical justification of a page that ends off the grid (code lines at
 * 0.9 of a line, table rows, a figure): the lines after its last grid
 * line - their foot - spaced wider, within FOOT_LEAD_FLEX and
 * FOOT_SPACE_FLEX, so that its last baseline sits on a grid line (the
 * lowest that stretch reaches and the page's height allows) and lines up
 * with its facing page's, as a page of text does (TeX's flush bottom, its
 * skips' stretch). Moves pg->seq's foot; returns the new last baseline
 * (body when no grid line is in reach: the page as it was).
 */
static double even_foot(struct pager *pg, const struct vline *lines, double lastgrid,
			double height, double body)
{
	size_t r = pg->nseq;
	while (r > 1 && !(lines[pg->seq[r - 1].line].grid && !lines[pg->seq[r - 1].line].opener))
		r--;
	if (r == pg->nseq || r == 0)
		return body; /* it ends on the grid, or holds one line */
	double cap = 0;
	for (size_t i = r; i < pg->nseq; i++)
		cap += foot_flex(pg, lines, pg->seq[i - 1].y, &pg->seq[i]);
	/* The nearest grid line at or below body, then the lowest in reach. */
	double to = lastgrid - floor((lastgrid - body) / pg->grid + 1e-6) * pg->grid;
	if (to - body > cap + 0.01 || to > height + 0.01)
		return body;
	while (to + pg->grid - body <= cap + 0.01 && to + pg->grid <= height + 0.01)
		to += pg->grid;
	/* Each gap takes its share of the stretch, as TeX's glue does. */
	double part = (to - body) / cap, moved = 0, above = pg->seq[r - 1].y;
	for (size_t i = r; i < pg->nseq; i++) {
		double y = pg->seq[i].y;
		moved += part * foot_flex(pg, lines, above, &pg->seq[i]);
		above = y;
		pg->seq[i].y = i + 1 == pg->nseq ? to : y + moved;
	}
	return to;
}

/*
 * A page with a float and text under it that ends a line or more short of
 * the height tried: the text under the float goes a line lower, so that
 * the page ends a line deeper (the space under a float stretching, as
 * LaTeX's \textfloatsep does) and its facing page can match it (issue 14
 * items 2 and 4: tests/books/floats14h seeds 1, 2, 5, 6 and 11, where
 * the float's page or the page before it could end no other way). At most
 * a line, under the page's first such float; not on a part's last page
 * nor one its text ends on. Sets t->padded.
 */
static void pad_under_float(const struct pager *pg, const struct vline *lines, size_t n,
			    struct try *t)
{
	if (!pg->floats)
		return;
	int delta = (int)lround((t->height - pg->base_height) / pg->grid);
	if (t->last || t->sh + delta < 1 || t->e >= n || lines[t->e].new_page ||
	    lines[t->e].page_break)
		return;
	for (size_t i = 0; i < pg->nseq; i++) {
		size_t len = pg->seq[i].repeat ? 0 : lines[pg->seq[i].line].float_len;
		if (!len || i + len >= pg->nseq || lines[pg->seq[i + len].line].float_len)
			continue; /* not a float, or nothing but floats under it */
		/* A float in the text goes half the line lower, the space
		 * above and below it growing alike; one at the page's top
		 * stays there. */
		for (size_t k = i; k < i + len && i > 0; k++)
			pg->seq[k].y += pg->grid * 0.5;
		for (size_t k = i + len; k < pg->nseq; k++)
			pg->seq[k].y += pg->grid;
		t->sh--;
		if (t->nruns)
			t->foot += pg->grid; /* the notes a line lower too */
		t->padded = true;
		return;
	}
}

/*
 * Whether the notes of a page whose body ends at body, off the grid (a
 * float, a table, a code block at its foot), may sit a line lower than
 * tally puts them (extra whole lines of gap over them taken up): the
 * part line the body leaves over the rule grows to at most
 * NOTES_DROP_MAX lines, so that the page can end as deep as its facing
 * page (issue 14 item 4; floats14h's seeds among notes, where a figure
 * over the notes ended a line apart from the facing page). A page with a
 * float on it, whatever its foot, too: its part line is the notes' (their
 * leading is not the text's) and the float's space takes the eye (foot
 * seed 2's p. 3, the text under its figure padded a line lower). A body
 * of text alone on the grid keeps its notes up: the white a line wider
 * over the rule reads as a page short, and the edition's search would
 * take it for a note split elsewhere (PDF p. 47's note 1).
 */
static bool notes_deeper(const struct pager *pg, const struct vline *lines, double body,
			 double gap, int extra)
{
	if (extra < 1)
		return false;
	double k = (body - pg->top) / pg->grid;
	bool held = false; /* a float on the page */
	for (size_t i = 0; pg->floats && i < pg->nseq && !held; i++)
		held = !pg->seq[i].repeat && lines[pg->seq[i].line].float_len;
	if (fabs(k - floor(k + 0.5)) < 0.05 && !held)
		return false; /* on the grid */
	return gap - (extra - 1) * pg->grid <= NOTES_DROP_MAX * pg->grid + 0.01;
}

/* Sets t's notes a line lower (t->deeper's): the page a line deeper. */
static void drop_notes(const struct pager *pg, struct try *t)
{
	assert(t->deeper);
	t->sh--;
	t->foot += pg->grid;
	t->deeper = false;
	t->dropped = true;
}

/* What fill_once made of a page whose body ends at `body` (lines t->s to
 * e placed, its notes planned): its line counts, whether it is a part's
 * last or ends on a hyphen, and how far it ends from the last grid line
 * (a line less when the text under a float goes lower: pad_under_float). */
static void tally(struct pager *pg, const struct vline *lines, size_t n, size_t e,
		  double body, struct try *t)
{
	double height = t->height;
	for (size_t r = 0; r < t->nruns; r++)
		t->note_lines += (int)(t->runs[r].to - t->runs[r].from);
	long last_flow = -1;
	t->last = (e >= n || lines[e].new_page || lines[e].page_break) && t->carry_out.note < 0 &&
		  t->fdef < 0;
	/* The body lines: read of a part's last page alone (page_demerits,
	 * the report), so the search's other tries skip the count (a walk
	 * of every line it tries, some 200 M instructions of the Node.js
	 * docs); a page placed has it always. */
	for (size_t i = 0; (t->last || !pg->trying) && i < pg->nseq; i++) {
		const struct item *it = &pg->seq[i];
		if (!it->repeat)
			t->body_lines += body_lines_of(pg, &lines[it->line]);
	}
	/* The last flow line: from the foot up, the first not repeated, from
	 * t->joined on, and outside the float set aside. */
	for (size_t i = pg->nseq; i-- > 0 && last_flow < 0;) {
		const struct item *it = &pg->seq[i];
		if (!it->repeat && it->line >= t->joined &&
		    (t->fdef < 0 || it->line < (size_t)t->fdef ||
		     it->line >= (size_t)t->fdef + lines[t->fdef].float_len))
			last_flow = (long)it->line;
	}
	t->hyphen = last_flow >= 0 && lines[last_flow].hyphen && !t->last;
	t->tied = last_flow >= 0 && lines[last_flow].row_tied && !t->last;
	/* A dense line backed out of (an orphan): its notes do not run on. */
	t->dense = t->dense && t->carry_out.note >= 0;
	/* How far it ends from the last grid line of the style's block. */
	double lastgrid = pg->top + floor((pg->base_height - pg->top) / pg->grid + 1e-6) * pg->grid;
	int delta = (int)lround((height - pg->base_height) / pg->grid);
	t->foot = height;
	if (t->nruns) {
		/* Notes sit at the foot; whole lines left empty above them
		 * make the page that much shorter, the notes coming up. */
		double gap = height - body - pg->sep - t->notes_used;
		int extra = gap > 0 ? (int)floor(gap / pg->grid + 0.2) : 0;
		t->foot = height - extra * pg->grid;
		t->sh = extra - delta;
		pad_under_float(pg, lines, n, t);
		/* padded: the text and the notes a line lower, a line less
		 * of gap over them */
		int pad = t->padded;
		t->deeper = notes_deeper(pg, lines, body + pad * pg->grid, gap - pad * pg->grid,
					 extra - pad);
		return;
	}
	if (!t->last && !(t->fin >= 0 && pg->c->st->floats_bottom))
		body = even_foot(pg, lines, lastgrid, height, body);
	t->sh = pg->nseq ? (int)lround((lastgrid - body) / pg->grid) : 0;
	pad_under_float(pg, lines, n, t);
}

static bool spaceable(const struct vline *lines, size_t i, size_t e);

/* Makes pg->plain_to and pg->heads_upto the index of lines (n of them),
 * unless they are already: their set is new (search_from), or it is not
 * the set indexed last (a part set again and not kept). */
static void plain_run(struct pager *pg, const struct vline *lines, size_t n, bool anew)
{
	if (!anew && pg->plain_of == lines && pg->plain_n == n)
		return;
	GROW(pg->plain_to, pg->plain_cap, n + 1);
	size_t to = n;
	for (size_t i = n; i-- > 0;) {
		const struct vline *l = &lines[i];
		if (l->new_page || l->page_break || l->float_len || l->nnotes)
			to = i;
		pg->plain_to[i] = to;
	}
	pg->plain_to[n] = n;
	GROW(pg->heads_upto, pg->heads_cap, n + 1);
	pg->heads_upto[0] = 0;
	for (size_t i = 0; i < n; i++)
		pg->heads_upto[i + 1] =
		    pg->heads_upto[i] + (i > 0 && i + 1 < n && spaceable(lines, i, i + 2));
	pg->plain_of = lines;
	pg->plain_n = n;
}

/*
 * Lines from e with no note, float, break, squeeze or stretch of their
 * own, below the page's first (most of a part: the search stacks each
 * some 70 times): placed as fill_once's steps place them, without their
 * bookkeeping. Returns the first line not placed; *full when it did not
 * fit (the page ends there).
 */
static size_t stack_plain(struct pager *pg, const struct vline *lines, size_t n, size_t e,
			  size_t stop, long squeeze, long stretch, double height, double carry_h,
			  struct nacc *acc, double *at, bool *full)
{
	/* With no notes on the page, notes_fit is the depth alone. */
	bool bare = acc->last < 0 && carry_h <= 0;
	if (pg->nseq == 0 || e >= n)
		return e;
	plain_run(pg, lines, n, false);
	/* The first line it stops at: the line index's, stop, squeeze's,
	 * stretch's. */
	size_t lim = pg->plain_to[e] < stop ? pg->plain_to[e] : stop;
	if (squeeze >= (long)e && (size_t)squeeze < lim)
		lim = (size_t)squeeze;
	if (stretch >= (long)e && (size_t)stretch < lim)
		lim = (size_t)stretch;
	while (e < lim) {
		double next = next_at(pg, &lines[e], *at, false, -1);
		if (bare ? !(next <= height + 0.01) : !notes_fit(pg, height, next, carry_h, acc)) {
			*full = true;
			break;
		}
		seq_push(pg, e++, next, false);
		*at = next;
	}
	return e;
}

/* A page from line s that would end before line e backs out of the kept
 * run (a heading with its text, a widow, an orphan, table rows) e breaks,
 * unless the page is that run alone: its sequence cut back to the run's
 * first line (not below prefix, the float and table head set before the
 * flow). Returns the line the page ends before now. */
static size_t back_out(struct pager *pg, const struct vline *lines, size_t n, size_t s, size_t e,
		       size_t prefix, struct try *t)
{
	if (e >= n || lines[e].new_page || lines[e].page_break || pg->nseq <= prefix)
		return e;
	size_t j = e;
	while (j > s + 1 && lines[j - 1].keep_next)
		j--;
	if (j <= s + 1 && lines[s].keep_next)
		return e;
	if (t->fdef >= 0 && j <= (size_t)t->fdef)
		t->fdef = -1, t->deferred = false; /* the float comes back into the flow */
	if (t->fplaced >= (long)j)
		t->fplaced = -1; /* the float leaves the page */
	if (t->flast >= (long)j)
		t->flast = t->fplaced; /* ... and those after the first: at most two */
	while (pg->nseq > prefix && pg->seq[pg->nseq - 1].line >= j)
		pg->nseq--;
	if (j < e)
		t->before_float = false;
	return j;
}

/*
 * Sets the floats owed from fin at the top of the page tried, in order,
 * half a line apart, while they fit with the page's notes (the first
 * always; with notes_only, the first alone): their lines into pg->seq,
 * their notes into acc. The first that does not fit waits a page more
 * with those after it (t->fdef); *waiting counts them, *owed_at is their
 * depth stacked at the next page's top. Returns the depth reached. With
 * foot (pages: floats: bottom), only finds which wait: the others go to
 * the page's foot (stack_under), pg->seq and acc left empty, 0 returned.
 */
static double set_owed(struct pager *pg, const struct vline *lines, size_t s, long fin,
		       bool notes_only, bool foot, double height, double carry_h,
		       struct nacc *acc, struct try *t, int *waiting, double *owed_at)
{
	double at = 0;
	for (long f = fin; f >= 0; f = next_owed(pg, lines, (size_t)f + lines[f].float_len, s)) {
		double at0 = at;
		struct nacc acc0 = *acc;
		size_t n0 = pg->nseq;
		for (size_t i = (size_t)f; i < (size_t)f + lines[f].float_len; i++) {
			at = next_at(pg, &lines[i], at, pg->nseq == 0,
				     i == (size_t)f && pg->nseq ? pg->grid * 0.5 : -1);
			seq_push(pg, i, at, false);
			nacc_add(pg, lines, acc, &lines[i]);
		}
		if (f != fin && (notes_only || !notes_fit(pg, height, at, carry_h, acc))) {
			at = at0;
			*acc = acc0;
			pg->nseq = n0;
			t->fdef = f;
			for (long g = f; g >= 0;
			     g = next_owed(pg, lines, (size_t)g + lines[g].float_len, s)) {
				(*waiting)++;
				*owed_at = stack_float(pg, lines, g, *owed_at);
			}
			break;
		}
	}
	if (!foot)
		return at;
	pg->nseq = 0;
	*acc = (struct nacc){0, -1, 0};
	return 0;
}

/* The most space bind_heads leaves between a heading and its text, over
 * their leading: in lines. */
#define HEAD_BELOW_MAX (2.0 / 3)

/* Whether item i of the page is a line of a heading in the text (not a
 * part's opening title). */
static bool head_item(const struct pager *pg, const struct vline *lines, size_t i)
{
	const struct vline *l = &lines[pg->seq[i].line];
	return !pg->seq[i].repeat && !l->opener && l->block && l->block->kind == BK_HEADING;
}

/*
 * Each heading on a page to be placed set nearer the text it heads than
 * the text before it (proximity). A heading with its space takes whole
 * grid lines, from the line above it to the one under it; the space that
 * slot leaves over the lines' leading goes a third below the heading, at
 * most HEAD_BELOW_MAX of a line, and the rest above it: a designer's
 * division (Linotype's "Spacing headings": of 22 pt, 12 above and 10
 * below) and TeX's (\section's 3.5ex above and 2.3ex below, the stretch
 * above only), so that a heading sits the same distance over its text
 * wherever the grid or fill's stretch puts it. A heading first on the
 * page, its space above dropped, goes as much lower as takes it to that
 * distance (a third of a line: on its top line, with a whole line under
 * it, it stood midway between the running head and its text). The text
 * keeps its grid lines, only the heading moves (off the grid): the
 * search's figures, read from the text's lines, stay as they were. Heads
 * stacked on each other move as one.
 */
static void bind_heads(struct pager *pg, const struct vline *lines)
{
	for (size_t i = 0; i < pg->nseq; i++) {
		if (!head_item(pg, lines, i))
			continue;
		size_t j = i; /* the last line of the heading, or of the stack */
		while (j + 1 < pg->nseq && head_item(pg, lines, j + 1) &&
		       pg->seq[j + 1].line == pg->seq[j].line + 1)
			j++;
		size_t head = i;
		i = j;
		if (j + 1 >= pg->nseq || pg->seq[j + 1].line != pg->seq[j].line + 1 ||
		    pg->seq[j + 1].y <= pg->seq[j].y ||
		    (head > 0 && pg->seq[head - 1].y >= pg->seq[head].y))
			continue;
		const struct item *under = &pg->seq[j + 1];
		double room = under->y - lines[under->line].advance - pg->seq[j].y; /* under it */
		double below = pg->grid * HEAD_BELOW_MAX;
		if (head > 0) {
			/* Its slot's space over the lines' leading. */
			double spare = room + pg->seq[head].y - lines[pg->seq[head].line].advance -
				       pg->seq[head - 1].y;
			if (spare <= 0.01)
				continue;
			below = fmin(spare / 3, below);
		}
		double d = room - below;
		if (head == 0 && d < 0)
			continue; /* never above the page's top line */
		for (size_t k = head; k <= j; k++)
			pg->seq[k].y += d;
	}
}

/* Begins the try t of a page from line s, owing fin and the note lines
 * carry, height tall (pg->seq emptied): returns the height of the note
 * lines owed. */
static double try_begin(struct pager *pg, struct try *t, size_t s, struct carry carry, long fin,
			double height)
{
	const struct notes *nt = pg->notes;
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->fin = fin;
	t->fdef = t->fplaced = t->flast = -1;
	t->height = height;
	t->carry_in = carry;
	pg->nseq = 0;
	double carry_h = carry.note >= 0 ? note_lines_height(nt, carry.note, carry.line,
							     nt->count[carry.note])
					 : 0;
	for (int j = carry.note + 1; carry.note >= 0 && j <= carry.upto; j++)
		carry_h += note_lines_height(nt, j, 0, nt->count[j]);
	return carry_h;
}

/* The float at line e (len lines) set on the page tried: its first and
 * last such (t->fplaced, t->flast). */
static void float_set(struct try *t, size_t e, size_t len)
{
	if (len && t->fplaced < 0)
		t->fplaced = (long)e;
	if (len)
		t->flast = (long)e;
}

/* Whether line e starts a long table, which breaks in the flow (float_at
 * gave len 0), after a float that waits for the next page (t->fdef): set
 * here it would go before that float, and floats keep their order, so
 * the page ends before it (tests/suites/floats14n.sh: a short table that
 * waited, then a long one, aborted in note_placed). */
static bool flow_after_waiting(const struct try *t, const struct vline *lines, size_t e,
			       size_t len)
{
	return !len && t->fdef >= 0 && lines[e].float_len;
}

/*
 * Tries a page: from line s, owing fin (a float, or -1) and the note lines
 * carry, in a block height tall. The lines go on while they fit with their
 * notes; a float that does not fit is owed to the next page and the text
 * after it goes on filling this one (once a page); the break then backs up
 * out of kept runs (headings with their text, widows, orphans, table rows).
 * Line squeeze (or -1 for none), a heading, sits half a line nearer the
 * text above it, off the grid, so the line under it snaps back half a line
 * higher (fill). Line stretch (or -1), a heading's first line, sits a
 * line further from the text above it, on the grid, and what follows it a
 * line lower. Lines from stop on (SIZE_MAX: none) wait for the next page.
 * Leaves the page's lines in pg->seq and what it made of them in t.
 */
static void fill_once(struct pager *pg, const struct vline *lines, size_t n, size_t s,
		      struct carry carry, long fin, double height, long squeeze,
		      const long *stretch, size_t stop, struct try *t)
{
	size_t si = 0; /* the next heading in stretch[] to space */
	double carry_h = try_begin(pg, t, s, carry, fin, height);
	/* Owed note lines taller than the page take it all. */
	bool notes_only = carry_h > height - pg->sep - pg->top;
	double at = 0;
	struct nacc acc = {0, -1, 0};
	size_t prefix = 0; /* items before the flow lines: the float owed, a table head */
	double space = -1; /* the next flow line's space, when not its own */
	/* Behind owed note lines taller than the page, the float owed still
	 * goes at its top, the note running on under it, where that leaves
	 * the note two lines: a float is never more than a page from its
	 * place (issue 14, item 2). Else it waits a page more. */
	bool float_first =
	    fin >= 0 && notes_only &&
	    group_height(pg, lines, (size_t)fin, lines[fin].float_len) + pg->sep + 2 * pg->grid <=
		height;
	if (fin >= 0 && notes_only && !float_first)
		t->fdef = fin; /* the float waits a page more, behind the note */
	/* pages: floats: bottom - the floats owed go to this page's foot,
	 * in order, under the text running on from the page before. */
	long foot_float = fin >= 0 && !notes_only && pg->c->st->floats_bottom ? fin : -1;
	int waiting = 0; /* floats set aside: how many, their depth (wait_behind), */
	double owed_at = 0, aside_space = 0; /* the space above the first */
	if (fin >= 0 && (!notes_only || float_first)) {
		at = set_owed(pg, lines, s, fin, notes_only, foot_float >= 0, height, carry_h, &acc,
			      t, &waiting, &owed_at);
		space = foot_float >= 0 ? -1 : pg->grid * 0.5;
	}
	if (!notes_only && s < n && s > 0 && lines[s].table && !lines[s].table_head &&
	    lines[s - 1].table == lines[s].table) {
		/* A table goes on from the page before: its head again. */
		size_t h0 = table_first(lines, s);
		for (size_t i = h0; i < s && lines[i].table_head; i++) {
			at = next_at(pg, &lines[i], at, pg->nseq == 0, pg->nseq ? -1 : 0);
			seq_push(pg, i, at, true);
		}
	}
	prefix = pg->nseq;
	size_t e = join_foot(pg, lines, n, stop, foot_float >= 0, carry_h, &acc, height, t);
	while (!notes_only && e < n && e < stop) {
		bool full = false;
		if (space < 0 && foot_float < 0)
			e = stack_plain(pg, lines, n, e, stop, squeeze,
					stretch && stretch[si] >= 0 ? stretch[si] : -1, height,
					carry_h, &acc, &at, &full);
		if (full || e >= n || e >= stop)
			break;
		if ((lines[e].new_page || lines[e].page_break) && pg->nseq > 0)
			break; /* a new part, or \newpage */
		double at0 = at;
		struct nacc acc0 = acc;
		size_t n0 = pg->nseq, si0 = si;
		/* A float first on the page stands in the flow, but not over
		 * floats owed to the foot: not joining them, it waits. */
		size_t len = e > s || pg->nseq || foot_float >= 0 ? float_at(pg, lines, e) : 0;
		if (flow_after_waiting(t, lines, e, len)) {
			t->before_float = true;
			break;
		}
		if (len && t->fdef >= 0) {
			/* A float waits already: this one waits behind it
			 * (wait_behind), the text going on, or the page ends. */
			if (!wait_behind(pg, lines, e, height, &waiting, &owed_at)) {
				t->before_float = true;
				break;
			}
			e += len;
			space = space_after_aside(pg, lines, n, e, aside_space);
			continue;
		}
		size_t take = len ? len : 1;
		if (e + take > n)
			take = n - e;
		for (size_t i = e; i < e + take; i++) {
			double sp = i == e && space >= 0 ? space : lines[i].space;
			if ((long)i == squeeze && pg->nseq && sp >= pg->grid - 0.01)
				at += sp - pg->grid * 0.5 + lines[i].advance;
			else
				at = next_at(pg, &lines[i], at, pg->nseq == 0, i == e ? space : -1);
			if (stretch && (long)i == stretch[si]) {
				at += pg->grid; /* the heading and what follows a line lower */
				si++;
			}
			seq_push(pg, i, at, false);
			nacc_add(pg, lines, &acc, &lines[i]);
		}
		/* Under floats owed to the foot, a float waits for the next
		 * page's, never going above them. */
		bool fits = foot_float < 0 ? notes_fit(pg, height, at, carry_h, &acc)
					   : !len && float_under(pg, lines, t, at, carry_h, &acc,
								 height);
		/* Deferred (pg->defer): a float in the page's text waits for
		 * the next page though it fits here, so that the text fills
		 * this one (TeX's \floatingpenalty). */
		bool defer = len && fits && pg->defer == (long)e && t->fdef < 0 && n0 > 0;
		if (!defer && (fits || (n0 == 0 && foot_float < 0) ||
			       (!len && foot_float < 0 &&
				(t->dense = dense_refs(pg, lines, e, at0, at, height, carry_h,
						       &acc0))))) {
			float_set(t, e, len);
			e += take;
			space = -1;
			if (!fits)
				break; /* placed anyway: alone, taller than the page, or dense */
			continue;
		}
		at = at0;
		acc = acc0;
		pg->nseq = n0;
		si = si0;
		if (len && t->fdef < 0 && group_height(pg, lines, e, len) <= height) {
			/* The float waits for the next page; the text goes on. */
			t->deferred = defer;
			t->fdef = (long)e;
			wait_behind(pg, lines, e, height, &waiting, &owed_at); /* the first */
			aside_space = lines[e].space;
			e += len;
			space = space_after_aside(pg, lines, n, e, aside_space);
			continue;
		}
		if (len)
			t->before_float = true;
		break;
	}
	t->e = e = back_out(pg, lines, n, t->joined, e, prefix, t);
	t->flowed = pg->flow >= (long)s && pg->flow < (long)e && t->fdef != pg->flow;
	t->keep_broken = e > s && e < n && !lines[e].new_page && !lines[e].page_break &&
			 lines[e - 1].keep_next && pg->nseq > prefix;
	size_t foot_first = pg->nseq;
	if (foot_float >= 0)
		at = stack_under(pg, lines, t, at, &acc, true);
	double body = pg->nseq ? pg->seq[pg->nseq - 1].y : 0;
	plan_notes(pg, lines, t, body);
	if (foot_float >= 0 && foot_first > 0) {
		/* Down to the foot, by whole lines (the notes under it): the
		 * space left goes between the text and the float. */
		double limit = t->nruns ? height - pg->sep - t->notes_used
					: pg->top + floor((height - pg->top) / pg->grid + 1e-6) * pg->grid;
		double k = floor((limit - body) / pg->grid + 1e-6);
		for (size_t i = foot_first; k > 0 && i < pg->nseq; i++)
			pg->seq[i].y += k * pg->grid;
		if (k > 0)
			body += k * pg->grid;
	}
	tally(pg, lines, n, e, body, t);
}

/* Whether line i begins a heading that gives up half a line of its space
 * above at a page's foot: a one-line heading on the grid with a line or
 * more of space above it, kept with what follows; the heads stacked under
 * it (off the grid, compose.c's heading) move up with it. */
static bool squeezable(const struct pager *pg, const struct vline *lines, size_t n, size_t i)
{
	const struct vline *l = &lines[i];
	if (!(i < n && l->outline && l->grid && !l->opener && !l->new_page && !l->page_break &&
	      l->keep_next && l->space >= pg->grid - 0.01))
		return false;
	size_t j = i + 1;
	while (j < n && !lines[j].grid && lines[j - 1].keep_next && lines[j].block &&
	       lines[j].block->kind == BK_HEADING)
		j++;
	return j < n && lines[j - 1].keep_next && !lines[j].outline && !lines[j].float_len;
}

/*
 * The headings a page that ends want lines short of where it should may
 * space a line wider each (fill's stretch): the last want on the page
 * below its first line that begin a heading on the grid with space above
 * it, not right under another heading, with a line of the text after it
 * on the page. Stores them in at[], ascending, -1 after them; returns
 * whether there are want of them.
 */
static bool stretchable(const struct pager *pg, const struct vline *lines, size_t e, int want,
			long at[MAX_STRETCH + 1])
{
	int got = 0;
	for (size_t k = pg->nseq; k-- > 1 && got < want;) {
		const struct item *it = &pg->seq[k];
		const struct vline *l = &lines[it->line];
		if (it->repeat || pg->seq[k - 1].repeat || pg->seq[k - 1].line + 1 != it->line)
			continue;
		const struct bk_block *above = lines[it->line - 1].block;
		if (l->outline && l->grid && !l->opener && !l->new_page && !l->page_break &&
		    l->space > 0 && it->line + 1 < e && !lines[it->line + 1].float_len &&
		    !(above && above->kind == BK_HEADING))
			at[want - ++got] = (long)it->line;
	}
	at[want] = -1;
	return got == want;
}

/* Whether line i (above a line of the page, e) begins a heading
 * stretchable would space, but for where it sits on the page. */
static bool spaceable(const struct vline *lines, size_t i, size_t e)
{
	const struct vline *l = &lines[i];
	const struct bk_block *above = lines[i - 1].block;
	return l->outline && l->grid && !l->opener && !l->new_page && !l->page_break &&
	       l->space > 0 && i + 1 < e && !lines[i + 1].float_len &&
	       !(above && above->kind == BK_HEADING);
}

/* Whether block b is a paragraph whose text ends with a colon: one that
 * introduces what follows it (misc's GTK README: "The official web site
 * is:" over a list of one address). */
static bool introduces(const struct bk_block *b)
{
	if (!b || b->kind != BK_PARA || !b->nspans)
		return false;
	const struct bk_span *sp = &b->spans[b->nspans - 1];
	if (sp->kind != BK_SPAN_TEXT || !sp->text)
		return false;
	size_t n = sp->len;
	while (n && (sp->text[n - 1] == ' ' || sp->text[n - 1] == '\n' || sp->text[n - 1] == '\t'))
		n--;
	return n && sp->text[n - 1] == ':';
}

/* Whether line i (above a line of the page, e) begins a block with space
 * above it that a page two or more lines short may space a line wider
 * (blocks_stretchable): a list, a code block, a quote, the paragraph
 * after one, a heading set off the grid (a larger size: spaceable takes
 * only those on it) with a line under it on the page; not a table's row,
 * a float, a line under a heading or bound to the line above it. A
 * block a paragraph ending in a colon introduces (introduces) is taken
 * only when no other line is (blocks_stretchable): a line between them
 * would part the two. Code is centred in the room it is given
 * (centre_code), so the line goes above and below it alike. */
static bool block_spaceable(const struct vline *lines, size_t i, size_t e)
{
	const struct vline *l = &lines[i], *up = &lines[i - 1];
	const struct bk_block *above = up->block;
	bool head = l->outline != NULL; /* one off the grid: a larger size */
	return i < e && (!head || (i + 1 < e && !lines[i + 1].float_len)) && l->block &&
	       l->block != above && l->space > 0.01 && (l->grid || l->code || head) &&
	       !up->outline && !l->opener &&
	       !l->new_page && !l->page_break && !l->table && !l->float_len && !up->float_len &&
	       !up->keep_next && !(above && above->kind == BK_HEADING);
}

/* The line blocks_stretchable spaces for the block line i (of a page
 * that begins at s) begins: i itself where block_spaceable takes it; the
 * first line of the paragraph that introduces it (introduces), on the
 * page below its first line, a body line not under a heading, so the
 * line goes above the two together; else -1. */
static long intro_spaceable(const struct vline *lines, size_t s, size_t i, size_t e)
{
	if (!block_spaceable(lines, i, e))
		return -1;
	const struct bk_block *above = lines[i - 1].block;
	if (!introduces(above))
		return (long)i;
	size_t j = i - 1;
	while (j > s && lines[j - 1].block == above)
		j--;
	const struct vline *l = &lines[j], *up = &lines[j - 1];
	bool ok = j > s && l->grid && !l->opener && !l->new_page && !l->page_break && !l->table &&
		  !l->float_len && !up->float_len && !up->outline && !up->keep_next &&
		  !(up->block && up->block->kind == BK_HEADING);
	return ok ? (long)j : -1;
}

/*
 * The lines a page of lines s to e (no float owed or set aside, as
 * stretchable_lines) spaces a line wider each for a stretch of want lines
 * past SPACE_BLOCKS: the last headings spaceable takes, then the last
 * other blocks block_spaceable takes (intro_spaceable: above the
 * paragraph that introduces one), so that a heading is spaced before a
 * list is, and last, where those are too few, the blocks a paragraph
 * introduces themselves (a line between the two: dearer to the eye than
 * a page two lines short, tests/books/depth15's p. 1). Stores them in
 * at[], ascending, -1 after them; returns how many it found (at most
 * want).
 */
static int blocks_stretchable(const struct vline *lines, size_t s, size_t e, int want,
			      long at[MAX_STRETCH + 1])
{
	int got = 0;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = e; i-- > s + 1 && got < want;) {
			long k = pass == 0   ? (spaceable(lines, i, e) ? (long)i : -1)
				 : pass == 1 ? intro_spaceable(lines, s, i, e)
				 : block_spaceable(lines, i, e) && introduces(lines[i - 1].block)
				     ? (long)i
				     : -1;
			bool dup = false; /* an introducing paragraph after a list */
			for (int a = 0; a < got && !dup; a++)
				dup = at[a] == k;
			if (k >= 0 && !dup)
				at[got++] = k;
		}
	for (int a = 1; a < got; a++) /* ascending, as fill_once reads them */
		for (int b = a; b > 0 && at[b - 1] > at[b]; b--) {
			long x = at[b];
			at[b] = at[b - 1];
			at[b - 1] = x;
		}
	at[got] = -1;
	return got;
}

/* Whether lines s to e hold want headings stretchable might space: a
 * test on the lines alone, without placing them, that passes wherever
 * stretchable would find them (the search's short cut: most pages of a
 * part searched again have fewer headings than lines to gain). Lines
 * s + 1 to e - 2 are spaceable's there: counted by pg->heads_upto, not
 * walked (the search asks of most pages it tries). */
static bool heads_to_space(const struct pager *pg, const struct vline *lines, size_t s,
			   size_t e, int want)
{
	assert(pg->plain_of == lines); /* the search's lines (search_from) */
	size_t got = e >= s + 3 ? pg->heads_upto[e - 1] - pg->heads_upto[s + 1] : 0;
	return want <= 0 ? want == 0 : got >= (size_t)want;
}

/*
 * stretchable for a page of lines s to e with no float owed or set aside
 * (t->fin and t->fdef < 0), from the lines alone: such a page's lines in
 * order are its table head repeated (if any), then s to e - 1, so the
 * headings stretchable finds are the last want of s + 1 to e - 1 that
 * spaceable takes (the search's stretched tries, without the plain page
 * placed again to find them). Stores them in at[] as stretchable does.
 */
static bool stretchable_lines(const struct vline *lines, size_t s, size_t e, int want,
			      long at[MAX_STRETCH + 1])
{
	int got = 0;
	for (size_t i = e; i-- > s + 1 && got < want;)
		if (spaceable(lines, i, e))
			at[want - ++got] = (long)i;
	at[want] = -1;
	return got == want;
}

/*
 * fill's stretch the other way: a page that ends within a line of its last
 * grid line, tried again with its last heading a line wider and ending
 * where it then ends - a line or more sooner, on a grid line still - so
 * that its facing page begins sooner and can end level with it where no
 * break of its own would (the Node.js docs' v8.md: a verso of code over a
 * heading and one-line items, its recto a list whose two-line items fit
 * a line early or not at all). t is the plain try (from_plain: made by
 * the search, its lines not in pg->seq); it is left as the page made so
 * when that ends within a line of the grid before more text, else as it
 * came (the search drops it: it tried the page so already).
 */
static void fill_early(struct pager *pg, const struct vline *lines, size_t n, size_t s,
		       struct carry carry, long fin, double height, bool from_plain, struct try *t)
{
	long k[MAX_STRETCH + 1];
	if (t->last || t->e <= s + 1 || t->fdef >= 0 || t->fin >= 0 || t->nruns ||
	    !(from_plain ? stretchable_lines(lines, s, t->e, 1, k)
			 : stretchable(pg, lines, t->e, 1, k)))
		return;
	struct try u = *t;
	fill_once(pg, lines, n, s, carry, fin, height, -1, k, SIZE_MAX, t);
	if (t->e < u.e && t->e > (size_t)k[0] + 1 && !t->last && t->fdef < 0 && t->nruns == 0 &&
	    t->sh >= -1 && t->sh <= 1) {
		t->stretched = 1;
		return;
	}
	if (pg->trying)
		*t = u;
	else
		fill_once(pg, lines, n, s, carry, fin, height, -1, NULL, SIZE_MAX, t);
}

/* Whether the page t, tried plain from line s, ends short before a heading
 * squeezable gives up half a line of (fill's squeeze). */
static bool squeeze_wanted(const struct pager *pg, const struct vline *lines, size_t n, size_t s,
			   const struct try *t)
{
	return !t->last && t->sh >= 1 && t->e > s && t->fdef < 0 && t->carry_out.note < 0 &&
	       squeezable(pg, lines, n, t->e);
}

/*
 * Tries a page as fill_once does. A page that would end short because the
 * heading after it does not fit with its two lines is tried again with that
 * heading's space above and below half a line less (TeX's section skips
 * shrink too): the heading's baseline leaves the grid, the text under it
 * comes back to it, and the page takes the heading when that makes it end
 * nearer its last grid line. A page SQUEEZE_IN_PLACE lines short or more
 * is so squeezed as it is tried; one less short only when asked (stretch
 * FILL_SQUEEZE: the search's squeezed try, SQUEEZE_DEMERITS against the
 * plain page), else left short: a heading off the grid is a blemish a
 * page a line short with its facing page may spare (the Node.js docs:
 * 138 squeezed heads -> 78). Lines from stop on wait for the next page.
 * With stretch (1 to MAX_STRETCH), a page that ends that many lines short
 * of where it should with as many headings below its top (stretchable)
 * is tried with a line more space above each of those headings, the same
 * lines ending that many lines lower (TeX's section skips stretch as
 * well; the space goes above, so each heading stays near its text, and
 * over several headings, so no one gap grows past a line); the page as it
 * was when that does not hold.
 */
static void fill(struct pager *pg, const struct vline *lines, size_t n, size_t s,
		 struct carry carry, long fin, double height, size_t stop, int stretch,
		 struct try *t)
{
	/* The search's plain try of this page: the page fill_once makes
	 * first, not made again (its lines are not needed: see trying). */
	const struct try *p = stretch != 0 && pg->trying ? pg->plain : NULL;
	if (p && !(p->s == s && p->fin == fin && p->height == height && !p->squeezed &&
		   stop == SIZE_MAX && p->carry_in.note == carry.note &&
		   p->carry_in.line == carry.line && p->carry_in.upto == carry.upto))
		p = NULL;
	if (p)
		*t = *p;
	else
		fill_once(pg, lines, n, s, carry, fin, height, -1, NULL, stop, t);
	if (stretch < 0) {
		fill_early(pg, lines, n, s, carry, fin, height, p != NULL, t);
		return;
	}
	/* the lines to space: past SPACE_BLOCKS, over headings and blocks */
	int wider = stretch > SPACE_BLOCKS ? stretch - SPACE_BLOCKS : stretch;
	if (stretch > 0 && stretch != FILL_SQUEEZE && !t->last && t->sh - wider >= -1 &&
	    t->e > s + 1 && t->fdef < 0 && t->fin < 0) {
		long k[MAX_STRETCH + 1];
		if (stretch > SPACE_BLOCKS ? wider > MAX_STRETCH ||
						 blocks_stretchable(lines, s, t->e, wider, k) != wider
		    : stretch > MAX_STRETCH || !(p ? stretchable_lines(lines, s, t->e, stretch, k)
						   : stretchable(pg, lines, t->e, stretch, k)))
			return;
		/* Blocks spaced on a page tried short (the page its lines
		 * fill): its lines set lower within the whole block, the
		 * page ending no later (u.e) but nearer its last grid line. */
		double hh = stretch > SPACE_BLOCKS && !t->nruns ? fmax(height, pg->base_height)
								  : height;
		struct try u = *t;
		fill_once(pg, lines, n, s, carry, fin, hh, -1, k, u.e, t);
		if (t->e == u.e && t->sh == u.sh - wider && t->fdef < 0 && t->nruns == u.nruns &&
		    t->carry_out.note == u.carry_out.note && t->carry_out.line == u.carry_out.line &&
		    t->carry_out.upto == u.carry_out.upto && !t->last) {
			t->stretched = wider;
			return;
		}
		/* The search drops a try not stretched (it tried the page as
		 * it was already): only the others need it made again. */
		if (!pg->trying)
			fill_once(pg, lines, n, s, carry, fin, height, -1, NULL, stop, t);
		return;
	}
	bool in_place = stretch == 0 && t->sh >= SQUEEZE_IN_PLACE;
	bool asked = stretch == FILL_SQUEEZE && t->sh < SQUEEZE_IN_PLACE;
	if (!(in_place || asked) || !squeeze_wanted(pg, lines, n, s, t))
		return;
	size_t e0 = t->e;
	int sh0 = t->sh;
	struct try u = *t;
	fill_once(pg, lines, n, s, carry, fin, height, (long)e0, NULL, stop, t);
	if (t->e > e0 + 1 && t->sh < sh0 && t->sh >= -1 && t->fdef < 0) {
		t->squeezed = true;
		return;
	}
	/* The page as it was: the search needs its try alone (trying),
	 * the others its lines in pg->seq too. */
	if (pg->trying)
		*t = u;
	else
		fill_once(pg, lines, n, s, carry, fin, height, -1, NULL, stop, t);
}

/* A page's demerits: see the section's comment. vsh is the facing verso's
 * depth when t is a recto that has one. */
static double page_demerits(const struct try *t, bool recto, int vsh, bool first_page)
{
	double d = 300; /* each page: fewer pages, other things equal */
	if (!t->last) {
		if (t->sh >= 2)
			d += 5000.0 * t->sh;
		else if (t->sh == 1)
			d += 100;
		else if (t->sh <= -1)
			d += 150 + 5000.0 * (-1 - t->sh);
		if (recto && vsh != NO_DEPTH && vsh != t->sh)
			d += 3000;
		if (t->hyphen)
			d += recto ? 1e6 : 100;
	} else if (!first_page && t->body_lines < PG_PART_END_LINES) {
		d += PART_END_DEMERITS +
		     PART_END_LINE_DEMERITS * (PG_PART_END_LINES - 1 - t->body_lines);
	}
	d += 200.0 * t->notes_split;
	if (t->fdef >= 0)
		d += 20;
	if (t->fdef >= 0 && (size_t)t->fdef <= t->joined)
		d += FAR_FLOAT_DEMERITS; /* a float two pages from its place */
	if (t->deferred)
		d += FLOAT_DEFER_DEMERITS;
	d += STRETCH_DEMERITS * t->stretched;
	if (t->squeezed)
		d += SQUEEZE_DEMERITS;
	if (t->padded)
		d += FLOAT_PAD_DEMERITS;
	if (t->dropped)
		d += NOTES_DROP_DEMERITS;
	if (t->keep_broken)
		d += KEEP_BROKEN_DEMERITS;
	if (t->dense)
		d += DENSE_REFS_DEMERITS;
	if (t->tied)
		d += TIED_DEMERITS;
	if (t->flowed)
		d += FLOW_TABLE_DEMERITS;
	return d;
}

/* A state of the search: after some pages of the part, where the next one
 * starts, and the best way found to it. */
struct node {
	size_t s;
	struct carry carry;
	long fin;
	size_t pageno;  /* the next page's index in the doc */
	int vsh;        /* when the next page is a recto: its verso's depth */
	bool done;
	double cost;
	long prev;      /* the node before, -1 for the start */
	double height;  /* the page from prev to here: its height */
	size_t stop;    /* and the line it stopped before (fill's stop) */
	bool blank_before;
	signed char stretch; /* and the headings fill spaced wider on it (FILL_SQUEEZE:
			      * the heading at its foot squeezed) */
	bool unequal;   /* a recto ending unlike its verso */
	bool short2;    /* a page two lines short or more, not a part's last */
	bool dropped;   /* its notes a line lower (drop_notes) */
	long defer;     /* the float cited set aside on it (pg->defer), or -1 */
	long flow;      /* the table set in the flow on it (pg->flow), or -1 */
};

static bool same_state(const struct node *a, const struct node *b)
{
	return a->s == b->s && a->carry.note == b->carry.note && a->carry.line == b->carry.line &&
	       a->carry.upto == b->carry.upto &&
	       a->fin == b->fin && a->pageno % 2 == b->pageno % 2 && a->vsh == b->vsh &&
	       a->done == b->done;
}

static int by_cost(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	return x->s > y->s ? -1 : x->s < y->s ? 1 : 0;
}

/* The page the search made from state from to nd, made again as t (its
 * lines in pg->seq) with the float it set aside, if any (nd->defer). */
static void fill_node(struct pager *pg, const struct vline *lines, size_t n,
		      const struct node *from, const struct node *nd, struct try *t)
{
	pg->defer = nd->defer;
	pg->flow = nd->flow;
	fill(pg, lines, n, from->s, from->carry, from->fin, nd->height, nd->stop, nd->stretch, t);
	pg->defer = pg->flow = -1;
}

/* The page the search chose from state from to nd, made again as t:
 * fill_node's, its notes dropped as chosen. */
static void fill_chosen(struct pager *pg, const struct vline *lines, size_t n,
			const struct node *from, const struct node *nd, struct try *t)
{
	fill_node(pg, lines, n, from, nd, t);
	if (nd->dropped)
		drop_notes(pg, t);
}

/* Places the page t (its lines in pg->seq) as page pi. */
static void place_page(struct pager *pg, struct vline *lines, size_t n, size_t pi,
		       const struct try *t);

/* ===== placing notes =================================================== */

/* Places the planned note lines at the foot of page pi, flush with the
 * foot of the text block (pg->height), under a short rule. */
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
	/* The rule starts where the notes' lines do: at the right in a
	 * right-to-left book. */
	double rule_x = block_left(c, pi) + (bk_lang_rtl(c->b->meta.language) ? c->measure * 0.7 : 0);
	GROW(page->rules, page->rules_cap, page->nrules + 1);
	page->rules[page->nrules++] = (struct pg_rule){rule_x, rule_y, c->measure * 0.3, 0.4};
	double y = start;
	for (size_t r = 0; r < nr; r++) {
		for (size_t k = runs[r].from; k < runs[r].to; k++) {
			const struct vline *l = &nt->v[nt->first[runs[r].note] + k];
			y += nt->h[nt->first[runs[r].note] + k];
			place(c, pi, l, y - l->depth);
			if (k != 0)
				continue;
			/* The note starts here: point its references at it. */
			bool found = false;
			for (size_t i = 0; i < page->nlinks; i++)
				if (page->links[i].dest_page == -2 - runs[r].note) {
					page->links[i].dest_page = (int)pi;
					page->links[i].dest_y =
						st->page_h - st->margin_top - (y - l->depth) + l->advance;
					found = true;
				}
			page->facts.notes_late += !found;
		}
	}
}

/* ===== the part onto pages ============================================= */

/* The pages the search chose: its nodes, and the path through them. */
struct chosen {
	struct node *pool;
	long *path; /* pool indexes, first page to last */
	size_t npath;
	double cost;
	/* The pages the search tried (fill_tried), kept for a search of the
	 * part set again (struct reuse): keys and tries in ar. Keyed by
	 * struct tried_key's bytes under hash_words (hmap_*_hashed only). */
	struct arena ar;
	struct hmap tried;
	/* OCTAVO_CHECK_TRIES set: every try remembered or reused is made
	 * again and must come out the same (the suites' check of the two). */
	bool check;
	/* Words at which a recto the search tried would have ended, within
	 * a line of where it should, from a state near the cheapest of its
	 * layer: (para << 32) | brk, the first NEAR_HYPHENS (foot_hyphens). */
	uint64_t near[8];
	size_t nnear;
};
#define NEAR_HYPHENS (sizeof(((struct chosen *)0)->near) / sizeof(uint64_t))

static void chosen_release(struct chosen *ch)
{
	free(ch->pool);
	free(ch->path);
	ar_release(&ch->ar);
	memset(ch, 0, sizeof(*ch));
}

/* Keeps of ch's nodes only its chosen pages' (and the start): pool[k] is
 * the state after k pages, path[i] = i + 1. The rest of a long part's
 * search (48 nodes a page) is freed. */
static void chosen_compact(struct chosen *ch)
{
	struct node *pool = xmalloc((ch->npath + 1) * sizeof(*pool));
	pool[0] = ch->npath ? ch->pool[ch->pool[ch->path[0]].prev] : ch->pool[0];
	for (size_t i = 0; i < ch->npath; i++) {
		pool[i + 1] = ch->pool[ch->path[i]];
		pool[i + 1].prev = (long)i;
		ch->path[i] = (long)i + 1;
	}
	free(ch->pool);
	ch->pool = pool;
}

/* A page tried, as the search remembers it: fill() depends only on where
 * the page starts (its first line, the note lines and the float owed) and
 * on its height, while the search's states also differ in page parity, the
 * verso's depth and cost; so the states that start alike share one try
 * (a long part's beam holds many). */
struct tried_key {
	size_t s, line; /* the first line; the owed note's next line */
	long fin;
	int note, upto, height; /* the carry; the height's index in deltas[] */
	size_t stop;		/* the line the page must end before, or SIZE_MAX */
	int stretch;		/* fill's stretch asked: lines (or FILL_SQUEEZE) */
	long defer;		/* the float set aside (pg->defer), or -1 */
	long flow;		/* the table set in the flow (pg->flow), or -1 */
};

/*
 * A part set again differs from the set before in a few paragraphs; a page
 * that reads none of their lines is the same page, its lines shifted by as
 * many as the paragraphs before it gained (set_again's search reuses the
 * tries of the search before). Per line of the new set: old_of, its index
 * in the old set (-1 in a paragraph that changed), and run_end, where the
 * run of lines it is in ends (each line of the run old_of[k] - k apart).
 * A page from s reads lines from the table or float owed before it to at
 * most reach lines on (reach_of).
 */
struct reuse {
	const struct hmap *tried; /* the old search's */
	const long *old_of;
	const size_t *run_end;
	size_t n_old;
	size_t reach; /* lines: twice a tallest page's worth, and two floats */
};

static void tried_key_of(struct tried_key *k, size_t s, struct carry carry, long fin, int di,
			 size_t stop, int stretch, long defer, long flow)
{
	memset(k, 0, sizeof(*k)); /* the padding too: the key is its bytes */
	k->s = s;
	k->line = carry.line;
	k->fin = fin;
	k->note = carry.note;
	k->upto = carry.upto;
	k->height = di;
	k->stop = stop;
	k->stretch = stretch;
	k->defer = defer;
	k->flow = flow;
}

/* The old set's try of the page nd starts (t, shifted to the new lines'
 * indexes), when it reads only lines that did not change. */
static bool reused(const struct reuse *ru, const struct vline *lines, size_t n,
		   const struct node *nd, int di, size_t stop, int stretch, long defer,
		   long flow, struct try *t)
{
	size_t s = nd->s;
	size_t lo = s ? s - 1 : 0;
	if (s < n && lines[s].table && table_first(lines, s) < lo)
		lo = table_first(lines, s);
	if (nd->fin >= 0 && (size_t)nd->fin < lo)
		lo = (size_t)nd->fin;
	size_t hi = s + ru->reach;
	if (lo >= n || ru->old_of[lo] < 0)
		return false;
	long d = ru->old_of[lo] - (long)lo;
	if (hi >= n) {
		/* The part's end is read: the old set must end alike. */
		if (ru->run_end[lo] < n || (long)ru->n_old - (long)n != d)
			return false;
	} else if (ru->run_end[lo] < hi) {
		return false;
	}
	struct tried_key k;
	tried_key_of(&k, (size_t)((long)s + d), nd->carry, nd->fin >= 0 ? nd->fin + d : -1, di,
		     stop == SIZE_MAX ? SIZE_MAX : (size_t)((long)stop + d), stretch,
		     defer >= 0 ? defer + d : -1, flow >= 0 ? flow + d : -1);
	const struct try *seen =
		hmap_get_hashed(ru->tried, (const char *)&k, sizeof(k), hash_words(&k, sizeof(k)));
	if (!seen)
		return false;
	*t = *seen;
	t->s = s;
	t->e = (size_t)((long)seen->e - d);
	t->joined = (size_t)((long)seen->joined - d);
	t->fin = nd->fin;
	if (t->fdef >= 0)
		t->fdef -= d;
	if (t->fplaced >= 0)
		t->fplaced -= d;
	if (t->flast >= 0)
		t->flast -= d;
	return true;
}

/* Whether a and b are the same try, but for their note runs. */
static bool same_try(const struct try *a, const struct try *b)
{
	return a->s == b->s && a->e == b->e && a->joined == b->joined && a->fin == b->fin &&
	       a->fdef == b->fdef &&
	       a->height == b->height && a->foot == b->foot &&
	       a->carry_in.note == b->carry_in.note && a->carry_in.line == b->carry_in.line &&
	       a->carry_in.upto == b->carry_in.upto && a->carry_out.note == b->carry_out.note &&
	       a->carry_out.line == b->carry_out.line && a->carry_out.upto == b->carry_out.upto &&
	       a->nruns == b->nruns && a->notes_used == b->notes_used && a->sh == b->sh &&
	       a->last == b->last && a->hyphen == b->hyphen && a->before_float == b->before_float &&
	       a->tied == b->tied &&
	       a->stretched == b->stretched && a->keep_broken == b->keep_broken &&
	       a->body_lines == b->body_lines && a->note_lines == b->note_lines &&
	       a->notes_split == b->notes_split && a->squeezed == b->squeezed &&
	       a->padded == b->padded && a->dense == b->dense && a->deeper == b->deeper &&
	       a->dropped == b->dropped && a->deferred == b->deferred && a->flowed == b->flowed &&
	       a->fplaced == b->fplaced && a->flast == b->flast;
}

/* The most tries a search keeps at once (about 250 bytes each, key and
 * table slot with them): the Node.js docs' longest part needs fewer, a
 * 2 MB essay many more, whose peak memory issue 12 bounds. Forgetting
 * changes no page, only how often fill() runs (OCTAVO_CHECK_TRIES). */
#define TRIES_KEPT 8192

/* fill(), or the try remembered in ch's tries (or the old set's, pg->reuse)
 * for the same page (pg->defer as set): t as fill() makes it, but for
 * t->runs (NULL: only the search reads these tries, and it never reads
 * the note runs). */
static void fill_tried(struct pager *pg, struct chosen *ch, const struct vline *lines, size_t n,
		       const struct node *nd, int di, double h, size_t stop, int stretch,
		       struct try *t)
{
	struct tried_key k;
	tried_key_of(&k, nd->s, nd->carry, nd->fin, di, stop, stretch, pg->defer, pg->flow);
	uint64_t kh = hash_words(&k, sizeof(k)); /* the tries' tables: hmap_*_hashed */
	const struct try *seen = hmap_get_hashed(&ch->tried, (const char *)&k, sizeof(k), kh);
	bool made = false;
	if (seen)
		*t = *seen;
	else if (!pg->reuse || !reused(pg->reuse, lines, n, nd, di, stop, stretch, pg->defer, pg->flow, t)) {
		pg->trying = true;
		fill(pg, lines, n, nd->s, nd->carry, nd->fin, h, stop, stretch, t), made = true;
		pg->trying = false;
	}
	if (ch->check && (!made || pg->plain)) {
		/* made from the plain try (fill): checked against a fill
		 * without it too */
		struct try u;
		const struct try *plain = pg->plain;
		pg->plain = NULL;
		pg->trying = true;
		fill(pg, lines, n, nd->s, nd->carry, nd->fin, h, stop, stretch, &u);
		pg->trying = false;
		pg->plain = plain;
		assert(same_try(&u, t));
	}
	if (seen)
		return;
	t->runs = NULL;
	if (ch->tried.n >= TRIES_KEPT) {
		/* A long part (a 2 MB essay) would keep some 80,000 tries,
		 * 18 MB: begin again, keeping the latest (the beam moves on). */
		ar_release(&ch->ar);
		ar_init(&ch->ar);
		hmap_init_arena(&ch->tried, &ch->ar);
		/* as many again to come: the slots at once, not by doubling */
		hmap_reserve(&ch->tried, TRIES_KEPT);
	}
	struct tried_key *kk = ar_memdup(&ch->ar, &k, 1, sizeof(k));
	hmap_put_hashed(&ch->tried, (const char *)kk, sizeof(*kk), kh,
			ar_memdup(&ch->ar, t, 1, sizeof(*t)));
}

/* A pool this long is pruned (prune_pool): a part of a few hundred pages
 * never is, so the edition's search runs as it did. */
#define POOL_PRUNE 4096

/*
 * Drops from the search's pool (*npool states) those that no root leads
 * back to: the states of the layer being expanded (ix[0, nix), their
 * copies in layer), and the best finished one (*best, -1 for none). Only
 * these and the states before them can become the chosen pages; the rest
 * (some 50 a page, 96 bytes each: 23 MB of a 10 MB essay's, held twice
 * when a part is searched again) are dead. The kept states keep their
 * order, and the search compares states by cost and line only, never by
 * their place in the pool, so its choices are the same; ix, *best and
 * the prev links (the pool's and layer's) are renumbered.
 */
static void prune_pool(struct node *pool, size_t *npool, long *ix, struct node *layer, size_t nix,
		       long *best)
{
	long *map = xcalloc(*npool, sizeof(*map)); /* 0 dead, 1 live; then the new index */
	for (size_t r = 0; r <= nix; r++)
		for (long k = r < nix ? ix[r] : *best; k >= 0 && !map[k]; k = pool[k].prev)
			map[k] = 1;
	long m = 0;
	for (size_t i = 0; i < *npool; i++) {
		if (!map[i]) {
			map[i] = -1;
			continue;
		}
		map[i] = m;
		pool[m] = pool[i]; /* m <= i: a forward copy */
		if (pool[m].prev >= 0)
			pool[m].prev = map[pool[m].prev]; /* a state's prev comes before it */
		m++;
	}
	for (size_t r = 0; r < nix; r++) {
		ix[r] = map[ix[r]];
		if (layer[r].prev >= 0)
			layer[r].prev = map[layer[r].prev];
	}
	if (*best >= 0)
		*best = map[*best];
	*npool = (size_t)m;
	free(map);
}

/*
 * Chooses the pages of the part's lines, the first on the doc's next page
 * (after a blank verso if that is not a recto): the search the section's
 * comment describes. Fills ch (release with chosen_release).
 */
static void search_from(struct pager *pg, struct vline *lines, size_t n, struct chosen *ch,
			struct chosen *seed);

static void search(struct pager *pg, struct vline *lines, size_t n, struct chosen *ch)
{
	search_from(pg, lines, n, ch, NULL);
}

/* Moves from's remembered tries into to (to's own are released; from is
 * left with none): tries of a search of the same lines. */
static void tries_take(struct chosen *to, struct chosen *from)
{
	ar_release(&to->ar);
	to->ar = from->ar;
	to->tried = from->tried;
	to->tried.arena = &to->ar; /* the slots' arena moved with them */
	ar_init(&from->ar);
	hmap_init_arena(&from->tried, &from->ar);
}

/* Keeps the search's pool in ch with the chosen pages, first to last:
 * the states from the start to best (the finished state chosen). */
static void chosen_path(struct chosen *ch, struct node *pool, long best)
{
	size_t npath = 0;
	for (long k = best; pool[k].prev >= 0; k = pool[k].prev)
		npath++;
	long *path = xmalloc((npath + 1) * sizeof(long));
	size_t at = npath;
	for (long k = best; pool[k].prev >= 0; k = pool[k].prev)
		path[--at] = k;
	ch->pool = pool;
	ch->path = path;
	ch->npath = npath;
	ch->cost = pool[best].cost;
}

/* The line the search's second try of the page nd starts (tried plain
 * as t) stops before, SIZE_MAX for none: where t ends at a hyphen above a
 * note running over, that line left to the next page and the note taking
 * its room (TeX weighs each break with its inserts split to fit); where
 * it ends before a float it cannot leave waiting, the text citing that
 * float left to the next page too (before_citing). */
static size_t second_stop(const struct vline *lines, size_t n, const struct node *nd,
			  const struct try *t)
{
	if (t->hyphen && t->carry_out.note >= 0 && t->e > nd->s + 1)
		return t->e - 1;
	return before_citing(lines, n, nd->s, t);
}

/* A recto's foot hyphen (never allowed) that may be all that kept the
 * search from a cheaper way: a state no dearer than the layer's cheapest
 * by this much whose recto costs this much or more every way it ends but
 * at a hyphen (stacked14f seed 7: every even way came to a recto ten
 * pages on that could end well only at a hyphen, and the search ran a
 * spread unequal to miss it). */
#define NEAR_HYPHEN_SLACK 3000

/* The pages the search tries from one state, as they bear on ch->near:
 * where a recto ending at a hyphen, but for it a fair page, ends (else
 * 0), and the least demerits of the others. */
struct near_watch {
	size_t e;
	double other;
};

/* page_demerits of t (a page tried from the state w watches), noted in w
 * (NULL: none watched). */
static double near_try(struct near_watch *w, const struct try *t, bool recto, int vsh,
		       bool first_page)
{
	double d = page_demerits(t, recto, vsh, first_page);
	if (!w || !recto)
		return d; /* a verso's hyphen is allowed: only dear */
	if (t->hyphen && d - 1e6 < NEAR_HYPHEN_SLACK)
		w->e = t->e;
	else if (d < w->other)
		w->other = d;
	return d;
}

/* After the pages tried from a state above_best dearer than its layer's
 * cheapest: the word its recto would end at in ch->near, where that
 * recto is dear every other way. */
static void near_done(struct chosen *ch, const struct vline *lines, const struct near_watch *w,
		      double above_best)
{
	size_t e = w ? w->e : 0;
	if (!e || w->other < NEAR_HYPHEN_SLACK || above_best > NEAR_HYPHEN_SLACK ||
	    !lines[e - 1].hyphen || !lines[e - 1].para)
		return;
	uint64_t word = (uint64_t)(uint32_t)lines[e - 1].para << 32 | lines[e - 1].brk;
	for (size_t q = 0; q < ch->nnear; q++)
		if (ch->near[q] == word)
			return;
	if (ch->nnear < NEAR_HYPHENS)
		ch->near[ch->nnear++] = word;
}

/* How many headings fill's stretch spaces on the page nd starts, tried
 * plain: as many as it ends lines short of goal (a verso: the last grid
 * line; a recto: its verso's depth); for a verso two or more short with
 * a heading too few for that, one fewer - a line short, its recto to
 * match (a spread a line short is allowed). */
static int stretch_wanted(const struct pager *pg, const struct vline *lines,
			  const struct node *nd, const struct try *plain, bool recto, int goal)
{
	int stretch = plain->sh - goal;
	if (!recto && stretch >= 2 && stretch <= MAX_STRETCH + 1 && plain->e > nd->s + 1 &&
	    !plain->last && !heads_to_space(pg, lines, nd->s, plain->e, stretch))
		stretch--;
	return stretch;
}

/*
 * fill's stretch past SPACE_BLOCKS for the page nd starts, tried plain as
 * plain, that ends two or more lines short of goal - or, facing (a recto
 * with its verso's depth to match), one or more - with too few headings
 * to space (an opening's few paragraphs, a list and a code block, above a
 * heading that does not fit with its two lines; release notes under large
 * headings, off the grid: tests/books/depth15): as many lines as it
 * lacks, at most MAX_STRETCH, over its headings and then its other blocks
 * (blocks_stretchable), as many as it has. 0 for none: a verso a line
 * short is left to the headings alone. Only a part searched again so
 * asks (none of the edition's or the Node.js docs'), so its lines are
 * walked, not counted ahead as heads_to_space's are.
 */
static int blocks_for(const struct vline *lines, const struct node *nd, const struct try *plain,
		      int goal, bool facing)
{
	int lack = plain->sh - goal;
	if (lack < (facing ? 1 : 2))
		return 0;
	long k[MAX_STRETCH + 1];
	int got = blocks_stretchable(lines, nd->s, plain->e, lack < MAX_STRETCH ? lack : MAX_STRETCH,
				     k);
	return got ? SPACE_BLOCKS + got : 0;
}

/*
 * The headings fill spaces a line wider on the page nd starts (recto or
 * not, a part's opening or not: an opening's headings under its title),
 * tried plain as plain, when the search may (pg->stretch): where it ends short of where it should, as
 * many as the lines it is short, ending there - a verso on the grid, a
 * recto level with its verso (a spread evened); with early, where it ends
 * within a line of where it should, its last heading, the page ending
 * sooner (-1: fill_early), for its facing page. 0 for none to try.
 */
static int stretch_for(const struct pager *pg, const struct vline *lines, const struct node *nd,
		       const struct try *plain, bool recto, bool early)
{
	if (!pg->stretch || plain->last || plain->e <= nd->s + 1 || plain->fdef >= 0 ||
	    nd->fin >= 0)
		return 0;
	if (early)
		return plain->sh >= -1 && plain->sh <= 1 && heads_to_space(pg, lines, nd->s, plain->e, 1)
			   ? -1
			   : 0;
	int goal = recto && nd->vsh != NO_DEPTH ? nd->vsh : 0;
	int stretch = stretch_wanted(pg, lines, nd, plain, recto, goal);
	if (stretch < 1 || goal < -1 || goal > 1)
		return 0;
	if (stretch <= MAX_STRETCH && heads_to_space(pg, lines, nd->s, plain->e, stretch))
		return stretch;
	return pg->space_blocks
		   ? blocks_for(lines, nd, plain, goal, recto && nd->vsh != NO_DEPTH)
		   : 0;
}

/* The tries of a page at each height (search_from): plain, ending
 * sooner (second_stop), with headings wider (stretch_for: two), the
 * first float its text cites set aside, its last, the table it sets
 * aside set in the flow (flow_table), the heading after it squeezed
 * (fill's FILL_SQUEEZE). */
#define TRIES 8

/*
 * The table the page nd starts, tried plain as plain, may set in the
 * flow, broken between its rows (pg->flow), else -1: the first float
 * it leaves waiting, when that is a table of its own text (not one owed
 * from the page before) and the page ends two or more lines short with
 * it waiting - nothing else comes up to fill the room (floats14n seed 1:
 * a long table next, which must not pass it, and the page six short).
 */
static long flow_table(const struct vline *lines, const struct node *nd,
		       const struct try *plain)
{
	if (plain->last || plain->sh < 2 || plain->fdef < (long)nd->s || plain->fdef == nd->fin ||
	    !lines[plain->fdef].table)
		return -1;
	return plain->fdef;
}

/*
 * What try kind (0 to TRIES - 1) of the page nd starts asks beyond the
 * plain try (plain; t the try made last): the line it stops before
 * (*stop, else SIZE_MAX), the headings it spaces (*stretch) and the
 * float it sets aside (pg->defer) or the table it sets in the flow
 * (pg->flow). false when it has nothing to try:
 * most pages, with no hyphen at their foot, no heading, no float.
 */
static bool try_kind(struct pager *pg, const struct vline *lines, size_t n,
		     const struct node *nd, const struct try *plain, const struct try *t,
		     size_t kind, bool recto, size_t *stop, int *stretch)
{
	*stop = SIZE_MAX;
	*stretch = 0;
	pg->defer = pg->flow = -1;
	if (kind == 7) {
		/* the heading after it squeezed where it ends a line short
		 * before one (fill: more short, the plain try squeezed it) */
		if (plain->squeezed || plain->sh < 1 || plain->sh >= SQUEEZE_IN_PLACE ||
		    !squeeze_wanted(pg, lines, n, nd->s, plain))
			return false;
		*stretch = FILL_SQUEEZE;
		return true;
	}
	if (kind == 6) {
		pg->flow = flow_table(lines, nd, plain);
		return pg->flow >= 0;
	}
	if (kind >= 4) {
		/* its first float cited waiting for the next page (those
		 * after it behind it), or its last: where the page ends
		 * short with it (a page that ends well keeps its floats:
		 * tests/books/pages' figure 1, cited on p. 24, went to p. 26) */
		if (plain->last || plain->sh < 1 || (kind == 5 && plain->flast == plain->fplaced))
			return false;
		pg->defer = kind == 4 ? plain->fplaced : plain->flast;
		return pg->defer >= 0;
	}
	if (kind >= 2) {
		/* with headings a line wider */
		*stretch = stretch_for(pg, lines, nd, plain, recto, kind == 3);
		return *stretch != 0;
	}
	if (kind == 1) {
		/* ending sooner */
		if (!t->hyphen && !t->before_float)
			return false;
		*stop = second_stop(lines, n, nd, t);
		return *stop != SIZE_MAX;
	}
	return true;
}

/*
 * Adds the state page t (tried from nd, a recto or not) leads to, nn
 * (made but for its depth and cost), to the next layer (*next, *nnext
 * of *cap): unless a state the same is there already at no more cost.
 */
static void push_next(struct node **next, size_t *nnext, size_t *cap, struct node *nn,
		      const struct node *nd, const struct try *t, const struct vline *lines,
		      size_t n, bool recto, struct near_watch *w)
{
	bool first_page = nd->prev < 0 && nd->s == 0;
	/* A verso's depth, for its recto to match. */
	nn->vsh = NO_DEPTH;
	if (!recto && !t->last && !(nd->s < n && lines[nd->s].opener))
		nn->vsh = t->sh;
	nn->cost = nd->cost + near_try(w, t, recto, nd->vsh, first_page);
	nn->unequal = recto && !t->last && nd->vsh != NO_DEPTH && nd->vsh != t->sh;
	nn->short2 = !t->last && t->sh >= 2;
	size_t k = 0;
	while (k < *nnext && !same_state(&(*next)[k], nn))
		k++;
	if (k < *nnext) {
		if (nn->cost >= (*next)[k].cost)
			return;
	} else {
		GROW(*next, *cap, *nnext + 1);
		(*nnext)++;
	}
	(*next)[k] = *nn;
}

/* search(), starting with the tries seed's search remembered (seed: a
 * search of these same lines, or NULL; its tries move into ch): a page
 * tried from the same place at the same height is the same page, so a
 * search that differs only in what it may also try (fill's stretch) makes
 * again only what it has not tried. */
static void search_from(struct pager *pg, struct vline *lines, size_t n, struct chosen *ch,
			struct chosen *seed)
{
	struct composer *c = pg->c;
	struct pg_doc *doc = c->doc;
	plain_run(pg, lines, n, true);
	/* A figure keeps with its caption. */
	pg->floats = false;
	for (size_t i = 0; i < n; i++) {
		pg->floats |= lines[i].float_len != 0;
		if (lines[i].float_len && !lines[i].table)
			for (size_t k = i; k + 1 < i + lines[i].float_len && k + 1 < n; k++)
				lines[k].keep_next = true;
	}
	struct node *pool = NULL;
	size_t npool = 0, pool_cap = 0;
	GROW(pool, pool_cap, 1);
	pool[npool++] = (struct node){0, {-1, 0, -1}, -1, doc->npages, NO_DEPTH, n == 0, 0, -1, 0,
				      SIZE_MAX, false, 0, false, false, false, -1, -1};
	struct node *layer = NULL, *next = NULL;
	size_t nlayer = 0, layer_cap = 0, nnext = 0, next_cap = 0;
	GROW(layer, layer_cap, 1);
	layer[nlayer++] = pool[0];
	long *layer_ix = NULL, *next_ix = NULL; /* pool indexes */
	size_t lix_cap = 0, nix_cap = 0;
	GROW(layer_ix, lix_cap, 1);
	layer_ix[0] = 0;
	long best = n == 0 ? 0 : -1;
	/* OCTAVO_NO_PRUNE set: the pool kept whole (tests/suites/mem12.sh
	 * checks that the pages come out the same either way). */
	size_t prune_at = getenv("OCTAVO_NO_PRUNE") ? SIZE_MAX : POOL_PRUNE;
	static const int deltas[] = {0, -1, 1, -2};
	struct try t, plain = {0};
	*ch = (struct chosen){0};
	ar_init(&ch->ar);
	hmap_init_arena(&ch->tried, &ch->ar);
	if (seed)
		tries_take(ch, seed);
	ch->check = getenv("OCTAVO_CHECK_TRIES") != NULL;
	while (nlayer) {
		nnext = 0;
		for (size_t li = 0; li < nlayer; li++) {
			const struct node *nd = &layer[li];
			if (best >= 0 && nd->cost >= pool[best].cost)
				continue;
			size_t pageno = nd->pageno;
			bool blank = nd->s < n && lines[nd->s].new_page && pageno % 2 == 1 &&
				     nd->fin < 0 && nd->carry.note < 0;
			if (blank)
				pageno++;
			bool recto = pageno % 2 == 0;
			struct near_watch nw = {0, INFINITY}, *w = pg->watch_near ? &nw : NULL;
			for (size_t dv = 0; dv < TRIES * sizeof(deltas) / sizeof(*deltas); dv++) {
				double h = pg->base_height + deltas[dv / TRIES] * pg->grid;
				size_t stop;
				int stretch;
				if (!try_kind(pg, lines, n, nd, &plain, &t, dv % TRIES, recto, &stop,
					      &stretch))
					continue;
				/* A stretched try begins from the plain one. */
				pg->plain = stretch != 0 && !plain.squeezed ? &plain : NULL;
				fill_tried(pg, ch, lines, n, nd, (int)(dv / TRIES), h, stop, stretch,
					   &t);
				pg->plain = NULL;
				long defer = pg->defer, flow = pg->flow;
				pg->defer = pg->flow = -1;
				if (defer >= 0 && !t.deferred)
					continue; /* nothing set aside: the page as before */
				if (flow >= 0 && (!t.flowed || t.sh >= 2))
					continue; /* none of the table on it, or no fuller */
				if (dv % TRIES == 0)
					plain = t;
				else if (stretch == FILL_SQUEEZE ? !t.squeezed
								 : stretch != 0 && !t.stretched)
					continue; /* no heading to space: the page as before */
				if (t.e == nd->s && t.fdef < 0 && t.nruns == 0 && nd->fin < 0)
					continue; /* no progress */
				struct node nn = {t.e, t.carry_out, t.fdef, pageno + 1, NO_DEPTH,
						  t.last && t.e >= n, 0, layer_ix[li], h, stop, blank,
						  (signed char)stretch, false, false, false, defer, flow};
				push_next(&next, &nnext, &next_cap, &nn, nd, &t, lines, n, recto, w);
				if (t.deeper && !t.last) {
					/* its notes a line lower: a state of its own */
					struct try u = t;
					drop_notes(pg, &u);
					nn.dropped = true;
					push_next(&next, &nnext, &next_cap, &nn, nd, &u, lines, n, recto,
						  w);
				}
			}
			near_done(ch, lines, w, nd->cost - layer[0].cost);
		}
		qsort(next, nnext, sizeof(*next), by_cost);
		if (nnext > BEAM)
			nnext = BEAM;
		nlayer = 0;
		GROW(next_ix, nix_cap, nnext + 1);
		for (size_t k = 0; k < nnext; k++) {
			GROW(pool, pool_cap, npool + 1);
			pool[npool] = next[k];
			if (next[k].done) {
				/* A tie goes to the later way, of more pages:
				 * its pages' own demerits are the fewer by the
				 * 300 a page the other saved (the edition's
				 * essay 15 once saved a page by running five
				 * long and one at a hyphen, the same cost as
				 * its five-line last page with a spread a line
				 * short). */
				if (best < 0 || next[k].cost <= pool[best].cost)
					best = (long)npool;
			} else {
				GROW(layer, layer_cap, nlayer + 1);
				GROW(next_ix, nix_cap, nlayer + 1);
				layer[nlayer] = next[k];
				next_ix[nlayer++] = (long)npool;
			}
			npool++;
		}
		long *tmp = layer_ix;
		layer_ix = next_ix;
		next_ix = tmp;
		size_t tc = lix_cap;
		lix_cap = nix_cap;
		nix_cap = tc;
		if (npool >= prune_at) { /* a long part: its dead states go */
			prune_pool(pool, &npool, layer_ix, layer, nlayer, &best);
			prune_at = npool * 2 > POOL_PRUNE ? npool * 2 : POOL_PRUNE;
		}
	}
	assert(best >= 0);
	if (npool >= POOL_PRUNE && prune_at != SIZE_MAX) {
		/* kept while the part waits: its pages' states only */
		prune_pool(pool, &npool, NULL, NULL, 0, &best);
		pool = xrealloc(pool, npool * sizeof(*pool));
	}
	chosen_path(ch, pool, best);
	free(layer);
	free(next);
	free(layer_ix);
	free(next_ix);
}

/*
 * Appends to v (*nv of *cap, in pg->part, ascending) the paragraphs on
 * page t that are not there yet: only paragraphs shorter than a page (a
 * longer one is left as it is, and a part is set again only for a few
 * short ones). Returns v, moved when it grew.
 */
static int *push_page_paras(struct pager *pg, const struct vline *lines, size_t n,
			    const struct try *t, int *v, size_t *nv, size_t *cap)
{
	for (size_t k = t->s; k < t->e; k++) {
		int para = lines[k].para;
		if (!para || (*nv > 0 && v[*nv - 1] >= para))
			continue;
		size_t a = k, b = k;
		while (a > 0 && lines[a - 1].para == para && k - a < MAX_LOOSE_LINES)
			a--;
		while (b + 1 < n && lines[b + 1].para == para && b - a < MAX_LOOSE_LINES)
			b++;
		if (b - a >= MAX_LOOSE_LINES)
			continue;
		v = push_serial(&pg->part, v, nv, cap, para);
	}
	return v;
}

/*
 * The paragraphs (serial + 1, ascending, in pg->part) on the chosen pages that
 * end two or more lines short before more text: set a line looser, they
 * fill the page instead of what it could not take (a heading with its two
 * lines, a line that would end it on a hyphen).
 * Only the part's opening page when opening. Sets *count; NULL for none.
 */
static int *short_page_paras(struct pager *pg, struct vline *lines, size_t n,
			     const struct chosen *ch, bool opening, size_t *count)
{
	int *v = NULL;
	size_t nv = 0, cap = 0;
	struct try t;
	for (size_t i = 0; i < (opening && ch->npath ? 1 : ch->npath); i++) {
		const struct node *nd = &ch->pool[ch->path[i]], *from = &ch->pool[nd->prev];
		fill_chosen(pg, lines, n, from, nd, &t);
		if (t.last || t.sh < 2)
			continue;
		v = push_page_paras(pg, lines, n, &t, v, &nv, &cap);
	}
	*count = nv;
	return v; /* ascending: the lines are in order */
}

/* Whether the chosen pages end a part on a page of under five lines (the
 * search's fill counts them on a part's last page only). */
static bool short_part_end(struct pager *pg, struct vline *lines, size_t n,
			   const struct chosen *ch)
{
	if (ch->npath < 2)
		return false;
	const struct node *nd = &ch->pool[ch->path[ch->npath - 1]], *from = &ch->pool[nd->prev];
	struct try t;
	fill_chosen(pg, lines, n, from, nd, &t);
	return t.last && t.body_lines < PG_PART_END_LINES;
}

/* The most paragraphs set a line tighter one at a time (tighter_for_pages,
 * of tight_page_paras's), after all of them at once: each try sets the part
 * again and searches its pages. */
#define MAX_TIGHT_TRIES 6

/*
 * The paragraphs (serial + 1, ascending, in pg->part) that a line given
 * back may mend the chosen pages with (TeX's \looseness -1): those on
 * each page that ends unlike its facing page or two lines short or more
 * before more text, and on the pages either side of it (the text a line
 * shorter there moves what the bad page holds); and those on a part's
 * last page of under five lines and the page before it. Sets *count;
 * NULL for none.
 */
static int *tight_page_paras(struct pager *pg, struct vline *lines, size_t n,
			     const struct chosen *ch, size_t *count)
{
	int *v = NULL;
	size_t nv = 0, cap = 0, np = ch->npath;
	struct try t;
	bool *mark = np ? ar_alloc(&pg->part, np * sizeof(bool)) : NULL;
	if (np)
		memset(mark, 0, np * sizeof(bool));
	for (size_t i = 0; i < np; i++) {
		const struct node *nd = &ch->pool[ch->path[i]];
		bool bad = nd->unequal || nd->short2 ||
			   (i + 1 == np && short_part_end(pg, lines, n, ch));
		for (size_t j = i ? i - 1 : 0; bad && j <= i + 1 && j < np; j++)
			mark[j] = true;
	}
	for (size_t i = 0; i < np; i++) {
		if (!mark[i])
			continue;
		const struct node *nd = &ch->pool[ch->path[i]], *from = &ch->pool[nd->prev];
		fill_chosen(pg, lines, n, from, nd, &t);
		v = push_page_paras(pg, lines, n, &t, v, &nv, &cap);
	}
	*count = nv;
	return v;
}

/* The flow lines a placed page holds (lo..hi, its floats and repeated
 * table heads left out; lo > hi for none), and the floats it sets. */
struct placed {
	size_t pi, lo, hi;
};
struct placed_float {
	size_t line, pi, at; /* at: its page's index in the part's struct placed */
};

/* Records what page pi (its lines in pg->seq, as placed) holds into *pl,
 * and appends its floats to *fv (*nf of *cap). */
static void note_placed(const struct pager *pg, const struct vline *lines, size_t pi,
			struct placed *pl, size_t at, struct placed_float **fv, size_t *nf,
			size_t *cap)
{
	pl += at;
	*pl = (struct placed){pi, SIZE_MAX, 0};
	for (size_t k = 0; k < pg->nseq; k++) {
		const struct item *it = &pg->seq[k];
		if (it->repeat)
			continue;
		if (lines[it->line].float_len) {
			/* Floats keep their order (issue 14 item 2), in both
			 * modes: each set after the one before it in the text. */
			assert(*nf == 0 || (*fv)[*nf - 1].line < it->line);
			GROW(*fv, *cap, *nf + 1);
			(*fv)[(*nf)++] = (struct placed_float){it->line, pi, at};
			k += lines[it->line].float_len - 1; /* its lines follow it */
			continue;
		}
		if (it->line < pl->lo)
			pl->lo = it->line;
		if (it->line > pl->hi)
			pl->hi = it->line;
	}
}

/* Issue 14's "never more than one page from its reference": each float
 * set two or more pages after the page of the text line before it (the
 * part's first page for a float that opens it) counts on its page
 * (floats_far), for the report. */
static void count_far_floats(struct pg_doc *doc, const struct placed *pl, size_t np,
			     const struct placed_float *fv, size_t nf)
{
	for (size_t i = 0; i < nf; i++) {
		size_t ref = np ? pl[0].pi : fv[i].pi;
		/* The text before it: on its page or one before (the pages'
		 * lines ascend); a line in no page's range is a float's. */
		size_t q = fv[i].at + 1;
		for (size_t r = fv[i].line; r-- > 0;) {
			while (q > 0 && (pl[q - 1].lo > pl[q - 1].hi || pl[q - 1].lo > r))
				q--; /* pages after it, or of notes or floats only */
			if (q == 0)
				break;
			if (r <= pl[q - 1].hi) {
				ref = pl[q - 1].pi;
				break;
			}
		}
		if (fv[i].pi >= ref + 2)
			doc->pages[fv[i].pi].facts.floats_far++;
	}
}

/* A placed page's texts to their number and a few more (its running
 * head and folio come last, heads_and_folios; fit_arrays cuts the rest):
 * doubling left a quarter of the room empty while the rest of the book
 * was set (the 50x book's pages 74 -> 55 MB when its two halves join). */
static void fit_texts(struct pg_page *p)
{
	size_t want = p->ntexts + 8;
	if (p->texts_cap > want) {
		p->texts = xrealloc(p->texts, want * sizeof(*p->texts));
		p->texts_cap = want;
	}
}

/* Places the chosen pages of the part's lines (the search's). */
static void place_chosen(struct pager *pg, struct vline *lines, size_t n, int part,
			 const struct chosen *ch)
{
	struct composer *c = pg->c;
	struct pg_doc *doc = c->doc;
	const struct node *pool = ch->pool;
	const long *path = ch->path;
	size_t npath = ch->npath;
	struct try t;
	size_t first_page = doc->npages;
	struct placed *pl = xmalloc((npath ? npath : 1) * sizeof(*pl));
	struct placed_float *fv = NULL;
	size_t nf = 0, fcap = 0;
	for (size_t i = 0; i < npath; i++) {
		const struct node *nd = &pool[path[i]], *from = &pool[nd->prev];
		if (nd->blank_before)
			new_page(doc, -1); /* a blank verso before a recto opening */
		size_t pi = doc->npages;
		new_page(doc, part);
		fill_chosen(pg, lines, n, from, nd, &t);
		bind_heads(pg, lines);
		if (t.s == 0 && (t.e > 0 || t.fin >= 0) && part >= 0)
			c->part_page[part] = pi;
		place_page(pg, lines, n, pi, &t);
		note_placed(pg, lines, pi, pl, i, &fv, &nf, &fcap);
		fit_texts(&doc->pages[pi]);
		if (t.sh < 0)
			doc->long_pages++;
		else if (t.sh > 0 && !t.last)
			doc->short_pages++;
	}
	count_far_floats(doc, pl, npath, fv, nf);
	free(pl);
	free(fv);
	/* Page facts that need the next page. */
	for (size_t pi = first_page; pi < doc->npages; pi++) {
		struct pg_pagefacts *f = &doc->pages[pi].facts;
		const struct pg_pagefacts *nx =
			pi + 1 < doc->npages ? &doc->pages[pi + 1].facts : NULL;
		if (nx && f->running && f->short_lines > 0 && !f->part_last && !f->text_last &&
		    nx->float_gap < 0)
			f->float_gap = f->short_lines;
	}
	for (size_t pi = first_page; pi < doc->npages; pi++)
		if (doc->pages[pi].facts.float_gap < 0)
			doc->pages[pi].facts.float_gap = 0;
	pg->height = pg->base_height;
}

/*
 * Stacks the part's lines onto pages, starting on a new recto: the search
 * above chooses the pages, then they are placed.
 */
static void paginate(struct pager *pg, struct vline *lines, size_t n, int part)
{
	struct chosen ch;
	search(pg, lines, n, &ch);
	place_chosen(pg, lines, n, part, &ch);
	chosen_release(&ch);
}

/*
 * A run of code lines seq[a..b] at the page's foot, under a line at
 * `above`: as far below it as it would sit with a line of text under it
 * (the text that follows on the next page), no lower than the page still
 * counts as ending where it does (a part's last page: its last grid line),
 * so that a block ending a page is not tight under the text above it.
 * Not on a page with notes, which sit under it.
 */
static void foot_code(struct pager *pg, const struct try *t, size_t a, size_t b, double above)
{
	if (t->nruns)
		return;
	double y = pg->seq[b].y + pg->grid * 1.5; /* the owed half line and a line */
	double below = pg->top + ceil((y - pg->top) / pg->grid - 1e-6) * pg->grid;
	double lastgrid = pg->top + floor((t->height - pg->top) / pg->grid + 1e-6) * pg->grid;
	/* as low as it may go and the page still count as it does (tally) */
	double to = t->last ? lastgrid : lastgrid - (t->sh - (t->sh > 0 ? 0.45 : 0)) * pg->grid;
	double d = (below - pg->seq[b].y - (pg->seq[a].y - above)) / 2;
	if (d > to - pg->seq[b].y)
		d = to - pg->seq[b].y;
	for (size_t i = a; d > 0 && i <= b; i++)
		pg->seq[i].y += d;
}

/*
 * Code blocks centred where they land: a run of code lines (one block, or
 * blocks in a row) with a line of the page above it and one below sits
 * with as much space from the baseline above to its first line as from
 * its last to the baseline below, and as much between blocks in a row
 * (one call in two module systems), their boxes as far apart.
 * Code lines are closer than the grid (0.9 of a line) and came with the
 * least space around them (code.c), which the grid under the text below
 * rounded up: tight under the text above, most of a blank line under the
 * block. The pages were broken on those least spaces, so a block at a
 * foot takes no more room than it needs (its first lines fit where they
 * did) and at a foot or a top, with nothing to centre between, it stays
 * as fill set it. A tall line below (a figure) counts from its top as a
 * line of text would. Moves only lines between two that stay put, never
 * nearer the text above than fill set them.
 */
/* Baseline to baseline from code line seq[i - 1] (fill set it at was) to
 * seq[i]: as fill set them in a block; where a block begins, `apart`
 * (less, if fill set less). */
static double between(const struct pager *pg, const struct vline *lines, size_t i, double was,
		      double apart)
{
	const struct vline *l = &lines[pg->seq[i].line];
	double d = pg->seq[i].y - was;
	return l->block == lines[pg->seq[i - 1].line].block || d < apart ? d : apart;
}

/* How much shallower the code face's descender is than the text's, in
 * points: two blocks in a row that far nearer, baseline to baseline,
 * than the text above is to the first, so that the boxes are as far
 * apart between them as above and below them. */
static double code_lift(const struct pager *pg)
{
	const struct bk_style *st = pg->c->st;
	double asc, text, code;
	tx_font_extents(pg->c->f, TX_REGULAR, &asc, &text);
	tx_font_extents(pg->c->f, TX_MONO, &asc, &code);
	double lift = (code * st->code_size - text * st->body_size) / 1000;
	return lift > 0 ? lift : 0;
}

static void centre_code(struct pager *pg, const struct vline *lines, const struct try *t)
{
	for (size_t a = 1; a < pg->nseq; a++) {
		if (pg->seq[a].repeat || !lines[pg->seq[a].line].code || pg->seq[a - 1].repeat ||
		    lines[pg->seq[a - 1].line].code)
			continue; /* not a run's first line, or a run begun at the top */
		if (head_item(pg, lines, a - 1))
			continue; /* under a heading, bound to it (bind_heads): the
				   * block keeps its least space there */
		size_t b = a, blocks = 1;
		double inner = 0; /* the run's depth within its blocks */
		while (b + 1 < pg->nseq && !pg->seq[b + 1].repeat &&
		       lines[pg->seq[b + 1].line].code &&
		       pg->seq[b + 1].line == pg->seq[b].line + 1) {
			b++;
			if (lines[pg->seq[b].line].block != lines[pg->seq[b - 1].line].block)
				blocks++;
			else
				inner += pg->seq[b].y - pg->seq[b - 1].y;
		}
		double above = pg->seq[a - 1].y;
		if (b + 1 >= pg->nseq) {
			foot_code(pg, t, a, b, above);
			break;
		}
		const struct vline *under = &lines[pg->seq[b + 1].line];
		double below = pg->seq[b + 1].y -
			       (under->advance > pg->grid ? under->advance - pg->grid : 0);
		double lift = blocks > 1 ? code_lift(pg) : 0;
		double gap = (below - above - inner + (double)(blocks - 1) * lift) /
			     (double)(blocks + 1);
		if (gap > pg->seq[a].y - above) {
			double y = above + gap, was = pg->seq[a].y; /* as fill set it */
			for (size_t i = a; i <= b; i++) {
				double at = pg->seq[i].y;
				y += i > a ? between(pg, lines, i, was, gap - lift) : 0;
				pg->seq[i].y = y;
				was = at;
			}
		}
		a = b + 1;
	}
}

/* Places line l's pieces at y again, as a copy, so that its records (its
 * source lines, its outline entry) stay with the page it was placed on
 * first: a table's head over its continuation, its closing rule. */
static void place_copy(struct composer *c, size_t pi, const struct vline *l, double y)
{
	struct vline copy = *l;
	copy.info = -1;
	copy.nmore_info = 0;
	copy.outline = NULL;
	copy.outline_level = 0;
	place(c, pi, &copy, y);
}

/* A page that ends inside a group of rows a spanning cell ties (t->tied,
 * its last flow line the item last) closes its part of the table with the
 * table's closing rule, a copy of its last line: the spanning cell runs
 * on overleaf, under the head repeated there, ruled on both sides of the
 * break. */
static void close_tied(struct composer *c, size_t pi, const struct vline *lines, size_t n,
		       const struct item *last)
{
	size_t i = last->line;
	while (i + 1 < n && lines[i + 1].table == lines[last->line].table)
		i++;
	if (i > last->line)
		place_copy(c, pi, &lines[i], last->y + lines[i].advance);
}

/* A page that begins inside a group of rows a spanning cell ties (the
 * line before its first, lines[s], row_tied): the cells whose text ended
 * overleaf show their labels (compose.c cont_labels), each label line on
 * the row line it was made for. */
static void place_cont(struct pager *pg, const struct vline *lines, size_t s, size_t pi)
{
	const struct vline *l = &lines[s];
	if (!l->ncont || s == 0 || !lines[s - 1].row_tied)
		return;
	uint32_t j = 0;
	for (size_t i = 0; i < pg->nseq && j < l->ncont; i++)
		if (!pg->seq[i].repeat && pg->seq[i].line == s + j)
			place(pg->c, pi, &l->cont[j++], pg->seq[i].y);
}

static void place_page(struct pager *pg, struct vline *lines, size_t n, size_t pi,
		       const struct try *t)
{
	centre_code(pg, lines, t);
	struct composer *c = pg->c;
	struct pg_doc *doc = c->doc;
	struct pg_page *page = &doc->pages[pi];
	struct pg_pagefacts *f = &page->facts;
	bool head_repeated = false;
	for (size_t i = 0; i < pg->nseq; i++) {
		const struct item *it = &pg->seq[i];
		struct vline *l = &lines[it->line];
		if (it->repeat) {
			place_copy(c, pi, l, it->y);
			head_repeated = true;
			continue;
		}
		place(c, pi, l, it->y);
		/* Its pieces are on the page now: free them as we go, so that
		 * a long part's lines and its pages do not both hold all its
		 * text at once. A table's head may be needed again. */
		if (!l->table_head) {
			free(l->ops);
			l->ops = NULL;
			l->nops = l->ops_cap = 0;
		}
	}
	if (t->s < n)
		place_cont(pg, lines, t->s, pi);
	for (size_t i = pg->nseq; t->tied && i-- > 0;)
		if (!pg->seq[i].repeat) {
			if (lines[pg->seq[i].line].row_tied)
				close_tied(c, pi, lines, n, &pg->seq[i]);
			break;
		}
	pg->height = t->foot;
	place_notes(pg, pi, t->runs, t->nruns, t->notes_used);
	/* Where this page's text begins, for the EPUB page list. */
	size_t firstl = pg->nseq ? pg->seq[0].line : t->s;
	for (size_t i = 0; i < pg->nseq; i++)
		if (!pg->seq[i].repeat) {
			firstl = pg->seq[i].line;
			break;
		}
	if (pg->nseq) {
		page->mark_span = lines[firstl].span;
		page->mark_off = lines[firstl].span_off;
		page->mark_block = lines[firstl].span ? NULL : lines[firstl].block;
		page->opener = lines[firstl].opener;
	}
	/* What became of it, for the report. */
	f->running = pg->nseq > 0 || t->nruns > 0;
	f->part_last = t->last;
	f->text_last = !t->last && t->fdef >= 0 && t->carry_out.note < 0 &&
		       (t->e >= n || lines[t->e].new_page || lines[t->e].page_break);
	f->after_break = t->s < n && lines[t->s].page_break && t->fin < 0 && t->carry_in.note < 0;
	f->short_lines = t->sh;
	f->body_lines = t->body_lines;
	f->note_lines = t->note_lines;
	f->final_hyphen = t->hyphen;
	f->head_squeezed = t->squeezed;
	f->floats_moved = t->fin >= 0 && t->fdef != t->fin && pg->nseq;
	f->float_gap = t->fin >= 0 || (pg->nseq && !pg->seq[0].repeat &&
				       lines[pg->seq[0].line].float_len && pg->seq[0].line == t->s)
			       ? -1 /* marks a float at its top: the page before may owe a gap */
			       : 0;
	const struct notes *nt = pg->notes;
	for (size_t r = 0; r < t->nruns; r++) {
		const struct note_run *run = &t->runs[r];
		size_t cnt = nt->count[run->note];
		bool broken = run->from > 0 || run->to < cnt;
		if (run->to < cnt) {
			f->notes_split++;
			f->notes_split_hyphen += nt->v[nt->first[run->note] + run->to - 1].hyphen;
		}
		f->notes_through += run->from > 0 && run->to < cnt;
		f->note_lone += broken && run->to - run->from == 1;
	}
	/* Tables: broken at the foot, continued at the top. */
	if (pg->nseq) {
		const struct item *top = NULL;
		for (size_t i = 0; i < pg->nseq && !top; i++)
			if (!pg->seq[i].repeat && pg->seq[i].line >= t->s)
				top = &pg->seq[i];
		if (top && lines[top->line].table && top->line > 0 &&
		    lines[top->line - 1].table == lines[top->line].table &&
		    top->line == t->s) {
			/* continued: its body rows here, and its head */
			int tab = lines[top->line].table;
			bool has_head = false;
			size_t h0 = table_first(lines, top->line);
			has_head = lines[h0 + 1].table_head && lines[h0 + 1].row_first;
			f->tables_nohead += has_head && !head_repeated;
			int rows = 0;
			bool rule_only = true;
			for (size_t i = top->line; i < t->e && lines[i].table == tab; i++) {
				rows += lines[i].row_first && !lines[i].table_head;
				rule_only = rule_only && !lines[i].row_first;
			}
			f->tables_thin += rows < 2 || rule_only;
		}
		if (t->e < n && t->e > 0 && lines[t->e].table &&
		    lines[t->e - 1].table == lines[t->e].table && t->e != (size_t)t->fdef) {
			int tab = lines[t->e].table;
			f->tables_broken++;
			f->tables_tied += t->tied;
			int rows = 0;
			size_t i = t->e;
			while (i > t->s && lines[i - 1].table == tab) {
				i--;
				rows += lines[i].row_first && !lines[i].table_head;
			}
			f->tables_thin += rows < 2;
		}
	}
}

/* ===== front matter ==================================================== */

/* Sets text (its styled runs sp when not NULL) centred on page pi with its
 * first baseline at y (from the top of the text block); returns the
 * baseline after the last line. */
static double centred(struct composer *c, size_t pi, enum tx_face face, double size,
		      const char *s, const struct bk_span *sp, size_t nsp, double y, double lead)
{
	size_t first = c->nlines;
	cp_set_styled(c, s, sp, nsp, face, size, lead, 0, c->measure, false, true, 0);
	/* The book's title is the title page's heading; the rest are lines. */
	cp_tag_lines(c, first, s, pi == 2 && s == c->b->meta.title ? PG_ROLE_H1 : PG_ROLE_P);
	for (size_t i = first; i < c->nlines; i++) {
		place(c, pi, &c->lines[i], y);
		y += lead;
	}
	cp_free_lines(c, first);
	return y;
}

/* The title page's title steps down from its size, a tenth at a time,
 * while its lines, filled greedily as a first fit, would be more than
 * TITLE_LINES (to no less than the openings' title size), or a word of
 * it is wider than the measure and would be cut between its letters (to
 * no less than the subtitle's size). */
#define TITLE_LINES 3

/* The first fit of title_lines: the piece of width ww after the line so
 * far *x (-1 before its first piece), glued to it by gap; counts a new
 * line in *lines when it does not fit. */
static void title_fit(const struct composer *c, double *x, double gap, double ww, int *lines)
{
	if (*x >= 0 && *x + gap + ww > c->measure) {
		(*lines)++;
		*x = ww;
	} else {
		*x = *x < 0 ? ww : *x + gap + ww;
	}
}

/* How the title s sets at size on the measure: its lines as a first fit
 * fills them, and in *wide whether a word is wider than the measure.
 * Words part at spaces and, in scripts written without them (Chinese,
 * Japanese), where UAX #14 allows, as the line breaker parts them: such a
 * word is as wide as its widest piece. Plain text measured: its spans'
 * faces differ by a few per cent. */
static int title_lines(struct composer *c, const char *s, double size, bool *wide)
{
	double space = cp_word_width(tx_shape(c->f, TX_REGULAR, " ", 1), size);
	double x = -1; /* the line so far, -1 before its first word */
	int lines = 1;
	*wide = false;
	for (const char *w = s; *w;) {
		size_t n = strcspn(w, " ");
		size_t bk[256], nb = 0;
		if (n > 0 && tx_needs_uax14(w, n))
			nb = tx_line_breaks(w, n, c->b->meta.language, bk, ARRAY_LEN(bk));
		for (size_t q = 0, from = 0; n > 0 && q <= nb; q++) {
			size_t to = q < nb ? bk[q] : n;
			double ww = cp_word_width(tx_shape(c->f, TX_REGULAR, w + from, to - from), size);
			*wide = *wide || ww > c->measure;
			title_fit(c, &x, q ? 0 : space, ww, &lines);
			from = to;
		}
		w += n + (w[n] == ' ');
	}
	return lines;
}

/* The size to set the book's title s at, from size (see above). */
static double title_size(struct composer *c, const char *s, double size)
{
	const struct bk_style *st = c->st;
	for (;;) {
		bool wide;
		int lines = title_lines(c, s, size, &wide);
		double floor = wide ? st->body_size * 1.2 : st->title_size;
		if ((!wide && lines <= TITLE_LINES) || size <= floor)
			return size;
		size = fmax(floor, size * 0.9);
	}
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
	bool under;    /* an essay under a part divider: indented */
	int part;      /* index into book->parts; -1: the book-end Notes */
	int page;      /* its first page, index into the final page array */
	const struct bk_part *notes; /* part -1: the Notes' stand-in (kinds.c) */
};

/* What a contents entry's text and link are tagged with: its part, or
 * for the book-end Notes the section's stand-in (pg_book_notes_title). */
static const void *entry_tag(const struct composer *c, const struct entry *e)
{
	return e->part >= 0 ? &c->b->parts[e->part] : e->notes;
}

/*
 * The title page's names, below y: one centred line per role in order of
 * first appearance, its people joined as the language joins a list ("Edited
 * by A and B", "主编：王小明、李华"), the editors' line with its label.
 * Returns the y below the last line.
 */
static double title_names(struct composer *c, double y)
{
	const struct book *b = c->b;
	const struct bk_meta *m = &b->meta;
	const struct bk_style *st = c->st;
	for (size_t i = 0; i < m->ncreators; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(m->creators[j].role, m->creators[i].role);
		if (seen)
			continue;
		const char *names[64];
		size_t n = 0;
		for (size_t j = i; j < m->ncreators && n < ARRAY_LEN(names); j++)
			if (!strcmp(m->creators[j].role, m->creators[i].role))
				names[n++] = m->creators[j].name;
		struct strbuf sb = STRBUF_INIT;
		if (!strcmp(m->creators[i].role, "edt")) {
			const char *label = bk_str(b, BK_STR_EDITED_BY);
			sb_addf(&sb, "%s%s", label, bk_label_gap(label));
		}
		bk_join_names(b, &sb, names, n);
		const char *line = ar_strdup(&c->doc->arena, sb.buf);
		sb_release(&sb);
		y = centred(c, 2, TX_REGULAR, st->body_size, line, NULL, 0, y, st->body_leading);
	}
	return y;
}

/* Half-title, title page, copyright page. */
static void opening_pages(struct composer *c)
{
	const struct book *b = c->b;
	const struct bk_meta *m = &b->meta;
	const struct bk_style *st = c->st;
	double h = st->page_h - st->margin_top - st->margin_bottom;
	/* i: half-title */
	new_page(c->doc, -1)->front = BK_FRONT_HALF_TITLE;
	centred(c, 0, TX_REGULAR, st->title_size, m->title, m->title_spans, m->ntitle_spans,
		h * 0.22, st->title_size * 1.3);
	/* ii: blank */
	new_page(c->doc, -1);
	/* iii: title page */
	new_page(c->doc, -1)->front = BK_FRONT_TITLE;
	double tsize = title_size(c, m->title, st->title_size * 1.5);
	double y = centred(c, 2, TX_REGULAR, tsize, m->title, m->title_spans, m->ntitle_spans,
			   h * 0.22, tsize * 1.2);
	if (m->subtitle)
		y = centred(c, 2, TX_ITALIC, st->body_size * 1.2, m->subtitle, m->subtitle_spans,
			    m->nsubtitle_spans, y + st->body_leading * 0.5, st->body_leading * 1.2);
	y += st->body_leading * 2;
	y = title_names(c, y);
	if (b->meta.publisher)
		centred(c, 2, TX_REGULAR, st->body_size, m->publisher, NULL, 0, h - st->body_leading,
			st->body_leading);
	GROW(c->doc->outline, c->doc->outline_cap, c->doc->noutline + 1);
	c->doc->outline[c->doc->noutline++] =
		(struct pg_outline){b->meta.title, 1, 2, st->page_h - st->margin_top, NULL};

	/* iv: copyright and colophon, set at the foot */
	new_page(c->doc, -1)->front = BK_FRONT_COPYRIGHT;
	struct arena *a = &c->doc->arena;
	const char *lines[16];
	int n = 0;
	lines[n++] = b->meta.subtitle ? ar_printf(a, "%s%s%s", b->meta.title, bk_title_colon(b),
						  b->meta.subtitle)
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
		lines[n++] = ar_printf(a, "%s%s%s", bk_str(b, BK_STR_PUBLISHED_BY),
				       bk_label_gap(bk_str(b, BK_STR_PUBLISHED_BY)), b->meta.publisher);
	const char *fam[4];
	if (!bk_has_kind(b, BK_PART_COLOPHON)) /* else the colophon's own page says it */
		lines[n++] = bk_colophon(b, a, fam, bk_font_families(st, fam, a), st->body_size,
					 st->body_leading);
	double lead = st->note_leading;
	y = h - lead * (n + (n - 1) * 0.4);
	for (int i = 0; i < n; i++) {
		size_t first = c->nlines;
		cp_set_text(c, lines[i], TX_REGULAR, st->note_size, lead, 0, c->measure, true, false,
			    0);
		cp_tag_lines(c, first, lines[i], PG_ROLE_P);
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
	/* Its own string, in the book's language: the heading's tag too
	 * (struct pg_tag). */
	const char *heading = bk_str(c->b, BK_STR_CONTENTS);
	cp_set_text(c, heading, TX_REGULAR, st->title_size, st->title_size * 1.25, 0, c->measure,
		    false, true, st->body_leading * 2);
	cp_tag_lines(c, first, heading, PG_ROLE_H1);
	c->lines[first].new_page = true;
	c->lines[first].opener = true;
	c->lines[first].outline = bk_str(c->b, BK_STR_CONTENTS);
	c->lines[first].outline_level = 1;
	c->lines[first].keep_next = true;
	/* A right-to-left book's entries run from the right margin, their
	 * numbers in the column at the left (the lines are mirrored in the
	 * room they are set in: compose.c's book_dir). */
	double col = bk_lang_rtl(c->b->meta.language) ? numw + st->body_size : 0;
	for (size_t i = 0; i < n; i++) {
		size_t at = c->nlines;
		double in = ent[i].under ? st->body_size : 0, hang = st->body_size;
		/* A title too long for one line turns over under a hanging
		 * indent, so that its second line is not read as an entry of
		 * its own (TeX's \@dottedtocline, Chicago 1.43): set at the
		 * indent, its first line then moved out to the margin (to the
		 * right one in a right-to-left book). */
		cp_set_text(c, ent[i].title, TX_REGULAR, st->body_size, st->body_leading,
			    col ? col : in + hang, c->measure - numw - st->body_size - in - hang, true,
			    false,
			    i == 0 ? st->body_leading * 1.5 : st->body_leading * 0.5);
		size_t title_end = c->nlines;
		double out = col ? hang : -hang;
		for (size_t k = 0; k < c->lines[at].nops; k++)
			c->lines[at].ops[k].x += out;
		if (c->lines[at].info >= 0) {
			c->doc->linev[c->lines[at].info].x0 += out;
			c->doc->linev[c->lines[at].info].x1 += out;
		}
		if (ent[i].author)
			cp_set_text(c, ent[i].author, TX_ITALIC, st->note_size, st->note_leading,
				    col ? col : st->body_size + in,
				    c->measure - numw - st->body_size - in - (col ? st->body_size : 0),
				    true, false, 0);
		cp_tag_lines(c, at, entry_tag(c, &ent[i]), PG_ROLE_TOCI);
		for (size_t k = at; k < c->nlines; k++) {
			c->lines[k].keep_next = k + 1 < c->nlines;
			c->lines[k].span = NULL;
			c->lines[k].block = NULL;
		}
		/* Mark the title's lines: the number and leaders come later, on
		 * its last line, where the eye ends the title (contents_numbers);
		 * the link takes in all of them. */
		for (size_t k = at; k < title_end; k++)
			c->lines[k].outline_level = -(int)(i + 1);
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
		/* An entry's title lines are placed in order, on one page (each
		 * line keeps with the next): the number goes on the last. */
		const struct centry *top = &c->entries[t];
		while (t + 1 < c->nentries && c->entries[t + 1].entry == top->entry &&
		       c->entries[t + 1].page == top->page)
			t++;
		const struct centry *ce = &c->entries[t];
		struct pg_page *page = &c->doc->pages[ce->page];
		double left = block_left(c, ce->page), right = left + c->measure;
		const struct entry *e = &ent[ce->entry];
		const char *label = c->doc->pages[e->page].label;
		double nw = cp_word_width(tx_shape(c->f, TX_REGULAR, label, strlen(label)),
					  st->body_size);
		const void *part = entry_tag(c, e);
		bool rtl = bk_lang_rtl(c->b->meta.language);
		pg_page_tag(page, part, PG_ROLE_TOCI, 0);
		page_text(c, page, TX_REGULAR, st->body_size, label, rtl ? left : right, ce->y,
			  rtl ? -1 : 1);
		page->texts[page->ntexts - 1].flags |= PG_SPACE;
		pg_page_tag(page, NULL, PG_ROLE_ARTIFACT, 0);
		/* Leaders from just after the title to before the number (in
		 * a right-to-left book, from after the number to before the
		 * title). */
		double from = rtl ? left + nw + st->body_size * 0.3
				  : ceil((ce->x_end + st->body_size * 0.5 - left) / pitch) * pitch + left;
		double to = rtl ? ce->x_start - st->body_size * 0.5 : right - nw - st->body_size * 0.3;
		if (rtl) /* aligned across entries from the right */
			from = right - floor((right - from) / pitch) * pitch;
		for (double x = from; x + pitch <= to; x += pitch)
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
					 top->y + st->body_size, NULL, (int)e->page,
					 st->page_h - st->margin_top, part, 0, PG_ROLE_TOCI};
	}
}

/* ===== running heads and folios ======================================== */

static double head_width(struct composer *c, double size, const char *s, size_t n)
{
	return cp_word_width(tx_shape(c->f, TX_ITALIC, s, n), size);
}

/* s's first k bytes less the spaces, commas, colons, stops and dashes
 * they end with, before an ellipsis. */
static size_t trim_head_end(const char *s, size_t k)
{
	for (;;) {
		if (k > 0 && strchr(" ,;:.-", s[k - 1]))
			k--;
		else if (k >= 3 && (!memcmp(s + k - 3, "\u2013", 3) || !memcmp(s + k - 3, "\u2014", 3)))
			k -= 3;
		else
			return k;
	}
}

/*
 * A running head no wider than room: s itself, or as many of its words as
 * fit, an ellipsis after them (a first word wider than room alone is cut
 * between characters). The words' trailing punctuation goes with the cut.
 */
static const char *fit_head(struct composer *c, double size, const char *s, double room)
{
	size_t n = strlen(s);
	if (head_width(c, size, s, n) <= room)
		return s;
	static const char ell[] = "\u2026";
	char *buf = ar_alloc(&c->doc->arena, n + sizeof(ell));
	size_t best = 0;
	for (int words = 1; words >= 0 && !best; words--) {
		/* Word ends first; with none that fits, character ends. */
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xC0) == 0x80 || (words && s[i] != ' '))
				continue;
			size_t k = trim_head_end(s, i);
			if (!k)
				continue;
			memcpy(buf, s, k);
			memcpy(buf + k, ell, sizeof(ell));
			if (head_width(c, size, buf, k + sizeof(ell) - 1) > room)
				break;
			best = k;
		}
	}
	memcpy(buf, s, best);
	memcpy(buf + best, ell, sizeof(ell));
	return buf;
}

/* A part's or the book's running head, fitted to room; a warning at
 * where the text is given when it had to be cut, and hint, what to do. */
static const char *head_for(struct composer *c, double size, const char *s, double room,
			    const char *path, int line, int col, const char *hint)
{
	const char *fit = fit_head(c, size, s, room);
	if (fit != s) {
		diag_warning(c->d, path, line ? line : 1, line ? col : 1,
			     "running head '%s' is wider than the text: shortened to '%s'", s, fit);
		diag_hint(c->d, "%s", hint);
	}
	return fit;
}

/* The running heads, each fitted (and warned of) the first time a page
 * prints it: room, the measure less the folios when they sit in the head;
 * verso and recto, one slot a part, and the book's, NULL until then. */
struct heads {
	double size, room;
	const char **verso, **recto, *book;
};

static const char *verso_head(struct composer *c, struct heads *h, size_t part)
{
	const struct book *b = c->b;
	const struct bk_part *p = &b->parts[part];
	if (h->verso[part])
		return h->verso[part];
	if (c->st->verso_author && p->author)
		return h->verso[part] = head_for(c, h->size, p->author, h->room, p->path,
						 p->author_line, p->author_col,
						 "shorten the byline, or head the versos with the book's "
						 "title: 'pages: verso-head: title' in the style");
	if (!h->book) {
		const struct bk_mark *at =
			b->meta.running_head ? &b->meta.at_running_head : &b->meta.at_title;
		h->book = head_for(c, h->size,
				   b->meta.running_head ? b->meta.running_head : b->meta.title,
				   h->room, b->yaml_path, at->line, at->col,
				   "give a shorter one: 'running-head: ...' in book.yaml");
	}
	return h->verso[part] = h->book;
}

static const char *recto_head(struct composer *c, struct heads *h, size_t part)
{
	const struct bk_part *p = &c->b->parts[part];
	const char *t = p->running_head ? p->running_head : p->title;
	int line = p->running_head ? p->running_head_line : p->title_line;
	int col = p->running_head ? p->running_head_col : p->title_col;
	if (!h->recto[part] && t)
		h->recto[part] = head_for(c, h->size, t, h->room, p->path, line, col,
					  "give a shorter one: 'running-head: ...' in the part's "
					  "front matter");
	return h->recto[part];
}

/* Whether part's essay runs right to left: its first paragraph's first
 * strong letter; the book's direction for an essay with no text. */
static bool part_rtl(const struct composer *c, size_t part)
{
	const struct bk_part *p = &c->b->parts[part];
	for (size_t i = 0; i < p->nblocks; i++)
		if (p->blocks[i].nspans || p->blocks[i].nkids)
			return cp_blocks_rtl(&p->blocks[i], p->nblocks - i);
	return c->rtl;
}

/* A running head centred at x, y, set in the direction of what it heads
 * (rtl: the book's, or the essay's), not by its first letter: "octavo:
 * מדריך" heads a Hebrew book as a Hebrew line, its words from the right. */
static void head_text(struct composer *c, struct pg_page *page, double size, const char *s,
		      double x, double y, bool rtl)
{
	size_t n = strlen(s);
	unsigned dir = rtl ? TX_FEAT_RTL : tx_direction(s, n) == 1 ? TX_FEAT_LTR : 0;
	page_word(page, tx_shape_features(c->f, TX_ITALIC, s, n, dir), size, x, y, 0);
}

static void heads_and_folios(struct composer *c, size_t main_first)
{
	struct pg_doc *doc = c->doc;
	const struct bk_style *st = c->st;
	/* The folio at the foot: a leading at least below the lowest a line
	 * can sit - the foot of a block run a line long, where notes end - so
	 * that it never reads as one more line; in the same place on every
	 * page. */
	double lowest = st->page_h - st->margin_top -
			(st->page_h - st->margin_top - st->margin_bottom + st->body_leading);
	double folio_y = st->margin_bottom - st->body_leading * 1.6;
	if (folio_y > lowest - st->body_leading)
		folio_y = lowest - st->body_leading;
	for (size_t i = 0; i < doc->npages; i++)
		doc->pages[i].label = i < main_first
					      ? roman(&doc->arena, (int)i + 1)
					      : ar_printf(&doc->arena, "%zu", i - main_first + 1);
	double size = st->note_size * 1.05;
	struct heads h = {.size = size, .room = c->measure};
	const char *last = doc->npages ? doc->pages[doc->npages - 1].label : "0";
	if (st->folio_head) /* the folios in the head's corners, an em from it */
		h.room -= 2 * (cp_word_width(tx_shape(c->f, TX_REGULAR, last, strlen(last)), size) +
			       size);
	h.verso = ar_alloc(&doc->arena, (c->b->nparts + 1) * sizeof(char *));
	h.recto = ar_alloc(&doc->arena, (c->b->nparts + 1) * sizeof(char *));
	memset(h.verso, 0, (c->b->nparts + 1) * sizeof(char *));
	memset(h.recto, 0, (c->b->nparts + 1) * sizeof(char *));
	for (size_t i = 0; i < doc->npages; i++) {
		struct pg_page *pg = &doc->pages[i];
		/* Blank pages, the half-title, title and copyright pages print
		 * neither head nor folio. */
		if (pg->ntexts == 0 || i < 4)
			continue;
		if (!pg_kind_folio(c->b, pg)) /* a dedication, a part divider... */
			continue;
		double left = block_left(c, i), mid = left + c->measure / 2;
		double head_y = st->page_h - st->margin_top + st->body_leading * 1.1;
		pg_page_tag(pg, NULL, PG_ROLE_PAGINATION, 0);
		bool verso = i % 2 == 1, outer_left = verso != c->rtl;
		if (st->folio_head && !pg->opener) {
			/* In the head's outer corner: left on a verso, right on a
			 * recto (the other way round in a book bound on the right). */
			page_text(c, pg, TX_REGULAR, size, pg->label,
				  outer_left ? left : left + c->measure, head_y, outer_left ? -1 : 1);
		} else {
			page_text(c, pg, TX_REGULAR, size, pg->label, mid, folio_y, 0);
		}
		if (pg->opener || pg->part < 0)
			continue;
		/* Verso: the book's title (or the essay's author); recto: the
		 * essay's title (verso_head, recto_head). */
		size_t part = (size_t)pg->part;
		const char *head = verso ? verso_head(c, &h, part) : recto_head(c, &h, part);
		if (head)
			head_text(c, pg, size, head, mid, head_y, verso ? c->rtl : part_rtl(c, part));
	}
}

/* ===== the book ======================================================== */

/* Sets the part's notes as lines of their own. */
static void set_notes(struct composer *c, const struct bk_part *p, struct notes *nt)
{
	memset(nt, 0, sizeof(*nt));
	/* Notes at a part's or the book's end are set there (kinds.c). */
	size_t nnotes = c->st->notes == BK_NOTES_FOOT ? p->nnotes : 0;
	nt->n = nnotes;
	ar_init(&nt->ar);
	nt->first = ar_alloc(&nt->ar, (nnotes + 1) * sizeof(size_t));
	nt->count = ar_alloc(&nt->ar, (nnotes + 1) * sizeof(size_t));
	size_t base = c->nlines;
	for (size_t i = 0; i < nnotes; i++) {
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

static bool floats_moved_before(const struct pager *pg, struct arena *a,
				const struct vline *lines, size_t n, const struct chosen *ch,
				const int *paras, size_t np);

/* Whether lines a and b (d lines apart in their sets) are the same to the
 * page builder: every field fill() reads. */
static bool same_for_pages(const struct vline *a, const struct vline *b, long d)
{
	if (a->space != b->space || a->advance != b->advance || a->depth != b->depth ||
	    a->float_len != b->float_len || a->keep_next != b->keep_next ||
	    a->new_page != b->new_page || a->grid != b->grid || a->opener != b->opener ||
	    a->page_break != b->page_break || a->hyphen != b->hyphen ||
	    a->table_head != b->table_head || a->row_first != b->row_first ||
	    a->row_tied != b->row_tied ||
	    !a->outline != !b->outline || a->nmore_info != b->nmore_info ||
	    a->nnotes != b->nnotes || a->para != b->para)
		return false;
	/* A table's serial is its first line's index + 1 (pg_mark_table). */
	if (a->table ? b->table - a->table != d : b->table != 0)
		return false;
	return !a->nnotes || !memcmp(a->notes, b->notes, a->nnotes * sizeof(int));
}

/*
 * The mapping of struct reuse from the part's old lines (a, na, searched
 * into ch) to its new (b, nb), in ru: the two sets hold the same
 * paragraphs and lines between them, a paragraph set again in as many
 * lines or others. Returns false (ru untouched) where they do not line up
 * so, or a line could hold a page's reach unbounded (no height).
 */
static bool reuse_make(const struct pager *pg, const struct vline *a, size_t na,
		       const struct vline *b, size_t nb, const struct chosen *ch, struct reuse *ru)
{
	double least = 1e9;
	size_t widest = 1;
	for (size_t k = 0; k < nb; k++) {
		if (b[k].advance < least)
			least = b[k].advance;
		if (b[k].space < 0)
			return false;
		if (b[k].float_len > widest)
			widest = b[k].float_len;
	}
	if (!nb || least < 1)
		return false;
	long *old_of = xmalloc(nb * sizeof(long));
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		int p = b[j].para;
		if (a[i].para != p)
			break;
		size_t gi = 1, gj = 1;
		while (p && i + gi < na && a[i + gi].para == p)
			gi++;
		while (p && j + gj < nb && b[j + gj].para == p)
			gj++;
		bool same = gi == gj;
		for (size_t k = 0; same && k < gj; k++)
			same = same_for_pages(&a[i + k], &b[j + k], (long)(j - i));
		for (size_t k = 0; k < gj; k++)
			old_of[j + k] = same ? (long)(i + k) : -1;
		i += gi;
		j += gj;
	}
	if (i < na || j < nb) {
		free(old_of);
		return false;
	}
	size_t *run_end = xmalloc(nb * sizeof(size_t));
	for (size_t k = nb; k-- > 0;)
		run_end[k] = old_of[k] < 0 ? k
			     : k + 1 < nb && old_of[k + 1] - old_of[k] == 1 ? run_end[k + 1]
									  : k + 1;
	/* What a page reads past its first line: the lines a page at the
	 * tallest height tried holds (each at least `least` below the one
	 * before), once more past the floats it sets aside (MAX_WAITING),
	 * those floats, and the float or heading after its last line. */
	size_t page = (size_t)((pg->base_height + pg->grid) / least) + 2;
	*ru = (struct reuse){&ch->tried, old_of, run_end, na,
			     2 * page + (MAX_WAITING + 1) * widest + 2};
	return true;
}

static void reuse_release(struct reuse *ru)
{
	free((void *)ru->old_of);
	free((void *)ru->run_end);
}

/* When set_again keeps the new set. */
enum keep_rule {
	KEEP_CHEAPER,  /* its pages cost less */
	KEEP_INDENTED, /* the floats before the paragraphs it indents still move */
	KEEP_FEWER_BAD, /* cheaper, and fewer spreads unequal and pages two short */
	KEEP_NO_MORE_BAD, /* cheaper, and no more spreads unequal or pages two short */
	KEEP_CHEAPER_OR_SAME /* cheaper, or line for line the same to the pages (the
			      * lines themselves may differ: keep_foot_words reads them) */
};

static size_t bad_pages(const struct chosen *ch);

/*
 * Sets the part again as st says, chooses its pages again, and keeps the
 * new set as rule says (KEEP_INDENTED: st indenting more paragraphs than
 * ch's set, whatever it costs): ch and c->lines are the kept one's. k0
 * and serial0 are the counts before the part was first set. Returns
 * whether the new set was kept.
 */
static bool set_again(struct composer *c, struct pager *pg, const struct bk_part *p,
		      struct chosen *ch, const struct cp_setting *st, const struct cp_counts *k0,
		      int serial0, enum keep_rule rule)
{
	struct pg_doc *doc = c->doc;
	struct vline *a = c->lines;
	size_t na = c->nlines, acap = c->lines_cap;
	struct cp_counts k1;
	cp_counts_take(doc, &k1);
	int serial1 = c->para_serial;
	c->lines = NULL;
	c->nlines = c->lines_cap = 0;
	c->para_serial = serial0;
	c->again = st;
	/* Its warnings were given the first time. */
	int nerr = c->d->nerr, nwarn = c->d->nwarn;
	bool quiet = c->d->quiet;
	c->d->quiet = true;
	cp_set_part_by_kind(c, p, pg->base_height * 0.18);
	c->d->quiet = quiet;
	c->d->nerr = nerr;
	c->d->nwarn = nwarn;
	c->again = NULL;
	struct chosen ch2;
	struct reuse ru;
	pg->reuse = reuse_make(pg, a, na, c->lines, c->nlines, ch, &ru) ? &ru : NULL;
	/* Set line for line as the kept set (the same for the pages, every
	 * paragraph as the memo had it): the search would choose its pages
	 * again at its cost, and only a cheaper set is kept. Skipped, as
	 * 22 of the Node.js docs' 47 settings again (~200 M instructions
	 * a thread); KEEP_INDENTED looks at the pages, not the cost. */
	bool same = rule != KEEP_INDENTED && pg->reuse && ru.n_old == c->nlines;
	for (size_t i = 0; same && i < c->nlines; i++)
		same = ru.old_of[i] == (long)i;
	if (!same)
		search(pg, c->lines, c->nlines, &ch2);
	if (pg->reuse)
		reuse_release(&ru);
	pg->reuse = NULL;
	bool keep;
	if (same)
		keep = rule == KEEP_CHEAPER_OR_SAME;
	else if (rule == KEEP_INDENTED)
		keep = floats_moved_before(pg, &pg->part, c->lines, c->nlines, &ch2, st->indent,
					   st->nindent);
	else
		keep = ch2.cost < ch->cost &&
		       (rule == KEEP_CHEAPER || rule == KEEP_CHEAPER_OR_SAME ||
			(rule == KEEP_NO_MORE_BAD ? bad_pages(&ch2) <= bad_pages(ch)
						  : bad_pages(&ch2) < bad_pages(ch)));
	if (keep) {
		/* The looser set: its line records (none in a lean doc)
		 * move down over the first set's. */
		size_t shift = k1.nlinev - k0->nlinev;
		if (doc->nlinev > k1.nlinev) /* none in a lean layout */
			memmove(doc->linev + k0->nlinev, doc->linev + k1.nlinev,
				(doc->nlinev - k1.nlinev) * sizeof(*doc->linev));
		for (size_t i = 0; i < c->nlines; i++) {
			if (c->lines[i].info >= 0)
				c->lines[i].info -= (long)shift;
			for (size_t k = 0; k < c->lines[i].nmore_info; k++)
				c->lines[i].more_info[k] -= (long)shift;
		}
		/* The counts: the first set's out, the second's in. */
		cp_counts_rebase(doc, k0, &k1);
		struct vline *b = c->lines;
		size_t nb = c->nlines, bcap = c->lines_cap;
		c->lines = a;
		c->nlines = na;
		cp_free_lines(c, 0);
		free(a);
		c->lines = b;
		c->nlines = nb;
		c->lines_cap = bcap;
		if (!same) { /* the same: ch's pages and tries hold for them */
			chosen_release(ch);
			*ch = ch2;
			ch->tried.arena = &ch->ar; /* its slots' arena moved with it */
		}
	} else {
		cp_free_lines(c, 0);
		free(c->lines);
		c->lines = a;
		c->nlines = na;
		c->lines_cap = acap;
		cp_counts_put(doc, &k1);
		c->para_serial = serial1;
		if (!same)
			chosen_release(&ch2);
	}
	return keep;
}

/*
 * The paragraphs (serial + 1, ascending, in arena a; NULL for none) that
 * come right after a float the chosen pages move to a later page: the text
 * runs on from the page before into them. Sets *count.
 */
static int *after_moved_floats(const struct pager *pg, struct arena *a,
			       const struct vline *lines, size_t n, const struct chosen *ch,
			       size_t *count)
{
	int *v = NULL;
	size_t nv = 0, cap = 0;
	for (size_t i = 0; i < ch->npath; i++) {
		const struct node *nd = &ch->pool[ch->path[i]];
		/* owed by page i to the next: the floats from nd->fin on */
		for (long f = nd->fin; f >= 0;) {
			size_t j = (size_t)f + lines[f].float_len;
			f = next_owed(pg, lines, j, nd->s);
			if (j >= n || !lines[j].para ||
			    (j > 0 && lines[j - 1].para == lines[j].para) || lines[j].new_page)
				continue;
			if (nv > 0 && v[nv - 1] >= lines[j].para)
				continue;
			v = push_serial(a, v, &nv, &cap, lines[j].para);
		}
	}
	*count = nv;
	return v;
}

/* Whether each of paras[] still comes right after a float the chosen pages
 * move on. */
static bool floats_moved_before(const struct pager *pg, struct arena *a,
				const struct vline *lines, size_t n, const struct chosen *ch,
				const int *paras, size_t np)
{
	size_t nv = 0;
	int *v = after_moved_floats(pg, a, lines, n, ch, &nv);
	bool all = true;
	for (size_t k = 0; k < np && all; k++) {
		bool found = false;
		for (size_t q = 0; q < nv && !found; q++)
			found = v[q] == paras[k];
		all = found;
	}
	return all;
}

/* The ascending serial list a less those in b (in arena ar, ascending),
 * its length in *n. */
static int *serials_minus(struct arena *ar, const int *a, size_t na, const int *b, size_t nb,
			  size_t *n)
{
	int *v = ar_alloc(ar, (na + 1) * sizeof(int));
	size_t j = 0, k = 0;
	for (size_t i = 0; i < na; i++) {
		while (j < nb && b[j] < a[i])
			j++;
		if (j == nb || b[j] != a[i])
			v[k++] = a[i];
	}
	*n = k;
	return v;
}

/* The union of two ascending serial lists (in arena ar), its length in *n. */
static int *serials_union(struct arena *ar, const int *a, size_t na, const int *b, size_t nb,
			  size_t *n)
{
	int *v = ar_alloc(ar, (na + nb + 1) * sizeof(int));
	size_t i = 0, j = 0, k = 0;
	while (i < na || j < nb) {
		int x = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
		i += i < na && a[i] == x;
		j += j < nb && b[j] == x;
		v[k++] = x;
	}
	*n = k;
	return v;
}

/* Whether the chosen pages leave a spread unequal. */
static bool unequal_spread(const struct chosen *ch)
{
	for (size_t i = 0; i < ch->npath; i++)
		if (ch->pool[ch->path[i]].unequal)
			return true;
	return false;
}

/* Whether the chosen pages leave a page two lines short or more before
 * more text. */
static bool short_page(const struct chosen *ch)
{
	for (size_t i = 0; i < ch->npath; i++)
		if (ch->pool[ch->path[i]].short2)
			return true;
	return false;
}

/* How many of the chosen pages end unlike their verso or two lines short
 * or more before more text. */
static size_t bad_pages(const struct chosen *ch)
{
	size_t k = 0;
	for (size_t i = 0; i < ch->npath; i++)
		k += ch->pool[ch->path[i]].unequal || ch->pool[ch->path[i]].short2;
	return k;
}

/*
 * A part longer than this many lines (some 550 pages) is searched once,
 * rather than twice to note the rectos it could end well only at a hyphen
 * (a one-part 5 MB essay's second search was 0.45 s of CPU, a sixth of
 * its build, and 48 nodes a page held a second time): such a part is not
 * set again to keep those words whole either (KEEP_WHOLE_LINES).
 */
#define NEAR_SEARCH_LINES 20000

/*
 * A part longer than this many lines (some 550 pages) is not set again to
 * keep whole the words its pages would end at (foot_hyphens): set again,
 * a one-part 5 MB essay would hold two settings of 85,000 lines at once
 * and set every paragraph twice, for a page or two. Such a part keeps
 * its pages as chosen (the stretch search still evens its spreads).
 */
#define KEEP_WHOLE_LINES 20000

/* Appends word w to the list v (*n of *cap, in arena a) unless it or
 * have (nhave) holds it already; returns v, moved when it grew. */
static uint64_t *push_word(struct arena *a, uint64_t *v, size_t *n, size_t *cap, uint64_t w,
			   const uint64_t *have, size_t nhave)
{
	for (size_t q = 0; q < *n; q++)
		if (v[q] == w)
			return v;
	for (size_t q = 0; q < nhave; q++)
		if (have[q] == w)
			return v;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		uint64_t *nw = ar_alloc(a, ncap * sizeof(*nw));
		if (*n)
			memcpy(nw, v, *n * sizeof(*nw));
		v = nw;
		*cap = ncap;
	}
	v[(*n)++] = w;
	return v;
}

/*
 * The hyphens that kept the chosen pages from ending better: on each page
 * that ends two lines short or more before more text, or ends unlike its
 * facing page, and on the page before one two short, the lines at which
 * it would have ended, tried a line short, at its depth and a line long,
 * where they end at a hyphen (on a recto, never allowed; on a verso,
 * dear). Each as (para << 32) | brk, in pg->part, none of have (nhave).
 * Set whole (cp_setting's whole), the paragraph breaks otherwise and the
 * page may end there. Sets *count.
 */
static uint64_t *foot_hyphens(struct pager *pg, struct vline *lines, size_t n,
			      const struct chosen *ch, const uint64_t *have, size_t nhave,
			      size_t *count)
{
	uint64_t *v = NULL;
	size_t nv = 0, cap = 0;
	struct try t;
	for (size_t i = 0; i < ch->npath; i++) {
		const struct node *nd = &ch->pool[ch->path[i]], *from = &ch->pool[nd->prev];
		const struct node *next = i + 1 < ch->npath ? &ch->pool[ch->path[i + 1]] : NULL;
		/* The page before one two short too: a hyphen where it would
		 * end sooner or later may be what leaves the next page no
		 * break (stacked14f seed 13: an opening recto that could end
		 * a line sooner but at a hyphen, its verso two short). */
		if (!nd->unequal && !(next && (next->unequal || next->short2))) {
			fill_node(pg, lines, n, from, nd, &t);
			if (t.last || t.sh < 2)
				continue;
		}
		for (int d = -1; d <= 1; d++) {
			fill(pg, lines, n, from->s, from->carry, from->fin,
			     pg->base_height + d * pg->grid, SIZE_MAX, false, &t);
			if (!t.hyphen || t.e == 0 || !lines[t.e - 1].hyphen || !lines[t.e - 1].para)
				continue;
			uint64_t w = (uint64_t)(uint32_t)lines[t.e - 1].para << 32 | lines[t.e - 1].brk;
			v = push_word(&pg->part, v, &nv, &cap, w, have, nhave);
		}
	}
	*count = nv;
	return v;
}


/* Rounds of keep_foot_words: a paragraph set with one word whole may end
 * the same line at the next word's hyphen (stacked14f seed 8: p. 5's
 * recto, "re-" kept whole, then the line before it broke at a hyphen). */
#define FOOT_WORD_ROUNDS 3

/*
 * Pages still two short or unequal because the line they would end at
 * ends at a hyphen (foot_hyphens): those words kept whole, the paragraphs
 * break otherwise (as a typesetter would by hand), kept into *cur when
 * cheaper. A set the same to the pages is kept for the next round only
 * (the paragraph may end the same line at another word's hyphen, which
 * that round keeps whole too); when no round gets cheaper, *cur's lines
 * as they were come back, so no paragraph changes for nothing.
 */
static void keep_foot_words(struct composer *c, struct pager *pg, const struct bk_part *p,
			    struct chosen *ch, struct cp_setting *cur,
			    const struct cp_counts *k0, int serial0)
{
	if (c->nlines > KEEP_WHOLE_LINES)
		return;
	struct cp_setting kept = *cur, at = *cur;
	for (int round = 0; round < FOOT_WORD_ROUNDS; round++) {
		size_t nwh = 0;
		uint64_t *wh = foot_hyphens(pg, c->lines, c->nlines, ch, at.whole, at.nwhole,
					    &nwh);
		if (!nwh)
			break;
		struct cp_setting st = at;
		uint64_t *all = ar_alloc(&pg->part, (at.nwhole + nwh) * sizeof(*all));
		if (at.nwhole)
			memcpy(all, at.whole, at.nwhole * sizeof(*all));
		memcpy(all + at.nwhole, wh, nwh * sizeof(*all));
		st.whole = all;
		st.nwhole = at.nwhole + nwh;
		double was = ch->cost;
		if (!set_again(c, pg, p, ch, &st, k0, serial0, KEEP_CHEAPER_OR_SAME))
			break;
		at = st;
		if (ch->cost < was)
			kept = st; /* cheaper: kept whatever the next round finds */
	}
	/* lines the same to the pages: as kept */
	if (at.nwhole != kept.nwhole && !set_again(c, pg, p, ch, &kept, k0, serial0,
						   KEEP_CHEAPER_OR_SAME))
		kept = at; /* (never: kept's lines are at's to the pages) */
	*cur = kept;
}

/*
 * A float moved to a later page: the paragraph after it runs on from the
 * text before, so it is indented as any paragraph. The part is set again
 * with those paragraphs indented besides *cur's, kept (into *cur) when
 * the floats before them still move, whatever it costs. Nothing when
 * *cur indents them all already. A paragraph *cur indents whose float
 * the pages chosen since keep in its place (a float the first search
 * deferred, the steps after it not: the Node.js docs' table of import
 * attributes) loses its indent the same way, *cur's indents then those
 * of the floats moved now alone; twice at most, as the pages may move
 * another float once the indents change.
 */
static void indent_after_moved(struct composer *c, struct pager *pg, const struct bk_part *p,
			       struct chosen *ch, struct cp_setting *cur,
			       const struct cp_counts *k0, int serial0)
{
	for (int round = 0; round < 2; round++) {
		size_t nind = 0, nall = 0, nstale = 0;
		int *ind = after_moved_floats(pg, &pg->part, c->lines, c->nlines, ch, &nind);
		serials_minus(&pg->part, cur->indent, cur->nindent, ind, nind, &nstale);
		int *all = ind;
		if (nstale)
			nall = nind;
		else
			all = serials_union(&pg->part, cur->indent, cur->nindent, ind, nind, &nall);
		if (!nstale && nall == cur->nindent)
			return;
		struct cp_setting st = *cur;
		st.indent = all;
		st.nindent = nall;
		if (!set_again(c, pg, p, ch, &st, k0, serial0, KEEP_INDENTED))
			return;
		*cur = st;
	}
}

/*
 * Rectos the search could end well only at a hyphen (ch->near), where the
 * chosen pages still leave a spread unequal or a page two short: the part
 * set again with those words kept whole besides *cur's, kept (into *cur)
 * when its pages cost less and fewer are so.
 */
static void near_whole(struct composer *c, struct pager *pg, const struct bk_part *p,
		       struct chosen *ch, struct cp_setting *cur, const struct cp_counts *k0,
		       int serial0)
{
	if (!ch->nnear || c->nlines > KEEP_WHOLE_LINES || !bad_pages(ch))
		return;
	uint64_t *all = NULL;
	size_t nall = 0, cap = 0;
	for (size_t q = 0; q < cur->nwhole; q++)
		all = push_word(&pg->part, all, &nall, &cap, cur->whole[q], NULL, 0);
	for (size_t q = 0; q < ch->nnear; q++)
		all = push_word(&pg->part, all, &nall, &cap, ch->near[q], NULL, 0);
	if (nall == cur->nwhole)
		return;
	struct cp_setting st = *cur;
	st.whole = all;
	st.nwhole = nall;
	if (set_again(c, pg, p, ch, &st, k0, serial0, KEEP_FEWER_BAD))
		*cur = st;
}

/*
 * Pages still unequal or two short, or a part ending on a page of under
 * five lines: the paragraphs around them (tight_page_paras) set a line
 * tighter (TeX's \looseness -1) besides *cur's settings, all at once and
 * then, if that is not kept, one at a time (the first MAX_TIGHT_TRIES);
 * a set kept (into *cur) when its pages cost less and no more are bad.
 * A paragraph *cur sets looser is tried tighter instead. None kept:
 * the same paragraphs a line looser, kept alike.
 */
static void tighter_for_pages(struct composer *c, struct pager *pg, const struct bk_part *p,
			      struct chosen *ch, struct cp_setting *cur,
			      const struct cp_counts *k0, int serial0)
{
	if (c->nlines > KEEP_WHOLE_LINES ||
	    (!bad_pages(ch) && !short_part_end(pg, c->lines, c->nlines, ch)))
		return;
	size_t nt = 0;
	int *tight = tight_page_paras(pg, c->lines, c->nlines, ch, &nt);
	if (!nt)
		return;
	struct cp_setting st = *cur;
	st.tight = tight;
	st.ntight = nt;
	st.loose = serials_minus(&pg->part, cur->loose, cur->nloose, tight, nt, &st.nloose);
	if (set_again(c, pg, p, ch, &st, k0, serial0, KEEP_NO_MORE_BAD)) {
		*cur = st;
		return;
	}
	for (size_t q = 0; q < nt && q < MAX_TIGHT_TRIES; q++) {
		st.tight = &tight[q];
		st.ntight = 1;
		st.loose = serials_minus(&pg->part, cur->loose, cur->nloose, &tight[q], 1,
					 &st.nloose);
		if (set_again(c, pg, p, ch, &st, k0, serial0, KEEP_NO_MORE_BAD)) {
			*cur = st;
			return;
		}
	}
	/* No line could be given back: those paragraphs a line looser
	 * instead (TeX's \looseness 1). A part's last page of a line or two
	 * to five: the page before gives it more. A spread unequal or a
	 * page two short: the text runs a line further and the pages fall
	 * otherwise (floats14h seed 2: its spread pp. 2/3 a line apart,
	 * 6440 demerits, every even way of its first setting dearer; the
	 * paragraphs on and beside it looser, 3590 and none unequal). */
	st = *cur;
	st.loose = serials_union(&pg->part, cur->loose, cur->nloose, tight, nt, &st.nloose);
	if (set_again(c, pg, p, ch, &st, k0, serial0, KEEP_NO_MORE_BAD))
		*cur = st;
}

/* A page that still ends this many lines short or more before more text
 * (looser_before_short): its lines are owed to paragraphs before it. */
#define SHORT_FILL_LINES 3
/* The most paragraphs looser_before_short sets a line looser for one such
 * page (those nearest it), and the pages back it looks: the page and the
 * LOOSE_BACK_PAGES before it that hold paragraphs (a page of floats alone
 * not counted: tests/floats14j's p. 3). Only a part with such a page pays
 * for it: the edition and the Node.js docs have none. */
#define MAX_LOOSE_BACK 24
#define LOOSE_BACK_PAGES 2

/*
 * The paragraphs (serial + 1, ascending, in pg->part) before each chosen
 * page that ends SHORT_FILL_LINES or more short before more text: on it
 * and on the LOOSE_BACK_PAGES pages before it that hold paragraphs, the
 * last MAX_LOOSE_BACK of them. Sets *count; NULL for none.
 */
static int *paras_before_short(struct pager *pg, struct vline *lines, size_t n,
			       const struct chosen *ch, size_t *count)
{
	int *v = NULL;
	size_t nv = 0;
	struct try t;
	for (size_t i = 0; i < ch->npath; i++) {
		const struct node *nd = &ch->pool[ch->path[i]], *from = &ch->pool[nd->prev];
		if (!nd->short2)
			continue;
		fill_chosen(pg, lines, n, from, nd, &t);
		if (t.last || t.sh < SHORT_FILL_LINES)
			continue;
		/* back from page i: pages holding paragraphs, at most
		 * 1 + LOOSE_BACK_PAGES of them and MAX_LOOSE_BACK paragraphs */
		int *w = NULL;
		size_t nw = 0;
		for (size_t j = i + 1, pages = 0; j-- > 0 && pages <= LOOSE_BACK_PAGES &&
						   nw < MAX_LOOSE_BACK;) {
			nd = &ch->pool[ch->path[j]];
			from = &ch->pool[nd->prev];
			fill_chosen(pg, lines, n, from, nd, &t);
			int *u = NULL;
			size_t nu = 0, cap = 0;
			u = push_page_paras(pg, lines, n, &t, u, &nu, &cap);
			pages += nu > 0;
			w = serials_union(&pg->part, w, nw, u, nu, &nw);
		}
		size_t skip = nw > MAX_LOOSE_BACK ? nw - MAX_LOOSE_BACK : 0;
		v = serials_union(&pg->part, v, nv, w + skip, nw - skip, &nv);
	}
	*count = nv;
	return v;
}

/*
 * Pages still SHORT_FILL_LINES or more short before more text (a float
 * that cannot come sooner, a note that cannot split): the lines they lack
 * are owed to the paragraphs before them, each a line looser (TeX's
 * \looseness 1 asked of several paragraphs, as a typesetter runs a few
 * paragraphs loose to fill a page), the text then pushing on to the short
 * page. The paragraphs of paras_before_short besides *cur's looser ones
 * (one *cur sets tighter goes looser instead), at the looser setting's
 * own tolerance (compose.c's set_looser: a paragraph that cannot go a
 * line looser so stays as it is); kept (into *cur) when its pages cost
 * less and no more are bad. Three sets at most: all, the later half,
 * the earlier.
 */
static void looser_before_short(struct composer *c, struct pager *pg, const struct bk_part *p,
				struct chosen *ch, struct cp_setting *cur,
				const struct cp_counts *k0, int serial0)
{
	if (c->nlines > KEEP_WHOLE_LINES || !short_page(ch))
		return;
	size_t nv = 0;
	int *v = paras_before_short(pg, c->lines, c->nlines, ch, &nv);
	/* All of them; else the later half (nearest the short pages), then
	 * the earlier: all at once may push on more than the pages lack. */
	for (int k = 0; k < 3 && nv; k++) {
		size_t from = k == 1 ? nv / 2 : 0, to = k == 2 ? nv / 2 : nv;
		if (k > 0 && nv < 2)
			break;
		struct cp_setting st = *cur;
		st.loose = serials_union(&pg->part, cur->loose, cur->nloose, v + from, to - from,
					 &st.nloose);
		if (st.nloose == cur->nloose)
			continue;
		st.tight = serials_minus(&pg->part, cur->tight, cur->ntight, v + from, to - from,
					 &st.ntight);
		if (set_again(c, pg, p, ch, &st, k0, serial0, KEEP_NO_MORE_BAD)) {
			*cur = st;
			return;
		}
	}
}

/* A figure that smaller_floats may set down: taller than this many body
 * lines over the floor, so that the page gains something. */
#define SMALLER_GAIN_LINES 2

/*
 * The figures (their blocks, in pg->part, in the part's order) cited on
 * each chosen page still two or more lines short before more text, or on
 * the page after it (for a recto ending unlike its verso: on the verso,
 * the recto or the page after), that are taller than the style's floor
 * by more than SMALLER_GAIN_LINES: such a page ends short because the
 * floats its text cites cannot all come within a page of it
 * (tests/floats14j: figures 4 and 5, two-thirds of a page each, cited
 * two lines apart). Sets *count; NULL for none.
 */
static const struct bk_block **figures_near_short(struct pager *pg, const struct vline *lines,
						  size_t n, const struct chosen *ch, size_t *count)
{
	const struct bk_style *st = pg->c->st;
	double floor_h = pg->base_height * st->figure_floor + SMALLER_GAIN_LINES * pg->grid;
	const struct bk_block **v = NULL;
	size_t nv = 0, cap = 0;
	for (size_t i = 0; i < ch->npath; i++) {
		const struct node *nd = &ch->pool[ch->path[i]], *from = &ch->pool[nd->prev];
		struct try t;
		if (!nd->short2 && !nd->unequal)
			continue;
		fill_chosen(pg, lines, n, from, nd, &t);
		if (t.last)
			continue;
		/* the lines of this page and the next (a recto ending unlike
		 * its verso: of the verso too): the floats among them */
		size_t to = i + 1 < ch->npath ? ch->pool[ch->path[i + 1]].s : n;
		size_t at =
		    nd->unequal && i > 0 ? ch->pool[ch->pool[ch->path[i - 1]].prev].s : from->s;
		for (size_t k = at; k < to && k < n; k++) {
			const struct vline *l = &lines[k];
			if (!l->float_len || l->table || !l->block || l->advance <= floor_h)
				continue;
			if (nv && v[nv - 1] == l->block)
				continue;
			if (nv == cap) {
				cap = cap ? 2 * cap : 8;
				const struct bk_block **w = ar_alloc(&pg->part, cap * sizeof(*w));
				if (nv)
					memcpy(w, v, nv * sizeof(*w));
				v = w;
			}
			v[nv++] = l->block;
		}
	}
	*count = nv;
	return v;
}

/*
 * Pages still two or more lines short before floats they cannot take, or
 * spreads unequal beside them: the tall figures cited there set down to the style's floor (pages:
 * figure-floor), as a designer sets a plate smaller to keep it beside
 * its text, so that the text fills the page and the floats still come
 * within a page of their citations. Kept (into *cur) when its pages cost
 * less and no more are bad.
 */
static void smaller_floats(struct composer *c, struct pager *pg, const struct bk_part *p,
			   struct chosen *ch, struct cp_setting *cur, const struct cp_counts *k0,
			   int serial0)
{
	if (c->nlines > KEEP_WHOLE_LINES || !(short_page(ch) || unequal_spread(ch)) || !pg->floats)
		return;
	size_t nv = 0;
	const struct bk_block **v = figures_near_short(pg, c->lines, c->nlines, ch, &nv);
	if (!nv)
		return;
	const struct bk_block **all = ar_alloc(&pg->part, (cur->nsmaller + nv) * sizeof(*all));
	if (cur->nsmaller)
		memcpy(all, cur->smaller, cur->nsmaller * sizeof(*all));
	memcpy(all + cur->nsmaller, v, nv * sizeof(*all));
	struct cp_setting st = *cur;
	st.smaller = all;
	st.nsmaller = cur->nsmaller + nv;
	if (set_again(c, pg, p, ch, &st, k0, serial0, KEEP_NO_MORE_BAD))
		*cur = st;
}

/*
 * A part whose chosen pages space a heading a line wider (fill's stretch,
 * 250 demerits a heading): the paragraphs on its pages that end a line
 * short (before more text) set a line looser besides *cur's, as snug as
 * their first pass (cp_setting's snug: no line loose), so that a spread
 * may end on the grid with its headings as spaced as any; kept (into
 * *cur) when its pages cost less and no more are bad (the edition: pages
 * on the grid 55 -> 57, loose lines the same).
 */
/* A part longer than this many lines (an essay is some 150) is not set
 * again for looser_for_stretch: a reference of 2,000 headings would be
 * set twice, its cost growing faster than its length (tests/fuzz/linear.sh
 * 'internal links to headings': 3.4 times the instructions at twice the
 * size). */
#define SNUG_LINES 2000

static void looser_for_stretch(struct composer *c, struct pager *pg, const struct bk_part *p,
			       struct chosen *ch, struct cp_setting *cur,
			       const struct cp_counts *k0, int serial0)
{
	bool stretched = false;
	for (size_t i = 0; i < ch->npath && !stretched; i++)
		stretched = ch->pool[ch->path[i]].stretch != 0 &&
			    ch->pool[ch->path[i]].stretch != FILL_SQUEEZE;
	if (!stretched || c->nlines > SNUG_LINES)
		return;
	int *v = NULL;
	size_t nv = 0, cap = 0;
	struct try t;
	for (size_t i = 0; i < ch->npath; i++) {
		const struct node *nd = &ch->pool[ch->path[i]], *from = &ch->pool[nd->prev];
		fill_chosen(pg, c->lines, c->nlines, from, nd, &t);
		if (!t.last && t.sh == 1)
			v = push_page_paras(pg, c->lines, c->nlines, &t, v, &nv, &cap);
	}
	v = serials_minus(&pg->part, v, nv, cur->tight, cur->ntight, &nv); /* tighter, kept */
	if (!nv)
		return;
	struct cp_setting st = *cur;
	st.loose = serials_union(&pg->part, cur->loose, cur->nloose, v, nv, &st.nloose);
	st.snug = serials_minus(&pg->part, v, nv, cur->loose, cur->nloose, &st.nsnug);
	if (set_again(c, pg, p, ch, &st, k0, serial0, KEEP_NO_MORE_BAD))
		*cur = st;
}

/*
 * A part whose chosen pages still end two or more lines short before more
 * text, or leave a spread unequal, once its paragraphs have been set
 * again (looser, tighter): its pages chosen again with the blocks on such
 * a page (a list, a code block, the paragraph after one, a heading off
 * the grid) spaced a line wider where its headings on the grid are too
 * few (pg->space_blocks: blocks_for), kept when cheaper. A last resort,
 * after the paragraphs: in the first search it left the steps above
 * unasked where they do better (systemd's CODING_STYLE.md: a page longer,
 * 7 lines looser). One search more, for such a part only.
 */
static void space_blocks(struct pager *pg, struct vline *lines, size_t n, struct chosen *ch)
{
	if (n > NEAR_SEARCH_LINES || !(short_page(ch) || unequal_spread(ch)))
		return;
	struct chosen ch2;
	pg->space_blocks = true;
	chosen_compact(ch); /* its other nodes: not needed again */
	search_from(pg, lines, n, &ch2, ch);
	pg->space_blocks = false;
	if (ch2.cost < ch->cost) {
		chosen_release(ch);
		*ch = ch2;
		ch->tried.arena = &ch->ar; /* its slots' arena moved with it */
	} else {
		tries_take(ch, &ch2);
		chosen_release(&ch2);
	}
}

/* Sets a part and places it on its pages. Returns whether its first line
 * starts a new recto (a part that opens so is placed alike after an odd
 * or an even number of pages, but for a blank verso before it). */
static bool set_and_paginate(struct composer *c, struct pager *pg, size_t part)
{
	const struct bk_part *p = &c->b->parts[part];
	c->part = p;
	c->part_index = (int)part;
	struct notes nt;
	set_notes(c, p, &nt);
	pg->notes = &nt;
	struct pg_doc *doc = c->doc;
	struct cp_counts k0;
	cp_counts_take(doc, &k0);
	int serial0 = c->para_serial;
	cp_memo_begin(c); /* for set_again: the paragraphs it sets as before */
	cp_set_part_by_kind(c, p, pg->base_height * 0.18);
	bool recto = c->nlines && c->lines[0].new_page;
	struct chosen ch;
	/* Headings may be spaced a line wider from the first search on: a
	 * heading after a list or quotation has no half line of its own to
	 * give at a page's foot (compose.c's heading), and the edition's
	 * pages on the grid went 56 -> 49 when the search saw it only where
	 * a spread was left unequal. */
	pg->stretch = true;
	search(pg, c->lines, c->nlines, &ch);
	struct cp_setting cur = {0};
	/* The paragraphs after floats moved on, indented first: the steps
	 * below even the pages of the part as it is printed, each keeping
	 * the indents (set last, an indent could leave a spread unequal the
	 * steps had evened: tests/books/floats14h seed 7). */
	indent_after_moved(c, pg, p, &ch, &cur, &k0, serial0);
	size_t nloose = 0, nwide = 0, nall = 0;
	int *loose = short_page_paras(pg, c->lines, c->nlines, &ch, false, &nloose);
	int *wide = NULL, *all = NULL;
	if (nloose) {
		/* Pages end two lines short or more: set the paragraphs on them
		 * a line looser where they can be, choose the pages again, and
		 * keep whichever costs less. */
		struct cp_setting st = cur;
		st.loose = loose;
		st.nloose = nloose;
		if (set_again(c, pg, p, &ch, &st, &k0, serial0, KEEP_CHEAPER))
			cur = st;
		/* An opening still two short (a heading with its two lines
		 * does not fit under its few paragraphs, and no page before
		 * can give it a line): its paragraphs may go looser still,
		 * the others as they were. */
		wide = short_page_paras(pg, c->lines, c->nlines, &ch, true, &nwide);
		if (nwide) {
			all = serials_union(&pg->part, loose, nloose, wide, nwide, &nall);
			st = cur;
			st.loose = all;
			st.nloose = nall;
			st.wide = wide;
			st.nwide = nwide;
			if (set_again(c, pg, p, &ch, &st, &k0, serial0, KEEP_CHEAPER))
				cur = st;
		}
	}
	/* A spread still unequal, or a page two short: the pages chosen
	 * again, noting the rectos that could end well only at a hyphen
	 * (near_whole). */
	if (c->nlines <= NEAR_SEARCH_LINES && (unequal_spread(&ch) || short_page(&ch))) {
		/* The same lines: the pages the first search tried are the
		 * second's too (its plain tries), taken over rather than made
		 * again, and one set of tries held, not two (a one-part 5 MB
		 * essay: 0.45 s of CPU and a second map). */
		struct chosen ch2;
		pg->watch_near = true;
		chosen_compact(&ch); /* its other nodes: not needed again */
		search_from(pg, c->lines, c->nlines, &ch2, &ch);
		if (ch2.cost < ch.cost) {
			chosen_release(&ch);
			ch = ch2;
			ch.tried.arena = &ch.ar; /* its slots' arena moved with it */
		} else {
			tries_take(&ch, &ch2); /* the same lines: all still hold */
			memcpy(ch.near, ch2.near, sizeof(ch.near));
			ch.nnear = ch2.nnear;
			chosen_release(&ch2);
		}
	}
	/* Pages still two short or unequal because the line they would end
	 * at ends at a hyphen: those words kept whole, the paragraphs break
	 * otherwise (as a typesetter would by hand), kept when cheaper. */
	keep_foot_words(c, pg, p, &ch, &cur, &k0, serial0);
	near_whole(c, pg, p, &ch, &cur, &k0, serial0);
	tighter_for_pages(c, pg, p, &ch, &cur, &k0, serial0);
	looser_before_short(c, pg, p, &ch, &cur, &k0, serial0);
	smaller_floats(c, pg, p, &ch, &cur, &k0, serial0);
	looser_for_stretch(c, pg, p, &ch, &cur, &k0, serial0);
	space_blocks(pg, c->lines, c->nlines, &ch);
	/* Floats the steps above moved on too. */
	indent_after_moved(c, pg, p, &ch, &cur, &k0, serial0);
	cp_memo_end(c);
	place_chosen(pg, c->lines, c->nlines, (int)part, &ch);
	chosen_release(&ch);
	ar_release(&pg->part); /* the lists of paragraphs set again */
	pg->stretch = false;
	pg->plain_of = NULL; /* the next part's lines may take their place */
	pg->watch_near = false;
	cp_free_lines(c, 0);
	free_notes(&nt);
	pg->notes = NULL;
	return recto;
}

static void pager_init(struct pager *pg, struct composer *c, struct notes *none)
{
	const struct bk_style *st = c->st;
	double block_h = st->page_h - st->margin_top - st->margin_bottom;
	*pg = (struct pager){.c = c,
			     .notes = none,
			     .height = block_h,
			     .base_height = block_h,
			     .sep = st->note_leading * 1.5,
			     .grid = st->body_leading,
			     .top = st->body_size,
			     .defer = -1,
			     .flow = -1};
}

/* The parts order[from, to) of the main matter, each set and placed on
 * its pages (cp_set_run_fn, layout-int.h). */
static bool set_run(struct composer *c, const size_t *order, size_t from, size_t to)
{
	struct notes none = {0};
	struct pager pg;
	pager_init(&pg, c, &none);
	bool recto = true, first = true;
	for (size_t r = from; r < to; r++) {
		if (c->b->parts[order[r]].front)
			continue;
		bool opens = set_and_paginate(c, &pg, order[r]);
		if (first)
			recto = opens;
		first = false;
	}
	free(pg.seq);
	free(pg.runs);
	free(pg.plain_to);
	free(pg.heads_upto);
	assert(!pg.part.head);
	return recto;
}


/* Rotates arr[0, n) so that its elements [k, n) come first, through a copy
 * of the shorter side only: the front matter's few line records move
 * before the main matter's, whose copy would add its whole size (14 MB
 * on a long book) to the peak. */
static void rotate(void *arr, size_t n, size_t k, size_t elt)
{
	if (!k || k >= n)
		return;
	char *a = arr;
	size_t m = k <= n - k ? k : n - k;
	char *tmp = xmalloc(m * elt);
	if (m == k) {
		memcpy(tmp, a, k * elt);
		memmove(a, a + k * elt, (n - k) * elt);
		memcpy(a + (n - k) * elt, tmp, k * elt);
	} else {
		memcpy(tmp, a + k * elt, (n - k) * elt);
		memmove(a + (n - k) * elt, a, k * elt);
		memcpy(a, tmp, (n - k) * elt);
	}
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
		struct pg_pagemark *m = &doc->marks[i];
		m->label = pg->label;
		m->part = pg->part;
		m->span = pg->mark_span;
		m->offset = pg->mark_off;
		m->block = pg->mark_block;
		m->front = pg->front;
		m->entry = pg->entry;
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
		assert(pg->label && *pg->label);
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

/* What a doc keeps of each line set besides the counts (layout.h). */
enum keep { KEEP_ALL, KEEP_QUOTED, KEEP_NONE };

static struct pg_doc *compose(const struct book *b, struct tx_fonts *f, struct diag *d,
			      enum keep keep, int jobs);

struct pg_doc *pg_compose(const struct book *b, struct tx_fonts *f, struct diag *d)
{
	return compose(b, f, d, KEEP_ALL, 1);
}

struct pg_doc *pg_compose_lint(const struct book *b, struct tx_fonts *f, struct diag *d)
{
	return compose(b, f, d, KEEP_QUOTED, 1);
}

struct pg_doc *pg_compose_lint_jobs(const struct book *b, struct tx_fonts *f, struct diag *d,
				    int jobs)
{
	return compose(b, f, d, KEEP_QUOTED, jobs);
}

struct pg_doc *pg_compose_lean(const struct book *b, struct tx_fonts *f, struct diag *d)
{
	return compose(b, f, d, KEEP_NONE, 1);
}

/* Joins the front matter (doc's pages now, nfront of them) and the main
 * matter set before it (main, nmain pages; main_outline outline entries
 * and main_lines line records, first in doc's arrays): the main matter's
 * indexes shifted, the outline and line records rotated into page order. */
static void join_front(struct composer *c, struct pg_page *main, size_t nmain,
		       size_t main_outline, size_t main_lines, size_t nfront)
{
	struct pg_doc *doc = c->doc;
	const struct book *b = c->b;
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
			/* dest_page < -1: a note's, for pg_note_links below */
			if (ln->dest_page >= 0 && pi >= nfront)
				ln->dest_page += (int)nfront;
		}
	for (size_t i = 0; i < main_lines; i++)
		if (doc->linev[i].page >= 0)
			doc->linev[i].page += (int)nfront;
	for (size_t i = 0; i < b->nparts; i++)
		if (!b->parts[i].front)
			c->part_page[i] += nfront;
	rotate(doc->outline, doc->noutline, main_outline, sizeof(*doc->outline));
	rotate(doc->linev, doc->nlinev, main_lines, sizeof(*doc->linev));
}

/* Each page's text hash (its texts not hashed by the runs, parallel.c);
 * its arrays, and the line records, to their size: they live until the
 * PDF is written, beside everything libharu holds. */
static void fit_arrays(struct pg_doc *doc)
{
	pg_hash_texts(doc);
	for (size_t i = 0; i < doc->npages; i++) {
		struct pg_page *p = &doc->pages[i];
		if (p->texts_cap > p->ntexts && p->ntexts) {
			p->texts = xrealloc(p->texts, p->ntexts * sizeof(*p->texts));
			p->texts_cap = p->ntexts;
		}
	}
	if (doc->linev_cap > doc->nlinev && doc->nlinev) {
		doc->linev = xrealloc(doc->linev, doc->nlinev * sizeof(*doc->linev));
		doc->linev_cap = doc->nlinev;
	}
}

static struct pg_doc *compose(const struct book *b, struct tx_fonts *f, struct diag *d,
			      enum keep keep, int jobs)
{
	struct pg_doc *doc = xcalloc(1, sizeof(*doc));
	doc->lean = keep == KEEP_NONE;
	doc->quoted = keep == KEEP_QUOTED;
	doc->runs = 1;
	ar_init(&doc->arena);
	const struct bk_style *st = &b->style;
	doc->page_w = st->page_w;
	doc->page_h = st->page_h;
	doc->grid = st->body_leading;
	struct composer c = {.b = b, .st = st, .f = f, .d = d, .doc = doc, .part_index = -1};
	ar_init(&c.scratch);
	c.measure = st->page_w - st->margin_inner - st->margin_outer;
	c.rtl = bk_lang_rtl(b->meta.language);
	c.part_page = ar_alloc(&doc->arena, (b->nparts + 1) * sizeof(size_t));
	for (int i = 0; i < TX_NFACES; i++)
		c.space_w[i] = tx_shape(f, (enum tx_face)i, " ", 1)->width;
	lb_params_default(&c.params);
	c.hyph = tx_hyph_load(b->meta.language, st, d);
	struct notes none = {0};
	struct pager pg;
	pager_init(&pg, &c, &none);

	/* Main matter first: the essays, numbered from 1, each on a recto,
	 * and the back matter (src/book/kinds.h). Their page numbers are then
	 * known when the contents is set. Notes at the book's end go before
	 * the contributors, bibliography and colophon. */
	size_t *order = bk_reading_order(b);
	size_t notes_at = bk_book_notes_at(b, order);
	int notes_page = -1; /* the Notes section's first page, for the contents */
	/* The parts before the book-end notes on up to jobs threads
	 * (parallel.c), as set_run would set them; the rest here. */
	size_t from = notes_at < b->nparts ? notes_at : b->nparts;
	cp_set_parallel(&c, order, from, jobs, set_run);
	for (size_t r = from; r <= b->nparts; r++) {
		if (r < b->nparts && b->parts[order[r]].front)
			continue;
		if (r == notes_at) {
			size_t at = doc->npages;
			if (cp_book_notes(&c))
				paginate(&pg, c.lines, c.nlines, -1);
			cp_free_lines(&c, 0);
			notes_page = pg_book_notes_page(doc, at); /* kinds.c */
		}
		if (r < b->nparts)
			set_and_paginate(&c, &pg, order[r]);
	}
	struct pg_page *main = doc->pages;
	size_t nmain = doc->npages;
	size_t main_outline = doc->noutline, main_lines = doc->nlinev;
	doc->pages = NULL;
	doc->npages = doc->pages_cap = 0;

	/* Front matter: half-title, title, copyright, dedication, epigraph,
	 * contents, foreword, prefaces. */
	c.part = NULL;
	opening_pages(&c);
	for (size_t r = 0; r < b->nparts; r++)
		if (b->parts[order[r]].front && bk_kind_of(b->parts[order[r]].kind)->before_contents)
			set_and_paginate(&c, &pg, order[r]);
	struct entry *ent = ar_alloc(&doc->arena, (b->nparts + 2) * sizeof(*ent));
	size_t nent = 0;
	for (size_t r = 0; r <= b->nparts; r++) {
		if (r == notes_at && notes_page >= 0) /* the book-end Notes (kinds.c) */
		{
			const struct bk_part *np = pg_book_notes_part(doc, b);
			ent[nent++] = (struct entry){np->title, NULL, false, -1, 0, np};
		}
		if (r == b->nparts)
			break;
		const struct bk_part *p = &b->parts[order[r]];
		if (!bk_kind_of(p->kind)->in_contents)
			continue;
		bool own = strcmp(p->title, bk_kind_title(b, p->kind)) != 0;
		ent[nent].title = p->label ? own ? ar_printf(&doc->arena, "%s%s%s", p->label,
							     bk_title_colon(b), p->title)
						 : p->label
					   : p->title;
		ent[nent].author = p->kind == BK_PART_ESSAY ? p->author : NULL;
		ent[nent].under = p->under != 0;
		ent[nent++].part = (int)order[r];
	}
	c.part = NULL;
	contents_lines(&c, ent, nent);
	size_t contents_at = doc->npages;
	paginate(&pg, c.lines, c.nlines, -1);
	for (size_t i = contents_at; i < doc->npages; i++)
		doc->pages[i].front = BK_FRONT_CONTENTS;
	cp_free_lines(&c, 0);
	for (size_t r = 0; r < b->nparts; r++)
		if (b->parts[order[r]].front &&
		    !bk_kind_of(b->parts[order[r]].kind)->before_contents)
			set_and_paginate(&c, &pg, order[r]);
	free(order);
	if (doc->npages % 2 == 1)
		new_page(doc, -1); /* page 1 must be a recto */
	size_t nfront = doc->npages;
	doc->front_pages = (int)nfront;

	join_front(&c, main, nmain, main_outline, main_lines, nfront);
	for (size_t i = 0; i < nent; i++)
		ent[i].page = ent[i].part >= 0 ? (int)c.part_page[ent[i].part]
					       : notes_page + (int)nfront;
	pg_note_links(doc, b); /* end-notes (kinds.c) */
	pg_kinds_outline(doc, b);
	pg_resolve_links(doc, b, c.part_page); /* links to headings (links.c) */

	heads_and_folios(&c, nfront);
	contents_numbers(&c, ent);
	/* The part whose contents entry begins each contents page after
	 * the first, for the EPUB's page markers. */
	for (size_t i = 0; i < doc->npages; i++)
		doc->pages[i].entry = -1;
	for (size_t t = c.nentries; t-- > 0;)
		if (c.entries[t].page > 0 && doc->pages[c.entries[t].page].front == BK_FRONT_CONTENTS)
			doc->pages[c.entries[t].page].entry = ent[c.entries[t].entry].part;
	make_marks(doc);
	pg_book_notes_marks(doc, b); /* kinds.c */

	free(c.entries);
	cp_free_lines(&c, 0);
	free(c.lines);
	tx_hyph_free(c.hyph);
	cp_lang_hyph_free(&c);
	cp_tell_wraps(&c);
	cp_missing_tell_rest(&c);
	free(pg.seq);
	free(pg.runs);
	free(pg.plain_to);
	free(pg.heads_upto);
	assert(!c.scratch.head); /* each paragraph released its scratch */
	assert(!pg.part.head); /* each part released its lists */
	fit_arrays(doc);
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
