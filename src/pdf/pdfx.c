/*
 * pdfx.c - PDF/X-1a:2001 (ISO 15930-1) and PDF/X-4 (ISO 15930-7) for a
 * libharu document: what the standards ask beyond what pdf.c writes.
 *
 * What each rule needs and where it is met:
 *  - header version 1.3 (X-1a:2001) or 1.6: pdf_version here;
 *  - one /GTS_PDFX output intent with OutputConditionIdentifier,
 *    RegistryName, Info and an embedded output-class ('prtr') ICC
 *    profile as DestOutputProfile: here;
 *  - GTS_PDFXVersion (+ GTS_PDFXConformance for X-1a), /Trapped /False,
 *    Title, CreationDate and ModDate in the Info dictionary: here and in
 *    pdf.c (Title, dates);
 *  - the same in the XMP: pdfx_xmp (pdfxid:GTS_PDFXVersion for X-4, as
 *    ISO 15930-7 defines it; for X-1a:2001, whose identification is the
 *    Info dictionary's, pdfx:GTS_PDFXVersion and GTS_PDFXConformance);
 *  - for X-1a:2001, a PDF 1.3 file, no catalog key PDF 1.3 lacks: /Lang
 *    (PDF 1.4) is taken out here; /Metadata (PDF 1.4 too) stays, as the
 *    CGATS Application Notes for PDF/X (2.20) allow it;
 *  - a document /ID in the trailer: here;
 *  - TrimBox on every page, BleedBox inside MediaBox: pdf.c's set_boxes
 *    with pdfx_page_offsets;
 *  - no annotations inside the bleed box, no transparency, no RGB, fonts
 *    embedded: pdf.c leaves links out for print profiles, and embeds
 *    every font; colour.c flattens alpha and converts images.
 */
#define _POSIX_C_SOURCE 200809L
#include "pdf-int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

double pdfx_page_offsets(const struct print_profile *p, double page_w, double off, double bleed,
			 double ox[2])
{
	if (p && !p->bleed_spine && bleed > 0) {
		double marks = off - bleed;
		ox[0] = marks;	      /* recto: the spine on the left */
		ox[1] = marks + bleed; /* verso: the spine on the right */
		return page_w + bleed + 2 * marks;
	}
	ox[0] = ox[1] = off;
	return page_w + 2 * off;
}

/* What GTS_PDFXVersion says. */
static const char *version_key(const struct print_profile *p)
{
	return p->standard == PRINT_PDFX1A ? "PDF/X-1:2001" : "PDF/X-4";
}

/* Sixteen bytes from the book's identity, seeded. */
static void id_bytes(const struct book *b, uint64_t seed, unsigned char out[16])
{
	const char *v[] = {b->meta.uuid, b->meta.title, b->meta.revised, b->meta.date,
			   b->meta.slug};
	uint64_t h[2] = {seed, ~seed};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < ARRAY_LEN(v); i++) {
			uint64_t x = v[i] ? hash_fnv1a(v[i], strlen(v[i])) : 0x9e3779b97f4a7c15ULL;
			h[k] = (h[k] ^ x) * 0x100000001b3ULL + (uint64_t)i + (uint64_t)k * 7919;
		}
	for (int i = 0; i < 16; i++)
		out[i] = (unsigned char)(h[i / 8] >> (8 * (i % 8)));
}

/* "D:YYYYMMDDHHmmSSZ" for when the document information has no date. */
static void info_date_now(HPDF_Doc pdf)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	HPDF_Date dt = {0};
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.minutes = tm.tm_min;
	dt.seconds = tm.tm_sec;
	dt.ind = 'Z';
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt);
}

int pdfx_apply(HPDF_Doc pdf, const struct print_profile *p, const unsigned char *icc,
	       size_t icc_len, const struct book *b, struct diag *d)
{
	if (!p || p->standard == PRINT_PDF)
		return 0;
	if (!icc || icc_len < 132) {
		diag_error(d, NULL, 0, 0, "%s needs an output profile, and none was read",
			   print_standard_name(p->standard));
		return -1;
	}
	HPDF_MMgr mm = pdf_doc_mmgr(pdf);
	pdf_doc_set_version(pdf, p->standard == PRINT_PDFX1A ? HPDF_VER_13 : HPDF_VER_16);

	/* The document information: libharu makes its dictionary with the
	 * first value; pdf.c has set the title by now. */
	if (!HPDF_GetInfoAttr(pdf, HPDF_INFO_CREATION_DATE))
		info_date_now(pdf);
	HPDF_Dict info = pdf_doc_info(pdf);
	if (!info) {
		diag_error(d, NULL, 0, 0, "cannot mark the PDF as %s: it has no document information",
			   print_standard_name(p->standard));
		return -1;
	}
	HPDF_STATUS st = HPDF_Dict_Add(info, "GTS_PDFXVersion",
				       HPDF_String_New(mm, version_key(p), NULL));
	if (p->standard == PRINT_PDFX1A)
		st |= HPDF_Dict_Add(info, "GTS_PDFXConformance",
				    HPDF_String_New(mm, "PDF/X-1a:2001", NULL));
	st |= HPDF_Dict_AddName(info, "Trapped", "False");

	/* The output intent, its profile embedded (N: the profile's
	 * components, from its header's colour space). */
	HPDF_Dict prof = HPDF_DictStream_New(mm, pdf_doc_xref(pdf));
	HPDF_Dict intent = HPDF_Dict_New(mm);
	HPDF_Array intents = HPDF_Array_New(mm);
	if (!prof || !intent || !intents) {
		diag_error(d, NULL, 0, 0, "cannot add the output intent to the PDF (libharu error "
					  "0x%04X)",
			   (unsigned)HPDF_GetError(pdf));
		return -1;
	}
	int n = !memcmp(icc + 16, "CMYK", 4) ? 4 : !memcmp(icc + 16, "GRAY", 4) ? 1 : 3;
	st |= HPDF_Dict_AddNumber(prof, "N", n);
	/* The profile's tables deflate slowly: zlib's level 1 takes a sixth
	 * of libharu's 6 (7 ms of a build) for a file 4% larger. */
	uLongf zlen = compressBound((uLong)icc_len);
	unsigned char *z = xmalloc(zlen);
	if (compress2(z, &zlen, icc, (uLong)icc_len, 1) != Z_OK) {
		free(z);
		diag_error(d, NULL, 0, 0, "cannot compress the output profile (zlib)");
		return -1;
	}
	pdf_mark_deflated(prof);
	if (pdf_stream_own(prof, (char *)xrealloc(z, zlen), zlen) < 0)
		st |= HPDF_FAILD_TO_ALLOC_MEM;
	st |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
	st |= HPDF_Dict_AddName(intent, "S", "GTS_PDFX");
	st |= HPDF_Dict_Add(intent, "OutputConditionIdentifier",
			    HPDF_String_New(mm, p->condition_id, NULL));
	st |= HPDF_Dict_Add(intent, "OutputCondition", HPDF_String_New(mm, p->condition, NULL));
	st |= HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, p->registry, NULL));
	st |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, p->condition, NULL));
	st |= HPDF_Dict_Add(intent, "DestOutputProfile", prof);
	st |= HPDF_Array_Add(intents, intent);
	st |= HPDF_Dict_Add(pdf_doc_catalog(pdf), "OutputIntents", intents);
	/* ISO 15930-1 is PDF 1.3, which has no /Lang (a reader of the print
	 * file has no use for it; the screen PDF keeps it). */
	if (p->standard == PRINT_PDFX1A &&
	    HPDF_Dict_GetItem(pdf_doc_catalog(pdf), "Lang", HPDF_OCLASS_STRING))
		st |= HPDF_Dict_RemoveElement(pdf_doc_catalog(pdf), "Lang");

	/* The trailer's /ID: the same book, the same two strings. */
	unsigned char id[2][16];
	id_bytes(b, 0x6f637461766f3135ULL, id[0]);
	memcpy(id[1], id[0], 16);
	HPDF_Array ids = HPDF_Array_New(mm);
	if (ids) {
		st |= HPDF_Array_Add(ids, HPDF_Binary_New(mm, id[0], 16));
		st |= HPDF_Array_Add(ids, HPDF_Binary_New(mm, id[1], 16));
		st |= HPDF_Dict_Add(pdf_doc_trailer(pdf), "ID", ids);
	}
	if (st != HPDF_OK || !ids || HPDF_GetError(pdf) != HPDF_OK) {
		diag_error(d, NULL, 0, 0, "cannot mark the PDF as %s (libharu error 0x%04X)",
			   print_standard_name(p->standard), (unsigned)HPDF_GetError(pdf));
		return -1;
	}
	return 0;
}

void pdfx_xmp(const struct print_profile *p, const struct book *b, struct strbuf *sb)
{
	if (!p || p->standard == PRINT_PDF)
		return;
	const struct bk_meta *m = &b->meta;
	sb_adds(sb, "<rdf:Description rdf:about=\"\" "
		    "xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\" "
		    "xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\" "
		    "xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\" "
		    "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
		    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
	/* pdfxid is ISO 15930-7's (PDF/X-4); an X-1a:2001 file says it in
	 * Adobe's pdfx schema, as its Info dictionary does. */
	if (p->standard == PRINT_PDFX1A)
		sb_addf(sb, "<pdfx:GTS_PDFXVersion>%s</pdfx:GTS_PDFXVersion>\n"
			    "<pdfx:GTS_PDFXConformance>PDF/X-1a:2001</pdfx:GTS_PDFXConformance>\n",
			version_key(p));
	else
		sb_addf(sb, "<pdfxid:GTS_PDFXVersion>%s</pdfxid:GTS_PDFXVersion>\n",
			version_key(p));
	sb_adds(sb, "<pdf:Trapped>False</pdf:Trapped>\n");
	if (m->uuid) {
		sb_adds(sb, "<xmpMM:DocumentID>");
		sb_add_xml(sb, m->uuid, strlen(m->uuid));
		sb_adds(sb, "</xmpMM:DocumentID>\n");
	}
	sb_adds(sb, "<xmpMM:VersionID>1</xmpMM:VersionID>\n"
		    "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n");
	const char *when = m->revised ? m->revised : m->date;
	if (when)
		sb_addf(sb, "<xmp:MetadataDate>%sT00:00:00Z</xmp:MetadataDate>\n", when);
	sb_adds(sb, "</rdf:Description>\n");
}
