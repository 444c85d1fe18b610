/*
 * layout-int.h - private to the layout stage: the vertical list that
 * compose.c builds from the book and page.c stacks onto pages.
 */
#ifndef OCTAVO_LAYOUT_INT_H
#define OCTAVO_LAYOUT_INT_H

#include "layout.h"

enum op_kind { OP_TEXT, OP_RULE, OP_IMAGE, OP_LINK };

/* The most languages a hyphenated word's Span can name (struct op's
 * lang); a word in a later one keeps its passage's /Lang Span only. */
#define OP_LANG_MAX 1023

/* A drawing operation, relative to the text block's left edge and the
 * line's baseline. Kept small (56 bytes): a part's lines hold one per
 * piece of text until its pages are made (a tenth of a long essay's
 * peak memory), so what each kind needs shares its room with the
 * others' (the unions). */
struct op {
	double x, dy;
	union {
		double size; /* OP_TEXT: the type size */
		double w;    /* the others: the box's width */
	};
	union {
		double h; /* OP_RULE, OP_IMAGE, OP_LINK: the box's height */
		struct {  /* OP_TEXT */
			uint32_t len;
			float hscale; /* horizontal scale (font expansion), 1 for none;
				       * a float, as struct pg_text keeps it */
		};
	};
	union {
		const char *text;            /* OP_TEXT: len bytes, not NUL-terminated */
		const struct bk_image *img;  /* OP_IMAGE */
		const char *url;             /* OP_LINK: external, or NULL */
	};
	/* What it is for a tagged PDF (struct pg_tag): tag NULL takes the
	 * line's block when added (cp_add_op); role, ref as pg_tag's; flags
	 * enum pg_text_flags. An OP_LINK to a footnote is the one with role
	 * PG_ROLE_NOTEREF, ref the note's index in the part (op_note). */
	const void *tag;
	/* Bit-fields, so that a hyphenated word's language fits in the
	 * room a byte each left (the struct stays 56 bytes). */
	uint16_t kind : 2;  /* enum op_kind */
	uint16_t face : 4;  /* OP_TEXT: enum tx_face (TX_NFACES is 16) */
	uint16_t lang : 10; /* PG_ROLE_WORD: as struct pg_tag's, up to OP_LANG_MAX */
	uint8_t role, flags;
	int32_t ref;
};
_Static_assert(TX_NFACES <= 16, "struct op's face is 4 bits");

/* The footnote an OP_LINK leads to (its index in the part), else -1. */
static inline int op_note(const struct op *op)
{
	return op->kind == OP_LINK && op->role == PG_ROLE_NOTEREF ? op->ref : -1;
}

/* A line of the vertical list. Lines own their ops and note lists. Its
 * fields are ordered by size (136 bytes, was 152): a part's lines all
 * wait for its pages. */
struct vline {
	double space;   /* extra space above, dropped at the top of a page */
	double advance; /* baseline to baseline from the line before */
	double depth;   /* below the baseline */
	struct op *ops;
	size_t nops, ops_cap;
	const char *outline; /* an outline entry starts here */
	long info;       /* index into doc->linev, or -1 */
	long *more_info; /* a table row's cell lines: more indexes into doc->linev */
	int *notes;      /* footnotes referenced on this line (indexes into part->notes) */
	uint32_t nmore_info, nnotes;
	/* Where the line's text starts in the source, for the EPUB page list:
	 * a span and byte offset, or a block with no text (figure, table). */
	const struct bk_span *span;
	size_t span_off;
	const struct bk_block *block;
	int outline_level;
	/* For the page builder (page.c), set as the lines are made: */
	uint32_t float_len; /* a float (figure, table) starts here: its number of lines */
	int table;          /* the table it belongs to, a serial from 1; 0 for none */
	int para;           /* its paragraph's serial number (book-wide) + 1; 0 for none */
	uint32_t brk;       /* the breakpoint it ends at: an index into its paragraph's
			     * items as set (compose.c), for cp_setting's whole */
	bool keep_next; /* no page break between this line and the next */
	bool new_page;  /* start a new recto page before this line */
	bool grid;      /* a body-size line: its baseline snaps to the grid */
	bool opener;    /* on a part's opening page: no running head there */
	bool page_break; /* start a new page (either side) before this line: \newpage */
	bool hyphen;        /* ends at a hyphen: penalised at a page's foot */
	bool table_head;    /* a table's head (top rule, header row, its rule): repeated
			     * above the table's rows on each page it continues on */
	bool row_first;     /* a table row's first line */
	bool code;          /* a code block's line: its space above and below is the
			     * least it needs, and the page it lands on centres it
			     * between the lines around it (page.c centre_code) */
	bool row_tied;      /* a break after it splits rows a cell spanning rows ties
			     * (cp_table_group_keeps): allowed, but dear */
	/* A table row's first line where a break inside its group is allowed
	 * (the line before it row_tied): what the cells spanning rows whose
	 * text ended above it show when a page begins here, ncont lines of
	 * ops to draw on this line and the ones under it (compose.c
	 * cont_labels); NULL for none. The line owns them. */
	uint32_t ncont;
	struct vline *cont;
};

/*
 * How the page builder sets a part again (page.c): the paragraphs, by
 * serial + 1 and ascending, to set a line looser where they can (TeX's
 * \looseness 1) to fill a page that would end short; of those, the ones
 * that may go as loose as LOOSE_WIDE allows (a page still two lines short
 * after a first looser set); and the ones right after a float moved to a
 * later page, indented as any paragraph since the float no longer comes
 * before them; the paragraphs to set a line tighter where they can (TeX's
 * \looseness -1), to give a page a line back; the ones of loose to set
 * looser only as far as their first pass may (r <= 1, no line loose:
 * snug); and hyphenation points a paragraph must not break at. One value
 * per setting, passed to the composer by pointer (struct composer's
 * again); a NULL array with its count 0 asks nothing. A paragraph in both loose and tight is set
 * looser.
 */
struct cp_setting {
	const int *loose, *wide, *indent, *tight, *snug;
	size_t nloose, nwide, nindent, ntight, nsnug;
	/* Hyphenation points not to break at: (para << 32) | brk of a line
	 * that ended a page at a hyphen, so that its paragraph breaks
	 * otherwise (a typesetter's word kept whole by hand). */
	const uint64_t *whole;
	size_t nwhole;
	/* Figures set down to the style's floor (pages: figure-floor) so
	 * that a page need not end short before them (page.c's
	 * smaller_floats): their blocks, in the book's order. */
	const struct bk_block *const *smaller;
	size_t nsmaller;
};

/*
 * The layout's state between paragraphs, on the one thread that sets the
 * book. What a paragraph needs only while it is set is not here: it is in
 * its struct para_shape and struct para (compose.c) and c->scratch.
 */
struct composer {
	/* fixed for the whole book */
	const struct book *b;
	const struct bk_style *st;
	struct tx_fonts *f;
	struct diag *d;
	struct pg_doc *doc;
	double measure;    /* text block width (hsize) */
	bool rtl;          /* the book runs right to left: bound on the right */
	double space_w[TX_NFACES]; /* an interword space's natural width per face */
	struct lb_params params;   /* the Knuth-Plass parameters for justified text */
	struct tx_hyph *hyph;      /* the hyphenation patterns, NULL for none */
	/* Passages in other languages ([x]{lang=de}, ::: {lang=fr}): their
	 * patterns, loaded when the first is set (spanlang.c); h is NULL
	 * for a language without patterns (its text is not hyphenated). */
	struct cp_lang_hyph {
		const char *lang;
		struct tx_hyph *h;
	} *lang_hyph; /* malloc'd; freed by cp_lang_hyph_free */
	size_t nlang_hyph, lang_hyph_cap;
	/* Code lines wrapped, told once all are counted (cp_tell_wraps). */
	struct cp_wrap {
		const char *path;
		int line, col;
		size_t chars, at;
		double size;
		/* a forced break in a paragraph (cut.c): the word broken,
		 * chars bytes from text, at bytes before the break; NULL
		 * for a code line */
		const char *text;
		bool mark; /* drawn with a continuation mark (code) */
		const struct bk_span *span; /* the break's span and offset */
		size_t off;
	} *wraps;
	size_t nwraps, wraps_cap;
	/* Characters no font has: the places told of each (missing.c). */
	struct cp_miss {
		uint32_t cp;
		int count;
	} *miss;
	size_t nmiss, miss_cap;
	struct arena scratch; /* one paragraph's: released once it is set */
	/* How the page builder asked for the part to be set again (page.c):
	 * borrowed while it is set, NULL when it is set the first time. */
	const struct cp_setting *again;
	/* The part's paragraphs as last broken, for a set again to take
	 * those it sets as before (compose.c's memo); NULL outside a part. */
	struct cp_memo *memo;
	/* the part being set and the vertical list it becomes */
	const struct bk_part *part; /* NULL for front matter */
	int part_index;
	const struct bk_block *cur_block; /* the block being set */
	bool in_note;      /* setting a footnote */
	bool smcp_warned[TX_NFACES]; /* a face without small capitals was reported */
	bool pending_break; /* the next line starts a new page (\newpage) */
	struct vline *lines;
	size_t nlines, lines_cap;
	/* counted across the book */
	int para_serial;   /* paragraphs set so far */
	bool opener_known;     /* opener_deepest is measured */
	double opener_deepest; /* the deepest title block of the book (compose.c) */
	double note_hang;      /* notes' label indent, 0 until measured (labels.c) */
	size_t *part_page; /* per part: the page it opens on */
	struct centry {
		size_t page;
		int entry;
		double y, x_start, x_end; /* the title's first line's extent */
	} *entries; /* contents entries as placed */
	size_t nentries, entries_cap;
	/* A second thread's composer (parallel.c): it loads no patterns
	 * (text/hyphen.c's cache is the first thread's); unsure when it
	 * needed some it was not given, and its parts must be set again. */
	bool forked, unsure;
	/* Setting a table's cells only to measure them (compose.c's
	 * probe_cells): no warning, no ask of the page builder. */
	bool measuring;
};

/*
 * parallel.c: sets the parts order[from, to) that are not front matter,
 * in order, each placed on its pages (page.c's set_run). Returns whether
 * the first of them opens on a new recto.
 */
typedef bool cp_set_run_fn(struct composer *c, const size_t *order, size_t from, size_t to);
/*
 * Sets the parts order[0, to) of the main matter as set_run(c, order, 0,
 * to) does, the later half on a second thread when jobs > 1, and joins
 * the two in order: c and its doc end as set_run would leave them, byte
 * for byte (where the second half could differ, it is set again here).
 */
void cp_set_parallel(struct composer *c, const size_t *order, size_t to, int jobs,
		     cp_set_run_fn *set_run);

/* missing.c: whether a paragraph lacking the n characters cps is told
 * (each character at its first three places); cp_missing_tell_rest then
 * says how many more places each has, and frees c->miss. */
bool cp_missing_tell(struct composer *c, const uint32_t *cps, int n);
void cp_missing_tell_rest(struct composer *c);

/* code.c: the code lines wrapped in the book, each (at most 50), else
 * one finding at the first with their count; frees c->wraps. */
void cp_tell_wraps(struct composer *c);
/* code.c: the continuation mark of wrapped code (the first of arrows
 * the fonts have), and its face. */
void cp_code_mark(struct composer *c, const struct tx_word **w, enum tx_face *face);

/* cut.c: where inline code breaks first, after its punctuation or
 * between the words of a name in camel case (*camel then, which costs
 * more): the length of s's first piece, 0 for none. */
size_t cp_code_break_at(const char *s, size_t n, bool *camel);
/* An emergency break inside a word: after its punctuation (soft),
 * between the words of a name in camel case, or between any two
 * characters. */
enum cp_cut_kind { CP_CUT_SOFT, CP_CUT_NAME, CP_CUT_CHAR };
struct cp_cut {
	size_t at; /* bytes before the break */
	enum cp_cut_kind kind;
};
/* The emergency breaks inside s, ascending, into pts (room for max):
 * soft and name ones at level 1, every character boundary too at level 2 (never
 * before a combining mark or inside a joined sequence). Returns how
 * many. */
size_t cp_cut_points(const char *s, size_t n, int level, struct cp_cut *pts, size_t max);
/* Whether two spans of one word may be broken apart in an emergency:
 * last, the first span's last byte, first the second's first. */
bool cp_cut_between(char last, char first);
/* Whether a breaker's result has a line overfull (r < -1). */
bool cp_overfull(const struct lb_result *res);
/* The boxes (indexes into items, ascending) of the runs with no legal
 * breakpoint that are wider than width on res's overfull lines (all the
 * boxes of such a line where none is); malloc'd, *count of them. */
size_t *cp_wide_runs(const struct lb_item *items, size_t n, const struct lb_result *res,
		     double width, size_t *count);
/* Remembers a forced break in span sp, off bytes in (source line line),
 * for cp_tell_cuts: once per place, not when a part is set again. */
void cp_note_cut(struct composer *c, const struct bk_span *sp, size_t off, int line, bool mark);
/* Tells the forced breaks noted (each, or past 50 one finding at the
 * first); cp_tell_wraps calls it before freeing c->wraps. */
void cp_tell_cuts(struct composer *c);

/* spanlang.c: the patterns text in lang is hyphenated by (c->hyph when
 * lang is NULL or the book's own); NULL when lang has none installed. The
 * composer owns them until cp_lang_hyph_free. */
struct tx_hyph *cp_hyph_for(struct composer *c, const char *lang);
void cp_lang_hyph_free(struct composer *c);
/* lang's index in doc's languages (pg_doc.langs), added when new;
 * SIZE_MAX past the most a struct pg_tag can number (the text reads in
 * its block's). */
size_t cp_lang_index(struct pg_doc *doc, const char *lang);
/* Tags l's ops from from on as text in lang (PG_ROLE_LANG), when lang is
 * not the book's. */
void cp_tag_lang(struct composer *c, struct vline *l, size_t from, const char *lang);
/* Gives l's ops from from on - the second piece of a hyphenated word
 * (PG_ROLE_WORD) - the language lang of the passage it is in, as struct
 * op's lang (none when lang is NULL or the book's). The first piece takes
 * its language from its ops' PG_ROLE_LANG when it is made a word. */
void cp_word_lang(struct composer *c, struct vline *l, size_t from, const char *lang);

/* vlist.c: a new line at the end of c->lines (advance: its leading, space:
 * owed above it); a drawing operation, a shaped word's pieces, on line l;
 * a word's width at size. cp_free_lines (below) drops lines from 'from'. */
struct vline *cp_new_line(struct composer *c, double advance, double space);
void cp_add_op(struct vline *l, struct op op);
void cp_add_word(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
		 double x, double dy);
double cp_word_width(const struct tx_word *w, double size);
void cp_add_word_scaled(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
			double x, double dy, double hscale);

/* compose.c */
/* Sets a run of text as one paragraph (see compose.c); returns its lines. */
size_t cp_set_text(struct composer *c, const char *text, enum tx_face face, double size,
		   double leading, double x0, double width, bool ragged, bool centre,
		   double first_space);
/* As cp_set_text, text given as its styled runs when spans is not NULL
 * (a title's "Reading *Middlemarch*"). */
size_t cp_set_styled(struct composer *c, const char *text, const struct bk_span *spans,
		     size_t n, enum tx_face face, double size, double leading, double x0,
		     double width, bool ragged, bool centre, double first_space);
/* Sets a part as an essay opens: title block, then its blocks. Notes are
 * set separately; the paginator calls cp_set_part_by_kind (kinds.h). */
void cp_set_part(struct composer *c, const struct bk_part *p, double sink);

/* compose.c, for the kinds' openings (kinds.c): spans set as one
 * paragraph; blocks set at x0 in width, with space owed before them
 * (returns the space owed after). */
size_t cp_set_spans(struct composer *c, const struct bk_span *spans, size_t n, enum tx_face face,
		    double size, double leading, double x0, double width, double indent,
		    bool ragged, bool centre, double first_space);
double cp_set_blocks_at(struct composer *c, const struct bk_block *v, size_t n, double x0,
			double width, double space, double size, double leading, bool indent);

/* links.c: links to a heading or part of the book ("#h", "other.md#h")
 * made internal, to where it was placed (part_page: each part's opening
 * page); links that lead nowhere in the book lose their annotation. */
void pg_resolve_links(struct pg_doc *doc, const struct book *b, const size_t *part_page);

/* Sets footnote i of the current part at note size; its lines are
 * appended to c->lines. */
void cp_set_note(struct composer *c, const struct bk_note *note);
/* labels.c: the indent a note's text hangs from its number, wide enough
 * for the book's widest (at least 1.6 em of the note size); the indent of
 * a list's items from the text before it, wide enough for the list's
 * widest marker at size (at least the quote indent); the marker of a
 * list's item numbered num, written into out (cap bytes). */
double cp_note_hang(struct composer *c);
double cp_list_indent(struct composer *c, const struct bk_block *list, double size);
/* A task's box (compose.c task_box), its side and with the space after
 * it, in ems. */
#define CP_TASK_SIDE 0.62
#define CP_TASK_BOX (CP_TASK_SIDE + 0.33)
void cp_list_marker(const struct bk_block *list, int num, char *out, size_t cap);
/* compose.c: the memo of a part's paragraphs as broken (struct cp_memo),
 * begun before the part is first set and ended after its last set; a
 * paragraph set again from the same spans, shape and cp_setting asks
 * takes its breaking from it. Either way the lines are the same. */
void cp_memo_begin(struct composer *c);
void cp_memo_end(struct composer *c);
/* vlist.c: frees lines [from, nlines) and shortens c->lines to from. */
void cp_free_lines(struct composer *c, size_t from);

/* The counts a setting adds to the doc: its line records and the report's
 * tallies. A trial setting (the deepest opener, a looser part) takes them
 * before and puts them back after, or rebases them, so that what it sets
 * and takes back counts nothing; one place names every count. */
struct cp_counts {
	size_t nlinev, lines, overfull, hyphenated, code_wrapped, code_stepped;
};
void cp_counts_take(const struct pg_doc *doc, struct cp_counts *k);
void cp_counts_put(struct pg_doc *doc, const struct cp_counts *k);
/* The counts made since at1 moved to follow at0 instead: a second setting
 * kept in place of a first begun at at0 (the line records moved likewise). */
void cp_counts_rebase(struct pg_doc *doc, const struct cp_counts *at0, const struct cp_counts *at1);

/* table.c */
/* Marks lines [first, end) as one table for the page builder: a float when
 * it fits on a page, else broken between rows with its head repeated, and
 * never with fewer than two body rows or a lone rule at a page's top or
 * foot (keep_next). The table's row_first and table_head lines must be
 * marked. */
void pg_mark_table(struct composer *c, size_t first, size_t end);
/* Sets the keeps between the rows of a group that cells spanning rows tie
 * (nr rows of h[i] lines from lines[0], each row's own lines kept
 * together already, no header row among them): kept, but for the breaks it
 * marks row_tied. deep: the group is deeper than half the text block. */
void cp_table_group_keeps(struct vline *lines, const size_t *h, size_t nr, bool deep);

/* tag.c (layout): what pieces are, for a tagged PDF (struct pg_tag). */
/* Gives the ops of lines [from, c->nlines) tag (unless NULL) and, where
 * their role is PG_ROLE_BODY, role. */
void cp_tag_lines(struct composer *c, size_t from, const void *tag, enum pg_role role);
/* Gives l's ops from index from on tag (unless NULL), role and ref; a
 * label's last piece is followed by a space. */
void cp_tag_ops(struct vline *l, size_t from, const void *tag, enum pg_role role, int ref);
/* Starts a run of page's texts with this tag from its next text, unless
 * the last run has it already. */
/* Folds each page's texts added since its last call into its text_hash
 * (FNV-1a, so the hash of all its texts at the end, in their order): the
 * runs on two threads hash their own pages (parallel.c), and compose
 * only what came after them (heads, folios, contents numbers). Texts
 * once hashed must not change. */
void pg_hash_texts(struct pg_doc *doc);

void pg_page_tag(struct pg_page *page, const void *tag, enum pg_role role, int ref);
/* pg_page_tag with a hyphenated word's language (struct pg_tag's lang). */
void pg_page_tag_lang(struct pg_page *page, const void *tag, enum pg_role role, int ref,
		      uint16_t lang);

/* A table cell's widths in face at size: min, the narrowest its spans can
 * be set (its widest piece between breakpoints: words, hyphenated pieces
 * with their hyphen, a number with its unit); whole, the narrowest with
 * no hyphen added (its widest word; >= min); two, the narrowest with no
 * word in more than two lines (one hyphen; min <= two <= whole); max, its
 * width on one line. */
struct cell_width {
	double min, whole, two, max;
};

/* A table cell's widths (struct cell_width) into *cw. squeezed: as a cell
 * too narrow for that is set - numbers may leave their units and
 * capitalised words take hyphens. room: the table's measure, the widest
 * an image in a cell may be; an image's min is its width up to half of
 * room (then it is scaled down before the other columns' words are
 * squeezed), an image sized as a share of the line ({width=50%}) has
 * none, as CSS's percentages have none. */
void cp_cell_widths(struct composer *c, const struct bk_span *spans, size_t n, enum tx_face face,
		    double size, bool squeezed, double room, struct cell_width *cw);

/* table.c: column widths for a table of nc columns and nrows rows, from
 * each cell's min and max widths (cmin, cmax: nrows x nc, row by row),
 * into w[nc], as HTML's automatic table layout does - every column at
 * least its min, all at their max when the max fit in avail - and, in
 * between, the spare room given where it saves the most lines. Returns
 * the sum of the widths; more than avail when even the mins do not fit
 * (then w holds the mins). */
double cp_table_widths(int nc, size_t nrows, const double *cmin, const double *cmax,
		       double avail, double *w);
/* What the line breaker makes of a table's cells at some column widths,
 * summed over its rows (struct cp_table_probe). */
struct cp_table_real {
	size_t lines;   /* the rows' depths: each its deepest cell's lines */
	size_t split3;  /* words broken into three pieces or more */
	size_t hyphens; /* lines ending at a hyphen added to a word */
};
/* Sets a table's cells at widths w (nc of them) with the line breaker,
 * drawing nothing and telling nothing, into *out; ctx is its own. */
struct cp_table_probe {
	void (*set)(void *ctx, const double *w, struct cp_table_real *out);
	void *ctx;
};
/* table.c: cp_table_widths, and then, where a column is narrower than its
 * widest word (cwhole: each cell's width with no hyphen added, >= cmin),
 * the columns that hyphenate raised to their widest words, in every
 * combination of the first few (the cheapest) whose mins fit avail; the
 * widths ranked by the fewest lines by the estimate, then the fewest
 * hyphens (ctwo: each cell's width with one hyphen a word at most): a
 * word is hyphenated only where no width without it is as shallow. When
 * the best so ranked still hyphenates and probe is not NULL, the few best
 * and the widths that give every word at most one hyphen (where they
 * fit) are set by the line breaker, and the widths kept are those of the
 * fewest words in three pieces, then lines, then hyphens, as set. Returns
 * the sum of w, as cp_table_widths. */
double cp_table_whole(int nc, size_t nrows, const double *cmin, const double *cwhole,
		      const double *ctwo, const double *cmax, double avail, double *w,
		      const struct cp_table_probe *probe);
/* table.c: what cells spanning columns ask of their columns, as HTML's
 * automatic layout has it: span[r * nc + k] is the columns the cell at
 * row r, column k spans (0 or 1: one, or a covered place). Once the
 * one-column cells have given each column its min and max, a spanning
 * cell whose min (max) is more than its columns' and the gutters (gap)
 * between them shares the excess over them, in proportion to their maxes
 * (evenly when they have none), narrower spans first. Its places in cmin
 * and cmax are rewritten to its shares, for cp_table_widths. */
void cp_table_spans(int nc, size_t nrows, const int *span, double gap, double *cmin,
		    double *cmax);
/* table.c: the least size a table set at size may step down to (the
 * style's 'tables: min-size', never above size); and the step: size and
 * lead scaled so that a table needing need points fits width, not below
 * floor. Returns false, changing nothing, when it is at the floor. */
double cp_table_floor(const struct bk_style *st, double size);
bool cp_table_step(double *size, double *lead, double floor, double width, double need);
/* table.c: whether table b (its rows, their cells) runs right to left:
 * the first strong letter of its cells', in reading order; book_rtl when
 * they hold none (numbers only). */
bool cp_table_rtl(const struct bk_block *b, bool book_rtl);

/* code.c: sets code block b at x0 in width: each line whole where it
 * fits; the block a step smaller (to the style's floor) where that makes
 * its lines fit; then each line still too long wrapped with a hanging
 * indent and a continuation mark, and a warning at its file:line:col.
 * space is the least space above its first line; returns the least owed
 * to the text after it (half a line). Its lines are marked code: the page
 * builder breaks pages on those least spaces, and where the block lands
 * between two lines of one page, centres it in the space the grid gave
 * (page.c). */
double cp_set_code(struct composer *c, const struct bk_block *b, double x0, double width,
		   double space);

/* ===== bidi.c: a line of mixed directions in visual order ============ */

/* A run of a line as draw_line placed it, in logical order: a box, or a
 * piece of one at one embedding level (a word of mixed directions is
 * drawn in runs), or a space; its ops [op0, op1), x and width, and its
 * characters [c0, c1) in the paragraph's text (struct tx_bidi). */
struct cp_bidi_box {
	size_t op0, op1;
	double x, w;
	size_t c0, c1;
};
/* Whether a paragraph runs right to left: its first strong character. */
bool cp_para_rtl(const struct bk_span *spans, size_t n);
/* Puts the line's n runs (bx, covering its characters in order) in visual
 * order, moving their ops, by FriBidi's reordering of the line (rules L1,
 * L2) over b, the paragraph's levels; a right-to-left paragraph's line is
 * mirrored in the measure [left, right], so that it starts at the right
 * margin. Nothing moves in a line wholly left to right. Scratch from a. */
void cp_bidi_line(struct vline *l, const struct cp_bidi_box *bx, size_t n,
		  const struct tx_bidi *b, double left, double right, struct arena *a);
/* Whether a list item or a note (its n blocks) runs right to left: its
 * first paragraph's direction (cp_para_rtl). */
bool cp_blocks_rtl(const struct bk_block *kids, size_t n);
/* A list's label ("12.", NUL-terminated, changed in place) as a
 * right-to-left item shows it: ".12". */
void cp_rtl_marker(char *mark);
/* A right-to-left list item or note: its n lines were set as a
 * left-to-right one's, the text indented by ind in the measure [x0, x0 + width] and
 * the label (line 0's ops from lab on) in the indent, its right edge at
 * right. Moves the text ind to the left, to the measure's left edge, and
 * the label to the mirror image of its room, the indent at the right. */
void cp_bidi_item(struct vline *lines, size_t n, size_t lab, double x0, double width, double ind,
		  double right);

#endif
