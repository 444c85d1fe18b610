/*
 * figure.c - a figure's long description. The alt text says in a sentence
 * what a picture shows; a chart's numbers need more. The Markdown for it
 * is a block quote right after the figure whose first paragraph begins
 * "Description:" (or "Description." - the word may be bold or italic):
 *
 *     ![Stacked bar chart of income by source](images/chart.png "Caption")
 *
 *     > **Description:** The chart has five bars, ...
 *     >
 *     > | Year | Grants | Contracts |
 *     > |------|--------|-----------|
 *     > | 2007 | 48     | 22        |
 *
 * It is plain cmark-gfm, so it needs no extension and reads as text
 * wherever the Markdown is shown; both editions print it where it stands,
 * and each points its figure at it: the EPUB's image by aria-describedby,
 * the tagged PDF's Figure by /Alt (bk_figure_alt).
 */
#include "book.h"

#include <ctype.h>
#include <string.h>

/* Whether text (n bytes) begins with "Description" and ':' or '.'
 * (after any spaces), in any case. */
static bool labelled(const char *t, size_t n)
{
	static const char word[] = "description";
	size_t k = sizeof(word) - 1, i = 0;
	while (i < n && isspace((unsigned char)t[i]))
		i++;
	if (n - i <= k)
		return false;
	for (size_t j = 0; j < k; j++)
		if (tolower((unsigned char)t[i + j]) != word[j])
			return false;
	return t[i + k] == ':' || t[i + k] == '.';
}

const struct bk_block *bk_figure_description(const struct bk_block *v, size_t n, size_t i)
{
	if (i + 1 >= n || v[i].kind != BK_FIGURE || v[i + 1].kind != BK_QUOTE)
		return NULL;
	const struct bk_block *q = &v[i + 1];
	if (!q->nkids || q->kids[0].kind != BK_PARA)
		return NULL;
	/* The label may be split over styled runs ("**Description**:"): join
	 * the first few. */
	const struct bk_block *p = &q->kids[0];
	char head[32];
	size_t len = 0;
	for (size_t s = 0; s < p->nspans && len < sizeof(head); s++) {
		if (p->spans[s].kind != BK_SPAN_TEXT)
			break;
		size_t take = p->spans[s].len;
		if (take > sizeof(head) - len)
			take = sizeof(head) - len;
		memcpy(head + len, p->spans[s].text, take);
		len += take;
	}
	return labelled(head, len) ? q : NULL;
}

/* Appends the plain text of blocks v (n of them) to sb, a space between
 * blocks and cells. */
static void plain_blocks(struct strbuf *sb, struct arena *a, const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->nspans) {
			if (sb->len && sb->buf[sb->len - 1] != ' ')
				sb_addc(sb, ' ');
			sb_adds(sb, bk_spans_text(a, b->spans, b->nspans));
		} else if (b->kind == BK_CODE_BLOCK && b->text) {
			if (sb->len)
				sb_addc(sb, ' ');
			sb_adds(sb, b->text);
		}
		plain_blocks(sb, a, b->kids, b->nkids);
	}
}

const char *bk_figure_alt(struct arena *a, const struct bk_block *v, size_t n, size_t i)
{
	if (i >= n || v[i].kind != BK_FIGURE || !v[i].img)
		return NULL;
	const char *alt = v[i].img->alt ? v[i].img->alt : "";
	const struct bk_block *d = bk_figure_description(v, n, i);
	if (!d)
		return alt;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, alt);
	if (sb.len && !strchr(".!?", sb.buf[sb.len - 1]))
		sb_addc(&sb, '.');
	plain_blocks(&sb, a, d->kids, d->nkids);
	/* Whitespace as one space: soft breaks and code lines included. */
	size_t w = 0;
	for (size_t r = 0; r < sb.len; r++) {
		bool sp = isspace((unsigned char)sb.buf[r]);
		if (sp && (w == 0 || sb.buf[w - 1] == ' '))
			continue;
		sb.buf[w++] = sp ? ' ' : sb.buf[r];
	}
	while (w && sb.buf[w - 1] == ' ')
		w--;
	const char *r = ar_strndup(a, sb.buf ? sb.buf : "", w);
	sb_release(&sb);
	return r;
}
