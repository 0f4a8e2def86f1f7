//! `binkit split` / `join` against GNU `split`, `sha256sum` and `md5sum`,
//! and a catalogue of hostile manifests.

use std::path::Path;

use serde_json::{json, Value};

use crate::support::{binkit, files_in, random_bytes, reference, run_tool};

const CHUNK: usize = 1000;

fn split_in(dir: &Path, data: &[u8], args: &[&str]) {
    std::fs::write(dir.join("data.bin"), data).unwrap();
    let mut all = vec!["split", "data.bin"];
    all.extend(args);
    binkit()
        .current_dir(dir)
        .args(&all)
        .assert()
        .success()
        .stdout("");
    std::fs::remove_file(dir.join("data.bin")).unwrap();
}

fn manifest(dir: &Path, base: &str) -> Value {
    let text = std::fs::read(dir.join(format!("{base}.manifest.json"))).unwrap();
    serde_json::from_slice(&text).unwrap()
}

/// Part files in order, as GNU split names sort.
fn part_files(dir: &Path, suffix: &str) -> Vec<Vec<u8>> {
    files_in(dir)
        .into_iter()
        .filter(|n| n.ends_with(suffix))
        .map(|n| std::fs::read(dir.join(n)).unwrap())
        .collect()
}

fn hex_digest(tool: &Path, data: &[u8], dir: &Path) -> String {
    let out = run_tool(tool, &[], data, dir);
    String::from_utf8(out)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn parts_match_gnu_split_and_join_restores_the_input() {
    let Some(split) = reference("split") else {
        return;
    };
    for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK + 500] {
        let data = random_bytes(len, len as u64);
        let ours = tempfile::tempdir().unwrap();
        split_in(ours.path(), &data, &["--size", "1000"]);
        let gnu = tempfile::tempdir().unwrap();
        run_tool(
            &split,
            &["-b", "1000", "-a", "5", "-", "gnu."],
            &data,
            gnu.path(),
        );
        assert_eq!(
            part_files(ours.path(), ".part"),
            part_files(gnu.path(), ""),
            "len={len}"
        );
        let out = tempfile::tempdir().unwrap();
        binkit()
            .current_dir(out.path())
            .arg("join")
            .arg(ours.path().join("data.bin.manifest.json"))
            .assert()
            .success();
        assert_eq!(
            std::fs::read(out.path().join("data.bin")).unwrap(),
            data,
            "len={len}"
        );
    }
}

#[test]
fn split_from_stdin_needs_a_name_and_round_trips() {
    let data = random_bytes(3 * CHUNK + 7, 5);
    let dir = tempfile::tempdir().unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["split", "--size", "1000"])
        .write_stdin(data.clone())
        .assert()
        .code(2)
        .stderr("binkit split: reading stdin: give the parts a --name\n");
    binkit()
        .current_dir(dir.path())
        .args(["split", "-", "--size", "1000", "--name", "s"])
        .write_stdin(data.clone())
        .assert()
        .success();
    assert_eq!(part_files(dir.path(), ".part").concat(), data);
    let out = binkit()
        .current_dir(dir.path())
        .args(["join", "s.manifest.json", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, data);
}

#[test]
fn manifest_hashes_match_sha256sum_and_md5sum() {
    let (Some(sha256sum), Some(md5sum), Some(xxd)) = (
        reference("sha256sum"),
        reference("md5sum"),
        reference("xxd"),
    ) else {
        return;
    };
    let data = random_bytes(4 * CHUNK + 123, 9);
    let dir = tempfile::tempdir().unwrap();
    split_in(
        dir.path(),
        &data,
        &["--size", "1000", "--dir", ".", "--md5"],
    );
    let m = manifest(dir.path(), "data.bin");
    assert_eq!(m["sha256"], hex_digest(&sha256sum, &data, dir.path()));
    let mut md5s = String::new();
    for (part, bytes) in m["parts"]
        .as_array()
        .unwrap()
        .iter()
        .zip(part_files(dir.path(), ".part"))
    {
        assert_eq!(part["sha256"], hex_digest(&sha256sum, &bytes, dir.path()));
        assert_eq!(part["md5"], hex_digest(&md5sum, &bytes, dir.path()));
        md5s.push_str(part["md5"].as_str().unwrap());
    }
    // S3's ETag: MD5 of the binary part MD5s (xxd -r -p turns hex into bytes), then -N.
    let binary = run_tool(&xxd, &["-r", "-p"], md5s.as_bytes(), dir.path());
    assert_eq!(
        m["s3_etag"],
        format!("{}-5", hex_digest(&md5sum, &binary, dir.path()))
    );
    assert_eq!(m["size"], data.len());
    assert_eq!(m["chunk_size"], 1000);
    // Issue 13: without --md5 or --s3 no MD5 is computed (the slowest hash
    // capped split's speed): no part md5, a null ETag, and join still works.
    let plain = tempfile::tempdir().unwrap();
    split_in(plain.path(), &data, &["--size", "1000", "--dir", "."]);
    let m = manifest(plain.path(), "data.bin");
    assert!(m["parts"][0].get("md5").is_none(), "{m}");
    assert!(m["s3_etag"].is_null());
    binkit()
        .current_dir(plain.path())
        .args(["join", "--check", "data.bin.manifest.json"])
        .assert()
        .success();
}

#[test]
fn parts_option_cuts_near_equal_parts() {
    let dir = tempfile::tempdir().unwrap();
    split_in(dir.path(), &random_bytes(10, 1), &["--parts", "4"]);
    let sizes: Vec<usize> = part_files(dir.path(), ".part")
        .iter()
        .map(Vec::len)
        .collect();
    // ceil(10 / 4) = 3: every part but the last has the chunk size.
    assert_eq!(sizes, [3, 3, 3, 1]);
}

#[test]
fn s3_rules_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d"), random_bytes(3000, 2)).unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["split", "d", "--size", "1000", "--s3"])
        .assert()
        .code(2)
        .stderr(
            "binkit split: --s3: parts must be 5 MiB to 5 GiB (all but the last), not 1000 bytes\n",
        );
    // One part may be small: S3 takes a single-part upload of any size.
    binkit()
        .current_dir(dir.path())
        .args(["split", "d", "--size", "5MiB", "--s3"])
        .assert()
        .success();
    assert_eq!(
        files_in(dir.path()),
        ["d", "d.00001.part", "d.manifest.json"]
    );
}

#[test]
fn existing_parts_are_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    split_in(dir.path(), &random_bytes(2500, 3), &["--size", "1000"]);
    std::fs::write(dir.path().join("data.bin"), b"new").unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["split", "data.bin", "--size", "1"])
        .assert()
        .code(2);
    assert_eq!(
        part_files(dir.path(), ".part").len(),
        3,
        "an old part was touched"
    );
    binkit()
        .current_dir(dir.path())
        .args(["split", "data.bin", "--size", "2", "-f"])
        .assert()
        .success();
}

#[test]
fn check_lists_every_damaged_part_and_join_refuses() {
    let dir = tempfile::tempdir().unwrap();
    split_in(dir.path(), &random_bytes(4500, 4), &["--size", "1000"]);
    let p = |i: u32| dir.path().join(format!("data.bin.0000{i}.part"));
    std::fs::remove_file(p(2)).unwrap();
    std::fs::write(p(3), random_bytes(999, 1)).unwrap();
    let mut corrupt = std::fs::read(p(4)).unwrap();
    corrupt[500] ^= 1;
    std::fs::write(p(4), corrupt).unwrap();
    let out = binkit()
        .current_dir(dir.path())
        .args(["join", "--check", "data.bin.manifest.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let words: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        words,
        ["ok", "missing", "short", "corrupt", "ok", "5"],
        "{text}"
    );
    binkit()
        .current_dir(dir.path())
        .args(["join", "data.bin.manifest.json", "-o", "out.bin"])
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("part 2 is missing")
                .and(predicates::str::contains("part 3 is short")),
        );
    assert!(!dir.path().join("out.bin").exists());
    // With only the corrupt part left, the join fails late: still no file.
    split_in(
        dir.path(),
        &random_bytes(4500, 4),
        &["--size", "1000", "-f"],
    );
    let mut corrupt = std::fs::read(p(4)).unwrap();
    corrupt[0] ^= 0x80;
    std::fs::write(p(4), corrupt).unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["join", "data.bin.manifest.json", "-o", "out.bin"])
        .assert()
        .code(2)
        .stderr("binkit join: part 4 is corrupt: its SHA-256 does not match the manifest ('data.bin.manifest.json')\n");
    assert!(!files_in(dir.path())
        .iter()
        .any(|f| f.starts_with("out.bin") || f.starts_with(".tmp")));
}

use predicates::prelude::PredicateBooleanExt;

/// A valid three-part split, with its manifest as JSON to mangle.
fn valid_split() -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    split_in(dir.path(), &random_bytes(2500, 11), &["--size", "1000"]);
    let m = manifest(dir.path(), "data.bin");
    (dir, m)
}

/// Writes `m` as the manifest, joins into an empty directory, and checks
/// exit 2, the message, and that nothing was written.
fn refused(dir: &Path, m: &[u8], message: &str) {
    std::fs::write(dir.join("evil.manifest.json"), m).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let before = files_in(dir);
    for target in ["-o", ""] {
        let mut cmd = binkit();
        cmd.current_dir(out_dir.path())
            .arg("join")
            .arg(dir.join("evil.manifest.json"));
        if !target.is_empty() {
            cmd.args(["-o", "joined.bin"]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{message}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(message),
            "expected {message:?} in {stderr:?}"
        );
        assert_eq!(stderr.lines().count(), 1);
        assert!(
            files_in(out_dir.path()).is_empty(),
            "{message}: wrote {:?}",
            files_in(out_dir.path())
        );
        assert_eq!(
            files_in(dir),
            before,
            "{message}: wrote next to the manifest"
        );
    }
}

fn mangled(edit: impl FnOnce(&mut Value)) -> (tempfile::TempDir, Vec<u8>) {
    let (dir, mut m) = valid_split();
    edit(&mut m);
    (dir, serde_json::to_vec(&m).unwrap())
}

#[test]
fn hostile_manifests_are_refused_before_anything_is_written() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "traversal",
            |m| m["parts"][0]["file"] = json!("../data.bin.00001.part"),
            "contains a directory separator",
        ),
        (
            "deep traversal",
            |m| m["parts"][1]["file"] = json!("../../../../etc/passwd"),
            "contains a directory separator",
        ),
        (
            "absolute path",
            |m| m["parts"][0]["file"] = json!("/etc/passwd"),
            "contains a directory separator",
        ),
        (
            "subdirectory",
            |m| m["parts"][0]["file"] = json!("sub/data.bin.00001.part"),
            "contains a directory separator",
        ),
        (
            "backslash",
            |m| m["parts"][0]["file"] = json!("..\\..\\etc\\passwd"),
            "contains a backslash",
        ),
        (
            "drive prefix",
            |m| m["parts"][0]["file"] = json!("C:evil"),
            "drive prefix",
        ),
        (
            "nul byte",
            |m| m["parts"][0]["file"] = json!("data.bin.00001.part\u{0}.x"),
            "NUL byte",
        ),
        (
            "control character",
            |m| m["parts"][0]["file"] = json!("a\u{1b}[2Jb"),
            "control character",
        ),
        (
            "empty name",
            |m| m["parts"][0]["file"] = json!(""),
            "empty file name",
        ),
        (
            "dot name",
            |m| m["parts"][0]["file"] = json!(".."),
            "climbs out",
        ),
        (
            "traversal in the output name",
            |m| m["name"] = json!("../escaped.bin"),
            "name \"../escaped.bin\"",
        ),
        (
            "duplicate index",
            |m| m["parts"][1]["index"] = json!(1),
            "part 2 is listed with index 1",
        ),
        (
            "reordered parts",
            |m| m["parts"].as_array_mut().unwrap().swap(0, 1),
            "part 1 is listed with index 2",
        ),
        (
            "duplicate file",
            |m| m["parts"][1]["file"] = m["parts"][0]["file"].clone(),
            "is listed twice",
        ),
        (
            "size lie",
            |m| m["size"] = json!(2600),
            "parts add up to 2500 bytes, but size is 2600",
        ),
        (
            "part bigger than chunk",
            |m| m["parts"][0]["size"] = json!(1001),
            "part 1 claims 1001 bytes",
        ),
        (
            "sizes do not add up",
            |m| {
                m["size"] = json!(2999);
                m["parts"][2]["size"] = json!(1000);
            },
            "add up to 3000",
        ),
        (
            "huge claims",
            |m| {
                m["size"] = json!(u64::MAX);
                m["chunk_size"] = json!(1u64 << 62);
            },
            "make 4 parts, but 3 are listed",
        ),
        (
            "negative size",
            |m| m["size"] = json!(-1),
            "invalid manifest",
        ),
        (
            "zero chunk",
            |m| m["chunk_size"] = json!(0),
            "chunk_size is 0",
        ),
        (
            "wrong version",
            |m| m["version"] = json!(2),
            "manifest version 2 is not supported",
        ),
        (
            "wrong format",
            |m| m["format"] = json!("other"),
            "not a binkit split manifest",
        ),
        (
            "unknown field",
            |m| m["extra"] = json!(true),
            "unknown field",
        ),
        (
            "bad hash",
            |m| m["parts"][0]["sha256"] = json!("xyz"),
            "part 1 sha256 is not 64 lower-case hex digits",
        ),
        (
            "etag lie",
            |m| m["s3_etag"] = json!("00000000000000000000000000000000-3"),
            "s3_etag does not match",
        ),
        (
            "wrong part hash",
            |m| m["parts"][2]["sha256"] = json!("0".repeat(64)),
            "part 3 is corrupt",
        ),
        (
            "wrong whole hash",
            |m| m["sha256"] = json!("0".repeat(64)),
            "SHA-256 does not match the manifest",
        ),
    ];
    for (what, edit, message) in cases {
        let (dir, bytes) = mangled(edit);
        eprintln!("case: {what}");
        refused(dir.path(), &bytes, message);
    }
}

#[test]
fn truncated_and_oversized_json_is_refused() {
    let (dir, m) = valid_split();
    let text = serde_json::to_vec(&m).unwrap();
    refused(
        dir.path(),
        &text[..text.len() / 2],
        "invalid manifest: manifest is not valid",
    );
    refused(dir.path(), b"", "invalid manifest");
}

#[test]
fn symlinked_parts_are_refused() {
    // A part replaced by a link to /etc/passwd, and a manifest naming a link.
    let (dir, m) = valid_split();
    let part = dir.path().join("data.bin.00002.part");
    std::fs::remove_file(&part).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &part).unwrap();
    refused(
        dir.path(),
        &serde_json::to_vec(&m).unwrap(),
        "symlink that leads outside",
    );
    let (dir, mut m) = valid_split();
    std::os::unix::fs::symlink("data.bin.00001.part", dir.path().join("alias")).unwrap();
    m["parts"][0]["file"] = json!("alias");
    refused(
        dir.path(),
        &serde_json::to_vec(&m).unwrap(),
        "part 1 is not a regular file",
    );
}

#[test]
fn a_fifo_part_is_never_opened() {
    let (dir, m) = valid_split();
    let part = dir.path().join("data.bin.00003.part");
    std::fs::remove_file(&part).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&part)
        .status()
        .unwrap();
    assert!(status.success());
    refused(
        dir.path(),
        &serde_json::to_vec(&m).unwrap(),
        "part 3 is not a regular file",
    );
}

/// Issue 12: when the manifest could not be written (its path a directory),
/// every part had already been renamed into place. Now nothing appears.
#[test]
fn issue_12_no_parts_appear_when_the_manifest_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("data"), vec![7u8; 10_000]).unwrap();
    std::fs::create_dir_all(p.join("out/data.manifest.json")).unwrap();
    let out = binkit()
        .current_dir(p)
        .args(["split", "data", "-s", "1000", "--dir", "out", "-f"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("output is a directory"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(p.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["data.manifest.json"], "no part, no temp file");
}

/// Issue 12: `--size 1` on a 100,001-byte file wrote parts for minutes
/// before failing on a part count known from the start.
#[test]
fn issue_12_a_part_count_known_at_the_start_is_checked_at_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("data"), vec![7u8; 100_001]).unwrap();
    let out = binkit()
        .current_dir(p)
        .args(["split", "data", "-s", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("100001 parts of 1 bytes is more than 100000"));
    assert_eq!(std::fs::read_dir(p).unwrap().count(), 1, "nothing written");
}

/// Issue 13: GNU split's habits. `-d` was binkit's `--dir` and took the
/// input file as the directory; in GNU it asks for numeric suffixes, so it
/// is refused with that meaning named. `-b SIZE` is GNU's size flag and
/// cuts the same bytes as `split -b` (compared part by part); `--dir` is
/// made when missing.
#[test]
fn split_takes_gnu_habits_or_names_the_difference() {
    let Some(split) = reference("split") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("data"), random_bytes(10_000, 3)).unwrap();
    binkit()
        .current_dir(p)
        .args(["split", "-d", "-b", "1000", "data"])
        .assert()
        .code(2)
        .stderr("binkit split: -d is not binkit's: in GNU split it asks for numeric suffixes, and binkit's parts are always numbered (NAME.00001.part); the directory is --dir (see 'binkit split --help')\n");
    // Alone too (clap asked for a size, with an empty list of what was missing).
    binkit()
        .current_dir(p)
        .args(["split", "-d"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("-d is not binkit's"));
    // GNU reads `b` as 512-byte blocks: -b 2b cuts 1024-byte parts.
    std::fs::create_dir(p.join("blocks")).unwrap();
    run_tool(
        &split,
        &["-b", "2b", "../data", "x"],
        b"",
        &p.join("blocks"),
    );
    binkit()
        .current_dir(p)
        .args(["split", "-b", "2b", "--dir", "ours", "data", "-q"])
        .assert()
        .success();
    let gnu: Vec<u64> = files_in(&p.join("blocks"))
        .iter()
        .map(|n| std::fs::metadata(p.join("blocks").join(n)).unwrap().len())
        .collect();
    let ours: Vec<u64> = (1..=gnu.len())
        .map(|k| {
            std::fs::metadata(p.join(format!("ours/data.{k:05}.part")))
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!((ours, gnu.len()), (gnu.clone(), 10));
    binkit()
        .current_dir(p)
        .args(["split", "-b", "3000", "--dir", "new/parts", "data", "-q"])
        .assert()
        .success();
    std::fs::create_dir(p.join("gnu")).unwrap();
    run_tool(&split, &["-b", "3000", "../data", "x"], b"", &p.join("gnu"));
    let gnu = files_in(&p.join("gnu"));
    assert_eq!(gnu.len(), 4);
    for (k, name) in gnu.iter().enumerate() {
        let ours = std::fs::read(p.join(format!("new/parts/data.{:05}.part", k + 1))).unwrap();
        assert_eq!(
            ours,
            std::fs::read(p.join("gnu").join(name)).unwrap(),
            "part {k}"
        );
    }
}

/// Issue 13: `join` named the missing and short parts but not the corrupt
/// one in the same run, so a second round of sending was needed. Now one
/// run names every bad part; `--check --json` gives CI one object. Part 2
/// is removed, part 4 has a byte changed (same size: only its SHA-256 can
/// tell), part 5 is cut to 100 bytes.
#[test]
fn join_names_every_bad_part_at_once_and_check_speaks_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("d"), random_bytes(50_000, 21)).unwrap();
    binkit()
        .current_dir(p)
        .args(["split", "d", "-s", "10000", "-q"])
        .assert()
        .success();
    std::fs::remove_file(p.join("d.00002.part")).unwrap();
    let mut four = std::fs::read(p.join("d.00004.part")).unwrap();
    four[5] ^= 0xff;
    std::fs::write(p.join("d.00004.part"), four).unwrap();
    let five = std::fs::read(p.join("d.00005.part")).unwrap();
    std::fs::write(p.join("d.00005.part"), &five[..100]).unwrap();
    binkit()
        .current_dir(p)
        .args(["join", "d.manifest.json", "-o", "out"])
        .assert()
        .code(2)
        .stderr("binkit join: cannot join: part 2 is missing (./d.00002.part), part 4 is corrupt (./d.00004.part), part 5 is short (./d.00005.part, 100 of 10000 bytes) ('d.manifest.json')\n");
    assert!(!p.join("out").exists());
    let out = binkit()
        .current_dir(p)
        .args(["join", "--check", "--json", "d.manifest.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["bad"], 3);
    let status: Vec<&str> = report["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["ok", "missing", "ok", "corrupt", "short"]);
    assert_eq!(report["parts"][4]["found_size"], 100);
    assert_eq!(report["parts"][0]["file"], "./d.00001.part");
}

/// Issue 13: GNU split's letters binkit lacks are refused with GNU's
/// meaning named, not a bare "unexpected argument"; `-n N` among them,
/// since GNU's part sizes (size/N, the remainder in the last: 3, 3, 4 for
/// 10 bytes in 3) differ from binkit's `--parts` (4, 4, 2). `--bytes` is
/// GNU's long `-b`. gzip's `-a` (--ascii) likewise.
#[test]
fn gnu_split_and_gzip_letters_binkit_lacks_are_named() {
    let Some(split) = reference("split") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("ten"), b"0123456789").unwrap();
    std::fs::create_dir(p.join("gnu")).unwrap();
    run_tool(&split, &["-n", "3", "../ten"], b"", &p.join("gnu"));
    let sizes: Vec<u64> = files_in(&p.join("gnu"))
        .iter()
        .map(|n| std::fs::metadata(p.join("gnu").join(n)).unwrap().len())
        .collect();
    assert_eq!(sizes, [3, 3, 4], "GNU's -n sizes, as the message says");
    for (args, line) in [
        (&["split", "-n", "3", "ten"][..], "binkit split: -n is not binkit's: GNU's N files of size/N bytes, the remainder in the last; binkit's --parts N cuts parts of size/N bytes rounded up, the last smaller (see 'binkit split --help')"),
        (&["split", "-l", "10", "ten"], "binkit split: -l is not binkit's: GNU's lines per file; binkit cuts byte counts (-b) (see 'binkit split --help')"),
        (&["split", "--lines=5", "ten"], "binkit split: --lines is not binkit's: GNU's -l; binkit cuts byte counts (-b) (see 'binkit split --help')"),
        (&["split", "-a3", "-b", "4", "ten"], "binkit split: -a3 is not binkit's: GNU's suffix length; binkit numbers parts NAME.00001.part, as wide as needed (see 'binkit split --help')"),
        // GNU: split [FILE [PREFIX]]; binkit's parts are NAME.00001.part.
        (&["split", "ten", "part_", "-b", "4"], "binkit split: PREFIX 'part_' is GNU split's start of part names (PREFIXaa, PREFIXab, ...); binkit names parts NAME.00001.part: --name NAME"),
        (&["gzip", "-a", "ten"], "binkit gzip: -a is not binkit's: gzip's --ascii, end-of-line conversion (a no-op on Unix); binkit keeps bytes as they are (see 'binkit gzip --help')"),
    ] {
        binkit().current_dir(p).args(args).assert().code(2).stderr(format!("{line}\n"));
    }
    binkit()
        .current_dir(p)
        .args(["split", "--bytes=4", "ten", "-q"])
        .assert()
        .success();
    assert_eq!(std::fs::read(p.join("ten.00003.part")).unwrap(), b"89");
}

/// The attack on issue 12's fixes: `join -f` let a manifest whose `name` is
/// one of its own parts (or the manifest itself) replace that input, exit
/// 0; `-o` onto a part likewise. Refused now, -f or not. And `join --check
/// >&-` exited 0 with its report lost; now EBADF, exit 2.
#[test]
fn join_never_replaces_its_own_inputs_and_check_needs_its_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("f.bin"), random_bytes(30_000, 5)).unwrap();
    binkit()
        .current_dir(p)
        .args(["split", "f.bin", "-s", "10000", "-q"])
        .assert()
        .success();
    let part1 = std::fs::read(p.join("f.bin.00001.part")).unwrap();
    let text = std::fs::read_to_string(p.join("f.bin.manifest.json")).unwrap();
    for (name, what) in [("f.bin.00001.part", "part 1"), ("x.json", "the manifest")] {
        let hostile = text.replacen("\"name\": \"f.bin\"", &format!("\"name\": \"{name}\""), 1);
        assert_ne!(hostile, text);
        std::fs::write(p.join("x.json"), &hostile).unwrap();
        binkit()
            .current_dir(p)
            .args(["join", "-f", "x.json"])
            .assert()
            .code(2)
            .stderr(format!(
                "binkit join: the output would replace {what}, an input of the join ('./{name}')\n"
            ));
    }
    binkit()
        .current_dir(p)
        .args([
            "join",
            "-f",
            "-o",
            "f.bin.00002.part",
            "f.bin.manifest.json",
        ])
        .assert()
        .code(2);
    assert_eq!(std::fs::read(p.join("f.bin.00001.part")).unwrap(), part1);
    let out = crate::support::sh(p, "exec \"$1\" join --check f.bin.manifest.json >&-");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

/// The attack on issue 12's fixes: `join -o -` verified every part, then
/// opened them again to copy, so a part swapped in between (a new file
/// renamed over it) reached stdout unverified. Now a part that is not the
/// file verified (inode, size, ctime) stops the join before its bytes. The
/// copy blocks on a pipe nobody reads yet while part 3 is swapped; either
/// way (swapped before or after the verifying pass) no byte of the swapped
/// part may come out, and the status is 2.
#[test]
fn join_to_stdout_never_copies_a_part_swapped_after_verification() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("g.bin"), random_bytes(3 << 20, 8)).unwrap();
    binkit()
        .current_dir(p)
        .args(["split", "g.bin", "-s", "1MiB", "-q"])
        .assert()
        .success();
    let mut evil = std::fs::read(p.join("g.bin.00003.part")).unwrap();
    evil[1000..1004].copy_from_slice(b"EVIL");
    std::fs::write(p.join("evil"), &evil).unwrap();
    let mut child = crate::support::spawn_binkit(&["join", "-o", "-", "g.bin.manifest.json"], p);
    drop(child.stdin.take());
    std::thread::sleep(std::time::Duration::from_secs(2));
    std::fs::rename(p.join("evil"), p.join("g.bin.00003.part")).unwrap();
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !stdout.windows(4).any(|w| w == b"EVIL"),
        "the swapped part reached stdout"
    );
    assert!(stdout.len() <= 2 << 20, "{} bytes", stdout.len());
}
