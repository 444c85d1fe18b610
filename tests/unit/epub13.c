/*
 * epub13.c - the EPUB's no-break spaces in one pass (typo.c's epub_nbsp
 * looks at the word before a space from the space before when the two
 * touch): every space of a text, bound or not, for texts whose words run
 * on from space to space, after doubled spaces, newlines and tabs, and at
 * the text's ends.
 */
#include "epub/epub-int.h"

#include "unit/unit.h"

#include <stdlib.h>
#include <string.h>

UNIT_TEST(epub13_nbsp_every_space)
{
	/* want: '^' under each space that must be bound, anything else
	 * elsewhere; the two strings are as long as each other. */
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"Mr Mr Smith", "  ^  ^     "},
	    {"Dr Who and Dr who", "  ^              "},
	    {"(Dr Who) and St Albans", "   ^           ^      "},
	    {"a 10 km 5 km walk", "    ^    ^       "},
	    {"10  km", "      "},		     /* doubled: no word on one side */
	    {"10\nkm and 10 km", "            ^  "}, /* a newline is no space to bind */
	    {" Mr Smith ", "   ^      "},
	    {"see p. 12 and pp. 3 then No. 5", "      ^          ^          ^ "},
	    {"8 per cent and 9 per centre", " ^   ^                     "},
	    {"one \xE2\x80\x93 two", "   ^       "},
	    {"Mr\tSmith Mr Jones", "           ^     "},
	    {"", ""},
	    {" ", " "},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *t = cases[i].text;
		size_t n = strlen(t);
		UCHECK(strlen(cases[i].want) == n, "case %zu: want is as long as the text", i);
		bool *nb = xcalloc(n + 1, sizeof(bool));
		epub_nbsp(t, n, nb);
		for (size_t k = 0; k < n; k++) {
			bool want = cases[i].want[k] == '^';
			if (nb[k] != want) {
				UCHECK(false, "'%s': the byte at %zu is %s, want %s", t, k,
				       nb[k] ? "bound" : "free", want ? "bound" : "free");
				break;
			}
		}
		free(nb);
	}
}
