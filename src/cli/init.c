/*
 * init.c - 'octavo init NEWDIR': a small book that builds, to start from.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A version 4 (random) UUID from /dev/urandom into out (37 bytes).
 * Returns 0, or -1 with errno set. */
static int random_uuid(char *out)
{
	unsigned char r[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got < sizeof(r)) {
		ssize_t n = read(fd, r + got, sizeof(r) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			errno = e;
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	r[6] = (unsigned char)((r[6] & 0x0F) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", r[i]);
	}
	return 0;
}

/* "my-new_book" -> "My New Book"; "Untitled Book" when the name is not
 * plain words (it goes into YAML). malloc'd. */
static char *title_of(const char *dir)
{
	char *copy = xstrdup(dir);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	const char *base = strrchr(copy, '/');
	base = base ? base + 1 : copy;
	struct strbuf sb = STRBUF_INIT;
	bool ok = *base && isalpha((unsigned char)*base), start = true;
	for (const char *p = base; *p && ok; p++) {
		if (*p == '-' || *p == '_' || *p == ' ') {
			if (!start)
				sb_addc(&sb, ' ');
			start = true;
		} else if (isalnum((unsigned char)*p)) {
			sb_addc(&sb, start ? (char)toupper((unsigned char)*p) : *p);
			start = false;
		} else {
			ok = false;
		}
	}
	free(copy);
	if (!ok || !sb.len) {
		sb_release(&sb);
		return xstrdup("Untitled Book");
	}
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	return sb_detach(&sb, NULL);
}

static const char part1[] =
    "---\n"
    "title: \"A First Essay\"\n"
    "subtitle: \"What a part looks like\"\n"
    "author: \"An Author\"\n"
    "role: \"Writing in a personal capacity\"\n"
    "---\n"
    "\n"
    "Each part of the book is a Markdown file like this one, listed under\n"
    "'parts' in book.yaml. The front matter above gives its title, subtitle\n"
    "and byline; the text follows it. Write \"quotes\" and -- dashes as you\n"
    "type them, and octavo sets them as curly quotes and proper dashes.\n"
    "\n"
    "## A section\n"
    "\n"
    "A section starts with two hashes. Text can be *emphasised* or set in\n"
    "**bold**, and a note goes at the foot of the page.[^1] A link can lead\n"
    "to another part of the book, as this one leads to the\n"
    "[second essay](02-second-essay.md).\n"
    "\n"
    "> A quotation is set in from both margins, in the manner of a block\n"
    "> quotation in a printed book.\n"
    "\n"
    "[^1]: A note is written like this, anywhere in the part.\n";

static const char part2[] =
    "---\n"
    "title: \"A Second Essay\"\n"
    "author: \"Another Author\"\n"
    "---\n"
    "\n"
    "Build the book with 'octavo build', check it with 'octavo check', and\n"
    "keep it rebuilding as you write with 'octavo watch'. The print edition\n"
    "and the EPUB appear in the out folder.\n"
    "\n"
    "A link can lead to a heading too: here, back to the first essay's\n"
    "[section](01-first-essay.md#essay-01-a-section).\n";

/* Whether dir is absent (made here) or an empty directory. */
static int make_dir(const char *dir, struct diag *d)
{
	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST) {
		diag_error(d, dir, 0, 0, "cannot create the book's directory: %s", strerror(errno));
		return -1;
	}
	DIR *dp = opendir(dir);
	if (!dp) {
		diag_error(d, dir, 0, 0, "exists and is not a directory octavo can use: %s",
			   strerror(errno));
		return -1;
	}
	struct dirent *de;
	bool empty = true;
	while ((de = readdir(dp)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(dp);
	if (!empty) {
		diag_error(d, dir, 0, 0,
			   "already exists and is not empty; octavo init will not "
			   "write over it");
		diag_hint(d, "name a new directory: 'octavo init my-book'");
		return -1;
	}
	return 0;
}

static int put(const char *dir, const char *name, const char *text, size_t len, struct diag *d)
{
	char *path = path_join(dir, name);
	int rc = write_file_atomic(path, text, len);
	if (rc < 0)
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

int cli_init(const char *dir, struct diag *d)
{
	char uuid[37];
	if (random_uuid(uuid) < 0) {
		diag_error(d, "/dev/urandom", 0, 0,
			   "cannot read random bytes for the book's UUID: %s", strerror(errno));
		return CLI_IO;
	}
	if (make_dir(dir, d) < 0)
		return CLI_IO;
	char date[11];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	char *title = title_of(dir);
	struct strbuf y = STRBUF_INIT;
	sb_addf(&y,
		"# %s: the book's metadata and its parts in reading order.\n"
		"# Made by 'octavo init'; see 'man octavo' for every key.\n"
		"title: \"%s\"\n"
		"subtitle: \"A book typeset with octavo\"\n"
		"publisher: \"The Publisher\"\n"
		"language: en-GB               # BCP 47: hyphenation and the EPUB's language\n"
		"creators:\n"
		"  - name: \"The Editor\"\n"
		"    role: editor\n"
		"edition: First edition\n"
		"date: %s              # first published, YYYY-MM-DD\n"
		"rights: \"© The Authors %.4s. All rights reserved.\"\n"
		"identifiers:\n"
		"  uuid: urn:uuid:%s   # made for this book: never change it\n"
		"  isbn-print: \"\"              # assign before printing\n"
		"  isbn-epub: \"\"\n"
		"description: >-\n"
		"  A sentence or two about the book, for catalogues and reading systems.\n"
		"keywords: [essays]\n"
		"style: default                 # styles/default.yaml\n"
		"parts:\n"
		"  - 01-first-essay.md\n"
		"  - 02-second-essay.md\n",
		title, title, date, date, uuid);
	free(title);
	int rc = put(dir, "book.yaml", y.buf, y.len, d);
	sb_release(&y);
	if (rc == 0)
		rc = put(dir, "01-first-essay.md", part1, sizeof(part1) - 1, d);
	if (rc == 0)
		rc = put(dir, "02-second-essay.md", part2, sizeof(part2) - 1, d);
	return rc == 0 ? CLI_OK : CLI_IO;
}
