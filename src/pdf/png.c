/*
 * png.c - PNG images into the PDF without decoding them.
 *
 * A PNG's IDAT chunks together are a zlib stream of scanlines, each led by
 * a filter byte: exactly what PDF's FlateDecode with /Predictor 15 reads
 * (PDF 32000 7.4.4.4). So the image goes in as the file holds it, once
 * the book stage has decoded it all to know the data good. Decoding it
 * again and deflating the pixels, for a 1200 x 700 chart, was a third of
 * the whole build.
 */
#include "pdf-int.h"

#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

HPDF_Image pdf_png_passthrough(HPDF_Doc pdf, const unsigned char *p, size_t len)
{
	HPDF_Image img = NULL;
	/* The book stage walked the chunks and decoded all the data. */
	if (len < 33 || memcmp(p + 1, "PNG", 3) || memcmp(p + 12, "IHDR", 4))
		goto out;
	uint32_t w = be32(p + 16), h = be32(p + 20);
	unsigned depth = p[24], type = p[25];
	unsigned colors = type == 2 ? 3 : 1;
	/* 16-bit samples need PDF 1.5; libharu writes 1.3. */
	bool depth_ok = type == 2 ? depth == 8
				  : depth == 1 || depth == 2 || depth == 4 || depth == 8;
	if ((type != 0 && type != 2 && type != 3) || !depth_ok || p[26] || p[27] || p[28] || !w ||
	    !h || w > 0x7FFFFFFF || h > 0x7FFFFFFF)
		goto out; /* alpha, 16 bits, an unknown method, interlacing */
	const unsigned char *plte = NULL;
	uint32_t nplte = 0;
	size_t idat = 0;
	for (size_t i = 8; i + 12 <= len;) {
		uint32_t n = be32(p + i);
		if (n > len - i - 12)
			goto out;
		const unsigned char *t = p + i + 4;
		if (!memcmp(t, "tRNS", 4))
			goto out; /* transparency: an alpha plane, decoded */
		if (!memcmp(t, "PLTE", 4))
			plte = t + 4, nplte = n;
		if (!memcmp(t, "IDAT", 4))
			idat += n;
		if (!memcmp(t, "IEND", 4))
			break;
		i += (size_t)n + 12;
	}
	if (!idat || (type == 3 && (!plte || nplte % 3 || nplte == 0 || nplte > 768)))
		goto out;

	HPDF_Dict d = pdf_stream_new(pdf);
	HPDF_Dict parms = HPDF_Dict_New(pdf_doc_mmgr(pdf));
	if (!d || !parms)
		goto out;
	pdf_mark_xobject(d);
	HPDF_Dict_AddName(d, "Type", "XObject");
	HPDF_Dict_AddName(d, "Subtype", "Image");
	HPDF_Dict_AddNumber(d, "Width", (HPDF_INT32)w);
	HPDF_Dict_AddNumber(d, "Height", (HPDF_INT32)h);
	HPDF_Dict_AddNumber(d, "BitsPerComponent", (HPDF_INT32)depth);
	if (type == 3) {
		HPDF_Array cs = HPDF_Array_New(pdf_doc_mmgr(pdf));
		HPDF_Array_AddName(cs, "Indexed");
		HPDF_Array_AddName(cs, "DeviceRGB");
		HPDF_Array_AddNumber(cs, (HPDF_INT32)(nplte / 3 - 1));
		HPDF_Array_Add(cs, HPDF_Binary_New(pdf_doc_mmgr(pdf), (HPDF_BYTE *)plte, nplte));
		HPDF_Dict_Add(d, "ColorSpace", cs);
	} else {
		HPDF_Dict_AddName(d, "ColorSpace", type == 2 ? "DeviceRGB" : "DeviceGray");
	}
	HPDF_Dict_AddNumber(parms, "Predictor", 15);
	HPDF_Dict_AddNumber(parms, "Colors", (HPDF_INT32)colors);
	HPDF_Dict_AddNumber(parms, "BitsPerComponent", (HPDF_INT32)depth);
	HPDF_Dict_AddNumber(parms, "Columns", (HPDF_INT32)w);
	HPDF_Dict_Add(d, "DecodeParms", parms);
	pdf_mark_deflated(d);
	for (size_t i = 8; i + 12 <= len;) {
		uint32_t n = be32(p + i);
		if (!memcmp(p + i + 4, "IDAT", 4))
			pdf_stream_write(d, p + i + 8, n);
		if (!memcmp(p + i + 4, "IEND", 4))
			break;
		i += (size_t)n + 12;
	}
	img = d;
out:
	return img;
}
