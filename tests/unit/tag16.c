/* tag16.c - what the layout says each piece on a page is, for the tagged
 * PDF (struct pg_tag, layout.h): runs well formed, every piece of the book's
 * text in a run whose tag the book holds, artifacts only where the layout
 * draws for itself. */
#include "unit/unit.h"

#include "layout/layout-int.h"

#include <stdlib.h>
#include <string.h>

UNIT_TEST(tag16_runs_merge)
{
	struct pg_page pg = {0};
	struct pg_text t = {"a", 0, 0, 10, 1, 1, 0, 0};
	int x = 0, y = 0; /* two distinct tags */
	pg_page_tag(&pg, &x, PG_ROLE_BODY, 0);
	pg_page_tag(&pg, &y, PG_ROLE_BODY, 0); /* replaces the empty run before it */
	GROW(pg.texts, pg.texts_cap, 4);
	pg.texts[pg.ntexts++] = t;
	pg_page_tag(&pg, &y, PG_ROLE_BODY, 0); /* the same: no new run */
	pg.texts[pg.ntexts++] = t;
	pg_page_tag(&pg, &y, PG_ROLE_LINK, 3);
	pg.texts[pg.ntexts++] = t;
	UCHECK(pg.ntags == 2, "two runs, not %zu", pg.ntags);
	UCHECK(pg.ntags == 2 && pg.tags[0].tag == &y && pg.tags[0].from == 0 &&
		       pg.tags[1].from == 2 && pg.tags[1].role == PG_ROLE_LINK && pg.tags[1].ref == 3,
	       "runs: the second tag from text 0, the link from text 2");
	free(pg.texts);
	free(pg.tags);
}

/* Whether p is a block, note or part of b (or a part's title string). */
struct known {
	const void **v;
	size_t n, cap;
};

static void know(struct known *k, const void *p)
{
	GROW(k->v, k->cap, k->n + 1);
	k->v[k->n++] = p;
}

static void know_blocks(struct known *k, const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		know(k, &v[i]);
		know_blocks(k, v[i].kids, v[i].nkids);
	}
}

static bool known(const struct known *k, const void *p)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i] == p)
			return true;
	return false;
}

UNIT_TEST(tag16_every_piece_tagged)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load("tests/books/tagged", ".", &d);
	UCHECK(b != NULL, "the tagged test book loads");
	if (!b)
		return;
	struct tx_fonts *f = tx_fonts_load(&b->style, b->meta.language, &d);
	struct pg_doc *doc = f ? pg_compose(b, f, &d) : NULL;
	UCHECK(doc != NULL, "the tagged test book lays out");
	struct known k = {0};
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		know(&k, p);
		know(&k, p->title);
		know_blocks(&k, p->blocks, p->nblocks);
		for (size_t n = 0; n < p->nnotes; n++) {
			know(&k, &p->notes[n]);
			know_blocks(&k, p->notes[n].kids, p->notes[n].nkids);
		}
	}
	size_t bad_runs = 0, untagged = 0, unknown = 0, words = 0, images = 0, links = 0;
	for (size_t i = 0; doc && i < doc->npages; i++) {
		const struct pg_page *pg = &doc->pages[i];
		for (size_t r = 0; r < pg->ntags; r++) {
			const struct pg_tag *t = &pg->tags[r];
			size_t end = r + 1 < pg->ntags ? pg->tags[r + 1].from : pg->ntexts;
			if (t->from >= end || end > pg->ntexts)
				bad_runs++; /* runs are non-empty and in order */
			bool artifact = t->role == PG_ROLE_ARTIFACT || t->role == PG_ROLE_PAGINATION;
			if (!artifact && !t->tag)
				untagged++;
			/* An essay's page: its pieces come from the book (front
			 * matter the layout sets has its own strings). */
			if (!artifact && pg->part >= 0 && t->role != PG_ROLE_P && !known(&k, t->tag))
				unknown++;
			words += t->role == PG_ROLE_WORD;
		}
		if (pg->ntexts && (!pg->ntags || pg->tags[0].from != 0))
			untagged++; /* every text in a run */
		for (size_t m = 0; m < pg->nimages; m++) {
			const struct bk_block *fig = pg->images[m].tag;
			images += known(&k, fig) && fig->kind == BK_FIGURE;
		}
		for (size_t m = 0; m < pg->nlinks; m++)
			links += pg->links[m].tag && (pg->links[m].role == PG_ROLE_LINK ||
						      pg->links[m].role == PG_ROLE_NOTEREF ||
						      pg->links[m].role == PG_ROLE_TOCI);
		for (size_t m = 0; m < pg->nlinks; m++)
			links -= !pg->links[m].tag;
	}
	size_t nlinks = 0;
	for (size_t i = 0; doc && i < doc->npages; i++)
		nlinks += doc->pages[i].nlinks;
	UCHECK(bad_runs == 0, "%zu runs empty or out of order", bad_runs);
	UCHECK(untagged == 0, "%zu pieces of content with no tag", untagged);
	UCHECK(unknown == 0, "%zu runs on essays' pages tagged with what the book does not hold",
	       unknown);
	UCHECK(words >= 2, "a word hyphenated across lines is two WORD runs (%zu)", words);
	UCHECK(images == 2, "both figures' images tagged with their figure blocks (%zu)", images);
	UCHECK(nlinks > 0 && links == nlinks, "every link tagged (%zu of %zu)", links, nlinks);
	free(k.v);
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	diag_free_source_cache();
}
