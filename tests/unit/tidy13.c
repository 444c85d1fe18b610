/* tidy13.c - the one hash table serving every table (issue 13, item 4):
 * a hash continued in pieces, a table whose slots live in an arena (the
 * anchor index), the book stage's string set over it. */
#include "unit/unit.h"

#include "book/book-int.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

UNIT_TEST(hash_fnv1a_from_pieces)
{
	UCHECK(hash_fnv1a("foobar", 6) == UINT64_C(0x85944171f73967e8),
	       "FNV-1a of 'foobar', the published value");
	UCHECK(hash_fnv1a_from(hash_fnv1a("foo", 3), "bar", 3) == hash_fnv1a("foobar", 6),
	       "a hash continued from 'foo' over 'bar' is the hash of 'foobar'");
	UCHECK(hash_fnv1a_from(HASH_FNV1A_BASIS, NULL, 0) == hash_fnv1a("", 0),
	       "nothing hashed from the basis is the hash of nothing");
}

UNIT_TEST(hmap_in_an_arena)
{
	struct arena a;
	ar_init(&a);
	struct hmap m;
	hmap_init_arena(&m, &a);
	static char keys[2000][16];
	int bad = 0;
	for (int i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "h%d", i);
		bad += !hmap_put(&m, keys[i], strlen(keys[i]), keys[i]);
	}
	for (int i = 0; i < 2000; i++)
		bad += hmap_get(&m, keys[i], strlen(keys[i])) != keys[i];
	UCHECK(bad == 0 && m.n == 2000, "2000 keys stored and found in arena slots (%d wrong)",
	       bad);
	UCHECK(!hmap_put(&m, "h5", 2, keys[6]) && hmap_get(&m, "h5", 2) == keys[5],
	       "the first value of a key stays");
	size_t seen = 0;
	for (size_t i = 0; i < m.cap; i++)
		seen += m.slots[i].key != NULL;
	UCHECK(seen == m.n, "walking the slots visits every entry once: %zu of %zu", seen, m.n);
	hmap_release(&m); /* the slots are the arena's: nothing freed twice */
	UCHECK(m.n == 0 && m.arena == &a && hmap_get(&m, "h1", 2) == NULL,
	       "released, the table is empty and keeps its arena");
	UCHECK(hmap_put(&m, "again", 5, keys[0]) && hmap_get(&m, "again", 5) == keys[0],
	       "a released arena table can be used again");
	ar_release(&a);
}

UNIT_TEST(strset_over_hmap)
{
	struct strset s = {0};
	UCHECK(strset_value(&s, "x") == NULL, "an empty set has nothing");
	UCHECK(strset_add(&s, "title", 3) == -1, "a new string: -1");
	UCHECK(strset_add(&s, "title", 9) == 3, "a string added again: the first value");
	UCHECK(strset_add(&s, "parts", 0) == -1 && strset_add(&s, "parts", 1) == 0,
	       "a value of 0 is kept as 0");
	long *v = strset_value(&s, "title");
	UCHECK(v && *v == 3, "strset_value finds the value");
	if (v)
		*v = 42;
	UCHECK(strset_add(&s, "title", 1) == 42, "a value changed through strset_value stays");
	static char many[500][16];
	long wrong = 0;
	for (int i = 0; i < 500; i++) {
		snprintf(many[i], sizeof(many[i]), "id-%d", i);
		wrong += strset_add(&s, many[i], i) != -1;
	}
	for (int i = 0; i < 500; i++)
		wrong += strset_add(&s, many[i], -7) != i;
	UCHECK(wrong == 0, "500 ids, each found with its value (%ld wrong)", wrong);
	strset_release(&s);
}
