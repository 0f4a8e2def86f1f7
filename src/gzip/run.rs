//! The `binkit gzip` command: files in place (FILE -> FILE.gz and back),
//! or stdin to stdout, `-t` to test, `-l` to list.
//!
//! A file is replaced only after its counterpart is complete and fsynced,
//! and the counterpart gets its mode and time; a decompression that fails
//! late leaves no output file and the input untouched. With several files,
//! each failure is reported and the others still run; the status is then 2.

use std::ffi::OsStr;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use super::decode::{Gunzip, Limits, Summary};
use super::encode::{GzipEncode, Origin};
use super::header::{self, MAX_FIELD_BYTES};
use crate::cli::GzipArgs;
use std::num::NonZeroUsize;
use std::sync::Arc;

use crate::error::{Error, Outcome, Place, Result};
use crate::io::ordered::default_threads;
use crate::io::progress::Tracked;
use crate::io::threaded::{ReadAhead, WriteBehind};
use crate::io::walk::{Entry, Found, SkipKind, Walk, WalkOptions};
use crate::io::{drive, read_head, Input, Output, Stage};
use crate::messages::printable;
use crate::paths;
use crate::{err_message, message};

/// `binkit gzip`.
///
/// # Errors
/// Usage errors; each file's own error is reported as it happens and the
/// others still run (exit status 2 at the end).
pub fn run(args: &GzipArgs) -> Result<Outcome> {
    if args.license {
        println!("binkit {}: MIT OR Apache-2.0", env!("CARGO_PKG_VERSION"));
        return Ok(Outcome::Yes);
    }
    if args.rsyncable {
        return Err(Error::Usage(
            "--rsyncable is not supported: in gzip and pigz it restarts compression at points chosen by the content, so that rsync finds unchanged runs; binkit cuts fixed 128 KiB blocks".into(),
        ));
    }
    if args.list && args.verbose {
        return Err(Error::Usage(
            "-l -v is not supported: gzip adds method, CRC, date and time columns; binkit's -l --json has members and deflate sizes".into(),
        ));
    }
    if args.output.is_some() && (args.files.len() > 1 || args.recursive) {
        return Err(Error::Usage(
            "-o names the output of one input; for several, use -c and redirect, or one run each"
                .into(),
        ));
    }
    if args.test && args.files.iter().any(|p| crate::io::s3::is_object(p)) {
        return test_in_parallel(args);
    }
    let job = Job::from_args(args)?;
    let mut rows = Vec::new();
    for entry in walk(args) {
        let Some(found) = job.take(entry) else {
            continue;
        };
        let done = if args.list {
            list_one(&job, &found).map(|row| rows.push(row))
        } else {
            job.one(&found)
        };
        match done {
            // `binkit gzip -dc big.gz | head` is not an error: stop quietly.
            Err(e) if e.is_stdout_broken_pipe() => return Err(e),
            Err(e) => err_message!("{e}"),
            Ok(()) => {}
        }
    }
    if args.list {
        print_list(&job, &rows)?;
    }
    Ok(Outcome::Yes)
}

/// `gzip -t` over objects: many at once (`--jobs`, 16 by default), each
/// one's result printed in the listing's order.
fn test_in_parallel(args: &GzipArgs) -> Result<Outcome> {
    use crate::io::ordered::{Emit, MapWork, OrderedMap};
    // The workers outlive no borrow: the job's arguments live for the run.
    let args: &'static GzipArgs = Box::leak(Box::new(args.clone()));
    let mut job = Job::from_args(args)?;
    job.print_ok = false;
    let job = Arc::new(job);
    let worker = Arc::clone(&job);
    let work: Arc<MapWork<Target, (PathBuf, Result<()>)>> =
        Arc::new(move |target: Target, emit: &Emit<(PathBuf, Result<()>)>| {
            let done = worker.one(&target);
            emit.send((target.path().to_path_buf(), done));
        });
    let local = NonZeroUsize::new(job.threads).unwrap_or(NonZeroUsize::MIN);
    let jobs = args
        .jobs
        .unwrap_or_else(|| crate::io::s3::default_jobs(&args.files, local));
    let mut map = OrderedMap::new(jobs, jobs.get() * 2, 1, work);
    let mut print = |done: Option<(PathBuf, Result<()>)>| -> Result<()> {
        match done {
            Some((_, Err(e))) if e.is_stdout_broken_pipe() => Err(e),
            Some((_, Err(e))) => {
                err_message!("{e}");
                Ok(())
            }
            Some((path, Ok(()))) if args.verbose => {
                crate::messages::report_line(&format!("{}:\t OK", printable(path.as_os_str())));
                Ok(())
            }
            _ => Ok(()),
        }
    };
    for entry in walk(args) {
        if let Some(target) = job.take(entry) {
            map.submit(target, &mut print)?;
        }
    }
    map.drain(&mut print)?;
    Ok(Outcome::Yes)
}

/// The command line's files, directories walked with `-r`.
fn walk(args: &GzipArgs) -> Walk {
    let roots = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let options = WalkOptions {
        recursive: args.recursive,
        follow: false,
        confine: false,
        shard: args.shard,
    };
    Walk::new(roots, options)
}

/// What gzip does with a file a walk found or a name it was given.
enum Target {
    Stdin,
    File(Found),
}

impl Target {
    fn path(&self) -> &Path {
        match self {
            Target::Stdin => Path::new("-"),
            Target::File(found) => found.path(),
        }
    }

    fn open(&self) -> Result<Input> {
        match self {
            Target::Stdin => Input::open(None),
            Target::File(found) if found.named() => Input::open(Some(found.path())),
            Target::File(found) => Input::open_found(found),
        }
    }

    /// The in-place output `path` beside this file: for a walked file,
    /// created and renamed in the directory it was found in (never through
    /// a directory swapped for a symlink meanwhile).
    fn output_beside(&self, path: &Path, force: bool) -> Result<Output> {
        let name = path.file_name().unwrap_or(path.as_os_str());
        match self {
            Target::File(found) => match found.at() {
                Some((dir, _)) => Output::replace_entry_at(dir, name, path, force),
                None => Output::replace_entry(path, force),
            },
            Target::Stdin => Output::replace_entry(path, force),
        }
    }

    /// Removes this file, relative to its directory when walked.
    fn remove(&self, from: &Place) -> Result<()> {
        let removed = match self {
            Target::File(found) => match found.at() {
                Some((dir, name)) => {
                    rustix::fs::unlinkat(&**dir, name, rustix::fs::AtFlags::empty())
                        .map_err(std::io::Error::from)
                }
                None => fs::remove_file(found.path()),
            },
            Target::Stdin => Ok(()),
        };
        removed.map_err(|e| Error::io("remove input", from, e))
    }
}

/// Ends in the compressed suffix (`.gz`, or `-S`'s), or `.tgz` with the
/// default one.
fn has_gz_suffix(path: &Path, suffix: &str) -> bool {
    gz_suffix_of(path.as_os_str().as_bytes(), suffix).is_some()
}

/// The suffix of `name` that gzip -d takes off, as gzip.c's get_suffix():
/// the `-S` one, then `.gz .z .taz .tgz -gz -z _z`, compared without case
/// (a `-S` that is the end of one of those, case-sensitively, is tried
/// last). Returns it as spelled in `name`.
fn gz_suffix_of<'n>(name: &'n [u8], suffix: &str) -> Option<&'n [u8]> {
    let known = [".gz", ".z", ".taz", ".tgz", "-gz", "-z", "_z"];
    let ends_a_known = known
        .iter()
        .any(|k| k.len() > suffix.len() && k.ends_with(suffix));
    let (first, last) = if ends_a_known {
        (None, Some(suffix))
    } else {
        (Some(suffix), None)
    };
    first
        .into_iter()
        .chain(known)
        .chain(last)
        .find_map(|candidate| {
            let at = name
                .len()
                .checked_sub(candidate.len())
                .filter(|&at| at > 0)?;
            let (base, tail) = name.split_at(at);
            (!base.ends_with(b"/") && tail.eq_ignore_ascii_case(candidate.as_bytes()))
                .then_some(tail)
        })
}

/// What to do with each file, settled once from the arguments.
struct Job<'a> {
    args: &'a GzipArgs,
    limits: Limits,
    threads: usize,
    /// `-t -v`'s OK line is printed by whoever runs the job (not the
    /// workers of a parallel test, whose lines keep the listing's order).
    print_ok: bool,
}

impl Job<'_> {
    fn from_args(args: &GzipArgs) -> Result<Job<'_>> {
        let limits = Limits {
            max_output: args.max_output,
            max_ratio: args.max_ratio,
            ratio_floor: 0,
            ignore_trailing: args.ignore_trailing,
            // `gzip -dcf` (zcat -f): what follows the last member is copied
            // through, as what is not gzip at all is.
            pass_trailing: args.force
                && args.decompress
                && (args.stdout
                    || args.output.is_some()
                    || args.files.iter().all(|f| f.as_os_str() == "-")),
        };
        let threads = args.threads.unwrap_or_else(default_threads).get();
        Ok(Job {
            args,
            limits,
            threads,
            print_ok: true,
        })
    }

    /// The walk's entry as something to work on: walked files that this
    /// direction applies to (`.gz` to decompress, others to compress);
    /// what the walk skipped is a warning, as GNU gzip gives, and a walk
    /// error is an error.
    fn take(&self, entry: Entry) -> Option<Target> {
        match entry {
            Entry::Stdin => Some(Target::Stdin),
            Entry::File(found)
                if found.named() && self.in_place() && !regular_or_absent(found.path()) =>
            {
                // GNU gzip: "ff is not a directory or a regular file -
                // ignored", status 2. A FIFO would block and a device
                // would be unlinked after it was read.
                let path = found.path();
                let what = std::fs::metadata(path).map_or(SkipKind::Other, |m| SkipKind::of(&m));
                // A warning, which -q hides, as gzip's; the status stays 2.
                crate::messages::set_errored();
                if !self.args.quiet {
                    message!("'{}': {what} - ignored", printable(path.as_os_str()));
                }
                None
            }
            Entry::File(found) if found.named() && found.path().is_dir() => {
                // GNU gzip: "d is a directory -- ignored", status 2 (-r
                // walks it instead).
                crate::messages::set_errored();
                if !self.args.quiet {
                    message!(
                        "'{}': is a directory - ignored",
                        printable(found.path().as_os_str())
                    );
                }
                None
            }
            Entry::File(found) if found.named() && self.in_place() && !self.args.force => {
                // GNU gzip, without -f: a symlink is refused ("Too many
                // levels of symbolic links"), and so is a file with other
                // hard links ("has 1 other link -- file ignored"): replacing
                // the name would leave the other names on the old data.
                let path = found.path();
                let shown = printable(path.as_os_str());
                let link = fs::symlink_metadata(path).map(|m| m.file_type().is_symlink());
                let links = fs::metadata(path).map_or(1, |m| {
                    use std::os::unix::fs::MetadataExt;
                    m.nlink()
                });
                if link.unwrap_or(false) {
                    err_message!("'{shown}': a symlink - ignored, as gzip does; -f replaces the link by the compressed or decompressed target");
                    None
                } else if links > 1 {
                    // gzip's warning: -q hides it, the status stays 2.
                    let others = links - 1;
                    let s = if others == 1 { "" } else { "s" };
                    crate::messages::set_errored();
                    if !self.args.quiet {
                        message!("'{shown}': has {others} other link{s} - ignored, as gzip does; -f replaces this name only");
                    }
                    None
                } else {
                    self.wanted(found)
                }
            }
            Entry::File(found) => self.wanted(found),
            Entry::Skipped(skipped) => {
                if !self.args.quiet {
                    message!(
                        "'{}': {} - ignored",
                        printable(skipped.path.as_os_str()),
                        skipped.kind
                    );
                }
                None
            }
            Entry::Failed { path, error } => {
                err_message!("{}", Error::io("walk", &Place::File(path), error));
                None
            }
        }
    }

    /// A file named or found that this direction applies to: named ones
    /// always, walked ones by their suffix.
    fn wanted(&self, found: Found) -> Option<Target> {
        let args = self.args;
        let wanted = args.decompress || args.list || args.test;
        (found.named() || has_gz_suffix(found.path(), &args.suffix) == wanted)
            .then_some(Target::File(found))
    }

    /// True when files are replaced in place (not `-c`, `-t`, `-l`).
    fn in_place(&self) -> bool {
        !(self.args.stdout || self.args.output.is_some() || self.args.test || self.args.list)
    }

    /// Compresses, decompresses or tests one file (or stdin).
    fn one(&self, target: &Target) -> Result<()> {
        let file = target.path();
        let is_stdin = matches!(target, Target::Stdin);
        self.refuse_terminal(is_stdin)?;
        if let Target::File(found) = target {
            if found.object().is_some() && self.in_place() {
                return Err(Error::Refused {
                    what:
                        "an object is not compressed or decompressed in place; use -c, or -o FILE"
                            .into(),
                    place: Place::Object(found.path().to_string_lossy().into_owned()),
                });
            }
        }
        let input = target.open()?;
        let (from, size) = (input.place().clone(), input.size());
        let meta = if is_stdin { None } else { input.metadata() };
        if self.args.decompress || self.args.test {
            return self.decompress(target, input, meta.as_ref());
        }
        let mut reader = Tracked::new(input, &from, size, self.args.quiet);
        let src = target;
        let target = if self.args.stdout || self.args.output.is_some() || is_stdin {
            None
        } else {
            match compressed_name(file, &self.args.suffix, self.args.force) {
                Ok(name) => Some(name),
                Err(has) => {
                    if !self.args.quiet {
                        let shown = printable(file.as_os_str());
                        message!("'{shown}': already has {has} suffix - unchanged, as gzip does (-f compresses it again)");
                    }
                    return Ok(());
                }
            }
        };
        let mut output = match &target {
            Some(target) => src.output_beside(target, self.args.force)?,
            // Deflate's worst case grows stored blocks by 5 bytes in 16 KiB.
            None => Output::create_sized(
                self.args.output.as_deref(),
                self.args.force,
                size.map(|s| s + s / 3000 + 1024),
            )?,
        };
        if let Some(meta) = &meta {
            output.keep_stamp_of(meta);
        }
        let origin = match &meta {
            Some(meta) if self.args.name => origin_of(file, meta),
            _ => Origin::default(),
        };
        let to = output.place().clone();
        let level = self.args.level_value();
        // The header binkit writes: 10 bytes, and the name with -N.
        let header = 10 + origin.name.as_ref().map_or(0, |n| n.len() as u64 + 1);
        let counted = Counted {
            inner: output,
            bytes: 0,
        };
        let stage = GzipEncode::new(counted, level, self.threads, &origin);
        let mut counted_in = Counted {
            inner: &mut reader,
            bytes: 0,
        };
        let counted = drive(&mut counted_in, stage, &from, &to)?;
        let read = counted_in.bytes;
        reader.finish();
        counted.inner.commit()?;
        if self.args.verbose {
            let deflated = counted.bytes.saturating_sub(header + 8);
            self.verbose(src, target.as_deref(), read, deflated);
        }
        self.remove_input(src, target.is_some(), &from)
    }

    /// gzip -v's line for one file: `name:\t 53.8% -- replaced with x.gz`
    /// (`created` with -k, `stdout` with -c); for stdin, the ratio alone
    /// when compressing and nothing when decompressing, as gzip.
    fn verbose(&self, src: &Target, target: Option<&Path>, uncompressed: u64, deflated: u64) {
        let percent = format!("{:5.1}%", ratio(uncompressed, deflated));
        let Target::File(found) = src else {
            if !self.args.decompress {
                crate::messages::report_line(&percent);
            }
            return;
        };
        let name = printable(found.path().as_os_str());
        let what = match target {
            Some(t) if self.args.keep => format!("created {}", printable(t.as_os_str())),
            Some(t) => format!("replaced with {}", printable(t.as_os_str())),
            None => match &self.args.output {
                Some(out) => format!("written to {}", printable(out.as_os_str())),
                None => "replaced with stdout".into(),
            },
        };
        crate::messages::report_line(&format!("{name}:\t{percent} -- {what}"));
    }

    /// GNU gzip's guard for stdin, unless -f: compressed data is neither
    /// written to a terminal nor read from one.
    fn refuse_terminal(&self, is_stdin: bool) -> Result<()> {
        use std::io::IsTerminal;
        let args = self.args;
        if args.force || args.list {
            return Ok(());
        }
        let unpacking = args.decompress || args.test;
        // As GNU, only for stdin: `gzip -c file` to a terminal is written.
        if !unpacking && is_stdin && std::io::stdout().is_terminal() {
            return Err(Error::Usage(
                "compressed data not written to a terminal (as gzip; -f to force)".into(),
            ));
        }
        if unpacking && is_stdin && std::io::stdin().is_terminal() {
            return Err(Error::Usage(
                "compressed data not read from a terminal (as gzip; -f to force)".into(),
            ));
        }
        Ok(())
    }

    /// Decompresses or tests one file, inflating on this thread while one
    /// thread reads and another writes.
    fn decompress(&self, src: &Target, input: Input, meta: Option<&fs::Metadata>) -> Result<()> {
        let file = src.path();
        let (from, size) = (input.place().clone(), input.size());
        let mut reader = Tracked::new(ReadAhead::new(input), &from, size, self.args.quiet);
        if self.args.test {
            let stage = Gunzip::new(std::io::sink(), self.limits);
            drive(&mut reader, stage, &from, &Place::Stdout)?;
            if self.args.verbose && self.print_ok {
                let name = printable(file.as_os_str());
                crate::messages::report_line(&format!("{name}:\t OK"));
            }
            return Ok(());
        }
        let in_place = !(self.args.stdout || self.args.output.is_some() || meta.is_none());
        // With -N the stored name and time decide the target: read the
        // header first, then decode it again with the rest.
        let head = if in_place && self.args.name {
            read_head(&mut reader, 3 * MAX_FIELD_BYTES + 1024)
                .map_err(|e| Error::io("read", &from, e))?
        } else if !in_place && self.args.force {
            read_head(&mut reader, 2).map_err(|e| Error::io("read", &from, e))?
        } else {
            Vec::new()
        };
        if !in_place && self.args.force && !head.starts_with(&[0x1f, 0x8b]) {
            // `gzip -dcf` (zcat -f): what is not gzip is copied as it is.
            let mut output = Output::create(self.args.output.as_deref(), self.args.force)?;
            let to = output.place().clone();
            let mut whole = Cursor::new(head).chain(&mut reader);
            crate::io::pump(&mut whole, &mut output).map_err(|e| match e {
                crate::io::PumpError::Read(e) => Error::io("read", &from, e),
                crate::io::PumpError::Write(e) => Error::io("write", &to, e),
            })?;
            reader.finish();
            return output.commit();
        }
        let stored = header::parse(&head).ok().flatten().map(|(h, _)| h);
        let target = if in_place {
            let stored_name = stored.as_ref().and_then(|h| h.name.as_deref());
            Some(decompressed_name(file, stored_name, &self.args.suffix)?)
        } else {
            None
        };
        let mut output = match &target {
            Some(target) => src.output_beside(target, self.args.force)?,
            None => Output::create(self.args.output.as_deref(), self.args.force)?,
        };
        if let Some(meta) = meta {
            output.keep_stamp_of(meta);
        }
        if let Some(mtime) = stored.as_ref().map(|h| h.mtime).filter(|&t| t != 0) {
            output.set_modified(UNIX_EPOCH + Duration::from_secs(mtime.into()));
        }
        let to = output.place().clone();
        let mut stage = Gunzip::new(WriteBehind::new(output), self.limits);
        let mut whole = Cursor::new(head).chain(&mut reader);
        let ended = match crate::io::pump(&mut whole, &mut stage) {
            Ok(_) => stage.end().map_err(|e| Error::from_stage(e, &from, &to)),
            Err(crate::io::PumpError::Read(e)) => Err(Error::io("read", &from, e)),
            Err(crate::io::PumpError::Write(e)) => Err(Error::from_stage(e, &from, &to)),
        };
        let summary = match ended {
            Ok(summary) => summary,
            Err(e) => {
                // To stdout, what decoded is released before the error, as
                // GNU gzip does (a file output is never left half-written).
                if target.is_none() {
                    let output = stage
                        .into_inner()
                        .finish()
                        .map_err(|e| Error::io("write", &to, e))?;
                    output.commit()?;
                }
                return Err(e);
            }
        };
        let output = stage
            .into_inner()
            .finish()
            .map_err(|e| Error::io("write", &to, e))?;
        reader.finish();
        output.commit()?;
        if self.args.verbose {
            self.verbose(
                src,
                target.as_deref(),
                summary.decompressed,
                summary.deflate_bytes,
            );
        }
        self.remove_input(src, target.is_some(), &from)
    }

    fn remove_input(&self, src: &Target, replaced: bool, from: &Place) -> Result<()> {
        if replaced && !self.args.keep {
            src.remove(from)?;
        }
        Ok(())
    }
}

/// The name and time `-N` stores: the file name without directories.
fn origin_of(file: &Path, meta: &fs::Metadata) -> Origin {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX));
    Origin {
        name: file.file_name().map(|n| n.as_bytes().to_vec()),
        mtime,
    }
}

fn refused(file: &Path, what: impl Into<String>) -> Error {
    Error::Refused {
        what: what.into(),
        place: Place::File(file.to_path_buf()),
    }
}

/// A regular file, a directory (refused later with its own message) or
/// nothing (the open says so): anything else gzip ignores in place.
fn regular_or_absent(path: &Path) -> bool {
    fs::metadata(path).map_or(true, |m| m.is_file() || m.is_dir())
}

/// FILE -> FILE.gz (or FILE`-S`).
/// `Err(suffix)` when FILE already has one of gzip's suffixes and `force`
/// is not given: gzip leaves it ("already has .gz suffix -- unchanged",
/// status 0); with `-f` it becomes FILE.gz.gz, as gzip's.
fn compressed_name(file: &Path, suffix: &str, force: bool) -> std::result::Result<PathBuf, String> {
    if let Some(has) = gz_suffix_of(file.as_os_str().as_bytes(), suffix).filter(|_| !force) {
        return Err(String::from_utf8_lossy(has).into_owned());
    }
    let mut out = file.as_os_str().to_owned();
    out.push(suffix);
    Ok(PathBuf::from(out))
}

/// FILE.gz -> FILE and FILE.tgz -> FILE.tar; with a stored name (`-N`),
/// that name in FILE.gz's directory. The stored name comes from the data:
/// only a plain name that resolves inside that directory is used.
fn decompressed_name(file: &Path, stored: Option<&[u8]>, suffix: &str) -> Result<PathBuf> {
    if let Some(stored) = stored {
        let dir = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let checked = paths::check_plain_name(stored)
            .and_then(|()| paths::resolve_under(dir, stored))
            .map_err(|e| refused(file, format!("stored name refused: {e}")))?;
        // -N -f with the input's own name stored: the output would replace
        // the input, and then "the input" would be removed (issue 12).
        if paths::same_file(&checked, file) {
            return Err(refused(file, "stored name refused: it is the input itself"));
        }
        return Ok(checked);
    }
    let name = file.as_os_str().as_bytes();
    if let Some(tail) = gz_suffix_of(name, suffix) {
        let base = &name[..name.len() - tail.len()];
        let mut out = OsStr::from_bytes(base).to_os_string();
        if tail.eq_ignore_ascii_case(b".tgz") || tail.eq_ignore_ascii_case(b".taz") {
            out.push(".tar");
        }
        return Ok(PathBuf::from(out));
    }
    Err(refused(
        file,
        format!(
            "unknown suffix: expected {}.gz, .z, .tgz, .taz, -gz, -z or _z (any case), as gzip",
            if suffix == ".gz" {
                String::new()
            } else {
                format!("{suffix}, ")
            }
        ),
    ))
}

/// One row of `-l`.
#[derive(serde::Serialize)]
struct Listing {
    path: String,
    compressed: u64,
    uncompressed: u64,
    /// Space saved by deflate, in percent, as gzip computes it (headers
    /// and trailers not counted).
    ratio: f64,
    uncompressed_name: String,
    members: u64,
    #[serde(skip)]
    deflate_bytes: u64,
}

/// `-l`'s table or JSON, for the files that could be read.
fn print_list(job: &Job, rows: &[Listing]) -> Result<()> {
    let mut out = Output::create(None, false)?;
    let text = if job.args.json {
        let mut json = serde_json::to_string_pretty(rows).map_err(std::io::Error::from);
        if let Ok(json) = &mut json {
            json.push('\n');
        }
        json.map_err(|e| Error::io("write", &Place::Stdout, e))?
    } else {
        table(rows, job.args.quiet)
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("write", &Place::Stdout, e))?;
    out.commit()
}

/// `-l` for one file: decodes it whole (sizes past 4 GiB and multi-member
/// files are counted right, unlike `gzip -l`, which trusts the last ISIZE).
fn list_one(job: &Job, target: &Target) -> Result<Listing> {
    let file = target.path();
    let input = target.open()?;
    let from = input.place().clone();
    let mut reader = ReadAhead::new(input);
    let stage = Summarize {
        gunzip: Gunzip::new(std::io::sink(), job.limits),
        read: 0,
    };
    let (compressed, summary) = drive(&mut reader, stage, &from, &Place::Stdout)?;
    let stored = summary.first.as_ref().and_then(|h| h.name.clone());
    let name = match stored {
        Some(stored) if job.args.name => String::from_utf8_lossy(&stored).into_owned(),
        // gzip -l names what it read from stdin "stdout".
        _ if matches!(target, Target::Stdin) || file == Path::new("-") => "stdout".into(),
        _ => decompressed_name(file, None, &job.args.suffix)
            .map_or_else(|_| file.display().to_string(), |p| p.display().to_string()),
    };
    Ok(Listing {
        path: file.display().to_string(),
        compressed,
        uncompressed: summary.decompressed,
        ratio: (ratio(summary.decompressed, summary.deflate_bytes) * 10.0).round() / 10.0,
        uncompressed_name: name,
        members: summary.members,
        deflate_bytes: summary.deflate_bytes,
    })
}

/// A reader or writer that counts what goes through it (gzip -v's sizes).
struct Counted<W> {
    inner: W,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(buf)?;
        self.bytes += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// gzip's ratio: the share of the uncompressed size that deflate saved.
#[allow(clippy::cast_precision_loss)] // a percentage to one decimal
fn ratio(uncompressed: u64, deflated: u64) -> f64 {
    if uncompressed == 0 {
        return 0.0;
    }
    100.0 * (uncompressed as f64 - deflated as f64) / uncompressed as f64
}

/// gzip -l's table, with a totals row for more than one file; `-q` drops
/// the heading and the totals, as gzip does.
fn table(rows: &[Listing], quiet: bool) -> String {
    let mut text = String::new();
    if !quiet {
        text.push_str("         compressed        uncompressed  ratio uncompressed_name\n");
    }
    let mut row = |c: u64, u: u64, r: f64, name: &str| {
        let name = crate::messages::printable_str(name);
        text.push_str(&format!("{c:>19} {u:>19} {r:>5.1}% {name}\n"));
    };
    for r in rows {
        row(r.compressed, r.uncompressed, r.ratio, &r.uncompressed_name);
    }
    if let (Some(last), true) = (rows.last(), rows.len() > 1 && !quiet) {
        let c: u64 = rows.iter().map(|r| r.compressed).sum();
        let u = rows.iter().map(|r| r.uncompressed).sum();
        // gzip's totals take off the last file's header and trailer bytes
        // only ("not meaningful but used to ensure the same ratio if there
        // is a single file", gzip.c): the same figure, to the digit.
        let headers = last.compressed.saturating_sub(last.deflate_bytes);
        row(c, u, ratio(u, c.saturating_sub(headers)), "(totals)");
    }
    text
}

/// A stage counting the compressed bytes and ending in the stream's
/// [`Summary`].
struct Summarize {
    gunzip: Gunzip<std::io::Sink>,
    read: u64,
}

impl Write for Summarize {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.gunzip.write(buf)?;
        self.read += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Stage for Summarize {
    type Done = (u64, Summary);

    fn finish(self) -> std::io::Result<(u64, Summary)> {
        let read = self.read;
        self.gunzip.finish_with_summary().map(|(_, s)| (read, s))
    }
}
