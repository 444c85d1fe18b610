/*
 * dl.c - opening a library with dlopen and finding its calls (dl.h).
 */
#define _GNU_SOURCE /* RTLD_DEEPBIND */
#include "dl.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif

/* Whether a library may be bound to its own dependencies first: nothing
 * preloaded, no sanitizer (dl.h, dl_load_own). */
static bool may_deepbind(void)
{
#if defined(SANITIZED) || !defined(RTLD_DEEPBIND)
	return false;
#else
	const char *pre = getenv("LD_PRELOAD");
	struct stat st;
	return !(pre && *pre) && !(stat("/etc/ld.so.preload", &st) == 0 && st.st_size > 0);
#endif
}

static void *load(const char *const *names, size_t nnames, const struct dl_sym *syms,
		  size_t nsyms, int flags, struct dl_fail *why)
{
	void *h = NULL;
	const char *e = NULL;
	for (size_t i = 0; i < nnames && !h; i++) {
		h = dlopen(names[i], flags);
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

void *dl_load(const char *const *names, size_t nnames, const struct dl_sym *syms, size_t nsyms,
	      struct dl_fail *why)
{
	return load(names, nnames, syms, nsyms, RTLD_NOW | RTLD_LOCAL, why);
}

void *dl_load_own(const char *const *names, size_t nnames, const struct dl_sym *syms,
		  size_t nsyms, struct dl_fail *why)
{
	int flags = RTLD_NOW | RTLD_LOCAL;
#ifdef RTLD_DEEPBIND
	if (may_deepbind())
		flags |= RTLD_DEEPBIND;
#endif
	return load(names, nnames, syms, nsyms, flags, why);
}
