//! Compression as a [`Stage`]: one deflate stream on this thread
//! ([`SerialGzip`]), or [`ParallelGzip`] on several. Both write the same
//! header: no name and no time unless asked (`-N`), so the same input
//! gives the same bytes.

use std::io::{self, Write};

use flate2::{Compress, Compression, FlushCompress};

use super::header::{member_header, write_trailer};
use super::parallel::{deflate_into, ParallelGzip, BLOCK, DICTIONARY};
use super::stored::{looks_incompressible, write_stored};
use crate::io::Stage;

/// The zlib-rs level for the level the user asked for, chosen so that
/// logs compress about as small as GNU gzip makes them at that level.
/// zlib-rs follows zlib-ng's strategies: its level 1 (`deflate_quick`) is
/// 21–28% larger than `gzip -1`, its level 2 up to 1% larger than `gzip
/// -2`, and its level 9 larger than its level 8 on logs. Measured on nine
/// logs (syslog, two nginx access logs, JSON lines, logfmt, Java with stack
/// traces, Debian changelogs, hex and UUID ids), size against gzip at the
/// same level:
///
/// | asked | engine | size against gzip       | time against gzip |
/// |-------|--------|-------------------------|-------------------|
/// | 1     | 2      | −4.7% … −11.3%          | 0.45–0.6          |
/// | 2     | 3      | −8.4% … −8.7%           | 0.6–0.65          |
/// | 6     | 6      | −5.8% … +0.73%          | 0.45–0.6          |
/// | 9     | 8      | −5.8% … −0.2%           | 0.55–0.75         |
///
/// `-6` stays on level 6: level 7 is smaller than `gzip -6` on every log
/// measured, but 30–45% slower on the benchmark's log, which would make
/// the default level slower than pigz on two threads.
pub fn engine_level(level: u32) -> u32 {
    match level {
        ..=1 => 2,
        2 => 3,
        9.. => 8,
        other => other,
    }
}

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
    Serial(SerialGzip<W>),
    /// Blocks on worker threads.
    Parallel(ParallelGzip<W>),
}

impl<W: Write> GzipEncode<W> {
    /// A stage compressing at `level` (1..=9) into `inner`, on `threads`
    /// worker threads when more than one.
    pub fn new(inner: W, level: u32, threads: usize, origin: &Origin) -> GzipEncode<W> {
        let header = member_header(level, origin.name.as_deref(), origin.mtime);
        if threads > 1 {
            let engine = engine_level(level);
            return GzipEncode::Parallel(ParallelGzip::new(inner, header, engine, threads));
        }
        GzipEncode::Serial(SerialGzip::new(inner, header, level))
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

/// One deflate stream, compressed here in [`BLOCK`]-byte steps. Blocks
/// that look incompressible are written as stored blocks after a sync
/// flush; the compressor then restarts with the last 32 KiB as its
/// dictionary, so the stream stays one ordinary member.
pub struct SerialGzip<W: Write> {
    inner: W,
    header: Option<Vec<u8>>,
    deflater: Compress,
    /// The deflater has input since its last flush.
    unflushed: bool,
    /// The deflater's history is not the stream's (after stored blocks).
    stale: bool,
    /// The block being gathered, and the one before it (the dictionary).
    block: Vec<u8>,
    previous: Vec<u8>,
    out: Vec<u8>,
    crc: crc32fast::Hasher,
    length: u64,
}

impl<W: Write> SerialGzip<W> {
    /// Compresses at `level` into `inner`, after `header`.
    pub fn new(inner: W, header: Vec<u8>, level: u32) -> SerialGzip<W> {
        SerialGzip {
            inner,
            header: Some(header),
            deflater: Compress::new(Compression::new(engine_level(level)), false),
            unflushed: false,
            stale: false,
            block: Vec::with_capacity(BLOCK),
            previous: Vec::with_capacity(BLOCK),
            out: Vec::with_capacity(BLOCK + BLOCK / 8),
            crc: crc32fast::Hasher::new(),
            length: 0,
        }
    }

    /// Runs the deflater over all of `input` with `flush` and writes what
    /// it emits.
    fn deflate(&mut self, input: &[u8], flush: FlushCompress) -> io::Result<()> {
        self.out.clear();
        deflate_into(&mut self.deflater, input, flush, &mut self.out)?;
        self.inner.write_all(&self.out)
    }

    fn compress_block(&mut self) -> io::Result<()> {
        if let Some(header) = self.header.take() {
            self.inner.write_all(&header)?;
        }
        let block = std::mem::take(&mut self.block);
        if looks_incompressible(&block) {
            if self.unflushed {
                self.deflate(&[], FlushCompress::Sync)?;
                self.unflushed = false;
            }
            self.out.clear();
            write_stored(&block, &mut self.out);
            self.inner.write_all(&self.out)?;
            self.stale = true;
        } else {
            if self.stale {
                self.deflater.reset();
                let keep = self.previous.len().min(DICTIONARY);
                let dictionary = &self.previous[self.previous.len() - keep..];
                self.deflater
                    .set_dictionary(dictionary)
                    .map_err(io::Error::other)?;
                self.stale = false;
            }
            self.deflate(&block, FlushCompress::None)?;
            self.unflushed = true;
        }
        self.block = std::mem::replace(&mut self.previous, block);
        self.block.clear();
        Ok(())
    }
}

impl<W: Write> Write for SerialGzip<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let taken = &buf[..buf.len().min(BLOCK - self.block.len())];
        self.block.extend_from_slice(taken);
        self.crc.update(taken);
        self.length += taken.len() as u64;
        if self.block.len() == BLOCK {
            self.compress_block()?;
        }
        Ok(taken.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for SerialGzip<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if !self.block.is_empty() || self.header.is_some() {
            self.compress_block()?;
        }
        // After stored blocks the deflater only adds the final block, which
        // refers to nothing before it.
        self.deflate(&[], FlushCompress::Finish)?;
        write_trailer(&mut self.inner, self.crc.clone().finalize(), self.length)?;
        Ok(self.inner)
    }
}
