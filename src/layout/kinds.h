/*
 * kinds.h (layout) - the print edition's side of the book model
 * (kinds.c; the model itself is src/book/kinds.h). Private to the layout.
 */
#ifndef OCTAVO_LAYOUT_KINDS_H
#define OCTAVO_LAYOUT_KINDS_H

#include "layout-int.h"

/* Sets part p whole when its kind has an opening of its own (a divider,
 * a half-title, a dedication, an epigraph, the colophon: centred, a third
 * down a recto, sink being an essay's drop); returns false, having set
 * nothing, for the kinds set as an essay is. */
bool cp_kind_part(struct composer *c, const struct bk_part *p, double sink);
/* With 'notes: place: chapter-end': p's notes after its text, under a
 * heading "Notes", at note size. Nothing otherwise. */
void cp_end_notes(struct composer *c, const struct bk_part *p);
/* Sets part p as its kind opens: by cp_kind_part, or else as an essay
 * (cp_set_part) followed by its chapter-end notes. What the paginator
 * calls for each part. */
void cp_set_part_by_kind(struct composer *c, const struct bk_part *p, double sink);
/* With 'place: book-end': every part's notes (reading order), each part's
 * under its title, after a "Notes" opening, appended to c->lines for
 * pagination as a section of its own. Returns the lines added (0: none). */
size_t cp_book_notes(struct composer *c);
/* Points the note references of the pages (dest_page -2 - note, the
 * pager's placeholder) at their end-notes; a footnote never placed, or an
 * end-note not found, leads nowhere (-1). */
void pg_note_links(struct pg_doc *doc, const struct book *b);
/* With 'place: book-end': the page marks of the notes' pages (part -1)
 * given the part whose notes they begin in, where the EPUB sets them. */
void pg_book_notes_marks(struct pg_doc *doc, const struct book *b);
/* The first page from index at on that holds text (the book-end Notes'
 * opening, just paginated there), or -1. */
int pg_book_notes_page(const struct pg_doc *doc, size_t at);
/* The book-end Notes' stand-in for a part, in doc's arena: its title
 * ("Notes" in the book's language) and id "notes", nothing else. What
 * the contents entry is tagged with (the tagged PDF names a contents
 * link by its part's title). */
const struct bk_part *pg_book_notes_part(struct pg_doc *doc, const struct book *b);
/* Whether page pg prints its folio and running head by its part's kind
 * (a dedication, epigraph, divider or colophon does not). */
bool pg_kind_folio(const struct book *b, const struct pg_page *pg);
/* Nests the outline entries of parts under a divider one level down. */
void pg_kinds_outline(struct pg_doc *doc, const struct book *b);

#endif
