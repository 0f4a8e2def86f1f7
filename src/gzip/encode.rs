//! Compression as a [`Stage`]: one deflate stream on this thread
//! ([`SerialGzip`]), or [`ParallelGzip`] on several. Both write the same
//! header: no name and no time unless asked (`-N`), so the same input
//! gives the same bytes.

use std::io::{self, Write};

use super::deflater::{Content, Deflater, Engine, Flush};
use super::header::{member_header, write_trailer};
use super::parallel::{ParallelGzip, BLOCK, DICTIONARY};
use super::stored::{classify, write_stored};
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
            return GzipEncode::Parallel(ParallelGzip::new(inner, header, level, threads));
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
/// flush, and where text turns to binary or back the engine changes
/// after a sync flush (see `stored::classify`); the compressor then
/// restarts with the last 32 KiB as its dictionary, so the stream stays
/// one ordinary member.
pub struct SerialGzip<W: Write> {
    inner: W,
    header: Option<Vec<u8>>,
    level: u32,
    deflater: Deflater,
    /// What the deflater's engine is for.
    content: Content,
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
            level,
            deflater: Deflater::new(Engine::for_gzip(level, Content::Text)),
            content: Content::Text,
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
    fn deflate(&mut self, input: &[u8], flush: Flush) -> io::Result<()> {
        self.out.clear();
        self.deflater.deflate_into(input, flush, &mut self.out)?;
        self.inner.write_all(&self.out)
    }

    fn compress_block(&mut self) -> io::Result<()> {
        if let Some(header) = self.header.take() {
            self.inner.write_all(&header)?;
        }
        let block = std::mem::take(&mut self.block);
        let content = classify(&block);
        let switch = content.is_some_and(|c| c != self.content);
        if self.unflushed && (content.is_none() || switch) {
            self.deflate(&[], Flush::Sync)?;
            self.unflushed = false;
            self.stale = true;
        }
        if let Some(content) = content {
            if switch {
                self.deflater = Deflater::new(Engine::for_gzip(self.level, content));
                self.content = content;
                self.stale = true;
            } else if self.stale {
                self.deflater.reset();
            }
            if std::mem::take(&mut self.stale) {
                let keep = self.previous.len().min(DICTIONARY);
                let dictionary = &self.previous[self.previous.len() - keep..];
                if !dictionary.is_empty() {
                    self.deflater
                        .set_dictionary(dictionary)
                        .map_err(io::Error::other)?;
                }
            }
            self.deflate(&block, Flush::None)?;
            self.unflushed = true;
        } else {
            self.out.clear();
            write_stored(&block, &mut self.out);
            self.inner.write_all(&self.out)?;
            self.stale = true;
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
        self.deflate(&[], Flush::Finish)?;
        write_trailer(&mut self.inner, self.crc.clone().finalize(), self.length)?;
        Ok(self.inner)
    }
}
