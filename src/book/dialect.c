/*
 * dialect.c - the "octavo" cmark-gfm syntax extension (see dialect.h).
 *
 * Inline parts hook into cmark-gfm's inline parser: '$' scans math raw
 * before any backslash escape is read; '^' and '~' push delimiters that
 * the parser pairs as it pairs emphasis, and insert() wraps what lies
 * between a pair in a superscript, subscript or strikethrough node.
 *
 * Block parts run once cmark-gfm has finished (md_parser_finish), over
 * the tree it built (whose adjacent text nodes it has already joined): a
 * fence line ":::" or a definition's ": " line is a line of some
 * paragraph there, and the paragraph is split at it. Nothing here edits the source text.
 */
#define _DEFAULT_SOURCE
#include "dialect.h"

#include <cmark-gfm-core-extensions.h>
#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct md_types md_types;
static cmark_syntax_extension *the_ext;

/* ===== node data ======================================================== */

static void free_data(cmark_mem *mem, void *p)
{
	(void)mem;
	struct md_data *d = p;
	if (d) {
		free(d->text);
		free(d);
	}
}

static void set_data(cmark_node *n, int line, int col, const char *text, size_t len)
{
	struct md_data *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->line = line;
	d->col = col;
	if (text) {
		d->text = strndup(text, len);
		if (!d->text)
			abort();
	}
	free_data(NULL, cmark_node_get_user_data(n));
	cmark_node_set_user_data(n, d);
	cmark_node_set_user_data_free_func(n, free_data);
}

const struct md_data *md_data_of(cmark_node *n)
{
	if (!n || cmark_node_get_syntax_extension(n) != the_ext)
		return NULL;
	return cmark_node_get_user_data(n);
}

static cmark_node *new_node(cmark_node_type t, int line, int col, const char *text, size_t len)
{
	cmark_node *n = cmark_node_new_with_ext(t, the_ext);
	set_data(n, line, col, text, len);
	return n;
}

static bool is_block_container(cmark_node_type t)
{
	return t == md_types.div || t == md_types.defd;
}

static bool holds_inlines(cmark_node_type t)
{
	return t == md_types.deft || t == md_types.lineblock || t == md_types.caption ||
	       t == md_types.sup || t == md_types.sub || t == md_types.strike ||
	       t == md_types.span;
}

static int can_contain(cmark_syntax_extension *ext, cmark_node *node, cmark_node_type child)
{
	(void)ext;
	cmark_node_type t = cmark_node_get_type(node);
	if (t == md_types.table_cell) /* one of ours (own_cell) */
		return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
	if (is_block_container(t))
		return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK &&
		       child != CMARK_NODE_ITEM && child != md_types.deft && child != md_types.defd;
	if (t == md_types.deflist)
		return child == md_types.deft || child == md_types.defd;
	if (holds_inlines(t))
		return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
	return 0;
}

static int contains_inlines(cmark_syntax_extension *ext, cmark_node *node)
{
	(void)ext;
	return holds_inlines(cmark_node_get_type(node)) ||
	       cmark_node_get_type(node) == md_types.table_cell;
}

/*
 * Takes a table cell over from cmark-gfm's table extension, whose rule
 * lets a cell hold only the inlines it knows (text, code, emphasis,
 * links, images, its own strikethrough, raw HTML, note references): the
 * dialect's superscripts, subscripts, strikethrough, spans, math and
 * citations were refused there - cmark_node_set_type failed, the closing
 * delimiter went, "~~Old~~" read "~~Old" and "$x$" vanished, in both
 * editions. The cell keeps its type; this extension answers for it from
 * then on (can_contain, contains_inlines, type_string "table_cell"). Does
 * nothing to any other node.
 */
static void own_cell(cmark_node *n)
{
	if (n && md_types.table_cell && cmark_node_get_type(n) == md_types.table_cell &&
	    cmark_node_get_syntax_extension(n) != the_ext)
		cmark_node_set_syntax_extension(n, the_ext);
}

static const char *type_string(cmark_syntax_extension *ext, cmark_node *node)
{
	(void)ext;
	cmark_node_type t = cmark_node_get_type(node);
	const struct {
		cmark_node_type *t;
		const char *name;
	} names[] = {
	    {&md_types.div, "div"},	      {&md_types.deflist, "definition_list"},
	    {&md_types.deft, "definition_term"}, {&md_types.defd, "definition"},
	    {&md_types.lineblock, "line_block"}, {&md_types.pagebreak, "page_break"},
	    {&md_types.caption, "table_caption"}, {&md_types.math_block, "display_math"},
	    {&md_types.sup, "superscript"},	      {&md_types.sub, "subscript"},
	    {&md_types.strike, "strikethrough"},   {&md_types.span, "span"},
	    {&md_types.math, "math"},	      {&md_types.math_display, "display_math_inline"},
	    {&md_types.cite, "citation"},
	};
	if (t == md_types.table_cell)
		return "table_cell"; /* a cell this extension took over (own_cell) */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (*names[i].t == t)
			return names[i].name;
	/* headings and images that carried attributes */
	return t == CMARK_NODE_HEADING ? "heading" : t == CMARK_NODE_IMAGE ? "image" : "<unknown>";
}

/* ===== inlines: math ==================================================== */

/* Pandoc's rule: "$" opens when a non-space follows it, and closes when a
 * non-space precedes it and no digit follows; "$$" opens display math,
 * closed by the next "$$". A backslash keeps the next character. */
static cmark_node *match_math(cmark_parser *parser, cmark_inline_parser *ip)
{
	(void)parser;
	int start = cmark_inline_parser_get_offset(ip);
	bool display = cmark_inline_parser_peek_at(ip, start + 1) == '$';
	int from = start + (display ? 2 : 1);
	unsigned char first = cmark_inline_parser_peek_at(ip, from);
	if (!first || (!display && (first == ' ' || first == '\n' || first == '\t')))
		return NULL;
	int end = -1;
	for (int i = from;; i++) {
		unsigned char c = cmark_inline_parser_peek_at(ip, i);
		if (!c)
			break;
		if (c == '\\') {
			if (!cmark_inline_parser_peek_at(ip, i + 1))
				break;
			i++;
			continue;
		}
		if (c != '$')
			continue;
		if (display) {
			if (cmark_inline_parser_peek_at(ip, i + 1) == '$' && i > from) {
				end = i;
				break;
			}
			continue;
		}
		unsigned char before = cmark_inline_parser_peek_at(ip, i - 1);
		unsigned char after = cmark_inline_parser_peek_at(ip, i + 1);
		if (before == ' ' || before == '\n' || before == '\t' || isdigit(after))
			continue;
		end = i;
		break;
	}
	if (end < 0)
		return NULL;
	/* The TeX, byte by byte: the chunk is not part of the public API. */
	size_t n = (size_t)(end - from);
	char *tex = malloc(n + 1);
	if (!tex)
		abort();
	for (size_t k = 0; k < n; k++)
		tex[k] = (char)cmark_inline_parser_peek_at(ip, from + (int)k);
	tex[n] = 0;
	int line = cmark_inline_parser_get_line(ip);
	int col = cmark_inline_parser_get_column(ip);
	cmark_node *m = new_node(display ? md_types.math_display : md_types.math, line, col, tex, n);
	free(tex);
	cmark_inline_parser_set_offset(ip, end + (display ? 2 : 1));
	return m;
}

/* ===== inlines: ^sup^, ~sub~, ~~strike~~ ================================ */

static cmark_node *match_delim(cmark_parser *parser, unsigned char c, cmark_inline_parser *ip)
{
	int at = cmark_inline_parser_get_offset(ip);
	/* "[^label]" is a footnote reference: leave its caret to cmark. */
	if (c == '^' && at > 0 && cmark_inline_parser_peek_at(ip, at - 1) == '[')
		return NULL;
	int left, right, pb, pa;
	int n = cmark_inline_parser_scan_delimiters(ip, 3, c, &left, &right, &pb, &pa);
	char lit[4] = {0};
	memset(lit, c, (size_t)(n > 3 ? 3 : n));
	cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, cmark_get_default_mem_allocator());
	(void)parser;
	cmark_node_set_literal(t, lit);
	bool usable = c == '^' ? n == 1 : (n == 1 || n == 2);
	if (usable && (left || right))
		cmark_inline_parser_push_delimiter(ip, c, left, right, t);
	return t;
}

static cmark_node *match(cmark_syntax_extension *ext, cmark_parser *parser, cmark_node *parent,
			 unsigned char c, cmark_inline_parser *ip)
{
	(void)ext;
	own_cell(parent);
	if (c == '$')
		return match_math(parser, ip);
	if (c == '^' || c == '~')
		return match_delim(parser, c, ip);
	return NULL;
}

/* Whether the nodes from a up to (not including) b hold a space: pandoc's
 * superscripts and subscripts may not. */
static bool has_space(cmark_node *a, cmark_node *b)
{
	/* (inline nesting is bounded by cmark's own limit on brackets and
	 * emphasis runs) */
	for (cmark_node *n = a; n && n != b; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			return true;
		if (t == CMARK_NODE_TEXT && strpbrk(cmark_node_get_literal(n), " \t\n"))
			return true;
		if (cmark_node_first_child(n) && has_space(cmark_node_first_child(n), NULL))
			return true;
	}
	return false;
}

static delimiter *insert(cmark_syntax_extension *ext, cmark_parser *parser,
			 cmark_inline_parser *ip, delimiter *opener, delimiter *closer)
{
	(void)parser;
	delimiter *res = closer->next;
	cmark_node *open = opener->inl_text, *close = closer->inl_text;
	const char *ol = cmark_node_get_literal(open), *cl = cmark_node_get_literal(close);
	size_t n = strlen(ol);
	cmark_node_type t = 0;
	if (n == strlen(cl) && opener->delim_char == closer->delim_char) {
		if (opener->delim_char == '^')
			t = md_types.sup;
		else
			t = n == 2 ? md_types.strike : md_types.sub;
	}
	if (t && t != md_types.strike && has_space(cmark_node_next(open), close))
		t = 0;
	if (t && cmark_node_next(open) != close) {
		cmark_node_set_type(open, t);
		cmark_node_set_syntax_extension(open, ext);
		set_data(open, cmark_inline_parser_get_line(ip), 0, NULL, 0);
		cmark_node *k = cmark_node_next(open);
		while (k && k != close) {
			cmark_node *next = cmark_node_next(k);
			cmark_node_append_child(open, k);
			k = next;
		}
		cmark_node_free(close);
	}
	delimiter *d = closer;
	while (d && d != opener) {
		delimiter *prev = d->previous;
		cmark_inline_parser_remove_delimiter(ip, d);
		d = prev;
	}
	cmark_inline_parser_remove_delimiter(ip, opener);
	return res;
}

/* ===== blocks: helpers ================================================== */

static int line_of(cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (cmark_node_get_start_line(n) > 0)
			return cmark_node_get_start_line(n);
	return 1;
}

static int col_of(cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (cmark_node_get_start_line(n) > 0)
			return cmark_node_get_start_column(n) > 0 ? cmark_node_get_start_column(n) : 1;
	return 1;
}

static bool is_text(cmark_node *n)
{
	return n && cmark_node_get_type(n) == CMARK_NODE_TEXT;
}

static bool is_break(cmark_node *n)
{
	return n && (cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK ||
		     cmark_node_get_type(n) == CMARK_NODE_LINEBREAK);
}

/* Splits text node t at byte k: t keeps [0, k), the new node after it
 * holds the rest, which is returned. */
static cmark_node *split_text(cmark_node *t, size_t k)
{
	const char *s = cmark_node_get_literal(t);
	char *head = strndup(s, k), *tail = strdup(s + k);
	if (!head || !tail)
		abort();
	cmark_node *r = cmark_node_new_with_mem(CMARK_NODE_TEXT, cmark_get_default_mem_allocator());
	cmark_node_set_literal(r, tail);
	cmark_node_set_literal(t, head);
	cmark_node_insert_after(t, r);
	free(head);
	free(tail);
	return r;
}

/* Drops the first k bytes of text node t (and t itself if nothing is left). */
static void chop_text(cmark_node *t, size_t k)
{
	const char *s = cmark_node_get_literal(t);
	if (strlen(s) <= k) {
		cmark_node_free(t);
		return;
	}
	char *rest = strdup(s + k);
	if (!rest)
		abort();
	cmark_node_set_literal(t, rest);
	free(rest);
}

/* The text of a line that is one text node (a fence, "\newpage"), or NULL. */
static const char *line_text(cmark_node *first)
{
	if (!is_text(first))
		return NULL;
	cmark_node *next = cmark_node_next(first);
	if (next && !is_break(next))
		return NULL;
	return cmark_node_get_literal(first);
}

/* ===== fenced divs ====================================================== */

/* A fence line: ":::" (or more colons), then for an opening fence its
 * attributes (a word or {...}) and optional colons. Returns 1 for an
 * opening fence with its attributes in *attrs (malloc'd), 2 for a
 * closing one, 0 for neither. */
static int fence(const char *s, char **attrs)
{
	*attrs = NULL;
	size_t n = strspn(s, ":");
	if (n < 3)
		return 0;
	s += n;
	s += strspn(s, " \t");
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return 2;
	/* trailing colons */
	size_t end = len;
	while (end && s[end - 1] == ':')
		end--;
	while (end && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	if (!end)
		return 2;
	if (s[0] == '{') {
		if (s[end - 1] != '}')
			return 0;
		*attrs = strndup(s + 1, end - 2);
	} else {
		if (memchr(s, ' ', end) || memchr(s, '{', end))
			return 0;
		/* "::: warning" is "::: {.warning}" */
		*attrs = malloc(end + 2);
		if (*attrs) {
			(*attrs)[0] = '.';
			memcpy(*attrs + 1, s, end);
			(*attrs)[end + 1] = 0;
		}
	}
	if (!*attrs)
		abort();
	return 1;
}

/* A fence found as a line of a paragraph: a marker block, replaced by the
 * div (or nothing) when the container's blocks are grouped. */
static cmark_node_type fence_marker(void)
{
	return md_types.pagebreak; /* reused with data->text "\x01open..." */
}

static cmark_node *new_marker(int kind, char *attrs, int line, int col)
{
	cmark_node *m = cmark_node_new_with_ext(fence_marker(), the_ext);
	size_t n = attrs ? strlen(attrs) : 0;
	char *t = malloc(n + 2);
	if (!t)
		abort();
	t[0] = kind == 1 ? '\x01' : '\x02';
	if (n)
		memcpy(t + 1, attrs, n);
	t[n + 1] = 0;
	set_data(m, line, col, t, n + 1);
	free(t);
	free(attrs);
	return m;
}

static int marker_kind(cmark_node *n)
{
	if (!n || cmark_node_get_type(n) != md_types.pagebreak)
		return 0;
	const struct md_data *d = md_data_of(n);
	if (!d || !d->text)
		return 0;
	return d->text[0] == '\x01' ? 1 : d->text[0] == '\x02' ? 2 : 0;
}

/*
 * Splits paragraph p at its fence lines: the lines between become
 * paragraphs of their own, the fences markers, all in p's place.
 */
static void split_at_fences(cmark_node *p)
{
	bool any = false;
	for (cmark_node *k = cmark_node_first_child(p); k; k = cmark_node_next(k)) {
		bool line_start = k == cmark_node_first_child(p) || is_break(cmark_node_previous(k));
		char *attrs;
		const char *t = line_start ? line_text(k) : NULL;
		if (t && fence(t, &attrs)) {
			free(attrs);
			any = true;
			break;
		}
	}
	if (!any)
		return;
	int line = line_of(p), col = col_of(p), nline = 0;
	cmark_node *cur = NULL; /* the paragraph being filled */
	cmark_node *k = cmark_node_first_child(p);
	while (k) {
		/* one line: k up to a break */
		cmark_node *end = k;
		while (end && !is_break(end))
			end = cmark_node_next(end);
		cmark_node *after = end ? cmark_node_next(end) : NULL;
		char *attrs = NULL;
		const char *t = line_text(k);
		int kind = t ? fence(t, &attrs) : 0;
		if (kind) {
			if (cur && is_break(cmark_node_last_child(cur)))
				cmark_node_free(cmark_node_last_child(cur));
			cmark_node_insert_before(p, new_marker(kind, attrs, line + nline, col));
			cur = NULL;
			cmark_node_free(k);
			if (end)
				cmark_node_free(end);
		} else {
			if (!cur) {
				cur = cmark_node_new(CMARK_NODE_PARAGRAPH);
				cmark_node_insert_before(p, cur);
				/* cmark keeps positions in the node; a new paragraph has
				 * none, so its first text gives the line to the walker
				 * through the marker before it. */
			}
			for (cmark_node *q = k; q != after;) {
				cmark_node *next = cmark_node_next(q);
				if (q == end && !after)
					cmark_node_free(q); /* a trailing break */
				else
					cmark_node_append_child(cur, q);
				q = next;
			}
		}
		nline++;
		k = after;
	}
	/* A paragraph may end in a break once its last line went. */
	cmark_node_free(p);
}

/* Every paragraph under n split at its fences; a closing fence that
 * ended a list item or a quote lazily is moved out after it. */
/* Nesting deeper than this is the walker's error (MAX_NESTING in
 * markdown.c): the passes below stop there rather than use the stack. */
#define MD_DEPTH 100

static void split_all(cmark_node *n, int depth)
{
	if (depth > MD_DEPTH)
		return;
	cmark_node *k = cmark_node_first_child(n);
	while (k) {
		cmark_node *next = cmark_node_next(k);
		if (cmark_node_get_type(k) == CMARK_NODE_PARAGRAPH)
			split_at_fences(k);
		else if ((cmark_node_get_type(k) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
			split_all(k, depth + 1);
		k = next;
	}
	/* Hoist a closing marker that is the last block of a list item or
	 * quote out of it, past the list. */
	cmark_node_type t = cmark_node_get_type(n);
	if (t == CMARK_NODE_ITEM || t == CMARK_NODE_BLOCK_QUOTE) {
		cmark_node *last = cmark_node_last_child(n);
		if (marker_kind(last) == 2) {
			cmark_node *top = n;
			while (cmark_node_parent(top) &&
			       (cmark_node_get_type(cmark_node_parent(top)) == CMARK_NODE_LIST ||
				cmark_node_get_type(cmark_node_parent(top)) == CMARK_NODE_ITEM ||
				cmark_node_get_type(cmark_node_parent(top)) == CMARK_NODE_BLOCK_QUOTE) &&
			       cmark_node_last_child(cmark_node_parent(top)) == top)
				top = cmark_node_parent(top);
			cmark_node_unlink(last);
			cmark_node_insert_after(top, last);
		}
	}
}

/* Groups the blocks of container n between fence markers into divs. An
 * unclosed div ends with its container (the walker warns). */
static void group_divs(cmark_node *n, int level)
{
	if (level > MD_DEPTH)
		return;
	cmark_node *stack[64];
	int depth = 0;
	cmark_node *k = cmark_node_first_child(n);
	while (k) {
		cmark_node *next = cmark_node_next(k);
		int kind = marker_kind(k);
		if (kind == 1 && depth < 64) {
			const struct md_data *d = md_data_of(k);
			cmark_node *div = new_node(md_types.div, d->line, d->col, d->text + 1,
						   strlen(d->text + 1));
			cmark_node_insert_before(k, div);
			if (depth)
				cmark_node_append_child(stack[depth - 1], div);
			stack[depth++] = div;
			cmark_node_free(k);
		} else if (kind == 2 && depth) {
			depth--;
			cmark_node_free(k);
		} else if (depth) {
			cmark_node_append_child(stack[depth - 1], k);
		}
		k = next;
	}
	for (k = cmark_node_first_child(n); k; k = cmark_node_next(k))
		if ((cmark_node_get_type(k) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK &&
		    cmark_node_get_type(k) != CMARK_NODE_PARAGRAPH)
			group_divs(k, level + 1);
}

/* ===== definition lists, line blocks, page breaks, captions ============= */

/* Whether text starts a definition: ": " or "~ " (or a lone ':'). */
static size_t def_marker(const char *s)
{
	if ((s[0] == ':' || s[0] == '~') && (s[1] == ' ' || s[1] == '\t' || !s[1])) {
		size_t k = 1;
		while (s[k] == ' ' || s[k] == '\t')
			k++;
		return k;
	}
	return 0;
}

/* Whether paragraph p's line starting at k begins with a definition marker. */
static size_t line_def(cmark_node *k)
{
	return is_text(k) ? def_marker(cmark_node_get_literal(k)) : 0;
}

/* Moves the inlines from k (up to the end of the line) into a new
 * paragraph, dropping the marker's m bytes; returns the node after the
 * line's break, and the paragraph. */
static cmark_node *take_line(cmark_node *k, size_t m, cmark_node *into)
{
	cmark_node *q = k;
	while (q && !is_break(q)) {
		cmark_node *next = cmark_node_next(q);
		cmark_node_append_child(into, q);
		q = next;
	}
	if (m) {
		cmark_node *first = cmark_node_first_child(into);
		if (first && is_text(first))
			chop_text(first, m);
	}
	if (!q)
		return NULL;
	cmark_node *after = cmark_node_next(q);
	return after ? q : NULL; /* the break stays for the caller */
}

static cmark_node *new_block(cmark_node_type t, cmark_node *like)
{
	return new_node(t, line_of(like), col_of(like), NULL, 0);
}

/*
 * A paragraph "Term\n: definition ..." becomes a definition list (or
 * joins the one just before it); so does a one-line paragraph followed
 * by a paragraph beginning ": ". Lines after a definition's first belong
 * to it. Returns the node to go on from.
 */
static cmark_node *deflist(cmark_node *p)
{
	cmark_node *first = cmark_node_first_child(p);
	cmark_node *brk = first;
	while (brk && !is_break(brk))
		brk = cmark_node_next(brk);
	bool tight = brk && line_def(cmark_node_next(brk));
	cmark_node *nextp = cmark_node_next(p);
	bool loose = !brk && nextp && cmark_node_get_type(nextp) == CMARK_NODE_PARAGRAPH &&
		     line_def(cmark_node_first_child(nextp));
	cmark_node *prev = cmark_node_previous(p);
	bool cont = prev && cmark_node_get_type(prev) == md_types.deflist && line_def(first);
	if (!tight && !loose && !cont)
		return cmark_node_next(p);
	bool join = prev && cmark_node_get_type(prev) == md_types.deflist;
	cmark_node *list = join ? prev : new_block(md_types.deflist, p);
	if (!join)
		cmark_node_insert_before(p, list);
	cmark_node *k = first;
	if (!cont) {
		cmark_node *term = new_block(md_types.deft, p);
		cmark_node_append_child(list, term);
		cmark_node *b = take_line(k, 0, term);
		k = b ? cmark_node_next(b) : NULL;
		if (b)
			cmark_node_free(b);
		if (loose) {
			cmark_node_free(p);
			p = nextp;
			k = cmark_node_first_child(p);
		}
	}
	/* The definitions: each ": " line opens one; other lines go on. */
	cmark_node *para = NULL;
	while (k) {
		size_t m = line_def(k);
		if (m || !para) {
			cmark_node *dd = new_block(md_types.defd, p);
			cmark_node_append_child(list, dd);
			para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(dd, para);
		} else {
			cmark_node *sb = cmark_node_new(CMARK_NODE_SOFTBREAK);
			cmark_node_append_child(para, sb);
		}
		cmark_node *b = take_line(k, m, para);
		k = b ? cmark_node_next(b) : NULL;
		if (b)
			cmark_node_free(b);
	}
	cmark_node *after = cmark_node_next(p);
	cmark_node_free(p);
	return after;
}

/* Indented code after a definition is the definition's next paragraphs,
 * as pandoc reads it: parsed again, with the same dialect, into it. */
static void code_into_def(cmark_node *list, cmark_node *code, int options)
{
	cmark_node *dd = cmark_node_last_child(list);
	if (!dd || cmark_node_get_type(dd) != md_types.defd)
		return;
	const char *src = cmark_node_get_literal(code);
	cmark_parser *ps = cmark_parser_new(options);
	md_dialect_attach(ps);
	cmark_parser_feed(ps, src, strlen(src));
	cmark_node *doc = md_parser_finish(ps);
	cmark_parser_free(ps);
	cmark_node *k = cmark_node_first_child(doc);
	while (k) {
		cmark_node *next = cmark_node_next(k);
		cmark_node_append_child(dd, k);
		k = next;
	}
	cmark_node_free(doc);
	cmark_node_free(code);
}

/* A paragraph whose every line starts with "|" is a line block. */
static bool lineblock(cmark_node *p)
{
	bool start = true;
	for (cmark_node *k = cmark_node_first_child(p); k; k = cmark_node_next(k)) {
		if (start) {
			if (!is_text(k))
				return false;
			const char *s = cmark_node_get_literal(k);
			if (s[0] != '|' || (s[1] && s[1] != ' '))
				return false;
		}
		start = is_break(k);
	}
	cmark_node *lb = new_block(md_types.lineblock, p);
	cmark_node_insert_before(p, lb);
	start = true;
	cmark_node *k = cmark_node_first_child(p);
	while (k) {
		cmark_node *next = cmark_node_next(k);
		bool was_start = start;
		start = is_break(k);
		if (was_start) {
			/* "| " goes; further leading spaces are kept, as no-break
			 * spaces, for the indents verse is set with. */
			const char *s = cmark_node_get_literal(k);
			size_t drop = s[1] ? 2 : 1, sp = strspn(s + drop, " ");
			if (sp) {
				size_t rest = strlen(s + drop + sp);
				char *t = malloc(sp * 2 + rest + 1);
				if (!t)
					abort();
				for (size_t i = 0; i < sp; i++)
					memcpy(t + 2 * i, "\xC2\xA0", 2);
				memcpy(t + 2 * sp, s + drop + sp, rest + 1);
				cmark_node_set_literal(k, t);
				free(t);
				cmark_node_append_child(lb, k);
			} else if (s[drop]) {
				chop_text(k, drop);
				cmark_node_append_child(lb, k);
			} else {
				cmark_node_free(k);
			}
		} else if (cmark_node_get_type(k) == CMARK_NODE_SOFTBREAK) {
			cmark_node_append_child(lb, cmark_node_new(CMARK_NODE_LINEBREAK));
			cmark_node_free(k);
		} else {
			cmark_node_append_child(lb, k);
		}
		k = next;
	}
	cmark_node_free(p);
	return true;
}

/* "Table: caption" or ": caption" just before or after a table. */
static size_t caption_marker(cmark_node *p)
{
	cmark_node *f = cmark_node_first_child(p);
	if (!is_text(f))
		return 0;
	const char *s = cmark_node_get_literal(f);
	if (!strncmp(s, "Table:", 6))
		return 6 + strspn(s + 6, " \t");
	if (s[0] == ':' && s[1] == ' ')
		return 1 + strspn(s + 1, " \t");
	return 0;
}

static bool is_table(cmark_node *n)
{
	return n && !strcmp(cmark_node_get_type_string(n), "table");
}

static bool caption(cmark_node *p)
{
	cmark_node *prev = cmark_node_previous(p), *next = cmark_node_next(p);
	size_t m = caption_marker(p);
	if (!m || !(is_table(prev) || is_table(next)))
		return false;
	cmark_node *cap = new_block(md_types.caption, p);
	chop_text(cmark_node_first_child(p), m);
	cmark_node *k = cmark_node_first_child(p);
	while (k) {
		cmark_node *nk = cmark_node_next(k);
		cmark_node_append_child(cap, k);
		k = nk;
	}
	/* The caption goes after its table, where the walker looks. */
	if (is_table(prev))
		cmark_node_insert_after(prev, cap);
	else
		cmark_node_insert_after(next, cap);
	cmark_node_free(p);
	return true;
}

/* "\newpage" or "\pagebreak" alone in a paragraph. */
static bool pagebreak(cmark_node *p)
{
	const char *t = line_text(cmark_node_first_child(p));
	if (!t || cmark_node_next(cmark_node_first_child(p)))
		return false;
	size_t n = strlen(t);
	while (n && t[n - 1] == ' ')
		n--;
	if (!((n == 8 && !memcmp(t, "\\newpage", 8)) || (n == 10 && !memcmp(t, "\\pagebreak", 10))))
		return false;
	cmark_node_insert_before(p, new_block(md_types.pagebreak, p));
	cmark_node_free(p);
	return true;
}

/* $$...$$ alone in a paragraph: display math, a block. */
static bool math_block(cmark_node *p)
{
	cmark_node *f = cmark_node_first_child(p);
	if (!f || cmark_node_get_type(f) != md_types.math_display || cmark_node_next(f))
		return false;
	const struct md_data *d = md_data_of(f);
	cmark_node *m = new_node(md_types.math_block, d->line, d->col, d->text, strlen(d->text));
	cmark_node_insert_before(p, m);
	cmark_node_free(p);
	return true;
}

static bool is_fenced(cmark_node *code)
{
	int len = 0, offset = 0;
	char ch = 0;
	return cmark_node_get_fenced(code, &len, &offset, &ch) != 0;
}

static void blocks_pass(cmark_node *n, int options, int depth)
{
	if (depth > MD_DEPTH)
		return;
	cmark_node *k = cmark_node_first_child(n);
	while (k) {
		cmark_node *next = cmark_node_next(k);
		cmark_node_type t = cmark_node_get_type(k);
		if (t == CMARK_NODE_PARAGRAPH) {
			if (pagebreak(k) || math_block(k) || caption(k) || lineblock(k)) {
				k = next;
				continue;
			}
			k = deflist(k);
			continue;
		}
		if (t == CMARK_NODE_CODE_BLOCK && !is_fenced(k) &&
		    cmark_node_previous(k) &&
		    cmark_node_get_type(cmark_node_previous(k)) == md_types.deflist) {
			code_into_def(cmark_node_previous(k), k, options);
			k = next;
			continue;
		}
		if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && t != md_types.deflist)
			blocks_pass(k, options, depth + 1);
		else if (t == md_types.deflist)
			for (cmark_node *q = cmark_node_first_child(k); q; q = cmark_node_next(q))
				if (cmark_node_get_type(q) == md_types.defd)
					blocks_pass(q, options, depth + 1);
		k = next;
	}
}

/* ===== attributes in text: headings, images, spans, citations ========= */

/* The "{...}" that ends the last text of heading h: taken off, kept. */
static void heading_attrs(cmark_node *h)
{
	cmark_node *last = cmark_node_last_child(h);
	if (!is_text(last))
		return;
	const char *s = cmark_node_get_literal(last);
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (!n || s[n - 1] != '}')
		return;
	const char *open = NULL;
	for (size_t i = n; i-- > 0;)
		if (s[i] == '{') {
			open = s + i;
			break;
		}
	/* "{" must follow a space, or begin the heading's last text */
	if (!open || (open > s && open[-1] != ' '))
		return;
	set_data(h, line_of(h), col_of(h), open + 1, (size_t)(s + n - 1 - (open + 1)));
	cmark_node_set_syntax_extension(h, the_ext);
	size_t keep = (size_t)(open - s);
	while (keep && s[keep - 1] == ' ')
		keep--;
	char *t = strndup(s, keep);
	if (!t)
		abort();
	if (keep)
		cmark_node_set_literal(last, t);
	else
		cmark_node_free(last);
	free(t);
}

/* Attributes right after an image: "![alt](x.png){width=60%}". */
static void image_attrs(cmark_node *img)
{
	cmark_node *t = cmark_node_next(img);
	if (!is_text(t))
		return;
	const char *s = cmark_node_get_literal(t);
	const char *close = s[0] == '{' ? strchr(s, '}') : NULL;
	if (!close)
		return;
	set_data(img, line_of(img), col_of(img), s + 1, (size_t)(close - s - 1));
	cmark_node_set_syntax_extension(img, the_ext);
	chop_text(t, (size_t)(close - s) + 1);
}

/*
 * Bracketed spans and citations in the inlines of n: "[" in a text node,
 * then anything, then "]{attrs}" in a text node of the same parent, or
 * "[@key...]" within one text node.
 */
static void spans_in(cmark_node *n, int level)
{
	if (level > MD_DEPTH)
		return;
	for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
		if (!is_text(k)) {
			if (cmark_node_first_child(k))
				spans_in(k, level + 1);
			continue;
		}
		const char *s = cmark_node_get_literal(k);
		const char *open = strchr(s, '[');
		if (!open)
			continue;
		size_t at = (size_t)(open - s);
		/* A citation: "[@" or "[see @" up to "]", in one text node. */
		const char *close = strchr(open, ']');
		const char *atsign = close ? memchr(open, '@', (size_t)(close - open)) : NULL;
		if (atsign && (atsign == open + 1 || atsign[-1] == ' ' || atsign[-1] == '-') &&
		    (isalnum((unsigned char)atsign[1]) || atsign[1] == '_' || atsign[1] == '{')) {
			/* Placed where it stands when the text node has its own
			 * place (cmark gives one to text split by no one yet). */
			int cl = line_of(n), cc = col_of(n);
			if (cmark_node_get_start_line(k) > 0 && cmark_node_get_start_column(k) > 0) {
				cl = cmark_node_get_start_line(k);
				cc = cmark_node_get_start_column(k) + (int)at;
			}
			cmark_node *c = at ? split_text(k, at) : k;
			const char *cs = cmark_node_get_literal(c);
			size_t clen = (size_t)(strchr(cs, ']') - cs) + 1;
			if (cs[clen])
				split_text(c, clen);
			cs = cmark_node_get_literal(c);
			cmark_node *cite = new_node(md_types.cite, cl, cc, cs, clen);
			cmark_node_insert_before(c, cite);
			cmark_node_free(c);
			k = cite;
			continue;
		}
		/* A span: find "]{" at bracket depth 0 from here on. */
		int depth = 0;
		cmark_node *q = k;
		size_t from = at + 1;
		cmark_node *end_node = NULL;
		size_t end_at = 0;
		while (q && !end_node) {
			if (is_text(q)) {
				const char *qs = cmark_node_get_literal(q);
				for (size_t i = q == k ? from : 0; qs[i]; i++) {
					if (qs[i] == '[')
						depth++;
					else if (qs[i] == ']' && depth)
						depth--;
					else if (qs[i] == ']') {
						if (qs[i + 1] == '{' && strchr(qs + i, '}')) {
							end_node = q;
							end_at = i;
						}
						break;
					}
				}
				if (!end_node && q != k && strchr(qs, ']'))
					break;
			}
			q = cmark_node_next(q);
		}
		if (!end_node)
			continue;
		/* Split off "[" .. "]{...}" and wrap what is between. */
		const char *es = cmark_node_get_literal(end_node);
		const char *brace = es + end_at + 1;
		const char *rb = strchr(brace, '}');
		cmark_node *span = new_node(md_types.span, line_of(n), col_of(n), brace + 1,
					    (size_t)(rb - brace - 1));
		size_t tail_at = (size_t)(rb - es) + 1;
		if (es[tail_at])
			split_text(end_node, tail_at);
		es = cmark_node_get_literal(end_node); /* its first tail_at bytes, as before */
		/* end_node now ends in "]{...}": cut that off */
		char *head = strndup(es, end_at);
		if (!head)
			abort();
		bool same = end_node == k;
		cmark_node *inner_first;
		if (same) {
			/* "[text]{...}" inside one node */
			cmark_node *mid = split_text(k, at); /* "[text]{..}" */
			const char *ms = cmark_node_get_literal(mid);
			size_t close_at = end_at - at;
			char *inner = strndup(ms + 1, close_at - 1);
			if (!inner)
				abort();
			cmark_node_insert_before(mid, span);
			if (*inner) {
				cmark_node *in = cmark_node_new(CMARK_NODE_TEXT);
				cmark_node_set_literal(in, inner);
				cmark_node_append_child(span, in);
			}
			free(inner);
			cmark_node_free(mid);
			if (!at)
				cmark_node_free(k);
			free(head);
			k = span;
			continue;
		}
		cmark_node_set_literal(end_node, head);
		free(head);
		cmark_node *startn = at || s[at + 1] ? split_text(k, at + 1) : cmark_node_next(k);
		/* k ends in "[": drop it */
		const char *ks = cmark_node_get_literal(k);
		if (strlen(ks) == 1) {
			cmark_node_insert_before(k, span);
			cmark_node_free(k);
		} else {
			char *kh = strndup(ks, strlen(ks) - 1);
			if (!kh)
				abort();
			cmark_node_set_literal(k, kh);
			free(kh);
			cmark_node_insert_after(k, span);
		}
		inner_first = startn;
		for (cmark_node *m = inner_first; m;) {
			cmark_node *next = cmark_node_next(m);
			bool last = m == end_node;
			if (is_text(m) && !*cmark_node_get_literal(m))
				cmark_node_free(m);
			else
				cmark_node_append_child(span, m);
			if (last)
				break;
			m = next;
		}
		spans_in(span, level + 1);
		k = span;
	}
}

static void attrs_pass(cmark_node *n, int depth)
{
	if (depth > MD_DEPTH)
		return;
	for (cmark_node *k = cmark_node_first_child(n); k;) {
		cmark_node *next = cmark_node_next(k);
		cmark_node_type t = cmark_node_get_type(k);
		if (t == CMARK_NODE_HEADING)
			heading_attrs(k);
		if (t == CMARK_NODE_IMAGE)
			image_attrs(k);
		if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
			attrs_pass(k, depth + 1);
		else if (cmark_node_first_child(k))
			attrs_pass(k, depth + 1);
		k = next;
	}
	cmark_node_type t = cmark_node_get_type(n);
	if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || holds_inlines(t) ||
	    !strcmp(cmark_node_get_type_string(n), "table_cell"))
		spans_in(n, depth);
}

static int parse_options;

/*
 * The inline nodes' texts point into their block's buffer until asked for
 * (cmark_node_get_literal copies them out): ask for every one, so that
 * moving inlines to a new block and freeing the old leaves none dangling.
 */
static void own_literals(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			cmark_node_get_literal(n);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			cmark_node_get_url(n);
			cmark_node_get_title(n);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Every table cell under root taken over (own_cell), for the spans and
 * citations the passes below put into cells. */
static void own_cells(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			own_cell(cmark_iter_get_node(it));
	cmark_iter_free(it);
}

/* The block parts over root, a tree cmark-gfm has finished (md_parser_finish). */
static cmark_node *postprocess(cmark_node *root)
{
	own_cells(root);
	own_literals(root);
	split_all(root, 0);
	group_divs(root, 0);
	blocks_pass(root, parse_options, 0);
	attrs_pass(root, 0);
	return root;
}

/* ===== registration ===================================================== */

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void make(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	md_types.div = cmark_syntax_extension_add_node(0);
	md_types.deflist = cmark_syntax_extension_add_node(0);
	md_types.deft = cmark_syntax_extension_add_node(0);
	md_types.defd = cmark_syntax_extension_add_node(0);
	md_types.lineblock = cmark_syntax_extension_add_node(0);
	md_types.pagebreak = cmark_syntax_extension_add_node(0);
	md_types.caption = cmark_syntax_extension_add_node(0);
	md_types.math_block = cmark_syntax_extension_add_node(0);
	md_types.sup = cmark_syntax_extension_add_node(1);
	md_types.sub = cmark_syntax_extension_add_node(1);
	md_types.strike = cmark_syntax_extension_add_node(1);
	md_types.span = cmark_syntax_extension_add_node(1);
	md_types.math = cmark_syntax_extension_add_node(1);
	md_types.math_display = cmark_syntax_extension_add_node(1);
	md_types.cite = cmark_syntax_extension_add_node(1);
	cmark_syntax_extension *e = cmark_syntax_extension_new("octavo");
	cmark_syntax_extension_set_match_inline_func(e, match);
	cmark_syntax_extension_set_inline_from_delim_func(e, insert);
	cmark_llist *chars = NULL;
	cmark_mem *mem = cmark_get_default_mem_allocator();
	chars = cmark_llist_append(mem, chars, (void *)'$');
	chars = cmark_llist_append(mem, chars, (void *)'^');
	chars = cmark_llist_append(mem, chars, (void *)'~');
	cmark_syntax_extension_set_special_inline_chars(e, chars);
	cmark_syntax_extension_set_can_contain_func(e, can_contain);
	cmark_syntax_extension_set_contains_inlines_func(e, contains_inlines);
	cmark_syntax_extension_set_get_type_string_func(e, type_string);
	the_ext = e;
	parse_options = CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8 |
			md_dialect_options();
	/* The table extension's cell type, read off a table of one cell. */
	cmark_parser *ps = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	if (table)
		cmark_parser_attach_syntax_extension(ps, table);
	cmark_parser_feed(ps, "|a|\n|-|\n", 8);
	cmark_node *doc = cmark_parser_finish(ps);
	cmark_node *row = cmark_node_first_child(cmark_node_first_child(doc));
	cmark_node *cell = cmark_node_first_child(row);
	if (cell && !strcmp(cmark_node_get_type_string(cell), "table_cell"))
		md_types.table_cell = cmark_node_get_type(cell);
	cmark_node_free(doc);
	cmark_parser_free(ps);
}

int md_dialect_options(void)
{
	return CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
}

void md_dialect_attach(cmark_parser *parser)
{
	pthread_once(&once, make);
	static const char *const exts[] = {"table", "autolink", "tasklist"};
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(parser, e);
	}
	cmark_parser_attach_syntax_extension(parser, the_ext);
}

static pthread_mutex_t finish_lock = PTHREAD_MUTEX_INITIALIZER;

/* The block parts run here, after the lock, not as the extension's
 * postprocess hook: cmark_parser_finish calls the hooks last, in the
 * order the extensions were attached, and the octavo extension is
 * attached last, so this is the same tree (a fifth of the time the lock
 * was held, on the Node.js docs). */
cmark_node *md_parser_finish(cmark_parser *parser)
{
	pthread_mutex_lock(&finish_lock);
	cmark_node *doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&finish_lock);
	return doc ? postprocess(doc) : NULL;
}

/* ===== attributes ======================================================= */

int md_attrs_parse(const char *s, struct md_attrs *out,
		   char *(*dup)(void *ctx, const char *s, size_t n), void *ctx, const char **bad)
{
	memset(out, 0, sizeof(*out));
	*bad = NULL;
	size_t ccap = 0, kcap = 0;
	const char *p = s;
	for (;;) {
		p += strspn(p, " \t\n");
		if (!*p)
			return 0;
		const char *start = p;
		if (*p == '#' || *p == '.') {
			p++;
			size_t n = strcspn(p, " \t\n{}#.=\"");
			if (*start == '.' && !n)
				goto fail;
			/* a class may hold dots? pandoc stops at space */
			n = strcspn(p, " \t\n{}\"=");
			if (!n)
				goto fail;
			char *v = dup(ctx, p, n);
			if (*start == '#') {
				out->id = v;
			} else {
				if (out->nclasses == ccap) {
					ccap = ccap ? ccap * 2 : 4;
					out->classes = realloc(out->classes, ccap * sizeof(char *));
					if (!out->classes)
						abort();
				}
				out->classes[out->nclasses++] = v;
			}
			p += n;
			continue;
		}
		if (*p == '-' && (!p[1] || p[1] == ' ')) {
			if (out->nclasses == ccap) {
				ccap = ccap ? ccap * 2 : 4;
				out->classes = realloc(out->classes, ccap * sizeof(char *));
				if (!out->classes)
					abort();
			}
			out->classes[out->nclasses++] = dup(ctx, "unnumbered", 10);
			p++;
			continue;
		}
		size_t kn = strcspn(p, " \t\n=\"{}");
		if (!kn || p[kn] != '=')
			goto fail;
		const char *v = p + kn + 1;
		size_t vn;
		const char *vs = v;
		if (*v == '"' || *v == '\'') {
			const char *q = strchr(v + 1, *v);
			if (!q)
				goto fail;
			vs = v + 1;
			vn = (size_t)(q - vs);
			p = q + 1;
		} else {
			vn = strcspn(v, " \t\n");
			p = v + vn;
		}
		if (out->nkeys == kcap) {
			kcap = kcap ? kcap * 2 : 4;
			out->keys = realloc(out->keys, kcap * sizeof(char *));
			out->values = realloc(out->values, kcap * sizeof(char *));
			if (!out->keys || !out->values)
				abort();
		}
		out->keys[out->nkeys] = dup(ctx, start, kn);
		out->values[out->nkeys++] = dup(ctx, vs, vn);
	}
fail:
	*bad = p;
	return -1;
}

void md_attrs_free(struct md_attrs *a)
{
	free(a->classes);
	free(a->keys);
	free(a->values);
	memset(a, 0, sizeof(*a));
}

const char *md_attr(const struct md_attrs *a, const char *key)
{
	for (size_t i = 0; i < a->nkeys; i++)
		if (!strcmp(a->keys[i], key))
			return a->values[i];
	return NULL;
}

bool md_has_class(const struct md_attrs *a, const char *cls)
{
	for (size_t i = 0; i < a->nclasses; i++)
		if (!strcmp(a->classes[i], cls))
			return true;
	return false;
}

/* ===== slugs ============================================================ */

static int dec(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && s[1]) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
		*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return 4;
	}
	*cp = 0xFFFD;
	return 1;
}

static int enc(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Lower case for the alphabets headings are mostly written in: ASCII,
 * Latin-1, Latin Extended-A's pairs, Greek and Cyrillic. */
static uint32_t lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && !(c & 1) &&
	    !(c >= 0x139 && c <= 0x148) && !(c >= 0x179 && c <= 0x17E))
		return c + 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && (c & 1))
		return c + 1;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

/* Unicode's word characters, roughly: letters, digits, marks, '_'. */
static bool word_char(uint32_t c)
{
	if (c < 0x80)
		return isalnum((int)c) || c == '_';
	if (c < 0xC0)
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	if (c == 0xD7 || c == 0xF7)
		return false;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F) ||
	    (c >= 0x1F000 && c <= 0x1FAFF) || c == 0xFEFF)
		return false;
	return true;
}

static size_t slug(const char *text, char *out, size_t n, bool pandoc)
{
	size_t k = 0;
	bool seen_letter = false;
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		uint32_t c;
		p += dec(p, &c);
		c = lower(c);
		char b[4];
		int m;
		if (c == ' ' || c == '\t' || c == '\n') {
			if (pandoc && !seen_letter)
				continue;
			b[0] = '-';
			m = 1;
		} else if (word_char(c) || c == '-' || (pandoc && c == '.')) {
			if (pandoc && !seen_letter && !(c >= 0x80 || isalpha((int)c)))
				continue;
			seen_letter = true;
			m = enc(c, b);
		} else {
			continue;
		}
		if (k + (size_t)m + 1 > n)
			break;
		memcpy(out + k, b, (size_t)m);
		k += (size_t)m;
	}
	if (pandoc)
		while (k && out[k - 1] == '-')
			k--;
	if (n)
		out[k] = 0;
	return k;
}

size_t md_slug_github(const char *text, char *out, size_t n)
{
	return slug(text, out, n, false);
}

size_t md_slug_pandoc(const char *text, char *out, size_t n)
{
	return slug(text, out, n, true);
}

/* Whether c may stand in an XML name (XML 1.0's NameChar) as a letter or
 * digit of an id: word_char's letters less the few of its code points
 * that are punctuation (the Greek question mark, the fullwidth forms of
 * ASCII's punctuation) or that no name may hold (private use). */
static bool id_char(uint32_t c)
{
	if (c < 0x80)
		return isalnum((int)c);
	if (!word_char(c) || c == 0x37E || (c >= 0xD800 && c <= 0xF8FF) ||
	    (c >= 0xFDD0 && c <= 0xFDEF) || c >= 0xF0000 || (c & 0xFFFE) == 0xFFFE)
		return false;
	return !((c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
		 (c >= 0xFF5B && c <= 0xFF65));
}

size_t md_slug_id(const char *text, char *out, size_t n)
{
	assert(n >= MD_SLUG_ID_MAX + 6);
	size_t k = 0;
	bool dash = false;
	for (const unsigned char *p = (const unsigned char *)text; *p && k < MD_SLUG_ID_MAX;) {
		uint32_t c;
		p += dec(p, &c);
		if (!id_char(c)) {
			dash = true;
			continue;
		}
		if (dash && k)
			out[k++] = '-';
		k += (size_t)enc(lower(c), out + k);
		dash = false;
	}
	out[k] = 0;
	return k;
}
