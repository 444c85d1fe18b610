/* rtl14q.c - the book's strings in Hebrew, Arabic and Persian: their
 * "and" before a name in their own script and in another, the colophon's
 * decimal point. */
#include "unit/unit.h"

#include "book/book.h"

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
