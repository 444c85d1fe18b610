/*
 * labels.c - room for the labels hung to the left of their text: a
 * footnote's number and a list item's marker.
 *
 * A label hangs in an indent of fixed width, its text set after it. The
 * style's indents (1.6 em of the note size for notes, the quote indent for
 * lists) hold a label of two figures; a longer one ("100", "10.", "105.")
 * would run into its text or out of the text block into the margin. So
 * the indent grows, where it must, to the widest label it holds plus the
 * gap a label keeps from its text: for notes, the widest number of the
 * book's notes (so every note of the book hangs alike, as a designer
 * sets them); for a list, the widest marker of that list, as CSS's
 * list-style-position: outside does with padding enough for its markers.
 * Widths are the shaped labels' own, in the face and size they are set,
 * so any font's figures (tabular, proportional, old-style) are allowed for.
 */
#include "layout-int.h"

#include <stdio.h>
#include <string.h>

/* Between a note's number and its text: what the 1.6 em indent leaves
 * after two figures of the book's face (Charis: 0.48 em), a little less,
 * so that a book whose labels fit keeps the indent it had. */
#define NOTE_GAP 0.45
/* Between a list's marker and its item's text, as the markers were set. */
#define LIST_GAP 0.5

/* The width of the label text at size in the regular face. */
static double label_width(struct composer *c, const char *text, double size)
{
	const struct tx_word *w = tx_shape(c->f, TX_REGULAR, text, strlen(text));
	return cp_word_width(w, size);
}

double cp_note_hang(struct composer *c)
{
	double size = c->st->note_size, hang = size * 1.6;
	if (c->note_hang > 0)
		return c->note_hang;
	int most = 0;
	for (size_t p = 0; p < c->b->nparts; p++) {
		const struct bk_part *part = &c->b->parts[p];
		for (size_t i = 0; i < part->nnotes; i++)
			if (part->notes[i].number > most)
				most = part->notes[i].number;
	}
	for (int n = 1; n <= most; n++) {
		char num[16];
		snprintf(num, sizeof(num), "%d", n);
		double w = label_width(c, num, size) + size * NOTE_GAP;
		hang = w > hang ? w : hang;
	}
	c->note_hang = hang;
	return hang;
}

/* The marker of the item whose number is num: "num." in an ordered list,
 * a bullet in another. */
void cp_list_marker(const struct bk_block *list, int num, char *out, size_t cap)
{
	if (list->flags & BK_ORDERED)
		snprintf(out, cap, "%d.", num);
	else
		snprintf(out, cap, "\xE2\x80\xA2"); /* bullet */
}

double cp_list_indent(struct composer *c, const struct bk_block *list, double size)
{
	double ind = c->st->quote_indent;
	int num = list->flags & BK_ORDERED ? list->level : 0;
	size_t n = list->flags & BK_ORDERED ? list->nkids : (list->nkids > 0);
	for (size_t i = 0; i < n; i++) {
		char mark[24];
		cp_list_marker(list, num + (int)i, mark, sizeof(mark));
		double w = label_width(c, mark, size) + size * LIST_GAP;
		ind = w > ind ? w : ind;
	}
	/* A task's box (compose.c task_box): the marker of a bulleted item,
	 * after the number of a numbered one. */
	for (size_t i = 0; i < list->nkids; i++)
		if (list->kids[i].flags & BK_TASK) {
			double w = list->flags & BK_ORDERED ? ind + size * CP_TASK_BOX
							    : size * (CP_TASK_BOX + LIST_GAP);
			ind = w > ind ? w : ind;
			break;
		}
	return ind;
}
