/* schema13.c - the style's schema (issue 13, item 5): the README's table
 * of style keys against the loader's rows, the defaults the rows give, and
 * a bad value reported at its place. */
#define _POSIX_C_SOURCE 200809L
#include "unit/unit.h"

#include "book/book.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "body: size" of row k. */
static void key_name(const struct bk_style_key *k, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s", k->section ? k->section : "", k->section ? ": " : "", k->key);
}

/* A table cell without its spaces and backquotes, into out. */
static void cell_text(const char *c, char *out, size_t n)
{
	while (*c == ' ' || *c == '`')
		c++;
	size_t len = strlen(c);
	while (len && (c[len - 1] == ' ' || c[len - 1] == '`' || c[len - 1] == '\n'))
		len--;
	snprintf(out, n, "%.*s", (int)len, c);
}

struct readme_row {
	char key[48], type[96], def[48];
};

/* The README's table under "### Every style key", up to max rows.
 * Returns the rows read; 0 when there is no README or no table. */
static size_t readme_rows(struct readme_row *rows, size_t max)
{
	FILE *f = fopen("README.md", "r");
	if (!f)
		return 0;
	char line[1024];
	bool in = false;
	size_t n = 0;
	while (fgets(line, sizeof line, f) && n < max) {
		if (line[0] == '#')
			in = !strcmp(line, "### Every style key\n");
		if (!in || strncmp(line, "| `", 3))
			continue;
		/* | `key` | type | range | `default` | what it does | */
		const char *cell[5];
		size_t nc = 0;
		for (char *p = line + 1; nc < 5 && p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
			cell[nc++] = p;
		if (nc < 5)
			continue;
		for (size_t i = 0; i < 5; i++)
			*strchr((char *)cell[i], '|') = 0;
		cell_text(cell[0], rows[n].key, sizeof rows[n].key);
		cell_text(cell[1], rows[n].type, sizeof rows[n].type);
		cell_text(cell[3], rows[n].def, sizeof rows[n].def);
		n++;
	}
	fclose(f);
	return n;
}

UNIT_TEST(schema13_readme_table_is_the_schema)
{
	static struct readme_row rd[128];
	size_t nrd = readme_rows(rd, 128);
	UCHECK(nrd > 0, "README.md has no '### Every style key' table (run from the repository)");
	bool seen[128] = {0};
	size_t nkeys = 0;
	for (const struct bk_style_key *k; (k = bk_style_key(nkeys)); nkeys++) {
		char name[48];
		key_name(k, name, sizeof name);
		size_t i = 0;
		while (i < nrd && strcmp(rd[i].key, name))
			i++;
		UCHECK(i < nrd, "style key '%s' is not in the README's table", name);
		if (i == nrd)
			continue;
		seen[i] = true;
		UCHECK(!strcmp(rd[i].def, k->def), "'%s': the README's default is '%s', the loader's '%s'",
		       name, rd[i].def, k->def);
		const char *kind = bk_style_kind_name(k->kind);
		UCHECK(!strncmp(rd[i].type, kind, strlen(kind)) ||
			       (k->kind == BK_SK_CHOICE || k->kind == BK_SK_OWN),
		       "'%s': the README's type is '%s', the loader's '%s'", name, rd[i].type, kind);
	}
	UCHECK(nkeys >= 40, "the schema has %zu keys", nkeys);
	for (size_t i = 0; i < nrd; i++)
		UCHECK(seen[i], "the README's style key '%s' is none the loader reads", rd[i].key);
}

UNIT_TEST(schema13_rows_are_whole)
{
	for (size_t i = 0; bk_style_key(i); i++) {
		const struct bk_style_key *k = bk_style_key(i);
		UCHECK(k->key && k->unit && k->def && k->help && *k->help, "row %zu is whole", i);
		UCHECK(k->min <= k->max || k->max == 0, "'%s': range %g to %g", k->key, k->min, k->max);
		if (k->key && !strcmp(k->key, "profile")) {
			/* The profiles' names, as the profile table has them. */
			char w[64];
			for (const char *u = k->unit; sscanf(u, "%63s", w) == 1; u = strstr(u, w) + strlen(w))
				UCHECK(print_profile_lookup(w) != NULL, "'%s' is a print profile", w);
			char names[256];
			snprintf(names, sizeof names, "%s", print_profile_names());
			for (char *t = strtok(names, ", "); t; t = strtok(NULL, ", "))
				UCHECK(strstr(k->unit, t) != NULL, "profile '%s' in the schema's", t);
		}
		if (k->kind == BK_SK_CHOICE && *k->def)
			UCHECK(strstr(k->unit, k->def) != NULL, "'%s': default '%s' is one of '%s'",
			       k->key, k->def, k->unit);
	}
}

/* A book in a new folder with style text as its style; the fonts and the
 * stylesheet are octavo's own (the folder we run in). NULL when it fails to
 * load, with the messages in *msgs (malloc'd). */
static struct book *load_style(const char *style, char **msgs)
{
	char dir[] = "/tmp/octavo-schema13-XXXXXX";
	if (!mkdtemp(dir))
		return NULL;
	char cwd[512], path[600];
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	snprintf(path, sizeof path, "%s/book.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("title: Schema\nlanguage: en\nstyle: s.yaml\nparts: [one.md]\n"
	      "identifiers:\n  uuid: urn:uuid:0f0f0f0f-1111-4222-8333-444455556666\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/one.md", dir);
	f = fopen(path, "w");
	fputs("# One\n\nText.\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/s.yaml", dir);
	f = fopen(path, "w");
	fprintf(f,
		"fonts:\n  regular: %s/fonts/CharisSIL-Regular.ttf\n"
		"  italic: %s/fonts/CharisSIL-Italic.ttf\n  bold: %s/fonts/CharisSIL-Bold.ttf\n"
		"  bold-italic: %s/fonts/CharisSIL-BoldItalic.ttf\n"
		"epub:\n  css: %s/styles/epub.css\n%s",
		cwd, cwd, cwd, cwd, cwd, style);
	fclose(f);
	size_t len;
	FILE *m = open_memstream(msgs, &len);
	struct diag d;
	diag_init(&d, m);
	d.excerpt = false;
	struct book *b = book_load(dir, cwd, &d);
	fclose(m);
	const char *names[] = {"book.yaml", "one.md", "s.yaml"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return b;
}

UNIT_TEST(schema13_defaults)
{
	char *msgs = NULL;
	struct book *b = load_style("", &msgs);
	UCHECK(b != NULL, "a style of fonts and css only loads: %s", msgs ? msgs : "");
	free(msgs);
	if (!b)
		return;
	const struct bk_style *st = &b->style;
	const double mm = 72.0 / 25.4;
	UCHECK(st->page_w == 138 * mm && st->page_h == 216 * mm, "Demy octavo: %g x %g", st->page_w,
	       st->page_h);
	UCHECK(st->margin_top == 16 * mm && st->margin_bottom == 20 * mm &&
		       st->margin_inner == 17 * mm && st->margin_outer == 21 * mm,
	       "margins");
	UCHECK(st->body_size == 10.5 && st->body_leading == 14, "10.5/14");
	UCHECK(st->indent == 10.5 && st->quote_indent == 1.5 * 10.5, "indents in ems");
	UCHECK(st->h1_size == 12 * 1.25 && st->h4_size == 10.5, "h1 %g, h4 %g", st->h1_size,
	       st->h4_size);
	UCHECK(st->table_size == 10.5 * 0.9 && st->table_leading == 14 * 0.9, "tables");
	UCHECK(st->code_size == 10.5 * 0.85 && st->code_min_size == 10.5 * 0.72, "code");
	UCHECK(st->expansion == 0.02 && st->justify && st->ligatures && st->protrusion,
	       "body switches");
	UCHECK(!st->short_top && !st->verso_author && !st->folio_head && !st->tagged &&
		       !st->crop_marks && st->bleed == 0 && st->accent_rgb == 0,
	       "choices and print");
	UCHECK(st->max_image_pixels == BK_MAX_IMAGE_PIXELS, "images");
	book_free(b);
}

UNIT_TEST(schema13_ems_follow_the_body)
{
	char *msgs = NULL;
	struct book *b = load_style("body:\n  size: 12pt\n  leading: 16pt\n"
				    "headings:\n  h2: 1.5em\ntables:\n  size: 1em\n",
				    &msgs);
	UCHECK(b != NULL, "loads: %s", msgs ? msgs : "");
	free(msgs);
	if (!b)
		return;
	const struct bk_style *st = &b->style;
	UCHECK(st->indent == 12 && st->h2_size == 18 && st->h1_size == 18 * 1.25, "ems of 12pt");
	UCHECK(st->table_size == 12 && st->table_leading == 16 * 0.9, "tables from the body");
	UCHECK(st->code_size == 12 * 0.85, "code from the body");
	book_free(b);
}

UNIT_TEST(schema13_bad_values_at_their_place)
{
	char *msgs = NULL;
	struct book *b = load_style("body:\n  justify: maybe\n  expansion: 9%\n"
				    "pages:\n  folios: side\ntables:\n  size: 200pt\n"
				    "margins:\n  topp: 1mm\n",
				    &msgs);
	UCHECK(b == NULL, "a bad style fails");
	const char *want[] = {
		"s.yaml:9:12: error: 'justify' must be true or false",
		"s.yaml:10:14: error: 'expansion' must be a percentage from 0% to 5%, such as '2%'",
		"s.yaml:12:11: error: 'folios' must be 'foot' or 'head'",
		"hint: 'folios': page numbers at the foot or in the head's outer corner",
		"s.yaml:14:9: error: 'tables: size' of 200.0pt is outside 4pt to 144pt",
		"s.yaml:16:3: warning: unknown key 'topp' ignored",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		UCHECK(msgs && strstr(msgs, want[i]), "'%s' in:\n%s", want[i], msgs ? msgs : "");
	free(msgs);
	if (b)
		book_free(b);
}
