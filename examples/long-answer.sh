#!/bin/sh
# Times grading a near miss against a long answer through the real binary:
# a deck with one typed card whose answer is SIZE bytes of island names, and
# the answer typed back with one letter changed in the middle.
#   sh examples/long-answer.sh [SIZE] [KIOKU]      (default 1000000, target/release/kioku)
set -eu
size=${1:-1000000}
kioku=${2:-target/release/kioku}
dir=$(mktemp -d)
mkdir -p "$dir/decks"
python3 - "$dir" "$size" <<'PY'
import random, sys
d, size = sys.argv[1], int(sys.argv[2])
random.seed(1)
names = "kunashiri etorofu shikotan habomai yalta treaty shimoda islands sakhalin okhotsk".split()
words, n = [], 0
while n < size:
    w = random.choice(names); words.append(w); n += len(w) + 1
answer = " ".join(words)[:size].rstrip()
mid = len(answer) // 2
while answer[mid] == " ":
    mid += 1
typed = answer[:mid] + ("x" if answer[mid] != "x" else "y") + answer[mid + 1:]
open(f"{d}/decks/long.toml", "w").write(
    '[deck]\nid = "long"\ntitle = "Long"\nsource = "s"\n\n[[card]]\nid = "c"\nq = "Type it"\ntyped = true\na = "%s"\n' % answer)
open(f"{d}/typed.txt", "w").write(typed + "\n\n")
PY
/usr/bin/time -f "$size bytes: %e s, %M KB" env KIOKU_PROGRESS="$dir/progress.log" \
    KIOKU_CACHE_DIR=off "$kioku" study --plain "$dir/decks" < "$dir/typed.txt" > /dev/null
grep -o 'review long/c [a-z]*' "$dir/progress.log"
rm -rf "$dir"
