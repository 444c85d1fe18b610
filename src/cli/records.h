/*
 * records.h - a file of checked records kept in the output folder,
 * OUTDIR/.SLUG.NAME: what one build made that the next may take instead of
 * making it again. It serves the four such stores: the EPUB's deflated
 * entries (deflated.c), the PDF's streams and font subsets (pdfstore.c),
 * the compiled hyphenation patterns and the shaped words (patterns.c);
 * each keeps only its own keys and payloads.
 *
 * The file: the store's magic line (its name and format version), then
 * records, each a head (struct records_head in records.c: its check, the
 * key's length, the data's length), the key, the data. A record's check is
 * the CRC-32 (zlib's) of its lengths, key and data.
 *
 * Invariants:
 *  - A record is found by its key, compared byte for byte, and given out
 *    only once its check holds (made once, when first asked for): a
 *    damaged, cut, foreign or older-format file costs the time to make its
 *    records again, never a wrong byte. A file is read up to the first
 *    record that does not fit in it.
 *  - The file the next build reads holds the records this build took or
 *    added, in the order it first took or added them, and nothing else.
 *    With a transaction at open they are written where it stages the file
 *    (cli_txn_staged_path) from the first record added on, each as it
 *    comes, so the store holds no second copy of them; without one (a
 *    store read before the output folder is locked) they are written at
 *    close. The file is staged at close, or removed. A build that took every
 *    record of the file (in any order) and added none, or took and added
 *    nothing, leaves the file as it is.
 *  - Pointers given out (the data of cli_records_get and cli_records_keep)
 *    stay valid and unchanged until cli_records_close.
 *  - One thread at a time per store; only cli_records_peek may be called
 *    from several at once, while no other call runs on the store.
 */
#ifndef OCTAVO_CLI_RECORDS_H
#define OCTAVO_CLI_RECORDS_H

#include "cli.h"

struct cli_records;

/*
 * The store OUTDIR/.SLUG.NAME whose first line is magic (with its '\n'),
 * read whole now; an empty store when the file cannot be read or has
 * another magic line. t: the build's transaction, already open (records
 * are then written as they come), or NULL. Never NULL; the caller closes
 * it with cli_records_close.
 */
struct cli_records *cli_records_open(const char *outdir, const char *slug, const char *name,
				     const char *magic, struct cli_txn *t);
/*
 * The data (*len bytes) of the record under key (klen bytes) whose check
 * holds, or NULL. Borrowed from the store (valid until it is closed). The
 * record is taken for the next file unless the caller's next call on the
 * store puts the same key (it found the data wanting and made it again).
 */
const char *cli_records_get(struct cli_records *s, const void *key, size_t klen, size_t *len);
/* The data cli_records_get would give for key (its check made here, not
 * kept), without taking the record or changing the store in any way: for
 * threads that ask at once, before one thread takes in order what they
 * found (the PDF's page streams). NULL when get would give none. */
const char *cli_records_peek(const struct cli_records *s, const void *key, size_t klen,
			     size_t *len);
/* Adds the record key -> data (len bytes), both borrowed for the call, in
 * place of any under that key not taken yet. */
void cli_records_put(struct cli_records *s, const void *key, size_t klen, const void *data,
		     size_t len);
/* As cli_records_put, but data is malloc'd and becomes the store's: it
 * stays where it is until close (the caller may go on lending it), and
 * a get of key gives it back. */
void cli_records_keep(struct cli_records *s, const void *key, size_t klen, char *data, size_t len);
/* Whether the store has a record whose check holds, read or added. */
bool cli_records_any(struct cli_records *s);
/* Stages the new file in t, when t is not NULL and the file changes, as
 * OUTDIR/.SLUG.NAME (best effort: a store not written costs the next build
 * time only); drops it otherwise. Then frees s (NULL: nothing). */
void cli_records_close(struct cli_records *s, struct cli_txn *t);

#endif
