/*
 * pdf.c - pages into libharu calls: fonts, text, rules, images, links,
 * outline, page labels and document info.
 */
#define _GNU_SOURCE /* memfd_create */
#include "pdf.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct writer {
	HPDF_Doc pdf;
	const struct pdf_options *opt;
	double off; /* trim box origin on the media box: bleed plus mark space */
	uint8_t *used[TX_NFACES]; /* per face: which BMP code points appear */
	HPDF_Page *pages;
	size_t npages;
	int fds[TX_NFACES]; /* memory files holding font subsets, or -1 */
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
	HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
	return dst;
}

/* Records the code points of UTF-8 text drawn in face, for ToUnicode. */
static void note_used(struct writer *w, int face, const char *s, size_t n)
{
	if (!w->used[face])
		w->used[face] = xcalloc(65536, 1);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (m < 0)
			break;
		if (cp < 65536)
			w->used[face][cp] = 1;
		i += (size_t)m;
	}
}

/*
 * Our own ToUnicode CMap for a font. libharu 2.3.0 writes its UTF-8
 * encoder's CMap (with begincidrange, which is not a ToUnicode operator)
 * in its place. Character codes in our content streams are the Unicode
 * code points themselves (libharu's UTF-8 encoder); ligatures map back to
 * their letters, so search and copy give "first", not the ligature.
 */
static void set_to_unicode(struct writer *w, HPDF_Font font, const uint8_t *used)
{
	HPDF_Dict cmap = HPDF_DictStream_New(font->mmgr, w->pdf->xref);
	if (!cmap)
		return;
	cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		     "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		     "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	static const char *const lig[] = {"00660066", "00660069", "0066006C", "006600660069",
					  "00660066006C"};
	unsigned codes[100];
	int n = 0;
	for (unsigned cp = 0; cp <= 65536; cp++) {
		bool have = cp < 65536 && used[cp] && !(cp >= 0xD800 && cp <= 0xDFFF);
		if (have)
			codes[n++] = cp;
		if (n == 100 || (cp == 65536 && n)) {
			sb_addf(&sb, "%d beginbfchar\n", n);
			for (int k = 0; k < n; k++) {
				if (codes[k] >= 0xFB00 && codes[k] <= 0xFB04)
					sb_addf(&sb, "<%04X> <%s>\n", codes[k], lig[codes[k] - 0xFB00]);
				else
					sb_addf(&sb, "<%04X> <%04X>\n", codes[k], codes[k]);
			}
			sb_adds(&sb, "endbfchar\n");
			n = 0;
		}
	}
	sb_adds(&sb, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)sb.buf, (HPDF_UINT)sb.len);
	sb_release(&sb);
	HPDF_Dict_Add(font, "ToUnicode", cmap);
}

/* XMP metadata and the document's language, in the catalog. */
static void set_metadata(struct writer *w, const struct book *b)
{
	HPDF_Dict cat = w->pdf->catalog;
	const struct bk_meta *m = &b->meta;
	if (m->language)
		HPDF_Dict_Add(cat, "Lang", HPDF_String_New(cat->mmgr, m->language, NULL));
	HPDF_Dict xmp = HPDF_DictStream_New(cat->mmgr, w->pdf->xref);
	if (!xmp)
		return;
	xmp->filter = HPDF_STREAM_FILTER_NONE; /* XMP stays readable to tools */
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
		     "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
	sb_adds(&sb, "<dc:format>application/pdf</dc:format>\n<dc:title><rdf:Alt><rdf:li xml:lang=\"");
	sb_add_xml(&sb, lang, strlen(lang));
	sb_adds(&sb, "\">");
	sb_add_xml(&sb, m->title, strlen(m->title));
	if (m->subtitle) {
		sb_adds(&sb, ": ");
		sb_add_xml(&sb, m->subtitle, strlen(m->subtitle));
	}
	sb_adds(&sb, "</rdf:li></rdf:Alt></dc:title>\n<dc:creator><rdf:Seq>");
	for (size_t i = 0; i < m->ncreators; i++) {
		sb_adds(&sb, "<rdf:li>");
		sb_add_xml(&sb, m->creators[i].name, strlen(m->creators[i].name));
		sb_adds(&sb, "</rdf:li>");
	}
	for (size_t i = 0; i < b->nparts; i++)
		if (b->parts[i].author) {
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
	sb_adds(&sb, "<xmp:CreatorTool>octavo</xmp:CreatorTool>\n"
		     "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n");
	HPDF_Stream_Write(xmp->stream, (const HPDF_BYTE *)sb.buf, (HPDF_UINT)sb.len);
	sb_release(&sb);
	HPDF_Dict_Add(cat, "Metadata", xmp);
}

/* Page boxes: the trim box is the page as bound, the bleed box reaches
 * opt->bleed beyond it, the media box holds the crop marks too. */
static void set_boxes(struct writer *w, HPDF_Page page, double tw, double th)
{
	double off = w->off, bleed = w->opt->bleed;
	HPDF_Box trim = {(HPDF_REAL)off, (HPDF_REAL)off, (HPDF_REAL)(off + tw),
			 (HPDF_REAL)(off + th)};
	HPDF_Box bl = {(HPDF_REAL)(off - bleed), (HPDF_REAL)(off - bleed),
		       (HPDF_REAL)(off + tw + bleed), (HPDF_REAL)(off + th + bleed)};
	HPDF_Dict_Add(page, "TrimBox", HPDF_Box_Array_New(page->mmgr, trim));
	HPDF_Dict_Add(page, "BleedBox", HPDF_Box_Array_New(page->mmgr, bl));
}

/* Crop marks at the trim corners, outside the bleed, in registration
 * colour so they print on every plate. */
static void crop_marks(struct writer *w, HPDF_Page page, double tw, double th)
{
	double off = w->off, gap = w->opt->bleed + 3, len = 12;
	HPDF_Page_SetCMYKStroke(page, 1, 1, 1, 1);
	HPDF_Page_SetLineWidth(page, 0.25);
	double xs[2] = {off, off + tw}, ys[2] = {off, off + th};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			double x = xs[i], y = ys[j];
			double dx = i ? 1 : -1, dy = j ? 1 : -1;
			HPDF_Page_MoveTo(page, (HPDF_REAL)(x + dx * gap), (HPDF_REAL)y);
			HPDF_Page_LineTo(page, (HPDF_REAL)(x + dx * (gap + len)), (HPDF_REAL)y);
			HPDF_Page_MoveTo(page, (HPDF_REAL)x, (HPDF_REAL)(y + dy * gap));
			HPDF_Page_LineTo(page, (HPDF_REAL)x, (HPDF_REAL)(y + dy * (gap + len)));
		}
	HPDF_Page_Stroke(page);
}

void pdf_options_default(const struct book *b, struct pdf_options *o)
{
	o->bleed = b->style.bleed;
	o->crop_marks = b->style.crop_marks;
	o->screen = false;
}

static void draw_page(struct writer *w, HPDF_Page page, const struct pg_page *pg)
{
	if (w->off)
		HPDF_Page_Concat(page, 1, 0, 0, 1, (HPDF_REAL)w->off, (HPDF_REAL)w->off);
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
		double size = 0, hscale = 1;
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < pg->ntexts; i++) {
			const struct pg_text *t = &pg->texts[i];
			if ((int)t->face != face || t->size != size) {
				face = (int)t->face;
				size = t->size;
				HPDF_Page_SetFontAndSize(page, w->fonts[face], (HPDF_REAL)size);
			}
			if (t->hscale != hscale) {
				/* Tz: font expansion, as the breaker measured it. */
				hscale = t->hscale;
				HPDF_Page_SetHorizontalScalling(page, (HPDF_REAL)(hscale * 100));
			}
			sb_reset(&sb);
			sb_add(&sb, t->text, t->len);
			HPDF_Page_TextOut(page, (HPDF_REAL)t->x, (HPDF_REAL)t->y, sb.buf);
		}
		sb_release(&sb);
		HPDF_Page_EndText(page);
	}
}

/* Link annotations, once every page exists (internal links point ahead). */
static void draw_links(struct writer *w, HPDF_Page page, const struct pg_page *pg)
{
	for (size_t i = 0; i < pg->nlinks; i++) {
		const struct pg_link *l = &pg->links[i];
		HPDF_Rect rect = {(HPDF_REAL)(l->x0 + w->off), (HPDF_REAL)(l->y0 + w->off),
				  (HPDF_REAL)(l->x1 + w->off), (HPDF_REAL)(l->y1 + w->off)};
		HPDF_Annotation a = NULL;
		if (l->url) {
			a = HPDF_Page_CreateURILinkAnnot(page, rect, l->url);
		} else if (l->dest_page >= 0 && (size_t)l->dest_page < w->npages) {
			HPDF_Destination dst = xyz(w, (size_t)l->dest_page, l->dest_y);
			if (dst)
				a = HPDF_Page_CreateLinkAnnot(page, rect, dst);
		}
		if (a)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
	}
}

/*
 * Embeds face, cut down to the glyphs the pages use. libharu reads fonts
 * only from files, so the subset goes through an anonymous memory file;
 * it stays open until the PDF is saved, when libharu reads it again.
 */
static int load_font(struct writer *w, const struct tx_fonts *f, enum tx_face face,
		     struct diag *d)
{
	const char *path = tx_font_path(f, face);
	size_t len = 0;
	char *sub = tx_subset(f, face, w->used[face], &len);
	char proc[64];
	if (sub) {
		int fd = memfd_create("octavo-font", MFD_CLOEXEC);
		bool ok = fd >= 0;
		for (size_t off = 0; ok && off < len;) {
			ssize_t n = write(fd, sub + off, len - off);
			if (n <= 0)
				ok = false;
			else
				off += (size_t)n;
		}
		free(sub);
		if (ok) {
			w->fds[face] = fd;
			snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
			path = proc;
		} else if (fd >= 0) {
			close(fd);
		}
	}
	const char *name = HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
	if (!name) {
		diag_error(d, tx_font_path(f, face), 0, 0,
			   "libharu cannot embed this font (error 0x%04X, detail %u)",
			   (unsigned)w->error, (unsigned)w->detail);
		return -1;
	}
	w->fonts[face] = HPDF_GetFont(w->pdf, name, "UTF-8");
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

int pdf_write_opts(const struct book *b, const struct pg_doc *doc, const struct tx_fonts *f,
		   const struct pdf_options *opt, const char *out_path, struct diag *d)
{
	struct writer w = {0};
	for (int i = 0; i < TX_NFACES; i++)
		w.fds[i] = -1;
	struct pdf_options screen = *opt;
	if (opt->screen)
		screen.bleed = 0, screen.crop_marks = false;
	w.opt = &screen;
	/* Marks sit outside the bleed: leave room for them on the media. */
	w.off = screen.bleed + (screen.crop_marks ? 3 + 12 + 3 : 0);
	w.pdf = HPDF_New(on_error, &w);
	if (!w.pdf) {
		diag_error(d, NULL, 0, 0, "cannot start the PDF writer (libharu)");
		return -1;
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(w.pdf);
	/* Which code points each face draws, so that each font is embedded
	 * with only those glyphs, and faces no page uses are not embedded. */
	for (size_t p = 0; p < doc->npages; p++)
		for (size_t i = 0; i < doc->pages[p].ntexts; i++) {
			const struct pg_text *t = &doc->pages[p].texts[i];
			note_used(&w, (int)t->face, t->text, t->len);
		}
	for (int i = 0; i < TX_NFACES; i++) {
		if (!w.used[i])
			continue;
		const char *path = tx_font_path(f, (enum tx_face)i);
		/* Faces sharing a file (mono falls back to regular) share a font. */
		for (int k = 0; k < i; k++)
			if (w.used[k] && !strcmp(tx_font_path(f, (enum tx_face)k), path)) {
				w.fonts[i] = w.fonts[k];
				for (int cp = 0; cp < 65536; cp++)
					w.used[k][cp] |= w.used[i][cp];
			}
		if (w.fonts[i])
			continue;
		if (load_font(&w, f, (enum tx_face)i, d) < 0) {
			HPDF_Free(w.pdf);
			for (int k = 0; k < TX_NFACES; k++) {
				free(w.used[k]);
				if (w.fds[k] >= 0)
					close(w.fds[k]);
			}
			return -1;
		}
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
	w.pages = pages;
	w.npages = doc->npages;
	for (size_t i = 0; i < doc->npages; i++) {
		pages[i] = HPDF_AddPage(w.pdf);
		HPDF_Page_SetWidth(pages[i], (HPDF_REAL)(doc->page_w + 2 * w.off));
		HPDF_Page_SetHeight(pages[i], (HPDF_REAL)(doc->page_h + 2 * w.off));
		set_boxes(&w, pages[i], doc->page_w, doc->page_h);
		if (screen.crop_marks)
			crop_marks(&w, pages[i], doc->page_w, doc->page_h);
		draw_page(&w, pages[i], &doc->pages[i]);
	}
	for (size_t i = 0; i < doc->npages; i++)
		draw_links(&w, pages[i], &doc->pages[i]);
	/* One ToUnicode per embedded font (faces may share one). */
	for (int i = 0; i < TX_NFACES; i++) {
		bool first = w.used[i] != NULL;
		for (int k = 0; k < i; k++)
			if (w.fonts[k] == w.fonts[i])
				first = false;
		if (first)
			set_to_unicode(&w, w.fonts[i], w.used[i]);
	}
	set_metadata(&w, b);
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
		HPDF_Destination dst = xyz(&w, (size_t)o->page, o->y);
		if (dst)
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
	for (int i = 0; i < TX_NFACES; i++) {
		free(w.used[i]);
		if (w.fds[i] >= 0)
			close(w.fds[i]);
	}
	free(w.images);
	HPDF_Free(w.pdf);
	return rc;
}
