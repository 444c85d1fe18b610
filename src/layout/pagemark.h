/*
 * pagemark.h - the one thing the EPUB takes from the print layout: where
 * each printed page begins in the source. The layout makes the marks
 * (pg_compose, layout.h); the EPUB's page list puts a pagebreak marker at
 * each (epub_write, epub.h). Only the book's types, so that the EPUB
 * stage can say what it needs from the layout without the rest of it.
 */
#ifndef OCTAVO_PAGEMARK_H
#define OCTAVO_PAGEMARK_H

#include "../book/book.h"

/*
 * Where a printed page begins in the source, as the print layout found it:
 * the EPUB's page list puts a pagebreak marker at exactly this place.
 * Exactly one of span and block is set: span and offset (a byte offset
 * into span->text, at a word boundary) when the page begins inside text;
 * block when it begins with a block that has no text of its own (a
 * figure, a table, a rule). part indexes book->parts; front-matter pages
 * the layout made itself (title, copyright, contents) have part -1.
 */
struct pg_pagemark {
	const char *label; /* the printed folio: "iii", "12" */
	int part;
	const struct bk_span *span;
	size_t offset;
	const struct bk_block *block;
	/* A front-matter page the layout made itself (part -1): which it is.
	 * A contents page that begins with an entry: the part (index into
	 * book->parts) whose entry that is, else -1. */
	enum bk_front front;
	int entry;
	/* A page of the book-end Notes section (style 'notes: place:
	 * book-end'): part is then the part whose notes the page begins in,
	 * or -1 for the section's opening (and a blank verso before it). */
	bool notes;
};

#endif
