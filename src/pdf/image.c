/*
 * image.c - a book's images into the PDF, from the bytes the book stage
 * read and checked; the file is never opened here.
 *
 * A PNG that PDF can read as it is goes through undecoded (png.c). Any
 * other is decoded by the book stage's libpng reader (bk_image_decode)
 * and embedded through libharu's public API: the colour as a raw image,
 * the alpha as a second, grey image that the first names as its soft
 * mask (/SMask, PDF 32000 11.6.5.3), as libharu's own PNG loader does.
 * That loader is not used: it crashed on an RGB PNG with a tRNS colour
 * key and aborted the process on damaged data.
 */
#include "pdf-int.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* A PNG decoded: the colour, with the alpha as its soft mask. */
static HPDF_Image decoded(HPDF_Doc pdf, const struct bk_image *img, char *why, size_t n)
{
	struct bk_pixels px;
	if (bk_image_decode(img, &px, why, n) < 0)
		return NULL;
	HPDF_UINT w = (HPDF_UINT)px.width, h = (HPDF_UINT)px.height;
	HPDF_Image im = HPDF_LoadRawImageFromMem(
	    pdf, px.color, w, h, px.colors == 3 ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
	if (im && px.alpha) {
		HPDF_Image mask = HPDF_LoadRawImageFromMem(pdf, px.alpha, w, h, HPDF_CS_DEVICE_GRAY, 8);
		if (!mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK)
			im = NULL;
	}
	bk_pixels_release(&px);
	if (!im)
		snprintf(why, n, "libharu error 0x%04X", (unsigned)HPDF_GetError(pdf));
	return im;
}

HPDF_Image pdf_image_load(HPDF_Doc pdf, const struct bk_image *img, char *why, size_t n)
{
	assert(img->data && img->len);
	if (!strcmp(img->media_type, "image/png")) {
		HPDF_Image im = pdf_png_passthrough(pdf, img->data, img->len);
		return im ? im : decoded(pdf, img, why, n);
	}
	HPDF_Image im = HPDF_LoadJpegImageFromMem(pdf, img->data, (HPDF_UINT)img->len);
	if (!im)
		snprintf(why, n, "libharu error 0x%04X", (unsigned)HPDF_GetError(pdf));
	return im;
}
