/*
 * preflight.c - 'octavo preflight': the interior (and the cover, when
 * there is one) read back with qpdf and checked against a printer's
 * profile, one line per rule.
 *
 * Everything is read from the file, not from what octavo meant to write:
 * the boxes of every page, the fonts and their files, the colour
 * operators of every content stream and the colour space of every image,
 * where each image is placed (its 'cm' before 'Do') and so its effective
 * resolution, the inks of CMYK images and vectors, the PDF/X keys of the
 * Info dictionary, the XMP and the trailer, the output intent and its
 * ICC profile's header, annotations and the outline. The book is loaded
 * (not laid out) for the trim size, the margins and the images'
 * manuscript lines.
 */
#define _POSIX_C_SOURCE 200809L
#include "../layout/cover.h"
#include "../pdf/pdf.h"
#include "../util/dl.h"
#include "cli.h"

#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ===== qpdf, loaded when a preflight runs ================================ */

/* libqpdf brings C++ and GnuTLS with it: linked into octavo, loading it
 * cost every build 15 million instructions before main. So preflight,
 * its only user, opens it with dlopen and calls it through this table. */
#define QPDF_FUNCTIONS(X) \
	X(qpdf_cleanup) \
	X(qpdf_get_error) \
	X(qpdf_get_error_full_text) \
	X(qpdf_get_info_key) \
	X(qpdf_get_num_pages) \
	X(qpdf_get_page_n) \
	X(qpdf_get_pdf_version) \
	X(qpdf_get_root) \
	X(qpdf_get_trailer) \
	X(qpdf_init) \
	X(qpdf_more_warnings) \
	X(qpdf_next_warning) \
	X(qpdf_oh_begin_dict_key_iter) \
	X(qpdf_oh_dict_more_keys) \
	X(qpdf_oh_dict_next_key) \
	X(qpdf_oh_get_array_item) \
	X(qpdf_oh_get_array_n_items) \
	X(qpdf_oh_get_dict) \
	X(qpdf_oh_get_key) \
	X(qpdf_oh_get_name) \
	X(qpdf_oh_get_numeric_value) \
	X(qpdf_oh_get_page_content_data) \
	X(qpdf_oh_get_stream_data) \
	X(qpdf_oh_has_key) \
	X(qpdf_oh_is_array) \
	X(qpdf_oh_is_dictionary) \
	X(qpdf_oh_is_name) \
	X(qpdf_oh_is_name_and_equals) \
	X(qpdf_oh_is_stream) \
	X(qpdf_oh_is_string) \
	X(qpdf_read) \
	X(qpdf_silence_errors) \
	X(qpdf_oh_get_utf8_value)

#define QPDF_POINTER(f) __typeof__(f) *f;
static struct {
	void *lib;
	QPDF_FUNCTIONS(QPDF_POINTER)
} qp;

/* Opens libqpdf and finds its functions. Returns 0, or -1 after
 * reporting to d. */
static int qpdf_load(struct diag *d)
{
	if (qp.lib)
		return 0;
	static const char *const names[] = {"libqpdf.so", "libqpdf.so.29"};
#define QPDF_SYM(f) DL_SYM(qp, f),
	static const struct dl_sym syms[] = {QPDF_FUNCTIONS(QPDF_SYM)};
#undef QPDF_SYM
	struct dl_fail f;
	qp.lib = dl_load(names, ARRAY_LEN(names), syms, ARRAY_LEN(syms), &f);
	if (qp.lib)
		return 0;
	if (f.missing) {
		diag_error(d, NULL, 0, 0, "libqpdf has no '%s': too old for preflight", f.missing);
	} else {
		diag_error(d, NULL, 0, 0, "preflight needs libqpdf: %s", f.detail);
		diag_hint(d, "apt-get install libqpdf29 (make installs libqpdf-dev)");
	}
	return -1;
}

struct pf {
	qpdf_data q;
	const struct print_profile *p;
	const struct book *b;
	struct diag *d;
	int fails, warns;
	const char *what; /* "interior" or "cover" */
	int interior_pages; /* the interior's, once read (0: not read) */
};

/* One line: "PASS  interior  rule: detail". */
static void rule(struct pf *s, const char *status, const char *name, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

static void rule(struct pf *s, const char *status, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%-4s  %-8s  %s: ", status, s->what, name);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	if (!strcmp(status, "FAIL"))
		s->fails++;
	if (!strcmp(status, "WARN"))
		s->warns++;
}

static const char *ok(bool pass)
{
	return pass ? "PASS" : "FAIL";
}

/* ===== reading objects =================================================== */

static bool box(struct pf *s, qpdf_oh page, const char *key, double v[4])
{
	qpdf_oh a = qp.qpdf_oh_get_key(s->q, page, key);
	if (!qp.qpdf_oh_is_array(s->q, a) || qp.qpdf_oh_get_array_n_items(s->q, a) != 4)
		return false;
	for (int i = 0; i < 4; i++)
		v[i] = qp.qpdf_oh_get_numeric_value(s->q, qp.qpdf_oh_get_array_item(s->q, a, i));
	return true;
}

static bool inside(const double in[4], const double out[4])
{
	const double e = 0.01;
	return in[0] >= out[0] - e && in[1] >= out[1] - e && in[2] <= out[2] + e &&
	       in[3] <= out[3] + e;
}

/* The name of a colour space object: "DeviceGray", "ICCBased", ... */
static const char *cs_name(struct pf *s, qpdf_oh cs)
{
	if (qp.qpdf_oh_is_name(s->q, cs))
		return qp.qpdf_oh_get_name(s->q, cs) + 1;
	if (qp.qpdf_oh_is_array(s->q, cs) && qp.qpdf_oh_get_array_n_items(s->q, cs) > 0) {
		qpdf_oh first = qp.qpdf_oh_get_array_item(s->q, cs, 0);
		if (qp.qpdf_oh_is_name(s->q, first))
			return qp.qpdf_oh_get_name(s->q, first) + 1;
	}
	return "?";
}

/* ===== what the content streams do ======================================== */

struct seen {
	bool gray, rgb, cmyk;   /* colour operators used */
	double max_ink;         /* the largest C+M+Y+K of a 'k'/'K', % */
	/* image placements: resource name and size placed, in points */
	struct place {
		char name[32];
		double w, h;
	} *places;
	size_t nplaces, cap;
};

/* Scans one content stream's tokens: colour operators and each image's
 * 'a b c d e f cm ... /Name Do'. Our pages put each image in its own
 * q ... Q with one cm; the scale is what was last concatenated. */
static void scan_content(const unsigned char *p, size_t n, struct seen *sn)
{
	double num[8] = {0};
	int nn = 0;
	double cm[6] = {0};
	char name[32] = "";
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '(') { /* a string: skip it, escapes and nesting */
			int depth = 0;
			for (; i < n; i++) {
				if (p[i] == '\\') {
					i++;
					continue;
				}
				if (p[i] == '(')
					depth++;
				if (p[i] == ')' && --depth == 0) {
					i++;
					break;
				}
			}
			nn = 0;
			continue;
		}
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '[' || c == ']') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !strchr(" \n\r\t[]()/", p[j]))
			j++;
		if (c == '/') {
			j = i + 1;
			while (j < n && !strchr(" \n\r\t[]()/<>", p[j]))
				j++;
			size_t len = j - i - 1 < sizeof(name) - 1 ? j - i - 1 : sizeof(name) - 1;
			memcpy(name, p + i + 1, len);
			name[len] = 0;
			i = j;
			continue;
		}
		char tok[16];
		size_t len = j - i < sizeof(tok) - 1 ? j - i : sizeof(tok) - 1;
		memcpy(tok, p + i, len);
		tok[len] = 0;
		i = j;
		if ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-' || tok[0] == '.') {
			if (nn == 8)
				memmove(num, num + 1, 7 * sizeof(double)), nn = 7;
			num[nn++] = strtod(tok, NULL);
			continue;
		}
		if (!strcmp(tok, "g") || !strcmp(tok, "G")) {
			sn->gray = true;
			if (nn >= 1 && 100 * (1 - num[nn - 1]) > sn->max_ink)
				sn->max_ink = 100 * (1 - num[nn - 1]); /* grey is K */
		}
		else if (!strcmp(tok, "rg") || !strcmp(tok, "RG"))
			sn->rgb = true;
		else if ((!strcmp(tok, "k") || !strcmp(tok, "K")) && nn >= 4) {
			sn->cmyk = true;
			double ink = 100 * (num[nn - 1] + num[nn - 2] + num[nn - 3] + num[nn - 4]);
			/* registration marks (1 1 1 1 K) print outside the trim */
			if (ink > sn->max_ink && !(!strcmp(tok, "K") && ink >= 399))
				sn->max_ink = ink;
		} else if (!strcmp(tok, "cm") && nn >= 6) {
			memcpy(cm, num + nn - 6, sizeof(cm));
		} else if (!strcmp(tok, "Do") && name[0]) {
			GROW(sn->places, sn->cap, sn->nplaces + 1);
			struct place *pl = &sn->places[sn->nplaces++];
			snprintf(pl->name, sizeof(pl->name), "%s", name);
			pl->w = hypot(cm[0], cm[1]);
			pl->h = hypot(cm[2], cm[3]);
		}
		nn = 0;
	}
}

/* ===== the book's side ===================================================== */

/* Where img is placed in the manuscript: its figure or inline image. */
static bool find_block(const struct bk_block *v, size_t n, const struct bk_image *img,
		       struct bk_mark *at)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == BK_FIGURE && v[i].img == img) {
			*at = (struct bk_mark){v[i].line, v[i].col};
			return true;
		}
		for (size_t k = 0; k < v[i].nspans; k++)
			if (v[i].spans[k].kind == BK_SPAN_IMAGE && v[i].spans[k].img == img) {
				*at = (struct bk_mark){v[i].spans[k].line, v[i].spans[k].col};
				return true;
			}
		if (find_block(v[i].kids, v[i].nkids, img, at))
			return true;
	}
	return false;
}

/* The book's images in order of first appearance, one per file (as the
 * PDF names them Im1, Im2, ...), with the part that places each. */
struct bimg {
	const struct bk_image *img;
	const struct bk_part *part;
};

static size_t book_images(const struct book *b, struct bimg **out)
{
	struct bimg *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < b->nparts; i++)
		for (size_t k = 0; k < b->parts[i].nimages; k++) {
			const struct bk_image *im = b->parts[i].images[k];
			bool dup = false;
			for (size_t j = 0; j < n && !dup; j++)
				dup = !strcmp(v[j].img->path, im->path);
			if (dup)
				continue;
			GROW(v, cap, n + 1);
			v[n++] = (struct bimg){im, &b->parts[i]};
		}
	*out = v;
	return n;
}

/* ===== the rules =========================================================== */

/* What the walk over the pages found, for the rules after it. */
struct found {
	int npages;
	int annots, annots_in_bleed;
	struct seen sn;  /* colour operators and image placements */
	qpdf_oh res;     /* page 1's resources: the fonts and images */
	bool img_rgb, img_cmyk, img_gray, img_other, smask;
	double max_ink;  /* the content's, then the images' too */
};

/* The PDF's version, against the standard the profile asks for. */
static void check_version(struct pf *s, bool pdfx, bool x1a)
{
	qpdf_data q = s->q;
	const struct print_profile *p = s->p;
	const char *ver = qp.qpdf_get_pdf_version(q);
	if (pdfx) {
		const char *want = x1a ? "1.3" : "1.6";
		rule(s, ok(!strcmp(ver, want)), "version", "PDF %s (%s asks %s)", ver,
		     print_standard_name(p->standard), want);
	} else {
		rule(s, "INFO", "version", "PDF %s", ver);
	}

}

/* Every page's boxes, bleed and marks, its annotations and its content's
 * colours and image placements (into *fd); then the rules on the boxes. */
static void check_boxes(struct pf *s, bool cover, struct found *fd)
{
	qpdf_data q = s->q;
	const struct print_profile *p = s->p;
	int npages = fd->npages;
	double trim_w = s->b->style.page_w, trim_h = s->b->style.page_h;
	int no_trim = 0, bad_nest = 0, bad_trim = 0, bad_bleed = 0, marks = 0;
	double media[4] = {0}, first_media[4] = {0}, bleed_seen[4] = {0};
	for (int i = 0; i < npages; i++) {
		qpdf_oh pg = qp.qpdf_get_page_n(q, (size_t)i);
		double tb[4], bb[4];
		bool has_media = box(s, pg, "/MediaBox", media);
		if (i == 0)
			memcpy(first_media, media, sizeof(media));
		bool has_trim = box(s, pg, "/TrimBox", tb);
		bool has_bleed = box(s, pg, "/BleedBox", bb);
		if (!has_bleed)
			memcpy(bb, media, sizeof(bb));
		if (!has_trim) {
			no_trim++;
			continue;
		}
		if (!has_media || !inside(tb, bb) || !inside(bb, media))
			bad_nest++;
		if (!cover && (fabs(tb[2] - tb[0] - trim_w) > 0.01 || fabs(tb[3] - tb[1] - trim_h) > 0.01))
			bad_trim++;
		/* bleed per edge: head, foot, spine, fore-edge (page 1 a recto) */
		double spine = i % 2 == 0 ? tb[0] - bb[0] : bb[2] - tb[2];
		double fore = i % 2 == 0 ? bb[2] - tb[2] : tb[0] - bb[0];
		double e[4] = {bb[3] - tb[3], tb[1] - bb[1], spine, fore};
		if (i == 0) {
			memcpy(bleed_seen, e, sizeof(e));
			if (cover) /* the wrap's own trim: back, spine and front */
				trim_w = tb[2] - tb[0], trim_h = tb[3] - tb[1];
		}
		if (!cover && p) {
			double want[4] = {p->bleed, p->bleed, p->bleed_spine ? p->bleed : 0, p->bleed};
			for (int k = 0; k < 4; k++)
				if (fabs(e[k] - want[k]) > 0.01) {
					bad_bleed++;
					break;
				}
		}
		if (media[2] - media[0] > bb[2] - bb[0] + 0.01 || media[3] - media[1] > bb[3] - bb[1] + 0.01)
			marks++;
		qpdf_oh an = qp.qpdf_oh_get_key(q, pg, "/Annots");
		int na = qp.qpdf_oh_is_array(q, an) ? qp.qpdf_oh_get_array_n_items(q, an) : 0;
		fd->annots += na;
		for (int k = 0; k < na; k++) {
			double r[4];
			if (box(s, qp.qpdf_oh_get_array_item(q, an, k), "/Rect", r) &&
			    r[0] < bb[2] && r[2] > bb[0] && r[1] < bb[3] && r[3] > bb[1])
				fd->annots_in_bleed++;
		}
		unsigned char *buf = NULL;
		size_t len = 0;
		if (qp.qpdf_oh_get_page_content_data(q, pg, &buf, &len) == QPDF_SUCCESS && buf)
			scan_content(buf, len, &fd->sn);
		free(buf);
	}
	double mw = first_media[2] - first_media[0], mh = first_media[3] - first_media[1];
	rule(s, "INFO", "page size", "media %.2f x %.2f pt (%.3f x %.3f in), trim %.2f x %.2f pt",
	     mw, mh, mw / 72, mh / 72, trim_w, trim_h);
	rule(s, ok(!no_trim && !bad_nest), "boxes",
	     "%d of %d pages with a TrimBox; %d with boxes not nested (trim in bleed in media)",
	     npages - no_trim, npages, bad_nest);
	if (!cover)
		rule(s, ok(!bad_trim), "trim", "%d pages whose TrimBox is not the style's %.2f x %.2f pt",
		     bad_trim, trim_w, trim_h);
	if (!cover && p)
		rule(s, ok(!bad_bleed), "bleed",
		     "head %.2f, foot %.2f, spine %.2f, fore-edge %.2f pt on page 1; %s asks %.2f pt%s; "
		     "%d pages differ",
		     bleed_seen[0], bleed_seen[1], bleed_seen[2], bleed_seen[3], p->name, p->bleed,
		     p->bleed_spine ? " on every edge" : ", none at the spine", bad_bleed);
	else if (!cover)
		rule(s, "INFO", "bleed", "head %.2f, foot %.2f, spine %.2f, fore-edge %.2f pt",
		     bleed_seen[0], bleed_seen[1], bleed_seen[2], bleed_seen[3]);
	if (p && !cover)
		rule(s, ok((marks > 0) == p->crop_marks), "marks", "%s (%s: %s)",
		     marks ? "room for crop marks outside the bleed" : "none", p->name,
		     p->crop_marks ? "crop marks" : "no marks");
	/* A cover bleeds on all four edges, and takes the interior's marks. */
	if (p && cover) {
		bool even = true;
		for (int k = 0; k < 4; k++)
			even = even && fabs(bleed_seen[k] - p->bleed) <= 0.01;
		rule(s, ok(even), "bleed",
		     "top %.2f, bottom %.2f, left %.2f, right %.2f pt; %s asks %.2f pt on every edge",
		     bleed_seen[0], bleed_seen[1], bleed_seen[2], bleed_seen[3], p->name, p->bleed);
		rule(s, ok((marks > 0) == p->crop_marks), "marks", "%s (%s: %s)",
		     marks ? "room for crop marks outside the bleed" : "none", p->name,
		     p->crop_marks ? "crop marks" : "no marks");
	}

}

/* The fonts in page 1's resources (res, 0: none): each embedded? */
static void check_fonts(struct pf *s, qpdf_oh res)
{
	qpdf_data q = s->q;
	int nfonts = 0, embedded = 0, subset = 0;
	char types[128] = "";
	qpdf_oh fonts = res ? qp.qpdf_oh_get_key(q, res, "/Font") : 0;
	if (fonts && qp.qpdf_oh_is_dictionary(q, fonts)) {
		qp.qpdf_oh_begin_dict_key_iter(q, fonts);
		char keys[64][32];
		int nk = 0;
		while (qp.qpdf_oh_dict_more_keys(q) && nk < 64)
			snprintf(keys[nk++], sizeof(keys[0]), "%s", qp.qpdf_oh_dict_next_key(q));
		for (int k = 0; k < nk; k++) {
			qpdf_oh f = qp.qpdf_oh_get_key(q, fonts, keys[k]);
			nfonts++;
			qpdf_oh sub = qp.qpdf_oh_get_key(q, f, "/Subtype");
			qpdf_oh df = qp.qpdf_oh_get_key(q, f, "/DescendantFonts");
			qpdf_oh leaf = qp.qpdf_oh_is_array(q, df) ? qp.qpdf_oh_get_array_item(q, df, 0) : f;
			qpdf_oh fd = qp.qpdf_oh_get_key(q, leaf, "/FontDescriptor");
			if (qp.qpdf_oh_has_key(q, fd, "/FontFile") || qp.qpdf_oh_has_key(q, fd, "/FontFile2") ||
			    qp.qpdf_oh_has_key(q, fd, "/FontFile3"))
				embedded++;
			qpdf_oh bn = qp.qpdf_oh_get_key(q, f, "/BaseFont");
			char name[128];
			snprintf(name, sizeof(name), "%s", qp.qpdf_oh_is_name(q, bn) ? qp.qpdf_oh_get_name(q, bn) + 1 : "");
			if (strlen(name) > 7 && name[6] == '+')
				subset++;
			char t[48];
			qpdf_oh lsub = qp.qpdf_oh_get_key(q, leaf, "/Subtype");
			/* qpdf returns names in one buffer: one at a time */
			snprintf(t, sizeof(t), "%s", qp.qpdf_oh_is_name(q, sub) ? qp.qpdf_oh_get_name(q, sub) + 1 : "?");
			if (leaf != f && qp.qpdf_oh_is_name(q, lsub))
				snprintf(t + strlen(t), sizeof(t) - strlen(t), "/%s",
					 qp.qpdf_oh_get_name(q, lsub) + 1);
			if (!strstr(types, t) && strlen(types) + strlen(t) + 3 < sizeof(types)) {
				if (types[0])
					strcat(types, ", ");
				strcat(types, t);
			}
		}
	}
	rule(s, ok(embedded == nfonts), "fonts", "%d font%s (%s), %d embedded, %d subset", nfonts,
	     nfonts == 1 ? "" : "s", types[0] ? types : "none", embedded, subset);

}

/* Each image placed: its colour space, its pixels and its resolution at
 * the size placed, against the profile, at its manuscript line; a grey
 * interior's images whose colours print as one grey. Fills fd's image
 * colours, soft masks and ink. */
static void check_images(struct pf *s, bool cover, struct found *fd)
{
	qpdf_data q = s->q;
	const struct print_profile *p = s->p;
	qpdf_oh res = fd->res;
	struct bimg *bi = NULL;
	size_t nbi = cover ? 0 : book_images(s->b, &bi);
	qpdf_oh xo = res ? qp.qpdf_oh_get_key(q, res, "/XObject") : 0;
	double max_ink = fd->sn.max_ink;
	int nimg = 0;
	if (xo && qp.qpdf_oh_is_dictionary(q, xo)) {
		for (size_t k = 0; k < fd->sn.nplaces; k++) {
			struct place *pl = &fd->sn.places[k];
			bool dup = false;
			for (size_t j = 0; j < k && !dup; j++)
				dup = !strcmp(fd->sn.places[j].name, pl->name);
			if (dup)
				continue;
			char key[40];
			snprintf(key, sizeof(key), "/%s", pl->name);
			qpdf_oh im = qp.qpdf_oh_get_key(q, xo, key);
			if (!qp.qpdf_oh_is_stream(q, im))
				continue;
			nimg++;
			qpdf_oh dict = qp.qpdf_oh_get_dict(q, im);
			int w = (int)qp.qpdf_oh_get_numeric_value(q, qp.qpdf_oh_get_key(q, dict, "/Width"));
			int h = (int)qp.qpdf_oh_get_numeric_value(q, qp.qpdf_oh_get_key(q, dict, "/Height"));
			char cs[32];
			snprintf(cs, sizeof(cs), "%s", cs_name(s, qp.qpdf_oh_get_key(q, dict, "/ColorSpace")));
			if (qp.qpdf_oh_has_key(q, dict, "/SMask"))
				fd->smask = true;
			if (!strcmp(cs, "DeviceRGB") || !strcmp(cs, "Indexed"))
				fd->img_rgb = true; /* our palettes are over DeviceRGB */
			else if (!strcmp(cs, "DeviceCMYK"))
				fd->img_cmyk = true;
			else if (!strcmp(cs, "DeviceGray"))
				fd->img_gray = true;
			else
				fd->img_other = true;
			if (!strcmp(cs, "DeviceGray")) { /* its darkest sample, as K */
				unsigned char *buf = NULL;
				size_t len = 0;
				if (qp.qpdf_oh_get_stream_data(q, im, qpdf_dl_all, NULL, &buf, &len) ==
					QPDF_SUCCESS &&
				    buf && qp.qpdf_oh_get_numeric_value(q, qp.qpdf_oh_get_key(q, dict, "/BitsPerComponent")) == 8)
					for (size_t t = 0; t < len; t++)
						if ((255 - buf[t]) * 100.0 / 255 > max_ink)
							max_ink = (255 - buf[t]) * 100.0 / 255;
				free(buf);
			}
			if (!strcmp(cs, "DeviceCMYK")) {
				unsigned char *buf = NULL;
				size_t len = 0;
				if (qp.qpdf_oh_get_stream_data(q, im, qpdf_dl_all, NULL, &buf, &len) ==
					QPDF_SUCCESS &&
				    buf) {
					for (size_t t = 0; t + 3 < len; t += 4) {
						double ink = (buf[t] + buf[t + 1] + buf[t + 2] + buf[t + 3]) *
							     100.0 / 255;
						if (ink > max_ink)
							max_ink = ink;
					}
				}
				free(buf);
			}
			double res_ppi = fmin(pl->w > 0 ? w * 72 / pl->w : 0, pl->h > 0 ? h * 72 / pl->h : 0);
			int n = atoi(pl->name + 2); /* ImN: the N-th image file */
			const struct bimg *src = n >= 1 && (size_t)n <= nbi ? &bi[n - 1] : NULL;
			struct bk_mark at = {0, 0};
			if (src)
				find_block(src->part->blocks, src->part->nblocks, src->img, &at);
			const char *status = "INFO";
			if (p && p->min_ppi && res_ppi < p->min_ppi)
				status = "FAIL";
			else if (p && p->warn_ppi && res_ppi < p->warn_ppi)
				status = "WARN";
			char where[300] = "";
			if (src)
				snprintf(where, sizeof(where), " (%s:%d:%d)", src->part->path, at.line, at.col);
			rule(s, status, "image", "%s %s %d x %d px, placed %.2f x %.2f in: %.0f ppi%s",
			     pl->name, cs, w, h, pl->w / 72, pl->h / 72, res_ppi, where);
			if (src && strcmp(status, "INFO"))
				(!strcmp(status, "FAIL") ? diag_error : diag_warning)(
				    s->d, src->part->path, at.line, at.col,
				    "image '%s' is %.0f ppi at its size in the print edition; %s asks "
				    "for %d ppi",
				    src->img->src, res_ppi, p->printer, p->warn_ppi);
		}
	}
	/* a grey interior: series that differ only by hue */
	if (p && p->colour == PRINT_GRAY)
		for (size_t k = 0; k < nbi; k++) {
			struct bk_mark at = {0, 0};
			find_block(bi[k].part->blocks, bi[k].part->nblocks, bi[k].img, &at);
			if (pdf_image_grey_clash(bi[k].img, bi[k].part->path, at.line, at.col, s->d))
				rule(s, "WARN", "grey", "'%s' has two colours that print as greys within "
							"10%% (%s:%d:%d)",
				     bi[k].img->src, bi[k].part->path, at.line, at.col);
			else
				rule(s, "PASS", "grey", "'%s': its dominant colours stay apart in grey",
				     bi[k].img->src);
		}
	free(bi);
	free(fd->sn.places);
	fd->max_ink = max_ink;

}

/* The colour spaces used, ink and transparency, against the profile. */
static void check_colour(struct pf *s, bool cover, const struct found *fd, bool x1a)
{
	const struct print_profile *p = s->p;
	const struct seen sn = fd->sn;
	bool img_rgb = fd->img_rgb, img_cmyk = fd->img_cmyk, img_gray = fd->img_gray,
	     img_other = fd->img_other, smask = fd->smask;
	double max_ink = fd->max_ink;
	char spaces[160] = "";
	struct {
		bool on;
		const char *name;
	} cs[] = {{sn.gray || img_gray, "DeviceGray"},
		  {sn.cmyk || img_cmyk, "DeviceCMYK"},
		  {sn.rgb || img_rgb, "DeviceRGB"},
		  {img_other, "other (ICCBased, Lab, ...)"}};
	for (size_t k = 0; k < ARRAY_LEN(cs); k++)
		if (cs[k].on) {
			if (spaces[0])
				strcat(spaces, ", ");
			strcat(spaces, cs[k].name);
		}
	bool rgb = sn.rgb || img_rgb;
	/* A cover is printed in colour, whatever the interior is. */
	bool grey = p && p->colour == PRINT_GRAY && !cover;
	bool colour_ok = !p || p->colour == PRINT_AS_IS ||
			 (grey ? !rgb && !img_other && !img_cmyk &&
							(!sn.cmyk || (p->crop_marks && !img_cmyk))
						  : !rgb && !(x1a && img_other));
	rule(s, ok(colour_ok), "colour", "%s%s%s", spaces[0] ? spaces : "none",
	     grey ? " (a black-and-white interior: grey only)"
	     : p && p->colour != PRINT_AS_IS ? " (CMYK or grey, no RGB)"
					    : "",
	     x1a && rgb ? "; PDF/X-1a forbids DeviceRGB" : "");
	if (p && p->ink_limit)
		rule(s, ok(max_ink <= p->ink_limit + 0.5), "ink", "largest total ink %.0f%% (%s: at most %d%%)",
		     max_ink, p->name, p->ink_limit);
	else
		rule(s, "INFO", "ink", "largest total ink %.0f%%", max_ink);
	rule(s, x1a ? ok(!smask) : "INFO", "transparency", "%s", smask ? "soft masks" : "none");

}

/* The output intent PDF/X asks for: one /GTS_PDFX with a printer's
 * profile embedded. */
static void check_output_intent(struct pf *s)
{
	qpdf_data q = s->q;
	qpdf_oh ois = qp.qpdf_oh_get_key(q, qp.qpdf_get_root(q), "/OutputIntents");
	int nx = 0;
	char detail[300] = "missing";
	bool oi_ok = false;
	for (int k = 0; qp.qpdf_oh_is_array(q, ois) && k < qp.qpdf_oh_get_array_n_items(q, ois); k++) {
		qpdf_oh oi = qp.qpdf_oh_get_array_item(q, ois, k);
		if (!qp.qpdf_oh_is_name_and_equals(q, qp.qpdf_oh_get_key(q, oi, "/S"), "/GTS_PDFX"))
			continue;
		nx++;
		qpdf_oh id2 = qp.qpdf_oh_get_key(q, oi, "/OutputConditionIdentifier");
		qpdf_oh reg = qp.qpdf_oh_get_key(q, oi, "/RegistryName");
		qpdf_oh prof = qp.qpdf_oh_get_key(q, oi, "/DestOutputProfile");
		unsigned char *icc = NULL;
		size_t il = 0;
		char cls[5] = "?", spc[5] = "?";
		if (qp.qpdf_oh_is_stream(q, prof) &&
		    qp.qpdf_oh_get_stream_data(q, prof, qpdf_dl_generalized, NULL, &icc, &il) ==
			QPDF_SUCCESS &&
		    icc && il >= 132) {
			memcpy(cls, icc + 12, 4);
			memcpy(spc, icc + 16, 4);
		}
		free(icc);
		/* qpdf keeps one buffer for the strings it returns */
		char *ids = qp.qpdf_oh_is_string(q, id2) ? xstrdup(qp.qpdf_oh_get_utf8_value(q, id2)) : NULL;
		char *regs = qp.qpdf_oh_is_string(q, reg) ? xstrdup(qp.qpdf_oh_get_utf8_value(q, reg)) : NULL;
		snprintf(detail, sizeof(detail),
			 "/GTS_PDFX '%s' in %s, its profile %s class '%s' colour space '%.4s'",
			 ids ? ids : "(no identifier)", regs ? regs : "(no registry)",
			 qp.qpdf_oh_is_stream(q, prof) ? "embedded," : "missing,", cls, spc);
		oi_ok = ids && regs && qp.qpdf_oh_has_key(q, oi, "/Info") && !strcmp(cls, "prtr");
		free(ids);
		free(regs);
	}
	rule(s, ok(oi_ok && nx == 1), "output intent", "%s", detail);
}

/* The PDF/X keys: version, conformance, Trapped, the Info dates, ID, the
 * XMP's version, the output intent. */
static void check_pdfx(struct pf *s, bool x1a)
{
	qpdf_data q = s->q;
	const char *v = qp.qpdf_get_info_key(q, "/GTS_PDFXVersion");
	const char *want = x1a ? "PDF/X-1:2001" : "PDF/X-4";
	rule(s, ok(v && !strcmp(v, want)), "GTS_PDFXVersion", "%s (%s)", v ? v : "missing", want);
	if (x1a) {
		const char *c = qp.qpdf_get_info_key(q, "/GTS_PDFXConformance");
		rule(s, ok(c && !strcmp(c, "PDF/X-1a:2001")), "GTS_PDFXConformance", "%s",
		     c ? c : "missing");
	}
	qpdf_oh info = qp.qpdf_oh_get_key(q, qp.qpdf_get_trailer(q), "/Info");
	qpdf_oh tr = qp.qpdf_oh_get_key(q, info, "/Trapped");
	bool trapped = qp.qpdf_oh_is_name(q, tr) && (!strcmp(qp.qpdf_oh_get_name(q, tr), "/False") ||
						 !strcmp(qp.qpdf_oh_get_name(q, tr), "/True"));
	rule(s, ok(trapped), "Trapped", "%s", qp.qpdf_oh_is_name(q, tr) ? qp.qpdf_oh_get_name(q, tr) : "missing");
	bool dates = qp.qpdf_get_info_key(q, "/Title") && qp.qpdf_get_info_key(q, "/CreationDate") &&
		     qp.qpdf_get_info_key(q, "/ModDate");
	rule(s, ok(dates), "info", "Title, CreationDate and ModDate %s", dates ? "present" : "missing");
	qpdf_oh id = qp.qpdf_oh_get_key(q, qp.qpdf_get_trailer(q), "/ID");
	rule(s, ok(qp.qpdf_oh_is_array(q, id) && qp.qpdf_oh_get_array_n_items(q, id) == 2), "ID",
	     "%s", qp.qpdf_oh_is_array(q, id) ? "two strings in the trailer" : "missing");
	qpdf_oh md = qp.qpdf_oh_get_key(q, qp.qpdf_get_root(q), "/Metadata");
	unsigned char *xmp = NULL;
	size_t xl = 0;
	bool xmp_ok = false;
	if (qp.qpdf_oh_is_stream(q, md) &&
	    qp.qpdf_oh_get_stream_data(q, md, qpdf_dl_generalized, NULL, &xmp, &xl) == QPDF_SUCCESS && xmp) {
		char *t = xstrndup((const char *)xmp, xl);
		/* X-4's is pdfxid (ISO 15930-7); X-1a:2001 says it as its
		 * Info dictionary does, in Adobe's pdfx schema. */
		char tag[80];
		snprintf(tag, sizeof(tag), "<%s:GTS_PDFXVersion>%s<", x1a ? "pdfx" : "pdfxid",
			 want);
		xmp_ok = strstr(t, tag) != NULL;
		free(t);
	}
	free(xmp);
	rule(s, ok(xmp_ok), "XMP", "%s:GTS_PDFXVersion %s", x1a ? "pdfx" : "pdfxid",
	     xmp_ok ? want : "missing");
	/* ISO 15930-1 is PDF 1.3: no catalog key of a later PDF but the
	 * Metadata the PDF/X application notes allow. */
	if (x1a) {
		static const char *const later[] = {
		    "/Lang",	     "/MarkInfo",   "/OCProperties",  "/Perms",
		    "/Requirements", "/Collection", "/NeedsRendering"};
		const char *found = NULL;
		for (size_t i = 0; i < ARRAY_LEN(later) && !found; i++)
			if (qp.qpdf_oh_has_key(q, qp.qpdf_get_root(q), later[i]))
				found = later[i];
		rule(s, ok(!found), "PDF 1.3 keys", "%s",
		     found ? found : "catalog has no later key");
	}
	check_output_intent(s);
}

/* Links and bookmarks: what the profile keeps or leaves out. */
static void check_links(struct pf *s, bool cover, const struct found *fd, bool x1a)
{
	qpdf_data q = s->q;
	const struct print_profile *p = s->p;
	int annots = fd->annots, annots_in_bleed = fd->annots_in_bleed;
	qpdf_oh ol = qp.qpdf_oh_get_key(q, qp.qpdf_get_root(q), "/Outlines");
	bool has_outline = qp.qpdf_oh_is_dictionary(q, ol) && qp.qpdf_oh_has_key(q, ol, "/First");
	if (p && !p->links)
		rule(s, ok(annots == 0), "annotations", "%d (%s: links left out)", annots, p->name);
	else
		rule(s, x1a ? ok(!annots_in_bleed) : "INFO", "annotations",
		     "%d, %d inside the bleed box", annots, annots_in_bleed);
	if (!cover)
		rule(s, p ? ok(has_outline == p->outline) : "INFO", "outline", "%s%s",
		     has_outline ? "bookmarks" : "none",
		     p ? (p->outline ? " (kept)" : " (left out for print)") : "");

}

/* The style's margins against the printer's least. */
static void check_margins(struct pf *s, bool cover, int npages)
{
	const struct print_profile *p = s->p;
	if (!cover && p && p->safe > 0) {
		const struct bk_style *st = &s->b->style;
		double least = fmin(st->margin_top, fmin(st->margin_bottom, st->margin_outer));
		double gutter = print_profile_gutter(p, (size_t)npages);
		rule(s, ok(least >= p->safe - 0.01 && st->margin_inner >= gutter - 0.01), "margins",
		     "top %.1f, bottom %.1f, outer %.1f, inner %.1f mm; %s asks %.1f mm, %.1f at the "
		     "spine for %d pages",
		     st->margin_top * 25.4 / 72, st->margin_bottom * 25.4 / 72,
		     st->margin_outer * 25.4 / 72, st->margin_inner * 25.4 / 72, p->name,
		     p->safe * 25.4 / 72, gutter * 25.4 / 72, npages);
	}
}

/* Every rule on the open file (s->q), one line each, in the order a
 * printer reads them. */
/*
 * The cover's spine against the interior beside it: the wrap's trim less
 * the interior's two trims is the spine it was made with, which must be
 * the interior's page count times the paper's thickness (book.yaml's or
 * the style's 'paper:', as 'octavo cover' takes it), plus what the
 * printer adds, to 0.1 mm; and the page count the cover recorded
 * (its page's /PieceInfo /Octavo) must be the interior's.
 */
static void check_spine(struct pf *s)
{
	qpdf_data q = s->q;
	struct pg_cover_spec spec;
	if (!s->interior_pages || qp.qpdf_get_num_pages(q) < 1 ||
	    !pg_cover_spec_for(s->p ? s->p->name : NULL, s->b, &spec))
		return;
	qpdf_oh pg = qp.qpdf_get_page_n(q, 0);
	double tb[4];
	if (!box(s, pg, "/TrimBox", tb))
		return; /* the boxes rule has failed it */
	double spine = tb[2] - tb[0] - 2 * spec.trim_w;
	double want = (s->interior_pages * spec.paper + spec.spine_add) * 72;
	rule(s, ok(fabs(spine - want) <= 0.1 * 72 / 25.4), "spine",
	     "%.2f mm; the interior's %d pages x %g in (%s paper)%s make %.2f mm",
	     spine * 25.4 / 72, s->interior_pages, spec.paper, spec.paper_name,
	     spec.spine_add > 0 ? " + the printer's glue" : "", want * 25.4 / 72);
	qpdf_oh priv = qp.qpdf_oh_get_key(
	    q, qp.qpdf_oh_get_key(q, qp.qpdf_oh_get_key(q, pg, "/PieceInfo"), "/Octavo"),
	    "/Private");
	if (qp.qpdf_oh_is_dictionary(q, priv) && qp.qpdf_oh_has_key(q, priv, "/Pages")) {
		int made =
		    (int)qp.qpdf_oh_get_numeric_value(q, qp.qpdf_oh_get_key(q, priv, "/Pages"));
		rule(s, ok(made == s->interior_pages), "spine's pages",
		     "the cover was made for %d pages, the interior has %d%s", made,
		     s->interior_pages, made == s->interior_pages ? "" : ": make the cover again");
	} else {
		rule(s, "WARN", "spine's pages",
		     "the cover does not say what page count it was made for");
	}
}

static void check_file(struct pf *s, bool cover)
{
	qpdf_data q = s->q;
	const struct print_profile *p = s->p;
	bool pdfx = p && p->standard != PRINT_PDF;
	bool x1a = p && p->standard == PRINT_PDFX1A;

	check_version(s, pdfx, x1a);
	/* pages and parity */
	int npages = qp.qpdf_get_num_pages(q);
	if (!cover && p && p->parity > 1)
		rule(s, ok(npages % p->parity == 0), "page count", "%d pages (%s: a multiple of %d)",
		     npages, p->name, p->parity);
	else
		rule(s, "INFO", "page count", "%d page%s", npages, npages == 1 ? "" : "s");

	struct found fd = {.npages = npages};
	fd.res = npages ? qp.qpdf_oh_get_key(q, qp.qpdf_get_page_n(q, 0), "/Resources") : 0;
	check_boxes(s, cover, &fd);
	check_fonts(s, fd.res);
	check_images(s, cover, &fd);
	check_colour(s, cover, &fd, x1a);
	if (pdfx)
		check_pdfx(s, x1a);
	check_links(s, cover, &fd, x1a);
	check_margins(s, cover, npages);
	if (cover)
		check_spine(s);
	else
		s->interior_pages = npages;
}

/* Opens path with qpdf and checks it; false when it cannot be read. */
static bool check_path(struct pf *s, const char *path, bool cover)
{
	s->q = qp.qpdf_init();
	qp.qpdf_silence_errors(s->q);
	s->what = cover ? "cover" : "interior";
	if (qp.qpdf_read(s->q, path, NULL) & QPDF_ERRORS) {
		qpdf_error e = qp.qpdf_get_error(s->q);
		diag_error(s->d, path, 0, 0, "cannot read the PDF: %s",
			   e ? qp.qpdf_get_error_full_text(s->q, e) : "qpdf failed");
		qp.qpdf_cleanup(&s->q);
		return false;
	}
	printf("%s: %s\n", s->what, path);
	check_file(s, cover);
	int nw = 0;
	while (qp.qpdf_more_warnings(s->q)) {
		qp.qpdf_next_warning(s->q);
		nw++;
	}
	rule(s, ok(nw == 0), "syntax", "qpdf read it with %d warning%s", nw, nw == 1 ? "" : "s");
	qp.qpdf_cleanup(&s->q);
	return true;
}

int cli_preflight(const struct cli_opts *o)
{
	struct diag d;
	diag_init(&d, stderr);
	d.quiet = o->quiet;
	d.color = o->color;
	if (qpdf_load(&d) < 0)
		return CLI_IO;
	struct book *b = book_load(o->dir, o->datadir, &d);
	if (!b)
		return CLI_MANUSCRIPT;
	struct pf s = {0};
	s.b = b;
	s.d = &d;
	s.p = o->profile ? o->profile : b->style.profile;
	printf("preflight of %s against %s\n", o->dir,
	       s.p ? s.p->name : "no profile (the style names none: try --profile)");
	int status = CLI_OK;
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, "%s.pdf", b->meta.slug);
	char *path = cli_out_path(o->outdir, name.buf, &d);
	if (!path || !check_path(&s, path, false))
		status = CLI_IO;
	free(path);
	sb_reset(&name);
	sb_addf(&name, "%s-cover.pdf", b->meta.slug);
	path = cli_out_path(o->outdir, name.buf, &d);
	if (status == CLI_OK && path && access(path, R_OK) == 0 && !check_path(&s, path, true))
		status = CLI_IO;
	free(path);
	sb_release(&name);
	if (status == CLI_OK && s.fails)
		status = CLI_MANUSCRIPT;
	printf("%d rule%s failed, %d warning%s\n", s.fails, s.fails == 1 ? "" : "s", s.warns,
	       s.warns == 1 ? "" : "s");
	book_free(b);
	diag_free_source_cache();
	return status;
}
