//! `binkit sniff`: what files really are, judged from their bytes, against
//! what their names claim, with the risk flags an upload check needs.
//!
//! Each file is read only at its head ([`detect::HEAD`]), its tail for
//! images ([`detect::TAIL`], to find data appended after the end marker),
//! and up to [`MARKUP_LIMIT`] for SVG and HTML (to find script).

mod detect;
mod names;
mod output;
mod policy;
mod run;
mod text;

pub use detect::{mime_of, HEAD, TAIL};
pub use names::{canonical, same_format, Verdict};
pub use policy::{Policy, TypePattern};
pub(crate) use run::run;
#[cfg(any(fuzzing, test))]
pub(crate) use {detect::ends_cleanly, names::expected_mime, names::name_flags};

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use crate::io::walk::SkipKind;

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

    /// The report for an entry a walk did not open: `--check` fails it
    /// (a gate passes only what it examined) unless `--skip-special`. The type is `file`'s name
    /// for such entries (`inode/fifo`, ...).
    pub fn not_examined(path: String, kind: &SkipKind) -> Report {
        let mime = match kind {
            SkipKind::Symlink(_) | SkipKind::Dangling(_) | SkipKind::Loop => "inode/symlink",
            SkipKind::Fifo => "inode/fifo",
            SkipKind::Socket => "inode/socket",
            SkipKind::CharDevice => "inode/chardevice",
            SkipKind::BlockDevice => "inode/blockdevice",
            SkipKind::Directory => "inode/directory",
            SkipKind::Other => "application/octet-stream",
        };
        Report {
            path,
            size: None,
            mime,
            ext_mime: None,
            verdict: Verdict::Skipped,
            flags: Vec::new(),
            pass: true,
            reasons: vec![format!("not examined: {kind}")],
        }
    }

    fn flag(&mut self, flag: &'static str, reason: String) {
        self.flags.push(flag);
        self.reasons.push(reason);
    }
}

/// Flags that come from the head alone: programs, and scripts with `#!`.
fn content_flags(report: &mut Report, head: &[u8]) {
    let program = match names::canonical(report.mime) {
        "application/x-executable" => Some("ELF executable"),
        "application/vnd.microsoft.portable-executable" => Some("Windows (PE/DOS) executable"),
        "application/x-mach-binary" => Some("Mach-O executable"),
        _ => None,
    };
    if let Some(what) = program {
        report.flag("executable", format!("{what} content"));
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
    let mut head = Vec::with_capacity(detect::HEAD);
    file.by_ref()
        .take(detect::HEAD as u64)
        .read_to_end(&mut head)?;
    let complete = head.len() as u64 >= size;
    let mime = detect::mime_of(&head, complete);
    let mut report = Report::new(path, name, Some(size), mime);
    content_flags(&mut report, &head);
    if matches!(mime, "image/png" | "image/jpeg" | "image/gif") {
        let tail_len = size.min(detect::TAIL as u64);
        file.seek(SeekFrom::Start(size - tail_len))?;
        let mut tail = Vec::with_capacity(detect::TAIL);
        file.by_ref().take(tail_len).read_to_end(&mut tail)?;
        appended_flag(&mut report, &tail);
    }
    if matches!(mime, "image/svg+xml" | "text/html") {
        if !complete {
            let more = (MARKUP_LIMIT - detect::HEAD) as u64;
            file.by_ref().take(more).read_to_end(&mut head)?;
        }
        markup_flag(&mut report, &head);
    }
    Ok(report)
}

/// Sniffs the head of a stream (stdin): no tail, so no appended-data check.
pub fn sniff_head(head: &[u8], complete: bool, size: Option<u64>) -> Report {
    let mime = detect::mime_of(head, complete);
    let mut report = Report::new("-".into(), "", size, mime);
    content_flags(&mut report, head);
    if matches!(mime, "image/svg+xml" | "text/html") {
        markup_flag(&mut report, head);
    }
    report
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
        let what = if report.mime == "text/html" {
            "HTML"
        } else {
            "SVG"
        };
        report.flag("script", format!("{what} {reason}"));
    }
}
