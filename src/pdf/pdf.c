/*
 * pdf.c - pages into libharu calls: fonts, text, rules, images, links,
 * outline, page labels and document info.
 */
#include "pdf.h"

#include <hpdf.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

struct writer {
	HPDF_Doc pdf;
	HPDF_STATUS error, detail; /* the first error libharu reported */
	HPDF_Font fonts[TX_NFACES];
	struct {
		const struct bk_image *img;
		HPDF_Image h;
	} *images;
	size_t nimages, images_cap;
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct writer *w = user;
	if (!w->error) {
		w->error = error_no;
		w->detail = detail_no;
	}
}

/*
 * PDF text strings outside content streams (outline, document info) are in
 * PDFDocEncoding; Latin-1 plus the typographic marks English needs. A
 * character it lacks becomes '?'.
 */
static char *pdfdoc(const char *s)
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
		unsigned char b = '?';
		if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD))
			b = (unsigned char)cp;
		for (size_t k = 0; k < ARRAY_LEN(extra); k++)
			if (extra[k].cp == cp)
				b = extra[k].b;
		sb_addc(&sb, (char)b);
	}
	return sb_detach(&sb, NULL);
}

static void set_info(struct writer *w, HPDF_InfoType type, const char *value)
{
	if (!value)
		return;
	char *s = pdfdoc(value);
	HPDF_SetInfoAttr(w->pdf, type, s);
	free(s);
}

static HPDF_Image image(struct writer *w, const struct bk_image *img)
{
	for (size_t i = 0; i < w->nimages; i++)
		if (w->images[i].img == img || !strcmp(w->images[i].img->path, img->path))
			return w->images[i].h;
	HPDF_Image h = !strcmp(img->media_type, "image/png")
			       ? HPDF_LoadPngImageFromFile(w->pdf, img->path)
			       : HPDF_LoadJpegImageFromFile(w->pdf, img->path);
	GROW(w->images, w->images_cap, w->nimages + 1);
	w->images[w->nimages].img = img;
	w->images[w->nimages++].h = h;
	return h;
}

static void draw_page(struct writer *w, HPDF_Page page, const struct pg_page *pg)
{
	/* All text and rules in 100% black, K only, as printers want it. */
	HPDF_Page_SetCMYKFill(page, 0, 0, 0, 1);
	for (size_t i = 0; i < pg->nrules; i++) {
		const struct pg_rule *r = &pg->rules[i];
		HPDF_Page_Rectangle(page, (HPDF_REAL)r->x, (HPDF_REAL)r->y, (HPDF_REAL)r->w,
				    (HPDF_REAL)r->h);
		HPDF_Page_Fill(page);
	}
	for (size_t i = 0; i < pg->nimages; i++) {
		const struct pg_image *im = &pg->images[i];
		HPDF_Image h = image(w, im->img);
		if (h)
			HPDF_Page_DrawImage(page, h, (HPDF_REAL)im->x, (HPDF_REAL)im->y,
					    (HPDF_REAL)im->w, (HPDF_REAL)im->h);
	}
	if (pg->ntexts) {
		HPDF_Page_BeginText(page);
		int face = -1;
		double size = 0;
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < pg->ntexts; i++) {
			const struct pg_text *t = &pg->texts[i];
			if ((int)t->face != face || t->size != size) {
				face = (int)t->face;
				size = t->size;
				HPDF_Page_SetFontAndSize(page, w->fonts[face], (HPDF_REAL)size);
			}
			sb_reset(&sb);
			sb_add(&sb, t->text, t->len);
			HPDF_Page_TextOut(page, (HPDF_REAL)t->x, (HPDF_REAL)t->y, sb.buf);
		}
		sb_release(&sb);
		HPDF_Page_EndText(page);
	}
	for (size_t i = 0; i < pg->nlinks; i++) {
		const struct pg_link *l = &pg->links[i];
		if (!l->url)
			continue;
		HPDF_Rect rect = {(HPDF_REAL)l->x0, (HPDF_REAL)l->y0, (HPDF_REAL)l->x1,
				  (HPDF_REAL)l->y1};
		HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(page, rect, l->url);
		if (a)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
	}
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
	struct writer w = {0};
	w.pdf = HPDF_New(on_error, &w);
	if (!w.pdf) {
		diag_error(d, NULL, 0, 0, "cannot start the PDF writer (libharu)");
		return -1;
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(w.pdf);
	for (int i = 0; i < TX_NFACES; i++) {
		const char *path = tx_font_path(f, (enum tx_face)i);
		for (int k = 0; k < i; k++)
			if (!strcmp(tx_font_path(f, (enum tx_face)k), path))
				w.fonts[i] = w.fonts[k];
		if (w.fonts[i])
			continue;
		const char *name = HPDF_LoadTTFontFromFile(w.pdf, path, HPDF_TRUE);
		if (!name) {
			diag_error(d, path, 0, 0,
				   "libharu cannot embed this font (error 0x%04X, detail %u)",
				   (unsigned)w.error, (unsigned)w.detail);
			HPDF_Free(w.pdf);
			return -1;
		}
		w.fonts[i] = HPDF_GetFont(w.pdf, name, "UTF-8");
	}

	const struct bk_meta *m = &b->meta;
	set_info(&w, HPDF_INFO_TITLE, m->subtitle ? ar_printf((struct arena *)&doc->arena,
							      "%s: %s", m->title, m->subtitle)
						  : m->title);
	set_info(&w, HPDF_INFO_AUTHOR, m->ncreators ? m->creators[0].name : m->publisher);
	set_info(&w, HPDF_INFO_SUBJECT, m->description);
	set_info(&w, HPDF_INFO_KEYWORDS, m->keywords);
	set_info(&w, HPDF_INFO_CREATOR, "octavo");
	const char *when = m->revised ? m->revised : m->date;
	if (when) {
		HPDF_SetInfoDateAttr(w.pdf, HPDF_INFO_CREATION_DATE, date_of(when));
		HPDF_SetInfoDateAttr(w.pdf, HPDF_INFO_MOD_DATE, date_of(when));
	}

	HPDF_Page *pages = xcalloc(doc->npages ? doc->npages : 1, sizeof(*pages));
	for (size_t i = 0; i < doc->npages; i++) {
		pages[i] = HPDF_AddPage(w.pdf);
		HPDF_Page_SetWidth(pages[i], (HPDF_REAL)doc->page_w);
		HPDF_Page_SetHeight(pages[i], (HPDF_REAL)doc->page_h);
		draw_page(&w, pages[i], &doc->pages[i]);
	}
	if (doc->front_pages > 0)
		HPDF_AddPageLabel(w.pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
	if ((size_t)doc->front_pages < doc->npages)
		HPDF_AddPageLabel(w.pdf, (HPDF_UINT)doc->front_pages, HPDF_PAGE_NUM_STYLE_DECIMAL,
				  1, NULL);

	/* The outline: parts at the first level, their sections under them. */
	HPDF_Outline root = NULL, parent = NULL;
	for (size_t i = 0; i < doc->noutline; i++) {
		const struct pg_outline *o = &doc->outline[i];
		char *title = pdfdoc(o->title);
		HPDF_Outline at = o->level <= 1 || !parent ? root : parent;
		HPDF_Outline ol = HPDF_CreateOutline(w.pdf, at, title, NULL);
		free(title);
		if (!ol)
			continue;
		HPDF_Destination dst = HPDF_Page_CreateDestination(pages[o->page]);
		HPDF_Destination_SetFitH(dst, (HPDF_REAL)o->y);
		HPDF_Outline_SetDestination(ol, dst);
		if (o->level <= 1) {
			HPDF_Outline_SetOpened(ol, HPDF_FALSE);
			parent = ol;
		}
	}
	HPDF_SetPageMode(w.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	free(pages);

	int rc = -1;
	if (w.error) {
		diag_error(d, NULL, 0, 0, "PDF writer failed (libharu error 0x%04X, detail %u)",
			   (unsigned)w.error, (unsigned)w.detail);
		goto out;
	}
	if (HPDF_SaveToStream(w.pdf) != HPDF_OK) {
		diag_error(d, NULL, 0, 0, "cannot write the PDF (libharu error 0x%04X, detail %u)",
			   (unsigned)w.error, (unsigned)w.detail);
		goto out;
	}
	HPDF_UINT32 size = HPDF_GetStreamSize(w.pdf);
	HPDF_BYTE *buf = xmalloc(size ? size : 1);
	HPDF_UINT32 got = size;
	HPDF_ResetStream(w.pdf);
	HPDF_ReadFromStream(w.pdf, buf, &got);
	if (got != size) {
		diag_error(d, NULL, 0, 0, "PDF stream came back short (%u of %u bytes)",
			   (unsigned)got, (unsigned)size);
	} else if (write_file_atomic(out_path, buf, size) < 0) {
		diag_error(d, out_path, 0, 0, "cannot write the PDF: %s", strerror(errno));
	} else {
		rc = 0;
	}
	free(buf);
out:
	free(w.images);
	HPDF_Free(w.pdf);
	return rc;
}
