/*
 * build.c - one run of the pipeline for a command: book, text, layout, then
 * the lint, the report, or the files (editions, revision report, proof).
 */
#define _POSIX_C_SOURCE 200809L
#include "../epub/epub.h"
#include "../pdf/pdf.h"
#include "cli.h"

#include <errno.h>
#include <pthread.h>
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
 * OUTDIR/.SLUG.font-N, under a key of the font file (path, size, time)
 * and the characters. A cache that cannot be read or written is simply
 * not used.
 */
static struct {
	const char *outdir, *slug;
	int next; /* fonts asked for in this build: the file's number */
	/* New cuts, written only once the build has succeeded, so that a
	 * failed build leaves the output folder exactly as it was. */
	struct pending {
		char *file, *rec;
		size_t len;
	} *pend;
	size_t npend, pend_cap;
} font_cache;

/* Stages the new cuts in t (when not NULL) or drops them. */
static void font_cache_flush(struct cli_txn *t)
{
	for (size_t i = 0; i < font_cache.npend; i++) {
		struct pending *p = &font_cache.pend[i];
		if (t) {
			/* best effort: a cache not written is only cut again */
			const char *base = strrchr(p->file, '/');
			cli_txn_put(t, base ? base + 1 : p->file, p->rec, p->len, NULL);
		}
		free(p->file);
		free(p->rec);
	}
	free(font_cache.pend);
	font_cache.pend = NULL;
	font_cache.npend = font_cache.pend_cap = 0;
}

static uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

static char *subset_for_epub(const char *path, const uint8_t *used, const char *features,
			     size_t *len)
{
	char *file = NULL;
	uint64_t key[2] = {0, 0};
	struct stat st;
	if (font_cache.outdir && font_cache.slug && stat(path, &st) == 0) {
		struct strbuf name = STRBUF_INIT;
		sb_addf(&name, ".%s.font-%d", font_cache.slug, font_cache.next++);
		file = path_join(font_cache.outdir, name.buf);
		sb_release(&name);
		long long id[3] = {(long long)st.st_size, (long long)st.st_mtim.tv_sec,
				   (long long)st.st_mtim.tv_nsec};
		key[0] = fnv64(fnv64(0xcbf29ce484222325ULL, path, strlen(path)), id, sizeof(id));
		/* The features asked for, and what tx_subset_file keeps
		 * (v2: small capitals and the licence names), are part of
		 * the key. */
		key[1] = fnv64(0xcbf29ce484222325ULL, used, 65536);
		key[1] = fnv64(fnv64(key[1], "v2", 2), features ? features : "",
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
	char *data = tx_subset_file(path, used, true, features, len);
	if (data && file) {
		char *rec = xmalloc(*len + sizeof(key));
		memcpy(rec, key, sizeof(key));
		memcpy(rec + sizeof(key), data, *len);
		GROW(font_cache.pend, font_cache.pend_cap, font_cache.npend + 1);
		font_cache.pend[font_cache.npend++] = (struct pending){file, rec, *len + sizeof(key)};
		file = NULL;
	}
	free(file);
	return data;
}

/* The EPUB, made on a thread of its own: begun (fonts, stylesheet) while
 * the print layout is made, finished (it needs the layout's page marks)
 * while the PDF is written. */
struct epub_job {
	const struct book *b;
	struct epub *e;
	const struct bk_pagemark *marks;
	size_t nmarks;
	const char *path;
	struct diag d; /* into mem, shown when the EPUB is wanted after all */
	FILE *mem;
	char *buf;
	size_t buflen;
	bool started, merged;
	int rc;
	pthread_t th;
	bool running;
};

static void *epub_begin_thread(void *arg)
{
	struct epub_job *j = arg;
	j->e = epub_begin(j->b, &j->d);
	return NULL;
}

static void *epub_finish_thread(void *arg)
{
	struct epub_job *j = arg;
	j->rc = epub_finish(j->e, j->marks, j->nmarks, j->path);
	j->e = NULL;
	return NULL;
}

/* Runs fn on the job's thread, or here when no thread can be made. */
static void epub_run(struct epub_job *j, void *(*fn)(void *))
{
	j->running = pthread_create(&j->th, NULL, fn, j) == 0;
	if (!j->running)
		fn(j);
}

static void epub_wait(struct epub_job *j)
{
	if (j->running)
		pthread_join(j->th, NULL);
	j->running = false;
}

/* The EPUB's messages and counts into d (show: else dropped, when the
 * build stopped before the EPUB was wanted and they were never asked
 * for). They come after the PDF's, the same on every run. */
static void epub_merge(struct epub_job *j, struct diag *d, bool show)
{
	if (!j->started || j->merged)
		return;
	j->merged = true;
	if (j->mem) {
		fclose(j->mem);
		j->mem = NULL;
		if (show && j->buflen)
			fwrite(j->buf, 1, j->buflen, d->out);
		free(j->buf);
		j->buf = NULL;
	}
	if (show) {
		d->nerr += j->d.nerr;
		d->nwarn += j->d.nwarn;
	}
}

/* A book of less Markdown than this (an essay or two) loads only the
 * hyphenation patterns its words need, once they are known; a bigger one
 * loads them all while its Markdown is parsed. */
#define SMALL_BOOK (96 * 1024)

/* Once book.yaml is read and the parts listed. */
static void preload(const struct book *b, void *ctx)
{
	bool *whole = ctx;
	off_t total = 0;
	for (size_t i = 0; i < b->nparts; i++) {
		struct stat stt;
		if (b->parts[i].path && stat(b->parts[i].path, &stt) == 0)
			total += stt.st_size;
	}
	const char *env = getenv("OCTAVO_PATTERNS");
	*whole = total >= SMALL_BOOK || (env && !strcmp(env, "all"));
	if (*whole)
		tx_hyph_preload(b->meta.language);
}

static void add_words(void *w, const char *s, size_t n)
{
	tx_words_add(w, s, n);
}

/* A small book's words, for the patterns it needs (the few words octavo
 * sets itself fall back to the whole file). */
static void preload_words(const struct book *b)
{
	struct tx_words *w = tx_words_new();
	bk_each_text(b, add_words, w);
	tx_hyph_preload_words(b->meta.language, w);
}

int cli_run(enum cli_cmd cmd, const struct cli_opts *o, bool summary, struct cli_result *res)
{
	memset(res, 0, sizeof(*res));
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = o->quiet;
	d.color = o->color;
	struct cli_progress pr;
	cli_progress_init(&pr, o->progress && !o->quiet, o->verbose, &d);
	struct strbuf written = STRBUF_INIT;
	struct tx_fonts *f = NULL;
	struct pg_doc *doc = NULL;
	struct epub_job job = {0};
	struct cli_txn *txn = NULL;
	char *proof_line = NULL;
	char *cover_png = NULL; /* the EPUB's raster cover (cover.c) */
	size_t cover_len = 0;
	int status = CLI_OK;

	cli_progress_stage(&pr, "reading %s", o->dir);
	bool whole = false;
	struct book *b = book_load_then(o->dir, o->datadir, &d, preload, &whole);
	if (!b) {
		status = CLI_MANUSCRIPT;
		goto out;
	}
	note_inputs(res, b);
	tx_hyph_check(b, &d); /* stops the build with the layout's errors */
	if (cmd == CLI_BUILD || cmd == CLI_PROOF) {
		status = check_outputs(b, o, res, &d);
		if (status != CLI_OK)
			goto out;
		/* An output folder there already: wait for any other build
		 * with it, and finish what a killed one left, before reading
		 * its font cache. (One we may not write to is reported only
		 * when there is something to write.) */
		struct stat st;
		if (stat(o->outdir, &st) == 0 && S_ISDIR(st.st_mode) && access(o->outdir, W_OK) == 0 &&
		    !(txn = cli_txn_open(o->outdir, b->meta.slug, o->quiet, &d))) {
			status = CLI_IO;
			goto out;
		}
	}
	cli_progress_done(&pr, "read %zu parts", b->nparts);
	if (!whole)
		preload_words(b);
	epub_set_subsetter(subset_for_epub);
	font_cache.outdir = cmd == CLI_BUILD ? o->outdir : NULL;
	font_cache.slug = b->meta.slug;
	font_cache.next = 0;
	if (cmd == CLI_BUILD && o->epub) {
		job.mem = open_memstream(&job.buf, &job.buflen);
		diag_init(&job.d, job.mem ? job.mem : d.out);
		job.d.quiet = d.quiet;
		job.d.color = d.color;
		job.b = b;
		job.started = true;
		epub_run(&job, epub_begin_thread);
	}

	/* The EPUB's page list needs the print layout too. */
	if (cmd != CLI_BUILD || o->pdf || (o->epub && o->page_list)) {
		cli_progress_stage(&pr, "loading fonts");
		f = tx_fonts_load(&b->style, b->meta.language, &d);
		if (f) {
			cli_progress_stage(&pr, "laying out %zu parts", b->nparts);
			/* A build reads only the layout's counts; the report,
			 * check and proof read every line's record. */
			doc = pg_compose(b, f, &d); /* the lint reads every line's record */
		}
		if (doc) {
			res->npages = doc->npages;
			cli_progress_done(
			    &pr, "laid out %zu pages, %zu lines, %zu overfull, %zu hyphenated",
			    doc->npages, doc->lines, doc->overfull, doc->hyphenated);
		}
		/* check goes on to lint what it can; the others stop here. */
		if (d.nerr && cmd != CLI_CHECK) {
			status = CLI_MANUSCRIPT;
			goto out;
		}
	}
	if (cmd == CLI_CHECK || cmd == CLI_BUILD) {
		/* build is check and writing: the same findings, hints and
		 * exit status, before anything is written. */
		cli_progress_stage(&pr, "checking");
		cli_lint(b, f, doc, &d);
		if (cmd == CLI_CHECK) /* a build finds these writing the PDF */
			cli_check_images(b, doc, o->profile ? o->profile : b->style.profile, &d);
		if (o->strict && d.nwarn && !d.nerr)
			diag_error(&d, NULL, 0, 0, "%d warning%s, and --strict makes them errors",
				   d.nwarn, d.nwarn == 1 ? "" : "s");
		status = d.nerr ? CLI_MANUSCRIPT : CLI_OK;
		if (cmd == CLI_CHECK || status != CLI_OK)
			goto out;
	}
	if (cmd == CLI_REPORT) {
		cli_progress_clear(&pr);
		pg_report(doc, stdout, o->lines);
		goto out;
	}
	if (!txn && !(txn = cli_txn_open(o->outdir, b->meta.slug, o->quiet, &d))) {
		status = CLI_IO;
		goto out;
	}
	/* Every file of the edition is written whole under a staged name
	 * (pdf_write and epub_write are atomic themselves); only when all
	 * are written are they put in place, together (commit.c), so a run
	 * that fails midway leaves the previous edition as it was, every
	 * file of it. */
	struct edition ed[2] = {{".pdf", NULL, NULL}, {".epub", NULL, NULL}};
	bool want[2] = {cmd == CLI_PROOF || o->pdf, cmd == CLI_BUILD && o->epub};
	for (int i = 0; i < 2 && status == CLI_OK; i++)
		if (want[i] && stage_paths(o, b, txn, &ed[i], &d) < 0)
			status = CLI_IO;
	if (status == CLI_OK) {
		/* The two editions share only the book: the EPUB is written on a
		 * second thread (with diagnostics of its own) while this one
		 * writes the PDF. */
		job.marks = o->page_list && doc ? doc->marks : NULL;
		job.nmarks = o->page_list && doc ? doc->nmarks : 0;
		job.path = ed[1].staged;
		/* Without a PDF, the pages' texts were needed only for the
		 * page marks, which are made. */
		if (!want[0]) {
			pg_doc_drop_texts(doc);
			if (want[1]) {
				epub_wait(&job);
				epub_spare_core(job.e);
			}
		}
		if (want[1]) {
			epub_wait(&job);
			/* The print cover's front as the EPUB's cover image
			 * (a warning, and the SVG cover, when it cannot be
			 * rendered). */
			if (job.e && cli_cover_epub(b, f, o->outdir, txn, &cover_png, &cover_len,
						    &d) == 0)
				epub_set_cover_image(job.e, (const unsigned char *)cover_png,
						     cover_len);
			epub_run(&job, epub_finish_thread);
		}
		cli_progress_stage(&pr, "writing %s%s%s", want[0] ? ed[0].path : "",
				   want[0] && want[1] ? " and " : "", want[1] ? ed[1].path : "");
		if (want[0]) {
			struct pdf_options po;
			pdf_options_default(b, &po);
			po.screen = o->screen;
			/* --profile wins over the style's 'print:' */
			if (o->profile)
				po.profile = o->profile;
			/* the screen profile is the screen edition, tagged and all */
			if (po.profile && !strcmp(po.profile->name, "screen"))
				po.screen = true;
			size_t icc_len = 0;
			int nerr = d.nerr;
			unsigned char *icc = pdf_icc_load(po.profile, o->datadir, &icc_len, &d);
			po.icc = icc;
			po.icc_len = icc_len;
			int rc = d.nerr > nerr ? -1
					       : pdf_write_release(b, doc, f, &po, ed[0].staged, &d);
			free(icc);
			/* What the manuscript holds is the author's to fix. */
			if (rc < 0)
				status = rc == PDF_BAD_INPUT ? CLI_MANUSCRIPT : CLI_IO;
			pg_doc_drop_texts(doc);
		}
		if (want[1]) {
			epub_wait(&job);
			epub_merge(&job, &d, true);
			if (job.rc < 0)
				status = CLI_IO;
		}
		if (status == CLI_OK)
			cli_progress_done(&pr, "wrote the edition");
	}
	if (status == CLI_OK && doc) {
		cli_progress_stage(&pr, "comparing with the last build");
		if (cli_revision(b, doc, o->outdir, txn, &res->changes, &d) < 0)
			status = CLI_IO;
	}
	if (status == CLI_OK && cmd == CLI_PROOF) {
		cli_progress_stage(&pr, "rendering the proof");
		status = cli_proof(b, doc, ed[0].staged, o->outdir, o->pages, txn, &proof_line, &d);
		if (status == CLI_OK)
			cli_progress_done(&pr, "rendered the proof");
	}
	if (status == CLI_OK) {
		font_cache_flush(txn);
		if (cli_txn_commit(txn, &d) < 0)
			status = CLI_IO;
	}
	if (status != CLI_OK) { /* no new edition: nothing changed since the last */
		free(res->changes);
		res->changes = NULL;
	}
	for (int i = 0; i < 2; i++) {
		if (status == CLI_OK && ed[i].path)
			add_written(&written, ed[i].path);
		free(ed[i].staged);
		free(ed[i].path);
	}
	if (status == CLI_OK && proof_line)
		add_written(&written, proof_line);
out:
	epub_wait(&job);
	if (job.e)
		epub_finish(job.e, NULL, 0, NULL);
	epub_merge(&job, &d, false);
	font_cache_flush(NULL); /* when the build stopped before its editions */
	cli_txn_free(txn);	/* drops what was staged and not put in place */
	cli_progress_clear(&pr);
	res->status = status;
	res->nerr = d.nerr;
	res->nwarn = d.nwarn;
	res->seconds = cli_now() - pr.t0;
	res->written = written.len ? sb_detach(&written, NULL) : NULL;
	sb_release(&written);
	if (summary)
		print_summary(cmd, o, res);
	free(proof_line);
	free(cover_png);
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	return status;
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
