/*
 * marks.h - what a build takes from the print layout besides the pages it
 * draws, kept in OUTDIR/.SLUG.marks so that an EPUB-only build need not
 * lay the book out again to learn it (marks.c).
 *
 * An EPUB takes from the layout only its page marks (pagemark.h: where
 * each printed page begins, for the page list). Beside the EPUB, a build
 * writes the revision record (each printed page's folio, content hash,
 * part and source lines: revision.c) and says what the layout and the lint
 * found in the lines it set (messages). Those four are what the store
 * keeps, under a key of everything they follow from:
 *  - octavo itself (its build ID), the manuscript and data folders as
 *    named (messages name files by them), the layout's threads, and the
 *    environment switches the layout reads;
 *  - the bytes of book.yaml, the style file, every part and every image
 *    (as the book holds it);
 *  - the identity (name, device, inode, size, mtime and ctime: any write
 *    changes the ctime) of every font the style names, its fallbacks too,
 *    and of every hyphenation dictionary on the system (a passage in
 *    another language reads its own).
 * A file changed while the build reads it (its ctime after the run began)
 * makes no key: that build lays out and keeps nothing.
 *
 * Invariants:
 *  - Taken marks are the layout's: their labels, parts, places (a span
 *    or block of the book found again by its position in its part) and
 *    kinds; only a page the layout made itself (part -1), which the EPUB
 *    places by its front and entry, keeps no span or block. The EPUB made
 *    from them is the same bytes.
 *  - A record that does not fit the book (a damaged or foreign one whose
 *    check holds) is not taken: the build lays out as without a store.
 *  - One thread (the run's).
 */
#ifndef OCTAVO_CLI_MARKS_H
#define OCTAVO_CLI_MARKS_H

#include "cli.h"

#include <time.h>

struct cli_marks;

/*
 * The store OUTDIR/.SLUG.marks for b, its key made now (began: when the
 * run began, CLOCK_REALTIME; threads: the layout's). t: the build's
 * transaction, or NULL (one not open yet). Never NULL; close with
 * cli_marks_close.
 */
struct cli_marks *cli_marks_open(const struct book *b, const struct cli_opts *o, int threads,
				 const struct timespec *began, struct cli_txn *t);
/*
 * Whether the store keeps b's layout facts under the key, and they fit b:
 * then they are taken (cli_marks_get gives them) and the layout's
 * messages are given to d again, as the layout gave them.
 */
bool cli_marks_take(struct cli_marks *m, const struct book *b, struct diag *d);
/* Whether the facts were taken from the store (no layout was made). */
bool cli_marks_taken(const struct cli_marks *m);
/* Where the layout's messages are to be kept while it runs (d->log), or
 * NULL when nothing is to be kept (no key). */
struct diag_log *cli_marks_layout_log(struct cli_marks *m);
/* Where the lint's findings on the lines are to be kept (cli_lint_keep),
 * or NULL. */
struct diag_log *cli_marks_lines_log(struct cli_marks *m);
/* The kept findings on the lines given to d again, when the facts were
 * taken (the lint then had no doc); else nothing. */
void cli_marks_replay_lines(const struct cli_marks *m, struct diag *d);
/* Keeps doc's facts (with the messages given meanwhile) for the next
 * build, when they can be kept: a key, and every mark found in b. */
void cli_marks_put(struct cli_marks *m, const struct book *b, const struct pg_doc *doc);
/* The taken facts: the page marks (*n; borrowed until close) and the
 * revision record's pages (as many as the marks). NULL when not taken. */
const struct pg_pagemark *cli_marks_get(const struct cli_marks *m, size_t *n);
const struct cli_page_rec *cli_marks_pages(const struct cli_marks *m, size_t *n);
/* Stages the store in t (NULL: drops what is new) and frees m (NULL:
 * nothing). */
void cli_marks_close(struct cli_marks *m, struct cli_txn *t);

#endif
