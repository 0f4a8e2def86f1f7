//! What every subcommand shares: errors, exit codes, atomic output,
//! broken pipes, signals, completions.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::{binkit, files_in, random_bytes, spawn_binkit};

#[test]
fn missing_input_is_one_line_and_status_2() {
    binkit()
        .args(["hexdump", "no-such-file"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("binkit hexdump: cannot open input: no such file or directory ('no-such-file')\n");
}

#[test]
fn directory_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["b64", "."])
        .assert()
        .code(2)
        .stderr("binkit b64: input is a directory ('.')\n");
}

#[test]
fn existing_output_needs_force_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.txt");
    std::fs::write(&target, "keep me").unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["b64", "-o", "out.txt"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr("binkit b64: output exists; use -f to overwrite it ('out.txt')\n");
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    binkit()
        .current_dir(dir.path())
        .args(["b64", "-f", "-o", "out.txt"])
        .write_stdin("x")
        .assert()
        .success();
    assert_eq!(std::fs::read(&target).unwrap(), b"eA==\n");
    assert_eq!(files_in(dir.path()), ["out.txt"]);
}

#[test]
fn failed_decode_keeps_the_old_target() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("out.bin"), "old").unwrap();
    binkit()
        .current_dir(dir.path())
        .args(["b64", "-d", "-f", "-o", "out.bin"])
        .write_stdin("Zm9v!")
        .assert()
        .code(2);
    assert_eq!(std::fs::read(dir.path().join("out.bin")).unwrap(), b"old");
    assert_eq!(files_in(dir.path()), ["out.bin"]);
}

#[test]
fn missing_output_directory_is_refused() {
    binkit()
        .args(["b64", "-o", "/nonexistent-binkit-dir/out"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr("binkit b64: output directory does not exist ('/nonexistent-binkit-dir/out')\n");
}

#[test]
fn unwritable_output_directory_is_an_error_with_no_leftover() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let mut perms = std::fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
    std::fs::set_permissions(&ro, perms).unwrap();
    // Root ignores directory modes: /proc refuses new files from everyone.
    let probe = ro.join("probe");
    let target = if std::fs::write(&probe, "").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        std::path::PathBuf::from("/proc/binkit-out")
    } else {
        ro.join("out")
    };
    let out = binkit()
        .arg("b64")
        .arg("-o")
        .arg(&target)
        .write_stdin("x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("binkit b64: cannot create output: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
    assert!(!target.exists());
    assert!(files_in(&ro).is_empty());
}

#[test]
fn full_disk_is_an_error_not_a_panic() {
    binkit()
        .args(["hexdump", "--force", "--output", "/dev/full"])
        .write_stdin(random_bytes(200_000, 1))
        .assert()
        .code(2)
        .stderr("binkit hexdump: cannot write: no space left on device ('/dev/full')\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.bin"), random_bytes(200_000, 2)).unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("binkit"))
        .args(["b64", "in.bin"])
        .current_dir(dir.path())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let expected = "binkit b64: cannot write: no space left on device (<stdout>)\n";
    assert_eq!(String::from_utf8_lossy(&out.stderr), expected);
}

/// Issue 12 and DESIGN.md: an output is never written through an existing
/// entry. Before the fix `-o` followed a symlink to /dev/null (exit 0, the
/// data gone), wrote through a symlink to a file, and hung on a FIFO with
/// no reader; each case here failed. Now every existing entry is refused
/// without -f, one line naming it. With -f a symlink is replaced (its
/// target untouched); a device or FIFO is written to, never replaced: as
/// root, replacing would put a regular file at /dev/null (DESIGN.md says
/// "replaced"; for devices that is destruction, not what -f means).
#[test]
fn an_existing_output_entry_is_refused_without_force_and_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("real"), "keep\n").unwrap();
    std::os::unix::fs::symlink("real", d.join("link")).unwrap();
    std::os::unix::fs::symlink("/dev/null", d.join("null")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(d.join("fifo"))
        .status()
        .unwrap()
        .success());
    let refusals = [
        ("/dev/null", "output is a character device; use -f to write to it ('/dev/null')"),
        ("link", "output is a symlink to 'real'; use -f to replace the link ('link')"),
        (
            "null",
            "output is a symlink to '/dev/null', a character device; use -f to write to it ('null')",
        ),
        ("fifo", "output is a FIFO; use -f to write to it ('fifo')"),
        ("real", "output exists; use -f to overwrite it ('real')"),
    ];
    for (target, why) in refusals {
        binkit()
            .current_dir(d)
            .args(["b64", "-o", target])
            .write_stdin("x")
            .timeout(std::time::Duration::from_secs(20))
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("binkit b64: {why}\n"));
    }
    assert_eq!(std::fs::read(d.join("real")).unwrap(), b"keep\n");
    // -f on a link replaces the link, not the file it points to.
    binkit()
        .current_dir(d)
        .args(["b64", "-f", "-o", "link"])
        .write_stdin("x")
        .assert()
        .success();
    assert!(!d.join("link").symlink_metadata().unwrap().is_symlink());
    assert_eq!(std::fs::read(d.join("link")).unwrap(), b"eA==\n");
    assert_eq!(std::fs::read(d.join("real")).unwrap(), b"keep\n");
    // -f on a device writes to it; the link to it stays a link.
    for target in ["/dev/null", "null"] {
        binkit()
            .current_dir(d)
            .args(["b64", "-f", "-o", target])
            .write_stdin("x")
            .assert()
            .success();
    }
    assert!(d.join("null").symlink_metadata().unwrap().is_symlink());
    // A FIFO nobody reads: an error, not a hang.
    binkit()
        .current_dir(d)
        .args(["b64", "-f", "-o", "fifo"])
        .write_stdin("x")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr("binkit b64: output is a FIFO nobody is reading, or a socket (binkit writes to no socket) ('fifo')\n");
}

/// `-o /dev/stdout` (a symlink to /proc/self/fd/1) is the caller's stdout,
/// as `-o -`: no -f needed, and never a link to replace. The expected bytes
/// are base64 of "x" (RFC 4648: "eA==").
#[test]
fn output_to_dev_stdout_is_stdout() {
    binkit()
        .args(["b64", "-o", "/dev/stdout"])
        .write_stdin("x")
        .assert()
        .success()
        .stdout("eA==\n");
    assert!(std::path::Path::new("/dev/stdout")
        .symlink_metadata()
        .map_or(true, |m| !m.is_file()));
}

#[test]
fn broken_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.bin");
    std::fs::write(&big, random_bytes(4 << 20, 9)).unwrap();
    for sub in ["hexdump", "b64"] {
        let mut child = spawn_binkit(&[sub, big.to_str().unwrap()], dir.path());
        drop(child.stdin.take());
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 100];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{sub}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{sub}");
    }
}

#[test]
fn sigterm_and_sigint_leave_no_temporary_file() {
    // Issue 12: SIGHUP, SIGQUIT, SIGUSR1 and SIGALRM left the temp file;
    // the attack on the fix found SIGSTKFLT, SIGPWR, SIGSYS, SIGTRAP,
    // SIGABRT and the real-time signals (Linux numbers) still did.
    for (signal, code) in [
        ("TERM", 143),
        ("INT", 130),
        ("HUP", 129),
        ("QUIT", 131),
        ("USR1", 138),
        ("ALRM", 142),
        ("STKFLT", 144),
        ("PWR", 158),
        ("SYS", 159),
        ("TRAP", 133),
        ("ABRT", 134),
        ("34", 162), // SIGRTMIN (procps kill has no names for them)
        ("64", 192), // SIGRTMAX
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_binkit(&["b64", "-o", "out.txt"], dir.path());
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&random_bytes(1 << 20, 4)).unwrap();
        let started = Instant::now();
        while files_in(dir.path()).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "SIG{signal}");
        drop(stdin);
        assert!(
            files_in(dir.path()).is_empty(),
            "SIG{signal} left {:?}",
            files_in(dir.path())
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    binkit().args(["b64", "--no-such-flag"]).assert().code(2);
    binkit().arg("no-such-subcommand").assert().code(2);
}

#[test]
fn completions_are_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    binkit::completions::write_all(dir.path()).unwrap();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for name in files_in(dir.path()) {
        let fresh = std::fs::read(dir.path().join(&name)).unwrap();
        let old = std::fs::read(committed.join(&name)).unwrap_or_default();
        assert!(
            fresh == old,
            "completions/{name} is stale: run `cargo run -- completions --write completions`"
        );
    }
}

#[test]
fn completion_scripts_are_printed_per_shell() {
    let out = binkit().args(["completions", "bash"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("hexdump"));
    let man = binkit().args(["completions", "--man"]).output().unwrap();
    assert!(String::from_utf8_lossy(&man.stdout).starts_with(".ie"));
}

#[test]
fn progress_bar_only_on_a_terminal_and_not_with_quiet() {
    let Some(script) = crate::support::reference("script") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.bin");
    // A sparse file at the size where bars start: zeros read fast.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(binkit::io::progress::PROGRESS_MIN_BYTES)
        .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("binkit");
    let job = |quiet: &str| {
        format!(
            "{} hexdump -C {quiet} {} --force --output /dev/null",
            bin.display(),
            big.display()
        )
    };
    // `script` gives the command a terminal; what it drew comes back on stdout.
    let on_tty = std::process::Command::new(&script)
        .args(["-qc", &job(""), "/dev/null"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&on_tty.stdout).contains('░'),
        "no bar on a terminal"
    );
    // Issue 13: the bar names the file and fits a narrow terminal (it was
    // 40 cells of bar plus the counts, wrapping at 80 columns).
    let narrow = std::process::Command::new(&script)
        .args([
            "-qc",
            &format!("stty rows 24 cols 50; {}", job("")),
            "/dev/null",
        ])
        .output()
        .unwrap();
    let drawn = String::from_utf8_lossy(&narrow.stdout).into_owned();
    let plain = regex::Regex::new("\x1b\\[[0-9;?]*[A-Za-z]")
        .unwrap()
        .replace_all(&drawn, "");
    assert!(plain.contains("big.bin"), "{plain:?}");
    for frame in plain.split(['\r', '\n']) {
        assert!(
            frame.chars().count() <= 50,
            "{} columns: {frame:?}",
            frame.chars().count()
        );
    }
    let quiet = std::process::Command::new(&script)
        .args(["-qc", &job("-q"), "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(quiet.stdout, b"");
    // On a pipe: nothing on stderr.
    binkit()
        .arg("hexdump")
        .arg("-C")
        .arg(&big)
        .args(["--force", "--output", "/dev/null"])
        .assert()
        .success()
        .stderr("");
}

/// Typed values at the clap edge (issue 11): one meaning of `--threads`
/// everywhere, and an error that names its flag.
#[test]
fn threads_and_sizes_are_checked_at_the_edge_and_name_their_flag() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f"), "x").unwrap();
    let with_threads: [&[&str]; 5] = [
        &["gzip", "-c", "f"],
        &["encrypt", "--key-file", "f", "f"],
        &["decrypt", "--key-file", "f", "f"],
        &["sniff", "f"],
        &["grep-log", "x", "f"],
    ];
    for args in with_threads {
        for (value, why) in [
            ("0", "at least 1 thread"),
            ("100000", "threads here"),
            ("18446744073709551616", "is not a number of threads"),
            ("-1", ""),
        ] {
            let out = binkit()
                .current_dir(dir.path())
                .args(args)
                .args(["--threads", value])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?} --threads {value}");
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(
                stderr.contains("'--threads <N>'") || value == "-1",
                "{args:?}: {stderr}"
            );
            assert!(stderr.contains(why), "{args:?}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
    let sizes: [(&[&str], &str); 7] = [
        (
            &["gzip", "-d", "-c", "--max-output", "5X", "f"],
            "--max-output <SIZE>",
        ),
        (&["sniff", "--max-size", "5X", "f"], "--max-size <SIZE>"),
        (
            &["grep-log", "--max-line", "5X", "x", "f"],
            "--max-line <SIZE>",
        ),
        (
            &["encrypt", "--key-file", "f", "--chunk-size", "5X", "f"],
            "--chunk-size <SIZE>",
        ),
        (
            &["hexdump", "-r", "--max-gap", "5X", "f"],
            "--max-gap <SIZE>",
        ),
        (&["hexdump", "-l", "5X", "f"], "--length <LEN>"),
        (
            &["split", "-s", "99999999999999999999999", "f"],
            "--size <SIZE>",
        ),
    ];
    for (args, flag) in sizes {
        let out = binkit()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!("for '{flag}'")),
            "{args:?}: {stderr}"
        );
    }
}

/// Issue 12: temporary files took the final mode (0644, or the input's)
/// from the start, so a SIGKILL could leave a secret world-readable. They
/// are 0600 while written; the final mode comes just before the rename.
#[test]
fn issue_12_temp_files_are_0600_until_committed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_binkit(&["b64", "-o", "out.txt"], dir.path());
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&random_bytes(1 << 20, 4)).unwrap();
    let started = Instant::now();
    let temp = loop {
        if let Some(name) = files_in(dir.path()).into_iter().next() {
            break dir.path().join(name);
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    let mode = std::fs::metadata(&temp).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "while written");
    drop(stdin);
    assert!(child.wait_with_output().unwrap().status.success());
    // The umask of this test process (inherited by binkit) decides the rest.
    let umask = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Umask:")
                .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
        })
        .unwrap();
    let mode = std::fs::metadata(dir.path().join("out.txt"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o666 & !umask, "committed");
}

/// Issue 12: decrypted plaintext was 0644 under umask 022; it is 0600
/// unless `--mode` says otherwise.
#[test]
fn issue_12_decrypted_files_are_private_unless_asked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("key"), "11".repeat(32)).unwrap();
    std::fs::write(p.join("plain"), "secret").unwrap();
    binkit()
        .current_dir(p)
        .args(["encrypt", "--key-file", "key", "plain", "-o", "c.bke"])
        .assert()
        .success();
    for (extra, expected) in [(&[][..], 0o600), (&["--mode", "640"][..], 0o640)] {
        let _ = std::fs::remove_file(p.join("out"));
        binkit()
            .current_dir(p)
            .args(["decrypt", "--key-file", "key", "c.bke", "-o", "out"])
            .args(extra)
            .assert()
            .success();
        let mode = std::fs::metadata(p.join("out"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, expected, "{extra:?}");
        assert_eq!(std::fs::read(p.join("out")).unwrap(), b"secret");
    }
}

/// Usage errors are one line like every other message (DESIGN.md), with
/// the subcommand's prefix; clap's own layout was four lines.
#[test]
fn usage_errors_are_one_line() {
    for (args, line) in [
        (&["gzip", "-Z", "f"][..], "binkit gzip: unexpected argument '-Z' found (see 'binkit gzip --help')\n"),
        (&["nosuch"][..], "binkit: unrecognized subcommand 'nosuch' (see 'binkit --help')\n"),
        (
            &["grep-log", "--threads", "0", "x"][..],
            "binkit grep-log: invalid value '0' for '--threads <N>': at least 1 thread (see 'binkit grep-log --help')\n",
        ),
    ] {
        let out = binkit().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8(out.stderr).unwrap(), line);
    }
    // Help and version still print whole, on stdout, status 0.
    let out = binkit().args(["gzip", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("Usage: binkit gzip"));
}

/// Issue 12 (found by the attack on this session's build): SIGTERM during
/// `split` left a temporary part in 9 runs of 9 (a part created but not yet
/// registered when the handler swept), and a signal while the parts were
/// being renamed left parts without a manifest. Temporary files are now
/// created under the registry's lock, and placed parts stay registered
/// until the manifest is in place.
#[test]
fn issue_12_split_interrupted_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("big"), random_bytes(48 << 20, 7)).unwrap();
    std::fs::create_dir(p.join("so")).unwrap();
    for delay_ms in [50, 150, 300] {
        let child = spawn_binkit(
            &["split", "big", "--size", "1MiB", "--dir", "so", "-q", "-f"],
            p,
        );
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let left = files_in(&p.join("so"));
        // Killed by the signal itself (no handler yet, on a loaded
        // machine: the handler is installed before any file is made) or
        // 143 from the handler: nothing left either way.
        use std::os::unix::process::ExitStatusExt;
        let code = out.status.code().or(out.status.signal().map(|s| 128 + s));
        match code {
            Some(143) => assert!(left.is_empty(), "after {delay_ms} ms: {left:?}"),
            // Finished before the signal: every part and the manifest.
            Some(0) => {
                assert!(left.contains(&"big.manifest.json".to_string()));
                for name in left {
                    std::fs::remove_file(p.join("so").join(name)).unwrap();
                }
            }
            other => panic!("status {other:?}"),
        }
    }
}

/// Issue 12: `binkit b64 f >&-` exited 0 with its output lost, and
/// `binkit encrypt <&-` encrypted nothing: the Rust runtime had put
/// /dev/null in place of the closed descriptor. GNU tools fail with EBADF
/// ("Bad file descriptor"); so does binkit now, exit 2, one line. Each
/// case here exited 0 before the fix. A caller's own /dev/null (opened
/// read-write, as Python's subprocess.DEVNULL does) is still a fine stdout,
/// and a command that writes nothing to stdout (`grep-log -q`, `-o file`)
/// does not mind it closed, as with GNU grep -q.
#[test]
fn a_closed_stdout_or_stdin_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f"), "hi\n").unwrap();
    let sh = |script: &str| crate::support::sh(dir.path(), script);
    let closed_stdout = "cannot write: bad file descriptor (<stdout>)";
    let closed_stdin = "cannot read: bad file descriptor (<stdin>)";
    for (script, sub, why) in [
        ("exec \"$1\" b64 f >&-", "b64", closed_stdout),
        ("exec \"$1\" hexdump f >&-", "hexdump", closed_stdout),
        ("exec \"$1\" gzip -c f >&-", "gzip", closed_stdout),
        (
            "exec \"$1\" encrypt --kdf pbkdf2 --pass-env PW f >&-",
            "encrypt",
            closed_stdout,
        ),
        ("exec \"$1\" grep-log hi f >&-", "grep-log", closed_stdout),
        ("exec \"$1\" sniff f >&-", "sniff", closed_stdout),
        // The attack: --tee named the wrong stream, with "(os error 9)".
        ("exec \"$1\" sniff --tee < f >&-", "sniff", closed_stdout),
        ("exec \"$1\" b64 <&-", "b64", closed_stdin),
        (
            "exec \"$1\" encrypt --kdf pbkdf2 --pass-env PW -o e <&-",
            "encrypt",
            closed_stdin,
        ),
        (
            "exec \"$1\" grep-log hi <&-",
            "grep-log",
            "(standard input): Bad file descriptor",
        ),
    ] {
        let out = sh(script);
        assert_eq!(out.status.code(), Some(2), "{script}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("binkit {sub}: {why}\n"),
            "{script}"
        );
    }
    assert!(!dir.path().join("e").exists());
    // The attack: --help and --version to a closed stdout exited 0.
    for script in ["exec \"$1\" --help >&-", "exec \"$1\" gzip --version >&-"] {
        let out = sh(script);
        assert_eq!(out.status.code(), Some(2), "{script}");
    }
    for script in [
        "exec \"$1\" grep-log -q hi f >&-",
        "exec \"$1\" b64 -o out f >&-",
        "exec \"$1\" b64 f > /dev/null",
        "exec \"$1\" b64 f 1<> /dev/null",
    ] {
        let out = sh(script);
        assert!(out.status.success(), "{script}: {out:?}");
    }
}

/// Issue 13: `binkit help gzip` was refused ("unrecognized subcommand");
/// as in git and cargo it is `binkit gzip --help`, and `binkit help` the
/// top-level help.
#[test]
fn help_subcommand_shows_the_subcommands_help() {
    let ours = binkit().args(["help", "gzip"]).output().unwrap();
    let direct = binkit().args(["gzip", "--help"]).output().unwrap();
    assert!(ours.status.success());
    assert_eq!(ours.stdout, direct.stdout);
    let top = binkit().arg("help").output().unwrap();
    assert!(top.status.success());
    assert_eq!(top.stdout, binkit().arg("--help").output().unwrap().stdout);
}

/// Issue 13: the man page's SEE ALSO names binkit-b64(1) and the others,
/// which did not ship. Every page it names is in completions/.
#[test]
fn every_man_page_the_main_page_names_ships() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let main = std::fs::read_to_string(dir.join("binkit.1")).unwrap();
    // The SUBCOMMANDS section lists them as `binkit\-b64(1)`.
    let named: Vec<&str> = main
        .lines()
        .filter_map(|l| l.strip_prefix("binkit\\-")?.strip_suffix("(1)"))
        .collect();
    assert!(named.len() >= 9, "{named:?}");
    for sub in named {
        let sub = sub.replace("\\-", "-"); // roff's escaped hyphen
        assert!(
            dir.join(format!("binkit-{sub}.1")).exists(),
            "binkit-{sub}(1) is named but not shipped"
        );
    }
}

/// The attack on issue 12's fixes (a helper with no view of the code):
/// `-o` wrote through `/dev/stdin`, `/dev/stderr` and `/dev/fd/N` into the
/// file behind them, over its first bytes (the input itself with `-o
/// /dev/fd/5`), and through a user's symlink to them, all with exit 0. A
/// descriptor path is the caller's stream: a pipe or terminal is written to,
/// a file behind it refused; a user's link to one is an ordinary symlink.
#[test]
fn descriptor_paths_never_write_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("victim"), "secret\n").unwrap();
    std::fs::write(d.join("in"), "x").unwrap();
    std::os::unix::fs::symlink("/dev/stdin", d.join("innocent")).unwrap();
    let sh = |script: &str| crate::support::sh(d, script);
    for script in [
        "exec \"$1\" b64 in -o /dev/stdin < victim",
        "exec \"$1\" b64 in -f -o /dev/fd/0 < victim",
        "exec \"$1\" b64 in -f -o /dev/stderr 2>> victim",
        "exec \"$1\" b64 in -f -o /proc/self/fd/7 7< victim",
        "exec \"$1\" b64 in -o innocent < victim",
    ] {
        let out = sh(script);
        assert_eq!(out.status.code(), Some(2), "{script}: {out:?}");
        assert!(
            std::fs::read_to_string(d.join("victim"))
                .unwrap()
                .starts_with("secret\n"),
            "{script}"
        );
    }
    // To a pipe, /dev/stderr is written (base64 of "x" is "eA==").
    let out = sh("exec \"$1\" b64 in -o /dev/stderr 2>&1 | cat");
    assert_eq!(out.stdout, b"eA==\n");
}

/// The attack: stdout open read-only (`1</dev/null`) or stdin write-only
/// made every write (or read) fail with EBADF, which the Rust runtime drops:
/// exit 0 with the output lost. Those are closed streams too (exit 2).
/// And `--pass-fd 3` with 3 closed by the caller read binkit's own signal
/// pipe and hung; now it is a bad descriptor.
#[test]
fn streams_open_the_wrong_way_and_foreign_descriptors_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("in"), "x").unwrap();
    std::fs::write(d.join("wo"), "").unwrap();
    let sh = |script: &str| crate::support::sh(d, script);
    let out = sh("exec \"$1\" b64 in 1</dev/null");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "binkit b64: cannot write: bad file descriptor (<stdout>)\n"
    );
    let out = sh("exec \"$1\" b64 0>wo");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "binkit b64: cannot read: bad file descriptor (<stdin>)\n"
    );
    let out = std::process::Command::new("timeout")
        .args([
            "20",
            "sh",
            "-c",
            "exec \"$1\" encrypt --kdf pbkdf2 --pass-fd 3 -o e in 3<&-",
            "sh",
        ])
        .arg(assert_cmd::cargo::cargo_bin("binkit"))
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "binkit encrypt: cannot open password source: bad file descriptor ('descriptor 3')\n"
    );
}

/// The attack: with -f, a FIFO swapped for a symlink to a file between the
/// check and the open made binkit write into that file (31 of 500 runs).
/// Now the FIFO is opened without following links and what was opened is
/// checked again. 200 swaps; the file behind the link never changes.
#[test]
fn a_fifo_swapped_for_a_symlink_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    std::fs::write(d.join("victim"), "secret\n").unwrap();
    std::fs::write(d.join("in"), "x").unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (d, stop) = (d.clone(), stop.clone());
        std::thread::spawn(move || {
            let r = d.join("R");
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::remove_file(&r);
                let _ = rustix::fs::mknodat(
                    rustix::fs::CWD,
                    &r,
                    rustix::fs::FileType::Fifo,
                    rustix::fs::Mode::from_raw_mode(0o600),
                    0,
                );
                // A reader keeps the FIFO openable for a moment.
                let reader = std::fs::OpenOptions::new()
                    .read(true)
                    .custom_flags_nonblock()
                    .open(&r);
                let _ = std::fs::remove_file(&r);
                let _ = std::os::unix::fs::symlink("victim", &r);
                drop(reader);
            }
        })
    };
    for _ in 0..200 {
        let _ = binkit()
            .current_dir(&d)
            .args(["b64", "in", "-f", "-o", "R"])
            .output()
            .unwrap();
        let _ = std::fs::remove_file(d.join("R"));
        assert_eq!(std::fs::read(d.join("victim")).unwrap(), b"secret\n");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    swapper.join().unwrap();
}

/// Opening a FIFO for reading without waiting for a writer.
trait NonBlock {
    fn custom_flags_nonblock(&mut self) -> &mut Self;
}

impl NonBlock for std::fs::OpenOptions {
    fn custom_flags_nonblock(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.custom_flags(i32::try_from(rustix::fs::OFlags::NONBLOCK.bits()).unwrap())
    }
}
