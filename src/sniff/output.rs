//! How `binkit sniff` prints: reports in walk order, as aligned human
//! lines (coloured on a terminal), one JSON array, or NDJSON; counts for
//! the summary line.

use std::io::{self, IsTerminal, Write};

use super::names::Verdict;
use super::Report;
use crate::cli::SniffArgs;
use crate::error::{Error, Result};
use crate::messages::printable_str as sanitize;
use crate::{err_message, message};

/// What sniffing one place gave.
pub(super) enum Done {
    /// A file sniffed, or an entry reported as not examined.
    Report(Box<Report>),
    /// Could not be read: the message.
    Failed(String),
}

/// What was seen, for the summary and the exit status.
#[derive(Default)]
pub(super) struct Counts {
    pub(super) files: u64,
    pub(super) ok: u64,
    pub(super) mismatches: u64,
    pub(super) flagged: u64,
    pub(super) skipped: u64,
    pub(super) failed: u64,
    pub(super) unreadable: u64,
}

enum Format {
    Human { color: bool },
    Json,
    Ndjson,
}

/// Writes reports in walk order, counting as it goes.
pub(super) struct Printer {
    out: Box<dyn Write>,
    format: Format,
    only_failures: bool,
    pub(super) counts: Counts,
    /// Human rows waiting to be aligned with their neighbours.
    rows: Vec<Report>,
    first_json: bool,
}

/// Human rows are aligned in groups of this many.
const ALIGN_GROUP: usize = 256;

impl Printer {
    pub(super) fn new(args: &SniffArgs) -> Printer {
        // With --tee, stdout carries the data; reports go to stderr.
        let to_stderr = args.tee;
        let out: Box<dyn Write> = if to_stderr {
            Box::new(io::stderr())
        } else {
            Box::new(io::BufWriter::new(crate::io::stdio::stdout()))
        };
        let terminal = if to_stderr {
            io::stderr().is_terminal()
        } else {
            io::stdout().is_terminal()
        };
        let color = args.color.enabled(terminal);
        let format = if args.json {
            Format::Json
        } else if args.ndjson {
            Format::Ndjson
        } else {
            Format::Human { color }
        };
        Printer {
            out,
            format,
            only_failures: args.check,
            counts: Counts::default(),
            rows: Vec::new(),
            first_json: true,
        }
    }

    /// Starts the output (JSON's `[`).
    pub(super) fn begin(&mut self) -> Result<()> {
        if matches!(self.format, Format::Json) {
            self.write(b"[")?;
        }
        Ok(())
    }

    /// Ends the output: rows still waiting for alignment, JSON's `]`.
    pub(super) fn end(&mut self) -> Result<()> {
        self.flush_rows()?;
        if matches!(self.format, Format::Json) {
            self.write(if self.first_json { b"]\n" } else { b"\n]\n" })?;
        }
        self.out
            .flush()
            .map_err(|e| Error::io("write", &crate::Place::Stdout, e))
    }

    /// Stdout first, so that a message follows the lines before it.
    fn flush_out(&mut self) -> Result<()> {
        self.out
            .flush()
            .map_err(|e| Error::io("write", &crate::Place::Stdout, e))
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|e| Error::io("write", &crate::Place::Stdout, e))
    }

    /// Prints (or holds for alignment) one place's result.
    pub(super) fn take(&mut self, result: Done) -> Result<()> {
        let report = match result {
            Done::Report(report) => *report,
            Done::Failed(text) => {
                self.counts.unreadable += 1;
                self.flush_out()?;
                err_message!("{text}");
                return Ok(());
            }
        };
        let c = &mut self.counts;
        c.files += 1;
        c.ok += u64::from(report.verdict == Verdict::Ok);
        c.mismatches += u64::from(report.verdict == Verdict::Mismatch);
        c.flagged += u64::from(!report.flags.is_empty());
        c.skipped += u64::from(report.verdict == Verdict::Skipped);
        c.failed += u64::from(!report.pass);
        if self.only_failures && report.pass {
            return Ok(());
        }
        match self.format {
            Format::Human { .. } => {
                self.rows.push(report);
                if self.rows.len() == ALIGN_GROUP {
                    self.flush_rows()?;
                }
                Ok(())
            }
            Format::Ndjson => {
                let mut line = serde_json::to_vec(&report).map_err(io::Error::from);
                if let Ok(line) = &mut line {
                    line.push(b'\n');
                }
                let line = line.map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                self.write(&line)
            }
            Format::Json => {
                let item = serde_json::to_vec(&report).map_err(io::Error::from);
                let item = item.map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                let sep: &[u8] = if self.first_json { b"\n  " } else { b",\n  " };
                self.first_json = false;
                self.write(sep)?;
                self.write(&item)
            }
        }
    }

    /// Prints the waiting human rows, columns as wide as their widest.
    fn flush_rows(&mut self) -> Result<()> {
        let Format::Human { color } = self.format else {
            return Ok(());
        };
        let rows = std::mem::take(&mut self.rows);
        let paths: Vec<String> = rows.iter().map(|r| sanitize(&r.path)).collect();
        let width = |f: &dyn Fn(usize) -> usize| (0..rows.len()).map(f).max().unwrap_or(0);
        let path_w = width(&|i| paths[i].chars().count());
        let mime_w = width(&|i| rows[i].mime.len());
        let ext_w = width(&|i| rows[i].ext_mime.unwrap_or("-").len());
        let mut text = String::new();
        for (report, path) in rows.iter().zip(&paths) {
            let verdict = match report.verdict {
                Verdict::Ok => ("ok", "32"),
                Verdict::Mismatch => ("mismatch", "31"),
                Verdict::Unknown => ("unknown", "33"),
                Verdict::Skipped => ("skipped", "33"),
            };
            let verdict = paint(color, verdict.1, &format!("{:8}", verdict.0));
            let pad = path_w - path.chars().count();
            let mut line = format!(
                "{path}{:pad$}  {:mime_w$}  {:ext_w$}  {verdict}",
                "",
                report.mime,
                report.ext_mime.unwrap_or("-"),
            );
            if !report.flags.is_empty() {
                line.push_str("  ");
                line.push_str(&paint(color, "35", &report.flags.join(",")));
            }
            if !report.pass {
                line.push_str("  ");
                line.push_str(&paint(color, "1;31", "FAIL"));
            }
            text.push_str(line.trim_end());
            text.push('\n');
            if !report.pass || self.only_failures || report.verdict == Verdict::Skipped {
                for reason in &report.reasons {
                    text.push_str(&format!("    {}\n", sanitize(reason)));
                }
            }
        }
        self.write(text.as_bytes())
    }

    pub(super) fn summary(&self, quiet: bool) {
        if quiet {
            return;
        }
        let c = &self.counts;
        message!(
            "{} files, {} ok, {} mismatches, {} flagged, {} skipped, {} failed, {} unreadable",
            c.files - c.skipped,
            c.ok,
            c.mismatches,
            c.flagged,
            c.skipped,
            c.failed,
            c.unreadable
        );
    }
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
