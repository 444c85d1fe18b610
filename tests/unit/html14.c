/* html14.c - the HTML tokenizer (src/book/html.c): tokens, attributes,
 * character references; and garbage, cut tags and huge attributes read
 * safely (the sanitizers watch every byte). */
#include "unit/unit.h"

#include "book/html.h"

#include <stdlib.h>
#include <string.h>

/* The tokens of s as "S:name", "E:name", "T:text", "C", "O", one a line. */
static char *tokens(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	struct html_lexer lx;
	struct html_tok t;
	html_lexer_init(&lx, s, strlen(s));
	while (html_next(&lx, &t)) {
		switch (t.kind) {
		case HTML_START:
			sb_addf(&sb, "S:%s%s|", t.name, t.self_closing ? "/" : "");
			break;
		case HTML_END:
			sb_addf(&sb, "E:%s|", t.name);
			break;
		case HTML_TEXT:
			sb_addf(&sb, "T:%.*s|", (int)t.len, t.p);
			break;
		case HTML_COMMENT:
			sb_adds(&sb, "C|");
			break;
		default:
			sb_adds(&sb, "O|");
			break;
		}
	}
	return sb_detach(&sb, NULL);
}

UNIT_TEST(html14_tokens)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"<table><tr><TD class=\"a>b\">x</td></tr>",
		 "S:table|S:tr|S:td|T:x|E:td|E:tr|"},
		{"a < b and c<d", "T:a < b and c<d|"},
		{"<br/><img src=x.png alt='a > b' />", "S:br/|S:img/|"},
		{"<!-- a <b> -->text<!DOCTYPE html><?php x ?>", "C|T:text|O|O|"},
		{"<b>unclosed <i", "S:b|T:unclosed <i|"},
		{"<a <b>x</b>", "T:<a |S:b|T:x|E:b|"},
		{"<!-- never closed", "C|"},
		{"</>x<3", "T:</>x<3|"},
		{"<g-emoji alias=x>y</g-emoji>", "S:g-emoji|T:y|E:g-emoji|"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = tokens(cases[i].in);
		UCHECK(!strcmp(got, cases[i].want), "tokens of '%s': '%s', want '%s'", cases[i].in,
		       got, cases[i].want);
		free(got);
	}
}

UNIT_TEST(html14_references_and_attributes)
{
	static const struct {
		const char *in, *want;
	} refs[] = {
		{"R&amp;D &lt;x&gt; caf&eacute;", "R&D <x> caf\xC3\xA9"},
		{"&#233;&#xE9;&#XE9;", "\xC3\xA9\xC3\xA9\xC3\xA9"},
		{"&#0;&#xD800;&#x110000;&#99999999999;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
		{"&bogus; & &amp &#; &#x;", "&bogus; & &amp &#; &#x;"},
		{"a&nbsp;b", "a\xC2\xA0" "b"},
	};
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		html_decode(&sb, refs[i].in, strlen(refs[i].in));
		UCHECK(!strcmp(sb.buf, refs[i].want), "decoded '%s': '%s'", refs[i].in, sb.buf);
		sb_release(&sb);
	}
	const char *tag = "<td colspan=2 ALIGN='right' data-x = \"a &amp; b\" hidden title=\"q\">";
	struct html_lexer lx;
	struct html_tok t;
	html_lexer_init(&lx, tag, strlen(tag));
	UCHECK(html_next(&lx, &t) && t.kind == HTML_START, "a start tag");
	struct strbuf v = STRBUF_INIT;
	UCHECK(html_attr(&t, "colspan", &v) && !strcmp(v.buf, "2"), "colspan=2: '%s'", v.buf);
	UCHECK(html_attr(&t, "align", &v) && !strcmp(v.buf, "right"), "ALIGN='right': '%s'", v.buf);
	UCHECK(html_attr(&t, "data-x", &v) && !strcmp(v.buf, "a & b"), "data-x: '%s'", v.buf);
	UCHECK(html_attr(&t, "hidden", &v) && !*v.buf, "hidden, no value");
	UCHECK(html_attr(&t, "title", &v) && !strcmp(v.buf, "q"), "title: '%s'", v.buf);
	UCHECK(!html_attr(&t, "col", &v), "no attribute 'col'");
	sb_release(&v);
}

/* Random bytes from HTML's alphabet, and real HTML cut anywhere: every
 * token inside the input, together covering it exactly. */
UNIT_TEST(html14_garbage)
{
	static const char alphabet[] = "<>/=\"' !-?&#;xa1tdrb\n";
	const char *real = "<table><tr><td align=\"right\">&amp;<b>x</b></td></tr></table>"
			   "<!-- c --><img src='a.png' alt=\"b\"/>";
	unsigned seed = 14;
	int bad = 0;
	for (int round = 0; round < 400; round++) {
		size_t n = round < 100 ? strlen(real) * (size_t)round / 100 : (size_t)(round % 97);
		char *s = malloc(n + 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = round < 100 ? real[i] : alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		s[n] = 0;
		struct html_lexer lx;
		struct html_tok t;
		html_lexer_init(&lx, s, n);
		size_t at = 0;
		while (html_next(&lx, &t)) {
			if (t.off != at || !t.len || t.off + t.len > n)
				bad++;
			at = t.off + t.len;
			struct strbuf v = STRBUF_INIT;
			html_attr(&t, "a", &v);
			html_decode(&v, t.p, t.len);
			sb_release(&v);
		}
		bad += at != n;
		free(s);
	}
	UCHECK(bad == 0, "tokens cover the input exactly (%d bad)", bad);
}
