/*
 * spanlang.c - passages in another language than the book's
 * ([Weltanschauung]{lang=de}, ::: {lang=fr}) are hyphenated by their own
 * language's patterns. A book loads only the languages it uses, each when
 * its first passage is set; a language without patterns is not
 * hyphenated (check and build say so at the passage: src/cli/lint.c).
 */
#include "layout-int.h"

#include <strings.h>

struct tx_hyph *cp_hyph_for(struct composer *c, const char *lang)
{
	const char *own = c->b->meta.language;
	if (!lang || !*lang || !strcasecmp(lang, own ? own : "en"))
		return c->hyph;
	for (size_t i = 0; i < c->nlang_hyph; i++)
		if (!strcasecmp(c->lang_hyph[i].lang, lang))
			return c->lang_hyph[i].h;
	if (c->nlang_hyph == ARRAY_LEN(c->lang_hyph))
		return NULL; /* a ninth language in one book: set unhyphenated */
	struct tx_hyph *h = tx_hyph_available(lang, NULL, 0) ? tx_hyph_load(lang, c->st, c->d)
							      : NULL;
	c->lang_hyph[c->nlang_hyph++] = (struct cp_lang_hyph){lang, h};
	return h;
}

void cp_lang_hyph_free(struct composer *c)
{
	for (size_t i = 0; i < c->nlang_hyph; i++)
		tx_hyph_free(c->lang_hyph[i].h);
	c->nlang_hyph = 0;
}

void cp_tag_lang(struct composer *c, struct vline *l, size_t from, const char *lang)
{
	const char *own = c->b->meta.language;
	if (!strcasecmp(lang, own ? own : "en"))
		return;
	struct pg_doc *doc = c->doc;
	size_t i = 0;
	while (i < doc->nlangs && strcasecmp(doc->langs[i], lang))
		i++;
	if (i == doc->nlangs) {
		if (doc->nlangs == ARRAY_LEN(doc->langs))
			return; /* a seventeenth language: read in the book's */
		doc->langs[doc->nlangs++] = lang;
	}
	for (size_t k = from; k < l->nops; k++)
		if (l->ops[k].role == PG_ROLE_BODY) {
			l->ops[k].role = PG_ROLE_LANG;
			l->ops[k].ref = (int32_t)i;
		}
}
