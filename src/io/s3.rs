//! Object storage: `s3://bucket/key` names, and synchronous `Read` and
//! `Write` adapters over the `object_store` crate's S3 client.
//!
//! The streaming core stays synchronous: an [`ObjectReader`] is a `Read`
//! whose bytes come from a ranged GET, an [`ObjectWriter`] a `Write` whose
//! bytes leave as the parts of a multipart upload. Both drive the one async
//! runtime, which [`client`] starts the first time an `s3://` name is used,
//! so local jobs never start it.
//!
//! Configuration is every S3 tool's: `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` /
//! `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT`),
//! `AWS_ALLOW_HTTP`, and `--endpoint-url`, which wins over the variables.
//! Secrets are never printed: messages name the method, bucket and key of a
//! request, never its headers or query.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpRequest, HttpResponse, HttpResponseBody, HttpService,
    ReqwestConnector,
};
use object_store::multipart::{MultipartStore, PartId};
use object_store::path::Path as Key;
use object_store::{
    ClientOptions, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};

use super::signals;
use crate::error::{Error, Place, Result};

/// S3's smallest part but the last (5 MiB).
pub const MIN_PART: u64 = 5 << 20;
/// S3's largest part (5 GiB).
pub const MAX_PART: u64 = 5 << 30;
/// S3's most parts in one upload.
pub const MAX_PARTS: u64 = 10_000;
/// The part size of an upload whose size is not known, and the smallest
/// one chosen (the AWS CLI's default, so ETags agree with its uploads).
pub const DEFAULT_PART: u64 = 8 << 20;
/// Bytes of parts held at once by one upload (being filled or in flight):
/// 5 parts of 8 MiB, so that a job's peak RSS stays under 64 MiB.
pub const UPLOAD_BUDGET: u64 = 40 << 20;

/// Requests in flight on a tree of objects by default (`--jobs`).
pub const DEFAULT_JOBS: usize = 16;

/// The default number of workers for a tree job over `paths`: `local`,
/// or [`DEFAULT_JOBS`] when an object-storage name is among them (each
/// worker mostly waits on the network).
pub fn default_jobs(
    paths: &[std::path::PathBuf],
    local: std::num::NonZeroUsize,
) -> std::num::NonZeroUsize {
    if paths.iter().any(|p| is_object(p)) {
        local.max(std::num::NonZeroUsize::new(DEFAULT_JOBS).expect("16"))
    } else {
        local
    }
}

/// True when `path` is written as an object name (`s3://...`).
pub fn is_object(path: &Path) -> bool {
    crate::paths::is_object_name(path)
}

/// An object's (or a prefix's) name: `s3://bucket/key`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectUrl {
    bucket: String,
    key: String,
}

impl ObjectUrl {
    /// Parses `s3://bucket/key`. The bucket follows S3's naming rules; the
    /// key is UTF-8, at most 1,024 bytes, with no empty, `.` or `..`
    /// segment (S3 allows them, but they cannot be named exactly by the
    /// client, and a name that means something else is refused, not
    /// rewritten).
    ///
    /// # Errors
    /// A name that is not one of those, with the reason.
    pub fn parse(text: &str) -> std::result::Result<ObjectUrl, String> {
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| format!("'{text}' is not an s3:// name"))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && bucket.as_bytes()[0].is_ascii_alphanumeric()
            && bucket.as_bytes()[bucket.len() - 1].is_ascii_alphanumeric();
        if !valid_bucket {
            return Err(format!(
                "'{}' is not a bucket name (3 to 63 lower-case letters, digits, '.' and '-')",
                crate::messages::printable_str(bucket)
            ));
        }
        if key.len() > 1024 {
            return Err("an object key is at most 1,024 bytes".into());
        }
        let body = key.strip_suffix('/').unwrap_or(key);
        if !body.is_empty() {
            for segment in body.split('/') {
                if segment.is_empty() || segment == "." || segment == ".." {
                    return Err(format!(
                        "key '{}' has an empty, '.' or '..' segment, which binkit does not address",
                        crate::messages::printable_str(key)
                    ));
                }
                if segment.chars().any(char::is_control) {
                    return Err(format!(
                        "key '{}' holds a control character",
                        crate::messages::printable_str(key)
                    ));
                }
            }
        }
        Ok(ObjectUrl {
            bucket: bucket.to_string(),
            key: key.to_string(),
        })
    }

    /// Parses a path given on the command line (`None` when it is not an
    /// `s3://` name).
    ///
    /// # Errors
    /// As [`ObjectUrl::parse`], with non-UTF-8 names refused.
    pub fn from_path(path: &Path) -> Option<std::result::Result<ObjectUrl, String>> {
        if !is_object(path) {
            return None;
        }
        Some(match path.to_str() {
            Some(text) => ObjectUrl::parse(text),
            None => Err("an s3:// name must be UTF-8".into()),
        })
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The key (or prefix), without the bucket.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// True for a bucket or a name ending in `/`: a prefix, not an object.
    pub fn is_prefix(&self) -> bool {
        self.key.is_empty() || self.key.ends_with('/')
    }

    /// The object `name` beside this one (in the same "folder").
    pub fn sibling(&self, name: &str) -> ObjectUrl {
        let dir = self.key.rfind('/').map_or("", |i| &self.key[..=i]);
        ObjectUrl {
            bucket: self.bucket.clone(),
            key: format!("{dir}{name}"),
        }
    }

    /// The object `key` in this one's bucket.
    pub fn with_key(&self, key: &str) -> ObjectUrl {
        ObjectUrl {
            bucket: self.bucket.clone(),
            key: key.to_string(),
        }
    }

    /// The key as object_store names it: the raw key (object_store's
    /// `Path::from` would percent-encode non-ASCII and `%`, and the URL
    /// would then encode them again). [`ObjectUrl::parse`] already refused
    /// what `Path::parse` refuses.
    pub fn store_key(&self) -> Key {
        let key = self.key.trim_end_matches('/');
        Key::parse(key).unwrap_or_else(|_| Key::from_iter(key.split('/')))
    }
}

impl fmt::Display for ObjectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// Counts of what the client did, for `-v` and the tests.
#[derive(Debug, Default)]
pub struct Stats {
    /// HTTP requests sent.
    pub requests: AtomicU64,
    /// Requests answered 5xx or 429, failed connections and dropped
    /// bodies: each is retried (or, past the retry limit, reported).
    pub retries: AtomicU64,
    /// Body bytes received.
    pub bytes_in: AtomicU64,
}

impl Stats {
    /// `--s3-verbose`'s last line: what the job asked of the server.
    pub fn report(&self) {
        crate::messages::report_line(&format!(
            "binkit: s3: {} requests, {} failed (retried within the limit), {} bytes received",
            self.requests.load(Ordering::Relaxed),
            self.retries.load(Ordering::Relaxed),
            self.bytes_in.load(Ordering::Relaxed)
        ));
    }
}

/// The async runtime and one client per bucket.
pub struct Client {
    runtime: tokio::runtime::Runtime,
    stores: Mutex<HashMap<String, Bucket>>,
    stats: Arc<Stats>,
}

/// One bucket's client, and what a signed request of binkit's own needs
/// (the few calls object_store does not make: listing uploads and parts).
#[derive(Clone)]
struct Bucket {
    store: Arc<AmazonS3>,
    /// `https://host/bucket` (path style) or the virtual host's URL.
    base: String,
    region: String,
    http: HttpClient,
}

/// What a listing (or a HEAD) says of an object: enough to read it as
/// that one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// Its size.
    pub size: u64,
    /// Its ETag, as the server gives it (quoted).
    pub etag: Option<String>,
}

/// One key of a listing page.
#[derive(Debug, Clone)]
pub struct ListedKey {
    /// The key, decoded.
    pub key: String,
    /// Its size and ETag.
    pub meta: Listing,
}

/// A part of an upload in progress, as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPart {
    /// Its number, from 1.
    pub number: u64,
    /// Its ETag, without quotes (the MD5 of its bytes, hex).
    pub etag: String,
    /// Its size.
    pub size: u64,
}

static CLIENT: OnceLock<std::result::Result<Client, String>> = OnceLock::new();
static ENDPOINT: OnceLock<String> = OnceLock::new();
static VERBOSE: AtomicBool = AtomicBool::new(false);

/// `--endpoint-url`: the S3 endpoint, over `AWS_ENDPOINT_URL`.
pub fn set_endpoint(url: &str) {
    let _ = ENDPOINT.set(url.to_string());
}

/// `-v`: print each retry on stderr.
pub fn set_verbose(on: bool) {
    VERBOSE.store(on, Ordering::Relaxed);
}

/// The client, started on first use.
///
/// # Errors
/// The runtime cannot start.
pub fn client() -> Result<&'static Client> {
    let client = CLIENT.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("binkit-s3")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the object-storage client: {e}"))?;
        Ok(Client {
            runtime,
            stores: Mutex::new(HashMap::new()),
            stats: Arc::default(),
        })
    });
    client.as_ref().map_err(|what| Error::Refused {
        what: what.clone(),
        place: Place::Stdin,
    })
}

/// The client's counts, when it was started.
pub fn stats() -> Option<&'static Stats> {
    CLIENT.get()?.as_ref().ok().map(|c| &*c.stats)
}

/// An env variable's value, when set and not empty.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn seconds(name: &str, default: u64) -> Duration {
    Duration::from_secs(var(name).and_then(|v| v.parse().ok()).unwrap_or(default))
}

impl Client {
    /// Runs `future` to its end on the runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Starts `future` on the runtime.
    pub fn spawn<F>(&self, future: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.runtime.spawn(future)
    }

    /// The client for `url`'s bucket.
    ///
    /// # Errors
    /// The configuration is not usable (a plain-HTTP endpoint without
    /// `AWS_ALLOW_HTTP`, a malformed endpoint).
    pub fn store(&self, url: &ObjectUrl) -> Result<Arc<AmazonS3>> {
        self.bucket(url).map(|b| b.store)
    }

    fn bucket(&self, url: &ObjectUrl) -> Result<Bucket> {
        let mut stores = self.stores.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(bucket) = stores.get(url.bucket()) {
            return Ok(bucket.clone());
        }
        let place = Place::Object(url.to_string());
        let fail = |what: String| Error::Refused {
            what,
            place: place.clone(),
        };
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(url.bucket());
        let flag = ENDPOINT.get().cloned();
        let endpoint = flag
            .clone()
            .or_else(|| var("AWS_ENDPOINT_URL_S3"))
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .or_else(|| var("AWS_ENDPOINT"));
        let mut options = ClientOptions::new()
            .with_timeout_disabled()
            .with_connect_timeout(seconds("BINKIT_S3_CONNECT_TIMEOUT", 10))
            .with_read_timeout(seconds("BINKIT_S3_READ_TIMEOUT", 30));
        if let Some(endpoint) = &endpoint {
            check_endpoint(endpoint).map_err(&fail)?;
            let http = endpoint.starts_with("http://");
            let allowed = var("AWS_ALLOW_HTTP").is_some_and(|v| v.eq_ignore_ascii_case("true"));
            if http && !allowed && flag.is_none() {
                return Err(fail(format!(
                    "endpoint '{}' is plain HTTP; set AWS_ALLOW_HTTP=true to use it",
                    crate::messages::printable_str(endpoint)
                )));
            }
            // Named on the command line, a plain-HTTP endpoint is meant.
            options = options.with_allow_http(http);
            builder = builder.with_endpoint(endpoint.as_str());
        }
        // Over TLS, a part's bytes are not hashed again for the signature
        // (the AWS SDKs' default for S3 over HTTPS); a plain-HTTP endpoint
        // signs them, as the AWS CLI does. AWS_UNSIGNED_PAYLOAD decides.
        let tls = endpoint
            .as_deref()
            .is_none_or(|e| e.starts_with("https://"));
        if var("AWS_UNSIGNED_PAYLOAD").is_none() {
            builder = builder.with_unsigned_payload(tls);
        }
        let region = var("AWS_REGION")
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        builder = builder.with_region(region.as_str());
        let base = match &endpoint {
            Some(endpoint) => format!("{}/{}", endpoint.trim_end_matches('/'), url.bucket()),
            None => format!("https://{}.s3.{region}.amazonaws.com", url.bucket()),
        };
        let http = Counting(Arc::clone(&self.stats))
            .connect(&options)
            .map_err(|e| fail(one_line(&e.to_string())))?;
        let retry = RetryConfig {
            max_retries: var("BINKIT_S3_MAX_RETRIES")
                .and_then(|v| v.parse().ok())
                .unwrap_or(10),
            retry_timeout: seconds("BINKIT_S3_RETRY_TIMEOUT", 180),
            ..RetryConfig::default()
        };
        let store = builder
            .with_client_options(options)
            .with_retry(retry)
            .with_http_connector(Counting(Arc::clone(&self.stats)))
            .build()
            .map_err(|e| fail(one_line(&e.to_string())))?;
        let bucket = Bucket {
            store: Arc::new(store),
            base,
            region,
            http,
        };
        stores.insert(url.bucket().to_string(), bucket.clone());
        Ok(bucket)
    }

    /// A signed GET of `url`'s bucket with `query`, for the calls
    /// object_store does not make; the body as text. Retried as
    /// object_store retries: 5xx, 429 and failed connections, with
    /// backoff, never 4xx.
    fn signed_get(&self, url: &ObjectUrl, path: &str, query: &str) -> Result<String> {
        let bucket = self.bucket(url)?;
        let target = format!("{}{path}?{query}", bucket.base);
        let fail = |what: String| {
            Error::io(
                "list",
                &Place::Object(url.to_string()),
                io::Error::other(what),
            )
        };
        self.block_on(async {
            let credential = bucket
                .store
                .credentials()
                .get_credential()
                .await
                .map_err(|e| fail(describe(&one_line(&e.to_string()))))?;
            let mut delay = Duration::from_millis(100);
            let mut tries = 0;
            loop {
                tries += 1;
                let mut request = http::Request::builder()
                    .method("GET")
                    .uri(target.as_str())
                    .body(object_store::client::HttpRequestBody::empty())
                    .map_err(|e| fail(e.to_string()))?;
                object_store::aws::AwsAuthorizer::new(&credential, "s3", &bucket.region)
                    .try_authorize(&mut request, None)
                    .map_err(|e| fail(one_line(&e.to_string())))?;
                let transient = match bucket.http.execute(request).await {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.into_body().bytes().await;
                        match body {
                            Ok(body) if status.is_success() => {
                                return Ok(String::from_utf8_lossy(&body).into_owned())
                            }
                            Ok(body) if !(status.is_server_error() || status.as_u16() == 429) => {
                                let text = String::from_utf8_lossy(&body);
                                return Err(fail(describe(&format!(
                                    "status code: {status}: {}",
                                    one_line(&text)
                                ))));
                            }
                            Ok(_) => format!("answered {status}"),
                            Err(e) => e.to_string(),
                        }
                    }
                    Err(e) => e.to_string(),
                };
                if tries > 10 {
                    return Err(fail(format!("{transient}, after 10 retries")));
                }
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(15));
            }
        })
    }

    /// One page (up to 1,000 keys) of the keys under `prefix` in `url`'s
    /// bucket, from `token` on: ListObjectsV2, with keys URL-encoded by
    /// the server (a key may hold characters XML cannot). Returns the
    /// keys and the next page's token. binkit lists for itself, not
    /// through object_store, so that a key the client cannot name (an
    /// empty or `.` segment) is one entry's error, not the listing's end.
    ///
    /// # Errors
    /// The request failed.
    pub fn list_page(
        &self,
        url: &ObjectUrl,
        prefix: &str,
        token: Option<&str>,
    ) -> Result<(Vec<ListedKey>, Option<String>)> {
        let mut query = format!("encoding-type=url&list-type=2&prefix={}", encode(prefix));
        if let Some(token) = token {
            query = format!("continuation-token={}&{query}", encode(token));
        }
        let xml = self.signed_get(url, "", &query)?;
        let mut keys = Vec::new();
        for item in xml.split("<Contents>").skip(1) {
            let item = item.split("</Contents>").next().unwrap_or_default();
            let (Some(key), Some(size)) = (xml_tag(item, "Key"), xml_tag(item, "Size")) else {
                return Err(Error::Refused {
                    what: "the server listed an object without a key or size".into(),
                    place: Place::Object(url.to_string()),
                });
            };
            keys.push(ListedKey {
                key: percent_decode(&key),
                meta: Listing {
                    size: size.parse().unwrap_or(0),
                    etag: xml_tag(item, "ETag"),
                },
            });
        }
        let next = (xml_tag(&xml, "IsTruncated").as_deref() == Some("true"))
            .then(|| xml_tag(&xml, "NextContinuationToken"))
            .flatten();
        Ok((keys, next))
    }

    /// The uploads under way to the key `url` (their ids).
    ///
    /// # Errors
    /// The listing failed.
    pub fn uploads_of(&self, url: &ObjectUrl) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        let mut markers = String::new();
        loop {
            let query = format!("prefix={}&uploads={markers}", encode(url.key()));
            let xml = self.signed_get(url, "", &query)?;
            for upload in xml.split("<Upload>").skip(1) {
                if xml_tag(upload, "Key").as_deref() == Some(url.key()) {
                    ids.extend(xml_tag(upload, "UploadId"));
                }
            }
            if xml_tag(&xml, "IsTruncated").as_deref() != Some("true") {
                return Ok(ids);
            }
            let key = xml_tag(&xml, "NextKeyMarker").unwrap_or_default();
            let id = xml_tag(&xml, "NextUploadIdMarker").unwrap_or_default();
            markers = format!(
                "&key-marker={}&upload-id-marker={}",
                encode(&key),
                encode(&id)
            );
            // (The query's keys must be sorted for the signature: the
            // authorizer sorts them.)
        }
    }

    /// The parts the upload `id` to `url` holds, by number.
    ///
    /// # Errors
    /// The listing failed, or a part is listed in a shape not S3's.
    pub fn parts_of(&self, url: &ObjectUrl, id: &str) -> Result<Vec<ListedPart>> {
        let mut parts = Vec::new();
        let mut marker = 0u64;
        loop {
            let query = format!("part-number-marker={marker}&uploadId={}", encode(id));
            let xml = self.signed_get(url, &format!("/{}", encode_key(url.key())), &query)?;
            for part in xml.split("<Part>").skip(1) {
                let number = xml_tag(part, "PartNumber").and_then(|n| n.parse().ok());
                let size = xml_tag(part, "Size").and_then(|n| n.parse().ok());
                let etag = xml_tag(part, "ETag")
                    .map(|e| e.replace("&quot;", "").trim_matches('"').to_string());
                match (number, size, etag) {
                    (Some(number), Some(size), Some(etag)) => {
                        parts.push(ListedPart { number, etag, size })
                    }
                    _ => {
                        return Err(Error::Refused {
                            what: "the server listed a part without a number, size or ETag".into(),
                            place: Place::Object(url.to_string()),
                        })
                    }
                }
            }
            if xml_tag(&xml, "IsTruncated").as_deref() != Some("true") {
                parts.sort_by_key(|p| p.number);
                return Ok(parts);
            }
            marker = xml_tag(&xml, "NextPartNumberMarker")
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > marker)
                .ok_or_else(|| Error::Refused {
                    what: "the server's part listing does not move on".into(),
                    place: Place::Object(url.to_string()),
                })?;
        }
    }
}

/// The text of the first `<tag>...</tag>` in `xml` (XML entities of
/// S3's answers are few: keys come back as they were sent).
fn xml_tag(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(
        xml[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// `encoding-type=url`'s keys: `%XX` decoded (and `+`, which S3 writes
/// for a space); bytes that are not UTF-8 become U+FFFD.
fn percent_decode(text: &str) -> String {
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let pair = (
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        );
        match (bytes[i], pair) {
            (b'%', (Some(hi), Some(lo))) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// S3's URI encoding of a query value: all but `A-Za-z0-9-._~`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A key in a URL path: each segment encoded, the slashes kept.
fn encode_key(key: &str) -> String {
    key.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// An error's text on one line (object_store's chain their causes), with
/// the secrets of the environment blotted out (a server may echo a
/// request's headers in its message) and at most 400 characters.
fn one_line(text: &str) -> String {
    let mut line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for name in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] {
        if let Some(secret) = var(name).filter(|s| s.len() >= 4) {
            line = line.replace(&secret, "[secret]");
        }
    }
    // A signature is no secret, but it is no one's business either.
    let mut from = 0;
    while let Some(at) = line[from..].find("Signature=").map(|i| i + from) {
        let start = at + "Signature=".len();
        let end = line[start..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .map_or(line.len(), |e| start + e);
        line.replace_range(start..end, "[..]");
        from = start + 4;
    }
    if line.chars().count() > 400 {
        line = line.chars().take(400).collect::<String>() + "...";
    }
    line
}

/// An endpoint binkit will use: `http(s)://host[:port][/path]`, the host a
/// name or an IP address (IPv6 in brackets), the port 1 to 65535; no
/// user or password (credentials belong in the AWS_* variables, and a URL
/// is printed in messages), no query or fragment.
///
/// # Errors
/// What is wrong, without the URL's user part.
pub fn check_endpoint(url: &str) -> std::result::Result<(), String> {
    let shown = match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(a)) if a > s => format!("{}[user]{}", &url[..s + 3], &url[a..]),
        _ => url.to_string(),
    };
    let shown = crate::messages::printable_str(&shown);
    let bad = |why: &str| format!("endpoint '{shown}' {why}");
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| bad("is not an http:// or https:// URL"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.contains('@') {
        return Err(bad(
            "names a user: give credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ));
    }
    if path.contains(['?', '#', '%']) || !path.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad(
            "has a query, a fragment or a character a path cannot hold",
        ));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6
                .split_once(']')
                .ok_or_else(|| bad("has an unclosed '['"))?;
            let addr_ok = !addr.is_empty()
                && addr
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
            if !addr_ok || !(after.is_empty() || after.starts_with(':')) {
                return Err(bad("has a malformed IPv6 address"));
            }
            (None, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(authority), None),
        },
    };
    if let Some(host) = host {
        let name_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if !name_ok {
            return Err(bad(
                "has no host, or a host that is not a name or an address",
            ));
        }
    }
    if let Some(port) = port {
        if !port.parse::<u16>().is_ok_and(|p| p > 0) {
            return Err(bad("has a port that is not 1 to 65535"));
        }
    }
    Ok(())
}

/// An object-store error as binkit's error for `op` on `url`: one line,
/// the server's status and S3 error code and message when it answered
/// (object_store's text carries the whole XML body and the retry
/// settings).
pub fn store_error(op: &'static str, url: &ObjectUrl, error: &object_store::Error) -> Error {
    let place = Place::Object(url.to_string());
    let text = one_line(&error.to_string());
    let changed = matches!(error, object_store::Error::Precondition { .. })
        || text.contains("412 Precondition Failed")
        || text.contains("<Code>PreconditionFailed</Code>");
    if changed {
        return Error::Refused {
            what: "the object changed while being read (its ETag is not the one first read)".into(),
            place,
        };
    }
    let kind = match error {
        object_store::Error::NotFound { .. } => {
            return Error::io(
                op,
                &place,
                io::Error::new(io::ErrorKind::NotFound, "no such object"),
            );
        }
        object_store::Error::PermissionDenied { .. }
        | object_store::Error::Unauthenticated { .. } => io::ErrorKind::PermissionDenied,
        _ => io::ErrorKind::Other,
    };
    Error::io(op, &place, io::Error::new(kind, describe(&text)))
}

/// object_store's error text, shortened to what a person reads: the
/// status, S3's `<Code>` and `<Message>`, and the retries made.
fn describe(text: &str) -> String {
    let tag = |name: &str| {
        let open = format!("<{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find("</")? + start;
        Some(text[start..end].to_string())
    };
    let status = text.find("status code: ").map(|i| {
        let rest = &text[i + "status code: ".len()..];
        rest.split(':').next().unwrap_or(rest).trim().to_string()
    });
    let retries = text.find("after ").and_then(|i| {
        let n: String = text[i + 6..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        n.parse::<u64>().ok().filter(|&n| n > 0)
    });
    let mut line = match (status, tag("Code"), tag("Message")) {
        (Some(status), Some(code), Some(message)) => {
            format!("the server answered {status} ({code}: {message})")
        }
        (Some(status), Some(code), None) => format!("the server answered {status} ({code})"),
        (Some(status), None, _) => format!("the server answered {status}"),
        _ => {
            // A connection error: what failed, and where.
            let cut = text.find('<').unwrap_or(text.len());
            let what = text[..cut].rsplit(" - ").next().unwrap_or_default();
            let what = what.trim_end_matches([' ', ':', '-']);
            let host = text
                .split_whitespace()
                .find(|w| w.starts_with("http://") || w.starts_with("https://"))
                .and_then(|u| {
                    u.splitn(4, '/')
                        .take(3)
                        .collect::<Vec<_>>()
                        .join("/")
                        .into()
                });
            let what = what.strip_prefix("HTTP error: ").unwrap_or(what);
            let lower = what.to_ascii_lowercase();
            let unanswered = [
                "error sending request",
                "connect",
                "timed out",
                "timeout",
                "connection",
                "body error",
            ]
            .iter()
            .any(|w| lower.contains(w));
            match (unanswered, host) {
                (true, Some(host)) => format!("no answer from {host}: {what}"),
                (true, None) => format!("no answer from the server: {what}"),
                (false, _) => format!("the request failed: {what}"),
            }
        }
    };
    if let Some(n) = retries {
        line.push_str(&format!(", after {n} retries"));
    }
    line
}

/// An error as the `io::Error` of a `Read` or `Write`, without its place
/// (whoever reports the read or write names the object again).
pub fn to_io(error: Error) -> io::Error {
    match error {
        Error::Io { source, .. } => source,
        Error::Refused { what, .. } => io::Error::other(what),
        other => io::Error::other(other.to_string()),
    }
}

/// The HTTP connector that counts requests, retries and bytes, and prints
/// each retry under `-v` (method, bucket and key: no header, no query).
#[derive(Debug)]
struct Counting(Arc<Stats>);

impl HttpConnector for Counting {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        let inner = ReqwestConnector::default().connect(options)?;
        Ok(HttpClient::new(CountingService {
            inner,
            stats: Arc::clone(&self.0),
        }))
    }
}

#[derive(Debug)]
struct CountingService {
    inner: HttpClient,
    stats: Arc<Stats>,
}

fn note_retry(stats: &Stats, method: &http::Method, path: &str, why: &str) {
    let n = stats.retries.fetch_add(1, Ordering::Relaxed) + 1;
    if VERBOSE.load(Ordering::Relaxed) {
        crate::messages::report_line(&format!(
            "binkit: s3: {method} {} {why}; retried within the retry limit (failure {n})",
            crate::messages::printable_str(path)
        ));
    }
}

#[async_trait::async_trait]
impl HttpService for CountingService {
    async fn call(&self, req: HttpRequest) -> std::result::Result<HttpResponse, HttpError> {
        use http_body_util::BodyExt;
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let response = self.inner.execute(req).await;
        match &response {
            Ok(r) if r.status().is_server_error() || r.status().as_u16() == 429 => {
                note_retry(
                    &self.stats,
                    &method,
                    &path,
                    &format!("answered {}", r.status().as_u16()),
                );
            }
            Ok(_) => {}
            Err(e) => note_retry(
                &self.stats,
                &method,
                &path,
                &format!("failed ({:?})", e.kind()),
            ),
        }
        let response = response?;
        let stats = Arc::clone(&self.stats);
        let (parts, body) = response.into_parts();
        let counted = body
            .map_frame({
                let stats = Arc::clone(&stats);
                move |frame| {
                    if let Some(data) = frame.data_ref() {
                        stats
                            .bytes_in
                            .fetch_add(data.len() as u64, Ordering::Relaxed);
                    }
                    frame
                }
            })
            .map_err(move |e| {
                note_retry(&stats, &method, &path, "lost its connection mid-body");
                e
            });
        Ok(HttpResponse::from_parts(
            parts,
            HttpResponseBody::new(counted),
        ))
    }
}

/// An object read as a stream: a GET from the current position, resumed
/// on a dropped connection with a `Range` from the last byte received and
/// `If-Match` on the ETag first seen (object_store's body retry carries
/// the request's options), so an object replaced mid-read is an error,
/// never a splice of two versions.
pub struct ObjectReader {
    url: ObjectUrl,
    client: &'static Client,
    store: Arc<AmazonS3>,
    meta: Listing,
    pos: u64,
    end: u64,
    stream: Option<BoxStream<'static, object_store::Result<Bytes>>>,
    chunk: Bytes,
    /// Ranges fetched by [`ObjectReader::read_range`], newest last, at
    /// most [`FETCHED_LIMIT`] bytes in all.
    fetched: Vec<(u64, Bytes)>,
}

/// The most bytes of ranges an [`ObjectReader`] keeps for reading again
/// (sniff's text check reads 1 MiB, its markup check 256 KiB).
const FETCHED_LIMIT: usize = 2 << 20;

impl ObjectReader {
    /// Looks the object up (a HEAD: its size and ETag), reading nothing.
    ///
    /// # Errors
    /// A prefix, a missing object, a refused request.
    pub fn open(url: &ObjectUrl) -> Result<ObjectReader> {
        let place = Place::Object(url.to_string());
        if url.is_prefix() {
            return Err(Error::Refused {
                what: "input is a prefix, not an object (a tree job takes -r)".into(),
                place,
            });
        }
        let client = client()?;
        let store = client.store(url)?;
        let key = url.store_key();
        let meta = client
            .block_on(store.head(&key))
            .map_err(|e| store_error("open input", url, &e))?;
        let meta = Listing {
            size: meta.size,
            etag: meta.e_tag,
        };
        ObjectReader::with_meta(url.clone(), meta)
    }

    /// A reader for an object already listed (its ETag and size known).
    ///
    /// # Errors
    /// None but the client's start.
    pub fn listed(url: ObjectUrl, meta: Listing) -> Result<ObjectReader> {
        ObjectReader::with_meta(url, meta)
    }

    fn with_meta(url: ObjectUrl, meta: Listing) -> Result<ObjectReader> {
        let client = client()?;
        let store = client.store(&url)?;
        let end = meta.size;
        Ok(ObjectReader {
            url,
            client,
            store,
            meta,
            pos: 0,
            end,
            stream: None,
            chunk: Bytes::new(),
            fetched: Vec::new(),
        })
    }

    /// The object's size.
    pub fn size(&self) -> u64 {
        self.meta.size
    }

    /// The object's name.
    pub fn url(&self) -> &ObjectUrl {
        &self.url
    }

    /// Moves the position to `pos` (at most the size); the next read
    /// starts a ranged GET there.
    pub fn seek_to(&mut self, pos: u64) {
        let pos = pos.min(self.meta.size);
        if pos != self.pos || self.stream.is_none() {
            self.stream = None;
            self.chunk = Bytes::new();
            self.pos = pos;
        }
    }

    /// Reads no further than `end` (hexdump -l: only the bytes shown are
    /// asked for).
    pub fn limit_to(&mut self, end: u64) {
        self.end = end.min(self.meta.size);
        self.stream = None;
        self.chunk = Bytes::new();
    }

    /// The bytes `range` of the object (clamped to its size), in one
    /// ranged GET with `If-Match`.
    ///
    /// # Errors
    /// The GET failed, or the object changed.
    pub fn read_range(&mut self, start: u64, end: u64) -> Result<Bytes> {
        let end = end.min(self.meta.size);
        if start >= end {
            return Ok(Bytes::new());
        }
        // sniff reads its head, then looks again at pieces of it (a PNG's
        // chunks, a ZIP's records): served from what was fetched, so an
        // object costs the requests and bytes of its distinct ranges.
        if let Some((at, bytes)) = self
            .fetched
            .iter()
            .find(|(at, b)| *at <= start && end <= at + b.len() as u64)
        {
            let from = usize::try_from(start - at).unwrap_or(0);
            let to = usize::try_from(end - at).unwrap_or(0);
            return Ok(bytes.slice(from..to));
        }
        let bytes = self.get_range(start, end)?;
        if bytes.len() <= FETCHED_LIMIT {
            self.fetched.push((start, bytes.clone()));
            let mut held: usize = self.fetched.iter().map(|(_, b)| b.len()).sum();
            while held > FETCHED_LIMIT {
                held -= self.fetched.remove(0).1.len();
            }
        }
        Ok(bytes)
    }

    fn get_range(&self, start: u64, end: u64) -> Result<Bytes> {
        let options = self.options(start, end);
        let key = self.url.store_key();
        let store = Arc::clone(&self.store);
        let listed = self.meta.size;
        let (size, bytes) = self
            .client
            .block_on(async move {
                let result = store.get_opts(&key, options).await?;
                let size = result.meta.size;
                Ok::<_, object_store::Error>((size, result.bytes().await?))
            })
            .map_err(|e| store_error("read", &self.url, &e))?;
        // The object's size, as the GET's Content-Range gives it, must be
        // the one the listing (or HEAD) gave: a size limit is judged on
        // the listing's.
        if size != listed {
            return Err(Error::Refused {
                what: format!("the object is {size} bytes, not the {listed} its listing gave"),
                place: Place::Object(self.url.to_string()),
            });
        }
        Ok(bytes)
    }

    fn options(&self, start: u64, end: u64) -> GetOptions {
        GetOptions {
            if_match: self.meta.etag.clone(),
            range: Some(GetRange::Bounded(start..end)),
            ..GetOptions::default()
        }
    }

    fn next_chunk(&mut self) -> Result<bool> {
        if self.pos >= self.end {
            return Ok(false);
        }
        if self.stream.is_none() {
            let options = self.options(self.pos, self.end);
            let key = self.url.store_key();
            let store = Arc::clone(&self.store);
            let result = self
                .client
                .block_on(async move { store.get_opts(&key, options).await })
                .map_err(|e| store_error("read", &self.url, &e))?;
            self.stream = Some(result.into_stream());
        }
        let stream = self.stream.as_mut().expect("stream started above");
        match self.client.block_on(stream.next()) {
            Some(Ok(bytes)) => {
                self.chunk = bytes;
                Ok(true)
            }
            Some(Err(e)) => {
                self.stream = None;
                Err(store_error("read", &self.url, &e))
            }
            None => Err(Error::Refused {
                what: format!(
                    "the object ended at byte {} of the {} its listing gave",
                    self.pos, self.end
                ),
                place: Place::Object(self.url.to_string()),
            }),
        }
    }
}

impl Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            if !self.next_chunk().map_err(to_io)? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        self.chunk = self.chunk.slice(n..);
        self.pos += n as u64;
        Ok(n)
    }
}

/// The ETag S3 gives an object made of parts with these ETags (quoted
/// hex MD5s): the MD5 of their binary MD5s, then `-N`. `None` when a part's
/// ETag is not an MD5 (SSE-KMS, some other servers).
pub fn multipart_etag(parts: &[String]) -> Option<String> {
    use md5::Digest;
    let mut outer = md5::Md5::new();
    for part in parts {
        let hex = part.trim_matches('"');
        let bytes = hex::decode(hex).ok().filter(|b| b.len() == 16)?;
        outer.update(bytes);
    }
    Some(format!(
        "\"{}-{}\"",
        hex::encode(outer.finalize()),
        parts.len()
    ))
}

/// The fuzz target's view of this module's parsers of untrusted text: an
/// `s3://` name, an endpoint, a server's XML answer (its tags and
/// URL-encoded keys), error text to shorten, and part ETags.
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub fn fuzz_parsers(text: &str) {
    if let Ok(url) = ObjectUrl::parse(text) {
        // What parses names an object object_store can address.
        let _ = url.store_key();
        assert!(url.to_string().starts_with("s3://"));
    }
    let _ = check_endpoint(text);
    for tag in [
        "Key",
        "Size",
        "ETag",
        "UploadId",
        "PartNumber",
        "IsTruncated",
    ] {
        if let Some(value) = xml_tag(text, tag) {
            let _ = percent_decode(&value);
        }
    }
    let _ = describe(&one_line(text));
    let parts: Vec<String> = text.split(',').map(str::to_string).collect();
    let _ = multipart_etag(&parts);
}

/// Deletes the object at `url` if its ETag is `etag`: the object this job
/// made (an answer lost after the request landed), never one that was
/// there before or that someone else wrote since.
pub fn delete_if_ours(client: &'static Client, store: &Arc<AmazonS3>, url: &ObjectUrl, etag: &str) {
    let key = url.store_key();
    let store = Arc::clone(store);
    let etag = etag.trim_matches('"').to_string();
    let _ = client.block_on(async move {
        tokio::time::timeout(Duration::from_secs(10), async {
            if let Ok(meta) = store.head(&key).await {
                if meta.e_tag.as_deref().map(|e| e.trim_matches('"')) == Some(etag.as_str()) {
                    let _ = store.delete(&key).await;
                }
            }
        })
        .await
    });
}

/// Keeps `url` on the signal handler's list while an upload's last step
/// (its PUT, its completion, a manifest after it) is under way: a signal
/// aborts `upload` (when given) and deletes the object if it is this
/// job's (`etag`).
pub fn guard_object(
    client: &'static Client,
    store: &Arc<AmazonS3>,
    url: &ObjectUrl,
    etag: Option<String>,
    upload: Option<String>,
) -> signals::AbortOnSignal {
    guard_object_held(
        &mut signals::hold_aborts(),
        client,
        store,
        url,
        etag,
        upload,
    )
}

/// [`guard_object`] under a hold the caller already has: an upload is
/// created and registered under one hold, so that a signal between the
/// two cannot orphan it.
pub fn guard_object_held(
    held: &mut signals::HeldAborts,
    client: &'static Client,
    store: &Arc<AmazonS3>,
    url: &ObjectUrl,
    etag: Option<String>,
    upload: Option<String>,
) -> signals::AbortOnSignal {
    let (store, url) = (Arc::clone(store), url.clone());
    signals::AbortOnSignal::register_held(
        held,
        Box::new(move || {
            if let Some(id) = upload {
                let key = url.store_key();
                let store = Arc::clone(&store);
                let _ = client.block_on(async move {
                    tokio::time::timeout(Duration::from_secs(10), store.abort_multipart(&key, &id))
                        .await
                });
            }
            if let Some(etag) = etag {
                delete_if_ours(client, &store, &url, &etag);
            }
        }),
    )
}

/// Waits for a part sent with [`Client::spawn`]: its id, or the error of
/// its upload to `url`.
///
/// # Errors
/// The part's PUT failed (or its task did).
pub fn wait_part(
    client: &'static Client,
    url: &ObjectUrl,
    handle: tokio::task::JoinHandle<object_store::Result<PartId>>,
) -> Result<PartId> {
    client
        .block_on(handle)
        .map_err(|e| {
            Error::io(
                "write",
                &Place::Object(url.to_string()),
                io::Error::other(e),
            )
        })?
        .map_err(|e| store_error("write", url, &e))
}

/// How many parts of `part` bytes one upload keeps in flight while the
/// next fills: as many as fit [`UPLOAD_BUDGET`] with the one being filled,
/// and none for parts over half of it (`BINKIT_S3_PARTS_IN_FLIGHT`
/// overrides it, for measuring).
pub fn parts_in_flight(part: u64) -> usize {
    if let Some(n) = var("BINKIT_S3_PARTS_IN_FLIGHT").and_then(|v| v.parse::<usize>().ok()) {
        return n;
    }
    if part > UPLOAD_BUDGET / 2 {
        // Parts over 20 MiB (an output of more than 200 GB, or split -b):
        // each is sent before the next fills, so one is held at a time.
        return 0;
    }
    usize::try_from((UPLOAD_BUDGET / part).saturating_sub(1).max(1)).unwrap_or(1)
}

/// The part size for an upload of `size` bytes (when known): 8 MiB, or the
/// smallest whole number of MiB that fits it in 10,000 parts.
///
/// # Errors
/// More than 10,000 parts of 5 GiB.
pub fn part_size_for(size: Option<u64>) -> std::result::Result<u64, String> {
    let Some(size) = size else {
        return Ok(DEFAULT_PART);
    };
    let needed = size.div_ceil(MAX_PARTS).div_ceil(1 << 20) << 20;
    let part = needed.max(DEFAULT_PART);
    if part > MAX_PART {
        return Err(format!(
            "{size} bytes do not fit in S3's 10,000 parts of 5 GiB"
        ));
    }
    Ok(part)
}

/// An upload: bytes written become the parts of a multipart upload, sent
/// while the next part fills, with at most a few in flight. Only
/// [`ObjectWriter::commit`] makes the object appear; dropped before that
/// (an error, a panic), or on a terminating signal, the upload is aborted
/// and leaves no object and no parts. An output smaller than one part is a
/// single PUT at commit, which is as atomic.
pub struct ObjectWriter {
    url: ObjectUrl,
    client: &'static Client,
    store: Arc<AmazonS3>,
    part_size: usize,
    in_flight: usize,
    buf: Vec<u8>,
    upload: Option<Upload>,
    written: u64,
}

struct Upload {
    id: String,
    next_part: usize,
    sending: VecDeque<tokio::task::JoinHandle<object_store::Result<PartId>>>,
    parts: Vec<PartId>,
    abort_on_signal: signals::AbortOnSignal,
}

impl ObjectWriter {
    /// An upload to `url`, refused when the object exists and `force` is
    /// off (as a local output is). `size`, when known, sets the part size
    /// ([`part_size_for`]).
    ///
    /// # Errors
    /// A prefix, an existing object without `force`, a size too large.
    pub fn create(url: &ObjectUrl, force: bool, size: Option<u64>) -> Result<ObjectWriter> {
        let place = Place::Object(url.to_string());
        if url.is_prefix() {
            return Err(Error::Refused {
                what: "output is a prefix; name an object (a key not ending in '/')".into(),
                place,
            });
        }
        let part = part_size_for(size).map_err(|what| Error::Refused {
            what,
            place: place.clone(),
        })?;
        let client = client()?;
        let store = client.store(url)?;
        if !force {
            match client.block_on(store.head(&url.store_key())) {
                Ok(_) => return Err(Error::output_exists(&place)),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(store_error("open output", url, &e)),
            }
        }
        let part_size = usize::try_from(part).unwrap_or(usize::MAX);
        let in_flight = parts_in_flight(part);
        Ok(ObjectWriter {
            url: url.clone(),
            client,
            store,
            part_size,
            in_flight,
            buf: Vec::new(),
            upload: None,
            written: 0,
        })
    }

    /// The object's name.
    pub fn url(&self) -> &ObjectUrl {
        &self.url
    }

    fn send_part(&mut self) -> Result<()> {
        if self
            .upload
            .as_ref()
            .is_some_and(|u| u.next_part as u64 >= MAX_PARTS)
        {
            return Err(Error::Refused {
                what: format!(
                    "the output passed S3's 10,000 parts of {} MiB; its size was not known when the upload began (the upload is aborted)",
                    self.part_size >> 20
                ),
                place: Place::Object(self.url.to_string()),
            });
        }
        if self.upload.is_none() {
            let key = self.url.store_key();
            let store = Arc::clone(&self.store);
            // Created under the signal registry's lock, so a signal cannot
            // come between the upload's creation and its registration.
            let mut held = signals::hold_aborts();
            let id = self
                .client
                .block_on(async move { store.create_multipart(&key).await })
                .map_err(|e| store_error("write", &self.url, &e))?;
            let abort = guard_object_held(
                &mut held,
                self.client,
                &self.store,
                &self.url,
                None,
                Some(id.clone()),
            );
            self.upload = Some(Upload {
                id,
                next_part: 0,
                sending: VecDeque::new(),
                parts: Vec::new(),
                abort_on_signal: abort,
            });
        }
        let capacity = self.part_size;
        let data = std::mem::replace(&mut self.buf, Vec::with_capacity(capacity.min(1 << 20)));
        let upload = self.upload.as_mut().expect("created above");
        let store = Arc::clone(&self.store);
        let key = self.url.store_key();
        let id = upload.id.clone();
        let idx = upload.next_part;
        upload.next_part += 1;
        let payload = PutPayload::from(data);
        upload.sending.push_back(
            self.client
                .spawn(async move { store.put_part(&key, &id, idx, payload).await }),
        );
        while upload.sending.len() > self.in_flight {
            let handle = upload.sending.pop_front().expect("non-empty");
            let part = wait_part(self.client, &self.url, handle)?;
            upload.parts.push(part);
        }
        Ok(())
    }

    /// Sends what is left and completes the upload: the object appears.
    ///
    /// # Errors
    /// A part or the completion failed; the upload is then aborted.
    pub fn commit(mut self) -> Result<()> {
        let key = self.url.store_key();
        let store = Arc::clone(&self.store);
        if self.upload.is_none() {
            let bytes = std::mem::take(&mut self.buf);
            let etag = {
                use md5::Digest;
                format!("\"{}\"", hex::encode(md5::Md5::digest(&bytes)))
            };
            let payload = PutPayload::from(bytes);
            let mut guard = guard_object(
                self.client,
                &self.store,
                &self.url,
                Some(etag.clone()),
                None,
            );
            let result = self
                .client
                .block_on(async move { store.put(&key, payload).await });
            if result.is_err() {
                delete_if_ours(self.client, &self.store, &self.url, &etag);
            }
            guard.disarm();
            return result
                .map(|_| ())
                .map_err(|e| store_error("write", &self.url, &e));
        }
        if !self.buf.is_empty() {
            self.send_part()?;
        }
        let mut upload = self.upload.take().expect("checked above");
        while let Some(handle) = upload.sending.pop_front() {
            let part = wait_part(self.client, &self.url, handle);
            match part {
                Ok(part) => upload.parts.push(part),
                Err(e) => {
                    self.upload = Some(upload);
                    return Err(e);
                }
            }
        }
        let parts = std::mem::take(&mut upload.parts);
        let etag = multipart_etag(
            &parts
                .iter()
                .map(|p| p.content_id.clone())
                .collect::<Vec<_>>(),
        );
        let id = upload.id.clone();
        // The completion may land with its answer lost: until it is known,
        // a signal or a failure also deletes the object if it is ours.
        let mut guard = guard_object(
            self.client,
            &self.store,
            &self.url,
            etag.clone(),
            Some(id.clone()),
        );
        let result = self
            .client
            .block_on(async move { store.complete_multipart(&key, &id, parts).await })
            .map_err(|e| store_error("write", &self.url, &e));
        if result.is_err() {
            if let Some(etag) = &etag {
                delete_if_ours(self.client, &self.store, &self.url, etag);
            }
        }
        guard.disarm();
        match result {
            Ok(_) => {
                upload.abort_on_signal.disarm();
                Ok(())
            }
            Err(e) => {
                self.upload = Some(upload);
                Err(e)
            }
        }
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }
}

impl Write for ObjectWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.part_size - self.buf.len();
        let n = buf.len().min(room);
        if self.buf.capacity() - self.buf.len() < n {
            // Grow in steps, not to the whole part at once: a small output
            // holds only what it wrote.
            let want = (self.buf.len() + n)
                .max(self.buf.capacity() * 2)
                .min(self.part_size);
            self.buf.reserve_exact(want - self.buf.len());
        }
        self.buf.extend_from_slice(&buf[..n]);
        self.written += n as u64;
        if self.buf.len() == self.part_size {
            self.send_part().map_err(to_io)?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for ObjectWriter {
    fn drop(&mut self) {
        let Some(mut upload) = self.upload.take() else {
            return;
        };
        for handle in &upload.sending {
            handle.abort();
        }
        abort_or_warn(self.client, &self.store, &self.url, &upload.id);
        upload.abort_on_signal.disarm();
    }
}

/// Aborts the upload `id` to `url`; when the server does not take the
/// abort, says so, with what removes the parts left (they cost money until
/// a lifecycle rule or an abort removes them).
pub fn abort_or_warn(client: &'static Client, store: &Arc<AmazonS3>, url: &ObjectUrl, id: &str) {
    let key = url.store_key();
    let store = Arc::clone(store);
    let upload = id.to_string();
    let done = client.block_on(async move {
        tokio::time::timeout(
            Duration::from_secs(10),
            store.abort_multipart(&key, &upload),
        )
        .await
    });
    if !matches!(done, Ok(Ok(()))) {
        crate::messages::report_line(&format!(
            "binkit: warning: the unfinished upload to '{}' could not be aborted; its parts stay until removed: aws s3api abort-multipart-upload --bucket {} --key '{}' --upload-id '{}'",
            crate::messages::printable_str(&url.to_string()),
            url.bucket(),
            crate::messages::printable_str(url.key()),
            crate::messages::printable_str(id)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_by_s3s_rules() {
        let url = ObjectUrl::parse("s3://my-bucket/a/b.txt").unwrap();
        assert_eq!((url.bucket(), url.key()), ("my-bucket", "a/b.txt"));
        assert!(!url.is_prefix());
        assert!(ObjectUrl::parse("s3://my-bucket/logs/")
            .unwrap()
            .is_prefix());
        assert!(ObjectUrl::parse("s3://my-bucket").unwrap().is_prefix());
        assert_eq!(url.sibling("c.json").to_string(), "s3://my-bucket/a/c.json");
        for bad in [
            "s3://ab/k",
            "s3://Upper/k",
            "s3://-dash/k",
            "s3://under_score/k",
            "s3://bucket/a//b",
            "s3://bucket/a/../b",
            "s3://bucket/./b",
            "s3://bucket/a\nb",
        ] {
            assert!(ObjectUrl::parse(bad).is_err(), "{bad}");
        }
        let long = format!("s3://bucket/{}", "k".repeat(1025));
        assert!(ObjectUrl::parse(&long).is_err());
    }

    #[test]
    fn endpoints_are_checked_before_use() {
        for good in [
            "http://127.0.0.1:9000",
            "https://s3.example.com",
            "http://[::1]:5055",
            "https://h/base/",
        ] {
            assert_eq!(check_endpoint(good), Ok(()), "{good}");
        }
        // Each of these made object_store panic (the attack on issue 16),
        // or would print a password.
        for bad in [
            "http://[::1",
            "http://a b",
            "http://%41:1",
            "http://127.0.0.1:99999",
            "http://h:0",
            "http://user:pw@h/",
            "http://h?x",
            "http://h/#f",
            "ftp://h",
            "h:9000",
            "http://",
            "http://:80",
        ] {
            let why = check_endpoint(bad).unwrap_err();
            assert!(!why.contains("pw@"), "{why}");
        }
    }

    #[test]
    fn messages_hold_no_secret_and_no_signature() {
        // (The variable is read when the message is made.)
        let line =
            one_line("403: <Message>headers: Signature=0123abcd x-amz-security-token: T</Message>");
        assert!(
            line.contains("Signature=[..]") && !line.contains("0123abcd"),
            "{line}"
        );
        assert!(one_line(&"x".repeat(5000)).chars().count() <= 403);
    }

    #[test]
    fn multipart_etags_are_s3s() {
        // Two parts with the MD5s of "a" and "b": MD5(md5(a) || md5(b))-2,
        // as `md5sum` computes it from the binary digests.
        let a = "\"0cc175b9c0f1b6a831c399e269772661\"".to_string();
        let b = "\"92eb5ffee6ae2fec3ad71c777531578f\"".to_string();
        let mut both = hex::decode(&a[1..33]).unwrap();
        both.extend(hex::decode(&b[1..33]).unwrap());
        let want = {
            use md5::Digest;
            format!("\"{}-2\"", hex::encode(md5::Md5::digest(&both)))
        };
        assert_eq!(multipart_etag(&[a, b]), Some(want));
        assert_eq!(multipart_etag(&["\"kms-etag\"".into()]), None);
    }

    #[test]
    fn part_sizes_fit_ten_thousand_parts() {
        assert_eq!(part_size_for(None), Ok(DEFAULT_PART));
        assert_eq!(part_size_for(Some(0)), Ok(DEFAULT_PART));
        // 10,000 parts of 8 MiB hold exactly 80,000 MiB.
        assert_eq!(part_size_for(Some(10_000 * DEFAULT_PART)), Ok(DEFAULT_PART));
        // One byte more needs 9 MiB parts (whole MiB).
        assert_eq!(part_size_for(Some(10_000 * DEFAULT_PART + 1)), Ok(9 << 20));
        assert!(part_size_for(Some(10_000 * MAX_PART + 1)).is_err());
        assert_eq!(part_size_for(Some(10_000 * MAX_PART)), Ok(MAX_PART));
    }
}
