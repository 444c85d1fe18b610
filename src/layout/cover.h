/*
 * cover.h - the wrap cover laid out (src/layout/cover.c, barcode.c): back,
 * spine and front side by side at the trim height, with the bleed round
 * them, as the printers of print-on-demand and offset books ask for it;
 * and the front alone, the same design, for the EPUB's cover image.
 *
 * Coordinates are PDF points from the bottom left of the back cover's
 * trim (the bleed lies at negative x and y), y upwards, as in layout.h.
 *
 * Invariants of a cover pg_cover_compose returns (the first asserted there):
 *  - height == spec.trim_h (the trim); a wrap's width == 2 * spec.trim_w +
 *    spine, a front's spec.trim_w; the spine is pages x paper (+ the
 *    printer's allowance), exactly.
 *  - The barcode is drawn only from a 13-digit number whose check digit
 *    is right (pg_ean13 checks it again), never from anything else.
 *  - Everything it points to lives in its arena, the book or the font
 *    cache; pg_cover_free frees it.
 */
#ifndef OCTAVO_LAYOUT_COVER_H
#define OCTAVO_LAYOUT_COVER_H

#include "layout.h"

/*
 * What a printer asks of a cover: the figures of a print profile. The
 * interface the print profiles (press15's 'print:' and --profile) fill;
 * until they do, pg_cover_spec_for gives today's figures.
 */
struct pg_cover_spec {
	const char *profile;   /* "kdp", "ingramspark", "lulu", "offset" or "style" */
	double trim_w, trim_h; /* the interior's trim, points */
	double bleed;          /* beyond the trim on every side, points */
	double paper;          /* a page's thickness, inches (see bk_paper) */
	const char *paper_name; /* "white", "cream", or "0.00250 in" */
	double spine_add;      /* inches added to pages x paper (Lulu's glue: 0.06) */
	int spine_text_pages;  /* spine text only on books of at least this many pages */
	double spine_margin;   /* points between spine text and each fold */
	double safe;           /* points inside the trim that text keeps clear of */
	double barcode_margin; /* points from the bottom trim and the spine fold */
	bool guides;           /* --proof: trim, spine folds and safe area drawn */
	/* The print profile named (src/book/profile.h; NULL for "style"):
	 * its PDF standard, output intent and ink limit make the cover's
	 * PDF what the interior's is. Borrowed from the static table. */
	const struct print_profile *print;
	bool crop_marks;       /* crop marks outside the bleed (the profile's, else the style's) */
};

/*
 * The spec of print profile name (NULL: "style", the style's own trim and
 * bleed) for book b: trim from the style, bleed, paper (book.yaml's
 * 'paper:', else the style's, else white) and the printer's rules.
 * Returns false when name is no profile (s is then the style's).
 */
bool pg_cover_spec_for(const char *name, const struct book *b, struct pg_cover_spec *s);
/* The profiles' names, for usage messages: "kdp, ingramspark, lulu, offset". */
extern const char pg_cover_profiles[];

/* A piece of text on the cover; on the spine it runs down, or (up) up,
 * its tops to the front: the right of the spine in a left-to-right book,
 * the left in a right-to-left one. */
struct pg_cover_text {
	const char *text;
	uint32_t len;
	uint8_t face; /* enum tx_face */
	bool down;    /* set along the spine, top to bottom */
	bool up;      /* set along the spine, bottom to top (never with down) */
	float size, hscale;
	double x, y;  /* the baseline's start */
	unsigned rgb; /* 0xRRGGBB */
};

/* A filled rectangle (the ground, the barcode's box and its bars), or,
 * stroke > 0, its outline or a line (w or h 0) of that width: the
 * --proof guides. */
struct pg_cover_rect {
	double x, y, w, h;
	unsigned rgb;
	double stroke;
};

enum pg_cover_kind {
	PG_COVER_WRAP,  /* back, spine and front with the bleed: the print cover */
	PG_COVER_FRONT, /* the front alone at its trim, no bleed: the EPUB's cover */
};

struct pg_cover {
	struct arena arena;
	enum pg_cover_kind kind;
	double width, height; /* the trim: 2 x trim_w + spine (WRAP) or trim_w (FRONT) */
	double bleed;         /* 0 for FRONT */
	double trim_w, spine; /* points */
	size_t pages;         /* the interior's, that the spine holds */
	bool spine_text;      /* whether the spine carries its text */
	struct pg_cover_rect *rects; /* in drawing order */
	size_t nrects, rects_cap;
	struct pg_cover_text *texts;
	size_t ntexts, texts_cap;
	const struct bk_image *img; /* the front's picture, or NULL */
	double ix, iy, iw, ih;
	const char *isbn; /* the print ISBN's 13 digits, NULL on a FRONT */
};

/*
 * Lays out b's cover for an interior of pages pages under spec (FRONT:
 * pages and the spine do not matter). WRAP needs the print ISBN: without
 * one, or with a description too long for the back, an error at
 * book.yaml's line; spine text too long or a spine too thin for it is
 * left out with a warning; a front image under 200 ppi at its size is an
 * error at its line, under 300 a warning. Returns the cover (free with
 * pg_cover_free), or NULL after reporting to d.
 */
struct pg_cover *pg_cover_compose(const struct book *b, struct tx_fonts *f,
				  const struct pg_cover_spec *spec, enum pg_cover_kind kind,
				  size_t pages, struct diag *d);
void pg_cover_free(struct pg_cover *c);

/* ===== the barcode (barcode.c) ========================================= */

/*
 * The 13 digits of isbn (hyphens and spaces between them allowed) into
 * digits (14 bytes, NUL-terminated). Returns false when it is not 13
 * digits with a right EAN-13 check digit.
 */
bool pg_isbn_digits(const char *isbn, char digits[14]);

/*
 * EAN-13's 95 modules for digits (13 of them, the check digit right:
 * asserted): modules[i] 1 for a bar, 0 for a space, from the left guard
 * to the right; guard[i] whether module i is part of a guard pattern
 * (drawn longer). Returns false, writing nothing, when the check digit
 * is wrong.
 */
bool pg_ean13(const char *digits, unsigned char modules[95], unsigned char guard[95]);

#endif
