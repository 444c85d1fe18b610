/*
 * tag.c - a tagged PDF, as PDF/UA-1 (ISO 14289-1) asks: every piece of a
 * page is marked content with an MCID that one structure element holds,
 * or an artifact; the structure tree follows the book in reading order
 * (Document, a Sect per front-matter page and per part, headings,
 * paragraphs, lists, tables, figures with their alt text, notes after
 * the paragraph that cites them, links holding their annotations); the
 * parent tree maps each MCID and annotation back to its element.
 *
 * The layout says where each piece came from (struct pg_tag, layout.h);
 * the tree is made here from that and the book's blocks.
 *
 * libharu 2.3.0 has no tagging API: the objects are made through its
 * object API (hpdf_objects.h: dictionaries and arrays); what reaches
 * inside its structs is in haru.c.
 */
#include "pdf-int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ===== runs: what carries an MCID ====================================== */

/* One marked-content sequence of the document: a run of a page's texts
 * (struct pg_tag) or one image. */
struct trun {
	const void *tag;
	const struct pg_image *img; /* an image's run; NULL for text */
	int32_t ref;
	uint8_t role;
	uint16_t lang;  /* PG_ROLE_WORD: as struct pg_tag's */
	int page;
	int mcid;       /* -1: an artifact */
	char *text;     /* PG_ROLE_WORD: its text (in tg->ar), for /ActualText */
	HPDF_Dict elem; /* the structure element holding its MCID, once claimed */
};

/* A tag's runs, in page order. */
struct tlist {
	size_t *v;
	size_t n, cap;
};

struct annot {
	HPDF_Annotation a;
	size_t page, link;
};

struct pdf_tagger {
	HPDF_Doc pdf;
	HPDF_MMgr mm;
	const struct book *b;
	const struct pg_doc *doc;
	double off;           /* the trim box's origin on the media box */
	HPDF_Page *pages;
	struct arena ar;      /* keys, texts, pending elements */
	struct trun *runs;
	size_t nruns, runs_cap;
	size_t *first;        /* per page: its first run (images, then texts); npages + 1 */
	size_t *nimg;         /* per page: its images' runs */
	int *nmcid;           /* per page: MCIDs used */
	struct hmap map;      /* tag pointer -> struct tlist */
	struct tlist *lists;  /* every tlist, to free */
	size_t nlists, lists_cap;
	struct annot *annots;
	size_t nannots, annots_cap;
	bool *note_done;      /* per note of the part being walked */
	int last_h;           /* the last heading level in the part being walked */
	const char *fig_alt;  /* the figure being walked: its alt and long description */
	size_t elems;         /* structure elements made */
};

static bool artifact_role(int role)
{
	return role == PG_ROLE_ARTIFACT || role == PG_ROLE_PAGINATION;
}

static struct tlist *tlist_of(struct pdf_tagger *tg, const void *tag, bool make)
{
	struct tlist *l = hmap_get(&tg->map, (const char *)&tag, sizeof(tag));
	if (l || !make)
		return l;
	/* The key is the pointer's bytes, kept in the arena. */
	const void **key = ar_alloc(&tg->ar, sizeof(*key));
	*key = tag;
	GROW(tg->lists, tg->lists_cap, tg->nlists + 1);
	size_t i = tg->nlists++;
	tg->lists[i] = (struct tlist){0};
	/* lists may move as it grows: store the index, not the pointer. */
	hmap_put(&tg->map, (const char *)key, sizeof(*key), (void *)(uintptr_t)(i + 1));
	return &tg->lists[i];
}

static struct tlist *list_get(struct pdf_tagger *tg, const void *tag)
{
	uintptr_t i = (uintptr_t)hmap_get(&tg->map, (const char *)&tag, sizeof(tag));
	return i ? &tg->lists[i - 1] : NULL;
}

static void add_run(struct pdf_tagger *tg, struct trun r)
{
	GROW(tg->runs, tg->runs_cap, tg->nruns + 1);
	size_t i = tg->nruns++;
	if (r.tag && !artifact_role(r.role)) {
		r.mcid = tg->nmcid[r.page]++;
		uintptr_t li = (uintptr_t)hmap_get(&tg->map, (const char *)&r.tag, sizeof(r.tag));
		if (!li) {
			tlist_of(tg, r.tag, true);
			li = (uintptr_t)hmap_get(&tg->map, (const char *)&r.tag, sizeof(r.tag));
		}
		struct tlist *l = &tg->lists[li - 1];
		GROW(l->v, l->cap, l->n + 1);
		l->v[l->n++] = i;
	} else {
		r.mcid = -1;
	}
	tg->runs[i] = r;
}

/* Adds text (n bytes of UTF-8, drawn in face) to sb as a reader reads it:
 * a glyph reached by its number (a ligature, a small capital) as the
 * letters it stands for, as its ToUnicode says, never as the private-use
 * code point the layout's text holds it by. */
static void add_letters(struct strbuf *sb, const struct tx_fonts *f, int face, const char *text,
			size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)text + i, n - i, &cp);
		if (m <= 0)
			break;
		if (cp >= TX_GLYPH_BASE && cp < TX_GLYPH_BASE + 65536) {
			sb_add(sb, text + from, i - from);
			const char *t = tx_glyph_text(f, (enum tx_face)face, cp - TX_GLYPH_BASE);
			if (t)
				sb_adds(sb, t);
			from = i + (size_t)m;
		}
		i += (size_t)m;
	}
	sb_add(sb, text + from, n - from);
}

struct pdf_tagger *pdf_tag_new(HPDF_Doc pdf, const struct book *b, const struct pg_doc *doc,
			       const struct tx_fonts *f, double off)
{
	struct pdf_tagger *tg = xcalloc(1, sizeof(*tg));
	tg->pdf = pdf;
	tg->mm = pdf_doc_mmgr(pdf);
	tg->b = b;
	tg->doc = doc;
	tg->off = off;
	ar_init(&tg->ar);
	size_t np = doc->npages;
	tg->first = xcalloc(np + 1, sizeof(size_t));
	tg->nimg = xcalloc(np + 1, sizeof(size_t));
	tg->nmcid = xcalloc(np + 1, sizeof(int));
	/* MCIDs in the order draw_page draws: images, then texts. */
	for (size_t p = 0; p < np; p++) {
		const struct pg_page *pg = &doc->pages[p];
		tg->first[p] = tg->nruns;
		for (size_t i = 0; i < pg->nimages; i++)
			add_run(tg, (struct trun){.tag = pg->images[i].tag, .img = &pg->images[i],
						  .page = (int)p});
		tg->nimg[p] = pg->nimages;
		for (size_t r = 0; r < pg->ntags; r++) {
			const struct pg_tag *t = &pg->tags[r];
			struct trun run = {.tag = t->tag, .ref = t->ref, .role = t->role,
					   .lang = t->lang, .page = (int)p};
			if (t->role == PG_ROLE_WORD) {
				size_t end = r + 1 < pg->ntags ? pg->tags[r + 1].from : pg->ntexts;
				struct strbuf sb = STRBUF_INIT;
				for (size_t k = t->from; k < end; k++)
					add_letters(&sb, f, pg->texts[k].face, pg->texts[k].text,
						    pg->texts[k].len);
				run.text = ar_strndup(&tg->ar, sb.buf, sb.len);
				sb_release(&sb);
			}
			add_run(tg, run);
		}
	}
	tg->first[np] = tg->nruns;
	return tg;
}

int pdf_tag_image(const struct pdf_tagger *tg, size_t page, size_t i)
{
	return tg->runs[tg->first[page] + i].mcid;
}

int pdf_tag_run(const struct pdf_tagger *tg, size_t page, size_t r, bool *pagination)
{
	const struct trun *t = &tg->runs[tg->first[page] + tg->nimg[page] + r];
	*pagination = t->role == PG_ROLE_PAGINATION;
	return t->mcid;
}

void pdf_tag_annot(struct pdf_tagger *tg, size_t page, size_t link, HPDF_Annotation a)
{
	GROW(tg->annots, tg->annots_cap, tg->nannots + 1);
	tg->annots[tg->nannots++] = (struct annot){a, page, link};
}

void pdf_tag_free(struct pdf_tagger *tg)
{
	if (!tg)
		return;
	for (size_t i = 0; i < tg->nlists; i++)
		free(tg->lists[i].v);
	free(tg->lists);
	hmap_release(&tg->map);
	free(tg->runs);
	free(tg->first);
	free(tg->nimg);
	free(tg->nmcid);
	free(tg->annots);
	free(tg->note_done);
	ar_release(&tg->ar);
	free(tg);
}

/* ===== strings ========================================================= */

HPDF_Binary pdf_text_string(HPDF_MMgr mm, const char *s, bool plain)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "\xFE\xFF", 2);
	size_t n = strlen(s);
	for (size_t i = 0; i < n && sb.len + 4 <= HPDF_LIMIT_MAX_STRING_LEN;) {
		uint32_t cp;
		int m = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (m < 0) {
			cp = 0xFFFD;
			m = 1;
		}
		i += (size_t)m;
		if (plain && (cp == '\t' || cp == '\n' || cp == '\r'))
			cp = ' ';
		if (plain && (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
			      (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE))
			continue;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
			char u[4] = {(char)(hi >> 8), (char)hi, (char)(lo >> 8), (char)lo};
			sb_add(&sb, u, 4);
		} else {
			char u[2] = {(char)(cp >> 8), (char)cp};
			sb_add(&sb, u, 2);
		}
	}
	HPDF_Binary r = HPDF_Binary_New(mm, (HPDF_BYTE *)sb.buf, (HPDF_UINT)sb.len);
	sb_release(&sb);
	return r;
}

static HPDF_Binary text_string(HPDF_MMgr mm, const char *s)
{
	return pdf_text_string(mm, s, false);
}

/* ===== structure elements ============================================== */

/*
 * An element still to be made: it is made (and added to its parent's
 * kids, making the parent first) only when content first reaches it, so
 * that the tree holds no empty element and its kids are in the order
 * their content is read.
 */
struct pend {
	struct pend *parent;
	const char *type;
	HPDF_Dict d;       /* NULL until made */
	HPDF_Array k;      /* its /K */
	int pg;            /* the page of its /Pg, -1 none yet */
	const char *alt, *actual, *id, *lang;
	const char *scope; /* TH: /Scope in a Table attribute */
	int colspan, rowspan; /* TH, TD: /ColSpan, /RowSpan there when more than 1 */
	const struct pg_image *bbox; /* Figure: /BBox in a Layout attribute */
	HPDF_Dict root_k;  /* the Document: the StructTreeRoot it belongs to */
	struct pend *more; /* where kids go once /K is full (room) */
	bool overflow;     /* it is its parent's more: the parent's last kid */
};

/* The most kids one element takes before the rest go into an element of
 * its own inside it (room): libharu's arrays hold at most 32,767. */
#ifndef TAG_KIDS_MAX
#define TAG_KIDS_MAX 8192
#endif

static void pend_init(struct pend *e, struct pend *parent, const char *type)
{
	memset(e, 0, sizeof(*e));
	e->parent = parent;
	e->type = type;
	e->pg = -1;
}

static HPDF_Dict make(struct pdf_tagger *tg, struct pend *e);

/* The element to add a kid to: e, or once its /K is full, an element
 * inside it that goes on (a Span in text, an L in a list, a TOC in a TOC,
 * a TBody in a table, else a Div). */
static struct pend *room(struct pdf_tagger *tg, struct pend *e)
{
	while (e->d && HPDF_Array_Items(e->k) >= TAG_KIDS_MAX - 1) {
		if (!e->more) {
			static const char *const inl[] = {"P", "H1", "H2", "H3", "H4", "H5", "H6",
							  "Span", "Link", "Code", "Caption", "Lbl",
							  "TH", "TD", "Reference"};
			const char *type = !strcmp(e->type, "L")     ? "L"
					   : !strcmp(e->type, "TOC") ? "TOC"
					   : !strcmp(e->type, "Table") ? "TBody"
								       : "Div";
			for (size_t i = 0; i < ARRAY_LEN(inl); i++)
				if (!strcmp(e->type, inl[i]))
					type = "Span";
			e->more = ar_alloc(&tg->ar, sizeof(*e->more));
			pend_init(e->more, e, type);
			e->more->overflow = true;
			if (!make(tg, e->more))
				return e;
		}
		e = e->more;
	}
	return e;
}

static HPDF_Dict make(struct pdf_tagger *tg, struct pend *e)
{
	if (e->d)
		return e->d;
	HPDF_MMgr mm = tg->mm;
	e->d = HPDF_Dict_New(mm);
	e->k = HPDF_Array_New(mm);
	if (!e->d || !e->k || HPDF_Xref_Add(pdf_doc_xref(tg->pdf), e->d) != HPDF_OK)
		return e->d = NULL;
	tg->elems++;
	/* No /Type: it is optional (ISO 32000-1, table 323), and each key is
	 * an allocation of ~140 bytes to libharu, times every element. */
	HPDF_Dict_AddName(e->d, "S", e->type);
	if (e->parent) {
		if (!make(tg, e->parent))
			return NULL;
		struct pend *p = e->overflow ? e->parent : room(tg, e->parent);
		HPDF_Dict_Add(e->d, "P", p->d);
		HPDF_Array_Add(p->k, e->d);
	} else if (e->root_k) {
		HPDF_Dict_Add(e->d, "P", e->root_k);
	}
	if (e->id)
		HPDF_Dict_Add(e->d, "ID", HPDF_String_New(mm, e->id, NULL));
	if (e->lang)
		HPDF_Dict_Add(e->d, "Lang", HPDF_String_New(mm, e->lang, NULL));
	if (e->alt)
		HPDF_Dict_Add(e->d, "Alt", text_string(mm, e->alt));
	if (e->actual)
		HPDF_Dict_Add(e->d, "ActualText", text_string(mm, e->actual));
	if (e->scope || e->colspan > 1 || e->rowspan > 1) {
		HPDF_Dict a = HPDF_Dict_New(mm);
		HPDF_Dict_AddName(a, "O", "Table");
		if (e->scope)
			HPDF_Dict_AddName(a, "Scope", e->scope);
		if (e->colspan > 1)
			HPDF_Dict_AddNumber(a, "ColSpan", e->colspan);
		if (e->rowspan > 1)
			HPDF_Dict_AddNumber(a, "RowSpan", e->rowspan);
		HPDF_Dict_Add(e->d, "A", a);
	}
	if (e->bbox) {
		const struct pg_image *im = e->bbox;
		HPDF_Box box = {(HPDF_REAL)(im->x + tg->off), (HPDF_REAL)(im->y + tg->off),
				(HPDF_REAL)(im->x + im->w + tg->off),
				(HPDF_REAL)(im->y + im->h + tg->off)};
		HPDF_Dict a = HPDF_Dict_New(mm);
		HPDF_Dict_AddName(a, "O", "Layout");
		HPDF_Dict_Add(a, "BBox", HPDF_Box_Array_New(mm, box));
		HPDF_Dict_AddName(a, "Placement", "Block");
		HPDF_Dict_Add(e->d, "A", a);
	}
	HPDF_Dict_Add(e->d, "K", e->k);
	return e->d;
}

/* Gives run r (unclaimed) to e as a marked-content reference. */
static void add_mcr(struct pdf_tagger *tg, struct pend *e, size_t r)
{
	struct trun *t = &tg->runs[r];
	if (!make(tg, e))
		return;
	e = room(tg, e);
	HPDF_Dict d = e->d;
	if (e->pg < 0) {
		e->pg = t->page;
		HPDF_Dict_Add(d, "Pg", tg->pages[t->page]);
	}
	if (e->pg == t->page) {
		HPDF_Array_AddNumber(e->k, t->mcid);
	} else {
		HPDF_Dict mcr = HPDF_Dict_New(tg->mm);
		HPDF_Dict_AddName(mcr, "Type", "MCR");
		HPDF_Dict_Add(mcr, "Pg", tg->pages[t->page]);
		HPDF_Dict_AddNumber(mcr, "MCID", t->mcid);
		HPDF_Array_Add(e->k, mcr);
	}
	t->elem = d;
}

/* The inline element a run of role kind starts: Link, Reference, Span. */
static const char *inline_type(int role)
{
	switch (role) {
	case PG_ROLE_LINK: return "Link";
	case PG_ROLE_NOTEREF: return "Reference";
	case PG_ROLE_WORD: return "Span";
	case PG_ROLE_LANG: return "Span";
	default: return NULL;
	}
}

/*
 * Gives e the runs of tag whose role is role (PG_ROLE_BODY: the tag's
 * own text, with what is inline in it - links, note marks, hyphenated
 * words - as elements of their own, and images as figures). Returns the
 * number of runs given.
 */
static size_t add_content(struct pdf_tagger *tg, struct pend *e, const void *tag, int role)
{
	struct tlist *l = list_get(tg, tag);
	if (!l)
		return 0;
	size_t given = 0;
	for (size_t i = 0; i < l->n; i++) {
		size_t r = l->v[i];
		struct trun *t = &tg->runs[r];
		if (t->elem)
			continue;
		bool in = t->role == role || (role == PG_ROLE_BODY && inline_type(t->role));
		if (!in)
			continue;
		given++;
		if (t->img && strcmp(e->type, "Figure")) {
			/* A picture inside text: a figure of its own. */
			struct pend fig;
			pend_init(&fig, e, "Figure");
			fig.alt = t->img->img->alt && *t->img->img->alt ? t->img->img->alt : NULL;
			fig.bbox = t->img;
			add_mcr(tg, &fig, r);
			continue;
		}
		const char *it = role == PG_ROLE_BODY ? inline_type(t->role) : NULL;
		const char *lang = NULL;
		if (it && (t->role == PG_ROLE_LANG || (t->role == PG_ROLE_WORD && t->lang))) {
			/* A passage in another language: a Span with its /Lang,
			 * unless it is the language of what holds it already
			 * (a ::: {lang=fr} div's paragraphs). A word hyphenated
			 * in it is a Span with its /Lang and /ActualText. */
			size_t li = t->role == PG_ROLE_LANG ? (size_t)t->ref : (size_t)t->lang - 1;
			lang = t->ref >= 0 && li < tg->doc->nlangs ? tg->doc->langs[li] : NULL;
			for (const struct pend *a = e; a && lang; a = a->parent)
				if (a->lang && !strcasecmp(a->lang, lang))
					lang = NULL;
			if (!lang && t->role == PG_ROLE_LANG)
				it = NULL;
		}
		if (!it) {
			add_mcr(tg, e, r);
			continue;
		}
		/* Runs of one link, note mark or word, in a row, are one element;
		 * a word hyphenated across lines reads as its whole self. */
		struct pend in_el, ref;
		pend_init(&in_el, e, it);
		if (t->role == PG_ROLE_NOTEREF) {
			/* A note mark: a Reference holding the Link that holds the
			 * annotation (Matterhorn 28-011: links in Link tags). */
			pend_init(&ref, e, "Reference");
			pend_init(&in_el, &ref, "Link");
		}
		size_t j = i;
		struct strbuf word = STRBUF_INIT;
		while (j < l->n) {
			const struct trun *u = &tg->runs[l->v[j]];
			if (u->elem || u->role != t->role || u->ref != t->ref || u->img)
				break;
			if (u->text)
				sb_adds(&word, u->text);
			j++;
		}
		if (t->role == PG_ROLE_WORD)
			in_el.actual = ar_strndup(&tg->ar, word.buf, word.len);
		in_el.lang = lang;
		sb_release(&word);
		for (size_t q = i; q < j; q++)
			add_mcr(tg, &in_el, l->v[q]);
		given += j - i - 1;
		i = j - 1;
	}
	return given;
}

/* ===== the book's blocks =============================================== */

static void walk_blocks(struct pdf_tagger *tg, struct pend *parent, const struct bk_part *p,
			const struct bk_block *v, size_t n);

/* Note i of part p, as a Note (with an /ID and its number as a label),
 * under parent. */
static void note(struct pdf_tagger *tg, struct pend *parent, const struct bk_part *p, size_t i)
{
	if (tg->note_done[i])
		return;
	tg->note_done[i] = true;
	const struct bk_note *nt = &p->notes[i];
	struct pend e, lbl;
	pend_init(&e, parent, "Note");
	e.id = ar_printf(&tg->ar, "%s-note-%d", p->id, nt->number);
	pend_init(&lbl, &e, "Lbl");
	add_content(tg, &lbl, nt, PG_ROLE_LABEL);
	walk_blocks(tg, &e, p, nt->kids, nt->nkids);
}

/* The notes first cited in spans, after the element that cites them. */
static void cited_notes(struct pdf_tagger *tg, struct pend *parent, const struct bk_part *p,
			const struct bk_block *b)
{
	for (size_t s = 0; s < b->nspans; s++)
		if (b->spans[s].kind == BK_SPAN_NOTEREF && b->spans[s].note >= 0 &&
		    (size_t)b->spans[s].note < p->nnotes)
			note(tg, parent, p, (size_t)b->spans[s].note);
}

static const char *heading_type(struct pdf_tagger *tg, int level)
{
	/* No level skipped (Matterhorn 14-003): a heading goes at most one
	 * below the one before it. */
	if (level < 1)
		level = 1;
	if (level > tg->last_h + 1)
		level = tg->last_h + 1;
	if (level > 6)
		level = 6;
	tg->last_h = level;
	static const char *const h[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
	return h[level - 1];
}

static void walk_block(struct pdf_tagger *tg, struct pend *parent, const struct bk_part *p,
		       const struct bk_block *b)
{
	struct pend e;
	switch (b->kind) {
	case BK_PARA:
	case BK_HEADING:
		pend_init(&e, parent, b->kind == BK_PARA ? "P" : heading_type(tg, b->level));
		add_content(tg, &e, b, PG_ROLE_BODY);
		cited_notes(tg, parent, p, b);
		break;
	case BK_QUOTE:
		pend_init(&e, parent, "BlockQuote");
		walk_blocks(tg, &e, p, b->kids, b->nkids);
		break;
	case BK_LIST:
		pend_init(&e, parent, "L");
		for (size_t i = 0; i < b->nkids; i++) {
			const struct bk_block *item = &b->kids[i];
			struct pend li, lbl, body;
			pend_init(&li, &e, "LI");
			pend_init(&lbl, &li, "Lbl");
			pend_init(&body, &li, "LBody");
			/* A task's box is drawn (rules: layout artifacts, no
			 * text): its label reads as the character the EPUB
			 * writes, after the number; made even with no content,
			 * so that a bulleted task's label is there to be read. */
			if (item->flags & BK_TASK) {
				const char *box = item->flags & BK_DONE ? "\u2611" : "\u2610";
				lbl.actual = b->flags & BK_ORDERED
						     ? ar_printf(&tg->ar, "%d. %s", b->level + (int)i, box)
						     : box;
				make(tg, &lbl);
			}
			add_content(tg, &lbl, item, PG_ROLE_LABEL);
			add_content(tg, &body, item, PG_ROLE_BODY);
			walk_blocks(tg, &body, p, item->kids, item->nkids);
		}
		break;
	case BK_TABLE:
		pend_init(&e, parent, "Table");
		for (size_t r = 0; r < b->nkids; r++) {
			const struct bk_block *row = &b->kids[r];
			bool head = row->flags & BK_HEADER_ROW;
			struct pend tr;
			pend_init(&tr, &e, "TR");
			for (size_t k = 0; k < row->nkids; k++) {
				struct pend cell;
				if (row->kids[k].flags & BK_COVERED)
					continue; /* a cell before it spans its place */
				pend_init(&cell, &tr, head ? "TH" : "TD");
				if (head)
					cell.scope = "Column";
				cell.colspan = row->kids[k].colspan;
				cell.rowspan = row->kids[k].rowspan;
				add_content(tg, &cell, &row->kids[k], PG_ROLE_BODY);
				for (size_t s = 0; s < row->kids[k].nspans; s++)
					if (row->kids[k].spans[s].kind == BK_SPAN_NOTEREF)
						cited_notes(tg, &cell, p, &row->kids[k]);
			}
		}
		break;
	case BK_FIGURE: {
		pend_init(&e, parent, "Figure");
		const struct bk_image *img = b->img;
		/* its alt text with its long description (bk_figure_alt) */
		e.alt = tg->fig_alt && *tg->fig_alt ? tg->fig_alt
			: img && img->title ? img->title
					    : NULL;
		struct tlist *l = list_get(tg, b);
		for (size_t i = 0; l && i < l->n; i++)
			if (tg->runs[l->v[i]].img && !e.bbox)
				e.bbox = tg->runs[l->v[i]].img;
		add_content(tg, &e, b, PG_ROLE_BODY);
		struct pend cap;
		pend_init(&cap, parent, "Caption");
		add_content(tg, &cap, b, PG_ROLE_CAPTION);
		break;
	}
	case BK_CODE_BLOCK: {
		/* Code is an inline type: a paragraph of code. */
		struct pend code;
		pend_init(&e, parent, "P");
		pend_init(&code, &e, "Code");
		add_content(tg, &code, b, PG_ROLE_BODY);
		break;
	}
	case BK_ITEM:
	case BK_ROW:
	case BK_CELL:
	case BK_RULE: /* a rule is drawn as an artifact */
	case BK_HTML: /* never drawn */
	default:
		/* What no case knows (a kind added later) still reaches the
		 * tree: its text as a paragraph, its blocks in a division. */
		pend_init(&e, parent, b->nkids ? "Div" : "P");
		if (b->kind == BK_DIV && b->lang)
			e.lang = b->lang; /* ::: {lang=fr} */
		add_content(tg, &e, b, PG_ROLE_BODY);
		walk_blocks(tg, &e, p, b->kids, b->nkids);
		cited_notes(tg, parent, p, b);
		break;
	}
}

static void walk_blocks(struct pdf_tagger *tg, struct pend *parent, const struct bk_part *p,
			const struct bk_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == BK_FIGURE)
			tg->fig_alt = bk_figure_alt(&tg->ar, v, n, i);
		walk_block(tg, parent, p, &v[i]);
	}
}

/* A part: its title, subtitle and byline, its blocks, its notes. */
static void walk_part(struct pdf_tagger *tg, struct pend *doc, const struct bk_part *p)
{
	struct pend sect, e;
	pend_init(&sect, doc, "Sect");
	pend_init(&e, &sect, "H1");
	add_content(tg, &e, p, PG_ROLE_H1);
	tg->last_h = 1;
	const char *lines[3] = {p->subtitle, p->author, p->role};
	for (int i = 0; i < 3; i++)
		if (lines[i]) {
			pend_init(&e, &sect, "P");
			add_content(tg, &e, lines[i], PG_ROLE_P);
		}
	free(tg->note_done);
	tg->note_done = xcalloc(p->nnotes + 1, sizeof(bool));
	walk_blocks(tg, &sect, p, p->blocks, p->nblocks);
	for (size_t i = 0; i < p->nnotes; i++) /* notes no text cites */
		note(tg, &sect, p, i);
}

/*
 * A front-matter page the layout made (half-title, title page, copyright,
 * contents): its lines as headings and paragraphs, contents entries as
 * TOCI elements in a TOC, each holding a Link. *sect and *toc carry the
 * contents over its pages.
 */
static void walk_front_page(struct pdf_tagger *tg, struct pend *doc, size_t page,
			    struct pend **sect, struct pend **toc)
{
	bool contents = false;
	for (size_t r = tg->first[page]; r < tg->first[page + 1]; r++)
		contents |= tg->runs[r].role == PG_ROLE_TOCI;
	if (!contents || !*toc) {
		*sect = ar_alloc(&tg->ar, sizeof(**sect));
		pend_init(*sect, doc, "Sect");
		*toc = NULL;
	}
	if (contents && !*toc) {
		*toc = ar_alloc(&tg->ar, sizeof(**toc));
		pend_init(*toc, *sect, "TOC");
	}
	for (size_t r = tg->first[page]; r < tg->first[page + 1]; r++) {
		struct trun *t = &tg->runs[r];
		if (t->mcid < 0 || t->elem)
			continue;
		struct pend e, link;
		const void *tag = t->tag;
		switch (t->role) {
		case PG_ROLE_TOCI:
			pend_init(&e, *toc, "TOCI");
			pend_init(&link, &e, "Link");
			for (size_t q = r; q < tg->first[page + 1]; q++)
				if (tg->runs[q].tag == tag && !tg->runs[q].elem &&
				    tg->runs[q].mcid >= 0)
					add_mcr(tg, &link, q);
			break;
		default:
			pend_init(&e, *toc && t->role != PG_ROLE_H1 ? *toc : *sect,
				  t->role == PG_ROLE_H1 ? "H1" : "P");
			if (t->role == PG_ROLE_H1)
				tg->last_h = 1;
			for (size_t q = r; q < tg->first[page + 1]; q++)
				if (tg->runs[q].tag == tag && !tg->runs[q].elem &&
				    tg->runs[q].mcid >= 0 && !inline_type(tg->runs[q].role))
					add_mcr(tg, &e, q);
			add_content(tg, &e, tag, PG_ROLE_BODY); /* a hyphenated word */
			break;
		}
	}
}

/* ===== the tree, the parent tree, the catalog ========================= */

/* The run an annotation's text is in: same page, same tag, role and ref. */
static struct trun *annot_run(struct pdf_tagger *tg, const struct annot *an)
{
	const struct pg_link *l = &tg->doc->pages[an->page].links[an->link];
	for (size_t r = tg->first[an->page]; r < tg->first[an->page + 1]; r++) {
		struct trun *t = &tg->runs[r];
		if (t->tag == l->tag && t->role == l->role && t->ref == l->ref && t->elem)
			return t;
	}
	return NULL;
}

/* What an annotation says to a reader who cannot see it (/Contents). */
static const char *annot_words(struct pdf_tagger *tg, const struct annot *an)
{
	const struct pg_link *l = &tg->doc->pages[an->page].links[an->link];
	if (l->url)
		return ar_printf(&tg->ar, "Link to %s", l->url);
	if (l->role == PG_ROLE_NOTEREF)
		return ar_printf(&tg->ar, "Note %d", l->ref + 1);
	if (l->role == PG_ROLE_TOCI && l->tag)
		return ar_printf(&tg->ar, "Go to %s", ((const struct bk_part *)l->tag)->title);
	if (l->dest_page >= 0)
		return ar_printf(&tg->ar, "Go to page %s", tg->doc->pages[l->dest_page].label);
	return "Link";
}

/* A number tree's /Nums (key, value pairs) as one leaf, or as leaves
 * under /Kids when one array would be too long for libharu. */
static HPDF_Dict number_tree(struct pdf_tagger *tg, const int *keys, void **vals, size_t n)
{
	HPDF_MMgr mm = tg->mm;
	HPDF_Dict root = HPDF_Dict_New(mm);
	const size_t leaf = 4096; /* pairs a leaf */
	if (n <= leaf) {
		HPDF_Array nums = HPDF_Array_New(mm);
		for (size_t i = 0; i < n; i++) {
			HPDF_Array_AddNumber(nums, keys[i]);
			HPDF_Array_Add(nums, vals[i]);
		}
		HPDF_Dict_Add(root, "Nums", nums);
		return root;
	}
	HPDF_Array kids = HPDF_Array_New(mm);
	for (size_t s = 0; s < n; s += leaf) {
		size_t e = s + leaf < n ? s + leaf : n;
		HPDF_Dict node = HPDF_Dict_New(mm);
		HPDF_Xref_Add(pdf_doc_xref(tg->pdf), node);
		HPDF_Array nums = HPDF_Array_New(mm), lim = HPDF_Array_New(mm);
		for (size_t i = s; i < e; i++) {
			HPDF_Array_AddNumber(nums, keys[i]);
			HPDF_Array_Add(nums, vals[i]);
		}
		HPDF_Array_AddNumber(lim, keys[s]);
		HPDF_Array_AddNumber(lim, keys[e - 1]);
		HPDF_Dict_Add(node, "Limits", lim);
		HPDF_Dict_Add(node, "Nums", nums);
		HPDF_Array_Add(kids, node);
	}
	HPDF_Dict_Add(root, "Kids", kids);
	return root;
}

int pdf_tag_finish(struct pdf_tagger *tg, HPDF_Page *pages)
{
	HPDF_MMgr mm = tg->mm;
	HPDF_Doc pdf = tg->pdf;
	const struct pg_doc *doc = tg->doc;
	tg->pages = pages;
	/* The features used are PDF 1.5's; PDF/UA-1 is read against 1.7. */
	pdf_doc_set_version(pdf, HPDF_VER_17);

	HPDF_Dict root = HPDF_Dict_New(mm);
	if (!root || HPDF_Xref_Add(pdf_doc_xref(pdf), root) != HPDF_OK)
		return -1;
	HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
	struct pend docel;
	pend_init(&docel, NULL, "Document");
	docel.root_k = root;
	if (!make(tg, &docel))
		return -1;
	HPDF_Dict_Add(root, "K", docel.d);

	/* Reading order: the pages' order, a part whole where it begins. */
	bool *part_done = xcalloc(tg->b->nparts + 1, sizeof(bool));
	struct pend *sect = NULL, *toc = NULL;
	for (size_t p = 0; p < doc->npages; p++) {
		int part = doc->pages[p].part;
		if (part >= 0 && !part_done[part]) {
			part_done[part] = true;
			walk_part(tg, &docel, &tg->b->parts[part]);
			sect = toc = NULL;
		} else if (part < 0 && tg->first[p + 1] > tg->first[p]) {
			walk_front_page(tg, &docel, p, &sect, &toc);
		}
	}
	free(part_done);
	/* Content no walk reached (a bug of ours, or a block kind this file
	 * does not know): still in the tree, after the rest, never lost. */
	for (size_t r = 0; r < tg->nruns; r++) {
		struct trun *t = &tg->runs[r];
		if (t->mcid < 0 || t->elem)
			continue;
		struct pend e;
		pend_init(&e, &docel, t->img ? "Figure" : "P");
		if (t->img) {
			e.alt = t->img->img->alt;
			e.bbox = t->img;
		}
		add_mcr(tg, &e, r);
	}

	/* Annotations: each in the Link or Reference holding its text. */
	size_t npk = 0;
	int *keys = xcalloc(doc->npages + tg->nannots + 1, sizeof(int));
	void **vals = xcalloc(doc->npages + tg->nannots + 1, sizeof(void *));
	for (size_t p = 0; p < doc->npages; p++) {
		if (!tg->nmcid[p])
			continue;
		HPDF_Array arr = HPDF_Array_New(mm);
		HPDF_Dict *by = xcalloc((size_t)tg->nmcid[p], sizeof(HPDF_Dict));
		for (size_t r = tg->first[p]; r < tg->first[p + 1]; r++)
			if (tg->runs[r].mcid >= 0)
				by[tg->runs[r].mcid] = tg->runs[r].elem;
		for (int m = 0; m < tg->nmcid[p]; m++)
			HPDF_Array_Add(arr, by[m] ? (void *)by[m] : HPDF_Null_New(mm));
		free(by);
		HPDF_Dict_AddNumber(pages[p], "StructParents", (HPDF_INT32)p);
		keys[npk] = (int)p;
		vals[npk++] = arr;
	}
	int key = (int)doc->npages;
	for (size_t i = 0; i < tg->nannots; i++) {
		const struct annot *an = &tg->annots[i];
		struct trun *t = annot_run(tg, an);
		HPDF_Dict el = t ? t->elem : NULL;
		if (!el) {
			struct pend e;
			pend_init(&e, &docel, "Link");
			el = make(tg, &e);
			if (!el)
				break;
			HPDF_Dict_Add(el, "Pg", pages[an->page]);
		}
		HPDF_Dict objr = HPDF_Dict_New(mm);
		HPDF_Dict_AddName(objr, "Type", "OBJR");
		HPDF_Dict_Add(objr, "Pg", pages[an->page]);
		HPDF_Dict_Add(objr, "Obj", an->a);
		HPDF_Array k = HPDF_Dict_GetItem(el, "K", HPDF_OCLASS_ARRAY);
		if (k)
			HPDF_Array_Add(k, objr);
		HPDF_Dict_AddNumber(an->a, "StructParent", key);
		HPDF_Dict_Add(an->a, "Contents", text_string(mm, annot_words(tg, an)));
		keys[npk] = key++;
		vals[npk++] = el;
	}
	/* Tab order follows the structure on pages with annotations. */
	for (size_t p = 0; p < doc->npages; p++)
		if (doc->pages[p].nlinks)
			HPDF_Dict_AddName(pages[p], "Tabs", "S");
	HPDF_Dict_Add(root, "ParentTree", number_tree(tg, keys, vals, npk));
	HPDF_Dict_AddNumber(root, "ParentTreeNextKey", key);
	free(keys);
	free(vals);

	HPDF_Dict cat = pdf_doc_catalog(pdf);
	HPDF_Dict mark = HPDF_Dict_New(mm), prefs = HPDF_Dict_New(mm);
	HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
	HPDF_Dict_Add(cat, "MarkInfo", mark);
	HPDF_Dict_Add(cat, "StructTreeRoot", root);
	HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
	HPDF_Dict_Add(cat, "ViewerPreferences", prefs);
	if (!tg->b->meta.language)
		HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, "en", NULL));
	return HPDF_GetError(pdf) == HPDF_OK ? 0 : -1;
}

/* ===== alt text ======================================================== */

/* A figure without alt text, at its Markdown. */
static void no_alt(struct diag *d, bool tagged, const char *path, int line, int col,
		   const char *src)
{
	if (tagged)
		diag_error(d, path, line, col,
			   "image '%s' has no alt text, which a tagged PDF needs for every figure",
			   src);
	else
		diag_warning(d, path, line, col, "image '%s' has no alt text", src);
	diag_hint(d, "say what it shows between the brackets: ![a chart of ...](%s)", src);
}

static void check_alt(const struct bk_part *p, const struct bk_block *v, size_t n, bool tagged,
		      struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		const struct bk_block *b = &v[i];
		if (b->kind == BK_FIGURE && b->img && (!b->img->alt || !*b->img->alt))
			no_alt(d, tagged, p->path, b->line, b->col, b->img->src);
		for (size_t s = 0; s < b->nspans; s++) {
			const struct bk_span *sp = &b->spans[s];
			if (sp->kind == BK_SPAN_IMAGE && sp->img && !sp->len)
				no_alt(d, tagged, p->path, sp->line, sp->col, sp->img->src);
		}
		check_alt(p, b->kids, b->nkids, tagged, d);
	}
}

int pdf_check_alt(const struct book *b, bool tagged, struct diag *d)
{
	int nerr = d->nerr;
	for (size_t i = 0; i < b->nparts; i++) {
		const struct bk_part *p = &b->parts[i];
		check_alt(p, p->blocks, p->nblocks, tagged, d);
		for (size_t k = 0; k < p->nnotes; k++)
			check_alt(p, p->notes[k].kids, p->notes[k].nkids, tagged, d);
	}
	return d->nerr - nerr;
}
