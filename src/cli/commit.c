/*
 * commit.c - an edition put in place as one unit.
 *
 * A build writes several files into OUTDIR: the PDF, the EPUB, the revision
 * report and its page record, the font cache, the proof's PNGs. Each is
 * first written whole under a staged name, ".SLUG.x.new-PID"; only when
 * every one is complete are they renamed into place, together:
 *
 *   1. OUTDIR/.SLUG.lock is locked (fcntl, so that a waiting build can name
 *      the holder's pid): one build at a time puts files into OUTDIR.
 *   2. OUTDIR/.SLUG.journal lists the group (each file's name, size and
 *      hash), written whole and renamed into place: from here on the
 *      edition is committed, and a build killed below is rolled forward by
 *      the next one.
 *   3. Each old file is kept as a hard link ".SLUG.x.old-PID"; then each
 *      staged file is renamed over its place. A rename that fails puts
 *      every replaced file back from its link.
 *   4. OUTDIR/.SLUG.edition, the manifest (each file, its size and its
 *      hash), is written last; then the journal and the old links go.
 *
 * The next build, once it holds the lock, finishes a journal a killed build
 * left (its staged files are complete: roll forward; if that fails, roll
 * back from the old links) and removes the temporaries of builds whose
 * process is gone: ".SLUG.*.new-PID", ".old-PID", ".tmp-PID" (and the
 * proof's scratch folder, ".SLUG.proof.tmp-PID").
 *
 * Staged and kept names are derived from the file's own name, so a journal
 * needs only the names and the writer's pid.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define JOURNAL_MAGIC  "# octavo journal 1"
#define MANIFEST_MAGIC "# octavo edition 1"
/* How long a build waits for another to finish with OUTDIR, in seconds:
 * long enough for any real build, short enough that a stopped one does
 * not hang a script for ever. OCTAVO_LOCK_WAIT overrides it. */
#define LOCK_WAIT 120

struct entry {
	char *name;   /* in OUTDIR, e.g. "civil-dialogue.pdf" */
	bool remove;  /* remove name rather than replace it */
	bool kept;    /* the old file is linked as the .old name */
	bool placed;  /* renamed into place (or removed) */
	bool hashed;  /* size and hash known for the staged bytes (no read back) */
	long long size;
	uint64_t hash;
};

struct cli_txn {
	char *outdir, *slug;
	int lock_fd;
	long pid;
	struct entry *v;
	size_t n, cap;
	char *staged; /* the last staged path handed out */
};

/* ===== names =========================================================== */

/* name without the slug it starts with ("SLUG.pdf" -> "pdf",
 * ".SLUG.pages" -> "pages", "SLUG-proof.png" -> "proof.png"). */
static const char *tail_of(const char *slug, const char *name)
{
	const char *s = name + (name[0] == '.');
	size_t k = strlen(slug);
	assert(!strncmp(s, slug, k) && (s[k] == '.' || s[k] == '-'));
	return s + k + 1;
}

/* OUTDIR/.SLUG.TAIL.KIND-PID ("new": staged, "old": kept); malloc'd. */
static char *side_path(const char *outdir, const char *slug, const char *name, const char *kind,
		       long pid)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, ".%s.%s.%s-%ld", slug, tail_of(slug, name), kind, pid);
	char *p = path_join(outdir, sb.buf);
	sb_release(&sb);
	return p;
}

static char *in_out(const struct cli_txn *t, const char *name)
{
	return path_join(t->outdir, name);
}

/* ===== hashing ========================================================= */

/* FNV-1a, 64 bits, of a file's bytes; the manifest's hash (python:
 * h = 0xcbf29ce484222325; h = ((h ^ b) * 0x100000001b3) % 2**64). */
int cli_file_hash(const char *path, long long *size, uint64_t *hash)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	uint64_t h = 0xcbf29ce484222325ULL;
	long long total = 0;
	/* From the heap, not the stack: 64 KB of stack the build had not
	 * reached were ten page faults (10-12 us each on the measuring VMs)
	 * a file, where the heap's huge pages are touched already. */
	enum { BUF = 65536 };
	unsigned char *buf = xmalloc(BUF);
	for (;;) {
		ssize_t n = read(fd, buf, BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			free(buf);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 0x100000001b3ULL;
		total += n;
	}
	close(fd);
	free(buf);
	*size = total;
	*hash = h;
	return 0;
}

/* ===== the journal and the manifest ==================================== */

static void entries_format(const struct entry *v, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].remove)
			sb_addf(sb, "remove\t%s\n", v[i].name);
		else
			sb_addf(sb, "put\t%s\t%lld\t%016" PRIx64 "\n", v[i].name, v[i].size,
				v[i].hash);
}

/* Writes OUTDIR/NAME whole under its staged name, then renames it. */
static int write_whole(const struct cli_txn *t, const char *name, const struct strbuf *sb)
{
	char *path = in_out(t, name);
	char *tmp = side_path(t->outdir, t->slug, name, "new", t->pid);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int rc = -1;
	if (fd >= 0) {
		size_t off = 0;
		while (off < sb->len) {
			ssize_t k = write(fd, sb->buf + off, sb->len - off);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				break;
			off += (size_t)k;
		}
		/* Not fsync'd, as write_file_atomic is not: a killed build
		 * is what the journal is for; a power cut is the file
		 * system's to survive. */
		if (off == sb->len && close(fd) == 0)
			rc = rename(tmp, path);
		else
			close(fd);
		if (rc < 0) {
			int e = errno;
			unlink(tmp);
			errno = e;
		}
	}
	free(tmp);
	free(path);
	return rc;
}

/* Parses a journal into v; returns the writer's pid, or -1 for a journal
 * octavo cannot read. */
static long journal_parse(char *text, struct entry **v, size_t *n, size_t *cap)
{
	if (strncmp(text, JOURNAL_MAGIC "\n", sizeof(JOURNAL_MAGIC)))
		return -1;
	long pid = -1;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = {NULL, NULL, NULL, NULL};
		int nf = 0;
		for (char *p = line; nf < 4;) {
			f[nf++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (nf == 2 && !strcmp(f[0], "pid"))
			pid = strtol(f[1], NULL, 10);
		if ((nf == 4 && !strcmp(f[0], "put")) || (nf == 2 && !strcmp(f[0], "remove"))) {
			if (strchr(f[1], '/') || f[1][0] == '\0')
				return -1;
			GROW(*v, *cap, *n + 1);
			(*v)[(*n)++] = (struct entry){
			    .name = xstrdup(f[1]),
			    .remove = nf == 2,
			    .size = nf == 4 ? strtoll(f[2], NULL, 10) : 0,
			    .hash = nf == 4 ? strtoull(f[3], NULL, 16) : 0,
			};
		}
	}
	return pid;
}

/* ===== renames and their undoing ======================================= */

/* Puts entry e back as it was before pid's commit began. */
static void undo(const struct cli_txn *t, const struct entry *e, long pid)
{
	char *path = in_out(t, e->name);
	char *staged = side_path(t->outdir, t->slug, e->name, "new", pid);
	char *old = side_path(t->outdir, t->slug, e->name, "old", pid);
	struct stat st;
	bool moved = e->remove || lstat(staged, &st) != 0;
	if (moved) {
		if (rename(old, path) != 0 && errno == ENOENT && !e->remove)
			unlink(path); /* there was no old file: the new one goes */
	} else {
		unlink(old);
	}
	unlink(staged);
	unlink(old); /* a removal never reached: the link is still there */
	free(old);
	free(staged);
	free(path);
}

/* Puts entry e in place; the old file was kept. Returns 0 or -1 (errno). */
static int place(const struct cli_txn *t, const struct entry *e, long pid)
{
	char *path = in_out(t, e->name);
	char *staged = side_path(t->outdir, t->slug, e->name, "new", pid);
	int rc;
	if (e->remove) {
		rc = unlink(path) != 0 && errno != ENOENT ? -1 : 0;
	} else {
		struct stat st;
		rc = rename(staged, path);
		/* Rolling forward: a file already renamed has no staged name. */
		if (rc != 0 && errno == ENOENT && pid != t->pid && lstat(path, &st) == 0)
			rc = 0;
	}
	int e_ = errno;
	free(staged);
	free(path);
	errno = e_;
	return rc;
}

/* Links each file about to be replaced as its .old name. */
static int keep_old(const struct cli_txn *t, struct entry *e, long pid)
{
	char *path = in_out(t, e->name);
	char *old = side_path(t->outdir, t->slug, e->name, "old", pid);
	unlink(old);
	struct stat st;
	int rc = 0;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR; /* a rename would fail: say so before any */
		rc = -1;
	} else {
		rc = link(path, old);
	}
	if (rc == 0)
		e->kept = true;
	else if (errno == ENOENT)
		rc = 0; /* nothing there to keep */
	int e_ = errno;
	free(old);
	free(path);
	errno = e_;
	return rc;
}

static void drop_old(const struct cli_txn *t, const struct entry *v, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++) {
		char *old = side_path(t->outdir, t->slug, v[i].name, "old", pid);
		unlink(old);
		free(old);
	}
}

static void entries_free(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* ===== recovery ======================================================== */

static char *journal_path(const struct cli_txn *t)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, ".%s.journal", t->slug);
	char *p = in_out(t, sb.buf);
	sb_release(&sb);
	return p;
}

/* Finishes the commit a killed build left in its journal. */
static void recover(struct cli_txn *t, struct diag *d)
{
	char *jp = journal_path(t);
	size_t len;
	char *text = read_file(jp, &len);
	if (!text) {
		free(jp);
		return;
	}
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	long pid = journal_parse(text, &v, &n, &cap);
	free(text);
	if (pid <= 0) {
		diag_warning(d, jp, 0, 0, "not an octavo journal; left alone");
		entries_free(v, n);
		free(jp);
		return;
	}
	size_t i = 0;
	for (; i < n; i++)
		if (place(t, &v[i], pid) != 0)
			break;
	if (i < n) {
		char *p = in_out(t, v[i].name);
		diag_warning(d, p, 0, 0,
			     "cannot finish the edition an interrupted build began: %s; the "
			     "edition before it is put back",
			     strerror(errno));
		free(p);
		for (size_t k = 0; k < n; k++)
			undo(t, &v[k], pid);
	} else {
		drop_old(t, v, n, pid);
	}
	unlink(jp);
	entries_free(v, n);
	free(jp);
}

/* The pids in a temporary's name (".new-123", ".old-45", ".tmp-6"), all
 * gone: 1; some alive, or not octavo's temporary: 0. */
static bool stale(const char *name, long self)
{
	static const char *const marks[] = {".new-", ".old-", ".tmp-"};
	int found = 0;
	for (const char *p = name; *p; p++) {
		for (size_t m = 0; m < ARRAY_LEN(marks); m++) {
			if (strncmp(p, marks[m], 5))
				continue;
			char *end;
			long pid = strtol(p + 5, &end, 10);
			if (end == p + 5 || (*end && *end != '.') || pid <= 0)
				return false;
			if (pid == self || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				return false;
			found++;
		}
	}
	/* ... and the name must end with one of them. */
	const char *last = strrchr(name, '.');
	return found && last && (!strncmp(last, ".new-", 5) || !strncmp(last, ".old-", 5) ||
				 !strncmp(last, ".tmp-", 5));
}

/* Removes dir and the regular files in it (it holds no folders). */
static void remove_flat(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *de;
	while ((de = readdir(dp))) {
		char *p = path_join(dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
			unlink(p);
		free(p);
	}
	closedir(dp);
	rmdir(dir);
}

/* Removes what killed builds of this book left: staged files, kept old
 * files, write_file_atomic's temporaries and the proof's scratch folder,
 * of pids that are gone. */
static void sweep(const struct cli_txn *t)
{
	DIR *dp = opendir(t->outdir);
	if (!dp)
		return;
	size_t k = strlen(t->slug);
	struct dirent *de;
	while ((de = readdir(dp))) {
		const char *s = de->d_name + (de->d_name[0] == '.');
		if (strncmp(s, t->slug, k) || (s[k] != '.' && s[k] != '-') || !stale(s, t->pid))
			continue;
		/* Names not hidden are only write_file_atomic's "NAME.tmp-PID". */
		const char *last = strrchr(s, '.');
		if (s == de->d_name && (strncmp(last, ".tmp-", 5) || strstr(s, ".new-") ||
					strstr(s, ".old-") || strstr(s, ".tmp-") != last))
			continue;
		char *p = in_out(t, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
			unlink(p);
		else if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_flat(p); /* the proof's scratch folder */
		free(p);
	}
	closedir(dp);
}

/* ===== the lock ======================================================== */

static int lock_wait_seconds(void)
{
	const char *env = getenv("OCTAVO_LOCK_WAIT");
	if (env && *env) {
		char *end;
		long s = strtol(env, &end, 10);
		if (!*end && s >= 0 && s < 86400)
			return (int)s;
	}
	return LOCK_WAIT;
}

/* Waits for the lock on fd, at most the bound. Returns 0, or -1 with the
 * holder's pid in *holder (0 when the lock could not be asked for). */
static int lock_out(int fd, const char *outdir, bool quiet, long *holder)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int wait_ms = lock_wait_seconds() * 1000;
	bool said = false;
	*holder = 0;
	for (int waited = 0;; waited += 100) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN && errno != EINTR)
			return -1;
		struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		if (fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK)
			*holder = who.l_pid;
		if (waited >= wait_ms)
			return -1;
		if (!said && !quiet) {
			fprintf(stderr, "octavo: waiting for another build (pid %ld) to finish with %s\n",
				*holder, outdir);
			said = true;
		}
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* ===== the transaction ================================================= */

struct cli_txn *cli_txn_open(const char *outdir, const char *slug, bool quiet, struct diag *d)
{
	struct stat st;
	if (stat(outdir, &st) != 0) {
		/* Another build may make it at the same moment. */
		if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
			diag_error(d, outdir, 0, 0, "cannot create output directory: %s",
				   strerror(errno));
			return NULL;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		diag_error(d, outdir, 0, 0, "output path exists and is not a directory");
		return NULL;
	}
	struct cli_txn *t = xcalloc(1, sizeof(*t));
	t->outdir = xstrdup(outdir);
	t->slug = xstrdup(slug);
	t->pid = (long)getpid();
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, ".%s.lock", slug);
	char *lp = in_out(t, sb.buf);
	sb_release(&sb);
	t->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	long holder = 0;
	if (t->lock_fd < 0) {
		diag_error(d, lp, 0, 0, "cannot open the output folder's lock: %s", strerror(errno));
	} else if (lock_out(t->lock_fd, outdir, quiet, &holder) < 0) {
		if (holder)
			diag_error(d, outdir, 0, 0,
				   "another build (pid %ld) is still writing here after %d s",
				   holder, lock_wait_seconds());
		else
			diag_error(d, lp, 0, 0, "cannot lock the output folder: %s",
				   strerror(errno));
		diag_hint(d, "let it finish or stop it, then build again; or choose another "
			     "output folder with -o");
	} else {
		free(lp);
		recover(t, d);
		sweep(t);
		return t;
	}
	free(lp);
	cli_txn_free(t);
	return NULL;
}

static struct entry *add(struct cli_txn *t, const char *name, bool remove)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name)) {
			t->v[i].remove = remove;
			t->v[i].hashed = false; /* staged again: new bytes */
			return &t->v[i];
		}
	GROW(t->v, t->cap, t->n + 1);
	t->v[t->n] = (struct entry){.name = xstrdup(name), .remove = remove};
	return &t->v[t->n++];
}

const char *cli_txn_stage(struct cli_txn *t, const char *name, struct diag *d)
{
	char *p = side_path(t->outdir, t->slug, name, "new", t->pid);
	const char *base = strrchr(p, '/');
	base = base ? base + 1 : p;
	/* pdf and epub append ".tmp-PID" to the staged name themselves. */
	if (strlen(base) + 16 > CLI_NAME_MAX) {
		if (d)
			diag_error(d, t->outdir, 0, 0, "the output name '%s' is too long for the file system",
			   name);
		free(p);
		return NULL;
	}
	add(t, name, false);
	free(t->staged);
	t->staged = p;
	return p;
}

char *cli_txn_staged_path(const struct cli_txn *t, const char *name)
{
	return side_path(t->outdir, t->slug, name, "new", t->pid);
}

int cli_txn_put(struct cli_txn *t, const char *name, const void *data, size_t len,
		struct diag *d)
{
	const char *p = cli_txn_stage(t, name, d);
	if (!p)
		return -1;
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	const char *s = data;
	size_t off = 0;
	while (fd >= 0 && off < len) {
		ssize_t k = write(fd, s + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		off += (size_t)k;
	}
	if (fd >= 0 && off == len && close(fd) == 0) {
		/* the bytes just written: the manifest's hash without reading
		 * them back */
		struct entry *e = add(t, name, false);
		e->hashed = true;
		e->size = (long long)len;
		e->hash = hash_fnv1a(data, len);
		return 0;
	}
	int e = errno;
	if (fd >= 0 && off != len)
		close(fd);
	if (d) {
		char *path = in_out(t, name);
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(e));
		free(path);
	}
	return -1;
}

void cli_txn_hashed(struct cli_txn *t, const char *name, long long size, uint64_t hash)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name) && !t->v[i].remove) {
			t->v[i].hashed = true;
			t->v[i].size = size;
			t->v[i].hash = hash;
		}
}

void cli_txn_remove(struct cli_txn *t, const char *name)
{
	char *staged = side_path(t->outdir, t->slug, name, "new", t->pid);
	unlink(staged);
	free(staged);
	add(t, name, true);
}

int cli_txn_commit(struct cli_txn *t, struct diag *d)
{
	for (size_t i = 0; i < t->n; i++) {
		struct entry *e = &t->v[i];
		if (e->remove || e->hashed)
			continue;
		char *staged = side_path(t->outdir, t->slug, e->name, "new", t->pid);
		int rc = cli_file_hash(staged, &e->size, &e->hash);
		int err = errno;
		free(staged);
		if (rc < 0) {
			char *p = in_out(t, e->name);
			diag_error(d, p, 0, 0, "cannot read back the new file: %s", strerror(err));
			free(p);
			return -1;
		}
	}
	/* The manifest is the group's last file: renamed into place after
	 * every other, and put back with them if a rename fails. */
	struct strbuf mb = STRBUF_INIT, name = STRBUF_INIT;
	sb_adds(&mb, MANIFEST_MAGIC "\n# the files of the last complete edition: name, size in "
		     "bytes, FNV-1a 64-bit hash\n");
	size_t nfiles = t->n;
	for (size_t i = 0; i < nfiles; i++)
		if (!t->v[i].remove)
			sb_addf(&mb, "%s\t%lld\t%016" PRIx64 "\n", t->v[i].name, t->v[i].size,
				t->v[i].hash);
	sb_addf(&name, ".%s.edition", t->slug);
	int rc = cli_txn_put(t, name.buf, mb.buf, mb.len, d);
	sb_release(&mb);
	if (rc < 0) {
		sb_release(&name);
		return -1;
	}
	struct entry *me = &t->v[t->n - 1];
	assert(!strcmp(me->name, name.buf) && t->n == nfiles + 1);
	char *staged = side_path(t->outdir, t->slug, me->name, "new", t->pid);
	rc = me->hashed ? 0 : cli_file_hash(staged, &me->size, &me->hash);
	free(staged);
	if (rc < 0) {
		diag_error(d, t->outdir, 0, 0, "cannot read back the manifest: %s", strerror(errno));
		sb_release(&name);
		return -1;
	}
	struct strbuf jb = STRBUF_INIT;
	sb_reset(&name);
	sb_addf(&jb, JOURNAL_MAGIC "\n# an edition being put in place: the next build finishes "
			     "it\npid\t%ld\n",
		t->pid);
	entries_format(t->v, t->n, &jb);
	sb_addf(&name, ".%s.journal", t->slug);
	rc = write_whole(t, name.buf, &jb);
	sb_release(&jb);
	sb_release(&name);
	if (rc < 0) {
		diag_error(d, t->outdir, 0, 0, "cannot write the edition's journal: %s",
			   strerror(errno));
		return -1;
	}
	size_t i = 0;
	int err = 0;
	for (; i < t->n; i++)
		if (keep_old(t, &t->v[i], t->pid) != 0) {
			err = errno;
			break;
		}
	if (!err) {
		for (i = 0; i < t->n; i++) {
			if (place(t, &t->v[i], t->pid) != 0) {
				err = errno;
				break;
			}
			t->v[i].placed = true;
		}
	}
	char *jp = journal_path(t);
	if (err) {
		char *p = in_out(t, t->v[i < t->n ? i : t->n - 1].name);
		diag_error(d, p, 0, 0, "cannot put the new edition in place: %s", strerror(err));
		diag_hint(d, "the previous edition in %s is left as it was", t->outdir);
		free(p);
		for (size_t k = 0; k < t->n; k++)
			undo(t, &t->v[k], t->pid);
		unlink(jp);
		free(jp);
		return -1;
	}
	unlink(jp);
	drop_old(t, t->v, t->n, t->pid);
	free(jp);
	entries_free(t->v, t->n);
	t->v = NULL;
	t->n = t->cap = 0;
	return 0;
}

void cli_txn_free(struct cli_txn *t)
{
	if (!t)
		return;
	/* Uncommitted: the staged files go, OUTDIR stays as it was. */
	for (size_t i = 0; i < t->n; i++) {
		char *staged = side_path(t->outdir, t->slug, t->v[i].name, "new", t->pid);
		unlink(staged);
		free(staged);
	}
	entries_free(t->v, t->n);
	if (t->lock_fd >= 0)
		close(t->lock_fd); /* and the lock goes with it */
	free(t->staged);
	free(t->outdir);
	free(t->slug);
	free(t);
}

/* ===== output paths ================================================== */

char *cli_out_path(const char *outdir, const char *name, struct diag *d)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		diag_error(d, NULL, 0, 0,
			   "refusing to write '%s' outside the output directory '%s'", name,
			   outdir);
		return NULL;
	}
	return path_join(outdir, name);
}
