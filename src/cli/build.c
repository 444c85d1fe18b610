/*
 * build.c - one run of the pipeline for a command: book, text, layout, then
 * the lint, the report, or the files (editions, revision report, proof).
 */
#define _POSIX_C_SOURCE 200809L
#include "../epub/epub.h"
#include "../pdf/pdf.h"
#include "../util/jobs.h"
#include "cli.h"
#include "marks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files beyond the manuscript directory that the book read. */
static void note_inputs(struct cli_result *res, const struct book *b)
{
	const char *v[] = {b->style.path,    b->style.css,     b->style.font[0],  b->style.font[1],
			   b->style.font[2], b->style.font[3], b->style.font_mono};
	res->inputs = xcalloc(ARRAY_LEN(v), sizeof(char *));
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		if (v[i])
			res->inputs[res->ninputs++] = xstrdup(v[i]);
}

/* An edition's file: its place, and the name it is written under first. */
struct edition {
	const char *ext;
	char *path, *staged; /* malloc'd */
	/* the staged file's size and hash, taken on its writer's thread */
	bool hashed;
	long long size;
	uint64_t hash;
};

/* OUTDIR/SLUG.ext and its staged name in t. Returns 0, or -1 after
 * reporting to d. */
static int stage_paths(const struct cli_opts *o, const struct book *b, struct cli_txn *t,
		       struct edition *e, struct diag *d)
{
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, "%s%s", b->meta.slug, e->ext);
	e->path = cli_out_path(o->outdir, name.buf, d);
	const char *staged = e->path ? cli_txn_stage(t, name.buf, d) : NULL;
	e->staged = staged ? xstrdup(staged) : NULL;
	sb_release(&name);
	return e->staged ? 0 : -1;
}

/* ===== inputs and outputs ============================================== */

/* A name octavo writes, stages or removes in OUTDIR for this slug. */
static bool owned_name(const char *slug, const char *name)
{
	size_t k = strlen(slug);
	if (name[0] == '.')
		return !strncmp(name + 1, slug, k) && (name[k + 1] == '.' || name[k + 1] == '-');
	if (strncmp(name, slug, k))
		return false;
	const char *t = name + k;
	if (!strcmp(t, ".pdf") || !strcmp(t, ".epub") || !strcmp(t, ".changes.txt") ||
	    !strcmp(t, "-proof.png") || !strcmp(t, "-cover.pdf"))
		return true;
	if (!strncmp(t, "-page-", 6)) {
		const char *p = t + 6;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p > t + 6 && !strcmp(p, ".png"))
			return true;
	}
	return (*t == '.' || *t == '-') &&
	       (strstr(t, ".tmp-") || strstr(t, ".new-") || strstr(t, ".old-"));
}

/* input is a file in the folder out (dev, ino) under a name octavo would
 * write or remove there. */
static bool clashes(const char *input, const struct stat *out, const char *slug)
{
	char *dir = path_dirname(input);
	struct stat st;
	bool same = stat(dir, &st) == 0 && st.st_dev == out->st_dev && st.st_ino == out->st_ino;
	free(dir);
	const char *base = strrchr(input, '/');
	return same && owned_name(slug, base ? base + 1 : input);
}

/*
 * Refuses an output folder where the build would replace or remove a file
 * the book reads: the manuscript's own (book.yaml, a part, an image: an
 * error at the book's line, exit 1) or the style's (only the -o choice
 * brings those together: a usage error, exit 2). Checked before anything
 * is written. Returns CLI_OK or the status after reporting to d.
 */
static int check_outputs(const struct book *b, const struct cli_opts *o,
			 const struct cli_result *res, struct diag *d)
{
	struct stat out;
	if (stat(o->outdir, &out) != 0 || !S_ISDIR(out.st_mode))
		return CLI_OK; /* a new folder holds nothing the book reads */
	const char *slug = b->meta.slug;
	int status = CLI_OK;
	const char *hint = "choose another output folder with -o, or give the file another name";
	if (clashes(b->yaml_path, &out, slug)) {
		diag_error(d, b->yaml_path, 0, 0,
			   "'book.yaml' would be overwritten by the build in the output folder '%s'",
			   o->outdir);
		status = CLI_MANUSCRIPT;
	}
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		if (p->path && clashes(p->path, &out, slug)) {
			diag_error(d, b->yaml_path, p->list_line, p->list_col,
				   "part '%s' is a file the build writes in the output folder '%s'",
				   p->file, o->outdir);
			diag_hint(d, "%s", hint);
			status = CLI_MANUSCRIPT;
		}
		for (size_t k = 0; k < p->nimages; k++) {
			const struct bk_image *im = p->images[k];
			if (im->path && clashes(im->path, &out, slug)) {
				diag_error(d, p->path, 0, 0,
					   "image '%s' is a file the build writes in the output "
					   "folder '%s'",
					   im->src, o->outdir);
				diag_hint(d, "%s", hint);
				status = CLI_MANUSCRIPT;
			}
		}
	}
	for (size_t i = 0; i < res->ninputs && status == CLI_OK; i++) {
		if (clashes(res->inputs[i], &out, slug)) {
			diag_error(d, NULL, 0, 0,
				   "the output folder '%s' holds '%s', which the book reads: the "
				   "build would overwrite it",
				   o->outdir, res->inputs[i]);
			diag_hint(d, "choose another output folder with -o");
			status = CLI_USAGE;
		}
	}
	return status;
}

static void add_written(struct strbuf *sb, const char *path)
{
	if (sb->len)
		sb_adds(sb, ", ");
	sb_adds(sb, path);
}

static const char *plural(long n)
{
	return n == 1 ? "" : "s";
}

static void print_summary(enum cli_cmd cmd, const struct cli_opts *o, const struct cli_result *r)
{
	double ms = r->seconds * 1000;
	if (r->status == CLI_OK && o->quiet)
		return;
	if (r->changes && !o->quiet)
		fprintf(stderr, "octavo: since the last build: %s\n", r->changes);
	if (cmd == CLI_CHECK) {
		fprintf(stderr, "octavo: checked %s", o->dir);
		if (r->npages)
			fprintf(stderr, " (%zu pages)", r->npages);
		fprintf(stderr, ": %d error%s, %d warning%s in %.0f ms\n", r->nerr, plural(r->nerr),
			r->nwarn, plural(r->nwarn), ms);
		return;
	}
	if (r->status != CLI_OK) {
		if (r->written)
			fprintf(stderr, "octavo: %d error%s; wrote %s before stopping\n", r->nerr,
				plural(r->nerr), r->written);
		else
			fprintf(stderr, "octavo: %d error%s; nothing written\n", r->nerr,
				plural(r->nerr));
		return;
	}
	if (cmd == CLI_REPORT)
		return;
	fprintf(stderr, "octavo: wrote %s: ", r->written ? r->written : "nothing");
	if (r->npages)
		fprintf(stderr, "%zu pages ", r->npages);
	fprintf(stderr, "in %.0f ms", ms);
	if (r->nwarn)
		fprintf(stderr, ", %d warning%s", r->nwarn, plural(r->nwarn));
	fputc('\n', stderr);
}

/*
 * The EPUB's fonts, cut down to the glyphs the book uses: HarfBuzz's
 * subsetter, which only the text stage may call. Cutting a face down for
 * reading systems (with its layout tables closed over the characters) is most
 * of a small book's EPUB work, and an editor's rebuild asks for the same
 * cut again: the last one of each face is kept beside the editions, as
 * OUTDIR/.SLUG.font-N, under a key of the font file (path, size, inode,
 * mtime and ctime) and the characters. A cache that cannot be read or
 * written is simply not used. One per EPUB written, lent to it as its subsetter's context.
 */
struct font_cache {
	const char *outdir, *slug; /* outdir NULL: no cache */
	const struct tx_fonts *f;  /* the faces' files and instances (borrowed) */
	int next;		   /* fonts asked for in this build: the file's number */
	const uint8_t *used;	   /* the characters last hashed, and their hash */
	uint64_t used_key;
	/* New cuts, staged only once the EPUB is written, so that a failed
	 * build leaves the output folder exactly as it was. */
	struct pending {
		char *file, *rec;
		size_t len;
	} *pend;
	size_t npend, pend_cap;
};

/* Stages fc's new cuts in t (when not NULL) or drops them. */
static void font_cache_flush(struct font_cache *fc, struct cli_txn *t)
{
	for (size_t i = 0; i < fc->npend; i++) {
		struct pending *p = &fc->pend[i];
		if (t) {
			/* best effort: a cache not written is only cut again */
			const char *base = strrchr(p->file, '/');
			cli_txn_put(t, base ? base + 1 : p->file, p->rec, p->len, NULL);
		}
		free(p->file);
		free(p->rec);
	}
	free(fc->pend);
	fc->pend = NULL;
	fc->npend = fc->pend_cap = 0;
}

/* An epub_subset_fn: ctx is the EPUB's struct font_cache. */
static char *subset_for_epub(void *ctx, const char *path, int face, const uint8_t *used,
			     const char *features, size_t *len, char *instance)
{
	struct font_cache *fc = ctx;
	char *file = NULL;
	/* The style's face of this file, when the text stage set it from
	 * this file: a variable font's instance is that face's. */
	bool own = fc->f && tx_font_path(fc->f, (enum tx_face)face) &&
		   !strcmp(tx_font_path(fc->f, (enum tx_face)face), path);
	*instance = 0;
	if (own)
		tx_face_instance(fc->f, (enum tx_face)face, instance, EPUB_INSTANCE_MAX);
	uint64_t key[2] = {0, 0};
	struct stat st;
	if (fc->outdir && fc->slug && stat(path, &st) == 0) {
		struct strbuf name = STRBUF_INIT;
		sb_addf(&name, ".%s.font-%d", fc->slug, fc->next++);
		file = path_join(fc->outdir, name.buf);
		sb_release(&name);
		/* Any write changes the file's ctime, which no one can set
		 * back (its mtime alone let a font rewritten with its old
		 * time keep its old cut). */
		long long id[6] = {(long long)st.st_size,	  (long long)st.st_mtim.tv_sec,
				   (long long)st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
				   (long long)st.st_ctim.tv_nsec, (long long)st.st_ino};
		key[0] = hash_fnv1a_from(hash_fnv1a(path, strlen(path)), id, sizeof(id));
		key[0] = hash_fnv1a_from(key[0], instance, strlen(instance));
		/* The features asked for, and what tx_subset_file keeps
		 * (v2: small capitals and the licence names), are part of
		 * the key. */
		if (fc->used != used) { /* the same table for every font */
			fc->used = used;
			fc->used_key = hash_fnv1a_sparse(HASH_FNV1A_BASIS, used, 65536);
		}
		key[1] = fc->used_key;
		key[1] = hash_fnv1a_from(hash_fnv1a_from(key[1], "v2", 2), features ? features : "",
					 features ? strlen(features) : 0);
		size_t n = 0;
		char *old = read_file(file, &n);
		if (old && n > sizeof(key) && !memcmp(old, key, sizeof(key))) {
			memmove(old, old + sizeof(key), n - sizeof(key));
			*len = n - sizeof(key);
			free(file);
			return old;
		}
		free(old);
	}
	char *data = own ? tx_subset_face(fc->f, (enum tx_face)face, used, features, len)
			 : tx_subset_file(path, used, true, features, len);
	if (data && file) {
		char *rec = xmalloc(*len + sizeof(key));
		memcpy(rec, key, sizeof(key));
		memcpy(rec + sizeof(key), data, *len);
		GROW(fc->pend, fc->pend_cap, fc->npend + 1);
		fc->pend[fc->npend++] = (struct pending){file, rec, *len + sizeof(key)};
		file = NULL;
	}
	free(file);
	return data;
}

/* ===== the stages ====================================================== */

/* One run of the pipeline: where its stages report, and how it stands.
 * Each stage takes what it needs as arguments and returns what the next
 * needs; this holds only the run's own state. */
struct run {
	enum cli_cmd cmd;
	const struct cli_opts *o;
	struct cli_result *res;
	struct diag d;
	struct cli_progress pr;
	struct cli_txn *txn; /* OUTDIR's transaction, once open */
	struct cli_patterns *pat; /* OUTDIR's compiled patterns, once read */
	char pat_slug[64];	  /* the slug pat was opened for */
	struct cli_patterns *shapes; /* OUTDIR's shaped words, once read */
	struct tx_store shape_store; /* reads and fills shapes */
	struct cli_patterns *hyph;   /* OUTDIR's hyphenated words, once read */
	struct tx_store hyph_store;  /* reads and fills hyph */
	struct cli_marks *marks;  /* OUTDIR's kept page marks, once open (marks.h) */
	struct timespec began;	  /* CLOCK_REALTIME at the start (marks.h) */
	long long bytes;	  /* the book's Markdown: whether threads pay */
	unsigned threads0;	  /* jobs_started() as the run began */
	unsigned aside0;	  /* jobs_aside_started() as the run began */
	struct jobs_aside *zip;	  /* libzip opening beside the reading (load_book) */
	int status;	     /* enum cli_status: CLI_OK until a stage fails */
};

static bool ok(const struct run *r)
{
	return r->status == CLI_OK;
}

/* Opens OUTDIR's transaction, when not open yet: wait for any other build
 * with it, and finish what a killed one left. */
static void open_txn(struct run *r, const struct book *b)
{
	if (ok(r) && !r->txn &&
	    !(r->txn = cli_txn_open(r->o->outdir, b->meta.slug, r->o->quiet, &r->d)))
		r->status = CLI_IO;
}

/* A book of less Markdown than this (an essay or two) loads only the
 * hyphenation patterns its words need; a bigger one loads them all. */
#define SMALL_BOOK (96 * 1024)
/* A book of this much Markdown gives back what a stage freed before the
 * next grows (heap_give_back): the 50x book's 9 MB does, the edition's
 * 0.2 MB never (each page given back is a page fault when touched again). */
#define GIVE_BACK_BOOK (4 << 20)

/* What a book from JOBS_MIN_BYTES up to GIVE_BACK_BOOK grows its main
 * heap by at once, per byte of Markdown, on huge pages (heap_grow_huge):
 * about what it comes to use (the Node.js docs, 3.4 MB: some 100 MB). */
#define HEAP_PER_BYTE 32

/* Whether the run's book gives back: from GIVE_BACK_BOOK, or from
 * $OCTAVO_GIVE_BACK_MIN bytes (0: any book, as the suites that test this
 * path on small books use it: tests/suites/bench12.sh). Memory only: the
 * files are the same bytes either way. */
static bool gives_back(const struct run *r)
{
	long long min = jobs_parse_bytes(getenv("OCTAVO_GIVE_BACK_MIN"));
	return r->bytes >= (min < 0 ? GIVE_BACK_BOOK : min);
}

/* A book of this much Markdown (one that starts threads, jobs.h) gives
 * back before the EPUB's cover is rendered (cli_cover_epub), which a
 * first build does: 1,800 page faults more on a 2 MB essay (its peak 79
 * -> 67 MB), 1,100 on the edition, which has little to give. */
#define GIVE_BACK_COVER JOBS_MIN_BYTES

static void add_words(void *w, const char *s, size_t n)
{
	tx_words_add(w, s, n);
}

/* Whether a book of total bytes of Markdown loads the whole file of
 * patterns (a big one, or OCTAVO_PATTERNS=all). */
static bool whole_patterns(long long total)
{
	const char *env = getenv("OCTAVO_PATTERNS");
	return total >= SMALL_BOOK || (env && !strcmp(env, "all"));
}

/* The hyphenation patterns b's words need: for a small book only those
 * (the few words octavo sets itself fall back to the whole file), else,
 * or with OCTAVO_PATTERNS=all, the whole file; through OUTDIR's store of
 * compiled patterns (patterns.c), kept in r->pat until the commit. */
static void load_patterns(struct run *r, const struct book *b)
{
	struct tx_store s;
	if (r->pat && strcmp(r->pat_slug, b->meta.slug)) { /* glanced amiss */
		cli_patterns_close(r->pat, NULL);
		r->pat = NULL;
	}
	if (!r->pat)
		r->pat = cli_patterns_open(r->o->outdir, b->meta.slug);
	cli_patterns_store(r->pat, &s);
	struct tx_words *w = NULL;
	if (!whole_patterns(r->bytes)) {
		w = tx_words_new();
		bk_each_text(b, add_words, w);
	}
	tx_hyph_preload_stored(b->meta.language, w, &s);
}

/*
 * The book read beside the patterns. A big book's patterns (the whole
 * file: 53 M instructions for en-GB) do not depend on its Markdown, only
 * on book.yaml's language, so they load on a second core while book_load
 * parses the parts (44 M for the edition); load_patterns then finds them
 * loaded. A small book's patterns depend on its words, so they wait. With
 * --jobs 1 the two run in order, with the same result: the patterns that
 * hyphenate are those load_patterns asks for, given the checked book.
 * When OUTDIR keeps the whole file compiled by an earlier build
 * (OUTDIR/.SLUG.patterns, SLUG at a glance too), it is taken at once,
 * about 4.5 M instructions, and there is no second thread at all; nor
 * for a book under JOBS_MIN_BYTES (jobs_for): the glance's size decides.
 */
struct reading {
	const struct cli_opts *o;
	struct diag *d;
	struct book *b;
	char lang[64]; /* book.yaml's, at a glance (bk_peek) */
	bool warm_zip; /* an EPUB is to be written, the patterns beside */
	struct tx_store store;	    /* OUTDIR's compiled patterns */
	bool stored;		    /* whether store is set */
	int jobs;		    /* threads for the parts (jobs_for) */
};

static void read_book(void *arg)
{
	struct reading *j = arg;
	j->b = book_load_jobs(j->o->dir, j->o->datadir, j->jobs, j->d);
	/* The patterns take longer than the Markdown (49 M against 39 M
	 * instructions on the edition, 1c9382c; 45 M with libzip):
	 * the EPUB's libzip opens in the wait, off the path (epub.h). */
	if (j->warm_zip)
		epub_open_zip();
}

/* libzip opened on a thread of its own (load_book). */
static void open_zip(void *arg)
{
	(void)arg;
	epub_open_zip();
}

static void warm_patterns(void *arg)
{
	const struct reading *j = arg;
	if (j->stored)
		tx_hyph_preload_stored(j->lang, NULL, &j->store);
	else
		tx_hyph_preload(j->lang);
}

/* Stage 1: book.yaml, the style, the parts, and the patterns for the
 * language. For a build or proof, the output folder is checked (it must
 * hold nothing the book reads) and, when it exists, locked now. Returns
 * the book, or NULL with r->status set. */
static struct book *load_book(struct run *r)
{
	const struct cli_opts *o = r->o;
	cli_progress_stage(&r->pr, "reading %s", o->dir);
	cli_patterns_cache();
	struct reading rd = {.o = o, .d = &r->d};
	long long bytes = 0;
	struct job jobs[2] = {{read_book, &rd}, {warm_patterns, &rd}};
	char *slug = r->pat_slug;
	bool big = bk_peek_slug(o->dir, rd.lang, sizeof(rd.lang), &bytes, slug,
				sizeof(r->pat_slug)) == 0 &&
		   whole_patterns(bytes);
	if (big && *slug) { /* compiled by an earlier build: no thread */
		r->pat = cli_patterns_open(o->outdir, slug);
		cli_patterns_store(r->pat, &rd.store);
		rd.stored = true;
		big = !tx_hyph_preload_kept(rd.lang, &rd.store);
	}
	int threads = jobs_for(o->jobs, bytes);
	rd.jobs = threads;
	if (bytes >= JOBS_MIN_BYTES && bytes < GIVE_BACK_BOOK) /* its heaps on huge pages */
		heap_grow_huge((size_t)bytes * HEAP_PER_BYTE);
	rd.warm_zip = big && r->cmd == CLI_BUILD && o->epub && threads > 1;
	/* A book too small for threads (an essay, the edition) opens libzip
	 * beside its reading and layout all the same: the opening is a fixed
	 * cost, some 2 ms of the single essay's 25 (the loading of libzip and
	 * libcrypto, their relocations and page faults), that nothing but the
	 * EPUB's writing, at the end, waits for. One thread, started once the
	 * glance says no other will start beside it; waited for before the
	 * editions' jobs (write_editions). With --jobs 1, the EPUB opens it. */
	if (r->cmd == CLI_BUILD && o->epub && o->jobs > 1 && threads <= 1)
		r->zip = jobs_aside_begin((struct job){open_zip, NULL}, o->jobs);
	jobs_run(jobs, big ? 2 : 1, threads); /* a small book: no thread */
	struct book *b = rd.b;
	if (!b) {
		r->status = CLI_MANUSCRIPT;
		return NULL;
	}
	r->bytes = book_part_bytes(b, NULL); /* the glance's, checked */
	note_inputs(r->res, b);
	tx_hyph_check(b, &r->d); /* stops the build with the layout's errors */
	if (r->cmd == CLI_BUILD || r->cmd == CLI_PROOF) {
		r->status = check_outputs(b, o, r->res, &r->d);
		/* An output folder there already: locked before its font
		 * cache is read. (One we may not write to is reported only
		 * when there is something to write.) */
		struct stat st;
		if (stat(o->outdir, &st) == 0 && S_ISDIR(st.st_mode) &&
		    access(o->outdir, W_OK) == 0)
			open_txn(r, b);
	}
	if (ok(r)) {
		cli_progress_done(&r->pr, "read %zu parts", b->nparts);
		load_patterns(r, b);
	}
	return b;
}

/* Whether the run needs the print layout: everything but an EPUB-only
 * build, which needs it only for its page list (the page marks). */
static bool wants_layout(const struct run *r)
{
	const struct cli_opts *o = r->o;
	return r->cmd != CLI_BUILD || o->pdf || (o->epub && o->page_list);
}

/* Stage 2: the style's fonts. NULL after reporting (then nothing is laid
 * out; check goes on to lint what it can). */
static struct tx_fonts *load_fonts(struct run *r, const struct book *b)
{
	cli_progress_stage(&r->pr, "loading fonts");
	return tx_fonts_load(&b->style, b->meta.language, &r->d);
}

/* The words OUTDIR's last build shaped with f's fonts, and their break
 * points, for the layout to take (kept in r->shapes and r->hyph until
 * the commit): read only when the book is to be laid out (the edition's
 * 7,860 words are 6 M instructions). */
static void take_shapes(struct run *r, const struct book *b, struct tx_fonts *f)
{
	r->shapes = cli_shapes_open(r->o->outdir, b->meta.slug, r->txn);
	cli_patterns_store(r->shapes, &r->shape_store);
	tx_shapes_take(f, &r->shape_store);
	r->hyph = cli_hyph_open(r->o->outdir, b->meta.slug, r->txn);
	cli_patterns_store(r->hyph, &r->hyph_store);
	tx_hyph_answers_take(&r->hyph_store);
}

/* Stage 3: the print layout. Errors stop every command but check, which
 * goes on to lint what it can. */
static struct pg_doc *lay_out(struct run *r, const struct book *b, struct tx_fonts *f)
{
	struct pg_doc *doc = NULL;
	if (f) {
		cli_progress_stage(&r->pr, "laying out %zu parts", b->nparts);
		/* Only the report prints every line's text. */
		int threads = jobs_for(r->o->jobs, r->bytes);
		r->d.log = cli_marks_layout_log(r->marks); /* the messages, kept with the marks */
		doc = r->cmd == CLI_REPORT ? pg_compose(b, f, &r->d)
					   : pg_compose_lint_jobs(b, f, &r->d, threads);
		r->d.log = NULL;
	}
	if (doc) {
		r->res->npages = doc->npages;
		cli_progress_done(&r->pr,
				  "laid out %zu pages, %zu lines, %zu overfull, %zu hyphenated",
				  doc->npages, doc->lines, doc->overfull, doc->hyphenated);
	}
	if (r->d.nerr && r->cmd != CLI_CHECK)
		r->status = CLI_MANUSCRIPT;
	return doc;
}

/* Whether the run writes the EPUB and no PDF: all it takes from the print
 * layout is then the page marks (and what the revision record and the
 * messages take beside them, marks.h). */
static bool epub_only(const struct run *r)
{
	return r->cmd == CLI_BUILD && r->o->epub && !r->o->pdf && r->o->page_list;
}

/*
 * Stage 3 as a build needs it. An EPUB-only build asks for the page marks
 * alone: from OUTDIR's record of them (OUTDIR/.SLUG.marks) when it keeps
 * them under the key of this book's inputs, and then nothing is laid out
 * and NULL is returned; else, as every other build, it lays the book out,
 * and a build keeps the marks for the next. Sets r->status as lay_out.
 */
static struct pg_doc *pages_or_marks(struct run *r, const struct book *b, struct tx_fonts *f)
{
	if (r->cmd == CLI_BUILD && r->o->page_list && f)
		r->marks =
		    cli_marks_open(b, r->o, jobs_for(r->o->jobs, r->bytes), &r->began, r->txn);
	if (epub_only(r) && cli_marks_take(r->marks, b, &r->d)) {
		size_t n = 0;
		cli_marks_get(r->marks, &n);
		r->res->npages = n;
		cli_progress_done(&r->pr, "took the page marks of %zu pages from the last build",
				  n);
		if (r->d.nerr)
			r->status = CLI_MANUSCRIPT;
		return NULL;
	}
	if (f)
		take_shapes(r, b, f);
	return lay_out(r, b, f);
}

/* The EPUB's page list: the print layout's page marks, from doc or as
 * kept (*n of them). */
static const struct pg_pagemark *page_marks(const struct run *r, const struct pg_doc *doc,
					    size_t *n)
{
	*n = doc ? doc->nmarks : 0;
	return doc ? doc->marks : cli_marks_get(r->marks, n);
}

/* Stage 4 (check, build): the lint. A build is check and writing: the same
 * findings, hints and exit status, before anything is written. */
static void lint(struct run *r, const struct book *b, struct tx_fonts *f, const struct pg_doc *doc)
{
	cli_progress_stage(&r->pr, "checking");
	/* the findings on the lines kept with the marks, or given again */
	cli_lint_keep(b, f, doc, &r->d, cli_marks_lines_log(r->marks));
	cli_marks_replay_lines(r->marks, &r->d);
	cli_marks_put(r->marks, b, doc);
	if (r->cmd == CLI_CHECK) /* a build finds these writing the PDF */
		cli_check_images(b, doc, r->o->profile ? r->o->profile : b->style.profile, &r->d);
	if (r->o->strict && r->d.nwarn && !r->d.nerr)
		diag_error(&r->d, NULL, 0, 0, "%d warning%s, and --strict makes them errors",
			   r->d.nwarn, plural(r->d.nwarn));
	if (r->d.nerr)
		r->status = CLI_MANUSCRIPT;
}

/* ===== the editions ==================================================== */

/*
 * The two editions share only the book, so they are written as two jobs
 * (src/util/jobs.h): at once on two cores, one after the other with
 * --jobs 1, the same bytes either way. Each is written whole under a
 * staged name (pdf_write and epub_write are atomic themselves); only when
 * all are written are they put in place, together (commit.c).
 *
 * What each thread is worth (December 2026, thr13; callgrind per thread,
 * warm folders, threads forced with OCTAVO_JOBS_MIN=0). The saving is
 * the smaller side of an overlap, the cost what both sides add:
 * - the main matter's parts in two runs (src/layout/parallel.c): the
 *   edition's layout 267 M -> runs of 137 M and 145 M (+15 M: words and
 *   patterns looked up again on the second side), 122 M off the path;
 *   the edition 3 times over 537 M -> 288 M + 286 M (+37 M), 249 M off;
 *   10 times over 1,551 M -> 801 M + 815 M (+65 M), 736 M off; the
 *   Node.js docs 5,333 M -> 2,750 M + 2,659 M (+76 M), 2,583 M off;
 * - the EPUB beside the PDF: the edition's EPUB 45 M beside the PDF's 66
 *   M, 45 M off; 3 times over 90 M beside 180 M; 10 times over 268 M
 *   beside 573 M; the Node docs 551 M beside 1,615 M;
 * - a big book's patterns beside its Markdown (a first build only):
 *   min(book_load, 52 M for en-GB), at most 52 M off, whatever the size;
 * - a big book's PDF made first, its pages' content streams shared
 *   between both threads, then saved beside the EPUB (node18d): the Node
 *   docs' main thread 4,938 M -> 4,329 M (callgrind, warm), the PDF's
 *   1,602 M now 70 M alone, about 490 M of objects and streams on each
 *   thread, then the saving 574 M beside the EPUB's 542 M.
 * By instructions every one pays on the edition; by the clock none does.
 * Timed on a quiet machine (hyperfine, 40 runs), the edition took 84.9 ms
 * (mean; min 76.2) on one thread and 95.8 (84.4) on two, CPU 83 -> 120
 * ms; 25 alternated rounds with each use cut out gave 92.0 ms (all), 92.7
 * (--jobs 1), 97.2 (no parts thread), 97.8 (no editions pair): nothing
 * worth 5 ms. Under load (this machine's 2 cores shared; load 4-10) two
 * threads lost at every size up to 5 editions: the edition 158 -> 243 ms
 * (medians), 2x 285 -> 350, 3x 338 -> 503, 4x 578 -> 552, 5x 778 ->
 * 1,235. A thread's cost does not shrink with the book: a fresh malloc
 * arena (page faults 600 -> 1,200 on the edition, 510 of them the
 * thread heap's first 2 MB, now mapped in one call: src/util/heap.c),
 * caches filled again, both cores slower at once. Long books gain: make
 * bench's 10x book 595 -> 477 ms and 50x 2,794 -> 2,325 ms with the
 * parts' thread, the Node docs 1,538 -> 1,212 ms. So all three start
 * only from JOBS_MIN_BYTES of Markdown (1 MB, src/util/jobs.h): not for
 * the edition, an essay, or books of up to about six editions.
 * Removed before: the EPUB begun on a thread beside the layout and
 * finished beside the PDF (1.5 ms more than writing it whole beside the
 * PDF); its zip deflated on two threads (only without a PDF: nothing on
 * the edition); a setter thread in the layout (no gain); the fonts
 * loaded beside the patterns (tx_fonts_load is 1.2 M instructions: less
 * than a thread's start pays for).
 */
struct pdf_job {
	const struct book *b;
	struct pg_doc *doc;
	const struct tx_fonts *f;
	struct pdf_options po;
	const char *path; /* staged */
	struct diag *d;	  /* the run's: the PDF's messages come first */
	struct cli_pdfstore *store; /* a build's: its streams deflated before */
	struct pdf_draft *draft;    /* made before the pair of jobs, saved in its own */
	struct edition *ed;
	int rc;
};

/* The edition's staged file hashed for the manifest (commit.c), here on
 * its writer's thread rather than in the commit after both. */
static void hash_staged(struct edition *e)
{
	e->hashed = cli_file_hash(e->staged, &e->size, &e->hash) == 0;
}

static void write_pdf(void *arg)
{
	struct pdf_job *j = arg;
	if (!j->draft)
		j->draft = pdf_draft_new(j->b, j->doc, j->f, &j->po, j->d);
	j->rc = pdf_draft_save(j->draft, j->path);
	pg_doc_drop_texts(j->doc);
	if (j->rc == 0)
		hash_staged(j->ed);
}

struct epub_job {
	const struct book *b;
	const struct pg_pagemark *marks; /* the print layout's, or NULL */
	size_t nmarks;
	struct epub_options eo;
	struct font_cache fonts;
	struct cli_deflated *deflated; /* a build's: its entries deflated before */
	const char *path; /* staged */
	struct diag d;	  /* into mem, shown after the PDF's */
	struct edition *ed;
	FILE *mem;
	char *buf;
	size_t buflen;
	int rc;
	bool ran; /* write_epub has run (it may run inside the PDF's draft) */
};

static void write_epub(void *arg)
{
	struct epub_job *j = arg;
	j->ran = true;
	j->rc = epub_write_opts(j->b, j->marks, j->nmarks, &j->eo, j->path, &j->d);
	if (j->rc == 0)
		hash_staged(j->ed);
}

/* The PDF's options: the style's, then --screen and --profile, and the
 * profile's ICC profile (*icc, malloc'd). Returns 0, or -1 after
 * reporting an ICC profile that cannot be read. */
static int pdf_job_init(struct run *r, const struct book *b, struct pg_doc *doc,
			const struct tx_fonts *f, const char *path, struct pdf_job *j,
			unsigned char **icc)
{
	const struct cli_opts *o = r->o;
	*j = (struct pdf_job){.b = b, .doc = doc, .f = f, .path = path, .d = &r->d, .rc = -1};
	pdf_options_default(b, &j->po);
	j->po.screen = o->screen;
	if (o->profile) /* --profile wins over the style's 'print:' */
		j->po.profile = o->profile;
	/* the screen profile is the screen edition, tagged and all */
	if (j->po.profile && !strcmp(j->po.profile->name, "screen"))
		j->po.screen = true;
	int nerr = r->d.nerr;
	*icc = pdf_icc_load(j->po.profile, o->datadir, &j->po.icc_len, &r->d);
	j->po.icc = *icc;
	if (r->d.nerr > nerr)
		return -1;
	if (r->cmd == CLI_BUILD) {
		j->store = cli_pdfstore_open(o->outdir, b->meta.slug, r->txn);
		j->po.store = cli_pdfstore_api(j->store);
	}
	j->po.give_back = gives_back(r);
	j->po.at_exit = o->at_exit;
	return 0;
}

/* The EPUB's job: the page marks (with a page list), the print cover's
 * front as its cover image (*png, malloc'd; the SVG cover when it cannot
 * be rendered, with a warning), the font cache, its own diagnostics. */
static void epub_job_init(struct run *r, const struct book *b, struct tx_fonts *f,
			  const struct pg_pagemark *marks, size_t nmarks, const char *path,
			  struct epub_job *j, char **png)
{
	const struct cli_opts *o = r->o;
	*j = (struct epub_job){.b = b, .marks = marks, .nmarks = nmarks, .path = path, .rc = -1};
	size_t len = 0;
	if (cli_cover_epub(b, f, o->outdir, r->txn, png, &len, r->bytes >= GIVE_BACK_COVER,
			   &r->d) == 0)
		j->eo = (struct epub_options){.cover_png = (const unsigned char *)*png, .cover_len = len};
	j->fonts = (struct font_cache){.outdir = r->cmd == CLI_BUILD ? o->outdir : NULL,
				       .slug = b->meta.slug, .f = f};
	j->eo.subset = subset_for_epub;
	j->eo.subset_ctx = &j->fonts;
	if (r->cmd == CLI_BUILD) {
		j->deflated = cli_deflated_open(o->outdir, b->meta.slug, r->txn);
		j->eo.packed = cli_deflated_get;
		j->eo.keep = cli_deflated_keep;
		j->eo.packed_ctx = j->deflated;
	}
	j->mem = open_memstream(&j->buf, &j->buflen);
	diag_init(&j->d, j->mem ? j->mem : r->d.out);
	j->d.quiet = r->d.quiet;
	j->d.color = r->d.color;
}

/* The EPUB's messages and counts into the run's, after the PDF's (the
 * same order on every run), and its new font cuts staged. */
static void epub_job_end(struct run *r, struct epub_job *j)
{
	if (j->mem) {
		fclose(j->mem);
		if (j->buflen)
			fwrite(j->buf, 1, j->buflen, r->d.out);
		free(j->buf);
	}
	r->d.nerr += j->d.nerr;
	r->d.nwarn += j->d.nwarn;
	font_cache_flush(&j->fonts, j->rc == 0 ? r->txn : NULL);
	cli_deflated_close(j->deflated, j->rc == 0 ? r->txn : NULL);
}

/*
 * Stages 5 and 6: the PDF (doc) and the EPUB (the page marks, NULL for
 * none), as two jobs on up to o->jobs threads. ed[0] is the PDF's file,
 * ed[1] the EPUB's; an edition not wanted has no path. Sets r->status.
 */
static void write_editions(struct run *r, const struct book *b, struct tx_fonts *f,
			   struct pg_doc *doc, const struct pg_pagemark *marks, size_t nmarks,
			   struct edition ed[2])
{
	cli_progress_stage(&r->pr, "writing %s%s%s", ed[0].path ? ed[0].path : "",
			   ed[0].path && ed[1].path ? " and " : "", ed[1].path ? ed[1].path : "");
	struct pdf_job pdf = {.rc = 0};
	struct epub_job epub = {.rc = 0};
	unsigned char *icc = NULL;
	char *cover = NULL;
	struct job jobs[2];
	size_t n = 0;
	/* libzip's opening (load_book), long done: its thread ended before
	 * any other starts, so that a job's thread takes the malloc arena
	 * that thread leaves free (jobs_run). */
	jobs_aside_end(r->zip);
	r->zip = NULL;
	if (r->cmd == CLI_BUILD && doc) /* the lint has read them (the proof would) */
		pg_doc_drop_lines(doc);
	if (gives_back(r)) /* the lines set, and the line records: the editions grow now */
		heap_give_back();
	if (!ed[0].path) {
		if (doc) /* the pages were needed for their marks alone */
			pg_doc_drop_texts(doc);
	} else if (pdf_job_init(r, b, doc, f, ed[0].staged, &pdf, &icc) == 0) {
		pdf.ed = &ed[0];
		jobs[n++] = (struct job){write_pdf, &pdf};
	}
	if (ed[1].path) {
		epub_job_init(r, b, f, marks, nmarks, ed[1].staged, &epub, &cover);
		epub.ed = &ed[1];
		jobs[n++] = (struct job){write_epub, &epub};
	}
	/* A big book's PDF is made first, its pages' contents on two
	 * threads, and then saved beside the EPUB: written whole beside it,
	 * the PDF (1,602 M instructions on the Node.js docs) was alone on
	 * the critical path for about 1,050 M after the EPUB (555 M). Made
	 * after the EPUB's job is set up, so that the messages come in the
	 * order they did. On one thread the PDF is made and saved in its job. */
	int threads = jobs_for(r->o->jobs, r->bytes);
	if (pdf.ed && threads > 1) {
		pdf.po.threads = threads;
		/* A book that gives memory back adds the PDF's objects after
		 * the pages' streams (pdf.c): the EPUB is written beside them,
		 * on the thread that helped with the streams, rather than after
		 * them beside the saving alone (the 50x book: the EPUB's 1.9 G
		 * instructions began only after the PDF's objects). */
		if (pdf.po.give_back && n == 2)
			pdf.po.beside = jobs[--n];
		pdf.draft = pdf_draft_new(b, doc, f, &pdf.po, &r->d);
		if (pdf.po.beside.run && !epub.ran) /* the draft stopped before its pages */
			write_epub(&epub);
	}
	/* A tagged PDF (the screen edition, or 'tagged: true') costs about
	 * twice an untagged one: beside it, the EPUB pays its thread at any
	 * size (the edition in the screen profile, quiet, 2026-12-06:
	 * 108-113 ms on one thread, 80-94 ms with the pair). */
	bool tagged = n == 2 && (pdf.po.tagged || pdf.po.screen);
	jobs_run(jobs, n, tagged ? r->o->jobs : threads);
	cli_pdfstore_close(pdf.store, pdf.rc == 0 ? r->txn : NULL);
	for (int i = 0; i < 2; i++)
		if (ed[i].hashed) {
			struct strbuf name = STRBUF_INIT;
			sb_addf(&name, "%s%s", b->meta.slug, ed[i].ext);
			cli_txn_hashed(r->txn, name.buf, ed[i].size, ed[i].hash);
			sb_release(&name);
		}
	if (ed[1].path)
		epub_job_end(r, &epub);
	/* What the manuscript holds is the author's to fix. */
	if (pdf.rc < 0)
		r->status = pdf.rc == PDF_BAD_INPUT ? CLI_MANUSCRIPT : CLI_IO;
	if (epub.rc < 0)
		r->status = CLI_IO;
	if (ok(r))
		cli_progress_done(&r->pr, "wrote the edition");
	free(icc);
	free(cover);
}

/* OUTDIR/SLUG.pdf and OUTDIR/SLUG.epub, as the run wants them, with their
 * staged names. */
static void stage_editions(struct run *r, const struct book *b, struct edition ed[2])
{
	bool want[2] = {r->cmd == CLI_PROOF || r->o->pdf, r->cmd == CLI_BUILD && r->o->epub};
	for (int i = 0; i < 2 && ok(r); i++)
		if (want[i] && stage_paths(r->o, b, r->txn, &ed[i], &r->d) < 0)
			r->status = CLI_IO;
}

/* Stage 7: the revision record (and report), then the proof, then every
 * staged file put in place. */
static void finish_edition(struct run *r, const struct book *b, struct tx_fonts *f,
			   const struct pg_doc *doc, const struct edition ed[2], char **proof_line)
{
	size_t nkept = 0;
	const struct cli_page_rec *kept = cli_marks_pages(r->marks, &nkept);
	if (ok(r) && (doc || kept)) {
		cli_progress_stage(&r->pr, "comparing with the last build");
		if ((doc ? cli_revision(b, doc, r->o->outdir, r->txn, &r->res->changes, &r->d)
			 : cli_revision_recs(b, kept, nkept, r->o->outdir, r->txn,
					     &r->res->changes, &r->d)) < 0)
			r->status = CLI_IO;
	}
	if (ok(r) && r->cmd == CLI_PROOF) {
		cli_progress_stage(&r->pr, "rendering the proof");
		r->status = cli_proof(b, doc, ed[0].staged, r->o->outdir, r->o->pages, r->txn,
				      proof_line, &r->d);
		if (ok(r))
			cli_progress_done(&r->pr, "rendered the proof");
	}
	if (ok(r)) {
		cli_patterns_close(r->pat, r->txn);
		r->pat = NULL;
		if (f && r->shapes)
			tx_shapes_give(f, &r->shape_store);
		cli_patterns_close(r->shapes, r->txn);
		r->shapes = NULL;
		if (r->hyph)
			tx_hyph_answers_give(&r->hyph_store);
		cli_patterns_close(r->hyph, r->txn);
		r->hyph = NULL;
		cli_marks_close(r->marks, r->txn);
		r->marks = NULL;
	}
	if (ok(r) && cli_txn_commit(r->txn, &r->d) < 0)
		r->status = CLI_IO;
}

/* The run's outcome into r->res (the files written when it succeeded),
 * its summary, and the transaction closed: what was staged and not put
 * in place is dropped. */
static void end_run(struct run *r, struct edition ed[2], const char *proof_line, bool summary)
{
	struct strbuf written = STRBUF_INIT;
	jobs_aside_end(r->zip); /* a run that stopped before its editions */
	r->zip = NULL;
	tx_hyph_answers_drop(); /* not given: a run that stopped */
	/* What the run's size bought it (jobs.h): -v says so, and the
	 * tests count on it. */
	cli_progress_done(&r->pr, "threads: %u started (%lld KB of Markdown; a thread from %lld KB)%s",
			  jobs_started() - r->threads0, r->bytes / 1024, jobs_min_bytes() / 1024,
			  jobs_aside_started() > r->aside0 ? ", and one beside to open libzip" : "");
	for (int i = 0; i < 2; i++) {
		if (ok(r) && ed[i].path)
			add_written(&written, ed[i].path);
		free(ed[i].staged);
		free(ed[i].path);
	}
	if (ok(r) && proof_line)
		add_written(&written, proof_line);
	if (!ok(r)) { /* no new edition: nothing changed since the last */
		free(r->res->changes);
		r->res->changes = NULL;
	}
	cli_patterns_close(r->pat, NULL);
	cli_patterns_close(r->shapes, NULL);
	cli_patterns_close(r->hyph, NULL);
	cli_marks_close(r->marks, NULL);
	cli_txn_free(r->txn);
	cli_progress_clear(&r->pr);
	r->res->status = r->status;
	r->res->nerr = r->d.nerr;
	r->res->nwarn = r->d.nwarn;
	r->res->seconds = cli_now() - r->pr.t0;
	r->res->written = written.len ? sb_detach(&written, NULL) : NULL;
	sb_release(&written);
	if (summary)
		print_summary(r->cmd, r->o, r->res);
}

/* ===== the pipeline ==================================================== */

int cli_run(enum cli_cmd cmd, const struct cli_opts *o, bool summary, struct cli_result *res)
{
	memset(res, 0, sizeof(*res));
	struct run r = {.cmd = cmd,
			.o = o,
			.res = res,
			.status = CLI_OK,
			.threads0 = jobs_started(),
			.aside0 = jobs_aside_started()};
	clock_gettime(CLOCK_REALTIME, &r.began);
	diag_init(&r.d, stderr);
	r.d.quiet = o->quiet;
	r.d.color = o->color;
	cli_progress_init(&r.pr, o->progress && !o->quiet, o->verbose, &r.d);
	struct tx_fonts *f = NULL;
	struct pg_doc *doc = NULL;
	struct edition ed[2] = {{.ext = ".pdf"}, {.ext = ".epub"}};
	char *proof_line = NULL;

	struct book *b = load_book(&r);
	if (gives_back(&r)) /* the Markdown's parse trees, freed on the thread that read them */
		heap_give_back();
	if (ok(&r) && wants_layout(&r)) {
		f = load_fonts(&r, b);
		doc = pages_or_marks(&r, b, f);
	}
	if (ok(&r) && (cmd == CLI_CHECK || cmd == CLI_BUILD))
		lint(&r, b, f, doc);
	if (ok(&r) && cmd == CLI_REPORT) {
		cli_progress_clear(&r.pr);
		pg_report(doc, stdout, o->lines);
	}
	if (ok(&r) && (cmd == CLI_BUILD || cmd == CLI_PROOF)) {
		open_txn(&r, b);
		stage_editions(&r, b, ed);
	}
	if (ok(&r) && (ed[0].path || ed[1].path)) {
		/* The EPUB's page list is the print layout's page marks. */
		size_t nmarks = 0;
		const struct pg_pagemark *marks = o->page_list ? page_marks(&r, doc, &nmarks) : NULL;
		write_editions(&r, b, f, doc, marks, nmarks, ed);
		finish_edition(&r, b, f, doc, ed, &proof_line);
	}
	end_run(&r, ed, proof_line, summary);
	free(proof_line);
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	return r.status;
}

void cli_result_release(struct cli_result *res)
{
	free(res->written);
	free(res->changes);
	for (size_t i = 0; i < res->ninputs; i++)
		free(res->inputs[i]);
	free(res->inputs);
	memset(res, 0, sizeof(*res));
}
