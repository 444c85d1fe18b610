/*
 * report.c - the typographic report: how well the lines were set.
 */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pg_stats(const struct pg_doc *doc, struct pg_stats *st)
{
	memset(st, 0, sizeof(*st));
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
	fprintf(out, "loose lines (r > 1)   %zu\n", st.loose);
	fprintf(out, "tight lines (r < -0.8) %zu\n", st.tight);
	fprintf(out, "hyphenated lines      %zu (%.1f%%)\n", st.hyphenated,
		st.lines ? 100.0 * (double)st.hyphenated / (double)st.lines : 0.0);
	fprintf(out, "longest hyphen ladder %d\n", st.longest_ladder);
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
