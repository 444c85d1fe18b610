/*
 * pdf-int.h - what the PDF stage's files share and nobody else sees.
 */
#ifndef OCTAVO_PDF_INT_H
#define OCTAVO_PDF_INT_H

#include "pdf.h"

#include <hpdf.h>
#include <hpdf_objects.h>

/*
 * The image as an image XObject (pdf owns it), made from the bytes the
 * book stage read and checked (img->data), never from the file: a PNG
 * that PDF can take as it is passes through (pdf_png_passthrough); any
 * other PNG is decoded by libpng (bk_image_decode), its alpha, if any,
 * a soft mask (/SMask); a JPEG goes in as it is (DCTDecode). Returns
 * NULL with the reason in why (n bytes) when it cannot be made.
 */
HPDF_Image pdf_image_load(HPDF_Doc pdf, const struct bk_image *img, char *why, size_t n);

/*
 * The PNG in p (len bytes, checked by bk_image_check) as an image XObject
 * whose data is the file's own compressed image data, passed through
 * with PNG's predictors (/DecodeParms), never decoded and deflated again.
 * NULL when the PNG needs decoding: an alpha channel or transparency
 * (which PDF keeps in a separate mask), 16 bits, interlacing.
 */
HPDF_Image pdf_png_passthrough(HPDF_Doc pdf, const unsigned char *p, size_t len);

/* Marks a stream whose data is already deflated: libharu writes it as it
 * is, and the dictionary says /Filter /FlateDecode. */
void pdf_mark_deflated(HPDF_Dict stream);

/* Gives stream's dictionary data (malloc'd, len bytes) as its contents,
 * in place of libharu's memory stream, which keeps even a 2 KB page in
 * 4 KB blocks. The dictionary owns data from then on. */
int pdf_stream_own(HPDF_Dict dict, char *data, size_t len);

/* The font dictionaries of one face made ready (tx_pdffont_make): a Type0
 * font, Identity-H, over a CIDFontType2 with the subset and ToUnicode, as
 * the book's pages use (pdf.c). NULL when libharu failed. */
HPDF_Dict pdf_font_dict(HPDF_Doc pdf, const struct tx_pdffont *pf);

#endif
