#!/usr/bin/env python3
"""Times old and new kioku binaries alternately on the benchmark collection
(generate it first with `cargo bench --bench large_collection`):

    scripts/bench-compare.py target/bench-data OLD_KIOKU NEW_KIOKU ROUNDS [CASES...]

Cases: warm (launch to first card, caches warm), edit (after editing one deck
of 100), settings (after a settings change), parameters (after new FSRS
parameters pasted into config.toml), setparams (after new parameters given
to `kioku optimize --set`, run untimed), optimize (after `kioku optimize`, run
untimed, with the day starting at another hour each time, so that it fits
new parameters), nocache (KIOKU_CACHE_DIR=off), stats, due. Prints the median and range of each, and the peak memory at the
first card. Each binary gets its own cache folder. Edits decks and writes
config.toml in the data folder (removed at the end)."""
import os, subprocess, sys, time, statistics

data, old, new, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cases = sys.argv[5:] or ["warm", "edit", "settings", "parameters", "setparams", "optimize", "nocache", "stats", "due"]
decks = os.path.join(data, "decks")
log = os.path.join(data, "progress.log")
config = os.path.join(data, "config.toml")
bins = {"old": old, "new": new}
counter = [0]

def env(name, cache):
    e = dict(os.environ)
    e["KIOKU_PROGRESS"] = log
    e["KIOKU_CACHE_DIR"] = cache if cache == "off" else os.path.join(data, "cache-" + name)
    e.pop("NO_COLOR", None)
    return e

def first_card(name, cache="on"):
    t = time.perf_counter()
    p = subprocess.Popen([bins[name], "study", "--plain", decks], env=env(name, cache),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = b""
    peak = 0.0
    while True:
        chunk = os.read(p.stdout.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
        if b" / " in seen:
            el = time.perf_counter() - t
            try:
                st = open(f"/proc/{p.pid}/status").read()
                peak = next(int(l.split()[1]) for l in st.splitlines() if l.startswith("VmHWM")) / 1024
            except Exception:
                pass
            break
    else:
        el = None
    p.stdin.close()
    p.stdout.read()
    p.wait()
    if el is None:
        raise SystemExit(f"no card from {name}: {seen[:300]!r}")
    return el, peak

def whole(name, args):
    t = time.perf_counter()
    r = subprocess.run([bins[name]] + args + [decks], env=env(name, "on"),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    el = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{name} {args}: {r.stderr[:300]!r}")
    return el, 0.0

def edit_one():
    counter[0] += 1
    path = os.path.join(decks, "deck-%03d.toml" % (counter[0] % 100))
    with open(path, "a") as f:
        f.write(f"# edit {counter[0]}\n")

def new_settings():
    counter[0] += 1
    with open(config, "w") as f:
        # A value never used before, so that no cache of it exists.
        f.write(f"desired_retention = {0.8 + (time.time_ns() // 1000 % 100000) / 1e6:.6f}\n")

def fresh_parameters():
    """FSRS parameters never used before: every memory state must be
    computed again."""
    counter[0] += 1
    w = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
         0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]
    w[0] += (time.time_ns() // 1000 % 100000) / 1e7
    return ", ".join(f"{x:.7f}" for x in w)

def new_parameters():
    """Fresh parameters pasted into config.toml by hand."""
    with open(config, "w") as f:
        f.write("parameters = [" + fresh_parameters() + "]\n")

def set_parameters(name):
    """Fresh parameters given to `kioku optimize --set`, untimed (a binary
    without it gets them pasted into config.toml, and says so)."""
    w = fresh_parameters()
    r = subprocess.run([bins[name], "optimize", "--set", w], env=env(name, "on"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode == 2:
        print(f"  ({name} has no optimize --set: pasted instead)", flush=True)
        with open(config, "w") as f:
            f.write("parameters = [" + w + "]\n")
    elif b"Saved" not in r.stdout:
        raise SystemExit(f"{name} optimize --set saved nothing: {r.stderr[-300:]!r}")

def optimized(name):
    """The real `kioku optimize`, untimed, from parameters that fit worse and
    a study day that starts at another hour than the last time (so that the
    fit, and every memory state, differ from the last round's)."""
    new_parameters()
    with open(config, "a") as f:
        f.write(f"day_starts_at = {counter[0] % 5 + 1}\n")
    r = subprocess.run([bins[name], "optimize"], env=env(name, "on"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if b"Saved" not in r.stdout:
        raise SystemExit(f"{name} optimize saved nothing: {r.stdout[-300:]!r} {r.stderr[-300:]!r}")

def run(case, name):
    if case == "warm":
        return first_card(name)
    if case == "edit":
        edit_one()
        return first_card(name)
    if case == "settings":
        new_settings()
        return first_card(name)
    if case == "parameters":
        new_parameters()
        return first_card(name)
    if case == "setparams":
        set_parameters(name)
        return first_card(name)
    if case == "optimize":
        optimized(name)
        return first_card(name)
    if case == "nocache":
        return first_card(name, "off")
    if case == "stats":
        return whole(name, ["stats"])
    if case == "due":
        return whole(name, ["due"])

for case in cases:
    results = {"old": [], "new": []}
    # warm both caches first, with the command measured (stats keeps a
    # cache of its own)
    for name in bins:
        if case in ("warm", "stats", "due"):
            run(case, name)
    for i in range(rounds):
        order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
        for name in order:
            results[name].append(run(case, name))
    for name in ("old", "new"):
        ts = sorted(r[0] * 1000 for r in results[name])
        peaks = [r[1] for r in results[name]]
        print(f"{case:9} {name}: median {statistics.median(ts):7.1f} ms  range {ts[0]:.1f}-{ts[-1]:.1f} ms"
              + (f"  peak {max(peaks):.0f} MB" if max(peaks) > 0 else ""), flush=True)
if os.path.exists(config):
    os.remove(config)
