#!/bin/sh
# tests/suites/qa14n.sh - what a book designer marked going through books
# made from Markdown nobody here wrote (Debian's READMEs and design docs,
# German manual pages through pandoc): each check fails on the octavo
# before the mend.
. "$ROOT/tests/lib.sh"

# rules PDF PAGE: the filled rules (table rules) drawn on PAGE, one a line,
# their width and thickness in points.
rules() {
	qpdf --qdf --object-streams=disable "$1" "$T/qdf.pdf" 2>/dev/null
	python3 - "$T/qdf.pdf" "$2" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
for m in re.finditer(rb'%% Contents for page (\d+)\n.*?stream\r?\n(.*?)endstream', d, re.S):
    if m.group(1).decode() == sys.argv[2]:
        for r in re.findall(rb'[\d.]+ [\d.]+ ([\d.]+) ([\d.]+) re f', m.group(2)):
            print(r[0].decode(), r[1].decode())
PY
}

# holds NAME TEXT WHAT: passes when WHAT (a PDF's text, an EPUB's XHTML)
# holds TEXT.
holds() {
	case $3 in
	*"$2"*) ok "$1" ;;
	*) no "$1" "$3" ;;
	esac
}

B=$T/b
mkdir -p "$B"
cat >"$B/book.yaml" <<'YAML'
title: Heads and Tables
language: en-GB
slug: heads
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-0000001a0e03
parts:
  - one.md
  - two.md
YAML
# A page written for a site (systemd's DISTRO_PORTING.md): the front
# matter's title, then the same words as '# Title' under a badge.
cat >"$B/one.md" <<'MD'
---
title: Porting to New Systems
---

[![build](https://ci.example.org/badge.svg)](https://ci.example.org)

# Porting To New Systems

## How to

Text after the heading, with a [link to the title](#porting-to-new-systems).

The table that follows has no head, as pandoc writes one:

|     |                          |
|:----|:-------------------------|
| 1   | Programs and commands    |
| 2   | System calls             |

The proxy's address has the form *http://user:secret@Server:Port/*, as
apt's manual gives it; <http://[::1]:8080/> and https://example.org:8443/x
are addresses.

A table with nothing in it at all:

|   |   |
|---|---|

The end.
MD
# A '# Heading' that is not the title stays. Two sections of one name,
# as semver's README has 'Ranges' twice and jsdiff's release notes a
# release's heading twice.
printf -- '---\ntitle: Another Essay\n---\n\n# A Different Heading\n\nIts text.\n\n## Ranges\n\nOne.\n\n## Functions\n\nTwo.\n\n## ranges\n\nThree.\n' >"$B/two.md"

if expect 0 "qa14n: the book builds" "$OCTAVO" build "$B" -o "$T/o" --screen; then
	msgs=$out
	# === a '# Title' that repeats the front matter's title ===================
	# Set twice, one under the other, on the opening page (and in the EPUB);
	# now once, as a '# Title' with no front matter title is.
	txt=$(pdftotext "$T/o/heads.pdf" - 2>/dev/null)
	n=$(printf '%s\n' "$txt" | grep -ci 'porting to new systems')
	want "qa14n: PDF: the title once on its opening page, once in the contents" "$n" -eq 2
	n=$(unzip -p "$T/o/heads.epub" OEBPS/text/essay-01.xhtml | grep -oi 'porting to new systems' | wc -l)
	want "qa14n: EPUB: the title in <title> and its opening heading, not again as a heading" "$n" -eq 2
	case $txt in
	*'A Different Heading'*) ok "qa14n: PDF: a '# Heading' other than the title stays" ;;
	*) no "qa14n: PDF: a '# Heading' other than the title stays" "$txt" ;;
	esac
	case $msgs in
	*'porting-to-new-systems'*) no "qa14n: a link to the repeated heading lands on the title" "$msgs" ;;
	*) unzip -p "$T/o/heads.epub" OEBPS/text/essay-01.xhtml | grep -q '<a href="#essay-01[-a-z]*">link to the title' &&
		ok "qa14n: a link to the repeated heading lands on the title" ||
		no "qa14n: a link to the repeated heading lands on the title" ;;
	esac
	# === a table's empty header row ==========================================
	# Was an empty head: a second rule 6 pt under the first in the PDF,
	# empty <th>s in the EPUB; a table of nothing drew three rules.
	r=$(rules "$T/o/heads.pdf" 7)
	n=$(printf '%s\n' "$r" | grep -c .)
	want "qa14n: PDF: the headless table's two rules, above and below" "$n" -eq 2
	xh=$(unzip -p "$T/o/heads.epub" OEBPS/text/essay-01.xhtml)
	n=$(printf '%s\n' "$xh" | grep -o '<table' | wc -l)
	want "qa14n: EPUB: one table (the empty one left out)" "$n" -eq 1
	case $xh in
	*'<th'*) no "qa14n: EPUB: no empty <th>" "$xh" ;;
	*'<td class="align-left">Programs and commands</td>'*) ok "qa14n: EPUB: no empty <th>, the rows kept" ;;
	*) no "qa14n: EPUB: no empty <th>, the rows kept" "$xh" ;;
	esac
	case $txt in
	*'Programs and commands'*'System calls'*) ok "qa14n: PDF: the rows kept" ;;
	*) no "qa14n: PDF: the rows kept" "$txt" ;;
	esac
	# === a pattern of an address is no link ================================
	# GFM's autolinks made 'http://user:secret@Server:Port/' a link: no
	# reader can follow it, and epubcheck warned (RSC-023).
	printf '%s\n' "$msgs" | grep -q "one.md:20:34: warning: link to 'http://user:secret@Server:Port/' left out: its port is not a number" &&
		ok "qa14n: a link whose port is not a number: left out, with a warning" ||
		no "qa14n: a link whose port is not a number: left out, with a warning" "$msgs"
	case $xh in
	*'href="http://user'*) no "qa14n: EPUB: no link to the pattern" "$xh" ;;
	*'<em>http://user:secret@Server:Port/</em>'*'href="http://[::1]:8080/"'*'href="https://example.org:8443/x"'*)
		ok "qa14n: EPUB: the pattern's text kept, the addresses linked" ;;
	*) no "qa14n: EPUB: the pattern's text kept, the addresses linked" "$xh" ;;
	esac
	# === sections of one name =============================================
	# Each <section> was named by its heading, so two of one name were
	# landmarks no one could tell apart (Ace: landmark-unique, in
	# semver's README and jsdiff's release notes). The first keeps it.
	x2=$(unzip -p "$T/o/heads.epub" OEBPS/text/essay-02.xhtml | grep -o '<section[^>]*>' | tr '\n' ' ')
	case $x2 in
	*'<section aria-labelledby="essay-02-ranges"> <section aria-labelledby="essay-02-functions"> <section> '*)
		ok "qa14n: EPUB: a section whose heading's words an earlier one has is not named again" ;;
	*) no "qa14n: EPUB: a section whose heading's words an earlier one has is not named again" "$x2" ;;
	esac
	epubcheck_ok qa14n "$T/o/heads.epub"
fi

# === French: a narrow no-break space before the colon octavo writes ============
# The copyright page, the contents, the PDF's title and the EPUB's nav
# join a title and its subtitle, a part's label and its title, with a
# colon: 'Le livre: sous-titre', 'Partie I: Systèmes' in a French book,
# where the text's own colons get the Imprimerie nationale's space.
F=$T/fr
mkdir -p "$F"
cat >"$F/book.yaml" <<'YAML'
title: Le gestionnaire
subtitle: Pages de manuel mises en livre
language: fr
slug: paquets
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-0000001a0e04
parts:
  - file: p1.md
    kind: part
  - un.md
YAML
printf -- '---\ntitle: Systèmes\n---\n' >"$F/p1.md"
printf -- '---\ntitle: Préférences\n---\n\nLe texte : une phrase.\n' >"$F/un.md"
if expect 0 "qa14n: the French book builds" "$OCTAVO" build "$F" -o "$T/fo"; then
	nb=$(printf '\342\200\257')
	txt=$(pdftotext "$T/fo/paquets.pdf" - 2>/dev/null | tr '\n' ' ')
	for s in 'Le gestionnaire : Pages de manuel' 'Partie I : Systèmes'; do
		holds "qa14n: PDF: '$s'" "$s" "$txt"
	done
	x=$(unzip -p "$T/fo/paquets.epub" OEBPS/text/copyright.xhtml OEBPS/nav.xhtml OEBPS/text/cover.xhtml 2>/dev/null)
	for s in "Le gestionnaire$nb: Pages de manuel" "Partie I$nb: Systèmes"; do
		holds "qa14n: EPUB: '$s' (a narrow no-break space)" "$s" "$x"
	done
	pdfinfo -enc UTF-8 "$T/fo/paquets.pdf" | grep -q "^Title: *Le gestionnaire$nb: Pages" &&
		ok "qa14n: PDF: the document's title in French" ||
		no "qa14n: PDF: the document's title in French" "$(pdfinfo -enc UTF-8 "$T/fo/paquets.pdf" | grep Title)"
fi

# === bookmarks and document information in any language ========================
# Were PDFDocEncoding only: a Czech essay's bookmark read 'Ob?anská
# spole?nost a stát' (tests/books/hyph17/cs). Now UTF-16 where that
# encoding lacks a character, and the same bytes where it has them all.
C=$T/cs
mkdir -p "$C"
printf 'title: "Spolupráce a společnost"\nlanguage: cs\nslug: cs\nidentifiers:\n  uuid: urn:uuid:11111111-2222-3333-4444-0000001a0e05\nparts:\n  - a.md\n' >"$C/book.yaml"
printf -- '---\ntitle: "Občanská společnost a stát"\n---\n\nText eseje.\n\n## Ελληνικά a 中文\n\nDalší text.\n' >"$C/a.md"
if expect 0 "qa14n: the Czech book builds" "$OCTAVO" build "$C" -o "$T/co" -q; then
	j=$(qpdf --json --json-key=outlines "$T/co/cs.pdf" 2>/dev/null | grep '"title"')
	for s in 'Občanská společnost a stát' 'Ελληνικά a 中文' 'Spolupráce a společnost'; do
		holds "qa14n: PDF: the bookmark '$s'" "\"$s\"" "$j"
	done
	pdfinfo -enc UTF-8 "$T/co/cs.pdf" | grep -q '^Title: *Spolupráce a společnost$' &&
		ok "qa14n: PDF: the document's title in Czech" ||
		no "qa14n: PDF: the document's title in Czech" "$(pdfinfo -enc UTF-8 "$T/co/cs.pdf" | grep Title)"
	qpdf --check "$T/co/cs.pdf" >/dev/null 2>&1 && ok "qa14n: PDF: qpdf --check" || no "qa14n: PDF: qpdf --check"
fi
