/*
 * hyphen.c - where words may break: libhyphen's Liang patterns (the
 * Debian hyphen-* dictionaries) plus the style's exception list.
 */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include "text.h"

#include <ctype.h>
#include <stdio.h>
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
/* A set of words (or strings), for the patterns of a small book. */
struct wordset {
	struct arena arena;
	struct wkey {
		uint64_t hash;
		const char *s; /* NULL: empty slot */
		size_t n;
	} *v;
	size_t cap, used;
};

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static bool ws_has(const struct wordset *ws, const char *s, size_t n)
{
	if (!ws->cap)
		return false;
	uint64_t h = hash_str(s, n);
	for (size_t i = h & (ws->cap - 1); ws->v[i].s; i = (i + 1) & (ws->cap - 1))
		if (ws->v[i].hash == h && ws->v[i].n == n && !memcmp(ws->v[i].s, s, n))
			return true;
	return false;
}

static void ws_add(struct wordset *ws, const char *s, size_t n)
{
	if ((ws->used + 1) * 2 > ws->cap) {
		size_t ncap = ws->cap ? ws->cap * 2 : 1024;
		struct wkey *nv = xcalloc(ncap, sizeof(*nv));
		for (size_t i = 0; i < ws->cap; i++) {
			if (!ws->v[i].s)
				continue;
			size_t j = ws->v[i].hash & (ncap - 1);
			while (nv[j].s)
				j = (j + 1) & (ncap - 1);
			nv[j] = ws->v[i];
		}
		free(ws->v);
		ws->v = nv;
		ws->cap = ncap;
	}
	uint64_t h = hash_str(s, n);
	size_t i = h & (ws->cap - 1);
	for (; ws->v[i].s; i = (i + 1) & (ws->cap - 1))
		if (ws->v[i].hash == h && ws->v[i].n == n && !memcmp(ws->v[i].s, s, n))
			return;
	ws->v[i] = (struct wkey){h, ar_strndup(&ws->arena, s, n), n};
	ws->used++;
}

static void ws_free(struct wordset *ws)
{
	if (!ws)
		return;
	free(ws->v);
	ar_release(&ws->arena);
	free(ws);
}

struct patterns {
	char name[64];
	HyphenDict *dict; /* NULL when there is no such file */
	pthread_t th;
	bool loading; /* th is running, or finished and not yet joined */
	/* For a small book's patterns: the words they were chosen for (a
	 * word outside them is hyphenated with the whole file's). NULL for
	 * the whole file. */
	struct wordset *words;
};

static struct patterns *loaded[8];
static size_t nloaded;
static struct patterns *small; /* the latest small book's, or NULL */
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;

struct tx_hyph {
	struct patterns *pat; /* NULL when the cache is full: no patterns */
	HyphenDict *dict;     /* pat's, once settled */
	struct patterns *full; /* the whole file's, once a word needed them */
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

/* The whole file's patterns for name, loading them (loaded_lock held). */
static struct patterns *patterns_locked(const char *name)
{
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
	return pt;
}

static struct patterns *patterns_for(const char *name)
{
	pthread_mutex_lock(&loaded_lock);
	struct patterns *pt = patterns_locked(name);
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

/* ===== a small book's patterns ========================================= */

/*
 * A single essay uses about a tenth of a language's patterns: those whose
 * letters occur in one of its words (with the dots that mark a word's
 * ends). libhyphen loads only those, from the file filtered in memory, in
 * a tenth of the time; they hyphenate the book's words exactly as the
 * whole file does, since a pattern acts only where its letters occur. A
 * word that was not among them (octavo's own words, say) is hyphenated
 * with the whole file, loaded then.
 */
struct tx_words {
	struct wordset *ws;
	size_t bytes;
};

struct tx_words *tx_words_new(void)
{
	struct tx_words *w = xcalloc(1, sizeof(*w));
	w->ws = xcalloc(1, sizeof(*w->ws));
	ar_init(&w->ws->arena);
	return w;
}

size_t tx_words_bytes(const struct tx_words *w)
{
	return w->bytes;
}

/* Where word's letters start and how many there are, punctuation peeled
 * off both ends: "(partnership)," -> partnership. */
static size_t peel(const char *word, size_t len, size_t *off)
{
	size_t a = 0, b = len;
	while (a < b && !isalpha((unsigned char)word[a]) && !((unsigned char)word[a] & 0x80))
		a++;
	while (b > a && !isalpha((unsigned char)word[b - 1]) && !((unsigned char)word[b - 1] & 0x80))
		b--;
	*off = a;
	return b - a;
}

/* The form of word (len bytes) libhyphen is asked about, in out (room for
 * MAX_WORD + 1), as tx_hyphenate makes it; 0 for a word it never asks
 * about. *off is where it starts in word. */
static size_t hyph_form(const char *word, size_t len, char *out, size_t *off)
{
	size_t n = peel(word, len, off), a = *off;
	if (n < LEFT_MIN + RIGHT_MIN || n > MAX_WORD || isupper((unsigned char)word[a]))
		return 0;
	/* Only plain lower-case words: no digits (numbers, dates), no '@',
	 * '/', '.', ':' inside (addresses, URLs), no hyphens (compounds break
	 * at their own), and ASCII letters so that byte offsets are letters. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)word[a + i];
		if (!isalpha(c) || c >= 0x80)
			return 0;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return n;
}

void tx_words_add(struct tx_words *w, const char *text, size_t len)
{
	w->bytes += len;
	for (size_t i = 0; i < len;) {
		while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
			i++;
		size_t j = i;
		while (j < len && text[j] != ' ' && text[j] != '\n' && text[j] != '\t')
			j++;
		char form[MAX_WORD + 1];
		size_t off, n = hyph_form(text + i, j - i, form, &off);
		if (n)
			ws_add(w->ws, form, n);
		i = j;
	}
}

void tx_words_free(struct tx_words *w)
{
	if (!w)
		return;
	ws_free(w->ws);
	free(w);
}

/* The dictionary file with only the patterns whose letters occur in
 * pt->words, then loaded. */
static void *load_small(void *arg)
{
	struct patterns *pt = arg;
	size_t len = 0;
	char *file = read_file(pt->name, &len);
	if (!file)
		return NULL;
	/* Every piece of ".word." up to the longest pattern (which the
	 * file's lines bound). */
	size_t longest = 0;
	for (size_t i = 0, k = 0; i <= len; i++, k++)
		if (i == len || file[i] == '\n') {
			if (k > longest)
				longest = k;
			k = (size_t)-1;
		}
	struct wordset pieces = {0};
	ar_init(&pieces.arena);
	char dotted[MAX_WORD + 3];
	for (size_t i = 0; i < pt->words->cap; i++) {
		const struct wkey *k = &pt->words->v[i];
		if (!k->s)
			continue;
		size_t n = k->n + 2;
		dotted[0] = '.';
		memcpy(dotted + 1, k->s, k->n);
		dotted[n - 1] = '.';
		for (size_t a = 0; a < n; a++)
			for (size_t b = a + 1; b <= n && b - a <= longest; b++)
				ws_add(&pieces, dotted + a, b - a);
	}
	struct strbuf out = STRBUF_INIT;
	char letters[256];
	for (size_t i = 0, line = 0; i < len; line++) {
		size_t j = i;
		while (j < len && file[j] != '\n')
			j++;
		bool keep = line == 0; /* the character set */
		size_t n = 0;
		for (size_t k = i; k < j && !keep; k++) {
			unsigned char c = (unsigned char)file[k];
			if (c >= 'A' && c <= 'Z')
				keep = true; /* LEFTHYPHENMIN and the like */
			else if (c == '/')
				break; /* a non-standard pattern's replacement */
			else if (!(c >= '0' && c <= '9') && n < sizeof(letters))
				letters[n++] = (char)c;
		}
		if (keep || (n && n < sizeof(letters) && ws_has(&pieces, letters, n))) {
			sb_add(&out, file + i, j - i);
			sb_addc(&out, '\n');
		}
		i = j + 1;
	}
	free(pieces.v);
	ar_release(&pieces.arena);
	free(file);
	FILE *f = fmemopen(out.buf, out.len, "r");
	if (f) {
		pt->dict = hnj_hyphen_load_file(f);
		fclose(f);
	}
	sb_release(&out);
	return NULL;
}

/* Waits for a patterns entry's load (under loaded_lock). */
static void join_patterns(struct patterns *pt)
{
	if (pt && pt->loading) {
		pthread_join(pt->th, NULL);
		pt->loading = false;
	}
}

static void patterns_free(struct patterns *pt)
{
	if (!pt)
		return;
	join_patterns(pt);
	if (pt->dict)
		hnj_hyphen_free(pt->dict);
	ws_free(pt->words);
	free(pt);
}

void tx_hyph_preload_words(const char *language, struct tx_words *w)
{
	char name[64];
	patterns_file(language, name, sizeof(name));
	pthread_mutex_lock(&loaded_lock);
	bool have = false;
	for (size_t i = 0; i < nloaded; i++)
		have |= !strcmp(loaded[i]->name, name);
	if (have) { /* the whole file is loaded or loading already */
		pthread_mutex_unlock(&loaded_lock);
		tx_words_free(w);
		return;
	}
	patterns_free(small);
	small = xcalloc(1, sizeof(*small));
	snprintf(small->name, sizeof(small->name), "%s", name);
	small->words = w->ws;
	free(w);
	small->loading = pthread_create(&small->th, NULL, load_small, small) == 0;
	if (!small->loading)
		load_small(small);
	pthread_mutex_unlock(&loaded_lock);
}

struct tx_hyph *tx_hyph_load(const char *language, const struct bk_style *st, struct diag *d)
{
	struct tx_hyph *h = xcalloc(1, sizeof(*h));
	h->d = d;
	snprintf(h->language, sizeof(h->language), "%s", language ? language : "");
	h->exceptions = st->hyphenation;
	h->nexceptions = st->nhyphenation;
	patterns_file(language, h->name, sizeof(h->name));
	/* The whole file when it is loaded or loading; else a small book's
	 * patterns for this language; else the whole file, loaded now. */
	pthread_mutex_lock(&loaded_lock);
	struct patterns *pt = NULL;
	for (size_t i = 0; i < nloaded && !pt; i++)
		if (!strcmp(loaded[i]->name, h->name))
			pt = loaded[i];
	if (!pt && small && !strcmp(small->name, h->name))
		pt = small;
	if (!pt)
		pt = patterns_locked(h->name);
	pthread_mutex_unlock(&loaded_lock);
	h->pat = pt;
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

/* The whole file's patterns, for a word a small book's do not cover. */
static HyphenDict *whole_file(struct tx_hyph *h)
{
	pthread_mutex_lock(&loaded_lock);
	if (!h->full)
		h->full = patterns_locked(h->name);
	join_patterns(h->full);
	HyphenDict *dict = h->full ? h->full->dict : NULL;
	pthread_mutex_unlock(&loaded_lock);
	return dict;
}

size_t tx_hyphenate(struct tx_hyph *h, const char *word, size_t len, size_t *pts, size_t max)
{
	size_t a, n = peel(word, len, &a);
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
	char lower[MAX_WORD + 1];
	size_t off;
	if (!hyph_form(word, len, lower, &off))
		return 0;
	HyphenDict *dict = settle(h);
	if (h->pat && h->pat->words && !ws_has(h->pat->words, lower, n))
		dict = whole_file(h);
	if (!dict)
		return 0;
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
