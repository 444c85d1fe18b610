/*
 * fontname.c - a font's family name, read from its 'name' table, for the
 * colophon: the book stage says what the pages are set in without
 * loading the fonts (which only the text stage does, through HarfBuzz).
 */
#define _POSIX_C_SOURCE 200809L /* pread */
#include "book-int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/*
 * The sfnt's 'name' table, read from fd (a file of size bytes; the first
 * font of a collection) into a malloc'd buffer the caller frees, its
 * length in *len; NULL when the file has none or is not an sfnt.
 */
static unsigned char *name_table(int fd, size_t size, size_t *len)
{
	unsigned char h[16];
	size_t base = 0;
	if (size < 12 || pread(fd, h, 16 > size ? 12 : 16, 0) < 12)
		return NULL;
	if (size >= 16 && !memcmp(h, "ttcf", 4))
		base = be32(h + 12);
	if (base > size - 12 || (base && pread(fd, h, 12, (off_t)base) != 12))
		return NULL;
	size_t ntables = be16(h + 4), dir = 16 * ntables;
	if (dir > size - base - 12)
		return NULL;
	unsigned char *d = xmalloc(dir ? dir : 1);
	size_t name = 0, nlen = 0;
	if (pread(fd, d, dir, (off_t)(base + 12)) == (ssize_t)dir)
		for (size_t i = 0; i < ntables; i++)
			if (!memcmp(d + 16 * i, "name", 4)) {
				name = be32(d + 16 * i + 8);
				nlen = be32(d + 16 * i + 12);
			}
	free(d);
	if (!name || name > size - 6 || nlen > size - name || nlen < 6)
		return NULL;
	unsigned char *t = xmalloc(nlen);
	if (pread(fd, t, nlen, (off_t)name) != (ssize_t)nlen) {
		free(t);
		return NULL;
	}
	*len = nlen;
	return t;
}

/*
 * The family in a 'name' table t of nlen bytes: the typographic family
 * (name 16) if there is one, else the family (1); Windows' English record
 * first, then any Windows record, then the Mac's. Appended to out as
 * UTF-8; false when there is none.
 */
static bool family(const unsigned char *t, size_t nlen, struct strbuf *out)
{
	unsigned count = be16(t + 2), strings = be16(t + 4);
	static const unsigned ids[] = {16, 1};
	for (int pass = 0; pass < 6; pass++) {
		unsigned want_id = ids[pass / 3], kind = pass % 3;
		for (unsigned i = 0; i < count; i++) {
			size_t r = 6 + 12 * (size_t)i;
			if (r + 12 > nlen)
				break;
			unsigned plat = be16(t + r), lang = be16(t + r + 4), id = be16(t + r + 6);
			size_t len = be16(t + r + 8), off = strings + (size_t)be16(t + r + 10);
			if (id != want_id || off + len > nlen || !len)
				continue;
			if ((kind == 0 && !(plat == 3 && lang == 0x409)) || (kind == 1 && plat != 3) ||
			    (kind == 2 && plat != 1))
				continue;
			const unsigned char *s = t + off;
			if (plat == 3) {
				for (size_t k = 0; k + 1 < len; k += 2) {
					uint32_t cp = be16(s + k);
					if (cp >= 0xD800 && cp < 0xDC00 && k + 3 < len) {
						cp = 0x10000 + ((cp - 0xD800) << 10) + (be16(s + k + 2) - 0xDC00);
						k += 2;
					}
					char u[4];
					sb_add(out, u, (size_t)utf8_encode(cp, u));
				}
			} else {
				for (size_t k = 0; k < len; k++)
					sb_addc(out, s[k] < 0x80 ? (char)s[k] : '?');
			}
			return out->len > 0;
		}
	}
	return false;
}

size_t bk_font_families(const struct bk_style *st, const char *fam[4], struct arena *a)
{
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		if (!st->font[i])
			continue;
		struct stat sst;
		int fd = open_checked(st->font[i], &sst);
		if (fd < 0)
			continue;
		/* Read, not mapped: the table directory and the name table
		 * are a few KB of a font's megabytes, and a mapping cost its
		 * page faults and an munmap, each some 30 us on the virtual
		 * machines octavo is measured on, three times a build. */
		size_t nlen = 0;
		unsigned char *t = name_table(fd, (size_t)sst.st_size, &nlen);
		close(fd);
		struct strbuf sb = STRBUF_INIT;
		bool ok = t && family(t, nlen, &sb);
		free(t);
		bool seen = !ok;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(fam[k], sb.buf);
		if (!seen)
			fam[n++] = ar_strdup(a, sb.buf);
		sb_release(&sb);
	}
	return n;
}
