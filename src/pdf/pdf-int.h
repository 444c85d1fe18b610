/*
 * pdf-int.h - what the PDF stage's files share and nobody else sees.
 */
#ifndef OCTAVO_PDF_INT_H
#define OCTAVO_PDF_INT_H

#include "pdf.h"

#include <hpdf.h>
#include <hpdf_objects.h>

/*
 * The PNG at path as an image XObject whose data is the file's own
 * compressed image data, passed through with PNG's predictors
 * (/DecodeParms), never decoded and deflated again. NULL when the PNG
 * needs decoding (an alpha channel or transparency, which PDF keeps in a
 * separate mask); libharu then loads it.
 */
HPDF_Image pdf_png_passthrough(HPDF_Doc pdf, const char *path);

/* Marks a stream whose data is already deflated: libharu writes it as it
 * is, and the dictionary says /Filter /FlateDecode. */
void pdf_mark_deflated(HPDF_Dict stream);

/* Gives stream's dictionary data (malloc'd, len bytes) as its contents,
 * in place of libharu's memory stream, which keeps even a 2 KB page in
 * 4 KB blocks. The dictionary owns data from then on. */
int pdf_stream_own(HPDF_Dict dict, char *data, size_t len);

#endif
