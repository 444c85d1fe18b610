/*
 * alert.c - GitHub's alerts: a block quotation whose first line is only
 * [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION] (any case) is
 * a callout, not a quotation. It becomes a div of the kind's class set
 * as an aside, its first paragraph opening with the kind's label in bold
 * on a line of its own ("Tip"), in the book's language (bk_lang_apply
 * puts it in; BK_STR_NOTE...). Anything else on the marker's line, and
 * it stays a quotation, as on GitHub.
 */
#include "walker.h"

#include <string.h>
#include <strings.h>

static const char *const kinds[BK_NALERTS] = {"note", "tip", "important", "warning", "caution"};
static const char *const english[BK_NALERTS] = {"Note", "Tip", "Important", "Warning", "Caution"};

const char *bk_alert_label_en(int kind)
{
	return kind >= 0 && kind < BK_NALERTS ? english[kind] : "";
}

/* The marker's text: the first paragraph's text nodes up to its first
 * line break, joined into buf (cmark leaves '[' a node of its own).
 * Returns false when something other than text comes first. */
static bool first_line(cmark_node *para, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = 0;
	for (cmark_node *k = cmark_node_first_child(para); k; k = cmark_node_next(k)) {
		cmark_node_type t = cmark_node_get_type(k);
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			return true;
		if (t != CMARK_NODE_TEXT)
			return false;
		const char *s = cmark_node_get_literal(k);
		size_t n = s ? strlen(s) : 0;
		if (len + n >= cap)
			return false;
		memcpy(buf + len, s, n);
		buf[len += n] = 0;
	}
	return true;
}

int md_alert_kind(cmark_node *quote)
{
	cmark_node *para = cmark_node_first_child(quote);
	char buf[16];
	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
	    !first_line(para, buf, sizeof(buf)))
		return -1;
	size_t n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = 0;
	if (n < 4 || buf[0] != '[' || buf[1] != '!' || buf[n - 1] != ']')
		return -1;
	for (int k = 0; k < BK_NALERTS; k++)
		if (strlen(kinds[k]) == n - 3 && !strncasecmp(buf + 2, kinds[k], n - 3))
			return k;
	return -1;
}

/* The marker's bytes off the first span's text: "[!TIP]" and the space
 * its line's end became. */
static void drop_marker(struct bk_block *para)
{
	if (!para->nspans || para->spans[0].kind != BK_SPAN_TEXT)
		return;
	struct bk_span *s = &para->spans[0];
	const char *end = memchr(s->text, ']', s->len);
	if (!end)
		return;
	size_t cut = (size_t)(end - s->text) + 1;
	while (cut < s->len && s->text[cut] == ' ')
		cut++;
	s->text += cut;
	s->len -= cut;
	if (!s->len) { /* the marker alone was its run */
		memmove(&para->spans[0], &para->spans[1], (para->nspans - 1) * sizeof(*s));
		para->nspans--;
		if (para->nspans && para->spans[0].kind == BK_SPAN_BREAK) {
			memmove(&para->spans[0], &para->spans[1], (para->nspans - 1) * sizeof(*s));
			para->nspans--;
		}
	}
}

void md_alert_make(struct walker *w, struct bk_block *b, int kind)
{
	b->kind = BK_DIV;
	b->flags |= BK_ALERT;
	b->level = kind;
	const char **cls = ar_alloc(w->a, 2 * sizeof(char *));
	cls[0] = kinds[kind];
	cls[1] = "aside";
	b->classes = cls;
	b->nclasses = 2;
	if (!b->nkids || b->kids[0].kind != BK_PARA)
		return;
	struct bk_block *p = &b->kids[0];
	drop_marker(p);
	/* the label, a line of its own, over what the marker's paragraph
	 * goes on to say */
	size_t n = p->nspans + (p->nspans ? 2 : 1);
	struct bk_span *v = ar_alloc(w->a, n * sizeof(*v));
	const char *label = english[kind];
	v[0] = (struct bk_span){.kind = BK_SPAN_TEXT, .style = BK_STRONG, .text = label,
				.len = strlen(label), .link = -1, .line = p->line, .col = p->col};
	if (p->nspans) {
		v[1] = (struct bk_span){.kind = BK_SPAN_BREAK, .style = BK_STRONG, .link = -1,
					.line = p->line, .col = p->col};
		memcpy(&v[2], p->spans, p->nspans * sizeof(*v));
	}
	p->spans = v;
	p->nspans = n;
}
