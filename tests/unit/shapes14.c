/*
 * shapes14.c - the words a build shaped, kept for the next
 * (tx_shapes_take, tx_shapes_give): a word taken from the store is the
 * word shaping would give, pieces, widths and the glyph texts kept for
 * ToUnicode alike; a word whose glyph's text comes out otherwise now is
 * shaped afresh; a store of other fonts or seed is not taken.
 */
#include "unit.h"

#include "../src/book/book.h"
#include "../src/text/text.h"

#include <stdlib.h>
#include <string.h>

/* One record in memory, as the records store keeps it for a key. */
struct mem {
	uint64_t key;
	char *data;
	size_t len;
	int gets, puts;
};

static const char *mem_get(void *ctx, uint64_t key, size_t *len)
{
	struct mem *m = ctx;
	m->gets++;
	if (!m->data || key != m->key)
		return NULL;
	*len = m->len;
	return m->data;
}

static void mem_put(void *ctx, uint64_t key, const char *data, size_t len)
{
	struct mem *m = ctx;
	m->puts++;
	free(m->data);
	m->data = malloc(len ? len : 1);
	memcpy(m->data, data, len);
	m->len = len;
	m->key = key;
}

static const char *const words[] = {"office", "Civil", "affine", "NATO", "AVA", "1,800"};

/* Shapes words (and "Civil" in small capitals) in f, in order. */
static void shape_all(struct tx_fonts *f, const struct tx_word **out)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		out[i] = tx_shape(f, TX_REGULAR, words[i], strlen(words[i]));
	out[6] = tx_shape_features(f, TX_REGULAR, "Civil", 5, TX_FEAT_SMCP);
}

UNIT_TEST(shapes14_store)
{
	struct diag d;
	diag_init(&d, stderr);
	struct book *b = book_load("tests/golden/small", ".", &d);
	UCHECK(b != NULL, "book for the shapes store");
	if (!b)
		return;
	struct mem m = {0};
	struct tx_store s = {.get = mem_get, .put = mem_put, .ctx = &m, .seed = 14};
	const struct tx_word *cold[7], *warm[7];
	struct tx_fonts *f = tx_fonts_load(&b->style, "en-GB", &d);
	struct tx_fonts *g = tx_fonts_load(&b->style, "en-GB", &d);
	UCHECK(f && g, "fonts load");
	if (f && g) {
		tx_shapes_take(f, &s);
		shape_all(f, cold);
		tx_shapes_give(f, &s);
		UCHECK(m.puts == 1 && m.len > 0, "the words shaped are given (%d puts)", m.puts);
		tx_shapes_take(g, &s);
		shape_all(g, warm);
		bool same = true;
		for (int i = 0; i < 7; i++)
			same &= unit_same_word(cold[i], warm[i]);
		UCHECK(same, "the words taken are the words shaped");
		const char *t1 = tx_glyph_text(f, TX_REGULAR, 0),
			   *t2 = tx_glyph_text(g, TX_REGULAR, 0);
		UCHECK((!t1 && !t2) || (t1 && t2 && !strcmp(t1, t2)), "glyph 0's text alike");
		for (unsigned gid = 1; gid < 2000; gid++) {
			t1 = tx_glyph_text(f, TX_REGULAR, gid);
			t2 = tx_glyph_text(g, TX_REGULAR, gid);
			if ((t1 == NULL) != (t2 == NULL) || (t1 && strcmp(t1, t2))) {
				UCHECK(false, "glyph %u's text kept alike ('%s', '%s')", gid,
				       t1 ? t1 : "-", t2 ? t2 : "-");
				break;
			}
		}
		tx_shapes_give(g, &s);
		UCHECK(m.puts == 1, "nothing shaped afresh: nothing given (%d puts)", m.puts);
	}
	tx_fonts_free(g);
	/* Another seed (another octavo): not taken, shaped and given. */
	g = f ? tx_fonts_load(&b->style, "en-GB", &d) : NULL;
	if (g) {
		int gets = m.gets;
		s.seed = 15;
		tx_shapes_take(g, &s);
		shape_all(g, warm);
		tx_shapes_give(g, &s);
		UCHECK(m.gets == gets + 1 && m.puts == 2, "another seed's key: shaped afresh");
		tx_fonts_free(g);
	}
	/* Bytes that are not words: none taken, the same words shaped. */
	g = f ? tx_fonts_load(&b->style, "en-GB", &d) : NULL;
	if (g) {
		m.data = realloc(m.data, m.len + 3);
		memcpy(m.data + m.len, "\xff\xff\xff", 3);
		m.len += 3;
		tx_shapes_take(g, &s);
		shape_all(g, warm);
		bool same = true;
		for (int i = 0; i < 7; i++)
			same &= unit_same_word(cold[i], warm[i]);
		UCHECK(same, "a store that does not parse: the words shaped afresh");
		tx_fonts_free(g);
	}
	tx_fonts_free(f);
	free(m.data);
	book_free(b);
}
