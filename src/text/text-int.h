/*
 * text-int.h - what the text stage's files share and nobody else sees.
 */
#ifndef OCTAVO_TEXT_INT_H
#define OCTAVO_TEXT_INT_H

#include "text.h"

#include <hb.h>

/* The face's HarfBuzz font, scaled to font units (borrowed). */
hb_font_t *tx_hb_font(const struct tx_fonts *f, enum tx_face face);

/* A variable font's instance for face: n axis values (borrowed). */
const hb_variation_t *tx_variations(const struct tx_fonts *f, enum tx_face face, unsigned *n);

/* The advance the breaker measures for glyph gid, in 1/1000 em:
 * the hmtx advance truncated to an integer, as the PDF's /W array holds
 * it, so that a measured line is the line the PDF draws. */
int tx_glyph_advance(hb_font_t *font, unsigned upem, hb_codepoint_t gid);

/* h, then the file face was loaded from by its identity (path, device,
 * inode, size, mtime and ctime) and its instance's axes, hashed: what a
 * kept result of that face depends on. 0 when the file cannot be
 * stat'ed (nothing is kept then); never 0 otherwise. */
uint64_t tx_face_key(const struct tx_fonts *f, enum tx_face face, uint64_t h);

/* A blob of the font file at path, opened through open_regular (a
 * regular file only, so a FIFO put there after the style's check never
 * hangs the build) and mapped. The empty blob when it cannot be read.
 * The caller destroys it. */
hb_blob_t *tx_blob_from_file(const char *path);

/* ===== plain ASCII (plain.c) =========================================== */

/* Which printable ASCII characters (0x20-0x7E) a face draws with their
 * cmap glyph and its advance whatever their neighbours: no lookup of the
 * shape plans HarfBuzz may make for them takes the glyph, no kern, kerx,
 * morx, mort or trak table, no GDEF mark class. */
struct tx_plain {
	bool ready;    /* tx_plain_init has run */
	bool ok[128];
	int width[128]; /* the advance in 1/1000 em, truncated as the PDF's /W */
};

/* Works out p for font (scaled to font units) shaped with the features
 * feat[0, nf) (and c2sc, when acronyms: shape_run turns it on for runs of
 * capitals) in language lang, left to right. Never fails: a font it
 * cannot vouch for gets no plain character. */
void tx_plain_init(struct tx_plain *p, hb_font_t *font, const hb_feature_t *feat, unsigned nf,
		   bool acronyms, hb_language_t lang);

/* Fills w (zeroed, owned by the caller) as shaping text[0, len) in face
 * would, when every character is plain in p: its text and piece in arena
 * a. Returns false, w untouched, for empty text or any other character. */
bool tx_plain_shape(const struct tx_plain *p, struct arena *a, enum tx_face face,
		    const char *text, size_t len, struct tx_word *w);

/* ===== libhyphen's automaton as bytes (hyphdict.c) ===================== */

struct _HyphenDict;
/* Appends d (every level) to out as bytes tx_dict_undump reads. */
void tx_dict_dump(const struct _HyphenDict *d, struct strbuf *out);
/* The automaton in p (n bytes, as tx_dict_dump wrote it), each level in
 * one malloc'd block: free with tx_dict_free, never hnj_hyphen_free.
 * NULL when the bytes are not such an automaton. */
struct _HyphenDict *tx_dict_undump(const char *p, size_t n);
void tx_dict_free(struct _HyphenDict *d);

#endif
