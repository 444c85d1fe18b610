/*
 * walker.c - what markdown.c's walk and htmlbuild.c's raw HTML share: a
 * node's place in the file, images, the spans of a block as they are
 * gathered, links, attributes and headings' ids. Both files call it and it
 * calls neither, so that the book's folder has no circle of calls
 * (tests/suites/tidy13.sh).
 */
#define _DEFAULT_SOURCE
#include "book-int.h"
#include "dialect.h"
#include "walker.h"

#include <cmark-gfm.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ===== positions ======================================================= */

int node_line(struct walker *w, cmark_node *n)
{
	for (; n; n = cmark_node_parent(n)) {
		int l = cmark_node_get_start_line(n);
		if (l > 0)
			return l + w->line_offset;
	}
	return w->line_offset + 1;
}

int node_col(cmark_node *n)
{
	for (; n; n = cmark_node_parent(n)) {
		if (cmark_node_get_start_line(n) > 0)
			return cmark_node_get_start_column(n) > 0 ? cmark_node_get_start_column(n) : 1;
	}
	return 1;
}

bool is_type(cmark_node *n, const char *name)
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
bool is_remote(const char *src)
{
	return src && (strstr(src, "://") || !strncmp(src, "data:", 5) || !strncmp(src, "//", 2));
}

/* A CSS length or percentage, as <img width> or style's width: gives it
 * (a bare number is CSS pixels): points in *pt, or a share of the
 * measure in *share when pct, or ems in *em when em is given. Returns
 * false when v is none of them. */
bool css_length(const char *v, bool pct, double *pt, double *share, double *em)
{
	static const struct {
		const char *unit;
		double pt;
	} units[] = {{"", BK_CSS_PX},	  {"px", BK_CSS_PX},	   {"pt", 1},
		     {"pc", 12},	  {"in", 72},		   {"cm", 72 / 2.54},
		     {"mm", 72 / 25.4}, {"q", 72 / 25.4 / 4}};
	char *end;
	while (isspace((unsigned char)*v))
		v++;
	double x = strtod(v, &end);
	if (end == v || !(x > 0) || x > 1e5)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	size_t n = strlen(end);
	while (n && isspace((unsigned char)end[n - 1]))
		n--;
	if (pct && n == 1 && *end == '%') {
		*share = x / 100;
		return true;
	}
	if (em && n == 2 && !strncasecmp(end, "em", 2)) {
		*em = x;
		*pt = 0;
		return true;
	}
	for (size_t i = 0; i < ARRAY_LEN(units); i++)
		if (strlen(units[i].unit) == n && !strncasecmp(end, units[i].unit, n)) {
			*pt = x * units[i].pt;
			return true;
		}
	return false;
}

void stand_in_start(struct walker *w, struct spans *s, int line, int col, unsigned style)
{
	if (s->alt_n && s->alt_n == s->n && s->alt_len == s->pend.len && s->open)
		add_text_at(w, s, line, col, " ", 1, style, -1);
}

void stand_in_end(struct spans *s)
{
	s->alt_n = s->open ? s->n : 0;
	s->alt_len = s->pend.len;
}

/*
 * Reads the image file src (as written, relative to the part) with its
 * alt text and title (NULL: none), reported at line:col. Returns it
 * (arena-owned), or NULL after a warning or an error: a picture on the web
 * is not read, and its alt text stands in (the caller sets it).
 */
struct bk_image *image_file(struct walker *w, const char *src, const char *alt, const char *title,
			    int line, int col)
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
			     "image '%.200s' is not a file in the manuscript (octavo fetches "
			     "nothing from the web); its alt text '%s' stands in its place",
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
		img->ppi_x = seen->ppi_x;
		img->ppi_y = seen->ppi_y;
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
struct bk_image *load_image(struct walker *w, cmark_node *n)
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

/* Moves the growing run's text into the arena. */
void flush_text(struct walker *w, struct spans *s)
{
	if (!s->open)
		return;
	struct bk_span *last = &s->v[s->n - 1];
	last->text = ar_strndup(w->a, s->pend.buf, s->pend.len);
	last->len = s->pend.len;
	sb_reset(&s->pend);
	s->open = false;
}

void add_span(struct walker *w, struct spans *s, struct bk_span sp)
{
	flush_text(w, s);
	GROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = sp;
}

void add_text_at(struct walker *w, struct spans *s, int line, int col, const char *text,
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

void add_text(struct walker *w, struct spans *s, cmark_node *n, const char *text,
		     unsigned style, int link)
{
	add_text_at(w, s, node_line(w, n), node_col(n), text, strlen(text), style, link);
}

/* A hard line break at line:col. */
void add_break(struct walker *w, struct spans *s, int line, int col, unsigned style, int link)
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

/*
 * What is wrong with a web address's host and port ("http://user:pw@host:
 * port/"), or NULL when nothing is: a port that is not a number, no host.
 * Such an address is a pattern written in prose ("http://Benutzer:
 * Passwort@Server:Port/" in apt's sources.list(5)) that GFM's autolinks
 * made a link: no reader can follow it, and epubcheck warns (RSC-023).
 */
static const char *bad_host(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p || strncasecmp(url, "http", 4))
		return NULL;
	p += 3;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	while (at && memchr(at + 1, '@', n - (size_t)(at + 1 - p)))
		at = memchr(at + 1, '@', n - (size_t)(at + 1 - p));
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	const char *close = *p == '[' ? memchr(p, ']', n) : NULL; /* IPv6 */
	const char *colon = memchr(close ? close : p, ':', n - (size_t)((close ? close : p) - p));
	size_t host = colon ? (size_t)(colon - p) : n;
	if (!host)
		return "it names no host";
	if (colon)
		for (const char *q = colon + 1; q < p + n; q++)
			if (!isdigit((unsigned char)*q))
				return "its port is not a number";
	return NULL;
}

/* A link's index in part->links, or -1 after a warning at line:col when
 * its scheme is not one a book may keep, or it is no address at all. */
int add_link(struct walker *w, const char *url, int line, int col)
{
	if (!url || !safe_url(url)) {
		diag_warning(w->d, w->path, line, col,
			     "link to '%s' left out: only web and mail addresses are kept",
			     url ? url : "");
		return -1;
	}
	const char *why = bad_host(url);
	if (why) {
		diag_warning(w->d, w->path, line, col,
			     "link to '%s' left out: %s; its text stays", url, why);
		return -1;
	}
	GROW(w->links, w->links_cap, w->nlinks + 1);
	w->links[w->nlinks] = ar_strdup(w->a, url);
	return (int)w->nlinks++;
}

static char *dup_arena(void *ctx, const char *s, size_t n)
{
	return ar_strndup(ctx, s, n);
}

/* Parses a node's attributes ({...} as written) into a, warning at
 * line:col about what does not parse. */
void node_attrs(struct walker *w, const char *text, int line, int col, struct md_attrs *a)
{
	const char *bad;
	if (md_attrs_parse(text ? text : "", a, dup_arena, w->a, &bad) < 0)
		diag_warning(w->d, w->path, line, col,
			     "attributes '{%s}' not understood from '%.20s'; the rest are left out",
			     text, bad);
}

/* An id for a heading: the part's id and the heading's words in any
 * script ("section" when it has none), unique in the part (and so in the
 * book, since part ids are unique). */
static const char *heading_id(struct walker *w, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, w->part->id);
	sb_addc(&sb, '-');
	char stem_buf[MD_SLUG_ID_MAX + 6];
	if (!md_slug_id(text, stem_buf, sizeof(stem_buf)))
		strcpy(stem_buf, "section");
	sb_adds(&sb, stem_buf);
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
void heading_anchors(struct walker *w, struct bk_block *b, cmark_node *n)
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
