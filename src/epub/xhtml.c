/*
 * xhtml.c - the EPUB's XHTML documents: the cover page, the title page,
 * the copyright page, the navigation document and one file per part,
 * written by walking struct bk_block and struct bk_span (not cmark's
 * renderer), so the EPUB says exactly what the PDF says. The print
 * edition's page markers are placed here too.
 */
#define _POSIX_C_SOURCE 200809L
#include "epub-int.h"
#include "kinds.h"
#include "notes.h"
#include "../book/kinds.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_OPS	 "http://www.idpf.org/2007/ops"
#define Z3998	 "z3998: http://www.daisy.org/z3998/2012/vocab/structure/#"

/* A hooked arrow with VS15, so iOS shows text and not an emoji. */
#define BACKLINK_ARROW "\xE2\x86\xA9\xEF\xB8\x8E"


/* ===== text ============================================================ */

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

int epub_toc_level(const struct bk_block *b)
{
	if (b->kind != BK_HEADING || b->level < 2 || b->level > 3 || !b->id)
		return 0;
	for (size_t i = 0; i < b->nspans; i++)
		for (size_t j = 0; j < b->spans[i].len; j++)
			if (!isspace((unsigned char)b->spans[i].text[j]))
				return b->level - 1;
	return 0;
}

/* ===== anchors and page markers ======================================== */

/* Records a place a reader can be sent to, in the order written. */
static void anchor(struct epub *e, const char *file, const char *id)
{
	GROW(e->anchors, e->anchors_cap, e->nanchors + 1);
	e->anchors[e->nanchors++] = (struct epub_anchor){file, id};
}

/* "page-" and the label as an XML name: [A-Za-z0-9._-] kept, anything
 * else a hyphen, a number suffixed when an earlier page took the id.
 * Arena-owned. */
static const char *page_id(struct epub *e, size_t k, struct hmap *taken)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "page-");
	for (const char *p = e->pages[k].label; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = c < 0x80 && (isalnum(c) || c == '-' || c == '_' || c == '.');
		sb_addc(&sb, ok ? (char)c : '-');
	}
	size_t stem = sb.len;
	/* taken holds the ids of the pages before k: looked up there, not
	 * compared with each (the 50x book's 6,597 pages: 729 M
	 * instructions, two fifths of its EPUB). */
	for (int n = 2; hmap_get(taken, sb.buf, sb.len); n++) {
		sb_truncate(&sb, stem);
		sb_addf(&sb, "-%d", n);
	}
	const char *id = ar_strndup(&e->arena, sb.buf, sb.len);
	hmap_put(taken, id, sb.len, (void *)id);
	sb_release(&sb);
	return id;
}

/*
 * Plans the marker of a page the layout made itself before any text: the
 * half-title and the title page go to the top of the title page, the
 * copyright page to the top of the copyright page, the first contents
 * page to the top of the nav and each later one beside the entry it
 * begins with. A blank page (or one the layout did not name) goes with
 * the page before it, or to the title page when it is the first.
 */
static void plan_front(struct epub *e, size_t i, bool *contents_seen)
{
	const struct pg_pagemark *m = &e->marks[i];
	struct epub_page *pg = &e->pages[i];
	switch (m->front) {
	case BK_FRONT_COPYRIGHT: pg->front = EPUB_FRONT_COPYRIGHT; break;
	case BK_FRONT_CONTENTS:
		pg->front = EPUB_FRONT_CONTENTS;
		if (*contents_seen && m->entry >= 0 && (size_t)m->entry < e->b->nparts) {
			pg->front = -1;
			pg->entry = &e->b->parts[m->entry];
		}
		*contents_seen = true;
		break;
	case BK_FRONT_NONE:
		if (i > 0) {
			pg->follows = true;
			pg->file = e->pages[i - 1].file;
			return;
		}
		pg->front = EPUB_FRONT_TITLE;
		break;
	case BK_FRONT_HALF_TITLE:
	case BK_FRONT_TITLE:
	default: pg->front = EPUB_FRONT_TITLE; break;
	}
	pg->file = epub_front_file(pg->entry ? EPUB_FRONT_CONTENTS : (enum epub_front)pg->front);
}

void epub_pages_plan(struct epub *e)
{
	if (!e->nmarks)
		return;
	e->pages = ar_alloc(&e->arena, e->nmarks * sizeof(*e->pages));
	struct hmap taken; /* the page ids given so far */
	hmap_init_arena(&taken, &e->arena);
	hmap_reserve(&taken, e->nmarks);
	bool text_seen = false, contents_seen = false;
	for (size_t i = 0; i < e->nmarks; i++) {
		const struct pg_pagemark *m = &e->marks[i];
		struct epub_page *pg = &e->pages[i];
		memset(pg, 0, sizeof(*pg));
		pg->label = has(m->label) ? m->label : ar_printf(&e->arena, "%zu", i + 1);
		pg->front = -1;
		if (m->notes && epub_notes_doc(e)) { /* the book-end Notes (notes.c) */
			text_seen = true;
			pg->file = EPUB_NOTES_FILE;
		} else if (m->part >= 0 && (size_t)m->part < e->b->nparts) {
			text_seen = true;
			pg->file = epub_part_file(e, &e->b->parts[m->part]);
		} else if (text_seen) {
			pg->follows = true;
			pg->file = e->pages[i - 1].file;
		} else {
			plan_front(e, i, &contents_seen);
		}
		pg->id = page_id(e, i, &taken);
	}
}

/*
 * Writes the marker of page k, then those of the pages that follow it
 * without text of their own, and records each for the NCX. An empty
 * element: the number is for assistive technology (aria-label) and the
 * page list, not for the eye.
 */
static void pagebreak(struct epub *e, struct strbuf *sb, size_t k)
{
	for (size_t i = k; i < e->nmarks && (i == k || e->pages[i].follows); i++) {
		struct epub_page *pg = &e->pages[i];
		if (pg->written)
			continue;
		pg->written = true;
		sb_addf(sb, "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"%s\" ",
			pg->id);
		sb_adds(sb, "aria-label=\"");
		epub_add_str(sb, pg->label);
		sb_adds(sb, "\"/>");
		anchor(e, pg->file, pg->id);
	}
}

/* The markers of the layout's pages that belong at the top of f. */
static void front_pages(struct epub *e, struct strbuf *sb, enum epub_front f)
{
	size_t before = sb->len;
	for (size_t i = 0; i < e->nmarks; i++)
		if (e->pages[i].front == (int)f)
			pagebreak(e, sb, i);
	if (sb->len > before)
		sb_addc(sb, '\n');
}

/* ===== documents ======================================================= */

/* The prologue of an XHTML document up to <body>; up is the path from the
 * document's folder to OEBPS ("" or "../"). */
static void doc_open(struct epub *e, struct strbuf *sb, const char *title, const char *up)
{
	sb_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
	/* z3998 (the byline's z3998:author) is no prefix EPUBCheck 4 knows
	 * unasked. */
	sb_adds(sb, "<html xmlns=\"" NS_XHTML "\" xmlns:epub=\"" NS_OPS "\" epub:prefix=\"" Z3998
		    "\" xml:lang=\"");
	epub_add_str(sb, e->lang);
	sb_adds(sb, "\" lang=\"");
	epub_add_str(sb, e->lang);
	/* A book in Hebrew or Arabic: its lists, headings, tables and notes
	 * run right to left, not only the paragraphs that dir="auto" turns. */
	if (bk_lang_rtl(e->lang))
		sb_adds(sb, "\" dir=\"rtl");
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

/* <p class="cls" attrs>s</p> (attrs "" or " name=\"value\""), or nothing
 * when s is absent. */
static void para_str(struct strbuf *sb, const char *cls, const char *attrs, const char *s)
{
	if (!has(s))
		return;
	sb_addf(sb, "<p class=\"%s\"%s>", cls, attrs);
	epub_add_prose(sb, s);
	sb_adds(sb, "</p>\n");
}

/* ===== cover, title and copyright pages ================================ */

char *epub_cover_page(struct epub *e, size_t *len)
{
	const struct bk_meta *m = &e->b->meta;
	const char *file = "text/cover.xhtml";
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, bk_str(e->b, BK_STR_COVER), "../");
	anchor(e, file, NULL);
	sb_addf(&sb,
		"<section id=\"cover\" class=\"cover\" epub:type=\"cover\">\n"
		"<img src=\"../%s\" role=\"doc-cover\" alt=\"",
		e->cover_name);
	/* The alt text says what the cover says. */
	epub_add_str(&sb, has(m->title) ? m->title : "Untitled");
	if (has(m->subtitle)) {
		sb_adds(&sb, bk_title_colon(e->b));
		epub_add_str(&sb, m->subtitle);
	}
	if (has(m->publisher)) {
		sb_adds(&sb, ". ");
		epub_add_str(&sb, m->publisher);
	}
	sb_adds(&sb, "\"/>\n</section>\n");
	return doc_close(&sb, len);
}

/* How the title page introduces people of a MARC relator role, in the
 * book's language (with its space), or "". */
static const char *role_phrase(struct epub *e, const char *role)
{
	static const struct {
		const char *role;
		enum bk_str s;
	} phrases[] = {
	    {"edt", BK_STR_EDITED_BY},	     /* editor */
	    {"trl", BK_STR_TRANSLATED_BY},   /* translator */
	    {"ill", BK_STR_ILLUSTRATED_BY},  /* illustrator */
	    {"aui", BK_STR_INTRODUCTION_BY}, /* author of introduction */
	    {"wfw", BK_STR_FOREWORD_BY},     /* writer of foreword */
	};
	for (size_t i = 0; role && i < ARRAY_LEN(phrases); i++)
		if (!strcmp(role, phrases[i].role))
			return ar_printf(&e->arena, "%s%s", bk_str(e->b, phrases[i].s),
					 bk_label_gap(bk_str(e->b, phrases[i].s)));
	return "";
}

static bool same_role(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void styled_line(struct epub *e, struct strbuf *sb, const char *text,
			const struct bk_span *v, size_t n);

char *epub_titlepage(struct epub *e, size_t *len)
{
	const struct bk_meta *m = &e->b->meta;
	const char *title = has(m->title) ? m->title : "Untitled";
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, title, "../");
	anchor(e, epub_front_file(EPUB_FRONT_TITLE), NULL);
	sb_adds(&sb, "<section id=\"titlepage\" class=\"titlepage\" epub:type=\"titlepage\">\n");
	front_pages(e, &sb, EPUB_FRONT_TITLE);
	sb_adds(&sb, "<h1 class=\"title\" epub:type=\"title\">");
	styled_line(e, &sb, title, has(m->title) ? m->title_spans : NULL, m->ntitle_spans);
	sb_adds(&sb, "</h1>\n");
	if (has(m->subtitle)) {
		sb_adds(&sb, "<p class=\"subtitle\" epub:type=\"subtitle\" role=\"doc-subtitle\">");
		styled_line(e, &sb, m->subtitle, m->subtitle_spans, m->nsubtitle_spans);
		sb_adds(&sb, "</p>\n");
	}

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
		epub_add_prose(&sb, role_phrase(e, m->creators[i].role));
		const char **names = ar_alloc(&e->arena, count * sizeof(*names));
		for (size_t j = i; j < m->ncreators; j++)
			if (same_role(m->creators[j].role, m->creators[i].role))
				names[k++] = m->creators[j].name;
		struct strbuf joined = STRBUF_INIT;
		bk_join_names(e->b, &joined, names, count);
		epub_add_prose(&sb, joined.buf);
		sb_release(&joined);
		sb_adds(&sb, "</p>\n");
	}
	para_str(&sb, "publisher", "", m->publisher);
	sb_adds(&sb, "</section>\n");
	return doc_close(&sb, len);
}

/* <p>label value after</p> when value is present. */
static void line_str(struct strbuf *sb, const char *label, const char *value, const char *after)
{
	if (!has(value))
		return;
	sb_adds(sb, "<p>");
	epub_add_prose(sb, label);
	epub_add_prose(sb, value);
	sb_adds(sb, after);
	sb_adds(sb, "</p>\n");
}

/* The same lines, in the same order, as the print edition's copyright
 * page (layout/page.c), but for the type size, which is the reader's. */
char *epub_copyright(struct epub *e, size_t *len)
{
	const struct bk_meta *m = &e->b->meta;
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, bk_str(e->b, BK_STR_COPYRIGHT), "../");
	anchor(e, epub_front_file(EPUB_FRONT_COPYRIGHT), NULL);
	sb_adds(&sb, "<section id=\"copyright\" class=\"copyright\" "
		     "epub:type=\"copyright-page\">\n");
	front_pages(e, &sb, EPUB_FRONT_COPYRIGHT);
	if (has(m->title)) {
		sb_adds(&sb, "<p class=\"book-title\">");
		epub_add_prose(&sb, m->title);
		if (has(m->subtitle)) {
			sb_adds(&sb, bk_title_colon(e->b));
			epub_add_prose(&sb, m->subtitle);
		}
		sb_adds(&sb, "</p>\n");
	}
	line_str(&sb, "", m->rights, "");
	line_str(&sb, ar_printf(&e->arena, "%s ", bk_str(e->b, BK_STR_FIRST_PUBLISHED)), m->date, "");
	if (has(m->edition)) {
		sb_adds(&sb, "<p>");
		epub_add_prose(&sb, m->edition);
		if (has(m->revised)) {
			sb_addf(&sb, ", %s ", bk_str(e->b, BK_STR_REVISED));
			epub_add_str(&sb, m->revised);
		}
		sb_adds(&sb, "</p>\n");
	}
	line_str(&sb, "ISBN ", m->isbn_print, " (print)");
	line_str(&sb, "ISBN ", m->isbn_epub, " (EPUB)");
	line_str(&sb, ar_printf(&e->arena, "%s%s", bk_str(e->b, BK_STR_PUBLISHED_BY),
				bk_label_gap(bk_str(e->b, BK_STR_PUBLISHED_BY))),
		 m->publisher, "");
	const char *fam[4];
	if (!bk_has_kind(e->b, BK_PART_COLOPHON)) { /* else its own part says it */
		sb_adds(&sb, "<p class=\"colophon\">");
		epub_add_prose(&sb, bk_colophon(e->b, &e->arena, fam,
						bk_font_families(&e->b->style, fam, &e->arena), 0,
						0));
		sb_adds(&sb, "</p>\n");
	}
	sb_adds(&sb, "</section>\n");
	return doc_close(&sb, len);
}

/* ===== navigation document ============================================= */

/* <li><a href="file#id">text</a> with the <li> left open. */
static void nav_item(struct strbuf *sb, const char *file, const char *id, const char *text)
{
	sb_adds(sb, "<li><a href=\"");
	epub_add_str(sb, file);
	if (id) {
		sb_addc(sb, '#');
		epub_add_str(sb, id);
	}
	sb_adds(sb, "\">");
	epub_add_prose(sb, text);
	sb_adds(sb, "</a>");
}

/*
 * A part's entry in the contents, its sections nested by level below it:
 * a list opens where the level deepens and closes where it returns.
 */
static void nav_part(struct epub *e, struct strbuf *sb, const struct bk_part *p)
{
	const char *file = epub_part_file(e, p);
	/* A printed contents page that begins with this entry: its marker
	 * opens the entry's item. */
	sb_adds(sb, "<li><a href=\"");
	epub_add_str(sb, file);
	sb_adds(sb, "\">");
	/* A printed contents page that begins with this entry: its marker
	 * opens the entry's link, since a list item of the nav holds only
	 * its link and the list below it. */
	for (size_t i = 0; i < e->nmarks; i++)
		if (e->pages[i].entry == p)
			pagebreak(e, sb, i);
	epub_add_prose(sb, epub_nav_title(e, p));
	/* The essay's author below its title, as the print contents has it. */
	if (p->kind == BK_PART_ESSAY && has(p->author)) {
		sb_adds(sb, "<br/><span class=\"toc-author\">");
		epub_add_prose(sb, p->author);
		sb_adds(sb, "</span>");
	}
	sb_adds(sb, "</a>");
	int open[8], n = 0; /* the level of each open <ol> */
	/* A divider's entry holds the essays under it instead (epub_nav). */
	for (size_t k = 0; k < p->nblocks && p->kind != BK_PART_DIVIDER; k++) {
		const struct bk_block *h = &p->blocks[k];
		int lv = epub_toc_level(h);
		if (!lv)
			continue;
		while (n > 0 && open[n - 1] > lv) {
			/* A heading above the list's and below the one before
			 * it (an h3 then an h2): the list goes on at its level,
			 * as an item holds one list, not two. */
			if (n == 1 || open[n - 2] < lv) {
				open[n - 1] = lv;
				break;
			}
			sb_adds(sb, "</li>\n</ol>\n");
			n--;
		}
		if (n > 0 && open[n - 1] == lv) {
			sb_adds(sb, "</li>\n");
		} else {
			sb_adds(sb, "\n<ol>\n");
			open[n++] = lv;
		}
		nav_item(sb, file, h->id, epub_plain(e, h->spans, h->nspans));
	}
	while (n-- > 0)
		sb_adds(sb, "</li>\n</ol>\n");
}

char *epub_nav(struct epub *e, size_t *len)
{
	const struct book *b = e->b;
	const char *self = epub_front_file(EPUB_FRONT_CONTENTS);
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, bk_str(b, BK_STR_CONTENTS), "");
	anchor(e, self, NULL);
	front_pages(e, &sb, EPUB_FRONT_CONTENTS);
	sb_adds(&sb, "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n<h2>");
	epub_add_str(&sb, bk_str(b, BK_STR_CONTENTS));
	sb_adds(&sb, "</h2>\n<ol>\n");
	nav_item(&sb, epub_front_file(EPUB_FRONT_TITLE), NULL, bk_str(b, BK_STR_TITLE_PAGE));
	sb_adds(&sb, "</li>\n");
	nav_item(&sb, epub_front_file(EPUB_FRONT_COPYRIGHT), NULL, bk_str(b, BK_STR_COPYRIGHT));
	sb_adds(&sb, "</li>\n");
	/* The parts a divider leads are nested under it, as in print. */
	bool nested = false;
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = e->reading[i];
		if (nested && (!p->under || epub_notes_here(e, i))) {
			sb_adds(&sb, "</ol>\n</li>\n");
			nested = false;
		}
		if (epub_notes_here(e, i)) /* the book-end Notes (notes.c) */
			epub_notes_nav(e, &sb);
		nav_part(e, &sb, p);
		size_t at = (size_t)(p - b->parts);
		if (p->kind == BK_PART_DIVIDER && i + 1 < b->nparts &&
		    e->reading[i + 1]->under == (int)at + 1) {
			sb_adds(&sb, "\n<ol>\n");
			nested = true;
		} else {
			sb_adds(&sb, "</li>\n");
		}
	}
	if (nested)
		sb_adds(&sb, "</ol>\n</li>\n");
	if (epub_notes_here(e, b->nparts))
		epub_notes_nav(e, &sb);
	sb_adds(&sb, "</ol>\n</nav>\n");

	static const struct {
		const char *type, *href;
		enum bk_str s;
	} marks[] = {{"cover", "text/cover.xhtml", BK_STR_COVER},
		     {"titlepage", "text/titlepage.xhtml", BK_STR_TITLE_PAGE},
		     {"copyright-page", "text/copyright.xhtml", BK_STR_COPYRIGHT},
		     {"toc", "nav.xhtml#toc", BK_STR_CONTENTS}};
	sb_adds(&sb, "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>");
	epub_add_str(&sb, bk_str(b, BK_STR_LANDMARKS));
	sb_adds(&sb, "</h2>\n<ol>\n");
	for (size_t i = 0; i < ARRAY_LEN(marks); i++) {
		sb_addf(&sb, "<li><a epub:type=\"%s\" href=\"%s\">", marks[i].type, marks[i].href);
		epub_add_str(&sb, bk_str(b, marks[i].s));
		sb_adds(&sb, "</a></li>\n");
	}
	/* The body begins with the first essay; a preface before it is
	 * front matter. */
	const struct bk_part *start = NULL;
	for (size_t i = 0; i < b->nparts && !start; i++)
		if (!e->reading[i]->front)
			start = e->reading[i];
	if (!start && b->nparts)
		start = &b->parts[0];
	if (start) {
		sb_adds(&sb, "<li><a epub:type=\"bodymatter\" href=\"");
		epub_add_str(&sb, epub_part_file(e, start));
		sb_adds(&sb, "\">");
		epub_add_prose(&sb, epub_part_title(start));
		sb_adds(&sb, "</a></li>\n");
	}
	if (epub_notes_doc(e))
		epub_notes_landmark(e, &sb);
	sb_adds(&sb, "</ol>\n</nav>\n");

	if (e->nmarks) {
		sb_adds(&sb, "<nav epub:type=\"page-list\" id=\"page-list\" role=\"doc-pagelist\" "
			     "hidden=\"hidden\">\n<h2>");
		epub_add_str(&sb, bk_str(b, BK_STR_PAGES));
		sb_adds(&sb, "</h2>\n<ol>\n");
		for (size_t i = 0; i < e->nmarks; i++) {
			nav_item(&sb, e->pages[i].file, e->pages[i].id, e->pages[i].label);
			sb_adds(&sb, "</li>\n");
		}
		sb_adds(&sb, "</ol>\n</nav>\n");
	}
	return doc_close(&sb, len);
}

/* ===== links =========================================================== */

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
			sb_add_xml(sb, "&", 1); /* the one XML escaper */
		else
			sb_addc(sb, (char)c);
	}
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
	if (bk_url_has_scheme(url)) {
		add_href(&sb, url);
		r = ar_strndup(&e->arena, sb.buf, sb.len);
		sb_release(&sb);
		return r;
	}
	/* Authors name headings as GitHub and pandoc do (anchors.c); the
	 * EPUB's ids carry their part's. */
	const struct bk_part *target = NULL;
	const struct bk_block *hd = NULL;
	enum bk_link how = bk_resolve_link(e->b, self, url, &target, &hd);
	if (how == BK_LINK_NO_HEADING && strchr(url, '#') != url)
		how = BK_LINK_OK; /* the file is enough to land near */
	if (how != BK_LINK_OK)
		target = NULL;
	const char *frag = hd ? hd->id : NULL;
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
enum tag { TAG_A, TAG_LANG, TAG_STRONG, TAG_EM, TAG_DEL, TAG_SC, TAG_SUP, TAG_SUB, TAG_CODE, NTAGS };

static const char *const tag_name[NTAGS] = {"a",    "span", "strong", "em", "del",
					    "span", "sup",  "sub",    "code"};
static const unsigned tag_style[NTAGS] = {0,	   0,	   BK_STRONG, BK_EM,  BK_STRIKE,
					  BK_SMALLCAPS, BK_SUP, BK_SUB,	   BK_CODE};

/* A page mark keyed by the address of the span or block it begins at. */
struct mref {
	uintptr_t key;
	size_t offset; /* into the span */
	size_t k;      /* index into e->marks */
};

/* The writer of one part. */
struct xw {
	struct epub *e;
	struct strbuf *sb;
	const struct bk_part *part;
	const char *file;   /* the part's XHTML file, relative to OEBPS/ */
	const char **hrefs; /* per part->links: resolved href, NULL if dropped */
	bool *resolved;	    /* per part->links */
	bool *referenced;   /* per part->notes: first reference written */
	enum tag stack[NTAGS];
	int depth;
	int link; /* the link the open <a> stands for, or -1 */
	const char *want_lang, *open_lang; /* the spans' lang=, and the open <span lang>'s */
	double img_width; /* a figure's {width=}, as a fraction; 0: none */
	int last_h;       /* the last heading's <hN> level; 0: none yet (the title's h2) */
	/* The print pages that begin in this part (indexes into e->marks),
	 * in page order, and the same sorted by the span or the block they
	 * begin at, so each span and block finds its own in log time. */
	size_t *marks;
	size_t nmarks;
	struct mref *by_span, *by_block;
	size_t nby_span, nby_block;
	/* Scratch for spans(), kept between calls: the text of a run of
	 * spans joined, where each span starts in it, and its no-break
	 * spaces. */
	struct strbuf flat;
	size_t *at;
	size_t at_cap;
	bool *nb;
	size_t nb_cap;
	int ndesc; /* long descriptions written, for their ids */
};

/* Frees what w's writer allocated (not sb, the caller's). */
static void xw_release(struct xw *w)
{
	free(w->hrefs);
	free(w->resolved);
	free(w->referenced);
	free(w->marks);
	free(w->by_span);
	free(w->by_block);
	free(w->at);
	free(w->nb);
	sb_release(&w->flat);
}

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
		/* A link that leads nowhere is the lint's to report (cli/lint.c),
		 * for build and check alike. */
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
		bool wanted = t == TAG_A ? link >= 0 && link == w->link
			      : t == TAG_LANG ? w->want_lang && w->open_lang &&
						    !strcmp(w->want_lang, w->open_lang)
					      : (style & tag_style[t]);
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
		} else if (t == TAG_LANG && w->want_lang) {
			sb_adds(w->sb, "<span lang=\"");
			epub_add_str(w->sb, w->want_lang);
			sb_adds(w->sb, "\" xml:lang=\"");
			epub_add_str(w->sb, w->want_lang);
			sb_adds(w->sb, "\">");
			w->open_lang = w->want_lang;
		} else if (t == TAG_SC && (style & tag_style[t])) {
			sb_adds(w->sb, "<span class=\"smallcaps\">");
		} else if (t != TAG_A && t != TAG_LANG && (style & tag_style[t])) {
			sb_addf(w->sb, "<%s>", tag_name[t]);
		} else {
			continue;
		}
		w->stack[w->depth++] = (enum tag)t;
	}
}

/* The style of an image sized in ems ({width=3em}): the ems as written,
 * so that they follow the reader's type size as the PDF's follow the
 * body's, a side not given in ems in pixels (cw, ch, CSS pixels) or, when
 * its author gave it not at all, auto (in proportion). */
static void em_size(struct strbuf *sb, const struct bk_image *img, double cw, double ch,
		    bool in_line)
{
	sb_adds(sb, " style=\"width: ");
	if (img->em_w > 0)
		sb_addf(sb, "%.4gem", img->em_w);
	else if (img->want_w > 0 || img->em_h <= 0)
		sb_addf(sb, "%.0fpx", fmax(1, round(cw)));
	else
		sb_adds(sb, "auto");
	sb_adds(sb, "; height: ");
	if (img->em_h > 0)
		sb_addf(sb, "%.4gem", img->em_h);
	else if (img->want_h > 0)
		sb_addf(sb, "%.0fpx", fmax(1, round(ch)));
	else
		sb_adds(sb, "auto");
	sb_adds(sb, in_line ? "; max-height: none\"" : "\"");
}

/* An <img>; described (NULL: none) is the id of its long description. A
 * figure on an opaque white ground is framed (epub_image_white), so that
 * a night mode shows a picture and not a bare white block. */
static void add_img(struct xw *w, const struct bk_image *img, const char *alt, size_t altlen,
		    const char *cls, const char *described)
{
	const struct epub_res *r = epub_image_lookup(w->e, img);
	bool framed = !strcmp(cls, "figure") && epub_image_white(w->e, img);
	sb_addf(w->sb, "<img class=\"%s%s\" src=\"../%s\" alt=\"", cls, framed ? " framed" : "",
		r->name);
	sb_add_xml(w->sb, alt, altlen);
	sb_adds(w->sb, "\"");
	if (described)
		sb_addf(w->sb, " aria-describedby=\"%s\"", described);
	/* the size the PDF gives it, in CSS pixels (the stylesheet's
	 * max-width keeps it inside the screen) */
	double cw, ch, share = w->img_width > 0 ? w->img_width : img->want_share;
	bool asked = bk_image_css_size(img, w->e->b->style.body_size, &cw, &ch);
	bool ems = img->em_w > 0 || img->em_h > 0;
	if (cw > 0 && ch > 0)
		sb_addf(w->sb, " width=\"%.0f\" height=\"%.0f\"", fmax(1, round(cw)),
			fmax(1, round(ch)));
	bool in_line = !strcmp(cls, "inline");
	/* An image in a line at the size its author asked for, as the PDF
	 * sets it: not held to the type's height (img.inline's max-height). */
	if (share > 0 && (!strcmp(cls, "figure") || in_line))
		sb_addf(w->sb, " style=\"width: %.0f%%; height: auto%s\"", share * 100,
			in_line ? "; max-height: none" : "");
	else if (ems && cw > 0 && ch > 0)
		em_size(w->sb, img, cw, ch, in_line);
	else if (asked && in_line && cw > 0 && ch > 0)
		sb_addf(w->sb, " style=\"width: %.0fpx; height: %.0fpx; max-height: none\"",
			fmax(1, round(cw)), fmax(1, round(ch)));
	sb_adds(w->sb, "/>");
}

/*
 * A pop-up footnote's reference: an <a> with epub:type="noteref", which
 * is what Apple Books and Kobo look for, to an <aside> in the same file;
 * elsewhere a plain link. The first reference gets the id the note's
 * backlink returns to.
 */
static void noteref(struct xw *w, const struct bk_span *s)
{
	if (s->note < 0 || (size_t)s->note >= w->part->nnotes) {
		/* The book stage has reported it; keep the number visible. */
		sb_addf(w->sb, "<sup>%d</sup>", s->note + 1);
		return;
	}
	int num = w->part->notes[s->note].number;
	sb_adds(w->sb, "<sup><a href=\"");
	epub_add_str(w->sb, epub_note_href(w->e, w->part, num)); /* notes.c */
	sb_adds(w->sb, "\"");
	if (!w->referenced[s->note])
		sb_addf(w->sb, " id=\"noteref-%d\"", num);
	w->referenced[s->note] = true;
	sb_addf(w->sb, " epub:type=\"noteref\" role=\"doc-noteref\">%d</a></sup>", num);
}

/* The first of v (n of them, sorted) with this key, or n. */
static size_t first_ref(const struct mref *v, size_t n, uintptr_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The markers of the unwritten pages in v that begin at key, in order. */
static void marks_at(struct xw *w, const struct mref *v, size_t n, uintptr_t key)
{
	for (size_t i = first_ref(v, n, key); i < n && v[i].key == key; i++)
		if (!w->e->pages[v[i].k].written)
			pagebreak(w->e, w->sb, v[i].k);
}

/* The markers of this part's pages that begin with block b. */
static void block_marks(struct xw *w, const struct bk_block *b)
{
	marks_at(w, w->by_block, w->nby_block, (uintptr_t)b);
}

/* The markers of pages that begin with span s, which has no text to
 * split (a break, a note reference, an image): before it. */
static void span_marks(struct xw *w, const struct bk_span *s)
{
	marks_at(w, w->by_span, w->nby_span, (uintptr_t)s);
}

/* The markers of pages that begin at the very start of span s, written
 * before the element that holds it: inside a heading, a marker's label
 * would become part of the heading's accessible name. */
static void start_marks(struct xw *w, const struct bk_span *s)
{
	const struct mref *v = w->by_span;
	size_t n = w->nby_span;
	for (size_t i = first_ref(v, n, (uintptr_t)s);
	     i < n && v[i].key == (uintptr_t)s && v[i].offset == 0; i++)
		if (!w->e->pages[v[i].k].written)
			pagebreak(w->e, w->sb, v[i].k);
}

/* The next unwritten page that begins inside span s, at or after byte
 * pos: its index into e->marks (SIZE_MAX when none) and, in *off, where
 * it begins, moved back to a character boundary. The marks of a span
 * are sorted by offset, so the first unwritten one is the next. */
static size_t next_mark(struct xw *w, const struct bk_span *s, size_t pos, size_t *off)
{
	const struct mref *v = w->by_span;
	size_t n = w->nby_span;
	for (size_t i = first_ref(v, n, (uintptr_t)s); i < n && v[i].key == (uintptr_t)s; i++) {
		if (w->e->pages[v[i].k].written)
			continue;
		size_t o = v[i].offset < s->len ? v[i].offset : s->len;
		while (o > 0 && o < s->len && ((unsigned char)s->text[o] & 0xC0) == 0x80)
			o--;
		*off = o < pos ? pos : o;
		return v[i].k;
	}
	return SIZE_MAX;
}

/* A text span, split where printed pages begin inside it; nb (NULL for
 * none) marks its no-break spaces. */
/* Whether c is a capital letter: Latin, Greek, Cyrillic (what the
 * print edition's c2sc finds in the fonts octavo sets). */
static bool is_capital(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	bool even = !(c & 1);
	return (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x100 && c <= 0x137 && even) ||
	       (c >= 0x139 && c <= 0x148 && !even) || (c >= 0x14A && c <= 0x177 && even) ||
	       c == 0x178 || (c >= 0x179 && c <= 0x17E && !even) ||
	       (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x400 && c <= 0x42F) ||
	       c == 0x1E9E;
}

/*
 * Text with small-caps: acronyms: each run of three or more capitals in
 * an <abbr class="acronym">, which fonts.css sets in all-small-caps, as
 * Standard Ebooks marks acronyms and as the print edition sets them (c2sc).
 */
static void add_acronyms(struct xw *w, const char *s, size_t n, const bool *nb)
{
	size_t done = 0, run = 0, caps = 0;
	for (size_t i = 0; i <= n;) {
		uint32_t c = 0;
		int m = i < n ? utf8_decode((const unsigned char *)s + i, n - i, &c) : 1;
		if (m <= 0)
			m = 1, c = 0;
		bool cap = i < n && is_capital(c);
		if (cap && !caps++)
			run = i;
		if (!cap) {
			if (caps >= 3) {
				epub_add_nb_text(w->sb, s + done, run - done, nb ? nb + done : NULL);
				sb_adds(w->sb, "<abbr class=\"acronym\">");
				epub_add_nb_text(w->sb, s + run, i - run, nb ? nb + run : NULL);
				sb_adds(w->sb, "</abbr>");
				done = i;
			}
			caps = 0;
		}
		i += (size_t)m;
	}
	epub_add_nb_text(w->sb, s + done, n - done, nb ? nb + done : NULL);
}

/* A span's text, with small-caps: acronyms marked. */
static void span_text(struct xw *w, const struct bk_span *s, const char *t, size_t n,
		      const bool *nb)
{
	if (w->e->b->style.acronyms && !(s->style & (BK_CODE | BK_SMALLCAPS)))
		add_acronyms(w, t, n, nb);
	else
		epub_add_nb_text(w->sb, t, n, nb);
}

static void text_span(struct xw *w, const struct bk_span *s, const bool *nb)
{
	if (!s->text) { /* never so for text; but no arithmetic on NULL */
		span_marks(w, s);
		return;
	}
	size_t pos = 0, off = 0, k;
	while ((k = next_mark(w, s, pos, &off)) != SIZE_MAX) {
		span_text(w, s, s->text + pos, off - pos, nb ? nb + pos : NULL);
		pagebreak(w->e, w->sb, k);
		pos = off;
	}
	span_text(w, s, s->text + pos, s->len - pos, nb ? nb + pos : NULL);
}

/*
 * Joins the text of a run of spans into w->flat (code and anything not
 * text stand as a line break, which no rule crosses) and finds its
 * no-break spaces, so "Mr *Smith*" binds across the style change. Each
 * text span's start is left in w->at (SIZE_MAX: none).
 */
static void find_nbsp(struct xw *w, const struct bk_span *v, size_t n)
{
	sb_reset(&w->flat);
	GROW(w->at, w->at_cap, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == BK_SPAN_TEXT && !(v[i].style & BK_CODE)) {
			w->at[i] = w->flat.len;
			if (v[i].len)
				sb_add(&w->flat, v[i].text, v[i].len);
		} else {
			w->at[i] = SIZE_MAX;
			sb_addc(&w->flat, '\n');
		}
	}
	GROW(w->nb, w->nb_cap, w->flat.len + 1);
	memset(w->nb, 0, (w->flat.len + 1) * sizeof(*w->nb));
	epub_nbsp(w->flat.buf, w->flat.len, w->nb);
	epub_nbsp_collapse(w->flat.buf, w->flat.len, w->nb);
}

static void spans(struct xw *w, const struct bk_span *v, size_t n)
{
	find_nbsp(w, v, n);
	for (size_t i = 0; i < n; i++) {
		const struct bk_span *s = &v[i];
		const bool *nb = w->at[i] == SIZE_MAX ? NULL : w->nb + w->at[i];
		w->want_lang = s->lang;
		switch (s->kind) {
		case BK_SPAN_TEXT:
			sync(w, s->style, span_link(w, s));
			text_span(w, s, nb);
			break;
		case BK_SPAN_BREAK:
			sync(w, s->style, span_link(w, s));
			span_marks(w, s);
			sb_adds(w->sb, "<br/>");
			break;
		case BK_SPAN_NOTEREF:
			/* Its own <a>: links may not nest. */
			sync(w, s->style, -1);
			span_marks(w, s);
			/* Marks side by side ([^a][^b]) parted by a superior
			 * comma, as in the PDF: "<sup>4</sup><sup>5</sup>"
			 * reads as 45. */
			if (i > 0 && v[i - 1].kind == BK_SPAN_NOTEREF)
				sb_adds(w->sb, "<sup>,</sup>");
			noteref(w, s);
			break;
		case BK_SPAN_IMAGE:
			sync(w, s->style, span_link(w, s));
			span_marks(w, s);
			if (s->img)
				add_img(w, s->img, s->text, s->len, "inline", NULL);
			break;
		}
	}
	w->want_lang = NULL;
	sync(w, 0, -1);
}

/* A line of book.yaml (the book's title, its subtitle): its styled runs
 * when it has them ("<i>Middlemarch</i> Revisited"; no links, no notes),
 * else its text. */
static void styled_line(struct epub *e, struct strbuf *sb, const char *text,
			const struct bk_span *v, size_t n)
{
	if (!v) {
		epub_add_prose(sb, text);
		return;
	}
	struct xw w = {.e = e, .sb = sb, .link = -1, .flat = STRBUF_INIT};
	spans(&w, v, n);
	xw_release(&w);
}

/* ===== blocks ========================================================== */

static void blocks(struct xw *w, const struct bk_block *v, size_t n, bool tight);

/* Whether spans hold right-to-left letters (Hebrew to NKo, U+0590-07FF,
 * or their presentation forms): such a paragraph takes dir="auto", so
 * that a reading system gives it the direction of its first strong
 * letter, as the print edition does. */
static bool has_rtl(const struct bk_span *sp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; sp[i].kind == BK_SPAN_TEXT && k < sp[i].len; k++) {
			unsigned char c = (unsigned char)sp[i].text[k];
			uint32_t cp;
			if (c >= 0xD6 && c <= 0xDF)
				return true;
			if (c == 0xEF &&
			    utf8_decode((const unsigned char *)sp[i].text + k, sp[i].len - k, &cp) == 3 &&
			    ((cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC)))
				return true;
		}
	return false;
}

static void para(struct xw *w, const struct bk_block *b, const char *before, const char *after)
{
	sb_adds(w->sb, has_rtl(b->spans, b->nspans) ? "<p dir=\"auto\">" : "<p>");
	sb_adds(w->sb, before);
	spans(w, b->spans, b->nspans);
	sb_adds(w->sb, after);
	sb_adds(w->sb, "</p>\n");
}

static void table_row(struct xw *w, const struct bk_block *table, const struct bk_block *row)
{
	bool head = row->flags & BK_HEADER_ROW, marked = false;
	sb_adds(w->sb, "<tr>");
	for (size_t j = 0; j < row->nkids; j++) {
		const struct bk_block *cell = &row->kids[j];
		if (cell->flags & BK_COVERED)
			continue; /* a cell before it spans its place */
		char a = table->aligns && (int)j < table->ncols ? table->aligns[j] : '-';
		if (head && cell->colspan > 1)
			a = 'c'; /* a heading over columns centred, as the PDF sets it */
		sb_adds(w->sb, head ? "<th scope=\"col\"" : "<td");
		if (cell->colspan > 1)
			sb_addf(w->sb, " colspan=\"%d\"", cell->colspan);
		if (cell->rowspan > 1)
			sb_addf(w->sb, " rowspan=\"%d\"", cell->rowspan);
		if (a == 'l' || a == 'c' || a == 'r')
			sb_addf(w->sb, " class=\"align-%s\"",
				a == 'l'   ? "left"
				: a == 'c' ? "center"
					   : "right");
		sb_adds(w->sb, ">");
		/* A page that begins with a row: its marker opens the row's
		 * first cell, the one place in a table a span may stand. */
		if (!marked)
			block_marks(w, row);
		marked = true;
		block_marks(w, cell);
		spans(w, cell->spans, cell->nspans);
		sb_adds(w->sb, head ? "</th>" : "</td>");
	}
	sb_adds(w->sb, "</tr>\n");
}

static void table(struct xw *w, const struct bk_block *b)
{
	sb_adds(w->sb, "<table>\n");
	if (b->ncaption) {
		sb_adds(w->sb, "<caption>");
		spans(w, b->caption, b->ncaption);
		sb_adds(w->sb, "</caption>\n");
	}
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

static void figure(struct xw *w, const struct bk_image *img, const char *described)
{
	const char *alt = img->alt ? img->alt : "";
	const char *caption = has(img->title) ? img->title : alt;
	sb_adds(w->sb, "<figure class=\"figure\">\n");
	add_img(w, img, alt, strlen(alt), "figure", described);
	sb_adds(w->sb, "\n");
	if (*caption) {
		sb_adds(w->sb, "<figcaption>");
		epub_add_prose(w->sb, caption);
		sb_adds(w->sb, "</figcaption>\n");
	}
	sb_adds(w->sb, "</figure>\n");
}

/* The dialect's blocks (dialect.h): divs with their classes, definition
 * lists, line blocks, page breaks. */
/* An HTML <details> whose first block is its <summary> (one paragraph),
 * as itself: open, so that its body reads without a tap, as in print. */
static bool details(struct xw *w, const struct bk_block *b)
{
	const struct bk_block *s = b->nkids ? &b->kids[0] : NULL;
	if (!(b->flags & BK_DETAILS) || !s || !(s->flags & BK_SUMMARY) || s->nkids != 1 ||
	    s->kids[0].kind != BK_PARA)
		return false;
	sb_adds(w->sb, "<details open=\"open\">\n<summary>");
	spans(w, s->kids[0].spans, s->kids[0].nspans);
	sb_adds(w->sb, "</summary>\n");
	blocks(w, b->kids + 1, b->nkids - 1, false);
	sb_adds(w->sb, "</details>\n");
	return true;
}

static void dialect_block(struct xw *w, const struct bk_block *b)
{
	switch (b->kind) {
	case BK_DIV:
		if (details(w, b))
			break;
		sb_adds(w->sb, "<div");
		if (b->nclasses) {
			sb_adds(w->sb, " class=\"");
			for (size_t i = 0; i < b->nclasses; i++) {
				if (i)
					sb_addc(w->sb, ' ');
				epub_add_str(w->sb, b->classes[i]);
			}
			/* a class the style sets like one of octavo's gets that one too */
			for (size_t k = 0; bk_div_styles[k]; k++) {
				bool own = false;
				for (size_t i = 0; i < b->nclasses; i++)
					own |= !strcmp(b->classes[i], bk_div_styles[k]);
				if (!own && bk_div_like(&w->e->b->style, b->classes, b->nclasses,
							bk_div_styles[k]))
					sb_addf(w->sb, " %s", bk_div_styles[k]);
			}
			sb_adds(w->sb, "\"");
			for (size_t i = 0; i < b->nclasses; i++)
				if (!strcmp(b->classes[i], "epigraph") ||
				    !strcmp(b->classes[i], "dedication")) {
					sb_addf(w->sb, " epub:type=\"%s\"", b->classes[i]);
					break;
				}
		}
		if (b->lang) {
			sb_adds(w->sb, " lang=\"");
			epub_add_str(w->sb, b->lang);
			sb_adds(w->sb, "\" xml:lang=\"");
			epub_add_str(w->sb, b->lang);
			sb_adds(w->sb, "\"");
		}
		sb_adds(w->sb, ">\n");
		blocks(w, b->kids, b->nkids, false);
		sb_adds(w->sb, "</div>\n");
		break;
	case BK_DEFLIST:
		sb_adds(w->sb, "<dl>\n");
		blocks(w, b->kids, b->nkids, false);
		sb_adds(w->sb, "</dl>\n");
		break;
	case BK_DEFTERM:
		sb_adds(w->sb, "<dt>");
		spans(w, b->spans, b->nspans);
		sb_adds(w->sb, "</dt>\n");
		break;
	case BK_DEFDESC: {
		/* One paragraph is the definition's text; more keep their <p>. */
		bool one = b->nkids == 1 && b->kids[0].kind == BK_PARA;
		sb_adds(w->sb, "<dd>");
		blocks(w, b->kids, b->nkids, one);
		sb_adds(w->sb, "</dd>\n");
		break;
	}
	case BK_LINES:
		sb_adds(w->sb, "<p class=\"line-block\">");
		spans(w, b->spans, b->nspans);
		sb_adds(w->sb, "</p>\n");
		break;
	case BK_PAGEBREAK:
		sb_adds(w->sb, "<div class=\"page-break\"></div>\n");
		break;
	default:
		break;
	}
}

static void block(struct xw *w, const struct bk_block *b, bool tight)
{
	/* A page that begins with this block: its marker goes just before
	 * it, where a span may stand (rows and cells: see table_row). */
	block_marks(w, b);
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
		 * h2, and its own sections start at h3. */
		int h = b->level < 1 ? 2 : b->level >= 5 ? 6 : b->level + 1;
		/* No level skipped (WCAG's heading order; Ace's heading-order):
		 * '#####' after '###' is one level down, as the tagged PDF's H4. */
		int prev = w->last_h ? w->last_h : 2;
		if (h > prev + 1)
			h = prev + 1;
		w->last_h = h;
		if (b->nspans)
			start_marks(w, &b->spans[0]);
		sb_addf(w->sb, "<h%d", h);
		if (b->id) {
			sb_adds(w->sb, " id=\"");
			epub_add_str(w->sb, b->id);
			sb_adds(w->sb, "\"");
			anchor(w->e, w->file, b->id);
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
		/* Numbers of two figures or more hang further left than the
		 * stylesheet's 1.5 em margin holds: half an em more for each
		 * figure past the first keeps "10." or "105." on the page, as
		 * the PDF's list indent grows to its widest marker. */
		int figures = 1;
		for (long last = ordered ? b->level + (long)b->nkids - 1 : 0; last >= 10; last /= 10)
			figures++;
		if (ordered)
			sb_adds(w->sb, "<ol");
		if (figures > 1)
			sb_addf(w->sb, " style=\"margin-left: %.1fem\"", 1.0 + 0.5 * figures);
		if (ordered && b->level != 1)
			sb_addf(w->sb, " start=\"%d\"", b->level);
		sb_adds(w->sb, ordered ? ">\n" : "<ul>\n");
		for (size_t i = 0; i < b->nkids; i++) {
			const struct bk_block *item = &b->kids[i];
			/* A task's box for its marker, ticked when done (the
			 * PDF draws the same). */
			sb_adds(w->sb, (item->flags & BK_TASK) && !ordered ? "<li class=\"task\">" : "<li>");
			if (item->flags & BK_TASK)
				sb_adds(w->sb, item->flags & BK_DONE ? "<span class=\"task-box\">\u2611</span>"
								     : "<span class=\"task-box\">\u2610</span>");
			if (item->kind == BK_ITEM) {
				block_marks(w, item);
				blocks(w, item->kids, item->nkids, b->flags & BK_TIGHT);
			} else {
				block(w, item, b->flags & BK_TIGHT);
			}
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
		w->img_width = b->width;
		if (b->img)
			figure(w, b->img, NULL);
		w->img_width = 0;
		break;
	case BK_DIV:
	case BK_DEFLIST:
	case BK_DEFTERM:
	case BK_DEFDESC:
	case BK_LINES:
	case BK_PAGEBREAK:
		dialect_block(w, b);
		break;
	case BK_ROW:
	case BK_CELL:
	case BK_HTML:
		/* Rows and cells live in tables; raw HTML was reported by
		 * the book stage and is left out of both editions. */
		break;
	}
}

/* Whether id ("essay-01-x") is a heading's of part p. */
static bool heading_id(const struct bk_part *p, const char *id)
{
	size_t pl = strlen(p->id);
	if (strncmp(id, p->id, pl) || id[pl] != '-')
		return false;
	return bk_find_heading(p, id + pl + 1, strlen(id + pl + 1)) != NULL;
}

/*
 * Block v[i] among its siblings v[0..n); a figure with a long description
 * (bk_figure_description) is written with it, the image pointing at it by
 * aria-describedby. Returns how many blocks after v[i] it wrote too.
 */
static size_t sibling(struct xw *w, const struct bk_block *v, size_t n, size_t i, bool tight)
{
	const struct bk_block *d = bk_figure_description(v, n, i);
	if (!d || !v[i].img) {
		block(w, &v[i], tight);
		return 0;
	}
	const char *id = ar_printf(&w->e->arena, "%s-description-%d", w->part->id, ++w->ndesc);
	for (int k = 2; heading_id(w->part, id); k++) /* a heading took it */
		id = ar_printf(&w->e->arena, "%s-description-%d-%d", w->part->id, w->ndesc, k);
	block_marks(w, &v[i]);
	figure(w, v[i].img, id);
	block_marks(w, d);
	sb_addf(w->sb, "<div class=\"long-description\" id=\"%s\">\n", id);
	blocks(w, d->kids, d->nkids, false);
	sb_adds(w->sb, "</div>\n");
	return 1;
}

static void blocks(struct xw *w, const struct bk_block *v, size_t n, bool tight)
{
	for (size_t i = 0; i < n; i++)
		i += sibling(w, v, n, i, tight);
}

/* ===== parts =========================================================== */

/*
 * The note as an EPUB 3 pop-up footnote: an <aside> (never hidden, or
 * Apple Books will not pop it up) at the end of the file. Its number
 * opens the first paragraph and the backlink closes the last, or they
 * stand alone when the note starts or ends with something else. A note
 * never referenced gets no backlink, which would point nowhere.
 */
static void note(struct xw *w, size_t i)
{
	const struct bk_note *nt = &w->part->notes[i];
	struct strbuf num = STRBUF_INIT, back = STRBUF_INIT;
	sb_addf(&num, "<span class=\"note-number\">%d.</span> ", nt->number);
	if (w->referenced[i])
		sb_addf(&back,
			" <a class=\"backlink\" href=\"%s\" epub:type=\"backlink\" "
			"role=\"doc-backlink\" "
			"aria-label=\"Back to the text\">" BACKLINK_ARROW "</a>",
			epub_note_backlink(w->e, w->part, nt->number));
	bool end = epub_endnotes(w->e); /* an end-note: an item of the list (kinds.c) */
	if (end)
		sb_addf(w->sb, "<li id=\"%s\" class=\"endnote\" epub:type=\"endnote\">\n",
			epub_note_id(w->e, w->part, nt->number));
	else
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
		if (b->kind == BK_PARA && (k == 0 || k == n - 1)) {
			block_marks(w, b);
			para(w, b, k == 0 ? num.buf : "", k == n - 1 ? back.buf : "");
		} else {
			block(w, b, false);
		}
	}
	if (!last_para && back.len)
		sb_addf(w->sb, "<p>%s</p>\n", back.buf + 1);
	sb_adds(w->sb, end ? "</li>\n" : "</aside>\n");
	sb_release(&num);
	sb_release(&back);
}

/*
 * A part's blocks, each of its headings opening a <section> that holds
 * what follows up to the next heading of its level or above, as Standard
 * Ebooks nests them: a level 3 heading's section inside the level 2's.
 * The section is named by its heading (aria-labelledby), which keeps the
 * id that links and the contents point at; a heading whose words an
 * earlier one in the part has ("Ranges", "Examples", a release's date
 * twice in a changelog) leaves its section unnamed, since two landmarks
 * of one name cannot be told apart (Ace's landmark-unique).
 */
static void sections(struct xw *w, const struct bk_block *v, size_t n)
{
	int open[8], depth = 0; /* the levels of the open sections */
	struct hmap named;      /* the headings' words that name a section */
	hmap_init_arena(&named, &w->e->arena);
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->kind == BK_HEADING) {
			int lv = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
			while (depth > 0 && open[depth - 1] >= lv) {
				sb_adds(w->sb, "</section>\n");
				depth--;
			}
			sb_adds(w->sb, "<section");
			char *name = bk_spans_text(&w->e->arena, b->spans, b->nspans);
			for (char *c = name; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			if (b->id && !hmap_get(&named, name, strlen(name))) {
				hmap_put(&named, name, strlen(name), (void *)b);
				sb_adds(w->sb, " aria-labelledby=\"");
				epub_add_str(w->sb, b->id);
				sb_adds(w->sb, "\"");
			}
			sb_adds(w->sb, ">\n");
			open[depth++] = lv;
		}
		i += sibling(w, v, n, i, false);
	}
	while (depth-- > 0)
		sb_adds(w->sb, "</section>\n");
}

/* Whether page mark m begins at the very start of part p (no place
 * given, its first block, or its first text): that page also holds the
 * part's title, so the marker goes before it. */
static bool at_part_start(const struct bk_part *p, const struct pg_pagemark *m)
{
	if (!m->span && !m->block)
		return true;
	const struct bk_block *b = p->nblocks ? &p->blocks[0] : NULL;
	while (b) {
		if (m->block == b)
			return true;
		if (b->nspans)
			return m->span == &b->spans[0] && m->offset == 0;
		b = b->nkids ? &b->kids[0] : NULL;
	}
	return false;
}

static int mref_cmp(const void *pa, const void *pb)
{
	const struct mref *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return a->k < b->k ? -1 : a->k > b->k;
}

/* The pages that begin in part index ip (followers aside), into w, in
 * page order and indexed by span and by block. */
static void part_marks(struct xw *w, size_t ip)
{
	struct epub *e = w->e;
	size_t cap = 0, scap = 0, bcap = 0;
	for (size_t k = 0; k < e->nmarks; k++) {
		const struct pg_pagemark *m = &e->marks[k];
		if (m->part < 0 || (size_t)m->part != ip)
			continue;
		GROW(w->marks, cap, w->nmarks + 1);
		w->marks[w->nmarks++] = k;
		if (m->span) {
			GROW(w->by_span, scap, w->nby_span + 1);
			w->by_span[w->nby_span++] = (struct mref){(uintptr_t)m->span, m->offset, k};
		} else if (m->block) {
			GROW(w->by_block, bcap, w->nby_block + 1);
			w->by_block[w->nby_block++] = (struct mref){(uintptr_t)m->block, 0, k};
		}
	}
	if (w->nby_span)
		qsort(w->by_span, w->nby_span, sizeof(*w->by_span), mref_cmp);
	if (w->nby_block)
		qsort(w->by_block, w->nby_block, sizeof(*w->by_block), mref_cmp);
}

/*
 * The markers of print pages that belong in file but begin at no text
 * written there (a bug of the layout's), kept in the page list at the end
 * of what file holds, each with a warning against path: "print page 'N'
 * begins at no WHAT; its EPUB page marker goes at END". ks are the pages
 * to look at (NULL: the first n, all of them).
 */
static void stray_marks(struct epub *e, struct strbuf *sb, const size_t *ks, size_t n,
			const char *file, const char *path, const char *what, const char *end)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = ks ? ks[i] : i;
		if (e->pages[k].written || strcmp(e->pages[k].file, file))
			continue; /* written, or in another document */
		diag_warning(e->d, path, 0, 0,
			     "print page '%s' begins at no %s; its EPUB page marker goes at %s",
			     e->pages[k].label, what, end);
		pagebreak(e, sb, k);
		sb_addc(sb, '\n');
	}
}

char *epub_part(struct epub *e, const struct bk_part *p, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	struct xw w = {.e = e, .sb = &sb, .part = p, .link = -1, .flat = STRBUF_INIT};
	w.file = epub_part_file(e, p);
	w.hrefs = xcalloc(p->nlinks, sizeof(*w.hrefs));
	w.resolved = xcalloc(p->nlinks, sizeof(*w.resolved));
	w.referenced = xcalloc(p->nnotes, sizeof(*w.referenced));
	part_marks(&w, (size_t)(p - e->b->parts));

	doc_open(e, &sb, epub_part_title(p), "../");
	anchor(e, w.file, NULL);
	epub_section_open(&sb, p); /* its kind's class, epub:type and role (kinds.c) */
	size_t before = sb.len;
	for (size_t i = 0; i < w.nmarks; i++)
		if (at_part_start(p, &e->marks[w.marks[i]]))
			pagebreak(e, &sb, w.marks[i]);
	if (sb.len > before)
		sb_addc(&sb, '\n');
	if (!epub_kind_header(e, &sb, p)) {
		sb_adds(&sb, "<header>\n<h2 class=\"title\" epub:type=\"title\">");
		if (p->title_spans && epub_part_title(p) == p->title)
			spans(&w, p->title_spans, p->ntitle_spans); /* "Reading <i>Middlemarch</i>" */
		else
			epub_add_prose(&sb, epub_part_title(p));
		sb_adds(&sb, "</h2>\n");
		if (p->subtitle_spans) {
			sb_adds(&sb, "<p class=\"subtitle\" epub:type=\"subtitle\" "
				     "role=\"doc-subtitle\">");
			spans(&w, p->subtitle_spans, p->nsubtitle_spans);
			sb_adds(&sb, "</p>\n");
		} else {
			para_str(&sb, "subtitle", " epub:type=\"subtitle\" role=\"doc-subtitle\"",
				 p->subtitle);
		}
		para_str(&sb, "byline", " epub:type=\"z3998:author\"", p->author);
		para_str(&sb, "role", "", p->role);
		sb_adds(&sb, "</header>\n");
	}

	sections(&w, p->blocks, p->nblocks);
	/* The book-end notes go to a document of their own (epub_notes). */
	size_t nnotes = epub_notes_doc(e) ? 0 : p->nnotes;
	bool endnotes = epub_endnotes(e) && nnotes;
	if (endnotes)
		epub_endnotes_open(e, &sb, p);
	for (size_t i = 0; i < nnotes; i++)
		note(&w, i);
	if (endnotes)
		epub_endnotes_close(&sb);
	stray_marks(e, &sb, w.marks, w.nmarks, w.file, p->path, "text of this part",
		    "the part's end");
	sb_adds(&sb, "</section>\n");

	xw_release(&w);
	return doc_close(&sb, len);
}

/* ===== the book-end notes ============================================== */

/* Part p's notes in the notes document: a section under its title, the
 * list, and the markers of the print pages that begin in them. */
static void part_notes(struct epub *e, struct strbuf *sb, const struct bk_part *p)
{
	struct xw w = {.e = e, .sb = sb, .part = p, .link = -1, .flat = STRBUF_INIT};
	w.file = EPUB_NOTES_FILE;
	w.hrefs = xcalloc(p->nlinks, sizeof(*w.hrefs));
	w.resolved = xcalloc(p->nlinks, sizeof(*w.resolved));
	w.referenced = xcalloc(p->nnotes, sizeof(*w.referenced));
	epub_notes_referenced(p, w.referenced); /* the part's file may come later */
	part_marks(&w, (size_t)(p - e->b->parts));
	const char *id = epub_notes_part_id(e, p);
	sb_adds(sb, "<section id=\"");
	epub_add_str(sb, id);
	sb_adds(sb, "\" aria-labelledby=\"");
	epub_add_str(sb, id);
	sb_adds(sb, "-title\">\n<h3 id=\"");
	epub_add_str(sb, id);
	sb_adds(sb, "-title\">");
	epub_add_prose(sb, epub_part_title(p));
	sb_adds(sb, "</h3>\n<ol class=\"endnotes\">\n");
	anchor(e, w.file, id);
	for (size_t i = 0; i < p->nnotes; i++)
		note(&w, i);
	sb_adds(sb, "</ol>\n</section>\n");
	xw_release(&w);
}

char *epub_notes(struct epub *e, size_t *len)
{
	const struct book *b = e->b;
	const char *title = bk_kind_title(b, BK_NPART_KINDS);
	struct strbuf sb = STRBUF_INIT;
	doc_open(e, &sb, title, "../");
	anchor(e, EPUB_NOTES_FILE, NULL);
	sb_adds(&sb, "<section id=\"notes\" class=\"endnotes\" epub:type=\"endnotes\" "
		     "role=\"doc-endnotes\">\n");
	/* The section's opening page (and a blank verso before it). */
	size_t before = sb.len;
	for (size_t k = 0; k < e->nmarks; k++)
		if (e->marks[k].notes && e->marks[k].part < 0)
			pagebreak(e, &sb, k);
	if (sb.len > before)
		sb_addc(&sb, '\n');
	sb_adds(&sb, "<header>\n<h2 class=\"title\" epub:type=\"title\">");
	epub_add_prose(&sb, title);
	sb_adds(&sb, "</h2>\n</header>\n");
	for (size_t i = 0; i < b->nparts; i++)
		if (e->reading[i]->nnotes)
			part_notes(e, &sb, e->reading[i]);
	stray_marks(e, &sb, NULL, e->nmarks, EPUB_NOTES_FILE, b->yaml_path,
		    "note of the Notes section", "the section's end");
	sb_adds(&sb, "</section>\n");
	return doc_close(&sb, len);
}
