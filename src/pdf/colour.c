/*
 * colour.c - a book's images in a printer's colour: grey for a
 * black-and-white interior, the output profile's CMYK for a colour one,
 * through littleCMS; resampled by pixman when far finer than print can
 * show; the resolution rules and the grey-clash check.
 *
 * Each image is decoded (bk_image_pixels), its alpha laid on the white
 * page (PDF/X-1a has no transparency), shrunk when over FAR_PPI at its
 * placed size, and converted from its own ICC profile (sRGB when it
 * embeds none) by one littleCMS transform per kind of source, made once a
 * build and kept in struct pdf_colour.
 */
#include "pdf-int.h"

#include <lcms2.h>
#include <math.h>
#include <pixman.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* zlib's level for converted images: as the pages' (pdf.c), level 3
 * costs a third of libharu's 6 on a chart for a few per cent more. */
#define IMAGE_DEFLATE_LEVEL 3

/* Over this many pixels per inch at its size an image is resampled to
 * SHRINK_PPI: Lulu's guide calls 600 ppi its limit and finds nothing
 * gained over 300. */
#define FAR_PPI 900.0
#define SHRINK_PPI 600.0

/* ===== transforms ======================================================= */

struct xform {
	uint64_t key; /* the source profile's hash, its format, the target */
	cmsHTRANSFORM t;
};

struct pdf_colour {
	cmsHPROFILE srgb, gray, out, ink;
	struct xform *v;
	size_t n, cap;
};

void pdf_colour_free(struct pdf_colour *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		cmsDeleteTransform(c->v[i].t);
	free(c->v);
	cmsHPROFILE p[] = {c->srgb, c->gray, c->out, c->ink};
	for (size_t i = 0; i < ARRAY_LEN(p); i++)
		if (p[i])
			cmsCloseProfile(p[i]);
	free(c);
}

/* The grey a black-and-white interior's images are converted to: a grey
 * with sGray's gamma 2.2 over D50, made by littleCMS. */
static cmsHPROFILE gray_profile(void)
{
	cmsToneCurve *g = cmsBuildGamma(NULL, 2.2);
	cmsHPROFILE p = cmsCreateGrayProfile(cmsD50_xyY(), g);
	cmsFreeToneCurve(g);
	return p;
}

/* littleCMS's ink-limiting link (CMYK to CMYK, total ink at most limit
 * per cent), made on first use: sampling its table is some 25 M
 * instructions, which a cover whose few colours are all within the limit
 * need not pay. NULL when littleCMS cannot make it. */
static cmsHPROFILE ink_link(struct pdf_colour *c, int limit)
{
	if (!c->ink)
		c->ink = cmsCreateInkLimitingDeviceLink(cmsSigCmykData, limit);
	return c->ink;
}

/*
 * The transform from a source (its ICC profile icc, or NULL for sRGB or
 * for the output profile when CMYK; colors samples) to target, made once
 * and kept in c. NULL when littleCMS cannot make it (a broken or
 * mismatched embedded profile: the caller falls back on sRGB).
 */
static cmsHTRANSFORM transform(struct pdf_colour *c, const unsigned char *icc, size_t icc_len,
			       int colors, enum print_colour target, int ink_limit)
{
	uint64_t key = (icc ? hash_fnv1a(icc, icc_len) : 0) ^ ((uint64_t)colors << 56) ^
		       ((uint64_t)target << 60) ^ ((uint64_t)ink_limit << 40);
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].key == key)
			return c->v[i].t;
	cmsHPROFILE src = NULL;
	bool own = false;
	if (icc) {
		src = cmsOpenProfileFromMem(icc, (cmsUInt32Number)icc_len);
		own = src != NULL;
		cmsColorSpaceSignature want = colors == 1   ? cmsSigGrayData
					      : colors == 3 ? cmsSigRgbData
							    : cmsSigCmykData;
		if (src && cmsGetColorSpace(src) != want) {
			cmsCloseProfile(src);
			src = NULL, own = false;
		}
	}
	if (!src)
		src = colors == 4 ? c->out : colors == 1 ? c->gray : c->srgb;
	if (!src)
		return NULL;
	cmsUInt32Number in = colors == 1 ? TYPE_GRAY_8 : colors == 3 ? TYPE_RGB_8 : TYPE_CMYK_8;
	cmsHTRANSFORM t;
	if (target == PRINT_GRAY) {
		/* Grey is a smooth function of the source: a coarse table
		 * (17 points a side, not 33) is as good, and makes the
		 * transform in a seventh of the time. */
		t = cmsCreateTransform(src, in, c->gray, TYPE_GRAY_8, INTENT_PERCEPTUAL,
				       cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_LOWRESPRECALC);
	} else if (ink_limit > 0 && ink_link(c, ink_limit)) {
		cmsHPROFILE chain[3] = {src, c->out, c->ink};
		t = cmsCreateMultiprofileTransform(chain, 3, in, TYPE_CMYK_8, INTENT_PERCEPTUAL,
						   cmsFLAGS_BLACKPOINTCOMPENSATION);
	} else {
		t = cmsCreateTransform(src, in, c->out, TYPE_CMYK_8, INTENT_PERCEPTUAL,
				       cmsFLAGS_BLACKPOINTCOMPENSATION);
	}
	if (own)
		cmsCloseProfile(src);
	if (!t)
		return NULL;
	GROW(c->v, c->cap, c->n + 1);
	c->v[c->n++] = (struct xform){key, t};
	return t;
}

/* The cache, made on first use: sRGB, the grey and the output profile
 * (c->out NULL when it cannot be read); the ink limit's link is made
 * when a colour needs it (ink_link). */
static struct pdf_colour *colour_ctx(struct pdf_colour **cache, const unsigned char *icc,
				     size_t icc_len)
{
	if (*cache)
		return *cache;
	struct pdf_colour *c = xcalloc(1, sizeof(*c));
	c->srgb = cmsCreate_sRGBProfile();
	c->gray = gray_profile();
	if (icc)
		c->out = cmsOpenProfileFromMem(icc, (cmsUInt32Number)icc_len);
	*cache = c;
	return c;
}

/* ===== pixels =========================================================== */

/* The alpha laid on white paper, in place; alpha freed. */
static void flatten(struct bk_pixels *px)
{
	if (!px->alpha)
		return;
	size_t n = (size_t)px->width * (size_t)px->height, k = (size_t)px->colors;
	for (size_t i = 0; i < n; i++) {
		unsigned a = px->alpha[i];
		for (size_t j = 0; j < k; j++) {
			unsigned char *s = &px->color[i * k + j];
			/* CMYK's paper is 0, the others' 255 */
			unsigned paper = k == 4 ? 0 : 255;
			*s = (unsigned char)((*s * a + paper * (255 - a) + 127) / 255);
		}
	}
	free(px->alpha);
	px->alpha = NULL;
}

/*
 * px resampled to nw x nh by pixman's separable convolution (a box
 * filter: each new pixel the mean of the area it covers). Samples are
 * packed four to a pixel (a8r8g8b8, one channel per sample, the filter
 * linear in each) or one (a8). Returns 0, or -1 when pixman fails (px
 * unchanged).
 */
static int resample(struct bk_pixels *px, int nw, int nh)
{
	int w = px->width, h = px->height, k = px->colors;
	pixman_format_code_t fmt = k == 1 ? PIXMAN_a8 : PIXMAN_a8r8g8b8;
	int bpp = k == 1 ? 1 : 4;
	int sstride = (w * bpp + 3) & ~3, dstride = (nw * bpp + 3) & ~3;
	uint32_t *sbits = xcalloc((size_t)sstride * (size_t)h / 4 + 1, 4);
	uint32_t *dbits = xcalloc((size_t)dstride * (size_t)nh / 4 + 1, 4);
	for (int y = 0; y < h; y++) {
		unsigned char *row = (unsigned char *)sbits + (size_t)y * (size_t)sstride;
		const unsigned char *s = px->color + (size_t)y * (size_t)w * (size_t)k;
		if (k == 1)
			memcpy(row, s, (size_t)w);
		else
			for (int x = 0; x < w; x++)
				memcpy(row + 4 * x, s + (size_t)x * (size_t)k, (size_t)k);
	}
	pixman_image_t *src = pixman_image_create_bits(fmt, w, h, sbits, sstride);
	pixman_image_t *dst = pixman_image_create_bits(fmt, nw, nh, dbits, dstride);
	int rc = -1;
	if (src && dst) {
		double sx = (double)w / nw, sy = (double)h / nh;
		pixman_transform_t t;
		pixman_transform_init_scale(&t, pixman_double_to_fixed(sx),
					    pixman_double_to_fixed(sy));
		int nparams = 0;
		pixman_fixed_t *params = pixman_filter_create_separable_convolution(
		    &nparams, pixman_double_to_fixed(sx), pixman_double_to_fixed(sy),
		    PIXMAN_KERNEL_BOX, PIXMAN_KERNEL_BOX, PIXMAN_KERNEL_BOX, PIXMAN_KERNEL_BOX, 1,
		    1);
		if (params && pixman_image_set_transform(src, &t) &&
		    pixman_image_set_filter(src, PIXMAN_FILTER_SEPARABLE_CONVOLUTION, params,
					    nparams)) {
			pixman_image_set_repeat(src, PIXMAN_REPEAT_PAD);
			pixman_image_composite32(PIXMAN_OP_SRC, src, NULL, dst, 0, 0, 0, 0, 0, 0, nw,
						 nh);
			unsigned char *out = xmalloc((size_t)nw * (size_t)nh * (size_t)k);
			for (int y = 0; y < nh; y++) {
				const unsigned char *row =
				    (const unsigned char *)dbits + (size_t)y * (size_t)dstride;
				unsigned char *d = out + (size_t)y * (size_t)nw * (size_t)k;
				if (k == 1)
					memcpy(d, row, (size_t)nw);
				else
					for (int x = 0; x < nw; x++)
						memcpy(d + (size_t)x * (size_t)k, row + 4 * x,
						       (size_t)k);
			}
			free(px->color);
			px->color = out;
			px->width = nw;
			px->height = nh;
			rc = 0;
		}
		free(params);
	}
	if (src)
		pixman_image_unref(src);
	if (dst)
		pixman_image_unref(dst);
	free(sbits);
	free(dbits);
	return rc;
}

/*
 * An image XObject of w x h 8-bit samples (colors 1: DeviceGray, 4:
 * DeviceCMYK), deflated here at IMAGE_DEFLATE_LEVEL and handed to
 * libharu as it is. NULL when libharu or zlib fails.
 */
static HPDF_Image raw_image(HPDF_Doc pdf, const unsigned char *px, int w, int h, int colors)
{
	uLong n = (uLong)w * (uLong)h * (uLong)colors;
	uLongf zlen = compressBound(n);
	unsigned char *z = xmalloc(zlen);
	if (compress2(z, &zlen, px, n, IMAGE_DEFLATE_LEVEL) != Z_OK) {
		free(z);
		return NULL;
	}
	HPDF_Dict d = pdf_stream_new(pdf);
	if (!d) {
		free(z);
		return NULL;
	}
	pdf_mark_xobject(d);
	HPDF_STATUS st = HPDF_Dict_AddName(d, "Type", "XObject");
	st |= HPDF_Dict_AddName(d, "Subtype", "Image");
	st |= HPDF_Dict_AddNumber(d, "Width", w);
	st |= HPDF_Dict_AddNumber(d, "Height", h);
	st |= HPDF_Dict_AddNumber(d, "BitsPerComponent", 8);
	st |= HPDF_Dict_AddName(d, "ColorSpace", colors == 1 ? "DeviceGray" : "DeviceCMYK");
	z = xrealloc(z, zlen ? zlen : 1);
	if (st != HPDF_OK) {
		free(z);
		return NULL;
	}
	pdf_mark_deflated(d);
	if (pdf_stream_own(d, (char *)z, zlen) < 0)
		return NULL;
	return d;
}

/* Pixels per inch of a w-pixel side set s points long. */
static double ppi(int px, double s)
{
	return s > 0 ? px * 72.0 / s : 0;
}

HPDF_Image pdf_image_print(HPDF_Doc pdf, const struct bk_image *img, double pw, double ph,
			   const struct print_profile *p, const unsigned char *icc,
			   size_t icc_len, struct pdf_colour **cache, char *why, size_t n)
{
	int nw, nh;
	pdf_image_shrink_size(img, pw, ph, &nw, &nh);
	int rw, rh;
	bk_image_raster_size(img, &rw, &rh);
	bool shrink = nw != rw || nh != rh;
	bool png = !strcmp(img->media_type, "image/png");
	/* What PDF takes as it is: a grey JPEG or a grey PNG with no
	 * transparency (colour type 0) anywhere, a CMYK JPEG in a colour
	 * interior without an ink limit to keep. */
	if (!shrink && png && img->len > 25 && img->data[25] == 0) {
		HPDF_Image im = pdf_png_passthrough(pdf, img->data, img->len);
		if (im)
			return im;
	}
	if (!shrink && !png &&
	    (img->components == 1 ||
	     (img->components == 4 && p->colour == PRINT_CMYK && !p->ink_limit)))
		return pdf_image_load(pdf, img, why, n);

	struct bk_pixels px;
	unsigned char *src_icc = NULL;
	size_t src_len = 0;
	if (bk_image_pixels(img, &px, &src_icc, &src_len, why, n) < 0)
		return NULL;
	flatten(&px);
	if (shrink && nw >= 1 && nh >= 1)
		resample(&px, nw, nh);
	struct pdf_colour *c = colour_ctx(cache, icc, icc_len);
	enum print_colour target = p->colour;
	/* A grey image stays grey in a colour interior (DeviceGray is K). */
	bool to_gray = target == PRINT_GRAY || px.colors == 1;
	HPDF_Image im = NULL;
	size_t npx = (size_t)px.width * (size_t)px.height;
	if (px.colors == 1 && to_gray) {
		im = raw_image(pdf, px.color, px.width, px.height, 1);
	} else {
		cmsHTRANSFORM t = transform(c, src_icc, src_len, px.colors,
					    to_gray ? PRINT_GRAY : PRINT_CMYK, p->ink_limit);
		if (!t) /* the embedded profile is broken: the file's colour as sRGB */
			t = transform(c, NULL, 0, px.colors, to_gray ? PRINT_GRAY : PRINT_CMYK,
				      p->ink_limit);
		if (!t) {
			snprintf(why, n, "littleCMS cannot convert its colour for %s", p->name);
		} else {
			size_t k = to_gray ? 1 : 4;
			unsigned char *out = xmalloc(npx * k);
			cmsDoTransform(t, px.color, out, (cmsUInt32Number)npx);
			im = raw_image(pdf, out, px.width, px.height, (int)k);
			free(out);
		}
	}
	if (!im && !*why)
		snprintf(why, n, "libharu error 0x%04X", (unsigned)HPDF_GetError(pdf));
	bk_pixels_release(&px);
	free(src_icc);
	return im;
}

double pdf_image_ppi(const struct bk_image *img, double pw, double ph)
{
	int w, h;
	bk_image_raster_size(img, &w, &h);
	return fmin(ppi(w, pw), ppi(h, ph));
}

void pdf_image_shrink_size(const struct bk_image *img, double pw, double ph, int *nw, int *nh)
{
	double res = pdf_image_ppi(img, pw, ph);
	double k = res > FAR_PPI ? SHRINK_PPI / res : 1;
	int w, h;
	bk_image_raster_size(img, &w, &h);
	*nw = (int)lround(w * k);
	*nh = (int)lround(h * k);
}

HPDF_Image pdf_image_shrunk(HPDF_Doc pdf, const struct bk_image *img, int nw, int nh, char *why,
			    size_t n)
{
	struct bk_pixels px;
	unsigned char *icc = NULL;
	size_t icc_len = 0;
	if (nw < 1 || nh < 1 || bk_image_pixels(img, &px, &icc, &icc_len, why, n) < 0)
		return pdf_image_load(pdf, img, why, n);
	free(icc);
	/* The alpha first (one channel, at the colour's old size), then the
	 * colour; either failing leaves the image as it is. */
	struct bk_pixels a = {px.width, px.height, 1, px.alpha, NULL};
	if ((px.alpha && resample(&a, nw, nh) < 0) || resample(&px, nw, nh) < 0) {
		px.alpha = a.color;
		bk_pixels_release(&px);
		return pdf_image_load(pdf, img, why, n);
	}
	px.alpha = a.color;
	HPDF_Image im = pdf_image_pixels(pdf, &px, why, n);
	bk_pixels_release(&px);
	return im;
}

/* ===== the rules ========================================================= */

int pdf_image_check(const struct bk_image *img, double w, double h,
		    const struct print_profile *p, int style_ppi, const char *path, int line,
		    int col, struct diag *d)
{
	bool rules = p && p->min_ppi;
	int want = rules ? p->warn_ppi : p ? 0 : style_ppi;
	if (want <= 0 || w <= 0 || h <= 0)
		return 0;
	double res = pdf_image_ppi(img, w, h);
	if (res >= want)
		return 0;
	bool error = rules && res < p->min_ppi;
	const char *fmt = "image '%s' is %.0f ppi at its size in the book (%.2f x %.2f in); "
			  "%s asks for %d ppi";
	const char *who = rules ? p->printer : "the style ('images: min-ppi')";
	if (error)
		diag_error(d, path, line, col, fmt, img->src, res, w / 72, h / 72, who, want);
	else
		diag_warning(d, path, line, col, fmt, img->src, res, w / 72, h / 72, who, want);
	diag_hint(d, "at this size it needs %.0f x %.0f pixels; or set it smaller",
		  ceil(w / 72 * want), ceil(h / 72 * want));
	return error;
}

bool pdf_image_grey_clash(const struct bk_image *img, const char *path, int line, int col,
			  struct diag *d)
{
	struct bk_pixels px;
	unsigned char *icc = NULL;
	size_t icc_len = 0;
	char why[200];
	if (bk_image_pixels(img, &px, &icc, &icc_len, why, sizeof(why)) < 0)
		return false;
	bool clash = false;
	flatten(&px);
	if (px.colors == 3) {
		/* The dominant colours: 4-bit bins holding 2% of the pixels,
		 * each the mean of its pixels. */
		enum { BINS = 4096 };
		uint64_t *sum = xcalloc(BINS * 4, sizeof(uint64_t));
		size_t npx = (size_t)px.width * (size_t)px.height;
		for (size_t i = 0; i < npx; i++) {
			const unsigned char *s = px.color + 3 * i;
			size_t b = (size_t)(s[0] >> 4) << 8 | (size_t)(s[1] >> 4) << 4 | s[2] >> 4;
			sum[4 * b] += s[0], sum[4 * b + 1] += s[1], sum[4 * b + 2] += s[2];
			sum[4 * b + 3]++;
		}
		unsigned char dom[16][3], grey[16];
		int ndom = 0;
		for (size_t b = 0; b < BINS && ndom < 16; b++) {
			uint64_t k = sum[4 * b + 3];
			if (k * 50 < npx)
				continue;
			for (int j = 0; j < 3; j++)
				dom[ndom][j] = (unsigned char)((sum[4 * b + j] + k / 2) / k);
			ndom++;
		}
		free(sum);
		struct pdf_colour *c = NULL;
		colour_ctx(&c, NULL, 0);
		cmsHTRANSFORM t = transform(c, icc, icc_len, 3, PRINT_GRAY, 0);
		if (!t)
			t = transform(c, NULL, 0, 3, PRINT_GRAY, 0);
		if (t && ndom > 1)
			cmsDoTransform(t, dom, grey, (cmsUInt32Number)ndom);
		for (int i = 0; t && i < ndom && !clash; i++)
			for (int j = i + 1; j < ndom && !clash; j++) {
				int dr = dom[i][0] - dom[j][0], dg = dom[i][1] - dom[j][1],
				    db = dom[i][2] - dom[j][2];
				/* two colours a reader tells apart on screen... */
				if (dr * dr + dg * dg + db * db < 48 * 48)
					continue;
				/* ...that print as greys within 10% */
				if (abs(grey[i] - grey[j]) * 10 >= 255)
					continue;
				clash = true;
				diag_warning(d, path, line, col,
					     "image '%s': its colours #%02x%02x%02x and #%02x%02x%02x "
					     "print as greys %d%% and %d%% in a black-and-white "
					     "interior, too close to tell apart",
					     img->src, dom[i][0], dom[i][1], dom[i][2], dom[j][0],
					     dom[j][1], dom[j][2], (255 - grey[i]) * 100 / 255,
					     (255 - grey[j]) * 100 / 255);
				diag_hint(d, "set the series apart by lightness, hatching or labels, "
					     "not by hue alone");
			}
		pdf_colour_free(c);
	}
	bk_pixels_release(&px);
	free(icc);
	return clash;
}

unsigned char *pdf_icc_load(const struct print_profile *p, const char *datadir, size_t *len,
			    struct diag *d)
{
	*len = 0;
	if (!p || (p->standard == PRINT_PDF && p->colour == PRINT_AS_IS) || !p->icc_file)
		return NULL;
	char *path = path_join(datadir, p->icc_file);
	size_t n = 0;
	unsigned char *data = (unsigned char *)read_file(path, &n);
	if (!data || n < 132 || memcmp(data + 36, "acsp", 4)) {
		diag_error(d, path, 0, 0, "cannot read the output profile for '%s'%s", p->name,
			   data ? ": not an ICC profile" : "");
		diag_hint(d, "octavo's data folder holds it as %s (make install puts it there)",
			  p->icc_file);
		free(data);
		free(path);
		return NULL;
	}
	free(path);
	*len = n;
	return data;
}

/* ===== flat colours ===================================================== */

/* sRGB to the output profile's CMYK for one colour at a time, total ink
 * limited to ink_limit per cent (0: none), made once and kept in c. One
 * colour needs no table: littleCMS evaluates the profiles' pipelines
 * directly (NOOPTIMIZE), in floating point, which is both quicker to
 * make and exact. NULL when littleCMS cannot make it. */
static cmsHTRANSFORM flat_transform(struct pdf_colour *c, int ink_limit)
{
	uint64_t key = 0x5350u ^ ((uint64_t)ink_limit << 40) ^ ((uint64_t)7 << 60);
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].key == key)
			return c->v[i].t;
	cmsUInt32Number flags = cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_NOOPTIMIZE |
				cmsFLAGS_NOCACHE;
	cmsHTRANSFORM t;
	if (ink_limit > 0) {
		if (!ink_link(c, ink_limit))
			return NULL;
		cmsHPROFILE chain[3] = {c->srgb, c->out, c->ink};
		t = cmsCreateMultiprofileTransform(chain, 3, TYPE_RGB_DBL, TYPE_CMYK_DBL,
						   INTENT_PERCEPTUAL, flags);
	} else {
		t = cmsCreateTransform(c->srgb, TYPE_RGB_DBL, c->out, TYPE_CMYK_DBL,
				       INTENT_PERCEPTUAL, flags);
	}
	if (!t)
		return NULL;
	GROW(c->v, c->cap, c->n + 1);
	c->v[c->n++] = (struct xform){key, t};
	return t;
}

int pdf_colour_cmyk(struct pdf_colour **cache, const unsigned char *icc, size_t icc_len,
		    int ink_limit, unsigned rgb, double cmyk[4])
{
	struct pdf_colour *c = colour_ctx(cache, icc, icc_len);
	if (!c->out || cmsGetColorSpace(c->out) != cmsSigCmykData)
		return -1;
	double in[3] = {(rgb >> 16 & 0xFF) / 255.0, (rgb >> 8 & 0xFF) / 255.0, (rgb & 0xFF) / 255.0};
	double out[4];
	cmsHTRANSFORM t = flat_transform(c, 0);
	if (!t)
		return -1;
	cmsDoTransform(t, in, out, 1);
	/* Over the ink limit: again through the ink-limiting link. Within
	 * it the link would give the colour back as it is (but for its
	 * table's rounding), so it is neither made nor applied. */
	if (ink_limit > 0 && out[0] + out[1] + out[2] + out[3] > ink_limit) {
		if (!(t = flat_transform(c, ink_limit)))
			return -1;
		cmsDoTransform(t, in, out, 1);
	}
	/* littleCMS's CMYK doubles are per cent */
	for (int i = 0; i < 4; i++) {
		double v = out[i] / 100;
		cmyk[i] = v < 0 ? 0 : v > 1 ? 1 : v;
	}
	return 0;
}
