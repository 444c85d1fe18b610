/*
 * patterns.c - the hyphenation patterns a build read, compiled, kept in
 * OUTDIR/.SLUG.patterns so that the next build does not read the
 * dictionary again (cli.h; tx_hyph_store in text.h). Reading en-GB's
 * whole file is some 40 M instructions, an essay's subset of it 20 M:
 * the largest fixed cost of a small book's build.
 *
 * The file: a magic line, then one record - a struct rec and the bytes
 * (libhyphen's automaton, as src/text/hyphdict.c writes it). The key is a
 * hash of everything the bytes depend on (octavo's build, the dictionary
 * file, a small book's words: hyphen.c); the CRC-32 guards the bytes, and
 * the reader checks every index in them. So a stale, damaged or foreign
 * file costs the time to read the patterns, never a wrong break. A file
 * that cannot be read is an empty store; one that cannot be written is
 * left as it was. Safe to delete. On the build's thread only.
 */
#define _POSIX_C_SOURCE 200809L /* st_mtim */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define MAGIC "octavo compiled hyphenation patterns 1\n"

struct rec {
	uint64_t key, len;
	uint32_t crc, unused;
};

struct cli_patterns {
	char *file; /* OUTDIR/.SLUG.patterns, malloc'd */
	char *buf;  /* its bytes, malloc'd */
	size_t len;
	bool valid;   /* buf is a record whose CRC-32 holds */
	struct rec r; /* buf's record's head, when valid */
	char *put;    /* this build's new record's bytes, malloc'd */
	size_t put_len;
	uint64_t put_key;
};

/* The bytes kept under key, or NULL (a get after a put sees the put). */
static const char *get(void *ctx, uint64_t key, size_t *len)
{
	struct cli_patterns *p = ctx;
	if (p->put)
		return p->put_key == key ? (*len = p->put_len, p->put) : NULL;
	if (!p->valid || p->r.key != key)
		return NULL;
	*len = (size_t)p->r.len;
	return p->buf + strlen(MAGIC) + sizeof(p->r);
}

/* Whether p->buf holds a record, whole (p->r its head). */
static bool check(struct cli_patterns *p)
{
	size_t m = strlen(MAGIC);
	if (!p->buf || p->len < m + sizeof(p->r) || memcmp(p->buf, MAGIC, m))
		return false;
	memcpy(&p->r, p->buf + m, sizeof(p->r));
	const char *data = p->buf + m + sizeof(p->r);
	return p->r.len == p->len - m - sizeof(p->r) &&
	       (uint32_t)crc32_z(0, (const Bytef *)data, (size_t)p->r.len) == p->r.crc;
}

static void put(void *ctx, uint64_t key, const char *data, size_t len)
{
	struct cli_patterns *p = ctx;
	free(p->put);
	p->put = xmalloc(len ? len : 1);
	memcpy(p->put, data, len);
	p->put_len = len;
	p->put_key = key;
}

struct cli_patterns *cli_patterns_open(const char *outdir, const char *slug)
{
	struct cli_patterns *p = xcalloc(1, sizeof(*p));
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, ".%s.patterns", slug);
	p->file = path_join(outdir, name.buf);
	sb_release(&name);
	p->buf = read_file(p->file, &p->len);
	p->valid = check(p);
	return p;
}

void cli_patterns_store(struct cli_patterns *p, struct tx_hyph_store *s)
{
	/* octavo's build (a rebuilt octavo, perhaps with another libhyphen,
	 * reads afresh): its build ID, the same under valgrind */
	*s = (struct tx_hyph_store){.get = get,
				    .put = put,
				    .ctx = p,
				    .seed = cli_build_key(hash_fnv1a("patterns", 8)),
				    .empty = !p->valid && !p->put};
}

void cli_patterns_close(struct cli_patterns *p, struct cli_txn *t)
{
	if (!p)
		return;
	if (t && p->put) {
		struct strbuf sb = STRBUF_INIT;
		struct rec r = {.key = p->put_key,
				.len = p->put_len,
				.crc = (uint32_t)crc32_z(0, (const Bytef *)p->put, p->put_len)};
		sb_adds(&sb, MAGIC);
		sb_add(&sb, (const char *)&r, sizeof(r));
		sb_add(&sb, p->put, p->put_len);
		const char *base = strrchr(p->file, '/');
		/* best effort: a store not written only reads the patterns again */
		cli_txn_put(t, base ? base + 1 : p->file, sb.buf, sb.len, NULL);
		sb_release(&sb);
	}
	free(p->put);
	free(p->buf);
	free(p->file);
	free(p);
}
