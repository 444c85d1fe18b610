/*
 * breaks.c - where text may break and which way it runs: line break
 * opportunities by UAX #14 (libunibreak), for scripts written without
 * spaces (Chinese, Japanese), and a paragraph's direction by the first
 * strong character (FriBidi), rule P2 of the Bidirectional Algorithm.
 */
#include "text-int.h"

#include <fribidi.h>
#include <hb.h>
#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;

static void lb_init(void)
{
	init_linebreak();
}

bool tx_needs_uax14(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0xE2)
			continue;
		uint32_t cp;
		if (utf8_decode((const unsigned char *)s + i, n - i, &cp) > 0 && cp >= 0x2E80 &&
		    cp < 0xFFF0 && !(cp >= 0xFB00 && cp <= 0xFE0F))
			return true;
	}
	return false;
}

size_t tx_line_breaks(const char *s, size_t n, const char *lang, size_t *pts, size_t max)
{
	if (!n)
		return 0;
	pthread_once(&lb_once, lb_init);
	char stack[256];
	char *brks = n <= sizeof(stack) ? stack : xmalloc(n);
	set_linebreaks_utf8((const utf8_t *)s, n, lang, brks);
	size_t k = 0;
	/* brks[i] says whether a break may follow the byte at i (for the
	 * last byte of each character); the end itself is not a break. */
	for (size_t i = 0; i + 1 < n && k < max; i++)
		if (brks[i] == LINEBREAK_ALLOWBREAK)
			pts[k++] = i + 1;
	if (brks != stack)
		free(brks);
	return k;
}

bool tx_joins_previous(uint32_t cp)
{
	if (cp < 0x300)
		return false; /* (Latin-1 and its extensions: no marks) */
	if (cp == 0x200C || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF))
		return true;
	switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), cp)) {
	case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
	case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
	case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
		return true;
	default:
		return false;
	}
}

int tx_direction(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (m < 0)
			return 0;
		i += (size_t)m;
		if (cp < 0x80) {
			if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
				return 0;
			continue;
		}
		FriBidiCharType t = fribidi_get_bidi_type(cp);
		if (t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL)
			return 1;
		if (t == FRIBIDI_TYPE_LTR)
			return 0;
	}
	return -1;
}
