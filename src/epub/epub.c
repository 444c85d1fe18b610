/*
 * epub.c - the EPUB package: the files copied in (images, fonts, the
 * stylesheet), the OPF package document, the EPUB 2 NCX, and the zip that
 * holds them, written to a temporary file and renamed into place.
 *
 * Only this stage includes <zip.h>.
 */
#define _POSIX_C_SOURCE 200809L
#include "epub-int.h"
#include "kinds.h"
#include "notes.h"
#include "../book/kinds.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 2000-01-01T00:00:00Z: the date of a book that gives none. */
#define DEFAULT_EPOCH 946684800LL

static bool has(const char *s)
{
	return s && *s;
}

/* ===== build time ====================================================== */

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
 * days_from_civil), so no time zone or timegm() is involved. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Midnight UTC of "YYYY-MM-DD" in *t; false when s is not such a date. */
static bool parse_date(const char *s, int64_t *t)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*t = days_from_civil(y, m, d) * 86400;
	return true;
}

/*
 * The one instant that stamps this build: SOURCE_DATE_EPOCH when set
 * (reproducible-builds.org), else the book's revision date, else
 * 2000-01-01. Never the clock, so two builds are byte-identical. A
 * malformed SOURCE_DATE_EPOCH is warned about and ignored.
 */
static int64_t build_time(const struct book *b, struct diag *d)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	if (env && *env) {
		char *end;
		errno = 0;
		long long v = strtoll(env, &end, 10);
		/* Up to 9999-12-31, the last date dcterms:modified can say. */
		if (!errno && !*end && isdigit((unsigned char)env[0]) && v <= 253402300799LL)
			return v;
		diag_warning(d, NULL, 0, 0,
			     "ignoring SOURCE_DATE_EPOCH '%s': not a count of seconds since 1970",
			     env);
	}
	int64_t t;
	if (parse_date(b->meta.revised, &t) && t >= 0)
		return t;
	return DEFAULT_EPOCH;
}

static void utc_fields(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;
	gmtime_r(&tt, tm);
}

/*
 * The time_t to hand zip_file_set_mtime so the entry shows t's UTC fields.
 * libzip turns it into MS-DOS date and time through localtime(), so undo
 * the local offset here: otherwise the bytes would depend on TZ. DOS dates
 * start in 1980; earlier instants are clamped.
 */
static time_t zip_mtime(int64_t t)
{
	struct tm tm;
	utc_fields(t, &tm);
	if (tm.tm_year < 80) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 80;
		tm.tm_mday = 1;
	}
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* ===== resources ======================================================= */

/* Reads a resource's bytes. Returns 0, or -1 after reporting. */
static int read_res(struct epub *e, struct epub_res *r, const char *what)
{
	r->data = read_file(r->path, &r->len);
	if (!r->data) {
		diag_error(e->d, NULL, 0, 0, "cannot read %s '%s' for the EPUB: %s", what, r->path,
			   strerror(errno));
		return -1;
	}
	return 0;
}

/* The first four bytes of the file at path into m. Returns 0, or -1
 * (errno set) when it cannot be read or is shorter. */
static int read_magic(const char *path, char m[4])
{
	struct stat st;
	int fd = open_regular(path, &st);
	if (fd < 0)
		return -1;
	ssize_t n;
	while ((n = read(fd, m, 4)) < 0 && errno == EINTR)
		;
	int e = errno;
	close(fd);
	errno = e;
	return n == 4 ? 0 : -1;
}

/* A variable font's instance r (the last font registered) when an earlier
 * face cut the same one (an italic face of a file with no italic axis
 * takes its upright's): that one's index, r given up; else -1. */
static long same_instance(struct epub *e, struct epub_res *r)
{
	if (!*r->instance)
		return -1;
	for (size_t i = 0; i + 1 < e->nfonts; i++)
		if (!strcmp(e->fonts[i].path, r->path) && !strcmp(e->fonts[i].instance, r->instance)) {
			free(r->data);
			e->nfonts--;
			return e->fonts[i].media_type ? (long)i : -1;
		}
	return -1;
}

/* The path r is named by in the EPUB: its own, or for an instance of a
 * variable font its stem and the instance ("Inter.var-wght700.x": the
 * extension is epub_res_name's to set). Arena-owned or r's. */
static const char *font_stem(struct epub *e, const struct epub_res *r)
{
	if (!*r->instance)
		return r->path;
	const char *base = strrchr(r->path, '/');
	base = base ? base + 1 : r->path;
	const char *dot = strrchr(base, '.');
	int n = (int)(dot && dot != base ? (size_t)(dot - r->path) : strlen(r->path));
	return ar_printf(&e->arena, "%.*s-%s.x", n, r->path, r->instance);
}

/*
 * Registers and reads the font file at path for face (see epub_subset_fn):
 * a static font once however many faces use it, a variable font once for
 * each instance its faces take. Names it by its basename (and instance)
 * with the extension its first bytes call for. Returns its index in
 * e->fonts, or -1 after reporting (once) a file that cannot be read or is
 * no font an EPUB may hold.
 */
static void subset_font(struct epub *e, struct epub_res *r);
static void add_licence(struct epub *e, const char *font_path);

static long add_font(struct epub *e, const char *path, int face)
{
	static const struct {
		const char *magic, *type, *ext;
	} kinds[] = {
	    {"\0\1\0\0", "font/ttf", ".ttf"}, {"true", "font/ttf", ".ttf"},
	    {"OTTO", "font/otf", ".otf"},     {"wOFF", "font/woff", ".woff"},
	    {"wOF2", "font/woff2", ".woff2"},
	};
	for (size_t i = 0; i < e->nfonts; i++)
		if (!strcmp(e->fonts[i].path, path) &&
		    (!e->fonts[i].media_type || !*e->fonts[i].instance || e->fonts[i].face == face))
			return e->fonts[i].media_type ? (long)i : -1;
	GROW(e->fonts, e->fonts_cap, e->nfonts + 1);
	size_t i = e->nfonts++;
	struct epub_res *r = &e->fonts[i];
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->face = face;
	r->name = ""; /* until it is known to be a font */
	r->id = ar_printf(&e->arena, "font-%zu", i + 1);
	/* Its first bytes say what it is; the whole file is read only when
	 * it is not cut down to a subset (a font's subset is made
	 * from the text stage's copy: reading megabytes of outlines here
	 * only to free them was an eighth of an essay's build). */
	char magic[4];
	if (read_magic(path, magic) < 0 && read_res(e, r, "font") < 0)
		return -1;
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		if ((!r->data || r->len >= 4) &&
		    !memcmp(r->data ? r->data : magic, kinds[k].magic, 4)) {
			/* TrueType and OpenType CFF alike (hb-subset cuts
			 * both); a WOFF is kept as it is. */
			if (!strcmp(kinds[k].type, "font/ttf") || !strcmp(kinds[k].type, "font/otf"))
				subset_font(e, r);
			long same = same_instance(e, r);
			if (same >= 0)
				return same;
			r->media_type = kinds[k].type;
			r->name = epub_res_name(e, "fonts", font_stem(e, r), kinds[k].ext, e->fonts, i);
			if (!r->data && read_res(e, r, "font") < 0)
				return -1;
			return (long)i;
		}
	}
	diag_error(e->d, NULL, 0, 0, "font '%s' is not a TrueType, OpenType or WOFF file", path);
	return -1;
}

static void mark_text(uint8_t *used, const char *s, size_t n)
{
	for (size_t i = 0; s && i < n;) {
		if ((unsigned char)s[i] < 0x80) { /* most of any book's text */
			used[(unsigned char)s[i++]] = 1;
			continue;
		}
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (m < 0) {
			i++;
			continue;
		}
		if (cp < 65536)
			used[cp] = 1;
		i += (size_t)m;
	}
}

static void mark_cb(void *used, const char *s, size_t n)
{
	mark_text(used, s, n);
}

/*
 * Every character the EPUB can show: the book's text and metadata, and,
 * for the words octavo adds and what reading systems and nbsp rules put
 * in, all of printable ASCII, Latin-1 and the common punctuation.
 */
static void book_code_points(const struct book *b, uint8_t *used)
{
	for (uint32_t cp = 0x20; cp < 0x7F; cp++)
		used[cp] = 1;
	for (uint32_t cp = 0xA0; cp < 0x180; cp++)
		used[cp] = 1;
	for (uint32_t cp = 0x2010; cp < 0x2040; cp++)
		used[cp] = 1;
	used[0x20AC] = used[0x2122] = used[0x21A9] = used[0x2212] = 1;
	bk_each_text(b, mark_cb, used);
}

/* Cuts a font read into r down to the glyphs the book uses, when the
 * caller lent a subsetter; keeps it whole otherwise. */
static void subset_font(struct epub *e, struct epub_res *r)
{
	if (!e->opt.subset)
		return;
	if (!e->used) {
		e->used = xcalloc(65536, 1);
		book_code_points(e->b, e->used);
	}
	size_t len = 0;
	char *data = e->opt.subset(e->opt.subset_ctx, r->path, r->face, e->used, e->features, &len,
				   r->instance);
	if (!data)
		return;
	free(r->data);
	r->data = data;
	r->len = len;
}

/* Whether b is set in the monospaced face, or holds text that is. */
static bool is_code(const struct bk_block *b)
{
	if (b->kind == BK_CODE_BLOCK)
		return true;
	for (size_t k = 0; k < b->nspans; k++)
		if (b->spans[k].style & BK_CODE)
			return true;
	return false;
}

/* Whether b is an HTML <details>. */
static bool is_details(const struct bk_block *b)
{
	return b->kind == BK_DIV && (b->flags & BK_DETAILS);
}

static bool blocks_any(const struct bk_block *v, size_t n, bool (*is)(const struct bk_block *))
{
	for (size_t i = 0; i < n; i++)
		if (is(&v[i]) || blocks_any(v[i].kids, v[i].nkids, is))
			return true;
	return false;
}

/* Whether any block of the book, its notes' too, is one that is(). */
static bool book_any(const struct book *b, bool (*is)(const struct bk_block *))
{
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		if (blocks_any(p->blocks, p->nblocks, is))
			return true;
		for (size_t k = 0; k < p->nnotes; k++)
			if (blocks_any(p->notes[k].kids, p->notes[k].nkids, is))
				return true;
	}
	return false;
}

/*
 * Reads the style's fonts and writes their @font-face rules into css, as
 * the families "octavo-text" (four faces) and "octavo-mono", which
 * styles/epub.css names; the monospaced face only when some text is code
 * (half a megabyte saved when none is). Returns 0, or -1 after reporting.
 */
static int load_fonts(struct epub *e, struct strbuf *css)
{
	static const struct {
		const char *style, *weight;
	} faces[4] = {
	    {"normal", "normal"}, {"italic", "normal"}, {"normal", "bold"}, {"italic", "bold"}};
	const struct bk_style *st = &e->b->style;
	int rc = 0;
	int nfaces = book_any(e->b, is_code) ? 5 : 4;
	/* small-caps: acronyms (xhtml.c's <abbr class="acronym">): the text
	 * faces keep their capitals-to-small-capitals. */
	if (st->acronyms && !strstr(e->features, "c2sc"))
		e->features = ar_printf(&e->arena, "%s%sc2sc", e->features, *e->features ? " " : "");
	/* The style's figures and features, which fonts.css asks for below:
	 * the cuts keep them with the glyphs they reach. */
	if (st->figures)
		e->features = ar_printf(&e->arena, "%s%s%s", e->features, *e->features ? " " : "",
					st->figures == BK_FIGURES_OLD_STYLE ? "onum" : "lnum");
	for (size_t i = 0; i < st->nfeatures; i++) {
		const char *f = st->features[i] + (*st->features[i] == '-' || *st->features[i] == '+');
		if (*st->features[i] != '-')
			e->features = ar_printf(&e->arena, "%s%s%.4s", e->features,
						*e->features ? " " : "", f);
	}
	for (int i = 0; i < nfaces; i++) {
		const char *path = i < 4 ? st->font[i] : st->font_mono;
		if (!has(path))
			continue;
		long k = add_font(e, path, i);
		if (k < 0) {
			rc = -1;
			continue;
		}
		add_licence(e, path);
		const struct epub_res *r = &e->fonts[k];
		const char *style = i < 4 ? faces[i].style : "normal";
		const char *weight = i < 4 ? faces[i].weight : "normal";
		sb_addf(css,
			"@font-face {\n\tfont-family: \"%s\";\n\tfont-style: %s;\n"
			"\tfont-weight: %s;\n\tsrc: url(\"../%s\");\n}\n",
			i < 4 ? "octavo-text" : "octavo-mono", style, weight, r->name);
	}
	/* The text faces keep their small capitals (tx_subset_file): the
	 * byline and the publisher, which the stylesheet sets in small
	 * capitals, ask for the font's own by feature, more specifically
	 * than the stylesheet does, so that no reading system scales
	 * capitals down in their place. */
	long reg = has(st->font[0]) ? add_font(e, st->font[0], 0) : -1;
	if (reg >= 0 && epub_font_has_feature(e->fonts[reg].data, e->fonts[reg].len, "smcp") &&
	    strstr(e->features, "smcp"))
		sb_adds(css, "/* The text faces have real small capitals (OpenType smcp). */\n"
			     "section header p.byline, section.titlepage p.publisher {\n"
			     "\tfont-variant: normal;\n\tfont-feature-settings: \"smcp\";\n}\n");
	if (st->acronyms)
		sb_adds(css, "/* small-caps: acronyms, as the print edition sets them (c2sc). */\n"
			     "abbr.acronym {\n\tfont-variant-caps: all-small-caps;\n}\n");
	/* The style's figures and OpenType features, as the print edition
	 * sets them ("-liga" is "liga" 0, "cv05=2" is "cv05" 2). */
	struct strbuf ff = STRBUF_INIT;
	if (st->figures)
		sb_adds(&ff, st->figures == BK_FIGURES_OLD_STYLE ? "\"onum\" 1" : "\"lnum\" 1");
	for (size_t i = 0; i < st->nfeatures; i++) {
		const char *f = st->features[i];
		int on = *f == '-' ? 0 : 1;
		f += *f == '-' || *f == '+';
		const char *eq = strchr(f, '=');
		sb_addf(&ff, "%s\"%.4s\" %s", ff.len ? ", " : "", f, eq ? eq + 1 : on ? "1" : "0");
	}
	if (ff.len) /* code as typed, as the print edition sets it */
		sb_addf(css,
			"body {\n\tfont-feature-settings: %s;\n}\n"
			"code, pre, kbd, samp {\n\tfont-feature-settings: normal;\n}\n",
			ff.buf);
	sb_release(&ff);
	e->fonts_css = css->len > 0;
	return rc;
}

/* Registers the licence file beside the font at path, once however many
 * fonts share it: an OFL font may go out only with its licence. */
static void add_licence(struct epub *e, const char *font_path)
{
	const char *path = epub_font_licence(e, font_path);
	if (!path)
		return;
	for (size_t i = 0; i < e->nlicences; i++)
		if (!strcmp(e->licences[i].path, path))
			return;
	struct stat st;
	int fd = open_checked(path, &st);
	size_t len = 0;
	char *data = fd < 0 ? NULL : read_fd(fd, &len);
	if (fd >= 0)
		close(fd);
	if (!data)
		return; /* seen a moment ago; gone now: the font goes without */
	GROW(e->licences, e->licences_cap, e->nlicences + 1);
	struct epub_res *r = &e->licences[e->nlicences];
	memset(r, 0, sizeof(*r));
	r->path = path;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	r->name = epub_res_name(e, "fonts", path, dot ? dot : "", e->licences, e->nlicences);
	r->id = ar_printf(&e->arena, "licence-%zu", e->nlicences + 1);
	r->media_type = "text/plain";
	r->data = data;
	r->len = len;
	e->nlicences++;
}

/* ===== package documents =============================================== */

static char *container_xml(size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<container version=\"1.0\" "
		     "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
		     "<rootfiles>\n"
		     "<rootfile full-path=\"OEBPS/content.opf\" "
		     "media-type=\"application/oebps-package+xml\"/>\n"
		     "</rootfiles>\n"
		     "</container>\n");
	return sb_detach(&sb, len);
}

/* The book's unique identifier: its EPUB ISBN as a URN, else its UUID. */
static void add_identifier(struct strbuf *sb, const struct bk_meta *m)
{
	if (has(m->isbn_epub)) {
		sb_adds(sb, "urn:isbn:");
		epub_add_str(sb, m->isbn_epub);
	} else if (has(m->uuid)) {
		epub_add_str(sb, m->uuid);
	} else {
		/* The book stage insists on a uuid; never emit an empty id. */
		sb_adds(sb, "urn:octavo:");
		epub_add_str(sb, has(m->slug) ? m->slug : "book");
	}
}

/* ONIX code list 5 for an ISBN: "15" for ISBN-13, "02" for ISBN-10,
 * NULL when it has neither length. */
static const char *isbn_type(const char *isbn)
{
	size_t digits = 0;
	for (const char *p = isbn; *p; p++)
		digits += isdigit((unsigned char)*p) || *p == 'X' || *p == 'x';
	return digits == 13 ? "15" : digits == 10 ? "02" : NULL;
}

/* <tag id="id">name</tag>, its roles (MARC relators; each may be NULL),
 * the name as sorted (file_as, else the name as written) and its place
 * among the creators (seq > 0), so reading systems list them in order. */
static void opf_person(struct strbuf *sb, const char *tag, const char *id, const char *name,
		       const char *role, const char *role2, const char *file_as, int seq)
{
	sb_addf(sb, "<%s id=\"%s\">", tag, id);
	epub_add_str(sb, name);
	sb_addf(sb, "</%s>\n", tag);
	const char *roles[2] = {role, role2};
	for (int i = 0; i < 2; i++) {
		if (!has(roles[i]) || (i == 1 && has(role) && !strcmp(role, role2)))
			continue;
		sb_addf(sb, "<meta refines=\"#%s\" property=\"role\" scheme=\"marc:relators\">",
			id);
		epub_add_str(sb, roles[i]);
		sb_adds(sb, "</meta>\n");
	}
	sb_addf(sb, "<meta refines=\"#%s\" property=\"file-as\">", id);
	epub_add_str(sb, has(file_as) ? file_as : name);
	sb_adds(sb, "</meta>\n");
	if (seq > 0)
		sb_addf(sb, "<meta refines=\"#%s\" property=\"display-seq\">%d</meta>\n", id, seq);
}

static void opf_dc(struct strbuf *sb, const char *tag, const char *value)
{
	if (!has(value))
		return;
	sb_addf(sb, "<dc:%s>", tag);
	epub_add_str(sb, value);
	sb_addf(sb, "</dc:%s>\n", tag);
}

static void opf_meta(struct strbuf *sb, const char *property, const char *value)
{
	sb_addf(sb, "<meta property=\"%s\">", property);
	epub_add_str(sb, value);
	sb_adds(sb, "</meta>\n");
}

/* dc:subject for each comma-separated keyword. */
static void opf_subjects(struct strbuf *sb, const char *keywords)
{
	const char *p = keywords;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *a = p, *z = end;
		while (a < z && isspace((unsigned char)*a))
			a++;
		while (z > a && isspace((unsigned char)z[-1]))
			z--;
		if (z > a) {
			sb_adds(sb, "<dc:subject>");
			sb_add_xml(sb, a, (size_t)(z - a));
			sb_adds(sb, "</dc:subject>\n");
		}
		p = comma ? comma + 1 : NULL;
	}
}

/* Whether a book-level creator has this name (so an essay of theirs adds
 * a role, not a second person). */
static long creator_named(const struct bk_meta *m, const char *name)
{
	for (size_t i = 0; i < m->ncreators; i++)
		if (has(m->creators[i].name) && !strcmp(m->creators[i].name, name))
			return (long)i;
	return -1;
}

/* Whether every image, inline or a figure, has alt text. */
static bool all_alt(const struct book *b)
{
	for (size_t i = 0; i < b->nparts; i++)
		for (size_t k = 0; k < b->parts[i].nimages; k++)
			if (!has(b->parts[i].images[k]->alt))
				return false;
	return true;
}

/* People, as dc:creator so that reading systems show them: the book's
 * creators (editors and the like), then each essay's author once however
 * many essays they wrote, with the relator "aut", in reading order; a
 * creator who also wrote an essay gets both roles. */
static void opf_people(const struct epub *e, struct strbuf *sb)
{
	const struct book *b = e->b;
	const struct bk_meta *m = &b->meta;
	int seq = 0;
	for (size_t i = 0; i < m->ncreators; i++) {
		if (!has(m->creators[i].name))
			continue;
		bool wrote = false;
		for (size_t k = 0; k < b->nparts && !wrote; k++)
			wrote = has(b->parts[k].author) &&
				!strcmp(b->parts[k].author, m->creators[i].name);
		char id[32];
		snprintf(id, sizeof(id), "creator-%zu", i + 1);
		opf_person(sb, "dc:creator", id, m->creators[i].name, m->creators[i].role,
			   wrote ? "aut" : NULL, m->creators[i].file_as, ++seq);
	}
	for (size_t i = 0, n = 0; i < b->nparts; i++) {
		const char *a = e->reading[i]->author;
		bool seen = !has(a) || creator_named(m, a) >= 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = e->reading[j]->author && !strcmp(e->reading[j]->author, a);
		if (seen)
			continue;
		char id[32];
		snprintf(id, sizeof(id), "author-%zu", ++n);
		opf_person(sb, "dc:creator", id, a, "aut", NULL, e->reading[i]->author_file_as,
			   ++seq);
	}
}

/*
 * Accessibility metadata (EPUB Accessibility 1.1, schema.org terms) as
 * Ace by DAISY checks it. What is claimed is what the writer does: every
 * image has alt text (the cover's says what it shows), the nav has every
 * heading, the spine is the reading order, the stylesheet fixes no text
 * colour and no size in absolute units.
 */
static void opf_a11y(struct epub *e, struct strbuf *sb)
{
	bool alt = all_alt(e->b);
	bool pages = e->nmarks > 0;
	opf_meta(sb, "schema:accessMode", "textual");
	opf_meta(sb, "schema:accessMode", "visual");
	opf_meta(sb, "schema:accessModeSufficient", alt ? "textual" : "textual,visual");
	static const char *const features[] = {"structuralNavigation", "tableOfContents",
					       "readingOrder", "displayTransformability"};
	for (size_t i = 0; i < ARRAY_LEN(features); i++)
		opf_meta(sb, "schema:accessibilityFeature", features[i]);
	if (alt)
		opf_meta(sb, "schema:accessibilityFeature", "alternativeText");
	if (pages) {
		/* Not printPageNumbers, which schema.org deprecated for it. */
		opf_meta(sb, "schema:accessibilityFeature", "pageBreakMarkers");
		opf_meta(sb, "schema:accessibilityFeature", "pageNavigation");
	}
	opf_meta(sb, "schema:accessibilityHazard", "none");
	struct strbuf sum = STRBUF_INIT;
	sb_adds(&sum, "This publication meets the requirements of EPUB Accessibility 1.1 and WCAG "
		      "2.1 Level AA. Its text is structured with headings and landmarks, has a "
		      "table of contents, and reads in one order; footnotes are linked both ways.");
	if (alt)
		sb_adds(&sum, " Every image has alternative text.");
	if (pages)
		sb_adds(&sum,
			" Page numbers of the print edition are marked in the text and listed "
			"for navigation.");
	sb_adds(&sum, " Text size, typeface and colours can be changed by the reader.");
	opf_meta(sb, "schema:accessibilitySummary", sum.buf);
	sb_release(&sum);
	opf_meta(sb, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
	/* Who makes the claim: the book's certifier, else its publisher. No
	 * EPUB Accessibility 1.0 conformsTo link beside the 1.1 claim: a
	 * publication conforms to one version of the standard. */
	const struct bk_meta *m = &e->b->meta;
	const char *by = has(m->certified_by) ? m->certified_by : m->publisher;
	if (has(by)) {
		sb_adds(sb, "<meta property=\"a11y:certifiedBy\" id=\"certifier\">");
		epub_add_str(sb, by);
		sb_adds(sb, "</meta>\n");
		if (has(m->certifier_credential)) {
			sb_adds(sb, "<meta refines=\"#certifier\" property=\"a11y:certifierCredential\">");
			epub_add_str(sb, m->certifier_credential);
			sb_adds(sb, "</meta>\n");
		}
		if (has(m->certifier_report)) {
			sb_adds(sb, "<link refines=\"#certifier\" rel=\"a11y:certifierReport\" href=\"");
			epub_add_str(sb, m->certifier_report);
			sb_adds(sb, "\"/>\n");
		}
	}
}

/*
 * Where the page list's numbers come from: the print edition, named by
 * its ISBN as a URN when it has one, else by this edition's identifier
 * (the print edition is made from the same manuscript in the same build).
 * EPUB Accessibility 1.1 names it with a11y:pageBreakSource, which
 * EPUBCheck 4 rejects as an undefined property (OPF-027) however its
 * prefix is declared, so it is said the EPUB 3.2 way, which EPUBCheck 4
 * and Ace accept: a dc:source refined as the source of pagination.
 */
static void opf_page_source(struct epub *e, struct strbuf *sb)
{
	const struct bk_meta *m = &e->b->meta;
	sb_adds(sb, "<dc:source id=\"page-source\">");
	if (has(m->isbn_print)) {
		sb_adds(sb, "urn:isbn:");
		epub_add_str(sb, m->isbn_print);
	} else {
		add_identifier(sb, m);
	}
	sb_adds(sb, "</dc:source>\n<meta refines=\"#page-source\" property=\"source-of\">"
		    "pagination</meta>\n");
}

static void opf_metadata(struct epub *e, struct strbuf *sb, int64_t now)
{
	const struct book *b = e->b;
	const struct bk_meta *m = &b->meta;
	sb_adds(sb, "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		    "<dc:identifier id=\"pub-id\">");
	add_identifier(sb, m);
	sb_adds(sb, "</dc:identifier>\n");
	if (has(m->isbn_epub) && isbn_type(m->isbn_epub))
		sb_addf(sb,
			"<meta refines=\"#pub-id\" property=\"identifier-type\" "
			"scheme=\"onix:codelist5\">%s</meta>\n",
			isbn_type(m->isbn_epub));
	if (has(m->isbn_epub) && has(m->uuid)) {
		sb_adds(sb, "<dc:identifier id=\"uuid\">");
		epub_add_str(sb, m->uuid);
		sb_adds(sb, "</dc:identifier>\n");
	}
	sb_adds(sb, "<dc:title id=\"title\">");
	epub_add_str(sb, has(m->title) ? m->title : "Untitled");
	sb_adds(sb, "</dc:title>\n<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
	if (has(m->subtitle)) {
		sb_adds(sb, "<dc:title id=\"subtitle\">");
		epub_add_str(sb, m->subtitle);
		sb_adds(sb,
			"</dc:title>\n"
			"<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
	}
	opf_dc(sb, "language", e->lang);
	opf_people(e, sb);
	opf_dc(sb, "publisher", m->publisher);
	opf_dc(sb, "rights", m->rights);
	opf_dc(sb, "description", m->description);
	opf_subjects(sb, m->keywords);
	/* This edition's date: its revision, else its first publication. */
	opf_dc(sb, "date", has(m->revised) ? m->revised : m->date);
	if (e->nmarks)
		opf_page_source(e, sb);
	struct tm tm;
	utc_fields(now, &tm);
	sb_addf(sb, "<meta property=\"dcterms:modified\">%04d-%02d-%02dT%02d:%02d:%02dZ</meta>\n",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	/* EPUB 2 reading systems find the cover image by this. */
	sb_adds(sb, "<meta name=\"cover\" content=\"cover-image\"/>\n");
	opf_a11y(e, sb);
	sb_adds(sb, "</metadata>\n");
}

static void manifest_item(struct strbuf *sb, const char *id, const char *href, const char *type,
			  const char *props)
{
	sb_addf(sb, "<item id=\"%s\" href=\"", id);
	epub_add_str(sb, href);
	sb_addf(sb, "\" media-type=\"%s\"", type);
	if (props)
		sb_addf(sb, " properties=\"%s\"", props);
	sb_adds(sb, "/>\n");
}

/* The manifest id of a part's XHTML file; ids from the book stage are
 * XML names, prefixed here so they meet no id of ours. */
static const char *part_item(struct epub *e, const struct bk_part *p)
{
	return ar_printf(&e->arena, "x-%s", p->id);
}

static char *content_opf(struct epub *e, int64_t now, size_t *len)
{
	const struct book *b = e->b;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
		     "unique-identifier=\"pub-id\" xml:lang=\"");
	epub_add_str(&sb, e->lang);
	sb_adds(&sb, "\">\n");
	opf_metadata(e, &sb, now);

	sb_adds(&sb, "<manifest>\n");
	manifest_item(&sb, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
	manifest_item(&sb, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
	if (e->fonts_css)
		manifest_item(&sb, "fonts-css", "css/fonts.css", "text/css", NULL);
	manifest_item(&sb, "css", "css/style.css", "text/css", NULL);
	manifest_item(&sb, "cover", "text/cover.xhtml", "application/xhtml+xml", NULL);
	manifest_item(&sb, "titlepage", "text/titlepage.xhtml", "application/xhtml+xml", NULL);
	manifest_item(&sb, "copyright", "text/copyright.xhtml", "application/xhtml+xml", NULL);
	for (size_t i = 0; i < b->nparts; i++)
		manifest_item(&sb, part_item(e, e->reading[i]), epub_part_file(e, e->reading[i]),
			      "application/xhtml+xml", NULL);
	if (epub_notes_doc(e))
		manifest_item(&sb, EPUB_NOTES_ITEM, EPUB_NOTES_FILE, "application/xhtml+xml", NULL);
	manifest_item(&sb, "cover-image", e->cover_name,
		      e->cover_png ? "image/png" : "image/svg+xml", "cover-image");
	for (size_t i = 0; i < e->nimages; i++)
		manifest_item(&sb, e->images[i].id, e->images[i].name, e->images[i].media_type,
			      NULL);
	for (size_t i = 0; i < e->nfonts; i++)
		manifest_item(&sb, e->fonts[i].id, e->fonts[i].name, e->fonts[i].media_type, NULL);
	for (size_t i = 0; i < e->nlicences; i++)
		manifest_item(&sb, e->licences[i].id, e->licences[i].name,
			      e->licences[i].media_type, NULL);
	sb_adds(&sb, "</manifest>\n");

	/* A right-to-left book turns its pages the other way (OPF 3.3's
	 * page-progression-direction). */
	sb_adds(&sb, bk_lang_rtl(e->lang) ? "<spine toc=\"ncx\" page-progression-direction=\"rtl\">\n"
					  : "<spine toc=\"ncx\">\n");
	sb_adds(&sb, "<itemref idref=\"cover\"/>\n"
		     "<itemref idref=\"titlepage\"/>\n"
		     "<itemref idref=\"copyright\"/>\n"
		     "<itemref idref=\"nav\"/>\n");
	for (size_t i = 0; i <= b->nparts; i++) {
		if (epub_notes_here(e, i))
			sb_adds(&sb, "<itemref idref=\"" EPUB_NOTES_ITEM "\"/>\n");
		if (i < b->nparts)
			sb_addf(&sb, "<itemref idref=\"%s\"/>\n", part_item(e, e->reading[i]));
	}
	sb_adds(&sb, "</spine>\n</package>\n");
	return sb_detach(&sb, len);
}

/* ===== the NCX ========================================================= */

/* One entry of the NCX: a navPoint (level 1 and deeper, nested by level)
 * or a pageTarget (level 0, page the index into e->pages). */
struct ncx_ent {
	const char *label, *file, *id;
	int level;
	size_t page;
	int order; /* playOrder */
};

struct ncx {
	struct ncx_ent *v;
	size_t n, cap;
};

static void ncx_add(struct ncx *x, const char *label, const char *file, const char *id, int level,
		    size_t page)
{
	GROW(x->v, x->cap, x->n + 1);
	x->v[x->n++] = (struct ncx_ent){label, file, id, level, page, 0};
}

/*
 * The anchor written for (file, id) (id NULL: the top of file), as its
 * index + 1, or 0 when the XHTML wrote none. The search goes on from
 * *at, where the last one was found: entries come in reading order, as
 * the anchors were written, so finding them all is linear.
 */
static int find_anchor(const struct epub *e, const char *file, const char *id, size_t *at)
{
	for (size_t k = 0; k < e->nanchors; k++) {
		size_t i = (*at + k) % e->nanchors;
		const struct epub_anchor *a = &e->anchors[i];
		if (strcmp(a->file, file) || (a->id != id && (!a->id || !id || strcmp(a->id, id))))
			continue;
		*at = i + 1;
		return (int)i + 1;
	}
	return 0;
}

/*
 * Numbers the entries in reading order, as the anchors were written: the
 * same target gets the same playOrder, and the numbers run 1, 2, 3 over
 * the targets the NCX uses. A target the XHTML never wrote (none should
 * be) goes after the rest.
 */
static void ncx_number(const struct epub *e, struct ncx *x)
{
	int *rank = xcalloc(e->nanchors + 1, sizeof(*rank));
	size_t at = 0;
	for (size_t i = 0; i < x->n; i++) {
		x->v[i].order = find_anchor(e, x->v[i].file, x->v[i].id, &at);
		if (x->v[i].order)
			rank[x->v[i].order - 1] = 1;
	}
	int r = 0;
	for (size_t i = 0; i < e->nanchors; i++)
		if (rank[i])
			rank[i] = ++r;
	for (size_t i = 0; i < x->n; i++)
		x->v[i].order = x->v[i].order ? rank[x->v[i].order - 1] : ++r;
	free(rank);
}

static void ncx_target(struct strbuf *sb, const struct ncx_ent *en)
{
	sb_adds(sb, "<navLabel><text>");
	epub_add_str(sb, en->label);
	sb_adds(sb, "</text></navLabel>\n<content src=\"");
	epub_add_str(sb, en->file);
	if (en->id) {
		sb_addc(sb, '#');
		epub_add_str(sb, en->id);
	}
	sb_adds(sb, "\"/>\n");
}

/* A folio's value as a number, or 0 when it is not all digits. */
static long folio_value(const char *label)
{
	long v = 0;
	for (const char *p = label; *p; p++) {
		if (!isdigit((unsigned char)*p) || v > 100000000)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

static int long_cmp(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;
	return (a > b) - (a < b);
}

/* The book-end Notes' entries (notes.h): the section, each part's list. */
static void ncx_notes(struct epub *e, struct ncx *x)
{
	const struct book *b = e->b;
	ncx_add(x, bk_kind_title(b, BK_NPART_KINDS), EPUB_NOTES_FILE, NULL, 1, 0);
	for (size_t i = 0; i < b->nparts; i++)
		if (e->reading[i]->nnotes)
			ncx_add(x, epub_part_title(e->reading[i]), EPUB_NOTES_FILE,
				epub_notes_part_id(e, e->reading[i]), 2, 0);
}

/* The EPUB 2 table of contents, for reading systems that predate
 * nav.xhtml: the same entries as the nav's toc, and its page list. */
static char *toc_ncx(struct epub *e, size_t *len)
{
	const struct book *b = e->b;
	struct ncx x = {0};
	ncx_add(&x, bk_str(b, BK_STR_TITLE_PAGE), epub_front_file(EPUB_FRONT_TITLE), NULL, 1, 0);
	ncx_add(&x, bk_str(b, BK_STR_COPYRIGHT), epub_front_file(EPUB_FRONT_COPYRIGHT), NULL, 1, 0);
	for (size_t i = 0; i <= b->nparts; i++) {
		if (epub_notes_here(e, i))
			ncx_notes(e, &x);
		if (i == b->nparts)
			break;
		const struct bk_part *p = e->reading[i];
		const char *file = epub_part_file(e, p);
		ncx_add(&x, epub_part_title(p), file, NULL, 1, 0);
		for (size_t k = 0; k < p->nblocks; k++) {
			const struct bk_block *h = &p->blocks[k];
			int lv = epub_toc_level(h);
			if (lv)
				ncx_add(&x, epub_plain(e, h->spans, h->nspans), file, h->id, 1 + lv,
					0);
		}
	}
	long maxpage = 0;
	for (size_t i = 0; i < e->nmarks; i++) {
		ncx_add(&x, e->pages[i].label, e->pages[i].file, e->pages[i].id, 0, i);
		long v = folio_value(e->pages[i].label);
		maxpage = v > maxpage ? v : maxpage;
	}
	ncx_number(e, &x);
	int depth = 1;
	for (size_t i = 0; i < x.n; i++)
		depth = x.v[i].level > depth ? x.v[i].level : depth;

	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" "
		     "xml:lang=\"");
	epub_add_str(&sb, e->lang);
	sb_adds(&sb, "\">\n<head>\n<meta name=\"dtb:uid\" content=\"");
	add_identifier(&sb, &b->meta);
	sb_addf(&sb,
		"\"/>\n<meta name=\"dtb:depth\" content=\"%d\"/>\n"
		"<meta name=\"dtb:totalPageCount\" content=\"%zu\"/>\n"
		"<meta name=\"dtb:maxPageNumber\" content=\"%ld\"/>\n</head>\n"
		"<docTitle><text>",
		depth, e->nmarks, maxpage);
	epub_add_str(&sb, has(b->meta.title) ? b->meta.title : "Untitled");
	sb_adds(&sb, "</text></docTitle>\n<navMap>\n");
	int open[8], n = 0, np = 0; /* the levels of the open navPoints */
	for (size_t i = 0; i < x.n; i++) {
		const struct ncx_ent *en = &x.v[i];
		if (!en->level)
			continue;
		while (n > 0 && open[n - 1] >= en->level) {
			sb_adds(&sb, "</navPoint>\n");
			n--;
		}
		sb_addf(&sb, "<navPoint id=\"np-%d\" playOrder=\"%d\">\n", ++np, en->order);
		ncx_target(&sb, en);
		if (n < (int)ARRAY_LEN(open))
			open[n++] = en->level;
		else
			sb_adds(&sb, "</navPoint>\n");
	}
	while (n-- > 0)
		sb_adds(&sb, "</navPoint>\n");
	sb_adds(&sb, "</navMap>\n");

	if (e->nmarks) {
		/* A value may stand on one pageTarget of a type only; a folio
		 * printed twice keeps its label and loses its value. */
		long *vals = xcalloc(e->nmarks, sizeof(*vals));
		for (size_t i = 0; i < e->nmarks; i++)
			vals[i] = folio_value(e->pages[i].label);
		qsort(vals, e->nmarks, sizeof(*vals), long_cmp);
		sb_adds(&sb, "<pageList>\n<navLabel><text>");
		epub_add_str(&sb, bk_str(b, BK_STR_PAGES));
		sb_adds(&sb, "</text></navLabel>\n");
		for (size_t i = 0; i < x.n; i++) {
			const struct ncx_ent *en = &x.v[i];
			if (en->level)
				continue;
			long v = folio_value(en->label);
			sb_addf(&sb, "<pageTarget id=\"pt-%zu\" type=\"%s\"", en->page + 1,
				v ? "normal" : "front");
			long *at = v ? bsearch(&v, vals, e->nmarks, sizeof(*vals), long_cmp) : NULL;
			bool twice = at && ((at > vals && at[-1] == v) ||
					    (at + 1 < vals + e->nmarks && at[1] == v));
			if (v && !twice)
				sb_addf(&sb, " value=\"%ld\"", v);
			sb_addf(&sb, " playOrder=\"%d\">\n", en->order);
			ncx_target(&sb, en);
			sb_adds(&sb, "</pageTarget>\n");
		}
		sb_adds(&sb, "</pageList>\n");
		free(vals);
	}
	sb_adds(&sb, "</ncx>\n");
	free(x.v);
	return sb_detach(&sb, len);
}

/* ===== the zip ========================================================= */

/* Appends an entry; it takes data (malloc'd) over. */
static void entry_add(struct entries *es, const char *name, char *data, size_t len)
{
	GROW(es->v, es->cap, es->n + 1);
	es->v[es->n++] = (struct entry){.name = name, .data = data, .len = len};
}

static void entries_release(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		if (!es->v[i].borrowed)
			free(es->v[i].data);
		if (es->v[i].packed_owned)
			free((char *)es->v[i].packed);
	}
	free(es->v);
	es->v = NULL;
	es->n = es->cap = 0;
}

/* What a book that uses <details> needs beyond the style's stylesheet:
 * xhtml.c writes each open, and the print edition sets its summary as a
 * label on a line of its own (bold, from the book) with a paragraph's
 * space above it; a reading system's disclosure triangle would offer to
 * close what print shows. */
static const char details_css[] =
    "\n/* <details>, open, as the print edition sets it (octavo adds this to\n"
    " * books that use <details> and whose stylesheet does not style it). */\n"
    "details {\n\tdisplay: block;\n\tmargin: 1em 0 0;\n}\n"
    "summary {\n\tdisplay: block;\n\tlist-style: none;\n\tmargin: 0;\n\ttext-indent: 0;\n}\n"
    "summary::-webkit-details-marker {\n\tdisplay: none;\n}\n"
    "details > p:first-of-type {\n\ttext-indent: 0;\n}\n";

/* What a right-to-left book (bk_lang_rtl) needs beyond the style's
 * stylesheet, which sets some things flush left: flush right under
 * dir="rtl" (xhtml.c puts it on each document's <html>), code still
 * left, and a column's own alignment (':---') still its own. */
static const char rtl_css[] =
    "\n/* A right-to-left book (octavo adds this to books in Hebrew, Arabic...\n"
    " * whose stylesheet says nothing of [dir=\"rtl\"]). */\n"
    "[dir=\"rtl\"] h4, [dir=\"rtl\"] h5, [dir=\"rtl\"] h6, [dir=\"rtl\"] section.copyright p,\n"
    "[dir=\"rtl\"] th, [dir=\"rtl\"] td, [dir=\"rtl\"] div.long-description p,\n"
    "[dir=\"rtl\"] p.line-block {\n\ttext-align: right;\n}\n"
    "[dir=\"rtl\"] .align-left {\n\ttext-align: left;\n}\n"
    "[dir=\"rtl\"] .align-center {\n\ttext-align: center;\n}\n"
    "[dir=\"rtl\"] nav ol ol {\n\tmargin-left: 0;\n\tmargin-right: 1.5em;\n}\n"
    "[dir=\"rtl\"] dd {\n\tmargin: 0 1.5em 0.5em 0;\n}\n"
    "[dir=\"rtl\"] li.task > .task-box {\n\tmargin-left: 0;\n\tmargin-right: -1.2em;\n}\n";

/* Han, kana and Hangul have no italic: as in print (tx_shape's synth_of),
 * an italic word's ideographs stand upright, never slanted by the reading
 * system, while the Latin beside them keeps its font's italic
 * (font-synthesis: weight allows a made-up bold, not a made-up slant). A
 * reading system without font-synthesis still sets the subtitle upright. */
static const char cjk_css[] =
    "\n/* A book in Chinese, Japanese or Korean (octavo adds this): no slanted\n"
    " * ideographs. */\n"
    ":lang(zh), :lang(ja), :lang(ko) {\n\tfont-synthesis: weight;\n}\n"
    "p.subtitle:lang(zh), p.subtitle:lang(ja), p.subtitle:lang(ko) {\n"
    "\tfont-style: normal;\n}\n";

/* Adds the n bytes at add to the stylesheet's len bytes at css (malloc'd,
 * or NULL: then nothing); returns the stylesheet, realloc'd. */
static char *add_css(char *css, size_t *len, const char *add, size_t n)
{
	if (!css)
		return css;
	css = xrealloc(css, *len + n + 1);
	memcpy(css + *len, add, n + 1);
	*len += n;
	return css;
}

/* The stylesheet's len bytes at css (malloc'd) with what the book needs
 * and the stylesheet lacks: details_css when the book holds a <details>
 * and the stylesheet names none; rtl_css for a right-to-left book when
 * it says nothing of dir="rtl"; cjk_css for a Chinese, Japanese or Korean
 * book whose stylesheet says nothing of font-synthesis. Returns the stylesheet, realloc'd. */
static char *add_needed_css(const struct book *b, char *css, size_t *len)
{
	if (css && book_any(b, is_details) && !epub_css_names(css, *len, "details") &&
	    !epub_css_names(css, *len, "summary"))
		css = add_css(css, len, details_css, sizeof(details_css) - 1);
	if (css && bk_lang_rtl(b->meta.language) && !epub_css_names(css, *len, "rtl"))
		css = add_css(css, len, rtl_css, sizeof(rtl_css) - 1);
	if (css && bk_lang_cjk(b->meta.language) && !epub_css_names(css, *len, "font-synthesis"))
		css = add_css(css, len, cjk_css, sizeof(cjk_css) - 1);
	return css;
}

/* The stylesheet's bytes, malloc'd, or NULL after reporting. */
static char *read_css(struct epub *e, size_t *len)
{
	const char *path = e->b->style.css;
	if (!has(path)) {
		diag_error(e->d, NULL, 0, 0, "the style names no EPUB stylesheet");
		return NULL;
	}
	/* The style stage checked it and kept its real path: a link put in
	 * its place since is not followed. */
	struct stat st;
	int fd = open_checked(path, &st);
	char *css = fd < 0 ? NULL : read_fd(fd, len);
	int err = errno;
	if (fd >= 0)
		close(fd);
	errno = err;
	if (!css)
		diag_error(e->d, NULL, 0, 0, "cannot read the EPUB stylesheet '%s': %s", path,
			   strerror(errno));
	return css;
}

/* Copies in the bytes of every image the parts registered, as the book
 * stage read and checked them: the file is not read again, so what the
 * EPUB holds is what was checked. Returns 0, or -1 after reporting each
 * one that cannot go in. */
static int read_images(struct epub *e)
{
	int rc = 0;
	for (size_t i = 0; i < e->nimages; i++) {
		struct epub_res *r = &e->images[i];
		if (!strcmp(epub_image_ext(r->media_type), ".img")) {
			diag_error(e->d, NULL, 0, 0, "image '%s' is %s, which an EPUB cannot hold",
				   r->path, r->media_type);
			rc = -1;
		} else {
			assert(r->img->data && r->img->len);
			r->len = r->img->len;
			r->data = xmalloc(r->len);
			memcpy(r->data, r->img->data, r->len);
		}
	}
	return rc;
}

/* Appends the resources' files to es, handing their bytes over. */
static void add_res(struct epub *e, struct entries *es, struct epub_res *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		entry_add(es, ar_printf(&e->arena, "OEBPS/%s", v[i].name), v[i].data, v[i].len);
		v[i].data = NULL;
	}
}

static void pack_entries(struct epub *e, struct entries *es);

/* A document into docs, looked up at once among the caller's deflated
 * entries (pack_entries), so that a rebuild frees each one's XHTML as it
 * is made rather than once all are (the 50x book's 15 MB at once). */
static void doc_add(struct epub *e, struct entries *docs, const char *name, char *data,
		    size_t len)
{
	entry_add(docs, name, data, len);
	struct entries one = {.v = &docs->v[docs->n - 1], .n = 1, .cap = 1};
	pack_entries(e, &one);
}

/*
 * Reads, renders and orders every file of the archive into es: mimetype
 * first, then the container, the package documents, the stylesheets, the
 * XHTML in reading order, the cover image, the images and the fonts.
 * Returns 0, or -1 after reporting (es then holds nothing to write).
 */
static int lay_out(struct epub *e, int64_t now, struct entries *es)
{
	const struct book *b = e->b;
	struct strbuf fonts_css = e->fonts_sheet;
	size_t css_len = e->css_len;
	char *css = e->css;
	e->fonts_sheet = (struct strbuf)STRBUF_INIT;
	e->css = NULL;
	/* The XHTML comes first, in reading order: the parts register the
	 * images the manifest lists, and every document records its anchors
	 * for the NCX's playOrder. One statement per call: arguments are
	 * evaluated in no set order, and len must be read after the call
	 * that sets it. */
	struct entries docs = {0};
	size_t len;
	char *data;
	data = epub_cover_page(e, &len);
	doc_add(e, &docs, "OEBPS/text/cover.xhtml", data, len);
	data = epub_titlepage(e, &len);
	doc_add(e, &docs, "OEBPS/text/titlepage.xhtml", data, len);
	data = epub_copyright(e, &len);
	doc_add(e, &docs, "OEBPS/text/copyright.xhtml", data, len);
	data = epub_nav(e, &len);
	doc_add(e, &docs, "OEBPS/nav.xhtml", data, len);
	for (size_t i = 0; i <= b->nparts; i++) {
		if (epub_notes_here(e, i)) { /* the book-end notes (notes.c) */
			data = epub_notes(e, &len);
			doc_add(e, &docs, "OEBPS/" EPUB_NOTES_FILE, data, len);
		}
		if (i == b->nparts)
			break;
		data = epub_part(e, e->reading[i], &len);
		doc_add(e, &docs, ar_printf(&e->arena, "OEBPS/%s", epub_part_file(e, e->reading[i])),
			  data, len);
	}
	if (read_images(e) < 0) {
		entries_release(&docs);
		sb_release(&fonts_css);
		free(css);
		return -1;
	}

	GROW(es->v, es->cap, 1);
	es->v[es->n++] = (struct entry){.name = "mimetype",
					.data = (char *)"application/epub+zip",
					.len = 20,
					.borrowed = true};
	data = container_xml(&len);
	entry_add(es, "META-INF/container.xml", data, len);
	data = content_opf(e, now, &len);
	entry_add(es, "OEBPS/content.opf", data, len);
	data = toc_ncx(e, &len);
	entry_add(es, "OEBPS/toc.ncx", data, len);
	if (e->fonts_css) {
		data = sb_detach(&fonts_css, &len);
		entry_add(es, "OEBPS/css/fonts.css", data, len);
	}
	entry_add(es, "OEBPS/css/style.css", css, css_len);
	for (size_t i = 0; i < docs.n; i++) { /* as packed, where they were */
		GROW(es->v, es->cap, es->n + 1);
		es->v[es->n++] = docs.v[i];
	}
	free(docs.v);
	if (e->cover_png) { /* the raster front, lent by the caller */
		entry_add(es, ar_printf(&e->arena, "OEBPS/%s", e->cover_name),
			  (char *)e->cover_png, e->cover_png_len);
		es->v[es->n - 1].borrowed = true;
	} else {
		data = epub_cover_svg(e, &len);
		entry_add(es, ar_printf(&e->arena, "OEBPS/%s", e->cover_name), data, len);
	}
	add_res(e, es, e->images, e->nimages);
	add_res(e, es, e->fonts, e->nfonts);
	add_res(e, es, e->licences, e->nlicences);
	sb_release(&fonts_css);
	return 0;
}

/* Zips es in memory and writes it over out_path atomically (beside it,
 * then renamed). Returns 0, or -1 after reporting, with out_path as it
 * was. */
static int publish(struct entries *es, const char *out_path, time_t mtime, struct diag *d)
{
	char *data = NULL;
	size_t len = 0;
	int rc = epub_zip(es, mtime, out_path, &data, &len, d);
	if (rc == 0 && write_file_atomic(out_path, data, len) < 0) {
		diag_error(d, NULL, 0, 0, "cannot write the EPUB '%s': %s", out_path,
			   strerror(errno));
		rc = -1;
	}
	free(data);
	return rc;
}

/* ===== entries deflated before ========================================= */

/* Each entry's deflated bytes from the caller (epub_packed_fn) where it
 * holds some for its name, size and hash; the others are asked back from
 * the zip for keep_entries. */
static void pack_entries(struct epub *e, struct entries *es)
{
	if (!e->opt.packed || !e->opt.keep)
		return;
	for (size_t i = 0; i < es->n; i++) {
		struct entry *en = &es->v[i];
		const char *how = epub_zip_how(en->name);
		if (!how || en->want_packed) /* not zipped so, or looked up already */
			continue;
		en->hash = hash_fnv1a(en->data, en->len);
		size_t zlen = 0;
		uint32_t crc = 0;
		const char *z =
		    e->opt.packed(e->opt.packed_ctx, en->name, how, en->len, en->hash, &crc, &zlen);
		if (z) {
			en->packed = z;
			en->packed_len = zlen;
			en->crc = crc;
			/* Zipped from packed alone: its bytes go now rather than
			 * after the zip is written (a rebuild of the 50x book
			 * held its 15 MB of XHTML beside the zip). */
			if (!en->borrowed)
				free(en->data);
			en->data = NULL;
			en->borrowed = true;
		}
		en->want_packed = true;
	}
}

/* The entries this EPUB deflated itself, handed to the caller to keep. */
static void keep_entries(struct epub *e, struct entries *es)
{
	if (!e->opt.packed || !e->opt.keep)
		return;
	for (size_t i = 0; i < es->n; i++) {
		struct entry *en = &es->v[i];
		if (en->want_packed && en->packed && en->packed_owned) {
			e->opt.keep(e->opt.packed_ctx, en->name, epub_zip_how(en->name), en->len,
				    en->hash, en->crc, (char *)en->packed, en->packed_len);
			en->packed = NULL; /* the caller's now */
			en->packed_owned = false;
		}
	}
}

/* ===== epub_write ====================================================== */

/* e for b: the reading order, the stylesheet and the fonts (cut down to
 * the book's characters), which depend on the book alone. Sets e->failed
 * after reporting. */
static struct epub *epub_new(const struct book *b, const struct epub_options *opt,
			     struct diag *d)
{
	struct epub *e = xcalloc(1, sizeof(*e));
	e->b = b;
	e->d = d;
	if (opt)
		e->opt = *opt;
	ar_init(&e->arena);
	e->lang = has(b->meta.language) ? b->meta.language : "und";
	/* Named before any image, which then steers clear of it. */
	e->cover_name = "images/cover.svg";
	epub_set_cover_image(e, e->opt.cover_png, e->opt.cover_len);
	/* The print edition's order: prefaces are its front matter. */
	e->reading = xcalloc(b->nparts + 1, sizeof(*e->reading));
	epub_reading_order(e); /* kinds.c */
	epub_notes_plan(e);    /* notes.c */
	e->fonts_sheet = (struct strbuf)STRBUF_INIT;
	e->now = build_time(b, d);
	/* The stylesheet first: the fonts keep the features it asks for. */
	if (!(e->css = read_css(e, &e->css_len)))
		e->failed = true;
	e->css = add_needed_css(b, e->css, &e->css_len);
	e->features = epub_css_features(e, e->css, e->css ? e->css_len : 0);
	if (load_fonts(e, &e->fonts_sheet) < 0)
		e->failed = true;
	return e;
}

static void epub_free(struct epub *e)
{
	for (size_t i = 0; i < e->nimages; i++)
		free(e->images[i].data);
	for (size_t i = 0; i < e->nfonts; i++)
		free(e->fonts[i].data);
	for (size_t i = 0; i < e->nlicences; i++)
		free(e->licences[i].data);
	free(e->images);
	free(e->fonts);
	free(e->licences);
	free(e->used);
	free(e->anchors);
	hmap_release(&e->ids);
	free(e->reading);
	free(e->css);
	sb_release(&e->fonts_sheet);
	ar_release(&e->arena);
	free(e);
}

int epub_write_opts(const struct book *b, const struct pg_pagemark *marks, size_t nmarks,
		    const struct epub_options *opt, const char *out_path, struct diag *d)
{
	struct epub *e = epub_new(b, opt, d);
	int rc = -1;
	if (!e->failed) {
		e->marks = marks;
		e->nmarks = marks ? nmarks : 0;
		epub_pages_plan(e);
		struct entries es = {0};
		rc = lay_out(e, e->now, &es);
		if (rc == 0)
			pack_entries(e, &es);
		if (rc == 0)
			rc = publish(&es, out_path, zip_mtime(e->now), e->d);
		if (rc == 0)
			keep_entries(e, &es);
		entries_release(&es);
	}
	epub_free(e);
	return rc;
}

int epub_write(const struct book *b, const struct pg_pagemark *marks, size_t nmarks,
	       const char *out_path, struct diag *d)
{
	return epub_write_opts(b, marks, nmarks, NULL, out_path, d);
}
