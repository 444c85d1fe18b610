/*
 * peek.c - book.yaml glanced at before it is read: the book's language
 * and the size of the parts it lists, so that a build can start loading
 * the hyphenation patterns on a second core while book_load parses the
 * Markdown (src/cli/build.c). Nothing here is checked or reported:
 * book_load reads the same file again, with every check, and what is
 * glanced at only warms a cache that the checked book then asks.
 */
#define _POSIX_C_SOURCE 200809L
#include "book.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* The largest book.yaml glanced at: a bigger one is left to book_load. */
#define PEEK_MAX (256 * 1024)

/* book.yaml's bytes (malloc'd, *len), when it is a regular file of at
 * most PEEK_MAX bytes; else NULL. Opened without blocking, so that a
 * FIFO (which book_load refuses) cannot stop the build here. */
static char *read_yaml(const char *dir, size_t *len)
{
	char *path = path_join(dir, "book.yaml");
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	free(path);
	struct stat st;
	char *buf = NULL;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size <= PEEK_MAX) {
		buf = xmalloc((size_t)st.st_size);
		ssize_t got = read(fd, buf, (size_t)st.st_size);
		if (got != (ssize_t)st.st_size) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)st.st_size;
	}
	if (fd >= 0)
		close(fd);
	return buf;
}

/* Adds the size of the part file dir/name (when it is a regular file). */
static void add_part(const char *dir, const char *name, size_t n, long long *bytes)
{
	char *file = xmalloc(n + 1);
	memcpy(file, name, n);
	file[n] = '\0';
	char *path = path_join(dir, file);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		*bytes += (long long)st.st_size;
	free(path);
	free(file);
}

/* A mapping or sequence open in book.yaml, as the glance walks it. */
struct level {
	bool map, expect_key; /* a mapping: its next scalar is a key */
	bool parts;	      /* the top mapping's 'parts:' list */
	char key[16];	      /* a mapping: the key whose value comes next */
};

int bk_peek_slug(const char *dir, char *lang, size_t n, long long *bytes, char *slug, size_t sn)
{
	size_t len = 0;
	char *text = read_yaml(dir, &len);
	if (!text)
		return -1;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		free(text);
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	/* v[1] is the top mapping, v[2] 'parts:', v[3] a part's mapping;
	 * deeper levels are only counted. */
	struct level v[4];
	int sp = 0;
	bool found = false, done = false, have_slug = false;
	*bytes = 0;
	if (sn)
		slug[0] = '\0';
	memset(v, 0, sizeof(v));
	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev))
			break;
		struct level *top = sp > 0 && sp < 4 ? &v[sp] : NULL;
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			sp++;
			if (sp < 4) {
				bool map = ev.type == YAML_MAPPING_START_EVENT;
				v[sp] = (struct level){.map = map, .expect_key = map};
				v[sp].parts = sp == 2 && !map && !strcmp(v[1].key, "parts");
			}
			if (sp == 1 && ev.type != YAML_MAPPING_START_EVENT)
				done = true; /* not a book */
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			sp--;
			if (sp <= 0)
				done = true;
			else if (sp < 4 && v[sp].map)
				v[sp].expect_key = true;
			break;
		case YAML_SCALAR_EVENT: {
			const char *s = (const char *)ev.data.scalar.value;
			size_t sl = ev.data.scalar.length;
			if (!top)
				break;
			if (top->map && top->expect_key) {
				snprintf(top->key, sizeof(top->key), "%s", s);
				top->expect_key = false;
				break;
			}
			if (sp == 1 && !strcmp(top->key, "language") && sl > 0 && sl < n) {
				memcpy(lang, s, sl + 1);
				found = true;
			} else if (sp == 1 && !strcmp(top->key, "slug") && sl > 0 && sl < sn) {
				memcpy(slug, s, sl + 1);
				have_slug = true;
			} else if (sp == 1 && !strcmp(top->key, "title") && !have_slug && sn) {
				bk_slug_of_title(s, slug, sn);
			} else if ((sp == 2 && top->parts) ||
				   (sp == 3 && v[2].parts && !strcmp(top->key, "file"))) {
				add_part(dir, s, sl, bytes);
			}
			if (top->map)
				top->expect_key = true;
			break;
		}
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(text);
	return found ? 0 : -1;
}

int bk_peek(const char *dir, char *lang, size_t n, long long *bytes)
{
	return bk_peek_slug(dir, lang, n, bytes, NULL, 0);
}
