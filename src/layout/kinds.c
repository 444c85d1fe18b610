/*
 * kinds.c (layout) - the print edition's side of the book model
 * (src/book/kinds.h): the openings of the kinds that are not set as an
 * essay is (a dedication or epigraph alone on its page, a part divider's
 * "Part II" and title on a recto, a half-title, the colophon), which pages
 * print folios and running heads, the outline nested under part dividers,
 * and notes set at the end of a part or of the book ('notes: place:')
 * with their references linked to them.
 */
#include "kinds.h"
#include "../book/kinds.h"

#include <stdlib.h>
#include <string.h>

/* ===== openings ======================================================== */

/* Marks lines [first, c->nlines) as a part's opening: a new recto, an
 * outline entry, no running head, kept together. */
static void opening(struct composer *c, size_t first, const char *outline)
{
	if (c->nlines <= first)
		return;
	c->lines[first].new_page = true;
	c->lines[first].outline = outline;
	c->lines[first].outline_level = 1;
	for (size_t i = first; i < c->nlines; i++) {
		c->lines[i].keep_next = i + 1 < c->nlines;
		c->lines[i].opener = true;
		c->lines[i].span = NULL;
	}
}

/* The blocks of v centred (paragraphs and line blocks; italic when
 * italic), the rest as they are. Returns the space owed after. */
static double centred_blocks(struct composer *c, const struct bk_block *v, size_t n,
			     double space, bool italic)
{
	const struct bk_style *st = c->st;
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		c->cur_block = b;
		if (b->kind == BK_PARA || b->kind == BK_LINES) {
			cp_set_spans(c, b->spans, b->nspans, italic ? TX_ITALIC : TX_REGULAR,
				     st->body_size, st->body_leading, 0, c->measure, 0, false, true,
				     space);
			space = st->body_leading * 0.5;
		} else if (b->kind == BK_DIV) {
			space = centred_blocks(c, b->kids, b->nkids, space, italic);
		} else {
			space = cp_set_blocks_at(c, b, 1, 0, c->measure, space, st->body_size,
						 st->body_leading, false);
		}
	}
	return space;
}

bool cp_kind_part(struct composer *c, const struct bk_part *p, double sink)
{
	const struct bk_kind *k = bk_kind_of(p->kind);
	if (!k->centred)
		return false;
	const struct bk_style *st = c->st;
	const struct book *b = c->b;
	c->cur_block = p->nblocks ? &p->blocks[0] : NULL;
	size_t first = c->nlines;
	double drop = sink * 1.8; /* a third of the way down */
	switch (p->kind) {
	case BK_PART_DIVIDER: {
		/* "Part II", the title below it, then any text of its own. */
		cp_set_text(c, p->label, TX_REGULAR, st->h2_size, st->h2_size * 1.4, 0, c->measure,
			    false, true, drop);
		cp_tag_lines(c, first, p, PG_ROLE_H1);
		bool own = strcmp(p->title, bk_kind_title(c->b, p->kind)) != 0;
		if (own) {
			size_t at = c->nlines;
			cp_set_text(c, p->title, TX_REGULAR, st->title_size, st->title_size * 1.25, 0,
				    c->measure, false, true, st->body_leading);
			cp_tag_lines(c, at, p, PG_ROLE_H1);
		}
		if (p->subtitle) {
			size_t at = c->nlines;
			cp_set_text(c, p->subtitle, TX_ITALIC, st->body_size * 1.15,
				    st->body_leading * 1.15, 0, c->measure, false, true,
				    st->body_leading * 0.5);
			cp_tag_lines(c, at, p->subtitle, PG_ROLE_P);
		}
		opening(c, first,
			own ? ar_printf(&c->doc->arena, "%s%s%s", p->label, bk_title_colon(b),
					p->title)
			    : p->label);
		size_t body = c->nlines;
		centred_blocks(c, p->blocks, p->nblocks, st->body_leading * 3, false);
		for (size_t i = body; i < c->nlines; i++)
			c->lines[i].opener = true; /* the divider's page has no head */
		return true;
	}
	case BK_PART_HALF_TITLE:
		cp_set_text(c, p->title, TX_REGULAR, st->title_size, st->title_size * 1.3, 0,
			    c->measure, false, true, sink * 1.2);
		cp_tag_lines(c, first, p, PG_ROLE_H1);
		opening(c, first, p->title);
		centred_blocks(c, p->blocks, p->nblocks, st->body_leading * 2, false);
		return true;
	default:
		/* Dedication, epigraph, colophon: the text alone, centred (the
		 * dedication and epigraph in italic), its title unprinted. */
		centred_blocks(c, p->blocks, p->nblocks, p->kind == BK_PART_COLOPHON ? drop * 1.5
										     : drop,
			       p->kind != BK_PART_COLOPHON);
		if (c->nlines > first) {
			c->lines[first].new_page = true;
			c->lines[first].outline = p->title;
			c->lines[first].outline_level = 1;
			for (size_t i = first; i < c->nlines; i++)
				c->lines[i].opener = true;
		}
		return true;
	}
}

/* ===== end-notes ======================================================= */

/* Sets part p's notes below a heading at note size, numbered as in the
 * text; the label of each is tagged with its note, which is how
 * pg_note_links finds where it went. */
static void notes_of(struct composer *c, const struct bk_part *p, const char *heading,
		     double size, double space, int level)
{
	const struct bk_style *st = c->st;
	size_t first = c->nlines;
	cp_set_text(c, heading, TX_REGULAR, size, size * 1.3, 0, c->measure, true, false, space);
	cp_tag_lines(c, first, heading, PG_ROLE_P);
	/* A page that begins at the heading begins, for the EPUB's page
	 * list, where the first note does. */
	const struct bk_block *b0 = p->nnotes && p->notes[0].nkids ? &p->notes[0].kids[0] : NULL;
	const struct bk_span *s0 = b0 && b0->kind == BK_PARA && b0->nspans ? &b0->spans[0] : NULL;
	if (c->nlines > first) {
		c->lines[first].outline = heading;
		c->lines[first].outline_level = level;
		for (size_t i = first; i < c->nlines; i++) {
			c->lines[i].keep_next = true;
			c->lines[i].span = s0;
			c->lines[i].span_off = 0;
			c->lines[i].block = s0 ? NULL : b0;
		}
	}
	for (size_t i = 0; i < p->nnotes; i++) {
		size_t at = c->nlines;
		cp_set_note(c, &p->notes[i]);
		if (c->nlines > at)
			c->lines[at].space += i == 0 ? st->note_leading * 0.5 : st->note_leading * 0.3;
	}
}

void cp_end_notes(struct composer *c, const struct bk_part *p)
{
	if (c->st->notes != BK_NOTES_CHAPTER_END || !p->nnotes)
		return;
	notes_of(c, p, bk_kind_title(c->b, BK_NPART_KINDS), c->st->h2_size, c->st->body_leading * 2,
		 2);
}

void cp_set_part_by_kind(struct composer *c, const struct bk_part *p, double sink)
{
	if (cp_kind_part(c, p, sink))
		return;
	cp_set_part(c, p, sink);
	cp_end_notes(c, p);
}

size_t cp_book_notes(struct composer *c)
{
	const struct book *b = c->b;
	if (b->style.notes != BK_NOTES_BOOK_END)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < b->nparts; i++)
		n += b->parts[i].nnotes;
	if (!n)
		return 0;
	const struct bk_style *st = c->st;
	const char *title = bk_kind_title(b, BK_NPART_KINDS);
	/* The section's own opening: of no part (the last one set is done). */
	c->part = NULL;
	c->part_index = -1;
	size_t first = c->nlines;
	cp_set_text(c, title, TX_REGULAR, st->title_size, st->title_size * 1.25, 0, c->measure,
		    false, true, (st->page_h - st->margin_top - st->margin_bottom) * 0.18);
	cp_tag_lines(c, first, title, PG_ROLE_H1);
	opening(c, first, title);
	size_t *order = bk_reading_order(b);
	for (size_t r = 0; r < b->nparts; r++) {
		const struct bk_part *p = &b->parts[order[r]];
		if (!p->nnotes)
			continue;
		/* The part's own links and notes while its notes are set. */
		c->part = p;
		c->part_index = (int)order[r];
		notes_of(c, p, p->title, st->h3_size > 0 ? st->h3_size : st->body_size,
			 st->body_leading * 1.5, 2);
	}
	free(order);
	c->part = NULL;
	c->part_index = -1;
	return c->nlines - first;
}

/* ===== after the pages are made ======================================== */

void pg_note_links(struct pg_doc *doc, const struct book *b)
{
	/* Where each note's label went: the first text tagged with it. */
	size_t total = 0;
	for (size_t i = 0; i < b->nparts; i++)
		total += b->parts[i].nnotes;
	if (b->style.notes == BK_NOTES_FOOT || !total) {
		for (size_t pi = 0; pi < doc->npages; pi++)
			for (size_t k = 0; k < doc->pages[pi].nlinks; k++)
				if (doc->pages[pi].links[k].dest_page < -1)
					doc->pages[pi].links[k].dest_page = -1;
		return;
	}
	struct at {
		int page;
		double y;
	} *at = xcalloc(total + 1, sizeof(*at));
	size_t *base = xcalloc(b->nparts + 1, sizeof(*base));
	for (size_t i = 0, n = 0; i < b->nparts; i++) {
		base[i] = n;
		n += b->parts[i].nnotes;
	}
	for (size_t i = 0; i < total; i++)
		at[i].page = -1;
	for (size_t pi = 0; pi < doc->npages; pi++) {
		const struct pg_page *pg = &doc->pages[pi];
		for (size_t t = 0; t < pg->ntags; t++) {
			const struct pg_tag *tg = &pg->tags[t];
			if (tg->role != PG_ROLE_LABEL || !tg->tag || tg->from >= pg->ntexts)
				continue;
			for (size_t i = 0; i < b->nparts; i++) {
				const struct bk_part *p = &b->parts[i];
				if (!p->nnotes || (const struct bk_note *)tg->tag < p->notes ||
				    (const struct bk_note *)tg->tag >= p->notes + p->nnotes)
					continue;
				size_t k = base[i] + (size_t)((const struct bk_note *)tg->tag - p->notes);
				if (at[k].page < 0) {
					at[k].page = (int)pi;
					at[k].y = pg->texts[tg->from].y + pg->texts[tg->from].size;
				}
			}
		}
	}
	for (size_t pi = 0; pi < doc->npages; pi++) {
		struct pg_page *pg = &doc->pages[pi];
		for (size_t k = 0; k < pg->nlinks; k++) {
			struct pg_link *ln = &pg->links[k];
			if (ln->dest_page >= -1)
				continue;
			int note = -2 - ln->dest_page;
			ln->dest_page = -1;
			if (pg->part < 0 || (size_t)note >= b->parts[pg->part].nnotes)
				continue;
			const struct at *a = &at[base[pg->part] + (size_t)note];
			ln->dest_page = a->page;
			ln->dest_y = a->y;
		}
	}
	free(at);
	free(base);
}

/* The part whose notes hold span s (in a top-level paragraph of a note),
 * or -1. */
static int part_of_note_span(const struct book *b, const struct bk_span *s)
{
	for (size_t i = 0; i < b->nparts; i++)
		for (size_t n = 0; n < b->parts[i].nnotes; n++) {
			const struct bk_note *nt = &b->parts[i].notes[n];
			for (size_t k = 0; k < nt->nkids; k++)
				if (s >= nt->kids[k].spans && s < nt->kids[k].spans + nt->kids[k].nspans)
					return (int)i;
		}
	return -1;
}

void pg_book_notes_marks(struct pg_doc *doc, const struct book *b)
{
	if (b->style.notes != BK_NOTES_BOOK_END)
		return;
	int last = -1;
	for (size_t i = (size_t)doc->front_pages; i < doc->nmarks; i++) {
		struct pg_pagemark *m = &doc->marks[i];
		if (m->part >= 0) {
			last = -1;
			continue;
		}
		/* After the front matter, a page of no part that holds text is
		 * the Notes'; a blank one before such a page is the verso
		 * before their opening. */
		m->notes = doc->pages[i].ntexts > 0 ||
			   (i + 1 < doc->nmarks && doc->marks[i + 1].part < 0 &&
			    doc->pages[i + 1].ntexts > 0);
		if (!m->notes)
			continue;
		int p = m->span ? part_of_note_span(b, m->span) : -1;
		if (p < 0 && m->block)
			for (size_t k = 0; k < b->nparts && p < 0; k++)
				for (size_t n = 0; n < b->parts[k].nnotes && p < 0; n++)
					if (m->block == b->parts[k].notes[n].kids)
						p = (int)k;
		if (p >= 0)
			last = p;
		m->part = last;
	}
}

int pg_book_notes_page(const struct pg_doc *doc, size_t at)
{
	for (size_t i = at; i < doc->npages; i++)
		if (doc->pages[i].ntexts)
			return (int)i;
	return -1;
}

const struct bk_part *pg_book_notes_part(struct pg_doc *doc, const struct book *b)
{
	struct bk_part *p = ar_alloc(&doc->arena, sizeof(*p));
	memset(p, 0, sizeof(*p));
	p->title = bk_kind_title(b, BK_NPART_KINDS);
	p->id = "notes";
	return p;
}

bool pg_kind_folio(const struct book *b, const struct pg_page *pg)
{
	return pg->part < 0 || bk_kind_of(b->parts[pg->part].kind)->folio;
}

void pg_kinds_outline(struct pg_doc *doc, const struct book *b)
{
	for (size_t i = 0; i < doc->noutline; i++) {
		struct pg_outline *o = &doc->outline[i];
		int part = doc->pages[o->page].part;
		if (part >= 0 && b->parts[part].under)
			o->level++;
	}
}
