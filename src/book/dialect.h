/*
 * dialect.h - octavo's Markdown beyond GitHub's: pandoc's most used
 * extensions, written as one cmark-gfm syntax extension ("octavo").
 *
 * Inline constructs are matched while cmark-gfm parses inlines (its
 * match_inline / insert_inline_from_delim hooks, as its strikethrough
 * extension does): $math$ and $$math$$ (taken raw, so "\," survives),
 * ^superscript^, ~subscript~ and ~~strikethrough~~. Block constructs and
 * attributes are recognised by md_parser_finish, after cmark-gfm's, over the
 * parsed tree (as cmark-gfm's autolink extension does): heading attributes
 * {#id .class}, fenced divs (:::), definition lists, line blocks (| ),
 * \newpage, table captions (Table: ...), image attributes {width=60%},
 * bracketed spans [text]{.class lang=fr} and citations [@key].
 *
 * Every node made here carries a struct md_data (cmark_node_get_user_data)
 * with its source position and, where it has one, its raw text: the
 * attributes as written for divs, spans, headings and images, the TeX
 * of math, the citation as written.
 */
#ifndef OCTAVO_DIALECT_H
#define OCTAVO_DIALECT_H

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <stdbool.h>
#include <stddef.h>

struct md_data {
	int line, col; /* 1-based, in the parsed text (body lines) */
	char *text;    /* raw: attributes (without braces), math, citation; or NULL */
};

/* The node types the extension adds; set by md_dialect_attach's first call. */
struct md_types {
	cmark_node_type div;       /* block: kids are blocks; text: the div's attributes */
	cmark_node_type deflist;   /* block: kids alternate deft, defd (several defd may follow) */
	cmark_node_type deft;      /* block holding inlines: a term */
	cmark_node_type defd;      /* block: kids are blocks: a definition */
	cmark_node_type lineblock; /* block holding inlines: lines end in LINEBREAKs */
	cmark_node_type pagebreak; /* block, empty */
	cmark_node_type caption;   /* block holding inlines: the caption of the table just
				    * before it */
	cmark_node_type math_block; /* block, text: TeX ($$...$$ alone in a paragraph) */
	cmark_node_type sup, sub, strike; /* inline containers */
	cmark_node_type span;      /* inline container; text: its attributes */
	cmark_node_type math;      /* inline leaf; text: TeX; display when type is math_display */
	cmark_node_type math_display; /* inline leaf: $$...$$ inside a paragraph */
	cmark_node_type cite;      /* inline leaf; text: the citation as written */
	cmark_node_type table_cell; /* cmark-gfm's table cell (the table extension's type) */
};
extern struct md_types md_types;

/* Attaches the extension (and the GitHub extensions octavo reads: table,
 * autolink; strikethrough is the extension's own) to parser, which must
 * have been made with the options md_dialect_options() adds. */
void md_dialect_attach(cmark_parser *parser);
int md_dialect_options(void);
/*
 * cmark_parser_finish(parser) for a parser md_dialect_attach set up, one
 * at a time in the process: cmark-gfm 0.29 keeps its inline extensions'
 * special characters ('$', '^', '~' ours, ':' and 'w' autolink's) in one
 * process-wide table, which each finish sets as its inline parsing begins
 * and clears as it ends, so a second finish on another thread would parse
 * part of its inlines without them. cmark_parser_feed (the blocks) runs
 * at any time, and so do the extension's block parts over the finished
 * tree, which md_parser_finish runs after the lock (they may parse a
 * definition's code again, with a finish of its own). Returns the
 * document, as cmark_parser_finish does.
 */
cmark_node *md_parser_finish(cmark_parser *parser);

/* The extension's data on node n, or NULL for nodes it did not make. */
const struct md_data *md_data_of(cmark_node *n);

/* ===== attributes ======================================================= */

/* Pandoc's attributes, {#id .class key=value key="a b"}, parsed. */
struct md_attrs {
	const char *id;       /* NULL when none */
	const char **classes; /* "-" is read as "unnumbered" */
	size_t nclasses;
	const char **keys, **values;
	size_t nkeys;
};

/*
 * Parses s (the text between the braces) into out, every string a copy
 * made by dup(ctx, s, n). Returns 0, or -1 with *bad pointing at the
 * first character that does not parse (what was before it is kept).
 */
int md_attrs_parse(const char *s, struct md_attrs *out,
		   char *(*dup)(void *ctx, const char *s, size_t n), void *ctx, const char **bad);
void md_attrs_free(struct md_attrs *a); /* the arrays (strings are dup's) */

/* The value of key in a, or NULL; whether a has class cls. */
const char *md_attr(const struct md_attrs *a, const char *key);
bool md_has_class(const struct md_attrs *a, const char *cls);

/*
 * A heading's id by GitHub's rule (lower case; letters, digits, '-', '_'
 * and spaces kept, spaces made '-', everything else dropped) and by
 * pandoc's (the same, '.' kept too, and nothing before the first letter),
 * written into out (n bytes, NUL-terminated; cut at a character's end).
 * Returns the length.
 */
size_t md_slug_github(const char *text, char *out, size_t n);
size_t md_slug_pandoc(const char *text, char *out, size_t n);

/*
 * A heading's id stem for the editions: text's letters and digits of any
 * script (as XML names may hold them: Cyrillic, Greek, the ideographs),
 * lower-cased, each run of anything else one '-' between them; written
 * into out (n >= MD_SLUG_ID_MAX + 6 bytes, NUL-terminated), cut at a
 * character's end once MD_SLUG_ID_MAX bytes are reached. Returns the
 * length, 0 when text holds no letter or digit.
 */
#define MD_SLUG_ID_MAX 48
size_t md_slug_id(const char *text, char *out, size_t n);

#endif
