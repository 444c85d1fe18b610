/*
 * main.c - the octavo command: parses the command line, runs a command
 * (src/cli/) and exits with its status.
 *
 * The only code that calls exit(). Exit status: 0 success, 1 errors in the
 * manuscript, 2 usage errors, 3 I/O or internal failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "util/jobs.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef OCTAVO_VERSION
#define OCTAVO_VERSION "0.1.0"
#endif
#ifndef OCTAVO_DATADIR
#define OCTAVO_DATADIR "/usr/local/share/octavo"
#endif

/* ===== help ============================================================ */

static const char help_text[] =
    "usage: octavo COMMAND [DIR] [OPTIONS]\n"
    "\n"
    "Typesets a book - a folder holding book.yaml and the Markdown parts it\n"
    "lists - into a print PDF and an EPUB 3.\n"
    "\n"
    "Commands:\n"
    "  build [DIR] [-o OUTDIR] [--pdf] [--epub] [--no-page-list] [--screen]\n"
    "        [--profile NAME]\n"
    "                      write OUTDIR/SLUG.pdf and OUTDIR/SLUG.epub, and\n"
    "                      OUTDIR/SLUG.changes.txt: the pages changed since the last build\n"
    "  preflight [DIR] [-o OUTDIR] [--profile NAME]\n"
    "                      read OUTDIR/SLUG.pdf back and check it against a printer's\n"
    "                      profile, one line per rule\n"
    "  check [DIR]         read, lay out and lint the book; write nothing\n"
    "  watch [DIR] [-o OUTDIR] [--pdf] [--epub]\n"
    "                      build, then rebuild on every save until interrupted\n"
    "  proof [DIR] [-o OUTDIR] [--pages]\n"
    "                      build the PDF and OUTDIR/SLUG-proof.png, a contact sheet\n"
    "                      of its spreads with problem lines outlined in red\n"
    "  report [DIR] [--lines]\n"
    "                      the typographic report on standard output\n"
    "  cover [DIR] [-o OUTDIR] [--profile NAME] [--proof]\n"
    "                      write OUTDIR/SLUG-cover.pdf, the wrap cover for the printer\n"
    "  init NEWDIR         make a small book to start from\n"
    "  help [COMMAND]      this help, or a command's\n"
    "  help style          every key of the style file, its range and default\n"
    "\n"
    "DIR is the manuscript folder (default: manuscript), OUTDIR where files go\n"
    "(default: out).\n"
    "\n"
    "Options:\n"
    "  -o, --output=DIR    where files go\n"
    "      --pdf           build the print edition only\n"
    "      --epub          build the EPUB edition only\n"
    "      --no-page-list  leave the print edition's page list out of the EPUB\n"
    "      --screen        a PDF for the screen: no bleed or crop marks (--profile screen)\n"
    "      --profile=NAME  a printer's profile: ingramspark, kdp, lulu, offset or screen\n"
    "      --pages         proof: a PNG of every page as well\n"
    "      --lines         report: every line set, with its source, page and ratio\n"
    "  -q, --quiet         no warnings, no progress, no summary\n"
    "      --strict        build, check: warnings are errors (nothing is written)\n"
    "  -v, --verbose       a line for each stage, with its time\n"
    "  -j, --jobs=N        threads to use: the main matter is set in two halves and\n"
    "                      the PDF and the EPUB are written at once, each on two,\n"
    "                      for a book of 1 MB of Markdown or more (smaller ones:\n"
    "                      one thread; default: $OCTAVO_JOBS, else one per\n"
    "                      processor); 1 runs everything on one thread, to the\n"
    "                      same bytes\n"
    "      --color[=WHEN]  colour diagnostics: auto (on a terminal, unless NO_COLOR\n"
    "                      is set; the default), always or never\n"
    "  -h, --help          this help ('octavo help COMMAND' for a command's)\n"
    "  -V, --version       octavo's version\n"
    "\n"
    "Environment:\n"
    "  OCTAVO_JOBS=N       threads, as --jobs N (which wins over it)\n"
    "  OCTAVO_JOBS_MIN=B   the least Markdown, in bytes, a thread starts for\n"
    "                      (default 1048576; 0: any book)\n"
    "  OCTAVO_DATADIR      the folder holding styles/ and fonts/\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  errors in the manuscript, each reported as FILE:LINE:COL: error: ...\n"
    "  2  usage errors\n"
    "  3  I/O or internal failure\n"
    "A failed build leaves the previous edition in OUTDIR untouched.\n";

/* The options a command takes, beyond -q, -v, --color and --help. */
enum opt_bit {
	O_OUTPUT = 1 << 0,
	O_PDF = 1 << 1,
	O_EPUB = 1 << 2,
	O_NO_PAGE_LIST = 1 << 3,
	O_LINES = 1 << 4,
	O_PAGES = 1 << 5,
	O_SCREEN = 1 << 6,
	O_PROFILE = 1 << 7,
	O_PROOF = 1 << 8,
};

static const char *const opt_name[] = {"-o/--output",	 "--pdf",   "--epub",
				       "--no-page-list", "--lines", "--pages", "--screen",
				       "--profile",	 "--proof"};

struct command {
	const char *name;
	unsigned opts;
	const char *help;
};

static const struct command commands[] = {
    {"build", O_OUTPUT | O_PDF | O_EPUB | O_NO_PAGE_LIST | O_SCREEN | O_PROFILE,
     "usage: octavo build [DIR] [-o OUTDIR] [--pdf] [--epub] [--no-page-list] [--screen]\n"
     "                    [--profile NAME]\n"
     "\n"
     "Typesets the book in DIR (default: manuscript) into OUTDIR/SLUG.pdf and\n"
     "OUTDIR/SLUG.epub (OUTDIR defaults to out), written under temporary\n"
     "names and put in place together when all are complete, one build at a\n"
     "time (another waits up to 120 s); OUTDIR/.SLUG.edition lists the\n"
     "complete edition's files with their sizes and hashes. Every build also records its\n"
     "pages in OUTDIR/.SLUG.pages and, when there is an earlier record, writes\n"
     "OUTDIR/SLUG.changes.txt: which printed pages changed since the last\n"
     "build, and which essays they hold.\n"
     "\n"
     "  -o, --output=DIR    where files go\n"
     "      --pdf           the print edition only\n"
     "      --epub          the EPUB edition only\n"
     "      --no-page-list  no page list (print page numbers) in the EPUB\n"
     "      --screen        a PDF for reading on screen: no bleed, no crop marks,\n"
     "                      whatever the style's print options say (--profile screen)\n"
     "      --profile=NAME  the PDF a printer asks for, whatever the style's 'print:'\n"
     "                      says: ingramspark, kdp, lulu, offset or screen (README.md,\n"
     "                      'Print profiles', gives each one's boxes, colour and standard)\n"},
    {"preflight", O_OUTPUT | O_PROFILE,
     "usage: octavo preflight [DIR] [-o OUTDIR] [--profile NAME]\n"
     "\n"
     "Reads OUTDIR/SLUG.pdf (and OUTDIR/SLUG-cover.pdf, if there is one) back\n"
     "and prints one line per rule of the profile (--profile, else the style's\n"
     "'print:'): page size and boxes, bleed, marks, fonts, colour spaces, every\n"
     "image's colour and effective resolution, the largest total ink, page-count\n"
     "parity, the PDF/X keys and output intent, annotations and outline, and\n"
     "the margins. Exit status 1 when a rule fails; an image's failure names\n"
     "the manuscript file and line that places it.\n"
     "\n"
     "  -o, --output=DIR    where the PDF is (default: out)\n"
     "      --profile=NAME  ingramspark, kdp, lulu, offset or screen\n"},
    {"check", O_PROFILE,
     "usage: octavo check [DIR] [--profile NAME]\n"
     "\n"
     "Reads, lays out and lints the book without writing anything: metadata,\n"
     "Markdown files book.yaml does not list, links and anchors that lead\n"
     "nowhere, footnotes without notes and notes never cited, images missing,\n"
     "too large or without alt text, headings that skip a level, straight\n"
     "quotes and double spaces, characters the fonts lack, and overfull and\n"
     "loose lines. A reference to a note that does not exist is an error\n"
     "(exit status 1); the rest are warnings. Under a print profile (--profile,\n"
     "else the style's 'print:') every image's resolution at its size, as the\n"
     "build finds it: an error under 200 ppi, a warning under 300.\n"
     "\n"
     "      --profile=NAME  ingramspark, kdp, lulu, offset or screen\n"},
    {"watch", O_OUTPUT | O_PDF | O_EPUB | O_NO_PAGE_LIST | O_SCREEN | O_PROFILE,
     "usage: octavo watch [DIR] [-o OUTDIR] [--pdf] [--epub] [--no-page-list]\n"
     "\n"
     "Builds, then rebuilds whenever a part, book.yaml, an image, the style,\n"
     "its stylesheet or a font is saved, printing one line per build. A save\n"
     "with errors prints them and keeps the last good edition in OUTDIR.\n"
     "Ctrl-C stops.\n"},
    {"proof", O_OUTPUT | O_PAGES,
     "usage: octavo proof [DIR] [-o OUTDIR] [--pages]\n"
     "\n"
     "Builds the print edition, renders it with pdftoppm (poppler-utils) and\n"
     "writes OUTDIR/SLUG-proof.png: every spread on one sheet, page 1 alone on\n"
     "the right, with overfull, loose and tight lines outlined in red.\n"
     "\n"
     "  -o, --output=DIR    where files go\n"
     "      --pages         OUTDIR/SLUG-page-NNN.png for every page as well\n"},
    {"report", O_LINES,
     "usage: octavo report [DIR] [--lines]\n"
     "\n"
     "Lays the book out and prints the typographic report: pages, lines,\n"
     "overfull, loose, tight and hyphenated lines, and the worst lines.\n"
     "\n"
     "      --lines         every line set: source, page, ratio and text\n"},
    {"cover", O_OUTPUT | O_PROFILE | O_PROOF,
     "usage: octavo cover [DIR] [-o OUTDIR] [--profile NAME] [--proof]\n"
     "\n"
     "Lays the book out for its page count and writes OUTDIR/SLUG-cover.pdf: the\n"
     "back, the spine and the front side by side at the trim height, with the\n"
     "bleed round them. The spine is the page count times the paper's thickness\n"
     "('paper:' in book.yaml or the style: white, cream, or a figure). The front\n"
     "holds the title, subtitle, editors or authors, publisher and 'cover-image';\n"
     "the spine the title and publisher, when the book is thick enough; the back\n"
     "the description and the print ISBN as an EAN-13 barcode. A failed cover\n"
     "leaves the previous one untouched.\n"
     "\n"
     "  -o, --output=DIR    where files go\n"
     "      --profile=NAME  the printer's figures: kdp, ingramspark, lulu or offset\n"
     "                      (default: the style's trim and bleed, KDP's paper)\n"
     "      --proof         draw the trim, the spine's folds and the safe areas\n"},
    {"init", 0,
     "usage: octavo init NEWDIR\n"
     "\n"
     "Makes NEWDIR (which must not exist, or be empty) a small book that\n"
     "builds: book.yaml with a new random UUID and the default style, and two\n"
     "example parts.\n"},
    {"help", 0,
     "usage: octavo help [COMMAND]\n"
     "\n"
     "Prints octavo's help, or a command's; 'octavo help style' prints every\n"
     "key of the style file with its type, range and default.\n"},
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void command_help(const struct command *c, FILE *out)
{
	fputs(c->help, out);
	fputs("\nCommon options: -q/--quiet, -v/--verbose, -j/--jobs=N, --color[=WHEN],\n"
	      "-h/--help.\n"
	      "Exit status: 0 success, 1 errors in the manuscript, 2 usage errors,\n"
	      "3 I/O or internal failure.\n",
	      out);
}

/* A usage error: the message, a pointer to --help, and status 2. */
static _Noreturn void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);

static void usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct strbuf msg = STRBUF_INIT, shown = STRBUF_INIT;
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	/* The message echoes the command line: shown as diagnostics are. */
	sb_add_term(&shown, msg.buf, msg.len);
	fputs("octavo: error: ", stderr);
	fputs(shown.buf, stderr);
	sb_release(&msg);
	sb_release(&shown);
	fputs("\nTry 'octavo --help' for more information.\n", stderr);
	exit(CLI_USAGE);
}

/* ===== environment ===================================================== */

static bool probe(const char *root)
{
	char *p = path_join(root, "styles/default.yaml");
	bool ok = access(p, R_OK) == 0;
	free(p);
	return ok;
}

/* The folder holding styles/ and fonts/: $OCTAVO_DATADIR, else beside the
 * executable (a source tree's bin/.. or an installed PREFIX/share/octavo,
 * wherever PREFIX is), else where make install put it. */
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
		if (probe(root))
			return root;
		char *share = path_join(root, "share/octavo");
		free(root);
		if (probe(share))
			return share;
		free(share);
	}
	return xstrdup(OCTAVO_DATADIR);
}

/* --color=WHEN: auto colours a terminal unless NO_COLOR is set (and not
 * empty: no-color.org) or the terminal is dumb. */
static bool want_color(const char *when, bool tty)
{
	if (!strcmp(when, "always"))
		return true;
	if (!strcmp(when, "never"))
		return false;
	if (strcmp(when, "auto"))
		usage_error("--color takes auto, always or never, not '%s'", when);
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	return tty && !(no && *no) && !(term && !strcmp(term, "dumb"));
}

/* ===== the command line ================================================ */

/* What the command line asked for, beyond o. */
struct args {
	struct cli_opts o;
	const char *color;   /* --color=WHEN */
	const char *profile; /* --profile=NAME, or NULL */
	const char *jobs;    /* --jobs=N, or NULL */
	unsigned given;	     /* enum opt_bit: the command's own options given */
	bool help;
};

/* Parses the options into a (GNU getopt permutes, so options may come
 * before or after the command and the directory: "octavo build DIR -o
 * out"); argv[optind] is the command then. Exits on -V and on an option
 * getopt refuses. */
static void parse_options(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'}, {"pdf", no_argument, NULL, 'P'},
	    {"epub", no_argument, NULL, 'E'},	      {"no-page-list", no_argument, NULL, 'N'},
	    {"lines", no_argument, NULL, 'L'},	      {"pages", no_argument, NULL, 'G'},
	    {"screen", no_argument, NULL, 'S'},	      {"profile", required_argument, NULL, 'R'},
	    {"proof", no_argument, NULL, 'F'},	      {"jobs", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},	      {"strict", no_argument, NULL, 'T'},
	    {"verbose", no_argument, NULL, 'v'},      {"color", optional_argument, NULL, 'C'},
	    {"colour", optional_argument, NULL, 'C'}, {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
	};
	struct cli_opts *o = &a->o;
	int c;
	while ((c = getopt_long(argc, argv, "o:j:qvhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->outdir = optarg, a->given |= O_OUTPUT; break;
		case 'P': o->pdf = true, a->given |= O_PDF; break;
		case 'E': o->epub = true, a->given |= O_EPUB; break;
		case 'N': o->page_list = false, a->given |= O_NO_PAGE_LIST; break;
		case 'L': o->lines = true, a->given |= O_LINES; break;
		case 'G': o->pages = true, a->given |= O_PAGES; break;
		case 'S': o->screen = true, a->given |= O_SCREEN; break;
		case 'R': a->profile = optarg, a->given |= O_PROFILE; break;
		case 'F': o->guides = true, a->given |= O_PROOF; break;
		case 'j': a->jobs = optarg; break;
		case 'q': o->quiet = true; break;
		case 'T': o->strict = true; break;
		case 'v': o->verbose = true; break;
		case 'C': a->color = optarg ? optarg : "always"; break;
		case 'h': a->help = true; break;
		case 'V': printf("octavo %s\n", OCTAVO_VERSION); exit(CLI_OK);
		default: /* getopt has said what was wrong */
			fputs("Try 'octavo --help' for more information.\n", stderr);
			exit(CLI_USAGE);
		}
	}
}

/* The threads for the editions: --jobs N, else $OCTAVO_JOBS, else one per
 * processor. A count that is not a number from 1 to JOBS_MAX is a usage
 * error. */
static int thread_count(const char *arg)
{
	const char *env = getenv("OCTAVO_JOBS");
	const char *s = arg ? arg : env && *env ? env : NULL;
	const char *min = getenv("OCTAVO_JOBS_MIN");
	if (min && *min && jobs_parse_bytes(min) < 0)
		usage_error("OCTAVO_JOBS_MIN takes a number of bytes, not '%s'", min);
	if (!s)
		return jobs_default();
	int n = jobs_parse(s);
	if (!n)
		usage_error("%s takes a number of threads from 1 to %d, not '%s'",
			    arg ? "--jobs" : "OCTAVO_JOBS", JOBS_MAX, s);
	return n;
}

/* --profile: a printer's name from the table (src/book/profile.h);
 * --screen is the screen's profile. */
static void resolve_profile(struct cli_opts *o, const char *profile)
{
	if (profile) {
		o->profile = print_profile_lookup(profile);
		if (!o->profile) {
			const char *near = print_profile_suggest(profile);
			if (near)
				usage_error("unknown print profile '%s'; did you mean '%s'? (the "
					    "profiles: %s)",
					    profile, near, print_profile_names());
			usage_error("unknown print profile '%s' (the profiles: %s)", profile,
				    print_profile_names());
		}
		if (o->screen && o->profile != print_profile_lookup("screen"))
			usage_error("--screen and --profile %s ask for two different PDFs",
				    profile);
	}
	if (o->screen)
		o->profile = print_profile_lookup("screen");
}

/* 'octavo help [COMMAND]' and 'octavo init NEWDIR': they need no book. */
static _Noreturn void run_help(const char *arg)
{
	if (arg && !strcmp(arg, "style")) {
		bk_style_help(stdout);
		exit(CLI_OK);
	}
	const struct command *about = arg ? find_command(arg) : NULL;
	if (arg && !about)
		usage_error("no help on '%s': it is not a command", arg);
	if (about)
		command_help(about, stdout);
	else
		fputs(help_text, stdout);
	exit(CLI_OK);
}

static _Noreturn void run_init(const char *arg, const struct cli_opts *o)
{
	if (!arg)
		usage_error("init needs the new book's directory: 'octavo init NEWDIR'");
	struct diag d;
	diag_init(&d, stderr);
	d.color = o->color;
	int rc = cli_init(arg, &d);
	if (rc == CLI_OK && !o->quiet)
		fprintf(stderr, "octavo: made a new book in %s; build it with 'octavo build %s'\n",
			arg, arg);
	exit(rc);
}

/* Runs a command that reads a book; returns its exit status. */
static int run_book(const struct command *cmd, const struct cli_opts *o)
{
	int rc;
	struct cli_result res;
	if (!strcmp(cmd->name, "watch"))
		return cli_watch(o);
	if (!strcmp(cmd->name, "preflight"))
		return cli_preflight(o);
	if (!strcmp(cmd->name, "cover")) {
		rc = cli_cover(o, &res);
	} else {
		enum cli_cmd which = !strcmp(cmd->name, "build")   ? CLI_BUILD
				     : !strcmp(cmd->name, "check") ? CLI_CHECK
				     : !strcmp(cmd->name, "proof") ? CLI_PROOF
								   : CLI_REPORT;
		struct cli_opts once = *o;
		once.at_exit = true; /* main returns next */
		rc = cli_run(which, &once, true, &res);
	}
	cli_result_release(&res);
	return rc;
}

/* ===== main ============================================================ */

int main(int argc, char **argv)
{
	heap_init(); /* one arena on huge pages, grown 8 MB at a time (heap.c) */
	struct args a = {.o = {.outdir = "out", .page_list = true}, .color = "auto"};
	struct cli_opts *o = &a.o;
	parse_options(argc, argv, &a);
	bool tty = isatty(STDERR_FILENO);
	o->color = want_color(a.color, tty);
	const char *term = getenv("TERM");
	o->progress = tty && !o->quiet && !(term && !strcmp(term, "dumb"));

	if (optind >= argc) {
		if (a.help)
			run_help(NULL);
		fputs(
		    "usage: octavo COMMAND [DIR] [OPTIONS]; commands: build, check, watch, proof,\n"
		    "report, preflight, cover, init, help\n",
		    stderr);
		usage_error("no command given");
	}
	const char *name = argv[optind++];
	const struct command *cmd = find_command(name);
	if (!cmd)
		usage_error("unknown command '%s' (build, check, watch, proof, report, preflight, "
			    "cover, init, help)",
			    name);
	if (a.help) {
		command_help(cmd, stdout);
		exit(CLI_OK);
	}
	const char *arg = optind < argc ? argv[optind++] : NULL;
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	for (size_t i = 0; i < ARRAY_LEN(opt_name); i++) {
		if ((a.given & ~cmd->opts) & (1u << i)) {
			fprintf(stderr, "octavo: error: %s does not apply to '%s'\n", opt_name[i],
				cmd->name);
			fprintf(stderr, "Try 'octavo help %s' for more information.\n", cmd->name);
			exit(CLI_USAGE);
		}
	}
	if (!strcmp(cmd->name, "help"))
		run_help(arg);
	if (!strcmp(cmd->name, "init"))
		run_init(arg, o);

	resolve_profile(o, a.profile);
	o->jobs = thread_count(a.jobs);
	o->dir = arg ? arg : "manuscript";
	if (!o->pdf && !o->epub)
		o->pdf = o->epub = true;
	char *datadir = find_datadir();
	o->datadir = datadir;
	int rc = run_book(cmd, o);
	free(datadir);
	diag_free_source_cache();
	exit(rc);
}
