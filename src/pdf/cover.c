/*
 * cover.c - the wrap cover (src/layout/cover.c) into a one-page PDF
 * through libharu: the ground, the barcode's box and bars as filled
 * rectangles, the type as text in the book's own fonts (Type0 over
 * HarfBuzz subsets, pdf.c's pdf_font_dict), the front's picture as an
 * image XObject from the bytes the book stage checked.
 *
 * Two places are the print profiles' to fill in (press15): colour()
 * writes every colour (DeviceGray for neutrals, DeviceRGB for the accent
 * today), and apply_standard() is the one call where the PDF/X standard
 * of the interior is applied to the cover's document.
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
	HPDF_STATUS error, detail;
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct cw *w = user;
	if (!w->error) {
		w->error = error_no;
		w->detail = detail_no;
	}
}

static bool failed(struct cw *w)
{
	HPDF_STATUS e = HPDF_GetError(w->pdf);
	if (e != HPDF_OK && !w->error) {
		w->error = e;
		w->detail = HPDF_GetErrorDetail(w->pdf);
	}
	return w->error != HPDF_OK;
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
 * other (the accent) as DeviceRGB. The print profiles' colour transform
 * (littleCMS to the output intent's CMYK or grey, for PDF/X-1a which
 * forbids RGB) goes here, and nowhere else.
 */
static void colour(struct strbuf *sb, unsigned rgb, bool stroke)
{
	double r = (rgb >> 16 & 0xFF) / 255.0, g = (rgb >> 8 & 0xFF) / 255.0,
	       b = (rgb & 0xFF) / 255.0;
	if (r == g && g == b) {
		num(sb, r);
		sb_adds(sb, stroke ? "G\n" : "g\n");
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
static int apply_standard(HPDF_Doc pdf, HPDF_Page page, const struct pg_cover_spec *spec,
			  struct diag *d)
{
	(void)pdf, (void)page, (void)spec, (void)d;
	return 0;
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
		    struct tx_pdffont *pf, HPDF_Dict xobjects, struct strbuf *sb, struct diag *d)
{
	num(sb, 1), num(sb, 0), num(sb, 0), num(sb, 1), num(sb, cv->bleed), num(sb, cv->bleed);
	sb_adds(sb, "cm\n");
	unsigned fill = 0x1000000, stroke = 0x1000000; /* none set yet */
	for (size_t i = 0; i < cv->nrects; i++) {
		const struct pg_cover_rect *r = &cv->rects[i];
		if (r->stroke > 0) {
			if (r->rgb != stroke)
				colour(sb, stroke = r->rgb, true);
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
			colour(sb, fill = r->rgb, false);
		num(sb, r->x), num(sb, r->y), num(sb, r->w), num(sb, r->h);
		sb_adds(sb, "re f\n");
		/* The picture goes over the ground, under everything else. */
		if (i == 0 && cv->img) {
			char why[300] = "";
			HPDF_Image im = pdf_image_load(w->pdf, cv->img, why, sizeof(why));
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
			colour(sb, fill = t->rgb, false);
		sb_addf(sb, "BT /F%d ", t->face);
		num(sb, t->size);
		sb_adds(sb, "Tf ");
		if (t->hscale != 1) {
			num(sb, t->hscale * 100);
			sb_adds(sb, "Tz ");
		}
		if (t->down)
			num(sb, 0), num(sb, -1), num(sb, 1), num(sb, 0);
		else
			num(sb, 1), num(sb, 0), num(sb, 0), num(sb, 1);
		num(sb, t->x), num(sb, t->y);
		sb_adds(sb, "Tm <");
		for (size_t k = 0; k < t->len;) {
			uint32_t cp;
			int m = utf8_decode((const unsigned char *)t->text + k, t->len - k, &cp);
			if (m < 0)
				cp = '?', m = 1;
			k += (size_t)m;
			sb_addf(sb, "%04X", cp < 65536 && p->gid ? p->gid[cp] : 0u);
		}
		sb_adds(sb, "> Tj ET\n");
	}
	return 0;
}

int pdf_cover_write(const struct book *b, const struct pg_cover *cv, const struct tx_fonts *f,
		    const struct pg_cover_spec *spec, const char *out_path, char **mem, size_t *len,
		    struct diag *d)
{
	struct cw w = {0};
	uint8_t *used[TX_NFACES] = {0};
	struct tx_pdffont pf[TX_NFACES];
	memset(pf, 0, sizeof(pf));
	struct strbuf sb = STRBUF_INIT;
	int rc = -1;
	w.pdf = HPDF_New(on_error, &w);
	if (!w.pdf) {
		diag_error(d, NULL, 0, 0, "cannot start the PDF writer (libharu)");
		return -1;
	}
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	for (size_t i = 0; i < cv->ntexts; i++) {
		const struct pg_cover_text *t = &cv->texts[i];
		if (!used[t->face])
			used[t->face] = xcalloc(TX_USED_LEN, 1);
		for (size_t k = 0; k < t->len;) {
			uint32_t cp;
			int m = utf8_decode((const unsigned char *)t->text + k, t->len - k, &cp);
			if (m < 0)
				cp = '?', m = 1;
			k += (size_t)m;
			if (cp < 65536)
				used[t->face][cp] = 1;
		}
	}
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

	const struct bk_meta *m = &b->meta;
	char *title = latin1(m->title);
	if (strlen(title) > 1000) /* the document information's title, not the cover's */
		strcpy(title + 996, "...");
	struct strbuf t = STRBUF_INIT;
	sb_addf(&t, "%s%s", title, cv->kind == PG_COVER_WRAP ? " - cover" : " - front cover");
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_TITLE, t.buf);
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_CREATOR, "octavo");
	sb_release(&t);
	free(title);
	const char *when = m->revised ? m->revised : m->date;
	if (when) {
		HPDF_SetInfoDateAttr(w.pdf, HPDF_INFO_CREATION_DATE, date_of(when));
		HPDF_SetInfoDateAttr(w.pdf, HPDF_INFO_MOD_DATE, date_of(when));
	}
	HPDF_Page page = HPDF_AddPage(w.pdf);
	if (!page || failed(&w))
		goto harm;
	double bl = cv->bleed, mw = cv->width + 2 * bl, mh = cv->height + 2 * bl;
	HPDF_Page_SetWidth(page, (HPDF_REAL)mw);
	HPDF_Page_SetHeight(page, (HPDF_REAL)mh);
	HPDF_Dict_Add(page, "Resources", res);
	HPDF_Box trim = {(HPDF_REAL)bl, (HPDF_REAL)bl, (HPDF_REAL)(bl + cv->width),
			 (HPDF_REAL)(bl + cv->height)};
	HPDF_Box bleed = {0, 0, (HPDF_REAL)mw, (HPDF_REAL)mh};
	HPDF_Dict_Add(page, "TrimBox", HPDF_Box_Array_New(mm, trim));
	HPDF_Dict_Add(page, "BleedBox", HPDF_Box_Array_New(mm, bleed));
	if (failed(&w))
		goto harm;
	int crc = contents(&w, b, cv, pf, xobj, &sb, d);
	if (crc < 0) {
		rc = crc;
		goto out;
	}
	pdf_page_write(page, sb.buf, sb.len);
	if (failed(&w) || apply_standard(w.pdf, page, spec, d) < 0)
		goto harm;

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
	diag_error(d, NULL, 0, 0, "cannot make the cover's PDF (libharu error 0x%04X, detail %u)",
		   (unsigned)w.error, (unsigned)w.detail);
out:
	sb_release(&sb);
	for (int i = 0; i < TX_NFACES; i++) {
		free(used[i]);
		tx_pdffont_release(&pf[i]);
	}
	HPDF_Free(w.pdf);
	return rc;
}
