/*
 * proof.c - 'octavo proof': the print edition as pictures an editor can
 * take in at a glance. poppler's pdftoppm renders the PDF just written to
 * PPM files (a trivial format: a text header, then RGB bytes); we lay the
 * pages out as spreads on one contact sheet, outline the typographic
 * report's problem lines in red, and write PNGs ourselves (png.c).
 *
 * pdftoppm runs through posix_spawnp with an argv: no shell ever sees a
 * path, and a path that begins with '-' is given as "./-...".
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define SHEET_DPI  40  /* the contact sheet: a page is ~220 x 340 px */
#define PAGE_DPI   100 /* --pages: legible */
#define SHEET_COLS 6   /* spreads a row */
#define GAP	   16  /* px between spreads and around the sheet */
#define LABEL	   10  /* px under each row for the folios */

static const unsigned char BACKGROUND[3] = {0x9a, 0x9a, 0x9a};
static const unsigned char RED[3] = {0xe0, 0x10, 0x10};
static const unsigned char INK[3] = {0x20, 0x20, 0x20};
static const unsigned char PAGE_MARK[3] = {0xf0, 0x90, 0x00}; /* a page problem: orange */

/* ===== images ========================================================== */

struct image {
	int w, h;
	unsigned char *px; /* w * h * 3, rows top first */
};

static void fill(struct image *im, const unsigned char c[3])
{
	for (size_t i = 0; i < (size_t)im->w * (size_t)im->h; i++)
		memcpy(im->px + 3 * i, c, 3);
}

static void put_px(struct image *im, int x, int y, const unsigned char c[3])
{
	if (x >= 0 && y >= 0 && x < im->w && y < im->h)
		memcpy(im->px + 3 * ((size_t)y * (size_t)im->w + (size_t)x), c, 3);
}

/* A rectangle's outline, t px thick, drawn inside x0..x1, y0..y1. */
static void outline(struct image *im, int x0, int y0, int x1, int y1, int t,
		    const unsigned char c[3])
{
	for (int y = y0; y <= y1; y++)
		for (int x = x0; x <= x1; x++)
			if (y < y0 + t || y > y1 - t || x < x0 + t || x > x1 - t)
				put_px(im, x, y, c);
}

static void blit(struct image *dst, const struct image *src, int dx, int dy)
{
	for (int y = 0; y < src->h; y++) {
		if (dy + y < 0 || dy + y >= dst->h)
			continue;
		for (int x = 0; x < src->w; x++)
			put_px(dst, dx + x, dy + y,
			       src->px + 3 * ((size_t)y * (size_t)src->w + (size_t)x));
	}
}

/* A 3 x 5 pixel font for folios: digits, roman numerals, brackets. */
static const char font_chars[] = "0123456789ivxlcdm[]";
static const unsigned short font_bits[] = {
    075557, 026227, 071747, 071717, 055711, 074717, 074757, 071111, 075757, 075717,
    020222, 000552, 000525, 022223, 000747, 011757, 000775, 064446, 031113,
};

static void draw_text(struct image *im, int x, int y, const char *s)
{
	for (; *s; s++, x += 4) {
		const char *k = strchr(font_chars, tolower((unsigned char)*s));
		if (!k || !*s)
			continue;
		unsigned bits = font_bits[k - font_chars];
		for (int row = 0; row < 5; row++)
			for (int col = 0; col < 3; col++)
				if (bits >> ((4 - row) * 3 + (2 - col)) & 1)
					put_px(im, x + col, y + row, INK);
	}
}

/* ===== PPM ============================================================= */

/* Skips whitespace and '#' comments in a PPM header. */
static const char *ppm_space(const char *p, const char *end)
{
	while (p < end) {
		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (isspace((unsigned char)*p)) {
			p++;
		} else {
			break;
		}
	}
	return p;
}

static const char *ppm_int(const char *p, const char *end, int *v)
{
	p = ppm_space(p, end);
	long n = 0;
	const char *s = p;
	while (p < end && isdigit((unsigned char)*p) && n < 100000)
		n = n * 10 + (*p++ - '0');
	*v = p == s ? -1 : (int)n;
	return p;
}

/* Reads a binary PPM (P6, maxval 255). Returns 0, or -1 when it is not one. */
static int ppm_read(const char *path, struct image *im)
{
	size_t len;
	char *data = read_file(path, &len);
	if (!data)
		return -1;
	const char *p = data, *end = data + len;
	int w = -1, h = -1, maxval = -1;
	if (len >= 2 && p[0] == 'P' && p[1] == '6') {
		p = ppm_int(p + 2, end, &w);
		p = ppm_int(p, end, &h);
		p = ppm_int(p, end, &maxval);
	}
	if (w <= 0 || h <= 0 || maxval != 255 || p >= end ||
	    (size_t)(end - p - 1) < (size_t)w * (size_t)h * 3) {
		free(data);
		return -1;
	}
	p++; /* the single whitespace after maxval */
	im->w = w;
	im->h = h;
	im->px = xmalloc((size_t)w * (size_t)h * 3);
	memcpy(im->px, p, (size_t)w * (size_t)h * 3);
	free(data);
	return 0;
}

/*
 * Where the trim box's top left corner lies in the media box, points from
 * the media's left and top edges: [0] on a recto (an odd page), [1] on a
 * verso. Read back from the PDF (trim_origins), since a print profile may
 * put the trim off the media's centre: no bleed at the spine (KDP,
 * IngramSpark) shifts a recto's trim left and a verso's right.
 */
struct trim_at {
	double x[2], top[2];
};

/*
 * Cuts rendered page i down to its trim box, at t's corner; a proof
 * shows the page as bound.
 */
static void trim(struct image *im, const struct pg_doc *doc, int dpi, const struct trim_at *t,
		 size_t i)
{
	double s = dpi / 72.0;
	int tw = (int)(doc->page_w * s + 0.5), th = (int)(doc->page_h * s + 0.5);
	int ox = (int)(t->x[i % 2] * s + 0.5), oy = (int)(t->top[i % 2] * s + 0.5);
	/* a pixel of rounding at the far edge */
	if (ox + tw > im->w && ox + tw - im->w <= 1)
		tw = im->w - ox;
	if (oy + th > im->h && oy + th - im->h <= 1)
		th = im->h - oy;
	if (ox <= 0 && oy <= 0 && tw >= im->w && th >= im->h)
		return;
	if (ox + tw > im->w || oy + th > im->h)
		return; /* not the shape we expect: leave it whole */
	if (ox < 0 || oy < 0 || tw <= 0 || th <= 0)
		return; /* not the shape we expect: leave it whole */
	unsigned char *px = xmalloc((size_t)tw * (size_t)th * 3);
	for (int y = 0; y < th; y++)
		memcpy(px + (size_t)y * (size_t)tw * 3,
		       im->px + ((size_t)(y + oy) * (size_t)im->w + (size_t)ox) * 3,
		       (size_t)tw * 3);
	free(im->px);
	im->px = px;
	im->w = tw;
	im->h = th;
}

/* ===== pdftoppm ======================================================== */

/*
 * Renders pdf at dpi into files "PREFIX-N.ppm". Returns 0, or -1 after
 * reporting (pdftoppm missing, or failing).
 */
/*
 * Runs poppler's argv[0] over pdf (argv holds it), its standard output
 * into the file out when out is not NULL. Returns 0, or -1 after
 * reporting (the tool missing, or failing).
 */
static int run_poppler(char **argv, const char *pdf, const char *out, struct diag *d)
{
	const char *prog = argv[0];
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (out)
		posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	pid_t pid;
	int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		diag_error(d, NULL, 0, 0, "cannot run '%s' for the proof: %s", prog, strerror(rc));
		if (rc == ENOENT)
			diag_hint(d, "it comes with poppler: apt-get install poppler-utils");
		return -1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			diag_error(d, NULL, 0, 0, "waiting for %s: %s", prog, strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		diag_error(d, NULL, 0, 0, "cannot run '%s' for the proof", prog);
		diag_hint(d, "it comes with poppler: apt-get install poppler-utils");
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		diag_error(d, pdf, 0, 0, "%s could not read the PDF (%s %d)", prog,
			   WIFEXITED(st) ? "exit status" : "signal",
			   WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	} else {
		return 0;
	}
	return -1;
}

static int render(const char *pdf, int dpi, const char *prefix, struct diag *d)
{
	char res[16];
	snprintf(res, sizeof(res), "%d", dpi);
	char *in = pdf[0] == '-' ? path_join(".", pdf) : xstrdup(pdf);
	char *out = prefix[0] == '-' ? path_join(".", prefix) : xstrdup(prefix);
	char *argv[] = {(char *)"pdftoppm", (char *)"-r", res, in, out, NULL};
	int ret = run_poppler(argv, pdf, NULL, d);
	free(in);
	free(out);
	return ret;
}

/*
 * t from pdf's pages 1 and 2 (page 1's twice for a one-page PDF), read by
 * 'pdfinfo -box' into the file tmp. Returns 0, or -1 after reporting.
 */
static int trim_origins(const char *pdf, const char *tmp, size_t npages, struct trim_at *t,
			struct diag *d)
{
	char *in = pdf[0] == '-' ? path_join(".", pdf) : xstrdup(pdf);
	char *argv[] = {(char *)"pdfinfo", (char *)"-box", (char *)"-f", (char *)"1",
			(char *)"-l", (char *)(npages > 1 ? "2" : "1"), in, NULL};
	int rc = run_poppler(argv, pdf, tmp, d);
	free(in);
	if (rc < 0)
		return -1;
	size_t len = 0;
	char *text = read_file(tmp, &len);
	unlink(tmp);
	/* "Page    1 MediaBox:     0.00     0.00   400.18   630.28" */
	double media[2][4], box[2][4];
	int got[2] = {0, 0};
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		int pg;
		char name[16];
		double v[4];
		if (sscanf(line, "Page %d %15[A-Za-z]: %lf %lf %lf %lf", &pg, name, &v[0], &v[1],
			   &v[2], &v[3]) == 6 &&
		    pg >= 1 && pg <= 2) {
			if (!strcmp(name, "MediaBox"))
				memcpy(media[pg - 1], v, sizeof(v)), got[pg - 1] |= 1;
			else if (!strcmp(name, "TrimBox"))
				memcpy(box[pg - 1], v, sizeof(v)), got[pg - 1] |= 2;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	if (got[0] != 3 || (npages > 1 && got[1] != 3)) {
		diag_error(d, pdf, 0, 0, "pdfinfo gave no trim box for the proof's crop");
		return -1;
	}
	for (int k = 0; k < 2; k++) {
		int p = npages > 1 ? k : 0;
		t->x[k] = box[p][0] - media[p][0];
		t->top[k] = media[p][3] - box[p][3];
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files in dir named "STEM-N.ppm", in page order (pdftoppm pads N to
 * one width). */
static char **rendered(const char *dir, const char *stem, size_t *n)
{
	*n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	char **v = NULL;
	size_t cap = 0, sl = strlen(stem);
	struct dirent *de;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		if (len > sl + 5 && !strncmp(de->d_name, stem, sl) && de->d_name[sl] == '-' &&
		    !strcmp(de->d_name + len - 4, ".ppm")) {
			GROW(v, cap, *n + 1);
			v[(*n)++] = path_join(dir, de->d_name);
		}
	}
	closedir(dp);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_name);
	return v;
}

/* Empties and removes the scratch directory. */
static void remove_scratch(const char *dir)
{
	DIR *dp = opendir(dir);
	if (dp) {
		struct dirent *de;
		while ((de = readdir(dp))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *p = path_join(dir, de->d_name);
			unlink(p);
			free(p);
		}
		closedir(dp);
	}
	rmdir(dir);
}

/* ===== problem lines =================================================== */

/* A line the report counts: overfull, too loose or tight, a code line
 * too long for the measure, wrapped (its continuations are outlined), a
 * line broken inside a word where no rule allows, or inside a name from
 * code (in_name). */
static bool problem(const struct pg_line *l)
{
	return l->overfull || l->wrapped || l->cut || l->in_name ||
	       (l->justified && (l->ratio > 1 || l->ratio < -0.8));
}

/* Outlines page's problem lines on im, whose page image starts at ox, oy
 * and is pw x ph pixels. Returns how many. */
static int mark_lines(struct image *im, const struct pg_doc *doc, size_t page, int ox, int oy,
		      int pw, int ph, int t)
{
	double sx = pw / doc->page_w, sy = ph / doc->page_h;
	int n = 0;
	for (size_t i = 0; i < doc->nlinev; i++) {
		const struct pg_line *l = &doc->linev[i];
		if (l->page != (int)page || !problem(l))
			continue;
		/* PDF points from the bottom left to pixels from the top left. */
		int x0 = ox + (int)(l->x0 * sx) - t, x1 = ox + (int)(l->x1 * sx + 0.999) + t;
		int y0 = oy + (int)((doc->page_h - l->y1) * sy) - t;
		int y1 = oy + (int)((doc->page_h - l->y0) * sy + 0.999) + t;
		outline(im, x0, y0, x1, y1, t, RED);
		n++;
	}
	return n;
}

/* Outlines page i whole when the report counts a page problem on it (a
 * page short, a spread unequal, a note or table broken badly...). */
static int mark_page(struct image *im, const struct pg_doc *doc, size_t i, int ox, int oy, int pw,
		     int ph, int t)
{
	if (!pg_page_problem(doc, i, NULL, 0))
		return 0;
	outline(im, ox, oy, ox + pw - 1, oy + ph - 1, 2 * t, PAGE_MARK);
	return 1;
}

/* ===== the proof ======================================================= */

/* Stages OUTDIR/name, put in place with the edition. */
static int write_png(const struct image *im, struct cli_txn *t, const char *name, struct diag *d)
{
	struct strbuf png = STRBUF_INIT;
	int rc = cli_png_encode(im->px, im->w, im->h, &png);
	if (rc < 0)
		diag_error(d, name, 0, 0, "cannot encode the proof: libpng: %s", png.buf);
	else
		rc = cli_txn_put(t, name, png.buf, png.len, d);
	sb_release(&png);
	return rc;
}

static int contact_sheet(const struct pg_doc *doc, const struct trim_at *at, char **files,
			 size_t n, const char *path, struct cli_txn *t, const char *name,
			 int *nmarked, struct strbuf *line, struct diag *d)
{
	struct image pg = {0};
	if (ppm_read(files[0], &pg) < 0) {
		diag_error(d, files[0], 0, 0, "pdftoppm wrote an image octavo cannot read");
		return -1;
	}
	trim(&pg, doc, SHEET_DPI, at, 0);
	int pw = pg.w, ph = pg.h;
	free(pg.px);
	/* Page 1 alone on the right, then verso-recto pairs. */
	size_t spreads = 1 + n / 2;
	int cols = spreads < SHEET_COLS ? (int)spreads : SHEET_COLS;
	int rows = (int)((spreads + (size_t)cols - 1) / (size_t)cols);
	struct image sheet = {GAP + cols * (2 * pw + GAP), GAP + rows * (ph + LABEL + GAP), NULL};
	sheet.px = xmalloc((size_t)sheet.w * (size_t)sheet.h * 3);
	fill(&sheet, BACKGROUND);
	int rc = 0, npages_marked = 0;
	*nmarked = 0;
	for (size_t i = 0; i < n; i++) {
		if (ppm_read(files[i], &pg) < 0) {
			diag_error(d, files[i], 0, 0, "pdftoppm wrote an image octavo cannot read");
			rc = -1;
			break;
		}
		trim(&pg, doc, SHEET_DPI, at, i);
		if (pg.w != pw || pg.h != ph) {
			/* a recto and a verso cut a pixel apart: the sheet's size */
			struct image c = {pw, ph, xcalloc((size_t)pw * (size_t)ph, 3)};
			memset(c.px, 0xff, (size_t)pw * (size_t)ph * 3);
			blit(&c, &pg, 0, 0);
			free(pg.px);
			pg = c;
		}
		size_t s = (i + 1) / 2;
		bool recto = i % 2 == 0;
		int x = GAP + (int)(s % (size_t)cols) * (2 * pw + GAP) + (recto ? pw : 0);
		int y = GAP + (int)(s / (size_t)cols) * (ph + LABEL + GAP);
		blit(&sheet, &pg, x, y);
		free(pg.px);
		*nmarked += mark_lines(&sheet, doc, i, x, y, pw, ph, 1);
		npages_marked += mark_page(&sheet, doc, i, x, y, pw, ph, 1);
		const char *label = doc->pages[i].label; /* never NULL (layout.h) */
		int tw = (int)strlen(label) * 4 - 1;
		draw_text(&sheet, x + (pw - tw) / 2, y + ph + 3, label);
	}
	if (rc == 0)
		rc = write_png(&sheet, t, name, d);
	if (rc == 0)
		sb_addf(line, "%s (%zu spreads, %d x %d px, %d problem line%s and %d page%s outlined)",
			path, spreads, sheet.w, sheet.h, *nmarked, *nmarked == 1 ? "" : "s",
			npages_marked, npages_marked == 1 ? "" : "s");
	free(sheet.px);
	return rc;
}

/* OUTDIR/SLUG-page-NNN.png for each page; stale ones from a longer
 * edition are removed. */
static int page_images(const struct book *b, const struct pg_doc *doc, const struct trim_at *at,
		       char **files, size_t n, const char *outdir, struct cli_txn *t,
		       struct strbuf *line, struct diag *d)
{
	struct strbuf name = STRBUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct image pg = {0};
		if (ppm_read(files[i], &pg) < 0) {
			diag_error(d, files[i], 0, 0, "pdftoppm wrote an image octavo cannot read");
			rc = -1;
			break;
		}
		trim(&pg, doc, PAGE_DPI, at, i);
		mark_lines(&pg, doc, i, 0, 0, pg.w, pg.h, 2);
		mark_page(&pg, doc, i, 0, 0, pg.w, pg.h, 2);
		sb_reset(&name);
		sb_addf(&name, "%s-page-%03zu.png", b->meta.slug, i + 1);
		char *path = cli_out_path(outdir, name.buf, d);
		rc = path ? write_png(&pg, t, name.buf, d) : -1;
		free(path);
		free(pg.px);
	}
	for (size_t i = n; rc == 0; i++) {
		sb_reset(&name);
		sb_addf(&name, "%s-page-%03zu.png", b->meta.slug, i + 1);
		char *path = cli_out_path(outdir, name.buf, d);
		struct stat st;
		bool gone = !path || lstat(path, &st) != 0;
		free(path);
		if (gone)
			break;
		cli_txn_remove(t, name.buf);
	}
	if (rc == 0)
		sb_addf(line, ", %zu page images %s-page-NNN.png", n, b->meta.slug);
	sb_release(&name);
	return rc;
}

int cli_proof(const struct book *b, const struct pg_doc *doc, const char *pdf_path,
	      const char *outdir, bool pages, struct cli_txn *t, char **line, struct diag *d)
{
	*line = NULL;
	struct strbuf sb = STRBUF_INIT, acc = STRBUF_INIT;
	/* Named by the pid, as the edition's temporaries are, so that the
	 * next build removes it if this one is killed (commit.c). */
	sb_addf(&sb, ".%s.proof.tmp-%ld", b->meta.slug, (long)getpid());
	char *scratch = cli_out_path(outdir, sb.buf, d);
	sb_reset(&sb);
	sb_addf(&sb, "%s-proof.png", b->meta.slug);
	char *sheet_path = cli_out_path(outdir, sb.buf, d);
	sb_release(&sb);
	int status = CLI_IO;
	char **files = NULL;
	size_t n = 0;
	if (!scratch || !sheet_path)
		goto out;
	remove_scratch(scratch); /* a killed run's of the same pid */
	if (mkdir(scratch, 0700) != 0) {
		diag_error(d, outdir, 0, 0, "cannot make a scratch directory: %s", strerror(errno));
		free(scratch);
		scratch = NULL;
		goto out;
	}
	struct trim_at at;
	char *boxes = path_join(scratch, "boxes.txt");
	int rc = trim_origins(pdf_path, boxes, doc->npages, &at, d);
	free(boxes);
	if (rc < 0)
		goto out;
	char *prefix = path_join(scratch, "s");
	rc = render(pdf_path, SHEET_DPI, prefix, d);
	free(prefix);
	if (rc < 0)
		goto out;
	files = rendered(scratch, "s", &n);
	/* A print profile pads the PDF with blank pages (to even, or to a
	 * signature): the proof shows the pages laid out. */
	if (n < doc->npages) {
		diag_error(d, pdf_path, 0, 0, "pdftoppm rendered %zu pages of %zu", n, doc->npages);
		goto out;
	}
	int marked;
	sb_addf(&sb, "%s-proof.png", b->meta.slug);
	rc = contact_sheet(doc, &at, files, doc->npages, sheet_path, t, sb.buf, &marked, &acc, d);
	sb_release(&sb);
	if (rc < 0)
		goto out;
	if (pages) {
		for (size_t i = 0; i < n; i++) {
			unlink(files[i]); /* keep the scratch space small */
			free(files[i]);
		}
		free(files);
		prefix = path_join(scratch, "p");
		rc = render(pdf_path, PAGE_DPI, prefix, d);
		free(prefix);
		files = rendered(scratch, "p", &n);
		if (rc < 0)
			goto out;
		if (n < doc->npages) {
			diag_error(d, pdf_path, 0, 0, "pdftoppm rendered %zu pages of %zu", n,
				   doc->npages);
			goto out;
		}
		if (page_images(b, doc, &at, files, doc->npages, outdir, t, &acc, d) < 0)
			goto out;
	}
	*line = sb_detach(&acc, NULL);
	status = CLI_OK;
out:
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	if (scratch)
		remove_scratch(scratch);
	free(scratch);
	free(sheet_path);
	sb_release(&acc);
	return status;
}
