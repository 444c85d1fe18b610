/*
 * fuzz_image.c - libFuzzer target: arbitrary bytes as an image file (PNG
 * or JPEG, by their first bytes), through the very code a build runs on
 * one: bk_image_check, the book stage's check that decodes it all, then,
 * for bytes it passes, what the PDF stage makes of them (pdf_image_load:
 * the PNG pass-through, libpng's decode with its alpha mask, libharu's
 * JPEG loader) and libharu writing the objects out.
 *
 * Checked data that the PDF stage cannot take is a finding too: the
 * harness aborts, so the check and the writers never drift apart. A
 * PNG's chunk checksums are put right first (fix_crcs), or nearly every
 * mutation would stop there.
 */
#include "fuzz.h"

#include "book/book.h"
#include "pdf/pdf-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A small limit keeps every run fast; the code is the same at any. */
#define FUZZ_MAX_PIXELS 1000000L

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	HPDF_STATUS *first = user;
	if (!*first)
		*first = error_no ? error_no : detail_no;
}

static void fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz: image passed the check but %s: %s\n", what, why);
	abort();
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Puts right the CRC of every whole chunk of a PNG, so that a mutation
 * inside a chunk reaches libpng rather than stopping at the checksum.
 * The file is the same to every other part of the check. */
static void fix_crcs(unsigned char *p, size_t len)
{
	if (len < 8 || memcmp(p, "\x89PNG", 4))
		return;
	for (size_t i = 8; len - i >= 12;) {
		uint32_t n = be32(p + i);
		if (n > len - i - 12)
			break;
		uint32_t c = (uint32_t)crc32(crc32(0, NULL, 0), p + i + 4, n + 4);
		unsigned char *q = p + i + 8 + n;
		q[0] = (unsigned char)(c >> 24), q[1] = (unsigned char)(c >> 16);
		q[2] = (unsigned char)(c >> 8), q[3] = (unsigned char)c;
		i += (size_t)n + 12;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	unsigned char *data = xmalloc(size ? size : 1);
	memcpy(data, bytes, size);
	fix_crcs(data, size);
	struct bk_image img = {.src = "fuzz", .path = "fuzz", .alt = ""};
	char why[320];
	if (bk_image_check(&img, data, size, FUZZ_MAX_PIXELS, why, sizeof(why))) {
		free(data);
		return 0;
	}
	img.data = data;
	img.len = size;
	if (img.width <= 0 || img.height <= 0 || (long)img.width * img.height > FUZZ_MAX_PIXELS)
		fail("its size is out of bounds", img.media_type);

	if (!strcmp(img.media_type, "image/png")) {
		struct bk_pixels px;
		if (bk_image_decode(&img, &px, why, sizeof(why)) < 0)
			fail("does not decode", why);
		if (px.width != img.width || px.height != img.height ||
		    (px.colors != 1 && px.colors != 3))
			fail("decodes to another size", "");
		/* The last sample of each plane is there (ASan). */
		size_t n = (size_t)px.width * (size_t)px.height;
		volatile unsigned char last = px.color[n * (size_t)px.colors - 1];
		if (px.alpha)
			last = px.alpha[n - 1];
		(void)last;
		bk_pixels_release(&px);
	}

	HPDF_STATUS err = 0;
	HPDF_Doc pdf = HPDF_New(on_error, &err);
	if (!pdf)
		abort();
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_Image im = pdf_image_load(pdf, &img, why, sizeof(why));
	if (!im)
		fail("the PDF stage cannot take it", why);
	if (HPDF_SaveToStream(pdf) != HPDF_OK || err) {
		snprintf(why, sizeof(why), "libharu error 0x%04X", (unsigned)err);
		fail("libharu cannot write it", why);
	}
	HPDF_Free(pdf);
	free(data);
	return 0;
}
