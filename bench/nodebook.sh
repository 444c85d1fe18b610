#!/bin/sh
# bench/nodebook.sh API-DIR BOOK-DIR - makes a book of the Node.js API docs
# (Debian's nodejs ships them in /usr/share/doc/nodejs/api): every part
# keeps its file name, so that links such as fs.md#... resolve; index.md,
# a bare list of links with no title, is left out. Used by bench/run.sh
# (issue 18's "under a second") and tests/suites/node18.sh.
set -eu
api=$1 book=$2
rm -rf "$book"
mkdir -p "$book"
cp "$api"/*.md "$book"/
{
	printf 'title: Node.js API\nlanguage: en-US\nslug: node-api\nrevised: 2026-12-01\n'
	printf 'identifiers:\n  uuid: urn:uuid:11111111-2222-3333-4444-000000180019\nparts:\n'
	for f in $(cd "$book" && ls -- *.md | grep -v '^index.md$' | LC_ALL=C sort); do
		printf '  - %s\n' "$f"
	done
} >"$book/book.yaml"
