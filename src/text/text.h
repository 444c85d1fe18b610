/*
 * text.h - the text stage: fonts, shaping (HarfBuzz), hyphenation
 * (libhyphen). It turns strings into measured, PDF-ready pieces.
 *
 * Units: widths are in thousandths of an em (multiply by size/1000 for
 * points). They are exactly the advances the PDF will use - libharu's
 * integer glyph widths plus HarfBuzz's kerning - so that a line the breaker
 * measured is the line the PDF draws.
 *
 * Invariants:
 *  - A struct tx_word returned by tx_shape is owned by the struct tx_fonts
 *    and lives until tx_fonts_free; the same (face, text) always returns
 *    the same pointer (shaped once per build).
 *  - Piece text is UTF-8 that the face's cmap maps glyph for glyph, with
 *    ligatures written as U+FB00-FB04, ready for libharu.
 */
#ifndef OCTAVO_TEXT_H
#define OCTAVO_TEXT_H

#include "../book/book.h"

enum tx_face { TX_REGULAR, TX_ITALIC, TX_BOLD, TX_BOLD_ITALIC, TX_MONO, TX_NFACES };

/* A run the PDF draws with one text-showing call, x from the word's start. */
struct tx_piece {
	const char *text;
	size_t len;
	double x;
};

struct tx_word {
	double width; /* 1/1000 em */
	struct tx_piece *pieces;
	size_t npieces;
	int missing;  /* characters the face has no glyph for, drawn as '?' */
	uint32_t missing_cp[8]; /* the first of them (up to 8 distinct) */
	size_t first_missing_at; /* byte offset of the first in the text */
};

struct tx_fonts;

/*
 * Loads the style's four faces (and mono, falling back to regular). Returns
 * NULL after reporting to d when a file is unreadable or not a font.
 */
struct tx_fonts *tx_fonts_load(const struct bk_style *st, const char *language, struct diag *d);
void tx_fonts_free(struct tx_fonts *f);
/* The file a face was loaded from (borrowed). */
const char *tx_font_path(const struct tx_fonts *f, enum tx_face face);
/* Units of the face's ascender and descender (1/1000 em, descender < 0). */
void tx_font_extents(const struct tx_fonts *f, enum tx_face face, double *asc, double *desc);

/* Shapes text (no line breaks in it) in face. Never NULL. */
const struct tx_word *tx_shape(struct tx_fonts *f, enum tx_face face, const char *text,
			       size_t len);

/* ===== hyphenation ===================================================== */

struct tx_hyph;

/*
 * Loads the Liang patterns for language ("en-GB" reads hyph_en_GB.dic from
 * the system's hyphen dictionaries, as libhyphen installs them) and the
 * style's exceptions. A language without patterns is a warning, and words
 * then break only at their own hyphens. Never NULL.
 */
struct tx_hyph *tx_hyph_load(const char *language, const struct bk_style *st, struct diag *d);
void tx_hyph_free(struct tx_hyph *h);

/*
 * Finds where word (UTF-8, len bytes, no spaces) may take a hyphen: byte
 * offsets into word, written to pts (room for max), ascending; returns how
 * many. At least 2 letters stay before a break and 3 after. Words that
 * start with a capital (names), hold digits, or look like URLs or
 * addresses get none; nor do words with hyphens of their own.
 * Leading and trailing punctuation is allowed and never split.
 */
size_t tx_hyphenate(struct tx_hyph *h, const char *word, size_t len, size_t *pts, size_t max);

/*
 * A copy of face's font holding only the glyphs for the BMP code points
 * flagged in used[0..65535], for embedding. Returns malloc'd TrueType
 * bytes (length in *len) the caller frees, or NULL when HarfBuzz cannot
 * subset it (the caller then embeds the whole font).
 */
char *tx_subset(const struct tx_fonts *f, enum tx_face face, const uint8_t *used, size_t *len);
/* The same for a font file by path (NULL when it is unreadable or not a
 * font HarfBuzz can subset). for_screen keeps what a reading system needs
 * to shape and hint the text itself (GSUB, GPOS, hinting), for the EPUB. */
char *tx_subset_file(const char *path, const uint8_t *used, bool for_screen, size_t *len);

/* Statistics for the report and the benchmark. */
struct tx_stats {
	size_t shaped;  /* distinct words shaped */
	size_t lookups; /* calls to tx_shape */
};
void tx_stats(const struct tx_fonts *f, struct tx_stats *out);

#endif
