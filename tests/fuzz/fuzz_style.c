/*
 * fuzz_style.c - libFuzzer target: arbitrary bytes as the book's style
 * file (style.yaml, named by a fixed book.yaml) over one essay that uses
 * every kind of block, through the whole pipeline. The scratch book holds
 * the fonts (fonts/) and epub.css for the style to name.
 */
#include "fuzz.h"

#include <stdbool.h>

static const char book_yaml[] = "title: Styled\nlanguage: en-GB\nstyle: style.yaml\n"
				"identifiers: {uuid: 11111111-2222-3333-4444-555555555555}\n"
				"parts: [one.md]\n";
static const char one_md[] =
    "---\ntitle: \"One\"\nsubtitle: \"A subtitle\"\nauthor: \"An author\"\n---\n\n"
    "A paragraph of text long enough to be broken into several lines, with *emphasis*, "
    "**strong** words, `code`, a [link](http://example.org) and a note.[^1] The Civil "
    "Exchange and its partnership with government, independent and voluntary.\n\n"
    "## A section\n\n> A quotation, set in from both sides.\n\n- a list\n- of two\n\n"
    "1. ordered\n2. list\n\n```\ncode block\n```\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
    "---\n\n### A subsection\n\n![A dot](images/ok.png)\n\n[^1]: The note, in a smaller "
    "size.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		fuzz_put("book.yaml", book_yaml, sizeof(book_yaml) - 1);
		fuzz_put("one.md", one_md, sizeof(one_md) - 1);
		ready = true; /* fuzz_dir() wrote a good style.yaml: */
		fuzz_selftest("one.md", one_md, sizeof(one_md) - 1);
	}
	fuzz_put("style.yaml", data, size);
	fuzz_build();
	return 0;
}
