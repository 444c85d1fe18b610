/*
 * report.c - the typographic report: how well the lines were set.
 */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Widows and orphans: on each page, the body line nearest the top and the
 * one nearest the foot. */
static void widows_orphans(const struct pg_doc *doc, struct pg_stats *st, struct arena *scr)
{
	size_t np = doc->npages;
	long *top = ar_alloc(scr, (np + 1) * sizeof(long)), *bot = ar_alloc(scr, (np + 1) * sizeof(long));
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
}

/* Spreads whose last lines do not align: a verso and its recto, both
 * pages of running text (no opening, not a part's last page), of which one
 * reaches the foot of the text block (with body text or notes) and the
 * other stops a line or more above it. */
static void balance(const struct pg_doc *doc, struct pg_stats *st, struct arena *scr)
{
	size_t np = doc->npages;
	double *low = ar_alloc(scr, (np + 1) * sizeof(double));
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
}

void pg_stats(const struct pg_doc *doc, struct pg_stats *st)
{
	memset(st, 0, sizeof(*st));
	struct arena scr; /* the counts' working arrays */
	ar_init(&scr);
	widows_orphans(doc, st, &scr);
	balance(doc, st, &scr);
	ar_release(&scr);
	int ladder = 0;
	for (size_t i = 0; i < doc->nlinev; i++) {
		const struct pg_line *l = &doc->linev[i];
		st->lines++;
		st->overfull += l->overfull;
		st->cut += l->cut;
		st->in_name += l->in_name;
		if (l->justified) {
			st->justified++;
			st->loose += l->ratio > 1;
			st->tight += l->ratio < -0.8;
			st->short_ends += l->short_em > 0.05f;
			st->short_ends2 += l->short_em > 2;
		}
		if (l->hyphen) {
			st->hyphenated++;
			st->cell_hyphens += l->cell_hyphen;
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

/* ===== page figures ==================================================== */

/* Whether pages v (a verso) and v + 1 face each other as running text that
 * should end alike: same part, neither an opening nor a part's last page. */
static bool full_spread(const struct pg_doc *doc, size_t v)
{
	const struct pg_page *a = &doc->pages[v], *b = &doc->pages[v + 1];
	return a->part >= 0 && a->part == b->part && !a->opener && !b->opener &&
	       a->facts.running && b->facts.running && !a->facts.part_last &&
	       !b->facts.part_last && !a->facts.text_last && !b->facts.text_last;
}

void pg_pagestats(const struct pg_doc *doc, struct pg_pagestats *ps)
{
	memset(ps, 0, sizeof(*ps));
	for (size_t i = 0; i < doc->npages; i++) {
		const struct pg_page *pg = &doc->pages[i];
		const struct pg_pagefacts *f = &pg->facts;
		if (pg->part < 0 || !f->running)
			continue;
		ps->running++;
		bool recto = i % 2 == 0;
		/* A page whose part's text ends on it, only floats after it
		 * (they wait in order and do not fit its foot), is a part
		 * end for its depth. */
		ps->text_last += f->text_last;
		if (!f->part_last && f->text_last) {
			ps->hyphen_recto += f->final_hyphen && recto;
			ps->hyphen_verso += f->final_hyphen && !recto;
		} else if (!f->part_last) {
			ps->full += f->short_lines == 0;
			ps->long1 += f->short_lines < 0;
			ps->short1 += f->short_lines == 1;
			ps->short2 += f->short_lines >= 2;
			ps->hyphen_recto += f->final_hyphen && recto;
			ps->hyphen_verso += f->final_hyphen && !recto;
		} else if (f->body_lines < PG_PART_END_LINES &&
			   (i == 0 || doc->pages[i - 1].part == pg->part)) {
			/* A page begun at the author's page break holds what
			 * the author put before the next: no choice of pages
			 * could give it more. */
			if (f->after_break)
				ps->part_last_forced++;
			else
				ps->part_last_thin++;
		}
		ps->heads_squeezed += f->head_squeezed;
		ps->notes_split += (size_t)f->notes_split;
		ps->notes_over3 += (size_t)f->notes_through;
		ps->notes_split_hyphen += (size_t)f->notes_split_hyphen;
		ps->note_lone += (size_t)f->note_lone;
		ps->notes_late += (size_t)f->notes_late;
		ps->float_gaps += f->float_gap > 0;
		ps->float_gaps3 += f->float_gap >= 3;
		ps->floats_moved += (size_t)f->floats_moved;
		ps->floats_far += (size_t)f->floats_far;
		ps->tables_broken += (size_t)f->tables_broken;
		ps->tables_nohead += (size_t)f->tables_nohead;
		ps->tables_thin += (size_t)f->tables_thin;
		ps->tables_tied += (size_t)f->tables_tied;
		if (!recto && i + 1 < doc->npages && full_spread(doc, i)) {
			ps->spreads++;
			ps->unequal += f->short_lines != doc->pages[i + 1].facts.short_lines;
		}
	}
}

bool pg_page_problem(const struct pg_doc *doc, size_t i, char *why, size_t n)
{
	const struct pg_page *pg = &doc->pages[i];
	const struct pg_pagefacts *f = &pg->facts;
	char buf[160] = "";
	size_t len = 0;
#define WHY(...)                                                                      \
	do {                                                                          \
		if (len < sizeof(buf))                                                \
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s",   \
						len ? ", " : "");                     \
		if (len < sizeof(buf))                                                \
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, __VA_ARGS__); \
	} while (0)
	if (pg->part < 0 || !f->running)
		return false;
	bool recto = i % 2 == 0;
	if (!f->part_last && !f->text_last && f->short_lines >= 2)
		WHY("%d lines short", f->short_lines);
	if (!f->part_last && f->final_hyphen)
		WHY("ends at a hyphen on a %s", recto ? "recto" : "verso");
	if (f->part_last && f->body_lines < PG_PART_END_LINES && i > 0 &&
	    doc->pages[i - 1].part == pg->part && !f->after_break)
		WHY("part's last page holds %d line%s of text", f->body_lines,
		    f->body_lines == 1 ? "" : "s");
	if (!recto && i + 1 < doc->npages && full_spread(doc, i) &&
	    f->short_lines != doc->pages[i + 1].facts.short_lines)
		WHY("ends unlike its recto");
	if (recto && i > 0 && full_spread(doc, i - 1) &&
	    f->short_lines != doc->pages[i - 1].facts.short_lines)
		WHY("ends unlike its verso");
	if (f->head_squeezed)
		WHY("a heading squeezed off the grid at its foot");
	if (f->notes_split_hyphen)
		WHY("a note broken after a hyphen");
	if (f->notes_through)
		WHY("a note over three pages");
	if (f->note_lone)
		WHY("a lone line of note");
	if (f->notes_late)
		WHY("a note begun after its reference's page");
	if (f->float_gap > 0)
		WHY("%d line%s empty before a float", f->float_gap, f->float_gap == 1 ? "" : "s");
	if (f->floats_far)
		WHY("a float more than a page from its place");
	if (f->tables_nohead)
		WHY("a table continued without its head");
	if (f->tables_thin)
		WHY("a table broken with a lone rule or under two rows");
#undef WHY
	if (why && n)
		snprintf(why, n, "%s", buf);
	return len > 0;
}

/* How bad a line looks: overfull first, then the adjustment ratio's
 * distance from the glue's natural width. */
static double badness(const struct pg_line *l)
{
	return (l->overfull ? 1e6 : 0) + (l->justified ? fabs(l->ratio) : 0);
}

/* A line to sort by how bad it looks: its badness, taken before the sort
 * (no context for the comparison to look up), and its index. */
struct worst {
	double bad;
	size_t i;
};

static int by_badness(const void *a, const void *b)
{
	const struct worst *x = a, *y = b;
	if (x->bad != y->bad)
		return x->bad < y->bad ? 1 : -1;
	/* Stable on ties: earlier lines first. */
	return x->i < y->i ? -1 : 1;
}

static void print_line(const struct pg_doc *doc, const struct pg_line *l, FILE *out)
{
	const char *label = l->page >= 0 ? doc->pages[l->page].label : NULL;
	fprintf(out, "%s:%d\tp.%s\tr=%+.3f%s%s%s%s\t%s\n", l->file ? l->file : "(front matter)",
		l->src_line, label ? label : "?", l->ratio, l->hyphen ? " hyphen" : "",
		l->overfull ? " OVERFULL" : "", l->cut ? " forced" : "",
		l->in_name ? " in-name" : "", l->text);
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
	fprintf(out, "forced breaks         %zu (lines broken inside a word where no rule allows: "
		"no allowed break fitted)\n", st.cut);
	fprintf(out, "inline code broken inside a name %zu (between two letters; a mark drawn between a name's words)\n",
		st.in_name);
	fprintf(out, "wrapped code lines    %zu (%zu code blocks set smaller to fit)\n",
		doc->code_wrapped, doc->code_stepped);
	fprintf(out, "loose lines (r > 1)   %zu\n", st.loose);
	fprintf(out, "tight lines (r < -0.8) %zu\n", st.tight);
	fprintf(out, "lines left short      %zu at a break in inline code or an address (%zu by "
		"more than 2 em)\n", st.short_ends, st.short_ends2);
	fprintf(out, "hyphenated lines      %zu (%.1f%%)\n", st.hyphenated,
		st.lines ? 100.0 * (double)st.hyphenated / (double)st.lines : 0.0);
	fprintf(out, "table cells hyphenated %zu (lines of table cells ending at a hyphen added "
		"to a word)\n", st.cell_hyphens);
	fprintf(out, "longest hyphen ladder %d\n", st.longest_ladder);
	fprintf(out, "widows                %zu\n", st.widows);
	fprintf(out, "orphans               %zu\n", st.orphans);
	fprintf(out, "pages one line long   %zu, pages ending short %zu\n", doc->long_pages,
		doc->short_pages);
	fprintf(out, "spreads unbalanced    %zu of %zu full spreads\n", st.unbalanced, st.spreads);
	struct pg_pagestats ps;
	pg_pagestats(doc, &ps);
	fprintf(out, "page depth            %zu on the last grid line, %zu one line long, %zu one line "
		"short, %zu two or more short (of %zu running pages, outside part ends)\n",
		ps.full, ps.long1, ps.short1, ps.short2, ps.running);
	fprintf(out, "unequal spreads       %zu of %zu facing pages of running text\n", ps.unequal,
		ps.spreads);
	fprintf(out, "notes split           %zu (over three pages or more %zu), after a hyphen %zu, "
		"lone note lines %zu, begun after their reference's page %zu\n",
		ps.notes_split, ps.notes_over3, ps.notes_split_hyphen, ps.note_lone, ps.notes_late);
	fprintf(out,
		"float gaps            %zu pages with lines left empty before a float, %zu of "
		"three lines or more; %zu floats moved on a page, the text filling in; "
		"%zu more than a page from their place\n",
		ps.float_gaps, ps.float_gaps3, ps.floats_moved, ps.floats_far);
	fprintf(out, "tables broken         %zu, without a repeated head %zu, with a lone rule or "
		"under two rows %zu, inside a group of rows a cell spans %zu\n", ps.tables_broken,
		ps.tables_nohead, ps.tables_thin, ps.tables_tied);
	/* (wrapped code lines: the code blocks' own count goes here) */
	fprintf(out, "page-final hyphens    %zu on rectos, %zu on versos\n", ps.hyphen_recto,
		ps.hyphen_verso);
	fprintf(out, "headings squeezed     %zu at a page's foot (half a line of their space given "
		"up, off the grid)\n", ps.heads_squeezed);
	fprintf(out,
		"part-final pages      %zu under five lines of text (%zu more begun at the "
		"author's page break)\n",
		ps.part_last_thin, ps.part_last_forced);
	fprintf(out, "text-final pages      %zu (a part's text ends on them, its floats waiting for "
		"the next page: counted with the part ends)\n", ps.text_last);
	/* Every page with a problem, as the README promises: the first
	 * dozen alone left an editor to find the rest in the proof. */
	size_t nprob = 0;
	for (size_t i = 0; i < doc->npages; i++)
		nprob += pg_page_problem(doc, i, NULL, 0);
	if (nprob)
		fprintf(out, "page problems:        %zu (octavo proof outlines each)\n", nprob);
	for (size_t i = 0; i < doc->npages; i++) {
		char why[160];
		if (pg_page_problem(doc, i, why, sizeof(why)))
			fprintf(out, "  p.%s\t%s\n", doc->pages[i].label, why);
	}
	struct arena scr;
	ar_init(&scr);
	struct worst *idx = ar_alloc(&scr, (doc->nlinev ? doc->nlinev : 1) * sizeof(*idx));
	for (size_t i = 0; i < doc->nlinev; i++)
		idx[i] = (struct worst){badness(&doc->linev[i]), i};
	qsort(idx, doc->nlinev, sizeof(*idx), by_badness);
	fprintf(out, "worst lines:\n");
	for (size_t i = 0; i < 5 && i < doc->nlinev; i++) {
		fputs("  ", out);
		print_line(doc, &doc->linev[idx[i].i], out);
	}
	ar_release(&scr);
}

void pg_dump(const struct pg_doc *doc, FILE *out)
{
	/* Lines by page: one pass to bucket them, in the order set. */
	size_t np = doc->npages;
	struct arena scr;
	ar_init(&scr);
	size_t *count = ar_alloc(&scr, (np + 1) * sizeof(size_t));
	size_t *at = ar_alloc(&scr, (np + 1) * sizeof(size_t));
	for (size_t i = 0; i < doc->nlinev; i++)
		if (doc->linev[i].page >= 0)
			count[doc->linev[i].page]++;
	size_t sum = 0;
	for (size_t p = 0; p < np; p++) {
		at[p] = sum;
		sum += count[p];
	}
	size_t *idx = ar_alloc(&scr, (sum + 1) * sizeof(size_t));
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
	ar_release(&scr);
}

void pg_doc_drop_lines(struct pg_doc *doc)
{
	if (!doc)
		return;
	free(doc->linev);
	doc->linev = NULL;
	doc->nlinev = doc->linev_cap = 0;
}
