/*
 * input.c - how the book stage opens the manuscript's files: each one
 * confined to the manuscript folder (or octavo's own), opened once, and
 * checked to be UTF-8 text. Every loader in book/ (book.yaml, parts,
 * styles, images, covers) calls these; they call nothing else in book/.
 */
#define _XOPEN_SOURCE 700
#include "book-int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ===== UTF-8 check ===================================================== */

/* Whether none of the 8 bytes at s is NUL or above ASCII: then they are
 * all plain ASCII (the exact test: a zero byte makes (w - 0x01..) & ~w
 * set its top bit, a byte above 0x7F has it set already). */
static bool ascii8(const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, sizeof(w));
	const uint64_t ones = UINT64_C(0x0101010101010101), tops = UINT64_C(0x8080808080808080);
	return !((((w - ones) & ~w) | w) & tops);
}

int check_utf8(const char *path, const char *text, size_t len, struct diag *d)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		/* ASCII but NUL, most of any Markdown: 8 bytes at a time, no
		 * decoding (the Node.js docs: 39 M instructions a byte at a
		 * time, with the lines counted, against a few M) */
		while (i + 8 <= len && ascii8(s + i))
			i += 8;
		if (i >= len)
			break;
		if (s[i] - 1u < 0x7F) {
			i++;
			continue;
		}
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		if (n > 0 && cp != 0) {
			i += (size_t)n;
			continue;
		}
		/* The line and column counted only now: columns count
		 * characters, as editors show them. */
		int line = 1;
		size_t line_start = 0;
		for (size_t j = 0; j < i; j++)
			if (s[j] == '\n') {
				line++;
				line_start = j + 1;
			}
		int col = 1;
		for (size_t j = line_start; j < i;) {
			uint32_t c2;
			int m = utf8_decode(s + j, i - j, &c2);
			j += m > 0 ? (size_t)m : 1;
			col++;
		}
		if (n < 0)
			diag_error(d, path, line, col, "invalid UTF-8 byte 0x%02X at byte offset %zu",
				   s[i], i);
		else
			diag_error(d, path, line, col, "NUL byte at byte offset %zu", i);
		diag_hint(d, "save the file as UTF-8");
		return -1;
	}
	return 0;
}

/* ===== confinement ===================================================== */

/* Whether the file at path now is the one st describes. */
static bool same_inode(const char *path, const struct stat *st)
{
	struct stat now;
	return stat(path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino;
}

/* The index of the first of roots (NULL-terminated; NULLs inside are
 * skipped) that holds the real path r, or -1. */
static int root_of(const char *r, const char *const *roots)
{
	for (int i = 0; roots[i]; i++) {
		char *root = realpath(roots[i], NULL);
		if (!root)
			continue;
		size_t n = strlen(root);
		bool in = !strncmp(r, root, n) && (r[n] == '/' || (n == 1 && root[0] == '/'));
		free(root);
		if (in)
			return i;
	}
	return -1;
}

int resolve_inside(const char *path, const char *const *roots, char **real)
{
	char *r = realpath(path, NULL);
	if (!r)
		return -1;
	if (root_of(r, roots) < 0) {
		free(r);
		return 1;
	}
	if (real)
		*real = r;
	else
		free(r);
	return 0;
}

/*
 * The real path of the file fd is open on, as the kernel names it, so that
 * no lookup by name can be raced; NULL when /proc is not there to ask.
 */
static char *fd_real_path(int fd)
{
	char link[64], buf[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	if (n <= 0 || (size_t)n >= sizeof(buf) - 1 || buf[0] != '/')
		return NULL; /* none, or perhaps cut short */
	return xstrndup(buf, (size_t)n);
}

/* "part 'x.md'", or what alone when there is no name ("book.yaml"). */
static void subject(struct strbuf *sb, const char *what, const char *name)
{
	if (name)
		sb_addf(sb, "%s '%s'", what, name);
	else
		sb_adds(sb, what);
}

int bk_open_confined(const char *path, const char *const *roots, const char *what,
		     const char *name, const char *where, int line, int col, struct diag *d,
		     struct stat *st, char **real)
{
	struct strbuf subj = STRBUF_INIT;
	subject(&subj, what, name);
	int fd = -1, e = 0;
	char *r = realpath(path, NULL), *at = NULL;
	if (!r) {
		e = errno;
		diag_error(d, where, line, col, "cannot read %s: %s", subj.buf, strerror(e));
		goto fail;
	}
	/* Outside the roots nothing is opened, not even to say what it is. */
	if (root_of(r, roots) < 0)
		goto outside;
	fd = open_regular(r, st);
	if (fd < 0) {
		e = errno;
		if (e == EINVAL && st->st_mode)
			diag_error(d, where, line, col, "%s is %s, not a regular file", subj.buf,
				   file_kind(st->st_mode));
		else
			diag_error(d, where, line, col, "cannot read %s: %s", subj.buf,
				   strerror(e));
		goto fail;
	}
	/* The confinement that counts is of what was opened: a name swapped
	 * for a symlink since realpath must not lead out. Without /proc, the
	 * file at the checked name must at least be the one opened. */
	at = fd_real_path(fd);
	if (at ? root_of(at, roots) < 0 : !same_inode(r, st))
		goto outside;
	/* A hard link is a second name for a file's data: made inside the
	 * manuscript to a file elsewhere (a css hard-linked to /etc/passwd),
	 * it leads out as a symlink does, and no path shows it. octavo's own
	 * folders are the installer's, not the manuscript's, so only files in
	 * the manuscript (roots[0]) must have one name. */
	const char *const mroots[] = {roots[0], NULL};
	if (st->st_nlink > 1 && root_of(at ? at : r, mroots) == 0) {
		e = EMLINK;
		diag_error(d, where, line, col, "%s is a hard link (%ju names for one file)",
			   subj.buf, (uintmax_t)st->st_nlink);
		diag_hint(d, "hard links can reach files outside the manuscript; copy the file "
			     "instead");
		goto fail;
	}
	free(at);
	sb_release(&subj);
	if (real)
		*real = r;
	else
		free(r);
	return fd;
outside:
	e = EPERM;
	diag_error(d, where, line, col, "%s is outside the manuscript%s", subj.buf,
		   roots[0] && roots[1] ? " and octavo's own folders" : " directory");
	if (name) {
		struct stat lst;
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			diag_hint(d, "'%s' is a symbolic link to a file elsewhere: copy the file in",
				  name);
		else
			diag_hint(d, "'%s' leads through a symbolic link to a folder elsewhere: copy "
				     "the file in",
				  name);
	}
fail:
	if (fd >= 0)
		close(fd);
	free(at);
	free(r);
	sb_release(&subj);
	errno = e;
	return -1;
}
