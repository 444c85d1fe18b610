/*
 * bidi.c - a line of mixed directions put in visual order.
 *
 * Each word was shaped in its own direction (text/shape.c), so a word is
 * already in visual order within itself; here the runs of a line are.
 * The paragraph's embedding levels come from FriBidi over its whole text
 * (compose.c's para_bidi, text/bidi.c): a word whose characters take two
 * levels ("2024," in a Hebrew sentence) is drawn in runs of one level
 * each. Each line is then put in visual order by FriBidi's reordering
 * (rules L1, L2), the runs moved with the spaces between them, and a
 * right-to-left paragraph's lines are mirrored in the whole measure, so
 * that its indent is at the right and its last line ends at the right
 * margin.
 */
#include "layout-int.h"

#include <assert.h>
#include <stdint.h>
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

void cp_bidi_line(struct vline *l, const struct cp_bidi_box *bx, size_t n,
		  const struct tx_bidi *b, double left, double right, struct arena *a)
{
	if (!n || bx[n - 1].c1 <= bx[0].c0)
		return;
	size_t from = bx[0].c0, len = bx[n - 1].c1 - from;
	int32_t *map = ar_alloc(a, len * sizeof(*map));
	if (tx_bidi_line(b, from, from + len, map, a) == 0 && !b->rtl)
		return; /* all at level 0: as drawn */
	/* Each character's run; a run's characters share one level, so
	 * they stay together in the visual order. */
	size_t *run = ar_alloc(a, len * sizeof(*run));
	for (size_t e = 0; e < n; e++) {
		assert(bx[e].c1 > bx[e].c0 && (e == 0 || bx[e].c0 == bx[e - 1].c1));
		for (size_t i = bx[e].c0; i < bx[e].c1; i++)
			run[i - from] = e;
	}
	/* The runs side by side from the line's start: its left end, or for
	 * a right-to-left paragraph the mirror of its right end, so that the
	 * indent is at the right and a last line ends at the right margin. */
	double end = bx[n - 1].x + bx[n - 1].w;
	double at = b->rtl && right > left ? left + right - end : bx[0].x;
	for (size_t v = 0, last = SIZE_MAX; v < len; v++) {
		size_t e = run[map[v] - (int32_t)from];
		if (e == last)
			continue;
		last = e;
		double d = at - bx[e].x;
		for (size_t o = bx[e].op0; o < bx[e].op1; o++)
			l->ops[o].x += d;
		at += bx[e].w;
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
