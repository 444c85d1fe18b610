/*
 * html.c - the HTML tokenizer (html.h): tags, text, comments and
 * character references, after the WHATWG tokenizer's states but only as
 * far as Markdown's raw HTML needs. No tree is built here.
 */
#include "html.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void html_lexer_init(struct html_lexer *lx, const char *s, size_t len)
{
	lx->s = s;
	lx->len = len;
	lx->pos = 0;
}

/* Where the tag opened at s[at] ('<' then a letter, or "</" then one)
 * ends, one past its '>', skipping quoted attribute values; 0 when it
 * never closes. */
static size_t tag_end(const char *s, size_t len, size_t at)
{
	char quote = 0;
	for (size_t i = at + 1; i < len; i++) {
		if (quote) {
			if (s[i] == quote)
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			/* a quote opens a value only after '=' */
			size_t j = i;
			while (j > at && isspace((unsigned char)s[j - 1]))
				j--;
			if (s[j - 1] == '=')
				quote = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		} else if (s[i] == '<') {
			return 0; /* "<a <b>": the first is text */
		}
	}
	return 0;
}

/* The token at s[at] that starts with '<', into t; false when the '<' is
 * text. */
static bool markup(const char *s, size_t len, size_t at, struct html_tok *t)
{
	const char *p = s + at;
	size_t left = len - at;
	if (left >= 4 && !memcmp(p, "<!--", 4)) {
		const char *end = NULL;
		for (size_t i = 4; i + 3 <= left && !end; i++)
			if (!memcmp(p + i, "-->", 3))
				end = p + i + 3;
		t->kind = HTML_COMMENT;
		t->len = end ? (size_t)(end - p) : left; /* unclosed: to the end */
		return true;
	}
	if (left >= 2 && (p[1] == '!' || p[1] == '?')) {
		const char *gt = memchr(p, '>', left);
		t->kind = HTML_OTHER;
		t->len = gt ? (size_t)(gt - p) + 1 : left;
		return true;
	}
	bool end = left >= 2 && p[1] == '/';
	size_t n0 = 1 + end;
	if (left <= n0 || !isalpha((unsigned char)p[n0]))
		return false;
	size_t stop = tag_end(s, len, at);
	if (!stop)
		return false;
	size_t k = n0;
	while (at + k < stop && (isalnum((unsigned char)p[k]) || p[k] == '-' || p[k] == ':'))
		k++;
	char c = p[k];
	if (!(isspace((unsigned char)c) || c == '>' || c == '/'))
		return false;
	t->kind = end ? HTML_END : HTML_START;
	t->len = stop - at;
	size_t nl = k - n0;
	if (nl < sizeof(t->name)) {
		for (size_t i = 0; i < nl; i++)
			t->name[i] = (char)tolower((unsigned char)p[n0 + i]);
		t->name[nl] = 0;
	}
	t->attrs = p + k;
	t->attrs_len = t->len - k - 1;
	t->self_closing = t->attrs_len && t->attrs[t->attrs_len - 1] == '/';
	if (t->self_closing)
		t->attrs_len--;
	return true;
}

bool html_next(struct html_lexer *lx, struct html_tok *t)
{
	if (lx->pos >= lx->len)
		return false;
	memset(t, 0, sizeof(*t));
	t->p = lx->s + lx->pos;
	t->off = lx->pos;
	if (lx->s[lx->pos] == '<' && markup(lx->s, lx->len, lx->pos, t)) {
		lx->pos += t->len;
		return true;
	}
	/* Text up to the next '<' that opens markup (a stray '<' is text). */
	size_t i = lx->pos + 1;
	struct html_tok probe;
	for (;;) {
		const char *lt = memchr(lx->s + i, '<', lx->len - i);
		if (!lt) {
			i = lx->len;
			break;
		}
		i = (size_t)(lt - lx->s);
		memset(&probe, 0, sizeof(probe));
		if (markup(lx->s, lx->len, i, &probe))
			break;
		i++;
	}
	t->kind = HTML_TEXT;
	t->len = i - lx->pos;
	lx->pos = i;
	return true;
}

/* ===== character references ============================================ */

/* The named references that READMEs and docs use; HTML has 2,231, and a
 * name not here stays as written (with a warning from the caller's
 * reader it would be noise: browsers do the same for unknown names). */
static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'},	     {"lt", '<'},	  {"gt", '>'},	       {"quot", '"'},
	{"apos", '\''},	     {"nbsp", 0xA0},	  {"ensp", 0x2002},    {"emsp", 0x2003},
	{"thinsp", 0x2009},  {"zwnj", 0x200C},	  {"zwj", 0x200D},     {"shy", 0xAD},
	{"ndash", 0x2013},   {"mdash", 0x2014},	  {"lsquo", 0x2018},   {"rsquo", 0x2019},
	{"sbquo", 0x201A},   {"ldquo", 0x201C},	  {"rdquo", 0x201D},   {"bdquo", 0x201E},
	{"laquo", 0xAB},     {"raquo", 0xBB},	  {"lsaquo", 0x2039},  {"rsaquo", 0x203A},
	{"hellip", 0x2026},  {"bull", 0x2022},	  {"middot", 0xB7},    {"copy", 0xA9},
	{"reg", 0xAE},	     {"trade", 0x2122},	  {"deg", 0xB0},       {"plusmn", 0xB1},
	{"times", 0xD7},     {"divide", 0xF7},	  {"minus", 0x2212},   {"le", 0x2264},
	{"ge", 0x2265},	     {"ne", 0x2260},	  {"asymp", 0x2248},   {"infin", 0x221E},
	{"larr", 0x2190},    {"rarr", 0x2192},	  {"uarr", 0x2191},    {"darr", 0x2193},
	{"harr", 0x2194},    {"rArr", 0x21D2},	  {"lArr", 0x21D0},    {"hArr", 0x21D4},
	{"sect", 0xA7},	     {"para", 0xB6},	  {"dagger", 0x2020},  {"Dagger", 0x2021},
	{"prime", 0x2032},   {"Prime", 0x2033},	  {"euro", 0x20AC},    {"pound", 0xA3},
	{"yen", 0xA5},	     {"cent", 0xA2},	  {"curren", 0xA4},    {"frac12", 0xBD},
	{"frac14", 0xBC},    {"frac34", 0xBE},	  {"sup1", 0xB9},      {"sup2", 0xB2},
	{"sup3", 0xB3},	     {"micro", 0xB5},	  {"iexcl", 0xA1},     {"iquest", 0xBF},
	{"ordf", 0xAA},	     {"ordm", 0xBA},	  {"not", 0xAC},       {"macr", 0xAF},
	{"acute", 0xB4},     {"cedil", 0xB8},	  {"uml", 0xA8},       {"check", 0x2713},
	{"szlig", 0xDF},     {"eacute", 0xE9},	  {"Eacute", 0xC9},    {"egrave", 0xE8},
	{"agrave", 0xE0},    {"aacute", 0xE1},	  {"ecirc", 0xEA},     {"ouml", 0xF6},
	{"uuml", 0xFC},	     {"auml", 0xE4},	  {"Ouml", 0xD6},      {"Uuml", 0xDC},
	{"Auml", 0xC4},	     {"ccedil", 0xE7},	  {"ntilde", 0xF1},    {"oacute", 0xF3},
	{"iacute", 0xED},    {"uacute", 0xFA},	  {"alpha", 0x3B1},    {"beta", 0x3B2},
	{"gamma", 0x3B3},    {"delta", 0x3B4},	  {"lambda", 0x3BB},   {"mu", 0x3BC},
	{"pi", 0x3C0},	     {"sigma", 0x3C3},	  {"Delta", 0x394},    {"Sigma", 0x3A3},
	{"Omega", 0x3A9},    {"omega", 0x3C9},	  {"nbhy", 0x2011},    {"vert", '|'},
	{"lowbar", '_'},     {"ast", '*'},	  {"grave", '`'},      {"lpar", '('},
	{"rpar", ')'},	     {"lsqb", '['},	  {"rsqb", ']'},       {"lcub", '{'},
	{"rcub", '}'},	     {"num", '#'},	  {"dollar", '$'},     {"percnt", '%'},
	{"excl", '!'},	     {"colon", ':'},	  {"semi", ';'},       {"equals", '='},
	{"comma", ','},	     {"period", '.'},	  {"sol", '/'},	       {"bsol", '\\'},
	{"hyphen", 0x2010},  {"tilde", 0x2DC},	  {"circ", 0x2C6},     {"star", 0x2606},
};

/* The code point of the reference at s ('&', n bytes available) and its
 * length; 0 when it is not one. */
static size_t reference(const char *s, size_t n, uint32_t *cp)
{
	size_t semi = 1;
	while (semi < n && semi < 40 && s[semi] != ';')
		semi++;
	if (semi >= n || s[semi] != ';' || semi < 2)
		return 0;
	if (s[1] == '#') {
		bool hex = semi > 2 && (s[2] == 'x' || s[2] == 'X');
		size_t i = 2 + hex;
		uint32_t v = 0;
		if (i == semi)
			return 0;
		for (; i < semi; i++) {
			int c = (unsigned char)s[i], d;
			if (isdigit(c))
				d = c - '0';
			else if (hex && isxdigit(c))
				d = tolower(c) - 'a' + 10;
			else
				return 0;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
			if (v > 0x10FFFF)
				v = 0x110000; /* saturate: too large */
		}
		/* NUL, surrogates and beyond Unicode read as U+FFFD, as in HTML */
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		*cp = v;
		return semi + 1;
	}
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
		if (strlen(entities[k].name) == semi - 1 && !memcmp(entities[k].name, s + 1, semi - 1)) {
			*cp = entities[k].cp;
			return semi + 1;
		}
	return 0;
}

void html_decode(struct strbuf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t upto = amp ? (size_t)(amp - s) : n;
		sb_add(out, s + i, upto - i);
		i = upto;
		if (i >= n)
			break;
		uint32_t cp;
		size_t k = reference(s + i, n - i, &cp);
		if (k) {
			char buf[4];
			sb_add(out, buf, (size_t)utf8_encode(cp, buf));
			i += k;
		} else {
			sb_addc(out, '&');
			i++;
		}
	}
}

bool html_attr(const struct html_tok *t, const char *name, struct strbuf *out)
{
	if (t->kind != HTML_START)
		return false;
	const char *p = t->attrs, *end = t->attrs + t->attrs_len;
	size_t want = strlen(name);
	while (p < end) {
		while (p < end && (isspace((unsigned char)*p) || *p == '/'))
			p++;
		const char *n0 = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '/')
			p++;
		size_t nl = (size_t)(p - n0);
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *v = p, *v_end = p;
		if (p < end && *p == '=') {
			p++;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
				v = p + 1;
				v_end = q ? q : end;
				p = q ? q + 1 : end;
			} else {
				v = p;
				while (p < end && !isspace((unsigned char)*p))
					p++;
				v_end = p;
			}
		}
		if (!nl) {
			if (p == n0)
				p++; /* a lone '=': step over it */
			continue;
		}
		if (nl == want && !strncasecmp(n0, name, nl)) {
			sb_reset(out);
			html_decode(out, v, (size_t)(v_end - v));
			return true;
		}
	}
	return false;
}
