/* essay13.c - the single essay's fixed costs (make bench's 'single essay'
 * row): the key of a sparse table of flags (hash_fnv1a_sparse), which the
 * PDF's and the EPUB's font subsets are kept under, and the job begun
 * beside the caller's work (jobs_aside_begin), which opens libzip. */
#include "unit/unit.h"

#include "util/jobs.h"
#include "util/util.h"

#include <stdint.h>
#include <string.h>

UNIT_TEST(hash_fnv1a_sparse_keys_tables)
{
	static uint8_t a[2 * 65536], b[2 * 65536];
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	uint64_t none = hash_fnv1a_sparse(HASH_FNV1A_BASIS, a, sizeof(a));
	UCHECK(none == HASH_FNV1A_BASIS, "a table of zeros leaves the hash as it was");
	a['e'] = b['e'] = 1;
	a[65536 + 40] = b[65536 + 40] = 1;
	UCHECK(hash_fnv1a_sparse(HASH_FNV1A_BASIS, a, sizeof(a)) ==
		   hash_fnv1a_sparse(HASH_FNV1A_BASIS, b, sizeof(b)),
	       "the same flags, the same key");
	/* What it hashes: each nonzero word's offset, then the word. */
	uint64_t h = HASH_FNV1A_BASIS;
	uint64_t at = 'e' & ~(uint64_t)7, w;
	memcpy(&w, a + at, 8);
	h = hash_fnv1a_from(hash_fnv1a_from(h, &at, 8), &w, 8);
	at = 65536 + 40;
	memcpy(&w, a + at, 8);
	h = hash_fnv1a_from(hash_fnv1a_from(h, &at, 8), &w, 8);
	UCHECK(hash_fnv1a_sparse(HASH_FNV1A_BASIS, a, sizeof(a)) == h,
	       "the nonzero words with their offsets, FNV-1a");
	/* A flag anywhere else, or the same flag a byte over, in the same
	 * word or the next: another key. */
	int same = 0;
	uint64_t ka = hash_fnv1a_sparse(HASH_FNV1A_BASIS, a, sizeof(a));
	for (size_t i = 0; i < sizeof(b); i += 997) {
		if (b[i])
			continue;
		b[i] = 1;
		same += hash_fnv1a_sparse(HASH_FNV1A_BASIS, b, sizeof(b)) == ka;
		b[i] = 0;
	}
	b['e'] = 0;
	b['f'] = 1;
	same += hash_fnv1a_sparse(HASH_FNV1A_BASIS, b, sizeof(b)) == ka;
	b['f'] = 0;
	b['e' + 8] = 1;
	same += hash_fnv1a_sparse(HASH_FNV1A_BASIS, b, sizeof(b)) == ka;
	UCHECK(same == 0, "a flag set elsewhere changes the key (%d alike)", same);
	UCHECK(hash_fnv1a_sparse(hash_fnv1a("x", 1), a, sizeof(a)) != ka,
	       "the hash goes on from the one given");
}

static void count(void *arg)
{
	++*(int *)arg;
}

UNIT_TEST(jobs_aside_runs_once)
{
	int n = 0;
	unsigned before = jobs_aside_started();
	struct jobs_aside *a = jobs_aside_begin((struct job){count, &n}, 2);
	jobs_aside_end(a);
	UCHECK(n == 1, "on a thread: the job ran once (%d)", n);
	UCHECK(!a || jobs_aside_started() == before + 1, "a thread started, and counted");
	a = jobs_aside_begin((struct job){count, &n}, 1);
	UCHECK(!a && n == 2, "one thread: the job ran before begin returned (%d)", n);
	jobs_aside_end(a);
	jobs_aside_end(NULL);
	UCHECK(n == 2 && jobs_aside_started() <= before + 1, "nothing runs twice, nothing more starts");
}
