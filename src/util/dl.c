/*
 * dl.c - opening a library with dlopen and finding its calls (dl.h).
 */
#include "dl.h"

#include <dlfcn.h>
#include <stdio.h>

void *dl_load(const char *const *names, size_t nnames, const struct dl_sym *syms, size_t nsyms,
	      struct dl_fail *why)
{
	void *h = NULL;
	const char *e = NULL;
	for (size_t i = 0; i < nnames && !h; i++) {
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (!h)
			e = dlerror();
	}
	if (!h) {
		why->missing = NULL;
		snprintf(why->detail, sizeof(why->detail), "%s", e ? e : "no library name given");
		return NULL;
	}
	/* Every call is looked up before any is stored, so that a library
	 * that lacks one leaves the caller's table as it was. */
	for (size_t i = 0; i < nsyms; i++) {
		dlerror();
		if (!dlsym(h, syms[i].name)) {
			why->missing = syms[i].name;
			e = dlerror();
			snprintf(why->detail, sizeof(why->detail), "%s", e ? e : "a null address");
			dlclose(h);
			return NULL;
		}
	}
	for (size_t i = 0; i < nsyms; i++)
		*syms[i].fn = dlsym(h, syms[i].name);
	return h;
}
