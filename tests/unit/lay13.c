/*
 * lay13.c - the layout's cheaper shaping (src/text/shape.c) gives the
 * words hb_shape gave: a word is the same whatever was shaped before it
 * (but for which of its two codes draws a glyph reached by its number)
 * (plans kept and reused, an acronym's c2sc range on a plan made for
 * another range, a buffer replaced when its operation budget runs low
 * after some 33,000 words); the table two threads share (src/util/jobs.c)
 * keeps the first value stored; and a fork takes its parent's words that
 * depend on nothing shaped before, never one with a glyph reached by its
 * number.
 */
#include "unit/unit.h"

#include "../../src/book/book.h"
#include "../../src/text/text.h"
#include "../../src/util/jobs.h"
#include "../../src/util/util.h"

#include <stdio.h>
#include <string.h>

/* Whether two pieces' texts draw the same glyphs: a glyph reached by
 * its number may be drawn by its first code or its alias (TX_ALIAS_BASE),
 * as the texts kept before decided (src/text/shape.c's keep_text). */
static bool same_glyphs(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t x, y;
		int m = utf8_decode((const unsigned char *)a + i, n - i, &x);
		int k = utf8_decode((const unsigned char *)b + i, n - i, &y);
		if (m <= 0 || m != k)
			return false;
		x = x >= TX_ALIAS_BASE ? x - TX_ALIAS_BASE + TX_GLYPH_BASE : x;
		y = y >= TX_ALIAS_BASE ? y - TX_ALIAS_BASE + TX_GLYPH_BASE : y;
		if (x != y)
			return false;
		i += (size_t)m;
	}
	return true;
}

/* Whether two shaped words are alike, field by field. */
static bool same_word(const struct tx_word *a, const struct tx_word *b)
{
	if (a->width != b->width || a->npieces != b->npieces || a->rtl != b->rtl ||
	    a->dir != b->dir || a->missing != b->missing)
		return false;
	for (size_t i = 0; i < a->npieces; i++)
		if (a->pieces[i].len != b->pieces[i].len || a->pieces[i].x != b->pieces[i].x ||
		    a->pieces[i].face != b->pieces[i].face ||
		    !same_glyphs(a->pieces[i].text, b->pieces[i].text, a->pieces[i].len))
			return false;
	return true;
}

/* The golden book's fonts, with acronyms in small capitals (c2sc). */
static struct tx_fonts *fonts(struct book **b, struct diag *d)
{
	diag_init(d, stderr);
	d->quiet = true;
	*b = book_load("tests/golden/small", ".", d);
	if (!*b)
		return NULL;
	(*b)->style.acronyms = true;
	return tx_fonts_load(&(*b)->style, "en-GB", d);
}

static const char *const words[] = {
	"NHS", "(NHS)", "the", "NCVO-led", "x-NCVO-and-BBC", "office", "Partnership,",
	"AB", "ABCD.", "fi", "«NHS»", "shaping", "NHS’s", "W3C",
};

UNIT_TEST(lay13_word_alone)
{
	struct book *b1, *b2;
	struct diag d1, d2;
	struct tx_fonts *a = fonts(&b1, &d1), *z = fonts(&b2, &d2);
	UCHECK(a && z, "the golden book's fonts load");
	if (!a || !z)
		goto out;
	size_t n = sizeof(words) / sizeof(*words);
	/* z shapes the words in reverse order, each feature set, before
	 * anything else; a after 33,000 other words (a buffer replaced at
	 * least once: each takes 16,384 of HarfBuzz's 2^29 operations). */
	const struct tx_word *zw[sizeof(words) / sizeof(*words)][2];
	for (size_t i = n; i-- > 0;) {
		zw[i][0] = tx_shape(z, TX_REGULAR, words[i], strlen(words[i]));
		zw[i][1] =
		    tx_shape_features(z, TX_ITALIC, words[i], strlen(words[i]), TX_FEAT_SMCP);
	}
	char w[32];
	for (unsigned i = 0; i < 33000; i++) {
		unsigned v = i;
		size_t k = 0;
		do {
			w[k++] = (char)('a' + v % 26);
			v /= 26;
		} while (v && k < sizeof(w) - 1);
		tx_shape(a, i % 3 ? TX_REGULAR : TX_BOLD, w, k);
	}
	int differ = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tx_word *r = tx_shape(a, TX_REGULAR, words[i], strlen(words[i]));
		const struct tx_word *s =
		    tx_shape_features(a, TX_ITALIC, words[i], strlen(words[i]), TX_FEAT_SMCP);
		if (!same_word(r, zw[i][0]) || !same_word(s, zw[i][1])) {
			differ++;
			fprintf(stderr, "lay13: '%s' shaped otherwise after 33,000 words (%d %d)\n",
				words[i], same_word(r, zw[i][0]), same_word(s, zw[i][1]));
		}
	}
	UCHECK(!differ, "%d of %zu words differ with what was shaped before them", differ, n);
	/* The acronym's small capitals were applied: 'NHS' is narrower set
	 * so than 'NH' and 'S' in full capitals side by side. */
	const struct tx_word *nh = tx_shape(a, TX_REGULAR, "NH", 2);
	const struct tx_word *s = tx_shape(a, TX_REGULAR, "S", 1);
	UCHECK(zw[0][0]->width < nh->width + s->width - 100,
	       "'NHS' in small capitals: %.1f against %.1f", zw[0][0]->width, nh->width + s->width);
out:
	tx_fonts_free(a);
	tx_fonts_free(z);
	book_free(b1);
	book_free(b2);
}

UNIT_TEST(lay13_jobs_table)
{
	struct jobs_table *t = jobs_table_new(2);
	int one = 1, two = 2;
	UCHECK(!jobs_table_get(t, 0, "key", 3), "an empty table has nothing");
	UCHECK(jobs_table_put(t, 0, "key", 3, &one) == &one, "the first value is stored");
	UCHECK(jobs_table_put(t, 0, "key", 3, &two) == &one, "a second value is not");
	UCHECK(jobs_table_get(t, 0, "key", 3) == &one && !jobs_table_get(t, 1, "key", 3),
	       "each table apart");
	jobs_table_put(t, 1, "key", 3, &two);
	UCHECK(jobs_table_get(t, 1, "key", 3) == &two, "the second table's own");
	jobs_table_free(t);
	jobs_table_free(NULL);
}

UNIT_TEST(lay13_fork_shares)
{
	struct book *b;
	struct diag d;
	struct tx_fonts *f = fonts(&b, &d);
	UCHECK(f != NULL, "the golden book's fonts load");
	if (!f) {
		book_free(b);
		return;
	}
	struct tx_fonts *k = tx_fonts_fork(f);
	const struct tx_word *p = tx_shape(f, TX_REGULAR, "partnership", 11);
	struct tx_stats st0, st1;
	tx_stats(k, &st0);
	const struct tx_word *q = tx_shape(k, TX_REGULAR, "partnership", 11);
	tx_stats(k, &st1);
	UCHECK(p == q && st1.shaped == st0.shaped, "the fork takes its parent's word, unshaped");
	/* A small capital is reached by its number: what it is drawn by
	 * depends on what was kept before, so each shapes its own. */
	const struct tx_word *sc = tx_shape_features(k, TX_REGULAR, "n", 1, TX_FEAT_SMCP);
	const struct tx_word *sp = tx_shape_features(f, TX_REGULAR, "n", 1, TX_FEAT_SMCP);
	UCHECK(sc != sp && same_word(sc, sp), "a small capital is shaped by each, alike");
	const struct tx_word *r = tx_shape(k, TX_REGULAR, "dialogue", 8);
	UCHECK(tx_fonts_join(f, k), "the fork joins");
	/* Its words live on in the parent's arena. */
	UCHECK(same_word(tx_shape(f, TX_REGULAR, "dialogue", 8), r) && r->width > 0,
	       "the fork's words outlive it, alike the parent's");
	tx_fonts_free(f);
	book_free(b);
}
