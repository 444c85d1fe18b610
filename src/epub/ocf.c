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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

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
	FN(zip_fclose);
	FN(zip_file_add);
	FN(zip_file_set_external_attributes);
	FN(zip_file_set_mtime);
	FN(zip_fopen_index);
	FN(zip_fread);
	FN(zip_get_error);
	FN(zip_libzip_version);
	FN(zip_open_from_source);
	FN(zip_set_file_compression);
	FN(zip_source_buffer);
	FN(zip_source_buffer_create);
	FN(zip_source_close);
	FN(zip_source_error);
	FN(zip_source_free);
	FN(zip_source_function);
	FN(zip_source_keep);
	FN(zip_source_make_command_bitmap);
	FN(zip_source_open);
	FN(zip_source_read);
	FN(zip_source_stat);
	FN(zip_stat_index);
	FN(zip_stat_init);
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
	    DL_SYM(zl, zip_fclose),
	    DL_SYM(zl, zip_file_add),
	    DL_SYM(zl, zip_file_set_external_attributes),
	    DL_SYM(zl, zip_file_set_mtime),
	    DL_SYM(zl, zip_fopen_index),
	    DL_SYM(zl, zip_fread),
	    DL_SYM(zl, zip_get_error),
	    DL_SYM(zl, zip_libzip_version),
	    DL_SYM(zl, zip_open_from_source),
	    DL_SYM(zl, zip_set_file_compression),
	    DL_SYM(zl, zip_source_buffer),
	    DL_SYM(zl, zip_source_buffer_create),
	    DL_SYM(zl, zip_source_close),
	    DL_SYM(zl, zip_source_error),
	    DL_SYM(zl, zip_source_free),
	    DL_SYM(zl, zip_source_function),
	    DL_SYM(zl, zip_source_keep),
	    DL_SYM(zl, zip_source_make_command_bitmap),
	    DL_SYM(zl, zip_source_open),
	    DL_SYM(zl, zip_source_read),
	    DL_SYM(zl, zip_source_stat),
	    DL_SYM(zl, zip_stat_index),
	    DL_SYM(zl, zip_stat_init),
	};
	struct dl_fail f;
	zl.ok = dl_load_own(names, ARRAY_LEN(names), syms, ARRAY_LEN(syms), &f) != NULL;
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

void epub_open_zip(void)
{
	(void)zip_lib();
}

/* The compressors of epub_zip_how: libzip's and zlib's versions and the
 * level (the same three give the same deflated bytes). */
static char how_text[2][96];

static void how_init(void)
{
	for (int i = 0; i < 2; i++)
		snprintf(how_text[i], sizeof(how_text[i]), "libzip %s, zlib %s, deflate %d",
			 zl.zip_libzip_version(), zlibVersion(), i == 0 ? 3 : 6);
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

/* The deflate level of an entry not stored. zlib's default level for
 * text: 9 took 15% longer for 0.2% less. Fonts at 3: they are a third of
 * the book's bytes and deflate poorly at any level (3 is 4% larger than
 * 6, in half the time). */
static int deflate_level(const char *name)
{
	size_t nl = strlen(name);
	return nl > 4 && !strcmp(name + nl - 4, ".ttf") ? 3 : 6;
}

/* An entry's Unix mode: a regular file, rw-r--r--. libzip's default is
 * 0666, which unzip then creates group- and world-writable. */
static int set_mode(zip_t *za, zip_int64_t idx)
{
	return zl.zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
						   (zip_uint32_t)0100644 << 16);
}

const char *epub_zip_how(const char *name)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (!zip_lib() || stored_entry(name))
		return NULL;
	pthread_once(&once, how_init);
	return how_text[deflate_level(name) == 3 ? 0 : 1];
}

/* ===== entries deflated before ========================================= */

/*
 * A source of an entry's bytes already deflated (struct entry's packed):
 * libzip copies data whose stat names the method it would use itself
 * (ZIP_CM_DEFLATE, set for the entry) as it is, neither inflated nor
 * deflated again, and takes the size and CRC-32 from the stat.
 */
struct packed_src {
	const struct entry *en;
	zip_uint64_t at;
};

static zip_int64_t packed_read(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct packed_src *p = ud;
	const struct entry *en = p->en;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		p->at = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t n = en->packed_len - p->at;
		if (n > len)
			n = len;
		memcpy(data, en->packed + p->at, n);
		p->at += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		if (len < sizeof(*st))
			return -1;
		zl.zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
		st->size = en->len;
		st->comp_size = en->packed_len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = en->crc;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR: /* never fails: no error to tell */
		if (len < 2 * sizeof(int))
			return -1;
		memset(data, 0, 2 * sizeof(int));
		return 2 * sizeof(int);
	case ZIP_SOURCE_FREE:
		free(p);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zl.zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
							 ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
							 ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		return -1;
	}
}

/* en's source: its packed bytes when it has them, else its bytes. */
static zip_source_t *entry_source(zip_t *za, struct entry *en)
{
	if (!en->packed)
		return zl.zip_source_buffer(za, en->data, en->len, !en->borrowed);
	struct packed_src *p = xcalloc(1, sizeof(*p));
	p->en = en;
	zip_source_t *src = zl.zip_source_function(za, packed_read, p);
	if (!src)
		free(p);
	return src;
}

/*
 * The deflated bytes libzip wrote for the entries of es that want them
 * back (want_packed), read from the finished archive zip (len bytes):
 * each such entry's packed, packed_len and crc are set (packed malloc'd,
 * packed_owned) when libzip deflated it, and left NULL when it stored it.
 * Best effort: an archive that cannot be read back leaves them all NULL.
 */
static void read_packed(struct entries *es, const char *zip, size_t len)
{
	bool any = false;
	for (size_t i = 0; i < es->n; i++)
		any |= es->v[i].want_packed && !es->v[i].packed;
	if (!any)
		return;
	zip_error_t ze;
	zl.zip_error_init(&ze);
	zip_source_t *src = zl.zip_source_buffer_create(zip, len, 0, &ze);
	zip_t *za = src ? zl.zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	zl.zip_error_fini(&ze);
	if (!za) {
		if (src)
			zl.zip_source_free(src);
		return;
	}
	for (size_t i = 0; i < es->n; i++) {
		struct entry *en = &es->v[i];
		zip_stat_t st;
		if (!en->want_packed || en->packed ||
		    zl.zip_stat_index(za, i, 0, &st) < 0 || strcmp(st.name, en->name) ||
		    st.comp_method != ZIP_CM_DEFLATE || st.size != en->len)
			continue;
		zip_file_t *zf = zl.zip_fopen_index(za, i, ZIP_FL_COMPRESSED);
		char *buf = zf ? xmalloc(st.comp_size ? st.comp_size : 1) : NULL;
		if (zf && zl.zip_fread(zf, buf, st.comp_size) == (zip_int64_t)st.comp_size) {
			en->packed = buf;
			en->packed_len = st.comp_size;
			en->crc = st.crc;
			en->packed_owned = true;
		} else {
			free(buf);
		}
		if (zf)
			zl.zip_fclose(zf);
	}
	zl.zip_discard(za);
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
		zip_source_t *src = entry_source(za, en);
		if (!src)
			goto fail;
		if (!en->packed)
			en->borrowed = true; /* the source owns the bytes now */
		zip_int64_t idx = zl.zip_file_add(za, en->name, src, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zl.zip_source_free(src);
			goto fail;
		}
		/* The mimetype stored, as OCF requires. */
		bool store = stored_entry(en->name);
		if (zl.zip_set_file_compression(za, (zip_uint64_t)idx,
						store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
						store ? 0 : (zip_uint32_t)deflate_level(en->name)) < 0 ||
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
	read_packed(es, *out, *out_len);
	return 0;
fail:
	diag_error(d, NULL, 0, 0, "cannot write the EPUB '%s': %s", out_path,
		   zl.zip_error_strerror(zl.zip_get_error(za)));
	zl.zip_discard(za);
	zl.zip_source_free(mem);
	return -1;
}
