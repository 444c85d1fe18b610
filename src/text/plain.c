/*
 * plain.c - printable ASCII in a font whose layout tables cannot touch
 * it: code set in the mono face without calling hb_shape.
 *
 * A book of reference (the Node.js API docs: 40,000 code lines, nearly
 * all of them distinct) spends most of its shaping on code, one hb_shape
 * a line at some 20,000 instructions. In a monospaced font no GSUB or
 * GPOS lookup of the shape plan usually reaches the ASCII letters,
 * figures and punctuation, and then HarfBuzz gives each character its
 * cmap glyph with its hmtx advance and no offset: what this file gives
 * too, at a few instructions a character. Whether a character is plain
 * is decided once per face from the font's own tables (the lookups the
 * plans the buffer could get apply, as HarfBuzz collects them; any kern,
 * kerx, morx, mort or trak table rules every character out; so does a
 * GDEF mark class), never assumed from the font's name or its being
 * monospaced. A word with any other character is shaped by HarfBuzz as
 * before. tests/unit/node18b.c compares the two over every printable
 * pair and real code lines.
 */
#include "text-int.h"

#include <hb-ot.h>
#include <string.h>

/* The tables HarfBuzz shapes with outside GSUB and GPOS. */
static bool other_layout(hb_face_t *face)
{
	static const hb_tag_t tags[] = {HB_TAG('k', 'e', 'r', 'n'), HB_TAG('k', 'e', 'r', 'x'),
					HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
					HB_TAG('t', 'r', 'a', 'k')};
	for (size_t i = 0; i < ARRAY_LEN(tags); i++) {
		hb_blob_t *b = hb_face_reference_table(face, tags[i]);
		unsigned len = hb_blob_get_length(b);
		hb_blob_destroy(b);
		if (len)
			return true;
	}
	return false;
}

/* ===== lookups that need more than ASCII ============================== */

/* A GSUB or GPOS table's bytes, read big-endian with bounds: a read past
 * the end makes the lookup count as one that may act (ok false). */
struct table {
	const uint8_t *d;
	size_t len;
	bool ok;
};

static unsigned u16(struct table *t, size_t at)
{
	if (at + 2 > t->len) {
		t->ok = false;
		return 0;
	}
	return (unsigned)t->d[at] << 8 | t->d[at + 1];
}

static size_t u32(struct table *t, size_t at)
{
	return (size_t)u16(t, at) << 16 | u16(t, at + 2);
}

/* Whether the Coverage table at `at` lists a glyph of ascii. */
static bool covers(struct table *t, size_t at, const hb_set_t *ascii)
{
	unsigned format = u16(t, at), n = u16(t, at + 2);
	for (unsigned i = 0; i < n && t->ok; i++) {
		if (format == 1) {
			if (hb_set_has(ascii, u16(t, at + 4 + 2 * i)))
				return true;
		} else if (format == 2) {
			unsigned lo = u16(t, at + 4 + 6 * i), hi = u16(t, at + 6 + 6 * i);
			hb_codepoint_t g = lo ? lo - 1 : HB_SET_VALUE_INVALID;
			if (hb_set_next(ascii, &g) && g <= hi) /* the first at lo or after */
				return true;
		} else {
			t->ok = false;
		}
	}
	return !t->ok; /* unreadable: as if it did */
}

/* Whether every coverage of the n at offsets[] (16-bit, from base) lists
 * a glyph of ascii: a context rule matches only when each does. */
static bool all_cover(struct table *t, size_t base, size_t offsets, unsigned n,
		      const hb_set_t *ascii)
{
	for (unsigned i = 0; i < n && t->ok; i++)
		if (!covers(t, base + u16(t, offsets + 2 * i), ascii))
			return false;
	return true;
}

/* Whether a ligature of the substitution (format 1) at `at` has all its
 * components in ascii: the first from the coverage, the others listed. */
static bool ascii_ligature(struct table *t, size_t at, const hb_set_t *ascii)
{
	size_t cov = at + u16(t, at + 2);
	unsigned format = u16(t, cov), n = u16(t, cov + 2), nsets = u16(t, at + 4);
	for (unsigned i = 0; i < n && t->ok; i++) {
		unsigned lo = format == 1 ? u16(t, cov + 4 + 2 * i) : u16(t, cov + 4 + 6 * i);
		unsigned hi = format == 1 ? lo : u16(t, cov + 6 + 6 * i);
		unsigned first = format == 1 ? i : u16(t, cov + 8 + 6 * i);
		if (format != 1 && format != 2)
			t->ok = false;
		hb_codepoint_t g = lo ? lo - 1 : HB_SET_VALUE_INVALID;
		while (t->ok && hb_set_next(ascii, &g) && g <= hi) {
			unsigned ix = first + (g - lo);
			if (ix >= nsets) {
				t->ok = false;
				break;
			}
			size_t set = at + u16(t, at + 6 + 2 * ix);
			unsigned nlig = u16(t, set);
			for (unsigned k = 0; k < nlig && t->ok; k++) {
				size_t lig = set + u16(t, set + 2 + 2 * k);
				unsigned ncomp = u16(t, lig + 2);
				bool all = true;
				for (unsigned c = 1; c < ncomp && all && t->ok; c++)
					all = hb_set_has(ascii, u16(t, lig + 4 + 2 * (c - 1)));
				if (all)
					return true;
			}
		}
	}
	return !t->ok;
}

/*
 * Whether the subtable at `at` (lookup type `type` of GSUB, or of GPOS
 * when gpos) can never act on text whose glyphs are all in ascii: a
 * ligature with a component outside them, a mark attachment whose marks
 * are none of them (it acts at a mark), a context
 * or chained context rule by coverages (format 3) one of which lists none
 * of them. Any other subtable may act.
 */
static bool inert_subtable(struct table *t, bool gpos, unsigned type, size_t at,
			   const hb_set_t *ascii)
{
	if ((gpos && type == 9) || (!gpos && type == 7)) { /* extension */
		unsigned real = u16(t, at + 2);
		size_t to = at + u32(t, at + 4);
		return t->ok && real != type && inert_subtable(t, gpos, real, to, ascii);
	}
	unsigned format = u16(t, at);
	if (!gpos && type == 4 && format == 1)
		return !ascii_ligature(t, at, ascii) && t->ok;
	if (gpos && type >= 4 && type <= 6 && format == 1)
		return !covers(t, at + u16(t, at + 2), ascii) && t->ok;
	if (format != 3)
		return false;
	if ((gpos && type == 7) || (!gpos && type == 5))
		return !all_cover(t, at, at + 6, u16(t, at + 2), ascii) && t->ok;
	if ((gpos && type == 8) || (!gpos && type == 6)) {
		size_t p = at + 2;
		unsigned nb = u16(t, p), ni = u16(t, p + 2 + 2 * nb);
		unsigned na = u16(t, p + 4 + 2 * nb + 2 * ni);
		bool all = all_cover(t, at, p + 2, nb, ascii) &&
			   all_cover(t, at, p + 4 + 2 * nb, ni, ascii) &&
			   all_cover(t, at, p + 6 + 2 * nb + 2 * ni, na, ascii);
		return !all && t->ok;
	}
	return false;
}

/* Whether lookup li of the table can never act on ascii text. */
static bool inert(struct table *t, bool gpos, unsigned li, const hb_set_t *ascii)
{
	t->ok = true;
	size_t list = u16(t, 8);
	if (!t->ok || li >= u16(t, list))
		return false;
	size_t at = list + u16(t, list + 2 + 2 * li);
	unsigned type = u16(t, at), n = u16(t, at + 4);
	for (unsigned k = 0; k < n; k++)
		if (!inert_subtable(t, gpos, type, at + u16(t, at + 6 + 2 * k), ascii) || !t->ok)
			return false;
	return t->ok;
}

/* Adds to touched every glyph of ascii that a lookup of the plan for
 * script may act on. */
static void plan_touches(hb_font_t *font, hb_script_t script, hb_language_t lang,
			 const hb_feature_t *feat, unsigned nf, const hb_set_t *ascii,
			 hb_set_t *touched)
{
	hb_face_t *face = hb_font_get_face(font);
	hb_segment_properties_t props = HB_SEGMENT_PROPERTIES_DEFAULT;
	props.direction = HB_DIRECTION_LTR;
	props.script = script;
	props.language = lang;
	unsigned ncoords = 0;
	const int *coords = hb_font_get_var_coords_normalized(font, &ncoords);
	hb_shape_plan_t *plan =
	    hb_shape_plan_create_cached2(face, &props, feat, nf, coords, ncoords, NULL);
	static const hb_tag_t tables[] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
	hb_set_t *lookups = hb_set_create(), *input = hb_set_create();
	for (size_t k = 0; k < ARRAY_LEN(tables); k++) {
		hb_blob_t *blob = hb_face_reference_table(face, tables[k]);
		unsigned len;
		const char *data = hb_blob_get_data(blob, &len);
		struct table t = {(const uint8_t *)data, len, true};
		hb_set_clear(lookups);
		hb_ot_shape_plan_collect_lookups(plan, tables[k], lookups);
		hb_codepoint_t li = HB_SET_VALUE_INVALID;
		while (hb_set_next(lookups, &li)) {
			hb_set_clear(input);
			hb_ot_layout_lookup_collect_glyphs(face, tables[k], li, NULL, input, NULL,
							   NULL);
			hb_set_intersect(input, ascii);
			if (!hb_set_is_empty(input) && !inert(&t, k == 1, li, ascii))
				hb_set_union(touched, input);
		}
		hb_blob_destroy(blob);
	}
	hb_set_destroy(input);
	hb_set_destroy(lookups);
	hb_shape_plan_destroy(plan);
}

/* ===== the plain characters ============================================ */

void tx_plain_init(struct tx_plain *p, hb_font_t *font, const hb_feature_t *features,
		   unsigned nf, bool acronyms, hb_language_t lang)
{
	hb_feature_t feat[64];
	if (nf > ARRAY_LEN(feat) - 4)
		nf = ARRAY_LEN(feat) - 4;
	if (nf)
		memcpy(feat, features, nf * sizeof(*feat));
	if (acronyms)
		hb_feature_from_string("c2sc", -1, &feat[nf++]);
	/* HarfBuzz turns on frac, numr and dnom only around a fraction or
	 * division slash (U+2044, U+2215), which ASCII text never holds; so
	 * their lookups count only when the style asks for them itself. */
	static const hb_tag_t fraction[] = {HB_TAG('f', 'r', 'a', 'c'), HB_TAG('n', 'u', 'm', 'r'),
					    HB_TAG('d', 'n', 'o', 'm')};
	bool asked = false;
	for (unsigned i = 0; i < nf; i++)
		for (size_t k = 0; k < ARRAY_LEN(fraction); k++)
			asked |= feat[i].tag == fraction[k];
	for (size_t k = 0; k < ARRAY_LEN(fraction) && !asked; k++)
		feat[nf++] = (hb_feature_t){fraction[k], 0, HB_FEATURE_GLOBAL_START,
					    HB_FEATURE_GLOBAL_END};
	memset(p, 0, sizeof(*p));
	p->ready = true;
	hb_face_t *face = hb_font_get_face(font);
	if (other_layout(face))
		return;
	unsigned upem = hb_face_get_upem(face);
	/* The scripts an ASCII buffer may be guessed as: Latin when it holds
	 * a letter, else none found (HB_SCRIPT_INVALID); Common besides. */
	hb_set_t *ascii = hb_set_create(), *touched = hb_set_create();
	for (unsigned c = 0x20; c < 0x7F; c++) {
		hb_codepoint_t g;
		if (hb_font_get_nominal_glyph(font, c, &g))
			hb_set_add(ascii, g);
	}
	static const hb_script_t scripts[] = {HB_SCRIPT_LATIN, HB_SCRIPT_INVALID, HB_SCRIPT_COMMON};
	for (size_t i = 0; i < ARRAY_LEN(scripts); i++)
		plan_touches(font, scripts[i], lang, feat, nf, ascii, touched);
	bool gdef = hb_ot_layout_has_glyph_classes(face);
	for (unsigned c = 0x20; c < 0x7F; c++) {
		hb_codepoint_t g;
		if (!hb_font_get_nominal_glyph(font, c, &g) || g == 0 || hb_set_has(touched, g))
			continue;
		if (gdef && hb_ot_layout_get_glyph_class(face, g) == HB_OT_LAYOUT_GLYPH_CLASS_MARK)
			continue;
		hb_position_t adv = hb_font_get_glyph_h_advance(font, g);
		p->width[c] = (int)((long)adv * 1000 / (long)upem);
		p->ok[c] = true;
	}
	hb_set_destroy(touched);
	hb_set_destroy(ascii);
}

bool tx_plain_shape(const struct tx_plain *p, struct arena *a, enum tx_face face,
		    const char *text, size_t len, struct tx_word *w)
{
	if (!len)
		return false;
	bool ltr = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x80 || !p->ok[c])
			return false;
		ltr |= ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
	}
	/* As shape_word and shape_run make it: one run, one glyph a
	 * character drawn by its own code, the pen moved by the integer
	 * width (no kerning: x_advance is the glyph's advance), one piece. */
	double pen = 0;
	for (size_t i = 0; i < len; i++)
		pen += p->width[(unsigned char)text[i]] + 0.0;
	w->missing = 0;
	w->first_missing_at = 0;
	w->dir = ltr ? 0 : -1;
	w->rtl = false;
	char *all = ar_strndup(a, text, len);
	w->width = pen;
	w->npieces = 1;
	w->pieces = ar_alloc(a, sizeof(*w->pieces));
	w->pieces[0] = (struct tx_piece){all, len, 0.0, (uint8_t)face, 0};
	return true;
}
