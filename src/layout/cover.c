/*
 * cover.c - the wrap cover: back, spine and front at the trim height with
 * the bleed round them, and the front alone for the EPUB.
 *
 * The front is the title page's design at cover size: the title, a rule,
 * the subtitle, an optional picture, the editors or authors, the
 * publisher; light type on the style's accent colour (dark type on a
 * light one), as the EPUB's SVG cover has it. The back holds the book's
 * description, set by the Knuth-Plass breaker (compose.c's cp_set_text,
 * with the book's hyphenation), and the print ISBN as an EAN-13 barcode
 * in a white box. The spine holds the title and the publisher, running
 * down, when the book is thick enough for them and the printer allows.
 */
#include "cover.h"
#include "layout-int.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define IN 72.0
#define MM (72.0 / 25.4)

const char pg_cover_profiles[] = "kdp, ingramspark, lulu, offset";

/* ===== the printers' figures =========================================== */

/*
 * Sources (README, "The wrap cover"): KDP's "Paperback cover" help page
 * (white 0.002252 in a page, cream 0.0025; 0.125 in bleed; spine text on
 * books of more than 79 pages, 0.0625 in from the folds; barcode area
 * 2 x 1.2 in, 0.25 in from the trim and the spine); IngramSpark's File
 * Creation Guide (its template generator gives KDP's factors within a
 * hair; 0.125 in bleed); Lulu's Book Creation Guide (spine = pages / 444
 * + 0.06 in on every paper; 0.125 in bleed; no spine text at 80 pages or
 * fewer, 0.125 in from the folds; 0.5 in safety margin).
 */
static const struct profile {
	const char *name;
	double bleed;           /* points */
	double white, cream;    /* inches a page */
	double spine_add;       /* inches */
	int spine_text_pages;
	double spine_margin, safe, barcode_margin; /* points */
} profiles[] = {
    {"kdp", 0.125 * IN, 0.002252, 0.0025, 0, 80, 0.0625 * IN, 0.125 * IN, 0.25 * IN},
    {"ingramspark", 0.125 * IN, 0.002252, 0.0025, 0, 0, 0.0625 * IN, 0.125 * IN, 0.25 * IN},
    {"lulu", 0.125 * IN, 1 / 444.0, 1 / 444.0, 0.06, 81, 0.125 * IN, 0.5 * IN, 0.25 * IN},
    {"offset", 3 * MM, 0.002252, 0.0025, 0, 0, 1.5 * MM, 5 * MM, 0.25 * IN},
};

bool pg_cover_spec_for(const char *name, const struct book *b, struct pg_cover_spec *s)
{
	const struct bk_style *st = &b->style;
	/* The style's own: its bleed (3 mm in the house style), KDP's paper. */
	struct profile own = {"style", st->bleed, 0.002252, 0.0025, 0, 0, 0.0625 * IN, 0.125 * IN,
			      0.25 * IN};
	const struct profile *p = &own;
	bool known = !name || !strcmp(name, "style");
	for (size_t i = 0; i < ARRAY_LEN(profiles) && !known; i++)
		if (!strcmp(profiles[i].name, name)) {
			p = &profiles[i];
			known = true;
		}
	const struct bk_paper *paper = b->meta.paper.kind != BK_PAPER_DEFAULT ? &b->meta.paper
									       : &st->paper;
	*s = (struct pg_cover_spec){
	    .profile = p->name,
	    .trim_w = st->page_w,
	    .trim_h = st->page_h,
	    .bleed = p->bleed,
	    .paper = paper->kind == BK_PAPER_CREAM ? p->cream : p->white,
	    .paper_name = paper->kind == BK_PAPER_CREAM ? "cream" : "white",
	    .spine_add = p->spine_add,
	    .spine_text_pages = p->spine_text_pages,
	    .spine_margin = p->spine_margin,
	    .safe = p->safe,
	    .barcode_margin = p->barcode_margin,
	};
	s->print = name ? print_profile_lookup(name) : NULL;
	s->crop_marks = s->print ? s->print->crop_marks : st->crop_marks;
	if (paper->kind == BK_PAPER_CALIPER) {
		s->paper = paper->inches;
		s->paper_name = "as book.yaml or the style gives it";
	}
	return known;
}

/* ===== drawing lists =================================================== */

static void rect(struct pg_cover *cv, double x, double y, double w, double h, unsigned rgb,
		 double stroke)
{
	GROW(cv->rects, cv->rects_cap, cv->nrects + 1);
	cv->rects[cv->nrects++] = (struct pg_cover_rect){x, y, w, h, rgb, stroke};
}

/* Which way a piece of text runs: across, or along the spine down (its
 * tops to the right) or up (its tops to the left). */
enum run { ACROSS, DOWN, UP };

static void text(struct pg_cover *cv, const char *s, size_t n, enum tx_face face, double size,
		 double hscale, double x, double y, enum run run, unsigned rgb)
{
	GROW(cv->texts, cv->texts_cap, cv->ntexts + 1);
	cv->texts[cv->ntexts++] = (struct pg_cover_text){
	    s, (uint32_t)n, (uint8_t)face, run == DOWN, run == UP, (float)size, (float)hscale,
	    x, y, rgb};
}

/* A shaped word's pieces from (x, y), along x, -y (down) or +y (up), each
 * in its own face: the shaper's, or a fallback font's for letters it lacks). */
static void word(struct pg_cover *cv, const struct tx_word *w, double size, double x, double y,
		 enum run run, unsigned rgb)
{
	for (size_t i = 0; i < w->npieces; i++) {
		double off = w->pieces[i].x * size / 1000;
		text(cv, w->pieces[i].text, w->pieces[i].len, w->pieces[i].face, size, 1,
		     run == ACROSS ? x + off : x, run == DOWN ? y - off : run == UP ? y + off : y,
		     run, rgb);
	}
}

/* ===== setting text with the book's breaker ============================ */

/* The composer that compose.c's cp_set_text sets a paragraph with, for a
 * cover: no parts, a lean doc that only counts. */
struct setter {
	struct composer c;
	struct pg_doc doc;
};

static void add_words(void *w, const char *s, size_t n)
{
	tx_words_add(w, s, n);
}

static void setter_init(struct setter *s, const struct book *b, struct tx_fonts *f,
			struct diag *d)
{
	memset(s, 0, sizeof(*s));
	ar_init(&s->doc.arena);
	s->doc.lean = true;
	s->c = (struct composer){.b = b, .st = &b->style, .f = f, .d = d, .doc = &s->doc,
				 .part_index = -1};
	ar_init(&s->c.scratch);
	s->c.measure = b->style.page_w;
	for (int i = 0; i < TX_NFACES; i++)
		s->c.space_w[i] = tx_shape(f, (enum tx_face)i, " ", 1)->width;
	lb_params_default(&s->c.params);
	/* Only the patterns the cover's words need (a tenth of a second
	 * less than the whole file, on a cover that takes a few ms). */
	struct tx_words *w = tx_words_new();
	const char *v[] = {b->meta.title, b->meta.subtitle, b->meta.description,
			   b->meta.publisher};
	for (size_t i = 0; i < ARRAY_LEN(v); i++)
		if (v[i])
			add_words(w, v[i], strlen(v[i]));
	tx_hyph_preload_words(b->meta.language, w);
	s->c.hyph = tx_hyph_load(b->meta.language, &b->style, d);
}

static void setter_release(struct setter *s)
{
	cp_free_lines(&s->c, 0);
	free(s->c.lines);
	tx_hyph_free(s->c.hyph);
	cp_lang_hyph_free(&s->c);
	ar_release(&s->c.scratch);
	ar_release(&s->doc.arena);
	free(s->doc.linev);
}

/*
 * Sets text (its styled runs sp, when not NULL) as a paragraph at size on
 * leading, lines width wide from x0
 * (centred, or justified), at the largest size from hi down to lo (by
 * step) that takes at most max lines, none overfull. Leaves the lines in
 * s->c.lines. Returns their number, 0 when none fits.
 */
static size_t set_fit(struct setter *s, const char *str, const struct bk_span *sp, size_t nsp,
		      enum tx_face face, double hi, double lo, double step, double lead, double x0,
		      double width, bool centre, size_t max, double *size)
{
	for (double z = hi; z >= lo - 1e-9; z -= step) {
		cp_free_lines(&s->c, 0);
		size_t over = s->doc.overfull;
		size_t n = cp_set_styled(&s->c, str, sp, nsp, face, z, z * lead, x0, width, centre,
					 centre, 0);
		if (n && n <= max && s->doc.overfull == over) {
			*size = z;
			return n;
		}
	}
	cp_free_lines(&s->c, 0);
	return 0;
}

/* Moves the set lines onto the cover, the first baseline at y. Returns
 * the last line's baseline. */
static double place_lines(struct pg_cover *cv, struct setter *s, double y, unsigned rgb)
{
	for (size_t i = 0; i < s->c.nlines; i++) {
		const struct vline *l = &s->c.lines[i];
		if (i)
			y -= l->advance;
		for (size_t k = 0; k < l->nops; k++) {
			const struct op *op = &l->ops[k];
			if (op->kind == OP_TEXT) {
				/* The text lives in the font cache or the
				 * book; copied, as the scratch goes. */
				const char *t = ar_strndup(&cv->arena, op->text, op->len);
				text(cv, t, op->len, (enum tx_face)op->face, op->size, op->hscale,
				     op->x, y + op->dy, ACROSS, rgb);
			}
		}
	}
	cp_free_lines(&s->c, 0);
	return y;
}

/* ===== the front ======================================================= */

/* Light type on a dark ground, dark on a light one. */
static unsigned ink_on(unsigned rgb)
{
	unsigned r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
	return (299 * r + 587 * g + 114 * b) / 1000 < 150 ? 0xFFFFFF : 0x1A1A1A;
}

/* "Edited by A and B" or "A and B": the title page's line for the
 * book-level creators who edit or write, in the book's language (its
 * "Edited by", its way of joining names: "主编：A、B"); the label when the
 * first of them edits. NULL when none does. */
static const char *names(struct pg_cover *cv, const struct book *b)
{
	const char *list[64];
	size_t n = 0;
	bool edits = false;
	for (size_t i = 0; i < b->meta.ncreators && n < ARRAY_LEN(list); i++) {
		const struct bk_creator *cr = &b->meta.creators[i];
		if (strcmp(cr->role, "edt") && strcmp(cr->role, "aut"))
			continue;
		edits |= !n && !strcmp(cr->role, "edt");
		list[n++] = cr->name;
	}
	if (!n)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	if (edits) {
		const char *label = bk_str(b, BK_STR_EDITED_BY);
		sb_addf(&sb, "%s%s", label, bk_label_gap(label));
	}
	bk_join_names(b, &sb, list, n);
	const char *r = ar_strdup(&cv->arena, sb.buf);
	sb_release(&sb);
	return r;
}

/*
 * The front panel, its trim's left edge at x0. The picture, when the
 * book has one, fills the room between the subtitle and the names,
 * keeping its shape.
 */
static int front(struct pg_cover *cv, struct setter *s, const struct book *b,
		 const struct pg_cover_spec *spec, double x0, unsigned ink, struct diag *d)
{
	double W = spec->trim_w, H = spec->trim_h;
	double side = fmax(spec->safe, W * 0.12), measure = W - 2 * side;
	double size, top = H - fmax(spec->safe, H * 0.16);
	const char *title = b->meta.title;
	const struct bk_meta *m = &b->meta;
	size_t n = set_fit(s, title, m->title_spans, m->ntitle_spans, TX_REGULAR, W / 9, W / 22, 1,
			   1.15, x0 + side, measure, true, 4, &size);
	if (!n) { /* too long, or a word too wide: set it smallest, and say so */
		size = W / 22;
		n = cp_set_styled(&s->c, title, m->title_spans, m->ntitle_spans, TX_REGULAR, size,
				  size * 1.15, x0 + side, measure, true, true, 0);
		diag_warning(d, b->yaml_path, b->meta.at_title.line, b->meta.at_title.col,
			     "the title does not fit the front cover in 4 lines at %.0f pt or more: it is "
			     "set at %.0f pt in %zu lines, past the cover's edges",
			     W / 22, size, n);
	}
	double y = place_lines(cv, s, top - size * 0.8, ink);
	y -= size * 0.75;
	rect(cv, x0 + W / 2 - W * 0.09, y, W * 0.18, fmax(0.8, size / 30), ink, 0);
	y -= size * 0.5;
	if (b->meta.subtitle) {
		double sz;
		n = set_fit(s, m->subtitle, m->subtitle_spans, m->nsubtitle_spans, TX_ITALIC,
			    size * 0.5, 9, 0.5, 1.3, x0 + side, measure, true, 5, &sz);
		if (!n) {
			cp_set_styled(&s->c, m->subtitle, m->subtitle_spans, m->nsubtitle_spans,
				      TX_ITALIC, 9, 9 * 1.3, x0 + side, measure, true, true, 0);
			sz = 9;
		}
		y = place_lines(cv, s, y - sz * 1.4, ink) - sz * 0.5;
	}
	/* The foot: the publisher at the bottom, the names above. */
	double foot = fmax(spec->safe, H * 0.07);
	double pub_size = fmin(12, W / 30), name_size = fmin(15, W / 24);
	double yb = foot + pub_size * 0.3;
	if (b->meta.publisher) {
		double sz;
		if (set_fit(s, b->meta.publisher, NULL, 0, TX_REGULAR, pub_size, 7, 0.5, 1.2,
			    x0 + side, measure, true, 2, &sz)) {
			double lines = (double)s->c.nlines;
			place_lines(cv, s, yb + (lines - 1) * sz * 1.2, ink);
			yb += lines * sz * 1.2 + H * 0.03;
		}
	}
	const char *who = names(cv, b);
	if (who) {
		double sz;
		if (set_fit(s, who, NULL, 0, TX_REGULAR, name_size, 8, 0.5, 1.25, x0 + side, measure,
			    true, 3, &sz)) {
			double lines = (double)s->c.nlines;
			place_lines(cv, s, yb + (lines - 1) * sz * 1.25 + sz * 0.2, ink);
			yb += lines * sz * 1.25 + sz;
		}
	}
	/* The picture, between them, at most the measure wide. */
	const struct bk_image *img = b->meta.cover_image;
	if (!img)
		return 0;
	const struct bk_mark at = b->meta.at_cover_image;
	double gap = H * 0.035, box_top = y - gap, box_bot = yb + gap;
	if (box_top - box_bot < H * 0.1 || img->width <= 0 || img->height <= 0) {
		diag_warning(d, b->yaml_path, at.line, at.col,
			     "cover image '%s' is left off the front: the title and names leave "
			     "no room for it",
			     img->src);
		return 0;
	}
	double scale = fmin(measure / img->width, (box_top - box_bot) / img->height);
	double iw = img->width * scale, ih = img->height * scale;
	/* Its resolution as printed (an SVG's, its rendering's): the print
	 * cover's to check. */
	int rw, rh;
	bk_image_raster_size(img, &rw, &rh);
	double ppi = rw / (iw / IN);
	if (cv->kind == PG_COVER_WRAP && ppi < 300) {
		void (*say)(struct diag *, const char *, int, int, const char *, ...) =
		    ppi < 200 ? diag_error : diag_warning;
		say(d, b->yaml_path, at.line, at.col,
		    "cover image '%s' is %.0f ppi at its size on the front (%.2f x %.2f in, "
		    "%d x %d pixels): %s",
		    img->src, ppi, iw / IN, ih / IN, rw, rh,
		    ppi < 200 ? "printers need 300, and under 200 it prints blurred"
			      : "printers ask for 300");
		diag_hint(d, "at this size it needs %.0f x %.0f pixels", ceil(iw / IN * 300),
			  ceil(ih / IN * 300));
		if (ppi < 200)
			return -1;
	}
	cv->img = img;
	cv->iw = iw;
	cv->ih = ih;
	cv->ix = x0 + (W - iw) / 2;
	cv->iy = box_bot + (box_top - box_bot - ih) / 2;
	return 0;
}

/* ===== the spine ======================================================= */

/*
 * The title from the head of the spine and the publisher from its foot,
 * running down, centred across it; left out (with a warning, as the
 * printer would refuse them or they would not read) when the book is
 * under the printer's page count, or the spine too thin for 6 pt type,
 * or the two too long for the spine's height.
 */
static void spine(struct pg_cover *cv, struct tx_fonts *f, const struct book *b,
		  const struct pg_cover_spec *spec, unsigned ink, struct diag *d)
{
	double x0 = spec->trim_w, sw = cv->spine, H = spec->trim_h;
	if (spec->spine_text_pages && cv->pages < (size_t)spec->spine_text_pages) {
		diag_warning(d, b->yaml_path, 0, 0,
			     "the spine carries no text: %s prints spine text only on books of "
			     "%d pages or more, and this one has %zu",
			     spec->profile, spec->spine_text_pages, cv->pages);
		return;
	}
	/* A capital's height and a descender's depth, in ems, as Latin type
	 * has them (the font's ascender leaves room for accents on capitals,
	 * which a spine can spare). */
	const double cap = 0.68, desc = 0.22;
	double room = sw - 2 * spec->spine_margin;
	/* The type's em fills 85% of the room, at most 12 pt. */
	double size = fmin(12, room * 0.85);
	const double min_size = 6;
	if (size < min_size) {
		diag_warning(d, b->yaml_path, 0, 0,
			     "the spine carries no text: at %.2f mm (%zu pages on %s paper) it "
			     "is too thin for %g pt type",
			     sw / MM, cv->pages, spec->paper_name, min_size);
		diag_hint(d, "a spine takes text from about %.0f pages on this paper",
			  ceil(((min_size / 0.85 + 2 * spec->spine_margin) / IN - spec->spine_add) /
			       spec->paper));
		return;
	}
	double len = H - 2 * fmax(spec->safe, 0.25 * IN);
	const char *pub = b->meta.publisher;
	for (;; size -= 0.5) {
		double tw = tx_shape(f, TX_REGULAR, b->meta.title, strlen(b->meta.title))->width;
		double pw = pub ? tx_shape(f, TX_REGULAR, pub, strlen(pub))->width : 0;
		double need = (tw + pw) * size / 1000 + (pub ? 2 * size : 0);
		if (need <= len)
			break;
		if (size - 0.5 < min_size) {
			diag_warning(d, b->yaml_path, b->meta.at_title.line, b->meta.at_title.col,
				     "the spine carries no text: the title%s is too long for it at "
				     "%g pt",
				     pub ? " and the publisher" : "", min_size);
			return;
		}
	}
	/* The baseline sits so that the type's height is centred across, the
	 * tops to the front: down the spine when the front is at its right,
	 * up it when a right-to-left book's front is at its left, so that the
	 * title reads with the book lying front up either way. */
	bool up = bk_lang_rtl(b->meta.language);
	double x = x0 + sw / 2 + (up ? 1 : -1) * (cap - desc) / 2 * size;
	double top = H - fmax(spec->safe, 0.25 * IN), foot = fmax(spec->safe, 0.25 * IN);
	const char *t = b->meta.title;
	/* The spine's title at its head: its words shaped whole, so kerning
	 * holds; the publisher at its foot. */
	const struct tx_word *tw = tx_shape(f, TX_REGULAR, t, strlen(t));
	word(cv, tw, size, x, up ? top - tw->width * size / 1000 : top, up ? UP : DOWN,
	     ink);
	if (pub) {
		const struct tx_word *pw = tx_shape(f, TX_REGULAR, pub, strlen(pub));
		word(cv, pw, size, x, up ? foot : foot + pw->width * size / 1000,
		     up ? UP : DOWN, ink);
	}
	cv->spine_text = true;
}

/* ===== the back ======================================================== */

/* EAN-13 at 100%: 0.33 mm a module; the bars cut to 18 mm (books
 * commonly shorten them), the guards 1.65 mm longer; quiet zones of 11
 * and 7 modules. */
#define X_MOD (0.33 * MM)
#define BAR_H (18 * MM)
#define GUARD_EXTRA (1.65 * MM)

/* The barcode in its white box, its bottom right corner at (xr, yb):
 * the ISBN above the bars as figures a person reads, the EAN's digits
 * below them. Returns the box's height. */
static double barcode(struct pg_cover *cv, struct tx_fonts *f, const char *isbn_as_written,
		      const char *digits, double xr, double yb)
{
	unsigned char mod[95], guard[95];
	if (!pg_ean13(digits, mod, guard))
		return 0; /* never drawn from a wrong number */
	double pad = 1.5 * MM, fig = 8.5, hr = 9;
	double w = (11 + 95 + 7) * X_MOD + 2 * pad;
	double h = pad + fig * 1.1 + GUARD_EXTRA + BAR_H + 1.2 * MM + hr + pad * 0.6;
	double bx = xr - w, by = yb;
	rect(cv, bx, by, w, h, 0xFFFFFF, 0);
	double x0 = bx + pad + 11 * X_MOD, ybar = by + pad * 0.6 + fig * 1.1;
	/* Runs of bars, each one rectangle. */
	for (int i = 0; i < 95;) {
		if (!mod[i]) {
			i++;
			continue;
		}
		int k = i;
		while (k < 95 && mod[k] && guard[k] == guard[i])
			k++;
		double ext = guard[i] ? GUARD_EXTRA : 0;
		rect(cv, x0 + i * X_MOD, ybar - ext, (k - i) * X_MOD, BAR_H + ext, 0x000000, 0);
		i = k;
	}
	/* The EAN's digits under the bars, between the guards: the first
	 * in the left quiet zone, then two groups of six. */
	enum tx_face fc = TX_REGULAR;
	double yd = by + pad * 0.6;
	char one[2] = {digits[0], 0};
	const char *d1 = ar_strdup(&cv->arena, one);
	const char *g1 = ar_strndup(&cv->arena, digits + 1, 6);
	const char *g2 = ar_strndup(&cv->arena, digits + 7, 6);
	const struct tx_word *w0 = tx_shape(f, fc, d1, 1), *w1 = tx_shape(f, fc, g1, 6),
			     *w2 = tx_shape(f, fc, g2, 6);
	word(cv, w0, fig, x0 - 2 * X_MOD - w0->width * fig / 1000, yd, ACROSS, 0);
	word(cv, w1, fig, x0 + (3 + 21) * X_MOD - w1->width * fig / 2000, yd, ACROSS, 0);
	word(cv, w2, fig, x0 + (50 + 21) * X_MOD - w2->width * fig / 2000, yd, ACROSS, 0);
	/* "ISBN 978-..." above, as book.yaml writes it. */
	const char *label = ar_printf(&cv->arena, "ISBN %s", isbn_as_written);
	const struct tx_word *wl = tx_shape(f, fc, label, strlen(label));
	word(cv, wl, hr, bx + w / 2 - wl->width * hr / 2000, by + h - pad - hr * 0.75, ACROSS,
	     0);
	return h;
}

static int back(struct pg_cover *cv, struct setter *s, const struct book *b,
		const struct pg_cover_spec *spec, const char *digits, double x0, unsigned ink,
		struct diag *d)
{
	double W = spec->trim_w, H = spec->trim_h;
	double m = spec->barcode_margin;
	double box_h = barcode(cv, s->c.f, b->meta.isbn_print, digits, x0 + W - m, m);
	const char *desc = b->meta.description;
	if (!desc) {
		diag_warning(d, b->yaml_path, 0, 0,
			     "book.yaml has no 'description': the back cover holds only the "
			     "barcode");
		return 0;
	}
	double side = fmax(spec->safe, W * 0.12), measure = W - 2 * side;
	double top = H - fmax(spec->safe, H * 0.12);
	double room = top - (m + box_h + H * 0.05);
	/* The largest size from 12 pt down to 8 pt at which it fits. */
	for (double z = fmin(12, W / 30); z >= 8 - 1e-9; z -= 0.25) {
		cp_free_lines(&s->c, 0);
		size_t n = cp_set_text(&s->c, desc, TX_REGULAR, z, z * 1.4, x0 + side, measure, false,
				       false, 0);
		if (n && (n - 1) * z * 1.4 + z <= room) {
			place_lines(cv, s, top - z * 0.8, ink);
			return 0;
		}
	}
	cp_free_lines(&s->c, 0);
	diag_error(d, b->yaml_path, b->meta.at_description.line, b->meta.at_description.col,
		   "'description' is too long for the back cover, even at 8 pt");
	diag_hint(d, "the back holds about %.0f words at this trim; the EPUB and the PDF's "
		     "metadata keep the whole text",
		  room / (8 * 1.4) * (measure / (8 * 0.5 * 5.5)));
	return -1;
}

/* ===== the cover ======================================================= */

/* --proof's guides: the trim, the folds, the safe areas, hairlines in
 * colours no cover uses. */
static void guides(struct pg_cover *cv, const struct pg_cover_spec *spec)
{
	double W = cv->width, H = cv->height, t = spec->trim_w, sp = cv->spine, s = spec->safe;
	const double hair = 0.4;
	rect(cv, 0, 0, W, H, 0x00A0FF, hair); /* trim */
	if (cv->kind == PG_COVER_WRAP) {
		rect(cv, t, 0, 0, H, 0xFF00FF, hair); /* the folds */
		rect(cv, t + sp, 0, 0, H, 0xFF00FF, hair);
		rect(cv, s, s, t - 2 * s, H - 2 * s, 0x00C000, hair); /* safe areas */
		rect(cv, t + sp + s, s, t - 2 * s, H - 2 * s, 0x00C000, hair);
		if (sp > 2 * spec->spine_margin)
			rect(cv, t + spec->spine_margin, s, sp - 2 * spec->spine_margin, H - 2 * s,
			     0x00C000, hair);
	} else {
		rect(cv, s, s, t - 2 * s, H - 2 * s, 0x00C000, hair);
	}
}

struct pg_cover *pg_cover_compose(const struct book *b, struct tx_fonts *f,
				  const struct pg_cover_spec *spec, enum pg_cover_kind kind,
				  size_t pages, struct diag *d)
{
	int nerr = d->nerr;
	char digits[14] = "";
	if (kind == PG_COVER_WRAP) {
		const struct bk_mark at = b->meta.at_isbn_print.line ? b->meta.at_isbn_print
								     : b->meta.at_identifiers;
		if (!b->meta.isbn_print) {
			diag_error(d, b->yaml_path, at.line, at.col,
				   "a print cover needs the print ISBN for its barcode, and "
				   "'isbn-print' is %s",
				   b->meta.at_isbn_print.line ? "empty" : "not given");
			diag_hint(d, "give it under 'identifiers:', as 'isbn-print: "
				     "978-0-00-000000-0'");
			return NULL;
		}
		/* book_load checked it; a barcode is never drawn from a number
		 * that is not checked here again. */
		if (!pg_isbn_digits(b->meta.isbn_print, digits)) {
			diag_error(d, b->yaml_path, at.line, at.col,
				   "'%s' is not a valid ISBN-13 (check digit or length)",
				   b->meta.isbn_print);
			return NULL;
		}
		if (strncmp(digits, "978", 3) && strncmp(digits, "979", 3)) {
			diag_error(d, b->yaml_path, at.line, at.col,
				   "'%s' is an EAN-13 but not an ISBN: an ISBN starts 978 or 979",
				   b->meta.isbn_print);
			return NULL;
		}
	}
	struct pg_cover *cv = xcalloc(1, sizeof(*cv));
	ar_init(&cv->arena);
	cv->kind = kind;
	cv->trim_w = spec->trim_w;
	cv->pages = pages;
	cv->height = spec->trim_h;
	if (kind == PG_COVER_WRAP) {
		cv->spine = (pages * spec->paper + spec->spine_add) * IN;
		cv->width = 2 * spec->trim_w + cv->spine;
		cv->bleed = spec->bleed;
		cv->isbn = ar_strdup(&cv->arena, digits);
	} else {
		cv->width = spec->trim_w;
	}
	unsigned ground = b->style.accent_rgb & 0xFFFFFF, ink = ink_on(ground);
	rect(cv, -cv->bleed, -cv->bleed, cv->width + 2 * cv->bleed, cv->height + 2 * cv->bleed,
	     ground, 0);
	struct setter s;
	setter_init(&s, b, f, d);
	/* A right-to-left book opens the other way: its front is left of
	 * the spine and its back right. */
	double right = kind == PG_COVER_WRAP ? spec->trim_w + cv->spine : 0;
	bool rtl = bk_lang_rtl(b->meta.language);
	int rc = front(cv, &s, b, spec, rtl ? 0 : right, ink, d);
	if (rc == 0 && kind == PG_COVER_WRAP) {
		spine(cv, f, b, spec, ink, d);
		rc = back(cv, &s, b, spec, digits, rtl ? right : 0, ink, d);
	}
	setter_release(&s);
	if (spec->guides)
		guides(cv, spec);
	if (rc < 0 || d->nerr > nerr) {
		pg_cover_free(cv);
		return NULL;
	}
	/* cover.h's invariants: the sheet is the trim's height, and a wrap's
	 * width is two boards and the spine, exactly. */
	assert(cv->height == spec->trim_h);
	assert(kind != PG_COVER_WRAP || cv->width == 2 * spec->trim_w + cv->spine);
	return cv;
}

void pg_cover_free(struct pg_cover *c)
{
	if (!c)
		return;
	free(c->rects);
	free(c->texts);
	ar_release(&c->arena);
	free(c);
}
