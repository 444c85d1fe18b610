/*
 * profile.c - the print profiles: one row per printer, the figures from
 * the printers' own guides (README.md, "Print profiles", gives each with
 * its source). Where a guide is silent the row says octavo's choice.
 */
#include "profile.h"

#include <string.h>

#define IN 72.0
#define MM (72.0 / 25.4)

/* The output condition the print-on-demand profiles name: SWOP, the
 * registered CGATS TR 001, which Lightning Source names for IngramSpark
 * ("U.S. Web Coated (SWOP) v2"). The only ready-made CMYK output (device
 * class 'prtr') ICC profile Debian ships under a free licence is
 * Ghostscript's SWOP characterisation (libgs-common, AGPL-3+), 187 KB;
 * profiles/swop.sh remakes it at 54 KB with ArgyllCMS (0.39 dE2000
 * average), since every print-on-demand PDF embeds and deflates it. */
#define SWOP_ICC "profiles/SWOP-octavo.icc"
#define SWOP_ID "CGATS TR 001"
#define SWOP_NAME "SWOP (CGATS TR 001), octavo's SWOP profile from Artifex CMYK SWOP"
#define ICC_REGISTRY "http://www.color.org"

/* European offset's condition: FOGRA39 (ISO 12647-2:2004/Amd 1, coated
 * paper), registered with the ICC under that name. Its profile is made by
 * ArgyllCMS from Fogra's characterization data in Debian's
 * icc-profiles-free (Zlib): profiles/fogra39.sh, LICENSE-FOGRA39.txt. */
#define FOGRA39_ICC "profiles/FOGRA39-octavo.icc"
#define FOGRA39_ID "FOGRA39"
#define FOGRA39_NAME "Coated FOGRA39 (ISO 12647-2:2004)"

static const struct print_profile profiles[] = {
    {
	.name = "ingramspark",
	.printer = "IngramSpark / Lightning Source",
	.standard = PRINT_PDFX1A,
	.bleed = 0.125 * IN,
	.bleed_spine = false,
	.crop_marks = false,
	.colour = PRINT_GRAY,
	.ink_limit = 240,
	.parity = 2,
	.links = false,
	.outline = false,
	.safe = 0.5 * IN,
	.min_ppi = 200,
	.warn_ppi = 300,
	.icc_file = SWOP_ICC,
	.condition_id = SWOP_ID,
	.condition = SWOP_NAME,
	.registry = ICC_REGISTRY,
    },
    {
	.name = "kdp",
	.printer = "Amazon KDP Print",
	.standard = PRINT_PDFX1A,
	.bleed = 0.125 * IN,
	.bleed_spine = false,
	.crop_marks = false,
	.colour = PRINT_GRAY,
	.ink_limit = 0,
	.parity = 2,
	.links = false,
	.outline = false,
	.safe = 0.375 * IN,
	.min_ppi = 200,
	.warn_ppi = 300,
	.icc_file = SWOP_ICC,
	.condition_id = SWOP_ID,
	.condition = SWOP_NAME,
	.registry = ICC_REGISTRY,
    },
    {
	.name = "lulu",
	.printer = "Lulu",
	.standard = PRINT_PDFX4,
	.bleed = 0.125 * IN,
	.bleed_spine = true,
	.crop_marks = false,
	.colour = PRINT_GRAY,
	.ink_limit = 0,
	.parity = 2,
	.links = false,
	.outline = false,
	.safe = 0.5 * IN,
	.min_ppi = 200,
	.warn_ppi = 300,
	.icc_file = SWOP_ICC,
	.condition_id = SWOP_ID,
	.condition = SWOP_NAME,
	.registry = ICC_REGISTRY,
    },
    {
	.name = "offset",
	.printer = "offset (UK/EU sheet-fed)",
	.standard = PRINT_PDFX4,
	.bleed = 3 * MM,
	.bleed_spine = true,
	.crop_marks = true,
	.colour = PRINT_CMYK,
	.ink_limit = 300,
	.parity = 16,
	.links = false,
	.outline = false,
	.safe = 5 * MM,
	.min_ppi = 200,
	.warn_ppi = 300,
	.icc_file = FOGRA39_ICC,
	.condition_id = FOGRA39_ID,
	.condition = FOGRA39_NAME,
	.registry = ICC_REGISTRY,
    },
    {
	.name = "screen",
	.printer = "the screen",
	.standard = PRINT_PDF,
	.bleed = 0,
	.bleed_spine = false,
	.crop_marks = false,
	.colour = PRINT_AS_IS,
	.ink_limit = 0,
	.parity = 1,
	.links = true,
	.outline = true,
	.safe = 0,
	.min_ppi = 0,
	.warn_ppi = 0,
    },
};

const struct print_profile *print_profile_lookup(const char *name)
{
	for (size_t i = 0; name && i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

const struct print_profile *print_profile_all(size_t *n)
{
	*n = sizeof(profiles) / sizeof(profiles[0]);
	return profiles;
}

const char *print_profile_names(void)
{
	return "ingramspark, kdp, lulu, offset, screen";
}

/* Levenshtein distance, case-folded, for short names. */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(b), row[64];
	if (n >= 63 || strlen(a) >= 63)
		return 99;
	for (size_t j = 0; j <= n; j++)
		row[j] = j;
	for (size_t i = 1; a[i - 1]; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= n; j++) {
			char ca = a[i - 1], cb = b[j - 1];
			if (ca >= 'A' && ca <= 'Z')
				ca = (char)(ca - 'A' + 'a');
			size_t sub = prev + (ca != cb);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			prev = row[j];
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	}
	return row[n];
}

const char *print_profile_suggest(const char *name)
{
	const char *best = NULL;
	size_t bd = 99;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		size_t dd = distance(name, profiles[i].name);
		/* "ingram" and "amazon" name their printer too */
		if (strlen(name) >= 3 && (strstr(profiles[i].name, name) ||
					   strstr(profiles[i].printer, name)))
			dd = 1;
		if (dd < bd)
			bd = dd, best = profiles[i].name;
	}
	return bd <= 3 ? best : NULL;
}

size_t print_profile_pad(const struct print_profile *p, size_t npages)
{
	if (!p || p->parity <= 1)
		return 0;
	size_t k = (size_t)p->parity;
	return (k - npages % k) % k;
}

double print_profile_gutter(const struct print_profile *p, size_t npages)
{
	if (p && !strcmp(p->name, "kdp")) {
		/* KDP's table: the inside margin by page count. */
		static const struct {
			size_t pages;
			double in;
		} t[] = {{150, 0.375}, {300, 0.5}, {500, 0.625}, {700, 0.75}};
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
			if (npages <= t[i].pages)
				return t[i].in * IN;
		return 0.875 * IN;
	}
	return p ? p->safe : 0;
}

const char *print_standard_name(enum print_standard s)
{
	switch (s) {
	case PRINT_PDFX1A: return "PDF/X-1a:2001";
	case PRINT_PDFX4: return "PDF/X-4";
	case PRINT_PDF: break;
	}
	return "PDF";
}
