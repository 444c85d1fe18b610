/*
 * fuzz.c - the scratch book and the pipeline run both harnesses share.
 * See fuzz.h.
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "fuzz.h"

#include "book/book.h"
#include "epub/epub.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "text/text.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef FUZZ_XML
#include <libxml/parser.h>
#include <zip.h>
#endif

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

static char dir[64];
static FILE *devnull;

/* A 1 x 1 grey PNG, and a 16 x 16 baseline JPEG (cjpeg -quality 50): images
 * are decoded whole when the book is read, so both must be real. */
static const unsigned char png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
    0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char jpg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c, 0x0a, 0x10,
    0x0e, 0x0d, 0x0e, 0x12, 0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23,
    0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40, 0x48, 0x5c, 0x4e, 0x40,
    0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51, 0x57, 0x5f, 0x62, 0x67, 0x68, 0x67, 0x3e, 0x4d,
    0x71, 0x79, 0x70, 0x64, 0x78, 0x5c, 0x65, 0x67, 0x63, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x11, 0x12,
    0x12, 0x18, 0x15, 0x18, 0x2f, 0x1a, 0x1a, 0x2f, 0x63, 0x42, 0x38, 0x42, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0xff, 0xc0,
    0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
    0x01, 0xff, 0xc4, 0x00, 0x15, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x06, 0xff, 0xc4, 0x00, 0x17, 0x10, 0x01, 0x00, 0x03,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x21,
    0x31, 0xff, 0xc4, 0x00, 0x15, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xc4, 0x00, 0x19, 0x11, 0x00, 0x02, 0x03,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03,
    0x05, 0x21, 0x31, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f,
    0x00, 0x9f, 0x38, 0x72, 0xa2, 0x67, 0x0e, 0x54, 0x4c, 0xe1, 0xca, 0x89, 0x9c, 0x39, 0x52, 0xa5,
    0x6c, 0x57, 0xbd, 0xcd, 0x3f, 0xff, 0xd9,
};

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes the scratch folder (without a shell: nftw, depth first). */
static void cleanup(void)
{
	if (dir[0] && nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

/* Copies file src into the scratch book as name. */
static void copy_in(const char *src, const char *name)
{
	size_t len;
	char *data = read_file(src, &len);
	if (!data) {
		perror(src);
		abort();
	}
	fuzz_put(name, data, len);
	free(data);
}

/*
 * style.yaml: the house design over fonts/ and epub.css, copied into the
 * scratch book (a book's style may name only files inside the book or
 * octavo's own folders) from $FUZZ_FONTS - the subset fonts fuzz.sh makes,
 * for speed - or else the shared fonts.
 */
static void write_style(void)
{
	static const char *const names[] = {"CharisSIL-Regular.ttf", "CharisSIL-Italic.ttf",
					    "CharisSIL-Bold.ttf", "CharisSIL-BoldItalic.ttf",
					    "NotoSansMono-Regular.ttf"};
	static const char style[] = "page: {width: 138mm, height: 216mm}\n"
				    "margins: {top: 17mm, bottom: 21mm, inner: 16mm, outer: 20mm}\n"
				    "body: {size: 10.5pt, leading: 14pt, indent: 1em}\n"
				    "notes: {size: 8.5pt, leading: 11pt}\n"
				    "fonts:\n"
				    "  regular: fonts/CharisSIL-Regular.ttf\n"
				    "  italic: fonts/CharisSIL-Italic.ttf\n"
				    "  bold: fonts/CharisSIL-Bold.ttf\n"
				    "  bold-italic: fonts/CharisSIL-BoldItalic.ttf\n"
				    "  mono: fonts/NotoSansMono-Regular.ttf\n"
				    "epub: {css: epub.css}\n"
				    "hyphenation: [Civil Ex-change]\n";
	const char *fonts = getenv("FUZZ_FONTS");
	if (!fonts || !*fonts)
		fonts = FUZZ_ROOT "/fonts";
	char path[512];
	snprintf(path, sizeof(path), "%s/fonts", dir);
	mkdir(path, 0755);
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", fonts, names[i]);
		char name[128];
		snprintf(name, sizeof(name), "fonts/%s", names[i]);
		copy_in(path, name);
	}
	copy_in(FUZZ_ROOT "/styles/epub.css", "epub.css");
	fuzz_put("style.yaml", style, sizeof(style) - 1);
}

const char *fuzz_dir(void)
{
	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "/dev/shm/octavo-fuzz-XXXXXX");
	if (access("/dev/shm", W_OK) != 0)
		snprintf(dir, sizeof(dir), "/tmp/octavo-fuzz-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(cleanup);
	devnull = fopen("/dev/null", "w");
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/images", dir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof(sub), "%s/out", dir);
	mkdir(sub, 0755);
	fuzz_put("images/ok.png", png, sizeof(png));
	fuzz_put("images/ok.jpg", jpg, sizeof(jpg));
	fuzz_put("images/bad.png", "not an image\n", 13);
	fuzz_put("images/short.png", png, 20);
	write_style();
	return dir;
}

void fuzz_put(const char *name, const void *data, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

#ifdef FUZZ_XML
/* Every .xhtml, .opf, .ncx and .xml member of the EPUB must parse. */
static void check_epub_xml(const char *path)
{
	int err;
	zip_t *za = zip_open(path, ZIP_RDONLY, &err);
	if (!za)
		return; /* not written: the build failed, which is allowed */
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		size_t nl = strlen(name);
		bool xml = false;
		static const char *const exts[] = {".xhtml", ".opf", ".ncx", ".xml"};
		for (size_t k = 0; k < ARRAY_LEN(exts); k++) {
			size_t el = strlen(exts[k]);
			if (nl > el && !strcmp(name + nl - el, exts[k]))
				xml = true;
		}
		if (!xml)
			continue;
		zip_stat_t st;
		zip_stat_index(za, (zip_uint64_t)i, 0, &st);
		zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
		char *buf = xmalloc(st.size + 1);
		zip_int64_t got = zip_fread(zf, buf, st.size);
		zip_fclose(zf);
		xmlDocPtr doc =
		    got < 0
			? NULL
			: xmlReadMemory(buf, (int)got, name, NULL,
					XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (!doc) {
			fprintf(stderr, "fuzz: %s in the EPUB is not well-formed XML:\n%.*s\n",
				name, (int)got, buf);
			abort();
		}
		xmlFreeDoc(doc);
		free(buf);
	}
	zip_close(za);
}
#endif

/* Nothing may be written outside out/, and nothing may stay in it once
 * the outputs are gone (no stray temporary files). */
static void check_confined(void)
{
	static const char *const mine[] = {".",	     "..",	   "images",	"out",
					   "fonts",  "epub.css",   "book.yaml", "one.md",
					   "two.md", "style.yaml", NULL};
	for (int i = 0; i < 2; i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), i ? "out" : "");
		DIR *dp = opendir(path);
		if (!dp)
			abort();
		struct dirent *de;
		while ((de = readdir(dp))) {
			bool ok = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
			for (int k = 0; !i && mine[k]; k++)
				ok |= !strcmp(de->d_name, mine[k]);
			if (!ok) {
				fprintf(stderr, "fuzz: the build left '%s' in %s\n", de->d_name,
					path);
				abort();
			}
		}
		closedir(dp);
	}
}

int fuzz_build(void)
{
	int made = 0;
	const char *d0 = fuzz_dir();
	const char *datadir = getenv("OCTAVO_DATADIR");
	if (!datadir || !*datadir)
		datadir = FUZZ_ROOT;
	struct diag d;
	diag_init(&d, getenv("FUZZ_VERBOSE") ? stderr : devnull);
	struct book *b = book_load(d0, datadir, &d);
	if (!b) {
		check_confined();
		return 0;
	}
	/* Output names come from the book's slug, as in main.c. */
	struct strbuf pdf = STRBUF_INIT, epub = STRBUF_INIT;
	sb_addf(&pdf, "%s/out/%s.pdf", d0, b->meta.slug);
	sb_addf(&epub, "%s/out/%s.epub", d0, b->meta.slug);
	struct tx_fonts *f = tx_fonts_load(&b->style, b->meta.language, &d);
	if (f) {
		struct pg_doc *doc = pg_compose(b, f, &d);
		if (doc && !d.nerr && pdf_write(b, doc, f, pdf.buf, &d) == 0)
			made |= 1;
		pg_doc_free(doc);
		tx_fonts_free(f);
	}
	if (!d.nerr && !getenv("FUZZ_NO_EPUB")) {
		if (epub_write(b, NULL, 0, epub.buf, &d) == 0)
			made |= 2;
#ifdef FUZZ_XML
		check_epub_xml(epub.buf);
#endif
	}
	book_free(b);
	unlink(pdf.buf);
	unlink(epub.buf);
	sb_release(&pdf);
	sb_release(&epub);
	check_confined();
	return made;
}

void fuzz_selftest(const char *name, const char *good, size_t len)
{
	fuzz_put(name, good, len);
	if (fuzz_build() != 3) {
		fprintf(stderr,
			"fuzz: the scratch book in %s does not build; rerun with "
			"FUZZ_VERBOSE=1 to see why\n",
			fuzz_dir());
		abort();
	}
}
