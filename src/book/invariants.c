/*
 * invariants.c - the book's invariants (book.h), asserted once a book has
 * loaded without errors. A failure here is a bug of ours, never the
 * user's: their mistakes are reported (struct diag) before this runs.
 * Built without NDEBUG (see the Makefile), so the release build checks
 * them too; the walk is linear in the book, well under a millisecond for
 * the edition.
 */
#include "book-int.h"

#include <assert.h>
#include <string.h>

/* Optional strings are NULL when absent, never "". */
static void optional(const char *s)
{
	assert(!s || *s);
	(void)s;
}

static void spans(const struct bk_part *p, const struct bk_span *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert(v[i].line >= 1 && v[i].col >= 1);
		assert(v[i].text || !v[i].len);
		assert(v[i].link == -1 || (v[i].link >= 0 && (size_t)v[i].link < p->nlinks));
		assert(v[i].kind != BK_SPAN_NOTEREF ||
		       (v[i].note >= 0 && (size_t)v[i].note < p->nnotes));
		assert(v[i].kind != BK_SPAN_IMAGE || v[i].img);
		(void)p;
	}
}

/* A table's rows of ncols cells, each span inside the grid and its row
 * group, its places covered and nothing else. */
static void grid(const struct bk_block *t)
{
	for (size_t r = 0; r < t->nkids; r++) {
		const struct bk_block *row = &t->kids[r];
		assert(row->kind == BK_ROW && row->nkids == (size_t)t->ncols);
		for (size_t k = 0; k < row->nkids; k++) {
			const struct bk_block *c = &row->kids[k];
			assert(c->kind == BK_CELL && c->colspan >= 1 && c->rowspan >= 1);
			assert(k + (size_t)c->colspan <= row->nkids && r + (size_t)c->rowspan <= t->nkids);
			for (size_t i = r; !(c->flags & BK_COVERED) && i < r + (size_t)c->rowspan; i++)
				for (size_t j = k; j < k + (size_t)c->colspan; j++) {
					const struct bk_block *o = &t->kids[i].kids[j];
					assert((i == r && j == k) == !(o->flags & BK_COVERED));
					assert((t->kids[i].flags & BK_HEADER_ROW) ==
					       (row->flags & BK_HEADER_ROW));
					(void)o;
				}
		}
	}
}

static void blocks(const struct bk_part *p, const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		assert(b->line >= 1 && b->col >= 1);
		assert(b->kind != BK_HEADING || b->id);
		assert(b->kind != BK_FIGURE || b->img);
		assert(b->kind != BK_TABLE || (b->aligns && strlen(b->aligns) == (size_t)b->ncols));
		if (b->kind == BK_TABLE)
			grid(b);
		spans(p, b->spans, b->nspans);
		spans(p, b->caption, b->ncaption);
		blocks(p, b->kids, b->nkids);
	}
}

void bk_assert_invariants(const struct book *b)
{
	const struct bk_meta *m = &b->meta;
	assert(m->title && *m->title && m->slug && *m->slug && strlen(m->slug) <= BK_SLUG_MAX);
	const char *opt[] = {m->subtitle, m->publisher, m->edition, m->date, m->revised,
			     m->rights, m->isbn_print, m->isbn_epub, m->description, m->keywords,
			     m->certified_by, m->certifier_credential, m->certifier_report};
	for (size_t i = 0; i < ARRAY_LEN(opt); i++)
		optional(opt[i]);
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		assert(p->path && p->id && p->title);
		optional(p->subtitle);
		optional(p->author);
		optional(p->role);
		blocks(p, p->blocks, p->nblocks);
		for (size_t k = 0; k < p->nnotes; k++) {
			assert(p->notes[k].number == (int)k + 1); /* ordered by number */
			blocks(p, p->notes[k].kids, p->notes[k].nkids);
		}
	}
}
