//! What grep-log prints around an input's output: the `--` between context
//! groups of different inputs, the input's error or notes, and what all
//! inputs together found.

use std::io::{self, Write};

use super::input::{name_of, Input};
use super::print::{write_separator, Totals};
use super::search::{Found, Options};
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
    /// Write the group separator first (the options say how it looks).
    pub(super) separate: Option<&'a Options>,
    pub(super) wrote: bool,
}

impl<'a> Separated<'a> {
    /// `inner` for the next input, after inputs that `printed` or not.
    pub(super) fn new(inner: &'a mut dyn Write, opts: &'a Options, printed: bool) -> Separated<'a> {
        Separated {
            inner,
            separate: (opts.context_groups() && printed).then_some(opts),
            wrote: false,
        }
    }
}

impl Write for Separated<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.wrote && !buf.is_empty() {
            if let Some(opts) = self.separate {
                write_separator(self.inner, opts)?;
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
    /// For `--json`'s summary.
    pub(super) totals: Totals,
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
        let name = name_of(input, opts.label.as_deref(), opts.strip_dot);
        self.selected |= found.lines > 0;
        let totals = &mut self.totals;
        totals.searches += 1;
        totals.searches_with_match += u64::from(found.lines > 0);
        totals.bytes_searched += found.bytes_searched;
        totals.bytes_printed += found.bytes_printed;
        totals.matched_lines += found.lines_shown.unwrap_or(found.lines);
        totals.matches += found.matches;
        let shown = printable_bytes(&name);
        let timed = opts.since.is_some() || opts.until.is_some() || found.stats.is_some();
        if timed && found.timestamps == 0 && !opts.no_messages && !opts.quiet {
            let what = if opts.since.is_some() {
                "--since matched nothing"
            } else if opts.until.is_some() {
                "--until matched nothing"
            } else {
                "--stats counts every record as untimed"
            };
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            message!("no timestamps recognised in '{shown}'; {what}");
        }
        if found.unreadable_times > 0 && !opts.no_messages && !opts.quiet {
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            let example = printable_bytes(&found.unreadable_example);
            message!(
                "{shown}: {} line(s) begin with a date and time that is none or has an unknown zone (first: '{example}'); their records have no time",
                found.unreadable_times
            );
        }
        if found.too_long > 0 {
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            // Not searched is not "no match": an error (issue 12),
            // --stats too.
            err_message!(
                "{shown}: skipped {} line(s) longer than --max-line",
                found.too_long
            );
        }
        if let Some(stats) = &found.stats {
            self.stats.get_or_insert_with(Stats::default).merge(stats);
            return Ok(());
        }
        if opts.quiet {
            return Ok(());
        }
        if found.binary_matched && !opts.count && !opts.files_with_matches {
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            message!("{shown}: binary file matches");
        }
        Ok(())
    }
}
