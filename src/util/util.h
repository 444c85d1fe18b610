/*
 * util.h - the plumbing every stage shares: allocation that never fails,
 * an arena, a growable string buffer, a hash table, diagnostics and
 * whole-file I/O.
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
#include <sys/types.h>

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

/* Sets up the process's heap (src/util/heap.c): one malloc arena for
 * all threads, its first 16 MB on transparent huge pages where the
 * kernel allows. Call once, first thing in main, before any thread. */
void heap_init(void);
/* Called first on each thread jobs_run starts: its arena on huge pages. */
void heap_thread_init(void);
/* Gives the memory every arena holds free back to the system, between
 * the stages of a big book (heap.c says why). */
void heap_give_back(void);
/* A big book's main heap grown now by bytes of address space, on huge
 * pages where the kernel allows, and kept; from then on each thread's
 * heap too, made writable whole by heap_thread_init (src/util/heap.c).
 * Before any thread starts. */
void heap_grow_huge(size_t bytes);

/* Grow *items (an array of *cap elements of size elt) to hold at least
 * need elements. GROW tests the capacity where it stands, so that the
 * common case (room enough: most of the page builder's millions of
 * pushes) costs no call; need is evaluated twice, so give it no side
 * effects. */
void grow_array(void **items, size_t *cap, size_t need, size_t elt);
#define GROW(arr, cap, need)                                                          \
	do {                                                                           \
		if ((size_t)(need) > (cap))                                            \
			grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr)));  \
	} while (0)

/* ===== arena =========================================================== */

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

void ar_init(struct arena *a);
/* Frees every chunk; the arena can be used again afterwards. */
void ar_release(struct arena *a);
/* Moves every chunk of from into to (from is left empty): what was
 * allocated in from lives as long as to. */
void ar_adopt(struct arena *to, struct arena *from);
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
/* Shortens sb to its first len bytes (len at most sb->len), keeping it
 * NUL-terminated; the memory stays for what is added next. */
void sb_truncate(struct strbuf *sb, size_t len);
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

/* ===== hash table ====================================================== */

/*
 * The one hash function and the one hash table type: every table keyed by
 * a string uses these (src/util/hash.c).
 *
 * hash_fnv1a: the 64-bit FNV-1a hash of n bytes at p (p may be NULL when n
 * is 0). Never fails. hash_fnv1a_from goes on from h, a hash so far (or
 * HASH_FNV1A_BASIS), so that a key in several pieces needs no copy.
 * hash_fnv1a_sparse goes on from h over a table of flags, p[0..n) with n
 * a multiple of 8, mostly zero (the code points and glyphs a book uses:
 * 128 KB, a few hundred bytes set): each nonzero 8-byte word with its
 * offset, the zero words skipped, so that it costs a few instructions a
 * word rather than four a byte; two tables of n bytes hash alike only as
 * hash_fnv1a's inputs would.
 *
 * struct hmap maps byte-string keys to non-NULL pointers (store a number
 * as (void *)(uintptr_t)(k + 1), so that 0 stays distinct from "absent").
 * Invariants:
 *  - Keys are borrowed, not copied: a key's bytes must stay unchanged and
 *    alive for as long as the table is used (keep them in an arena or in
 *    the structure the table indexes).
 *  - A key is its len bytes exactly; it need not be NUL-terminated and may
 *    hold NULs.
 *  - Entries are never removed one by one; hmap_release empties the table.
 *  - A zeroed struct hmap (or HMAP_INIT) is an empty table; lookups on it
 *    allocate nothing.
 *  - To visit every entry (in no particular order), walk slots[0..cap)
 *    and skip the slots whose key is NULL.
 * Not thread-safe: one thread at a time, or readers only.
 */
struct hmap_entry {
	const char *key; /* borrowed; NULL marks an empty slot */
	size_t len;
	uint64_t hash; /* hash_fnv1a(key, len), or the hash given (hmap_*_hashed) */
	void *val;
};
struct hmap {
	struct hmap_entry *slots; /* cap of them, at most half in use */
	size_t cap, n;            /* cap is 0 or a power of two */
	struct arena *arena;      /* NULL: slots from malloc */
};
#define HMAP_INIT {NULL, 0, 0, NULL}

#define HASH_FNV1A_BASIS UINT64_C(14695981039346656037)
uint64_t hash_fnv1a(const void *p, size_t n);
uint64_t hash_fnv1a_from(uint64_t h, const void *p, size_t n);
uint64_t hash_fnv1a_sparse(uint64_t h, const void *p, size_t n);
void hmap_init(struct hmap *m);
/* An empty table whose slots come from a (they live as long as a does, so
 * a table in arena-owned data needs no hmap_release). */
void hmap_init_arena(struct hmap *m, struct arena *a);
/* Frees the slots (not the keys or the values; an arena's slots are left
 * to the arena); m is then empty and may be used again. */
void hmap_release(struct hmap *m);
/* The value stored under key (len bytes), or NULL when there is none. The
 * pointer is the caller's own, as it was stored. */
void *hmap_get(const struct hmap *m, const char *key, size_t len);
/* Stores val (not NULL) under key unless the key is there already. Returns
 * true when stored; false, leaving the first value in place, when the key
 * was there. Grows the table as needed (running out of memory aborts, as
 * xmalloc does). */
bool hmap_put(struct hmap *m, const char *key, size_t len, void *val);
/* Makes room for n entries in all, so that a table about to take many
 * does not grow (and re-insert them) on the way. */
void hmap_reserve(struct hmap *m, size_t n);
/* A key given by its hash h alone, for a key not kept anywhere (a set of
 * substrings' hashes): entries with one hash are one key, so two strings
 * whose hashes agree are taken for one. Such keys and string keys are not
 * mixed in one table. As hmap_get and hmap_put otherwise. */
void *hmap_get_hash(const struct hmap *m, uint64_t h);
bool hmap_put_hash(struct hmap *m, uint64_t h, void *val);
/* A key hashed by the caller (h, e.g. hash_words(key, len)) and compared
 * by its bytes as hmap_get and hmap_put compare them: for a table looked
 * up so often that FNV-1a's byte at a time shows (the page search's tries).
 * Every key of such a table is given with a hash from the one function;
 * such keys and hmap_get/hmap_put's are not mixed in one table. */
void *hmap_get_hashed(const struct hmap *m, const char *key, size_t len, uint64_t h);
bool hmap_put_hashed(struct hmap *m, const char *key, size_t len, uint64_t h, void *val);
/* A hash of the n bytes at p taken eight at a time (any alignment; the
 * last few bytes, if n is not a multiple of 8, padded with zeros and n
 * mixed in): for fixed-size binary keys, a struct's bytes with its padding
 * zeroed. Not FNV-1a: for in-memory tables only, never for a hash kept in
 * a file or compared with hash_fnv1a's. Never fails. */
uint64_t hash_words(const void *p, size_t n);
/* hash_fnv1a_from(h, &c, 1), for a hash taken a byte at a time. */
static inline uint64_t hash_fnv1a_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * UINT64_C(1099511628211);
}

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
	struct diag_log *log; /* NULL, or every message and hint is kept here too */
};

/*
 * Messages kept as they were given (path, place, level and text, hints
 * too, even those quiet suppressed), so that a later run can give them
 * again with diag_replay: the same lines on any struct diag as the calls
 * themselves, the source excerpts read afresh. Empty is all zeros.
 */
struct diag_log {
	struct diag_entry {
		enum diag_level lvl;
		bool hint; /* a diag_hint (lvl unused) */
		int line, col;
		char *path, *msg; /* malloc'd; path NULL for none */
	} *v;
	size_t n, cap;
};
/*
 * A diag for work done on another thread beside d's (a second run of
 * parts, src/layout/parallel.c; the second half of the Markdown,
 * src/book/book.c): its messages go to memory, with its counts and log,
 * until diag_fork_join gives them to d after d's own, as if the work had
 * run in order. f must not move between init and join or release (f->d
 * points into it). diag_fork_init returns false, leaving nothing to
 * release, when no memory stream opens.
 */
struct diag_fork {
	struct diag d;
	struct diag_log log; /* f->d.log's, when d keeps a log */
	char *buf;
	size_t len;
	FILE *mem;
};
bool diag_fork_init(struct diag_fork *f, const struct diag *d);
/* Prints, counts and logs f's messages on d, then releases f. */
void diag_fork_join(struct diag *d, struct diag_fork *f);
/* Releases f, its messages dropped. */
void diag_fork_release(struct diag_fork *f);
/* Gives every message of l to d again, in order, as the calls did. */
void diag_replay(struct diag *d, const struct diag_log *l);
/* Appends a copy of src's messages to dst. */
void diag_log_append(struct diag_log *dst, const struct diag_log *src);
/* Keeps a message in l (the caller's; diag_vreport and diag_hint do). */
void diag_log_add(struct diag_log *l, enum diag_level lvl, bool hint, const char *path, int line,
		  int col, const char *msg);
void diag_log_release(struct diag_log *l);

void diag_init(struct diag *d, FILE *out);
/*
 * Frees the process-wide cache of the source files messages quote (see
 * diag_vreport). The cache is shared by every struct diag and refills on
 * demand, so this is safe at any time (a struct diag itself owns nothing
 * to free); call it when done, so that leak checkers and fuzzers see
 * nothing left over.
 */
void diag_free_source_cache(void);
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
/*
 * Appends s (n bytes) as it is safe to show on a terminal: control
 * characters (C0, DEL, C1), bidirectional overrides and bytes that are not
 * UTF-8 are written as escapes ("\x1b", "\u202e"); everything else as it
 * is. Every diagnostic's path, message and hint goes through it, so a file
 * name or a title cannot move the cursor, retitle the window or clear the
 * screen.
 */
void sb_add_term(struct strbuf *sb, const char *s, size_t n);

/* ===== files =========================================================== */

struct stat;

/*
 * Opens path to read, and only when it is a regular file: opened with
 * O_NONBLOCK (cleared afterwards), so that a FIFO with no writer or a
 * device cannot hang the open, and the kind checked with fstat on the
 * descriptor, so that nothing can be swapped in between. Returns the
 * descriptor (O_CLOEXEC; the caller closes it) with its fstat in *st; on
 * error returns -1 with errno set: open's errno, EISDIR for a directory,
 * EINVAL for any other file that is not a regular one (st->st_mode then
 * holds its kind, for file_kind; it is 0 when the open itself failed).
 */
int open_regular(const char *path, struct stat *st);
/*
 * open_regular for a file the book stage checked and resolved to its real
 * path (a style's fonts and stylesheet), read again by a later stage: the
 * last component is not followed, so a symbolic link put in its place since
 * the check fails with ELOOP instead of leading elsewhere.
 */
int open_checked(const char *path, struct stat *st);
/* The kind of file mode describes, in words: "a FIFO", "a socket",
 * "a character device", "a directory"... Static storage. */
const char *file_kind(mode_t mode);
/*
 * Reads fd to its end. Returns a malloc'd, NUL-terminated buffer the
 * caller frees, with its length in *len; on error returns NULL and sets
 * errno. fd stays open.
 */
char *read_fd(int fd, size_t *len);
/*
 * Reads a whole regular file (through open_regular: never hangs on a FIFO
 * or a device). Returns a malloc'd, NUL-terminated buffer the caller
 * frees, with its length in *len; on error returns NULL and sets errno as
 * open_regular does. read_file_st also stores the file's fstat in *st
 * (st_mode 0 when it could not be opened).
 */
char *read_file(const char *path, size_t *len);
char *read_file_st(const char *path, size_t *len, struct stat *st);
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
