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
 * key and aborted the process on damaged data. A JPEG goes in as it is.
 */
#include "pdf-int.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

HPDF_Image pdf_image_pixels(HPDF_Doc pdf, const struct bk_pixels *px, char *why, size_t n)
{
	HPDF_UINT w = (HPDF_UINT)px->width, h = (HPDF_UINT)px->height;
	HPDF_ColorSpace cs = px->colors == 1   ? HPDF_CS_DEVICE_GRAY
			     : px->colors == 3 ? HPDF_CS_DEVICE_RGB
					       : HPDF_CS_DEVICE_CMYK;
	HPDF_Image im = HPDF_LoadRawImageFromMem(pdf, px->color, w, h, cs, 8);
	if (im && px->alpha) {
		HPDF_Image mask =
		    HPDF_LoadRawImageFromMem(pdf, px->alpha, w, h, HPDF_CS_DEVICE_GRAY, 8);
		if (!mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK)
			im = NULL;
	}
	if (!im)
		snprintf(why, n, "libharu error 0x%04X", (unsigned)HPDF_GetError(pdf));
	return im;
}

/* A PNG decoded: the colour, with the alpha as its soft mask. */
static HPDF_Image decoded(HPDF_Doc pdf, const struct bk_image *img, char *why, size_t n)
{
	struct bk_pixels px;
	if (bk_image_decode(img, &px, why, n) < 0)
		return NULL;
	HPDF_Image im = pdf_image_pixels(pdf, &px, why, n);
	bk_pixels_release(&px);
	return im;
}

/*
 * A JPEG as it is, for PDF's DCTDecode to read, as the book stage's
 * libjpeg read all of it. Made with the object API as libharu's own JPEG
 * loader makes it, but from what libjpeg found: that loader walks the
 * markers itself and misreads the fill bytes (0xFF) that may pad them,
 * which libjpeg and every reader accept. Four components are CMYK as
 * Adobe's software writes it, inverted: /Decode [1 0 1 0 1 0 1 0], as
 * libharu has it.
 */
static HPDF_Image jpeg(HPDF_Doc pdf, const struct bk_image *img, char *why, size_t n)
{
	int c = img->components;
	assert(c == 1 || c == 3 || c == 4);
	HPDF_Dict d = pdf_stream_new(pdf);
	if (!d) {
		snprintf(why, n, "libharu error 0x%04X", (unsigned)HPDF_GetError(pdf));
		return NULL;
	}
	pdf_mark_xobject(d);
	HPDF_STATUS st = HPDF_Dict_AddName(d, "Type", "XObject");
	st |= HPDF_Dict_AddName(d, "Subtype", "Image");
	st |= HPDF_Dict_AddNumber(d, "Width", img->width);
	st |= HPDF_Dict_AddNumber(d, "Height", img->height);
	st |= HPDF_Dict_AddNumber(d, "BitsPerComponent", 8);
	st |= HPDF_Dict_AddName(d, "ColorSpace",
				c == 1	 ? "DeviceGray"
				: c == 3 ? "DeviceRGB"
					 : "DeviceCMYK");
	if (c == 4) {
		HPDF_Array decode = HPDF_Array_New(pdf_doc_mmgr(pdf));
		st |= decode ? HPDF_Dict_Add(d, "Decode", decode) : HPDF_FAILD_TO_ALLOC_MEM;
		for (int i = 0; i < 8 && decode; i++)
			st |= HPDF_Array_Add(decode, HPDF_Number_New(pdf_doc_mmgr(pdf), !(i & 1)));
	}
	pdf_stream_filter(d, HPDF_STREAM_FILTER_DCT_DECODE);
	st |= pdf_stream_write(d, img->data, (HPDF_UINT)img->len);
	if (st != HPDF_OK) {
		snprintf(why, n, "libharu error 0x%04X", (unsigned)HPDF_GetError(pdf));
		return NULL;
	}
	return d;
}

HPDF_Image pdf_image_load(HPDF_Doc pdf, const struct bk_image *img, char *why, size_t n)
{
	assert(img->data && img->len);
	if (!strcmp(img->media_type, "image/gif") || !strcmp(img->media_type, "image/svg+xml"))
		return decoded(pdf, img, why, n); /* through bk_image_decode_more */
	if (!strcmp(img->media_type, "image/png")) {
		HPDF_Image im = pdf_png_passthrough(pdf, img->data, img->len);
		return im ? im : decoded(pdf, img, why, n);
	}
	return jpeg(pdf, img, why, n);
}
