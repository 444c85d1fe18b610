/*
 * glyph.c - from the text a page sets to the glyphs of the subset fonts:
 * which characters (and glyphs reached by number) a face's subset must
 * hold, walked the same way the page draws them (pdf_next_cp). The
 * interior (pdf.c) and the cover (cover.c) both use it; pdf_glyph_of and
 * pdf_next_cp, the drawing's half, are inline in pdf-int.h for pdf.c's
 * loop over every character of the book.
 */
#include "pdf-int.h"

void pdf_mark_used(uint8_t *used, const char *s, size_t n)
{
	for (size_t k = 0; k < n;) {
		if ((unsigned char)s[k] < 0x80) { /* ASCII, most of a Latin text */
			used[(unsigned char)s[k++]] = 1;
			continue;
		}
		uint32_t cp = pdf_next_cp(s, n, &k);
		if (cp < 65536)
			used[cp] = 1;
		else if (cp >= TX_GLYPH_BASE && cp < TX_ALIAS_BASE + 65536)
			used[65536 + ((cp - TX_GLYPH_BASE) & 0xFFFF)] = 1;
	}
}
