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
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Whether text in style on base is italic and bold. */
static void slant_weight(unsigned style, enum tx_face base, bool *it, bool *bold)
{
	*it = (style & BK_EM) != 0, *bold = (style & BK_STRONG) != 0;
	if (base == TX_ITALIC || base == TX_BOLD_ITALIC)
		*it = !*it; /* emphasis inside italic text is roman */
	if (base == TX_BOLD || base == TX_BOLD_ITALIC)
		*bold = true;
}

static enum tx_face face_of(unsigned style, enum tx_face base)
{
	if (style & BK_CODE)
		return TX_MONO;
	bool it, bold;
	slant_weight(style, base, &it, &bold);
	if (bold)
		return it ? TX_BOLD_ITALIC : TX_BOLD;
	return it ? TX_ITALIC : TX_REGULAR;
}

/* The bold and italic (PG_BOLD, PG_SLANT) that text in face_of's face for
 * style on base must be drawn with: the mono face has neither, and code
 * in a heading or in bold text set in it as it is read as plain code. */
static uint8_t synthetic(unsigned style, enum tx_face base)
{
	if (face_of(style, base) != TX_MONO)
		return 0;
	bool it, bold;
	slant_weight(style, base, &it, &bold);
	return (uint8_t)((bold ? PG_BOLD : 0) | (it ? PG_SLANT : 0));
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
 * long paragraph holds one per item (64 bytes). */
struct content {
	const struct tx_word *word;
	const struct bk_span *span; /* where the box's text comes from */
	size_t off;
	double size, rise;
	uint8_t face;  /* enum tx_face */
	bool strike;   /* struck through (~~text~~): a rule drawn across it */
	uint8_t synth; /* PG_BOLD, PG_SLANT: drawn bold or slanted (synthetic) */
	bool cut;      /* a penalty: a forced break, where no rule allows one (cut.c);
			* word, if set, is drawn at it instead of a hyphen */
	bool in_name;  /* a penalty: a break inside a name from code, between
			* two letters (camel case, a letter break); word is
			* the continuation mark drawn there (name_break) */
	bool join;     /* a box: a piece of a word whose next piece (the box after
			* the penalty after it) the font joins with it into other
			* glyphs (a ligature across a hyphenation point, "of|fice"):
			* drawn as one where the line goes on there (joined_run) */
	uint8_t feats; /* a box: the features its word was shaped with (TX_FEAT_*) */
	int link;
	int line; /* source line */
	int note; /* a footnote reference: index into part->notes, else -1 */
	uint32_t len; /* a box: the bytes of span->text from off it draws; 0 for
		       * octavo's own (a note's mark, a hyphen) */
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
	bool strike;     /* the span being added is struck through */
	uint8_t synth;   /* its synthetic bold and italic (synthetic) */
	unsigned features; /* OpenType features of the span being added (TX_FEAT_*) */
	unsigned base_features; /* the paragraph's own (TX_FEAT_SMCP: an h6) */
	bool cell;       /* a table cell: numbers never part from their units */
	double room;     /* a cell measured on one line (cp_cell_widths): the table's
			  * measure, the widest an image in it may be; else 0 */
	bool squeezed;   /* a cell narrower than its content allows: they may,
			  * and capitalised words take hyphens */
	/* Set again after an overfull emergency pass (cut.c): where the boxes
	 * of the runs too wide for the line start (addresses in their spans'
	 * text, ascending), to take emergency breaks at level 1 and 2. */
	const uintptr_t *cut[2];
	size_t ncut[2];
	double rag; /* ragged or centred: its lines' end stretch (lb_params) */
	double code_rag; /* a cell holding code: its lines' end stretch, as rag
			  * (code_cell); 0 for others, whose is 3 sizes */
	/* Letter breaks (add_letters): letters lets URLs and code break
	 * between their letters, set again when the passes at the book's
	 * tolerance found nothing; letterable says a word here could. */
	bool letters, letterable;
	bool rtl_words; /* a box's word holds right-to-left text (para_bidi) */
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

/* Says that the box just pushed draws s[0, n), when that is its span's
 * text (the bidirectional algorithm reads it: para_bidi). */
static void box_text(struct para *p, const char *s, size_t n)
{
	const struct bk_span *sp = p->span;
	if (sp && s >= sp->text && s + n <= sp->text + sp->len && n <= UINT32_MAX)
		p->content[p->n - 1].len = (uint32_t)n;
}

static void push_box(struct para *p, const struct tx_word *w, enum tx_face face, double size,
		     double rise, int link)
{
	double wd = cp_word_width(w, size);
	/* Font expansion (microtype's): a word may be set up to EXPAND wider
	 * or narrower, so that spacing need not carry the whole adjustment. */
	double e = p->expand && face != TX_MONO ? wd * p->expand : 0;
	struct lb_item it = {LB_BOX, wd, e, e, 0, false};
	struct content ct = {.word = w, .face = (uint8_t)face, .size = size, .rise = rise,
			     .link = link, .note = -1, .strike = p->strike, .synth = p->synth,
			     .feats = (uint8_t)p->features};
	p->rtl_words |= w->rtl;
	push(p, it, ct);
}

/* tie: the cost of breaking at this space (0 for none; LB_INFINITY: a
 * tie, TeX's '~', as between a number and its unit). */
static void push_glue(struct composer *c, struct para *p, enum tx_face face, double size,
		      bool ragged, double tie)
{
	/* Interword glue in Charis: a space with stretch 1/2 and shrink 1/3
	 * of itself, close to TeX's values for a book face. */
	double w = c->space_w[face] * size / 1000;
	struct content none = {0};
	if (ragged && tie >= LB_INFINITY) {
		/* No break at all: not even at the trio's first glue. */
		push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, LB_INFINITY, false}, none);
		push(p, (struct lb_item){LB_GLUE, w, 0, 0, 0, false}, none);
		return;
	}
	if (ragged) {
		/* Ragged right: stretch at line ends only (TeX's \raggedright
		 * as glue, penalty, glue), spaces stay natural. */
		double rag = p->code_rag > 0 ? p->code_rag : 3 * size;
		push(p, (struct lb_item){LB_GLUE, 0, rag, 0, 0, false}, none);
		push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, tie, false}, none);
		push(p, (struct lb_item){LB_GLUE, w, -rag, 0, 0, false}, none);
		return;
	}
	/* A penalty before the glue takes the break from it (a glue is a
	 * breakpoint only after a box). */
	if (tie > 0)
		push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, tie, false}, none);
	push(p, (struct lb_item){LB_GLUE, w, w / 2, w / 3, 0, false}, none);
}

/* Whether s (n bytes, one word) is a number as written: digits with
 * their separators, signs, currency and a range's dash ("£2", "1–3",
 * "100,000", "5%") - no letters. */
static bool is_number(const char *s, size_t n)
{
	bool digit = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= '0' && ch <= '9')
			digit = true;
		else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
			return false;
	}
	return digit;
}

/* Whether the word at s starts with a letter (a unit: "million",
 * "years", "km", "per cent"), as opposed to a digit, a dash or a mark. */
static bool starts_letter(const char *s, size_t n)
{
	if (!n)
		return false;
	unsigned char ch = (unsigned char)s[0];
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0xC3;
}

static bool is_digit_at(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/* Whether an en dash or an em dash (UTF-8) starts at byte i. */
static bool long_dash_at(const char *s, size_t n, size_t i)
{
	return i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
	       ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94);
}

static bool arrow_char(char ch)
{
	return ch == '<' || ch == '>' || ch == '=' || ch == '!';
}

/* Whether the character before byte i or the byte at j makes an arrow or
 * an operator typed in ASCII of the dash between them ("->", "<-", "<->",
 * "-=", "-->" as cmark-gfm sets it, "–>"): one sign, never broken inside. */
static bool operator_dash(const char *s, size_t n, size_t i, size_t j)
{
	return (i > 0 && arrow_char(s[i - 1])) || (j < n && arrow_char(s[j]));
}

/* Where a word may break at the arrow whose dash is at i (its end at j):
 * after the whole sign, as after a hyphen ("a->" / "b"), when something
 * stands either side of it; 0 for nowhere. */
static size_t after_arrow(const char *s, size_t n, size_t i, size_t j)
{
	size_t k = i;
	while (k > 0 && arrow_char(s[k - 1]))
		k--;
	while (j < n && (arrow_char(s[j]) || s[j] == '-'))
		j++;
	return k > 0 && j < n ? j : 0;
}

/* Whether an ellipsis between two digits starts at byte i: a range as
 * systemd's docs write them ("60514…60577", "2147483648…4294967294"),
 * which may break after the ellipsis as after a range's en dash (UAX #14
 * allows a break after U+2026, class IN, before a digit; a browser sizes
 * a cell's min-content so). */
static bool ellipsis_range_at(const char *s, size_t n, size_t i)
{
	return i > 0 && i + 3 < n && is_digit_at(s, n, i - 1) && (unsigned char)s[i] == 0xE2 &&
	       (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xA6 &&
	       is_digit_at(s, n, i + 3);
}

/* Characters after which a line may break without a hyphen being added:
 * a hyphen, an en dash, an em dash, a slash, an arrow's sign ("a→b", as
 * 'body: arrows' sets "a->b"), an ellipsis between digits - but not the dash of an arrow ("x -> y"),
 * which breaks after the whole arrow. *range says the break would fall inside a number
 * range ("1–3", "£25,000–£250,000"), which a careful setter keeps whole. */
static size_t break_after(const char *s, size_t n, bool *range)
{
	*range = false;
	for (size_t i = 0; i + 1 < n; i++) {
		size_t dash = s[i] == '-' ? 1 : i + 3 < n && long_dash_at(s, n, i) ? 3 : 0;
		if (dash && operator_dash(s, n, i, i + dash)) {
			size_t at = after_arrow(s, n, i, i + dash);
			if (at)
				return at;
			i += dash - 1;
			continue;
		}
		if ((unsigned char)s[i] == 0xE2 && i > 0 && i + 3 < n &&
		    (((unsigned char)s[i + 1] == 0x86 && (unsigned char)s[i + 2] >= 0x90) ||
		     (unsigned char)s[i + 1] == 0x87))
			return i + 3; /* after an arrow's sign (U+2190-21FF), as after "->" */
		if (ellipsis_range_at(s, n, i)) {
			*range = true;
			return i + 3;
		}
		if (s[i] == '-' || s[i] == '/') {
			*range = i > 0 && is_digit_at(s, n, i - 1) &&
				 (is_digit_at(s, n, i + 1) || (unsigned char)s[i + 1] >= 0xC2);
			return i + 1;
		}
		if (i + 3 < n && long_dash_at(s, n, i)) {
			/* a digit before it and a digit or a currency sign after */
			*range = i > 0 && is_digit_at(s, n, i - 1) &&
				 (is_digit_at(s, n, i + 3) || (unsigned char)s[i + 3] == 0xC2 ||
				  s[i + 3] == '$' || (unsigned char)s[i + 3] == 0xE2);
			return i + 3;
		}
	}
	return 0;
}

static bool is_word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Whether a word is a name from code: a low line or a bar between two
 * letters or digits (READ_PACKAGE_JSON, snake_case, the union of types
 * "{string|Buffer}", "{string[]|Buffer[]}"). Prose has none. */
static bool code_name(const char *s, size_t n)
{
	for (size_t i = 1; i + 1 < n; i++)
		if ((s[i] == '_' || s[i] == '|') && is_word_char(s[i + 1]) &&
		    (is_word_char(s[i - 1]) || (s[i] == '|' && s[i - 1] == ']')))
			return true;
	return false;
}

/*
 * A table cell that holds code, not squeezed: the end stretch of its
 * ragged lines, a third of its width; else 0. Such a cell is often a list
 * of names ("'csisolatin2', 'iso-ir-101', 'iso8859-2', ..."), and with the
 * usual stretch (3 sizes) a line ending at a space short of a wide
 * column was past the first pass's tolerance, so the breaker filled
 * lines by breaking inside the names ("'iso- / ir-144'", "'iso_8859-2: /
 * 1987'"). With it, a line may end up to a third of the column short,
 * and a break inside a name costs more than that (code_penalty).
 */
static double code_cell(const struct para *p, const struct bk_span *spans, size_t n)
{
	if (!p->cell || p->squeezed || p->width >= 1e8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (spans[i].kind == BK_SPAN_TEXT && (spans[i].style & BK_CODE))
			return p->width / 3;
	return 0;
}

/* Whether p keeps names from code whole: in a table's cell not squeezed,
 * when its column's width is found (cp_cell_widths: a name is as narrow
 * as its column goes, as a number with its unit) and in the first pass of
 * its lines, as hyphens wait for the second (code_cell). */
static bool code_whole(const struct composer *c, const struct para *p)
{
	return p->cell && !p->squeezed &&
	       (p->width >= 1e8 || (p->code_rag > 0 && !p->hyph && c->hyph));
}

/* Where a name from code in prose may break: where inline code may
 * (cp_code_break_at), or after a bar between two types; never with a
 * hyphen. */
static size_t name_break_at(const char *s, size_t n, bool *camel)
{
	size_t p = cp_code_break_at(s, n, camel);
	for (size_t i = 1; i + 1 < n && (!p || i + 1 < p); i++)
		if (s[i] == '|' && (is_word_char(s[i - 1]) || s[i - 1] == ']') &&
		    is_word_char(s[i + 1])) {
			*camel = false;
			return i + 1;
		}
	return p;
}

/* Characters (not bytes) in s[0, n). */
static size_t chars_before(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
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
	if (!p->nmissing || !c->part || !cp_missing_tell(c, p->missing, p->nmissing))
		return;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < p->nmissing; i++) {
		char u[5] = {0};
		utf8_encode(p->missing[i], u);
		sb_addf(&sb, "%s'%s' (U+%04X)", i ? ", " : "", u, (unsigned)p->missing[i]);
	}
	diag_warning(c->d, c->part->path, p->miss_line, p->miss_col,
		     "no font has %s; %s printed as %s", sb.buf,
		     p->nmissing == 1 ? "it is" : "they are", tx_missing_mark(c->f, TX_REGULAR));
	sb_release(&sb);
}

/*
 * A forced break at at, where no rule allows one (cut.c): nothing drawn at
 * a soft one (after punctuation, between two spans); at one between any
 * two characters (chr) a hyphen in prose, the continuation mark in code
 * and nothing in an address, so that the word shows it goes on. Not
 * flagged: a breakpoint in every pass, outside the ladder rule, as the
 * cut it is.
 */
/* The continuation mark of wrapped code (cp_code_mark) into ct, to be
 * drawn at a break inside code: no wider than two of the code's
 * characters at size. Returns its width. */
static double code_mark(struct composer *c, double size, struct content *ct)
{
	enum tx_face mf;
	cp_code_mark(c, &ct->word, &mf);
	double cw = cp_word_width(tx_shape(c->f, TX_MONO, " ", 1), size);
	double ms = size, mw = cp_word_width(ct->word, size);
	if (mw > 1.8 * cw)
		ms *= 1.8 * cw / mw;
	ct->face = (uint8_t)mf;
	ct->size = ms;
	return cp_word_width(ct->word, ms);
}

static void push_cut(struct composer *c, struct para *p, const char *at, enum tx_face face,
		     double size, bool hyphen, double penalty, bool chr)
{
	struct content ct = {.cut = true};
	double w = 0;
	if (chr && face == TX_MONO) {
		w = code_mark(c, size, &ct);
	} else if (chr && hyphen) {
		w = cp_word_width(tx_shape(c->f, face, "-", 1), size);
	}
	p->src = at;
	push(p, (struct lb_item){LB_PENALTY, w, 0, 0, penalty, false}, ct);
}

/* What each kind of forced break costs (enum cp_cut_kind): after
 * punctuation least, between the words of a name more, between any two
 * characters most. */
static const double cut_penalty[] = {1000, 1500, 3000};

static int cmp_uptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
	return x < y ? -1 : x > y;
}

/* The emergency breaks [s, s + n) takes (p->cut): 2 where it holds the
 * start of a box of a run still too wide after level 1, 1 where only
 * after the plain emergency pass, 0 for none. */
static int cut_level(const struct para *p, const char *s, size_t n)
{
	uintptr_t a = (uintptr_t)s, b = (uintptr_t)(s + n);
	for (int lv = 1; lv >= 0; lv--) {
		const uintptr_t *v = p->cut[lv];
		size_t lo = 0, hi = p->ncut[lv];
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (v[mid] < a)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < p->ncut[lv] && v[lo] < b)
			return lv + 1;
	}
	return 0;
}

/* s (n bytes) shaped in face with the paragraph's features, as
 * every piece of a word is shaped. Borrowed from the fonts. */
static const struct tx_word *shape_in(struct composer *c, const struct para *p, enum tx_face face,
				      const char *s, size_t n)
{
	return p->features ? tx_shape_features(c->f, face, s, n, p->features)
			   : tx_shape(c->f, face, s, n);
}

static void add_unbroken(struct composer *c, struct para *p, const char *s, size_t n,
			 enum tx_face face, double size, double rise, int link, bool hyphen);

/* s (n bytes) as its pieces between the cut points pts[np] (in order),
 * each piece a box (add_unbroken, which cuts it again where it is still
 * too wide), each cut a break of its kind's penalty, drawn as a forced
 * break where it falls between two characters (CP_CUT_CHAR). */
static void add_cut_pieces(struct composer *c, struct para *p, const char *s, size_t n,
			   const struct cp_cut *pts, size_t np, enum tx_face face, double size,
			   double rise, int link, bool hyphen)
{
	size_t from = 0;
	for (size_t q = 0; q <= np; q++) {
		size_t to = q < np ? pts[q].at : n;
		add_unbroken(c, p, s + from, to - from, face, size, rise, link, hyphen);
		if (q < np)
			push_cut(c, p, s + to, face, size, hyphen, cut_penalty[pts[q].kind],
				 pts[q].kind == CP_CUT_CHAR);
		from = to;
	}
}

/*
 * A piece of a word in a run too wide for the line (p->cut): its boxes
 * with emergency breaks (cut.c's cp_cut_points) - before it, when it
 * follows another span's box with no space between; inside it at its
 * punctuation and between the words of a name; and at level 2 between
 * any two characters. Returns false, adding nothing, for any other piece.
 */
static bool cut_piece(struct composer *c, struct para *p, const char *s, size_t n,
		      enum tx_face face, double size, double rise, int link, bool hyphen)
{
	int level = cut_level(p, s, n);
	if (!level)
		return false;
	if (p->n && p->items[p->n - 1].kind == LB_BOX) {
		/* the last box is another span's (or a note mark) */
		const struct bk_span *ps = p->content[p->n - 1].span;
		char last = ps && ps->kind == BK_SPAN_TEXT && ps->len ? ps->text[ps->len - 1] : 0;
		if (n && cp_cut_between(last, s[0]))
			push_cut(c, p, s, face, size, hyphen, 1000, false);
	}
	struct cp_cut stack[64];
	struct cp_cut *pts = n <= ARRAY_LEN(stack) ? stack : xmalloc(n * sizeof(*pts));
	size_t np = cp_cut_points(s, n, level, pts, n <= ARRAY_LEN(stack) ? ARRAY_LEN(stack) : n);
	add_cut_pieces(c, p, s, n, pts, np, face, size, rise, link, hyphen);
	if (pts != stack)
		free(pts);
	return true;
}

/* A box for one unbreakable piece of a word, or, in a run too wide for
 * the line, its pieces with emergency breaks (cut_piece). */
static void add_piece(struct composer *c, struct para *p, const char *s, size_t n,
		      enum tx_face face, double size, double rise, int link, bool hyphen)
{
	if ((p->ncut[0] || p->ncut[1]) && cut_piece(c, p, s, n, face, size, rise, link, hyphen))
		return;
	add_unbroken(c, p, s, n, face, size, rise, link, hyphen);
}

/*
 * A box for one unbreakable piece of a word. A piece wider than the line
 * itself (a 200 KB "word", a long identifier) would overflow whatever the
 * breaker did, so it is cut between characters instead, with no hyphen:
 * ugly, but inside the measure, and only where nothing else could work.
 */
static void add_unbroken(struct composer *c, struct para *p, const char *s, size_t n,
			 enum tx_face face, double size, double rise, int link, bool hyphen)
{
	const struct tx_word *w = shape_in(c, p, face, s, n);
	p->src = s;
	if (w->missing)
		note_missing(p, w, s);
	if (cp_word_width(w, size) <= p->width || n <= 1) {
		push_box(p, w, face, size, rise, link);
		box_text(p, s, n);
		return;
	}
	struct cp_cut soft[32];
	size_t ns = cp_cut_points(s, n, 1, soft, ARRAY_LEN(soft));
	if (ns && ns < ARRAY_LEN(soft)) {
		/* Rather at its punctuation, the pieces between cut as below
		 * where they are still too wide. */
		add_cut_pieces(c, p, s, n, soft, ns, face, size, rise, link, hyphen);
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
		box_text(p, s + i, good - i);
		i = good;
		if (i < n) /* a forced break, drawn as one */
			push_cut(c, p, s + i, face, size, hyphen, 1000, true);
	}
}

/*
 * Where a URL may break before byte i (0 < i < n), with no hyphen added,
 * by the Chicago Manual (14.18): after a colon or a double slash; before
 * a single slash, a tilde, a period, a comma, a hyphen, a low line, a
 * question mark, a number sign, a percent sign or an at sign; before or
 * after '=' and '&' - here before, which keeps "=value" whole (an '='
 * alone would be set with the font's spacing for a formula). So a line
 * never ends in a hyphen or a period that reads as the address's end or
 * as a hyphen added. Never where only punctuation is left after the
 * break (the sentence's own full stop). Returns the penalty, or 0 for no
 * break.
 */
static int url_break(const char *s, size_t n, size_t i)
{
	bool word = false; /* a letter or digit from i on */
	for (size_t k = i; k < n && !word; k++)
		word = is_word_char(s[k]) || (unsigned char)s[k] >= 0x80;
	if (!word)
		return 0;
	char a = s[i - 1], b = s[i];
	if (a == '/' && i >= 2 && s[i - 2] == '/')
		return 100; /* after "//" */
	if (a == ':' && b != '/')
		return 200; /* "mailto:" */
	if (b == '/' && a != '/' && a != ':' && (i + 1 >= n || s[i + 1] != '/'))
		return 100; /* before a single slash */
	if (strchr("~.,-_?#%@=&", b) && !strchr("/:", a))
		return 200;
	return 0;
}

/* Letter breaks, as biblatex's \biburlletterpenalty: dearer than any
 * rule's break (a URL's punctuation 100-200, code's 100-300), so that a
 * line takes one only where it would else be set at r past 2 or so
 * (demerits 1000^2 against (100 r^3)^2); cheaper where the kind of
 * character changes (a letter to a digit, "...Case", punctuation that
 * no rule lets break). Never with a hyphen: it would read as the
 * address's or the code's own. */
#define LETTER_PENALTY 1000
#define LETTER_PENALTY_SOFT 700
/* Only a long piece takes them, of LETTER_MIN letters and digits or
 * more in code (a hash, base64, "GETADDRINFOREQWRAP"), LETTER_MIN_URL
 * in an address (a name, a path's long segment, ".githubusercontent"):
 * a short one ("expected", "Storage", "'overlapped',") moves to the
 * next line whole, and parted it would read as a word that lost its
 * hyphen - unless its word is wider than half the line (a URL over
 * two lines), which breaks inside anyway, and whose lines, with no
 * space to stretch, are full only if it may break nearer the margin:
 * then pieces of LETTER_MIN_WIDE. At least LETTER_EDGE letters or
 * digits on either side of a
 * break ("--e" / "xperimental" never); pieces longer than LETTER_MAX
 * bytes (a 200 KB token) are left to the emergency cuts (add_unbroken,
 * cut.c). */
#define LETTER_SHORT 0.5 /* ems a line broken at one may be left short by */
#define LETTER_MIN 12
#define LETTER_MIN_URL 8
#define LETTER_MIN_WIDE 6
#define LETTER_EDGE 3
#define LETTER_MAX 256

/* Letters and digits (any character past ASCII counts) in s[0, n). */
static size_t letters_in(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		k += is_word_char(s[i]) || (ch >= 0xC0);
	}
	return k;
}

/* The fewest letters a piece of word (n bytes at s, a URL or code) needs
 * for letter breaks: LETTER_MIN_WIDE in a paragraph set with them when
 * the word is wider than half the line, else least. A word that may be
 * so wide makes the paragraph letterable. */
static size_t letters_least(struct composer *c, struct para *p, const char *s, size_t n,
			    enum tx_face face, double size, size_t least)
{
	/* (no character is narrower than a quarter of an em: most words
	 * are not measured) */
	if ((double)n * size * 0.25 <= p->width / 2 || n > LETTER_MAX * 4)
		return least;
	if (!p->letters) {
		p->letterable = true;
		return least;
	}
	bool wide = cp_word_width(tx_shape(c->f, face, s, n), size) > p->width / 2;
	return wide ? LETTER_MIN_WIDE : least;
}

/* What a line broken inside a word wider than half the line (least is
 * LETTER_MIN_WIDE) may be left short by: its lines have no space to
 * stretch. At a break its rules allow (rule: after punctuation, between
 * the words of a name) as much as ragged text's (3 em), so that such
 * breaks come first; at a letter break half an em where, in code or with
 * no font expansion, its letters do not stretch either (push_box), else
 * nothing. 0 in any other word. */
static double short_end(const struct para *p, size_t least, enum tx_face face, double size,
			bool rule)
{
	if (!p->letters || least != LETTER_MIN_WIDE)
		return 0;
	if (rule)
		return 3 * size;
	return face == TX_MONO || !p->expand ? size * LETTER_SHORT : 0;
}

/* 1 for a lower-case ASCII letter, 2 for a capital, else 0. */
static int letter_case(char ch)
{
	return ch >= 'a' && ch <= 'z' ? 1 : ch >= 'A' && ch <= 'Z' ? 2 : 0;
}

/* Whether a letter break may fall at s[at] (0 < at < n): anywhere but
 * inside a word of five letters or more in one case ("authorization",
 * "MANIPULATION"), which is parted only where the book's patterns would
 * hyphenate it ("authoriza" / "tion", not "authorizat" / "ion"), so
 * that it reads as a word carried over. (Not asked in a word over two
 * lines, whose lines are full only if it may break at any letter.) */
static bool letter_break_ok(struct composer *c, const char *s, size_t n, size_t at)
{
	int lc = letter_case(s[at]);
	if (!c->hyph || !lc || letter_case(s[at - 1]) != lc)
		return true;
	size_t a = at, b = at;
	while (a > 0 && letter_case(s[a - 1]) == lc)
		a--;
	while (b < n && letter_case(s[b]) == lc)
		b++;
	if (b - a < 5)
		return true;
	char low[64];
	if (b - a > sizeof(low))
		return false; /* no word: a run of one letter's case that long */
	for (size_t k = a; k < b; k++)
		low[k - a] = (char)(s[k] | 0x20);
	size_t pts[32];
	size_t np = tx_hyphenate(c->hyph, low, b - a, pts, ARRAY_LEN(pts));
	for (size_t k = 0; k < np; k++)
		if (a + pts[k] == at)
			return true;
	return false;
}

/* The next byte of w's glyph codes from (*piece, *at), and its face;
 * false past the last. */
static bool next_code(const struct tx_word *w, size_t *piece, size_t *at, char *ch,
		      uint8_t *face)
{
	while (*piece < w->npieces && *at >= w->pieces[*piece].len)
		(*piece)++, *at = 0;
	if (*piece == w->npieces)
		return false;
	*ch = w->pieces[*piece].text[(*at)++];
	*face = w->pieces[*piece].face;
	return true;
}

/* Whether a (runs shaped together) is the glyphs of parts[0..n) one
 * after another, in the same faces: kerning moved them, nothing replaced
 * them (a ligature, a contextual form). */
static bool same_glyphs(const struct tx_word *a, const struct tx_word *const *parts, size_t n)
{
	size_t pa = 0, ia = 0, k = 0, pw = 0, iw = 0;
	char x, y;
	uint8_t fx, fy;
	while (next_code(a, &pa, &ia, &x, &fx)) {
		bool more = false;
		while (k < n && !(more = next_code(parts[k], &pw, &iw, &y, &fy)))
			k++, pw = iw = 0;
		if (!more || x != y || fx != fy)
			return false;
	}
	for (; k < n; k++, pw = iw = 0)
		if (next_code(parts[k], &pw, &iw, &y, &fy))
			return false;
	return true;
}

/* The kerning (points at size) between the characters either side of
 * byte at of s (n bytes): the two shaped together against each alone,
 * what boxes cut there lose against their word shaped whole. 0 in code,
 * whose face has none, and where the two together are other glyphs (a
 * ligature across the cut: the pieces draw their own glyphs, so they are
 * measured as they draw). */
static double kern_at(struct composer *c, const struct para *p, const char *s, size_t n,
		      size_t at, enum tx_face face, double size)
{
	if (face == TX_MONO || at == 0 || at >= n || !tx_has_kerning(c->f, face))
		return 0;
	size_t a = at - 1, b = at + 1;
	while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80)
		a--;
	while (b < n && ((unsigned char)s[b] & 0xC0) == 0x80)
		b++;
	const struct tx_word *both = shape_in(c, p, face, s + a, b - a),
			     *left = shape_in(c, p, face, s + a, at - a),
			     *right = shape_in(c, p, face, s + at, b - at);
	if (!same_glyphs(both, (const struct tx_word *[]){left, right}, 2))
		return 0;
	return cp_word_width(both, size) - cp_word_width(left, size) - cp_word_width(right, size);
}

/* The kerning (points at size) between the character before byte at of s
 * and the hyphen a discretionary break there adds ("T-", "V-" in Linux
 * Libertine): the hyphen is drawn that much nearer (draw_line). 0 where
 * the pair is other glyphs than the two alone, and in code. */
static double hyphen_kern(struct composer *c, const struct para *p, const char *s, size_t at,
			  enum tx_face face, double size)
{
	if (face == TX_MONO || at == 0 || !tx_has_kerning(c->f, face))
		return 0;
	size_t a = at - 1;
	while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80)
		a--;
	char pair[8];
	if (at - a + 1 > sizeof(pair))
		return 0;
	memcpy(pair, s + a, at - a);
	pair[at - a] = '-';
	const struct tx_word *both = shape_in(c, p, face, pair, at - a + 1),
			     *left = shape_in(c, p, face, s + a, at - a),
			     *hy = shape_in(c, p, face, "-", 1);
	if (!same_glyphs(both, (const struct tx_word *[]){left, hy}, 2))
		return 0;
	return cp_word_width(both, size) - cp_word_width(left, size) - cp_word_width(hy, size);
}

/* The kerning across byte at of s (n bytes), where a word's pieces meet at
 * a break that draws nothing (an address's or code's punctuation, a
 * letter break), given to the box before it (the last item) as the word
 * set whole has it; returned for the break's width to take back where the
 * line ends there. 0 where the last item is not a box. */
static double kern_last(struct composer *c, struct para *p, const char *s, size_t n, size_t at,
			enum tx_face face, double size)
{
	if (!p->n || p->items[p->n - 1].kind != LB_BOX || !p->content[p->n - 1].word)
		return 0;
	double kern = kern_at(c, p, s, n, at, face, size);
	p->items[p->n - 1].width += kern;
	return kern;
}

/* A break between the words of a name from code in camel case, at byte
 * at of its span: ct says so (in_name, for the report and 'octavo
 * check') and draws the code's continuation mark there (code_mark), so
 * that "AsyncLocal" / "Storage" reads as one name going on, not two. Returns the mark's width, which
 * the break's penalty adds where the line ends there (0: no mark). */
static double name_break(struct composer *c, struct para *p, const char *at, double size,
			 struct content *ct)
{
	ct->in_name = true;
	p->src = at; /* the penalty's place: the break's column */
	/* (not in a squeezed table's cell, whose columns lack the mark's
	 * width: webcrypto.md's 13 columns of names had a name cut) */
	return p->cell && p->squeezed ? 0 : code_mark(c, size, ct);
}

/*
 * A piece of a URL or of code between the breaks its rules allow: one
 * box (add_piece), or, in a paragraph set again with letter breaks
 * (p->letters), its letters' boxes with a penalty between them when it
 * has least letters or more (letters_least) - at letter_break_ok's
 * places. Notes in p->letterable that the piece could take them.
 */
static void add_letters(struct composer *c, struct para *p, const char *s, size_t n,
			enum tx_face face, double size, double rise, int link, size_t least,
			bool name)
{
	size_t chars = n <= LETTER_MAX ? letters_in(s, n) : 0;
	if (chars < least) {
		add_piece(c, p, s, n, face, size, rise, link, false);
		return;
	}
	p->letterable = true;
	/* a piece wider than the line is cut where it must be, marked and
	 * told (add_unbroken, cut.c), as a token no rule breaks is */
	if (!p->letters || cp_word_width(tx_shape(c->f, face, s, n), size) > p->width) {
		add_piece(c, p, s, n, face, size, rise, link, false);
		return;
	}
	struct cp_cut pts[LETTER_MAX];
	size_t np = cp_cut_points(s, n, 2, pts, ARRAY_LEN(pts));
	size_t from = 0, seen = 0, at = 0; /* seen: letters and digits before at */
	for (size_t q = 0; q < np; q++) {
		seen += letters_in(s + at, pts[q].at - at);
		at = pts[q].at;
		if (seen < LETTER_EDGE || chars - seen < LETTER_EDGE ||
		    (least != LETTER_MIN_WIDE && !letter_break_ok(c, s, n, at)))
			continue;
		add_piece(c, p, s + from, at - from, face, size, rise, link, false);
		/* between two letters of a name from code: counted, unmarked
		 * (a mark's width in a hash's line left it at r 2.1 in
		 * urls14n); an address's letter break is no name's */
		struct content none = {.in_name = name && is_word_char(s[at - 1]) &&
						  is_word_char(s[at])};
		bool change = pts[q].kind != CP_CUT_CHAR ||
			      is_digit_at(s, n, at - 1) != is_digit_at(s, n, at);
		double pen = change ? LETTER_PENALTY_SOFT : LETTER_PENALTY;
		/* The pieces as the word set whole: the kerning across the
		 * break goes with the piece before it, and is taken back
		 * (the penalty's width) where the line ends there. */
		double kern = kern_last(c, p, s, n, at, face, size);
		/* (short_end: a line of a long word alone comes no finer
		 * than its letters) */
		push(p, (struct lb_item){LB_PENALTY, -kern, short_end(p, least, face, size, false), 0,
					 pen, false},
		     none);
		from = at;
	}
	add_piece(c, p, s + from, n - from, face, size, rise, link, false);
}

/* A break between the words of a name in camel case ("AsyncLocal" /
 * "Storage"): no mark shows it, so it reads as two names. As dear as a
 * letter break (LETTER_PENALTY), a last resort: the line is left short
 * at the space before the name (code_edge) or set looser first. At 300
 * the Node.js docs had 576 lines ending inside a name, at 1000 531. */
#define CAMEL_PENALTY LETTER_PENALTY

/* The fewest bytes of a word of code a break inside it leaves after it
 * (add_code), as a hyphenation's right minimum: "t)" of "(uid_t)" on a
 * line of its own reads as a stray, not a continuation. */
#define CODE_TAIL_MIN 3

/* How short a justified line broken inside code or an address may be left
 * (add_code, add_url),
 * in sizes: ragged text's end stretch. */
#define CODE_RAG 3.0

/* A URL in pieces at the breaks url_break allows. */
static void add_url(struct composer *c, struct para *p, const char *s, size_t n,
		    enum tx_face face, double size, double rise, int link)
{
	size_t from = 0, least = letters_least(c, p, s, n, face, size, LETTER_MIN_URL);
	for (size_t i = 1; i < n; i++) {
		int pen = url_break(s, n, i);
		if (!pen)
			continue;
		add_letters(c, p, s + from, i - from, face, size, rise, link, least, false);
		struct content none = {0};
		double by = short_end(p, least, face, size, true);
		double rag = by > 0 || p->rag > 0 ? 0 : CODE_RAG * size;
		double kern = kern_last(c, p, s, n, i, face, size);
		push(p, (struct lb_item){LB_PENALTY, -kern, by, rag, pen, false}, none);
		from = i;
	}
	if (from < n)
		add_letters(c, p, s + from, n - from, face, size, rise, link, least, false);
}

/* A word over two lines (short_end) takes letter breaks, and needs no
 * case breaks every few letters (base64): from cut, the first break in
 * s (n bytes) code_break_at found, the first that is not between the
 * words of a name, or the last before the piece would be wider than the
 * line, or 0 for none. *camel says which. */
static size_t drop_case_breaks(struct composer *c, const struct para *p, const char *s,
			       size_t n, size_t cut, bool *camel, enum tx_face face, double size)
{
	while (cut && *camel) {
		bool next_camel;
		size_t more = cp_code_break_at(s + cut, n - cut, &next_camel);
		size_t next = more ? cut + more : n;
		if (cp_word_width(tx_shape(c->f, face, s, next), size) > p->width)
			break;
		cut = more ? next : 0;
		*camel = more && next_camel;
	}
	return cut;
}

/* How short a line broken after the bar of a union of types may be left
 * (a penalty's stretch, as short_end's): as much as the next type (s, up
 * to its bar or brace) is wide, up to a third of the line, in justified
 * text (rag > 0, add_code's), so that the line ends at the bar as at a
 * space, leaving the next type whole, rather than between the words of
 * its name ("{string|...|TypedArray|Data" / "View}": 43 lines of the
 * Node.js docs). At CODE_RAG's rag the line was at r > 1.26 where the
 * type is wider than CODE_RAG, past the first two passes' tolerance, and
 * the camel break won. */
static double type_short(struct composer *c, const struct para *p, const char *s, size_t n,
			 enum tx_face face, double size, double rag)
{
	if (rag <= 0)
		return 0;
	size_t k = 0;
	while (k < n && s[k] != '|' && s[k] != '}')
		k++;
	double w = cp_word_width(shape_in(c, p, face, s, k), size);
	return w < p->width / 3 ? w : p->width / 3;
}

/* A space beside inline code in justified text, as a break inside it:
 * its line may be left short by up to CODE_RAG, at a cost, rather than
 * gape for want of a break in the code (a penalty of 0 before the glue,
 * which takes the glue's break). */
static void code_edge(struct para *p, double size)
{
	struct content none = {0};
	push(p, (struct lb_item){LB_PENALTY, 0, 0, CODE_RAG * size, 0, false}, none);
}

/* Inline code, or a name in prose that only code has
 * ("PACKAGE_TARGET_RESOLVE(url,"; snake): s (n bytes, one word) broken
 * after its punctuation, or inside a name in camel case, never with a
 * hyphen; between its letters only at a cost (add_letters). */
static void add_code(struct composer *c, struct para *p, const char *s, size_t n,
		     enum tx_face face, double size, double rise, int link, bool snake)
{
	size_t k = 0, least = letters_least(c, p, s, n, face, size, LETTER_MIN);
	double short_by = short_end(p, least, face, size, true);
	/* In justified text, any other break here may leave its line short
	 * by up to CODE_RAG once its spaces are at full stretch, at a cost
	 * (lb_rag_taken): a line ending in 'ERR_' or 'child_process.' that
	 * no space could fill gaped (Node's docs: 861 lines at r > 2). */
	double rag = short_by > 0 || p->rag > 0 ? 0 : CODE_RAG * size;
	if (rag > 0 && face == TX_MONO && p->n >= 2 && p->items[p->n - 1].kind == LB_GLUE &&
	    p->items[p->n - 2].kind == LB_BOX) {
		/* the space before it (the glue taken off, put back after) */
		struct lb_item g = p->items[--p->n];
		struct content gc = p->content[p->n];
		code_edge(p, size);
		GROW(p->items, p->cap, p->n + 1);
		GROW(p->content, p->ccap, p->n + 1);
		p->items[p->n] = g;
		p->content[p->n++] = gc;
	}
	while (k < n) {
		bool camel;
		size_t cut = snake ? name_break_at(s + k, n - k, &camel)
				   : cp_code_break_at(s + k, n - k, &camel);
		if (short_by > 0)
			cut = drop_case_breaks(c, p, s + k, n - k, cut, &camel, face, size);
		if (cut && code_whole(c, p))
			cut = 0;
		if (cut && n - (k + cut) < CODE_TAIL_MIN)
			cut = 0; /* "(uid_" / "t) -1" */
		size_t end = cut ? k + cut : n;
		add_letters(c, p, s + k, end - k, face, size, rise, link, least, true);
		if (cut) {
			struct content none = {0};
			double mark = camel ? name_break(c, p, s + end, size, &none) : 0;
			double pen = p->code_rag > 0 ? 1000 : camel ? (p->cell ? 300 : CAMEL_PENALTY) : 100;
			double kern = kern_last(c, p, s, n, end, face, size);
			double by = snake && s[end - 1] == '|'
					    ? type_short(c, p, s + end, n - end, face, size, rag)
					    : 0;
			push(p, (struct lb_item){LB_PENALTY, mark - kern, by > short_by ? by : short_by,
						 by > 0 ? 0 : rag, pen, false},
			     none);
		}
		k = end;
	}
}

static bool plain_space(char ch)
{
	return ch == ' ' || ch == '\n' || ch == '\t';
}

/* The length of the run of spaces at s[i], 0 for none. A no-break space
 * beside an ordinary one is part of the run, as the EPUB drops it there
 * (epub_nbsp_collapse): a manuscript from a word processor has
 * "2011.\u00A0 It" for its typist's two spaces after a full stop, which
 * set as a space and a no-break space read as a gap twice a word space's
 * width. */
static size_t space_run(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t j = i;
	while (j < n) {
		if (plain_space(s[j]))
			j++;
		else if (j + 1 < n && u[j] == 0xC2 && u[j + 1] == 0xA0 &&
			 ((j > 0 && plain_space(s[j - 1])) || (j + 2 < n && plain_space(s[j + 2]))))
			j += 2;
		else
			break;
	}
	return j - i;
}

/*
 * add_hyphenated's word where the font draws its pieces other than it
 * draws the word whole, but for kerning: it joins letters across a
 * hyphenation point into a glyph of their own (a ligature: "of|fice" is
 * f + fi in pieces, ffi whole). Each box is as wide as its piece is inside
 * the word (the suffix from the piece shaped whole less the suffix after
 * it), so that the boxes of a line that goes on past a point add up to the
 * word shaped whole, and those after a break at one to the suffix from
 * it; the penalty at a point takes the line to the prefix before it
 * shaped whole, then the hyphen with its kerning. Its pieces are marked
 * to be drawn joined where the line goes on (joined_run). Returns false,
 * adding nothing, where the pieces are the word's glyphs, and where a
 * piece may be cut further (an emergency cut, a piece wider than the
 * line): each box must be one piece.
 */
static bool add_joined(struct composer *c, struct para *p, const char *s, size_t n,
		       const size_t *pts, size_t np, enum tx_face face, double size, double rise,
		       int link)
{
	const struct tx_word *parts[33];
	if (face == TX_MONO || p->ncut[0] || p->ncut[1] || np + 1 > ARRAY_LEN(parts) ||
	    !p->span || s < p->span->text || s + n > p->span->text + p->span->len)
		return false;
	for (size_t q = 0, from = 0; q <= np; q++) {
		size_t to = q < np ? pts[q] : n;
		parts[q] = shape_in(c, p, face, s + from, to - from);
		if (cp_word_width(parts[q], size) > p->width)
			return false;
		from = to;
	}
	const struct tx_word *whole = shape_in(c, p, face, s, n);
	if (same_glyphs(whole, parts, np + 1))
		return false;
	double hw = cp_word_width(tx_shape(c->f, face, "-", 1), size);
	double all = cp_word_width(whole, size), after = all; /* the suffix from the piece */
	for (size_t q = 0; q <= np; q++) {
		size_t at = q ? pts[q - 1] : 0, to = q < np ? pts[q] : n;
		double rest = q < np ? cp_word_width(shape_in(c, p, face, s + to, n - to), size) : 0;
		add_unbroken(c, p, s + at, to - at, face, size, rise, link, true);
		p->items[p->n - 1].width = after - rest;
		struct content *ct = &p->content[p->n - 1];
		ct->join = q < np;
		ct->feats = (uint8_t)p->features;
		ct->len = (uint32_t)(to - at);
		if (q < np) {
			double head = cp_word_width(shape_in(c, p, face, s, to), size);
			double kh = hyphen_kern(c, p, s, to, face, size);
			struct content none = {0};
			push(p, (struct lb_item){LB_PENALTY, head + hw + kh - (all - rest), 0, 0, 50, true},
			     none);
		}
		after = rest;
	}
	return true;
}

/*
 * A word with hyphenation points pts[np] (ascending offsets into s, n
 * bytes) as the paper's discretionaries: a box for each piece, a flagged
 * penalty at each point with the hyphen's width. The pieces as the word
 * set whole: the kerning across a point goes with the piece before it,
 * and the penalty takes it back (kern_last); a ligature across one joins
 * the pieces again (add_joined).
 */
static void add_hyphenated(struct composer *c, struct para *p, const char *s, size_t n,
			   const size_t *pts, size_t np, enum tx_face face, double size,
			   double rise, int link)
{
	if (add_joined(c, p, s, n, pts, np, face, size, rise, link))
		return;
	double hw = cp_word_width(tx_shape(c->f, face, "-", 1), size);
	size_t from = 0;
	for (size_t q = 0; q <= np; q++) {
		size_t to = q < np ? pts[q] : n;
		add_piece(c, p, s + from, to - from, face, size, rise, link, true);
		if (q < np) {
			/* The pieces as the word set whole, the kerning
			 * across the break with the piece before it; where
			 * the line ends there, the hyphen's width less that
			 * kerning, plus the hyphen's own with the letter
			 * before it (draw_line draws it so). */
			struct content none = {0};
			double kern = kern_last(c, p, s, n, pts[q], face, size);
			double kh = hyphen_kern(c, p, s, pts[q], face, size);
			push(p, (struct lb_item){LB_PENALTY, hw + kh - kern, 0, 0, 50, true},
			     none);
		}
		from = to;
	}
}

/* Appends text in one face: words as boxes, spaces as glue, explicit
 * hyphens and dashes as flagged penalties. A number keeps to the word
 * after it ("£2 million", "1–3 years"): in a table cell or ragged text
 * always, in justified text unless nothing else will do. */
/* Longest token a space in code is tied to (code_tie), in bytes. */
#define CODE_TIE_MAX 8

/*
 * Whether the space in inline code s (n bytes, the whole span) before
 * byte at is no break: the token after it is short, a number with or
 * without its sign ("-1" of "(uid_t) -1", "0" of "!= 0") or closing
 * brackets (the ")" of "f(a, b) )"), and would stand alone at a line's
 * start, as prose ties a number to its unit. A span wider than the
 * measure keeps every space a break.
 */
static bool code_tie(struct composer *c, const struct para *p, const char *s, size_t n,
		     size_t at, double size)
{
	size_t end = at;
	while (end < n && !plain_space(s[end]))
		end++;
	if (end == at || end - at > CODE_TIE_MAX)
		return false;
	bool closing = true, bracket = false;
	for (size_t q = at; q < end; q++) {
		bracket |= s[q] == ')' || s[q] == ']' || s[q] == '}';
		closing &= strchr(")]}>;,.", s[q]) != NULL;
	}
	if (!is_number(s + at, end - at) && !(closing && bracket))
		return false;
	return cp_word_width(tx_shape(c->f, TX_MONO, s, n), size) <= p->width;
}

static void add_text(struct composer *c, struct para *p, const char *s, size_t n,
		     enum tx_face face, double size, double rise, int link, bool ragged)
{
	size_t i = 0;
	const char *pw = NULL; /* the word before the space being added */
	size_t pwn = 0;
	bool tied = false; /* the word being added is a number's unit: no hyphens */
	while (i < n) {
		size_t run = space_run(s, n, i);
		if (run) {
			/* One glue for any run of spaces; none at a paragraph start. */
			i += run;
			if (p->n && p->items[p->n - 1].kind == LB_BOX) {
				/* A spaced dash stays with the word before it: a
				 * line never starts with "– " (British style). */
				if (long_dash_at(s, n, i)) {
					struct content none = {0};
					push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, LB_INFINITY, false},
					     none);
				}
				double tie = 0;
				if (pw && face != TX_MONO && is_number(pw, pwn) && starts_letter(s + i, n - i))
					tie = p->squeezed ? 900 : p->cell || ragged ? LB_INFINITY : 500;
				if (face == TX_MONO && code_tie(c, p, s, n, i, size))
					tie = LB_INFINITY; /* "(uid_t) -1" kept whole */
				tied = tie > 0 && face != TX_MONO;
				if (!tie && !ragged && p->content[p->n - 1].face == TX_MONO)
					code_edge(p, size); /* the space after code */
				push_glue(c, p, face, size, ragged, tie);
			}
			continue;
		}
		size_t j = i;
		while (j < n && !plain_space(s[j]) &&
		       ((unsigned char)s[j] != 0xC2 || !space_run(s, n, j)))
			j++;
		pw = s + i;
		pwn = j - i;
		/* Split the word after its own hyphens and dashes; a word that
		 * has none may take discretionary hyphens from the patterns -
		 * and does in any pass when it is wider than the line, rather
		 * than be cut where no rule allows. */
		size_t pts[32], np = 0;
		bool compound = false;
		for (size_t q = i; q < j; q++)
			compound |= s[q] == '-' || s[q] == '/' || (unsigned char)s[q] == 0xE2;
		bool snake = face != TX_MONO && code_name(s + i, j - i);
		compound |= snake; /* not hyphenated: broken as code is */
		/* A passage in another language: its own patterns. */
		struct tx_hyph *lh = p->span && p->span->lang ? cp_hyph_for(c, p->span->lang)
							      : c->hyph;
		struct tx_hyph *hy = p->hyph ? lh : NULL;
		if (!hy && lh && !compound && face != TX_MONO && j - i <= 100 &&
		    cp_word_width(tx_shape(c->f, face, s + i, j - i), size) > p->width)
			hy = lh;
		if (!compound && face != TX_MONO && hy && (!tied || p->squeezed))
			np = tx_hyphenate(hy, s + i, j - i, pts, ARRAY_LEN(pts));
		if (!np && !compound && hy && p->cell && p->squeezed && s[i] >= 'A' && s[i] <= 'Z' &&
		    j - i < 64) {
			/* A capitalised word in a squeezed cell ("Organisation")
			 * is hyphenated as if it were not capitalised. */
			char low[64];
			memcpy(low, s + i, j - i);
			low[0] = (char)(low[0] - 'A' + 'a');
			np = tx_hyphenate(hy, low, j - i, pts, ARRAY_LEN(pts));
		}
		tied = false;
		if (np) {
			add_hyphenated(c, p, s + i, j - i, pts, np, face, size, rise, link);
			i = j;
			continue;
		}
		if (is_url(s + i, j - i)) {
			add_url(c, p, s + i, j - i, face, size, rise, link);
			i = j;
			continue;
		}
		if (face == TX_MONO || snake) {
			/* Inline code, or a name in prose that only code has
			 * ("PACKAGE_TARGET_RESOLVE(url,"): after its
			 * punctuation, or inside a name in camel case, never
			 * with a hyphen (add_code). */
			add_code(c, p, s + i, j - i, face, size, rise, link, snake);
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
				add_piece(c, p, s + from, to - from, face, size, rise, link, false);
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
			bool range; /* "£25,000–£250,000" breaks only if it must */
			size_t cut = break_after(s + k, j - k, &range);
			if (cut && range && (p->cell || ragged) && !p->squeezed && chars_before(s + k, cut) < 5) {
				/* "1–3 years", "10–25": too short to part */
				size_t more = break_after(s + k + cut, j - k - cut, &range);
				cut = more ? cut + more : 0;
			}
			size_t end = cut ? k + cut : j;
			add_piece(c, p, s + k, end - k, face, size, rise, link, true);
			if (cut) {
				/* after the word's own hyphen or dash: the kerning
				 * across it ("-k") with the piece before it, taken
				 * back (the flagged penalty's width) where the line
				 * ends there */
				struct content none = {0};
				double kern = kern_last(c, p, s + i, j - i, end - i, face, size);
				push(p, (struct lb_item){LB_PENALTY, -kern, 0, 0, range ? 500 : 50, true},
				     none);
			}
			k = end;
		}
		i = j;
	}
}

/* An image inside a sentence: a box drawn where its alt text would have
 * been, its foot at the descender. At the size its author asked for
 * (<img width>, {width=2cm}, {width=30%} of the line) as a browser sets
 * it, the line growing to hold it (grow_line; a table's row grows with
 * its cell's line) - no wider than the line, no taller than a figure may
 * be, its proportions kept; else as high as the type (from the descender
 * to the ascender, about), as wide as its proportions make it, no wider
 * than the line. A cell measured on one long line (cp_cell_widths) sizes
 * it for the table's measure, p->room. */
static void inline_image(struct composer *c, struct para *p, const struct bk_span *sp,
			 double size)
{
	const struct bk_image *img = sp->img;
	double wide = p->room > 0 ? p->room : p->width;
	double cw, ch, w, h;
	double em = c->st->body_size; /* {width=3em}: of the body type, in a cell too */
	if ((bk_image_css_size(img, em, &cw, &ch) || img->want_share > 0) && cw > 0 && ch > 0) {
		double high = (c->st->page_h - c->st->margin_top - c->st->margin_bottom) * 0.6;
		bk_image_print_size(img, 0, wide, high, em, &w, &h);
	} else {
		h = size, w = img->height > 0 ? h * img->width / img->height : h;
	}
	if (w > wide) {
		h *= wide / w;
		w = wide;
	}
	p->span = sp; /* draw_line finds the image here */
	struct content ct = {.size = h, .rise = -0.2 * size, .link = sp->link, .note = -1,
			     .strike = p->strike};
	push(p, (struct lb_item){LB_BOX, w, 0, 0, 0, false}, ct);
}

/* The items of spans (see above) into p: boxes, glue and penalties, with
 * content[i] saying what box i draws. The first line starts with a box of
 * width indent (\parindent); ragged (or centred) text gets TeX's ragged
 * glue. Grows p->items and p->content (malloc'd; the caller frees). */
static void build_items(struct composer *c, struct para *p, const struct bk_span *spans,
			size_t n, enum tx_face base, double size, double indent, bool ragged)
{
	p->line = n ? spans[0].line : 0;
	p->code_rag = ragged ? code_cell(p, spans, n) : 0;
	p->rag = p->code_rag > 0 ? p->code_rag : ragged ? 3 * size : 0; /* as push_glue's trio */
	p->features = p->base_features;
	/* Room for the items at once, from the text's size: about a box and
	 * a glue for every word (and a penalty and a box more for each
	 * hyphenation point), so that they are not copied as they grow, a
	 * dozen times for a long paragraph. */
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += spans[i].kind == BK_SPAN_TEXT ? spans[i].len : 4;
	size_t want = p->n + bytes / (p->hyph ? 2 : 3) + 8;
	GROW(p->items, p->cap, want);
	GROW(p->content, p->ccap, want);
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
		p->strike = (sp->style & BK_STRIKE) != 0;
		p->synth = synthetic(sp->style, base);
		switch (sp->kind) {
		case BK_SPAN_TEXT: {
			/* A monospace face looks large beside a book face: set it
			 * to about the text's x-height. */
			double sz = face == TX_MONO ? size * 0.88 : size, rise = 0;
			if (sp->style & (BK_SUP | BK_SUB)) {
				rise = sp->style & BK_SUP ? sz * 0.36 : -sz * 0.16;
				sz *= 0.65;
			}
			if (sp->style & BK_SMALLCAPS) {
				/* [x]{.smallcaps}: the font's own small capitals
				 * (OpenType smcp), never capitals scaled down. */
				if (tx_has_small_caps(c->f, face)) {
					p->features = p->base_features | TX_FEAT_SMCP;
					add_text(c, p, sp->text, sp->len, face, sz, rise, sp->link,
						 ragged);
					p->features = p->base_features;
					break;
				}
				if (!c->smcp_warned[face] && c->part) {
					c->smcp_warned[face] = true;
					diag_warning(c->d, c->part->path, sp->line, sp->col,
						     "the font has no small capitals (OpenType smcp): "
						     "[...]{.smallcaps} is set as written");
				}
			}
			add_text(c, p, sp->text, sp->len, face, sz, rise, sp->link, ragged);
			break;
		}
		case BK_SPAN_IMAGE:
			inline_image(c, p, sp, size);
			break;
		case BK_SPAN_NOTEREF: {
			/* A superior figure: smaller, raised, glued to its word. */
			char num[16];
			int len = snprintf(num, sizeof(num), "%d", sp->note + 1);
			if (p->n && p->items[p->n - 1].kind == LB_BOX && p->content[p->n - 1].note >= 0) {
				/* Marks side by side ([^a][^b]) are parted by a
				 * superior comma, or "4" "5" would read as 45. */
				push_box(p, tx_shape(c->f, TX_REGULAR, ",", 1), TX_REGULAR, size * 0.62,
					 size * 0.36, -1);
				/* A line may break after the comma, with no
				 * hyphen: a long run of marks would else be one
				 * box wider than the measure. */
				struct content none = {0};
				push(p, (struct lb_item){LB_PENALTY, 0, 0, 0, 50, false}, none);
			}
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

/* The narrowest a word of n pieces (pc, widths with no hyphen) is set in
 * two lines, hyphen hw after the first: its widest half at its best
 * hyphen. */
static double two_lines(const double *pc, size_t n, double hw)
{
	double all = 0, left = 0, best = 0;
	for (size_t j = 0; j < n; j++)
		all += pc[j];
	best = all;
	for (size_t j = 0; j + 1 < n; j++) {
		left += pc[j];
		double wd = fmax(left + hw, all - left);
		best = wd < best ? wd : best;
	}
	return best;
}

void cp_cell_widths(struct composer *c, const struct bk_span *spans, size_t n, enum tx_face face,
		    double size, bool squeezed, double room, struct cell_width *cw)
{
	struct para p = {.width = 1e9, .room = room, .hyph = c->hyph, .cell = true,
			 .squeezed = squeezed};
	build_items(c, &p, spans, n, face, size, 0, true);
	/* run: the piece since the last break; whole: since the last break
	 * that adds no hyphen (a space, after a dash or a slash), the word a
	 * column keeps whole when it can, its pieces in pc. */
	double run = 0, widest = 0, all = 0, whole = 0, widest_whole = 0, two = 0, hw = 0;
	double pc[64];
	size_t npc = 0;
	bool start = true; /* discardables at a line's start count for nothing */
	for (size_t i = 0; i <= p.n; i++) {
		const struct lb_item *it = i < p.n ? &p.items[i] : NULL;
		if (it && it->kind == LB_BOX) {
			const struct content *ct = &p.content[i];
			const struct bk_image *img = !ct->word && ct->span &&
							     ct->span->kind == BK_SPAN_IMAGE
							     ? ct->span->img
							     : NULL;
			bool share = img && img->want_share > 0 && !(img->want_w > 0) &&
				     !(img->em_w > 0);
			double wd = !img ? it->width : share ? 0 : fmin(it->width, room / 2);
			run += wd;
			whole += wd;
			all += it->width;
			start = false;
			continue;
		}
		if (it && it->kind == LB_GLUE)
			all += it->width;
		bool brk = !it || (it->kind == LB_PENALTY
					   ? it->penalty < LB_INFINITY
					   : i > 0 && p.items[i - 1].kind == LB_BOX &&
						     (i + 1 >= p.n || p.items[i + 1].kind != LB_PENALTY));
		if (brk) {
			bool hyphen = it && it->kind == LB_PENALTY && it->flagged && it->width > 0;
			if (it && run + it->width > widest && it->kind == LB_PENALTY)
				widest = run + it->width; /* a hyphen's width with its piece */
			if (run > widest)
				widest = run;
			if (npc < ARRAY_LEN(pc))
				pc[npc++] = run;
			else
				pc[npc - 1] += run;
			hw = hyphen ? it->width : hw;
			run = 0;
			if (!hyphen) {
				widest_whole = whole > widest_whole ? whole : widest_whole;
				double t = two_lines(pc, npc, hw);
				two = t > two ? t : two;
				whole = 0;
				npc = 0;
			}
			start = true;
		} else if (it && it->kind == LB_GLUE && !start) {
			run += it->width;
			whole += it->width;
		}
	}
	free(p.items);
	free(p.content);
	cw->min = widest;
	cw->whole = widest_whole > widest ? widest_whole : widest;
	cw->two = two < widest ? widest : two > cw->whole ? cw->whole : two;
	cw->max = all;
}

/* How far a word's outer character hangs into the margin, in points:
 * microtype's defaults for a book face, as fractions of the glyph. */
static double protrusion(struct composer *c, const struct tx_word *w, enum tx_face face,
			 double size, bool right)
{
	if (!w->npieces || face == TX_MONO)
		return 0; /* code's characters all have one width: none hangs */
	const struct tx_piece *pc = &w->pieces[right ? w->npieces - 1 : 0];
	const unsigned char *s = (const unsigned char *)pc->text;
	size_t n = pc->len, at = 0;
	if (right) {
		at = n - 1;
		while (at > 0 && (s[at] & 0xC0) == 0x80)
			at--;
	}
	/* Most words start and end with a letter or a digit, which never
	 * hangs: answered before the table. */
	unsigned char ch = n ? s[at] : 0;
	if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))
		return 0;
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

/* Whether the book runs right to left (its language's direction). */
static bool book_rtl(const struct composer *c)
{
	return c->b && bk_lang_rtl(c->b->meta.language);
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
		const struct content *ct = &p->content[k];
		if (w->rtl && ct->len) {
			/* its glyphs run right to left: its text, as written */
			sb_add(&sb, ct->span->text + ct->off, ct->len);
			continue;
		}
		for (size_t i = 0; i < w->npieces; i++) {
			const char *t = w->pieces[i].text;
			for (size_t j = 0; j < w->pieces[i].len; j++) {
				static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl"};
				unsigned char b = (unsigned char)t[j];
				uint32_t cp;
				if ((b == 0xF3 || b == 0xF4) && utf8_decode((const unsigned char *)t + j,
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

/* Whether a line broken at item i draws a mark there: a discretionary
 * hyphen, a forced break's (push_cut), or the continuation mark of a
 * break inside a name from code (name_break). An address's letter
 * break's penalty may have width too, and draws nothing: the kerning it
 * takes back. */
static bool marked_break(const struct para *p, size_t i)
{
	const struct lb_item *it = &p->items[i];
	return it->kind == LB_PENALTY &&
	       ((it->width > 0 && (it->flagged || p->content[i].cut)) ||
		(p->content[i].in_name && p->content[i].word));
}

/* Optical margins, known to the breaker so that it can use them: how
 * far each breakpoint's neighbours may hang into the margins. The arrays
 * (NULL when the paragraph does not protrude) are in c->scratch. */
static void margins(struct composer *c, const struct para *pp, bool justify,
		    struct lb_params *prm, double **right, double **left)
{
	const struct para p = *pp;
	double *hang_r = NULL, *hang_l = NULL;
	prm->end_stretch = justify ? 0 : p.rag;
	if (justify && c->st->protrusion) {
		hang_r = ar_alloc(&c->scratch, p.n * sizeof(double));
		hang_l = ar_alloc(&c->scratch, p.n * sizeof(double));
		for (size_t i = 1; i < p.n; i++) {
			const struct lb_item *it = &p.items[i];
			if (it->kind == LB_BOX)
				continue;
			const struct content *prev = &p.content[i - 1];
			if (marked_break(&p, i) && prev->word)
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
 * measure (hsize) and left edge of its lines. The memo's key (same_shape):
 * a field added here is compared there and listed in para_shape_known. */
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
	bool cell;           /* a table cell: numbers never part from their units */
	bool squeezed;       /* a cell narrower than its content: see struct para */
	bool balance;        /* a display line (title, byline): broken into lines of
			      * near-equal length (balance.c) */
	bool book_dir;       /* octavo's own lines (a contents entry, a title): set in
			      * the book's direction (bk_lang_rtl of its language),
			      * whatever their first letter; words of the other
			      * direction still reordered */
	bool smallcaps;      /* in the font's small capitals, where it has them (h6) */
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

/* Whether the page builder asked for paragraph serial (+ 1) to be set a
 * line looser. */
static bool in_serials(const int *v, size_t n, int serial)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] == serial)
			return true;
		if (v[mid] < serial)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The loosest line's adjustment ratio. The looser setting of an opening
 * stops where the breaker's r passes 2.4: the report measures a line's r
 * on its spaces alone, after expansion and protrusion, and a breaker's
 * 2.8 read as 3.2 there (the edition's p. 13); 2.4 keeps every line of
 * the edition and the language books under the report's r = 3. */
#define WIDE_MAX_R 2.4
static double worst_ratio(const struct lb_result *r)
{
	double w = 0;
	for (size_t i = 0; i + 1 < r->nlines; i++) /* the last line is free */
		if (r->ratios[i] > w)
			w = r->ratios[i];
	return w;
}

/* The hyphenation points of the paragraph being set that the page builder
 * asked it not to break at (cp_setting's whole): no longer breakpoints. */
static void keep_whole(const struct composer *c, struct para *p)
{
	if (!c->again)
		return;
	for (size_t k = 0; k < c->again->nwhole; k++) {
		uint64_t w = c->again->whole[k];
		size_t i = (size_t)(w & 0xffffffffu);
		if ((int)(w >> 32) == c->para_serial + 1 && i < p->n &&
		    p->items[i].kind == LB_PENALTY && p->items[i].flagged)
			p->items[i].penalty = LB_INFINITY;
	}
}

/*
 * bp's items made again from ps for a pass after the first: with the
 * hyphenation points, letter breaks and emergency cuts want asks for
 * (its hyph, letters, cut and ncut; the rest of it unused), and the
 * paragraph's own settings as the first pass made them (expansion,
 * measure, a cell's rules, its small capitals: base_features). The old
 * items are freed and the scratch arena released (the old margins); the
 * words the page builder keeps whole stay whole (keep_whole), and prm
 * gets the new items' margins. bp->res is left to the caller.
 */
static void rebuild_para(struct composer *c, const struct para_shape *ps, struct broken *bp,
			 struct lb_params *prm, const struct para *want)
{
	struct para *p = &bp->p;
	free(p->items);
	free(p->content);
	ar_release(&c->scratch);
	*p = (struct para){.expand = p->expand, .width = ps->width, .hyph = want->hyph,
			   .cell = ps->cell, .squeezed = ps->squeezed,
			   .base_features = p->base_features, .letters = want->letters,
			   .cut = {want->cut[0], want->cut[1]},
			   .ncut = {want->ncut[0], want->ncut[1]}};
	build_items(c, p, ps->spans, ps->n, ps->base, ps->size, ps->indent,
		    ps->ragged || ps->centre);
	p->cut[0] = p->cut[1] = NULL; /* (want's, the caller's to free) */
	p->ncut[0] = p->ncut[1] = 0;
	keep_whole(c, p);
	prm->hang_right = prm->hang_left = NULL; /* (the scratch arena's, released) */
	margins(c, p, bp->justify, prm, &bp->hang_r, &bp->hang_l);
}

/*
 * The emergency pass left a line overfull: a run with no legal breakpoint
 * wider than the line. Sets the paragraph again with emergency breaks in
 * such runs (cut.c): at their punctuation and between their spans first,
 * then, where a line is still overfull, between any two characters. Does
 * nothing to a paragraph with no line overfull.
 */
static void recut(struct composer *c, const struct para_shape *ps, struct broken *bp,
		  struct lb_params *prm)
{
	struct para *p = &bp->p;
	uintptr_t *marks[2] = {NULL, NULL};
	size_t nmarks[2] = {0, 0};
	for (int level = 0; level < 2 && cp_overfull(&bp->res); level++) {
		size_t nb;
		size_t *boxes = cp_wide_runs(p->items, p->n, &bp->res, ps->width, &nb);
		marks[level] = xmalloc((nb ? nb : 1) * sizeof(uintptr_t));
		for (size_t k = 0; k < nb; k++) {
			const struct content *ct = &p->content[boxes[k]];
			if (ct->word && ct->span && ct->span->kind == BK_SPAN_TEXT)
				marks[level][nmarks[level]++] = (uintptr_t)(ct->span->text + ct->off);
		}
		free(boxes);
		if (!nmarks[level])
			break;
		qsort(marks[level], nmarks[level], sizeof(uintptr_t), cmp_uptr);
		*prm = c->params;
		rebuild_para(c, ps, bp, prm,
			     &(struct para){.hyph = c->hyph, .letters = p->letters,
					    .cut = {marks[0], marks[1]},
					    .ncut = {nmarks[0], nmarks[1]}});
		prm->emergency = true;
		prm->tolerance = 1e9;
		lb_result_release(&bp->res);
		lb_break(p->items, p->n, ps->width, prm, &bp->res);
	}
	free(marks[0]);
	free(marks[1]);
}

/*
 * The paragraph bp set in its first pass, without hyphenation points, set
 * again with them (and the words the page builder keeps whole), at the
 * book's parameters into *prm: what a looser or tighter setting breaks.
 * Returns false when that set is not feasible: bp is then set in the
 * emergency pass, as it stays. Nothing when bp has its points already.
 */
static bool with_hyphens(struct composer *c, const struct para_shape *ps, struct broken *bp,
			 struct lb_params *prm)
{
	struct para *p = &bp->p;
	if (p->hyph || !c->hyph)
		return true;
	*prm = c->params;
	rebuild_para(c, ps, bp, prm, &(struct para){.hyph = c->hyph});
	lb_result_release(&bp->res);
	if (lb_break(p->items, p->n, ps->width, prm, &bp->res) == 0)
		return true;
	prm->emergency = true;
	prm->tolerance = 1e9;
	lb_break(p->items, p->n, ps->width, prm, &bp->res);
	recut(c, ps, bp, prm);
	return false;
}

/*
 * The paragraph bp, which no setting at the book's tolerance fits, made
 * again with letter breaks in its URLs and code (add_letters), for the
 * looser passes to weigh against loose lines; margins as for prm.
 * Nothing when no word of it could take them, or it is not justified
 * (ragged and centred lines end where they may).
 */
static void with_letters(struct composer *c, const struct para_shape *ps, struct broken *bp,
			 struct lb_params *prm)
{
	struct para *p = &bp->p;
	if (!p->letterable || p->letters || !bp->justify)
		return;
	rebuild_para(c, ps, bp, prm, &(struct para){.hyph = c->hyph, .letters = true});
	lb_result_release(&bp->res);
}

/*
 * A line fewer, as TeX's \looseness -1, for the page builder: of the
 * settings with one line fewer than bp's, with hyphenation and at the
 * book's tolerance (no line shrunk past its glue's shrink, r >= -1), the
 * one of fewest demerits (lb_params' lines). A paragraph the book's
 * tolerance could not set (the looser pass) may keep lines as loose as
 * its loosest: no worse than it was (notes100's line of 120 note marks,
 * r 1.37: a line fewer gives its part's p. 4 the line it lacked). bp
 * stays as it is when there is none.
 */
static void set_tighter(struct composer *c, const struct para_shape *ps, struct broken *bp,
			struct lb_params *prm)
{
	size_t want = bp->res.nlines - 1;
	if (!with_hyphens(c, ps, bp, prm))
		return;
	prm->hyphenate = true;
	double was = worst_ratio(&bp->res);
	prm->tolerance = was > c->params.tolerance ? was : c->params.tolerance;
	prm->line_bonus = 0;
	prm->lines = want;
	struct lb_result r2;
	if (lb_break(bp->p.items, bp->p.n, ps->width, prm, &r2) == 0) {
		lb_result_release(&bp->res);
		bp->res = r2;
	}
	prm->lines = 0;
}

/*
 * A line more, as TeX's \looseness 1, for the page builder: each line's
 * demerits lowered (line_bonus) just enough that one more line wins, with
 * the hyphenation points the first pass did without; where no bonus tried
 * gives exactly one more, the fewest demerits at that many lines
 * (lb_params' lines). At r <= 2 (TeX's \emergencystretch, in effect); up
 * to r = 2.4 for a paragraph on an opening that still ends two lines
 * short (cp_setting's wide); at r <= 1 for one that only evens a spread
 * a line short (cp_setting's snug). bp stays as it is when there is none.
 */
static void set_looser(struct composer *c, const struct para_shape *ps, struct broken *bp,
		       struct lb_params *prm)
{
	struct para *p = &bp->p;
	size_t want = bp->res.nlines + 1;
	bool wide = in_serials(c->again->wide, c->again->nwide, c->para_serial + 1);
	/* Snug: no line loose (TeX's \pretolerance). Kept from the
	 * hyphenation its first pass did without, it evened no page of the
	 * edition (depth 57 -> 55). */
	bool snug = !wide && in_serials(c->again->snug, c->again->nsnug, c->para_serial + 1);
	if (!with_hyphens(c, ps, bp, prm))
		return;
	prm->hyphenate = true;
	prm->tolerance = snug ? 1 : c->params.tolerance * (wide ? 2.5 : 1.6);
	/* The bonus that makes a line more win grows with how loose the
	 * lines must go (demerits ~ (100 r^3)^2): up to r ~ 3. */
	static const double bonus[] = {3e3, 1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7, 3e7};
	size_t nbonus = wide ? sizeof(bonus) / sizeof(*bonus) : 5;
	for (size_t k = 0; k <= nbonus; k++) {
		struct lb_result r2;
		/* the last try: exactly want lines */
		prm->line_bonus = k < nbonus ? bonus[k] : 0;
		prm->lines = k < nbonus ? 0 : want;
		int rc = lb_break(p->items, p->n, ps->width, prm, &r2);
		prm->lines = 0;
		if (rc < 0)
			return; /* nothing feasible at this tolerance, whatever the bonus */
		if (r2.nlines == want) {
			/* Never past r = 3 (the ceiling the language books
			 * hold octavo to): a page a line or two short reads
			 * better than a gappy line. */
			if (wide && worst_ratio(&r2) > WIDE_MAX_R) {
				lb_result_release(&r2);
				return;
			}
			lb_result_release(&bp->res);
			bp->res = r2;
			return;
		}
		size_t got = r2.nlines;
		lb_result_release(&r2);
		if (got > want && k < nbonus)
			k = nbonus - 1; /* the bonus overshot: straight to the exact try */
	}
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
	p->cell = ps->cell;
	p->squeezed = ps->squeezed;
	p->base_features =
		ps->smallcaps && tx_has_small_caps(c->f, ps->base) ? TX_FEAT_SMCP : 0;
	build_items(c, p, ps->spans, ps->n, ps->base, ps->size, ps->indent, free_shape);
	if (!c->measuring)
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
		prm = c->params;
		rebuild_para(c, ps, bp, &prm, &(struct para){.hyph = c->hyph});
	}
	prm.hyphenate = true;
	prm.tolerance = c->params.tolerance;
	if (rc < 0 && lb_break(p->items, p->n, ps->width, &prm, &bp->res) < 0) {
		prm.tolerance = 10; /* looser lines before none */
		prm.soft_final_hyphen = true;
		with_letters(c, ps, bp, &prm);
		if (lb_break(p->items, p->n, ps->width, &prm, &bp->res) < 0) {
			prm.emergency = true;
			prm.tolerance = 1e9;
			lb_break(p->items, p->n, ps->width, &prm, &bp->res);
			recut(c, ps, bp, &prm);
		}
	}
	if (ps->balance && free_shape)
		lb_balance(p->items, p->n, ps->width, c->st->short_top, &bp->res);
	assert(bp->res.nlines > 0 && bp->res.breaks[bp->res.nlines - 1] == p->n - 1);
	/* The page builder's asks: looser only of a paragraph the book's
	 * tolerance set (one set looser already would pass r = 2: notes100's
	 * 2.24); tighter of any but one set in the emergency pass. */
	if (c->measuring)
		return true;
	if (!prm.emergency && prm.tolerance <= c->params.tolerance && bp->justify &&
	    c->again && in_serials(c->again->loose, c->again->nloose, c->para_serial + 1)) {
		set_looser(c, ps, bp, &prm);
	} else if (!prm.emergency && bp->justify && bp->res.nlines > 1 && c->again &&
		   in_serials(c->again->tight, c->again->ntight, c->para_serial + 1)) {
		set_tighter(c, ps, bp, &prm);
	}
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
	double rag;             /* what it is left short by at a break in code or an
				 * address (a rag or a letter break's share), points */
};

/* The loosest a justified line is set: spaces three times their natural
 * width (in Charis about 0.7 em), past the loosest line the breaker's
 * passes choose but in an emergency. */
#define LOOSE_CAP 4.0

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
	lf->hyphen = marked_break(p, end);
	/* (one of negative width takes back a kerning: kern_at) */
	if (p->items[end].kind == LB_PENALTY)
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
		/* a break that may leave the line short (a letter break)
		 * takes its share as a short end */
		double ps_ = d >= 0 && p->items[end].kind == LB_PENALTY ? p->items[end].stretch : 0;
		double all = gs + bs + ps_;
		/* a break inside code may leave it short once its spaces are
		 * at full stretch (add_code's rag) */
		double rag = 0;
		if (d > 0 && lb_rag(&p->items[end]) > 0)
			rag = lb_rag_taken(d, all, lb_rag(&p->items[end]));
		d -= rag;
		double q = all > 0 ? d / all : 0;
		if (q > 1 || q < -1) {
			er = q > 0 ? 1 : -1;
			r = gs > 0 ? (d - er * (bs + ps_)) / gs : 0;
		} else {
			er = q;
			r = q;
		}
		lf->rag = rag + (q > 0 ? er * ps_ : 0);
	}
	lf->natural = natural;
	lf->stretch = stretch;
	lf->shrink = shrink;
	lf->bstretch = bstretch;
	lf->bshrink = bshrink;
	lf->r = r;
	lf->er = er;
}

/* The source line and column (0 when not known: a break past a line
 * end inside its span) of the break whose penalty's content is ct. */
static void name_place(const struct content *ct, int *line, int *col)
{
	const struct bk_span *sp = ct->span;
	*line = ct->line;
	*col = 0;
	if (!sp || sp->kind != BK_SPAN_TEXT || ct->off > sp->len || sp->line != ct->line)
		return;
	int k = sp->col;
	for (size_t q = 0; q < ct->off; q++) {
		if (sp->text[q] == '\n')
			return;
		k += ((unsigned char)sp->text[q] & 0xC0) != 0x80;
	}
	*col = k;
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
	const struct content *at = &p->content[lf->end];
	bool cut = p->items[lf->end].kind == LB_PENALTY && at->cut;
	if (cut) /* a forced break: told at its place (cut.c) */
		cp_note_cut(c, at->span, at->off, at->line, at->word != NULL);
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
		NULL,
		ps->x0 - lf->left, 0, ps->x0 + ps->width + lf->right, 0,
		c->para_serial, (int)li, (int)bp->res.nlines, c->in_note, false, false, cut,
		ps->size > 0 ? (float)(lf->rag / ps->size) : 0,
		ps->cell && p->items[lf->end].kind == LB_PENALTY && p->items[lf->end].flagged &&
			p->items[lf->end].width > 0,
		p->items[lf->end].kind == LB_PENALTY && at->in_name,
		0, 0,
	};
	struct pg_line *ln = &c->doc->linev[c->doc->nlinev - 1];
	if (ln->in_name)
		name_place(at, &ln->name_line, &ln->name_col);
	if (!c->doc->quoted || ln->overfull || ln->cut || ln->in_name ||
	    (ln->justified && ln->ratio > 1))
		ln->text = line_text(c, p, lf->start, lf->end, lf->hyphen && !at->word);
}

/* A line holding an image taller than the type (inline_image) grows
 * upward, as a browser's line box does, to keep the image clear of the
 * line above's descenders; a body line then keeps to the baseline grid
 * (page.c's next_at snaps it down to the next grid line). In a table's
 * cell it keeps clear of the row above's images too (their feet at the
 * descender), as a cell's padding would. */
static void grow_line(const struct para *p, const struct line_fit *lf,
		      const struct para_shape *ps, struct vline *l)
{
	double top = 0; /* the tallest image's top above the baseline */
	for (size_t k = lf->start; k < lf->end; k++) {
		const struct content *ct = &p->content[k];
		if (p->items[k].kind == LB_BOX && !ct->word && ct->span &&
		    ct->span->kind == BK_SPAN_IMAGE && ct->size + ct->rise > top)
			top = ct->size + ct->rise;
	}
	double room = ps->leading - (ps->cell ? 0.45 : 0.25) * ps->size; /* below the line above */
	if (top > room)
		l->advance += top - room;
}

/* The ratio line lf is drawn at: its own, but for a line the breaker
 * could set only far looser than any it chose because what follows is a
 * run wider than half the measure that fits no line with it (TeX's
 * underfull box: the line before a long key in code or a URL, "• Gibson
 * Fahnestock <...>" at r = 43), drawn at its natural spacing (0, its
 * words unexpanded) and left short, as a last line is: gaps of an em and
 * more read as holes, not as a line. A loose line before a word of prose
 * (a paragraph set loose for the page) is spaced out as it was broken,
 * since a short line inside a paragraph would read as its end. The report
 * gives the ratio the line needed. */
static double drawn_ratio(const struct broken *bp, const struct line_fit *lf)
{
	if (!bp->justify || lf->last || lf->r <= LOOSE_CAP)
		return lf->r;
	const struct para *p = &bp->p;
	size_t k = lf->end + 1;
	while (k < p->n && p->items[k].kind != LB_BOX)
		k++;
	double run = 0; /* the next unbreakable run */
	for (; k < p->n && p->items[k].kind == LB_BOX; k++)
		run += p->items[k].width;
	return run > lf->target / 2 && lf->natural + run > lf->target ? 0 : lf->r;
}

/* The boxes from item *k that draw one word, the pieces of a word the
 * font joins across its hyphenation points (struct content's join) where
 * the line, ending at item end, goes on past them: the run shaped whole,
 * *run its boxes together (their widths add up to its width: add_joined),
 * *k its last box. *k's own word and box where none joins. */
static const struct tx_word *joined_run(struct composer *c, const struct para *p, size_t *k,
					size_t end, struct lb_item *run)
{
	const struct content *ct = &p->content[*k];
	size_t m = *k;
	*run = p->items[m];
	while (p->content[m].join && m + 2 < end && p->items[m + 2].kind == LB_BOX) {
		m += 2;
		run->width += p->items[m].width;
		run->stretch += p->items[m].stretch;
		run->shrink += p->items[m].shrink;
	}
	if (m == *k)
		return ct->word;
	*k = m;
	const char *s = ct->span->text + ct->off;
	size_t n = p->content[m].off + p->content[m].len - ct->off;
	return ct->feats ? tx_shape_features(c->f, ct->face, s, n, ct->feats)
			 : tx_shape(c->f, ct->face, s, n);
}

/* An image inside a sentence (inline_image), w wide at x, and its link. */
static void draw_image(struct composer *c, struct vline *l, const struct content *ct, double w,
		       double x)
{
	cp_add_op(l, (struct op){.kind = OP_IMAGE, .x = x, .dy = ct->rise, .w = w, .h = ct->size,
				 .img = ct->span->img});
	if (ct->link >= 0 && c->part)
		cp_add_op(l, (struct op){.kind = OP_LINK, .x = x, .dy = ct->rise, .w = w,
					 .h = ct->size, .url = c->part->links[ct->link]});
}

/* ===== the bidirectional algorithm over a paragraph ==================== */

/* A paragraph holding right-to-left text, as FriBidi sees it: each box's
 * text (its span's; U+FFFC, a neutral, for an image, an indent, a note's
 * mark), a space for each glue, nothing for a penalty. */
struct para_bidi {
	const struct tx_bidi *b;
	const size_t *at; /* [n + 1]: where item k's characters start */
};

/* The code point at s[i] (n bytes), its length in *m: as utf8_decode, a
 * byte that starts none one U+FFFD. */
static uint32_t next_cp(const char *s, size_t n, size_t i, size_t *m)
{
	uint32_t cp;
	int k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
	*m = k > 0 ? (size_t)k : 1;
	return k > 0 ? cp : 0xFFFD;
}

/* The characters item k adds to the paragraph's text, written to out
 * when it is not NULL; returns how many. */
static size_t item_text(const struct para *p, size_t k, uint32_t *out)
{
	const struct content *ct = &p->content[k];
	if (p->items[k].kind == LB_PENALTY)
		return 0;
	if (p->items[k].kind == LB_GLUE || !ct->word || !ct->len) {
		if (out)
			*out = p->items[k].kind == LB_GLUE ? ' ' : 0xFFFC;
		return 1;
	}
	const char *s = ct->span->text + ct->off;
	size_t n = 0;
	for (size_t i = 0, m; i < ct->len; i += m, n++) {
		uint32_t cp = next_cp(s, ct->len, i, &m);
		if (out)
			out[n] = cp;
	}
	return n;
}

/*
 * Fills pb for paragraph p when it runs right to left or holds a word
 * that does: its embedding levels, resolved once over the whole
 * paragraph (text/bidi.c), out of c->scratch. False, and nothing read,
 * for a paragraph wholly left to right (the most of most books): its
 * lines are drawn as they were broken.
 */
static bool para_bidi(struct composer *c, const struct para_shape *ps, const struct para *p,
		      struct para_bidi *pb)
{
	bool rtl = ps->book_dir ? book_rtl(c) : cp_para_rtl(ps->spans, ps->n);
	if (!rtl && !p->rtl_words)
		return false;
	size_t *at = ar_alloc(&c->scratch, (p->n + 1) * sizeof(*at)), n = 0;
	for (size_t k = 0; k < p->n; k++) {
		at[k] = n;
		n += item_text(p, k, NULL);
	}
	at[p->n] = n;
	uint32_t *text = ar_alloc(&c->scratch, (n ? n : 1) * sizeof(*text));
	for (size_t k = 0; k < p->n; k++)
		item_text(p, k, text + at[k]);
	pb->b = tx_bidi_new(text, n, rtl, &c->scratch);
	pb->at = at;
	return true;
}

/*
 * Draws box k's word at x (scaled by hs) as runs of one embedding level
 * each, where the paragraph's levels differ inside it ("2024," in a Hebrew
 * sentence: the digits at level 2, the comma at 1; "ב־Habitat") or give it
 * a direction its own letters do not ("(" alone at level 1, mirrored):
 * each run shaped alone in its level's direction, an element of the line
 * (*bx, from the one draw_line began for the box on) of its own. The last
 * run's room takes what the runs shaped apart lack of the word's width
 * (a kerning across the cut). False, drawing nothing, where the word is
 * drawn whole.
 */
static bool bidi_runs(struct composer *c, const struct para_bidi *pb, const struct para *p,
		      size_t k, double x, double hs, struct vline *l, struct cp_bidi_box **bx,
		      size_t *nbx, size_t *cap)
{
	const struct content *ct = &p->content[k];
	size_t c0 = pb->at[k], c1 = pb->at[k + 1];
	const int8_t *lv = pb->b->level;
	if (!ct->len)
		return false;
	bool uniform = true;
	for (size_t i = c0 + 1; i < c1 && uniform; i++)
		uniform = lv[i] == lv[c0];
	if (uniform && (lv[c0] % 2 == 0 || ct->word->dir == 1))
		return false; /* as shaped: left to right, or by its own letters */
	const char *s = ct->span->text + ct->off;
	size_t i = 0, ci = c0;
	while (i < ct->len) {
		size_t j = i, cj = ci, m;
		while (j < ct->len && lv[cj] == lv[ci]) {
			next_cp(s, ct->len, j, &m);
			j += m;
			cj++;
		}
		unsigned dir = lv[ci] % 2 ? TX_FEAT_RTL : 0;
		const struct tx_word *w = tx_shape_features(c->f, ct->face, s + i, j - i,
							    ct->feats | dir);
		if (ci > c0) {
			GROW(*bx, *cap, *nbx + 1);
			(*bx)[(*nbx)++] = (struct cp_bidi_box){.op0 = l->nops, .x = x};
		}
		struct cp_bidi_box *e = &(*bx)[*nbx - 1];
		e->c0 = ci;
		e->c1 = cj;
		cp_add_word_scaled(l, w, ct->face, ct->size, x, ct->rise, hs);
		e->op1 = l->nops;
		e->w = cp_word_width(w, ct->size) * hs;
		x += e->w;
		i = j;
		ci = cj;
	}
	return true;
}

/*
 * A line broken at a discretionary hyphen (or push_cut's forced break):
 * the word's first half tagged a word of its own, and the hyphen or the
 * mark drawn after it, its right edge at x (where the line's last box
 * ends) plus the break's width. With rtl, the line's last run (from
 * rtl->x, its ops from rtl->op0) is right to left, so its end is its
 * left: the mark goes there, and the run moves right by the break's
 * width, so that the mark is at the line's end side.
 */
static void draw_hyphen(struct composer *c, const struct para_shape *ps, const struct para *p,
			const struct line_fit *lf, double x, size_t word_from, struct vline *l,
			const struct cp_bidi_box *rtl)
{
	const struct lb_item *brk = &p->items[lf->end];
	const struct content *prev = &p->content[lf->end - 1];
	enum tx_face hf = prev->word ? prev->face : ps->base;
	double hs = prev->word ? prev->size : ps->size;
	/* The word's first half, a word of its own to the tags (not a name's) */
	for (size_t i = word_from; i < l->nops && !p->content[lf->end].in_name; i++)
		if (l->ops[i].kind == OP_TEXT &&
		    (l->ops[i].role == PG_ROLE_BODY || l->ops[i].role == PG_ROLE_LANG)) {
			/* (in a passage: its language, for the word's Span) */
			l->ops[i].lang = l->ops[i].role == PG_ROLE_LANG &&
						 l->ops[i].ref + 1 <= OP_LANG_MAX
					 ? (uint16_t)(l->ops[i].ref + 1)
					 : 0;
			l->ops[i].role = PG_ROLE_WORD;
			l->ops[i].ref = (int32_t)c->doc->hyphenated;
		}
	size_t from = l->nops;
	const struct content *mark = &p->content[lf->end];
	/* push_cut's mark or a hyphen, its right edge at the break's width */
	const struct tx_word *mw = mark->word ? mark->word : tx_shape(c->f, hf, "-", 1);
	double ms = mark->word ? mark->size : hs, at = x + brk->width - cp_word_width(mw, ms);
	cp_add_word(l, mw, mark->word ? mark->face : hf, ms, at, 0);
	cp_tag_ops(l, from, NULL, PG_ROLE_ARTIFACT, 0);
	for (size_t i = from; i < l->nops; i++)
		l->ops[i].flags |= PG_JOIN;
	for (size_t i = rtl ? rtl->op0 : l->nops; i < l->nops; i++)
		l->ops[i].x += i < from ? brk->width : rtl->x - at;
}

/* Draws the line's boxes onto l: each word at its place, the glue between
 * set at ratio r, the words scaled by er, and a hyphen at a flagged break.
 * For a tagged PDF it also says what the pieces are (struct pg_tag): link
 * text, note marks, the two halves of a word hyphenated here, where a
 * reader's text has spaces, and that the added hyphen is no content. */
static void draw_line(struct composer *c, const struct para_shape *ps, const struct broken *bp,
		      const struct para_bidi *pb, const struct line_fit *lf, struct vline *l)
{
	const struct para *p = &bp->p;
	double size = ps->size, r = drawn_ratio(bp, lf), er = r == lf->r ? lf->er : 0;
	double x = ps->x0 - lf->left;
	if (ps->centre)
		x = ps->x0 + (ps->width - lf->natural) / 2;
	size_t last_text = SIZE_MAX; /* the op of the last piece drawn */
	size_t word_from = l->nops;  /* the ops since the last glue: the line's last word */
	/* A line after a break at a discretionary hyphen starts with the
	 * rest of that word (c->doc->hyphenated counted its first half). */
	bool cont = lf->start > 0 && p->items[lf->start - 1].kind == LB_PENALTY &&
		    p->items[lf->start - 1].flagged && p->items[lf->start - 1].width > 0;
	double struck = -1; /* where the last struck box ended, -1 after an unstruck one */
	/* Right-to-left text: the boxes and spaces, each run of one embedding
	 * level, to be put in visual order (bidi.c). */
	struct cp_bidi_box *bx = NULL;
	size_t nbx = 0, bxcap = 0;
	for (size_t k = lf->start; k < lf->end; k++) {
		const struct lb_item *it = &p->items[k];
		struct lb_item run; /* it, or a word's pieces joined (joined_run) */
		if (pb && it->kind != LB_PENALTY) {
			GROW(bx, bxcap, nbx + 1);
			bx[nbx++] = (struct cp_bidi_box){.op0 = l->nops, .x = x, .c0 = pb->at[k],
							 .c1 = pb->at[k + 1]};
		}
		if (it->kind == LB_BOX) {
			const struct content *ct = &p->content[k];
			/* pieces of a word the font joins, drawn as one */
			size_t k0 = k;
			const struct tx_word *word = joined_run(c, p, &k, lf->end, &run);
			it = &run;
			if (pb && k != k0) /* the run's characters, all its pieces' */
				bx[nbx - 1].c1 = pb->at[k + 1];
			if (!word && ct->span && ct->span->kind == BK_SPAN_IMAGE)
				draw_image(c, l, ct, it->width, x);
			/* An expanded word is drawn horizontally scaled. */
			double hs = it->width > 0 ? 1 + er * (er >= 0 ? it->stretch : it->shrink) / it->width
						  : 1;
			if (ct->strike && (word || ct->span)) {
				/* Through the middle of the x-height, across the
				 * spaces between struck words too. */
				double from = struck >= 0 ? struck : x;
				cp_add_op(l, (struct op){.kind = OP_RULE, .x = from, .dy = size * 0.25,
							 .w = x + it->width * hs - from, .h = size * 0.05});
			}
			struck = ct->strike ? x + it->width * hs : -1;
			if (word && ct->note >= 0) {
				/* The reference mark links to its note. */
				struct op op = {.kind = OP_LINK, .x = x - 1, .dy = -1,
						.w = it->width + 2, .h = size,
						.role = PG_ROLE_NOTEREF, .ref = ct->note};
				cp_add_op(l, op);
			}
			if (word) {
				size_t from = l->nops;
				/* a joined run is drawn whole, at the level of its first piece */
				if (!pb || k != k0 || !bidi_runs(c, pb, p, k, x, hs, l, &bx, &nbx, &bxcap))
					cp_add_word_scaled(l, word, ct->face, ct->size, x, ct->rise, hs);
				for (size_t o = from; ct->synth && o < l->nops; o++)
					l->ops[o].flags |= ct->synth;
				if (ct->note >= 0)
					cp_tag_ops(l, from, NULL, PG_ROLE_NOTEREF, ct->note);
				else if (ct->link >= 0 && c->part)
					cp_tag_ops(l, from, NULL, PG_ROLE_LINK, ct->link);
				else if (cont) {
					cp_tag_ops(l, from, NULL, PG_ROLE_WORD,
						   (int)c->doc->hyphenated - 1);
					cp_word_lang(c, l, from, ct->span ? ct->span->lang : NULL);
				}
				else if (ct->span && ct->span->lang)
					cp_tag_lang(c, l, from, ct->span->lang);
				if (l->nops > from)
					last_text = l->nops - 1;
				if (ct->link >= 0 && c->part) {
					struct op op = {.kind = OP_LINK, .x = x,
							.dy = -size * 0.25, .w = it->width,
							.h = size * 1.0,
							.url = c->part->links[ct->link],
							.role = PG_ROLE_LINK,
							.ref = ct->link};
					cp_add_op(l, op);
				}
			}
			x += it->width * hs;
		} else if (it->kind == LB_GLUE) {
			double w = it->width;
			if (bp->justify && (!lf->last || r < 0))
				w += r >= 0 ? r * it->stretch : r * it->shrink;
			x += w;
			if (last_text != SIZE_MAX)
				l->ops[last_text].flags |= PG_SPACE;
			last_text = SIZE_MAX;
			word_from = l->nops;
			cont = false;
		}
		if (pb && it->kind != LB_PENALTY) { /* the box's last run ends at its end */
			bx[nbx - 1].op1 = l->nops;
			bx[nbx - 1].w = x - bx[nbx - 1].x;
		}
	}
	/* A line ends with a space to a reader unless it breaks inside a
	 * word: at a hyphen, a dash, a URL's punctuation. */
	const struct lb_item *brk = &p->items[lf->end];
	bool at_space = brk->kind == LB_GLUE ||
			(lf->end > 0 && p->items[lf->end - 1].kind == LB_GLUE) ||
			/* a tie's penalty before its space (a number and its unit) */
			(brk->kind == LB_PENALTY && !brk->flagged && brk->width == 0 &&
			 lf->end + 1 < p->n && p->items[lf->end + 1].kind == LB_GLUE);
	size_t end_text = SIZE_MAX;
	for (size_t i = l->nops; i-- > 0 && end_text == SIZE_MAX;)
		if (l->ops[i].kind == OP_TEXT)
			end_text = i;
	if (!at_space && end_text != SIZE_MAX)
		l->ops[end_text].flags |= PG_JOIN;
	/* A break at a flagged penalty with width draws its hyphen. */
	if (lf->hyphen) {
		/* the line's last run, when it runs right to left */
		const struct cp_bidi_box *rtl =
		    nbx && pb->b->level[bx[nbx - 1].c1 - 1] % 2 ? &bx[nbx - 1] : NULL;
		draw_hyphen(c, ps, p, lf, x, word_from, l, rtl);
		if (nbx) { /* with the word it ends */
			bx[nbx - 1].op1 = l->nops;
			bx[nbx - 1].w = x + brk->width - bx[nbx - 1].x;
		}
	}
	if (pb)
		cp_bidi_line(l, bx, nbx, pb->b, ps->x0 - lf->left, ps->x0 + lf->target - lf->left,
			     &c->scratch);
	free(bx);
}

/* ===== paragraphs set again ============================================ */

/*
 * A part set again (page.c's set_again) breaks most of its paragraphs as
 * it did before: only those its cp_setting names can change. The memo
 * keeps each paragraph's breaking (struct broken) from the part's last
 * set, by serial, with what it was broken from: the shape, a copy of its
 * spans and their text, and the page builder's asks of it. A paragraph
 * set again from all the same takes that breaking rather than building
 * its items and breaking them again; its lines are then drawn as ever,
 * so that what they count and record is the same. break_para reads
 * nothing else that changes between the sets (c->hyph and c->params are
 * the book's; its warnings are told the first time only).
 */
struct memo_entry {
	bool set;
	struct para_shape ps;
	struct bk_span *spans; /* ps.n, malloc'd */
	char *text;	       /* the text spans' bytes, one after another */
	unsigned asks;	       /* MEMO_LOOSE... */
	uint64_t *whole;       /* the words kept whole in it (cp_setting's whole) */
	size_t nwhole;
	struct broken bp; /* its hangs malloc'd, not in the scratch arena */
	size_t bytes;
};

struct cp_memo {
	int serial0; /* c->para_serial as the part began */
	struct memo_entry *v; /* MEMO_WAYS a serial, the newest first */
	size_t n, cap;
	size_t bytes; /* held now (entries and their slots), at most MEMO_BYTES */
};

enum { MEMO_LOOSE = 1, MEMO_TIGHT = 2, MEMO_WIDE = 4, MEMO_SNUG = 8 };

/* Settings kept of each paragraph: its last two (a set tried and not kept
 * leaves the one kept before it; set_again's next try starts from that). */
#define MEMO_WAYS 2

/* The most the memo holds: past it, paragraphs are not kept (set again,
 * they are broken again). The Node.js docs' longest part, 4,441 lines,
 * held 7.2 MB. */
#define MEMO_BYTES ((size_t)16 << 20)

void cp_memo_begin(struct composer *c)
{
	assert(!c->memo);
	c->memo = xcalloc(1, sizeof(*c->memo));
	c->memo->serial0 = c->para_serial;
}

static void memo_entry_release(struct memo_entry *m)
{
	if (!m->set)
		return;
	free(m->spans);
	free(m->text);
	free(m->whole);
	free(m->bp.hang_r);
	free(m->bp.hang_l);
	broken_release(&m->bp);
	*m = (struct memo_entry){0};
}

void cp_memo_end(struct composer *c)
{
	if (!c->memo)
		return;
	for (size_t i = 0; i < c->memo->n; i++)
		memo_entry_release(&c->memo->v[i]);
	free(c->memo->v);
	free(c->memo);
	c->memo = NULL;
}

/* The page builder's asks of the paragraph being set (MEMO_*), and the
 * words it keeps whole in it (their item indexes, into *whole: malloc'd
 * when any, else NULL). */
static unsigned memo_asks(const struct composer *c, uint64_t **whole, size_t *nwhole)
{
	const struct cp_setting *a = c->again;
	int s = c->para_serial + 1;
	*whole = NULL;
	*nwhole = 0;
	if (!a)
		return 0;
	unsigned asks = (in_serials(a->loose, a->nloose, s) ? MEMO_LOOSE : 0) |
			(in_serials(a->tight, a->ntight, s) ? MEMO_TIGHT : 0) |
			(in_serials(a->wide, a->nwide, s) ? MEMO_WIDE : 0) |
			(in_serials(a->snug, a->nsnug, s) ? MEMO_SNUG : 0);
	for (size_t k = 0; k < a->nwhole; k++)
		if ((int)(a->whole[k] >> 32) == s) {
			*whole = xrealloc(*whole, (*nwhole + 1) * sizeof(**whole));
			(*whole)[(*nwhole)++] = a->whole[k];
		}
	return asks;
}

/* struct para_shape's fields as same_shape knows them, in its order: a
 * field added there must be compared in same_shape and listed here, or
 * the memo would hand a paragraph the breaking of another shape. (A bool
 * added after smallcaps may sit in the padding and pass unseen: add new
 * fields before it.) */
struct para_shape_known {
	const struct bk_span *spans;
	size_t n;
	enum tx_face base;
	double size, leading, x0, width, indent;
	bool ragged, centre;
	double first_space;
	bool cell, squeezed, balance, book_dir, smallcaps;
};
_Static_assert(sizeof(struct para_shape) == sizeof(struct para_shape_known) &&
		   offsetof(struct para_shape, smallcaps) ==
		       offsetof(struct para_shape_known, smallcaps),
	       "a field of struct para_shape that same_shape does not compare");

/* Whether a and b are the same shape, whatever their spans' place. */
static bool same_shape(const struct para_shape *a, const struct para_shape *b)
{
	return a->n == b->n && a->base == b->base && a->size == b->size &&
	       a->leading == b->leading && a->x0 == b->x0 && a->width == b->width &&
	       a->indent == b->indent && a->ragged == b->ragged && a->centre == b->centre &&
	       a->first_space == b->first_space && a->cell == b->cell &&
	       a->squeezed == b->squeezed && a->balance == b->balance &&
	       a->book_dir == b->book_dir && a->smallcaps == b->smallcaps;
}

/* What span_text does with the text spans' bytes. */
enum span_walk { SPANS_COUNT, SPANS_COPY, SPANS_SAME };

/* The bytes of ps's text spans, one after another (what the memo keeps of
 * them): their length, after copying them into buf (SPANS_COPY: room for
 * that length) or comparing them with buf (SPANS_SAME: SIZE_MAX at the
 * first difference); SPANS_COUNT only counts (buf unused). */
static size_t span_text(const struct para_shape *ps, enum span_walk op, char *buf)
{
	size_t len = 0;
	for (size_t i = 0; i < ps->n; i++) {
		const struct bk_span *sp = &ps->spans[i];
		if (sp->kind != BK_SPAN_TEXT || !sp->len)
			continue;
		if (op == SPANS_COPY)
			memcpy(buf + len, sp->text, sp->len);
		else if (op == SPANS_SAME && memcmp(buf + len, sp->text, sp->len))
			return SIZE_MAX;
		len += sp->len;
	}
	return len;
}

/* Whether m was broken from spans that held what ps's hold now, and the
 * same text (a span on the stack, a title's, may be at another place, and
 * another span may be where it was). */
static bool same_spans(const struct memo_entry *m, const struct para_shape *ps)
{
	if (ps->n && memcmp(m->spans, ps->spans, ps->n * sizeof(*ps->spans)))
		return false;
	return span_text(ps, SPANS_SAME, m->text) != SIZE_MAX;
}

/* The entries of the paragraph being set (MEMO_WAYS of them), NULL when
 * there is no memo or it is past its end (unless grow, and the bound
 * leaves room for the slots). */
static struct memo_entry *memo_slot(struct composer *c, bool grow)
{
	struct cp_memo *mo = c->memo;
	if (!mo || c->para_serial < mo->serial0)
		return NULL;
	size_t i = (size_t)(c->para_serial - mo->serial0) * MEMO_WAYS;
	if (i >= mo->n) {
		/* The slots count against MEMO_BYTES too: a part of many
		 * paragraphs (the bench's 50 MB essay, one part) held a pair
		 * for each, 127 MB more at its peak. */
		size_t more = (i + MEMO_WAYS - mo->n) * sizeof(*mo->v);
		if (!grow || mo->bytes + more > MEMO_BYTES)
			return NULL;
		mo->bytes += more;
		GROW(mo->v, mo->cap, i + MEMO_WAYS);
		memset(mo->v + mo->n, 0, (i + MEMO_WAYS - mo->n) * sizeof(*mo->v));
		mo->n = i + MEMO_WAYS;
	}
	return &mo->v[i];
}

/* The breaking the memo keeps for the paragraph ps, serial c->para_serial
 * + 1, when it was broken from all the same (borrowed: the memo keeps
 * it), else NULL. */
static const struct broken *memo_find(struct composer *c, const struct para_shape *ps)
{
	struct memo_entry *v = c->again ? memo_slot(c, false) : NULL;
	if (!v)
		return NULL;
	uint64_t *whole;
	size_t nwhole;
	unsigned asks = memo_asks(c, &whole, &nwhole);
	struct memo_entry *found = NULL;
	for (int w = 0; w < MEMO_WAYS && !found; w++) {
		const struct memo_entry *m = &v[w];
		if (m->set && asks == m->asks && nwhole == m->nwhole &&
		    (!nwhole || !memcmp(whole, m->whole, nwhole * sizeof(*whole))) &&
		    same_shape(&m->ps, ps) && same_spans(m, ps))
			found = &v[w];
	}
	free(whole);
	if (found && found->ps.spans != ps->spans) {
		/* its boxes' spans, where they are now (the title's on the
		 * stack of a deeper call) */
		struct content *ct = found->bp.p.content;
		uintptr_t was = (uintptr_t)found->ps.spans, end = was + ps->n * sizeof(*ps->spans);
		for (size_t k = 0; k < found->bp.p.n; k++)
			if ((uintptr_t)ct[k].span >= was && (uintptr_t)ct[k].span < end)
				ct[k].span = ps->spans + ((uintptr_t)ct[k].span - was) / sizeof(*ps->spans);
		found->ps.spans = ps->spans;
	}
	return found ? &found->bp : NULL;
}

/* Keeps bp, the breaking of paragraph ps just set, in the memo (then owns
 * it) before what it held for its serial, the oldest of which goes; or
 * frees it when there is no memo or it is full. */
static void memo_keep(struct composer *c, const struct para_shape *ps, struct broken *bp)
{
	struct memo_entry *v = memo_slot(c, true), *m = v;
	if (v) {
		c->memo->bytes -= v[MEMO_WAYS - 1].bytes;
		memo_entry_release(&v[MEMO_WAYS - 1]);
		memmove(v + 1, v, (MEMO_WAYS - 1) * sizeof(*v));
		v[0] = (struct memo_entry){0};
	}
	size_t text = span_text(ps, SPANS_COUNT, NULL);
	size_t n = bp->p.n;
	size_t bytes = n * (sizeof(*bp->p.items) + sizeof(*bp->p.content) +
			    (bp->hang_r ? 2 * sizeof(double) : 0)) +
		       bp->res.nlines * (sizeof(size_t) + sizeof(double)) +
		       ps->n * sizeof(*ps->spans) + text;
	if (!m || c->memo->bytes + bytes > MEMO_BYTES) {
		broken_release(bp);
		return;
	}
	*m = (struct memo_entry){.set = true, .ps = *ps, .bp = *bp, .bytes = bytes};
	m->asks = memo_asks(c, &m->whole, &m->nwhole);
	m->spans = xmalloc((ps->n ? ps->n : 1) * sizeof(*ps->spans));
	if (ps->n)
		memcpy(m->spans, ps->spans, ps->n * sizeof(*ps->spans));
	m->text = xmalloc(text ? text : 1);
	span_text(ps, SPANS_COPY, m->text);
	if (bp->hang_r) { /* out of the scratch arena */
		m->bp.hang_r = xmalloc(n * sizeof(double));
		m->bp.hang_l = xmalloc(n * sizeof(double));
		memcpy(m->bp.hang_r, bp->hang_r, n * sizeof(double));
		memcpy(m->bp.hang_l, bp->hang_l, n * sizeof(double));
	}
	c->memo->bytes += bytes;
}

/*
 * Sets a paragraph (see struct para_shape) and adds its lines to the
 * vertical list. Returns the number of lines, 0 for an empty paragraph.
 */
static size_t set_para(struct composer *c, const struct para_shape *ps)
{
	struct broken bp;
	const struct broken *kept = memo_find(c, ps);
	if (kept)
		bp = *kept;
	else if (!break_para(c, ps, &bp))
		return 0;
	const struct para *p = &bp.p;
	struct para_bidi pb;
	bool bidi = para_bidi(c, ps, p, &pb);
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
			if (ct->note >= 0 && c->st->notes == BK_NOTES_FOOT) {
				l->notes = xrealloc(l->notes, (l->nnotes + 1) * sizeof(int));
				l->notes[l->nnotes++] = ct->note;
			}
		}
		draw_line(c, ps, &bp, bidi ? &pb : NULL, &lf, l);
		grow_line(&bp.p, &lf, ps, l);
		l->hyphen = p->items[lf.end].kind == LB_PENALTY && p->items[lf.end].flagged;
		l->para = c->para_serial + 1;
		l->brk = (uint32_t)lf.end;
		if (l->hyphen)
			c->doc->hyphenated++;
		start = lf.end + 1;
	}
	size_t nl = bp.res.nlines;
	if (!kept) /* the memo's now, under this serial, or freed */
		memo_keep(c, ps, &bp);
	c->para_serial++;
	/* No orphan (a first line alone at a page foot) and no widow (a last
	 * line alone at a page head): tie the first two and last two lines. */
	if (nl >= 2) {
		c->lines[c->nlines - nl].keep_next = true;
		c->lines[c->nlines - 2].keep_next = true;
	}
	ar_release(&c->scratch);
	return nl;
}

/* ===== blocks ========================================================== */

struct ctx {
	double x0, width; /* left edge and measure */
	bool indent_next; /* indent the next paragraph's first line */
	double space;     /* space owed before the next block */
	double size, leading; /* type size for paragraphs (notes are smaller) */
	bool in_item;     /* the blocks of a list item: a list here is nested */
};

static void set_blocks(struct composer *c, const struct bk_block *blocks, size_t n,
		       struct ctx *cx);

/* ----- the dialect's blocks (src/book/dialect.h) ------------------------
 * A div's class is its style: epigraph (italic, narrower, set right),
 * dedication (centred italic on a page of its own), aside (smaller, indented
 * both sides), centered (centred lines), noindent (no paragraph indent),
 * pagebreak (a new page). Any other class sets its blocks as the text
 * around it. Definition lists, line blocks and page breaks; a table's
 * caption. */

/* Whether div b is set as octavo's class cls: it has it, or a class the
 * style's 'divs' maps to it. */
static bool has_class(const struct bk_style *st, const struct bk_block *b, const char *cls)
{
	return bk_div_like(st, b->classes, b->nclasses, cls);
}

/* Sets every paragraph of v centred (and italic when it), keeping lists,
 * quotes and the rest as they are. */
static double centred(struct composer *c, const struct bk_block *v, size_t n, double x0,
		      double width, double space, double size, double leading, bool italic)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->kind == BK_PARA || b->kind == BK_LINES) {
			c->cur_block = b;
			cp_set_spans(c, b->spans, b->nspans, italic ? TX_ITALIC : TX_REGULAR, size,
				     leading, x0, width, 0, false, true, space);
			space = 0;
		} else if (b->kind == BK_DIV) {
			space =
			    centred(c, b->kids, b->nkids, x0, width, space, size, leading, italic);
		} else {
			space = cp_set_blocks_at(c, b, 1, x0, width, space, size, leading, false);
		}
	}
	return space;
}

/* Every paragraph of v italic, ragged, at x0: an epigraph. */
static double italic_ragged(struct composer *c, const struct bk_block *v, size_t n, double x0,
			    double width, double space, double size, double leading)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->kind == BK_PARA || b->kind == BK_LINES) {
			c->cur_block = b;
			cp_set_spans(c, b->spans, b->nspans, TX_ITALIC, size, leading, x0, width, 0,
				     true, false, space);
			space = 0;
		} else {
			space = cp_set_blocks_at(c, b, 1, x0, width, space, size, leading, false);
		}
	}
	return space;
}

static void div_block(struct composer *c, const struct bk_block *b, double x0, double width,
		      double *space, bool *indent_next, double size, double leading)
{
	const struct bk_style *st = c->st;
	double line = st->body_leading;
	if (has_class(st, b, "pagebreak") || has_class(st, b, "newpage"))
		c->pending_break = true;
	if (has_class(st, b, "dedication")) {
		c->pending_break = true;
		centred(c, b->kids, b->nkids, x0, width, line * 4, size, leading, true);
		c->pending_break = true; /* the text goes on on the next page */
		*space = 0;
	} else if (has_class(st, b, "epigraph")) {
		double in = width * 0.25;
		*space = italic_ragged(c, b->kids, b->nkids, x0 + in, width - in,
				       *space + line * 0.5, size, leading) +
			 line;
	} else if (has_class(st, b, "centered") || has_class(st, b, "center")) {
		*space = centred(c, b->kids, b->nkids, x0, width, *space + line * 0.5, size,
				 leading, false) +
			 line * 0.5;
	} else if (b->flags & BK_SUMMARY) {
		/* <details>' label: a paragraph's space above it, as a run-in
		 * head has, and never alone at a page's foot */
		size_t first = c->nlines;
		*space = cp_set_blocks_at(c, b->kids, b->nkids, x0, width, *space + line * 0.5,
					  size, leading, false);
		if (c->nlines > first)
			c->lines[c->nlines - 1].keep_next = true;
	} else if (has_class(st, b, "aside")) {
		double in = st->quote_indent;
		*space =
		    cp_set_blocks_at(c, b->kids, b->nkids, x0 + in, width - 2 * in,
				     *space + line * 0.5, st->note_size, st->note_leading, false) +
		    line * 0.5;
	} else {
		/* noindent, and classes the style does not know: the text as
		 * around it (noindent: no indent on its first paragraph). */
		bool ind = !has_class(st, b, "noindent") && *indent_next;
		*space =
		    cp_set_blocks_at(c, b->kids, b->nkids, x0, width, *space, size, leading, ind);
	}
	*indent_next = false;
}

static void dialect_block(struct composer *c, const struct bk_block *b, double x0, double width,
			  double *space, bool *indent_next, double size, double leading)
{
	const struct bk_style *st = c->st;
	double line = st->body_leading;
	switch (b->kind) {
	case BK_DIV: div_block(c, b, x0, width, space, indent_next, size, leading); return;
	case BK_DEFLIST:
		for (size_t i = 0; i < b->nkids; i++) {
			const struct bk_block *k = &b->kids[i];
			c->cur_block = k;
			if (k->kind == BK_DEFTERM) {
				size_t first = c->nlines;
				cp_set_spans(c, k->spans, k->nspans, TX_BOLD, size, leading, x0,
					     width, 0, true, false,
					     *space + (i ? line * 0.25 : line * 0.5));
				*space = 0;
				/* A term stays with its definition. */
				for (size_t l = first; l < c->nlines; l++)
					c->lines[l].keep_next = true;
			} else {
				double in = st->quote_indent;
				*space = cp_set_blocks_at(c, k->kids, k->nkids, x0 + in, width - in,
							  *space, size, leading, false);
			}
		}
		*space = line * 0.5;
		*indent_next = false;
		return;
	case BK_DEFTERM:
	case BK_DEFDESC:
		/* only inside a definition list */
		return;
	case BK_LINES:
		/* Verse and addresses: each line as written, ragged, no indent;
		 * a line too long for the measure runs on with a hanging indent. */
		cp_set_spans(c, b->spans, b->nspans, TX_REGULAR, size, leading, x0, width, 0, true,
			     false, *space + line * 0.5);
		*space = line * 0.5;
		*indent_next = false;
		return;
	case BK_PAGEBREAK:
		c->pending_break = true;
		*space = 0;
		*indent_next = false;
		return;
	default: return;
	}
}

static void table_caption(struct composer *c, const struct bk_block *table, double x0, double width,
			  double *space)
{
	const struct bk_style *st = c->st;
	(void)width; /* over the measure, ragged: a narrow table's caption need not wrap */
	width = c->measure - x0;
	size_t first = c->nlines;
	cp_set_spans(c, table->caption, table->ncaption, TX_ITALIC, st->note_size, st->note_leading,
		     x0, width, 0, true, false, *space + st->body_leading * 0.5);
	for (size_t l = first; l < c->nlines; l++)
		c->lines[l].keep_next = true; /* with its table */
	*space = 0;
}

/* ----- the block walker ------------------------------------------------ */

static double body(const struct composer *c)
{
	return c->st->body_leading;
}

/* Each heading level looks different: h1 and h2 bold at their sizes, h3
 * italic, h4 bold italic, h5 italic and h6 in small capitals (bold roman
 * where the font has none) at the h4 size, those two indented as a
 * paragraph is. */
static void heading(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	const struct bk_style *st = c->st;
	static const enum tx_face faces[] = {TX_BOLD, TX_BOLD, TX_ITALIC, TX_BOLD_ITALIC,
					     TX_ITALIC, TX_REGULAR};
	int lv = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
	double size = lv == 1 ? st->h1_size : lv == 2 ? st->h2_size : lv == 3 ? st->h3_size
										: st->h4_size;
	enum tx_face face = faces[lv - 1];
	/* h6's small capitals; where the font has none, roman would read as
	 * a one-line paragraph: bold roman then, apart from h4's bold italic
	 * and from h2's bold by its size and indent. */
	bool smcp = lv == 6 && tx_has_small_caps(c->f, TX_REGULAR);
	if (lv == 6 && !smcp)
		face = TX_BOLD;
	/* Its space above, whatever block comes before it: the larger of
	 * its own and what that block owes below (a list's or quotation's
	 * half line), not their sum, as CSS collapses margins. Summed, a
	 * heading after a list stood 2.5 lines under it, rounded to 3 on
	 * the grid, a line further than after a paragraph. */
	double above = lv == 1 ? body(c) * 1.5 : lv <= 3 ? body(c) : body(c) * 0.5;
	/* A heading right under another (stacked heads) is set closer to
	 * it: the stack is one display unit, a quarter line between its
	 * heads in place of the half line a heading leaves under itself.
	 * Three heads then take whole grid lines (2 + 1.25 + 1.25 over the
	 * text's 1.5: 6 lines, not 6.5 rounded to 7), so a page from a
	 * stack at its top reaches the stack after it (tests/stacked14f
	 * seed 9, its opening three lines short: 0). */
	const struct bk_block *prev = c->nlines ? c->lines[c->nlines - 1].block : NULL;
	bool stacked = prev && prev != b && prev->kind == BK_HEADING;
	double space = stacked ? body(c) * 0.25 : fmax(cx->space, above);
	double in = lv >= 5 ? st->indent : 0;
	double lead = body(c); /* headings keep to the baseline grid */
	if (size > lead)
		lead = size * 1.2; /* a large h1, off the grid */
	size_t first = c->nlines;
	size_t n = set_para(c, &(struct para_shape){b->spans, b->nspans, face, size, lead,
						      cx->x0 + in, cx->width - in, 0, true, false,
						      space, .balance = true,
						      .smallcaps = smcp});
	if (n) {
		c->lines[first].outline = bk_spans_text(&c->doc->arena, b->spans, b->nspans);
		c->lines[first].outline_level = 2;
		/* Keep the heading with at least two lines of what follows. */
		for (size_t i = first; i < c->nlines; i++)
			c->lines[i].keep_next = true;
		/* Stacked, it sits off the baseline grid, so that the quarter
		 * line is kept rather than rounded up to a whole one; the text
		 * after the stack comes back to the grid. */
		for (size_t i = first; stacked && i < c->nlines; i++)
			c->lines[i].grid = false;
	}
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

/*
 * A task's box, its right edge at right, on the first line's baseline: an
 * outline of four rules, about the height of a capital, and for a task
 * done a square filled inside it (drawn, not a character: few book fonts
 * have U+2610 and U+2611). Tagged as the item's label.
 */
static void task_box(struct vline *l, const struct bk_block *item, double right, double size)
{
	double s = size * CP_TASK_SIDE, t = size * 0.05, x = right - s;
	size_t before = l->nops;
	struct op side[] = {
		{.kind = OP_RULE, .x = x, .dy = 0, .w = s, .h = t},
		{.kind = OP_RULE, .x = x, .dy = s - t, .w = s, .h = t},
		{.kind = OP_RULE, .x = x, .dy = 0, .w = t, .h = s},
		{.kind = OP_RULE, .x = right - t, .dy = 0, .w = t, .h = s},
	};
	for (size_t i = 0; i < ARRAY_LEN(side); i++)
		cp_add_op(l, side[i]);
	if (item->flags & BK_DONE) {
		double in = s * 0.25;
		cp_add_op(l, (struct op){.kind = OP_RULE, .x = x + in, .dy = in, .w = s - 2 * in,
					 .h = s - 2 * in});
	}
	cp_tag_ops(l, before, item, PG_ROLE_LABEL, 0);
}

static void list(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	double ind = cp_list_indent(c, b, cx->size);
	int num = b->flags & BK_ORDERED ? b->level : 0;
	/* The same space above the list as below it (half a line, which the
	 * baseline grid makes a whole one in the text). */
	double gap = cx->leading * 0.5;
	/* A nested list is set tight, none above or below it, as the EPUB's
	 * stylesheet sets it (0.2 em, off the grid here). What an item's last
	 * block owes below it (a code block's space) is owed before the next
	 * item, as it is after the list's last. */
	if (cx->in_item)
		gap = 0;
	double owed = 0;
	for (size_t i = 0; i < b->nkids; i++) {
		const struct bk_block *item = &b->kids[i];
		struct ctx in = {cx->x0 + ind, cx->width - ind, false,
				 i == 0 ? (cx->space > gap ? cx->space : gap) : owed,
				 cx->size, cx->leading, true};
		size_t first = c->nlines;
		set_blocks(c, item->kids, item->nkids, &in);
		owed = in.space;
		/* A task's box is its marker; in a numbered list, between
		 * its number and its text. */
		bool task = item->flags & BK_TASK, ordered = b->flags & BK_ORDERED;
		bool rtl = cp_blocks_rtl(item->kids, item->nkids);
		double right = cx->x0 + ind - cx->size * 0.5, label_right = right;
		size_t lab = c->nlines > first ? c->lines[first].nops : 0;
		if (c->nlines > first && task) {
			task_box(&c->lines[first], item, right, cx->size);
			right -= cx->size * CP_TASK_BOX;
		}
		if (c->nlines > first && task && !ordered) {
			num++;
		} else if (c->nlines > first) {
			char mark[24];
			cp_list_marker(b, num++, mark, sizeof(mark));
			if (rtl)
				cp_rtl_marker(mark);
			const struct tx_word *w = tx_shape(c->f, TX_REGULAR, mark, strlen(mark));
			double mw = cp_word_width(w, cx->size);
			cp_add_word(&c->lines[first], w, TX_REGULAR, cx->size, right - mw, 0);
			cp_tag_ops(&c->lines[first], c->lines[first].nops - w->npieces, item,
				   PG_ROLE_LABEL, 0);
		}
		if (rtl) /* the label at the right, the text at the left margin */
			cp_bidi_item(&c->lines[first], c->nlines - first, lab, cx->x0, cx->width,
				     ind, label_right);
	}
	cx->space = owed > gap ? owed : gap;
	cx->indent_next = false;
}

/* A table's fit to the measure: its type, its gutter and its columns. */
struct table_fit {
	int nc;
	double size, lead, gap;
	double *nat;   /* each column's width (nc, in tab) */
	double tw;     /* the table's width: columns and gutters */
	bool squeezed; /* numbers may leave their units, capitals take hyphens */
	size_t *cstart, *ccount; /* a group of rows' cells: first line, lines (rows x nc) */
	double *x;     /* each column's left edge (nc) */
	bool rtl;      /* columns from the right (cp_table_rtl) */
	double left;   /* the table's left edge */
	struct arena tab;
};

/* The width of a cell over columns k..last: their widths and the gaps
 * between them. */
static double cell_width(const struct table_fit *t, size_t k, size_t last)
{
	double w = t->nat[k];
	for (size_t j = k + 1; j <= last; j++)
		w += t->gap + t->nat[j];
	return w;
}

/* The left edge of a cell over columns k..last: column last's in a table
 * that runs right to left. */
static double cell_left(const struct table_fit *t, size_t k, size_t last)
{
	return t->rtl ? t->x[last] : t->x[k];
}

/* ----- the line breaker's say in the widths ------------------------- */

/* A table's cells for probe_cells: b's rows at t's size and gutters, and
 * each cell's max (one line: set by no breaker). */
struct cell_probe {
	struct composer *c;
	const struct bk_block *b;
	const struct table_fit *t;
	const double *cmax;
};

/* Lines of bp ending at a hyphen added to a word, into *hyphens; words
 * over three lines or more (a line ending at one after a line ending at
 * one, with no space between), into *split3. */
static void count_hyphens(const struct broken *bp, size_t *hyphens, size_t *split3)
{
	const struct para *p = &bp->p;
	bool before = false; /* the line above ended at a hyphen */
	size_t start = 0;
	for (size_t li = 0; li < bp->res.nlines; li++) {
		size_t end = bp->res.breaks[li];
		const struct lb_item *it = &p->items[end];
		bool hy = it->kind == LB_PENALTY && it->flagged && it->width > 0;
		bool space = false;
		for (size_t k = start; k < end && !space; k++)
			space = p->items[k].kind == LB_GLUE;
		*hyphens += hy;
		*split3 += hy && before && !space;
		before = hy;
		start = end + 1;
	}
}

/*
 * struct cp_table_probe's set for table_fit: each cell of the table set
 * by the line breaker at its width from w, as set_cells sets it, but
 * measured only (c->measuring: nothing drawn, recorded or told; the
 * page builder's asks, c->again, kept for the cells' own setting). A
 * cell whose max fits is one line and is not set.
 */
static void probe_cells(void *ctx, const double *w, struct cp_table_real *out)
{
	struct cell_probe *pr = ctx;
	struct composer *c = pr->c;
	const struct table_fit *t = pr->t;
	size_t nc = (size_t)t->nc;
	const struct cp_setting *again = c->again;
	c->again = NULL;
	c->measuring = true;
	*out = (struct cp_table_real){0};
	for (size_t r = 0; r < pr->b->nkids; r++) {
		const struct bk_block *row = &pr->b->kids[r];
		enum tx_face face = row->flags & BK_HEADER_ROW ? TX_BOLD : TX_REGULAR;
		size_t depth = 1;
		for (size_t k = 0; k < row->nkids && k < nc; k++) {
			const struct bk_block *cell = &row->kids[k];
			size_t last = k + (size_t)cell->colspan - 1;
			if ((cell->flags & BK_COVERED) || last >= nc)
				continue;
			double cw = w[k];
			for (size_t j = k + 1; j <= last; j++)
				cw += t->gap + w[j];
			if (last == k && pr->cmax[r * nc + k] <= cw + 0.01)
				continue;
			struct broken bp;
			struct para_shape ps = {cell->spans, cell->nspans, face, t->size, t->lead, 0,
						cw, 0, true, false, 0, .cell = true,
						.squeezed = t->squeezed};
			if (!break_para(c, &ps, &bp))
				continue;
			if (cell->rowspan == 1 && bp.res.nlines > depth)
				depth = bp.res.nlines;
			count_hyphens(&bp, &out->hyphens, &out->split3);
			broken_release(&bp);
			ar_release(&c->scratch);
		}
		out->lines += depth;
	}
	c->measuring = false;
	c->again = again;
}

/* Columns whose widest pieces do not fit the measure even so: the widest
 * give up the room, down to one width for all of them (w's sum then
 * avail), so that a narrow column keeps its words whole and only what is
 * wider than any column could be is cut, where it must (cut.c). */
static void cut_columns(double *w, int nc, double avail)
{
	double lo = 0, hi = 0;
	for (int q = 0; q < nc; q++)
		hi = w[q] > hi ? w[q] : hi;
	for (int it = 0; it < 60; it++) { /* the width, by bisection */
		double mid = (lo + hi) / 2, sum = 0;
		for (int q = 0; q < nc; q++)
			sum += w[q] < mid ? w[q] : mid;
		if (sum > avail)
			hi = mid;
		else
			lo = mid;
	}
	for (int q = 0; q < nc; q++)
		w[q] = w[q] < lo ? w[q] : lo;
}

/* A table's cells' widths at table_fit's size (rows x nc each, in tab). */
struct cell_sizes {
	double *cmin, *cmax, *cwhole, *cmax2, *ctwo;
	int *span;    /* the columns each cell spans (cp_table_spans) */
	bool spanned; /* some cell spans columns */
};

/* Measures b's cells at t's size and chooses t's gutter and column widths
 * (cp_table_whole, the line breaker probing); into *avail the width left
 * to the columns. Returns the columns' sum, more than *avail when not even
 * their mins fit. */
static double fit_widths(struct composer *c, const struct bk_block *b, const struct ctx *cx,
			 struct table_fit *t, struct cell_sizes *m, double *avail)
{
	int nc = t->nc;
	size_t nr = b->nkids;
	for (size_t r = 0; r < nr; r++) {
		const struct bk_block *row = &b->kids[r];
		enum tx_face face = row->flags & BK_HEADER_ROW ? TX_BOLD : TX_REGULAR;
		for (size_t k = 0; k < row->nkids && (int)k < nc; k++) {
			struct cell_width cw;
			size_t i = r * (size_t)nc + k;
			cp_cell_widths(c, row->kids[k].spans, row->kids[k].nspans, face, t->size,
				       t->squeezed, cx->width, &cw);
			m->cmin[i] = cw.min;
			m->cwhole[i] = cw.whole;
			m->ctwo[i] = cw.two;
			m->cmax[i] = m->cmax2[i] = cw.max;
		}
	}
	t->gap = t->squeezed ? t->size * 0.6 : t->size; /* narrower gutters before cut words */
	if (m->spanned) { /* the spans' shares of the whole words too */
		cp_table_spans(nc, nr, m->span, t->gap, m->cmin, m->cmax);
		cp_table_spans(nc, nr, m->span, t->gap, m->cwhole, m->cmax2);
		/* (a spanning cell's share of a word in two lines is not
		 * known: its hyphens are counted as one a cell) */
		memcpy(m->ctwo, m->cmin, nr * (size_t)nc * sizeof(double));
	}
	*avail = cx->width - t->gap * (nc - 1);
	struct cell_probe pr = {c, b, t, m->cmax};
	return cp_table_whole(nc, nr, m->cmin, m->cwhole, m->ctwo, m->cmax, *avail, t->nat,
			      &(struct cp_table_probe){probe_cells, &pr});
}

/* How far apart the sizes avoid_split3 tries are: each this much of the
 * last. */
#define SPLIT3_STEP 0.96

/*
 * Where t's widths, which fit, still break a word into three pieces
 * ("Sub-/scrip-/tions" in an eight-column head row), the table steps down
 * in size, SPLIT3_STEP at a time to floor, to the first size whose widths
 * break none so; a word read over three lines is worse than a smaller
 * type. Where no size to the floor avoids it, t is left as it was.
 */
static void avoid_split3(struct composer *c, const struct bk_block *b, const struct ctx *cx,
			 struct table_fit *t, struct cell_sizes *m, double floor)
{
	int nc = t->nc;
	bool hyphenates = false; /* no hyphen, no word in three */
	for (size_t i = 0; i < b->nkids * (size_t)nc && !hyphenates; i++)
		hyphenates = m->cwhole[i] > t->nat[i % (size_t)nc] + 0.01;
	struct cell_probe pr = {c, b, t, m->cmax};
	struct cp_table_real r;
	if (!hyphenates)
		return;
	probe_cells(&pr, t->nat, &r);
	if (r.split3 == 0)
		return;
	double size = t->size, lead = t->lead, gap = t->gap;
	double *nat = ar_alloc(&t->tab, (size_t)nc * sizeof(double)), avail;
	memcpy(nat, t->nat, (size_t)nc * sizeof(double));
	while (t->size > floor + 0.01) {
		double k = t->size * SPLIT3_STEP < floor ? floor / t->size : SPLIT3_STEP;
		t->size *= k;
		t->lead *= k;
		if (fit_widths(c, b, cx, t, m, &avail) > avail + 0.01)
			continue;
		probe_cells(&pr, t->nat, &r);
		if (r.split3 == 0)
			return;
	}
	t->size = size;
	t->lead = lead;
	t->gap = gap;
	memcpy(t->nat, nat, (size_t)nc * sizeof(double));
}

/* Column widths from content (table.c): each cell's min and max at the
 * table's size. When not even the mins fit, the table steps down in size,
 * to 85% of it; then numbers may leave their units and capitalised words
 * take hyphens ("squeezed"); then it steps down further, to the style's
 * floor ('tables: min-size'); only then is a word cut where no rule
 * allows (with a hyphen). Where the widths fit but break a word into
 * three pieces, it steps down too, if that avoids it (avoid_split3). */
static void table_fit(struct composer *c, const struct bk_block *b, const struct ctx *cx,
		      struct table_fit *t)
{
	int nc = t->nc;
	size_t nr = b->nkids, cells = nr * (size_t)nc;
	struct cell_sizes m = {
		ar_alloc(&t->tab, cells * sizeof(double)), ar_alloc(&t->tab, cells * sizeof(double)),
		ar_alloc(&t->tab, cells * sizeof(double)), ar_alloc(&t->tab, cells * sizeof(double)),
		ar_alloc(&t->tab, cells * sizeof(double)), ar_alloc(&t->tab, cells * sizeof(int)),
		false};
	t->nat = ar_alloc(&t->tab, (size_t)nc * sizeof(double));
	t->cstart = ar_alloc(&t->tab, cells * sizeof(size_t));
	t->ccount = ar_alloc(&t->tab, cells * sizeof(size_t));
	t->x = ar_alloc(&t->tab, (size_t)nc * sizeof(double));
	for (size_t r = 0; r < nr; r++)
		for (size_t k = 0; k < (size_t)nc; k++) {
			const struct bk_block *cell = k < b->kids[r].nkids ? &b->kids[r].kids[k] : NULL;
			m.span[r * (size_t)nc + k] =
				cell && !(cell->flags & BK_COVERED) ? cell->colspan : 0;
			m.spanned |= m.span[r * (size_t)nc + k] > 1;
		}
	double avail = 0, sum = 0;
	double floor = cp_table_floor(c->st, t->size);
	t->gap = t->size;
	for (int attempt = 0; attempt < 4; attempt++) {
		sum = fit_widths(c, b, cx, t, &m, &avail);
		if (sum <= avail + 0.01)
			break;
		if (attempt == 0) {
			/* Widths scale with the size, and so does the gap. */
			double k = cx->width / (sum + t->gap * (nc - 1));
			double lo = floor / t->size > 0.85 ? floor / t->size : 0.85;
			k = k < lo ? lo : k;
			t->size *= k;
			t->lead *= k;
		} else if (attempt == 1) {
			t->squeezed = true;
		} else if (attempt == 2) {
			/* Still too wide: down to the style's floor (tables:
			 * min-size) before any word is cut (table.c). */
			if (!cp_table_step(&t->size, &t->lead, floor, cx->width,
					   sum + t->gap * (nc - 1)))
				break;
		}
	}
	if (sum <= avail + 0.01)
		avoid_split3(c, b, cx, t, &m, floor);
	if (sum > avail + 0.01)
		cut_columns(t->nat, nc, avail);
	t->tw = t->gap * (nc - 1);
	for (int k = 0; k < nc; k++)
		t->tw += t->nat[k];
	t->x[0] = cx->x0;
	for (int k = 0; k + 1 < nc; k++)
		t->x[k + 1] = t->x[k] + (t->nat[k] + t->gap); /* as the rows once summed it */
	t->left = cx->x0;
	t->rtl = cp_table_rtl(b, book_rtl(c));
	if (t->rtl) { /* at the measure's right, each column's mirror image */
		t->left = cx->x0 + cx->width - t->tw;
		for (int k = 0; k < nc; k++)
			t->x[k] = t->left + t->tw - (t->x[k] - cx->x0) - t->nat[k];
	}
}

/* Moves a cell's line l to its column at x, right or centred in the
 * column's width w as its column's alignment (align) asks. */
static void align_cell_line(struct composer *c, struct vline *l, double x, double w, char align)
{
	double shift = x;
	if (align == 'r' || align == 'c') {
		double right = 0;
		for (size_t o = 0; o < l->nops; o++) {
			const struct op *op = &l->ops[o];
			if (op->kind != OP_TEXT && op->kind != OP_IMAGE)
				continue;
			double e = op->kind == OP_IMAGE
					   ? op->x + op->w
					   : op->x + cp_word_width(tx_shape(c->f, op->face, op->text,
									 op->len),
								    op->size);
			if (e > right)
				right = e;
		}
		shift += align == 'r' ? w - right : (w - right) / 2;
	}
	for (size_t o = 0; o < l->nops; o++)
		l->ops[o].x += shift;
}

/* A cell's line l into a row's line to: its ops, its line number for the
 * report and its notes, which the row's line takes over. */
static void merge_line(struct vline *to, const struct vline *l)
{
	for (size_t o = 0; o < l->nops; o++)
		cp_add_op(to, l->ops[o]);
	if (l->info >= 0) {
		to->more_info = xrealloc(to->more_info, (to->nmore_info + 1) * sizeof(long));
		to->more_info[to->nmore_info++] = l->info;
	}
	for (size_t q = 0; q < l->nnotes; q++) {
		to->notes = xrealloc(to->notes, (to->nnotes + 1) * sizeof(int));
		to->notes[to->nnotes++] = l->notes[q];
	}
}

/* Line i of every cell (ccount[k] lines of cell k from cstart[k]) into
 * merged[i] (merge_line), with the advance of its tallest (a line grown
 * for an image, grow_line): a group of rows that a cell spanning rows
 * ties, its cells' lines side by side. */
static void merge_cells(struct composer *c, size_t ncells, const size_t *cstart,
			const size_t *ccount, struct vline *merged)
{
	for (size_t k = 0; k < ncells; k++) {
		for (size_t i = 0; i < ccount[k]; i++) {
			struct vline *l = &c->lines[cstart[k] + i];
			merged[i].advance = fmax(merged[i].advance, l->advance);
			merge_line(&merged[i], l);
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
 * One row's cells set from its top, as the EPUB's cells are (td's
 * vertical-align: top): each cell's lines at their own depths, so that a
 * line grown for a picture (grow_line) pushes down only the lines of its
 * own cell, and the words beside it start at the row's top. The row's
 * lines are the cells' baselines, each of them the cells' lines there
 * (merge_line), its advance from the baseline above. Returns how many;
 * *out is malloc'd (the caller's).
 */
static size_t stack_cells(struct composer *c, size_t ncells, const size_t *cstart,
			  const size_t *ccount, struct vline **out)
{
	size_t n = 0, nb = 0;
	for (size_t k = 0; k < ncells; k++)
		n += ccount[k];
	double *y = xcalloc(n ? n : 1, sizeof(double));
	for (size_t k = 0; k < ncells; k++) {
		double at = 0;
		for (size_t i = 0; i < ccount[k]; i++)
			y[nb++] = at += c->lines[cstart[k] + i].advance;
	}
	qsort(y, nb, sizeof(double), cmp_double);
	n = 0;
	for (size_t i = 0; i < nb; i++)
		if (!n || y[i] - y[n - 1] > 0.01)
			y[n++] = y[i];
	struct vline *merged = xcalloc(n ? n : 1, sizeof(*merged));
	for (size_t k = 0; k < ncells; k++) {
		double at = 0;
		size_t j = 0;
		for (size_t i = 0; i < ccount[k]; i++) {
			const struct vline *l = &c->lines[cstart[k] + i];
			at += l->advance;
			while (j + 1 < n && y[j] < at - 0.01)
				j++;
			merge_line(&merged[j], l);
		}
	}
	for (size_t j = 0; j < n; j++)
		merged[j].advance = y[j] - (j ? y[j - 1] : 0);
	free(y);
	*out = merged;
	return n;
}

/* The rows from r that cells spanning rows tie together: the end of the
 * group (one past its last row). */
static size_t row_group(const struct bk_block *b, size_t r)
{
	size_t end = r + 1;
	for (size_t i = r; i < end; i++)
		for (size_t k = 0; k < b->kids[i].nkids; k++) {
			const struct bk_block *cell = &b->kids[i].kids[k];
			if (!(cell->flags & BK_COVERED) && i + (size_t)cell->rowspan > end)
				end = i + (size_t)cell->rowspan;
		}
	return end < b->nkids ? end : b->nkids;
}

/* The rule under a header row (row r of b): across the table, but not
 * through a cell that goes on into the next row. */
static void head_rule(struct composer *c, const struct bk_block *b, size_t r,
		      const struct table_fit *t)
{
	struct vline *rl = cp_new_line(c, t->lead * 0.45, 0);
	rl->keep_next = true;
	rl->table_head = true;
	bool *on = xcalloc((size_t)t->nc, sizeof(bool));
	bool whole = true;
	for (size_t i = 0; i <= r; i++)
		for (int k = 0; k < t->nc; k++) {
			const struct bk_block *cell = &b->kids[i].kids[k];
			if (!(cell->flags & BK_COVERED) && i + (size_t)cell->rowspan > r + 1)
				for (int j = k; j < k + cell->colspan; j++)
					on[j] = true;
		}
	for (int k = 0; k < t->nc; k++)
		whole &= !on[k];
	if (whole)
		cp_add_op(rl, (struct op){.kind = OP_RULE, .x = t->left, .w = t->tw, .h = 0.3});
	for (int k = 0; !whole && k < t->nc;) {
		int j = k;
		while (j < t->nc && !on[j])
			j++;
		if (j > k)
			cp_add_op(rl, (struct op){.kind = OP_RULE,
						  .x = cell_left(t, (size_t)k, (size_t)j - 1),
						  .w = cell_width(t, (size_t)k, (size_t)j - 1),
						  .h = 0.3});
		k = j + 1;
	}
	free(on);
}

/* Sets each cell of rows r0..r1 ragged at its width (its columns' and the
 * gutters between); returns the rows' depths in lines (h[], by row): a
 * row's deepest one-row cell, and a cell spanning rows deeper than its
 * rows together deepens the last of them. */
static void set_cells(struct composer *c, const struct bk_block *b, size_t r0, size_t r1,
		      struct table_fit *t, size_t *h)
{
	size_t nc = (size_t)t->nc;
	for (size_t r = r0; r < r1; r++) {
		const struct bk_block *row = &b->kids[r];
		enum tx_face face = row->flags & BK_HEADER_ROW ? TX_BOLD : TX_REGULAR;
		size_t *cstart = &t->cstart[(r - r0) * nc], *ccount = &t->ccount[(r - r0) * nc];
		h[r - r0] = 0;
		memset(ccount, 0, nc * sizeof(*ccount));
		for (size_t k = 0; k < row->nkids && k < nc; k++) {
			const struct bk_block *cell = &row->kids[k];
			cstart[k] = c->nlines;
			ccount[k] = 0;
			if (cell->flags & BK_COVERED)
				continue;
			size_t last = k + (size_t)cell->colspan - 1;
			double w = cell_width(t, k, last);
			/* a heading over columns centred, as booktabs' \multicolumn */
			char align = last > k && (row->flags & BK_HEADER_ROW) ? 'c' : b->aligns[k];
			if (t->rtl && align == '-') /* unaligned: at the start, the right */
				align = 'r';
			c->cur_block = cell; /* its pieces are the cell's (struct pg_tag) */
			ccount[k] = set_para(c, &(struct para_shape){cell->spans, cell->nspans, face,
								    t->size, t->lead, 0, w, 0, true,
								    false, 0, .cell = true,
								    .squeezed = t->squeezed});
			c->cur_block = b;
			for (size_t i = 0; i < ccount[k]; i++)
				align_cell_line(c, &c->lines[cstart[k] + i], cell_left(t, k, last), w,
						align);
			if (cell->rowspan == 1 && ccount[k] > h[r - r0])
				h[r - r0] = ccount[k];
		}
	}
	for (size_t e = r0; e < r1; e++) /* by the row they end in */
		for (size_t r = r0; r <= e; r++)
			for (size_t k = 0; k < nc; k++) {
				const struct bk_block *cell = &b->kids[r].kids[k];
				if (cell->rowspan == 1 || (cell->flags & BK_COVERED) ||
				    r + (size_t)cell->rowspan - 1 != e)
					continue;
				size_t have = 0;
				for (size_t i = r; i <= e; i++)
					have += h[i - r0];
				size_t need = t->ccount[(r - r0) * nc + k];
				if (need > have)
					h[e - r0] += need - have;
			}
}

/* ----- cells spanning rows over a page break ----------------------- */

/* Copies l's drawn pieces (text and rules, not links or note marks) onto
 * to as a drawing only: an artifact in a tagged PDF, so that the cell's
 * TD holds its text once. */
static void copy_drawn(struct vline *to, const struct vline *l)
{
	for (size_t o = 0; o < l->nops; o++) {
		struct op op = l->ops[o];
		if (op.kind == OP_LINK || op.kind == OP_IMAGE || op.role == PG_ROLE_NOTEREF)
			continue;
		op.role = PG_ROLE_ARTIFACT;
		op.ref = 0;
		cp_add_op(to, op);
	}
}

/* Line j of the labels for a break before the group's row i (lab[i],
 * nlab[i] lines so far), grown as needed. */
static struct vline *label_line(struct vline **lab, uint32_t *nlab, size_t i, size_t j)
{
	if (j >= nlab[i]) {
		lab[i] = xrealloc(lab[i], (j + 1) * sizeof(*lab[i]));
		memset(&lab[i][nlab[i]], 0, (j + 1 - nlab[i]) * sizeof(*lab[i]));
		nlab[i] = (uint32_t)(j + 1);
	}
	return &lab[i][j];
}

/*
 * What a cell spanning rows shows overleaf when the group breaks before
 * its row i and the cell's text ended above the break: its text again,
 * and the book's "(cont.)" under it where its rows leave a line for it,
 * as the Chicago Manual repeats a stub entry with "continued" over a
 * table's continuation. Browsers' print and Word leave the place empty,
 * which reads as an entry missing. A text longer than the rows left
 * below the break gets the mark alone. Drawn only (copy_drawn). The
 * labels of a break before row i go to lab[i] (nlab[i] lines, one vline
 * each, malloc'd, the caller's), the cells' own lines still set
 * (t->cstart, t->ccount), off[] each row's first line in the group.
 */
static void cont_labels(struct composer *c, const struct bk_block *b, size_t r0, size_t nr,
			const struct table_fit *t, const size_t *off, struct vline **lab,
			uint32_t *nlab)
{
	size_t nc = (size_t)t->nc;
	const char *mark = bk_str(c->b, BK_STR_CONTINUED);
	const struct tx_word *mw = tx_shape(c->f, TX_ITALIC, mark, strlen(mark));
	for (size_t i0 = 0; i0 < nr; i0++) {
		const struct bk_block *row = &b->kids[r0 + i0];
		for (size_t k = 0; k < row->nkids && k < nc; k++) {
			const struct bk_block *cell = &row->kids[k];
			if ((cell->flags & BK_COVERED) || cell->rowspan < 2)
				continue;
			size_t end = i0 + (size_t)cell->rowspan < nr ? i0 + (size_t)cell->rowspan : nr;
			size_t n = t->ccount[i0 * nc + k], from = t->cstart[i0 * nc + k];
			size_t span = (size_t)cell->colspan, last = k + span < nc ? k + span - 1 : nc - 1;
			double w = cell_width(t, k, last);
			for (size_t i = i0 + 1; i < end && n; i++) {
				size_t room = off[end] - off[i];
				if (n > off[i] - off[i0] || !room)
					continue; /* its text runs on over the break */
				size_t copy = n <= room ? n : 0;
				for (size_t j = 0; j < copy; j++)
					copy_drawn(label_line(lab, nlab, i, j), &c->lines[from + j]);
				if (copy >= room || cp_word_width(mw, t->size) > w + 0.01)
					continue;
				struct vline m = {.block = cell};
				cp_add_word(&m, mw, TX_ITALIC, t->size, 0, 0);
				align_cell_line(c, &m, cell_left(t, k, last), w,
						t->rtl && b->aligns[k] == '-' ? 'r' : b->aligns[k]);
				copy_drawn(label_line(lab, nlab, i, copy), &m);
				free(m.ops);
			}
		}
	}
}

/* Rows r0..r1, a group that cells spanning rows tie (often one row): each
 * cell set ragged at its width, then line i of every cell of a row merged
 * into line i of the row; a cell spanning rows goes on into the lines of
 * the rows below, its text at the top. A header row has a rule below it.
 * The group's lines keep together, unless it is deep. */
static void table_rows(struct composer *c, const struct bk_block *b, size_t r0, size_t r1,
		       struct table_fit *t)
{
	size_t nc = (size_t)t->nc, nr = r1 - r0;
	size_t first = c->nlines;
	size_t *h = xcalloc(nr * 2 + 1, sizeof(size_t)), *off = h + nr;
	set_cells(c, b, r0, r1, t, h);
	/* Where the group may break: cp_table_group_keeps, once its lines
	 * are made. */
	const struct bk_style *st = c->st;
	bool head = false, grown = false;
	for (size_t i = first; i < c->nlines; i++)
		grown |= c->lines[i].advance > t->lead + 0.01;
	struct vline *merged = NULL;
	if (nr == 1 && grown) /* a picture's row: its cells from the top */
		h[0] = stack_cells(c, nc, t->cstart, t->ccount, &merged);
	for (size_t i = 0; i < nr; i++)
		off[i + 1] = off[i] + h[i];
	size_t total = off[nr];
	if (!merged) {
		merged = xcalloc(total ? total : 1, sizeof(*merged));
		for (size_t i = 0; i < nr; i++)
			merge_cells(c, nc, &t->cstart[i * nc], &t->ccount[i * nc],
				    merged + off[i]);
	}
	double depth = 0; /* the group's, its lines grown for images */
	for (size_t i = 0; i < total; i++)
		depth += merged[i].advance > 0 ? merged[i].advance : t->lead;
	bool deep = depth > (st->page_h - st->margin_top - st->margin_bottom) / 2;
	struct vline **lab = xcalloc(nr, sizeof(*lab));
	uint32_t *nlab = xcalloc(nr, sizeof(*nlab));
	if (nr > 1)
		cont_labels(c, b, r0, nr, t, off, lab, nlab);
	cp_free_lines(c, first);
	for (size_t i = 0; i < nr; i++) {
		const struct bk_block *row = &b->kids[r0 + i];
		for (size_t j = 0; j < h[i]; j++) {
			struct vline *m = &merged[off[i] + j];
			struct vline *l = cp_new_line(c, m->advance > 0 ? m->advance : t->lead,
						      j == 0 ? t->lead * 0.15 : 0);
			l->ops = m->ops;
			l->nops = m->nops;
			l->ops_cap = m->ops_cap;
			l->more_info = m->more_info;
			l->nmore_info = m->nmore_info;
			l->notes = m->notes;
			l->nnotes = m->nnotes;
			l->keep_next = j + 1 < h[i];
			l->row_first = j == 0;
			l->table_head = row->flags & BK_HEADER_ROW;
		}
		if (row->flags & BK_HEADER_ROW)
			head_rule(c, b, r0 + i, t);
		head |= row->flags & BK_HEADER_ROW;
	}
	if (!head)
		cp_table_group_keeps(&c->lines[first], h, nr, deep);
	for (size_t i = 1; i < nr; i++) {
		struct vline *l = &c->lines[first + (off[i] < total ? off[i] : 0)];
		if (nlab[i] && off[i] > 0 && off[i] < total &&
		    c->lines[first + off[i] - 1].row_tied) {
			l->cont = lab[i];
			l->ncont = nlab[i];
			lab[i] = NULL;
		}
		for (uint32_t j = 0; lab[i] && j < nlab[i]; j++)
			free(lab[i][j].ops);
		free(lab[i]);
	}
	free(lab);
	free(nlab);
	for (size_t i = first; head && !deep && i + 1 < c->nlines; i++)
		c->lines[i].keep_next = true; /* a head's rows (and their rules) */
	free(merged);
	free(h);
}

/* A table: its caption, a rule, its rows, a rule; the caption and header
 * rows repeat over a continuation (pg_mark_table). */
static void table(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	int nc = b->ncols;
	if (nc <= 0 || !b->nkids)
		return;
	struct table_fit t = {.nc = nc, .size = c->st->table_size, .lead = c->st->table_leading};
	ar_init(&t.tab);
	table_fit(c, b, cx, &t);
	size_t tfirst = c->nlines;
	if (b->ncaption) {
		/* The caption goes with the table, and again over its
		 * continuation on the next page, as its head does. */
		table_caption(c, b, t.left, t.tw, &cx->space);
		for (size_t i = tfirst; i < c->nlines; i++)
			c->lines[i].table_head = true;
	}
	struct vline *top = cp_new_line(c, t.lead * 0.6, cx->space + body(c) * 0.5);
	cp_add_op(top, (struct op){.kind = OP_RULE, .x = t.left, .w = t.tw, .h = 0.5});
	top->keep_next = true;
	top->table_head = true;
	for (size_t r = 0, end; r < b->nkids; r = end) {
		end = row_group(b, r);
		table_rows(c, b, r, end, &t);
	}
	struct vline *bot = cp_new_line(c, t.lead * 0.45, 0);
	cp_add_op(bot, (struct op){.kind = OP_RULE, .x = t.left, .w = t.tw, .h = 0.5});
	pg_mark_table(c, tfirst, c->nlines);
	ar_release(&t.tab);
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

/* The most of the text block's height a figure takes; a figure the pages
 * ask smaller (cp_setting's smaller) takes at most the style's floor. */
#define FIGURE_MAX_SHARE 0.6

/* Whether the part set again asks figure b set down to the floor. */
static bool figure_smaller(const struct composer *c, const struct bk_block *b)
{
	for (size_t i = 0; c->again && i < c->again->nsmaller; i++)
		if (c->again->smaller[i] == b)
			return true;
	return false;
}

static void figure(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	const struct bk_image *img = b->img;
	double share = figure_smaller(c, b) ? fmin(FIGURE_MAX_SHARE, c->st->figure_floor)
					    : FIGURE_MAX_SHARE;
	double maxh = (c->st->page_h - c->st->margin_top - c->st->margin_bottom) * share;
	double w, h;
	bk_image_print_size(img, b->width, cx->width, maxh, c->st->body_size, &w, &h);
	/* Round the figure's depth up to whole lines to keep the grid. */
	double lines = ceil(h / body(c));
	size_t ffirst = c->nlines;
	struct vline *l = cp_new_line(c, lines * body(c), cx->space + body(c) * 0.5);
	l->depth = 0;
	cp_add_op(l, (struct op){.kind = OP_IMAGE, .x = cx->x0 + (cx->width - w) / 2,
				 .dy = (lines * body(c) - h) / 2, .w = w, .h = h, .img = img});
	l->keep_next = true;
	const char *cap = img->title ? img->title : img->alt;
	if (cap && *cap) {
		struct bk_span sp = {BK_SPAN_TEXT, 0, cap, strlen(cap), -1, -1, NULL, b->line, b->col,
				     NULL};
		size_t first = c->nlines;
		set_para(c, &(struct para_shape){&sp, 1, TX_ITALIC, c->st->note_size,
					      c->st->note_leading, cx->x0, cx->width, 0, false,
					      true, body(c) * 0.25, .cell = false});
		cp_tag_lines(c, first, b, PG_ROLE_CAPTION);
	}
	c->lines[ffirst].float_len = (uint32_t)(c->nlines - ffirst); /* it floats with its caption */
	cx->space = body(c) * 0.5;
	cx->indent_next = false;
}

static void code(struct composer *c, const struct bk_block *b, struct ctx *cx)
{
	cx->space = cp_set_code(c, b, cx->x0, cx->width, cx->space + body(c) * 0.25);
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
		case BK_PARA: {
			bool indent = cx->indent_next ||
				      (c->again && in_serials(c->again->indent, c->again->nindent,
							      c->para_serial + 1));
			set_para(c, &(struct para_shape){b->spans, b->nspans, TX_REGULAR, cx->size,
						      cx->leading, cx->x0, cx->width,
						      indent ? st->indent : 0, !st->justify, false,
						      cx->space, .cell = false});
			cx->space = 0;
			cx->indent_next = true;
			break;
		}
		case BK_HEADING:
			heading(c, b, cx);
			break;
		case BK_QUOTE: {
			struct ctx in = {cx->x0 + st->quote_indent, cx->width - 2 * st->quote_indent,
					 false, cx->space + body(c) * 0.5, cx->size, cx->leading, false};
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
						 .h = 0.4});
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
		case BK_DIV:
		case BK_DEFLIST:
		case BK_DEFTERM:
		case BK_DEFDESC:
		case BK_LINES:
		case BK_PAGEBREAK:
			dialect_block(c, b, cx->x0, cx->width, &cx->space, &cx->indent_next,
				      cx->size, cx->leading);
			break;
		case BK_ROW:
		case BK_CELL:
		case BK_HTML:
			break;
		}
	}
}

size_t cp_set_spans(struct composer *c, const struct bk_span *spans, size_t n, enum tx_face face,
		    double size, double leading, double x0, double width, double indent,
		    bool ragged, bool centre, double first_space)
{
	return set_para(c, &(struct para_shape){spans, n, face, size, leading, x0, width, indent,
						 ragged, centre, first_space, .cell = false});
}

double cp_set_blocks_at(struct composer *c, const struct bk_block *v, size_t n, double x0,
			double width, double space, double size, double leading, bool indent)
{
	struct ctx in = {x0, width, indent, space, size, leading, false};
	set_blocks(c, v, n, &in);
	return in.space;
}

/* ===== parts =========================================================== */

size_t cp_set_text(struct composer *c, const char *text, enum tx_face face, double size,
		   double leading, double x0, double width, bool ragged, bool centre,
		   double first_space)
{
	struct bk_span sp = {BK_SPAN_TEXT, 0, text, strlen(text), -1, -1, NULL, 0, 0, NULL};
	/* Centred display lines (titles, bylines) are balanced. */
	return set_para(c, &(struct para_shape){&sp, 1, face, size, leading, x0, width, 0, ragged,
						 centre, first_space, .balance = centre,
						 .book_dir = true});
}

size_t cp_set_styled(struct composer *c, const char *text, const struct bk_span *spans,
		     size_t n, enum tx_face face, double size, double leading, double x0,
		     double width, bool ragged, bool centre, double first_space)
{
	if (!spans)
		return cp_set_text(c, text, face, size, leading, x0, width, ragged, centre,
				   first_space);
	return set_para(c, &(struct para_shape){spans, n, face, size, leading, x0, width, 0, ragged,
						 centre, first_space, .balance = centre,
						 .book_dir = true});
}

/* The title block of an opening: title, subtitle, byline and role, each
 * balanced. Returns the index of its first line. */
static size_t set_opener(struct composer *c, const struct bk_part *p, double sink)
{
	const struct bk_style *st = c->st;
	size_t first = c->nlines;
	cp_set_styled(c, p->title, p->title_spans, p->ntitle_spans, TX_REGULAR, st->title_size,
		      st->title_size * 1.25, 0, c->measure, false, true, sink);
	cp_tag_lines(c, first, p, PG_ROLE_H1);
	size_t at = c->nlines;
	if (p->subtitle)
		cp_set_styled(c, p->subtitle, p->subtitle_spans, p->nsubtitle_spans, TX_ITALIC,
			      st->body_size * 1.15, st->body_leading * 1.15, 0, c->measure, false,
			      true, st->body_leading * 0.5);
	cp_tag_lines(c, at, p->subtitle, PG_ROLE_P);
	at = c->nlines;
	if (p->author)
		cp_set_text(c, p->author, TX_REGULAR, st->body_size, st->body_leading, 0,
			    c->measure, false, true, st->body_leading * 1.5);
	cp_tag_lines(c, at, p->author, PG_ROLE_P);
	at = c->nlines;
	if (p->role)
		cp_set_text(c, p->role, TX_ITALIC, st->note_size, st->note_leading, 0, c->measure,
			    false, true, 0);
	cp_tag_lines(c, at, p->role, PG_ROLE_P);
	return first;
}

/* How far a title block reaches below its first baseline. */
static double opener_depth(const struct composer *c, size_t first)
{
	double d = 0;
	for (size_t i = first + 1; i < c->nlines; i++)
		d += c->lines[i].space + c->lines[i].advance;
	return d;
}

void cp_counts_take(const struct pg_doc *doc, struct cp_counts *k)
{
	*k = (struct cp_counts){doc->nlinev,	 doc->lines,	    doc->overfull,
				doc->hyphenated, doc->code_wrapped, doc->code_stepped};
}

void cp_counts_put(struct pg_doc *doc, const struct cp_counts *k)
{
	doc->nlinev = k->nlinev;
	doc->lines = k->lines;
	doc->overfull = k->overfull;
	doc->hyphenated = k->hyphenated;
	doc->code_wrapped = k->code_wrapped;
	doc->code_stepped = k->code_stepped;
}

void cp_counts_rebase(struct pg_doc *doc, const struct cp_counts *at0, const struct cp_counts *at1)
{
	doc->nlinev = at0->nlinev + (doc->nlinev - at1->nlinev);
	doc->lines = at0->lines + (doc->lines - at1->lines);
	doc->overfull = at0->overfull + (doc->overfull - at1->overfull);
	doc->hyphenated = at0->hyphenated + (doc->hyphenated - at1->hyphenated);
	doc->code_wrapped = at0->code_wrapped + (doc->code_wrapped - at1->code_wrapped);
	doc->code_stepped = at0->code_stepped + (doc->code_stepped - at1->code_stepped);
}

/* The deepest title block of the book, so that every opening's text can
 * start on the same line: each block is set and taken back (with what
 * setting it counted). */
static double deepest_opener(struct composer *c)
{
	struct cp_counts counts;
	cp_counts_take(c->doc, &counts);
	int serial = c->para_serial;
	const struct bk_part *part = c->part; /* NULL: no warnings twice */
	c->part = NULL;
	double deepest = 0;
	for (size_t i = 0; i < c->b->nparts; i++) {
		size_t at = c->nlines;
		set_opener(c, &c->b->parts[i], 0);
		double d = opener_depth(c, at);
		if (d > deepest)
			deepest = d;
		cp_free_lines(c, at);
	}
	c->part = part;
	cp_counts_put(c->doc, &counts);
	c->para_serial = serial;
	return deepest;
}

void cp_set_part(struct composer *c, const struct bk_part *p, double sink)
{
	const struct bk_style *st = c->st;
	c->cur_block = p->nblocks ? &p->blocks[0] : NULL;
	if (!c->opener_known) {
		c->opener_deepest = deepest_opener(c);
		c->opener_known = true;
	}
	size_t first = set_opener(c, p, sink);
	if (c->nlines > first) {
		c->lines[first].new_page = true;
		c->lines[first].outline = p->title;
		c->lines[first].outline_level = 1;
	}
	for (size_t i = first; i < c->nlines; i++) {
		c->lines[i].keep_next = true;
		c->lines[i].opener = true;
		c->lines[i].span = NULL;
	}
	/* Every opening's text starts at the same drop: below the deepest
	 * title block of the book. */
	double pad = c->opener_deepest - opener_depth(c, first);
	struct ctx cx = {0, c->measure, false, st->body_leading * 2 + (pad > 0 ? pad : 0),
			 st->body_size, st->body_leading, false};
	set_blocks(c, p->blocks, p->nblocks, &cx);
}

void cp_set_note(struct composer *c, const struct bk_note *note)
{
	const struct bk_style *st = c->st;
	double hang = cp_note_hang(c);
	struct ctx cx = {hang, c->measure - hang, false, 0, st->note_size, st->note_leading, false};
	size_t at = c->nlines;
	c->in_note = true;
	set_blocks(c, note->kids, note->nkids, &cx);
	c->in_note = false;
	if (c->nlines > at) {
		char num[16];
		int n = snprintf(num, sizeof(num), "%d", note->number);
		const struct tx_word *w = tx_shape(c->f, TX_REGULAR, num, (size_t)n);
		size_t lab = c->lines[at].nops;
		cp_add_word(&c->lines[at], w, TX_REGULAR, st->note_size, 0, 0);
		cp_tag_ops(&c->lines[at], c->lines[at].nops - w->npieces, note, PG_ROLE_LABEL, 0);
		if (cp_blocks_rtl(note->kids, note->nkids)) /* the number at the right */
			cp_bidi_item(&c->lines[at], c->nlines - at, lab, 0, c->measure, hang,
				     cp_word_width(w, st->note_size));
	}
	for (size_t i = at; i < c->nlines; i++)
		c->lines[i].grid = false;
}
