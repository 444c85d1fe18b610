/*
 * yaml.c - libyaml events into a small tree with source marks.
 *
 * We read YAML into a tree rather than mapping events straight onto the
 * book so that every later check (missing key, wrong type, unknown key)
 * can point at the line it concerns, and so that book.yaml, the style
 * file and front matter share one loader.
 */
#include "book-int.h"

#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64

struct loader {
	struct arena *a;
	const char *text;
	size_t len;
	const char *path;
	int first_line;
	struct diag *d;
	yaml_parser_t parser;
};

static int mark_line(struct loader *l, yaml_mark_t m)
{
	return (int)m.line + l->first_line;
}

static int mark_col(yaml_mark_t m)
{
	return (int)m.column + 1;
}

static void parser_error(struct loader *l, const char *text, size_t len)
{
	yaml_parser_t *p = &l->parser;
	const char *problem = p->problem ? p->problem : "malformed YAML";
	yaml_mark_t m = p->problem_mark;
	/* libyaml's words for the commonest slips, put into ours and pointed
	 * at the place the writer has to look. */
	if (m.index < len && text[m.index] == '\t') {
		diag_error(l->d, l->path, mark_line(l, m), mark_col(m), "tab used for indentation");
		diag_hint(l->d, "YAML indentation must use spaces, not tabs");
		return;
	}
	if (p->context && strstr(p->context, "quoted scalar") &&
	    strstr(problem, "end of stream")) {
		diag_error(l->d, l->path, mark_line(l, p->context_mark), mark_col(p->context_mark),
			   "quoted text is never closed");
		diag_hint(l->d, "end it with the same quote mark it starts with");
		return;
	}
	if (p->context)
		diag_error(l->d, l->path, mark_line(l, m), mark_col(m), "%s %s", p->context, problem);
	else
		diag_error(l->d, l->path, mark_line(l, m), mark_col(m), "%s", problem);
}

static bool next_event(struct loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->parser, ev)) {
		parser_error(l, l->text, l->len);
		return false;
	}
	return true;
}

static struct ynode *new_node(struct loader *l, enum ynode_kind kind, yaml_mark_t m)
{
	struct ynode *n = ar_alloc(l->a, sizeof(*n));
	n->kind = kind;
	n->line = mark_line(l, m);
	n->col = mark_col(m);
	return n;
}

static struct ynode *load_node(struct loader *l, yaml_event_t *ev, int depth);

/*
 * Refuses what YAML can say beyond plain text, lists and mappings: an
 * anchor (whose aliases and '<<' merges would copy values from elsewhere
 * in the file, or blow up as a billion laughs), and a tag other than the
 * one a node already has (!!binary, !!int, !ruby/object...): octavo reads
 * every value as text, so a tag would be silently ignored. kind is the
 * core tag the node has anyway ("str", "seq", "map"). Returns false after
 * reporting.
 */
static bool plain_node(struct loader *l, yaml_mark_t m, const yaml_char_t *anchor,
		       const yaml_char_t *tag, const char *kind)
{
	if (anchor) {
		diag_error(l->d, l->path, mark_line(l, m), mark_col(m),
			   "YAML anchors ('&%s') are not supported", (const char *)anchor);
		return false;
	}
	if (!tag)
		return true;
	static const char core[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;
	bool is_core = !strncmp(t, core, sizeof(core) - 1);
	if (!strcmp(t, "!") || (is_core && !strcmp(t + sizeof(core) - 1, kind)))
		return true;
	if (is_core)
		diag_error(l->d, l->path, mark_line(l, m), mark_col(m),
			   "YAML tag '!!%s' is not supported", t + sizeof(core) - 1);
	else
		diag_error(l->d, l->path, mark_line(l, m), mark_col(m),
			   "YAML tag '%s' is not supported", t);
	diag_hint(l->d, "octavo reads every value as text: write it without the tag");
	return false;
}

/* ===== string set ====================================================== */

/* Over util's hash table; each value a long of its own in the arena, so
 * that strset_value can hand out a pointer to change it. */
long strset_add(struct strset *set, const char *s, long value)
{
	size_t n = strlen(s);
	long *v = hmap_get(&set->map, s, n);
	if (v)
		return *v;
	v = ar_alloc(&set->vals, sizeof(*v));
	*v = value;
	hmap_put(&set->map, s, n, v);
	return -1;
}

long *strset_value(struct strset *set, const char *s)
{
	return hmap_get(&set->map, s, strlen(s));
}

void strset_release(struct strset *set)
{
	hmap_release(&set->map);
	ar_release(&set->vals);
}

/* ===== the tree ======================================================== */

/* Reads the children of a sequence or mapping up to its end event. */
static bool load_children(struct loader *l, struct ynode *n, yaml_event_type_t end, int depth)
{
	struct ynode **kids = NULL;
	size_t nkids = 0, cap = 0;
	struct strset keys = {0};
	bool ok = true;
	for (;;) {
		yaml_event_t ev;
		if (!next_event(l, &ev)) {
			ok = false;
			break;
		}
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		struct ynode *kid = load_node(l, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!kid) {
			ok = false;
			break;
		}
		if (n->kind == Y_MAP && nkids % 2 == 0) {
			if (kid->kind != Y_SCALAR) {
				diag_error(l->d, l->path, kid->line, kid->col,
					   "a key must be plain text");
				ok = false;
				break;
			}
			if (kid->plain && !strcmp(kid->str, "<<")) {
				/* A merge key would copy a mapping's keys in from
				 * elsewhere: the file would not say what it sets. */
				diag_error(l->d, l->path, kid->line, kid->col,
					   "YAML merge keys ('<<') are not supported");
				diag_hint(l->d, "write the keys out where they apply");
				ok = false;
				break;
			}
			long first = strset_add(&keys, kid->str, (long)nkids);
			if (first >= 0) {
				diag_error(l->d, l->path, kid->line, kid->col,
					   "duplicate key '%s' (first given on line %d)", kid->str,
					   kids[first]->line);
				ok = false;
			}
		}
		GROW(kids, cap, nkids + 1);
		kids[nkids++] = kid;
	}
	n->kids = ar_memdup(l->a, kids, nkids, sizeof(*kids));
	n->nkids = nkids;
	free(kids);
	strset_release(&keys);
	return ok;
}

static struct ynode *load_node(struct loader *l, yaml_event_t *ev, int depth)
{
	if (depth > MAX_DEPTH) {
		diag_error(l->d, l->path, mark_line(l, ev->start_mark), mark_col(ev->start_mark),
			   "YAML nested more than %d levels deep", MAX_DEPTH);
		return NULL;
	}
	struct ynode *n;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		diag_error(l->d, l->path, mark_line(l, ev->start_mark), mark_col(ev->start_mark),
			   "YAML aliases ('*%s') are not supported", (char *)ev->data.alias.anchor);
		return NULL;
	case YAML_SCALAR_EVENT:
		if (!plain_node(l, ev->start_mark, ev->data.scalar.anchor, ev->data.scalar.tag,
				"str"))
			return NULL;
		n = new_node(l, Y_SCALAR, ev->start_mark);
		n->str = ar_strndup(l->a, (const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (strlen(n->str) != n->len) {
			diag_error(l->d, l->path, n->line, n->col, "NUL byte in a YAML value");
			return NULL;
		}
		return n;
	case YAML_SEQUENCE_START_EVENT:
		if (!plain_node(l, ev->start_mark, ev->data.sequence_start.anchor,
				ev->data.sequence_start.tag, "seq"))
			return NULL;
		n = new_node(l, Y_SEQ, ev->start_mark);
		return load_children(l, n, YAML_SEQUENCE_END_EVENT, depth) ? n : NULL;
	case YAML_MAPPING_START_EVENT:
		if (!plain_node(l, ev->start_mark, ev->data.mapping_start.anchor,
				ev->data.mapping_start.tag, "map"))
			return NULL;
		n = new_node(l, Y_MAP, ev->start_mark);
		return load_children(l, n, YAML_MAPPING_END_EVENT, depth) ? n : NULL;
	default:
		diag_error(l->d, l->path, mark_line(l, ev->start_mark), mark_col(ev->start_mark),
			   "unexpected YAML structure");
		return NULL;
	}
}

struct ynode *yaml_load(struct arena *a, const char *path, const char *text, size_t len,
			int first_line, struct diag *d, bool *ok)
{
	struct loader l = {.a = a, .text = text, .len = len, .path = path, .first_line = first_line,
			   .d = d};
	struct ynode *root = NULL;
	*ok = false;
	/* With the encoding fixed, libyaml would read a BOM as text: "\uFEFFtitle". */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
		l.text = text;
		l.len = len;
	}
	yaml_parser_initialize(&l.parser);
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&l.parser, YAML_UTF8_ENCODING);
	yaml_event_t ev;
	bool done = false;
	while (!done) {
		if (!next_event(&l, &ev))
			goto out;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (root) {
				diag_error(d, path, mark_line(&l, ev.start_mark),
					   mark_col(ev.start_mark),
					   "more than one YAML document");
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			root = load_node(&l, &ev, 0);
			if (!root) {
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		}
		yaml_event_delete(&ev);
	}
	*ok = true;
out:
	yaml_parser_delete(&l.parser);
	return *ok ? root : NULL;
}

bool yaml_is_mapping(const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	bool map = false, done = false;
	int depth = 0;
	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			map = false;
			break;
		}
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
			if (depth++ == 0)
				map = true;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (depth == 0)
				map = false, done = true;
			if (ev.type == YAML_SEQUENCE_START_EVENT)
				depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return map;
}

const struct ynode *ymap_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

void ymap_check_keys(const struct ynode *map, const char *path, const char *const *known,
		     struct diag *d)
{
	if (!map || map->kind != Y_MAP)
		return;
	for (size_t i = 0; i < map->nkids; i += 2) {
		const struct ynode *k = map->kids[i];
		bool found = false;
		for (const char *const *p = known; *p; p++)
			if (strcmp(*p, k->str) == 0)
				found = true;
		if (!found)
			diag_warning(d, path, k->line, k->col, "unknown key '%s' ignored", k->str);
	}
}

const char *ystring(struct arena *a, const struct ynode *n, const char *path, const char *key,
		    struct diag *d)
{
	if (!n)
		return NULL;
	if (n->kind != Y_SCALAR) {
		diag_error(d, path, n->line, n->col, "'%s' must be text, not a %s", key,
			   n->kind == Y_SEQ ? "list" : "mapping");
		return NULL;
	}
	if (n->plain && (strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0))
		return NULL;
	if (!n->len)
		return NULL;
	return ar_strndup(a, n->str, n->len);
}
