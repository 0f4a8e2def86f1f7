#!/usr/bin/env bash
# Object storage, side by side: binkit and the AWS CLI (+ the reference tool)
# against the same S3-compatible server (moto, on loopback), in one run,
# median of RUNS (default 3). Prints seconds, throughput, peak RSS and the
# ratio. Both sides pay the same server; moto, in Python, is the slowest
# part of every job here, so ratios understate binkit on a real service.
#
#   bash benches/s3.sh                 # all jobs
#   RUNS=1 OBJECTS=2000 bash benches/s3.sh sniff
#
# Needs moto_server and aws (BINKIT_MOTO_SERVER / BINKIT_AWS, or a venv at
# $BINKIT_CI_VENV, default ~/.cache/binkit-ci/venv, as .ci/run makes it:
# pip install 'moto[server]' awscli).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
FILTER=${1:-}
OBJECTS=${OBJECTS:-300}
WORK=${BENCH_DIR:-/tmp/binkit-bench-s3}
venv="${BINKIT_CI_VENV:-$HOME/.cache/binkit-ci/venv}"
MOTO=${BINKIT_MOTO_SERVER:-$venv/bin/moto_server}
AWS=${BINKIT_AWS:-$venv/bin/aws}
[[ -x $MOTO && -x $AWS ]] || { echo "needs $MOTO and $AWS: $venv/bin/pip install 'moto[server]' awscli" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
mkdir -p "$WORK"
cargo build --release --quiet
BINKIT=$PWD/target/release/binkit

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Objects over 1 MiB spill to disk, not memory: gigabytes fit.
MOTO_S3_DEFAULT_KEY_BUFFER_SIZE=$((1 << 20)) "$MOTO" -H 127.0.0.1 -p "$PORT" >/dev/null 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null' EXIT
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1 \
    AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_ALLOW_HTTP=true
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
aws() { "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }
aws s3 mb s3://bench >/dev/null

# Inputs.
[[ -s $WORK/random-1G ]] || head -c 1G /dev/urandom >"$WORK/random-1G"
if [[ ! -d $WORK/objects/$((OBJECTS - 1)) ]]; then  # OBJECTS objects of 1-20 MiB, on the sniff samples
    rm -rf "$WORK/objects"
    python3 - "$WORK/objects" "$OBJECTS" fixtures/sniff/samples <<'GEN'
import os, random, sys
out, count, samples = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
heads = [open(os.path.join(samples, n), "rb").read() for n in sorted(os.listdir(samples))
         if n.rsplit(".", 1)[-1] in ("png", "gif", "pdf", "zip", "jpg", "mp3", "wav", "tar")]
noise = os.urandom(20 << 20)
for i in range(count):
    d = os.path.join(out, str(i))
    os.makedirs(d)
    size = random.randrange(1 << 20, 20 << 20)
    kind = i % 4
    if kind == 0:   # a sample's head and megabytes after it
        head = heads[i % len(heads)]
        data = head + noise[: size - len(head)]
    elif kind == 1:  # a log
        line = b"2026-12-03T10:00:00Z INFO request id=42 status=200 ms=12\n"
        data = (line * (size // len(line) + 1))[:size]
    elif kind == 2:  # plain data
        data = noise[:size]
    else:            # a ZIP behind data
        data = noise[: size - 486] + open(os.path.join(samples, "..", "..", "sample.zip"), "rb").read()[:486]
    open(os.path.join(d, f"o{i}.bin" if kind == 2 else f"o{i}." + ("log" if kind == 1 else "dat")), "wb").write(data)
GEN
fi
if [[ ! -s $WORK/logs/app.log.8.gz ]]; then  # eight rotated logs of 32 MiB, gzip -6
    rm -rf "$WORK/logs" && mkdir -p "$WORK/logs"
    python3 - "$WORK/logs" <<'GEN'
import random, sys
random.seed(1)
levels = ["INFO"] * 8 + ["WARN", "ERROR"]
for n in range(1, 9):
    with open(f"{sys.argv[1]}/app.log.{n}", "w") as out:
        size, i = 0, 0
        while size < 32 << 20:
            line = (f"2026-11-27T05:{i // 60 % 60:02}:{i % 60:02}.{random.randrange(1000):03}Z web{random.randrange(4):02} "
                    f"app[{1000 + random.randrange(50)}]: {random.choice(levels)} /api/orders "
                    f"status={random.choice([200, 200, 304, 404, 500])} ms={random.randrange(2000)}\n")
            out.write(line)
            size += len(line)
            i += 1
GEN
    gzip -6 "$WORK"/logs/app.log.?
fi
aws s3 cp --recursive --quiet "$WORK/objects" s3://bench/objects/
aws s3 cp --recursive --quiet "$WORK/logs" s3://bench/logs/
NOBJ=$(find "$WORK/objects" -type f | wc -l)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# run NAME CMD...: RUNS timed runs; prints "seconds peak-KiB" (medians).
measure() {
    local secs=() rss=()
    for _ in $(seq "$RUNS"); do
        [[ -n ${BEFORE:-} ]] && eval "$BEFORE"
        /usr/bin/time -f "%e %M" -o "$WORK/time" bash -c "$*" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
        read -r s m <"$WORK/time"
        secs+=("$s"); rss+=("$m")
    done
    echo "$(printf '%s\n' "${secs[@]}" | median) $(printf '%s\n' "${rss[@]}" | median)"
}
row() { # job tool amount unit seconds kib [ref-seconds]
    local rate ratio=""
    rate=$(awk -v a="$3" -v s="$5" 'BEGIN {printf "%.1f", a / s}')
    [[ -n ${7:-} ]] && ratio=$(awk -v r="$7" -v s="$5" 'BEGIN {printf "**%.1fx**", r / s}')
    printf '| %s | %s | %s %s/s | %.1f MiB | %s |\n' "$1" "$2" "$rate" "$4" "$(awk -v k="$6" 'BEGIN {print k / 1024}')" "$ratio"
}

echo "| job | tool | throughput | peak RSS | ratio |"
echo "|---|---|---|---|---|"
if [[ -z $FILTER || upload == *$FILTER* ]]; then
    BEFORE="aws s3 rm --quiet s3://bench/up/aws-1G; aws s3 rm --quiet --recursive s3://bench/up/bk/ || true"
    read -r rs rm_ < <(measure "$AWS --endpoint-url $AWS_ENDPOINT_URL s3 cp --quiet $WORK/random-1G s3://bench/up/aws-1G")
    row "upload 1 GiB" "aws s3 cp" 1024 MiB "$rs" "$rm_"
    read -r bs bm < <(measure "$BINKIT split --s3 -q -b 8MiB -f -o s3://bench/up/bk/random-1G $WORK/random-1G")
    row "" "binkit split --s3 -o (ETag checked)" 1024 MiB "$bs" "$bm" "$rs"
    read -r gs gm < <(measure "$BINKIT b64 -q -f -o s3://bench/up/bk/random-1G.b64 $WORK/random-1G")
    row "" "binkit b64 -o s3:// (1.35 GiB out)" 1024 MiB "$gs" "$gm"
    unset BEFORE
fi
if [[ -z $FILTER || sniff == *$FILTER* ]]; then
    BEFORE="rm -rf $WORK/dl"
    read -r rs rm_ < <(measure "$AWS --endpoint-url $AWS_ENDPOINT_URL s3 cp --quiet --recursive s3://bench/objects/ $WORK/dl && find $WORK/dl -type f -exec file --mime-type {} + ")
    row "sniff $NOBJ objects of 1-20 MiB" "aws s3 cp --recursive + file" "$NOBJ" objects "$rs" "$rm_"
    unset BEFORE
    read -r bs bm < <(measure "$BINKIT sniff -r -q --ndjson s3://bench/objects/")
    row "" "binkit sniff -r s3:// (ranged GETs)" "$NOBJ" objects "$bs" "$bm" "$rs"
fi
if [[ -z $FILTER || grep == *$FILTER* ]]; then
    read -r rs rm_ < <(measure "for k in \$($AWS --endpoint-url $AWS_ENDPOINT_URL s3 ls s3://bench/logs/ | awk '{print \$4}'); do $AWS --endpoint-url $AWS_ENDPOINT_URL s3 cp --quiet s3://bench/logs/\$k - | zgrep -c ERROR; done")
    row "grep-log 8 x 32 MiB .gz logs" "aws s3 cp - \\| zgrep -c" 256 MiB "$rs" "$rm_"
    read -r bs bm < <(measure "$BINKIT grep-log -r -c ERROR s3://bench/logs/")
    row "" "binkit grep-log -r -c s3://" 256 MiB "$bs" "$bm" "$rs"
fi
