#!/usr/bin/env bash
# Side-by-side benchmark: binkit and the reference tool on the same input,
# in the same run, alternating, median of RUNS (default 5). Output goes to /dev/null.
# Prints input MB/s, peak RSS, and binkit's throughput ratio to the reference.
#
#   bash benches/compare.sh            # all jobs
#   RUNS=5 bash benches/compare.sh b64 # only jobs whose name contains "b64"
#   BASELINE=/tmp/binkit-old bash benches/compare.sh
#                                      # regression check: an older binkit
#                                      # build in the reference column
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
FILTER=${1:-}
WORK=${BENCH_DIR:-/tmp/binkit-bench}
mkdir -p "$WORK"

[[ -x /usr/bin/time ]] || { echo "needs GNU time for peak RSS: apt-get install time" >&2; exit 2; }
cargo build --release --quiet
BINKIT=$PWD/target/release/binkit

make_input() { # name size-MiB
    local f=$WORK/$1
    [[ -s $f && $(stat -c %s "$f") -eq $(($2 << 20)) ]] || head -c "$(($2 << 20))" /dev/urandom >"$f"
}
make_input random-256M 256
make_input random-64M 64
make_input random-1G 1024
if [[ ! -s $WORK/log-256M ]]; then  # log-like text: syslog lines with varying fields
    python3 - "$WORK/log-256M" <<'GEN'
import random, sys
random.seed(1)
levels = ["INFO"] * 8 + ["WARN", "ERROR"]
paths = ["/api/orders", "/api/users", "/health", "/static/app.js", "/login"]
with open(sys.argv[1], "w") as out:
    size, i = 0, 0
    while size < 256 << 20:
        line = (f"2026-11-27T05:{i // 60 % 60:02}:{i % 60:02}.{random.randrange(1000):03}Z web{random.randrange(4):02} "
                f"app[{1000 + random.randrange(50)}]: {random.choice(levels)} {random.choice(paths)} "
                f"status={random.choice([200, 200, 200, 304, 404, 500])} ms={random.randrange(2000)} "
                f"req={random.getrandbits(64):016x}\n")
        out.write(line)
        size += len(line)
        i += 1
GEN
    truncate -s 256M "$WORK/log-256M"
fi
[[ -s $WORK/log-256M.gz ]] || gzip -6 -c "$WORK/log-256M" >"$WORK/log-256M.gz"
# As the tools write them by default (xz -6, zstd -3 with its checksum).
[[ -s $WORK/log-256M.xz ]] || xz -6 -T2 -c "$WORK/log-256M" >"$WORK/log-256M.xz"
[[ -s $WORK/log-256M.zst ]] || zstd -q -3 -c "$WORK/log-256M" >"$WORK/log-256M.zst"
# Rotated logs, as logrotate leaves them: eight files, each compressed by
# the tool's default (xz -6 on one thread: one block; zstd -3).
if [[ ! -s $WORK/rotated-xz/app.log.8.xz || ! -s $WORK/rotated-zst/app.log.8.zst ]]; then
    rm -rf "$WORK/rotated-xz" "$WORK/rotated-zst" "$WORK/rotated"
    mkdir -p "$WORK/rotated-xz" "$WORK/rotated-zst" "$WORK/rotated"
    (cd "$WORK/rotated" && split -n l/8 -a 1 --numeric-suffixes=1 "$WORK/log-256M" app.log.)
    for f in "$WORK"/rotated/app.log.?; do
        xz -6 -T1 -c "$f" >"$WORK/rotated-xz/${f##*/}.xz" &
        zstd -q -3 -c "$f" >"$WORK/rotated-zst/${f##*/}.zst"
        wait
    done
    rm -rf "$WORK/rotated"
fi
if [[ ! -s $WORK/parts/r.manifest.json ]]; then
    rm -rf "$WORK/parts" && mkdir -p "$WORK/parts"
    "$PWD/target/release/binkit" split "$WORK/random-1G" --size 8MiB --dir "$WORK/parts" --name r -q
fi
mkdir -p "$WORK/split-gnu" "$WORK/split-ours"
[[ -s $WORK/key.bin ]] || head -c 32 /dev/urandom >"$WORK/key.bin"
KEY_HEX=$(xxd -p -c 64 "$WORK/key.bin")
IV=000102030405060708090a0b0c0d0e0f
[[ -s $WORK/random-256M.ossl ]] || openssl enc -aes-256-cbc -K "$KEY_HEX" -iv $IV -nosalt -in "$WORK/random-256M" -out "$WORK/random-256M.ossl"
"$PWD/target/release/binkit" encrypt --key-file "$WORK/key.bin" "$WORK/random-256M" -o "$WORK/random-256M.bke" -f -q
if [[ ! -d $WORK/tree/399 ]]; then  # 24,000 files: the sniff samples in 400 directories
    rm -rf "$WORK/tree"
    for i in $(seq 0 399); do mkdir -p "$WORK/tree/$i" && cp fixtures/sniff/samples/* "$WORK/tree/$i/"; done
fi
[[ -s $WORK/random-256M.b64 ]] || base64 "$WORK/random-256M" >"$WORK/random-256M.b64"
[[ -s $WORK/random-64M.xxd ]] || xxd "$WORK/random-64M" >"$WORK/random-64M.xxd"

# grep's output goes to a file: writing to /dev/null, GNU grep stops at the
# first match, even with -c. A regex with alternation comes from $ALT and
# $BRE_ALT (the job lines use '|' as separator).
export ALT='status=500 ms=1[0-9]{3}|/login status=404'
export BRE_ALT='status=500\|/login status=404'
# job name | input file | reference command | binkit command
JOBS=(
  "b64 encode|random-256M|base64 @|$BINKIT b64 @"
  "b64 decode|random-256M.b64|base64 -d @|$BINKIT b64 -d @"
  "hexdump (xxd format)|random-64M|xxd @|$BINKIT hexdump @"
  "hexdump -C|random-64M|hexdump -C @|$BINKIT hexdump -C @"
  "hexdump colour vs xxd|random-64M|xxd @|$BINKIT hexdump -R always @"
  "hexdump -p|random-64M|xxd -p @|$BINKIT hexdump -p @"
  "hexdump -r|random-64M.xxd|xxd -r @|$BINKIT hexdump -r @"
  "encrypt (key, 2 threads)|random-256M|openssl enc -aes-256-cbc -K $KEY_HEX -iv $IV -nosalt -in @|$BINKIT encrypt --key-file $WORK/key.bin --threads 2 @"
  "decrypt + verify|random-256M.bke|openssl enc -d -aes-256-cbc -K $KEY_HEX -iv $IV -nosalt -in $WORK/random-256M.ossl|$BINKIT decrypt --key-file $WORK/key.bin --threads 2 @"
  "gzip -1 log, 1 thread|log-256M|gzip -1 -c @|$BINKIT gzip -1 -c --threads 1 @"
  "gzip -6 log, 1 thread|log-256M|gzip -6 -c @|$BINKIT gzip -6 -c --threads 1 @"
  "gzip -9 log, 1 thread|log-256M|gzip -9 -c @|$BINKIT gzip -9 -c --threads 1 @"
  "gzip -6 random, 1 thread|random-256M|gzip -6 -c @|$BINKIT gzip -6 -c --threads 1 @"
  "gzip -1 log, 2 threads|log-256M|pigz -p 2 -1 -c @|$BINKIT gzip -1 -c --threads 2 @"
  "gzip -6 log, 2 threads|log-256M|pigz -p 2 -6 -c @|$BINKIT gzip -6 -c --threads 2 @"
  "gzip -9 log, 2 threads|log-256M|pigz -p 2 -9 -c @|$BINKIT gzip -9 -c --threads 2 @"
  "gzip -6 random, 2 threads|random-256M|pigz -p 2 -6 -c @|$BINKIT gzip -6 -c --threads 2 @"
  "gunzip log|log-256M.gz|gzip -d -c @|$BINKIT gzip -d -c @"
  "gunzip log vs pigz|log-256M.gz|pigz -d -c @|$BINKIT gzip -d -c @"
  "sniff 24k files|tree|sh:find @ -type f -exec file --mime-type {} +|$BINKIT sniff -q -r @"
  "grep -c literal|log-256M|sh:grep -c ERROR @ > $WORK/grep.out|sh:$BINKIT grep-log -c ERROR @ > $WORK/grep.out"
  "grep -c literal vs rg|log-256M|sh:rg -c ERROR @ > $WORK/grep.out|sh:$BINKIT grep-log -c ERROR @ > $WORK/grep.out"
  "grep regex alternation|log-256M|sh:grep -E \"\$ALT\" @ > $WORK/grep.out|sh:$BINKIT grep-log -E \"\$ALT\" @ > $WORK/grep.out"
  "grep BRE alternation|log-256M|sh:grep -c \"\$BRE_ALT\" @ > $WORK/grep.out|sh:$BINKIT grep-log -c \"\$BRE_ALT\" @ > $WORK/grep.out"
  "grep -c on .gz vs zgrep|log-256M.gz|sh:zgrep -c ERROR @ > $WORK/grep.out|sh:$BINKIT grep-log -c ERROR @ > $WORK/grep.out"
  "grep -c on .xz vs xzgrep|log-256M.xz|sh:xzgrep -c ERROR @ > $WORK/grep.out|sh:$BINKIT grep-log -c ERROR @ > $WORK/grep.out"
  "grep -c on .zst vs zstdgrep|log-256M.zst|sh:zstdgrep -c ERROR @ > $WORK/grep.out|sh:$BINKIT grep-log -c ERROR @ > $WORK/grep.out"
  "grep -c 8 rotated .xz|rotated-xz|sh:xzgrep -c ERROR @/* > $WORK/grep.out|sh:$BINKIT grep-log -c ERROR @/* > $WORK/grep.out"
  "grep -c 8 rotated .zst|rotated-zst|sh:zstdgrep -c ERROR @/* > $WORK/grep.out|sh:$BINKIT grep-log -c ERROR @/* > $WORK/grep.out"
  "grep --level error|log-256M|sh:grep -c ERROR @ > $WORK/grep.out|sh:$BINKIT grep-log -c --level error @ > $WORK/grep.out"
  "split 8M = split+sha256sum|random-1G|sh:cd $WORK/split-gnu && rm -f x* && split -b 8M @ && sha256sum @ x* >/dev/null|sh:cd $WORK/split-ours && rm -f r.* && $BINKIT split @ --size 8MiB --name r -q -f"
  "split 8M --md5 (+md5sum)|random-1G|sh:cd $WORK/split-gnu && rm -f x* && split -b 8M @ && sha256sum @ x* >/dev/null && md5sum x* >/dev/null|sh:cd $WORK/split-ours && rm -f r.* && $BINKIT split @ --size 8MiB --name r -q -f --md5"
  "join + verify|random-1G|sh:cat $WORK/parts/r.*.part > $WORK/joined && sha256sum $WORK/joined >/dev/null|$BINKIT join $WORK/parts/r.manifest.json -o $WORK/joined -f"
)

BINKIT=$BINKIT BASELINE=${BASELINE:-} python3 - "$RUNS" "$WORK" "$FILTER" "${JOBS[@]}" <<'PY'
import os, shlex, statistics, subprocess, sys, time

runs, work, filt, jobs = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]

RSS_FILE = os.path.join(work, "rss")

def measure(cmd):
    """Wall seconds and peak RSS (KiB) of one run, stdout to /dev/null.

    GNU time reads the RSS: a forked Python child would report the
    interpreter's own pages, which ru_maxrss keeps across exec."""
    os.sync()  # write back what the previous run left dirty, untimed
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        code = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", RSS_FILE] + cmd, stdout=null)
        elapsed = time.perf_counter() - start
    if code != 0:
        sys.exit(f"failed: {shlex.join(cmd)}")
    with open(RSS_FILE) as f:
        return elapsed, int(f.read().split()[-1])

def output_size(cmd):
    """Bytes the command writes to stdout."""
    total = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
        while chunk := proc.stdout.read(1 << 20):
            total += len(chunk)
    if proc.returncode != 0:
        sys.exit(f"failed: {shlex.join(cmd)}")
    return total

print(f"{'job':24} {'tool':10} {'MB/s':>9} {'peak RSS':>10} {'ratio':>7}   (trees: files/s)")
for job in jobs:
    name, infile, ref, ours = job.split("|")
    if os.environ["BASELINE"]:  # the same job, an older build against this one
        ref = ours.replace(os.environ["BINKIT"], os.environ["BASELINE"])
    if filt and filt not in name:
        continue
    path = os.path.join(work, infile)
    if os.path.basename(path).startswith("rotated"):  # a set of files: their bytes
        size = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    elif os.path.isdir(path):  # a tree: files per second
        size = sum(len(files) for _, _, files in os.walk(path)) * 1e6
    else:
        size = os.path.getsize(path)
    def argv(c):
        if c.startswith("sh:"):
            return ["sh", "-c", c[3:].replace("@", path)]
        return [a.replace("@", path) for a in c.split()]
    cmds = {t: argv(c) for t, c in (("reference", ref), ("binkit", ours))}
    times = {t: [] for t in cmds}
    rss = {t: 0 for t in cmds}
    for _ in range(runs):
        for tool, cmd in cmds.items():  # alternate: the machine is noisy
            secs, kib = measure(cmd)
            times[tool].append(secs)
            rss[tool] = max(rss[tool], kib)
    speed = {t: size / statistics.median(v) / 1e6 for t, v in times.items()}
    tool = ref[3:].split("&&")[-2 if "&&" in ref else 0].split()[0] if ref.startswith("sh:") else cmds["reference"][0]
    if os.environ["BASELINE"]:
        tool = "baseline"
    print(f"{name:24} {tool:10} {speed['reference']:9.0f} {rss['reference']/1024:8.1f}Mi")
    ratio = speed["binkit"] / speed["reference"]
    print(f"{'':24} {'binkit':10} {speed['binkit']:9.0f} {rss['binkit']/1024:8.1f}Mi {ratio:6.1f}x", end="")
    if name.startswith("gzip -"):  # a level picks a size: show both next to the speed
        sizes = {t: output_size(c) for t, c in cmds.items()}
        change = 100 * (sizes["binkit"] - sizes["reference"]) / sizes["reference"]
        print(f"   size {sizes['binkit']:,} vs {sizes['reference']:,} ({change:+.2f}%)", end="")
    print()
PY
