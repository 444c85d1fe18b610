/*
 * unit.c - unit tests for the engines: the metadata loader, the Markdown
 * walker and the Knuth-Plass breaker. A harness in the manner of cmark's
 * api_test: each check counts, and the run ends "N passed, N failed".
 */
#define _GNU_SOURCE /* memmem */
#include "book/book.h"
#include "layout/layout.h"
#include "epub/epub-int.h"
#include "text/text.h"

#include "unit/unit.h"

#include <hb.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
int unit_passed, unit_failed;

/* Tests in the files of tests/unit/, registered by UNIT_TEST before main(). */
static struct {
	const char *name;
	void (*fn)(void);
} registered[256];
static int nregistered;

void unit_register(const char *name, void (*fn)(void))
{
	if (nregistered == (int)(sizeof(registered) / sizeof(registered[0]))) {
		fprintf(stderr, "unit: too many registered tests (%s)\n", name);
		return;
	}
	registered[nregistered].name = name;
	registered[nregistered++].fn = fn;
}

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (cond) {                                                     \
			passed++;                                               \
		} else {                                                        \
			failed++;                                               \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);    \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

/* Parses md as a part; diagnostics go to a memory stream returned in *msgs. */
static int parse(struct arena *a, struct bk_part *p, const char *md, char **msgs)
{
	size_t len;
	FILE *mem = open_memstream(msgs, &len);
	struct diag d;
	diag_init(&d, mem);
	memset(p, 0, sizeof(*p));
	p->id = "essay-01";
	int rc = book_parse_part(a, p, "t.md", ".", md, strlen(md), &d);
	fclose(mem);
	return rc;
}

static void test_front_matter(void)
{
	struct arena a;
	ar_init(&a);
	struct bk_part p;
	char *msgs;
	int rc = parse(&a, &p,
		       "---\ntitle: \"A Title\"\nsubtitle: Sub\nauthor: \"Chief executive\"\n"
		       "role: \"Writing personally\"\n---\n\nFirst *para*.\n",
		       &msgs);
	CHECK(rc == 0, "front matter parses: %s", msgs);
	CHECK(p.title && !strcmp(p.title, "A Title"), "title");
	CHECK(p.subtitle && !strcmp(p.subtitle, "Sub"), "subtitle");
	CHECK(p.author && !strcmp(p.author, "Chief executive"), "author");
	CHECK(p.role && !strcmp(p.role, "Writing personally"), "role");
	CHECK(p.nblocks == 1 && p.blocks[0].kind == BK_PARA, "one paragraph");
	CHECK(p.blocks[0].line == 8, "paragraph line counts the front matter: %d", p.blocks[0].line);
	free(msgs);

	rc = parse(&a, &p, "---\ntitle: \"x\nauthor: y\n---\nText\n", &msgs);
	CHECK(rc < 0 && strstr(msgs, "t.md:2:8: error: quoted text is never closed"),
	      "unclosed quote reported where it opens: %s", msgs);
	free(msgs);

	rc = parse(&a, &p, "---\ntitle: A\ntitle: B\n---\nText\n", &msgs);
	CHECK(rc < 0 && strstr(msgs, "t.md:3:1: error: duplicate key 'title'"),
	      "duplicate key: %s", msgs);
	free(msgs);

	rc = parse(&a, &p, "---\ntitle: A\n\tauthor: B\n---\nText\n", &msgs);
	CHECK(rc < 0 && strstr(msgs, "t.md:3:1: error: tab used for indentation") &&
		      strstr(msgs, "hint: "),
	      "tab: %s", msgs);
	free(msgs);

	rc = parse(&a, &p, "---\ntitle: A\ncolour: red\n---\nText\n", &msgs);
	CHECK(rc == 0 && strstr(msgs, "t.md:3:1: warning: unknown key 'colour'"),
	      "unknown key warns: %s", msgs);
	free(msgs);

	rc = parse(&a, &p, "---\ntitle: A\n---\nGood\n\nBad \xff byte\n", &msgs);
	CHECK(rc < 0 && strstr(msgs, "t.md:6:5: error: invalid UTF-8 byte 0xFF"),
	      "invalid UTF-8 at line:col: %s", msgs);
	free(msgs);

	rc = parse(&a, &p, "\xEF\xBB\xBF# Heading Title\r\n\r\nBody text.\r\n", &msgs);
	CHECK(rc == 0 && p.title && !strcmp(p.title, "Heading Title") && p.nblocks == 1,
	      "BOM and CRLF accepted, # title used: %s", msgs);
	free(msgs);
	ar_release(&a);
}

static void test_walker(void)
{
	struct arena a;
	ar_init(&a);
	struct bk_part p;
	char *msgs;
	const char *md = "---\ntitle: T\n---\n"
			 "Some *em* and **strong** \"quoted\" text -- with a [link](http://x.org)"
			 " and a note.[^n]\n\n"
			 "## A Section\n\n"
			 "> Quoted.\n\n"
			 "1. one\n2. two\n   - nested\n\n"
			 "| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
			 "[^n]: The note.\n";
	int rc = parse(&a, &p, md, &msgs);
	CHECK(rc == 0, "walker parses: %s", msgs);
	free(msgs);
	CHECK(p.nblocks == 5, "five blocks, got %zu", p.nblocks);
	if (p.nblocks != 5)
		goto out;
	const struct bk_block *para = &p.blocks[0];
	char *text = bk_spans_text(&a, para->spans, para->nspans);
	CHECK(strstr(text, "\xE2\x80\x9Cquoted\xE2\x80\x9D") != NULL, "smart quotes: %s", text);
	CHECK(strstr(text, "text \xE2\x80\x93 with") != NULL, "en dash from --: %s", text);
	bool em = false, strong = false, link = false, note = false;
	for (size_t i = 0; i < para->nspans; i++) {
		const struct bk_span *s = &para->spans[i];
		em |= (s->style & BK_EM) && !strncmp(s->text, "em", 2);
		strong |= (s->style & BK_STRONG) && !strncmp(s->text, "strong", 6);
		link |= s->link == 0 && !strncmp(s->text, "link", 4);
		note |= s->kind == BK_SPAN_NOTEREF && s->note == 0;
	}
	CHECK(em && strong && link && note, "styles, link and note ref");
	CHECK(p.nlinks == 1 && !strcmp(p.links[0], "http://x.org"), "link url");
	CHECK(p.blocks[1].kind == BK_HEADING && p.blocks[1].level == 2 &&
		      !strcmp(p.blocks[1].id, "essay-01-a-section"),
	      "heading id %s", p.blocks[1].id);
	CHECK(p.blocks[1].line == 6, "heading line %d", p.blocks[1].line);
	CHECK(p.blocks[2].kind == BK_QUOTE && p.blocks[2].nkids == 1, "block quote");
	const struct bk_block *ol = &p.blocks[3];
	CHECK(ol->kind == BK_LIST && (ol->flags & BK_ORDERED) && ol->level == 1 && ol->nkids == 2,
	      "ordered list");
	CHECK(ol->nkids == 2 && ol->kids[1].nkids == 2 && ol->kids[1].kids[1].kind == BK_LIST,
	      "nested list");
	const struct bk_block *t = &p.blocks[4];
	CHECK(t->kind == BK_TABLE && t->ncols == 2 && t->aligns[1] == 'r' && t->nkids == 2 &&
		      (t->kids[0].flags & BK_HEADER_ROW),
	      "table with header row and alignment");
	CHECK(p.nnotes == 1 && p.notes[0].number == 1 && !strcmp(p.notes[0].label, "n") &&
		      p.notes[0].nkids == 1,
	      "footnote definition");
out:
	ar_release(&a);
}

static void test_breaker(void)
{
	/* Three boxes of 10 with glue 5 (+3, -2) between them, at width 25:
	 * "aa bb" fits with r = 0 on line one, the last word on line two. */
	struct lb_item it[] = {
		{LB_BOX, 10, 0, 0, 0, false},  {LB_GLUE, 5, 3, 2, 0, false},
		{LB_BOX, 10, 0, 0, 0, false},  {LB_GLUE, 5, 3, 2, 0, false},
		{LB_BOX, 10, 0, 0, 0, false},  {LB_PENALTY, 0, 0, 0, LB_INFINITY, false},
		{LB_GLUE, 0, 1e5, 0, 0, false}, {LB_PENALTY, 0, 0, 0, -LB_INFINITY, false},
	};
	struct lb_params p;
	lb_params_default(&p);
	struct lb_result r;
	int rc = lb_break(it, ARRAY_LEN(it), 25, &p, &r);
	CHECK(rc == 0 && r.nlines == 2 && r.breaks[0] == 3 && fabs(r.ratios[0]) < 1e-9,
	      "two lines, break at the second glue, r = 0");
	lb_result_release(&r);

	/* At width 36, three words (natural 40) must shrink: r = -4/4 = -1. */
	rc = lb_break(it, ARRAY_LEN(it), 36, &p, &r);
	CHECK(rc == 0 && r.nlines == 1 && fabs(r.ratios[0] + 1) < 1e-9, "shrink to r = -1");
	lb_result_release(&r);

	/* At width 20 nothing fits two words and one word cannot stretch: the
	 * first pass fails, the emergency pass still yields a breaking. */
	rc = lb_break(it, ARRAY_LEN(it), 20, &p, &r);
	CHECK(rc < 0, "no feasible breaking at tolerance");
	lb_result_release(&r);
	p.emergency = true;
	p.tolerance = 1e9;
	rc = lb_break(it, ARRAY_LEN(it), 20, &p, &r);
	CHECK(rc == 0 && r.nlines == 3, "emergency pass gives three lines, got %zu", r.nlines);
	lb_result_release(&r);

	/* Total fit beats first fit: the classic case where filling line one
	 * greedily leaves a very loose line two. Boxes 20 20 20 | 5, glue 5+5-2,
	 * width 50: first fit takes 20 20 (r=.. ) then 20 5; total fit may too.
	 * We check optimality by comparing demerits with every 2-line split. */
	struct lb_item q[] = {
		{LB_BOX, 20, 0, 0, 0, false}, {LB_GLUE, 5, 5, 2, 0, false},
		{LB_BOX, 20, 0, 0, 0, false}, {LB_GLUE, 5, 5, 2, 0, false},
		{LB_BOX, 20, 0, 0, 0, false}, {LB_GLUE, 5, 5, 2, 0, false},
		{LB_BOX, 5, 0, 0, 0, false},  {LB_PENALTY, 0, 0, 0, LB_INFINITY, false},
		{LB_GLUE, 0, 1e5, 0, 0, false}, {LB_PENALTY, 0, 0, 0, -LB_INFINITY, false},
	};
	lb_params_default(&p);
	rc = lb_break(q, ARRAY_LEN(q), 50, &p, &r);
	/* Line one "20 20" (natural 45, r = 1) vs "20 20 20" (70: overfull):
	 * the only feasible first line ends at the second glue. */
	CHECK(rc == 0 && r.nlines == 2 && r.breaks[0] == 3 && fabs(r.ratios[0] - 1) < 1e-9,
	      "optimal two-line breaking, r1 = 1");
	lb_result_release(&r);
}

/* unit.h: the scratch folders of tests/unit/fast13.c and pdf13.c. */
char *unit_scratch(const char *tag)
{
	char tmpl[128];
	snprintf(tmpl, sizeof(tmpl), "/tmp/octavo-%s-XXXXXX", tag);
	char *dir = mkdtemp(tmpl);
	return dir ? strdup(dir) : NULL;
}

void unit_rm_dir(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

/* unit.h: a test book laid out quietly (tests/unit/lig15.c). */
struct pg_doc *unit_lay_out(const char *dir, struct book **b, struct tx_fonts **f)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	*b = dir ? book_load(dir, ".", &d) : NULL;
	*f = *b ? tx_fonts_load(&(*b)->style, (*b)->meta.language, &d) : NULL;
	return *f ? pg_compose(*b, *f, &d) : NULL;
}

void unit_lay_out_free(struct pg_doc *doc, struct tx_fonts *f, struct book *b)
{
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
	diag_free_source_cache();
}

/* Hyphenation points of word[0, len) as a string with hyphens:
 * "part-ner-ship" (unit.h; tests/unit/hyph17.c uses it too). */
const char *unit_hyphenated(struct tx_hyph *h, const char *word, size_t len, char *out,
			    size_t cap)
{
	size_t pts[32];
	size_t n = tx_hyphenate(h, word, len, pts, 32), k = 0, o = 0;
	for (size_t i = 0; i < len && o + 2 < cap; i++) {
		if (k < n && pts[k] == i) {
			out[o++] = '-';
			k++;
		}
		out[o++] = word[i];
	}
	out[o] = '\0';
	return out;
}

static void test_hyphenation(void)
{
	struct bk_style st = {0};
	const char *exc[] = {"Civil Ex-change", "octavo", "type-setter"};
	st.hyphenation = exc;
	st.nhyphenation = 3;
	struct diag d;
	diag_init(&d, stderr);
	struct tx_hyph *h = tx_hyph_load("en-GB", &st, &d);
	/* Known points from the en-GB patterns, with at least 2 letters
	 * before and 3 after every break. */
	static const char *const words[][2] = {
		{"partnership", "part-ner-ship"},
		{"government", "gov-ern-ment"},
		{"organisations", "or-gan-isa-tions"},
		{"independence", "in-de-pend-ence"},
		{"commissioning", "com-mis-sion-ing"},
		{"voluntary", "vol-un-tary"},
		{"the", "the"},                       /* too short */
		{"ideas", "ideas"},                   /* 2 + 3 leaves no room */
		{"London", "London"},                 /* a name: capitals are left alone */
		{"2011-2015", "2011-2015"},           /* numbers */
		{"www.example.org", "www.example.org"}, /* addresses */
		{"typesetter", "type-setter"},        /* the style's exception wins */
		{"octavo", "octavo"},                 /* an exception without hyphens: never */
		{"(partnership),", "(part-ner-ship),"}, /* punctuation kept whole */
	};
	char buf[128];
	for (size_t i = 0; i < ARRAY_LEN(words); i++) {
		const char *got = unit_hyphenated(h, words[i][0], strlen(words[i][0]), buf,
						  sizeof(buf));
		CHECK(!strcmp(got, words[i][1]), "hyphenate %s: got %s, want %s", words[i][0], got,
		      words[i][1]);
	}
	tx_hyph_free(h);
}

/* Other languages: UTF-8 letters, capitalised German nouns, the
 * dictionaries' character sets (German's is ISO 8859-1, French's and
 * Spanish's UTF-8), and the tags' regional fallbacks. */
static void test_hyphenation_languages(void)
{
	struct bk_style st = {0};
	struct diag d;
	diag_init(&d, stderr);
	static const struct {
		const char *lang, *word, *want;
	} cases[] = {
		/* libhyphen's own answer, with our 2 + 3 letters kept */
		{"de", "Bundesverfassungsgerichtsentscheidung",
		 "Bun-des-ver-fas-sungs-ge-richts-ent-schei-dung"},
		{"de", "Übersetzung", "Über-set-zung"},           /* a capital beyond ASCII */
		{"de", "„Zuständigkeit“", "„Zu-stän-dig-keit“"}, /* offsets in bytes, quotes peeled */
		{"de", "Straße", "Straße"},                      /* 'ß' is one letter: 2 + 3 */
		{"de", "BUNDESREPUBLIK", "BUNDESREPUBLIK"},      /* an acronym's capitals */
		{"de-CH", "Zusammenarbeit", "Zu-sam-men-ar-beit"}, /* de_CH, else de_DE */
		{"de-AT", "Zusammenarbeit", "Zu-sam-men-ar-beit"},
		{"fr", "société", "so-ciété"},
		{"fr", "«décentralisation»", "«dé-cen-tra-li-sa-tion»"},
		{"fr", "l’organisation", "l’or-ga-ni-sa-tion"},  /* never beside the apostrophe */
		{"fr-CA", "subordination", "su-bor-di-na-tion"},
		{"es", "alfabetización", "al-fa-be-ti-za-ción"},
		{"es-MX", "corresponsabilidad", "co-rres-pon-sa-bi-li-dad"},
		/* English: a capital marks a name, left whole */
		{"en-GB", "Commissioning", "Commissioning"},
		{"en-GB", "“partnership”", "“part-ner-ship”"},
	};
	char buf[256];
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct tx_hyph *h = tx_hyph_load(cases[i].lang, &st, &d);
		const char *got = unit_hyphenated(h, cases[i].word, strlen(cases[i].word), buf,
						  sizeof(buf));
		CHECK(!strcmp(got, cases[i].want), "hyphenate %s (%s): got %s, want %s",
		      cases[i].word, cases[i].lang, got, cases[i].want);
		tx_hyph_free(h);
	}
}

/* A small book's patterns (only those that can act on its words) give the
 * words of path exactly what the whole file of lang gives, and the words
 * of others (not in path) the whole file's answer too. lang must be one
 * no other test loads whole before. */
static void check_small_patterns(const char *lang, const char *path,
				 const char *const *others, size_t nothers, size_t min_broken)
{
	struct bk_style st = {0};
	struct diag d;
	diag_init(&d, stderr);
	size_t len = 0;
	char *text = read_file(path, &len);
	CHECK(text != NULL, "read %s for its words", path);
	if (!text)
		return;
	struct tx_words *w = tx_words_new();
	tx_words_add(w, text, len);
	CHECK(tx_words_bytes(w) == len, "tx_words_bytes counts the text given");
	tx_hyph_preload_words(lang, w);
	struct tx_hyph *small = tx_hyph_load(lang, &st, &d);
	char **got = xcalloc(len + nothers + 1, sizeof(char *));
	char **words = xcalloc(len + nothers + 1, sizeof(char *));
	size_t n = 0;
	char buf[256];
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && text[j] != ' ' && text[j] != '\n')
			j++;
		if (j > i && j - i < 100)
			words[n++] = xstrndup(text + i, j - i);
		i = j + 1;
	}
	for (size_t i = 0; i < nothers; i++)
		words[n++] = xstrdup(others[i]);
	for (size_t i = 0; i < n; i++)
		got[i] = xstrdup(unit_hyphenated(small, words[i], strlen(words[i]), buf,
						  sizeof(buf)));
	/* Now the whole file (loaded for the words the text lacks). */
	struct tx_hyph *whole = tx_hyph_load(lang, &st, &d);
	size_t differ = 0, broken = 0;
	for (size_t i = 0; i < n; i++) {
		const char *want = unit_hyphenated(whole, words[i], strlen(words[i]), buf,
						  sizeof(buf));
		if (strcmp(got[i], want)) {
			if (!differ)
				fprintf(stderr, "  %s: small %s, whole %s\n", words[i], got[i], want);
			differ++;
		}
		broken += strchr(got[i], '-') != NULL && !strchr(words[i], '-');
		free(got[i]);
		free(words[i]);
	}
	CHECK(differ == 0 && broken > min_broken,
	      "%s: small-book patterns hyphenate %zu words as the whole file does (%zu differ, "
	      "%zu hyphenated)",
	      lang, n, differ, broken);
	free(got);
	free(words);
	tx_hyph_free(small);
	tx_hyph_free(whole);
	free(text);
}

static void test_small_patterns(void)
{
	static const char *const en[] = {"commissioning", "independence", "hyphenation",
					 "typesetting", "accountability", "neighbourhood"};
	check_small_patterns("en-ZA", "manuscript/01-partnership.md", en, ARRAY_LEN(en), 50);
	/* German's patterns are ISO 8859-1 and its nouns capitalised;
	 * French's are UTF-8, with apostrophes. */
	static const char *const de[] = {"Bundesverfassungsgerichtsentscheidung",
					 "Straßenverkehrsordnung", "Öffentlichkeit",
					 "Müllabfuhr", "Grundgesetz", "„Verhältnismäßigkeit“"};
	check_small_patterns("de-LU", "tests/books/de/essay.md", de, ARRAY_LEN(de), 40);
	static const char *const fr[] = {"anticonstitutionnellement", "l’hébergement",
					 "Développement", "«responsabilité»", "œuvre",
					 "aujourd’hui"};
	check_small_patterns("fr-LU", "tests/books/fr/essay.md", fr, ARRAY_LEN(fr), 30);
}

/* Shaping: widths are HarfBuzz's advances (kerning included), ligatures
 * come back as U+FB00-FB04, and each word is shaped once. */
static void test_shaping(void)
{
	struct diag d;
	diag_init(&d, stderr);
	struct book *b = book_load("tests/golden/small", ".", &d);
	CHECK(b != NULL, "book for shaping");
	if (!b)
		return;
	struct tx_fonts *f = tx_fonts_load(&b->style, "en-GB", &d);
	CHECK(f != NULL, "fonts load");
	if (!f) {
		book_free(b);
		return;
	}
	/* Widths against HarfBuzz's own figures: the sum of its advances in
	 * 1/1000 em, within the truncation libharu's integer widths add. */
	static const char *const words[] = {"Typesetting", "AVA", "office", "Waffle,", "1,800"};
	hb_blob_t *blob = hb_blob_create_from_file(tx_font_path(f, TX_REGULAR));
	hb_face_t *face = hb_face_create(blob, 0);
	hb_font_t *font = hb_font_create(face);
	unsigned upem = hb_face_get_upem(face);
	hb_font_set_scale(font, (int)upem, (int)upem);
	for (size_t i = 0; i < ARRAY_LEN(words); i++) {
		hb_buffer_t *buf = hb_buffer_create();
		hb_buffer_add_utf8(buf, words[i], -1, 0, -1);
		hb_buffer_guess_segment_properties(buf);
		hb_feature_t fe[2];
		hb_feature_from_string("kern", -1, &fe[0]);
		hb_feature_from_string("liga", -1, &fe[1]);
		hb_shape(font, buf, fe, 2);
		unsigned n;
		hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
		double hbw = 0;
		for (unsigned k = 0; k < n; k++)
			hbw += pos[k].x_advance * 1000.0 / upem;
		const struct tx_word *w = tx_shape(f, TX_REGULAR, words[i], strlen(words[i]));
		CHECK(w->width <= hbw + 1e-6 && w->width > hbw - n, "%s: %.2f vs HarfBuzz %.2f",
		      words[i], w->width, hbw);
		hb_buffer_destroy(buf);
	}
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	const struct tx_word *office = tx_shape(f, TX_REGULAR, "office", 6);
	bool lig = false;
	for (size_t i = 0; i < office->npieces; i++) {
		lig |= memmem(office->pieces[i].text, office->pieces[i].len, "\xEF\xAC\x83", 3) != NULL;
		/* or the font's own ligature, drawn by its glyph number */
		const unsigned char *t = (const unsigned char *)office->pieces[i].text;
		for (size_t k = 0; k < office->pieces[i].len; k++) {
			uint32_t cp;
			const char *gt;
			if (utf8_decode(t + k, office->pieces[i].len - k, &cp) == 4 &&
			    cp >= TX_GLYPH_BASE &&
			    (gt = tx_glyph_text(f, office->pieces[i].face, cp - TX_GLYPH_BASE)))
				lig |= !strcmp(gt, "ffi");
		}
	}
	CHECK(lig, "'office' uses the ffi ligature (U+FB03 or the font's own, by number)");
	const struct tx_word *it = tx_shape(f, TX_ITALIC, "office", 6);
	CHECK(it->width != office->width, "italic is measured with its own face");
	struct tx_stats st1, st2;
	tx_stats(f, &st1);
	tx_shape(f, TX_REGULAR, "office", 6);
	tx_stats(f, &st2);
	CHECK(st2.shaped == st1.shaped && st2.lookups == st1.lookups + 1,
	      "a word already shaped is not shaped again");
	const struct tx_word *one = tx_shape(f, TX_REGULAR, "typesetting", 11);
	const struct tx_word *p1 = tx_shape(f, TX_REGULAR, "type", 4);
	const struct tx_word *p2 = tx_shape(f, TX_REGULAR, "setting", 7);
	CHECK(fabs(one->width - (p1->width + p2->width)) < 60,
	      "a word's width is near the sum of its parts: %.1f vs %.1f", one->width,
	      p1->width + p2->width);
	tx_fonts_free(f);
	book_free(b);
}

/* The EPUB's non-breaking spaces: "10 km" but not "12 per centre". */
static void test_nbsp(void)
{
	static const struct {
		const char *text, *at; /* the space after 'at' must be bound, or not */
		bool bound;
	} cases[] = {
		{"a walk of 10 km today", "10", true},
		{"at 9 a.m. sharp", "9", true},
		{"about 8 per cent of", "8", true},
		{"about 8 per cent of", "per", true},
		{"12 per centre", "12", false},
		{"raised £2.4 million", "£2.4", false},
		{"Mr Smith came", "Mr", true},
		{"the Mr smith case", "Mr", false},
		{"St Albans", "St", true},
		{"see pp. 12–18", "pp.", true},
		{"item No. 5 here", "No.", true},
		{"words – a dash", "words", true},
		{"plain words here", "plain", false},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *t = cases[i].text;
		size_t n = strlen(t);
		bool *nb = xcalloc(n + 1, sizeof(bool));
		epub_nbsp(t, n, nb);
		const char *at = strstr(t, cases[i].at);
		size_t sp = (size_t)(at - t) + strlen(cases[i].at);
		CHECK(t[sp] == ' ' && nb[sp] == cases[i].bound, "nbsp after '%s' in '%s': %d",
		      cases[i].at, t, nb[sp]);
		free(nb);
	}
}

/* Compares text with the golden file path; with UPDATE_GOLDEN=1 in the
 * environment, rewrites the file instead. */
static void golden(const char *path, const char *text, size_t len)
{
	if (getenv("UPDATE_GOLDEN")) {
		write_file_atomic(path, text, len);
		return;
	}
	size_t glen;
	char *want = read_file(path, &glen);
	bool same = want && glen == len && !memcmp(want, text, len);
	if (!same) {
		char tmp[256];
		snprintf(tmp, sizeof(tmp), "/tmp/octavo-golden-%s", strrchr(path, '/') + 1);
		write_file_atomic(tmp, text, len);
		CHECK(false, "%s differs: see diff -u %s %s", path, path, tmp);
	} else {
		CHECK(true, "golden");
	}
	free(want);
}

/* The small golden book through the whole layout: the page dump and the
 * line-by-line breaks, as text, against the expected files. */
static void test_golden(void)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load("tests/golden/small", ".", &d);
	CHECK(b != NULL, "golden book loads");
	if (!b)
		return;
	struct tx_fonts *f = tx_fonts_load(&b->style, b->meta.language, &d);
	struct pg_doc *doc = f ? pg_compose(b, f, &d) : NULL;
	CHECK(doc != NULL, "golden book lays out");
	if (doc) {
		char *buf;
		size_t len;
		FILE *m = open_memstream(&buf, &len);
		pg_dump(doc, m);
		fclose(m);
		golden("tests/golden/small.pages", buf, len);
		free(buf);
		m = open_memstream(&buf, &len);
		pg_report(doc, m, true);
		fclose(m);
		golden("tests/golden/small.lines", buf, len);
		free(buf);
		struct pg_stats st;
		pg_stats(doc, &st);
		CHECK(st.overfull == 0 && st.widows == 0 && st.orphans == 0 && st.longest_ladder <= 2,
		      "golden book: %zu overfull, %zu widows, %zu orphans, ladder %d", st.overfull,
		      st.widows, st.orphans, st.longest_ladder);
	}
	pg_doc_free(doc);
	tx_fonts_free(f);
	book_free(b);
}

/* Control characters, bidi overrides and bytes that are not UTF-8 are
 * shown escaped in messages; other text, accents included, as it is. */
static void test_term_escape(void)
{
	static const char *const cases[][2] = {
		{"x\033]0;pwned\007\033[2J.md", "x\\x1b]0;pwned\\x07\\x1b[2J.md"},
		{"tab\there", "tab\\x09here"},
		{"c1 \xc2\x9b and raw \x9b", "c1 \\u009b and raw \\x9b"},
		{"rlo \xe2\x80\xae", "rlo \\u202e"},
		{"caf\xc3\xa9 \xe2\x80\x94 ok", "caf\xc3\xa9 \xe2\x80\x94 ok"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_add_term(&sb, cases[i][0], strlen(cases[i][0]));
		CHECK(!strcmp(sb.buf, cases[i][1]), "sb_add_term case %zu: got '%s'", i, sb.buf);
		sb_release(&sb);
	}
}

/* util's hash table (issue 12): the contract in util.h. */
static void test_hmap(void)
{
	struct hmap m = HMAP_INIT;
	CHECK(hmap_get(&m, "a", 1) == NULL, "an empty table finds nothing");
	static char keys[3000][16];
	int vals[3000], refused = 0;
	for (int i = 0; i < 3000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		vals[i] = i;
		refused += !hmap_put(&m, keys[i], strlen(keys[i]), &vals[i]);
	}
	CHECK(refused == 0, "3000 new keys are stored (%d refused)", refused);
	CHECK(m.n == 3000 && 2 * m.n <= m.cap, "3000 entries, at most half full: %zu of %zu",
	      m.n, m.cap);
	int other = -1, bad = 0;
	CHECK(!hmap_put(&m, "k7", 2, &other), "a second put of a key fails");
	for (int i = 0; i < 3000; i++)
		bad += hmap_get(&m, keys[i], strlen(keys[i])) != &vals[i];
	CHECK(bad == 0, "every key finds its value after growing (%d wrong)", bad);
	CHECK(hmap_get(&m, "k12", 2) == &vals[1], "a key is its len bytes: 'k1' of 'k12'");
	CHECK(hmap_get(&m, "k3000", 5) == NULL, "an absent key finds nothing");
	CHECK(hash_fnv1a("", 0) == UINT64_C(0xcbf29ce484222325) &&
	      hash_fnv1a("a", 1) == UINT64_C(0xaf63dc4c8601ec8c), "FNV-1a's published values");
	const char nul[] = {'x', 0, 'y'};
	CHECK(hmap_put(&m, nul, 3, &other) && hmap_get(&m, nul, 3) == &other &&
	      hmap_get(&m, "x", 1) == NULL, "keys may hold NULs");
	hmap_release(&m);
	CHECK(m.n == 0 && hmap_get(&m, "k1", 2) == NULL, "released, the table is empty");
}

/* sb_add_xml, the one XML escaper (EPUB and XMP): escapes, and drops
 * or replaces what XML 1.0 forbids. */
static void test_xml_escape(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"a & b < c > d \" e ' f", "a &amp; b &lt; c &gt; d &quot; e ' f"},
		{"bell\x07 esc\x1b nul-free\x01 tab\tlf\ncr\r", "bell esc nul-free tab\tlf\ncr\r"},
		{"no\xEF\xBF\xBEn\xEF\xBF\xBF" "char", "nonchar"},
		{"caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x93\x96",
		 "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x93\x96"},
		{"sur\xED\xA0\x80", "sur\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
		{"cut\xC3", "cut\xEF\xBF\xBD"},
		{"del\x7F", "del\x7F"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_add_xml(&sb, cases[i].in, strlen(cases[i].in));
		CHECK(!strcmp(sb.buf, cases[i].want), "sb_add_xml case %zu: got '%s'", i, sb.buf);
		sb_release(&sb);
	}
	struct strbuf sb = STRBUF_INIT;
	sb_add_xml(&sb, NULL, 0);
	CHECK(sb.len == 0, "sb_add_xml of nothing adds nothing");
	sb_release(&sb);
}

/* The lean layout (a build's: no per-line records) sets the same pages as
 * the full one: same page count, the same text on every page (text_hash),
 * the same line counts, and every page labelled - the invariants layout.h
 * states of any doc. */
static void test_lean_layout(void)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = true;
	struct book *b = book_load("tests/golden/small", ".", &d);
	CHECK(b != NULL, "lean: golden book loads");
	if (!b)
		return;
	struct tx_fonts *f = tx_fonts_load(&b->style, b->meta.language, &d);
	struct pg_doc *full = f ? pg_compose(b, f, &d) : NULL;
	struct pg_doc *lean = f ? pg_compose_lean(b, f, &d) : NULL;
	CHECK(full && lean, "lean: both layouts made");
	if (full && lean) {
		bool same = full->npages == lean->npages && full->lines == lean->lines &&
			    full->overfull == lean->overfull &&
			    full->hyphenated == lean->hyphenated &&
			    full->front_pages == lean->front_pages && full->nmarks == lean->nmarks;
		for (size_t i = 0; same && i < full->npages; i++)
			same = full->pages[i].text_hash == lean->pages[i].text_hash &&
			       full->pages[i].label && lean->pages[i].label &&
			       !strcmp(full->pages[i].label, lean->pages[i].label);
		CHECK(same, "lean: the same pages as the full layout (%zu and %zu pages)",
		      full->npages, lean->npages);
		CHECK(lean->nlinev == 0 && full->nlinev == full->lines,
		      "lean: no line records (%zu), full: one per line (%zu of %zu)", lean->nlinev,
		      full->nlinev, full->lines);
	}
	pg_doc_free(full);
	pg_doc_free(lean);
	tx_fonts_free(f);
	book_free(b);
}

int main(void)
{
	test_front_matter();
	test_walker();
	test_breaker();
	test_hyphenation();
	test_hyphenation_languages();
	test_small_patterns();
	test_shaping();
	test_nbsp();
	test_golden();
	test_term_escape();
	test_hmap();
	test_xml_escape();
	test_lean_layout();
	for (int i = 0; i < nregistered; i++)
		registered[i].fn();
	passed += unit_passed;
	failed += unit_failed;
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
