#!/usr/bin/env python3
"""tests/filegraph.py OBJDIR FOLDER... - which source file of a folder calls
into which (read from the object files' symbol tables with nm), and any
circle among them. Prints one line per file ("a.c -> b.c(sym,...)"), then
"circles: none" or each circle; exits 1 when a folder has a circle."""
import collections
import glob
import os
import subprocess
import sys


def graph(objdir, folder):
    defs, uses = {}, {}
    for o in sorted(glob.glob(os.path.join(objdir, folder, '*.o'))):
        name = os.path.basename(o)[:-2] + '.c'
        uses[name] = set()
        for line in subprocess.run(['nm', o], capture_output=True, text=True,
                                   check=True).stdout.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in 'TDBR':
                defs[p[2]] = name
            elif len(p) == 2 and p[0] == 'U':
                uses[name].add(p[1])
    g = collections.defaultdict(dict)
    for name, syms in uses.items():
        for s in syms:
            if s in defs and defs[s] != name:
                g[name].setdefault(defs[s], []).append(s)
    return uses.keys(), g


def circles(nodes, g):
    """Tarjan's strongly connected components of more than one file."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main():
    objdir, bad = sys.argv[1], False
    for folder in sys.argv[2:]:
        nodes, g = graph(objdir, folder)
        print(f'{folder}/')
        for a in sorted(g):
            print('  %s -> %s' % (a, ', '.join(
                '%s(%s)' % (b, ','.join(sorted(v))) for b, v in sorted(g[a].items()))))
        c = circles(nodes, g)
        print('  circles: ' + ('; '.join('{' + ', '.join(x) + '}' for x in c) if c else 'none'))
        bad |= bool(c)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
