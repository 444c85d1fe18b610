/* fast13.c - bk_peek, the glance at book.yaml that lets a build load the
 * hyphenation patterns beside the Markdown: it finds the language and the
 * parts' bytes as book_load would, whatever else book.yaml holds, and
 * gives up (never blocks) on what is not a plain book.yaml. */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "book/book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes text into dir/name. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

UNIT_TEST(peek_finds_language_and_part_bytes)
{
	char *dir = unit_scratch("fast13");
	UCHECK(dir != NULL, "a scratch folder");
	if (!dir)
		return;
	/* Lists and mappings before and after, a part as a mapping, keys
	 * named like the ones looked for deeper down. */
	put(dir, "book.yaml",
	    "title: \"A book\"\n"
	    "creators:\n  - name: language\n    role: editor\n"
	    "meta:\n  language: xx\n  parts: [nope.md]\n"
	    "language: \"de-CH\"\n"
	    "parts:\n"
	    "  - file: a.md\n    kind: preface\n"
	    "  - b.md\n"
	    "  - missing.md\n"
	    "keywords: [parts, language]\n");
	put(dir, "a.md", "12345");
	put(dir, "b.md", "1234567890");
	put(dir, "nope.md", "1234567890123456789");
	char lang[64] = "";
	long long bytes = -1;
	int rc = bk_peek(dir, lang, sizeof(lang), &bytes);
	UCHECK(rc == 0, "bk_peek returns 0, got %d", rc);
	UCHECK(!strcmp(lang, "de-CH"), "the top-level language, got '%s'", lang);
	UCHECK(bytes == 15, "the listed parts' bytes (5 + 10), got %lld", bytes);
	unit_rm_dir(dir);
	free(dir);
}

UNIT_TEST(peek_gives_up_quietly)
{
	char *dir = unit_scratch("fast13");
	UCHECK(dir != NULL, "a scratch folder");
	if (!dir)
		return;
	char lang[64];
	long long bytes = 0;
	UCHECK(bk_peek(dir, lang, sizeof(lang), &bytes) == -1, "no book.yaml: -1");
	put(dir, "book.yaml", "title: no language\nparts: [a.md]\n");
	UCHECK(bk_peek(dir, lang, sizeof(lang), &bytes) == -1, "no language: -1");
	put(dir, "book.yaml", "- a list\n- not a book\n");
	UCHECK(bk_peek(dir, lang, sizeof(lang), &bytes) == -1, "a list: -1");
	put(dir, "book.yaml", "language: [en, de\nparts: {\n");
	UCHECK(bk_peek(dir, lang, sizeof(lang), &bytes) == -1, "broken YAML: -1");
	put(dir, "book.yaml", "language: en-GB-with-a-tag-far-longer-than-the-room-given\n");
	UCHECK(bk_peek(dir, lang, 8, &bytes) == -1, "a language longer than the room: -1");
	char path[600];
	snprintf(path, sizeof(path), "%s/book.yaml", dir);
	unlink(path);
	UCHECK(mkfifo(path, 0600) == 0, "a FIFO as book.yaml");
	/* A FIFO with no writer: an open without O_NONBLOCK would wait. */
	UCHECK(bk_peek(dir, lang, sizeof(lang), &bytes) == -1, "a FIFO: -1, at once");
	unit_rm_dir(dir);
	free(dir);
}

UNIT_TEST(peek_agrees_with_book_load_on_the_edition)
{
	const char *root = getenv("OCTAVO_DATADIR");
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/manuscript", root ? root : ".");
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load(dir, root ? root : ".", &d);
	UCHECK(b != NULL, "the edition loads from %s", dir);
	if (!b)
		return;
	long long want = 0;
	for (size_t i = 0; i < b->nparts; i++) {
		struct stat st;
		if (b->parts[i].path && stat(b->parts[i].path, &st) == 0)
			want += st.st_size;
	}
	char lang[64] = "";
	long long bytes = 0;
	UCHECK(bk_peek(dir, lang, sizeof(lang), &bytes) == 0, "the edition's book.yaml is read");
	UCHECK(!strcmp(lang, b->meta.language), "language '%s' as book_load's '%s'", lang,
	       b->meta.language);
	UCHECK(bytes == want, "parts' bytes %lld as book_load's %lld", bytes, want);
	book_free(b);
}
