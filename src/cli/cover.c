/*
 * cover.c - 'octavo cover': the wrap cover for the printer
 * (OUTDIR/SLUG-cover.pdf), and the EPUB's raster cover image, the same
 * front design rendered by poppler and cairo.
 *
 * poppler-glib and cairo are opened with dlopen when a cover image is
 * first rendered, not linked: linked, they cost every octavo process
 * 17 ms of dynamic loading (measured: 50 starts of an empty program,
 * 0.09 s unlinked, 0.93 s linked), a sixth of the edition's time, for a
 * picture rendered only when the front's design changes. Their headers
 * (libpoppler-glib-dev, libcairo2-dev) give the calls' types.
 */
#define _POSIX_C_SOURCE 200809L
#include "../pdf/pdf.h"
#include "cli.h"

#include <cairo.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ===== rendering (poppler-glib over cairo, opened on first use) ======== */

#define FN(name) __typeof__(&name) name
static struct {
	bool tried, ok;
	char why[300];
	FN(g_bytes_new);
	FN(g_bytes_unref);
	FN(g_object_unref);
	FN(g_error_free);
	FN(poppler_document_new_from_bytes);
	FN(poppler_document_get_page);
	FN(poppler_page_get_size);
	FN(poppler_page_render);
	FN(cairo_image_surface_create);
	FN(cairo_create);
	FN(cairo_scale);
	FN(cairo_set_source_rgb);
	FN(cairo_paint);
	FN(cairo_destroy);
	FN(cairo_surface_flush);
	FN(cairo_surface_status);
	FN(cairo_image_surface_get_data);
	FN(cairo_image_surface_get_stride);
	FN(cairo_surface_destroy);
} rl;
#undef FN

/* Opens poppler-glib (which brings cairo, GObject and GLib) once.
 * Returns whether every call was found; rl.why says what was not. */
static bool render_lib(void)
{
	if (rl.tried)
		return rl.ok;
	rl.tried = true;
	static const char *const names[] = {"libpoppler-glib.so.8", "libpoppler-glib.so"};
	void *h = NULL;
	for (size_t i = 0; i < ARRAY_LEN(names) && !h; i++)
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(rl.why, sizeof(rl.why), "cannot open poppler-glib (%s)", e ? e : "?");
		return false;
	}
	struct {
		const char *name;
		void **fn;
	} syms[] = {
#define SYM(n) {#n, (void **)&rl.n}
	    SYM(g_bytes_new),
	    SYM(g_bytes_unref),
	    SYM(g_object_unref),
	    SYM(g_error_free),
	    SYM(poppler_document_new_from_bytes),
	    SYM(poppler_document_get_page),
	    SYM(poppler_page_get_size),
	    SYM(poppler_page_render),
	    SYM(cairo_image_surface_create),
	    SYM(cairo_create),
	    SYM(cairo_scale),
	    SYM(cairo_set_source_rgb),
	    SYM(cairo_paint),
	    SYM(cairo_destroy),
	    SYM(cairo_surface_flush),
	    SYM(cairo_surface_status),
	    SYM(cairo_image_surface_get_data),
	    SYM(cairo_image_surface_get_stride),
	    SYM(cairo_surface_destroy),
#undef SYM
	};
	for (size_t i = 0; i < ARRAY_LEN(syms); i++) {
		*syms[i].fn = dlsym(h, syms[i].name);
		if (!*syms[i].fn) {
			snprintf(rl.why, sizeof(rl.why), "poppler-glib has no '%s'", syms[i].name);
			return false;
		}
	}
	return rl.ok = true;
}

/*
 * Renders the first page of the PDF in pdf (len bytes) to w x h pixels of
 * 8-bit RGB (malloc'd into *rgb) on white. Returns 0, or -1 with the
 * reason in why (n bytes).
 */
static int render(const char *pdf, size_t len, int w, int h, unsigned char **rgb, char *why,
		  size_t n)
{
	if (!render_lib()) {
		snprintf(why, n, "%s", rl.why);
		return -1;
	}
	GError *err = NULL;
	GBytes *bytes = rl.g_bytes_new(pdf, len);
	PopplerDocument *doc = rl.poppler_document_new_from_bytes(bytes, NULL, &err);
	PopplerPage *page = doc ? rl.poppler_document_get_page(doc, 0) : NULL;
	int rc = -1;
	if (!page) {
		snprintf(why, n, "poppler cannot read the cover's PDF (%s)",
			 err && err->message ? err->message : "no page");
		goto out;
	}
	double pw, ph;
	rl.poppler_page_get_size(page, &pw, &ph);
	cairo_surface_t *s = rl.cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (rl.cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		snprintf(why, n, "cairo cannot make a %d x %d image", w, h);
		rl.cairo_surface_destroy(s);
		goto out;
	}
	cairo_t *cr = rl.cairo_create(s);
	rl.cairo_set_source_rgb(cr, 1, 1, 1);
	rl.cairo_paint(cr);
	rl.cairo_scale(cr, w / pw, h / ph);
	rl.poppler_page_render(page, cr);
	rl.cairo_destroy(cr);
	rl.cairo_surface_flush(s);
	const unsigned char *data = rl.cairo_image_surface_get_data(s);
	int stride = rl.cairo_image_surface_get_stride(s);
	unsigned char *out = xmalloc((size_t)w * (size_t)h * 3);
	/* CAIRO_FORMAT_RGB24: a native-endian 32-bit word a pixel, 0x00RRGGBB. */
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
		unsigned char *o = out + (size_t)y * w * 3;
		for (int x = 0; x < w; x++) {
			uint32_t v = row[x];
			o[3 * x] = (unsigned char)(v >> 16);
			o[3 * x + 1] = (unsigned char)(v >> 8);
			o[3 * x + 2] = (unsigned char)v;
		}
	}
	rl.cairo_surface_destroy(s);
	*rgb = out;
	rc = 0;
out:
	if (err)
		rl.g_error_free(err);
	if (page)
		rl.g_object_unref(page);
	if (doc)
		rl.g_object_unref(doc);
	rl.g_bytes_unref(bytes);
	return rc;
}

/* ===== the EPUB's cover image ========================================== */

/* EPUB cover images: at least 1600 x 2560 pixels (the size KDP and
 * Apple Books ask of an ebook's cover). */
#define COVER_MIN_W 1600
#define COVER_MIN_H 2560

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "", 1);
}

static uint64_t fnv_file(uint64_t h, const char *path)
{
	struct stat st;
	long long id[3] = {0, 0, 0};
	if (path && stat(path, &st) == 0) {
		id[0] = (long long)st.st_size;
		id[1] = (long long)st.st_mtim.tv_sec;
		id[2] = (long long)st.st_mtim.tv_nsec;
	}
	return fnv(fnv_str(h, path), id, sizeof(id));
}

/* A key of everything the front's design reads: what it says, the
 * style's figures and fonts, the picture, and octavo itself. */
static uint64_t front_key(const struct book *b)
{
	const struct bk_meta *m = &b->meta;
	const struct bk_style *st = &b->style;
	uint64_t h = fnv_str(0xcbf29ce484222325ULL, "octavo front cover 1");
	h = fnv_file(h, "/proc/self/exe");
	const char *v[] = {m->title, m->subtitle, m->publisher, m->language};
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		h = fnv_str(h, v[i]);
	for (size_t i = 0; i < m->ncreators; i++)
		h = fnv_str(fnv_str(h, m->creators[i].name), m->creators[i].role);
	double fig[] = {st->page_w, st->page_h, st->expansion, (double)st->accent_rgb,
			st->ligatures, st->protrusion};
	h = fnv(h, fig, sizeof(fig));
	for (int i = 0; i < 4; i++)
		h = fnv_file(h, st->font[i]);
	h = fnv_file(h, st->font_mono);
	for (size_t i = 0; i < st->nhyphenation; i++)
		h = fnv_str(h, st->hyphenation[i]);
	if (m->cover_image) {
		h = fnv(h, &m->cover_image->len, sizeof(m->cover_image->len));
		h = fnv(h, m->cover_image->data, m->cover_image->len);
	}
	return h;
}

int cli_cover_epub(const struct book *b, struct tx_fonts *f, const char *outdir,
		   struct cli_txn *t, char **png, size_t *len, struct diag *d)
{
	*png = NULL;
	*len = 0;
	uint64_t key = front_key(b);
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, ".%s.cover-png", b->meta.slug);
	char *cache = path_join(outdir, name.buf);
	size_t n = 0;
	char *old = read_file(cache, &n);
	free(cache);
	if (old && n > sizeof(key) && !memcmp(old, &key, sizeof(key))) {
		memmove(old, old + sizeof(key), n - sizeof(key));
		*png = old;
		*len = n - sizeof(key);
		sb_release(&name);
		return 0;
	}
	free(old);

	int rc = -1;
	struct tx_fonts *own = NULL;
	if (!f && !(f = own = tx_fonts_load(&b->style, b->meta.language, d))) {
		sb_release(&name);
		return -1;
	}
	struct pg_cover_spec spec;
	pg_cover_spec_for(NULL, b, &spec);
	spec.safe = 0.125 * 72;
	struct pg_cover *cv = pg_cover_compose(b, f, &spec, PG_COVER_FRONT, 0, d);
	char *pdf = NULL;
	size_t pdf_len = 0;
	unsigned char *rgb = NULL;
	if (!cv || pdf_cover_write(b, cv, f, &spec, NULL, &pdf, &pdf_len, d) < 0)
		goto out;
	/* The trim's shape, just large enough both ways. */
	double s = fmax(COVER_MIN_W / cv->width, COVER_MIN_H / cv->height);
	int w = (int)ceil(cv->width * s - 1e-6), h = (int)ceil(cv->height * s - 1e-6);
	char why[400];
	if (render(pdf, pdf_len, w, h, &rgb, why, sizeof(why)) < 0) {
		diag_warning(d, NULL, 0, 0,
			     "the EPUB keeps its SVG cover: the raster cover could not be made: %s",
			     why);
		diag_hint(d, "install poppler-glib: apt-get install libpoppler-glib8");
		goto out;
	}
	struct strbuf out = STRBUF_INIT;
	sb_add(&out, (const char *)&key, sizeof(key));
	if (cli_png_encode(rgb, w, h, &out) < 0) {
		diag_warning(d, NULL, 0, 0, "the EPUB keeps its SVG cover: libpng: %s",
			     out.buf + sizeof(key));
		sb_release(&out);
		goto out;
	}
	/* Kept beside the edition for the next build, with the edition. */
	if (t)
		cli_txn_put(t, name.buf, out.buf, out.len, NULL);
	*len = out.len - sizeof(key);
	*png = xmalloc(*len);
	memcpy(*png, out.buf + sizeof(key), *len);
	sb_release(&out);
	rc = 0;
out:
	free(rgb);
	free(pdf);
	pg_cover_free(cv);
	tx_fonts_free(own);
	sb_release(&name);
	return rc;
}

/* ===== octavo cover ==================================================== */

/* The profile named most like name, for a did-you-mean; NULL if none is
 * near. */
static const char *near_profile(const char *name)
{
	static const char *const v[] = {"kdp", "ingramspark", "lulu", "offset", "style"};
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < ARRAY_LEN(v); i++) {
		/* Levenshtein distance, rows of at most 32. */
		size_t a = strlen(name), bl = strlen(v[i]);
		if (a > 30)
			continue;
		size_t prev[32], cur[32];
		for (size_t k = 0; k <= bl; k++)
			prev[k] = k;
		for (size_t j = 1; j <= a; j++) {
			cur[0] = j;
			for (size_t k = 1; k <= bl; k++) {
				size_t c = prev[k - 1] + (name[j - 1] != v[i][k - 1]);
				c = c < prev[k] + 1 ? c : prev[k] + 1;
				cur[k] = c < cur[k - 1] + 1 ? c : cur[k - 1] + 1;
			}
			memcpy(prev, cur, (bl + 1) * sizeof(size_t));
		}
		if (prev[bl] < best_d) {
			best_d = prev[bl];
			best = v[i];
		}
	}
	return best;
}

int cli_cover(const struct cli_opts *o, struct cli_result *res)
{
	memset(res, 0, sizeof(*res));
	double t0 = cli_now();
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = o->quiet;
	d.color = o->color;
	int status = CLI_OK;
	struct tx_fonts *f = NULL;
	struct pg_doc *doc = NULL;
	struct pg_cover *cv = NULL;
	struct cli_txn *txn = NULL;
	char *path = NULL;
	struct book *b = book_load(o->dir, o->datadir, &d);
	if (!b) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	struct pg_cover_spec spec;
	if (!pg_cover_spec_for(o->profile, b, &spec)) {
		const char *near = near_profile(o->profile);
		fprintf(stderr, "octavo: error: unknown print profile '%s' (%s)\n", o->profile,
			pg_cover_profiles);
		if (near)
			fprintf(stderr, "hint: did you mean '%s'?\n", near);
		status = CLI_USAGE;
		goto out;
	}
	spec.guides = o->guides;
	/* What needs no layout first: no print ISBN is an error at once. */
	if (!b->meta.isbn_print) {
		pg_cover_compose(b, NULL, &spec, PG_COVER_WRAP, 0, &d);
		status = CLI_MANUSCRIPT;
		goto out;
	}
	if (tx_hyph_check(b, &d) < 0 || !(f = tx_fonts_load(&b->style, b->meta.language, &d))) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	/* The spine is the interior's thickness: its pages, as the build
	 * lays them out. */
	doc = pg_compose_lean(b, f, &d);
	if (!doc || d.nerr) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	res->npages = doc->npages;
	cv = pg_cover_compose(b, f, &spec, PG_COVER_WRAP, doc->npages, &d);
	if (!cv) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, "%s-cover.pdf", b->meta.slug);
	path = cli_out_path(o->outdir, name.buf, &d);
	txn = path ? cli_txn_open(o->outdir, b->meta.slug, o->quiet, &d) : NULL;
	const char *staged = txn ? cli_txn_stage(txn, name.buf, &d) : NULL;
	sb_release(&name);
	if (!staged) {
		status = CLI_IO;
		goto out;
	}
	int rc = pdf_cover_write(b, cv, f, &spec, staged, NULL, NULL, &d);
	if (rc < 0) {
		status = rc == PDF_BAD_INPUT ? CLI_MANUSCRIPT : CLI_IO;
		goto out;
	}
	if (cli_txn_commit(txn, &d) < 0) {
		status = CLI_IO;
		goto out;
	}
	res->written = xstrdup(path);
out:
	res->status = status;
	res->nerr = d.nerr;
	res->nwarn = d.nwarn;
	res->seconds = cli_now() - t0;
	if (!o->quiet || status != CLI_OK) {
		if (status == CLI_OK && cv) {
			double mm = 25.4 / 72;
			fprintf(stderr,
				"octavo: wrote %s: %.1f x %.1f mm with %.2f mm bleed, spine %.2f mm "
				"(%zu pages x %.5f in, %s paper%s), %s profile, in %.0f ms",
				res->written, (cv->width + 2 * cv->bleed) * mm,
				(cv->height + 2 * cv->bleed) * mm, cv->bleed * mm, cv->spine * mm,
				cv->pages, spec.paper, spec.paper_name,
				spec.spine_add ? " + Lulu's 0.06 in" : "", spec.profile,
				res->seconds * 1000);
			if (d.nwarn)
				fprintf(stderr, ", %d warning%s", d.nwarn, d.nwarn == 1 ? "" : "s");
			fputc('\n', stderr);
		} else if (status != CLI_USAGE) {
			fprintf(stderr, "octavo: %d error%s; the cover was not written%s\n", d.nerr,
				d.nerr == 1 ? "" : "s",
				status == CLI_OK ? "" : " (any earlier one is as it was)");
		}
	}
	cli_txn_free(txn);
	free(path);
	pg_cover_free(cv);
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	return status;
}
