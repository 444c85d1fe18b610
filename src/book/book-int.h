/*
 * book-int.h - private to the book stage: the YAML tree that book.yaml,
 * the style file and front matter are read into, and the loaders that
 * map it onto struct book.
 */
#ifndef OCTAVO_BOOK_INT_H
#define OCTAVO_BOOK_INT_H

#include "book.h"

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

/*
 * A YAML node. A map's kids alternate key, value. Lines and columns are
 * 1-based, in the file the YAML came from. Owned by the arena it was
 * loaded into.
 */
struct ynode {
	enum ynode_kind kind;
	int line, col;
	const char *str; /* Y_SCALAR: the value, NUL-terminated */
	size_t len;
	bool plain;      /* Y_SCALAR: unquoted, so "yes"/"~" may mean more */
	struct ynode **kids;
	size_t nkids;
};

/*
 * Parses one YAML document from text (len bytes). first_line is the file
 * line of text's first byte, so front matter reports true lines. Anchors,
 * aliases, tags, duplicate keys and non-string keys are errors. Returns the
 * root (NULL for an empty document, *ok true) or NULL with *ok false after
 * reporting to d.
 */
struct ynode *yaml_load(struct arena *a, const char *path, const char *text, size_t len,
			int first_line, struct diag *d, bool *ok);

/* Whether text parses, silently, as one YAML mapping (and nothing else):
 * what a block that looks like front matter holds when it is one. */
bool yaml_is_mapping(const char *text, size_t len);

/* The value for key in map, or NULL. */
const struct ynode *ymap_get(const struct ynode *map, const char *key);

/* Warns about keys of map that are not in the NULL-terminated list known. */
void ymap_check_keys(const struct ynode *map, const char *path, const char *const *known,
		     struct diag *d);

/* A scalar's string copied into a (NULL for a missing or empty node); a
 * non-scalar is reported as "'key' must be text". */
const char *ystring(struct arena *a, const struct ynode *n, const char *path, const char *key,
		    struct diag *d);

/* The style file, read from fd (open on path; the caller closes it): fills
 * b->style, resolving fonts and CSS against the style file's directory.
 * They must lie inside the manuscript directory or datadir (octavo's own
 * styles and fonts), so that a book's style cannot copy other files into
 * the EPUB. Returns 0 or -1 after reporting. */
int style_load(struct book *b, const char *path, int fd, const char *datadir, struct diag *d);

/*
 * A set of strings, hashed, so that checks for duplicates (keys, parts,
 * heading ids) stay linear however many there are. Strings are borrowed:
 * they must outlive the set. strset_add returns the value given with an
 * equal string added before, or adds s with value and returns -1.
 */
struct strset {
	struct hmap map;     /* the strings to their values in vals */
	struct arena vals;   /* one long per string */
};
long strset_add(struct strset *set, const char *s, long value);
/* The value stored with s (to read or change), or NULL when s is absent. */
long *strset_value(struct strset *set, const char *s);
void strset_release(struct strset *set);

/* ----- opening the manuscript's files (input.c) ------------------------ */

/*
 * Resolves path (following symlinks) and checks that it lies inside one of
 * the directories roots (NULL-terminated; NULLs inside are skipped).
 * Returns 0 and stores the malloc'd real path in *real (when real is not
 * NULL); returns 1 when it lies outside; returns -1 with errno set when
 * path cannot be resolved (it does not exist, say).
 */
int resolve_inside(const char *path, const char *const *roots, char **real);

struct stat;
/*
 * Opens a file the book reads - a part, an image, a style, a font, the
 * CSS - once, and checks what was opened: a regular file (a FIFO or a
 * device is refused, never waited on), lying inside one of roots (as
 * resolve_inside; roots[0] is the manuscript folder), checked on the open
 * descriptor so that nothing swapped in after the check is read, and,
 * inside the manuscript, with one name only (st_nlink 1: a hard link can
 * reach a file outside as a symlink can). Problems are reported at
 * where:line:col about "WHAT 'NAME'" (just WHAT when name is NULL).
 * Returns the descriptor (the caller closes it) with its fstat in *st and,
 * when real is not NULL, the file's real path in *real (malloc'd); or
 * returns -1 after reporting, with errno set (ENOENT for a missing file).
 */
int bk_open_confined(const char *path, const char *const *roots, const char *what,
		     const char *name, const char *where, int line, int col, struct diag *d,
		     struct stat *st, char **real);

/* Checks that bytes are valid UTF-8 without NULs; reports the first bad byte
 * as path:line:col. Returns 0 or -1. */
int check_utf8(const char *path, const char *text, size_t len, struct diag *d);

/* ----------------------------------------------------------------------- */

/* book_parse_part with the style's limit on an image's pixels
 * (b->style.max_image_pixels); book_parse_part uses the default. */
int parse_part(struct arena *a, struct bk_part *part, const char *path, const char *mdir,
	       const char *text, size_t len, long max_image_pixels, struct diag *d);

/*
 * Reads the image file img->path (resolved, inside root) once, for the
 * image written at path:line:col, from fd, which bk_open_confined opened
 * (image_load closes it): a regular file, found still inside root once
 * open, read whole into a, then checked by bk_image_check against
 * max_pixels. Returns 0 with img's data, len, media_type, width and
 * height set, or -1 after reporting to d.
 */
int image_load(struct arena *a, struct bk_image *img, int fd, const char *root, long max_pixels,
	       struct diag *d, const char *path, int line, int col);

/* lang.c: book.yaml's 'strings:' (n may be NULL), and the language's
 * quotation marks and French spacing applied to every paragraph. */
void bk_load_strings(struct book *b, const struct ynode *n, struct diag *d);
void bk_lang_apply(struct book *b);
/* A string from YAML (bk_smarten's) as bk_lang_apply sets a paragraph in
 * the book's language, q its marks (bk_quotes_of): quotes by depth, a
 * spaced hyphen as the language's dash, French spacing. Returns s itself
 * when nothing changes, else a copy in b's arena; NULL for NULL. */
const char *bk_lang_string(struct book *b, const struct bk_quotes *q, const char *s);
/* An alert kind's label as alert.c writes it, before bk_lang_apply. */
const char *bk_alert_label_en(int kind);
/* typestyle.c: the OpenType keys under the style's 'fonts:' (fallback,
 * axes, figures, small-caps, features); dir resolves fallback paths. */
void bk_style_opentype(struct book *b, const struct ynode *fonts, const char *path,
		       const char *dir, const char *datadir, struct diag *d);
/* 'paper:' (book.yaml's or the style's, at path): white, cream, or a page's
 * thickness ("0.0025in", "0.064mm", "0.0025": inches) or pages per inch
 * ("444ppi"). Fills out, or reports at the node and leaves it as it was
 * (src/book/paper.c). */
void bk_paper_parse(const struct ynode *n, const char *path, struct bk_paper *out,
		    struct diag *d);
/* 'cover-image:' (node n of book.yaml, NULL: none): the picture for the
 * front cover, a PNG or JPEG inside the manuscript, read and checked once
 * as the parts' images are, into b->meta.cover_image. Needs the style
 * (its image limits). Reports at n. */
void bk_cover_image_load(struct book *b, const struct ynode *n, struct diag *d);
/* invariants.c: asserts book.h's invariants on a book loaded without
 * errors (a bug of ours if one fails; nothing without assertions). */
void bk_assert_invariants(const struct book *b);

#endif
