//! `-c`, `-l`, `-L` and `-q`: an input's count or name once it is
//! searched, nothing per line.

use std::io::{self, Write};

use super::color::{colors, paint};
use crate::grep::search::{Found, Line, Options, Sink};

/// The printer of counts and names.
pub struct Summary<'a> {
    opts: &'a Options,
    out: &'a mut dyn Write,
    name: &'a [u8],
}

impl<'a> Summary<'a> {
    /// Counts or names of the input `name`, to `out`.
    pub fn new(opts: &'a Options, out: &'a mut dyn Write, name: &'a [u8]) -> Summary<'a> {
        Summary { opts, out, name }
    }

    /// `-l` and `-q` need one selected line; `-c` needs them all.
    fn goes_on(&self) -> bool {
        !(self.opts.files_with_matches || self.opts.quiet)
    }
}

impl Sink for Summary<'_> {
    fn matched(&mut self, _: &Line) -> io::Result<bool> {
        Ok(self.goes_on())
    }

    fn context(&mut self, _: &Line) -> io::Result<()> {
        Ok(())
    }

    fn context_break(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn binary_matched(&mut self, _: &Line) -> io::Result<bool> {
        Ok(self.goes_on())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, found: &mut Found) -> io::Result<()> {
        let opts = self.opts;
        if opts.quiet {
            return Ok(());
        }
        let color = opts.color;
        let mut line = Vec::new();
        // -l and -L override -c, as in grep.
        if opts.files_with_matches {
            if (found.lines > 0) == opts.without_match {
                return Ok(());
            }
            paint(&mut line, color, &colors().name, self.name)?;
            // -Z: the name ends in a NUL instead of a newline.
            line.push(if opts.null { 0 } else { b'\n' });
        } else {
            if opts.with_filename {
                paint(&mut line, color, &colors().name, self.name)?;
                if opts.null {
                    line.push(0);
                } else {
                    paint(&mut line, color, &colors().separator, b":")?;
                }
            }
            line.extend_from_slice(format!("{}\n", found.lines).as_bytes());
        }
        self.out.write_all(&line)
    }
}
