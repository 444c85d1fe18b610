/*
 * pages14.c - the page builder on its test book (tests/books/pages, issue
 * 14): the page dump (each line's place and text, each page's facts) as a
 * golden file, and the rules the page figures must keep. UPDATE_GOLDEN=1
 * rewrites the golden file after an intended change.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "unit/unit.h"

#include "../../src/book/book.h"
#include "../../src/layout/layout.h"
#include "../../src/text/text.h"

#include <stdlib.h>
#include <string.h>

#define GOLDEN "tests/golden/pages14.pages"

/* The page dump with each page's facts after its lines. */
static void dump(const struct pg_doc *doc, FILE *out)
{
	pg_dump(doc, out);
	fprintf(out, "facts\n");
	for (size_t i = 0; i < doc->npages; i++) {
		const struct pg_pagefacts *f = &doc->pages[i].facts;
		if (!f->running)
			continue;
		fprintf(out,
			"  p.%s short %d body %d notes %d%s%s split %d through %d lone %d hyphen %d "
			"gap %d moved %d tables %d/%d/%d\n",
			doc->pages[i].label, f->short_lines, f->body_lines, f->note_lines,
			f->part_last ? " last" : "", f->final_hyphen ? " final-hyphen" : "",
			f->notes_split, f->notes_through, f->note_lone, f->notes_split_hyphen,
			f->float_gap, f->floats_moved, f->tables_broken, f->tables_nohead, f->tables_thin);
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 > cap) {
			cap = (*len + 4096) * 2;
			buf = realloc(buf, cap);
		}
		size_t k = fread(buf + *len, 1, cap - *len, f);
		*len += k;
		if (k == 0)
			break;
	}
	fclose(f);
	return buf;
}

UNIT_TEST(pages14_book)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load("tests/books/pages", ".", &d);
	UCHECK(b != NULL, "the pages test book loads");
	if (!b)
		return;
	struct tx_fonts *f = tx_fonts_load(&b->style, b->meta.language, &d);
	struct pg_doc *doc = f ? pg_compose(b, f, &d) : NULL;
	UCHECK(doc != NULL, "the pages test book lays out");
	if (doc) {
		struct pg_pagestats ps;
		pg_pagestats(doc, &ps);
		UCHECK(ps.notes_over3 == 0 && ps.notes_split_hyphen == 0 && ps.note_lone == 0 &&
			       ps.notes_late == 0,
		       "notes: %zu over three pages, %zu broken after a hyphen, %zu lone lines, "
		       "%zu begun late",
		       ps.notes_over3, ps.notes_split_hyphen, ps.note_lone, ps.notes_late);
		/* Its first part's last page: 2 lines of text and a note of 23
		 * lines cited in them, whole; no way gives five lines of text
		 * and the note (a part's last page counts its text alone). */
		UCHECK(ps.float_gaps3 == 0 && ps.hyphen_recto == 0 && ps.part_last_thin <= 1,
		       "%zu float gaps of 3+ lines, %zu recto page-final hyphens, %zu thin part ends",
		       ps.float_gaps3, ps.hyphen_recto, ps.part_last_thin);
		UCHECK(ps.floats_moved >= 1, "the tall figure moved on a page, the text filling in");
		UCHECK(ps.tables_broken >= 1 && ps.tables_nohead == 0 && ps.tables_thin == 0,
		       "tables: %zu broken, %zu without their head, %zu thin", ps.tables_broken,
		       ps.tables_nohead, ps.tables_thin);
		char *buf;
		size_t len;
		FILE *m = open_memstream(&buf, &len);
		dump(doc, m);
		fclose(m);
		if (getenv("UPDATE_GOLDEN")) {
			FILE *o = fopen(GOLDEN, "wb");
			if (o) {
				fwrite(buf, 1, len, o);
				fclose(o);
			}
		}
		size_t glen = 0;
		char *want = slurp(GOLDEN, &glen);
		bool same = want && glen == len && !memcmp(want, buf, len);
		if (!same) {
			FILE *o = fopen("/tmp/octavo-golden-pages14.pages", "wb");
			if (o) {
				fwrite(buf, 1, len, o);
				fclose(o);
			}
		}
		UCHECK(same, "%s differs: see diff -u %s /tmp/octavo-golden-pages14.pages", GOLDEN,
		       GOLDEN);
		free(want);
		free(buf);
	}
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
}
