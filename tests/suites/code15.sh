#!/bin/sh
# tests/suites/code15.sh - a name from code broken inside (issue 14 item
# 5): between the words of a name in camel case or two of its letters,
# the line shows the continuation mark wrapped code shows, and 'octavo
# check' warns at the break's file:line:col (one finding a name, one for
# a file past three); a union of types breaks after a bar, at its next
# type, before it breaks inside a type's name ("...|TypedArray|Data" /
# "View}" from the Node.js docs' crypto.md). Each check but 'long names
# broken inside' (the case the rest need) fails on 21a1ea4.
. "$ROOT/tests/lib.sh"

B=$T/names
mkdir -p "$B"
cat >"$B/book.yaml" <<YAML
title: Names Broken Inside
language: en-US
slug: names15
identifiers:
  uuid: urn:uuid:11111111-2222-3333-4444-000000150115
parts:
  - a.md
YAML
# Types as the Node.js docs write them, in prose: at the base, both
# items broke inside the type after the last bar ('Data' / 'View',
# 'Key' / 'Object').
cat >"$B/a.md" <<'MD'
---
title: "Types"
---

* `privateKey` {string|ArrayBuffer|Buffer|TypedArray|DataView}
* `encoding` {string} The encoding of the `privateKey` string.
* `key` {string|ArrayBuffer|Buffer|TypedArray|DataView|KeyObject|CryptoKey}
MD
if expect 0 "code15: report --lines (types)" "$OCTAVO" report "$B" --lines; then
	lines=$(printf '%s\n' "$out" | cut -f4-)
	n=$(printf '%s\n' "$out" | grep -c ' in-name	' || true)
	want "code15: a union of types breaks at a bar, no type broken inside" "$n" -eq 0
	contains "code15: ... 'DataView}' whole on its line" '	DataView} '
	contains "code15: ... 'KeyObject|CryptoKey}' whole on its line" '	KeyObject|CryptoKey} '
fi

# Names too long for the lines to go without breaks inside them: each
# break drawn with the mark and told at its place.
cat >"$B/a.md" <<'MD'
---
title: "Names in code"
---

Call `getEntriesByNameAndTypeOfTheEntryGivenHere` then `clearResourceTimingsBufferFullOfEntries` then `setResourceTimingBufferSizeToTheLimitGiven` then `markResourceTimingWithTheInfoGivenInIt` then `observeEntriesOfTheTypeThatIsGivenHere` and `measureUserAgentSpecificMemoryOfThePage`.
MD
if expect 0 "code15: report --lines (long names)" "$OCTAVO" report "$B" --lines; then
	n=$(printf '%s\n' "$out" | grep -c ' in-name	' || true)
	want "code15: long names broken inside, marked in-name" "$n" -ge 2
fi
if expect 0 "code15: build (long names)" "$OCTAVO" build "$B" -o "$T/o"; then
	# the mark (↪ in Charis SIL) at each break, as many as the report's
	m=$(pdftotext "$T/o/names15.pdf" - | grep -c '↪$' || true)
	want "code15: a continuation mark ends each line broken inside a name" "$m" -eq "$n"
fi
if expect 0 "code15: check (long names)" "$OCTAVO" check "$B"; then
	w=$(printf '%s\n' "$out" | grep -cE 'warning: (names?|[0-9]+ names) from code' || true)
	want "code15: check warns once a name broken inside (> 3: one finding)" "$w" -eq 1
	contains "code15: ... at the first break's file:line:col" \
		"a.md:5:107: warning: $n names from code in this file are broken inside"
fi
# three or fewer in a file: each at its place
cat >"$B/a.md" <<'MD'
---
title: "Names in code"
---

Call `getEntriesByNameAndTypeOfTheEntryGivenHereNowPlease` then `clearResourceTimingsBufferFullOfEntriesHereNowPlease` at once.
MD
if expect 0 "code15: check (two names)" "$OCTAVO" check "$B"; then
	w=$(printf '%s\n' "$out" | grep -c 'warning: name from code broken inside after' || true)
	want "code15: check warns at each of a few names broken inside" "$w" -ge 1
	first=$(printf '%s\n' "$out" | grep 'warning: name from code broken inside after' | head -1)
	col=$(printf '%s\n' "$first" | cut -d: -f3)
	piece=$(printf '%s\n' "$first" | sed "s/.*inside after '\([^']*\)'.*/\1/; s/^[.][.][.]//")
	at=$(sed -n 5p "$B/a.md" | cut -c1-$((col - 1)))
	case $piece$at in
	'' | "$at") no "code15: ... its column just past the name's first piece" "$first" ;;
	*"$piece") ok "code15: ... its column just past '$piece', the name's first piece" ;;
	*) no "code15: ... its column just past the name's first piece" "$first / $at" ;;
	esac
fi
