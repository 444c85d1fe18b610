/*
 * pdf.c - pages into a PDF through libharu: rules, images, links, outline,
 * page labels and document info through its API; fonts and text through
 * its object API (hpdf_objects.h; haru.c holds what reaches inside
 * libharu's structs), as Type0 fonts with Identity-H
 * encoding whose character codes are the glyphs of a HarfBuzz subset.
 *
 * libharu's own TrueType path is not used: it builds each font from all
 * 65,536 code points (a quarter of a second a font), looks up every
 * character it draws, rewrites the font file table by table on saving,
 * and fails on subsets whose empty tables fall on its 4 KB buffer
 * boundaries (HPDF_INVALID_OBJECT).
 */
#define _POSIX_C_SOURCE 200809L /* pread */
#include "pdf-int.h"

#include "../util/jobs.h"

#include <hpdf.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* zlib's level for page contents: 3 is twice as fast as the default 6
 * on a book's text and 8% larger. */
#define PDF_DEFLATE_LEVEL 3

struct writer {
	HPDF_Doc pdf;
	const struct book *b;
	struct diag *d;
	const struct pdf_options *opt;
	double off; /* trim box origin on the media box: bleed plus mark space */
	double ox;  /* its x on the page being drawn: no bleed at a spine that
		     * takes none (pdfx_page_offsets) */
	double media_w; /* the media box's width */
	const struct print_profile *profile; /* opt->profile or NULL */
	struct pdf_colour *colour;	     /* the images' transforms (colour.c) */
	uint8_t *used[TX_NFACES]; /* per face: which BMP code points and glyphs appear
				   * (TX_USED_LEN) */
	HPDF_Page *pages;
	size_t npages;
	struct pdf_harm harm; /* the first error libharu reported */
	bool bad_input; /* what failed was the manuscript's (PDF_BAD_INPUT) */
	/* The font each face draws with: faces sharing a file share one,
	 * held by the first of them (font_of). */
	struct tx_pdffont pf[TX_NFACES];
	int font_of[TX_NFACES];
	HPDF_Dict fontres; /* the pages' /Font resources */
	HPDF_Dict resources; /* every page's one Resources dictionary */
	HPDF_Dict xobjects;  /* its /XObject: the images, named Im1, Im2, ... */
	struct pdf_zset zpage; /* the pages' contents (PDF_DEFLATE_LEVEL) */
	struct pdf_zset zfont; /* the font files, as libharu would deflate them */
	struct {
		const struct bk_image *img;
		HPDF_Image h;
		char name[16]; /* its resource name */
	} *images;
	size_t nimages, images_cap;
	char image_error[400]; /* the first image that could not go in, and why */
	int image_errors;      /* images under the profile's least resolution */
	const struct bk_image **placed; /* each placing checked (resolution_rules) */
	size_t nplaced, placed_cap;
	struct pdf_tagger *tg; /* a tagged PDF's marked content (tag.c); NULL untagged */
	size_t page_no;        /* the page being drawn */
	/* Each placed image's number among the PDF's images (image_slots):
	 * page p's i-th is imslot[imfirst[p] + i]. */
	size_t *imfirst, *imslot;
	struct pdf_zmade *made; /* each page's content stream, made (make_streams) */
};

/*
 * PDF text strings outside content streams (outline, document info) are in
 * PDFDocEncoding; Latin-1 plus the typographic marks English needs. A
 * Unicode space becomes a space and another character it lacks '?', and
 * either sets *lossy (when not NULL): the caller then writes the text in
 * UTF-16 (pdf_text_string). A control character (C0, DEL, C1) or a noncharacter
 * (U+FFFE, U+FFFF...) is dropped, tab and line breaks becoming spaces, so
 * that a title is one line of text. The result has one byte a character;
 * malloc'd.
 */
static char *pdfdoc(const char *s, bool *lossy)
{
	static const struct {
		uint32_t cp;
		unsigned char b;
	} extra[] = {
		{0x2022, 0x80}, {0x2020, 0x81}, {0x2021, 0x82}, {0x2026, 0x83}, {0x2014, 0x84},
		{0x2013, 0x85}, {0x2039, 0x88}, {0x203A, 0x89}, {0x201C, 0x8D}, {0x201D, 0x8E},
		{0x2018, 0x8F}, {0x2019, 0x90}, {0x201A, 0x91}, {0x2122, 0x92}, {0xFB01, 0x93},
		{0xFB02, 0x94}, {0x20AC, 0xA0},
	};
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (m < 0) {
			cp = '?';
			m = 1;
		}
		i += (size_t)m;
		/* and the no-break and fixed-width spaces (a French title's
		 * narrow space before its colon) are spaces: it has none */
		if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
		    cp == 0x3000) {
			cp = ' ';
			if (lossy)
				*lossy = true;
		}
		if (cp == '\t' || cp == '\n' || cp == '\r')
			cp = ' ';
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
		    (cp & 0xFFFE) == 0xFFFE)
			continue;
		unsigned char b = '?';
		if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD))
			b = (unsigned char)cp;
		for (size_t k = 0; k < ARRAY_LEN(extra); k++)
			if (extra[k].cp == cp)
				b = extra[k].b;
		if (b == '?' && cp != '?' && lossy)
			*lossy = true;
		sb_addc(&sb, (char)b);
	}
	return sb_detach(&sb, NULL);
}

/* Puts text (UTF-8) under key in dict (a bookmark, the document
 * information) as UTF-16BE (pdf_text_string, plain: control characters
 * go as pdfdoc's do), where libharu put it in PDFDocEncoding with a '?'
 * for each character that encoding lacks: a Czech title's 'č', a Greek
 * or Chinese one. */
static void unicode_text(struct writer *w, HPDF_Dict dict, const char *key, const char *text)
{
	HPDF_Binary bin = pdf_text_string(pdf_doc_mmgr(w->pdf), text, true);
	if (bin)
		HPDF_Dict_Add(dict, key, bin);
}

static void num(struct strbuf *sb, long v);

/* ===== libharu's errors and limits ===================================== */

/* The longest string libharu takes (HPDF_STRING_OUT_OF_RANGE beyond). */
#define PDF_STRING_MAX ((size_t)HPDF_LIMIT_MAX_STRING_LEN)
/* The most elements of one array (HPDF_ARRAY_COUNT_ERR beyond): a page
 * tree's Kids, a font's widths. */
#define PDF_ARRAY_MAX ((size_t)HPDF_LIMIT_MAX_ARRAY)
/* Pages under each node of the page tree when one /Kids cannot hold
 * them all. */
#define PDF_PAGES_PER_NODE 1024

/* Whether libharu has failed since the document was made (haru.c's
 * pdf_harm_failed): each step is checked before the next is taken. */
static bool failed(struct writer *w)
{
	return pdf_harm_failed(w->pdf, &w->harm);
}

/* Reports libharu's failure at what: our words, then its numbers. */
static void harm(struct writer *w, struct diag *d, const char *path, int line, int col,
		 const char *what)
{
	failed(w);
	const char *words = pdf_harm_words(w->harm.error);
	diag_error(d, path, line, col, "%s: %s (libharu error 0x%04X, detail %u)", what,
		   words ? words : "libharu failed", (unsigned)w->harm.error,
		   (unsigned)w->harm.detail);
}

/*
 * Cuts s, a PDFDocEncoding string (a byte a character), to libharu's
 * string limit: after the last whole item when list (items separated by
 * commas, as keywords are), else at the last word with an ellipsis to
 * show the cut. Returns whether s was cut.
 */
static bool fit_string(char *s, bool list)
{
	size_t n = strlen(s);
	if (n <= PDF_STRING_MAX)
		return false;
	size_t room = PDF_STRING_MAX - 1; /* for the ellipsis */
	size_t k = list ? PDF_STRING_MAX : room;
	while (k > 0 && s[k] != (list ? ',' : ' '))
		k--;
	if (!k) /* one giant word */
		k = room, list = false;
	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == ','))
		k--;
	if (!list)
		s[k++] = (char)0x83; /* PDFDocEncoding's ellipsis */
	s[k] = '\0';
	return true;
}

/*
 * One entry of the document information dictionary: value (UTF-8) in
 * PDFDocEncoding, cut to libharu's limit (fit_string) with a warning at
 * where book.yaml gives it (key) and a hint that the XMP keeps it whole.
 * Returns 0, or -1 when libharu failed (reported to d).
 */
static int set_info(struct writer *w, const struct book *b, struct diag *d, HPDF_InfoType type,
		    const char *value, const char *key, struct bk_mark at, bool list)
{
	if (!value)
		return 0;
	bool lossy = false;
	char *s = pdfdoc(value, &lossy);
	size_t n = strlen(s);
	bool cut = fit_string(s, list);
	if (cut) {
		diag_warning(d, b->yaml_path, at.line, at.col,
			     "'%s' is too long for the PDF's document information (%zu characters, "
			     "at most %zu): cut to %zu",
			     key, n, PDF_STRING_MAX, strlen(s));
		diag_hint(d, "the EPUB and the PDF's XMP metadata keep it whole");
	}
	HPDF_SetInfoAttr(w->pdf, type, s);
	free(s);
	static const char *const keys[] = {
	    [HPDF_INFO_AUTHOR] = "Author",   [HPDF_INFO_CREATOR] = "Creator",
	    [HPDF_INFO_PRODUCER] = "Producer", [HPDF_INFO_TITLE] = "Title",
	    [HPDF_INFO_SUBJECT] = "Subject", [HPDF_INFO_KEYWORDS] = "Keywords"};
	if (lossy && !cut && !failed(w) && (size_t)type < ARRAY_LEN(keys) && keys[type])
		unicode_text(w, w->pdf->info, keys[type], value);
	if (failed(w)) {
		char what[64];
		snprintf(what, sizeof(what), "cannot put '%s' in the PDF's document information",
			 key);
		harm(w, d, b->yaml_path, at.line, at.col, what);
		return -1;
	}
	return 0;
}

/* ===== where a value came from ========================================= */

/* The line and column of a part's title: its front matter's 'title:', or
 * the '# ' heading that gave it; 0 when neither is found. */
static struct bk_mark part_title_mark(const struct bk_part *p)
{
	struct bk_mark at = {0, 0};
	size_t len;
	char *text = read_file(p->path, &len);
	if (!text)
		return at;
	bool front = !strncmp(text, "---\n", 4) || !strncmp(text, "---\r\n", 5);
	int line = 1;
	for (char *l = text; l && *l; line++) {
		char *end = strchr(l, '\n');
		if (front && line > 1 && (!strncmp(l, "---", 3) || !strncmp(l, "...", 3)))
			front = false;
		else if (front ? !strncmp(l, "title:", 6) : !strncmp(l, "# ", 2)) {
			size_t c = front ? 6 : 2;
			while (l[c] == ' ' || l[c] == '\t')
				c++;
			at = (struct bk_mark){line, (int)c + 1};
			break;
		}
		l = end ? end + 1 : NULL;
	}
	free(text);
	return at;
}

/* What a search through a part's blocks looks for: a heading with this
 * text, a link with this index, an image; found: where it is. */
struct seek {
	struct arena *a;
	const char *heading;
	int link;
	const struct bk_image *img;
	struct bk_mark found;
};

static bool seek_blocks(struct seek *k, const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if ((k->img && b->kind == BK_FIGURE && b->img == k->img) ||
		    (k->heading && b->kind == BK_HEADING &&
		     !strcmp(bk_spans_text(k->a, b->spans, b->nspans), k->heading))) {
			k->found = (struct bk_mark){b->line, b->col};
			return true;
		}
		for (size_t j = 0; j < b->nspans; j++) {
			const struct bk_span *sp = &b->spans[j];
			if ((k->link >= 0 && sp->link == k->link) ||
			    (k->img && sp->kind == BK_SPAN_IMAGE && sp->img == k->img)) {
				k->found = (struct bk_mark){sp->line, sp->col};
				return true;
			}
		}
		if (seek_blocks(k, b->kids, b->nkids))
			return true;
	}
	return false;
}

/* Whether k is in part p (its notes too); where is in k->found. */
static bool seek_part(struct seek *k, const struct bk_part *p)
{
	if (seek_blocks(k, p->blocks, p->nblocks))
		return true;
	for (size_t i = 0; i < p->nnotes; i++)
		if (seek_blocks(k, p->notes[i].kids, p->notes[i].nkids))
			return true;
	return false;
}

/* The part that holds k, searching from part first (when >= 0); NULL
 * when none does. */
static const struct bk_part *seek_book(struct seek *k, const struct book *b, long first)
{
	if (first >= 0 && (size_t)first < b->nparts && seek_part(k, &b->parts[first]))
		return &b->parts[first];
	for (size_t i = 0; i < b->nparts; i++)
		if (seek_part(k, &b->parts[i]))
			return &b->parts[i];
	return NULL;
}

/* Where outline entry i came from: the book's title in book.yaml, a
 * part's title, or a heading (looked for in the part of the entry above
 * it first). *path NULL when not found. Returns what it is: "title" or
 * "heading". */
static const char *outline_source(const struct book *b, const struct pg_doc *doc, size_t i,
				  const char **path, struct bk_mark *at)
{
	const struct pg_outline *o = &doc->outline[i];
	*path = NULL;
	*at = (struct bk_mark){0, 0};
	if (o->title == b->meta.title) {
		*path = b->yaml_path;
		*at = b->meta.at_title;
		return "title";
	}
	long part = -1;
	for (size_t k = i + 1; k-- > 0 && part < 0;)
		for (size_t p = 0; p < b->nparts; p++)
			if (doc->outline[k].title == b->parts[p].title) {
				part = (long)p;
				break;
			}
	if (part >= 0 && o->title == b->parts[part].title) {
		*path = b->parts[part].path;
		*at = part_title_mark(&b->parts[part]);
		return "title";
	}
	struct arena a;
	ar_init(&a);
	struct seek k = {&a, o->title, -1, NULL, {0, 0}};
	const struct bk_part *p = seek_book(&k, b, part);
	if (p) {
		*path = p->path;
		*at = k.found;
	}
	ar_release(&a);
	return "heading";
}

/* Where url (one of a part's links, as layout keeps them) is written;
 * *path NULL when not found. */
static void link_source(const struct book *b, const char *url, const char **path,
			struct bk_mark *at)
{
	*path = NULL;
	*at = (struct bk_mark){0, 0};
	for (size_t i = 0; i < b->nparts; i++)
		for (size_t j = 0; j < b->parts[i].nlinks; j++)
			if (b->parts[i].links[j] == url) {
				struct seek k = {NULL, NULL, (int)j, NULL, {0, 0}};
				*path = b->parts[i].path;
				if (seek_part(&k, &b->parts[i]))
					*at = k.found;
				return;
			}
}

/* Where img is placed first; *path NULL when not found. */
static void image_source(const struct book *b, const struct bk_image *img, const char **path,
			 struct bk_mark *at)
{
	struct seek k = {NULL, NULL, -1, img, {0, 0}};
	const struct bk_part *p = seek_book(&k, b, -1);
	*path = p ? p->path : NULL;
	*at = k.found;
}

/* A printer's resolution rules, or the style's, at each placing of an
 * image (a file placed twice, at two sizes, is checked at both, as
 * 'octavo check' does), once. */
static void resolution_rules(struct writer *w, const struct bk_image *img, double pw, double ph)
{
	if (!(w->profile ? w->profile->min_ppi : w->b->style.min_image_ppi))
		return;
	for (size_t i = 0; i < w->nplaced; i++)
		if (w->placed[i] == img)
			return;
	GROW(w->placed, w->placed_cap, w->nplaced + 1);
	w->placed[w->nplaced++] = img;
	const char *path;
	struct bk_mark at;
	image_source(w->b, img, &path, &at);
	w->image_errors += pdf_image_check(img, pw, ph, w->profile, w->b->style.min_image_ppi,
					   path, at.line, at.col, w->d);
}

/* The image's resource name, loading it the first time; NULL when it
 * cannot be loaded. */
static const char *image(struct writer *w, const struct bk_image *img, double pw, double ph)
{
	resolution_rules(w, img, pw, ph);
	for (size_t i = 0; i < w->nimages; i++)
		if (w->images[i].img == img || !strcmp(w->images[i].img->path, img->path))
			return w->images[i].h ? w->images[i].name : NULL;
	char why[200];
	/* Far finer than print needs (a photograph straight from a camera):
	 * resampled, and said at the image, at its first placing. */
	int nw, nh, rw, rh;
	pdf_image_shrink_size(img, pw, ph, &nw, &nh);
	bk_image_raster_size(img, &rw, &rh);
	bool shrink = nw != rw || nh != rh;
	HPDF_Image h = w->profile && w->profile->colour != PRINT_AS_IS
			   ? pdf_image_print(w->pdf, img, pw, ph, w->profile, w->opt->icc,
					     w->opt->icc_len, &w->colour, why, sizeof(why))
		       : shrink ? pdf_image_shrunk(w->pdf, img, nw, nh, why, sizeof(why))
				: pdf_image_load(w->pdf, img, why, sizeof(why));
	if (h && shrink) {
		const char *path;
		struct bk_mark at;
		image_source(w->b, img, &path, &at);
		diag_warning(w->d, path, at.line, at.col,
			     "image '%s' is %.0f ppi at its size in the book (%d x %d pixels); "
			     "the PDF has it resampled to %d x %d",
			     img->src, pdf_image_ppi(img, pw, ph), rw, rh, nw, nh);
	}
	if (!h && !w->image_error[0])
		snprintf(w->image_error, sizeof(w->image_error),
			 "cannot put image '%s' into the PDF: %s", img->path, why);
	GROW(w->images, w->images_cap, w->nimages + 1);
	w->images[w->nimages].img = img;
	w->images[w->nimages].h = h;
	char *name = w->images[w->nimages].name;
	snprintf(name, sizeof(w->images[0].name), "Im%zu", w->nimages + 1);
	w->nimages++;
	if (!h || HPDF_Dict_Add(w->xobjects, name, h) != HPDF_OK)
		return NULL;
	return name;
}

/* A destination [page /XYZ left top null]: "this place, at the reader's
 * zoom". libharu's SetXYZ refuses a null zoom, so the array is written
 * through the object API. */
static HPDF_Destination xyz(struct writer *w, size_t page, double top)
{
	HPDF_Destination dst = HPDF_Page_CreateDestination(w->pages[page]);
	if (!dst)
		return NULL;
	HPDF_Array_Clear(dst);
	HPDF_Array_Add(dst, w->pages[page]);
	HPDF_Array_AddName(dst, "XYZ");
	HPDF_Array_AddReal(dst, 0);
	HPDF_Array_AddReal(dst, (HPDF_REAL)(top + w->off));
	HPDF_Array_Add(dst, HPDF_Null_New(pdf_array_mmgr(dst)));
	return dst;
}

/* Records the code points of UTF-8 text drawn in face, for ToUnicode. */
static void note_used(struct writer *w, int face, const char *s, size_t n)
{
	if (!w->used[face])
		w->used[face] = xcalloc(TX_USED_LEN, 1);
	pdf_mark_used(w->used[face], s, n);
}

/*
 * The ToUnicode CMap of a font: each glyph back to the character it was
 * reached by, ligatures back to their letters, so that search and copy
 * give "first", not the ligature. alt: the CMap of the font's second
 * Type0 dictionary, where a glyph with another text (pf->alt) maps to it.
 */
static HPDF_Dict to_unicode(struct writer *w, const struct tx_pdffont *pf, bool alt)
{
	HPDF_Dict cmap = pdf_stream_new(w->pdf);
	if (!cmap)
		return NULL;
	pdf_stream_filter(cmap, HPDF_STREAM_FILTER_FLATE_DECODE);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		     "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	static const char *const lig[] = {"00660066", "00660069", "0066006C", "006600660069",
					  "00660066006C"};
	unsigned codes[100];
	int n = 0;
	for (unsigned g = 0; g <= pf->nglyphs; g++) {
		if (g < pf->nglyphs && (pf->unicode[g] || (pf->text && pf->text[g] && pf->text[g][0])))
			codes[n++] = g;
		if (n == 100 || (g == pf->nglyphs && n)) {
			sb_addf(&sb, "%d beginbfchar\n", n);
			for (int k = 0; k < n; k++) {
				uint32_t cp = pf->unicode[codes[k]];
				const char *t = pf->text ? pf->text[codes[k]] : NULL;
				if (alt && pf->alt && pf->alt[codes[k]])
					cp = 0, t = pf->alt[codes[k]];
				if (!cp && t) {
					/* A glyph reached by its number: its text, in
					 * UTF-16BE (PDF 32000 9.10.3). */
					sb_addf(&sb, "<%04X> <", codes[k]);
					for (size_t i = 0, tn = strlen(t); i < tn;) {
						uint32_t c;
						int m = utf8_decode((const unsigned char *)t + i, tn - i, &c);
						if (m < 0)
							break;
						i += (size_t)m;
						if (c >= 0x10000)
							sb_addf(&sb, "%04X%04X", 0xD800 + ((c - 0x10000) >> 10),
								0xDC00 + ((c - 0x10000) & 0x3FF));
						else
							sb_addf(&sb, "%04X", (unsigned)c);
					}
					sb_adds(&sb, ">\n");
				} else if (cp >= 0xFB00 && cp <= 0xFB04) {
					sb_addf(&sb, "<%04X> <%s>\n", codes[k], lig[cp - 0xFB00]);
				} else {
					sb_addf(&sb, "<%04X> <%04X>\n", codes[k], (unsigned)cp);
				}
			}
			sb_adds(&sb, "endbfchar\n");
			n = 0;
		}
	}
	sb_adds(&sb, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	pdf_stream_write(cmap, (const HPDF_BYTE *)sb.buf, (HPDF_UINT)sb.len);
	sb_release(&sb);
	return cmap;
}

/* Whether part i's author is named before it in dc:creator: among the
 * book's creators or an earlier part's authors (the vision statement's
 * "Civil Exchange" is the book's editor too). */
static bool creator_before(const struct book *b, size_t i)
{
	const char *a = b->parts[i].author;
	for (size_t k = 0; k < b->meta.ncreators; k++)
		if (!strcmp(b->meta.creators[k].name, a))
			return true;
	for (size_t k = 0; k < i; k++)
		if (b->parts[k].author && !strcmp(b->parts[k].author, a))
			return true;
	return false;
}

/* XMP metadata and the document's language, in the catalog. The XMP
 * holds every value whole (a stream has no length limit), escaped by
 * sb_add_xml. Returns 0, or -1 when libharu failed (not yet reported). */
static int set_metadata(struct writer *w, const struct book *b)
{
	HPDF_Dict cat = pdf_doc_catalog(w->pdf);
	const struct bk_meta *m = &b->meta;
	if (m->language)
		HPDF_Dict_Add(cat, "Lang", HPDF_String_New(pdf_dict_mmgr(cat), m->language, NULL));
	HPDF_Dict xmp = HPDF_DictStream_New(pdf_dict_mmgr(cat), pdf_doc_xref(w->pdf));
	if (!xmp || failed(w))
		return -1;
	pdf_stream_filter(xmp, HPDF_STREAM_FILTER_NONE); /* XMP stays readable to tools */
	HPDF_Dict_AddName(xmp, "Type", "Metadata");
	HPDF_Dict_AddName(xmp, "Subtype", "XML");
	struct strbuf sb = STRBUF_INIT;
	const char *lang = m->language ? m->language : "x-default";
	sb_adds(&sb, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		     "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		     "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		     "<rdf:Description rdf:about=\"\" "
		     "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		     "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
		     "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
	if (w->tg)
		sb_adds(&sb, " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
	sb_adds(&sb, ">\n");
	if (w->tg)
		sb_adds(&sb, "<pdfuaid:part>1</pdfuaid:part>\n");
	sb_adds(&sb, "<dc:format>application/pdf</dc:format>\n<dc:title><rdf:Alt><rdf:li xml:lang=\"");
	sb_add_xml(&sb, lang, strlen(lang));
	sb_adds(&sb, "\">");
	sb_add_xml(&sb, m->title, strlen(m->title));
	if (m->subtitle) {
		sb_adds(&sb, bk_title_colon(b));
		sb_add_xml(&sb, m->subtitle, strlen(m->subtitle));
	}
	sb_adds(&sb, "</rdf:li></rdf:Alt></dc:title>\n<dc:creator><rdf:Seq>");
	for (size_t i = 0; i < m->ncreators; i++) {
		sb_adds(&sb, "<rdf:li>");
		sb_add_xml(&sb, m->creators[i].name, strlen(m->creators[i].name));
		sb_adds(&sb, "</rdf:li>");
	}
	for (size_t i = 0; i < b->nparts; i++)
		if (b->parts[i].author && !creator_before(b, i)) {
			sb_adds(&sb, "<rdf:li>");
			sb_add_xml(&sb, b->parts[i].author, strlen(b->parts[i].author));
			sb_adds(&sb, "</rdf:li>");
		}
	sb_adds(&sb, "</rdf:Seq></dc:creator>\n");
	if (m->description) {
		sb_adds(&sb, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		sb_add_xml(&sb, m->description, strlen(m->description));
		sb_adds(&sb, "</rdf:li></rdf:Alt></dc:description>\n");
	}
	sb_adds(&sb, "<dc:language><rdf:Bag><rdf:li>");
	sb_add_xml(&sb, lang, strlen(lang));
	sb_adds(&sb, "</rdf:li></rdf:Bag></dc:language>\n");
	if (m->publisher) {
		sb_adds(&sb, "<dc:publisher><rdf:Bag><rdf:li>");
		sb_add_xml(&sb, m->publisher, strlen(m->publisher));
		sb_adds(&sb, "</rdf:li></rdf:Bag></dc:publisher>\n");
	}
	if (m->rights) {
		sb_adds(&sb, "<dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">");
		sb_add_xml(&sb, m->rights, strlen(m->rights));
		sb_adds(&sb, "</rdf:li></rdf:Alt></dc:rights>\n");
	}
	if (m->keywords) {
		sb_adds(&sb, "<dc:subject><rdf:Bag><rdf:li>");
		sb_add_xml(&sb, m->keywords, strlen(m->keywords));
		sb_adds(&sb, "</rdf:li></rdf:Bag></dc:subject>\n<pdf:Keywords>");
		sb_add_xml(&sb, m->keywords, strlen(m->keywords));
		sb_adds(&sb, "</pdf:Keywords>\n");
	}
	const char *when = m->revised ? m->revised : m->date;
	if (when)
		sb_addf(&sb, "<xmp:CreateDate>%sT00:00:00Z</xmp:CreateDate>\n"
			     "<xmp:ModifyDate>%sT00:00:00Z</xmp:ModifyDate>\n", when, when);
	sb_adds(&sb, "<xmp:CreatorTool>octavo</xmp:CreatorTool>\n</rdf:Description>\n");
	pdfx_xmp(w->profile, b, &sb);
	sb_adds(&sb, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n");
	pdf_stream_write(xmp, (const HPDF_BYTE *)sb.buf, (HPDF_UINT)sb.len);
	sb_release(&sb);
	HPDF_Dict_Add(cat, "Metadata", xmp);
	return failed(w) ? -1 : 0;
}

/* Page boxes: the trim box is the page as bound, the bleed box reaches
 * opt->bleed beyond it, the media box holds the crop marks too. */
static void set_boxes(struct writer *w, HPDF_Page page, double tw, double th)
{
	double off = w->off, ox = w->ox, bleed = w->opt->bleed;
	HPDF_Box trim = {(HPDF_REAL)ox, (HPDF_REAL)off, (HPDF_REAL)(ox + tw),
			 (HPDF_REAL)(off + th)};
	/* Bleed at the spine only where the printer trims it (pdfx.c). */
	double left = ox < bleed ? ox : bleed;
	double right = w->media_w - ox - tw < bleed ? w->media_w - ox - tw : bleed;
	HPDF_Box bl = {(HPDF_REAL)(ox - left), (HPDF_REAL)(off - bleed),
		       (HPDF_REAL)(ox + tw + right), (HPDF_REAL)(off + th + bleed)};
	HPDF_Dict_Add(page, "TrimBox", HPDF_Box_Array_New(pdf_dict_mmgr(page), trim));
	HPDF_Dict_Add(page, "BleedBox", HPDF_Box_Array_New(pdf_dict_mmgr(page), bl));
}

/* Crop marks at the trim corners, outside the bleed, in registration
 * colour (all four inks) so they print on every plate. */
static void crop_marks(const struct writer *w, double ox, struct strbuf *sb, double tw, double th)
{
	double off = w->off, gap = w->opt->bleed + 3, len = 12;
	sb_adds(sb, "0.25 w 1 1 1 1 K\n");
	double xs[2] = {ox, ox + tw}, ys[2] = {off, off + th};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			double x = xs[i], y = ys[j];
			double dx = i ? 1 : -1, dy = j ? 1 : -1;
			double pts[4][2] = {{x + dx * gap, y},
					    {x + dx * (gap + len), y},
					    {x, y + dy * gap},
					    {x, y + dy * (gap + len)}};
			for (int k = 0; k < 4; k++) {
				num(sb, lround(pts[k][0] * 1000));
				sb_addc(sb, ' ');
				num(sb, lround(pts[k][1] * 1000));
				sb_adds(sb, k % 2 ? " l\n" : " m\n");
			}
		}
	sb_adds(sb, "S\n");
}

void pdf_options_default(const struct book *b, struct pdf_options *o)
{
	/* Every field a default, those added later too (bench12's beside
	 * was left as the stack held it, and pdf_write called it). */
	*o = (struct pdf_options){0};
	o->bleed = b->style.bleed;
	o->crop_marks = b->style.crop_marks;
	o->profile = b->style.profile;
	o->tagged = b->style.tagged;
	o->threads = 1;
}

/* v thousandths, as a PDF number ("-12.5"), between the characters pre
 * and post (each left out when 0): one sb_add for all three. */
static void num_in(struct strbuf *sb, char pre, long v, char post)
{
	char buf[32], *e = buf + sizeof(buf) - 1, *q = e;
	if (post)
		*e++ = post;
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	unsigned frac = (unsigned)(u % 1000);
	if (frac) {
		int digits = 3;
		while (frac % 10 == 0)
			frac /= 10, digits--;
		while (digits--)
			*--q = (char)('0' + frac % 10), frac /= 10;
		*--q = '.';
	}
	u /= 1000;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	if (pre)
		*--q = pre;
	sb_add(sb, q, (size_t)(e - q));
}

/* v thousandths, as a PDF number ("-12.5"). */
static void num(struct strbuf *sb, long v)
{
	num_in(sb, 0, v, 0);
}

/* A TJ array's string being written: its bytes gathered here and added
 * to the content stream a few hundred at a time (a call of sb_addc per
 * byte was 15 M instructions on the edition). */
struct glyphs {
	struct strbuf *sb;
	size_t n;
	char b[256];
};

static void glyphs_flush(struct glyphs *gs)
{
	sb_add(gs->sb, gs->b, gs->n);
	gs->n = 0;
}

/* Glyph g as two bytes of a literal string, escaped where PDF's string
 * syntax needs it (and CR and LF, which readers would normalise). */
static inline void put_glyph(struct glyphs *gs, unsigned g)
{
	if (gs->n > sizeof(gs->b) - 5) /* a glyph (4 at most) and a ")" */
		glyphs_flush(gs);
	char *q = gs->b + gs->n;
	unsigned char b[2] = {(unsigned char)(g >> 8), (unsigned char)g};
	/* The bytes needing an escape: \n \r ( ) below 64, and \\. */
	const uint64_t esc = UINT64_C(1) << '\n' | UINT64_C(1) << '\r' | UINT64_C(1) << '(' |
			     UINT64_C(1) << ')';
	if (!((b[0] < 64 && (esc >> b[0] & 1)) || b[0] == '\\' || (b[1] < 64 && (esc >> b[1] & 1)) ||
	      b[1] == '\\')) {
		q[0] = (char)b[0], q[1] = (char)b[1];
		gs->n += 2;
		return;
	}
	for (int i = 0; i < 2; i++) {
		switch (b[i]) {
		case '(':
		case ')':
		case '\\': *q++ = '\\', *q++ = (char)b[i]; break;
		case '\r': *q++ = '\\', *q++ = 'r'; break;
		case '\n': *q++ = '\\', *q++ = 'n'; break;
		default: *q++ = (char)b[i];
		}
	}
	gs->n = (size_t)(q - gs->b);
}

/* Ends the TJ array's string and goes on in font fo's second dictionary
 * (alt: its glyphs' second texts, TX_ALIAS_BASE) or back in its first:
 * the text position is where the glyphs left it. */
static void switch_alt(struct strbuf *sb, int fo, double size, bool alt)
{
	sb_addf(sb, ")] TJ\n/F%d%s ", fo, alt ? "A" : "");
	num(sb, lround(size * 1000));
	sb_adds(sb, " Tf\n[(");
}

/*
 * A bold or italic the face has not, drawn as CSS's font-synthesis draws
 * it, from the piece at (x, y) (thousandths of a point) in flags ts, the
 * pieces before it drawn in was: bold as fill then stroke (text render
 * mode 2), the stroke size/30 wide; italic as a text matrix slanted 12
 * degrees (tan 12 = 0.2126). Sets the position absolutely (Tm), which
 * Td's after it move from; opens the TJ array.
 */
static void synthesise(struct strbuf *sb, uint8_t ts, uint8_t was, double size, long x, long y)
{
	if ((ts & PG_BOLD) != (was & PG_BOLD))
		/* the stroke black, as the fill (not the crop marks' colour) */
		sb_adds(sb, ts & PG_BOLD ? "2 Tr 0 G\n" : "0 Tr\n");
	if (ts & PG_BOLD) {
		num(sb, lround(size * 1000 / 30));
		sb_adds(sb, " w\n");
	}
	sb_adds(sb, ts & PG_SLANT ? "1 0 0.2126 1 " : "1 0 0 1 ");
	num_in(sb, 0, x, ' ');
	num(sb, y);
	sb_adds(sb, " Tm [");
}

/*
 * The page's text, written into its content stream directly: one BT/ET
 * block; the pieces of a line that share a font, size and expansion in one
 * TJ array, the space between them as TJ's adjustments (as pdfTeX writes
 * them); a move (Td) to start each array; glyphs as two-byte codes
 * (Identity-H); font expansion as Tz. Positions are kept exact to the
 * thousandth of a point: each adjustment is worked out from where the
 * previous one really left the pen.
 */
static void draw_text(const struct writer *w, size_t page_no, const struct pg_page *pg,
		      struct strbuf *out)
{
	struct strbuf sb = *out;
	sb_adds(&sb, "BT\n");
	int face = -1;
	double size = 0, hscale = 1;
	long cx = 0, cy = 0; /* the line matrix's origin, in thousandths */
	bool open = false;   /* inside a TJ array */
	double pen = 0;      /* where the next glyph would go, in points */
	/* Tagged: each run of texts (struct pg_tag) in a marked-content
	 * sequence of its own, its MCID's or an artifact's. */
	size_t run = 0;
	long cur = -2; /* the run being drawn; -1 the texts before the first */
	int mcid = -1;
	bool in_alt = false; /* in a font's second dictionary (switch_alt) */
	uint8_t synth = 0;   /* PG_BOLD, PG_SLANT as drawn now */
	for (size_t i = 0; i < pg->ntexts; i++) {
		const struct pg_text *t = &pg->texts[i];
		int fo = w->font_of[t->face];
		const struct tx_pdffont *pf = &w->pf[fo];
		while (w->tg && run < pg->ntags && pg->tags[run].from <= i)
			run++;
		if (w->tg && (long)run - 1 != cur) {
			if (open)
				sb_adds(&sb, "] TJ\n");
			if (cur != -2)
				sb_adds(&sb, "EMC\n");
			open = false;
			cur = (long)run - 1;
			bool pagination = false;
			mcid = cur >= 0 ? pdf_tag_run(w->tg, page_no, (size_t)cur, &pagination) : -1;
			if (mcid >= 0)
				sb_addf(&sb, "/Span <</MCID %d>> BDC\n", mcid);
			else
				sb_addf(&sb, "/Artifact <</Type /%s>> BDC\n",
					pagination ? "Pagination" : "Layout");
		}
		long x = lround(t->x * 1000), y = lround(t->y * 1000);
		double unit = size * hscale / 1000; /* a TJ unit, in points */
		uint8_t ts = t->flags & (PG_BOLD | PG_SLANT);
		bool same = fo == face && t->size == size && t->hscale == hscale && ts == synth;
		if (open && same && y == cy && t->x > pen - size) {
			long adj = lround((pen - t->x) / unit);
			if (adj) {
				num_in(&sb, ' ', adj * 1000, ' ');
				pen -= adj * unit;
			}
		} else {
			if (open)
				sb_adds(&sb, "] TJ\n");
			if (fo != face || t->size != size) {
				face = fo;
				size = t->size;
				sb_addf(&sb, "/F%d ", fo);
				num(&sb, lround(size * 1000));
				sb_adds(&sb, " Tf\n");
			}
			if (t->hscale != hscale) {
				hscale = t->hscale;
				num(&sb, lround(hscale * 100000));
				sb_adds(&sb, " Tz\n");
			}
			if (ts || synth)
				synthesise(&sb, ts, synth, t->size, x, y);
			else {
				num_in(&sb, 0, x - cx, ' ');
				num(&sb, y - cy);
				sb_adds(&sb, " Td [");
			}
			synth = ts;
			cx = x, cy = y;
			pen = x / 1000.0;
			open = true;
		}
		struct glyphs gs; /* not zeroed: 34,748 strings on the edition */
		gs.sb = &sb;
		gs.b[0] = '(';
		gs.n = 1;
		int adv = 0;
		for (size_t k = 0; k < t->len;) {
			uint32_t cp = pdf_next_cp(t->text, t->len, &k);
			unsigned g = pdf_glyph_of(pf, cp);
			/* A glyph's second text: drawn in the font's second
			 * dictionary (make_font), then back. */
			bool a = cp >= TX_ALIAS_BASE && pf->alt && g < pf->nglyphs && pf->alt[g];
			if (a != in_alt) {
				glyphs_flush(&gs);
				switch_alt(&sb, fo, size, in_alt = a);
			}
			put_glyph(&gs, g);
			adv += g < pf->nglyphs ? pf->width[g] : 0;
		}
		if (in_alt) {
			glyphs_flush(&gs);
			switch_alt(&sb, fo, size, in_alt = false);
		}
		/* A reader's text needs its spaces, which the page draws as
		 * glue: a space glyph (its width taken back by the next
		 * adjustment) after a word, and at a line's end unless the
		 * line breaks inside a word. */
		if (mcid >= 0 && pf->gid && pf->gid[' ']) {
			const struct pg_text *nx = i + 1 < pg->ntexts ? &pg->texts[i + 1] : NULL;
			double end = pen + adv * size * hscale / 1000;
			bool line_end = !nx || fabs(nx->y - t->y) > t->size * 0.5 || nx->x < t->x ||
					nx->x > end + t->size * 4;
			if ((t->flags & PG_SPACE) || (line_end && !(t->flags & PG_JOIN))) {
				unsigned g = pf->gid[' '];
				put_glyph(&gs, g);
				adv += g < pf->nglyphs ? pf->width[g] : 0;
			}
		}
		gs.b[gs.n++] = ')'; /* put_glyph leaves room */
		glyphs_flush(&gs);
		pen += adv * size * hscale / 1000;
	}
	if (open)
		sb_adds(&sb, "] TJ\n");
	if (cur != -2)
		sb_adds(&sb, "EMC\n");
	if (synth & PG_BOLD)
		sb_adds(&sb, "0 Tr\n"); /* the text state outlives ET */
	sb_adds(&sb, "ET\n");
	*out = sb;
}

/*
 * Each placed image's number among the PDF's images, as image() numbers
 * them when the pages are added (Im1, Im2, ... in order of first placing;
 * a file placed twice is one image), so that a page's contents can name
 * its images on any thread, before or while image() loads them.
 */
static void image_slots(struct writer *w, const struct pg_doc *doc)
{
	w->imfirst = xcalloc(doc->npages + 1, sizeof(*w->imfirst));
	size_t total = 0;
	for (size_t p = 0; p < doc->npages; p++) {
		w->imfirst[p] = total;
		total += doc->pages[p].nimages;
	}
	w->imfirst[doc->npages] = total;
	w->imslot = xcalloc(total ? total : 1, sizeof(*w->imslot));
	const struct bk_image **seen = NULL;
	size_t nseen = 0, cap = 0;
	for (size_t p = 0; p < doc->npages; p++)
		for (size_t i = 0; i < doc->pages[p].nimages; i++) {
			const struct bk_image *img = doc->pages[p].images[i].img;
			size_t k = 0;
			while (k < nseen && seen[k] != img && strcmp(seen[k]->path, img->path))
				k++;
			if (k == nseen) {
				GROW(seen, cap, nseen + 1);
				seen[nseen++] = img;
			}
			w->imslot[w->imfirst[p] + i] = k;
		}
	free(seen);
}

/*
 * The page's images put into the PDF, each at its first placing
 * (image()), as the pages are added: in page order, so that they are
 * numbered as image_slots says. Returns 0, or -1 after reporting.
 */
static int place_images(struct writer *w, const struct pg_page *pg)
{
	for (size_t i = 0; i < pg->nimages; i++) {
		const struct pg_image *im = &pg->images[i];
		int nerr = w->d->nerr;
		const char *name = image(w, im->img, im->w, im->h);
		if (!name || failed(w)) {
			/* libharu refuses every call after a failure: the PDF
			 * cannot go on without this image. */
			if (w->d->nerr == nerr) {
				const char *path;
				struct bk_mark at;
				image_source(w->b, im->img, &path, &at);
				char what[80 + 200];
				snprintf(what, sizeof(what),
					 "cannot put image '%.200s' into the PDF", im->img->src);
				harm(w, w->d, path, at.line, at.col, what);
				if (w->harm.error == HPDF_DICT_COUNT_ERR)
					diag_hint(w->d, "the PDF's pages share one dictionary "
							"of images: at most 4,095 image files");
			}
			w->bad_input = true;
			return -1;
		}
		assert(!strncmp(name, "Im", 2) &&
		       strtoul(name + 2, NULL, 10) == w->imslot[w->imfirst[w->page_no] + i] + 1);
	}
	return 0;
}

/*
 * Page page_no's content stream into sb, written whole here (and deflated
 * at our own level, PDF_DEFLATE_LEVEL, by make_streams: libharu's level 6
 * took twice the time for a tenth less size). Crop marks in the media
 * box's own space; then the trim box moved to the origin (ox: its x on
 * this page); rules and text in 100% black, K only, as printers want
 * them; images, by their slots. Reads w (fonts, options, tagger, slots)
 * and the page, writes only sb: any thread.
 */
static void page_content(const struct writer *w, size_t page_no, double ox,
			 const struct pg_page *pg, double tw, double th, struct strbuf *sb0)
{
	struct strbuf sb = *sb0;
	if (w->opt->crop_marks) {
		if (w->tg)
			sb_adds(&sb, "/Artifact <</Type /Page>> BDC\n");
		crop_marks(w, ox, &sb, tw, th);
		if (w->tg)
			sb_adds(&sb, "EMC\n");
	}
	if (w->off || ox) {
		sb_adds(&sb, "1 0 0 1 ");
		num(&sb, lround(ox * 1000));
		sb_addc(&sb, ' ');
		num(&sb, lround(w->off * 1000));
		sb_adds(&sb, " cm\n");
	}
	/* A black-and-white interior is grey throughout (a printer's preflight
	 * counts a K-only CMYK as colour). */
	sb_adds(&sb, w->profile && w->profile->colour == PRINT_GRAY ? "0 g\n" : "0 0 0 1 k\n");
	/* Rules (table rules, the note rule, a section break) are layout. */
	if (w->tg && pg->nrules)
		sb_adds(&sb, "/Artifact <</Type /Layout>> BDC\n");
	for (size_t i = 0; i < pg->nrules; i++) {
		const struct pg_rule *r = &pg->rules[i];
		double v[4] = {r->x, r->y, r->w, r->h};
		for (int k = 0; k < 4; k++) {
			num(&sb, lround(v[k] * 1000));
			sb_addc(&sb, ' ');
		}
		sb_adds(&sb, "re f\n");
	}
	if (w->tg && pg->nrules)
		sb_adds(&sb, "EMC\n");
	for (size_t i = 0; i < pg->nimages; i++) {
		const struct pg_image *im = &pg->images[i];
		double v[6] = {im->w, 0, 0, im->h, im->x, im->y};
		int mcid = w->tg ? pdf_tag_image(w->tg, page_no, i) : -1;
		if (mcid >= 0)
			sb_addf(&sb, "/Figure <</MCID %d>> BDC\n", mcid);
		else if (w->tg)
			sb_adds(&sb, "/Artifact <</Type /Layout>> BDC\n");
		sb_adds(&sb, "q ");
		for (int k = 0; k < 6; k++) {
			num(&sb, lround(v[k] * 1000));
			sb_addc(&sb, ' ');
		}
		sb_addf(&sb, "cm /Im%zu Do Q\n", w->imslot[w->imfirst[page_no] + i] + 1);
		if (w->tg)
			sb_adds(&sb, "EMC\n");
	}
	if (pg->ntexts)
		draw_text(w, page_no, pg, &sb);
	*sb0 = sb;
}

/*
 * Link annotations, once every page exists (internal links point ahead).
 * A URL longer than libharu takes is left unlinked, with a warning at it
 * (once for each piece of it the page holds: the first is enough).
 * Returns 0, or -1 when libharu failed (reported).
 */
static int draw_links(struct writer *w, HPDF_Page page, const struct pg_page *pg)
{
	const char *too_long = NULL;
	for (size_t i = 0; i < pg->nlinks; i++) {
		const struct pg_link *l = &pg->links[i];
		HPDF_Rect rect = {(HPDF_REAL)(l->x0 + w->ox), (HPDF_REAL)(l->y0 + w->off),
				  (HPDF_REAL)(l->x1 + w->ox), (HPDF_REAL)(l->y1 + w->off)};
		HPDF_Annotation a = NULL;
		if (l->url && strlen(l->url) > PDF_STRING_MAX) {
			if (l->url != too_long) {
				const char *path;
				struct bk_mark at;
				link_source(w->b, l->url, &path, &at);
				diag_warning(w->d, path, at.line, at.col,
					     "link too long for the PDF (%zu bytes, at most %zu): "
					     "its text is not linked there",
					     strlen(l->url), PDF_STRING_MAX);
				too_long = l->url;
			}
		} else if (l->url) {
			a = HPDF_Page_CreateURILinkAnnot(page, rect, l->url);
		} else if (l->dest_page >= 0 && (size_t)l->dest_page < w->npages) {
			HPDF_Destination dst = xyz(w, (size_t)l->dest_page, l->dest_y);
			if (dst)
				a = HPDF_Page_CreateLinkAnnot(page, rect, dst);
		}
		if (a)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		if (a && w->tg)
			pdf_tag_annot(w->tg, w->page_no, i, a);
		if (failed(w)) {
			const char *path = NULL;
			struct bk_mark at = {0, 0};
			if (l->url)
				link_source(w->b, l->url, &path, &at);
			harm(w, w->d, path, at.line, at.col, "cannot add a link to the PDF");
			return -1;
		}
	}
	return 0;
}

/* A subset's tag (PDF 32000 9.6.4): six capitals from the embedded
 * bytes, so that the same font and text always give the same name. The
 * hash starts from the basis the tags were first made with (a digit short
 * of FNV's), so that an edition keeps its font names. */
static void subset_tag(const struct tx_pdffont *pf, char tag[8])
{
	uint64_t h = hash_fnv1a_from(UINT64_C(1469598103934665603), pf->data, pf->len);
	for (int i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '+';
	tag[7] = 0;
}

/* Type0 font t0 (added to xref now) over the CIDFont cid: Identity-H,
 * desc its DescendantFonts array, cmap its ToUnicode. */
static void type0_fill(HPDF_Xref xref, HPDF_Dict t0, HPDF_Array desc, const char *name,
		       HPDF_Dict cid, HPDF_Dict cmap)
{
	HPDF_Xref_Add(xref, t0);
	HPDF_Dict_AddName(t0, "Type", "Font");
	HPDF_Dict_AddName(t0, "Subtype", "Type0");
	HPDF_Dict_AddName(t0, "BaseFont", name);
	HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
	HPDF_Dict_Add(t0, "DescendantFonts", desc);
	HPDF_Array_Add(desc, cid);
	HPDF_Dict_Add(t0, "ToUnicode", cmap);
}

/*
 * The font dictionaries of one face (PDF 32000 9.7): a Type0 font with
 * Identity-H encoding over a CIDFontType2 whose CIDs are the subset's
 * glyph numbers, its descriptor with the TrueType file, and ToUnicode.
 */
static HPDF_Dict make_font(struct writer *w, const struct tx_pdffont *pf, HPDF_Dict *alt)
{
	HPDF_MMgr mm = pdf_doc_mmgr(w->pdf);
	HPDF_Xref xref = pdf_doc_xref(w->pdf);
	char name[80], tag[8];
	subset_tag(pf, tag);
	snprintf(name, sizeof(name), "%s%s", pf->subset ? tag : "", pf->psname);

	HPDF_Dict file = HPDF_DictStream_New(mm, xref);
	HPDF_Dict fd = HPDF_Dict_New(mm), cid = HPDF_Dict_New(mm), type0 = HPDF_Dict_New(mm);
	HPDF_Dict info = HPDF_Dict_New(mm);
	HPDF_Array desc = HPDF_Array_New(mm), widths = HPDF_Array_New(mm);
	HPDF_Box bbox = {(HPDF_REAL)pf->bbox[0], (HPDF_REAL)pf->bbox[1], (HPDF_REAL)pf->bbox[2],
			 (HPDF_REAL)pf->bbox[3]};
	HPDF_Array box = HPDF_Box_Array_New(mm, bbox);
	HPDF_Dict cmap = to_unicode(w, pf, false);
	if (!file || !fd || !cid || !type0 || !info || !desc || !widths || !box || !cmap)
		return NULL;
	/* Deflated here as libharu would (w->zfont), so that a rebuild
	 * takes it from the store; libharu deflates it when that fails. */
	char *z = NULL;
	size_t zlen = 0;
	const struct pdf_store *st = w->opt ? w->opt->store : NULL;
	if (w->zfont.how && pdf_deflate(&w->zfont, st, pf->data, pf->len, &z, &zlen) == 0) {
		pdf_mark_deflated_as_haru(file);
		if ((st ? pdf_stream_lend(file, z, zlen) : pdf_stream_own(file, z, zlen)) < 0)
			return NULL;
	} else {
		pdf_stream_filter(file, HPDF_STREAM_FILTER_FLATE_DECODE);
		pdf_stream_write(file, (const HPDF_BYTE *)pf->data, (HPDF_UINT)pf->len);
	}
	if (pf->cff)
		HPDF_Dict_AddName(file, "Subtype", "OpenType"); /* CFF outlines: FontFile3 */
	else
		HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)pf->len);

	HPDF_Xref_Add(xref, fd);
	HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
	HPDF_Dict_AddName(fd, "FontName", name);
	/* Nonsymbolic (32), italic (64), fixed pitch (1). */
	HPDF_Dict_AddNumber(fd, "Flags", 32 | (pf->italic ? 64 : 0) | (pf->fixed_pitch ? 1 : 0));
	HPDF_Dict_Add(fd, "FontBBox", box);
	HPDF_Dict_AddReal(fd, "ItalicAngle", (HPDF_REAL)pf->italic_angle);
	HPDF_Dict_AddNumber(fd, "Ascent", (HPDF_INT32)lround(pf->ascent));
	HPDF_Dict_AddNumber(fd, "Descent", (HPDF_INT32)lround(pf->descent));
	HPDF_Dict_AddNumber(fd, "CapHeight", (HPDF_INT32)lround(pf->cap_height));
	/* TrueType has no stem width; estimated from the weight, as viewers
	 * use it only to pick a substitute. */
	double wt = pf->weight > 0 ? pf->weight : 400;
	HPDF_Dict_AddNumber(fd, "StemV", (HPDF_INT32)lround(50 + (wt / 65) * (wt / 65)));
	HPDF_Dict_Add(fd, pf->cff ? "FontFile3" : "FontFile2", file);

	HPDF_Xref_Add(xref, cid);
	HPDF_Dict_AddName(cid, "Type", "Font");
	HPDF_Dict_AddName(cid, "Subtype", pf->cff ? "CIDFontType0" : "CIDFontType2");
	HPDF_Dict_AddName(cid, "BaseFont", name);
	HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	HPDF_Dict_AddNumber(info, "Supplement", 0);
	HPDF_Dict_Add(cid, "FontDescriptor", fd);
	HPDF_Dict_AddNumber(cid, "DW", 1000);
	/* Every glyph's width, exactly the advance tx_shape measured: runs
	 * "first [w w ...]" of as many as one array may hold. */
	for (unsigned g = 0; g < pf->nglyphs || g == 0;) {
		HPDF_Array run = HPDF_Array_New(mm);
		if (!run)
			return NULL;
		HPDF_Array_AddNumber(widths, (HPDF_INT32)g);
		HPDF_Array_Add(widths, run);
		for (size_t k = 0; g < pf->nglyphs && k < PDF_ARRAY_MAX; k++, g++)
			HPDF_Array_AddNumber(run, pf->width[g]);
		if (!pf->nglyphs)
			break;
	}
	HPDF_Dict_Add(cid, "W", widths);
	if (!pf->cff) /* a CIDFontType0's CIDs are its CFF's glyphs */
		HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");

	type0_fill(xref, type0, desc, name, cid, cmap);
	if (pf->alt && alt) {
		/* The same font, where a glyph that stands for two texts
		 * (TX_ALIAS_BASE) gives its second: the CIDFont shared, only
		 * ToUnicode differs. */
		HPDF_Dict t2 = HPDF_Dict_New(mm);
		HPDF_Array desc2 = HPDF_Array_New(mm);
		HPDF_Dict cmap2 = to_unicode(w, pf, true);
		if (!t2 || !desc2 || !cmap2)
			return NULL;
		type0_fill(xref, t2, desc2, name, cid, cmap2);
		*alt = t2;
	}
	return type0;
}

/* Makes the font of every face the pages use, each cut down to their
 * glyphs; faces sharing a file share a font. */
static int load_fonts(struct writer *w, const struct tx_fonts *f, struct diag *d)
{
	/* One Resources dictionary for every page, as libharu's own per
	 * page (its procedure sets, fonts, images) cost 2 KB a page. */
	HPDF_MMgr mm = pdf_doc_mmgr(w->pdf);
	w->fontres = HPDF_Dict_New(mm);
	w->resources = HPDF_Dict_New(mm);
	w->xobjects = HPDF_Dict_New(mm);
	HPDF_Array procs = HPDF_Array_New(mm);
	if (!w->fontres || !w->resources || !w->xobjects || !procs ||
	    HPDF_Xref_Add(pdf_doc_xref(w->pdf), w->fontres) != HPDF_OK ||
	    HPDF_Xref_Add(pdf_doc_xref(w->pdf), w->resources) != HPDF_OK) {
		harm(w, d, NULL, 0, 0, "cannot start the PDF's resources");
		return -1;
	}
	static const char *const sets[] = {"PDF", "Text", "ImageB", "ImageC", "ImageI"};
	for (size_t i = 0; i < ARRAY_LEN(sets); i++)
		HPDF_Array_AddName(procs, sets[i]);
	HPDF_Dict_Add(w->resources, "ProcSet", procs);
	HPDF_Dict_Add(w->resources, "Font", w->fontres);
	HPDF_Dict_Add(w->resources, "XObject", w->xobjects);
	for (int i = 0; i < TX_NFACES; i++) {
		w->font_of[i] = i;
		if (!w->used[i])
			continue;
		const char *path = tx_font_path(f, (enum tx_face)i);
		for (int k = 0; k < i; k++)
			if (w->used[k] && w->font_of[k] == k &&
			    !strcmp(tx_font_path(f, (enum tx_face)k), path) &&
			    tx_same_font(f, (enum tx_face)i, (enum tx_face)k)) {
				w->font_of[i] = k;
				for (int cp = 0; cp < TX_USED_LEN; cp++)
					w->used[k][cp] |= w->used[i][cp];
				break;
			}
	}
	for (int i = 0; i < TX_NFACES; i++) {
		if (!w->used[i] || w->font_of[i] != i)
			continue;
		if (pdf_font_subset(f, (enum tx_face)i, w->used[i], w->opt->store, &w->pf[i]) < 0) {
			diag_error(d, tx_font_path(f, (enum tx_face)i), 0, 0,
				   "cannot read this font again to embed it");
			return -1;
		}
		HPDF_Dict alt = NULL;
		HPDF_Dict font = make_font(w, &w->pf[i], &alt);
		char res[16], res2[16];
		snprintf(res, sizeof(res), "F%d", i);
		snprintf(res2, sizeof(res2), "F%dA", i); /* its glyphs' second texts */
		if (!font || HPDF_Dict_Add(w->fontres, res, font) != HPDF_OK ||
		    (alt && HPDF_Dict_Add(w->fontres, res2, alt) != HPDF_OK) || failed(w)) {
			harm(w, d, tx_font_path(f, (enum tx_face)i), 0, 0,
			     "cannot embed this font in the PDF");
			return -1;
		}
	}
	return 0;
}

/* "2011-07-21" into libharu's date (midnight UTC). */
static HPDF_Date date_of(const char *ymd)
{
	HPDF_Date dt = {0};
	dt.year = atoi(ymd);
	dt.month = atoi(ymd + 5);
	dt.day = atoi(ymd + 8);
	dt.ind = 'Z';
	return dt;
}

int pdf_write(const struct book *b, const struct pg_doc *doc, const struct tx_fonts *f,
	      const char *out_path, struct diag *d)
{
	struct pdf_options o;
	pdf_options_default(b, &o);
	return pdf_write_opts(b, doc, f, &o, out_path, d);
}

/* The document information: each value cut to libharu's limit with a
 * warning, as the XMP keeps it whole; the dates from book.yaml. Returns 0,
 * or -1 after reporting. */
static int set_doc_info(struct writer *w, const struct book *b, const struct pg_doc *doc,
			struct diag *d)
{
	const struct bk_meta *m = &b->meta;
	bool info_ok =
	    set_info(w, b, d, HPDF_INFO_TITLE,
		     m->subtitle ? ar_printf((struct arena *)&doc->arena, "%s%s%s", m->title,
					     bk_title_colon(b), m->subtitle)
				 : m->title,
		     "title", m->at_title, false) == 0 &&
	    set_info(w, b, d, HPDF_INFO_AUTHOR, m->ncreators ? m->creators[0].name : m->publisher,
		     m->ncreators ? "name" : "publisher",
		     m->ncreators ? m->creators[0].at : m->at_publisher, false) == 0 &&
	    set_info(w, b, d, HPDF_INFO_SUBJECT, m->description, "description", m->at_description,
		     false) == 0 &&
	    set_info(w, b, d, HPDF_INFO_KEYWORDS, m->keywords, "keywords", m->at_keywords,
		     true) == 0 &&
	    set_info(w, b, d, HPDF_INFO_CREATOR, "octavo", "octavo", (struct bk_mark){0, 0},
		     false) == 0;
	if (!info_ok)
		return -1;
	const char *when = m->revised ? m->revised : m->date;
	if (when) {
		/* book_load took only dates the calendar has. */
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date_of(when));
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date_of(when));
		if (failed(w)) {
			harm(w, d, b->yaml_path, 0, 0,
			     "cannot put the date in the PDF's document information");
			return -1;
		}
	}

	return 0;
}

/* The printer's page-count parity: blank pages after the doc's, each
 * with its boxes (ox: the media's offsets, verso and recto). Returns 0, or
 * -1 after reporting. */
static int add_blank_pages(struct writer *w, const struct pg_doc *doc, const double ox[2],
			   struct diag *d)
{
	size_t npad = print_profile_pad(w->profile, doc->npages);
	for (size_t i = doc->npages; i < doc->npages + npad; i++) {
		HPDF_Page pg = HPDF_AddPage(w->pdf);
		if (pg) {
			w->ox = ox[i % 2];
			HPDF_Dict_Add(pg, "Resources", w->resources);
			HPDF_Page_SetWidth(pg, (HPDF_REAL)w->media_w);
			HPDF_Page_SetHeight(pg, (HPDF_REAL)(doc->page_h + 2 * w->off));
			set_boxes(w, pg, doc->page_w, doc->page_h);
			/* an empty deflated stream is no stream to Ghostscript */
			HPDF_Page_GSave(pg);
			HPDF_Page_GRestore(pg);
		}
		if (!pg || failed(w)) {
			harm(w, d, NULL, 0, 0, "cannot add a blank page to the PDF");
			return -1;
		}
	}
	return 0;
}

/* The page labels: the front matter's pages i, ii, ..., the rest 1, 2,
 * ... Returns 0, or -1 after reporting. */
static int add_page_labels(struct writer *w, const struct pg_doc *doc, struct diag *d)
{
	if (doc->front_pages > 0)
		HPDF_AddPageLabel(w->pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
	if ((size_t)doc->front_pages < doc->npages)
		HPDF_AddPageLabel(w->pdf, (HPDF_UINT)doc->front_pages, HPDF_PAGE_NUM_STYLE_DECIMAL,
				  1, NULL);
	if (failed(w)) {
		harm(w, d, NULL, 0, 0, "cannot add the page labels to the PDF");
		return -1;
	}
	return 0;
}

/* The outline: parts at the first level, their sections under them. A
 * title longer than libharu takes is cut with a warning at its heading
 * (the page sets it whole). Returns 0, or -1 after reporting. */
static int add_outline(struct writer *w, const struct book *b, const struct pg_doc *doc,
		       struct diag *d)
{
	/* parent[k]: the last entry at level k + 1 (part dividers nest the
	 * essays under them: three levels). */
	HPDF_Outline root = NULL, parent[3] = {NULL, NULL, NULL};
	for (size_t i = 0; i < doc->noutline && (!w->profile || w->profile->outline); i++) {
		const struct pg_outline *o = &doc->outline[i];
		bool lossy = false;
		char *title = pdfdoc(o->title, &lossy);
		size_t n = strlen(title);
		const char *path = NULL;
		struct bk_mark at = {0, 0};
		bool cut = fit_string(title, false);
		if (cut) {
			const char *what = outline_source(b, doc, i, &path, &at);
			diag_warning(d, path, at.line, at.col,
				     "%s too long for the PDF's bookmarks (%zu characters, at "
				     "most %zu): its bookmark is cut to %zu",
				     what, n, PDF_STRING_MAX, strlen(title));
			diag_hint(d, "the page and the EPUB set it whole");
		}
		int lv = o->level < 1 ? 1 : o->level > 3 ? 3 : o->level;
		HPDF_Outline at_node = root;
		for (int k = lv - 2; k >= 0 && at_node == root; k--)
			if (parent[k])
				at_node = parent[k];
		HPDF_Outline ol = HPDF_CreateOutline(w->pdf, at_node, title, NULL);
		free(title);
		if (ol && lossy && !cut)
			unicode_text(w, ol, "Title", o->title);
		HPDF_Destination dst = ol ? xyz(w, (size_t)o->page, o->y) : NULL;
		if (dst)
			HPDF_Outline_SetDestination(ol, dst);
		if (ol && (lv == 1 || (lv < 3 && i + 1 < doc->noutline &&
				       doc->outline[i + 1].level > o->level)))
			HPDF_Outline_SetOpened(ol, HPDF_FALSE);
		if (ol && lv < 3) {
			parent[lv - 1] = ol;
			for (int k = lv; k < 3; k++)
				parent[k] = NULL;
		}
		if (!ol || !dst || failed(w)) {
			if (!cut)
				outline_source(b, doc, i, &path, &at);
			harm(w, d, path, at.line, at.col,
			     "cannot add this heading to the PDF's bookmarks");
			return -1;
		}
	}
	if (doc->noutline && (!w->profile || w->profile->outline))
		HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	return 0;
}

/* Straight to a file beside out_path, synced, then renamed over it: the
 * PDF appears whole or not at all, and is never held in memory twice (a
 * 6,000-page book's is 15 MB). Returns 0, or -1 after reporting. */
static int save_pdf(struct writer *w, const char *out_path, struct diag *d)
{
	int rc = -1;
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.tmp-%ld", out_path, (long)getpid());
	errno = 0;
	if (pdf_save_file(w->pdf, tmp.buf) != HPDF_OK) {
		int e = errno ? errno : EIO; /* open's or write's */
		if (w->harm.error == HPDF_FILE_IO_ERROR || w->harm.error == HPDF_FILE_OPEN_ERROR)
			diag_error(d, out_path, 0, 0, "cannot write the PDF: %s", strerror(e));
		else
			diag_error(d, NULL, 0, 0,
				   "cannot write the PDF (libharu error 0x%04X, detail %u)",
				   (unsigned)w->harm.error, (unsigned)w->harm.detail);
	} else {
		/* libharu does not check fclose, where a full disk shows: the
		 * file must end as a PDF does before it replaces the edition. */
		int fd = open(tmp.buf, O_RDONLY);
		char tail[8] = "";
		off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
		bool whole = end > 8 && pread(fd, tail, 8, end - 8) == 8 &&
			     (!memcmp(tail + 2, "%%EOF", 5) || !memcmp(tail + 3, "%%EOF", 5));
		int e = errno ? errno : ENOSPC;
		if (fd >= 0)
			close(fd);
		if (!whole)
			diag_error(d, out_path, 0, 0, "cannot write the PDF: %s", strerror(e));
		else if (rename(tmp.buf, out_path) < 0)
			diag_error(d, out_path, 0, 0, "cannot write the PDF: %s", strerror(errno));
		else
			rc = 0;
	}
	if (rc < 0)
		unlink(tmp.buf);
	sb_release(&tmp);
	return rc;
}

/* The doc's pages added, with their boxes and images (w->pages, which the
 * caller frees); their contents come from make_streams. Returns 0, or -1
 * after reporting. */
static int add_pages(struct writer *w, const struct pg_doc *doc, const double ox[2],
		     struct diag *d)
{
	HPDF_Page *pages = xcalloc(doc->npages ? doc->npages : 1, sizeof(*pages));
	w->pages = pages;
	w->npages = doc->npages;
	for (size_t i = 0; i < doc->npages; i++) {
		pages[i] = HPDF_AddPage(w->pdf);
		if (pages[i]) {
			HPDF_Dict_Add(pages[i], "Resources", w->resources);
			w->ox = ox[i % 2];
			HPDF_Page_SetWidth(pages[i], (HPDF_REAL)w->media_w);
			HPDF_Page_SetHeight(pages[i], (HPDF_REAL)(doc->page_h + 2 * w->off));
			set_boxes(w, pages[i], doc->page_w, doc->page_h);
		}
		if (!pages[i] || failed(w)) {
			char what[80];
			snprintf(what, sizeof(what), "cannot add page %zu of %zu to the PDF", i + 1,
				 doc->npages);
			harm(w, d, NULL, 0, 0, what);
			return -1;
		}
		w->page_no = i;
		if (place_images(w, &doc->pages[i]) < 0)
			return -1;
	}
	return 0;
}

/* A book bound on the right: /ViewerPreferences << /Direction /R2L >>, so
 * that a viewer shows its spreads with the recto on the left (PDF 1.7,
 * 12.2). libharu's HPDF_SetViewerPreference has no such key: the
 * catalog's dictionary (the tagged PDF's, or a new one) takes it. */
static int read_right_to_left(struct writer *w)
{
	HPDF_Dict cat = pdf_doc_catalog(w->pdf);
	HPDF_Dict prefs = HPDF_Dict_GetItem(cat, "ViewerPreferences", HPDF_OCLASS_DICT);
	if (!prefs) {
		prefs = HPDF_Dict_New(pdf_doc_mmgr(w->pdf));
		if (!prefs || HPDF_Dict_Add(cat, "ViewerPreferences", prefs) != HPDF_OK)
			return -1;
	}
	return HPDF_Dict_AddName(prefs, "Direction", "R2L") == HPDF_OK ? 0 : -1;
}

/*
 * Everything in the PDF but the pages' contents, on the PDF's thread
 * (libharu's document is one thread's): the pages, their images and
 * links, the structure tree, the printer's blank pages, the metadata,
 * page labels and outline, PDF/X. Returns 0, or -1 after reporting.
 */
static int add_objects(struct writer *w, const struct book *b, const struct pg_doc *doc,
		       const double ox[2], struct diag *d)
{
	if (add_pages(w, doc, ox, d) < 0)
		return -1;
	for (size_t i = 0; i < doc->npages && (!w->profile || w->profile->links); i++) {
		w->ox = ox[i % 2];
		w->page_no = i;
		if (draw_links(w, w->pages[i], &doc->pages[i]) < 0)
			return -1;
	}
	if (w->tg && (pdf_tag_finish(w->tg, w->pages) < 0 || failed(w))) {
		harm(w, d, NULL, 0, 0, "cannot add the structure tree to the PDF");
		return -1;
	}
	if (bk_lang_rtl(b->meta.language) && read_right_to_left(w) < 0) {
		harm(w, d, NULL, 0, 0, "cannot set the PDF's reading direction");
		return -1;
	}
	if (add_blank_pages(w, doc, ox, d) < 0)
		return -1;
	if (set_metadata(w, b) < 0) {
		harm(w, d, b->yaml_path, 0, 0, "cannot add the XMP metadata to the PDF");
		return -1;
	}
	if (add_page_labels(w, doc, d) < 0 || add_outline(w, b, doc, d) < 0)
		return -1;
	/* PDF/X: the output intent, the identification, the version. */
	if (pdfx_apply(w->pdf, w->profile, w->opt->icc, w->opt->icc_len, b, d) < 0) {
		failed(w);
		return -1;
	}
	if (w->image_errors) { /* reported at each image's line */
		w->bad_input = true;
		return -1;
	}
	if (w->image_error[0]) {
		diag_error(d, NULL, 0, 0, "%s", w->image_error);
		return -1;
	}
	return 0;
}

/* ===== the pages' contents, on up to two threads ======================= */

/* Pages a thread takes at a time. */
#define STREAM_STEP 8

/*
 * One thread's part of the pages' content streams: pages taken from
 * share until none is left, each made (page_content) and deflated, or
 * found in the store (pdf_zmake), into w->made, its texts freed from
 * release when not NULL. The first job adds every other object first
 * (add_objects, the PDF's thread): the other thread makes the streams
 * meanwhile, and both make what is left. Which thread makes a page does
 * not change its bytes; the PDF's thread takes them in page order after.
 */
struct streams_job {
	struct writer *w;
	const struct book *b;
	const struct pg_doc *doc;
	struct pg_doc *release;
	const double *ox;
	struct jobs_share *share;
	struct diag *d;
	bool objects; /* add_objects first */
	int rc;	      /* add_objects': 0 or -1 */
};

static void make_streams(void *arg)
{
	struct streams_job *j = arg;
	const struct writer *w = j->w;
	const struct pg_doc *doc = j->doc;
	/* A book whose texts are given back adds its objects after the
	 * streams, into the memory the texts held: beside them, the 50x
	 * book peaked at 148 MB instead of 130. */
	bool late = j->objects && w->opt->give_back && j->release;
	if (j->objects && !late)
		j->rc = add_objects(j->w, j->b, doc, j->ox, j->d);
	struct pdf_zset z;
	pdf_zset_init(&z, PDF_DEFLATE_LEVEL, 6);
	struct strbuf sb = STRBUF_INIT;
	size_t from, end;
	while (jobs_share_take(j->share, STREAM_STEP, &from, &end)) {
		for (size_t i = from; i < end; i++) {
			sb_reset(&sb);
			page_content(w, i, j->ox[i % 2], &doc->pages[i], doc->page_w, doc->page_h,
				     &sb);
			pdf_zmake(&z, w->opt->store, sb.buf, sb.len, &w->made[i]);
			if (j->release) {
				struct pg_page *pg = &j->release->pages[i];
				free(pg->texts);
				pg->texts = NULL;
				pg->ntexts = pg->texts_cap = 0;
			}
		}
	}
	sb_release(&sb);
	pdf_zset_release(&z);
	/* The helping thread's next job, beside the objects (pdf.h). */
	if (!j->objects && w->opt->beside.run)
		w->opt->beside.run(w->opt->beside.arg);
	if (late) {
		heap_give_back();
		j->rc = add_objects(j->w, j->b, doc, j->ox, j->d);
	}
}

/*
 * The PDF's objects and the pages' content streams, made on up to
 * w->opt->threads threads (make_streams), then each page's stream taken
 * in page order (pdf_ztake: the store sees what one thread would ask) as
 * the page's contents. Returns 0, or -1 after reporting.
 */
static int add_contents(struct writer *w, const struct book *b, const struct pg_doc *doc,
			const double ox[2], struct pg_doc *release, struct diag *d)
{
	image_slots(w, doc);
	w->made = xcalloc(doc->npages ? doc->npages : 1, sizeof(*w->made));
	struct jobs_share share;
	jobs_share_init(&share, doc->npages);
	struct streams_job sj[2];
	for (int k = 0; k < 2; k++)
		sj[k] = (struct streams_job){.w = w, .b = b, .doc = doc, .release = release,
					     .ox = ox, .share = &share, .d = d, .objects = k == 0};
	struct job jobs[2] = {{make_streams, &sj[0]}, {make_streams, &sj[1]}};
	jobs_run(jobs, 2, w->opt->threads);
	int rc = sj[0].rc;
	const struct pdf_store *st = w->opt->store;
	for (size_t i = 0; i < doc->npages; i++) {
		char *z;
		size_t zlen;
		int zr = rc < 0 ? 0 : pdf_ztake(&w->zpage, st, &w->made[i], &z, &zlen);
		if (zr < 0) {
			diag_error(d, NULL, 0, 0, "cannot compress the PDF's page %s (zlib error %d)",
				   doc->pages[i].label, zr);
			rc = -1;
		} else if (rc == 0 && pdf_page_own_contents(w->pages[i], z, zlen, st != NULL) < 0) {
			harm(w, d, NULL, 0, 0, "cannot add a page's contents to the PDF");
			rc = -1;
		}
		pdf_zmade_release(&w->made[i]);
	}
	return rc;
}

/* ===== the whole PDF =================================================== */

/* A PDF made and not yet saved (pdf.h): the writer, and how it stands. */
struct pdf_draft {
	struct writer w;
	struct pdf_options opt; /* the caller's, as the writer takes them (w.opt) */
	struct diag *d;
	int rc; /* 0: ready to save */
};

static struct pdf_draft *draft_new(const struct book *b, const struct pg_doc *doc,
				   const struct tx_fonts *f, const struct pdf_options *opt,
				   struct diag *d, struct pg_doc *release)
{
	struct pdf_draft *dr = xcalloc(1, sizeof(*dr));
	struct writer *w = &dr->w;
	dr->d = d;
	dr->rc = -1;
	w->b = b;
	w->d = d;
	dr->opt = *opt;
	w->profile = opt->profile;
	if (w->profile)
		dr->opt.bleed = w->profile->bleed, dr->opt.crop_marks = w->profile->crop_marks;
	if (opt->screen)
		dr->opt.bleed = 0, dr->opt.crop_marks = false;
	w->opt = &dr->opt;
	/* Marks sit outside the bleed: leave room for them on the media. */
	w->off = dr->opt.bleed + (dr->opt.crop_marks ? 3 + 12 + 3 : 0);
	double ox[2];
	w->media_w = pdfx_page_offsets(w->profile, doc->page_w, w->off, dr->opt.bleed, ox);
	if (bk_lang_rtl(b->meta.language)) { /* bound on the right: the spines swap */
		double t = ox[0];
		ox[0] = ox[1];
		ox[1] = t;
	}
	/* A page is a few kilobytes, so memLevel 6 (a quarter of the hash
	 * table to clear at each reset) loses nothing. A font file is
	 * deflated as libharu's own streams are (deflateInit's defaults), so
	 * that the store can hold it too. */
	pdf_zset_init(&w->zpage, PDF_DEFLATE_LEVEL, 6);
	pdf_zset_init(&w->zfont, Z_DEFAULT_COMPRESSION, 8);
	w->pdf = HPDF_New(pdf_harm_handler, &w->harm);
	if (!w->pdf) {
		diag_error(d, NULL, 0, 0, "cannot start the PDF writer (libharu)");
		return dr;
	}
	HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
	/* One /Kids array holds at most PDF_ARRAY_MAX pages: a longer book's
	 * page tree gets a level of nodes (only then, so that the PDF of
	 * any other stays as it was). */
	if (doc->npages > PDF_ARRAY_MAX)
		HPDF_SetPagesConfiguration(w->pdf, PDF_PAGES_PER_NODE);
	/* Which code points each face draws, so that each font is embedded
	 * with only those glyphs, and faces no page uses are not embedded. */
	for (size_t p = 0; p < doc->npages; p++)
		for (size_t i = 0; i < doc->pages[p].ntexts; i++) {
			const struct pg_text *t = &doc->pages[p].texts[i];
			note_used(w, (int)t->face, t->text, t->len);
		}
	if (failed(w)) {
		harm(w, d, NULL, 0, 0, "cannot start the PDF writer");
		return dr;
	}
	/* A tagged PDF: every figure needs its alt text; the reader's text
	 * has its spaces drawn (tag.c). */
	bool tagged = opt->tagged || opt->screen;
	if (pdf_check_alt(b, tagged, d) > 0) {
		w->bad_input = true;
		return dr;
	}
	if (tagged) {
		for (int i = 0; i < TX_NFACES; i++)
			if (w->used[i])
				note_used(w, i, " ", 1);
		w->tg = pdf_tag_new(w->pdf, b, doc, f, w->off);
	}
	if (load_fonts(w, f, d) < 0 || set_doc_info(w, b, doc, d) < 0 ||
	    add_contents(w, b, doc, ox, release, d) < 0)
		return dr;
	if (failed(w)) {
		harm(w, d, NULL, 0, 0, "cannot finish the PDF");
		return dr;
	}
	dr->rc = 0;
	return dr;
}

struct pdf_draft *pdf_draft_new(const struct book *b, struct pg_doc *doc,
				const struct tx_fonts *f, const struct pdf_options *opt,
				struct diag *d)
{
	return draft_new(b, doc, f, opt, d, doc);
}

int pdf_draft_save(struct pdf_draft *dr, const char *out_path)
{
	if (!dr)
		return -1;
	struct writer *w = &dr->w;
	int rc = dr->rc == 0 ? save_pdf(w, out_path, dr->d) : -1;
	if (rc < 0 && w->bad_input)
		rc = PDF_BAD_INPUT;
	pdf_zset_release(&w->zpage);
	pdf_zset_release(&w->zfont);
	free(w->pages);
	for (int i = 0; i < TX_NFACES; i++) {
		free(w->used[i]);
		tx_pdffont_release(&w->pf[i]);
	}
	free(w->images);
	free(w->placed);
	free(w->imfirst);
	free(w->imslot);
	free(w->made);
	pdf_colour_free(w->colour);
	pdf_tag_free(w->tg);
	pdf_doc_free(w->pdf, dr->opt.at_exit);
	free(dr);
	return rc;
}

int pdf_write_opts(const struct book *b, const struct pg_doc *doc, const struct tx_fonts *f,
		   const struct pdf_options *opt, const char *out_path, struct diag *d)
{
	return pdf_draft_save(draft_new(b, doc, f, opt, d, NULL), out_path);
}

int pdf_write_release(const struct book *b, struct pg_doc *doc, const struct tx_fonts *f,
		      const struct pdf_options *opt, const char *out_path, struct diag *d)
{
	return pdf_draft_save(draft_new(b, doc, f, opt, d, doc), out_path);
}

HPDF_Dict pdf_font_dict(HPDF_Doc pdf, const struct tx_pdffont *pf)
{
	struct writer w = {0};
	w.pdf = pdf;
	pdf_zset_init(&w.zfont, Z_DEFAULT_COMPRESSION, 8);
	HPDF_Dict font = make_font(&w, pf, NULL);
	pdf_zset_release(&w.zfont);
	return font;
}
