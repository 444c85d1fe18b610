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
/* The EPUB's page list is the print layout's page marks: all it takes
 * from the layout. */
#include "../layout/pagemark.h"

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
int epub_write(const struct book *b, const struct pg_pagemark *marks, size_t nmarks,
	       const char *out_path, struct diag *d);

/*
 * A font subsetter: returns malloc'd font bytes holding only the glyphs
 * for the BMP code points flagged in used[0..65535] (length in *len), with
 * the OpenType layout features named in features (tags separated by
 * spaces: those the stylesheet asks for) and the glyphs they reach, or
 * NULL to embed the font whole. face is the style's face the file is for
 * (0-3: regular, italic, bold, bold italic; 4: mono): a variable font is
 * cut to that face's instance, as the PDF sets it, and the instance's
 * name ("wght700-slnt-10", at most EPUB_INSTANCE_MAX bytes with its NUL)
 * written into instance; "" for a static font. The EPUB stage cannot
 * subset fonts itself (only the text stage talks to HarfBuzz), so the
 * caller may lend it one; ctx is the caller's (its cache of cuts, say).
 */
#define EPUB_INSTANCE_MAX 64
typedef char *(*epub_subset_fn)(void *ctx, const char *font_path, int face, const uint8_t *used,
			       const char *features, size_t *len, char *instance);

/*
 * The archive's entries as a zip deflated them before, kept by the caller
 * between builds: deflating is a third of a small book's EPUB work (its
 * fonts) and most of the zip's time for a big one, and a rebuild zips
 * mostly the same bytes again.
 *
 * epub_packed_fn returns raw DEFLATE data the caller holds for the entry
 * called name, of len bytes whose hash_fnv1a (util.h) is hash, made by
 * the compressor how names (libzip's and zlib's versions and the level:
 * the same give the same bytes), or NULL; *zlen its length and *crc the
 * CRC-32 of the bytes it inflates to. Borrowed for the call. The EPUB
 * zips it as it is: the caller offers only data it made from such bytes
 * and has checked against damage since (cli/deflated.c), so that a
 * stale or damaged record costs time, never a wrong byte.
 *
 * epub_keep_fn is given each entry this EPUB deflated itself, once the
 * archive is made, with its hash and CRC-32: z is malloc'd, and the
 * callee owns it.
 */
typedef const char *(*epub_packed_fn)(void *ctx, const char *name, const char *how, size_t len,
				      uint64_t hash, uint32_t *crc, size_t *zlen);
typedef void (*epub_keep_fn)(void *ctx, const char *name, const char *how, size_t len,
			     uint64_t hash, uint32_t crc, char *z, size_t zlen);

/* What the caller lends epub_write_opts; all borrowed for the call. */
struct epub_options {
	/* The cover image as a raster (PNG bytes): the print cover's front,
	 * rendered by the caller (src/cli/cover.c). It becomes the EPUB's
	 * cover-image and the cover page shows it; NULL: both use the SVG
	 * cover. */
	const unsigned char *cover_png;
	size_t cover_len;
	/* The fonts cut down to the book's characters; NULL: embedded whole. */
	epub_subset_fn subset;
	void *subset_ctx;
	/* The entries deflated before, and where to keep this EPUB's;
	 * NULL: every entry is deflated. */
	epub_packed_fn packed;
	epub_keep_fn keep;
	void *packed_ctx;
};

/*
 * Opens libzip now, as the first EPUB would (once a process, from any
 * thread; it is loaded with dlopen: 5.7 M instructions and the page
 * faults of mapping it and libcrypto). For a caller with a core waiting
 * anyway: a build of a big book reads its Markdown while a second thread
 * loads the hyphenation patterns, a smaller book's build opens it on a
 * thread of its own beside the reading and the layout (src/cli/build.c).
 * Returns nothing: a failure is reported by the EPUB that needs the
 * library.
 */
void epub_open_zip(void);

/* epub_write with the caller's cover image and font subsetter (opt may be
 * NULL: epub_write). */
int epub_write_opts(const struct book *b, const struct pg_pagemark *marks, size_t nmarks,
		    const struct epub_options *opt, const char *out_path, struct diag *d);

#endif
