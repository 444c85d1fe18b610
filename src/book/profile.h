/*
 * profile.h - print profiles: what a printer asks of a PDF, as one table.
 *
 * A profile fixes what the printer fixes - the bleed and on which edges,
 * the marks, the colour of the interior, the PDF standard and its output
 * intent, the page-count parity, whether links and the outline stay - and
 * leaves the book's design (trim size, margins) to the style. It is named
 * by the style ('print: kdp', or 'print: profile: kdp') or on the command
 * line ('--profile kdp'), which wins. No profile is today's edition: the
 * style's bleed and crop marks, a plain PDF.
 *
 * Invariants:
 *  - The table is static and read-only; every pointer print_profile_*
 *    returns is borrowed and lives as long as the program.
 *  - Lengths are PDF points (1/72 in); paper thickness is inches a page.
 */
#ifndef OCTAVO_PROFILE_H
#define OCTAVO_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

enum print_standard {
	PRINT_PDF,     /* a plain PDF (the screen edition) */
	PRINT_PDFX1A,  /* PDF/X-1a:2001 (ISO 15930-1): PDF 1.3, no transparency */
	PRINT_PDFX4,   /* PDF/X-4 (ISO 15930-7): PDF 1.6 */
};

enum print_colour {
	PRINT_AS_IS, /* images as they are (RGB stays RGB): the screen */
	PRINT_GRAY,  /* a black-and-white interior: images to DeviceGray */
	PRINT_CMYK,  /* a colour interior: images to the output profile's CMYK */
};

struct print_profile {
	const char *name;    /* "kdp": the --profile and 'print:' value */
	const char *printer; /* "Amazon KDP Print" */
	enum print_standard standard;
	double bleed;        /* beyond the trim on the head, foot and fore-edge */
	bool bleed_spine;    /* and at the spine too (Lulu, offset); else none there */
	bool crop_marks;     /* crop marks at the trim corners, outside the bleed */
	enum print_colour colour;
	int ink_limit;       /* total area coverage, % (C+M+Y+K); 0: none */
	int parity;          /* pages padded with blanks to a multiple of this (1: none) */
	bool links, outline; /* link annotations and bookmarks stay */
	double safe;         /* the printer's least margin inside the trim, points */
	int min_ppi, warn_ppi; /* an image under min_ppi at its size is an error,
				* under warn_ppi a warning (0: not checked) */
	/* (The cover's paper and spine-text figures are the cover's own
	 * table's, src/layout/cover.c, which the cover and preflight read.) */
	/* The output intent (PDF/X only): the ICC file under the data
	 * folder's profiles/, the registered condition it stands for. */
	const char *icc_file;     /* "profiles/SWOP-octavo.icc" */
	const char *condition_id; /* OutputConditionIdentifier: "CGATS TR 001" */
	const char *condition;    /* OutputCondition, for people */
	const char *registry;     /* RegistryName: "http://www.color.org" */
};

/* The profile called name, or NULL when there is none. Borrowed. */
const struct print_profile *print_profile_lookup(const char *name);

/* The known profile name closest to name (for "did you mean"), or NULL
 * when none is near. Borrowed. */
const char *print_profile_suggest(const char *name);

/* The profiles' names, "ingramspark, kdp, lulu, offset, screen". Static. */
const char *print_profile_names(void);

/* Every profile, in the table's order; n set to their number. */
const struct print_profile *print_profile_all(size_t *n);

/* Blank pages to add to npages for p's parity (0 when p is NULL). */
size_t print_profile_pad(const struct print_profile *p, size_t npages);

/* The least inside (gutter) margin p allows for a book of npages: KDP's
 * grows with the page count; the others ask for their safe margin. */
double print_profile_gutter(const struct print_profile *p, size_t npages);

/* The name of p's standard: "PDF/X-1a:2001", "PDF/X-4" or "PDF". */
const char *print_standard_name(enum print_standard s);

#endif
