/*
 * book.c - book.yaml: the book's metadata and its parts in reading order.
 */
#define _XOPEN_SOURCE 700
#include "book-int.h"
#include "kinds.h"
#include "../util/jobs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <hb.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ===== metadata checks ================================================= */

static bool is_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	/* A day the calendar has: the PDF writer refuses 2023-02-30. */
	int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m >= 1 && m <= 12 && day >= 1 && day <= days[m - 1] &&
	       !(m == 2 && day == 29 && !leap);
}

/* ISBN-13 with its check digit; hyphens and spaces are allowed. */
static bool is_isbn13(const char *s)
{
	int digits[13], n = 0;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (n == 13)
				return false;
			digits[n++] = *s - '0';
		} else if (*s != '-' && *s != ' ') {
			return false;
		}
	}
	if (n != 13)
		return false;
	int sum = 0;
	for (int i = 0; i < 12; i++)
		sum += digits[i] * (i % 2 ? 3 : 1);
	return (10 - sum % 10) % 10 == digits[12];
}

static bool is_uuid(const char *s)
{
	if (strncmp(s, "urn:uuid:", 9) == 0)
		s += 9;
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static bool is_language(const char *s)
{
	/* BCP 47, loosely: letters and digits in hyphen-separated subtags
	 * of at most 8, the first of 2-3 letters; 255 in all. */
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (n < 2 || n > 3 || strlen(s) > 255)
		return false;
	s += n;
	for (size_t sub = 0; *s; s++) {
		if (*s == '-')
			sub = 0;
		else if (!isalnum((unsigned char)*s) || ++sub > 8)
			return false;
	}
	return true;
}

/*
 * One character of a title as it goes into a file name: an ASCII letter
 * lower-cased, a Latin letter with marks as its base letter ("é" -> "e"),
 * the Latin letters that have no base by their usual spelling ("ß" ->
 * "ss"), any other letter or digit as it is, marks and case kept (Greek,
 * Cyrillic, CJK: file systems take them, and "й" is not "и"). Returns its length in out, or 0 for a separator.
 */
static int slug_char(uint32_t cp, char out[8])
{
	static const struct {
		uint32_t cp;
		char s[3];
	} spelt[] = {
	    {0xC6, "ae"}, {0xD0, "d"},	 {0xD8, "o"},  {0xDE, "th"}, {0xDF, "ss"}, {0xE6, "ae"},
	    {0xF0, "d"},  {0xF8, "o"},	 {0xFE, "th"}, {0x110, "d"}, {0x111, "d"}, {0x131, "i"},
	    {0x141, "l"}, {0x142, "l"},	 {0x152, "oe"}, {0x153, "oe"}, {0x1E9E, "ss"},
	};
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	hb_codepoint_t base = cp, a, b;
	while (base >= 0x80 && hb_unicode_decompose(uf, base, &a, &b))
		base = a; /* the base letter, its marks dropped */
	if (base < 0x250) /* a Latin letter: "é", not Cyrillic "й" */
		cp = base;
	if (cp < 0x80) {
		if (!isalnum((int)cp))
			return 0;
		out[0] = (char)tolower((int)cp);
		return 1;
	}
	for (size_t i = 0; i < ARRAY_LEN(spelt); i++)
		if (spelt[i].cp == cp)
			return (int)strlen(strcpy(out, spelt[i].s));
	switch (hb_unicode_general_category(uf, cp)) {
	case HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_TITLECASE_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_OTHER_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_LETTER:
	case HB_UNICODE_GENERAL_CATEGORY_DECIMAL_NUMBER:
		return utf8_encode(cp, out);
	default:
		return 0;
	}
}

/* "Prüfbuch für Zeilen" -> "prufbuch-fur-zeilen": at most 60 bytes, cut
 * between characters. */
size_t bk_slug_of_title(const char *title, char *out, size_t n)
{
	size_t k = 0, len = strlen(title);
	bool dash = false;
	for (size_t i = 0; i < len && k < 60;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)title + i, len - i, &cp);
		if (m < 1)
			cp = 0xFFFD, m = 1;
		i += (size_t)m;
		char c[8];
		int w = slug_char(cp, c);
		if (!w) {
			dash = true;
			continue;
		}
		if (k + (dash && k) + (size_t)w + 1 > n || k + (dash && k) + (size_t)w > 60)
			break;
		if (dash && k)
			out[k++] = '-';
		memcpy(out + k, c, (size_t)w);
		k += (size_t)w;
		dash = false;
	}
	if (!k && n > 4)
		k = (size_t)snprintf(out, n, "book");
	if (n)
		out[k < n ? k : n - 1] = '\0';
	return k;
}

/* "Civil Dialogue" -> "civil-dialogue" */
static const char *make_slug(struct arena *a, const char *title)
{
	char buf[64];
	bk_slug_of_title(title, buf, sizeof(buf));
	return ar_strdup(a, buf);
}

/* A slug the book gives: a plain file name of letters, digits, '-', '_'
 * and '.' (not first), letters of any script allowed. */
static bool is_safe_slug(const char *s)
{
	if (!*s || *s == '.')
		return false;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (!isalnum(c) && c != '-' && c != '_' && c != '.')
				return false;
			i++;
			continue;
		}
		uint32_t cp;
		char e[8];
		int m = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (m < 1 || !slug_char(cp, e))
			return false;
		i += (size_t)m;
	}
	return true;
}

/* ===== book.yaml ======================================================= */

static const char *req_string(struct book *b, const struct ynode *root, const char *key,
			      struct diag *d)
{
	const struct ynode *n = ymap_get(root, key);
	const char *v = ystring(&b->arena, n, b->yaml_path, key, d);
	if (!v && (!n || n->kind == Y_SCALAR))
		diag_error(d, b->yaml_path, n ? n->line : root->line, n ? n->col : root->col,
			   "book.yaml needs a '%s'", key);
	return v;
}

static const char *opt_string(struct book *b, const struct ynode *root, const char *key,
			      struct diag *d)
{
	return ystring(&b->arena, ymap_get(root, key), b->yaml_path, key, d);
}

static struct bk_mark mark_of(const struct ynode *n)
{
	return n ? (struct bk_mark){n->line, n->col} : (struct bk_mark){0, 0};
}

static void load_creators(struct book *b, const struct ynode *n, struct diag *d)
{
	if (!n)
		return;
	if (n->kind != Y_SEQ) {
		diag_error(d, b->yaml_path, n->line, n->col,
			   "'creators' must be a list of {name, role}");
		return;
	}
	b->meta.creators = ar_alloc(&b->arena, (n->nkids + 1) * sizeof(struct bk_creator));
	for (size_t i = 0; i < n->nkids; i++) {
		const struct ynode *c = n->kids[i];
		if (c->kind != Y_MAP) {
			diag_error(d, b->yaml_path, c->line, c->col,
				   "each creator must be a mapping with 'name' and 'role'");
			continue;
		}
		static const char *const keys[] = {"name", "role", "file-as", NULL};
		ymap_check_keys(c, b->yaml_path, keys, d);
		struct bk_creator *cr = &b->meta.creators[b->meta.ncreators];
		cr->name = ystring(&b->arena, ymap_get(c, "name"), b->yaml_path, "name", d);
		cr->at = mark_of(ymap_get(c, "name"));
		cr->file_as = ystring(&b->arena, ymap_get(c, "file-as"), b->yaml_path, "file-as", d);
		const char *role = ystring(&b->arena, ymap_get(c, "role"), b->yaml_path, "role", d);
		if (!cr->name) {
			diag_error(d, b->yaml_path, c->line, c->col, "a creator needs a 'name'");
			continue;
		}
		/* Accept the words people write as well as MARC relator codes. */
		static const char *const roles[][2] = {
			{"editor", "edt"}, {"author", "aut"}, {"translator", "trl"},
			{"illustrator", "ill"}, {"publisher", "pbl"}, {"contributor", "ctb"},
		};
		cr->role = "edt";
		if (role) {
			bool known = false;
			for (size_t k = 0; k < ARRAY_LEN(roles); k++) {
				if (!strcmp(role, roles[k][0]) || !strcmp(role, roles[k][1])) {
					cr->role = roles[k][1];
					known = true;
				}
			}
			if (!known) {
				const struct ynode *rn = ymap_get(c, "role");
				diag_error(d, b->yaml_path, rn->line, rn->col,
					   "unknown creator role '%s'", role);
				diag_hint(d, "use editor, author, translator, illustrator, "
					     "publisher or contributor");
			}
		}
		b->meta.ncreators++;
	}
}

/*
 * Resolves a file listed in book.yaml inside the manuscript directory:
 * absolute paths and ".." escapes are refused, so a book cannot read
 * files that are not its own.
 */
static bool confined_name(const char *name)
{
	if (name[0] == '/' || !*name)
		return false;
	const char *p = name;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

static void load_parts(struct book *b, const struct ynode *n, struct diag *d)
{
	if (!n) {
		diag_error(d, b->yaml_path, 1, 1, "book.yaml lists no 'parts'");
		diag_hint(d, "add 'parts:' with one Markdown file per line, e.g. '  - 01-intro.md'");
		return;
	}
	if (n->kind != Y_SEQ || n->nkids == 0) {
		diag_error(d, b->yaml_path, n->line, n->col,
			   "'parts' must be a non-empty list of Markdown files");
		return;
	}
	b->parts = ar_alloc(&b->arena, n->nkids * sizeof(struct bk_part));
	struct strset listed = {0};
	int essay = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct ynode *e = n->kids[i], *fn = e;
		struct bk_part *p = &b->parts[b->nparts];
		p->kind = BK_PART_ESSAY;
		if (e->kind == Y_MAP) {
			static const char *const keys[] = {"file", "kind", NULL};
			ymap_check_keys(e, b->yaml_path, keys, d);
			fn = ymap_get(e, "file");
			const struct ynode *k = ymap_get(e, "kind");
			const char *kind = ystring(&b->arena, k, b->yaml_path, "kind", d);
			int kk = bk_kind_parse(kind);
			if (kk >= 0) {
				p->kind = (enum bk_part_kind)kk;
				p->kind_given = true;
			} else if (kind) {
				diag_error(d, b->yaml_path, k->line, k->col, "unknown part kind '%s'",
					   kind);
				diag_hint(d, "use one of %s", bk_kind_names());
			}
			if (!fn) {
				diag_error(d, b->yaml_path, e->line, e->col,
					   "this part names no 'file'");
				continue;
			}
		}
		const char *file = ystring(&b->arena, fn, b->yaml_path, "file", d);
		if (!file) {
			if (fn->kind == Y_SCALAR) /* else ystring said what is wrong */
				diag_error(d, b->yaml_path, fn->line, fn->col,
					   "part %zu names no file", i + 1);
			continue;
		}
		if (!confined_name(file)) {
			diag_error(d, b->yaml_path, fn->line, fn->col,
				   "part '%s' is outside the manuscript directory", file);
			continue;
		}
		long first = strset_add(&listed, file, fn->line);
		if (first >= 0) {
			diag_error(d, b->yaml_path, fn->line, fn->col,
				   "part '%s' is listed twice (first on line %ld)", file, first);
			continue;
		}
		p->file = file;
		char *path = path_join(b->dir, file);
		p->path = ar_strdup(&b->arena, path);
		free(path);
		if (p->kind == BK_PART_ESSAY) {
			p->number = ++essay;
			p->id = ar_printf(&b->arena, "essay-%02d", p->number);
		} else {
			/* "preface-1", "dedication-2", "part-3", ... */
			p->id = ar_printf(&b->arena, "%s-%zu", bk_kind_of(p->kind)->name, i + 1);
		}
		p->list_line = fn->line;
		p->list_col = fn->col;
		b->nparts++;
	}
	strset_release(&listed);
}

/* Edit distance of a and b, capped: enough to spot a typing slip. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 255 || lb > 255)
		return SIZE_MAX;
	size_t row[256];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) ==
						      tolower((unsigned char)b[j - 1])
					      ? 0
					      : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Suggests a file beside the missing one whose name is close to it or
 * shares its number prefix: "did you mean '02-partnership.md'?" */
static void suggest_file(const char *dir, const char *file, struct diag *d)
{
	char *full = path_join(dir, file);
	char *pdir = path_dirname(full);
	free(full);
	const char *slash = strrchr(file, '/');
	const char *base = slash ? slash + 1 : file;
	size_t prefix = strspn(base, "0123456789");
	DIR *dp = opendir(pdir);
	free(pdir);
	if (!dp)
		return;
	char best[256] = "";
	size_t best_d = SIZE_MAX;
	struct dirent *de;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		size_t dist = edit_distance(base, de->d_name);
		if (prefix && !strncmp(base, de->d_name, prefix) &&
		    !isdigit((unsigned char)de->d_name[prefix]) && dist > 3)
			dist = 3; /* same number: probably the same essay renamed */
		/* Ties go to the name that sorts first, so hints are stable. */
		if (dist <= 3 && (dist < best_d || (dist == best_d && strcmp(de->d_name, best) < 0))) {
			best_d = dist;
			snprintf(best, sizeof(best), "%s", de->d_name);
		}
	}
	closedir(dp);
	if (best[0]) {
		if (slash)
			diag_hint(d, "did you mean '%.*s/%s'?", (int)(slash - file), file, best);
		else
			diag_hint(d, "did you mean '%s'?", best);
	}
}

/* A part's file as opened: the same file listed twice under two names
 * ("two.md", "./two.md", a symlink to it) is found by its identity. */
struct part_id {
	dev_t dev;
	ino_t ino;
	int line;
};

/* Reads and parses part p into a (the book's arena, or a second run's),
 * adding its file to seen, or reports why it cannot. */
static void load_part_file(struct book *b, struct arena *a, struct bk_part *p,
			   struct part_id *seen, size_t *nseen, struct diag *d)
{
	int line = p->list_line, col = p->list_col;
	/* The name was checked for '..' and '/'; a symlink may still lead
	 * out of the book, and a book reads only its own files. */
	const char *roots[] = {b->dir, NULL};
	struct stat st;
	int fd = bk_open_confined(p->path, roots, "part", p->file, b->yaml_path, line, col, d,
				  &st, NULL);
	if (fd < 0) {
		if (errno == ENOENT)
			suggest_file(b->dir, p->file, d);
		return;
	}
	for (size_t i = 0; i < *nseen; i++) {
		if (seen[i].dev == st.st_dev && seen[i].ino == st.st_ino) {
			diag_error(d, b->yaml_path, line, col,
				   "part '%s' is listed twice (first on line %d)", p->file,
				   seen[i].line);
			close(fd);
			return;
		}
	}
	seen[(*nseen)++] = (struct part_id){st.st_dev, st.st_ino, line};
	size_t len;
	char *text = read_fd(fd, &len);
	int e = errno;
	close(fd);
	if (!text) {
		diag_error(d, b->yaml_path, line, col, "cannot read part '%s': %s", p->file,
			   strerror(e));
		return;
	}
	long most = b->style.max_image_pixels > 0 ? b->style.max_image_pixels : BK_MAX_IMAGE_PIXELS;
	parse_part(a, p, p->path, b->dir, text, len, most, d);
	free(text);
}

/* ===== the parts, on up to two threads ================================= */

/* The parts [from, to) read in order into a, with the files opened. */
struct part_run {
	struct book *b;
	size_t from, to;
	struct arena *a;
	struct part_id *seen; /* nseen of them, room for every part */
	size_t nseen;
	struct diag *d;
};

static void read_run(void *arg)
{
	struct part_run *r = arg;
	for (size_t i = r->from; i < r->to; i++)
		load_part_file(r->b, r->a, &r->b->parts[i], r->seen, &r->nseen, r->d);
}

/* Where the parts divide into two runs of about half the bytes each (the
 * parse's cost follows its bytes: Node.js's docs, 63 parts of 3.4 MB, cut
 * by count would leave one run a third longer): the first part of the
 * second run, or 0 for no cut. */
static size_t cut_parts(const struct book *b)
{
	long long *size = xcalloc(b->nparts + 1, sizeof(*size)), sum = 0;
	long long total = book_part_bytes(b, size);
	size_t cut = 0;
	for (size_t i = 0; i + 1 < b->nparts && !cut; i++) {
		sum += size[i];
		if (2 * sum >= total)
			cut = i + 1;
	}
	free(size);
	return cut;
}

long long book_part_bytes(const struct book *b, long long *size)
{
	long long total = 0;
	for (size_t i = 0; i < b->nparts; i++) {
		struct stat st;
		long long n = b->parts[i].path && stat(b->parts[i].path, &st) == 0 ? st.st_size : 0;
		if (size)
			size[i] = n;
		total += n;
	}
	return total;
}

/* Whether a file of r was opened by first too: a part listed twice across
 * the cut, which only the parts in order report rightly. */
static bool opened_twice(const struct part_run *first, const struct part_run *r)
{
	for (size_t i = 0; i < r->nseen; i++)
		for (size_t k = 0; k < first->nseen; k++)
			if (r->seen[i].dev == first->seen[k].dev && r->seen[i].ino == first->seen[k].ino)
				return true;
	return false;
}

/*
 * Reads and parses b's parts into b->arena, in book order, reporting on d.
 * With jobs > 1 the second half (by bytes) is parsed on a second thread
 * (src/util/jobs.h) into an arena and messages of its own, which the join
 * appends after the first half's: the same book and the same messages in
 * the same order as one thread gives. A file listed twice across the cut
 * is not guessed at: the second half is read again, in order, here.
 */
static void load_part_files(struct book *b, int jobs, struct diag *d)
{
	size_t cut = jobs > 1 ? cut_parts(b) : 0;
	struct part_run first = {b, 0, b->nparts, &b->arena, NULL, 0, d};
	first.seen = xcalloc(b->nparts + 1, sizeof(*first.seen));
	struct diag_fork dk;
	if (!cut || !diag_fork_init(&dk, d)) {
		read_run(&first);
		free(first.seen);
		return;
	}
	struct arena a2;
	ar_init(&a2);
	struct part_run second = {b, cut, b->nparts, &a2, NULL, 0, &dk.d};
	second.seen = xcalloc(b->nparts - cut + 1, sizeof(*second.seen));
	struct bk_part *unread = xmalloc((b->nparts - cut) * sizeof(*unread));
	memcpy(unread, b->parts + cut, (b->nparts - cut) * sizeof(*unread));
	first.to = cut;
	struct job v[2] = {{read_run, &first}, {read_run, &second}};
	jobs_run(v, 2, 2);
	if (opened_twice(&first, &second)) {
		memcpy(b->parts + cut, unread, (b->nparts - cut) * sizeof(*unread));
		ar_release(&a2);
		diag_fork_release(&dk);
		first.from = cut;
		first.to = b->nparts;
		read_run(&first);
	} else {
		ar_adopt(&b->arena, &a2);
		diag_fork_join(d, &dk);
	}
	free(unread);
	free(second.seen);
	free(first.seen);
}

/*
 * The style's path: a name ("civil-dialogue") is looked up in
 * datadir/styles/, a path ending in .yaml is relative to the book. Opens
 * it once (*fd, which the caller closes) so that the file checked is the
 * file read. Returns the path (in the book's arena), or NULL after
 * reporting at book.yaml's 'style:' line.
 */
static const char *style_open(struct book *b, const struct ynode *n, const char *datadir,
			      int *fd, struct diag *d)
{
	const char *name = ystring(&b->arena, n, b->yaml_path, "style", d);
	int line = n ? n->line : 1, col = n ? n->col : 1;
	bool local = false;
	char *p;
	*fd = -1;
	if (!name) {
		p = path_join(datadir, "styles/default.yaml");
	} else if (strlen(name) > 5 && !strcmp(name + strlen(name) - 5, ".yaml")) {
		if (!confined_name(name)) {
			diag_error(d, b->yaml_path, n->line, n->col,
				   "style '%s' is outside the manuscript directory", name);
			diag_hint(d, "name a shared style without a path, e.g. 'style: default'");
			return NULL;
		}
		p = path_join(b->dir, name);
		local = true;
	} else {
		if (strchr(name, '/') || name[0] == '.') {
			diag_error(d, b->yaml_path, n->line, n->col, "bad style name '%s'", name);
			return NULL;
		}
		char *rel = NULL;
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "styles/%s.yaml", name);
		rel = sb_detach(&sb, NULL);
		p = path_join(datadir, rel);
		free(rel);
	}
	const char *shown = name ? name : "default";
	struct stat st;
	if (access(p, R_OK) != 0) {
		diag_error(d, b->yaml_path, line, col, "cannot read style '%s' (%s): %s", shown, p,
			   strerror(errno));
	} else if (local) {
		/* A book's own style is confined as its parts are. */
		const char *roots[] = {b->dir, NULL};
		*fd = bk_open_confined(p, roots, "style", shown, b->yaml_path, line, col, d, &st,
				       NULL);
	} else if ((*fd = open_regular(p, &st)) < 0) {
		if (errno == EINVAL && st.st_mode)
			diag_error(d, b->yaml_path, line, col, "style '%s' is %s, not a regular file",
				   shown, file_kind(st.st_mode));
		else
			diag_error(d, b->yaml_path, line, col, "cannot read style '%s' (%s): %s",
				   shown, p, strerror(errno));
	}
	const char *r = *fd >= 0 ? ar_strdup(&b->arena, p) : NULL;
	free(p);
	return r;
}

/* book.yaml, read once and only as a regular file of the book's own (a
 * FIFO there would hang the build, a link out would quote another file's
 * lines in the messages), parsed into b's arena. Returns its root mapping,
 * or NULL after reporting. */
static struct ynode *read_book_yaml(struct book *b, const char *dir, struct diag *d)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_error(d, dir, 0, 0, "not a manuscript directory: %s",
			   errno && stat(dir, &st) != 0 ? strerror(errno) : "not a directory");
		return NULL;
	}
	const char *roots[] = {dir, NULL};
	int yfd = bk_open_confined(b->yaml_path, roots, "book.yaml", NULL, b->yaml_path, 0, 0, d,
				   &st, NULL);
	if (yfd < 0) {
		if (errno == ENOENT)
			diag_hint(d, "'octavo init DIR' makes a new book to start from");
		return NULL;
	}
	size_t len;
	char *text = read_fd(yfd, &len);
	int e = errno;
	close(yfd);
	if (!text) {
		diag_error(d, b->yaml_path, 0, 0, "cannot read book.yaml: %s", strerror(e));
		return NULL;
	}
	bool ok = false;
	struct ynode *root = NULL;
	if (check_utf8(b->yaml_path, text, len, d) == 0)
		root = yaml_load(&b->arena, b->yaml_path, text, len, 1, d, &ok);
	free(text);
	if (!root || root->kind != Y_MAP) {
		if (ok)
			diag_error(d, b->yaml_path, root ? root->line : 1, root ? root->col : 1,
				   "book.yaml must be a mapping of keys such as 'title:'");
		return NULL;
	}
	return root;
}

/* 'identifiers:': the UUID a reading system knows the book by across
 * editions (required), and the ISBNs (checked, NULL when not given). */
static void load_identifiers(struct book *b, const struct ynode *root, struct diag *d)
{
	struct bk_meta *m = &b->meta;
	const struct ynode *ids = ymap_get(root, "identifiers");
	if (ids && ids->kind != Y_MAP) {
		diag_error(d, b->yaml_path, ids->line, ids->col,
			   "'identifiers' must be a mapping of uuid, isbn-print, isbn-epub");
	} else {
		static const char *const id_keys[] = {"uuid", "isbn-print", "isbn-epub", NULL};
		ymap_check_keys(ids, b->yaml_path, id_keys, d);
		const struct ynode *u = ymap_get(ids, "uuid");
		m->uuid = ystring(&b->arena, u, b->yaml_path, "uuid", d);
		if (!m->uuid) {
			diag_error(d, b->yaml_path, ids ? ids->line : root->line,
				   ids ? ids->col : root->col,
				   "book.yaml needs 'identifiers: uuid:' so that reading systems "
				   "know the book across editions");
			diag_hint(d, "generate one with 'uuidgen' and keep it for good");
		} else if (!is_uuid(m->uuid)) {
			diag_error(d, b->yaml_path, u->line, u->col, "'%s' is not a UUID", m->uuid);
		} else if (strncmp(m->uuid, "urn:uuid:", 9) != 0) {
			m->uuid = ar_printf(&b->arena, "urn:uuid:%s", m->uuid);
		}
		m->at_identifiers = mark_of(ids);
		m->at_isbn_print = mark_of(ymap_get(ids, "isbn-print"));
		static const char *const isbn_keys[] = {"isbn-print", "isbn-epub"};
		const char **idst[] = {&m->isbn_print, &m->isbn_epub};
		for (int i = 0; i < 2; i++) {
			const struct ynode *n = ymap_get(ids, isbn_keys[i]);
			*idst[i] = ystring(&b->arena, n, b->yaml_path, isbn_keys[i], d);
			if (*idst[i] && !is_isbn13(*idst[i])) {
				diag_error(d, b->yaml_path, n->line, n->col,
					   "'%s' is not a valid ISBN-13 (check digit or length)",
					   *idst[i]);
				*idst[i] = NULL;
			}
		}
	}
}

/* book_load, or with whole false book_load_head: the parts listed but not
 * read. */
static struct book *load(const char *dir, const char *datadir, bool whole, int jobs,
			 struct diag *d)
{
	int nerr = d->nerr;
	struct book *b = xcalloc(1, sizeof(*b));
	ar_init(&b->arena);
	b->dir = ar_strdup(&b->arena, dir);
	char *yp = path_join(dir, "book.yaml");
	b->yaml_path = ar_strdup(&b->arena, yp);
	free(yp);

	struct ynode *root = read_book_yaml(b, dir, d);
	if (!root)
		goto fail;
	static const char *const keys[] = {
		"title", "subtitle", "publisher", "language", "creators", "edition",
		"date", "revised", "rights", "identifiers", "description", "keywords",
		"slug", "style", "parts", "certified-by", "certifier-credential",
		"certifier-report", "strings", "paper", "cover-image", "running-head",
		NULL,
	};
	ymap_check_keys(root, b->yaml_path, keys, d);
	struct bk_meta *m = &b->meta;
	m->title = req_string(b, root, "title", d);
	m->subtitle = opt_string(b, root, "subtitle", d);
	m->running_head = opt_string(b, root, "running-head", d);
	/* Lines of Markdown, as a part's title is: plain words here. */
	const char **plain[] = {&m->title, &m->subtitle, &m->running_head};
	const char *plain_keys[] = {"title", "subtitle", "running-head"};
	const struct bk_span **runs[] = {&m->title_spans, &m->subtitle_spans, NULL};
	size_t *nruns[] = {&m->ntitle_spans, &m->nsubtitle_spans, NULL};
	for (size_t i = 0; i < ARRAY_LEN(plain); i++)
		if (*plain[i])
			bk_markdown_plain(&b->arena, b->yaml_path, b->dir,
					  ymap_get(root, plain_keys[i])->line, d, plain[i],
					  runs[i], nruns[i]);
	m->publisher = opt_string(b, root, "publisher", d);
	m->language = req_string(b, root, "language", d);
	const struct ynode *lang = ymap_get(root, "language");
	m->language_line = lang ? lang->line : 0, m->language_col = lang ? lang->col : 0;
	if (m->language && !is_language(m->language)) {
		const struct ynode *n = ymap_get(root, "language");
		diag_error(d, b->yaml_path, n->line, n->col,
			   "'%s' is not a language tag such as 'en-GB'", m->language);
	}
	load_creators(b, ymap_get(root, "creators"), d);
	m->edition = opt_string(b, root, "edition", d);
	m->rights = opt_string(b, root, "rights", d);
	m->description = opt_string(b, root, "description", d);
	m->certified_by = opt_string(b, root, "certified-by", d);
	m->certifier_credential = opt_string(b, root, "certifier-credential", d);
	m->certifier_report = opt_string(b, root, "certifier-report", d);
	if (m->certifier_report && !bk_url_has_scheme(m->certifier_report)) {
		const struct ynode *n = ymap_get(root, "certifier-report");
		diag_error(d, b->yaml_path, n->line, n->col,
			   "'certifier-report' must be a URL such as 'https://...', not '%s'",
			   m->certifier_report);
		m->certifier_report = NULL;
	}
	static const char *const dates[] = {"date", "revised"};
	const char **dst[] = {&m->date, &m->revised};
	for (int i = 0; i < 2; i++) {
		const struct ynode *n = ymap_get(root, dates[i]);
		*dst[i] = ystring(&b->arena, n, b->yaml_path, dates[i], d);
		if (*dst[i] && !is_date(*dst[i])) {
			diag_error(d, b->yaml_path, n->line, n->col,
				   "'%s' must be a date written YYYY-MM-DD, not '%s'", dates[i],
				   *dst[i]);
			*dst[i] = NULL;
		}
	}
	const struct ynode *kw = ymap_get(root, "keywords");
	if (kw && kw->kind == Y_SEQ) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < kw->nkids; i++) {
			const char *k = ystring(&b->arena, kw->kids[i], b->yaml_path, "keywords", d);
			if (k)
				sb_addf(&sb, "%s%s", sb.len ? ", " : "", k);
		}
		m->keywords = sb.len ? ar_strdup(&b->arena, sb.buf) : NULL;
		sb_release(&sb);
	} else {
		m->keywords = ystring(&b->arena, kw, b->yaml_path, "keywords", d);
	}

	m->at_title = mark_of(ymap_get(root, "title"));
	m->at_running_head = mark_of(ymap_get(root, "running-head"));
	m->at_subtitle = mark_of(ymap_get(root, "subtitle"));
	m->at_publisher = mark_of(ymap_get(root, "publisher"));
	m->at_rights = mark_of(ymap_get(root, "rights"));
	m->at_description = mark_of(ymap_get(root, "description"));
	m->at_keywords = mark_of(kw);

	load_identifiers(b, root, d);
	bk_paper_parse(ymap_get(root, "paper"), b->yaml_path, &m->paper, d);
	const struct ynode *sl = ymap_get(root, "slug");
	m->slug = ystring(&b->arena, sl, b->yaml_path, "slug", d);
	if (m->slug && !is_safe_slug(m->slug)) {
		diag_error(d, b->yaml_path, sl->line, sl->col,
			   "'slug' must be a plain file name (letters, digits, '-', '_')");
		m->slug = NULL;
	} else if (m->slug && strlen(m->slug) > BK_SLUG_MAX) {
		diag_error(d, b->yaml_path, sl->line, sl->col,
			   "'slug' is %zu bytes long: at most %d fit in the names of the files "
			   "octavo writes",
			   strlen(m->slug), BK_SLUG_MAX);
		m->slug = NULL;
	}
	if (!m->slug && m->title)
		m->slug = make_slug(&b->arena, m->title);

	int sfd;
	const char *sp = style_open(b, ymap_get(root, "style"), datadir, &sfd, d);
	if (sp) {
		style_load(b, sp, sfd, datadir, d);
		close(sfd);
	}
	bk_load_strings(b, ymap_get(root, "strings"), d);
	bk_cover_image_load(b, ymap_get(root, "cover-image"), d);
	load_parts(b, ymap_get(root, "parts"), d);
	if (!whole) {
		bk_smarten_front(b);
		if (d->nerr == nerr)
			return b;
		goto fail;
	}
	load_part_files(b, jobs, d);
	bk_smarten_front(b);
	bk_kinds_finish(b, d);
	bk_lang_apply(b);

	if (d->nerr == nerr) {
		bk_assert_invariants(b);
		return b;
	}
fail:
	book_free(b);
	return NULL;
}

struct book *book_load(const char *dir, const char *datadir, struct diag *d)
{
	return load(dir, datadir, true, 1, d);
}

struct book *book_load_jobs(const char *dir, const char *datadir, int jobs, struct diag *d)
{
	return load(dir, datadir, true, jobs, d);
}

struct book *book_load_head(const char *dir, const char *datadir, struct diag *d)
{
	return load(dir, datadir, false, 1, d);
}

void book_free(struct book *b)
{
	if (!b)
		return;
	ar_release(&b->arena);
	free(b);
}

static void each_str(void (*fn)(void *, const char *, size_t), void *ctx, const char *s)
{
	if (s)
		fn(ctx, s, strlen(s));
}

static void each_block_text(const struct bk_block *v, size_t n,
			    void (*fn)(void *, const char *, size_t), void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nspans; k++)
			if (v[i].spans[k].text)
				fn(ctx, v[i].spans[k].text, v[i].spans[k].len);
		each_str(fn, ctx, v[i].text);
		if (v[i].img) {
			each_str(fn, ctx, v[i].img->alt);
			each_str(fn, ctx, v[i].img->title);
		}
		each_block_text(v[i].kids, v[i].nkids, fn, ctx);
	}
}

void bk_each_text(const struct book *b, void (*fn)(void *ctx, const char *s, size_t n),
		  void *ctx)
{
	const struct bk_meta *m = &b->meta;
	const char *meta[] = {m->title, m->subtitle, m->publisher, m->edition, m->date,
			      m->revised, m->rights, m->description, m->keywords};
	for (size_t i = 0; i < ARRAY_LEN(meta); i++)
		each_str(fn, ctx, meta[i]);
	for (size_t i = 0; i < m->ncreators; i++)
		each_str(fn, ctx, m->creators[i].name);
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		each_str(fn, ctx, p->title);
		each_str(fn, ctx, p->subtitle);
		each_str(fn, ctx, p->author);
		each_str(fn, ctx, p->role);
		each_block_text(p->blocks, p->nblocks, fn, ctx);
		for (size_t k = 0; k < p->nnotes; k++)
			each_block_text(p->notes[k].kids, p->notes[k].nkids, fn, ctx);
	}
}
