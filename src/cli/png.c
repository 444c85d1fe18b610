/*
 * png.c - PNG files for the proof sheets, written by libpng.
 *
 * libpng's simplified API filters the rows, deflates them through zlib and
 * checksums the chunks; octavo only hands it the pixels.
 */
#include "cli.h"

#include <assert.h>
#include <png.h>
#include <stdlib.h>

int cli_png_encode(const unsigned char *rgb, int w, int h, struct strbuf *out)
{
	assert(w > 0 && h > 0);
	png_image im = {.version = PNG_IMAGE_VERSION,
			.width = (png_uint_32)w,
			.height = (png_uint_32)h,
			.format = PNG_FORMAT_RGB};
	png_alloc_size_t size = 0;
	/* The first call measures, the second writes. */
	if (!png_image_write_to_memory(&im, NULL, &size, 0, rgb, 0, NULL))
		goto fail;
	unsigned char *buf = xmalloc(size);
	int ok = png_image_write_to_memory(&im, buf, &size, 0, rgb, 0, NULL);
	if (ok)
		sb_add(out, (const char *)buf, size);
	free(buf);
	if (ok)
		return 0;
fail:
	/* libpng's own words: the caller reports them. */
	sb_adds(out, im.message);
	png_image_free(&im);
	return -1;
}
