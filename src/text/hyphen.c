/*
 * hyphen.c - where words may break: libhyphen's Liang patterns (the
 * Debian hyphen-* dictionaries) plus the style's exception list.
 */
#include "text.h"

#include <ctype.h>
#include <hyphen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#ifndef OCTAVO_HYPHEN_DIR
#define OCTAVO_HYPHEN_DIR "/usr/share/hyphen"
#endif

#define LEFT_MIN 2  /* letters before a break */
#define RIGHT_MIN 3 /* letters after a break */
#define MAX_WORD 64 /* longer "words" are not words: never hyphenated */

/*
 * The patterns, loaded once a process: libhyphen takes about as long to
 * read a language's patterns (some 40 million instructions) as octavo
 * takes to set an essay, so each language's load starts on a thread of
 * its own at the first tx_hyph_load, and 'octavo watch' and the fuzzers
 * never load one twice. The first word to hyphenate waits for it. The
 * dictionaries stay, reachable, until the process ends.
 */
struct patterns {
	char name[64];
	HyphenDict *dict; /* NULL when there is no such file */
	pthread_t th;
	bool loading; /* th is running, or finished and not yet joined */
};

static struct patterns *loaded[8];
static size_t nloaded;
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;

struct tx_hyph {
	struct patterns *pat; /* NULL when the cache is full: no patterns */
	HyphenDict *dict;     /* pat's, once settled */
	const char *const *exceptions;
	size_t nexceptions;
	atomic_bool settled;
	char language[32];
	char name[64];
	struct diag *d;
};

static void *load_patterns(void *arg)
{
	struct patterns *pt = arg;
	pt->dict = hnj_hyphen_load(pt->name);
	return NULL;
}

static struct patterns *patterns_for(const char *name)
{
	pthread_mutex_lock(&loaded_lock);
	struct patterns *pt = NULL;
	for (size_t i = 0; i < nloaded && !pt; i++)
		if (!strcmp(loaded[i]->name, name))
			pt = loaded[i];
	if (!pt && nloaded < ARRAY_LEN(loaded)) {
		pt = xcalloc(1, sizeof(*pt));
		snprintf(pt->name, sizeof(pt->name), "%s", name);
		pt->loading = pthread_create(&pt->th, NULL, load_patterns, pt) == 0;
		if (!pt->loading)
			load_patterns(pt);
		loaded[nloaded++] = pt;
	}
	pthread_mutex_unlock(&loaded_lock);
	return pt;
}

/* The patterns, once loaded. Both threads that set parts may ask at
 * once: the first waits for the load, under the lock; after that the
 * answer is read without it. */
static HyphenDict *settle(struct tx_hyph *h)
{
	if (atomic_load_explicit(&h->settled, memory_order_acquire))
		return h->dict;
	pthread_mutex_lock(&loaded_lock);
	if (!atomic_load_explicit(&h->settled, memory_order_relaxed)) {
		if (h->pat) {
			if (h->pat->loading) {
				pthread_join(h->pat->th, NULL);
				h->pat->loading = false;
			}
			h->dict = h->pat->dict;
		}
		atomic_store_explicit(&h->settled, true, memory_order_release);
	}
	pthread_mutex_unlock(&loaded_lock);
	return h->dict;
}

/* "en-GB" -> hyph_en_GB.dic; "en" alone tries hyph_en_US.dic. */
static void patterns_file(const char *language, char *name, size_t size)
{
	char lang[16] = "";
	snprintf(lang, sizeof(lang), "%s", language ? language : "en");
	for (char *p = lang; *p; p++)
		if (*p == '-')
			*p = '_';
	if (!strchr(lang, '_') && !strcmp(lang, "en"))
		snprintf(lang, sizeof(lang), "en_US");
	snprintf(name, size, "%s/hyph_%s.dic", OCTAVO_HYPHEN_DIR, lang);
}

void tx_hyph_preload(const char *language)
{
	char name[64];
	patterns_file(language, name, sizeof(name));
	patterns_for(name);
}

struct tx_hyph *tx_hyph_load(const char *language, const struct bk_style *st, struct diag *d)
{
	struct tx_hyph *h = xcalloc(1, sizeof(*h));
	h->d = d;
	snprintf(h->language, sizeof(h->language), "%s", language ? language : "");
	h->exceptions = st->hyphenation;
	h->nexceptions = st->nhyphenation;
	patterns_file(language, h->name, sizeof(h->name));
	h->pat = patterns_for(h->name);
	return h;
}

/* A missing dictionary is reported here, on the caller's thread, at the
 * same point of every run. */
void tx_hyph_free(struct tx_hyph *h)
{
	if (!h)
		return;
	if (!settle(h))
		diag_warning(h->d, NULL, 0, 0,
			     "no hyphenation patterns for '%s' (%s): words will break only at "
			     "their own hyphens",
			     h->language, h->name);
	free(h);
}

/* Compares a and an exception e ignoring e's hyphens and case. */
static bool matches_exception(const char *a, size_t n, const char *e)
{
	size_t i = 0;
	for (; *e; e++) {
		if (*e == '-')
			continue;
		if (i >= n || tolower((unsigned char)a[i]) != tolower((unsigned char)*e))
			return false;
		i++;
	}
	return i == n;
}

size_t tx_hyphenate(struct tx_hyph *h, const char *word, size_t len, size_t *pts, size_t max)
{
	HyphenDict *dict = settle(h);
	/* Peel punctuation off both ends: "(partnership)," -> partnership. */
	size_t a = 0, b = len;
	while (a < b && !isalpha((unsigned char)word[a]) && !((unsigned char)word[a] & 0x80))
		a++;
	while (b > a && !isalpha((unsigned char)word[b - 1]) && !((unsigned char)word[b - 1] & 0x80))
		b--;
	size_t n = b - a;
	const char *w = word + a;
	if (n < LEFT_MIN + RIGHT_MIN || n > MAX_WORD)
		return 0;
	/* The style's exceptions win over the patterns, for any word. */
	for (size_t i = 0; i < h->nexceptions; i++) {
		const char *e = h->exceptions[i];
		if (strchr(e, ' ') || !matches_exception(w, n, e))
			continue;
		size_t k = 0, at = 0;
		for (const char *p = e; *p; p++) {
			if (*p == '-') {
				if (k < max)
					pts[k++] = a + at;
			} else {
				at++;
			}
		}
		return k;
	}
	if (!dict || isupper((unsigned char)w[0]))
		return 0;
	/* Only plain lower-case words: no digits (numbers, dates), no '@',
	 * '/', '.', ':' inside (addresses, URLs), no hyphens (compounds break
	 * at their own), and ASCII letters so that byte offsets are letters. */
	char lower[MAX_WORD + 1];
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (!isalpha(c) || c >= 0x80)
			return 0;
		lower[i] = (char)tolower(c);
	}
	lower[n] = '\0';
	char hy[MAX_WORD + 5];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	if (hnj_hyphen_hyphenate2(dict, lower, (int)n, hy, NULL, &rep, &pos, &cut) != 0)
		return 0;
	size_t k = 0;
	/* hy[i] odd: a break is allowed after letter i. */
	for (size_t i = LEFT_MIN - 1; i + RIGHT_MIN < n && k < max; i++)
		if ((hy[i] & 1) && !(rep && rep[i]))
			pts[k++] = a + i + 1;
	if (rep) {
		for (size_t i = 0; i < n; i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
	return k;
}
