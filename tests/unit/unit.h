/*
 * unit.h - what a unit-test file in tests/unit/ shares with tests/unit.c:
 * the CHECK counter and UNIT_TEST, which registers a test so main() runs
 * it after the engines' own tests. One file per topic keeps branches that
 * add tests from editing the same lines.
 */
#ifndef OCTAVO_UNIT_H
#define OCTAVO_UNIT_H

#include <stdbool.h>
#include <stdio.h>

extern int unit_passed, unit_failed;

#define UCHECK(cond, ...)                                                       \
	do {                                                                    \
		if (cond) {                                                     \
			unit_passed++;                                          \
		} else {                                                        \
			unit_failed++;                                          \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);    \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

void unit_register(const char *name, void (*fn)(void));

/* word[0, len) with a '-' at each break h finds, in out (cap bytes):
 * "part-ner-ship". Returns out. (tests/unit.c) */
struct tx_hyph;
const char *unit_hyphenated(struct tx_hyph *h, const char *word, size_t len, char *out,
			    size_t cap);

/* Whether two shaped words are alike: width, direction, missing
 * characters, and each piece's text, place and face.
 * (tests/unit/node18b.c) */
struct tx_word;
bool unit_same_word(const struct tx_word *a, const struct tx_word *b);

/* A new empty folder /tmp/octavo-TAG-XXXXXX (malloc'd), or NULL; and
 * the folder removed with all it holds. (tests/unit.c) */
char *unit_scratch(const char *tag);
void unit_rm_dir(const char *dir);

/* The book in dir laid out, its warnings unsaid: the doc, or NULL when
 * the book, its fonts (*b, *f: NULL where they fail) or the layout
 * fail; unit_lay_out_free frees the three. (tests/unit.c) */
struct book;
struct tx_fonts;
struct pg_doc;
struct pg_doc *unit_lay_out(const char *dir, struct book **b, struct tx_fonts **f);
void unit_lay_out_free(struct pg_doc *doc, struct tx_fonts *f, struct book *b);

/* UNIT_TEST(name) { ... } defines a test and registers it at start-up. */
#define UNIT_TEST(name)                                                         \
	static void unit_##name(void);                                          \
	__attribute__((constructor)) static void unit_reg_##name(void)          \
	{                                                                       \
		unit_register(#name, unit_##name);                              \
	}                                                                       \
	static void unit_##name(void)

#endif
