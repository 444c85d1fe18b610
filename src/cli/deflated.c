/*
 * deflated.c - the EPUB's entries as its zip last deflated them, kept in
 * OUTDIR/.SLUG.deflated so that a rebuild does not deflate again what has
 * not changed (cli.h). Deflating was 38 M of a single essay's 137 M
 * instructions (its fonts) and 35 M of the edition's EPUB-only build.
 *
 * The file: a magic line, then one record per entry - a struct rec, the
 * entry's name, the compressor's name (epub_zip_how), the raw DEFLATE
 * data. A record is offered for an entry of the same name, size, 64-bit
 * hash of its bytes (hash_fnv1a) and compressor, and only once its own
 * check holds: a hash of the record, its name, compressor and data, made
 * when it was written. So a stale record (other bytes: a different hash
 * but for one chance in 2^64) or a damaged one costs time, never a wrong
 * byte. (The EPUB stage used to inflate every record and compare it
 * with the entry: 13.6 M instructions of the edition's EPUB, against
 * about 1 M for the check.) A file that cannot be read is an empty
 * store; one that cannot be written is left as it was.
 */
#include "../epub/epub.h"
#include "cli.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "octavo deflated entries 2\n"

/* A record's head in the file, followed by name, how and the data. */
struct rec {
	uint64_t len, zlen; /* the entry's bytes, and its deflated ones */
	uint64_t hash;	    /* hash_fnv1a of the entry's bytes */
	uint64_t check;	    /* record_check: of all the record but this */
	uint32_t crc;	    /* CRC-32 of the entry's bytes */
	uint32_t name_len, how_len, unused;
};

/* One entry known to the store: from the file (pointers into buf) or kept
 * from this build (malloc'd). */
struct known {
	const char *name, *how, *z;
	size_t name_len, how_len, len, zlen;
	uint64_t hash, check;
	uint32_t crc;
	signed char sound; /* its check: 1 holds, -1 fails, 0 not yet made */
	bool used;	   /* offered to this build's EPUB, or kept from it */
	bool owned;	   /* name, how and z malloc'd */
};

struct cli_deflated {
	char *file; /* OUTDIR/.SLUG.deflated, malloc'd */
	char *buf;  /* the file's bytes, malloc'd */
	struct known *v;
	size_t n, cap;
	bool changed; /* a record kept, or one of the file's not used */
};

/* The check of record r (its check field aside) with its name, compressor
 * and data. */
static uint64_t record_check(struct rec r, const char *name, const char *how, const char *z)
{
	r.check = 0;
	uint64_t h = hash_fnv1a(&r, sizeof(r));
	h = hash_fnv1a_from(h, name, r.name_len);
	h = hash_fnv1a_from(h, how, r.how_len);
	return hash_fnv1a_from(h, z, (size_t)r.zlen);
}

/* k as its record in the file. */
static struct rec record_of(const struct known *k)
{
	return (struct rec){.len = k->len,
			    .zlen = k->zlen,
			    .hash = k->hash,
			    .check = k->check,
			    .crc = k->crc,
			    .name_len = (uint32_t)k->name_len,
			    .how_len = (uint32_t)k->how_len};
}

/* The records of s->buf (len bytes) into s->v; stops at the first that
 * does not fit. */
static void parse(struct cli_deflated *s, size_t len)
{
	size_t m = strlen(MAGIC);
	if (len < m || memcmp(s->buf, MAGIC, m))
		return;
	size_t at = m;
	while (len - at >= sizeof(struct rec)) {
		struct rec r;
		memcpy(&r, s->buf + at, sizeof(r));
		size_t left = len - at - sizeof(r);
		if (r.name_len > left || r.how_len > left - r.name_len ||
		    r.zlen > left - r.name_len - r.how_len)
			break;
		const char *p = s->buf + at + sizeof(r);
		GROW(s->v, s->cap, s->n + 1);
		s->v[s->n++] = (struct known){.name = p,
					      .name_len = r.name_len,
					      .how = p + r.name_len,
					      .how_len = r.how_len,
					      .z = p + r.name_len + r.how_len,
					      .zlen = (size_t)r.zlen,
					      .len = (size_t)r.len,
					      .hash = r.hash,
					      .check = r.check,
					      .crc = r.crc};
		at += sizeof(r) + r.name_len + r.how_len + (size_t)r.zlen;
	}
}

struct cli_deflated *cli_deflated_open(const char *outdir, const char *slug)
{
	struct cli_deflated *s = xcalloc(1, sizeof(*s));
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, ".%s.deflated", slug);
	s->file = path_join(outdir, name.buf);
	sb_release(&name);
	size_t len = 0;
	s->buf = read_file(s->file, &len);
	if (s->buf)
		parse(s, len);
	return s;
}

static bool same(const char *a, size_t n, const char *b)
{
	return strlen(b) == n && !memcmp(a, b, n);
}

/* Whether k's check holds (made once). A record kept from this build
 * holds. */
static bool sound(struct known *k)
{
	if (!k->sound)
		k->sound = record_check(record_of(k), k->name, k->how, k->z) == k->check ? 1 : -1;
	return k->sound > 0;
}

const char *cli_deflated_get(void *ctx, const char *name, const char *how, size_t len,
			     uint64_t hash, uint32_t *crc, size_t *zlen)
{
	struct cli_deflated *s = ctx;
	for (size_t i = 0; i < s->n; i++) {
		struct known *k = &s->v[i];
		if (k->len == len && k->hash == hash && same(k->name, k->name_len, name) &&
		    same(k->how, k->how_len, how) && sound(k)) {
			k->used = true;
			*crc = k->crc;
			*zlen = k->zlen;
			return k->z;
		}
	}
	return NULL;
}

void cli_deflated_keep(void *ctx, const char *name, const char *how, size_t len, uint64_t hash,
		       uint32_t crc, char *z, size_t zlen)
{
	struct cli_deflated *s = ctx;
	for (size_t i = 0; i < s->n; i++) /* a record it replaces goes */
		if (same(s->v[i].name, s->v[i].name_len, name))
			s->v[i].used = false;
	char *zc = z; /* ours now (a long book's texts: no copy) */
	GROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = (struct known){.name = xstrdup(name),
				      .name_len = strlen(name),
				      .how = xstrdup(how),
				      .how_len = strlen(how),
				      .z = zc,
				      .zlen = zlen,
				      .len = len,
				      .hash = hash,
				      .crc = crc,
				      .sound = 1,
				      .used = true,
				      .owned = true};
	struct known *k = &s->v[s->n - 1];
	k->check = record_check(record_of(k), k->name, k->how, k->z);
	s->changed = true;
}

void cli_deflated_close(struct cli_deflated *s, struct cli_txn *t)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (!s->v[i].used)
			s->changed = true;
	if (t && s->changed) {
		/* Sized first and filled once: a long book's store is as big
		 * as its deflated texts. */
		size_t size = strlen(MAGIC), at = 0;
		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].used)
				size += sizeof(struct rec) + s->v[i].name_len + s->v[i].how_len +
					s->v[i].zlen;
		char *out = xmalloc(size);
		memcpy(out, MAGIC, strlen(MAGIC));
		at = strlen(MAGIC);
		for (size_t i = 0; i < s->n; i++) {
			const struct known *k = &s->v[i];
			if (!k->used)
				continue;
			struct rec r = record_of(k);
			memcpy(out + at, &r, sizeof(r));
			at += sizeof(r);
			memcpy(out + at, k->name, k->name_len);
			at += k->name_len;
			memcpy(out + at, k->how, k->how_len);
			at += k->how_len;
			memcpy(out + at, k->z, k->zlen);
			at += k->zlen;
		}
		assert(at == size);
		const char *base = strrchr(s->file, '/');
		/* best effort: a store not written only deflates again */
		cli_txn_put(t, base ? base + 1 : s->file, out, size, NULL);
		free(out);
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].owned) {
			free((char *)s->v[i].name);
			free((char *)s->v[i].how);
			free((char *)s->v[i].z);
		}
	free(s->v);
	free(s->buf);
	free(s->file);
	free(s);
}
