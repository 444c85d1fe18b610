/*
 * bidi.c - the Unicode Bidirectional Algorithm (UAX #9), through FriBidi.
 *
 * A paragraph's embedding levels are resolved once over its whole text
 * (rules P2 to I2: fribidi_get_par_embedding_levels_ex), so that a comma
 * after "2024" or the Latin words after "ב־" take the levels the text
 * around them gives; each line the breaker chose is then put in visual
 * order on its own (rules L1 and L2: fribidi_reorder_line). The layout
 * stage owns the boxes; here are only code points, levels and maps.
 */
#include "text-int.h"

#include <fribidi.h>
#include <string.h>

struct tx_bidi *tx_bidi_new(const uint32_t *text, size_t n, bool rtl, struct arena *a)
{
	struct tx_bidi *b = ar_alloc(a, sizeof(*b));
	size_t m = n ? n : 1;
	FriBidiCharType *types = ar_alloc(a, m * sizeof(*types));
	FriBidiBracketType *br = ar_alloc(a, m * sizeof(*br));
	FriBidiLevel *lv = ar_alloc(a, m * sizeof(*lv));
	FriBidiStrIndex len = (FriBidiStrIndex)n;
	fribidi_get_bidi_types(text, len, types);
	fribidi_get_bracket_types(text, len, types, br);
	FriBidiParType base = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
	if (n && !fribidi_get_par_embedding_levels_ex(types, br, len, &base, lv))
		memset(lv, rtl, n * sizeof(*lv)); /* FriBidi ran out of memory */
	*b = (struct tx_bidi){.level = (const int8_t *)lv, .n = n, .rtl = rtl, .types = types};
	return b;
}

int tx_bidi_line(const struct tx_bidi *b, size_t from, size_t to, int32_t *map,
		 struct arena *a)
{
	if (to > b->n)
		to = b->n;
	if (from >= to)
		return 0;
	size_t n = to - from;
	/* L1 lowers the line's trailing spaces: on a copy of its levels. The
	 * line's own arrays, so that a long paragraph's lines cost their
	 * length each, not the paragraph's. */
	FriBidiLevel *lv = ar_alloc(a, n * sizeof(*lv));
	memcpy(lv, b->level + from, n * sizeof(*lv));
	FriBidiStrIndex *m = ar_alloc(a, n * sizeof(*m));
	for (size_t i = 0; i < n; i++)
		m[i] = (FriBidiStrIndex)(from + i);
	const FriBidiCharType *types = (const FriBidiCharType *)b->types + from;
	FriBidiLevel hi = fribidi_reorder_line(FRIBIDI_FLAG_REORDER_NSM, types, (FriBidiStrIndex)n,
					       0, b->rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR, lv, NULL,
					       m);
	for (size_t i = 0; i < n; i++)
		map[i] = hi ? (int32_t)m[i] : (int32_t)(b->rtl ? to - 1 - i : from + i);
	return hi ? hi - 1 : b->rtl;
}
