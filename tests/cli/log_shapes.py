"""Writes one log per real-world shape into OUTDIR, and expected.json: for
each log, how many lines `--level error`, `--level warn+` and
`--since A --until B` select, counted here from what was generated (each
record's level and time are known when it is written), not by binkit.

A record is its first line plus continuation lines that carry neither a
timestamp nor a level (stack traces); every line of a selected record is
selected. Records are 37 s apart from 2026-11-30T10:00:00Z; levels are
drawn from debug, info, warn, error. --since/--until are inclusive and
compare to the nanosecond; the fractions in the text are below .999 s, so
the window's end is written UNTIL.999 to take the record at UNTIL whole.
"""

import json
import random
import sys
from datetime import datetime, timedelta, timezone

OUT = sys.argv[1]
BASE = datetime(2026, 11, 30, 10, 0, 0, tzinfo=timezone.utc)
STEP = 37
N = 240
SINCE = BASE + timedelta(seconds=50 * STEP)
UNTIL = BASE + timedelta(seconds=120 * STEP)
LEVELS = ["debug", "info", "info", "info", "warn", "error"]
SYSLOG_SEVERITY = {"debug": 7, "info": 6, "warn": 4, "error": 3}
BUNYAN = {"debug": 20, "info": 30, "warn": 40, "error": 50}
KLOG = {"debug": "I", "info": "I", "warn": "W", "error": "E"}


def java_trace(rng):
    return [
        "java.lang.IllegalStateException: pool exhausted",
        "\tat com.example.Pool.take(Pool.java:%d)" % rng.randrange(10, 99),
        "\tat com.example.Service.handle(Service.java:%d)" % rng.randrange(10, 99),
    ][: rng.randrange(1, 4)]


def python_trace(rng):
    return [
        "Traceback (most recent call last):",
        '  File "/srv/app/handler.py", line %d, in handle' % rng.randrange(10, 99),
        "    raise ValueError(value)",
        "ValueError: bad value",
    ]


def go_trace(rng):
    return ["goroutine 1 [running]:", "main.main()", "\t/src/main.go:%d +0x1d" % rng.randrange(10, 99)]


def iso(t, frac=True):
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    return s + (".%03dZ" % (t.microsecond // 1000 + 123) if frac else "Z")


def shapes():
    """(name, first line of record i, continuation lines, has levels)."""

    def iso_then_logfmt(i, t, lvl, rng):
        if i == 0:
            return "%s INFO service starting" % iso(t, False), [], "info"
        return 'time=%s level=%s msg="request %d done"' % (iso(t), lvl, i), [], lvl

    def logfmt(i, t, lvl, rng):
        return 'ts=%s level=%s msg="db query" caller=db.go:%d' % (iso(t), lvl, rng.randrange(10, 99)), [], lvl

    def logrus(i, t, lvl, rng):
        word = {"warn": "warning"}.get(lvl, lvl)
        return 'time="%s" level=%s msg="cache miss" key=user:%d' % (t.strftime("%Y-%m-%dT%H:%M:%SZ"), word, i), [], lvl

    def rfc5424(i, t, lvl, rng):
        pri = 8 * 1 + SYSLOG_SEVERITY[lvl]
        return "<%d>1 %s web01 app %d - - handled request %d" % (pri, iso(t), 1000 + i, i), [], lvl

    def rfc3164(i, t, lvl, rng):
        pri = 8 * 3 + SYSLOG_SEVERITY[lvl]
        return "<%d>%s web01 sshd[%d]: session %d" % (pri, t.strftime("%b %d %H:%M:%S"), 500 + i, i), [], lvl

    def go_log(i, t, lvl, rng):
        trace = go_trace(rng) if lvl == "error" else []
        return "%s [%s] worker %d" % (t.strftime("%Y/%m/%d %H:%M:%S"), lvl, i), trace, lvl

    def klog(i, t, lvl, rng):
        line = "%s%s %s.%06d    4242 controller.go:%d] sync %d" % (
            KLOG[lvl], t.strftime("%m%d"), t.strftime("%H:%M:%S"), 123456, rng.randrange(10, 99), i)
        return line, [], {"debug": "info"}.get(lvl, lvl)

    def python(i, t, lvl, rng):
        word = {"warn": "WARNING"}.get(lvl, lvl.upper())
        trace = python_trace(rng) if lvl == "error" else []
        return "%s,%03d %s app.handler: request %d" % (t.strftime("%Y-%m-%d %H:%M:%S"), 123, word, i), trace, lvl

    def java(i, t, lvl, rng):
        trace = java_trace(rng) if lvl == "error" else []
        return "%s,%03d %-5s [main] com.example.Service - call %d" % (
            t.strftime("%Y-%m-%d %H:%M:%S"), 456, lvl.upper(), i), trace, lvl

    def nginx(i, t, lvl, rng):
        return '10.0.0.%d - - [%s] "GET /api/v1/items/%d HTTP/1.1" 200 %d "-" "curl/8.4.0"' % (
            i % 250, t.strftime("%d/%b/%Y:%H:%M:%S +0000"), i, rng.randrange(100, 9000)), [], None

    def journald(i, t, lvl, rng):
        us = int(t.timestamp()) * 1_000_000 + 123_456
        return json.dumps({"__REALTIME_TIMESTAMP": str(us), "PRIORITY": str(SYSLOG_SEVERITY[lvl]),
                           "_SYSTEMD_UNIT": "app.service", "MESSAGE": "tick %d" % i}), [], lvl

    def docker(i, t, lvl, rng):
        ts = t.strftime("%Y-%m-%dT%H:%M:%S") + ".123456789Z"
        inner = "%s %s handler %d" % (iso(t), lvl.upper(), i)
        first = json.dumps({"log": inner + "\n", "stream": "stderr", "time": ts})
        trace = [json.dumps({"log": l + "\n", "stream": "stderr", "time": ts})
                 for l in (java_trace(rng) if lvl == "error" else [])]
        return first, trace, lvl

    def cri(i, t, lvl, rng):
        ts = t.strftime("%Y-%m-%dT%H:%M:%S") + ".123456789Z"
        first = "%s stderr F %s handler %d" % (ts, lvl.upper(), i)
        trace = ["%s stderr F %s" % (ts, l) for l in (java_trace(rng) if lvl == "error" else [])]
        return first, trace, lvl

    def alternatives(i, t, lvl, rng):
        return "update-alternatives %s: run with --install /usr/bin/x%d x /usr/bin/x%d-1 10" % (
            t.strftime("%Y-%m-%d %H:%M:%S"), i, i), [], None

    def json_epoch_ms(i, t, lvl, rng):
        return json.dumps({"ts": int(t.timestamp()) * 1000 + 123, "level": lvl, "msg": "job %d" % i}), [], lvl

    def bunyan(i, t, lvl, rng):
        return json.dumps({"name": "api", "hostname": "h1", "pid": 7, "level": BUNYAN[lvl],
                           "msg": "served %d" % i, "time": iso(t), "v": 0}), [], lvl

    return [
        ("iso-then-logfmt.log", iso_then_logfmt), ("logfmt.log", logfmt), ("logrus.log", logrus),
        ("rfc5424.log", rfc5424), ("rfc3164.log", rfc3164), ("go.log", go_log), ("klog.log", klog),
        ("python.log", python), ("java.log", java), ("nginx-access.log", nginx),
        ("journald.json", journald), ("docker.log", docker), ("cri.log", cri),
        ("alternatives.log", alternatives), ("epoch-ms.jsonl", json_epoch_ms), ("bunyan.jsonl", bunyan),
    ]


expected = {}
for k, (name, shape) in enumerate(shapes()):
    rng = random.Random(k)
    lines = []
    counts = {"error": 0, "warn+": 0, "window": 0}
    for i in range(N):
        t = BASE + timedelta(seconds=i * STEP)
        lvl = rng.choice(LEVELS)
        first, rest, level = shape(i, t, lvl, rng)
        record = [first] + rest
        lines += record
        if level == "error":
            counts["error"] += len(record)
        if level in ("warn", "error"):
            counts["warn+"] += len(record)
        if SINCE <= t <= UNTIL:
            counts["window"] += len(record)
    with open("%s/%s" % (OUT, name), "w") as f:
        f.write("\n".join(lines) + "\n")
    expected[name] = counts
with open("%s/expected.json" % OUT, "w") as f:
    json.dump({"since": SINCE.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "until": UNTIL.strftime("%Y-%m-%dT%H:%M:%S.999Z"), "logs": expected}, f, indent=1)
