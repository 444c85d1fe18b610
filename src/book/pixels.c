/*
 * pixels.c - any image the book holds as pixels, with the colour profile
 * it carries: for a writer that must convert its colour (a print
 * profile's grey or CMYK, src/pdf/colour.c).
 *
 * A PNG is decoded by bk_image_decode (image.c); its iCCP chunk is read
 * by libpng. A JPEG is decoded by libjpeg to its own colour space (grey,
 * RGB, or CMYK: an Adobe CMYK JPEG's inverted samples put right), its
 * APP2 ICC profile put together by libjpeg's jpeg_read_icc_profile.
 */
#include "book-int.h"

#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct mem_reader {
	const unsigned char *p;
	size_t len, pos;
};

static void png_mem(png_structp png, png_bytep out, size_t n)
{
	struct mem_reader *r = png_get_io_ptr(png);
	if (n > r->len - r->pos)
		png_error(png, "short");
	memcpy(out, r->p + r->pos, n);
	r->pos += n;
}

static void png_fail(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* The PNG's embedded ICC profile (malloc'd, *len bytes), or NULL. */
static unsigned char *png_icc(const struct bk_image *img, size_t *len)
{
	struct mem_reader r = {img->data, img->len, 0};
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, png_fail, png_quiet);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	unsigned char *volatile out = NULL;
	if (!png || !info) {
		png_destroy_read_struct(&png, &info, NULL);
		return NULL;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		free(out);
		return NULL;
	}
	png_set_read_fn(png, &r, png_mem);
	png_read_info(png, info);
	png_charp name;
	int method;
	png_bytep prof;
	png_uint_32 n;
	if (png_get_iCCP(png, info, &name, &method, &prof, &n) == PNG_INFO_iCCP && n >= 132) {
		out = xmalloc(n);
		memcpy(out, prof, n);
		*len = n;
	}
	png_destroy_read_struct(&png, &info, NULL);
	return out;
}

struct jerr {
	struct jpeg_error_mgr mgr;
	jmp_buf jb;
};

static void jpeg_fail(j_common_ptr c)
{
	struct jerr *e = (struct jerr *)c->err;
	longjmp(e->jb, 1);
}

static void jpeg_silent(j_common_ptr c, int level)
{
	(void)c;
	(void)level;
}

/* A JPEG (checked whole by bk_image_check) decoded; its ICC profile. */
static int jpeg_pixels(const struct bk_image *img, struct bk_pixels *px, unsigned char **icc,
		       size_t *icc_len, char *why, size_t n)
{
	struct jpeg_decompress_struct ci;
	struct jerr e;
	ci.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = jpeg_fail;
	e.mgr.emit_message = jpeg_silent;
	unsigned char *volatile buf = NULL;
	if (setjmp(e.jb)) {
		jpeg_destroy_decompress(&ci);
		free(buf);
		snprintf(why, n, "libjpeg could not decode it again");
		return -1;
	}
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, img->data, (unsigned long)img->len);
	jpeg_save_markers(&ci, JPEG_APP0 + 2, 0xFFFF);
	jpeg_save_markers(&ci, JPEG_APP0 + 14, 0xFFFF);
	jpeg_read_header(&ci, TRUE);
	JOCTET *prof = NULL;
	unsigned plen = 0;
	if (jpeg_read_icc_profile(&ci, &prof, &plen) && prof && plen >= 132) {
		*icc = xmalloc(plen);
		memcpy(*icc, prof, plen);
		*icc_len = plen;
	}
	free(prof);
	if (ci.num_components == 4)
		ci.out_color_space = JCS_CMYK;
	else if (ci.num_components == 1)
		ci.out_color_space = JCS_GRAYSCALE;
	else
		ci.out_color_space = JCS_RGB;
	jpeg_start_decompress(&ci);
	size_t w = ci.output_width, h = ci.output_height, c = (size_t)ci.output_components;
	buf = xmalloc(w * h * c);
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW row = buf + (size_t)ci.output_scanline * w * c;
		jpeg_read_scanlines(&ci, &row, 1);
	}
	/* Adobe's CMYK JPEGs store the inks inverted. */
	bool inverted = c == 4 && ci.saw_Adobe_marker;
	jpeg_finish_decompress(&ci);
	jpeg_destroy_decompress(&ci);
	if (inverted)
		for (size_t i = 0; i < w * h * c; i++)
			buf[i] = (unsigned char)(255 - buf[i]);
	px->width = (int)w;
	px->height = (int)h;
	px->colors = (int)c;
	px->color = buf;
	px->alpha = NULL;
	return 0;
}

int bk_image_pixels(const struct bk_image *img, struct bk_pixels *px, unsigned char **icc,
		    size_t *icc_len, char *why, size_t n)
{
	memset(px, 0, sizeof(*px));
	*icc = NULL;
	*icc_len = 0;
	if (img->media_type && !strcmp(img->media_type, "image/jpeg"))
		return jpeg_pixels(img, px, icc, icc_len, why, n);
	if (bk_image_decode(img, px, why, n) < 0)
		return -1;
	*icc = png_icc(img, icc_len);
	return 0;
}
