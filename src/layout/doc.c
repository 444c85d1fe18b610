/*
 * doc.c - a doc's lifetime (layout.h): freed here, apart from page.c,
 * which makes it, so that parallel.c, which page.c calls, may free a
 * second run's doc, and hash its pages' texts on its own thread
 * (pg_hash_texts), without calling back into page.c.
 */
#include "layout-int.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* FNV-1a over a page's texts (struct pg_page's text_hash). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

/* llround(v), without the call: the Node.js docs' 1.2 million of them
 * cost 32 M instructions on the build's critical path. v less its
 * truncation is exact, so the halves round away from zero as llround's
 * do; a value too big for that (never a page's) goes to llround. */
static long long round_away(double v)
{
	if (!(fabs(v) < 4e15))
		return llround(v);
	long long k = (long long)v;
	double f = v - (double)k;
	return f >= 0.5 ? k + 1 : f <= -0.5 ? k - 1 : k;
}

/* pg's text_hash, its texts from pg->hashed on folded in. */
static uint64_t text_hash(const struct pg_page *pg)
{
	uint64_t h = pg->hashed ? pg->text_hash : 0xcbf29ce484222325ULL;
	assert(pg->hashed <= pg->ntexts);
	for (size_t i = pg->hashed; i < pg->ntexts; i++) {
		const struct pg_text *t = &pg->texts[i];
		long long v[4] = {t->face, round_away(t->size * 100.0), round_away(t->x * 100.0),
				  round_away(t->y * 100.0)};
		h = fnv(h, v, sizeof(v));
		h = fnv(h, t->text, t->len);
		h = fnv(h, "", 1);
	}
	return h;
}

void pg_hash_texts(struct pg_doc *doc)
{
	for (size_t i = 0; i < doc->npages; i++) {
		struct pg_page *p = &doc->pages[i];
		p->text_hash = text_hash(p);
		p->hashed = p->ntexts;
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
		free(doc->pages[i].tags);
	}
	free(doc->pages);
	free(doc->outline);
	free(doc->linev);
	ar_release(&doc->arena);
	free(doc);
}
