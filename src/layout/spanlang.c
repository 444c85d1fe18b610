/*
 * spanlang.c - passages in another language than the book's
 * ([Weltanschauung]{lang=de}, ::: {lang=fr}) are hyphenated by their own
 * language's patterns. A book loads only the languages it uses, each when
 * its first passage is set; a language without patterns is not
 * hyphenated (check and build say so at the passage: src/cli/lint.c).
 * Here there is no limit on the number of languages in a book beyond
 * the tagged PDF's 65,535 (struct pg_tag's lang); a word hyphenated in
 * one of the first OP_LANG_MAX (1023) names it in its Span (a word in a
 * later one has a Span without /Lang); text/hyphen.c keeps
 * every dictionary a book uses (tx_hyph_load).
 */
#include "layout-int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool own_language(const struct composer *c, const char *lang)
{
	const char *own = c->b->meta.language;
	return !lang || !*lang || !strcasecmp(lang, own ? own : "en");
}

struct tx_hyph *cp_hyph_for(struct composer *c, const char *lang)
{
	if (own_language(c, lang))
		return c->hyph;
	for (size_t i = 0; i < c->nlang_hyph; i++)
		if (!strcasecmp(c->lang_hyph[i].lang, lang))
			return c->lang_hyph[i].h;
	if (c->forked) { /* loads on the first thread only (parallel.c) */
		c->unsure = true;
		return NULL;
	}
	struct tx_hyph *h = tx_hyph_available(lang, NULL, 0) ? tx_hyph_load(lang, c->st, c->d)
							      : NULL;
	GROW(c->lang_hyph, c->lang_hyph_cap, c->nlang_hyph + 1);
	c->lang_hyph[c->nlang_hyph++] = (struct cp_lang_hyph){lang, h};
	return h;
}

void cp_lang_hyph_free(struct composer *c)
{
	for (size_t i = 0; i < c->nlang_hyph; i++)
		tx_hyph_free(c->lang_hyph[i].h);
	free(c->lang_hyph);
	c->lang_hyph = NULL;
	c->nlang_hyph = c->lang_hyph_cap = 0;
}

size_t cp_lang_index(struct pg_doc *doc, const char *lang)
{
	size_t i = 0;
	while (i < doc->nlangs && strcasecmp(doc->langs[i], lang))
		i++;
	if (i < doc->nlangs)
		return i;
	if (i == UINT16_MAX - 1)
		return SIZE_MAX;
	if (doc->nlangs == doc->langs_cap) {
		/* In the doc's arena, which outlives every page: the old
		 * array stays there unused (a few pointers). */
		size_t cap = doc->langs_cap ? 2 * doc->langs_cap : 8;
		const char **v = ar_alloc(&doc->arena, cap * sizeof(*v));
		if (doc->nlangs)
			memcpy(v, doc->langs, doc->nlangs * sizeof(*v));
		doc->langs = v;
		doc->langs_cap = cap;
	}
	doc->langs[doc->nlangs++] = lang;
	return i;
}

void cp_tag_lang(struct composer *c, struct vline *l, size_t from, const char *lang)
{
	if (own_language(c, lang))
		return;
	size_t i = cp_lang_index(c->doc, lang);
	if (i == SIZE_MAX)
		return;
	for (size_t k = from; k < l->nops; k++)
		if (l->ops[k].role == PG_ROLE_BODY) {
			l->ops[k].role = PG_ROLE_LANG;
			l->ops[k].ref = (int32_t)i;
		}
}

void cp_word_lang(struct composer *c, struct vline *l, size_t from, const char *lang)
{
	if (own_language(c, lang))
		return;
	size_t i = cp_lang_index(c->doc, lang);
	if (i == SIZE_MAX || i + 1 > OP_LANG_MAX)
		return;
	for (size_t k = from; k < l->nops; k++)
		if (l->ops[k].role == PG_ROLE_WORD)
			l->ops[k].lang = (uint16_t)(i + 1);
}
