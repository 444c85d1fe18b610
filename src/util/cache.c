/*
 * cache.c - the user's cache folder (cache.h).
 */
#include "cache.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC "octavo cache 1\n"

/* What follows the magic line, before the data. */
struct head {
	uint64_t key, len, check;
};

char *cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	if (xdg && xdg[0] == '/') /* the spec: a relative path is to be ignored */
		return path_join(xdg, "octavo");
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	char *dot = path_join(home, ".cache");
	char *dir = path_join(dot, "octavo");
	free(dot);
	return dir;
}

static uint64_t check_of(uint64_t key, const void *data, size_t len)
{
	return hash_fnv1a_from(hash_fnv1a(&key, sizeof(key)), data, len);
}

char *cache_read(const char *dir, const char *name, uint64_t key, size_t *len)
{
	char *path = path_join(dir, name);
	size_t n = 0;
	char *file = read_file(path, &n);
	free(path);
	struct head h;
	size_t at = sizeof(MAGIC) - 1 + sizeof(h);
	if (!file || n < at || memcmp(file, MAGIC, sizeof(MAGIC) - 1)) {
		free(file);
		return NULL;
	}
	memcpy(&h, file + sizeof(MAGIC) - 1, sizeof(h));
	if (h.key != key || h.len != n - at || h.check != check_of(key, file + at, n - at)) {
		free(file);
		return NULL;
	}
	memmove(file, file + at, n - at);
	*len = n - at;
	return file;
}

/* Makes dir when missing, its parent too (~/.cache on a new account);
 * private, as the XDG spec asks. */
static int make_dir(const char *dir)
{
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	char *up = path_dirname(dir);
	bool made = strcmp(up, dir) && make_dir(up) == 0;
	free(up);
	return made && (mkdir(dir, 0700) == 0 || errno == EEXIST) ? 0 : -1;
}

int cache_write(const char *dir, const char *name, uint64_t key, const void *data, size_t len)
{
	if (make_dir(dir) < 0)
		return -1;
	struct head h = {key, len, check_of(key, data, len)};
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, MAGIC, sizeof(MAGIC) - 1);
	sb_add(&sb, (const char *)&h, sizeof(h));
	sb_add(&sb, data, len);
	char *path = path_join(dir, name);
	int r = write_file_atomic(path, sb.buf, sb.len);
	free(path);
	sb_release(&sb);
	return r;
}
