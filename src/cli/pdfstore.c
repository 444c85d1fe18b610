/*
 * pdfstore.c - the PDF's streams as the last build deflated them, kept in
 * OUTDIR/.SLUG.pdf-streams so that a rebuild does not deflate again what
 * has not changed (cli.h, struct pdf_store in pdf.h). Deflating the page
 * contents was 61 M of the edition's 146 M PDF instructions; an editor who
 * changes one essay changes only its pages' streams.
 *
 * A file of checked records (records.h): a stream's key is struct
 * pdf_zkey (its CRC-32 and Adler-32, its length, the hash of zlib's
 * version and settings; for a font subset, pdf/subsets.c's key), its data
 * the zlib data. The PDF stage checks a stream's zlib trailer against the
 * stream besides, so a stale or damaged file costs time, never a wrong
 * byte. It holds the last build's streams only, so it never grows beyond
 * one PDF's deflated streams, and each is written to the new file as the
 * PDF makes or takes it: the PDF lends libharu the streams until it is
 * saved, and the store adds no copy of them.
 */
#include "../pdf/pdf.h"
#include "records.h"

#include <stdlib.h>

#define MAGIC "octavo pdf streams 3\n"

struct cli_pdfstore {
	struct pdf_store api;	/* what the PDF stage is lent; ctx is this */
	struct cli_records *rs; /* the file */
};

static const char *get(void *ctx, const struct pdf_zkey *key, size_t *zlen)
{
	struct cli_pdfstore *s = ctx;
	return cli_records_get(s->rs, key, sizeof(*key), zlen);
}

static const char *peek(const void *ctx, const struct pdf_zkey *key, size_t *zlen)
{
	const struct cli_pdfstore *s = ctx;
	return cli_records_peek(s->rs, key, sizeof(*key), zlen);
}

/* z is the store's from now on (and lent to libharu until the PDF is
 * saved: kept until close). */
static void keep(void *ctx, const struct pdf_zkey *key, char *z, size_t zlen)
{
	struct cli_pdfstore *s = ctx;
	cli_records_keep(s->rs, key, sizeof(*key), z, zlen);
}

struct cli_pdfstore *cli_pdfstore_open(const char *outdir, const char *slug, struct cli_txn *t)
{
	struct cli_pdfstore *s = xcalloc(1, sizeof(*s));
	s->api = (struct pdf_store){.get = get, .keep = keep, .peek = peek, .ctx = s};
	s->rs = cli_records_open(outdir, slug, "pdf-streams", MAGIC, t);
	return s;
}

const struct pdf_store *cli_pdfstore_api(const struct cli_pdfstore *s)
{
	return &s->api;
}

void cli_pdfstore_close(struct cli_pdfstore *s, struct cli_txn *t)
{
	if (!s)
		return;
	cli_records_close(s->rs, t);
	free(s);
}
