/*
 * htmlbuild.c - the raw HTML that Markdown carries (GitHub READMEs,
 * Node.js's API docs), read from html.c's tokens into the part's blocks
 * and spans: inline tags as styles, links and images (html_inline);
 * blocks, lists, quotes and tables by a builder with no tree (html_feed);
 * what octavo has no likeness for counted by kind and reported once
 * (html_report).
 */
#define _DEFAULT_SOURCE
#include "walker.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ===== raw HTML: kinds and inlines ===================================== */

/*
 * Raw HTML is set where octavo has a likeness for it (html_inline here,
 * html_feed for blocks); what it has none for is left out or set plainly,
 * counted by its tag's name and what befell it, and reported once per
 * kind at the end of the part (html_report).
 */
enum html_fate {
	HF_LEFT_OUT,    /* the tag and what it holds */
	HF_UNKNOWN,     /* an unknown tag: its text kept */
	HF_UNDERLINE,   /* <u>, <ins>: the text kept, not its underline */
	HF_OVERRUN,     /* a cell's colspan= or rowspan= past the table or its rows' group */
	HF_NESTED,      /* a table inside a cell: set as lines of the cell */
};

static void html_count(struct walker *w, const char *name, enum html_fate fate, int line,
		       int col)
{
	for (size_t i = 0; i < w->nhtml; i++)
		if (w->html[i].fate == (int)fate && !strcmp(w->html[i].name, name)) {
			struct html_kind *k = &w->html[i];
			k->count++;
			if (line < k->line || (line == k->line && col < k->col)) {
				k->line = line; /* the first in the text, when told later */
				k->col = col;
			}
			return;
		}
	GROW(w->html, w->html_cap, w->nhtml + 1);
	struct html_kind *k = &w->html[w->nhtml++];
	snprintf(k->name, sizeof(k->name), "%s", *name ? name : "text");
	k->fate = fate;
	k->count = 1;
	k->line = line;
	k->col = col;
}

/* Raw HTML left out whole (a comment silently: it is one). */
void html_left_out(struct walker *w, cmark_node *n, const char *html)
{
	struct html_lexer lx;
	struct html_tok t;
	html_lexer_init(&lx, html ? html : "", html ? strlen(html) : 0);
	while (html_next(&lx, &t))
		if (t.kind == HTML_START || t.kind == HTML_END ||
		    (t.kind == HTML_TEXT && t.p[strspn(t.p, " \t\r\n")] &&
		     strspn(t.p, " \t\r\n") < t.len)) {
			html_count(w, t.kind == HTML_TEXT ? "text" : t.name, HF_LEFT_OUT,
				   node_line(w, n), node_col(n));
			return;
		}
}

void html_report(struct walker *w)
{
	static const char *const what[] = {
		[HF_LEFT_OUT] = "left out of the book",
		[HF_UNKNOWN] = "is not known to octavo: its text is kept, the tag is not",
		[HF_UNDERLINE] = "is set without its underline (octavo underlines nothing)",
		[HF_OVERRUN] = "cell spans past its table (colspan=) or its group of rows "
			       "(rowspan=): it spans as far as they go",
		[HF_NESTED] = "inside a table cell: its cells are set as lines of the outer cell",
	};
	bool hint = false;
	for (size_t i = 0; i < w->nhtml; i++) {
		const struct html_kind *k = &w->html[i];
		if (k->count > 1)
			diag_warning(w->d, w->path, k->line, k->col,
				     "raw HTML <%s> %s, %d times in this part (the first here)",
				     k->name, what[k->fate], k->count);
		else
			diag_warning(w->d, w->path, k->line, k->col, "raw HTML <%s> %s", k->name,
				     what[k->fate]);
		hint |= k->fate == HF_LEFT_OUT;
	}
	if (hint)
		diag_hint(w->d, "write it in Markdown; octavo's dialect has divs (::: name), spans "
				"([text]{.class}), ^sup^ and ~sub~");
	free(w->html);
	w->html = NULL;
	w->nhtml = w->html_cap = 0;
}

enum htag_kind {
	HT_UNKNOWN,
	HT_STYLE,     /* sets bit on its text: <b>, <code>, <sup> */
	HT_PLAIN,     /* inline, its text kept and the tag silent: <span>, <abbr> */
	HT_UNDERLINE, /* <u>, <ins> */
	HT_LINK,      /* <a href> a link; <a id|name> a place, silently */
	HT_BR,
	HT_IMG,
	HT_VOID,      /* silent and empty: <wbr>, <source>, <col>, <meta> */
	HT_BLOCK,     /* a block whose content is kept: <p>, <div>, <details> */
	HT_BOLD,      /* a block set as a bold paragraph: <summary> (bit 1), <dt> */
	HT_HEADING,   /* <h1>..<h6>: bit is the level */
	HT_PRE,
	HT_HR,
	HT_LIST,      /* <ul>, <ol> (bit: ordered) */
	HT_LI,
	HT_QUOTE,
	HT_TABLE,
	HT_CAPTION,
	HT_TSECT,     /* <thead> (bit 1), <tbody>, <tfoot> */
	HT_TR,
	HT_CELL,      /* <td>, <th> (bit 1) */
	HT_SKIP,      /* left out with what it holds: <script>, <iframe>, <svg> */
	HT_SKIP_VOID, /* left out, empty: <input>, <embed> */
};

static const struct htag {
	const char *name;
	unsigned char kind;
	unsigned bit;
} htags[] = {
	{"b", HT_STYLE, BK_STRONG},   {"strong", HT_STYLE, BK_STRONG}, {"i", HT_STYLE, BK_EM},
	{"em", HT_STYLE, BK_EM},      {"cite", HT_STYLE, BK_EM},       {"dfn", HT_STYLE, BK_EM},
	{"var", HT_STYLE, BK_EM},     {"code", HT_STYLE, BK_CODE},     {"kbd", HT_STYLE, BK_CODE},
	{"samp", HT_STYLE, BK_CODE},  {"tt", HT_STYLE, BK_CODE},       {"sup", HT_STYLE, BK_SUP},
	{"sub", HT_STYLE, BK_SUB},    {"s", HT_STYLE, BK_STRIKE},      {"del", HT_STYLE, BK_STRIKE},
	{"strike", HT_STYLE, BK_STRIKE},
	{"span", HT_PLAIN, 0},	      {"font", HT_PLAIN, 0},	       {"small", HT_PLAIN, 0},
	{"big", HT_PLAIN, 0},	      {"abbr", HT_PLAIN, 0},	       {"acronym", HT_PLAIN, 0},
	{"mark", HT_PLAIN, 0},	      {"time", HT_PLAIN, 0},	       {"data", HT_PLAIN, 0},
	{"bdi", HT_PLAIN, 0},	      {"bdo", HT_PLAIN, 0},	       {"label", HT_PLAIN, 0},
	{"nobr", HT_PLAIN, 0},	      {"q", HT_PLAIN, 0},	       {"picture", HT_PLAIN, 0},
	{"g-emoji", HT_PLAIN, 0},     {"u", HT_UNDERLINE, 0},	       {"ins", HT_UNDERLINE, 0},
	{"a", HT_LINK, 0},	      {"br", HT_BR, 0},		       {"img", HT_IMG, 0},
	{"wbr", HT_VOID, 0},	      {"source", HT_VOID, 0},	       {"col", HT_VOID, 0},
	{"colgroup", HT_VOID, 0},     {"meta", HT_VOID, 0},	       {"link", HT_VOID, 0},
	{"base", HT_VOID, 0},	      {"track", HT_VOID, 0},	       {"param", HT_VOID, 0},
	{"p", HT_BLOCK, 0},	      {"div", HT_BLOCK, 0},	       {"center", HT_BLOCK, 0},
	{"details", HT_BLOCK, 0},     {"section", HT_BLOCK, 0},	       {"article", HT_BLOCK, 0},
	{"header", HT_BLOCK, 0},      {"footer", HT_BLOCK, 0},	       {"main", HT_BLOCK, 0},
	{"aside", HT_BLOCK, 0},	      {"nav", HT_BLOCK, 0},	       {"figure", HT_BLOCK, 0},
	{"figcaption", HT_BLOCK, 0},  {"address", HT_BLOCK, 0},	       {"hgroup", HT_BLOCK, 0},
	{"dl", HT_BLOCK, 0},	      {"dd", HT_BLOCK, 0},	       {"body", HT_BLOCK, 0},
	{"html", HT_BLOCK, 0},	      {"summary", HT_BOLD, 1},	       {"dt", HT_BOLD, 0},
	{"h1", HT_HEADING, 1},	      {"h2", HT_HEADING, 2},	       {"h3", HT_HEADING, 3},
	{"h4", HT_HEADING, 4},	      {"h5", HT_HEADING, 5},	       {"h6", HT_HEADING, 6},
	{"pre", HT_PRE, 0},	      {"xmp", HT_PRE, 0},	       {"listing", HT_PRE, 0},
	{"hr", HT_HR, 0},	      {"ul", HT_LIST, 0},	       {"ol", HT_LIST, 1},
	{"menu", HT_LIST, 0},	      {"li", HT_LI, 0},		       {"blockquote", HT_QUOTE, 0},
	{"table", HT_TABLE, 0},	      {"caption", HT_CAPTION, 0},      {"thead", HT_TSECT, 1},
	{"tbody", HT_TSECT, 0},	      {"tfoot", HT_TSECT, 0},	       {"tr", HT_TR, 0},
	{"td", HT_CELL, 0},	      {"th", HT_CELL, 1},
	{"script", HT_SKIP, 0},	      {"style", HT_SKIP, 0},	       {"iframe", HT_SKIP, 0},
	{"video", HT_SKIP, 0},	      {"audio", HT_SKIP, 0},	       {"object", HT_SKIP, 0},
	{"form", HT_SKIP, 0},	      {"button", HT_SKIP, 0},	       {"select", HT_SKIP, 0},
	{"textarea", HT_SKIP, 0},     {"svg", HT_SKIP, 0},	       {"math", HT_SKIP, 0},
	{"canvas", HT_SKIP, 0},	      {"noscript", HT_SKIP, 0},	       {"template", HT_SKIP, 0},
	{"head", HT_SKIP, 0},	      {"title", HT_SKIP, 0},	       {"map", HT_SKIP, 0},
	{"input", HT_SKIP_VOID, 0},   {"embed", HT_SKIP_VOID, 0},      {"area", HT_SKIP_VOID, 0},
};

static const struct htag *htag_lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(htags); i++)
		if (!strcmp(htags[i].name, name))
			return &htags[i];
	return NULL;
}

/* ===== an image's size ================================================= */

/* The value of property name in a style="" attribute's declarations,
 * into out (its first declaration of that name). */
static bool css_prop(const char *style, const char *name, struct strbuf *out)
{
	size_t want = strlen(name);
	for (const char *p = style; *p;) {
		size_t n = strcspn(p, ";");
		const char *colon = memchr(p, ':', n);
		const char *k = p, *ke = colon ? colon : p;
		while (k < ke && isspace((unsigned char)*k))
			k++;
		while (ke > k && isspace((unsigned char)ke[-1]))
			ke--;
		if (colon && (size_t)(ke - k) == want && !strncasecmp(k, name, want)) {
			sb_add(out, colon + 1, (size_t)(p + n - colon - 1));
			return true;
		}
		p += n + (p[n] == ';');
	}
	return false;
}

/* An <img>'s width or height (side), from its style="" (which wins, as
 * CSS wins over HTML's attributes) or its attribute, into img's want_*
 * (or em_*: ems from style="" only, as HTML's attribute is pixels); a
 * value octavo cannot print at is a warning, the image at its own size. */
static void img_side(struct walker *w, const struct html_tok *t, const char *style,
		     const char *side, struct bk_image *img, int line, int col)
{
	struct strbuf v = STRBUF_INIT;
	bool css = style && css_prop(style, side, &v);
	bool given = css || html_attr(t, side, &v);
	bool wide = side[0] == 'w';
	const char *at = v.buf ? v.buf : "";
	while (isspace((unsigned char)*at))
		at++;
	double *em = !css ? NULL : wide ? &img->em_w : &img->em_h;
	if (given && *at && strncasecmp(at, "auto", 4) &&
	    !css_length(at, wide, wide ? &img->want_w : &img->want_h, &img->want_share, em)) {
		diag_warning(w->d, w->path, line, col,
			     "image %s '%s' is not a size octavo can print at; image '%s' is set "
			     "at its own size",
			     side, at, img->src);
		diag_hint(w->d, "give CSS pixels (120), or pt, pc, in, cm, mm%s%s",
			  wide ? ", or a percentage of the text's width (50%)" : "",
			  css ? ", or ems (3em)" : "; ems only in style=\"width: 3em\"");
	}
	sb_release(&v);
}

/* <img width height> and style="width: ...; height: ...": the size its
 * author asked for at this place. */
static void img_size(struct walker *w, const struct html_tok *t, struct bk_image *img, int line,
		     int col)
{
	struct strbuf style = STRBUF_INIT;
	html_attr(t, "style", &style);
	img_side(w, t, style.buf, "width", img, line, col);
	img_side(w, t, style.buf, "height", img, line, col);
	sb_release(&style);
}

/* An <img>: its file as an image in the line, or its alt text standing
 * in for a picture on the web. */
static void html_img(struct walker *w, struct spans *s, const struct html_tok *t, unsigned style,
		     int link, int line, int col)
{
	struct strbuf src = STRBUF_INIT, alt = STRBUF_INIT, title = STRBUF_INIT;
	html_attr(t, "src", &src);
	html_attr(t, "alt", &alt);
	html_attr(t, "title", &title);
	/* quotes and dashes as in Markdown's alt text (cmark's smart punctuation) */
	const char *text = bk_smarten(w->a, alt.buf);
	struct bk_image *img = image_file(w, src.buf, text, title.buf, line, col);
	if (img) {
		img_size(w, t, img, line, col);
		struct bk_span sp = {BK_SPAN_IMAGE, style, img->alt, strlen(img->alt), link, -1, img,
				     line, col, w->lang};
		add_span(w, s, sp);
	} else if (is_remote(src.buf)) {
		stand_in_start(w, s, line, col, style);
		add_text_at(w, s, line, col, text, strlen(text), style, link);
		stand_in_end(s);
	}
	sb_release(&src);
	sb_release(&alt);
	sb_release(&title);
}

/* <a href>: the link's index, -1 for none (<a id=...> marks a place). */
static int html_link(struct walker *w, const struct html_tok *t, int line, int col)
{
	struct strbuf v = STRBUF_INIT;
	int k = html_attr(t, "href", &v) ? add_link(w, v.buf, line, col) : -1;
	sb_release(&v);
	return k;
}

/*
 * Inline HTML inside Markdown text (one tag per node; the text between is
 * the siblings'): a style tag sets its bit for the siblings up to its
 * closing tag (*hs), <a href> the link (*hl), <br> a line break, <img> an
 * image; tags of blocks and plain spans keep their text silently.
 * Returns false for HTML octavo does not set, which html_left_out reports.
 */
bool html_inline(struct walker *w, struct spans *s, cmark_node *n, unsigned style, int link,
		 unsigned *hs, int *hl)
{
	const char *h = cmark_node_get_literal(n);
	struct html_lexer lx;
	struct html_tok t;
	html_lexer_init(&lx, h ? h : "", h ? strlen(h) : 0);
	if (!html_next(&lx, &t) || t.kind == HTML_COMMENT || t.kind == HTML_OTHER)
		return true;
	if (t.kind == HTML_TEXT)
		return false;
	bool close = t.kind == HTML_END;
	int line = node_line(w, n), col = node_col(n);
	const struct htag *tg = htag_lookup(t.name);
	switch (tg ? tg->kind : HT_UNKNOWN) {
	case HT_STYLE:
		*hs = close ? *hs & ~tg->bit : *hs | tg->bit;
		return true;
	case HT_UNDERLINE:
		if (!close)
			html_count(w, t.name, HF_UNDERLINE, line, col);
		return true;
	case HT_LINK:
		*hl = close ? -1 : html_link(w, &t, line, col);
		return true;
	case HT_BR:
	case HT_HR:
		if (!close)
			add_break(w, s, line, col, style, link);
		return true;
	case HT_IMG:
		if (!close)
			html_img(w, s, &t, style, *hl >= 0 ? *hl : link, line, col);
		return true;
	case HT_PLAIN:
	case HT_VOID:
	case HT_BLOCK:
	case HT_BOLD:
	case HT_HEADING:
	case HT_LIST:
	case HT_LI:
	case HT_QUOTE:
		return true;
	case HT_UNKNOWN:
	case HT_SKIP:
	case HT_SKIP_VOID:
		/* the text between (a <video>'s fallback words) is kept */
		if (!close)
			html_count(w, t.name, tg ? HF_LEFT_OUT : HF_UNKNOWN, line, col);
		return true;
	default:
		return false;
	}
}

/* ===== raw HTML: blocks ================================================ */

/*
 * Block HTML is read by a small builder with no tree: a stack of open
 * containers (the Markdown container's own blocks at the bottom, then
 * lists, items and quotes), the paragraph being gathered, the open inline
 * tags and the table being read. It lives as long as the Markdown
 * container it sits in (walk_blocks), so a table opened in one HTML block
 * takes the Markdown blocks after it into its open cell until an HTML
 * block closes it, as GitHub's renderer does (CommonMark ends an HTML
 * block at a blank line).
 */

#define HTML_FRAMES 16
#define HTML_INLINES 32

struct hframe {
	struct bk_block b;  /* what it becomes: kind, flags, level, line, col */
	struct bk_block *v; /* its blocks so far (heap) */
	size_t n, cap;
	char tag[24];       /* a div's: the tag that closes it, and how many */
	int same;           /* of its name are open inside it */
};

/* A column that a cell above covers for left more rows: the cell is
 * rows[row].kids[col]. */
struct cover {
	int left;
	size_t row, col;
	bool th, to_end; /* to_end: rowspan=0, down to its group's end */
};

struct htable {
	int line, col;
	struct bk_block *rows; /* heap */
	size_t nrows, rcap;
	struct bk_block *cells; /* the open row's (heap) */
	size_t ncells, ccap;
	bool *th;               /* th[i]: cells[i] is a <th> */
	size_t thcap;
	struct cover *cov;      /* by column: a rowspan= reaching down */
	size_t ncov;
	char *aligns;           /* by column, from the first row's cells */
	size_t naligns;
	struct spans cell, caption;
	int cell_line, cell_col, cols, rows_spanned, nin; /* the open cell's */
	bool to_end;            /* the open cell's rowspan=0 */
	bool in_row, in_cell, in_caption, thead, body_seen, all_th, cell_th;
	int nested;             /* tables open inside a cell */
};

struct hinline {
	char name[24];
	unsigned style;
	int link;
};

struct hbuild {
	struct hframe fr[HTML_FRAMES];
	int nfr, unpushed; /* frames on the stack; pushes refused when it was full */
	struct spans para;    /* the paragraph being gathered */
	int para_line, para_col;
	int para_level;       /* a heading's level, 0 for a paragraph */
	unsigned para_style;  /* BK_STRONG in <summary> or <dt> */
	const char *para_class; /* the paragraph's div: "centered" (<p align>) */
	bool para_summary;    /* in <summary>: the paragraph a BK_SUMMARY div */
	struct hinline in[HTML_INLINES];
	int nin;
	struct htable *tab;
	char skip[24];        /* inside an element left out: its name, how deep */
	int skip_depth;
	bool pre;             /* inside <pre>: its text */
	struct strbuf pre_text;
	int pre_line, pre_col;
	int line, col;        /* the token's */
};

static void hb_add(struct walker *w, struct hbuild *hb, struct bk_block *b);

/* Whether s holds nothing yet, or ends in a space or a line break: where
 * HTML's white space adds nothing. */
static bool spans_blank(const struct spans *s)
{
	if (!s->n)
		return true;
	if (s->open)
		return !s->pend.len || s->pend.buf[s->pend.len - 1] == ' ';
	const struct bk_span *l = &s->v[s->n - 1];
	return l->kind == BK_SPAN_BREAK || (l->kind == BK_SPAN_TEXT && l->len &&
					    l->text[l->len - 1] == ' ');
}

/* Drops trailing spaces and line breaks. */
static void spans_trim(struct spans *s)
{
	while (s->n) {
		if (s->open) {
			while (s->pend.len && s->pend.buf[s->pend.len - 1] == ' ')
				sb_truncate(&s->pend, s->pend.len - 1);
			if (s->pend.len)
				return;
			s->open = false;
			s->n--;
		} else if (s->v[s->n - 1].kind == BK_SPAN_BREAK) {
			s->n--;
		} else {
			return;
		}
	}
}

/* The spans gathered so far as an arena copy in b; s is emptied. */
static void spans_take(struct walker *w, struct spans *s, struct bk_block *b)
{
	spans_trim(s);
	flush_text(w, s);
	b->spans = s->n ? ar_memdup(w->a, s->v, s->n, sizeof(*s->v)) : NULL;
	b->nspans = s->n;
	s->n = 0;
}

static unsigned hb_style(const struct hbuild *hb)
{
	unsigned st = hb->tab ? 0 : hb->para_style;
	for (int i = 0; i < hb->nin; i++)
		st |= hb->in[i].style;
	return st;
}

static int hb_link(const struct hbuild *hb)
{
	for (int i = hb->nin - 1; i >= 0; i--)
		if (hb->in[i].link >= 0)
			return hb->in[i].link;
	return -1;
}

/* The paragraph gathered so far as a block: a heading inside <hN>, a
 * figure when it is one image, else a paragraph. */
static void hb_flush(struct walker *w, struct hbuild *hb)
{
	struct bk_block b = {.line = hb->para_line, .col = hb->para_col};
	spans_take(w, &hb->para, &b);
	if (!b.nspans)
		return;
	if (hb->para_level) {
		b.kind = BK_HEADING;
		b.level = hb->para_level;
		heading_anchors(w, &b, NULL);
	} else if (b.nspans == 1 && b.spans[0].kind == BK_SPAN_IMAGE) {
		b.kind = BK_FIGURE;
		b.img = b.spans[0].img;
		b.spans = NULL;
		b.nspans = 0;
	} else {
		b.kind = BK_PARA;
	}
	/* <p align=center> centred; <summary> a bold label (a BK_SUMMARY div)
	 * and <dt> bold and flush, with the text after them flush too (a
	 * div's way) */
	bool summary = hb->para_summary && hb->para_style;
	const char *cls = hb->para_class		      ? hb->para_class
			  : hb->para_style && !summary ? "noindent"
						       : NULL;
	hb->para_class = NULL;
	if ((cls || summary) && !hb->tab) {
		struct bk_block div = {.kind = BK_DIV, .line = b.line, .col = b.col, .nkids = 1,
				       .flags = summary ? BK_SUMMARY : 0, .nclasses = cls != NULL};
		div.kids = ar_memdup(w->a, &b, 1, sizeof(b));
		div.classes = cls ? ar_memdup(w->a, &cls, 1, sizeof(cls)) : NULL;
		b = div;
	}
	hb_add(w, hb, &b);
}

static void frame_push(struct hbuild *hb, enum bk_block_kind kind, unsigned flags, int level)
{
	if (hb->nfr == HTML_FRAMES) {
		hb->unpushed++; /* its content goes into the frame below */
		return;
	}
	struct hframe *f = &hb->fr[hb->nfr++];
	memset(f, 0, sizeof(*f));
	f->b.kind = kind;
	f->b.flags = flags;
	f->b.level = level;
	f->b.line = hb->line;
	f->b.col = hb->col;
}

/* Closes the top frame into a block of the one below. */
static void frame_pop(struct walker *w, struct hbuild *hb)
{
	hb_flush(w, hb);
	if (hb->unpushed) {
		hb->unpushed--;
		return;
	}
	assert(hb->nfr > 1);
	struct hframe *f = &hb->fr[--hb->nfr];
	struct bk_block b = f->b;
	b.kids = f->n ? ar_memdup(w->a, f->v, f->n, sizeof(*f->v)) : NULL;
	b.nkids = f->n;
	free(f->v);
	if (b.nkids || b.kind == BK_ITEM)
		hb_add(w, hb, &b);
}

/* Closes frames down to and including the nearest of kind (and tag,
 * unless NULL); none when no such frame is open. */
static void frame_close(struct walker *w, struct hbuild *hb, enum bk_block_kind kind,
			const char *tag)
{
	int i = hb->nfr - 1;
	while (i > 0 && (hb->fr[i].b.kind != kind || (tag && strcmp(hb->fr[i].tag, tag))))
		i--;
	if (i <= 0)
		return;
	while (hb->nfr > i)
		frame_pop(w, hb);
}

/* ----- tables ----- */

/* Sets block b's content as lines of a cell's text: what a table cell
 * can hold. cont: b continues the line it starts on (after a bullet). */
static void cell_flatten(struct walker *w, struct spans *s, const struct bk_block *b, bool cont,
			 int depth)
{
	if (depth > MAX_NESTING)
		return;
	if (!cont && !spans_blank(s))
		add_break(w, s, b->line, b->col, 0, -1);
	switch (b->kind) {
	case BK_CODE_BLOCK:
		for (const char *p = b->text; *p;) {
			size_t n = strcspn(p, "\n");
			add_text_at(w, s, b->line, b->col, p, n, BK_CODE, -1);
			p += n + (p[n] == '\n');
			if (*p)
				add_break(w, s, b->line, b->col, 0, -1);
		}
		return;
	case BK_FIGURE: {
		struct bk_span sp = {BK_SPAN_IMAGE, 0, b->img->alt, strlen(b->img->alt), -1, -1,
				     b->img, b->line, b->col, w->lang};
		add_span(w, s, sp);
		return;
	}
	case BK_ITEM:
		add_text_at(w, s, b->line, b->col, "\u2022 ", strlen("\u2022 "), 0, -1);
		for (size_t i = 0; i < b->nkids; i++)
			cell_flatten(w, s, &b->kids[i], i == 0, depth + 1);
		return;
	default:
		for (size_t i = 0; i < b->nspans; i++)
			add_span(w, s, b->spans[i]);
		for (size_t i = 0; i < b->nkids; i++)
			cell_flatten(w, s, &b->kids[i], false, depth + 1);
		return;
	}
}

static void tab_push_cell(struct htable *t, const struct bk_block *c, bool th)
{
	GROW(t->cells, t->ccap, t->ncells + 1);
	t->cells[t->ncells] = *c;
	if (t->thcap < t->ccap) {
		t->th = xrealloc(t->th, t->ccap * sizeof(*t->th));
		t->thcap = t->ccap;
	}
	t->th[t->ncells++] = th;
}

/* Covered cells where rows above reach down (rowspan=) at the row's next
 * column. */
static void tab_fill_spanned(struct htable *t, int line, int col)
{
	struct bk_block covered = {.kind = BK_CELL, .flags = BK_COVERED, .line = line, .col = col,
				   .colspan = 1, .rowspan = 1};
	while (t->ncells < t->ncov && t->cov[t->ncells].left > 0) {
		t->cov[t->ncells].left--;
		tab_push_cell(t, &covered, false);
	}
}

/* The open cell set, with a covered cell for each further column it spans
 * (up to a column a cell above covers: HTML's cells never overlap), and
 * its rowspan= remembered for the rows below. */
static void tab_cell_close(struct walker *w, struct hbuild *hb)
{
	struct htable *t = hb->tab;
	if (!t->in_cell)
		return;
	struct bk_block c = {.kind = BK_CELL, .line = t->cell_line, .col = t->cell_col,
			     .colspan = t->cols, .rowspan = t->rows_spanned};
	spans_take(w, &t->cell, &c);
	size_t first = t->ncells;
	for (int k = 1; k < c.colspan; k++)
		if (first + (size_t)k < t->ncov && t->cov[first + (size_t)k].left > 0) {
			html_count(w, t->cell_th ? "th" : "td", HF_OVERRUN, c.line, c.col);
			c.colspan = k;
		}
	tab_push_cell(t, &c, t->cell_th);
	t->all_th &= t->cell_th;
	struct bk_block covered = {.kind = BK_CELL, .flags = BK_COVERED, .line = c.line,
				   .col = c.col, .colspan = 1, .rowspan = 1};
	for (int k = 1; k < c.colspan; k++)
		tab_push_cell(t, &covered, false);
	if (c.rowspan > 1) {
		if (t->ncov < t->ncells) {
			t->cov = xrealloc(t->cov, t->ncells * sizeof(*t->cov));
			memset(t->cov + t->ncov, 0, (t->ncells - t->ncov) * sizeof(*t->cov));
			t->ncov = t->ncells;
		}
		for (size_t k = first; k < t->ncells; k++)
			t->cov[k] = (struct cover){c.rowspan - 1, t->nrows, first, t->cell_th,
						   t->to_end};
	}
	hb->nin = t->nin; /* inline tags left open close with the cell */
	t->in_cell = false;
}

/* A group of rows ends (thead, tbody, tfoot): a rowspan= reaching past it
 * spans as far as it goes, as in HTML. */
static void tab_group_end(struct walker *w, struct htable *t)
{
	for (size_t k = 0; k < t->ncov; k++) {
		struct cover *v = &t->cov[k];
		if (v->left > 0 && v->col == k) {
			struct bk_block *c = &t->rows[v->row].kids[v->col];
			c->rowspan -= v->left;
			if (!v->to_end)
				html_count(w, v->th ? "th" : "td", HF_OVERRUN, c->line, c->col);
		}
		v->left = 0;
	}
}

static void tab_row_close(struct walker *w, struct hbuild *hb)
{
	struct htable *t = hb->tab;
	tab_cell_close(w, hb);
	if (!t->in_row)
		return;
	t->in_row = false;
	/* places after the row's last cell: covered from above, or empty
	 * up to the last that is */
	struct bk_block empty = {.kind = BK_CELL, .line = hb->line, .col = hb->col, .colspan = 1,
				 .rowspan = 1};
	for (size_t k = t->ncov; k > t->ncells; k--)
		if (t->cov[k - 1].left > 0) {
			while (t->ncells < k) {
				tab_fill_spanned(t, hb->line, hb->col);
				if (t->ncells < k)
					tab_push_cell(t, &empty, false);
			}
			break;
		}
	if (!t->ncells)
		return;
	bool head = !t->body_seen && (t->thead || t->all_th);
	struct bk_block r = {.kind = BK_ROW, .flags = head ? BK_HEADER_ROW : 0,
			     .line = t->cells[0].line, .col = t->cells[0].col};
	if (!head) {
		/* a row's header cell (<th scope=row>) in bold, as browsers set it */
		t->body_seen = true;
		for (size_t i = 0; i < t->ncells; i++)
			for (size_t k = 0; t->th[i] && k < t->cells[i].nspans; k++)
				t->cells[i].spans[k].style |= BK_STRONG;
	}
	r.kids = ar_memdup(w->a, t->cells, t->ncells, sizeof(*t->cells));
	r.nkids = t->ncells;
	GROW(t->rows, t->rcap, t->nrows + 1);
	t->rows[t->nrows++] = r;
	t->ncells = 0;
}

/* A cell's alignment, from align= or style="text-align: ...". */
static char cell_align(const struct html_tok *tok)
{
	struct strbuf v = STRBUF_INIT;
	char a = '-';
	const char *p = NULL;
	if (html_attr(tok, "align", &v))
		p = v.buf;
	else if (html_attr(tok, "style", &v) && (p = strstr(v.buf, "text-align")))
		p += strcspn(p, ":") + (p[strcspn(p, ":")] == ':'), p += strspn(p, " ");
	if (p && (!strncasecmp(p, "left", 4) || !strncasecmp(p, "center", 6) ||
		  !strncasecmp(p, "right", 5)))
		a = (char)tolower((unsigned char)*p);
	sb_release(&v);
	return a;
}

static int span_attr(const struct html_tok *tok, const char *name, int most)
{
	struct strbuf v = STRBUF_INIT;
	int n = html_attr(tok, name, &v) ? atoi(v.buf) : 1;
	sb_release(&v);
	return n < 1 ? 1 : n > most ? most : n;
}

/* A <td> or <th> (tok; NULL for text outside any cell, which HTML sets
 * in one of its own). */
static void tab_cell_open(struct walker *w, struct hbuild *hb, const struct html_tok *tok,
			  bool th)
{
	struct htable *t = hb->tab;
	tab_cell_close(w, hb);
	if (!t->in_row) {
		t->in_row = true;
		t->all_th = true;
	}
	tab_fill_spanned(t, hb->line, hb->col);
	t->in_cell = true;
	t->cell_th = th;
	t->cell_line = hb->line;
	t->cell_col = hb->col;
	t->cols = tok ? span_attr(tok, "colspan", 100) : 1;
	t->rows_spanned = tok ? span_attr(tok, "rowspan", 1000) : 1;
	/* rowspan=0: down to the end of its group of rows, as HTML has it */
	struct strbuf v = STRBUF_INIT;
	t->to_end = tok && html_attr(tok, "rowspan", &v) && v.buf[0] == '0' && !atoi(v.buf);
	sb_release(&v);
	if (t->to_end)
		t->rows_spanned = 1000;
	t->nin = hb->nin;
	if (!t->nrows && tok) {
		size_t c = t->ncells;
		if (t->naligns <= c) {
			t->aligns = xrealloc(t->aligns, c + 1);
			memset(t->aligns + t->naligns, '-', c + 1 - t->naligns);
			t->naligns = c + 1;
		}
		t->aligns[c] = cell_align(tok);
	}
}

static void tab_open(struct walker *w, struct hbuild *hb)
{
	hb_flush(w, hb);
	struct htable *t = xcalloc(1, sizeof(*t));
	t->cell.pend = (struct strbuf)STRBUF_INIT;
	t->caption.pend = (struct strbuf)STRBUF_INIT;
	t->line = hb->line;
	t->col = hb->col;
	hb->tab = t;
}

/* Header rows (all <th>, no <thead>) that a cell ties by its rowspan= to
 * a body row below are body rows too: a table's head repeats whole. */
static void tab_head_rows(struct htable *t)
{
	size_t nh = 0;
	while (nh < t->nrows && (t->rows[nh].flags & BK_HEADER_ROW))
		nh++;
	for (size_t r = nh; r-- > 0;) {
		struct bk_block *row = &t->rows[r];
		bool tied = false;
		for (size_t k = 0; k < row->nkids; k++)
			tied |= !(row->kids[k].flags & BK_COVERED) &&
				r + (size_t)row->kids[k].rowspan > nh;
		if (!tied)
			continue;
		for (; nh > r; nh--) { /* its <th>s bold, as in a body row */
			struct bk_block *body = &t->rows[nh - 1];
			body->flags &= ~(unsigned)BK_HEADER_ROW;
			for (size_t k = 0; k < body->nkids; k++)
				for (size_t i = 0; i < body->kids[k].nspans; i++)
					body->kids[k].spans[i].style |= BK_STRONG;
		}
	}
}

/* Drops the columns no cell starts in (a colspan= of 200 over a few):
 * HTML gives them no width, and here each would take a gutter. ncols:
 * the columns before; returns those kept. */
static int tab_drop_columns(struct htable *t, int ncols)
{
	bool *used = xcalloc((size_t)ncols, sizeof(bool));
	int kept = 0;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t k = 0; k < t->rows[r].nkids && k < (size_t)ncols; k++)
			used[k] |= !(t->rows[r].kids[k].flags & BK_COVERED);
	for (int k = 0; k < ncols; k++)
		kept += used[k];
	for (size_t r = 0; kept < ncols && r < t->nrows; r++) {
		struct bk_block *row = &t->rows[r];
		size_t n = 0;
		for (size_t k = 0; k < row->nkids && k < (size_t)ncols; k++) {
			struct bk_block c = row->kids[k];
			if (!used[k])
				continue;
			int span = 0;
			for (size_t j = k; j < k + (size_t)c.colspan && j < (size_t)ncols; j++)
				span += used[j];
			c.colspan = span > 1 ? span : 1;
			row->kids[n++] = c;
		}
		row->nkids = n;
	}
	for (size_t k = 0, n = 0; kept < ncols && k < t->naligns; k++)
		if (k >= (size_t)ncols || used[k])
			t->aligns[n++] = t->aligns[k];
	if (kept < ncols && t->naligns > (size_t)kept)
		t->naligns = (size_t)kept;
	free(used);
	return kept;
}

/* The table's columns: as many as its rows' cells start in; a colspan=
 * past them spans as far as they go, and shorter rows are padded. */
static int tab_columns(struct walker *w, struct htable *t)
{
	int ncols = 0;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t k = 0; k < t->rows[r].nkids; k++)
			if (!(t->rows[r].kids[k].flags & BK_COVERED) && (int)k >= ncols)
				ncols = (int)k + 1;
	ncols = tab_drop_columns(t, ncols);
	for (size_t r = 0; r < t->nrows; r++) {
		struct bk_block *row = &t->rows[r];
		for (int k = 0; k < ncols && (size_t)k < row->nkids; k++) {
			struct bk_block *c = &row->kids[k];
			if (!(c->flags & BK_COVERED) && k + c->colspan > ncols) {
				html_count(w, row->flags & BK_HEADER_ROW ? "th" : "td", HF_OVERRUN,
					   c->line, c->col);
				c->colspan = ncols - k;
			}
		}
		if ((int)row->nkids == ncols)
			continue;
		struct bk_block *v = ar_alloc(w->a, (size_t)ncols * sizeof(*v));
		size_t keep = row->nkids < (size_t)ncols ? row->nkids : (size_t)ncols;
		memcpy(v, row->kids, keep * sizeof(*v));
		for (size_t c = keep; c < (size_t)ncols; c++)
			v[c] = (struct bk_block){.kind = BK_CELL, .line = row->line, .col = row->col,
						 .colspan = 1, .rowspan = 1};
		row->kids = v;
		row->nkids = (size_t)ncols;
	}
	return ncols;
}

/* The table read so far, as a book table (a grid: rows padded to the
 * widest, spans kept inside it and their groups of rows). */
static void tab_close(struct walker *w, struct hbuild *hb)
{
	struct htable *t = hb->tab;
	tab_row_close(w, hb);
	struct bk_block b = {.kind = BK_TABLE, .line = t->line, .col = t->col};
	tab_group_end(w, t);
	b.ncols = tab_columns(w, t);
	tab_head_rows(t);
	struct bk_block cap = {0};
	spans_take(w, &t->caption, &cap);
	hb->tab = NULL;
	if (b.ncols) {
		char *al = ar_alloc(w->a, (size_t)b.ncols + 1);
		for (int c = 0; c < b.ncols; c++)
			al[c] = (size_t)c < t->naligns ? t->aligns[c] : '-';
		al[b.ncols] = 0;
		b.aligns = al;
		b.kids = ar_memdup(w->a, t->rows, t->nrows, sizeof(*t->rows));
		b.nkids = t->nrows;
		b.caption = cap.spans;
		b.ncaption = cap.nspans;
		hb_add(w, hb, &b);
	}
	free(t->rows);
	free(t->cells);
	free(t->th);
	free(t->cov);
	free(t->aligns);
	free(t->cell.v);
	free(t->caption.v);
	sb_release(&t->cell.pend);
	sb_release(&t->caption.pend);
	free(t);
}

/* Inside a cell, a table's tags set its cells as lines of the cell:
 * true when tok was one. */
static bool tab_nested(struct walker *w, struct hbuild *hb, int kind, bool end)
{
	struct htable *t = hb->tab;
	if (kind == HT_TABLE && !end) {
		html_count(w, "table", HF_NESTED, hb->line, hb->col);
		t->nested++;
	} else if (!t->nested || (kind != HT_TABLE && kind != HT_TR && kind != HT_CELL &&
				  kind != HT_TSECT && kind != HT_CAPTION)) {
		return false;
	} else if (kind == HT_TABLE) {
		t->nested--;
	} else if (kind == HT_CELL && !end && !spans_blank(&t->cell)) {
		add_text_at(w, &t->cell, hb->line, hb->col, " ", 1, 0, -1);
	}
	if (!spans_blank(&t->cell) && (kind == HT_TABLE || kind == HT_TR || kind == HT_CAPTION))
		add_break(w, &t->cell, hb->line, hb->col, 0, -1);
	return true;
}

/* ----- the builder ----- */

/* Where inline content goes: the table's caption or open cell, or the
 * paragraph. content: there is some to set (text outside a table's
 * cells opens one); NULL when white space has nowhere to go. */
static struct spans *hb_target(struct walker *w, struct hbuild *hb, bool content)
{
	struct htable *t = hb->tab;
	if (!t) {
		if (!hb->para.n) {
			hb->para_line = hb->line;
			hb->para_col = hb->col;
		}
		return &hb->para;
	}
	if (t->in_caption)
		return &t->caption;
	if (!t->in_cell && content)
		tab_cell_open(w, hb, NULL, false);
	return t->in_cell ? &t->cell : NULL;
}

/* A block, from HTML or Markdown: into the open cell, or the top frame
 * (a list's stray content into an item of its own). */
static void hb_add(struct walker *w, struct hbuild *hb, struct bk_block *b)
{
	if (hb->tab) {
		struct spans *s = hb_target(w, hb, true);
		cell_flatten(w, s, b, false, 0);
		return;
	}
	struct hframe *f = &hb->fr[hb->nfr - 1];
	if (f->b.kind == BK_LIST && b->kind != BK_ITEM && hb->nfr < HTML_FRAMES) {
		frame_push(hb, BK_ITEM, 0, 0);
		f = &hb->fr[hb->nfr - 1];
	}
	GROW(f->v, f->cap, f->n + 1);
	f->v[f->n++] = *b;
}

/* Text between tags: references decoded, white space collapsed as HTML
 * does outside <pre>. */
static void hb_text(struct walker *w, struct hbuild *hb, const char *p, size_t n)
{
	if (hb->skip_depth)
		return;
	if (hb->pre) {
		html_decode(&hb->pre_text, p, n);
		return;
	}
	struct strbuf dec = STRBUF_INIT, out = STRBUF_INIT;
	html_decode(&dec, p, n);
	bool content = dec.len > strspn(dec.buf, " \t\r\n\f");
	struct spans *s = hb_target(w, hb, content);
	if (s) {
		bool blank = spans_blank(s);
		for (size_t i = 0; i < dec.len; i++) {
			char c = dec.buf[i];
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
				if (!blank)
					sb_addc(&out, ' ');
				blank = true;
			} else {
				sb_addc(&out, c);
				blank = false;
			}
		}
		unsigned style = hb_style(hb);
		/* quotes and dashes as cmark's smart punctuation sets Markdown's */
		const char *text = style & BK_CODE ? out.buf : bk_smarten(w->a, out.buf);
		add_text_at(w, s, hb->line, hb->col, text, strlen(text), style, hb_link(hb));
	}
	sb_release(&dec);
	sb_release(&out);
}

/* A block-level tag: the paragraph ends (in a cell, the line). */
static void hb_break(struct walker *w, struct hbuild *hb)
{
	struct htable *t = hb->tab;
	if (!t)
		hb_flush(w, hb);
	else if (t->in_cell && !spans_blank(&t->cell))
		add_break(w, &t->cell, hb->line, hb->col, 0, -1);
}

static void pre_close(struct walker *w, struct hbuild *hb)
{
	hb->pre = false;
	struct strbuf *p = &hb->pre_text;
	struct bk_block b = {.kind = BK_CODE_BLOCK, .line = hb->pre_line, .col = hb->pre_col};
	size_t skip = p->len && p->buf[0] == '\n'; /* HTML drops a first newline */
	if (skip)
		b.flags |= BK_FENCED;
	b.text = ar_printf(w->a, "%s%s", p->buf + skip,
			   p->len > skip && p->buf[p->len - 1] != '\n' ? "\n" : "");
	sb_reset(p);
	if (*b.text)
		hb_add(w, hb, &b);
}

/* An inline tag opens (pushed with its style and link) or closes (the
 * nearest of its name popped, with any left open inside it). */
static void hb_inline(struct walker *w, struct hbuild *hb, const struct html_tok *t,
		      const struct htag *tg)
{
	if (t->kind == HTML_END) {
		for (int i = hb->nin - 1; i >= (hb->tab ? hb->tab->nin : 0); i--)
			if (!strcmp(hb->in[i].name, t->name)) {
				hb->nin = i;
				return;
			}
		return;
	}
	if (t->self_closing || hb->nin == HTML_INLINES)
		return;
	struct hinline *in = &hb->in[hb->nin++];
	memcpy(in->name, t->name, sizeof(in->name));
	in->style = tg && tg->kind == HT_STYLE ? tg->bit : 0;
	in->link = tg && tg->kind == HT_LINK ? html_link(w, t, hb->line, hb->col) : -1;
}

/* Lists, items and quotes: frames (in a cell, lines and bullets). */
static void hb_container(struct walker *w, struct hbuild *hb, const struct html_tok *t,
			 const struct htag *tg)
{
	bool end = t->kind == HTML_END;
	hb_break(w, hb);
	if (hb->tab) {
		if (tg->kind == HT_LI && !end)
			add_text_at(w, hb_target(w, hb, true), hb->line, hb->col, "\u2022 ",
				    strlen("\u2022 "), 0, -1);
		return;
	}
	enum bk_block_kind top = hb->fr[hb->nfr - 1].b.kind;
	if (tg->kind == HT_LIST && !end) {
		struct strbuf v = STRBUF_INIT;
		int start = tg->bit && html_attr(t, "start", &v) ? atoi(v.buf) : 1;
		sb_release(&v);
		frame_push(hb, BK_LIST, BK_TIGHT | (tg->bit ? BK_ORDERED : 0),
			   start < 0 ? 0 : start > 999999 ? 999999 : start);
	} else if (tg->kind == HT_LIST) {
		frame_close(w, hb, BK_LIST, NULL);
	} else if (tg->kind == HT_LI && !end) {
		if (top == BK_ITEM)
			frame_pop(w, hb);
		if (hb->fr[hb->nfr - 1].b.kind != BK_LIST)
			frame_push(hb, BK_LIST, BK_TIGHT, 1);
		frame_push(hb, BK_ITEM, 0, 0);
	} else if (tg->kind == HT_LI) {
		if (top == BK_ITEM)
			frame_pop(w, hb);
	} else if (!end) {
		frame_push(hb, BK_QUOTE, 0, 0);
	} else {
		frame_close(w, hb, BK_QUOTE, NULL);
	}
}

/* A block whose content is kept: <center>, <div align=center> a centred
 * div (closed by its own end tag); <p align=center> a centred paragraph. */
static void hb_block(struct walker *w, struct hbuild *hb, const struct html_tok *t)
{
	hb_break(w, hb);
	if (hb->tab)
		return;
	struct hframe *top = &hb->fr[hb->nfr - 1];
	bool same = top->b.kind == BK_DIV && !strcmp(top->tag, t->name);
	if (t->kind == HTML_END) {
		if (same && top->same)
			top->same--;
		else if (same)
			frame_pop(w, hb);
		return;
	}
	struct strbuf v = STRBUF_INIT;
	bool centre = !strcmp(t->name, "center") ||
		      (html_attr(t, "align", &v) && !strcasecmp(v.buf, "center"));
	sb_release(&v);
	if (centre && !strcmp(t->name, "p")) {
		hb->para_class = "centered";
	} else if (!strcmp(t->name, "details") && hb->nfr < HTML_FRAMES) {
		/* its summary a label, its body the text: both editions */
		frame_push(hb, BK_DIV, BK_DETAILS, 0);
		memcpy(hb->fr[hb->nfr - 1].tag, t->name, sizeof(top->tag));
	} else if (centre && hb->nfr < HTML_FRAMES) {
		frame_push(hb, BK_DIV, 0, 0);
		top = &hb->fr[hb->nfr - 1];
		static const char *const centred[] = {"centered"};
		top->b.classes = ar_memdup(w->a, centred, 1, sizeof(centred[0]));
		top->b.nclasses = 1;
		memcpy(top->tag, t->name, sizeof(top->tag));
	} else if (same) {
		top->same++;
	}
}

/* A table's own tags (outside any table, a line break). */
static void hb_table(struct walker *w, struct hbuild *hb, const struct html_tok *t,
		     const struct htag *tg)
{
	bool end = t->kind == HTML_END;
	struct htable *tab = hb->tab;
	if (tg->kind == HT_TABLE) {
		if (!end)
			tab_open(w, hb);
		else if (tab)
			tab_close(w, hb);
		return;
	}
	if (!tab) {
		hb_break(w, hb);
		return;
	}
	switch (tg->kind) {
	case HT_CAPTION:
		tab_row_close(w, hb);
		tab->in_caption = !end;
		break;
	case HT_TSECT:
		tab_row_close(w, hb);
		tab_group_end(w, tab);
		tab->thead = !end && tg->bit;
		break;
	case HT_TR:
		tab_row_close(w, hb);
		if (!end) {
			tab->in_row = true;
			tab->all_th = true;
		}
		break;
	default: /* HT_CELL */
		if (!end)
			tab_cell_open(w, hb, t, tg->bit);
		else
			tab_cell_close(w, hb);
		break;
	}
}

/* One tag, start or end. */
static void hb_tag(struct walker *w, struct hbuild *hb, const struct html_tok *t)
{
	bool end = t->kind == HTML_END;
	const struct htag *tg = htag_lookup(t->name);
	int kind = tg ? tg->kind : HT_UNKNOWN;
	if (hb->skip_depth) {
		if (!strcmp(t->name, hb->skip) && !t->self_closing)
			hb->skip_depth += end ? -1 : 1;
		return;
	}
	if (hb->pre) {
		if (end && kind == HT_PRE)
			pre_close(w, hb);
		else if (!end && kind == HT_BR)
			sb_addc(&hb->pre_text, '\n');
		return;
	}
	if (hb->tab && tab_nested(w, hb, kind, end))
		return;
	switch (kind) {
	case HT_UNDERLINE:
		if (!end)
			html_count(w, t->name, HF_UNDERLINE, hb->line, hb->col);
		/* fall through */
	case HT_STYLE:
	case HT_PLAIN:
	case HT_LINK:
		hb_inline(w, hb, t, tg);
		return;
	case HT_UNKNOWN:
		if (!end)
			html_count(w, t->name, HF_UNKNOWN, hb->line, hb->col);
		return;
	case HT_BR: {
		struct spans *s = end ? NULL : hb_target(w, hb, false);
		if (s && !spans_blank(s))
			add_break(w, s, hb->line, hb->col, hb_style(hb), hb_link(hb));
		return;
	}
	case HT_IMG:
		if (!end)
			html_img(w, hb_target(w, hb, true), t, hb_style(hb), hb_link(hb), hb->line,
				 hb->col);
		return;
	case HT_SKIP:
		if (!end && !t->self_closing) {
			memcpy(hb->skip, t->name, sizeof(hb->skip));
			hb->skip_depth = 1;
		}
		/* fall through */
	case HT_SKIP_VOID:
		if (!end)
			html_count(w, t->name, HF_LEFT_OUT, hb->line, hb->col);
		return;
	case HT_VOID:
		return;
	case HT_BLOCK:
		hb_block(w, hb, t);
		return;
	case HT_BOLD:
		hb_break(w, hb);
		hb->para_style = end ? 0 : BK_STRONG;
		hb->para_summary = !end && tg->bit;
		return;
	case HT_HEADING:
		hb_break(w, hb);
		hb->para_level = end ? 0 : (int)tg->bit;
		return;
	case HT_PRE:
		if (!end) {
			hb_break(w, hb);
			hb->pre = true;
			hb->pre_line = hb->line;
			hb->pre_col = hb->col;
		}
		return;
	case HT_HR:
		if (!end && hb->tab) {
			hb_break(w, hb);
		} else if (!end) {
			hb_flush(w, hb);
			struct bk_block b = {.kind = BK_RULE, .line = hb->line, .col = hb->col};
			hb_add(w, hb, &b);
		}
		return;
	case HT_LIST:
	case HT_LI:
	case HT_QUOTE:
		hb_container(w, hb, t, tg);
		return;
	default:
		hb_table(w, hb, t, tg);
		return;
	}
}

/* An HTML block's tokens, each at its line and column in the part. */
void html_feed(struct walker *w, struct hbuild *hb, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t len = lit ? strlen(lit) : 0, at = 0, lstart = 0;
	int line0 = node_line(w, n), col0 = node_col(n), line = line0;
	struct html_lexer lx;
	struct html_tok t;
	html_lexer_init(&lx, lit ? lit : "", len);
	while (html_next(&lx, &t)) {
		size_t off = t.off;
		if (t.kind == HTML_TEXT) /* the text's place is its first letter's */
			while (off < t.off + t.len && strchr(" \t\r\n", lit[off]))
				off++;
		for (; at < off; at++)
			if (lit[at] == '\n') {
				line++;
				lstart = at + 1;
			}
		hb->line = line;
		hb->col = (line == line0 ? col0 : 1) + (int)(off - lstart);
		if (t.kind == HTML_TEXT)
			hb_text(w, hb, t.p, t.len);
		else if (t.kind == HTML_START || t.kind == HTML_END)
			hb_tag(w, hb, &t);
	}
}

/* A builder for a container whose first used blocks (v) were Markdown. */
struct hbuild *hb_new(const struct bk_block *v, size_t used, size_t n)
{
	struct hbuild *hb = xcalloc(1, sizeof(*hb));
	hb->nfr = 1;
	hb->para.pend = (struct strbuf)STRBUF_INIT;
	hb->pre_text = (struct strbuf)STRBUF_INIT;
	struct hframe *f = &hb->fr[0];
	GROW(f->v, f->cap, n);
	memcpy(f->v, v, used * sizeof(*v));
	f->n = used;
	return hb;
}

/* Closes whatever is still open and hands out the container's blocks
 * (arena); frees hb. */
void hb_finish(struct walker *w, struct hbuild *hb, struct bk_block **out, size_t *nout)
{
	if (hb->pre)
		pre_close(w, hb);
	if (hb->tab)
		tab_close(w, hb);
	hb_flush(w, hb);
	while (hb->nfr > 1 || hb->unpushed)
		frame_pop(w, hb);
	struct hframe *f = &hb->fr[0];
	*out = f->n ? ar_memdup(w->a, f->v, f->n, sizeof(*f->v)) : NULL;
	*nout = f->n;
	free(f->v);
	free(hb->para.v);
	sb_release(&hb->para.pend);
	sb_release(&hb->pre_text);
	free(hb);
}

/* A Markdown block of the container: the paragraph gathered so far ends. */
void hb_add_block(struct walker *w, struct hbuild *hb, struct bk_block *b)
{
	hb_flush(w, hb);
	hb_add(w, hb, b);
}

struct bk_block *hb_last_block(struct hbuild *hb)
{
	struct hframe *f = &hb->fr[hb->nfr - 1];
	return f->n ? &f->v[f->n - 1] : NULL;
}
