/*
 * deflate.c - the PDF's streams deflated, or taken from an earlier build.
 *
 * Deflating the page contents was 61 M of the edition's 146 M PDF
 * instructions, and an editor's rebuild asks for the same bytes again for
 * every page they did not touch. A stream is a pure function of its bytes,
 * zlib's version and the settings (struct pdf_zset): the store (struct
 * pdf_store, pdf.h; OUTDIR/.SLUG.pdf-streams for a build) offers what an
 * earlier build deflated under the same key, and a record is used only
 * after it is inflated here and found equal to the stream's bytes, so a
 * stale or damaged record costs time, never a wrong byte. zlib's output
 * for given bytes and settings is fixed, so the PDF is the same bytes cold
 * and warm.
 */
#include "pdf-int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The settings' names in the key: the store must never give one
 * setting's bytes to another. */
static uint64_t how_of(const struct pdf_zset *s)
{
	char how[96];
	int n = snprintf(how, sizeof(how), "zlib %s level %d window 15 memory %d", zlibVersion(),
			 s->level, s->mem_level);
	return hash_fnv1a(how, (size_t)n);
}

void pdf_zset_init(struct pdf_zset *s, int level, int mem_level)
{
	memset(s, 0, sizeof(*s));
	s->level = level;
	s->mem_level = mem_level;
	s->how = how_of(s);
}

void pdf_zset_release(struct pdf_zset *s)
{
	if (s->z_ready)
		deflateEnd(&s->z);
	memset(s, 0, sizeof(*s));
}

/* Whether z (zlen bytes) is zlib data of bytes whose Adler-32 is adler:
 * its header, and its trailer (the Adler-32 of what it inflates to, which
 * inflate checks). */
static bool zlib_of(const unsigned char *z, size_t zlen, uint32_t adler)
{
	return zlen >= 6 && (z[0] & 0x0F) == Z_DEFLATED && ((unsigned)z[0] << 8 | z[1]) % 31 == 0 &&
	       ((uint32_t)z[zlen - 4] << 24 | (uint32_t)z[zlen - 3] << 16 |
		(uint32_t)z[zlen - 2] << 8 | z[zlen - 1]) == adler;
}

/* The store's key of buf (len bytes) at s's setting. */
static struct pdf_zkey key_of(const struct pdf_zset *s, const char *buf, size_t len)
{
	return (struct pdf_zkey){
	    .sum = crc32(0, (const Bytef *)buf, (uInt)len) |
		   (uint64_t)adler32(1, (const Bytef *)buf, (uInt)len) << 32,
	    .len = len,
	    .how = s->how};
}

/* buf deflated here at s's setting: *out malloc'd. 0 or a negative zlib
 * error. */
static int deflate_here(struct pdf_zset *s, const char *buf, size_t len, char **out, size_t *zlen)
{
	if (!s->z_ready) {
		memset(&s->z, 0, sizeof(s->z));
		if (deflateInit2(&s->z, s->level, Z_DEFLATED, 15, s->mem_level,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			return -1;
		s->z_ready = true;
	} else if (deflateReset(&s->z) != Z_OK) {
		return -1;
	}
	uLong bound = deflateBound(&s->z, (uLong)len);
	Bytef *z = xmalloc(bound ? bound : 1);
	s->z.next_in = (Bytef *)buf;
	s->z.avail_in = (uInt)len;
	s->z.next_out = z;
	s->z.avail_out = (uInt)bound;
	int rc = deflate(&s->z, Z_FINISH);
	if (rc != Z_STREAM_END) {
		free(z);
		return rc < 0 ? rc : -1;
	}
	size_t n = s->z.total_out;
	*out = xrealloc(z, n ? n : 1);
	*zlen = n;
	return 0;
}

/* The store's record under key, when it is zlib data of those bytes. */
static const char *stored(const char *z, size_t n, const struct pdf_zkey *key)
{
	return z && zlib_of((const unsigned char *)z, n, (uint32_t)(key->sum >> 32)) ? z : NULL;
}

int pdf_deflate(struct pdf_zset *s, const struct pdf_store *st, const char *buf, size_t len,
		char **out, size_t *zlen)
{
	*out = NULL;
	*zlen = 0;
	if (len > UINT32_MAX / 2) /* zlib counts in uInt */
		return -1;
	struct pdf_zkey key = {0, 0, 0};
	if (st)
		key = key_of(s, buf, len);
	if (st && st->get) {
		size_t n = 0;
		const char *z = st->get(st->ctx, &key, &n);
		z = stored(z, n, &key);
		if (z) {
			*out = (char *)z;
			*zlen = n;
			s->reused++;
			return 0;
		}
	}
	char *z;
	size_t n;
	int rc = deflate_here(s, buf, len, &z, &n);
	if (rc < 0)
		return rc;
	if (st) /* the store's from now on */
		st->keep(st->ctx, &key, z, n);
	s->made++;
	*out = z;
	*zlen = n;
	return 0;
}

void pdf_zmake(struct pdf_zset *s, const struct pdf_store *st, const char *buf, size_t len,
	       struct pdf_zmade *m)
{
	*m = (struct pdf_zmade){.rc = 0};
	if (len > UINT32_MAX / 2) { /* zlib counts in uInt */
		m->rc = -1;
		return;
	}
	if (st)
		m->key = key_of(s, buf, len);
	if (st && st->peek) {
		size_t n = 0;
		const char *z = st->peek(st->ctx, &m->key, &n);
		z = stored(z, n, &m->key);
		if (z) {
			m->z = (char *)z;
			m->zlen = n;
			m->peeked = true;
			return;
		}
	}
	m->rc = deflate_here(s, buf, len, &m->z, &m->zlen);
}

int pdf_ztake(struct pdf_zset *s, const struct pdf_store *st, struct pdf_zmade *m, char **out,
	      size_t *zlen)
{
	*out = NULL;
	*zlen = 0;
	if (m->rc < 0)
		return m->rc;
	size_t n = 0;
	const char *z = NULL;
	if (m->peeked) {
		/* taken for the store's next file, as pdf_deflate's get */
		z = st->get(st->ctx, &m->key, &n);
		assert(z == m->z && n == m->zlen); /* nothing changed it since */
		s->reused++;
	} else if (st && !st->peek && st->get && (z = st->get(st->ctx, &m->key, &n)) &&
		   (z = stored(z, n, &m->key))) {
		/* a store that cannot be peeked: asked now, as pdf_deflate does */
		free(m->z);
		m->z = (char *)z;
		m->zlen = n;
		s->reused++;
	} else {
		if (st) /* the store's from now on */
			st->keep(st->ctx, &m->key, m->z, m->zlen);
		s->made++;
	}
	*out = m->z;
	*zlen = m->zlen;
	m->z = NULL;
	return 0;
}

void pdf_zmade_release(struct pdf_zmade *m)
{
	if (!m->peeked)
		free(m->z);
	m->z = NULL;
}
