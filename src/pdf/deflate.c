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

int pdf_deflate(struct pdf_zset *s, const struct pdf_store *st, const char *buf, size_t len,
		char **out, size_t *zlen)
{
	*out = NULL;
	*zlen = 0;
	if (len > UINT32_MAX / 2) /* zlib counts in uInt */
		return -1;
	struct pdf_zkey key = {0, 0, 0};
	if (st) {
		key.how = s->how;
		key.len = len;
		key.sum = crc32(0, (const Bytef *)buf, (uInt)len) |
			  (uint64_t)adler32(1, (const Bytef *)buf, (uInt)len) << 32;
	}
	if (st && st->get) {
		size_t n = 0;
		const char *z = st->get(st->ctx, &key, &n);
		if (z && zlib_of((const unsigned char *)z, n, (uint32_t)(key.sum >> 32))) {
			*out = (char *)z;
			*zlen = n;
			s->reused++;
			return 0;
		}
	}
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
	z = xrealloc(z, n ? n : 1);
	if (st) /* the store's from now on */
		st->keep(st->ctx, &key, (char *)z, n);
	s->made++;
	*out = (char *)z;
	*zlen = n;
	return 0;
}
