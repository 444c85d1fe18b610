/*
 * cut.c - where a line may break inside a word that no rule lets break,
 * and the warnings for the places it had to.
 *
 * Inline code breaks after its own punctuation and between the words of
 * a name in camel case (cp_code_break_at), never with a hyphen. Ordinary
 * words break at spaces, their hyphens and dashes, and at hyphenation
 * points. What is left is a run of boxes with no legal breakpoint between
 * them (TeX's term: no penalty below +infinity and no glue) that is wider
 * than the line: a 120-character token, "(packageURL," after a bold name
 * in another face, a name in a cell narrower than it. (A name from code
 * in prose, READ_PACKAGE_JSON or "{string|Buffer}", breaks as inline code
 * does: compose.c's code_name.) TeX would set
 * it overfull, past the margin. octavo sets the paragraph again, the
 * emergency pass's runs that are too wide given emergency breaks
 * (cp_cut_points): first at their punctuation, between the words of a
 * name and between their spans (level 1); where a line is still too wide,
 * between any two characters (level 2), with a hyphen in prose and the
 * code blocks' continuation mark in code. Each is a forced break: its
 * line is counted (struct pg_line's cut), outlined by 'octavo proof' and
 * told at the file:line:col of the break (cp_note_cut, cp_tell_cuts).
 */
#include "layout-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ===== inline code ====================================================== */

/* After these code may break; not before the second set, so that "::",
 * "->" and "()" stay whole. */
static const char code_after[] = "_./(),:;=&?[{-";
static const char code_operator[] = "_./(),:;=&?[]{}-<>!*+|%'\"";
/* An emergency break may also follow a bar, as between the types of a
 * union ("{string|Buffer|TypedArray}"). */
static const char cut_after[] = "_./(),:;=&?[{-|";

static bool in_set(const char *set, char ch)
{
	return ch && strchr(set, ch);
}

static bool lower(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static bool upper(char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

static bool digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Whether code may break between s[i - 1] and s[i] at its punctuation
 * (one of after): when a letter, digit or opening mark follows, and not
 * inside a number ("4.567", "10,000"). */
static bool punct_at(const char *after, const char *s, size_t n, size_t i)
{
	if (i == 0 || i >= n || !in_set(after, s[i - 1]) || in_set(code_operator, s[i]))
		return false;
	return !((s[i - 1] == '.' || s[i - 1] == ',') && i >= 2 && digit(s[i - 2]) && digit(s[i]));
}

/* Whether the punctuation that ends at s[i - 1] opens a word: a run that
 * begins the word ("--" of "--continue", "../" of "../lib", "__" of
 * "__init__", "::" of "::before"), or, after other punctuation, dashes
 * ("(--" of "fn(--flag)", "=-" of "x=-1") or a path's start ("=../" of
 * "--prefix=../lib"). Code may break after punctuation that ends a word
 * ("org.", "fn(", "std::", "a-", "then().", "path/"), never after
 * punctuation that opens one, which would be left alone at the end of the
 * line ("git cherry-pick --" / "continue"). s begins a word or a piece
 * after an allowed break, which begins with no such punctuation. */
static bool opens_word(const char *s, size_t i)
{
	size_t j = i;
	while (j > 0 && s[j - 1] == '-')
		j--;
	if (j == i && s[i - 1] == '/')
		while (j > 0 && (s[j - 1] == '.' || s[j - 1] == '/'))
			j--;
	if (j < i && j > 0 && in_set(code_operator, s[j - 1]))
		return true;
	while (i > 0 && in_set(code_operator, s[i - 1]))
		i--;
	return i == 0;
}

/* The first place code_punct_at allows, its piece at least two bytes
 * long and not all punctuation; 0 for none. */
static size_t code_break_after(const char *s, size_t n)
{
	for (size_t i = 2; i < n; i++)
		if (punct_at(code_after, s, n, i) && !opens_word(s, i))
			return i;
	return 0;
}

size_t cp_code_break_at(const char *s, size_t n, bool *camel)
{
	size_t p = code_break_after(s, n);
	*camel = false;
	for (size_t i = 3; i + 3 <= n && (!p || i < p); i++)
		if (lower(s[i - 1]) && upper(s[i])) {
			*camel = true;
			return i;
		}
	return p;
}

/* ===== emergency breaks ================================================= */

size_t cp_cut_points(const char *s, size_t n, int level, struct cp_cut *pts, size_t max)
{
	size_t k = 0;
	uint32_t before = 0;
	for (size_t i = 0; i < n && k < max;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (m <= 0)
			cp = 0xFFFD, m = 1;
		/* Never before a combining mark, a variation selector or a
		 * joiner, nor after a joiner: they belong to the character. */
		if (i > 0 && before != 0x200D && !tx_joins_previous(cp)) {
			if (punct_at(cut_after, s, n, i))
				pts[k++] = (struct cp_cut){i, CP_CUT_SOFT};
			else if (i >= 2 && i + 2 <= n && lower(s[i - 1]) && upper(s[i]))
				pts[k++] = (struct cp_cut){i, CP_CUT_NAME};
			else if (level >= 2)
				pts[k++] = (struct cp_cut){i, CP_CUT_CHAR};
		}
		before = cp;
		i += (size_t)m;
	}
	return k;
}

bool cp_cut_between(char last, char first)
{
	/* no line starts with closing punctuation, none ends with an
	 * opening bracket */
	return !in_set(",.;:!?)]}'\"", first) && !in_set("([{", last);
}

/* ===== the runs too wide for the line =================================== */

/* Whether item i is a legal breakpoint in the emergency pass (as
 * linebreak.c's is_legal with hyphenation on). */
static bool legal(const struct lb_item *items, size_t i)
{
	if (items[i].kind == LB_PENALTY)
		return items[i].penalty < LB_INFINITY;
	return items[i].kind == LB_GLUE && i > 0 && items[i - 1].kind == LB_BOX;
}

bool cp_overfull(const struct lb_result *res)
{
	for (size_t l = 0; l < res->nlines; l++)
		if (res->ratios[l] < -1)
			return true;
	return false;
}

size_t *cp_wide_runs(const struct lb_item *items, size_t n, const struct lb_result *res,
		     double width, size_t *count)
{
	size_t *out = NULL, nout = 0, cap = 0;
	for (size_t l = 0; l < res->nlines; l++) {
		if (!(res->ratios[l] < -1))
			continue;
		size_t start = l ? res->breaks[l - 1] + 1 : 0, end = res->breaks[l];
		size_t before = nout;
		/* Each run between legal breakpoints: its boxes, and the glue
		 * that cannot break (a tie), and a hyphen if it ends at one. */
		size_t from = start;
		double w = 0;
		for (size_t i = start; i <= end && i < n; i++) {
			bool at = i == end || legal(items, i);
			if (!at) {
				if (items[i].kind != LB_PENALTY)
					w += items[i].width;
				continue;
			}
			double whole = w + (items[i].kind == LB_PENALTY ? items[i].width : 0);
			if (whole > width + 0.01)
				for (size_t j = from; j < i; j++)
					if (items[j].kind == LB_BOX) {
						GROW(out, cap, nout + 1);
						out[nout++] = j;
					}
			from = i + 1;
			w = 0;
		}
		if (nout == before) /* overfull with no run too wide: all its boxes */
			for (size_t j = start; j < end && j < n; j++)
				if (items[j].kind == LB_BOX) {
					GROW(out, cap, nout + 1);
					out[nout++] = j;
				}
	}
	*count = nout;
	return out;
}

/* ===== warnings ========================================================== */

/* Past this many, a book's forced breaks are one finding, as code.c's
 * wrapped lines are. */
#define CUTS_TOLD 50

void cp_note_cut(struct composer *c, const struct bk_span *sp, size_t off, int line, bool mark)
{
	if (!c->part || c->again || !sp || sp->kind != BK_SPAN_TEXT || off > sp->len)
		return;
	/* The word around the break, within its span: at most 64 bytes
	 * either side (a 200 KB word is broken on every line; its message
	 * shows 40), so that noting each break costs the same. */
	size_t a = off, b = off;
	while (a > 0 && off - a < 64 && sp->text[a - 1] != ' ' && sp->text[a - 1] != '\n')
		a--;
	while (a > 0 && a < off && ((unsigned char)sp->text[a] & 0xC0) == 0x80)
		a++;
	while (b < sp->len && b - off < 64 && sp->text[b] != ' ' && sp->text[b] != '\n')
		b++;
	/* the same place noted again (a paragraph set twice): among the last */
	for (size_t k = c->nwraps, seen = 0; k-- > 0 && seen < 16 && c->wraps[k].path == c->part->path;
	     seen++)
		if (c->wraps[k].span == sp && c->wraps[k].off == off)
			return;
	GROW(c->wraps, c->wraps_cap, c->nwraps + 1);
	/* (its column is counted when it is told: cp_tell_cuts) */
	c->wraps[c->nwraps++] = (struct cp_wrap){.path = c->part->path, .line = line,
						 .chars = b - a, .at = off - a, .text = sp->text + a,
						 .mark = mark, .span = sp, .off = off};
}

/* A word for a message: at most 40 bytes of it, cut at a character. */
static int shown(const char *s, size_t n)
{
	if (n <= 40)
		return (int)n;
	size_t k = 40;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return (int)k;
}

/* The column of w's break: its span's, plus the characters before it (a
 * span over several lines: 1, on the break's line). */
static int cut_col(const struct cp_wrap *w)
{
	const struct bk_span *sp = w->span;
	if (sp->line != w->line)
		return 1;
	int col = sp->col;
	for (size_t q = 0; q < w->off; q++)
		col += ((unsigned char)sp->text[q] & 0xC0) != 0x80;
	return col;
}

void cp_tell_cuts(struct composer *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nwraps; i++)
		n += c->wraps[i].text != NULL;
	for (size_t i = 0; i < c->nwraps; i++) {
		struct cp_wrap *w = &c->wraps[i];
		if (!w->text)
			continue;
		w->col = cut_col(w);
		if (n > CUTS_TOLD) {
			diag_warning(c->d, w->path, w->line, w->col,
				     "%zu words are broken where no rule allows, the first here: no "
				     "allowed break fits them in the line; 'octavo proof' outlines "
				     "their lines", n);
			return;
		}
		int sw = shown(w->text, w->chars);
		const char *more = (size_t)sw < w->chars ? "..." : "";
		if (w->at == 0)
			diag_warning(c->d, w->path, w->line, w->col,
				     "no allowed break fits '%.*s%s' in the line: the line is broken "
				     "before it, inside a run of text with no space",
				     sw, w->text, more);
		else {
			/* what comes before the break: its last 20 bytes or so */
			size_t from = w->at > 20 ? w->at - 20 : 0;
			while (from > 0 && ((unsigned char)w->text[from] & 0xC0) == 0x80)
				from--;
			diag_warning(c->d, w->path, w->line, w->col,
				     "no allowed break fits '%.*s%s' in the line: broken after "
				     "'%s%.*s'%s, where no rule allows",
				     sw, w->text, more, from ? "..." : "", (int)(w->at - from),
				     w->text + from, w->mark ? " with a continuation mark" : "");
		}
	}
}
