/* rtl14q.c - the book's strings in Hebrew, Arabic and Persian: their
 * "and" before a name in their own script and in another, the colophon's
 * decimal point; and lines of mixed directions in visual order. */
#include "unit/unit.h"

#include "book/book.h"
#include "text/text.h"

#include <string.h>

UNIT_TEST(rtl14q_strings)
{
	struct diag d;
	diag_init(&d, stderr);
	struct book *b = book_load("tests/golden/small", ".", &d);
	UCHECK(b != NULL, "book");
	if (!b)
		return;
	const char *fam[] = {"EB Garamond", "Inter"};
	struct arena a;
	ar_init(&a);
	b->meta.language = "he";
	UCHECK(!strcmp(bk_str(b, BK_STR_CONTENTS), "תוכן העניינים"), "he: contents");
	UCHECK(!strcmp(bk_and_glue(b, "מיכל לוי"), ""), "he: ו written onto a Hebrew name");
	UCHECK(!strcmp(bk_and_glue(b, "Dana"), "\u05BE"), "he: ו־ before a Latin name");
	const char *c = bk_colophon(b, &a, fam, 2, 10.5, 14);
	UCHECK(!strcmp(c, "סודר באות EB Garamond ו־Inter 10.5/14 pt בתוכנת octavo"),
	       "he colophon: %s", c);
	b->meta.language = "ar";
	UCHECK(!strcmp(bk_and_glue(b, "محمد"), ""), "ar: و written onto an Arabic name");
	UCHECK(!strcmp(bk_and_glue(b, "Dana"), " "), "ar: و spaced before a Latin name");
	b->meta.language = "fa";
	UCHECK(!strcmp(bk_and_glue(b, "رضا"), " "), "fa: و a word of its own");
	UCHECK(!strcmp(bk_str(b, BK_STR_CONTENTS), "فهرست مطالب"), "fa: contents");
	b->meta.language = "en";
	UCHECK(!strcmp(bk_and_glue(b, "Inter"), " "), "en: ' and '");
	ar_release(&a);
	book_free(b);
}

/* The paragraph's levels, then each line in visual order (text/bidi.c,
 * through FriBidi): map[v] is the logical index of the v-th character
 * from the left. */
static bool same_map(const int32_t *a, const int32_t *b, size_t n)
{
	return !memcmp(a, b, n * sizeof(*a));
}

UNIT_TEST(rtl14q_bidi_lines)
{
	struct arena a;
	ar_init(&a);
	/* "ב־Ab c" in a right-to-left paragraph: the Latin run, its space
	 * too, at level 2, read left to right at the left of "ב־". */
	const uint32_t t1[] = {0x05D1, 0x05BE, 'A', 'b', ' ', 'c'};
	struct tx_bidi *b = tx_bidi_new(t1, 6, true, &a);
	UCHECK(b->level[0] == 1 && b->level[1] == 1 && b->level[2] == 2 && b->level[4] == 2,
	       "levels %d %d %d %d", b->level[0], b->level[1], b->level[2], b->level[4]);
	int32_t map[8];
	const int32_t want1[] = {2, 3, 4, 5, 1, 0};
	UCHECK(tx_bidi_line(b, 0, 6, map, &a) == 2 && same_map(map, want1, 6),
	       "ב־Ab c: %d %d %d %d %d %d", map[0], map[1], map[2], map[3], map[4], map[5]);
	/* "2024, ש": the comma and space between a number and a Hebrew
	 * letter take the paragraph's level (N1): the comma left of 2024. */
	const uint32_t t2[] = {'2', '0', '2', '4', ',', ' ', 0x05E9};
	b = tx_bidi_new(t2, 7, true, &a);
	const int32_t want2[] = {6, 5, 4, 0, 1, 2, 3};
	tx_bidi_line(b, 0, 7, map, &a);
	UCHECK(b->level[4] == 1 && same_map(map, want2, 7), "2024, ש: level %d, map %d %d %d %d",
	       b->level[4], map[0], map[1], map[2], map[3]);
	/* The same in a left-to-right paragraph: "ש, x" - the comma at the
	 * right of the Hebrew letter; a line of the paragraph alone (from 2)
	 * keeps its place. */
	const uint32_t t3[] = {0x05E9, ',', ' ', 'x'};
	b = tx_bidi_new(t3, 4, false, &a);
	const int32_t want3[] = {0, 1, 2, 3};
	UCHECK(tx_bidi_line(b, 0, 4, map, &a) == 1 && same_map(map, want3, 4) && b->level[1] == 0,
	       "ש, x: %d %d %d %d", map[0], map[1], map[2], map[3]);
	const int32_t want4[] = {2, 3};
	UCHECK(tx_bidi_line(b, 2, 4, map, &a) == 0 && same_map(map, want4, 2), "a line from 2");
	ar_release(&a);
}
