/*
 * cover.c - the wrap cover (src/layout/cover.c) into a one-page PDF
 * through libharu: the ground, the barcode's box and bars as filled
 * rectangles, the type as text in the book's own fonts (Type0 over
 * HarfBuzz subsets, pdf.c's pdf_font_dict), the front's picture as an
 * image XObject from the bytes the book stage checked.
 *
 * Under a print profile the cover is the interior's PDF standard
 * (apply_standard: pdfx.c's output intent, identification, version, /ID
 * and the XMP), its accent converted by littleCMS to the output intent's
 * CMYK with the profile's ink limit (colour()), its picture too
 * (pdf_image_print), and, where the profile asks (offset), crop and fold
 * marks outside the bleed.
 */
#define _POSIX_C_SOURCE 200809L
#include "pdf-int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cw {
	HPDF_Doc pdf;
	struct pdf_harm harm; /* libharu's first error (haru.c) */
	/* The print profile when it is PDF/X (else NULL: a plain PDF, its
	 * accent in DeviceRGB), its output profile, the transforms. */
	const struct print_profile *print;
	const unsigned char *icc;
	size_t icc_len;
	struct pdf_colour *cache;
	bool bad_colour; /* a colour littleCMS could not convert */
};

/* Room for the crop marks beyond the bleed: a 3 pt gap, a 12 pt mark and
 * 3 pt of paper, as the interior's (pdf.c). */
#define MARK_ROOM (3 + 12 + 3)

/* Whether libharu has failed on the cover (haru.c's pdf_harm_failed). */
static bool failed(struct cw *w)
{
	return pdf_harm_failed(w->pdf, &w->harm);
}

/* v to the thousandth of a point, as a PDF number ("-12.5", "0"). */
static void num(struct strbuf *sb, double v)
{
	long t = lround(v * 1000);
	if (t < 0) {
		sb_addc(sb, '-');
		t = -t;
	}
	sb_addf(sb, "%ld", t / 1000);
	if (t % 1000) {
		char frac[8];
		snprintf(frac, sizeof(frac), "%03ld", t % 1000);
		for (int k = 2; k > 0 && frac[k] == '0'; k--)
			frac[k] = 0;
		sb_addf(sb, ".%s", frac);
	}
	sb_addc(sb, ' ');
}

/*
 * Every colour of the cover is written here: a grey (black type, the
 * barcode's white box and bars) as DeviceGray, so black is K alone; any
 * other (the accent) as DeviceRGB in a plain PDF, and under a PDF/X
 * profile (X-1a forbids RGB; X-4 allows it only in an ICC-based space) in
 * the output intent's CMYK, ink limited, through littleCMS.
 */
static void colour(struct cw *w, struct strbuf *sb, unsigned rgb, bool stroke)
{
	double r = (rgb >> 16 & 0xFF) / 255.0, g = (rgb >> 8 & 0xFF) / 255.0,
	       b = (rgb & 0xFF) / 255.0;
	if (r == g && g == b) {
		num(sb, r);
		sb_adds(sb, stroke ? "G\n" : "g\n");
	} else if (w->print) {
		double k[4] = {0, 0, 0, 1};
		if (pdf_colour_cmyk(&w->cache, w->icc, w->icc_len, w->print->ink_limit, rgb, k) < 0)
			w->bad_colour = true;
		for (int i = 0; i < 4; i++)
			num(sb, k[i]);
		sb_adds(sb, stroke ? "K\n" : "k\n");
	} else {
		num(sb, r);
		num(sb, g);
		num(sb, b);
		sb_adds(sb, stroke ? "RG\n" : "rg\n");
	}
}

/*
 * The one place where the interior's PDF standard is applied to the
 * cover's document: output intent, GTS_PDFXVersion, /Trapped, the
 * version, as the print profile says. Today the profile gives none (the
 * interior is plain PDF); the page boxes are set by the caller. Returns
 * 0, or -1 after reporting to d.
 */
static int apply_standard(struct cw *w, const struct book *b, struct diag *d)
{
	if (!w->print)
		return 0;
	if (w->bad_colour) {
		diag_error(d, NULL, 0, 0, "cannot convert the cover's colours to the output profile "
					  "'%s' (littleCMS)",
			   w->print->icc_file);
		return -1;
	}
	/* The XMP: what PDF/X asks of it (pdfx_xmp), with the title. */
	HPDF_Dict xmp = pdf_stream_new(w->pdf);
	if (!xmp || failed(w))
		goto harm;
	pdf_stream_filter(xmp, HPDF_STREAM_FILTER_NONE); /* XMP stays readable to tools */
	HPDF_Dict_AddName(xmp, "Type", "Metadata");
	HPDF_Dict_AddName(xmp, "Subtype", "XML");
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		     "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		     "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		     "<rdf:Description rdf:about=\"\" "
		     "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		     "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
		     "<dc:format>application/pdf</dc:format>\n"
		     "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
	sb_add_xml(&sb, b->meta.title, strlen(b->meta.title));
	sb_adds(&sb, " - cover</rdf:li></rdf:Alt></dc:title>\n");
	const char *when = b->meta.revised ? b->meta.revised : b->meta.date;
	if (when)
		sb_addf(&sb, "<xmp:CreateDate>%sT00:00:00Z</xmp:CreateDate>\n"
			     "<xmp:ModifyDate>%sT00:00:00Z</xmp:ModifyDate>\n", when, when);
	sb_adds(&sb, "<xmp:CreatorTool>octavo</xmp:CreatorTool>\n</rdf:Description>\n");
	pdfx_xmp(w->print, b, &sb);
	sb_adds(&sb, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n");
	pdf_stream_write(xmp, sb.buf, sb.len);
	sb_release(&sb);
	HPDF_Dict_Add(pdf_doc_catalog(w->pdf), "Metadata", xmp);
	if (failed(w))
		goto harm;
	return pdfx_apply(w->pdf, w->print, w->icc, w->icc_len, b, d);
harm:
	diag_error(d, NULL, 0, 0,
		   "cannot add the cover's metadata: %s (libharu error 0x%04X, detail %u)",
		   pdf_harm_words(w->harm.error) ? pdf_harm_words(w->harm.error) : "libharu failed",
		   (unsigned)w->harm.error, (unsigned)w->harm.detail);
	return -1;
}

/*
 * Crop marks at the trim's four corners and fold marks at the spine's
 * two folds, head and foot, all outside the bleed, in registration
 * colour (all four inks) so they print on every plate; drawn in the
 * media box's space, where the trim starts at (off, off).
 */
static void marks(struct strbuf *sb, const struct pg_cover *cv, double off)
{
	double gap = cv->bleed + 3, len = 12;
	double x0 = off, x1 = off + cv->width, y0 = off, y1 = off + cv->height;
	sb_adds(sb, "q 0.25 w 1 1 1 1 K\n");
	double xs[2] = {x0, x1}, ys[2] = {y0, y1};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			double dx = i ? 1 : -1, dy = j ? 1 : -1;
			num(sb, xs[i] + dx * gap), num(sb, ys[j]);
			sb_adds(sb, "m ");
			num(sb, xs[i] + dx * (gap + len)), num(sb, ys[j]);
			sb_adds(sb, "l ");
			num(sb, xs[i]), num(sb, ys[j] + dy * gap);
			sb_adds(sb, "m ");
			num(sb, xs[i]), num(sb, ys[j] + dy * (gap + len));
			sb_adds(sb, "l\n");
		}
	/* the folds: where the back meets the spine and the spine the front */
	double folds[2] = {x0 + cv->trim_w, x0 + cv->trim_w + cv->spine};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			double dy = j ? 1 : -1;
			num(sb, folds[i]), num(sb, ys[j] + dy * gap);
			sb_adds(sb, "m ");
			num(sb, folds[i]), num(sb, ys[j] + dy * (gap + len));
			sb_adds(sb, "l\n");
		}
	sb_adds(sb, "S Q\n");
}

/* s (UTF-8) in PDFDocEncoding's Latin-1 part, '?' for the rest; malloc'd. */
static char *latin1(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (m < 0)
			cp = '?', m = 1;
		i += (size_t)m;
		sb_addc(&sb, (char)((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD)
					? cp
					: '?'));
	}
	return sb_detach(&sb, NULL);
}

static HPDF_Date date_of(const char *ymd)
{
	HPDF_Date dt = {0};
	dt.year = atoi(ymd);
	dt.month = atoi(ymd + 5);
	dt.day = atoi(ymd + 8);
	dt.ind = 'Z';
	return dt;
}

/* The page's contents. Returns 0, or -1 (PDF_BAD_INPUT) after reporting
 * an image that cannot go in. */
static int contents(struct cw *w, const struct book *b, const struct pg_cover *cv,
		    struct tx_pdffont *pf, HPDF_Dict xobjects, double off, struct strbuf *sb,
		    struct diag *d)
{
	num(sb, 1), num(sb, 0), num(sb, 0), num(sb, 1), num(sb, off), num(sb, off);
	sb_adds(sb, "cm\n");
	unsigned fill = 0x1000000, stroke = 0x1000000; /* none set yet */
	for (size_t i = 0; i < cv->nrects; i++) {
		const struct pg_cover_rect *r = &cv->rects[i];
		if (r->stroke > 0) {
			if (r->rgb != stroke)
				colour(w, sb, stroke = r->rgb, true);
			num(sb, r->stroke);
			sb_adds(sb, "w ");
			if (r->w == 0 || r->h == 0) {
				num(sb, r->x), num(sb, r->y);
				sb_adds(sb, "m ");
				num(sb, r->x + r->w), num(sb, r->y + r->h);
				sb_adds(sb, "l S\n");
			} else {
				num(sb, r->x), num(sb, r->y), num(sb, r->w), num(sb, r->h);
				sb_adds(sb, "re S\n");
			}
			continue;
		}
		if (r->rgb != fill)
			colour(w, sb, fill = r->rgb, false);
		num(sb, r->x), num(sb, r->y), num(sb, r->w), num(sb, r->h);
		sb_adds(sb, "re f\n");
		/* The picture goes over the ground, under everything else. */
		if (i == 0 && cv->img) {
			char why[300] = "";
			HPDF_Image im;
			if (w->print) {
				/* a cover is in colour whatever the interior is */
				struct print_profile cmyk = *w->print;
				cmyk.colour = PRINT_CMYK;
				im = pdf_image_print(w->pdf, cv->img, cv->iw, cv->ih, &cmyk, w->icc,
						     w->icc_len, &w->cache, why, sizeof(why));
			} else {
				im = pdf_image_load(w->pdf, cv->img, why, sizeof(why));
			}
			if (!im || HPDF_Dict_Add(xobjects, "Im1", im) != HPDF_OK || failed(w)) {
				diag_error(d, b->yaml_path, b->meta.at_cover_image.line,
					   b->meta.at_cover_image.col,
					   "cannot put cover image '%s' into the PDF: %s", cv->img->src,
					   why[0] ? why : "libharu failed");
				return PDF_BAD_INPUT;
			}
			sb_adds(sb, "q ");
			num(sb, cv->iw), num(sb, 0), num(sb, 0), num(sb, cv->ih), num(sb, cv->ix),
			    num(sb, cv->iy);
			sb_adds(sb, "cm /Im1 Do Q\n");
		}
	}
	for (size_t i = 0; i < cv->ntexts; i++) {
		const struct pg_cover_text *t = &cv->texts[i];
		const struct tx_pdffont *p = &pf[t->face];
		if (t->rgb != fill)
			colour(w, sb, fill = t->rgb, false);
		sb_addf(sb, "BT /F%d ", t->face);
		num(sb, t->size);
		sb_adds(sb, "Tf ");
		if (t->hscale != 1) {
			num(sb, t->hscale * 100);
			sb_adds(sb, "Tz ");
		}
		if (t->down)
			num(sb, 0), num(sb, -1), num(sb, 1), num(sb, 0);
		else if (t->up)
			num(sb, 0), num(sb, 1), num(sb, -1), num(sb, 0);
		else
			num(sb, 1), num(sb, 0), num(sb, 0), num(sb, 1);
		num(sb, t->x), num(sb, t->y);
		sb_adds(sb, "Tm <");
		for (size_t k = 0; k < t->len;) {
			/* a glyph reached by its number (a ligature the shaper
			 * formed) as pdf.c draws it */
			sb_addf(sb, "%04X", pdf_glyph_of(p, pdf_next_cp(t->text, t->len, &k)));
		}
		sb_adds(sb, "> Tj ET\n");
	}
	return 0;
}

/* used[face]: the characters (and glyphs by number) the cover's texts
 * set in each face, for its subsets; a face no text uses stays NULL. */
static void mark_used(const struct pg_cover *cv, uint8_t *used[TX_NFACES])
{
	for (size_t i = 0; i < cv->ntexts; i++) {
		const struct pg_cover_text *t = &cv->texts[i];
		if (!used[t->face])
			used[t->face] = xcalloc(TX_USED_LEN, 1);
		pdf_mark_used(used[t->face], t->text, t->len);
	}
}

/* The document information: the title (cut for libharu's string limit),
 * the creator, and the book's dates. */
static void set_info(struct cw *w, const struct book *b, const struct pg_cover *cv)
{
	const struct bk_meta *m = &b->meta;
	char *title = latin1(m->title);
	if (strlen(title) > 1000) /* the document information's title, not the cover's */
		strcpy(title + 996, "...");
	struct strbuf t = STRBUF_INIT;
	sb_addf(&t, "%s%s", title, cv->kind == PG_COVER_WRAP ? " - cover" : " - front cover");
	HPDF_SetInfoAttr(w->pdf, HPDF_INFO_TITLE, t.buf);
	HPDF_SetInfoAttr(w->pdf, HPDF_INFO_CREATOR, "octavo");
	sb_release(&t);
	free(title);
	const char *when = m->revised ? m->revised : m->date;
	if (when) {
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date_of(when));
		HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date_of(when));
	}
}

/*
 * What the wrap was made for, on its page for preflight to read back: a
 * page-piece dictionary (PDF 1.3, so in PDF/X-1a:2001 too) under the
 * name Octavo, holding the interior's page count, a page's thickness in
 * micrometres, what the printer adds to the spine (Lulu's glue) and the
 * spine in points. A cover made for 130 pages then fails against an
 * interior of 140. Returns whether libharu took it.
 */
static bool record_interior(struct cw *w, HPDF_Page page, const struct book *b,
			    const struct pg_cover *cv, const struct pg_cover_spec *spec)
{
	HPDF_MMgr mm = pdf_doc_mmgr(w->pdf);
	/* PieceInfo asks a LastModified of the page and of the data: the
	 * book's date, as the document information's, so two covers of one
	 * book stay byte-identical. */
	const char *when = b->meta.revised ? b->meta.revised : b->meta.date;
	char date[32];
	if (when && strlen(when) >= 10)
		snprintf(date, sizeof(date), "D:%.4s%.2s%.2s000000Z", when, when + 5, when + 8);
	else
		snprintf(date, sizeof(date), "D:19700101000000Z");
	HPDF_Dict pieces = HPDF_Dict_New(mm), data = HPDF_Dict_New(mm), priv = HPDF_Dict_New(mm);
	if (!pieces || !data || !priv)
		return false;
	HPDF_STATUS st = HPDF_Dict_Add(page, "PieceInfo", pieces);
	st |= HPDF_Dict_Add(page, "LastModified", HPDF_String_New(mm, date, NULL));
	st |= HPDF_Dict_Add(pieces, "Octavo", data);
	st |= HPDF_Dict_Add(data, "LastModified", HPDF_String_New(mm, date, NULL));
	st |= HPDF_Dict_Add(data, "Private", priv);
	st |= HPDF_Dict_AddNumber(priv, "Pages", (HPDF_INT32)cv->pages);
	st |= HPDF_Dict_AddReal(priv, "PaperMicrons", (HPDF_REAL)(spec->paper * 25400));
	st |= HPDF_Dict_AddReal(priv, "SpineAddMicrons", (HPDF_REAL)(spec->spine_add * 25400));
	st |= HPDF_Dict_AddReal(priv, "Spine", (HPDF_REAL)cv->spine);
	return st == HPDF_OK && !failed(w);
}

int pdf_cover_write(const struct book *b, const struct pg_cover *cv, const struct tx_fonts *f,
		    const struct pg_cover_spec *spec, const unsigned char *icc, size_t icc_len,
		    const char *out_path, char **mem, size_t *len, struct diag *d)
{
	struct cw w = {0};
	if (spec->print && spec->print->standard != PRINT_PDF) {
		w.print = spec->print;
		w.icc = icc;
		w.icc_len = icc_len;
	}
	uint8_t *used[TX_NFACES] = {0};
	struct tx_pdffont pf[TX_NFACES];
	memset(pf, 0, sizeof(pf));
	struct strbuf sb = STRBUF_INIT;
	int rc = -1;
	w.pdf = HPDF_New(pdf_harm_handler, &w.harm);
	if (!w.pdf) {
		diag_error(d, NULL, 0, 0, "cannot start the PDF writer (libharu)");
		return -1;
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	mark_used(cv, used);
	HPDF_MMgr mm = pdf_doc_mmgr(w.pdf);
	/* Each object owned by the document (its xref) or a dictionary of it
	 * as soon as it is made: HPDF_Free frees only those. */
	HPDF_Dict res = HPDF_Dict_New(mm);
	if (!res || HPDF_Xref_Add(pdf_doc_xref(w.pdf), res) != HPDF_OK)
		goto harm;
	HPDF_Dict fonts = HPDF_Dict_New(mm);
	if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
		goto harm;
	HPDF_Dict xobj = HPDF_Dict_New(mm);
	if (!xobj || HPDF_Dict_Add(res, "XObject", xobj) != HPDF_OK || failed(&w))
		goto harm;
	for (int i = 0; i < TX_NFACES; i++) {
		if (!used[i])
			continue;
		if (tx_pdffont_make(f, (enum tx_face)i, used[i], &pf[i]) < 0) {
			diag_error(d, tx_font_path(f, (enum tx_face)i), 0, 0,
				   "cannot read this font again to embed it");
			goto out;
		}
		HPDF_Dict font = pdf_font_dict(w.pdf, &pf[i]);
		char name[16];
		snprintf(name, sizeof(name), "F%d", i);
		if (!font || HPDF_Dict_Add(fonts, name, font) != HPDF_OK || failed(&w))
			goto harm;
	}

	set_info(&w, b, cv);
	HPDF_Page page = HPDF_AddPage(w.pdf);
	if (!page || failed(&w))
		goto harm;
	bool crop = spec->crop_marks && cv->kind == PG_COVER_WRAP;
	double bl = cv->bleed, off = bl + (crop ? MARK_ROOM : 0);
	double mw = cv->width + 2 * off, mh = cv->height + 2 * off;
	HPDF_Page_SetWidth(page, (HPDF_REAL)mw);
	HPDF_Page_SetHeight(page, (HPDF_REAL)mh);
	HPDF_Dict_Add(page, "Resources", res);
	HPDF_Box trim = {(HPDF_REAL)off, (HPDF_REAL)off, (HPDF_REAL)(off + cv->width),
			 (HPDF_REAL)(off + cv->height)};
	HPDF_Box bleed = {(HPDF_REAL)(off - bl), (HPDF_REAL)(off - bl),
			  (HPDF_REAL)(off + cv->width + bl), (HPDF_REAL)(off + cv->height + bl)};
	HPDF_Dict_Add(page, "TrimBox", HPDF_Box_Array_New(mm, trim));
	HPDF_Dict_Add(page, "BleedBox", HPDF_Box_Array_New(mm, bleed));
	if (failed(&w))
		goto harm;
	if (crop)
		marks(&sb, cv, off);
	int crc = contents(&w, b, cv, pf, xobj, off, &sb, d);
	if (crc < 0) {
		rc = crc;
		goto out;
	}
	pdf_page_write(page, sb.buf, sb.len);
	if (failed(&w) || (cv->kind == PG_COVER_WRAP && !record_interior(&w, page, b, cv, spec)))
		goto harm;
	if (apply_standard(&w, b, d) < 0)
		goto out; /* reported */

	if (!out_path) {
		if (HPDF_SaveToStream(w.pdf) != HPDF_OK)
			goto harm;
		HPDF_UINT32 n = HPDF_GetStreamSize(w.pdf);
		char *buf = xmalloc(n ? n : 1);
		HPDF_UINT32 got = n;
		HPDF_STATUS st = HPDF_ReadFromStream(w.pdf, (HPDF_BYTE *)buf, &got);
		if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != n) {
			free(buf);
			goto harm;
		}
		*mem = buf;
		*len = got;
		rc = 0;
		goto out;
	}
	/* Beside out_path, then renamed over it: whole or not at all. */
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.tmp-%ld", out_path, (long)getpid());
	errno = 0;
	if (HPDF_SaveToFile(w.pdf, tmp.buf) != HPDF_OK) {
		diag_error(d, out_path, 0, 0, "cannot write the cover: %s",
			   strerror(errno ? errno : EIO));
	} else if (rename(tmp.buf, out_path) < 0) {
		diag_error(d, out_path, 0, 0, "cannot write the cover: %s", strerror(errno));
	} else {
		rc = 0;
	}
	if (rc < 0)
		unlink(tmp.buf);
	sb_release(&tmp);
	goto out;
harm:
	failed(&w);
	diag_error(d, NULL, 0, 0,
		   "cannot make the cover's PDF: %s (libharu error 0x%04X, detail %u)",
		   pdf_harm_words(w.harm.error) ? pdf_harm_words(w.harm.error) : "libharu failed",
		   (unsigned)w.harm.error, (unsigned)w.harm.detail);
out:
	sb_release(&sb);
	for (int i = 0; i < TX_NFACES; i++) {
		free(used[i]);
		tx_pdffont_release(&pf[i]);
	}
	pdf_colour_free(w.cache);
	HPDF_Free(w.pdf);
	return rc;
}
