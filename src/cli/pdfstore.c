/*
 * pdfstore.c - the PDF's streams as the last build deflated them, kept in
 * OUTDIR/.SLUG.pdf-streams so that a rebuild does not deflate again what
 * has not changed (cli.h, struct pdf_store in pdf.h). Deflating the page
 * contents was 61 M of the edition's 146 M PDF instructions; an editor who
 * changes one essay changes only its pages' streams.
 *
 * The file: a magic line, then one record per stream - a struct rec (the
 * stream's key: its CRC-32 and Adler-32, its length, the hash of zlib's
 * version and settings; then the deflated length), then the zlib data.
 * Records are found by their key, and one is given out only when the
 * CRC-32 of its data is the one written with it (and the PDF stage checks
 * its zlib trailer against the stream), so a stale or damaged file costs
 * time, never a wrong byte. A file that cannot be read
 * (or stops in the middle of a record) is read up to there; one that
 * cannot be written is left as it was. It holds the last build's streams
 * only, so it never grows beyond one PDF's deflated streams.
 */
#include "../pdf/pdf.h"
#include "cli.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAGIC "octavo pdf streams 2\n"

/* A record's head in the file, followed by zlen bytes of zlib data. */
struct rec {
	uint64_t sum, len, how; /* struct pdf_zkey */
	uint64_t zlen;
	uint64_t zcrc; /* CRC-32 of the zlen bytes that follow */
};

/* One stream known to the store: from the file (z points into buf) or
 * deflated by this build (z malloc'd). */
struct known {
	struct pdf_zkey key;
	const char *z;
	size_t zlen;
	uint32_t zcrc; /* CRC-32 of z */
	bool used;     /* offered to this build's PDF, or kept from it */
	bool owned;    /* z malloc'd (and its CRC-32 ours) */
	bool bad;      /* z is not what was written under this key */
};

struct cli_pdfstore {
	struct pdf_store api; /* what the PDF stage is lent; ctx is this */
	char *file;	      /* OUTDIR/.SLUG.pdf-streams, malloc'd */
	char *buf;	      /* the file's bytes, malloc'd */
	struct known *v;      /* records, by index (never moved once indexed: */
	size_t n, cap;	      /* the table holds their numbers) */
	struct hmap index;    /* key's hash -> record number + 1 */
	bool changed;	      /* a record kept, or one of the file's not used */
};

static uint64_t key_hash(const struct pdf_zkey *k)
{
	return hash_fnv1a(k, sizeof(*k));
}

static bool same_key(const struct pdf_zkey *a, const struct pdf_zkey *b)
{
	return a->sum == b->sum && a->len == b->len && a->how == b->how;
}

/* Record number i under its key, unless a record of that key is there. */
static void index_rec(struct cli_pdfstore *s, size_t i)
{
	hmap_put_hash(&s->index, key_hash(&s->v[i].key), (void *)(uintptr_t)(i + 1));
}

/* The records of s->buf (len bytes); stops at the first that does not
 * fit. */
static void parse(struct cli_pdfstore *s, size_t len)
{
	size_t m = strlen(MAGIC);
	if (len < m || memcmp(s->buf, MAGIC, m))
		return;
	size_t at = m;
	while (len - at >= sizeof(struct rec)) {
		struct rec r;
		memcpy(&r, s->buf + at, sizeof(r));
		if (r.zlen > len - at - sizeof(r))
			break;
		GROW(s->v, s->cap, s->n + 1);
		s->v[s->n] = (struct known){.key = {r.sum, r.len, r.how},
					    .z = s->buf + at + sizeof(r),
					    .zlen = (size_t)r.zlen,
					    .zcrc = (uint32_t)r.zcrc};
		index_rec(s, s->n++);
		at += sizeof(r) + (size_t)r.zlen;
	}
}

static const char *get(void *ctx, const struct pdf_zkey *key, size_t *zlen)
{
	struct cli_pdfstore *s = ctx;
	uintptr_t i = (uintptr_t)hmap_get_hash(&s->index, key_hash(key));
	if (!i || !same_key(&s->v[i - 1].key, key))
		return NULL;
	struct known *k = &s->v[i - 1];
	/* A record from the file is checked once, when first asked for. */
	if (!k->owned && !k->bad && !k->used && (uint64_t)k->zlen <= UINT32_MAX &&
	    crc32(0, (const Bytef *)k->z, (uInt)k->zlen) != k->zcrc)
		k->bad = true;
	if (k->bad || (uint64_t)k->zlen > UINT32_MAX)
		return NULL;
	k->used = true;
	*zlen = k->zlen;
	return k->z;
}

static void keep(void *ctx, const struct pdf_zkey *key, char *copy, size_t zlen)
{
	struct cli_pdfstore *s = ctx;
	uint32_t zcrc = (uint32_t)crc32(0, (const Bytef *)copy, (uInt)zlen);
	s->changed = true;
	uintptr_t i = (uintptr_t)hmap_get_hash(&s->index, key_hash(key));
	if (i && same_key(&s->v[i - 1].key, key)) {
		/* A record the PDF did not take (its zlib trailer not the
		 * stream's): replaced under the key, and moved to the end,
		 * unused, to be freed with the store. */
		GROW(s->v, s->cap, s->n + 1);
		s->v[s->n] = s->v[i - 1];
		s->v[s->n].used = false;
		s->v[s->n++].bad = true;
		s->v[i - 1] = (struct known){*key, copy, zlen, zcrc, true, true, false};
		return;
	}
	GROW(s->v, s->cap, s->n + 1);
	s->v[s->n] = (struct known){*key, copy, zlen, zcrc, true, true, false};
	if (!i) /* a key whose hash another holds is kept, not indexed */
		index_rec(s, s->n);
	s->n++;
}

struct cli_pdfstore *cli_pdfstore_open(const char *outdir, const char *slug)
{
	struct cli_pdfstore *s = xcalloc(1, sizeof(*s));
	hmap_init(&s->index);
	s->api = (struct pdf_store){get, keep, s};
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, ".%s.pdf-streams", slug);
	s->file = path_join(outdir, name.buf);
	sb_release(&name);
	size_t len = 0;
	s->buf = read_file(s->file, &len);
	if (s->buf)
		parse(s, len);
	return s;
}

const struct pdf_store *cli_pdfstore_api(const struct cli_pdfstore *s)
{
	return &s->api;
}

void cli_pdfstore_close(struct cli_pdfstore *s, struct cli_txn *t)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (!s->v[i].used)
			s->changed = true;
	if (t && s->changed) {
		/* Sized first and filled once: a long book's store is as big
		 * as its deflated pages. */
		size_t size = strlen(MAGIC), at = strlen(MAGIC);
		for (size_t i = 0; i < s->n; i++)
			if (s->v[i].used)
				size += sizeof(struct rec) + s->v[i].zlen;
		char *out = xmalloc(size);
		memcpy(out, MAGIC, at);
		for (size_t i = 0; i < s->n; i++) {
			const struct known *k = &s->v[i];
			if (!k->used)
				continue;
			struct rec r = {k->key.sum, k->key.len, k->key.how, k->zlen, k->zcrc};
			memcpy(out + at, &r, sizeof(r));
			at += sizeof(r);
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
		if (s->v[i].owned)
			free((char *)s->v[i].z);
	hmap_release(&s->index);
	free(s->v);
	free(s->buf);
	free(s->file);
	free(s);
}
