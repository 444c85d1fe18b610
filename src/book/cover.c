/*
 * cover.c - what book.yaml and the style say for the wrap cover: the paper
 * ('paper:' - white, cream, or as a paper merchant gives it: a page's
 * thickness, or pages per inch; the spine is the page count times it, in
 * src/layout/cover.c) and the front's picture ('cover-image:').
 */
#define _POSIX_C_SOURCE 200809L
#include "book-int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The thinnest and thickest page octavo believes: bible paper is about
 * 0.0015 in a page, heavy art paper 0.006. */
#define PAPER_MIN 0.0005
#define PAPER_MAX 0.02

void bk_paper_parse(const struct ynode *n, const char *path, struct bk_paper *out,
		    struct diag *d)
{
	if (!n)
		return;
	struct bk_paper p = {BK_PAPER_DEFAULT, 0, path, {n->line, n->col}};
	const char *s = n->kind == Y_SCALAR ? n->str : NULL;
	if (s && !strcmp(s, "white")) {
		p.kind = BK_PAPER_WHITE;
	} else if (s && !strcmp(s, "cream")) {
		p.kind = BK_PAPER_CREAM;
	} else {
		char *end = NULL;
		errno = 0;
		double v = s ? strtod(s, &end) : 0;
		if (!s || end == s || errno || !isfinite(v) || v <= 0)
			goto bad;
		while (*end == ' ')
			end++;
		if (!*end || !strcmp(end, "in"))
			p.inches = v;
		else if (!strcmp(end, "mm"))
			p.inches = v / 25.4;
		else if (!strcmp(end, "ppi"))
			p.inches = 1 / v; /* pages per inch */
		else
			goto bad;
		if (p.inches < PAPER_MIN || p.inches > PAPER_MAX) {
			diag_error(d, path, n->line, n->col,
				   "'paper' of %.5f in a page is not paper a book is printed on "
				   "(%.4f to %.2f in)",
				   p.inches, PAPER_MIN, PAPER_MAX);
			diag_hint(d, "give one page's thickness (half a leaf), such as '0.0025in', "
				     "'0.064mm' or '400ppi'");
			return;
		}
		p.kind = BK_PAPER_CALIPER;
	}
	*out = p;
	return;
bad:
	diag_error(d, path, n->line, n->col,
		   "'paper' must be white, cream, or a page's thickness such as '0.0025in', "
		   "'0.064mm' or '400ppi'%s%s%s",
		   s ? ", not '" : "", s ? s : "", s ? "'" : "");
}

void bk_cover_image_load(struct book *b, const struct ynode *n, struct diag *d)
{
	const char *src = n ? ystring(&b->arena, n, b->yaml_path, "cover-image", d) : NULL;
	if (!src)
		return;
	char *joined = path_join(b->dir, src);
	const char *roots[] = {b->dir, NULL};
	char *real = NULL;
	struct stat st;
	int fd = bk_open_confined(joined, roots, "cover image", src, b->yaml_path, n->line, n->col,
				  d, &st, &real);
	free(joined);
	if (fd < 0)
		return;
	struct bk_image *img = ar_alloc(&b->arena, sizeof(*img));
	memset(img, 0, sizeof(*img));
	img->src = src;
	img->path = ar_strdup(&b->arena, real);
	img->alt = "";
	free(real);
	if (image_load(&b->arena, img, fd, b->dir, b->style.max_image_pixels, d, b->yaml_path,
		       n->line, n->col) < 0)
		return;
	b->meta.cover_image = img;
	b->meta.at_cover_image = (struct bk_mark){n->line, n->col};
}
