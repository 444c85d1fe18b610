/*
 * subset.c - a face cut down to the glyphs a book uses, for embedding.
 *
 * libharu embeds a TrueType font nearly whole and deflates it, which was
 * most of the PDF's size and time. HarfBuzz's subsetter keeps only the
 * glyphs for the code points the pages use (and what they reference).
 */
#include "text.h"

#include <hb-subset.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>

char *tx_subset(const struct tx_fonts *f, enum tx_face face, const uint8_t *used, size_t *len)
{
	return tx_subset_file(tx_font_path(f, face), used, false, len);
}

char *tx_subset_file(const char *path, const uint8_t *used, bool for_screen, size_t *len)
{
	hb_blob_t *src = hb_blob_create_from_file(path);
	hb_face_t *hf = hb_face_create(src, 0);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	char *out = NULL;
	if (!in)
		goto done;
	hb_set_t *cps = hb_subset_input_unicode_set(in);
	for (uint32_t cp = 0; cp < 65536; cp++)
		if (used[cp])
			hb_set_add(cps, cp);
	/* The PDF needs outlines, metrics and the cmap; not hinting (PDF
	 * viewers rasterise themselves) nor the shaping tables (we shaped).
	 * A reading system shapes for itself: it keeps GSUB and GPOS (and
	 * the hinting, for screens). Graphite tables go either way. */
	if (!for_screen)
		hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	static const char *const tags[] = {"Silf", "Glat", "Gloc", "Feat", "Sill", "DSIG",
					   "GSUB", "GPOS", "GDEF", "kern"};
	for (size_t i = 0; i < ARRAY_LEN(tags) - (for_screen ? 4 : 0); i++)
		hb_set_add(drop, hb_tag_from_string(tags[i], -1));
	hb_face_t *sub = hb_subset_or_fail(hf, in);
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
