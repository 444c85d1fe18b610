/*
 * report.c - the typographic report: how well the lines were set.
 */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Widows and orphans: on each page, the body line nearest the top and the
 * one nearest the foot. */
static void widows_orphans(const struct pg_doc *doc, struct pg_stats *st)
{
	size_t np = doc->npages;
	long *top = xmalloc((np + 1) * sizeof(long)), *bot = xmalloc((np + 1) * sizeof(long));
	for (size_t i = 0; i <= np; i++)
		top[i] = bot[i] = -1;
	for (size_t i = 0; i < doc->nlinev; i++) {
		const struct pg_line *l = &doc->linev[i];
		if (l->page < 0 || l->note || !l->file)
			continue;
		size_t p = (size_t)l->page;
		if (top[p] < 0 || l->y0 > doc->linev[top[p]].y0)
			top[p] = (long)i;
		if (bot[p] < 0 || l->y0 < doc->linev[bot[p]].y0)
			bot[p] = (long)i;
	}
	for (size_t p = 0; p < np; p++) {
		if (top[p] >= 0) {
			const struct pg_line *l = &doc->linev[top[p]];
			st->widows += l->plines > 1 && l->pline == l->plines - 1;
		}
		if (bot[p] >= 0) {
			const struct pg_line *l = &doc->linev[bot[p]];
			st->orphans += l->plines > 1 && l->pline == 0;
		}
	}
	free(top);
	free(bot);
}

/* Spreads whose last lines do not align: a verso and its recto, both
 * pages of running text (no opening, not a part's last page), of which one
 * reaches the foot of the text block (with body text or notes) and the
 * other stops a line or more above it. */
static void balance(const struct pg_doc *doc, struct pg_stats *st)
{
	size_t np = doc->npages;
	double *low = xmalloc((np + 1) * sizeof(double));
	for (size_t i = 0; i <= np; i++)
		low[i] = 1e9;
	for (size_t i = 0; i < doc->nlinev; i++) {
		const struct pg_line *l = &doc->linev[i];
		double base = l->y0 + (l->y1 - l->y0) * 0.25; /* back to the baseline */
		if (l->page >= 0 && l->file && base < low[l->page])
			low[l->page] = base;
	}
	for (size_t v = 1; v + 1 < np; v += 2) {
		const struct pg_page *a = &doc->pages[v], *b = &doc->pages[v + 1];
		bool ends = v + 2 >= np || doc->pages[v + 2].part != b->part ||
			    doc->pages[v + 2].opener;
		if (a->part < 0 || a->part != b->part || a->opener || b->opener || ends ||
		    low[v] > 1e8 || low[v + 1] > 1e8)
			continue;
		st->spreads++;
		/* Whole lines between the two pages' last baselines; notes set
		 * flush with the foot differ from body lines by under a line. */
		if (fabs(low[v] - low[v + 1]) > doc->grid * 0.9)
			st->unbalanced++;
	}
	free(low);
}

void pg_stats(const struct pg_doc *doc, struct pg_stats *st)
{
	memset(st, 0, sizeof(*st));
	widows_orphans(doc, st);
	balance(doc, st);
	int ladder = 0;
	for (size_t i = 0; i < doc->nlinev; i++) {
		const struct pg_line *l = &doc->linev[i];
		st->lines++;
		st->overfull += l->overfull;
		if (l->justified) {
			st->justified++;
			st->loose += l->ratio > 1;
			st->tight += l->ratio < -0.8;
		}
		if (l->hyphen) {
			st->hyphenated++;
			/* A ladder is hyphens on consecutive lines of one paragraph;
			 * a paragraph's last line never ends in one, so resetting at
			 * the next unhyphenated line is enough. */
			if (++ladder > st->longest_ladder)
				st->longest_ladder = ladder;
		} else {
			ladder = 0;
		}
	}
}

/* How bad a line looks: overfull first, then the adjustment ratio's
 * distance from the glue's natural width. */
static double badness(const struct pg_line *l)
{
	return (l->overfull ? 1e6 : 0) + (l->justified ? fabs(l->ratio) : 0);
}

static const struct pg_doc *sort_doc;

static int by_badness(const void *a, const void *b)
{
	const struct pg_line *x = &sort_doc->linev[*(const size_t *)a];
	const struct pg_line *y = &sort_doc->linev[*(const size_t *)b];
	double bx = badness(x), by = badness(y);
	if (bx != by)
		return bx < by ? 1 : -1;
	/* Stable on ties: earlier lines first. */
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void print_line(const struct pg_doc *doc, const struct pg_line *l, FILE *out)
{
	const char *label = l->page >= 0 ? doc->pages[l->page].label : NULL;
	fprintf(out, "%s:%d\tp.%s\tr=%+.3f%s%s\t%s\n", l->file ? l->file : "(front matter)",
		l->src_line, label ? label : "?", l->ratio, l->hyphen ? " hyphen" : "",
		l->overfull ? " OVERFULL" : "", l->text);
}

void pg_report(const struct pg_doc *doc, FILE *out, bool all_lines)
{
	if (all_lines) {
		for (size_t i = 0; i < doc->nlinev; i++)
			print_line(doc, &doc->linev[i], out);
		return;
	}
	struct pg_stats st;
	pg_stats(doc, &st);
	fprintf(out, "pages                 %zu\n", doc->npages);
	fprintf(out, "lines                 %zu (%zu justified, not counting paragraphs' last lines)\n",
		st.lines, st.justified);
	fprintf(out, "overfull lines        %zu\n", st.overfull);
	fprintf(out, "wrapped code lines    %zu (%zu code blocks set smaller to fit)\n",
		doc->code_wrapped, doc->code_stepped);
	fprintf(out, "loose lines (r > 1)   %zu\n", st.loose);
	fprintf(out, "tight lines (r < -0.8) %zu\n", st.tight);
	fprintf(out, "hyphenated lines      %zu (%.1f%%)\n", st.hyphenated,
		st.lines ? 100.0 * (double)st.hyphenated / (double)st.lines : 0.0);
	fprintf(out, "longest hyphen ladder %d\n", st.longest_ladder);
	fprintf(out, "widows                %zu\n", st.widows);
	fprintf(out, "orphans               %zu\n", st.orphans);
	fprintf(out, "pages one line long   %zu, pages ending short %zu\n", doc->long_pages,
		doc->short_pages);
	fprintf(out, "spreads unbalanced    %zu of %zu full spreads\n", st.unbalanced, st.spreads);
	size_t *idx = xmalloc((doc->nlinev ? doc->nlinev : 1) * sizeof(*idx));
	for (size_t i = 0; i < doc->nlinev; i++)
		idx[i] = i;
	sort_doc = doc;
	qsort(idx, doc->nlinev, sizeof(*idx), by_badness);
	fprintf(out, "worst lines:\n");
	for (size_t i = 0; i < 5 && i < doc->nlinev; i++) {
		fputs("  ", out);
		print_line(doc, &doc->linev[idx[i]], out);
	}
	free(idx);
}

void pg_dump(const struct pg_doc *doc, FILE *out)
{
	/* Lines by page: one pass to bucket them, in the order set. */
	size_t np = doc->npages;
	size_t *count = xcalloc(np + 1, sizeof(size_t)), *at = xcalloc(np + 1, sizeof(size_t));
	for (size_t i = 0; i < doc->nlinev; i++)
		if (doc->linev[i].page >= 0)
			count[doc->linev[i].page]++;
	size_t sum = 0;
	for (size_t p = 0; p < np; p++) {
		at[p] = sum;
		sum += count[p];
	}
	size_t *idx = xmalloc((sum + 1) * sizeof(size_t));
	for (size_t i = 0; i < doc->nlinev; i++)
		if (doc->linev[i].page >= 0)
			idx[at[doc->linev[i].page]++] = i;
	size_t k = 0;
	for (size_t p = 0; p < np; p++) {
		const struct pg_page *pg = &doc->pages[p];
		fprintf(out, "page %s%s%s\n", pg->label, pg->ntexts ? "" : " (blank)",
			pg->opener ? " (opening)" : "");
		for (size_t n = 0; n < count[p]; n++, k++) {
			const struct pg_line *l = &doc->linev[idx[k]];
			/* About forty bytes of the text, cut between characters. */
			size_t cut = strlen(l->text);
			if (cut > 40) {
				cut = 40;
				while (cut > 0 && ((unsigned char)l->text[cut] & 0xC0) == 0x80)
					cut--;
			}
			fprintf(out, "  %-4s y=%6.1f %s:%d para %d line %d/%d %.*s\n",
				l->note ? "note" : "line", l->y0, l->file ? l->file : "-", l->src_line,
				l->para, l->pline + 1, l->plines, (int)cut, l->text);
		}
		for (size_t i = 0; i < pg->nimages; i++)
			fprintf(out, "  image y=%6.1f h=%.1f %s\n", pg->images[i].y, pg->images[i].h,
				pg->images[i].img->src);
		for (size_t i = 0; i < pg->nrules; i++)
			fprintf(out, "  rule y=%6.1f w=%.1f\n", pg->rules[i].y, pg->rules[i].w);
	}
	free(idx);
	free(count);
	free(at);
}
