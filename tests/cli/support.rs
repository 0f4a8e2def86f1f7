//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binkit binary under test.
pub fn binkit() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("binkit").unwrap()
}

/// A file in `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The path of a reference tool, or `None` with a printed notice.
pub fn reference(tool: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        eprintln!("skipping: {tool} not installed");
    }
    found
}

/// Runs a reference tool on `stdin` in `dir`; returns its stdout, asserting
/// it succeeded.
pub fn run_tool(tool: &Path, args: &[&str], stdin: &[u8], dir: &Path) -> Vec<u8> {
    let out = assert_cmd::Command::new(tool)
        .args(args)
        .current_dir(dir)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool:?} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs binkit in `dir` with `env` set, on `stdin`; returns its stdout,
/// asserting it succeeded.
pub fn binkit_ok(dir: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Vec<u8> {
    let out = binkit()
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "binkit {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Deterministic pseudo-random bytes (xorshift64*).
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// Inputs with every shape a dump cares about: empty, partial lines, zero
/// runs, repeated lines, text, random bytes.
pub fn sample_inputs() -> Vec<(String, Vec<u8>)> {
    let mut inputs = vec![];
    for len in [0, 1, 2, 15, 16, 17, 31, 33, 100, 257, 1000, 4099] {
        inputs.push((format!("random{len}"), random_bytes(len, len as u64)));
    }
    let mut zeros = vec![0u8; 100];
    zeros.extend_from_slice(b"tail");
    zeros.extend_from_slice(&[0u8; 64]);
    inputs.push(("zero-runs".into(), zeros));
    inputs.push(("zeros-48".into(), vec![0u8; 48]));
    inputs.push(("zeros-64".into(), vec![0u8; 64]));
    inputs.push((
        "zeros-16-then-one".into(),
        [vec![0u8; 32], vec![1]].concat(),
    ));
    inputs.push(("repeated".into(), b"0123456789abcdef".repeat(9)));
    inputs.push((
        "text".into(),
        b"Hello, world!\n\tcontrol \x1b[31m and \xc3\xa9\x7f".to_vec(),
    ));
    inputs
}

/// Names of the files in `dir`.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A spawned binkit with piped stdio, for signal and pipe tests.
pub fn spawn_binkit(args: &[&str], dir: &Path) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("binkit"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs binkit as `nobody`, or `None` (with a notice) where that cannot work.
pub fn as_nobody(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    let setpriv = reference("setpriv")?;
    let run = |args: &[&str]| {
        Command::new(&setpriv)
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_binkit"))
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap()
    };
    if !run(&["--version"]).status.success() {
        eprintln!("skipping: nobody cannot run the binary");
        return None;
    }
    Some(run(args))
}

/// Runs binkit under `/usr/bin/time` in `dir` with `env`; returns its output
/// (time's own last stderr line removed) and its peak RSS in KiB, or `None`
/// (with a notice) where `time` is not installed.
pub fn peak_rss(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Option<(std::process::Output, u64)> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("skipping: /usr/bin/time not installed");
        return None;
    }
    // -q: no "Command exited with non-zero status" line of time's own.
    let mut out = Command::new(time)
        .args(["-q", "-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_binkit"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8(std::mem::take(&mut out.stderr)).unwrap();
    let body = stderr.trim_end_matches('\n');
    let (rest, last) = body.rsplit_once('\n').unwrap_or(("", body));
    let kib = last
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("time: {stderr:?}"));
    out.stderr = if rest.is_empty() {
        Vec::new()
    } else {
        format!("{rest}\n").into_bytes()
    };
    Some((out, kib))
}

/// Runs `script` with `sh -c` in `dir`, `$1` being the binkit binary, with
/// `PW=pw` set: for what only a shell can arrange (`>&-`, `3<&-`, `2>>`).
pub fn sh(dir: &Path, script: &str) -> std::process::Output {
    Command::new("sh")
        .args(["-c", script, "sh"])
        .arg(assert_cmd::cargo::cargo_bin("binkit"))
        .current_dir(dir)
        .env("PW", "pw")
        .output()
        .unwrap()
}
