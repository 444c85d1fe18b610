#!/bin/sh
# tests/suites/alerts14.sh - GitHub's alerts (src/book/alert.c): a block
# quotation whose first line is only [!NOTE], [!TIP], [!IMPORTANT],
# [!WARNING] or [!CAUTION] (any case) is a callout. Both editions set it
# as an aside of its kind's class, its first paragraph opening with the
# kind's label in bold on a line of its own, in the book's language or
# as book.yaml's 'strings:' gives it; the marker itself is not printed.
# Text after the marker on its line keeps it a quotation, as on GitHub.
# Before: the marker printed as written ("[!TIP] If you are building..."),
# in a plain quotation (a README of Node.js's build docs).
. "$ROOT/tests/lib.sh"
B=$T/alerts14
mkbook "$B"
cat >"$B/one.md" <<'MD'
---
title: "Alerts"
---

Text before the alerts.

> [!TIP]
> If you are building from a Windows machine, clone with the `-c core.symlinks=true` flag.

> [!warning]
> **Careful.** This removes the folder.
>
> A second paragraph of the warning.

> [!NOTE] Not an alert: text on the marker's line.

> [!CAUTION]
>
> - a list under the label
> - and another item

> An ordinary quotation stays one.
MD

if expect 0 "alerts14: the book builds" "$OCTAVO" build "$B" -o "$T/a-out" -q; then
	txt=$(pdftotext "$T/a-out/"*.pdf - 2>/dev/null)
	xh=$(unzip -p "$T/a-out/"*.epub OEBPS/text/essay-01.xhtml 2>/dev/null)
	for l in Tip Warning Caution; do
		printf '%s\n' "$txt" | grep -qx "$l" && ok "alerts14: PDF: the label '$l' on a line of its own" ||
			no "alerts14: PDF: no label '$l'" "$txt"
	done
	printf '%s\n' "$txt" | grep -q '\[!TIP\]\|\[!warning\]\|\[!CAUTION\]' &&
		no "alerts14: PDF: a marker printed" "$txt" || ok "alerts14: PDF: no marker printed"
	printf '%s\n' "$txt" | grep -q 'If you are building from a Windows machine' &&
		printf '%s\n' "$txt" | grep -q 'A second paragraph of the warning' &&
		printf '%s\n' "$txt" | grep -q 'and another item' &&
		ok "alerts14: PDF: the alerts' text kept" || no "alerts14: PDF: text lost" "$txt"
	printf '%s\n' "$txt" | grep -q '\[!NOTE\] Not an alert' &&
		ok "alerts14: PDF: text on the marker's line keeps a quotation" ||
		no "alerts14: PDF: '[!NOTE] Not an alert' lost" "$txt"
	for s in '<div class="tip aside">' '<div class="warning aside">' '<div class="caution aside">' \
		'<p><strong>Tip<br/></strong>If you are building' '<p><strong>Caution</strong></p>' \
		'<blockquote>' '[!NOTE] Not an alert'; do
		case $xh in
		*"$s"*) ok "alerts14: EPUB: $s" ;;
		*) no "alerts14: EPUB: no $s" "$xh" ;;
		esac
	done
	case $xh in
	*'[!TIP]'* | *'[!warning]'*) no "alerts14: EPUB: a marker printed" "$xh" ;;
	*) ok "alerts14: EPUB: no marker printed" ;;
	esac
	epubcheck_ok alerts14 "$T/a-out/"*.epub
fi

# The label in the book's language, and as 'strings:' gives it.
sed -i 's/^language: en-GB$/language: fr/' "$B/book.yaml"
expect 0 "alerts14: in French" "$OCTAVO" build "$B" -o "$T/a-fr" -q &&
	{ pdftotext "$T/a-fr/"*.pdf - 2>/dev/null | grep -qx 'Astuce' &&
		ok "alerts14: French: 'Astuce'" || no "alerts14: French: no 'Astuce'" ""; }
printf 'strings:\n  tip: "Hint"\n' >>"$B/book.yaml"
expect 0 "alerts14: strings: tip" "$OCTAVO" build "$B" -o "$T/a-str" -q &&
	{ pdftotext "$T/a-str/"*.pdf - 2>/dev/null | grep -qx 'Hint' &&
		ok "alerts14: strings: tip: 'Hint'" || no "alerts14: strings: no 'Hint'" ""; }
