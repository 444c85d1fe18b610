/*
 * notes.c (epub) - where the book-end notes go in the EPUB and how they
 * are named (notes.h): one document, text/notes.xhtml, at the print
 * Notes section's place in the spine, the nav and the NCX; each part's
 * notes a list of its own (id "notes-ID"), each note "ID-note-N", so that
 * the parts' numbers, which start afresh in each, stay apart. The
 * document itself is written beside the parts in xhtml.c (epub_notes).
 */
#include "notes.h"
#include "../book/kinds.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void epub_notes_plan(struct epub *e)
{
	const struct book *b = e->b;
	size_t *order = bk_reading_order(b);
	e->notes_at = bk_book_notes_at(b, order);
	e->notes_doc = e->notes_at != SIZE_MAX;
	free(order);
}

bool epub_notes_doc(const struct epub *e)
{
	return e->notes_doc;
}

bool epub_notes_here(const struct epub *e, size_t i)
{
	return e->notes_doc && e->notes_at == i;
}

const char *epub_note_href(struct epub *e, const struct bk_part *p, int num)
{
	if (!epub_notes_doc(e))
		return ar_printf(&e->arena, "#note-%d", num);
	return ar_printf(&e->arena, "notes.xhtml#%s-note-%d", p->id, num);
}

const char *epub_note_id(struct epub *e, const struct bk_part *p, int num)
{
	if (!epub_notes_doc(e))
		return ar_printf(&e->arena, "note-%d", num);
	return ar_printf(&e->arena, "%s-note-%d", p->id, num);
}

const char *epub_note_backlink(struct epub *e, const struct bk_part *p, int num)
{
	if (!epub_notes_doc(e))
		return ar_printf(&e->arena, "#noteref-%d", num);
	/* Both documents are in text/: the part's file name alone. */
	const char *file = epub_part_file(e, p);
	const char *slash = strrchr(file, '/');
	return ar_printf(&e->arena, "%s#noteref-%d", slash ? slash + 1 : file, num);
}

const char *epub_notes_part_id(struct epub *e, const struct bk_part *p)
{
	return ar_printf(&e->arena, "notes-%s", p->id);
}

static void refs_in(const struct bk_span *s, size_t n, bool *ref, size_t nnotes)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].kind == BK_SPAN_NOTEREF && s[i].note >= 0 && (size_t)s[i].note < nnotes)
			ref[s[i].note] = true;
}

static void refs_of(const struct bk_block *v, size_t n, bool *ref, size_t nnotes)
{
	for (size_t i = 0; i < n; i++) {
		refs_in(v[i].spans, v[i].nspans, ref, nnotes);
		refs_in(v[i].caption, v[i].ncaption, ref, nnotes);
		refs_of(v[i].kids, v[i].nkids, ref, nnotes);
	}
}

void epub_notes_referenced(const struct bk_part *p, bool *ref)
{
	refs_of(p->blocks, p->nblocks, ref, p->nnotes);
}

void epub_notes_nav(struct epub *e, struct strbuf *sb)
{
	const struct book *b = e->b;
	sb_adds(sb, "<li><a href=\"" EPUB_NOTES_FILE "\">");
	epub_add_prose(sb, bk_kind_title(b, BK_NPART_KINDS));
	sb_adds(sb, "</a>\n<ol>\n");
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = e->reading[i];
		if (!p->nnotes)
			continue;
		sb_adds(sb, "<li><a href=\"" EPUB_NOTES_FILE "#");
		epub_add_str(sb, epub_notes_part_id(e, p));
		sb_adds(sb, "\">");
		epub_add_prose(sb, epub_part_title(p));
		sb_adds(sb, "</a></li>\n");
	}
	sb_adds(sb, "</ol>\n</li>\n");
}

void epub_notes_landmark(struct epub *e, struct strbuf *sb)
{
	sb_adds(sb, "<li><a epub:type=\"endnotes\" href=\"" EPUB_NOTES_FILE "\">");
	epub_add_str(sb, bk_kind_title(e->b, BK_NPART_KINDS));
	sb_adds(sb, "</a></li>\n");
}
