//! How selected and context lines are written: grep's prefixes and
//! separators, `-o`, colours as GNU grep's, and `--json` objects.

use std::io::{self, Write};

use super::{Line, Searcher};
use crate::grep::level::Level;

impl Searcher<'_> {
    /// Writes one line: `sep` is `:` for a selected line, `-` for context.
    pub(super) fn print(&mut self, line: &Line, sep: u8) -> io::Result<()> {
        let opts = self.opts;
        // -z: the searcher saw NUL and newline swapped; the line's own
        // newlines go out as they came in, and NUL ends it. Matches are
        // found in the searcher's text: the offsets are the same.
        let unswapped: Vec<u8>;
        let (text, eol): (&[u8], &[u8]) = if opts.null_data {
            unswapped = line
                .text
                .iter()
                .map(|&b| if b == 0 { b'\n' } else { b })
                .collect();
            (&unswapped, b"\0")
        } else {
            (line.text, b"\n")
        };
        if opts.json {
            return self.print_json(line, text);
        }
        let context = opts.before > 0 || opts.after > 0;
        if context {
            if let Some(last) = self.last_printed {
                if line.number > last + 1 {
                    paint(self.out, opts.color, SEPARATOR_COLOR, b"--")?;
                    self.out.write_all(b"\n")?;
                }
            }
            self.last_printed = Some(line.number);
        }
        if opts.only_matching {
            if sep != b':' {
                return Ok(());
            }
            for (start, end) in self.matches_in(line.text) {
                self.prefix(line.number, line.offset + start as u64, sep)?;
                paint(self.out, opts.color, MATCH_COLOR, &text[start..end])?;
                self.out.write_all(eol)?;
            }
            return Ok(());
        }
        self.prefix(line.number, line.offset, sep)?;
        // Matches are coloured in selected lines, or with -v in context
        // lines (the ones that match), as grep's ms= and mc= do.
        let highlight = (sep == b':') != opts.invert;
        if opts.color && opts.matcher.is_some() && highlight {
            let mut at = 0;
            for (start, end) in self.matches_in(line.text) {
                self.out.write_all(&text[at..start])?;
                paint(self.out, true, MATCH_COLOR, &text[start..end])?;
                at = end;
            }
            self.out.write_all(&text[at..])?;
        } else {
            self.out.write_all(text)?;
        }
        self.out.write_all(eol)?;
        if opts.line_buffered {
            self.out.flush()?;
        }
        Ok(())
    }

    /// grep's line head: the name and its separator (`-Z`: a NUL instead),
    /// the line number and byte offset each with one (`-T`: padded), and
    /// with `-T` a tab after them when any was written.
    fn prefix(&mut self, number: u64, offset: u64, sep: u8) -> io::Result<()> {
        let color = self.opts.color;
        let width = self.number_width;
        let mut any = false;
        if self.opts.with_filename {
            paint(self.out, color, NAME_COLOR, self.name)?;
            if self.opts.null {
                self.out.write_all(b"\0")?;
            } else {
                paint(self.out, color, SEPARATOR_COLOR, &[sep])?;
            }
            any = true;
        }
        for (on, value) in [
            (self.opts.line_number, number),
            (self.opts.byte_offset, offset),
        ] {
            if on {
                let text = format!("{value:>width$}");
                paint(self.out, color, NUMBER_COLOR, text.as_bytes())?;
                paint(self.out, color, SEPARATOR_COLOR, &[sep])?;
                any = true;
            }
        }
        if self.opts.initial_tab && any {
            self.out.write_all(b"\t")?;
        }
        Ok(())
    }

    fn print_json(&mut self, line: &Line, text: &[u8]) -> io::Result<()> {
        #[derive(serde::Serialize)]
        struct Match<'a> {
            path: &'a str,
            line: u64,
            offset: u64,
            level: Option<Level>,
            timestamp: Option<String>,
            text: &'a str,
        }
        let path = String::from_utf8_lossy(self.name);
        let text = String::from_utf8_lossy(text);
        let record = Match {
            path: &path,
            line: line.number,
            offset: line.offset,
            level: self.record.level,
            timestamp: self.record.time.map(crate::grep::stats::rfc3339),
            text: &text,
        };
        serde_json::to_writer(&mut *self.out, &record)?;
        self.out.write_all(b"\n")
    }
}

/// GNU grep's default colours (`GREP_COLORS`): file names, line numbers,
/// separators and matched text.
pub const NAME_COLOR: &str = "35";
/// Line numbers.
pub const NUMBER_COLOR: &str = "32";
/// `:`, `-` and `--`.
pub const SEPARATOR_COLOR: &str = "36";
/// Matched text.
pub const MATCH_COLOR: &str = "01;31";

/// Writes `text`, in SGR colour `code` as grep writes it (with the
/// erase-to-end-of-line that keeps backgrounds tidy) when `color`.
///
/// # Errors
/// The writer's.
pub fn paint(out: &mut dyn Write, color: bool, code: &str, text: &[u8]) -> io::Result<()> {
    if color {
        write!(out, "\x1b[{code}m\x1b[K")?;
        out.write_all(text)?;
        out.write_all(b"\x1b[m\x1b[K")
    } else {
        out.write_all(text)
    }
}
