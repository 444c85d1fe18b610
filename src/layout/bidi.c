/*
 * bidi.c - a line of mixed directions put in visual order.
 *
 * Each word was shaped in its own direction (text/shape.c), so a word is
 * already in visual order within itself; here the words of a line are.
 * The paragraph's direction is its first strong character's (rule P2);
 * each word takes an embedding level from its letters (right-to-left
 * letters odd, left-to-right letters or digits in a right-to-left
 * paragraph 2, punctuation alone the level around it); then rule L2
 * reverses, from the highest level to the lowest odd one, every sequence
 * of words at that level or above. A reversal mirrors the words in the
 * room they take, so the spaces between them go with them; a right-to-
 * left paragraph's lines are mirrored in the whole measure, so that its
 * indent is at the right and its last line ends at the right margin.
 */
#include "layout-int.h"

#include <stdlib.h>
#include <string.h>

bool cp_para_rtl(const struct bk_span *spans, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (spans[i].kind != BK_SPAN_TEXT || !spans[i].len)
			continue;
		int d = tx_direction(spans[i].text, spans[i].len);
		if (d >= 0)
			return d == 1;
	}
	return false;
}

/* Moves boxes [i, j) to their mirror images in [a, b]. */
static void mirror(struct vline *l, struct cp_bidi_box *bx, size_t i, size_t j, double a, double b)
{
	for (size_t k = i; k < j; k++) {
		double nx = a + b - (bx[k].x + bx[k].w);
		double d = nx - bx[k].x;
		for (size_t o = bx[k].op0; o < bx[k].op1; o++)
			l->ops[o].x += d;
		bx[k].x = nx;
	}
	/* The boxes' order in the array follows the line again. */
	for (size_t x = i, y = j - 1; x < y; x++, y--) {
		struct cp_bidi_box t = bx[x];
		bx[x] = bx[y];
		bx[y] = t;
	}
}

void cp_bidi_line(struct vline *l, struct cp_bidi_box *bx, size_t n, bool rtl, double left,
		  double right)
{
	if (!n)
		return;
	int base = rtl ? 1 : 0, hi = base;
	bool any = rtl;
	for (size_t k = 0; k < n; k++) {
		int lv;
		if (bx[k].dir == 1)
			lv = 1, any = true;
		else if (bx[k].dir == 0)
			lv = rtl ? 2 : 0;
		else
			lv = base;
		bx[k].level = lv;
		hi = lv > hi ? lv : hi;
	}
	if (!any)
		return;
	/* Punctuation between two right-to-left words runs with them (N1). */
	for (size_t k = 1; k + 1 < n; k++)
		if (bx[k].dir < 0 && bx[k - 1].level % 2 && bx[k + 1].level % 2)
			bx[k].level = bx[k - 1].level;
	for (int lv = hi; lv >= 1; lv--)
		for (size_t i = 0; i < n;) {
			if (bx[i].level < lv) {
				i++;
				continue;
			}
			size_t j = i;
			double a = bx[i].x, b = bx[i].x + bx[i].w;
			while (j < n && bx[j].level >= lv) {
				a = bx[j].x < a ? bx[j].x : a;
				b = bx[j].x + bx[j].w > b ? bx[j].x + bx[j].w : b;
				j++;
			}
			if (lv == 1 && rtl && i == 0 && j == n && right > left)
				a = left, b = right; /* the whole measure */
			mirror(l, bx, i, j, a, b);
			i = j;
		}
}

/* ===== list items and notes ====================================================== */

bool cp_blocks_rtl(const struct bk_block *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (kids[i].nspans)
			return cp_para_rtl(kids[i].spans, kids[i].nspans);
		if (kids[i].nkids)
			return cp_blocks_rtl(kids[i].kids, kids[i].nkids);
	}
	return false;
}

void cp_rtl_marker(char *mark)
{
	/* "12." as a right-to-left line sets it: the full stop, a neutral at
	 * the line's end, goes to the left of the number (rule N1). */
	size_t n = strlen(mark);
	if (n > 1 && mark[n - 1] == '.') {
		memmove(mark + 1, mark, n - 1);
		mark[0] = '.';
	}
}

void cp_bidi_item(struct vline *lines, size_t n, size_t lab, double x0, double width, double ind,
		  double right)
{
	if (!n)
		return;
	double left = right;
	for (size_t o = lab; o < lines[0].nops; o++)
		left = lines[0].ops[o].x < left ? lines[0].ops[o].x : left;
	/* The label's room [left, right] mirrored in the measure. */
	double d = x0 + x0 + width - right - left;
	for (size_t i = 0; i < n; i++)
		for (size_t o = 0; o < lines[i].nops; o++)
			lines[i].ops[o].x += i == 0 && o >= lab ? d : -ind;
}
