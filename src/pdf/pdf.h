/*
 * pdf.h - the pdf stage: laid-out pages into a PDF file through libharu.
 * Only this module includes hpdf.h.
 */
#ifndef OCTAVO_PDF_H
#define OCTAVO_PDF_H

#include "../layout/layout.h"
#include "../util/jobs.h"

/*
 * Writes doc as a PDF to out_path, atomically: the file appears complete
 * or not at all, and a previous edition survives any failure. Fonts are
 * embedded from their files; document info comes from b. A value over
 * one of libharu's limits (a string of 65,535 bytes: the document
 * information, a bookmark, a URL) is cut or left out with a warning at
 * its file, line and column. Returns 0; PDF_BAD_INPUT after reporting, at
 * its line, a part of the manuscript libharu cannot take (an image it
 * cannot load); or -1 after reporting a failure to write (I/O, or
 * libharu's, with its error and detail numbers) to d. It never crashes on
 * a libharu failure.
 */
#define PDF_BAD_INPUT (-2)
int pdf_write(const struct book *b, const struct pg_doc *doc, const struct tx_fonts *f,
	      const char *out_path, struct diag *d);

/*
 * Streams deflated by an earlier build, lent to this one so that it does
 * not deflate again what has not changed (src/cli/pdfstore.c keeps them in
 * OUTDIR/.SLUG.pdf-streams). A stream's key is its content: the CRC-32
 * and Adler-32 of its bytes, their number, and a hash naming zlib's
 * version and the settings. get returns raw zlib data the store holds
 * for key (*zlen bytes; borrowed, valid until the store is closed), or
 * NULL. The store returns a record only if it is whole and is the one
 * kept under that key (its own CRC-32 checked), so a stale, damaged or
 * truncated file costs time, never a wrong byte. keep is given each
 * record this PDF made itself (z malloc'd: the store's from then on). The
 * PDF's streams borrow the store's records until its document is freed,
 * before pdf_write returns: the store must outlive the call. Both are
 * called on the PDF's thread only. A font subset is kept the same way
 * (src/pdf/subsets.c), its key tx_pdffont_key's three words. peek (may
 * be NULL) gives what get would, without taking the record: the page
 * streams made on two threads ask it at once, while get and keep are not
 * called, and the PDF's thread then gets or keeps each in page order, as
 * one thread would.
 */
struct pdf_zkey {
	uint64_t sum; /* CRC-32 | Adler-32 << 32 of the bytes */
	uint64_t len; /* the bytes before deflating */
	uint64_t how; /* zlib's version and the settings, hashed */
};
struct pdf_store {
	const char *(*get)(void *ctx, const struct pdf_zkey *key, size_t *zlen);
	void (*keep)(void *ctx, const struct pdf_zkey *key, char *z, size_t zlen);
	void *ctx;
	const char *(*peek)(const void *ctx, const struct pdf_zkey *key, size_t *zlen);
};

/* Print options: bleed and crop marks for the printer, or none on screen. */
struct pdf_options {
	double bleed;    /* points beyond the trim box; 0 for none */
	bool crop_marks; /* crop marks at the trim corners, outside the bleed */
	bool screen;     /* a screen edition: no bleed, no marks, whatever the style */
	/* A printer's profile (src/book/profile.h), NULL for none: when set,
	 * its bleed, marks, colour, standard, parity, links and outline win
	 * over the fields above. Borrowed. */
	const struct print_profile *profile;
	/* The output intent's ICC profile (the profile's icc_file, read by
	 * pdf_icc_load); NULL when the profile is not PDF/X and its colour
	 * is PRINT_AS_IS. Borrowed. */
	const unsigned char *icc;
	size_t icc_len;
	bool tagged;     /* a tagged PDF (PDF/UA-1); a screen edition always is */
	/* An earlier build's deflated streams, NULL for none (every stream
	 * deflated here). Borrowed. */
	const struct pdf_store *store;
	/* pdf_write_release only: once every page is drawn and its texts
	 * freed, give the freed memory back to the system (heap_give_back).
	 * For a big book built on two threads: half its texts lie in the
	 * other thread's malloc arena, where what the PDF still makes
	 * (the streams taken in order, the file saved) cannot reuse them. */
	bool give_back;
	/* The most threads the pages' contents are made on (src/util/jobs.h;
	 * 1, the default: the caller's alone). The same bytes either way. */
	int threads;
	/* A job that shares nothing with the PDF, run by the thread that
	 * helped make the pages' contents once they are all made, while the
	 * PDF's thread adds the objects that come after them (give_back with
	 * a draft on two threads: pdf_draft_new). Its run NULL: none. With
	 * one thread it runs after the PDF's objects; a draft that stops
	 * before its pages' contents never runs it (the caller then must).
	 * Borrowed. */
	struct job beside;
	/* The process ends once the PDF is saved (octavo build, proof):
	 * libharu's objects are left to the exit (pdf-int.h's pdf_doc_free). */
	bool at_exit;
};

/* Reads p's output ICC profile (p->icc_file under datadir) into a
 * malloc'd buffer, *len its size. NULL after reporting to d, or when p
 * needs none (no PDF/X, no colour conversion: *len 0, nothing reported). */
unsigned char *pdf_icc_load(const struct print_profile *p, const char *datadir, size_t *len,
			    struct diag *d);

/*
 * The print check of one image (a book's, as the manuscript places it,
 * at w x h points) for profile p: its effective resolution (pixels per
 * inch at that size: an error under p->min_ppi, a warning under
 * p->warn_ppi, at path:line:col; with no profile, a warning under
 * style_ppi, the style's 'images: min-ppi'), and, for a black-and-white interior,
 * whether two of its dominant colours turn to greys within 10% of each
 * other (a warning: the reader cannot tell them apart). Returns the
 * number of errors reported (0 or 1).
 */
int pdf_image_check(const struct bk_image *img, double w, double h,
		    const struct print_profile *p, int style_ppi, const char *path, int line,
		    int col, struct diag *d);

/* Whether two of img's dominant colours (each holding 2% of its pixels,
 * told apart on screen) turn to greys within 10% of each other through
 * littleCMS's sRGB (or embedded profile) to grey: a warning at
 * path:line:col naming both. For preflight; returns whether it warned. */
bool pdf_image_grey_clash(const struct bk_image *img, const char *path, int line, int col,
			  struct diag *d);

/* The style's print options (bleed, crop marks, tagged), screen off. */
void pdf_options_default(const struct book *b, struct pdf_options *o);

/* pdf_write with explicit options. Every page gets a TrimBox (the trim
 * size) and a BleedBox; with bleed or marks the MediaBox grows to hold
 * them and the page content is offset so the trim box stays the page. */
int pdf_write_opts(const struct book *b, const struct pg_doc *doc, const struct tx_fonts *f,
		   const struct pdf_options *opt, const char *out_path, struct diag *d);

/* pdf_write_opts for a caller that needs the pages' texts no more: each
 * page's are freed once drawn (ntexts 0; text_hash stays), so that a long
 * book never holds its pages twice, as texts and as PDF. */
int pdf_write_release(const struct book *b, struct pg_doc *doc, const struct tx_fonts *f,
		      const struct pdf_options *opt, const char *out_path, struct diag *d);

/*
 * pdf_write_release in two steps, so that a caller may save the PDF
 * beside other work (build.c: the EPUB): pdf_draft_new makes the whole
 * document, the pages' contents on up to opt->threads threads, each
 * page's texts freed once drawn, and reports what it finds to d, which
 * must outlive the draft; pdf_draft_save writes it to out_path (as
 * pdf_write does), frees the draft and returns what pdf_write would. A
 * draft that failed (reported already) saves nothing. Never NULL.
 */
struct pdf_draft;
struct pdf_draft *pdf_draft_new(const struct book *b, struct pg_doc *doc,
				const struct tx_fonts *f, const struct pdf_options *opt,
				struct diag *d);
int pdf_draft_save(struct pdf_draft *dr, const char *out_path);

/* ===== the wrap cover (cover.c) ======================================= */

#include "../layout/cover.h"

/*
 * Writes cv (pg_cover_compose's) as a one-page PDF: a TrimBox round the
 * trim (back, spine and front), a BleedBox spec->bleed beyond it, the
 * MediaBox the same or, with spec->crop_marks (a WRAP only), room beyond
 * for crop and fold marks; the ground, type and barcode as vectors, the
 * fonts embedded as the book's are. Under a PDF/X spec->print the file is
 * that standard, with icc (icc_len bytes, pdf_icc_load's) as its output
 * intent and every colour in its CMYK. To out_path, atomically (as pdf_write), or, when
 * out_path is NULL, into *mem (malloc'd, *len bytes). Returns 0;
 * PDF_BAD_INPUT after reporting an image libharu cannot take at its
 * line; or -1 after reporting a failure to write.
 */
int pdf_cover_write(const struct book *b, const struct pg_cover *cv, const struct tx_fonts *f,
		    const struct pg_cover_spec *spec, const unsigned char *icc, size_t icc_len,
		    const char *out_path, char **mem, size_t *len, struct diag *d);

#endif
