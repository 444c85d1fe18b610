/*
 * ocf.c - the EPUB's container: its files zipped with libzip (OCF, the
 * EPUB Open Container Format).
 *
 * libzip is opened with dlopen on the first EPUB, not linked: it brings
 * libcrypto (and libbz2) with it, whose loading and relocation cost every
 * run of octavo a few milliseconds of its start, a PDF-only build and
 * 'octavo check' included. The EPUB is written beside the PDF (src/util/jobs.h),
 * so in a build of both the opening runs on the EPUB's thread, off the
 * PDF's path.
 */
#include "epub-int.h"
#include "../util/dl.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* ===== libzip, opened ================================================== */

/* Each call of libzip octavo makes, found in the library once a process. */
#define FN(name) __typeof__(&name) name
static struct {
	bool ok;
	char why[240];
	FN(zip_close);
	FN(zip_discard);
	FN(zip_error_fini);
	FN(zip_error_init);
	FN(zip_error_strerror);
	FN(zip_file_add);
	FN(zip_file_set_external_attributes);
	FN(zip_file_set_mtime);
	FN(zip_get_error);
	FN(zip_open_from_source);
	FN(zip_set_file_compression);
	FN(zip_source_buffer);
	FN(zip_source_buffer_create);
	FN(zip_source_close);
	FN(zip_source_error);
	FN(zip_source_free);
	FN(zip_source_keep);
	FN(zip_source_open);
	FN(zip_source_read);
	FN(zip_source_stat);
} zl;
#undef FN

/* Opens libzip (kept open for the process) and finds every call; sets
 * zl.ok, or zl.why to what failed. */
static void zip_open_lib(void)
{
	static const char *const names[] = {"libzip.so.4", "libzip.so"};
	static const struct dl_sym syms[] = {
	    DL_SYM(zl, zip_close),
	    DL_SYM(zl, zip_discard),
	    DL_SYM(zl, zip_error_fini),
	    DL_SYM(zl, zip_error_init),
	    DL_SYM(zl, zip_error_strerror),
	    DL_SYM(zl, zip_file_add),
	    DL_SYM(zl, zip_file_set_external_attributes),
	    DL_SYM(zl, zip_file_set_mtime),
	    DL_SYM(zl, zip_get_error),
	    DL_SYM(zl, zip_open_from_source),
	    DL_SYM(zl, zip_set_file_compression),
	    DL_SYM(zl, zip_source_buffer),
	    DL_SYM(zl, zip_source_buffer_create),
	    DL_SYM(zl, zip_source_close),
	    DL_SYM(zl, zip_source_error),
	    DL_SYM(zl, zip_source_free),
	    DL_SYM(zl, zip_source_keep),
	    DL_SYM(zl, zip_source_open),
	    DL_SYM(zl, zip_source_read),
	    DL_SYM(zl, zip_source_stat),
	};
	struct dl_fail f;
	zl.ok = dl_load(names, ARRAY_LEN(names), syms, ARRAY_LEN(syms), &f) != NULL;
	if (zl.ok)
		return;
	if (f.missing)
		snprintf(zl.why, sizeof(zl.why), "libzip has no '%s'", f.missing);
	else
		snprintf(zl.why, sizeof(zl.why), "libzip cannot be opened (%s)", f.detail);
}

/* Whether libzip could be opened, trying once per process from whichever
 * thread first writes an EPUB. */
static bool zip_lib(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, zip_open_lib);
	return zl.ok;
}

/* ===== the archive ===================================================== */

/* The bytes a zip was written into (a buffer source), malloc'd. */
static int source_bytes(zip_source_t *mem, char **out, size_t *out_len)
{
	zip_stat_t st;
	zip_int64_t got = -1;
	*out = NULL;
	if (zl.zip_source_stat(mem, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    zl.zip_source_open(mem) == 0) {
		*out = xmalloc(st.size ? st.size : 1);
		got = zl.zip_source_read(mem, *out, st.size);
		zl.zip_source_close(mem);
	}
	if (got < 0 || got != (zip_int64_t)st.size) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*out_len = (size_t)got;
	return 0;
}

/* Whether an entry is stored rather than deflated: the mimetype, as OCF
 * requires, and pictures already compressed (PNG, JPEG, GIF), which
 * deflate would spend time on for almost nothing. */
static bool stored_entry(const char *name)
{
	if (!strcmp(name, "mimetype"))
		return true;
	const char *dot = strrchr(name, '.');
	return dot && (!strcmp(dot, ".png") || !strcmp(dot, ".jpg") || !strcmp(dot, ".jpeg") ||
		       !strcmp(dot, ".gif"));
}

/* An entry's Unix mode: a regular file, rw-r--r--. libzip's default is
 * 0666, which unzip then creates group- and world-writable. */
static int set_mode(zip_t *za, zip_int64_t idx)
{
	return zl.zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
						   (zip_uint32_t)0100644 << 16);
}

int epub_zip(struct entries *es, time_t mtime, const char *out_path, char **out, size_t *out_len,
	     struct diag *d)
{
	if (!zip_lib()) {
		diag_error(d, NULL, 0, 0, "cannot write the EPUB '%s': %s", out_path, zl.why);
		diag_hint(d, "install libzip: apt-get install libzip4");
		return -1;
	}
	/* Made in memory: libzip's own temporary file would need a random
	 * name, and its first random bytes start OpenSSL (8 M instructions,
	 * a fifth of a single essay's EPUB). */
	zip_error_t ze;
	zl.zip_error_init(&ze);
	zip_source_t *mem = zl.zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = mem ? zl.zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
	if (!za) {
		diag_error(d, NULL, 0, 0, "cannot create the EPUB '%s': %s", out_path,
			   zl.zip_error_strerror(&ze));
		zl.zip_error_fini(&ze);
		if (mem)
			zl.zip_source_free(mem);
		return -1;
	}
	zl.zip_error_fini(&ze);
	zl.zip_source_keep(mem);
	for (size_t i = 0; i < es->n; i++) {
		struct entry *en = &es->v[i];
		zip_source_t *src = zl.zip_source_buffer(za, en->data, en->len, !en->borrowed);
		if (!src)
			goto fail;
		en->borrowed = true; /* the source owns the bytes now */
		zip_int64_t idx = zl.zip_file_add(za, en->name, src, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zl.zip_source_free(src);
			goto fail;
		}
		/* The mimetype stored, as OCF requires. zlib's default level
		 * for text: 9 took 15% longer for 0.2% less. Fonts at 3: they
		 * are a third of the book's bytes and deflate poorly at any
		 * level (3 is 4% larger than 6, in half the time). */
		bool store = stored_entry(en->name);
		size_t nl = strlen(en->name);
		bool font = nl > 4 && !strcmp(en->name + nl - 4, ".ttf");
		if (zl.zip_set_file_compression(za, (zip_uint64_t)idx,
						store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
						store  ? 0
						: font ? 3
						       : 6) < 0 ||
		    zl.zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) < 0 ||
		    set_mode(za, idx) < 0)
			goto fail;
	}
	if (zl.zip_close(za) < 0)
		goto fail;
	if (source_bytes(mem, out, out_len) < 0) {
		diag_error(d, NULL, 0, 0, "cannot write the EPUB '%s': %s", out_path,
			   zl.zip_error_strerror(zl.zip_source_error(mem)));
		zl.zip_source_free(mem);
		return -1;
	}
	zl.zip_source_free(mem);
	return 0;
fail:
	diag_error(d, NULL, 0, 0, "cannot write the EPUB '%s': %s", out_path,
		   zl.zip_error_strerror(zl.zip_get_error(za)));
	zl.zip_discard(za);
	zl.zip_source_free(mem);
	return -1;
}
