#!/usr/bin/env python3
"""tests/longest.py [-n N] [--max L] [DIR] - the longest C functions under
DIR (default src/): "lines  name  file:line", longest first, N of them
(default 15). A function's length is its lines from the first line of its
signature to its closing brace, both counted, as an editor shows them.

With --max L, exits 1 when a function is longer than L lines (issue 13: no
function over 150). Reads the house format (.clang-format, Linux braces):
a function body opens with '{' alone in column 0 and closes with '}' in
column 0; a signature's continuation lines are indented.

Before and after a change:  git archive REV src | tar -x -C /tmp/old &&
python3 tests/longest.py /tmp/old/src"""
import os
import re
import sys


def functions(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        if lines[i] == '{' and i > 0:
            start = i - 1
            while start > 0 and lines[start][:1] in ('\t', ' ') and lines[start].strip():
                start -= 1
            sig = ' '.join(l.strip() for l in lines[start:i])
            m = re.search(r'([A-Za-z_]\w*)\s*\(', sig)
            end = i + 1
            while end < len(lines) and not lines[end].startswith('}'):
                end += 1
            if m:
                yield m.group(1), start + 1, end - start + 1
            i = end
        i += 1


def main(argv):
    n, limit, root = 15, None, 'src'
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == '-n':
            n = int(args.pop(0))
        elif a == '--max':
            limit = int(args.pop(0))
        else:
            root = a
    found = []
    for d, _, files in os.walk(root):
        for fn in sorted(files):
            if fn.endswith('.c'):
                p = os.path.join(d, fn)
                for name, line, length in functions(p):
                    found.append((length, name, os.path.relpath(p, root), line))
    found.sort(key=lambda t: (-t[0], t[2], t[3]))
    for length, name, p, line in found[:n]:
        print('%5d  %-28s %s:%d' % (length, name, p, line))
    over = [f for f in found if limit is not None and f[0] > limit]
    if limit is not None:
        print('%d functions in %s; %d over %d lines' % (len(found), root, len(over), limit))
    return 1 if over else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
