/* lang17.c - quotes and strings by language, UAX #14 breaks, direction,
 * glyphs by number (issue 17, items 2-5). */
#include "unit/unit.h"

#include "book/book.h"
#include "text/text.h"

#include <string.h>

/* A book in language lang from the golden book, its quotes as the
 * language has them. */
static struct book *load(const char *lang)
{
	struct diag d;
	diag_init(&d, stderr);
	struct book *b = book_load("tests/golden/small", ".", &d);
	if (!b)
		return NULL;
	b->meta.language = lang;
	memset(b->quotes, 0, sizeof(b->quotes));
	return b;
}

UNIT_TEST(lang17_strings)
{
	struct book *b = load("de-CH");
	UCHECK(b != NULL, "book");
	if (!b)
		return;
	UCHECK(!strcmp(bk_str(b, BK_STR_CONTENTS), "Inhalt"), "de-CH falls back to de's strings");
	struct bk_quotes q;
	bk_quotes_of(b, &q);
	UCHECK(!strcmp(q.mark[0], "\u00AB") && !strcmp(q.mark[3], "\u203A") && !q.french,
	       "de-CH quotes with guillemets, no spaces");
	b->meta.language = "fr-CA";
	bk_quotes_of(b, &q);
	UCHECK(q.french && !strcmp(q.mark[0], "\u00AB"), "fr-CA: French quotes and spacing");
	b->meta.language = "tlh";
	UCHECK(!strcmp(bk_str(b, BK_STR_CONTENTS), "Contents"), "a language not in the table: English");
	b->meta.language = "de";
	const char *fam[] = {"EB Garamond", "Inter"};
	struct arena a;
	ar_init(&a);
	const char *c = bk_colophon(b, &a, fam, 2, 10.5, 14);
	UCHECK(!strcmp(c, "Gesetzt aus der EB Garamond und Inter 10,5/14 pt mit octavo"), "colophon: %s", c);
	b->meta.language = "en-US";
	c = bk_colophon(b, &a, fam, 1, 11, 13.5);
	UCHECK(!strcmp(c, "Set in EB Garamond 11/13.5 pt and typeset with octavo"), "colophon: %s", c);
	b->strings[BK_STR_COLOPHON] = "Typeset in {fonts}.";
	c = bk_colophon(b, &a, fam, 1, 0, 0);
	UCHECK(!strcmp(c, "Typeset in EB Garamond."), "colophon override, no sizes: %s", c);
	ar_release(&a);
	book_free(b);
}

UNIT_TEST(lang17_breaks)
{
	const char *zh = "公民社会与政府"; /* 7 ideographs, 3 bytes each */
	size_t pts[16];
	size_t n = tx_line_breaks(zh, strlen(zh), "zh", pts, 16);
	UCHECK(n == 6, "UAX #14: a break between each two ideographs (%zu)", n);
	for (size_t i = 0; i < n; i++)
		UCHECK(pts[i] == 3 * (i + 1), "break %zu at byte %zu", i, pts[i]);
	const char *close = "话题。本段"; /* no break before the full stop */
	n = tx_line_breaks(close, strlen(close), "zh", pts, 16);
	bool before_stop = false;
	for (size_t i = 0; i < n; i++)
		before_stop |= pts[i] == 6;
	UCHECK(!before_stop && n == 3, "no break before an ideographic full stop (%zu)", n);
	UCHECK(tx_needs_uax14(zh, strlen(zh)) && !tx_needs_uax14("Übersetzung", 12),
	       "UAX #14 only for scripts without spaces");
	UCHECK(tx_direction("  \"שלום", 9) == 1, "Hebrew: right to left");
	UCHECK(tx_direction("(2026) مرحبا", strlen("(2026) مرحبا")) == 1,
	       "digits are not strong: Arabic after them is right to left");
	UCHECK(tx_direction("Civil מ", strlen("Civil מ")) == 0, "first strong Latin: left to right");
	UCHECK(tx_direction("123 ...", 7) == -1, "no strong character");
}

UNIT_TEST(lang17_glyphs)
{
	struct book *b = load("en-GB");
	if (!b)
		return;
	struct diag d;
	diag_init(&d, stderr);
	struct tx_fonts *f = tx_fonts_load(&b->style, "en-GB", &d);
	UCHECK(f != NULL, "fonts");
	if (f) {
		/* Small capitals by number, their text kept for ToUnicode. */
		const struct tx_word *w = tx_shape_features(f, TX_REGULAR, "Civil", 5, TX_FEAT_SMCP);
		const struct tx_word *plain = tx_shape(f, TX_REGULAR, "Civil", 5);
		UCHECK(w != plain, "a word with features is cached apart");
		size_t bynum = 0;
		for (size_t i = 0; i < w->npieces; i++)
			for (size_t k = 0; k < w->pieces[i].len;) {
				uint32_t cp;
				int m = utf8_decode((const unsigned char *)w->pieces[i].text + k,
						    w->pieces[i].len - k, &cp);
				if (m <= 0)
					break;
				k += (size_t)m;
				if (cp >= TX_GLYPH_BASE) {
					const char *t = tx_glyph_text(f, w->pieces[i].face, cp - TX_GLYPH_BASE);
					bynum += t && strlen(t) == 1 && strchr("ivl", t[0]);
				}
			}
		if (tx_has_small_caps(f, TX_REGULAR))
			UCHECK(bynum == 4, "Charis SIL's small capitals i v i l by number (%zu)", bynum);
		UCHECK(tx_same_font(f, TX_REGULAR, TX_REGULAR) && !tx_same_font(f, TX_REGULAR, TX_BOLD),
		       "same font: one file, one instance");
		tx_fonts_free(f);
	}
	book_free(b);
}
