//! Digests computed on threads of their own, so that hashing a file twice
//! (the whole, and each part) and with two algorithms uses every core.
//!
//! The reader hands each thread the same reference-counted chunk; a thread
//! queue holds at most [`QUEUE_CHUNKS`] chunks, so memory stays bounded
//! whatever the input size.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use sha2::Digest;

/// Chunks a digest thread may have queued.
pub const QUEUE_CHUNKS: usize = 4;

/// A chunk of input shared by the digest threads.
pub type Chunk = Arc<Vec<u8>>;

/// Most chunk buffers kept for reuse.
const POOL_CHUNKS: usize = 16;

/// Reuses chunk buffers once every thread is done with them: a fresh
/// megabyte per chunk would cost a page fault every 4 KiB.
#[derive(Default)]
pub struct ChunkPool {
    shared: Vec<Chunk>,
}

impl ChunkPool {
    /// An empty buffer of `capacity`, reused when one is free.
    pub fn take(&mut self, capacity: usize) -> Vec<u8> {
        let free = self.shared.iter().position(|c| Arc::strong_count(c) == 1);
        match free.map(|i| Arc::try_unwrap(self.shared.swap_remove(i))) {
            Some(Ok(mut buf)) => {
                buf.clear();
                buf
            }
            _ => Vec::with_capacity(capacity),
        }
    }

    /// Shares `buf` as a chunk, keeping a handle to reuse it later.
    pub fn share(&mut self, buf: Vec<u8>) -> Chunk {
        let chunk = Arc::new(buf);
        if self.shared.len() < POOL_CHUNKS {
            self.shared.push(Arc::clone(&chunk));
        }
        chunk
    }
}

enum Msg {
    Data(Chunk),
    Cut,
}

/// A thread computing one digest over a stream, cut into pieces on demand.
pub struct DigestThread {
    tx: Option<SyncSender<Msg>>,
    results: Receiver<Vec<u8>>,
    handle: Option<JoinHandle<()>>,
}

impl DigestThread {
    /// Starts a thread computing digest `D`.
    pub fn spawn<D: Digest + Send + 'static>() -> DigestThread {
        let (tx, rx) = mpsc::sync_channel::<Msg>(QUEUE_CHUNKS);
        let (done, results) = mpsc::channel();
        let handle = std::thread::spawn(move || {
            let mut digest = D::new();
            for msg in rx {
                match msg {
                    Msg::Data(chunk) => digest.update(chunk.as_slice()),
                    Msg::Cut => {
                        let piece = std::mem::replace(&mut digest, D::new());
                        if done.send(piece.finalize().to_vec()).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        DigestThread {
            tx: Some(tx),
            results,
            handle: Some(handle),
        }
    }

    /// Adds `chunk` to the digest.
    pub fn feed(&self, chunk: &Chunk) {
        self.send(Msg::Data(Arc::clone(chunk)));
    }

    /// Ends the current piece: its digest becomes available from
    /// [`DigestThread::next_digest`], in order, and a new piece starts.
    pub fn cut(&self) {
        self.send(Msg::Cut);
    }

    fn send(&self, msg: Msg) {
        // The thread only stops when we drop the sender, or by panicking,
        // which `next_digest` then reports.
        let _ = self.tx.as_ref().expect("open until drop").send(msg);
    }

    /// The digest of the oldest piece not yet taken, waiting for it.
    ///
    /// # Panics
    /// Never in practice: only if the digest thread itself panicked.
    pub fn next_digest(&self) -> Vec<u8> {
        self.results.recv().expect("digest thread stopped")
    }
}

impl Drop for DigestThread {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_reuses_only_buffers_no_thread_holds() {
        let mut pool = ChunkPool::default();
        let held = pool.share(vec![1, 2, 3]);
        let reused = pool.take(8);
        assert!(
            reused.is_empty() && reused.capacity() == 8,
            "a held buffer was reused"
        );
        drop(held);
        let reused = pool.take(8);
        assert!(reused.is_empty() && reused.capacity() >= 3);
    }

    #[test]
    fn pieces_match_one_shot_digests() {
        let t = DigestThread::spawn::<sha2::Sha256>();
        let a: Chunk = Arc::new(b"abc".to_vec());
        let b: Chunk = Arc::new(b"defg".to_vec());
        t.feed(&a);
        t.cut();
        t.feed(&b);
        t.feed(&a);
        t.cut();
        t.cut();
        assert_eq!(t.next_digest(), sha2::Sha256::digest(b"abc").to_vec());
        assert_eq!(t.next_digest(), sha2::Sha256::digest(b"defgabc").to_vec());
        assert_eq!(t.next_digest(), sha2::Sha256::digest(b"").to_vec());
    }
}
