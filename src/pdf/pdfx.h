/*
 * pdfx.h - PDF/X for any libharu document the pdf stage makes (the
 * interior, pdf.c; a cover): the output intent, the identification, the
 * version, the page boxes at a spine that takes no bleed. Only pdf/
 * includes it (it needs hpdf.h).
 */
#ifndef OCTAVO_PDFX_H
#define OCTAVO_PDFX_H

#include "pdf.h"

#include <hpdf.h>

/*
 * Makes pdf a PDF/X file as profile p asks (nothing when p is NULL or a
 * plain PDF): the header's version (1.3 for PDF/X-1a:2001, 1.6 for
 * PDF/X-4); an /OutputIntents array in the catalog holding one
 * /GTS_PDFX intent with p's OutputConditionIdentifier, OutputCondition,
 * RegistryName, Info and the ICC profile icc (icc_len bytes) embedded as
 * its DestOutputProfile; GTS_PDFXVersion (and GTS_PDFXConformance for
 * X-1a) and /Trapped /False in the document information, with a creation
 * and modification date when it has none yet (SOURCE_DATE_EPOCH, else
 * now); and the trailer's /ID, two 16-byte strings made from the book's
 * identity (b->meta: uuid, title, revision), so that the same book gives
 * the same file. Call it after the document information is set and
 * before saving. The XMP side is pdfx_xmp. Returns 0, or -1 after
 * reporting libharu's failure (or a missing profile) to d.
 */
int pdfx_apply(HPDF_Doc pdf, const struct print_profile *p, const unsigned char *icc,
	       size_t icc_len, const struct book *b, struct diag *d);

/* Appends to sb, inside an XMP packet's rdf:RDF, the rdf:Description
 * that PDF/X asks of the metadata: for X-4 pdfxid:GTS_PDFXVersion, for
 * X-1a:2001 the pdfx: version and conformance (pdfxid is X-4's), then
 * pdf:Trapped False, the xmpMM document and version ids and the metadata
 * date. Nothing for a plain PDF. */
void pdfx_xmp(const struct print_profile *p, const struct book *b, struct strbuf *sb);

/*
 * Where the trim box sits on pages of width page_w for profile p: ox[0]
 * for a recto (even page index: page 1 is a recto), ox[1] for a verso,
 * given off (bleed plus the room for crop marks, as on the head and foot)
 * and bleed. A printer that takes no bleed at the spine (KDP, IngramSpark)
 * gets none there: the recto's trim starts at the media's left edge less
 * the marks, the verso's bleed is on its left. Returns the media box's
 * width.
 */
double pdfx_page_offsets(const struct print_profile *p, double page_w, double off, double bleed,
			 double ox[2]);

#endif
