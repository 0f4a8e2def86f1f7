//! `xxd -p`: plain hex, `cols` bytes (30 by default) a line; with 0 columns
//! one unbroken line. An empty input gives nothing, or one newline with 0
//! columns, as in xxd.

use std::io::{self, Write};

use super::lines::{HEX_LOWER, HEX_UPPER};
use super::xxd::FLUSH_BYTES;
use crate::io::{Stage, BUF_SIZE};

/// xxd's default bytes per line for `-p`.
pub const PLAIN_COLS_DEFAULT: usize = 30;

/// The `-p` stage.
pub struct PlainDump<W: Write> {
    inner: W,
    hex: &'static [[u8; 2]; 256],
    cols: usize,
    col: usize,
    out: Vec<u8>,
}

impl<W: Write> PlainDump<W> {
    /// A stage writing `cols` bytes a line (0: no line breaks).
    pub fn new(inner: W, cols: usize, upper: bool) -> PlainDump<W> {
        PlainDump {
            inner,
            hex: if upper { &HEX_UPPER } else { &HEX_LOWER },
            cols,
            col: 0,
            out: Vec::with_capacity(FLUSH_BYTES + BUF_SIZE),
        }
    }
}

impl<W: Write> Write for PlainDump<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for piece in buf.chunks(BUF_SIZE) {
            for &b in piece {
                self.out.extend_from_slice(&self.hex[usize::from(b)]);
                self.col += 1;
                if self.col == self.cols {
                    self.out.push(b'\n');
                    self.col = 0;
                }
            }
            self.inner.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for PlainDump<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        // xxd ends a -c 0 dump with a newline even when it is empty.
        if self.col > 0 || self.cols == 0 {
            self.inner.write_all(b"\n")?;
        }
        Ok(self.inner)
    }
}
