/* node18b.c - plain ASCII set without hb_shape (src/text/plain.c): the
 * same words as HarfBuzz makes, in the mono face and in a kerning font
 * put in its place (issue 18: the Node.js docs under a second). */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "book/book.h"
#include "text/text-int.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static struct book *load_small(void)
{
	struct diag d;
	diag_init(&d, stderr);
	return book_load("tests/golden/small", ".", &d);
}

/* Fonts for st, with the plain path (plain) or HarfBuzz for everything. */
static struct tx_fonts *fonts(const struct bk_style *st, bool plain)
{
	struct diag d;
	diag_init(&d, stderr);
	if (!plain)
		setenv("OCTAVO_NO_PLAIN", "1", 1);
	struct tx_fonts *f = tx_fonts_load(st, "en-US", &d);
	unsetenv("OCTAVO_NO_PLAIN");
	return f;
}

bool unit_same_word(const struct tx_word *a, const struct tx_word *b)
{
	if (a->width != b->width || a->npieces != b->npieces || a->rtl != b->rtl ||
	    a->dir != b->dir || a->missing != b->missing || a->first_missing_at != b->first_missing_at)
		return false;
	for (size_t i = 0; i < a->npieces; i++) {
		const struct tx_piece *p = &a->pieces[i], *q = &b->pieces[i];
		if (p->len != q->len || memcmp(p->text, q->text, p->len) || p->x != q->x ||
		    p->face != q->face)
			return false;
	}
	return true;
}

/* Compares text in the mono face of the two; counts into *differ. */
static void compare(struct tx_fonts *fast, struct tx_fonts *slow, const char *text, size_t len,
		    size_t *differ)
{
	const struct tx_word *a = tx_shape(fast, TX_MONO, text, len);
	const struct tx_word *b = tx_shape(slow, TX_MONO, text, len);
	if (!unit_same_word(a, b)) {
		if (*differ < 5)
			fprintf(stderr, "node18b: '%.*s' differs: width %g vs %g, %zu vs %zu pieces\n",
				(int)len, text, a->width, b->width, a->npieces, b->npieces);
		++*differ;
	}
}

/* Up to max code lines of the Node.js docs (Debian's nodejs), else none. */
static size_t node_lines(char ***out, size_t max)
{
	const char *dir = "/usr/share/doc/nodejs/api";
	char **v = NULL;
	size_t n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		*out = NULL;
		return 0;
	}
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		size_t l = strlen(e->d_name);
		if (l < 4 || strcmp(e->d_name + l - 3, ".md"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *fp = fopen(path, "r");
		if (!fp)
			continue;
		char line[4096];
		bool code = false;
		while (fgets(line, sizeof(line), fp) && n < max) {
			line[strcspn(line, "\n")] = '\0';
			if (!strncmp(line, "```", 3)) {
				code = !code;
				continue;
			}
			if (code && *line) {
				v = realloc(v, (n + 1) * sizeof(*v));
				v[n++] = strdup(line);
			}
		}
		fclose(fp);
	}
	closedir(d);
	*out = v;
	return n;
}

static void check_font(struct bk_style *st, const char *what, size_t *plain_chars)
{
	struct tx_fonts *fast = fonts(st, true), *slow = fonts(st, false);
	UCHECK(fast && slow, "%s: fonts", what);
	if (!fast || !slow)
		return;
	struct tx_plain p;
	tx_plain_init(&p, tx_hb_font(fast, TX_MONO), NULL, 0, false, hb_language_from_string("en", -1));
	*plain_chars = 0;
	char not[96];
	size_t nn = 0;
	for (int c = 0x20; c < 0x7F; c++) {
		*plain_chars += p.ok[c];
		if (!p.ok[c])
			not[nn++] = (char)c;
	}
	not[nn] = '\0';
	if (getenv("NODE18B_VERBOSE"))
		fprintf(stderr, "node18b: %s: not plain: '%s'\n", what, not);
	size_t differ = 0, tried = 0;
	char s[4];
	for (int a = 0x20; a < 0x7F; a++) {
		s[0] = (char)a;
		compare(fast, slow, s, 1, &differ), tried++;
		for (int b = 0x20; b < 0x7F; b++) {
			s[1] = (char)b;
			compare(fast, slow, s, 2, &differ), tried++;
		}
	}
	/* Capitals in runs (acronyms' c2sc), ligature candidates, and a
	 * character that is not ASCII after plain ones. */
	static const char *const words[] = {"HTTP", "AVATAR", "office", "fi ffl ffi", "Tot",
					    "x => y", "a\xC3\xA9", "--> <= != ===", "www"};
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		compare(fast, slow, words[i], strlen(words[i]), &differ), tried++;
	/* Random printable strings, from a fixed seed. */
	unsigned long x = 18;
	for (int i = 0; i < 2000; i++) {
		char r[40];
		size_t len = 1 + i % 39;
		for (size_t k = 0; k < len; k++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			r[k] = (char)(0x20 + (x >> 33) % 95);
		}
		compare(fast, slow, r, len, &differ), tried++;
	}
	char **lines;
	size_t nl = node_lines(&lines, 20000);
	for (size_t i = 0; i < nl; i++) {
		compare(fast, slow, lines[i], strlen(lines[i]), &differ), tried++;
		free(lines[i]);
	}
	free(lines);
	UCHECK(differ == 0, "%s: %zu of %zu words differ from HarfBuzz's (%zu Node.js code lines)",
	       what, differ, tried, nl);
	tx_fonts_free(fast);
	tx_fonts_free(slow);
}

UNIT_TEST(node18b_plain)
{
	struct book *b = load_small();
	UCHECK(b != NULL, "book");
	if (!b)
		return;
	size_t n = 0;
	if (b->style.font_mono) {
		check_font(&b->style, "Noto Sans Mono", &n);
		/* What the fast path is for: a mono font with no lookup on
		 * ASCII takes it for (nearly) every character. */
		UCHECK(n >= 90, "Noto Sans Mono: %zu of 95 printable characters plain", n);
	}
	/* A kerning font with ligatures and small capitals in the mono
	 * face's place: only characters no lookup touches are plain, and
	 * every word still comes out as HarfBuzz makes it. */
	const char *mono = b->style.font_mono;
	bool acr = b->style.acronyms, lig = b->style.ligatures;
	b->style.font_mono = b->style.font[0];
	b->style.acronyms = true;
	b->style.ligatures = true;
	check_font(&b->style, "Charis SIL as mono", &n);
	UCHECK(n < 95, "Charis SIL: kerned letters are not plain (%zu plain)", n);
	b->style.font_mono = mono;
	b->style.acronyms = acr;
	b->style.ligatures = lig;
	book_free(b);
}
