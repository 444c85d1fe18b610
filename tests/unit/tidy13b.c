/* tidy13b.c - strbuf's truncation keeps its NUL, and the one dlopen
 * loader (util/dl.c) stores every call or none (issue 13). */
#include "unit/unit.h"

#include "util/dl.h"
#include "util/util.h"

#include <string.h>
#include <zlib.h>

UNIT_TEST(sb_truncate_keeps_nul)
{
	struct strbuf sb = STRBUF_INIT;
	sb_truncate(&sb, 0);
	UCHECK(sb.len == 0 && sb.buf[0] == '\0', "an empty strbuf truncated to 0 stays empty");
	sb_adds(&sb, "images/chart--");
	sb_truncate(&sb, sb.len - 1);
	UCHECK(sb.len == 13 && !strcmp(sb.buf, "images/chart-"),
	       "one byte off: '%s' (%zu bytes), its NUL moved", sb.buf, sb.len);
	size_t stem = 12;
	sb_adds(&sb, ".png");
	sb_truncate(&sb, stem);
	UCHECK(!strcmp(sb.buf, "images/chart") && strlen(sb.buf) == sb.len,
	       "back to the stem: '%s' is %zu bytes as strlen counts", sb.buf, sb.len);
	sb_addf(&sb, "-%d", 2);
	UCHECK(!strcmp(sb.buf, "images/chart-2"), "added after a truncation: '%s'", sb.buf);
	sb_release(&sb);
}

/* zlib is linked, so its soname opens; its crc32 is the one linked in. */
static struct {
	__typeof__(&crc32) crc32;
	__typeof__(&zlibVersion) zlibVersion;
	void *nothing;
} zl;

UNIT_TEST(dl_load_all_or_none)
{
	static const char *const names[] = {"libz-not-there.so.9", "libz.so.1"};
	static const struct dl_sym syms[] = {DL_SYM(zl, crc32), DL_SYM(zl, zlibVersion)};
	struct dl_fail f;
	void *h = dl_load(names, ARRAY_LEN(names), syms, ARRAY_LEN(syms), &f);
	UCHECK(h && zl.crc32 && zl.zlibVersion, "zlib opened by its second name, both calls found");
	if (h)
		UCHECK(zl.crc32(0, (const Bytef *)"octavo", 6) ==
			   crc32(0, (const Bytef *)"octavo", 6),
		       "the call found is zlib's crc32");

	memset(&zl, 0, sizeof(zl));
	static const struct dl_sym bad[] = {DL_SYM(zl, crc32),
					    {"octavo_no_such_call", &zl.nothing}};
	h = dl_load(names + 1, 1, bad, ARRAY_LEN(bad), &f);
	UCHECK(!h && f.missing && !strcmp(f.missing, "octavo_no_such_call"),
	       "a missing call is named: %s", f.missing ? f.missing : "(none)");
	UCHECK(!zl.crc32, "a library that lacks a call stores none of the others");

	h = dl_load(names, 1, syms, ARRAY_LEN(syms), &f);
	UCHECK(!h && !f.missing && strstr(f.detail, "libz-not-there"),
	       "a library that cannot be opened is told with dlerror's words: %s", f.detail);
}
