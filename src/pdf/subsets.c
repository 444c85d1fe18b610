/*
 * subsets.c - the PDF's font subsets, made by HarfBuzz or taken from an
 * earlier build's store (struct pdf_store, pdf.h).
 *
 * Cutting the edition's three faces down was 11.8 M of its PDF's
 * instructions (hb-subset's plan and its execution), and a rebuild asks
 * for the same cut while the text uses the same characters. The record is
 * kept under tx_pdffont_key (the used table's sums; the font file's path
 * and identity, as the EPUB's font cache keys it; HarfBuzz's version):
 * the font file's bytes and its glyphs' numbers in the face, from which
 * tx_pdffont_from works out the rest as tx_pdffont_make does.
 *
 * A record: a uint32_t nold (NOT_SUBSET when HarfBuzz could not cut the
 * face), the CRC-32 of the font file, nold uint32_t glyph numbers, then
 * the font file. One that does not parse, or whose font file is not the
 * one its CRC-32 names (the store checks its records too), is a miss.
 */
#include "pdf-int.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define NOT_SUBSET UINT32_MAX

int pdf_font_subset(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    const struct pdf_store *st, struct tx_pdffont *pf)
{
	uint64_t k[3];
	if (!st || !tx_pdffont_key(f, face, used, k))
		return tx_pdffont_make(f, face, used, pf);
	struct pdf_zkey key = {k[0], k[1], k[2]};
	size_t n = 0;
	const char *r = st->get ? st->get(st->ctx, &key, &n) : NULL;
	uint32_t head[2]; /* nold, the font file's CRC-32 */
	if (r && n > sizeof(head)) {
		memcpy(head, r, sizeof(head));
		uint32_t nold = head[0];
		size_t at =
		    sizeof(head) + (nold == NOT_SUBSET ? 0 : (size_t)nold * sizeof(uint32_t));
		if ((nold <= 65536 || nold == NOT_SUBSET) && n > at &&
		    crc32(0, (const Bytef *)r + at, (uInt)(n - at)) == head[1]) {
			uint32_t *old = NULL;
			if (nold != NOT_SUBSET) { /* r is not aligned */
				old = xmalloc((nold ? nold : 1) * sizeof(*old));
				memcpy(old, r + sizeof(head), (size_t)nold * sizeof(*old));
			}
			int rc = tx_pdffont_from(f, face, used, r + at, n - at, old,
						 nold == NOT_SUBSET ? 0 : nold, pf);
			free(old);
			if (rc == 0)
				return 0;
		}
	}
	if (tx_pdffont_make(f, face, used, pf) < 0)
		return -1;
	{
		uint32_t h[2] = {pf->old ? pf->nold : NOT_SUBSET,
				 (uint32_t)crc32(0, (const Bytef *)pf->data, (uInt)pf->len)};
		size_t at = sizeof(h) + (pf->old ? (size_t)pf->nold * sizeof(uint32_t) : 0);
		char *rec = xmalloc(at + pf->len);
		memcpy(rec, h, sizeof(h));
		if (pf->old)
			memcpy(rec + sizeof(h), pf->old, (size_t)pf->nold * sizeof(uint32_t));
		memcpy(rec + at, pf->data, pf->len);
		st->keep(st->ctx, &key, rec, at + pf->len); /* the store's now */
	}
	return 0;
}
