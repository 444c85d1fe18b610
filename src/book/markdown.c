/*
 * markdown.c - one part: front matter (YAML) and body (cmark-gfm) copied
 * into struct bk_part.
 *
 * The walk follows cmark's render.c: one function per level (blocks,
 * inlines), each node's kind deciding what to copy. Inline nesting is
 * flattened into spans with style bits, which is what both the line breaker
 * and the XHTML writer want.
 */
#define _DEFAULT_SOURCE
#include "book-int.h"
#include "kinds.h"
#include "dialect.h"
#include "walker.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a walker holds when its text is read: its growing arrays (copied
 * into the arena before, where they are kept), and the raw HTML it left
 * out, reported. */
static void walker_release(struct walker *w)
{
	free(w->links);
	free(w->images);
	free(w->line_starts);
	html_report(w);
	strset_release(&w->ids);
	strset_release(&w->anchors);
}

/* ===== octavo's dialect: inlines ======================================= */

static double size_attrs(struct walker *w, struct bk_image *img, const struct md_data *d,
			 int line, int col);
static void walk_inlines(struct walker *w, struct spans *s, cmark_node *parent, unsigned style,
			 int link, int depth);

static void math_warning(struct walker *w, int line, int col, const char *tex, bool display)
{
	diag_warning(w->d, w->path, line, col, "%s math '%.40s%s' is set as code", display ? "display" : "inline",
		     tex, strlen(tex) > 40 ? "..." : "");
	if (!w->hinted_math)
		diag_hint(w->d, "octavo has no math typesetter (none in C is packaged); write it "
				"in words, or as an image");
	w->hinted_math = true;
}

/* The dialect's inline nodes (dialect.h); false for a node it did not make. */
static bool dialect_inline(struct walker *w, struct spans *s, cmark_node *n, unsigned style,
			   int link, int depth)
{
	cmark_node_type t = cmark_node_get_type(n);
	const struct md_data *d = md_data_of(n);
	int line = d && d->line ? d->line + w->line_offset : node_line(w, n);
	int col = d && d->col ? d->col : node_col(n);
	if (t == md_types.sup || t == md_types.sub || t == md_types.strike) {
		unsigned bit = t == md_types.sup ? BK_SUP : t == md_types.sub ? BK_SUB : BK_STRIKE;
		walk_inlines(w, s, n, style | bit, link, depth + 1);
		return true;
	}
	if (t == md_types.span) {
		struct md_attrs a;
		node_attrs(w, d ? d->text : "", line, col, &a);
		const char *old = w->lang, *lang = md_attr(&a, "lang");
		if (lang)
			w->lang = lang;
		walk_inlines(w, s, n, style | (md_has_class(&a, "smallcaps") ? BK_SMALLCAPS : 0),
			     link, depth + 1);
		w->lang = old;
		md_attrs_free(&a);
		return true;
	}
	if (t == md_types.math || t == md_types.math_display) {
		const char *tex = d && d->text ? d->text : "";
		math_warning(w, line, col, tex, t == md_types.math_display);
		add_text(w, s, n, tex, style | BK_CODE, link);
		return true;
	}
	if (t == md_types.cite) {
		const char *c = d && d->text ? d->text : "";
		diag_warning(w->d, w->path, line, col,
			     "citation '%s' is left as written: octavo does not process citations",
			     c);
		add_text(w, s, n, c, style, link);
		return true;
	}
	return false;
}

/* Whether cp is East Asian Wide, Fullwidth or Halfwidth (UAX #11) and
 * not Hangul: Chinese and Japanese characters, kana, their punctuation
 * and the fullwidth forms. */
static bool east_asian_wide(uint32_t cp)
{
	if ((cp >= 0x3130 && cp <= 0x318F) || (cp >= 0xFFA0 && cp <= 0xFFDC))
		return false; /* Hangul's compatibility and halfwidth jamo */
	return (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xA000 && cp <= 0xA4CF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
	       (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* The character at the edge of the text n holds (its last when last, else
 * its first), looking into emphasis and links; 0 when n has no text there. */
static uint32_t edge_char(cmark_node *n, bool last)
{
	while (n && cmark_node_first_child(n))
		n = last ? cmark_node_last_child(n) : cmark_node_first_child(n);
	if (!n || cmark_node_get_type(n) != CMARK_NODE_TEXT)
		return 0;
	const char *t = cmark_node_get_literal(n);
	size_t len = t ? strlen(t) : 0;
	if (!len)
		return 0;
	size_t i = 0;
	if (last)
		for (i = len - 1; i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80; i--)
			;
	uint32_t cp;
	return utf8_decode((const unsigned char *)t + i, len - i, &cp) > 0 ? cp : 0;
}

/* Whether the soft line break n joins its neighbours without a space:
 * between two Chinese or Japanese characters, which a line break in the
 * source does not part (CSS Text 3's segment break transformation). */
static bool break_joins(cmark_node *n)
{
	return east_asian_wide(edge_char(cmark_node_previous(n), true)) &&
	       east_asian_wide(edge_char(cmark_node_next(n), false));
}

static void walk_inlines(struct walker *w, struct spans *s, cmark_node *parent, unsigned style0,
			 int link0, int depth)
{
	unsigned hs = 0; /* styles of open inline HTML tags */
	int hl = -1;     /* the link of an open <a href> */
	if (depth > MAX_NESTING) {
		if (!w->too_deep)
			diag_error(w->d, w->path, node_line(w, parent), node_col(parent),
				   "emphasis or links nested more than %d deep", MAX_NESTING);
		w->too_deep = true;
		return;
	}
	for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		unsigned style = style0 | hs;
		int link = hl >= 0 ? hl : link0;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			add_text(w, s, n, cmark_node_get_literal(n), style, link);
			break;
		case CMARK_NODE_SOFTBREAK:
			/* not after an HTML <br> ending its line */
			if ((s->open || !s->n || s->v[s->n - 1].kind != BK_SPAN_BREAK) &&
			    !break_joins(n))
				add_text(w, s, n, " ", style, link);
			break;
		case CMARK_NODE_LINEBREAK:
			add_break(w, s, node_line(w, n), node_col(n), style, link);
			break;
		case CMARK_NODE_CODE:
			add_text(w, s, n, cmark_node_get_literal(n), style | BK_CODE, link);
			break;
		case CMARK_NODE_EMPH:
			walk_inlines(w, s, n, style | BK_EM, link, depth + 1);
			break;
		case CMARK_NODE_STRONG:
			walk_inlines(w, s, n, style | BK_STRONG, link, depth + 1);
			break;
		case CMARK_NODE_LINK: {
			int k = add_link(w, cmark_node_get_url(n), node_line(w, n), node_col(n));
			walk_inlines(w, s, n, style, k >= 0 ? k : link, depth + 1);
			break;
		}
		case CMARK_NODE_IMAGE: {
			struct bk_image *img = load_image(w, n);
			if (img && md_data_of(n)) /* "![x](a.png){width=2cm}" in a sentence */
				img->want_share = size_attrs(w, img, md_data_of(n), node_line(w, n),
							      node_col(n));
			if (img) {
				struct bk_span sp = {BK_SPAN_IMAGE, style, img->alt, strlen(img->alt),
						     link, -1, img, node_line(w, n), node_col(n),
						     w->lang};
				add_span(w, s, sp);
			} else if (is_remote(cmark_node_get_url(n))) {
				stand_in_start(w, s, node_line(w, n), node_col(n), style);
				walk_inlines(w, s, n, style, link, depth + 1); /* its alt text */
				stand_in_end(s);
			}
			break;
		}
		case CMARK_NODE_FOOTNOTE_REFERENCE: {
			int num = atoi(cmark_node_get_literal(n));
			if (num > w->max_note)
				w->max_note = num;
			struct bk_span sp = {BK_SPAN_NOTEREF, style, "", 0, link, num - 1, NULL,
					     node_line(w, n), node_col(n), w->lang};
			add_span(w, s, sp);
			break;
		}
		case CMARK_NODE_HTML_INLINE:
			if (!html_inline(w, s, n, style, link, &hs, &hl))
				html_left_out(w, n, cmark_node_get_literal(n));
			break;
		default:
			if (is_type(n, "strikethrough"))
				walk_inlines(w, s, n, style | BK_STRIKE, link, depth + 1);
			else if (!dialect_inline(w, s, n, style, link, depth))
				walk_inlines(w, s, n, style, link, depth + 1);
			break;
		}
	}
}

static void fill_spans(struct walker *w, struct bk_block *b, cmark_node *n)
{
	struct spans s = {.pend = STRBUF_INIT};
	walk_inlines(w, &s, n, 0, -1, 0);
	flush_text(w, &s);
	b->spans = ar_memdup(w->a, s.v, s.n, sizeof(*s.v));
	b->nspans = s.n;
	free(s.v);
	sb_release(&s.pend);
}

/* ===== blocks ========================================================== */

static void walk_blocks(struct walker *w, cmark_node *parent, struct bk_block **out, size_t *nout,
			int depth);

/* A paragraph that is one image (perhaps with spaces) becomes a figure. */
static cmark_node *lone_image(cmark_node *para)
{
	cmark_node *img = NULL;
	for (cmark_node *n = cmark_node_first_child(para); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_IMAGE && !img)
			img = n;
		else if (cmark_node_get_type(n) == CMARK_NODE_TEXT &&
			 strspn(cmark_node_get_literal(n), " \t") ==
				 strlen(cmark_node_get_literal(n)))
			continue;
		else if (cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK)
			return NULL;
	}
	return img;
}

static bool dialect_block(struct walker *w, cmark_node *n, struct bk_block *b, int depth);

/*
 * A table's header row with nothing in any cell, as pandoc writes a table
 * that has no head ('|   |   |' over the delimiter row) and READMEs do for
 * a grid of pictures: the table has no head. Set as a head it was an empty
 * row, a second rule close under the first in the PDF and empty <th>s in
 * the EPUB. Nothing is lost: the row holds no text.
 */
static void drop_empty_head(struct bk_block *t)
{
	if (!t->nkids || !(t->kids[0].flags & BK_HEADER_ROW) ||
	    (t->nkids > 1 && (t->kids[1].flags & BK_HEADER_ROW)))
		return;
	for (size_t i = 0; i < t->kids[0].nkids; i++)
		if (t->kids[0].kids[i].nspans)
			return;
	memmove(&t->kids[0], &t->kids[1], (t->nkids - 1) * sizeof(*t->kids));
	t->nkids--;
}
static void figure_attrs(struct walker *w, struct bk_block *b, struct bk_image *img,
			 const struct md_data *d);

static bool copy_block(struct walker *w, cmark_node *n, struct bk_block *b, int depth)
{
	b->line = node_line(w, n);
	b->col = node_col(n);
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH: {
		cmark_node *img = lone_image(n);
		if (img && !is_remote(cmark_node_get_url(img))) {
			b->kind = BK_FIGURE;
			struct bk_image *im = load_image(w, img);
			b->img = im;
			if (im && md_data_of(img))
				figure_attrs(w, b, im, md_data_of(img));
			return b->img != NULL;
		}
		b->kind = BK_PARA;
		fill_spans(w, b, n);
		return b->nspans > 0;
	}
	case CMARK_NODE_HEADING:
		b->kind = BK_HEADING;
		b->level = cmark_node_get_heading_level(n);
		fill_spans(w, b, n);
		heading_anchors(w, b, n);
		return true;
	case CMARK_NODE_BLOCK_QUOTE: {
		int alert = md_alert_kind(n);
		b->kind = BK_QUOTE;
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		if (alert >= 0)
			md_alert_make(w, b, alert);
		return true;
	}
	case CMARK_NODE_LIST:
		b->kind = BK_LIST;
		if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
			b->flags |= BK_ORDERED;
			b->level = cmark_node_get_list_start(n);
		}
		if (cmark_node_get_list_tight(n))
			b->flags |= BK_TIGHT;
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		return true;
	case CMARK_NODE_ITEM:
		b->kind = BK_ITEM;
		if (is_type(n, "tasklist"))
			b->flags |= BK_TASK |
				    (cmark_gfm_extensions_get_tasklist_item_checked(n) ? BK_DONE : 0);
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		return true;
	case CMARK_NODE_CODE_BLOCK:
		b->kind = BK_CODE_BLOCK;
		b->text = ar_strdup(w->a, cmark_node_get_literal(n));
		int flen, foff;
		char fch;
		if (cmark_node_get_fenced(n, &flen, &foff, &fch))
			b->flags |= BK_FENCED;
		return true;
	case CMARK_NODE_THEMATIC_BREAK:
		b->kind = BK_RULE;
		return true;
	case CMARK_NODE_HTML_BLOCK:
		return false; /* read by walk_blocks (html_feed) */
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		return false; /* collected separately */
	default:
		break;
	}
	if (is_type(n, "table")) {
		b->kind = BK_TABLE;
		b->ncols = cmark_gfm_extensions_get_table_columns(n);
		uint8_t *al = cmark_gfm_extensions_get_table_alignments(n);
		char *aligns = ar_alloc(w->a, (size_t)b->ncols + 1);
		for (int i = 0; i < b->ncols; i++)
			aligns[i] = al && (al[i] == 'l' || al[i] == 'c' || al[i] == 'r') ? (char)al[i]
											   : '-';
		b->aligns = aligns;
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		drop_empty_head(b);
		return b->nkids > 0;
	}
	if (is_type(n, "table_header") || is_type(n, "table_row")) {
		b->kind = BK_ROW;
		if (is_type(n, "table_header") || cmark_gfm_extensions_get_table_row_is_header(n))
			b->flags |= BK_HEADER_ROW;
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		return true;
	}
	if (is_type(n, "table_cell")) {
		b->kind = BK_CELL;
		b->colspan = b->rowspan = 1;
		fill_spans(w, b, n);
		return true;
	}
	if (md_data_of(n))
		return dialect_block(w, n, b, depth);
	diag_warning(w->d, w->path, b->line, b->col, "unsupported Markdown '%s' left out",
		     cmark_node_get_type_string(n));
	return false;
}

/* ===== octavo's dialect: blocks ======================================== */

/* {width=60%} on an image: its share of the measure (returned, 0 for
 * none); {width=5cm} and {height=2in} (pandoc's lengths, and CSS's px,
 * pt, pc): its size, in img's want_w and want_h; {width=3em}: ems of the
 * body type, in img's em_w and em_h. A value octavo cannot
 * print at is a warning at line:col, the image at its usual size. */
static double size_attrs(struct walker *w, struct bk_image *img, const struct md_data *d,
			 int line, int col)
{
	struct md_attrs a;
	node_attrs(w, d->text, line, col, &a);
	const char *wd = md_attr(&a, "width"), *ht = md_attr(&a, "height");
	double share = 0, got = 0;
	if (wd && !(css_length(wd, true, &img->want_w, &share, &img->em_w) && share <= 1))
		diag_warning(w->d, w->path, line, col,
			     "image width '%s' is not a percentage of the text's width (like 60%%) "
			     "or a length (5cm, 2in, 120px, 3em); the image is set at its usual size",
			     wd);
	else
		got = share;
	if (ht && !css_length(ht, false, &img->want_h, &share, &img->em_h))
		diag_warning(w->d, w->path, line, col,
			     "image height '%s' is not a length (5cm, 2in, 120px, 3em); the image is "
			     "set at its usual size",
			     ht);
	for (size_t i = 0; i < a.nkeys; i++)
		if (strcmp(a.keys[i], "width") && strcmp(a.keys[i], "height"))
			diag_warning(w->d, w->path, line, col,
				     "image attribute '%s' is not used by octavo", a.keys[i]);
	md_attrs_free(&a);
	return got;
}

/* A figure's image's {width=...} and {height=...}: its share of the
 * measure is the figure's (b->width). */
static void figure_attrs(struct walker *w, struct bk_block *b, struct bk_image *img,
			 const struct md_data *d)
{
	b->width = size_attrs(w, img, d, b->line, b->col);
}

/* A fenced div's classes and lang; pagebreak divs become page breaks. */
static bool div_block(struct walker *w, cmark_node *n, struct bk_block *b,
		      const struct md_data *d, int depth)
{
	struct md_attrs a;
	node_attrs(w, d->text, b->line, b->col, &a);
	b->classes = a.nclasses ? ar_memdup(w->a, a.classes, a.nclasses, sizeof(char *)) : NULL;
	b->nclasses = a.nclasses;
	b->lang = md_attr(&a, "lang");
	for (size_t i = 0; i < a.nkeys; i++)
		if (strcmp(a.keys[i], "lang"))
			diag_warning(w->d, w->path, b->line, b->col,
				     "div attribute '%s' is not used by octavo", a.keys[i]);
	bool brk = md_has_class(&a, "pagebreak") || md_has_class(&a, "newpage");
	md_attrs_free(&a);
	const char *old = w->lang;
	if (b->lang)
		w->lang = b->lang;
	b->kind = BK_DIV;
	walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
	w->lang = old;
	if (brk && !b->nkids) {
		b->kind = BK_PAGEBREAK;
		return true;
	}
	return true;
}

/* The dialect's block nodes (dialect.h). */
static bool dialect_block(struct walker *w, cmark_node *n, struct bk_block *b, int depth)
{
	cmark_node_type t = cmark_node_get_type(n);
	const struct md_data *d = md_data_of(n);
	if (d->line) {
		b->line = d->line + w->line_offset;
		b->col = d->col ? d->col : 1;
	}
	if (t == md_types.div)
		return div_block(w, n, b, d, depth);
	if (t == md_types.deflist) {
		b->kind = BK_DEFLIST;
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		return b->nkids > 0;
	}
	if (t == md_types.deft) {
		b->kind = BK_DEFTERM;
		fill_spans(w, b, n);
		return true;
	}
	if (t == md_types.defd) {
		b->kind = BK_DEFDESC;
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		return true;
	}
	if (t == md_types.lineblock) {
		b->kind = BK_LINES;
		fill_spans(w, b, n);
		return b->nspans > 0;
	}
	if (t == md_types.pagebreak) {
		if (d->text && (d->text[0] == 1 || d->text[0] == 2)) {
			diag_warning(w->d, w->path, b->line, b->col,
				     "fence ':::' closes no div; it is left out");
			return false;
		}
		b->kind = BK_PAGEBREAK;
		return true;
	}
	if (t == md_types.math_block) {
		math_warning(w, b->line, b->col, d->text ? d->text : "", true);
		b->kind = BK_CODE_BLOCK;
		b->text = ar_printf(w->a, "%s\n", d->text ? d->text : "");
		return true;
	}
	if (t == md_types.caption) {
		/* The table just before it was copied into the previous slot. */
		struct bk_block *tab = w->last_block;
		if (tab && tab->kind == BK_TABLE && !tab->ncaption) {
			struct bk_block tmp = {0};
			fill_spans(w, &tmp, n);
			tab->caption = tmp.spans;
			tab->ncaption = tmp.nspans;
			return false;
		}
		b->kind = BK_PARA; /* a second caption: keep it as text */
		fill_spans(w, b, n);
		return b->nspans > 0;
	}
	diag_warning(w->d, w->path, b->line, b->col, "unsupported Markdown '%s' left out",
		     cmark_node_get_type_string(n));
	return false;
}

static void walk_blocks(struct walker *w, cmark_node *parent, struct bk_block **out, size_t *nout,
			int depth)
{
	*out = NULL;
	*nout = 0;
	if (depth > MAX_NESTING) {
		if (!w->too_deep)
			diag_error(w->d, w->path, node_line(w, parent), node_col(parent),
				   "block quotes or lists nested more than %d deep", MAX_NESTING);
		w->too_deep = true;
		return;
	}
	size_t n = 0;
	for (cmark_node *k = cmark_node_first_child(parent); k; k = cmark_node_next(k))
		n++;
	if (!n)
		return;
	struct bk_block *v = ar_alloc(w->a, n * sizeof(*v));
	size_t used = 0;
	struct hbuild *hb = NULL; /* from the first raw HTML block on */
	for (cmark_node *k = cmark_node_first_child(parent); k; k = cmark_node_next(k)) {
		if (cmark_node_get_type(k) == CMARK_NODE_HTML_BLOCK) {
			if (!hb)
				hb = hb_new(v, used, n);
			html_feed(w, hb, k);
			continue;
		}
		if (hb) {
			struct bk_block b = {0};
			w->last_block = hb_last_block(hb);
			if (copy_block(w, k, &b, depth))
				hb_add_block(w, hb, &b);
			continue;
		}
		memset(&v[used], 0, sizeof(v[used]));
		w->last_block = used ? &v[used - 1] : NULL;
		if (copy_block(w, k, &v[used], depth))
			used++;
	}
	if (hb) {
		hb_finish(w, hb, out, nout);
		return;
	}
	*out = v;
	*nout = used;
}

/* ===== footnotes ======================================================= */

/* Offset of body line l (1-based) in w->src; the table is made once. */
static size_t line_offset(struct walker *w, int l)
{
	if (!w->line_starts) {
		size_t n = 1;
		for (size_t i = 0; i < w->srclen; i++)
			n += w->src[i] == '\n';
		w->line_starts = xmalloc(n * sizeof(size_t));
		w->nlines = 0;
		w->line_starts[w->nlines++] = 0;
		for (size_t i = 0; i < w->srclen; i++)
			if (w->src[i] == '\n')
				w->line_starts[w->nlines++] = i + 1;
	}
	if (l < 1)
		return 0;
	return (size_t)l <= w->nlines ? w->line_starts[l - 1] : w->srclen;
}

/* The label as written at the start of a body line, "[^label]:", or NULL
 * when the line holds no such definition. *col is its 1-based column. */
static const char *label_at(struct walker *w, int body_line, int *col)
{
	const char *p = w->src + line_offset(w, body_line), *end = w->src + w->srclen;
	const char *start = p;
	while (p < end && *p == ' ' && p - start < 3)
		p++;
	*col = (int)(p - start) + 1;
	if (end - p > 3 && p[0] == '[' && p[1] == '^') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *close = memchr(p, ']', (size_t)((eol ? eol : end) - p));
		if (close && close > p + 2 && close + 1 < end && close[1] == ':')
			return ar_strndup(w->a, p + 2, (size_t)(close - p - 2));
	}
	return NULL;
}

/* Whether blocks (or anything inside them) refer to note number num. */
static bool refers_to(const struct bk_block *v, size_t n, int num, int *line, int *col)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nspans; k++) {
			const struct bk_span *sp = &v[i].spans[k];
			if (sp->kind == BK_SPAN_NOTEREF && sp->note == num) {
				*line = sp->line;
				*col = sp->col;
				return true;
			}
		}
		if (refers_to(v[i].kids, v[i].nkids, num, line, col))
			return true;
	}
	return false;
}

/*
 * Finds footnote definitions whose label was defined before. cmark-gfm
 * keeps the first and silently drops the rest, text and all, so a
 * duplicate is an error here. Lines inside code blocks are skipped (their
 * line ranges in code, sorted).
 */
static void check_duplicate_labels(struct walker *w, const int (*code)[2], size_t ncode)
{
	struct strset seen = {0};
	size_t c = 0;
	line_offset(w, 1);
	for (size_t l = 1; l <= w->nlines; l++) {
		while (c < ncode && code[c][1] < (int)l)
			c++;
		if (c < ncode && code[c][0] <= (int)l)
			continue;
		int col;
		size_t at = w->line_starts[l - 1];
		if (at >= w->srclen || (w->src[at] != '[' && w->src[at] != ' '))
			continue;
		const char *label = label_at(w, (int)l, &col);
		if (!label)
			continue;
		/* Labels match case-insensitively, as cmark-gfm matches them. */
		char *key = ar_strdup(w->a, label);
		for (char *q = key; *q; q++)
			*q = (char)tolower((unsigned char)*q);
		long first = strset_add(&seen, key, (long)l + w->line_offset);
		if (first >= 0) {
			diag_error(w->d, w->path, (int)l + w->line_offset, col,
				   "footnote '[^%s]' is defined twice (first on line %ld)", label,
				   first);
			diag_hint(w->d, "give each note its own label");
		}
	}
	strset_release(&seen);
}

/* Gathers the line ranges of code blocks, where '[^x]:' is only text. */
static void code_lines(cmark_node *doc, int (**v)[2], size_t *n, size_t *cap)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *k = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(k) != CMARK_NODE_CODE_BLOCK)
			continue;
		GROW(*v, *cap, *n + 1);
		(*v)[*n][0] = cmark_node_get_start_line(k);
		(*v)[*n][1] = cmark_node_get_end_line(k);
		(*n)++;
	}
	cmark_iter_free(it);
}

static void collect_notes(struct walker *w, cmark_node *doc)
{
	size_t n = 0;
	for (cmark_node *k = cmark_node_first_child(doc); k; k = cmark_node_next(k))
		if (cmark_node_get_type(k) == CMARK_NODE_FOOTNOTE_DEFINITION)
			n++;
	if (!n)
		return;
	struct bk_note *notes = ar_alloc(w->a, n * sizeof(*notes));
	size_t i = 0;
	/* cmark-gfm orders definitions by first reference and numbers them so. */
	for (cmark_node *k = cmark_node_first_child(doc); k; k = cmark_node_next(k)) {
		if (cmark_node_get_type(k) != CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		struct bk_note *note = &notes[i];
		note->number = (int)++i;
		note->line = node_line(w, k);
		int col;
		note->label = label_at(w, cmark_node_get_start_line(k), &col);
		if (!note->label)
			note->label = "?";
		walk_blocks(w, k, &note->kids, &note->nkids, 1);
		/* A note that points at itself has no place to be printed. */
		int line;
		if (refers_to(note->kids, note->nkids, (int)i - 1, &line, &col)) {
			diag_error(w->d, w->path, line, col, "footnote '[^%s]' refers to itself",
				   note->label);
			diag_hint(w->d, "a note cannot hold its own reference mark");
		}
	}
	w->part->notes = notes;
	w->part->nnotes = n;
}

/* ===== front matter ==================================================== */

/* Length of a line starting at p, and of its terminator. */
static size_t line_len(const char *p, const char *end, size_t *term)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
	*term = nl ? 1 : 0;
	if (n && p[n - 1] == '\r') {
		n--;
		(*term)++;
	}
	return n;
}

/*
 * A second block of front matter after the first ("---", keys, "---",
 * before any text) is what an author writes who split the metadata in
 * two, or pasted it twice; Markdown would set it as a rule and a heading
 * made of "author: X". It is refused when it reads as a YAML mapping with
 * no blank line inside, which a rule followed by a heading seldom does.
 * body is where the first block ends, on line body_line. Returns 0, or -1
 * after reporting.
 */
static int second_front_matter(struct walker *w, const char *body, const char *end,
			       int body_line)
{
	const char *p = body;
	size_t term, n;
	int line = body_line;
	while (p < end && (n = line_len(p, end, &term)) == strspn(p, " \t") && term) {
		p += n + term; /* blank lines */
		line++;
	}
	if (p >= end || line_len(p, end, &term) != 3 || memcmp(p, "---", 3))
		return 0;
	int open_line = line;
	const char *yaml = p + 3 + term, *q = yaml;
	while (q < end) {
		n = line_len(q, end, &term);
		if (n == 3 && (!memcmp(q, "---", 3) || !memcmp(q, "...", 3)))
			break;
		if (n == strspn(q, " \t"))
			return 0; /* a blank line: Markdown, not front matter */
		q += n + term;
	}
	if (q >= end || q == yaml || !yaml_is_mapping(yaml, (size_t)(q - yaml)))
		return 0;
	diag_error(w->d, w->path, open_line, 1,
		   "a second front-matter block (the first is on line 1)");
	diag_hint(w->d, "move its keys into the first block; for a rule and a heading, put a "
			"blank line after this '---'");
	return -1;
}

/* The front matter's 'kind': the part's kind, unless book.yaml gives one
 * (which wins: a part listed as a preface is a preface). */
static void front_matter_kind(struct walker *w, const struct ynode *k)
{
	const char *name = ystring(w->a, k, w->path, "kind", w->d);
	if (!name)
		return;
	int kk = bk_kind_parse(name);
	if (kk < 0) {
		diag_error(w->d, w->path, k->line, k->col, "unknown part kind '%s'", name);
		diag_hint(w->d, "use one of %s", bk_kind_names());
		return;
	}
	w->part->kind_line = k->line;
	w->part->kind_col = k->col;
	if (!w->part->kind_given)
		w->part->kind = (enum bk_part_kind)kk;
	else if (w->part->kind != (enum bk_part_kind)kk)
		diag_warning(w->d, w->path, k->line, k->col,
			     "'kind: %s' differs from book.yaml's '%s', which wins", name,
			     bk_kind_of(w->part->kind)->name);
}

/* Whether any run is styled, a link, an image or a break: what plain text
 * would lose. */
static bool spans_styled(const struct bk_span *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].style || v[i].kind != BK_SPAN_TEXT || v[i].link >= 0)
			return true;
	return false;
}

/*
 * A title or subtitle from the front matter is a line of Markdown, as
 * pandoc reads it: "Reading *Middlemarch*" sets the novel's name in
 * italic. *text becomes its plain words (markup gone, entities decoded);
 * *spans its runs when they are styled. Read as the text of a paragraph
 * ("x " before it), so that "1. Introduction" is no list.
 */
static void markdown_line(struct walker *w, const char **text, int line,
			  const struct bk_span **spans, size_t *nspans)
{
	if (!*text || !(*text)[strcspn(*text, "*_`~\\[^<&")])
		return;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "x ");
	for (const char *p = *text; *p; p++)
		sb_addc(&sb, *p == '\n' || *p == '\r' ? ' ' : *p);
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8 |
						md_dialect_options());
	md_dialect_attach(parser);
	cmark_parser_feed(parser, sb.buf, sb.len);
	cmark_node *doc = md_parser_finish(parser);
	cmark_parser_free(parser);
	sb_release(&sb);
	cmark_node *para = cmark_node_first_child(doc);
	if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH && !cmark_node_next(para)) {
		int off = w->line_offset;
		w->line_offset = line - 1;
		struct bk_block tmp = {0};
		fill_spans(w, &tmp, para);
		w->line_offset = off;
		struct bk_span *v = (struct bk_span *)tmp.spans;
		if (tmp.nspans && v[0].kind == BK_SPAN_TEXT && v[0].len >= 2 &&
		    !memcmp(v[0].text, "x ", 2)) {
			v[0].text += 2;
			v[0].len -= 2;
			*text = bk_spans_text(w->a, v, tmp.nspans);
			if (spans && spans_styled(v, tmp.nspans)) {
				*spans = v;
				*nspans = tmp.nspans;
			}
		}
	}
	cmark_node_free(doc);
}

void bk_markdown_plain(struct arena *a, const char *path, const char *dir, int line,
		       struct diag *d, const char **text, const struct bk_span **spans,
		       size_t *nspans)
{
	struct bk_part none = {.id = "book"};
	struct walker w = {.a = a, .part = &none, .path = path, .mdir = dir, .pdir = dir, .d = d};
	const struct bk_span *v = NULL;
	size_t n = 0;
	markdown_line(&w, text, line, spans ? &v : NULL, &n);
	/* Styled runs only: a link, note or picture would point into the
	 * stand-in part, which is not kept; such a line stays plain words. */
	for (size_t i = 0; i < n; i++)
		if (v[i].kind != BK_SPAN_TEXT || v[i].link >= 0)
			v = NULL;
	if (spans && v) {
		*spans = v;
		*nspans = n;
	}
	walker_release(&w);
}

/*
 * Splits "---\n yaml \n---\n body" and reads the YAML into part. Returns the
 * offset of the body and sets *body_line, or returns (size_t)-1 on error.
 */
static size_t front_matter(struct walker *w, const char *text, size_t len, int *body_line)
{
	const char *end = text + len;
	size_t term;
	size_t n = line_len(text, end, &term);
	*body_line = 1;
	if (n != 3 || memcmp(text, "---", 3))
		return 0;
	const char *yaml = text + n + term, *p = yaml;
	int line = 2;
	while (p < end) {
		n = line_len(p, end, &term);
		if ((n == 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3))))
			break;
		p += n + term;
		line++;
	}
	if (p >= end) {
		diag_error(w->d, w->path, 1, 1, "front matter opened here is never closed");
		diag_hint(w->d, "end it with a line holding only '---'");
		return (size_t)-1;
	}
	bool ok;
	struct ynode *root = yaml_load(w->a, w->path, yaml, (size_t)(p - yaml), 2, w->d, &ok);
	if (!ok)
		return (size_t)-1;
	if (root && root->kind != Y_MAP) {
		diag_error(w->d, w->path, root->line, root->col,
			   "front matter must be a mapping of keys such as 'title:'");
		return (size_t)-1;
	}
	static const char *const keys[] = {"title", "subtitle", "author", "role",
					   "author-file-as", "kind", "bio", "running-head", NULL};
	ymap_check_keys(root, w->path, keys, w->d);
	struct bk_part *part = w->part;
	part->bio = ystring(w->a, ymap_get(root, "bio"), w->path, "bio", w->d);
	front_matter_kind(w, ymap_get(root, "kind"));
	const struct ynode *title = ymap_get(root, "title");
	part->title = ystring(w->a, title, w->path, "title", w->d);
	if (title) {
		part->title_line = title->line;
		part->title_col = title->col;
	}
	part->running_head = ystring(w->a, ymap_get(root, "running-head"), w->path,
				     "running-head", w->d);
	part->subtitle = ystring(w->a, ymap_get(root, "subtitle"), w->path, "subtitle", w->d);
	if (title)
		markdown_line(w, &part->title, title->line, &part->title_spans,
			      &part->ntitle_spans);
	const struct ynode *rh = ymap_get(root, "running-head");
	if (rh) {
		markdown_line(w, &part->running_head, rh->line, NULL, NULL);
		part->running_head_line = rh->line;
		part->running_head_col = rh->col;
	}
	const struct ynode *sub = ymap_get(root, "subtitle");
	if (sub)
		markdown_line(w, &part->subtitle, sub->line, &part->subtitle_spans,
			      &part->nsubtitle_spans);
	const struct ynode *au = ymap_get(root, "author");
	part->author = ystring(w->a, au, w->path, "author", w->d);
	if (au) {
		part->author_line = au->line;
		part->author_col = au->col;
	}
	part->role = ystring(w->a, ymap_get(root, "role"), w->path, "role", w->d);
	part->author_file_as = ystring(w->a, ymap_get(root, "author-file-as"), w->path,
				       "author-file-as", w->d);
	n = line_len(p, end, &term);
	*body_line = line + 1;
	size_t body = (size_t)(p + n + term - text);
	if (second_front_matter(w, text + body, end, *body_line) < 0)
		return (size_t)-1;
	return body;
}

/* A picture, or a link holding only pictures: a README's badge. */
static bool is_badge(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	if (t == CMARK_NODE_IMAGE)
		return true;
	if (t != CMARK_NODE_LINK || !cmark_node_first_child(n))
		return false;
	for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
		if (!is_badge(k))
			return false;
	return true;
}

/* A paragraph of badges and spaces only. */
static bool only_badges(cmark_node *p)
{
	if (cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH || !cmark_node_first_child(p))
		return false;
	for (cmark_node *k = cmark_node_first_child(p); k; k = cmark_node_next(k)) {
		cmark_node_type t = cmark_node_get_type(k);
		if (is_badge(k) || t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			continue;
		if (t == CMARK_NODE_TEXT &&
		    !cmark_node_get_literal(k)[strspn(cmark_node_get_literal(k), " \t")])
			continue;
		return false;
	}
	return true;
}

/*
 * Whether n is a '# Title' that says again the title the front matter
 * gives (its words, in any case), as pages written for a site (Jekyll's,
 * Hugo's) carry both: the opening set the title twice, one under the
 * other. Such a heading is the title, and is left out as '# Title' is.
 */
static bool repeats_title(cmark_node *n, const char *title)
{
	if (cmark_node_get_type(n) != CMARK_NODE_HEADING || cmark_node_get_heading_level(n) != 1)
		return false;
	struct strbuf t = STRBUF_INIT;
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *k = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(k);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE)
			sb_adds(&t, cmark_node_get_literal(k));
		else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
			sb_addc(&t, ' ');
	}
	cmark_iter_free(it);
	bool same = t.buf && !strcasecmp(t.buf, title);
	sb_release(&t);
	return same;
}

/* An HTML block that is only comments. */
static bool is_comment(cmark_node *n)
{
	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return false;
	const char *p = cmark_node_get_literal(n);
	p += strspn(p, " \t\r\n");
	while (!strncmp(p, "<!--", 4)) {
		const char *e = strstr(p, "-->");
		if (!e)
			return true;
		p = e + 3;
		p += strspn(p, " \t\r\n");
	}
	return !*p;
}

/* The part's title from the heading that gives it (a '# Title', an HTML
 * <h1>) at line:col: its plain words, and its runs when they are styled. */
static void title_of_heading(struct arena *a, struct bk_part *p, const struct bk_span *v, size_t n,
			     int line, int col)
{
	p->title = bk_spans_text(a, v, n);
	if (spans_styled(v, n)) {
		p->title_spans = v;
		p->ntitle_spans = n;
	}
	p->title_line = line;
	p->title_col = col;
}

/*
 * A README's title written in HTML, <h1 align="center">Title</h1> (or an
 * <h1> in a centred div), first in the part but for figures (a logo) and
 * badges: the part's title, taken out of the text as '# Title' is.
 */
static void html_title(struct walker *w)
{
	struct bk_part *p = w->part;
	for (size_t i = 0; i < p->nblocks; i++) {
		struct bk_block *b = &p->blocks[i], *in = b;
		if (b->kind == BK_DIV && b->nkids && b->nclasses == 1 &&
		    !strcmp(b->classes[0], "centered"))
			in = &b->kids[0];
		bool pictures = in->kind == BK_FIGURE || (in->kind == BK_PARA && in->nspans);
		for (size_t k = 0; in->kind == BK_PARA && k < in->nspans; k++)
			pictures &= in->spans[k].kind == BK_SPAN_IMAGE ||
				    (in->spans[k].kind == BK_SPAN_TEXT &&
				     strspn(in->spans[k].text, " ") == in->spans[k].len);
		if (pictures)
			continue;
		if (in->kind != BK_HEADING || in->level != 1 || !in->nspans)
			return;
		title_of_heading(w->a, p, in->spans, in->nspans, in->line, in->col);
		/* out of the text (and out of its div, an empty div with it) */
		struct bk_block *v = in == b ? p->blocks : b->kids;
		size_t *n = in == b ? &p->nblocks : &b->nkids;
		size_t at = in == b ? i : 0;
		memmove(&v[at], &v[at + 1], (*n - at - 1) * sizeof(*v));
		(*n)--;
		if (in != b && !b->nkids) {
			memmove(&p->blocks[i], &p->blocks[i + 1], (p->nblocks - i - 1) * sizeof(*b));
			p->nblocks--;
		}
		return;
	}
}

/* ===== the part ======================================================== */

int book_parse_part(struct arena *a, struct bk_part *part, const char *path, const char *mdir,
		    const char *text, size_t len, struct diag *d)
{
	return parse_part(a, part, path, mdir, text, len, BK_MAX_IMAGE_PIXELS, d);
}

int parse_part(struct arena *a, struct bk_part *part, const char *path, const char *mdir,
	       const char *text, size_t len, long max_image_pixels, struct diag *d)
{
	int nerr = d->nerr;
	if (check_utf8(path, text, len, d) < 0)
		return -1;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3; /* a BOM is harmless: drop it */
		len -= 3;
	}
	size_t blank = 0;
	while (blank < len && strchr(" \t\r\n", text[blank]))
		blank++;
	if (blank == len && bk_kind_of(part->kind)->may_be_empty)
		return 0; /* octavo writes it (kinds.c) */
	if (blank == len) {
		diag_error(d, path, 1, 1, "part is empty");
		diag_hint(d, "write the essay, or take it out of book.yaml's 'parts'");
		return -1;
	}
	if (!part->id)
		part->id = "part";
	char *pdir = path_dirname(path);
	struct walker w = {.a = a, .part = part, .path = path, .mdir = mdir, .pdir = pdir, .d = d,
			   .max_pixels = max_image_pixels};
	int body_line;
	size_t body = front_matter(&w, text, len, &body_line);
	if (body == (size_t)-1) {
		free(pdir);
		return -1;
	}
	w.line_offset = body_line - 1;
	w.src = text + body;
	w.srclen = len - body;

	int opts = CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8 |
		   md_dialect_options();
	cmark_parser *parser = cmark_parser_new(opts);
	md_dialect_attach(parser);
	cmark_parser_feed(parser, w.src, w.srclen);
	cmark_node *doc = md_parser_finish(parser);
	cmark_parser_free(parser);

	/* With no title in the front matter, a leading '# Title' is the title. */
	cmark_node *first = cmark_node_first_child(doc);
	/* Badges (pictures, perhaps linked) and comments may come before it. */
	while (first && (only_badges(first) || is_comment(first)))
		first = cmark_node_next(first);
	if (part->title && first && repeats_title(first, part->title)) {
		cmark_node_free(first);
	} else if (!part->title && first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
		   cmark_node_get_heading_level(first) == 1) {
		/* A setext title's lines may begin with a line of badges:
		 * they stay in the text, before it. */
		cmark_node *k = cmark_node_first_child(first);
		cmark_node *badges = NULL;
		while (k && (is_badge(k) || cmark_node_get_type(k) == CMARK_NODE_SOFTBREAK ||
			     (cmark_node_get_type(k) == CMARK_NODE_TEXT &&
			      !cmark_node_get_literal(k)[strspn(cmark_node_get_literal(k), " ")]))) {
			cmark_node *next = cmark_node_next(k);
			if (is_badge(k)) {
				if (!badges) {
					badges = cmark_node_new(CMARK_NODE_PARAGRAPH);
					cmark_node_insert_before(first, badges);
				}
				cmark_node_append_child(badges, k);
			} else {
				cmark_node_free(k);
			}
			k = next;
		}
		struct bk_block tmp = {0};
		fill_spans(&w, &tmp, first);
		if (tmp.nspans) {
			title_of_heading(a, part, tmp.spans, tmp.nspans, node_line(&w, first),
					 cmark_node_get_start_column(first));
			cmark_node_free(first);
		}
	}
	walk_blocks(&w, doc, &part->blocks, &part->nblocks, 0);
	if (!part->title)
		html_title(&w);
	/* A kind with a title of its own (Dedication, Part II) needs none. */
	if (!part->title && part->kind == BK_PART_ESSAY) {
		diag_error(d, path, 1, 1, "part has no title");
		diag_hint(d, "add front matter: '---', 'title: \"...\"', '---'");
	}
	collect_notes(&w, doc);
	const char *caret = w.srclen ? memchr(w.src, '^', w.srclen) : NULL;
	if (caret) {
		int(*code)[2] = NULL;
		size_t ncode = 0, cap = 0;
		code_lines(doc, &code, &ncode, &cap);
		check_duplicate_labels(&w, (const int(*)[2])code, ncode);
		free(code);
	}
	cmark_node_free(doc);

	if (part->nblocks == 0 && d->nerr == nerr && !bk_kind_of(part->kind)->may_be_empty)
		diag_error(d, path, body_line, 1, "part '%s' has no text", part->title ? part->title : path);
	if ((size_t)w.max_note > part->nnotes)
		diag_error(d, path, 0, 0, "footnote %d is referenced but not defined", w.max_note);

	bk_index_anchors(a, part);
	part->links = ar_memdup(a, w.links, w.nlinks, sizeof(*w.links));
	part->nlinks = w.nlinks;
	part->images = ar_memdup(a, w.images, w.nimages, sizeof(*w.images));
	part->nimages = w.nimages;
	walker_release(&w);
	free(pdir);
	return d->nerr == nerr ? 0 : -1;
}
