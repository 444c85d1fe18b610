/*
 * lint.c - 'octavo check': what an editor should fix before printing, read
 * off the loaded book and its layout, each at its file, line and column.
 *
 * The book keeps a position per block and span, not per character, so a
 * finding inside a span (a straight quote, a character the fonts lack) is
 * placed by finding a snippet of the span's text in the source, searching
 * forward from the span's own position. When the snippet cannot be found
 * (an entity, an escape) the span's position stands.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define IMAGE_MAX_BYTES (5L * 1024 * 1024)
#define IMAGE_MAX_SIDE	4000
#define MISSING_SHOWN	3   /* places shown for each character the fonts lack */
#define SEARCH_LINES	40  /* how far a snippet is looked for past its span */
#define MAX_LABEL	999 /* cmark's limit on a link label */
/* The most findings of one typographic kind (loose lines, spaces) given
 * one by one: an editor's list. A book with more (2,952 loose lines in
 * the Node.js docs' code-heavy text) gets one line for the kind, at the
 * first, and 'octavo report' lists the lines. */
#define LINT_ITEMS	50
/* Spaces: past ten, one search and replace fixes them all. */
#define SPACES_ITEMS	10
/* Names from code broken inside: past these in a file, one finding; past
 * NAMES_FILES files with findings, one more for the rest of the book (the
 * Node.js docs: 60 findings in 56 files before, a wall of warnings). */
#define NAMES_ITEMS	3
#define NAMES_FILES	5

/* A source file's lines, read once. */
struct src {
	const char *path; /* borrowed from the book */
	char *text;	  /* NULL when unreadable */
	size_t len;
	size_t *starts;
	size_t nlines;
	int memo_line, memo_col; /* the last column converted, and its byte */
	size_t memo_byte;
};

struct missing {
	uint32_t cp;
	int count;
};

struct lint {
	const struct book *b;
	struct tx_fonts *f;
	const struct pg_doc *doc;
	struct diag *d;
	struct src *srcs;
	size_t nsrcs, srcs_cap;
	struct hmap src_of; /* each path to its index + 1 into srcs */
	size_t last_part; /* block_of's last part */
	struct hmap ids;  /* every id in the book to its part (part_of_id) */
	struct missing *miss;
	size_t nmiss, miss_cap;
	/* Each kind of finding's hint is given once a run. */
	bool hinted_quote, hinted_space, hinted_line, hinted_glyph;
	/* Spaces found, told once all are counted (LINT_ITEMS). */
	struct spaces {
		const char *path;
		int line, col;
		size_t chars; /* 0: a no-break space beside another space */
	} *spaces;
	size_t nspaces, spaces_cap;
};

/* ===== sources ========================================================= */

/* The source of path, read on first use: a hash table of paths (a book
 * may have thousands of parts) to indexes into L->srcs. Never NULL. */
static struct src *source(struct lint *L, const char *path)
{
	size_t len = strlen(path);
	uintptr_t at = (uintptr_t)hmap_get(&L->src_of, path, len);
	if (at)
		return &L->srcs[at - 1];
	GROW(L->srcs, L->srcs_cap, L->nsrcs + 1);
	struct src *s = &L->srcs[L->nsrcs++];
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->text = read_file(path, &s->len);
	if (s->text) {
		size_t cap = 0;
		for (size_t i = 0; i <= s->len; i++) {
			if (i == 0 || s->text[i - 1] == '\n') {
				GROW(s->starts, cap, s->nlines + 1);
				s->starts[s->nlines++] = i;
			}
		}
	}
	hmap_put(&L->src_of, path, len, (void *)(uintptr_t)L->nsrcs);
	return s;
}

/* Line n (1-based) of s without its terminator, or NULL. */
static const char *src_line(const struct src *s, int n, size_t *len)
{
	if (!s->text || n < 1 || (size_t)n > s->nlines)
		return NULL;
	size_t a = s->starts[n - 1];
	size_t b = (size_t)n < s->nlines ? s->starts[n] : s->len;
	while (b > a && (s->text[b - 1] == '\n' || s->text[b - 1] == '\r'))
		b--;
	*len = b - a;
	return s->text + a;
}

/*
 * Characters (1-based column) to bytes into line n of s, and back. Each
 * file remembers the last place converted, so that findings met in order
 * along one long line (a Markdown paragraph) cost no more than the line.
 */
static size_t col_to_byte(struct src *s, int n, const char *p, size_t len, int col)
{
	size_t i = 0;
	int c = 1;
	if (s->memo_line == n && s->memo_col <= col)
		i = s->memo_byte, c = s->memo_col;
	for (; c < col && i < len; c++) {
		i++;
		while (i < len && ((unsigned char)p[i] & 0xC0) == 0x80)
			i++;
	}
	s->memo_line = n, s->memo_col = c, s->memo_byte = i;
	return i;
}

static int byte_to_col(struct src *s, int n, const char *p, size_t off)
{
	size_t i = 0;
	int col = 1;
	if (s->memo_line == n && s->memo_byte <= off)
		i = s->memo_byte, col = s->memo_col;
	for (; i < off; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			col++;
	s->memo_line = n, s->memo_col = col, s->memo_byte = off;
	return col;
}

/*
 * Looks for needle (n bytes) in path's source from *line:*col onwards,
 * through at most SEARCH_LINES lines. On success moves *line:*col to it
 * and returns true; otherwise leaves them and returns false.
 */
static bool locate(struct lint *L, const char *path, int *line, int *col, const char *needle,
		   size_t n)
{
	if (!path || !n)
		return false;
	struct src *s = source(L, path);
	for (int l = *line; l < *line + SEARCH_LINES; l++) {
		size_t len;
		const char *p = src_line(s, l, &len);
		if (!p)
			return false;
		size_t from = l == *line ? col_to_byte(s, l, p, len, *col) : 0;
		for (size_t i = from; i + n <= len; i++) {
			if (!memcmp(p + i, needle, n)) {
				*line = l;
				*col = byte_to_col(s, l, p, i);
				return true;
			}
		}
	}
	return false;
}

/* ===== metadata and files ============================================== */

static void lint_meta(struct lint *L)
{
	const struct bk_meta *m = &L->b->meta;
	const char *y = L->b->yaml_path;
	static const char *const what[] = {
	    "publisher", "creators", "date", "rights", "description",
	};
	const bool missing[] = {
	    !m->publisher, m->ncreators == 0, !m->date, !m->rights, !m->description,
	};
	/* One finding for what book.yaml lacks: one thing to do, in one file. */
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ARRAY_LEN(what); i++)
		if (missing[i])
			sb_addf(&sb, "%s'%s'", sb.len ? ", " : "", what[i]);
	if (!m->isbn_print)
		sb_addf(&sb, "%s'isbn-print'", sb.len ? ", " : "");
	if (!m->isbn_epub)
		sb_addf(&sb, "%s'isbn-epub'", sb.len ? ", " : "");
	if (sb.len) {
		diag_warning(L->d, y, 0, 0, "book.yaml gives no %s", sb.buf);
		if (!m->isbn_print || !m->isbn_epub)
			diag_hint(L->d, "each edition needs an ISBN of its own to be sold");
	}
	sb_release(&sb);
	/* A byline is missing only where others stand: in a book whose
	 * essays name no author at all (one writer's book, a manual), no
	 * essay lacks one. */
	bool bylines = false;
	for (size_t i = 0; i < L->b->nparts; i++)
		bylines |= L->b->parts[i].kind == BK_PART_ESSAY && L->b->parts[i].author;
	for (size_t i = 0; bylines && i < L->b->nparts; i++) {
		const struct bk_part *p = &L->b->parts[i];
		if (p->kind == BK_PART_ESSAY && !p->author)
			diag_warning(L->d, p->path, 0, 0,
				     "essay '%s' has no 'author' for its byline",
				     p->title ? p->title : p->file);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Markdown files in the manuscript directory that book.yaml does not list. */
static void lint_unlisted(struct lint *L)
{
	DIR *dp = opendir(L->b->dir);
	if (!dp)
		return;
	/* The parts' file names, sorted to look each directory entry up. */
	const char **listed = xcalloc(L->b->nparts + 1, sizeof(char *));
	size_t nlisted = 0;
	for (size_t i = 0; i < L->b->nparts; i++) {
		const char *f = L->b->parts[i].file;
		while (f && f[0] == '.' && f[1] == '/')
			f += 2;
		if (f)
			listed[nlisted++] = f;
	}
	if (nlisted)
		qsort(listed, nlisted, sizeof(*listed), cmp_str);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".md") ||
		    !strcasecmp(de->d_name, "README.md"))
			continue;
		const char *key = de->d_name;
		if (bsearch(&key, listed, nlisted, sizeof(*listed), cmp_str))
			continue;
		char *path = path_join(L->b->dir, de->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			GROW(names, cap, n + 1);
			names[n++] = path;
		} else {
			free(path);
		}
	}
	closedir(dp);
	free(listed);
	if (n) /* directory order is no order */
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		diag_warning(L->d, names[i], 0, 0,
			     "part is in the manuscript but not in book.yaml");
		const char *base = strrchr(names[i], '/');
		diag_hint(L->d, "list it under 'parts:' in %s ('  - %s'), or move it out",
			  L->b->yaml_path, base ? base + 1 : names[i]);
		free(names[i]);
	}
	free(names);
}

/* ===== links =========================================================== */

/*
 * Checks a link the way both editions resolve it (bk_resolve_link): a URL
 * with a scheme leaves the book; "#id" must name a heading of this part
 * (or an edition's id anywhere); "file.md#id" a part it lists, and the
 * heading in that part.
 */
static void lint_link(struct lint *L, const struct bk_part *self, const char *url, int line,
		      int col)
{
	const struct book *b = L->b;
	if (!*url) {
		diag_warning(L->d, self->path, line, col, "link has no target");
		return;
	}
	const struct bk_part *target;
	const struct bk_block *hd;
	enum bk_link how = bk_resolve_link(b, self, url, &target, &hd);
	if (how == BK_LINK_OK || how == BK_LINK_OUTSIDE)
		return;
	const char *hash = strchr(url, '#');
	const char *frag = hash ? hash + 1 : "";
	if (how == BK_LINK_NO_PART) {
		diag_warning(L->d, self->path, line, col,
			     "link '%s' leads to no part of the book; the EPUB keeps only its text",
			     url);
		diag_hint(L->d,
			  "link to a part by its file name as book.yaml lists it, "
			  "e.g. '%s'",
			  b->nparts ? b->parts[0].file : "01-intro.md");
		return;
	}
	if (hash == url) {
		diag_warning(L->d, self->path, line, col,
			     "link '%s' leads to no heading of this part; the editions keep only "
			     "its text",
			     url);
		const char *near = bk_nearest_anchor(self, frag);
		for (size_t i = 0; i < b->nparts && !near; i++)
			if (bk_find_heading(&b->parts[i], frag, strlen(frag))) {
				diag_hint(L->d, "'%s' has it: did you mean '%s#%s'?",
					  b->parts[i].file, b->parts[i].file, frag);
				return;
			}
		if (near)
			diag_hint(L->d, "did you mean '#%s'?", near);
		return;
	}
	diag_warning(L->d, self->path, line, col,
		     "link '%s': '%s' has no heading '%s'; it leads to the part's start", url,
		     target->file, frag);
	const char *near = bk_nearest_anchor(target, frag);
	if (near)
		diag_hint(L->d, "did you mean '%s#%s'?", target->file, near);
}

/* ===== text ============================================================ */

static const char *const face_name[TX_NFACES] = {"regular", "italic", "bold", "bold italic",
						 "monospaced"};

/* Counts a place where the fonts lack cp; returns how many so far. */
static int count_missing(struct lint *L, uint32_t cp)
{
	for (size_t i = 0; i < L->nmiss; i++)
		if (L->miss[i].cp == cp)
			return ++L->miss[i].count;
	GROW(L->miss, L->miss_cap, L->nmiss + 1);
	L->miss[L->nmiss++] = (struct missing){cp, 1};
	return 1;
}

/*
 * Whether text (len bytes) is all ASCII and the face (or a fallback) has
 * each of its characters: then no word of it lacks a glyph, and
 * lint_glyphs need not shape each word. A code block's words are mostly
 * new to the shaper (the Node.js docs' cost 350 M instructions); its
 * characters, shaped alone, are a few dozen. ASCII only: a character's
 * font then never depends on its neighbours (a combining mark's does).
 */
static bool ascii_covered(struct lint *L, const char *text, size_t len, enum tx_face face)
{
	bool seen[128] = {false};
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch >= 0x80)
			return false;
		if (seen[ch] || ch == ' ' || ch == '\n' || ch == '\t')
			continue;
		seen[ch] = true;
		if (tx_shape(L->f, face, text + i, 1)->missing)
			return false;
	}
	return true;
}

/*
 * Shapes each word of text (len bytes) in face and reports the characters
 * it lacks. path:*line:*col is where text starts; it moves on as words are
 * found, so repeated words are placed in order.
 */
static void lint_glyphs(struct lint *L, const char *path, int line, int col, const char *text,
			size_t len, enum tx_face face)
{
	if (ascii_covered(L, text, len, face))
		return;
	size_t i = 0;
	while (i < len) {
		while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
			i++;
		size_t j = i;
		while (j < len && text[j] != ' ' && text[j] != '\n' && text[j] != '\t')
			j++;
		if (j == i)
			break;
		const struct tx_word *w = tx_shape(L->f, face, text + i, j - i);
		if (w->missing) {
			uint32_t cp = w->missing_cp[0];
			char ch[5] = {0};
			utf8_encode(cp, ch);
			int l = line, c = col;
			bool found = false;
			if (count_missing(L, cp) <= MISSING_SHOWN) {
				found = locate(L, path, &l, &c, ch, strlen(ch));
				if (!found)
					l = line, c = col;
				diag_warning(
				    L->d, path, l, c,
				    "the %s face has no glyph for '%s' (U+%04X); it is printed "
				    "as %s",
				    face_name[face], ch, (unsigned)cp, tx_missing_mark(L->f, face));
				if (!L->hinted_glyph)
					diag_hint(L->d, "choose fonts that have it (the style's "
							"'fonts:'), or another character");
				L->hinted_glyph = true;
			}
			/* The next word's character is looked for past this one
			 * (from where it was found, the next place found it again). */
			line = l, col = found ? c + 1 : c;
		}
		i = j;
	}
}

/* ASCII letters and digits: what smart punctuation leaves alone, so a
 * snippet of them is found in the source as written. */
static bool plain(char c)
{
	return isalnum((unsigned char)c) || c == ',' || c == ';';
}

/* A space, or a no-break space (U+00A0): its length in bytes, else 0. */
static size_t space_at(const char *t, size_t i, size_t n)
{
	if (t[i] == ' ')
		return 1;
	if (i + 1 < n && (unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA0)
		return 2;
	return 0;
}

/*
 * Straight quotes and double spaces in text (len bytes) from path at
 * line:col. In Markdown, smart punctuation turns every quote it sees, so
 * a straight one there was escaped or written as an entity - on purpose -
 * and only those found as written in the source are reported (markdown
 * true); front matter and book.yaml get smart punctuation in the book stage.
 */
static void lint_typing(struct lint *L, const char *path, int line, int col, const char *t,
			size_t n, bool markdown)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '"' || t[i] == '\'') {
			size_t a = i, z = i + 1;
			while (a > 0 && i - a < 12 && plain(t[a - 1]))
				a--;
			while (z < n && z - i < 12 && plain(t[z]))
				z++;
			int l = line, c = col;
			bool found = locate(L, path, &l, &c, t + a, z - a);
			if (found) {
				c += (int)(i - a);
				line = l, col = c + 1;
				size_t len;
				struct src *sf = source(L, path);
				const char *sl = src_line(sf, l, &len);
				size_t at = sl ? col_to_byte(sf, l, sl, len, c) : 0;
				if (sl && at > 0 && sl[at - 1] == '\\')
					continue; /* escaped: straight on purpose */
			}
			if (markdown && !found)
				continue;
			if (!found)
				l = line, c = col;
			diag_warning(L->d, path, l, c, "straight %s quote in the text",
				     t[i] == '"' ? "double" : "single");
			if (!L->hinted_quote)
				diag_hint(
				    L->d, "%s: type the curly quote (\u2018 \u2019 \u201C \u201D)",
				    markdown ? "smart punctuation left it straight"
					     : "front matter and book.yaml are printed as typed");
			L->hinted_quote = true;
			continue;
		}
		size_t k = space_at(t, i, n);
		if (!k || i + k >= n || !space_at(t, i + k, n))
			continue;
		/* A run of two or more: one finding. */
		size_t z = i, chars = 0;
		bool nbsp = false;
		while (z < n && (k = space_at(t, z, n))) {
			nbsp |= k == 2;
			z += k;
			chars++;
		}
		size_t a = i, zz = z;
		while (a > 0 && i - a < 12 && plain(t[a - 1]))
			a--;
		while (zz < n && zz - z < 12 && plain(t[zz]))
			zz++;
		int l = line, c = col;
		if (locate(L, path, &l, &c, t + a, zz - a)) {
			c += (int)(i - a);
			line = l, col = c + 1;
		}
		GROW(L->spaces, L->spaces_cap, L->nspaces + 1);
		L->spaces[L->nspaces++] = (struct spaces){path, l, c, nbsp ? 0 : chars};
		i = z - 1;
	}
}

/* A reference to a note never defined: cmark-gfm leaves "[^x]" as text. */
static void lint_noteref(struct lint *L, const struct bk_part *p, const struct bk_span *s)
{
	const char *t = s->text;
	size_t n = s->len;
	int line = s->line, col = s->col;
	for (size_t i = 0; i + 1 < n; i++) {
		if (t[i] != '[' || t[i + 1] != '^')
			continue;
		size_t lim = n - i < MAX_LABEL + 3 ? n - i : MAX_LABEL + 3;
		const char *close = memchr(t + i, ']', lim);
		size_t end = close ? (size_t)(close - t) + 1 : i + 2;
		int l = line, c = col;
		if (locate(L, p->path, &l, &c, t + i, end - i))
			line = l, col = c + 1;
		diag_error(L->d, p->path, l, c, "footnote reference '%.*s' has no note",
			   (int)(end - i), t + i);
		diag_hint(L->d, "define it on a line of its own: '%.*s: the note's text'",
			  (int)(end - i), t + i);
		i = end - 1;
	}
}

/* ===== blocks ========================================================== */

static bool image_seen(const struct bk_image **seen, size_t n, const struct bk_image *img)
{
	for (size_t i = 0; i < n; i++)
		if (seen[i] == img)
			return true;
	return false;
}

struct walk {
	const struct bk_part *part;
	bool *link_seen; /* per part->links */
	const struct bk_image **imgs;
	size_t nimgs, imgs_cap;
	int level; /* the last heading's level; the part's title is 1 */
	const char **lang_warned; /* languages without patterns, told in this part */
	size_t nlang_warned, lang_warned_cap;
};

/* A passage in a language ([x]{lang=de}, ::: {lang=fr}) whose patterns
 * are not installed is set unhyphenated: said once a part, at its first. */
static void lint_lang(struct lint *L, struct walk *w, const struct bk_span *s)
{
	const char *own = L->b->meta.language ? L->b->meta.language : "en";
	if (!s->lang || !*s->lang || !strcasecmp(s->lang, own))
		return;
	for (size_t i = 0; i < w->nlang_warned; i++)
		if (!strcasecmp(w->lang_warned[i], s->lang))
			return;
	char pkg[32];
	if (tx_hyph_available(s->lang, pkg, sizeof(pkg)))
		return;
	GROW(w->lang_warned, w->lang_warned_cap, w->nlang_warned + 1);
	w->lang_warned[w->nlang_warned++] = s->lang;
	/* At the passage's first word, found in the source. */
	int line = s->line, col = s->col;
	size_t k = 0;
	while (k < s->len && k < 24 && s->text[k] != ' ')
		k++;
	if (!locate(L, w->part->path, &line, &col, s->text, k))
		line = s->line, col = s->col;
	diag_warning(L->d, w->part->path, line, col,
		     "no hyphenation patterns for '%s': its text is not hyphenated", s->lang);
	if (pkg[0])
		diag_hint(L->d, "apt-get install %s", pkg);
	else
		diag_hint(L->d, "Debian has no hyphen-* package for '%s'", s->lang);
}

static void lint_image(struct lint *L, struct walk *w, const struct bk_image *img, int line,
		       int col)
{
	if (!img || image_seen(w->imgs, w->nimgs, img))
		return;
	GROW(w->imgs, w->imgs_cap, w->nimgs + 1);
	w->imgs[w->nimgs++] = img;
	/* The bytes the book stage read: the file is not looked at again. */
	if (img->len > IMAGE_MAX_BYTES)
		diag_warning(L->d, w->part->path, line, col,
			     "image '%s' is %.1f MB; over 5 MB weighs the EPUB down", img->src,
			     (double)img->len / (1024.0 * 1024.0));
	if (img->width > IMAGE_MAX_SIDE || img->height > IMAGE_MAX_SIDE)
		diag_warning(L->d, w->part->path, line, col,
			     "image '%s' is %d x %d pixels; over %d a side is more than print "
			     "or screen needs",
			     img->src, img->width, img->height, IMAGE_MAX_SIDE);
}

static void lint_spans(struct lint *L, struct walk *w, const struct bk_span *v, size_t n)
{
	const struct bk_part *p = w->part;
	for (size_t i = 0; i < n; i++) {
		const struct bk_span *s = &v[i];
		if (s->link >= 0 && (size_t)s->link < p->nlinks && !w->link_seen[s->link]) {
			w->link_seen[s->link] = true;
			lint_link(L, p, p->links[s->link] ? p->links[s->link] : "", s->line,
				  s->col);
		}
		if (s->kind == BK_SPAN_IMAGE)
			lint_image(L, w, s->img, s->line, s->col);
		if (s->kind != BK_SPAN_TEXT)
			continue;
		lint_lang(L, w, s);
		if (!(s->style & BK_CODE)) {
			lint_noteref(L, p, s);
			lint_typing(L, p->path, s->line, s->col, s->text, s->len, true);
		}
	}
}

/* A fenced div whose classes are neither octavo's nor the style's (its
 * 'divs'): its text is set as the text around it. */
static void lint_div(struct lint *L, struct walk *w, const struct bk_block *b)
{
	for (size_t k = 0; bk_div_styles[k]; k++)
		if (bk_div_like(&L->b->style, b->classes, b->nclasses, bk_div_styles[k]))
			return;
	if (!b->nclasses || !strcmp(b->classes[0], "newpage") || b->lang)
		return;
	diag_warning(L->d, w->part->path, b->line, b->col,
		     "div class '%s' has no style; its text is set as the text around it",
		     b->classes[0]);
	diag_hint(L->d, "give it one in the style: 'divs: {%s: aside}' (or epigraph, "
			"dedication, centered, noindent, plain)",
		  b->classes[0]);
}

static void lint_blocks(struct lint *L, struct walk *w, const struct bk_block *v, size_t n)
{
	const struct bk_part *p = w->part;
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		switch (b->kind) {
		case BK_HEADING:
			if (b->level > w->level + 1) {
				diag_warning(L->d, p->path, b->line, b->col,
					     "heading level %d follows level %d, skipping a level",
					     b->level, w->level);
				diag_hint(L->d,
					  "an essay's title is level 1 and its sections start at "
					  "'##'");
			}
			w->level = b->level;
			lint_spans(L, w, b->spans, b->nspans);
			break;
		case BK_PARA:
		case BK_CELL: lint_spans(L, w, b->spans, b->nspans); break;
		case BK_FIGURE: lint_image(L, w, b->img, b->line, b->col); break;
		case BK_CODE_BLOCK:
			/* The layout warns of characters missing in what it sets
			 * as paragraphs; code it sets character by character. */
			if (b->text && L->f)
				lint_glyphs(L, p->path, b->line, b->col, b->text, strlen(b->text),
					    TX_MONO);
			break;
		case BK_DIV:
			lint_div(L, w, b);
			lint_blocks(L, w, b->kids, b->nkids);
			break;
		default: lint_blocks(L, w, b->kids, b->nkids); break;
		}
	}
}

/*
 * Strings from YAML (a part's front matter, book.yaml), which the book
 * stage gave smart punctuation (bk_smarten_front). With glyphs, each is shaped in the faces titles use,
 * and a character missing is reported once per string: the layout warns
 * about what it sets in a part (its text, titles, notes), not about the
 * book's own pages (title page, copyright page), which these strings fill.
 */
static void lint_yaml_strings(struct lint *L, const char *path, const char *const *strs, size_t n,
			      bool glyphs)
{
	for (size_t i = 0; i < n; i++) {
		if (!strs[i])
			continue;
		lint_typing(L, path, 1, 1, strs[i], strlen(strs[i]), false);
		for (int face = TX_REGULAR; glyphs && L->f && face <= TX_BOLD_ITALIC; face++) {
			int before = L->d->nwarn;
			lint_glyphs(L, path, 1, 1, strs[i], strlen(strs[i]), (enum tx_face)face);
			if (L->d->nwarn != before)
				break;
		}
	}
}

static void lint_front(struct lint *L, const struct bk_part *p)
{
	const char *const strs[] = {p->title, p->subtitle, p->author, p->role};
	lint_yaml_strings(L, p->path, strs, ARRAY_LEN(strs), false);
}

/* The spaces lint_typing found: each, or for a kind found more than
 * SPACES_ITEMS times, one finding at the first with the count. */
static void lint_spaces(struct lint *L)
{
	for (int nbsp = 0; nbsp < 2; nbsp++) {
		size_t n = 0, first = SIZE_MAX;
		for (size_t i = 0; i < L->nspaces; i++)
			if ((L->spaces[i].chars == 0) == nbsp) {
				n++;
				if (first == SIZE_MAX)
					first = i;
			}
		for (size_t i = first; n && i < L->nspaces; i++) {
			const struct spaces *s = &L->spaces[i];
			if ((s->chars == 0) != nbsp)
				continue;
			if (n > SPACES_ITEMS)
				diag_warning(L->d, s->path, s->line, s->col,
					     nbsp ? "%zu places with a no-break space beside another "
						    "space, the first here"
						  : "%zu places with two or more spaces between words, "
						    "the first here",
					     n);
			else if (nbsp)
				diag_warning(L->d, s->path, s->line, s->col,
					     "a no-break space beside another space");
			else
				diag_warning(L->d, s->path, s->line, s->col, "%zu spaces between words",
					     s->chars);
			if (!L->hinted_space)
				diag_hint(L->d,
					  "the editions set one space here; one in the source too keeps "
					  "what you read what prints");
			L->hinted_space = true;
			if (n > SPACES_ITEMS)
				break;
		}
	}
}

/* ===== footnotes never referenced ====================================== */

/* A footnote label as written between "[^" and "]". */
struct label {
	const char *s;
	size_t n;
};

/* Labels match as cmark-gfm matches them: case-insensitively. */
static int cmp_label(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	int c = strncasecmp(x->s, y->s, x->n < y->n ? x->n : y->n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void lint_unused_notes(struct lint *L, const struct bk_part *p)
{
	struct src *s = source(L, p->path);
	if (!s->text)
		return;
	struct def {
		const char *label;
		size_t n;
		int line, col;
	} *defs = NULL;
	size_t ndefs = 0, cap = 0;
	bool fenced = false;
	for (int l = 1; (size_t)l <= s->nlines; l++) {
		size_t len;
		const char *t = src_line(s, l, &len);
		size_t ind = 0;
		while (ind < len && ind < 4 && t[ind] == ' ')
			ind++;
		if (ind < 4 && len - ind >= 3 &&
		    (!memcmp(t + ind, "```", 3) || !memcmp(t + ind, "~~~", 3))) {
			fenced = !fenced;
			continue;
		}
		if (fenced || ind >= 4 || len - ind < 4 || memcmp(t + ind, "[^", 2))
			continue;
		const char *close = memchr(t + ind, ']', len - ind);
		if (!close || close + 1 >= t + len || close[1] != ':' ||
		    close - t - ind > MAX_LABEL)
			continue;
		GROW(defs, cap, ndefs + 1);
		defs[ndefs++] =
		    (struct def){t + ind + 2, (size_t)(close - t - ind - 2), l, (int)ind + 1};
	}
	if (!ndefs) {
		free(defs);
		return;
	}
	/* Every "[^label]" that is not a definition's opening, sorted, so
	 * that each definition is looked up rather than searched for. */
	struct label *refs = NULL;
	size_t nrefs = 0, rcap = 0;
	const char *t = s->text, *end = s->text + s->len;
	for (const char *q = t; (q = memchr(q, '[', (size_t)(end - q))); q++) {
		if (q + 1 >= end || q[1] != '^')
			continue;
		const char *close = q + 2;
		while (close < end && close - q < MAX_LABEL && *close != ']' && *close != '\n')
			close++;
		if (close >= end || *close != ']')
			continue;
		bool opening =
		    close + 1 < end && close[1] == ':' && (q == t || q[-1] == '\n' || q[-1] == ' ');
		if (!opening) {
			GROW(refs, rcap, nrefs + 1);
			refs[nrefs++] = (struct label){q + 2, (size_t)(close - q - 2)};
		}
	}
	if (nrefs)
		qsort(refs, nrefs, sizeof(*refs), cmp_label);
	for (size_t i = 0; i < ndefs; i++) {
		struct label key = {defs[i].label, defs[i].n};
		if (nrefs && bsearch(&key, refs, nrefs, sizeof(*refs), cmp_label))
			continue;
		diag_warning(L->d, p->path, defs[i].line, defs[i].col,
			     "note '[^%.*s]' is never referenced, so it is left out",
			     (int)defs[i].n, defs[i].label);
		diag_hint(L->d, "cite it in the text with '[^%.*s]', or delete it", (int)defs[i].n,
			  defs[i].label);
	}
	free(refs);
	free(defs);
}

/* ===== the layout's lines ============================================= */

/* The first characters of a line's text, for messages. */
static int excerpt_len(const char *t)
{
	size_t i = 0;
	int chars = 0;
	while (t[i] && chars < 40) {
		i++;
		while (t[i] && ((unsigned char)t[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return (int)i;
}

static void block_lines(const struct bk_block *v, size_t n, int **out, size_t *len, size_t *cap)
{
	for (size_t i = 0; i < n; i++) {
		GROW(*out, *cap, *len + 1);
		(*out)[(*len)++] = v[i].line;
		block_lines(v[i].kids, v[i].nkids, out, len, cap);
	}
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The source line where the block holding source line l starts: lines
 * set from one paragraph share it. 0 when unknown. */
static int block_of(struct lint *L, const char *file, int l, int **starts, size_t *nstarts)
{
	const struct book *b = L->b;
	for (size_t j = 0; j < b->nparts; j++) {
		/* Lines come part by part: try the last part first. */
		size_t i = j == 0 ? L->last_part : j - 1 < L->last_part ? j - 1 : j;
		if (i >= b->nparts || !b->parts[i].path || strcmp(b->parts[i].path, file))
			continue;
		L->last_part = i;
		if (!starts[i]) {
			size_t cap = 0;
			const struct bk_part *p = &b->parts[i];
			block_lines(p->blocks, p->nblocks, &starts[i], &nstarts[i], &cap);
			for (size_t k = 0; k < p->nnotes; k++)
				block_lines(p->notes[k].kids, p->notes[k].nkids, &starts[i],
					    &nstarts[i], &cap);
			if (!starts[i])
				starts[i] = xcalloc(1, sizeof(int));
			qsort(starts[i], nstarts[i], sizeof(int), cmp_int);
		}
		/* The greatest start <= l, by bisection. */
		size_t lo = 0, hi = nstarts[i];
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (starts[i][mid] <= l)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo ? starts[i][lo - 1] : 0;
	}
	return 0;
}

static void page_name(const struct pg_doc *doc, int page, char *buf, size_t n)
{
	const char *label = page >= 0 && (size_t)page < doc->npages ? doc->pages[page].label : NULL;
	if (label)
		snprintf(buf, n, "%s", label);
	else
		snprintf(buf, n, "[%d]", page + 1);
}

/* The source lines where the blocks of v (and inside them) that hold
 * inline code start, appended to *out. */
static void code_lines(const struct bk_block *v, size_t n, int **out, size_t *len, size_t *cap)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nspans; k++)
			if (v[i].spans[k].kind == BK_SPAN_TEXT && (v[i].spans[k].style & BK_CODE)) {
				GROW(*out, *cap, *len + 1);
				(*out)[(*len)++] = v[i].line;
				break;
			}
		code_lines(v[i].kids, v[i].nkids, out, len, cap);
	}
}

/* A paragraph's loose lines (or one overfull line), as one finding. */
struct loose {
	size_t first;  /* index into doc->linev */
	size_t count;  /* loose lines */
	double worst;
	int last_page;
	bool code;     /* beside inline code, which takes no hyphen */
	size_t part;
};

/* Says finding f: at its first line's first word, found on its source line. */
static void tell_loose(struct lint *L, const struct loose *f, size_t nloose, size_t nparas,
		       size_t ncode, size_t nparts)
{
	const struct pg_doc *doc = L->doc;
	const struct pg_line *ln = &doc->linev[f->first];
	char page[32], page2[32];
	page_name(doc, ln->page, page, sizeof(page));
	page_name(doc, f->last_page, page2, sizeof(page2));
	int line = ln->src_line, col = 1;
	const char *t = ln->text ? ln->text : "";
	size_t w = strcspn(t, " ");
	if (!ln->file || !locate(L, ln->file, &line, &col, t, w))
		col = 0;
	int ex = excerpt_len(t);
	const char *more = t[ex] ? "..." : "";
	if (ln->overfull)
		diag_warning(L->d, ln->file, ln->file ? line : 0, col,
			     "overfull line on page %s: '%.*s%s'", page, ex, t, more);
	else if (nloose)
		diag_warning(L->d, ln->file, ln->file ? line : 0, col,
			     "%zu loose lines (r > 1) in %zu paragraphs of %zu parts%s, the first "
			     "here; 'octavo report' lists them",
			     nloose, nparas, nparts,
			     ncode == nparas ? ", all beside inline code"
			     : ncode	     ? ", some beside inline code"
					     : "");
	else if (f->count == 1)
		diag_warning(L->d, ln->file, ln->file ? line : 0, col,
			     "loose line (r = %.2f) on page %s: '%.*s%s'", ln->ratio, page, ex, t,
			     more);
	else
		diag_warning(L->d, ln->file, ln->file ? line : 0, col,
			     "%zu loose lines in this paragraph (worst r = %.2f) on page%s %s%s%s, "
			     "the first '%.*s%s'",
			     f->count, f->worst, ln->page != f->last_page ? "s" : "", page,
			     ln->page != f->last_page ? "-" : "",
			     ln->page != f->last_page ? page2 : "", ex, t, more);
	if (!L->hinted_line)
		diag_hint(L->d, "%s",
			  f->code || (nloose && ncode)
			      ? "inline code breaks only at its punctuation and between the words "
				"of a name in camel case, never with a hyphen: a shorter name, or "
				"code set as a block, gives the line breaker better choices"
			      : "rewording nearby, or a soft hyphen (U+00AD) in a long word, "
				"gives the line breaker better choices; 'octavo proof' shows them");
	L->hinted_line = true;
}

/*
 * The typographic report's problems: each overfull line, and the loose
 * lines (r > 1) of each paragraph as one finding at the first of them.
 * Paragraphs of prose are told one by one while there are at most
 * LINT_ITEMS; loose lines beside inline code (which the editor cannot
 * hyphenate) and a book with more are told in one finding, for
 * 'octavo report' lists every line.
 */
static void lint_lines(struct lint *L)
{
	const struct pg_doc *doc = L->doc;
	if (!doc)
		return;
	size_t np = L->b->nparts;
	int **starts = xcalloc(np + 1, sizeof(int *));
	size_t *nstarts = xcalloc(np + 1, sizeof(size_t));
	int **code = xcalloc(np + 1, sizeof(int *));
	size_t *ncode = xcalloc(np + 1, sizeof(size_t));
	bool *code_done = xcalloc(np + 1, sizeof(bool));
	struct loose *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < doc->nlinev;) {
		const struct pg_line *ln = &doc->linev[i];
		bool loose = !ln->overfull && ln->justified && ln->ratio > 1;
		if (!ln->overfull && !loose) {
			i++;
			continue;
		}
		/* The run of loose lines of this paragraph. */
		int block = ln->file ? block_of(L, ln->file, ln->src_line, starts, nstarts) : 0;
		size_t part = ln->file ? L->last_part : np;
		struct loose f = {i, 1, ln->ratio, ln->page, false, part};
		size_t j = i + 1;
		while (loose && j < doc->nlinev) {
			const struct pg_line *k = &doc->linev[j];
			if (k->file != ln->file || !k->file ||
			    block_of(L, k->file, k->src_line, starts, nstarts) != block)
				break;
			if (!k->overfull && k->justified && k->ratio > 1) {
				f.count++;
				if (k->ratio > f.worst)
					f.worst = k->ratio;
				f.last_page = k->page;
			}
			j++;
		}
		if (loose && part < np && block) {
			if (!code_done[part]) {
				size_t cc = 0;
				const struct bk_part *p = &L->b->parts[part];
				code_lines(p->blocks, p->nblocks, &code[part], &ncode[part], &cc);
				for (size_t k = 0; k < p->nnotes; k++)
					code_lines(p->notes[k].kids, p->notes[k].nkids, &code[part],
						   &ncode[part], &cc);
				code_done[part] = true;
			}
			for (size_t k = 0; k < ncode[part] && !f.code; k++)
				f.code = code[part][k] == block;
		}
		GROW(v, cap, n + 1);
		v[n++] = f;
		i = loose ? j : i + 1;
	}
	/* Prose, one by one while they are few; the rest in one finding. */
	size_t prose = 0, nloose = 0, nparas = 0, ncodep = 0, nparts = 0, first = SIZE_MAX;
	bool *seen = xcalloc(np + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		if (!doc->linev[v[i].first].overfull)
			prose += !v[i].code;
	bool items = prose <= LINT_ITEMS;
	for (size_t i = 0; i < n; i++) {
		if (doc->linev[v[i].first].overfull || (items && !v[i].code))
			continue;
		nloose += v[i].count;
		nparas++;
		ncodep += v[i].code;
		nparts += !seen[v[i].part];
		seen[v[i].part] = true;
		if (first == SIZE_MAX)
			first = i;
	}
	for (size_t i = 0; i < n; i++) {
		bool over = doc->linev[v[i].first].overfull;
		if (over || (items && !v[i].code))
			tell_loose(L, &v[i], 0, 0, 0, 0);
		else if (i == first)
			tell_loose(L, &v[i], nloose, nparas, ncodep, nparts);
	}
	free(v);
	free(seen);
	for (size_t i = 0; i <= np; i++) {
		free(starts[i]);
		free(code[i]);
	}
	free(starts);
	free(nstarts);
	free(code);
	free(ncode);
	free(code_done);
}

/* ===== names from code broken inside ==================================== */

/* The last word of a line's text (the name's first piece), its length in
 * *n; the text's end when it has none. */
static const char *last_word(const char *t, size_t *n)
{
	size_t len = strlen(t);
	while (len && t[len - 1] == ' ')
		len--;
	size_t a = len;
	while (a && t[a - 1] != ' ')
		a--;
	*n = len - a;
	return t + a;
}

/* Whether line k of the file whose lines begin at i starts a finding: it
 * breaks inside a name, and is not the middle of a name over three lines
 * (a line after another in_name one, with no space in it). */
static bool name_starts(const struct pg_doc *doc, size_t i, size_t k)
{
	const struct pg_line *ln = &doc->linev[k];
	return ln->in_name &&
	       !(k > i && doc->linev[k - 1].in_name && ln->text && !strchr(ln->text, ' '));
}

/*
 * Each line broken inside a name from code (pg_line's in_name: between
 * the words of a name in camel case, the continuation mark drawn there,
 * or two of its letters), at the break's file:line:col: one
 * finding a name (a name over three lines is one), and past NAMES_ITEMS
 * in a file one finding for them all, at the first, as the spaces are
 * told; past NAMES_FILES files, one finding for the rest of the book, at
 * the first of them. 'octavo report --lines' marks them in-name,
 * 'octavo proof' outlines them.
 */
static void lint_names(struct lint *L)
{
	const struct pg_doc *doc = L->doc;
	if (!doc)
		return;
	size_t files = 0, more = 0, more_files = 0;
	const struct pg_line *first_more = NULL;
	for (size_t i = 0; i < doc->nlinev;) {
		const char *file = doc->linev[i].file;
		size_t end = i, n = 0;
		for (; end < doc->nlinev && doc->linev[end].file == file; end++)
			n += name_starts(doc, i, end);
		if (file && n && files >= NAMES_FILES) {
			for (size_t k = i; !first_more && k < end; k++)
				first_more = name_starts(doc, i, k) ? &doc->linev[k] : NULL;
			more += n;
			more_files++;
			n = 0;
		}
		files += file && n;
		for (size_t k = i; file && n && k < end; k++) {
			const struct pg_line *ln = &doc->linev[k];
			if (!name_starts(doc, i, k))
				continue;
			char page[32];
			page_name(doc, ln->page, page, sizeof(page));
			size_t wn;
			const char *w = last_word(ln->text ? ln->text : "", &wn);
			/* (its last 40 bytes or so, where it breaks) */
			size_t from = wn > 40 ? wn - 40 : 0;
			while (from > 0 && ((unsigned char)w[from] & 0xC0) == 0x80)
				from--;
			const char *dots = from ? "..." : "";
			int ex = (int)(wn - from);
			/* The column just past the name's first piece in the
			 * source: the layout's is its span's plus the bytes
			 * before the break, which a code span's backtick
			 * puts one short. */
			int line = ln->name_line, col = ln->name_col > (int)wn + 2
								? ln->name_col - (int)wn - 2
								: 1;
			if (ln->name_col && wn && locate(L, file, &line, &col, w, wn) &&
			    line == ln->name_line)
				for (size_t q = 0; q < wn; q++)
					col += ((unsigned char)w[q] & 0xC0) != 0x80;
			else
				line = ln->name_line, col = ln->name_col;
			if (n > NAMES_ITEMS) {
				diag_warning(L->d, file, line, col,
					     "%zu names from code in this file are broken inside on "
					     "their lines, the first here ('%s%.*s', page %s); 'octavo "
					     "report --lines' marks them in-name",
					     n, dots, ex, w + from, page);
				break;
			}
			diag_warning(L->d, file, line, col,
				     "name from code broken inside after '%s%.*s' on page %s: no "
				     "break its rules allow fits the line",
				     dots, ex, w + from, page);
		}
		i = end > i ? end : i + 1;
	}
	if (first_more)
		diag_warning(L->d, first_more->file, first_more->name_line, first_more->name_col,
			     "%zu more names from code in %zu more files are broken inside on their "
			     "lines, the first here; 'octavo report --lines' marks them in-name",
			     more, more_files);
}

/* ===== the lint ======================================================== */

static void lint_release(struct lint *L)
{
	free(L->spaces);
	for (size_t i = 0; i < L->nsrcs; i++) {
		free(L->srcs[i].text);
		free(L->srcs[i].starts);
	}
	free(L->srcs);
	hmap_release(&L->src_of);
	hmap_release(&L->ids);
	free(L->miss);
}

void cli_lint(const struct book *b, struct tx_fonts *f, const struct pg_doc *doc, struct diag *d)
{
	cli_lint_keep(b, f, doc, d, NULL);
}

void cli_lint_keep(const struct book *b, struct tx_fonts *f, const struct pg_doc *doc,
		   struct diag *d, struct diag_log *lines)
{
	struct lint L = {.b = b, .f = f, .doc = doc, .d = d};
	lint_meta(&L);
	const struct bk_meta *m = &b->meta;
	const char *const meta[] = {m->title,	m->subtitle, m->publisher,
				    m->edition, m->rights,   m->description};
	lint_yaml_strings(&L, b->yaml_path, meta, ARRAY_LEN(meta), true);
	lint_unlisted(&L);
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		struct walk w = {.part = p, .level = 1};
		w.link_seen = xcalloc(p->nlinks ? p->nlinks : 1, sizeof(bool));
		lint_front(&L, p);
		lint_blocks(&L, &w, p->blocks, p->nblocks);
		for (size_t k = 0; k < p->nnotes; k++) {
			w.level = 6; /* headings in notes are not the essay's outline */
			lint_blocks(&L, &w, p->notes[k].kids, p->notes[k].nkids);
		}
		lint_unused_notes(&L, p);
		free(w.link_seen);
		free(w.imgs);
		free(w.lang_warned);
	}
	for (size_t i = 0; i < L.nmiss; i++)
		if (L.miss[i].count > MISSING_SHOWN)
			diag_warning(d, NULL, 0, 0,
				     "U+%04X occurs %d more times where the fonts lack it",
				     (unsigned)L.miss[i].cp, L.miss[i].count - MISSING_SHOWN);
	lint_spaces(&L);
	struct diag_log *was = d->log;
	if (lines)
		d->log = lines;
	lint_lines(&L);
	lint_names(&L);
	d->log = was;
	lint_release(&L);
}
