/*
 * layout-int.h - private to the layout stage: the vertical list that
 * compose.c builds from the book and page.c stacks onto pages.
 */
#ifndef OCTAVO_LAYOUT_INT_H
#define OCTAVO_LAYOUT_INT_H

#include "layout.h"

enum op_kind { OP_TEXT, OP_RULE, OP_IMAGE, OP_LINK };

/* A drawing operation, relative to the text block's left edge and the
 * line's baseline. Kept small (48 bytes): a part's lines hold one per
 * piece of text until its pages are made, so what each kind needs shares
 * its room with the others' (the unions). */
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
	int note;      /* OP_LINK to a footnote: its index in the part, else -1 */
	uint8_t kind;  /* enum op_kind */
	uint8_t face;  /* OP_TEXT: enum tx_face */
};

/* A line of the vertical list. Lines own their ops and note lists. */
struct vline {
	double space;   /* extra space above, dropped at the top of a page */
	double advance; /* baseline to baseline from the line before */
	double depth;   /* below the baseline */
	bool keep_next; /* no page break between this line and the next */
	bool new_page;  /* start a new recto page before this line */
	bool grid;      /* a body-size line: its baseline snaps to the grid */
	bool opener;    /* on a part's opening page: no running head there */
	struct op *ops;
	size_t nops, ops_cap;
	const char *outline; /* an outline entry starts here */
	int outline_level;
	long info;       /* index into doc->linev, or -1 */
	long *more_info; /* a table row's cell lines: more indexes into doc->linev */
	size_t nmore_info;
	int *notes;      /* footnotes referenced on this line (indexes into part->notes) */
	size_t nnotes;
	/* Where the line's text starts in the source, for the EPUB page list:
	 * a span and byte offset, or a block with no text (figure, table). */
	const struct bk_span *span;
	size_t span_off;
	const struct bk_block *block;
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
	double space_w[TX_NFACES]; /* an interword space's natural width per face */
	struct lb_params params;   /* the Knuth-Plass parameters for justified text */
	struct tx_hyph *hyph;      /* the hyphenation patterns, NULL for none */
	struct arena scratch; /* one paragraph's: released once it is set */
	/* the part being set and the vertical list it becomes */
	const struct bk_part *part; /* NULL for front matter */
	int part_index;
	const struct bk_block *cur_block; /* the block being set */
	bool in_note;      /* setting a footnote */
	struct vline *lines;
	size_t nlines, lines_cap;
	/* counted across the book */
	int para_serial;   /* paragraphs set so far */
	size_t *part_page; /* per part: the page it opens on */
	struct centry {
		size_t page;
		int entry;
		double y, x_end;
	} *entries; /* contents entries as placed */
	size_t nentries, entries_cap;
};

/* compose.c */
struct vline *cp_new_line(struct composer *c, double advance, double space);
void cp_add_op(struct vline *l, struct op op);
void cp_add_word(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
		 double x, double dy);
double cp_word_width(const struct tx_word *w, double size);
void cp_add_word_scaled(struct vline *l, const struct tx_word *w, enum tx_face face, double size,
			double x, double dy, double hscale);
/* Sets a run of text as one paragraph (see compose.c); returns its lines. */
size_t cp_set_text(struct composer *c, const char *text, enum tx_face face, double size,
		   double leading, double x0, double width, bool ragged, bool centre,
		   double first_space);
/* Sets a part: title block, then its blocks. Notes are set separately. */
void cp_set_part(struct composer *c, const struct bk_part *p, double sink);
/* Sets footnote i of the current part at note size; its lines are
 * appended to c->lines. */
void cp_set_note(struct composer *c, const struct bk_note *note);
void cp_free_lines(struct composer *c, size_t from);

/* ===== bidi.c: a line of mixed directions in visual order ============ */

/* A box of a line as draw_line placed it, left to right in logical order:
 * its ops [op0, op1), x and width, and its word's direction (tx_word.dir). */
struct cp_bidi_box {
	size_t op0, op1;
	double x, w;
	int8_t dir;
	int level;
};
/* Whether a paragraph runs right to left: its first strong character. */
bool cp_para_rtl(const struct bk_span *spans, size_t n);
/* Reorders the line's boxes (moving their ops) by the rule L2; rtl: the
 * paragraph's direction, left and right: the measure. Nothing to do for
 * a line without right-to-left text in a left-to-right paragraph. */
void cp_bidi_line(struct vline *l, struct cp_bidi_box *bx, size_t n, bool rtl, double left,
		  double right);

#endif
