#!/usr/bin/env python3
"""Agreement of `binkit sniff` with `file --mime-type` on trees.

    python3 benches/sniff_agreement.py [--binkit PATH] [--sample N] TREE...

For each tree: counts files where `file` gives a specific type (not
text/plain, application/octet-stream or inode/x-empty) and binkit detects
the same type after aliases are folded (the same groups as
src/sniff/names.rs); agreement per family (the type's top level, and
programs apart); text-versus-binary agreement over every file; and the
disagreements grouped by (file's type, binkit's type). `--sample N` keeps
at most N files of each `file` type per tree, so that no one type
dominates the figure.
"""
import collections, json, os, subprocess, sys

args = sys.argv[1:]
binkit = "target/release/binkit"
sample = None
while args and args[0].startswith("--"):
    flag = args.pop(0)
    if flag == "--binkit":
        binkit = args.pop(0)
    elif flag == "--sample":
        sample = int(args.pop(0))
roots = args or ["/usr/share"]

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

TEXTUAL = ("text/", "application/json", "application/x-ndjson", "application/xml", "image/svg+xml",
           "application/javascript", "message/", "application/x-wine-extension-ini")


def textual(m):
    return m.startswith(TEXTUAL) or m.endswith("+xml") or m.endswith("+json")


def family(m):
    if m in ("application/x-executable", "application/x-pie-executable", "application/x-sharedlib",
             "application/x-object", "application/x-coredump", "application/x-dosexec",
             "application/vnd.microsoft.portable-executable", "application/x-mach-binary"):
        return "programs"
    return m.split("/")[0]


def agreement(root):
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
                             capture_output=True, check=False).stdout.decode(errors="replace").split("\n")
        theirs.update(zip(batch, out))
    if sample:
        kept, per = {}, collections.Counter()
        for path, kind in sorted(theirs.items()):
            if per[kind] < sample:
                per[kind] += 1
                kept[path] = kind
        theirs = kept
    ours = {}
    proc = subprocess.Popen([binkit, "sniff", "--ndjson", "-q", "-r", root], stdout=subprocess.PIPE)
    for line in proc.stdout:
        r = json.loads(line)
        ours[r["path"]] = r["mime"]
    proc.wait()
    specific = agree = both = same_kind = 0
    families = collections.defaultdict(lambda: [0, 0])
    disagreements = collections.Counter()
    kinds = collections.Counter()
    examples = {}
    for path, kind in theirs.items():
        if path not in ours or kind == "inode/x-empty":
            continue
        both += 1
        if textual(kind) == textual(ours[path]):
            same_kind += 1
        else:
            kinds[(kind, ours[path])] += 1
            examples.setdefault(("kind", kind, ours[path]), path)
        if kind in GENERIC:
            continue
        specific += 1
        fam = families[family(canon(kind))]
        fam[1] += 1
        if canon(kind) == canon(ours[path]):
            agree += 1
            fam[0] += 1
        else:
            key = (kind, ours[path])
            disagreements[key] += 1
            examples.setdefault(key, path)
    print(f"== {root}: files: {len(theirs)}; file gives a specific type for {specific}; "
          f"binkit agrees on {agree} = {100 * agree / max(specific, 1):.2f}%; "
          f"text/binary agree on {100 * same_kind / max(both, 1):.2f}% of {both}")
    for name, (ok, n) in sorted(families.items(), key=lambda f: -f[1][1]):
        print(f"   {name:12} {ok:7} / {n:7} = {100 * ok / n:6.2f}%")
    for (kind, mine), n in kinds.most_common(5):
        print(f"{n:6}  text/binary: file {kind:34} binkit {mine:34} e.g. {examples[('kind', kind, mine)]}")
    for (kind, mine), n in disagreements.most_common(25):
        print(f"{n:6}  file: {kind:40} binkit: {mine:40} e.g. {examples[(kind, mine)]}")


for root in roots:
    agreement(root)
