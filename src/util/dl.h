/*
 * dl.h - a library opened with dlopen on first use instead of linked.
 *
 * Four libraries are too costly to link for the builds that do not use
 * them: librsvg and cairo for an SVG (book/image-more.c), poppler-glib
 * and cairo for the EPUB's cover image (cli/cover.c), libqpdf for
 * preflight (cli/preflight.c), and libzip (with the libcrypto it brings)
 * for the EPUB's container (epub/ocf.c), which a PDF-only build or
 * 'octavo check' never needs. Each of those files keeps its own table of
 * the calls it needs, typed from the library's headers; dl_load is the
 * opening, the lookup and the account of a failure, written once. The
 * caller turns a failure into its own error or warning.
 *
 * Invariants:
 *  - A library dl_load returns stays open for the process (it is never
 *    closed: GLib's types stay registered with GObject), so every address
 *    it stored stays valid.
 *  - On failure no address is stored through syms[] and no library is
 *    left open.
 *  - dl_load keeps no state: a caller that may be reached from two
 *    threads opens its library once, under pthread_once.
 */
#ifndef OCTAVO_DL_H
#define OCTAVO_DL_H

#include <stddef.h>

/* One call to find: its exported name, and where its address goes. */
struct dl_sym {
	const char *name;
	void **fn;
};

/* {"f", &s.f}: the entry for a table member named as the library's call. */
#define DL_SYM(s, f) {#f, (void **)&(s).f}

/* Why dl_load failed. */
struct dl_fail {
	const char *missing; /* the first call not found (a syms[] name), or
				NULL when no name could be opened */
	char detail[192];    /* dlerror()'s words for the last name tried */
};

/*
 * Opens the first of the nnames library names (sonames, the versioned
 * one first) that dlopen finds, RTLD_NOW | RTLD_LOCAL, and stores the
 * address of each of the nsyms calls through syms[i].fn. Returns the
 * library's handle (borrowed by the process: never closed); on failure
 * returns NULL with *why filled.
 */
void *dl_load(const char *const *names, size_t nnames, const struct dl_sym *syms, size_t nsyms,
	      struct dl_fail *why);

/*
 * dl_load, the library's own symbols and its dependencies' looked up
 * before the process's (RTLD_DEEPBIND) where that changes nothing but
 * the time: libzip brings libcrypto, whose 21,000 relocations were each
 * looked up first among octavo's sixteen libraries, none of which
 * defines them (the opening: 5.7 M instructions, 2.8 M bound so). Not
 * when something may be interposed on the library's calls - a library
 * preloaded (LD_PRELOAD, /etc/ld.so.preload) or a sanitizer's allocator:
 * bound to its own dependencies first, the library would call libc's
 * malloc and free where the process uses another's, and it frees
 * buffers octavo hands it. For a library whose symbols octavo's own
 * libraries do not define (libzip, libcrypto, libbz2); zlib, which both
 * sides use, is the one already loaded either way.
 */
void *dl_load_own(const char *const *names, size_t nnames, const struct dl_sym *syms,
		  size_t nsyms, struct dl_fail *why);

#endif
