/*
 * kinds.c - the book model (kinds.h): the kinds of part, their places,
 * and the parts octavo writes itself.
 *
 * Places follow the Chicago Manual's order of a book's divisions: half
 * title, title, copyright, dedication, epigraph, contents, foreword,
 * preface (all front matter, roman folios); introduction, parts and
 * chapters (main matter, arabic from 1); afterword, acknowledgements,
 * appendixes, notes on contributors, bibliography, colophon (back matter,
 * the arabic numbers going on). EPUB types are the EPUB 3 Structural
 * Semantics Vocabulary's; roles DPUB-ARIA 1.1's (none for a half-title or
 * the contributors, which it lacks).
 */
#include "book-int.h"
#include "kinds.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ===== the table ======================================================= */

/* name, matter, flexible, before_contents, folio, shown_title, centred,
 * may_be_empty, in_contents, epub:type, role */
static const struct bk_kind kinds[BK_NPART_KINDS] = {
    [BK_PART_ESSAY] = {"essay", BK_MATTER_MAIN, false, false, true, true, false, false, true,
		       "chapter", "doc-chapter"},
    [BK_PART_PREFACE] = {"preface", BK_MATTER_FRONT, false, false, true, true, false, false,
			 true, "preface", "doc-preface"},
    [BK_PART_HALF_TITLE] = {"half-title", BK_MATTER_FRONT, true, false, false, true, true, true,
			    false, "halftitlepage", NULL},
    [BK_PART_DEDICATION] = {"dedication", BK_MATTER_FRONT, false, true, false, false, true,
			    false, false, "dedication", "doc-dedication"},
    [BK_PART_EPIGRAPH] = {"epigraph", BK_MATTER_FRONT, true, true, false, false, true, false,
			  false, "epigraph", "doc-epigraph"},
    [BK_PART_FOREWORD] = {"foreword", BK_MATTER_FRONT, false, false, true, true, false, false,
			  true, "foreword", "doc-foreword"},
    [BK_PART_INTRODUCTION] = {"introduction", BK_MATTER_MAIN, false, false, true, true, false,
			      false, true, "introduction", "doc-introduction"},
    [BK_PART_DIVIDER] = {"part", BK_MATTER_MAIN, false, false, false, true, true, true, true,
			 "part", "doc-part"},
    [BK_PART_AFTERWORD] = {"afterword", BK_MATTER_BACK, false, false, true, true, false, false,
			   true, "afterword", "doc-afterword"},
    [BK_PART_ACKNOWLEDGEMENTS] = {"acknowledgements", BK_MATTER_BACK, true, false, true, true,
				  false, false, true, "acknowledgments", "doc-acknowledgments"},
    [BK_PART_CONTRIBUTORS] = {"contributors", BK_MATTER_BACK, false, false, true, true, false,
			      true, true, "contributors", NULL},
    [BK_PART_APPENDIX] = {"appendix", BK_MATTER_BACK, false, false, true, true, false, false,
			  true, "appendix", "doc-appendix"},
    [BK_PART_BIBLIOGRAPHY] = {"bibliography", BK_MATTER_BACK, false, false, true, true, false,
			      false, true, "bibliography", "doc-bibliography"},
    [BK_PART_COLOPHON] = {"colophon", BK_MATTER_BACK, false, false, false, false, true, true,
			  false, "colophon", "doc-colophon"},
};

const struct bk_kind *bk_kind_of(enum bk_part_kind k)
{
	return (unsigned)k < BK_NPART_KINDS ? &kinds[k] : &kinds[BK_PART_ESSAY];
}

int bk_kind_parse(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "chapter"))
		return BK_PART_ESSAY;
	if (!strcmp(name, "acknowledgments")) /* the American spelling */
		return BK_PART_ACKNOWLEDGEMENTS;
	for (int k = 0; k < BK_NPART_KINDS; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

const char *bk_kind_names(void)
{
	return "half-title, dedication, epigraph, foreword, preface, introduction, essay "
	       "(or chapter), part, afterword, acknowledgements, contributors, appendix, "
	       "bibliography, colophon";
}

bool bk_has_kind(const struct book *b, enum bk_part_kind k)
{
	for (size_t i = 0; i < b->nparts; i++)
		if (b->parts[i].kind == k)
			return true;
	return false;
}

/* ===== titles in the book's language =================================== */

/* Default titles by kind (BK_NPART_KINDS: the end-notes' heading); the
 * kinds whose title is never printed still name their entry in the EPUB's
 * navigation and the PDF's outline. */
static const struct {
	const char *lang;
	const char *t[BK_NPART_KINDS + 1];
} titles[] = {
    {"en",
     {"Chapter", "Preface", "Half-title", "Dedication", "Epigraph", "Foreword", "Introduction",
      "Part", "Afterword", "Acknowledgements", "Notes on contributors", "Appendix",
      "Bibliography", "Colophon", "Notes"}},
    {"de",
     {"Kapitel", "Vorwort", "Schmutztitel", "Widmung", "Motto", "Geleitwort", "Einleitung",
      "Teil", "Nachwort", "Danksagung", "Die Autorinnen und Autoren", "Anhang",
      "Literaturverzeichnis", "Kolophon", "Anmerkungen"}},
    {"fr",
     {"Chapitre", "Préface", "Faux-titre", "Dédicace", "Épigraphe", "Avant-propos",
      "Introduction", "Partie", "Postface", "Remerciements", "Les auteurs", "Annexe",
      "Bibliographie", "Colophon", "Notes"}},
    {"es",
     {"Capítulo", "Prefacio", "Anteportada", "Dedicatoria", "Epígrafe", "Prólogo",
      "Introducción", "Parte", "Epílogo", "Agradecimientos", "Sobre los autores", "Apéndice",
      "Bibliografía", "Colofón", "Notas"}},
    {"it",
     {"Capitolo", "Prefazione", "Occhiello", "Dedica", "Epigrafe", "Premessa", "Introduzione",
      "Parte", "Postfazione", "Ringraziamenti", "Gli autori", "Appendice", "Bibliografia",
      "Colophon", "Note"}},
    {"nl",
     {"Hoofdstuk", "Voorwoord", "Franse titel", "Opdracht", "Motto", "Ten geleide",
      "Inleiding", "Deel", "Nawoord", "Dankwoord", "Over de auteurs", "Bijlage",
      "Bibliografie", "Colofon", "Noten"}},
    {"sv",
     {"Kapitel", "Förord", "Smutstitel", "Dedikation", "Motto", "Inledande ord", "Inledning",
      "Del", "Efterord", "Tack", "Om författarna", "Bilaga", "Litteraturförteckning",
      "Kolofon", "Noter"}},
    {"da",
     {"Kapitel", "Forord", "Smudstitel", "Dedikation", "Motto", "Indledende ord",
      "Indledning", "Del", "Efterord", "Tak", "Om forfatterne", "Bilag", "Litteraturliste",
      "Kolofon", "Noter"}},
    {"pl",
     {"Rozdział", "Przedmowa", "Przedtytuł", "Dedykacja", "Motto", "Słowo wstępne",
      "Wprowadzenie", "Część", "Posłowie", "Podziękowania", "O autorach", "Aneks",
      "Bibliografia", "Kolofon", "Przypisy"}},
    {"cs",
     {"Kapitola", "Předmluva", "Patitul", "Věnování", "Motto", "Úvodní slovo", "Úvod", "Část",
      "Doslov", "Poděkování", "O autorech", "Příloha", "Bibliografie", "Tiráž",
      "Poznámky"}},
    /* Russian and Ukrainian: the half-title is the avantitul (a
     * shmutstitul divides the book); the colophon is the imprint page's
     * "output data". */
    {"ru",
     {"Глава", "Предисловие", "Авантитул", "Посвящение", "Эпиграф", "Вступительное слово",
      "Введение", "Часть", "Послесловие", "Благодарности", "Об авторах", "Приложение",
      "Библиография", "Выходные данные", "Примечания"}},
    {"uk",
     {"Розділ", "Передмова", "Авантитул", "Присвята", "Епіграф", "Вступне слово", "Вступ",
      "Частина", "Післямова", "Подяки", "Про авторів", "Додаток", "Бібліографія",
      "Вихідні дані", "Примітки"}},
    {"el",
     {"Κεφάλαιο", "Πρόλογος", "Ψευδότιτλος", "Αφιέρωση", "Μότο", "Προλογικό σημείωμα",
      "Εισαγωγή", "Μέρος", "Επίλογος", "Ευχαριστίες", "Οι συγγραφείς", "Παράρτημα",
      "Βιβλιογραφία", "Κολοφώνας", "Σημειώσεις"}},
};

const char *bk_kind_title(const struct book *b, enum bk_part_kind k)
{
	const char *lang = b->meta.language ? b->meta.language : "en";
	size_t at = 0;
	for (size_t i = 0; i < ARRAY_LEN(titles); i++) {
		size_t n = strlen(titles[i].lang);
		if (!strncmp(lang, titles[i].lang, n) && (lang[n] == 0 || lang[n] == '-'))
			at = i;
	}
	return titles[at].t[(unsigned)k <= BK_NPART_KINDS ? k : BK_NPART_KINDS];
}

/* ===== places ========================================================== */

static bool in_front(const struct book *b, size_t i, size_t first_main)
{
	const struct bk_kind *k = bk_kind_of(b->parts[i].kind);
	if (k->matter == BK_MATTER_FRONT && !k->flexible)
		return true;
	return k->flexible && i < first_main;
}

size_t *bk_reading_order(const struct book *b)
{
	size_t *v = xcalloc(b->nparts + 1, sizeof(*v));
	size_t n = 0;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < b->nparts; i++) {
			const struct bk_part *p = &b->parts[i];
			bool before = bk_kind_of(p->kind)->before_contents;
			if ((pass == 0 && p->front && before) || (pass == 1 && p->front && !before) ||
			    (pass == 2 && !p->front))
				v[n++] = i;
		}
	return v;
}

size_t bk_book_notes_at(const struct book *b, const size_t *order)
{
	size_t notes = 0;
	for (size_t i = 0; i < b->nparts; i++)
		notes += b->parts[i].nnotes;
	if (b->style.notes != BK_NOTES_BOOK_END || !notes)
		return SIZE_MAX;
	for (size_t r = 0; r < b->nparts; r++) {
		const struct bk_part *p = &b->parts[order[r]];
		if (!p->front && (p->kind == BK_PART_CONTRIBUTORS || p->kind == BK_PART_BIBLIOGRAPHY ||
				  p->kind == BK_PART_COLOPHON))
			return r;
	}
	return b->nparts;
}

/* "I", "II", ... for a divider's number. */
static const char *upper_roman(struct arena *a, int n)
{
	static const char *const ones[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII",
					   "IX"};
	static const char *const tens[] = {"", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX",
					   "XC"};
	if (n <= 0 || n >= 100)
		return ar_printf(a, "%d", n);
	return ar_printf(a, "%s%s", tens[n / 10], ones[n % 10]);
}

/* ===== the parts octavo writes ========================================= */

/* A span of text s (NUL-terminated) with style bits, written into an
 * empty part: it stands at the part file's first line and column, as its
 * block does (every span has a place in book.h's contract). */
static struct bk_span text_span(const char *s, unsigned style)
{
	return (struct bk_span){.kind = BK_SPAN_TEXT, .style = style, .text = s, .len = strlen(s),
				.link = -1, .note = -1, .line = 1, .col = 1};
}

/* A contributor and the name they are listed by: 'author-file-as', else
 * the name's last word first ("Okonkwo, Ada"), as the notes are sorted by
 * surname. */
struct contributor {
	const struct bk_part *p;
	const char *key;
};

static const char *sort_key(struct arena *a, const struct bk_part *p)
{
	if (p->author_file_as)
		return p->author_file_as;
	const char *sp = strrchr(p->author, ' ');
	if (!sp || !sp[1])
		return p->author;
	return ar_printf(a, "%s, %.*s", sp + 1, (int)(sp - p->author), p->author);
}

static int by_sort_name(const void *x, const void *y)
{
	const struct contributor *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->p < b->p ? -1 : a->p > b->p);
}

/* Notes on contributors: one paragraph per author of an essay, sorted by
 * name as filed, each the name in bold and its 'bio' (or 'role'). An
 * author of several essays is listed once, with the first bio given. */
static void write_contributors(struct book *b, struct bk_part *p, struct diag *d)
{
	struct contributor *v = xcalloc(b->nparts + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *e = &b->parts[i];
		if (!e->author || e == p || e->kind == BK_PART_CONTRIBUTORS)
			continue;
		size_t k = 0;
		while (k < n && strcmp(v[k].p->author, e->author))
			k++;
		if (k == n)
			v[n++] = (struct contributor){e, sort_key(&b->arena, e)};
		else if (!v[k].p->bio && e->bio)
			v[k].p = e;
	}
	if (!n) {
		diag_warning(d, p->path, 1, 1,
			     "the contributors part is empty and no part names an 'author'");
		diag_hint(d, "give each essay 'author:' and 'bio:' in its front matter, or write "
			     "the notes in the file");
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), by_sort_name);
	p->blocks = ar_alloc(&b->arena, n * sizeof(*p->blocks));
	for (size_t i = 0; i < n; i++) {
		const struct bk_part *e = v[i].p;
		const char *more = e->bio ? e->bio : e->role;
		struct bk_span *sp = ar_alloc(&b->arena, 2 * sizeof(*sp));
		size_t ns = 0, an = strlen(e->author);
		/* "Ada Okonkwo has been...": the name in the bio is the one set
		 * in bold; else the name, a full stop, the bio. */
		if (more && !strncmp(more, e->author, an) && more[an]) {
			sp[ns++] = text_span(ar_strndup(&b->arena, more, an), BK_STRONG);
			sp[ns++] = text_span(more + an, 0);
		} else {
			sp[ns++] = text_span(e->author, BK_STRONG);
			if (more)
				sp[ns++] = text_span(ar_printf(&b->arena, ". %s", more), 0);
		}
		if (!e->bio && e->kind == BK_PART_ESSAY)
			diag_warning(d, e->path, 1, 1,
				     "'%s' has no 'bio' for the notes on contributors%s",
				     e->author, e->role ? "; their role stands in" : "");
		p->blocks[i] = (struct bk_block){.kind = BK_PARA, .spans = sp, .nspans = ns,
						 .line = 1, .col = 1};
	}
	p->nblocks = n;
	free(v);
}

/* The colophon's default: what the book is set in, from the style's own
 * fonts, sizes and leading. */
static void write_colophon(struct book *b, struct bk_part *p)
{
	const struct bk_style *st = &b->style;
	const char *fam[4];
	const char *s = bk_colophon(b, &b->arena, fam, bk_font_families(st, fam, &b->arena),
				    st->body_size, st->body_leading);
	struct bk_span *sp = ar_alloc(&b->arena, sizeof(*sp));
	*sp = text_span(s, 0);
	p->blocks = ar_alloc(&b->arena, sizeof(*p->blocks));
	p->blocks[0] = (struct bk_block){.kind = BK_PARA, .spans = sp, .nspans = 1, .line = 1,
					 .col = 1};
	p->nblocks = 1;
}

/* ===== after the parts are read ======================================== */

/* The ids of the headings in v (n blocks, and their kids) that begin
 * with the part's old id and a '-': that stem replaced by the new id. */
static void rename_ids(struct arena *a, struct bk_block *v, size_t n, const char *old,
		       size_t oldlen, const char *id)
{
	for (size_t i = 0; i < n; i++) {
		struct bk_block *h = &v[i];
		if (h->id && !strncmp(h->id, old, oldlen) && h->id[oldlen] == '-')
			h->id = ar_printf(a, "%s%s", id, h->id + oldlen);
		rename_ids(a, h->kids, h->nkids, old, oldlen, id);
	}
}

/*
 * Gives part p the id id (arena-owned), where the loader's (from
 * book.yaml's kinds) differs: its headings' ids, which begin with the
 * part's, follow, and its names are indexed again so that a link by the
 * editions' id finds them. Ids stay unique: each part's stem is its own
 * and a stem is its kind and its place ("dedication-1", "essay-02").
 */
static void rename_part(struct book *b, struct bk_part *p, const char *id)
{
	if (!p->id || !strcmp(p->id, id))
		return;
	rename_ids(&b->arena, p->blocks, p->nblocks, p->id, strlen(p->id), id);
	for (size_t k = 0; k < p->nnotes; k++)
		rename_ids(&b->arena, p->notes[k].kids, p->notes[k].nkids, p->id, strlen(p->id),
			   id);
	p->id = id;
	bk_index_anchors(&b->arena, p);
}

void bk_kinds_finish(struct book *b, struct diag *d)
{
	size_t first_main = b->nparts;
	for (size_t i = 0; i < b->nparts && first_main == b->nparts; i++)
		if (bk_kind_of(b->parts[i].kind)->matter == BK_MATTER_MAIN)
			first_main = i;
	int dividers = 0, essays = 0;
	size_t divider = 0; /* the divider + 1 the main matter is under */
	for (size_t i = 0; i < b->nparts; i++) {
		struct bk_part *p = &b->parts[i];
		const struct bk_kind *k = bk_kind_of(p->kind);
		p->front = in_front(b, i, first_main);
		/* Essays are numbered again: a front matter's 'kind' may have
		 * made an essay something else (their ids stay as given). */
		p->number = p->kind == BK_PART_ESSAY ? ++essays : 0;
		if (p->kind == BK_PART_DIVIDER) {
			p->label = ar_printf(&b->arena, "%s %s", bk_kind_title(b, p->kind),
					     upper_roman(&b->arena, ++dividers));
			divider = i + 1;
		} else if (k->matter == BK_MATTER_BACK && !p->front) {
			divider = 0; /* the back matter is under no part */
		}
		p->under = !p->front && p->kind != BK_PART_DIVIDER &&
				   (k->matter == BK_MATTER_MAIN)
			       ? (int)divider
			       : 0;
		if (p->kind == BK_PART_CONTRIBUTORS && !p->nblocks)
			write_contributors(b, p, d);
		if (p->kind == BK_PART_COLOPHON && !p->nblocks)
			write_colophon(b, p);
		if (!p->title)
			p->title = p->kind == BK_PART_HALF_TITLE ? b->meta.title
								 : bk_kind_title(b, p->kind);
		/* A kind given by the front matter alone: the part's id, and
		 * its headings', say it too ("dedication-1", not "essay-01"),
		 * and the essays after it keep their numbers in their ids. */
		rename_part(b, p, p->kind == BK_PART_ESSAY
					  ? ar_printf(&b->arena, "essay-%02d", p->number)
					  : ar_printf(&b->arena, "%s-%zu", k->name, i + 1));
	}
}

/* ===== the style's notes =============================================== */

void bk_style_notes(struct bk_style *st, const struct ynode *n, const char *path,
		    struct diag *d)
{
	const struct ynode *v = n && n->kind == Y_SCALAR ? n : ymap_get(n, "place");
	if (!v)
		return;
	static const char *const names[] = {"footnotes", "chapter-end", "book-end"};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (v->kind == Y_SCALAR && !strcmp(v->str, names[i])) {
			st->notes = (enum bk_notes)i;
			return;
		}
	diag_error(d, path, v->line, v->col,
		   "notes' 'place' must be footnotes, chapter-end or book-end");
}
