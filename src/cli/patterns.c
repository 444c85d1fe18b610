/*
 * patterns.c - what a build makes that the next takes instead, in two
 * stores of checked records (records.h) in the output folder (cli.h;
 * struct tx_store in text.h):
 *
 * OUTDIR/.SLUG.patterns, the hyphenation patterns a build read, compiled,
 * so that the next does not read the dictionary again. Reading en-GB's
 * whole file is some 40 M instructions, an essay's subset of it 20 M:
 * the largest fixed cost of a small book's build. It holds one record:
 * the key is a hash of everything the bytes depend on (octavo's build,
 * the dictionary file, a small book's words: hyphen.c), the data
 * libhyphen's automaton as src/text/hyphdict.c writes it, whose reader
 * checks every index in it. The store is read before the output folder
 * is locked, so what the build compiles is written at close.
 *
 * OUTDIR/.SLUG.shapes, the words a build shaped (shape.c), one record
 * under the key of the fonts, features and language: HarfBuzz's shaping
 * was a third of a build's instructions (the edition 141 M of 452 M, an
 * essay 20 M of 58 M), and an author's next build sets nearly all the
 * same words.
 *
 * OUTDIR/.SLUG.hyph, each word's break points as the build's hyphenation
 * found them (hyphen.c's answers), one record; each word's key holds the
 * dictionary file's bytes, the style's exceptions and capitals and
 * octavo's build: asking libhyphen for every word again was 13 M of the
 * edition's 336 M instructions, warm. A store of its own, so that the
 * shaped words' store keeps its bytes whatever the hyphenation.
 *
 * So a stale, damaged or foreign file costs the time to make its bytes
 * again, never a wrong break or glyph. Safe to delete. On one thread at a
 * time (the load stage's, then the build's).
 */
#include "records.h"
#include "../util/cache.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC "octavo compiled hyphenation patterns 2\n"
/* OUTDIR/.SLUG.shapes: the words a build shaped (tx_shapes_take), one
 * record under the key of the fonts they were shaped with. */
#define SHAPES_MAGIC "octavo shaped words 1\n"
/* OUTDIR/.SLUG.hyph: each word's break points as a build's hyphenation
 * found them (tx_hyph_answers_take), one record. */
#define HYPH_MAGIC "octavo hyphenated words 1\n"

struct cli_patterns {
	struct cli_records *rs; /* the file */
	uint64_t tag;		/* what the store keeps, in its seed */
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

/* OUTDIR/.SLUG.NAME, a store whose keys are seeded with NAME. */
static struct cli_patterns *open_store(const char *outdir, const char *slug, const char *name,
				       const char *magic, struct cli_txn *t)
{
	struct cli_patterns *p = xcalloc(1, sizeof(*p));
	p->rs = cli_records_open(outdir, slug, name, magic, t);
	p->tag = hash_fnv1a(name, strlen(name));
	return p;
}

struct cli_patterns *cli_patterns_open(const char *outdir, const char *slug)
{
	return open_store(outdir, slug, "patterns", MAGIC, NULL);
}

struct cli_patterns *cli_shapes_open(const char *outdir, const char *slug, struct cli_txn *t)
{
	return open_store(outdir, slug, "shapes", SHAPES_MAGIC, t);
}

struct cli_patterns *cli_hyph_open(const char *outdir, const char *slug, struct cli_txn *t)
{
	return open_store(outdir, slug, "hyph", HYPH_MAGIC, t);
}

void cli_patterns_store(struct cli_patterns *p, struct tx_store *s)
{
	/* octavo's build (a rebuilt octavo, perhaps with another libhyphen,
	 * reads afresh): its build ID, the same under valgrind */
	*s = (struct tx_store){.get = get,
			       .put = put,
			       .ctx = p,
			       .seed = cli_build_key(p->tag),
			       .empty = !cli_records_any(p->rs)};
}

void cli_patterns_cache(void)
{
	/* the same seed as OUTDIR's store of patterns */
	char *dir = cache_dir();
	tx_hyph_cache(dir, cli_build_key(hash_fnv1a("patterns", 8)));
	free(dir);
}

void cli_patterns_close(struct cli_patterns *p, struct cli_txn *t)
{
	if (!p)
		return;
	cli_records_close(p->rs, t);
	free(p);
}
