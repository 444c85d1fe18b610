/*
 * image-more.c - GIF and SVG images, beside image.c's PNG and JPEG.
 *
 * A GIF is read by giflib: its first frame, on the logical screen, with
 * its transparent colour as alpha. An SVG is read by librsvg: the EPUB
 * keeps the file as it is; the PDF gets it rendered (cairo) at
 * BK_SVG_PPI for a width of BK_SVG_INCHES, wider than any text block, so
 * that it prints at print resolution or better however it is placed.
 * Neither is decoded by hand: the codecs and the rasteriser are the
 * libraries'.
 *
 * librsvg (which brings cairo, GObject, GLib, pango and some forty more
 * libraries) is opened with dlopen on the first SVG, not linked, as
 * cli/cover.c opens poppler: linked, the dynamic loader mapped and
 * relocated 62 libraries at every start, some 15% of the edition's CPU
 * time, for books that mostly have no SVG. Its headers give the types.
 */
#define _DEFAULT_SOURCE
#include "book-int.h"
#include "../util/dl.h"

#include <cairo.h>
#include <gif_lib.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BK_SVG_PPI 300
#define BK_SVG_INCHES 5.0

/* ===== what a file is ==================================================== */

void bk_image_raster_size(const struct bk_image *img, int *w, int *h)
{
	*w = img->width, *h = img->height;
	if (strcmp(img->media_type, "image/svg+xml") || img->width <= 0 || img->height <= 0)
		return;
	/* as decode_svg renders it, from the size check_svg kept */
	*w = (int)(BK_SVG_INCHES * BK_SVG_PPI);
	*h = (int)ceil(*w * (double)img->height / img->width);
	if (*h > 20000)
		*h = 20000, *w = (int)ceil(*h * (double)img->width / img->height);
}

bool bk_is_gif(const unsigned char *data, size_t len)
{
	return len >= 6 && (!memcmp(data, "GIF87a", 6) || !memcmp(data, "GIF89a", 6));
}

bool bk_is_svg(const unsigned char *data, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i >= len || data[i] != '<')
		return false;
	/* "<svg" within the first few kilobytes (after <?xml ...?>, a
	 * DOCTYPE or comments) */
	size_t lim = len < 4096 ? len : 4096;
	for (size_t k = i; k + 4 <= lim; k++)
		if (!memcmp(data + k, "<svg", 4))
			return true;
	return false;
}

/* ===== GIF =============================================================== */

struct gif_src {
	const unsigned char *data;
	size_t len, at;
};

static int gif_read(GifFileType *g, GifByteType *buf, int n)
{
	struct gif_src *s = g->UserData;
	size_t k = s->len - s->at < (size_t)n ? s->len - s->at : (size_t)n;
	memcpy(buf, s->data + s->at, k);
	s->at += k;
	return (int)k;
}

/* Reads the GIF whole (every frame's data is checked), or returns NULL
 * with what is wrong in why. */
static GifFileType *gif_open(const unsigned char *data, size_t len, long max_pixels, char *why,
			     size_t n, struct gif_src *src)
{
	*src = (struct gif_src){data, len, 0};
	int err = 0;
	GifFileType *g = DGifOpen(src, gif_read, &err);
	if (!g) {
		snprintf(why, n, "is a damaged GIF (giflib: %s)", GifErrorString(err));
		return NULL;
	}
	if (g->SWidth <= 0 || g->SHeight <= 0 ||
	    (long)g->SWidth * g->SHeight > max_pixels || g->SWidth > 20000 || g->SHeight > 20000) {
		snprintf(why, n, "is a GIF of %d x %d pixels, over octavo's limit", g->SWidth,
			 g->SHeight);
		DGifCloseFile(g, &err);
		return NULL;
	}
	if (DGifSlurp(g) != GIF_OK || g->ImageCount < 1) {
		snprintf(why, n, "is a damaged GIF (giflib: %s)",
			 GifErrorString(g->Error ? g->Error : D_GIF_ERR_NO_IMAG_DSCR));
		DGifCloseFile(g, &err);
		return NULL;
	}
	return g;
}

static const char *check_gif(struct bk_image *img, const unsigned char *data, size_t len,
			     long max_pixels, char *why, size_t n)
{
	struct gif_src src;
	GifFileType *g = gif_open(data, len, max_pixels, why, n, &src);
	if (!g)
		return why;
	img->width = g->SWidth;
	img->height = g->SHeight;
	int err;
	DGifCloseFile(g, &err);
	return NULL;
}

/* The first frame on the logical screen: 8-bit RGB and its alpha. */
static int decode_gif(const struct bk_image *img, struct bk_pixels *px, char *why, size_t n)
{
	struct gif_src src;
	GifFileType *g = gif_open(img->data, img->len, 400000000L, why, n, &src);
	if (!g)
		return -1;
	const SavedImage *f = &g->SavedImages[0];
	const ColorMapObject *cm = f->ImageDesc.ColorMap ? f->ImageDesc.ColorMap : g->SColorMap;
	int err;
	if (!cm || !f->RasterBits) {
		snprintf(why, n, "GIF has no colours for its first frame");
		DGifCloseFile(g, &err);
		return -1;
	}
	GraphicsControlBlock gcb = {.TransparentColor = NO_TRANSPARENT_COLOR};
	DGifSavedExtensionToGCB(g, 0, &gcb);
	size_t w = (size_t)g->SWidth, h = (size_t)g->SHeight;
	unsigned char *color = xcalloc(w * h, 3), *alpha = xcalloc(w * h, 1);
	bool transparent = false;
	for (size_t y = 0; y < h; y++)
		for (size_t x = 0; x < w; x++) {
			long fx = (long)x - f->ImageDesc.Left, fy = (long)y - f->ImageDesc.Top;
			if (fx < 0 || fy < 0 || fx >= f->ImageDesc.Width || fy >= f->ImageDesc.Height) {
				transparent = true; /* outside the frame: the background */
				continue;
			}
			int k = f->RasterBits[fy * f->ImageDesc.Width + fx];
			if (k == gcb.TransparentColor || k >= cm->ColorCount) {
				transparent = true;
				continue;
			}
			unsigned char *c = color + (y * w + x) * 3;
			c[0] = cm->Colors[k].Red;
			c[1] = cm->Colors[k].Green;
			c[2] = cm->Colors[k].Blue;
			alpha[y * w + x] = 255;
		}
	DGifCloseFile(g, &err);
	if (!transparent) {
		free(alpha);
		alpha = NULL;
	}
	*px = (struct bk_pixels){(int)w, (int)h, 3, color, alpha};
	return 0;
}

/* ===== SVG =============================================================== */

/* librsvg's calls, and cairo's and GLib's through its dependencies,
 * found once by svg_lib(). */
#define FN(name) __typeof__(&name) name
static struct {
	bool ok;
	char why[240];
	FN(rsvg_handle_new_from_data);
	FN(rsvg_handle_get_intrinsic_size_in_pixels);
	FN(rsvg_handle_get_intrinsic_dimensions);
	FN(rsvg_handle_render_document);
	FN(g_object_unref);
	FN(g_error_free);
	FN(cairo_image_surface_create);
	FN(cairo_create);
	FN(cairo_destroy);
	FN(cairo_surface_status);
	FN(cairo_surface_flush);
	FN(cairo_image_surface_get_data);
	FN(cairo_image_surface_get_stride);
	FN(cairo_surface_destroy);
} rl;
#undef FN

/* Opens librsvg (the handle is kept for the process: its types stay
 * registered with GObject) and finds every call; sets rl.ok, or rl.why
 * to what was not found. */
static void svg_open_lib(void)
{
	static const char *const names[] = {"librsvg-2.so.2", "librsvg-2.so"};
	static const struct dl_sym syms[] = {
	    DL_SYM(rl, rsvg_handle_new_from_data),
	    DL_SYM(rl, rsvg_handle_get_intrinsic_size_in_pixels),
	    DL_SYM(rl, rsvg_handle_get_intrinsic_dimensions),
	    DL_SYM(rl, rsvg_handle_render_document),
	    DL_SYM(rl, g_object_unref),
	    DL_SYM(rl, g_error_free),
	    DL_SYM(rl, cairo_image_surface_create),
	    DL_SYM(rl, cairo_create),
	    DL_SYM(rl, cairo_destroy),
	    DL_SYM(rl, cairo_surface_status),
	    DL_SYM(rl, cairo_surface_flush),
	    DL_SYM(rl, cairo_image_surface_get_data),
	    DL_SYM(rl, cairo_image_surface_get_stride),
	    DL_SYM(rl, cairo_surface_destroy),
	};
	struct dl_fail f;
	rl.ok = dl_load(names, ARRAY_LEN(names), syms, ARRAY_LEN(syms), &f) != NULL;
	if (rl.ok)
		return;
	if (f.missing)
		snprintf(rl.why, sizeof(rl.why), "is an SVG, and librsvg has no '%s'", f.missing);
	else
		snprintf(rl.why, sizeof(rl.why), "is an SVG, and librsvg cannot be opened (%s)",
			 f.detail);
}

/* Whether librsvg could be opened, trying once per process from
 * whichever thread first meets an SVG. */
static bool svg_lib(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, svg_open_lib);
	return rl.ok;
}

/* The SVG's size in CSS pixels (1/96 in): its width and height, else its
 * viewBox's. Returns false when it has neither. */
static bool svg_size(RsvgHandle *h, double *w, double *ht)
{
	if (rl.rsvg_handle_get_intrinsic_size_in_pixels(h, w, ht) && *w > 0 && *ht > 0)
		return true;
	gboolean hw, hh, hv;
	RsvgLength lw, lh;
	RsvgRectangle vb;
	rl.rsvg_handle_get_intrinsic_dimensions(h, &hw, &lw, &hh, &lh, &hv, &vb);
	if (hv && vb.width > 0 && vb.height > 0) {
		*w = vb.width;
		*ht = vb.height;
		return true;
	}
	return false;
}

static RsvgHandle *svg_open(const unsigned char *data, size_t len, char *why, size_t n)
{
	if (!svg_lib()) {
		snprintf(why, n, "%s", rl.why);
		return NULL;
	}
	GError *err = NULL;
	/* No base file: librsvg loads nothing the SVG names outside itself. */
	RsvgHandle *h = rl.rsvg_handle_new_from_data(data, len, &err);
	if (!h) {
		snprintf(why, n, "is a damaged SVG (librsvg: %s)", err ? err->message : "unknown");
		if (err)
			rl.g_error_free(err);
		return NULL;
	}
	return h;
}

static const char *check_svg(struct bk_image *img, const unsigned char *data, size_t len,
			     char *why, size_t n)
{
	RsvgHandle *h = svg_open(data, len, why, n);
	if (!h)
		return why;
	double w, ht;
	const char *r = NULL;
	if (!svg_size(h, &w, &ht)) {
		snprintf(why, n, "is an SVG with no size (give its <svg> a width and height, or a "
				 "viewBox)");
		r = why;
	} else {
		img->width = (int)ceil(w);
		img->height = (int)ceil(ht);
	}
	rl.g_object_unref(h);
	return r;
}

/* Rendered by librsvg onto a cairo surface BK_SVG_INCHES wide at
 * BK_SVG_PPI, then its premultiplied ARGB made RGB and alpha. */
static int decode_svg(const struct bk_image *img, struct bk_pixels *px, char *why, size_t n)
{
	RsvgHandle *h = svg_open(img->data, img->len, why, n);
	if (!h)
		return -1;
	double sw, sh;
	if (!svg_size(h, &sw, &sh)) {
		rl.g_object_unref(h);
		snprintf(why, n, "SVG has no size");
		return -1;
	}
	int w = (int)(BK_SVG_INCHES * BK_SVG_PPI), ht = (int)ceil(w * sh / sw);
	if (ht > 20000)
		ht = 20000, w = (int)ceil(ht * sw / sh);
	cairo_surface_t *s = rl.cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, ht);
	cairo_t *cr = rl.cairo_create(s);
	RsvgRectangle vp = {0, 0, w, ht};
	GError *err = NULL;
	gboolean ok = rl.rsvg_handle_render_document(h, cr, &vp, &err);
	rl.cairo_destroy(cr);
	rl.g_object_unref(h);
	if (!ok || rl.cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		snprintf(why, n, "librsvg could not render it: %s", err ? err->message : "cairo");
		if (err)
			rl.g_error_free(err);
		rl.cairo_surface_destroy(s);
		return -1;
	}
	rl.cairo_surface_flush(s);
	const unsigned char *d = rl.cairo_image_surface_get_data(s);
	int stride = rl.cairo_image_surface_get_stride(s);
	unsigned char *color = xmalloc((size_t)w * ht * 3), *alpha = xmalloc((size_t)w * ht);
	bool opaque = true;
	for (int y = 0; y < ht; y++) {
		const uint32_t *row = (const uint32_t *)(d + (size_t)y * stride);
		for (int x = 0; x < w; x++) {
			uint32_t p = row[x];
			unsigned a = p >> 24, r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
			unsigned char *c = color + ((size_t)y * w + x) * 3;
			/* premultiplied: undo it where anything shows */
			c[0] = (unsigned char)(a ? (r * 255 + a / 2) / a : 0);
			c[1] = (unsigned char)(a ? (g * 255 + a / 2) / a : 0);
			c[2] = (unsigned char)(a ? (b * 255 + a / 2) / a : 0);
			alpha[(size_t)y * w + x] = (unsigned char)a;
			opaque &= a == 255;
		}
	}
	rl.cairo_surface_destroy(s);
	if (opaque) {
		free(alpha);
		alpha = NULL;
	}
	*px = (struct bk_pixels){w, ht, 3, color, alpha};
	return 0;
}

/* ===== the hooks image.c calls ============================================ */

const char *bk_image_check_more(struct bk_image *img, const unsigned char *data, size_t len,
				long max_pixels, char *why, size_t n)
{
	if (bk_is_gif(data, len)) {
		img->media_type = "image/gif";
		return check_gif(img, data, len, max_pixels, why, n);
	}
	if (bk_is_svg(data, len)) {
		img->media_type = "image/svg+xml";
		return check_svg(img, data, len, why, n);
	}
	return NULL;
}

int bk_image_decode_more(const struct bk_image *img, struct bk_pixels *px, char *why, size_t n)
{
	memset(px, 0, sizeof(*px));
	if (img->media_type && !strcmp(img->media_type, "image/gif"))
		return decode_gif(img, px, why, n);
	if (img->media_type && !strcmp(img->media_type, "image/svg+xml"))
		return decode_svg(img, px, why, n);
	snprintf(why, n, "not a GIF or SVG");
	return -1;
}
