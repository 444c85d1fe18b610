/*
 * frame.c - which figures stand on an opaque white ground, so the EPUB
 * frames them (img.framed in styles/epub.css).
 */
#include "epub-int.h"

#include <string.h>

/* Near white: every sample at least this. */
#define WHITE_MIN 235

static bool white_px(const struct bk_pixels *px, int x, int y)
{
	size_t i = (size_t)y * (size_t)px->width + (size_t)x;
	if (px->alpha && px->alpha[i] < 255)
		return false;
	const unsigned char *c = px->color + i * (size_t)px->colors;
	for (int k = 0; k < px->colors; k++)
		if (c[k] < WHITE_MIN)
			return false;
	return true;
}

/* Whether every pixel on the picture's four edges is opaque near white. */
static bool white_edges(const struct bk_pixels *px)
{
	for (int x = 0; x < px->width; x++)
		if (!white_px(px, x, 0) || !white_px(px, x, px->height - 1))
			return false;
	for (int y = 0; y < px->height; y++)
		if (!white_px(px, 0, y) || !white_px(px, px->width - 1, y))
			return false;
	return true;
}

bool epub_image_white(struct epub *e, const struct bk_image *img)
{
	struct epub_res *r = NULL;
	for (size_t i = 0; i < e->nimages && !r; i++)
		if (!strcmp(e->images[i].path, img->path))
			r = &e->images[i];
	if (r && r->white)
		return r->white > 0;
	bool white = false;
	if (img->edges_known) { /* seen as the book stage checked it */
		white = img->edges_opaque && img->edges_min >= WHITE_MIN;
	} else if (img->media_type && !strcmp(img->media_type, "image/png") && img->width > 0 &&
		   img->height > 0) {
		struct bk_pixels px;
		char why[256];
		if (bk_image_decode(img, &px, why, sizeof(why)) == 0) {
			white = white_edges(&px);
			bk_pixels_release(&px);
		}
	}
	if (r)
		r->white = white ? 1 : -1;
	return white;
}
