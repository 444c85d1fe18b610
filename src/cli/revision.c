/*
 * revision.c - the revision report: which printed pages changed since the
 * last build, so an editor knows which pages to send to the printer again.
 *
 * Each build leaves OUTDIR/.SLUG.pages, one line per page:
 *
 *     index <TAB> folio <TAB> hash <TAB> part file <TAB> first <TAB> last
 *
 * where hash is a 64-bit FNV-1a of everything the page prints (texts with
 * their faces, sizes and positions, rules, images and their files' bytes)
 * and first-last the source lines of the lines set on it. The next build
 * compares page by page and writes OUTDIR/SLUG.changes.txt (a first build,
 * with nothing to compare, writes only the record).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "../book/kinds.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD_MAGIC "# octavo pages 1"

struct page_rec {
	char *label; /* the folio; "-" in a record kept by a build from before
			every page had one (layout.h) */
	uint64_t hash;
	char *file; /* "-" for none */
	int first, last;
};

struct record {
	struct page_rec *v;
	size_t n, cap;
};

/* ===== hashing ========================================================= */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Positions to 1/100 pt: what a printer could see, and stable across
 * floating-point noise. */
static uint64_t fnv_num(uint64_t h, double x)
{
	long long v = llround(x * 100);
	return fnv(h, &v, sizeof(v));
}

struct image_hash {
	const char *path;
	uint64_t hash;
};

struct hasher {
	struct image_hash *imgs;
	size_t n, cap;
};

/* The image's bytes (as the book stage read them: the file is not read
 * again), hashed once a run: a replaced chart changes the page even when
 * its size and place do not. */
static uint64_t image_hash(struct hasher *hs, const struct bk_image *img)
{
	if (!img)
		return 0;
	const char *path = img->path;
	for (size_t i = 0; i < hs->n; i++)
		if (!strcmp(hs->imgs[i].path, path))
			return hs->imgs[i].hash;
	uint64_t h = fnv(0xcbf29ce484222325ULL, img->data ? (const char *)img->data : "",
			 img->data ? img->len : 0);
	GROW(hs->imgs, hs->cap, hs->n + 1);
	hs->imgs[hs->n++] = (struct image_hash){path, h};
	return h;
}

static uint64_t page_hash(struct hasher *hs, const struct pg_page *pg)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv(h, "T", 1);
	h = fnv(h, &pg->text_hash, sizeof(pg->text_hash));
	for (size_t i = 0; i < pg->nrules; i++) {
		const struct pg_rule *r = &pg->rules[i];
		h = fnv(h, "R", 1);
		h = fnv_num(fnv_num(fnv_num(fnv_num(h, r->x), r->y), r->w), r->h);
	}
	for (size_t i = 0; i < pg->nimages; i++) {
		const struct pg_image *im = &pg->images[i];
		uint64_t ih = image_hash(hs, im->img);
		h = fnv(h, "I", 1);
		h = fnv(h, &ih, sizeof(ih));
		h = fnv_num(fnv_num(fnv_num(fnv_num(h, im->x), im->y), im->w), im->h);
	}
	return h;
}

/* ===== the record ====================================================== */

static void record_free(struct record *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].label);
		free(r->v[i].file);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* The part file of part p, as listed in book.yaml; "-" for none. */
static const char *page_file(const struct book *b, int p)
{
	return p >= 0 && (size_t)p < b->nparts && b->parts[p].file ? b->parts[p].file : "-";
}

struct cli_page_rec *cli_page_recs(const struct pg_doc *doc)
{
	struct hasher hs = {0};
	struct cli_page_rec *v = xcalloc(doc->npages ? doc->npages : 1, sizeof(*v));
	for (size_t i = 0; i < doc->npages; i++) {
		const struct pg_page *pg = &doc->pages[i];
		v[i] = (struct cli_page_rec){pg->label, page_hash(&hs, pg), pg->part, pg->src_first,
					     pg->src_last};
	}
	free(hs.imgs);
	return v;
}

static void record_of(const struct book *b, const struct cli_page_rec *pages, size_t n,
		      struct record *r)
{
	r->n = 0;
	GROW(r->v, r->cap, n ? n : 1);
	for (size_t i = 0; i < n; i++)
		r->v[r->n++] = (struct page_rec){xstrdup(pages[i].label), pages[i].hash,
						 xstrdup(page_file(b, pages[i].part)),
						 pages[i].first, pages[i].last};
}

/* Reads a record; an absent or unreadable one is empty (a first build). */
static void record_read(const char *path, struct record *r)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return;
	if (strncmp(text, RECORD_MAGIC "\n", sizeof(RECORD_MAGIC))) {
		free(text);
		return; /* another format: start afresh rather than misreport */
	}
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char *f[6];
		int nf = 0;
		for (char *p = line; nf < 6;) {
			f[nf++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (nf != 6)
			continue;
		GROW(r->v, r->cap, r->n + 1);
		r->v[r->n++] = (struct page_rec){xstrdup(f[1]), strtoull(f[2], NULL, 16),
						 xstrdup(f[3]), atoi(f[4]), atoi(f[5])};
	}
	free(text);
}

static void record_format(const struct record *r, struct strbuf *sb)
{
	sb_adds(sb, RECORD_MAGIC "\n# index, folio, content hash, part file, first and last "
				 "source lines: read by the next build's revision report\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct page_rec *p = &r->v[i];
		sb_addf(sb, "%zu\t%s\t%016" PRIx64 "\t%s\t%d\t%d\n", i + 1, p->label, p->hash,
			p->file, p->first, p->last);
	}
}

/* ===== the report ====================================================== */

/* A page as an editor names it: its folio, or [n] counting sheets (an
 * older record's page without one). */
static void page_name(struct strbuf *sb, const struct record *r, size_t i)
{
	if (strcmp(r->v[i].label, "-"))
		sb_adds(sb, r->v[i].label);
	else
		sb_addf(sb, "[%zu]", i + 1);
}

/* "pages 41-47, 52" for the changed indexes. */
static void page_ranges(struct strbuf *sb, const struct record *r, const bool *changed)
{
	size_t count = 0;
	for (size_t i = 0; i < r->n; i++)
		count += changed[i];
	sb_adds(sb, count == 1 ? "page " : "pages ");
	bool first = true;
	for (size_t i = 0; i < r->n;) {
		if (!changed[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j + 1 < r->n && changed[j + 1])
			j++;
		if (!first)
			sb_adds(sb, ", ");
		first = false;
		page_name(sb, r, i);
		if (j > i) {
			sb_addc(sb, '-');
			page_name(sb, r, j);
		}
		i = j + 1;
	}
}

/* "essays affected: 05, 06; also the front matter" */
static void parts_affected(struct strbuf *sb, const struct book *b,
			   const struct cli_page_rec *pages, size_t npages, const bool *changed)
{
	bool *part = xcalloc(b->nparts + 1, sizeof(bool));
	bool front = false;
	for (size_t i = 0; i < npages; i++) {
		if (!changed[i])
			continue;
		int p = pages[i].part;
		if (p >= 0 && (size_t)p < b->nparts)
			part[p] = true;
		else
			front = true;
	}
	bool any = false;
	for (size_t i = 0; i < b->nparts; i++) {
		if (!part[i] || b->parts[i].kind != BK_PART_ESSAY)
			continue;
		sb_adds(sb, any ? ", " : "; essays affected: ");
		sb_addf(sb, "%02d", b->parts[i].number);
		any = true;
	}
	for (size_t i = 0; i < b->nparts; i++)
		if (part[i] && b->parts[i].kind != BK_PART_ESSAY)
			sb_addf(sb, "; also the %s (%s)", bk_kind_of(b->parts[i].kind)->name,
				b->parts[i].file);
	if (front)
		sb_adds(sb, "; also the front matter");
	free(part);
}

int cli_revision(const struct book *b, const struct pg_doc *doc, const char *outdir,
		 struct cli_txn *t, char **line, struct diag *d)
{
	struct cli_page_rec *pages = cli_page_recs(doc);
	int rc = cli_revision_recs(b, pages, doc->npages, outdir, t, line, d);
	free(pages);
	return rc;
}

int cli_revision_recs(const struct book *b, const struct cli_page_rec *pages, size_t npages,
		      const char *outdir, struct cli_txn *t, char **line, struct diag *d)
{
	*line = NULL;
	struct strbuf name = STRBUF_INIT;
	sb_addf(&name, ".%s.pages", b->meta.slug);
	char *rec_path = cli_out_path(outdir, name.buf, d);
	sb_reset(&name);
	sb_addf(&name, "%s.changes.txt", b->meta.slug);
	char *txt_path = cli_out_path(outdir, name.buf, d);
	int rc = -1;
	struct record old = {0}, cur = {0};
	struct strbuf sum = STRBUF_INIT, txt = STRBUF_INIT, rec = STRBUF_INIT;
	if (!rec_path || !txt_path)
		goto out;
	record_read(rec_path, &old);
	record_of(b, pages, npages, &cur);

	bool *changed = xcalloc(cur.n + 1, sizeof(bool));
	size_t nchanged = 0;
	for (size_t i = 0; i < cur.n; i++) {
		changed[i] = i >= old.n || old.v[i].hash != cur.v[i].hash;
		nchanged += changed[i];
	}
	if (!old.n) {
		sb_addf(&sum, "no earlier build recorded in %s; %zu pages recorded", outdir, cur.n);
	} else if (!nchanged && old.n == cur.n) {
		sb_addf(&sum, "no pages changed (%zu pages)", cur.n);
	} else {
		if (nchanged) {
			page_ranges(&sum, &cur, changed);
			sb_adds(&sum, " changed");
		} else {
			sb_adds(&sum, "no page changed");
		}
		if (old.n != cur.n)
			sb_addf(&sum, "; page count %zu -> %zu", old.n, cur.n);
		parts_affected(&sum, b, pages, npages, changed);
	}

	sb_addf(&txt,
		"Revision report for %s.pdf: the printed pages that changed since the last "
		"build.\n\n%s\n",
		b->meta.slug, sum.buf);
	if (old.n && nchanged) {
		sb_adds(&txt, "\nsheet\tpage\tpart\tsource lines\n");
		for (size_t i = 0; i < cur.n; i++) {
			if (!changed[i])
				continue;
			const struct page_rec *p = &cur.v[i];
			sb_addf(&txt, "%zu\t%s\t%s\t", i + 1, p->label, p->file);
			if (p->first)
				sb_addf(&txt, "%d-%d\n", p->first, p->last);
			else
				sb_adds(&txt, "-\n");
		}
	}
	for (size_t i = cur.n; i < old.n; i++)
		sb_addf(&txt, "%s%zu\t%s\t%s\tremoved\n",
			i == cur.n ? "\nno longer printed:\n" : "", i + 1, old.v[i].label,
			old.v[i].file);
	record_format(&cur, &rec);
	free(changed);

	/* With no record there is nothing to compare, and no report: a stale
	 * one from before the record went would mislead. */
	sb_reset(&name);
	sb_addf(&name, "%s.changes.txt", b->meta.slug);
	if (!old.n)
		cli_txn_remove(t, name.buf);
	else if (cli_txn_put(t, name.buf, txt.buf, txt.len, d) < 0)
		goto out;
	sb_reset(&name);
	sb_addf(&name, ".%s.pages", b->meta.slug);
	if (cli_txn_put(t, name.buf, rec.buf, rec.len, d) < 0)
		goto out;
	*line = sb_detach(&sum, NULL);
	rc = 0;
out:
	sb_release(&name);
	sb_release(&sum);
	sb_release(&txt);
	sb_release(&rec);
	record_free(&old);
	record_free(&cur);
	free(rec_path);
	free(txt_path);
	return rc;
}
