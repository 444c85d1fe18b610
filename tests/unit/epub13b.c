/* epub13b.c - what an EPUB-only build takes from the layout, kept
 * (src/cli/marks.c): messages kept in a diag_log are given again as the
 * calls gave them, quiet or not; the edition's page marks and revision
 * pages, kept and taken again for the same book, are the layout's, each
 * span and block the very one the layout named. */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "cli/marks.h"
#include "layout/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Some messages of each kind, as a stage gives them. */
static void say(struct diag *d)
{
	diag_warning(d, NULL, 0, 0, "a warning about the run %d", 1);
	diag_hint(d, "a hint after it");
	diag_error(d, "manuscript/book.yaml", 3, 5, "an error at '%s'", "title");
	diag_warning(d, "manuscript/01-partnership.md", 7, 0, "a warning with a line");
	diag_hint(d, "its hint, %s", "given once");
}

/* What say() prints on a diag quiet or not, given directly (log NULL) or
 * kept in log first and replayed; malloc'd. */
static char *printed(bool quiet, struct diag_log *log)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct diag d;
	diag_init(&d, f);
	d.quiet = quiet;
	if (log && !log->n) { /* keep, quietly, then give again */
		char *kbuf = NULL;
		size_t klen = 0;
		FILE *kf = open_memstream(&kbuf, &klen);
		struct diag k;
		diag_init(&k, kf);
		k.quiet = true;
		k.log = log;
		say(&k);
		UCHECK(k.nerr == 1 && k.nwarn == 2, "the keeping run counted 1 error, 2 warnings");
		fclose(kf);
		free(kbuf);
	}
	if (log)
		diag_replay(&d, log);
	else
		say(&d);
	UCHECK(d.nerr == 1 && d.nwarn == 2, "1 error, 2 warnings (got %d, %d)", d.nerr, d.nwarn);
	fclose(f);
	return buf;
}

UNIT_TEST(diag_log_replays_as_given)
{
	for (int q = 0; q < 2; q++) {
		struct diag_log log = {0};
		char *direct = printed(q, NULL), *again = printed(q, &log);
		UCHECK(!strcmp(direct, again), "quiet=%d: replayed as given:\n%s---\n%s", q, direct,
		       again);
		UCHECK(log.n == 5, "every message and hint kept, under quiet too (%zu)", log.n);
		free(direct);
		free(again);
		diag_log_release(&log);
	}
}

UNIT_TEST(marks_kept_are_the_layouts)
{
	char *dir = unit_scratch("epub13b");
	UCHECK(dir != NULL, "a scratch folder");
	if (!dir)
		return;
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load("manuscript", ".", &d);
	struct tx_fonts *f = b ? tx_fonts_load(&b->style, b->meta.language, &d) : NULL;
	struct pg_doc *doc = f ? pg_compose_lint_jobs(b, f, &d, 1) : NULL;
	UCHECK(doc && doc->nmarks > 100, "the edition laid out");
	if (!doc)
		goto out;
	struct cli_opts o = {.dir = "manuscript", .outdir = dir, .datadir = "."};
	struct timespec began;
	clock_gettime(CLOCK_REALTIME, &began);
	struct cli_txn *t = cli_txn_open(dir, b->meta.slug, true, &d);
	struct cli_marks *m = cli_marks_open(b, &o, 1, &began, t);
	UCHECK(!cli_marks_take(m, b, &d), "an empty folder keeps no marks");
	cli_marks_put(m, b, doc);
	cli_marks_close(m, t);
	UCHECK(t && cli_txn_commit(t, &d) == 0, "kept");
	cli_txn_free(t);

	m = cli_marks_open(b, &o, 1, &began, NULL);
	UCHECK(cli_marks_take(m, b, &d) && cli_marks_taken(m), "taken again");
	size_t n = 0, np = 0, same = 0, placed = 0;
	const struct pg_pagemark *mk = cli_marks_get(m, &n);
	const struct cli_page_rec *pg = cli_marks_pages(m, &np);
	struct cli_page_rec *want = cli_page_recs(doc);
	UCHECK(n == doc->nmarks && np == doc->npages, "one mark and one page each (%zu, %zu)", n,
	       np);
	for (size_t i = 0; mk && pg && i < n && i < doc->nmarks; i++) {
		const struct pg_pagemark *a = &doc->marks[i], *k = &mk[i];
		bool in_part = a->part >= 0;
		same += !strcmp(a->label, k->label) && a->part == k->part && a->front == k->front &&
			a->entry == k->entry && a->notes == k->notes &&
			(!in_part ||
			 (a->span == k->span && a->block == k->block && a->offset == k->offset)) &&
			!strcmp(pg[i].label, want[i].label) && pg[i].hash == want[i].hash &&
			pg[i].part == want[i].part && pg[i].first == want[i].first &&
			pg[i].last == want[i].last;
		placed += in_part && (k->span || k->block);
	}
	UCHECK(same == n, "every mark and page as laid out (%zu of %zu)", same, n);
	UCHECK(placed > 100, "marks placed at a span or block of the book (%zu)", placed);
	/* another threads' count is another key */
	struct cli_marks *m2 = cli_marks_open(b, &o, 2, &began, NULL);
	UCHECK(!cli_marks_take(m2, b, &d), "two threads' key misses one thread's marks");
	cli_marks_close(m2, NULL);
	/* inputs changed after the run began are not trusted */
	struct timespec early = began;
	early.tv_sec -= 10L * 365 * 24 * 3600;
	struct cli_marks *m3 = cli_marks_open(b, &o, 1, &early, NULL);
	UCHECK(!cli_marks_take(m3, b, &d), "a run older than its inputs takes nothing");
	cli_marks_close(m3, NULL);
	free(want);
	cli_marks_close(m, NULL);
out:
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	free(dir);
}
