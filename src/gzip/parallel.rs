//! pigz-style parallel compression: the input is cut into [`BLOCK`]-byte
//! blocks, each deflated on a worker thread with the previous 32 KiB as
//! its dictionary and ended with a sync flush (so it stops on a byte
//! boundary), and the raw pieces are written back in order between one
//! gzip header and one trailer. The result is a single ordinary gzip
//! member that any inflater reads; it is a few bytes per block larger than
//! a one-thread stream (the empty stored block of each flush) and loses
//! only the matches that would have reached further back than 32 KiB,
//! which deflate cannot express anyway.

use std::io::{self, Write};
use std::sync::Arc;

use super::deflater::{Content, Deflater, Engine, Flush};
use super::header::write_trailer;
use super::stored::{classify, write_stored};
use crate::io::ordered::{OrderedPool, Work};
use crate::io::Stage;

/// Uncompressed bytes per job, as pigz (`-b 128`).
pub const BLOCK: usize = 128 * 1024;

/// Deflate's window: the most a block can refer back into its predecessor.
pub const DICTIONARY: usize = 32 * 1024;

/// An empty final block with fixed codes: BFINAL=1, BTYPE=01, end-of-block
/// (seven zero bits), padded to a byte. It closes the chain of
/// sync-flushed blocks, none of which is marked final.
const FINAL_EMPTY_BLOCK: [u8; 2] = [0x03, 0x00];

/// The compressing stage that uses worker threads.
pub struct ParallelGzip<W: Write> {
    inner: W,
    pool: OrderedPool,
    /// The dictionary (tail of the previous block) followed by the block
    /// being gathered.
    pending: Vec<u8>,
    /// Where `pending`'s block starts in the uncompressed stream.
    block_start: u64,
    dictionary_len: usize,
    crc: crc32fast::Hasher,
    /// The member header, until it is written.
    header: Option<Vec<u8>>,
    /// gzip's level, for an input shorter than a block.
    level: u32,
}

impl<W: Write> ParallelGzip<W> {
    /// Compresses at gzip's `level` (1..=9) on `threads` workers into
    /// `inner`, after `header`.
    pub fn new(inner: W, header: Vec<u8>, level: u32, threads: usize) -> ParallelGzip<W> {
        let work: Arc<Work> = Arc::new(move |start, input, out| {
            let dictionary_len = dictionary_len(start);
            deflate_block(level, input, dictionary_len, out)
        });
        ParallelGzip {
            inner,
            pool: OrderedPool::new(threads, work),
            pending: Vec::with_capacity(DICTIONARY + BLOCK),
            block_start: 0,
            dictionary_len: 0,
            crc: crc32fast::Hasher::new(),
            header: Some(header),
            level,
        }
    }

    fn write_header(&mut self) -> io::Result<()> {
        if let Some(header) = self.header.take() {
            self.inner.write_all(&header)?;
        }
        Ok(())
    }

    /// Queues the gathered block and starts the next one with its tail as
    /// the dictionary.
    fn send_block(&mut self) -> io::Result<()> {
        self.write_header()?;
        let block_len = self.pending.len() - self.dictionary_len;
        let next_start = self.block_start + block_len as u64;
        let keep = dictionary_len(next_start);
        let mut next = self.pool.buffer();
        next.extend_from_slice(&self.pending[self.pending.len() - keep..]);
        let job = std::mem::replace(&mut self.pending, next);
        self.pool.submit(self.block_start, job, &mut self.inner)?;
        self.block_start = next_start;
        self.dictionary_len = keep;
        Ok(())
    }
}

/// How much of the stream before `start` serves as dictionary.
fn dictionary_len(start: u64) -> usize {
    usize::try_from(start.min(DICTIONARY as u64)).unwrap_or(DICTIONARY)
}

/// Deflates `input[dictionary_len..]` with `input[..dictionary_len]` as
/// preset dictionary, ending in a sync flush; returns the bytes in `out`.
fn deflate_block(
    level: u32,
    input: &[u8],
    dictionary_len: usize,
    out: &mut Vec<u8>,
) -> io::Result<usize> {
    let (dictionary, block) = input.split_at(dictionary_len);
    out.clear();
    let Some(content) = classify(block) else {
        // The previous block ended byte-aligned (sync flush).
        write_stored(block, out);
        return Ok(out.len());
    };
    // A fresh deflater for every block: one kept per worker and reset
    // made the output depend on which worker had which block before
    // (zlib-rs's reset leaves state that changes its choices, not its
    // correctness), so the same input gave different bytes run to run.
    let mut deflater = Deflater::new(Engine::for_gzip(level, content));
    if !dictionary.is_empty() {
        deflater
            .set_dictionary(dictionary)
            .map_err(io::Error::other)?;
    }
    // deflate's worst case is about 5 bytes per 16 KiB stored block.
    out.reserve(block.len() + block.len() / 1024 + 64);
    deflater.deflate_into(block, Flush::Sync, out)?;
    Ok(out.len())
}

impl<W: Write> Write for ParallelGzip<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.dictionary_len + BLOCK - self.pending.len();
        let taken = &buf[..buf.len().min(room)];
        self.pending.extend_from_slice(taken);
        self.crc.update(taken);
        if self.pending.len() == self.dictionary_len + BLOCK {
            self.send_block()?;
        }
        Ok(taken.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for ParallelGzip<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        self.write_header()?;
        if self.block_start == 0 {
            // Shorter than one block: one plain stream, as one thread
            // writes it (the sync flush and final empty block would cost
            // 6 bytes, and make `gzip -v`'s ratio of a tiny file worse
            // than gzip's).
            // A short input that does not compress still goes through
            // deflate, which stores it in its own blocks.
            let content = classify(&self.pending).unwrap_or(Content::Binary);
            let mut deflater = Deflater::new(Engine::for_gzip(self.level, content));
            let mut out = Vec::with_capacity(self.pending.len() + 64);
            deflater.deflate_into(&self.pending, Flush::Finish, &mut out)?;
            self.inner.write_all(&out)?;
            let length = self.pending.len() as u64;
            write_trailer(&mut self.inner, self.crc.clone().finalize(), length)?;
            return Ok(self.inner);
        }
        if self.pending.len() > self.dictionary_len {
            self.send_block()?;
        }
        self.pool.drain(&mut self.inner)?;
        let length = self.block_start;
        self.inner.write_all(&FINAL_EMPTY_BLOCK)?;
        write_trailer(&mut self.inner, self.crc.clone().finalize(), length)?;
        Ok(self.inner)
    }
}
