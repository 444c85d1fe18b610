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
 * The family in the sfnt data (n bytes; the first font of a collection):
 * the typographic family (name 16) if there is one, else the family (1);
 * Windows' English record first, then any Windows record, then the Mac's.
 * Appended to out as UTF-8; false when there is none.
 */
static bool family(const unsigned char *f, size_t n, struct strbuf *out)
{
	size_t base = 0;
	if (n >= 16 && !memcmp(f, "ttcf", 4))
		base = be32(f + 12);
	if (base + 12 > n)
		return false;
	unsigned ntables = be16(f + base + 4);
	size_t name = 0, nlen = 0;
	for (unsigned i = 0; i < ntables; i++) {
		size_t r = base + 12 + 16 * (size_t)i;
		if (r + 16 > n)
			return false;
		if (!memcmp(f + r, "name", 4)) {
			name = be32(f + r + 8);
			nlen = be32(f + r + 12);
		}
	}
	if (!name || name + 6 > n || nlen > n - name)
		return false;
	const unsigned char *t = f + name;
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

/*
 * The parts of the font file fd (size bytes) that family() reads: the
 * header, the table directory and the name table, each at its own offset
 * in a buffer of the file's size (the rest zero), so that a font's few
 * kilobytes of names are read rather than its megabytes of outlines.
 * malloc'd; NULL when it cannot be read.
 */
static unsigned char *read_head(int fd, size_t size, size_t *len)
{
	if (size < 12 || size > (size_t)1 << 30)
		return NULL;
	unsigned char *f = xcalloc(size, 1);
	size_t base = 0;
	if (pread(fd, f, 12, 0) != 12)
		goto fail;
	if (!memcmp(f, "ttcf", 4)) {
		if (pread(fd, f + 12, 4, 12) != 4)
			goto fail;
		base = be32(f + 12);
		if (base > size - 12 || pread(fd, f + base, 12, (off_t)base) != 12)
			goto fail;
	}
	size_t dir = 16 * (size_t)be16(f + base + 4);
	if (dir > size - base - 12 || pread(fd, f + base + 12, dir, (off_t)(base + 12)) != (ssize_t)dir)
		goto fail;
	for (size_t r = base + 12; r + 16 <= base + 12 + dir; r += 16)
		if (!memcmp(f + r, "name", 4)) {
			size_t off = be32(f + r + 8), n = be32(f + r + 12);
			if (off > size || n > size - off || pread(fd, f + off, n, (off_t)off) != (ssize_t)n)
				goto fail;
		}
	*len = size;
	return f;
fail:
	free(f);
	return NULL;
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
		size_t len;
		unsigned char *data = read_head(fd, (size_t)sst.st_size, &len);
		close(fd);
		struct strbuf sb = STRBUF_INIT;
		bool ok = data && family(data, len, &sb);
		free(data);
		bool seen = !ok;
		for (size_t k = 0; k < n && !seen; k++)
			seen = !strcmp(fam[k], sb.buf);
		if (!seen)
			fam[n++] = ar_strdup(a, sb.buf);
		sb_release(&sb);
	}
	return n;
}
