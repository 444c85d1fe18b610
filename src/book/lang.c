/*
 * lang.c - what a book's language decides beyond hyphenation: its
 * quotation marks (outer and inner), French spacing, and the built-in
 * strings the editions print (Contents, Edited by, the colophon...),
 * which book.yaml's 'strings:' may override one by one.
 *
 * Quotation marks: cmark-gfm's smart punctuation turns the author's
 * straight quotes into English curly ones, opening or closing by the
 * delimiter rules of CommonMark. Here each paragraph's quotes are
 * renumbered by depth (the first level takes the language's outer marks,
 * the next its inner ones, and so on alternating), whichever straight
 * quote the author typed for it, so that "a 'b' c" and 'a "b" c' both
 * come out right in any language.
 *
 * The strings from YAML (bk_smarten_front): smart.c's punctuation, then
 * the language's quotes and dashes, so that they print as the body does.
 */
#include "book-int.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ===== the tables ====================================================== */

/* The key each string has under book.yaml's 'strings:'. */
static const char *const str_keys[BK_NSTR] = {
    [BK_STR_CONTENTS] = "contents",
    [BK_STR_EDITED_BY] = "edited-by",
    [BK_STR_TRANSLATED_BY] = "translated-by",
    [BK_STR_ILLUSTRATED_BY] = "illustrated-by",
    [BK_STR_INTRODUCTION_BY] = "introduction-by",
    [BK_STR_FOREWORD_BY] = "foreword-by",
    [BK_STR_FIRST_PUBLISHED] = "first-published",
    [BK_STR_REVISED] = "revised",
    [BK_STR_PUBLISHED_BY] = "published-by",
    [BK_STR_COLOPHON] = "colophon",
    [BK_STR_TITLE_PAGE] = "title-page",
    [BK_STR_COPYRIGHT] = "copyright",
    [BK_STR_COVER] = "cover",
    [BK_STR_LANDMARKS] = "landmarks",
    [BK_STR_PAGES] = "pages",
    [BK_STR_AND] = "and",
    [BK_STR_NOTE] = "note",
    [BK_STR_TIP] = "tip",
    [BK_STR_IMPORTANT] = "important",
    [BK_STR_WARNING] = "warning",
    [BK_STR_CAUTION] = "caution",
    [BK_STR_CONTINUED] = "continued",
};

/*
 * One language's conventions. Quotes: outer open, outer close, inner
 * open, inner close, as the language's style guides give them (Duden,
 * the Imprimerie nationale, the RAE, New Hart's Rules, the Chicago
 * Manual...). french: a narrow no-break space before ; : ! ? and inside
 * guillemets.
 */
struct lang {
	const char *tag; /* a language, or a language and region */
	const char *q[4];
	bool french;
	const char *s[BK_NSTR];
	const char *dash; /* what a hyphen between spaces becomes (NULL: the language's) */
};

/* The languages that write a colon and a list's comma full-width, with no
 * space beside them: "：" before a subtitle, "、" between every two names
 * and no "and" (GB/T 15834's 顿号, JIS X 4051's 読点): "主编：王小明、李华". */
static const struct {
	const char *tag, *colon, *list_sep;
} fullwidth[] = {{"zh", "\uFF1A", "\u3001"}, {"ja", "\uFF1A", "\u3001"}};

/* The languages whose "and" is a prefix of the next word (Hebrew's ו,
 * Arabic's و), written onto it. */
static const char *const and_joins[] = {"he", "iw", "ar"};

/* A hyphen typed between spaces is a dash: closed up in American English
 * (the Chicago Manual's em dash), spaced elsewhere - New Hart's Rules'
 * en dash, the Gedankenstrich, the tiret d'incise, the tankstreck, the
 * pomlčka - and Spanish's raya, an em dash. */
#define DASH_CLOSED_EM "\u2014"
#define DASH_SPACED_EN " \u2013" /* a space first: spaced */
#define DASH_SPACED_EM " \u2014"

/* Chinese in traditional characters (Taiwan, Hong Kong, Macao). */
#define ZH_HANT_STRS                                                                          \
	{"目錄", "主編：", "翻譯：", "插圖：", "導言：", "序言：", "首次出版", "修訂",        \
	 "出版者：", "以 {fonts} 字體，用 octavo 排版", "書名頁", "版權", "封面", "導覽",   \
	 "頁碼", "和", "注", "提示", "重要", "警告", "注意", "（續）"}

#define Q_EN_US {"\u201C", "\u201D", "\u2018", "\u2019"}
static const struct lang langs[] = {
    {"en", Q_EN_US, false,
     {"Contents", "Edited by", "Translated by", "Illustrated by", "With an introduction by",
      "With a foreword by", "First published", "revised", "Published by",
      "Set in {fonts} and typeset with octavo", "Title page", "Copyright", "Cover",
      "Landmarks", "Pages", "and",
      "Note", "Tip", "Important", "Warning", "Caution",
      "(cont.)"}, DASH_CLOSED_EM},
    /* British books quote with single marks first (New Hart's Rules). */
    {"en-GB", {"\u2018", "\u2019", "\u201C", "\u201D"}, false, {0}, DASH_SPACED_EN},
    {"de", {"\u201E", "\u201C", "\u201A", "\u2018"}, false,
     {"Inhalt", "Herausgegeben von", "Übersetzt von", "Illustriert von",
      "Mit einer Einleitung von", "Mit einem Vorwort von", "Erstausgabe", "überarbeitet",
      "Verlag:", "Gesetzt aus der {fonts} mit octavo", "Titelseite", "Impressum", "Umschlag",
      "Orientierungspunkte", "Seiten", "und",
      "Hinweis", "Tipp", "Wichtig", "Warnung", "Vorsicht",
      "(Forts.)"}, DASH_SPACED_EN},
    /* Switzerland (and Liechtenstein) use guillemets, without spaces. */
    {"de-CH", {"\u00AB", "\u00BB", "\u2039", "\u203A"}, false, {0}, NULL},
    {"de-LI", {"\u00AB", "\u00BB", "\u2039", "\u203A"}, false, {0}, NULL},
    {"fr", {"\u00AB", "\u00BB", "\u201C", "\u201D"}, true,
     {"Table des matières", "Sous la direction de", "Traduit par", "Illustrations de",
      "Introduction de", "Préface de", "Première publication", "révisée", "Publié par",
      "Composé en {fonts} avec octavo", "Page de titre", "Droits d’auteur", "Couverture",
      "Repères", "Pages", "et",
      "Remarque", "Astuce", "Important", "Avertissement", "Attention",
      "(suite)"}, DASH_SPACED_EN},
    {"es", {"\u00AB", "\u00BB", "\u201C", "\u201D"}, false,
     {"Índice", "Edición de", "Traducción de", "Ilustraciones de", "Introducción de",
      "Prólogo de", "Primera edición", "revisada", "Publicado por",
      "Compuesto en {fonts} con octavo", "Portada", "Créditos", "Cubierta",
      "Puntos de referencia", "Páginas", "y",
      "Nota", "Consejo", "Importante", "Advertencia", "Precaución",
      "(cont.)"}, DASH_SPACED_EM},
    {"it", {"\u00AB", "\u00BB", "\u201C", "\u201D"}, false,
     {"Indice", "A cura di", "Traduzione di", "Illustrazioni di", "Introduzione di",
      "Prefazione di", "Prima edizione", "riveduta", "Pubblicato da",
      "Composto in {fonts} con octavo", "Frontespizio", "Copyright", "Copertina",
      "Punti di riferimento", "Pagine", "e",
      "Nota", "Suggerimento", "Importante", "Avviso", "Attenzione",
      "(segue)"}, DASH_SPACED_EN},
    {"nl", Q_EN_US, false,
     {"Inhoud", "Onder redactie van", "Vertaald door", "Geïllustreerd door",
      "Met een inleiding door", "Met een voorwoord door", "Eerste uitgave", "herzien",
      "Uitgegeven door", "Gezet in de {fonts} met octavo", "Titelpagina", "Colofon",
      "Omslag", "Oriëntatiepunten", "Pagina’s", "en",
      "Opmerking", "Tip", "Belangrijk", "Waarschuwing", "Let op",
      "(vervolg)"}, DASH_SPACED_EN},
    {"sv", {"\u201D", "\u201D", "\u2019", "\u2019"}, false,
     {"Innehåll", "Redigerad av", "Översättning:", "Illustrationer:", "Inledning av",
      "Förord av", "Första utgåva", "reviderad", "Utgiven av",
      "Satt med {fonts} i octavo", "Titelsida", "Copyright", "Omslag",
      "Orienteringspunkter", "Sidor", "och",
      "Obs", "Tips", "Viktigt", "Varning", "Försiktighet",
      "(forts.)"}, DASH_SPACED_EN},
    {"da", {"\u00BB", "\u00AB", "\u203A", "\u2039"}, false,
     {"Indhold", "Redigeret af", "Oversat af", "Illustreret af", "Med en indledning af",
      "Med et forord af", "Første udgave", "revideret", "Udgivet af",
      "Sat med {fonts} i octavo", "Titelside", "Kolofon", "Omslag", "Orienteringspunkter",
      "Sider", "og",
      "Bemærk", "Tip", "Vigtigt", "Advarsel", "Forsigtig",
      "(fortsat)"}, DASH_SPACED_EN},
    /* Polish and Czech: the editor with a colon, as Russian's: "Pod
     * redakcją" wants the names in the genitive ("Pod redakcją Jana
     * Kowalskiego"), which book.yaml's list of names is not; Czech's
     * publisher too, since "Vydal" agrees with the name's gender. */
    {"pl", {"\u201E", "\u201D", "\u00AB", "\u00BB"}, false,
     {"Spis treści", "Redakcja:", "Tłumaczenie:", "Ilustracje:", "Wstęp:",
      "Przedmowa:", "Pierwsze wydanie", "wydanie poprawione", "Wydawca:",
      "Złożono krojem {fonts} w programie octavo", "Strona tytułowa", "Prawa autorskie",
      "Okładka", "Punkty orientacyjne", "Strony", "i",
      "Uwaga", "Wskazówka", "Ważne", "Ostrzeżenie", "Przestroga",
      "(cd.)"}, DASH_SPACED_EN},
    {"cs", {"\u201E", "\u201C", "\u201A", "\u2018"}, false,
     {"Obsah", "Redakce:", "Překlad:", "Ilustrace:", "Úvod:", "Předmluva:", "První vydání",
      "revidováno", "Vydavatel:", "Vysázeno písmem {fonts} programem octavo", "Titulní strana",
      "Tiráž", "Obálka", "Orientační body", "Strany", "a",
      "Poznámka", "Tip", "Důležité", "Varování", "Upozornění",
      "(pokr.)"}, DASH_SPACED_EN},
    /* Russian and Ukrainian: guillemets, then German-style marks inside
     * (Мильчин's Справочник издателя и автора); a spaced em dash. The
     * editor with a colon, as the translator: "Под редакцией" wants the
     * names in the genitive, which a list of names in book.yaml is not. */
    {"ru", {"\u00AB", "\u00BB", "\u201E", "\u201C"}, false,
     {"Содержание", "Редактор:", "Перевод:", "Иллюстрации:", "Вступительная статья:",
      "Предисловие:", "Первое издание", "исправленное", "Издатель:",
      "Набрано шрифтом {fonts} в программе octavo", "Титульный лист", "Авторские права",
      "Обложка", "Ориентиры", "Страницы", "и",
      "Примечание", "Совет", "Важно", "Предупреждение", "Осторожно",
      "(продолж.)"}, DASH_SPACED_EM},
    {"uk", {"\u00AB", "\u00BB", "\u201E", "\u201C"}, false,
     {"Зміст", "Редактор:", "Переклад:", "Ілюстрації:", "Вступна стаття:", "Передмова:",
      "Перше видання", "виправлене", "Видавець:", "Набрано шрифтом {fonts} у програмі octavo",
      "Титульна сторінка", "Авторські права", "Обкладинка", "Орієнтири", "Сторінки", "і",
      "Примітка", "Порада", "Важливо", "Попередження", "Обережно",
      "(продовж.)"}, DASH_SPACED_EM},
    /* Greek: guillemets, then English marks inside. */
    {"el", {"\u00AB", "\u00BB", "\u201C", "\u201D"}, false,
     {"Περιεχόμενα", "Επιμέλεια:", "Μετάφραση:", "Εικονογράφηση:", "Εισαγωγή:", "Πρόλογος:",
      "Πρώτη έκδοση", "αναθεωρημένη", "Εκδότης:", "Στοιχειοθετήθηκε με {fonts} στο octavo",
      "Σελίδα τίτλου", "Πνευματικά δικαιώματα", "Εξώφυλλο", "Ορόσημα", "Σελίδες", "και",
      "Σημείωση", "Συμβουλή", "Σημαντικό", "Προειδοποίηση", "Προσοχή",
      "(συνέχεια)"}, DASH_SPACED_EM},
    /* Right to left. Hebrew: ” and ’ at both ends (CLDR; the Academy of
     * the Hebrew Language's punctuation rules), a spaced en dash; "and"
     * is the prefix ו, written onto the name after it. */
    {"he", {"\u201D", "\u201D", "\u2019", "\u2019"}, false,
     {"תוכן העניינים", "בעריכת", "תרגום:", "איורים:", "מבוא מאת", "הקדמה מאת",
      "מהדורה ראשונה", "מתוקנת", "הוצאת", "סודר באות {fonts} בתוכנת octavo", "שער",
      "זכויות יוצרים", "כריכה", "ציוני דרך", "עמודים", "ו",
      "הערה", "עצה", "חשוב", "אזהרה", "זהירות",
      "(המשך)"}, DASH_SPACED_EN},
    /* Arabic: CLDR's ” “ and ’ ‘ (unmirrored, so the opening mark at the
     * right reads as an opening one); "and" is the prefix و. */
    {"ar", {"\u201D", "\u201C", "\u2019", "\u2018"}, false,
     {"المحتويات", "تحرير", "ترجمة", "رسوم", "مقدمة بقلم", "تصدير بقلم",
      "الطبعة الأولى", "منقحة", "الناشر:", "صُفّ بخط {fonts} باستخدام octavo",
      "صفحة العنوان", "حقوق النشر", "الغلاف", "معالم", "الصفحات", "و",
      "ملاحظة", "نصيحة", "مهم", "تحذير", "تنبيه",
      "(تابع)"}, DASH_SPACED_EN},
    /* Persian: guillemets (mirrored in a right-to-left line, so « opens
     * at the right), English marks inside; its و stands alone. */
    {"fa", {"\u00AB", "\u00BB", "\u201C", "\u201D"}, false,
     {"فهرست مطالب", "ویراستار:", "ترجمه:", "تصویرگر:", "با مقدمه‌ای از",
      "با پیش‌گفتاری از", "چاپ نخست", "بازنگری‌شده", "ناشر:",
      "حروف‌چینی با {fonts} در octavo", "صفحهٔ عنوان", "حق نشر", "جلد", "نشانه‌ها",
      "صفحه‌ها", "و",
      "یادداشت", "نکته", "مهم", "هشدار", "احتیاط",
      "(ادامه)"}, DASH_SPACED_EN},
    /* Chinese and Japanese: a role's label ends in the full-width colon
     * ("主编：王小明", no space after it: bk_label_gap); the dash "——" is
     * two characters wide and closed up. Simplified Chinese quotes with “” and ‘’ (GB/T 15834),
     * traditional Chinese and Japanese with 「」 and 『』. */
    {"zh", {"\u201C", "\u201D", "\u2018", "\u2019"}, false,
     {"目录", "主编：", "翻译：", "插图：", "导言：", "序言：", "首次出版", "修订",
      "出版者：", "以 {fonts} 字体，用 octavo 排版", "书名页", "版权", "封面", "导览",
      "页码", "和", "注", "提示", "重要", "警告", "注意", "（续）"},
     "\u2014\u2014"},
    {"zh-Hant", {"\u300C", "\u300D", "\u300E", "\u300F"}, false, ZH_HANT_STRS, NULL},
    {"zh-TW", {"\u300C", "\u300D", "\u300E", "\u300F"}, false, ZH_HANT_STRS, NULL},
    {"zh-HK", {"\u300C", "\u300D", "\u300E", "\u300F"}, false, ZH_HANT_STRS, NULL},
    {"zh-MO", {"\u300C", "\u300D", "\u300E", "\u300F"}, false, ZH_HANT_STRS, NULL},
    {"ja", {"\u300C", "\u300D", "\u300E", "\u300F"}, false,
     {"目次", "編集：", "翻訳：", "挿絵：", "序論：", "序文：", "初版", "改訂", "発行所：",
      "{fonts} で組版、octavo を使用", "扉", "著作権", "表紙", "ランドマーク", "ページ", "と",
      "注記", "ヒント", "重要", "警告", "注意", "（続き）"},
     "\u2014\u2014"},
};

/* Whether tag (a BCP 47 tag) is lang or a regional form of it. */
static bool tag_is(const char *tag, const char *lang)
{
	size_t n = strlen(lang);
	if (strncasecmp(tag, lang, n))
		return false;
	return tag[n] == 0 || tag[n] == '-' || tag[n] == '_';
}

/* The table's language for tag (its language without the region), and its
 * region's entry when it has one of its own; lang is NULL for a language
 * the table lacks (English then). */
static void lookup(const char *tag, const struct lang **lang, const struct lang **region)
{
	*lang = *region = NULL;
	if (!tag)
		return;
	for (size_t i = 0; i < ARRAY_LEN(langs); i++) {
		if (!strchr(langs[i].tag, '-') && tag_is(tag, langs[i].tag))
			*lang = &langs[i];
		else if (strchr(langs[i].tag, '-') && tag_is(tag, langs[i].tag))
			*region = &langs[i];
	}
}

const char *bk_str(const struct book *b, enum bk_str s)
{
	assert(s >= 0 && s < BK_NSTR);
	if (b->strings[s])
		return b->strings[s];
	const struct lang *l, *r;
	lookup(b->meta.language, &l, &r);
	if (r && r->s[s])
		return r->s[s];
	return l ? l->s[s] : langs[0].s[s];
}

/* Whether cp is a letter of the Hebrew block or of the Arabic script's. */
static bool hebrew_or_arabic(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
	       (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
	       (cp >= 0xFE70 && cp <= 0xFEFF);
}

const char *bk_and_glue(const struct book *b, const char *next)
{
	bool joins = false;
	for (size_t i = 0; b->meta.language && !b->strings[BK_STR_AND] && i < ARRAY_LEN(and_joins);
	     i++)
		joins |= tag_is(b->meta.language, and_joins[i]);
	uint32_t cp = 0;
	if (!joins || !next || utf8_decode((const unsigned char *)next, strlen(next), &cp) < 0)
		return " ";
	if (hebrew_or_arabic(cp))
		return "";
	/* Before a Latin name or a figure Hebrew writes a maqaf (ו־Dana,
	 * the Academy's rule); Arabic keeps a space. */
	return tag_is(b->meta.language, "ar") ? " " : "\u05BE";
}

void bk_quotes_of(const struct book *b, struct bk_quotes *q)
{
	const struct lang *l, *r;
	lookup(b->meta.language, &l, &r);
	const struct lang *from = r ? r : l ? l : &langs[0];
	for (int i = 0; i < 4; i++)
		q->mark[i] = b->quotes[i] ? b->quotes[i] : from->q[i];
	q->french = (l ? l : &langs[0])->french;
	q->dash = r && r->dash ? r->dash : (l ? l : &langs[0])->dash;
	q->arrows = b->style.arrows;
}

/* Languages written right to left (their ISO 639 codes, CLDR's
 * characterOrder right-to-left), and the scripts that are (ISO 15924),
 * for a tag that names its script ("az-Arab", "pa-Arab"). */
static const char *const rtl_langs[] = {"ar", "arc", "ckb", "dv", "fa", "he", "iw",
					"ks", "mzn", "ps", "sd", "ug", "ur", "yi"};
static const char *const rtl_scripts[] = {"Adlm", "Arab", "Hebr", "Nkoo", "Rohg",
					  "Samr", "Syrc", "Thaa"};

bool bk_lang_rtl(const char *tag)
{
	if (!tag)
		return false;
	/* A script subtag decides: "ug-Latn" is written left to right. */
	for (const char *p = strpbrk(tag, "-_"); p; p = strpbrk(p + 1, "-_")) {
		size_t n = strcspn(p + 1, "-_");
		if (n != 4 || !isalpha((unsigned char)p[1]))
			continue; /* a region or a variant ("de-1901") */
		for (size_t i = 0; i < ARRAY_LEN(rtl_scripts); i++)
			if (!strncasecmp(p + 1, rtl_scripts[i], 4))
				return true;
		return false;
	}
	for (size_t i = 0; i < ARRAY_LEN(rtl_langs); i++)
		if (tag_is(tag, rtl_langs[i]))
			return true;
	return false;
}

/* The book's language's entry in fullwidth[], or -1. */
static int fullwidth_of(const struct book *b)
{
	for (size_t i = 0; b->meta.language && i < ARRAY_LEN(fullwidth); i++)
		if (tag_is(b->meta.language, fullwidth[i].tag))
			return (int)i;
	return -1;
}

bool bk_lang_cjk(const char *tag)
{
	return tag && (tag_is(tag, "zh") || tag_is(tag, "ja") || tag_is(tag, "ko"));
}

const char *bk_title_colon(const struct book *b)
{
	int fw = fullwidth_of(b);
	if (fw >= 0)
		return fullwidth[fw].colon;
	struct bk_quotes q;
	bk_quotes_of(b, &q);
	return q.french ? "\u202F: " : ": ";
}

const char *bk_label_gap(const char *label)
{
	size_t n = label ? strlen(label) : 0;
	size_t i = n ? n - 1 : 0;
	while (i > 0 && ((unsigned char)label[i] & 0xC0) == 0x80)
		i--;
	uint32_t cp = 0;
	if (!n || utf8_decode((const unsigned char *)label + i, n - i, &cp) < 0)
		return n ? " " : "";
	/* CJK Symbols and Punctuation, and the Halfwidth and Fullwidth Forms'
	 * full-width half: a character wide, with its space inside. */
	return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF60) ? "" : " ";
}

void bk_join_names(const struct book *b, struct strbuf *sb, const char *const *names, size_t n)
{
	int fw = fullwidth_of(b);
	/* The book's own "and" (strings:) is meant to be used. */
	const char *sep = fw >= 0 && !b->strings[BK_STR_AND] ? fullwidth[fw].list_sep : NULL;
	for (size_t i = 0; i < n; i++) {
		if (i && sep)
			sb_adds(sb, sep);
		else if (i)
			sb_addf(sb, i + 1 != n ? ", " : " %s%s", bk_str(b, BK_STR_AND),
				bk_and_glue(b, names[i]));
		sb_adds(sb, names[i]);
	}
}

/* ===== book.yaml's strings: ============================================ */

void bk_load_strings(struct book *b, const struct ynode *n, struct diag *d)
{
	if (!n)
		return;
	if (n->kind != Y_MAP) {
		diag_error(d, b->yaml_path, n->line, n->col,
			   "'strings' must be a mapping such as 'contents: \"Inhalt\"'");
		return;
	}
	for (size_t i = 0; i + 1 < n->nkids; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		if (!strcmp(k->str, "quotes")) {
			/* Four marks: outer open and close, inner open and close. */
			const char *s = ystring(&b->arena, v, b->yaml_path, "quotes", d);
			const char *marks[4];
			int m = 0;
			for (size_t j = 0; s && s[j] && m < 5;) {
				uint32_t cp;
				int len = utf8_decode((const unsigned char *)s + j, strlen(s + j), &cp);
				if (len < 0 || cp == ' ')
					break;
				if (m < 4)
					marks[m] = ar_strndup(&b->arena, s + j, (size_t)len);
				m++;
				j += (size_t)len;
			}
			if (m != 4) {
				diag_error(d, b->yaml_path, v->line, v->col,
					   "'quotes' must be four marks: outer open and close, inner "
					   "open and close, such as \"\u201E\u201C\u201A\u2018\"");
				continue;
			}
			memcpy(b->quotes, marks, sizeof(marks));
			continue;
		}
		int which = -1;
		for (int s = 0; s < BK_NSTR; s++)
			if (!strcmp(k->str, str_keys[s]))
				which = s;
		if (which < 0) {
			diag_error(d, b->yaml_path, k->line, k->col, "unknown string '%s'", k->str);
			struct strbuf sb = STRBUF_INIT;
			for (int s = 0; s < BK_NSTR; s++)
				sb_addf(&sb, "%s, ", str_keys[s]);
			diag_hint(d, "the strings are %squotes", sb.buf);
			sb_release(&sb);
			continue;
		}
		b->strings[which] = ystring(&b->arena, v, b->yaml_path, k->str, d);
	}
}

/* ===== the colophon ==================================================== */

char *bk_colophon(const struct book *b, struct arena *a, const char *const *families,
		  size_t n, double size, double leading)
{
	struct strbuf f = STRBUF_INIT;
	bk_join_names(b, &f, families, n);
	if (!n)
		sb_adds(&f, "?");
	if (size > 0) {
		/* Every language here but English, Hebrew, Chinese and
		 * Japanese writes a decimal comma. */
		const struct lang *l, *r;
		lookup(b->meta.language, &l, &r);
		bool comma = l && l != &langs[0] && !tag_is(l->tag, "he") && !tag_is(l->tag, "zh") &&
			     !tag_is(l->tag, "ja");
		char num[32];
		/* 10.5/14 pt: whole points without their decimals. */
		if (size == (long)size)
			snprintf(num, sizeof(num), "%ld", (long)size);
		else
			snprintf(num, sizeof(num), "%.1f", size);
		char lead[32];
		if (leading == (long)leading)
			snprintf(lead, sizeof(lead), "%ld", (long)leading);
		else
			snprintf(lead, sizeof(lead), "%.1f", leading);
		for (char *p = num; comma && *p; p++)
			*p = *p == '.' ? ',' : *p;
		for (char *p = lead; comma && *p; p++)
			*p = *p == '.' ? ',' : *p;
		sb_addf(&f, " %s/%s pt", num, lead);
	}
	const char *tpl = bk_str(b, BK_STR_COLOPHON);
	struct strbuf out = STRBUF_INIT;
	const char *at = strstr(tpl, "{fonts}");
	if (at) {
		sb_add(&out, tpl, (size_t)(at - tpl));
		sb_adds(&out, f.buf);
		sb_adds(&out, at + 7);
	} else {
		sb_adds(&out, tpl);
	}
	char *r = ar_strdup(a, out.buf);
	sb_release(&f);
	sb_release(&out);
	return r;
}

/* ===== quotation marks and French spacing ============================== */

#define NNBSP "\u202F"

/* A character of the paragraph: where it is (span, byte) and what. */
struct ch {
	uint32_t cp;
	size_t span, at;
	int len;
};

static bool is_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
	       (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp < 0x2000);
}

static bool is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0xA0 || cp == 0x202F || cp == 0x2009 || cp == '\t' || cp == '\n';
}

/* Rewrites one paragraph's spans: the replacement text of each character
 * (NULL: as it was) gathered in rep, then each changed span rebuilt. */
/* Whether the spans hold anything apply_spans may change: a spaced
 * hyphen, a curly quote (U+2018-201D), for French a guillemet or ; : ! ?,
 * with the style's arrows a '>' or '<' - most paragraphs have none, and
 * are passed over at the cost of a byte scan. */
static bool worth_a_look(const struct bk_span *sp, size_t nsp, bool french, bool arrows)
{
	for (size_t s = 0; s < nsp; s++) {
		if (sp[s].kind != BK_SPAN_TEXT)
			continue;
		const unsigned char *t = (const unsigned char *)sp[s].text;
		if (arrows && !(sp[s].style & BK_CODE) &&
		    (memchr(t, '>', sp[s].len) || memchr(t, '<', sp[s].len)))
			return true;
		for (size_t i = 0; i < sp[s].len; i++) {
			if (t[i] == '-' && i > 0 && i + 1 < sp[s].len && is_space(t[i - 1]) &&
			    is_space(t[i + 1]))
				return true;
			if (t[i] == 0xE2 && i + 2 < sp[s].len && t[i + 1] == 0x80 && t[i + 2] >= 0x98 &&
			    t[i + 2] <= 0x9D)
				return true;
			if (t[i] == 0xE2 && i > 0 && i + 3 < sp[s].len && t[i + 1] == 0x80 &&
			    t[i + 2] == 0x94 && is_space(t[i - 1]) && is_space(t[i + 3]))
				return true; /* a spaced em dash */
			if (french && (t[i] == ';' || t[i] == ':' || t[i] == '!' || t[i] == '?' ||
				       (t[i] == 0xC2 && i + 1 < sp[s].len &&
					(t[i + 1] == 0xAB || t[i + 1] == 0xBB))))
				return true;
		}
	}
	return false;
}

/* The quotes of a passage in language tag ([x]{lang=de}, ::: {lang=fr}):
 * the table's for it, or base (the book's, with its 'strings:') when tag
 * is NULL, the book's own language, or one the table lacks. */
static void passage_quotes(const struct book *b, const char *tag, const struct bk_quotes *base,
			   struct bk_quotes *q)
{
	*q = *base;
	const char *own = b->meta.language ? b->meta.language : "en";
	const struct lang *l, *r;
	if (!tag || !strcasecmp(tag, own))
		return;
	lookup(tag, &l, &r);
	const struct lang *from = r ? r : l;
	if (!from)
		return;
	for (int i = 0; i < 4; i++)
		q->mark[i] = from->q[i];
	q->french = (l ? l : from)->french;
	q->dash = from->dash ? from->dash : l ? l->dash : base->dash;
}

/* Whether the closing double quote at i opens: after a space, the
 * paragraph's start or an opening bracket or mark, and before a
 * character. cmark-gfm's smart quotes close a quote between two marks of
 * punctuation, so '_"/"_' and '("/")' come as "”/”"; a closing mark is
 * never there otherwise (it follows what it closes). */
static bool misread_opening(const struct ch *cs, size_t n, const struct bk_span *sp, size_t i)
{
	if (i + 1 >= n || is_space(cs[i + 1].cp))
		return false;
	/* Right after code, a break or a note mark, which cs leaves out:
	 * what stands before it is not known here ('("`x`")' closes). */
	size_t s = cs[i].span;
	if (cs[i].at == 0 && s > 0 && (sp[s - 1].kind != BK_SPAN_TEXT || sp[s - 1].style & BK_CODE))
		return false;
	if (i == 0)
		return true;
	uint32_t b = cs[i - 1].cp;
	return is_space(b) || b == '(' || b == '[' || b == '{' || b == 0x201C || b == 0x2018;
}

/* Quotes by depth, in q's marks (a stack of the open ones, double or
 * single), or a passage's own (sq) for both marks of a pair inside it;
 * rep[i] is what replaces character i (NULL: itself). Left alone when
 * the author typed the language's own marks (typed), unless q is
 * English's. Returns whether anything changes. */
static bool quotes_by_depth(const struct ch *cs, size_t n, const struct bk_span *sp,
			    const struct bk_quotes *sq, const struct bk_quotes *q, bool typed,
			    const char **rep)
{
	bool changed = false;
	bool english = !strcmp(q->mark[0], "\u201C") && !strcmp(q->mark[2], "\u2018") &&
		       !strcmp(q->mark[1], "\u201D") && !strcmp(q->mark[3], "\u2019");
	if (typed && !english)
		return false;
	char stack[16];
	size_t opener[16]; /* where each open quote is */
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = cs[i].cp;
		if (cp == 0x201D && misread_opening(cs, n, sp, i))
			cp = 0x201C;
		if (cp == 0x201C || cp == 0x2018) {
			if (depth < 16) {
				stack[depth] = cp == 0x201C ? 'd' : 's';
				opener[depth] = i;
			}
			rep[i] = q->mark[(depth % 2) * 2];
			depth++;
		} else if (cp == 0x201D || cp == 0x2019) {
			char want = cp == 0x201D ? 'd' : 's';
			bool between = i > 0 && i + 1 < n && is_letter(cs[i - 1].cp) &&
				       is_letter(cs[i + 1].cp);
			if (depth > 0 && depth <= 16 && stack[depth - 1] == want && !between) {
				depth--;
				rep[i] = q->mark[(depth % 2) * 2 + 1];
				/* Both marks in one passage in another
				 * language: that language's. */
				size_t o = opener[depth];
				const char *lo = sp[cs[o].span].lang, *li = sp[cs[i].span].lang;
				if (sq && lo && li && !strcasecmp(lo, li)) {
					const struct bk_quotes *pq = &sq[cs[i].span];
					rep[o] = pq->mark[(depth % 2) * 2];
					rep[i] = pq->mark[(depth % 2) * 2 + 1];
				}
			} else if (cp == 0x2019) {
				rep[i] = NULL; /* an apostrophe */
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (rep[i]) {
			char u[4];
			int m = utf8_encode(cs[i].cp, u);
			if ((int)strlen(rep[i]) == m && !memcmp(u, rep[i], (size_t)m))
				rep[i] = NULL;
			else
				changed = true;
		}
	}
	return changed;
}

/*
 * A hyphen between two words with a space either side is a dash, as the
 * paragraph's (q) or the passage's (sq) language sets one: spaced, or
 * closed up (the spaces dropped). Between two figures ("5 - 3") it is a
 * minus sign. Not a hyphen at the paragraph's start or end, nor one of a
 * row ("- - -"); code is not among cs. Where the language's dash is a
 * spaced en dash, a spaced em dash (" --- ", " \u2014 ") is one too: a
 * collection's authors type either, and a book set in one language sets
 * one parenthetical dash (New Hart's Rules 4.11.1), not the spaced em
 * of some essays beside the en of the rest. Returns whether anything
 * changes.
 */
static bool spaced_hyphens(const struct ch *cs, size_t n, const struct bk_quotes *sq,
			   const struct bk_quotes *q, const char **rep)
{
	bool changed = false;
	for (size_t i = 1; i + 1 < n; i++) {
		if (cs[i].cp == 0x2014 && is_space(cs[i - 1].cp) && is_space(cs[i + 1].cp) &&
		    !strcmp((sq ? &sq[cs[i].span] : q)->dash, DASH_SPACED_EN)) {
			rep[i] = "\u2013";
			changed = true;
			continue;
		}
		if (i < 2 || i + 2 >= n)
			continue;
		if (cs[i].cp != '-' || !is_space(cs[i - 1].cp) || !is_space(cs[i + 1].cp) ||
		    is_space(cs[i - 2].cp) || is_space(cs[i + 2].cp) || cs[i - 2].cp == '-' ||
		    cs[i + 2].cp == '-')
			continue;
		const char *dash = (sq ? &sq[cs[i].span] : q)->dash;
		bool figures = cs[i - 2].cp >= '0' && cs[i - 2].cp <= '9' && cs[i + 2].cp >= '0' &&
			       cs[i + 2].cp <= '9';
		if (figures) {
			rep[i] = "\u2212";
		} else if (dash[0] == ' ') {
			rep[i] = dash + 1;
		} else {
			rep[i - 1] = rep[i + 1] = "";
			rep[i] = dash;
		}
		changed = true;
	}
	return changed;
}

/* French spacing: a narrow no-break space before ; : ! ? and » and
 * after «, in place of the space typed there, if any, where the
 * paragraph (q) or the passage (sq) is French; into pre[i] what goes
 * before character i. Returns whether anything changes. */
static bool french_spacing(const struct ch *cs, size_t n, const struct bk_quotes *sq,
			   const struct bk_quotes *q, const char **rep, struct strbuf *pre)
{
	bool changed = false;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = cs[i].cp;
		if (!(sq ? sq[cs[i].span].french : q->french))
			continue; /* a passage in a language that does not space */
		const char *r = rep[i];
		bool open = r ? !strcmp(r, "\u00AB") : cp == 0xAB;
		bool close = r ? !strcmp(r, "\u00BB") : cp == 0xBB;
		bool high = cp == ';' || cp == ':' || cp == '!' || cp == '?';
		if (high && i > 0) {
			uint32_t prev = cs[i - 1].cp;
			uint32_t next = i + 1 < n ? cs[i + 1].cp : ' ';
			/* not in 10:30, http://, a?b, nor between ?! */
			if ((cp == ':' && (next == '/' || (prev >= '0' && prev <= '9' &&
							    next >= '0' && next <= '9'))) ||
			    prev == '!' || prev == '?' || prev == ':' || prev == ';' ||
			    prev == '(' || prev == '[' || (!is_space(next) && next != 0xBB &&
							   next != ')' && next != ']' &&
							   next != '!' && next != '?' &&
							   !(next == 0x201D || next == 0x2019)))
				high = false;
		}
		if ((high || close) && i > 0) {
			if (is_space(cs[i - 1].cp) && cs[i - 1].cp != 0x202F) {
				rep[i - 1] = "";
				sb_adds(&pre[i - 1], NNBSP);
				changed = true;
			} else if (!is_space(cs[i - 1].cp) &&
				   !(cs[i - 1].cp == 0xAB && close)) {
				sb_adds(&pre[i], NNBSP);
				changed = true;
			}
		}
		if (open && i + 1 < n && cs[i + 1].cp != 0x202F) {
			if (is_space(cs[i + 1].cp)) {
				rep[i + 1] = "";
				sb_adds(&pre[i + 1], NNBSP);
			} else {
				sb_adds(&pre[i + 1], NNBSP);
			}
			changed = true;
		}
	}
	return changed;
}

/* Each span whose characters cs changed, rewritten into the arena:
 * pre[i] (may be NULL) before character i, rep[i] in its place. */
static void rewrite_spans(struct arena *a, struct bk_span *sp, const struct ch *cs, size_t n,
			  const char *const *rep, const struct strbuf *pre)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	while (i < n) {
		size_t s = cs[i].span;
		sb_reset(&sb);
		size_t done = 0; /* bytes of the span copied */
		const char *t = sp[s].text;
		for (; i < n && cs[i].span == s; i++) {
			sb_add(&sb, t + done, cs[i].at - done);
			done = cs[i].at;
			if (pre && pre[i].len)
				sb_add(&sb, pre[i].buf, pre[i].len);
			if (rep[i]) {
				sb_adds(&sb, rep[i]);
				done += (size_t)cs[i].len;
			}
		}
		sb_add(&sb, t + done, sp[s].len - done);
		if (sb.len != sp[s].len || memcmp(sb.buf, t, sb.len)) {
			sp[s].text = ar_strndup(a, sb.buf, sb.len);
			sp[s].len = sb.len;
		}
	}
	sb_release(&sb);
}

/* The style's arrows (bk_arrow_at): an arrow's first character replaced
 * by its sign, the others by nothing; its characters all of one span
 * (bk_arrow_at reads one span's text). Returns whether
 * any was found. */
static bool arrows(const struct ch *cs, size_t n, const struct bk_span *sp, const char **rep)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct bk_span *s = &sp[cs[i].span];
		const char *sign;
		size_t m = bk_arrow_at(s->text, s->len, cs[i].at, &sign);
		size_t j = i;
		while (m && j < n && cs[j].span == cs[i].span && cs[j].at < cs[i].at + m && !rep[j])
			j++;
		if (!m || j == i || cs[j - 1].at + (size_t)cs[j - 1].len != cs[i].at + m)
			continue; /* none, or changed already */
		rep[i] = sign;
		for (size_t k = i + 1; k < j; k++)
			rep[k] = "";
		any = true;
		i = j - 1;
	}
	return any;
}

/*
 * Rewrites one paragraph's quotes by depth and, in French, its spacing,
 * in base's marks; a span in another language ([x]{lang=de}) has its
 * own for the quotes that open and close inside it.
 */
static void apply_spans(struct arena *a, const struct book *b, struct bk_span *sp, size_t nsp,
			const struct bk_quotes *base)
{
	/* Each span's quotes: base's, or its language's. */
	struct bk_quotes *sq = NULL;
	bool french = base->french;
	for (size_t s = 0; s < nsp; s++)
		if (sp[s].lang && !sq) {
			sq = xcalloc(nsp, sizeof(*sq));
			for (size_t k = 0; k < nsp; k++) {
				passage_quotes(b, sp[k].lang, base, &sq[k]);
				french |= sq[k].french;
			}
		}
	if (!worth_a_look(sp, nsp, french, base->arrows)) {
		free(sq);
		return;
	}
	const struct bk_quotes *q = base;
	struct ch *cs = NULL;
	size_t n = 0, cap = 0;
	bool typed = false; /* the author typed the language's own marks */
	for (size_t s = 0; s < nsp; s++) {
		if (sp[s].kind != BK_SPAN_TEXT || (sp[s].style & BK_CODE))
			continue;
		const unsigned char *t = (const unsigned char *)sp[s].text;
		for (size_t i = 0; i < sp[s].len;) {
			uint32_t cp;
			int m = utf8_decode(t + i, sp[s].len - i, &cp);
			if (m < 0)
				m = 1, cp = 0xFFFD;
			GROW(cs, cap, n + 1);
			cs[n++] = (struct ch){cp, s, i, m};
			typed |= cp == 0x201E || cp == 0x201A || cp == 0xAB || cp == 0xBB ||
				 cp == 0x2039 || cp == 0x203A;
			i += (size_t)m;
		}
	}
	if (!n) {
		free(cs);
		free(sq);
		return;
	}
	const char **rep = xcalloc(n, sizeof(*rep));
	bool changed = quotes_by_depth(cs, n, sp, sq, q, typed, rep);
	changed |= spaced_hyphens(cs, n, sq, q, rep);
	if (q->arrows)
		changed |= arrows(cs, n, sp, rep);
	struct strbuf *pre = NULL; /* what goes before character i */
	if (french) {
		pre = xcalloc(n, sizeof(*pre));
		for (size_t i = 0; i < n; i++)
			sb_init(&pre[i]);
		changed |= french_spacing(cs, n, sq, q, rep, pre);
	}
	if (changed)
		rewrite_spans(a, sp, cs, n, rep, pre);
	if (pre)
		for (size_t i = 0; i < n; i++)
			sb_release(&pre[i]);
	free(pre);
	free(rep);
	free(cs);
	free(sq);
}

/* An alert's label (alert.c set it in English) in the book's language,
 * or as book.yaml's 'strings:' gives it. */
static void alert_label(const struct book *b, struct bk_block *div)
{
	if (!div->nkids || !div->kids[0].nspans || div->level < 0 || div->level >= BK_NALERTS)
		return;
	struct bk_span *s = &div->kids[0].spans[0];
	const char *en = bk_alert_label_en(div->level);
	if (s->kind != BK_SPAN_TEXT || s->len != strlen(en) || memcmp(s->text, en, s->len))
		return;
	s->text = bk_str(b, (enum bk_str)(BK_STR_NOTE + div->level));
	s->len = strlen(s->text);
}

static void apply_blocks(struct arena *a, const struct book *b, struct bk_block *v, size_t n,
			 const struct bk_quotes *q)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind == BK_DIV && (v[i].flags & BK_ALERT))
			alert_label(b, &v[i]);
		if (v[i].nspans)
			apply_spans(a, b, v[i].spans, v[i].nspans, q);
		if (v[i].ncaption) /* a table's "Table: ..." */
			apply_spans(a, b, v[i].caption, v[i].ncaption, q);
		apply_blocks(a, b, v[i].kids, v[i].nkids, q);
	}
}

const char *bk_lang_string(struct book *b, const struct bk_quotes *q, const char *s)
{
	if (!s)
		return s;
	struct bk_span sp = {.kind = BK_SPAN_TEXT, .text = s, .len = strlen(s)};
	apply_spans(&b->arena, b, &sp, 1, q);
	return sp.text;
}

void bk_lang_apply(struct book *b)
{
	struct bk_quotes q;
	bk_quotes_of(b, &q);
	for (size_t i = 0; i < b->nparts; i++) {
		struct bk_part *p = &b->parts[i];
		apply_blocks(&b->arena, b, p->blocks, p->nblocks, &q);
		for (size_t k = 0; k < p->nnotes; k++)
			apply_blocks(&b->arena, b, p->notes[k].kids, p->notes[k].nkids, &q);
	}
}

/* A string from YAML as the Markdown's text is set: smart punctuation,
 * then the language's quotes and dashes. */
static const char *front(struct book *b, const struct bk_quotes *q, const char *s)
{
	return bk_lang_string(b, q, bk_smarten(&b->arena, s));
}

void bk_smarten_front(struct book *b)
{
	struct bk_meta *m = &b->meta;
	struct bk_quotes q;
	bk_quotes_of(b, &q);
	const char **meta[] = {&m->title, &m->subtitle, &m->running_head, &m->publisher, &m->edition,
			       &m->rights, &m->description, &m->certified_by,
			       &m->certifier_credential};
	for (size_t i = 0; i < ARRAY_LEN(meta); i++)
		*meta[i] = front(b, &q, *meta[i]);
	for (size_t i = 0; i < m->ncreators; i++) {
		m->creators[i].name = front(b, &q, m->creators[i].name);
		m->creators[i].file_as = front(b, &q, m->creators[i].file_as);
	}
	for (size_t i = 0; i < b->nparts; i++) {
		struct bk_part *p = &b->parts[i];
		const char **strs[] = {&p->title, &p->subtitle, &p->author, &p->role,
				       &p->author_file_as, &p->bio, &p->running_head};
		for (size_t k = 0; k < ARRAY_LEN(strs); k++)
			*strs[k] = front(b, &q, *strs[k]);
	}
}
