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
#include "../util/dl.h"
#include "cli.h"

#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <png.h>
#include <poppler.h>
#include <setjmp.h>
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
	static const struct dl_sym syms[] = {
	    DL_SYM(rl, g_bytes_new),
	    DL_SYM(rl, g_bytes_unref),
	    DL_SYM(rl, g_object_unref),
	    DL_SYM(rl, g_error_free),
	    DL_SYM(rl, poppler_document_new_from_bytes),
	    DL_SYM(rl, poppler_document_get_page),
	    DL_SYM(rl, poppler_page_get_size),
	    DL_SYM(rl, poppler_page_render),
	    DL_SYM(rl, cairo_image_surface_create),
	    DL_SYM(rl, cairo_create),
	    DL_SYM(rl, cairo_scale),
	    DL_SYM(rl, cairo_set_source_rgb),
	    DL_SYM(rl, cairo_paint),
	    DL_SYM(rl, cairo_destroy),
	    DL_SYM(rl, cairo_surface_flush),
	    DL_SYM(rl, cairo_surface_status),
	    DL_SYM(rl, cairo_image_surface_get_data),
	    DL_SYM(rl, cairo_image_surface_get_stride),
	    DL_SYM(rl, cairo_surface_destroy),
	};
	struct dl_fail f;
	rl.ok = dl_load(names, ARRAY_LEN(names), syms, ARRAY_LEN(syms), &f) != NULL;
	if (!rl.ok && f.missing)
		snprintf(rl.why, sizeof(rl.why), "poppler-glib has no '%s'", f.missing);
	else if (!rl.ok)
		snprintf(rl.why, sizeof(rl.why), "cannot open poppler-glib (%s)", f.detail);
	return rl.ok;
}

/* libpng's output into a strbuf. */
static void png_out(png_structp png, png_bytep data, png_size_t n)
{
	sb_add(png_get_io_ptr(png), (const char *)data, n);
}

static void png_flush(png_structp png)
{
	(void)png;
}

static void png_fail(png_structp png, png_const_charp msg)
{
	char *why = png_get_error_ptr(png);
	snprintf(why, 200, "libpng: %s", msg);
	png_longjmp(png, 1);
}

/*
 * cairo's RGB24 rows (a native-endian 32-bit word a pixel, 0x00RRGGBB)
 * appended to out as an 8-bit RGB PNG by libpng, which drops the filler
 * byte and reorders the channels itself (png_set_filler, png_set_bgr),
 * so the 16 MB of pixels are never copied. zlib's fastest level with the
 * Sub filter: a cover is mostly flat colour, which any level packs
 * well, and level 6 took four times as long for 6% less. Returns 0, or
 * -1 with libpng's message in why (200 bytes).
 */
static int png_rows(const unsigned char *data, int stride, int w, int h, struct strbuf *out,
		    char *why)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, why, png_fail, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		snprintf(why, 200, "libpng: out of memory");
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	png_bytep *rows = xmalloc((size_t)h * sizeof(*rows));
	for (int y = 0; y < h; y++)
		rows[y] = (png_bytep)(uintptr_t)(data + (size_t)y * (size_t)stride);
	int rc = -1;
	if (setjmp(png_jmpbuf(png)) == 0) {
		png_set_write_fn(png, out, png_out, png_flush);
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
			     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
			     PNG_FILTER_TYPE_DEFAULT);
		png_set_compression_level(png, 1);
		png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
		png_write_info(png, info);
		uint32_t probe = 1;
		bool little = *(unsigned char *)&probe == 1;
		png_set_filler(png, 0, little ? PNG_FILLER_AFTER : PNG_FILLER_BEFORE);
		if (little)
			png_set_bgr(png);
		png_write_image(png, rows);
		png_write_end(png, NULL);
		rc = 0;
	}
	png_destroy_write_struct(&png, &info);
	free(rows);
	return rc;
}

/*
 * Renders the first page of the PDF in pdf (len bytes) to w x h pixels on
 * white and appends them to out as a PNG. Returns 0, or -1 with the
 * reason in why (n bytes, at least 200).
 */
static int render(const char *pdf, size_t len, int w, int h, struct strbuf *out, char *why,
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
	rc = png_rows(rl.cairo_image_surface_get_data(s), rl.cairo_image_surface_get_stride(s), w,
		      h, out, why);
	rl.cairo_surface_destroy(s);
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

/* A file by its name and identity: size, inode, mtime and ctime (any
 * write changes the ctime, which no one can set back). */
static uint64_t fnv_file(uint64_t h, const char *path)
{
	struct stat st;
	long long id[6] = {0, 0, 0, 0, 0, 0};
	if (path && stat(path, &st) == 0) {
		id[0] = (long long)st.st_size;
		id[1] = (long long)st.st_mtim.tv_sec;
		id[2] = (long long)st.st_mtim.tv_nsec;
		id[3] = (long long)st.st_ctim.tv_sec;
		id[4] = (long long)st.st_ctim.tv_nsec;
		id[5] = (long long)st.st_ino;
	}
	return fnv(fnv_str(h, path), id, sizeof(id));
}

/* A key of everything the front's design reads: what it says, the
 * style's figures and fonts, the picture, and octavo itself (its build
 * ID: the same under valgrind). */
static uint64_t front_key(const struct book *b)
{
	const struct bk_meta *m = &b->meta;
	const struct bk_style *st = &b->style;
	uint64_t h = fnv_str(0xcbf29ce484222325ULL, "octavo front cover 2");
	h = cli_build_key(h);
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
		   struct cli_txn *t, char **png, size_t *len, bool give_back, struct diag *d)
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
	/* The renderer maps poppler and cairo and draws on a 16 MB image,
	 * none of it in the heap's free chunks: freed by a big book's
	 * layout and kept, they would stack (tests/scale.sh's 2 MB essay,
	 * cold: 79 MB at its peak, here; 67 MB after giving back). */
	if (give_back)
		heap_give_back();
	struct pg_cover *cv = pg_cover_compose(b, f, &spec, PG_COVER_FRONT, 0, d);
	char *pdf = NULL;
	size_t pdf_len = 0;
	if (!cv || pdf_cover_write(b, cv, f, &spec, NULL, 0, NULL, &pdf, &pdf_len, d) < 0)
		goto out;
	/* The trim's shape, just large enough both ways. */
	double s = fmax(COVER_MIN_W / cv->width, COVER_MIN_H / cv->height);
	int w = (int)ceil(cv->width * s - 1e-6), h = (int)ceil(cv->height * s - 1e-6);
	char why[400];
	struct strbuf out = STRBUF_INIT;
	sb_add(&out, (const char *)&key, sizeof(key));
	if (render(pdf, pdf_len, w, h, &out, why, sizeof(why)) < 0) {
		diag_warning(d, NULL, 0, 0,
			     "the EPUB keeps its SVG cover: the raster cover could not be made: %s",
			     why);
		if (!rl.ok)
			diag_hint(d, "install poppler-glib: apt-get install libpoppler-glib8");
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
	free(pdf);
	pg_cover_free(cv);
	tx_fonts_free(own);
	sb_release(&name);
	return rc;
}

/* ===== octavo cover ==================================================== */

/* A file or folder of the manuscript that octavo writes or keeps to itself
 * (a hidden name: its records, an editor's swap files), or, with OUTDIR
 * the manuscript folder itself, one of the book's outputs (SLUG.pdf,
 * SLUG-cover.pdf...): not an input of the page count. */
static bool not_input(const char *name, const char *slug, bool outdir_here)
{
	size_t n = strlen(slug);
	return name[0] == '.' ||
	       (outdir_here && !strncmp(name, slug, n) && (name[n] == '.' || name[n] == '-'));
}

/*
 * Adds to *sum a hash of the name, size and modification time of every
 * file under dir (rel is its name in the manuscript, "" at the top), to
 * depth levels down. Each file's hash is summed, so the order readdir
 * gives does not matter. The output folder (out, its identity; NULL when
 * it does not exist yet) is left out, so a cover written inside the
 * manuscript does not change the key of the next.
 */
static void tree_key(uint64_t *sum, const char *dir, const char *rel, const struct stat *out,
		     const char *slug, int depth)
{
	DIR *dp = depth > 0 ? opendir(dir) : NULL;
	if (!dp)
		return;
	for (struct dirent *de; (de = readdir(dp));) {
		if (not_input(de->d_name, slug, out && !*rel && out->st_ino == 0))
			continue;
		char *path = path_join(dir, de->d_name);
		struct stat st;
		if (lstat(path, &st) == 0) {
			struct strbuf name = STRBUF_INIT;
			sb_addf(&name, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
			if (S_ISDIR(st.st_mode) &&
			    !(out && out->st_dev == st.st_dev && out->st_ino == st.st_ino)) {
				tree_key(sum, path, name.buf, out, slug, depth - 1);
			} else if (S_ISREG(st.st_mode)) {
				long long id[3] = {(long long)st.st_size,
						   (long long)st.st_mtim.tv_sec,
						   (long long)st.st_mtim.tv_nsec};
				*sum +=
				    fnv(fnv_str(0xcbf29ce484222325ULL, name.buf), id, sizeof(id));
			}
			sb_release(&name);
		}
		free(path);
	}
	closedir(dp);
}

/*
 * A key of everything the interior's page count follows from, read
 * without parsing the Markdown: book.yaml, the style and every part as
 * bytes, every other file of the manuscript (its images) by name, size
 * and time of change, the fonts and octavo itself. The cover keeps the
 * count it laid out under it (OUTDIR/.SLUG.cover-pages), so that a second
 * cover of an unchanged book neither parses nor lays out the book, which
 * is most of its time. b may be book_load_head's.
 */
static uint64_t interior_key(const struct book *b, const char *outdir)
{
	uint64_t h = fnv_str(0xcbf29ce484222325ULL, "octavo interior pages 2");
	h = cli_build_key(h);
	h = fnv_str(h, b->meta.language);
	const char *files[] = {b->yaml_path, b->style.path};
	for (size_t i = 0; i < ARRAY_LEN(files) + b->nparts; i++) {
		const char *p = i < ARRAY_LEN(files) ? files[i] : b->parts[i - ARRAY_LEN(files)].path;
		size_t n = 0;
		char *text = p ? read_file(p, &n) : NULL;
		h = fnv(fnv_str(h, p), &n, sizeof(n));
		if (text)
			h = fnv(h, text, n);
		free(text);
	}
	/* The output folder inside the manuscript is left out; the
	 * manuscript itself as the output folder (st_ino 0 marks it) keeps
	 * its inputs and leaves out only the book's outputs. */
	struct stat out, dir;
	bool have_out = stat(outdir, &out) == 0;
	if (have_out && stat(b->dir, &dir) == 0 && dir.st_dev == out.st_dev &&
	    dir.st_ino == out.st_ino)
		out.st_ino = 0;
	uint64_t sum = 0;
	tree_key(&sum, b->dir, "", have_out ? &out : NULL, b->meta.slug, 16);
	h = fnv(h, &sum, sizeof(sum));
	for (int i = 0; i < 4; i++)
		h = fnv_file(h, b->style.font[i]);
	return fnv_file(h, b->style.font_mono);
}

/* The page count OUTDIR/.SLUG.cover-pages (rec_name) keeps under key, or
 * 0 when it keeps none or another key's. */
static size_t recorded_pages(const char *outdir, const char *rec_name, uint64_t key)
{
	char *rec_path = path_join(outdir, rec_name);
	size_t len = 0, pages = 0;
	char *old = read_file(rec_path, &len);
	free(rec_path);
	unsigned long long old_key = 0;
	if (!old || sscanf(old, "%llx %zu", &old_key, &pages) != 2 || old_key != key)
		pages = 0;
	free(old);
	return pages;
}

/* *b (book_load_head's) replaced by the whole book, its Markdown parsed
 * to be laid out, and *spec made again from it. Returns false after
 * reporting to d (*b is then NULL). */
static bool whole_book(const struct cli_opts *o, struct book **b, struct pg_cover_spec *spec,
		       struct diag *d)
{
	book_free(*b);
	if (!(*b = book_load(o->dir, o->datadir, d)))
		return false;
	const struct print_profile *pp = o->profile ? o->profile : (*b)->style.profile;
	pg_cover_spec_for(pp ? pp->name : NULL, *b, spec);
	spec->guides = o->guides;
	return true;
}

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
	struct strbuf rec = STRBUF_INIT, rec_name = STRBUF_INIT; /* the pages' record */
	/* book.yaml and the style first: the Markdown is parsed only when
	 * the page count must be laid out again. */
	struct book *b = book_load_head(o->dir, o->datadir, &d);
	if (!b) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	struct pg_cover_spec spec;
	/* --profile, else the style's 'print:', else the style's own figures */
	const struct print_profile *pp = o->profile ? o->profile : b->style.profile;
	const char *pname = pp ? pp->name : NULL;
	if (!pg_cover_spec_for(pname, b, &spec)) {
		const char *near = near_profile(pname);
		fprintf(stderr, "octavo: error: no cover for print profile '%s' (%s)\n", pname,
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
	if (tx_hyph_check(b, &d) < 0) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	/* The spine is the interior's thickness: its pages, as the build
	 * lays them out, or as the last cover of the same book found. */
	uint64_t key = interior_key(b, o->outdir);
	sb_addf(&rec_name, ".%s.cover-pages", b->meta.slug);
	size_t pages = recorded_pages(o->outdir, rec_name.buf, key);
	if (!pages && !whole_book(o, &b, &spec, &d)) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	if (!(f = tx_fonts_load(&b->style, b->meta.language, &d))) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	if (!pages) {
		doc = pg_compose_lean(b, f, &d);
		pages = doc ? doc->npages : 0;
		sb_addf(&rec, "%016llx %zu\n", (unsigned long long)key, pages);
	}
	if (!pages || d.nerr) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	/* The spine holds every leaf the printer binds: the blanks a
	 * profile pads the interior with (to even, or to a signature) too. */
	pages += print_profile_pad(spec.print, pages);
	res->npages = pages;
	cv = pg_cover_compose(b, f, &spec, PG_COVER_WRAP, pages, &d);
	if (!cv) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, "%s-cover.pdf", b->meta.slug);
	path = cli_out_path(o->outdir, name.buf, &d);
	txn = path ? cli_txn_open(o->outdir, b->meta.slug, o->quiet, &d) : NULL;
	if (txn && rec.len) /* best effort: a record not kept is laid out again */
		cli_txn_put(txn, rec_name.buf, rec.buf, rec.len, NULL);
	/* (valid until the next call on txn) */
	const char *staged = txn ? cli_txn_stage(txn, name.buf, &d) : NULL;
	sb_release(&name);
	if (!staged) {
		status = CLI_IO;
		goto out;
	}
	size_t icc_len = 0;
	unsigned char *icc = NULL;
	if (spec.print && spec.print->standard != PRINT_PDF &&
	    !(icc = pdf_icc_load(spec.print, o->datadir, &icc_len, &d))) {
		status = CLI_IO;
		goto out;
	}
	int rc = pdf_cover_write(b, cv, f, &spec, icc, icc_len, staged, NULL, NULL, &d);
	free(icc);
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
	sb_release(&rec);
	sb_release(&rec_name);
	cli_txn_free(txn);
	free(path);
	pg_cover_free(cv);
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	return status;
}
