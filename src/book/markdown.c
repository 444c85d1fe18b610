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
#include "html.h"

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

#define MAX_NESTING 64

struct walker {
	struct arena *a;
	struct bk_part *part;
	const char *path;
	const char *mdir;  /* manuscript directory, for images */
	long max_pixels;   /* the largest image, in pixels */
	const char *pdir;  /* the part's directory */
	int line_offset;   /* body line 1 is file line 1 + line_offset */
	struct diag *d;
	const char *src;   /* the body text, for footnote labels */
	size_t srclen;
	/* growing arrays, copied into the arena when the part is done */
	const char **links;
	size_t nlinks, links_cap;
	struct bk_image **images;
	size_t nimages, images_cap;
	struct strset ids; /* heading ids given so far; values: next suffix */
	int max_note; /* highest footnote number referenced */
	bool too_deep; /* reported once */
	size_t *line_starts; /* body offsets of each line, for footnote labels */
	size_t nlines;
	/* octavo's dialect */
	const char *lang;  /* the enclosing span's or div's lang=, or NULL */
	struct strset anchors; /* headings' anchors given so far */
	struct html_kind *html; /* raw HTML left out, by kind, reported at the end */
	size_t nhtml, html_cap;
	bool hinted_math, hinted_remote;
	struct bk_block *last_block; /* the block copied just before, in this container */
};

/* Raw HTML of one kind (its tag's name) left out of a part. */
struct html_kind {
	char name[24];
	int fate; /* enum html_fate */
	int count, line, col;
};

/* ===== positions ======================================================= */

static int node_line(struct walker *w, cmark_node *n)
{
	for (; n; n = cmark_node_parent(n)) {
		int l = cmark_node_get_start_line(n);
		if (l > 0)
			return l + w->line_offset;
	}
	return w->line_offset + 1;
}

static int node_col(cmark_node *n)
{
	for (; n; n = cmark_node_parent(n)) {
		if (cmark_node_get_start_line(n) > 0)
			return cmark_node_get_start_column(n) > 0 ? cmark_node_get_start_column(n) : 1;
	}
	return 1;
}

static bool is_type(cmark_node *n, const char *name)
{
	return strcmp(cmark_node_get_type_string(n), name) == 0;
}

/* ===== images ========================================================== */

/* Whether rel, taken from the part's directory, climbs above the
 * manuscript directory. */
static bool escapes(struct walker *w, const char *rel)
{
	/* The part's depth below the manuscript directory. */
	int depth = 0;
	size_t ml = strlen(w->mdir);
	const char *p = strncmp(w->path, w->mdir, ml) ? "" : w->path + ml;
	for (; *p; p++)
		if (*p == '/' && p[1])
			depth++;
	depth--; /* the last slash precedes the file name */
	if (depth < 0)
		depth = 0;
	for (p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return true;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return false;
}

/* An image on the web (or inline data) rather than a file. */
static bool is_remote(const char *src)
{
	return src && (strstr(src, "://") || !strncmp(src, "data:", 5) || !strncmp(src, "//", 2));
}

/*
 * Reads the image file src (as written, relative to the part) with its
 * alt text and title (NULL: none), reported at line:col. Returns it
 * (arena-owned), or NULL after a warning or an error: a picture on the web
 * is not read, and its alt text stands in (the caller sets it).
 */
static struct bk_image *image_file(struct walker *w, const char *src, const char *alt,
				   const char *title, int line, int col)
{
	struct bk_image *img = ar_alloc(w->a, sizeof(*img));
	img->src = ar_strdup(w->a, src ? src : "");
	img->title = title && *title ? ar_strdup(w->a, title) : NULL;
	img->alt = ar_strdup(w->a, alt);

	if (!*img->src) {
		diag_error(w->d, w->path, line, col, "image has no file name");
		return NULL;
	}
	if (is_remote(img->src)) {
		/* A badge or a picture on the web: its alt text stands in. */
		diag_warning(w->d, w->path, line, col,
			     "image '%.200s' is not a file in the manuscript; its alt text '%s' "
			     "stands in its place",
			     img->src, img->alt);
		if (!w->hinted_remote)
			diag_hint(w->d, "download it into the manuscript's images/ folder");
		w->hinted_remote = true;
		return NULL;
	}
	/* Refuse escapes by their spelling first (absolute paths, '..' above
	 * the manuscript), then by where the file really is (symlinks). */
	if (img->src[0] == '/' || escapes(w, img->src)) {
		diag_error(w->d, w->path, line, col,
			   "image '%s' is outside the manuscript directory", img->src);
		return NULL;
	}
	char *joined = path_join(w->pdir, img->src);
	const char *roots[] = {w->mdir, NULL};
	char *real = NULL;
	struct stat st;
	int fd = bk_open_confined(joined, roots, "image", img->src, w->path, line, col, w->d, &st,
				  &real);
	free(joined);
	if (fd < 0)
		return NULL;
	img->path = ar_strdup(w->a, real);
	free(real);
	/* An image used again in the part is the file already read. */
	const struct bk_image *seen = NULL;
	for (size_t i = 0; i < w->nimages && !seen; i++)
		if (!strcmp(w->images[i]->path, img->path))
			seen = w->images[i];
	if (seen) {
		close(fd);
		img->media_type = seen->media_type;
		img->width = seen->width;
		img->height = seen->height;
		img->components = seen->components;
		img->data = seen->data;
		img->len = seen->len;
	} else if (image_load(w->a, img, fd, w->mdir, w->max_pixels, w->d, w->path, line, col) < 0) {
		return NULL;
	}
	if (!*img->alt)
		diag_warning(w->d, w->path, line, col,
			     "image '%s' has no alt text for readers who cannot see it", img->src);
	GROW(w->images, w->images_cap, w->nimages + 1);
	w->images[w->nimages++] = img;
	return img;
}

/* A Markdown image node's file (image_file); its alt text is the node's
 * inline content as plain text. */
static struct bk_image *load_image(struct walker *w, cmark_node *n)
{
	struct strbuf alt = STRBUF_INIT;
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *k = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(k) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(k) == CMARK_NODE_CODE)
			sb_adds(&alt, cmark_node_get_literal(k));
		else if (cmark_node_get_type(k) == CMARK_NODE_SOFTBREAK)
			sb_addc(&alt, ' ');
	}
	cmark_iter_free(it);
	struct bk_image *img = image_file(w, cmark_node_get_url(n), alt.buf ? alt.buf : "",
					  cmark_node_get_title(n), node_line(w, n), node_col(n));
	sb_release(&alt);
	return img;
}

/* ===== inlines ========================================================= */

/*
 * The spans of one block as they are gathered. Adjacent text of one style
 * and link is merged into one run: the last run's text is kept in pend
 * until something else follows, so that merging costs the length of the
 * text once, however many pieces cmark split it into.
 */
struct spans {
	struct bk_span *v;
	size_t n, cap;
	struct strbuf pend; /* text of v[n - 1] while it is still growing */
	bool open;          /* v[n - 1] is a text run whose text is in pend */
};

/* Moves the growing run's text into the arena. */
static void flush_text(struct walker *w, struct spans *s)
{
	if (!s->open)
		return;
	struct bk_span *last = &s->v[s->n - 1];
	last->text = ar_strndup(w->a, s->pend.buf, s->pend.len);
	last->len = s->pend.len;
	sb_reset(&s->pend);
	s->open = false;
}

static void add_span(struct walker *w, struct spans *s, struct bk_span sp)
{
	flush_text(w, s);
	GROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = sp;
}

static void add_text_at(struct walker *w, struct spans *s, int line, int col, const char *text,
			size_t len, unsigned style, int link)
{
	if (!len)
		return;
	if (s->open) {
		struct bk_span *last = &s->v[s->n - 1];
		if (last->style == style && last->link == link && last->lang == w->lang) {
			sb_add(&s->pend, text, len);
			return;
		}
	}
	struct bk_span sp = {BK_SPAN_TEXT, style, NULL, 0, link, -1, NULL, line, col, w->lang};
	add_span(w, s, sp);
	sb_add(&s->pend, text, len);
	s->open = true;
}

static void add_text(struct walker *w, struct spans *s, cmark_node *n, const char *text,
		     unsigned style, int link)
{
	add_text_at(w, s, node_line(w, n), node_col(n), text, strlen(text), style, link);
}

/* A hard line break at line:col. */
static void add_break(struct walker *w, struct spans *s, int line, int col, unsigned style,
		      int link)
{
	struct bk_span sp = {BK_SPAN_BREAK, style, "", 0, link, -1, NULL, line, col, w->lang};
	add_span(w, s, sp);
}

/* Whether a link may be kept: web and mail addresses, and links within
 * the book. Other schemes (javascript:, file:, data:) are left out. */
static bool safe_url(const char *url)
{
	/* Browsers drop tabs and newlines inside a URL and spaces around it,
	 * so "java&#9;script:" is javascript: - refuse such URLs outright. */
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return false;
	if (*url == ' ')
		return false;
	size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	if (!n || url[n] != ':' || !isalpha((unsigned char)url[0]))
		return true; /* no scheme: a relative link, or '#id' */
	static const char *const ok[] = {"http", "https", "mailto"};
	for (size_t i = 0; i < ARRAY_LEN(ok); i++)
		if (n == strlen(ok[i]) && !strncasecmp(url, ok[i], n))
			return true;
	return false;
}

/* A link's index in part->links, or -1 after a warning at line:col when
 * its scheme is not one a book may keep. */
static int add_link(struct walker *w, const char *url, int line, int col)
{
	if (!url || !safe_url(url)) {
		diag_warning(w->d, w->path, line, col,
			     "link to '%s' left out: only web and mail addresses are kept",
			     url ? url : "");
		return -1;
	}
	GROW(w->links, w->links_cap, w->nlinks + 1);
	w->links[w->nlinks] = ar_strdup(w->a, url);
	return (int)w->nlinks++;
}

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
	HF_SPANNED,     /* a cell's colspan= or rowspan=: set in one cell */
	HF_NESTED,      /* a table inside a cell: set as lines of the cell */
};

static void html_count(struct walker *w, const char *name, enum html_fate fate, int line,
		       int col)
{
	for (size_t i = 0; i < w->nhtml; i++)
		if (w->html[i].fate == (int)fate && !strcmp(w->html[i].name, name)) {
			w->html[i].count++;
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
static void html_left_out(struct walker *w, cmark_node *n, const char *html)
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

static void html_report(struct walker *w)
{
	static const char *const what[] = {
		[HF_LEFT_OUT] = "left out of the book",
		[HF_UNKNOWN] = "is not known to octavo: its text is kept, the tag is not",
		[HF_UNDERLINE] = "is set without its underline (octavo underlines nothing)",
		[HF_SPANNED] = "cell spans several columns or rows: it is set in the first, "
			       "the others left empty",
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
	HT_BOLD,      /* a block set as a bold paragraph: <summary>, <dt> */
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
	{"html", HT_BLOCK, 0},	      {"summary", HT_BOLD, 0},	       {"dt", HT_BOLD, 0},
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
		struct bk_span sp = {BK_SPAN_IMAGE, style, img->alt, strlen(img->alt), link, -1, img,
				     line, col, w->lang};
		add_span(w, s, sp);
	} else if (is_remote(src.buf)) {
		add_text_at(w, s, line, col, text, strlen(text), style, link);
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
static bool html_inline(struct walker *w, struct spans *s, cmark_node *n, unsigned style,
			int link, unsigned *hs, int *hl)
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

/* ===== octavo's dialect: inlines ======================================= */

static void walk_inlines(struct walker *w, struct spans *s, cmark_node *parent, unsigned style,
			 int link, int depth);

static char *dup_arena(void *ctx, const char *s, size_t n)
{
	return ar_strndup(ctx, s, n);
}

/* Parses a node's attributes ({...} as written) into a, warning at
 * line:col about what does not parse. */
static void node_attrs(struct walker *w, const char *text, int line, int col, struct md_attrs *a)
{
	const char *bad;
	if (md_attrs_parse(text ? text : "", a, dup_arena, w->a, &bad) < 0)
		diag_warning(w->d, w->path, line, col,
			     "attributes '{%s}' not understood from '%.20s'; the rest are left out",
			     text, bad);
}

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
			if (s->open || !s->n || s->v[s->n - 1].kind != BK_SPAN_BREAK)
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
			if (img) {
				struct bk_span sp = {BK_SPAN_IMAGE, style, img->alt, strlen(img->alt),
						     link, -1, img, node_line(w, n), node_col(n),
						     w->lang};
				add_span(w, s, sp);
			} else if (is_remote(cmark_node_get_url(n))) {
				walk_inlines(w, s, n, style, link, depth + 1); /* its alt text */
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

char *bk_spans_text(struct arena *a, const struct bk_span *spans, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (spans[i].kind == BK_SPAN_TEXT || spans[i].kind == BK_SPAN_IMAGE)
			sb_add(&sb, spans[i].text, spans[i].len);
	char *r = ar_strndup(a, sb.buf, sb.len);
	sb_release(&sb);
	return r;
}

/* An id for a heading: the part's id and the heading's words, unique in
 * the part (and so in the book, since part ids are unique). */
static const char *heading_id(struct walker *w, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, w->part->id);
	sb_addc(&sb, '-');
	size_t base = sb.len;
	bool dash = false;
	for (const char *p = text; *p && sb.len - base < 48; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c)) {
			if (dash && sb.len > base)
				sb_addc(&sb, '-');
			sb_addc(&sb, (char)tolower(c));
			dash = false;
		} else {
			dash = true;
		}
	}
	if (sb.len == base)
		sb_adds(&sb, "section");
	/* A taken id gets the first free suffix -2, -3, ...; the stem keeps
	 * the next one to try, so a thousand equal headings cost a thousand
	 * steps, not a million. */
	const char *stem = ar_strdup(w->a, sb.buf);
	long k = strset_add(&w->ids, stem, 2);
	const char *id = stem;
	while (k >= 0) {
		id = ar_printf(w->a, "%s-%ld", stem, k);
		k++;
		if (strset_add(&w->ids, id, 2) < 0)
			break;
	}
	if (id != stem)
		*strset_value(&w->ids, stem) = k;
	sb_release(&sb);
	return id;
}

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
static void figure_attrs(struct walker *w, struct bk_block *b, const struct md_data *d);
static void heading_anchors(struct walker *w, struct bk_block *b, cmark_node *n);

static bool copy_block(struct walker *w, cmark_node *n, struct bk_block *b, int depth)
{
	b->line = node_line(w, n);
	b->col = node_col(n);
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH: {
		cmark_node *img = lone_image(n);
		if (img && !is_remote(cmark_node_get_url(img))) {
			b->kind = BK_FIGURE;
			b->img = load_image(w, img);
			if (b->img && md_data_of(img))
				figure_attrs(w, b, md_data_of(img));
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
	case CMARK_NODE_BLOCK_QUOTE:
		b->kind = BK_QUOTE;
		walk_blocks(w, n, &b->kids, &b->nkids, depth + 1);
		return true;
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
		return true;
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

/* {width=60%} on a figure's image: its share of the measure. */
static void figure_attrs(struct walker *w, struct bk_block *b, const struct md_data *d)
{
	struct md_attrs a;
	node_attrs(w, d->text, b->line, b->col, &a);
	const char *wd = md_attr(&a, "width");
	if (wd) {
		char *end;
		double v = strtod(wd, &end);
		if (end != wd && *end == '%' && !end[1] && v > 0 && v <= 100)
			b->width = v / 100;
		else
			diag_warning(w->d, w->path, b->line, b->col,
				     "image width '%s' is not a percentage of the text's width "
				     "(like 60%%); the image is set at its usual size",
				     wd);
	}
	for (size_t i = 0; i < a.nkeys; i++)
		if (strcmp(a.keys[i], "width"))
			diag_warning(w->d, w->path, b->line, b->col,
				     "image attribute '%s' is not used by octavo", a.keys[i]);
	md_attrs_free(&a);
}

/* Unique in the part: text, or text-1, text-2, ... (GitHub's way). */
static const char *unique_anchor(struct walker *w, const char *text)
{
	const char *stem = ar_strdup(w->a, text);
	long k = strset_add(&w->anchors, stem, 1);
	if (k < 0)
		return stem;
	const char *id = stem;
	while (k >= 0) {
		id = ar_printf(w->a, "%s-%ld", stem, k);
		k++;
		if (strset_add(&w->anchors, id, 1) < 0)
			break;
	}
	*strset_value(&w->anchors, stem) = k;
	return id;
}

/* Whether s may stand in an XML id after the part's prefix. */
static bool id_safe(const char *s)
{
	if (!*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!(isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p >= 0x80))
			return false;
	return true;
}

/*
 * A heading's ids: its anchor (the {#id} given, else GitHub's id for its
 * text) and pandoc's, both unique in the part, which '#...' links in the
 * Markdown name; and b->id, unique in the book, which the editions use
 * (the part's id, '-', the anchor).
 */
static void heading_anchors(struct walker *w, struct bk_block *b, cmark_node *n)
{
	const char *text = bk_spans_text(w->a, b->spans, b->nspans);
	const struct md_data *d = md_data_of(n);
	struct md_attrs a = {0};
	if (d)
		node_attrs(w, d->text, b->line, b->col, &a);
	char buf[256];
	if (a.id && *a.id) {
		if (strset_value(&w->anchors, a.id))
			diag_warning(w->d, w->path, b->line, b->col,
				     "heading id '#%s' is given twice in this part; links lead to "
				     "the first",
				     a.id);
		b->anchor = unique_anchor(w, a.id);
	} else {
		md_slug_github(text, buf, sizeof(buf));
		b->anchor = unique_anchor(w, *buf ? buf : "section");
	}
	md_slug_pandoc(text, buf, sizeof(buf));
	if (*buf && !strset_value(&w->anchors, buf))
		b->anchor2 = unique_anchor(w, buf);
	b->classes = a.nclasses ? ar_memdup(w->a, a.classes, a.nclasses, sizeof(char *)) : NULL;
	b->nclasses = a.nclasses;
	b->id = a.id && id_safe(a.id) ? heading_id(w, a.id) : heading_id(w, text);
	md_attrs_free(&a);
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

struct htable {
	int line, col;
	struct bk_block *rows; /* heap */
	size_t nrows, rcap;
	struct bk_block *cells; /* the open row's (heap) */
	size_t ncells, ccap;
	bool *th;               /* th[i]: cells[i] is a <th> */
	size_t thcap;
	int *left;              /* by column: rows a rowspan= still covers */
	size_t nleft;
	char *aligns;           /* by column, from the first row's cells */
	size_t naligns;
	struct spans cell, caption;
	int cell_line, cell_col, cols, rows_spanned, nin; /* the open cell's */
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
	/* <p align=center> centred; <summary> bold and flush, as a run-in
	 * head, with the text after it flush too (a div's way) */
	const char *cls = hb->para_class ? hb->para_class : hb->para_style ? "noindent" : NULL;
	hb->para_class = NULL;
	if (cls && !hb->tab) {
		struct bk_block div = {.kind = BK_DIV, .line = b.line, .col = b.col, .nkids = 1,
				       .nclasses = 1};
		div.kids = ar_memdup(w->a, &b, 1, sizeof(b));
		div.classes = ar_memdup(w->a, &cls, 1, sizeof(cls));
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

/* Empty cells where rows above reach down (rowspan=) at the row's next
 * column. */
static void tab_fill_spanned(struct htable *t, int line, int col)
{
	struct bk_block empty = {.kind = BK_CELL, .line = line, .col = col};
	while (t->ncells < t->nleft && t->left[t->ncells] > 0) {
		t->left[t->ncells]--;
		tab_push_cell(t, &empty, false);
	}
}

static void tab_cell_close(struct walker *w, struct hbuild *hb)
{
	struct htable *t = hb->tab;
	if (!t->in_cell)
		return;
	struct bk_block c = {.kind = BK_CELL, .line = t->cell_line, .col = t->cell_col};
	spans_take(w, &t->cell, &c);
	size_t first = t->ncells;
	tab_push_cell(t, &c, t->cell_th);
	t->all_th &= t->cell_th;
	struct bk_block empty = {.kind = BK_CELL, .line = c.line, .col = c.col};
	for (int k = 1; k < t->cols; k++)
		tab_push_cell(t, &empty, false);
	if (t->rows_spanned > 1) {
		if (t->nleft < t->ncells) {
			t->left = xrealloc(t->left, t->ncells * sizeof(*t->left));
			memset(t->left + t->nleft, 0, (t->ncells - t->nleft) * sizeof(*t->left));
			t->nleft = t->ncells;
		}
		for (size_t k = first; k < t->ncells; k++)
			t->left[k] = t->rows_spanned - 1;
	}
	if (t->cols > 1 || t->rows_spanned > 1)
		html_count(w, t->cell_th ? "th" : "td", HF_SPANNED, c.line, c.col);
	hb->nin = t->nin; /* inline tags left open close with the cell */
	t->in_cell = false;
}

static void tab_row_close(struct walker *w, struct hbuild *hb)
{
	struct htable *t = hb->tab;
	tab_cell_close(w, hb);
	if (!t->in_row)
		return;
	t->in_row = false;
	tab_fill_spanned(t, hb->line, hb->col);
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

/* The table read so far, as a book table (rows padded to the widest). */
static void tab_close(struct walker *w, struct hbuild *hb)
{
	struct htable *t = hb->tab;
	tab_row_close(w, hb);
	struct bk_block b = {.kind = BK_TABLE, .line = t->line, .col = t->col};
	struct bk_block cap = {0};
	spans_take(w, &t->caption, &cap);
	hb->tab = NULL;
	for (size_t r = 0; r < t->nrows; r++)
		if ((int)t->rows[r].nkids > b.ncols)
			b.ncols = (int)t->rows[r].nkids;
	for (size_t r = 0; r < t->nrows; r++) {
		struct bk_block *row = &t->rows[r];
		if ((int)row->nkids == b.ncols)
			continue;
		struct bk_block *k = ar_alloc(w->a, (size_t)b.ncols * sizeof(*k));
		memcpy(k, row->kids, row->nkids * sizeof(*k));
		for (int c = (int)row->nkids; c < b.ncols; c++)
			k[c] = (struct bk_block){.kind = BK_CELL, .line = row->line, .col = row->col};
		row->kids = k;
		row->nkids = (size_t)b.ncols;
	}
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
	free(t->left);
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
static void html_feed(struct walker *w, struct hbuild *hb, cmark_node *n)
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
static struct hbuild *hb_new(const struct bk_block *v, size_t used, size_t n)
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
static void hb_finish(struct walker *w, struct hbuild *hb, struct bk_block **out, size_t *nout)
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
			struct hframe *f = &hb->fr[hb->nfr - 1];
			struct bk_block b = {0};
			w->last_block = f->n ? &f->v[f->n - 1] : NULL;
			if (copy_block(w, k, &b, depth)) {
				hb_flush(w, hb);
				hb_add(w, hb, &b);
			}
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
	cmark_node *doc = cmark_parser_finish(parser);
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
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);

	/* With no title in the front matter, a leading '# Title' is the title. */
	cmark_node *first = cmark_node_first_child(doc);
	/* Badges (pictures, perhaps linked) and comments may come before it. */
	while (!part->title && first && (only_badges(first) || is_comment(first)))
		first = cmark_node_next(first);
	if (!part->title && first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
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
