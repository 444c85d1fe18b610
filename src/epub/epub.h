/*
 * epub.h - the EPUB stage: a struct book into an EPUB 3 file (XHTML, OPF,
 * nav and NCX, zipped with libzip), read by the book stage's struct and
 * nothing else of the PDF path.
 *
 * Invariants:
 *  - The book is only read, never changed.
 *  - Output is a function of the book, the page marks and SOURCE_DATE_EPOCH
 *    alone: every timestamp comes from SOURCE_DATE_EPOCH, else
 *    meta.revised, else 2000-01-01, never the clock, and the files go into
 *    the zip in a fixed order, so two builds are byte-identical.
 *  - Every XHTML, OPF and NCX file is well-formed XML for any strings in
 *    the book: text is escaped and characters XML forbids are dropped.
 *  - The previous edition at out_path survives any failure.
 */
#ifndef OCTAVO_EPUB_H
#define OCTAVO_EPUB_H

#include "../book/book.h"

/*
 * Writes book b as an EPUB 3 to out_path. The archive is built at
 * "out_path.tmp-PID" in the same directory and renamed over out_path once
 * complete. It holds, in reading order, a cover page (an SVG cover made
 * from the title, subtitle and publisher on style.accent_rgb), the title
 * page, the copyright page, the contents (nav.xhtml) and one file per
 * part; the OPF with accessibility metadata, an EPUB 2 NCX, every image
 * the parts use, the style's fonts (with @font-face rules in
 * OEBPS/css/fonts.css) and the stylesheet b->style.css byte for byte.
 *
 * Returns 0 on success. On failure (a file that cannot be read, a libzip
 * error, a failed rename) reports through d, removes the temporary file,
 * leaves out_path as it was and returns -1. Links the EPUB cannot keep
 * (to files outside the book) are reported as warnings and kept as text.
 *
 * marks (nmarks of them, in page order; may be NULL, then no page list)
 * are where the print edition's pages begin; borrowed for the call. Each
 * becomes an empty pagebreak element at that place in the text, listed
 * in the nav's page-list and the NCX's pageList. Pages of part -1 before
 * any text go where the mark's front says: the half-title and title page
 * to the top of the title page, the copyright page to the copyright page,
 * the first contents page to the top of the nav and a later one to the
 * start of the entry it begins with (mark->entry); blank pages go with
 * the page before. A
 * mark the writer cannot find in its part is warned about and placed at
 * the part's end, so the list still has every page.
 */
int epub_write(const struct book *b, const struct bk_pagemark *marks, size_t nmarks,
	       const char *out_path, struct diag *d);

/*
 * epub_write in two halves, so that the work that needs only the book (the
 * fonts cut down to its characters, the stylesheet) runs while the print
 * layout that gives the page marks is still being made. epub_begin never
 * returns NULL; epub_finish writes the EPUB (out_path NULL: nothing,
 * after an error elsewhere), frees e and returns 0 or -1 after reporting
 * to the diag given to epub_begin.
 */
struct epub;
struct epub *epub_begin(const struct book *b, struct diag *d);
int epub_finish(struct epub *e, const struct bk_pagemark *marks, size_t nmarks,
		const char *out_path);
/* Lets epub_finish deflate on two threads: for a build with a core to
 * spare (no PDF written beside the EPUB). The EPUB is the same bytes. */
void epub_spare_core(struct epub *e);

/*
 * The cover image as a raster (PNG bytes, borrowed until epub_finish):
 * the print cover's front, rendered by the caller (src/cli/cover.c). It
 * becomes the EPUB's cover-image and the cover page shows it; without
 * one, both use the SVG cover. Call between epub_begin and epub_finish,
 * from the thread that calls epub_finish.
 */
void epub_set_cover_image(struct epub *e, const unsigned char *png, size_t len);

/*
 * A font subsetter: returns malloc'd font bytes holding only the glyphs
 * for the BMP code points flagged in used[0..65535] (length in *len), with
 * the OpenType layout features named in features (tags separated by
 * spaces: those the stylesheet asks for) and the glyphs they reach, or
 * NULL to embed the font whole. The EPUB stage cannot subset fonts itself
 * (only the text stage talks to HarfBuzz), so the caller may lend it one;
 * set it before epub_write, from one thread. NULL turns subsetting off.
 */
typedef char *(*epub_subset_fn)(const char *font_path, const uint8_t *used,
			       const char *features, size_t *len);
void epub_set_subsetter(epub_subset_fn fn);

#endif
