/*
 * epub16.c - the accessible EPUB's engines: smart punctuation for YAML
 * strings, no-break spaces beside spaces, the features and licence names
 * the EPUB's font subsets keep, the stylesheet's features, and figures'
 * long descriptions.
 */
#define _GNU_SOURCE
#include "book/book.h"
#include "epub/epub-int.h"
#include "text/text.h"

#include "unit/unit.h"

#include <hb-ot.h>
#include <hb.h>

#include <stdlib.h>
#include <string.h>

UNIT_TEST(smarten_yaml_strings)
{
	struct arena a;
	ar_init(&a);
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"A commissioner's case", "A commissioner\u2019s case"},
	    {"\"Social wealth\" counts", "\u201CSocial wealth\u201D counts"},
	    {"the 'big society', again", "the \u2018big society\u2019, again"},
	    {"'90s music", "\u201990s music"},
	    {"Bread -- and roses", "Bread \u2013 and roses"},
	    {"Yes---no", "Yes\u2014no"},
	    {"four ---- hyphens", "four \u2013\u2013 hyphens"},
	    {"Wait...", "Wait\u2026"},
	    {"(\"quoted\")", "(\u201Cquoted\u201D)"},
	    {"a well-known term", "a well-known term"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = bk_smarten(&a, cases[i].in);
		UCHECK(got && !strcmp(got, cases[i].out), "bk_smarten('%s') = '%s', want '%s'",
		       cases[i].in, got ? got : "(null)", cases[i].out);
	}
	const char *plain = "Nothing to turn";
	UCHECK(bk_smarten(&a, plain) == plain, "a string with nothing to turn is kept as it is");
	UCHECK(bk_smarten(&a, NULL) == NULL, "NULL stays NULL");
	ar_release(&a);
}

UNIT_TEST(nbsp_beside_space_collapses)
{
	const char *t = "July 2011. \xC2\xA0It was,\xC2\xA0 said \xC2\xA0\xC2\xA0x a\xC2\xA0"
			"b";
	size_t n = strlen(t);
	bool *nb = calloc(n + 1, sizeof(bool));
	epub_nbsp_collapse(t, n, nb);
	const char *first = strstr(t, "\xC2\xA0It"), *second = strstr(t, ",\xC2\xA0 ") + 1;
	const char *kept = strstr(t, "a\xC2\xA0") + 1;
	UCHECK(nb[first - t], "a no-break space after a space is dropped");
	UCHECK(nb[second - t], "a no-break space before a space is dropped");
	UCHECK(!nb[kept - t], "a no-break space between words is kept");
	size_t marked = 0;
	for (size_t i = 0; i < n; i++)
		marked += nb[i];
	UCHECK(marked == 3, "three no-break spaces stand beside a space: %zu marked", marked);
	free(nb);
}

UNIT_TEST(css_features)
{
	struct epub e;
	memset(&e, 0, sizeof(e));
	ar_init(&e.arena);
	const char *css = "p.byline { font-variant: small-caps; }\n"
			  "td { font-variant-numeric: tabular-nums oldstyle-nums; }\n"
			  "h1 { font-feature-settings: \"ss01\" 1, 'dlig'; }\n"
			  "/* a small-caps again */ .x { font-variant: all-small-caps; }\n"
			  ".not-small-caps-class { color: red; }\n";
	const char *f = epub_css_features(&e, css, strlen(css));
	UCHECK(!strcmp(f, "smcp tnum onum ss01 dlig c2sc"), "features of the CSS: '%s'", f);
	UCHECK(!strcmp(epub_css_features(&e, "", 0), ""), "no CSS, no features");
	ar_release(&e.arena);
}

/* The GSUB feature tags of a font, through HarfBuzz. */
static bool gsub_has(hb_face_t *face, const char *tag)
{
	hb_tag_t tags[128];
	unsigned n = 128;
	hb_ot_layout_table_get_feature_tags(face, HB_OT_TAG_GSUB, 0, &n, tags);
	for (unsigned i = 0; i < n; i++)
		if (tags[i] == hb_tag_from_string(tag, 4))
			return true;
	return false;
}

/* The glyph HarfBuzz shapes 'a' into with features (may be ""). */
static hb_codepoint_t shaped_a(hb_font_t *font, const char *feature)
{
	hb_buffer_t *buf = hb_buffer_create();
	hb_buffer_add_utf8(buf, "a", 1, 0, 1);
	hb_buffer_guess_segment_properties(buf);
	hb_feature_t f;
	bool use = *feature && hb_feature_from_string(feature, -1, &f);
	hb_shape(font, buf, use ? &f : NULL, use ? 1 : 0);
	unsigned n;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
	hb_codepoint_t g = n ? info[0].codepoint : 0;
	hb_buffer_destroy(buf);
	return g;
}

UNIT_TEST(epub_subset_keeps_small_caps_and_licence)
{
	const char *path = "fonts/CharisSIL-Regular.ttf";
	uint8_t *used = calloc(65536, 1);
	for (int c = 'A'; c <= 'Z'; c++)
		used[c] = used[c + 32] = 1;
	size_t len = 0;
	char *data = tx_subset_file(path, used, true, "onum", &len);
	UCHECK(data && len > 0, "Charis SIL subsets for the EPUB");
	if (!data) {
		free(used);
		return;
	}
	UCHECK(epub_font_has_feature(data, len, "smcp") && epub_font_has_feature(data, len, "c2sc"),
	       "the EPUB subset keeps smcp and c2sc (its GSUB, as the EPUB stage reads it)");
	UCHECK(!epub_font_has_feature(data, len, "ss05"),
	       "a feature no one asked for (ss05) is left out");
	hb_blob_t *blob = hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *face = hb_face_create(blob, 0);
	hb_font_t *font = hb_font_create(face);
	UCHECK(gsub_has(face, "smcp") && gsub_has(face, "c2sc"),
	       "HarfBuzz finds smcp and c2sc in the subset");
	UCHECK(shaped_a(font, "smcp") != shaped_a(font, ""),
	       "'a' with smcp shapes to a small capital, a glyph the subset kept");
	unsigned nnames = 0;
	const hb_ot_name_entry_t *names = hb_ot_name_list_names(face, &nnames);
	bool lic = false, url = false;
	for (unsigned i = 0; i < nnames; i++) {
		lic |= names[i].name_id == HB_OT_NAME_ID_LICENSE;
		url |= names[i].name_id == HB_OT_NAME_ID_LICENSE_URL;
	}
	UCHECK(lic && url, "the subset's name table keeps the licence (13) and its URL (14)");
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	free(data);

	/* The PDF's cut is not the EPUB's: no layout tables there. */
	data = tx_subset_file(path, used, false, NULL, &len);
	UCHECK(data && !epub_font_has_feature(data, len, "smcp"), "the print subset has no GSUB");
	free(data);
	free(used);
}

UNIT_TEST(figure_long_description)
{
	struct arena a;
	ar_init(&a);
	struct bk_part p;
	memset(&p, 0, sizeof(p));
	p.id = "essay-01";
	const char *md = "---\ntitle: T\n---\n\n"
			 "![Bars by year](images/funding-mix.png)\n\n"
			 "> **Description:** Five bars.\n>\n"
			 "> | Year | Share |\n> |---|---|\n> | 2007 | 48 |\n\n"
			 "![Other](images/funding-mix.png)\n\n"
			 "> A quotation, not a description.\n";
	char *msgs = NULL;
	size_t mlen;
	FILE *mem = open_memstream(&msgs, &mlen);
	struct diag d;
	diag_init(&d, mem);
	book_parse_part(&a, &p, "manuscript/t.md", "manuscript", md, strlen(md), &d);
	fclose(mem);
	free(msgs);
	size_t fig = p.nblocks, other = p.nblocks;
	for (size_t i = 0; i < p.nblocks; i++)
		if (p.blocks[i].kind == BK_FIGURE) {
			if (fig == p.nblocks)
				fig = i;
			else
				other = i;
		}
	if (fig == p.nblocks || other == p.nblocks) {
		UCHECK(fig < p.nblocks, "the test part holds two figures (%zu blocks)", p.nblocks);
		ar_release(&a);
		return;
	}
	const struct bk_block *desc = bk_figure_description(p.blocks, p.nblocks, fig);
	UCHECK(desc && desc->kind == BK_QUOTE, "the quote after the first figure is its description");
	UCHECK(!bk_figure_description(p.blocks, p.nblocks, other),
	       "a quote not labelled 'Description' is no description");
	const char *alt = bk_figure_alt(&a, p.blocks, p.nblocks, fig);
	UCHECK(alt && !strcmp(alt, "Bars by year. Description: Five bars. Year Share 2007 48"),
	       "the /Alt text: alt, then the description's words: '%s'", alt ? alt : "(null)");
	const char *plain = bk_figure_alt(&a, p.blocks, p.nblocks, other);
	UCHECK(plain && !strcmp(plain, "Other"), "no description: the alt text alone");
	ar_release(&a);
}
