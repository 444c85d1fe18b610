/*
 * kinds.h (epub) - the EPUB's side of the book model (kinds.c; the model
 * is src/book/kinds.h). Private to the epub stage.
 */
#ifndef OCTAVO_EPUB_KINDS_H
#define OCTAVO_EPUB_KINDS_H

#include "epub-int.h"

/* Fills e->reading: the print edition's order (front matter, then main
 * and back matter). */
void epub_reading_order(struct epub *e);
/* Opens p's <section> with its id, class, epub:type and role (and an
 * aria-label where its title is not printed). */
void epub_section_open(struct strbuf *sb, const struct bk_part *p);
/* Writes p's <header> where its kind has one of its own (a divider's
 * "Part II" and title; none on a dedication, epigraph or colophon) and
 * returns true; false for the kinds with an essay's header. */
bool epub_kind_header(struct epub *e, struct strbuf *sb, const struct bk_part *p);
/* A part's entry in the contents: a divider's "Part II: Title". */
const char *epub_nav_title(struct epub *e, const struct bk_part *p);
/* Whether notes are end-notes (an <ol> of epub:type endnote after the
 * text) rather than pop-up footnotes. */
bool epub_endnotes(const struct epub *e);
/* Opens and closes the end-notes' section (a heading "Notes", the list)
 * of part p. */
void epub_endnotes_open(struct epub *e, struct strbuf *sb, const struct bk_part *p);
void epub_endnotes_close(struct strbuf *sb);

#endif
