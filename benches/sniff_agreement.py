#!/usr/bin/env python3
"""Agreement of `binkit sniff` with `file --mime-type` on a tree.

    python3 benches/sniff_agreement.py /usr/share [path/to/binkit]

Counts files where `file` gives a specific type (not text/plain,
application/octet-stream or inode/x-empty) and binkit detects the same type
after aliases are folded (the same groups as src/sniff/names.rs); prints
the figure and the disagreements grouped by (file's type, binkit's type).
"""
import collections, json, os, subprocess, sys

root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share"
binkit = sys.argv[2] if len(sys.argv) > 2 else "target/release/binkit"

ALIASES = {
    "text/xml": "application/xml",
    "application/x-gzip": "application/gzip",
    "image/vnd.microsoft.icon": "image/x-icon",
    "application/font-sfnt": "font/sfnt", "font/ttf": "font/sfnt", "font/otf": "font/sfnt",
    "application/font-woff": "font/woff",
    "application/java": "application/x-java-applet",
    "audio/x-wav": "audio/wav", "audio/x-flac": "audio/flac",
    "application/x-bzip": "application/x-bzip2",
    "video/x-matroska": "video/webm",
    "application/x-sqlite3": "application/vnd.sqlite3",
}
GENERIC = {"text/plain", "application/octet-stream", "inode/x-empty"}
# file calls a ZIP-based format by what is inside; binkit by the container.
ZIP = {"application/zip", "application/java-archive", "application/epub+zip"}

def canon(m):
    m = ALIASES.get(m, m)
    return "application/zip" if m in ZIP else m

paths = []
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        if os.path.isfile(p) and not os.path.islink(p):
            paths.append(p)
theirs = {}
for i in range(0, len(paths), 2000):
    batch = paths[i:i + 2000]
    out = subprocess.run(["file", "--mime-type", "-b", "--"] + batch,
                         capture_output=True, check=True).stdout.decode().split("\n")
    theirs.update(zip(batch, out))
ours = {}
proc = subprocess.Popen([binkit, "sniff", "--ndjson", "-q", "-r", root], stdout=subprocess.PIPE)
for line in proc.stdout:
    r = json.loads(line)
    ours[r["path"]] = r["mime"]
proc.wait()

specific = agree = 0
disagreements = collections.Counter()
examples = {}
for path, kind in theirs.items():
    if kind in GENERIC or path not in ours:
        continue
    specific += 1
    if canon(kind) == canon(ours[path]):
        agree += 1
    else:
        key = (kind, ours[path])
        disagreements[key] += 1
        examples.setdefault(key, path)
print(f"files: {len(paths)}; file gives a specific type for {specific}; "
      f"binkit agrees on {agree} = {100 * agree / max(specific, 1):.2f}%")
for (kind, mine), n in disagreements.most_common():
    print(f"{n:6}  file: {kind:40} binkit: {mine:40} e.g. {examples[(kind, mine)]}")
