/* start13.c - libhyphen's automaton as bytes and back (src/text/hyphdict.c):
 * the automaton read back from tx_dict_dump's bytes is the one libhyphen
 * built, state for state, and hyphenates every word alike; damaged bytes
 * are refused. */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include "unit/unit.h"
#include "text/text-int.h"

#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether a and b are the same automaton, every level. */
static bool same_dict(const HyphenDict *a, const HyphenDict *b)
{
	for (; a && b; a = a->nextlevel, b = b->nextlevel) {
		if (a->lhmin != b->lhmin || a->rhmin != b->rhmin || a->clhmin != b->clhmin ||
		    a->crhmin != b->crhmin || a->nohyphenl != b->nohyphenl || a->utf8 != b->utf8 ||
		    a->num_states != b->num_states || strcmp(a->cset, b->cset) ||
		    !a->nohyphen != !b->nohyphen)
			return false;
		const char *na = a->nohyphen, *nb = b->nohyphen;
		for (int i = 0; na && i <= a->nohyphenl; i++) {
			if (strcmp(na, nb))
				return false;
			na += strlen(na) + 1;
			nb += strlen(nb) + 1;
		}
		for (int i = 0; i < a->num_states; i++) {
			const HyphenState *x = &a->states[i], *y = &b->states[i];
			if (x->fallback_state != y->fallback_state || x->num_trans != y->num_trans ||
			    !x->match != !y->match || (x->match && strcmp(x->match, y->match)) ||
			    !x->repl != !y->repl || (x->repl && strcmp(x->repl, y->repl)) ||
			    (x->repl && (x->replindex != y->replindex || x->replcut != y->replcut)))
				return false;
			for (int k = 0; k < x->num_trans; k++)
				if (x->trans[k].ch != y->trans[k].ch ||
				    x->trans[k].new_state != y->trans[k].new_state)
					return false;
		}
	}
	return !a && !b;
}

/* libhyphen's break values for word with d, into hy (room for 64 + 5). */
static void breaks(HyphenDict *d, const char *word, char *hy)
{
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	memset(hy, 0, 69);
	hnj_hyphen_hyphenate2(d, word, (int)strlen(word), hy, NULL, &rep, &pos, &cut);
	if (rep) {
		for (size_t i = 0; i < strlen(word); i++)
			free(rep[i]);
		free(rep);
		free(pos);
		free(cut);
	}
}

/* A dictionary of every kind of line libhyphen reads: the minima, NOHYPHEN
 * with several entries, two levels, a non-standard break with its
 * replacement, index and cut. (German's and French's files would do, but
 * libhyphen leaks their repeated lines when read whole: octavo's
 * prepare() drops them; here LeakSanitizer would stop the run.) */
static const char synthetic[] = "UTF-8\n"
				"LEFTHYPHENMIN 2\n"
				"RIGHTHYPHENMIN 2\n"
				"COMPOUNDLEFTHYPHENMIN 2\n"
				"COMPOUNDRIGHTHYPHENMIN 3\n"
				"NOHYPHEN -,',\xe2\x80\x99\n"
				"1-1\n"
				"1'1\n"
				"NEXTLEVEL\n"
				"a1b\n"
				"1ba\n"
				"n1n\n"
				"s1s\n"
				"ff1f/ff=f,1,3\n"
				"2st\n"
				".un1\n"
				"ar1b\n";

UNIT_TEST(start13_dict_round_trip)
{
	char synth[64];
	snprintf(synth, sizeof(synth), "/tmp/octavo-start13-%ld.dic", (long)getpid());
	FILE *f = fopen(synth, "w");
	UCHECK(f && fwrite(synthetic, 1, sizeof(synthetic) - 1, f) == sizeof(synthetic) - 1 &&
		       fclose(f) == 0,
	       "the synthetic dictionary is written");
	/* English (UTF-8, libhyphen's own first level with NOHYPHEN), Czech
	 * (ISO 8859-2), the synthetic one. */
	const struct {
		const char *file;
		const char *words[6];
	} dicts[] = {
		{"/usr/share/hyphen/hyph_en_GB.dic",
		 {"partnership", "representatives", "organisation's", "westminster",
		  "characteristically", "self-evident"}},
		{"/usr/share/hyphen/hyph_cs_CZ.dic",
		 {"spolupr\xe1" "ce", "ministerstvo", "nejneobhospoda\xf8" "ov\xe1" "vateln\xec" "j\xb9\xed" "mi",
		  "\xe8" "eskoslovensko", "demokracie", "parlament"}},
		{synth, {"schifffahrt", "abbabba", "unnannsst", "stoff-fest", "sass'ss", "arbarba"}},
	};
	int tried = 0;
	for (size_t i = 0; i < sizeof(dicts) / sizeof(dicts[0]); i++) {
		HyphenDict *d = hnj_hyphen_load(dicts[i].file);
		if (!d)
			continue; /* the dictionary is not installed */
		UCHECK(i < 2 || (d->nextlevel && d->nohyphenl == 2),
		       "the synthetic dictionary has two levels and three NOHYPHEN entries");
		tried++;
		struct strbuf sb = STRBUF_INIT;
		tx_dict_dump(d, &sb);
		HyphenDict *u = tx_dict_undump(sb.buf, sb.len);
		UCHECK(u && same_dict(d, u), "%s: the automaton read back is libhyphen's",
		       dicts[i].file);
		for (int w = 0; u && w < 6; w++) {
			char a[69], b[69];
			breaks(d, dicts[i].words[w], a);
			breaks(u, dicts[i].words[w], b);
			UCHECK(!strcmp(a, b), "%s: '%s' breaks %s, read back %s", dicts[i].file,
			       dicts[i].words[w], a, b);
		}
		/* Damaged bytes: cut, an index out of range, no bytes. */
		UCHECK(!tx_dict_undump(sb.buf, sb.len / 2), "%s: cut bytes are refused",
		       dicts[i].file);
		UCHECK(!tx_dict_undump(sb.buf, 10), "%s: a cut head is refused", dicts[i].file);
		char *bad = xmalloc(sb.len);
		memcpy(bad, sb.buf, sb.len);
		memset(bad + sb.len / 2, 0xff, 64); /* states, transitions or strings */
		HyphenDict *v = tx_dict_undump(bad, sb.len);
		UCHECK(!v || v->num_states == d->num_states,
		       "%s: bytes with wild values are refused or stay inside the automaton",
		       dicts[i].file);
		tx_dict_free(v);
		free(bad);
		tx_dict_free(u);
		sb_release(&sb);
		hnj_hyphen_free(d);
	}
	UCHECK(tried >= 2, "the synthetic dictionary and at least one installed were tried");
	remove(synth);
}
