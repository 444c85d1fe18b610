#!/usr/bin/env python3
"""scale.py - make a bigger (or smaller) book out of the Civil Dialogue
manuscript, for the benchmark.

    scale.py SRC DEST N        N copies of every part: 22 parts -> 22*N parts
    scale.py SRC DEST --only=F[,G...]  a book of only those parts, as they are
    scale.py SRC DEST --essay=MB       one essay of MB megabytes of prose
    scale.py SRC DEST --paragraph=MB   one essay that is one paragraph of MB megabytes

--essay and --paragraph (the memory workloads) take only the essays' plain
paragraphs and their titles: copy after copy, each varied as below, under
a heading per essay, until the size is reached; --paragraph joins the
paragraphs into one.

Copy k (k >= 2) of a part is varied so that the line breaker and the page
composer meet new problems, not cached ones: its title gains a numeral,
the plain paragraphs of each section are shuffled, and in about half the
paragraphs the sentences are rotated, which moves every line break. The
vocabulary stays the real one, so the shaper's word cache hits more often
than it would on 1,100 different essays (see bench/README.md).

DEST is made afresh (it must not exist or must be a folder this script made
before: it holds a marker file). Images are copied. Deterministic: the same
arguments give the same files.
"""
import os
import random
import re
import shutil
import sys

MARK = ".octavo-bench-generated"


def read_parts(src):
    """The parts listed in SRC/book.yaml, as (file, kind) pairs, and the
    lines of book.yaml before 'parts:'. A small reader for this one file's
    shape, not a YAML parser."""
    head, parts, in_parts = [], [], False
    with open(os.path.join(src, "book.yaml"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("parts:"):
                in_parts = True
                continue
            if not in_parts:
                head.append(line)
                continue
            m = re.match(r"\s*-\s*file:\s*(\S+)", line)
            if m:
                parts.append([m.group(1), "essay"])
                continue
            m = re.match(r"\s*kind:\s*(\S+)", line)
            if m and parts:
                parts[-1][1] = m.group(1)
                continue
            m = re.match(r"\s*-\s*(\S+\.md)", line)
            if m:
                parts.append([m.group(1), "essay"])
    return head, parts


def split_front(text):
    """(front matter lines, body) of a part."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        return text[4:end].split("\n"), text[end + 5:]
    return [], text


PLAIN = re.compile(r"^(#|>|[-*+] |\d+\. |\||!\[|\[\^|    |\t|```)")


def vary_body(body, rng):
    """Shuffle each section's plain paragraphs; rotate sentences in some."""
    blocks = re.split(r"\n{2,}", body.strip("\n"))
    out, run = [], []

    def flush():
        rng.shuffle(run)
        for b in run:
            if rng.random() < 0.5:
                s = re.split(r"(?<=[.?!])\s+(?=[A-Z\u201c\"])", b)
                if len(s) > 2:
                    k = rng.randrange(1, len(s))
                    b = " ".join(s[k:] + s[:k])
            out.append(b)
        run.clear()

    for b in blocks:
        if PLAIN.match(b) or "[^" in b:
            # Headings, lists, quotes, tables, notes and paragraphs carrying
            # a note reference stay where they are.
            flush()
            out.append(b)
        else:
            run.append(b)
    flush()
    return "\n\n".join(out) + "\n"


ROMAN = ["", "", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def numeral(k):
    return ROMAN[k] if k < len(ROMAN) else str(k)


def retitle(front, k):
    out = []
    for line in front:
        m = re.match(r'^title:\s*"?(.*?)"?\s*$', line)
        if m and k > 1:
            t = m.group(1).replace('"', "'")
            line = 'title: "%s, %s"' % (t, numeral(k))
        out.append(line)
    return out


def prepare_dest(dest):
    if os.path.exists(dest):
        if not os.path.exists(os.path.join(dest, MARK)):
            sys.exit("scale.py: error: '%s' exists and was not made by scale.py" % dest)
        shutil.rmtree(dest)
    os.makedirs(dest)
    open(os.path.join(dest, MARK), "w").close()


def big_essay(src, dest, head, parts, size, one_paragraph):
    """One essay, DEST/big.md, of at least size bytes of the parts' plain
    prose (see the module's comment)."""
    prepare_dest(dest)
    chunks, total, k = [], 0, 0
    while total < size:
        k += 1
        rng = random.Random(1000 * k + 7)
        for name, _ in parts:
            with open(os.path.join(src, name), encoding="utf-8") as f:
                front, body = split_front(f.read())
            if k > 1:
                body = vary_body(body, rng)
            paras = [b.replace("\n", " ") for b in re.split(r"\n{2,}", body.strip("\n"))
                     if not PLAIN.match(b) and "[^" not in b]
            if not one_paragraph:
                title = next((m.group(1) for m in (re.match(r'^title:\s*"?(.*?)"?\s*$', l)
                                                   for l in front) if m), name)
                paras.insert(0, "## %s%s" % (title.replace("#", ""), ", " + numeral(k) if k > 1 else ""))
            for b in paras:
                chunks.append(b)
                total += len(b.encode("utf-8")) + 2
            if total >= size:
                break
    with open(os.path.join(dest, "big.md"), "w", encoding="utf-8") as f:
        f.write('---\ntitle: "Memory"\nauthor: "octavo bench"\n---\n\n')
        f.write((" " if one_paragraph else "\n\n").join(chunks) + "\n")
    with open(os.path.join(dest, "book.yaml"), "w", encoding="utf-8") as f:
        for line in head:
            if line.startswith("slug:"):
                line = "slug: bench\n"
            f.write(line)
        f.write("parts:\n  - big.md\n")
    print("%s: one essay of %d bytes" % (dest, os.path.getsize(os.path.join(dest, "big.md"))))


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: scale.py SRC DEST N | scale.py SRC DEST --only=PART.md[,PART.md...]"
                 " | scale.py SRC DEST --essay=MB | scale.py SRC DEST --paragraph=MB")
    src, dest = argv[1], argv[2]
    head, parts = read_parts(src)
    for opt in ("--essay=", "--paragraph="):
        if argv[3].startswith(opt):
            mb = float(argv[3][len(opt):])
            return big_essay(src, dest, head, [p for p in parts if p[1] == "essay"],
                             int(mb * 1000000), opt == "--paragraph=")
    only = None
    if argv[3].startswith("--only="):
        only = argv[3][len("--only="):].split(",")
        parts = [p for p in parts if p[0] in only]
        if len(parts) != len(only):
            sys.exit("scale.py: error: not every part of '%s' is in %s/book.yaml" % (argv[3], src))
        copies = 1
    else:
        copies = int(argv[3])
    prepare_dest(dest)
    if os.path.isdir(os.path.join(src, "images")):
        shutil.copytree(os.path.join(src, "images"), os.path.join(dest, "images"))
    listed = []
    for k in range(1, copies + 1):
        rng = random.Random(1000 * k + 7)
        for name, kind in parts:
            with open(os.path.join(src, name), encoding="utf-8") as f:
                front, body = split_front(f.read())
            if k > 1:
                front = retitle(front, k)
                body = vary_body(body, rng)
                kind = "essay"
            out = "%03d-%s" % (k, name) if copies > 1 else name
            with open(os.path.join(dest, out), "w", encoding="utf-8") as f:
                if front:
                    f.write("---\n" + "\n".join(front) + "\n---\n")
                f.write(body)
            listed.append((out, kind))
    with open(os.path.join(dest, "book.yaml"), "w", encoding="utf-8") as f:
        for line in head:
            if line.startswith("slug:"):
                line = "slug: bench\n"
            f.write(line)
        f.write("parts:\n")
        for name, kind in listed:
            if kind == "essay":
                f.write("  - %s\n" % name)
            else:
                f.write("  - file: %s\n    kind: %s\n" % (name, kind))
    print("%s: %d parts" % (dest, len(listed)))


if __name__ == "__main__":
    main(sys.argv)
