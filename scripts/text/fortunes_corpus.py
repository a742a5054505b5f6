#!/usr/bin/env python3
"""Writes real English texts, one per line, from the Debian `fortunes` package.

Usage: fortunes_corpus.py OUT.txt [--count N] [--min-words W]

The texts are fortune-cookie entries (quotations, jokes, definitions) from
/usr/share/games/fortunes (apt-get install -y fortunes): English text that
Tessera's authors did not write. Entries are joined onto one line (newlines and
tabs become spaces), de-duplicated, and taken in a fixed order (sorted files,
file order) so the output is the same on every machine with the same package.
"""
import argparse
import os
import sys

FORTUNES = "/usr/share/games/fortunes"


def entries():
    if not os.path.isdir(FORTUNES):
        sys.exit(f"{FORTUNES} not found: apt-get install -y fortunes")
    for name in sorted(os.listdir(FORTUNES)):
        path = os.path.join(FORTUNES, name)
        if "." in name or not os.path.isfile(path) or os.path.islink(path):
            continue
        if name in ("art", "ascii-art"):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for entry in text.split("\n%\n"):
            line = " ".join(entry.replace("\t", " ").split())
            if line:
                yield line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--min-words", type=int, default=4)
    args = parser.parse_args()
    seen, texts = set(), []
    for line in entries():
        if len(line.split()) < args.min_words or line in seen:
            continue
        seen.add(line)
        texts.append(line)
        if len(texts) == args.count:
            break
    if len(texts) < args.count:
        sys.exit(f"only {len(texts)} texts found, {args.count} wanted")
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(t + "\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
