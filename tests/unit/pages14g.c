/*
 * pages14g.c - the report's part-final pages (issue 14, item 4): a part's
 * last page under five lines counts, but one begun at the author's page
 * break (\newpage) holds what the author put there and is counted apart.
 */
#include "unit/unit.h"

#include "../../src/layout/layout.h"

#include <string.h>

/* Three running pages of one part, the last holding one line. */
static void three_pages(struct pg_page pages[3], struct pg_doc *doc)
{
	memset(pages, 0, 3 * sizeof(*pages));
	memset(doc, 0, sizeof(*doc));
	for (int i = 0; i < 3; i++) {
		pages[i].part = 0;
		pages[i].facts.running = true;
		pages[i].facts.body_lines = 33;
	}
	pages[2].facts.part_last = true;
	pages[2].facts.body_lines = 1;
	doc->pages = pages;
	doc->npages = 3;
}

UNIT_TEST(pages14g_thin_part_end_counts)
{
	struct pg_page pages[3];
	struct pg_doc doc;
	three_pages(pages, &doc);
	struct pg_pagestats ps;
	pg_pagestats(&doc, &ps);
	char why[160];
	UCHECK(ps.part_last_thin == 1 && ps.part_last_forced == 0, "thin %zu forced %zu",
	       ps.part_last_thin, ps.part_last_forced);
	UCHECK(pg_page_problem(&doc, 2, why, sizeof(why)) && strstr(why, "holds 1 line"),
	       "a thin part end is a page problem");
}

UNIT_TEST(pages14g_author_break_counted_apart)
{
	struct pg_page pages[3];
	struct pg_doc doc;
	three_pages(pages, &doc);
	pages[2].facts.after_break = true;
	struct pg_pagestats ps;
	pg_pagestats(&doc, &ps);
	char why[160];
	UCHECK(ps.part_last_thin == 0 && ps.part_last_forced == 1, "thin %zu forced %zu",
	       ps.part_last_thin, ps.part_last_forced);
	UCHECK(!pg_page_problem(&doc, 2, why, sizeof(why)), "not a page problem: %s", why);
}

/* A part's last page of three lines of text under four lines of a note run
 * over from the page before (partend14r): a designer counts the text, and
 * four lines of text under a note read as a club page, so it counts, as
 * one of five lines of text with no note does not. */
UNIT_TEST(pages14g_notes_not_counted_as_text)
{
	struct pg_page pages[3];
	struct pg_doc doc;
	three_pages(pages, &doc);
	pages[2].facts.body_lines = 3;
	pages[2].facts.note_lines = 4;
	struct pg_pagestats ps;
	pg_pagestats(&doc, &ps);
	char why[160];
	UCHECK(ps.part_last_thin == 1, "thin %zu", ps.part_last_thin);
	UCHECK(pg_page_problem(&doc, 2, why, sizeof(why)) && strstr(why, "holds 3 lines of text"),
	       "a part end of 3 lines of text and 4 of notes is a page problem: %s", why);
	pages[2].facts.body_lines = 5;
	pages[2].facts.note_lines = 0;
	pg_pagestats(&doc, &ps);
	UCHECK(ps.part_last_thin == 0, "five lines of text: thin %zu", ps.part_last_thin);
	UCHECK(!pg_page_problem(&doc, 2, why, sizeof(why)), "not a page problem: %s", why);
}
