/*
 * html.h - a small HTML tokenizer for the raw HTML that Markdown carries
 * (GitHub READMEs, Node.js's API docs): tags, text, comments, and
 * character references. It builds no tree: htmlbuild.c reads the tokens
 * into the book's blocks and spans.
 *
 * Strict and safe on any input: a '<' that does not open a well-formed
 * tag is text; a tag left open at the end of the input is text; nothing
 * is ever read past len. Tokens point into the input (borrowed).
 */
#ifndef OCTAVO_HTML_H
#define OCTAVO_HTML_H

#include "../util/util.h"

#include <stdbool.h>
#include <stddef.h>

enum html_tok_kind {
	HTML_TEXT,    /* p, len: raw text, character references not yet decoded */
	HTML_START,   /* <name attrs>; self_closing for <name/> */
	HTML_END,     /* </name> */
	HTML_COMMENT, /* <!-- ... --> */
	HTML_OTHER,   /* <!DOCTYPE ...>, <?...?>, <![CDATA[...]]> */
};

struct html_tok {
	enum html_tok_kind kind;
	const char *p; /* the token as written, len bytes, inside the input */
	size_t len;
	size_t off;    /* p's offset in the input */
	char name[24]; /* HTML_START, HTML_END: the tag's name in lower case,
			* "" when longer than 23 bytes */
	const char *attrs; /* HTML_START: the attributes as written */
	size_t attrs_len;
	bool self_closing;
};

struct html_lexer {
	const char *s;
	size_t len, pos;
};

void html_lexer_init(struct html_lexer *lx, const char *s, size_t len);
/* The next token into *t; false at the end of the input. */
bool html_next(struct html_lexer *lx, struct html_tok *t);

/* Appends s (n bytes) to out with character references (&amp; &#233;
 * &#xE9;) decoded; an unknown or malformed reference stays as written,
 * as browsers leave it. */
void html_decode(struct strbuf *out, const char *s, size_t n);

/* Whether start tag t has attribute name (lower case); its value, decoded,
 * replaces out's contents ("" for an attribute with no value). */
bool html_attr(const struct html_tok *t, const char *name, struct strbuf *out);

#endif
