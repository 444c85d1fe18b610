/*
 * hyphen.c - where words may break: libhyphen's Liang patterns (the
 * Debian hyphen-* dictionaries) plus the style's exception list.
 */
#define _DEFAULT_SOURCE /* fmemopen, realpath */
#include "text-int.h"
#include "../util/cache.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

#ifndef OCTAVO_HYPHEN_DIR
#define OCTAVO_HYPHEN_DIR "/usr/share/hyphen"
#endif

#define LEFT_MIN 2  /* letters before a break */
#define RIGHT_MIN 3 /* letters after a break */
#define MAX_WORD 64 /* letters: longer "words" are not words, never hyphenated */
#define PATH_BYTES 512
#define FORM_BYTES (4 * MAX_WORD + 1) /* a word's form in UTF-8, its NUL */

/*
 * The patterns, loaded once a process: libhyphen takes about as long to
 * read a language's patterns (some 40 million instructions) as octavo
 * takes to set an essay, so 'octavo watch' and the fuzzers never load one
 * twice. The dictionaries stay, reachable, until the process ends.
 *
 * The process-wide state below (the dictionaries loaded, a small book's
 * patterns, the answers kept between builds) is behind one lock, so that
 * any thread may load, look up or free: build.c loads the patterns on a
 * second thread beside the Markdown, parallel.c sets and frees on two.
 * A load holds the lock while libhyphen reads (a thread wanting another
 * dictionary waits: loads are once a process). tx_hyphenate takes no
 * lock: a tx_hyph is one thread's (tx_hyph_fork for another), and the
 * answers it looks up are only read while a layout runs.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* A set of words (or strings), for the patterns of a small book: util's
 * hash table over copies of the words in the arena. */
struct wordset {
	struct arena arena;
	struct hmap map; /* each word to itself */
};

static bool ws_has(const struct wordset *ws, const char *s, size_t n)
{
	return hmap_get(&ws->map, s, n) != NULL;
}

static void ws_add(struct wordset *ws, const char *s, size_t n)
{
	if (ws_has(ws, s, n))
		return;
	char *k = ar_strndup(&ws->arena, s, n);
	hmap_put(&ws->map, k, n, k);
}

static void ws_free(struct wordset *ws)
{
	if (!ws)
		return;
	hmap_release(&ws->map);
	ar_release(&ws->arena);
	free(ws);
}

/*
 * A dictionary's character set (its file's first line): UTF-8, or one
 * byte a letter, whose upper half high[] gives in Unicode (0: none), as
 * iconv reads it. Words go to libhyphen in it.
 */
struct charset {
	bool utf8;
	uint32_t high[128];
};

static void charset_init(struct charset *cs, const char *name)
{
	memset(cs, 0, sizeof(*cs));
	cs->utf8 = !strncmp(name, "UTF-8", 5) || !strncmp(name, "utf-8", 5);
	if (cs->utf8)
		return;
	char set[32];
	size_t n = 0;
	while (n + 1 < sizeof(set) && name[n] && name[n] != '\n' && name[n] != '\r' &&
	       name[n] != ' ')
		n++;
	memcpy(set, name, n);
	set[n] = '\0';
	iconv_t cd = iconv_open("UTF-32LE", set);
	if (cd == (iconv_t)-1)
		return; /* no letter beyond ASCII: such words are not hyphenated */
	for (int b = 0x80; b < 0x100; b++) {
		char in = (char)b, *ip = &in;
		unsigned char u[4] = {0};
		char *op = (char *)u;
		size_t il = 1, ol = sizeof(u);
		iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0)
			cs->high[b - 0x80] = (uint32_t)u[0] | (uint32_t)u[1] << 8 |
					     (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
	}
	iconv_close(cd);
}

static bool to_charset(const struct charset *cs, const char *s, size_t n, char *out,
		       size_t *len);

struct patterns {
	char name[PATH_BYTES];
	struct charset cs; /* the dictionary's */
	HyphenDict *dict; /* NULL when there is no such file */
	/* For a small book's patterns: the words they were chosen for (a
	 * word outside them is hyphenated with the whole file's). NULL for
	 * the whole file. */
	struct wordset *words;
	bool undumped; /* dict is tx_dict_undump's (a store's bytes) */
	uint64_t key;  /* the file's (file_key) when read through a store, else 0 */
};

/* Every dictionary loaded whole, as many as the books of the process use
 * (a book of ten languages keeps ten). */
static struct patterns **loaded;
static size_t nloaded, loaded_cap;
static struct patterns *small; /* the latest small book's, or NULL */

struct tx_hyph {
	struct patterns *pat; /* never NULL (pat->dict is when there is no file) */
	struct patterns *own; /* tx_hyph_load_alone's, freed with the tx_hyph */
	bool capitals;        /* whether capitalised words are hyphenated */
	struct patterns *full; /* the whole file's, once a word needed them */
	const char *const *exceptions;
	size_t nexceptions;
	char language[32];
	char name[PATH_BYTES];
	struct diag *d;
	/* Each word's answer, kept: a book says its words many times, and
	 * asking libhyphen again was a fifteenth of the edition's layout.
	 * Keys and answers (struct memo) in memo_arena. */
	struct hmap memo;
	struct arena memo_arena;
	/* Its answers' group among those kept between builds (answers_key:
	 * its file, exceptions and capitals); 0 when none are kept. */
	uint64_t answers;
};

/* One word's break points, as tx_hyphenate found them with room for max. */
struct memo {
	size_t max, k;
	size_t pts[];
};

struct pick;
static bool pick_line(struct pick *pk, const char *key, size_t k, int level);

/* A pattern line's letters, as libhyphen reads them (up to a space or a
 * '/', without the digits), in key (256 bytes); how many, 256 when there
 * are more. */
static size_t line_key(const char *a, size_t n, char *key)
{
	size_t k = 0;
	for (size_t i = 0; i < n && (unsigned char)a[i] > ' ' && a[i] != '/'; i++)
		if (!(a[i] >= '0' && a[i] <= '9') && k < 256)
			key[k++] = a[i];
	return k;
}


/*
 * The lines of a dictionary file (len bytes) libhyphen is given, in out:
 * those pick_line chooses for a small book's words (every line when pk is
 * NULL), and of the pattern lines with the same letters in one
 * level (before or after NEXTLEVEL) only the last. libhyphen keeps the
 * last such line's values too, but loses the string of each earlier one
 * (German's and French's files repeat some, and their comment lines):
 * the same automaton, without the leak.
 */
static void prepare(const char *file, size_t len, struct pick *pk, struct strbuf *out)
{
	size_t nlines = 0, cap = 1024;
	size_t *start = xcalloc(cap, sizeof(*start));
	for (size_t i = 0; i < len;) {
		if (nlines + 1 >= cap) {
			cap *= 2;
			start = xrealloc(start, cap * sizeof(*start));
		}
		start[nlines++] = i;
		const char *nl = memchr(file + i, '\n', len - i);
		i = nl ? (size_t)(nl - file) + 1 : len;
	}
	start[nlines] = len;
	bool *keep = xcalloc(nlines + 1, sizeof(*keep));
	int *level = xcalloc(nlines + 1, sizeof(*level));
	char key[256];
	for (size_t l = 1, lv = 0; l < nlines; l++) {
		const char *a = file + start[l];
		size_t n = start[l + 1] - start[l];
		level[l] = (int)lv;
		if (n >= 9 && !memcmp(a, "NEXTLEVEL", 9))
			lv = 1, keep[l] = true;
		else if (*a >= 'A' && *a <= 'Z')
			keep[l] = true; /* LEFTHYPHENMIN and the like */
		else if (*a == '%')
			keep[l] = false; /* a comment */
		else {
			size_t k = line_key(a, n, key);
			keep[l] = k < sizeof(key) && (!pk || (k && pick_line(pk, key, k, level[l])));
		}
	}
	keep[0] = nlines > 0; /* the character set */
	/* Of the lines with the same letters, the last: a table of line
	 * numbers (plus one) by the hash of their level and letters, the
	 * letters compared when two hashes agree. */
	struct hmap seen = HMAP_INIT;
	hmap_reserve(&seen, nlines);
	char other[256];
	for (size_t l = nlines; l-- > 1;) {
		const char *a = file + start[l];
		size_t n = start[l + 1] - start[l];
		if (!keep[l] || (*a >= 'A' && *a <= 'Z'))
			continue;
		size_t k = line_key(a, n, key);
		uint64_t h = hash_fnv1a_from(hash_fnv1a_byte(HASH_FNV1A_BASIS, (unsigned char)level[l]),
					     key, k);
		void *v = hmap_get_hash(&seen, h);
		if (!v) {
			hmap_put_hash(&seen, h, (void *)(uintptr_t)(l + 1));
			continue;
		}
		/* Two lines' hashes agree: the same letters, or (all but never)
		 * other letters, which must stay. */
		size_t m = (size_t)(uintptr_t)v - 1;
		keep[l] = !(level[m] == level[l] &&
			    line_key(file + start[m], start[m + 1] - start[m], other) == k &&
			    !memcmp(other, key, k));
	}
	hmap_release(&seen);
	for (size_t l = 0; l < nlines; l++)
		if (keep[l]) {
			sb_add(out, file + start[l], start[l + 1] - start[l]);
			if (file[start[l + 1] - 1] != '\n')
				sb_addc(out, '\n');
		}
	free(keep);
	free(level);
	free(start);
}

/* The dictionary in text (its lines as prepare chose them), loaded. */
static HyphenDict *load_text(const struct strbuf *text)
{
	HyphenDict *dict = NULL;
	FILE *f = text->len ? fmemopen(text->buf, text->len, "r") : NULL;
	if (f) {
		dict = hnj_hyphen_load_file(f);
		fclose(f);
	}
	return dict;
}

/* The whole dictionary file (len bytes) into pt. */
static void whole_from(struct patterns *pt, const char *file, size_t len)
{
	charset_init(&pt->cs, file);
	struct strbuf text = STRBUF_INIT;
	prepare(file, len, NULL, &text);
	pt->dict = load_text(&text);
	sb_release(&text);
}

static void whole_cached(struct patterns *pt, const char *file, size_t len);

/* The whole dictionary file named in pt into pt, through the user's
 * cache (tx_hyph_cache); nothing when there is no such file. */
static void load_patterns(struct patterns *pt)
{
	size_t len = 0;
	char *file = read_file(pt->name, &len);
	if (!file)
		return;
	whole_cached(pt, file, len);
	free(file);
}

/* The whole file's patterns for name when they are loaded, else NULL.
 * With the lock held. */
static struct patterns *find_loaded(const char *name)
{
	for (size_t i = 0; i < nloaded; i++)
		if (!strcmp(loaded[i]->name, name))
			return loaded[i];
	return NULL;
}

/* Keeps pt, whole, for the process. With the lock held. */
static void add_loaded(struct patterns *pt)
{
	GROW(loaded, loaded_cap, nloaded + 1);
	loaded[nloaded++] = pt;
}

/* The whole file's patterns for name, loading them the first time. Never
 * NULL; the cache owns them. Any thread. */
static struct patterns *patterns_for(const char *name)
{
	pthread_mutex_lock(&lock);
	struct patterns *pt = find_loaded(name);
	if (!pt) {
		pt = xcalloc(1, sizeof(*pt));
		snprintf(pt->name, sizeof(pt->name), "%s", name);
		load_patterns(pt);
		add_loaded(pt);
	}
	pthread_mutex_unlock(&lock);
	return pt;
}

/* ===== which dictionary ================================================ */

/* A BCP 47 tag's parts that choose a dictionary: "de-CH" -> de, CH;
 * "sr-Latn-RS" -> sr, Latn, RS; variants and extensions are ignored. */
struct tag {
	char lang[9], script[5], region[4];
};

static void tag_parse(const char *language, struct tag *t)
{
	memset(t, 0, sizeof(*t));
	const char *p = language && *language ? language : "en";
	for (int part = 0; *p; part++) {
		size_t n = strcspn(p, "-_");
		bool alpha = true, digit = true;
		for (size_t i = 0; i < n; i++) {
			alpha &= isalpha((unsigned char)p[i]) != 0;
			digit &= isdigit((unsigned char)p[i]) != 0;
		}
		char *to = NULL;
		if (part == 0 && alpha && n >= 2 && n < sizeof(t->lang))
			to = t->lang;
		else if (part > 0 && !t->script[0] && !t->region[0] && alpha && n == 4)
			to = t->script;
		else if (part > 0 && !t->region[0] && ((alpha && n == 2) || (digit && n == 3)))
			to = t->region;
		else if (part > 0)
			break; /* a variant: the rest is not ours */
		for (size_t i = 0; to && i < n; i++)
			to[i] = (char)(to == t->region || (to == t->script && i == 0)
					   ? toupper((unsigned char)p[i])
					   : tolower((unsigned char)p[i]));
		p += n;
		if (*p)
			p++;
	}
	if (!strcmp(t->lang, "no")) /* Norwegian: Debian's files are Bokmål's */
		snprintf(t->lang, sizeof(t->lang), "nb");
}

static bool exists(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

/*
 * The dictionary for language, by its tag and then its fallbacks, in name
 * (a path; the first one tried when none exists). Returns whether it
 * exists. "de-CH" -> hyph_de_CH.dic, hyph_de.dic, hyph_de_DE.dic, then any
 * hyph_de_*.dic; "es" -> hyph_es.dic, hyph_es_ES.dic, ... English and
 * Portuguese have a package per region with patterns of their own: "en-US"
 * and "en" read the American ones, any other "en-XX" the British; "pt-BR"
 * the Brazilian, any other "pt" the European; these fall back only from a
 * bare "en" or "pt".
 */
static bool patterns_file(const char *language, char *name, size_t size)
{
	struct tag t;
	tag_parse(language, &t);
	char cand[8][32];
	size_t n = 0;
	if (t.script[0] && t.region[0])
		snprintf(cand[n++], sizeof(cand[0]), "%s_%s_%s", t.lang, t.script, t.region);
	if (t.region[0])
		snprintf(cand[n++], sizeof(cand[0]), "%s_%s", t.lang, t.region);
	bool split = !strcmp(t.lang, "en") || !strcmp(t.lang, "pt");
	if (split) {
		/* en: US is the bare tag's; pt: PT is. */
		const char *bare = !strcmp(t.lang, "en") ? "US" : "PT";
		const char *second = !strcmp(t.lang, "en") ? "GB" : "BR";
		const char *alone = !strcmp(t.lang, "en") ? "US" : "BR"; /* its own package */
		if (!t.region[0]) {
			snprintf(cand[n++], sizeof(cand[0]), "%s_%s", t.lang, bare);
			snprintf(cand[n++], sizeof(cand[0]), "%s_%s", t.lang, second);
		} else if (strcmp(t.region, alone)) {
			snprintf(cand[n++], sizeof(cand[0]), "%s_%s", t.lang,
				 strcmp(alone, "US") ? "PT" : "GB");
		}
	} else {
		if (t.script[0])
			snprintf(cand[n++], sizeof(cand[0]), "%s_%s", t.lang, t.script);
		snprintf(cand[n++], sizeof(cand[0]), "%s", t.lang);
		char up[sizeof(t.lang)];
		for (size_t i = 0; i < sizeof(up); i++)
			up[i] = (char)toupper((unsigned char)t.lang[i]);
		snprintf(cand[n++], sizeof(cand[0]), "%s_%s", t.lang, up);
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(name, size, "%s/hyph_%s.dic", OCTAVO_HYPHEN_DIR, cand[i]);
		if (exists(name))
			return true;
	}
	if (!split) { /* any region's: the first by name, every run the same */
		char best[256] = "", prefix[32];
		snprintf(prefix, sizeof(prefix), "hyph_%s_", t.lang);
		DIR *dir = opendir(OCTAVO_HYPHEN_DIR);
		for (struct dirent *e; dir && (e = readdir(dir));) {
			size_t l = strlen(e->d_name);
			if (!strncmp(e->d_name, prefix, strlen(prefix)) && l > 4 &&
			    !strcmp(e->d_name + l - 4, ".dic") && l < sizeof(best) &&
			    (!best[0] || strcmp(e->d_name, best) < 0))
				snprintf(best, sizeof(best), "%s", e->d_name);
		}
		if (dir)
			closedir(dir);
		if (best[0]) {
			snprintf(name, size, "%s/%s", OCTAVO_HYPHEN_DIR, best);
			return true;
		}
	}
	snprintf(name, size, "%s/hyph_%s.dic", OCTAVO_HYPHEN_DIR, cand[0]);
	return false;
}

/* The Debian package with language's patterns, in pkg; false when Debian
 * has none. */
static bool patterns_package(const char *language, char *pkg, size_t size)
{
	static const char *const debian[] = {
	    "af", "as", "be", "bg", "bn", "ca", "cs", "da", "de", "el", "es", "fr", "gl", "gu",
	    "hi", "hr", "hu", "id", "is", "it", "kn", "lt", "lv", "ml", "mn", "mr", "nl", "or",
	    "pa", "pl", "ro", "ru", "sk", "sl", "sr", "sv", "ta", "te", "th", "uk", "zu",
	};
	struct tag t;
	tag_parse(language, &t);
	if (!strcmp(t.lang, "en")) {
		snprintf(pkg, size, "hyphen-en-%s",
			 !t.region[0] || !strcmp(t.region, "US") ? "us" : "gb");
		return true;
	}
	if (!strcmp(t.lang, "pt")) {
		snprintf(pkg, size, "hyphen-pt-%s", !strcmp(t.region, "BR") ? "br" : "pt");
		return true;
	}
	if (!strcmp(t.lang, "nb") || !strcmp(t.lang, "nn")) {
		snprintf(pkg, size, "hyphen-no");
		return true;
	}
	for (size_t i = 0; i < ARRAY_LEN(debian); i++)
		if (!strcmp(t.lang, debian[i])) {
			snprintf(pkg, size, "hyphen-%s", t.lang);
			return true;
		}
	return false;
}

/* Whether the language capitalises its nouns, so that a capital says
 * nothing about a name: German and its kin, whose capitalised words are
 * hyphenated even when the style's 'hyphenate-capitalised' is false. */
static bool capitalises_nouns(const char *language)
{
	struct tag t;
	tag_parse(language, &t);
	return !strcmp(t.lang, "de") || !strcmp(t.lang, "lb") || !strcmp(t.lang, "gsw") ||
	       !strcmp(t.lang, "nds");
}

/* Whether the language's writing breaks lines without hyphens: Chinese,
 * Japanese and Korean (between characters or at spaces, by UAX #14),
 * Arabic's and Hebrew's scripts (whose words are not divided), and the
 * Southeast Asian and Tibetan scripts written without spaces; or a
 * language written in one of those scripts, as its tag names it
 * ("az-Arab", "pa-Arab", "lad-Hebr", "mn-Mong"). Such a language needs
 * no patterns: its text is set unhyphenated, never an error. */
static bool unhyphenated(const char *language)
{
	static const char *const none[] = {"zh", "ja", "ko", "ar", "fa", "ur", "ps", "sd", "ug",
					   "ckb", "he", "yi", "lo", "km", "my", "bo", "dz"};
	static const char *const scripts[] = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm",
					      "Rohg", "Hani", "Hans", "Hant", "Jpan", "Kore",
					      "Laoo", "Khmr", "Mymr", "Tibt", "Mong"};
	struct tag t;
	tag_parse(language, &t);
	for (size_t i = 0; i < ARRAY_LEN(none); i++)
		if (!strcmp(t.lang, none[i]))
			return true;
	for (size_t i = 0; i < ARRAY_LEN(scripts); i++)
		if (!strcmp(t.script, scripts[i]))
			return true;
	return false;
}

int tx_hyph_check(const struct book *b, struct diag *d)
{
	char name[PATH_BYTES], pkg[32];
	const char *language = b->meta.language;
	if (patterns_file(language, name, sizeof(name)) || unhyphenated(language))
		return 0;
	diag_error(d, b->yaml_path, b->meta.language_line, b->meta.language_col,
		   "no hyphenation patterns for '%s'", language ? language : "en");
	if (patterns_package(language, pkg, sizeof(pkg)))
		diag_hint(d, "apt-get install %s", pkg);
	else
		diag_hint(d, "Debian has no hyphen-* package for '%s'; put its patterns "
			     "(libhyphen's format) at %s",
			  language ? language : "en", name);
	return -1;
}

void tx_hyph_preload(const char *language)
{
	char name[PATH_BYTES];
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

/* ===== letters ========================================================== */

/* The lower-case form of c, for the alphabets libhyphen's dictionaries
 * cover (Latin, Greek, Cyrillic); c itself when it has none. */
static uint32_t lower_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 0x20;
	if (c == 0x130)
		return 'i'; /* Turkish dotted capital I */
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
	    (c >= 0x182 && c <= 0x185) || (c >= 0x1A0 && c <= 0x1A5) ||
	    (c >= 0x1DE && c <= 0x1EF) || (c >= 0x1F8 && c <= 0x21F) ||
	    (c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF) ||
	    (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
	    (c >= 0x4D0 && c <= 0x52F))
		return c & 1 ? c : c + 1; /* pairs: capital even, small odd */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) ||
	    (c >= 0x1CD && c <= 0x1DC) || (c >= 0x4C1 && c <= 0x4CE))
		return c & 1 ? c + 1 : c; /* pairs: capital odd, small even */
	if (c == 0x1E9E)
		return 0xDF; /* capital sharp s */
	if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 0x25;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 0x3F;
	return c;
}

/* Whether c is a letter of a word (or a combining mark on one). */
static bool is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || c == 0xAA || c == 0xB5 ||
	       c == 0xBA || (c >= 0x300 && c <= 0x3FF && c != 0x37E && c != 0x387) ||
	       (c >= 0x400 && c <= 0x52F && !(c >= 0x482 && c <= 0x489)) ||
	       (c >= 0x1E00 && c <= 0x1EFF);
}

static bool is_apostrophe(uint32_t c)
{
	return c == '\'' || c == 0x2019;
}

static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *c);

/* Whether an apostrophe starts at s[i]: no break beside one ("l’-homme"
 * would read as a word of its own). */
static bool is_apostrophe_at(const char *s, size_t n, size_t i)
{
	uint32_t c;
	cp_at(s, n, i, &c);
	return is_apostrophe(c);
}

/* The code point at s[i] (n bytes in all) and its length; a malformed
 * byte reads as U+FFFD, one byte long. */
static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *c)
{
	int k = utf8_decode((const unsigned char *)s + i, n - i, c);
	if (k <= 0) {
		*c = 0xFFFD;
		return 1;
	}
	return (size_t)k;
}

/* Where word's letters start and how many bytes they take, punctuation
 * (quotation marks, brackets, dashes, stops) peeled off both ends:
 * "(partnership)," -> partnership, «société» -> société. */
static size_t peel(const char *word, size_t len, size_t *off)
{
	size_t a = 0, b = len;
	uint32_t c;
	while (a < len) {
		size_t k = cp_at(word, len, a, &c);
		if (is_letter(c))
			break;
		a += k;
	}
	while (b > a) {
		size_t s = b - 1;
		while (s > a && ((unsigned char)word[s] & 0xC0) == 0x80)
			s--;
		cp_at(word, len, s, &c);
		if (is_letter(c))
			break;
		b = s;
	}
	*off = a;
	return b - a;
}

/*
 * The form of word (len bytes) libhyphen is asked about, as tx_hyphenate
 * makes it: its letters lower-cased, in UTF-8, in out (room for
 * FORM_BYTES); at[i] is where its i-th letter starts in word (and
 * at[letters] where the last ends). Returns the number of letters, 0 for a
 * word never hyphenated: one too short or too long, with a character
 * other than a letter or an apostrophe inside (digits, '@', '/', '.', a
 * hyphen of its own), or in capitals throughout (an acronym). *caps is 0
 * for a word in small letters, 1 for one that starts with a capital and
 * has no other, 2 for one with a capital after its first letter (NASA’s,
 * McDonald, OpenType), which is never hyphenated.
 */
static size_t hyph_form(const char *word, size_t len, char *out, size_t *bytes, size_t *at,
			int *caps)
{
	size_t a, n = peel(word, len, &a), letters = 0, alpha = 0, o = 0, upper = 0;
	*caps = 0;
	for (size_t i = a; i < a + n;) {
		uint32_t c;
		size_t k = cp_at(word, len, i, &c);
		if (!is_letter(c) && !is_apostrophe(c))
			return 0;
		if (letters == MAX_WORD)
			return 0;
		uint32_t l = lower_cp(c);
		/* A capital starts the word, or its part after an elision's
		 * apostrophe (l’Organisation). */
		bool start = !letters || is_apostrophe_at(word, len, at[letters - 1]);
		if (l != c)
			*caps = upper++ || !start ? 2 : 1;
		alpha += !is_apostrophe(c);
		at[letters++] = i;
		o += (size_t)utf8_encode(l, out + o);
		i += k;
	}
	at[letters] = a + n;
	out[o] = '\0';
	*bytes = o;
	if (letters < LEFT_MIN + RIGHT_MIN || (upper > 1 && upper == alpha))
		return 0;
	return letters;
}

/* s (UTF-8, n bytes) in cs, in out (room for n + 1) and *len; false when
 * a letter has no place in it. In a one-byte set the apostrophe becomes
 * the typewriter's, and each letter one byte. */
static bool to_charset(const struct charset *cs, const char *s, size_t n, char *out,
		       size_t *len)
{
	if (cs->utf8) {
		memcpy(out, s, n);
		out[n] = '\0';
		*len = n;
		return true;
	}
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		i += cp_at(s, n, i, &c);
		if (c == 0x2019)
			c = '\'';
		if (c < 0x80) {
			out[o++] = (char)c;
			continue;
		}
		size_t b = 0;
		while (b < 128 && cs->high[b] != c)
			b++;
		if (b == 128)
			return false;
		out[o++] = (char)(0x80 + b);
	}
	out[o] = '\0';
	*len = o;
	return true;
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
		/* Capitalised words and all, whatever the language: more words
		 * than are hyphenated keep more patterns, never fewer. */
		char form[FORM_BYTES];
		size_t at[MAX_WORD + 1], bytes;
		int caps;
		if (hyph_form(text + i, j - i, form, &bytes, at, &caps))
			ws_add(w->ws, form, bytes);
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

/*
 * Which patterns a small book needs, exactly. libhyphen builds one
 * automaton a level (the lines before and after NEXTLEVEL): a state for
 * each prefix of a pattern's letters, its fallback the longest proper
 * suffix that is a state too, and a pattern's values on the state of its
 * whole letters. Reading a word it applies at each byte only the values
 * of the state it stands on, the longest suffix of what it has read that
 * is a state (hnj_hyphen_load_file, hnj_hyphen_hyph_). So a pattern the
 * word never contains still acts, by the states its prefixes add: with
 * 'me5nal' left out, German's "zusammenarbeit" fell back from "mena" to a
 * state with values of its own (Zu-sam-me-n-ar-beit).
 *
 * The strings an automaton reads are ".s." for a piece s of a word
 * between two of its first level's breaks (the word whole, when there
 * are none). Every substring of those (the candidates) that is a state
 * of the whole file must be a state of the subset, and every one that is
 * a pattern must be kept: then the subset stands on the same state as the
 * whole file at every byte, with the same values. So a pattern line is
 * kept when its letters are a candidate, or when one of its prefixes is a
 * candidate that no kept line has given yet (any line with that prefix
 * makes the state; its own values act only where its letters occur, and
 * they do not). Candidates and states are kept as 64-bit hashes: two
 * candidates with one hash keep a pattern too many; a state taken for
 * given by another's hash (a chance of about one in 10^10 for German's
 * file) would be the one way to lose one.
 */

/* The hash sets below: util's table, keyed by hashes alone. */
static bool hs_has(const struct hmap *hs, uint64_t h)
{
	return hmap_get_hash(hs, h) != NULL;
}

static void hs_add(struct hmap *hs, uint64_t h)
{
	hmap_put_hash(hs, h, (void *)1);
}

/* Where a word's first level may break it: nowhere (a file whose first
 * level has no patterns: French's), beside its apostrophes (a file
 * without NEXTLEVEL: libhyphen's own first level breaks at ' ’ - –), or
 * anywhere (German's first level, the compounds' parts). */
enum split { SPLIT_NONE, SPLIT_APOSTROPHE, SPLIT_ANY };

struct pick {
	struct hmap cand;     /* the candidates' hashes */
	struct hmap given[2]; /* a level's states the kept lines give */
};

static bool pick_line(struct pick *pk, const char *key, size_t k, int level)
{
	uint64_t pre[256];
	uint64_t h = HASH_FNV1A_BASIS;
	for (size_t j = 0; j < k; j++)
		pre[j] = h = hash_fnv1a_byte(h, (unsigned char)key[j]);
	struct hmap *given = &pk->given[level ? 1 : 0];
	bool keep = hs_has(&pk->cand, pre[k - 1]);
	for (size_t j = 0; j < k && !keep; j++)
		keep = hs_has(&pk->cand, pre[j]) && !hs_has(given, pre[j]);
	if (keep)
		for (size_t j = 0; j < k; j++)
			hs_add(given, pre[j]);
	return keep;
}

/* How the file's first level splits words (see enum split). */
static enum split file_split(const char *file, size_t len)
{
	const char *nl = memchr(file, '\n', len);
	for (size_t i = nl ? (size_t)(nl - file) + 1 : len; i < len;) {
		const char *a = file + i;
		nl = memchr(a, '\n', len - i);
		size_t n = nl ? (size_t)(nl - a) + 1 : len - i;
		i += n;
		if (n >= 9 && !memcmp(a, "NEXTLEVEL", 9))
			return SPLIT_NONE;
		if (*a != '%' && !(*a >= 'A' && *a <= 'Z') && (unsigned char)*a > ' ')
			break; /* a pattern: is there a NEXTLEVEL after it? */
	}
	static const char next[] = "\nNEXTLEVEL";
	for (const char *p = file; (p = memchr(p, '\n', (size_t)(file + len - p)));) {
		if ((size_t)(file + len - p) >= sizeof(next) - 1 &&
		    !memcmp(p, next, sizeof(next) - 1))
			return SPLIT_ANY;
		p++;
	}
	return SPLIT_APOSTROPHE;
}

/* The candidates of one word s (m bytes, in the file's character set):
 * its substrings, and with a dot before or after them where a piece of
 * it may start or end (cut[i]: a piece may start or end at byte i). Only
 * those up to longest bytes can be a pattern's prefix. */
static void add_candidates(struct hmap *cand, const char *s, size_t m, const bool *cut,
			   bool utf8, size_t longest)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t c = 0; c <= m; c++) {
		if (c < m && utf8 && (u[c] & 0xC0) == 0x80)
			continue; /* no pattern starts inside a letter */
		for (int dot = 0; dot < 2; dot++) {
			if (dot && !cut[c])
				continue;
			uint64_t h = HASH_FNV1A_BASIS;
			size_t l = 0;
			if (dot) {
				h = hash_fnv1a_byte(h, '.');
				hs_add(cand, h);
				l = 1;
			}
			for (size_t d = c; d < m && ++l <= longest;) {
				h = hash_fnv1a_byte(h, u[d++]);
				hs_add(cand, h);
				if (cut[d] && l < longest)
					hs_add(cand, hash_fnv1a_byte(h, '.'));
			}
		}
	}
}

/* The candidates of every word in words, as pattern lines (the longest
 * holding longest bytes of letters) will be compared with them. */
static void gather(struct pick *pk, const struct wordset *words, const struct charset *cs,
		   enum split split, size_t longest)
{
	char in[FORM_BYTES + 1];
	bool cut[FORM_BYTES + 1];
	for (size_t i = 0; i < words->map.cap; i++) {
		const struct hmap_entry *w = &words->map.slots[i];
		size_t m;
		if (!w->key || !to_charset(cs, w->key, w->len, in, &m))
			continue;
		for (size_t j = 0; j <= m; j++)
			cut[j] = split == SPLIT_ANY || j == 0 || j == m;
		if (split == SPLIT_ANY && cs->utf8)
			for (size_t j = 1; j < m; j++)
				cut[j] = ((unsigned char)in[j] & 0xC0) != 0x80;
		if (split == SPLIT_APOSTROPHE)
			for (size_t j = 0; j < m; j++) {
				size_t n = in[j] == '\'' ? 1
					   : cs->utf8 && j + 2 < m && !memcmp(in + j, "\xE2\x80\x99", 3)
					       ? 3
					       : 0;
				if (n)
					cut[j] = cut[j + n] = true;
			}
		add_candidates(&pk->cand, in, m, cut, cs->utf8, longest);
	}
}

/* The longest pattern's letters in the file, in bytes. */
static size_t longest_pattern(const char *file, size_t len)
{
	size_t longest = 1, k = 0;
	bool in_key = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)file[i];
		if (c == '\n') {
			longest = k > longest ? k : longest;
			k = 0;
			in_key = true;
		} else if (c <= ' ' || c == '/') {
			in_key = false;
		} else if (in_key && !(c >= '0' && c <= '9')) {
			k++;
		}
	}
	return (k > longest ? k : longest) + 2;
}

/* The dictionary file (len bytes) with only the patterns pt->words
 * need, loaded into pt. */
static void small_from(struct patterns *pt, const char *file, size_t len)
{
	/* The words in the file's character set, as libhyphen will see them. */
	charset_init(&pt->cs, file);
	struct pick pk = {0};
	hmap_reserve(&pk.cand, 16 * pt->words->map.n); /* about as many as a word gives */
	gather(&pk, pt->words, &pt->cs, file_split(file, len), longest_pattern(file, len));
	struct strbuf out = STRBUF_INIT;
	prepare(file, len, &pk, &out);
	hmap_release(&pk.cand);
	hmap_release(&pk.given[0]);
	hmap_release(&pk.given[1]);
	pt->dict = load_text(&out);
	sb_release(&out);
}

static void load_small(struct patterns *pt)
{
	size_t len = 0;
	char *file = read_file(pt->name, &len);
	if (!file)
		return;
	small_from(pt, file, len);
	free(file);
}

static void patterns_free(struct patterns *pt)
{
	if (!pt)
		return;
	if (pt->dict && pt->undumped)
		tx_dict_free(pt->dict);
	else if (pt->dict)
		hnj_hyphen_free(pt->dict);
	ws_free(pt->words);
	free(pt);
}

void tx_hyph_preload_words(const char *language, struct tx_words *w)
{
	char name[PATH_BYTES];
	patterns_file(language, name, sizeof(name));
	pthread_mutex_lock(&lock);
	if (find_loaded(name)) { /* the whole file is loaded already */
		tx_words_free(w);
	} else {
		patterns_free(small);
		small = xcalloc(1, sizeof(*small));
		snprintf(small->name, sizeof(small->name), "%s", name);
		small->words = w->ws;
		free(w);
		load_small(small);
	}
	pthread_mutex_unlock(&lock);
}

/* ===== compiled patterns (struct tx_store) ================================ */

/* The store's key of a dictionary file (len bytes) read whole: the bytes'
 * format, the caller's seed (octavo's build, which holds libhyphen's
 * loader and prepare's choices), the file. */
static uint64_t file_key(uint64_t seed, const char *file, size_t len)
{
	static const char format[] = "octavo compiled patterns 1";
	uint64_t h = hash_fnv1a(format, sizeof(format));
	size_t sizes[] = {sizeof(HyphenDict), sizeof(HyphenState), sizeof(HyphenTrans), len};
	h = hash_fnv1a_from(h, &seed, sizeof(seed));
	h = hash_fnv1a_from(h, sizes, sizeof(sizes));
	return hash_fnv1a_from(h, file, len);
}

/* The key of the file's subset for the words of ws: the file's key and
 * the set (the same words in any order give the same key: a sum of
 * their hashes, each mixed so that sums do not collide by structure). */
static uint64_t words_key(uint64_t fk, const struct wordset *ws)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < ws->map.cap; i++) {
		const struct hmap_entry *e = &ws->map.slots[i];
		if (!e->key)
			continue;
		uint64_t x = e->hash; /* splitmix64's finaliser */
		x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
		sum += x ^ (x >> 31);
	}
	uint64_t v[] = {sum, ws->map.n};
	return hash_fnv1a_from(hash_fnv1a_from(fk, "words", 5), v, sizeof(v));
}

/* pt's automaton from the bytes s keeps under key; false when it keeps
 * none (or bytes that are not one). */
static bool from_store(struct patterns *pt, const struct tx_store *s, uint64_t key)
{
	size_t n = 0;
	const char *p = s->get(s->ctx, key, &n);
	HyphenDict *d = p ? tx_dict_undump(p, n) : NULL;
	if (!d)
		return false;
	pt->dict = d;
	pt->undumped = true;
	return true;
}

static void to_store(const struct patterns *pt, const struct tx_store *s, uint64_t key)
{
	if (!pt->dict)
		return;
	struct strbuf sb = STRBUF_INIT;
	tx_dict_dump(pt->dict, &sb);
	s->put(s->ctx, key, sb.buf, sb.len);
	sb_release(&sb);
}

/* ===== the user's cache of whole files (src/util/cache.h) ================ */

/*
 * A whole dictionary's automaton, kept in the user's cache for every later
 * run on the machine, whatever the book or output folder: libhyphen's
 * loader looks each state up in a hash table of a fixed 31,627 chains, so
 * its time grows with the square of the states. English's 17,000 take
 * some 30 ms; German's 292,000 (its first level lists 69,000 compounds
 * whole) 3.5 s, where reading them back takes some 20 ms. One file a
 * dictionary, under the key of its bytes and octavo's build: another
 * build of octavo, or a changed dictionary, compiles it again and writes
 * it over. Set once, by tx_hyph_cache, before any patterns load.
 */
static struct {
	char *dir; /* NULL: none */
	uint64_t seed;
} machine;

void tx_hyph_cache(const char *dir, uint64_t seed)
{
	pthread_mutex_lock(&lock);
	free(machine.dir);
	machine.dir = dir ? xstrdup(dir) : NULL;
	machine.seed = seed;
	pthread_mutex_unlock(&lock);
}

/* The cache's file for the dictionary at path: the name of the file it
 * links to (hyph_de.dic and hyph_de_CH.dic are hyph_de_DE.dic) and a hash
 * of that file's folder, in name (size bytes). */
static void machine_name(const char *path, char *name, size_t size)
{
	char *real = realpath(path, NULL);
	const char *p = real ? real : path;
	const char *base = strrchr(p, '/');
	base = base ? base + 1 : p;
	snprintf(name, size, "patterns-%016llx-%.64s",
		 (unsigned long long)hash_fnv1a(p, (size_t)(base - p)), base);
	free(real);
}

/* The cache's key of pt's file (len bytes): pt->key when it was made with
 * the cache's seed (s's, a store's: octavo's build), else made here (a
 * megabyte of German hashed again). */
static uint64_t machine_key(const struct patterns *pt, const struct tx_store *s,
			    const char *file, size_t len)
{
	return s && pt->key && s->seed == machine.seed ? pt->key
							: file_key(machine.seed, file, len);
}

/* pt's whole automaton from the user's cache, for the file's bytes (len),
 * given to the store s too (NULL: none) under pt->key, so that the output
 * folder's store holds what it would have compiled; false when the cache
 * keeps none. */
static bool from_machine(struct patterns *pt, const char *file, size_t len,
			 const struct tx_store *s)
{
	if (!machine.dir)
		return false;
	char name[128];
	machine_name(pt->name, name, sizeof(name));
	size_t n = 0;
	char *data = cache_read(machine.dir, name, machine_key(pt, s, file, len), &n);
	HyphenDict *d = data ? tx_dict_undump(data, n) : NULL;
	if (d && s)
		s->put(s->ctx, pt->key, data, n);
	free(data);
	if (!d)
		return false;
	pt->dict = d;
	pt->undumped = true;
	return true;
}

/* pt's whole automaton into the user's cache (best effort); s as for
 * machine_key. */
static void to_machine(const struct patterns *pt, const char *file, size_t len,
		       const struct tx_store *s)
{
	if (!machine.dir || !pt->dict)
		return;
	char name[128];
	machine_name(pt->name, name, sizeof(name));
	struct strbuf sb = STRBUF_INIT;
	tx_dict_dump(pt->dict, &sb);
	cache_write(machine.dir, name, machine_key(pt, s, file, len), sb.buf, sb.len);
	sb_release(&sb);
}

/* The whole file (len bytes) into pt: from the user's cache, else
 * compiled and given to it. */
static void whole_cached(struct patterns *pt, const char *file, size_t len)
{
	charset_init(&pt->cs, file);
	if (from_machine(pt, file, len, NULL))
		return;
	whole_from(pt, file, len);
	to_machine(pt, file, len, NULL);
}

/* The whole file's or w's automaton for pt (the file: len bytes, its key
 * pt->key in s; w's words in pt->words), as tx_hyph_preload_stored takes
 * or makes it. Returns whether it is the whole file's. */
static bool take_or_make(struct patterns *pt, const struct tx_words *w, const struct tx_store *s,
			 const char *file, size_t len)
{
	uint64_t fk = pt->key, wk = w ? words_key(fk, w->ws) : 0;
	if (from_store(pt, s, fk))
		return true;
	if (w && from_store(pt, s, wk))
		return false;
	/* The user's cache before compiling anything: its whole file
	 * serves the book whatever its words. */
	if (from_machine(pt, file, len, s))
		return true;
	/* The whole file for a big book, and for a small one whose words
	 * changed since the store was made (an author at work): from then on
	 * it serves the book whatever its words. */
	if (!w || !s->empty) {
		whole_from(pt, file, len);
		to_store(pt, s, fk);
		to_machine(pt, file, len, s);
		return true;
	}
	small_from(pt, file, len);
	to_store(pt, s, wk);
	return false;
}

void tx_hyph_preload_stored(const char *language, struct tx_words *w, const struct tx_store *s)
{
	char name[PATH_BYTES];
	patterns_file(language, name, sizeof(name));
	pthread_mutex_lock(&lock);
	bool have = find_loaded(name) != NULL;
	pthread_mutex_unlock(&lock);
	size_t len = 0;
	char *file = have ? NULL : read_file(name, &len);
	if (have) {
		tx_words_free(w);
		return;
	}
	if (!file) { /* no dictionary: as without a store */
		if (w)
			tx_hyph_preload_words(language, w);
		else
			tx_hyph_preload(language);
		return;
	}
	pthread_mutex_lock(&lock);
	if (find_loaded(name)) { /* another thread loaded it meanwhile */
		tx_words_free(w);
	} else {
		struct patterns *pt = xcalloc(1, sizeof(*pt));
		snprintf(pt->name, sizeof(pt->name), "%s", name);
		pt->key = file_key(s->seed, file, len);
		charset_init(&pt->cs, file);
		pt->words = w ? w->ws : NULL; /* what small_from reads */
		if (take_or_make(pt, w, s, file, len)) {
			pt->words = NULL;
			tx_words_free(w);
			add_loaded(pt);
		} else {
			free(w); /* its words are pt's */
			patterns_free(small);
			small = pt;
		}
	}
	pthread_mutex_unlock(&lock);
	free(file);
}

bool tx_hyph_preload_kept(const char *language, const struct tx_store *s)
{
	char name[PATH_BYTES];
	patterns_file(language, name, sizeof(name));
	pthread_mutex_lock(&lock);
	bool kept = find_loaded(name) != NULL;
	size_t len = 0;
	char *file = kept ? NULL : read_file(name, &len);
	if (file) {
		struct patterns *pt = xcalloc(1, sizeof(*pt));
		snprintf(pt->name, sizeof(pt->name), "%s", name);
		pt->key = file_key(s->seed, file, len);
		charset_init(&pt->cs, file);
		kept = from_store(pt, s, pt->key) || from_machine(pt, file, len, s);
		if (kept)
			add_loaded(pt);
		else
			free(pt);
		free(file);
	}
	pthread_mutex_unlock(&lock);
	return kept;
}

/* ===== answers kept between builds (tx_hyph_answers_take) ================ */

/*
 * Each word's break points as a build found them, for the next to take
 * instead of asking libhyphen again (13 M of the edition's 336 M
 * instructions, warm): what tx_hyph_answers_take read, looked up by
 * tx_hyphenate (read only, so on both threads of a parallel layout), and
 * what the tx_hyphs freed since gave (gather_answers), written by
 * tx_hyph_answers_give. A key is 8 bytes of the group (answers_key) and
 * the word; a value a struct memo. On the build's thread, but for the
 * lookups.
 */
static struct {
	bool open;	  /* between take and give: tx_hyph_free gathers answers */
	struct hmap kept; /* taken from the store */
	struct hmap used; /* gathered from the tx_hyphs freed */
	size_t fresh;	  /* used's answers not among kept */
	struct arena arena;
} answers;

/* The longest word whose answer is kept. */
#define ANSWER_WORD 200
#define ANSWERS_TAG "hyphenation answers 1"

/* h's group: everything its answers depend on beside the word and the
 * room for them (the seed, in the file's key: octavo's build). 0 when
 * its patterns were not read through a store. */
static uint64_t answers_key(const struct tx_hyph *h)
{
	if (!h->pat || !h->pat->key)
		return 0;
	uint64_t k = hash_fnv1a_from(h->pat->key, ANSWERS_TAG, sizeof(ANSWERS_TAG));
	k = hash_fnv1a_from(k, h->language, strlen(h->language) + 1);
	k = hash_fnv1a_from(k, &h->capitals, sizeof(h->capitals));
	for (size_t i = 0; i < h->nexceptions; i++)
		k = hash_fnv1a_from(k, h->exceptions[i], strlen(h->exceptions[i]) + 1);
	return k ? k : 1;
}

/* The key of word in h's group, in buf (8 + ANSWER_WORD bytes); its
 * length, or 0 when the word's answer is not kept. */
static size_t answer_key(const struct tx_hyph *h, const char *word, size_t len, char *buf)
{
	if (!h->answers || len > ANSWER_WORD)
		return 0;
	memcpy(buf, &h->answers, 8);
	memcpy(buf + 8, word, len);
	return 8 + len;
}

/* The answer for word that the last build kept, or NULL. */
static const struct memo *kept_answer(const struct tx_hyph *h, const char *word, size_t len)
{
	char buf[8 + ANSWER_WORD];
	size_t n = answers.open ? answer_key(h, word, len, buf) : 0;
	return n ? hmap_get(&answers.kept, buf, n) : NULL;
}

/* h's answers into answers.used (h about to be freed): on any thread,
 * at once with others. */
static void gather_answers(const struct tx_hyph *h)
{
	if (!h->answers)
		return;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; answers.open && i < h->memo.cap; i++) {
		const struct hmap_entry *e = &h->memo.slots[i];
		char buf[8 + ANSWER_WORD];
		size_t n = e->key ? answer_key(h, e->key, e->len, buf) : 0;
		if (!n || hmap_get(&answers.used, buf, n))
			continue;
		const struct memo *m = e->val;
		size_t bytes = sizeof(*m) + m->k * sizeof(*m->pts);
		hmap_put(&answers.used, ar_strndup(&answers.arena, buf, n), n,
			 ar_memdup(&answers.arena, m, bytes, 1));
		answers.fresh += !hmap_get(&answers.kept, buf, n);
	}
	pthread_mutex_unlock(&lock);
}

/* The store's key of the answers. */
static uint64_t answers_record(const struct tx_store *s)
{
	return hash_fnv1a_from(s->seed, ANSWERS_TAG, sizeof(ANSWERS_TAG));
}

static void drop_answers(void);

/* The answers s keeps, into answers.kept. With the lock held. */
static void take_answers(const struct tx_store *s)
{
	size_t len = 0;
	const char *data = s->get(s->ctx, answers_record(s), &len);
	if (!data)
		return;
	const char *p = ar_memdup(&answers.arena, data, len, 1), *end = p + len;
	/* Each: the key's length and bytes, max, k and k break points, as
	 * uint32_t in this machine's order (the seed holds octavo's build). */
	uint32_t v[3];
	while (end - p >= (ptrdiff_t)sizeof(v)) {
		memcpy(v, p, sizeof(v)); /* klen, max, k */
		p += sizeof(v);
		if (v[0] < 8 || v[0] > 8 + ANSWER_WORD || v[2] > v[1] ||
		    (size_t)(end - p) < v[0] + (size_t)v[2] * 4)
			break;
		const char *key = p;
		p += v[0];
		struct memo *m = ar_alloc(&answers.arena, sizeof(*m) + v[2] * sizeof(*m->pts));
		m->max = v[1];
		m->k = v[2];
		bool fits = true; /* each point inside the word */
		for (uint32_t i = 0; i < v[2]; i++, p += 4) {
			uint32_t at;
			memcpy(&at, p, 4);
			m->pts[i] = at;
			fits &= at < v[0] - 8;
		}
		if (!fits)
			break;
		hmap_put(&answers.kept, key, v[0], m);
	}
	if (p != end) /* not a store of ours after all: none of it */
		hmap_release(&answers.kept);
}

void tx_hyph_answers_take(const struct tx_store *s)
{
	pthread_mutex_lock(&lock);
	drop_answers();
	answers.open = true;
	ar_init(&answers.arena);
	take_answers(s);
	pthread_mutex_unlock(&lock);
}

void tx_hyph_answers_give(const struct tx_store *s)
{
	pthread_mutex_lock(&lock);
	if (answers.open && (answers.fresh || answers.used.n != answers.kept.n)) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < answers.used.cap; i++) {
			const struct hmap_entry *e = &answers.used.slots[i];
			if (!e->key)
				continue;
			const struct memo *m = e->val;
			uint32_t v[3] = {(uint32_t)e->len, (uint32_t)m->max, (uint32_t)m->k};
			sb_add(&sb, (const char *)v, sizeof(v));
			sb_add(&sb, e->key, e->len);
			for (size_t k = 0; k < m->k; k++) {
				uint32_t at = (uint32_t)m->pts[k];
				sb_add(&sb, (const char *)&at, 4);
			}
		}
		s->put(s->ctx, answers_record(s), sb.buf, sb.len);
		sb_release(&sb);
	}
	drop_answers();
	pthread_mutex_unlock(&lock);
}

void tx_hyph_answers_drop(void)
{
	pthread_mutex_lock(&lock);
	drop_answers();
	pthread_mutex_unlock(&lock);
}

/* Forgets the answers. With the lock held. */
static void drop_answers(void)
{
	hmap_release(&answers.kept);
	hmap_release(&answers.used);
	ar_release(&answers.arena);
	memset(&answers, 0, sizeof(answers));
}

/* A tx_hyph for language, without its patterns yet. */
static struct tx_hyph *hyph_new(const char *language, const struct bk_style *st,
				struct diag *d)
{
	struct tx_hyph *h = xcalloc(1, sizeof(*h));
	h->d = d;
	snprintf(h->language, sizeof(h->language), "%s", language ? language : "");
	h->exceptions = st->hyphenation;
	h->nexceptions = st->nhyphenation;
	h->capitals = st->hyphenate_caps || capitalises_nouns(language);
	patterns_file(language, h->name, sizeof(h->name));
	return h;
}

struct tx_hyph *tx_hyph_load(const char *language, const struct bk_style *st, struct diag *d)
{
	struct tx_hyph *h = hyph_new(language, st, d);
	/* The whole file when it is loaded; else a small book's patterns for
	 * this language; else the whole file, loaded now. */
	pthread_mutex_lock(&lock);
	struct patterns *pt = find_loaded(h->name);
	if (!pt && small && !strcmp(small->name, h->name))
		pt = small;
	pthread_mutex_unlock(&lock);
	if (!pt)
		pt = patterns_for(h->name);
	h->pat = pt;
	h->answers = answers_key(h);
	return h;
}

struct tx_hyph *tx_hyph_load_alone(const char *language, const struct bk_style *st,
				   struct diag *d, struct tx_words *w)
{
	struct tx_hyph *h = hyph_new(language, st, d);
	struct patterns *pt = xcalloc(1, sizeof(*pt));
	snprintf(pt->name, sizeof(pt->name), "%s", h->name);
	if (w) {
		pt->words = w->ws;
		free(w);
		load_small(pt);
	} else {
		load_patterns(pt);
	}
	h->pat = h->own = pt;
	return h;
}

/* A missing dictionary was reported by tx_hyph_check, as the book was
 * read. */
void tx_hyph_free(struct tx_hyph *h)
{
	if (!h)
		return;
	gather_answers(h);
	patterns_free(h->own);
	hmap_release(&h->memo);
	ar_release(&h->memo_arena);
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

/* The whole file's patterns, for a word a small book's do not cover;
 * NULL when there are none. */
static struct patterns *whole_file(struct tx_hyph *h)
{
	if (!h->full)
		h->full = patterns_for(h->name);
	return h->full && h->full->dict ? h->full : NULL;
}

static size_t hyphenate(struct tx_hyph *h, const char *word, size_t len, size_t *pts, size_t max);

size_t tx_hyphenate(struct tx_hyph *h, const char *word, size_t len, size_t *pts, size_t max)
{
	const struct memo *m = hmap_get(&h->memo, word, len);
	if (m && m->max == max) {
		memcpy(pts, m->pts, m->k * sizeof(*pts));
		return m->k;
	}
	const struct memo *km = kept_answer(h, word, len);
	size_t k = km && km->max == max ? km->k : hyphenate(h, word, len, pts, max);
	if (km && km->max == max)
		memcpy(pts, km->pts, k * sizeof(*pts));
	if (!m) {
		struct memo *nm = ar_alloc(&h->memo_arena, sizeof(*nm) + k * sizeof(*pts));
		nm->max = max;
		nm->k = k;
		memcpy(nm->pts, pts, k * sizeof(*pts));
		hmap_put(&h->memo, ar_strndup(&h->memo_arena, word, len), len, nm);
	}
	return k;
}

/* tx_hyphenate's answer, found. */
static size_t hyphenate(struct tx_hyph *h, const char *word, size_t len, size_t *pts, size_t max)
{
	size_t a, n = peel(word, len, &a);
	const char *w = word + a;
	if (n < LEFT_MIN + RIGHT_MIN || n >= FORM_BYTES)
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
	char lower[FORM_BYTES];
	size_t at[MAX_WORD + 1], bytes;
	int caps;
	size_t letters = hyph_form(word, len, lower, &bytes, at, &caps);
	if (!letters || caps == 2 || (caps && !h->capitals))
		return 0;
	struct patterns *pt = h->pat && h->pat->dict ? h->pat : NULL;
	if (pt && pt->words && !ws_has(pt->words, lower, bytes))
		pt = whole_file(h);
	if (!pt)
		return 0;
	char in[FORM_BYTES];
	size_t inlen;
	if (!to_charset(&pt->cs, lower, bytes, in, &inlen))
		return 0;
	/* libhyphen marks breaks per byte of what it is given, and for a
	 * UTF-8 dictionary moves them to one per character
	 * (hnj_hyphen_norm): either way, hy[i] odd allows a break after
	 * letter i, which starts at at[i] in word. */
	char hy[FORM_BYTES + 5];
	char **reps = NULL;
	int *pos = NULL, *cut = NULL;
	if (hnj_hyphen_hyphenate2(pt->dict, in, (int)inlen, hy, NULL, &reps, &pos, &cut) != 0)
		return 0;
	size_t k = 0;
	for (size_t i = LEFT_MIN - 1; i + RIGHT_MIN < letters && k < max; i++)
		if ((hy[i] & 1) && !(reps && reps[i]) && !is_apostrophe_at(word, len, at[i]) &&
		    !is_apostrophe_at(word, len, at[i + 1]))
			pts[k++] = at[i + 1];
	if (reps) {
		for (size_t i = 0; i < inlen; i++)
			free(reps[i]);
		free(reps);
		free(pos);
		free(cut);
	}
	return k;
}

/* ===== other languages' patterns ======================================= */

bool tx_hyph_available(const char *language, char *pkg, size_t size)
{
	char name[PATH_BYTES];
	if (pkg && size && !patterns_package(language, pkg, size))
		pkg[0] = '\0';
	return patterns_file(language, name, sizeof(name)) || unhyphenated(language);
}

/* ===== a second thread's handle (tx_hyph_fork) ========================= */

struct tx_hyph *tx_hyph_fork(const struct tx_hyph *h)
{
	if (h->pat && h->pat->words && !h->full)
		return NULL;
	struct tx_hyph *k = xmalloc(sizeof(*k));
	memcpy(k, h, sizeof(*k));
	memset(&k->memo, 0, sizeof(k->memo));
	ar_init(&k->memo_arena);
	return k;
}

const char *tx_hyph_dir(void)
{
	return OCTAVO_HYPHEN_DIR;
}
