/*
 * shape.c - fonts and shaping with HarfBuzz, cached per word.
 */
#include "text-int.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hb.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Code points below this have their glyph cached per face (Latin,
 * Greek, Cyrillic, general punctuation). */
#define CMAP_CACHE 0x2100

struct face {
	const char *path;
	hb_blob_t *blob;
	hb_face_t *hbface;
	hb_font_t *font;
	unsigned upem;
	bool owned; /* false when it shares another face's objects */
	/* HarfBuzz's font functions cost some 200 instructions a call, and
	 * shaping asks each glyph's code point and advance four times. */
	uint32_t *cmap; /* [CMAP_CACHE]: glyph + 1, 0 unknown, UINT32_MAX none */
	int32_t *adv;   /* [nglyphs]: advance in font units, INT32_MIN unknown */
	unsigned nglyphs;
};

static bool nominal(const struct face *fc, uint32_t cp, hb_codepoint_t *g)
{
	if (cp >= CMAP_CACHE)
		return hb_font_get_nominal_glyph(fc->font, cp, g);
	uint32_t v = fc->cmap[cp];
	if (!v) {
		hb_codepoint_t gl;
		v = hb_font_get_nominal_glyph(fc->font, cp, &gl) ? (uint32_t)gl + 1 : UINT32_MAX;
		fc->cmap[cp] = v;
	}
	if (v == UINT32_MAX)
		return false;
	*g = v - 1;
	return true;
}

static hb_position_t advance(const struct face *fc, hb_codepoint_t g)
{
	if (g >= fc->nglyphs)
		return hb_font_get_glyph_h_advance(fc->font, g);
	if (fc->adv[g] == INT32_MIN)
		fc->adv[g] = hb_font_get_glyph_h_advance(fc->font, g);
	return fc->adv[g];
}

struct entry {
	uint64_t hash;
	enum tx_face face;
	const char *key;
	size_t len;
	struct tx_word *word; /* in the arena, so it never moves */
};

struct tx_fonts {
	struct face faces[TX_NFACES];
	struct arena arena;
	struct entry *table; /* open addressing, power-of-two size */
	size_t cap, used;
	hb_buffer_t *buf;
	hb_feature_t features[4];
	unsigned nfeatures;
	struct tx_stats stats;
	hb_language_t lang;
};

/* ===== loading ========================================================= */

struct mapping {
	void *p;
	size_t n;
};

static void unmap(void *arg)
{
	struct mapping *m = arg;
	munmap(m->p, m->n);
	free(m);
}

hb_blob_t *tx_blob_from_file(const char *path)
{
	struct stat st;
	int fd = open_checked(path, &st);
	if (fd < 0)
		return hb_blob_get_empty();
	hb_blob_t *blob = hb_blob_get_empty();
	size_t n = (size_t)st.st_size;
	if (st.st_size <= 0 || (uintmax_t)st.st_size > UINT_MAX)
		goto done;
	/* Mapped, as HarfBuzz would map it: a font's pages are resident
	 * only as far as they are read. */
	void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		struct mapping *m = xmalloc(sizeof(*m));
		*m = (struct mapping){p, n};
		blob = hb_blob_create(p, (unsigned)n, HB_MEMORY_MODE_READONLY, m, unmap);
	} else {
		size_t len;
		char *data = read_fd(fd, &len);
		if (data && len <= UINT_MAX)
			blob = hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_READONLY, data,
					      free);
		else
			free(data);
	}
done:
	close(fd);
	return blob;
}

static int load_face(struct face *fc, const char *path, struct diag *d)
{
	fc->path = path;
	fc->blob = tx_blob_from_file(path);
	if (hb_blob_get_length(fc->blob) == 0) {
		diag_error(d, path, 0, 0, "cannot read font file");
		return -1;
	}
	fc->hbface = hb_face_create(fc->blob, 0);
	fc->upem = hb_face_get_upem(fc->hbface);
	if (hb_face_get_glyph_count(fc->hbface) == 0 || fc->upem < 16) {
		diag_error(d, path, 0, 0, "not a TrueType or OpenType font");
		return -1;
	}
	fc->font = hb_font_create(fc->hbface);
	/* Shape in font units; we convert to 1/1000 em ourselves. */
	hb_font_set_scale(fc->font, (int)fc->upem, (int)fc->upem);
	fc->owned = true;
	fc->nglyphs = hb_face_get_glyph_count(fc->hbface);
	fc->cmap = xcalloc(CMAP_CACHE, sizeof(*fc->cmap));
	fc->adv = xmalloc(fc->nglyphs * sizeof(*fc->adv));
	for (unsigned g = 0; g < fc->nglyphs; g++)
		fc->adv[g] = INT32_MIN;
	return 0;
}

struct tx_fonts *tx_fonts_load(const struct bk_style *st, const char *language, struct diag *d)
{
	struct tx_fonts *f = xcalloc(1, sizeof(*f));
	ar_init(&f->arena);
	int bad = 0;
	for (int i = 0; i < 4; i++)
		bad |= load_face(&f->faces[i], st->font[i], d);
	if (st->font_mono)
		bad |= load_face(&f->faces[TX_MONO], st->font_mono, d);
	else
		f->faces[TX_MONO] = f->faces[TX_REGULAR], f->faces[TX_MONO].owned = false;
	if (bad) {
		tx_fonts_free(f);
		return NULL;
	}
	f->buf = hb_buffer_create();
	f->lang = hb_language_from_string(language ? language : "en", -1);
	/* Kerning always; standard ligatures when the style wants them.
	 * Contextual alternates are off: the PDF stage reaches glyphs
	 * through the cmap (tx_pdffont), and an alternate has no code point. */
	hb_feature_from_string("kern", -1, &f->features[f->nfeatures++]);
	hb_feature_from_string(st->ligatures ? "liga" : "-liga", -1, &f->features[f->nfeatures++]);
	hb_feature_from_string("-calt", -1, &f->features[f->nfeatures++]);
	hb_feature_from_string("-clig", -1, &f->features[f->nfeatures++]);
	f->cap = 1024;
	f->table = xcalloc(f->cap, sizeof(*f->table));
	return f;
}

void tx_fonts_free(struct tx_fonts *f)
{
	if (!f)
		return;
	for (int i = 0; i < TX_NFACES; i++) {
		struct face *fc = &f->faces[i];
		if (!fc->owned)
			continue;
		hb_font_destroy(fc->font);
		hb_face_destroy(fc->hbface);
		hb_blob_destroy(fc->blob);
		free(fc->cmap);
		free(fc->adv);
	}
	if (f->buf)
		hb_buffer_destroy(f->buf);
	free(f->table);
	ar_release(&f->arena);
	free(f);
}

const char *tx_font_path(const struct tx_fonts *f, enum tx_face face)
{
	return f->faces[face].path;
}

void tx_font_extents(const struct tx_fonts *f, enum tx_face face, double *asc, double *desc)
{
	hb_font_extents_t ext;
	const struct face *fc = &f->faces[face];
	hb_font_get_h_extents(fc->font, &ext);
	*asc = ext.ascender * 1000.0 / fc->upem;
	*desc = ext.descender * 1000.0 / fc->upem;
}

void tx_stats(const struct tx_fonts *f, struct tx_stats *out)
{
	*out = f->stats;
}

/* ===== shaping ========================================================= */

/* The advance the PDF's /W array holds for a glyph (text-int.h). */
int tx_glyph_advance(hb_font_t *font, unsigned upem, hb_codepoint_t gid)
{
	hb_position_t adv = hb_font_get_glyph_h_advance(font, gid);
	return (int)((long)adv * 1000 / (long)upem);
}

static int pdf_advance(const struct face *fc, hb_codepoint_t gid)
{
	return (int)((long)advance(fc, gid) * 1000 / (long)fc->upem);
}

hb_font_t *tx_hb_font(const struct tx_fonts *f, enum tx_face face)
{
	return f->faces[face].font;
}

/* The code point the PDF stage must be given to draw gid, for a cluster of
 * source text: the cluster's own character, or a ligature's. */
static uint32_t reachable(const struct face *fc, hb_codepoint_t gid, const char *s, size_t n)
{
	uint32_t cps[4];
	int k = 0;
	for (size_t i = 0; i < n && k < 4;) {
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cps[k]);
		if (m < 0)
			return 0;
		i += (size_t)m;
		k++;
	}
	hb_codepoint_t g;
	if (k == 1 && nominal(fc, cps[0], &g) && g == gid)
		return cps[0];
	static const struct {
		const char *seq;
		uint32_t cp;
	} ligs[] = {{"ff", 0xFB00}, {"fi", 0xFB01}, {"fl", 0xFB02}, {"ffi", 0xFB03}, {"ffl", 0xFB04}};
	/* The font's liga feature may form a ligature glyph of its own that
	 * is not the one its cmap gives U+FB0x (Charis SIL has both); the
	 * presentation form is used when it is as wide, which is what the
	 * breaker measured. */
	for (size_t i = 0; i < ARRAY_LEN(ligs); i++)
		if (strlen(ligs[i].seq) == n && !memcmp(ligs[i].seq, s, n) &&
		    nominal(fc, ligs[i].cp, &g) &&
		    (g == gid || advance(fc, g) ==
					 advance(fc, gid)))
			return ligs[i].cp;
	return 0;
}

static uint64_t hash_bytes(enum tx_face face, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)face;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/*
 * Shapes with the given features into w (pieces allocated from f's arena).
 * Returns false when a glyph cannot be reached through the cmap - a
 * ligature or alternate without a code point - so that the caller can
 * shape again without ligatures.
 */
static bool shape_into(struct tx_fonts *f, enum tx_face face, const char *text, size_t len,
		       const hb_feature_t *feats, unsigned nfeats, bool force, struct tx_word *w)
{
	const struct face *fc = &f->faces[face];
	hb_buffer_t *buf = f->buf;
	hb_buffer_clear_contents(buf);
	hb_buffer_add_utf8(buf, text, (int)len, 0, (int)len);
	hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
	hb_buffer_set_script(buf, HB_SCRIPT_LATIN);
	hb_buffer_set_language(buf, f->lang);
	hb_shape(fc->font, buf, feats, nfeats);
	unsigned n;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
	hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);

	struct strbuf sb = STRBUF_INIT;
	size_t *starts = NULL, cap = 0;
	double *xs = NULL;
	size_t xcap = 0, np = 0;
	double pen = 0;    /* our measure: PDF advances plus kerning */
	double expect = 0; /* where the PDF would put the next glyph of this piece */
	w->missing = 0;
	w->first_missing_at = 0;
	for (unsigned i = 0; i < n; i++) {
		size_t c0 = info[i].cluster;
		size_t c1 = i + 1 < n && info[i + 1].cluster > c0 ? info[i + 1].cluster : len;
		hb_codepoint_t gid = info[i].codepoint;
		uint32_t cp;
		/* Control characters have no place on a page: they take no glyph and no space. */
		if (utf8_decode((const unsigned char *)text + c0, len - c0, &cp) > 0 &&
		    (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD ||
		     (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
		     (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
		     (cp >= 0xFE00 && cp <= 0xFE0F)))
			continue; /* and default-ignorables: nothing to draw */
		if (gid == 0) {
			/* No glyph: never silent tofu. The caller warns; the page
			 * shows a question mark, measured as one. */
			if (utf8_decode((const unsigned char *)text + c0, len - c0, &cp) < 0)
				cp = 0xFFFD;
			if (!w->missing)
				w->first_missing_at = c0;
			bool seen = false;
			for (int k = 0; k < w->missing && k < 8; k++)
				seen |= w->missing_cp[k] == cp;
			if (!seen && w->missing < 8)
				w->missing_cp[w->missing++] = cp;
			else if (!seen)
				w->missing++;
			hb_codepoint_t q;
			if (nominal(fc, '?', &q))
				gid = q;
			cp = '?';
		} else if (!(cp = reachable(fc, gid, text + c0, c1 - c0))) {
			if (!force) {
				sb_release(&sb);
				free(starts);
				free(xs);
				return false;
			}
			/* Last resort: the cluster's first character. */
			if (utf8_decode((const unsigned char *)text + c0, len - c0, &cp) < 0)
				cp = 0xFFFD;
		}
		hb_codepoint_t chk;
		if (cp != '?' && cp < 0x10000 && !nominal(fc, cp, &chk)) {
			/* The PDF reaches glyphs only through the cmap: a
			 * character the cmap lacks is shown, and warned, as '?'. */
			if (!w->missing)
				w->first_missing_at = c0;
			if (w->missing < 8)
				w->missing_cp[w->missing] = cp;
			w->missing++;
			cp = '?';
			nominal(fc, '?', &gid);
		} else if (cp >= 0x10000) {
			cp = '?'; /* the PDF stage's glyph map is BMP only */
			nominal(fc, '?', &gid);
		}
		bool subst = info[i].codepoint == 0;
		double gx = pen + (subst ? 0 : pos[i].x_offset * 1000.0 / fc->upem);
		if (np == 0 || fabs(gx - expect) > 1e-9) {
			GROW(starts, cap, np + 1);
			GROW(xs, xcap, np + 1);
			starts[np] = sb.len;
			xs[np++] = gx;
		}
		char tmp[4];
		sb_add(&sb, tmp, (size_t)utf8_encode(cp, tmp));
		int adv = pdf_advance(fc, gid);
		double kern = subst ? 0
				    : (pos[i].x_advance - advance(fc, gid)) *
					      1000.0 / fc->upem;
		expect = gx + adv;
		pen += adv + kern;
	}
	char *all = ar_strndup(&f->arena, sb.buf, sb.len);
	w->width = pen;
	w->npieces = np;
	w->pieces = ar_alloc(&f->arena, (np ? np : 1) * sizeof(*w->pieces));
	for (size_t k = 0; k < np; k++) {
		size_t end = k + 1 < np ? starts[k + 1] : sb.len;
		w->pieces[k] = (struct tx_piece){all + starts[k], end - starts[k], xs[k]};
	}
	sb_release(&sb);
	free(starts);
	free(xs);
	return true;
}

static void rehash(struct tx_fonts *f)
{
	size_t ncap = f->cap * 2;
	struct entry *nt = xcalloc(ncap, sizeof(*nt));
	for (size_t i = 0; i < f->cap; i++) {
		if (!f->table[i].key)
			continue;
		size_t j = f->table[i].hash & (ncap - 1);
		while (nt[j].key)
			j = (j + 1) & (ncap - 1);
		nt[j] = f->table[i];
	}
	free(f->table);
	f->table = nt;
	f->cap = ncap;
}

const struct tx_word *tx_shape(struct tx_fonts *f, enum tx_face face, const char *text, size_t len)
{
	f->stats.lookups++;
	uint64_t h = hash_bytes(face, text, len);
	size_t i = h & (f->cap - 1);
	for (; f->table[i].key; i = (i + 1) & (f->cap - 1)) {
		struct entry *e = &f->table[i];
		if (e->hash == h && e->face == face && e->len == len && !memcmp(e->key, text, len))
			return e->word;
	}
	struct tx_word w = {0};
	if (!shape_into(f, face, text, len, f->features, f->nfeatures, false, &w)) {
		/* Fall back to kerning alone, then to nothing at all. */
		hb_feature_t plain[2];
		hb_feature_from_string("-liga", -1, &plain[0]);
		hb_feature_from_string("-calt", -1, &plain[1]);
		if (!shape_into(f, face, text, len, plain, 2, false, &w)) {
			hb_feature_t none[3];
			hb_feature_from_string("-kern", -1, &none[0]);
			none[1] = plain[0];
			none[2] = plain[1];
			shape_into(f, face, text, len, none, 3, true, &w);
		}
	}
	f->stats.shaped++;
	struct entry *e = &f->table[i];
	e->hash = h;
	e->face = face;
	e->key = ar_strndup(&f->arena, text, len);
	e->len = len;
	e->word = ar_memdup(&f->arena, &w, 1, sizeof(w));
	struct tx_word *result = e->word;
	if (++f->used * 2 > f->cap)
		rehash(f);
	return result;
}
