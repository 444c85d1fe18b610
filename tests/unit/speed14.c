/* speed14.c - what a build no longer makes twice gives what making it
 * again gave: a PNG's edges, seen by the check's decode (image.c), are
 * those of bk_image_decode's pixels, for every layout libpng writes; the
 * words a second thread shaped (a fork joined) are kept for the next
 * build, which takes them without shaping them again. */
#include "unit/unit.h"

#include "book/book.h"
#include "text/text.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

/* Whether every pixel on px's four edges is opaque and at least min in
 * every colour sample, from the pixels. */
static bool decoded_white(const struct bk_pixels *px, int min)
{
	for (int y = 0; y < px->height; y++)
		for (int x = 0; x < px->width; x++) {
			if (y && y + 1 < px->height && x && x + 1 < px->width)
				continue;
			size_t i = (size_t)y * (size_t)px->width + (size_t)x;
			if (px->alpha && px->alpha[i] < 255)
				return false;
			for (int k = 0; k < px->colors; k++)
				if (px->color[i * (size_t)px->colors + k] < min)
					return false;
		}
	return true;
}

/* A w x h PNG of format (png_image's) whose samples are ground, with one
 * pixel of ink at (x, y) (-1: none); malloc'd, its length in *len. */
static unsigned char *make_png(int w, int h, png_uint_32 format, int ground, int ink, int x,
			       int y, size_t *len)
{
	png_image im;
	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	im.width = (png_uint_32)w;
	im.height = (png_uint_32)h;
	im.format = format;
	size_t n = PNG_IMAGE_SIZE(im), cs = PNG_IMAGE_SAMPLE_COMPONENT_SIZE(format);
	size_t ch = PNG_IMAGE_SAMPLE_CHANNELS(format);
	unsigned char *pix = malloc(n);
	for (size_t i = 0; i < n / cs; i++) {
		size_t px = i / ch;
		int v = x >= 0 && (int)(px % (size_t)w) == x && (int)(px / (size_t)w) == y ? ink
											 : ground;
		if (cs == 2)
			((png_uint_16 *)pix)[i] = (png_uint_16)(v * 257);
		else
			pix[i] = (unsigned char)v;
	}
	png_alloc_size_t size = 0;
	png_image_write_to_memory(&im, NULL, &size, 0, pix, 0, NULL);
	unsigned char *out = malloc(size);
	if (!png_image_write_to_memory(&im, out, &size, 0, pix, 0, NULL)) {
		free(out);
		out = NULL;
	}
	free(pix);
	png_image_free(&im);
	*len = size;
	return out;
}

UNIT_TEST(png_edges_seen_by_the_check)
{
	const png_uint_32 formats[] = {PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB,
				       PNG_FORMAT_RGBA, PNG_FORMAT_LINEAR_Y};
	/* ground, ink and where: a white ground, ink on an edge and inside,
	 * a ground just under the frame's 235 and at it. */
	const int cases[][4] = {{255, 0, 0, 3},	 {255, 0, 6, 3}, {255, 0, 3, 3}, {234, 234, -1, 0},
				{235, 235, -1, 0}, {255, 100, 6, 6}, {250, 0, 5, 0}};
	int seen = 0;
	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			size_t len = 0;
			unsigned char *data = make_png(7, 7, formats[f], cases[c][0], cases[c][1],
						       cases[c][2], cases[c][3], &len);
			if (!data) {
				UCHECK(false, "libpng wrote format %u", (unsigned)formats[f]);
				continue;
			}
			struct bk_image img;
			memset(&img, 0, sizeof(img));
			char why[256];
			const char *bad = bk_image_check(&img, data, len, 1000000, why, sizeof(why));
			img.data = data;
			img.len = len;
			struct bk_pixels px;
			UCHECK(!bad && bk_image_decode(&img, &px, why, sizeof(why)) == 0,
			       "format %u case %zu checks and decodes", (unsigned)formats[f], c);
			if (bad) {
				free(data);
				continue;
			}
			UCHECK(img.edges_known, "format %u: the edges seen", (unsigned)formats[f]);
			for (int min = 230; min <= 255; min += 5) {
				bool from_check = img.edges_opaque && img.edges_min >= min;
				UCHECK(from_check == decoded_white(&px, min),
				       "format %u case %zu at %d: the check's edges (%d, %s) and the "
				       "pixels' agree",
				       (unsigned)formats[f], c, min, img.edges_min,
				       img.edges_opaque ? "opaque" : "not opaque");
			}
			seen++;
			bk_pixels_release(&px);
			free(data);
		}
	UCHECK(seen == 35, "35 PNGs made and compared, not %d", seen);
}

/* One record in memory, as the records store keeps it for a key. */
struct mem {
	uint64_t key;
	char *data;
	size_t len;
};

static const char *mem_get(void *ctx, uint64_t key, size_t *len)
{
	struct mem *m = ctx;
	if (!m->data || key != m->key)
		return NULL;
	*len = m->len;
	return m->data;
}

static void mem_put(void *ctx, uint64_t key, const char *data, size_t len)
{
	struct mem *m = ctx;
	free(m->data);
	m->data = malloc(len ? len : 1);
	memcpy(m->data, data, len);
	m->len = len;
	m->key = key;
}

UNIT_TEST(shapes_of_a_fork_kept)
{
	struct diag d;
	diag_init(&d, stderr);
	struct book *b = book_load("tests/golden/small", ".", &d);
	UCHECK(b != NULL, "a book for the fonts");
	if (!b)
		return;
	static const char *const first[] = {"office", "Civil"},
				 *const second[] = {"affine", "partnership", "Civil"};
	struct mem m = {0};
	struct tx_store s = {.get = mem_get, .put = mem_put, .ctx = &m, .seed = 14};
	struct tx_fonts *f = tx_fonts_load(&b->style, "en-GB", &d);
	if (f) {
		tx_shapes_take(f, &s);
		struct tx_fonts *k = tx_fonts_fork(f);
		for (size_t i = 0; i < 2; i++)
			tx_shape(f, TX_REGULAR, first[i], strlen(first[i]));
		for (size_t i = 0; i < 3; i++)
			tx_shape(k, TX_REGULAR, second[i], strlen(second[i]));
		UCHECK(tx_fonts_join(f, k), "the fork joins");
		tx_shapes_give(f, &s);
		tx_fonts_free(f);
	}
	struct tx_fonts *g = f ? tx_fonts_load(&b->style, "en-GB", &d) : NULL;
	if (g) {
		tx_shapes_take(g, &s);
		for (size_t i = 0; i < 3; i++)
			tx_shape(g, TX_REGULAR, second[i], strlen(second[i]));
		for (size_t i = 0; i < 2; i++)
			tx_shape(g, TX_REGULAR, first[i], strlen(first[i]));
		struct tx_stats st;
		tx_stats(g, &st);
		UCHECK(st.shaped == 0 && st.lookups == 5,
		       "the next build takes both threads' words: %zu of 5 shaped again", st.shaped);
		tx_fonts_free(g);
	}
	free(m.data);
	book_free(b);
}

/* A counting store of one record. */
struct count_store {
	struct mem m;
	int puts;
};

static void count_put(void *ctx, uint64_t key, const char *data, size_t len)
{
	struct count_store *c = ctx;
	c->puts++;
	mem_put(&c->m, key, data, len);
}

static const char *count_get(void *ctx, uint64_t key, size_t *len)
{
	struct count_store *c = ctx;
	return mem_get(&c->m, key, len);
}

UNIT_TEST(hyph_answers_kept)
{
	static const char *const words[] = {"colaboración", "independencia", "responsabilidad",
					    "comunidad", "voluntariado"};
	struct count_store c = {0};
	struct tx_store s = {.get = count_get, .put = count_put, .ctx = &c, .seed = 14};
	struct bk_style st;
	memset(&st, 0, sizeof(st));
	char first[5][64], again[5][64];
	/* es-PE: a dictionary no other test loads, read through the store. */
	tx_hyph_answers_take(&s);
	tx_hyph_preload_stored("es-PE", NULL, &s);
	struct tx_hyph *h = tx_hyph_load("es-PE", &st, NULL);
	for (size_t i = 0; i < 5; i++)
		unit_hyphenated(h, words[i], strlen(words[i]), first[i], sizeof(first[i]));
	tx_hyph_free(h);
	int puts = c.puts;
	tx_hyph_answers_give(&s);
	UCHECK(c.puts == puts + 1 && c.m.len > 0, "the answers given (%d puts)", c.puts - puts);
	tx_hyph_answers_take(&s);
	h = tx_hyph_load("es-PE", &st, NULL);
	for (size_t i = 0; i < 5; i++) {
		unit_hyphenated(h, words[i], strlen(words[i]), again[i], sizeof(again[i]));
		UCHECK(!strcmp(first[i], again[i]), "'%s' taken as found: '%s'", first[i], again[i]);
	}
	tx_hyph_free(h);
	tx_hyph_answers_give(&s);
	UCHECK(c.puts == puts + 1, "nothing new: nothing given again (%d puts)", c.puts - puts);
	/* Answers of another seed are not taken: found afresh, alike. */
	s.seed = 15;
	tx_hyph_answers_take(&s);
	h = tx_hyph_load("es-PE", &st, NULL);
	unit_hyphenated(h, words[0], strlen(words[0]), again[0], sizeof(again[0]));
	UCHECK(!strcmp(first[0], again[0]), "another seed: '%s'", again[0]);
	tx_hyph_free(h);
	tx_hyph_answers_drop();
	free(c.m.data);
}
