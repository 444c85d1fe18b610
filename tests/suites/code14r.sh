#!/bin/sh
# tests/suites/code14r.sh - inline code broken inside a name (issue 14
# item 5): a break between the words of a name in camel case or between
# two letters shows no mark, so "v8::Function" / "Template::New()" reads
# as two names. 'octavo report' counts such lines ("inline code broken
# inside a name"); the line breaker takes one only as a last resort (as
# dear as a letter break), and a balanced display line (a heading) not
# while it can break elsewhere. Each check fails on the octavo before.
. "$ROOT/tests/lib.sh"

B=$T/names
mkdir -p "$B"
cat >"$B/book.yaml" <<YAML
title: Names in Code
language: en-US
slug: names
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-0000001a0141
parts:
  - a.md
YAML
# A list item from the Node.js docs (addons.md), where the octavo before
# broke "v8::Function" / "Template::New()"; a heading from them
# (perf_hooks.md) it broke "requested" / "Url".
cat >"$B/a.md" <<'MD'
---
title: "Names in code"
---

* Store the instance of the class in a `v8::External`, and
* Pass the `v8::External` to all methods exposed to JavaScript by passing it
  to `v8::FunctionTemplate::New()` or `v8::Function::New()` which creates the
  native-backed JavaScript functions. The third parameter of
  `v8::FunctionTemplate::New()` or `v8::Function::New()`  accepts the
  `v8::External` and makes it available in the native callback using the
  `v8::FunctionCallbackInfo::Data()` method.

### `performance.markResourceTiming(timingInfo, requestedUrl, initiatorType, global, cacheMode)`

Text under the heading.
MD

if expect 0 "code14r: report" "$OCTAVO" report "$B"; then
	want "code14r: report counts lines broken inside a name, none here" \
		"$(fig 'inline code broken inside a name' 1)" -eq 0
fi
if expect 0 "code14r: report --lines" "$OCTAVO" report "$B" --lines; then
	lines=$(printf '%s\n' "$out" | cut -f4-)
	case $lines in
	*"v8::Function
Template"*) no "code14r: 'v8::FunctionTemplate::New()' not broken inside its name" "$lines" ;;
	*) ok "code14r: 'v8::FunctionTemplate::New()' not broken inside its name" ;;
	esac
	case $lines in
	*"requested
Url"*) no "code14r: the heading's 'requestedUrl' not broken inside its name" "$lines" ;;
	*"requestedUrl"*) ok "code14r: the heading's 'requestedUrl' not broken inside its name" ;;
	*) no "code14r: the heading's 'requestedUrl' not broken inside its name" "$lines" ;;
	esac
fi

# Names too long for the lines to go without breaks inside them (a
# justified paragraph of names of 30 letters and more): broken inside
# them where they must, and counted and marked in the report's lines.
cat >"$B/a.md" <<'MD'
---
title: "Names in code"
---

Call `getEntriesByNameAndTypeOfTheEntryGivenHere` then `clearResourceTimingsBufferFullOfEntries` then `setResourceTimingBufferSizeToTheLimitGiven` then `markResourceTimingWithTheInfoGivenInIt` then `observeEntriesOfTheTypeThatIsGivenHere` and `measureUserAgentSpecificMemoryOfThePage`.
MD
if expect 0 "code14r: report --lines (long names)" "$OCTAVO" report "$B" --lines; then
	n=$(printf '%s\n' "$out" | grep -c ' in-name	')
	want "code14r: long names broken inside them where they must, marked in-name" "$n" -ge 1
fi
if expect 0 "code14r: report (long names)" "$OCTAVO" report "$B"; then
	want "code14r: ... and counted" "$(fig 'inline code broken inside a name' 1)" -eq "$n"
fi
# ... and outlined by octavo proof, as the report's other problem lines.
if command -v pdftoppm >/dev/null 2>&1; then
	expect 0 "code14r: proof (long names)" "$OCTAVO" proof "$B" -o "$T/proof" &&
		marked=$(printf '%s\n' "$out" | grep -oE '[0-9]+ problem lines?' | grep -oE '^[0-9]+') &&
		want "code14r: proof outlines each line broken inside a name (some loose too)" \
			"$marked" -ge "$n"
else
	skip "code14r: proof outlines (no pdftoppm)"
fi

# === the title page's title (issue 14 item 6) ===================================
# On a narrow page (90 x 130 mm) a long title steps down in size to three
# lines, and a word wider than the measure steps it down rather than being
# broken. The octavo before set both at 1.5 times the title size: five
# lines; 'Counter-' / 'revolu-' / 'tionaries:'.
B=$T/narrow
# title_page TITLE: the title page's lines (p. iii, -layout) of a narrow
# book of that title, into $tp; 1 when it does not build.
title_page() {
	rm -rf "$B" && mkdir -p "$B"
	cat >"$B/book.yaml" <<YAML
title: "$1"
language: en-GB
slug: narrow
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-0000001a0142
parts:
  - one.md
YAML
	printf -- '---\ntitle: "One"\n---\n\nText.\n' >"$B/one.md"
	style 's/width: 138mm/width: 90mm/; s/height: 216mm/height: 130mm/'
	expect 0 "code14r: the narrow book '$1' builds" "$OCTAVO" build "$B" -o "$T/n" -q || return 1
	# its lines up to the first blank line (the byline, the publisher)
	tp=$(pdftotext -f 3 -l 3 -layout "$T/n/narrow.pdf" - | sed 's/^ *//; s/ *$//' |
		tr -d "\f" | sed "/./,\$!d" | sed "/^\$/,\$d")
}
if title_page "Municipal Government and Its Many Discontents"; then
	n=$(printf '%s\n' "$tp" | grep -c .)
	want "code14r: a long title in three lines or fewer on a narrow page" "$n" -le 3
fi
if title_page "Counterrevolutionaries: Municipal Government in Lancashire"; then
	case $tp in
	*-) no "code14r: a word wider than the measure not broken on the title page" "$tp" ;;
	*Counterrevolutionaries:*) ok "code14r: a word wider than the measure not broken on the title page" ;;
	*) no "code14r: a word wider than the measure not broken on the title page" "$tp" ;;
	esac
fi
