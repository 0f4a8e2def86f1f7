//! `binkit sniff`: what files really are, judged from their bytes, against
//! what their names claim, with the risk flags an upload check needs.
//!
//! Each file is read at its head ([`detect::HEAD`]), where its format
//! points (a PE header, an ELF's dynamic section), its last 64 KiB for a
//! ZIP's end record, all of a PNG, JPEG or GIF (walked by its structure,
//! `image`), and up to [`MARKUP_LIMIT`] of SVG and HTML (to find script).
//! A file and stdin go through one path, [`sniff_source`].

mod binary;
mod container;
mod detect;
mod image;
mod magic;
mod names;
mod output;
mod policy;
mod run;
mod text;

pub use binary::Source;
pub use detect::{mime_of, HEAD, TAIL};
pub use names::{canonical, same_format, Verdict};
pub use policy::{Policy, TypePattern};
pub(crate) use run::run;
#[cfg(any(fuzzing, test))]
pub(crate) use {detect::ends_cleanly, names::expected_mime, names::name_flags};

use std::fs::File;
use std::io;

use crate::io::walk::SkipKind;
use binary::read_at;

/// The most of an SVG or HTML file searched for script.
pub const MARKUP_LIMIT: usize = 256 * 1024;

/// What `sniff` says about one file; the JSON field names are a contract.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// The path as given or found (lossy UTF-8).
    pub path: String,
    /// Bytes; null for stdin unless it was copied through.
    pub size: Option<u64>,
    /// The detected MIME type.
    pub mime: &'static str,
    /// The MIME type the name claims, or null.
    pub ext_mime: Option<&'static str>,
    /// How the two relate.
    pub verdict: Verdict,
    /// Short risk flags.
    pub flags: Vec<&'static str>,
    /// The policy's result.
    pub pass: bool,
    /// Why: one line per flag, mismatch or policy failure.
    pub reasons: Vec<String>,
}

impl Report {
    /// A report for content already classified; flags from the name are
    /// added here, content flags by the caller.
    fn new(path: String, name: &str, size: Option<u64>, mime: &'static str) -> Report {
        let ext_mime = names::expected_mime(name);
        let verdict = names::verdict(mime, ext_mime);
        let mut report = Report {
            path,
            size,
            mime,
            ext_mime,
            verdict,
            flags: Vec::new(),
            pass: true,
            reasons: Vec::new(),
        };
        for (flag, reason) in names::name_flags(name) {
            report.flag(flag, reason);
        }
        report
    }

    /// The type a closer look found (a ZIP's entries name it), and the
    /// verdict on the name for it.
    fn retype(&mut self, mime: &'static str) {
        self.mime = mime;
        self.verdict = names::verdict(mime, self.ext_mime);
    }

    /// The report for an entry a walk did not open: `--check` fails it
    /// (a gate passes only what it examined) unless `--skip-special`. The type is `file`'s name
    /// for such entries (`inode/fifo`, ...).
    pub fn not_examined(path: String, kind: &SkipKind) -> Report {
        let mime = match kind {
            SkipKind::Symlink(_)
            | SkipKind::Dangling(_)
            | SkipKind::Loop
            | SkipKind::Outside(_) => "inode/symlink",
            SkipKind::Fifo => "inode/fifo",
            SkipKind::Socket => "inode/socket",
            SkipKind::CharDevice => "inode/chardevice",
            SkipKind::BlockDevice => "inode/blockdevice",
            SkipKind::Directory => "inode/directory",
            SkipKind::Other => "application/octet-stream",
        };
        let mut report = Report {
            path,
            size: None,
            mime,
            ext_mime: None,
            verdict: Verdict::Skipped,
            flags: Vec::new(),
            pass: true,
            reasons: vec![format!("not examined: {kind}")],
        };
        if let SkipKind::Outside(_) = kind {
            report.flag(
                "outside-tree",
                "-L does not follow a link out of the folder being checked".into(),
            );
        }
        report
    }

    fn flag(&mut self, flag: &'static str, reason: String) {
        self.flags.push(flag);
        self.reasons.push(reason);
    }
}

/// Flags that come from the head alone: programs, and scripts with `#!`.
fn content_flags(report: &mut Report, head: &[u8]) {
    let program = match names::canonical(report.mime) {
        "application/x-executable" | "application/x-pie-executable" => Some("ELF executable"),
        "application/x-sharedlib" => Some("ELF shared library"),
        "application/x-object" => Some("ELF object"),
        "application/x-coff" => Some("COFF object"),
        "application/vnd.microsoft.portable-executable" => Some("Windows (PE) executable"),
        "application/x-dosexec" => Some("MS-DOS executable"),
        "application/x-mach-binary" => Some("Mach-O executable"),
        _ => None,
    };
    if let Some(what) = program {
        report.flag("executable", format!("{what} content"));
    } else if report.mime == "text/x-php" {
        // A PHP page runs on the server that stores it: a web shell is
        // the classic upload attack.
        report.flag("executable", "PHP code (<?php)".into());
    } else if head.starts_with(b"\x7fELF") {
        // A header libmagic cannot type (a flipped byte-order byte) still
        // runs: Linux reads only the magic, class and machine.
        report.flag("executable", "an ELF header of no known type".into());
    } else if head.starts_with(b"#!") {
        let line = head[2..].split(|&b| b == b'\n').next().unwrap_or_default();
        let line: String = String::from_utf8_lossy(&line[..line.len().min(80)]).into();
        let line = crate::messages::printable_str(line.trim());
        report.flag("executable", format!("script with #!{line}"));
    }
}

/// Sniffs an open regular file of `size` bytes.
///
/// # Errors
/// Read errors.
pub fn sniff_file(file: &mut File, path: String, name: &str, size: u64) -> io::Result<Report> {
    let mut report = sniff_source(file, path, name)?;
    report.size = Some(size);
    Ok(report)
}

/// Sniffs what `src` holds: its head, past it where a format points (a PE
/// header, an ELF's dynamic section), its tail for images, and up to
/// [`MARKUP_LIMIT`] of markup. A file and a stream (a [`Stream`]) go
/// through this one path, so they get the same checks and verdicts.
///
/// # Errors
/// Read errors.
pub fn sniff_source(src: &mut dyn Source, path: String, name: &str) -> io::Result<Report> {
    let head = read_at(src, 0, detect::HEAD)?;
    let complete = src
        .known_size()
        .is_some_and(|size| head.len() as u64 >= size);
    let mut mime = detect::detect(&head, complete, src)?;
    if !complete && from_text_tests(mime, &head) {
        // libmagic calls a file text only when all it read (7 MiB) is: a
        // control byte after the head makes it data; and its searches
        // without a range look through all of it.
        // The text sniffer alone: the binary tests already passed the
        // head over, and they look at nothing past it.
        let text = read_at(src, 0, TEXT_LIMIT)?;
        let whole = src
            .known_size()
            .is_some_and(|size| text.len() as u64 >= size);
        mime = text::sniff(&text, whole).unwrap_or(detect::UNKNOWN);
    }
    let mut report = Report::new(path, name, src.known_size(), mime);
    if report.verdict == Verdict::Mismatch
        && mime == "text/plain"
        && names::is_linker_script(&head, report.ext_mime)
    {
        report.verdict = Verdict::Ok;
    }
    content_flags(&mut report, &head);
    if !report.flags.contains(&"executable") {
        if let Some(ext) = names::windows_runnable(name) {
            report.flag(
                "executable",
                format!("the name runs when opened on Windows (.{ext})"),
            );
        }
    }
    let walked = match mime {
        "image/png" => Some(("PNG", image::walk_png(src)?)),
        "image/jpeg" => Some(("JPEG", image::walk_jpeg(src)?)),
        "image/gif" => Some(("GIF", image::walk_gif(src)?)),
        _ => None,
    };
    if let Some((format, findings)) = walked {
        image_flags(&mut report, format, &findings, src)?;
    } else if mime.starts_with("image/") && mime != "image/svg+xml" {
        other_image_flags(&mut report, &head, src)?;
    } else if detect::has_end_marker(mime) {
        if let Some(size) = src.size()? {
            let tail_len = size.min(detect::TAIL as u64);
            let tail = read_at(src, size - tail_len, detect::TAIL)?;
            appended_flag(&mut report, &tail);
            report.size = Some(size);
        }
    }
    // First of the checks that read far: a stream is read forward once.
    // Readers take a PDF whose header is anywhere in its first 1 KiB.
    let late_pdf = report.mime == detect::UNKNOWN
        && memchr::memmem::find(&head[..head.len().min(1024)], b"%PDF-").is_some();
    if mime == "application/pdf" || late_pdf {
        for (flag, reason) in container::pdf_findings(src)? {
            report.flag(flag, reason);
        }
    }
    embedded_archive_flag(&mut report, &head, complete, src)?;
    if names::same_format(mime, "application/zip") {
        zip_flags(&mut report, src)?;
    }
    if mime == "application/gzip" && gzip_may_be_markup(name) {
        gzip_markup_flags(&mut report, src)?;
    }
    // A name a browser renders as markup gets the scan whatever the bytes
    // look like (a NUL in an .html page, an SVG behind 9 KiB of comment).
    let named_markup = report.ext_mime.is_some_and(|m| {
        matches!(
            m,
            "text/html"
                | "image/svg+xml"
                | "application/xhtml+xml"
                | "text/xml"
                | "application/xml"
        )
    });
    if named_markup || is_markup(report.mime, &head) {
        let text = if complete {
            head
        } else {
            read_at(src, 0, MARKUP_LIMIT)?
        };
        markup_flag(&mut report, &text);
        // Fail closed: what was not scanned may hold the script.
        let size = if complete { None } else { src.size()? };
        if size.is_some_and(|size| size > MARKUP_LIMIT as u64) {
            report.size = size;
            report.flag(
                "not-fully-scanned",
                format!(
                    "only the first {} KiB were scanned for script",
                    MARKUP_LIMIT / 1024
                ),
            );
        }
    }
    Ok(report)
}

/// How much of an image that is not walked chunk by chunk (BMP, TIFF,
/// WebP, ICO, ...) is searched for code: its start and its end.
const IMAGE_SCAN_START: usize = 1 << 20;
const IMAGE_SCAN_END: usize = 64 * 1024;

/// An image format binkit does not walk: the sizes its header declares
/// checked against the file's (BMP's file size, RIFF's chunk size, TIFF's
/// first directory), and its first 1 MiB and last 64 KiB searched for
/// script and program headers (`<?php`, `<script`, `<html`, an ELF).
fn other_image_flags(report: &mut Report, head: &[u8], src: &mut dyn Source) -> io::Result<()> {
    let Some(size) = src.size()? else {
        return Ok(());
    };
    report.size = Some(size);
    let format = report.mime.trim_start_matches("image/").to_uppercase();
    let le32 = |at: usize| {
        head.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let declared = match report.mime {
        "image/bmp" => le32(2).map(u64::from).filter(|&n| n != 0),
        "image/webp" => le32(4).map(|n| u64::from(n) + 8),
        _ => None,
    };
    if let Some(declared) = declared {
        if declared > size {
            report.flag(
                "truncated",
                format!("the {format} header declares {declared} bytes, the file has {size}"),
            );
        } else if size > declared + 1 {
            report.flag(
                "appended-data",
                format!(
                    "{} bytes after the {format} image's declared {declared}",
                    size - declared
                ),
            );
        }
    }
    if report.mime == "image/tiff" && head.len() >= 8 {
        let first_ifd = if head.starts_with(b"MM") {
            u32::from_be_bytes([head[4], head[5], head[6], head[7]])
        } else {
            u32::from_le_bytes([head[4], head[5], head[6], head[7]])
        };
        if first_ifd < 8 || u64::from(first_ifd) >= size {
            report.flag(
                "corrupt",
                format!("the TIFF's first directory offset ({first_ifd}) is outside the file"),
            );
        }
    }
    let start = read_at(src, 0, IMAGE_SCAN_START)?;
    let end_at = size
        .saturating_sub(IMAGE_SCAN_END as u64)
        .max(start.len() as u64);
    let end = read_at(src, end_at, IMAGE_SCAN_END)?;
    for part in [&start, &end] {
        if let Some(what) = image::code_in(part) {
            report.flag("hidden-code", format!("the {format} image holds {what}"));
            break;
        }
    }
    Ok(())
}

/// A ZIP judged by its central directory: its flavour by its entries (a
/// JAR's manifest, an APK's code), programs and macros inside, entries
/// that climb out of the folder.
fn zip_flags(report: &mut Report, src: &mut dyn Source) -> io::Result<()> {
    let Some((entries, complete)) = container::zip_names(src)? else {
        return Ok(());
    };
    let (flavour, findings) = container::zip_findings(&entries);
    if let Some(flavour) = flavour {
        report.retype(flavour);
    }
    for (flag, reason) in findings {
        report.flag(flag, reason);
    }
    if !complete {
        report.flag(
            "not-fully-scanned",
            format!(
                "the archive's directory is larger than the {} MiB read",
                container::CENTRAL_LIMIT >> 20
            ),
        );
    }
    Ok(())
}

/// Whether a gzip's name is one a browser renders inflated (`.svgz`,
/// `page.html.gz` served with `Content-Encoding: gzip`), or it has none
/// (stdin without `--name`): only those are inflated to be scanned.
fn gzip_may_be_markup(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.is_empty()
        || name.ends_with(".svgz")
        || [
            ".svg.gz",
            ".html.gz",
            ".htm.gz",
            ".xhtml.gz",
            ".xml.gz",
            ".shtml.gz",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A gzip holding markup (`.svgz`, a compressed HTML page): inflated up to
/// [`MARKUP_LIMIT`] and scanned as the browser that inflates it reads it.
fn gzip_markup_flags(report: &mut Report, src: &mut dyn Source) -> io::Result<()> {
    struct At<'a> {
        src: &'a mut dyn Source,
        offset: u64,
    }
    impl io::Read for At<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let len = buf.len().min(64 * 1024);
            let n = self.src.read_at(self.offset, &mut buf[..len])?;
            self.offset += n as u64;
            Ok(n)
        }
    }
    let mut inner = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(At { src, offset: 0 });
    // The head first, to see whether it is markup at all; a corrupt or cut
    // stream: what inflated before it is scanned.
    let _ = io::Read::read_to_end(
        &mut io::Read::take(&mut reader, detect::HEAD as u64 + 1),
        &mut inner,
    );
    let inner_head = &inner[..inner.len().min(detect::HEAD)];
    let inner_mime = detect::mime_of(inner_head, inner.len() <= detect::HEAD);
    let claims_markup = report.ext_mime == Some("image/svg+xml");
    if !(claims_markup || is_markup(inner_mime, inner_head)) {
        return Ok(());
    }
    let _ = io::Read::read_to_end(
        &mut io::Read::take(&mut reader, (MARKUP_LIMIT - inner.len()) as u64 + 1),
        &mut inner,
    );
    if let Some(reason) = detect::has_markup_script(&inner) {
        report.flag("script", format!("the gzip holds markup that {reason}"));
    }
    if inner.len() > MARKUP_LIMIT {
        report.flag(
            "not-fully-scanned",
            format!(
                "only the first {} KiB of the inflated markup were scanned for script",
                MARKUP_LIMIT / 1024
            ),
        );
    }
    Ok(())
}

/// Markup a browser may render, to be scanned for script: SVG, HTML and
/// XML by type (XHTML is `text/xml` to libmagic), and any other text whose
/// text that starts as markup and whose head holds an `<svg`, `<html` or
/// `<script` element (an SVG behind a comment is `text/plain` to libmagic,
/// an HTML page whose first lines have commas `text/csv`).
fn is_markup(mime: &str, head: &[u8]) -> bool {
    if matches!(
        mime,
        "image/svg+xml" | "text/html" | "text/xml" | "application/xml" | "application/xhtml+xml"
    ) || mime.ends_with("+xml")
    {
        return true;
    }
    if mime == detect::UNKNOWN && detect::utf16_markup_without_bom(head).is_some() {
        return true;
    }
    // Any other text that starts as markup and holds an SVG or HTML
    // element: a browser renders it whatever libmagic calls it.
    mime.starts_with("text/") && head.trim_ascii_start().starts_with(b"<") && {
        let lower = head.to_ascii_lowercase();
        [&b"<svg"[..], b"<html", b"<script", b"<!doctype html"]
            .iter()
            .any(|tag| memchr::memmem::find(&lower, tag).is_some())
    }
}

/// How far a file typed by its text is read to see that it is text to
/// the end (libmagic reads 7 MiB; 1 MiB bounds the cost on large logs).
const TEXT_LIMIT: usize = 1 << 20;

/// A type that libmagic gives only to text (its text tests, JSON, CSV),
/// not by a binary test that text also passes (`#!`, `<svg`, `<?xml`).
fn from_text_tests(mime: &str, head: &[u8]) -> bool {
    let ascii_netpbm = mime.starts_with("image/x-portable-")
        && head.get(1).is_some_and(|b| (b'1'..=b'3').contains(b));
    let textual = mime.starts_with("text/")
        || ascii_netpbm
        || matches!(
            mime,
            "application/json"
                | "application/x-ndjson"
                | "application/javascript"
                | "application/x-subrip"
        );
    let binary_test = [
        &b"#!"[..],
        b"\xFF\xFE",
        b"\xFE\xFF",
        b"<svg",
        b"<?xml",
        b"*PPD-Adobe",
    ]
    .iter()
    .any(|start| head.starts_with(start));
    textual && !binary_test
}

/// Sniffs bytes in memory as a whole object (the fuzz harness).
pub fn sniff_head(head: &[u8]) -> Report {
    sniff_source(&mut binary::Bytes(head), "-".into(), "")
        .expect("reading bytes in memory does not fail")
}

/// A stream (stdin) as a [`Source`]: it is read forward as far as a check
/// asks (a PE header 2 MiB in, the end for an image's tail), each byte
/// copied on to `copy` if given (`--tee`), keeping its first
/// [`STREAM_START`] bytes and at least the last 128 KiB it read (its tail
/// among them): bounded memory however long it is.
pub struct Stream<'a> {
    input: &'a mut dyn io::Read,
    copy: Option<&'a mut dyn io::Write>,
    start: Vec<u8>,
    /// The bytes read last, from `recent_at`: what a walk reading forward
    /// (a PNG's chunks) asks for next, and the stream's tail.
    recent: Vec<u8>,
    recent_at: u64,
    size: u64,
    ended: bool,
    /// The copy's reader went away (a broken pipe): copying stopped.
    pub copy_closed: bool,
}

/// How much of a stream's start is kept for the checks that look back at
/// it (markup, program headers).
pub const STREAM_START: usize = 1 << 20;

/// At least this much of what a stream read last is kept for a walk that
/// reads forward (at most four times it).
const RECENT: usize = 128 * 1024;

impl<'a> Stream<'a> {
    /// A stream read from `input`, copied to `copy`.
    pub fn new(input: &'a mut dyn io::Read, copy: Option<&'a mut dyn io::Write>) -> Stream<'a> {
        Stream {
            input,
            copy,
            start: Vec::new(),
            recent: Vec::new(),
            recent_at: 0,
            size: 0,
            ended: false,
            copy_closed: false,
        }
    }

    /// Reads on until `until` bytes were read, or the end.
    ///
    /// # Errors
    /// Read errors, and write errors of the copy (but a broken pipe).
    pub fn fill(&mut self, until: u64) -> io::Result<()> {
        let mut buf = [0; 64 * 1024];
        while self.size < until && !self.ended {
            let n = match self.input.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.ended = n == 0;
            let bytes = &buf[..n];
            let room = STREAM_START.saturating_sub(self.start.len());
            self.start.extend_from_slice(&bytes[..room.min(n)]);
            self.recent.extend_from_slice(bytes);
            if self.recent.len() > 4 * RECENT {
                let drop = self.recent.len() - RECENT;
                self.recent.drain(..drop);
                self.recent_at += drop as u64;
            }
            self.size += n as u64;
            if let Some(copy) = &mut self.copy {
                match copy.write_all(bytes) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                        self.copy = None;
                        self.copy_closed = true;
                    }
                    other => other.map_err(|e| io::Error::new(e.kind(), CopyError(e)))?,
                }
            }
        }
        Ok(())
    }

    /// The bytes read so far, and whether that is all of them.
    pub fn read_so_far(&self) -> (u64, bool) {
        (self.size, self.ended)
    }
}

/// A write error of a stream's copy, told apart from its read errors.
#[derive(Debug)]
pub struct CopyError(pub io::Error);

impl std::fmt::Display for CopyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for CopyError {}

impl Source for Stream<'_> {
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let end = offset.saturating_add(buf.len() as u64);
        self.fill(end)?;
        // The kept start if it holds all of it; else what was read last (a
        // walk reading forward, the tail), else what the start has.
        if end <= self.start.len() as u64 {
            return binary::Bytes(&self.start).read_at(offset, buf);
        }
        if offset >= self.recent_at {
            let at = usize::try_from(offset - self.recent_at).unwrap_or(usize::MAX);
            if at < self.recent.len() {
                return binary::Bytes(&self.recent[at..]).read_at(0, buf);
            }
        }
        binary::Bytes(&self.start).read_at(offset, buf)
    }

    fn known_size(&self) -> Option<u64> {
        self.ended.then_some(self.size)
    }

    fn size(&mut self) -> io::Result<Option<u64>> {
        self.fill(u64::MAX)?;
        Ok(Some(self.size))
    }
}

/// A ZIP's end record (`PK\x05\x06`, within its last 64 KiB + 22) in a
/// file that is not a ZIP: a ZIP that unzip extracts whatever comes before
/// it (a self-extractor, or a polyglot behind another type's head).
fn embedded_archive_flag(
    report: &mut Report,
    head: &[u8],
    complete: bool,
    src: &mut dyn Source,
) -> io::Result<()> {
    const REACH: u64 = 65_535 + 22;
    if names::same_format(report.mime, "application/zip")
        || report.flags.contains(&"appended-data")
        || report.flags.contains(&"hidden-code")
    {
        return Ok(());
    }
    let (tail, tail_at) = if complete {
        (head.to_vec(), 0)
    } else {
        let Some(size) = src.size()? else {
            return Ok(());
        };
        let at = size - size.min(REACH);
        (read_at(src, at, REACH as usize)?, at)
    };
    // A real end record: its comment fits in the file, and its central
    // directory lies right before it (a program that merely holds the four
    // bytes, as zip libraries do, is none).
    let size = tail_at + tail.len() as u64;
    let ends_a_zip = memchr::memmem::find_iter(&tail, b"PK\x05\x06").any(|i| {
        let field = |at: usize, n: usize| {
            tail.get(i + at..i + at + n)
                .map(|b| b.iter().rev().fold(0u64, |v, &x| v << 8 | u64::from(x)))
        };
        let (Some(comment), Some(cd_size), Some(cd_at)) =
            (field(20, 2), field(12, 4), field(16, 4))
        else {
            return false;
        };
        let record = tail_at + i as u64;
        // unzip finds the record in the last 64 KiB whatever follows its
        // comment (bytes after it are a warning, not a refusal); the
        // directory must start right before it, with its signature.
        let dir_start = record.checked_sub(cd_size);
        let dir_signed = dir_start
            .and_then(|at| at.checked_sub(tail_at))
            .and_then(|at| tail.get(at as usize..at as usize + 4))
            .is_some_and(|sig| sig == b"PK\x01\x02");
        let whole_dir_unseen = dir_start.is_some_and(|at| at < tail_at)
            && memchr::memmem::find(&tail[..i], b"PK\x01\x02").is_some();
        record + 22 + comment <= size
            && cd_size > 0
            && cd_size <= record
            && (dir_signed || whole_dir_unseen)
            && cd_at <= record
    });
    if ends_a_zip {
        report.flag(
            "embedded-archive",
            "a ZIP archive ends this file: unzip extracts it whatever comes first".into(),
        );
    }
    Ok(())
}

/// The flags of an image's walk.
fn image_flags(
    report: &mut Report,
    format: &str,
    findings: &[image::Finding],
    src: &mut dyn Source,
) -> io::Result<()> {
    use image::Finding;
    for finding in findings {
        match finding {
            Finding::Clean => {}
            Finding::Truncated => report.flag(
                "truncated",
                format!("the {format} image ends before its end marker"),
            ),
            Finding::Corrupt(at) => report.flag(
                "corrupt",
                format!("the {format} structure is broken at byte {at} (a bad CRC, marker or length): the rest was not examined"),
            ),
            Finding::Appended(at) => {
                let tail = read_at(src, *at, detect::TAIL)?;
                let what = detect::describe_appended(&tail);
                report.flag(
                    "appended-data",
                    format!("{what} after the end of the {format} image, at byte {at}"),
                );
            }
            Finding::Hidden(what, part) if part == format => report.flag(
                "hidden-code",
                format!("{what} inside the {format} image"),
            ),
            Finding::Hidden(what, chunk) => report.flag(
                "hidden-code",
                format!("{what} inside the {format}'s {chunk} chunk"),
            ),
        }
    }
    Ok(())
}

fn appended_flag(report: &mut Report, tail: &[u8]) {
    if detect::ends_cleanly(report.mime, tail) == Some(false) {
        let what = detect::describe_appended(tail);
        let format = report.mime.trim_start_matches("image/").to_uppercase();
        report.flag(
            "appended-data",
            format!("{what} after the end of the {format} image"),
        );
    }
}

fn markup_flag(report: &mut Report, text: &[u8]) {
    if let Some(reason) = detect::has_markup_script(text) {
        let what = match report.mime {
            "text/html" => "HTML",
            "image/svg+xml" => "SVG",
            _ => "markup",
        };
        report.flag("script", format!("{what} {reason}"));
    }
}
