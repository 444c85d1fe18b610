/*
 * ppi.c - 'octavo check' runs the printer's resolution rules as the build
 * does: every image at the size the layout gives it, under the print
 * profile's least resolution an error, under its wish a warning, at the
 * Markdown's file:line:col (pdf.c's pdf_image_check, the same words).
 * A build makes these findings while writing the PDF; check writes none.
 */
#include "cli.h"

#include "../pdf/pdf.h"

#include <stdlib.h>

struct seen {
	const struct book *b;
	const struct pg_doc *doc;
	const struct print_profile *p;
	struct diag *d;
	const struct bk_image **v;
	size_t n, cap;
	int errors;
};

/* img at its first placing in the layout, checked once. */
static void one(struct seen *s, const struct bk_part *part, const struct bk_image *img, int line,
		int col)
{
	if (!img)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == img)
			return;
	GROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = img;
	for (size_t i = 0; i < s->doc->npages; i++) {
		const struct pg_page *pg = &s->doc->pages[i];
		for (size_t k = 0; k < pg->nimages; k++)
			if (pg->images[k].img == img) {
				s->errors += pdf_image_check(img, pg->images[k].w, pg->images[k].h,
							     s->p, s->b->style.min_image_ppi,
							     part->path, line, col, s->d);
				return;
			}
	}
}

static void blocks(struct seen *s, const struct bk_part *part, const struct bk_block *v,
		   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->kind == BK_FIGURE)
			one(s, part, b->img, b->line, b->col);
		for (size_t k = 0; k < b->nspans; k++)
			if (b->spans[k].kind == BK_SPAN_IMAGE)
				one(s, part, b->spans[k].img, b->spans[k].line, b->spans[k].col);
		blocks(s, part, b->kids, b->nkids);
	}
}

int cli_check_images(const struct book *b, const struct pg_doc *doc,
		     const struct print_profile *p, struct diag *d)
{
	if (!doc || !(p ? p->min_ppi : b->style.min_image_ppi))
		return 0;
	struct seen s = {.b = b, .doc = doc, .p = p, .d = d};
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *part = &b->parts[i];
		blocks(&s, part, part->blocks, part->nblocks);
		for (size_t k = 0; k < part->nnotes; k++)
			blocks(&s, part, part->notes[k].kids, part->notes[k].nkids);
	}
	free(s.v);
	return s.errors;
}
