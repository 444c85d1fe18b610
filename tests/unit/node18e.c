/* node18e.c - the Node.js docs' cost cuts keep their answers: check_utf8
 * 8 bytes at a time says what the byte-at-a-time check said. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "unit/unit.h"

#include "book/book-int.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The check as it was, a byte at a time: the message it gives, or "" for
 * valid text, into out. */
static void reference(const unsigned char *s, size_t len, char *out, size_t n)
{
	int line = 1;
	size_t line_start = 0;
	*out = '\0';
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int k = s[i] - 1u < 0x7F ? 1 : utf8_decode(s + i, len - i, &cp);
		if (s[i] - 1u < 0x7F)
			cp = s[i];
		if (k < 0 || cp == 0) {
			int col = 1;
			for (size_t j = line_start; j < i;) {
				uint32_t c2;
				int m = utf8_decode(s + j, i - j, &c2);
				j += m > 0 ? (size_t)m : 1;
				col++;
			}
			snprintf(out, n, "p.md:%d:%d: error: %s %zu", line, col,
				 k < 0 ? "invalid" : "NUL", i);
			return;
		}
		if (cp == '\n') {
			line++;
			line_start = i + 1;
		}
		i += (size_t)k;
	}
}

/* check_utf8's message in the same short form. */
static void checked(const unsigned char *s, size_t len, char *out, size_t n)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *mem = open_memstream(&buf, &blen);
	struct diag d;
	diag_init(&d, mem);
	d.excerpt = false;
	int rc = check_utf8("p.md", (const char *)s, len, &d);
	fclose(mem);
	*out = '\0';
	int line = 0, col = 0;
	size_t at = 0;
	if (rc < 0 && sscanf(buf, "p.md:%d:%d:", &line, &col) == 2) {
		const char *off = strstr(buf, "byte offset ");
		if (off)
			at = strtoul(off + 12, NULL, 10);
		snprintf(out, n, "p.md:%d:%d: error: %s %zu", line, col,
			 strstr(buf, "invalid UTF-8") ? "invalid" : "NUL", at);
	}
	free(buf);
}

UNIT_TEST(node18e_utf8_as_before)
{
	static const char *const pieces[] = {"a", "bc", "\n", "long ascii run ", "\xC3\xA9",
					     "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xFF", "\xC3",
					     "\x80", "\x00", "\xED\xA0\x80", "\xC0\xAF", "12345678"};
	static const size_t plen[] = {1, 2, 1, 15, 2, 3, 4, 1, 1, 1, 1, 3, 2, 8};
	unsigned seed = 18;
	int differ = 0, bad = 0;
	for (int round = 0; round < 4000; round++) {
		unsigned char text[400];
		size_t len = 0;
		int npieces = (int)(rand_r(&seed) % 40);
		for (int k = 0; k < npieces; k++) {
			/* mostly text that is valid, now and then a bad byte */
			size_t pi = rand_r(&seed) % 100 < 93 ? (size_t)(rand_r(&seed) % 7)
							    : (size_t)rand_r(&seed) % ARRAY_LEN(pieces);
			if (pi == 6 && rand_r(&seed) % 2)
				pi = 13;
			memcpy(text + len, pieces[pi], plen[pi]);
			len += plen[pi];
		}
		char want[160], got[160];
		reference(text, len, want, sizeof(want));
		checked(text, len, got, sizeof(got));
		bad += *want != '\0';
		if (strcmp(want, got) && differ++ < 3)
			UCHECK(0, "round %d: want '%s', got '%s'", round, want, got);
	}
	UCHECK(differ == 0, "%d of 4000 texts checked otherwise", differ);
	UCHECK(bad > 200 && bad < 3800, "both kinds tried: %d of 4000 bad", bad);
}
