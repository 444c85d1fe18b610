/*
 * kinds.c (epub) - the EPUB's side of the book model (src/book/kinds.h):
 * each part's section carries its kind's epub:type (EPUB 3 Structural
 * Semantics) and DPUB-ARIA role; a part divider's heading holds its label;
 * a dedication, epigraph or colophon has no visible heading (as in print)
 * but its section an aria-label; notes at a part's or book's end are an
 * end-notes list (epub:type endnotes/endnote, role doc-endnotes; the items
 * take no doc-endnote role, which DPUB-ARIA 1.1 deprecates and epubcheck
 * warns of) with backlinks to their references.
 */
#include "kinds.h"
#include "../book/kinds.h"

#include <stdlib.h>
#include <string.h>

void epub_reading_order(struct epub *e)
{
	const struct book *b = e->b;
	size_t *order = bk_reading_order(b);
	for (size_t i = 0; i < b->nparts; i++)
		e->reading[i] = &b->parts[order[i]];
	free(order);
}

void epub_section_open(struct strbuf *sb, const struct bk_part *p)
{
	const struct bk_kind *k = bk_kind_of(p->kind);
	sb_adds(sb, "<section id=\"");
	epub_add_str(sb, p->id);
	/* An essay's class stays "chapter", as the stylesheets know it. */
	sb_addf(sb, "\" class=\"%s\" epub:type=\"%s\"",
		p->kind == BK_PART_ESSAY ? "chapter" : k->name, k->epub_type);
	if (k->role)
		sb_addf(sb, " role=\"%s\"", k->role);
	if (!k->shown_title) {
		sb_adds(sb, " aria-label=\"");
		epub_add_str(sb, p->title);
		sb_addc(sb, '"');
	}
	sb_adds(sb, ">\n");
}

bool epub_kind_header(struct epub *e, struct strbuf *sb, const struct bk_part *p)
{
	const struct bk_kind *k = bk_kind_of(p->kind);
	if (!k->shown_title)
		return true; /* the section's aria-label names it */
	if (p->kind != BK_PART_DIVIDER)
		return false;
	sb_adds(sb, "<header>\n<h2 class=\"title\" epub:type=\"title\"><span class=\"part-label\" "
		    "epub:type=\"label\">");
	epub_add_prose(sb, p->label);
	sb_adds(sb, "</span>");
	if (strcmp(p->title, bk_kind_title(e->b, p->kind)) != 0) {
		sb_adds(sb, "<br/>");
		epub_add_prose(sb, p->title);
	}
	sb_adds(sb, "</h2>\n");
	if (p->subtitle) {
		sb_adds(sb, "<p class=\"subtitle\" epub:type=\"subtitle\" role=\"doc-subtitle\">");
		epub_add_prose(sb, p->subtitle);
		sb_adds(sb, "</p>\n");
	}
	sb_adds(sb, "</header>\n");
	return true;
}

const char *epub_nav_title(struct epub *e, const struct bk_part *p)
{
	if (p->kind != BK_PART_DIVIDER)
		return epub_part_title(p);
	if (!strcmp(p->title, bk_kind_title(e->b, p->kind)))
		return p->label;
	return ar_printf(&e->arena, "%s%s%s", p->label, bk_title_colon(e->b), p->title);
}

bool epub_endnotes(const struct epub *e)
{
	return e->b->style.notes != BK_NOTES_FOOT;
}

void epub_endnotes_open(struct epub *e, struct strbuf *sb, const struct bk_part *p)
{
	sb_adds(sb, "<section class=\"endnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\" "
		    "id=\"");
	epub_add_str(sb, p->id);
	sb_adds(sb, "-notes\">\n<h3>");
	epub_add_prose(sb, bk_kind_title(e->b, BK_NPART_KINDS));
	sb_adds(sb, "</h3>\n<ol class=\"endnotes\">\n");
}

void epub_endnotes_close(struct strbuf *sb)
{
	sb_adds(sb, "</ol>\n</section>\n");
}
