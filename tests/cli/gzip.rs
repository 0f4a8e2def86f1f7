//! The gzip decoder (`binkit::gzip`) and `binkit gzip` against GNU gzip
//! and pigz: their output, our output, and damage.

use std::io::Write;

use binkit::gzip::{Gunzip, Limits};
use binkit::io::{pump_with, Stage};
use binkit::Corruption;

use crate::support::{random_bytes, reference, run_tool};

/// Decodes `gz` with writes of `buf` bytes; the error's text and offset.
fn gunzip(gz: &[u8], buf: usize, limits: Limits) -> Result<Vec<u8>, (String, u64)> {
    let mut stage = Gunzip::new(Vec::new(), limits);
    let pumped = pump_with(&mut &gz[..], &mut stage, &mut vec![0; buf]);
    let result = match pumped {
        Ok(_) => stage.finish(),
        Err(binkit::io::PumpError::Write(e) | binkit::io::PumpError::Read(e)) => Err(e),
    };
    result.map_err(|e| {
        let c = Corruption::find(&e).unwrap_or_else(|| panic!("not a corruption: {e}"));
        (c.what.clone(), c.offset)
    })
}

fn log_like(len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0u64;
    while out.len() < len {
        writeln!(
            out,
            "2026-11-27T05:51:{:02} web01 app[{}]: level=info msg=\"request {i}\" ms={}",
            i % 60,
            1000 + i % 7,
            i * 37 % 1000
        )
        .unwrap();
        i += 1;
    }
    out.truncate(len);
    out
}

#[test]
fn decodes_every_gzip_level_and_concatenated_members() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in [
        ("text", log_like(300_000)),
        ("random", random_bytes(100_000, 1)),
        ("empty", vec![]),
    ] {
        for level in 1..=9 {
            let gz = run_tool(&gzip, &[&format!("-{level}"), "-c"], &data, dir.path());
            for buf in [1 << 16, 7] {
                if buf == 7 && level % 4 != 1 {
                    continue;
                }
                assert_eq!(
                    gunzip(&gz, buf, Limits::default()),
                    Ok(data.clone()),
                    "{name} -{level} buf={buf}"
                );
            }
        }
        let a = run_tool(&gzip, &["-c"], &data, dir.path());
        let b = run_tool(&gzip, &["-c", "-n"], b"second member\n", dir.path());
        let both = [a.clone(), b, a].concat();
        let expected = [data.clone(), b"second member\n".to_vec(), data.clone()].concat();
        assert_eq!(
            gunzip(&both, 4096, Limits::default()),
            Ok(expected),
            "{name} members"
        );
    }
}

#[test]
fn trailing_zeros_pass_and_garbage_fails_like_gzip() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let gz = run_tool(&gzip, &["-c"], b"hello\n", dir.path());
    let padded = [gz.clone(), vec![0; 512]].concat();
    assert_eq!(
        gunzip(&padded, 100, Limits::default()),
        Ok(b"hello\n".to_vec())
    );
    let garbage = [gz.clone(), b"junk".to_vec()].concat();
    assert_eq!(
        gunzip(&garbage, 100, Limits::default()),
        Err((
            "trailing garbage after the last member".into(),
            gz.len() as u64
        ))
    );
    let ignore = Limits {
        ignore_trailing: true,
        ..Limits::default()
    };
    assert_eq!(gunzip(&garbage, 100, ignore), Ok(b"hello\n".to_vec()));
    // Garbage that starts like a magic number (0x1f) is judged the same
    // whatever the write size (found by fuzzing: it once depended on it).
    for tail in [&b"\x1fjunk"[..], b"\x1f"] {
        let data = [gz.clone(), tail.to_vec()].concat();
        for buf in [1, 2, 100] {
            assert_eq!(
                gunzip(&data, buf, Limits::default()),
                Err((
                    "trailing garbage after the last member".into(),
                    gz.len() as u64
                )),
                "{tail:?} buf={buf}"
            );
            assert_eq!(gunzip(&data, buf, ignore), Ok(b"hello\n".to_vec()));
        }
    }
    let member_after_padding = [gz.clone(), vec![0; 3], gz.clone()].concat();
    assert!(gunzip(&member_after_padding, 100, Limits::default()).is_err());
}

#[test]
fn damage_is_caught_where_gzip_t_catches_it() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = log_like(50_000);
    let gz = run_tool(&gzip, &["-c", "-n"], &data, dir.path());
    let gzip_t_fails = |bytes: &[u8]| {
        let out = assert_cmd::Command::new(&gzip)
            .args(["-t"])
            .write_stdin(bytes.to_vec())
            .output()
            .unwrap();
        !out.status.success()
    };
    let n = gz.len();
    let mut damaged: Vec<(String, Vec<u8>)> = vec![];
    for cut in [1, 5, 10, 11, n / 2, n - 8, n - 4, n - 1] {
        damaged.push((format!("truncated at {cut}"), gz[..cut].to_vec()));
    }
    let mut crc = gz.clone();
    crc[n - 6] ^= 0xff;
    damaged.push(("flipped CRC byte".into(), crc));
    let mut len = gz.clone();
    len[n - 2] ^= 0x01;
    damaged.push(("flipped ISIZE byte".into(), len));
    let mut data_byte = gz.clone();
    data_byte[n / 3] ^= 0x20;
    damaged.push(("flipped data byte".into(), data_byte));
    damaged.push((
        "garbage appended".into(),
        [gz.clone(), b"garbage".to_vec()].concat(),
    ));
    assert!(!gzip_t_fails(&gz));
    binkit()
        .args(["gzip", "-t"])
        .write_stdin(gz.clone())
        .assert()
        .success();
    for (what, bytes) in damaged {
        assert!(gzip_t_fails(&bytes), "gzip -t accepts {what}");
        let ours = gunzip(&bytes, 4096, Limits::default());
        assert!(ours.is_err(), "binkit accepts {what}");
        binkit()
            .args(["gzip", "-t"])
            .write_stdin(bytes)
            .assert()
            .code(2);
    }
    // The CRC error names the trailer's offset.
    let mut crc = gz.clone();
    crc[n - 6] ^= 0xff;
    assert_eq!(
        gunzip(&crc, 4096, Limits::default()),
        Err(("CRC-32 does not match the data".into(), (n - 8) as u64))
    );
}

#[test]
fn bombs_stop_before_the_limit() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 8 << 20];
    let gz = run_tool(&gzip, &["-9", "-c"], &zeros, dir.path());
    let capped = Limits {
        max_output: Some(1 << 20),
        ..Limits::default()
    };
    let (what, _) = gunzip(&gz, 1 << 16, capped).unwrap_err();
    assert!(what.contains("--max-output 1048576"), "{what}");
    let ratio = Limits {
        max_ratio: Some(100),
        ..Limits::default()
    };
    assert!(gunzip(&gz, 1 << 16, ratio)
        .unwrap_err()
        .0
        .contains("--max-ratio"));
    let roomy = Limits {
        max_output: Some(8 << 20),
        max_ratio: Some(2000),
        ..Limits::default()
    };
    assert_eq!(gunzip(&gz, 1 << 16, roomy).map(|v| v.len()), Ok(8 << 20));
    // The command: exit 2, no output file, and on stdout never more than
    // the limit.
    std::fs::write(dir.path().join("bomb.gz"), &gz).unwrap();
    for flag in [&["--max-output", "1MiB"][..], &["--max-ratio", "100"]] {
        binkit()
            .current_dir(dir.path())
            .args(["gzip", "-d", "bomb.gz"])
            .args(flag)
            .assert()
            .code(2);
        assert_eq!(files_in(dir.path()), ["bomb.gz"], "{flag:?}");
    }
    let out = binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "-c", "--max-output", "1MiB", "bomb.gz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.len() <= 1 << 20, "{} bytes", out.stdout.len());
}

#[test]
fn not_gzip_and_empty_input_are_errors() {
    assert_eq!(
        gunzip(b"", 10, Limits::default()).unwrap_err().0,
        "empty input: no gzip member"
    );
    assert_eq!(
        gunzip(b"PK\x03\x04", 10, Limits::default()).unwrap_err(),
        ("not gzip data (bad magic)".into(), 0)
    );
}

use crate::support::{binkit, files_in};

#[test]
fn gzip_d_reads_what_binkit_writes_and_back() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pigz = reference("pigz");
    // Mixed: random stretches are stored, text between them compressed
    // with the text before the stored bytes as its history.
    let mixed = [
        log_like(300_000),
        random_bytes(300_000, 5),
        log_like(200_001),
        random_bytes(140_000, 6),
        log_like(100_000),
    ]
    .concat();
    for data in [log_like(700_000), random_bytes(300_000, 4), mixed, vec![]] {
        for level in ["-1", "-6", "-9", "--fast", "--best"] {
            for threads in ["1", "2", "3"] {
                let ours = binkit()
                    .args(["gzip", "-c", level, "--threads", threads])
                    .write_stdin(data.clone())
                    .output()
                    .unwrap();
                assert!(ours.status.success());
                let what = format!("{level} --threads {threads}, {} bytes", data.len());
                assert_eq!(
                    run_tool(&gzip, &["-d", "-c"], &ours.stdout, dir.path()),
                    data,
                    "gzip -d: {what}"
                );
                if let Some(pigz) = &pigz {
                    assert_eq!(
                        run_tool(pigz, &["-d", "-c"], &ours.stdout, dir.path()),
                        data,
                        "pigz -d: {what}"
                    );
                }
            }
        }
        let theirs = run_tool(&gzip, &["-c"], &data, dir.path());
        let back = binkit()
            .args(["gzip", "-d", "-c"])
            .write_stdin(theirs)
            .output()
            .unwrap();
        assert_eq!(back.stdout, data);
    }
    // Any number of threads makes one member: `gzip -l` reports the size
    // of the last member only, so it equals the input's only then.
    let text = log_like(600_000);
    for threads in ["1", "2", "4"] {
        let ours = binkit()
            .args(["gzip", "-c", "--threads", threads])
            .write_stdin(text.clone())
            .output()
            .unwrap()
            .stdout;
        let listed = run_tool(&gzip, &["-l"], &ours, dir.path());
        let listed = String::from_utf8(listed).unwrap();
        let uncompressed = listed
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap();
        assert_eq!(uncompressed, text.len().to_string(), "--threads {threads}");
    }
    // -6 is the default, and it compresses text about as well as gzip -6.
    let text = log_like(1 << 20);
    let ours = binkit()
        .args(["gzip"])
        .write_stdin(text.clone())
        .output()
        .unwrap()
        .stdout;
    let theirs = run_tool(&gzip, &["-6", "-c"], &text, dir.path());
    assert!(
        ours.len() * 100 <= theirs.len() * 102,
        "binkit {} vs gzip {} bytes",
        ours.len(),
        theirs.len()
    );
}

#[test]
fn binkit_reads_what_pigz_writes() {
    let Some(pigz) = reference("pigz") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Larger than pigz's 128 KiB blocks, so its output has several.
    let data = [log_like(600_000), random_bytes(200_000, 9)].concat();
    let mut variants: Vec<Vec<String>> = (1..=9)
        .map(|level| vec!["-c".into(), "-p".into(), "2".into(), format!("-{level}")])
        .collect();
    // -i: independent blocks; -b 32: small blocks; -p 1: one thread.
    for extra in [&["-i"][..], &["-b", "32", "-p", "3"], &["-p", "1", "-N"]] {
        variants.push(["-c"].iter().chain(extra).map(|s| s.to_string()).collect());
    }
    for args in variants {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let theirs = run_tool(&pigz, &args, &data, dir.path());
        let ours = binkit()
            .args(["gzip", "-d", "-c"])
            .write_stdin(theirs.clone())
            .output()
            .unwrap();
        assert!(ours.status.success(), "pigz {args:?}");
        assert_eq!(ours.stdout, data, "pigz {args:?}");
    }
    // Members from pigz and binkit, concatenated.
    let ours = binkit()
        .args(["gzip", "-c", "--threads", "2"])
        .write_stdin(data.clone())
        .output()
        .unwrap()
        .stdout;
    let theirs = run_tool(&pigz, &["-c"], b"pigz member\n", dir.path());
    let both = [ours, theirs].concat();
    let back = binkit()
        .args(["gzip", "-d", "-c"])
        .write_stdin(both)
        .output()
        .unwrap();
    assert_eq!(back.stdout, [data, b"pigz member\n".to_vec()].concat());
}

#[test]
fn decompression_reads_and_writes_on_threads_of_its_own() {
    // While binkit waits for more input on a pipe, /proc shows its
    // threads: the inflating one, a reader and a writer.
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let gz = run_tool(&gzip, &["-c"], &log_like(2_000_000), dir.path());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("binkit"))
        .args(["gzip", "-d", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&gz[..gz.len() / 2]).unwrap();
    let tasks = format!("/proc/{}/task", child.id());
    let mut threads = 0;
    for _ in 0..100 {
        threads = std::fs::read_dir(&tasks).unwrap().count();
        if threads >= 3 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut child.stdout.take().unwrap(), &mut out).unwrap();
        (child.wait().unwrap(), out)
    });
    stdin.write_all(&gz[gz.len() / 2..]).unwrap();
    drop(stdin);
    let (status, out) = reader.join().unwrap();
    assert!(status.success());
    assert_eq!(out, log_like(2_000_000));
    assert!(threads >= 3, "{threads} threads");
}

#[test]
fn files_are_replaced_only_after_success() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = log_like(100_000);
    std::fs::write(dir.path().join("app.log"), &data).unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["gzip", "app.log"])
        .assert()
        .success();
    assert_eq!(files_in(dir.path()), ["app.log.gz"]);
    assert_eq!(
        run_tool(&gzip, &["-d", "-c", "app.log.gz"], b"", dir.path()),
        data
    );
    binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "-k", "app.log.gz"])
        .assert()
        .success();
    assert_eq!(files_in(dir.path()), ["app.log", "app.log.gz"]);
    assert_eq!(std::fs::read(dir.path().join("app.log")).unwrap(), data);
    // An existing output needs -f; nothing is removed meanwhile.
    binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "app.log.gz"])
        .assert()
        .code(2);
    assert_eq!(files_in(dir.path()), ["app.log", "app.log.gz"]);
    // With -f it is replaced.
    std::fs::write(dir.path().join("app.log"), b"stale").unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "-k", "-f", "app.log.gz"])
        .assert()
        .success();
    assert_eq!(std::fs::read(dir.path().join("app.log")).unwrap(), data);
    std::fs::remove_file(dir.path().join("app.log")).unwrap();
    // A late failure (bad CRC) leaves the input and no output.
    let mut gz = std::fs::read(dir.path().join("app.log.gz")).unwrap();
    let n = gz.len();
    gz[n - 7] ^= 0x55;
    std::fs::write(dir.path().join("app.log.gz"), &gz).unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "app.log.gz"])
        .assert()
        .code(2)
        .stderr(format!(
            "binkit gzip: CRC-32 does not match the data ('app.log.gz', at byte {})\n",
            n - 8
        ));
    assert_eq!(files_in(dir.path()), ["app.log.gz"]);
    // .tgz becomes .tar; other names are refused.
    let tgz = run_tool(&gzip, &["-c"], b"tar bytes", dir.path());
    std::fs::write(dir.path().join("x.tgz"), tgz).unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "x.tgz"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read(dir.path().join("x.tar")).unwrap(),
        b"tar bytes"
    );
    binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "x.tar"])
        .assert()
        .code(2);
}

#[test]
fn test_mode_agrees_with_gzip_t_and_several_files_keep_going() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let good = run_tool(&gzip, &["-c"], &log_like(20_000), dir.path());
    let mut bad = good.clone();
    bad.truncate(good.len() / 2);
    std::fs::write(dir.path().join("good.gz"), &good).unwrap();
    std::fs::write(dir.path().join("bad.gz"), &bad).unwrap();
    for name in ["good.gz", "bad.gz"] {
        let theirs = assert_cmd::Command::new(&gzip)
            .current_dir(dir.path())
            .args(["-t", name])
            .output()
            .unwrap();
        let ours = binkit()
            .current_dir(dir.path())
            .args(["gzip", "-t", name])
            .output()
            .unwrap();
        assert_eq!(ours.status.success(), theirs.status.success(), "{name}");
    }
    let out = binkit()
        .current_dir(dir.path())
        .args(["gzip", "-d", "-k", "bad.gz", "good.gz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("binkit gzip: truncated gzip data ('bad.gz', at byte"),
        "{stderr}"
    );
    assert_eq!(files_in(dir.path()), ["bad.gz", "good", "good.gz"]);
}

/// Issue 12: every member header was kept, so many tiny members grew the
/// memory with the count (280 MB for 100 MB of empty members). 1,000,000
/// empty 20-byte members: 61 MB peak RSS before, under DESIGN.md's 32 MiB
/// for gzip now, in `-dc`, `-t` and `-l`.
#[test]
fn issue_12_many_empty_members_run_in_constant_memory() {
    let dir = tempfile::tempdir().unwrap();
    // An empty member (RFC 1952): a header without flags, the empty final
    // fixed-Huffman block 03 00, CRC32 0 and ISIZE 0; `gzip -t` accepts it.
    let member = [
        0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let data: Vec<u8> = member
        .iter()
        .copied()
        .cycle()
        .take(member.len() * 1_000_000)
        .collect();
    std::fs::write(dir.path().join("e.gz"), data).unwrap();
    for args in [&["-dc"][..], &["-t"], &["-l"]] {
        let args = [&["gzip"][..], args, &["e.gz"]].concat();
        let Some((out, kib)) = crate::support::peak_rss(dir.path(), &args, &[]) else {
            return;
        };
        assert!(out.status.success(), "{args:?}");
        assert!(kib < 32 * 1024, "{args:?}: peak RSS {kib} KiB");
        if args[1] == "-l" {
            assert!(String::from_utf8(out.stdout)
                .unwrap()
                .contains(" 20000000 "));
        }
    }
}

/// Issue 13: a truncated `.gz` to stdout wrote nothing (small file) or held
/// back its last chunk (big one); GNU gzip writes everything it could decode,
/// then fails. Now binkit releases what decoded, then fails (exit 2, the
/// offset). What it writes must be a prefix of the original and hold at
/// least what GNU wrote (decoders may differ by the bytes they buffer: here
/// GNU gave 5,933, pigz 5,934). To a file nothing appears, as before.
#[test]
fn a_truncated_stream_to_stdout_releases_what_decoded() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let original: Vec<u8> = (1..=400_000)
        .flat_map(|i| format!("{i}\n").into_bytes())
        .collect();
    let packed = run_tool(&gzip, &["-c"], &original, dir.path());
    for cut in [3000, packed.len() / 2, packed.len() - 9] {
        std::fs::write(dir.path().join("t.gz"), &packed[..cut]).unwrap();
        let theirs = std::process::Command::new(&gzip)
            .args(["-dc", "t.gz"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(!theirs.status.success());
        let ours = binkit()
            .current_dir(dir.path())
            .args(["gzip", "-dc", "t.gz"])
            .output()
            .unwrap();
        assert_eq!(ours.status.code(), Some(2), "cut at {cut}");
        assert!(
            String::from_utf8_lossy(&ours.stderr).contains("truncated gzip data ('t.gz', at byte")
        );
        assert!(
            original.starts_with(&ours.stdout),
            "cut at {cut}: not a prefix"
        );
        assert!(
            ours.stdout.starts_with(&theirs.stdout),
            "cut at {cut}: {} bytes, GNU {}",
            ours.stdout.len(),
            theirs.stdout.len()
        );
        binkit()
            .current_dir(dir.path())
            .args(["gzip", "-d", "-k", "t.gz"])
            .assert()
            .code(2);
        assert!(!dir.path().join("t").exists());
    }
}

/// A service log with the variety real ones have: times, hosts, levels,
/// paths, statuses, durations and request ids drawn from `random_bytes`.
fn service_log(len: usize, seed: u64) -> Vec<u8> {
    let noise = random_bytes(len / 8, seed);
    let mut draws = noise
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()));
    let levels = [
        "INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "WARN", "ERROR",
    ];
    let paths = [
        "/api/orders",
        "/api/users",
        "/health",
        "/static/app.js",
        "/login",
    ];
    let mut out = Vec::new();
    let mut i = 0u64;
    while out.len() < len {
        let Some(r) = draws.next() else { break };
        writeln!(
            out,
            "2026-11-27T05:{:02}:{:02}.{:03}Z web{:02} app[{}]: {} {} status={} ms={} req={:016x}",
            i / 60 % 60,
            i % 60,
            r % 1000,
            r >> 10 & 3,
            1000 + (r >> 12) % 50,
            levels[(r >> 20) as usize % levels.len()],
            paths[(r >> 24) as usize % paths.len()],
            [200, 200, 200, 304, 404, 500][(r >> 28) as usize % 6],
            (r >> 32) % 2000,
            r.rotate_left(17),
        )
        .unwrap();
        i += 1;
    }
    out
}

/// Issue 13: a user who picks a level picks a size. zlib-rs's own level 1
/// is about 25% larger than `gzip -1` on logs (zlib-ng's deflate_quick), and
/// its level 9 larger than its level 8; binkit maps each level to the
/// engine level that is no larger than gzip's (`gzip::deflater::Engine::for_gzip`).
/// The bound, gzip's size + 0.5%, is the issue's.
#[test]
fn each_level_compresses_logs_as_small_as_gzip() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // An attacker's finds: 32-bit integer records (the 4-byte hash made
    // `-1` 93% larger than gzip's) and UTF-32 text (chain 96 made `-6`
    // 3.1% larger, zlib's level 4 parameters `-3` 10.6%).
    let noise = random_bytes(1 << 20, 21);
    let ints: Vec<u8> = (0..(1u32 << 19))
        .flat_map(|i| (i * 7 + u32::from(noise[i as usize] & 3)).to_le_bytes())
        .collect();
    let utf32: Vec<u8> = service_log(1 << 19, 5)
        .iter()
        .flat_map(|&b| u32::from(b).to_le_bytes())
        .collect();
    let inputs = [
        ("service log", service_log(3 << 20, 13)),
        ("nginx access log", access_log(2 << 20)),
        ("C headers", machine_headers(2 << 20)),
        ("integer records", ints),
        ("UTF-32 text", utf32),
    ];
    for (what, log) in &inputs {
        if log.len() < 1 << 20 {
            continue; // no headers installed
        }
        for level in 1..=9 {
            let flag = format!("-{level}");
            let theirs = run_tool(&gzip, &[&flag, "-c"], log, dir.path()).len();
            for threads in ["1", "2"] {
                let ours = crate::support::binkit_ok(
                    dir.path(),
                    &["gzip", &flag, "-c", "--threads", threads],
                    log,
                    &[],
                );
                assert!(
                    ours.len() * 1000 <= theirs * 1005,
                    "{what}, -{level} on {threads} thread(s): binkit {} bytes, gzip {theirs}",
                    ours.len()
                );
                if level % 4 == 1 {
                    assert_eq!(gunzip(&ours, 1 << 16, Limits::default()), Ok(log.clone()));
                }
            }
        }
    }
}

/// An nginx access log ("combined" format) of about `len` bytes.
fn access_log(len: usize) -> Vec<u8> {
    let noise = random_bytes(1 << 20, 8);
    let agents = [
        "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
        "curl/8.4.0",
        "kube-probe/1.28",
    ];
    let mut log = Vec::new();
    for (i, r) in noise.chunks_exact(8).cycle().enumerate() {
        if log.len() >= len {
            break;
        }
        let r = u64::from_le_bytes(r.try_into().unwrap()).wrapping_mul(i as u64 | 1);
        writeln!(
            log,
            "10.{}.{}.{} - - [30/Nov/2026:10:{:02}:{:02} +0000] \"GET /api/v1/users/{} HTTP/1.1\" {} {} \"-\" \"{}\" 0.{:03}",
            r & 255, r >> 8 & 255, r >> 16 & 255, i / 60 % 60, i % 60, r >> 24 & 0xffff,
            [200, 200, 301, 404, 500][(r >> 40) as usize % 5], r >> 44 & 0xffff,
            agents[(r >> 60) as usize % 3], r >> 50 & 511
        )
        .unwrap();
    }
    log
}

/// Up to `len` bytes of this machine's C headers, in name order: text
/// nobody prepared, and where zlib-rs's own level 6 was 0.9% larger than
/// `gzip -6` (measured).
fn machine_headers(len: usize) -> Vec<u8> {
    let mut names: Vec<_> = std::fs::read_dir("/usr/include")
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.retain(|p| p.extension().is_some_and(|e| e == "h"));
    names.sort();
    let mut out = Vec::new();
    for name in names {
        if out.len() >= len {
            break;
        }
        out.extend(std::fs::read(name).unwrap_or_default());
    }
    out.truncate(len);
    out
}

/// Text, an executable, random bytes and text again in one input: blocks
/// change engine (text and binary want different match finders, and
/// random ones are stored) inside one member. GNU gzip reads it back, and
/// it is no larger than gzip's + 0.5% at -1, -6 and -9.
#[test]
fn text_binary_and_random_in_one_stream_as_small_as_gzip() {
    let Some(gzip) = reference("gzip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let exe = std::fs::read(env!("CARGO_BIN_EXE_binkit")).unwrap();
    let mut input = service_log(700_000, 3);
    input.extend_from_slice(&exe[..exe.len().min(900_000)]);
    input.extend(random_bytes(300_000, 4));
    input.extend(access_log(500_000));
    for level in ["-1", "-6", "-9"] {
        let theirs = run_tool(&gzip, &[level, "-c"], &input, dir.path()).len();
        for threads in ["1", "2"] {
            let ours = crate::support::binkit_ok(
                dir.path(),
                &["gzip", level, "-c", "--threads", threads],
                &input,
                &[],
            );
            assert!(
                ours.len() * 1000 <= theirs * 1005,
                "{level} on {threads} thread(s): binkit {} bytes, gzip {theirs}",
                ours.len()
            );
            let back = run_tool(&gzip, &["-dc"], &ours, dir.path());
            assert!(
                back == input,
                "{level} on {threads} thread(s): gzip -dc differs"
            );
        }
    }
}

/// A new user's find (issue 13): with several threads the same input gave
/// different bytes from run to run (each worker kept its deflater and
/// reset it; zlib-rs's reset keeps state that changes its choices). The
/// README promises the same bytes for the same input.
#[test]
fn threads_give_the_same_bytes_every_run() {
    let dir = tempfile::tempdir().unwrap();
    // An nginx access log: on the build that reset its deflaters, 8 MiB of
    // it gave 5 different outputs in 5 runs (measured).
    let log = access_log(8 << 20);
    for level in ["-1", "-6"] {
        let first = crate::support::binkit_ok(
            dir.path(),
            &["gzip", level, "-c", "--threads", "4"],
            &log,
            &[],
        );
        for _ in 0..4 {
            let again = crate::support::binkit_ok(
                dir.path(),
                &["gzip", level, "-c", "--threads", "4"],
                &log,
                &[],
            );
            assert!(
                again == first,
                "{level}: {} vs {} bytes",
                again.len(),
                first.len()
            );
        }
    }
}
