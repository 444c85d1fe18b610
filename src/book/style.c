/*
 * style.c - the style file (styles/NAME.yaml): the edition's design.
 *
 * Lengths are written as a number and a unit (mm, cm, in, pt, or em of the
 * body size) so that a designer can copy figures from a specification.
 */
#define _POSIX_C_SOURCE 200809L
#include "book-int.h"
#include "kinds.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sctx {
	struct book *b;
	const char *path;
	const char *dir;
	const char *datadir;
	struct diag *d;
};

/* Parses "138mm" into points. em is the size an "em" stands for (0 when
 * ems are not allowed). Returns 0 or -1 after reporting. */
static int length(struct sctx *s, const struct ynode *n, const char *key, double em, double *out)
{
	if (!n)
		return 0; /* keep the default */
	if (n->kind != Y_SCALAR) {
		diag_error(s->d, s->path, n->line, n->col, "'%s' must be a length such as '12pt'",
			   key);
		return -1;
	}
	char *end;
	errno = 0;
	double v = strtod(n->str, &end);
	if (end == n->str || errno || !isfinite(v)) {
		diag_error(s->d, s->path, n->line, n->col,
			   "'%s' must be a length such as '12pt', not '%s'", key, n->str);
		return -1;
	}
	while (*end == ' ')
		end++;
	double k;
	if (!strcmp(end, "pt") || !*end)
		k = 1;
	else if (!strcmp(end, "mm"))
		k = 72.0 / 25.4;
	else if (!strcmp(end, "cm"))
		k = 72.0 / 2.54;
	else if (!strcmp(end, "in"))
		k = 72.0;
	else if (!strcmp(end, "em") && em > 0)
		k = em;
	else {
		diag_error(s->d, s->path, n->line, n->col, "unknown unit '%s' in '%s'", end, key);
		diag_hint(s->d, "use pt, mm, cm, in%s", em > 0 ? " or em" : "");
		return -1;
	}
	if (v < 0) {
		diag_error(s->d, s->path, n->line, n->col, "'%s' must not be negative", key);
		return -1;
	}
	if (!isfinite(v * k) || v * k > 14400) {
		diag_error(s->d, s->path, n->line, n->col, "'%s' is more than 200 in", key);
		return -1;
	}
	*out = v * k;
	return 0;
}

static int boolean(struct sctx *s, const struct ynode *n, const char *key, bool *out)
{
	if (!n)
		return 0;
	if (n->kind == Y_SCALAR && n->plain) {
		if (!strcmp(n->str, "true") || !strcmp(n->str, "yes")) {
			*out = true;
			return 0;
		}
		if (!strcmp(n->str, "false") || !strcmp(n->str, "no")) {
			*out = false;
			return 0;
		}
	}
	diag_error(s->d, s->path, n->line, n->col, "'%s' must be true or false", key);
	return -1;
}

/* A file named by the style, relative to the style file's directory, or NULL
 * when none is named (an error when the file is required). */
static const char *style_file(struct sctx *s, const struct ynode *n, const char *key,
			      bool required)
{
	const char *v = ystring(&s->b->arena, n, s->path, key, s->d);
	if (!v) {
		/* "italic:" with nothing after it (or ~) names no file. */
		if (required && n && n->kind == Y_SCALAR)
			diag_error(s->d, s->path, n->line, n->col, "'%s' names no file", key);
		return NULL;
	}
	char *p = path_join(s->dir, v);
	const char *roots[] = {s->b->dir, s->datadir, NULL};
	char *real;
	struct stat st;
	/* Opened here to be checked on what was opened (a regular file, one
	 * name, inside); the text and EPUB stages read it again by the real
	 * path kept here. */
	int fd = bk_open_confined(p, roots, key, v, s->path, n->line, n->col, s->d, &st, &real);
	free(p);
	if (fd < 0)
		return NULL;
	close(fd);
	const char *r = ar_strdup(&s->b->arena, real);
	free(real);
	return r;
}

/* The style's print profile: a name in the table, else an error with the
 * nearest name. */
static void style_profile(struct sctx *s, const struct ynode *n)
{
	const char *v = n->kind == Y_SCALAR ? n->str : NULL;
	const struct print_profile *p = v ? print_profile_lookup(v) : NULL;
	if (p) {
		s->b->style.profile = p;
		s->b->style.at_profile = (struct bk_mark){n->line, n->col};
		return;
	}
	diag_error(s->d, s->path, n->line, n->col, "unknown print profile '%s'", v ? v : "");
	const char *near = v ? print_profile_suggest(v) : NULL;
	if (near)
		diag_hint(s->d, "did you mean '%s'? (the profiles: %s)", near,
			  print_profile_names());
	else
		diag_hint(s->d, "the profiles: %s", print_profile_names());
}

static void defaults(struct bk_style *st)
{
	const double mm = 72.0 / 25.4;
	st->page_w = 138 * mm;
	st->page_h = 216 * mm;
	st->margin_top = 16 * mm;
	st->margin_bottom = 20 * mm;
	st->margin_inner = 17 * mm;
	st->margin_outer = 21 * mm;
	st->body_size = 10.5;
	st->body_leading = 14;
	st->note_size = 8.5;
	st->note_leading = 11;
	st->title_size = 18;
	st->h2_size = 12;
	st->h3_size = 10.5;
	st->indent = 10.5;
	st->quote_indent = 15;
	st->justify = true;
	st->ligatures = true;
	st->protrusion = true;
	st->expansion = 0.02;
	st->accent_rgb = 0x000000;
	st->max_image_pixels = BK_MAX_IMAGE_PIXELS;
	st->h1_size = 0;   /* from the body size once it is known: see blocks_keys */
	st->table_size = 0;
	st->code_size = 0;
}

/* The keys for what goes into the page: tables' type, code's type and
 * the floor it steps down to, h1 and h4, where a display line's short
 * line goes. Sizes default from the body's. */
static void blocks_keys(struct sctx *s, const struct ynode *root, const struct ynode *h,
			double em)
{
	struct bk_style *st = &s->b->style;
	st->h1_size = st->h2_size * 1.25;
	st->h4_size = em;
	length(s, ymap_get(h, "h1"), "h1", em, &st->h1_size);
	length(s, ymap_get(h, "h4"), "h4", em, &st->h4_size);
	const struct ynode *sl = ymap_get(h, "short-line");
	if (sl) {
		if (sl->kind == Y_SCALAR && !strcmp(sl->str, "top"))
			st->short_top = true;
		else if (!(sl->kind == Y_SCALAR && !strcmp(sl->str, "bottom")))
			diag_error(s->d, s->path, sl->line, sl->col,
				   "'short-line' must be 'bottom' or 'top': where a title broken "
				   "into balanced lines puts its shorter line");
	}
	const struct ynode *t = ymap_get(root, "tables");
	static const char *const t_keys[] = {"size", "leading", NULL};
	ymap_check_keys(t, s->path, t_keys, s->d);
	st->table_size = em * 0.9;
	st->table_leading = st->body_leading * 0.9;
	length(s, ymap_get(t, "size"), "size", em, &st->table_size);
	length(s, ymap_get(t, "leading"), "leading", em, &st->table_leading);
	const struct ynode *cd = ymap_get(root, "code");
	static const char *const c_keys[] = {"size", "min-size", NULL};
	ymap_check_keys(cd, s->path, c_keys, s->d);
	st->code_size = em * 0.85;
	st->code_min_size = em * 0.72;
	length(s, ymap_get(cd, "size"), "size", em, &st->code_size);
	length(s, ymap_get(cd, "min-size"), "min-size", em, &st->code_min_size);
	const struct {
		const struct ynode *at;
		double v;
		const char *what;
	} sizes[] = {
		{t ? ymap_get(t, "size") : NULL, st->table_size, "tables: size"},
		{cd ? ymap_get(cd, "size") : NULL, st->code_size, "code: size"},
		{cd ? ymap_get(cd, "min-size") : NULL, st->code_min_size, "code: min-size"},
		{ymap_get(h, "h1"), st->h1_size, "headings: h1"},
		{ymap_get(h, "h4"), st->h4_size, "headings: h4"},
	};
	for (size_t i = 0; i < ARRAY_LEN(sizes); i++)
		if (sizes[i].at && (sizes[i].v < 4 || sizes[i].v > 144))
			diag_error(s->d, s->path, sizes[i].at->line, sizes[i].at->col,
				   "'%s' of %.1fpt is outside 4pt to 144pt", sizes[i].what,
				   sizes[i].v);
	if (t && st->table_leading < st->table_size)
		diag_error(s->d, s->path, t->line, t->col,
			   "table leading %.1fpt is less than the table size %.1fpt",
			   st->table_leading, st->table_size);
	if (cd && st->code_min_size > st->code_size)
		diag_error(s->d, s->path, cd->line, cd->col,
			   "code 'min-size' %.1fpt is more than its 'size' %.1fpt: the floor code "
			   "steps down to must be below its size",
			   st->code_min_size, st->code_size);
}

int style_load(struct book *b, const char *path, int fd, const char *datadir, struct diag *d)
{
	struct bk_style *st = &b->style;
	int nerr = d->nerr;
	defaults(st);
	st->path = ar_strdup(&b->arena, path);
	size_t len;
	char *text = read_fd(fd, &len);
	if (!text) {
		diag_error(d, path, 0, 0, "cannot read style file: %s", strerror(errno));
		return -1;
	}
	char *dir = path_dirname(path);
	struct sctx s = {b, st->path, dir, datadir, d};
	bool ok;
	struct ynode *root = NULL;
	if (check_utf8(path, text, len, d) == 0)
		root = yaml_load(&b->arena, st->path, text, len, 1, d, &ok);
	free(text);
	if (!root || root->kind != Y_MAP) {
		if (d->nerr == nerr)
			diag_error(d, path, 1, 1, "a style file must be a YAML mapping");
		free(dir);
		return -1;
	}
	static const char *const top[] = {"page", "margins", "body", "notes", "headings",
					  "fonts", "epub", "colours", "hyphenation", "print", "pages",
					  "images", "tagged", "tables", "code", "divs", "paper", NULL};
	ymap_check_keys(root, s.path, top, d);

	const struct ynode *page = ymap_get(root, "page");
	static const char *const page_keys[] = {"width", "height", NULL};
	ymap_check_keys(page, s.path, page_keys, d);
	length(&s, ymap_get(page, "width"), "width", 0, &st->page_w);
	length(&s, ymap_get(page, "height"), "height", 0, &st->page_h);

	const struct ynode *m = ymap_get(root, "margins");
	static const char *const m_keys[] = {"top", "bottom", "inner", "outer", NULL};
	ymap_check_keys(m, s.path, m_keys, d);
	length(&s, ymap_get(m, "top"), "top", 0, &st->margin_top);
	length(&s, ymap_get(m, "bottom"), "bottom", 0, &st->margin_bottom);
	length(&s, ymap_get(m, "inner"), "inner", 0, &st->margin_inner);
	length(&s, ymap_get(m, "outer"), "outer", 0, &st->margin_outer);

	const struct ynode *body = ymap_get(root, "body");
	static const char *const body_keys[] = {"size", "leading", "indent", "quote-indent",
						"justify", "ligatures", "protrusion", "expansion", NULL};
	ymap_check_keys(body, s.path, body_keys, d);
	length(&s, ymap_get(body, "size"), "size", 0, &st->body_size);
	/* An impossible body size is reported below; ems then count from the
	 * default size, so that it is the only error the designer sees. */
	double em = st->body_size >= 4 && st->body_size <= 72 ? st->body_size : 10.5;
	length(&s, ymap_get(body, "leading"), "leading", em, &st->body_leading);
	st->indent = em;
	st->quote_indent = 1.5 * em;
	length(&s, ymap_get(body, "indent"), "indent", em, &st->indent);
	length(&s, ymap_get(body, "quote-indent"), "quote-indent", em, &st->quote_indent);
	boolean(&s, ymap_get(body, "justify"), "justify", &st->justify);
	boolean(&s, ymap_get(body, "ligatures"), "ligatures", &st->ligatures);
	boolean(&s, ymap_get(body, "protrusion"), "protrusion", &st->protrusion);
	const struct ynode *ex = ymap_get(body, "expansion");
	if (ex) {
		/* "2%": how much wider or narrower words may be set. */
		char *end = NULL;
		double v = ex->kind == Y_SCALAR ? strtod(ex->str, &end) : -1;
		if (!end || end == ex->str || (*end && strcmp(end, "%")) || v < 0 || v > 5)
			diag_error(d, path, ex->line, ex->col,
				   "'expansion' must be a percentage from 0%% to 5%%, such as '2%%'");
		else
			st->expansion = v / 100;
	}

	const struct ynode *notes = ymap_get(root, "notes");
	static const char *const note_keys[] = {"size", "leading", "place", NULL};
	ymap_check_keys(notes, s.path, note_keys, d);
	bk_style_notes(st, notes, s.path, d); /* kinds.c */
	length(&s, ymap_get(notes, "size"), "size", em, &st->note_size);
	length(&s, ymap_get(notes, "leading"), "leading", em, &st->note_leading);

	const struct ynode *h = ymap_get(root, "headings");
	static const char *const h_keys[] = {"title", "h1", "h2", "h3", "h4", "short-line", NULL};
	ymap_check_keys(h, s.path, h_keys, d);
	length(&s, ymap_get(h, "title"), "title", em, &st->title_size);
	length(&s, ymap_get(h, "h2"), "h2", em, &st->h2_size);
	length(&s, ymap_get(h, "h3"), "h3", em, &st->h3_size);
	blocks_keys(&s, root, h, em);

	const struct ynode *f = ymap_get(root, "fonts");
	static const char *const f_keys[] = {"regular", "italic", "bold", "bold-italic", "mono",
					     "fallback", "axes", "figures", "small-caps", "features",
					     NULL};
	ymap_check_keys(f, s.path, f_keys, d);
	static const char *const faces[] = {"regular", "italic", "bold", "bold-italic"};
	for (int i = 0; i < 4; i++) {
		const struct ynode *n = ymap_get(f, faces[i]);
		if (!n) {
			diag_error(d, path, f ? f->line : root->line, f ? f->col : root->col,
				   "the style names no '%s' font", faces[i]);
			continue;
		}
		st->font[i] = style_file(&s, n, faces[i], true);
	}
	st->font_mono = style_file(&s, ymap_get(f, "mono"), "mono", false);
	bk_style_opentype(b, f, s.path, dir, datadir, d);

	const struct ynode *e = ymap_get(root, "epub");
	static const char *const e_keys[] = {"css", NULL};
	ymap_check_keys(e, s.path, e_keys, d);
	const struct ynode *css = ymap_get(e, "css");
	if (!css)
		diag_error(d, path, root->line, root->col, "the style names no 'epub: css' file");
	else
		st->css = style_file(&s, css, "css", true);

	const struct ynode *c = ymap_get(root, "colours");
	static const char *const c_keys[] = {"accent", NULL};
	ymap_check_keys(c, s.path, c_keys, d);
	const struct ynode *acc = ymap_get(c, "accent");
	if (acc) {
		unsigned v;
		char tail;
		if (acc->kind != Y_SCALAR || acc->len != 7 ||
		    sscanf(acc->str, "#%6x%c", &v, &tail) != 1)
			diag_error(d, path, acc->line, acc->col,
				   "'accent' must be a colour such as \"#7a1f1f\"");
		else
			st->accent_rgb = v;
	}

	/* pages: running heads and folios */
	const struct ynode *pgs = ymap_get(root, "pages");
	static const char *const pgs_keys[] = {"verso-head", "folios", NULL};
	ymap_check_keys(pgs, s.path, pgs_keys, d);
	const struct ynode *vh = ymap_get(pgs, "verso-head");
	if (vh) {
		if (vh->kind == Y_SCALAR && !strcmp(vh->str, "author"))
			st->verso_author = true;
		else if (!(vh->kind == Y_SCALAR && !strcmp(vh->str, "title")))
			diag_error(d, path, vh->line, vh->col,
				   "'verso-head' must be 'title' (the book's) or 'author' (the essay's)");
	}
	const struct ynode *fo = ymap_get(pgs, "folios");
	if (fo) {
		if (fo->kind == Y_SCALAR && !strcmp(fo->str, "head"))
			st->folio_head = true;
		else if (!(fo->kind == Y_SCALAR && !strcmp(fo->str, "foot")))
			diag_error(d, path, fo->line, fo->col,
				   "'folios' must be 'foot' or 'head' (the outer corner)");
	}

	const struct ynode *pr = ymap_get(root, "print");
	/* 'print: kdp' names a printer's profile (src/book/profile.h); as a
	 * mapping, 'profile:' does, beside the bleed and marks of no profile. */
	const struct ynode *prof = pr && pr->kind == Y_SCALAR ? pr : ymap_get(pr, "profile");
	if (prof)
		style_profile(&s, prof);
	if (pr && pr->kind == Y_SCALAR)
		pr = NULL;
	static const char *const pr_keys[] = {"bleed", "crop-marks", "profile", NULL};
	ymap_check_keys(pr, s.path, pr_keys, d);
	length(&s, ymap_get(pr, "bleed"), "bleed", 0, &st->bleed);
	boolean(&s, ymap_get(pr, "crop-marks"), "crop-marks", &st->crop_marks);

	/* tagged: the print PDF tagged (PDF/UA-1), as the screen PDF always is. */
	boolean(&s, ymap_get(root, "tagged"), "tagged", &st->tagged);
	bk_paper_parse(ymap_get(root, "paper"), s.path, &st->paper, d);

	/* images: how large a picture may be decoded (src/book/image.c). */
	const struct ynode *im = ymap_get(root, "images");
	static const char *const im_keys[] = {"max-megapixels", NULL};
	ymap_check_keys(im, s.path, im_keys, d);
	const struct ynode *mp = ymap_get(im, "max-megapixels");
	if (mp) {
		char *end = NULL;
		double v = mp->kind == Y_SCALAR ? strtod(mp->str, &end) : -1;
		if (!end || end == mp->str || *end || !(v > 0) || v > 400)
			diag_error(d, path, mp->line, mp->col,
				   "'max-megapixels' must be a number above 0 and at most 400, "
				   "such as '50'");
		else
			st->max_image_pixels = v * 1e6 < 1 ? 1 : (long)(v * 1e6);
	}

	/* divs: the classes of fenced divs the style sets as octavo's own. */
	const struct ynode *dv = ymap_get(root, "divs");
	if (dv && dv->kind != Y_MAP) {
		diag_error(d, path, dv->line, dv->col,
			   "'divs' must map classes to octavo's, such as 'warning: aside'");
	} else if (dv) {
		st->div_class = ar_alloc(&b->arena, (dv->nkids / 2 + 1) * sizeof(char *));
		st->div_like = ar_alloc(&b->arena, (dv->nkids / 2 + 1) * sizeof(char *));
		for (size_t i = 0; i + 1 < dv->nkids; i += 2) {
			const struct ynode *v = dv->kids[i + 1];
			size_t k = 0;
			while (bk_div_styles[k] && !(v->kind == Y_SCALAR && !strcmp(v->str, bk_div_styles[k])))
				k++;
			if (!bk_div_styles[k]) {
				diag_error(d, path, v->line, v->col,
					   "div class '%s' must be set like one of octavo's: epigraph, "
					   "dedication, aside, centered, noindent, pagebreak or plain",
					   dv->kids[i]->str ? dv->kids[i]->str : "");
				continue;
			}
			st->div_class[st->ndivs] = ar_strdup(&b->arena, dv->kids[i]->str);
			st->div_like[st->ndivs++] = bk_div_styles[k];
		}
	}

	const struct ynode *hy = ymap_get(root, "hyphenation");
	if (hy && hy->kind != Y_SEQ) {
		diag_error(d, path, hy->line, hy->col,
			   "'hyphenation' must be a list of words such as 'Civil Ex-change'");
	} else if (hy) {
		st->hyphenation = ar_alloc(&b->arena, (hy->nkids + 1) * sizeof(char *));
		for (size_t i = 0; i < hy->nkids; i++) {
			const char *w = ystring(&b->arena, hy->kids[i], s.path, "hyphenation", d);
			if (w)
				st->hyphenation[st->nhyphenation++] = w;
		}
	}

	/* Geometry that cannot make a page is the designer's mistake, and we
	 * say which figure is wrong rather than lay out nothing. */
	const struct ynode *where = page ? page : root;
	if (st->page_w < 72 || st->page_h < 72 || st->page_w > 14400 || st->page_h > 14400)
		diag_error(d, path, where->line, where->col,
			   "page size %.1f x %.1f pt is outside 1 in to 200 in", st->page_w,
			   st->page_h);
	else if (st->page_w + 2 * (st->bleed + (st->crop_marks ? 18 : 0)) > 14400 ||
		 st->page_h + 2 * (st->bleed + (st->crop_marks ? 18 : 0)) > 14400)
		/* The PDF's media box holds the bleed and the crop marks (3 pt
		 * off the bleed, 12 long, 3 beyond): PDF's pages end at 200 in. */
		diag_error(d, path, pr ? pr->line : where->line, pr ? pr->col : where->col,
			   "page size %.1f x %.1f pt with its bleed and crop marks is over "
			   "200 in, the largest a PDF page can be", st->page_w, st->page_h);
	else if (st->margin_inner + st->margin_outer >= st->page_w - 72)
		diag_error(d, path, m ? m->line : root->line, m ? m->col : root->col,
			   "the inner and outer margins leave less than 1 in of text width");
	else if (st->margin_top + st->margin_bottom >= st->page_h - 72)
		diag_error(d, path, m ? m->line : root->line, m ? m->col : root->col,
			   "the top and bottom margins leave less than 1 in of text height");
	where = body ? body : root;
	if (st->body_size < 4 || st->body_size > 72)
		diag_error(d, path, where->line, where->col,
			   "body size %.1fpt is outside 4pt to 72pt", st->body_size);
	else if (st->body_leading < st->body_size)
		diag_error(d, path, where->line, where->col,
			   "body leading %.1fpt is less than the body size", st->body_leading);
	if (st->note_size < 4 || st->note_size > 72 || st->note_leading < st->note_size)
		diag_error(d, path, notes ? notes->line : root->line,
			   notes ? notes->col : root->col,
			   "notes need a size of 4pt to 72pt and leading no less than the size");
	/* A page must hold a line of text with a line of its notes below, and
	 * then some: with less, no page can be filled and laid out. */
	double height = st->page_h - st->margin_top - st->margin_bottom;
	if (height >= 72 && height < 2 * (st->body_leading + st->note_leading))
		diag_error(d, path, m ? m->line : root->line, m ? m->col : root->col,
			   "the text block is %.1fpt high: too little for two lines of text and "
			   "two of notes",
			   height);
	/* Headings are set on the page too: a zero or giant size is as
	 * impossible as a zero body size. */
	const struct ynode *hn[] = {ymap_get(h, "title"), ymap_get(h, "h2"), ymap_get(h, "h3")};
	const double hs[] = {st->title_size, st->h2_size, st->h3_size};
	static const char *const hname[] = {"title", "h2", "h3"};
	for (int i = 0; i < 3; i++) {
		const struct ynode *at = hn[i] ? hn[i] : h ? h : root;
		if (hs[i] < 4 || hs[i] > 144)
			diag_error(d, path, at->line, at->col,
				   "heading size '%s' of %.1fpt is outside 4pt to 144pt", hname[i],
				   hs[i]);
	}
	/* Indents must leave room for text, even in a quotation in a list. */
	double measure = st->page_w - st->margin_inner - st->margin_outer;
	const struct ynode *in = ymap_get(body, "indent"), *qi = ymap_get(body, "quote-indent");
	if (measure > 72 && st->indent > measure / 2)
		diag_error(d, path, in ? in->line : where->line, in ? in->col : where->col,
			   "paragraph indent %.1fpt is more than half the text width", st->indent);
	if (measure > 72 && st->quote_indent > measure / 4)
		diag_error(d, path, qi ? qi->line : where->line, qi ? qi->col : where->col,
			   "quotation indent %.1fpt is more than a quarter of the text width",
			   st->quote_indent);
	free(dir);
	return d->nerr == nerr ? 0 : -1;
}
