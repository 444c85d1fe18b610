/*
 * hyph17.c - hyphenation (issue 17): a small book's patterns hyphenate
 * every word exactly as the whole file does, in every installed language
 * (one-byte dictionaries among them); capitalised words; more than eight
 * languages in one process.
 */
#include "unit/unit.h"

#include "book/book.h"
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

/* The texts every language's patterns are tried on: the edition, the
 * test books, and prose no one here wrote. Missing files are skipped
 * (the edition and test books never are: they are in the repository). */
static const char *const texts[] = {
    "manuscript/01-partnership.md",
    "manuscript/07-co-production.md",
    "manuscript/16-small-charities.md",
    "tests/books/de/essay.md",
    "tests/books/fr/essay.md",
    "tests/books/es/essay.md",
    "tests/books/hyph17/cs/essay.md",
    "tests/books/hyph17/ten/essay.md",
    "/usr/share/doc/nodejs/api/stream.md",
    "/usr/share/common-licenses/GPL-3",
};

/* The languages whose patterns are tried (each a Debian hyphen-* file
 * make test installs; German's and French's have two levels, Czech's,
 * Polish's, German's and Dutch's are one byte a letter). */
static const char *const languages[] = {"en-GB", "en-US", "de", "fr", "es", "cs",
					"pl",    "nl",    "it", "da", "sv"};

/* Hyphenates every word of text (len bytes) with a subset made for it
 * and with whole (fresh, both), and counts those that differ. */
static size_t compare(const char *lang, struct tx_hyph *whole, const char *text, size_t len,
		      size_t *words, size_t *hyphenated)
{
	struct bk_style st = {0};
	st.hyphenate_caps = true;
	struct diag d;
	diag_init(&d, stderr);
	struct tx_words *w = tx_words_new();
	tx_words_add(w, text, len);
	struct tx_hyph *small = tx_hyph_load_alone(lang, &st, &d, w);
	size_t differ = 0;
	char a[512], b[512];
	for (size_t i = 0; i < len;) {
		while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
			i++;
		size_t j = i;
		while (j < len && text[j] != ' ' && text[j] != '\n' && text[j] != '\t')
			j++;
		if (j > i && j - i < 120) {
			unit_hyphenated(small, text + i, j - i, a, sizeof(a));
			unit_hyphenated(whole, text + i, j - i, b, sizeof(b));
			(*words)++;
			*hyphenated += strchr(b, '-') != NULL && !memchr(text + i, '-', j - i);
			if (strcmp(a, b) && differ++ < 3)
				fprintf(stderr, "  %s: subset %s, whole file %s\n", lang, a, b);
		}
		i = j;
	}
	tx_hyph_free(small);
	return differ;
}

UNIT_TEST(hyph17_subset_exact)
{
	struct bk_style st = {0};
	st.hyphenate_caps = true;
	struct diag d;
	diag_init(&d, stderr);
	size_t ntexts = 0;
	for (size_t l = 0; l < sizeof(languages) / sizeof(*languages); l++) {
		const char *lang = languages[l];
		if (!tx_hyph_available(lang, NULL, 0)) {
			UCHECK(0, "no patterns for '%s' (make test installs them)", lang);
			continue;
		}
		struct tx_hyph *whole = tx_hyph_load_alone(lang, &st, &d, NULL);
		size_t words = 0, hyphenated = 0, differ = 0;
		for (size_t t = 0; t < sizeof(texts) / sizeof(*texts); t++) {
			size_t len = 0;
			char *text = read_file(texts[t], &len);
			if (!text) {
				UCHECK(texts[t][0] == '/', "read %s", texts[t]);
				continue;
			}
			ntexts += l == 0;
			differ += compare(lang, whole, text, len, &words, &hyphenated);
			free(text);
		}
		/* Not vacuous: thousands of words, hundreds of them broken. */
		UCHECK(differ == 0 && words > 10000 && hyphenated > 300,
		       "%s: a small book's patterns hyphenate each of %zu words as the whole file "
		       "does (%zu differ; %zu hyphenated)",
		       lang, words, differ, hyphenated);
		tx_hyph_free(whole);
	}
	UCHECK(ntexts >= 8, "the texts read: %zu", ntexts);
}

/* The word the old subset broke (a pattern whose letters the word lacks
 * made a state it needed): German's Zusammenarbeit, alone in a book. */
UNIT_TEST(hyph17_subset_states)
{
	struct bk_style st = {0};
	struct diag d;
	diag_init(&d, stderr);
	static const char *const words[][2] = {
	    {"Zusammenarbeit", "Zu-sam-men-ar-beit"},
	    {"Bundesverfassungsgerichtsentscheidung", NULL},
	    {"l’hébergement", NULL},
	};
	static const char *const langs[] = {"de", "de", "fr"};
	for (size_t i = 0; i < 3; i++) {
		struct tx_words *w = tx_words_new();
		tx_words_add(w, words[i][0], strlen(words[i][0]));
		struct tx_hyph *small = tx_hyph_load_alone(langs[i], &st, &d, w);
		struct tx_hyph *whole = tx_hyph_load_alone(langs[i], &st, &d, NULL);
		char a[256], b[256];
		unit_hyphenated(small, words[i][0], strlen(words[i][0]), a, sizeof(a));
		unit_hyphenated(whole, words[i][0], strlen(words[i][0]), b, sizeof(b));
		UCHECK(!strcmp(a, b) && (!words[i][1] || !strcmp(a, words[i][1])),
		       "%s alone: subset %s, whole file %s", words[i][0], a, b);
		tx_hyph_free(small);
		tx_hyph_free(whole);
	}
}

/* Capitalised words: hyphenated as their lower-case form by default in
 * every language, left whole with hyphenate-capitalised: false (but in
 * German); acronyms and inner capitals never. */
UNIT_TEST(hyph17_capitalised)
{
	struct diag d;
	diag_init(&d, stderr);
	struct bk_style on = {0}, off = {0};
	on.hyphenate_caps = true;
	static const struct {
		const char *lang, *word, *on, *off;
	} cases[] = {
	    {"en-GB", "Westminster", "West-min-ster", "Westminster"},
	    {"en-GB", "Parliament", "Par-lia-ment", "Parliament"},
	    {"en-GB", "Birmingham", "Birm-ing-ham", "Birmingham"},
	    {"en-GB", "Government,", "Gov-ern-ment,", "Government,"},
	    {"en-GB", "government", "gov-ern-ment", "gov-ern-ment"},
	    {"en-GB", "NASA", "NASA", "NASA"},
	    {"en-GB", "PARLIAMENT", "PARLIAMENT", "PARLIAMENT"},
	    {"en-GB", "NASA’s", "NASA’s", "NASA’s"},
	    {"en-GB", "McDonald", "McDonald", "McDonald"},
	    {"en-US", "Parliament", "Par-lia-ment", "Parliament"},
	    {"fr", "l’Organisation", "l’Or-ga-ni-sa-tion", "l’Organisation"},
	    {"fr", "Développement", "Dé-ve-lop-pe-ment", "Développement"},
	    {"es", "Ayuntamiento", "Ayun-ta-miento", "Ayuntamiento"},
	    {"de", "Zusammenarbeit", "Zu-sam-men-ar-beit", "Zu-sam-men-ar-beit"},
	    {"de", "ÖFFENTLICHKEIT", "ÖFFENTLICHKEIT", "ÖFFENTLICHKEIT"},
	    {"cs", "Spolupráce", "Spolu-práce", "Spolupráce"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct tx_hyph *a = tx_hyph_load(cases[i].lang, &on, &d);
		struct tx_hyph *b = tx_hyph_load(cases[i].lang, &off, &d);
		char x[128], y[128];
		size_t n = strlen(cases[i].word);
		unit_hyphenated(a, cases[i].word, n, x, sizeof(x));
		unit_hyphenated(b, cases[i].word, n, y, sizeof(y));
		UCHECK(!strcmp(x, cases[i].on) && !strcmp(y, cases[i].off),
		       "%s %s: %s (want %s), with hyphenate-capitalised false %s (want %s)",
		       cases[i].lang, cases[i].word, x, cases[i].on, y, cases[i].off);
		tx_hyph_free(a);
		tx_hyph_free(b);
	}
}

/* One-byte dictionaries (ISO 8859-1 and -2): letters beyond ASCII reach
 * libhyphen in the file's own set, and come back at their UTF-8 places. */
UNIT_TEST(hyph17_eight_bit)
{
	struct bk_style st = {0};
	struct diag d;
	diag_init(&d, stderr);
	static const struct {
		const char *lang, *word, *want;
	} cases[] = {
	    {"cs", "nejneobhospodařovávatelnějšími", "nejne-ob-hos-po-da-řováva-telnějšími"},
	    {"cs", "mezinárodního", "mezi-ná-rodního"},
	    {"pl", "współpraca", "współ-praca"},
	    {"de", "Verhältnismäßigkeit", "Ver-hält-nis-mä-ßig-keit"},
	    {"da", "selvstændighed", "selv-stæn-dig-hed"},
	    {"sv", "självständighet", "själv-stän-dig-het"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct tx_hyph *h = tx_hyph_load(cases[i].lang, &st, &d);
		char x[128];
		unit_hyphenated(h, cases[i].word, strlen(cases[i].word), x, sizeof(x));
		UCHECK(!strcmp(x, cases[i].want), "%s %s: %s (want %s)", cases[i].lang,
		       cases[i].word, x, cases[i].want);
		tx_hyph_free(h);
	}
}

/* More than eight dictionaries in one process: each keeps its patterns
 * (a ninth used to be left unhyphenated). */
UNIT_TEST(hyph17_many_languages)
{
	struct bk_style st = {0};
	st.hyphenate_caps = true;
	struct diag d;
	diag_init(&d, stderr);
	static const struct {
		const char *lang, *word;
	} cases[] = {
	    {"en-GB", "partnership"},   {"en-US", "partnership"},   {"de", "Zusammenarbeit"},
	    {"fr", "organisation"},     {"es", "ayuntamiento"},     {"it", "collaborazione"},
	    {"nl", "samenwerking"},     {"pl", "współpraca"},       {"cs", "spolupráce"},
	    {"da", "samarbejde"},       {"sv", "samarbete"},        {"de-CH", "Zusammenarbeit"},
	};
	size_t n = sizeof(cases) / sizeof(*cases);
	struct tx_hyph *h[sizeof(cases) / sizeof(*cases)];
	for (size_t i = 0; i < n; i++)
		h[i] = tx_hyph_load(cases[i].lang, &st, &d);
	for (size_t i = 0; i < n; i++) {
		char x[128];
		unit_hyphenated(h[i], cases[i].word, strlen(cases[i].word), x, sizeof(x));
		UCHECK(strchr(x, '-') != NULL, "language %zu of %zu (%s): %s has breaks", i + 1, n,
		       cases[i].lang, x);
	}
	for (size_t i = 0; i < n; i++)
		tx_hyph_free(h[i]);
}
