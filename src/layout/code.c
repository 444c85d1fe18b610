/*
 * code.c - code blocks onto the vertical list, inside the measure.
 *
 * A code line is set whole, in the mono face, where it fits. When some
 * line of a block does not, the whole block steps down in size (one size
 * for the block, so that its columns stay aligned) as far as the style's
 * floor ('code: min-size'); a line still too long is then wrapped: broken
 * after a space or after its own punctuation (_ . / ( ) , : ; = and the
 * like), never inside a name where that can be helped, with no hyphen
 * added, and continued on lines with a hanging indent (the line's own
 * indent plus two characters) behind a continuation mark. Each wrapped
 * line is counted (pg_doc.code_wrapped), recorded for the report and the
 * proof (pg_line.wrapped), and reported as a warning at its file:line:col
 * - the column of the first character that did not fit.
 */
#include "layout-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Characters after which code may break, as inline code may. */
static bool punct(unsigned char ch)
{
	return ch && strchr("_./(),:;=&?[{-", ch);
}

/* Characters that do not start a continuation: a break between two of
 * these would cut an operator ("::", "->", "()", "//"). */
static bool operator_char(unsigned char ch)
{
	return ch && strchr("_./(),:;=&?[]{}-<>!*+|%'\"", ch);
}

/* Whether the line may break between s[i - 1] and s[i] (i < n). */
static bool breakable(const char *s, size_t n, size_t i)
{
	if (i == 0 || i >= n)
		return false;
	unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
	if (a == ' ')
		return b != ' ';
	/* not inside a number: "4.567", "10,000" */
	if ((a == '.' || a == ',') && i >= 2 && s[i - 2] >= '0' && s[i - 2] <= '9' && b >= '0' &&
	    b <= '9')
		return false;
	return punct(a) && b != ' ' && !operator_char(b);
}

/* Bytes in the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s, size_t n)
{
	uint32_t cp;
	int m = utf8_decode((const unsigned char *)s, n, &cp);
	return m > 0 ? (size_t)m : 1;
}

/* One source line with its tabs expanded to stops every four columns;
 * malloc'd, *out_n its length. */
static char *expand_tabs(const char *s, size_t n, size_t *out_n)
{
	if (!memchr(s, '\t', n)) { /* most lines: a copy */
		char *line = xmalloc(n + 1);
		memcpy(line, s, n);
		line[n] = '\0';
		*out_n = n;
		return line;
	}
	struct strbuf sb = STRBUF_INIT;
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\t') {
			do
				sb_addc(&sb, ' ');
			while (++col % 4);
			continue;
		}
		sb_addc(&sb, s[i]);
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	}
	return sb_detach(&sb, out_n);
}

static size_t chars_in(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* The mark at the head of a continuation: the first of these the fonts
 * have, the book face first (its arrows are drawn larger). */
static void find_mark(struct composer *c, const struct tx_word **w, enum tx_face *face)
{
	static const char *const marks[] = {"\xE2\x86\xAA", "\xE2\x86\x92", ">"}; /* ↪ → > */
	for (size_t i = 0; i < ARRAY_LEN(marks); i++) {
		for (int f = 0; f < 2; f++) {
			enum tx_face fc = f ? TX_MONO : TX_REGULAR;
			const struct tx_word *m = tx_shape(c->f, fc, marks[i], strlen(marks[i]));
			if (!m->missing) {
				*w = m;
				*face = fc;
				return;
			}
		}
	}
	*w = tx_shape(c->f, TX_MONO, ">", 1);
	*face = TX_MONO;
}

void cp_code_mark(struct composer *c, const struct tx_word **w, enum tx_face *face)
{
	find_mark(c, w, face);
}

/* A visual line of code for the report and the proof. */
static void record(struct composer *c, struct vline *l, int src_line, const char *s, size_t n,
		   double x0, double x1, bool wrapped)
{
	c->doc->lines++;
	if (c->doc->lean)
		return;
	GROW(c->doc->linev, c->doc->linev_cap, c->doc->nlinev + 1);
	l->info = (long)c->doc->nlinev;
	c->doc->linev[c->doc->nlinev++] = (struct pg_line){
		.file = c->part ? c->part->path : NULL,
		.src_line = src_line,
		.page = -1,
		.text = c->doc->quoted ? NULL : ar_strndup(&c->doc->arena, s, n), /* never quoted */
		.x0 = x0,
		.x1 = x1,
		.para = c->para_serial,
		.pline = 0,
		.plines = 1,
		.note = c->in_note,
		.code = true,
		.wrapped = wrapped,
	};
}

/* Whether the code line at path:line is already in c->wraps: a part set
 * again (looser, or indented after a moved float) wraps the same lines. */
static bool told(const struct composer *c, const char *path, int line)
{
	for (size_t k = c->nwraps; k-- > 0 && c->wraps[k].path == path;)
		if (c->wraps[k].line == line && !c->wraps[k].text)
			return true;
	return false;
}

/* Sets one source line s (n bytes, no tabs) of width avail at size: whole
 * when it fits, else wrapped. Returns whether it was wrapped; *col is then
 * the character column (0-based) of the first character that did not fit. */
static bool set_line(struct composer *c, const char *s, size_t n, double x, double avail,
		     double size, double lead, double space, int src_line, size_t *col)
{
	const struct tx_word *whole = tx_shape(c->f, TX_MONO, s, n);
	if (cp_word_width(whole, size) <= avail + 0.01) {
		struct vline *l = cp_new_line(c, lead, space);
		if (n)
			cp_add_word(l, whole, TX_MONO, size, x, 0);
		record(c, l, src_line, s, n, x, x + cp_word_width(whole, size), false);
		return false;
	}
	/* The hanging indent: the line's own indent plus two characters, the
	 * mark in them; at most a third of the line. */
	double cw = cp_word_width(tx_shape(c->f, TX_MONO, " ", 1), size);
	size_t lead_sp = 0;
	while (lead_sp < n && s[lead_sp] == ' ')
		lead_sp++;
	double own = lead_sp * cw;
	if (own > avail / 3)
		own = avail / 3;
	double hang = own + 2 * cw;
	const struct tx_word *mark;
	enum tx_face mface;
	find_mark(c, &mark, &mface);
	double msize = size;
	if (cp_word_width(mark, msize) > 1.8 * cw)
		msize *= 1.8 * cw / cp_word_width(mark, msize);

	size_t at = 0, chars = 0;
	bool cont = false;
	*col = 0;
	while (at < n) {
		double room = cont ? avail - hang : avail;
		double w = 0;
		size_t i = at, fit = at, ok = at, nchars = 0, fit_chars = 0, ok_chars = 0;
		while (i < n) {
			size_t m = char_len(s + i, n - i);
			double cwi = cp_word_width(tx_shape(c->f, TX_MONO, s + i, m), size);
			if (w + cwi > room + 0.01)
				break;
			w += cwi;
			i += m;
			nchars++;
			fit = i;
			fit_chars = nchars;
			if (i < n && i > lead_sp && breakable(s, n, i)) {
				ok = i;
				ok_chars = nchars;
			}
		}
		size_t end = fit, end_chars = fit_chars;
		if (fit < n && ok > at) {
			end = ok;
			end_chars = ok_chars;
		}
		if (end == at) { /* not one character fits: take one */
			end = at + char_len(s + at, n - at);
			end_chars = 1;
		}
		if (!cont)
			*col = fit_chars;
		size_t draw = end;
		while (draw > at && s[draw - 1] == ' ' && cont)
			draw--;
		double px = cont ? x + hang : x;
		struct vline *l = cp_new_line(c, lead, cont ? 0 : space);
		const struct tx_word *pw = tx_shape(c->f, TX_MONO, s + at, draw - at);
		cp_add_word(l, pw, TX_MONO, size, px, 0);
		if (cont) {
			cp_add_word(l, mark, mface, msize,
				    x + own + (hang - own - cp_word_width(mark, msize)) / 2 - cw * 0.25, 0);
			c->lines[c->nlines - 2].keep_next = true;
		}
		record(c, l, src_line, s + at, draw - at, px, px + cp_word_width(pw, size), cont);
		chars += end_chars;
		at = end;
		while (cont && at < n && s[at] == ' ')
			at++;
		if (!cont)
			while (at < n && s[at] == ' ')
				at++;
		cont = true;
	}
	return true;
}

double cp_set_code(struct composer *c, const struct bk_block *b, double x0, double width,
		   double space)
{
	const struct bk_style *st = c->st;
	double size = st->code_size, lead = st->body_leading * 0.9;
	double floor = st->code_min_size < size ? st->code_min_size : size;
	double x = x0 + size, avail = width - size;
	/* The widest line at the style's size, in 1/1000 em. */
	double widest = 0;
	for (const char *s = b->text; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), en;
		char *line = expand_tabs(s, n, &en);
		double w = tx_shape(c->f, TX_MONO, line, en)->width;
		free(line);
		if (w > widest)
			widest = w;
		s += n + (nl ? 1 : 0);
	}
	/* Too wide, it steps down, within its indent: its left edge is its
	 * neighbours' (a block that gave up its indent stood out from them). */
	if (widest * size / 1000 > avail) {
		double fits = avail * 1000 / widest;
		double to = fits > floor ? fits : floor;
		if (to < size - 0.01)
			c->doc->code_stepped++;
		size = to < size ? to : size;
	}
	int src = b->line + (b->flags & BK_FENCED ? 1 : 0);
	bool first = true;
	size_t first_line = c->nlines;
	for (const char *s = b->text; *s; src++) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s), en, col;
		char *line = expand_tabs(s, n, &en);
		if (set_line(c, line, en, x, avail, size, lead, first ? space : 0, src, &col)) {
			c->doc->code_wrapped++;
			if (c->part && !c->again && !told(c, c->part->path, src)) {
				GROW(c->wraps, c->wraps_cap, c->nwraps + 1);
				c->wraps[c->nwraps++] = (struct cp_wrap){
				    c->part->path, src, b->col + (int)col, chars_in(line, en), col, size, NULL, false, NULL, 0};
			}
		}
		free(line);
		first = false;
		s += n + (nl ? 1 : 0);
	}
	for (size_t i = first_line; i < c->nlines; i++)
		c->lines[i].code = true; /* page.c centres the block where it lands */
	c->para_serial++;
	return st->body_leading * 0.5;
}

/* Past this many, a book's wrapped code lines are one finding: 'octavo
 * report' counts them and 'octavo proof' outlines each. */
#define WRAPS_TOLD 50

void cp_tell_wraps(struct composer *c)
{
	size_t n = 0; /* code lines (the rest are cut.c's forced breaks) */
	for (size_t i = 0; i < c->nwraps; i++)
		n += !c->wraps[i].text;
	for (size_t i = 0; i < c->nwraps; i++) {
		const struct cp_wrap *w = &c->wraps[i];
		if (w->text)
			continue;
		if (n > WRAPS_TOLD) {
			diag_warning(c->d, w->path, w->line, w->col,
				     "%zu code lines are wider than the text, the first here: wrapped "
				     "with a continuation mark; 'octavo proof' outlines them",
				     n);
			break;
		}
		diag_warning(c->d, w->path, w->line, w->col,
			     "code line of %zu characters is wider than the text: "
			     "wrapped after %zu at %.1fpt, with a continuation mark",
			     w->chars, w->at, w->size);
	}
	cp_tell_cuts(c);
	free(c->wraps);
	c->wraps = NULL;
	c->nwraps = c->wraps_cap = 0;
}
