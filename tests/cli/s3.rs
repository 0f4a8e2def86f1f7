//! Object storage against a real S3-compatible server: moto's, on
//! loopback, one per test binary, and a fault-injecting proxy in front of
//! it. Without moto (`BINKIT_MOTO_SERVER`, or `moto_server` on PATH) the
//! tests skip with a printed notice; `.ci/run` installs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The moto server of this test binary.
pub struct Server {
    /// Its port on 127.0.0.1.
    pub port: u16,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();

fn moto_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BINKIT_MOTO_SERVER") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("moto_server"))
            .find(|p| p.is_file())
    })
}

/// The server, started on first use; `None` (with a notice) without moto.
pub fn server() -> Option<&'static Server> {
    SERVER
        .get_or_init(|| {
            let Some(moto) = moto_path() else {
                eprintln!("NOTICE: moto_server not found (BINKIT_MOTO_SERVER or PATH): object-storage tests skipped");
                return None;
            };
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .ok()?
                .port();
            let (tx, rx) = std::sync::mpsc::channel();
            // Started from a thread that lives as long as the test binary:
            // --pdeathsig kills moto when that thread (the process) ends.
            std::thread::spawn(move || {
                let child = Command::new("setpriv")
                    .args(["--pdeathsig", "KILL", "--"])
                    .arg(&moto)
                    .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn();
                match child {
                    Ok(mut child) => {
                        let _ = tx.send(true);
                        let _ = child.wait();
                    }
                    Err(e) => {
                        eprintln!("NOTICE: cannot start {}: {e}", moto.display());
                        let _ = tx.send(false);
                    }
                }
                loop {
                    std::thread::park();
                }
            });
            if !rx.recv().unwrap_or(false) {
                return None;
            }
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if http(port, "GET", "/", &[], &[]).is_some_and(|r| r.status == 200) {
                    return Some(Server { port });
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            eprintln!("NOTICE: moto_server did not answer within 60 s: object-storage tests skipped");
            None
        })
        .as_ref()
}

/// An HTTP answer.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The head, as text.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

/// One plain HTTP/1.0 request to 127.0.0.1:`port` (moto checks no
/// signature).
pub fn http(
    port: u16,
    method: &str,
    target: &str,
    body: &[u8],
    headers: &[(&str, &str)],
) -> Option<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .ok()?;
    let mut head = format!(
        "{method} {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n{AUTH}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut all = Vec::new();
    stream.read_to_end(&mut all).ok()?;
    let end = find(&all, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&all[..end]).into_owned();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some(Response {
        status,
        head,
        body: all[end + 4..].to_vec(),
    })
}

/// moto checks no signature, but answers an unsigned request as an
/// anonymous one (403 on a private object): a well-formed header with a
/// dummy signature is a request of the test account.
const AUTH: &str = "Authorization: AWS4-HMAC-SHA256 Credential=testing/20261203/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00";

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

static BUCKETS: AtomicU64 = AtomicU64::new(0);

impl Server {
    /// A new, empty bucket for one test.
    pub fn bucket(&self, hint: &str) -> String {
        let n = BUCKETS.fetch_add(1, Ordering::Relaxed);
        let name = format!("bk-{hint}-{}-{n}", std::process::id());
        let r = http(self.port, "PUT", &format!("/{name}"), &[], &[]).expect("moto answers");
        assert_eq!(r.status, 200, "create bucket {name}: {}", r.head);
        name
    }

    /// Puts `bytes` at `bucket/key` directly (not through binkit).
    pub fn put(&self, bucket: &str, key: &str, bytes: &[u8]) {
        let r =
            http(self.port, "PUT", &format!("/{bucket}/{key}"), bytes, &[]).expect("moto answers");
        assert_eq!(r.status, 200, "put {bucket}/{key}: {}", r.head);
    }

    /// The object's bytes, or `None` when it is not there.
    pub fn get(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        let r = http(self.port, "GET", &format!("/{bucket}/{key}"), &[], &[])?;
        (r.status == 200).then_some(r.body)
    }

    /// The object's ETag (quoted, as S3 gives it).
    pub fn etag(&self, bucket: &str, key: &str) -> Option<String> {
        let r = http(self.port, "HEAD", &format!("/{bucket}/{key}"), &[], &[])?;
        (r.status == 200).then(|| header(&r.head, "etag")).flatten()
    }

    /// The keys in `bucket`.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let r = http(
            self.port,
            "GET",
            &format!("/{bucket}?list-type=2&max-keys=1000"),
            &[],
            &[],
        )
        .expect("moto answers");
        tags(&String::from_utf8_lossy(&r.body), "Key")
    }

    /// The uploads begun and neither completed nor aborted in `bucket`.
    pub fn uploads(&self, bucket: &str) -> Vec<String> {
        let r =
            http(self.port, "GET", &format!("/{bucket}?uploads"), &[], &[]).expect("moto answers");
        tags(&String::from_utf8_lossy(&r.body), "UploadId")
    }

    /// The endpoint URL for binkit.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// The values of `<tag>...</tag>` in `xml`.
pub fn tags(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open)
        .skip(1)
        .filter_map(|rest| rest.split_once(&close).map(|(v, _)| v.to_string()))
        .collect()
}

/// A header's value in an HTTP head.
pub fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

/// binkit with the environment of an S3 tool pointed at `endpoint`.
pub fn binkit_s3(endpoint: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_binkit"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "very-secret-key-123")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ALLOW_HTTP", "true")
        .env("BINKIT_S3_READ_TIMEOUT", "3")
        .env("BINKIT_S3_CONNECT_TIMEOUT", "3");
    cmd
}

/// One request the proxy passed on, and what came back.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The method.
    pub method: String,
    /// The path and query.
    pub target: String,
    /// The `Range` header.
    pub range: Option<String>,
    /// The `If-Match` header.
    pub if_match: Option<String>,
    /// The status answered.
    pub status: u16,
    /// Body bytes sent to the client.
    pub body_sent: u64,
}

/// Faults to inject, each used up as it fires.
#[derive(Default)]
pub struct Faults {
    /// Answer this status to the next requests of this method (count).
    pub fail: Vec<(String, u16, u32)>,
    /// Cut the next GET with a body after this many body bytes.
    pub drop_get_after: Option<u64>,
    /// After cutting, before the client retries: run this (overwrite the
    /// object, say).
    pub after_drop: Option<Box<dyn FnOnce() + Send>>,
    /// Stall the next GET's body this long after its first bytes.
    pub stall_get: Option<Duration>,
    /// Pass the next request of this method whose target holds this text
    /// to the server, then hold its answer this long (`None`: never send
    /// it, and close): an answer lost after the request landed.
    pub hold_answer: Option<(String, String, Option<Duration>)>,
}

/// A loopback proxy to the server that logs requests and injects faults.
pub struct Proxy {
    /// Its port.
    pub port: u16,
    /// What it passed on.
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// What it will do wrong.
    pub faults: Arc<Mutex<Faults>>,
}

impl Proxy {
    /// A proxy to `upstream`'s port.
    pub fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let faults = Arc::new(Mutex::new(Faults::default()));
        let (s, f) = (Arc::clone(&seen), Arc::clone(&faults));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (s, f) = (Arc::clone(&s), Arc::clone(&f));
                std::thread::spawn(move || {
                    let _ = serve(client, upstream, &s, &f);
                });
            }
        });
        Proxy { port, seen, faults }
    }

    /// The endpoint URL for binkit.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What was passed on so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Serves one connection: one request, then `Connection: close`.
fn serve(
    client: TcpStream,
    upstream: u16,
    seen: &Mutex<Vec<Seen>>,
    faults: &Mutex<Faults>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut client = client;
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line == "\r\n" {
            break;
        }
        lines.push(line.trim_end().to_string());
    }
    let request_line = lines.first().cloned().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let head_of = |name: &str| {
        lines.iter().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let length: usize = head_of("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut record = Seen {
        method: method.clone(),
        target: target.clone(),
        range: head_of("range"),
        if_match: head_of("if-match"),
        status: 0,
        body_sent: 0,
    };
    // Injected failures answer without reaching the server.
    let fail = {
        let mut f = faults.lock().unwrap();
        let hit = f.fail.iter_mut().find(|(m, _, n)| *m == method && *n > 0);
        hit.map(|(_, status, n)| {
            *n -= 1;
            *status
        })
    };
    if let Some(status) = fail {
        let code = if status == 503 {
            "SlowDown"
        } else {
            "InternalError"
        };
        let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>injected</Message></Error>");
        record.status = status;
        seen.lock().unwrap().push(record);
        write!(
            client,
            "HTTP/1.1 {status} Injected\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
            xml.len()
        )?;
        return client.shutdown(Shutdown::Both);
    }
    let hold = {
        let mut f = faults.lock().unwrap();
        match &f.hold_answer {
            Some((m, text, _)) if *m == method && target.contains(text.as_str()) => {
                f.hold_answer.take()
            }
            _ => None,
        }
    };
    let mut up = TcpStream::connect(("127.0.0.1", upstream))?;
    let mut head = format!("{request_line}\r\n");
    for line in lines.iter().skip(1) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            head.push_str(line);
            head.push_str("\r\n");
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    up.write_all(head.as_bytes())?;
    up.write_all(&body)?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer)?;
    if let Some((_, _, pause)) = hold {
        record.status = 0;
        seen.lock().unwrap().push(record);
        match pause {
            Some(pause) => std::thread::sleep(pause),
            None => return client.shutdown(Shutdown::Both),
        }
        let _ = client.write_all(&answer);
        return client.shutdown(Shutdown::Both);
    }
    let end = find(&answer, b"\r\n\r\n").map_or(answer.len(), |e| e + 4);
    let (resp_head, resp_body) = answer.split_at(end);
    let resp_head = String::from_utf8_lossy(resp_head).into_owned();
    record.status = resp_head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut out_head = String::new();
    for line in resp_head.split("\r\n").filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out_head.push_str(line);
            out_head.push_str("\r\n");
        }
    }
    out_head.push_str("Connection: close\r\n\r\n");
    let (cut, stall, after) =
        if method == "GET" && !resp_body.is_empty() && record.status / 100 == 2 {
            let mut f = faults.lock().unwrap();
            (
                f.drop_get_after.take(),
                f.stall_get.take(),
                f.after_drop.take(),
            )
        } else {
            (None, None, None)
        };
    let send = cut.map_or(resp_body.len(), |n| (n as usize).min(resp_body.len()));
    if let Some(pause) = stall {
        let first = send.min(1024);
        // The client gives up on this body (its read timeout): the rest
        // is not counted as sent.
        record.body_sent = first as u64;
        seen.lock().unwrap().push(record);
        client.write_all(out_head.as_bytes())?;
        client.write_all(&resp_body[..first])?;
        client.flush()?;
        std::thread::sleep(pause);
        let _ = client.write_all(&resp_body[first..send]);
        return client.shutdown(Shutdown::Both);
    }
    // Logged before the client can see the answer (and exit).
    record.body_sent = send as u64;
    seen.lock().unwrap().push(record);
    client.write_all(out_head.as_bytes())?;
    client.write_all(&resp_body[..send])?;
    client.flush()?;
    // Before the client sees the cut, so its resume comes after.
    if let Some(after) = after {
        after();
    }
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
}

// ---------------------------------------------------------------------
// The tests.

const MIB: usize = 1 << 20;

/// Log-shaped text of exactly `len` bytes (grep-log and sniff have lines
/// to look at; the other subcommands take any bytes).
fn log_bytes(len: usize, seed: u64) -> Vec<u8> {
    let noise = crate::support::random_bytes(4096, seed);
    let mut out = Vec::with_capacity(len + 128);
    let mut i = 0u64;
    while out.len() < len {
        let level = ["INFO", "WARN", "ERROR", "DEBUG"][(noise[(i % 4096) as usize] % 4) as usize];
        out.extend_from_slice(
            format!(
                "2026-12-03T10:{:02}:{:02}Z {level} request id={i} bytes={}\n",
                (i / 60) % 60,
                i % 60,
                noise[(i * 7 % 4096) as usize]
            )
            .as_bytes(),
        );
        i += 1;
    }
    out.truncate(len);
    out
}

fn run(cmd: &mut Command) -> std::process::Output {
    cmd.output().expect("binkit runs")
}

fn ok(cmd: &mut Command) -> Vec<u8> {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn round_trips_through_the_server_match_the_local_result() {
    let Some(server) = server() else { return };
    let bucket = server.bucket("trip");
    let dir = tempfile::tempdir().unwrap();
    let url = server.url();
    let s3 = |key: &str| format!("s3://{bucket}/{key}");
    let sizes = [0, 1, 5 * MIB - 1, 5 * MIB, 8 * MIB + 1, 100 * MIB];
    for (n, &size) in sizes.iter().enumerate() {
        let data = log_bytes(size, n as u64);
        let local_in = dir.path().join(format!("in{n}"));
        std::fs::write(&local_in, &data).unwrap();
        let input = s3(&format!("in{n}"));
        server.put(&bucket, &format!("in{n}"), &data);
        // 0, or grep-log's 1 when nothing matched (an empty input).
        let local = |args: &[&str]| -> Vec<u8> {
            let mut cmd = binkit_s3(&url);
            cmd.args(args).current_dir(dir.path());
            let out = run(&mut cmd);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        // Each case: the subcommand's arguments for a local input and
        // stdout, and the same job from the object to an object.
        let cases: Vec<(&str, Vec<String>, Vec<String>)> = vec![
            ("b64", vec!["b64".into()], vec!["b64".into(), "-o".into()]),
            (
                "hexdump",
                vec!["hexdump".into()],
                vec!["hexdump".into(), "--output".into()],
            ),
            (
                "gzip",
                vec!["gzip".into(), "-c".into()],
                vec!["gzip".into(), "-o".into()],
            ),
            (
                "grep-log",
                vec!["grep-log".into(), "-a".into(), "ERROR".into()],
                vec![
                    "grep-log".into(),
                    "-a".into(),
                    "ERROR".into(),
                    "--output".into(),
                ],
            ),
        ];
        for (name, local_args, s3_args) in &cases {
            let mut l: Vec<&str> = local_args.iter().map(String::as_str).collect();
            let file = local_in.to_str().unwrap();
            l.push(file);
            let want = local(&l);
            let out = s3(&format!("out-{name}-{n}"));
            let mut cmd = binkit_s3(&url);
            cmd.args(s3_args).arg(&out).arg(&input);
            let got = run(&mut cmd);
            // grep-log answers 1 when nothing matched (an empty input).
            assert!(
                got.status.code() == Some(0) || (*name == "grep-log" && size < 100),
                "{name} {size}: {:?} {}",
                got.status,
                String::from_utf8_lossy(&got.stderr)
            );
            let stored = server.get(&bucket, &format!("out-{name}-{n}"));
            assert_eq!(
                stored.as_deref().map(<[u8]>::len),
                Some(want.len()),
                "{name} {size}"
            );
            assert!(stored.unwrap() == want, "{name} {size}: bytes differ");
        }
        // Decoding and decompressing back, object to object.
        for (name, args) in [
            ("b64", vec!["b64", "-d", "-o"]),
            ("gzip", vec!["gzip", "-d", "-o"]),
        ] {
            let back = s3(&format!("back-{name}-{n}"));
            let mut cmd = binkit_s3(&url);
            cmd.args(&args)
                .arg(&back)
                .arg(s3(&format!("out-{name}-{n}")));
            ok(&mut cmd);
            assert!(
                server.get(&bucket, &format!("back-{name}-{n}")).unwrap() == data,
                "{name} -d {size}"
            );
        }
        // encrypt / decrypt: the ciphertext has a random salt, so the
        // check is that decrypting the object gives the input back, and
        // that a local decrypt of the same object agrees.
        let enc = s3(&format!("enc-{n}"));
        let mut cmd = binkit_s3(&url);
        cmd.env("BK_PASS", "correct horse").args([
            "encrypt",
            "--pass-env",
            "BK_PASS",
            "-o",
            &enc,
            &input,
        ]);
        ok(&mut cmd);
        let dec = s3(&format!("dec-{n}"));
        let mut cmd = binkit_s3(&url);
        cmd.env("BK_PASS", "correct horse").args([
            "decrypt",
            "--pass-env",
            "BK_PASS",
            "-o",
            &dec,
            &enc,
        ]);
        ok(&mut cmd);
        assert!(
            server.get(&bucket, &format!("dec-{n}")).unwrap() == data,
            "decrypt {size}"
        );
        // split the object into local parts; join them into an object.
        let parts = dir.path().join(format!("parts{n}"));
        let mut cmd = binkit_s3(&url);
        cmd.args(["split", "-b", "3M", "--dir"])
            .arg(&parts)
            .arg(&input);
        ok(&mut cmd);
        let joined = s3(&format!("joined-{n}"));
        let mut cmd = binkit_s3(&url);
        cmd.args(["join", "-o", &joined])
            .arg(parts.join(format!("in{n}.manifest.json")));
        ok(&mut cmd);
        assert!(
            server.get(&bucket, &format!("joined-{n}")).unwrap() == data,
            "join {size}"
        );
        // sniff: the object's type, size and verdict are the file's.
        let mut cmd = binkit_s3(&url);
        cmd.args(["sniff", "--ndjson", &input]);
        let remote = String::from_utf8(ok(&mut cmd)).unwrap();
        let here =
            String::from_utf8(local(&["sniff", "--ndjson", local_in.to_str().unwrap()])).unwrap();
        assert_eq!(
            remote.replace(&input, "X"),
            here.replace(local_in.to_str().unwrap(), "X"),
            "sniff {size}"
        );
    }
    // hexdump -s/-l reads the 100 MiB object by range: the bytes shown are
    // xxd's of the same slice, and no more than them was asked for.
    let proxy = Proxy::start(server.port);
    let big = dir.path().join("in5");
    let want = {
        let mut cmd = binkit_s3(&url);
        cmd.args(["hexdump", "-s", "70000000", "-l", "4096"])
            .arg(&big);
        ok(&mut cmd)
    };
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["hexdump", "-s", "70000000", "-l", "4096", &s3("in5")]);
    assert_eq!(ok(&mut cmd), want);
    let got: u64 = proxy
        .seen()
        .iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.body_sent)
        .sum();
    assert!(
        got <= 4096,
        "hexdump -s -l fetched {got} bytes for 4096 shown"
    );
    assert!(
        server.uploads(&bucket).is_empty(),
        "no upload left unfinished"
    );
}

/// Waits (up to 60 s) until `done` holds.
fn wait_until(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn an_interrupted_or_failed_upload_leaves_no_object_and_no_parts() {
    let Some(server) = server() else { return };
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let bucket = server.bucket("sig");
        let proxy = Proxy::start(server.port);
        let mut child = binkit_s3(&proxy.url())
            .args(["b64", "-o", &format!("s3://{bucket}/out.b64")])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // 20 MiB in: at least two 8 MiB parts of base64 are sent, and the
        // upload stays open waiting for more.
        stdin
            .write_all(&crate::support::random_bytes(20 * MIB, 7))
            .unwrap();
        stdin.flush().unwrap();
        let parts_sent = || {
            proxy
                .seen()
                .iter()
                .filter(|s| s.method == "PUT" && s.target.contains("partNumber") && s.status == 200)
                .count()
                >= 2
        };
        assert!(
            wait_until(parts_sent),
            "{signal}: two parts reach the server"
        );
        assert_eq!(
            server.uploads(&bucket).len(),
            1,
            "{signal}: the upload is under way"
        );
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let out = child.wait_with_output().unwrap();
        drop(stdin);
        assert_eq!(out.status.code(), Some(code), "{signal}: 128 + the signal");
        assert!(server.keys(&bucket).is_empty(), "{signal}: no object");
        assert!(
            server.uploads(&bucket).is_empty(),
            "{signal}: no upload in progress, no parts"
        );
    }
    // A job that fails after parts were sent: corrupt base64 past 16 MiB.
    let bucket = server.bucket("fail");
    let mut bad = vec![b'A'; 20 * MIB];
    bad[18 * MIB] = b'*';
    let mut child = binkit_s3(&server.url())
        .args(["b64", "-d", "-o", &format!("s3://{bucket}/out")])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // binkit stops reading at the bad byte: a broken pipe here is expected.
    let _ = child.stdin.take().unwrap().write_all(&bad);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("byte {}", 18 * MIB)), "{err}");
    assert!(server.keys(&bucket).is_empty(), "no object after an error");
    assert!(server.uploads(&bucket).is_empty(), "the upload was aborted");
    // An existing object is not replaced without -f, and is with it.
    server.put(&bucket, "kept", b"old");
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["b64", "-o", &format!("s3://{bucket}/kept")])
        .stdin(Stdio::null());
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists; use -f"));
    assert_eq!(server.get(&bucket, "kept").unwrap(), b"old");
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["b64", "-f", "-o", &format!("s3://{bucket}/kept")])
        .stdin(Stdio::null());
    ok(&mut cmd);
    assert_eq!(server.get(&bucket, "kept").unwrap(), b"");
}

/// The `--s3-verbose` summary's retry count.
fn retries_of(stderr: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| l.starts_with("binkit: s3:") && l.contains("requests"))
        .unwrap_or_else(|| panic!("no summary in {text}"));
    line.split(", ")
        .nth(1)
        .and_then(|w| w.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap()
}

#[test]
fn faults_are_retried_and_the_bytes_stay_exact() {
    let Some(server) = server() else { return };
    let bucket = server.bucket("fault");
    let data = crate::support::random_bytes(12 * MIB + 5, 11);
    let want_b64 = {
        let mut cmd = binkit_s3(&server.url());
        cmd.arg("b64").stdin(Stdio::piped());
        let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let d = data.clone();
        let writer = std::thread::spawn(move || stdin.write_all(&d));
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        out.stdout
    };
    // Uploads: 500 to the first two part PUTs, 503 SlowDown to the
    // completion; each is retried, and the object is exact.
    let proxy = Proxy::start(server.port);
    proxy.faults.lock().unwrap().fail = vec![("PUT".into(), 500, 2), ("POST".into(), 503, 2)];
    server.put(&bucket, "in", &data);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args([
        "--s3-verbose",
        "b64",
        "-o",
        &format!("s3://{bucket}/up.b64"),
        &format!("s3://{bucket}/in"),
    ]);
    let out = run(&mut cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(server.get(&bucket, "up.b64").unwrap() == want_b64);
    // Four injected failures (two PUTs, the create and the complete are
    // POSTs), four retries: no more, no fewer.
    assert_eq!(retries_of(&out.stderr), 4);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("answered 500; retried") && err.contains("answered 503; retried"),
        "{err}"
    );
    assert!(
        !err.contains("very-secret-key-123"),
        "the secret is never printed"
    );

    // A GET dropped after 1 MiB resumes with a Range from the next byte
    // and If-Match on the ETag; the output is exact.
    let proxy = Proxy::start(server.port);
    proxy.faults.lock().unwrap().drop_get_after = Some(MIB as u64);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["--s3-verbose", "b64", &format!("s3://{bucket}/in")]);
    let out = run(&mut cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout == want_b64, "a resumed read is byte-exact");
    let etag = server.etag(&bucket, "in").unwrap();
    let gets: Vec<Seen> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET")
        .collect();
    assert_eq!(gets.len(), 2, "{gets:?}");
    assert_eq!(gets[0].body_sent, MIB as u64);
    assert_eq!(
        gets[1].range.as_deref(),
        Some(format!("bytes={}-{}", MIB, data.len() - 1).as_str())
    );
    assert_eq!(gets[1].if_match.as_deref(), Some(etag.as_str()));
    assert_eq!(retries_of(&out.stderr), 1);

    // A stalled body (past the read timeout, 3 s here) is resumed too.
    let proxy = Proxy::start(server.port);
    proxy.faults.lock().unwrap().stall_get = Some(Duration::from_secs(6));
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["b64", &format!("s3://{bucket}/in")]);
    let out = run(&mut cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout == want_b64,
        "a stalled read resumed is byte-exact"
    );
    let gets: Vec<Seen> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET")
        .collect();
    // (The stalled request is logged when the proxy gives up on it, after
    // binkit is done.)
    assert!(
        gets.iter().any(|g| g
            .range
            .as_deref()
            .is_some_and(|r| r.starts_with("bytes=1024-"))),
        "{gets:?}"
    );

    // An object replaced between the drop and the resume: an error, not
    // a splice of two versions.
    let proxy = Proxy::start(server.port);
    {
        let mut f = proxy.faults.lock().unwrap();
        f.drop_get_after = Some(MIB as u64);
        let (port, bucket) = (server.port, bucket.clone());
        f.after_drop = Some(Box::new(move || {
            let r = http(
                port,
                "PUT",
                &format!("/{bucket}/in"),
                &vec![b'x'; 13 * MIB],
                &[],
            )
            .unwrap();
            assert_eq!(r.status, 200);
        }));
    }
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args([
        "b64",
        "-o",
        &format!("s3://{bucket}/spliced"),
        &format!("s3://{bucket}/in"),
    ]);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("changed while being read"), "{err}");
    assert!(server.get(&bucket, "spliced").is_none() && server.uploads(&bucket).is_empty());

    // 4xx is not retried: a missing object is one request, a 403 one too.
    let proxy = Proxy::start(server.port);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["--s3-verbose", "b64", &format!("s3://{bucket}/missing")]);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(proxy.seen().len(), 1, "{:?}", proxy.seen());
    assert_eq!(retries_of(&out.stderr), 0);
    let proxy = Proxy::start(server.port);
    proxy.faults.lock().unwrap().fail = vec![("HEAD".into(), 403, 5)];
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["b64", &format!("s3://{bucket}/in")]);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(proxy.seen().len(), 1, "{:?}", proxy.seen());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("very-secret-key-123") && err.lines().count() == 1,
        "{err}"
    );
}

/// The parts the server lists for upload `id` of `bucket/key`.
fn listed_parts(server: &Server, bucket: &str, key: &str, id: &str) -> Vec<String> {
    let r = http(
        server.port,
        "GET",
        &format!("/{bucket}/{key}?uploadId={id}"),
        &[],
        &[],
    )
    .unwrap();
    tags(&String::from_utf8_lossy(&r.body), "PartNumber")
}

fn part_puts(proxy: &Proxy) -> usize {
    proxy
        .seen()
        .iter()
        .filter(|s| s.method == "PUT" && s.target.contains("partNumber=") && s.status == 200)
        .count()
}

/// `split --s3 -b 5MiB -o target -` through `proxy`, fed the first
/// `fed` bytes of `data` on stdin (kept open), once `parts` part PUTs
/// reached the server: the child, and its stdin.
fn split_under_way(
    proxy: &Proxy,
    target: &str,
    data: &[u8],
    fed: usize,
    parts: usize,
) -> (std::process::Child, std::process::ChildStdin) {
    let mut child = binkit_s3(&proxy.url())
        .args(["split", "--s3", "-b", "5MiB", "-o", target, "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&data[..fed]).unwrap();
    stdin.flush().unwrap();
    assert!(
        wait_until(|| part_puts(proxy) >= parts),
        "{parts} parts sent"
    );
    (child, stdin)
}

#[test]
fn split_uploads_one_object_whose_etag_is_the_manifests_and_resumes_after_a_kill() {
    let Some(server) = server() else { return };
    let bucket = server.bucket("split");
    let dir = tempfile::tempdir().unwrap();
    let data = crate::support::random_bytes(30 * MIB + 123, 21);
    let file = dir.path().join("backup.bin");
    std::fs::write(&file, &data).unwrap();
    let key = "backups/backup.bin";
    let mut cmd = binkit_s3(&server.url());
    cmd.args([
        "split",
        "--s3",
        "-b",
        "8MiB",
        "-o",
        &format!("s3://{bucket}/{key}"),
    ])
    .arg(&file);
    ok(&mut cmd);
    assert!(server.get(&bucket, key).unwrap() == data);
    let manifest: serde_json::Value = serde_json::from_slice(
        &server
            .get(&bucket, &format!("{key}.manifest.json"))
            .unwrap(),
    )
    .unwrap();
    // The ETag S3's rule gives these parts (MD5 of the part MD5s, -4),
    // computed here from the bytes, is the server's and the manifest's.
    let mut outer = md5::Md5::default();
    for part in data.chunks(8 * MIB) {
        md5::Digest::update(&mut outer, <md5::Md5 as md5::Digest>::digest(part));
    }
    let expected = format!("{}-4", hex::encode(md5::Digest::finalize(outer)));
    assert_eq!(
        server.etag(&bucket, key).unwrap(),
        format!("\"{expected}\"")
    );
    assert_eq!(manifest["s3_etag"], expected.as_str());
    assert_eq!(manifest["object"], "backup.bin");
    // The local split's manifest, but for `object`: the same claims.
    let local = dir.path().join("local");
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["split", "--s3", "-b", "8MiB", "--dir"])
        .arg(&local)
        .arg(&file);
    ok(&mut cmd);
    let mut here: serde_json::Value =
        serde_json::from_slice(&std::fs::read(local.join("backup.bin.manifest.json")).unwrap())
            .unwrap();
    here["object"] = "backup.bin".into();
    assert_eq!(here, manifest);

    // join --check verifies the object part by part; join writes it.
    let murl = format!("s3://{bucket}/{key}.manifest.json");
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["join", "--check", &murl]);
    let text = String::from_utf8(ok(&mut cmd)).unwrap();
    assert!(text.ends_with("4 parts: 4 ok, 0 to send again\n"), "{text}");
    let proxy = Proxy::start(server.port);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["join", &murl, "-o"])
        .arg(dir.path().join("joined"));
    ok(&mut cmd);
    assert!(std::fs::read(dir.path().join("joined")).unwrap() == data);
    // Each byte read once: body bytes of the GETs are the manifest plus
    // the object, no more.
    let manifest_len = server
        .get(&bucket, &format!("{key}.manifest.json"))
        .unwrap()
        .len() as u64;
    let read: u64 = proxy
        .seen()
        .iter()
        .filter(|s| s.method == "GET")
        .map(|s| s.body_sent)
        .sum();
    assert_eq!(read, manifest_len + data.len() as u64);
    // A replaced object of the same size: --check names the parts that
    // differ (1 and 3 here), exit 1; join refuses.
    let mut other = data.clone();
    other[5] ^= 1;
    other[17 * MIB] ^= 1;
    server.put(&bucket, key, &other);
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["join", "--check", &murl]);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("corrupt   part 1 ")
            && text.contains("corrupt   part 3 ")
            && text.contains("ok        part 2 "),
        "{text}"
    );
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["join", &murl, "-o"]).arg(dir.path().join("bad"));
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("bad").exists());

    // SIGKILL after three of six 5 MiB parts: the upload stays; --resume
    // lists its parts, sends only the missing ones, and the object's ETag
    // is the manifest's.
    let key = "big/resumed.bin";
    let target = format!("s3://{bucket}/{key}");
    let proxy = Proxy::start(server.port);
    let (mut child, stdin) = split_under_way(&proxy, &target, &data, 17 * MIB, 3);
    child.kill().unwrap();
    let _ = child.wait();
    drop(stdin);
    let ids = server.uploads(&bucket);
    assert_eq!(ids.len(), 1, "the killed upload is still there");
    let before = listed_parts(server, &bucket, key, &ids[0]);
    assert!(before.len() >= 3, "{before:?}");
    let proxy = Proxy::start(server.port);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["split", "--s3", "-b", "5MiB", "--resume", "-o", &target])
        .arg(&file);
    let out = run(&mut cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let total = data.len().div_ceil(5 * MIB);
    assert_eq!(
        part_puts(&proxy),
        total - before.len(),
        "only the missing parts are sent"
    );
    assert!(server.get(&bucket, key).unwrap() == data);
    let manifest: serde_json::Value = serde_json::from_slice(
        &server
            .get(&bucket, &format!("{key}.manifest.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        server.etag(&bucket, key).unwrap(),
        format!("\"{}\"", manifest["s3_etag"].as_str().unwrap())
    );
    assert!(server.uploads(&bucket).is_empty());

    // A resumed part whose bytes here differ from the server's is sent
    // again: kill after two parts, then resume with part 1 changed.
    let key = "big/changed.bin";
    let target = format!("s3://{bucket}/{key}");
    let proxy = Proxy::start(server.port);
    let (mut child, stdin) = split_under_way(&proxy, &target, &data, 11 * MIB, 2);
    child.kill().unwrap();
    let _ = child.wait();
    drop(stdin);
    let ids = server.uploads(&bucket);
    let before = listed_parts(server, &bucket, key, &ids[0]);
    let changed = dir.path().join("changed.bin");
    std::fs::write(&changed, &other).unwrap();
    let proxy = Proxy::start(server.port);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["split", "--s3", "-b", "5MiB", "--resume", "-o", &target])
        .arg(&changed);
    ok(&mut cmd);
    // Part 1 differs (byte 5): sent again with the ones not listed.
    assert_eq!(part_puts(&proxy), total - before.len() + 1);
    assert!(server.get(&bucket, key).unwrap() == other);

    // SIGINT and SIGTERM mid-upload: no object, no upload in progress.
    for signal in ["INT", "TERM"] {
        let key = format!("sig/{signal}.bin");
        let proxy = Proxy::start(server.port);
        let target = format!("s3://{bucket}/{key}");
        let (mut child, stdin) = split_under_way(&proxy, &target, &data, 11 * MIB, 2);
        Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        drop(stdin);
        assert!(status.code().is_some_and(|c| c > 128), "{status:?}");
        assert!(server.get(&bucket, &key).is_none());
        assert!(
            server.uploads(&bucket).is_empty(),
            "{signal}: {:?}",
            server.uploads(&bucket)
        );
    }
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            tree(&path, base, out);
        } else if path.is_file() {
            out.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

/// Bytes `strace` saw read from each file (by path) in a run of binkit:
/// `None` without strace.
fn bytes_read_locally(
    dir: &std::path::Path,
    args: &[&str],
) -> Option<std::collections::HashMap<String, u64>> {
    // -ff: a log per thread, so no call is split in two lines
    // (`<unfinished ...>`, `<... resumed>`) by another thread's.
    let logs = dir.join("strace");
    std::fs::create_dir_all(&logs).ok()?;
    let log = logs.join("log");
    let status = Command::new("strace")
        .args(["-ff", "-y", "-qq", "-e", "trace=read,pread64", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_binkit"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    status.code()?;
    let mut text = String::new();
    for entry in std::fs::read_dir(&logs).ok()? {
        text.push_str(&std::fs::read_to_string(entry.ok()?.path()).ok()?);
    }
    let mut read = std::collections::HashMap::new();
    for line in text.lines() {
        // `123 pread64(5</d/x.png>, "..."..., 8192, 0) = 8192`
        let Some(start) = line.find('<') else {
            continue;
        };
        let Some(end) = line[start..].find(">,") else {
            continue;
        };
        let path = line[start + 1..start + end].to_string();
        let Some(n) = line
            .rsplit(" = ")
            .next()
            .and_then(|n| n.trim().parse::<u64>().ok())
        else {
            continue;
        };
        *read.entry(path).or_default() += n;
    }
    Some(read)
}

#[test]
fn sniff_over_a_prefix_reads_heads_and_matches_the_local_run() {
    let Some(server) = server() else { return };
    let bucket = server.bucket("sniff");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("up");
    // The samples, and large objects of 1 to 20 MiB built on them (a PNG
    // or GIF with data after its end, a ZIP behind a random head, a PDF
    // padded, logs, plain data): heads and tails to read.
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sniff/samples");
    let mut names = Vec::new();
    tree(&samples, &samples, &mut names);
    for name in &names {
        let to = root.join("samples").join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(samples.join(name), &to).unwrap();
    }
    let count: usize = std::env::var("BINKIT_S3_SNIFF_OBJECTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let fixture = |n: &str| {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(n),
        )
        .unwrap()
    };
    let noise = crate::support::random_bytes(20 * MIB, 5);
    for i in 0..count {
        let size = MIB + (i * 7919 % 19) * MIB + i * 4099 % MIB;
        let (name, bytes) = match i % 6 {
            0 => (
                "png",
                [fixture("sample.png"), noise[..size].to_vec()].concat(),
            ),
            1 => (
                "zip",
                [noise[..size].to_vec(), fixture("sample.zip")].concat(),
            ),
            2 => ("pdf", [fixture("sample.pdf"), vec![b'\n'; size]].concat()),
            3 => ("log", log_bytes(size, i as u64)),
            4 => (
                "gif",
                [fixture("sample.gif"), noise[..size].to_vec()].concat(),
            ),
            _ => ("bin", noise[..size].to_vec()),
        };
        let to = root.join(format!("big/{i:04}.{name}"));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&to, bytes).unwrap();
    }
    let mut files = Vec::new();
    tree(&root, &root, &mut files);
    for rel in &files {
        let rel = rel.to_str().unwrap();
        server.put(
            &bucket,
            &format!("up/{rel}"),
            &std::fs::read(root.join(rel)).unwrap(),
        );
    }
    let prefix = format!("s3://{bucket}/up/");
    let proxy = Proxy::start(server.port);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["sniff", "-r", "--ndjson", &prefix]);
    let remote = run(&mut cmd);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["sniff", "-r", "--ndjson", "up"])
        .current_dir(dir.path());
    let local = run(&mut cmd);
    assert_eq!(remote.status.code(), local.status.code());
    // The same lines, the paths aside (a listing's order is the keys'
    // byte order, a walk's is each folder's: compared as sets).
    let lines = |out: &[u8], from: &str| -> Vec<String> {
        let mut v: Vec<String> = String::from_utf8_lossy(out)
            .lines()
            .map(|l| l.replace(from, "up/"))
            .collect();
        v.sort();
        v
    };
    let (r, l) = (lines(&remote.stdout, &prefix), lines(&local.stdout, "up/"));
    assert_eq!(r.len(), files.len());
    assert_eq!(r, l);
    // Only ranged GETs, and no object read further than the local run
    // reads its file.
    let seen = proxy.seen();
    let gets: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.method == "GET" && !s.target.contains("list-type"))
        .collect();
    assert!(!gets.is_empty());
    assert!(
        gets.iter().all(|g| g.range.is_some()),
        "a GET without Range"
    );
    let mut remote_bytes: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for g in &gets {
        let rel = g
            .target
            .split('?')
            .next()
            .unwrap()
            .trim_start_matches(&format!("/{bucket}/up/"))
            .to_string();
        *remote_bytes.entry(rel).or_default() += g.body_sent;
    }
    let total: u64 = remote_bytes.values().sum();
    let sizes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(root.join(f)).unwrap().len())
        .sum();
    eprintln!(
        "sniff over {} objects ({sizes} bytes): {total} bytes read by range",
        files.len()
    );
    match bytes_read_locally(dir.path(), &["sniff", "-r", "--ndjson", "up"]) {
        Some(local) => {
            for (rel, got) in &remote_bytes {
                let path = root.join(rel);
                let here = local.get(path.to_str().unwrap()).copied().unwrap_or(0);
                assert!(
                    *got <= here,
                    "{rel}: {got} bytes by range, {here} read locally"
                );
            }
        }
        None => {
            eprintln!("NOTICE: strace not found: bytes by range not compared with a local run's")
        }
    }
    for (rel, got) in &remote_bytes {
        // (Not bounded by the size: a ZIP's directory and entries are
        // read after its head, locally as by range.)
        let image = rel.ends_with(".png") || rel.ends_with(".gif");
        // (An image with megabytes after its end is read as far as the
        // local run reads it, checked above: its structure, and past its
        // end for code.)
        if image && !rel.starts_with("big/") {
            // A plain image: a few KiB.
            assert!(*got <= 16 << 10, "{rel}: {got} bytes");
        }
    }
    // --shard K/3: disjoint, and together the whole listing.
    let mut union = Vec::new();
    for k in 1..=3 {
        let mut cmd = binkit_s3(&server.url());
        cmd.args([
            "sniff",
            "-r",
            "--ndjson",
            "--shard",
            &format!("{k}/3"),
            &prefix,
        ]);
        let out = run(&mut cmd);
        let part = lines(&out.stdout, &prefix);
        assert!(
            !part.is_empty() && part.len() < files.len(),
            "shard {k}: {}",
            part.len()
        );
        union.extend(part);
    }
    union.sort();
    assert_eq!(union, r, "the shards are disjoint and cover the listing");
}

#[test]
fn grep_log_and_gzip_t_walk_a_prefix_as_a_folder() {
    let Some(server) = server() else { return };
    let bucket = server.bucket("logs");
    let logs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/logs");
    let mut names = Vec::new();
    tree(&logs, &logs, &mut names);
    let dir = tempfile::tempdir().unwrap();
    for name in &names {
        let rel = name.to_str().unwrap();
        server.put(
            &bucket,
            &format!("app/{rel}"),
            &std::fs::read(logs.join(rel)).unwrap(),
        );
        let to = dir.path().join("app").join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(logs.join(rel), to).unwrap();
    }
    let prefix = format!("s3://{bucket}/app/");
    for args in [
        vec!["grep-log", "-r", "-c", "error"],
        vec!["grep-log", "-r", "-i", "-n", "warn"],
        vec!["grep-log", "-r", "--level", "error", "--json"],
    ] {
        let mut cmd = binkit_s3(&server.url());
        cmd.args(&args).arg(&prefix);
        let remote = run(&mut cmd);
        let mut cmd = binkit_s3(&server.url());
        cmd.args(&args).arg("app/").current_dir(dir.path());
        let local = run(&mut cmd);
        assert_eq!(remote.status.code(), local.status.code(), "{args:?}");
        let norm = |out: &[u8], from: &str| {
            let mut v: Vec<String> = String::from_utf8_lossy(out)
                .lines()
                .filter(|l| !l.contains("\"type\":\"summary\"") && !l.contains("elapsed"))
                .map(|l| l.replace(from, "app/"))
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            norm(&remote.stdout, &prefix),
            norm(&local.stdout, "app/"),
            "{args:?}"
        );
    }
    // gzip -t over the prefix: the .gz objects pass; a corrupt one is an
    // error naming it, at its byte offset, exit 2, as locally.
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["gzip", "-t", "-r", "-v", &prefix]);
    let out = run(&mut cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ok_lines = String::from_utf8_lossy(&out.stderr).matches("OK").count();
    assert_eq!(
        ok_lines,
        names
            .iter()
            .filter(|n| n.to_str().unwrap().ends_with(".gz"))
            .count()
    );
    let mut bad = std::fs::read(logs.join("syslog.gz")).unwrap();
    let at = bad.len() - 5;
    bad[at] ^= 0xff;
    server.put(&bucket, "app/zz-bad.gz", &bad);
    std::fs::write(dir.path().join("app/zz-bad.gz"), &bad).unwrap();
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["gzip", "-t", "-r", &prefix]);
    let remote = run(&mut cmd);
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["gzip", "-t", "-r", "app"])
        .current_dir(dir.path());
    let local = run(&mut cmd);
    assert_eq!(remote.status.code(), Some(2));
    assert_eq!(local.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&remote.stderr).replace(&prefix, "app/"),
        String::from_utf8_lossy(&local.stderr)
    );
}

#[test]
fn hostile_keys_and_manifests_are_refused_one_by_one() {
    let Some(server) = server() else { return };
    let bucket = server.bucket("keys");
    // Keys S3 allows that binkit does not address (an empty, `.` or `..`
    // segment), and ones it does (`%`, non-ASCII, spaces, brackets).
    for key in ["a//b.txt", "c/./d.txt", "e/../f.txt"] {
        server.put(&bucket, key, b"plain text\n");
    }
    for key in [
        "100%25.txt",
        "z%C3%A9.txt",
        "sp%20ace.txt",
        "%5Bx%5D.txt",
        "t%7E.txt",
        "h%23.txt",
        "q%3F.txt",
        "s%2A.txt",
        "p%7C.txt",
        "c%7Bl%7D.txt",
        "b%5C.txt",
        "lt%3Cgt%3E.txt",
    ] {
        server.put(&bucket, key, b"plain text\n");
    }
    // A console's folder marker: no object to read, passed over.
    server.put(&bucket, "dir/", b"");
    server.put(&bucket, "dir/in.txt", b"plain text\n");
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["sniff", "-r", "--ndjson", &format!("s3://{bucket}/")]);
    let out = run(&mut cmd);
    // Each refused key is its own error; the listing goes on past them.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for key in ["a//b.txt", "c/./d.txt", "e/../f.txt"] {
        assert!(
            err.contains(&format!("key '{key}' has an empty, '.' or '..' segment")),
            "{err}"
        );
    }
    let lines = String::from_utf8_lossy(&out.stdout);
    for key in [
        "100%.txt",
        "zé.txt",
        "sp ace.txt",
        "[x].txt",
        "t~.txt",
        "h#.txt",
        "q?.txt",
        "s*.txt",
        "p|.txt",
        "c{l}.txt",
        "b\\\\.txt",
        "lt<gt>.txt",
        "dir/in.txt",
    ] {
        assert!(
            lines.contains(&format!(
                "\"path\":\"s3://{bucket}/{key}\",\"size\":11,\"mime\":\"text/plain\""
            )),
            "{key}: {lines}"
        );
    }
    assert!(!lines.contains(&format!("s3://{bucket}/dir\"")), "{lines}");
    // Written under the key as typed (not percent-encoded again), and
    // read back by it.
    let mut cmd = binkit_s3(&server.url());
    cmd.args(["b64", "-o", &format!("s3://{bucket}/out/é~[1]#?.b64")])
        .stdin(Stdio::null());
    ok(&mut cmd);
    assert_eq!(
        server
            .get(&bucket, "out/%C3%A9~%5B1%5D%23%3F.b64")
            .as_deref(),
        Some(&b""[..])
    );
    // A prefix without -r is an error in grep-log and gzip (as a
    // directory is), a skipped line in sniff.
    for args in [vec!["grep-log", "x"], vec!["gzip", "-t"]] {
        let mut cmd = binkit_s3(&server.url());
        cmd.args(&args).arg(format!("s3://{bucket}/dir/"));
        let out = run(&mut cmd);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is a prefix, not an object"));
    }
    // A small image costs one GET (and the HEAD of a named object).
    let proxy = Proxy::start(server.port);
    let png =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample.png"))
            .unwrap();
    server.put(&bucket, "img/a.png", &png);
    let mut cmd = binkit_s3(&proxy.url());
    cmd.args(["sniff", &format!("s3://{bucket}/img/a.png")]);
    ok(&mut cmd);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(
        seen.iter().map(|s| s.body_sent).sum::<u64>(),
        png.len() as u64
    );
    // A manifest whose object or part names leave its prefix: refused
    // before any object is read.
    let base = serde_json::json!({
        "format": "binkit-split", "version": 1, "name": "x", "size": 3, "chunk_size": 3,
        "sha256": "0".repeat(64), "s3_etag": null,
        "parts": [{"index": 1, "file": "x.00001.part", "size": 3, "sha256": "0".repeat(64)}]
    });
    for (field, value) in [
        ("object", "../../other/secret"),
        ("object", "/etc/passwd"),
        ("object", "a/b"),
        ("name", "../x"),
    ] {
        let mut m = base.clone();
        m[field] = value.into();
        server.put(&bucket, "m/x.manifest.json", m.to_string().as_bytes());
        let proxy = Proxy::start(server.port);
        let mut cmd = binkit_s3(&proxy.url());
        cmd.args([
            "join",
            "--check",
            &format!("s3://{bucket}/m/x.manifest.json"),
        ]);
        let out = run(&mut cmd);
        assert_eq!(out.status.code(), Some(2), "{field}={value}");
        let gets: Vec<String> = proxy.seen().into_iter().map(|s| s.target).collect();
        assert!(
            gets.iter()
                .all(|t| t.starts_with(&format!("/{bucket}/m/x.manifest.json"))),
            "{gets:?}"
        );
    }
    let mut m = base.clone();
    m["parts"][0]["file"] = "../../y".into();
    server.put(&bucket, "m/x.manifest.json", m.to_string().as_bytes());
    let mut cmd = binkit_s3(&server.url());
    cmd.args([
        "join",
        "--check",
        &format!("s3://{bucket}/m/x.manifest.json"),
    ]);
    assert_eq!(run(&mut cmd).status.code(), Some(2));
}

#[test]
fn a_local_job_never_starts_the_async_runtime() {
    // A job blocked on a FIFO: its threads are listed while it waits. The
    // object-storage runtime's workers are named binkit-s3; a local job
    // has none (and no s3:// name means no client at all).
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("in");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_binkit"))
        .args(["b64", "-o"])
        .arg(dir.path().join("out"))
        .arg(&fifo)
        .spawn()
        .unwrap();
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer.write_all(b"some bytes").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let names: Vec<String> = std::fs::read_dir(format!("/proc/{}/task", child.id()))
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .collect();
    drop(writer);
    assert!(child.wait().unwrap().success());
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|n| !n.starts_with("binkit-s3")),
        "{names:?}"
    );
}

#[test]
fn an_answer_lost_after_the_last_request_leaves_no_object() {
    let Some(server) = server() else { return };
    let bucket = server.bucket("lost");
    let data = crate::support::random_bytes(20 * MIB, 3);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in");
    std::fs::write(&file, &data).unwrap();
    // The completion (POST ?uploadId=) and a single PUT land on the
    // server, and their answers never come back: the job fails, and the
    // object it made is deleted (its ETag is this job's).
    for (method, text, key, input) in [
        ("POST", "uploadId=", "multi.b64", file.clone()),
        (
            "PUT",
            "small.b64",
            "small.b64",
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample.png"),
        ),
    ] {
        let proxy = Proxy::start(server.port);
        proxy.faults.lock().unwrap().hold_answer = Some((method.into(), text.into(), None));
        let mut cmd = binkit_s3(&proxy.url());
        cmd.env("BINKIT_S3_MAX_RETRIES", "0")
            .args(["b64", "-o", &format!("s3://{bucket}/{key}")])
            .arg(&input);
        let out = run(&mut cmd);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{key}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            server.get(&bucket, key).is_none(),
            "{key}: the object was left"
        );
        assert!(server.uploads(&bucket).is_empty());
    }
    // SIGTERM while the completion's answer is held: no object either.
    for (method, text, key, input) in [
        ("POST", "uploadId=", "sig.b64", file.clone()),
        (
            "PUT",
            "sigsmall.b64",
            "sigsmall.b64",
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample.png"),
        ),
    ] {
        let proxy = Proxy::start(server.port);
        proxy.faults.lock().unwrap().hold_answer =
            Some((method.into(), text.into(), Some(Duration::from_secs(20))));
        let mut child = binkit_s3(&proxy.url())
            .args(["b64", "-o", &format!("s3://{bucket}/{key}")])
            .arg(&input)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let held = || {
            proxy
                .seen()
                .iter()
                .any(|s| s.method == method && s.target.contains(text) && s.status == 0)
        };
        assert!(
            wait_until(held),
            "{key}: the last request reached the server"
        );
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(143));
        assert!(
            server.get(&bucket, key).is_none(),
            "{key}: the object was left"
        );
        assert!(server.uploads(&bucket).is_empty());
    }
    // split --resume with nothing to resume is a new upload: it does not
    // replace an object without -f.
    server.put(&bucket, "kept.bin", b"old");
    let mut cmd = binkit_s3(&server.url());
    cmd.args([
        "split",
        "--s3",
        "-b",
        "5MiB",
        "--resume",
        "-o",
        &format!("s3://{bucket}/kept.bin"),
    ])
    .arg(&file);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("output exists"));
    assert_eq!(server.get(&bucket, "kept.bin").unwrap(), b"old");
    // join --check: bytes after the last part make it long.
    let mut cmd = binkit_s3(&server.url());
    cmd.args([
        "split",
        "--s3",
        "-b",
        "8MiB",
        "-o",
        &format!("s3://{bucket}/j.bin"),
    ])
    .arg(&file);
    ok(&mut cmd);
    server.put(&bucket, "j.bin", &[&data[..], b"tail"].concat());
    let mut cmd = binkit_s3(&server.url());
    cmd.args([
        "join",
        "--check",
        &format!("s3://{bucket}/j.bin.manifest.json"),
    ]);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("long      part 3 "), "{text}");
}
