/*
 * kinds.h - the book model: what each kind of part is (its place in the
 * book, its opening, whether its pages print folios and running heads, its
 * EPUB 3 Structural Semantics type and DPUB-ARIA role), the reading order
 * both editions follow, and the parts octavo writes itself when their
 * file is empty (notes on contributors, the colophon).
 *
 * A part's kind is given by book.yaml ('- file: x.md' + 'kind: dedication')
 * or by the part's own front matter ('kind: dedication'); book.yaml's wins
 * when both give one. A part with neither is an essay.
 *
 * Invariants after bk_kinds_finish: every part has a title (a kind's
 * default where the file gives none); part->front says whether it is set
 * in the front matter; a divider's label is "Part I", "Part II", ...;
 * part->under names the divider an essay falls under.
 */
#ifndef OCTAVO_BOOK_KINDS_H
#define OCTAVO_BOOK_KINDS_H

#include "book.h"

enum bk_matter { BK_MATTER_FRONT, BK_MATTER_MAIN, BK_MATTER_BACK };

struct bk_kind {
	const char *name;      /* as book.yaml writes it */
	enum bk_matter matter; /* where the kind belongs */
	bool flexible;         /* front matter when listed before the first main-matter
				* part, else where listed (half-title, epigraph,
				* acknowledgements) */
	bool before_contents;  /* in the front matter, before the contents */
	bool folio;            /* its pages print folio and running heads */
	bool shown_title;      /* its title is set as an opening (not on a dedication) */
	bool centred;          /* its text set alone, centred, a third down the page */
	bool may_be_empty;     /* an empty file is allowed: octavo writes it */
	bool in_contents;      /* listed in the printed contents */
	const char *epub_type; /* EPUB 3 Structural Semantics Vocabulary */
	const char *role;      /* DPUB-ARIA role, NULL where none fits */
};

/* The kind's row. Never NULL for a valid kind. */
const struct bk_kind *bk_kind_of(enum bk_part_kind k);
/* The kind named name ("chapter" is an essay); -1 for none. */
int bk_kind_parse(const char *name);
/* The names of the kinds, comma-separated, for a hint. Static. */
const char *bk_kind_names(void);

/* The parts in reading order (front matter, then main and back matter, each
 * in book.yaml's order): indexes into b->parts, malloc'd, b->nparts long. */
size_t *bk_reading_order(const struct book *b);
/*
 * Where the book-end notes go (style 'notes: place: book-end'): the index
 * into order (bk_reading_order's) of the part they come before - the
 * first contributors, bibliography or colophon of the back matter -, or
 * b->nparts for the book's end. SIZE_MAX when there is no such section
 * (notes placed otherwise, or no part has a note). Both editions put the
 * Notes there.
 */
size_t bk_book_notes_at(const struct book *b, const size_t *order);

/* The default title of kind k in the book's language ("Dedication",
 * "Notes on contributors", "Notes"); static. For BK_NPART_KINDS: "Notes". */
const char *bk_kind_title(const struct book *b, enum bk_part_kind k);

/* After every part is read: decides each part's matter, numbers the
 * dividers and hangs the essays under them, gives titles to parts that
 * have none, and writes the contributors and colophon parts whose files
 * are empty. Reports to d. */
void bk_kinds_finish(struct book *b, struct diag *d);

/* The style's 'notes: place:' (or 'notes: chapter-end'): n is the 'notes'
 * node. Reports a bad value at its line. */
struct ynode;
void bk_style_notes(struct bk_style *st, const struct ynode *n, const char *path,
		    struct diag *d);

/* Whether the book has a part of kind k. */
bool bk_has_kind(const struct book *b, enum bk_part_kind k);

#endif
