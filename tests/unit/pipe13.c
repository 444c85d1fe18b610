/* pipe13.c - the one seam for threads (src/util/jobs.c): every job runs
 * once, whatever the number of threads; one thread runs them in order;
 * thread counts are parsed strictly. */
#include "unit/unit.h"
#include "util/jobs.h"

#include <stdatomic.h>
#include <stddef.h>

struct slot {
	atomic_int *clock; /* shared: the order jobs start in */
	int started;	   /* this job's turn, from clock */
	int runs;
	long sum;
};

static void count(void *arg)
{
	struct slot *s = arg;
	s->started = atomic_fetch_add(s->clock, 1);
	s->runs++;
	for (long i = 0; i < 100000; i++)
		s->sum += i & 7;
}

UNIT_TEST(jobs_run_each_job_once)
{
	int counts[] = {0, 1, 2, 4, 64, 100};
	for (size_t t = 0; t < sizeof(counts) / sizeof(counts[0]); t++) {
		atomic_int clock = 0;
		struct slot s[9] = {{0}};
		struct job v[9];
		for (int i = 0; i < 9; i++) {
			s[i].clock = &clock;
			v[i] = (struct job){count, &s[i]};
		}
		jobs_run(v, 9, counts[t]);
		for (int i = 0; i < 9; i++) {
			UCHECK(s[i].runs == 1, "threads %d: job %d ran %d times", counts[t], i,
			       s[i].runs);
			UCHECK(s[i].sum == 350000, "threads %d: job %d's result %ld", counts[t], i,
			       s[i].sum);
			if (counts[t] <= 1)
				UCHECK(s[i].started == i, "one thread: job %d started %d-th", i,
				       s[i].started);
		}
	}
	jobs_run(NULL, 0, 4); /* nothing to do */
}

UNIT_TEST(jobs_parse_counts)
{
	UCHECK(jobs_parse("1") == 1 && jobs_parse("2") == 2 && jobs_parse("64") == 64,
	       "1, 2 and 64 threads");
	const char *bad[] = {"0",  "65", "-1",	"+2", " 2",
			     "2 ", "2x", "two", "",   "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UCHECK(jobs_parse(bad[i]) == 0, "'%s' is not a thread count", bad[i]);
	UCHECK(jobs_parse(NULL) == 0, "NULL is not a thread count");
	int d = jobs_default();
	UCHECK(d >= 1 && d <= JOBS_MAX, "the default %d is within 1..%d", d, JOBS_MAX);
}
