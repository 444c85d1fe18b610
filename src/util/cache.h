/*
 * cache.h - the user's cache folder: what octavo made once and any later
 * run on this machine may take instead of making it again, whatever the
 * book or output folder (text/hyphen.c: a dictionary's compiled
 * patterns, seconds for German's). $XDG_CACHE_HOME/octavo, else
 * ~/.cache/octavo.
 *
 * Invariants:
 *  - A file holds one entry: a magic line, its key, its length, a check
 *    (a hash of key and data), the data. cache_read gives the data only
 *    when the key is the one asked for and the check holds: a stale,
 *    damaged, cut or foreign file costs the time to make the data again,
 *    never a wrong byte.
 *  - Files are written whole or not at all (write_file_atomic); a folder
 *    that cannot be made or written is no error (the next run makes the
 *    data again).
 *  - No state: safe on any thread.
 */
#ifndef OCTAVO_CACHE_H
#define OCTAVO_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* The cache folder ($XDG_CACHE_HOME/octavo or $HOME/.cache/octavo, not
 * made here); malloc'd, or NULL when the environment names neither. */
char *cache_dir(void);
/* The data of dir/name when it holds key: malloc'd (the caller frees it),
 * *len bytes; NULL when there is no such file or it holds anything else. */
char *cache_read(const char *dir, const char *name, uint64_t key, size_t *len);
/* Writes data (len bytes) under key as dir/name, making dir (and its
 * parent) when missing. Returns 0, or -1 with errno set (nothing
 * changed). */
int cache_write(const char *dir, const char *name, uint64_t key, const void *data, size_t len);

#endif
