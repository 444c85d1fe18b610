/*
 * doc.c - a doc's lifetime (layout.h): freed here, apart from page.c,
 * which makes it, so that parallel.c, which page.c calls, may free a
 * second run's doc without calling back into page.c.
 */
#include "layout-int.h"

#include <stdlib.h>

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
