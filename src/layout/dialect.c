/*
 * dialect.c (layout) - the seam for small caps in octavo's Markdown
 * dialect (src/book/dialect.h). The dialect's blocks (fenced divs by
 * class, definition lists, line blocks, page breaks) and table captions
 * are cases of the block walker, set in compose.c: a div's blocks are set
 * by the walker they are part of, so the two live in one file.
 */
#include "layout-int.h"

#include <string.h>

/* ===== small caps ======================================================= */

/* The code point at s, and its length (1 for a broken byte). */
static size_t dec(const unsigned char *s, size_t n, unsigned *cp)
{
	if (s[0] < 0x80 || n < 2) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		*cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	size_t k = (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
	*cp = 0x100; /* not a case we change */
	return k <= n ? k : n;
}

/* Lower-case letters this fallback sets as small capitals: ASCII and
 * Latin-1's (ß and ÿ have no one-character capital there: left alone). */
static bool is_lower(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7);
}

size_t cp_caps_run(const char *s, size_t n, bool *lower)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	size_t k = dec(u, n, &cp);
	*lower = is_lower(cp);
	while (k < n) {
		size_t m = dec(u + k, n - k, &cp);
		if (is_lower(cp) != *lower)
			break;
		k += m;
	}
	return k;
}

const char *cp_upper(struct arena *a, const char *s, size_t n)
{
	char *t = ar_strndup(a, s, n);
	unsigned char *u = (unsigned char *)t;
	for (size_t i = 0; i < n;) {
		if (u[i] >= 'a' && u[i] <= 'z') {
			u[i] -= 32;
			i++;
		} else if (u[i] == 0xC3 && i + 1 < n && u[i + 1] >= 0xA0 && u[i + 1] <= 0xBE &&
			   u[i + 1] != 0xB7) {
			u[i + 1] -= 0x20; /* U+00E0..U+00FE to U+00C0..U+00DE */
			i += 2;
		} else {
			i++;
		}
	}
	return t;
}
