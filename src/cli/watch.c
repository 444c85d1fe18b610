/*
 * watch.c - 'octavo watch': build, then rebuild on every save.
 *
 * inotify watches directories, not files: editors save by writing a new
 * file and renaming it over the old one, which a watch on the old file
 * would not survive. So we watch the manuscript directory and its
 * subdirectories (any file there counts: parts, book.yaml, images) and the
 * directories of the style, stylesheet and fonts (only those files count).
 * Editors' scratch files and our own outputs are ignored. A burst of
 * events (a save is often several) is one rebuild: we wait for QUIET ms
 * of calm first.
 */
#define _GNU_SOURCE /* inotify's IN_* flags and realpath */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS    200	 /* calm needed before a rebuild */
#define MAX_WAIT_MS 2000 /* ... but no longer than this after the first save */
#define MAX_DEPTH   4	 /* subdirectories of the manuscript watched */
#define MASK                                                                                       \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB |         \
	 IN_MOVE_SELF | IN_DELETE_SELF)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct wdir {
	int wd;
	char *dir; /* real path */
	bool all;  /* any file in it counts (the manuscript's directories) */
};

struct watcher {
	int fd;
	struct wdir *v;
	size_t n, cap;
	char **files; /* real paths of the style, stylesheet and fonts */
	size_t nfiles;
	char *outdir; /* real path, or NULL while it does not exist */
	char *root;   /* the manuscript directory's real path, as first seen */
};

/* The real path of path's directory plus its last component, so that
 * "styles/../fonts/x.ttf" and "fonts/x.ttf" compare equal. malloc'd. */
static char *real_file(const char *path)
{
	char *dir = path_dirname(path);
	char *rd = realpath(dir, NULL);
	free(dir);
	const char *base = strrchr(path, '/');
	char *r = path_join(rd ? rd : ".", base ? base + 1 : path);
	free(rd);
	return r;
}

static void add_dir(struct watcher *w, const char *dir, bool all)
{
	char *real = realpath(dir, NULL);
	if (!real)
		return;
	int wd = inotify_add_watch(w->fd, real, MASK | IN_ONLYDIR);
	if (wd < 0) {
		free(real);
		return;
	}
	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].wd == wd) {
			w->v[i].all |= all;
			free(real);
			return;
		}
	}
	GROW(w->v, w->cap, w->n + 1);
	w->v[w->n++] = (struct wdir){wd, real, all};
}

/* The manuscript directory and its subdirectories, not hidden ones nor
 * the output directory. */
static void add_tree(struct watcher *w, const char *dir, int depth)
{
	char *real = realpath(dir, NULL);
	bool skip = !real || (w->outdir && !strcmp(real, w->outdir) && depth > 0);
	free(real);
	if (skip)
		return;
	add_dir(w, dir, true);
	if (depth >= MAX_DEPTH)
		return;
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *de;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		char *sub = path_join(dir, de->d_name);
		struct stat st;
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			add_tree(w, sub, depth + 1);
		free(sub);
	}
	closedir(dp);
}

/* (Re)reads what to watch after a build: new inputs add directories;
 * watches once added stay (a stale one only brings events we ignore). */
static void update(struct watcher *w, const struct cli_opts *o, const struct cli_result *res)
{
	free(w->outdir);
	w->outdir = realpath(o->outdir, NULL);
	add_tree(w, o->dir, 0);
	if (!res->ninputs)
		return; /* the book did not load: keep the files we had */
	for (size_t i = 0; i < w->nfiles; i++)
		free(w->files[i]);
	free(w->files);
	w->files = xcalloc(res->ninputs, sizeof(char *));
	w->nfiles = 0;
	for (size_t i = 0; i < res->ninputs; i++) {
		char *dir = path_dirname(res->inputs[i]);
		add_dir(w, dir, false);
		free(dir);
		w->files[w->nfiles++] = real_file(res->inputs[i]);
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* Editors' scratch files and our own outputs and temporaries. */
static bool ignored(const char *name)
{
	return name[0] == '.' || name[0] == '#' || ends_with(name, "~") ||
	       ends_with(name, ".swp") || ends_with(name, ".swx") || !strcmp(name, "4913") ||
	       strstr(name, ".tmp-") || ends_with(name, ".pdf") || ends_with(name, ".epub") ||
	       ends_with(name, ".changes.txt") || ends_with(name, "-proof.png");
}

/*
 * An editor (or git, or rsync) may replace the manuscript directory, or
 * one under it, by renaming a new one into its place: a watch follows the
 * old directory, so it is dropped and the path watched afresh after the
 * rebuild (update). The manuscript's parent is watched for its name, so
 * that a directory that comes back after a moment is seen too.
 */
static bool relevant(struct watcher *w, const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW)
		return true; /* events were lost: better a build too many */
	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].wd != ev->wd)
			continue;
		if (ev->mask & IN_IGNORED) { /* the watch is gone */
			free(w->v[i].dir);
			w->v[i] = w->v[--w->n];
			return false;
		}
		if (ev->mask & (IN_MOVE_SELF | IN_DELETE_SELF)) {
			inotify_rm_watch(w->fd, ev->wd); /* IN_IGNORED follows */
			return w->v[i].all;
		}
		if (!ev->len)
			return false;
		if (w->v[i].all && !ignored(ev->name))
			return true;
		char *full = path_join(w->v[i].dir, ev->name);
		bool hit = w->root && !strcmp(w->root, full);
		for (size_t k = 0; k < w->nfiles && !hit; k++)
			hit = !strcmp(w->files[k], full);
		free(full);
		return hit;
	}
	return false;
}

/* Reads what events are ready; true when one of them matters. */
static bool drain(struct watcher *w)
{
	_Alignas(struct inotify_event) char buf[16384];
	bool any = false;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof(buf));
		if (n <= 0)
			return any;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			any |= relevant(w, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
}

static void build_once(const struct cli_opts *o, struct watcher *w)
{
	struct cli_result res;
	cli_run(CLI_BUILD, o, false, &res);
	char when[16];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	if (res.status == CLI_OK) {
		fprintf(stderr, "[%s] built %s", when, res.written ? res.written : "nothing");
		if (res.npages)
			fprintf(stderr, ": %zu pages", res.npages);
		fprintf(stderr, " in %.0f ms", res.seconds * 1000);
		if (res.nwarn)
			fprintf(stderr, ", %d warning%s", res.nwarn, res.nwarn == 1 ? "" : "s");
		if (res.changes)
			fprintf(stderr, "; %s", res.changes);
		fputc('\n', stderr);
	} else {
		fprintf(stderr,
			"[%s] build failed with %d error%s; %s keeps the last good edition\n", when,
			res.nerr, res.nerr == 1 ? "" : "s", o->outdir);
	}
	fflush(stderr);
	update(w, o, &res);
	cli_result_release(&res);
}

int cli_watch(const struct cli_opts *o)
{
	struct watcher w = {0};
	w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w.fd < 0) {
		fprintf(stderr, "octavo: error: cannot watch for changes (inotify): %s\n",
			strerror(errno));
		return CLI_IO;
	}
	/* SA_RESTART keeps a build's reads and writes going; poll() is
	 * never restarted, so the loop below sees the signal. */
	struct sigaction sa = {0}, old_int, old_term;
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	stop = 0;

	w.root = realpath(o->dir, NULL);
	if (w.root) {
		char *parent = path_dirname(w.root);
		add_dir(&w, parent, false);
		free(parent);
	}
	fprintf(stderr, "octavo: watching %s; Ctrl-C stops\n", o->dir);
	build_once(o, &w);
	while (!stop) {
		struct pollfd pfd = {w.fd, POLLIN, 0};
		int r = poll(&pfd, 1, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "octavo: error: waiting for changes: %s\n",
				strerror(errno));
			break;
		}
		if (!drain(&w))
			continue;
		/* Debounce: wait for calm, so that a save is one build. */
		double start = cli_now();
		while (!stop && (cli_now() - start) * 1000 < MAX_WAIT_MS) {
			r = poll(&pfd, 1, QUIET_MS);
			if (r == 0)
				break;
			if (r > 0)
				drain(&w);
		}
		if (!stop)
			build_once(o, &w);
	}
	fprintf(stderr, "octavo: stopped watching\n");
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	close(w.fd);
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].dir);
	free(w.v);
	for (size_t i = 0; i < w.nfiles; i++)
		free(w.files[i]);
	free(w.files);
	free(w.outdir);
	free(w.root);
	return CLI_OK;
}
