/*
 * hyphdict.c - libhyphen's automaton as bytes and back (text-int.h), so
 * that a build can keep the patterns it read (struct tx_store) and the next
 * one skip reading them: hnj_hyphen_load_file takes some 40 M
 * instructions for the en-GB file, this some 1 M.
 *
 * The bytes: per level (the dictionary, then its NEXTLEVEL, if any) a
 * struct lvl, the nohyphen string, num_states struct st, the transitions
 * (struct tr), the strings (each NUL-terminated; offset 0 is NULL, else
 * offset - 1). The same process's build reads them back (the store's key
 * holds the format and the libhyphen build), but every index and offset
 * is checked anyway: damaged bytes give NULL, never a wild read.
 */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "text-int.h"

#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

struct lvl {
	int32_t lhmin, rhmin, clhmin, crhmin, nohyphenl, utf8, num_states;
	uint32_t nohyphen_len; /* with its NUL; 0: NULL */
	uint32_t ntrans, nstr;
	char cset[MAX_NAME];
};

struct st {
	int32_t fallback, num_trans;
	uint32_t match, repl; /* offset + 1 into the strings, 0: NULL */
	int32_t replindex, replcut;
};

struct tr {
	int32_t ch, new_state;
};

/* ===== to bytes ========================================================= */

static uint32_t add_str(struct strbuf *strs, const char *s)
{
	if (!s)
		return 0;
	uint32_t at = (uint32_t)strs->len + 1;
	sb_add(strs, s, strlen(s) + 1);
	return at;
}

/* The bytes of d's nohyphen list with their NULs: libhyphen keeps
 * "a,b,c" as "a\0b\0c\0" and nohyphenl the number of commas. */
static size_t nohyphen_len(const HyphenDict *d)
{
	size_t n = 0;
	if (d->nohyphen)
		for (int i = 0; i <= d->nohyphenl; i++)
			n += strlen(d->nohyphen + n) + 1;
	return n;
}

static void dump_level(const HyphenDict *d, struct strbuf *out)
{
	struct strbuf sts = STRBUF_INIT, trs = STRBUF_INIT, strs = STRBUF_INIT;
	for (int i = 0; i < d->num_states; i++) {
		const HyphenState *s = &d->states[i];
		struct st e = {.fallback = s->fallback_state,
			       .num_trans = s->num_trans,
			       .match = add_str(&strs, s->match),
			       .repl = add_str(&strs, s->repl),
			       /* read only with a repl; else libhyphen leaves them unset */
			       .replindex = s->repl ? s->replindex : 0,
			       .replcut = s->repl ? s->replcut : 0};
		sb_add(&sts, (const char *)&e, sizeof(e));
		for (int k = 0; k < s->num_trans; k++) {
			struct tr t = {.ch = (unsigned char)s->trans[k].ch,
				       .new_state = s->trans[k].new_state};
			sb_add(&trs, (const char *)&t, sizeof(t));
		}
	}
	struct lvl h = {.lhmin = d->lhmin,
			.rhmin = d->rhmin,
			.clhmin = d->clhmin,
			.crhmin = d->crhmin,
			.nohyphenl = d->nohyphenl,
			.utf8 = d->utf8,
			.num_states = d->num_states,
			.nohyphen_len = (uint32_t)nohyphen_len(d),
			.ntrans = (uint32_t)(trs.len / sizeof(struct tr)),
			.nstr = (uint32_t)strs.len};
	/* the name only: libhyphen leaves the bytes after its NUL unset */
	memcpy(h.cset, d->cset, strnlen(d->cset, sizeof(h.cset) - 1));
	sb_add(out, (const char *)&h, sizeof(h));
	if (d->nohyphen)
		sb_add(out, d->nohyphen, h.nohyphen_len);
	sb_add(out, sts.buf ? sts.buf : "", sts.len);
	sb_add(out, trs.buf ? trs.buf : "", trs.len);
	sb_add(out, strs.buf ? strs.buf : "", strs.len);
	sb_release(&sts);
	sb_release(&trs);
	sb_release(&strs);
}

void tx_dict_dump(const HyphenDict *d, struct strbuf *out)
{
	for (; d; d = d->nextlevel)
		dump_level(d, out);
}

/* ===== from bytes ======================================================= */

/*
 * One level from p (n bytes, *used of them read): the HyphenDict, its
 * states, transitions and strings in one malloc'd block (tx_dict_free
 * frees it), or NULL when the bytes are not a level.
 */
static HyphenDict *undump_level(const char *p, size_t n, size_t *used)
{
	struct lvl h;
	if (n < sizeof(h))
		return NULL;
	memcpy(&h, p, sizeof(h));
	size_t ns = (size_t)h.num_states;
	if (h.num_states <= 0 || h.num_states > (1 << 26) || h.ntrans > (1u << 26) ||
	    h.nohyphen_len > (1u << 20) || h.nstr > (1u << 28))
		return NULL;
	size_t need = sizeof(h) + h.nohyphen_len + ns * sizeof(struct st) +
		      (size_t)h.ntrans * sizeof(struct tr) + h.nstr;
	if (need > n || h.cset[MAX_NAME - 1] != '\0')
		return NULL;
	const char *nohyph = p + sizeof(h);
	const char *sts = nohyph + h.nohyphen_len;
	const char *trs = sts + ns * sizeof(struct st);
	const char *strs = trs + (size_t)h.ntrans * sizeof(struct tr);
	if (h.nohyphen_len && nohyph[h.nohyphen_len - 1] != '\0')
		return NULL;
	size_t nul = 0; /* the list holds nohyphenl + 1 strings, as libhyphen reads it */
	for (size_t i = 0; i < h.nohyphen_len; i++)
		nul += nohyph[i] == '\0';
	if (h.nohyphen_len && (h.nohyphenl < 0 || nul < (size_t)h.nohyphenl + 1))
		return NULL;
	if (h.nstr && strs[h.nstr - 1] != '\0')
		return NULL; /* then every string ends inside them */
	size_t size = sizeof(HyphenDict) + ns * sizeof(HyphenState) +
		      (size_t)h.ntrans * sizeof(HyphenTrans) + h.nohyphen_len + h.nstr;
	char *block = xmalloc(size);
	HyphenDict *d = (HyphenDict *)block;
	HyphenState *states = (HyphenState *)(block + sizeof(HyphenDict));
	HyphenTrans *trans = (HyphenTrans *)(states + ns);
	char *str = (char *)(trans + h.ntrans);
	memset(d, 0, sizeof(*d));
	d->lhmin = (char)h.lhmin;
	d->rhmin = (char)h.rhmin;
	d->clhmin = (char)h.clhmin;
	d->crhmin = (char)h.crhmin;
	d->nohyphenl = h.nohyphenl;
	d->utf8 = h.utf8;
	d->num_states = h.num_states;
	memcpy(d->cset, h.cset, sizeof(d->cset));
	d->states = states;
	if (h.nohyphen_len) {
		memcpy(str, nohyph, h.nohyphen_len);
		d->nohyphen = str;
		str += h.nohyphen_len;
	}
	memcpy(str, strs, h.nstr);
	size_t t = 0;
	bool bad = false;
	for (size_t i = 0; i < ns && !bad; i++) {
		struct st e;
		memcpy(&e, sts + i * sizeof(e), sizeof(e));
		bad = e.num_trans < 0 || (size_t)e.num_trans > h.ntrans - t || e.match > h.nstr ||
		      e.repl > h.nstr || e.fallback < -1 || e.fallback >= h.num_states;
		if (bad)
			break;
		HyphenState *s = &states[i];
		s->match = e.match ? str + e.match - 1 : NULL;
		s->repl = e.repl ? str + e.repl - 1 : NULL;
		s->replindex = (signed char)e.replindex;
		s->replcut = (signed char)e.replcut;
		s->fallback_state = e.fallback;
		s->num_trans = e.num_trans;
		s->trans = e.num_trans ? trans + t : NULL;
		for (int k = 0; k < e.num_trans; k++, t++) {
			struct tr r;
			memcpy(&r, trs + t * sizeof(r), sizeof(r));
			bad |= r.new_state < 0 || r.new_state >= h.num_states;
			trans[t].ch = (char)r.ch;
			trans[t].new_state = r.new_state;
		}
	}
	if (bad || t != h.ntrans) {
		free(block);
		return NULL;
	}
	*used = need;
	return d;
}

HyphenDict *tx_dict_undump(const char *p, size_t n)
{
	HyphenDict *first = NULL, **link = &first;
	size_t at = 0;
	while (at < n) {
		size_t used = 0;
		HyphenDict *d = undump_level(p + at, n - at, &used);
		if (!d) {
			tx_dict_free(first);
			return NULL;
		}
		*link = d;
		link = &d->nextlevel;
		at += used;
	}
	return first;
}

void tx_dict_free(HyphenDict *d)
{
	while (d) {
		HyphenDict *next = d->nextlevel;
		free(d);
		d = next;
	}
}
