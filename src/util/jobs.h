/*
 * jobs.h - the one place octavo runs work on more than one thread.
 *
 * Every stage is single-threaded: it runs on its caller's thread and
 * starts none. Threads are kept only where they were measured to pay more
 * than 5 ms of wall time on the edition on two cores, and there are three
 * such places: the pair of editions (the PDF and the EPUB share nothing
 * but the read-only book, so src/cli/build.c writes them as two jobs),
 * the book's Markdown read beside its hyphenation patterns (two jobs in
 * build.c's load_book), and the main matter's parts, set in two runs and
 * joined in order (src/layout/parallel.c). What each thread is worth, and
 * the threads measured and removed, are listed in src/cli/build.c.
 *
 * --jobs N and $OCTAVO_JOBS set the number of threads; 1 runs everything,
 * in order, on the caller's thread. Either way the files are the same
 * bytes (tests/suites/pipe13.sh checks it).
 */
#ifndef OCTAVO_JOBS_H
#define OCTAVO_JOBS_H

#include <stddef.h>

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
 * thread; otherwise on up to threads threads, the caller's among them, in
 * no set order. The jobs must write nothing they share (each its own
 * arg); the caller reads the results, in order, from the args. A thread
 * that cannot be started leaves its jobs to the others: the results are
 * the same.
 */
void jobs_run(const struct job *v, size_t n, int threads);

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
