/*
 * fuzz_yaml.c - libFuzzer target: arbitrary bytes as book.yaml, over two
 * fixed essays (and the local style.yaml that fuzz.c writes), through the
 * whole pipeline.
 */
#include "fuzz.h"

#include <stdbool.h>

static const char one_md[] = "---\ntitle: \"One\"\nauthor: \"An author\"\n---\n\n"
			     "First essay, with a note.[^1]\n\n[^1]: The note.\n";
static const char two_md[] = "# Two\n\n> A quotation.\n\n- a list\n- of two\n\n"
			     "![A dot](images/ok.png)\n";

static const char good_yaml[] = "title: Good\nlanguage: en-GB\nstyle: style.yaml\n"
				"identifiers: {uuid: 11111111-2222-3333-4444-555555555555}\n"
				"parts: [one.md, two.md]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		fuzz_put("one.md", one_md, sizeof(one_md) - 1);
		fuzz_put("two.md", two_md, sizeof(two_md) - 1);
		fuzz_selftest("book.yaml", good_yaml, sizeof(good_yaml) - 1);
		ready = true;
	}
	fuzz_put("book.yaml", data, size);
	fuzz_build();
	return 0;
}
