/* md18.c - the Markdown dialect: every node type cmark-gfm and octavo's
 * extension produce is either rendered or reported (never dropped
 * silently), and the dialect's constructs reach struct book. */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "book/book.h"
#include "book/dialect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A part that holds every construct the parser knows. */
static const char every[] =
    "---\ntitle: T\n---\n\n"
    "# Heading {#hid .cls}\n\nSetext\n---\n\n"
    "Text *em* **strong** `code` ~~strike~~ ^sup^ ~sub~ [link](#hid) "
    "![img](https://example.org/x.png) <b>bold</b> <!-- c --> <span>s</span> <blink>b</blink> "
    "[sc]{.smallcaps} [fr]{lang=fr} $x^2$ [@key, p. 3] https://example.org\\\nhard.[^1]\n\n"
    "[^1]: A note.\n\n"
    "> quote\n\n- item\n- item\n\n1. one\n\n```\ncode\n```\n\n    indented\n\n---\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Cap.\n\n"
    "<div>html</div>\n\n<iframe src=\"x\"></iframe>\n\n::: aside\nIn a div.\n:::\n\nTerm\n: Definition\n\n"
    "| line one\n| line two\n\n\\newpage\n\n$$y = 1$$\n\n- [ ] task\n";

/* Counts a kind of block, anywhere. */
static size_t count(const struct bk_block *v, size_t n, enum bk_block_kind k)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += (v[i].kind == k) + count(v[i].kids, v[i].nkids, k);
	return c;
}

static unsigned styles(const struct bk_block *v, size_t n)
{
	unsigned s = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nspans; k++)
			s |= v[i].spans[k].style;
		s |= styles(v[i].kids, v[i].nkids);
	}
	return s;
}

UNIT_TEST(md18_every_node_rendered_or_reported)
{
	struct arena a;
	ar_init(&a);
	struct bk_part p = {.id = "essay-01"};
	char *msgs = NULL;
	size_t mlen = 0;
	FILE *mem = open_memstream(&msgs, &mlen);
	struct diag d;
	diag_init(&d, mem);
	book_parse_part(&a, &p, "t.md", ".", every, strlen(every), &d);
	fclose(mem);
	/* What is rendered: a block kind the writers set for each construct. */
	const enum bk_block_kind kinds[] = {BK_PARA,  BK_HEADING, BK_QUOTE,   BK_LIST,   BK_ITEM,
					    BK_CODE_BLOCK, BK_RULE, BK_TABLE,   BK_ROW,	  BK_CELL,
					    BK_DIV,   BK_DEFLIST, BK_DEFTERM, BK_DEFDESC, BK_LINES,
					    BK_PAGEBREAK};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		UCHECK(count(p.blocks, p.nblocks, kinds[i]) > 0, "block kind %d is made", (int)kinds[i]);
	unsigned st = styles(p.blocks, p.nblocks);
	UCHECK((st & (BK_EM | BK_STRONG | BK_CODE | BK_STRIKE | BK_SUP | BK_SUB | BK_SMALLCAPS)) ==
		   (BK_EM | BK_STRONG | BK_CODE | BK_STRIKE | BK_SUP | BK_SUB | BK_SMALLCAPS),
	       "every inline style is made (0x%x)", st);
	UCHECK(p.nnotes == 1, "the note is kept");
	/* What is reported: raw HTML octavo cannot set (an iframe, an unknown
	 * tag), math, the citation, the remote image; the comment, the <div>
	 * and the <span> (set) are not. */
	const char *want[] = {"raw HTML <iframe> left out", "raw HTML <blink> is not known",
			      "inline math", "display math",
			      "citation '[@key, p. 3]'", "is not a file in the manuscript"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		UCHECK(msgs && strstr(msgs, want[i]), "reported: %s", want[i]);
	UCHECK(msgs && !strstr(msgs, "<div>") && !strstr(msgs, "<span>"), "<div> and <span> are set");
	UCHECK(!strstr(msgs, "comment") && !strstr(msgs, "<!--"), "a comment is silent");
	UCHECK(!strstr(msgs, "unsupported Markdown"), "no node type left unhandled:\n%s", msgs);
	free(msgs);
	ar_release(&a);
}

UNIT_TEST(md18_every_node_type_is_known)
{
	/* Every node type the parser can make, walked from a parse of the
	 * part above with the dialect attached: each must be one the walker
	 * sets or reports (markdown.c's cases), by its type string. */
	static const char *const handled[] = {
	    "document", "paragraph", "heading", "block_quote", "list", "item", "code_block",
	    "thematic_break", "html_block", "footnote_definition", "table", "table_header",
	    "table_row", "table_cell", "text", "softbreak", "linebreak", "code", "emph", "strong",
	    "link", "image", "footnote_reference", "html_inline", "strikethrough", "superscript",
	    "subscript", "span", "math", "display_math_inline", "citation", "div",
	    "definition_list", "definition_term", "definition", "line_block", "page_break",
	    "table_caption", "display_math", "tasklist"};
	cmark_parser *ps = cmark_parser_new(CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES |
					    md_dialect_options());
	md_dialect_attach(ps);
	cmark_parser_feed(ps, every, strlen(every));
	cmark_node *doc = cmark_parser_finish(ps);
	cmark_parser_free(ps);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		const char *t = cmark_node_get_type_string(n);
		/* this cmark-gfm names neither footnote node ("<unknown>") */
		bool known = cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION ||
			     cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_REFERENCE;
		for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
			known |= !strcmp(t, handled[i]);
		UCHECK(known, "node type '%s' (%d) is neither rendered nor reported", t, (int)cmark_node_get_type(n));
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}
