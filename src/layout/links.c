/*
 * links.c - the print edition's links inside the book. The layout keeps
 * a link's URL as written; once every page is placed, a URL naming a
 * heading or a part (bk_resolve_link) becomes a link to the page and
 * height where it was set, found through the outline, which records
 * each heading's place.
 */
#include "layout-int.h"

#include <stdlib.h>
#include <string.h>

struct at {
	const struct bk_block *block;
	int page;
	double y;
};

static int cmp_at(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct at *)a)->block,
		  y = (uintptr_t)((const struct at *)b)->block;
	return x < y ? -1 : x > y;
}

void pg_resolve_links(struct pg_doc *doc, const struct book *b, const size_t *part_page)
{
	struct at *v = xmalloc((doc->noutline ? doc->noutline : 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < doc->noutline; i++)
		if (doc->outline[i].block)
			v[n++] = (struct at){doc->outline[i].block, doc->outline[i].page,
					     doc->outline[i].y};
	qsort(v, n, sizeof(*v), cmp_at);
	for (size_t pi = 0; pi < doc->npages; pi++) {
		struct pg_page *pg = &doc->pages[pi];
		for (size_t k = 0; k < pg->nlinks; k++) {
			struct pg_link *ln = &pg->links[k];
			if (!ln->url || bk_url_has_scheme(ln->url))
				continue;
			const struct bk_part *self =
			    pg->part >= 0 && (size_t)pg->part < b->nparts ? &b->parts[pg->part] : NULL;
			const struct bk_part *tp;
			const struct bk_block *hd;
			enum bk_link how = bk_resolve_link(b, self, ln->url, &tp, &hd);
			ln->url = NULL; /* not a web address: inside the book, or nowhere */
			ln->dest_page = -1;
			if (how != BK_LINK_OK && how != BK_LINK_NO_HEADING)
				continue;
			if (!tp)
				continue;
			if (hd) {
				struct at key = {hd, 0, 0};
				const struct at *f = bsearch(&key, v, n, sizeof(*v), cmp_at);
				if (f) {
					ln->dest_page = f->page;
					ln->dest_y = f->y;
					continue;
				}
			}
			size_t ti = (size_t)(tp - b->parts);
			if (ti < b->nparts && part_page[ti] < doc->npages) {
				ln->dest_page = (int)part_page[ti];
				ln->dest_y = b->style.page_h;
			}
		}
	}
	free(v);
}
