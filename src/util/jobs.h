/*
 * jobs.h - the one place octavo runs work on more than one thread.
 *
 * Every stage is single-threaded: it runs on its caller's thread and
 * starts none. Five uses of jobs_run may start one thread each: the
 * pair of editions (the PDF and the EPUB share nothing but the read-only
 * book, so src/cli/build.c writes them as two jobs), the book's Markdown
 * read beside its hyphenation patterns (build.c's load_book, a first
 * build only), the parts' Markdown parsed in two halves by bytes
 * (src/book/book.c's load_part_files; cmark-gfm's finish, its inline
 * parsing, one at a time: dialect.h's md_parser_finish), the main
 * matter's parts, set in two runs and joined in
 * order (src/layout/parallel.c), and a big book's PDF pages, their
 * content streams made on two threads beside libharu's objects and taken
 * in page order (src/pdf/pdf.c, make_streams: jobs_share below; a
 * book that gives memory back has the helping thread write the EPUB
 * next, beside the objects it adds after the streams: pdf_options'
 * beside). None starts for a book of less than
 * JOBS_MIN_BYTES of Markdown (jobs_for), because there a thread does not
 * pay: what it takes off the critical path is smaller than what it adds.
 * One thread more, jobs_aside_begin's, takes a fixed cost off the path
 * whatever the book's size: build.c opens libzip on it (some 2 ms, a
 * tenth of a single essay's build), which only the EPUB, at the end,
 * waits for.
 *
 * Measured (December 2026, 2 cores; details in src/cli/build.c): on the
 * edition (172 KB of Markdown) the two threads take 167 M of 463 M
 * instructions off the critical path (callgrind, per thread), yet the
 * build is no faster, and usually slower: quiet, -j 1 84.9 ms mean (min
 * 76.2) against -j 2 95.8 (84.4), CPU 83 -> 120 ms; with the other cores
 * busy, -j 1 158 ms median against 243. A thread costs a fresh malloc
 * arena (page faults: 600 -> 1,200 a build), caches filled again (the
 * second half's words and patterns: 15 M instructions more), and slower
 * instructions on both cores at once. What it saves grows with the book,
 * what it costs less so: the 10x book (1.7 MB) is about 20% faster on two
 * threads, the Node.js docs (3.4 MB) need them for their second. Between
 * the two, fitted to those figures, a thread pays 5 ms from about 400 KB
 * on a quiet machine; under load (this machine shared) -j 2 was still
 * slower at 516 KB and 860 KB. JOBS_MIN_BYTES, 1 MB, keeps every bench
 * book that gains on two threads and the edition, an essay and books of
 * up to about six editions on one. $OCTAVO_JOBS_MIN moves it (bytes; 0:
 * any book, as the suites that test the join use it). One exception,
 * build.c's write_editions: beside a tagged PDF (twice an untagged one's
 * cost) the EPUB's thread pays at any size (the edition in the screen
 * profile: 108-113 ms on one thread, 84-87 ms with the pair).
 *
 * --jobs N and $OCTAVO_JOBS set the number of threads; 1 runs everything,
 * in order, on the caller's thread. Either way, and whatever the book's
 * size, the files are the same bytes (tests/suites/pipe13.sh, thr13.sh).
 */
#ifndef OCTAVO_JOBS_H
#define OCTAVO_JOBS_H

#include <stdbool.h>
#include <stddef.h>

/* The least Markdown a thread starts for (jobs_for): see above. */
#define JOBS_MIN_BYTES ((long long)1024 * 1024)

/* The most threads jobs_run starts, whatever is asked. */
#define JOBS_MAX 64

/* A job: run(arg). It writes its results into *arg and nowhere else. */
struct job {
	void (*run)(void *arg);
	void *arg;
};

/*
 * Runs the n jobs of v and returns once every one has finished. With
 * threads <= 1 (or one job) they run in index order on the caller's
 * thread; otherwise on up to threads threads, the caller's among them:
 * the caller runs job 0, the k-th thread started job k (so where there
 * are as many threads as jobs, each job always runs on the same thread,
 * and its memory comes from the same malloc arena), and the jobs left
 * over go to whichever thread is free first. The jobs must write nothing
 * they share (each its own
 * arg); the caller reads the results, in order, from the args. A thread
 * that cannot be started leaves its jobs to the others: the results are
 * the same.
 */
void jobs_run(const struct job *v, size_t n, int threads);

/*
 * A job begun beside the caller's work and waited for later, for a fixed
 * cost nothing the caller does next needs (build.c: libzip opened while
 * a small book is read and set, which its EPUB needs only at the end).
 * With threads > 1 it runs on a thread of its own and jobs_aside_begin
 * returns at once; otherwise, or when no thread can start, it runs on the
 * caller's thread before jobs_aside_begin returns, and the result is the
 * same. The thread takes no heap of its own beyond what the job
 * allocates (heap_thread_init is not called). Returns the handle to wait
 * on (malloc'd; jobs_aside_end frees it), or NULL when the job has run.
 */
struct jobs_aside;
struct jobs_aside *jobs_aside_begin(struct job j, int threads);
/* Waits for the job begun by jobs_aside_begin and frees a; NULL is fine.
 * A job its thread has not begun yet runs on the caller, here. */
void jobs_aside_end(struct jobs_aside *a);

/*
 * Items 0..n-1 (a PDF's pages) shared out between jobs running at once:
 * each takes the next few not given out yet until none is left, so a job
 * that started late, or runs slower, takes fewer. Which job makes which
 * item varies from run to run: each item's result must depend on the
 * item alone, and the caller puts the results together in item order.
 */
struct jobs_share {
	_Atomic size_t next;
	size_t n;
};
void jobs_share_init(struct jobs_share *s, size_t n);
/* The next up to step items not given out yet, [*from, *end): true, or
 * false when none is left. */
bool jobs_share_take(struct jobs_share *s, size_t step, size_t *from, size_t *end);

/*
 * A table that jobs running at once share: string keys to pointers (as
 * struct hmap, util.h), behind a lock. Keys and values are the callers':
 * they must stay alive and unchanged until the table is freed. nmaps
 * tables in one (index map). Never fails (out of memory aborts).
 */
struct jobs_table;
struct jobs_table *jobs_table_new(size_t nmaps);
/* The value stored under key (len bytes) in table map, or NULL. */
void *jobs_table_get(struct jobs_table *t, size_t map, const char *key, size_t len);
/* Stores val under key unless a value is stored there already; returns
 * the value stored under key now. */
void *jobs_table_put(struct jobs_table *t, size_t map, const char *key, size_t len, void *val);
/* Frees the table (not its keys or values); NULL is fine. */
void jobs_table_free(struct jobs_table *t);

/*
 * The threads jobs_run has started in this process so far, the callers'
 * own not counted (octavo build --verbose prints it: "threads: N").
 * jobs_aside_begin's are counted apart: jobs_aside_started.
 */
unsigned jobs_started(void);
unsigned jobs_aside_started(void);

/*
 * Whether a thread pays for a book of bytes bytes of Markdown (the files
 * its parts are read from): threads when it holds at least
 * jobs_min_bytes(), else 1. Every use of jobs_run on a book's work asks
 * this first; the answer changes when the work runs, never what it makes.
 */
int jobs_for(int threads, long long bytes);

/* The least Markdown a thread starts for: $OCTAVO_JOBS_MIN when it is a
 * whole number of bytes (0: threads for any book, as the tests that
 * check the join want), else JOBS_MIN_BYTES. */
long long jobs_min_bytes(void);

/* Parses a number of bytes ($OCTAVO_JOBS_MIN): a whole number from 0, no
 * sign, no unit. Returns it, or -1 when s is not one. */
long long jobs_parse_bytes(const char *s);

/*
 * The number of threads to use when none is asked for: the processors
 * online (at least 1, at most JOBS_MAX).
 */
int jobs_default(void);

/*
 * Parses a thread count ("--jobs 4", OCTAVO_JOBS=4): a whole number from 1
 * to JOBS_MAX. Returns it, or 0 when s is not one.
 */
int jobs_parse(const char *s);

#endif
