//! Compression: flate2's gzip encoder (zlib-rs backend) as a [`Stage`].
//! The header has no name and no time, like `gzip -n`: the same input
//! always gives the same bytes.

use std::io::{self, Write};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::io::Stage;

/// The compressing stage.
pub struct GzipEncode<W: Write>(GzEncoder<W>);

impl<W: Write> GzipEncode<W> {
    /// A stage compressing at `level` (1..=9) into `inner`.
    pub fn new(inner: W, level: u32) -> GzipEncode<W> {
        GzipEncode(GzEncoder::new(inner, Compression::new(level)))
    }
}

impl<W: Write> Write for GzipEncode<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Write> Stage for GzipEncode<W> {
    type Done = W;

    fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}
