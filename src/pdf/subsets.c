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
 * face), nold uint32_t glyph numbers, then the font file. One that does
 * not parse is a miss.
 */
#include "pdf-int.h"

#include <stdlib.h>
#include <string.h>

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
	if (r && n > sizeof(uint32_t)) {
		uint32_t nold;
		memcpy(&nold, r, sizeof(nold));
		size_t head = sizeof(nold) + (nold == NOT_SUBSET ? 0 : (size_t)nold * sizeof(uint32_t));
		if (nold <= 65536 || nold == NOT_SUBSET) {
			if (n > head) {
				uint32_t *old = NULL;
				if (nold != NOT_SUBSET) { /* r is not aligned */
					old = xmalloc((nold ? nold : 1) * sizeof(*old));
					memcpy(old, r + sizeof(nold), (size_t)nold * sizeof(*old));
				}
				int rc = tx_pdffont_from(f, face, used, r + head, n - head, old,
							 nold == NOT_SUBSET ? 0 : nold, pf);
				free(old);
				if (rc == 0)
					return 0;
			}
		}
	}
	if (tx_pdffont_make(f, face, used, pf) < 0)
		return -1;
	if (st->keep) {
		uint32_t nold = pf->old ? pf->nold : NOT_SUBSET;
		size_t head = sizeof(nold) + (pf->old ? (size_t)pf->nold * sizeof(uint32_t) : 0);
		char *rec = xmalloc(head + pf->len);
		memcpy(rec, &nold, sizeof(nold));
		if (pf->old)
			memcpy(rec + sizeof(nold), pf->old, (size_t)pf->nold * sizeof(uint32_t));
		memcpy(rec + head, pf->data, pf->len);
		st->keep(st->ctx, &key, rec, head + pf->len);
		free(rec);
	}
	return 0;
}
