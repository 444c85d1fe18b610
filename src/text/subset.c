/*
 * subset.c - faces cut down to the glyphs a book uses, for embedding.
 *
 * HarfBuzz's subsetter keeps only the glyphs of the code points the pages
 * use (and the components they reference). For the PDF, the subset plan
 * also says where each glyph went, so that content streams can name
 * glyphs directly (Identity-H) and the font dictionaries can be written
 * without libharu's TrueType code, which costs a quarter of a second per
 * font and fails on some subsets (tx_pdffont).
 */
#include "text-int.h"

#include <assert.h>
#include <ctype.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tables neither a PDF viewer nor (the first six) a reading system needs:
 * Graphite's, the signature, and - for the PDF, whose text we shaped -
 * OpenType's layout tables. */
static const char *const dropped[] = {"Silf", "Glat", "Gloc", "Feat", "Sill", "DSIG",
				      "GSUB", "GPOS", "GDEF", "kern"};

/*
 * For a reading system, which shapes the text itself: the layout features
 * it may be asked for kept with the glyphs they reach (HarfBuzz keeps only
 * its default list, which has no small capitals): those of the stylesheet
 * (features, tags separated by spaces), small capitals always, and
 * the marks' positioning. And the name table's licence entries (IDs 13
 * and 14) beside the default names, since the font goes out with the book.
 */
static void keep_for_screen(hb_subset_input_t *in, const char *features)
{
	hb_set_t *feats = hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
	static const char *const always[] = {"smcp", "c2sc", "mkmk", "mark", "kern", "liga",
					     "clig", "calt", "ccmp", "locl", "rlig"};
	for (size_t i = 0; i < ARRAY_LEN(always); i++)
		hb_set_add(feats, hb_tag_from_string(always[i], 4));
	for (const char *p = features; p && *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 4)
			hb_set_add(feats, hb_tag_from_string(p, 4));
		p += n;
	}
	hb_set_t *names = hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID);
	hb_set_add(names, HB_OT_NAME_ID_LICENSE);
	hb_set_add(names, HB_OT_NAME_ID_LICENSE_URL);
}

static hb_subset_input_t *subset_input(hb_font_t *font, const uint8_t *used, bool for_screen)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (!in)
		return NULL;
	hb_set_t *cps = hb_subset_input_unicode_set(in);
	for (uint32_t cp = 0; cp < 65536; cp++) {
		hb_codepoint_t g;
		if (used[cp] && (!font || hb_font_get_nominal_glyph(font, cp, &g)))
			hb_set_add(cps, cp);
	}
	/* For the PDF (font given): the glyphs drawn by their numbers too. */
	if (font) {
		hb_set_t *gs = hb_subset_input_glyph_set(in);
		unsigned n = hb_face_get_glyph_count(hb_font_get_face(font));
		for (uint32_t g = 0; g < 65536 && g < n; g++)
			if (used[65536 + g])
				hb_set_add(gs, g);
	}
	/* The PDF needs outlines, metrics and the cmap; not hinting (PDF
	 * viewers rasterise themselves). A reading system shapes and hints
	 * for itself. */
	if (!for_screen)
		hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (size_t i = 0; i < ARRAY_LEN(dropped) - (for_screen ? 4 : 0); i++)
		hb_set_add(drop, hb_tag_from_string(dropped[i], -1));
	return in;
}

/* tx_subset_file's cut, its variable font pinned at the nvars axis values
 * vars (a static font when they are all its axes). */
static char *cut_file(const char *path, const hb_variation_t *vars, unsigned nvars,
		      const uint8_t *used, bool for_screen, const char *features, size_t *len)
{
	hb_blob_t *src = tx_blob_from_file(path);
	hb_face_t *hf = hb_face_create(src, 0);
	hb_subset_input_t *in = subset_input(NULL, used, for_screen);
	char *out = NULL;
	if (!in)
		goto done;
	if (for_screen)
		keep_for_screen(in, features);
	bool pinned = true;
	for (unsigned i = 0; i < nvars; i++)
		pinned &= hb_subset_input_pin_axis_location(in, hf, vars[i].tag, vars[i].value) != 0;
	hb_face_t *sub = pinned ? hb_subset_or_fail(hf, in) : NULL;
	hb_subset_input_destroy(in);
	if (!sub)
		goto done;
	hb_blob_t *blob = hb_face_reference_blob(sub);
	unsigned n;
	const char *data = hb_blob_get_data(blob, &n);
	if (n) {
		out = xmalloc(n);
		memcpy(out, data, n);
		*len = n;
	}
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
done:
	hb_face_destroy(hf);
	hb_blob_destroy(src);
	return out;
}

char *tx_subset_file(const char *path, const uint8_t *used, bool for_screen,
		     const char *features, size_t *len)
{
	return cut_file(path, NULL, 0, used, for_screen, features, len);
}

char *tx_subset_face(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		     const char *features, size_t *len)
{
	unsigned nvars;
	const hb_variation_t *vars = tx_variations(f, face, &nvars);
	const char *path = tx_font_path(f, face);
	return path ? cut_file(path, vars, nvars, used, true, features, len) : NULL;
}

size_t tx_face_instance(const struct tx_fonts *f, enum tx_face face, char *out, size_t n)
{
	assert(n > 0);
	unsigned nvars;
	const hb_variation_t *vars = tx_variations(f, face, &nvars);
	size_t k = 0;
	out[0] = 0;
	for (unsigned i = 0; i < nvars; i++) {
		char tag[5];
		hb_tag_to_string(vars[i].tag, tag);
		tag[4] = 0;
		for (int c = 0; c < 4; c++) /* a file name's letters only */
			if (!isalnum((unsigned char)tag[c]))
				tag[c] = 'x';
		int m = snprintf(out + k, n - k, "%s%s%g", k ? "-" : "", tag, (double)vars[i].value);
		if (m < 0 || (size_t)m >= n - k) {
			out[k] = 0;
			break;
		}
		k += (size_t)m;
	}
	return k;
}

/* ===== the PDF's fonts ================================================= */

static unsigned be16(const char *p)
{
	return (unsigned)((unsigned char)p[0] << 8 | (unsigned char)p[1]);
}

/* Reads the head table's bounding box and the post table's fixed-pitch
 * flag, which HarfBuzz has no call for. */
static void read_tables(hb_face_t *hf, double scale, struct tx_pdffont *pf)
{
	unsigned n;
	hb_blob_t *head = hb_face_reference_table(hf, HB_TAG('h', 'e', 'a', 'd'));
	const char *h = hb_blob_get_data(head, &n);
	if (n >= 44)
		for (int i = 0; i < 4; i++)
			pf->bbox[i] = (int16_t)be16(h + 36 + 2 * i) * scale;
	hb_blob_destroy(head);
	hb_blob_t *post = hb_face_reference_table(hf, HB_TAG('p', 'o', 's', 't'));
	const char *p = hb_blob_get_data(post, &n);
	pf->fixed_pitch = n >= 16 && (be16(p + 12) | be16(p + 14)) != 0;
	hb_blob_destroy(post);
}

static void read_names(hb_face_t *hf, struct tx_pdffont *pf)
{
	char name[64] = "";
	unsigned size = sizeof(name);
	hb_ot_name_get_utf8(hf, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &size, name);
	size_t k = 0;
	for (size_t i = 0; i < size && name[i] && k + 1 < sizeof(pf->psname); i++) {
		char c = name[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-')
			pf->psname[k++] = c;
	}
	if (!k)
		memcpy(pf->psname, "Font", 5);
	else
		pf->psname[k] = 0;
}

/* The first i from `from` up to n with used[i] set, or n; a word at a
 * time over the zeros (a book sets a few hundred of 65,536). */
static size_t next_used(const uint8_t *used, size_t from, size_t n)
{
	size_t i = from;
	for (; i < n && i % 8; i++)
		if (used[i])
			return i;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, used + i, sizeof(w));
		if (w)
			break;
	}
	while (i < n && !used[i])
		i++;
	return i;
}

/*
 * The rest of pf, from its font file (pf->data, pf->len), whether it is a
 * subset, and pf->old (each of its glyphs' number in the face; NULL when
 * it is the whole face): the maps from code points and from the face's
 * glyphs, the widths, the texts, the metrics and the name.
 */
static void fill(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		 struct tx_pdffont *pf)
{
	hb_font_t *font = tx_hb_font(f, face);
	hb_face_t *hf = hb_font_get_face(font);
	unsigned upem = hb_face_get_upem(hf);
	double scale = 1000.0 / upem;
	hb_blob_t *blob = hb_blob_create(pf->data, (unsigned)pf->len, HB_MEMORY_MODE_READONLY, NULL,
					 NULL);
	hb_face_t *df = hb_face_create(blob, 0);
	/* CFF outlines: an OpenType font embedded as such (FontFile3). */
	hb_blob_t *cff = hb_face_reference_table(df, HB_TAG('C', 'F', 'F', ' '));
	pf->cff = hb_blob_get_length(cff) > 0;
	hb_blob_destroy(cff);
	pf->nglyphs = hb_face_get_glyph_count(df);
	hb_face_destroy(df);
	hb_blob_destroy(blob);
	if (!pf->nglyphs)
		pf->nglyphs = 1;
	unsigned nold = hb_face_get_glyph_count(hf);
	/* The face's glyph -> the subset's (the inverse of pf->old). */
	uint32_t *o2n = NULL;
	if (pf->old) {
		o2n = xmalloc((nold ? nold : 1) * sizeof(*o2n));
		for (unsigned g = 0; g < nold; g++)
			o2n[g] = HB_MAP_VALUE_INVALID;
		for (unsigned g = 0; g < pf->nglyphs && g < pf->nold; g++)
			if (pf->old[g] < nold)
				o2n[pf->old[g]] = g;
	}
	pf->gid = xcalloc(65536, sizeof(*pf->gid));
	pf->unicode = xcalloc(pf->nglyphs, sizeof(*pf->unicode));
	pf->width = xcalloc(pf->nglyphs, sizeof(*pf->width));
	pf->glyph = xcalloc(65536, sizeof(*pf->glyph));
	pf->text = xcalloc(pf->nglyphs, sizeof(*pf->text));
	const uint8_t *by_gid = used + 65536;
	size_t ngid = nold < 65536 ? nold : 65536;
	for (size_t at = next_used(by_gid, 0, ngid); at < ngid; at = next_used(by_gid, at + 1, ngid)) {
		uint32_t old = (uint32_t)at;
		hb_codepoint_t g = o2n ? o2n[old] : old;
		if (g == HB_MAP_VALUE_INVALID || g >= pf->nglyphs || g > 0xFFFF)
			continue;
		pf->glyph[old] = (uint16_t)g;
		pf->text[g] = tx_glyph_text(f, face, old);
		const char *alt = tx_glyph_text(f, face, 0x10000 + old);
		if (alt) {
			if (!pf->alt)
				pf->alt = xcalloc(pf->nglyphs, sizeof(*pf->alt));
			pf->alt[g] = alt;
		}
	}
	for (size_t cp = next_used(used, 0, 65536); cp < 65536; cp = next_used(used, cp + 1, 65536)) {
		hb_codepoint_t g;
		if (!hb_font_get_nominal_glyph(font, (hb_codepoint_t)cp, &g))
			continue;
		if (o2n)
			g = g < nold ? o2n[g] : HB_MAP_VALUE_INVALID;
		if (g == HB_MAP_VALUE_INVALID || g >= pf->nglyphs || g > 0xFFFF)
			continue;
		pf->gid[cp] = (uint16_t)g;
		if (!pf->unicode[g])
			pf->unicode[g] = (uint32_t)cp;
	}
	for (unsigned g = 0; g < pf->nglyphs; g++) {
		hb_codepoint_t old = pf->old ? (g < pf->nold ? pf->old[g] : HB_MAP_VALUE_INVALID) : g;
		if (old != HB_MAP_VALUE_INVALID)
			pf->width[g] = tx_glyph_advance(font, upem, old);
	}
	free(o2n);

	hb_font_extents_t ext;
	hb_font_get_h_extents(font, &ext);
	pf->ascent = ext.ascender * scale;
	pf->descent = ext.descender * scale;
	hb_position_t cap;
	pf->cap_height = hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0
				 ? cap * scale
				 : pf->ascent * 0.7;
	pf->italic_angle = hb_style_get_value(font, HB_STYLE_TAG_SLANT_ANGLE);
	pf->italic = pf->italic_angle != 0 || hb_style_get_value(font, HB_STYLE_TAG_ITALIC) > 0;
	pf->weight = (int)hb_style_get_value(font, HB_STYLE_TAG_WEIGHT);
	read_tables(hf, scale, pf);
	read_names(hf, pf);
	/* An instance of a variable font is named by its axes:
	 * "Inter-wght430-slnt0", so that each of a file's faces has a
	 * name of its own. */
	unsigned nvars;
	const hb_variation_t *vars = tx_variations(f, face, &nvars);
	for (unsigned i = 0; i < nvars; i++) {
		char tag[5];
		hb_tag_to_string(vars[i].tag, tag);
		tag[4] = 0;
		size_t at = strlen(pf->psname);
		bool ok = true;
		for (int k = 0; k < 4; k++)
			ok &= (tag[k] >= 'a' && tag[k] <= 'z') || (tag[k] >= 'A' && tag[k] <= 'Z') ||
			      (tag[k] >= '0' && tag[k] <= '9');
		if (ok && at + 16 < sizeof(pf->psname))
			snprintf(pf->psname + at, sizeof(pf->psname) - at, "-%s%ld", tag,
				 lround(fabs(vars[i].value)));
	}
}

int tx_pdffont_make(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    struct tx_pdffont *pf)
{
	memset(pf, 0, sizeof(*pf));
	hb_font_t *font = tx_hb_font(f, face);
	hb_face_t *hf = hb_font_get_face(font);

	hb_subset_input_t *in = subset_input(font, used, false);
	/* A variable font is cut to the style's instance: its axes pinned,
	 * so that the embedded font is a static one with these outlines. */
	unsigned nvars;
	const hb_variation_t *vars = tx_variations(f, face, &nvars);
	for (unsigned i = 0; in && i < nvars; i++)
		if (!hb_subset_input_pin_axis_location(in, hf, vars[i].tag, vars[i].value)) {
			hb_subset_input_destroy(in);
			in = NULL;
		}
	hb_subset_plan_t *plan = in ? hb_subset_plan_create_or_fail(hf, in) : NULL;
	hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
	if (in)
		hb_subset_input_destroy(in);
	const hb_map_t *n2o = sub ? hb_subset_plan_new_to_old_glyph_mapping(plan) : NULL;
	/* Without a subset (HarfBuzz refused), the whole font goes in with
	 * its own glyph numbers. */
	hb_blob_t *blob = sub ? hb_face_reference_blob(sub) : hb_face_reference_blob(hf);
	unsigned n;
	const char *data = hb_blob_get_data(blob, &n);
	if (!n) {
		hb_blob_destroy(blob);
		hb_face_destroy(sub);
		hb_subset_plan_destroy(plan);
		return -1;
	}
	pf->data = xmalloc(n);
	memcpy(pf->data, data, n);
	pf->len = n;
	pf->subset = sub != NULL;
	hb_blob_destroy(blob);
	if (sub) {
		pf->nold = hb_face_get_glyph_count(sub);
		pf->old = xmalloc((pf->nold ? pf->nold : 1) * sizeof(*pf->old));
		for (unsigned g = 0; g < pf->nold; g++)
			pf->old[g] = hb_map_get(n2o, g);
	}
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	fill(f, face, used, pf);
	return 0;
}

int tx_pdffont_from(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    const char *data, size_t len, const uint32_t *old, unsigned nold,
		    struct tx_pdffont *pf)
{
	memset(pf, 0, sizeof(*pf));
	if (!len || len > UINT32_MAX)
		return -1;
	pf->data = xmalloc(len);
	memcpy(pf->data, data, len);
	pf->len = len;
	pf->subset = old != NULL;
	if (old) {
		pf->nold = nold;
		pf->old = xmalloc((nold ? nold : 1) * sizeof(*pf->old));
		memcpy(pf->old, old, nold * sizeof(*pf->old));
	}
	fill(f, face, used, pf);
	return 0;
}

bool tx_pdffont_key(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    uint64_t key[3])
{
	/* The font file and its instance, HarfBuzz's version and what this
	 * file asks of the subsetter (the "pdf 1": bump it when
	 * subset_input changes). */
	uint64_t h = tx_face_key(f, face, HASH_FNV1A_BASIS);
	if (!h)
		return false;
	char how[96];
	int n = snprintf(how, sizeof(how), "hb-subset %s pdf 1 flags %u", hb_version_string(),
			 (unsigned)HB_SUBSET_FLAGS_NO_HINTING);
	for (size_t i = 0; i < ARRAY_LEN(dropped); i++) /* the tables left out */
		h = hash_fnv1a_from(h, dropped[i], strlen(dropped[i]) + 1);
	/* The flags by their nonzero words: CRC-32 and Adler-32 over all
	 * 128 KB were 1 M instructions a face, each build. */
	key[0] = hash_fnv1a_sparse(HASH_FNV1A_BASIS, used, TX_USED_LEN);
	key[1] = h;
	key[2] = hash_fnv1a(how, (size_t)n);
	return true;
}

void tx_pdffont_release(struct tx_pdffont *pf)
{
	free(pf->data);
	free(pf->gid);
	free(pf->unicode);
	free(pf->width);
	free(pf->glyph);
	free(pf->text);
	free(pf->alt);
	free(pf->old);
	memset(pf, 0, sizeof(*pf));
}
