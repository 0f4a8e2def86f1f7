//! `binkit sniff` on real samples of 60 types (fixtures/sniff/samples,
//! made by fixtures/sniff/make.py) against `file --mime-type`, on hostile
//! files, and on trees with things that must not be opened.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use binkit::sniff::{canonical, same_format};
use serde_json::Value;

use crate::support::{binkit, fixture, reference};

fn samples() -> PathBuf {
    fixture("sniff/samples")
}

/// `binkit sniff --json` on `args`, run in `dir`: (status, reports).
fn sniff_json(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = binkit()
        .current_dir(dir)
        .args(["sniff", "--json", "-q"])
        .args(args)
        .output()
        .unwrap();
    let reports: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (
        out.status.code().unwrap(),
        reports.as_array().unwrap().clone(),
    )
}

fn flags(report: &Value) -> Vec<&str> {
    report["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

/// Files whose content runs: programs, and scripts with `#!`.
const EXECUTABLE_SAMPLES: [&str; 5] = [
    "install.sh",
    "program.elf",
    "program.exe",
    "tool.pl",
    "tool.py",
];

#[test]
fn every_sample_is_what_file_says_and_agrees_with_its_name() {
    let Some(file) = reference("file") else {
        return;
    };
    let dir = samples();
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let (status, reports) = sniff_json(&dir, &["-r", "."]);
    assert_eq!(status, 0);
    assert_eq!(reports.len(), names.len());
    let mut types = std::collections::BTreeSet::new();
    for (report, name) in reports.iter().zip(&names) {
        assert_eq!(report["path"], format!("./{name}"));
        let ours = report["mime"].as_str().unwrap();
        types.insert(canonical(ours).to_string());
        let theirs = std::process::Command::new(&file)
            .args(["--mime-type", "-b", name])
            .current_dir(&dir)
            .output()
            .unwrap();
        let theirs = String::from_utf8(theirs.stdout).unwrap();
        let theirs = theirs.trim();
        // `file` has no name for a few formats that infer knows.
        if theirs != "application/octet-stream" {
            assert!(
                same_format(ours, theirs),
                "{name}: {ours} vs file's {theirs}"
            );
        }
        // A manual page's section number is no type claim (issue 15:
        // `libc.so.6` and `python2.7` end in digits too).
        let verdict = if name.ends_with(".1") {
            "unknown"
        } else {
            "ok"
        };
        assert_eq!(report["verdict"], verdict, "{name}");
        assert_eq!(report["pass"], true, "{name}");
        let expected: Vec<&str> = if EXECUTABLE_SAMPLES.contains(&name.as_str()) {
            vec!["executable"]
        } else {
            vec![]
        };
        assert_eq!(flags(report), expected, "{name}");
        assert_eq!(
            report["size"].as_u64(),
            Some(fs::metadata(dir.join(name)).unwrap().len())
        );
    }
    assert!(
        types.len() >= 40,
        "{} distinct types: {types:?}",
        types.len()
    );
}

/// Writes `bytes` as `name` in `dir`.
fn put(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap();
}

/// A PNG chunk: length, type, data, and the CRC over type and data.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    c.extend_from_slice(&crc.finalize().to_be_bytes());
    c
}

fn sample(name: &str) -> Vec<u8> {
    fs::read(samples().join(name)).unwrap()
}

#[test]
fn hostile_files_are_flagged_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    put(d, "holiday.jpg", &sample("program.elf"));
    put(d, "photo.png", &sample("picture.jpg"));
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>fetch('//evil')</script></svg>";
    put(d, "logo.svg", svg);
    put(
        d,
        "badge.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"/>",
    );
    put(
        d,
        "polyglot.jpg",
        &[sample("picture.jpg"), sample("archive.zip")].concat(),
    );
    put(
        d,
        "tail.png",
        &[
            sample("picture.png"),
            b"<?php system($_GET[c]); ?>".to_vec(),
        ]
        .concat(),
    );
    put(d, "invoice\u{202E}fdp.exe", &sample("program.exe"));
    put(d, "invoice.pdf.exe", &sample("program.exe"));
    put(d, "report.txt", b"#!/bin/bash\nrm -rf ~\n");
    // (name, verdict, flags, a reason that must be there)
    let expected: [(&str, &str, &[&str], &str); 9] = [
        (
            "badge.svg",
            "ok",
            &["script"],
            "SVG has an on... event handler attribute",
        ),
        (
            "holiday.jpg",
            "mismatch",
            &["executable"],
            "ELF executable content",
        ),
        (
            "invoice.pdf.exe",
            "ok",
            &["double-extension", "executable"],
            "name ends .pdf.exe: looks like .pdf, runs as .exe",
        ),
        (
            "invoice\u{202E}fdp.exe",
            "ok",
            &["bidi-name", "executable"],
            "name contains a Unicode bidirectional control character",
        ),
        (
            "logo.svg",
            "ok",
            &["script"],
            "SVG contains a <script> element",
        ),
        ("photo.png", "mismatch", &[], ""),
        (
            "polyglot.jpg",
            "ok",
            &["appended-data"],
            // picture.jpg is 836 bytes: the ZIP starts right after EOI.
            "a ZIP archive after the end of the JPEG image, at byte 836",
        ),
        (
            "report.txt",
            "ok",
            &["executable"],
            "script with #!/bin/bash",
        ),
        (
            "tail.png",
            "ok",
            &["appended-data"],
            // picture.png is 149 bytes: the PHP starts right after IEND.
            "script text after the end of the PNG image, at byte 149",
        ),
    ];
    let (status, reports) = sniff_json(d, &["-r", "."]);
    // Nothing fails a policy here, but two names lie about their content.
    assert_eq!(status, 1);
    assert!(reports.iter().all(|r| r["pass"] == true));
    assert_eq!(reports.len(), expected.len());
    for (report, (name, verdict, want_flags, reason)) in reports.iter().zip(expected) {
        assert_eq!(report["path"], format!("./{name}"));
        assert_eq!(report["verdict"], verdict, "{name}");
        assert_eq!(flags(report), want_flags, "{name}");
        let reasons = report["reasons"].as_array().unwrap();
        assert!(
            reason.is_empty() || reasons.iter().any(|r| r == reason),
            "{name}: {reasons:?}"
        );
    }
    // --check: any flag or mismatch fails; only failures are listed; exit 1.
    let (status, failing) = sniff_json(d, &["--check", "-r", "."]);
    assert_eq!(status, 1);
    assert_eq!(failing.len(), expected.len());
    assert!(failing.iter().all(|r| r["pass"] == false));
    let renamed = &failing[1];
    assert!(renamed["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "content is application/x-pie-executable, the name claims image/jpeg"));
}

#[test]
fn policy_allows_denies_and_limits_size() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["picture.png", "picture.gif", "picture.pdf", "program.exe"] {
        put(d, name, &sample(name));
    }
    let pass = |args: &[&str]| -> Vec<bool> {
        let (_, reports) = sniff_json(d, &[args, &["-r", "."]].concat());
        reports
            .iter()
            .map(|r| r["pass"].as_bool().unwrap())
            .collect()
    };
    // Walk order: picture.gif, picture.pdf, picture.png, program.exe.
    assert_eq!(pass(&["--allow", "image/*"]), [true, false, true, false]);
    assert_eq!(
        pass(&["--allow", "image/png,application/pdf"]),
        [false, true, true, false]
    );
    assert_eq!(
        pass(&["--deny", "application/vnd.microsoft.portable-executable"]),
        [true, true, true, false]
    );
    let gif_size = sample("picture.gif").len();
    let limit = gif_size.to_string();
    assert_eq!(pass(&["--max-size", &limit]), [true, false, false, false]);
    let (status, _) = sniff_json(d, &["--allow", "*", "-r", "."]);
    assert_eq!(status, 0);
    let (status, reports) = sniff_json(d, &["--deny", "image/gif", "-r", "."]);
    assert_eq!(status, 1);
    assert_eq!(
        reports[0]["reasons"],
        serde_json::json!(["type image/gif is denied (image/gif)"])
    );
    // The field names CI scripts rely on, in every object.
    let keys: Vec<&str> = reports[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = [
        "path", "size", "mime", "ext_mime", "verdict", "flags", "pass", "reasons",
    ];
    want.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, want);
    // --ndjson: the same objects, one per line.
    let out = binkit()
        .current_dir(d)
        .args(["sniff", "--ndjson", "-r", "."])
        .output()
        .unwrap();
    let lines: Vec<Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[3]["mime"],
        "application/vnd.microsoft.portable-executable"
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "binkit sniff: 4 files, 4 ok, 0 mismatches, 1 flagged, 0 skipped, 0 failed, 0 unreadable\n"
    );
}

#[test]
fn walks_skip_what_must_not_be_opened_and_go_on_after_errors() {
    let root = tempfile::tempdir().unwrap();
    let tree = root.path().join("tree");
    fs::create_dir_all(tree.join("sub")).unwrap();
    put(&tree, "a.png", &sample("picture.png"));
    put(&tree.join("sub"), "b.json", &sample("data.json"));
    // A FIFO would block a reader forever; a symlink is not followed
    // without -L; a dangling one and a loop only matter with -L.
    let fifo = tree.join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink(tree.join("a.png"), tree.join("link.png")).unwrap();
    std::os::unix::fs::symlink(root.path().join("missing"), tree.join("dangling")).unwrap();
    std::os::unix::fs::symlink(&tree, tree.join("sub/loop")).unwrap();

    let (status, reports) = sniff_json(root.path(), &["-r", "tree"]);
    assert_eq!(status, 0);
    let paths: Vec<&str> = reports
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    // Every entry has a line; what was not opened says "skipped" (issue 15).
    assert_eq!(
        paths,
        [
            "tree/a.png",
            "tree/dangling",
            "tree/link.png",
            "tree/pipe",
            "tree/sub/b.json",
            "tree/sub/loop"
        ]
    );
    let verdicts: Vec<&str> = reports
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["ok", "skipped", "skipped", "skipped", "ok", "skipped"]
    );

    // -L: the link is followed, the dangling one is an error (exit 2 at the
    // end, after everything else was reported), the loop is survived.
    let out = binkit()
        .current_dir(root.path())
        .args(["sniff", "--ndjson", "-L", "-r", "tree"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let paths: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // The loop is not examined: it has a line of its own (issue 15: every
    // entry ends in a line), with verdict "skipped".
    assert_eq!(
        paths,
        [
            "tree/a.png",
            "tree/link.png",
            "tree/pipe",
            "tree/sub/b.json",
            "tree/sub/loop"
        ]
    );
    let loop_line: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(loop_line["verdict"], "skipped");
    assert_eq!(loop_line["reasons"][0], "not examined: a symlink loop");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("binkit sniff: tree/dangling: No such file or directory"),
        "{stderr}"
    );
    assert!(stderr
        .ends_with("3 files, 3 ok, 0 mismatches, 0 flagged, 2 skipped, 0 failed, 1 unreadable\n"));

    // A file that cannot be read (even by root) is one error among others.
    let out = binkit()
        .current_dir(root.path())
        .args(["sniff", "/proc/self/mem", "tree/a.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("tree/a.png  image/png"));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("binkit sniff: /proc/self/mem: "));
    // A FIFO, a socket and a device named on the command line are
    // skipped, not opened (a FIFO would block, a device could be endless),
    // each with a line saying so; --check fails them (exit 1).
    let _socket = std::os::unix::net::UnixListener::bind(tree.join("sock")).unwrap();
    let out = binkit()
        .current_dir(root.path())
        .args(["sniff", "--ndjson", "tree/pipe", "tree/sock", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let kinds: Vec<(String, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|r| (r["verdict"].to_string(), r["mime"].to_string()))
        .collect();
    let want = [
        ("\"skipped\"", "\"inode/fifo\""),
        ("\"skipped\"", "\"inode/socket\""),
        ("\"skipped\"", "\"inode/chardevice\""),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(kinds, want);
    binkit()
        .current_dir(root.path())
        .args(["sniff", "--check", "tree/pipe", "tree/sock", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(1);
}

#[test]
fn a_permission_error_is_one_line_and_the_walk_goes_on() {
    // Root reads everything: the walk runs as `nobody` (setpriv, from
    // util-linux) to meet a real EACCES.
    if crate::support::as_nobody(Path::new("."), &["--version"]).is_none() {
        return;
    }
    let as_nobody = |args: &[&str]| crate::support::as_nobody(Path::new("."), args).unwrap();
    let root = tempfile::tempdir().unwrap();
    let tree = root.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    for dir in [root.path(), &tree] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    put(&tree, "a.png", &sample("picture.png"));
    put(&tree, "b.png", &sample("picture.png"));
    put(&tree, "c.json", &sample("data.json"));
    for name in ["a.png", "c.json"] {
        std::fs::set_permissions(tree.join(name), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(tree.join("b.png"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let tree_arg = tree.to_str().unwrap();
    let out = as_nobody(&["sniff", "--ndjson", "-r", tree_arg]);
    assert_eq!(out.status.code(), Some(2), "exit 2 at the end");
    let paths: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        paths,
        [format!("{tree_arg}/a.png"), format!("{tree_arg}/c.json")]
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "binkit sniff: {tree_arg}/b.png: Permission denied"
        )),
        "{stderr}"
    );
    assert!(stderr
        .ends_with("2 files, 2 ok, 0 mismatches, 0 flagged, 0 skipped, 0 failed, 1 unreadable\n"));
}

#[test]
fn stdin_is_sniffed_and_teed_unchanged() {
    let png = sample("picture.png");
    let (status, reports) = {
        let out = binkit()
            .args(["sniff", "--json", "-"])
            .write_stdin(png.clone())
            .output()
            .unwrap();
        let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), reports)
    };
    assert_eq!(status, Some(0));
    assert_eq!(reports[0]["mime"], "image/png");
    assert_eq!(reports[0]["path"], "-");
    // An image's end is checked, so stdin is read to its end (issue 15:
    // stdin gets every check a file gets) and its size is known.
    assert_eq!(reports[0]["size"], png.len());
    // --tee: the bytes pass through unchanged; the report goes to stderr.
    let big = [sample("program.elf"), vec![7; 300_000]].concat();
    let out = binkit()
        .args(["sniff", "--tee", "--ndjson", "--check"])
        .write_stdin(big.clone())
        .output()
        .unwrap();
    assert_eq!(out.stdout, big);
    assert_eq!(out.status.code(), Some(1), "an executable fails --check");
    let report: Value =
        serde_json::from_slice(out.stderr.split(|&b| b == b'\n').next().unwrap()).unwrap();
    // `file --mime-type` on program.elf: application/x-pie-executable (its
    // DF_1_PIE is past the first 8 KiB, within the stream's kept start).
    assert_eq!(report["mime"], "application/x-pie-executable");
    assert_eq!(report["size"], big.len());
}

/// Issue 12: `sniff --tee | head` printed "stdin: Broken pipe" and exited 2;
/// a reader that goes away is not an error (DESIGN.md), the verdict is the
/// head's.
#[test]
fn issue_12_tee_into_a_closed_pipe_is_quiet() {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_binkit"))
        .args(["sniff", "--tee"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..200 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(
        stderr.contains("text/plain"),
        "the head's verdict: {stderr}"
    );
}

/// Issue 15, a gate hole: a directory named without -r printed nothing
/// and passed. Now it is a line with verdict "skipped" and `--check`
/// fails it (exit 1), in every output format; `--skip-special` lets it
/// pass, still listed.
#[test]
fn a_directory_without_r_is_a_skipped_line_that_fails_the_gate() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir(root.path().join("up")).unwrap();
    fs::write(root.path().join("up/evil.png"), b"MZ not a png").unwrap();
    let (status, reports) = sniff_json(root.path(), &["up"]);
    assert_eq!(status, 0, "not a gate");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["verdict"], "skipped");
    assert_eq!(reports[0]["mime"], "inode/directory");
    let (status, reports) = sniff_json(root.path(), &["--check", "--allow", "image/*", "up"]);
    assert_eq!(status, 1);
    assert_eq!(reports[0]["pass"], false);
    let (status, _) = sniff_json(root.path(), &["--check", "--skip-special", "up"]);
    assert_eq!(status, 0);
    // A symlink to /dev/zero named on the command line: not read, failed.
    std::os::unix::fs::symlink("/dev/zero", root.path().join("zero.png")).unwrap();
    let (status, reports) = sniff_json(root.path(), &["--check", "zero.png"]);
    assert_eq!(status, 1);
    assert_eq!(reports[0]["mime"], "inode/chardevice");
}

/// Issue 15: stdin gets every check a file gets. Each case is sniffed as
/// a file and piped to stdin; the reports agree but for the path (and the
/// name's claim, which stdin has none of). Among them: a PNG with a ZIP
/// appended (the tail check, once file-only), an SVG whose script is past
/// the first 8 KiB (the markup scan, once 8 KiB on stdin), a PE whose
/// header is at 2 MiB, an ELF whose PIE flag is past the head, and
/// `--max-size` (once ignored on stdin without --tee).
#[test]
fn stdin_and_file_give_the_same_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut pe = vec![0u8; (2 << 20) + 64];
    pe[..2].copy_from_slice(b"MZ");
    pe[2] = 0x90;
    pe[4] = 3;
    pe[0x3C..0x40].copy_from_slice(&(2u32 << 20).to_le_bytes());
    pe[2 << 20..(2 << 20) + 4].copy_from_slice(b"PE\0\0");
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\">{}<script>alert(1)</script></svg>\n",
        "<rect width=\"1\" height=\"1\"/>\n".repeat(1000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "png-zip",
            [sample("picture.png"), sample("archive.zip")].concat(),
        ),
        ("png", sample("picture.png")),
        ("svg", svg.into_bytes()),
        ("pe", pe),
        ("elf", sample("program.elf")),
        ("pdf", sample("picture.pdf")),
        ("jpg", sample("picture.jpg")),
    ];
    for (name, bytes) in &cases {
        put(d, name, bytes);
        for extra in [&[][..], &["--max-size", "1000"]] {
            let run = |stdin: bool| {
                let mut cmd = binkit();
                cmd.current_dir(d)
                    .args(["sniff", "--json", "-q", "--check"])
                    .args(extra);
                if stdin {
                    cmd.arg("-").write_stdin(bytes.clone());
                } else {
                    cmd.arg(name);
                }
                let out = cmd.output().unwrap();
                let mut report: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
                let mut report = report.pop().unwrap_or(Value::Null);
                if let Some(r) = report.as_object_mut() {
                    for key in ["path", "ext_mime", "verdict"] {
                        r.remove(key);
                    }
                    // Stdin's size is known when it was read to its end:
                    // always with --max-size (which counts the stream).
                    if extra.is_empty() {
                        r.remove("size");
                    }
                }
                (out.status.code(), report)
            };
            assert_eq!(run(true), run(false), "{name} {extra:?}");
        }
    }
    // And what they found: the appended ZIP, the script, the PE.
    let (_, r) = sniff_json(d, &["png-zip", "svg", "pe"]);
    assert_eq!(r[0]["flags"], serde_json::json!(["appended-data"]));
    assert_eq!(r[1]["flags"], serde_json::json!(["script"]));
    assert_eq!(
        r[2]["mime"],
        "application/vnd.microsoft.portable-executable"
    );
}

/// Issue 15: ELF kinds and universal Mach-O by libmagic's names, against
/// `file --mime-type` run here on this machine's own programs (a PIE, a
/// shared library, an object file) and on the sample PE.
#[test]
fn programs_have_libmagics_names() {
    let Some(file) = reference("file") else {
        return;
    };
    let mut paths: Vec<PathBuf> = [
        "/usr/bin/ls",
        "/usr/bin/bash",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/usr/lib/x86_64-linux-gnu/crt1.o",
        "/usr/lib/x86_64-linux-gnu/libz.so.1",
    ]
    .iter()
    .map(PathBuf::from)
    .filter(|p| p.exists())
    .collect();
    paths.push(samples().join("program.exe"));
    paths.push(samples().join("program.elf"));
    for path in paths {
        let theirs = std::process::Command::new(&file)
            .args(["--mime-type", "-b", "-L"])
            .arg(&path)
            .output()
            .unwrap();
        let theirs = String::from_utf8(theirs.stdout).unwrap();
        let out = binkit()
            .args(["sniff", "--ndjson", "-q"])
            .arg(&path)
            .output()
            .unwrap();
        let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(ours["mime"], theirs.trim(), "{}", path.display());
        assert!(
            ours["flags"]
                .as_array()
                .unwrap()
                .contains(&"executable".into()),
            "{}",
            path.display()
        );
    }
}

/// Issue 15, gate holes: a PNG is walked chunk by chunk to IEND with each
/// CRC checked. A truncated PNG is `truncated` (it was flagged "data after
/// the end", which is false); PHP in a `tEXt` chunk, or an ELF in a
/// private chunk, is `hidden-code`; a fake IEND with a wrong CRC and PHP
/// after it is `corrupt`. Each fails `--check`, from a file and from stdin.
#[test]
fn png_tricks_are_found_by_its_structure() {
    let png = sample("picture.png");
    // The sample: signature, IHDR (25 bytes), then the rest to IEND (12).
    let (start, rest) = png.split_at(8 + 25);
    let iend = &png[png.len() - 12..];
    let body = &rest[..rest.len() - 12];
    let with = |extra: &[u8]| [start, extra, body, iend].concat();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("cut.png", png[..png.len() - 20].to_vec(), "truncated"),
        (
            "text.png",
            with(&chunk(b"tEXt", b"Comment\0<?php system($_GET[c]); ?>")),
            "hidden-code",
        ),
        (
            "elf.png",
            with(&chunk(b"prVt", b"\x7fELF\x02\x01\x01\0\0\0")),
            "hidden-code",
        ),
        (
            "fake-iend.png",
            [
                start,
                body,
                b"\0\0\0\0IEND\xde\xad\xbe\xef<?php ?>".as_slice(),
            ]
            .concat(),
            "corrupt",
        ),
        (
            "html.png",
            [start, b"<html><script>x()</script>".as_slice()].concat(),
            "corrupt",
        ),
        // Past the stream's kept start (1 MiB): stdin walks it as it reads.
        (
            "big.png",
            with(
                &[
                    chunk(b"prVa", &vec![7; 3 << 20]),
                    chunk(b"tEXt", b"c\0<?php ?>"),
                ]
                .concat(),
            ),
            "hidden-code",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, flag) in &cases {
        put(dir.path(), name, bytes);
        let (status, reports) = sniff_json(dir.path(), &["--check", name]);
        assert_eq!(status, 1, "{name}");
        assert_eq!(reports[0]["flags"], serde_json::json!([flag]), "{name}");
        let out = binkit()
            .args(["sniff", "--json", "-q", "--check", "-"])
            .write_stdin(bytes.clone())
            .output()
            .unwrap();
        let stdin: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(stdin[0]["flags"], reports[0]["flags"], "{name} on stdin");
        assert_eq!(out.status.code(), Some(1));
    }
    // The sample itself is clean.
    put(dir.path(), "plain.png", &png);
    let (status, reports) = sniff_json(dir.path(), &["--check", "plain.png"]);
    assert_eq!((status, reports.len()), (0, 0));
}

/// Issue 15, found by the attacker on this stop's build: each of these
/// passed `--check --allow 'image/*'` (exit 0). PHP's tags and HTML's
/// have no case; a GIF whose width bytes are `=1` is `GIF89a=1;/*`
/// JavaScript; a ZIP inside a PNG chunk is a second format; an SVG in
/// UTF-16, with its script behind character references or a tab in the
/// scheme, or past the 256 KiB scanned, fails. From a file and stdin.
#[test]
fn attacker_image_and_svg_tricks_fail_the_gate() {
    let png = sample("picture.png");
    let (start, rest) = png.split_at(8 + 25);
    let with = |extra: &[u8]| [start, extra, rest].concat();
    let gif = sample("picture.gif");
    let mut js_gif = gif.clone();
    js_gif[6..8].copy_from_slice(b"=1");
    let utf16: Vec<u8> =
        "\u{feff}<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
    let mut big_svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><!--".to_vec();
    big_svg.extend(vec![b'A'; 300_000]);
    big_svg.extend(b"--><script>alert(1)</script></svg>");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("php-upper.png", with(&chunk(b"tEXt", b"c\0<?PHP system($_GET[1]);")), "hidden-code"),
        ("script-upper.png", with(&chunk(b"tEXt", b"c\0<SCRIPT >alert(1)</SCRIPT>")), "hidden-code"),
        ("zip.png", with(&chunk(b"zzZz", &sample("archive.zip"))), "hidden-code"),
        ("js.gif", js_gif, "hidden-code"),
        ("utf16.svg", utf16, "script"),
        (
            "refs.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&#106;ava&#9;script:alert(1)\">x</a></svg>".to_vec(),
            "script",
        ),
        ("big.svg", big_svg, "not-fully-scanned"),
        // The issue's other SVG holes and variants of them.
        ("prefixed.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:s=\"http://www.w3.org/2000/svg\"><s:script>alert(1)</s:script></svg>".to_vec(), "script"),
        ("foreign.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><iframe src=\"x\"/></foreignObject></svg>".to_vec(), "script"),
        ("srcdoc.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"/></svg>".to_vec(), "script"),
        ("xslt.svg", b"<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"evil.xsl\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(), "script"),
        ("entities.svg", b"<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY a \"&lt;scr\"><!ENTITY b \"ipt&gt;alert(1)\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">&a;&b;</svg>".to_vec(), "script"),
        ("utf16be.svg", [vec![0xFE, 0xFF], "<svg><script>alert(1)</script></svg>".encode_utf16().flat_map(u16::to_be_bytes).collect()].concat(), "script"),
        ("nobom.svg", "<svg><script>alert(1)</script></svg>".encode_utf16().flat_map(u16::to_le_bytes).collect(), "script"),
        // libmagic calls XHTML with an XML declaration text/xml, and an
        // SVG behind a comment text/plain: both still get the scan.
        (
            "page.xhtml",
            b"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><script>alert(1)</script></body></html>".to_vec(),
            "script",
        ),
        (
            "comment.svg",
            b"<!-- drawn by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            "script",
        ),
        (
            "doctype.svg",
            b"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<svg><a href=\"java&#x09;script:alert(1)\">x</a></svg>".to_vec(),
            "script",
        ),
        // 10,000 bytes of text, then a ZIP: unzip extracts it all the same.
        ("junk.png", [vec![b'X'; 10_000], sample("archive.zip")].concat(), "embedded-archive"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, flag) in &cases {
        put(dir.path(), name, bytes);
        let (status, reports) = sniff_json(dir.path(), &["--check", "--allow", "image/*", name]);
        assert_eq!(status, 1, "{name}");
        let flags = reports[0]["flags"].as_array().unwrap();
        assert!(flags.contains(&(*flag).into()), "{name}: {flags:?}");
        let out = binkit()
            .args([
                "sniff", "--json", "-q", "--check", "--allow", "image/*", "-",
            ])
            .write_stdin(bytes.clone())
            .output()
            .unwrap();
        let stdin: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(stdin[0]["flags"], reports[0]["flags"], "{name} on stdin");
    }
}

/// Issue 15: `--allow 'font/*'` rejected every TrueType font, named
/// `application/font-sfnt`; libmagic's name is `font/sfnt`, and OpenType
/// (`application/vnd.ms-opentype` to libmagic) is in the same group.
#[test]
fn font_globs_allow_truetype_and_opentype() {
    let dir = tempfile::tempdir().unwrap();
    let ttf = sample("font.ttf");
    put(dir.path(), "font.ttf", &ttf);
    let mut otf = ttf.clone();
    otf[..4].copy_from_slice(b"OTTO");
    put(dir.path(), "font.otf", &otf);
    for name in ["font.ttf", "font.otf"] {
        for allow in ["font/*", "font/ttf", "application/x-font-ttf", "*/sfnt"] {
            let (status, reports) = sniff_json(dir.path(), &["--check", "--allow", allow, name]);
            assert_eq!(status, 0, "{name} --allow {allow}: {reports:?}");
        }
    }
    let (_, reports) = sniff_json(dir.path(), &["font.ttf", "font.otf"]);
    assert_eq!(reports[0]["mime"], "font/sfnt");
    assert_eq!(reports[1]["mime"], "application/vnd.ms-opentype");
}

/// A ZIP of stored entries (`name`, bytes), as zip -0 writes one.
fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with_extra(entries, &[])
}

/// `stored_zip` with `extra` as every entry's central extra field.
fn zip_with_extra(entries: &[(&str, &[u8])], extra: &[u8]) -> Vec<u8> {
    let (mut out, mut dir) = (Vec::new(), Vec::new());
    for (name, data) in entries {
        let crc = crc32fast::hash(data);
        let at = out.len() as u32;
        let common = |sig: &[u8]| {
            let mut h = sig.to_vec();
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend([0; 4]); // flags, method: stored
            h.extend([0; 4]); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend([0; 2]); // extra length
            h
        };
        out.extend(common(b"PK\x03\x04"));
        out.extend(name.as_bytes());
        out.extend(*data);
        let mut central = b"PK\x01\x02\x14\x00".to_vec(); // made by
        let mut fields = common(b"");
        let len = fields.len();
        fields[len - 2..].copy_from_slice(&(extra.len() as u16).to_le_bytes());
        central.extend(&fields[..]);
        central.extend([0; 10]); // comment, disk, attributes
        central.extend(at.to_le_bytes());
        central.extend(name.as_bytes());
        central.extend(extra);
        dir.extend(central);
    }
    let (dir_at, n) = (out.len() as u32, entries.len() as u16);
    out.extend(&dir);
    out.extend(b"PK\x05\x06\0\0\0\0");
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend((dir.len() as u32).to_le_bytes());
    out.extend(dir_at.to_le_bytes());
    out.extend([0; 2]);
    out
}

/// Issue 15: containers judged by what they hold. Each case fails the
/// gate, with the flag named, as a file and on stdin.
#[test]
fn containers_are_judged_by_what_they_hold() {
    let docx = |extra: &[(&str, &[u8])]| {
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ];
        entries.extend_from_slice(extra);
        stored_zip(&entries)
    };
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(
        &mut zlib,
        b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>",
    )
    .unwrap();
    let mut packed_pdf =
        b"%PDF-1.5\n4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
            .to_vec();
    packed_pdf.extend(zlib.finish().unwrap());
    packed_pdf.extend(b"\nendstream\nendobj\n%%EOF\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(
        &mut gz,
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    )
    .unwrap();
    let svgz = gz.finish().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("invoice.docx", docx(&[("invoice.pdf.exe", b"MZ")]), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "executable"),
        ("script.docx", docx(&[("word/payload.vbs", b"x")]), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "executable"),
        ("macro.docx", docx(&[("word/vbaProject.bin", b"\xd0\xcf")]), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "macro"),
        ("slip.zip", stored_zip(&[("../../etc/cron.d/job", b"* * * * * root sh")]), "application/zip", "path-traversal"),
        // A JAR or an APK named .docx: the directory says what it is.
        ("report.docx", sample("library.jar"), "application/java-archive", "mismatch"),
        ("late.docx", stored_zip(&[("a.txt", b"a"), ("AndroidManifest.xml", b"x"), ("classes.dex", b"dex\n")]), "application/vnd.android.package-archive", "mismatch"),
        ("open.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n".to_vec(), "application/pdf", "script"),
        ("escaped.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (x) >> >> endobj\n".to_vec(), "application/pdf", "auto-action"),
        ("launch.pdf", b"%PDF-1.4\n1 0 obj << /AA << /O << /S /Launch /F (cmd.exe) >> >> >> endobj\n".to_vec(), "application/pdf", "launch"),
        ("attached.pdf", b"%PDF-1.4\n1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj\n".to_vec(), "application/pdf", "embedded-file"),
        ("packed.pdf", packed_pdf, "application/pdf", "script"),
        ("drawing.svgz", svgz, "application/gzip", "script"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, mime, flag) in &cases {
        let report = fails_the_gate(dir.path(), name, bytes, flag);
        assert_eq!(report["mime"], *mime, "{name}");
    }
    // A plain PDF, a page to open, and a clean document pass.
    put(
        dir.path(),
        "plain.pdf",
        b"%PDF-1.4\n1 0 obj << /OpenAction [3 0 R /Fit] >> endobj\n",
    );
    put(dir.path(), "letter.docx", &sample("letter.docx"));
    let (status, reports) = sniff_json(dir.path(), &["--check", "plain.pdf", "letter.docx"]);
    assert_eq!(status, 0, "{reports:?}");
    // --deny application/zip denies what is a ZIP inside; --allow
    // application/zip does not allow it silently.
    for (policy, status) in [("--deny", 1), ("--allow", 1)] {
        let (got, reports) = sniff_json(
            dir.path(),
            &["--check", policy, "application/zip", "letter.docx"],
        );
        assert_eq!(got, status, "{policy}: {reports:?}");
    }
}

/// Issue 15: `-L` under `--check` follows links inside the folder but not
/// out of it; a link out is itself a finding, even with --skip-special.
#[test]
fn follow_under_check_stays_inside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let up = dir.path().join("uploads");
    fs::create_dir(&up).unwrap();
    put(&up, "real.png", &sample("picture.png"));
    std::os::unix::fs::symlink("real.png", up.join("alias.png")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", up.join("avatar.png")).unwrap();
    std::os::unix::fs::symlink("../outside.png", up.join("sneaky.png")).unwrap();
    put(dir.path(), "outside.png", &sample("picture.png"));
    for extra in [&[][..], &["--skip-special"][..]] {
        let mut args = vec!["-r", "-L", "--check", "--allow", "image/*", "uploads"];
        args.extend(extra);
        let (status, reports) = sniff_json(dir.path(), &args);
        assert_eq!(status, 1, "{extra:?}: {reports:?}");
        let failed: Vec<&str> = reports
            .iter()
            .map(|r| r["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            failed,
            ["uploads/avatar.png", "uploads/sneaky.png"],
            "{extra:?}"
        );
        for report in &reports {
            assert_eq!(report["verdict"], "skipped");
            assert_eq!(report["flags"], serde_json::json!(["outside-tree"]));
        }
    }
    // Without --check, -L follows every link, as find -L does.
    let (_, reports) = sniff_json(dir.path(), &["-r", "-L", "uploads"]);
    assert!(
        reports.iter().all(|r| r["verdict"] != "skipped"),
        "{reports:?}"
    );
}

/// What the attacker and the new user found (issue 15), each as a file
/// and, with `--name`, on stdin: (name, bytes, the flag `--check` must
/// fail it with).
#[test]
fn helpers_findings_fail_the_gate() {
    let mut ls_be = fs::read("/bin/ls").unwrap_or_else(|_| sample("program.elf"));
    ls_be[5] = 2; // EI_DATA flipped: Linux still runs it
    let mut tiny_pe = vec![0u8; 1024];
    tiny_pe[..2].copy_from_slice(b"MZ");
    tiny_pe[12..16].copy_from_slice(b"PE\0\0");
    tiny_pe[16..18].copy_from_slice(&0x14cu16.to_le_bytes());
    tiny_pe[0x3c..0x40].copy_from_slice(&12u32.to_le_bytes());
    let mut pdf_zip = sample("picture.pdf");
    pdf_zip.extend(stored_zip(&[("evil.exe", b"MZ")]));
    pdf_zip.extend([0; 1000]);
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("ls_be", ls_be, "executable"),
        ("tiny.exe", tiny_pe, "executable"),
        ("poly.pdf", pdf_zip, "embedded-archive"),
        (
            "nul.html",
            b"<html><body>\0<script>alert(1)</script></body></html>".to_vec(),
            "script",
        ),
        (
            "img.html",
            b"<img src=x onerror=alert(1)>\n".to_vec(),
            "script",
        ),
        (
            "lead_ws.svg",
            [vec![b'\n'; 9000], svg.to_vec()].concat(),
            "script",
        ),
        (
            "long_comment.svg",
            [
                b"<!--".to_vec(),
                vec![b'x'; 9000],
                b"-->".to_vec(),
                svg.to_vec(),
            ]
            .concat(),
            "script",
        ),
        // An HTML page whose first lines look like CSV (rustdoc's do).
        (
            "page.html",
            [
                b"<!DOCTYPE html><html><head>a,b\n".to_vec(),
                b"c,d\nx,y\n".repeat(3),
                b"<script>alert(1)</script>".to_vec(),
                vec![b' '; 9000],
            ]
            .concat(),
            "script",
        ),
        // Text after "BM" is text to libmagic: a mismatch for its name.
        (
            "shell.bmp",
            b"BM<?php system($_GET['c']); ?>\n".to_vec(),
            "mismatch",
        ),
        (
            "pixels.bmp",
            [
                b"BM\x5a\0\0\0\0\0\0\0\x36\0\0\0".to_vec(),
                vec![0; 40],
                b"<?php system(1); ?>\n".to_vec(),
                vec![0; 17],
            ]
            .concat(),
            "hidden-code",
        ),
        (
            "shell.tif",
            b"II*\0<?php system($_GET['c']); ?>\n".to_vec(),
            "hidden-code",
        ),
        (
            "shell.webp",
            b"RIFF\x20\0\0\0WEBPVP8 <?php system(1); ?>\n".to_vec(),
            "hidden-code",
        ),
        (
            "invoice.pdf   .bat",
            b"@echo off\n".to_vec(),
            "double-extension",
        ),
        ("run.bat.", b"@echo off\n".to_vec(), "trailing-dot"),
        // The second attacker round.
        ("clean.bat", b"@echo off\r\ndel /q C:\\*\r\n".to_vec(), "executable"),
        ("upath.zip", zip_with_extra(&[("readme.txt", b"MZ")], &unicode_path("readme.txt", "evil.exe")), "executable"),
        ("dotted.zip", stored_zip(&[("evil.exe.", b"MZ")]), "executable"),
        ("junk.pdf", [&b"\x00\x01\x02junk\n"[..], b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"].concat(), "script"),
        ("link.pdf", b"%PDF-1.4\n1 0 obj << /A << /S /URI /URI (javascript:alert(1)) >> >> endobj\n".to_vec(), "script"),
        ("iso2022.html", b"<meta charset=\"ISO-2022-JP\"><scr\x1b(Bipt>alert(1)</scr\x1b(Bipt>".to_vec(), "script"),
        ("comment.gif", [&b"GIF89a<!--"[..], &sample("picture.gif")[10..]].concat(), "hidden-code"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, flag) in &cases {
        fails_the_gate(dir.path(), name, bytes, flag);
    }
}

/// `name` holding `bytes` fails `--check` with `flag` (or a `mismatch`
/// verdict), as a file in `dir` and on stdin with `--name`, with the same
/// type, verdict and flags both ways; the file's report.
fn fails_the_gate(dir: &Path, name: &str, bytes: &[u8], flag: &str) -> Value {
    put(dir, name, bytes);
    let (status, reports) = sniff_json(dir, &["--check", name]);
    assert_eq!(status, 1, "{name}: {reports:?}");
    if flag == "mismatch" {
        assert_eq!(reports[0]["verdict"], "mismatch", "{name}");
    } else {
        let flags = reports[0]["flags"].as_array().unwrap();
        assert!(flags.contains(&flag.into()), "{name}: {flags:?}");
    }
    let out = binkit()
        .args(["sniff", "--json", "-q", "--check", "--name", name, "-"])
        .write_stdin(bytes.to_vec())
        .output()
        .unwrap();
    let stdin: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{name} on stdin: {stdin:?}");
    for field in ["mime", "verdict", "flags"] {
        assert_eq!(
            stdin[0][field], reports[0][field],
            "{name} on stdin: {field}"
        );
    }
    reports[0].clone()
}

/// An Info-ZIP Unicode Path extra field (0x7075) naming `real` for an
/// entry named `plain`.
fn unicode_path(plain: &str, real: &str) -> Vec<u8> {
    let mut field = 0x7075u16.to_le_bytes().to_vec();
    field.extend(((5 + real.len()) as u16).to_le_bytes());
    field.push(1);
    field.extend(crc32fast::hash(plain.as_bytes()).to_le_bytes());
    field.extend(real.as_bytes());
    field
}

/// A PDF on stdin is read as far as a file is (the second attacker round:
/// script after 3 MiB was found in the file only).
#[test]
fn a_large_pdf_on_stdin_is_read_as_far_as_a_file() {
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Length 3145728 >>\nstream\n".to_vec();
    pdf.extend((0..3u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    pdf.extend(b"\nendstream\nendobj\n2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n");
    pdf.extend(vec![b'%'; 200_000]);
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "big.pdf", &pdf);
    let (status, reports) = sniff_json(dir.path(), &["--check", "big.pdf"]);
    assert_eq!(status, 1);
    let out = binkit()
        .args(["sniff", "--json", "-q", "--check", "--name", "big.pdf", "-"])
        .write_stdin(pdf)
        .output()
        .unwrap();
    let stdin: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdin[0]["flags"], reports[0]["flags"]);
}

/// What the new user found passing or failing wrongly (issue 15).
#[test]
fn new_user_findings_pass_or_fail_rightly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Text that starts like a short magic is text, as file says; named
    // .txt it is no mismatch.
    for (i, text) in [
        "BMW parts list\n",
        "ID3 tags first\n",
        "SQLite notes\n",
        "OggS pages\n",
    ]
    .iter()
    .enumerate()
    {
        let name = format!("note{i}.txt");
        put(d, &name, text.as_bytes());
        let (status, reports) = sniff_json(d, &["--check", "--allow", "text/*", &name]);
        assert_eq!(status, 0, "{text}: {reports:?}");
    }
    // A GNU ld script named as its library, and names whose inner dot is
    // no extension.
    put(
        d,
        "libc.so",
        b"/* GNU ld script\n   Use the shared library. */\nGROUP ( /lib/libc.so.6 )\n",
    );
    put(d, "apt.postgresql.org.sh", b"#!/bin/sh\necho hi\n");
    let (_, reports) = sniff_json(d, &["libc.so", "apt.postgresql.org.sh"]);
    assert_eq!(reports[0]["verdict"], "ok", "{reports:?}");
    assert_eq!(flags(&reports[1]), ["executable"], "{reports:?}");
    // `-h` is file's "no dereference", not help: refused, not exit 0.
    let out = binkit()
        .args(["sniff", "-h", "libc.so"])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // No paths and stdin on /dev/null (xargs with nothing found): refused.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("binkit"))
        .args(["sniff", "--check", "--deny", "image/gif"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    // A typo in a type is refused, with the type it was likely meant as.
    let out = binkit()
        .args(["sniff", "--deny", "application/x-exectuable", "libc.so"])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean application/x-executable?"),
        "{stderr}"
    );
    // Under --check, bytes binkit cannot recognise under a name that
    // claims a binary format fail; a text name may hold one byte (file:
    // "very short file", octet-stream) and passes.
    put(
        d,
        "photo.png",
        &[0x8f, 0x03, 0x11, 0xee, 0x00, 0x91, 0x42, 0x07],
    );
    put(d, "__init__.py", b"\n");
    let (status, reports) = sniff_json(d, &["--check", "photo.png"]);
    assert_eq!(status, 1, "{reports:?}");
    let (status, reports) = sniff_json(d, &["--check", "__init__.py"]);
    assert_eq!(status, 0, "{reports:?}");
    // A denied name fails whatever the bytes are: a .js file that reads
    // as plain text is JavaScript to a browser.
    put(d, "app.js", b"alert(1)\n");
    let (status, _) = sniff_json(d, &["--check", "--deny", "text/javascript", "app.js"]);
    assert_eq!(status, 1);
}

/// Issue 15's walk holes: inside a walked folder a symlink to
/// /etc/passwd named avatar.png and a FIFO each get a `skipped` line with
/// its reason, and fail `--check` (exit 1); the FIFO is never opened.
#[test]
fn a_symlink_and_a_fifo_in_a_walked_folder_fail_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let up = dir.path().join("up");
    fs::create_dir(&up).unwrap();
    put(&up, "ok.png", &sample("picture.png"));
    std::os::unix::fs::symlink("/etc/passwd", up.join("avatar.png")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(up.join("pipe.png"))
        .status()
        .unwrap()
        .success());
    let out = binkit()
        .current_dir(dir.path())
        .args([
            "sniff", "--json", "-q", "--check", "--allow", "image/*", "-r", "up",
        ])
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(&str, &str, &str)> = reports
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
                r["reasons"][0].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "up/avatar.png",
                "skipped",
                "not examined: a symlink to /etc/passwd"
            ),
            ("up/pipe.png", "skipped", "not examined: a FIFO"),
        ]
    );
}
