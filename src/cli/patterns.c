/*
 * patterns.c - the hyphenation patterns a build read, compiled, kept in
 * OUTDIR/.SLUG.patterns so that the next build does not read the
 * dictionary again (cli.h; tx_hyph_store in text.h). Reading en-GB's
 * whole file is some 40 M instructions, an essay's subset of it 20 M:
 * the largest fixed cost of a small book's build.
 *
 * A file of checked records (records.h) holding one: the key is a hash of
 * everything the bytes depend on (octavo's build, the dictionary file, a
 * small book's words: hyphen.c), the data libhyphen's automaton as
 * src/text/hyphdict.c writes it, whose reader checks every index in it.
 * So a stale, damaged or foreign file costs the time to read the
 * patterns, never a wrong break. The store is read before the output
 * folder is locked, so what the build compiles is written at close. Safe
 * to delete. On one thread at a time (the load stage's).
 */
#include "records.h"

#include <stdlib.h>

#define MAGIC "octavo compiled hyphenation patterns 2\n"

struct cli_patterns {
	struct cli_records *rs; /* the file */
};

/* The bytes kept under key, or NULL (a get after a put sees the put). */
static const char *get(void *ctx, uint64_t key, size_t *len)
{
	struct cli_patterns *p = ctx;
	return cli_records_get(p->rs, &key, sizeof(key), len);
}

static void put(void *ctx, uint64_t key, const char *data, size_t len)
{
	struct cli_patterns *p = ctx;
	cli_records_put(p->rs, &key, sizeof(key), data, len);
}

struct cli_patterns *cli_patterns_open(const char *outdir, const char *slug)
{
	struct cli_patterns *p = xcalloc(1, sizeof(*p));
	p->rs = cli_records_open(outdir, slug, "patterns", MAGIC, NULL);
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
				    .empty = !cli_records_any(p->rs)};
}

void cli_patterns_close(struct cli_patterns *p, struct cli_txn *t)
{
	if (!p)
		return;
	cli_records_close(p->rs, t);
	free(p);
}
