/* store13.c - a file of checked records kept in the output folder
 * (src/cli/records.c), the one module under the EPUB's, the PDF's and the
 * patterns' stores: what a build took or added is what the next one
 * reads, in that order; a rebuild that changed nothing leaves the file as
 * it is; a damaged, cut or foreign file gives no record that is not
 * whole; a failed build leaves the old file and no temporary. */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "cli/records.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "octavo test records 1\n"

/* A record as an older format would hold it, after its magic line. */
static const char before_magic_record[] = "\x10\0\0\0\x05\0\0\0\x03\0\0\0\0\0\0\0alphauno";

/* One build's store in dir: the transaction, and the store (streaming
 * when stream). */
struct build {
	struct diag d;
	struct cli_txn *t;
	struct cli_records *s;
};

static void begin_txn(struct build *b, const char *dir)
{
	diag_init(&b->d, stderr);
	b->d.quiet = true;
	b->t = cli_txn_open(dir, "book", true, &b->d);
}

static void begin(struct build *b, const char *dir, bool stream)
{
	begin_txn(b, dir);
	b->s = cli_records_open(dir, "book", "test", MAGIC, stream ? b->t : NULL);
}

/* A scratch folder (malloc'd; NULL after a failed check), the store's
 * path in it into file. */
static char *scratch(char *file, size_t cap)
{
	char *dir = unit_scratch("store13");
	UCHECK(dir != NULL, "a scratch folder");
	if (dir)
		snprintf(file, cap, "%s/.book.test", dir);
	return dir;
}

/* Closes the store into the transaction (ok) or drops it, and commits. */
static void end(struct build *b, bool ok)
{
	cli_records_close(b->s, ok ? b->t : NULL);
	if (ok && b->t)
		cli_txn_commit(b->t, &b->d);
	cli_txn_free(b->t);
}

/* Whether the store gives data for key. */
static bool has(struct cli_records *s, const char *key, const char *data)
{
	size_t n = 0;
	const char *p = cli_records_get(s, key, strlen(key), &n);
	return p && n == strlen(data) && !memcmp(p, data, n);
}

static void put(struct cli_records *s, const char *key, const char *data)
{
	cli_records_put(s, key, strlen(key), data, strlen(data));
}

static char *slurp(const char *path, size_t *len)
{
	*len = 0;
	return read_file(path, len);
}

/* Whether dir holds a file whose name has ".tmp-" or ".new-" in it. */
static bool temporaries(const char *dir)
{
	DIR *dp = opendir(dir);
	bool any = false;
	struct dirent *de;
	while (dp && (de = readdir(dp)))
		any |= strstr(de->d_name, ".tmp-") || strstr(de->d_name, ".new-");
	if (dp)
		closedir(dp);
	return any;
}

UNIT_TEST(store13_records_cold_warm_order)
{
	char file[600];
	char *dir = scratch(file, sizeof(file));
	if (!dir)
		return;
	struct build b;

	/* Cold: nothing there; three records added, one kept (owned). */
	begin(&b, dir, true);
	UCHECK(!cli_records_any(b.s), "a store with no file is empty");
	UCHECK(!has(b.s, "alpha", "one"), "a cold store gives nothing");
	put(b.s, "alpha", "one");
	put(b.s, "beta", "two");
	char *kept = xstrdup("three");
	cli_records_keep(b.s, "gamma", 5, kept, 5);
	UCHECK(has(b.s, "gamma", "three") && has(b.s, "alpha", "one"),
	       "a get after a put gives what was put");
	UCHECK(cli_records_any(b.s), "a store with records added is not empty");
	end(&b, true);
	size_t len = 0;
	char *cold = slurp(file, &len);
	UCHECK(cold && len > strlen(MAGIC) && !memcmp(cold, MAGIC, strlen(MAGIC)),
	       "the file is written, its magic first (%zu bytes)", len);
	UCHECK(!temporaries(dir), "no temporary left after a commit");

	/* Warm, taken in the file's order: the file is not written again. */
	struct stat st0, st1;
	stat(file, &st0);
	begin(&b, dir, true);
	UCHECK(cli_records_any(b.s), "a store read from its file is not empty");
	UCHECK(has(b.s, "alpha", "one") && has(b.s, "beta", "two") && has(b.s, "gamma", "three"),
	       "warm: every record given back");
	end(&b, true);
	stat(file, &st1);
	UCHECK(st0.st_ino == st1.st_ino, "taken in order, nothing added: the file left as it is");

	/* Taken out of order: the same records, the file left as it is. */
	begin(&b, dir, true);
	UCHECK(has(b.s, "gamma", "three") && has(b.s, "alpha", "one") && has(b.s, "beta", "two"),
	       "out of order: every record given back");
	end(&b, true);
	stat(file, &st1);
	UCHECK(st0.st_ino == st1.st_ino, "out of order, nothing added: the file left as it is");

	/* One added after one taken: written anew, in the order taken. */
	begin(&b, dir, true);
	UCHECK(has(b.s, "beta", "two") && has(b.s, "gamma", "three") && has(b.s, "alpha", "one"),
	       "every record given back");
	put(b.s, "alpha2", "one");
	end(&b, true);
	stat(file, &st1);
	size_t len2 = 0;
	char *again = slurp(file, &len2);
	UCHECK(st0.st_ino != st1.st_ino && len2 == len + 16 + strlen("alpha2one") && again &&
		   memcmp(again, cold, len),
	       "one added: written again, longer, in the order taken (%zu bytes)", len2);
	free(again);

	/* A record not asked for is dropped; one asked for twice is once. */
	begin(&b, dir, true);
	UCHECK(has(b.s, "alpha", "one") && has(b.s, "alpha", "one"), "asked twice");
	put(b.s, "delta", "four");
	end(&b, true);
	begin(&b, dir, true);
	UCHECK(!has(b.s, "beta", "two") && !has(b.s, "gamma", "three") &&
		   !has(b.s, "alpha2", "one"),
	       "records the last build did not use are gone");
	UCHECK(has(b.s, "alpha", "one") && has(b.s, "delta", "four"), "the others are there");
	end(&b, true);
	again = slurp(file, &len2);
	UCHECK(again && len2 == strlen(MAGIC) + 2 * 16 + strlen("alphaonedeltafour"),
	       "two records, each once (%zu bytes)", len2);
	free(again);
	free(cold);
	unit_rm_dir(dir);
	free(dir);
}

UNIT_TEST(store13_records_damaged_refused_failed)
{
	char file[600];
	char *dir = scratch(file, sizeof(file));
	if (!dir)
		return;
	struct build b;
	begin(&b, dir, true);
	put(b.s, "alpha", "one");
	put(b.s, "beta", "two");
	end(&b, true);

	/* A byte of the last record's data flipped: that record is refused
	 * (and put again, the file is whole again); the first is given. */
	FILE *f = fopen(file, "r+b");
	if (f) {
		fseek(f, -1, SEEK_END);
		fputc('X', f);
		fclose(f);
	}
	begin(&b, dir, true);
	UCHECK(has(b.s, "alpha", "one"), "the sound record is given");
	UCHECK(!has(b.s, "beta", "two") && !has(b.s, "beta", "twX"), "the damaged one is not");
	put(b.s, "beta", "two");
	end(&b, true);
	begin(&b, dir, true);
	UCHECK(has(b.s, "alpha", "one") && has(b.s, "beta", "two"), "mended by the build after");
	end(&b, true);

	/* A record given, found wanting by the caller and put again: the
	 * new one alone is kept. */
	begin(&b, dir, true);
	UCHECK(has(b.s, "alpha", "one"), "given");
	put(b.s, "alpha", "uno");
	UCHECK(has(b.s, "alpha", "uno"), "the put replaces it");
	UCHECK(has(b.s, "beta", "two"), "the next is given");
	end(&b, true);
	begin(&b, dir, true);
	UCHECK(has(b.s, "alpha", "uno") && has(b.s, "beta", "two"), "the replaced record is gone");
	end(&b, true);

	/* Cut in the middle of its last record: the whole ones are read. */
	struct stat st;
	stat(file, &st);
	UCHECK(truncate(file, st.st_size - 2) == 0, "the store cut short");
	begin(&b, dir, true);
	UCHECK(has(b.s, "alpha", "uno") && !has(b.s, "beta", "two"), "cut: the whole record read");
	put(b.s, "beta", "two");
	end(&b, true);
	stat(file, &st);
	UCHECK(st.st_size == (off_t)(strlen(MAGIC) + 2 * 16 + strlen("alphaunobetatwo")),
	       "cut: written whole again (%lld bytes)", (long long)st.st_size);

	/* Another format (an older octavo's, a foreign file): empty. */
	f = fopen(file, "wb");
	if (f) {
		fputs("octavo test records 0\n", f);
		fwrite(before_magic_record, 1, sizeof(before_magic_record) - 1, f);
		fclose(f);
	}
	begin(&b, dir, true);
	UCHECK(!cli_records_any(b.s) && !has(b.s, "alpha", "uno"), "another magic: an empty store");
	end(&b, true);

	/* A failed build: the old file as it was, no temporary left. */
	begin(&b, dir, true);
	put(b.s, "alpha", "one");
	put(b.s, "gamma", "three");
	end(&b, true);
	size_t len = 0, len2 = 0;
	char *before = slurp(file, &len);
	begin(&b, dir, true);
	put(b.s, "omega", "last");
	end(&b, false);
	char *after = slurp(file, &len2);
	UCHECK(before && after && len == len2 && !memcmp(before, after, len),
	       "a failed build leaves the file as it was");
	UCHECK(!temporaries(dir), "and no temporary");
	free(before);
	free(after);
	unit_rm_dir(dir);
	free(dir);
}

UNIT_TEST(store13_records_before_the_folder_is_locked)
{
	/* A store read before the transaction (the patterns'): what is put
	 * is copied and written at close, into a folder made since. */
	char out[600];
	char *dir = scratch(out, sizeof(out));
	if (!dir)
		return;
	snprintf(out, sizeof(out), "%s/out", dir);
	struct build b;
	b.s = cli_records_open(out, "book", "test", MAGIC, NULL);
	char *data = xstrdup("compiled");
	cli_records_put(b.s, "key", 3, data, strlen(data));
	memset(data, '?', strlen(data)); /* the caller's bytes change */
	free(data);
	UCHECK(has(b.s, "key", "compiled"), "a put's bytes copied");
	begin_txn(&b, out);
	end(&b, true);
	begin(&b, out, false);
	UCHECK(has(b.s, "key", "compiled"), "written at close, read by the next build");
	end(&b, true);
	UCHECK(!temporaries(out), "no temporary left");
	unit_rm_dir(out);
	unit_rm_dir(dir);
	free(dir);
}
