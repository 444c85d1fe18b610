/*
 * compose.c - the book into pages.
 *
 * Each part is first set as a vertical list of lines (struct vline), each
 * holding its drawing operations relative to its own baseline; the page
 * builder then stacks lines onto pages. Paragraphs go through the
 * Knuth-Plass breaker in linebreak.c.
 */
#include "layout-int.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ===== vertical list =================================================== */

/* Gives back the room l->ops grew into and does not use: a part's lines
 * all wait for its pages, and doubling leaves a third of it empty. */
static void trim_ops(struct vline *l)
{
	if (l->ops_cap == l->nops)
		return;
	if (l->nops) {
		l->ops = xrealloc(l->ops, l->nops * sizeof(*l->ops));
	} else {
		free(l->ops);
		l->ops = NULL;
	}
	l->ops_cap = l->nops;
}

struct vline *cp_new_line(struct composer *c, double advance, double space)
{
	if (c->nlines)
		trim_ops(&c->lines[c->nlines - 1]); /* done with, as a rule */
	GROW(c->lines, c->lines_cap, c->nlines + 1);
	struct vline *l = &c->lines[c->nlines++];
	memset(l, 0, sizeof(*l));
	l->advance = advance;
	l->space = space;
	l->depth = advance * 0.3;
	l->info = -1;
	l->block = c->cur_block;
	return l;
}

void cp_add_op(struct vline *l, struct op op)
{
	GROW(l->ops, l->ops_cap, l->nops + 1);
	l->ops[l->nops++] = op;
}

/* Draws a shaped word's pieces at x on the line. */
void cp_add_word(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
		 double x, double dy)
{
	cp_add_word_scaled(l, w, face, size, x, dy, 1);
}

void cp_add_word_scaled(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
			double x, double dy, double hscale)
{
	for (size_t i = 0; i < w->npieces; i++) {
		(void)face; /* each piece says its own: a fallback font's, or face */
		struct op op = {.kind = OP_TEXT, .face = w->pieces[i].face, .size = size,
				.x = x + w->pieces[i].x * size / 1000 * hscale, .dy = dy,
				.text = w->pieces[i].text, .len = (uint32_t)w->pieces[i].len,
				.hscale = (float)hscale, .note = -1};
		cp_add_op(l, op);
	}
}

double cp_word_width(const struct tx_word *w, double size)
{
	return w->width * size / 1000;
}

void cp_free_lines(struct composer *c, size_t from)
{
	for (size_t i = from; i < c->nlines; i++) {
		free(c->lines[i].ops);
		free(c->lines[i].more_info);
		free(c->lines[i].notes);
	}
	c->nlines = from;
}

static enum tx_face face_of(unsigned style, enum tx_face base)
{
	if (style & BK_CODE)
		return TX_MONO;
	bool it = (style & BK_EM) != 0, bold = (style & BK_STRONG) != 0;
	if (base == TX_ITALIC)
		it = !it; /* emphasis inside italic text is roman */
	if (base == TX_BOLD)
		bold = true;
	if (bold)
		return it ? TX_BOLD_ITALIC : TX_BOLD;
	return it ? TX_ITALIC : TX_REGULAR;
}

/* ===== paragraphs into items =========================================== */

/*
 * A paragraph becomes Knuth and Plass's item list: a box for each word or
 * piece of one (its width; with font expansion, a stretch and shrink of
 * its own), glue for each interword space (natural width, stretch,
 * shrink), and penalties for the other legal breakpoints - a flagged
 * penalty with the hyphen's width at each discretionary hyphen, a flagged
 * one of zero width after an explicit hyphen or dash (both as the paper
 * has them), unflagged ones inside web addresses. It ends as the paper's paragraphs do: a penalty of +infinity
 * (no break before the end), the finishing glue (\parfillskip) and a
 * penalty of -infinity (the forced break).
 */

/* What a box draws; items[i] and content[i] correspond. The pointers and
 * doubles first, then the small fields, so that no padding is wasted: a
 * long paragraph holds one per item (56 bytes). */
struct content {
	const struct tx_word *word;
	const struct bk_span *span; /* where the box's text comes from */
	size_t off;
	double size, rise;
	enum tx_face face;
	int link;
	int line; /* source line */
	int note; /* a footnote reference: index into part->notes, else -1 */
};

struct para {
	struct lb_item *items;
	struct content *content;
	size_t n, cap, ccap;
	int line; /* source line of the span being added */
	double expand; /* how far words may be expanded or condensed (0.02 = 2%) */
	double width;  /* the measure its lines are broken to */
	struct tx_hyph *hyph; /* where discretionary hyphens come from; NULL for
			       * none (TeX's first pass) */
	uint32_t missing[8]; /* characters no font has, for one warning */
	int nmissing, miss_line, miss_col;
	const struct bk_span *span; /* the span being added */
	const char *src; /* where in span->text the next box starts */
};

static void push(struct para *p, struct lb_item it, struct content ct)
{
	GROW(p->items, p->cap, p->n + 1);
	GROW(p->content, p->ccap, p->n + 1);
	ct.line = p->line;
	if (it.kind != LB_BOX || !ct.word)
		ct.note = -1;
	ct.span = p->span;
	ct.off = p->span && p->src && p->src >= p->span->text &&
				 p->src <= p->span->text + p->span->len
			 ? (size_t)(p->src - p->span->text)
			 : 0;
	p->items[p->n] = it;
	p->content[p->n++] = ct;
}

static void push_box(struct para *p, const struct tx_word *w, enum tx_face face, double size,
		     double rise, int link)
{
	double wd = cp_word_width(w, size);
	/* Font expansion (microtype's): a word may be set up to EXPAND wider
	 * or narrower, so that spacing need not carry the whole adjustment. */
	double e = p->expand && face != TX_MONO ? wd * p->expand : 0;
	struct lb_item it = {LB_BOX, wd, e, e, 0, false};
	struct content ct = {.word = w, .face = face, .size = size, .rise = rise, .link = link,
			     .note = -1};
	push(p, it, ct);
}

static void push_glue(struct composer *c, struct para *p, enum tx_face face, double size,
		      bool ragged)
{
	/* Interword glue in Charis: a space with stretch 1/2 and shrink 1/3
	 * of itself, close to TeX's values for a book face. */
	double w = c->space_w[face] * size / 1000;
	struct content none = {0};
	if (ragged) {
		/* Ragged right: stretch at line ends only (TeX's \raggedright
		 * as glue, penalty, glue), spaces stay natural. */
		push(p, (struct lb_item){LB_GLUE, 0, 3 * size, 0, 0, false}, none);
		push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, 0, false}, none);
		push(p, (struct lb_item){LB_GLUE, w, -3 * size, 0, 0, false}, none);
		return;
	}
	push(p, (struct lb_item){LB_GLUE, w, w / 2, w / 3, 0, false}, none);
}

/* Characters after which a line may break without a hyphen being added:
 * a hyphen, an en dash, an em dash, a slash. */
static size_t break_after(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '-' || s[i] == '/')
			return i + 1;
		if (i + 3 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
			return i + 3;
	}
	return 0;
}

/* Web and mail addresses: long, and broken only at their own punctuation. */
static bool is_url(const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (!memcmp(s + i, "://", 3))
			return true;
	if (n > 4 && !memcmp(s, "www.", 4))
		return true;
	return memchr(s, '@', n) && memchr(s, '.', n);
}

/* Remembers characters no font has, and where the first of them is. */
static void note_missing(struct para *p, const struct tx_word *w, const char *s)
{
	if (!p->nmissing && p->span) {
		/* Its column: the span's, plus the characters before it. */
		const char *at = s + w->first_missing_at;
		int col = p->span->col;
		for (const char *q = p->span->text; q < at && q < p->span->text + p->span->len; q++)
			if (((unsigned char)*q & 0xC0) != 0x80)
				col++;
		p->miss_line = p->span->line;
		p->miss_col = col;
	}
	for (int i = 0; i < w->missing && i < 8; i++) {
		bool seen = false;
		for (int k = 0; k < p->nmissing; k++)
			seen |= p->missing[k] == w->missing_cp[i];
		if (!seen && p->nmissing < 8)
			p->missing[p->nmissing++] = w->missing_cp[i];
	}
}

/* One warning per paragraph for the characters no font has. */
static void warn_missing(struct composer *c, const struct para *p)
{
	if (!p->nmissing || !c->part)
		return;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < p->nmissing; i++) {
		char u[5] = {0};
		utf8_encode(p->missing[i], u);
		sb_addf(&sb, "%s'%s' (U+%04X)", i ? ", " : "", u, (unsigned)p->missing[i]);
	}
	diag_warning(c->d, c->part->path, p->miss_line, p->miss_col,
		     "no font has %s; %s printed as '?'", sb.buf,
		     p->nmissing == 1 ? "it is" : "they are");
	sb_release(&sb);
}

/*
 * A box for one unbreakable piece of a word. A piece wider than the line
 * itself (a 200 KB "word", a long identifier) would overflow whatever the
 * breaker did, so it is cut between characters instead, with no hyphen:
 * ugly, but inside the measure, and only where nothing else could work.
 */
static void add_piece(struct composer *c, struct para *p, const char *s, size_t n,
		      enum tx_face face, double size, double rise, int link)
{
	const struct tx_word *w = tx_shape(c->f, face, s, n);
	p->src = s;
	if (w->missing)
		note_missing(p, w, s);
	if (cp_word_width(w, size) <= p->width || n <= 1) {
		push_box(p, w, face, size, rise, link);
		return;
	}
	size_t i = 0;
	while (i < n) {
		/* Take as many characters as fit in a third of the line. */
		size_t j = i, good = i;
		while (j < n) {
			uint32_t cp;
			int m = utf8_decode((const unsigned char *)s + j, n - j, &cp);
			j += m > 0 ? (size_t)m : 1;
			if (good > i &&
			    cp_word_width(tx_shape(c->f, face, s + i, j - i), size) > p->width / 3)
				break;
			good = j;
		}
		p->src = s + i;
		push_box(p, tx_shape(c->f, face, s + i, good - i), face, size, rise, link);
		i = good;
		if (i < n) {
			struct content none = {0};
			push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, 1000, false}, none);
		}
	}
}

/* A URL may break after '/', '.', '-', '_', '?', '&', '=' or '@', with no
 * hyphen added (a hyphen would read as part of the address). */
static void add_url(struct composer *c, struct para *p, const char *s, size_t n,
		    enum tx_face face, double size, double rise, int link)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		bool cut = strchr("/.-_?&=@", s[i]) && i + 1 < n && s[i + 1] != '/';
		if (!cut)
			continue;
		add_piece(c, p, s + from, i + 1 - from, face, size, rise, link);
		struct content none = {0};
		push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, 200, false}, none);
		from = i + 1;
	}
	if (from < n)
		add_piece(c, p, s + from, n - from, face, size, rise, link);
}

/* Appends text in one face: words as boxes, spaces as glue, explicit
 * hyphens and dashes as flagged penalties. */
static void add_text(struct composer *c, struct para *p, const char *s, size_t n,
		     enum tx_face face, double size, double rise, int link, bool ragged)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t') {
			/* One glue for any run of spaces; none at a paragraph start. */
			while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
				i++;
			if (p->n && p->items[p->n - 1].kind == LB_BOX) {
				/* A spaced dash stays with the word before it: a
				 * line never starts with "– " (British style). */
				if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
				    (unsigned char)s[i + 1] == 0x80 &&
				    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
					struct content none = {0};
					push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, LB_INFINITY, false},
					     none);
				}
				push_glue(c, p, face, size, ragged);
			}
			continue;
		}
		size_t j = i;
		while (j < n && s[j] != ' ' && s[j] != '\n' && s[j] != '\t')
			j++;
		/* Split the word after its own hyphens and dashes; a word that
		 * has none may take discretionary hyphens from the patterns. */
		size_t pts[32], np = 0;
		bool compound = false;
		for (size_t q = i; q < j; q++)
			compound |= s[q] == '-' || s[q] == '/' || (unsigned char)s[q] == 0xE2;
		if (!compound && face != TX_MONO && p->hyph)
			np = tx_hyphenate(p->hyph, s + i, j - i, pts, ARRAY_LEN(pts));
		if (np) {
			double hw = cp_word_width(tx_shape(c->f, face, "-", 1), size);
			size_t from = i;
			for (size_t q = 0; q <= np; q++) {
				size_t to = q < np ? i + pts[q] : j;
				add_piece(c, p, s + from, to - from, face, size, rise, link);
				if (q < np) {
					struct content none = {0};
					push(p, (struct lb_item){LB_PENALTY, hw, 0, 0, 50, true}, none);
				}
				from = to;
			}
			i = j;
			continue;
		}
		if (is_url(s + i, j - i)) {
			add_url(c, p, s + i, j - i, face, size, rise, link);
			i = j;
			continue;
		}
		if (tx_needs_uax14(s + i, j - i)) {
			/* Chinese, Japanese: breaks between characters by UAX #14,
			 * each a little glue so that a line can be justified. */
			size_t bk[256];
			size_t nb = tx_line_breaks(s + i, j - i, c->b->meta.language, bk, ARRAY_LEN(bk));
			size_t from = i;
			for (size_t q = 0; q <= nb; q++) {
				size_t to = q < nb ? i + bk[q] : j;
				if (to <= from)
					continue;
				add_piece(c, p, s + from, to - from, face, size, rise, link);
				if (q < nb) {
					struct content none = {0};
					push(p, (struct lb_item){LB_GLUE, 0, size * 0.1, 0, 0, false}, none);
				}
				from = to;
			}
			i = j;
			continue;
		}
		size_t k = i;
		while (k < j) {
			size_t cut = break_after(s + k, j - k);
			size_t end = cut ? k + cut : j;
			add_piece(c, p, s + k, end - k, face, size, rise, link);
			if (cut) {
				struct content none = {0};
				push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, 50, true}, none);
			}
			k = end;
		}
		i = j;
	}
}

/* The items of spans (see above) into p: boxes, glue and penalties, with
 * content[i] saying what box i draws. The first line starts with a box of
 * width indent (\parindent); ragged (or centred) text gets TeX's ragged
 * glue. Grows p->items and p->content (malloc'd; the caller frees). */
static void build_items(struct composer *c, struct para *p, const struct bk_span *spans,
			size_t n, enum tx_face base, double size, double indent, bool ragged)
{
	p->line = n ? spans[0].line : 0;
	if (indent > 0) {
		struct content none = {0};
		push(p, (struct lb_item){LB_BOX, indent, 0, 0, 0, false}, none);
	}
	for (size_t i = 0; i < n; i++) {
		const struct bk_span *sp = &spans[i];
		enum tx_face face = face_of(sp->style, base);
		p->line = sp->line;
		p->span = sp->kind == BK_SPAN_TEXT ? sp : NULL;
		p->src = NULL;
		switch (sp->kind) {
		case BK_SPAN_TEXT:
		case BK_SPAN_IMAGE:
			/* A monospace face looks large beside a book face: set it
			 * to about the text's x-height. */
			add_text(c, p, sp->text, sp->len, face, face == TX_MONO ? size * 0.88 : size,
				 0, sp->link, ragged);
			break;
		case BK_SPAN_NOTEREF: {
			/* A superior figure: smaller, raised, glued to its word. */
			char num[16];
			int len = snprintf(num, sizeof(num), "%d", sp->note + 1);
			push_box(p, tx_shape(c->f, TX_REGULAR, num, (size_t)len), TX_REGULAR,
				 size * 0.62, size * 0.36, -1);
			p->content[p->n - 1].note = sp->note;
			break;
		}
		case BK_SPAN_BREAK: {
			struct content none = {0};
			push(p, (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false}, none);
			push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, -LB_INFINITY, false}, none);
			break;
		}
		}
	}
	/* Trailing glue goes; the paragraph ends with \parfillskip and a
	 * forced break. */
	while (p->n && p->items[p->n - 1].kind != LB_BOX)
		p->n--;
	struct content none = {0};
	push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, LB_INFINITY, false}, none);
	push(p, (struct lb_item){LB_GLUE, 0, 1e5, 0, 0, false}, none);
	push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, -LB_INFINITY, false}, none);
	/* A long paragraph's items stay while its lines are made: give back
	 * the room doubling left over (up to half of it). */
	if (p->cap > p->n + p->n / 8) {
		p->items = xrealloc(p->items, p->n * sizeof(*p->items));
		p->content = xrealloc(p->content, p->n * sizeof(*p->content));
		p->cap = p->ccap = p->n;
	}
}

/* How far a word's outer character hangs into the margin, in points:
 * microtype's defaults for a book face, as fractions of the glyph. */
static double protrusion(struct composer *c, const struct tx_word *w, enum tx_face face,
			 double size, bool right)
{
	if (!w->npieces)
		return 0;
	const struct tx_piece *pc = &w->pieces[right ? w->npieces - 1 : 0];
	const unsigned char *s = (const unsigned char *)pc->text;
	size_t n = pc->len, at = 0;
	if (right) {
		at = n - 1;
		while (at > 0 && (s[at] & 0xC0) == 0x80)
			at--;
	}
	uint32_t cp;
	int m = utf8_decode(s + at, n - at, &cp);
	if (m < 0)
		return 0;
	static const struct {
		uint32_t cp;
		double left, right;
	} table[] = {
		{'.', 0, 0.7},      {',', 0, 0.7},      {':', 0, 0.5},     {';', 0, 0.5},
		{'-', 0, 0.7},      {'!', 0, 0.2},      {'?', 0, 0.2},     {0x2013, 0, 0.3},
		{0x2014, 0, 0.2},   {0x2019, 0, 0.7},   {0x201D, 0, 0.5},  {0x2018, 0.7, 0},
		{0x201C, 0.5, 0},   {'\'', 0.7, 0.7},   {'"', 0.5, 0.5},   {')', 0, 0.2},
		{'(', 0.2, 0},
	};
	for (size_t i = 0; i < ARRAY_LEN(table); i++) {
		if (table[i].cp != cp)
			continue;
		double f = right ? table[i].right : table[i].left;
		if (f == 0)
			return 0;
		return f * cp_word_width(tx_shape(c->f, face, (const char *)s + at, (size_t)m), size);
	}
	return 0;
}

/* The text of a line for the report: ligatures spelt out. Arena-owned. */
static const char *line_text(struct composer *c, const struct para *p, size_t start, size_t end,
			     bool hyphen)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t k = start; k < end; k++) {
		if (p->items[k].kind == LB_GLUE && sb.len && sb.buf[sb.len - 1] != ' ')
			sb_addc(&sb, ' ');
		if (p->items[k].kind != LB_BOX || !p->content[k].word)
			continue;
		const struct tx_word *w = p->content[k].word;
		for (size_t i = 0; i < w->npieces; i++) {
			const char *t = w->pieces[i].text;
			for (size_t j = 0; j < w->pieces[i].len; j++) {
				static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl"};
				unsigned char b = (unsigned char)t[j];
				uint32_t cp;
				if (b == 0xF3 && utf8_decode((const unsigned char *)t + j,
							     w->pieces[i].len - j, &cp) == 4 &&
				    cp >= TX_GLYPH_BASE) {
					/* a glyph by its number: what it stands for */
					const char *gt = tx_glyph_text(c->f, w->pieces[i].face,
								       cp - TX_GLYPH_BASE);
					sb_adds(&sb, gt ? gt : "");
					j += 3;
				} else if (b == 0xEF && j + 2 < w->pieces[i].len &&
				    (unsigned char)t[j + 1] == 0xAC && (unsigned char)t[j + 2] <= 0x84) {
					sb_adds(&sb, lig[(unsigned char)t[j + 2] - 0x80]);
					j += 2;
				} else {
					sb_addc(&sb, (char)b);
				}
			}
		}
	}
	if (hyphen)
		sb_addc(&sb, '-');
	const char *r = ar_strndup(&c->doc->arena, sb.buf, sb.len);
	sb_release(&sb);
	return r;
}

/* Optical margins, known to the breaker so that it can use them: how
 * far each breakpoint's neighbours may hang into the margins. The arrays
 * (NULL when the paragraph does not protrude) are in c->scratch. */
static void margins(struct composer *c, const struct para *pp, bool justify,
		    struct lb_params *prm, double **right, double **left)
{
	const struct para p = *pp;
	double *hang_r = NULL, *hang_l = NULL;
	if (justify && c->st->protrusion) {
		hang_r = ar_alloc(&c->scratch, p.n * sizeof(double));
		hang_l = ar_alloc(&c->scratch, p.n * sizeof(double));
		for (size_t i = 1; i < p.n; i++) {
			const struct lb_item *it = &p.items[i];
			if (it->kind == LB_BOX)
				continue;
			const struct content *prev = &p.content[i - 1];
			if (it->kind == LB_PENALTY && it->width > 0 && prev->word)
				hang_r[i] = protrusion(c, tx_shape(c->f, prev->face, "-", 1), prev->face,
						       prev->size, true);
			else if (p.items[i - 1].kind == LB_BOX && prev->word)
				hang_r[i] = protrusion(c, prev->word, prev->face, prev->size, true);
			size_t k = i + 1;
			while (k < p.n && p.items[k].kind != LB_BOX)
				k++;
			if (k < p.n && p.content[k].word)
				hang_l[i] = protrusion(c, p.content[k].word, p.content[k].face,
						       p.content[k].size, false);
		}
		prm->hang_right = hang_r;
		prm->hang_left = hang_l;
	}
	*right = hang_r;
	*left = hang_l;
}

/* ===== paragraphs into lines =========================================== */

/* What one paragraph is set from, and where: its spans, its type, and the
 * measure (hsize) and left edge of its lines. */
struct para_shape {
	const struct bk_span *spans;
	size_t n;
	enum tx_face base;   /* the face its plain text is set in */
	double size;         /* type size */
	double leading;      /* baseline to baseline */
	double x0, width;    /* left edge and measure */
	double indent;       /* the first line's indent (a box of this width) */
	bool ragged, centre; /* not justified: set at the glue's natural width */
	double first_space;  /* extra space above the first line */
};

/* One paragraph broken into lines: its items, the breaker's result
 * (malloc'd; broken_release), and how far each breakpoint's neighbours
 * hang into the margins (NULL when the paragraph does not protrude; in
 * the composer's scratch arena, released after each paragraph). */
struct broken {
	struct para p;
	struct lb_result res;
	double *hang_r, *hang_l;
	bool justify;
};

static void broken_release(struct broken *bp)
{
	lb_result_release(&bp->res);
	free(bp->p.items);
	free(bp->p.content);
}

/*
 * Breaks the paragraph into lines as TeX does, in passes: first without
 * hyphenation at \pretolerance (adjustment ratio r <= 1), then with
 * hyphenation at \tolerance, then looser, then an emergency pass that
 * allows overfull lines. Returns false (bp empty) for a paragraph with
 * nothing to set.
 */
static bool break_para(struct composer *c, const struct para_shape *ps, struct broken *bp)
{
	struct para *p = &bp->p;
	*bp = (struct broken){0};
	double expand = !ps->ragged && !ps->centre && c->st->expansion > 0 ? c->st->expansion : 0;
	bool free_shape = ps->ragged || ps->centre;
	p->expand = expand;
	p->width = ps->width;
	bp->justify = !ps->ragged && !ps->centre;
	/* TeX's first pass sets the words whole, as in the source: no
	 * hyphenation points, so no ligature is cut at one, and the
	 * patterns are not consulted for the paragraphs (most) that need
	 * none. */
	p->hyph = NULL;
	build_items(c, p, ps->spans, ps->n, ps->base, ps->size, ps->indent, free_shape);
	warn_missing(c, p);
	if (p->n <= 3) {
		free(p->items);
		free(p->content);
		*bp = (struct broken){0};
		return false;
	}
	struct lb_params prm = c->params;
	margins(c, p, bp->justify, &prm, &bp->hang_r, &bp->hang_l);
	prm.hyphenate = false;
	prm.tolerance = 1;
	int rc = lb_break(p->items, p->n, ps->width, &prm, &bp->res);
	if (rc < 0 && c->hyph) {
		/* The words again, with their hyphenation points. */
		free(p->items);
		free(p->content);
		ar_release(&c->scratch); /* the first pass's margins */
		*p = (struct para){.expand = expand, .width = ps->width, .hyph = c->hyph};
		build_items(c, p, ps->spans, ps->n, ps->base, ps->size, ps->indent, free_shape);
		prm = c->params;
		margins(c, p, bp->justify, &prm, &bp->hang_r, &bp->hang_l);
	}
	prm.hyphenate = true;
	prm.tolerance = c->params.tolerance;
	if (rc < 0 && lb_break(p->items, p->n, ps->width, &prm, &bp->res) < 0) {
		prm.tolerance = 10; /* looser lines before none */
		if (lb_break(p->items, p->n, ps->width, &prm, &bp->res) < 0) {
			prm.emergency = true;
			prm.tolerance = 1e9;
			lb_break(p->items, p->n, ps->width, &prm, &bp->res);
		}
	}
	assert(bp->res.nlines > 0 && bp->res.breaks[bp->res.nlines - 1] == p->n - 1);
	return true;
}

/* One line as broken: items [start, end), end its breakpoint, and how it
 * is set - the glue's adjustment ratio r and the boxes' (font expansion)
 * er, both in [-1, 1] unless the line is overfull or loose. */
struct line_fit {
	size_t start, end;
	bool hyphen, last;
	double natural;         /* width at the glue's natural size */
	double stretch, shrink; /* of the glue */
	double bstretch, bshrink; /* of the boxes (expansion) */
	double left, right;     /* what hangs into each margin */
	double target;          /* the width to fill: the measure plus the hangs */
	double r, er;
};

/* Measures line li and finds its adjustment ratios. */
static void fit_line(const struct para_shape *ps, const struct broken *bp, size_t li,
		     struct line_fit *lf)
{
	const struct para *p = &bp->p;
	size_t start = lf->start, end = lf->end;
	double natural = 0, stretch = 0, shrink = 0, bstretch = 0, bshrink = 0;
	for (size_t k = start; k < end; k++) {
		const struct lb_item *it = &p->items[k];
		if (it->kind != LB_PENALTY)
			natural += it->width;
		if (it->kind == LB_GLUE) {
			stretch += it->stretch;
			shrink += it->shrink;
		} else if (it->kind == LB_BOX) {
			bstretch += it->stretch;
			bshrink += it->shrink;
		}
	}
	/* A break at a penalty with width (a discretionary hyphen) adds it. */
	lf->hyphen = p->items[end].kind == LB_PENALTY && p->items[end].width > 0;
	if (lf->hyphen)
		natural += p->items[end].width;
	lf->last = li + 1 == bp->res.nlines;
	/* Optical margin alignment: punctuation at either end of a line
	 * hangs into the margin by part of its width (pdfTeX's
	 * protrusion); the breaker set the line that much wider. */
	lf->left = bp->hang_l && li > 0 ? bp->hang_l[bp->res.breaks[li - 1]] : 0;
	lf->right = bp->hang_r && !lf->last ? bp->hang_r[end] : 0;
	lf->target = ps->width + lf->left + lf->right;
	/* Share the adjustment between the words (expansion, at most
	 * their limit) and the spaces: er for boxes, r for glue. */
	double er = 0, r = 0;
	/* A last line is set at its natural spacing unless it is too
	 * long for that: then it shrinks as the breaker allowed. */
	if ((!lf->last || natural > lf->target) && bp->justify) {
		double d = lf->target - natural;
		double gs = d >= 0 ? stretch : shrink, bs = d >= 0 ? bstretch : bshrink;
		double all = gs + bs;
		double q = all > 0 ? d / all : 0;
		if (q > 1 || q < -1) {
			er = q > 0 ? 1 : -1;
			r = gs > 0 ? (d - er * bs) / gs : 0;
		} else {
			er = q;
			r = q;
		}
	}
	lf->natural = natural;
	lf->stretch = stretch;
	lf->shrink = shrink;
	lf->bstretch = bstretch;
	lf->bshrink = bshrink;
	lf->r = r;
	lf->er = er;
}

/* Counts line li and, unless the doc is lean, keeps its record for the
 * report (struct pg_line), pointing l at it. */
static void record_line(struct composer *c, const struct para_shape *ps, const struct broken *bp,
			size_t li, const struct line_fit *lf, struct vline *l)
{
	const struct para *p = &bp->p;
	bool justify = bp->justify;
	bool overfull = lf->natural - (justify ? lf->shrink + lf->bshrink : 0) > lf->target + 0.01;
	if (overfull)
		c->doc->overfull++;
	c->doc->lines++;
	if (c->doc->lean)
		return;
	GROW(c->doc->linev, c->doc->linev_cap, c->doc->nlinev + 1);
	l->info = (long)c->doc->nlinev;
	c->doc->linev[c->doc->nlinev++] = (struct pg_line){
		c->part ? c->part->path : NULL,
		p->content[lf->start].line,
		-1,
		!justify || (lf->last && lf->r >= 0) ? 0 : lf->r,
		(p->items[lf->end].kind == LB_PENALTY && p->items[lf->end].flagged),
		overfull,
		justify && !lf->last,
		line_text(c, p, lf->start, lf->end, lf->hyphen),
		ps->x0 - lf->left, 0, ps->x0 + ps->width + lf->right, 0,
		c->para_serial, (int)li, (int)bp->res.nlines, c->in_note,
	};
}

/* Draws the line's boxes onto l: each word at its place, the glue between
 * set at ratio r, the words scaled by er, and a hyphen at a flagged break. */
static void draw_line(struct composer *c, const struct para_shape *ps, const struct broken *bp,
		      const struct line_fit *lf, struct vline *l)
{
	const struct para *p = &bp->p;
	double size = ps->size, r = lf->r, er = lf->er;
	double x = ps->x0 - lf->left;
	if (ps->centre)
		x = ps->x0 + (ps->width - lf->natural) / 2;
	/* Right-to-left text: the boxes, to be put in visual order (bidi.c). */
	struct cp_bidi_box *bx = NULL;
	size_t nbx = 0, bxcap = 0;
	bool bidi = false;
	for (size_t k = lf->start; k < lf->end && !bidi; k++)
		bidi = p->content[k].word && p->content[k].word->rtl;
	bool rtl = cp_para_rtl(ps->spans, ps->n);
	bidi |= rtl;
	for (size_t k = lf->start; k < lf->end; k++) {
		const struct lb_item *it = &p->items[k];
		if (it->kind == LB_BOX) {
			const struct content *ct = &p->content[k];
			if (bidi && ct->word) {
				GROW(bx, bxcap, nbx + 1);
				bx[nbx++] = (struct cp_bidi_box){.op0 = l->nops, .x = x, .dir = ct->word->dir};
			}
			/* An expanded word is drawn horizontally scaled. */
			double hs = it->width > 0 ? 1 + er * (er >= 0 ? it->stretch : it->shrink) /
								  it->width
						  : 1;
			if (ct->word && ct->note >= 0) {
				/* The reference mark links to its note. */
				struct op op = {.kind = OP_LINK, .x = x - 1, .dy = -1,
						.w = it->width + 2, .h = size, .note = ct->note};
				cp_add_op(l, op);
			}
			if (ct->word) {
				cp_add_word_scaled(l, ct->word, ct->face, ct->size, x, ct->rise, hs);
				if (ct->link >= 0 && c->part) {
					struct op op = {.kind = OP_LINK, .x = x,
							.dy = -size * 0.25, .w = it->width,
							.h = size * 1.0,
							.url = c->part->links[ct->link],
							.note = -1};
					cp_add_op(l, op);
				}
			}
			if (bidi && ct->word) {
				bx[nbx - 1].op1 = l->nops;
				bx[nbx - 1].w = it->width * hs;
			}
			x += it->width * hs;
		} else if (it->kind == LB_GLUE) {
			double w = it->width;
			if (bp->justify && (!lf->last || r < 0))
				w += r >= 0 ? r * it->stretch : r * it->shrink;
			x += w;
		}
	}
	/* A break at a flagged penalty with width draws its hyphen. */
	if (lf->hyphen) {
		const struct content *prev = &p->content[lf->end - 1];
		enum tx_face hf = prev->word ? prev->face : ps->base;
		double hs = prev->word ? prev->size : size;
		cp_add_word(l, tx_shape(c->f, hf, "-", 1), hf, hs, x, 0);
	}
	if (bidi)
		cp_bidi_line(l, bx, nbx, rtl, ps->x0 - lf->left, ps->x0 + lf->target - lf->left);
	free(bx);
}

/*
 * Sets a paragraph (see struct para_shape) and adds its lines to the
 * vertical list. Returns the number of lines, 0 for an empty paragraph.
 */
static size_t set_para(struct composer *c, const struct para_shape *ps)
{
	struct broken bp;
	if (!break_para(c, ps, &bp))
		return 0;
	const struct para *p = &bp.p;
	size_t start = 0;
	for (size_t li = 0; li < bp.res.nlines; li++) {
		struct line_fit lf = {.end = bp.res.breaks[li]};
		/* Skip the discardable items (glue, penalties) at the start of
		 * a line, as the paper's breaks do. */
		while (start < lf.end && p->items[start].kind != LB_BOX)
			start++;
		lf.start = start;
		struct vline *l = cp_new_line(c, ps->leading, li == 0 ? ps->first_space : 0);
		fit_line(ps, &bp, li, &lf);
		record_line(c, ps, &bp, li, &lf, l);
		l->grid = fabs(ps->leading - c->st->body_leading) < 0.01;
		for (size_t k = start; k < lf.end; k++) {
			const struct content *ct = &p->content[k];
			if (p->items[k].kind == LB_BOX && ct->word && !l->span && ct->span) {
				l->span = ct->span;
				l->span_off = ct->off;
			}
			if (ct->note >= 0) {
				l->notes = xrealloc(l->notes, (l->nnotes + 1) * sizeof(int));
				l->notes[l->nnotes++] = ct->note;
			}
		}
		draw_line(c, ps, &bp, &lf, l);
		if (p->items[lf.end].kind == LB_PENALTY && p->items[lf.end].flagged)
			c->doc->hyphenated++;
		start = lf.end + 1;
	}
	size_t nl = bp.res.nlines;
	c->para_serial++;
	/* No orphan (a first line alone at a page foot) and no widow (a last
	 * line alone at a page head): tie the first two and last two lines. */
	if (nl >= 2) {
		c->lines[c->nlines - nl].keep_next = true;
		c->lines[c->nlines - 2].keep_next = true;
	}
	broken_release(&bp);
	ar_release(&c->scratch);
	return nl;
}

/* ===== blocks ========================================================== */

struct ctx {
	double x0, width; /* left edge and measure */
	bool indent_next; /* indent the next paragraph's first line */
	double space;     /* space owed before the next block */
	double size, leading; /* type size for paragraphs (notes are smaller) */
};

static void set_blocks(struct composer *c, const struct bk_block *blocks, size_t n,
		       struct ctx *cx);

static double body(const struct composer *c)
{
	return c->st->body_leading;
}

static void heading(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	double size = b->level <= 2 ? c->st->h2_size : c->st->h3_size;
	enum tx_face face = b->level <= 2 ? TX_BOLD : TX_ITALIC;
	double lead = body(c); /* headings keep to the baseline grid */
	size_t first = c->nlines;
	size_t n = set_para(c, &(struct para_shape){b->spans, b->nspans, face, size, lead, cx->x0,
						      cx->width, 0, true, false, cx->space + body(c)});
	if (n) {
		c->lines[first].outline = bk_spans_text(&c->doc->arena, b->spans, b->nspans);
		c->lines[first].outline_level = 2;
		/* Keep the heading with at least two lines of what follows. */
		for (size_t i = first; i < c->nlines; i++)
			c->lines[i].keep_next = true;
	}
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

static void list(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	double ind = c->st->quote_indent;
	int num = b->flags & BK_ORDERED ? b->level : 0;
	for (size_t i = 0; i < b->nkids; i++) {
		const struct bk_block *item = &b->kids[i];
		struct ctx in = {cx->x0 + ind, cx->width - ind, false,
				 i == 0 ? cx->space : 0,
				 cx->size, cx->leading};
		size_t first = c->nlines;
		set_blocks(c, item->kids, item->nkids, &in);
		if (c->nlines > first) {
			char mark[24];
			if (b->flags & BK_ORDERED)
				snprintf(mark, sizeof(mark), "%d.", num++);
			else
				snprintf(mark, sizeof(mark), "\xE2\x80\xA2"); /* bullet */
			const struct tx_word *w = tx_shape(c->f, TX_REGULAR, mark, strlen(mark));
			double mw = cp_word_width(w, cx->size);
			cp_add_word(&c->lines[first], w, TX_REGULAR, cx->size,
				 cx->x0 + ind - mw - cx->size * 0.5, 0);
		}
	}
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

static void table(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	int nc = b->ncols;
	if (nc <= 0 || !b->nkids)
		return;
	double size = c->st->body_size * 0.9, lead = c->st->body_leading * 0.9;
	double gap = size;
	/* Column widths from content, as HTML's automatic table layout does:
	 * each column's widest cell on one line (max) and its longest word
	 * (min). When the max widths fit, use them; otherwise give every
	 * column its min and share what is left in proportion to max - min. */
	/* The table's own arrays, per column, for as long as it is set. */
	struct arena tab;
	ar_init(&tab);
	double *nat = ar_alloc(&tab, (size_t)nc * sizeof(double));
	double *min = ar_alloc(&tab, (size_t)nc * sizeof(double));
	size_t *cstart = ar_alloc(&tab, (size_t)nc * sizeof(size_t));
	size_t *ccount = ar_alloc(&tab, (size_t)nc * sizeof(size_t));
	for (size_t r = 0; r < b->nkids; r++) {
		const struct bk_block *row = &b->kids[r];
		enum tx_face face = row->flags & BK_HEADER_ROW ? TX_BOLD : TX_REGULAR;
		for (size_t k = 0; k < row->nkids && (int)k < nc; k++) {
			const struct bk_block *cell = &row->kids[k];
			double w = 0;
			for (size_t s = 0; s < cell->nspans; s++) {
				const struct bk_span *sp = &cell->spans[s];
				if (sp->kind != BK_SPAN_TEXT)
					continue;
				enum tx_face f = face_of(sp->style, face);
				w += cp_word_width(tx_shape(c->f, f, sp->text, sp->len), size);
				for (size_t i = 0; i < sp->len;) {
					size_t j = i;
					while (j < sp->len && sp->text[j] != ' ')
						j++;
					double ww = cp_word_width(tx_shape(c->f, f, sp->text + i, j - i), size);
					if (ww > min[k])
						min[k] = ww;
					i = j + 1;
				}
			}
			if (w > nat[k])
				nat[k] = w;
		}
	}
	double avail = cx->width - gap * (nc - 1), sum_max = 0, sum_min = 0;
	for (int k = 0; k < nc; k++) {
		sum_max += nat[k];
		sum_min += min[k];
	}
	if (sum_max > avail) {
		double spare = avail - sum_min;
		for (int k = 0; k < nc; k++) {
			if (spare > 0 && sum_max > sum_min)
				nat[k] = min[k] + spare * (nat[k] - min[k]) / (sum_max - sum_min);
			else /* even the longest words do not fit: shrink all alike */
				nat[k] = min[k] * avail / sum_min;
		}
	}
	double tw = gap * (nc - 1);
	for (int k = 0; k < nc; k++)
		tw += nat[k];
	struct vline *top = cp_new_line(c, lead * 0.6, cx->space + body(c) * 0.5);
	cp_add_op(top, (struct op){.kind = OP_RULE, .x = cx->x0, .w = tw, .h = 0.5, .note = -1});
	top->keep_next = true;
	for (size_t r = 0; r < b->nkids; r++) {
		const struct bk_block *row = &b->kids[r];
		enum tx_face face = row->flags & BK_HEADER_ROW ? TX_BOLD : TX_REGULAR;
		/* Each cell is set ragged at its column width, then line i of
		 * every cell is merged into line i of the row. */
		size_t row_start = c->nlines;
		memset(cstart, 0, (size_t)nc * sizeof(size_t));
		memset(ccount, 0, (size_t)nc * sizeof(size_t));
		size_t maxl = 0;
		double x = cx->x0;
		for (size_t k = 0; k < row->nkids && (int)k < nc; k++) {
			const struct bk_block *cell = &row->kids[k];
			cstart[k] = c->nlines;
			ccount[k] = set_para(c, &(struct para_shape){cell->spans, cell->nspans, face, size,
							       lead, 0, nat[k], 0, true, false, 0});
			for (size_t i = 0; i < ccount[k]; i++) {
				struct vline *l = &c->lines[cstart[k] + i];
				double shift = x;
				if (b->aligns[k] == 'r' || b->aligns[k] == 'c') {
					double right = 0;
					for (size_t o = 0; o < l->nops; o++) {
						const struct op *op = &l->ops[o];
						if (op->kind != OP_TEXT)
							continue;
						double e = op->x + cp_word_width(tx_shape(c->f, op->face,
										       op->text,
										       op->len),
									      op->size);
						if (e > right)
							right = e;
					}
					shift += b->aligns[k] == 'r' ? nat[k] - right
								     : (nat[k] - right) / 2;
				}
				for (size_t o = 0; o < l->nops; o++)
					l->ops[o].x += shift;
			}
			if (ccount[k] > maxl)
				maxl = ccount[k];
			x += nat[k] + gap;
		}
		struct vline *merged = xcalloc(maxl ? maxl : 1, sizeof(*merged));
		for (size_t k = 0; k < row->nkids && (int)k < nc; k++) {
			for (size_t i = 0; i < ccount[k]; i++) {
				struct vline *l = &c->lines[cstart[k] + i];
				for (size_t o = 0; o < l->nops; o++)
					cp_add_op(&merged[i], l->ops[o]);
				if (l->info >= 0) {
					merged[i].more_info = xrealloc(merged[i].more_info,
						(merged[i].nmore_info + 1) * sizeof(long));
					merged[i].more_info[merged[i].nmore_info++] = l->info;
				}
				for (size_t q = 0; q < l->nnotes; q++) {
					merged[i].notes = xrealloc(merged[i].notes,
						(merged[i].nnotes + 1) * sizeof(int));
					merged[i].notes[merged[i].nnotes++] = l->notes[q];
				}
			}
		}
		cp_free_lines(c, row_start);
		for (size_t i = 0; i < maxl; i++) {
			struct vline *l = cp_new_line(c, lead, i == 0 ? lead * 0.15 : 0);
			l->ops = merged[i].ops;
			l->nops = merged[i].nops;
			l->ops_cap = merged[i].ops_cap;
			l->more_info = merged[i].more_info;
			l->nmore_info = merged[i].nmore_info;
			l->notes = merged[i].notes;
			l->nnotes = merged[i].nnotes;
			l->keep_next = i + 1 < maxl;
		}
		free(merged);
		if (row->flags & BK_HEADER_ROW) {
			struct vline *rl = cp_new_line(c, lead * 0.45, 0);
			cp_add_op(rl, (struct op){.kind = OP_RULE, .x = cx->x0, .w = tw, .h = 0.3,
						  .note = -1});
			rl->keep_next = true;
		}
	}
	struct vline *bot = cp_new_line(c, lead * 0.45, 0);
	cp_add_op(bot, (struct op){.kind = OP_RULE, .x = cx->x0, .w = tw, .h = 0.5, .note = -1});
	ar_release(&tab);
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

static void figure(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	const struct bk_image *img = b->img;
	double maxh = (c->st->page_h - c->st->margin_top - c->st->margin_bottom) * 0.6;
	double w = cx->width, h = w * img->height / img->width;
	if (h > maxh) {
		h = maxh;
		w = h * img->width / img->height;
	}
	/* Round the figure's depth up to whole lines to keep the grid. */
	double lines = ceil(h / body(c));
	struct vline *l = cp_new_line(c, lines * body(c), cx->space + body(c) * 0.5);
	l->depth = 0;
	cp_add_op(l, (struct op){.kind = OP_IMAGE, .x = cx->x0 + (cx->width - w) / 2,
				 .dy = (lines * body(c) - h) / 2, .w = w, .h = h, .img = img,
				 .note = -1});
	l->keep_next = true;
	const char *cap = img->title ? img->title : img->alt;
	if (cap && *cap) {
		struct bk_span sp = {BK_SPAN_TEXT, 0, cap, strlen(cap), -1, -1, NULL, b->line, b->col};
		set_para(c, &(struct para_shape){&sp, 1, TX_ITALIC, c->st->note_size,
					      c->st->note_leading, cx->x0, cx->width, 0, false,
					      true, body(c) * 0.25});
	}
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

static void code(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	double size = c->st->body_size * 0.85, lead = c->st->body_leading * 0.9;
	const char *s = b->text;
	bool first = true;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		struct vline *l = cp_new_line(c, lead, first ? cx->space + body(c) * 0.25 : 0);
		if (n)
			cp_add_word(l, tx_shape(c->f, TX_MONO, s, n), TX_MONO, size, cx->x0 + size, 0);
		first = false;
		s += n + (nl ? 1 : 0);
	}
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

static void set_blocks(struct composer *c, const struct bk_block *blocks, size_t n,
		       struct ctx *cx)
{
	const struct bk_style *st = c->st;
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &blocks[i];
		c->cur_block = b;
		switch (b->kind) {
		case BK_PARA:
			set_para(c, &(struct para_shape){b->spans, b->nspans, TX_REGULAR, cx->size,
						      cx->leading, cx->x0, cx->width,
						      cx->indent_next ? st->indent : 0,
						      !st->justify, false, cx->space});
			cx->space = 0;
			cx->indent_next = true;
			break;
		case BK_HEADING:
			heading(c, b, cx);
			break;
		case BK_QUOTE: {
			struct ctx in = {cx->x0 + st->quote_indent, cx->width - 2 * st->quote_indent,
					 false, cx->space + body(c) * 0.5, cx->size, cx->leading};
			set_blocks(c, b->kids, b->nkids, &in);
			cx->space = body(c) * 0.5;
			cx->indent_next = false;
			break;
		}
		case BK_LIST:
			list(c, b, cx);
			break;
		case BK_ITEM:
			set_blocks(c, b->kids, b->nkids, cx);
			break;
		case BK_CODE_BLOCK:
			code(c, b, cx);
			break;
		case BK_RULE: {
			struct vline *l = cp_new_line(c, body(c), cx->space + body(c) * 0.5);
			cp_add_op(l, (struct op){.kind = OP_RULE, .x = cx->x0 + cx->width * 0.4,
						 .dy = st->body_size * 0.3, .w = cx->width * 0.2,
						 .h = 0.4, .note = -1});
			cx->space = body(c) * 0.5;
			cx->indent_next = false;
			break;
		}
		case BK_TABLE:
			table(c, b, cx);
			break;
		case BK_FIGURE:
			figure(c, b, cx);
			break;
		case BK_ROW:
		case BK_CELL:
		case BK_HTML:
			break;
		}
	}
}

/* ===== parts =========================================================== */

size_t cp_set_text(struct composer *c, const char *text, enum tx_face face, double size,
		   double leading, double x0, double width, bool ragged, bool centre,
		   double first_space)
{
	struct bk_span sp = {BK_SPAN_TEXT, 0, text, strlen(text), -1, -1, NULL, 0, 0};
	return set_para(c, &(struct para_shape){&sp, 1, face, size, leading, x0, width, 0, ragged,
						 centre, first_space});
}

void cp_set_part(struct composer *c, const struct bk_part *p, double sink)
{
	const struct bk_style *st = c->st;
	c->cur_block = p->nblocks ? &p->blocks[0] : NULL;
	size_t first = c->nlines;
	cp_set_text(c, p->title, TX_REGULAR, st->title_size, st->title_size * 1.25, 0, c->measure,
		    false, true, sink);
	if (c->nlines > first) {
		c->lines[first].new_page = true;
		c->lines[first].outline = p->title;
		c->lines[first].outline_level = 1;
	}
	if (p->subtitle)
		cp_set_text(c, p->subtitle, TX_ITALIC, st->body_size * 1.15, st->body_leading * 1.15,
			    0, c->measure, false, true, st->body_leading * 0.5);
	if (p->author)
		cp_set_text(c, p->author, TX_REGULAR, st->body_size, st->body_leading, 0,
			    c->measure, false, true, st->body_leading * 1.5);
	if (p->role)
		cp_set_text(c, p->role, TX_ITALIC, st->note_size, st->note_leading, 0, c->measure,
			    false, true, 0);
	for (size_t i = first; i < c->nlines; i++) {
		c->lines[i].keep_next = true;
		c->lines[i].opener = true;
		c->lines[i].span = NULL;
	}
	struct ctx cx = {0, c->measure, false, st->body_leading * 2, st->body_size,
			 st->body_leading};
	set_blocks(c, p->blocks, p->nblocks, &cx);
}

void cp_set_note(struct composer *c, const struct bk_note *note)
{
	const struct bk_style *st = c->st;
	double hang = st->note_size * 1.6;
	struct ctx cx = {hang, c->measure - hang, false, 0, st->note_size, st->note_leading};
	size_t at = c->nlines;
	c->in_note = true;
	set_blocks(c, note->kids, note->nkids, &cx);
	c->in_note = false;
	if (c->nlines > at) {
		char num[16];
		int n = snprintf(num, sizeof(num), "%d", note->number);
		const struct tx_word *w = tx_shape(c->f, TX_REGULAR, num, (size_t)n);
		cp_add_word(&c->lines[at], w, TX_REGULAR, st->note_size, 0, 0);
	}
	for (size_t i = at; i < c->nlines; i++)
		c->lines[i].grid = false;
}
