/*
 * anchors.c - links inside the book: "#heading", "other.md#heading" and
 * "other.md", resolved to the part and heading they name. A heading is
 * named by its anchor (its {#id}, else GitHub's id for its words), by
 * pandoc's id for its words, or by the id the editions give it (the
 * part's id and the anchor, as older books wrote them).
 */
#include "book.h"
#include "dialect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ===== parts and URLs ================================================ */

const struct bk_part *bk_part_by_file(const struct book *b, const char *file, size_t n)
{
	while (n >= 2 && file[0] == '.' && file[1] == '/')
		file += 2, n -= 2;
	for (size_t i = 0; i < b->nparts; i++) {
		const char *f = b->parts[i].file;
		if (f && strlen(f) == n && !memcmp(f, file, n))
			return &b->parts[i];
	}
	return NULL;
}

bool bk_url_has_scheme(const char *url)
{
	if (!isalpha((unsigned char)url[0]))
		return false;
	const char *p = url + 1;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* ===== headings ====================================================== */

/* Whether frag names the part's title (its "# Title" heading, which
 * became the title), by GitHub's or pandoc's rule. */
static bool names_title(const struct bk_part *p, const char *frag, size_t n)
{
	if (!p->title)
		return false;
	char buf[256];
	size_t k = md_slug_github(p->title, buf, sizeof(buf));
	if (k == n && !memcmp(buf, frag, n))
		return true;
	k = md_slug_pandoc(p->title, buf, sizeof(buf));
	return k == n && !memcmp(buf, frag, n);
}

static bool names(const struct bk_block *b, const char *frag, size_t n)
{
	const char *ids[] = {b->anchor, b->anchor2, b->id};
	for (size_t i = 0; i < 3; i++)
		if (ids[i] && strlen(ids[i]) == n && !memcmp(ids[i], frag, n))
			return true;
	return false;
}

static const struct bk_block *find_in(const struct bk_block *v, size_t nv, const char *frag,
				      size_t n)
{
	for (size_t i = 0; i < nv; i++) {
		if (v[i].kind == BK_HEADING && names(&v[i], frag, n))
			return &v[i];
		const struct bk_block *k = find_in(v[i].kids, v[i].nkids, frag, n);
		if (k)
			return k;
	}
	return NULL;
}

static void put_names(struct bk_part *p, const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == BK_HEADING) {
			const char *ids[] = {v[i].anchor, v[i].anchor2, v[i].id};
			for (size_t k = 0; k < 3; k++)
				if (ids[k]) /* the first of a name wins */
					hmap_put(&p->anchors, ids[k], strlen(ids[k]), (void *)&v[i]);
		}
		put_names(p, v[i].kids, v[i].nkids);
	}
}

void bk_index_anchors(struct arena *a, struct bk_part *p)
{
	hmap_init_arena(&p->anchors, a);
	put_names(p, p->blocks, p->nblocks);
	for (size_t k = 0; k < p->nnotes; k++)
		put_names(p, p->notes[k].kids, p->notes[k].nkids);
}

static const struct bk_block *find_heading(const struct bk_part *p, const char *frag, size_t n)
{
	if (!p->anchors.n) { /* a part not indexed (or without names): walk it */
		const struct bk_block *h = find_in(p->blocks, p->nblocks, frag, n);
		for (size_t k = 0; k < p->nnotes && !h; k++)
			h = find_in(p->notes[k].kids, p->notes[k].nkids, frag, n);
		return h;
	}
	return hmap_get(&p->anchors, frag, n);
}

/*
 * The heading whose label is frag: the word(s) before a colon that open
 * its text ("DEP0111" of "### DEP0111: process.binding()"), compared
 * without regard to case. Node's docs link deprecations so (#DEP0111),
 * as its own tools name those headings. Walked only for a link nothing
 * else resolved.
 */
static const struct bk_block *find_label(const struct bk_block *v, size_t nv, const char *frag,
					 size_t n)
{
	for (size_t i = 0; i < nv; i++) {
		const struct bk_block *b = &v[i];
		if (n && b->kind == BK_HEADING && b->nspans && b->spans[0].kind == BK_SPAN_TEXT) {
			const struct bk_span *s = &b->spans[0];
			if (s->len > n && s->text[n] == ':' && !strncasecmp(s->text, frag, n))
				return b;
		}
		const struct bk_block *k = find_label(b->kids, b->nkids, frag, n);
		if (k)
			return k;
	}
	return NULL;
}

const struct bk_block *bk_find_heading(const struct bk_part *p, const char *frag, size_t n)
{
	const struct bk_block *h = find_heading(p, frag, n);
	/* "x_1": the second "x" as some tools number them (Node's docs);
	 * GitHub writes "x-1". */
	size_t d = n;
	while (d > 0 && frag[d - 1] >= '0' && frag[d - 1] <= '9')
		d--;
	if (!h && d > 1 && d < n && frag[d - 1] == '_' && n < 256) {
		char alt[256];
		memcpy(alt, frag, n);
		alt[d - 1] = '-';
		h = find_heading(p, alt, n);
	}
	if (!h)
		h = find_label(p->blocks, p->nblocks, frag, n);
	return h;
}

enum bk_link bk_resolve_link(const struct book *b, const struct bk_part *self, const char *url,
			     const struct bk_part **part, const struct bk_block **heading)
{
	*part = NULL;
	*heading = NULL;
	if (bk_url_has_scheme(url))
		return BK_LINK_OUTSIDE;
	const char *hash = strchr(url, '#');
	const char *frag = hash ? hash + 1 : NULL;
	size_t flen = hash ? (size_t)(hash - url) : strlen(url);
	size_t fraglen = frag ? strlen(frag) : 0;
	if (!*url)
		return BK_LINK_NO_PART;
	if (flen == 0) {
		/* "#x": a heading of this part, else (an edition's id) of any */
		if (self && (*heading = bk_find_heading(self, frag, fraglen))) {
			*part = self;
			return BK_LINK_OK;
		}
		if (self && names_title(self, frag, fraglen)) {
			*part = self;
			return BK_LINK_OK;
		}
		for (size_t i = 0; i < b->nparts; i++) {
			const struct bk_part *p = &b->parts[i];
			if (strlen(p->id) == fraglen && !memcmp(p->id, frag, fraglen)) {
				*part = p;
				return BK_LINK_OK;
			}
			const struct bk_block *h = bk_find_heading(p, frag, fraglen);
			if (h && h->id && strlen(h->id) == fraglen && !memcmp(h->id, frag, fraglen)) {
				*part = p;
				*heading = h;
				return BK_LINK_OK;
			}
		}
		return BK_LINK_NO_HEADING;
	}
	*part = bk_part_by_file(b, url, flen);
	/* "x.html": the page a Markdown part "x.md" becomes on the web */
	if (!*part && flen > 5 && flen < 250 && !memcmp(url + flen - 5, ".html", 5)) {
		char md[256];
		snprintf(md, sizeof(md), "%.*s.md", (int)(flen - 5), url);
		*part = bk_part_by_file(b, md, strlen(md));
	}
	if (!*part)
		return BK_LINK_NO_PART;
	if (!fraglen || names_title(*part, frag, fraglen))
		return BK_LINK_OK;
	if (strlen((*part)->id) == fraglen && !memcmp((*part)->id, frag, fraglen))
		return BK_LINK_OK;
	*heading = bk_find_heading(*part, frag, fraglen);
	return *heading ? BK_LINK_OK : BK_LINK_NO_HEADING;
}

/* Levenshtein distance, at most cap (+1 when over it). */
static size_t distance(const char *a, const char *b, size_t cap)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > nb + cap || nb > na + cap || nb >= 256)
		return cap + 1;
	size_t row[257];
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0], best = row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t v = diag + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (up + 1 < v)
				v = up + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[nb];
}

static void nearest_in(const struct bk_block *v, size_t nv, const char *frag, const char **best,
		       size_t *bd)
{
	for (size_t i = 0; i < nv; i++) {
		if (v[i].kind == BK_HEADING && v[i].anchor) {
			size_t d = distance(v[i].anchor, frag, *bd);
			if (d < *bd) {
				*bd = d;
				*best = v[i].anchor;
			}
		}
		nearest_in(v[i].kids, v[i].nkids, frag, best, bd);
	}
}

const char *bk_nearest_anchor(const struct bk_part *p, const char *frag)
{
	const char *best = NULL;
	size_t bd = strlen(frag) / 3 + 1;
	nearest_in(p->blocks, p->nblocks, frag, &best, &bd);
	return best;
}

/* ===== divs' classes ===================================================== */

const char *const bk_div_styles[] = {"epigraph", "dedication", "aside",	"centered",
				     "noindent", "pagebreak",  "plain", NULL};

bool bk_div_like(const struct bk_style *st, const char *const *cls, size_t n, const char *like)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(cls[i], like))
			return true;
		for (size_t k = 0; st && k < st->ndivs; k++)
			if (!strcmp(st->div_class[k], cls[i]) && !strcmp(st->div_like[k], like))
				return true;
	}
	return false;
}
