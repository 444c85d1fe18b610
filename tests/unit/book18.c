/*
 * book18.c - the book model's table and what the book stage makes of a
 * part's kind (src/book/kinds.h).
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "unit/unit.h"

#include "book/book.h"
#include "book/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

UNIT_TEST(book18_every_kind_named_and_typed)
{
	for (int k = 0; k < BK_NPART_KINDS; k++) {
		const struct bk_kind *r = bk_kind_of((enum bk_part_kind)k);
		UCHECK(r->name && r->epub_type, "kind %d has a name and an epub:type", k);
		UCHECK(bk_kind_parse(r->name) == k, "'%s' reads back as itself", r->name);
		UCHECK(strstr(bk_kind_names(), r->name) != NULL, "the hint names '%s'", r->name);
		UCHECK(!r->role || !strncmp(r->role, "doc-", 4), "'%s' has a DPUB-ARIA role", r->name);
	}
	UCHECK(bk_kind_parse("chapter") == BK_PART_ESSAY, "a chapter is an essay");
	UCHECK(bk_kind_parse("acknowledgments") == BK_PART_ACKNOWLEDGEMENTS, "either spelling");
	UCHECK(bk_kind_parse("dedicaton") == -1 && bk_kind_parse(NULL) == -1, "no such kind");
	/* No folio where the convention prints none. */
	const enum bk_part_kind quiet[] = {BK_PART_DEDICATION, BK_PART_EPIGRAPH, BK_PART_DIVIDER,
					   BK_PART_HALF_TITLE, BK_PART_COLOPHON};
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		UCHECK(!bk_kind_of(quiet[i])->folio, "no folio on a %s", bk_kind_of(quiet[i])->name);
	UCHECK(bk_kind_of(BK_PART_ESSAY)->matter == BK_MATTER_MAIN &&
		       bk_kind_of(BK_PART_PREFACE)->matter == BK_MATTER_FRONT &&
		       bk_kind_of(BK_PART_APPENDIX)->matter == BK_MATTER_BACK,
	       "places");
}

/* Parses text as a part whose book.yaml kind is listed (or not); returns
 * the diagnostics' text (malloc'd). */
static char *parse(struct arena *a, struct bk_part *p, const char *text, int *rc)
{
	char *msgs = NULL;
	size_t mlen = 0;
	FILE *mem = open_memstream(&msgs, &mlen);
	struct diag d;
	diag_init(&d, mem);
	d.excerpt = false;
	*rc = book_parse_part(a, p, "t.md", ".", text, strlen(text), &d);
	fclose(mem);
	return msgs;
}

UNIT_TEST(book18_front_matter_kind)
{
	struct arena a;
	ar_init(&a);
	int rc;
	struct bk_part p = {.id = "essay-01"};
	char *m = parse(&a, &p, "---\nkind: dedication\nbio: x\n---\n\nFor M.\n", &rc);
	UCHECK(rc == 0 && p.kind == BK_PART_DEDICATION, "front matter gives the kind (%s)", m);
	UCHECK(p.bio && !strcmp(p.bio, "x"), "bio read");
	UCHECK(p.kind_line == 2 && p.kind_col == 7, "where it says so: %d:%d", p.kind_line,
	       p.kind_col);
	free(m);
	struct bk_part q = {.id = "preface-1", .kind = BK_PART_PREFACE, .kind_given = true};
	m = parse(&a, &q, "---\ntitle: T\nkind: appendix\n---\n\nText.\n", &rc);
	UCHECK(q.kind == BK_PART_PREFACE && strstr(m, "t.md:3:7: warning: 'kind: appendix' differs"),
	       "book.yaml's kind wins, with a warning (%s)", m);
	free(m);
	struct bk_part e = {.id = "essay-02"};
	m = parse(&a, &e, "\n\n", &rc);
	UCHECK(rc < 0 && strstr(m, "part is empty"), "an empty essay is an error");
	free(m);
	struct bk_part c = {.id = "contributors-3", .kind = BK_PART_CONTRIBUTORS};
	m = parse(&a, &c, "", &rc);
	UCHECK(rc == 0 && !*m && c.nblocks == 0, "an empty contributors part is for octavo (%s)", m);
	free(m);
	struct bk_part t = {.id = "part-4", .kind = BK_PART_DIVIDER};
	m = parse(&a, &t, "Some words.\n", &rc);
	UCHECK(rc == 0 && !t.title, "a divider needs no title (%s)", m);
	free(m);
	ar_release(&a);
}
