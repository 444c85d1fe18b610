/*
 * walker.h - private to markdown.c, htmlbuild.c and walker.c: the state of one
 * part's walk over cmark's tree, and the few functions each file lends
 * the other. markdown.c walks the Markdown; htmlbuild.c reads the raw
 * HTML it carries (html.c's tokens) into the same blocks and spans.
 */
#ifndef OCTAVO_BOOK_WALKER_H
#define OCTAVO_BOOK_WALKER_H

#include "book-int.h"
#include "dialect.h"
#include "html.h"

#include <cmark-gfm.h>

#define MAX_NESTING 64

struct walker {
	struct arena *a;
	struct bk_part *part;
	const char *path;
	const char *mdir;  /* manuscript directory, for images */
	long max_pixels;   /* the largest image, in pixels */
	const char *pdir;  /* the part's directory */
	int line_offset;   /* body line 1 is file line 1 + line_offset */
	struct diag *d;
	const char *src;   /* the body text, for footnote labels */
	size_t srclen;
	/* growing arrays, copied into the arena when the part is done */
	const char **links;
	size_t nlinks, links_cap;
	struct bk_image **images;
	size_t nimages, images_cap;
	struct strset ids; /* heading ids given so far; values: next suffix */
	int max_note; /* highest footnote number referenced */
	bool too_deep; /* reported once */
	size_t *line_starts; /* body offsets of each line, for footnote labels */
	size_t nlines;
	/* octavo's dialect */
	const char *lang;  /* the enclosing span's or div's lang=, or NULL */
	struct strset anchors; /* headings' anchors given so far */
	struct html_kind *html; /* raw HTML left out, by kind, reported at the end */
	size_t nhtml, html_cap;
	bool hinted_math, hinted_remote;
	struct bk_block *last_block; /* the block copied just before, in this container */
};

/* Raw HTML of one kind (its tag's name) left out of a part. */
struct html_kind {
	char name[24];
	int fate; /* enum html_fate */
	int count, line, col;
};


/*
 * The spans of one block as they are gathered. Adjacent text of one style
 * and link is merged into one run: the last run's text is kept in pend
 * until something else follows, so that merging costs the length of the
 * text once, however many pieces cmark split it into.
 */
struct spans {
	struct bk_span *v;
	size_t n, cap;
	struct strbuf pend; /* text of v[n - 1] while it is still growing */
	bool open;          /* v[n - 1] is a text run whose text is in pend */
	size_t alt_n, alt_len; /* n and pend's length where the last alt text
				* standing in for a picture on the web ended;
				* alt_n 0: none */
};

/* ----- walker.c: what both files use ------------------------------------ */

/* Whether n is the dialect's node of that name (dialect.c's types). */
bool is_type(cmark_node *n, const char *name);
/* Text at n's line and column, as add_text_at. */
void add_text(struct walker *w, struct spans *s, cmark_node *n, const char *text, unsigned style,
	      int link);
/* A Markdown image node's file (image_file), its alt text the node's text. */
struct bk_image *load_image(struct walker *w, cmark_node *n);
/* Parses a node's attributes ({...} as written) into a, warning at
 * line:col about what does not parse. */
void node_attrs(struct walker *w, const char *text, int line, int col, struct md_attrs *a);


/* A node's line in the part's file (its own, or its nearest ancestor's
 * that has one) and its column (1 when none). */
int node_line(struct walker *w, cmark_node *n);
int node_col(cmark_node *n);

/* Spans: the growing run's text into the arena; a span appended; text
 * (len bytes, copied) at line:col, merged into the last run when its
 * style, link and language are the same; a hard line break. */
void flush_text(struct walker *w, struct spans *s);
void add_span(struct walker *w, struct spans *s, struct bk_span sp);
void add_text_at(struct walker *w, struct spans *s, int line, int col, const char *text,
		 size_t len, unsigned style, int link);
void add_break(struct walker *w, struct spans *s, int line, int col, unsigned style, int link);

/* A link's index in the part's links, or -1 after a warning at line:col
 * when its scheme is not one a book may keep. */
int add_link(struct walker *w, const char *url, int line, int col);

/* GitHub's alerts (alert.c): the kind a block quotation's '[!TIP]' line
 * makes it (0 to BK_NALERTS - 1), or -1; b, copied from such a
 * quotation, made the kind's div, its label first. */
int md_alert_kind(cmark_node *quote);
void md_alert_make(struct walker *w, struct bk_block *b, int kind);

/* Whether src is an image on the web (or inline data) rather than a file. */
bool is_remote(const char *src);
/* A CSS length (px, pt, pc, in, cm, mm, q; a bare number is CSS pixels)
 * into *pt in points, or when pct a percentage into *share (0.5 for
 * 50%), or when em is not NULL ems (of the body type) into *em, *pt then
 * 0. Returns false, touching none, when v is not one. For an image's
 * size: <img width> (no ems: HTML's attribute is pixels), style's
 * width:, Markdown's {width=}. */
bool css_length(const char *v, bool pct, double *pt, double *share, double *em);
/* Around the alt text standing in for a picture on the web: before it, a
 * space when the alt text of another ends right there (a row of badges
 * would read as one word); after it, where it ends is noted. */
void stand_in_start(struct walker *w, struct spans *s, int line, int col, unsigned style);
void stand_in_end(struct spans *s);

/* The image file src (relative to the part) with its alt text and title,
 * read and checked (arena-owned), or NULL after a warning or an error. */
struct bk_image *image_file(struct walker *w, const char *src, const char *alt,
			    const char *title, int line, int col);

/* A heading's anchors and its id in the book (n: its node, NULL for
 * HTML's <hN>). */
void heading_anchors(struct walker *w, struct bk_block *b, cmark_node *n);

/* ----- lent by htmlbuild.c ---------------------------------------------- */

/* Inline raw HTML (one tag per node) set into s: false for HTML octavo
 * does not set, which html_left_out then counts. *hs, *hl: the style bits
 * and link that open tags set for the siblings after n. */
bool html_inline(struct walker *w, struct spans *s, cmark_node *n, unsigned style, int link,
		 unsigned *hs, int *hl);
/* Counts raw HTML left out whole (a comment silently). */
void html_left_out(struct walker *w, cmark_node *n, const char *html);
/* Warns once per kind of raw HTML left out or set plainly in the part;
 * frees the counts. */
void html_report(struct walker *w);

/*
 * The builder of one Markdown container's blocks from its first raw HTML
 * block on: hb_new takes the container's first used Markdown blocks (v;
 * n: room for all its blocks), html_feed reads an HTML block, hb_add_block
 * adds a Markdown block (into an open table's cell when there is one),
 * hb_last_block is the block added last (NULL for none; borrowed, valid
 * until the next add), and hb_finish closes what is still open, hands out
 * the container's blocks (arena) and frees hb.
 */
struct hbuild;
struct hbuild *hb_new(const struct bk_block *v, size_t used, size_t n);
void html_feed(struct walker *w, struct hbuild *hb, cmark_node *n);
void hb_add_block(struct walker *w, struct hbuild *hb, struct bk_block *b);
struct bk_block *hb_last_block(struct hbuild *hb);
void hb_finish(struct walker *w, struct hbuild *hb, struct bk_block **out, size_t *nout);

#endif
