/*
 * util.c - allocation, arena, strbuf, diagnostics, files and UTF-8.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ===== allocation ====================================================== */

static void out_of_memory(size_t n)
{
	fprintf(stderr, "octavo: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void grow_array(void **items, size_t *cap, size_t need, size_t elt)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / elt)
		out_of_memory(SIZE_MAX);
	*items = xrealloc(*items, ncap * elt);
	*cap = ncap;
}

/* ===== arena =========================================================== */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define CHUNK_SIZE (64 * 1024)

void ar_init(struct arena *a)
{
	a->head = NULL;
}

void ar_release(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

void ar_adopt(struct arena *to, struct arena *from)
{
	struct arena_chunk *c = from->head;
	if (!c)
		return;
	if (!to->head) {
		to->head = c;
	} else {
		/* Behind to's current chunk, whose free space stays in use. */
		struct arena_chunk *last = c;
		while (last->next)
			last = last->next;
		last->next = to->head->next;
		to->head->next = c;
	}
	from->head = NULL;
}

void *ar_alloc(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (!n)
		n = align;
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		/* Big requests get a chunk of their own behind the current one,
		 * so the space left in the current chunk is not wasted. */
		size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
		struct arena_chunk *nc = xmalloc(sizeof(*nc) + size);
		nc->used = 0;
		nc->size = size;
		if (c && size != CHUNK_SIZE) {
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *ar_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = ar_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ar_strdup(struct arena *a, const char *s)
{
	return s ? ar_strndup(a, s, strlen(s)) : NULL;
}

char *ar_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = ar_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *ar_memdup(struct arena *a, const void *p, size_t n, size_t elt)
{
	if (!n)
		return NULL;
	void *q = ar_alloc(a, n * elt);
	memcpy(q, p, n * elt);
	return q;
}

/* ===== strbuf ========================================================== */

void sb_init(struct strbuf *sb)
{
	sb->buf = (char *)"";
	sb->len = sb->cap = 0;
}

void sb_release(struct strbuf *sb)
{
	if (sb->cap)
		free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

void sb_truncate(struct strbuf *sb, size_t len)
{
	assert(len <= sb->len);
	sb->len = len;
	if (sb->cap)
		sb->buf[len] = '\0';
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t ncap = sb->cap ? sb->cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (sb->cap) {
		sb->buf = xrealloc(sb->buf, ncap);
	} else {
		char *nb = xmalloc(ncap);
		memcpy(nb, sb->buf, sb->len + 1);
		sb->buf = nb;
	}
	sb->cap = ncap;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	/* Formatted once into the room left, which most pieces fit (the
	 * EPUB's XHTML of the Node.js docs spent 230 M instructions in
	 * vsnprintf measuring first, then formatting); again only when it
	 * did not fit, the buffer grown. */
	size_t room = sb->cap ? sb->cap - sb->len : 0;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, cp);
	va_end(cp);
	assert(n >= 0);
	if ((size_t)n >= room) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

/* The escapes of XML's five special characters that octavo writes: '\''
 * is left as it is, as every attribute octavo writes is in double
 * quotes. NULL for a byte that stays as it is. */
static const char *xml_escape(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	default: return NULL;
	}
}

void sb_add_xml(struct strbuf *sb, const char *s, size_t n)
{
	if (!n)
		return;
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0, i = 0; /* u[run, i) is copied as it is */
	while (i < n) {
		unsigned c = u[i];
		if ((c >= 0x20 && c < 0x80) || c == '\t' || c == '\n' || c == '\r') {
			const char *rep = xml_escape((unsigned char)c);
			i++;
			if (rep) {
				sb_add(sb, s + run, i - 1 - run);
				sb_adds(sb, rep);
				run = i;
			}
			continue;
		}
		uint32_t cp = 0;
		int k = c >= 0x80 ? utf8_decode(u + i, n - i, &cp) : -1;
		if (k > 0 && cp != 0xFFFE && cp != 0xFFFF) {
			i += (size_t)k;
			continue;
		}
		/* XML 1.0 forbids the other C0 controls, U+FFFE and U+FFFF
		 * (they are dropped); a byte that is not UTF-8 (a surrogate
		 * included) becomes U+FFFD, one for each such byte. */
		sb_add(sb, s + run, i - run);
		if (c >= 0x80 && k < 0) {
			sb_adds(sb, "\xEF\xBF\xBD");
			i++;
		} else {
			i += k > 0 ? (size_t)k : 1;
		}
		run = i;
	}
	sb_add(sb, s + run, n - run);
}

char *sb_detach(struct strbuf *sb, size_t *len)
{
	if (len)
		*len = sb->len;
	char *p = sb->cap ? sb->buf : xstrdup("");
	/* A buffer grown by doubling may be half empty; the caller may keep
	 * the string a long time (an EPUB keeps every chapter until zipped). */
	if (sb->cap > sb->len + sb->len / 4 + 64)
		p = xrealloc(p, sb->len + 1);
	sb_init(sb);
	return p;
}

/* ===== diagnostics ===================================================== */

/*
 * The source files messages quoted, read once: a compiler's habit, so that
 * fifty messages about one essay read it once. Each file's identity, size
 * and time are kept with its lines and checked at each use, so that a
 * long-running 'octavo watch' quotes a file as it is now. The cache lives
 * as long as the process: a book's few files.
 */
struct diag_source {
	struct diag_source *next;
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char *text;     /* NULL when the file could not be read */
	size_t len;
	size_t *starts; /* byte offset where each line begins */
	size_t nlines;
};

static struct diag_source *diag_sources;

#define DIAG_MAX_SOURCE ((off_t)16 << 20) /* larger files are not quoted */
#define DIAG_TAB 8                        /* tab stops, as terminals set them */
#define DIAG_WIDTH 100                    /* columns of a quoted line shown */

static const char *const C_RESET = "\033[0m", *const C_BOLD = "\033[1m",
		  *const C_ERROR = "\033[1;31m", *const C_WARNING = "\033[1;35m",
		  *const C_HINT = "\033[1;36m", *const C_CARET = "\033[1;32m";

void diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->out = out ? out : stderr;
	d->excerpt = true;
}

void diag_free_source_cache(void)
{
	while (diag_sources) {
		struct diag_source *s = diag_sources;
		diag_sources = s->next;
		free(s->path);
		free(s->text);
		free(s->starts);
		free(s);
	}
}

static bool same_file(const struct diag_source *s, const struct stat *st)
{
	return s->dev == st->st_dev && s->ino == st->st_ino && s->size == st->st_size &&
	       s->mtime.tv_sec == st->st_mtim.tv_sec && s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The lines of path as it is now, or NULL when it is not a readable
 * regular file of reasonable size. Owned by the cache. */
static struct diag_source *diag_source_lookup(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > DIAG_MAX_SOURCE)
		return NULL;
	struct diag_source *s, **link;
	for (link = &diag_sources; (s = *link); link = &s->next)
		if (!strcmp(s->path, path))
			break;
	if (s && s != diag_sources) {
		/* To the front: messages come file by file. */
		*link = s->next;
		s->next = diag_sources;
		diag_sources = s;
	}
	if (s && same_file(s, &st))
		return s->text ? s : NULL;
	if (!s) {
		s = xcalloc(1, sizeof(*s));
		s->path = xstrdup(path);
		s->next = diag_sources;
		diag_sources = s;
	}
	free(s->text);
	free(s->starts);
	s->starts = NULL;
	s->nlines = 0;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime = st.st_mtim;
	s->text = read_file(path, &s->len);
	if (!s->text)
		return NULL;
	size_t cap = 0;
	for (size_t i = 0; i <= s->len; i++) {
		if (i == 0 || s->text[i - 1] == '\n') {
			if (i == s->len && i > 0)
				break; /* a final newline starts no line */
			GROW(s->starts, cap, s->nlines + 1);
			s->starts[s->nlines++] = i;
		}
	}
	return s;
}

/* One character of a quoted line as shown: its bytes in the display
 * buffer and its display columns. */
struct diag_cell {
	size_t off, n;
	int x, w;
};

/*
 * Prints line of path under the message, and a caret under character col
 * (1-based; 0 for none). Tabs become spaces to the next tab stop, so the
 * caret lines up whatever the terminal's tab setting; bytes that are not
 * UTF-8 show as U+FFFD and control characters as '?', so a quoted line
 * never garbles the terminal.
 */
static void quote_source(struct diag *d, const char *path, int line, int col)
{
	struct diag_source *s = diag_source_lookup(path);
	if (!s || line < 1 || (size_t)line > s->nlines)
		return;
	size_t a = s->starts[line - 1];
	size_t b = (size_t)line < s->nlines ? s->starts[line] : s->len;
	while (b > a && (s->text[b - 1] == '\n' || s->text[b - 1] == '\r'))
		b--;
	struct strbuf disp = STRBUF_INIT;
	struct diag_cell *cells = NULL;
	size_t ncells = 0, cap = 0;
	int x = 0;
	const unsigned char *t = (const unsigned char *)s->text;
	for (size_t i = a; i < b;) {
		uint32_t cp;
		int n = utf8_decode(t + i, b - i, &cp);
		struct diag_cell c = {disp.len, 0, x, 1};
		if (n < 0) {
			sb_adds(&disp, "\xEF\xBF\xBD");
			n = 1;
		} else if (cp == '\t') {
			c.w = DIAG_TAB - x % DIAG_TAB;
			for (int k = 0; k < c.w; k++)
				sb_addc(&disp, ' ');
		} else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
			sb_addc(&disp, '?');
		} else {
			sb_add(&disp, s->text + i, (size_t)n);
		}
		c.n = disp.len - c.off;
		x += c.w;
		GROW(cells, cap, ncells + 1);
		cells[ncells++] = c;
		i += (size_t)n;
	}
	/* The caret's display column; past the end it sits after the text. */
	int caret = -1;
	if (col > 0)
		caret = (size_t)col <= ncells ? cells[col - 1].x : x;
	/* A long line (a Markdown paragraph is often one) shows a window
	 * around the caret, cut at characters, with "..." at each cut. */
	int from = 0, to = x;
	if (x > DIAG_WIDTH) {
		from = caret > DIAG_WIDTH / 2 ? caret - DIAG_WIDTH / 2 : 0;
		if (from + DIAG_WIDTH > x)
			from = x - DIAG_WIDTH;
		to = from + DIAG_WIDTH;
	}
	char num[16];
	int nw = snprintf(num, sizeof(num), "%d", line);
	if (nw < 4)
		nw = 4;
	fprintf(d->out, " %*d | ", nw, line);
	int shown = 0; /* display columns printed before the caret's cell */
	if (from > 0) {
		fputs("...", d->out);
		shown = 3;
	}
	size_t first = 0;
	while (first < ncells && cells[first].x < from)
		first++;
	for (size_t i = first; i < ncells && cells[i].x + cells[i].w <= to; i++)
		fwrite(disp.buf + cells[i].off, 1, cells[i].n, d->out);
	if (to < x)
		fputs("...", d->out);
	fputc('\n', d->out);
	if (caret >= 0) {
		int at = shown + caret - (first < ncells ? cells[first].x : from);
		fprintf(d->out, " %*s | %*s%s^%s\n", nw, "", at, "", d->color ? C_CARET : "",
			d->color ? C_RESET : "");
	}
	free(cells);
	sb_release(&disp);
}

void sb_add_term(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = utf8_decode(u + i, n - i, &cp);
		if (k > 0 && cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0) && cp != 0x061C &&
		    cp != 0x200E && cp != 0x200F && !(cp >= 0x202A && cp <= 0x202E) &&
		    !(cp >= 0x2066 && cp <= 0x2069)) {
			i += (size_t)k;
			continue;
		}
		sb_add(sb, s + start, i - start);
		if (k < 0 || cp < 0x80) {
			sb_addf(sb, "\\x%02x", u[i]);
			k = 1;
		} else {
			sb_addf(sb, "\\u%04x", (unsigned)cp);
		}
		i += (size_t)k;
		start = i;
	}
	sb_add(sb, s + start, n - start);
}

/* Writes s to out as sb_add_term shows it. */
static void put_term(FILE *out, const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add_term(&sb, s, n);
	fwrite(sb.buf, 1, sb.len, out);
	sb_release(&sb);
}

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;

void diag_vreport(struct diag *d, enum diag_level lvl, const char *path, int line, int col,
		  const char *fmt, va_list ap)
{
	if (lvl == DIAG_ERROR)
		d->nerr++;
	else
		d->nwarn++;
	if (d->log) { /* kept whole, whatever quiet suppresses now */
		va_list aq;
		va_copy(aq, ap);
		struct strbuf m = STRBUF_INIT;
		sb_vaddf(&m, fmt, aq);
		va_end(aq);
		diag_log_add(d->log, lvl, false, path, line, col, m.buf);
		sb_release(&m);
	}
	d->muted = lvl == DIAG_WARNING && d->quiet;
	if (d->muted)
		return;
	/* The PDF and the EPUB are written on two threads: one message at a
	 * time, and one user of the source-line cache. */
	pthread_mutex_lock(&diag_lock);
	if (d->status) {
		fputs("\r\033[K", d->out); /* the progress line gives way */
		d->status = false;
	}
	if (d->color)
		fputs(C_BOLD, d->out);
	if (path) {
		put_term(d->out, path, strlen(path));
		if (line > 0) {
			fprintf(d->out, ":%d", line);
			if (col > 0)
				fprintf(d->out, ":%d", col);
		}
		fputs(": ", d->out);
	} else {
		fputs("octavo: ", d->out);
	}
	if (d->color)
		fprintf(d->out, "%s%s%s", C_RESET, lvl == DIAG_ERROR ? C_ERROR : C_WARNING,
			lvl == DIAG_ERROR ? "error:" : "warning:");
	else
		fputs(lvl == DIAG_ERROR ? "error:" : "warning:", d->out);
	if (d->color)
		fputs(C_RESET, d->out);
	fputc(' ', d->out);
	struct strbuf msg = STRBUF_INIT;
	sb_vaddf(&msg, fmt, ap);
	put_term(d->out, msg.buf, msg.len);
	sb_release(&msg);
	fputc('\n', d->out);
	if (d->excerpt && path && line > 0)
		quote_source(d, path, line, col);
	pthread_mutex_unlock(&diag_lock);
}

void diag_error(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, path, line, col, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_WARNING, path, line, col, fmt, ap);
	va_end(ap);
}

void diag_hint(struct diag *d, const char *fmt, ...)
{
	if (d->muted && !d->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	struct strbuf msg = STRBUF_INIT;
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (d->log)
		diag_log_add(d->log, DIAG_WARNING, true, NULL, 0, 0, msg.buf);
	if (d->muted) {
		sb_release(&msg);
		return;
	}
	fprintf(d->out, "%shint:%s ", d->color ? C_HINT : "", d->color ? C_RESET : "");
	put_term(d->out, msg.buf, msg.len);
	sb_release(&msg);
	fputc('\n', d->out);
}

void diag_log_add(struct diag_log *l, enum diag_level lvl, bool hint, const char *path, int line,
		  int col, const char *msg)
{
	GROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = (struct diag_entry){.lvl = lvl,
					   .hint = hint,
					   .line = line,
					   .col = col,
					   .path = path ? xstrdup(path) : NULL,
					   .msg = xstrdup(msg)};
}

void diag_log_append(struct diag_log *dst, const struct diag_log *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct diag_entry *e = &src->v[i];
		diag_log_add(dst, e->lvl, e->hint, e->path, e->line, e->col, e->msg);
	}
}

bool diag_fork_init(struct diag_fork *f, const struct diag *d)
{
	memset(f, 0, sizeof(*f));
	f->mem = open_memstream(&f->buf, &f->len);
	if (!f->mem)
		return false;
	diag_init(&f->d, f->mem);
	f->d.quiet = d->quiet;
	f->d.color = d->color;
	f->d.excerpt = d->excerpt;
	f->d.log = d->log ? &f->log : NULL;
	return true;
}

void diag_fork_join(struct diag *d, struct diag_fork *f)
{
	fclose(f->mem);
	f->mem = NULL;
	if (f->len) {
		if (d->status) {
			fputs("\r\033[K", d->out); /* the progress line gives way */
			d->status = false;
		}
		fwrite(f->buf, 1, f->len, d->out);
	}
	d->nerr += f->d.nerr;
	d->nwarn += f->d.nwarn;
	if (f->d.nerr || f->d.nwarn)
		d->muted = f->d.muted;
	if (d->log)
		diag_log_append(d->log, &f->log);
	diag_fork_release(f);
}

void diag_fork_release(struct diag_fork *f)
{
	if (f->mem)
		fclose(f->mem);
	free(f->buf);
	diag_log_release(&f->log);
	memset(f, 0, sizeof(*f));
}

void diag_replay(struct diag *d, const struct diag_log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct diag_entry *e = &l->v[i];
		if (e->hint)
			diag_hint(d, "%s", e->msg);
		else if (e->lvl == DIAG_ERROR)
			diag_error(d, e->path, e->line, e->col, "%s", e->msg);
		else
			diag_warning(d, e->path, e->line, e->col, "%s", e->msg);
	}
}

void diag_log_release(struct diag_log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].msg);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ===== files =========================================================== */

static int open_reg(const char *path, int flags, struct stat *st)
{
	/* A look by name first, so that a device is not even opened (opening
	 * some has effects: a tape rewinds, a terminal may become ours); the
	 * check that counts is the fstat below, on what was opened. */
	if (stat(path, st) == 0 && !S_ISREG(st->st_mode)) {
		errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	st->st_mode = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | flags);
	if (fd < 0)
		return -1;
	int e;
	if (fstat(fd, st) < 0) {
		e = errno;
		st->st_mode = 0;
		goto fail;
	}
	if (!S_ISREG(st->st_mode)) {
		e = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		e = errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	errno = e;
	return -1;
}

int open_regular(const char *path, struct stat *st)
{
	return open_reg(path, 0, st);
}

int open_checked(const char *path, struct stat *st)
{
	return open_reg(path, O_NOFOLLOW, st);
}

const char *file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "a special file";
}

char *read_fd(int fd, size_t *len)
{
	/* Read straight into a buffer of the file's size (one more byte to
	 * see the end): no copy through a stack buffer, no realloc chain;
	 * a pipe, or a file that grows, doubles it as it goes. */
	struct stat st;
	size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
			 ? (size_t)st.st_size + 1
			 : 65536;
	char *buf = xmalloc(cap + 1);
	size_t n = 0;
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	/* A buffer grown by doubling may be half empty; the caller may keep
	 * it a long time (as sb_detach trims). */
	if (cap > n + n / 4 + 64)
		buf = xrealloc(buf, n + 1);
	*len = n;
	return buf;
}

char *read_file_st(const char *path, size_t *len, struct stat *st)
{
	int fd = open_regular(path, st);
	if (fd < 0)
		return NULL;
	char *data = read_fd(fd, len);
	int e = errno;
	close(fd);
	errno = e;
	return data;
}

char *read_file(const char *path, size_t *len)
{
	struct stat st;
	return read_file_st(path, len, &st);
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		sb_release(&tmp);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		left -= (size_t)n;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp.buf, path) < 0) {
		fd = -1;
		goto fail;
	}
	sb_release(&tmp);
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
	sb_release(&tmp);
	errno = e;
	return -1;
}

char *path_join(const char *dir, const char *name)
{
	if (!dir || !*dir || name[0] == '/')
		return xstrdup(name);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, dir);
	if (sb.buf[sb.len - 1] != '/')
		sb_addc(&sb, '/');
	sb_adds(&sb, name);
	return sb_detach(&sb, NULL);
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* ===== UTF-8 =========================================================== */

int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return -1;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	uint32_t v, min;
	if ((c & 0xE0) == 0xC0) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)len > n)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	return len;
}

int utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
