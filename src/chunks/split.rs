//! `binkit split`: one streaming pass that writes the parts, hashes them,
//! and writes the manifest last.
//!
//! Parts are written to temporary files and fsynced as they complete, but
//! renamed into place only when the whole input has been read: a failed or
//! interrupted split leaves no part behind, and the manifest appears only
//! after every part it lists.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use md5::Md5;
use sha2::Sha256;

use super::digest::{Chunk, ChunkPool, DigestThread};
use super::manifest::{self, Manifest, Part};
use super::CHUNK_BYTES;
use crate::cli::SplitArgs;
use crate::error::{Error, Outcome, Place, Result};
use crate::io::progress::Tracked;
use crate::io::{pump, signals, AtomicFile, Input, PumpError, SyncedFile};
use crate::paths::check_plain_name;

/// S3 multipart limits: parts of 5 MiB to 5 GiB (the last may be smaller),
/// at most 10,000 of them.
pub const S3_MIN_PART_BYTES: u64 = 5 << 20;
/// See [`S3_MIN_PART_BYTES`].
pub const S3_MAX_PART_BYTES: u64 = 5 << 30;
/// See [`S3_MIN_PART_BYTES`].
pub const S3_MAX_PARTS: u64 = 10_000;
/// Fewest digits in a part number (`BASE.00001.part`).
const MIN_DIGITS: usize = 5;

/// Where the parts go and how they are cut.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Directory of the parts and the manifest.
    pub dir: PathBuf,
    /// Base name of every file written.
    pub base: String,
    /// Bytes per part (the last may be shorter).
    pub chunk_size: u64,
    /// Digits in part numbers.
    pub digits: usize,
    /// Most parts allowed (S3's limit with `--s3`).
    pub max_parts: u64,
    /// Replace existing files.
    pub force: bool,
    /// Part MD5s and the S3 ETag (`--s3`, `--md5`): MD5 is the slowest of
    /// the hashes, so it runs only when asked.
    pub md5: bool,
}

impl Plan {
    /// The file name of part `index` (from 1).
    pub fn part_name(&self, index: u64) -> String {
        format!("{}.{index:0width$}.part", self.base, width = self.digits)
    }

    /// The manifest's file name.
    pub fn manifest_name(&self) -> String {
        format!("{}.manifest.json", self.base)
    }
}

/// The splitting stage: bytes in, parts out.
pub struct Splitter {
    plan: Plan,
    current: Option<AtomicFile>,
    in_part: u64,
    total: u64,
    finished: Vec<u64>,
    syncer: Syncer,
    pending: Vec<u8>,
    pool: ChunkPool,
    whole: DigestThread,
    part_sha: DigestThread,
    part_md5: Option<DigestThread>,
    failure: Option<Error>,
}

impl Splitter {
    /// A splitter following `plan`.
    pub fn new(plan: Plan) -> Splitter {
        Splitter {
            part_md5: plan.md5.then(DigestThread::spawn::<Md5>),
            plan,
            current: None,
            in_part: 0,
            total: 0,
            finished: Vec::new(),
            syncer: Syncer::spawn(),
            pending: Vec::with_capacity(CHUNK_BYTES),
            pool: ChunkPool::default(),
            whole: DigestThread::spawn::<Sha256>(),
            part_sha: DigestThread::spawn::<Sha256>(),
            failure: None,
        }
    }

    /// Hands the bytes gathered so far to the digest threads.
    fn dispatch(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let next = self.pool.take(CHUNK_BYTES);
        let chunk: Chunk = self.pool.share(std::mem::replace(&mut self.pending, next));
        self.whole.feed(&chunk);
        self.part_sha.feed(&chunk);
        if let Some(md5) = &mut self.part_md5 {
            md5.feed(&chunk);
        }
    }

    fn open_part(&mut self) -> Result<()> {
        let index = self.finished.len() as u64 + 1;
        if index > self.plan.max_parts {
            return Err(Error::Usage(format!(
                "more than {} parts of {} bytes: choose a larger --size",
                self.plan.max_parts, self.plan.chunk_size
            )));
        }
        let path = self.plan.dir.join(self.plan.part_name(index));
        if !self.plan.force && path.symlink_metadata().is_ok() {
            return Err(exists(&path));
        }
        self.current = Some(AtomicFile::create(&path, self.plan.force)?);
        Ok(())
    }

    fn close_part(&mut self) -> Result<()> {
        self.dispatch();
        self.part_sha.cut();
        if let Some(md5) = &mut self.part_md5 {
            md5.cut();
        }
        let part = self.current.take().expect("a part is open");
        self.syncer.sync(part);
        self.finished.push(self.in_part);
        self.in_part = 0;
        Ok(())
    }

    fn take(&mut self, mut buf: &[u8]) -> Result<()> {
        while !buf.is_empty() {
            if self.current.is_none() {
                self.open_part()?;
            }
            let room = self.plan.chunk_size - self.in_part;
            let n = usize::try_from(room).unwrap_or(usize::MAX).min(buf.len());
            let part = self.current.as_mut().expect("a part is open");
            let place = Place::File(
                self.plan
                    .dir
                    .join(self.plan.part_name(self.finished.len() as u64 + 1)),
            );
            part.write_all(&buf[..n])
                .map_err(|e| Error::io("write", &place, e))?;
            self.pending.extend_from_slice(&buf[..n]);
            if self.pending.len() >= CHUNK_BYTES {
                self.dispatch();
            }
            self.in_part += n as u64;
            self.total += n as u64;
            buf = &buf[n..];
            if self.in_part == self.plan.chunk_size {
                self.close_part()?;
            }
        }
        Ok(())
    }

    /// Ends the last part and returns the parts, still invisible, with the
    /// manifest that describes them.
    ///
    /// # Errors
    /// Write or fsync errors, or a failure saved by `write`.
    pub fn finish(mut self, name: &str) -> Result<(Manifest, Vec<SyncedFile>)> {
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        if self.current.is_some() {
            self.close_part()?;
        }
        self.dispatch();
        self.whole.cut();
        let sha256 = hex::encode(self.whole.next_digest());
        let mut parts = Vec::with_capacity(self.finished.len());
        let mut md5s = Vec::with_capacity(self.finished.len());
        let mut files = Vec::with_capacity(self.finished.len());
        let synced = self.syncer.finish()?;
        for (i, (file, size)) in synced.into_iter().zip(self.finished.drain(..)).enumerate() {
            let index = i as u64 + 1;
            let md5 = self.part_md5.as_ref().map(DigestThread::next_digest);
            parts.push(Part {
                index,
                file: self.plan.part_name(index),
                size,
                sha256: hex::encode(self.part_sha.next_digest()),
                md5: md5.as_ref().map(hex::encode),
            });
            md5s.extend(md5);
            files.push(file);
        }
        let manifest = Manifest {
            format: manifest::FORMAT.into(),
            version: manifest::VERSION,
            name: name.into(),
            size: self.total,
            chunk_size: self.plan.chunk_size,
            sha256,
            s3_etag: manifest::s3_etag(&md5s),
            object: None,
            parts,
        };
        Ok((manifest, files))
    }
}

impl Write for Splitter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.take(buf) {
            Ok(()) => Ok(buf.len()),
            Err(e) => {
                let text = e.to_string();
                self.failure = Some(e);
                Err(io::Error::other(text))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Flushes and fsyncs finished parts on a thread of its own, so that the
/// reader goes on with the next part while the disk catches up.
struct Syncer {
    tx: Option<mpsc::SyncSender<AtomicFile>>,
    handle: Option<std::thread::JoinHandle<Result<Vec<SyncedFile>>>>,
}

impl Syncer {
    fn spawn() -> Syncer {
        let (tx, rx) = mpsc::sync_channel::<AtomicFile>(2);
        let handle = std::thread::spawn(move || rx.into_iter().map(AtomicFile::sync).collect());
        Syncer {
            tx: Some(tx),
            handle: Some(handle),
        }
    }

    fn sync(&self, part: AtomicFile) {
        // A failed sync ends the thread; `finish` reports its error.
        let _ = self.tx.as_ref().expect("open until finish").send(part);
    }

    /// Every part, synced, in order.
    fn finish(&mut self) -> Result<Vec<SyncedFile>> {
        self.tx = None;
        self.handle
            .take()
            .expect("finished once")
            .join()
            .expect("the sync thread does not panic")
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn exists(path: &Path) -> Error {
    crate::io::output::exists_error(&Place::File(path.to_path_buf()))
}

pub(crate) fn run(args: &SplitArgs) -> Result<Outcome> {
    if args.letter_d {
        return Err(Error::Usage(
            "-d is not binkit's: in GNU split it asks for numeric suffixes, and binkit's parts are always numbered (NAME.00001.part); the directory is --dir".into(),
        ));
    }
    if let Some(prefix) = &args.prefix {
        return Err(Error::Usage(format!(
            "PREFIX '{}' is GNU split's start of part names (PREFIXaa, PREFIXab, ...); binkit names parts NAME.00001.part: --name NAME",
            prefix.to_string_lossy()
        )));
    }
    let mut input = Input::open(args.file.as_deref())?;
    let base = base_name(args, &input)?;
    let size = input.size();
    let chunk_size = chunk_size(args, size)?;
    let expected = size.map(|s| s.div_ceil(chunk_size));
    if args.s3 {
        check_s3(chunk_size, expected)?;
    }
    let plan = Plan {
        dir: args.dir.clone(),
        base: base.clone(),
        chunk_size,
        digits: expected.map_or(MIN_DIGITS, |n| n.to_string().len().max(MIN_DIGITS)),
        max_parts: if args.s3 {
            S3_MAX_PARTS
        } else {
            manifest::MAX_PARTS as u64
        },
        force: args.force,
        md5: args.s3 || args.md5,
    };
    // A part count known at the start is checked at the start, not after
    // minutes of writing parts (issue 12).
    if let Some(parts) = expected.filter(|&n| n > plan.max_parts) {
        return Err(Error::Usage(format!(
            "{parts} parts of {chunk_size} bytes is more than {}: choose a larger --size",
            plan.max_parts
        )));
    }
    // --dir is made when missing, as `mkdir -p` would (issue 13).
    if !args.dir.is_dir() {
        std::fs::create_dir_all(&args.dir)
            .map_err(|e| Error::io("create directory", &Place::File(args.dir.clone()), e))?;
    }
    let manifest_path = plan.dir.join(plan.manifest_name());
    if !plan.force && manifest_path.symlink_metadata().is_ok() {
        return Err(exists(&manifest_path));
    }
    let from = input.place().clone();
    let mut reader = Tracked::new(&mut input, &from, size, args.quiet);
    let mut splitter = Splitter::new(plan);
    match pump(&mut reader, &mut splitter) {
        Ok(_) => {}
        Err(PumpError::Read(e)) => return Err(Error::io("read", &from, e)),
        Err(PumpError::Write(_)) => {} // the failure is kept in the splitter
    }
    reader.finish();
    let (manifest, parts) = splitter.finish(&base)?;
    // Nothing appears until everything can: the manifest is written and
    // synced first, then the parts are renamed into place, the manifest
    // last. A part that cannot be renamed takes the ones before it back.
    let manifest = write_manifest(&manifest, &manifest_path, args.force)?;
    // A placed part stays on the signal handler's list until the manifest
    // is in place: Ctrl-C in between removes the parts too.
    let mut placed: Vec<PathBuf> = Vec::new();
    let forget = |placed: &[PathBuf], remove: bool| {
        for done in placed {
            if remove {
                let _ = std::fs::remove_file(done);
            }
            signals::unregister(done);
        }
    };
    for part in parts {
        let target = part.target().to_path_buf();
        let mut held = signals::hold();
        if let Err(e) = part.commit_held(&mut held) {
            drop(held);
            forget(&placed, true);
            return Err(e);
        }
        signals::register_held(&mut held, &target);
        drop(held);
        placed.push(target);
    }
    // The manifest goes into place and the parts leave the handler's list
    // under one hold: a signal in between swept the parts not yet
    // forgotten and left the manifest with the first few (seen once under
    // load: parts 1-3 and the manifest, exit 143).
    let mut held = signals::hold();
    let committed = manifest.commit_held(&mut held);
    for done in &placed {
        if committed.is_err() {
            let _ = std::fs::remove_file(done);
        }
        signals::unregister_held(&mut held, done);
    }
    drop(held);
    committed?;
    Ok(Outcome::Yes)
}

/// The manifest, written and synced but not yet in place.
fn write_manifest(manifest: &Manifest, path: &Path, force: bool) -> Result<SyncedFile> {
    let mut out = AtomicFile::create(path, force)?;
    let place = Place::File(path.to_path_buf());
    serde_json::to_writer_pretty(&mut out, manifest)
        .map_err(|e| Error::io("write", &place, e.into()))?;
    out.write_all(b"\n")
        .map_err(|e| Error::io("write", &place, e))?;
    out.sync()
}

/// `--name`, or the input's file name; always one plain name.
fn base_name(args: &SplitArgs, input: &Input) -> Result<String> {
    let name = match (&args.name, input.place()) {
        (Some(name), _) => name.clone(),
        (None, Place::File(path)) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        (None, Place::Object(url)) => url.rsplit('/').next().unwrap_or_default().to_string(),
        (None, _) => {
            return Err(Error::Usage(
                "reading stdin: give the parts a --name".into(),
            ))
        }
    };
    check_plain_name(name.as_bytes()).map_err(|e| Error::Usage(format!("--name {name:?}: {e}")))?;
    Ok(name)
}

pub(super) fn chunk_size(args: &SplitArgs, size: Option<u64>) -> Result<u64> {
    let chunk = match (args.size, args.parts, size) {
        (Some(bytes), _, _) => bytes,
        (None, Some(0), _) => return Err(Error::Usage("--parts must be at least 1".into())),
        (None, Some(n), Some(total)) => total.div_ceil(n).max(1),
        (None, Some(_), None) => {
            return Err(Error::Usage(
                "--parts needs a file whose size is known; use --size for a stream".into(),
            ))
        }
        (None, None, _) => unreachable!("clap requires --size or --parts"),
    };
    if chunk == 0 {
        return Err(Error::Usage("--size must be at least 1 byte".into()));
    }
    Ok(chunk)
}

pub(super) fn check_s3(chunk: u64, parts: Option<u64>) -> Result<()> {
    let single = parts == Some(1);
    if !single && !(S3_MIN_PART_BYTES..=S3_MAX_PART_BYTES).contains(&chunk) {
        return Err(Error::Usage(format!(
            "--s3: parts must be 5 MiB to 5 GiB (all but the last), not {chunk} bytes"
        )));
    }
    if let Some(n) = parts.filter(|&n| n > S3_MAX_PARTS) {
        return Err(Error::Usage(format!(
            "--s3: {n} parts is more than S3's {S3_MAX_PARTS}"
        )));
    }
    Ok(())
}
