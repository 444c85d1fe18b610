/*
 * layout.h - the layout stage: paragraphs into lines (Knuth-Plass total-fit
 * breaking over boxes, glue and penalties) and lines into pages.
 *
 * Coordinates on a page are PDF points with the origin at the bottom left
 * of the trim box, y upwards, so the pdf stage only draws.
 *
 * Single-threaded but for one seam: pg_compose_lint_jobs sets the main
 * matter's parts in two runs on two threads (parallel.c, through
 * src/util/jobs.h) and joins them in order, the doc the same bytes as on
 * one. (An earlier second thread that set essays ahead of their
 * pagination was measured at no gain - 10 builds of the edition, wall
 * time min 144 ms on one thread, 184 ms on two - and removed.)
 *
 * Invariants of a doc pg_compose returns (asserted there):
 *  - Its strings (folios, report lines, outline titles) and its page marks
 *    live in its arena, or point into the book or the font cache, which must
 *    outlive the doc; its growing arrays (pages and their contents, outline,
 *    linev) are malloc'd. pg_doc_free frees everything.
 *  - pages[i].label is never NULL or "": every page has its folio ("iii", "12"),
 *    whether it prints it or not (blank pages and the title pages do not).
 *  - pages[i].part is -1 (front matter) or an index into the book's parts.
 *  - front_pages is even (page 1 is a recto) and at most npages.
 *  - A link with no url leads to a page index, or to -1 (nowhere).
 *  - linev[i].page is a page index or -1; a lean doc has no linev, nor
 *    one after pg_doc_drop_lines;
 *    linev[i].text is NULL only in a pg_compose_lint doc.
 *  - nmarks == npages: one page mark per page.
 */
#ifndef OCTAVO_LAYOUT_H
#define OCTAVO_LAYOUT_H

#include "../book/book.h"
#include "../text/text.h"
#include "pagemark.h"

/* ===== line breaking (lb_) ============================================= */

enum lb_kind { LB_BOX, LB_GLUE, LB_PENALTY };

#define LB_INFINITY 10000.0 /* a penalty of this size forbids a break, -this forces one */

/* An item of Knuth and Plass's paragraph model. */
struct lb_item {
	enum lb_kind kind;
	double width;
	double stretch, shrink; /* glue; a box's expansion; a penalty's stretch:
				 * how short a line broken at it may be left;
				 * a penalty's shrink is its rag (lb_rag) */
	double penalty;         /* penalty only */
	bool flagged;           /* penalty only: a hyphen break */
};

/* A penalty's rag: how much shorter still a line broken at it may be
 * left once its glue is at full stretch (lb_rag_taken). Kept in the
 * shrink a penalty has no use for, so that items stay 48 bytes. */
static inline double lb_rag(const struct lb_item *it)
{
	return it->kind == LB_PENALTY ? it->shrink : 0;
}

struct lb_params {
	double tolerance;        /* the largest adjustment ratio allowed (rho) */
	double line_penalty;     /* l, added to each line's badness */
	double flagged_demerits; /* alpha: two hyphenated lines in a row */
	double fitness_demerits; /* gamma: adjacent lines in fitness classes apart */
	double final_hyphen_demerits; /* a hyphen on the second-last line */
	double short_last_demerits;   /* a paragraph's last line under 12% of the measure */
	bool emergency;          /* allow an overfull line when nothing else fits */
	bool soft_final_hyphen;  /* a split word carried onto the last line costs
				  * final_hyphen_demerits (TeX's rule) rather than
				  * being ruled out: the looser pass's */
	bool hyphenate;          /* false: discretionary hyphens (flagged penalties
				  * with width) are not breakpoints - TeX's first pass */
	int max_ladder;          /* most hyphenated lines in a row (1 to 7) */
	double line_bonus;       /* taken off each line's demerits: more lines win (0 for
				  * none); a paragraph set a line looser (\looseness 1) */
	size_t lines;            /* 0: the fewest demerits at any number of lines; else
				  * the fewest at exactly this many (TeX's \looseness,
				  * as a count), lb_break failing when none is feasible */
	/* Optical margins, per item index (NULL for none): a line ending at
	 * breakpoint i may be hang_right[i] wider (its last character hangs
	 * into the margin); a line starting after it, hang_left[i] wider. */
	const double *hang_right, *hang_left;
	/* Ragged text's \rightskip: the stretch a line ending at a penalty
	 * right after a box (a hyphen, a break in code, a URL or a number
	 * range) has, as one ending at a space has it from its glue (0 when
	 * justified). Without it such a line had no stretch at all: never
	 * feasible, and a cell's long word was cut where no rule allows. */
	double end_stretch;
};

struct lb_result {
	size_t *breaks;  /* item indexes of the chosen breakpoints, increasing, last = n - 1 */
	double *ratios;  /* adjustment ratio r of each line */
	size_t nlines;
	double demerits;
};

/*
 * Finds the breakpoints of least total demerits for items (which must end
 * with a forced break) when every line is width wide (and, with p->lines,
 * of that many lines). Returns 0, or -1 when no feasible breaking exists
 * under p (emergency off). Breaks and
 * ratios are malloc'd into res; free with lb_result_release.
 */
int lb_break(const struct lb_item *items, size_t n, double width, const struct lb_params *p,
	     struct lb_result *res);
void lb_result_release(struct lb_result *res);
/*
 * Rebreaks res (a breaking of items for measure width) into lines of
 * near-equal length, as display lines are set (balance.c): no more lines
 * than res has, at the narrowest measure that allows that, the short line
 * last (or first, with short_top). Ratios are 0 (for ragged or centred
 * text). Returns 0 with res replaced, or -1 with res as it was (fewer than
 * two lines, or no such breaking).
 */
int lb_balance(const struct lb_item *items, size_t n, double width, bool short_top,
	       struct lb_result *res);
/*
 * A ragged short end at a break that allows one (struct lb_item's rag):
 * of a line's shortfall d (> 0), what its end takes when its glue and
 * boxes may stretch by y at r = 1 - nothing while they can fill it, then
 * up to rag. The glue stretches by r = (d - taken) / y, so that a line
 * is justified wherever r <= 1 does it and never gapes more than it must;
 * the breaker counts the end's share at a cost, taken / (y + rag) on top
 * of r (under 1 more), so that a line left shorter costs more.
 */
double lb_rag_taken(double d, double y, double rag);
/* The defaults for justified text: TeX's plain values where they apply. */
void lb_params_default(struct lb_params *p);

/* ===== pages (pg_) ===================================================== */

/* One piece of text on a page. Kept small (32 bytes): a long book holds
 * millions of them until the PDF is written. Floats place a piece to a
 * ten-thousandth of a point on any page up to 200 in. */
struct pg_text {
	const char *text;
	float x, y;
	float size;
	float hscale;  /* horizontal scaling, 1 = none (font expansion) */
	uint32_t len;
	uint8_t face;  /* enum tx_face */
	uint8_t flags; /* enum pg_text_flags: where a reader's text has a space */
};

/*
 * What the pieces on a page are, for a tagged PDF (src/pdf/tag.c): each
 * text, image and link carries a tag - the thing it was set from (a
 * struct bk_block, a bk_note, a bk_part, a string of the front matter) -
 * and a role saying what it is to that thing. The PDF's structure tree is
 * made from these and the book; the layout only says where things come
 * from. A piece with a NULL tag, or an artifact role, is not content.
 */
enum pg_role {
	PG_ROLE_BODY,    /* the tag's own content (a block: by its kind) */
	PG_ROLE_LABEL,   /* a list item's mark (tag: the item), a note's number (tag: the note) */
	PG_ROLE_LINK,    /* text of link number ref of the tag's part */
	PG_ROLE_NOTEREF, /* a note mark: note index ref of the tag's part */
	PG_ROLE_WORD,    /* a piece of a word hyphenated across lines; ref numbers the word */
	PG_ROLE_CAPTION, /* a figure's caption (tag: the figure) */
	PG_ROLE_H1,      /* a title the layout sets (tag: a part, or a string) */
	PG_ROLE_P,       /* a line of the layout's own: subtitle, byline, colophon */
	PG_ROLE_TOCI,    /* a contents entry (tag: the part it lists) */
	PG_ROLE_ARTIFACT,   /* drawn, not content: a hyphen added at a break, leaders */
	PG_ROLE_PAGINATION, /* running heads and folios */
	PG_ROLE_LANG,    /* text of a passage in another language: pg_doc.langs[ref] */
};

enum pg_text_flags {
	PG_SPACE = 1, /* a space follows this piece (interword glue) */
	PG_JOIN = 2,  /* a line ends here with no space (inside a word, a URL) */
	/* A bold or italic the face has not (the mono face: code in a
	 * heading, **`x`**), drawn as CSS's font-synthesis draws it: */
	PG_BOLD = 4,  /* stroked as well as filled, the stroke size/30 wide */
	PG_SLANT = 8, /* slanted 12 degrees */
};

/* A run of a page's texts with one tag: texts[from] up to the next run's
 * from (or ntexts). Texts before the first run are artifacts. */
struct pg_tag {
	const void *tag;
	uint32_t from;
	int32_t ref;
	uint8_t role; /* enum pg_role */
	/* PG_ROLE_WORD: 1 + the index in pg_doc.langs of the passage the
	 * word is in, 0 for its block's language */
	uint16_t lang;
};

struct pg_rule {
	double x, y, w, h; /* filled rectangle, y its bottom */
};

struct pg_image {
	const struct bk_image *img;
	double x, y, w, h;
	const void *tag; /* its block (see struct pg_tag) */
};

struct pg_link {
	double x0, y0, x1, y1;
	const char *url;  /* external, or NULL */
	int dest_page;    /* internal: page index, when url is NULL */
	double dest_y;
	const void *tag;  /* the text it links, as the texts' runs say (struct pg_tag) */
	int32_t ref;
	uint8_t role;
};

/* The fewest lines of text (pg_pagefacts's body_lines) a part's last page
 * holds (issue 14, item 4): fewer read as a club page, whatever notes run
 * on under them. */
#define PG_PART_END_LINES 5

/* What the page builder made of a page, as placed: the report's page
 * figures (report.c) and the proof's outlines are read from these. */
struct pg_pagefacts {
	bool running;       /* holds running text or notes (not blank, not the front's title pages) */
	bool part_last;     /* the last page of its part */
	bool after_break;   /* it begins at the author's page break (\newpage): it
			     * holds what the author put there, whatever its depth */
	bool text_last;     /* not the part's last, yet its text ends here: only floats
			     * waiting for the next page follow (a part end too) */
	int short_lines;    /* whole lines its text ends above the block's last grid line
			     * (negative: below it, a long page) */
	int body_lines;     /* the part's own text on it, in lines: body, headings, lists,
			     * quotes, code, a table row its cell lines, a figure its
			     * height in lines; not notes, not the running head or folio */
	int note_lines;     /* lines of footnotes under its rule */
	bool final_hyphen;  /* its last body line ends at a hyphen, the word running over */
	bool head_squeezed; /* a heading at its foot gave up half a line of its space,
			     * its baseline off the grid (page.c's fill) */
	int notes_split;    /* notes broken at its foot */
	int notes_split_hyphen; /* of those, broken after a hyphenated line */
	int notes_through;  /* notes begun before it and going on after it: over 3+ pages */
	int note_lone;      /* pieces of a broken note one line long on it */
	int notes_late;     /* notes beginning on it whose reference is on an earlier page */
	int float_gap;      /* lines left empty at its foot before a float on the next page */
	int floats_moved;   /* floats at its top that the page before owed (its text went on) */
	int floats_far;	    /* floats on it two or more pages after the text before them */
	int tables_broken;  /* tables broken at its foot */
	int tables_nohead;  /* tables continued on it without their head repeated */
	int tables_thin;    /* a lone rule or fewer than two body rows at its top or foot */
	int tables_tied;    /* tables broken at its foot inside a group of rows that a
			     * cell spanning rows ties (its label repeated overleaf) */
};

struct pg_page {
	struct pg_text *texts;
	size_t ntexts, texts_cap;
	struct pg_rule *rules;
	size_t nrules, rules_cap;
	struct pg_image *images;
	size_t nimages, images_cap;
	struct pg_link *links;
	size_t nlinks, links_cap;
	struct pg_tag *tags; /* runs of texts by tag, in text order */
	size_t ntags, tags_cap;
	const char *label; /* its folio ("iii", "12"); never NULL or "", even unprinted */
	int part;          /* index of the part it belongs to, -1 for front matter */
	bool opener;       /* a part's opening page: no running head */
	enum bk_front front; /* which front-matter page the layout made (part -1) */
	int entry;         /* contents: the part whose entry begins the page, or -1 */
	/* where its text begins in the source (see struct pg_pagemark) */
	const struct bk_span *mark_span;
	size_t mark_off;
	const struct bk_block *mark_block;
	/* Its text (faces, sizes, places to 1/100 pt, characters) in one
	 * number, for telling changed pages apart after the texts are gone
	 * (pdf_write_release frees them). */
	uint64_t text_hash;
	size_t hashed; /* texts[0 .. hashed) are in text_hash so far (layout) */
	struct pg_pagefacts facts;
	/* The first and last source lines (of the part's file, or a note's)
	 * set on it, 0 for none: the revision record's, kept here so that
	 * the line records may go before the editions are written. */
	int src_first, src_last;
};

struct pg_outline {
	const char *title;
	int level; /* 1 for parts */
	int page;
	double y;
	const struct bk_block *block; /* the heading it stands for, or NULL */
};

/* One line of text as set, for the typographic report. */
struct pg_line {
	const char *file; /* the part's path, NULL for front matter */
	int src_line;     /* source line of the line's first word */
	int page;         /* page index */
	double ratio;     /* adjustment ratio as set (0 for ragged and last lines) */
	bool hyphen;      /* ends at a hyphen (discretionary or explicit) */
	bool overfull;
	bool justified;   /* a justified line that is not a paragraph's last */
	const char *text;
	double x0, y0, x1, y1; /* its box on the page, PDF points from the bottom left */
	int para;          /* paragraph serial number, book-wide */
	int pline, plines; /* this line's index in its paragraph, and their number */
	bool note;         /* a footnote's line */
	bool code;         /* a line of a code block */
	bool wrapped;      /* a code line's continuation: the line was too long */
	bool cut;          /* ends at a forced break: inside a word, where no rule
			    * allows one, since nothing else fitted (layout/cut.c) */
	float short_em;    /* a justified line left short at a break in inline code
			    * or an address (a rag, a letter break), ems */
	bool cell_hyphen;  /* a table cell's line ending at a hyphen added to a word */
	bool in_name;      /* ends inside a name from code, between two letters with
			    * no punctuation ("AsyncLocal" / "Storage"), where the
			    * continuation mark is drawn */
	int name_line, name_col; /* in_name: the break's place in file (col 0:
				  * not known), for 'octavo check' */
};

struct pg_doc {
	struct arena arena;
	double page_w, page_h;
	struct pg_page *pages;
	size_t npages, pages_cap;
	int front_pages; /* pages numbered in roman before page 1 */
	struct pg_outline *outline;
	size_t noutline, outline_cap;
	/* typographic counts, for the report and the tests */
	size_t lines, overfull, hyphenated;
	double grid;        /* the body's baseline grid (leading) */
	size_t long_pages;  /* pages run one line long (to balance a spread or keep lines) */
	size_t short_pages; /* pages that end a line or more short before more text */
	struct pg_line *linev; /* every line set, in page order */
	size_t nlinev, linev_cap;
	struct pg_pagemark *marks; /* one per page: where it begins, for the EPUB */
	size_t nmarks;
	bool lean; /* made by pg_compose_lean: no linev */
	bool quoted; /* made by pg_compose_lint: linev's texts only where quoted */
	int runs; /* the main matter set in this many runs, joined in order: 1, or 2
		   * on two threads (pg_compose_lint_jobs, parallel.c) */
	size_t code_wrapped; /* code lines too long for the measure, wrapped */
	size_t code_stepped; /* code blocks set below their size to fit */
	/* The languages of passages in another language than the book's
	 * ([x]{lang=de}), for PG_ROLE_LANG; book arena strings, in an array
	 * in the doc's arena (as many as the book has, up to 65,535). */
	const char **langs;
	size_t nlangs, langs_cap;
};

struct pg_stats {
	size_t lines, justified, overfull, loose, tight, hyphenated;
	size_t cell_hyphens; /* of those, table cells' lines (pg_line's cell_hyphen) */
	size_t cut; /* lines ending at a forced break (struct pg_line's cut) */
	size_t short_ends, short_ends2; /* lines left short (short_em), over 2 em */
	size_t in_name; /* lines ending inside a name from code (pg_line's in_name) */
	int longest_ladder;
	size_t widows;  /* a paragraph's last line alone at the top of a page */
	size_t orphans; /* a paragraph's first line alone at the foot of a page */
	size_t spreads, unbalanced; /* full spreads; those whose last lines differ */
};

/* Counts over every line set: overfull, loose (r > 1), tight (r < -0.8),
 * hyphenated lines and the longest run of them. */
void pg_stats(const struct pg_doc *doc, struct pg_stats *st);

/* The page figures: counts over every page's facts. */
struct pg_pagestats {
	size_t running;              /* pages of running text */
	size_t full, long1, short1, short2; /* depth, outside part ends: on the grid, one line
					     * long, one short, two or more short */
	size_t spreads, unequal;     /* facing pages of running text; those ending unlike */
	size_t notes_split, notes_over3, notes_split_hyphen, note_lone, notes_late;
	size_t float_gaps, float_gaps3; /* pages with a float gap; of 3+ lines */
	size_t floats_moved;         /* floats set at the top of the page after their place */
	size_t floats_far;	     /* floats two or more pages after the text before them */
	size_t tables_broken, tables_nohead, tables_thin, tables_tied;
	size_t hyphen_recto, hyphen_verso; /* page-final hyphens */
	size_t heads_squeezed;       /* headings squeezed off the grid at a page's foot */
	size_t part_last_thin;       /* part-final pages under five lines */
	size_t part_last_forced;     /* and as many more begun at the author's page break */
	size_t text_last;            /* pages ending a part's text, its floats after them */
};
void pg_pagestats(const struct pg_doc *doc, struct pg_pagestats *ps);
/* Whether page i has a page problem the report counts; if so, and why is
 * not NULL, a short reason ("two lines short") into why[n]. */
bool pg_page_problem(const struct pg_doc *doc, size_t i, char *why, size_t n);

/* Prints the typographic report (or, with all_lines, one line of text per
 * line set: source, page, ratio, text - the golden tests' format). */
void pg_report(const struct pg_doc *doc, FILE *out, bool all_lines);

/* Prints the page layout: per page its label, then each line with its
 * kind, source file:line, paragraph position and baseline y, and each
 * image and rule. The golden tests' format. */
void pg_dump(const struct pg_doc *doc, FILE *out);

/*
 * Lays out the whole book. Returns the doc (free with pg_doc_free), or NULL
 * after reporting to d.
 */
struct pg_doc *pg_compose(const struct book *b, struct tx_fonts *f, struct diag *d);
/* pg_compose without the per-line records (doc->linev: each line's text,
 * ratio and box) that the report, check and proof read: a build needs only
 * the counts, and a long book's records are a sixth of its memory. */
struct pg_doc *pg_compose_lean(const struct book *b, struct tx_fonts *f, struct diag *d);
/* pg_compose for check and build: a line record keeps its text only where
 * the lint may quote it - an overfull line, a justified line looser than
 * r = 1 - and is NULL elsewhere. What else the records hold (pages,
 * places, ratios: the lint's, the revision record's and the proof's) is
 * whole. A long book's line texts are a tenth of its peak memory; only
 * the report prints them all. */
struct pg_doc *pg_compose_lint(const struct book *b, struct tx_fonts *f, struct diag *d);
/* pg_compose_lint on up to jobs threads (two at most: the main matter's
 * parts in two runs, src/layout/parallel.c). The doc, the messages and
 * their order are the same for any jobs; f is used by no one else
 * meanwhile. */
struct pg_doc *pg_compose_lint_jobs(const struct book *b, struct tx_fonts *f, struct diag *d,
				    int jobs);
/* Frees the line records (linev) for a caller that reads no more of them:
 * a build once its lint has run (the pages keep their source lines). A
 * long book's records are a tenth of its memory while both editions are
 * written. */
void pg_doc_drop_lines(struct pg_doc *doc);
void pg_doc_free(struct pg_doc *doc);
/* Frees every page's texts for a caller that will draw no more pages: an EPUB-only build once the page
 * marks are made, or after the PDF. text_hash and the rest stay. */
void pg_doc_drop_texts(struct pg_doc *doc);

#endif
