/*
 * missing.c - characters no font has, told as the lint tells them: each
 * at its first three places (file:line:col), then one line with how many
 * more places it has. A table of 400 check marks (the Node.js docs'
 * webcrypto.md) is three warnings and a count, not two hundred.
 */
#include "layout-int.h"

#include <stdlib.h>

#define MISSING_TOLD 3

static struct cp_miss *entry(struct composer *c, uint32_t cp)
{
	for (size_t i = 0; i < c->nmiss; i++)
		if (c->miss[i].cp == cp)
			return &c->miss[i];
	GROW(c->miss, c->miss_cap, c->nmiss + 1);
	c->miss[c->nmiss] = (struct cp_miss){cp, 0};
	return &c->miss[c->nmiss++];
}

bool cp_missing_tell(struct composer *c, const uint32_t *cps, int n)
{
	if (c->again) /* a part set again: told the first time */
		return true;
	bool tell = false;
	for (int i = 0; i < n; i++)
		tell |= entry(c, cps[i])->count++ < MISSING_TOLD;
	return tell;
}

void cp_missing_tell_rest(struct composer *c)
{
	for (size_t i = 0; i < c->nmiss; i++)
		if (c->miss[i].count > MISSING_TOLD) {
			char u[5] = {0};
			utf8_encode(c->miss[i].cp, u);
			diag_warning(c->d, NULL, 0, 0,
				     "no font has '%s' (U+%04X) at %d more places", u,
				     (unsigned)c->miss[i].cp, c->miss[i].count - MISSING_TOLD);
		}
	free(c->miss);
	c->miss = NULL;
	c->nmiss = c->miss_cap = 0;
}
