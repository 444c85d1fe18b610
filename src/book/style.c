/*
 * style.c - the style file (styles/NAME.yaml): the edition's design.
 *
 * Lengths are written as a number and a unit (mm, cm, in, pt, or em of the
 * body size) so that a designer can copy figures from a specification.
 */
#define _POSIX_C_SOURCE 200809L
#include "book-int.h"
#include "kinds.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
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
	const struct ynode *root;
	double em;                  /* what an em is: the body size, once read */
	const struct ynode *print;  /* 'print:' as a mapping, else NULL */
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

/* ===== the schema ======================================================
 *
 * Every key of the style file is one row below, in the order the loader
 * reads them (a default may count from a key read before it: ems from
 * 'body: size', 'headings: h1' from h2). style_load walks the rows;
 * 'octavo help style' prints them (bk_style_help) and a unit test holds
 * the README's table to them. A new key is a new row. */

enum { F_REQUIRED = 1, /* a file the style must name */
       F_NO_EM = 2,    /* a length not counted in ems (the page, its margins) */
       F_SETS_EM = 4,  /* 'body: size': what an em is for the rows after it */
       F_CHECKED = 8,  /* its range is checked with the other figures (check_figures) */
       F_DEF_OF = 16,  /* the default is 'def' times the field at def_of */
       F_HIDDEN = 32,  /* a step of the loader, not a key (no help line) */
};

struct row {
	struct bk_style_key k;
	unsigned flags;
	size_t off;    /* offsetof(struct bk_style, field) */
	size_t def_of; /* F_DEF_OF: the field the default is a factor of */
	/* BK_SK_OWN: the key's own parser (n is never NULL); a F_HIDDEN row's
	 * is given the section instead (NULL when the style has none) and
	 * returns the section the rows after it read. */
	const struct ynode *(*own)(struct sctx *s, const struct ynode *n);
};

#define FIELD(f) offsetof(struct bk_style, f)
#define LEN "pt mm cm in em"
#define LEN_NO_EM "pt mm cm in"

static const struct ynode *opentype_keys(struct sctx *s, const struct ynode *fonts);
static const struct ynode *print_section(struct sctx *s, const struct ynode *pr);
static const struct ynode *max_megapixels(struct sctx *s, const struct ynode *n);
static const struct ynode *min_ppi_key(struct sctx *s, const struct ynode *n);
static const struct ynode *notes_place(struct sctx *s, const struct ynode *n);
static const struct ynode *paper_key(struct sctx *s, const struct ynode *n);
static const struct ynode *divs_key(struct sctx *s, const struct ynode *n);
static const struct ynode *hyphenation_key(struct sctx *s, const struct ynode *n);

static void missing_file(struct sctx *s, const struct row *r, const struct ynode *sect);

static const struct row rows[] = {
	/* page: the trim size */
	{{"page", "width", BK_SK_LENGTH, LEN_NO_EM, 72, 14400, "138mm", "the trim's width"},
	 F_NO_EM | F_CHECKED, FIELD(page_w), 0, NULL},
	{{"page", "height", BK_SK_LENGTH, LEN_NO_EM, 72, 14400, "216mm", "the trim's height"},
	 F_NO_EM | F_CHECKED, FIELD(page_h), 0, NULL},
	{{"margins", "top", BK_SK_LENGTH, LEN_NO_EM, 0, 0, "16mm", "above the text block"},
	 F_NO_EM | F_CHECKED, FIELD(margin_top), 0, NULL},
	{{"margins", "bottom", BK_SK_LENGTH, LEN_NO_EM, 0, 0, "20mm", "below the text block"},
	 F_NO_EM | F_CHECKED, FIELD(margin_bottom), 0, NULL},
	{{"margins", "inner", BK_SK_LENGTH, LEN_NO_EM, 0, 0, "17mm", "at the spine"},
	 F_NO_EM | F_CHECKED, FIELD(margin_inner), 0, NULL},
	{{"margins", "outer", BK_SK_LENGTH, LEN_NO_EM, 0, 0, "21mm", "at the fore-edge"},
	 F_NO_EM | F_CHECKED, FIELD(margin_outer), 0, NULL},
	/* body: the text's type; its size is the em of the keys after it */
	{{"body", "size", BK_SK_LENGTH, LEN_NO_EM, 4, 72, "10.5pt", "the text's type size"},
	 F_NO_EM | F_SETS_EM | F_CHECKED, FIELD(body_size), 0, NULL},
	{{"body", "leading", BK_SK_LENGTH, LEN, 0, 0, "14pt",
	  "baseline to baseline, no less than the size"},
	 F_CHECKED, FIELD(body_leading), 0, NULL},
	{{"body", "indent", BK_SK_LENGTH, LEN, 0, 0, "1em",
	  "a paragraph's first line, at most half the measure"},
	 F_CHECKED, FIELD(indent), 0, NULL},
	{{"body", "quote-indent", BK_SK_LENGTH, LEN, 0, 0, "1.5em",
	  "block quotations and lists, at most a quarter of the measure"},
	 F_CHECKED, FIELD(quote_indent), 0, NULL},
	{{"body", "justify", BK_SK_BOOL, "", 0, 0, "true", "justified, or ragged right"},
	 0, FIELD(justify), 0, NULL},
	{{"body", "ligatures", BK_SK_BOOL, "", 0, 0, "true", "the font's standard ligatures"},
	 0, FIELD(ligatures), 0, NULL},
	{{"body", "arrows", BK_SK_BOOL, "", 0, 0, "false",
	  "->, <-, <->, => and <=> in text (not code) as the arrows they stand for"},
	 0, FIELD(arrows), 0, NULL},
	{{"body", "protrusion", BK_SK_BOOL, "", 0, 0, "true",
	  "optical margin alignment: punctuation hangs into the margin"},
	 0, FIELD(protrusion), 0, NULL},
	{{"body", "expansion", BK_SK_PERCENT, "%", 0, 5, "2%",
	  "how much wider or narrower justified words may be set"},
	 0, FIELD(expansion), 0, NULL},
	/* notes */
	{{"notes", "size", BK_SK_LENGTH, LEN, 4, 72, "8.5pt", "footnotes' type size"},
	 F_CHECKED, FIELD(note_size), 0, NULL},
	{{"notes", "leading", BK_SK_LENGTH, LEN, 0, 0, "11pt",
	  "footnotes' leading, no less than their size"},
	 F_CHECKED, FIELD(note_leading), 0, NULL},
	{{"notes", "place", BK_SK_CHOICE, "footnotes chapter-end book-end", 0, 0, "footnotes",
	  "at the page's foot, after each part, or in one section at the book's end"},
	 0, 0, 0, notes_place},
	/* headings */
	{{"headings", "title", BK_SK_LENGTH, LEN, 4, 144, "18pt", "a part's title"},
	 F_CHECKED, FIELD(title_size), 0, NULL},
	{{"headings", "h2", BK_SK_LENGTH, LEN, 4, 144, "12pt", "second-level headings, bold"},
	 F_CHECKED, FIELD(h2_size), 0, NULL},
	{{"headings", "h3", BK_SK_LENGTH, LEN, 4, 144, "10.5pt", "third-level headings, italic"},
	 F_CHECKED, FIELD(h3_size), 0, NULL},
	{{"headings", "h1", BK_SK_LENGTH, LEN, 4, 144, "1.25 x h2",
	  "first-level headings in a part, bold, above h2"},
	 F_DEF_OF, FIELD(h1_size), FIELD(h2_size), NULL},
	{{"headings", "h4", BK_SK_LENGTH, LEN, 4, 144, "1em",
	  "h4 bold italic, h5 italic, h6 small capitals (roman where the font has none), both indented"},
	 0, FIELD(h4_size), 0, NULL},
	{{"headings", "short-line", BK_SK_CHOICE, "bottom top", 0, 0, "bottom",
	  "where a title broken into balanced lines puts its shorter line"},
	 0, FIELD(short_top), 0, NULL},
	/* tables and code */
	{{"tables", "size", BK_SK_LENGTH, LEN, 4, 144, "0.9em", "table text"},
	 0, FIELD(table_size), 0, NULL},
	{{"tables", "leading", BK_SK_LENGTH, LEN, 0, 0, "0.9 x body: leading",
	  "table text's leading, no less than its size"},
	 F_DEF_OF, FIELD(table_leading), FIELD(body_leading), NULL},
	{{"tables", "min-size", BK_SK_LENGTH, LEN, 4, 144, "0.5em",
	  "the floor a table steps down to before a word in it is cut"},
	 0, FIELD(table_min_size), 0, NULL},
	{{"code", "size", BK_SK_LENGTH, LEN, 4, 144, "0.85em", "code blocks"},
	 0, FIELD(code_size), 0, NULL},
	{{"code", "min-size", BK_SK_LENGTH, LEN, 4, 144, "0.72em",
	  "the floor a code block steps down to when a line is too long"},
	 0, FIELD(code_min_size), 0, NULL},
	/* fonts */
	{{"fonts", "regular", BK_SK_FILE, "", 0, 0, "", "the text face (TrueType or OpenType)"},
	 F_REQUIRED, FIELD(font[0]), 0, NULL},
	{{"fonts", "italic", BK_SK_FILE, "", 0, 0, "", "the italic face"},
	 F_REQUIRED, FIELD(font[1]), 0, NULL},
	{{"fonts", "bold", BK_SK_FILE, "", 0, 0, "", "the bold face"},
	 F_REQUIRED, FIELD(font[2]), 0, NULL},
	{{"fonts", "bold-italic", BK_SK_FILE, "", 0, 0, "", "the bold italic face"},
	 F_REQUIRED, FIELD(font[3]), 0, NULL},
	{{"fonts", "mono", BK_SK_FILE, "", 0, 0, "", "code's face (none: the regular face)"},
	 0, FIELD(font_mono), 0, NULL},
	{{"fonts", NULL, BK_SK_OWN, "", 0, 0, "", ""}, F_HIDDEN, 0, 0, opentype_keys},
	{{"fonts", "fallback", BK_SK_LIST, "files", 0, 0, "",
	  "fonts tried in order for a character the face lacks, each in the word's weight and "
	  "slant where its bold and italic files are beside it (none: no fonts; default: the "
	  "system's DejaVu Serif, DejaVu Sans, Droid Sans Fallback and, for code, DejaVu Sans "
	  "Mono)"},
	 0, 0, 0, NULL},
	{{"fonts", "axes", BK_SK_MAP, "axis: value", 0, 0, "",
	  "a variable font's instance per face ({weight: 430, opsz: auto})"},
	 0, 0, 0, NULL},
	{{"fonts", "figures", BK_SK_CHOICE, "old-style lining", 0, 0, "",
	  "old-style (onum) or lining (lnum) figures; none: the font's own"},
	 0, 0, 0, NULL},
	{{"fonts", "small-caps", BK_SK_CHOICE, "acronyms none", 0, 0, "none",
	  "acronyms: runs of three or more capitals in small capitals (c2sc)"},
	 0, 0, 0, NULL},
	{{"fonts", "features", BK_SK_LIST, "features", 0, 0, "",
	  "any OpenType features, as HarfBuzz writes them (ss01, -liga, cv05=2)"},
	 0, 0, 0, NULL},
	/* the EPUB, colours, running heads */
	{{"epub", "css", BK_SK_FILE, "", 0, 0, "", "the EPUB's stylesheet"},
	 F_REQUIRED, FIELD(css), 0, NULL},
	{{"colours", "accent", BK_SK_COLOUR, "#rrggbb", 0, 0, "#000000",
	  "rules and the cover; text stays black"},
	 0, FIELD(accent_rgb), 0, NULL},
	{{"pages", "verso-head", BK_SK_CHOICE, "title author", 0, 0, "title",
	  "the verso's running head: the book's title or the essay's author"},
	 0, FIELD(verso_author), 0, NULL},
	{{"pages", "folios", BK_SK_CHOICE, "foot head", 0, 0, "foot",
	  "page numbers at the foot or in the head's outer corner"},
	 0, FIELD(folio_head), 0, NULL},
	{{"pages", "floats", BK_SK_CHOICE, "top bottom", 0, 0, "top",
	  "a figure or table that does not fit where it stands: at the next page's top or foot"},
	 0, FIELD(floats_bottom), 0, NULL},
	{{"pages", "figure-floor", BK_SK_PERCENT, "%", 20, 60, "40%",
	  "the least height, as a share of the text block, a tall figure may be set down to "
	  "(from 60%) where it would otherwise leave a page short or a float far from its text"},
	 0, FIELD(figure_floor), 0, NULL},
	/* print: a profile's name, or a mapping */
	{{"print", NULL, BK_SK_OWN, "", 0, 0, "", ""}, F_HIDDEN, 0, 0, print_section},
	{{"print", "profile", BK_SK_CHOICE, "ingramspark kdp lulu offset screen", 0, 0, "",
	  "a printer's profile (src/book/profile.c); 'print: kdp' says it too"},
	 0, 0, 0, NULL},
	{{"print", "bleed", BK_SK_LENGTH, LEN_NO_EM, 0, 0, "0pt", "beyond the trim on every side"},
	 F_NO_EM | F_CHECKED, FIELD(bleed), 0, NULL},
	{{"print", "crop-marks", BK_SK_BOOL, "", 0, 0, "false", "crop marks outside the bleed"},
	 0, FIELD(crop_marks), 0, NULL},
	/* keys at the top */
	{{NULL, "tagged", BK_SK_BOOL, "", 0, 0, "false",
	  "the print PDF tagged (PDF/UA-1) too, as the screen PDF always is"},
	 0, FIELD(tagged), 0, NULL},
	{{NULL, "paper", BK_SK_OWN, "white cream thickness ppi", 0, 0, "",
	  "the paper, for the cover's spine (book.yaml's wins; none: the profile's)"},
	 0, 0, 0, paper_key},
	{{"images", "max-megapixels", BK_SK_NUMBER, "megapixels", 0, 400, "50",
	  "the largest picture decoded (width x height)"},
	 0, 0, 0, max_megapixels},
	{{"images", "min-ppi", BK_SK_NUMBER, "ppi", 0, 1200, "150",
	  "an image printing at fewer pixels an inch than this gets a warning (0: none); "
	  "a print profile's rules replace it"},
	 0, 0, 0, min_ppi_key},
	{{NULL, "divs", BK_SK_MAP, "class: octavo's", 0, 0, "",
	  "fenced divs' classes set as octavo's (warning: aside)"},
	 0, 0, 0, divs_key},
	{{NULL, "hyphenation", BK_SK_LIST, "words", 0, 0, "",
	  "exceptions: hyphens mark the only breaks (Civil Ex-change)"},
	 0, 0, 0, hyphenation_key},
	{{NULL, "hyphenate-capitalised", BK_SK_BOOL, "", 0, 0, "true",
	  "capitalised words hyphenated as the patterns allow (false: left whole, "
	  "but in German); words in capitals never"},
	 0, FIELD(hyphenate_caps), 0, NULL},
};

const struct bk_style_key *bk_style_key(size_t i)
{
	for (size_t r = 0; r < ARRAY_LEN(rows); r++)
		if (!(rows[r].flags & F_HIDDEN) && i-- == 0)
			return &rows[r].k;
	return NULL;
}

/* ===== the keys' own parsers =========================================== */

static const struct ynode *opentype_keys(struct sctx *s, const struct ynode *fonts)
{
	bk_style_opentype(s->b, fonts, s->path, s->dir, s->datadir, s->d);
	return fonts;
}

/* 'print: kdp' names a printer's profile (src/book/profile.h); as a
 * mapping, 'profile:' does, beside the bleed and marks of no profile. */
static const struct ynode *print_section(struct sctx *s, const struct ynode *pr)
{
	const struct ynode *prof = pr && pr->kind == Y_SCALAR ? pr : ymap_get(pr, "profile");
	if (prof)
		style_profile(s, prof);
	s->print = pr && pr->kind == Y_SCALAR ? NULL : pr;
	return s->print;
}

static const struct ynode *paper_key(struct sctx *s, const struct ynode *n)
{
	bk_paper_parse(n, s->path, &s->b->style.paper, s->d);
	return n;
}

/* images: how large a picture may be decoded (src/book/image.c). */
/* notes: place: where the notes are set (kinds.c reads it). */
static const struct ynode *notes_place(struct sctx *s, const struct ynode *n)
{
	bk_style_notes(&s->b->style, n, s->path, s->d);
	return n;
}

/* A number in (lo, hi] (or [0, hi] when zero is allowed), as key's value
 * n; false after reporting at n with the example. */
static bool number_key(struct sctx *s, const struct ynode *n, const char *key, bool zero,
		       double hi, const char *example, double *v)
{
	char *end = NULL;
	*v = n->kind == Y_SCALAR ? strtod(n->str, &end) : -1;
	if (end && end != n->str && !*end && (*v > 0 || (zero && *v == 0)) && *v <= hi)
		return true;
	diag_error(s->d, s->path, n->line, n->col, "'%s' must be a number %s %g, such as '%s'",
		   key, zero ? "from 0 to" : "above 0 and at most", hi, example);
	return false;
}

static const struct ynode *max_megapixels(struct sctx *s, const struct ynode *mp)
{
	double v;
	if (number_key(s, mp, "max-megapixels", false, 400, "50", &v))
		s->b->style.max_image_pixels = v * 1e6 < 1 ? 1 : (long)(v * 1e6);
	return mp;
}

/* images: min-ppi: the least resolution an image may print at without a
 * warning, when no print profile sets its own (src/pdf/colour.c). */
static const struct ynode *min_ppi_key(struct sctx *s, const struct ynode *n)
{
	double v;
	if (number_key(s, n, "min-ppi", true, 1200, "150", &v))
		s->b->style.min_image_ppi = (int)lround(v);
	return n;
}

/* divs: the classes of fenced divs the style sets as octavo's own. */
static const struct ynode *divs_key(struct sctx *s, const struct ynode *dv)
{
	struct bk_style *st = &s->b->style;
	struct arena *a = &s->b->arena;
	if (dv->kind != Y_MAP) {
		diag_error(s->d, s->path, dv->line, dv->col,
			   "'divs' must map classes to octavo's, such as 'warning: aside'");
		return dv;
	}
	st->div_class = ar_alloc(a, (dv->nkids / 2 + 1) * sizeof(char *));
	st->div_like = ar_alloc(a, (dv->nkids / 2 + 1) * sizeof(char *));
	for (size_t i = 0; i + 1 < dv->nkids; i += 2) {
		const struct ynode *v = dv->kids[i + 1];
		size_t k = 0;
		while (bk_div_styles[k] && !(v->kind == Y_SCALAR && !strcmp(v->str, bk_div_styles[k])))
			k++;
		if (!bk_div_styles[k]) {
			diag_error(s->d, s->path, v->line, v->col,
				   "div class '%s' must be set like one of octavo's: epigraph, "
				   "dedication, aside, centered, noindent, pagebreak or plain",
				   dv->kids[i]->str ? dv->kids[i]->str : "");
			continue;
		}
		st->div_class[st->ndivs] = ar_strdup(a, dv->kids[i]->str);
		st->div_like[st->ndivs++] = bk_div_styles[k];
	}
	return dv;
}

static const struct ynode *hyphenation_key(struct sctx *s, const struct ynode *hy)
{
	struct bk_style *st = &s->b->style;
	if (hy->kind != Y_SEQ) {
		diag_error(s->d, s->path, hy->line, hy->col,
			   "'hyphenation' must be a list of words such as 'Civil Ex-change'");
		return hy;
	}
	st->hyphenation = ar_alloc(&s->b->arena, (hy->nkids + 1) * sizeof(char *));
	for (size_t i = 0; i < hy->nkids; i++) {
		const char *w = ystring(&s->b->arena, hy->kids[i], s->path, "hyphenation", s->d);
		if (w)
			st->hyphenation[st->nhyphenation++] = w;
	}
	return hy;
}

/* ===== walking the rows ================================================ */

/* "2%": a percentage within the row's range, stored as a fraction. */
static void percentage(struct sctx *s, const struct row *r, const struct ynode *n, double *out)
{
	char *end = NULL;
	double v = n->kind == Y_SCALAR ? strtod(n->str, &end) : -1;
	if (!end || end == n->str || (*end && strcmp(end, "%")) || v < r->k.min || v > r->k.max)
		diag_error(s->d, s->path, n->line, n->col,
			   "'%s' must be a percentage from %g%% to %g%%, such as '%s'", r->k.key,
			   r->k.min, r->k.max, r->k.def);
	else
		*out = v / 100;
}

/* One of the row's two words: the field is true for the second. */
static void choice(struct sctx *s, const struct row *r, const struct ynode *n, bool *out)
{
	const char *second = strchr(r->k.unit, ' ') + 1;
	size_t first_len = (size_t)(second - 1 - r->k.unit);
	if (n->kind == Y_SCALAR && !strcmp(n->str, second)) {
		*out = true;
		return;
	}
	if (n->kind == Y_SCALAR && strlen(n->str) == first_len &&
	    !strncmp(n->str, r->k.unit, first_len)) {
		*out = false;
		return;
	}
	diag_error(s->d, s->path, n->line, n->col, "'%s' must be '%.*s' or '%s'", r->k.key,
		   (int)first_len, r->k.unit, second);
	diag_hint(s->d, "'%s': %s", r->k.key, r->k.help);
}

static void colour(struct sctx *s, const struct row *r, const struct ynode *n, unsigned *out)
{
	unsigned v;
	char tail;
	if (n->kind != Y_SCALAR || n->len != 7 || sscanf(n->str, "#%6x%c", &v, &tail) != 1)
		diag_error(s->d, s->path, n->line, n->col,
			   "'%s' must be a colour such as \"#7a1f1f\"", r->k.key);
	else
		*out = v;
}

/* A row's default, parsed as the key's own value would be: the schema's
 * text is the only place the figure is written. */
static void set_default(struct sctx *s, const struct row *r)
{
	char *field = (char *)&s->b->style + r->off;
	if (r->flags & F_DEF_OF) {
		double *base = (double *)(void *)((char *)&s->b->style + r->def_of);
		*(double *)(void *)field = *base * strtod(r->k.def, NULL);
		return;
	}
	switch (r->k.kind) {
	case BK_SK_LENGTH: {
		struct ynode n = {.kind = Y_SCALAR, .str = (char *)r->k.def, .len = strlen(r->k.def)};
		int rc = length(s, &n, r->k.key, r->flags & F_NO_EM ? 0 : s->em,
				(double *)(void *)field);
		assert(rc == 0);
		(void)rc;
		break;
	}
	case BK_SK_BOOL: *(bool *)field = !strcmp(r->k.def, "true"); break;
	case BK_SK_PERCENT: *(double *)(void *)field = strtod(r->k.def, NULL) / 100; break;
	case BK_SK_CHOICE: *(bool *)field = false; break; /* the first word */
	case BK_SK_COLOUR: *(unsigned *)(void *)field = (unsigned)strtoul(r->k.def + 1, NULL, 16); break;
	default: break;
	}
}

/* A length outside the row's range, where the key was given. */
static void length_range(struct sctx *s, const struct row *r, const struct ynode *n, double v)
{
	if (!n || (r->flags & F_CHECKED) || r->k.max == 0 || (v >= r->k.min && v <= r->k.max))
		return;
	diag_error(s->d, s->path, n->line, n->col, "'%s: %s' of %.1fpt is outside %gpt to %gpt",
		   r->k.section, r->k.key, v, r->k.min, r->k.max);
}

/* Reads one row's key from its section (sect, NULL: the style has none). */
static void read_row(struct sctx *s, const struct row *r, const struct ynode *sect)
{
	char *field = (char *)&s->b->style + r->off;
	const struct ynode *n = r->k.section ? ymap_get(sect, r->k.key) : ymap_get(s->root, r->k.key);
	if (r->off)
		set_default(s, r);
	if (!n) {
		if (r->flags & F_REQUIRED)
			missing_file(s, r, sect);
	} else if (r->own) {
		r->own(s, n);
	} else {
		switch (r->k.kind) {
		case BK_SK_LENGTH:
			length(s, n, r->k.key, r->flags & F_NO_EM ? 0 : s->em, (double *)(void *)field);
			break;
		case BK_SK_BOOL: boolean(s, n, r->k.key, (bool *)field); break;
		case BK_SK_PERCENT: percentage(s, r, n, (double *)(void *)field); break;
		case BK_SK_CHOICE: if (r->off) choice(s, r, n, (bool *)field); break;
		case BK_SK_COLOUR: colour(s, r, n, (unsigned *)(void *)field); break;
		case BK_SK_FILE:
			*(const char **)(void *)field =
				style_file(s, n, r->k.key, r->flags & F_REQUIRED);
			break;
		default: break; /* parsed by the section's own step */
		}
	}
	if (r->k.kind == BK_SK_LENGTH)
		length_range(s, r, n, *(double *)(void *)field);
	if (r->flags & F_SETS_EM) {
		/* An impossible body size is reported by check_figures; ems then
		 * count from the default size, so that it is the only error the
		 * designer sees. */
		double v = *(double *)(void *)field;
		s->em = v >= 4 && v <= 72 ? v : 10.5;
	}
}

/* A file the style must name and does not. */
static void missing_file(struct sctx *s, const struct row *r, const struct ynode *sect)
{
	const struct ynode *at = sect ? sect : s->root;
	diag_error(s->d, s->path, at->line, at->col, "the style names no '%s: %s' file",
		   r->k.section, r->k.key);
}

static bool same_section(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Warns of keys no row names: at the top, and in the section of rows
 * [from, to). */
static void check_keys(struct sctx *s, const struct ynode *sect, size_t from, size_t to)
{
	const char *known[ARRAY_LEN(rows) + 1];
	size_t n = 0;
	for (size_t i = from; i < to; i++) {
		const char *name = sect ? rows[i].k.key : rows[i].k.section;
		if (!sect && !name)
			name = rows[i].k.key;
		if (name && !(n && !strcmp(known[n - 1], name)))
			known[n++] = name;
	}
	known[n] = NULL;
	ymap_check_keys(sect ? sect : s->root, s->path, known, s->d);
}

/* Every default first (ems of the default body size), so that a style
 * that cannot be read, or a key that cannot, leaves a default behind;
 * each row sets its own again as it is read, for the defaults that count
 * from a key before it. */
static void set_defaults(struct sctx *s)
{
	for (size_t i = 0; i < ARRAY_LEN(rows); i++)
		if (rows[i].off)
			set_default(s, &rows[i]);
}

/* Reads every row, a section at a time, in the table's order. */
static void read_rows(struct sctx *s)
{
	check_keys(s, NULL, 0, ARRAY_LEN(rows));
	for (size_t i = 0; i < ARRAY_LEN(rows);) {
		const char *sec = rows[i].k.section;
		size_t end = i + 1;
		while (end < ARRAY_LEN(rows) && same_section(rows[end].k.section, sec))
			end++;
		const struct ynode *sect = sec ? ymap_get(s->root, sec) : NULL;
		/* A step before the keys may read the section first ('print: kdp'). */
		for (; i < end && (rows[i].flags & F_HIDDEN); i++)
			sect = rows[i].own(s, sect);
		if (sect)
			check_keys(s, sect, i, end);
		for (; i < end; i++) {
			if (rows[i].flags & F_HIDDEN)
				rows[i].own(s, sect);
			else
				read_row(s, &rows[i], sect);
		}
	}
}

/* ===== the figures together ============================================ */

/* Geometry that cannot make a page is the designer's mistake, and we say
 * which figure is wrong rather than lay out nothing. */
static void check_page(struct sctx *s)
{
	const struct bk_style *st = &s->b->style;
	const struct ynode *root = s->root, *page = ymap_get(root, "page"),
			   *m = ymap_get(root, "margins"), *pr = s->print;
	const struct ynode *where = page ? page : root, *mat = m ? m : root;
	double marks = 2 * (st->bleed + (st->crop_marks ? 18 : 0));
	if (st->page_w < 72 || st->page_h < 72 || st->page_w > 14400 || st->page_h > 14400)
		diag_error(s->d, s->path, where->line, where->col,
			   "page size %.1f x %.1f pt is outside 1 in to 200 in", st->page_w,
			   st->page_h);
	else if (st->page_w + marks > 14400 || st->page_h + marks > 14400)
		/* The PDF's media box holds the bleed and the crop marks (3 pt
		 * off the bleed, 12 long, 3 beyond): PDF's pages end at 200 in. */
		diag_error(s->d, s->path, pr ? pr->line : where->line, pr ? pr->col : where->col,
			   "page size %.1f x %.1f pt with its bleed and crop marks is over "
			   "200 in, the largest a PDF page can be", st->page_w, st->page_h);
	else if (st->margin_inner + st->margin_outer >= st->page_w - 72)
		diag_error(s->d, s->path, mat->line, mat->col,
			   "the inner and outer margins leave less than 1 in of text width");
	else if (st->margin_top + st->margin_bottom >= st->page_h - 72)
		diag_error(s->d, s->path, mat->line, mat->col,
			   "the top and bottom margins leave less than 1 in of text height");
	/* A page must hold a line of text with a line of its notes below, and
	 * then some: with less, no page can be filled and laid out. */
	double height = st->page_h - st->margin_top - st->margin_bottom;
	if (height >= 72 && height < 2 * (st->body_leading + st->note_leading))
		diag_error(s->d, s->path, mat->line, mat->col,
			   "the text block is %.1fpt high: too little for two lines of text and "
			   "two of notes",
			   height);
}

/* Type sizes and leadings against each other, and indents against the
 * measure. */
static void check_type(struct sctx *s)
{
	const struct bk_style *st = &s->b->style;
	const struct ynode *root = s->root, *body = ymap_get(root, "body"),
			   *notes = ymap_get(root, "notes"), *h = ymap_get(root, "headings"),
			   *t = ymap_get(root, "tables"), *cd = ymap_get(root, "code");
	const struct ynode *where = body ? body : root;
	if (st->body_size < 4 || st->body_size > 72)
		diag_error(s->d, s->path, where->line, where->col,
			   "body size %.1fpt is outside 4pt to 72pt", st->body_size);
	else if (st->body_leading < st->body_size)
		diag_error(s->d, s->path, where->line, where->col,
			   "body leading %.1fpt is less than the body size", st->body_leading);
	if (st->note_size < 4 || st->note_size > 72 || st->note_leading < st->note_size)
		diag_error(s->d, s->path, notes ? notes->line : root->line,
			   notes ? notes->col : root->col,
			   "notes need a size of 4pt to 72pt and leading no less than the size");
	/* Headings are set on the page too: a zero or giant size is as
	 * impossible as a zero body size. */
	static const char *const hname[] = {"title", "h2", "h3"};
	const double hs[] = {st->title_size, st->h2_size, st->h3_size};
	for (int i = 0; i < 3; i++) {
		const struct ynode *at = ymap_get(h, hname[i]);
		at = at ? at : h ? h : root;
		if (hs[i] < 4 || hs[i] > 144)
			diag_error(s->d, s->path, at->line, at->col,
				   "heading size '%s' of %.1fpt is outside 4pt to 144pt", hname[i],
				   hs[i]);
	}
	if (t && st->table_leading < st->table_size)
		diag_error(s->d, s->path, t->line, t->col,
			   "table leading %.1fpt is less than the table size %.1fpt",
			   st->table_leading, st->table_size);
	const struct ynode *tmin = t ? ymap_get(t, "min-size") : NULL;
	if (tmin && st->table_min_size > st->table_size)
		diag_error(s->d, s->path, tmin->line, tmin->col,
			   "tables 'min-size' %.1fpt is more than their 'size' %.1fpt: the floor a "
			   "table steps down to must be below its size",
			   st->table_min_size, st->table_size);
	if (cd && st->code_min_size > st->code_size)
		diag_error(s->d, s->path, cd->line, cd->col,
			   "code 'min-size' %.1fpt is more than its 'size' %.1fpt: the floor code "
			   "steps down to must be below its size",
			   st->code_min_size, st->code_size);
	/* Indents must leave room for text, even in a quotation in a list. */
	double measure = st->page_w - st->margin_inner - st->margin_outer;
	const struct ynode *in = ymap_get(body, "indent"), *qi = ymap_get(body, "quote-indent");
	if (measure > 72 && st->indent > measure / 2)
		diag_error(s->d, s->path, in ? in->line : where->line, in ? in->col : where->col,
			   "paragraph indent %.1fpt is more than half the text width", st->indent);
	if (measure > 72 && st->quote_indent > measure / 4)
		diag_error(s->d, s->path, qi ? qi->line : where->line, qi ? qi->col : where->col,
			   "quotation indent %.1fpt is more than a quarter of the text width",
			   st->quote_indent);
}

/* ===== the style file ================================================== */

int style_load(struct book *b, const char *path, int fd, const char *datadir, struct diag *d)
{
	struct bk_style *st = &b->style;
	int nerr = d->nerr;
	st->path = ar_strdup(&b->arena, path);
	st->max_image_pixels = BK_MAX_IMAGE_PIXELS;
	st->min_image_ppi = 150;
	struct sctx s = {.b = b, .path = st->path, .datadir = datadir, .d = d, .em = 10.5};
	set_defaults(&s);
	size_t len;
	char *text = read_fd(fd, &len);
	if (!text) {
		diag_error(d, path, 0, 0, "cannot read style file: %s", strerror(errno));
		return -1;
	}
	char *dir = path_dirname(path);
	s.dir = dir;
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
	s.root = root;
	read_rows(&s);
	check_page(&s);
	check_type(&s);
	free(dir);
	return d->nerr == nerr ? 0 : -1;
}

/* ===== 'octavo help style' ============================================= */

static const char *const kind_name[] = {
	[BK_SK_LENGTH] = "length", [BK_SK_BOOL] = "true or false",
	[BK_SK_PERCENT] = "percentage", [BK_SK_NUMBER] = "number",
	[BK_SK_CHOICE] = "one of", [BK_SK_COLOUR] = "colour",
	[BK_SK_FILE] = "file", [BK_SK_LIST] = "list", [BK_SK_MAP] = "mapping",
	[BK_SK_OWN] = "one of",
};

const char *bk_style_kind_name(enum bk_skind k)
{
	return kind_name[k];
}

void bk_style_help(FILE *out)
{
	fputs("The style file (styles/NAME.yaml): every key, its type, its range\n"
	      "and its default. Lengths are a number and a unit; em is the body size.\n",
	      out);
	const char *sec = "";
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		const struct bk_style_key *k = &rows[i].k;
		if (rows[i].flags & F_HIDDEN)
			continue;
		if (!k->section || strcmp(k->section, sec)) {
			fputc('\n', out);
			sec = k->section ? k->section : "";
		}
		char name[48];
		snprintf(name, sizeof name, "%s%s%s", k->section ? k->section : "",
			 k->section ? ": " : "", k->key);
		fprintf(out, "  %-24s %s", name, kind_name[k->kind]);
		if (*k->unit)
			fprintf(out, " (%s)", k->unit);
		if (k->max > 0)
			fprintf(out, ", %g to %g%s", k->min, k->max,
				k->kind == BK_SK_LENGTH ? "pt" : k->kind == BK_SK_PERCENT ? "%" : "");
		if (*k->def)
			fprintf(out, ", default %s", k->def);
		fprintf(out, "\n  %-24s %s\n", "", k->help);
	}
}
