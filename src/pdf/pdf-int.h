/*
 * pdf-int.h - what the PDF stage's files share and nobody else sees.
 */
#ifndef OCTAVO_PDF_INT_H
#define OCTAVO_PDF_INT_H

#include "pdf.h"

#include "pdfx.h"

#include <hpdf.h>
#include <zlib.h>

/* ===== print colour (colour.c) ========================================= */

/* The colour transforms of one PDF, made as its images need them: one
 * per kind of source, whatever the number of images. */
struct pdf_colour;
void pdf_colour_free(struct pdf_colour *c);

/*
 * img as profile p's colour (p->colour not PRINT_AS_IS), placed at pw x ph
 * points: grey or the output profile's CMYK (icc, icc_len) through
 * littleCMS from the image's own ICC profile or sRGB, total ink limited
 * to p->ink_limit, alpha laid on the white page, and resampled to 600 ppi
 * when over 900 at its size (pixman). A grey image, or a CMYK one in a
 * CMYK interior with no ink limit, goes in as pdf_image_load puts it.
 * *cache holds the transforms (made on first use; free with
 * pdf_colour_free). Returns the image XObject, or NULL with the reason
 * in why (n bytes).
 */
HPDF_Image pdf_image_print(HPDF_Doc pdf, const struct bk_image *img, double pw, double ph,
			   const struct print_profile *p, const unsigned char *icc,
			   size_t icc_len, struct pdf_colour **cache, char *why, size_t n);

/*
 * The flat colour rgb (0xRRGGBB, taken as sRGB) in the output profile's
 * CMYK (icc, icc_len) through littleCMS, perceptual with black point
 * compensation, total ink limited to ink_limit per cent (0: none), as an
 * image is: cmyk[0..3] from 0 to 1. *cache as for pdf_image_print.
 * Returns 0, or -1 when the output profile is no CMYK one littleCMS reads.
 */
int pdf_colour_cmyk(struct pdf_colour **cache, const unsigned char *icc, size_t icc_len,
		    int ink_limit, unsigned rgb, double cmyk[4]);

/*
 * The image as an image XObject (pdf owns it), made from the bytes the
 * book stage read and checked (img->data), never from the file: a PNG
 * that PDF can take as it is passes through (pdf_png_passthrough); any
 * other PNG is decoded by libpng (bk_image_decode), its alpha, if any,
 * a soft mask (/SMask); a JPEG goes in as it is (DCTDecode). Returns
 * NULL with the reason in why (n bytes) when it cannot be made.
 */
HPDF_Image pdf_image_load(HPDF_Doc pdf, const struct bk_image *img, char *why, size_t n);
/* image.c: pixels (grey, RGB or CMYK, 8 bits) as an image XObject, their
 * alpha, if any, its soft mask; NULL with libharu's error in why. */
HPDF_Image pdf_image_pixels(HPDF_Doc pdf, const struct bk_pixels *px, char *why, size_t n);
/* colour.c: img's resolution in pixels per inch set pw x ph points (the
 * lower of its two sides', of the pixels the PDF gets: an SVG's
 * rendering, bk_image_raster_size); the size in pixels pdf_image_print
 * resamples it to there (over 900 ppi: to 600), else that raster's own;
 * and img as pdf_image_load puts it, but its pixels resampled to nw x nh
 * (pdf_image_shrink_size's) by pixman, for a PDF that keeps the image's
 * colour. */
double pdf_image_ppi(const struct bk_image *img, double pw, double ph);
void pdf_image_shrink_size(const struct bk_image *img, double pw, double ph, int *nw, int *nh);
HPDF_Image pdf_image_shrunk(HPDF_Doc pdf, const struct bk_image *img, int nw, int nh, char *why,
			    size_t n);

/*
 * The PNG in p (len bytes, checked by bk_image_check) as an image XObject
 * whose data is the file's own compressed image data, passed through
 * with PNG's predictors (/DecodeParms), never decoded and deflated again.
 * NULL when the PNG needs decoding: an alpha channel or transparency
 * (which PDF keeps in a separate mask), 16 bits, interlacing.
 */
HPDF_Image pdf_png_passthrough(HPDF_Doc pdf, const unsigned char *p, size_t len);

/* ===== libharu's errors (haru.c) ======================================= */

/*
 * The first error libharu reported on one document. libharu keeps one
 * error a document and refuses every later call (NULL pages and objects)
 * once it is set; some failures (a string too long) set it without
 * calling the handler. So a writer makes its document with
 * HPDF_New(pdf_harm_handler, &its_harm) and asks pdf_harm_failed before
 * each next step. Every PDF octavo writes (pdf.c's interior, cover.c's
 * cover) uses these.
 */
struct pdf_harm {
	HPDF_STATUS error, detail; /* HPDF_OK (0) until libharu fails */
};
/* libharu's error handler: user is the document's struct pdf_harm. */
void pdf_harm_handler(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user);
/* Whether libharu has failed on pdf since it was made, its first error
 * and detail kept in *h. */
bool pdf_harm_failed(HPDF_Doc pdf, struct pdf_harm *h);
/* libharu's errors that a book can meet, in our words; NULL for the
 * others (their numbers are reported either way). */
const char *pdf_harm_words(HPDF_STATUS error);

/*
 * Frees libharu's document pdf (HPDF_Free), or, at_exit (pdf_options'),
 * leaves it to the process's end, as compilers leave their trees (clang's
 * -disable-free): freeing the Node.js docs' objects one by one took 149 M
 * instructions at the end of the PDF's thread. A sanitizer build frees it
 * all the same. The memory stays reachable; never fails.
 */
void pdf_doc_free(HPDF_Doc pdf, bool at_exit);

/* ===== glyphs of the subset fonts (glyph.c) ============================ */

/*
 * The glyph code point cp draws in pf, as the used table (TX_USED_LEN
 * slots, below) marked it: a character below U+10000 through pf->gid, a
 * glyph reached by its number (TX_GLYPH_BASE + n: a ligature the shaper
 * formed) through pf->glyph; 0 (.notdef) for anything else.
 */
static inline unsigned pdf_glyph_of(const struct tx_pdffont *pf, uint32_t cp)
{
	return cp < 65536 && pf->gid ? pf->gid[cp]
	       : cp >= TX_GLYPH_BASE && cp < TX_ALIAS_BASE + 65536 && pf->glyph
		   ? pf->glyph[(cp - TX_GLYPH_BASE) & 0xFFFF] /* an alias: the same glyph */
		   : 0u;
}
/* Marks in used (TX_USED_LEN bytes, never NULL) the slots of the UTF-8
 * text s (n bytes) for a subset: a character below U+10000 at its own
 * slot, glyph n reached by number (or by its alias) at 65536 + n; a byte that is not UTF-8
 * as '?', as the page draws it. */
void pdf_mark_used(uint8_t *used, const char *s, size_t n);
/* The code point at s + *k (n bytes in all), *k moved past it; a byte
 * that is not UTF-8 is '?', one byte long. */
static inline uint32_t pdf_next_cp(const char *s, size_t n, size_t *k)
{
	uint32_t cp;
	int m = utf8_decode((const unsigned char *)s + *k, n - *k, &cp);
	if (m < 0)
		cp = '?', m = 1;
	*k += (size_t)m;
	return cp;
}

/* ===== deflating, or an earlier build's streams (deflate.c) =========== */

/*
 * One setting of zlib's for a kind of stream (the pages' contents at level
 * 3, the font files at libharu's level 6), with its deflate and inflate
 * states kept from one stream to the next. Single-threaded: one writer's.
 */
struct pdf_zset {
	int level, mem_level;
	uint64_t how; /* zlib's version and the settings, hashed (pdf_zkey) */
	z_stream z;
	bool z_ready;
	size_t made, reused; /* streams deflated here, and taken from the store */
};
void pdf_zset_init(struct pdf_zset *s, int level, int mem_level);
void pdf_zset_release(struct pdf_zset *s);
/*
 * buf (len bytes) as zlib data at s's setting: the store's record for it
 * when st (may be NULL) has one under its key (deflate.c), else deflated
 * here (and given to st->keep). The same bytes either way. With a store,
 * *out is the store's (borrowed: valid until it is closed, so no copy is
 * held twice); without, malloc'd and the caller's. Returns 0, or a
 * negative zlib error (*out NULL).
 */
int pdf_deflate(struct pdf_zset *s, const struct pdf_store *st, const char *buf, size_t len,
		char **out, size_t *zlen);

/*
 * A page's stream made beside other threads' (pdf_zmake), then taken in
 * page order on the PDF's thread (pdf_ztake), so that the store sees the
 * gets and keeps one thread's pdf_deflate calls would make, in the same
 * order, and the PDF the same bytes.
 */
struct pdf_zmade {
	struct pdf_zkey key; /* with a store */
	char *z;	     /* the store's record (peeked: borrowed), else malloc'd */
	size_t zlen;
	bool peeked;
	int rc; /* 0, or a negative zlib error */
};
/* buf (len bytes) as zlib data at s's setting into *m: the record st's
 * peek (when st has one) finds for it, else deflated with s. Touches only
 * s and m, and st through peek: any thread, each with its own s. */
void pdf_zmake(struct pdf_zset *s, const struct pdf_store *st, const char *buf, size_t len,
	       struct pdf_zmade *m);
/* m's bytes as pdf_deflate would give them, on the PDF's thread: the
 * peeked record got from st (taken), or m's own kept there (the store's
 * from then on; without a store, *out is the caller's). m holds nothing
 * after. Returns 0, or m's negative zlib error. */
int pdf_ztake(struct pdf_zset *s, const struct pdf_store *st, struct pdf_zmade *m, char **out,
	      size_t *zlen);
/* Frees what m holds when it was not taken. */
void pdf_zmade_release(struct pdf_zmade *m);

/*
 * pf: face's font cut down to used (TX_USED_LEN bytes), as tx_pdffont_make
 * makes it, or from st's record of the same cut (subsets.c; st may be
 * NULL), kept there when made. Returns 0, or -1 when the font's file
 * cannot be read again.
 */
int pdf_font_subset(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    const struct pdf_store *st, struct tx_pdffont *pf);

/* ===== strings (tag.c) ================================================== */

/*
 * A PDF text string of UTF-8 s: UTF-16BE after its byte order mark (PDF
 * 1.7's 7.9.2.2), so that any language reads right; cut to libharu's
 * limit. plain (a bookmark, the document information: one line of text):
 * tab and line breaks become spaces, control characters (C0, DEL, C1)
 * and noncharacters are dropped. NULL when libharu fails.
 */
HPDF_Binary pdf_text_string(HPDF_MMgr mm, const char *s, bool plain);

/* ===== inside libharu (haru.c) ======================================== */

/*
 * Every read or write of a field of libharu's structs, and every stream
 * swapped into a dictionary, is in haru.c (checked against libharu 2.3.0);
 * the rest of pdf/ uses these and libharu's object API.
 *
 * The document's memory manager, cross-reference table, catalog, trailer
 * and document information dictionary (NULL until a first value is set),
 * all libharu's; and the header's version.
 */
HPDF_MMgr pdf_doc_mmgr(HPDF_Doc pdf);
HPDF_Xref pdf_doc_xref(HPDF_Doc pdf);
HPDF_Dict pdf_doc_catalog(HPDF_Doc pdf);
HPDF_Dict pdf_doc_info(HPDF_Doc pdf);
HPDF_Dict pdf_doc_trailer(HPDF_Doc pdf);
void pdf_doc_set_version(HPDF_Doc pdf, HPDF_PDFVer v);
/* The memory manager an object was made with. */
HPDF_MMgr pdf_dict_mmgr(HPDF_Dict d);
HPDF_MMgr pdf_array_mmgr(HPDF_Array a);

/* A new stream dictionary, an indirect object of pdf (libharu's; NULL when
 * it failed, the error in pdf). */
HPDF_Dict pdf_stream_new(HPDF_Doc pdf);
/* Marks stream dictionary d an XObject (an image), as libharu's own are. */
void pdf_mark_xobject(HPDF_Dict d);
/* The filter libharu applies as it writes d (HPDF_STREAM_FILTER_*). */
void pdf_stream_filter(HPDF_Dict d, HPDF_UINT filter);
/* Appends len bytes to d's stream. */
HPDF_STATUS pdf_stream_write(HPDF_Dict d, const void *data, size_t len);
/* Marks a stream whose data is already deflated: libharu writes it as it
 * is, and the dictionary says /Filter /FlateDecode. */
void pdf_mark_deflated(HPDF_Dict stream);
/* pdf_mark_deflated, its filter written as libharu writes the filter of a
 * stream it deflates ("/Filter [ /FlateDecode ]", last): a stream deflated
 * here as libharu would (deflateInit's defaults) is then the same bytes. */
void pdf_mark_deflated_as_haru(HPDF_Dict stream);
/* Gives stream's dictionary data (malloc'd, len bytes) as its contents,
 * in place of libharu's memory stream, which keeps even a 2 KB page in
 * 4 KB blocks. The dictionary owns data from then on (also on failure,
 * -1). Returns 0. */
int pdf_stream_own(HPDF_Dict dict, char *data, size_t len);
/* pdf_stream_own over data that stays the caller's (a store's record):
 * it must outlive the document, and is never freed by it. */
int pdf_stream_lend(HPDF_Dict dict, const char *data, size_t len);
/* pdf_mark_deflated and pdf_stream_own (or, lent, pdf_stream_lend) for
 * page's contents stream: data (deflated) becomes the page's whole
 * contents. 0 or -1. */
int pdf_page_own_contents(HPDF_Page page, char *data, size_t len, bool lent);
/* Appends len bytes to page's contents stream, after what libharu's
 * drawing calls wrote. */
HPDF_STATUS pdf_page_write(HPDF_Page page, const void *data, size_t len);
/* HPDF_SaveToFile, the file written through one buffer of octavo's
 * (libharu writes it a token at a time: a million fwrite calls for the
 * Node.js docs). The same bytes; HPDF_FILE_OPEN_ERROR or
 * HPDF_FILE_IO_ERROR raised as HPDF_SaveToFile raises them, errno set. */
HPDF_STATUS pdf_save_file(HPDF_Doc pdf, const char *path);

/* ===== a tagged PDF (tag.c) ============================================ */

/*
 * The structure of a tagged PDF (PDF/UA-1) for doc, whose pages' runs
 * (struct pg_tag) say what each piece is. pdf_tag_new numbers the marked
 * content: each page's images, then its runs of text, in the order
 * draw_page draws them, artifacts -1. Owned by the caller: pdf_tag_free.
 * off is where the trim box sits on the media box; f, the fonts the
 * pages were set in, gives hyphenated words' /ActualText their letters.
 */
struct pdf_tagger;
struct pdf_tagger *pdf_tag_new(HPDF_Doc pdf, const struct book *b, const struct pg_doc *doc,
			       const struct tx_fonts *f, double off);
/* The MCID of page's image i, or -1 for an artifact. */
int pdf_tag_image(const struct pdf_tagger *tg, size_t page, size_t i);
/* The MCID of page's run of texts r, or -1 for an artifact (*pagination:
 * a running head or folio). */
int pdf_tag_run(const struct pdf_tagger *tg, size_t page, size_t r, bool *pagination);
/* Records link annotation a, made for page's links[link]. */
void pdf_tag_annot(struct pdf_tagger *tg, size_t page, size_t link, HPDF_Annotation a);
/* Once every page is drawn and its links made: the structure tree, the
 * parent tree, each annotation's /StructParent and /Contents, /Tabs,
 * and the catalog's /MarkInfo, /StructTreeRoot and /ViewerPreferences.
 * Returns 0, or -1 when libharu failed. */
int pdf_tag_finish(struct pdf_tagger *tg, HPDF_Page *pages);
void pdf_tag_free(struct pdf_tagger *tg);
/* Reports every image without alt text at its Markdown: an error when
 * tagged (PDF/UA needs it), else a warning. Returns the errors. */
int pdf_check_alt(const struct book *b, bool tagged, struct diag *d);
/* The font dictionaries of one face made ready (tx_pdffont_make): a Type0
 * font, Identity-H, over a CIDFontType2 with the subset and ToUnicode, as
 * the book's pages use (pdf.c). NULL when libharu failed. */
HPDF_Dict pdf_font_dict(HPDF_Doc pdf, const struct tx_pdffont *pf);

#endif
