/*
 * haru.c - the one file that reaches inside libharu.
 *
 * libharu's public API (hpdf.h) draws pages and adds its own fonts and
 * images; it has no call for what octavo adds beside them: Type0 fonts
 * over our own subsets, the structure tree, the XMP packet, the output
 * intent, page contents we deflate ourselves. Those are built with its
 * object API (hpdf_objects.h: HPDF_Dict_Add, HPDF_Array_New...), which
 * hpdf.h declares for any program that does not define HPDF_SHARED; those
 * are functions, so a libharu whose calls change fails to build.
 *
 * What could break silently is the rest: the fields of libharu's structs
 * (hpdf_doc.h: the document's memory manager, cross-reference table,
 * catalog, info and trailer dictionaries, header version; hpdf_objects.h:
 * a stream dictionary's class, filter, stream and write hook; hpdf_pages.h:
 * a page's contents stream) and the stream we swap into a dictionary.
 * Every such use is in this file, and nowhere else in octavo (the suite
 * tests/suites/tidy13.sh checks that).
 *
 * Checked against libharu 2.3.0 (Debian's libhpdf-dev 2.3.0+dfsg). Before
 * building against another version, read each function below against its
 * headers; the build warns when the version differs.
 */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC */
#include "pdf-int.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3
#warning "src/pdf/haru.c was checked against libharu 2.3.0 only: check it against this version"
#endif

/* ===== libharu's errors ================================================ */

void pdf_harm_handler(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct pdf_harm *h = user;
	if (!h->error) {
		h->error = error_no;
		h->detail = detail_no;
	}
}

bool pdf_harm_failed(HPDF_Doc pdf, struct pdf_harm *h)
{
	HPDF_STATUS e = HPDF_GetError(pdf);
	if (e != HPDF_OK && !h->error) {
		h->error = e;
		h->detail = HPDF_GetErrorDetail(pdf);
	}
	return h->error != HPDF_OK;
}

const char *pdf_harm_words(HPDF_STATUS error)
{
	static const struct {
		HPDF_STATUS error;
		const char *words;
	} words[] = {
	    {HPDF_ARRAY_COUNT_ERR, "more than 32,767 entries in one array"},
	    {HPDF_DICT_COUNT_ERR, "more than 4,095 entries in one dictionary"},
	    {HPDF_XREF_COUNT_ERR, "more than 8,388,607 objects in one PDF"},
	    {HPDF_STRING_OUT_OF_RANGE, "a string of more than 65,535 bytes"},
	    {HPDF_BINARY_LENGTH_ERR, "a string of more than 65,535 bytes"},
	    {HPDF_NAME_OUT_OF_RANGE, "a name of more than 127 bytes"},
	    {HPDF_REAL_OUT_OF_RANGE, "a number beyond 32,767"},
	    {HPDF_PAGE_INVALID_SIZE, "a page over 200 in"},
	    {HPDF_INVALID_DATE_TIME, "a date the calendar lacks"},
	    {HPDF_FAILD_TO_ALLOC_MEM, "out of memory"},
	    {HPDF_FILE_OPEN_ERROR, "cannot open the file"},
	    {HPDF_FILE_IO_ERROR, "cannot read or write the file"},
	    {HPDF_UNSUPPORTED_JPEG_FORMAT, "a kind of JPEG libharu does not take"},
	    {HPDF_INVALID_JPEG_DATA, "a damaged JPEG"},
	    {HPDF_INVALID_PNG_IMAGE, "a kind of PNG libharu does not take"},
	    {HPDF_LIBPNG_ERROR, "a damaged PNG"},
	    {HPDF_ZLIB_ERROR, "zlib failed"},
	};
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (words[i].error == error)
			return words[i].words;
	return NULL;
}

/* ===== the document ==================================================== */

HPDF_MMgr pdf_doc_mmgr(HPDF_Doc pdf)
{
	return pdf->mmgr;
}

HPDF_Xref pdf_doc_xref(HPDF_Doc pdf)
{
	return pdf->xref;
}

HPDF_Dict pdf_doc_catalog(HPDF_Doc pdf)
{
	return pdf->catalog;
}

HPDF_Dict pdf_doc_info(HPDF_Doc pdf)
{
	return pdf->info;
}

HPDF_Dict pdf_doc_trailer(HPDF_Doc pdf)
{
	return pdf->trailer;
}

void pdf_doc_set_version(HPDF_Doc pdf, HPDF_PDFVer v)
{
	pdf->pdf_version = v;
}

HPDF_MMgr pdf_dict_mmgr(HPDF_Dict d)
{
	return d->mmgr;
}

HPDF_MMgr pdf_array_mmgr(HPDF_Array a)
{
	return a->mmgr;
}

/* ===== streams ========================================================= */

HPDF_Dict pdf_stream_new(HPDF_Doc pdf)
{
	return HPDF_DictStream_New(pdf->mmgr, pdf->xref);
}

void pdf_mark_xobject(HPDF_Dict d)
{
	d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
}

void pdf_stream_filter(HPDF_Dict d, HPDF_UINT filter)
{
	d->filter = filter;
}

HPDF_STATUS pdf_stream_write(HPDF_Dict d, const void *data, size_t len)
{
	return HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
}

static HPDF_STATUS write_filter(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

void pdf_mark_deflated(HPDF_Dict stream)
{
	stream->filter = HPDF_STREAM_FILTER_NONE;
	stream->write_fn = write_filter;
}

/* The filter as libharu writes it for a stream it deflates itself: an
 * array, after the dictionary's other entries. */
static HPDF_STATUS write_filter_array(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter [ /FlateDecode ]\012");
}

void pdf_mark_deflated_as_haru(HPDF_Dict stream)
{
	stream->filter = HPDF_STREAM_FILTER_NONE;
	stream->write_fn = write_filter_array;
}

/* ----- a stream over octavo's own buffer -------------------------------
 * A 6,000-page book's page contents, deflated, are 2 KB a page; libharu's
 * memory streams hold them in 4 KB blocks, copied. A callback stream over
 * one exact buffer halves that and saves the copy. */

struct owned {
	char *data;
	size_t len, pos;
	bool lent; /* data is the caller's: not freed with the stream */
};

static HPDF_STATUS owned_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct owned *o = s->attr;
	size_t n = o->len - o->pos < *siz ? o->len - o->pos : *siz;
	memcpy(ptr, o->data + o->pos, n);
	o->pos += n;
	bool short_read = n < *siz;
	*siz = (HPDF_UINT)n;
	return short_read ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS owned_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct owned *o = s->attr;
	long at = mode == HPDF_SEEK_SET ? 0 : mode == HPDF_SEEK_CUR ? (long)o->pos : (long)o->len;
	at += pos;
	if (at < 0 || (size_t)at > o->len)
		return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
	o->pos = (size_t)at;
	return HPDF_OK;
}

static HPDF_INT32 owned_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((struct owned *)s->attr)->pos;
}

static HPDF_UINT32 owned_size(HPDF_Stream s)
{
	return (HPDF_UINT32)((struct owned *)s->attr)->len;
}

static void owned_free(HPDF_Stream s)
{
	struct owned *o = s->attr;
	if (o) {
		if (!o->lent)
			free(o->data);
		free(o);
	}
	s->attr = NULL;
}

static int stream_over(HPDF_Dict dict, char *data, size_t len, bool lent)
{
	struct owned *o = xmalloc(sizeof(*o));
	*o = (struct owned){data, len, 0, lent};
	HPDF_Stream s = HPDF_CallbackReader_New(dict->mmgr, owned_read, owned_seek, owned_tell,
						owned_size, o);
	if (!s) {
		if (!lent)
			free(data);
		free(o);
		return -1;
	}
	s->free_fn = owned_free;
	s->size = (HPDF_UINT)len;
	HPDF_Stream old = dict->stream;
	dict->stream = s;
	if (old)
		HPDF_Stream_Free(old);
	return 0;
}

int pdf_stream_own(HPDF_Dict dict, char *data, size_t len)
{
	return stream_over(dict, data, len, false);
}

int pdf_stream_lend(HPDF_Dict dict, const char *data, size_t len)
{
	return stream_over(dict, (char *)data, len, true);
}

/* ===== pages =========================================================== */

int pdf_page_own_contents(HPDF_Page page, char *data, size_t len, bool lent)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	pdf_mark_deflated(attr->contents);
	if (stream_over(attr->contents, data, len, lent) < 0)
		return -1;
	attr->stream = attr->contents->stream;
	return 0;
}

HPDF_STATUS pdf_page_write(HPDF_Page page, const void *data, size_t len)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	return HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
}

/* ===== saving ========================================================== */

/* The document's stream (hpdf_doc.h's pdf->stream, which HPDF_SaveToStream
 * writes into and frees only when it is libharu's memory stream) set to a
 * callback writer over this buffer for the save, and back to none. */
struct sink {
	int fd;
	char *buf;
	size_t len, cap;
};

static int sink_flush(struct sink *k, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(k->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static HPDF_STATUS sink_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	struct sink *k = s->attr;
	if (k->len + siz > k->cap) {
		if (sink_flush(k, k->buf, k->len) < 0)
			return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)errno);
		k->len = 0;
	}
	if (siz > k->cap) /* a font file or a long content stream */
		return sink_flush(k, (const char *)ptr, siz) < 0
			   ? HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)errno)
			   : HPDF_OK;
	memcpy(k->buf + k->len, ptr, siz);
	k->len += siz;
	return HPDF_OK;
}

HPDF_STATUS pdf_save_file(HPDF_Doc pdf, const char *path)
{
	struct sink k = {open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666), NULL, 0,
			 (size_t)64 << 10}; /* from the heap, under the mmap threshold */
	if (k.fd < 0) {
		int e = errno;
		HPDF_RaiseError(&pdf->error, HPDF_FILE_OPEN_ERROR, (HPDF_STATUS)e);
		errno = e;
		return HPDF_FILE_OPEN_ERROR;
	}
	k.buf = xmalloc(k.cap);
	HPDF_Stream s = HPDF_CallbackWriter_New(pdf->mmgr, sink_write, &k);
	HPDF_STATUS rc = s ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
	if (s) {
		assert(!pdf->stream); /* octavo never saves to libharu's memory */
		pdf->stream = s;
		rc = HPDF_SaveToStream(pdf);
		pdf->stream = NULL;
		HPDF_Stream_Free(s);
	}
	int e = errno;
	if (rc == HPDF_OK && sink_flush(&k, k.buf, k.len) < 0) {
		e = errno;
		rc = HPDF_RaiseError(&pdf->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)e);
	}
	if (close(k.fd) < 0 && rc == HPDF_OK) {
		e = errno;
		rc = HPDF_RaiseError(&pdf->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)e);
	}
	free(k.buf);
	errno = e;
	return rc;
}

/* ===== the document's end ============================================== */

/* Documents left to the process's end (pdf_doc_free's at_exit), held here
 * so that a leak checker finds their memory in use at exit, not lost.
 * One thread at a time saves a PDF (its draft's). */
static HPDF_Doc left_at_exit[4];

void pdf_doc_free(HPDF_Doc pdf, bool at_exit)
{
#ifdef __SANITIZE_ADDRESS__
	at_exit = false; /* freed, for the sanitizer to check every free */
#endif
	for (size_t i = 0; at_exit && i < sizeof(left_at_exit) / sizeof(*left_at_exit); i++)
		if (!left_at_exit[i]) {
			left_at_exit[i] = pdf;
			return;
		}
	HPDF_Free(pdf);
}
