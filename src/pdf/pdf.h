/*
 * pdf.h - the pdf stage: laid-out pages into a PDF file through libharu.
 * Only this module includes hpdf.h.
 */
#ifndef OCTAVO_PDF_H
#define OCTAVO_PDF_H

#include "../layout/layout.h"

/*
 * Writes doc as a PDF to out_path, atomically: the file appears complete
 * or not at all, and a previous edition survives any failure. Fonts are
 * embedded from their files; document info comes from b. Returns 0, or -1
 * after reporting libharu's error (error and detail numbers) to d.
 */
int pdf_write(const struct book *b, const struct pg_doc *doc, const struct tx_fonts *f,
	      const char *out_path, struct diag *d);

#endif
