/*
 * dialect.c (layout) - the print edition's setting of octavo's Markdown
 * dialect (src/book/dialect.h): fenced divs by class, definition lists,
 * line blocks, page breaks, table captions, and the seam for small caps.
 *
 * A div's class is its style: epigraph (italic, narrower, set right),
 * dedication (centred italic on a page of its own), aside (smaller, indented
 * both sides), centered (centred lines), noindent (no paragraph indent),
 * pagebreak (a new page). Any other class sets its blocks as the text
 * around it.
 */
#include "layout-int.h"

#include <string.h>

/* Whether div b is set as octavo's class cls: it has it, or a class the
 * style's 'divs' maps to it. */
static bool has_class(const struct bk_style *st, const struct bk_block *b, const char *cls)
{
	return bk_div_like(st, b->classes, b->nclasses, cls);
}

/* Sets every paragraph of v centred (and italic when it), keeping lists,
 * quotes and the rest as they are. */
static double centred(struct composer *c, const struct bk_block *v, size_t n, double x0,
		      double width, double space, double size, double leading, bool italic)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->kind == BK_PARA || b->kind == BK_LINES) {
			c->cur_block = b;
			cp_set_spans(c, b->spans, b->nspans, italic ? TX_ITALIC : TX_REGULAR, size,
				     leading, x0, width, 0, false, true, space);
			space = 0;
		} else if (b->kind == BK_DIV) {
			space = centred(c, b->kids, b->nkids, x0, width, space, size, leading, italic);
		} else {
			space = cp_set_blocks_at(c, b, 1, x0, width, space, size, leading, false);
		}
	}
	return space;
}

/* Every paragraph of v italic, ragged, at x0: an epigraph. */
static double italic_ragged(struct composer *c, const struct bk_block *v, size_t n, double x0,
			    double width, double space, double size, double leading)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->kind == BK_PARA || b->kind == BK_LINES) {
			c->cur_block = b;
			cp_set_spans(c, b->spans, b->nspans, TX_ITALIC, size, leading, x0, width, 0,
				     true, false, space);
			space = 0;
		} else {
			space = cp_set_blocks_at(c, b, 1, x0, width, space, size, leading, false);
		}
	}
	return space;
}

static void div_block(struct composer *c, const struct bk_block *b, double x0, double width,
		      double *space, bool *indent_next, double size, double leading)
{
	const struct bk_style *st = c->st;
	double line = st->body_leading;
	if (has_class(st, b, "pagebreak") || has_class(st, b, "newpage"))
		c->pending_break = true;
	if (has_class(st, b, "dedication")) {
		c->pending_break = true;
		centred(c, b->kids, b->nkids, x0, width, line * 4, size, leading, true);
		c->pending_break = true; /* the text goes on on the next page */
		*space = 0;
	} else if (has_class(st, b, "epigraph")) {
		double in = width * 0.25;
		*space = italic_ragged(c, b->kids, b->nkids, x0 + in, width - in, *space + line * 0.5,
				       size, leading) +
			 line;
	} else if (has_class(st, b, "centered") || has_class(st, b, "center")) {
		*space = centred(c, b->kids, b->nkids, x0, width, *space + line * 0.5, size, leading,
				 false) +
			 line * 0.5;
	} else if (has_class(st, b, "aside")) {
		double in = st->quote_indent;
		*space = cp_set_blocks_at(c, b->kids, b->nkids, x0 + in, width - 2 * in,
					  *space + line * 0.5, st->note_size, st->note_leading,
					  false) +
			 line * 0.5;
	} else {
		/* noindent, and classes the style does not know: the text as
		 * around it (noindent: no indent on its first paragraph). */
		bool ind = !has_class(st, b, "noindent") && *indent_next;
		*space = cp_set_blocks_at(c, b->kids, b->nkids, x0, width, *space, size, leading,
					  ind);
	}
	*indent_next = false;
}

void cp_dialect_block(struct composer *c, const struct bk_block *b, double x0, double width,
		      double *space, bool *indent_next, double size, double leading)
{
	const struct bk_style *st = c->st;
	double line = st->body_leading;
	switch (b->kind) {
	case BK_DIV:
		div_block(c, b, x0, width, space, indent_next, size, leading);
		return;
	case BK_DEFLIST:
		for (size_t i = 0; i < b->nkids; i++) {
			const struct bk_block *k = &b->kids[i];
			c->cur_block = k;
			if (k->kind == BK_DEFTERM) {
				size_t first = c->nlines;
				cp_set_spans(c, k->spans, k->nspans, TX_BOLD, size, leading, x0,
					     width, 0, true, false, *space + (i ? line * 0.25 : line * 0.5));
				*space = 0;
				/* A term stays with its definition. */
				for (size_t l = first; l < c->nlines; l++)
					c->lines[l].keep_next = true;
			} else {
				double in = st->quote_indent;
				*space = cp_set_blocks_at(c, k->kids, k->nkids, x0 + in, width - in,
							  *space, size, leading, false);
			}
		}
		*space = line * 0.5;
		*indent_next = false;
		return;
	case BK_DEFTERM:
	case BK_DEFDESC:
		/* only inside a definition list */
		return;
	case BK_LINES:
		/* Verse and addresses: each line as written, ragged, no indent;
		 * a line too long for the measure runs on with a hanging indent. */
		cp_set_spans(c, b->spans, b->nspans, TX_REGULAR, size, leading, x0, width, 0, true,
			     false, *space + line * 0.5);
		*space = line * 0.5;
		*indent_next = false;
		return;
	case BK_PAGEBREAK:
		c->pending_break = true;
		*space = 0;
		*indent_next = false;
		return;
	default:
		return;
	}
}

void cp_table_caption(struct composer *c, const struct bk_block *table, double x0, double width,
		      double *space)
{
	const struct bk_style *st = c->st;
	(void)width; /* over the measure, ragged: a narrow table's caption need not wrap */
	width = c->measure - x0;
	size_t first = c->nlines;
	cp_set_spans(c, table->caption, table->ncaption, TX_ITALIC, st->note_size, st->note_leading,
		     x0, width, 0, true, false, *space + st->body_leading * 0.5);
	for (size_t l = first; l < c->nlines; l++)
		c->lines[l].keep_next = true; /* with its table */
	*space = 0;
}

/* ===== small caps ======================================================= */

/* The code point at s, and its length (1 for a broken byte). */
static size_t dec(const unsigned char *s, size_t n, unsigned *cp)
{
	if (s[0] < 0x80 || n < 2) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		*cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	size_t k = (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
	*cp = 0x100; /* not a case we change */
	return k <= n ? k : n;
}

/* Lower-case letters this fallback sets as small capitals: ASCII and
 * Latin-1's (ß and ÿ have no one-character capital there: left alone). */
static bool is_lower(unsigned cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7);
}

size_t cp_caps_run(const char *s, size_t n, bool *lower)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	size_t k = dec(u, n, &cp);
	*lower = is_lower(cp);
	while (k < n) {
		size_t m = dec(u + k, n - k, &cp);
		if (is_lower(cp) != *lower)
			break;
		k += m;
	}
	return k;
}

const char *cp_upper(struct arena *a, const char *s, size_t n)
{
	char *t = ar_strndup(a, s, n);
	unsigned char *u = (unsigned char *)t;
	for (size_t i = 0; i < n;) {
		if (u[i] >= 'a' && u[i] <= 'z') {
			u[i] -= 32;
			i++;
		} else if (u[i] == 0xC3 && i + 1 < n && u[i + 1] >= 0xA0 && u[i + 1] <= 0xBE &&
			   u[i + 1] != 0xB7) {
			u[i + 1] -= 0x20; /* U+00E0..U+00FE to U+00C0..U+00DE */
			i += 2;
		} else {
			i++;
		}
	}
	return t;
}
