/*
 * xhtml.c - the EPUB's XHTML documents: the title page, the copyright
 * page, the navigation document and one file per part, written by walking
 * struct bk_block and struct bk_span (not cmark's renderer), so the EPUB
 * says exactly what the PDF says.
 */
#define _POSIX_C_SOURCE 200809L
#include "epub-int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_OPS	 "http://www.idpf.org/2007/ops"

/* A hooked arrow with VS15, so iOS shows text and not an emoji. */
#define BACKLINK_ARROW "\xE2\x86\xA9\xEF\xB8\x8E"

/* ===== text ============================================================ */

void epub_add_text(struct strbuf *sb, const char *s, size_t n)
{
	if (!n)
		return;
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0, i = 0;
	while (i < n) {
		unsigned c = u[i];
		if ((c >= 0x20 && c < 0x80) || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		uint32_t cp = 0;
		int k = c >= 0x80 ? utf8_decode(u + i, n - i, &cp) : -1;
		if (k > 0 && cp != 0xFFFE && cp != 0xFFFF) {
			i += (size_t)k;
			continue;
		}
		/* Flush the good run, then drop or replace the bad character. */
		sb_add_xml(sb, s + run, i - run);
		if (c >= 0x80 && k < 0) {
			sb_adds(sb, "\xEF\xBF\xBD");
			i++;
		} else {
			i += k > 0 ? (size_t)k : 1;
		}
		run = i;
	}
	sb_add_xml(sb, s + run, n - run);
}

void epub_add_str(struct strbuf *sb, const char *s)
{
	if (s)
		epub_add_text(sb, s, strlen(s));
}

static bool has(const char *s)
{
	return s && *s;
}

const char *epub_plain(struct epub *e, const struct bk_span *spans, size_t n)
{
	char *t = bk_spans_text(&e->arena, spans, n);
	char *out = t;
	bool space = false;
	for (const char *p = t; *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = out != t;
			continue;
		}
		if (space)
			*out++ = ' ';
		space = false;
		*out++ = *p;
	}
	*out = '\0';
	return t;
}

bool epub_toc_heading(const struct bk_block *b)
{
	if (b->kind != BK_HEADING || b->level != 2 || !b->id)
		return false;
	for (size_t i = 0; i < b->nspans; i++)
		for (size_t j = 0; j < b->spans[i].len; j++)
			if (!isspace((unsigned char)b->spans[i].text[j]))
				return true;
	return false;
}

const char *epub_part_title(const struct bk_part *p)
{
	return has(p->title) ? p->title : "Untitled";
}

/* ===== documents ======================================================= */

/* The prologue of an XHTML document up to <body>; up is the path from the
 * document's folder to OEBPS ("" or "../"). */
static void doc_open(struct epub *e, struct strbuf *sb, const char *title, const char *up)
{
	sb_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
	sb_adds(sb, "<html xmlns=\"" NS_XHTML "\" xmlns:epub=\"" NS_OPS "\" xml:lang=\"");
	epub_add_str(sb, e->lang);
	sb_adds(sb, "\" lang=\"");
	epub_add_str(sb, e->lang);
	sb_adds(sb, "\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
	epub_add_str(sb, title);
	sb_adds(sb, "</title>\n");
	if (e->fonts_css)
		sb_addf(sb,
			"<link rel=\"stylesheet\" type=\"text/css\" href=\"%scss/fonts.css\"/>\n",
			up);
	sb_addf(sb, "<link rel=\"stylesheet\" type=\"text/css\" href=\"%scss/style.css\"/>\n", up);
	sb_adds(sb, "</head>\n<body>\n");
}

static char *doc_close(struct strbuf *sb, size_t *len)
{
	sb_adds(sb, "</body>\n</html>\n");
	return sb_detach(sb, len);
}

/* <p class="cls">s</p>, or nothing when s is absent. */
static void para_str(struct strbuf *sb, const char *cls, const char *s)
{
	if (!has(s))
		return;
	sb_addf(sb, "<p class=\"%s\">", cls);
	epub_add_str(sb, s);
	sb_adds(sb, "</p>\n");
}

/* ===== title and copyright pages ======================================= */

/* How the title page introduces people of a MARC relator role. */
static const char *role_phrase(const char *role)
{
	static const char *const phrases[][2] = {
	    {"edt", "Edited by "},		 /* editor */
	    {"trl", "Translated by "},		 /* translator */
	    {"ill", "Illustrated by "},		 /* illustrator */
	    {"aui", "With an introduction by "}, /* author of introduction */
	    {"wfw", "With a foreword by "},	 /* writer of foreword */
	};
	for (size_t i = 0; role && i < ARRAY_LEN(phrases); i++)
		if (!strcmp(role, phrases[i][0]))
			return phrases[i][1];
	return "";
}

static bool same_role(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

char *epub_titlepage(struct epub *e, size_t *len)
{
	const struct bk_meta *m = &e->b->meta;
	const char *title = has(m->title) ? m->title : "Untitled";
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, title, "../");
	sb_adds(&sb, "<section class=\"titlepage\" epub:type=\"titlepage\">\n<h1 class=\"title\">");
	epub_add_str(&sb, title);
	sb_adds(&sb, "</h1>\n");
	para_str(&sb, "subtitle", m->subtitle);

	/* One line per role, in order of first appearance: "Edited by A,
	 * B and C". */
	for (size_t i = 0; i < m->ncreators; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= same_role(m->creators[j].role, m->creators[i].role);
		if (seen)
			continue;
		size_t count = 0, k = 0;
		for (size_t j = i; j < m->ncreators; j++)
			count += same_role(m->creators[j].role, m->creators[i].role);
		sb_adds(&sb, "<p class=\"creator\">");
		sb_adds(&sb, role_phrase(m->creators[i].role));
		for (size_t j = i; j < m->ncreators; j++) {
			if (!same_role(m->creators[j].role, m->creators[i].role))
				continue;
			if (k > 0)
				sb_adds(&sb, k + 1 == count ? " and " : ", ");
			epub_add_str(&sb, m->creators[j].name);
			k++;
		}
		sb_adds(&sb, "</p>\n");
	}
	para_str(&sb, "publisher", m->publisher);
	sb_adds(&sb, "</section>\n");
	return doc_close(&sb, len);
}

/* <p>label value</p> when value is present. */
static void line_str(struct strbuf *sb, const char *label, const char *value, const char *after)
{
	if (!has(value))
		return;
	sb_adds(sb, "<p>");
	sb_adds(sb, label);
	epub_add_str(sb, value);
	sb_adds(sb, after);
	sb_adds(sb, "</p>\n");
}

char *epub_copyright(struct epub *e, size_t *len)
{
	const struct bk_meta *m = &e->b->meta;
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, "Copyright", "../");
	sb_adds(&sb, "<section class=\"copyright\" epub:type=\"copyright-page\">\n");
	if (has(m->title)) {
		sb_adds(&sb, "<p class=\"book-title\">");
		epub_add_str(&sb, m->title);
		if (has(m->subtitle)) {
			sb_adds(&sb, ": ");
			epub_add_str(&sb, m->subtitle);
		}
		sb_adds(&sb, "</p>\n");
	}
	line_str(&sb, "", m->rights, "");
	line_str(&sb, "", m->edition, "");
	line_str(&sb, "First published ", m->date, "");
	if (has(m->revised) && (!has(m->date) || strcmp(m->revised, m->date)))
		line_str(&sb, "This revision ", m->revised, "");
	line_str(&sb, "Published by ", m->publisher, "");
	line_str(&sb, "ISBN ", m->isbn_epub, " (EPUB)");
	line_str(&sb, "ISBN ", m->isbn_print, " (print)");
	line_str(&sb, "Identifier: ", m->uuid, "");
	sb_adds(&sb, "<p class=\"colophon\">Typeset with octavo</p>\n</section>\n");
	return doc_close(&sb, len);
}

/* ===== navigation document ============================================= */

char *epub_nav(struct epub *e, size_t *len)
{
	const struct book *b = e->b;
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, "Contents", "");
	sb_adds(&sb,
		"<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n<h2>Contents</h2>\n<ol>\n");
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		sb_adds(&sb, "<li><a href=\"text/");
		epub_add_str(&sb, p->id);
		sb_adds(&sb, ".xhtml\">");
		epub_add_str(&sb, epub_part_title(p));
		sb_adds(&sb, "</a>");
		bool open = false;
		for (size_t k = 0; k < p->nblocks; k++) {
			const struct bk_block *h = &p->blocks[k];
			if (!epub_toc_heading(h))
				continue;
			if (!open)
				sb_adds(&sb, "\n<ol>\n");
			open = true;
			sb_adds(&sb, "<li><a href=\"text/");
			epub_add_str(&sb, p->id);
			sb_adds(&sb, ".xhtml#");
			epub_add_str(&sb, h->id);
			sb_adds(&sb, "\">");
			epub_add_str(&sb, epub_plain(e, h->spans, h->nspans));
			sb_adds(&sb, "</a></li>\n");
		}
		sb_adds(&sb, open ? "</ol>\n</li>\n" : "</li>\n");
	}
	if (b->nparts == 0) /* a toc's list may not be empty */
		sb_adds(&sb, "<li><a href=\"text/titlepage.xhtml\">Title page</a></li>\n");
	sb_adds(&sb, "</ol>\n</nav>\n");

	sb_adds(&sb, "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n"
		     "<h2>Landmarks</h2>\n<ol>\n"
		     "<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">Contents</a></li>\n"
		     "<li><a epub:type=\"titlepage\" href=\"text/titlepage.xhtml\">Title page</a>"
		     "</li>\n");
	const struct bk_part *start = NULL;
	for (size_t i = 0; i < b->nparts && !start; i++)
		if (b->parts[i].kind == BK_PART_ESSAY)
			start = &b->parts[i];
	if (!start && b->nparts)
		start = &b->parts[0];
	if (start) {
		sb_adds(&sb, "<li><a epub:type=\"bodymatter\" href=\"text/");
		epub_add_str(&sb, start->id);
		sb_adds(&sb, ".xhtml\">");
		epub_add_str(&sb, epub_part_title(start));
		sb_adds(&sb, "</a></li>\n");
	}
	sb_adds(&sb, "</ol>\n</nav>\n");
	return doc_close(&sb, len);
}

/* ===== links =========================================================== */

/* A scheme such as "https:" or "mailto:" makes a URL absolute. */
static bool has_scheme(const char *url)
{
	if (!isalpha((unsigned char)url[0]))
		return false;
	const char *p = url + 1;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* Appends url as a valid URL in an attribute: bytes a URL may not hold
 * (spaces, quotes, brackets, non-ASCII) are percent-encoded, so epubcheck
 * and reading systems take it as written. */
static void add_href(struct strbuf *sb, const char *url)
{
	static const char ok[] = "-._~:/?#[]@!$&'()*+,;=";
	bool hash = false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		unsigned c = *p;
		bool keep = c < 0x80 && (isalnum(c) || (c && strchr(ok, (int)c)));
		if (c == '#') {
			keep = !hash; /* a URL has one fragment */
			hash = true;
		}
		if (c == '%' && is_hex((char)p[1]) && is_hex((char)p[2]))
			keep = true;
		if (!keep)
			sb_addf(sb, "%%%02X", c);
		else if (c == '&')
			sb_adds(sb, "&amp;");
		else
			sb_addc(sb, (char)c);
	}
}

static bool blocks_have_id(const struct bk_block *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].id && !strcmp(v[i].id, id))
			return true;
		if (blocks_have_id(v[i].kids, v[i].nkids, id))
			return true;
	}
	return false;
}

static bool part_has_id(const struct bk_part *p, const char *id)
{
	if (!strcmp(p->id, id) || blocks_have_id(p->blocks, p->nblocks, id))
		return true;
	for (size_t i = 0; i < p->nnotes; i++)
		if (blocks_have_id(p->notes[i].kids, p->notes[i].nkids, id))
			return true;
	return false;
}

/* The part "ID.xhtml" a manuscript file name such as "02-policy.md"
 * (with "./" or not) becomes, or NULL. */
static const struct bk_part *part_by_file(const struct book *b, const char *file, size_t n)
{
	while (n >= 2 && file[0] == '.' && file[1] == '/')
		file += 2, n -= 2;
	for (size_t i = 0; i < b->nparts; i++) {
		const char *f = b->parts[i].file;
		if (f && strlen(f) == n && !memcmp(f, file, n))
			return &b->parts[i];
	}
	return NULL;
}

/*
 * The href an EPUB keeps for url, written in part self: absolute URLs
 * percent-encoded; "#id" and "file.md#id" pointing into the book rewritten
 * to the XHTML files. NULL for a target outside the book (the caller keeps
 * the text). Arena-owned.
 */
static const char *resolve_link(struct epub *e, const struct bk_part *self, const char *url)
{
	struct strbuf sb = STRBUF_INIT;
	const char *r = NULL;
	if (has_scheme(url)) {
		add_href(&sb, url);
		r = ar_strndup(&e->arena, sb.buf, sb.len);
		sb_release(&sb);
		return r;
	}
	const char *hash = strchr(url, '#');
	const char *frag = hash ? hash + 1 : NULL;
	size_t flen = hash ? (size_t)(hash - url) : strlen(url);
	const struct bk_part *target = NULL;
	if (flen == 0 && frag) {
		if (part_has_id(self, frag)) {
			target = self;
		} else {
			for (size_t i = 0; i < e->b->nparts && !target; i++)
				if (part_has_id(&e->b->parts[i], frag))
					target = &e->b->parts[i];
		}
	} else if (flen > 0) {
		target = part_by_file(e->b, url, flen);
		if (target && frag && !part_has_id(target, frag))
			frag = NULL; /* the file is enough to land near */
	}
	if (!target)
		return NULL;
	if (target != self) {
		add_href(&sb, target->id);
		sb_adds(&sb, ".xhtml");
	}
	if (has(frag)) {
		sb_addc(&sb, '#');
		add_href(&sb, frag);
	}
	if (!sb.len) { /* this very part: its top */
		sb_addc(&sb, '#');
		add_href(&sb, self->id);
	}
	r = ar_strndup(&e->arena, sb.buf, sb.len);
	sb_release(&sb);
	return r;
}

/* ===== inlines ========================================================= */

/* The inline elements a run of spans opens, outermost first. */
enum tag { TAG_A, TAG_STRONG, TAG_EM, TAG_DEL, TAG_CODE, NTAGS };

static const char *const tag_name[NTAGS] = {"a", "strong", "em", "del", "code"};
static const unsigned tag_style[NTAGS] = {0, BK_STRONG, BK_EM, BK_STRIKE, BK_CODE};

/* The writer of one part. */
struct xw {
	struct epub *e;
	struct strbuf *sb;
	const struct bk_part *part;
	const char **hrefs; /* per part->links: resolved href, NULL if dropped */
	bool *resolved;	    /* per part->links */
	bool *referenced;   /* per part->notes: first reference written */
	enum tag stack[NTAGS];
	int depth;
	int link; /* the link the open <a> stands for, or -1 */
};

/* The link a span keeps in the EPUB: its index, or -1 when it has none or
 * its target is outside the book (warned about once). */
static int span_link(struct xw *w, const struct bk_span *s)
{
	if (s->link < 0 || (size_t)s->link >= w->part->nlinks)
		return -1;
	size_t k = (size_t)s->link;
	if (!w->resolved[k]) {
		w->resolved[k] = true;
		const char *url = w->part->links[k] ? w->part->links[k] : "";
		w->hrefs[k] = resolve_link(w->e, w->part, url);
		if (!w->hrefs[k])
			diag_warning(w->e->d, w->part->path, s->line, s->col,
				     "link '%s' leads to no part or heading of the book; the "
				     "EPUB keeps only its text",
				     url);
	}
	return w->hrefs[k] ? s->link : -1;
}

static void close_to(struct xw *w, int depth)
{
	while (w->depth > depth) {
		enum tag t = w->stack[--w->depth];
		sb_addf(w->sb, "</%s>", tag_name[t]);
		if (t == TAG_A)
			w->link = -1;
	}
}

/*
 * Makes the open elements match style and link: keeps the longest run of
 * open elements still wanted, closes the rest and opens what is missing.
 * Closing in stack order keeps the XML nested whatever the style bits do
 * from one span to the next.
 */
static void sync(struct xw *w, unsigned style, int link)
{
	int keep = 0;
	while (keep < w->depth) {
		enum tag t = w->stack[keep];
		bool wanted = t == TAG_A ? link >= 0 && link == w->link : (style & tag_style[t]);
		if (!wanted)
			break;
		keep++;
	}
	close_to(w, keep);
	for (int t = 0; t < NTAGS; t++) {
		bool open = false;
		for (int i = 0; i < w->depth; i++)
			open |= w->stack[i] == (enum tag)t;
		if (open)
			continue;
		if (t == TAG_A && link >= 0) {
			sb_adds(w->sb, "<a href=\"");
			sb_adds(w->sb, w->hrefs[link]);
			sb_adds(w->sb, "\">");
			w->link = link;
		} else if (t != TAG_A && (style & tag_style[t])) {
			sb_addf(w->sb, "<%s>", tag_name[t]);
		} else {
			continue;
		}
		w->stack[w->depth++] = (enum tag)t;
	}
}

static void add_img(struct xw *w, const struct bk_image *img, const char *alt, size_t altlen,
		    const char *cls)
{
	const struct epub_res *r = epub_image_lookup(w->e, img);
	sb_addf(w->sb, "<img class=\"%s\" src=\"../%s\" alt=\"", cls, r->name);
	epub_add_text(w->sb, alt, altlen);
	sb_adds(w->sb, "\"");
	if (img->width > 0 && img->height > 0)
		sb_addf(w->sb, " width=\"%d\" height=\"%d\"", img->width, img->height);
	sb_adds(w->sb, "/>");
}

static void noteref(struct xw *w, const struct bk_span *s)
{
	if (s->note < 0 || (size_t)s->note >= w->part->nnotes) {
		/* The book stage has reported it; keep the number visible. */
		sb_addf(w->sb, "<sup>%d</sup>", s->note + 1);
		return;
	}
	int num = w->part->notes[s->note].number;
	sb_addf(w->sb, "<sup><a href=\"#note-%d\"", num);
	if (!w->referenced[s->note])
		sb_addf(w->sb, " id=\"noteref-%d\"", num);
	w->referenced[s->note] = true;
	sb_addf(w->sb, " epub:type=\"noteref\" role=\"doc-noteref\">%d</a></sup>", num);
}

static void spans(struct xw *w, const struct bk_span *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_span *s = &v[i];
		switch (s->kind) {
		case BK_SPAN_TEXT:
			sync(w, s->style, span_link(w, s));
			epub_add_text(w->sb, s->text, s->len);
			break;
		case BK_SPAN_BREAK:
			sync(w, s->style, span_link(w, s));
			sb_adds(w->sb, "<br/>");
			break;
		case BK_SPAN_NOTEREF:
			/* Its own <a>: links may not nest. */
			sync(w, s->style, -1);
			noteref(w, s);
			break;
		case BK_SPAN_IMAGE:
			sync(w, s->style, span_link(w, s));
			if (s->img)
				add_img(w, s->img, s->text, s->len, "inline");
			break;
		}
	}
	sync(w, 0, -1);
}

/* ===== blocks ========================================================== */

static void blocks(struct xw *w, const struct bk_block *v, size_t n, bool tight);

static void para(struct xw *w, const struct bk_block *b, const char *before, const char *after)
{
	sb_adds(w->sb, "<p>");
	sb_adds(w->sb, before);
	spans(w, b->spans, b->nspans);
	sb_adds(w->sb, after);
	sb_adds(w->sb, "</p>\n");
}

static void table_row(struct xw *w, const struct bk_block *table, const struct bk_block *row)
{
	bool head = row->flags & BK_HEADER_ROW;
	sb_adds(w->sb, "<tr>");
	for (size_t j = 0; j < row->nkids; j++) {
		const struct bk_block *cell = &row->kids[j];
		char a = table->aligns && (int)j < table->ncols ? table->aligns[j] : '-';
		sb_adds(w->sb, head ? "<th scope=\"col\"" : "<td");
		if (a == 'l' || a == 'c' || a == 'r')
			sb_addf(w->sb, " class=\"align-%s\"",
				a == 'l'   ? "left"
				: a == 'c' ? "center"
					   : "right");
		sb_adds(w->sb, ">");
		spans(w, cell->spans, cell->nspans);
		sb_adds(w->sb, head ? "</th>" : "</td>");
	}
	sb_adds(w->sb, "</tr>\n");
}

static void table(struct xw *w, const struct bk_block *b)
{
	sb_adds(w->sb, "<table>\n");
	size_t i = 0;
	if (b->nkids && (b->kids[0].flags & BK_HEADER_ROW)) {
		sb_adds(w->sb, "<thead>\n");
		for (; i < b->nkids && (b->kids[i].flags & BK_HEADER_ROW); i++)
			table_row(w, b, &b->kids[i]);
		sb_adds(w->sb, "</thead>\n");
	}
	if (i < b->nkids) {
		sb_adds(w->sb, "<tbody>\n");
		for (; i < b->nkids; i++)
			table_row(w, b, &b->kids[i]);
		sb_adds(w->sb, "</tbody>\n");
	}
	sb_adds(w->sb, "</table>\n");
}

static void figure(struct xw *w, const struct bk_image *img)
{
	const char *alt = img->alt ? img->alt : "";
	const char *caption = has(img->title) ? img->title : alt;
	sb_adds(w->sb, "<figure class=\"figure\">\n");
	add_img(w, img, alt, strlen(alt), "figure");
	sb_adds(w->sb, "\n");
	if (*caption) {
		sb_adds(w->sb, "<figcaption>");
		epub_add_str(w->sb, caption);
		sb_adds(w->sb, "</figcaption>\n");
	}
	sb_adds(w->sb, "</figure>\n");
}

static void block(struct xw *w, const struct bk_block *b, bool tight)
{
	switch (b->kind) {
	case BK_PARA:
		if (tight) {
			spans(w, b->spans, b->nspans);
			sb_addc(w->sb, '\n');
		} else {
			para(w, b, "", "");
		}
		break;
	case BK_HEADING: {
		/* Level 1 is the book's, on the title page; a part's title is
		 * h2, and its own sections start there too. */
		int h = b->level < 1 ? 2 : b->level >= 5 ? 6 : b->level + 1;
		sb_addf(w->sb, "<h%d", h);
		if (b->id) {
			sb_adds(w->sb, " id=\"");
			epub_add_str(w->sb, b->id);
			sb_adds(w->sb, "\"");
		}
		sb_adds(w->sb, ">");
		spans(w, b->spans, b->nspans);
		sb_addf(w->sb, "</h%d>\n", h);
		break;
	}
	case BK_QUOTE:
		sb_adds(w->sb, "<blockquote>\n");
		blocks(w, b->kids, b->nkids, false);
		sb_adds(w->sb, "</blockquote>\n");
		break;
	case BK_LIST: {
		bool ordered = b->flags & BK_ORDERED;
		if (ordered && b->level != 1)
			sb_addf(w->sb, "<ol start=\"%d\">\n", b->level);
		else
			sb_adds(w->sb, ordered ? "<ol>\n" : "<ul>\n");
		for (size_t i = 0; i < b->nkids; i++) {
			const struct bk_block *item = &b->kids[i];
			sb_adds(w->sb, "<li>");
			if (item->kind == BK_ITEM)
				blocks(w, item->kids, item->nkids, b->flags & BK_TIGHT);
			else
				block(w, item, b->flags & BK_TIGHT);
			sb_adds(w->sb, "</li>\n");
		}
		sb_adds(w->sb, ordered ? "</ol>\n" : "</ul>\n");
		break;
	}
	case BK_ITEM: blocks(w, b->kids, b->nkids, tight); break;
	case BK_CODE_BLOCK:
		sb_adds(w->sb, "<pre><code>");
		epub_add_str(w->sb, b->text);
		sb_adds(w->sb, "</code></pre>\n");
		break;
	case BK_RULE: sb_adds(w->sb, "<hr/>\n"); break;
	case BK_TABLE: table(w, b); break;
	case BK_FIGURE:
		if (b->img)
			figure(w, b->img);
		break;
	case BK_ROW:
	case BK_CELL:
	case BK_HTML:
		/* Rows and cells live in tables; raw HTML was reported by
		 * the book stage and is left out of both editions. */
		break;
	}
}

static void blocks(struct xw *w, const struct bk_block *v, size_t n, bool tight)
{
	for (size_t i = 0; i < n; i++)
		block(w, &v[i], tight);
}

/* ===== parts =========================================================== */

/*
 * The note as an EPUB 3 pop-up footnote. Its number opens the first
 * paragraph and the backlink closes the last, or they stand alone when the
 * note starts or ends with something else. A note never referenced gets
 * no backlink, which would point nowhere.
 */
static void note(struct xw *w, size_t i)
{
	const struct bk_note *nt = &w->part->notes[i];
	struct strbuf num = STRBUF_INIT, back = STRBUF_INIT;
	sb_addf(&num, "<span class=\"note-number\">%d.</span> ", nt->number);
	if (w->referenced[i])
		sb_addf(&back,
			" <a class=\"backlink\" href=\"#noteref-%d\" role=\"doc-backlink\" "
			"aria-label=\"Back to the text\">" BACKLINK_ARROW "</a>",
			nt->number);
	sb_addf(w->sb,
		"<aside id=\"note-%d\" class=\"footnote\" epub:type=\"footnote\" "
		"role=\"doc-footnote\">\n",
		nt->number);
	size_t n = nt->nkids;
	bool first_para = n && nt->kids[0].kind == BK_PARA;
	bool last_para = n && nt->kids[n - 1].kind == BK_PARA;
	if (!first_para)
		sb_addf(w->sb, "<p>%s</p>\n", num.buf);
	for (size_t k = 0; k < n; k++) {
		const struct bk_block *b = &nt->kids[k];
		if (b->kind == BK_PARA && (k == 0 || k == n - 1))
			para(w, b, k == 0 ? num.buf : "", k == n - 1 ? back.buf : "");
		else
			block(w, b, false);
	}
	if (!last_para && back.len)
		sb_addf(w->sb, "<p>%s</p>\n", back.buf + 1);
	sb_adds(w->sb, "</aside>\n");
	sb_release(&num);
	sb_release(&back);
}

char *epub_part(struct epub *e, const struct bk_part *p, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	struct xw w = {.e = e, .sb = &sb, .part = p, .link = -1};
	w.hrefs = xcalloc(p->nlinks, sizeof(*w.hrefs));
	w.resolved = xcalloc(p->nlinks, sizeof(*w.resolved));
	w.referenced = xcalloc(p->nnotes, sizeof(*w.referenced));

	doc_open(e, &sb, epub_part_title(p), "../");
	bool preface = p->kind == BK_PART_PREFACE;
	sb_adds(&sb, "<section id=\"");
	epub_add_str(&sb, p->id);
	sb_adds(&sb, preface
			 ? "\" class=\"preface\" epub:type=\"introduction\" "
			   "role=\"doc-introduction\">\n"
			 : "\" class=\"chapter\" epub:type=\"chapter\" role=\"doc-chapter\">\n");
	sb_adds(&sb, "<header>\n<h2 class=\"title\">");
	epub_add_str(&sb, epub_part_title(p));
	sb_adds(&sb, "</h2>\n");
	para_str(&sb, "subtitle", p->subtitle);
	para_str(&sb, "byline", p->author);
	para_str(&sb, "role", p->role);
	sb_adds(&sb, "</header>\n");

	blocks(&w, p->blocks, p->nblocks, false);
	for (size_t i = 0; i < p->nnotes; i++)
		note(&w, i);
	sb_adds(&sb, "</section>\n");

	free(w.hrefs);
	free(w.resolved);
	free(w.referenced);
	return doc_close(&sb, len);
}
