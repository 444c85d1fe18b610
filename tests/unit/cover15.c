/* cover15.c - the wrap cover's sums: EAN-13 bars, ISBN check digits, the
 * printers' figures behind the spine (src/layout/cover.c, barcode.c). */
#include "unit/unit.h"

#include "layout/cover.h"

#include <math.h>
#include <string.h>

static void modules_str(const char *digits, char out[96])
{
	unsigned char m[95], g[95];
	out[0] = 0;
	if (!pg_ean13(digits, m, g))
		return;
	for (int i = 0; i < 95; i++)
		out[i] = (char)('0' + m[i]);
	out[95] = 0;
}

UNIT_TEST(cover_ean13)
{
	/* The modules of two EAN-13s, first digits 9 and 5 (their sets A/B
	 * differ), worked out from GS1's tables by hand-written Python. */
	static const struct {
		const char *digits, *bars;
	} v[] = {
	    {"9780306406157", "1010111011000100101001110111101010011101011110101010111001110010101000011"
			      "0011010011101000100101"},
	    {"5901234123457", "1010001011010011101100110010011011110100111010101011001101101100100001010"
			      "1110010011101000100101"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char got[96];
		modules_str(v[i].digits, got);
		UCHECK(!strcmp(got, v[i].bars), "EAN-13 %s: %s", v[i].digits, got);
	}
	unsigned char m[95], g[95];
	UCHECK(!pg_ean13("9780306406158", m, g), "a wrong check digit draws no bars");
	UCHECK(!pg_ean13("978030640615", m, g), "twelve digits draw no bars");
	UCHECK(pg_ean13("9780306406157", m, g) && g[0] && g[46] && g[94] && !g[3] && !g[50],
	       "the guards are marked");
}

UNIT_TEST(cover_isbn_digits)
{
	char d[14];
	UCHECK(pg_isbn_digits("978-0-306-40615-7", d) && !strcmp(d, "9780306406157"),
	       "hyphens are dropped");
	UCHECK(pg_isbn_digits("978 0 306 40615 7", d), "spaces are allowed");
	UCHECK(!pg_isbn_digits("978-0-306-40615-8", d), "a wrong check digit");
	UCHECK(!pg_isbn_digits("978-0-306-40615-77", d), "fourteen digits");
	UCHECK(!pg_isbn_digits("978-0-306-4O615-7", d), "a letter O");
	UCHECK(!pg_isbn_digits("", d) && !pg_isbn_digits(NULL, d), "nothing");
}

UNIT_TEST(cover_spec)
{
	struct book b;
	memset(&b, 0, sizeof(b));
	b.style.page_w = 396, b.style.page_h = 612, b.style.bleed = 8.5;
	struct pg_cover_spec s;
	UCHECK(pg_cover_spec_for(NULL, &b, &s) && s.bleed == 8.5 && s.paper == 0.002252 &&
		   !strcmp(s.profile, "style"),
	       "the style's bleed, KDP's white paper");
	UCHECK(pg_cover_spec_for("kdp", &b, &s) && fabs(s.bleed - 9) < 1e-9 &&
		   s.spine_text_pages == 80 && s.trim_w == 396,
	       "KDP: 0.125 in bleed, spine text from 80 pages");
	b.meta.paper.kind = BK_PAPER_CREAM;
	UCHECK(pg_cover_spec_for("kdp", &b, &s) && s.paper == 0.0025, "KDP cream: 0.0025 in");
	UCHECK(pg_cover_spec_for("lulu", &b, &s) && fabs(s.paper - 1 / 444.0) < 1e-12 &&
		   s.spine_add == 0.06,
	       "Lulu: pages / 444 + 0.06 in on any paper");
	UCHECK(pg_cover_spec_for("offset", &b, &s) && fabs(s.bleed - 3 * 72 / 25.4) < 1e-9,
	       "offset: 3 mm bleed");
	b.style.paper.kind = BK_PAPER_CALIPER, b.style.paper.inches = 0.003;
	UCHECK(pg_cover_spec_for("kdp", &b, &s) && s.paper == 0.0025,
	       "book.yaml's paper wins over the style's");
	b.meta.paper.kind = BK_PAPER_DEFAULT;
	UCHECK(pg_cover_spec_for("kdp", &b, &s) && s.paper == 0.003, "the style's own figure");
	UCHECK(!pg_cover_spec_for("kpd", &b, &s), "an unknown profile");
}
