/*
 * pdf-int.h - what the PDF stage's files share and nobody else sees.
 */
#ifndef OCTAVO_PDF_INT_H
#define OCTAVO_PDF_INT_H

#include "pdf.h"

#include "pdfx.h"

#include <hpdf.h>
#include <hpdf_objects.h>

/* ===== print colour (colour.c) ========================================= */

/* The colour transforms of one PDF, made as its images need them: one
 * per kind of source, whatever the number of images. */
struct pdf_colour;
void pdf_colour_free(struct pdf_colour *c);

/*
 * img as profile p's colour (p->colour not PRINT_AS_IS), placed at pw x ph
 * points: grey or the output profile's CMYK (icc, icc_len) through
 * littleCMS from the image's own ICC profile or sRGB, total ink limited
 * to p->ink_limit, alpha laid on the white page, and resampled to 600 ppi
 * when over 900 at its size (pixman). A grey image, or a CMYK one in a
 * CMYK interior with no ink limit, goes in as pdf_image_load puts it.
 * *cache holds the transforms (made on first use; free with
 * pdf_colour_free). Returns the image XObject, or NULL with the reason
 * in why (n bytes).
 */
HPDF_Image pdf_image_print(HPDF_Doc pdf, const struct bk_image *img, double pw, double ph,
			   const struct print_profile *p, const unsigned char *icc,
			   size_t icc_len, struct pdf_colour **cache, char *why, size_t n);

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

#endif
