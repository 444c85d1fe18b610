/*
 * epub-int.h - private to the EPUB stage: the state of one build, shared
 * by the package writer (epub.c: zip, OPF, NCX, files copied in) and the
 * XHTML writer (xhtml.c: title page, copyright page, nav and the parts).
 *
 * Invariants:
 *  - Every name and id in a struct epub_res lives in epub->arena.
 *  - Resource names are unique within their folder and use only
 *    [A-Za-z0-9._-], so they need no escaping in a URL or in XML.
 */
#ifndef OCTAVO_EPUB_INT_H
#define OCTAVO_EPUB_INT_H

#include "epub.h"

/* A file copied into the EPUB as it is: an image or a font. */
struct epub_res {
	const char *path;	/* where it is read from */
	const char *name;	/* inside OEBPS/: "images/funding-mix.png" */
	const char *id;		/* the manifest id: "img-1", "font-1" */
	const char *media_type; /* fonts: NULL until read and recognised */
	char *data;		/* malloc'd bytes once read, else NULL */
	size_t len;
};

struct epub {
	const struct book *b;
	struct diag *d;
	struct arena arena; /* names, ids and labels of this build */
	const char *lang;   /* b->meta.language, or "und"; never NULL */
	bool fonts_css;	    /* OEBPS/css/fonts.css exists */
	struct epub_res *images;
	size_t nimages, images_cap;
	struct epub_res *fonts;
	size_t nfonts, fonts_cap;
};

/* ===== epub.c ========================================================== */

/*
 * The resource for img, registered (and given a unique name) the first
 * time its file is met. Images are told apart by path. Borrowed: valid
 * until the next call, since the table may move.
 */
const struct epub_res *epub_image_lookup(struct epub *e, const struct bk_image *img);

/* ===== xhtml.c ========================================================= */

/*
 * Appends n bytes of s as XML text or attribute content: & < > " escaped,
 * control characters XML forbids (and U+FFFE, U+FFFF) dropped, malformed
 * UTF-8 replaced by U+FFFD. The result is always well-formed.
 */
void epub_add_text(struct strbuf *sb, const char *s, size_t n);
/* epub_add_text of a NUL-terminated string; nothing for NULL. */
void epub_add_str(struct strbuf *sb, const char *s);

/* The entries of the table of contents below a part: its top-level
 * headings of level 2 that have text. */
bool epub_toc_heading(const struct bk_block *b);
/* The plain text of spans, whitespace collapsed; arena-owned, maybe "". */
const char *epub_plain(struct epub *e, const struct bk_span *spans, size_t n);
/* A part's title for tables of contents: never NULL or "". */
const char *epub_part_title(const struct bk_part *p);

/*
 * Each returns a complete XHTML document as a malloc'd buffer the caller
 * frees, with its length in *len. epub_part registers the images it uses
 * with epub_image_lookup and warns about links it cannot keep.
 */
char *epub_titlepage(struct epub *e, size_t *len);
char *epub_copyright(struct epub *e, size_t *len);
char *epub_nav(struct epub *e, size_t *len);
char *epub_part(struct epub *e, const struct bk_part *p, size_t *len);

#endif
