/*
 * image.c - images read once and checked whole.
 *
 * The book stage reads each image file once (image_load), through one
 * open descriptor, and keeps its bytes in struct bk_image: the PDF and
 * EPUB writers use those bytes and never the path, so a file swapped or
 * changed after the check cannot reach an edition. The check decodes the
 * whole image with the libraries that read them, libpng and libjpeg,
 * because a PNG's compressed data may go into the PDF as it is (see
 * src/pdf/png.c) and a JPEG's always does: data that only a reader would
 * decode must be known good before it is passed on. Size limits are
 * checked from the header first, so a small file that inflates to
 * gigabytes is refused before any of it is decoded.
 *
 * bk_image_decode, for the PDF stage, decodes a PNG that cannot be passed
 * through (alpha, transparency, 16 bits, interlacing) with libpng's own
 * transformations into 8-bit samples and an alpha plane.
 *
 * libpng and libjpeg report errors by calling a function that must not
 * return: both are given one that longjmps back to the setjmp in the
 * function that started them, which then frees what it holds and turns
 * the library's message into ours.
 */
#define _POSIX_C_SOURCE 200809L
#include "book-int.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

/* PDF and EPUB readers cope with any side up to this; the total is the
 * configurable limit. */
#define MAX_SIDE 20000
/* How a message about the configurable limits says it, to add a hint. */
#define OVER_LIMIT "octavo takes up to"

/* ===== limits ========================================================== */

/* Bytes the decoded image may take under max_pixels: a bound on the
 * memory any decode of an accepted image needs. */
static uint64_t byte_limit(long max_pixels)
{
	return (uint64_t)max_pixels * BK_IMAGE_BYTES_PER_PIXEL;
}

static double megapixels(uint64_t px)
{
	return (double)px / 1e6;
}

/*
 * The header's size against the limits: w x h pixels whose decoded
 * samples take bytes_per_pixel bytes each. Returns NULL or the problem,
 * in why.
 */
static const char *check_size(uint64_t w, uint64_t h, unsigned bytes_per_pixel, long max_pixels,
			      char *why, size_t n)
{
	if (w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE) {
		snprintf(why, n, "is %llu x %llu pixels; octavo takes 1 to %d a side",
			 (unsigned long long)w, (unsigned long long)h, MAX_SIDE);
		return why;
	}
	if (w * h > (uint64_t)max_pixels) {
		snprintf(why, n, "is %llu x %llu pixels (%.1f megapixels); " OVER_LIMIT " %g",
			 (unsigned long long)w, (unsigned long long)h, megapixels(w * h),
			 megapixels((uint64_t)max_pixels));
		return why;
	}
	uint64_t bytes = w * h * bytes_per_pixel;
	if (bytes > byte_limit(max_pixels)) {
		snprintf(why, n,
			 "is %llu x %llu pixels that decode to %.1f MB; " OVER_LIMIT " %.1f MB",
			 (unsigned long long)w, (unsigned long long)h, (double)bytes / 1e6,
			 (double)byte_limit(max_pixels) / 1e6);
		return why;
	}
	return NULL;
}

/* ===== PNG ============================================================= */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What the chunk walk learns of a PNG before libpng reads it. */
struct png_head {
	uint32_t width, height;
	unsigned depth, type, interlace;
	bool trns;
};

/*
 * Walks a PNG's chunks from the signature to IEND: each within the file,
 * each checksum right (zlib's crc32), IHDR first and at least one IDAT.
 * The pass-through in the PDF stage walks the same chunks to find the
 * IDAT data, so every one of them must be whole. Returns NULL or the
 * problem.
 */
static const char *walk_png(const unsigned char *p, size_t len, struct png_head *h)
{
	if (len < 33 || memcmp(p + 12, "IHDR", 4) || be32(p + 8) != 13)
		return "is a truncated PNG";
	h->width = be32(p + 16);
	h->height = be32(p + 20);
	h->depth = p[24];
	h->type = p[25];
	h->interlace = p[28];
	bool idat = false;
	for (size_t i = 8;;) {
		if (len - i < 12)
			return "is a truncated PNG";
		uint32_t n = be32(p + i);
		if (n > len - i - 12)
			return "is a truncated PNG";
		if (crc32(crc32(0, NULL, 0), p + i + 4, n + 4) != be32(p + i + 8 + n))
			return "is a damaged PNG (a chunk's checksum is wrong)";
		if (!memcmp(p + i + 4, "IDAT", 4))
			idat = true;
		if (!memcmp(p + i + 4, "tRNS", 4))
			h->trns = true;
		if (!memcmp(p + i + 4, "IEND", 4))
			return idat ? NULL : "is a PNG with no image data";
		i += (size_t)n + 12;
	}
}

/* libpng's state for one image: where it reads from, where its errors go. */
struct png_job {
	const unsigned char *data;
	size_t len, pos;
	char msg[200]; /* libpng's message, when it failed */
};

static void png_read_mem(png_structp png, png_bytep out, size_t n)
{
	struct png_job *j = png_get_io_ptr(png);
	if (n > j->len - j->pos)
		png_error(png, "the file ends early");
	memcpy(out, j->data + j->pos, n);
	j->pos += n;
}

static void png_on_error(png_structp png, png_const_charp msg)
{
	struct png_job *j = png_get_error_ptr(png);
	snprintf(j->msg, sizeof(j->msg), "%s", msg);
	png_longjmp(png, 1);
}

/* Warnings about the image data (too much of it, a palette index past
 * the palette's end, which libpng finds and lets through) are errors:
 * data that libpng would repair cannot be passed through to a PDF reader
 * that would not. Warnings about ancillary chunks (an sRGB profile libpng
 * dislikes) are not; the chunk is ignored, as it is in the PDF. */
static void png_on_warning(png_structp png, png_const_charp msg)
{
	if (png_get_io_chunk_type(png) == 0x49444154u) /* IDAT */
		png_on_error(png, msg);
}

/* A libpng reader over j, with our error handling; NULL when out of
 * memory (libpng's allocation is not ours to abort on). */
static png_structp png_start(struct png_job *j, png_infop *info)
{
	png_structp png =
	    png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_on_error, png_on_warning);
	if (!png)
		return NULL;
	*info = png_create_info_struct(png);
	if (!*info) {
		png_destroy_read_struct(&png, NULL, NULL);
		return NULL;
	}
	png_set_read_fn(png, j, png_read_mem);
	return png;
}

/* Whether every index in a row of w palette indexes of depth bits is
 * below npal, the palette's length. PDF readers would read past the end
 * of the /Indexed colour space's table. */
static bool palette_ok(const unsigned char *row, uint32_t w, unsigned depth, int npal)
{
	if (npal >= 1 << depth)
		return true;
	for (uint32_t x = 0; x < w; x++) {
		size_t bit = (size_t)x * depth;
		unsigned v =
		    (unsigned)(row[bit / 8] >> (8 - depth - bit % 8)) & ((1u << depth) - 1);
		if ((int)v >= npal)
			return false;
	}
	return true;
}

/* What a PNG's decode sees of its four edges (struct bk_image's edges). */
struct edges {
	int min;     /* the least colour sample */
	bool opaque; /* every alpha sample 255 */
};

/* Adds to e the pixels of a decoded row (w pixels of channels 8-bit
 * samples, alpha last when there are 2 or 4) on the image's edges: the
 * whole row for the top and bottom (whole), else its first and last. */
static void see_edges(struct edges *e, const unsigned char *row, uint32_t w, int channels,
		      bool whole)
{
	int colors = channels >= 3 ? 3 : 1;
	bool alpha = channels == 2 || channels == 4;
	for (uint32_t x = 0; x < w; x = whole || x + 1 == w ? x + 1 : w - 1) {
		const unsigned char *p = row + (size_t)x * (size_t)channels;
		for (int k = 0; k < colors; k++)
			if (p[k] < e->min)
				e->min = p[k];
		if (alpha && p[colors] < 255)
			e->opaque = false;
	}
}

/*
 * Decodes every row of the PNG once, into one row's buffer, and reads on
 * to IEND; palette indexes past the palette's end are errors. A PNG
 * without a palette is read through bk_image_decode's transformations,
 * which change nothing the check finds, so that its edges are seen on
 * the way (img->edges) and the EPUB need not decode it again (7.7 M
 * instructions for the edition's chart); not an interlaced one, whose
 * rows are whole only in the last pass. Returns NULL or the problem.
 */
static const char *check_png(const unsigned char *data, size_t len, long max_pixels, char *why,
			     size_t n, struct bk_image *img)
{
	struct png_head h = {0};
	const char *problem = walk_png(data, len, &h);
	if (problem)
		return problem;
	img->width = (int)(h.width > INT32_MAX ? INT32_MAX : h.width);
	img->height = (int)(h.height > INT32_MAX ? INT32_MAX : h.height);
	/* Decoded as the PDF stage would for a writer: grey 1 sample, RGB
	 * and palettes 3, one more for alpha or a tRNS key; 16 bits 2 bytes. */
	unsigned samples = h.type == 0 ? 1 : h.type == 4 ? 2 : h.type == 6 ? 4 : 3;
	if (h.trns && (h.type == 0 || h.type == 2 || h.type == 3))
		samples++;
	if ((problem = check_size(h.width, h.height, samples * (h.depth == 16 ? 2 : 1), max_pixels,
				  why, n)))
		return problem;

	struct png_job j = {data, len, 0, ""};
	png_infop info = NULL;
	png_structp png = png_start(&j, &info);
	if (!png)
		return "cannot be read: out of memory in libpng";
	unsigned char *volatile row = NULL;
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		free(row);
		snprintf(why, n, "is a damaged PNG (libpng: %s)", j.msg);
		return why;
	}
	png_read_info(png, info);
	png_uint_32 rx, ry;
	int unit;
	if (png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER && rx && ry)
		img->ppi_x = rx * 0.0254, img->ppi_y = ry * 0.0254; /* dots a metre */
	bool see = h.type != 3 && !h.interlace;
	if (see) { /* as bk_image_decode */
		png_set_expand(png);
		png_set_scale_16(png);
	}
	int passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	int channels = png_get_channels(png, info);
	see = see && png_get_bit_depth(png, info) == 8 && channels >= 1 && channels <= 4 &&
	      png_get_rowbytes(png, info) == (size_t)h.width * (size_t)channels;
	/* Zeroed: the rows of an interlaced image fill in pass by pass, and
	 * index 0 is in every palette. */
	row = xcalloc(png_get_rowbytes(png, info), 1);
	int npal = 0;
	png_colorp pal;
	if (h.type == 3 && !png_get_PLTE(png, info, &pal, &npal))
		png_error(png, "a palette image without a palette");
	bool indexes_ok = true;
	struct edges e = {255, true};
	for (int pass = 0; pass < passes && indexes_ok; pass++)
		for (uint32_t y = 0; y < h.height && indexes_ok; y++) {
			png_read_row(png, row, NULL);
			if (h.type == 3)
				indexes_ok = palette_ok(row, h.width, h.depth, npal);
			else if (see)
				see_edges(&e, row, h.width, channels, y == 0 || y + 1 == h.height);
		}
	if (indexes_ok)
		png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(row);
	if (!indexes_ok)
		return "is a damaged PNG (a pixel's palette index is past the palette's end)";
	img->edges_known = see;
	img->edges_min = e.min;
	img->edges_opaque = e.opaque;
	return NULL;
}

int bk_image_decode(const struct bk_image *img, struct bk_pixels *px, char *why, size_t n)
{
	memset(px, 0, sizeof(*px));
	if (img->media_type && (!strcmp(img->media_type, "image/gif") ||
				!strcmp(img->media_type, "image/svg+xml")))
		return bk_image_decode_more(img, px, why, n);
	if (!img->data || img->len < 8 || memcmp(img->data, "\x89PNG", 4)) {
		snprintf(why, n, "not a PNG");
		return -1;
	}
	struct png_job j = {img->data, img->len, 0, ""};
	png_infop info = NULL;
	png_structp png = png_start(&j, &info);
	if (!png) {
		snprintf(why, n, "out of memory in libpng");
		return -1;
	}
	unsigned char *volatile buf = NULL;
	png_bytep *volatile rows = NULL;
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		free(buf);
		free(rows);
		snprintf(why, n, "libpng: %s", j.msg);
		return -1;
	}
	png_read_info(png, info);
	/* Palettes to RGB, grey below 8 bits to 8, tRNS to an alpha channel;
	 * 16-bit samples rounded to 8 (scale, not strip: 0x80FF is 0x81). */
	png_set_expand(png);
	png_set_scale_16(png);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	size_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	int channels = png_get_channels(png, info);
	size_t rowbytes = png_get_rowbytes(png, info);
	if (png_get_bit_depth(png, info) != 8 || channels < 1 || channels > 4 ||
	    rowbytes != w * (size_t)channels)
		png_error(png, "an unexpected layout after transformation");
	buf = xmalloc(rowbytes * h);
	rows = xmalloc(h * sizeof(*rows));
	for (size_t y = 0; y < h; y++)
		rows[y] = buf + y * rowbytes;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	free(rows);

	/* Split the alpha channel off, in place: colour moves only down. */
	int colors = channels >= 3 ? 3 : 1;
	bool has_alpha = channels == 2 || channels == 4;
	unsigned char *alpha = NULL;
	if (has_alpha) {
		alpha = xmalloc(w * h);
		bool opaque = true;
		for (size_t i = 0; i < w * h; i++) {
			const unsigned char *s = buf + i * (size_t)channels;
			memmove(buf + i * (size_t)colors, s, (size_t)colors);
			alpha[i] = s[colors];
			opaque &= s[colors] == 255;
		}
		if (opaque) {
			free(alpha);
			alpha = NULL;
		}
	}
	px->width = (int)w;
	px->height = (int)h;
	px->colors = colors;
	px->color = buf;
	px->alpha = alpha;
	return 0;
}

void bk_pixels_release(struct bk_pixels *px)
{
	free(px->color);
	free(px->alpha);
	memset(px, 0, sizeof(*px));
}

/* ===== JPEG ============================================================ */

struct jpeg_job {
	struct jpeg_error_mgr mgr; /* first: libjpeg's err points here */
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
	int code;     /* libjpeg's message code */
	bool warning; /* a corrupt-data warning rather than an error */
};

static void jpeg_on_error(j_common_ptr c)
{
	struct jpeg_job *j = (struct jpeg_job *)c->err;
	j->code = j->mgr.msg_code;
	j->mgr.format_message(c, j->msg);
	longjmp(j->jb, 1);
}

/* Level -1 is a warning: libjpeg's word for corrupt data it decodes
 * anyway ("Corrupt JPEG data: bad Huffman code"), which a PDF reader
 * would show as a broken picture. Two warnings are about harmless
 * headers. Other levels are trace messages. */
static void jpeg_on_message(j_common_ptr c, int level)
{
	struct jpeg_job *j = (struct jpeg_job *)c->err;
	if (level >= 0 || c->err->msg_code == JWRN_JFIF_MAJOR ||
	    c->err->msg_code == JWRN_ADOBE_XFORM)
		return;
	j->warning = true;
	jpeg_on_error(c);
}

static void jpeg_quiet(j_common_ptr c)
{
	(void)c;
}

/*
 * Decodes every scanline of the JPEG into one line's buffer, fast and
 * without colour conversion: the scan's data is what is checked. Returns
 * NULL or the problem.
 */
static const char *check_jpeg(const unsigned char *data, size_t len, long max_pixels, char *why,
			      size_t n, struct bk_image *img)
{
	struct jpeg_decompress_struct ci;
	struct jpeg_job j;
	memset(&j, 0, sizeof(j));
	ci.err = jpeg_std_error(&j.mgr);
	j.mgr.error_exit = jpeg_on_error;
	j.mgr.emit_message = jpeg_on_message;
	j.mgr.output_message = jpeg_quiet;
	unsigned char *volatile row = NULL;
	const char *volatile problem = NULL;
	if (setjmp(j.jb)) {
		jpeg_destroy_decompress(&ci);
		free(row);
		if (j.code == JWRN_JPEG_EOF || j.code == JERR_INPUT_EOF)
			return "is a truncated JPEG";
		snprintf(why, n, "is a %s JPEG (libjpeg: %s)", j.warning ? "damaged" : "bad",
			 j.msg);
		return why;
	}
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, data, (unsigned long)len);
	jpeg_read_header(&ci, TRUE);
	img->width = (int)ci.image_width;
	img->height = (int)ci.image_height;
	img->components = ci.num_components;
	/* JFIF's density: 1 dots an inch, 2 a centimetre, 0 only an aspect */
	if (ci.saw_JFIF_marker && ci.X_density && ci.Y_density && ci.density_unit) {
		double k = ci.density_unit == 2 ? 2.54 : ci.density_unit == 1 ? 1 : 0;
		img->ppi_x = ci.X_density * k, img->ppi_y = ci.Y_density * k;
	}
	if (ci.num_components != 1 && ci.num_components != 3 && ci.num_components != 4) {
		snprintf(why, n, "is a JPEG of %d colour components; PDF takes 1, 3 or 4",
			 ci.num_components);
		problem = why;
	} else if (ci.arith_code) {
		problem = "is a JPEG in a coding PDF readers may not take (arithmetic)";
	} else {
		problem = check_size(ci.image_width, ci.image_height, (unsigned)ci.num_components,
				     max_pixels, why, n);
	}
	if (!problem) {
		/* A progressive JPEG holds all its coefficients (two bytes a
		 * sample) while it is decoded: allow that, no more. */
		ci.mem->max_memory_to_use = (long)(2 * byte_limit(max_pixels));
		ci.dct_method = JDCT_IFAST;
		ci.do_fancy_upsampling = FALSE;
		ci.do_block_smoothing = FALSE;
		ci.out_color_space = ci.jpeg_color_space;
		jpeg_start_decompress(&ci);
		row = xmalloc((size_t)ci.output_width * (size_t)ci.output_components);
		JSAMPROW rows[1] = {row};
		while (ci.output_scanline < ci.output_height)
			jpeg_read_scanlines(&ci, rows, 1);
		jpeg_finish_decompress(&ci);
	}
	jpeg_destroy_decompress(&ci);
	free(row);
	return problem;
}

/* ===== checking and reading ============================================ */

const char *bk_image_check(struct bk_image *img, const unsigned char *data, size_t len,
			   long max_pixels, char *why, size_t n)
{
	if (len >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8)) {
		img->media_type = "image/png";
		return check_png(data, len, max_pixels, why, n, img);
	}
	if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
		img->media_type = "image/jpeg";
		return check_jpeg(data, len, max_pixels, why, n, img);
	}
	if (bk_is_gif(data, len) || bk_is_svg(data, len))
		return bk_image_check_more(img, data, len, max_pixels, why, n);
	return "is not a PNG, JPEG, GIF or SVG image";
}

/*
 * Whether the file open on fd (st: its fstat) lies inside root: where
 * the kernel says the descriptor leads (/proc/self/fd), so that a path
 * swapped for a symlink between the check and the open is caught; without
 * /proc, the resolved path must still name the same file. Returns 0
 * inside, 1 outside, -1 with errno set.
 */
static int fd_inside(int fd, const struct stat *st, const char *real, const char *root)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	const char *roots[] = {root, NULL};
	struct stat pst;
	if (stat("/proc/self/fd", &pst) == 0)
		return resolve_inside(proc, roots, NULL);
	struct stat now;
	if (lstat(real, &now) < 0)
		return -1;
	return now.st_dev == st->st_dev && now.st_ino == st->st_ino ? 0 : 1;
}

int image_load(struct arena *a, struct bk_image *img, int fd, const char *root, long max_pixels,
	       struct diag *d, const char *path, int line, int col)
{
	/* fd was opened by bk_open_confined on the resolved path; the checks
	 * below are made again on it, the descriptor that is read. */
	struct stat st;
	if (fstat(fd, &st) < 0) {
		diag_error(d, path, line, col, "cannot read image '%s': %s", img->src,
			   strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = -1;
	if (S_ISDIR(st.st_mode)) {
		diag_error(d, path, line, col, "cannot read image '%s': %s", img->src,
			   strerror(EISDIR));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(d, path, line, col, "image '%s' is %s, not a file", img->src,
			   file_kind(st.st_mode));
		goto out;
	}
	int in = fd_inside(fd, &st, img->path, root);
	if (in != 0) {
		if (in < 0)
			diag_error(d, path, line, col, "cannot read image '%s': %s", img->src,
				   strerror(errno));
		else
			diag_error(d, path, line, col,
				   "image '%s' is outside the manuscript directory", img->src);
		goto out;
	}
	/* No image worth decoding is bigger as a file than decoded (16 MB
	 * allows for metadata); a bigger one is refused before it is read. */
	uint64_t most = byte_limit(max_pixels) > 16000000 ? byte_limit(max_pixels) : 16000000;
	if ((uint64_t)st.st_size > most) {
		diag_error(d, path, line, col,
			   "image '%s' is a %.1f MB file; octavo takes up to %.1f MB", img->src,
			   (double)st.st_size / 1e6, (double)most / 1e6);
		goto out;
	}
	/* Read one byte more than fstat promised, to see a file that grows
	 * while it is read. */
	size_t cap = (size_t)st.st_size + 1, got = 0;
	unsigned char *buf = ar_alloc(a, cap);
	for (;;) {
		ssize_t k = read(fd, buf + got, cap - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			diag_error(d, path, line, col, "cannot read image '%s': %s", img->src,
				   strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		got += (size_t)k;
		if (got == cap) {
			diag_error(d, path, line, col, "image '%s' changed while it was read",
				   img->src);
			goto out;
		}
	}
	img->data = buf;
	img->len = got;
	char why[320];
	const char *problem = bk_image_check(img, buf, got, max_pixels, why, sizeof(why));
	if (problem) {
		diag_error(d, path, line, col, "image '%s' %s", img->src, problem);
		if (strstr(problem, OVER_LIMIT))
			diag_hint(d,
				  "scale it down, or raise 'images: max-megapixels' in the style");
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* ===== the printed size ================================================ */

bool bk_image_css_size(const struct bk_image *img, double em, double *w, double *h)
{
	/* pixels at the file's own resolution, 96 an inch when it gives none
	 * (as CSS and browsers take a pixel) */
	double nw = img->ppi_x > 0 ? img->width * 96 / img->ppi_x : img->width;
	double nh = img->ppi_y > 0 ? img->height * 96 / img->ppi_y : img->height;
	double aspect = nw > 0 && nh > 0 ? nh / nw : 1;
	double aw = (img->em_w > 0 ? img->em_w * em : img->want_w) / BK_CSS_PX;
	double ah = (img->em_h > 0 ? img->em_h * em : img->want_h) / BK_CSS_PX;
	*w = aw > 0 ? aw : ah > 0 ? ah / aspect : nw;
	*h = ah > 0 ? ah : aw > 0 ? aw * aspect : nh;
	return aw > 0 || ah > 0;
}

bool bk_image_print_size(const struct bk_image *img, double share, double wide, double high,
			 double em, double *w, double *h)
{
	assert(wide > 0 && high > 0);
	double cw, ch;
	bool asked = bk_image_css_size(img, em, &cw, &ch);
	if (cw <= 0 || ch <= 0)
		cw = ch = wide / BK_CSS_PX;
	if (share <= 0)
		share = img->want_share;
	if (share > 0) {
		*w = wide * share;
		double tall = img->em_h > 0 ? img->em_h * em : img->want_h;
		*h = tall > 0 ? tall : *w * ch / cw;
		asked = true;
	} else if (!asked && !strcmp(img->media_type, "image/svg+xml")) {
		*w = wide, *h = wide * ch / cw; /* a drawing scales freely */
	} else {
		*w = cw * BK_CSS_PX, *h = ch * BK_CSS_PX;
	}
	/* smaller to fit, both sides alike (an author's shape kept) */
	double k = fmin(1, fmin(wide / *w, high / *h));
	*w *= k, *h *= k;
	return asked;
}
