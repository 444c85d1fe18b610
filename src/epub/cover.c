/*
 * cover.c - the EPUB's cover image, made from the book's metadata: the
 * title, the subtitle and the publisher set on the style's accent colour,
 * as SVG. The text stays text (<text> naming the style's family), so the
 * cover is sharp at any size and costs a few hundred bytes.
 *
 * SVG cannot measure text, so lines are broken here on a rough estimate
 * of Charis's advance widths, with room to spare.
 */
#include "epub-int.h"

#include <string.h>

/* The canvas: 2:3, the shape of most ebook covers, in SVG user units. */
#define COVER_W	   1400
#define COVER_H	   2100
#define COVER_TEXT 1100 /* the widest a line may be */
#define MAX_LINES  6

/* A family list for <text>: the reading system's Charis if it has one. */
#define COVER_FONTS "'Charis SIL', Charis, Georgia, 'Times New Roman', serif"

struct line {
	const char *s;
	size_t n;
};

/* Roughly how wide n bytes of s are, in ems of Charis: generous, so a
 * line measured to fit does fit. */
static double est_width(const char *s, size_t n)
{
	double w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		int k = utf8_decode((const unsigned char *)s + i, n - i, &c);
		if (k < 0)
			k = 1, c = '?';
		i += (size_t)k;
		if (c == ' ')
			w += 0.27;
		else if (c >= 'A' && c <= 'Z')
			w += c == 'M' || c == 'W' ? 0.95 : 0.7;
		else if (strchr("ijlft.,;:'!|", (int)c) && c < 0x80)
			w += 0.33;
		else if (c == 'm' || c == 'w')
			w += 0.85;
		else
			w += 0.56;
	}
	return w;
}

/* Breaks s into at most max lines no wider than width at size, greedily
 * at spaces. Returns the number of lines, or 0 when s does not fit. */
static int wrap(const char *s, double size, double width, struct line *out, int max)
{
	int nl = 0;
	const char *p = s;
	while (*p == ' ')
		p++;
	while (*p) {
		if (nl == max)
			return 0;
		/* Take words while the line still fits. */
		const char *end = NULL, *q = p;
		while (*q) {
			const char *w = q;
			while (*w && *w != ' ')
				w++;
			if (end && est_width(p, (size_t)(w - p)) * size > width)
				break;
			end = w;
			q = w;
			while (*q == ' ')
				q++;
		}
		if (est_width(p, (size_t)(end - p)) * size > width)
			return 0; /* one word too wide for the line */
		out[nl++] = (struct line){p, (size_t)(end - p)};
		p = q;
	}
	return nl;
}

/* The largest size from hi down to lo (in steps of step) at which s
 * fits in max_lines; at lo it is wrapped as it falls. Returns the lines. */
static int fit(const char *s, double hi, double lo, double step, int max_lines, double *size,
	       struct line *out)
{
	for (double z = hi; z >= lo; z -= step) {
		int n = wrap(s, z, COVER_TEXT, out, max_lines);
		if (n > 0) {
			*size = z;
			return n;
		}
	}
	*size = lo;
	int n = wrap(s, lo, COVER_TEXT, out, MAX_LINES);
	if (n == 0) { /* hopelessly long: one line, and let it overflow */
		out[0] = (struct line){s, strlen(s)};
		n = 1;
	}
	return n;
}

static void text_lines(struct strbuf *sb, const struct line *v, int n, double y, double lead)
{
	for (int i = 0; i < n; i++) {
		sb_addf(sb, "<text x=\"%d\" y=\"%.0f\">", COVER_W / 2, y + lead * i);
		sb_add_xml(sb, v[i].s, v[i].n);
		sb_adds(sb, "</text>\n");
	}
}

char *epub_cover_svg(struct epub *e, size_t *len)
{
	const struct bk_meta *m = &e->b->meta;
	unsigned rgb = e->b->style.accent_rgb & 0xFFFFFF;
	unsigned r = rgb >> 16, g = (rgb >> 8) & 0xFF, bl = rgb & 0xFF;
	/* Light text on a dark accent, dark text on a light one. */
	const char *ink = (299 * r + 587 * g + 114 * bl) / 1000 < 150 ? "#ffffff" : "#1a1a1a";
	const char *title = m->title && *m->title ? m->title : "Untitled";

	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" xml:lang=\"");
	epub_add_str(&sb, e->lang);
	sb_addf(&sb, "\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>", COVER_W,
		COVER_H, COVER_W, COVER_H);
	epub_add_str(&sb, title);
	sb_adds(&sb, "</title>\n");
	sb_addf(&sb, "<rect width=\"%d\" height=\"%d\" fill=\"#%06x\"/>\n", COVER_W, COVER_H, rgb);
	sb_addf(&sb,
		"<rect x=\"70\" y=\"70\" width=\"%d\" height=\"%d\" fill=\"none\" "
		"stroke=\"%s\" stroke-opacity=\"0.6\" stroke-width=\"3\"/>\n",
		COVER_W - 140, COVER_H - 140, ink);

	struct line lines[MAX_LINES];
	double size;
	int n = fit(title, 160, 90, 10, 3, &size, lines);
	double y = 560 + size;
	sb_addf(&sb, "<g fill=\"%s\" font-family=\"%s\" text-anchor=\"middle\">\n", ink,
		COVER_FONTS);
	sb_addf(&sb, "<g font-size=\"%.0f\">\n", size);
	text_lines(&sb, lines, n, y, size * 1.15);
	sb_adds(&sb, "</g>\n");
	y += size * 1.15 * (n - 1) + size * 0.9;
	sb_addf(&sb,
		"<line x1=\"%d\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\" stroke=\"%s\" "
		"stroke-width=\"4\"/>\n",
		COVER_W / 2 - 140, y, COVER_W / 2 + 140, y, ink);

	if (m->subtitle && *m->subtitle) {
		n = fit(m->subtitle, 68, 44, 4, 4, &size, lines);
		sb_addf(&sb, "<g font-size=\"%.0f\" font-style=\"italic\">\n", size);
		text_lines(&sb, lines, n, y + 60 + size, size * 1.3);
		sb_adds(&sb, "</g>\n");
	}
	if (m->publisher && *m->publisher) {
		n = fit(m->publisher, 54, 30, 4, 2, &size, lines);
		sb_addf(&sb, "<g font-size=\"%.0f\" letter-spacing=\"4\">\n", size);
		text_lines(&sb, lines, n, COVER_H - 190 - size * 1.2 * (n - 1), size * 1.2);
		sb_adds(&sb, "</g>\n");
	}
	sb_adds(&sb, "</g>\n</svg>\n");
	return sb_detach(&sb, len);
}

void epub_set_cover_image(struct epub *e, const unsigned char *png, size_t len)
{
	if (!png || !len)
		return;
	e->cover_png = png;
	e->cover_png_len = len;
	e->cover_name = EPUB_COVER_PNG;
}
