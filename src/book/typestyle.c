/*
 * typestyle.c - the style's OpenType keys, under 'fonts:':
 *
 *   fallback: [../fonts/NotoSans-Regular.ttf, ...]  tried in order for a
 *             character the face lacks, in the face's weight and slant
 *             where a file beside each gives them; none names no fonts at
 *             all; with no 'fallback:' the system's DejaVu (Serif, Sans,
 *             Sans Mono for code) and Droid Sans Fallback
 *   axes:     {regular: {weight: 430, opsz: auto}, bold: {weight: 700}}
 *             a variable font's instance for each face
 *   figures:  old-style | lining
 *   small-caps: acronyms | none
 *   features: [ss01, "-liga", "cv05=2"]   any OpenType features
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "book-int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A font file named in the list, resolved against dir and confined to the
 * manuscript or octavo's own folder; NULL after reporting. */
static const char *font_file(struct book *b, const struct ynode *n, const char *path,
			     const char *dir, const char *datadir, struct diag *d)
{
	const char *v = ystring(&b->arena, n, path, "fallback", d);
	if (!v)
		return NULL;
	char *p = path_join(dir, v);
	const char *roots[] = {b->dir, datadir, NULL};
	char *real;
	struct stat st;
	int fd = bk_open_confined(p, roots, "fallback", v, path, n->line, n->col, d, &st, &real);
	free(p);
	if (fd < 0)
		return NULL;
	close(fd);
	const char *r = ar_strdup(&b->arena, real);
	free(real);
	return r;
}

/* An OpenType feature as HarfBuzz reads it: a tag of four characters,
 * "+" or "-" before it or "=N" after. */
static bool is_feature(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	size_t n = 0;
	while (s[n] && s[n] != '=' && n < 5)
		n++;
	if (n != 4)
		return false;
	for (size_t i = 0; i < 4; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	s += 4;
	if (!*s)
		return true;
	if (*s++ != '=' || !*s)
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return !*s;
}

static void axes(struct book *b, const struct ynode *n, const char *path, struct diag *d)
{
	static const char *const faces[] = {"regular", "italic", "bold", "bold-italic", NULL};
	static const char *const names[][2] = {{"weight", "wght"}, {"width", "wdth"},
					       {"slant", "slnt"},  {"italic", "ital"},
					       {"opsz", "opsz"},   {"optical-size", "opsz"}};
	if (n->kind != Y_MAP) {
		diag_error(d, path, n->line, n->col,
			   "'axes' must map faces to their axes, such as 'regular: {weight: 430}'");
		return;
	}
	for (size_t i = 0; i + 1 < n->nkids; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		int face = -1;
		for (int f = 0; faces[f]; f++)
			if (!strcmp(k->str, faces[f]))
				face = f;
		if (face < 0) {
			diag_error(d, path, k->line, k->col,
				   "unknown face '%s' in 'axes': regular, italic, bold or bold-italic",
				   k->str);
			continue;
		}
		if (v->kind != Y_MAP) {
			diag_error(d, path, v->line, v->col,
				   "'%s' must map axes to values, such as '{weight: 430, opsz: auto}'",
				   k->str);
			continue;
		}
		for (size_t j = 0; j + 1 < v->nkids; j += 2) {
			const struct ynode *ak = v->kids[j], *av = v->kids[j + 1];
			const char *tag = NULL;
			for (size_t t = 0; t < ARRAY_LEN(names); t++)
				if (!strcmp(ak->str, names[t][0]))
					tag = names[t][1];
			if (!tag && strlen(ak->str) == 4)
				tag = ak->str; /* a tag of the font's own, "GRAD" */
			if (!tag) {
				diag_error(d, path, ak->line, ak->col,
					   "unknown axis '%s': weight, width, slant, italic, opsz or "
					   "a four-letter tag",
					   ak->str);
				continue;
			}
			if (b->style.naxes[face] >= 8) {
				diag_error(d, path, ak->line, ak->col, "at most 8 axes a face");
				continue;
			}
			struct bk_axis *ax = &b->style.axes[face][b->style.naxes[face]];
			memcpy(ax->tag, tag, 4);
			ax->tag[4] = 0;
			if (av->kind == Y_SCALAR && !strcmp(av->str, "auto") && !strcmp(tag, "opsz")) {
				ax->automatic = true;
			} else {
				char *end = NULL;
				errno = 0;
				double x = av->kind == Y_SCALAR ? strtod(av->str, &end) : NAN;
				if (!end || end == av->str || *end || errno || !isfinite(x) ||
				    fabs(x) > 32767) {
					diag_error(d, path, av->line, av->col,
						   "axis '%s' must be a number%s, not '%s'", ak->str,
						   strcmp(tag, "opsz") ? "" : " or 'auto'",
						   av->kind == Y_SCALAR ? av->str : "a list");
					continue;
				}
				ax->value = x;
			}
			b->style.naxes[face]++;
		}
	}
}

/*
 * The fallback fonts of a style that names none, so that a check mark, a
 * star, polytonic Greek or a name in Chinese prints with no configuration:
 * DejaVu Serif (Greek, Cyrillic, arrows and mathematics in a serif, for a
 * serif body), DejaVu Sans (dingbats, symbols, Hebrew, Arabic), Droid
 * Sans Fallback (Chinese, Japanese, Korean) and DejaVu Sans Mono (code's),
 * from Debian's fonts-dejavu-core and fonts-droid-fallback, which 'make'
 * installs, with their bolds (and fonts-dejavu-extra's italics). The
 * text stage puts the sans before the serif for a sans body. A file that
 * is not there is passed over: the characters only it has are then
 * printed as a hollow box, with a warning at their place.
 * OCTAVO_SYSTEM_FONTS names another folder to find them in.
 */
static const char *const default_fallback[] = {
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSans.ttf",
    "droid/DroidSansFallbackFull.ttf",
    "dejavu/DejaVuSansMono.ttf", /* code's: the text stage tries it first there */
};

/* The folder part of path (up to its last slash), as a length. */
static size_t folder_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) : 0;
}

/*
 * The italic, bold and bold italic of the font file at path, by the names
 * families give their files - NotoSans-Regular.ttf beside NotoSans-Italic,
 * -Bold and -BoldItalic.ttf; DejaVuSans.ttf beside DejaVuSans-Oblique,
 * -Bold and -BoldOblique.ttf - into var (the arena's; NULL where the folder
 * has none). Only a file in path's own folder, a link included, so that a
 * confined font's sibling is confined too.
 */
static void fallback_siblings(struct book *b, const char *path, const char *var[3])
{
	static const char *const names[3][2] = {
	    {"-Italic", "-Oblique"}, {"-Bold", NULL}, {"-BoldItalic", "-BoldOblique"}};
	const char *dot = strrchr(path, '.');
	size_t dir = folder_len(path);
	var[0] = var[1] = var[2] = NULL;
	if (!dot || (size_t)(dot - path) <= dir)
		return;
	size_t stem = (size_t)(dot - path);
	if (stem - dir > 8 && !memcmp(dot - 8, "-Regular", 8))
		stem -= 8;
	char *home = realpath(path, NULL);
	for (int v = 0; v < 3 && home; v++)
		for (int k = 0; k < 2 && names[v][k] && !var[v]; k++) {
			struct strbuf sb = STRBUF_INIT;
			sb_addf(&sb, "%.*s%s%s", (int)stem, path, names[v][k], dot);
			/* Most names are not there (DejaVuSans has no -Italic,
			 * DroidSansFallbackFull no variant at all): one access
			 * says so, where realpath reads each folder of the path
			 * as a link first (132 readlinks a build for the four
			 * default fallbacks, 77 of them for names not there). */
			char *real = access(sb.buf, F_OK) == 0 ? realpath(sb.buf, NULL) : NULL;
			struct stat st;
			if (real && folder_len(real) == folder_len(home) &&
			    !memcmp(real, home, folder_len(home)) && stat(real, &st) == 0 &&
			    S_ISREG(st.st_mode) && access(real, R_OK) == 0)
				var[v] = ar_strdup(&b->arena, real);
			free(real);
			sb_release(&sb);
		}
	free(home);
}

/* Each fallback font's italic, bold and bold italic (fallback_siblings). */
static void fallback_variants(struct book *b)
{
	struct bk_style *st = &b->style;
	st->fallback_var = ar_alloc(&b->arena, (st->nfallback ? st->nfallback : 1) *
						   sizeof(*st->fallback_var));
	for (size_t k = 0; k < st->nfallback; k++)
		fallback_siblings(b, st->fallback[k], st->fallback_var[k]);
}

static void fallback_defaults(struct book *b)
{
	struct bk_style *st = &b->style;
	const char *dir = getenv("OCTAVO_SYSTEM_FONTS");
	if (!dir || !*dir)
		dir = "/usr/share/fonts/truetype";
	st->fallback = ar_alloc(&b->arena, ARRAY_LEN(default_fallback) * sizeof(char *));
	st->fallback_default = true;
	for (size_t i = 0; i < ARRAY_LEN(default_fallback); i++) {
		char *p = path_join(dir, default_fallback[i]);
		if (access(p, R_OK) == 0)
			st->fallback[st->nfallback++] = ar_strdup(&b->arena, p);
		free(p);
	}
}

void bk_style_opentype(struct book *b, const struct ynode *f, const char *path, const char *dir,
		       const char *datadir, struct diag *d)
{
	struct bk_style *st = &b->style;
	static const char *const face_keys[4] = {"regular", "italic", "bold", "bold-italic"};
	for (int i = 0; i < 4; i++) {
		const struct ynode *n = ymap_get(f, face_keys[i]);
		st->at_font[i] = n ? (struct bk_mark){n->line, n->col} : (struct bk_mark){0, 0};
	}
	const struct ynode *fb = ymap_get(f, "fallback");
	if (!fb)
		fallback_defaults(b);
	else if (fb->kind == Y_SCALAR && !strcmp(fb->str, "none"))
		fb = NULL; /* no fallback fonts: what the faces lack is a hollow box */
	if (fb) {
		const struct ynode *one[1] = {fb};
		const struct ynode *const *list = fb->kind == Y_SEQ ? (const struct ynode *const *)fb->kids
								    : one;
		size_t n = fb->kind == Y_SEQ ? fb->nkids : 1;
		if (n > 4) {
			diag_error(d, path, fb->line, fb->col, "at most 4 fallback fonts, not %zu", n);
			n = 4;
		}
		st->fallback = ar_alloc(&b->arena, (n ? n : 1) * sizeof(char *));
		for (size_t i = 0; i < n; i++) {
			const char *p = font_file(b, list[i], path, dir, datadir, d);
			if (p)
				st->fallback[st->nfallback++] = p;
		}
	}
	fallback_variants(b);
	const struct ynode *ax = ymap_get(f, "axes");
	if (ax)
		axes(b, ax, path, d);
	const struct ynode *fig = ymap_get(f, "figures");
	if (fig) {
		st->at_figures = (struct bk_mark){fig->line, fig->col};
		if (fig->kind == Y_SCALAR && !strcmp(fig->str, "old-style"))
			st->figures = BK_FIGURES_OLD_STYLE;
		else if (fig->kind == Y_SCALAR && !strcmp(fig->str, "lining"))
			st->figures = BK_FIGURES_LINING;
		else
			diag_error(d, path, fig->line, fig->col,
				   "'figures' must be 'old-style' or 'lining'");
	}
	const struct ynode *sc = ymap_get(f, "small-caps");
	if (sc) {
		st->at_small_caps = (struct bk_mark){sc->line, sc->col};
		if (sc->kind == Y_SCALAR && !strcmp(sc->str, "acronyms"))
			st->acronyms = true;
		else if (!(sc->kind == Y_SCALAR && !strcmp(sc->str, "none")))
			diag_error(d, path, sc->line, sc->col,
				   "'small-caps' must be 'acronyms' (runs of three or more capitals "
				   "in small capitals) or 'none'");
	}
	const struct ynode *fe = ymap_get(f, "features");
	if (fe) {
		if (fe->kind != Y_SEQ) {
			diag_error(d, path, fe->line, fe->col,
				   "'features' must be a list of OpenType features such as "
				   "[ss01, \"-liga\"]");
			return;
		}
		st->features = ar_alloc(&b->arena, (fe->nkids + 1) * sizeof(char *));
		for (size_t i = 0; i < fe->nkids; i++) {
			const char *v = ystring(&b->arena, fe->kids[i], path, "features", d);
			if (!v)
				continue;
			if (!is_feature(v)) {
				diag_error(d, path, fe->kids[i]->line, fe->kids[i]->col,
					   "'%s' is not an OpenType feature such as 'ss01', '-liga' "
					   "or 'cv05=2'",
					   v);
				continue;
			}
			st->features[st->nfeatures++] = v;
		}
	}
}
