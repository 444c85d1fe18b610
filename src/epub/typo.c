/*
 * typo.c - the typography cmark's smart punctuation leaves to us: where
 * English wants a non-breaking space, so a reading system never ends a
 * line on "Mr" or starts one with "km" or a dash. Curly quotes, dashes
 * and ellipses already come from the book stage.
 *
 * The rules look at the word before a space and the word after it, words
 * being runs of bytes between spaces and newlines; the caller joins a
 * paragraph's text so a rule sees across styled runs ("Mr *Smith*").
 */
#include "epub-int.h"

#include <stdlib.h>
#include <string.h>

static bool is_gap(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The word w (len bytes) without the opening brackets and quotes before
 * it: "(Dr" and "“Mr" are Dr and Mr. */
static const unsigned char *strip_open(const unsigned char *w, size_t *len)
{
	for (;;) {
		if (*len >= 1 && (w[0] == '(' || w[0] == '[' || w[0] == '"' || w[0] == '\'')) {
			w++, *len -= 1;
		} else if (*len >= 3 && w[0] == 0xE2 && w[1] == 0x80 &&
			   (w[2] == 0x98 || w[2] == 0x9C)) { /* ‘ “ */
			w += 3, *len -= 3;
		} else {
			return w;
		}
	}
}

/* Whether the word w is one of the NULL-terminated list. */
static bool word_in(const unsigned char *w, size_t len, const char *const *list)
{
	if (len == 0 || len > 8)
		return false; /* none is longer */
	for (size_t i = 0; list[i]; i++)
		if ((unsigned char)list[i][0] == w[0] && strlen(list[i]) == len &&
		    !memcmp(w, list[i], len))
			return true;
	return false;
}

/* Whether the word w begins with one of list followed by the end of the
 * word or a byte that is not a letter or digit: "km," and "a.m." match,
 * "million" does not match "m". Returns the length matched, or 0. */
static size_t prefix_in(const unsigned char *w, size_t len, const char *const *list)
{
	for (size_t i = 0; list[i]; i++) {
		if (!len || (unsigned char)list[i][0] != w[0])
			continue;
		size_t k = strlen(list[i]);
		if (k <= len && !memcmp(w, list[i], k) && (k == len || !is_alnum(w[k])))
			return k;
	}
	return 0;
}

/* clang-format off */
/* Titles that stand before a name. */
static const char *const honorifics[] = {
	"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Mx", "Mx.", "Dr", "Dr.", "St", "St.",
	"Prof", "Prof.", "Revd", "Rev.", "Sgt", "Sgt.", "Capt", "Capt.", "Cllr", "Sr", "Sr.",
	NULL,
};

/* Abbreviations that stand before a number. */
static const char *const references[] = {
	"p.", "pp.", "No.", "Nos.", "no.", "vol.", "Vol.", "vols.", "ch.", "Ch.", "chap.",
	"fig.", "Fig.", "figs.", "para.", "paras.", "art.", "Art.",
	"\xC2\xA7", "\xC2\xA7\xC2\xA7", /* section signs */
	NULL,
};

/* Units and the like that follow a number. The longer spelling of each
 * comes first so "kWh" is not taken for "kW". */
static const char *const units[] = {
	"km/h", "km", "cm", "mm", "m", "kg", "mg", "g", "kWh", "kW", "MW", "GW", "mph", "ha",
	"ml", "kHz", "MHz", "GHz", "Hz", "kB", "MB", "GB", "TB", "mi", "ft", "in.", "lb", "oz",
	"\xC2\xB0" "C", "\xC2\xB0" "F", /* degrees */
	"a.m.", "p.m.", "am", "pm", "BCE", "BC", "CE",
	"miles", "mile", "litres", "metres", "kilometres", "hectares", "tonnes",
	NULL,
};
/* clang-format on */

/* Whether the word after a space may follow a title ("Mr Smith"): it
 * begins with a capital (or a letter beyond ASCII). */
static bool capital(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || c >= 0xC0;
}

static bool digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * One pass over the words: each space looks at the word before it (known
 * from the space before, when they touch) and the word after it, and the
 * cheap test on the word after comes before the lists are searched (most
 * words follow no title and no reference: the lists were four fifths of
 * the EPUB's typography).
 */
void epub_nbsp(const char *s, size_t n, bool *nb)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t wa = 0, wz = (size_t)-1; /* the last word found after a space: [wa, wz) */
	for (size_t i = 0; i < n; i++) {
		if (u[i] != ' ')
			continue;
		size_t a = i, z = i + 1;
		if (wz == i) {
			a = wa;
		} else {
			while (a > 0 && !is_gap(u[a - 1]))
				a--;
		}
		while (z < n && !is_gap(u[z]))
			z++;
		wa = i + 1, wz = z;
		if (a == i || z == i + 1)
			continue; /* no word on one side */
		size_t plen = i - a, nlen = z - (i + 1);
		const unsigned char *prev = strip_open(u + a, &plen), *next = u + i + 1;
		if (plen == 0)
			continue;

		/* "Mr Smith", "St Albans": only before a capital, so "st"
		 * in running text or "Dr" ending a sentence is left alone. */
		if (capital(next[0]) && word_in(prev, plen, honorifics)) {
			nb[i] = true;
			continue;
		}
		/* "p. 12", "pp. 12–18", "No. 5" */
		if (digit(next[0]) && word_in(prev, plen, references)) {
			nb[i] = true;
			continue;
		}
		/* A spaced dash binds to the word before it: a line may end
		 * with "word –" but never begin with "–". */
		if (nlen == 3 && next[0] == 0xE2 && next[1] == 0x80 &&
		    (next[2] == 0x93 || next[2] == 0x94)) {
			nb[i] = true;
			continue;
		}
		if (!digit(prev[plen - 1]))
			continue;
		/* "10 per cent": both spaces, so "per cent" stays whole. */
		if (nlen == 3 && !memcmp(next, "per", 3) && z + 5 <= n && u[z] == ' ' &&
		    !memcmp(u + z + 1, "cent", 4) && (z + 5 == n || !is_alnum(u[z + 5]))) {
			nb[i] = nb[z] = true;
			continue;
		}
		/* "10 km", "9 am" */
		if (prefix_in(next, nlen, units))
			nb[i] = true;
	}
}

void epub_nbsp_collapse(const char *s, size_t n, bool *nb)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i + 1 < n; i++) {
		if (u[i] != 0xC2 || u[i + 1] != 0xA0)
			continue;
		if ((i > 0 && u[i - 1] == ' ') || (i + 2 < n && u[i + 2] == ' '))
			nb[i] = true;
	}
}

/* ===== XML text ====================================================== */

void epub_add_str(struct strbuf *sb, const char *s)
{
	if (s)
		sb_add_xml(sb, s, strlen(s));
}

/* ===== writing text: no-break spaces, long runs, titles ================ */

/* sb_add_xml with a no-break space for each space nb marks, and without
 * each no-break space it marks (epub_nbsp_collapse); nb NULL: none. */
static void add_nb_run(struct strbuf *sb, const char *s, size_t n, const bool *nb)
{
	size_t run = 0;
	for (size_t i = 0; nb && i < n; i++) {
		if (!nb[i])
			continue;
		sb_add_xml(sb, s + run, i - run);
		if (s[i] == ' ') {
			sb_adds(sb, NBSP);
			run = i + 1;
		} else { /* the first byte of a no-break space to leave out */
			run = i + 2 <= n ? i + 2 : n;
			i = run - 1;
		}
	}
	sb_add_xml(sb, s + run, n - run);
}

/* libxml2, which many reading systems parse with, refuses a text node of
 * more than 10,000,000 bytes unless told otherwise; a longer run of text
 * is cut every megabyte by an empty <wbr/> (a line may break there
 * anyway: it goes after a space where there is one near). */
#define TEXT_NODE_MAX ((size_t)1 << 20)

void epub_add_nb_text(struct strbuf *sb, const char *s, size_t n, const bool *nb)
{
	while (n > TEXT_NODE_MAX) {
		size_t cut = TEXT_NODE_MAX, k = cut;
		while (k < n && k < cut + 4096 && s[k - 1] != ' ')
			k++;
		if (s[k - 1] == ' ')
			cut = k;
		else
			while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
				cut++;
		add_nb_run(sb, s, cut, nb);
		sb_adds(sb, "<wbr/>");
		s += cut;
		n -= cut;
		if (nb)
			nb += cut;
	}
	add_nb_run(sb, s, n, nb);
}

void epub_add_prose(struct strbuf *sb, const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	bool *nb = xcalloc(n + 1, sizeof(*nb));
	epub_nbsp(s, n, nb);
	epub_nbsp_collapse(s, n, nb);
	epub_add_nb_text(sb, s, n, nb);
	free(nb);
}

const char *epub_part_title(const struct bk_part *p)
{
	return p->title && *p->title ? p->title : "Untitled";
}
