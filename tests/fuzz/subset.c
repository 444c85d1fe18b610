/*
 * subset.c - makes the small fonts the fuzzers use: each face cut down to
 * Latin, general punctuation and the ligatures, so that embedding fonts in
 * every PDF and EPUB the fuzzer writes costs milliseconds, not a quarter
 * of a second. Characters outside the subset then exercise the
 * missing-glyph paths, which is no loss.
 *   subset IN.ttf OUT.ttf
 */
#include <hb-subset.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: subset IN.ttf OUT.ttf\n");
		return 2;
	}
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(argv[1]);
	if (!blob) {
		fprintf(stderr, "subset: cannot read %s\n", argv[1]);
		return 1;
	}
	hb_face_t *face = hb_face_create(blob, 0);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_set_t *u = hb_subset_input_unicode_set(in);
	static const unsigned ranges[][2] = {
	    {0x20, 0x7E}, {0xA0, 0x17F}, {0x2000, 0x206F}, {0x20AC, 0x20AC}, {0xFB00, 0xFB04},
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		hb_set_add_range(u, ranges[i][0], ranges[i][1]);
	hb_face_t *sub = hb_subset_or_fail(face, in);
	if (!sub) {
		fprintf(stderr, "subset: cannot subset %s\n", argv[1]);
		return 1;
	}
	hb_blob_t *outb = hb_face_reference_blob(sub);
	unsigned len;
	const char *data = hb_blob_get_data(outb, &len);
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(argv[2]);
		return 1;
	}
	hb_blob_destroy(outb);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return 0;
}
