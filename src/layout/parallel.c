/*
 * parallel.c - the main matter's parts set on two threads, joined in
 * their order: the one place the layout uses a second thread (through
 * src/util/jobs.h), and the doc it returns is the one a single thread
 * makes, byte for byte. The build asks for it (jobs > 1) only for a book
 * of JOBS_MIN_BYTES of Markdown or more (src/util/jobs.h's jobs_for):
 * on a smaller one the second thread costs more than it saves.
 *
 * Each essay opens on a recto, so its pages do not depend on how many
 * came before: the parts are cut in two runs of about equal size; this
 * thread sets the first with its composer, a second the other with a
 * composer of its own (its own doc, diagnostics in memory, a fork of
 * the fonts and of the hyphenation patterns). The join appends the
 * second run's pages, outline, line records, counts and messages to the
 * first's, with their page indexes and paragraph numbers shifted, as
 * join_front (page.c) shifts the main matter behind the front.
 *
 * What the first run leaves to the second in a single thread - the texts
 * kept for glyphs reached by their number (src/text/shape.c), the
 * characters no font has told at their first three places, a face's
 * missing small capitals told once, a page break owed, the page count's
 * parity when the second run does not open on a recto - is checked at
 * the join. Where the second run could have come out otherwise, it is
 * not guessed at: its parts are set again here, after the first's, as a
 * single thread sets them. Everything else is single-threaded.
 */
#define _POSIX_C_SOURCE 200809L
#include "layout-int.h"
#include "../util/jobs.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* More languages than this in a book (its own and its passages'), and the
 * order in which their patterns load could matter: text/hyphen.c keeps
 * eight dictionaries. */
#define MAX_LANGS 6

/* ===== what the parts hold ============================================= */

/* A part's size in bytes of text, and the languages of its passages. */
struct survey {
	size_t bytes;
	const char **langs; /* distinct (case aside), malloc'd */
	size_t nlangs, cap;
};

static void add_lang(struct survey *s, const char *lang)
{
	if (!lang || !*lang)
		return;
	for (size_t i = 0; i < s->nlangs; i++)
		if (!strcasecmp(s->langs[i], lang))
			return;
	GROW(s->langs, s->cap, s->nlangs + 1);
	s->langs[s->nlangs++] = lang;
}

static void survey_spans(struct survey *s, const struct bk_span *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s->bytes += v[i].len;
		add_lang(s, v[i].lang);
	}
}

static void survey_blocks(struct survey *s, const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		survey_spans(s, b->spans, b->nspans);
		survey_spans(s, b->caption, b->ncaption);
		if (b->text)
			s->bytes += strlen(b->text);
		add_lang(s, b->lang);
		survey_blocks(s, b->kids, b->nkids);
	}
}

static void survey_part(struct survey *s, const struct bk_part *p)
{
	survey_blocks(s, p->blocks, p->nblocks);
	for (size_t i = 0; i < p->nnotes; i++)
		survey_blocks(s, p->notes[i].kids, p->notes[i].nkids);
}

/* ===== the second run ================================================== */

struct run {
	struct composer *c;
	const size_t *order;
	size_t from, to;
	cp_set_run_fn *set_run;
	bool recto; /* its first part opens on a recto (set_run) */
};

static void run_job(void *arg)
{
	struct run *r = arg;
	r->recto = r->set_run(r->c, r->order, r->from, r->to);
	/* Its pages' texts hashed here, on its thread: 95 M instructions
	 * the main thread made alone after the join on the Node.js docs. */
	pg_hash_texts(r->c->doc);
}

static void free_composer(struct composer *k);

/* Makes k a composer for the second run: c's settings as they are now,
 * with a doc, diagnostics d, fonts and patterns of its own, and the
 * patterns of the passages sv lists loaded. Returns false, k holding
 * nothing, when c's state cannot be shared so. */
static bool fork_composer(struct composer *k, const struct composer *c, struct diag *d,
			  const struct survey *sv)
{
	struct tx_hyph *hyph = NULL;
	if (c->hyph && !(hyph = tx_hyph_fork(c->hyph)))
		return false;
	*k = *c;
	k->hyph = hyph;
	struct pg_doc *doc = xcalloc(1, sizeof(*doc));
	ar_init(&doc->arena);
	doc->page_w = c->doc->page_w;
	doc->page_h = c->doc->page_h;
	doc->grid = c->doc->grid;
	doc->lean = c->doc->lean;
	doc->quoted = c->doc->quoted;
	k->doc = doc;
	k->d = d;
	k->f = tx_fonts_fork(c->f);
	k->lang_hyph = NULL;
	k->nlang_hyph = k->lang_hyph_cap = 0;
	k->wraps = NULL;
	k->nwraps = k->wraps_cap = 0;
	k->miss = NULL;
	k->nmiss = k->miss_cap = 0;
	ar_init(&k->scratch);
	k->lines = NULL;
	k->nlines = k->lines_cap = 0;
	k->entries = NULL;
	k->nentries = k->entries_cap = 0;
	k->part_page = ar_alloc(&doc->arena, (c->b->nparts + 1) * sizeof(size_t));
	for (size_t i = 0; i <= c->b->nparts; i++)
		k->part_page[i] = SIZE_MAX; /* not set */
	k->forked = false; /* (so that cp_hyph_for loads, here) */
	k->unsure = false;
	/* Its passages' patterns, loaded here: text/hyphen.c's cache is
	 * this thread's. */
	for (size_t i = 0; i < sv->nlangs; i++) {
		struct tx_hyph *h = cp_hyph_for(k, sv->langs[i]);
		struct tx_hyph *probe = h ? tx_hyph_fork(h) : NULL;
		tx_hyph_free(probe);
		if (h && !probe) {
			free_composer(k);
			return false;
		}
	}
	k->forked = true;
	return true;
}

/* Frees what fork_composer made, and what the run left. */
static void free_composer(struct composer *k)
{
	cp_lang_hyph_free(k);
	tx_hyph_free(k->hyph);
	free(k->wraps);
	free(k->miss);
	cp_free_lines(k, 0);
	free(k->lines);
	free(k->entries);
	assert(!k->scratch.head);
	pg_doc_free(k->doc);
	tx_fonts_free(k->f);
	memset(k, 0, sizeof(*k));
}

/* ===== the join ======================================================== */

static bool has_miss(const struct composer *c, uint32_t cp)
{
	for (size_t i = 0; i < c->nmiss; i++)
		if (c->miss[i].cp == cp)
			return true;
	return false;
}

/* Whether the first run's composer c left the second run k what k began
 * with (c's as both began; warned0: the faces told of then): then k's
 * pages are those a single thread makes. recto: k's first part opens on
 * a recto. */
static bool same_start(const struct composer *c, const bool *warned0, const struct composer *k,
		       bool recto)
{
	if (k->unsure || c->pending_break || (c->doc->npages % 2 && !recto))
		return false;
	for (int i = 0; i < TX_NFACES; i++)
		if (k->smcp_warned[i] && !warned0[i] && c->smcp_warned[i])
			return false;
	for (size_t i = 0; i < k->nmiss; i++)
		if (has_miss(c, k->miss[i].cp))
			return false;
	/* A code line told as wrapped is looked for among the last told,
	 * by file (code.c's told). */
	if (c->nwraps && k->nwraps && c->wraps[c->nwraps - 1].path == k->wraps[0].path)
		return false;
	return c->doc->nlangs + k->doc->nlangs < OP_LANG_MAX;
}

/* Appends the second run's doc e (its composer k) to c's: pages after a
 * blank verso when c's count is odd (k's first part opens on a recto,
 * which a single thread would have put after one), indexes shifted. */
static void append_doc(struct composer *c, struct composer *k, int serial0)
{
	struct pg_doc *doc = c->doc, *e = k->doc;
	if (doc->npages % 2) {
		GROW(doc->pages, doc->pages_cap, doc->npages + 1);
		memset(&doc->pages[doc->npages], 0, sizeof(*doc->pages));
		doc->pages[doc->npages++].part = -1; /* as page.c's new_page */
	}
	size_t off = doc->npages;
	/* The languages of its passages, as numbered in c's doc. */
	size_t *lang = xmalloc((e->nlangs + 1) * sizeof(*lang));
	for (size_t i = 0; i < e->nlangs; i++) {
		lang[i] = cp_lang_index(doc, e->langs[i]);
		assert(lang[i] != SIZE_MAX); /* same_start: fewer than OP_LANG_MAX */
	}
	GROW(doc->pages, doc->pages_cap, doc->npages + e->npages);
	for (size_t i = 0; i < e->npages; i++) {
		struct pg_page *pg = &doc->pages[doc->npages++];
		*pg = e->pages[i];
		for (size_t t = 0; t < pg->nlinks; t++) {
			struct pg_link *ln = &pg->links[t];
			if (ln->dest_page >= 0)
				ln->dest_page += (int)off;
			if (ln->role == PG_ROLE_LANG && ln->ref >= 0 && (size_t)ln->ref < e->nlangs)
				ln->ref = (int32_t)lang[ln->ref];
			if (ln->role == PG_ROLE_WORD)
				ln->ref += (int32_t)doc->hyphenated;
		}
		for (size_t t = 0; t < pg->ntags; t++) {
			struct pg_tag *g = &pg->tags[t];
			if (g->role == PG_ROLE_LANG && g->ref >= 0 && (size_t)g->ref < e->nlangs)
				g->ref = (int32_t)lang[g->ref];
			if (g->role == PG_ROLE_WORD && g->lang)
				g->lang = (uint16_t)(lang[g->lang - 1] + 1);
			/* A hyphenated word's pieces are numbered by the doc's
			 * count of hyphenated lines (compose.c): the second
			 * run's follow the first's. */
			if (g->role == PG_ROLE_WORD)
				g->ref += (int32_t)doc->hyphenated;
		}
	}
	free(lang);
	GROW(doc->outline, doc->outline_cap, doc->noutline + e->noutline);
	for (size_t i = 0; i < e->noutline; i++) {
		doc->outline[doc->noutline] = e->outline[i];
		doc->outline[doc->noutline++].page += (int)off;
	}
	GROW(doc->linev, doc->linev_cap, doc->nlinev + e->nlinev);
	int serials = c->para_serial - serial0;
	for (size_t i = 0; i < e->nlinev; i++) {
		struct pg_line *l = &doc->linev[doc->nlinev++];
		*l = e->linev[i];
		if (l->page >= 0)
			l->page += (int)off;
		l->para += serials;
	}
	doc->lines += e->lines;
	doc->overfull += e->overfull;
	doc->hyphenated += e->hyphenated;
	doc->long_pages += e->long_pages;
	doc->short_pages += e->short_pages;
	doc->code_wrapped += e->code_wrapped;
	doc->code_stepped += e->code_stepped;
	for (size_t i = 0; i < c->b->nparts; i++)
		if (k->part_page[i] != SIZE_MAX)
			c->part_page[i] = k->part_page[i] + off;
	c->para_serial += k->para_serial - serial0;
	ar_adopt(&doc->arena, &e->arena);
	free(e->pages);
	free(e->outline);
	free(e->linev);
	free(e);
	k->doc = NULL;
}

/* The second run's state after c's: its told characters, wrapped code
 * lines and warned faces follow the first run's (same_start found them
 * apart). */
static void append_state(struct composer *c, struct composer *k)
{
	for (size_t i = 0; i < k->nmiss; i++) {
		GROW(c->miss, c->miss_cap, c->nmiss + 1);
		c->miss[c->nmiss++] = k->miss[i];
	}
	for (size_t i = 0; i < k->nwraps; i++) {
		GROW(c->wraps, c->wraps_cap, c->nwraps + 1);
		c->wraps[c->nwraps++] = k->wraps[i];
	}
	for (int i = 0; i < TX_NFACES; i++)
		c->smcp_warned[i] |= k->smcp_warned[i];
	c->pending_break = k->pending_break;
	c->part = k->part;
	c->part_index = k->part_index;
	c->cur_block = k->cur_block;
	if (!c->opener_known && k->opener_known) {
		c->opener_known = true;
		c->opener_deepest = k->opener_deepest;
	}
}

/* ===== the seam ======================================================== */

/* A part's size in bytes of text. */
static size_t part_bytes(const struct bk_part *p)
{
	struct survey s = {0};
	survey_part(&s, p);
	free(s.langs);
	return s.bytes;
}

/* Where to cut order[0, to) so that each run has about half the text:
 * the first reading index of the second run, or 0 for no cut (fewer
 * than two parts of main matter). */
static size_t cut_at(const struct book *b, const size_t *order, size_t to)
{
	size_t total = 0, nmain = 0;
	for (size_t r = 0; r < to; r++)
		if (!b->parts[order[r]].front) {
			total += part_bytes(&b->parts[order[r]]);
			nmain++;
		}
	if (nmain < 2)
		return 0;
	size_t sum = 0, last = 0;
	bool seen = false;
	for (size_t r = 0; r < to; r++) {
		if (b->parts[order[r]].front)
			continue;
		size_t n = part_bytes(&b->parts[order[r]]);
		/* the part astride the middle goes where more of it is */
		if (seen && sum + n / 2 > total / 2)
			return r;
		sum += n;
		seen = true;
		last = r;
	}
	return last;
}

/* Whether a second run may begin at cut: its passages' languages (in sv)
 * and the book's together are few, and c has told nothing yet that a
 * run must know of. */
static bool may_cut(const struct composer *c, const size_t *order, size_t cut, size_t to,
		    struct survey *sv)
{
	const struct book *b = c->b;
	struct survey all = {0};
	for (size_t r = 0; r < b->nparts; r++)
		survey_part(r >= cut && r < to ? sv : &all, &b->parts[order[r]]);
	for (size_t i = 0; i < sv->nlangs; i++)
		add_lang(&all, sv->langs[i]);
	bool ok = all.nlangs + 1 <= MAX_LANGS && !c->nmiss && !c->nwraps && !c->pending_break;
	free(all.langs);
	return ok;
}

void cp_set_parallel(struct composer *c, const size_t *order, size_t to, int jobs,
		     cp_set_run_fn *set_run)
{
	size_t cut = jobs > 1 && !c->forked ? cut_at(c->b, order, to) : 0;
	struct survey sv = {0};
	struct composer k;
	struct diag_fork dk; /* the second run's messages, after the first's */
	bool forked = cut && may_cut(c, order, cut, to, &sv) && diag_fork_init(&dk, c->d);
	if (forked && !fork_composer(&k, c, &dk.d, &sv)) {
		diag_fork_release(&dk);
		forked = false;
	}
	free(sv.langs);
	if (!forked) {
		set_run(c, order, 0, to);
		return;
	}
	bool warned0[TX_NFACES];
	memcpy(warned0, c->smcp_warned, sizeof(warned0));
	int serial0 = c->para_serial;
	struct run first = {c, order, 0, cut, set_run, false};
	struct run second = {&k, order, cut, to, set_run, false};
	struct job v[2] = {{run_job, &first}, {run_job, &second}};
	jobs_run(v, 2, 2);
	bool same = same_start(c, warned0, &k, second.recto);
	if (same) {
		same = tx_fonts_join(c->f, k.f);
		k.f = NULL; /* freed by the join */
	}
	if (!same) {
		/* Not guessed at: the second run's parts set again here. */
		free_composer(&k);
		diag_fork_release(&dk);
		set_run(c, order, cut, to);
		return;
	}
	append_doc(c, &k, serial0);
	c->doc->runs = 2;
	append_state(c, &k);
	diag_fork_join(c->d, &dk);
	free_composer(&k);
}
