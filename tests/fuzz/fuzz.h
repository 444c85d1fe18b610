/*
 * fuzz.h - what the two libFuzzer harnesses share: a scratch book folder
 * under /dev/shm and one run of the whole pipeline over it.
 *
 * fuzz_essay.c feeds the fuzzer's bytes in as the book's one essay,
 * fuzz_yaml.c as its book.yaml. Both then run what 'octavo build' runs -
 * book_load, tx_fonts_load, pg_compose, pdf_write, epub_write - and, when
 * built with FUZZ_XML (libxml2), parse every XML file in the EPUB and abort
 * on one that is not well-formed, so a broken file is a crash too.
 */
#ifndef OCTAVO_FUZZ_H
#define OCTAVO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The scratch book folder, made on first use and removed at exit. It holds
 * images/ok.png, images/ok.jpg, images/bad.png (not an image) and
 * images/short.png (truncated) for essays to point at. Borrowed. */
const char *fuzz_dir(void);

/* Writes len bytes to fuzz_dir()/name. */
void fuzz_put(const char *name, const void *data, size_t len);

/* Runs the pipeline over fuzz_dir() as 'octavo build' would. Returns
 * which outputs were written: 1 the PDF, 2 the EPUB (3 both). */
int fuzz_build(void);

/* Writes good to fuzz_dir()/name and aborts unless the book builds: a
 * harness whose scratch book cannot build would fuzz nothing but errors. */
void fuzz_selftest(const char *name, const char *good, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
