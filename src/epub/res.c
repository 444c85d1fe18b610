/*
 * res.c - the names of the files the EPUB copies in (images, fonts,
 * licences): safe for a zip and a URL, and unique in the package. The
 * XHTML writer registers each image here as it cites it; epub.c reads and
 * packs them. Also the names of the package's own XHTML files (a part's,
 * the front matter's), which the writers of its text, its notes and its
 * manifest all need (here, below them, so no two call each other back).
 */
#include "epub-int.h"

#include <ctype.h>
#include <string.h>

const char *epub_res_name(struct epub *e, const char *dir, const char *path, const char *ext,
			  const struct epub_res *v, size_t n)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t blen = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, dir);
	sb_addc(&sb, '/');
	size_t start = sb.len;
	for (size_t i = 0; i < blen; i++) {
		unsigned char c = (unsigned char)base[i];
		bool ok = c < 0x80 && (isalnum(c) || c == '-' || c == '_');
		if (ok)
			sb_addc(&sb, (char)c);
		else if (sb.len > start && sb.buf[sb.len - 1] != '-')
			sb_addc(&sb, '-');
	}
	while (sb.len > start && sb.buf[sb.len - 1] == '-')
		sb_truncate(&sb, sb.len - 1);
	if (sb.len == start)
		sb_adds(&sb, dir[0] == 'i' ? "image" : "font");
	size_t stem = sb.len;
	for (int k = 2;; k++) {
		sb_adds(&sb, ext);
		bool taken = false;
		for (size_t i = 0; i < n && !taken; i++)
			taken = !strcmp(v[i].name, sb.buf);
		taken |= e->cover_name && !strcmp(e->cover_name, sb.buf);
		taken |= !strcmp(EPUB_COVER_PNG, sb.buf);
		if (!taken)
			break;
		sb_truncate(&sb, stem);
		sb_addf(&sb, "-%d", k);
	}
	const char *r = ar_strndup(&e->arena, sb.buf, sb.len);
	sb_release(&sb);
	return r;
}

const char *epub_image_ext(const char *media_type)
{
	if (!strcmp(media_type, "image/png"))
		return ".png";
	if (!strcmp(media_type, "image/jpeg"))
		return ".jpg";
	if (!strcmp(media_type, "image/gif"))
		return ".gif";
	if (!strcmp(media_type, "image/svg+xml"))
		return ".svg";
	return ".img"; /* reported when the package is put together */
}

const struct epub_res *epub_image_lookup(struct epub *e, const struct bk_image *img)
{
	for (size_t i = 0; i < e->nimages; i++)
		if (!strcmp(e->images[i].path, img->path))
			return &e->images[i];
	GROW(e->images, e->images_cap, e->nimages + 1);
	struct epub_res *r = &e->images[e->nimages];
	memset(r, 0, sizeof(*r));
	r->path = img->path;
	r->img = img;
	r->media_type = img->media_type ? img->media_type : "application/octet-stream";
	r->name =
	    epub_res_name(e, "images", img->path, epub_image_ext(r->media_type), e->images, e->nimages);
	r->id = ar_printf(&e->arena, "img-%zu", e->nimages + 1);
	e->nimages++;
	return r;
}

/* ===== the package's own files ======================================= */

const char *epub_part_file(struct epub *e, const struct bk_part *p)
{
	return ar_printf(&e->arena, "text/%s.xhtml", p->id);
}

const char *epub_front_file(enum epub_front f)
{
	static const char *const files[EPUB_NFRONT] = {"text/titlepage.xhtml",
						       "text/copyright.xhtml", "nav.xhtml"};
	return files[f];
}
