//! grep's own output: selected and context lines with grep's prefixes,
//! `-o`, and colours as GNU grep's.

use std::io::{self, Write};

use super::color::{colors, paint};
use super::write_separator;
use crate::grep::search::{Found, Line, Options, Sink};

/// The printer of grep's lines.
pub struct Standard<'a> {
    opts: &'a Options,
    out: &'a mut dyn Write,
    name: &'a [u8],
    /// `-T`: the width numbers are padded to.
    number_width: usize,
}

impl<'a> Standard<'a> {
    /// Lines of the input `name` to `out`. `size` is the input's, when
    /// known: `-T` pads numbers to as wide as the largest one the input can
    /// have, as grep does (the digits of the size, plus one with -n, line
    /// numbers starting at 1; of `i64::MAX` when the size is unknown).
    pub fn new(
        opts: &'a Options,
        out: &'a mut dyn Write,
        name: &'a [u8],
        size: Option<u64>,
    ) -> Standard<'a> {
        let mut number_width = 0;
        if opts.initial_tab {
            let most = size.map_or(i64::MAX.unsigned_abs(), |s| s + u64::from(opts.line_number));
            number_width = most.to_string().len();
        }
        Standard {
            opts,
            out,
            name,
            number_width,
        }
    }

    /// Writes one line: `sep` is `:` for a selected line, `-` for context.
    fn print(&mut self, line: &Line, sep: u8) -> io::Result<()> {
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
        if opts.only_matching {
            if sep != b':' {
                return Ok(());
            }
            for (start, end) in opts.matches_in(line.text) {
                self.prefix(line.number, line.offset + start as u64, sep, false)?;
                paint(
                    self.out,
                    opts.color,
                    &colors().selected_match,
                    &text[start..end],
                )?;
                self.out.write_all(eol)?;
            }
            return Ok(());
        }
        self.prefix(line.number, line.offset, sep, text.is_empty())?;
        // Matches are coloured in selected lines, or with -v in context
        // lines (the ones that match), as grep's ms= and mc= do.
        let highlight = (sep == b':') != opts.invert;
        if opts.color && opts.matcher.is_some() && highlight {
            let code = if sep == b':' {
                &colors().selected_match
            } else {
                &colors().context_match
            };
            let mut at = 0;
            for (start, end) in opts.matches_in(line.text) {
                self.out.write_all(&text[at..start])?;
                paint(self.out, true, code, &text[start..end])?;
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
    /// with `-T` a tab after them when any was written and the line is not
    /// `empty` (grep writes none before nothing).
    fn prefix(&mut self, number: u64, offset: u64, sep: u8, empty: bool) -> io::Result<()> {
        let color = self.opts.color;
        let width = self.number_width;
        let mut any = false;
        if self.opts.with_filename {
            paint(self.out, color, &colors().name, self.name)?;
            if self.opts.null {
                self.out.write_all(b"\0")?;
            } else {
                paint(self.out, color, &colors().separator, &[sep])?;
            }
            any = true;
        }
        for (on, value, code) in [
            (self.opts.line_number, number, &colors().line),
            (self.opts.byte_offset, offset, &colors().byte),
        ] {
            if on {
                let text = format!("{value:>width$}");
                paint(self.out, color, code, text.as_bytes())?;
                paint(self.out, color, &colors().separator, &[sep])?;
                any = true;
            }
        }
        if self.opts.initial_tab && any && !empty {
            self.out.write_all(b"\t")?;
        }
        Ok(())
    }
}

impl Sink for Standard<'_> {
    fn matched(&mut self, line: &Line) -> io::Result<bool> {
        self.print(line, b':')?;
        Ok(true)
    }

    fn context(&mut self, line: &Line) -> io::Result<()> {
        self.print(line, b'-')
    }

    fn context_break(&mut self) -> io::Result<()> {
        write_separator(self.out, self.opts)
    }

    fn binary_matched(&mut self, _: &Line) -> io::Result<bool> {
        Ok(false)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _: &mut Found) -> io::Result<()> {
        Ok(())
    }
}
