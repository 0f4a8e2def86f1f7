//! What the searcher tells a printer, as ripgrep's `grep-searcher` tells
//! its sinks: a selected line, a context line, a break between context
//! groups, a selected line of a binary input, and the input's end. The
//! searcher never learns which printer listens (standard lines, counts and
//! names, JSON, statistics).

use std::io;

use super::Found;
use crate::grep::level::Level;
use crate::grep::time::Stamp;

/// One line handed to a sink.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// The line without its terminator.
    pub text: &'a [u8],
    /// The line had a terminator (the input's last line may not).
    pub terminated: bool,
    /// 1-based (counted only when the options ask for numbers).
    pub number: u64,
    /// Byte offset of the line's start in the input.
    pub offset: u64,
    /// The level of the record the line is in (when records are read).
    pub level: Option<Level>,
    /// The time of the record the line is in (when records are read).
    pub time: Option<Stamp>,
}

/// A receiver of what the searcher finds in one input.
pub trait Sink {
    /// A selected line; `Ok(false)` ends the search (`-l`, `-q`).
    ///
    /// # Errors
    /// The output's.
    fn matched(&mut self, line: &Line) -> io::Result<bool>;

    /// A line of context before or after a selected one.
    ///
    /// # Errors
    /// The output's.
    fn context(&mut self, line: &Line) -> io::Result<()>;

    /// Lines were left out between the last line handed over and the next.
    ///
    /// # Errors
    /// The output's.
    fn context_break(&mut self) -> io::Result<()>;

    /// A selected line in a binary input, which is not printed; `Ok(false)`
    /// ends the search (grep says "binary file matches" and stops).
    ///
    /// # Errors
    /// The output's.
    fn binary_matched(&mut self, line: &Line) -> io::Result<bool>;

    /// The searcher is about to wait for input (a pipe, FIFO, terminal):
    /// what is pending goes out now.
    ///
    /// # Errors
    /// The output's.
    fn flush(&mut self) -> io::Result<()>;

    /// The input ended; what the sink gathered goes into `found` (counts,
    /// statistics).
    ///
    /// # Errors
    /// The output's.
    fn finish(&mut self, found: &mut Found) -> io::Result<()>;
}

/// Counts and nothing else: the halves of `-c`'s split count.
pub struct Counting;

impl Sink for Counting {
    fn matched(&mut self, _: &Line) -> io::Result<bool> {
        Ok(true)
    }
    fn context(&mut self, _: &Line) -> io::Result<()> {
        Ok(())
    }
    fn context_break(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn binary_matched(&mut self, _: &Line) -> io::Result<bool> {
        Ok(true)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &mut Found) -> io::Result<()> {
        Ok(())
    }
}
