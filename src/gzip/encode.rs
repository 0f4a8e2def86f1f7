//! Compression as a [`Stage`]: flate2's gzip encoder (zlib-rs backend) on
//! one thread, or [`ParallelGzip`] on several. Both write the same header:
//! no name and no time unless asked (`-N`), so the same input gives the
//! same bytes.

use std::io::{self, Write};

use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};

use super::header::member_header;
use super::parallel::ParallelGzip;
use crate::io::Stage;

/// What the header records about the original file (`-N`).
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The file's name, without directories.
    pub name: Option<Vec<u8>>,
    /// Its modification time in Unix seconds; 0 for none.
    pub mtime: u32,
}

/// The compressing stage.
pub enum GzipEncode<W: Write> {
    /// One stream on this thread.
    Serial(GzEncoder<W>),
    /// Blocks on worker threads.
    Parallel(ParallelGzip<W>),
}

impl<W: Write> GzipEncode<W> {
    /// A stage compressing at `level` (1..=9) into `inner`, on `threads`
    /// worker threads when more than one.
    pub fn new(inner: W, level: u32, threads: usize, origin: &Origin) -> GzipEncode<W> {
        if threads > 1 {
            let header = member_header(level, origin.name.as_deref(), origin.mtime);
            return GzipEncode::Parallel(ParallelGzip::new(inner, header, level, threads));
        }
        let mut builder = GzBuilder::new().mtime(origin.mtime);
        if let Some(name) = &origin.name {
            let name: Vec<u8> = name.iter().copied().filter(|&b| b != 0).collect();
            builder = builder.filename(name);
        }
        GzipEncode::Serial(builder.write(inner, Compression::new(level)))
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            GzipEncode::Serial(w) => w,
            GzipEncode::Parallel(w) => w,
        }
    }
}

impl<W: Write> Write for GzipEncode<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

impl<W: Write> Stage for GzipEncode<W> {
    type Done = W;

    fn finish(self) -> io::Result<W> {
        match self {
            GzipEncode::Serial(w) => w.finish(),
            GzipEncode::Parallel(w) => w.finish(),
        }
    }
}
