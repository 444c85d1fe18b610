/* node18d.c - what the PDF's pages made on two threads stand on: items
 * shared out between jobs (jobs_share, src/util/jobs.c) are each given
 * exactly once, whatever the threads; a store's records peeked at
 * (cli_records_peek, src/cli/records.c) are given as get gives them,
 * checked, and leave the store as it was. */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "cli/records.h"
#include "util/jobs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NITEMS 1003

struct taker {
	struct jobs_share *share;
	size_t step;
	unsigned char *seen; /* NITEMS counts, each written by its one taker */
	size_t taken;
};

static void take_all(void *arg)
{
	struct taker *t = arg;
	size_t from, end;
	while (jobs_share_take(t->share, t->step, &from, &end)) {
		for (size_t i = from; i < end; i++)
			t->seen[i]++;
		t->taken += end - from;
	}
}

UNIT_TEST(node18d_share_each_once)
{
	static const size_t steps[] = {1, 7, 8, NITEMS, NITEMS + 5};
	for (int threads = 1; threads <= 2; threads++)
		for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++)
			for (int round = 0; round < 20; round++) {
				struct jobs_share share;
				jobs_share_init(&share, NITEMS);
				unsigned char *seen = calloc(NITEMS, 1);
				struct taker t[2] = {{&share, steps[s], seen, 0},
						     {&share, steps[s], seen, 0}};
				struct job v[2] = {{take_all, &t[0]}, {take_all, &t[1]}};
				jobs_run(v, 2, threads);
				size_t once = 0;
				for (size_t i = 0; i < NITEMS; i++)
					once += seen[i] == 1;
				UCHECK(once == NITEMS && t[0].taken + t[1].taken == NITEMS,
				       "every item given once (step %zu, %d threads): %zu of %d, "
				       "%zu + %zu taken",
				       steps[s], threads, once, NITEMS, t[0].taken, t[1].taken);
				free(seen);
			}
	struct jobs_share none;
	jobs_share_init(&none, 0);
	size_t from = 99, end = 99;
	UCHECK(!jobs_share_take(&none, 8, &from, &end) && from == 99,
	       "nothing to share gives nothing");
}

#define MAGIC "octavo test records 1\n"

UNIT_TEST(node18d_peek)
{
	char *dir = unit_scratch("node18d");
	UCHECK(dir != NULL, "a scratch folder");
	if (!dir)
		return;
	char file[512];
	snprintf(file, sizeof(file), "%s/.book.peek", dir);
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	/* a first build keeps two records */
	struct cli_txn *t = cli_txn_open(dir, "book", true, &d);
	struct cli_records *s = cli_records_open(dir, "book", "peek", MAGIC, t);
	cli_records_put(s, "one", 3, "first", 5);
	cli_records_put(s, "two", 3, "second", 6);
	cli_records_close(s, t);
	UCHECK(cli_txn_commit(t, &d) == 0, "the first build's store committed");
	cli_txn_free(t);
	struct stat st0, st1;
	UCHECK(stat(file, &st0) == 0, "the store written");

	/* a second: peeked at, then taken in order, as the PDF does */
	t = cli_txn_open(dir, "book", true, &d);
	s = cli_records_open(dir, "book", "peek", MAGIC, t);
	size_t n1 = 0, n2 = 0, nx = 0;
	const char *p1 = cli_records_peek(s, "one", 3, &n1);
	const char *p2 = cli_records_peek(s, "two", 3, &n2);
	const char *px = cli_records_peek(s, "three", 5, &nx);
	UCHECK(p1 && n1 == 5 && !memcmp(p1, "first", 5), "peek gives a record's data");
	UCHECK(p2 && n2 == 6 && !memcmp(p2, "second", 6), "peek gives the second");
	UCHECK(!px, "peek gives nothing for a key the store lacks");
	size_t g = 0;
	UCHECK(cli_records_get(s, "one", 3, &g) == p1 && g == 5, "get gives what peek gave");
	UCHECK(cli_records_get(s, "two", 3, &g) == p2 && g == 6, "and the second");
	cli_records_close(s, t);
	UCHECK(cli_txn_commit(t, &d) == 0, "the second build committed");
	cli_txn_free(t);
	UCHECK(stat(file, &st1) == 0 && st1.st_ino == st0.st_ino &&
		   st1.st_mtim.tv_nsec == st0.st_mtim.tv_nsec &&
		   st1.st_mtim.tv_sec == st0.st_mtim.tv_sec,
	       "every record peeked and taken: the store left as it is");

	/* a damaged record: peek refuses it, as get would */
	FILE *f = fopen(file, "r+b");
	UCHECK(f != NULL, "the store opened to damage it");
	if (f) {
		fseek(f, -3, SEEK_END);
		fputc('X', f);
		fclose(f);
	}
	s = cli_records_open(dir, "book", "peek", MAGIC, NULL);
	UCHECK(!cli_records_peek(s, "two", 3, &n2), "a damaged record is not peeked");
	UCHECK(!cli_records_get(s, "two", 3, &n2), "nor got");
	UCHECK(cli_records_peek(s, "one", 3, &n1) != NULL, "its sound neighbour is");
	cli_records_close(s, NULL);
	unit_rm_dir(dir);
	free(dir);
}
