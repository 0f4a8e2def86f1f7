//! What grep-log searches: the walker's entries (files, `-r` walks, stdin),
//! each opened and read (gzip, xz, zstd and bzip2 recognised by their magic
//! bytes and decompressed in-process) into a [`Searcher`].

use std::fs::File;
use std::io::{self, Cursor, Read, Write};
use std::os::unix::ffi::OsStrExt;

use super::compressed::{decoder, read_magic, Compression, MAGIC_LEN};
use super::matcher::Matcher;
use super::print;
use super::search::{Found, Options, Searcher};
use super::split;
use crate::error::Corruption;
use crate::gzip::{Gunzip, GunzipReader, Limits};
use crate::io::threaded::ReadAhead;
use crate::io::walk::{Entry, SkipKind};
use crate::io::{pump, Stage};
use crate::messages::printable_bytes;

/// One thing to search: what the walk found.
pub(super) type Input = Entry;

/// What grep does with an entry the walk did not open: quiet, as GNU grep
/// skips symlinks and devices it meets in a walk, but for `-L`'s dangling
/// links (an error, as `grep -R` says) and loops (a warning).
pub(super) fn is_searched(input: &Input, follow: bool) -> bool {
    match input {
        Entry::Skipped(s) => follow && matches!(s.kind, SkipKind::Dangling(_) | SkipKind::Loop),
        _ => true,
    }
}

/// The input's name as grep prints it in prefixes.
pub(super) fn name_of(input: &Input, label: Option<&[u8]>, strip_dot: bool) -> Vec<u8> {
    match input {
        Entry::Stdin => label.unwrap_or(b"(standard input)").to_vec(),
        // `grep -r PATTERN` with no path walks `.` and names `sub/a.log`.
        Entry::File(found) if strip_dot => {
            let name = found.path().as_os_str().as_bytes();
            name.strip_prefix(b"./").unwrap_or(name).to_vec()
        }
        Entry::File(found) => found.path().as_os_str().as_bytes().to_vec(),
        Entry::Skipped(s) => s.path.as_os_str().as_bytes().to_vec(),
        Entry::Failed { path, .. } => path.as_os_str().as_bytes().to_vec(),
    }
}

/// Searches one input into `out`; its name goes into prefixes.
pub(super) fn search_input(
    input: &Input,
    opts: &Options,
    out: &mut dyn Write,
) -> std::result::Result<Found, String> {
    let name = name_of(input, opts.label.as_deref(), opts.strip_dot);
    let shown = printable_bytes(&name);
    let failed = |e: io::Error| describe(&shown, &e);
    let (mut src, walked, size): (Box<dyn Read + Send>, bool, Option<u64>) = match input {
        Entry::Failed { error, .. } => return Err(describe(&shown, error)),
        Entry::Skipped(s) if s.kind == SkipKind::Loop => {
            return Err(format!("warning: {shown}: recursive directory loop"))
        }
        Entry::Skipped(_) => return Err(failed(io::Error::from_raw_os_error(libc::ENOENT))),
        Entry::Stdin => (
            Box::new(crate::io::stdio::stdin().map_err(failed)?),
            false,
            stdin_size(),
        ),
        Entry::File(found) if found.object().is_some() => {
            let reader = crate::io::Input::open_found(found).map_err(|e| e.to_string())?;
            let size = reader.size();
            (Box::new(reader), !found.named(), size)
        }
        Entry::File(found) => {
            let named = found.named();
            if named && found.path().is_dir() {
                return Err(format!("{shown}: is a directory (use -r)"));
            }
            let file = found.open().map_err(|e| {
                let text = failed(e);
                // `grep-log --level error ERROR app.log`: every argument is
                // a path there; say how to give a pattern.
                let filtering = opts.level.is_some()
                    || opts.since.is_some()
                    || opts.until.is_some()
                    || opts.stats;
                if named && filtering && opts.matcher.is_none() && text.contains("No such file") {
                    format!("{text} (with --level, --since, --until or --stats every argument is a path: give a pattern with -e)")
                } else {
                    text
                }
            })?;
            let size = file.metadata().map_err(failed)?.len();
            if split::applies(opts, size) && !is_compressed_file(&file).map_err(failed)? {
                if let Some(mut found) =
                    split::count_in_halves(&file, size, opts, opts.binary_without_match)
                        .map_err(failed)?
                {
                    print::for_options(opts, out, &name, Some(size))
                        .finish(&mut found)
                        .map_err(failed)?;
                    return Ok(found);
                }
            }
            (Box::new(file), !named, Some(size))
        }
    };
    // Compressed by its magic bytes, whatever the name.
    let mut head = read_magic(&mut src).map_err(failed)?;
    // A file's first chunk is read whole, so that a NUL in it makes the
    // file binary before any line is printed, as grep's first buffer (a
    // pipe gives what it has: a hit there is shown at once).
    if size.is_some() && !head.is_empty() {
        let mut at = head.len();
        head.resize(super::reader::CHUNK, 0);
        while at < head.len() {
            match src.read(&mut head[at..]) {
                Ok(0) => break,
                Ok(n) => at += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(failed(e)),
            }
        }
        head.truncate(at);
    }
    let kind = Compression::of(&head);
    let rest = Cursor::new(head).chain(src);
    // Large compressed inputs are decompressed on a thread of their own;
    // small ones here, where a thread would cost more than it saves.
    let inline = size.is_some_and(|s| s < INLINE_DECOMPRESS);
    let limits = opts.gunzip;
    let mut reader: Box<dyn Read> = match kind {
        None => Box::new(rest),
        Some(Compression::Gzip) if inline => Box::new(GunzipReader::new(rest, limits)),
        Some(Compression::Gzip) => Box::new(ReadAhead::from_producer(move |out| {
            inflate(rest, out, limits)
        })),
        Some(other) if inline => decoder(other, rest, limits).map_err(failed)?,
        Some(other) => Box::new(ReadAhead::from_producer(move |out| {
            io::copy(&mut decoder(other, rest, limits)?, out).map(drop)
        })),
    };
    if opts.null_data {
        reader = Box::new(NulLines(reader));
    }
    // -I: a binary file has no matching lines (gzipped text is text).
    let _ = walked;
    let mut printer = print::for_options(opts, out, &name, size.filter(|_| kind.is_none()));
    let (mut found, error) = Searcher::new(opts, &mut *printer)
        .interactive(may_block(input))
        .skip_binary(opts.binary_without_match)
        .search_partly(&mut reader);
    match error {
        // A write error ends everything; a read error ends this input,
        // after its count (zgrep -c counts what it read).
        Some(e) if Corruption::find(&e).is_none() => return Err(failed(e)),
        Some(e) => found.error = Some(failed(e)),
        None => {}
    }
    if found.error.is_none() && opts.matcher.as_ref().is_some_and(Matcher::take_failure) {
        // What was found is printed; the input was not all searched.
        found.error = Some(format!(
            "{shown}: exceeded PCRE's backtracking limit: some lines were not searched"
        ));
    }
    printer.finish(&mut found).map_err(failed)?;
    Ok(found)
}

/// `-z`'s input: NUL and newline swapped, so NUL-ended records are lines
/// (and their newlines ordinary bytes) to the searcher.
struct NulLines<R>(R);

impl<R: Read> Read for NulLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        swap_nul_newline(&mut buf[..n]);
        Ok(n)
    }
}

/// Swaps NUL and newline bytes in place (an involution).
pub(super) fn swap_nul_newline(bytes: &mut [u8]) {
    for b in bytes {
        *b = match *b {
            0 => b'\n',
            b'\n' => 0,
            other => other,
        };
    }
}

/// Stdin's size when it is a regular file (`< app.log`).
fn stdin_size() -> Option<u64> {
    use std::os::fd::AsFd;
    let stdin = std::io::stdin();
    let st = rustix::fs::fstat(stdin.as_fd()).ok()?;
    (rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile)
        .then(|| u64::try_from(st.st_size).unwrap_or(0))
}

/// Stdin that is not a regular file: a read may wait for a writer.
fn may_block(input: &Input) -> bool {
    matches!(input, Entry::Stdin) && stdin_size().is_none()
}

fn is_compressed_file(file: &File) -> io::Result<bool> {
    let mut magic = [0; MAGIC_LEN];
    let n = std::os::unix::fs::FileExt::read_at(file, &mut magic, 0)?;
    Ok(Compression::of(&magic[..n]).is_some())
}

/// Compressed files smaller than this are decompressed on the searching
/// thread.
const INLINE_DECOMPRESS: u64 = 1 << 20;

/// Decompresses all members of `src` into `out` (on the reading thread).
fn inflate(mut src: impl Read, out: &mut dyn Write, limits: Limits) -> io::Result<()> {
    let mut stage = Gunzip::new(out, limits);
    pump(&mut src, &mut stage).map_err(|e| match e {
        crate::io::PumpError::Read(e) | crate::io::PumpError::Write(e) => e,
    })?;
    stage.finish().map(drop)
}

fn describe(name: &str, e: &io::Error) -> String {
    match Corruption::find(e) {
        Some(c) => format!(
            "{name}: {} (at byte {} of the compressed data)",
            c.what, c.offset
        ),
        None => format!("{name}: {}", crate::error::os_text(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::walk::{Walk, WalkOptions};

    #[test]
    fn paths_and_names() {
        assert_eq!(name_of(&Entry::Stdin, None, false), b"(standard input)");
        let mut walk = Walk::new(vec!["a/b.log".into()], WalkOptions::default());
        let input = walk.next().unwrap();
        assert_eq!(name_of(&input, None, false), b"a/b.log");
    }
}
