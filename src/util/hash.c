/*
 * hash.c - the one hash function and the one hash table of octavo: string
 * keys to pointers, open addressing with linear probing, FNV-1a. See the
 * contract in util.h ("hash table").
 *
 * The table keeps at most half its slots full, so a probe sequence is short
 * and always ends at an empty slot. Each entry keeps its key's full hash:
 * growing never hashes a key again, and a probe compares the bytes of a
 * key only when the hashes agree. Slots are emptied only all at once
 * (hmap_release): no entry is ever removed, so no tombstones are needed.
 */
#include "util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

uint64_t hash_fnv1a_from(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * UINT64_C(1099511628211); /* the 64-bit FNV prime */
	return h;
}

uint64_t hash_fnv1a(const void *p, size_t n)
{
	return hash_fnv1a_from(HASH_FNV1A_BASIS, p, n);
}

uint64_t hash_fnv1a_sparse(uint64_t h, const void *p, size_t n)
{
	assert(n % 8 == 0);
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, sizeof(w));
		if (!w)
			continue;
		uint64_t at = i;
		h = hash_fnv1a_from(h, &at, sizeof(at));
		h = hash_fnv1a_from(h, &w, sizeof(w));
	}
	return h;
}

void hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof(*m));
}

void hmap_init_arena(struct hmap *m, struct arena *a)
{
	memset(m, 0, sizeof(*m));
	m->arena = a;
}

void hmap_release(struct hmap *m)
{
	if (!m->arena)
		free(m->slots);
	struct arena *a = m->arena;
	memset(m, 0, sizeof(*m));
	m->arena = a;
}

/* The slot holding key, or the empty slot where it would go. m->cap is a
 * power of two and the table is never full, so the loop ends. */
static struct hmap_entry *probe(const struct hmap *m, const char *key, size_t len, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct hmap_entry *e = &m->slots[i];
		if (!e->key || (e->hash == h && e->len == len && !memcmp(e->key, key, len)))
			return e;
	}
}

/* Gives the table cap slots (a power of two, more than it has) and
 * re-inserts every entry. */
static void resize(struct hmap *m, size_t cap)
{
	struct hmap old = *m;
	m->cap = cap;
	m->slots = m->arena ? ar_alloc(m->arena, m->cap * sizeof(*m->slots))
			    : xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*probe(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) = old.slots[i];
	if (!m->arena)
		free(old.slots); /* an arena's stay till it is released */
}

/* Doubles the slots (16 at first). */
static void grow(struct hmap *m)
{
	resize(m, m->cap ? 2 * m->cap : 16);
}

void hmap_reserve(struct hmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 16;
	while (2 * n > cap)
		cap *= 2;
	if (cap > m->cap)
		resize(m, cap);
}

void *hmap_get(const struct hmap *m, const char *key, size_t len)
{
	if (!m->n)
		return NULL;
	struct hmap_entry *e = probe(m, key, len, hash_fnv1a(key, len));
	return e->key ? e->val : NULL;
}

static bool put(struct hmap *m, const char *key, size_t len, uint64_t h, void *val)
{
	assert(key && val);
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	struct hmap_entry *e = probe(m, key, len, h);
	if (e->key)
		return false;
	*e = (struct hmap_entry){key, len, h, val};
	m->n++;
	return true;
}

bool hmap_put(struct hmap *m, const char *key, size_t len, void *val)
{
	return put(m, key, len, hash_fnv1a(key, len), val);
}

void *hmap_get_hashed(const struct hmap *m, const char *key, size_t len, uint64_t h)
{
	if (!m->n)
		return NULL;
	struct hmap_entry *e = probe(m, key, len, h);
	return e->key ? e->val : NULL;
}

bool hmap_put_hashed(struct hmap *m, const char *key, size_t len, uint64_t h, void *val)
{
	return put(m, key, len, h, val);
}

/* Each 64-bit word multiplied in and the state rotated (the table takes the
 * low bits, so every bit of a word must reach them), then splitmix64's
 * finaliser. */
uint64_t hash_words(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ n;
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
		h = h << 31 | h >> 33;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
	}
	h ^= h >> 30;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64_C(0x94d049bb133111eb);
	return h ^ h >> 31;
}

/* A hash-only key: an empty string, so that the hashes alone tell keys
 * apart (probe compares no bytes then; probe_hash not even the length). */
static const char hashed[1] = "";

static struct hmap_entry *probe_hash(const struct hmap *m, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct hmap_entry *e = &m->slots[i];
		if (!e->key || e->hash == h)
			return e;
	}
}

void *hmap_get_hash(const struct hmap *m, uint64_t h)
{
	if (!m->n)
		return NULL;
	struct hmap_entry *e = probe_hash(m, h);
	return e->key ? e->val : NULL;
}

bool hmap_put_hash(struct hmap *m, uint64_t h, void *val)
{
	assert(val);
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	struct hmap_entry *e = probe_hash(m, h);
	if (e->key)
		return false;
	*e = (struct hmap_entry){hashed, 0, h, val};
	m->n++;
	return true;
}
