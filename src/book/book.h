/*
 * book.h - the book stage: book.yaml, each part's front matter and its
 * Markdown (cmark-gfm), copied into one struct book that the PDF and EPUB
 * paths both read and never change.
 *
 * Invariants (asserted on every book book_load returns, src/book/invariants.c):
 *  - Everything reachable from a struct book lives in book->arena and is
 *    freed by book_free(). Strings are UTF-8 (validated), NUL-terminated.
 *  - Optional strings are NULL when absent, never "".
 *  - Every block and span carries the 1-based source line and column of the
 *    Markdown it came from, in its part's file (front matter included).
 *  - The cmark tree is freed once it has been copied out.
 */
#ifndef OCTAVO_BOOK_H
#define OCTAVO_BOOK_H

#include "../util/util.h"
#include "profile.h"

/* ===== inline content ================================================== */

enum bk_style_bits {
	BK_EM = 1 << 0,
	BK_STRONG = 1 << 1,
	BK_CODE = 1 << 2,
	BK_STRIKE = 1 << 3,
	BK_SUP = 1 << 4,       /* ^superscript^ */
	BK_SUB = 1 << 5,       /* ~subscript~ */
	BK_SMALLCAPS = 1 << 6, /* [text]{.smallcaps} */
};

enum bk_span_kind {
	BK_SPAN_TEXT,   /* text: len bytes; soft line breaks become one space */
	BK_SPAN_BREAK,  /* a hard line break */
	BK_SPAN_NOTEREF, /* a footnote reference: note indexes part->notes */
	BK_SPAN_IMAGE,  /* an image inside text: text is its alt text, img its file */
};

struct bk_span {
	enum bk_span_kind kind;
	unsigned style; /* enum bk_style_bits */
	const char *text;
	size_t len;
	int link; /* index into part->links, or -1 */
	int note; /* BK_SPAN_NOTEREF: index into part->notes (0-based) */
	const struct bk_image *img; /* BK_SPAN_IMAGE */
	int line, col;
	const char *lang; /* BCP 47 tag of a [span]{lang=xx}; NULL: the book's */
};

/* ===== blocks ========================================================== */

enum bk_block_kind {
	BK_PARA,    /* spans */
	BK_HEADING, /* spans; level 1-6 (an essay's own sections start at 2); id */
	BK_QUOTE,   /* kids */
	BK_LIST,    /* kids are BK_ITEMs; BK_ORDERED, BK_TIGHT; start */
	BK_ITEM,    /* kids */
	BK_CODE_BLOCK, /* text: the literal, ending in '\n' */
	BK_RULE,    /* a thematic break */
	BK_TABLE,   /* kids are BK_ROWs; ncols; aligns */
	BK_ROW,     /* kids are ncols BK_CELLs; BK_HEADER_ROW */
	BK_CELL,    /* spans; colspan, rowspan; BK_COVERED */
	BK_FIGURE,  /* img: a paragraph holding only an image */
	BK_HTML,    /* text: raw HTML, kept only to be reported */
	/* octavo's dialect (dialect.h): */
	BK_DIV,     /* kids; classes (a fenced div ::: name) */
	BK_DEFLIST, /* kids are BK_DEFTERMs, each followed by one or more BK_DEFDESCs */
	BK_DEFTERM, /* spans */
	BK_DEFDESC, /* kids */
	BK_LINES,   /* spans: a line block, lines ended by BK_SPAN_BREAKs */
	BK_PAGEBREAK, /* \newpage, or an empty ::: pagebreak div */
};

enum bk_block_flags {
	BK_ORDERED = 1 << 0,
	BK_TIGHT = 1 << 1,
	BK_HEADER_ROW = 1 << 2,
	BK_FENCED = 1 << 3, /* BK_CODE_BLOCK: fenced (its text starts on the line after line) */
	BK_TASK = 1 << 4,   /* BK_ITEM: a task list's ('- [ ] ...'), its box for a marker */
	BK_DONE = 1 << 5,   /* BK_ITEM: a task ticked ('- [x] ...') */
	BK_COVERED = 1 << 6, /* BK_CELL: a place a cell above or to its left spans: empty */
	BK_ALERT = 1 << 7,   /* BK_DIV: GitHub's alert ('> [!TIP]', alert.c): level is its
			      * kind, its first paragraph opens with the kind's label */
	BK_DETAILS = 1 << 7, /* BK_DIV: an HTML <details>; its first kid, when
			      * BK_SUMMARY, is its label */
	BK_SUMMARY = 1 << 8, /* BK_DIV: an HTML <summary>, one block: a label, set
			      * with space above and kept with what follows */
};

/*
 * An image as the book stage read it: once, by one open file, and checked
 * whole (bk_image_check). The writers use data and never open path again,
 * so a file swapped after the check cannot reach the PDF or the EPUB.
 */
struct bk_image {
	const char *src;  /* as written in the Markdown, relative to the part */
	const char *path; /* resolved, inside the manuscript directory: a name
			   * for messages and for telling images apart, never
			   * to be opened after the book stage */
	const char *alt;  /* alt text (may be "") */
	const char *title; /* NULL when none */
	const char *media_type; /* "image/png", "image/jpeg", "image/gif" or "image/svg+xml" */
	int width, height;      /* pixels, from the file's header */
	double ppi_x, ppi_y;    /* its own resolution, pixels an inch (PNG pHYs, JPEG
				 * JFIF density); 0: the file gives none */
	/* The size its author asked for at this place (<img width height>,
	 * their CSS in style=""): points, or a share of the measure's width;
	 * 0 when not given. Markdown's {width=60%} is the figure's, b->width. */
	double want_w, want_h, want_share;
	/* The same in ems of the body type ({width=3em}, style="width: 2em"),
	 * 0 when not: the PDF takes the style's body size, the EPUB keeps
	 * the ems. want_w or want_h is 0 where its em_* is given. */
	double em_w, em_h;
	int components;         /* a JPEG's: 1 grey, 3 RGB (YCbCr), 4 CMYK; else 0 */
	const unsigned char *data; /* the file's bytes, checked; book arena */
	size_t len;
	/* A PNG's four edges as bk_image_decode gives its pixels, seen by
	 * bk_image_check's decode so that no writer decodes the image again
	 * only to ask (the EPUB's frame.c): the least colour sample there
	 * and whether every pixel there is opaque. edges_known false: not
	 * seen (a palette or interlaced PNG, another format). */
	bool edges_known, edges_opaque;
	int edges_min;
};

struct bk_block {
	enum bk_block_kind kind;
	unsigned flags;
	int level;  /* heading level, list start number */
	int line, col;
	struct bk_span *spans;
	size_t nspans;
	struct bk_block *kids;
	size_t nkids;
	const char *text;   /* BK_CODE_BLOCK, BK_HTML */
	const char *id;     /* BK_HEADING: unique in the book, XML-name safe */
	const struct bk_image *img; /* BK_FIGURE */
	int ncols;          /* BK_TABLE */
	const char *aligns; /* BK_TABLE: ncols chars of 'l', 'c', 'r' or '-' */
	/* BK_CELL: the columns and rows it spans, from its place, >= 1. A
	 * table is a grid: every row has ncols cells, and the places a
	 * spanning cell covers beside and below its own hold BK_COVERED
	 * cells (empty, spans 1), inside the table and its row group (the
	 * header rows, or the body rows) */
	int colspan, rowspan;
	/* octavo's dialect (dialect.h): */
	const char *anchor;  /* BK_HEADING: what '#...' links name it by: its {#id},
			      * else GitHub's id for its text (unique in the part) */
	const char *anchor2; /* BK_HEADING: pandoc's id for its text, or NULL */
	const char **classes; /* BK_DIV, BK_HEADING: classes from {.class} */
	size_t nclasses;
	const char *lang;     /* BK_DIV: lang=xx; NULL: the book's */
	struct bk_span *caption; /* BK_TABLE: "Table: ..." */
	size_t ncaption;
	double width;         /* BK_FIGURE: {width=60%} as a fraction of the measure; 0: none */
};

/* ===== parts =========================================================== */

struct bk_note {
	const char *label; /* as written: [^label] */
	int number;        /* 1-based, in order of first reference */
	struct bk_block *kids;
	size_t nkids;
	int line;
};

/* A part's kind: its place in the book, its opening, folios and EPUB
 * semantics (src/book/kinds.h has the table). ESSAY and PREFACE first, as
 * they always were. */
enum bk_part_kind {
	BK_PART_ESSAY, BK_PART_PREFACE, BK_PART_HALF_TITLE, BK_PART_DEDICATION,
	BK_PART_EPIGRAPH, BK_PART_FOREWORD, BK_PART_INTRODUCTION, BK_PART_DIVIDER,
	BK_PART_AFTERWORD, BK_PART_ACKNOWLEDGEMENTS, BK_PART_CONTRIBUTORS, BK_PART_APPENDIX,
	BK_PART_BIBLIOGRAPHY, BK_PART_COLOPHON, BK_NPART_KINDS
};

struct bk_part {
	enum bk_part_kind kind;
	const char *file;  /* as listed in book.yaml, e.g. "01-partnership.md" */
	const char *path;  /* for messages: dir + file */
	const char *id;    /* XML-name safe, unique: "preface-1", "essay-01", ... */
	int list_line, list_col; /* where book.yaml lists it */
	int number;        /* essays 1..n in reading order; 0 for others */
	const char *title;
	int title_line, title_col; /* where the title is given (front matter or '# Title') */
	const char *running_head; /* 'running-head': the recto's head; NULL: the title */
	int running_head_line, running_head_col; /* where the front matter gives it */
	const char *subtitle; /* NULL when none */
	/* The title and subtitle as styled runs when their Markdown styles
	 * them ("Reading *Middlemarch*"); NULL when they are plain text. */
	const struct bk_span *title_spans, *subtitle_spans;
	size_t ntitle_spans, nsubtitle_spans;
	const char *author;   /* byline; NULL when none */
	int author_line, author_col; /* where the front matter gives it */
	const char *author_file_as; /* 'author-file-as': the byline as sorted; NULL when none */
	const char *role;     /* the author's role/affiliation line; NULL when none */
	/* kinds.c: */
	const char *bio;      /* 'bio': a line on the author, for Notes on contributors */
	const char *label;    /* a part divider's "Part II"; NULL for other kinds */
	int under;            /* the divider it falls under: index into parts + 1; 0 none */
	bool front;           /* set in the front matter (roman folios) */
	bool kind_given;      /* book.yaml gives its kind */
	int kind_line, kind_col; /* where the front matter gives 'kind', 0 if it does not */
	struct bk_block *blocks;
	size_t nblocks;
	struct bk_note *notes; /* ordered by number */
	size_t nnotes;
	const char **links; /* URLs, indexed by bk_span.link */
	size_t nlinks;
	struct bk_image **images; /* every image in the part, in order */
	size_t nimages;
	/* its headings by every name a link may give them (anchors.c), to
	 * their struct bk_block; slots arena-owned; empty: not indexed */
	struct hmap anchors;
};
/* Indexes p's headings (in its text, then its notes) by anchor, pandoc's
 * id and the editions' id, the first of a name winning; from a. */
void bk_index_anchors(struct arena *a, struct bk_part *p);

/* ===== the book ======================================================== */

/* Where book.yaml gives a value (1-based); line 0 when it gives none. */
struct bk_mark {
	int line, col;
};

struct bk_creator {
	const char *name;
	const char *file_as; /* the name as sorted ('file-as'); NULL when not given */
	const char *role; /* MARC relator code: "edt", "aut", "pbl", ... */
	struct bk_mark at; /* its name's */
};

/* The paper a book is printed on ('paper:' in book.yaml or the style): the
 * thickness of a page, which makes the cover's spine (src/layout/cover.c).
 * BK_PAPER_DEFAULT: neither says; the printer's white stock is assumed. */
enum bk_paper_kind { BK_PAPER_DEFAULT, BK_PAPER_WHITE, BK_PAPER_CREAM, BK_PAPER_CALIPER };

struct bk_paper {
	enum bk_paper_kind kind;
	double inches;	/* BK_PAPER_CALIPER: one page's thickness (half a leaf), inches */
	const char *path; /* the file that gives it, NULL for the default */
	struct bk_mark at;
};

/* The longest slug: octavo's longest file name is the slug and 55 bytes
 * (".SLUG.pdf.new-PID.tmp-PID"), and a name holds 255 (NAME_MAX). A slug
 * made from the title is at most 60. */
#define BK_SLUG_MAX 200

struct bk_meta {
	const char *title, *subtitle;
	/* Their styled runs ("*Middlemarch* Revisited"), or NULL when plain. */
	const struct bk_span *title_spans, *subtitle_spans;
	size_t ntitle_spans, nsubtitle_spans;
	const char *publisher;
	const char *language;   /* BCP 47, e.g. "en-GB" */
	int language_line, language_col; /* where book.yaml gives it; 0 when it does not */
	struct bk_creator *creators; /* book-level: editors and the like */
	size_t ncreators;
	const char *edition;    /* e.g. "First edition" */
	const char *date;       /* first publication, YYYY-MM-DD */
	const char *revised;    /* revision date, YYYY-MM-DD */
	const char *rights;
	const char *isbn_print, *isbn_epub; /* NULL when not yet assigned */
	const char *uuid;       /* "urn:uuid:..." */
	const char *description;
	const char *running_head; /* 'running-head': the versos' head; NULL: the title */
	const char *keywords;   /* comma-separated; NULL when none */
	/* Who vouches for the EPUB's accessibility claim ('certified-by',
	 * else the publisher), their credential and a URL of their report;
	 * NULL when not given. */
	const char *certified_by, *certifier_credential, *certifier_report;
	const char *slug;       /* output file stem, e.g. "civil-dialogue"; at most
				 * BK_SLUG_MAX bytes */
	/* Where book.yaml gives the values a later stage may have to report
	 * on (the PDF's limits on its document information). */
	struct bk_mark at_title, at_subtitle, at_publisher, at_rights, at_description,
	    at_keywords, at_running_head;
	/* The cover's (src/layout/cover.c): where 'isbn-print' is given (or
	 * 'identifiers', or 0), and the paper book.yaml names, if any. */
	struct bk_mark at_isbn_print, at_identifiers;
	struct bk_paper paper;
	const struct bk_image *cover_image; /* 'cover-image': the front's picture, or NULL */
	struct bk_mark at_cover_image;
};

/* The edition's design, from the style file (styles/NAME.yaml). */
struct bk_style {
	const char *path;
	double page_w, page_h;         /* trim size, points */
	double margin_top, margin_bottom, margin_inner, margin_outer; /* points */
	double body_size, body_leading; /* points */
	double note_size, note_leading;
	double title_size;   /* part titles */
	double h2_size, h3_size;
	double indent;       /* paragraph indent, points */
	double quote_indent; /* block quote and list indent, points */
	bool justify;
	bool ligatures;
	bool arrows;         /* ->, <-, <->, => set as arrows in text (smart.c) */
	bool protrusion;     /* optical margin alignment */
	double expansion;    /* font expansion limit for justified text: 0.02 = 2% */
	bool verso_author;   /* running heads: the verso shows the essay's author, not the book title */
	bool folio_head;     /* folios in the head's outer corner, not at the foot */
	bool floats_bottom;  /* a float moved to the next page goes to its foot, not its top */
	double figure_floor; /* the least share of the text block's height a tall figure
			      * may be set down to (pages: figure-floor): 0.4 = 40% */
	double bleed;        /* print: bleed beyond the trim, points (0: none) */
	bool crop_marks;     /* print: crop marks outside the bleed */
	/* print: the printer's profile ('print: kdp'), NULL for none; where */
	const struct print_profile *profile;
	struct bk_mark at_profile;
	bool tagged;         /* 'tagged: true': the print PDF tagged too (PDF/UA-1) */
	const char *font[4]; /* regular, italic, bold, bold italic: paths */
	struct bk_mark at_font[4]; /* where the style names each */
	const char *font_mono; /* NULL: the regular face */
	const char *css;     /* path of the EPUB stylesheet */
	unsigned accent_rgb; /* 0xRRGGBB for rules and the cover; text stays black */
	long max_image_pixels; /* images: width x height at most (BK_MAX_IMAGE_PIXELS) */
	int min_image_ppi;     /* images: under it at their printed size, a warning (0: none) */
	/* Hyphenation exceptions as written, "Civil Ex-change": hyphens mark
	 * the only places the word may break; a word without one never breaks. */
	const char **hyphenation;
	size_t nhyphenation;
	bool hyphenate_caps; /* capitalised words hyphenated too (German's always are) */
	/* What goes into the page (compose.c, code.c, table.c, balance.c). */
	double h1_size, h4_size; /* headings: h1 (above h2), h4 to h6 (below h3) */
	bool short_top;      /* display lines (titles, bylines) broken short line on top */
	double table_size, table_leading; /* table text */
	double table_min_size; /* the floor a table too wide steps down to */
	double code_size, code_min_size;  /* code blocks, and the floor they step down to */
	/* divs: a fenced div's class (::: warning) set as one of octavo's
	 * (epigraph, dedication, aside, centered, noindent, pagebreak, plain):
	 * div_class[i] like div_like[i]. */
	const char **div_class, **div_like;
	size_t ndivs;
	/* OpenType, under 'fonts:' (src/book/typestyle.c). */
	const char **fallback; /* fonts tried in order for a character the face lacks */
	size_t nfallback;
	/* fallback[k]'s italic, bold and bold italic (BK_VAR_*), files beside
	 * it named as its family names them; NULL where there is none (the
	 * text stage then slants or emboldens the upright, as CSS does). */
	const char *(*fallback_var)[3];
	bool fallback_default; /* the style named none: the system's (typestyle.c) */
	enum { BK_FIGURES_DEFAULT, BK_FIGURES_OLD_STYLE, BK_FIGURES_LINING } figures;
	bool acronyms;         /* small-caps: acronyms - runs of 3+ capitals in c2sc */
	struct bk_mark at_small_caps, at_figures; /* where the style asks for them */
	const char **features; /* as written: "ss01", "-liga", "cv05=2" */
	size_t nfeatures;
	/* A variable font's instance per face (regular, italic, bold, bold
	 * italic): OpenType axis tags and values; opsz_auto: the optical size
	 * follows the body size. */
	struct bk_axis {
		char tag[5];
		double value;
		bool automatic;
	} axes[4][8];
	int naxes[4];
	struct bk_paper paper; /* 'paper:' (book.yaml's wins: see bk_meta) */
	/* notes: place: where notes are set (kinds.c) */
	enum bk_notes { BK_NOTES_FOOT, BK_NOTES_CHAPTER_END, BK_NOTES_BOOK_END } notes;
};

/* The classes of fenced divs octavo sets itself (bk_div_like). */
extern const char *const bk_div_styles[];
/* Whether a div with classes cls (n) is set as octavo's class like: it
 * has that class, or one the style maps to it. */
bool bk_div_like(const struct bk_style *st, const char *const *cls, size_t n, const char *like);

/* The style file's schema (src/book/style.c): one row per key, in the
 * order style_load reads them. 'octavo help style' prints the rows and a
 * unit test holds the README's table to them. */
enum bk_skind {
	BK_SK_LENGTH,  /* a number and a unit (unit: the units allowed) */
	BK_SK_BOOL,    /* true or false */
	BK_SK_PERCENT, /* "2%" */
	BK_SK_NUMBER,
	BK_SK_CHOICE,  /* one of the words in unit */
	BK_SK_COLOUR,  /* "#rrggbb" */
	BK_SK_FILE,    /* relative to the style file */
	BK_SK_LIST,
	BK_SK_MAP,
	BK_SK_OWN,     /* read by its own code (unit says what it takes) */
};
struct bk_style_key {
	const char *section; /* "body" for 'body: size'; NULL: a key at the top */
	const char *key;     /* never NULL in a row bk_style_key returns */
	enum bk_skind kind;
	const char *unit;    /* lengths' units, or a choice's words; never NULL */
	double min, max;     /* the range, in points for lengths; max 0: none */
	const char *def;     /* the default as a designer writes it; "": none */
	const char *help;    /* one line */
};
/* Row i of the schema, or NULL past the last; a borrowed pointer into a
 * static table. Steps of the loader that are not keys are skipped. */
const struct bk_style_key *bk_style_key(size_t i);
/* "length", "true or false", ...: what help and the README call a kind. */
const char *bk_style_kind_name(enum bk_skind k);
/* Prints the schema for 'octavo help style'. */
void bk_style_help(FILE *out);

/* Which front-matter page the layout made itself (struct pg_pagemark,
 * src/layout/pagemark.h). */
enum bk_front {
	BK_FRONT_NONE,	     /* a page of a part, or a blank */
	BK_FRONT_HALF_TITLE,
	BK_FRONT_TITLE,
	BK_FRONT_COPYRIGHT,
	BK_FRONT_CONTENTS,
};

/* The strings the editions print themselves, in the book's language
 * (src/book/lang.c); book.yaml's 'strings:' overrides them one by one. */
enum bk_str {
	BK_STR_CONTENTS, BK_STR_EDITED_BY, BK_STR_TRANSLATED_BY, BK_STR_ILLUSTRATED_BY,
	BK_STR_INTRODUCTION_BY, BK_STR_FOREWORD_BY, BK_STR_FIRST_PUBLISHED, BK_STR_REVISED,
	BK_STR_PUBLISHED_BY, BK_STR_COLOPHON, BK_STR_TITLE_PAGE, BK_STR_COPYRIGHT, BK_STR_COVER,
	BK_STR_LANDMARKS, BK_STR_PAGES, BK_STR_AND,
	BK_STR_NOTE, BK_STR_TIP, BK_STR_IMPORTANT, BK_STR_WARNING, BK_STR_CAUTION,
	BK_STR_CONTINUED, /* a table's cell spanning rows repeated over a page break */
	BK_NSTR
};

/* GitHub's alerts' kinds (BK_ALERT divs' level): note, tip, important,
 * warning, caution, labelled BK_STR_NOTE... */
#define BK_NALERTS 5

struct book {
	struct arena arena;
	const char *strings[BK_NSTR]; /* book.yaml's 'strings:', NULL where it has none */
	const char *quotes[4];        /* its 'quotes': four marks, or NULL */
	const char *dir;       /* the manuscript directory */
	const char *yaml_path; /* dir/book.yaml */
	struct bk_meta meta;
	struct bk_style style;
	struct bk_part *parts;
	size_t nparts;
};

/*
 * Loads dir/book.yaml, the style it names (or the default style under
 * datadir), and every part it lists. Problems are reported to d with file,
 * line and column; all parts are read even after an error, so every
 * mistake is reported at once. Returns the book (free with book_free), or
 * NULL when d has errors.
 */
struct book *book_load(const char *dir, const char *datadir, struct diag *d);
/* book_load with the parts parsed on up to jobs threads (at most two; the
 * caller asks jobs_for, src/util/jobs.h): the same book and messages. */
struct book *book_load_jobs(const char *dir, const char *datadir, int jobs, struct diag *d);
/* The bytes of Markdown b's parts are read from (a part whose file is
 * gone counts 0), each part's into size[i] when size is not NULL. */
long long book_part_bytes(const struct book *b, long long *size);
/*
 * book_load without reading the parts: book.yaml (metadata, the cover
 * image, the parts' names, paths and listed kinds) and the style, for a
 * command that needs the book's files but not their Markdown ('octavo
 * cover' with its page count on record). The parts have no text, blocks
 * or front matter, and the invariants above hold only for the metadata.
 * Returns the book (free with book_free), or NULL when d has errors.
 */
struct book *book_load_head(const char *dir, const char *datadir, struct diag *d);
void book_free(struct book *b);

/*
 * A glance at dir/book.yaml before book_load reads it (src/book/peek.c):
 * its 'language:' into lang (n bytes with the NUL) and the bytes of the
 * part files it lists into *bytes. Nothing is checked or reported, and
 * the answer may be wrong for a book with errors: it only lets a build
 * start work that the checked book then asks for (the hyphenation
 * patterns, loaded beside the Markdown). Safe to call beside book_load on
 * another thread. Returns 0, or -1 when book.yaml gives no language.
 */
int bk_peek(const char *dir, char *lang, size_t n, long long *bytes);
/* bk_peek, and the book's slug at a glance ('slug:', else made from
 * 'title:' as book_load makes it) into slug (sn bytes; "" when neither). */
int bk_peek_slug(const char *dir, char *lang, size_t n, long long *bytes, char *slug, size_t sn);
/* The slug made of a title ("Civil Dialogue" -> "civil-dialogue", "book"
 * when it has no letter or digit) into out (n bytes, at least 64 for the
 * whole slug); its length. */
size_t bk_slug_of_title(const char *title, char *out, size_t n);

/*
 * Parses one Markdown part from memory (front matter included) into part,
 * allocating from a. path names the file in messages and resolves images
 * against mdir (the manuscript directory). Returns 0, or -1 after
 * reporting to d. Exposed for the unit tests and the fuzzer.
 */
int book_parse_part(struct arena *a, struct bk_part *part, const char *path, const char *mdir,
		    const char *text, size_t len, struct diag *d);

/* The part a manuscript file name ("02-policy.md", "./02-policy.md",
 * n bytes) names in b, or NULL. Borrowed. (anchors.c, as the two below) */
const struct bk_part *bk_part_by_file(const struct book *b, const char *file, size_t n);

/* Whether url begins with a scheme ("https:", "mailto:"): an absolute
 * URL rather than a path inside the book. */
bool bk_url_has_scheme(const char *url);

/* How a link inside the book resolves (anchors.c). */
enum bk_link {
	BK_LINK_OK,         /* *part (and *heading, when it names one) set */
	BK_LINK_OUTSIDE,    /* a URL with a scheme: it leaves the book */
	BK_LINK_NO_PART,    /* "file.md..." names no part (or the URL is empty) */
	BK_LINK_NO_HEADING, /* the part is found (*part) but not "#heading" */
};
/* Resolves url, written in part self: "#h" names a heading of self by its
 * {#id}, GitHub's or pandoc's id for its words (or any heading or part
 * of the book by the id the editions give it); "file.md#h" a heading of
 * that part. */
enum bk_link bk_resolve_link(const struct book *b, const struct bk_part *self, const char *url,
			     const struct bk_part **part, const struct bk_block **heading);
/* The heading of p that frag (n bytes) names, or NULL. */
const struct bk_block *bk_find_heading(const struct bk_part *p, const char *frag, size_t n);
/* The anchor of p's heading nearest to frag in spelling, for a "did you
 * mean", or NULL when none is near. */
const char *bk_nearest_anchor(const struct bk_part *p, const char *frag);

/* Calls fn(ctx, text, len) for every text of the book a reader may see:
 * the metadata, each part's title, subtitle, byline and role, and its
 * blocks (spans, literal text, images' alt text and titles) and notes. */
void bk_each_text(const struct book *b, void (*fn)(void *ctx, const char *s, size_t n),
		  void *ctx);

/* Smart punctuation (smart.c) as cmark-gfm's CMARK_OPT_SMART gives the
 * Markdown, for a string that was not Markdown: curly quotes, en and em
 * dashes for "--" and "---", an ellipsis for "...". Returns s itself
 * when nothing changes, else a copy in a; NULL for NULL. */
const char *bk_smarten(struct arena *a, const char *s);
/* bk_smarten on every string of b that came from YAML and is printed:
 * the book's title, subtitle, publisher, edition, rights, description,
 * certifier and creators; each part's title, subtitle, byline and role;
 * then the language's quotes, dashes and spacing, as the Markdown's
 * text gets them (lang.c), so that both editions print them alike in
 * the title pages, running heads, contents, nav and metadata.
 * book_load and book_load_head call it. */
void bk_smarten_front(struct book *b);
/* The arrow typed in ASCII at byte i of s (n bytes), as 'body: arrows'
 * sets it: "->" (or cmark's "\u2013>" for "-->") a rightwards arrow, "<-"
 * a leftwards one, "<->" both ways, "=>" and "<=>" double arrows; its
 * sign (a borrowed UTF-8 string) in *sign. Returns its length in bytes,
 * 0 when none starts there or it is part of a longer run of arrow
 * characters ("->>", "==>", "<=" alone is less or equal). */
size_t bk_arrow_at(const char *s, size_t n, size_t i, const char **sign);

/*
 * A figure's long description (figure.c): the block quote right after the
 * figure v[i] whose first paragraph begins "Description:" (or
 * "Description."), among the sibling blocks v[0..n). NULL when v[i] is
 * no figure or has none. Borrowed from the book.
 */
const struct bk_block *bk_figure_description(const struct bk_block *v, size_t n, size_t i);
/* The text a tagged PDF gives figure v[i] as /Alt: its alt text, then its
 * long description's plain text (tables' cells and all), whitespace
 * collapsed. The alt text itself when there is no description, NULL when
 * v[i] is no figure. Arena-owned (or the book's). */
const char *bk_figure_alt(struct arena *a, const struct bk_block *v, size_t n, size_t i);

/* Plain text of spans (NOTEREFs and breaks left out); arena-owned. */
char *bk_spans_text(struct arena *a, const struct bk_span *spans, size_t n);
/* *text, a line of Markdown from book.yaml at path:line ("On *The Origin*
 * of Things"), as plain words: its markup gone, entities decoded. dir
 * holds what it refers to. When spans is not NULL and the line is styled
 * (emphasis, code, sub- and superscripts; no links), *spans and *nspans
 * become its runs, arena-owned; else they are left as they are. */
void bk_markdown_plain(struct arena *a, const char *path, const char *dir, int line,
		       struct diag *d, const char **text, const struct bk_span **spans,
		       size_t *nspans);


/* ===== language (lang.c) ============================================== */

/* The string s in b's language, or as book.yaml's 'strings:' gives it.
 * Role phrases ("Edited by") have no trailing space. Borrowed, never NULL. */
const char *bk_str(const struct book *b, enum bk_str s);
/* What goes between the book's "and" (BK_STR_AND) and the name next after
 * it: a space; nothing where the language writes "and" onto the word (the
 * prefixes ו and و: "A, B וC"); Hebrew's maqaf before a name not in its
 * script ("ו־Dana"). A static string, never NULL. */
const char *bk_and_glue(const struct book *b, const char *next);
/* The language's quotation marks: mark[0] and [1] the outer open and
 * close, [2] and [3] the inner; french when a narrow no-break space goes
 * before ; : ! ? and inside guillemets. Borrowed strings. */
struct bk_quotes {
	const char *mark[4];
	bool french;
	const char *dash; /* for a hyphen between spaces: " \u2013" spaced, "\u2014" closed up */
	bool arrows;      /* the style's 'body: arrows': "->" as "\u2192" (bk_arrow_at) */
};
void bk_quotes_of(const struct book *b, struct bk_quotes *q);
/* Whether a language (a BCP 47 tag, NULL for none) is written right to
 * left: Hebrew, Arabic, Persian, Urdu, Yiddish..., or any language in a
 * right-to-left script ("az-Arab"). */
bool bk_lang_rtl(const char *tag);
/* Whether tag is Chinese, Japanese or Korean, whose scripts have no
 * italic (an italic word's ideographs are set upright). */
bool bk_lang_cjk(const char *tag);
/* What joins a title and its subtitle, or a part's label and its title,
 * where octavo writes them on one line ("Part I: Systems"): ": ", in
 * French "\u202F: " (a narrow no-break space before the colon, as the
 * text's colons get), in Chinese and Japanese the full-width "\uFF1A".
 * Borrowed, never NULL. */
const char *bk_title_colon(const struct book *b);
/* What goes between a label of the strings ("Edited by", "主编：") and the
 * text after it: a space, or nothing after a full-width mark (its space is
 * inside it). A static string, never NULL. */
const char *bk_label_gap(const char *label);
/* Appends the n names to sb joined as the book's language joins a list:
 * "A", "A and B", "A, B and C"; "A、B、C" in Chinese and Japanese. The book's
 * own 'and' (strings:) brings back the first form. */
void bk_join_names(const struct book *b, struct strbuf *sb, const char *const *names, size_t n);
/* The colophon ("Set in Charis SIL 10.5/14 pt and typeset with octavo"):
 * the n font families joined in the language, with size/leading when
 * size > 0 (the print edition). Allocated from a. */
char *bk_colophon(const struct book *b, struct arena *a, const char *const *families,
		  size_t n, double size, double leading);

/* The distinct family names of the style's four text faces (regular,
 * italic, bold, bold italic), in that order, from their name tables, into
 * fam (allocated from a); returns how many (fontname.c). */
size_t bk_font_families(const struct bk_style *st, const char *fam[4], struct arena *a);

/* ===== images (image.c) ================================================ */

/* The largest image octavo decodes, in pixels, unless the style says
 * otherwise ('images: max-megapixels'); decoded, it may take at most
 * BK_IMAGE_BYTES_PER_PIXEL bytes for each pixel allowed. A picture for a
 * page needs a few megapixels; the limit stops a small file that
 * decompresses to gigabytes (a 48 KB PNG of 20,000 x 20,000) before any
 * of it is decoded. */
#define BK_MAX_IMAGE_PIXELS 50000000L
#define BK_IMAGE_BYTES_PER_PIXEL 4

/*
 * Checks that data (len bytes) is a PNG or JPEG that octavo can place, by
 * decoding all of it (libpng, libjpeg) without keeping the pixels: every
 * chunk and checksum, the whole compressed stream, every filter byte and
 * palette index, every JPEG scan, with a corrupt-data warning counted as
 * an error. The size limits (max_pixels, see BK_MAX_IMAGE_PIXELS) are
 * checked from the header, before anything is decoded. Sets img's
 * media_type, width and height (also when the size is what is wrong).
 * Returns NULL, or what is wrong as the end of a sentence that begins
 * "image 'NAME' " ("is a damaged PNG (libpng: ...)"), written into why
 * (n bytes) or a static string.
 */
const char *bk_image_check(struct bk_image *img, const unsigned char *data, size_t len,
			   long max_pixels, char *why, size_t n);

/* A PNG decoded for a writer that cannot take it as it is: 8-bit samples,
 * rows top to bottom without padding. */
struct bk_pixels {
	int width, height;
	int colors;           /* samples per pixel in color: 1 (grey) or 3 (RGB);
			       * 4 (CMYK) from bk_image_pixels */
	unsigned char *color; /* width x height x colors bytes; malloc'd */
	unsigned char *alpha; /* width x height bytes, 0 transparent; NULL when opaque */
};

/*
 * Decodes img (a PNG that bk_image_check passed) through libpng's
 * transformations: palettes and grey below 8 bits expanded, 16 bits
 * scaled to 8, a tRNS colour key or palette alpha made an alpha plane,
 * Adam7 interlacing undone. Colour is not premultiplied by alpha. Returns
 * 0 with px filled (free with bk_pixels_release), or -1 with px empty and
 * libpng's message in why (n bytes).
 */
int bk_image_decode(const struct bk_image *img, struct bk_pixels *px, char *why, size_t n);

/* GIF (giflib) and SVG (librsvg) images (image-more.c): whether data is
 * one; bk_image_check's part for them (NULL when data is neither or
 * passes); bk_image_decode's (the GIF's first frame; the SVG rendered at
 * 300 ppi for 5 inches' width). The EPUB keeps both files as they are. */
bool bk_is_gif(const unsigned char *data, size_t len);
bool bk_is_svg(const unsigned char *data, size_t len);
const char *bk_image_check_more(struct bk_image *img, const unsigned char *data, size_t len,
				long max_pixels, char *why, size_t n);
int bk_image_decode_more(const struct bk_image *img, struct bk_pixels *px, char *why, size_t n);
/* The pixels a PDF gets of img, whose resolution at its size is what
 * prints: the file's own (img->width x img->height), or for an SVG, whose
 * width and height are CSS pixels, its rendering's (300 ppi at 5 in). */
void bk_image_raster_size(const struct bk_image *img, int *w, int *h);
void bk_pixels_release(struct bk_pixels *px);

/* What a CSS pixel is in points: 1/96 in, the size of a pixel of a file
 * that gives no resolution. */
#define BK_CSS_PX (72.0 / 96.0)

/* The size img asks for of itself, in CSS pixels: its author's (want_w,
 * want_h, or em_w, em_h ems of em points; one side given, the other in
 * proportion), else its natural size (its pixels at the file's own
 * resolution, else 96 an inch; an SVG's own CSS size). want_share is not
 * applied. Returns whether the author gave the size. */
bool bk_image_css_size(const struct bk_image *img, double em, double *w, double *h);

/*
 * The size img prints at, in points, within a measure wide and high
 * (both > 0): the size its author asked for (share, a figure's {width=},
 * else img's want_*, its other side in proportion), else its natural
 * size (its pixels at the file's own resolution, else 96 an inch; an SVG
 * takes the measure), an em being em points (the body size), made smaller
 * to fit the measure but never larger.
 * An author's size may make a picture larger than its pixels (the
 * resolution check reports it). Returns whether the author gave the size.
 */
bool bk_image_print_size(const struct bk_image *img, double share, double wide, double high,
			 double em, double *w, double *h);

/*
 * Any image of the book (PNG or JPEG) as pixels, for a writer that must
 * convert its colour (pixels.c): a PNG as bk_image_decode gives it, a
 * JPEG decoded by libjpeg to grey, RGB or CMYK (px->colors 1, 3 or 4;
 * an Adobe CMYK JPEG's inverted inks put right). *icc is the profile
 * the file embeds (PNG iCCP, JPEG APP2), malloc'd, *icc_len bytes; NULL
 * when none. Returns 0, or -1 with px empty and the reason in why.
 */
int bk_image_pixels(const struct bk_image *img, struct bk_pixels *px, unsigned char **icc,
		    size_t *icc_len, char *why, size_t n);

#endif
