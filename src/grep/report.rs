//! What grep-log prints around an input's lines: the `--` between context
//! groups of different inputs, counts and names (`-c`, `-l`), the input's
//! error or notes, and what all inputs together found.

use std::io::{self, Write};

use super::input::{name_of, Input};
use super::search::{colors, paint, Found, Options};
use super::stats::Stats;
use crate::error::{Error, Result};
use crate::io::walk::{Entry, SkipKind};
use crate::messages::{printable_bytes, set_errored};
use crate::{err_message, message};

/// Writes `bytes` to stdout's buffer.
///
/// # Errors
/// A write error on stdout.
pub(super) fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<()> {
    out.write_all(bytes)
        .map_err(|e| Error::io("write", &crate::Place::Stdout, e))
}

/// An input's output that starts with grep's `--` when context groups of
/// an earlier input were printed.
pub(super) struct Separated<'a> {
    pub(super) inner: &'a mut dyn Write,
    /// Write the group separator first (in colour or not).
    pub(super) separate: Option<bool>,
    /// The group separator (`--` unless `--group-separator`).
    pub(super) separator: &'a [u8],
    pub(super) wrote: bool,
}

impl Write for Separated<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.wrote && !buf.is_empty() {
            if let Some(color) = self.separate {
                paint(self.inner, color, &colors().separator, self.separator)?;
                self.inner.write_all(b"\n")?;
            }
            self.wrote = true;
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What all inputs together found.
#[derive(Default)]
pub(super) struct Summary {
    /// Some input printed lines.
    pub(super) printed: bool,
    pub(super) selected: bool,
    pub(super) stats: Option<Stats>,
}

impl Summary {
    /// Prints what comes after an input's lines (count, name, notes), or
    /// the input's error.
    pub(super) fn report(
        &mut self,
        input: &Input,
        result: std::result::Result<Found, String>,
        opts: &Options,
        out: &mut dyn Write,
    ) -> Result<()> {
        let mut found = match result {
            Ok(found) => found,
            Err(message) => return Self::failed(input, &message, opts, out),
        };
        let error = found.error.take();
        self.report_found(input, found, opts, out)?;
        match error {
            Some(message) => Self::failed(input, &message, opts, out),
            None => Ok(()),
        }
    }

    /// An input that could not be read, or not to its end.
    fn failed(input: &Input, message: &str, opts: &Options, out: &mut dyn Write) -> Result<()> {
        out.flush()
            .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
        let is_loop = matches!(input, Entry::Skipped(s) if s.kind == SkipKind::Loop);
        // -s: no message (grep -s also hides the loop warning), the
        // status still says.
        match (is_loop, opts.no_messages) {
            (true, true) => {}
            (true, false) => message!("{message}"),
            (false, true) => set_errored(),
            (false, false) => err_message!("{message}"),
        }
        Ok(())
    }

    fn report_found(
        &mut self,
        input: &Input,
        found: Found,
        opts: &Options,
        out: &mut dyn Write,
    ) -> Result<()> {
        if found.skipped_binary {
            return Ok(());
        }
        let name = name_of(input, opts.label.as_deref(), opts.strip_dot);
        self.selected |= found.lines > 0;
        if let Some(stats) = &found.stats {
            self.stats.get_or_insert_with(Stats::default).merge(stats);
            return Ok(());
        }
        if opts.quiet {
            return Ok(());
        }
        // -l and -L override -c, as in grep.
        if opts.files_with_matches {
            if (found.lines > 0) != opts.without_match {
                let mut line = Vec::new();
                paint(&mut line, opts.color, &colors().name, &name)
                    .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                // -Z: the name ends in a NUL instead of a newline.
                line.push(if opts.null { 0 } else { b'\n' });
                write_out(out, &line)?;
            }
        } else if opts.count {
            let mut line = Vec::new();
            if opts.with_filename {
                paint(&mut line, opts.color, &colors().name, &name)
                    .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                if opts.null {
                    line.push(0);
                } else {
                    paint(&mut line, opts.color, &colors().separator, b":")
                        .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                }
            }
            line.extend_from_slice(format!("{}\n", found.lines).as_bytes());
            write_out(out, &line)?;
        }
        let shown = printable_bytes(&name);
        if (opts.since.is_some() || opts.until.is_some())
            && found.timestamps == 0
            && !opts.no_messages
        {
            let flag = if opts.since.is_some() {
                "--since"
            } else {
                "--until"
            };
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            message!("no timestamps recognised in '{shown}'; {flag} matched nothing");
        }
        if found.binary_matched && !opts.count && !opts.files_with_matches {
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            message!("{shown}: binary file matches");
        }
        if found.too_long > 0 {
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            // Not searched is not "no match": an error (issue 12).
            err_message!(
                "{shown}: skipped {} line(s) longer than --max-line",
                found.too_long
            );
        }
        Ok(())
    }
}
