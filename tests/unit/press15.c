/* press15.c - the print profiles' table and the page offsets at the spine. */
#include "unit/unit.h"

#include "book/profile.h"
#include "pdf/pdfx.h"

#include <math.h>
#include <string.h>

UNIT_TEST(profile_lookup)
{
	const char *names[] = {"ingramspark", "kdp", "lulu", "offset", "screen"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct print_profile *p = print_profile_lookup(names[i]);
		UCHECK(p && !strcmp(p->name, names[i]), "lookup %s", names[i]);
	}
	UCHECK(!print_profile_lookup("KDP") && !print_profile_lookup("") &&
		   !print_profile_lookup(NULL),
	       "names are exact");
	size_t n;
	print_profile_all(&n);
	UCHECK(n == 5, "five profiles, got %zu", n);
}

UNIT_TEST(profile_suggest)
{
	UCHECK(!strcmp(print_profile_suggest("kpd"), "kdp"), "kpd -> kdp");
	UCHECK(!strcmp(print_profile_suggest("Lulu"), "lulu"), "Lulu -> lulu");
	UCHECK(!strcmp(print_profile_suggest("ingram"), "ingramspark"), "ingram -> ingramspark");
	UCHECK(!strcmp(print_profile_suggest("ofset"), "offset"), "ofset -> offset");
	UCHECK(print_profile_suggest("zzzzzzzzzz") == NULL, "nothing near");
}

UNIT_TEST(profile_figures)
{
	const struct print_profile *k = print_profile_lookup("kdp"), *o = print_profile_lookup("offset");
	UCHECK(fabs(k->bleed - 9) < 1e-9 && !k->bleed_spine, "kdp: 0.125 in, none at the spine");
	UCHECK(fabs(o->bleed - 3 * 72 / 25.4) < 1e-9 && o->crop_marks, "offset: 3 mm and marks");
	UCHECK(k->standard == PRINT_PDFX1A && o->standard == PRINT_PDFX4, "standards");
	UCHECK(print_profile_pad(k, 131) == 1 && print_profile_pad(k, 132) == 0, "kdp: even");
	UCHECK(print_profile_pad(o, 131) == 13 && print_profile_pad(o, 144) == 0, "offset: 16s");
	UCHECK(print_profile_pad(NULL, 131) == 0, "no profile: no padding");
	UCHECK(fabs(print_profile_gutter(k, 24) - 27) < 1e-9 &&
		   fabs(print_profile_gutter(k, 151) - 36) < 1e-9 &&
		   fabs(print_profile_gutter(k, 828) - 63) < 1e-9,
	       "kdp's gutter by page count");
}

UNIT_TEST(pdfx_offsets)
{
	const struct print_profile *k = print_profile_lookup("kdp"), *l = print_profile_lookup("lulu");
	double ox[2];
	/* KDP 5.5 in wide: media 5.625 in, the recto's trim at 0, the verso's at the bleed */
	double mw = pdfx_page_offsets(k, 396, 9, 9, ox);
	UCHECK(fabs(mw - 405) < 1e-9 && ox[0] == 0 && ox[1] == 9, "kdp: %g %g %g", mw, ox[0], ox[1]);
	mw = pdfx_page_offsets(l, 396, 9, 9, ox);
	UCHECK(fabs(mw - 414) < 1e-9 && ox[0] == 9 && ox[1] == 9, "lulu: %g", mw);
	mw = pdfx_page_offsets(NULL, 396, 26.5, 8.5, ox);
	UCHECK(fabs(mw - 449) < 1e-9 && ox[0] == 26.5, "no profile: uniform");
}
