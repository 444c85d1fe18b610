/*
 * stream.c - stream contents octavo already holds, lent to libharu.
 *
 * A 6,000-page book's page contents, deflated, are 2 KB a page; libharu's
 * memory streams hold them in 4 KB blocks, copied. A callback stream over
 * one exact buffer halves that and saves the copy.
 */
#include "pdf-int.h"

#include <stdlib.h>
#include <string.h>

struct owned {
	char *data;
	size_t len, pos;
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
		free(o->data);
		free(o);
	}
	s->attr = NULL;
}

int pdf_stream_own(HPDF_Dict dict, char *data, size_t len)
{
	struct owned *o = xmalloc(sizeof(*o));
	*o = (struct owned){data, len, 0};
	HPDF_Stream s = HPDF_CallbackReader_New(dict->mmgr, owned_read, owned_seek, owned_tell,
						owned_size, o);
	if (!s) {
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
