/*
 * marks.c - the layout's page marks, revision pages and line messages,
 * kept in OUTDIR/.SLUG.marks for an EPUB-only build (marks.h).
 *
 * An EPUB-only build of the edition spent three quarters of its
 * instructions (294 M of 397 M) shaping, breaking and paginating every
 * paragraph to learn where the printed pages begin. Those facts follow
 * from the book's files, the fonts, the patterns and octavo alone, so
 * the build that lays them out keeps them, and the next build with the
 * same inputs takes them instead.
 *
 * One record (records.h) under a 16-byte key: two 64-bit FNV-1a hashes,
 * from two bases (the second octavo's build ID), of the inputs: the
 * manuscript's files by their bytes' CRC-32, Adler-32 (zlib's) and
 * length, the fonts and dictionaries by their identity (key_identity).
 * Its data, little-endian:
 *
 *   u32 nmarks, then each mark: str label, i32 part, u8 kind (0 none,
 *     1 span, 2 block), u32 block (its preorder number in the part: its
 *     blocks, then its notes' blocks), u8 in (0 spans, 1 caption), u32
 *     span, u64 offset, i32 front, i32 entry, u8 notes;
 *   then each page (as many): str label, u64 hash, i32 part, i32 first,
 *     i32 last;
 *   then two logs (the layout's messages, the lint's on lines): u32 n,
 *     each u8 level, u8 hint, i32 line, i32 col, str path, str message;
 *
 * where str is u32 length (0xffffffff: NULL) and bytes. A record is read
 * with every length and index checked against the data and the book.
 */
#define _POSIX_C_SOURCE 200809L
#include "marks.h"
#include "records.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC "octavo page marks 1\n"
/* A file whose status changed this close to the run's start (or after)
 * may have changed while the book was read: the kernel's file times run
 * up to a clock tick behind. */
#define RACY_NS (50 * 1000000LL)

struct cli_marks {
	struct cli_records *rs;
	uint64_t key[2];
	bool keyed; /* every input read, none changing */
	bool taken; /* the facts below came from the store */
	struct diag_log layout, lines;
	struct pg_pagemark *marks;
	struct cli_page_rec *pages;
	size_t n;
	char **strs; /* the taken labels, malloc'd */
	size_t nstrs, strs_cap;
};

/* ===== the key ========================================================= */

struct keyer {
	uint64_t h[2];
	long long since; /* the run's start, ns since the epoch, less RACY_NS */
	bool racy;	 /* an input changed too late to trust */
	unsigned char *buf;
};

static void key_add(struct keyer *k, const void *p, size_t n)
{
	k->h[0] = hash_fnv1a_from(k->h[0], p, n);
	k->h[1] = hash_fnv1a_from(k->h[1], p, n);
}

static void key_str(struct keyer *k, const char *s)
{
	key_add(k, s ? s : "\xff", s ? strlen(s) + 1 : 1);
}

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void check_times(struct keyer *k, const struct stat *st)
{
	if (ns(&st->st_ctim) >= k->since || ns(&st->st_mtim) >= k->since)
		k->racy = true;
}

/* Bytes, by their CRC-32, Adler-32 and length (as the PDF's store keys
 * its streams). */
static void key_bytes(struct keyer *k, const void *p, size_t n)
{
	uLong crc = crc32(0, Z_NULL, 0), adler = adler32(0, Z_NULL, 0);
	const unsigned char *s = p;
	for (size_t at = 0; at < n;) {
		uInt c = n - at > (1u << 30) ? 1u << 30 : (uInt)(n - at);
		crc = crc32(crc, s + at, c);
		adler = adler32(adler, s + at, c);
		at += c;
	}
	uint64_t v[3] = {crc, adler, n};
	key_add(k, v, sizeof(v));
}

/* A file's name and bytes (CRC-32 and Adler-32, read a piece at a time). */
static void key_file(struct keyer *k, const char *path)
{
	key_str(k, path);
	if (!path)
		return;
	struct stat st;
	int fd = open_regular(path, &st);
	if (fd < 0) {
		k->racy = true; /* the book read it: gone since */
		return;
	}
	uLong crc = crc32(0, Z_NULL, 0), adler = adler32(0, Z_NULL, 0);
	unsigned long long len = 0;
	for (;;) {
		ssize_t got = read(fd, k->buf, 1 << 16);
		if (got < 0) {
			k->racy = true;
			break;
		}
		if (got == 0)
			break;
		crc = crc32(crc, k->buf, (uInt)got);
		adler = adler32(adler, k->buf, (uInt)got);
		len += (unsigned long long)got;
	}
	struct stat after;
	if (fstat(fd, &after) != 0 || after.st_size != st.st_size)
		k->racy = true;
	else
		check_times(k, &after);
	close(fd);
	uint64_t v[3] = {crc, adler, len};
	key_add(k, v, sizeof(v));
}

/* A file's name and identity: device, inode, size, mtime and ctime.
 * Any write changes the ctime (no one can set it back), a file put in
 * place by rename the inode, so a font rewritten with its old size and
 * time misses too; a font's bytes (3.6 MB for the edition's five) would
 * cost some 28 M instructions a build. */
static void key_identity(struct keyer *k, const char *path)
{
	key_str(k, path);
	struct stat st;
	long long id[5] = {0};
	if (path && stat(path, &st) == 0) {
		id[0] = (long long)st.st_dev;
		id[1] = (long long)st.st_ino;
		id[2] = (long long)st.st_size;
		id[3] = ns(&st.st_mtim);
		id[4] = ns(&st.st_ctim);
		check_times(k, &st);
	} else if (path) {
		k->racy = true; /* the fonts were loaded from it: gone since */
	}
	key_add(k, id, sizeof(id));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every hyphenation dictionary's name and identity, in name order (a
 * package upgrade puts a new file in place). */
static void key_dictionaries(struct keyer *k)
{
	const char *dir = tx_hyph_dir();
	DIR *dp = opendir(dir);
	key_str(k, dir);
	if (!dp)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *de; (de = readdir(dp));) {
		size_t l = strlen(de->d_name);
		if (l > 4 && !strcmp(de->d_name + l - 4, ".dic")) {
			GROW(names, cap, n + 1);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]);
		key_identity(k, path);
		free(path);
		free(names[i]);
	}
	free(names);
}

/* The environment switches the layout reads (each gives the same pages
 * by design; a test that checks so must not be given kept ones). */
static void key_env(struct keyer *k)
{
	static const char *const vars[] = {"OCTAVO_NO_PLAIN", "OCTAVO_CHECK_TRIES",
					   "OCTAVO_NO_PRUNE", "OCTAVO_PATTERNS"};
	for (size_t i = 0; i < ARRAY_LEN(vars); i++)
		key_str(k, getenv(vars[i]));
}

static void key_images(struct keyer *k, const struct book *b)
{
	for (size_t i = 0; i < b->nparts; i++)
		for (size_t j = 0; j < b->parts[i].nimages; j++) {
			const struct bk_image *im = b->parts[i].images[j];
			key_str(k, im->path);
			key_bytes(k, im->data, im->data ? im->len : 0);
		}
	const struct bk_image *c = b->meta.cover_image;
	if (c)
		key_bytes(k, c->data, c->data ? c->len : 0);
}

/* Whether the key of everything b's layout follows from could be made. */
static bool make_key(struct cli_marks *m, const struct book *b, const struct cli_opts *o,
		     int threads, const struct timespec *began)
{
	struct keyer k = {{HASH_FNV1A_BASIS, cli_build_key(hash_fnv1a(MAGIC, strlen(MAGIC)))},
			  ns(began) - RACY_NS,
			  false,
			  xmalloc(1 << 16)};
	key_str(&k, MAGIC);
	key_str(&k, o->dir);
	key_str(&k, o->datadir);
	key_str(&k, b->dir);
	key_add(&k, &threads, sizeof(threads));
	key_env(&k);
	key_file(&k, b->yaml_path);
	key_file(&k, b->style.path);
	for (size_t i = 0; i < b->nparts; i++) {
		key_str(&k, b->parts[i].file);
		key_file(&k, b->parts[i].path);
	}
	for (int i = 0; i < 4; i++)
		key_identity(&k, b->style.font[i]);
	key_identity(&k, b->style.font_mono);
	for (size_t i = 0; i < b->style.nfallback; i++) {
		key_identity(&k, b->style.fallback[i]);
		for (int v = 0; v < 3 && b->style.fallback_var; v++)
			if (b->style.fallback_var[i][v])
				key_identity(&k, b->style.fallback_var[i][v]);
	}
	key_images(&k, b);
	key_dictionaries(&k);
	free(k.buf);
	m->key[0] = k.h[0];
	m->key[1] = k.h[1];
	return !k.racy;
}

/* ===== finding marks in the book ======================================= */

/* A place in a part: a block by its preorder number, and a span in it. */
struct place {
	const struct bk_span *span; /* looked for, or found */
	const struct bk_block *block;
	uint32_t nblock; /* the block's number */
	uint8_t in;	 /* 0: its spans, 1: its caption */
	uint32_t nspan;
	bool found;
};

/*
 * A part's blocks numbered in preorder (a block, then its kids; the
 * notes' after the text's) once, for all the marks in it: each block by
 * its address, each block's spans and caption as the range of addresses
 * they fill, both sorted, so that a mark is found by two binary
 * searches instead of a walk from the part's start (the
 * Node.js docs: 630,000 blocks visited, 44 M instructions on the build's
 * critical path). The place is the first in preorder of the mark's block and the
 * block whose spans (or caption) hold its span, the block when they are
 * the same one (as the walk, which looks at a block before its spans).
 */
struct addr_num {
	uintptr_t lo, hi; /* a block: lo alone; spans: [lo, hi) */
	uint32_t nblock;
	uint8_t in;
};

struct part_index {
	const struct bk_part *part;
	struct addr_num *blocks, *spans;
	size_t nblocks, nspans, blocks_cap, spans_cap;
	uint32_t seen;
};

static void index_blocks(struct part_index *x, const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *bl = &v[i];
		uint32_t me = x->seen++;
		GROW(x->blocks, x->blocks_cap, x->nblocks + 1);
		x->blocks[x->nblocks++] = (struct addr_num){(uintptr_t)bl, 0, me, 0};
		const struct bk_span *arr[2] = {bl->spans, bl->caption};
		size_t len[2] = {bl->nspans, bl->ncaption};
		for (uint8_t in = 0; in < 2; in++)
			if (arr[in] && len[in]) {
				GROW(x->spans, x->spans_cap, x->nspans + 1);
				x->spans[x->nspans++] = (struct addr_num){
				    (uintptr_t)arr[in], (uintptr_t)(arr[in] + len[in]), me, in};
			}
		index_blocks(x, bl->kids, bl->nkids);
	}
}

static int by_lo(const void *a, const void *b)
{
	uintptr_t x = ((const struct addr_num *)a)->lo, y = ((const struct addr_num *)b)->lo;
	return x < y ? -1 : x > y;
}

/* x made for part p (kept when it is p's already). */
static void index_part(struct part_index *x, const struct bk_part *p)
{
	if (x->part == p)
		return;
	x->part = p;
	x->nblocks = x->nspans = 0;
	x->seen = 0;
	index_blocks(x, p->blocks, p->nblocks);
	for (size_t i = 0; i < p->nnotes; i++)
		index_blocks(x, p->notes[i].kids, p->notes[i].nkids);
	qsort(x->blocks, x->nblocks, sizeof(*x->blocks), by_lo);
	qsort(x->spans, x->nspans, sizeof(*x->spans), by_lo);
}

/* The entry of v (n, sorted) whose lo is the last at or below at, or NULL. */
static const struct addr_num *at_or_below(const struct addr_num *v, size_t n, uintptr_t at)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].lo <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &v[lo - 1] : NULL;
}

/* find_in_part's answer for pl, from x (p's index). */
static void find_indexed(struct part_index *x, const struct bk_part *p, struct place *pl)
{
	index_part(x, p);
	const struct addr_num *b = NULL, *s = NULL;
	if (pl->block) {
		b = at_or_below(x->blocks, x->nblocks, (uintptr_t)pl->block);
		if (b && b->lo != (uintptr_t)pl->block)
			b = NULL;
	}
	if (pl->span) {
		s = at_or_below(x->spans, x->nspans, (uintptr_t)pl->span);
		if (s && (uintptr_t)pl->span >= s->hi)
			s = NULL;
	}
	if (b && (!s || b->nblock <= s->nblock)) {
		pl->nblock = b->nblock;
		pl->found = true;
	} else if (s) {
		*pl = (struct place){.nblock = s->nblock,
				     .in = s->in,
				     .nspan = (uint32_t)(pl->span - (const struct bk_span *)s->lo),
				     .found = true};
	}
}

static void index_release(struct part_index *x)
{
	free(x->blocks);
	free(x->spans);
}

/* The block numbered want in v's preorder, or NULL. */
static const struct bk_block *nth(const struct bk_block *v, size_t n, uint32_t want, uint32_t *seen)
{
	for (size_t i = 0; i < n; i++) {
		if ((*seen)++ == want)
			return &v[i];
		const struct bk_block *r = nth(v[i].kids, v[i].nkids, want, seen);
		if (r)
			return r;
	}
	return NULL;
}

static const struct bk_block *nth_in_part(const struct bk_part *p, uint32_t want)
{
	uint32_t seen = 0;
	const struct bk_block *r = nth(p->blocks, p->nblocks, want, &seen);
	for (size_t i = 0; i < p->nnotes && !r; i++)
		r = nth(p->notes[i].kids, p->notes[i].nkids, want, &seen);
	return r;
}

/* ===== writing and reading a record ==================================== */

static void put_u32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
	sb_add(sb, (const char *)b, 4);
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	put_u32(sb, (uint32_t)v);
	put_u32(sb, (uint32_t)(v >> 32));
}

static void put_u8(struct strbuf *sb, uint8_t v)
{
	sb_addc(sb, (char)v);
}

static void put_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		put_u32(sb, UINT32_MAX);
		return;
	}
	size_t n = strlen(s);
	put_u32(sb, (uint32_t)n);
	sb_add(sb, s, n);
}

static void put_log(struct strbuf *sb, const struct diag_log *l)
{
	put_u32(sb, (uint32_t)l->n);
	for (size_t i = 0; i < l->n; i++) {
		const struct diag_entry *e = &l->v[i];
		put_u8(sb, (uint8_t)e->lvl);
		put_u8(sb, e->hint);
		put_u32(sb, (uint32_t)e->line);
		put_u32(sb, (uint32_t)e->col);
		put_str(sb, e->path);
		put_str(sb, e->msg);
	}
}

/* Whether doc's marks are all found in b: then the record into sb. */
static bool format(struct strbuf *sb, const struct cli_marks *m, const struct book *b,
		   const struct pg_doc *doc, const struct cli_page_rec *pages)
{
	put_u32(sb, (uint32_t)doc->nmarks);
	struct part_index x = {0};
	bool all = true;
	for (size_t i = 0; i < doc->nmarks && all; i++) {
		const struct pg_pagemark *mk = &doc->marks[i];
		struct place pl = {.span = mk->span, .block = mk->block};
		/* A page the layout made itself (part -1) has its place in
		 * no part; the EPUB places it by front and entry alone. */
		uint8_t kind = mk->part < 0 ? 0 : mk->span ? 1 : mk->block ? 2 : 0;
		if (kind) {
			if ((size_t)mk->part >= b->nparts)
				all = false;
			else
				find_indexed(&x, &b->parts[mk->part], &pl);
			if (!pl.found) {
				all = false;
				break;
			}
		}
		put_str(sb, mk->label);
		put_u32(sb, (uint32_t)mk->part);
		put_u8(sb, kind);
		put_u32(sb, pl.nblock);
		put_u8(sb, pl.in);
		put_u32(sb, pl.nspan);
		put_u64(sb, mk->offset);
		put_u32(sb, (uint32_t)mk->front);
		put_u32(sb, (uint32_t)mk->entry);
		put_u8(sb, mk->notes);
	}
	index_release(&x);
	if (!all)
		return false;
	for (size_t i = 0; i < doc->npages; i++) {
		put_str(sb, pages[i].label);
		put_u64(sb, pages[i].hash);
		put_u32(sb, (uint32_t)pages[i].part);
		put_u32(sb, (uint32_t)pages[i].first);
		put_u32(sb, (uint32_t)pages[i].last);
	}
	put_log(sb, &m->layout);
	put_log(sb, &m->lines);
	return true;
}

/* A record's bytes read in order; ok turns false at the first that is
 * not there, and stays so. */
struct reader {
	const unsigned char *p, *end;
	bool ok;
};

static const unsigned char *take(struct reader *r, size_t n)
{
	if (!r->ok || (size_t)(r->end - r->p) < n) {
		r->ok = false;
		return NULL;
	}
	const unsigned char *at = r->p;
	r->p += n;
	return at;
}

static uint32_t get_u32(struct reader *r)
{
	const unsigned char *b = take(r, 4);
	return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		       (uint32_t)b[3] << 24
		 : 0;
}

static uint64_t get_u64(struct reader *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

static uint8_t get_u8(struct reader *r)
{
	const unsigned char *b = take(r, 1);
	return b ? *b : 0;
}

/* A string of the record, malloc'd (NULL for none, or when cut short:
 * see r->ok). */
static char *get_str(struct reader *r)
{
	uint32_t n = get_u32(r);
	if (!r->ok || n == UINT32_MAX)
		return NULL;
	const unsigned char *s = take(r, n);
	return s ? xstrndup((const char *)s, n) : NULL;
}

static void get_log(struct reader *r, struct diag_log *l)
{
	uint32_t n = get_u32(r);
	for (uint32_t i = 0; i < n && r->ok; i++) {
		uint8_t lvl = get_u8(r), hint = get_u8(r);
		int line = (int)get_u32(r), col = (int)get_u32(r);
		char *path = get_str(r), *msg = get_str(r);
		if (r->ok && msg && lvl <= DIAG_ERROR && hint <= 1)
			diag_log_add(l, lvl == DIAG_ERROR ? DIAG_ERROR : DIAG_WARNING, hint, path,
				     line, col, msg);
		else
			r->ok = false;
		free(path);
		free(msg);
	}
}

/* A label of the record, kept in m. */
static const char *get_label(struct reader *r, struct cli_marks *m)
{
	char *s = get_str(r);
	if (!s) {
		r->ok = false;
		return NULL;
	}
	GROW(m->strs, m->strs_cap, m->nstrs + 1);
	m->strs[m->nstrs++] = s;
	return s;
}

/* One mark of the record, found in b. */
static void get_mark(struct reader *r, struct cli_marks *m, const struct book *b,
		     struct pg_pagemark *mk)
{
	mk->label = get_label(r, m);
	mk->part = (int)get_u32(r);
	uint8_t kind = get_u8(r);
	uint32_t nblock = get_u32(r);
	uint8_t in = get_u8(r);
	uint32_t nspan = get_u32(r);
	mk->offset = (size_t)get_u64(r);
	uint32_t front = get_u32(r);
	mk->front = front <= BK_FRONT_CONTENTS ? (enum bk_front)front : BK_FRONT_NONE;
	mk->entry = (int)get_u32(r);
	mk->notes = get_u8(r) != 0;
	if (!r->ok || kind > 2 || in > 1 || front > BK_FRONT_CONTENTS || mk->part < -1 ||
	    (mk->part >= 0 && (size_t)mk->part >= b->nparts) || (kind && mk->part < 0) ||
	    mk->entry < -1 || (mk->entry >= 0 && (size_t)mk->entry >= b->nparts)) {
		r->ok = false;
		return;
	}
	if (!kind)
		return;
	const struct bk_block *bl = nth_in_part(&b->parts[mk->part], nblock);
	if (!bl) {
		r->ok = false;
	} else if (kind == 2) {
		mk->block = bl;
	} else {
		const struct bk_span *v = in ? bl->caption : bl->spans;
		size_t n = in ? bl->ncaption : bl->nspans;
		const char *text = nspan < n ? v[nspan].text : NULL;
		if (nspan >= n || (mk->offset && (!text || mk->offset > strlen(text))))
			r->ok = false;
		else
			mk->span = &v[nspan];
	}
}

/* The record's facts into m, checked against b; false (m as it was, but
 * for what is to be freed) when any does not fit. */
static bool parse(struct cli_marks *m, const struct book *b, const char *data, size_t len)
{
	struct reader r = {(const unsigned char *)data, (const unsigned char *)data + len, true};
	uint32_t n = get_u32(&r);
	if (!r.ok || n > len / 8) /* a mark takes more bytes than that */
		return false;
	m->marks = xcalloc(n ? n : 1, sizeof(*m->marks));
	m->pages = xcalloc(n ? n : 1, sizeof(*m->pages));
	m->n = n;
	for (uint32_t i = 0; i < n && r.ok; i++)
		get_mark(&r, m, b, &m->marks[i]);
	for (uint32_t i = 0; i < n && r.ok; i++) {
		struct cli_page_rec *p = &m->pages[i];
		p->label = get_label(&r, m);
		p->hash = get_u64(&r);
		p->part = (int)get_u32(&r);
		p->first = (int)get_u32(&r);
		p->last = (int)get_u32(&r);
	}
	get_log(&r, &m->layout);
	get_log(&r, &m->lines);
	return r.ok && r.p == r.end;
}

static void drop_facts(struct cli_marks *m)
{
	for (size_t i = 0; i < m->nstrs; i++)
		free(m->strs[i]);
	free(m->strs);
	free(m->marks);
	free(m->pages);
	m->strs = NULL;
	m->marks = NULL;
	m->pages = NULL;
	m->n = m->nstrs = m->strs_cap = 0;
	diag_log_release(&m->layout);
	diag_log_release(&m->lines);
}

/* ===== the store ======================================================= */

struct cli_marks *cli_marks_open(const struct book *b, const struct cli_opts *o, int threads,
				 const struct timespec *began, struct cli_txn *t)
{
	struct cli_marks *m = xcalloc(1, sizeof(*m));
	m->keyed = make_key(m, b, o, threads, began);
	m->rs = cli_records_open(o->outdir, b->meta.slug, "marks", MAGIC, t);
	return m;
}

bool cli_marks_take(struct cli_marks *m, const struct book *b, struct diag *d)
{
	size_t len = 0;
	const char *data = m->keyed ? cli_records_get(m->rs, m->key, sizeof(m->key), &len) : NULL;
	if (!data)
		return false;
	if (!parse(m, b, data, len)) {
		drop_facts(m);
		return false;
	}
	m->taken = true;
	diag_replay(d, &m->layout);
	return true;
}

bool cli_marks_taken(const struct cli_marks *m)
{
	return m && m->taken;
}

struct diag_log *cli_marks_layout_log(struct cli_marks *m)
{
	return m && m->keyed && !m->taken ? &m->layout : NULL;
}

struct diag_log *cli_marks_lines_log(struct cli_marks *m)
{
	return m && m->keyed && !m->taken ? &m->lines : NULL;
}

void cli_marks_replay_lines(const struct cli_marks *m, struct diag *d)
{
	if (m && m->taken)
		diag_replay(d, &m->lines);
}

void cli_marks_put(struct cli_marks *m, const struct book *b, const struct pg_doc *doc)
{
	if (!m || m->taken || !m->keyed || !doc || doc->nmarks != doc->npages)
		return;
	struct cli_page_rec *pages = cli_page_recs(doc);
	struct strbuf sb = STRBUF_INIT;
	if (format(&sb, m, b, doc, pages)) {
		size_t len = 0;
		const char *old = cli_records_get(m->rs, m->key, sizeof(m->key), &len);
		/* the same facts again (a print build after an EPUB-only one):
		 * taken, so the file is left as it is */
		if (!old || len != sb.len || memcmp(old, sb.buf, len))
			cli_records_put(m->rs, m->key, sizeof(m->key), sb.buf, sb.len);
	}
	sb_release(&sb);
	free(pages);
}

const struct pg_pagemark *cli_marks_get(const struct cli_marks *m, size_t *n)
{
	*n = m && m->taken ? m->n : 0;
	return m && m->taken ? m->marks : NULL;
}

const struct cli_page_rec *cli_marks_pages(const struct cli_marks *m, size_t *n)
{
	*n = m && m->taken ? m->n : 0;
	return m && m->taken ? m->pages : NULL;
}

void cli_marks_close(struct cli_marks *m, struct cli_txn *t)
{
	if (!m)
		return;
	cli_records_close(m->rs, t);
	drop_facts(m);
	free(m);
}
