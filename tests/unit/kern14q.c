/*
 * kern14q.c - a word's pieces at its breaks keep the kerning they have
 * inside the word (compose.c's kern_at): tests/books/kern14q in EB
 * Garamond, whose "v|e" and "w|e" kern, set with its hyphenation points
 * ("gov-ern-ment", "sev-eral", "pow-er"): each piece of a word drawn
 * where the word shaped whole puts its glyphs, unbroken or broken at the
 * line's end. Skipped (not passed) without fonts-ebgaramond.
 */
#include "unit/unit.h"

#include "book/book.h"
#include "layout/layout.h"
#include "text/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GARAMOND "/usr/share/fonts/opentype/ebgaramond/"

/* The test book copied into dir with EB Garamond beside it, as the
 * suite's is; false when a file is missing. */
static bool copy_book(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "cp tests/books/kern14q/* styles/epub.css '%s'/ && cp -L " GARAMOND
		 "EBGaramond12-Regular.otf " GARAMOND "EBGaramond12-Italic.otf " GARAMOND
		 "EBGaramond12-Bold.otf '%s'/ && echo 'style: style.yaml' >>'%s'/book.yaml",
		 dir, dir, dir);
	return system(cmd) == 0;
}

/* Whether t (len bytes) starts with s. */
static bool starts(const char *t, size_t len, const char *s)
{
	return len >= strlen(s) && !memcmp(t, s, strlen(s));
}

UNIT_TEST(kern14q_pieces_keep_the_words_kerning)
{
	if (access(GARAMOND "EBGaramond12-Regular.otf", R_OK) != 0) {
		fprintf(stderr, "skip kern14q: fonts-ebgaramond not installed\n");
		return;
	}
	char *dir = unit_scratch("kern14q");
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = dir && copy_book(dir) ? book_load(dir, ".", &d) : NULL;
	struct tx_fonts *f = b ? tx_fonts_load(&b->style, b->meta.language, &d) : NULL;
	struct pg_doc *doc = f ? pg_compose(b, f, &d) : NULL;
	UCHECK(doc != NULL, "tests/books/kern14q lays out");
	if (doc) {
		/* Whole, "government" is three pieces, "go", "v" and
		 * "ernment", each moved left by the kerning ("ov", "ve"). */
		const struct tx_word *w = tx_shape(f, TX_REGULAR, "government", 10);
		double kx = w->npieces == 3 ? w->pieces[2].x : -1;
		UCHECK(w->npieces == 3 && kx > 0 && !strncmp(w->pieces[2].text, "ern", 3),
		       "EB Garamond kerns 'government' in 'ov' and 've': %zu pieces", w->npieces);
		/* Every "go" "v" drawn, whole word or pieces, has its "ern..."
		 * where the word shaped whole has it. */
		size_t pairs = 0, off = 0;
		double worst = 0;
		for (size_t pi = 0; pi < doc->npages; pi++) {
			const struct pg_page *pg = &doc->pages[pi];
			for (size_t i = 0; i + 2 < pg->ntexts; i++) {
				const struct pg_text *a = &pg->texts[i], *v = &pg->texts[i + 1],
						     *c = &pg->texts[i + 2];
				if (a->len != 2 || !starts(a->text, a->len, "go") || v->len != 1 ||
				    v->text[0] != 'v' || !starts(c->text, c->len, "ern") || a->y != c->y)
					continue;
				double dx = c->x - a->x, want = kx * a->size / 1000;
				pairs++;
				if (fabs(dx - want) > 0.002) {
					off++;
					if (fabs(dx - want) > worst)
						worst = fabs(dx - want);
				}
			}
		}
		UCHECK(pairs >= 10, "the book draws 'go' 'v' 'ern': %zu times", pairs);
		UCHECK(off == 0, "%zu of %zu 'go' 'v' 'ern' off the whole word's place, "
			       "by up to %.3f pt", off, pairs, worst);
	}
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	diag_free_source_cache();
	if (dir)
		unit_rm_dir(dir);
	free(dir);
}
