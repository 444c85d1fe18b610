/*
 * heapgrow.c - a big book's heaps on huge pages for the whole build
 * (heap_grow_huge, heap_thread_grow_huge).
 *
 * heap_init (heap.c) backs the main heap's first 16 MB with transparent
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
 * writable whole when the thread begins, so that its 2 MB pieces are
 * whole when touched: the reserve that follows its writable start, as
 * /proc/self/maps shows it, and nothing when it is not as expected. Both are address space: nothing is resident until
 * touched, and the peak resident set is the same (the Node docs: 123 ->
 * 124 MB, the 2 MB essay of tests/scale.sh 66.8 -> 66.7 MB).
 *
 * Best effort, as heap.c: without brk, madvise or THP, nothing changes
 * but the glibc settings. Not for a book that gives back what a stage
 * freed (src/cli/build.c's GIVE_BACK_BOOK): there trimming is the point.
 */
#define _DEFAULT_SOURCE /* sbrk, madvise */
#include "util.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define GROW_BY (120 * 1024)          /* under glibc's mmap threshold */
#define TOP_PAD (8 << 20)             /* heap_init's growth after its first */
#define MOST ((size_t)512 << 20)      /* twice this still fits mallopt's int */
#define THREAD_HEAP ((uintptr_t)64 << 20) /* glibc's HEAP_MAX_SIZE, as heap.c */

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
	mallopt(M_TOP_PAD, TOP_PAD);
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

void heap_thread_grow_huge(void)
{
#ifdef MADV_HUGEPAGE
	if (!thread_whole)
		return;
	/* glibc keeps what it made writable (mprotect_size) and asks again
	 * only past it: writable already, its asking changes nothing. */
	void *p = malloc(1);
	char *brk_now = sbrk(0);
	if (p && (uintptr_t)p > (uintptr_t)brk_now) {
		uintptr_t lo = (uintptr_t)p & ~(THREAD_HEAP - 1);
		uintptr_t end = reserve_end(lo);
		if (end > lo)
			mprotect((void *)lo, end - lo, PROT_READ | PROT_WRITE);
	}
	free(p);
#endif
}
