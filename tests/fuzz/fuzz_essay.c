/*
 * fuzz_essay.c - libFuzzer target: arbitrary bytes as the one essay of a
 * fixed book, through the whole pipeline to PDF and EPUB.
 */
#include "fuzz.h"

#include <stdbool.h>

static const char book_yaml[] = "title: Fuzz\n"
				"language: en-GB\n"
				"identifiers:\n"
				"  uuid: urn:uuid:11111111-2222-3333-4444-555555555555\n"
				"slug: fuzz\n"
				"style: style.yaml\n"
				"parts:\n"
				"  - one.md\n";

static const char good_md[] = "---\ntitle: \"One\"\n---\n\nText with a note.[^1]\n\n"
			      "![A dot](images/ok.png)\n\n[^1]: The note.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		fuzz_put("book.yaml", book_yaml, sizeof(book_yaml) - 1);
		fuzz_selftest("one.md", good_md, sizeof(good_md) - 1);
		ready = true;
	}
	fuzz_put("one.md", data, size);
	fuzz_build();
	return 0;
}
