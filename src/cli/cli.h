/*
 * cli.h - the command line's engines, behind main.c: one run of the
 * pipeline from manuscript to files, the lint behind 'check', the revision
 * report, the proof sheet, the watch loop and the new-book skeleton.
 *
 * Invariants:
 *  - Nothing here calls exit(): every entry point returns an exit status,
 *    an enum cli_status, and main.c exits with it.
 *  - Every file written is OUTDIR/NAME, NAME a plain file name (cli_out_path
 *    refuses anything else), through a temporary file in OUTDIR; all of
 *    a run's files are put in place together (commit.c) only when all
 *    are complete: a failed run leaves the previous edition byte for byte
 *    as it was, and no run replaces or removes a file the book reads.
 *  - The book and the laid-out doc are only read.
 *  - Child processes (pdftoppm) are started with posix_spawnp and an argv,
 *    never through a shell.
 */
#ifndef OCTAVO_CLI_H
#define OCTAVO_CLI_H

#include "../layout/layout.h"

/* The exit status: documented in --help and octavo.1. */
enum cli_status { CLI_OK = 0, CLI_MANUSCRIPT = 1, CLI_USAGE = 2, CLI_IO = 3 };

enum cli_cmd {
	CLI_BUILD,  /* the editions, the revision report */
	CLI_CHECK,  /* read, lay out and lint; write nothing */
	CLI_REPORT, /* the typographic report on stdout */
	CLI_PROOF,  /* the print edition, then its contact sheet */
};

struct cli_opts {
	const char *dir;     /* the manuscript directory */
	const char *outdir;  /* where files go */
	const char *datadir; /* holds styles/ and fonts/ */
	bool pdf, epub;	     /* build: the editions to write */
	bool page_list;	     /* build: the EPUB's page list (--no-page-list) */
	bool screen;	     /* build: a screen PDF, no bleed or crop marks (--screen) */
	/* build, preflight, cover: the printer's profile (--profile; --screen is
	 * "screen"), NULL for the style's; borrowed from the table */
	const struct print_profile *profile;
	bool lines;	     /* report: every line set */
	bool pages;	     /* proof: a PNG of each page too */
	bool quiet;	     /* no warnings, no summary */
	bool strict;	     /* build, check: a warning is an error (--strict) */
	bool verbose;	     /* a line per stage, even off a terminal */
	bool color;	     /* colour the diagnostics */
	bool progress;	     /* stderr is a terminal: show the stage under way */
	bool guides;	     /* cover: trim, fold and safe-area guides (--proof) */
	int jobs;	     /* threads for the editions (--jobs, $OCTAVO_JOBS); 0 or 1: one */
	bool at_exit;	     /* the process ends after this run (not watch): what is
			      * freed only to be freed may be left to the exit */
};

/* What a run did: for its summary line and the watch loop. */
struct cli_result {
	int status; /* enum cli_status */
	int nerr, nwarn;
	size_t npages; /* 0 when nothing was laid out */
	char *written; /* "out/a.pdf, out/a.epub", or NULL; malloc'd */
	char *changes; /* the revision report's one line, or NULL; malloc'd */
	double seconds;
	char **inputs;	/* files read outside the manuscript directory (the */
	size_t ninputs; /* style, stylesheet, fonts): malloc'd, for watch */
};

/*
 * Runs cmd over o->dir: reads the book, lays it out when cmd needs pages,
 * then checks, reports or writes. Diagnostics go to stderr as they come;
 * unless o->quiet, a one-line summary ends the run (summary false: the
 * caller prints its own). Fills res (release with cli_result_release) and
 * returns its status.
 */
int cli_run(enum cli_cmd cmd, const struct cli_opts *o, bool summary, struct cli_result *res);
void cli_result_release(struct cli_result *res);

/*
 * OUTDIR/NAME as a malloc'd path, or NULL after reporting to d when name is
 * not a plain file name (empty, ".", "..", or holding a '/'): the guard
 * that keeps every output inside the chosen directory.
 */
char *cli_out_path(const char *outdir, const char *name, struct diag *d);

/* ===== the edition's commit (commit.c) ================================= */

/* The longest file name octavo may write (Linux's NAME_MAX). */
#define CLI_NAME_MAX 255

/*
 * An edition put in place as one unit: every file is written under a
 * staged name (OUTDIR/.SLUG.x.new-PID), then all are renamed into place
 * together under a lock on OUTDIR, with a journal the next build finishes
 * if this one is killed, and a manifest (OUTDIR/.SLUG.edition: each file,
 * its size and FNV-1a hash) written last. A failed rename puts back every
 * file already replaced. Names are plain file names in OUTDIR that start
 * with SLUG or .SLUG followed by '.' or '-'.
 */
struct cli_txn;

/*
 * Creates OUTDIR if need be, locks OUTDIR/.SLUG.lock (waiting up to 120 s,
 * or $OCTAVO_LOCK_WAIT, for another build; quiet: without saying so),
 * finishes an edition a killed build left half in place, and removes
 * temporaries of this slug whose build is gone. Returns the transaction
 * (the caller frees it with cli_txn_free), or NULL after reporting to d.
 */
struct cli_txn *cli_txn_open(const char *outdir, const char *slug, bool quiet, struct diag *d);
/* The staged path to write OUTDIR/name to (owned by t, valid until the
 * next call), or NULL after reporting a name too long to d. */
const char *cli_txn_stage(struct cli_txn *t, const char *name, struct diag *d);
/* The path cli_txn_stage gives name (malloc'd), without staging it: a
 * writer that may find it has nothing to stage writes there, then stages
 * name or removes the file. Safe on any thread. */
char *cli_txn_staged_path(const struct cli_txn *t, const char *name);
/* Stages OUTDIR/name with data. Returns 0, or -1 after reporting to d
 * (NULL: silently). */
int cli_txn_put(struct cli_txn *t, const char *name, const void *data, size_t len,
		struct diag *d);
/* The size and FNV-1a hash of the file at path, as the manifest records
 * them. Returns 0, or -1 with errno set. Safe on any thread. */
int cli_file_hash(const char *path, long long *size, uint64_t *hash);
/* The staged file for name holds size bytes hashing to hash (its writer
 * hashed it once written whole, cli_file_hash), so the commit does not
 * read it back. Staging name again forgets it; cli_txn_put hashes what it
 * writes itself. */
void cli_txn_hashed(struct cli_txn *t, const char *name, long long size, uint64_t hash);
/* OUTDIR/name is removed when the edition is committed. */
void cli_txn_remove(struct cli_txn *t, const char *name);
/* Puts every staged file in place (and removes what is to go). Returns 0,
 * or -1 after reporting to d with OUTDIR as it was before. */
int cli_txn_commit(struct cli_txn *t, struct diag *d);
/* Drops what is staged and not committed, and releases the lock. */
void cli_txn_free(struct cli_txn *t);

/* ===== the EPUB's deflated entries (deflated.c) ======================== */

/*
 * OUTDIR/.SLUG.deflated: the entries of the last EPUB as its zip deflated
 * them, lent to the next build's EPUB (struct epub_options' packed, keep
 * and packed_ctx) so that it does not deflate again what has not changed.
 * Safe to delete. One per EPUB written, on the EPUB's thread.
 */
struct cli_deflated;
/* The store of OUTDIR for slug (empty when the file cannot be read),
 * writing the new one as the EPUB hands its entries over (t: the build's
 * open transaction, records.h). Never NULL; the caller closes it with
 * cli_deflated_close. */
struct cli_deflated *cli_deflated_open(const char *outdir, const char *slug, struct cli_txn *t);
/* An epub_packed_fn and an epub_keep_fn (epub/epub.h); ctx is the store. */
const char *cli_deflated_get(void *ctx, const char *name, const char *how, size_t len,
			     uint64_t hash, uint32_t *crc, size_t *zlen);
void cli_deflated_keep(void *ctx, const char *name, const char *how, size_t len, uint64_t hash,
		       uint32_t crc, char *z, size_t zlen);
/* Stages the store in t, when t is not NULL (the EPUB was written) and it
 * changed, holding this build's entries only; then frees it. */
void cli_deflated_close(struct cli_deflated *s, struct cli_txn *t);

/* ===== the PDF's deflated streams (pdfstore.c) ======================== */

/*
 * OUTDIR/.SLUG.pdf-streams: the streams of the last PDF as it deflated
 * them (its pages' contents, its font files), lent to the next build's
 * PDF (struct pdf_options' store, pdf.h) so that it does not deflate
 * again what has not changed. Content-addressed and checked by the PDF
 * stage before use; safe to delete. One per PDF written, on the PDF's
 * thread.
 */
struct cli_pdfstore;
struct pdf_store;
/* The store of OUTDIR for slug (empty when the file cannot be read),
 * writing the new one as the PDF makes or takes its streams (t: the
 * build's open transaction, records.h). Never NULL; the caller closes it
 * with cli_pdfstore_close. */
struct cli_pdfstore *cli_pdfstore_open(const char *outdir, const char *slug, struct cli_txn *t);
/* What the PDF stage is lent (borrowed: valid until the store is closed). */
const struct pdf_store *cli_pdfstore_api(const struct cli_pdfstore *s);
/* Stages the store in t, when t is not NULL (the PDF was written) and it
 * changed, holding this build's streams only; then frees it. */
void cli_pdfstore_close(struct cli_pdfstore *s, struct cli_txn *t);

/* ===== the compiled hyphenation patterns (patterns.c) ================== */

/*
 * OUTDIR/.SLUG.patterns: the patterns the last build read, compiled, lent
 * to this build's tx_hyph_preload_stored (text.h) so that it does not read
 * the dictionary again. Safe to delete. On the build's thread.
 */
struct cli_patterns;
/* The store of OUTDIR for slug (empty when the file cannot be read).
 * Never NULL; the caller closes it with cli_patterns_close. */
struct cli_patterns *cli_patterns_open(const char *outdir, const char *slug);
/* The tx_store that reads and fills p (valid while p is open). */
void cli_patterns_store(struct cli_patterns *p, struct tx_store *s);
/* Stages the store in t, when t is not NULL and patterns were read
 * afresh, holding those only; then frees p. */
void cli_patterns_close(struct cli_patterns *p, struct cli_txn *t);
/* Has text/hyphen.c keep whole dictionaries compiled in the user's cache
 * (src/util/cache.h; tx_hyph_cache), for every later run on the machine.
 * Before any patterns load. */
void cli_patterns_cache(void);
/*
 * OUTDIR/.SLUG.shapes, in the same kind of store: the words the last
 * build shaped, for tx_shapes_take (text.h). Opened with the build's
 * transaction t (or NULL: written at close); read, filled and closed as
 * the patterns' store is (cli_patterns_store, cli_patterns_close).
 */
struct cli_patterns *cli_shapes_open(const char *outdir, const char *slug, struct cli_txn *t);
/* OUTDIR/.SLUG.hyph, in the same kind of store and opened as the shapes'
 * is: each word's break points as the last build found them, for
 * tx_hyph_answers_take (text.h). */
struct cli_patterns *cli_hyph_open(const char *outdir, const char *slug, struct cli_txn *t);

/* ===== progress (term.c) =============================================== */

/*
 * Stage-level progress. On a terminal the stage under way shows on one
 * line of stderr that the next stage, a diagnostic or the summary
 * replaces; with verbose, each finished stage prints a line with its time
 * (on a terminal or not). Otherwise silent.
 */
struct cli_progress {
	bool tty, verbose;
	struct diag *d; /* its status flag tells diagnostics to clear the line */
	double t0;	/* the run's start, seconds */
};

void cli_progress_init(struct cli_progress *p, bool tty, bool verbose, struct diag *d);
void cli_progress_stage(struct cli_progress *p, const char *fmt, ...) PRINTF_LIKE(2, 3);
void cli_progress_done(struct cli_progress *p, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Clears the progress line, if one shows. */
void cli_progress_clear(struct cli_progress *p);
/* Monotonic seconds. */
double cli_now(void);

/* ===== check (lint.c) ================================================== */

/*
 * Lints a loaded, laid-out book without writing anything: metadata an
 * edition should carry, Markdown files the book does not list, internal
 * links and anchors that lead nowhere, footnote references without notes
 * and notes never referenced, images too large, headings that skip a
 * level, straight quotes and double spaces, characters the fonts lack (in
 * code blocks and book.yaml's strings: the layout itself reports those in
 * what it sets as paragraphs), and the overfull and loose lines of doc.
 * f and doc may be NULL (fonts or layout failed): what needs them is
 * skipped. Every finding goes to d at its file, line and column;
 * references to notes never defined are errors, the rest warnings.
 */
void cli_lint(const struct book *b, struct tx_fonts *f, const struct pg_doc *doc, struct diag *d);
/* cli_lint, its findings on doc's lines (overfull and loose lines: the
 * last it gives) also kept in lines when not NULL, for a build to give
 * again without doc (marks.h). */
void cli_lint_keep(const struct book *b, struct tx_fonts *f, const struct pg_doc *doc,
		   struct diag *d, struct diag_log *lines);

/*
 * The print profile p's resolution rules (ppi.c) over every image of b at
 * the size doc places it, as the build applies them while writing the
 * PDF: an error under p->min_ppi, a warning under p->warn_ppi (p NULL:
 * a warning under the style's 'images: min-ppi'), at the image's
 * Markdown file:line:col. For 'octavo check', which writes no PDF.
 * Nothing when doc is NULL or no rule applies. Returns the errors
 * reported.
 */
int cli_check_images(const struct book *b, const struct pg_doc *doc,
		     const struct print_profile *p, struct diag *d);

/* ===== revision report (revision.c) ==================================== */

/*
 * Compares doc's pages with the record of the previous edition in
 * OUTDIR/.SLUG.pages (a hash of each page's content and its source range),
 * writes the report to OUTDIR/SLUG.changes.txt (when there was a record to
 * compare with) and the new record in its place, both staged in t (they
 * are put in place with the rest of the edition). Sets *line to the report's one
 * line ("pages 41-47 changed; page count 112 -> 113; essays affected: 05"), malloc'd. Returns 0, or
 * -1 after reporting an I/O failure to d.
 */
int cli_revision(const struct book *b, const struct pg_doc *doc, const char *outdir,
		 struct cli_txn *t, char **line, struct diag *d);
/* What the revision record takes from a printed page. */
struct cli_page_rec {
	const char *label; /* the folio */
	uint64_t hash;	   /* of everything the page prints */
	int part;	   /* index into the book's parts, -1 for none */
	int first, last;   /* the source lines set on it, 0 for none */
};
/* doc's pages as the revision record takes them: doc->npages records,
 * malloc'd (the caller frees the array; the labels are doc's). */
struct cli_page_rec *cli_page_recs(const struct pg_doc *doc);
/* cli_revision given the pages' records (n of them) instead of the
 * layout: an EPUB-only build's kept ones (marks.h). */
int cli_revision_recs(const struct book *b, const struct cli_page_rec *pages, size_t n,
		      const char *outdir, struct cli_txn *t, char **line, struct diag *d);

/* ===== proof (proof.c, png.c) ========================================== */

/*
 * Renders pdf_path (the edition just written from doc) with pdftoppm and
 * writes OUTDIR/SLUG-proof.png, a contact sheet of every spread (page 1
 * alone on the right), the typographic report's problem lines outlined in
 * red; with pages, OUTDIR/SLUG-page-NNN.png for each page as well, all
 * staged in t (pdf_path may be the PDF's staged name). Sets
 * *line to a one-line account, malloc'd. Returns 0, or CLI_IO after
 * reporting to d (no pdftoppm, a failed render, a failed write).
 */
int cli_proof(const struct book *b, const struct pg_doc *doc, const char *pdf_path,
	      const char *outdir, bool pages, struct cli_txn *t, char **line, struct diag *d);

/*
 * Appends to out a PNG of the w x h 8-bit RGB image rgb (rows top first,
 * 3 bytes a pixel), written by libpng. Returns 0; or -1 with libpng's
 * message appended to out instead (out holds nothing else new then).
 */
int cli_png_encode(const unsigned char *rgb, int w, int h, struct strbuf *out);

/* ===== preflight (preflight.c) ========================================= */

/*
 * 'octavo preflight': reads OUTDIR/SLUG.pdf (and OUTDIR/SLUG-cover.pdf when
 * there is one) back with qpdf and prints one line per rule of the profile
 * (o->profile, else the style's, else the rules any PDF for print must
 * keep) to stdout: "PASS|FAIL|WARN|INFO  rule: what was found". An image's
 * failure also goes to stderr at the manuscript's file:line:col that
 * places it. Returns CLI_OK, CLI_MANUSCRIPT when a rule fails (or the book
 * cannot be read), CLI_IO when the PDF cannot be read.
 */
int cli_preflight(const struct cli_opts *o);
/* ===== the wrap cover (cover.c) ======================================= */

/*
 * 'octavo cover': lays the book out for its page count, then writes
 * OUTDIR/SLUG-cover.pdf (src/layout/cover.c, src/pdf/cover.c) through a
 * transaction, so a failed cover leaves the previous one as it was.
 * Prints its summary unless o->quiet. Fills res; returns its status.
 */
int cli_cover(const struct cli_opts *o, struct cli_result *res);

/*
 * h carried on (hash_fnv1a_from) over which octavo this is: the program's
 * GNU build ID (buildid.c), the same for every run of one binary (under
 * valgrind too) and different for any other build; without one, the
 * program file's size and time. For the keys of what a build keeps.
 */
uint64_t cli_build_key(uint64_t h);

/*
 * The EPUB's cover image: the print cover's front rendered by poppler and
 * cairo to a PNG at least 1600 x 2560 pixels, in the trim's shape, into
 * *png (malloc'd, *len bytes). Rendered only when the front's design
 * changed: the last one is kept as OUTDIR/.SLUG.cover-png under a key of
 * everything the design reads, and a new one is staged in t (NULL: not
 * kept). f may be NULL (loaded then, if a render is needed). give_back:
 * a render first gives the heap's freed memory back (heap_give_back), for
 * a big book whose layout freed much. Returns 0;
 * or -1 with *png NULL after reporting to d (a warning when the renderer
 * cannot be opened: the EPUB keeps its SVG cover).
 */
int cli_cover_epub(const struct book *b, struct tx_fonts *f, const char *outdir,
		   struct cli_txn *t, char **png, size_t *len, bool give_back, struct diag *d);

/* ===== watch (watch.c) ================================================= */

/*
 * Builds, then rebuilds on every save of a manuscript, style, stylesheet or
 * font file (inotify; a burst of saves is one rebuild), printing one line
 * per build. A failed build prints its errors and leaves the last good
 * edition in place. Returns CLI_OK when interrupted (SIGINT, SIGTERM), or
 * CLI_IO when inotify fails.
 */
int cli_watch(const struct cli_opts *o);

/* ===== init (init.c) =================================================== */

/*
 * Makes dir (which must not exist, or be empty) a small working book:
 * book.yaml with a fresh random UUID, style: default, and two example
 * parts. Returns CLI_OK, or CLI_IO after reporting to d.
 */
int cli_init(const char *dir, struct diag *d);

#endif
