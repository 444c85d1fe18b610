/*
 * term.c - stage-level progress on stderr: one line on a terminal that each
 * stage rewrites, a line per finished stage with -v, nothing otherwise.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <time.h>

double cli_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(struct cli_progress *p, bool tty, bool verbose, struct diag *d)
{
	p->tty = tty;
	p->verbose = verbose;
	p->d = d;
	p->t0 = cli_now();
}

void cli_progress_clear(struct cli_progress *p)
{
	if (p->d->status) {
		fputs("\r\033[K", stderr);
		p->d->status = false;
	}
}

void cli_progress_stage(struct cli_progress *p, const char *fmt, ...)
{
	if (!p->tty)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("\r\033[Koctavo: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("...", stderr);
	fflush(stderr);
	va_end(ap);
	/* A diagnostic printed now clears the line before it (util.c). */
	p->d->status = true;
}

void cli_progress_done(struct cli_progress *p, const char *fmt, ...)
{
	if (!p->verbose)
		return;
	cli_progress_clear(p);
	va_list ap;
	va_start(ap, fmt);
	fputs("octavo: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (%.0f ms)\n", (cli_now() - p->t0) * 1000);
	va_end(ap);
}
