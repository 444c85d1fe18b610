/*
 * par13.c - the main matter set on two threads (src/layout/parallel.c)
 * gives the doc one thread gives: the same pages (each page's text hash,
 * folio, links, tags), outline, line records, counts and messages, and
 * the fonts keep the same texts for the glyphs reached by their number.
 * And the shaping fork (tx_fonts_fork, tx_fonts_join) on its own: a
 * join refuses a fork whose glyph texts its parent would have numbered
 * otherwise, and takes one whose texts agree.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, mkdtemp */
#include "unit/unit.h"

#include "../../src/book/book.h"
#include "../../src/layout/layout.h"
#include "../../src/text/text.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct laid {
	struct book *b;
	struct tx_fonts *f;
	struct pg_doc *doc;
	char *msgs; /* what the layout reported */
	size_t nmsgs;
	struct diag d;
};

/* Lays book b out on jobs threads, with fonts of its own. */
static bool lay(struct book *b, int jobs, struct laid *l)
{
	memset(l, 0, sizeof(*l));
	diag_init(&l->d, stderr);
	l->d.quiet = true;
	l->b = b;
	l->f = b ? tx_fonts_load(&b->style, b->meta.language, &l->d) : NULL;
	if (!l->f)
		return false;
	FILE *m = open_memstream(&l->msgs, &l->nmsgs);
	diag_init(&l->d, m);
	l->d.excerpt = false;
	l->doc = pg_compose_lint_jobs(l->b, l->f, &l->d, jobs);
	fclose(m);
	return l->doc != NULL;
}

static void unlay(struct laid *l)
{
	pg_doc_free(l->doc);
	tx_fonts_free(l->f);
	free(l->msgs);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The first difference between two docs of one book, or NULL. */
static const char *differ(const struct laid *x, const struct laid *y)
{
	const struct pg_doc *a = x->doc, *b = y->doc;
	if (a->npages != b->npages || a->front_pages != b->front_pages)
		return "page count";
	for (size_t i = 0; i < a->npages; i++) {
		const struct pg_page *p = &a->pages[i], *q = &b->pages[i];
		if (p->text_hash != q->text_hash || p->ntexts != q->ntexts)
			return "a page's texts";
		if (!same_str(p->label, q->label) || p->part != q->part || p->entry != q->entry)
			return "a page's folio or part";
		if (p->nlinks != q->nlinks || p->nimages != q->nimages || p->nrules != q->nrules ||
		    p->ntags != q->ntags)
			return "a page's links, images, rules or tags";
		for (size_t k = 0; k < p->nlinks; k++)
			if (p->links[k].dest_page != q->links[k].dest_page ||
			    !same_str(p->links[k].url, q->links[k].url))
				return "a link";
		for (size_t k = 0; k < p->ntags; k++)
			if (p->tags[k].ref != q->tags[k].ref ||
			    p->tags[k].role != q->tags[k].role || p->tags[k].lang != q->tags[k].lang ||
			    p->tags[k].from != q->tags[k].from) {
				return "a tag";
			}
		if (memcmp(&p->facts, &q->facts, sizeof(p->facts)))
			return "a page's facts";
		if (p->src_first != q->src_first || p->src_last != q->src_last ||
		    p->mark_span != q->mark_span || p->mark_off != q->mark_off)
			return "a page's source lines or mark";
	}
	if (a->noutline != b->noutline)
		return "outline length";
	for (size_t i = 0; i < a->noutline; i++)
		if (a->outline[i].page != b->outline[i].page ||
		    !same_str(a->outline[i].title, b->outline[i].title))
			return "an outline entry";
	if (a->nlinev != b->nlinev)
		return "line records";
	for (size_t i = 0; i < a->nlinev; i++) {
		const struct pg_line *l = &a->linev[i], *m = &b->linev[i];
		if (l->page != m->page || l->para != m->para || l->pline != m->pline ||
		    l->src_line != m->src_line || l->ratio != m->ratio || !same_str(l->text, m->text))
			return "a line record";
	}
	if (a->lines != b->lines || a->overfull != b->overfull || a->hyphenated != b->hyphenated ||
	    a->long_pages != b->long_pages || a->short_pages != b->short_pages ||
	    a->code_wrapped != b->code_wrapped || a->code_stepped != b->code_stepped)
		return "counts";
	if (a->nlangs != b->nlangs)
		return "languages";
	for (size_t i = 0; i < a->nlangs; i++)
		if (strcmp(a->langs[i], b->langs[i]))
			return "a language";
	for (int face = 0; face < TX_NFACES; face++)
		for (unsigned g = 0; g < 0x20000; g++)
			if (!same_str(tx_glyph_text(x->f, face, g), tx_glyph_text(y->f, face, g)))
				return "a glyph's text";
	if (x->nmsgs != y->nmsgs || memcmp(x->msgs, y->msgs, x->nmsgs) ||
	    x->d.nwarn != y->d.nwarn || x->d.nerr != y->d.nerr)
		return "messages";
	return NULL;
}

/* Lays dir out on one thread and on two; returns the second's runs, or 0
 * when the docs differ (or it does not lay out). */
static int one_and_two(const char *dir)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load(dir, ".", &d);
	struct laid one, two;
	bool ok1 = lay(b, 1, &one), ok2 = lay(b, 2, &two);
	int runs = 0;
	UCHECK(ok1 && ok2, "%s lays out", dir);
	if (ok1 && ok2) {
		const char *why = differ(&one, &two);
		UCHECK(!why, "%s: one thread and two differ: %s", dir, why ? why : "");
		UCHECK(one.doc->runs == 1, "%s: one run on one thread", dir);
		runs = why ? 0 : two.doc->runs;
	}
	unlay(&one);
	unlay(&two);
	book_free(b);
	return runs;
}

UNIT_TEST(par13_books)
{
	UCHECK(one_and_two("manuscript") == 2, "the edition's main matter joined from two runs");
	UCHECK(one_and_two("tests/books/notes100") == 2, "notes100 joined from two runs");
	one_and_two("tests/books/pages");
	one_and_two("tests/books/book18");
	one_and_two("tests/books/book18c");
	one_and_two("tests/books/blocks");
	one_and_two("tests/books/tagged");
}

/* ===== books made for the join's checks ================================ */

static void put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A two-part book in a new folder (returned, malloc'd), its parts' text
 * one and two, in Charis with acronyms in small capitals. */
static char *two_parts(const char *one, const char *two)
{
	char tmpl[] = "/tmp/par13-unit-XXXXXX";
	if (!mkdtemp(tmpl))
		return NULL;
	char cwd[1024], style[16384];
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	put(tmpl, "book.yaml",
	    "title: Two\nlanguage: en-GB\nidentifiers:\n  uuid: "
	    "urn:uuid:11111111-2222-3333-4444-555555555555\nstyle: mine.yaml\nparts:\n"
	    "  - one.md\n  - two.md\n");
	snprintf(style, sizeof(style),
		 "fonts:\n  regular: %s/fonts/CharisSIL-Regular.ttf\n"
		 "  italic: %s/fonts/CharisSIL-Italic.ttf\n  bold: %s/fonts/CharisSIL-Bold.ttf\n"
		 "  bold-italic: %s/fonts/CharisSIL-BoldItalic.ttf\n  small-caps: acronyms\n"
		 "epub:\n  css: %s/styles/epub.css\n",
		 cwd, cwd, cwd, cwd, cwd);
	put(tmpl, "mine.yaml", style);
	put(tmpl, "one.md", one);
	put(tmpl, "two.md", two);
	return strdup(tmpl);
}

static void remove_book(char *dir)
{
	const char *names[] = {"book.yaml", "mine.yaml", "one.md", "two.md"};
	char path[4096];
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

UNIT_TEST(par13_checks)
{
	/* Agreeing halves: joined. */
	char *d = two_parts("---\ntitle: One\n---\n\nThe NHS met the BBC.\n",
			    "---\ntitle: Two\n---\n\nThe NCVO met the BBC and the NHS.\n");
	UCHECK(d && one_and_two(d) == 2, "two agreeing parts joined from two runs");
	remove_book(d);
	/* One small capital, from 'n' in the first half and from 'N' in the
	 * second: the second's text is the glyph's other text on one thread,
	 * its first on the fork. Set again, not joined. */
	d = two_parts("---\ntitle: One\n---\n\nThe [nhs]{.smallcaps} met.\n",
		      "---\ntitle: Two\n---\n\nThe NHS met.\n");
	UCHECK(d && one_and_two(d) == 1, "a glyph numbered otherwise: the second half set again");
	remove_book(d);
	/* A character no font has, in both halves: told at its first three
	 * places across the book. Set again. */
	d = two_parts("---\ntitle: One\n---\n\nA \xf0\x9f\x9c\x81 and \xf0\x9f\x9c\x81.\n",
		      "---\ntitle: Two\n---\n\nA \xf0\x9f\x9c\x81, \xf0\x9f\x9c\x81.\n");
	UCHECK(d && one_and_two(d) == 1, "a character missing in both halves: set again");
	remove_book(d);
	/* The same missing character in the second half only: joined, told
	 * as one thread tells it. */
	d = two_parts("---\ntitle: One\n---\n\nNothing missing.\n",
		      "---\ntitle: Two\n---\n\nA \xf0\x9f\x9c\x81 and \xf0\x9f\x9c\x81.\n");
	UCHECK(d && one_and_two(d) == 2, "a character missing in the second half: joined");
	remove_book(d);
	/* Passages in other languages on both sides, numbered in the
	 * doc's order. */
	d = two_parts("---\ntitle: One\n---\n\nA [Weltanschauung]{lang=de} and "
		      "[bibliothèque]{lang=fr}.\n",
		      "---\ntitle: Two\n---\n\nA [bibliothèque]{lang=fr}, "
		      "[Weltanschauung]{lang=de} and [biblioteca]{lang=es}.\n");
	UCHECK(d && one_and_two(d) == 2, "passages in other languages: joined");
	remove_book(d);
}

/* ===== the shaping fork ================================================= */

/* The glyph number a one-piece word reaches by its number (its first
 * code point less base), or -1. */
static long first_glyph(const struct tx_word *w, uint32_t *base)
{
	if (!w->npieces)
		return -1;
	uint32_t cp;
	if (utf8_decode((const unsigned char *)w->pieces[0].text, w->pieces[0].len, &cp) < 0)
		return -1;
	*base = cp >= 0x100000u ? 0x100000u : 0xF0000u;
	return cp >= 0xF0000u ? (long)(cp - *base) : -1;
}

UNIT_TEST(par13_fonts_fork)
{
	char *d = two_parts("---\ntitle: One\n---\n\nx\n", "---\ntitle: Two\n---\n\ny\n");
	struct diag dg;
	diag_init(&dg, stderr);
	dg.quiet = true;
	struct book *b = d ? book_load(d, ".", &dg) : NULL;
	struct tx_fonts *f = b ? tx_fonts_load(&b->style, "en-GB", &dg) : NULL;
	UCHECK(f != NULL, "the fork's book loads");
	if (f) {
		uint32_t base;
		/* The parent keeps 'n' for the small capital; a fork that
		 * keeps 'N' for it first is refused, the parent unchanged. */
		long g = first_glyph(tx_shape_features(f, TX_REGULAR, "n", 1, TX_FEAT_SMCP), &base);
		UCHECK(g >= 0 && base == 0xF0000u, "a small capital is reached by its number");
		struct tx_fonts *k = tx_fonts_fork(f);
		const struct tx_word *w = tx_shape_features(k, TX_REGULAR, "N", 1, TX_FEAT_C2SC);
		uint32_t kb;
		UCHECK(first_glyph(w, &kb) == g && kb == 0x100000u,
		       "the fork, knowing 'n' from its parent, draws 'N' by the other code");
		tx_fonts_free(k);
		/* A fork made before the parent kept anything for the glyph:
		 * its 'N' is the glyph's first text there, the second here. */
		struct tx_fonts *f2 = tx_fonts_load(&b->style, "en-GB", &dg);
		k = tx_fonts_fork(f2);
		w = tx_shape_features(k, TX_REGULAR, "N", 1, TX_FEAT_C2SC);
		UCHECK(first_glyph(w, &kb) == g && kb == 0xF0000u, "the fork draws 'N' as first");
		tx_shape_features(f2, TX_REGULAR, "n", 1, TX_FEAT_SMCP);
		UCHECK(!tx_fonts_join(f2, k), "a fork that numbered a glyph otherwise is refused");
		UCHECK(same_str(tx_glyph_text(f2, TX_REGULAR, (unsigned)g), "n") &&
			       !tx_glyph_text(f2, TX_REGULAR, 0x10000u + (unsigned)g),
		       "the refused fork left its parent as it was");
		/* A fork whose texts agree is joined: the parent then has what
		 * shaping the fork's words itself would have kept. */
		k = tx_fonts_fork(f2);
		w = tx_shape_features(k, TX_REGULAR, "N", 1, TX_FEAT_C2SC);
		UCHECK(first_glyph(w, &kb) == g && kb == 0x100000u, "the fork draws 'N' as other");
		const char *piece = w->pieces[0].text;
		UCHECK(tx_fonts_join(f2, k), "an agreeing fork is joined");
		UCHECK(same_str(tx_glyph_text(f2, TX_REGULAR, 0x10000u + (unsigned)g), "N"),
		       "the joined parent keeps 'N' as the glyph's other text");
		UCHECK(piece[0] != 0, "the joined fork's pieces live on in the parent");
		const struct tx_word *again = tx_shape_features(f2, TX_REGULAR, "N", 1, TX_FEAT_C2SC);
		UCHECK(again->npieces == 1 && again->pieces[0].len == w->pieces[0].len &&
			       !memcmp(again->pieces[0].text, piece, again->pieces[0].len),
		       "the parent shapes the fork's word to the same pieces");
		tx_fonts_free(f2);
	}
	tx_fonts_free(f);
	book_free(b);
	if (d)
		remove_book(d);
}
