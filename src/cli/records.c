/*
 * records.c - a file of checked records kept in the output folder
 * (records.h): read whole at open, found by key through the one hash table
 * (util.h), checked by zlib's CRC-32, and written anew record by record.
 *
 * The new file is the sequence of records taken or added (the order). As
 * long as the build only takes records of the old file, nothing is
 * written: a rebuild that took them all (in whatever order: the file is a
 * cache, its order matters to no reader) and added none leaves it as it
 * is. From the first record added the new file is open and every record
 * in the order so far, then each new one, goes into it at once, from where
 * it lies (the old file's bytes, or the caller's), never gathered into a
 * buffer of the whole file: a long book's stores were as big as its
 * deflated pages and texts, and were built whole at the end beside them.
 *
 * A record given out by get is not in the order yet: the caller may find
 * it wanting (the PDF checks a stream's zlib trailer, the patterns' reader
 * every index) and put the same key. So it is "offered" until the store's
 * next call, which takes it unless that call puts its key.
 */
#define _POSIX_C_SOURCE 200809L
#include "records.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A record's head in the file (native byte order, as the stores always
 * were: another machine's file fails its checks), then klen bytes of key
 * and len bytes of data. */
struct records_head {
	uint32_t check; /* CRC-32 of the rest of the head, the key and the data */
	uint32_t klen;
	uint64_t len;
};

/* A record known to the store: one of the old file's (key and data point
 * into buf) or one added by this build. */
struct record {
	const char *key, *data;
	size_t klen, len;
	uint32_t check;
	size_t newer;	   /* 1 + the record that replaced this one under its key, or 0 */
	size_t at;	   /* 1 + its place in the order, or 0 */
	signed char sound; /* its check: 1 holds, -1 fails, 0 not made yet */
	bool added;	   /* by this build (key malloc'd) */
	bool own_data;	   /* data malloc'd: kept, or copied to be written later */
};

struct cli_records {
	char *file, *staged; /* OUTDIR/.SLUG.NAME, and where the transaction stages it (NULL until
				known); malloc'd */
	const char *magic;   /* borrowed: the caller's constant */
	char *buf;	     /* the old file's bytes, malloc'd */
	size_t buflen, end;  /* end: past its last whole record (0: no magic) */
	struct record *v;
	size_t n, cap, nold; /* v[0..nold) are the old file's, in its order */
	struct hmap index;   /* key -> 1 + the first record under it */
	size_t *order;	     /* the new file's records */
	size_t norder, order_cap;
	size_t nwritten; /* order[0..nwritten) are in the new file */
	size_t offered;	 /* 1 + a record given out and not yet taken, or 0 */
	bool stream;	 /* write as records come (a transaction is open) */
	bool diverged;	 /* a record added: the file changes */
	bool failed;	 /* a write failed: the new file is dropped */
	FILE *out;	 /* the new file, while open */
	bool opened;	 /* whether it was created (to be removed unless staged) */
	long long size;	 /* its bytes so far, and their FNV-1a hash (the */
	uint64_t hash;	 /* manifest's: cli_txn_hashed) */
};

/* ===== reading ========================================================= */

/* The check of a record of those lengths, key and data. */
static uint32_t check_of(size_t klen, size_t len, const char *key, const char *data)
{
	struct records_head h = {0, (uint32_t)klen, (uint64_t)len};
	uLong c = crc32_z(0, (const Bytef *)&h + sizeof(h.check), sizeof(h) - sizeof(h.check));
	c = crc32_z(c, (const Bytef *)key, klen);
	return (uint32_t)crc32_z(c, (const Bytef *)data, len);
}

/* The old file's records into s->v and the index; stops at the first that
 * does not fit. A key met again is left out of the index (never taken). */
static void parse(struct cli_records *s)
{
	size_t m = strlen(s->magic);
	if (s->buflen < m || memcmp(s->buf, s->magic, m))
		return;
	size_t at = m;
	while (s->buflen - at >= sizeof(struct records_head)) {
		struct records_head h;
		memcpy(&h, s->buf + at, sizeof(h));
		size_t left = s->buflen - at - sizeof(h);
		if (h.klen > left || h.len > left - h.klen)
			break;
		const char *key = s->buf + at + sizeof(h);
		GROW(s->v, s->cap, s->n + 1);
		s->v[s->n] = (struct record){.key = key,
					     .klen = h.klen,
					     .data = key + h.klen,
					     .len = (size_t)h.len,
					     .check = h.check};
		hmap_put(&s->index, key, h.klen, (void *)(uintptr_t)(s->n + 1));
		s->n++;
		at += sizeof(h) + h.klen + (size_t)h.len;
	}
	s->nold = s->n;
	s->end = at;
}

struct cli_records *cli_records_open(const char *outdir, const char *slug, const char *name,
				     const char *magic, struct cli_txn *t)
{
	struct cli_records *s = xcalloc(1, sizeof(*s));
	hmap_init(&s->index);
	s->magic = magic;
	s->stream = t != NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, ".%s.%s", slug, name);
	s->file = path_join(outdir, sb.buf);
	if (t) /* written where the transaction stages it: no rename */
		s->staged = cli_txn_staged_path(t, sb.buf);
	sb_release(&sb);
	s->buf = read_file(s->file, &s->buflen);
	if (s->buf)
		parse(s);
	return s;
}

/* Whether record i's check holds (made once). */
static bool sound(struct cli_records *s, size_t i)
{
	struct record *r = &s->v[i];
	if (!r->sound)
		r->sound = check_of(r->klen, r->len, r->key, r->data) == r->check ? 1 : -1;
	return r->sound > 0;
}

/* The record now under key (the last that replaced the first), or -1. */
static long lookup(const struct cli_records *s, const void *key, size_t klen)
{
	uintptr_t i = (uintptr_t)hmap_get(&s->index, key, klen);
	if (!i)
		return -1;
	while (s->v[i - 1].newer)
		i = s->v[i - 1].newer;
	return (long)(i - 1);
}

bool cli_records_any(struct cli_records *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (sound(s, i))
			return true;
	return false;
}

/* ===== writing ========================================================= */

static void out_write(struct cli_records *s, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, s->out) != n)
		s->failed = true;
	s->size += (long long)n;
	s->hash = hash_fnv1a_from(s->hash, p, n);
}

/* Opens the new file (once) and writes its magic line. false when it
 * cannot be opened: the new file is dropped. */
static bool out_open(struct cli_records *s)
{
	if (s->out)
		return true;
	if (s->failed || !(s->out = fopen(s->staged, "wb"))) {
		s->failed = true;
		return false;
	}
	s->opened = true;
	s->hash = HASH_FNV1A_BASIS;
	s->size = 0;
	out_write(s, s->magic, strlen(s->magic));
	return true;
}

/* The records of the order not written yet into the new file. Before it
 * may be written (no transaction yet), those of the caller's bytes (put)
 * are copied, to be written at close. */
static void flush(struct cli_records *s)
{
	if (s->stream && !out_open(s)) {
		s->nwritten = s->norder; /* dropped with the file */
		return;
	}
	if (s->stream) {
		for (; s->nwritten < s->norder; s->nwritten++) {
			const struct record *r = &s->v[s->order[s->nwritten]];
			struct records_head h = {r->check, (uint32_t)r->klen, (uint64_t)r->len};
			if (!r->added) { /* as it lies in the old file */
				out_write(s, r->key - sizeof(h), sizeof(h) + r->klen + r->len);
				continue;
			}
			out_write(s, &h, sizeof(h));
			out_write(s, r->key, r->klen);
			out_write(s, r->data, r->len);
		}
		return;
	}
	/* each added record is copied as it is taken: the last is the one */
	struct record *r = s->norder ? &s->v[s->order[s->norder - 1]] : NULL;
	if (r && r->added && !r->own_data) {
		char *copy = xmalloc(r->len ? r->len : 1);
		memcpy(copy, r->data, r->len);
		r->data = copy;
		r->own_data = true;
	}
}

/* Record i into the order (once). */
static void take(struct cli_records *s, size_t i)
{
	if (s->v[i].at)
		return;
	GROW(s->order, s->order_cap, s->norder + 1);
	s->order[s->norder++] = i;
	s->v[i].at = s->norder;
	if (i >= s->nold)
		s->diverged = true;
	if (s->diverged)
		flush(s);
}

/* The record offered by the last get: taken, unless the call under way
 * puts its key (key NULL: no put). */
static void settle(struct cli_records *s, const void *key, size_t klen)
{
	if (!s->offered)
		return;
	size_t i = s->offered - 1;
	s->offered = 0;
	const struct record *r = &s->v[i];
	if (key && r->klen == klen && !memcmp(r->key, key, klen))
		return; /* found wanting: the put replaces it */
	take(s, i);
}

const char *cli_records_get(struct cli_records *s, const void *key, size_t klen, size_t *len)
{
	settle(s, NULL, 0);
	long i = lookup(s, key, klen);
	if (i < 0 || !sound(s, (size_t)i))
		return NULL;
	if (!s->v[i].at)
		s->offered = (size_t)i + 1;
	*len = s->v[i].len;
	return s->v[i].data;
}

const char *cli_records_peek(const struct cli_records *s, const void *key, size_t klen,
			     size_t *len)
{
	long i = lookup(s, key, klen);
	if (i < 0)
		return NULL;
	const struct record *r = &s->v[i];
	if (r->sound ? r->sound < 0 : check_of(r->klen, r->len, r->key, r->data) != r->check)
		return NULL;
	*len = r->len;
	return r->data;
}

/* A record added under key with data (owned or the caller's). */
static void add(struct cli_records *s, const void *key, size_t klen, const char *data, size_t len,
		bool own)
{
	settle(s, key, klen);
	long old = lookup(s, key, klen);
	if (old >= 0 && s->v[old].at) {
		/* Its key is in the new file already (the caller made again
		 * what it had taken): one record a key. */
		if (own) { /* held until close all the same, as promised */
			GROW(s->v, s->cap, s->n + 1);
			s->v[s->n++] = (struct record){.data = data, .own_data = true, .sound = -1};
		}
		return;
	}
	char *k = xmalloc(klen ? klen : 1);
	memcpy(k, key, klen);
	GROW(s->v, s->cap, s->n + 1);
	s->v[s->n] = (struct record){.key = k,
				     .klen = klen,
				     .data = data,
				     .len = len,
				     .check = check_of(klen, len, k, data),
				     .sound = 1,
				     .added = true,
				     .own_data = own};
	if (old >= 0)
		s->v[old].newer = s->n + 1;
	else
		hmap_put(&s->index, k, klen, (void *)(uintptr_t)(s->n + 1));
	take(s, s->n++); /* written now, or (the caller's bytes) copied */
}

void cli_records_put(struct cli_records *s, const void *key, size_t klen, const void *data,
		     size_t len)
{
	add(s, key, klen, data, len, false);
	/* written, or copied by flush (or dropped: its key was taken): no
	 * pointer to the caller's data is kept past this call */
	assert(s->nwritten == s->norder || s->v[s->order[s->norder - 1]].own_data ||
	       !s->v[s->order[s->norder - 1]].added);
}

void cli_records_keep(struct cli_records *s, const void *key, size_t klen, char *data, size_t len)
{
	add(s, key, klen, data, len, true);
}

/* Whether the old file may stay: every record of it taken (in any order),
 * nothing added, nothing after its last record (or a build that took and
 * added nothing: the file is left for another). */
static bool unchanged(const struct cli_records *s)
{
	if (!s->norder)
		return true;
	return !s->diverged && s->norder == s->nold && s->end == s->buflen;
}

void cli_records_close(struct cli_records *s, struct cli_txn *t)
{
	if (!s)
		return;
	settle(s, NULL, 0);
	bool put = false;
	const char *base = strrchr(s->file, '/');
	base = base ? base + 1 : s->file;
	if (t && !unchanged(s)) {
		if (!s->staged)
			s->staged = cli_txn_staged_path(t, base);
		s->diverged = s->stream = true;
		flush(s);
		if (s->out) {
			if (fclose(s->out) != 0)
				s->failed = true;
			s->out = NULL;
			/* the path the file was written at: stage the name */
			if (!s->failed && cli_txn_stage(t, base, NULL)) {
				cli_txn_hashed(t, base, s->size, s->hash);
				put = true;
			}
		}
	}
	if (s->out)
		fclose(s->out);
	if (s->opened && !put)
		unlink(s->staged);
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].added)
			free((char *)s->v[i].key);
		if (s->v[i].own_data)
			free((char *)s->v[i].data);
	}
	hmap_release(&s->index);
	free(s->order);
	free(s->v);
	free(s->buf);
	free(s->staged);
	free(s->file);
	free(s);
}
