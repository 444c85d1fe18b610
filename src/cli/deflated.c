/*
 * deflated.c - the EPUB's entries as its zip last deflated them, kept in
 * OUTDIR/.SLUG.deflated so that a rebuild does not deflate again what has
 * not changed (cli.h). Deflating was 38 M of a single essay's 137 M
 * instructions (its fonts) and 35 M of the edition's EPUB-only build.
 *
 * A file of checked records (records.h). An entry's key: its size and the
 * 64-bit hash of its bytes (hash_fnv1a), its name and the compressor's
 * name (epub_zip_how); its data: the CRC-32 of its bytes, then the raw
 * DEFLATE data. A record is offered for an entry of the same key only once
 * its own check holds, so a stale record (other bytes: a different hash
 * but for one chance in 2^64) or a damaged one costs time, never a wrong
 * byte. (The EPUB stage used to inflate every record and compare it with
 * the entry: 13.6 M instructions of the edition's EPUB.) Each entry the
 * EPUB deflated is written to the new file as it is handed over, and
 * freed.
 */
#include "../epub/epub.h"
#include "records.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC "octavo deflated entries 3\n"

struct cli_deflated {
	struct cli_records *rs; /* the file */
	struct strbuf key;	/* the last key made */
};

/* The key of an entry into s->key. */
static void key_of(struct cli_deflated *s, const char *name, const char *how, size_t len,
		   uint64_t hash)
{
	uint64_t head[2] = {(uint64_t)len, hash};
	sb_reset(&s->key);
	sb_add(&s->key, (const char *)head, sizeof(head));
	sb_add(&s->key, name, strlen(name) + 1); /* with its NUL: name ends */
	sb_adds(&s->key, how);
}

struct cli_deflated *cli_deflated_open(const char *outdir, const char *slug, struct cli_txn *t)
{
	struct cli_deflated *s = xcalloc(1, sizeof(*s));
	sb_init(&s->key);
	s->rs = cli_records_open(outdir, slug, "deflated", MAGIC, t);
	return s;
}

const char *cli_deflated_get(void *ctx, const char *name, const char *how, size_t len,
			     uint64_t hash, uint32_t *crc, size_t *zlen)
{
	struct cli_deflated *s = ctx;
	key_of(s, name, how, len, hash);
	size_t n = 0;
	const char *d = cli_records_get(s->rs, s->key.buf, s->key.len, &n);
	if (!d || n < sizeof(*crc))
		return NULL;
	memcpy(crc, d, sizeof(*crc));
	*zlen = n - sizeof(*crc);
	return d + sizeof(*crc);
}

void cli_deflated_keep(void *ctx, const char *name, const char *how, size_t len, uint64_t hash,
		       uint32_t crc, char *z, size_t zlen)
{
	struct cli_deflated *s = ctx;
	key_of(s, name, how, len, hash);
	/* the record's data: the CRC-32, then z (moved up in place) */
	char *d = xrealloc(z, zlen + sizeof(crc));
	memmove(d + sizeof(crc), d, zlen);
	memcpy(d, &crc, sizeof(crc));
	cli_records_put(s->rs, s->key.buf, s->key.len, d, zlen + sizeof(crc));
	free(d);
}

void cli_deflated_close(struct cli_deflated *s, struct cli_txn *t)
{
	if (!s)
		return;
	cli_records_close(s->rs, t);
	sb_release(&s->key);
	free(s);
}
