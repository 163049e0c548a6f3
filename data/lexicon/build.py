#!/usr/bin/env python3
"""Builds words.txt and names.txt from SCOWL's American English list (Debian
package `wamerican`, /usr/share/dict/american-english) plus names-extra.txt.

Entries are folded as kioku folds answers (lower case, Latin accents off),
possessives and entries shorter than 4 letters are left out (kioku never
forgives a typo in a word that short anyway), and each list is sorted by
code point so the grader can binary-search it in place.

    python3 data/lexicon/build.py [/usr/share/dict/american-english]
"""
import os
import sys
import unicodedata

here = os.path.dirname(os.path.abspath(__file__))
source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/american-english"


def fold(word):
    nfd = unicodedata.normalize("NFD", word.strip())
    return "".join(c for c in nfd if not unicodedata.combining(c)).lower()


words, names = set(), set()
with open(source, encoding="utf-8") as f:
    for line in f:
        entry = line.strip()
        if not entry or "'" in entry:
            continue
        folded = fold(entry)
        if len(folded) < 4 or not folded.isalpha():
            continue
        (names if entry[0].isupper() else words).add(folded)
with open(os.path.join(here, "names-extra.txt"), encoding="utf-8") as f:
    for line in f:
        entry = line.split("#")[0].strip()
        if entry:
            names.add(fold(entry))
# A word that is also a name (China, china) is a word: the stricter reading.
names -= words
for name, entries in (("words.txt", words), ("names.txt", names)):
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in sorted(entries)))
    print(name, len(entries))
