/*
 * util.h - the plumbing every stage shares: allocation that never fails,
 * an arena, a growable string buffer, diagnostics and whole-file I/O.
 *
 * Invariants:
 *  - xmalloc/xcalloc/xrealloc/xstrdup never return NULL: running out of
 *    memory prints a message and aborts (cmark's xcalloc, Redis's zmalloc).
 *  - An arena owns everything allocated from it; ar_release frees it all at
 *    once. Pointers into an arena stay valid until then.
 *  - A strbuf's buf is never NULL and always NUL-terminated.
 *  - struct diag counts and prints user-facing problems; it never exits.
 */
#ifndef OCTAVO_UTIL_H
#define OCTAVO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* ===== allocation ====================================================== */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow *items (an array of *cap elements of size elt) to hold at least
 * need elements. */
void grow_array(void **items, size_t *cap, size_t need, size_t elt);
#define GROW(arr, cap, need) grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* ===== arena =========================================================== */

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

void ar_init(struct arena *a);
/* Frees every chunk; the arena can be used again afterwards. */
void ar_release(struct arena *a);
/* Zeroed memory owned by the arena, aligned for any type. */
void *ar_alloc(struct arena *a, size_t n);
/* Copies into the arena; the result is NUL-terminated. */
char *ar_strndup(struct arena *a, const char *s, size_t n);
char *ar_strdup(struct arena *a, const char *s);
char *ar_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* A copy of n elements of size elt (NULL when n is 0). */
void *ar_memdup(struct arena *a, const void *p, size_t n, size_t elt);

/* ===== strbuf ========================================================== */

struct strbuf {
	char *buf;
	size_t len, cap;
};

#define STRBUF_INIT {(char *)"", 0, 0}

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/*
 * Appends n bytes of s as XML 1.0 text or double-quoted attribute content,
 * always well-formed: & < > " escaped; the characters XML forbids (C0
 * controls other than tab, LF and CR; U+FFFE, U+FFFF) dropped; each byte
 * that is not part of valid UTF-8 (surrogates, overlongs) replaced by
 * U+FFFD. The one XML escaper: the EPUB and the PDF's XMP both use it.
 */
void sb_add_xml(struct strbuf *sb, const char *s, size_t n);
/* Hands the buffer to the caller (free() it); sb is reset to empty. */
char *sb_detach(struct strbuf *sb, size_t *len);

/* ===== diagnostics ===================================================== */

enum diag_level { DIAG_WARNING, DIAG_ERROR };

/*
 * A stage's problems, gathered: every message is printed as it comes and
 * counted, and the caller stops between stages when nerr grew. Messages
 * about a readable file with a line number quote that line with a caret
 * under the column, as a compiler does.
 */
struct diag {
	int nerr, nwarn;
	FILE *out;     /* where messages go: stderr, or a test's memstream */
	bool quiet;    /* suppress warnings (and their hints and quotes) */
	bool color;    /* ANSI colours; the caller decides (a terminal, NO_COLOR) */
	bool excerpt;  /* quote the source line under each message (default on) */
	bool status;   /* a progress line is showing on out: clear it first */
	bool muted;    /* private: the last message was suppressed */
};

void diag_init(struct diag *d, FILE *out);
/*
 * Frees the cache of source files messages quoted (see diag_vreport). The
 * cache is shared by every struct diag and refills on demand, so this is
 * safe at any time; call it when done, so that leak checkers and fuzzers
 * see nothing left over. d is unused and may be NULL.
 */
void diag_release(struct diag *d);
/*
 * Reports "path:line:col: error: message" - that first line exactly, in
 * this form, whatever follows it. line or col may be 0 when unknown; they
 * are then left out. path may be NULL for whole-run problems
 * ("octavo: error: ..."). When path is a readable regular file and line > 0
 * the source line follows, tabs expanded to 8 columns, long lines cut to a
 * window around the column, and a caret under col (counted in characters,
 * 1-based) when col > 0. Each file is read once (and again only when it
 * changes), in a cache that lives as long as the process.
 */
void diag_error(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
	PRINTF_LIKE(5, 6);
void diag_warning(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
	PRINTF_LIKE(5, 6);
void diag_vreport(struct diag *d, enum diag_level lvl, const char *path, int line, int col,
		  const char *fmt, va_list ap);
/* A "hint: ..." line after the last message (left out when that message
 * was suppressed). */
void diag_hint(struct diag *d, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* ===== files =========================================================== */

/*
 * Reads a whole file. Returns a malloc'd, NUL-terminated buffer the caller
 * frees, with its length in *len; on error returns NULL and sets errno.
 */
char *read_file(const char *path, size_t *len);
/*
 * Writes data to path atomically: to "path.tmp-PID" in the same directory,
 * then renamed over path, so a failed or killed build never leaves half a
 * file. Not fsync'd: that cost 20-30 ms a file here, more than a build,
 * and a power cut is the file system's to survive (ext4 flushes a file
 * renamed over another). Returns 0, or -1 with errno set (the old file is
 * untouched).
 */
int write_file_atomic(const char *path, const void *data, size_t len);
/* Joins dir and name with one '/'; malloc'd. */
char *path_join(const char *dir, const char *name);
/* The directory part of path ("." when none); malloc'd. */
char *path_dirname(const char *path);

/* ===== UTF-8 =========================================================== */

/*
 * Decodes one code point from s (n bytes available). Returns its length in
 * bytes (1-4) and stores it in *cp, or returns -1 on a malformed, overlong
 * or surrogate sequence.
 */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (4 bytes room); returns the length. */
int utf8_encode(uint32_t cp, char *out);

#endif
