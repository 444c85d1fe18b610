/*
 * main.c - the octavo command: manuscript in, PDF and EPUB out.
 *
 * The only code that calls exit(). Exit status: 0 success, 1 errors in the
 * manuscript, 2 usage errors, 3 I/O or internal failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "book/book.h"
#include "epub/epub.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "text/text.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef OCTAVO_VERSION
#define OCTAVO_VERSION "0.1.0"
#endif
#ifndef OCTAVO_DATADIR
#define OCTAVO_DATADIR "/usr/local/share/octavo"
#endif

enum { EXIT_MANUSCRIPT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_text[] =
	"usage: octavo build [DIR] [-o OUTDIR] [--pdf] [--epub]\n"
	"       octavo check [DIR]\n"
	"       octavo report [DIR] [--lines]\n"
	"       octavo --help | --version\n"
	"\n"
	"Typesets the book in DIR (default: manuscript/) - its book.yaml and the\n"
	"Markdown parts it lists - into OUTDIR/SLUG.pdf and OUTDIR/SLUG.epub.\n"
	"\n"
	"  -o, --output DIR  where the editions go (default: out/)\n"
	"      --pdf         the print edition only\n"
	"      --epub        the EPUB edition only\n"
	"      --lines       report: every line set, with its source, page and ratio\n"
	"  -q, --quiet       no warnings, no summary\n"
	"  -v, --verbose     say what each stage did\n"
	"\n"
	"Exit status: 0 done, 1 errors in the manuscript, 2 usage errors,\n"
	"3 I/O or internal failure. A failed build leaves the previous\n"
	"edition in OUTDIR untouched.\n";

/* The folder holding styles/ and fonts/: $OCTAVO_DATADIR, else beside the
 * executable (bin/..), else where make install put it. */
static char *find_datadir(void)
{
	const char *env = getenv("OCTAVO_DATADIR");
	if (env && *env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *bin = path_dirname(exe);
		char *root = path_dirname(bin);
		free(bin);
		char *probe = path_join(root, "styles/default.yaml");
		bool ok = access(probe, R_OK) == 0;
		free(probe);
		if (ok)
			return root;
		free(root);
	}
	return xstrdup(OCTAVO_DATADIR);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ensure_dir(const char *dir, struct diag *d)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		diag_error(d, dir, 0, 0, "output path exists and is not a directory");
		return -1;
	}
	if (mkdir(dir, 0755) != 0) {
		diag_error(d, dir, 0, 0, "cannot create output directory: %s", strerror(errno));
		return -1;
	}
	return 0;
}

enum mode { MODE_BUILD, MODE_CHECK, MODE_REPORT, MODE_LINES };

static int cmd_build(const char *dir, const char *outdir, bool want_pdf, bool want_epub,
		     enum mode mode, bool quiet, bool verbose)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = quiet;
	double t0 = now();
	char *datadir = find_datadir();
	struct book *b = book_load(dir, datadir, &d);
	free(datadir);
	if (!b) {
		fprintf(stderr, "octavo: %d error%s; nothing written\n", d.nerr,
			d.nerr == 1 ? "" : "s");
		return EXIT_MANUSCRIPT;
	}
	if (verbose)
		fprintf(stderr, "octavo: read %zu parts (%.0f ms)\n", b->nparts,
			(now() - t0) * 1000);
	int rc = 0;
	struct tx_fonts *f = NULL;
	struct pg_doc *doc = NULL;
	char *pdf_path = NULL, *epub_path = NULL;
	bool check_only = mode != MODE_BUILD;
	if (want_pdf || check_only) {
		f = tx_fonts_load(&b->style, b->meta.language, &d);
		if (!f) {
			rc = EXIT_MANUSCRIPT;
			goto out;
		}
		doc = pg_compose(b, f, &d);
		if (!doc || d.nerr) {
			rc = EXIT_MANUSCRIPT;
			goto out;
		}
		if (verbose)
			fprintf(stderr, "octavo: laid out %zu pages, %zu lines, %zu overfull, %zu hyphenated (%.0f ms)\n",
				doc->npages, doc->lines, doc->overfull, doc->hyphenated,
				(now() - t0) * 1000);
	}
	if (mode == MODE_REPORT || mode == MODE_LINES)
		pg_report(doc, stdout, mode == MODE_LINES);
	if (check_only)
		goto out;
	if (ensure_dir(outdir, &d) < 0) {
		rc = EXIT_IO;
		goto out;
	}
	struct strbuf sb = STRBUF_INIT;
	if (want_pdf) {
		sb_addf(&sb, "%s/%s.pdf", outdir, b->meta.slug);
		pdf_path = sb_detach(&sb, NULL);
		if (pdf_write(b, doc, f, pdf_path, &d) < 0) {
			rc = EXIT_IO;
			goto out;
		}
	}
	if (want_epub) {
		sb_addf(&sb, "%s/%s.epub", outdir, b->meta.slug);
		epub_path = sb_detach(&sb, NULL);
		if (epub_write(b, NULL, 0, epub_path, &d) < 0) {
			rc = EXIT_IO;
			goto out;
		}
	}
	if (!quiet) {
		fprintf(stderr, "octavo: %s%s%s%s", want_pdf ? pdf_path : "",
			want_pdf && want_epub ? ", " : "", want_epub ? epub_path : "",
			want_pdf ? "" : "");
		if (doc)
			fprintf(stderr, " (%zu pages)", doc->npages);
		fprintf(stderr, " in %.0f ms", (now() - t0) * 1000);
		if (d.nwarn)
			fprintf(stderr, ", %d warning%s", d.nwarn, d.nwarn == 1 ? "" : "s");
		fputc('\n', stderr);
	}
out:
	free(pdf_path);
	free(epub_path);
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"pdf", no_argument, NULL, 'P'},
		{"epub", no_argument, NULL, 'E'},         {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},      {"lines", no_argument, NULL, 'L'},
		{NULL, 0, NULL, 0},
	};
	const char *outdir = "out";
	bool pdf = false, epub = false, quiet = false, verbose = false, lines = false;
	int c;
	/* GNU getopt permutes, so options may come before or after the
	 * command and the directory: "octavo build DIR -o out". */
	while ((c = getopt_long(argc, argv, "o:qvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case 'P': pdf = true; break;
		case 'E': epub = true; break;
		case 'L': lines = true; break;
		case 'q': quiet = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		case 'V': printf("octavo %s\n", OCTAVO_VERSION); exit(0);
		default: fputs(usage_text, stderr); exit(EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		exit(EXIT_USAGE);
	}
	const char *cmd = argv[optind++];
	const char *dir = optind < argc ? argv[optind++] : NULL;
	if (optind < argc) {
		fprintf(stderr, "octavo: error: unexpected argument '%s'\n", argv[optind]);
		fputs(usage_text, stderr);
		exit(EXIT_USAGE);
	}
	if (!dir)
		dir = "manuscript";
	if (!pdf && !epub)
		pdf = epub = true;
	if (!strcmp(cmd, "build"))
		exit(cmd_build(dir, outdir, pdf, epub, MODE_BUILD, quiet, verbose));
	if (!strcmp(cmd, "check"))
		exit(cmd_build(dir, outdir, false, false, MODE_CHECK, quiet, verbose));
	if (!strcmp(cmd, "report"))
		exit(cmd_build(dir, outdir, false, false, lines ? MODE_LINES : MODE_REPORT, quiet,
			       verbose));
	fprintf(stderr, "octavo: error: unknown command '%s'\n", cmd);
	fputs(usage_text, stderr);
	exit(EXIT_USAGE);
}
