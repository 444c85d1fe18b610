/* thr13.c - threads only where they pay (src/util/jobs.c): jobs_for
 * starts none for a book under the threshold, $OCTAVO_JOBS_MIN moves it
 * and is parsed strictly, jobs_started counts what jobs_run started, and
 * each job of a pair runs on the same thread every time. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "unit/unit.h"
#include "util/jobs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void nothing(void *arg)
{
	(void)arg;
}

/* Runs f with $OCTAVO_JOBS_MIN set to v (NULL: unset), then puts back
 * what the environment held. */
static void with_min(const char *v, void (*f)(void))
{
	const char *was = getenv("OCTAVO_JOBS_MIN");
	char *keep = was ? strdup(was) : NULL;
	if (v)
		setenv("OCTAVO_JOBS_MIN", v, 1);
	else
		unsetenv("OCTAVO_JOBS_MIN");
	f();
	if (keep)
		setenv("OCTAVO_JOBS_MIN", keep, 1);
	else
		unsetenv("OCTAVO_JOBS_MIN");
	free(keep);
}

static void check_default(void)
{
	UCHECK(jobs_min_bytes() == JOBS_MIN_BYTES, "the default threshold: %lld", jobs_min_bytes());
	UCHECK(jobs_for(2, JOBS_MIN_BYTES - 1) == 1, "a byte under the threshold: one thread");
	UCHECK(jobs_for(2, 0) == 1 && jobs_for(8, 172 * 1024) == 1, "an empty book, the edition: one");
	UCHECK(jobs_for(2, JOBS_MIN_BYTES) == 2 && jobs_for(8, 10 * JOBS_MIN_BYTES) == 8,
	       "at and over the threshold: the threads asked for");
	UCHECK(jobs_for(1, 10 * JOBS_MIN_BYTES) == 1, "--jobs 1 wins over any size");
}

static void check_zero(void)
{
	UCHECK(jobs_min_bytes() == 0, "OCTAVO_JOBS_MIN=0");
	UCHECK(jobs_for(2, 0) == 2 && jobs_for(1, 0) == 1, "0: threads for any book");
}

static void check_moved(void)
{
	UCHECK(jobs_for(2, 4095) == 1 && jobs_for(2, 4096) == 2, "OCTAVO_JOBS_MIN=4096");
}

UNIT_TEST(thr13_jobs_for)
{
	with_min(NULL, check_default);
	with_min("", check_default);
	with_min("1MB", check_default); /* not a number: the default (main.c refuses it) */
	with_min("0", check_zero);
	with_min("4096", check_moved);
}

UNIT_TEST(thr13_parse_bytes)
{
	UCHECK(jobs_parse_bytes("0") == 0 && jobs_parse_bytes("1048576") == 1048576,
	       "0 and 1048576 bytes");
	const char *bad[] = {"", "-1", "+1", " 1", "1 ", "1MB", "1e6", "x", "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UCHECK(jobs_parse_bytes(bad[i]) == -1, "'%s' is not a number of bytes", bad[i]);
	UCHECK(jobs_parse_bytes(NULL) == -1, "NULL is not a number of bytes");
}

UNIT_TEST(thr13_jobs_started)
{
	struct job v[3] = {{nothing, NULL}, {nothing, NULL}, {nothing, NULL}};
	unsigned n0 = jobs_started();
	jobs_run(v, 3, 1);
	jobs_run(v, 1, 4);
	UCHECK(jobs_started() == n0, "one thread, or one job: none started (%u)", jobs_started() - n0);
	jobs_run(v, 3, 2);
	UCHECK(jobs_started() - n0 <= 1, "two threads: at most one started (%u)", jobs_started() - n0);
	unsigned n1 = jobs_started();
	jobs_run(v, 3, 8);
	UCHECK(jobs_started() - n1 <= 2, "three jobs: at most two started (%u)", jobs_started() - n1);
}

/* The thread a job ran on. */
struct where {
	pthread_t th;
	int ran;
};

static void note_thread(void *arg)
{
	struct where *w = arg;
	w->th = pthread_self();
	w->ran++;
}

/* Job 0 on the caller's thread, job 1 on the started one, every time:
 * taken first come, first served, a started thread sometimes took job 0,
 * and what it made went to the other malloc arena (a 2 MB essay's peak 79
 * -> 93 MB now and then). Many rounds, so that a thread that happens to
 * be scheduled first is caught. */
UNIT_TEST(thr13_jobs_placed)
{
	pthread_t me = pthread_self();
	int wrong0 = 0, wrong1 = 0, twice = 0;
	for (int round = 0; round < 200; round++) {
		struct where w[2] = {{.ran = 0}, {.ran = 0}};
		struct job v[2] = {{note_thread, &w[0]}, {note_thread, &w[1]}};
		unsigned n0 = jobs_started();
		jobs_run(v, 2, 2);
		twice += w[0].ran != 1 || w[1].ran != 1;
		wrong0 += !pthread_equal(w[0].th, me);
		/* Where no thread could start, job 1 is the caller's too. */
		wrong1 += jobs_started() != n0 && pthread_equal(w[1].th, me);
	}
	UCHECK(twice == 0, "each job runs once (%d rounds not)", twice);
	UCHECK(wrong0 == 0, "job 0 on the caller's thread (%d of 200 rounds not)", wrong0);
	UCHECK(wrong1 == 0, "job 1 on the started thread (%d of 200 rounds not)", wrong1);
}
