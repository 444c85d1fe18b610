/*
 * tags.c - what each piece on a page is, for a tagged PDF: the layout
 * records where pieces come from (struct pg_tag, layout.h); the pdf
 * stage (src/pdf/tag.c) makes the structure tree from that and the book.
 */
#include "layout-int.h"

void cp_tag_ops(struct vline *l, size_t from, const void *tag, enum pg_role role, int ref)
{
	size_t last = SIZE_MAX;
	for (size_t i = from; i < l->nops; i++) {
		struct op *op = &l->ops[i];
		if (tag)
			op->tag = tag;
		op->role = (uint8_t)role;
		op->ref = ref;
		if (op->kind == OP_TEXT)
			last = i;
	}
	/* A list's mark or a note's number reads as a word of its own. */
	if (role == PG_ROLE_LABEL && last != SIZE_MAX)
		l->ops[last].flags |= PG_SPACE;
}

void cp_tag_lines(struct composer *c, size_t from, const void *tag, enum pg_role role)
{
	for (size_t i = from; i < c->nlines; i++)
		for (size_t k = 0; k < c->lines[i].nops; k++) {
			struct op *op = &c->lines[i].ops[k];
			if (op->role == PG_ROLE_ARTIFACT)
				continue;
			if (tag)
				op->tag = tag;
			if (op->role == PG_ROLE_BODY)
				op->role = (uint8_t)role;
		}
}

void pg_page_tag_lang(struct pg_page *page, const void *tag, enum pg_role role, int ref,
		      uint16_t lang)
{
	if (page->ntags) {
		const struct pg_tag *t = &page->tags[page->ntags - 1];
		if (t->tag == tag && t->role == role && t->ref == ref && t->lang == lang)
			return;
		if (t->from == page->ntexts) { /* an empty run: take its place */
			page->ntags--;
			pg_page_tag_lang(page, tag, role, ref, lang);
			return;
		}
	}
	GROW(page->tags, page->tags_cap, page->ntags + 1);
	page->tags[page->ntags++] =
	    (struct pg_tag){tag, (uint32_t)page->ntexts, ref, (uint8_t)role, lang};
}

void pg_page_tag(struct pg_page *page, const void *tag, enum pg_role role, int ref)
{
	pg_page_tag_lang(page, tag, role, ref, 0);
}
