//! Split parts as the parts of one object: `split --s3 -o s3://bucket/key`
//! uploads a file as one multipart upload whose parts are the split
//! parts, checks that the ETag the server gives the object is the one the
//! manifest computed, and writes the manifest beside it
//! (`key.manifest.json`). `--resume` continues an upload an earlier run
//! left unfinished (a SIGKILL, a lost machine): the server's list of the
//! upload's parts is read, each listed part whose ETag is the MD5 of the
//! same bytes here is kept, and only the others are sent.
//!
//! `join s3://bucket/key.manifest.json` and `join --check` verify such an
//! object against its manifest part by part, reading each byte once; a
//! manifest without `object` (parts uploaded as objects of their own) has
//! its parts read beside it. Every name from a manifest is a plain name
//! under the manifest's own prefix ([`crate::paths::check_plain_name`],
//! already enforced by [`super::manifest::validate`]).

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use md5::Md5;
use object_store::multipart::{MultipartStore, PartId};
use object_store::{ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use super::manifest::{self, Manifest, Part};
use super::split::{check_s3, chunk_size, S3_MAX_PARTS};
use crate::cli::{JoinArgs, SplitArgs};
use crate::error::{Error, Outcome, Place, Result};
use crate::io::s3::{self, ObjectReader, ObjectUrl};
use crate::io::{signals, Input, Output};

fn refused(what: impl Into<String>, url: &ObjectUrl) -> Error {
    Error::Refused {
        what: what.into(),
        place: Place::Object(url.to_string()),
    }
}

fn parse_url(path: &Path) -> Result<ObjectUrl> {
    match s3::ObjectUrl::from_path(path) {
        Some(Ok(url)) if !url.is_prefix() => Ok(url),
        Some(Ok(url)) => Err(refused("name an object (a key not ending in '/')", &url)),
        Some(Err(what)) => Err(Error::Usage(what)),
        None => Err(Error::Usage(format!(
            "-o names the object to upload to (s3://bucket/key), not '{}'; parts go to a folder with --dir",
            crate::messages::printable(path.as_os_str())
        ))),
    }
}

/// The plain name an object's key ends with.
fn last_segment(url: &ObjectUrl) -> &str {
    url.key().rsplit('/').next().unwrap_or_default()
}

/// `split FILE --s3 -o s3://bucket/key [--resume]`.
pub(crate) fn split(args: &SplitArgs, output: &Path) -> Result<Outcome> {
    let url = parse_url(output)?;
    let name = last_segment(&url).to_string();
    crate::paths::check_plain_name(name.as_bytes())
        .map_err(|e| refused(format!("the key's last part {name:?}: {e}"), &url))?;
    let manifest_url = url.sibling(&format!("{name}.manifest.json"));
    let mut input = Input::open(args.file.as_deref())?;
    let size = input.size();
    let chunk = chunk_size(args, size)?;
    check_s3(chunk, size.map(|s| s.div_ceil(chunk)))?;
    let client = s3::client()?;
    let store = client.store(&url)?;
    if !args.force && !args.resume {
        for target in [&url, &manifest_url] {
            match client.block_on(store.head(&target.store_key())) {
                Ok(_) => {
                    return Err(crate::io::output::exists_error(&Place::Object(
                        target.to_string(),
                    )))
                }
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(s3::store_error("open output", target, &e)),
            }
        }
    }
    let mut upload = Upload::begin(&url, args.resume, args.quiet, args.force)?;
    let from = input.place().clone();
    let in_flight = s3::parts_in_flight(chunk);
    let mut whole = Sha256::new();
    let mut parts = Vec::new();
    let mut md5s = Vec::new();
    let mut total = 0u64;
    let mut sent = 0u64;
    let buffer_len =
        usize::try_from(chunk).map_err(|_| Error::Usage("part size too large".into()))?;
    loop {
        let mut data = Vec::with_capacity(buffer_len.min(64 << 20));
        (&mut input)
            .take(chunk)
            .read_to_end(&mut data)
            .map_err(|e| Error::io("read", &from, e))?;
        if data.is_empty() {
            break;
        }
        let index = parts.len() as u64 + 1;
        if index > S3_MAX_PARTS {
            return Err(refused(
                format!("the input needs more than S3's {S3_MAX_PARTS} parts of {chunk} bytes: choose a larger --size"),
                &url,
            ));
        }
        // The three digests of a part at once (MD5, the slowest, on a
        // thread of its own): the next part is read sooner.
        let (md5, sha) = std::thread::scope(|scope| {
            let md5 = scope.spawn(|| Md5::digest(&data).to_vec());
            let sha = scope.spawn(|| hex::encode(Sha256::digest(&data)));
            whole.update(&data);
            (md5.join(), sha.join())
        });
        let (Ok(md5), Ok(sha)) = (md5, sha) else {
            return Err(refused("a digest thread failed", &url));
        };
        total += data.len() as u64;
        parts.push(Part {
            index,
            file: format!("{name}.{index:05}.part"),
            size: data.len() as u64,
            sha256: sha,
            md5: Some(hex::encode(&md5)),
        });
        if upload.send(index, data, &md5, in_flight)? {
            sent += 1;
        }
        md5s.push(md5);
    }
    let manifest = Manifest {
        format: manifest::FORMAT.into(),
        version: manifest::VERSION,
        name: name.clone(),
        size: total,
        chunk_size: chunk,
        sha256: hex::encode(whole.finalize()),
        s3_etag: manifest::s3_etag(&md5s),
        parts,
        object: Some(name.clone()),
    };
    manifest::validate(&manifest).map_err(|e| refused(e, &url))?;
    // The object this upload makes has the manifest's ETag (an empty
    // input: the MD5 of nothing). Until the manifest is beside it, a
    // signal, or a completion whose answer was lost, deletes it if it is
    // that object.
    let ours = format!(
        "\"{}\"",
        manifest
            .s3_etag
            .clone()
            .unwrap_or_else(|| hex::encode(Md5::digest(b"")))
    );
    let mut guard = s3::guard_object(client, &store, &url, Some(ours.clone()), upload.id.clone());
    let etag = match upload.complete() {
        Ok(etag) => etag,
        Err(e) => {
            s3::delete_if_ours(client, &store, &url, &ours);
            return Err(e);
        }
    };
    // The server's ETag of the object must be the manifest's: the same
    // parts, in the same order, with the same bytes.
    let expected = manifest.s3_etag.clone();
    let got = etag.map(|e| e.trim_matches('"').to_string());
    if expected.is_some() && got != expected {
        let _ = client.block_on(store.delete(&url.store_key()));
        return Err(refused(
            format!(
                "the server's ETag {} is not the manifest's {}; the object is deleted",
                got.as_deref().unwrap_or("(none)"),
                expected.as_deref().unwrap_or("(none)")
            ),
            &url,
        ));
    }
    let mut out = Output::create(Some(Path::new(&manifest_url.to_string())), true)?;
    let written = serde_json::to_writer_pretty(&mut out, &manifest)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"));
    if let Err(e) = written
        .map_err(|e| Error::io("write", &Place::Object(manifest_url.to_string()), e))
        .and_then(|()| out.commit())
    {
        // Without its manifest the object is not what the job promised.
        s3::delete_if_ours(client, &store, &url, &ours);
        return Err(e);
    }
    guard.disarm();
    if args.resume && !args.quiet {
        crate::messages::report_line(&format!(
            "binkit split: {} parts, {sent} sent, {} already uploaded ('{url}')",
            manifest.parts.len(),
            manifest.parts.len() as u64 - sent
        ));
    }
    Ok(Outcome::Yes)
}

/// A multipart upload under way: new, or resumed with the parts the
/// server already holds.
struct Upload {
    url: ObjectUrl,
    client: &'static s3::Client,
    store: Arc<object_store::aws::AmazonS3>,
    /// `None` until the first part (an empty input is one PUT).
    id: Option<String>,
    resume: bool,
    quiet: bool,
    /// Parts listed by the server, by number.
    listed: Vec<s3::ListedPart>,
    sending:
        std::collections::VecDeque<(u64, tokio::task::JoinHandle<object_store::Result<PartId>>)>,
    done: Vec<(u64, PartId)>,
    abort: Option<signals::AbortOnSignal>,
}

impl Upload {
    fn begin(url: &ObjectUrl, resume: bool, quiet: bool, force: bool) -> Result<Upload> {
        let client = s3::client()?;
        let store = client.store(url)?;
        let mut upload = Upload {
            url: url.clone(),
            client,
            store,
            id: None,
            resume,
            quiet,
            listed: Vec::new(),
            sending: std::collections::VecDeque::new(),
            done: Vec::new(),
            abort: None,
        };
        if resume {
            let ids = client.uploads_of(url)?;
            match ids.as_slice() {
                [] => {
                    // Nothing to resume: a new upload, which replaces an
                    // object only with -f, as without --resume.
                    if !force {
                        match client.block_on(upload.store.head(&url.store_key())) {
                            Ok(_) => return Err(Error::output_exists(&Place::Object(url.to_string()))),
                            Err(object_store::Error::NotFound { .. }) => {}
                            Err(e) => return Err(s3::store_error("open output", url, &e)),
                        }
                    }
                    if !quiet {
                        crate::messages::report_line(&format!(
                            "binkit split: no upload to '{url}' is under way; starting one"
                        ));
                    }
                }
                [id] => {
                    upload.listed = client.parts_of(url, id)?;
                    upload.id = Some(id.clone());
                    upload.arm();
                }
                many => {
                    return Err(refused(
                        format!(
                            "{} uploads to this key are under way; --resume takes one (abort the others: aws s3api abort-multipart-upload)",
                            many.len()
                        ),
                        url,
                    ))
                }
            }
        }
        Ok(upload)
    }

    /// Puts the upload on the signal handler's abort list.
    fn arm(&mut self) {
        let Some(id) = self.id.clone() else { return };
        let mut held = signals::hold_aborts();
        self.abort = Some(self.abort_on_signal(&mut held, id));
    }

    fn abort_on_signal(
        &self,
        held: &mut signals::HeldAborts,
        id: String,
    ) -> signals::AbortOnSignal {
        s3::guard_object_held(held, self.client, &self.store, &self.url, None, Some(id))
    }

    fn id(&mut self) -> Result<String> {
        if let Some(id) = &self.id {
            return Ok(id.clone());
        }
        let store = Arc::clone(&self.store);
        let key = self.url.store_key();
        let mut held = signals::hold_aborts();
        let id = self
            .client
            .block_on(async move { store.create_multipart(&key).await })
            .map_err(|e| s3::store_error("write", &self.url, &e))?;
        self.abort = Some(self.abort_on_signal(&mut held, id.clone()));
        drop(held);
        self.id = Some(id.clone());
        Ok(id)
    }

    /// Sends part `index` unless the server holds it already (resumed,
    /// same size and ETag = its MD5); true when it was sent.
    fn send(&mut self, index: u64, data: Vec<u8>, md5: &[u8], in_flight: usize) -> Result<bool> {
        let md5 = hex::encode(md5);
        if let Some(have) = self.listed.iter().find(|p| p.number == index) {
            if have.size == data.len() as u64 && have.etag == md5 {
                self.done.push((
                    index,
                    PartId {
                        content_id: format!("\"{md5}\""),
                    },
                ));
                return Ok(false);
            }
        }
        let id = self.id()?;
        let (store, key) = (Arc::clone(&self.store), self.url.store_key());
        let payload = PutPayload::from(data);
        let idx = usize::try_from(index - 1).unwrap_or(usize::MAX);
        let handle = self
            .client
            .spawn(async move { store.put_part(&key, &id, idx, payload).await });
        self.sending.push_back((index, handle));
        while self.sending.len() > in_flight {
            self.wait_one()?;
        }
        Ok(true)
    }

    fn wait_one(&mut self) -> Result<()> {
        let Some((index, handle)) = self.sending.pop_front() else {
            return Ok(());
        };
        let part = s3::wait_part(self.client, &self.url, handle)?;
        self.done.push((index, part));
        Ok(())
    }

    /// Waits for every part and completes the upload; the object's ETag.
    fn complete(mut self) -> Result<Option<String>> {
        while !self.sending.is_empty() {
            self.wait_one()?;
        }
        let key = self.url.store_key();
        let store = Arc::clone(&self.store);
        let Some(id) = self.id.clone() else {
            // No part: an empty input, one PUT of nothing.
            return self
                .client
                .block_on(async move { store.put(&key, PutPayload::default()).await })
                .map(|r| r.e_tag)
                .map_err(|e| s3::store_error("write", &self.url, &e));
        };
        self.done.sort_by_key(|(i, _)| *i);
        let parts: Vec<PartId> = self.done.drain(..).map(|(_, p)| p).collect();
        let result = self
            .client
            .block_on(async move { store.complete_multipart(&key, &id, parts).await })
            .map_err(|e| s3::store_error("write", &self.url, &e))?;
        if let Some(mut abort) = self.abort.take() {
            abort.disarm();
        }
        self.id = None;
        Ok(result.e_tag)
    }
}

impl Drop for Upload {
    /// An upload that did not complete is aborted, as an unfinished local
    /// output is removed: on an error, and on SIGINT or SIGTERM (the
    /// signal handler's list). Only a SIGKILL or a lost machine leave it
    /// for `--resume`.
    fn drop(&mut self) {
        let Some(id) = self.id.take() else { return };
        for (_, handle) in &self.sending {
            handle.abort();
        }
        s3::abort_or_warn(self.client, &self.store, &self.url, &id);
        let _ = (self.resume, self.quiet);
        if let Some(mut abort) = self.abort.take() {
            abort.disarm();
        }
    }
}

/// How one part of an object checked out.
enum Status {
    Ok,
    Corrupt,
    Short(u64),
    /// More bytes than the manifest says: bytes after the last part of
    /// the object, or a part object too large.
    Long(u64),
}

/// `join s3://bucket/key.manifest.json` (to -o, or the manifest's name
/// here) and `join --check` on one.
pub(crate) fn join(args: &JoinArgs) -> Result<Outcome> {
    let manifest_url = parse_url(&args.manifest)?;
    let place = Place::Object(manifest_url.to_string());
    let mut input = Input::open(Some(&args.manifest))?;
    let manifest = manifest::parse(&mut input).map_err(|what| Error::Refused {
        what,
        place: place.clone(),
    })?;
    // Every part's place: a range of the one object, or an object of its
    // own; each name a plain name beside the manifest (validated).
    let sources: Vec<(ObjectUrl, u64)> = match &manifest.object {
        Some(object) => {
            let url = manifest_url.sibling(object);
            manifest
                .parts
                .iter()
                .map(|p| (url.clone(), (p.index - 1) * manifest.chunk_size))
                .collect()
        }
        None => manifest
            .parts
            .iter()
            .map(|p| (manifest_url.sibling(&p.file), 0))
            .collect(),
    };
    if args.check {
        return check(&manifest, &sources, args.json);
    }
    let target: PathBuf =
        match &args.output {
            Some(path) => path.clone(),
            None => crate::paths::resolve_under(Path::new("."), manifest.name.as_bytes()).map_err(
                |e| Error::Refused {
                    what: format!("name {:?}: {e}", manifest.name),
                    place: place.clone(),
                },
            )?,
        };
    let mut output = Output::create_sized(Some(&target), args.force, Some(manifest.size))?;
    if output.is_stdout() {
        // What reaches stdout cannot be taken back: verify every part
        // first (the object is read twice).
        let (statuses, whole) = verify(&manifest, &sources, None)?;
        refuse_bad(&manifest, &statuses, whole, &place)?;
    }
    let to = output.place().clone();
    let (statuses, whole) = verify(&manifest, &sources, Some((&mut output, &to)))?;
    refuse_bad(&manifest, &statuses, whole, &place)?;
    output.commit()?;
    Ok(Outcome::Yes)
}

fn refuse_bad(manifest: &Manifest, statuses: &[Status], whole: bool, place: &Place) -> Result<()> {
    let bad: Vec<String> = manifest
        .parts
        .iter()
        .zip(statuses)
        .filter_map(|(p, s)| match s {
            Status::Ok => None,
            Status::Corrupt => Some(format!("part {} corrupt", p.index)),
            Status::Short(n) => Some(format!("part {} short ({n} of {} bytes)", p.index, p.size)),
            Status::Long(n) => Some(format!(
                "part {} long ({n} bytes where {} belong)",
                p.index, p.size
            )),
        })
        .collect();
    if !bad.is_empty() {
        return Err(Error::Refused {
            what: format!("cannot join: {}", bad.join(", ")),
            place: place.clone(),
        });
    }
    if !whole {
        return Err(Error::Refused {
            what: "cannot join: the whole file's SHA-256 does not match the manifest".into(),
            place: place.clone(),
        });
    }
    Ok(())
}

/// Reads every part once (a ranged GET each), hashing it and, with an
/// output, writing it; each part's status and whether the whole SHA-256
/// matched.
fn verify(
    manifest: &Manifest,
    sources: &[(ObjectUrl, u64)],
    mut out: Option<(&mut Output, &Place)>,
) -> Result<(Vec<Status>, bool)> {
    let mut whole = Sha256::new();
    let mut statuses = Vec::with_capacity(sources.len());
    let mut opened: Option<ObjectReader> = None;
    let mut buf = vec![0; crate::io::BUF_SIZE];
    for (part, (url, offset)) in manifest.parts.iter().zip(sources) {
        if opened.as_ref().is_none_or(|r| r.url() != url) {
            opened = Some(ObjectReader::open(url)?);
        }
        let reader = opened.as_mut().expect("opened above");
        reader.seek_to(*offset);
        reader.limit_to(offset + part.size);
        let mut sha = Sha256::new();
        let mut got = 0u64;
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| Error::io("read", &Place::Object(url.to_string()), e))?;
            if n == 0 {
                break;
            }
            sha.update(&buf[..n]);
            whole.update(&buf[..n]);
            if let Some((out, to)) = out.as_mut() {
                out.write_all(&buf[..n])
                    .map_err(|e| Error::io("write", to, e))?;
            }
            got += n as u64;
        }
        // What lies past the part in its object: for the object of all
        // the parts, only after the last one.
        let last = part.index as usize == manifest.parts.len();
        let there = reader.size().saturating_sub(*offset);
        let long = (manifest.object.is_none() || last) && there > part.size;
        statuses.push(if got < part.size {
            Status::Short(got)
        } else if long {
            Status::Long(there)
        } else if hex::encode(sha.finalize()) != part.sha256 {
            Status::Corrupt
        } else {
            Status::Ok
        });
    }
    let whole_ok = hex::encode(whole.finalize()) == manifest.sha256;
    Ok((statuses, whole_ok))
}

/// `join --check s3://...`: a line per part (or one JSON object), exit 1
/// when any part is not right.
fn check(manifest: &Manifest, sources: &[(ObjectUrl, u64)], json: bool) -> Result<Outcome> {
    let (statuses, whole) = verify(manifest, sources, None)?;
    let bad = statuses.iter().filter(|s| !matches!(s, Status::Ok)).count();
    let ok = bad == 0 && whole;
    let mut out = io::BufWriter::new(crate::io::stdio::stdout());
    let word = |s: &Status| match s {
        Status::Ok => "ok",
        Status::Corrupt => "corrupt",
        Status::Short(_) => "short",
        Status::Long(_) => "long",
    };
    let text = if json {
        let parts: Vec<serde_json::Value> = manifest
            .parts
            .iter()
            .zip(&statuses)
            .zip(sources)
            .map(|((p, s), (url, offset))| {
                let mut entry = serde_json::json!({
                    "index": p.index,
                    "file": url.to_string(),
                    "offset": offset,
                    "status": word(s),
                    "size": p.size,
                });
                if let Status::Short(n) | Status::Long(n) = s {
                    entry["found_size"] = (*n).into();
                }
                entry
            })
            .collect();
        format!(
            "{}\n",
            serde_json::json!({"ok": ok, "parts": parts, "bad": bad})
        )
    } else {
        let mut text = String::new();
        for ((p, s), (url, offset)) in manifest.parts.iter().zip(&statuses).zip(sources) {
            let detail = match s {
                Status::Short(n) | Status::Long(n) => format!("  ({n} of {} bytes)", p.size),
                _ => String::new(),
            };
            let at = if manifest.object.is_some() {
                format!(" bytes {offset}-{}", offset + p.size.saturating_sub(1))
            } else {
                String::new()
            };
            text.push_str(&format!(
                "{:<9} part {} {url}{at}{detail}\n",
                word(s),
                p.index
            ));
        }
        if bad == 0 && !whole {
            text.push_str("corrupt   whole file: its SHA-256 does not match the manifest\n");
        }
        text.push_str(&format!(
            "{} parts: {} ok, {bad} to send again\n",
            manifest.parts.len(),
            manifest.parts.len() - bad
        ));
        text
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("write", &Place::Stdout, e))?;
    Ok(if ok { Outcome::Yes } else { Outcome::No })
}
