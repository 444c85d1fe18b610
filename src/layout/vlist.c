/*
 * vlist.c - the vertical list: a part set as lines (struct vline), each
 * holding its drawing operations relative to its own baseline, which the
 * page builder stacks onto pages. What every setter of lines shares:
 * compose.c's paragraphs and blocks, code.c's code lines, page.c's
 * notes and folios. (Apart from compose.c so that code.c, which compose.c
 * calls, needs nothing back from it.)
 */
#include "layout-int.h"

#include <stdlib.h>
#include <string.h>

/* Gives back the room l->ops grew into and does not use: a part's lines
 * all wait for its pages, and doubling leaves a third of it empty. The
 * ops move to a block of their size and the grown one is freed whole,
 * for the next line to grow in: shrunk in place (realloc), each line
 * left its unused tail as a hole between the kept blocks, too small for
 * the next line's (a 2 MB essay's peak RSS 0.7 MB more). */
static void trim_ops(struct vline *l)
{
	if (l->ops_cap == l->nops)
		return;
	if (l->nops) {
		struct op *ops = xmalloc(l->nops * sizeof(*ops));
		memcpy(ops, l->ops, l->nops * sizeof(*ops));
		free(l->ops);
		l->ops = ops;
	} else {
		free(l->ops);
		l->ops = NULL;
	}
	l->ops_cap = l->nops;
}

struct vline *cp_new_line(struct composer *c, double advance, double space)
{
	if (c->nlines)
		trim_ops(&c->lines[c->nlines - 1]); /* done with, as a rule */
	GROW(c->lines, c->lines_cap, c->nlines + 1);
	struct vline *l = &c->lines[c->nlines++];
	memset(l, 0, sizeof(*l));
	l->advance = advance;
	l->space = space;
	l->depth = advance * 0.3;
	l->info = -1;
	l->block = c->cur_block;
	l->page_break = c->pending_break;
	c->pending_break = false;
	return l;
}

void cp_add_op(struct vline *l, struct op op)
{
	if (!op.tag)
		op.tag = l->block; /* a piece is its block's unless said otherwise */
	GROW(l->ops, l->ops_cap, l->nops + 1);
	l->ops[l->nops++] = op;
}

/* Draws a shaped word's pieces at x on the line. */
void cp_add_word(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
		 double x, double dy)
{
	cp_add_word_scaled(l, w, face, size, x, dy, 1);
}

void cp_add_word_scaled(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
			double x, double dy, double hscale)
{
	for (size_t i = 0; i < w->npieces; i++) {
		(void)face; /* each piece says its own: a fallback font's, or face */
		const struct tx_piece *pc = &w->pieces[i];
		struct op op = {.kind = OP_TEXT, .face = pc->face, .size = size,
				.x = x + pc->x * size / 1000 * hscale, .dy = dy,
				.text = pc->text, .len = (uint32_t)pc->len,
				.hscale = (float)hscale,
				.flags = (uint8_t)((pc->synth & TX_SYNTH_BOLD ? PG_BOLD : 0) |
						   (pc->synth & TX_SYNTH_SLANT ? PG_SLANT : 0))};
		cp_add_op(l, op);
	}
}

double cp_word_width(const struct tx_word *w, double size)
{
	return w->width * size / 1000;
}

void cp_free_lines(struct composer *c, size_t from)
{
	for (size_t i = from; i < c->nlines; i++) {
		free(c->lines[i].ops);
		free(c->lines[i].more_info);
		free(c->lines[i].notes);
		for (uint32_t k = 0; k < c->lines[i].ncont; k++)
			free(c->lines[i].cont[k].ops);
		free(c->lines[i].cont);
	}
	c->nlines = from;
}
