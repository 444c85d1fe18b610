/*
 * jobs.c - independent jobs on a few threads (see jobs.h): each thread,
 * the caller's among them, takes the next job not yet taken until none is
 * left; and the one table such jobs may share, behind a lock.
 */
#define _POSIX_C_SOURCE 200809L
#include "jobs.h"
#include "util.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* Threads jobs_run has started in this process (jobs_started), and
 * jobs_aside_begin (jobs_aside_started). */
static atomic_uint started_total;
static atomic_uint aside_total;

struct pool {
	const struct job *v;
	size_t n;
	atomic_size_t next; /* the next job no thread has been given */
};

/* A started thread's work: its own first job, then whatever is left. */
struct worker {
	struct pool *p;
	size_t first;
};

static void drain(struct pool *p)
{
	for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
		p->v[i].run(p->v[i].arg);
}

static void *work(void *arg)
{
	const struct worker *w = arg;
	heap_thread_init();
	w->p->v[w->first].run(w->p->v[w->first].arg);
	drain(w->p);
	return NULL;
}

/* Each thread's first job is set before any starts: the caller's is job
 * 0 and the k-th started thread's job k, so with as many threads as jobs
 * (every use has two) each job runs on the same thread every time. Taken
 * first come, first served, a thread scheduled before its caller took
 * job 0 - the book's Markdown, the first half's parts, the PDF - and put
 * what it made in the second malloc arena, where the next stage could not
 * reuse it: a 2 MB essay peaked at 93 MB instead of 79, now and then
 * (tests/scale.sh failed so in CI). */
void jobs_run(const struct job *v, size_t n, int threads)
{
	if (threads <= 1 || n <= 1) {
		for (size_t i = 0; i < n; i++)
			v[i].run(v[i].arg);
		return;
	}
	size_t extra = (size_t)(threads < JOBS_MAX ? threads : JOBS_MAX) - 1;
	if (extra > n - 1)
		extra = n - 1;
	struct pool p = {v, n, 1 + extra};
	pthread_t th[JOBS_MAX];
	struct worker w[JOBS_MAX];
	size_t started = 0;
	for (; started < extra; started++) {
		w[started] = (struct worker){&p, 1 + started};
		if (pthread_create(&th[started], NULL, work, &w[started]) != 0)
			break;
	}
	atomic_fetch_add(&started_total, (unsigned)started);
	v[0].run(v[0].arg);
	/* Jobs kept for threads that could not start: the caller's. */
	for (size_t i = 1 + started; i < 1 + extra; i++)
		v[i].run(v[i].arg);
	drain(&p);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

/* ===== a job beside ================================================== */

struct jobs_aside {
	pthread_t th;
	struct job j;
	atomic_bool taken; /* the job begun, by the thread or the caller */
};

static void *aside(void *arg)
{
	struct jobs_aside *a = arg;
	if (!atomic_exchange(&a->taken, true))
		a->j.run(a->j.arg);
	return NULL;
}

struct jobs_aside *jobs_aside_begin(struct job j, int threads)
{
	if (threads > 1) {
		struct jobs_aside *a = xmalloc(sizeof(*a));
		a->j = j;
		atomic_init(&a->taken, false);
		if (pthread_create(&a->th, NULL, aside, a) == 0) {
			atomic_fetch_add(&aside_total, 1);
			return a;
		}
		free(a);
	}
	j.run(j.arg);
	return NULL;
}

/* A job its thread has not begun yet (a busy machine has given it no core
 * since) is run here rather than waited for: the thread, when it runs,
 * finds it taken and ends at once, most likely while the caller runs it. */
void jobs_aside_end(struct jobs_aside *a)
{
	if (!a)
		return;
	if (!atomic_exchange(&a->taken, true))
		a->j.run(a->j.arg);
	pthread_join(a->th, NULL);
	free(a);
}

unsigned jobs_aside_started(void)
{
	return atomic_load(&aside_total);
}

/* ===== items jobs share out ========================================== */

void jobs_share_init(struct jobs_share *s, size_t n)
{
	atomic_init(&s->next, 0);
	s->n = n;
}

bool jobs_share_take(struct jobs_share *s, size_t step, size_t *from, size_t *end)
{
	size_t i = atomic_fetch_add(&s->next, step);
	if (i >= s->n)
		return false;
	*from = i;
	*end = s->n - i < step ? s->n : i + step;
	return true;
}

/* ===== a table jobs share ============================================= */

struct jobs_table {
	pthread_mutex_t lock;
	size_t n;
	struct hmap maps[];
};

struct jobs_table *jobs_table_new(size_t nmaps)
{
	struct jobs_table *t = xcalloc(1, sizeof(*t) + nmaps * sizeof(t->maps[0]));
	pthread_mutex_init(&t->lock, NULL);
	t->n = nmaps;
	for (size_t i = 0; i < nmaps; i++)
		hmap_init(&t->maps[i]);
	return t;
}

void *jobs_table_get(struct jobs_table *t, size_t map, const char *key, size_t len)
{
	assert(map < t->n);
	pthread_mutex_lock(&t->lock);
	void *v = hmap_get(&t->maps[map], key, len);
	pthread_mutex_unlock(&t->lock);
	return v;
}

void *jobs_table_put(struct jobs_table *t, size_t map, const char *key, size_t len, void *val)
{
	assert(map < t->n && val);
	pthread_mutex_lock(&t->lock);
	void *v = hmap_get(&t->maps[map], key, len);
	if (!v)
		hmap_put(&t->maps[map], key, len, v = val);
	pthread_mutex_unlock(&t->lock);
	return v;
}

void jobs_table_free(struct jobs_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		hmap_release(&t->maps[i]);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

unsigned jobs_started(void)
{
	return atomic_load(&started_total);
}

/* ===== whether a thread pays ========================================== */

long long jobs_parse_bytes(const char *s)
{
	if (!s || *s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	return *end || errno ? -1 : n;
}

long long jobs_min_bytes(void)
{
	long long n = jobs_parse_bytes(getenv("OCTAVO_JOBS_MIN"));
	return n < 0 ? JOBS_MIN_BYTES : n;
}

int jobs_for(int threads, long long bytes)
{
	return bytes >= jobs_min_bytes() ? threads : 1;
}

int jobs_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > JOBS_MAX ? JOBS_MAX : (int)n;
}

int jobs_parse(const char *s)
{
	if (!s || *s < '0' || *s > '9')
		return 0;
	char *end;
	long n = strtol(s, &end, 10);
	return *end || n < 1 || n > JOBS_MAX ? 0 : (int)n;
}
