//! `binkit join`: parts back into one file, every byte verified.
//!
//! Before anything is read, the manifest is checked ([`manifest::parse`])
//! and every part name is resolved as a plain name in the manifest's own
//! directory; parts are opened without following symlinks and must be
//! regular files of the size the manifest claims. While the parts stream
//! into the output, each part's SHA-256 and the whole file's SHA-256 are
//! computed on their own threads; the output appears (atomically) only when
//! all of them match. To stdout, where nothing can be taken back, every
//! part is verified first and streamed (and verified again) after.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use sha2::Sha256;

use super::digest::{Chunk, ChunkPool, DigestThread};
use super::manifest::{self, Manifest};
use super::CHUNK_BYTES;
use crate::cli::JoinArgs;
use crate::error::{Error, Outcome, Place, Result};
use crate::io::{pump, Output, PumpError};
use crate::paths::resolve_under;

/// What is wrong with one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file is not there.
    Missing,
    /// Not a regular file (a directory, a FIFO, a symlink, a device).
    NotAFile,
    /// Fewer bytes than the manifest says.
    Short(u64),
    /// More bytes than the manifest says.
    Long(u64),
    /// The right size, but its SHA-256 differs.
    Corrupt,
}

impl Problem {
    fn word(&self) -> &'static str {
        match self {
            Problem::Missing => "missing",
            Problem::NotAFile => "not a regular file",
            Problem::Short(_) => "short",
            Problem::Long(_) => "long",
            Problem::Corrupt => "corrupt",
        }
    }
}

/// A part of the manifest with its resolved path.
struct PartFile {
    index: u64,
    path: PathBuf,
    size: u64,
    sha256: String,
}

pub(crate) fn run(args: &JoinArgs) -> Result<Outcome> {
    let (manifest, parts) = load(&args.manifest)?;
    if args.check {
        return check(&manifest, &parts, args.json);
    }
    if !survey(&parts).is_empty() {
        // Every bad part in one go (the corrupt ones too), so that one
        // round of sending parts again is enough.
        let (problems, _) = diagnose(&manifest, &parts)?;
        return Err(Error::Refused {
            what: format!("cannot join: {}", list_problems(&parts, &problems)),
            place: Place::File(args.manifest.clone()),
        });
    }
    let target = match &args.output {
        Some(path) => path.clone(),
        None => {
            resolve_under(Path::new("."), manifest.name.as_bytes()).map_err(|e| Error::Refused {
                what: format!("name {:?}: {e}", manifest.name),
                place: Place::File(args.manifest.clone()),
            })?
        }
    };
    // The output must not be the manifest or one of its parts (a hostile
    // manifest's `name`, or -o): -f would replace what is being read.
    let inputs = std::iter::once(("the manifest".to_string(), args.manifest.as_path())).chain(
        parts
            .iter()
            .map(|p| (format!("part {}", p.index), p.path.as_path())),
    );
    for (what, input) in inputs {
        if crate::paths::same_file(&target, input) || target == input {
            return Err(Error::Refused {
                what: format!("the output would replace {what}, an input of the join"),
                place: Place::File(target.clone()),
            });
        }
    }
    let mut output = Output::create(Some(&target), args.force)?;
    if output.is_stdout() {
        // Verified first, then copied: a part swapped in between (`ln -f`,
        // another inode) or changed in place (another ctime) stops the
        // join before its bytes go out (the attack on issue 12's fixes got
        // a swapped part to stdout unverified).
        let mut opened = Opened::default();
        stream_parts(&manifest, &parts, &all_parts(&parts), None, &mut opened)?
            .into_result(&args.manifest)?;
        opened.reuse = true;
        stream_parts(
            &manifest,
            &parts,
            &all_parts(&parts),
            Some(&mut output),
            &mut opened,
        )?
        .into_result(&args.manifest)?;
        output.commit()?;
        return Ok(Outcome::Yes);
    }
    stream(&manifest, &parts, Some(&mut output))?.into_result(&args.manifest)?;
    output.commit()?;
    Ok(Outcome::Yes)
}

/// Reads and checks the manifest; resolves every part name.
fn load(path: &Path) -> Result<(Manifest, Vec<PartFile>)> {
    let place = Place::File(path.to_path_buf());
    let file = File::open(path).map_err(|e| Error::io("open manifest", &place, e))?;
    let manifest = manifest::parse(file).map_err(|what| Error::Refused {
        what: format!("invalid manifest: {what}"),
        place: place.clone(),
    })?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let parts = manifest
        .parts
        .iter()
        .map(|p| {
            let path = resolve_under(dir, p.file.as_bytes()).map_err(|e| Error::Refused {
                what: format!("invalid manifest: part {} file {:?}: {e}", p.index, p.file),
                place: place.clone(),
            })?;
            Ok(PartFile {
                index: p.index,
                path,
                size: p.size,
                sha256: p.sha256.clone(),
            })
        })
        .collect::<Result<_>>()?;
    Ok((manifest, parts))
}

/// Parts that are missing, not regular files, or of the wrong size.
fn survey(parts: &[PartFile]) -> Vec<(usize, Problem)> {
    let mut problems = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let problem = match part.path.symlink_metadata() {
            Err(_) => Some(Problem::Missing),
            Ok(meta) if !meta.is_file() => Some(Problem::NotAFile),
            Ok(meta) if meta.len() < part.size => Some(Problem::Short(meta.len())),
            Ok(meta) if meta.len() > part.size => Some(Problem::Long(meta.len())),
            Ok(_) => None,
        };
        if let Some(p) = problem {
            problems.push((i, p));
        }
    }
    problems
}

fn list_problems(parts: &[PartFile], problems: &[(usize, Problem)]) -> String {
    let items: Vec<String> = problems
        .iter()
        .map(|(i, p)| {
            let part = &parts[*i];
            let detail = match p {
                Problem::Short(n) | Problem::Long(n) => format!(", {n} of {} bytes", part.size),
                _ => String::new(),
            };
            format!(
                "part {} is {} ({}{detail})",
                part.index,
                p.word(),
                part.path.display()
            )
        })
        .collect();
    items.join(", ")
}

/// Every part's problem: sizes and kinds first, then the SHA-256 of each
/// part that could be read; and whether the whole file matches.
fn diagnose(manifest: &Manifest, parts: &[PartFile]) -> Result<(Vec<(usize, Problem)>, bool)> {
    let mut problems = survey(parts);
    let readable: Vec<usize> = (0..parts.len())
        .filter(|i| !problems.iter().any(|(j, _)| j == i))
        .collect();
    let verdict = stream_parts(manifest, parts, &readable, None, &mut Opened::default())?;
    problems.extend(verdict.corrupt.iter().map(|&i| (i, Problem::Corrupt)));
    problems.sort_by_key(|(i, _)| *i);
    let whole_ok = problems.is_empty() && verdict.whole_matches;
    Ok((problems, whole_ok))
}

/// `join --check --json`: one object, for CI (DESIGN.md's JSON).
fn check_json(parts: &[PartFile], problems: &[(usize, Problem)], whole_ok: bool) -> Result<()> {
    let list: Vec<serde_json::Value> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let found = problems.iter().find(|(j, _)| *j == i).map(|(_, p)| p);
            let mut entry = serde_json::json!({
                "index": part.index,
                "file": crate::json::path(&part.path),
                "status": found.map_or("ok", Problem::word),
                "size": part.size,
            });
            if let Some(Problem::Short(n) | Problem::Long(n)) = found {
                entry["found_size"] = (*n).into();
            }
            entry
        })
        .collect();
    let report = serde_json::json!({
        "ok": whole_ok,
        "parts": list,
        "bad": problems.len(),
    });
    let mut out = io::BufWriter::new(crate::io::stdio::stdout());
    serde_json::to_writer(&mut out, &report)
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("write", &Place::Stdout, e))
}

/// `join --check`: one line per part (or `--json`), exit 1 if any is not
/// right.
fn check(manifest: &Manifest, parts: &[PartFile], json: bool) -> Result<Outcome> {
    let (problems, whole_ok) = diagnose(manifest, parts)?;
    if json {
        check_json(parts, &problems, whole_ok)?;
        return Ok(if whole_ok { Outcome::Yes } else { Outcome::No });
    }
    let mut out = io::BufWriter::new(crate::io::stdio::stdout());
    let write = |out: &mut io::BufWriter<crate::io::stdio::Stdout>, line: String| {
        writeln!(out, "{line}").map_err(|e| Error::io("write", &Place::Stdout, e))
    };
    for (i, part) in parts.iter().enumerate() {
        let found = problems.iter().find(|(j, _)| *j == i).map(|(_, p)| p);
        let detail = match found {
            Some(Problem::Short(n) | Problem::Long(n)) => format!("  ({n} of {} bytes)", part.size),
            _ => String::new(),
        };
        let word = found.map_or("ok", Problem::word);
        write(
            &mut out,
            format!(
                "{word:<9} part {} {}{detail}",
                part.index,
                part.path.display()
            ),
        )?;
    }
    if problems.is_empty() && !whole_ok {
        write(
            &mut out,
            "corrupt   whole file: its SHA-256 does not match the manifest".into(),
        )?;
    }
    let bad = problems.len();
    write(
        &mut out,
        format!(
            "{} parts: {} ok, {bad} to send again",
            parts.len(),
            parts.len() - bad
        ),
    )?;
    out.flush()
        .map_err(|e| Error::io("write", &Place::Stdout, e))?;
    Ok(if whole_ok { Outcome::Yes } else { Outcome::No })
}

/// What streaming the parts found.
struct Verdict {
    /// Parts whose SHA-256 differs (indices into the part list).
    corrupt: Vec<usize>,
    /// The whole file's SHA-256 matches (meaningful when all parts were read).
    whole_matches: bool,
    /// A part that changed size while being read: (index, bytes read).
    resized: Option<(usize, u64)>,
}

impl Verdict {
    fn into_result(self, manifest: &Path) -> Result<()> {
        let place = Place::File(manifest.to_path_buf());
        if let Some((i, n)) = self.resized {
            return Err(Error::Refused {
                what: format!("part {} changed while being read ({n} bytes)", i + 1),
                place,
            });
        }
        if !self.corrupt.is_empty() {
            let list: Vec<String> = self.corrupt.iter().map(|i| (i + 1).to_string()).collect();
            let what = match list.as_slice() {
                [one] => format!("part {one} is corrupt: its SHA-256 does not match the manifest"),
                many => format!(
                    "parts {} are corrupt: their SHA-256 does not match the manifest",
                    many.join(", ")
                ),
            };
            return Err(Error::Refused { what, place });
        }
        if !self.whole_matches {
            let what = "the joined file's SHA-256 does not match the manifest".into();
            return Err(Error::Refused { what, place });
        }
        Ok(())
    }
}

fn stream(manifest: &Manifest, parts: &[PartFile], out: Option<&mut Output>) -> Result<Verdict> {
    stream_parts(
        manifest,
        parts,
        &all_parts(parts),
        out,
        &mut Opened::default(),
    )
}

fn all_parts(parts: &[PartFile]) -> Vec<usize> {
    (0..parts.len()).collect()
}

/// What `fstat` said of each part in a verifying pass, for the copying pass
/// to hold the parts it opens again against: the same file (device and
/// inode) with the same size and change time. (No descriptors are kept: a
/// join may have 100,000 parts.)
#[derive(Default)]
struct Opened {
    stamps: std::collections::HashMap<usize, Stamp>,
    /// The copying pass: check the stamps instead of recording them.
    reuse: bool,
}

/// A part's identity and change time: equal before and after, nothing
/// wrote to it.
#[derive(PartialEq, Eq, Clone, Copy)]
struct Stamp(u64, u64, u64, i64, i64);

fn stamp(file: &File) -> io::Result<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let m = file.metadata()?;
    Ok(Stamp(m.dev(), m.ino(), m.len(), m.ctime(), m.ctime_nsec()))
}

/// Reads the chosen parts in order into `out` (if any), hashing each part
/// and the whole on their own threads.
fn stream_parts(
    manifest: &Manifest,
    parts: &[PartFile],
    chosen: &[usize],
    mut out: Option<&mut Output>,
    opened: &mut Opened,
) -> Result<Verdict> {
    let mut sink = JoinSink::new();
    let mut resized = None;
    for &i in chosen {
        let part = &parts[i];
        let place = Place::File(part.path.clone());
        let changed = || Error::Refused {
            what: format!("part {} changed after it was verified", part.index),
            place: place.clone(),
        };
        let mut file = open_part(&part.path).map_err(|e| Error::io("open part", &place, e))?;
        let before = opened.stamps.get(&i).copied().filter(|_| opened.reuse);
        if opened.reuse && stamp(&file).ok() != before {
            return Err(changed());
        }
        sink.count = 0;
        let mut tee = Tee {
            out: out.as_deref_mut().map(|o| o as &mut dyn Write),
            sink: &mut sink,
        };
        match pump(&mut file, &mut tee) {
            Ok(_) => {}
            Err(PumpError::Read(e)) => return Err(Error::io("read", &place, e)),
            Err(PumpError::Write(e)) => {
                let target = out.as_ref().map_or(Place::Stdout, |o| o.place().clone());
                return Err(Error::io("write", &target, e));
            }
        }
        sink.end_part();
        if sink.count != part.size && resized.is_none() {
            resized = Some((i, sink.count));
        }
        let after = stamp(&file).map_err(|e| Error::io("read", &place, e))?;
        if before.is_some_and(|b| b != after) {
            return Err(changed());
        }
        if !opened.reuse {
            opened.stamps.insert(i, after);
        }
    }
    sink.whole.cut();
    let whole = hex::encode(sink.whole.next_digest());
    let corrupt = chosen
        .iter()
        .copied()
        .filter(|&i| hex::encode(sink.part.next_digest()) != parts[i].sha256)
        .collect();
    Ok(Verdict {
        corrupt,
        whole_matches: whole == manifest.sha256,
        resized,
    })
}

/// Opens a part without following a symlink; refuses anything but a
/// regular file (a FIFO would block, a device would never end).
fn open_part(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// Where part bytes go: the digest threads.
struct JoinSink {
    pending: Vec<u8>,
    pool: ChunkPool,
    count: u64,
    whole: DigestThread,
    part: DigestThread,
}

impl JoinSink {
    fn new() -> Self {
        JoinSink {
            pending: Vec::with_capacity(CHUNK_BYTES),
            pool: ChunkPool::default(),
            count: 0,
            whole: DigestThread::spawn::<Sha256>(),
            part: DigestThread::spawn::<Sha256>(),
        }
    }

    fn dispatch(&mut self) {
        if !self.pending.is_empty() {
            let next = self.pool.take(CHUNK_BYTES);
            let chunk: Chunk = self.pool.share(std::mem::replace(&mut self.pending, next));
            self.whole.feed(&chunk);
            self.part.feed(&chunk);
        }
    }

    fn end_part(&mut self) {
        self.dispatch();
        self.part.cut();
    }
}

/// One part's bytes on their way to the output (if any) and the digests.
struct Tee<'a> {
    out: Option<&'a mut dyn Write>,
    sink: &'a mut JoinSink,
}

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(out) = self.out.as_mut() {
            out.write_all(buf)?;
        }
        let sink = &mut *self.sink;
        sink.pending.extend_from_slice(buf);
        if sink.pending.len() >= CHUNK_BYTES {
            sink.dispatch();
        }
        sink.count += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
