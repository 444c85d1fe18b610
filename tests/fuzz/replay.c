/*
 * replay.c - runs a harness over files without libFuzzer, so that
 * 'make test' can replay the corpus with gcc's sanitizers alone:
 *   replay FILE...   (a directory is read file by file)
 * Prints one line per file it could not read; a crash is a sanitizer abort.
 */
#define _DEFAULT_SOURCE
#include "fuzz.h"

#include "util/util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run(const char *path)
{
	size_t len;
	char *data = read_file(path, &len);
	if (!data) {
		perror(path);
		return 1;
	}
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0, n = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int k = scandir(argv[i], &names, NULL, alphasort);
			for (int j = 0; j < k; j++) {
				if (names[j]->d_name[0] != '.') {
					char *p = path_join(argv[i], names[j]->d_name);
					bad |= run(p);
					n++;
					free(p);
				}
				free(names[j]);
			}
			free(names);
		} else {
			bad |= run(argv[i]);
			n++;
		}
	}
	printf("replayed %d inputs\n", n);
	return bad;
}
