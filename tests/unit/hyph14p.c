/* hyph14p.c - the hyphenation answers kept between builds (text/hyphen.c)
 * are gathered from every tx_hyph freed, on any thread: two threads that
 * hyphenate words of their own and free their handles at the same moment
 * give every answer, none lost, none twice (under ASan, a table grown by
 * two threads at once would be a heap error). */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"
#include "text/text.h"
#include "book/book.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORDS 6000 /* a thread's: enough for the table to grow while the other adds */

/* A store that keeps nothing to give and counts the answers of the last
 * record put (tx_hyph_answers_give's, after the patterns'). */
struct tally {
	size_t answers;
	bool whole; /* the last record parsed to its end */
};

static const char *none_get(void *ctx, uint64_t key, size_t *len)
{
	(void)ctx, (void)key, (void)len;
	return NULL;
}

static void tally_put(void *ctx, uint64_t key, const char *data, size_t len)
{
	(void)key;
	struct tally *t = ctx;
	t->answers = 0;
	size_t at = 0;
	uint32_t v[3]; /* the key's length, max, points: hyphen.c's record */
	while (len - at >= sizeof(v)) {
		memcpy(v, data + at, sizeof(v));
		size_t n = sizeof(v) + v[0] + (size_t)v[2] * 4;
		if (n > len - at)
			break;
		at += n;
		t->answers++;
	}
	t->whole = at == len;
}

struct half {
	struct tx_hyph *h;
	const char *stem;
	pthread_barrier_t *both;
};

/* Hyphenates WORDS words of the stem's, then frees the handle once the
 * other thread is ready to free its own. */
static void *hyphenate_then_free(void *arg)
{
	struct half *w = arg;
	char word[64];
	size_t pts[16];
	for (int i = 0; i < WORDS; i++) {
		snprintf(word, sizeof(word), "%s%c%c%c", w->stem, 'a' + i % 26, 'a' + i / 26 % 26,
			 'a' + i / 676);
		tx_hyphenate(w->h, word, strlen(word), pts, 16);
	}
	pthread_barrier_wait(w->both);
	tx_hyph_free(w->h);
	return NULL;
}

UNIT_TEST(hyph_answers_freed_on_two_threads)
{
	struct tally t = {0};
	struct tx_store s = {.get = none_get, .put = tally_put, .ctx = &t, .seed = 1414};
	struct bk_style st;
	memset(&st, 0, sizeof(st));
	/* es-UY: a dictionary no other test loads, read through the store
	 * (so that its answers are kept). */
	tx_hyph_answers_take(&s);
	tx_hyph_preload_stored("es-UY", NULL, &s);
	struct tx_hyph *h = tx_hyph_load("es-UY", &st, NULL);
	pthread_barrier_t both;
	pthread_barrier_init(&both, NULL, 2);
	struct half w[2] = {{tx_hyph_fork(h), "comunicacion", &both},
			    {tx_hyph_fork(h), "organizacion", &both}};
	UCHECK(w[0].h && w[1].h, "two forks of a whole file's patterns");
	pthread_t th[2];
	int started = 0;
	for (int i = 0; i < 2 && w[0].h && w[1].h; i++)
		started += pthread_create(&th[i], NULL, hyphenate_then_free, &w[i]) == 0;
	UCHECK(started == 2, "two threads (%d)", started);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&both);
	tx_hyph_free(h);
	tx_hyph_answers_give(&s);
	UCHECK(t.whole && t.answers == 2 * WORDS,
	       "every answer of both threads given once: %zu of %d", t.answers, 2 * WORDS);
}
