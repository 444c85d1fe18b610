/*
 * shape.c - fonts and shaping with HarfBuzz, cached per word.
 *
 * A word is cut into runs by font (a character the face lacks is set in
 * the first fallback font that has it) and, when it holds right-to-left
 * letters, by the embedding levels FriBidi gives it; each run is shaped
 * in its direction and the runs put in visual order (the rule L2 of the
 * Unicode Bidirectional Algorithm). Glyphs go to the PDF as HarfBuzz
 * chose them: one a character's own glyph in the cmap is written as that
 * character, any other (a ligature, a small capital, an old-style
 * figure, a contextual alternate) as TX_GLYPH_BASE + its glyph number,
 * with the text it stands for kept for the PDF's ToUnicode.
 */
#define _POSIX_C_SOURCE 200809L /* stat's st_mtim (tx_face_key) */
#include "text-int.h"
#include "../util/jobs.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fribidi.h>
#include <hb.h>
#include <hb-ot.h>
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
	const char **gtext; /* [nglyphs], made when first needed: the text a glyph
			     * reached by its number stands for (arena) */
	const char **galt;  /* [nglyphs], made when first needed: its other text,
			     * drawn as TX_ALIAS_BASE + gid (arena) */
	hb_variation_t vars[8]; /* a variable font's instance */
	unsigned nvars;
	bool smcp, c2sc, onum; /* features its GSUB has, once gsub_read */
	bool gsub_read;
	int8_t kerns;  /* tx_has_kerning: -1 not asked yet, else 0 or 1 */
	bool fixed;    /* a fallback font of fixed pitch (post's isFixedPitch) */
	uint8_t style; /* TX_SYNTH_* bits: a fallback's italic, bold, bold italic */
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

/* A glyph's text kept as a word was shaped (keep_text): the text at off
 * (n bytes) in the word's, the glyph gid of face, and the code it was
 * drawn by. */
struct keep {
	uint32_t off, n, gid, code;
	uint8_t face;
};

/* The pieces of a word as they are made, run by run. Its buffers are
 * the fonts' own (struct tx_fonts's b), kept from word to word. */
struct builder {
	struct strbuf sb;
	size_t *starts;
	double *xs;
	uint8_t *faces;
	size_t cap, np;
	double pen;    /* our measure: PDF advances plus kerning */
	double expect; /* where the PDF would put the next glyph of this piece */
	int face;      /* of the open piece */
	bool pure;     /* no glyph's text kept or read (keep_text, by number) */
	bool read;     /* a glyph's text read (by number) */
	struct keep *keeps; /* the texts kept, in order */
	size_t nkeeps, keeps_cap;
};

struct run;

/* A shape plan and what it was made for: a face, the buffer's direction,
 * script and language, and the features by tag, value and whether each
 * covers the whole text - HarfBuzz's own key for its plan cache
 * (hb_shape_plan_create_cached2), where a feature's range is applied
 * when the plan is executed, not when it is made. */
#define NPLANS 32
#define PLAN_FEATURES 64
struct plan {
	hb_shape_plan_t *plan;
	int face;
	hb_segment_properties_t props;
	unsigned nf;
	struct {
		hb_tag_t tag;
		uint32_t value;
		bool global;
	} feat[PLAN_FEATURES];
};

struct tx_fonts {
	struct face faces[TX_NFACES];
	struct arena arena;
	/* The shaped words of each face and set of features (TX_FEAT_*):
	 * key the text, value a struct tx_word; keys and words in the arena. */
	struct hmap words[TX_NFACES][TX_FEAT_SETS];
	hb_buffer_t *buf;
	size_t budget; /* operations buf may still be given (fresh_buffer) */
	struct plan plans[NPLANS]; /* HarfBuzz's shape plans, looked up here */
	unsigned nplans;
	struct builder b; /* shape_word's, its buffers kept */
	struct run *runs; /* runs_of's, kept */
	size_t runs_cap;
	hb_feature_t features[40];
	unsigned nfeatures;
	/* Code is set as typed: its words take only the first ncode of
	 * features (kerning, ligatures as the style says), never the
	 * figures, the acronyms' small capitals or the style's features. */
	unsigned ncode;
	bool code; /* the word being shaped is code (shape_word) */
	struct tx_stats stats;
	hb_language_t lang;
	int nfallback;
	/* var[k][TX_SYNTH_* bits]: the face that sets fallback font k in that
	 * weight and slant (var[k][0] the font itself), 0 where it has none. */
	int8_t var[TX_VARIANT - TX_FALLBACK][4];
	bool acronyms; /* small-caps: acronyms */
	/* The mono face's plain ASCII (plain.c), worked out when first
	 * needed; OCTAVO_NO_PLAIN in the environment shapes it all. */
	struct tx_plain plain;
	bool no_plain;
	/* The fallback face of a code point the face lacks: direct-mapped,
	 * key cp + 1 (0 empty), value the face or -1 for none. */
	struct {
		uint32_t key;
		int8_t face[TX_NFACES];
	} fbcache[1024];
	/* While a fork lives, the words it and its parent shaped that any
	 * shaping would make alike (struct builder's pure), for the other
	 * to take (tx_shape_features): one table per face and features.
	 * The parent's and the fork's, the fork's parent. */
	struct jobs_table *shared;
	struct tx_fonts *parent;
	/* A fork's (tx_fonts_fork): the glyph texts it kept, in the order
	 * it kept them, for tx_fonts_join to replay on its parent; and
	 * whether it read a glyph's text its parent may since have changed. */
	bool fork;
	bool unsure;
	struct kept {
		const char *text; /* in the fork's arena */
		size_t len;
		unsigned gid;
		uint32_t code;    /* what the fork drew it by */
		uint8_t face;
	} *kept;
	size_t nkept, kept_cap;
	/* The words the last build kept (tx_shapes_take), key the text,
	 * value a struct stored (arena): read only once taken, so that a
	 * fork looks them up too. */
	struct hmap stored[TX_NFACES][TX_FEAT_SETS];
	/* The words this build used that tx_shapes_give keeps, in the
	 * order first used, and how many of them were not taken from the
	 * last build's: a fork's join its parent's (tx_fonts_join). */
	struct stored *used;
	size_t nused, used_cap, fresh;
	bool keeping; /* tx_shapes_take has run: used is kept */
};

/* A shaped word as a build keeps it for the next: with the glyph texts
 * its shaping kept, which taking it keeps again (arena, all of it). */
struct stored {
	const char *key; /* the word's text */
	size_t len;
	const struct tx_word *w;
	const struct keep *keeps;
	uint32_t nkeeps;
	uint8_t face, feats;
};

/* ===== shape plans ===================================================== */

/*
 * hb_shape looks the plan up in HarfBuzz's cache on every call (some
 * 1,200 instructions a word, an eighth of a Latin word's shaping), and
 * makes a new one for every word whose features do not cover all its
 * text (an acronym's c2sc). Here each plan is looked up once per face,
 * segment properties and features, and executed directly.
 *
 * hb_shape_full gives the buffer an operation budget per call (1,024 a
 * character, at least 16,384: HB_BUFFER_MAX_OPS_FACTOR and _MIN) and
 * restores the default (HB_BUFFER_MAX_OPS_DEFAULT) after; executed
 * directly, a buffer spends from its default across calls. So a buffer
 * is replaced before the budget hb_shape_full would give this call
 * could run out: whatever hb_shape sets, the same is set here.
 */
#define OPS_DEFAULT ((size_t)0x1FFFFFFF)
#define OPS_PER_CHAR ((size_t)1024)
#define OPS_MIN ((size_t)16384)

/* f's buffer, replaced first when it may have spent too much of its
 * budget to shape n bytes of text. Borrowed. */
static hb_buffer_t *fresh_buffer(struct tx_fonts *f, size_t n)
{
	size_t need = n < OPS_DEFAULT / OPS_PER_CHAR ? n * OPS_PER_CHAR : OPS_DEFAULT;
	if (need < OPS_MIN)
		need = OPS_MIN;
	if (need > f->budget) {
		hb_buffer_destroy(f->buf);
		f->buf = hb_buffer_create();
		f->budget = OPS_DEFAULT;
	}
	f->budget -= need;
	return f->buf;
}

static bool feature_global(const hb_feature_t *ft)
{
	return ft->start == HB_FEATURE_GLOBAL_START && ft->end == HB_FEATURE_GLOBAL_END;
}

/* The plan for face fi, f's buffer's segment properties as set and
 * features feat[nf], as hb_shape_plan_create_cached2 makes it; kept in f
 * (borrowed). NULL when f keeps no more plans: the caller shapes with
 * hb_shape. */
static hb_shape_plan_t *plan_for(struct tx_fonts *f, int fi, const hb_feature_t *feat, unsigned nf)
{
	hb_segment_properties_t props;
	hb_buffer_get_segment_properties(f->buf, &props);
	for (unsigned i = 0; i < f->nplans; i++) {
		const struct plan *pl = &f->plans[i];
		if (pl->face != fi || pl->nf != nf ||
		    !hb_segment_properties_equal(&pl->props, &props))
			continue;
		unsigned k = 0;
		while (k < nf && pl->feat[k].tag == feat[k].tag &&
		       pl->feat[k].value == feat[k].value &&
		       pl->feat[k].global == feature_global(&feat[k]))
			k++;
		if (k == nf)
			return pl->plan;
	}
	if (f->nplans == NPLANS || nf > PLAN_FEATURES)
		return NULL;
	hb_font_t *font = f->faces[fi].font;
	unsigned ncoords = 0;
	const int *coords = hb_font_get_var_coords_normalized(font, &ncoords);
	struct plan *pl = &f->plans[f->nplans++];
	pl->plan = hb_shape_plan_create_cached2(hb_font_get_face(font), &props, feat, nf, coords,
						ncoords, NULL);
	pl->face = fi;
	pl->props = props;
	pl->nf = nf;
	for (unsigned k = 0; k < nf; k++) {
		pl->feat[k].tag = feat[k].tag;
		pl->feat[k].value = feat[k].value;
		pl->feat[k].global = feature_global(&feat[k]);
	}
	return pl->plan;
}

static void plans_release(struct tx_fonts *f)
{
	for (unsigned i = 0; i < f->nplans; i++)
		hb_shape_plan_destroy(f->plans[i].plan);
	f->nplans = 0;
}

static void scratch_release(struct tx_fonts *f);

/* ===== loading ========================================================= */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

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

/* Features of the face's GSUB (any script), as the style may ask for:
 * read when first needed. HarfBuzz makes the GSUB's accelerator to
 * answer (some 180 K instructions a face), which a build that shapes no
 * word (each kept from the last, tx_shapes_take) need not pay. */
static void gsub_features(struct face *fc)
{
	if (fc->gsub_read)
		return;
	fc->gsub_read = true;
	hb_tag_t tags[256];
	unsigned n = ARRAY_LEN(tags);
	hb_ot_layout_table_get_feature_tags(fc->hbface, HB_OT_TAG_GSUB, 0, &n, tags);
	for (unsigned i = 0; i < n; i++) {
		fc->smcp |= tags[i] == HB_TAG('s', 'm', 'c', 'p');
		fc->c2sc |= tags[i] == HB_TAG('c', '2', 's', 'c');
		fc->onum |= tags[i] == HB_TAG('o', 'n', 'u', 'm');
	}
}

/*
 * A variable font's instance for face i of the style: the axes the style
 * gives, opsz 'auto' (and by default) the body size; by default a bold
 * face's weight 700 and an italic face's ital 1 (or its slant's end), so
 * that one file gives all four faces; an italic face the style gives no
 * axes has its upright's. Nothing for a static font.
 */
static void instance(struct face *fc, const struct bk_style *st, int i)
{
	if (!hb_ot_var_has_data(fc->hbface))
		return;
	hb_ot_var_axis_info_t ax[16];
	unsigned nax = ARRAY_LEN(ax);
	hb_ot_var_get_axis_infos(fc->hbface, 0, &nax, ax);
	/* An italic face the style gives no axes takes its upright's. */
	int from = st->naxes[i] ? i : i == TX_ITALIC ? TX_REGULAR : i == TX_BOLD_ITALIC ? TX_BOLD : i;
	for (unsigned a = 0; a < nax && fc->nvars < ARRAY_LEN(fc->vars); a++) {
		double v = ax[a].default_value;
		bool set = false;
		for (int k = 0; k < st->naxes[from]; k++) {
			const struct bk_axis *b = &st->axes[from][k];
			if (hb_tag_from_string(b->tag, 4) != ax[a].tag)
				continue;
			v = b->automatic ? st->body_size : b->value;
			set = true;
		}
		if (!set) {
			if (ax[a].tag == HB_TAG('o', 'p', 's', 'z'))
				v = st->body_size;
			else if (ax[a].tag == HB_TAG('w', 'g', 'h', 't') && (i == TX_BOLD || i == TX_BOLD_ITALIC))
				v = 700;
			else if (ax[a].tag == HB_TAG('i', 't', 'a', 'l') && (i == TX_ITALIC || i == TX_BOLD_ITALIC))
				v = 1;
			else if (ax[a].tag == HB_TAG('s', 'l', 'n', 't') && (i == TX_ITALIC || i == TX_BOLD_ITALIC))
				v = fabs(ax[a].min_value) > fabs(ax[a].max_value) ? ax[a].min_value
										 : ax[a].max_value;
		}
		if (v < ax[a].min_value)
			v = ax[a].min_value;
		if (v > ax[a].max_value)
			v = ax[a].max_value;
		fc->vars[fc->nvars++] = (hb_variation_t){ax[a].tag, (float)v};
	}
	hb_font_set_variations(fc->font, fc->vars, fc->nvars);
}

/* The font file at path into fc; -1 when it is not one, reported in d
 * (when d is NULL, quietly: fc is left empty). */
static int load_face(struct face *fc, const char *path, struct diag *d)
{
	fc->path = path;
	fc->blob = tx_blob_from_file(path);
	if (hb_blob_get_length(fc->blob) == 0) {
		if (d)
			diag_error(d, path, 0, 0, "cannot read font file");
		return -1;
	}
	fc->hbface = hb_face_create(fc->blob, 0);
	fc->upem = hb_face_get_upem(fc->hbface);
	if (hb_face_get_glyph_count(fc->hbface) == 0 || fc->upem < 16) {
		if (d)
			diag_error(d, path, 0, 0, "not a TrueType or OpenType font");
		else {
			hb_face_destroy(fc->hbface);
			hb_blob_destroy(fc->blob);
			memset(fc, 0, sizeof(*fc));
		}
		return -1;
	}
	fc->font = hb_font_create(fc->hbface);
	/* Shape in font units; we convert to 1/1000 em ourselves. */
	hb_font_set_scale(fc->font, (int)fc->upem, (int)fc->upem);
	fc->owned = true;
	fc->nglyphs = hb_face_get_glyph_count(fc->hbface);
	fc->kerns = -1;
	fc->cmap = xcalloc(CMAP_CACHE, sizeof(*fc->cmap));
	fc->adv = xmalloc(fc->nglyphs * sizeof(*fc->adv));
	for (unsigned g = 0; g < fc->nglyphs; g++)
		fc->adv[g] = INT32_MIN;
	return 0;
}

/* Whether a face is a sans serif by its OS/2 table: IBM family class 8,
 * or a PANOSE Latin text face with a sans serif style (11 to 13, normal,
 * obtuse or perpendicular sans). A font that says neither is taken for a
 * serif. */
static bool sans_face(const struct face *fc)
{
	hb_blob_t *os2 = hb_face_reference_table(fc->hbface, HB_TAG('O', 'S', '/', '2'));
	unsigned n;
	const unsigned char *t = (const unsigned char *)hb_blob_get_data(os2, &n);
	bool sans = n >= 34 && (t[30] == 8 || (t[32] == 2 && t[33] >= 11 && t[33] <= 13));
	hb_blob_destroy(os2);
	return sans;
}

/* Whether a face is of fixed pitch, as its post table says (isFixedPitch):
 * a monospaced fallback sets code's characters before any other, and
 * prose's after every other. */
static bool fixed_face(const struct face *fc)
{
	hb_blob_t *post = hb_face_reference_table(fc->hbface, HB_TAG('p', 'o', 's', 't'));
	unsigned n;
	const unsigned char *t = (const unsigned char *)hb_blob_get_data(post, &n);
	bool fixed = n >= 16 && (t[12] | t[13] | t[14] | t[15]);
	hb_blob_destroy(post);
	return fixed;
}

/*
 * The italic, bold and bold italic (st->fallback_var) of each fallback font
 * of proportional pitch, loaded into the faces from TX_VARIANT on while
 * there is room (a file that is not a font is passed over); f->var says
 * which face sets which. Code's own face has no bold or italic, so a
 * monospaced fallback needs none. The faces left over are the regular.
 */
static void load_variants(struct tx_fonts *f, const struct bk_style *st)
{
	int next = TX_VARIANT;
	for (int k = 0; k < f->nfallback; k++) {
		struct face *fb = &f->faces[TX_FALLBACK + k];
		fb->fixed = fixed_face(fb);
		f->var[k][0] = (int8_t)(TX_FALLBACK + k);
		size_t i = 0; /* its place in the style's list (order_fallbacks) */
		while (i < st->nfallback && strcmp(st->fallback[i], fb->path))
			i++;
		if (fb->fixed || i == st->nfallback || !st->fallback_var)
			continue;
		static const uint8_t styles[3] = {TX_SYNTH_SLANT, TX_SYNTH_BOLD,
						  TX_SYNTH_BOLD | TX_SYNTH_SLANT};
		for (int v = 0; v < 3 && next < TX_NFACES; v++) {
			const char *p = st->fallback_var[i][v];
			if (!p || load_face(&f->faces[next], p, NULL) < 0)
				continue;
			instance(&f->faces[next], st, TX_REGULAR);
			f->faces[next].style = styles[v];
			f->var[k][styles[v]] = (int8_t)next++;
		}
	}
	for (; next < TX_NFACES; next++)
		f->faces[next] = f->faces[TX_REGULAR], f->faces[next].owned = false;
}

/* The system's fallback fonts (typestyle.c's, serif first) with the sans
 * first for a sans body, so that a symbol both have matches the text. */
static void order_fallbacks(struct tx_fonts *f)
{
	if (f->nfallback < 2 || !sans_face(&f->faces[TX_REGULAR]))
		return;
	struct face tmp[TX_NFACES - TX_FALLBACK];
	int n = 0;
	for (int pass = 1; pass >= 0; pass--)
		for (int k = 0; k < f->nfallback; k++)
			if (sans_face(&f->faces[TX_FALLBACK + k]) == (bool)pass)
				tmp[n++] = f->faces[TX_FALLBACK + k];
	memcpy(&f->faces[TX_FALLBACK], tmp, (size_t)n * sizeof(*tmp));
}

/* Whether faces a and b are one design: the same file at the same
 * instance (a static font, or a variable one without the axis between). */
static bool same_face(const struct face *a, const struct face *b)
{
	if (strcmp(a->path, b->path) || a->nvars != b->nvars)
		return false;
	for (unsigned i = 0; i < a->nvars; i++)
		if (a->vars[i].tag != b->vars[i].tag || a->vars[i].value != b->vars[i].value)
			return false;
	return true;
}

/* Said once for each face the style names that sets its words as a face
 * before it does (a family without an italic, the bold named for the bold
 * italic): its emphasis would print unmarked, and is never faked. */
static void say_same_faces(const struct tx_fonts *f, const struct bk_style *st, struct diag *d)
{
	static const char *const key[4] = {"regular", "italic", "bold", "bold-italic"};
	/* what[i][k]: how face i's words print when it is face k */
	static const char *const what[4][3] = {
	    {""},
	    {"italic words print upright"},
	    {"bold words print in the regular weight", "bold words print in the regular weight"},
	    {"bold italic words print upright in the regular weight",
	     "bold italic words print in the regular weight", "bold italic words print upright"}};
	for (int i = 1; i < 4; i++)
		for (int k = 0; k < i; k++)
			if (same_face(&f->faces[i], &f->faces[k])) {
				diag_warning(d, st->path, st->at_font[i].line, st->at_font[i].col,
					     "'fonts: %s' is the same face as 'fonts: %s': %s", key[i],
					     key[k], what[i][k]);
				diag_hint(d, "name the family's %s file, or for a variable font "
					     "its instance under 'axes:'",
					  i == 1 ? "italic" : i == 2 ? "bold" : "bold italic");
				break;
			}
}

struct tx_fonts *tx_fonts_load(const struct bk_style *st, const char *language, struct diag *d)
{
	struct tx_fonts *f = xcalloc(1, sizeof(*f));
	ar_init(&f->arena);
	sb_init(&f->b.sb);
	int bad = 0;
	for (int i = 0; i < 4; i++) {
		int r = load_face(&f->faces[i], st->font[i], d);
		if (!r)
			instance(&f->faces[i], st, i);
		bad |= r;
	}
	if (st->font_mono)
		bad |= load_face(&f->faces[TX_MONO], st->font_mono, d);
	else
		f->faces[TX_MONO] = f->faces[TX_REGULAR], f->faces[TX_MONO].owned = false;
	for (size_t k = 0; k < st->nfallback && k < TX_VARIANT - TX_FALLBACK; k++) {
		int r = load_face(&f->faces[TX_FALLBACK + k], st->fallback[k], d);
		if (!r)
			instance(&f->faces[TX_FALLBACK + k], st, TX_REGULAR);
		bad |= r;
		f->nfallback++;
	}
	for (int k = TX_FALLBACK + f->nfallback; k < TX_VARIANT; k++)
		f->faces[k] = f->faces[TX_REGULAR], f->faces[k].owned = false;
	if (bad) {
		tx_fonts_free(f);
		return NULL;
	}
	say_same_faces(f, st, d);
	if (st->fallback_default)
		order_fallbacks(f);
	load_variants(f, st);
	/* Said once: a font without the small capitals or figures the
	 * style asks for sets them as it is; they are never faked. */
	struct face *reg = &f->faces[TX_REGULAR];
	if (st->acronyms || st->figures == BK_FIGURES_OLD_STYLE)
		gsub_features(reg);
	if (st->acronyms && !reg->c2sc)
		diag_warning(d, st->path, st->at_small_caps.line, st->at_small_caps.col,
			     "font '%s' has no small capitals (c2sc): acronyms stay in full "
			     "capitals",
			     base_name(st->font[TX_REGULAR]));
	if (st->figures == BK_FIGURES_OLD_STYLE && !reg->onum)
		diag_warning(d, st->path, st->at_figures.line, st->at_figures.col,
			     "font '%s' has no old-style figures (onum): its own figures are used",
			     base_name(st->font[TX_REGULAR]));
	f->acronyms = st->acronyms && reg->c2sc;
	f->buf = hb_buffer_create();
	f->budget = OPS_DEFAULT;
	f->lang = hb_language_from_string(language ? language : "en", -1);
	f->no_plain = getenv("OCTAVO_NO_PLAIN") != NULL;
	/* Kerning always; standard ligatures when the style wants them;
	 * contextual alternates as the font has them; the figures and the
	 * features the style names. */
	hb_feature_from_string("kern", -1, &f->features[f->nfeatures++]);
	hb_feature_from_string(st->ligatures ? "liga" : "-liga", -1, &f->features[f->nfeatures++]);
	f->ncode = f->nfeatures;
	if (st->figures)
		hb_feature_from_string(st->figures == BK_FIGURES_OLD_STYLE ? "onum" : "lnum", -1,
				       &f->features[f->nfeatures++]);
	for (size_t i = 0; i < st->nfeatures && f->nfeatures < ARRAY_LEN(f->features) - 4; i++)
		if (hb_feature_from_string(st->features[i], -1, &f->features[f->nfeatures]))
			f->nfeatures++;
	return f;
}

static void fork_free(struct tx_fonts *f);

void tx_fonts_free(struct tx_fonts *f)
{
	if (!f)
		return;
	if (f->fork) {
		fork_free(f);
		return;
	}
	for (int i = 0; i < TX_NFACES; i++) {
		struct face *fc = &f->faces[i];
		/* Each face's own, a face that is another again included: it
		 * was copied before any was made. */
		free(fc->gtext);
		free(fc->galt);
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
	plans_release(f);
	scratch_release(f);
	for (int i = 0; i < TX_NFACES; i++)
		for (size_t k = 0; k < TX_FEAT_SETS; k++) {
			hmap_release(&f->words[i][k]);
			hmap_release(&f->stored[i][k]);
		}
	free(f->used);
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

const hb_variation_t *tx_variations(const struct tx_fonts *f, enum tx_face face, unsigned *n)
{
	*n = f->faces[face].nvars;
	return f->faces[face].vars;
}

const char *tx_glyph_text(const struct tx_fonts *f, enum tx_face face, unsigned gid)
{
	const struct face *fc = &f->faces[face];
	if (gid >= 0x10000)
		return fc->galt && gid - 0x10000 < fc->nglyphs ? fc->galt[gid - 0x10000] : NULL;
	return fc->gtext && gid < fc->nglyphs ? fc->gtext[gid] : NULL;
}

bool tx_same_font(const struct tx_fonts *f, enum tx_face a, enum tx_face b)
{
	const struct face *x = &f->faces[a], *y = &f->faces[b];
	return !strcmp(x->path, y->path) && x->nvars == y->nvars &&
	       !memcmp(x->vars, y->vars, x->nvars * sizeof(*x->vars));
}

/* Whether fc's GPOS lists a feature that moves glyphs apart or together
 * (kern, dist), in any script: its FeatureList's tags read from the
 * table's bytes, as sans_face reads OS/2's - HarfBuzz would build the
 * whole table's accelerator to answer (some 400 K instructions a face),
 * which a build that shapes no word (each kept from the last) would pay
 * for this alone. */
static bool gpos_kerns(const struct face *fc)
{
	hb_blob_t *gpos = hb_face_reference_table(fc->hbface, HB_TAG('G', 'P', 'O', 'S'));
	unsigned n;
	const unsigned char *t = (const unsigned char *)hb_blob_get_data(gpos, &n);
	bool k = false;
	size_t list = n >= 10 ? (size_t)(t[6] << 8 | t[7]) : n; /* FeatureList's offset */
	size_t count = list + 2 <= n ? (size_t)(t[list] << 8 | t[list + 1]) : 0;
	for (size_t i = 0; i < count && list + 2 + 6 * (i + 1) <= n && !k; i++) {
		const unsigned char *r = t + list + 2 + 6 * i; /* FeatureRecord: tag, offset */
		hb_tag_t tag = HB_TAG(r[0], r[1], r[2], r[3]);
		k = tag == HB_TAG('k', 'e', 'r', 'n') || tag == HB_TAG('d', 'i', 's', 't');
	}
	hb_blob_destroy(gpos);
	return k;
}

bool tx_has_kerning(struct tx_fonts *f, enum tx_face face)
{
	struct face *fc = &f->faces[face];
	if (fc->kerns < 0) {
		/* GPOS's, or the old kern table's, or AAT's kerx's. */
		bool k = gpos_kerns(fc);
		for (int i = 0; i < 2 && !k; i++) {
			hb_blob_t *kern = hb_face_reference_table(
			    fc->hbface, i ? HB_TAG('k', 'e', 'r', 'x') : HB_TAG('k', 'e', 'r', 'n'));
			k = hb_blob_get_length(kern) > 0;
			hb_blob_destroy(kern);
		}
		fc->kerns = k;
	}
	return fc->kerns > 0;
}

bool tx_has_small_caps(struct tx_fonts *f, enum tx_face face)
{
	gsub_features(&f->faces[face]);
	return f->faces[face].smcp;
}

/* The code point the PDF stage is given to draw gid, for a cluster of
 * source text: the cluster's own character when gid is its glyph in the
 * cmap, or a ligature's presentation form when that is the very glyph;
 * 0 for any other (reached by its number). */
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
	if (k == 1 && cps[0] < 0x10000 && nominal(fc, cps[0], &g) && g == gid)
		return cps[0];
	static const struct {
		const char *seq;
		uint32_t cp;
	} ligs[] = {{"ff", 0xFB00}, {"fi", 0xFB01}, {"fl", 0xFB02}, {"ffi", 0xFB03}, {"ffl", 0xFB04}};
	for (size_t i = 0; i < ARRAY_LEN(ligs); i++)
		if (strlen(ligs[i].seq) == n && !memcmp(ligs[i].seq, s, n) &&
		    nominal(fc, ligs[i].cp, &g) && g == gid)
			return ligs[i].cp;
	return 0;
}

/* Characters that take no glyph and no space. */
static bool invisible(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F);
}

/* Characters that go with the font of the one before: marks, joiners,
 * variation selectors. */
static bool follows(uint32_t cp)
{
	if (cp == 0x200C || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	    (cp >= 0xE0100 && cp <= 0xE01EF))
		return true;
	if (cp < 0x300)
		return false;
	hb_unicode_general_category_t gc =
	    hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
	return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
	       gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
	       gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK;
}

/* The weight and slant face is set in (TX_SYNTH_* bits): code's face
 * has neither (compose.c draws bold code emboldened, whatever its font). */
static unsigned style_of(enum tx_face face)
{
	return face == TX_BOLD ? TX_SYNTH_BOLD : face == TX_ITALIC ? TX_SYNTH_SLANT
		: face == TX_BOLD_ITALIC ? TX_SYNTH_BOLD | TX_SYNTH_SLANT : 0;
}

/* Whether cp is of a script with no italic of its own - Han, kana, Hangul
 * and Bopomofo, their punctuation and full-width forms - which an italic
 * word sets upright, as Chinese and Japanese typography does (a slanted
 * ideograph is a faux italic no CJK face draws). */
static bool never_slanted(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x2FDF) ||
	       (cp >= 0x3000 && cp <= 0x318F) || (cp >= 0x31A0 && cp <= 0x9FFF) ||
	       (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7FF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* What a piece in face pf of a word in face must be drawn with that pf
 * has not: a fallback font's upright in a bold or italic word; never a
 * slant on a piece (text, len) that begins in a script with no italic. */
static uint8_t synth_of(const struct tx_fonts *f, enum tx_face face, int pf, const char *text,
			size_t len)
{
	if (pf < TX_FALLBACK)
		return 0;
	uint8_t synth = (uint8_t)(style_of(face) & ~f->faces[pf].style);
	uint32_t cp;
	if ((synth & TX_SYNTH_SLANT) && text &&
	    utf8_decode((const unsigned char *)text, len, &cp) > 0 && never_slanted(cp))
		synth &= (uint8_t)~TX_SYNTH_SLANT;
	return synth;
}

/*
 * The fallback face that draws cp for face, or -1 when none has it: the
 * first font with it - for code a monospaced one before the others, for
 * prose the others first - in face's own weight and slant where that
 * font has them and the glyph (bold italic, else bold, else italic),
 * else its upright (synth_of makes up the rest).
 */
static int fallback_for(struct tx_fonts *f, enum tx_face face, uint32_t cp)
{
	static const uint8_t nearest[4][3] = {{0}, {1}, {2}, {3, 1, 2}};
	unsigned want = style_of(face);
	hb_codepoint_t g;
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < f->nfallback; k++) {
			const struct face *fb = &f->faces[TX_FALLBACK + k];
			if (fb->fixed != ((face == TX_MONO) == !pass) ||
			    !hb_font_get_nominal_glyph(fb->font, cp, &g))
				continue;
			for (int c = 0; c < 3 && nearest[want][c]; c++) {
				int v = f->var[k][nearest[want][c]];
				if (v && hb_font_get_nominal_glyph(f->faces[v].font, cp, &g))
					return v;
			}
			return TX_FALLBACK + k;
		}
	return -1;
}

/* The face that draws cp for face: face itself when it has the glyph,
 * else a fallback font's (fallback_for), else face (the glyph is
 * missing). A character of the face costs its cmap lookup (cached below
 * CMAP_CACHE); one it lacks is looked up in the fallbacks once. */
static int font_for(struct tx_fonts *f, enum tx_face face, uint32_t cp)
{
	hb_codepoint_t g;
	if (cp < CMAP_CACHE ? nominal(&f->faces[face], cp, &g)
			    : hb_font_get_nominal_glyph(f->faces[face].font, cp, &g))
		return face;
	if (!f->nfallback || invisible(cp))
		return face;
	size_t slot = (cp * 2654435761u) >> 22 & (ARRAY_LEN(f->fbcache) - 1);
	if (f->fbcache[slot].key != cp + 1) {
		f->fbcache[slot].key = cp + 1;
		memset(f->fbcache[slot].face, 0, sizeof(f->fbcache[slot].face));
	}
	int8_t *v = &f->fbcache[slot].face[face];
	if (!*v) {
		int fb = fallback_for(f, face, cp);
		*v = (int8_t)(fb < 0 ? -1 : fb + 1);
	}
	return *v > 0 ? *v - 1 : (int)face;
}

static void note_missing(struct tx_word *w, uint32_t cp, size_t at)
{
	/* the first in the text's order, which a right-to-left run's
	 * glyphs do not follow */
	if (!w->missing || at < w->first_missing_at)
		w->first_missing_at = at;
	bool seen = false;
	for (int k = 0; k < w->missing && k < 8; k++)
		seen |= w->missing_cp[k] == cp;
	if (!seen && w->missing < 8)
		w->missing_cp[w->missing++] = cp;
	else if (!seen)
		w->missing++;
}

/* keep_text's rule on a face's texts (gtext[nglyphs], *galt made when
 * first needed): s (n bytes) is kept as the glyph's text when it has
 * none (or only ""), else as its other text when it has none; *stored
 * gets the copy kept (from a, or s itself when a is NULL), or NULL when
 * nothing changed. Returns the code the glyph is drawn by for s. */
static uint32_t choose_text(const char **gtext, const char ***galt, unsigned nglyphs,
			    hb_codepoint_t gid, const char *s, size_t n, struct arena *a,
			    const char **stored)
{
	const char *t = gtext[gid];
	*stored = NULL;
	if (!t || (!t[0] && n)) {
		gtext[gid] = *stored = a ? ar_strndup(a, s, n) : s;
	} else if (n && (strlen(t) != n || memcmp(t, s, n))) {
		if (!*galt)
			*galt = xcalloc(nglyphs, sizeof(**galt));
		if (!(*galt)[gid])
			(*galt)[gid] = *stored = a ? ar_strndup(a, s, n) : s;
		if (strlen((*galt)[gid]) == n && !memcmp((*galt)[gid], s, n))
			return TX_ALIAS_BASE + gid;
	}
	return TX_GLYPH_BASE + gid;
}

/* The text glyph gid of fc stands for, kept the first time it is drawn by
 * its number: the cluster's text for the cluster's first glyph, "" for
 * the others (a character drawn as several glyphs). Returns the code to
 * draw it by: TX_GLYPH_BASE + gid, or TX_ALIAS_BASE + gid where it
 * stands for a second text (one small capital for 'S' and for 's'), so
 * that each use extracts as its own text. A third text is drawn as the
 * first (rare: none of the features octavo asks for gives one). A fork
 * logs each text it keeps (tx_fonts_join). */
static uint32_t keep_text(struct tx_fonts *f, struct face *fc, hb_codepoint_t gid,
			  const char *s, size_t n)
{
	if (gid >= fc->nglyphs)
		return TX_GLYPH_BASE + gid;
	if (!fc->gtext)
		fc->gtext = xcalloc(fc->nglyphs, sizeof(*fc->gtext));
	const char *stored;
	uint32_t code = choose_text(fc->gtext, &fc->galt, fc->nglyphs, gid, s, n, &f->arena,
				    &stored);
	if (f->fork && stored) {
		GROW(f->kept, f->kept_cap, f->nkept + 1);
		f->kept[f->nkept++] =
		    (struct kept){stored, n, gid, code, (uint8_t)(fc - f->faces)};
	}
	return code;
}

/*
 * The mark printed for a character no font has: a hollow box (U+25A1,
 * the tofu readers know) from the face, a fallback font, or the mono face
 * (Noto Sans Mono has one); else the face's replacement character
 * (U+FFFD); else '?'. Sets *gid and *code (the mark's own character, the
 * text it extracts as); returns the face that draws it.
 */
static int missing_mark(struct tx_fonts *f, int fi, hb_codepoint_t *gid, uint32_t *code)
{
	int cand[TX_NFACES], n = 0;
	cand[n++] = fi;
	for (int k = 0; k < f->nfallback; k++)
		cand[n++] = TX_FALLBACK + k;
	cand[n++] = TX_MONO;
	for (int i = 0; i < n; i++)
		if (f->faces[cand[i]].font && nominal(&f->faces[cand[i]], 0x25A1, gid)) {
			*code = 0x25A1;
			return cand[i];
		}
	*code = nominal(&f->faces[fi], 0xFFFD, gid) ? 0xFFFD : '?';
	if (*code == '?') {
		*gid = 0;
		nominal(&f->faces[fi], '?', gid);
	}
	return fi;
}

const char *tx_missing_mark(struct tx_fonts *f, enum tx_face face)
{
	hb_codepoint_t g;
	uint32_t code;
	missing_mark(f, (int)face, &g, &code);
	return code == 0x25A1 ? "a hollow box" : code == 0xFFFD ? "'\uFFFD'" : "'?'";
}

/* ===== operators closed up ============================================= */

/* Whether cp is a mathematical operator (Unicode's Sm: + < = > ± × ÷ −),
 * or one that pairs with one: the hyphen-minus ("->", "-="), the en dash
 * of "-->" as smart punctuation sets it ("–>"), the exclamation mark
 * ("!="). *sm says which. */
static bool operator_cp(uint32_t cp, bool *sm)
{
	bool pairs = cp == '-' || cp == '!' || cp == 0x2013;
	*sm = !pairs && (cp == '+' || cp == '<' || cp == '=' || cp == '>' ||
			 (cp >= 0x80 && hb_unicode_general_category(hb_unicode_funcs_get_default(), cp) ==
					    HB_UNICODE_GENERAL_CATEGORY_MATH_SYMBOL));
	return *sm || pairs;
}

/* Whether text[from, to) holds a letter or a digit. */
static bool has_alnum(const char *text, size_t from, size_t to)
{
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	for (size_t i = from; i < to;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)text + i, to - i, &cp);
		if (m < 0)
			return false;
		hb_unicode_general_category_t gc = hb_unicode_general_category(uf, cp);
		if (gc <= HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER &&
		    gc >= HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER)
			return true;
		if (gc == HB_UNICODE_GENERAL_CATEGORY_DECIMAL_NUMBER)
			return true;
		i += (size_t)m;
	}
	return false;
}

/* Closes the gap between glyphs i and i + 1 to a twelfth of an em of
 * ink to ink, where it is wider. */
static void close_pair(const struct face *fc, const hb_glyph_info_t *info,
		       hb_glyph_position_t *pos, unsigned i)
{
	hb_glyph_extents_t a, b;
	if (!hb_font_get_glyph_extents(fc->font, info[i].codepoint, &a) ||
	    !hb_font_get_glyph_extents(fc->font, info[i + 1].codepoint, &b) || !a.width || !b.width)
		return;
	hb_position_t gap = pos[i].x_advance - (pos[i].x_offset + a.x_bearing + a.width) +
			    pos[i + 1].x_offset + b.x_bearing;
	hb_position_t want = (hb_position_t)(fc->upem / 12);
	if (gap > want)
		pos[i].x_advance -= gap - want;
}

/* Trims glyph i's side bearing at a word's edge (its left one when left)
 * to a twelfth of an em, where it is wider. */
static void trim_edge(const struct face *fc, const hb_glyph_info_t *info,
		      hb_glyph_position_t *pos, unsigned i, bool left)
{
	hb_glyph_extents_t e;
	if (!hb_font_get_glyph_extents(fc->font, info[i].codepoint, &e) || !e.width)
		return;
	hb_position_t want = (hb_position_t)(fc->upem / 12);
	hb_position_t side = left ? pos[i].x_offset + e.x_bearing
				  : pos[i].x_advance - (pos[i].x_offset + e.x_bearing + e.width);
	if (side <= want)
		return;
	pos[i].x_advance -= side - want;
	if (left)
		pos[i].x_offset -= side - want;
}

/*
 * Operators set as one sign: a font that spaces + = < > for a formula
 * ("a + b", Charis SIL gives each a fifth of an em either side) sets
 * "C++" as "C+ +" and ">=" as "> =". Two operators side by side are
 * closed up; a run of them that ends or starts its word ("C++", "+44")
 * is closed up to what it follows or leads too, while one between two
 * letters ("1+1") keeps the font's spacing. A run at the word's edge
 * ("x >= y", "2 + 2") has its side bearing there trimmed: the space
 * beside it already sets it apart. Left to right runs of a proportional face
 * only: code's face keeps its grid. end: the run's end in the word's
 * text (len bytes).
 */
static void close_operators(const struct face *fc, const char *text, size_t len, size_t end,
			    const hb_glyph_info_t *info, hb_glyph_position_t *pos, unsigned n)
{
	bool any = false;
	for (unsigned i = 0; i < n && !any; i++) {
		unsigned char ch = (unsigned char)text[info[i].cluster];
		any = ch == '+' || ch == '<' || ch == '=' || ch == '>' || ch >= 0xC2;
	}
	if (!any)
		return;
	for (unsigned i = 0; i < n;) {
		uint32_t cp = 0;
		bool sm, sm_run = false;
		unsigned j = i;
		/* the run of operators from glyph i, one cluster a glyph */
		while (j < n && (j == i || info[j].cluster > info[j - 1].cluster) &&
		       utf8_decode((const unsigned char *)text + info[j].cluster,
				   len - info[j].cluster, &cp) > 0 &&
		       operator_cp(cp, &sm))
			sm_run |= sm, j++;
		if (j == i) {
			i++;
			continue;
		}
		if (sm_run && j - i >= 2)
			for (unsigned k = i; k + 1 < j; k++)
				close_pair(fc, info, pos, k);
		size_t r0 = info[i].cluster, r1 = j < n ? info[j].cluster : end;
		bool before = has_alnum(text, 0, r0), after = has_alnum(text, r1, len);
		if (sm_run && before != after) { /* "C++", "+44" */
			if (i > 0)
				close_pair(fc, info, pos, i - 1);
			if (j < n)
				close_pair(fc, info, pos, j - 1);
		}
		if (sm_run) { /* "C++ code", "x >= y", "2 + 2" */
			if (r0 == 0)
				trim_edge(fc, info, pos, i, true);
			if (r1 == len)
				trim_edge(fc, info, pos, j - 1, false);
		}
		i = j;
	}
}

/*
 * Shapes text[start, end) in face fi, direction rtl, with the features
 * (and the word's acronyms in c2sc when feats asks), adding its glyphs to
 * the pieces being built.
 */
static void shape_run(struct tx_fonts *f, int fi, const char *text, size_t len, size_t start,
		      size_t end, bool rtl, unsigned feats, struct builder *b, struct tx_word *w)
{
	struct face *fc = &f->faces[fi];
	hb_buffer_t *buf = fresh_buffer(f, end - start);
	hb_buffer_clear_contents(buf);
	hb_buffer_add_utf8(buf, text, (int)len, (unsigned)start, (int)(end - start));
	hb_buffer_guess_segment_properties(buf);
	hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
	hb_buffer_set_language(buf, f->lang);
	hb_feature_t feat[64];
	unsigned nf = f->code ? f->ncode : f->nfeatures;
	memcpy(feat, f->features, nf * sizeof(*feat));
	if (feats & TX_FEAT_SMCP)
		hb_feature_from_string("smcp", -1, &feat[nf++]);
	if (feats & TX_FEAT_C2SC)
		hb_feature_from_string("c2sc", -1, &feat[nf++]);
	if (f->acronyms && !f->code && !(feats & TX_FEAT_C2SC)) {
		/* Runs of three or more capitals in small capitals. */
		hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
		size_t run = 0, caps = 0;
		for (size_t i = start; i <= end && nf < ARRAY_LEN(feat);) {
			uint32_t cp = 0;
			int m = i < end ? utf8_decode((const unsigned char *)text + i, end - i, &cp) : 1;
			if (m < 0)
				m = 1, cp = 0;
			bool cap = i < end && hb_unicode_general_category(uf, cp) ==
						      HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER;
			if (cap && !caps++)
				run = i;
			if (!cap) {
				if (caps >= 3) {
					feat[nf] = (hb_feature_t){HB_TAG('c', '2', 's', 'c'), 1,
								  (unsigned)run, (unsigned)i};
					nf++;
				}
				caps = 0;
			}
			i += (size_t)m;
		}
	}
	hb_shape_plan_t *plan = plan_for(f, fi, feat, nf);
	if (plan)
		hb_shape_plan_execute(plan, fc->font, buf, feat, nf);
	else
		hb_shape(fc->font, buf, feat, nf);
	unsigned n;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
	hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
	if (!rtl && fi != TX_MONO)
		close_operators(fc, text, len, end, info, pos, n);
	for (unsigned i = 0; i < n; i++) {
		size_t c0 = info[i].cluster;
		/* The cluster's end: the next larger cluster value, which in a
		 * right-to-left run comes before it. */
		size_t c1 = end;
		if (!rtl) {
			for (unsigned k = i + 1; k < n; k++)
				if (info[k].cluster > c0) {
					c1 = info[k].cluster;
					break;
				}
		} else {
			for (unsigned k = i; k-- > 0;)
				if (info[k].cluster > c0) {
					c1 = info[k].cluster;
					break;
				}
		}
		bool first = rtl ? i + 1 == n || info[i + 1].cluster != c0
				 : i == 0 || info[i - 1].cluster != c0;
		hb_codepoint_t gid = info[i].codepoint;
		uint32_t cp;
		if (utf8_decode((const unsigned char *)text + c0, len - c0, &cp) > 0 && invisible(cp))
			continue; /* nothing to draw */
		bool subst = gid == 0;
		uint32_t code;
		int pfi = fi; /* the face that draws this glyph */
		bool by_number = gid == 0 &&
				 utf8_decode((const unsigned char *)text + c0, len - c0, &cp) > 0 &&
				 cp >= TX_GLYPH_BASE;
		/* The answer depends on what was kept before: a fork's may
		 * not be its parent's (tx_fonts_join). */
		f->unsure |= by_number && f->fork;
		b->pure &= !by_number;
		b->read |= by_number;
		if (by_number && tx_glyph_text(f, (enum tx_face)fi, cp - TX_GLYPH_BASE)) {
			/* A piece's own text shaped again (a contents entry
			 * measured): the glyph it names by number, a ligature
			 * say, not a character missing. */
			gid = (cp - TX_GLYPH_BASE) & 0xFFFF;
			code = cp;
		} else if (gid == 0) {
			/* No font has it: never silent, never the font's .notdef
			 * (PDF/UA forbids it). The caller warns; the page shows
			 * a hollow box, measured as one. */
			if (utf8_decode((const unsigned char *)text + c0, len - c0, &cp) < 0)
				cp = 0xFFFD;
			note_missing(w, cp, c0);
			pfi = missing_mark(f, fi, &gid, &code);
		} else if (!(code = reachable(fc, gid, text + c0, first ? c1 - c0 : 0))) {
			if (gid >= 0xFFFE) {
				note_missing(w, cp, c0);
				pfi = missing_mark(f, fi, &gid, &code);
			} else {
				code = keep_text(f, fc, gid, text + c0, first ? c1 - c0 : 0);
				b->pure = false;
				GROW(b->keeps, b->keeps_cap, b->nkeeps + 1);
				b->keeps[b->nkeeps++] =
				    (struct keep){(uint32_t)c0, first ? (uint32_t)(c1 - c0) : 0,
						  gid, code, (uint8_t)fi};
			}
		}
		double gx = b->pen + (subst ? 0 : pos[i].x_offset * 1000.0 / fc->upem);
		if (b->np == 0 || b->face != pfi || fabs(gx - b->expect) > 1e-9) {
			if (b->np + 1 > b->cap) {
				b->cap = b->cap ? 2 * b->cap : 4;
				b->starts = xrealloc(b->starts, b->cap * sizeof(*b->starts));
				b->xs = xrealloc(b->xs, b->cap * sizeof(*b->xs));
				b->faces = xrealloc(b->faces, b->cap * sizeof(*b->faces));
			}
			b->starts[b->np] = b->sb.len;
			b->xs[b->np] = gx;
			b->faces[b->np++] = (uint8_t)pfi;
			b->face = pfi;
		}
		char tmp[4];
		sb_add(&b->sb, tmp, (size_t)utf8_encode(code, tmp));
		int adv = pdf_advance(&f->faces[pfi], gid);
		double kern = subst ? 0 : (pos[i].x_advance - advance(fc, gid)) * 1000.0 / fc->upem;
		b->expect = gx + adv;
		b->pen += adv + kern;
	}
}

struct run {
	size_t start, end;
	int face;
	int level; /* bidi embedding level: odd is right to left */
};

/*
 * One font for a script's letters in a word: where a fallback font sets
 * some letters of a script the face has only in part (Charis SIL has the
 * Greek letters IPA uses, not ε or τ), the word's other letters of that
 * script go to that fallback too when it has them, so that "ἀρετή" is
 * set in one design rather than two. fis[k] is cps[k]'s face, changed in
 * place.
 */
static void script_faces(struct tx_fonts *f, enum tx_face face, const uint32_t *cps, int *fis,
			 size_t ncp)
{
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	for (size_t k = 0; k < ncp; k++) {
		if (fis[k] < TX_FALLBACK)
			continue;
		hb_script_t sc = hb_unicode_script(uf, cps[k]);
		if (sc == HB_SCRIPT_COMMON || sc == HB_SCRIPT_INHERITED || sc == HB_SCRIPT_UNKNOWN)
			continue;
		hb_codepoint_t g;
		for (size_t j = 0; j < ncp; j++)
			if (fis[j] == (int)face && hb_unicode_script(uf, cps[j]) == sc &&
			    hb_font_get_nominal_glyph(f->faces[fis[k]].font, cps[j], &g))
				fis[j] = fis[k];
	}
}

/*
 * The word's runs in visual order: cut where the font or the embedding
 * level changes, then reordered by the rule L2 (from the highest level to
 * the lowest odd one, each sequence of runs at that level or higher
 * reversed). Returns how many; *out is f's (f->runs, kept for the next
 * word).
 */
static size_t runs_of(struct tx_fonts *f, enum tx_face face, const char *text, size_t len,
		      unsigned feats, struct run **out, int8_t *dir)
{
	size_t ncp = 0;
	uint32_t stack_cps[64];
	size_t stack_at[64];
	uint32_t *cps = stack_cps;
	size_t *at = stack_at;
	if (len > 64) {
		cps = xmalloc(len * sizeof(*cps));
		at = xmalloc(len * sizeof(*at));
	}
	bool rtl = false, ltr = false;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)text + i, len - i, &cp);
		if (m < 0)
			m = 1, cp = 0xFFFD;
		cps[ncp] = cp;
		at[ncp++] = i;
		i += (size_t)m;
		if (cp < 0x80) {
			ltr |= ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || (cp >= '0' && cp <= '9');
		} else {
			FriBidiCharType t = fribidi_get_bidi_type(cp);
			rtl |= t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL;
			ltr |= t == FRIBIDI_TYPE_LTR || t == FRIBIDI_TYPE_EN || t == FRIBIDI_TYPE_AN;
		}
	}
	*dir = rtl ? 1 : ltr ? 0 : -1;
	FriBidiLevel stack_lv[64];
	FriBidiLevel *lv = stack_lv;
	if (ncp > 64)
		lv = xmalloc(ncp * sizeof(*lv));
	/* A base direction given (TX_FEAT_RTL, TX_FEAT_LTR) counts where the
	 * text's own letters would resolve otherwise. */
	if (rtl || (feats & TX_FEAT_RTL)) {
		FriBidiCharType *types = xmalloc(ncp * sizeof(*types));
		FriBidiBracketType *br = xmalloc(ncp * sizeof(*br));
		fribidi_get_bidi_types(cps, (FriBidiStrIndex)ncp, types);
		fribidi_get_bracket_types(cps, (FriBidiStrIndex)ncp, types, br);
		FriBidiParType base = feats & TX_FEAT_RTL   ? FRIBIDI_PAR_RTL
				      : feats & TX_FEAT_LTR ? FRIBIDI_PAR_LTR
							    : FRIBIDI_PAR_ON;
		if (!fribidi_get_par_embedding_levels_ex(types, br, (FriBidiStrIndex)ncp, &base, lv))
			memset(lv, 1, ncp * sizeof(*lv));
		free(types);
		free(br);
	} else {
		memset(lv, 0, ncp * sizeof(*lv));
	}
	int stack_fis[64];
	int *fis = ncp > 64 ? xmalloc(ncp * sizeof(*fis)) : stack_fis;
	bool fell = false; /* a fallback font sets some character */
	for (size_t k = 0; k < ncp; k++) {
		int fi = k > 0 && (follows(cps[k]) || invisible(cps[k])) ? fis[k - 1]
									 : font_for(f, face, cps[k]);
		fis[k] = fi;
		fell |= fi != (int)face;
	}
	if (fell)
		script_faces(f, face, cps, fis, ncp);
	struct run *r = f->runs;
	size_t nr = 0;
	for (size_t k = 0; k < ncp; k++) {
		int fi = fis[k];
		if (nr && r[nr - 1].face == fi && r[nr - 1].level == lv[k]) {
			r[nr - 1].end = k + 1 < ncp ? at[k + 1] : len;
			continue;
		}
		GROW(r, f->runs_cap, nr + 1);
		r[nr++] = (struct run){at[k], k + 1 < ncp ? at[k + 1] : len, fi, lv[k]};
	}
	if ((rtl || (feats & TX_FEAT_RTL)) && nr > 1) {
		int hi = 0, lo_odd = 255;
		for (size_t i = 0; i < nr; i++) {
			hi = r[i].level > hi ? r[i].level : hi;
			if (r[i].level % 2 && r[i].level < lo_odd)
				lo_odd = r[i].level;
		}
		for (int l = hi; l >= lo_odd && l > 0; l--)
			for (size_t i = 0; i < nr;) {
				if (r[i].level < l) {
					i++;
					continue;
				}
				size_t j = i;
				while (j < nr && r[j].level >= l)
					j++;
				for (size_t a = i, z = j - 1; a < z; a++, z--) {
					struct run t = r[a];
					r[a] = r[z];
					r[z] = t;
				}
				i = j;
			}
	}
	if (cps != stack_cps) {
		free(cps);
		free(at);
	}
	if (lv != stack_lv)
		free(lv);
	if (fis != stack_fis)
		free(fis);
	f->runs = r;
	*out = r;
	return nr;
}

static void shape_word(struct tx_fonts *f, enum tx_face face, const char *text, size_t len,
		       unsigned feats, struct tx_word *w)
{
	f->code = face == TX_MONO;
	if (face == TX_MONO && !feats && !f->no_plain) {
		if (!f->plain.ready)
			tx_plain_init(&f->plain, f->faces[face].font, f->features, f->ncode, false,
				      f->lang);
		if (tx_plain_shape(&f->plain, &f->arena, face, text, len, w)) {
			f->b.pure = true; /* cmap glyphs of its own letters */
			f->b.read = false;
			f->b.nkeeps = 0;
			return;
		}
	}
	struct builder *b = &f->b;
	sb_reset(&b->sb);
	b->np = 0;
	b->pen = b->expect = 0;
	b->face = -1;
	b->pure = true;
	b->read = false;
	b->nkeeps = 0;
	w->missing = 0;
	w->first_missing_at = 0;
	struct run *r;
	size_t nr = runs_of(f, face, text, len, feats, &r, &w->dir);
	for (size_t i = 0; i < nr; i++) {
		shape_run(f, r[i].face, text, len, r[i].start, r[i].end, r[i].level % 2, feats, b, w);
		w->rtl |= r[i].level % 2;
	}
	char *all = ar_strndup(&f->arena, b->sb.buf, b->sb.len);
	w->width = b->pen;
	w->npieces = b->np;
	w->pieces = ar_alloc(&f->arena, (b->np ? b->np : 1) * sizeof(*w->pieces));
	for (size_t k = 0; k < b->np; k++) {
		size_t e = k + 1 < b->np ? b->starts[k + 1] : b->sb.len;
		w->pieces[k] = (struct tx_piece){all + b->starts[k], e - b->starts[k], b->xs[k],
						 b->faces[k],
						 synth_of(f, face, b->faces[k], all + b->starts[k],
							  e - b->starts[k])};
	}
}

/* Frees the buffers shape_word and runs_of keep. */
static void scratch_release(struct tx_fonts *f)
{
	sb_release(&f->b.sb);
	free(f->b.starts);
	free(f->b.xs);
	free(f->b.faces);
	free(f->b.keeps);
	free(f->runs);
}

/* Notes that this build used a word tx_shapes_give may keep (a fork's
 * too, which the join hands to its parent): st, its keeps copied into
 * the arena when fresh (shaped now, not taken from the last build's). */
static void use(struct tx_fonts *f, struct stored st, bool fresh)
{
	if (!f->keeping)
		return;
	if (fresh)
		st.keeps = ar_memdup(&f->arena, st.keeps, st.nkeeps, sizeof(*st.keeps));
	GROW(f->used, f->used_cap, f->nused + 1);
	f->used[f->nused++] = st;
	f->fresh += fresh;
}

/* Whether the kept word st is what shaping its text would give now: its
 * glyphs' texts kept again, in the order its shaping kept them, each
 * drawn by the code it was. When one is not, the word is shaped afresh,
 * which keeps the same texts again: keeping a text twice changes nothing
 * the first did not (choose_text), so the result is as if shaped alone. */
static bool still_true(struct tx_fonts *f, const struct stored *st)
{
	for (uint32_t i = 0; i < st->nkeeps; i++) {
		const struct keep *k = &st->keeps[i];
		if (keep_text(f, &f->faces[k->face], k->gid, st->key + k->off, k->n) != k->code)
			return false;
	}
	return true;
}

const struct tx_word *tx_shape_features(struct tx_fonts *f, enum tx_face face, const char *text,
					size_t len, unsigned feats)
{
	assert((unsigned)face < TX_NFACES && feats < ARRAY_LEN(f->words[0]));
	f->stats.lookups++;
	struct hmap *m = &f->words[face][feats];
	struct tx_word *w = hmap_get(m, text, len);
	if (w)
		return w;
	const struct stored *st = hmap_get(&f->stored[face][feats], text, len);
	if (st && still_true(f, st)) {
		w = (struct tx_word *)st->w; /* the arena's, given out as const */
		hmap_put(m, st->key, len, w);
		use(f, *st, false);
		return w;
	}
	size_t shared = (size_t)face * ARRAY_LEN(f->words[0]) + feats;
	char *key = ar_strndup(&f->arena, text, len);
	if (f->shared && (w = jobs_table_get(f->shared, shared, text, len))) {
		hmap_put(m, key, len, w);
		/* only pure words are shared: no text kept */
		use(f, (struct stored){key, len, w, NULL, 0, (uint8_t)face, (uint8_t)feats}, true);
		return w;
	}
	w = ar_alloc(&f->arena, sizeof(*w));
	shape_word(f, face, text, len, feats, w);
	f->stats.shaped++;
	hmap_put(m, key, len, w);
	if (!f->b.read)
		use(f,
		    (struct stored){key, len, w, f->b.keeps, (uint32_t)f->b.nkeeps, (uint8_t)face,
				    (uint8_t)feats},
		    true);
	/* A word whose glyphs all map from its text alone is the same
	 * whichever thread shapes it: offered to the other. */
	if (f->shared && f->b.pure)
		jobs_table_put(f->shared, shared, key, len, w);
	return w;
}

const struct tx_word *tx_shape(struct tx_fonts *f, enum tx_face face, const char *text, size_t len)
{
	return tx_shape_features(f, face, text, len, 0);
}

/* ===== words kept between builds (tx_shapes_take) ====================== */

/*
 * A word is kept as: face, features, flags (WORD_*), dir (a byte each),
 * its text's length and text, its width; with WORD_MISSING, missing,
 * missing_cp and first_missing_at; its pieces' count and each piece's x,
 * face, length and text; with WORD_KEEPS, its keeps' count and each keep
 * (struct keep's fields). Numbers in this machine's order (the key holds
 * octavo's build). The store is read whole into the arena, the words'
 * texts left where they lie.
 */
enum { WORD_RTL = 1, WORD_MISSING = 2, WORD_KEEPS = 4 };

/* The key of f's words: what shaping a word depends on beside its text. */
static uint64_t shapes_key(const struct tx_fonts *f, uint64_t seed)
{
	static const char tag[] = "shaped words 1";
	uint64_t h = hash_fnv1a_from(seed, tag, sizeof(tag));
	const char *v = hb_version_string(), *lang = hb_language_to_string(f->lang);
	h = hash_fnv1a_from(h, v, strlen(v) + 1);
	h = hash_fnv1a_from(h, lang ? lang : "", lang ? strlen(lang) + 1 : 1);
	h = hash_fnv1a_from(h, f->features, f->nfeatures * sizeof(*f->features));
	int flags[3] = {f->acronyms, f->no_plain, f->nfallback};
	h = hash_fnv1a_from(h, flags, sizeof(flags));
	for (int i = 0; i < TX_NFACES && h; i++)
		h = tx_face_key(f, (enum tx_face)i, h);
	return h;
}

struct reader {
	const char *p, *end;
	bool bad;
};

/* n bytes into out, or bad (out zeroed) when fewer are left. */
static void take_bytes(struct reader *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

/* A text of the length that precedes it, left in place; NULL when bad. */
static const char *take_text(struct reader *r, size_t *len)
{
	uint32_t n;
	take_bytes(r, &n, sizeof(n));
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	const char *t = r->p;
	r->p += n;
	*len = n;
	return t;
}

/* The next kept word into the arena, or false when the bytes are not one. */
static bool take_word(struct tx_fonts *f, struct reader *r, struct stored *out)
{
	uint8_t face, feats, flags;
	struct tx_word *w = ar_alloc(&f->arena, sizeof(*w));
	take_bytes(r, &face, 1);
	take_bytes(r, &feats, 1);
	take_bytes(r, &flags, 1);
	take_bytes(r, &w->dir, sizeof(w->dir));
	out->key = take_text(r, &out->len);
	take_bytes(r, &w->width, sizeof(w->width));
	if (flags & WORD_MISSING) {
		uint64_t at;
		take_bytes(r, &w->missing, sizeof(w->missing));
		take_bytes(r, w->missing_cp, sizeof(w->missing_cp));
		take_bytes(r, &at, sizeof(at));
		w->first_missing_at = (size_t)at;
	}
	uint32_t np, nk = 0;
	take_bytes(r, &np, sizeof(np));
	if (r->bad || face >= TX_NFACES || feats >= ARRAY_LEN(f->words[0]) || w->missing < 0 ||
	    np > (size_t)(r->end - r->p))
		return false;
	w->rtl = flags & WORD_RTL;
	w->npieces = np;
	w->pieces = ar_alloc(&f->arena, (np ? np : 1) * sizeof(*w->pieces));
	for (uint32_t k = 0; k < np && !r->bad; k++) {
		struct tx_piece *pc = &w->pieces[k];
		take_bytes(r, &pc->x, sizeof(pc->x));
		take_bytes(r, &pc->face, 1);
		pc->text = take_text(r, &pc->len);
		r->bad |= pc->face >= TX_NFACES;
		pc->synth = r->bad ? 0
				   : synth_of(f, (enum tx_face)face, pc->face, pc->text, pc->len);
	}
	if (flags & WORD_KEEPS)
		take_bytes(r, &nk, sizeof(nk));
	if (r->bad || nk > (size_t)(r->end - r->p))
		return false;
	struct keep *ks = ar_alloc(&f->arena, (nk ? nk : 1) * sizeof(*ks));
	for (uint32_t k = 0; k < nk && !r->bad; k++) {
		take_bytes(r, &ks[k].off, sizeof(ks[k].off));
		take_bytes(r, &ks[k].n, sizeof(ks[k].n));
		take_bytes(r, &ks[k].gid, sizeof(ks[k].gid));
		take_bytes(r, &ks[k].code, sizeof(ks[k].code));
		take_bytes(r, &ks[k].face, 1);
		r->bad |= ks[k].face >= TX_NFACES || ks[k].off > out->len ||
			  ks[k].n > out->len - ks[k].off;
	}
	*out = (struct stored){out->key, out->len, w, ks, nk, face, feats};
	return !r->bad;
}

void tx_shapes_take(struct tx_fonts *f, const struct tx_store *s)
{
	assert(!f->fork && !f->nused);
	f->keeping = true;
	uint64_t key = shapes_key(f, s->seed);
	size_t len = 0;
	const char *data = key ? s->get(s->ctx, key, &len) : NULL;
	if (!data)
		return;
	const char *mine = ar_memdup(&f->arena, data, len, 1);
	struct reader r = {mine, mine + len, false};
	while (r.p < r.end && !r.bad) {
		struct stored *st = ar_alloc(&f->arena, sizeof(*st));
		if (!take_word(f, &r, st))
			r.bad = true;
		else
			hmap_put(&f->stored[st->face][st->feats], st->key, st->len, st);
	}
	if (r.bad) /* not a store of ours after all: none of it */
		for (int i = 0; i < TX_NFACES; i++)
			for (size_t k = 0; k < ARRAY_LEN(f->stored[0]); k++)
				hmap_release(&f->stored[i][k]);
}

/* len then the text, as take_text reads it. */
static void put_text(struct strbuf *sb, const char *t, size_t len)
{
	uint32_t n = (uint32_t)len;
	sb_add(sb, (const char *)&n, sizeof(n));
	sb_add(sb, t, len);
}

void tx_shapes_give(struct tx_fonts *f, const struct tx_store *s)
{
	assert(!f->fork);
	uint64_t key = f->keeping && f->fresh ? shapes_key(f, s->seed) : 0;
	if (!key)
		return;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < f->nused; i++) {
		const struct stored *st = &f->used[i];
		const struct tx_word *w = st->w;
		uint32_t np = (uint32_t)w->npieces;
		uint64_t at = w->first_missing_at;
		sb_addc(&sb, (char)st->face);
		sb_addc(&sb, (char)st->feats);
		sb_addc(&sb, (char)((w->rtl ? WORD_RTL : 0) | (w->missing ? WORD_MISSING : 0) |
				    (st->nkeeps ? WORD_KEEPS : 0)));
		sb_addc(&sb, (char)w->dir);
		put_text(&sb, st->key, st->len);
		sb_add(&sb, (const char *)&w->width, sizeof(w->width));
		if (w->missing) {
			sb_add(&sb, (const char *)&w->missing, sizeof(w->missing));
			sb_add(&sb, (const char *)w->missing_cp, sizeof(w->missing_cp));
			sb_add(&sb, (const char *)&at, sizeof(at));
		}
		sb_add(&sb, (const char *)&np, sizeof(np));
		for (size_t k = 0; k < w->npieces; k++) {
			const struct tx_piece *pc = &w->pieces[k];
			sb_add(&sb, (const char *)&pc->x, sizeof(pc->x));
			sb_addc(&sb, (char)pc->face);
			put_text(&sb, pc->text, pc->len);
		}
		if (st->nkeeps)
			sb_add(&sb, (const char *)&st->nkeeps, sizeof(st->nkeeps));
		for (uint32_t k = 0; k < st->nkeeps; k++) {
			const struct keep *kp = &st->keeps[k];
			sb_add(&sb, (const char *)&kp->off, sizeof(kp->off));
			sb_add(&sb, (const char *)&kp->n, sizeof(kp->n));
			sb_add(&sb, (const char *)&kp->gid, sizeof(kp->gid));
			sb_add(&sb, (const char *)&kp->code, sizeof(kp->code));
			sb_addc(&sb, (char)kp->face);
		}
	}
	s->put(s->ctx, key, sb.buf, sb.len);
	sb_release(&sb);
}

/* ===== a second thread's shaping (tx_fonts_fork) ======================= */

/*
 * A fork shares its parent's HarfBuzz objects (blobs, faces, fonts: safe
 * to shape with on several threads) and nothing it writes: its caches of
 * glyphs and advances, words, buffer and arena are its own. The texts it
 * keeps for glyphs reached by their number start as its parent's were;
 * those it adds are logged, in order, for tx_fonts_join.
 */
struct tx_fonts *tx_fonts_fork(struct tx_fonts *parent)
{
	assert(!parent->fork && !parent->shared);
	struct tx_fonts *f = xmalloc(sizeof(*f));
	memcpy(f, parent, sizeof(*f));
	f->shared = parent->shared = jobs_table_new(TX_NFACES * ARRAY_LEN(f->words[0]));
	f->parent = parent;
	memset(f->words, 0, sizeof(f->words));
	memset(&f->stats, 0, sizeof(f->stats));
	ar_init(&f->arena);
	f->fork = true;
	f->unsure = false;
	f->kept = NULL;
	f->nkept = f->kept_cap = 0;
	f->used = NULL; /* its stored tables are its parent's, read only */
	f->nused = f->used_cap = f->fresh = 0;
	f->keeping = parent->keeping; /* its words kept too, through the join */
	f->buf = hb_buffer_create();
	f->budget = OPS_DEFAULT;
	f->nplans = 0;
	memset(&f->b, 0, sizeof(f->b));
	sb_init(&f->b.sb);
	f->runs = NULL;
	f->runs_cap = 0;
	for (int i = 0; i < TX_NFACES; i++) {
		const struct face *pc = &parent->faces[i];
		struct face *fc = &f->faces[i];
		if (!pc->font)
			continue;
		if (pc->owned) {
			fc->cmap = xmalloc(CMAP_CACHE * sizeof(*fc->cmap));
			memcpy(fc->cmap, pc->cmap, CMAP_CACHE * sizeof(*fc->cmap));
			fc->adv = xmalloc(pc->nglyphs * sizeof(*fc->adv));
			memcpy(fc->adv, pc->adv, pc->nglyphs * sizeof(*fc->adv));
		} else {
			/* A face that is the regular one again shares its
			 * caches, as in the parent. */
			for (int k = 0; k < i; k++)
				if (parent->faces[k].cmap == pc->cmap) {
					fc->cmap = f->faces[k].cmap;
					fc->adv = f->faces[k].adv;
				}
		}
		fc->gtext = NULL;
		fc->galt = NULL;
		if (pc->gtext) {
			fc->gtext = xmalloc(pc->nglyphs * sizeof(*fc->gtext));
			memcpy(fc->gtext, pc->gtext, pc->nglyphs * sizeof(*fc->gtext));
		}
		if (pc->galt) {
			fc->galt = xmalloc(pc->nglyphs * sizeof(*fc->galt));
			memcpy(fc->galt, pc->galt, pc->nglyphs * sizeof(*fc->galt));
		}
	}
	return f;
}

static void fork_free(struct tx_fonts *f)
{
	for (int i = 0; i < TX_NFACES; i++) {
		struct face *fc = &f->faces[i];
		if (fc->owned) {
			free(fc->cmap);
			free(fc->adv);
		}
		free(fc->gtext);
		free(fc->galt);
	}
	hb_buffer_destroy(f->buf);
	plans_release(f);
	scratch_release(f);
	for (int i = 0; i < TX_NFACES; i++)
		for (size_t k = 0; k < TX_FEAT_SETS; k++)
			hmap_release(&f->words[i][k]);
	free(f->kept);
	free(f->used);
	/* The parent may hold words of the fork's (taken from the shared
	 * table): the fork's arena goes to the parent, joined or not. */
	f->parent->shared = NULL;
	jobs_table_free(f->shared);
	ar_adopt(&f->parent->arena, &f->arena);
	free(f);
}

/*
 * The words the fork used, after the parent's, for tx_shapes_give to
 * keep (those the parent used too once): without them a build on two
 * threads kept only the first run's words, and every warm build shaped
 * the second run's afresh (the Node.js docs kept 1.5 MB of words, now 2.8).
 * Their texts and keeps are in the fork's arena, which the parent adopts.
 */
static void join_used(struct tx_fonts *parent, const struct tx_fonts *fork)
{
	for (size_t i = 0; i < fork->nused && parent->keeping; i++) {
		const struct stored *st = &fork->used[i];
		if (hmap_get(&parent->words[st->face][st->feats], st->key, st->len))
			continue;
		GROW(parent->used, parent->used_cap, parent->nused + 1);
		parent->used[parent->nused++] = *st;
	}
	parent->fresh += fork->fresh;
}

/*
 * Replays the fork's kept texts on copies of the parent's, as if the
 * fork's words had been shaped on the parent after what it has shaped
 * since the fork. When each gives the code the fork drew it by, the
 * fork's pieces are what the parent would have made, so the copies
 * replace the parent's, the fork's arena (its pieces' text) joins the
 * parent's, and it returns true. Otherwise the parent is as it was and
 * it returns false. Either way the fork is freed.
 */
bool tx_fonts_join(struct tx_fonts *parent, struct tx_fonts *fork)
{
	assert(fork->fork && !parent->fork);
	bool same = !fork->unsure;
	const char **gtext[TX_NFACES] = {0}, **galt[TX_NFACES] = {0};
	for (size_t i = 0; i < fork->nkept && same; i++) {
		const struct kept *k = &fork->kept[i];
		const struct face *pc = &parent->faces[k->face];
		if (!gtext[k->face]) {
			gtext[k->face] = xcalloc(pc->nglyphs, sizeof(**gtext));
			if (pc->gtext)
				memcpy(gtext[k->face], pc->gtext, pc->nglyphs * sizeof(**gtext));
			if (pc->galt) {
				galt[k->face] = xmalloc(pc->nglyphs * sizeof(**galt));
				memcpy(galt[k->face], pc->galt, pc->nglyphs * sizeof(**galt));
			}
		}
		const char *stored;
		same = choose_text(gtext[k->face], &galt[k->face], pc->nglyphs, k->gid, k->text,
				   k->len, NULL, &stored) == k->code;
	}
	for (int i = 0; i < TX_NFACES; i++) {
		if (!gtext[i])
			continue;
		struct face *pc = &parent->faces[i];
		if (same) {
			free(pc->gtext);
			pc->gtext = gtext[i];
			if (galt[i]) {
				free(pc->galt);
				pc->galt = galt[i];
			}
		} else {
			free(gtext[i]);
			free(galt[i]);
		}
	}
	if (same) {
		join_used(parent, fork);
		ar_adopt(&parent->arena, &fork->arena);
		parent->stats.shaped += fork->stats.shaped;
		parent->stats.lookups += fork->stats.lookups;
	}
	fork_free(fork);
	return same;
}

/* (text-int.h) Here, beside the paths and instances it reads, so that
 * shaping, which keys its kept words by it, needs nothing of subset.c. */
uint64_t tx_face_key(const struct tx_fonts *f, enum tx_face face, uint64_t h)
{
	const char *path = tx_font_path(f, face);
	struct stat st;
	if (!path || stat(path, &st) < 0)
		return 0;
	/* The font file by its identity (as the EPUB's font cache keys it:
	 * its ctime too, which any write moves and no one can set back - by
	 * its mtime alone a font rewritten with its old mtime gave a warm
	 * build the old subset), and the instance (its axes pinned). */
	long long id[7] = {(long long)st.st_dev,       (long long)st.st_ino,
			   (long long)st.st_size,      (long long)st.st_mtim.tv_sec,
			   (long long)st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
			   (long long)st.st_ctim.tv_nsec};
	h = hash_fnv1a_from(h, path, strlen(path) + 1);
	h = hash_fnv1a_from(h, id, sizeof(id));
	unsigned nvars;
	const hb_variation_t *vars = tx_variations(f, face, &nvars);
	for (unsigned i = 0; i < nvars; i++) {
		uint32_t tag = vars[i].tag;
		double v = vars[i].value;
		h = hash_fnv1a_from(h, &tag, sizeof(tag));
		h = hash_fnv1a_from(h, &v, sizeof(v));
	}
	return h ? h : 1;
}
