/*
 * lig15.c - the kerning after a word's own hyphen ("pre-Victorian"):
 * compose.c's add_text gives the piece before the break after it the
 * kerning across it, as add_hyphenated does at a hyphenation point.
 * tests/books/lig15 set in DejaVu Serif, which kerns "-V", "-T" and "-Y":
 * each letter after a hyphen inside a word is drawn where the two shaped
 * together put it - main drew it where the hyphen alone ends, 0.80 pt
 * too far right for "-V" at 11 pt. Skipped (not passed) without
 * fonts-dejavu-core.
 */
#include "unit/unit.h"

#include "book/book.h"
#include "layout/layout.h"
#include "text/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEJAVU "/usr/share/fonts/truetype/dejavu/"

/* The test book copied into dir in DejaVu Serif; false when a file is
 * missing. */
static bool copy_book(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "cp tests/books/lig15/* styles/epub.css '%s'/ && cp -L " DEJAVU
		 "DejaVuSerif.ttf " DEJAVU "DejaVuSerif-Italic.ttf " DEJAVU "DejaVuSerif-Bold.ttf " DEJAVU
		 "DejaVuSerif-BoldItalic.ttf '%s'/ && sed -i 's/CharisSIL-Regular/DejaVuSerif/; "
		 "s/CharisSIL-/DejaVuSerif-/' '%s'/style.yaml && echo 'style: style.yaml' >>'%s'/book.yaml",
		 dir, dir, dir, dir);
	return system(cmd) == 0;
}

/* The kerning (1/1000 em) between a hyphen and the letter of s after it. */
static double hyphen_kern(struct tx_fonts *f, enum tx_face face, const char *s)
{
	char pair[3] = {'-', s[0], 0};
	return tx_shape(f, face, pair, 2)->width - tx_shape(f, face, "-", 1)->width -
	       tx_shape(f, face, s, 1)->width;
}

UNIT_TEST(lig15_kerning_after_a_words_own_hyphen)
{
	if (access(DEJAVU "DejaVuSerif.ttf", R_OK) != 0) {
		fprintf(stderr, "skip lig15: fonts-dejavu-core not installed\n");
		return;
	}
	char *dir = unit_scratch("lig15");
	struct book *b;
	struct tx_fonts *f;
	struct pg_doc *doc = unit_lay_out(dir && copy_book(dir) ? dir : NULL, &b, &f);
	UCHECK(doc != NULL, "tests/books/lig15 lays out in DejaVu Serif");
	size_t pairs = 0, off = 0;
	double worst = 0;
	for (size_t pi = 0; doc && pi < doc->npages; pi++) {
		const struct pg_page *pg = &doc->pages[pi];
		for (size_t i = 1; i < pg->ntexts; i++) {
			const struct pg_text *a = &pg->texts[i - 1], *v = &pg->texts[i];
			if (!a->len || a->text[a->len - 1] != '-' || !v->len || !strchr("VTY", v->text[0]) ||
			    a->y != v->y || a->face != v->face)
				continue;
			/* where the hyphen ends: a's glyphs shaped again */
			double end = a->x + tx_shape(f, a->face, a->text, a->len)->width * a->size / 1000;
			double kern = hyphen_kern(f, v->face, v->text) * v->size / 1000;
			UCHECK(kern < -0.3, "DejaVu Serif kerns '-%c': %.3f pt", v->text[0], kern);
			pairs++;
			if (fabs(v->x - end - kern) > 0.002) {
				off++;
				worst = fmax(worst, fabs(v->x - end - kern));
			}
		}
	}
	UCHECK(pairs >= 6, "the book draws a letter after a word's own hyphen: %zu times", pairs);
	UCHECK(off == 0, "%zu of %zu letters after a hyphen off the kerned place, by up to %.3f pt",
	       off, pairs, worst);
	unit_lay_out_free(doc, f, b);
	if (dir)
		unit_rm_dir(dir);
	free(dir);
}
