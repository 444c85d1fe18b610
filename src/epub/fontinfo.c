/*
 * fontinfo.c - what the EPUB needs to know about its fonts without a font
 * library (only the text stage talks to HarfBuzz): which OpenType layout
 * features the stylesheet asks for, whether a font file has one, and the
 * licence that goes beside it.
 */
#define _POSIX_C_SOURCE 200809L
#include "epub-int.h"

#include <ctype.h>
#include <string.h>
#include <sys/stat.h>

/* ===== the stylesheet's features ======================================= */

/* CSS font-variant-* keywords (CSS Fonts 3) and the features they turn on. */
static const struct {
	const char *keyword, *tags;
} variants[] = {
    {"all-small-caps", "smcp c2sc"},
    {"small-caps", "smcp"},
    {"all-petite-caps", "pcap c2pc"},
    {"petite-caps", "pcap"},
    {"titling-caps", "titl"},
    {"unicase", "unic"},
    {"oldstyle-nums", "onum"},
    {"lining-nums", "lnum"},
    {"tabular-nums", "tnum"},
    {"proportional-nums", "pnum"},
    {"diagonal-fractions", "frac"},
    {"stacked-fractions", "afrc"},
    {"ordinal", "ordn"},
    {"slashed-zero", "zero"},
    {"discretionary-ligatures", "dlig"},
    {"historical-ligatures", "hlig"},
    {"contextual", "calt"},
    {"super", "sups"},
    {"sub", "subs"},
};

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Whether the word w stands in css at p, not as part of a longer one. */
static bool word_at(const char *css, size_t n, size_t p, const char *w)
{
	if (css[p] != w[0])
		return false;
	size_t k = strlen(w);
	return p + k <= n && !memcmp(css + p, w, k) && (p == 0 || !word_char(css[p - 1])) &&
	       (p + k == n || !word_char(css[p + k]));
}

bool epub_css_names(const char *css, size_t n, const char *w)
{
	for (size_t p = 0; css && p < n; p++)
		if (word_at(css, n, p, w))
			return true;
	return false;
}

static void add_tag(struct strbuf *sb, const char *tag, size_t n)
{
	if (n != 4)
		return;
	for (size_t i = 0; i < 4; i++)
		if ((unsigned char)tag[i] < 0x20 || (unsigned char)tag[i] > 0x7E || tag[i] == '"' ||
		    tag[i] == '\'')
			return;
	/* Each once: the list is a cache key too. */
	for (size_t i = 0; i + 4 <= sb->len; i += 5)
		if (!memcmp(sb->buf + i, tag, 4))
			return;
	if (sb->len)
		sb_addc(sb, ' ');
	sb_add(sb, tag, 4);
}

const char *epub_css_features(struct epub *e, const char *css, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	/* The letters a keyword starts with: most words start none. */
	bool first[256] = {false};
	first['f'] = true; /* font-feature-settings */
	for (size_t k = 0; k < ARRAY_LEN(variants); k++)
		first[(unsigned char)variants[k].keyword[0]] = true;
	for (size_t p = 0; css && p < n; p++) {
		/* Only a word's start can begin one (word_at): the rest of the
		 * stylesheet is passed over at a test a byte. */
		if (!first[(unsigned char)css[p]] || (p > 0 && word_char(css[p - 1])))
			continue;
		/* font-feature-settings: "smcp", "onum" 1 */
		if (word_at(css, n, p, "font-feature-settings")) {
			size_t q = p;
			while (q < n && css[q] != ';' && css[q] != '}') {
				if (css[q] == '"' || css[q] == '\'') {
					size_t z = q + 1;
					while (z < n && css[z] != css[q] && css[z] != ';')
						z++;
					add_tag(&sb, css + q + 1, z - q - 1);
					q = z;
				}
				q++;
			}
			continue;
		}
		for (size_t k = 0; k < ARRAY_LEN(variants); k++) {
			if (css[p] != variants[k].keyword[0] ||
			    !word_at(css, n, p, variants[k].keyword))
				continue;
			for (const char *t = variants[k].tags; *t; t += t[4] ? 5 : 4)
				add_tag(&sb, t, 4);
			break;
		}
	}
	const char *r = ar_strndup(&e->arena, sb.buf ? sb.buf : "", sb.len);
	sb_release(&sb);
	return r;
}

/* ===== a font's features =============================================== */

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       p[3];
}

bool epub_font_has_feature(const char *data, size_t len, const char *tag)
{
	const unsigned char *d = (const unsigned char *)data;
	if (!d || len < 12)
		return false;
	unsigned ntables = be16(d + 4);
	for (unsigned i = 0; i < ntables && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const unsigned char *rec = d + 12 + 16 * i;
		if (memcmp(rec, "GSUB", 4))
			continue;
		unsigned long off = be32(rec + 8), tlen = be32(rec + 12);
		if (off > len || tlen > len - off || tlen < 10)
			return false;
		const unsigned char *t = d + off;
		unsigned long fl = be16(t + 6); /* the FeatureList */
		if (fl + 2 > tlen)
			return false;
		unsigned nf = be16(t + fl);
		for (unsigned k = 0; k < nf && fl + 2 + 6 * (unsigned long)(k + 1) <= tlen; k++)
			if (!memcmp(t + fl + 2 + 6 * k, tag, 4))
				return true;
		return false;
	}
	return false;
}

/* ===== licences ======================================================== */

const char *epub_font_licence(struct epub *e, const char *font_path)
{
	const char *slash = strrchr(font_path, '/');
	size_t dirlen = slash ? (size_t)(slash - font_path) + 1 : 0;
	const char *base = font_path + dirlen;
	/* "OFL-NotoSansMono.txt" for NotoSansMono-Regular.ttf: the family's
	 * own, when fonts of several families share a folder; then the
	 * folder's. */
	size_t fam = strcspn(base, "-.");
	char *cand[6];
	int nc = 0;
	cand[nc++] = ar_printf(&e->arena, "%.*sOFL-%.*s.txt", (int)dirlen, font_path, (int)fam,
			       base);
	cand[nc++] = ar_printf(&e->arena, "%.*sLICENSE-%.*s.txt", (int)dirlen, font_path,
			       (int)fam, base);
	cand[nc++] = ar_printf(&e->arena, "%.*sOFL.txt", (int)dirlen, font_path);
	cand[nc++] = ar_printf(&e->arena, "%.*sLICENSE.txt", (int)dirlen, font_path);
	cand[nc++] = ar_printf(&e->arena, "%.*sLICENSE", (int)dirlen, font_path);
	cand[nc++] = ar_printf(&e->arena, "%.*sCOPYING", (int)dirlen, font_path);
	for (int i = 0; i < nc; i++) {
		/* Not through a symbolic link: the folder was checked, not
		 * where a link in it may lead. */
		struct stat st;
		if (lstat(cand[i], &st) == 0 && S_ISREG(st.st_mode))
			return cand[i];
	}
	return NULL;
}
