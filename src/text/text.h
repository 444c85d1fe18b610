/*
 * text.h - the text stage: fonts, shaping (HarfBuzz), hyphenation
 * (libhyphen). It turns strings into measured, PDF-ready pieces.
 *
 * Units: widths are in thousandths of an em (multiply by size/1000 for
 * points). They are exactly the advances the PDF will use - the integer
 * glyph widths of its /W arrays plus HarfBuzz's kerning - so that a line
 * the breaker measured is the line the PDF draws.
 *
 * Invariants:
 *  - A struct tx_word returned by tx_shape is owned by the struct tx_fonts
 *    and lives until tx_fonts_free; the same (face, text) always returns
 *    the same pointer (shaped once per build).
 *  - Piece text is UTF-8 that the face's cmap maps glyph for glyph, with
 *    ligatures written as U+FB00-FB04: the PDF stage reaches every glyph
 *    through the face's cmap (struct tx_pdffont).
 */
#ifndef OCTAVO_TEXT_H
#define OCTAVO_TEXT_H

#include "../book/book.h"

/* The style's faces; TX_FALLBACK + k is its k-th fallback font (up to 4),
 * and from TX_VARIANT on are the italics, bolds and bold italics of the
 * fallback fonts that have them, as many as fit; an unused face is the
 * regular one again. */
enum tx_face { TX_REGULAR, TX_ITALIC, TX_BOLD, TX_BOLD_ITALIC, TX_MONO, TX_FALLBACK,
	       TX_VARIANT = TX_FALLBACK + 4, TX_NFACES = 16 };

/* What a fallback font's piece of a bold or italic word is drawn with
 * where the font has no such face of its own (struct tx_piece's synth). */
enum { TX_SYNTH_BOLD = 1, TX_SYNTH_SLANT = 2 };

/* Piece text holds a glyph no character reaches through the cmap (a
 * ligature, a small capital, an alternate) as this code point plus its
 * glyph number in the face's font (a private-use plane): tx_glyph_text
 * gives what it stands for. */
#define TX_GLYPH_BASE 0xF0000u
/* The same glyph where it stands for other text than its first use gave
 * it (a small capital from 's' by smcp and from 'S' by c2sc): the PDF
 * draws it with a ToUnicode of its own (tx_pdffont's alt), and
 * tx_glyph_text(f, face, 0x10000 + gid) gives that text. */
#define TX_ALIAS_BASE 0x100000u
/* The length of the used[] arrays the PDF stage gives tx_pdffont_make:
 * [0, 65536) the BMP's code points, [65536, TX_USED_LEN) glyph numbers. */
#define TX_USED_LEN (2 * 65536)

/* A run the PDF draws with one text-showing call, x from the word's start,
 * in face (the word's own, or the fallback font that has its characters). */
struct tx_piece {
	const char *text;
	size_t len;
	double x;
	uint8_t face;  /* enum tx_face */
	uint8_t synth; /* TX_SYNTH_*: emboldened or slanted (a fallback font's
			* upright, in a bold or italic word) */
};

struct tx_word {
	double width; /* 1/1000 em */
	struct tx_piece *pieces; /* in visual order, left to right */
	size_t npieces;
	bool rtl;     /* it holds right-to-left text */
	int8_t dir;   /* 1: it has right-to-left letters; 0: left-to-right letters
		       * or digits only; -1: neither (punctuation) */
	int missing;  /* characters the face has no glyph for, drawn as '?' */
	uint32_t missing_cp[8]; /* the first of them (up to 8 distinct) */
	size_t first_missing_at; /* byte offset of the first in the text */
};

struct tx_fonts;

/* What a character no font has is printed as, for messages: "a hollow
 * box" (U+25A1, from the face, a fallback or the mono face), else the
 * face's replacement character, else "'?'". A static string. */
const char *tx_missing_mark(struct tx_fonts *f, enum tx_face face);

/*
 * Loads the style's four faces (and mono, falling back to regular). Returns
 * NULL after reporting to d when a file is unreadable or not a font.
 */
struct tx_fonts *tx_fonts_load(const struct bk_style *st, const char *language, struct diag *d);
void tx_fonts_free(struct tx_fonts *f);
/* The file a face was loaded from (borrowed). */
const char *tx_font_path(const struct tx_fonts *f, enum tx_face face);
/* Units of the face's ascender and descender (1/1000 em, descender < 0). */
void tx_font_extents(const struct tx_fonts *f, enum tx_face face, double *asc, double *desc);

/* Shapes text (no line breaks in it) in face. Never NULL. */
const struct tx_word *tx_shape(struct tx_fonts *f, enum tx_face face, const char *text,
			       size_t len);
/* tx_shape with features of its own, for a span that asks for them
 * (TX_FEAT_SMCP: [text]{.smallcaps}, small capitals from lower case);
 * TX_FEAT_RTL or TX_FEAT_LTR: the text's base direction given (the
 * paragraph's, the book's) rather than taken from its first strong letter
 * (rule P2), so that "(" alone in a right-to-left line is mirrored and a
 * running head "octavo: ..." runs as its Hebrew book does. */
enum { TX_FEAT_SMCP = 1, TX_FEAT_C2SC = 2, TX_FEAT_RTL = 4, TX_FEAT_LTR = 8, TX_FEAT_SETS = 16 };
const struct tx_word *tx_shape_features(struct tx_fonts *f, enum tx_face face, const char *text,
					size_t len, unsigned feats);
/* Whether face's font can move glyphs apart or together (GPOS kern or
 * dist, or a kern table): where not, a word's pieces set side by side
 * are the word shaped whole, but for ligatures. Asked once a face. */
bool tx_has_kerning(struct tx_fonts *f, enum tx_face face);
/* Whether face's font has small capitals (smcp): where it has none, the
 * caller says so once, and sets the text as it is. */
bool tx_has_small_caps(struct tx_fonts *f, enum tx_face face);
/*
 * The words a build shaped, kept for the next in a store (struct
 * tx_store, declared below; OUTDIR/.SLUG.shapes): tx_shapes_take reads
 * those s keeps for f's fonts (their files by identity, each instance's
 * axes), features, language, HarfBuzz's version and s->seed, and
 * tx_shape then gives each out as if it had shaped it now.
 * tx_shapes_give, at the end, gives s the words this build used whose
 * glyphs all follow from their text and the fonts (none kept as a
 * glyph's text, none reached by number: the same whenever shaped),
 * when any of them was shaped afresh; else s keeps what it has. Both on
 * f itself, never a fork: take before any fork, give after the last is
 * freed. A stale, damaged or foreign store costs the shaping, never
 * another glyph.
 */
struct tx_store;
void tx_shapes_take(struct tx_fonts *f, const struct tx_store *s);
void tx_shapes_give(struct tx_fonts *f, const struct tx_store *s);
/* What a glyph reached by its number (TX_GLYPH_BASE + gid in piece text)
 * stands for: UTF-8, "" for a character's second glyph, NULL when it was
 * never drawn; gid 0x10000 + g: g's other text (TX_ALIAS_BASE). Borrowed. */
const char *tx_glyph_text(const struct tx_fonts *f, enum tx_face face, unsigned gid);
/* Whether faces a and b draw with the same font: one file, one instance. */
bool tx_same_font(const struct tx_fonts *f, enum tx_face a, enum tx_face b);

/* ===== breaks and direction (breaks.c) ================================= */

/* Whether text holds characters of scripts written without spaces
 * (ideographs, kana, hangul...), which break by UAX #14. */
bool tx_needs_uax14(const char *s, size_t n);
/* The places UAX #14 (libunibreak) allows a line break inside s: byte
 * offsets, ascending, into pts (room for max); returns how many. lang
 * (BCP 47, or NULL) tailors a few classes. */
size_t tx_line_breaks(const char *s, size_t n, const char *lang, size_t *pts, size_t max);
/* Whether code point cp belongs to the character before it rather than
 * starting one (a combining mark, a variation selector, a joiner, an
 * emoji modifier): no line is broken before it. */
bool tx_joins_previous(uint32_t cp);
/* The direction of s by its first strong character: 1 right to left,
 * 0 left to right, -1 none (rule P2). */
int tx_direction(const char *s, size_t n);

/* ===== the bidirectional algorithm (bidi.c) ============================ */

/*
 * One paragraph's embedding levels (UAX #9 through FriBidi): level[i] is
 * text[i]'s, odd for right to left; rtl, the paragraph's direction, is
 * given (its first strong letter's, or the book's for octavo's own
 * lines). Made by tx_bidi_new in the arena a, which owns it.
 */
struct tx_bidi {
	const int8_t *level; /* [n] */
	size_t n;
	bool rtl;
	const void *types; /* FriBidi's character types, for tx_bidi_line */
};
struct tx_bidi *tx_bidi_new(const uint32_t *text, size_t n, bool rtl, struct arena *a);
/*
 * The line text[from, to) of b's paragraph in visual order (rules L1,
 * L2): map[v] (room for to - from) is the index into text of the v-th
 * character from the left. Returns the line's highest level; its scratch
 * from a.
 */
int tx_bidi_line(const struct tx_bidi *b, size_t from, size_t to, int32_t *map,
		 struct arena *a);

/* ===== hyphenation ===================================================== */

struct tx_hyph;

/*
 * Loads the Liang patterns for language, a BCP 47 tag, from the system's
 * hyphen dictionaries (Debian's hyphen-* packages), with its regional
 * fallbacks: "de-CH" reads hyph_de_CH.dic, else hyph_de.dic or
 * hyph_de_DE.dic; "es" hyph_es.dic or hyph_es_ES.dic; "en-US" and "en"
 * the American patterns, any other "en-XX" the British. Then the style's
 * exceptions. Without patterns (tx_hyph_check said so) words break only
 * at their own hyphens. Never NULL. The patterns load once a process
 * (here, unless tx_hyph_preload or tx_hyph_preload_words loaded them), on
 * the caller's thread.
 */
struct tx_hyph *tx_hyph_load(const char *language, const struct bk_style *st, struct diag *d);
/* Loads the whole file of patterns for language, for a tx_hyph_load to come. */
void tx_hyph_preload(const char *language);
/*
 * The same for a small book: only the patterns that can act on its words
 * are loaded (a tenth of them for an essay; a word outside the set is
 * hyphenated with the whole file, loaded then). Give tx_words_add every
 * text that will be set; tx_hyph_preload_words takes w. Does nothing when
 * the whole file is loaded already.
 */
struct tx_words;
struct tx_words *tx_words_new(void);
void tx_words_add(struct tx_words *w, const char *text, size_t len);
size_t tx_words_bytes(const struct tx_words *w); /* the text given so far */
void tx_words_free(struct tx_words *w);
void tx_hyph_preload_words(const char *language, struct tx_words *w);
/*
 * Where a build keeps what it made for the next build to take instead of
 * making it again: the patterns it read, compiled (libhyphen's automaton
 * as bytes: about 40 M instructions for en-GB's whole file, 20 M for an
 * essay's subset), and the words it shaped (tx_shapes_take). get returns
 * the bytes kept under key (borrowed, valid until the next call of put or
 * the store's end), or NULL; put keeps a copy of len bytes under key. key
 * is a hash of everything the bytes depend on: seed (the caller's:
 * octavo's build), and for the patterns the dictionary file's bytes and
 * for a small book its words.
 */
struct tx_store {
	const char *(*get)(void *ctx, uint64_t key, size_t *len);
	void (*put)(void *ctx, uint64_t key, const char *data, size_t len);
	void *ctx;
	uint64_t seed;
	bool empty; /* the store keeps nothing yet (a first build) */
};
/*
 * tx_hyph_preload (w NULL) or tx_hyph_preload_words (it takes w) through
 * the store s: the whole file's automaton when s keeps it (for a small
 * book too: it hyphenates as the subset does), else the subset for w's
 * words when s keeps that, else read and given to s - a small book's
 * subset into an empty store, else the whole file (the words changed:
 * the whole file then serves every later build). The same break points
 * either way.
 */
void tx_hyph_preload_stored(const char *language, struct tx_words *w, const struct tx_store *s);
/*
 * Each word's break points as tx_hyphenate found them, kept between
 * builds in s (a store of their own: the build's OUTDIR/.SLUG.hyph):
 * tx_hyph_answers_take before the
 * layout, which then looks a word up there before asking libhyphen, and
 * tx_hyph_answers_give after it, once every tx_hyph of the layout is
 * freed (tx_hyph_free gathers each one's answers in between). Only a
 * tx_hyph whose patterns were read through a store (its dictionary
 * file's bytes in the key, with its language, the style's exceptions and
 * capitals and the store's seed: octavo's build) takes part; the break
 * points are the same either way. take, give and drop on the build's
 * thread, with no layout running; tx_hyph_free on any thread, at once
 * with others (under the answers' lock); tx_hyphenate's lookups read
 * only. tx_hyph_answers_drop forgets them unwritten (a failed build).
 */
void tx_hyph_answers_take(const struct tx_store *s);
void tx_hyph_answers_give(const struct tx_store *s);
void tx_hyph_answers_drop(void);
/* The whole file's patterns for language taken from s alone: true when s
 * keeps them (a tx_hyph_load to come finds them), false, loading
 * nothing, when not. */
bool tx_hyph_preload_kept(const char *language, const struct tx_store *s);
/*
 * Keeps every whole dictionary this process compiles in dir (the user's
 * cache, src/util/cache.h; NULL: none), and takes it from there instead
 * of compiling it again, under a key of the file's bytes and seed
 * (octavo's build, as a store's). German's whole file is 3.5 s to
 * compile and some 20 ms to read back: only a machine's first build that
 * needs it pays. Call before any patterns load; tests and tools that do
 * not use none.
 */
void tx_hyph_cache(const char *dir, uint64_t seed);
/*
 * tx_hyph_load with patterns of its own, read now and freed with it,
 * outside the process's cache: the whole file when w is NULL, else only
 * those w's words need, as tx_hyph_preload_words chooses them (it takes
 * w; a word outside w is hyphenated with the cache's whole file). For
 * tests and tools that compare the two. Never NULL.
 */
struct tx_hyph *tx_hyph_load_alone(const char *language, const struct bk_style *st,
				   struct diag *d, struct tx_words *w);
void tx_hyph_free(struct tx_hyph *h);
/*
 * A second handle on h's patterns with a cache of its own, for
 * hyphenating on another thread while h is used on this one; free with
 * tx_hyph_free. NULL when h cannot be shared so: a small book's patterns,
 * where a word outside them would load the whole file (a process-wide
 * cache, on one thread only).
 */
struct tx_hyph *tx_hyph_fork(const struct tx_hyph *h);
/*
 * Whether b's language has hyphenation patterns: when not, an error at
 * book.yaml's 'language:' naming the Debian package to install, and -1.
 * A language written without hyphens (Chinese, Japanese, Korean, Arabic,
 * Hebrew, ...) needs none: 0, and its text is set unhyphenated.
 */
int tx_hyph_check(const struct book *b, struct diag *d);
/* The folder the hyphenation dictionaries are read from (every
 * language's: a build's record of what its layout read names them). */
const char *tx_hyph_dir(void);

/*
 * Finds where word (UTF-8, len bytes, no spaces) may take a hyphen: byte
 * offsets into word, written to pts (room for max), ascending; returns how
 * many. At least 2 letters (characters, not bytes) stay before a break
 * and 3 after. Letters are lower-cased for the patterns, in the
 * dictionary's character set. Words in capitals throughout (acronyms),
 * words that hold digits or look like URLs or addresses, words with a
 * capital after their first letter (NASA’s, McDonald) and words with
 * hyphens of their own get none. A capitalised word is hyphenated as its
 * lower-case form is, unless the style's 'hyphenate-capitalised' is false
 * and the language does not capitalise its nouns (German does).
 * Leading and trailing punctuation (quotation marks, guillemets,
 * brackets) is allowed and never split; no break is put beside an
 * apostrophe.
 */
size_t tx_hyphenate(struct tx_hyph *h, const char *word, size_t len, size_t *pts, size_t max);
/*
 * Whether language (a BCP 47 tag) has hyphenation patterns installed,
 * found as tx_hyph_load finds them, or needs none (tx_hyph_check); pkg
 * (size bytes, may be NULL) gets the
 * Debian package that ships them, or "" when Debian has none. Reads no
 * patterns: a passage in another language loads its own only when set.
 */
bool tx_hyph_available(const char *language, char *pkg, size_t size);

/*
 * A copy of the font file at path holding only the glyphs for the BMP code
 * points flagged in used[0..65535], for embedding. Returns malloc'd
 * TrueType bytes (length in *len) the caller frees, or NULL when it is
 * unreadable or not a font HarfBuzz can subset. for_screen keeps what a
 * reading system needs to shape and hint the text itself (GSUB, GPOS,
 * hinting), for the EPUB: HarfBuzz's default layout features, small
 * capitals (smcp, c2sc) and the OpenType feature tags in features
 * (separated by spaces; may be NULL), each with the glyphs it reaches,
 * and the name table's licence entries (IDs 13 and 14).
 */
char *tx_subset_file(const char *path, const uint8_t *used, bool for_screen,
		     const char *features, size_t *len);
/* tx_subset_file's cut for the screen of face's font file, a variable
 * font cut to the face's instance, its axes pinned where the PDF sets
 * them (a static font: what the reading system draws is what the page
 * shows). NULL as tx_subset_file's, or for a face with no file. */
char *tx_subset_face(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		     const char *features, size_t *len);
/* The name of face's instance of a variable font, its axes and values
 * ("wght700-slnt-10"), into out (n > 0 bytes, NUL-terminated, cut at an
 * axis); "" for a static font. Returns its length. */
size_t tx_face_instance(const struct tx_fonts *f, enum tx_face face, char *out, size_t n);

/*
 * A face made ready for a PDF: cut down to the glyphs of the code points
 * flagged in used[0..65535] and the glyph numbers flagged in
 * used[65536 + gid] (TX_USED_LEN in all) (the glyphs renumbered from 0, the outlines,
 * metrics and cmap kept), with what a font dictionary needs to say.
 */
struct tx_pdffont {
	char *data;         /* the font file to embed: TrueType (FontFile2) or, when
			     * cff, OpenType with CFF outlines (FontFile3) */
	size_t len;
	bool cff;
	uint16_t *gid;      /* [65536]: code point -> glyph in data, 0 for none */
	uint16_t *glyph;    /* [65536]: the face's glyph number -> glyph in data */
	uint32_t *unicode;  /* [nglyphs]: the code point each glyph was reached by, or 0 */
	const char **text;  /* [nglyphs]: the text of a glyph reached by its number,
			     * or NULL (borrowed from the fonts) */
	const char **alt;   /* [nglyphs]: a glyph's other text (TX_ALIAS_BASE), or
			     * NULL; alt itself NULL when no glyph has one */
	int *width;         /* [nglyphs]: advances in 1/1000 em, as tx_shape measures */
	unsigned nglyphs;
	bool subset;        /* false: HarfBuzz could not cut it; data is the whole font */
	uint32_t *old;      /* [nold]: each glyph's number in the face; NULL when
			     * not a subset (the face's own numbers) */
	unsigned nold;
	char psname[64];    /* PostScript name, [A-Za-z0-9-] only */
	double ascent, descent, cap_height, italic_angle; /* 1/1000 em, degrees */
	double bbox[4];     /* xMin yMin xMax yMax, 1/1000 em */
	int weight;         /* OS/2 weight class (400 regular) */
	bool fixed_pitch, italic;
};
/* Fills out for face (0), or returns -1 when the font's file cannot be
 * read again. tx_pdffont_release frees what out holds (not out itself). */
int tx_pdffont_make(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    struct tx_pdffont *out);
void tx_pdffont_release(struct tx_pdffont *pf);
/*
 * tx_pdffont_make from a subset made before (an earlier build's, kept by
 * the PDF stage's store under tx_pdffont_key): data (len bytes) the font
 * file, old[nold] its glyphs' numbers in the face (NULL: data is the whole
 * face). Returns 0, or -1 when data is empty; the rest of out is worked
 * out from the face as tx_pdffont_make does, so out is the same.
 */
int tx_pdffont_from(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    const char *data, size_t len, const uint32_t *old, unsigned nold,
		    struct tx_pdffont *out);
/*
 * The key of face's subset for used (TX_USED_LEN bytes): the used table's
 * flags (hash_fnv1a_sparse); the font file's path and identity (device, inode,
 * size, mtime and ctime, as the EPUB's font cache keys it) with the
 * instance's axes;
 * HarfBuzz's version and the subsetter's options. False when the file
 * cannot be stat'ed (no key: subset it).
 */
bool tx_pdffont_key(const struct tx_fonts *f, enum tx_face face, const uint8_t *used,
		    uint64_t key[3]);

/*
 * A view of f for shaping on a second thread (src/layout/parallel.c):
 * it shares f's HarfBuzz objects, which neither changes, and owns the
 * caches and the arena that shaping writes. While a fork lives, f may
 * shape on its own thread, the fork on another; nothing else may use f.
 * The two share, behind a lock, the words either has shaped that do not
 * depend on what was shaped before (no glyph reached by its number), so
 * that such a word is shaped once. tx_fonts_join (or tx_fonts_free)
 * frees it. The fork's words point into its arena, which f is handed
 * when the fork is freed, joined or not.
 */
struct tx_fonts *tx_fonts_fork(struct tx_fonts *f);
/*
 * Joins a fork back into f, which shaped on meanwhile: true when every
 * word the fork shaped is what f would have made shaping it after its own
 * (the same codes for the glyphs reached by their number: TX_GLYPH_BASE,
 * TX_ALIAS_BASE), and f now holds the texts of those glyphs as if it had;
 * false, f as it was, when not (a glyph whose first text differs between
 * the two: the caller shapes the fork's text again on f). Frees fork.
 */
bool tx_fonts_join(struct tx_fonts *f, struct tx_fonts *fork);

/* Statistics for the report and the benchmark. */
struct tx_stats {
	size_t shaped;  /* distinct words shaped */
	size_t lookups; /* calls to tx_shape */
};
void tx_stats(const struct tx_fonts *f, struct tx_stats *out);

#endif
