/*
 * epub-int.h - private to the EPUB stage: the state of one build, shared
 * by the package writer (epub.c: zip, OPF, NCX, files copied in), the
 * XHTML writer (xhtml.c: cover, title, copyright and contents pages, the
 * parts, the page markers), the cover image (cover.c) and the typography
 * of the text (typo.c).
 *
 * Invariants:
 *  - Every name and id in a struct epub_res, epub_page or epub_anchor
 *    lives in epub->arena.
 *  - Resource names are unique within their folder and use only
 *    [A-Za-z0-9._-], so they need no escaping in a URL or in XML.
 *  - File names in epub_page and epub_anchor are relative to OEBPS/
 *    ("text/essay-01.xhtml", "nav.xhtml"), the folder of nav.xhtml and
 *    toc.ncx, so both can use them as hrefs as they are.
 */
#ifndef OCTAVO_EPUB_INT_H
#define OCTAVO_EPUB_INT_H

#include "epub.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* A file copied into the EPUB as it is: an image or a font. */
struct epub_res {
	const char *path;	/* where it is read from; an image's is only its name */
	const struct bk_image *img; /* an image: its bytes as the book stage read them */
	const char *name;	/* inside OEBPS/: "images/funding-mix.png" */
	const char *id;		/* the manifest id: "img-1", "font-1" */
	const char *media_type; /* fonts: NULL until read and recognised */
	char *data;		/* malloc'd bytes once read, else NULL */
	size_t len;
	signed char white;	/* an image: 1 on an opaque white ground, -1 not, 0 not yet known */
	/* A font: the face it was cut for and, a variable font's, the name
	 * of that face's instance ("wght700", the subsetter's); "" for a
	 * static font, which serves every face that names its file. */
	int face;
	char instance[EPUB_INSTANCE_MAX];
};

/* The front-matter files, in reading order after the cover. */
enum epub_front { EPUB_FRONT_TITLE, EPUB_FRONT_COPYRIGHT, EPUB_FRONT_CONTENTS, EPUB_NFRONT };

/*
 * Where the marker of one printed page goes, planned before any XHTML is
 * written (epub_pages_plan) so the nav can list pages it has not yet
 * seen. One per struct pg_pagemark, same index.
 */
struct epub_page {
	const char *label; /* the folio as printed; never NULL or "" */
	const char *id;	   /* "page-12": unique in the book, an XML name */
	const char *file;  /* the XHTML file that holds the marker */
	/* A page the layout made itself (part -1) before any text: the
	 * front-matter file at whose top it goes (enum epub_front). -1 for
	 * every other page. */
	int front;
	/* A contents page after the first, which begins with the entry of
	 * this part: its marker goes in the nav beside that entry. Else
	 * NULL. */
	const struct bk_part *entry;
	/* A part -1 page after text (a blank verso, say): its marker goes
	 * right after the previous page's. */
	bool follows;
	bool written;
};

/* A place a reader can be sent to, in reading order: for the NCX's
 * playOrder. id NULL stands for the top of file. */
struct epub_anchor {
	const char *file;
	const char *id;
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
	/* The fonts' licences (OFL.txt), each once, beside them in fonts/. */
	struct epub_res *licences;
	size_t nlicences, licences_cap;
	/* The OpenType features the stylesheet asks for, as tags separated
	 * by spaces (epub_css_features); never NULL once the CSS is read. */
	const char *features;
	uint8_t *used; /* code points the book uses, for font subsets; or NULL */
	const char *cover_name; /* "images/cover.svg", unique among images */
	struct epub_options opt; /* the caller's: its subsetter and cover */
	/* The raster front cover (epub_set_cover_image), borrowed, or NULL;
	 * cover_name is then EPUB_COVER_PNG. */
	const unsigned char *cover_png;
	size_t cover_png_len;
	/* The parts in the print edition's order, which the spine, the nav
	 * and the NCX follow: the prefaces (front matter in print), then the
	 * essays, each in book.yaml's order. b->nparts of them. */
	const struct bk_part **reading;
	/* The print edition's pages (borrowed), and where each marker goes;
	 * nmarks 0 means no page list at all. */
	const struct pg_pagemark *marks;
	struct epub_page *pages;
	size_t nmarks;
	/* Filled as the XHTML is written, in reading order. */
	struct hmap ids; /* every id in the book to its part (xhtml.c's part_of_id) */
	struct epub_anchor *anchors;
	size_t nanchors, anchors_cap;
	/* Made first: the @font-face rules and the stylesheet. */
	struct strbuf fonts_sheet;
	char *css;
	size_t css_len;
	bool failed; /* the stylesheet or a font was reported unusable */
	int64_t now; /* the build's time (SOURCE_DATE_EPOCH, revised, or fixed) */
	/* Whether the book-end notes have a document of their own, and
	 * where it goes in reading (notes.h). */
	bool notes_doc;
	size_t notes_at;
};

/* ===== res.c =========================================================== */

/*
 * The resource for img, registered (and given a unique name) the first
 * time its file is met. Images are told apart by path. Borrowed: valid
 * until the next call, since the table may move.
 */
const struct epub_res *epub_image_lookup(struct epub *e, const struct bk_image *img);
/* A file name of [A-Za-z0-9._-] from path's last component, its
 * extension replaced by ext, unique among the n names in v (each
 * prefixed by dir) and the cover's. Arena-owned: "images/funding-mix.png". */
const char *epub_res_name(struct epub *e, const char *dir, const char *path, const char *ext,
			  const struct epub_res *v, size_t n);
/* The file extension for an image's media type (".png"); ".img" for one
 * an EPUB may not hold. Static storage. */
const char *epub_image_ext(const char *media_type);

/* ===== epub.c ========================================================== */

/* ===== typo.c ========================================================== */

/*
 * Sets nb[i] for each ASCII space s[i] that English typography wants
 * unbreakable (U+00A0): after Mr, Mrs, Dr, St and the like before a name;
 * in "p. 12", "pp. 12-18", "No. 5"; between a number and its unit ("10
 * km", "9 am") or "per cent" (and inside "per cent"); before a spaced en
 * or em dash. nb holds n entries the caller zeroed; others stay as they
 * are. s need not be NUL-terminated.
 */
void epub_nbsp(const char *s, size_t n, bool *nb);
/*
 * Sets nb[i] where s[i] begins a no-break space (U+00A0) beside an
 * ordinary space: the two are one gap, as the print edition sets them,
 * and the writer leaves the no-break space out. Text pasted from a word
 * processor is full of them ("2011.  It").
 */
void epub_nbsp_collapse(const char *s, size_t n, bool *nb);
/* sb_add_xml (util.h: escaped, characters XML forbids dropped) of a
 * NUL-terminated string; nothing for NULL. */
void epub_add_str(struct strbuf *sb, const char *s);

/* ===== fontinfo.c ====================================================== */

/*
 * The OpenType features the stylesheet css (n bytes) asks for, by
 * font-feature-settings ("smcp") or a font-variant keyword (small-caps,
 * oldstyle-nums...): their tags, each once, separated by spaces, in the
 * order met. Arena-owned; "" when none.
 */
const char *epub_css_features(struct epub *e, const char *css, size_t n);
/* Whether the word w (a selector's element, a property) stands in the n
 * bytes of css, not as part of a longer word. */
bool epub_css_names(const char *css, size_t n, const char *w);
/* Whether the TrueType/OpenType font in data (len bytes) has the layout
 * feature tag (4 bytes) in its GSUB table. False for anything it cannot
 * read. */
bool epub_font_has_feature(const char *data, size_t len, const char *tag);
/* The licence file beside the font at font_path: the family's own
 * (OFL-Family.txt, for Family-Regular.ttf), else the folder's OFL.txt,
 * LICENSE.txt, LICENSE or COPYING; a regular file, not a link. Its path
 * (arena-owned), or NULL when there is none. */
const char *epub_font_licence(struct epub *e, const char *font_path);

/* ===== frame.c ========================================================= */

/*
 * Whether img is a picture on an opaque white ground: a PNG whose edge
 * pixels are all opaque and near white (a chart, a diagram, a scan),
 * which a reading system's night mode would show as a bare white block.
 * Decoded once per image (bk_image_decode); false for a JPEG, which is
 * a photograph more often than not, or anything that cannot be decoded.
 */
bool epub_image_white(struct epub *e, const struct bk_image *img);

/* ===== cover.c ========================================================= */

/*
 * The cover image: an SVG of the book's title, subtitle and publisher on
 * the style's accent colour, its text as <text> in the style's family.
 * A malloc'd buffer the caller frees, length in *len.
 */
char *epub_cover_svg(struct epub *e, size_t *len);
/* The raster cover's name, kept free among the book's images. */
#define EPUB_COVER_PNG "images/cover.png"
/* e's cover image: png (len bytes, borrowed), named EPUB_COVER_PNG;
 * nothing when png is NULL. */
void epub_set_cover_image(struct epub *e, const unsigned char *png, size_t len);

/* ===== typo.c: writing text ============================================ */

#define NBSP "\xC2\xA0" /* U+00A0 in UTF-8 */
/* epub_add_str for reading: with the non-breaking spaces of epub_nbsp. */
void epub_add_prose(struct strbuf *sb, const char *s);
/* n bytes of s as XML text, a no-break space for each space nb marks and
 * without each no-break space it marks (nb NULL: none), cut by an empty
 * <wbr/> every megabyte for libxml2 (typo.c). */
void epub_add_nb_text(struct strbuf *sb, const char *s, size_t n, const bool *nb);

/*
 * The level of a heading in the table of contents below its part: 1 for
 * a section (Markdown level 2), 2 for a subsection (level 3); 0 for a
 * heading that is not listed (deeper, nested in a block, no id or no
 * text). Only a part's top-level blocks are listed.
 */
int epub_toc_level(const struct bk_block *b);
/* The plain text of spans, whitespace collapsed; arena-owned, maybe "". */
const char *epub_plain(struct epub *e, const struct bk_span *spans, size_t n);
/* A part's title for tables of contents: never NULL or "". */
const char *epub_part_title(const struct bk_part *p);
/* res.c: a part's XHTML file relative to OEBPS/: "text/essay-01.xhtml";
 * arena-owned. */
const char *epub_part_file(struct epub *e, const struct bk_part *p);
/* The file of a front-matter page relative to OEBPS/; static. */
const char *epub_front_file(enum epub_front f);

/*
 * Decides where the marker of each of e->marks goes and gives it an id,
 * filling e->pages. Must run before any XHTML is written.
 */
void epub_pages_plan(struct epub *e);

/*
 * Each returns a complete XHTML document as a malloc'd buffer the caller
 * frees, with its length in *len. epub_part registers the images it uses
 * with epub_image_lookup and warns about links it cannot keep. They must
 * be called in reading order (cover, title page, copyright, nav, parts),
 * since each records its anchors for the NCX.
 */
char *epub_cover_page(struct epub *e, size_t *len);
char *epub_titlepage(struct epub *e, size_t *len);
char *epub_copyright(struct epub *e, size_t *len);
char *epub_nav(struct epub *e, size_t *len);
char *epub_part(struct epub *e, const struct bk_part *p, size_t *len);

/* ===== the zip (ocf.c) ================================================= */

/* One file of the archive. data is malloc'd and the entry's own, unless
 * borrowed is set (someone else frees it: the caller, or libzip's source). */
struct entry {
	const char *name;
	char *data;
	size_t len;
	bool borrowed;
	/* The entry as a zip deflated it before (the caller's, kept
	 * between builds, found by hash: epub_packed_fn), by the
	 * compressor epub_zip_how names, zipped as it is. NULL: from
	 * data. Borrowed, unless packed_owned (then malloc'd). crc is the
	 * CRC-32 of data, once packed is set; hash its hash_fnv1a. */
	const char *packed;
	size_t packed_len;
	uint64_t hash;
	uint32_t crc;
	bool packed_owned;
	/* Set packed (owned) from the archive epub_zip writes, when it
	 * deflates data itself. */
	bool want_packed;
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

/*
 * The entries, in order, as a zip in memory (*out, *out_len; malloc'd):
 * the first (mimetype) stored, pictures stored, the rest deflated, all
 * stamped mtime. The data of each entry passes to libzip as it is added
 * (each is marked borrowed), or its packed bytes (copied as they are,
 * with its crc). Each entry that wants them back
 * (want_packed) and was deflated from data gets the bytes as written in
 * packed. libzip is opened here, on the first call
 * (see ocf.c). Returns 0, or -1 after reporting to d (out_path names the
 * EPUB in messages).
 */
int epub_zip(struct entries *es, time_t mtime, const char *out_path, char **out, size_t *out_len,
	     struct diag *d);

/*
 * How epub_zip compresses the entry called name: the libzip, the zlib
 * and the deflate level ("libzip 1.7.3, zlib 1.2.13, deflate 3"), which
 * together fix the deflated bytes; NULL for an entry stored, or when
 * libzip cannot be opened. A static string.
 */
const char *epub_zip_how(const char *name);

#endif
