//! Counting (`-c`) in a large regular file on two threads: the file is cut
//! at a record boundary near its middle and each half is searched on its
//! own. Only counts are merged, so nothing about output order changes.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;

use super::search::{Counting, Found, Options, Searcher};
use super::time::timestamp_of;

/// Files at least this large are counted in two halves.
pub const SPLIT_FROM: u64 = 32 << 20;

/// How far past the middle a record boundary is looked for.
const WINDOW: usize = 1 << 20;

/// Whether `opts` allow counting in halves: a plain count, nothing that
/// depends on what came before but the record a line is in.
pub fn applies(opts: &Options, size: u64) -> bool {
    opts.count
        && !opts.null_data
        && size >= SPLIT_FROM
        && opts.max_count.is_none()
        && !(opts.files_with_matches || opts.quiet || opts.json || opts.stats)
}

/// A part of a file, read with `pread`.
struct Range<'a> {
    file: &'a File,
    at: u64,
    end: u64,
}

impl Read for Range<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = usize::try_from(self.end - self.at)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.file.read_at(&mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// Where the second half starts: the first line after the middle, or with
/// record filters the first timestamped line (a record's start) after it.
fn boundary(file: &File, size: u64, opts: &Options) -> io::Result<Option<u64>> {
    let mid = size / 2;
    let mut window = vec![0; WINDOW.min(usize::try_from(size - mid).unwrap_or(WINDOW))];
    let n = file.read_at(&mut window, mid)?;
    let window = &window[..n];
    let records = opts.level.is_some() || opts.since.is_some() || opts.until.is_some();
    let mut at = match memchr::memchr(b'\n', window) {
        Some(i) => i + 1,
        None => return Ok(None),
    };
    if records {
        loop {
            let Some(len) = memchr::memchr(b'\n', &window[at..]) else {
                return Ok(None);
            };
            if timestamp_of(&window[at..at + len], opts.now).is_some() {
                break;
            }
            at += len + 1;
        }
    }
    Ok(Some(mid + at as u64))
}

/// Counts `file` in two halves at once; `None` when no boundary was found
/// near the middle (the caller then counts it whole).
///
/// # Errors
/// Read errors.
pub fn count_in_halves(
    file: &File,
    size: u64,
    opts: &Options,
    skip_binary: bool,
) -> io::Result<Option<Found>> {
    let Some(cut) = boundary(file, size, opts)? else {
        return Ok(None);
    };
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut src = Range {
                file,
                at: cut,
                end: size,
            };
            Searcher::new(opts, &mut Counting)
                .after_a_record()
                .search(&mut src)
        });
        let mut src = Range {
            file,
            at: 0,
            end: cut,
        };
        let first = Searcher::new(opts, &mut Counting)
            .skip_binary(skip_binary)
            .search(&mut src)?;
        let second = second
            .join()
            .map_err(|_| io::Error::other("a search thread stopped"))??;
        // A NUL in either half makes the whole file binary: with -I it has
        // no matching lines (grep -I -c says 0), whichever half saw it.
        let binary_offset = first
            .binary_offset
            .or(second.binary_offset.map(|at| at + cut));
        let lines = if skip_binary && binary_offset.is_some() {
            0
        } else {
            first.lines + second.lines
        };
        Ok(Some(Found {
            lines,
            too_long: first.too_long + second.too_long,
            bytes_searched: first.bytes_searched + second.bytes_searched,
            binary_matched: first.binary_matched || second.binary_matched,
            binary_offset,
            ..first
        }))
    })
}
