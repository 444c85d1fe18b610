/*
 * heap.c - the process's heap set up once at start-up: two arenas (the
 * caller's and one for a second thread), each backed by transparent huge
 * pages where the kernel offers them (madvise mode): the main heap's
 * first HEAP_HUGE bytes, and a thread's heap when the thread begins
 * (heap_thread_init, from src/util/jobs.c).
 *
 * Why: a build touches some 15 MB of fresh heap, and on the virtual
 * machines octavo is measured on every first touch of a 4 KB page is a
 * page fault costing several microseconds: 3,700 faults, a fifth of the
 * edition's CPU time. Backed by 2 MB pages the same memory takes a few
 * dozen faults. glibc does this itself under GLIBC_TUNABLES=
 * glibc.malloc.hugetlb=1, which a program cannot set for itself; so the
 * main heap is grown once past HEAP_HUGE (virtual memory: nothing is
 * resident until touched) and that range advised. The brk heap does not
 * keep the advice when it grows again, hence one large growth, which
 * glibc may not give back (trim) while less than TRIM_AT is free at its
 * top: a book the size of the edition keeps it all; a big one (a 2 MB
 * essay peaks at 85 MB) still gives back what it frees, as its peak
 * resident set did before.
 *
 * A second thread has an arena of its own: when both threads set parts
 * at once (src/layout/parallel.c) and shared the main arena, its lock
 * made some 350 context switches a build and 60 ms of CPU more than one
 * thread, eating the whole gain. A glibc heap other than the main one is
 * a 64 MB mapping aligned to its size, so the thread advises the one its
 * first block lies in; unadvised, its 4 KB faults (2,400 a build against
 * 1,000) cost as much as the lock did.
 *
 * Best effort: when the heap is not brk's (or madvise or THP is not
 * there) nothing changes but the glibc settings.
 */
#define _DEFAULT_SOURCE /* sbrk, madvise */
#include "util.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEAP_HUGE ((size_t)16 << 20) /* address space, not memory */
#define TRIM_AT ((size_t)32 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)
#define GROW_BY (120 * 1024)         /* under glibc's mmap threshold */
#define TOP_PAD ((size_t)8 << 20)     /* growth after the first */
#define MOST ((size_t)512 << 20)      /* heap_grow_huge's most: twice fits mallopt's int */
#define HEAD_SLACK 32                /* a block's header and rounding */

/* The blocks skip_head keeps (reachable, so that no leak checker
 * counts them). */
static void *head[HUGE_PAGE / GROW_BY + 4];

/*
 * The heap below lo, its first huge page, taken up by blocks that are
 * never used, so that malloc begins the build's memory at lo. Where brk
 * starts is random: between the heap's start and lo lie 0 to 2 MB of 4
 * KB pages, and the first allocations touched each (a single essay's
 * build: 480 to 960 page faults, run to run, the same work). A block
 * kept is virtual memory: only its header's page is touched. Blocks come
 * from the heap's top (nothing freed is that big yet), each under the
 * mmap threshold; the last ends at lo.
 */
static void skip_head(uintptr_t lo)
{
	for (size_t i = 0; i < ARRAY_LEN(head); i++) {
		char *p = malloc(GROW_BY);
		if (!p)
			return;
		if ((uintptr_t)p >= lo) { /* past lo already */
			free(p);
			return;
		}
		if ((uintptr_t)p + GROW_BY + 2 * HEAD_SLACK <= lo) {
			head[i] = p; /* wholly below lo: kept */
			continue;
		}
		free(p); /* back into the top: the last block ends at lo */
		if (lo - (uintptr_t)p > 2 * HEAD_SLACK)
			head[i] = malloc(lo - (uintptr_t)p - HEAD_SLACK);
		return;
	}
}

void heap_init(void)
{
	mallopt(M_ARENA_MAX, 2);
	mallopt(M_TRIM_THRESHOLD, (int)TRIM_AT);
	mallopt(M_TOP_PAD, (int)HEAP_HUGE);
#ifdef MADV_HUGEPAGE
	/* Grow the heap once: a few blocks until brk moves. */
	char *before = sbrk(0);
	void *volatile block[8] = {0};
	for (size_t i = 0; i < ARRAY_LEN(block) && sbrk(0) == before; i++)
		block[i] = malloc(GROW_BY);
	char *top = sbrk(0);
	uintptr_t lo = 0;
	if (before != (char *)-1 && top != (char *)-1 && (size_t)(top - before) >= HEAP_HUGE) {
		lo = ((uintptr_t)top - HEAP_HUGE + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		madvise((void *)lo, (size_t)((uintptr_t)top - lo), MADV_HUGEPAGE);
	}
	for (size_t i = 0; i < ARRAY_LEN(block); i++)
		free(block[i]);
	if (lo)
		skip_head(lo);
#endif
	/* Later growth 8 MB at a time: glibc grows a heap a page run at a
	 * time otherwise, each with a system call (550 a build once; a
	 * single essay 26 -> 17 ms when this came in, in main.c). */
	mallopt(M_TOP_PAD, (int)TOP_PAD);
}

/* glibc's heaps other than the main one are HEAP_MAX_SIZE mappings (64
 * MB on 64-bit systems) aligned to their size; a thread's first block
 * lies in its own. Were glibc's heaps ever smaller, the advice would
 * reach a neighbouring mapping: more huge pages there, nothing worse. */
#define THREAD_HEAP ((uintptr_t)64 << 20)

/*
 * A big book's heaps on huge pages for the whole build (heap_grow_huge,
 * and heap_thread_init once it has been called).
 *
 * heap_init backs the main heap's first 16 MB with transparent
 * huge pages, and heap_thread_init a thread's heap as far as glibc first
 * makes it writable (8 MB): enough for the edition, whose build touches
 * some 15 MB. A book of megabytes touches far more (the Node.js docs, 3.4
 * MB of Markdown: a peak of 123 MB). glibc grows the brk heap past those
 * 16 MB without the advice, and a thread's heap a few pages at a time
 * (mprotect), so that no 2 MB of it is ever whole when first touched: all
 * of it came in 4 KB pages, a page fault each. On the virtual machines
 * octavo is measured on, that was 28,700 faults a build, 0.35 s of system
 * time and more of user time in TLB misses (1.95 s of CPU in all, against
 * 1.52 s with every heap advised, as GLIBC_TUNABLES=glibc.malloc.hugetlb=1
 * does; a program cannot set that for itself).
 *
 * So such a book's main heap is grown once more, as heap_init grows it:
 * a few blocks until brk moves past a top pad of the size wanted, that
 * range advised, the blocks freed; glibc trims the heap only once twice
 * that is free at its top, so the advised range stays the heap's. And a
 * thread's heap (a 64 MB mapping aligned to its size, heap.c) is made
 * writable whole when the thread begins (heap_thread_init), so that its
 * 2 MB pieces are whole when touched: the reserve that follows its
 * writable start, as /proc/self/maps shows it, and nothing when it is
 * not as expected. Both are address space: nothing is resident until
 * touched, and the peak resident set is the same (the Node docs: 123 ->
 * 124 MB, the 2 MB essay of tests/scale.sh 66.8 -> 66.7 MB).
 *
 * Best effort, as heap.c: without brk, madvise or THP, nothing changes
 * but the glibc settings. Not for a book that gives back what a stage
 * freed (src/cli/build.c's GIVE_BACK_BOOK): there trimming is the point.
 */

static size_t grown;      /* the most asked for yet (octavo watch asks again) */
static bool thread_whole; /* set before any thread starts */


void heap_grow_huge(size_t bytes)
{
#ifdef MADV_HUGEPAGE
	if (bytes > MOST)
		bytes = MOST;
	char *before = sbrk(0);
	if (bytes <= grown || before == (char *)-1)
		return;
	grown = bytes;
	thread_whole = true;
	mallopt(M_TRIM_THRESHOLD, (int)(2 * bytes));
	mallopt(M_TOP_PAD, (int)bytes);
	/* What the heap's top holds free now, taken a block at a time
	 * until brk moves (by the pad). */
	struct mallinfo2 mi = mallinfo2();
	size_t most = mi.keepcost / GROW_BY + 8;
	void **block = xcalloc(most, sizeof(*block));
	size_t n = 0;
	while (n < most && sbrk(0) == before)
		block[n++] = malloc(GROW_BY);
	char *top = sbrk(0);
	if (top != (char *)-1 && top > before) {
		uintptr_t lo = ((uintptr_t)before + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		if (lo < (uintptr_t)top)
			madvise((void *)lo, (size_t)((uintptr_t)top - lo), MADV_HUGEPAGE);
	}
	for (size_t i = 0; i < n; i++)
		free(block[i]);
	free(block);
	mallopt(M_TOP_PAD, (int)TOP_PAD);
#else
	(void)bytes;
#endif
}

/* The end of the reserve (PROT_NONE, anonymous) that follows the writable
 * start of the thread heap at lo, as /proc/self/maps shows them, or 0
 * when they are not so: then nothing is made writable, so that a guard
 * page or another mapping is never touched. */
static uintptr_t reserve_end(uintptr_t lo)
{
	FILE *f = fopen("/proc/self/maps", "re");
	if (!f)
		return 0;
	char line[512];
	uintptr_t rw_end = 0, end = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b, off;
		char perms[8];
		unsigned dmaj, dmin;
		unsigned long ino;
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &a, &b, perms, &off, &dmaj, &dmin,
			   &ino) != 7)
			continue;
		if (a == lo && !strcmp(perms, "rw-p") && ino == 0)
			rw_end = b;
		else if (rw_end && a == rw_end && !strcmp(perms, "---p") && ino == 0 &&
			 b <= lo + THREAD_HEAP)
			end = b;
	}
	fclose(f);
	return end;
}

void heap_thread_init(void)
{
#ifdef MADV_HUGEPAGE
	void *p = malloc(1);
	uintptr_t lo = (uintptr_t)p & ~(THREAD_HEAP - 1);
	char *brk_now = sbrk(0);
	if (p && (uintptr_t)p > (uintptr_t)brk_now) {
		madvise((void *)lo, THREAD_HEAP, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
		/* glibc wrote the heap's header before the advice, so its
		 * first 2 MB are 4 KB pages, and a thread setting half the
		 * parts touched all of them, one fault each: 510 faults,
		 * against 1,100 for the whole build on one thread. One call
		 * maps them instead (Linux 5.14; before it, nothing happens).
		 * The heap's first 8 MB are writable (M_TOP_PAD), so the
		 * range is. */
		uintptr_t from = (uintptr_t)p & ~(uintptr_t)4095;
		if (from < lo + HUGE_PAGE)
			madvise((void *)from, lo + HUGE_PAGE - from, MADV_POPULATE_WRITE);
#endif
		/* After heap_grow_huge, the whole heap writable now. glibc
		 * keeps what it made writable (mprotect_size) and asks again
		 * only past it: writable already, its asking changes nothing. */
		uintptr_t end = thread_whole ? reserve_end(lo) : 0;
		if (end > lo)
			mprotect((void *)lo, end - lo, PROT_READ | PROT_WRITE);
	}
	free(p);
#endif
}

/* glibc's malloc_trim(0) releases, in every arena, the whole pages of
 * its free chunks (madvise) as well as the top of the main heap. Without
 * it a heap keeps what a stage freed resident: the next stage reuses it
 * only in the same arena, and the thread that parsed a big essay's
 * Markdown (jobs_run gives the parse to whichever thread is first) left
 * its 400 MB of parse trees in the second arena while the layout grew in
 * the first (a 50 MB essay's peak 1,078 or 1,330 MB, run to run). The
 * price is a page fault for each released page touched again, so it is
 * for big books only (src/cli/build.c decides, for its stages, the
 * PDF writer and the cover). */
void heap_give_back(void)
{
	malloc_trim(0);
}
