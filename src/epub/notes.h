/*
 * notes.h (epub) - the book-end notes as one document (notes.c): with the
 * style's 'notes: place: book-end', every part's notes go to
 * text/notes.xhtml, where the print edition has its Notes section (before
 * the contributors, bibliography and colophon, else at the end:
 * bk_book_notes_at), each part's under its title; note references and
 * backlinks cross files. Private to the epub stage.
 *
 * Invariant: e->notes_doc is false (no such document; a zeroed struct
 * epub has none) unless the style says book-end and some part has a
 * note; then e->notes_at is an index into e->reading, or b->nparts for
 * the end.
 */
#ifndef OCTAVO_EPUB_NOTES_H
#define OCTAVO_EPUB_NOTES_H

#include "epub-int.h"

/* The notes document, relative to OEBPS/, and its manifest id. */
#define EPUB_NOTES_FILE "text/notes.xhtml"
#define EPUB_NOTES_ITEM "notes"

/* Sets e->notes_at from the book and e->reading. */
void epub_notes_plan(struct epub *e);
/* Whether the notes document exists, and whether it comes just before
 * e->reading[i] (i == b->nparts: after the last part). */
bool epub_notes_doc(const struct epub *e);
bool epub_notes_here(const struct epub *e, size_t i);

/* The href a reference to note number num of part p takes, from p's own
 * file: "#note-3", or "notes.xhtml#essay-01-note-3". Arena-owned. */
const char *epub_note_href(struct epub *e, const struct bk_part *p, int num);
/* The note's id: "note-3", or in the notes document "essay-01-note-3".
 * Arena-owned. */
const char *epub_note_id(struct epub *e, const struct bk_part *p, int num);
/* The backlink's href from the note to its first reference: "#noteref-3",
 * or "essay-01.xhtml#noteref-3". Arena-owned. */
const char *epub_note_backlink(struct epub *e, const struct bk_part *p, int num);
/* The id of part p's list in the notes document: "notes-essay-01".
 * Arena-owned. */
const char *epub_notes_part_id(struct epub *e, const struct bk_part *p);
/* Sets ref[k] for each of p's notes that its text refers to (ref holds
 * p->nnotes entries, zeroed by the caller): a backlink leads only to a
 * reference that exists. */
void epub_notes_referenced(const struct bk_part *p, bool *ref);

/* The Notes' entry in the nav's contents (an <li> with the parts' lists
 * nested, closed) and in its landmarks. */
void epub_notes_nav(struct epub *e, struct strbuf *sb);
void epub_notes_landmark(struct epub *e, struct strbuf *sb);

/* The notes document (xhtml.c, where the notes are written): a complete
 * XHTML document as a malloc'd buffer the caller frees, length in *len.
 * Called in reading order, at its place among the parts. */
char *epub_notes(struct epub *e, size_t *len);

#endif
