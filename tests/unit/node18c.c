/* node18c.c - the page search's tables (issue 18, the Node docs' speed):
 * hash_words and the hmap_*_hashed keys that the tries' memo takes. The
 * search's own short cuts (tries handed on to the stretched search, a
 * stretched try not made again) are checked on whole books by
 * tests/suites/node18.sh (OCTAVO_CHECK_TRIES) and pipe13.sh (hashes). */
#include "unit/unit.h"

#include "util/util.h"

#include <stdint.h>
#include <string.h>

/* A key shaped like the search's, 48 bytes with no padding (a copy of
 * it is its bytes). */
struct key {
	size_t s, line;
	long fin;
	int note, upto, height, stretch;
	size_t stop;
};

static struct key key_of(size_t i)
{
	struct key k;
	memset(&k, 0, sizeof(k));
	k.s = i / 12;
	k.line = i % 3;
	k.fin = (long)(i % 5) - 1;
	k.note = (int)(i % 7) - 1;
	k.upto = k.note;
	k.height = (int)(i % 4);
	k.stop = i % 11 ? SIZE_MAX : i / 12 + 30;
	k.stretch = (int)(i % 2);
	return k;
}

UNIT_TEST(node18c_hash_words)
{
	unsigned char buf[64 + 8];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	/* The same bytes hash alike wherever they sit. */
	unsigned char moved[64 + 8];
	int same = 0;
	for (size_t off = 0; off < 8; off++) {
		memcpy(moved + off, buf, 64);
		same += hash_words(moved + off, 64) == hash_words(buf, 64);
	}
	UCHECK(same == 8, "hash_words reads any alignment alike (%d of 8)", same);
	/* Every length from 0 to 64 gives its own hash, the tails too. */
	uint64_t h[65];
	int distinct = 0;
	for (size_t n = 0; n <= 64; n++) {
		h[n] = hash_words(buf, n);
		bool seen = false;
		for (size_t m = 0; m < n && !seen; m++)
			seen = h[m] == h[n];
		distinct += !seen;
	}
	UCHECK(distinct == 65, "lengths 0 to 64 hash apart (%d of 65)", distinct);
	/* One bit changed anywhere in a 48-byte key changes the hash. */
	int moved_bits = 0;
	for (size_t bit = 0; bit < 48 * 8; bit++) {
		unsigned char k[48];
		memcpy(k, buf, 48);
		k[bit / 8] ^= (unsigned char)(1u << bit % 8);
		moved_bits += hash_words(k, 48) != hash_words(buf, 48);
	}
	UCHECK(moved_bits == 48 * 8, "every bit of a key reaches the hash (%d of %d)", moved_bits,
	       48 * 8);
	/* The table takes the low bits: 4,096 keys of the search's shape
	 * fall into about as many of 4,096 buckets as random ones would
	 * (4,096 * (1 - 1/e) = 2,589). */
	static unsigned char used[4096];
	memset(used, 0, sizeof(used));
	int buckets = 0;
	for (size_t i = 0; i < 4096; i++) {
		struct key k = key_of(i);
		size_t b = (size_t)hash_words(&k, sizeof(k)) & 4095;
		buckets += !used[b];
		used[b] = 1;
	}
	UCHECK(buckets > 2450 && buckets < 2730, "low bits spread like random ones (%d buckets)",
	       buckets);
}

UNIT_TEST(node18c_hmap_hashed)
{
	enum { N = 20000 };
	static struct key keys[N];
	struct hmap m = HMAP_INIT;
	for (size_t i = 0; i < N; i++) {
		keys[i] = key_of(i * 7919 + 13);
		keys[i].s = i; /* all different */
	}
	int stored = 0;
	for (size_t i = 0; i < N; i++)
		stored += hmap_put_hashed(&m, (const char *)&keys[i], sizeof(keys[i]),
					  hash_words(&keys[i], sizeof(keys[i])),
					  (void *)(uintptr_t)(i + 1));
	UCHECK(stored == N && m.n == N, "%d keys stored (%zu in the table)", stored, m.n);
	int found = 0;
	for (size_t i = 0; i < N; i++) {
		struct key k = keys[i]; /* a copy: found by its bytes */
		found += hmap_get_hashed(&m, (const char *)&k, sizeof(k),
					 hash_words(&k, sizeof(k))) == (void *)(uintptr_t)(i + 1);
	}
	UCHECK(found == N, "each key finds its own value (%d of %d)", found, N);
	struct key absent = key_of(5);
	absent.s = N + 5;
	UCHECK(!hmap_get_hashed(&m, (const char *)&absent, sizeof(absent),
				hash_words(&absent, sizeof(absent))),
	       "a key never stored is absent");
	UCHECK(!hmap_put_hashed(&m, (const char *)&keys[7], sizeof(keys[7]),
				hash_words(&keys[7], sizeof(keys[7])), (void *)1) &&
		       hmap_get_hashed(&m, (const char *)&keys[7], sizeof(keys[7]),
				       hash_words(&keys[7], sizeof(keys[7]))) == (void *)8,
	       "a key stored twice keeps its first value");
	hmap_release(&m);
	/* Keys compared by their bytes, not by the hash given: two keys
	 * given one hash stay two. */
	struct key a = key_of(1), b = key_of(2);
	hmap_put_hashed(&m, (const char *)&a, sizeof(a), 42, (void *)1);
	hmap_put_hashed(&m, (const char *)&b, sizeof(b), 42, (void *)2);
	UCHECK(m.n == 2 && hmap_get_hashed(&m, (const char *)&a, sizeof(a), 42) == (void *)1 &&
		       hmap_get_hashed(&m, (const char *)&b, sizeof(b), 42) == (void *)2,
	       "two keys with one hash are told apart by their bytes");
	hmap_release(&m);
}
