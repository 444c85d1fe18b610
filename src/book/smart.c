/*
 * smart.c - smart punctuation for the strings that come from YAML (the
 * book's title, subtitle, creators, rights and description; each part's
 * title, subtitle, byline and role), so they print as the body does,
 * where cmark-gfm's CMARK_OPT_SMART has turned the quotes and dashes:
 * "--" an en dash, "---" an em dash, "..." an ellipsis, straight quotes
 * curly by what stands either side of them.
 *
 * The quotes follow cmark's idea of flanking: a quote with a space,
 * the start or an opening bracket or dash before it and a character after
 * it opens; any other closes. An opening single quote with no closing one
 * after it is an apostrophe ('90s, 'tis), as cmark leaves it.
 *
 * And the arrows typed in ASCII ("->", "<-", "<->", "=>") that the
 * style's 'body: arrows' turns into their signs in all the text, the
 * Markdown's and the YAML's alike (lang.c's pass over each paragraph
 * asks bk_arrow_at), never in code.
 */
#include "book-int.h"

#include <string.h>

#define LSQUO "\xE2\x80\x98"
#define RSQUO "\xE2\x80\x99"
#define LDQUO "\xE2\x80\x9C"
#define RDQUO "\xE2\x80\x9D"
#define NDASH "\xE2\x80\x93"
#define MDASH "\xE2\x80\x94"
#define HELLIP "\xE2\x80\xA6"

/* Whether an en or em dash ends right before byte i ("\u2014>" is no
 * arrow: cmark's "--->"). */
static bool long_dash_before(const char *str, size_t i)
{
	const unsigned char *s = (const unsigned char *)str;
	return i >= 3 && s[i - 3] == 0xE2 && s[i - 2] == 0x80 && (s[i - 1] == 0x93 || s[i - 1] == 0x94);
}

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether a quote at byte i may open: at the start, or after a space, an
 * opening bracket, an opening quote or a dash. */
static bool opens_after(const unsigned char *s, size_t i)
{
	if (i == 0)
		return true;
	unsigned char c = s[i - 1];
	if (is_blank(c) || c == '(' || c == '[' || c == '{' || c == '-' || c == '/')
		return true;
	/* U+00A0, or a curly opening quote, en or em dash before it */
	if (i >= 2 && s[i - 2] == 0xC2 && c == 0xA0)
		return true;
	if (i >= 3 && s[i - 3] == 0xE2 && s[i - 2] == 0x80 &&
	    (c == 0x98 || c == 0x9C || c == 0x93 || c == 0x94))
		return true;
	return false;
}

/* Whether a quote q at i closes a pair: something other than a space
 * before it, and no letter or digit right after it. */
static bool closes(const unsigned char *s, size_t n, size_t i)
{
	if (i == 0 || is_blank(s[i - 1]))
		return false;
	if (i + 1 < n) {
		unsigned char c = s[i + 1];
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c >= 0xC0)
			return false;
	}
	return true;
}

/* A run of k hyphens (k >= 2) as cmark-gfm sets it: all em dashes when
 * k is a multiple of 3, else all en dashes when even, else em dashes with
 * one or two en dashes at the end. */
static void dashes(struct strbuf *sb, size_t k)
{
	size_t em, en;
	if (k % 3 == 0)
		em = k / 3, en = 0;
	else if (k % 2 == 0)
		em = 0, en = k / 2;
	else if (k % 3 == 2)
		em = (k - 2) / 3, en = 1;
	else
		em = (k - 4) / 3, en = 2;
	while (em--)
		sb_adds(sb, MDASH);
	while (en--)
		sb_adds(sb, NDASH);
}

const char *bk_smarten(struct arena *a, const char *str)
{
	if (!str || !strpbrk(str, "'\"-."))
		return str;
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	struct strbuf sb = STRBUF_INIT;
	bool open_double = false;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c == '-' && i + 1 < n && s[i + 1] == '-') {
			size_t k = 0;
			while (i + k < n && s[i + k] == '-')
				k++;
			dashes(&sb, k);
			i += k;
		} else if (c == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.') {
			sb_adds(&sb, HELLIP);
			i += 3;
		} else if (c == '"') {
			/* Doubles alternate, as a title's quotations nest at
			 * most one deep. */
			bool open = opens_after(s, i) && i + 1 < n && !is_blank(s[i + 1]);
			if (open && !open_double) {
				sb_adds(&sb, LDQUO);
				open_double = true;
			} else {
				sb_adds(&sb, RDQUO);
				open_double = false;
			}
			i++;
		} else if (c == '\'') {
			bool open = opens_after(s, i) && i + 1 < n && !is_blank(s[i + 1]);
			if (open) {
				/* An opening quote needs a closing one later. */
				bool paired = false;
				for (size_t j = i + 1; j < n && !paired; j++)
					paired = s[j] == '\'' && closes(s, n, j);
				open = paired;
			}
			sb_adds(&sb, open ? LSQUO : RSQUO);
			i++;
		} else {
			sb_addc(&sb, (char)c);
			i++;
		}
	}
	const char *r = ar_strndup(a, sb.buf, sb.len);
	sb_release(&sb);
	return r;
}

/* ===== arrows ========================================================== */

static bool arrow_part(char ch)
{
	return ch == '<' || ch == '>' || ch == '=' || ch == '-' || ch == '!' || ch == '|';
}

size_t bk_arrow_at(const char *s, size_t n, size_t i, const char **sign)
{
	static const struct {
		const char *ascii, *sign;
	} arrows[] = {
		/* the longest first: "<->" is not "<-" and a ">" */
		{"<->", "\u2194"}, {"<\u2013>", "\u2194"}, {"<=>", "\u21D4"},
		{"->", "\u2192"},  {"\u2013>", "\u2192"},  {"<-", "\u2190"},
		{"<\u2013", "\u2190"}, {"=>", "\u21D2"},
	};
	if (i > 0 && (arrow_part(s[i - 1]) || long_dash_before(s, i)))
		return 0; /* "==>", "-->" as three hyphens, "<<-" */
	for (size_t k = 0; k < ARRAY_LEN(arrows); k++) {
		size_t m = strlen(arrows[k].ascii);
		if (i + m > n || memcmp(s + i, arrows[k].ascii, m))
			continue;
		if (i + m < n && arrow_part(s[i + m]))
			return 0; /* "->>", "<-<", "=>=" */
		*sign = arrows[k].sign;
		return m;
	}
	return 0;
}
