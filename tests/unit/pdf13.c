/* pdf13.c - the PDF's streams and font subsets taken from an earlier
 * build: the same bytes as made afresh, and a stale, damaged or
 * truncated store costs time, never a wrong byte (src/pdf/deflate.c,
 * src/pdf/subsets.c, src/cli/pdfstore.c, tx_pdffont_from). */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "cli/cli.h"
#include "pdf/pdf-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ----- a store in memory, to watch what the PDF stage asks ------------- */

struct mem_store {
	struct pdf_zkey key[8];
	char *z[8];
	size_t zlen[8], n;
	int gets, hits, keeps;
};

static const char *mem_get(void *ctx, const struct pdf_zkey *k, size_t *zlen)
{
	struct mem_store *m = ctx;
	m->gets++;
	for (size_t i = 0; i < m->n; i++)
		if (!memcmp(&m->key[i], k, sizeof(*k))) {
			m->hits++;
			*zlen = m->zlen[i];
			return m->z[i];
		}
	return NULL;
}

static void mem_keep(void *ctx, const struct pdf_zkey *k, char *z, size_t zlen)
{
	struct mem_store *m = ctx;
	m->keeps++;
	if (m->n == 8) {
		free(z);
		return;
	}
	m->key[m->n] = *k;
	m->z[m->n] = z; /* ours now */
	m->zlen[m->n++] = zlen;
}

static void mem_free(struct mem_store *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->z[i]);
	memset(m, 0, sizeof(*m));
}

/* A page's worth of content stream, varied by seed. */
static char *page_text(int seed, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "BT\n");
	for (int i = 0; i < 300; i++)
		sb_addf(&sb, "/F0 10.5 Tf\n%d %d Td [(\x01\x02\x03) -%d (\x04\x05)] TJ\n",
			i * 7 % 61, -14 - seed, (i * seed) % 997);
	sb_adds(&sb, "ET\n");
	return sb_detach(&sb, len);
}

UNIT_TEST(pdf13_deflate_store_same_bytes)
{
	size_t len;
	char *text = page_text(3, &len);
	/* No store: what zlib makes. */
	struct pdf_zset a;
	pdf_zset_init(&a, 3, 6);
	char *z0;
	size_t n0;
	UCHECK(pdf_deflate(&a, NULL, text, len, &z0, &n0) == 0, "deflates with no store");
	/* Cold: asked, not found, deflated and kept. */
	struct mem_store m = {0};
	struct pdf_store st = {mem_get, mem_keep, &m, NULL};
	char *z1;
	size_t n1;
	UCHECK(pdf_deflate(&a, &st, text, len, &z1, &n1) == 0 && m.keeps == 1 && m.hits == 0,
	       "a cold store is asked and given the stream (keeps %d, hits %d)", m.keeps, m.hits);
	UCHECK(n1 == n0 && !memcmp(z0, z1, n0), "cold: the same bytes as with no store");
	/* Warm, in a new writer: found, not deflated, the same bytes. */
	struct pdf_zset b;
	pdf_zset_init(&b, 3, 6);
	char *z2;
	size_t n2;
	UCHECK(pdf_deflate(&b, &st, text, len, &z2, &n2) == 0 && m.hits == 1 && b.made == 0 &&
		   b.reused == 1,
	       "warm: taken from the store (hits %d, made %zu)", m.hits, b.made);
	UCHECK(n2 == n0 && !memcmp(z0, z2, n0), "warm: the same bytes");
	/* Another level is another key: never the level-3 record. */
	struct pdf_zset c;
	pdf_zset_init(&c, 6, 8);
	char *z3;
	size_t n3;
	int hits = m.hits;
	UCHECK(pdf_deflate(&c, &st, text, len, &z3, &n3) == 0 && m.hits == hits && c.made == 1,
	       "level 6 does not take level 3's record");
	UCHECK(z3[0] == 0x78 && (unsigned char)z3[1] == 0x9c, "level 6's header (78 9C)");
	/* A damaged record under the right key (its trailer not the
	 * stream's Adler-32): deflated again, the same bytes. */
	m.z[0][m.zlen[0] - 1] ^= 0x5a;
	struct pdf_zset d;
	pdf_zset_init(&d, 3, 6);
	char *z4;
	size_t n4;
	UCHECK(pdf_deflate(&d, &st, text, len, &z4, &n4) == 0 && d.made == 1 && d.reused == 0,
	       "a record whose trailer is not the stream's is not used");
	UCHECK(n4 == n0 && !memcmp(z0, z4, n0), "damaged record: the same bytes");
	/* A record cut short: not used either. */
	m.z[0][m.zlen[0] - 1] ^= 0x5a;
	m.zlen[0] = 3;
	char *z5;
	size_t n5;
	UCHECK(pdf_deflate(&d, &st, text, len, &z5, &n5) == 0 && d.made == 2 && n5 == n0 &&
		   !memcmp(z0, z5, n0),
	       "a truncated record is not used");
	free(z0); /* the others are the store's */
	free(text);
	mem_free(&m);
	pdf_zset_release(&a), pdf_zset_release(&b), pdf_zset_release(&c), pdf_zset_release(&d);
}

/* ----- the store in the output folder ---------------------------------- */

/* One build's use of the store in dir: each of the n texts through
 * pdf_deflate at level 3; *made and *reused say how. Returns whether every
 * stream came out as zlib makes it alone. */
static bool one_build(const char *dir, char **texts, size_t *lens, int n, size_t *made,
		      size_t *reused)
{
	struct diag dg;
	diag_init(&dg, stderr);
	dg.quiet = true;
	struct cli_txn *t = cli_txn_open(dir, "book", true, &dg);
	struct cli_pdfstore *s = cli_pdfstore_open(dir, "book", t);
	struct pdf_zset z, plain;
	pdf_zset_init(&z, 3, 6);
	pdf_zset_init(&plain, 3, 6);
	bool same = true;
	for (int i = 0; i < n; i++) {
		char *a, *b;
		size_t na, nb;
		if (pdf_deflate(&z, cli_pdfstore_api(s), texts[i], lens[i], &a, &na) < 0 ||
		    pdf_deflate(&plain, NULL, texts[i], lens[i], &b, &nb) < 0) {
			same = false;
			continue;
		}
		same &= na == nb && !memcmp(a, b, na);
		free(b); /* a is the store's */
	}
	*made = z.made, *reused = z.reused;
	cli_pdfstore_close(s, t);
	if (t)
		cli_txn_commit(t, &dg);
	cli_txn_free(t);
	pdf_zset_release(&z), pdf_zset_release(&plain);
	return same;
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

UNIT_TEST(pdf13_store_file_cold_warm_damaged)
{
	char *dir = unit_scratch("pdf13");
	UCHECK(dir != NULL, "a scratch folder");
	if (!dir)
		return;
	char *texts[3];
	size_t lens[3];
	for (int i = 0; i < 3; i++)
		texts[i] = page_text(i + 1, &lens[i]);
	char file[600];
	snprintf(file, sizeof(file), "%s/.book.pdf-streams", dir);
	size_t made, reused;
	UCHECK(one_build(dir, texts, lens, 3, &made, &reused) && made == 3 && reused == 0,
	       "cold: three streams deflated (%zu made, %zu reused)", made, reused);
	long size = file_size(file);
	UCHECK(size > 0, "the store is written (%ld bytes)", size);
	UCHECK(one_build(dir, texts, lens, 3, &made, &reused) && made == 0 && reused == 3,
	       "warm: three taken from the store (%zu made, %zu reused)", made, reused);
	/* One text changed (an editor's paragraph): only it deflated. */
	free(texts[1]);
	texts[1] = page_text(42, &lens[1]);
	UCHECK(one_build(dir, texts, lens, 3, &made, &reused) && made == 1 && reused == 2,
	       "one page changed: one deflated, two reused (%zu, %zu)", made, reused);
	/* The store holds this build's streams only: no larger than before
	 * by more than the changed page's difference. */
	long size2 = file_size(file);
	UCHECK(size2 > 0 && size2 < size * 3 / 2,
	       "the store does not grow with the old page (%ld, %ld)", size, size2);
	/* A byte of a record's data flipped: that record is a miss, the
	 * others are used, the bytes the same. */
	FILE *f = fopen(file, "r+b");
	if (f) {
		fseek(f, -10, SEEK_END);
		int c = fgetc(f);
		fseek(f, -10, SEEK_END);
		fputc(c ^ 0x21, f);
		fclose(f);
	}
	UCHECK(one_build(dir, texts, lens, 3, &made, &reused) && made == 1 && reused == 2,
	       "a damaged record: deflated again, the same bytes (%zu made, %zu reused)", made,
	       reused);
	/* Cut in the middle of its last record: the others are read. */
	UCHECK(truncate(file, file_size(file) - 20) == 0, "the store cut short");
	UCHECK(one_build(dir, texts, lens, 3, &made, &reused) && made == 1 && reused == 2,
	       "a truncated store: the whole records used, the same bytes (%zu made, %zu reused)",
	       made, reused);
	/* Garbage and an empty file: a cold build, the same bytes. */
	f = fopen(file, "wb");
	if (f) {
		fputs("octavo pdf streams 2\n\xff\xff\xff\xff\xff\xff\xff\xff garbage", f);
		fclose(f);
	}
	UCHECK(one_build(dir, texts, lens, 3, &made, &reused) && made == 3 && reused == 0,
	       "a garbage store: everything deflated, the same bytes (%zu made)", made);
	f = fopen(file, "wb");
	if (f)
		fclose(f);
	UCHECK(one_build(dir, texts, lens, 3, &made, &reused) && made == 3,
	       "an empty store: everything deflated (%zu made)", made);
	for (int i = 0; i < 3; i++)
		free(texts[i]);
	unit_rm_dir(dir);
	free(dir);
}

/* ----- font subsets from the store ------------------------------------- */

static bool same_font(const struct tx_pdffont *a, const struct tx_pdffont *b)
{
	if (a->len != b->len || memcmp(a->data, b->data, a->len) || a->cff != b->cff ||
	    a->nglyphs != b->nglyphs || a->subset != b->subset || strcmp(a->psname, b->psname) ||
	    a->ascent != b->ascent || a->descent != b->descent || a->cap_height != b->cap_height ||
	    a->italic_angle != b->italic_angle || a->weight != b->weight ||
	    a->fixed_pitch != b->fixed_pitch || a->italic != b->italic ||
	    memcmp(a->bbox, b->bbox, sizeof(a->bbox)))
		return false;
	if (memcmp(a->gid, b->gid, 65536 * sizeof(*a->gid)) ||
	    memcmp(a->glyph, b->glyph, 65536 * sizeof(*a->glyph)) ||
	    memcmp(a->unicode, b->unicode, a->nglyphs * sizeof(*a->unicode)) ||
	    memcmp(a->width, b->width, a->nglyphs * sizeof(*a->width)))
		return false;
	for (unsigned g = 0; g < a->nglyphs; g++)
		if (a->text[g] != b->text[g] || (a->alt == NULL) != (b->alt == NULL) ||
		    (a->alt && a->alt[g] != b->alt[g]))
			return false;
	return true;
}

UNIT_TEST(pdf13_subset_from_store_is_the_same)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load("tests/books/tagged", ".", &d);
	UCHECK(b != NULL, "the tagged test book loads");
	if (!b)
		return;
	struct tx_fonts *f = tx_fonts_load(&b->style, b->meta.language, &d);
	UCHECK(f != NULL, "its fonts load");
	if (!f) {
		book_free(b);
		return;
	}
	uint8_t *used = xcalloc(TX_USED_LEN, 1);
	const char *text = "Civil dialogue: \xE2\x80\x9C"
			   "affinity\xE2\x80\x9D, 1234 \xC3\xA9t\xC3\xA9";
	pdf_mark_used(used, text, strlen(text));
	struct mem_store m = {0};
	struct pdf_store st = {mem_get, mem_keep, &m, NULL};
	struct tx_pdffont made, cold, warm;
	UCHECK(tx_pdffont_make(f, TX_REGULAR, used, &made) == 0, "the subset is made");
	UCHECK(pdf_font_subset(f, TX_REGULAR, used, &st, &cold) == 0 && m.keeps == 1 && m.hits == 0,
	       "cold: made and kept (keeps %d)", m.keeps);
	UCHECK(pdf_font_subset(f, TX_REGULAR, used, &st, &warm) == 0 && m.hits == 1,
	       "warm: taken from the store (hits %d)", m.hits);
	UCHECK(same_font(&made, &cold) && same_font(&made, &warm),
	       "from the store: the same font file, maps, widths, texts and metrics");
	/* One more character: another key, a new subset. */
	pdf_mark_used(used, "Q", 1);
	struct tx_pdffont more, more2;
	UCHECK(pdf_font_subset(f, TX_REGULAR, used, &st, &more) == 0 && m.hits == 1 && m.keeps == 2,
	       "another character is another subset (hits %d, keeps %d)", m.hits, m.keeps);
	UCHECK(tx_pdffont_make(f, TX_REGULAR, used, &more2) == 0 && same_font(&more, &more2),
	       "and it is the one HarfBuzz makes");
	/* A record cut to its head: made again. */
	m.zlen[1] = 6;
	struct tx_pdffont cut;
	UCHECK(pdf_font_subset(f, TX_REGULAR, used, &st, &cut) == 0 && same_font(&cut, &more2),
	       "a record cut short: made again, the same font");
	tx_pdffont_release(&made), tx_pdffont_release(&cold), tx_pdffont_release(&warm);
	tx_pdffont_release(&more), tx_pdffont_release(&more2), tx_pdffont_release(&cut);
	mem_free(&m);
	free(used);
	tx_fonts_free(f);
	book_free(b);
}
