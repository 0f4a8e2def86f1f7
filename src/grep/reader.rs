//! Reading whole lines in large chunks: each chunk ends at a line end (or
//! the input's end), and the part line after it is carried to the next.
//! A line longer than the buffer grows it, up to a cap; beyond that the
//! line is skipped and reported.

use std::cell::RefCell;
use std::io::{self, Read};

/// Bytes read at a time; chunks are at most this plus one carried line.
pub const CHUNK: usize = 256 * 1024;

/// What the reader hands out next.
pub enum Piece<'a> {
    /// Whole lines (the last may lack its newline at the end of input),
    /// and where (from the piece's start) the bytes read after them hold a
    /// NUL, if they do: a binary file is known by all that was read.
    Lines(&'a [u8], Option<usize>),
    /// A line longer than the cap was skipped: this many bytes, with its
    /// newline.
    TooLong(u64),
}

/// A line reader over any `Read`.
pub struct LineReader<R> {
    src: R,
    buf: Vec<u8>,
    /// The carried part line: `buf[start..end]`.
    start: usize,
    end: usize,
    eof: bool,
    max_line: usize,
    /// A read error, given out after the part line read before it.
    failed: Option<io::Error>,
}

thread_local! {
    /// The last reader's buffer on this thread: searching thousands of
    /// small files should not allocate (and zero) 256 KiB for each.
    static SPARE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl<R: Read> LineReader<R> {
    /// Reads `src`; lines longer than `max_line` bytes are skipped.
    pub fn new(src: R, max_line: usize) -> LineReader<R> {
        // A buffer no larger than the cap: a longer line cannot fit.
        let size = CHUNK.min(max_line.max(2));
        let mut buf = SPARE.with(|spare| std::mem::take(&mut *spare.borrow_mut()));
        buf.resize(size, 0);
        LineReader {
            src,
            buf,
            start: 0,
            end: 0,
            eof: false,
            max_line: max_line.max(1),
            failed: None,
        }
    }

    fn fill(&mut self) -> io::Result<usize> {
        loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Ok(n) => {
                    self.end += n;
                    self.eof = n == 0;
                    return Ok(n);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The next piece, or `None` at the end.
    ///
    /// # Errors
    /// Read errors.
    pub fn next_piece(&mut self) -> io::Result<Option<Piece<'_>>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        // Move the carried part line to the front.
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let mut scanned = 0;
        loop {
            if let Some(last) = memchr::memrchr(b'\n', &self.buf[scanned..self.end]) {
                let cut = scanned + last + 1;
                self.start = cut;
                let nul_ahead = memchr::memchr(0, &self.buf[cut..self.end]).map(|i| cut + i);
                return Ok(Some(Piece::Lines(&self.buf[..cut], nul_ahead)));
            }
            scanned = self.end;
            if self.eof {
                if self.end == 0 {
                    return Ok(None);
                }
                self.start = self.end;
                return Ok(Some(Piece::Lines(&self.buf[..self.end], None)));
            }
            if self.end == self.buf.len() {
                if self.buf.len() >= self.max_line {
                    return self.skip_long_line().map(|n| Some(Piece::TooLong(n)));
                }
                let grown = (self.buf.len() * 2).min(self.max_line.max(CHUNK));
                self.buf.resize(grown, 0);
            }
            if let Err(e) = self.fill() {
                // A truncated .gz: the part line read before the damage is
                // a last line (zgrep counts it), then the error.
                if self.end == 0 {
                    return Err(e);
                }
                self.failed = Some(e);
                self.eof = true;
            }
        }
    }

    /// Drops the over-long line in the buffer and the rest of it still to
    /// come; keeps what follows its newline.
    fn skip_long_line(&mut self) -> io::Result<u64> {
        let mut skipped = self.end as u64;
        loop {
            self.end = 0;
            if self.fill()? == 0 {
                return Ok(skipped);
            }
            if let Some(nl) = memchr::memchr(b'\n', &self.buf[..self.end]) {
                skipped += nl as u64 + 1;
                self.start = nl + 1;
                return Ok(skipped);
            }
            skipped += self.end as u64;
        }
    }
}

impl<R> Drop for LineReader<R> {
    fn drop(&mut self) {
        // Grown buffers (long lines) are let go.
        if self.buf.len() <= CHUNK {
            let buf = std::mem::take(&mut self.buf);
            SPARE.with(|spare| *spare.borrow_mut() = buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(data: &[u8], max_line: usize) -> Vec<Result<Vec<u8>, u64>> {
        let mut reader = LineReader::new(data, max_line);
        let mut out = Vec::new();
        while let Some(piece) = reader.next_piece().unwrap() {
            out.push(match piece {
                Piece::Lines(l, _) => Ok(l.to_vec()),
                Piece::TooLong(n) => Err(n),
            });
        }
        out
    }

    #[test]
    fn lines_are_never_split_and_long_ones_are_skipped() {
        let data = [b"a\n".repeat(CHUNK), b"tail".to_vec()].concat();
        let joined: Vec<u8> = pieces(&data, 1 << 20)
            .into_iter()
            .flat_map(Result::unwrap)
            .collect();
        assert_eq!(joined, data);
        for piece in pieces(&data, 1 << 20) {
            let piece = piece.unwrap();
            assert!(piece.ends_with(b"\n") || piece == b"tail");
        }
        // One line of 3 chunks grows the buffer; past the cap it is skipped.
        let long = [b"x".repeat(3 * CHUNK), b"\nnext\n".to_vec()].concat();
        assert_eq!(pieces(&long, 4 * CHUNK), [Ok(long.clone())]);
        assert_eq!(
            pieces(&long, CHUNK),
            [Err(3 * CHUNK as u64 + 1), Ok(b"next\n".to_vec())]
        );
    }
}
