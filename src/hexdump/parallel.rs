//! Formatting runs of dump lines on worker threads, written in order.
//!
//! A run's output depends only on its bytes and its first offset, so runs
//! can be formatted anywhere as long as they are written back in the order
//! they were read ([`OrderedPool`]). Small runs are gathered into jobs of
//! [`JOB_BYTES`] first, so the threads work rather than wait on each other.

use std::io::{self, Write};
use std::sync::Arc;

use crate::io::ordered::{OrderedPool, Work};

/// Formats one run of whole lines whose first byte is at `first` into
/// `out` from index `at` (growing it if needed); returns where it ended.
pub type FormatRun = fn(run: &[u8], first: u64, out: &mut Vec<u8>, at: usize) -> usize;

/// Input gathered into one job.
pub const JOB_BYTES: usize = 128 * 1024;

/// Worker threads formatting with one [`FormatRun`].
pub struct Pool {
    pool: OrderedPool,
    gathering: Vec<u8>,
    first: u64,
}

impl Pool {
    /// A pool of `threads` workers running `format`, or `None` when one
    /// thread would do.
    pub fn new(threads: usize, format: FormatRun) -> Option<Pool> {
        if threads < 2 {
            return None;
        }
        // Output buffers keep their length between jobs: no re-zeroing.
        let work: Arc<Work> = Arc::new(move |first, input, out| Ok(format(input, first, out, 0)));
        Some(Pool {
            pool: OrderedPool::new(threads, work),
            gathering: Vec::new(),
            first: 0,
        })
    }

    /// Adds `run` (which must follow on from the previous one) to the job
    /// being gathered, and queues that job once it holds [`JOB_BYTES`].
    ///
    /// # Errors
    /// Write errors, or a worker that died.
    pub fn submit(&mut self, run: &[u8], first: u64, out: &mut dyn Write) -> io::Result<()> {
        if self.gathering.is_empty() {
            self.first = first;
        }
        self.gathering.extend_from_slice(run);
        if self.gathering.len() >= JOB_BYTES {
            self.send(out)?;
        }
        Ok(())
    }

    fn send(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.gathering.is_empty() {
            return Ok(());
        }
        let next = self.pool.buffer();
        let job = std::mem::replace(&mut self.gathering, next);
        self.pool.submit(self.first, job, out)
    }

    /// Writes every run submitted so far.
    ///
    /// # Errors
    /// Write errors, or a worker that died.
    pub fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.send(out)?;
        self.pool.drain(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(run: &[u8], first: u64, out: &mut Vec<u8>, at: usize) -> usize {
        let text = format!("[{first}:{}]", run.len());
        out.truncate(at);
        out.extend_from_slice(text.as_bytes());
        at + text.len()
    }

    #[test]
    fn output_keeps_the_input_order() {
        let mut pool = Pool::new(3, tag).unwrap();
        let mut out = Vec::new();
        let mut expected = String::new();
        let run = vec![0u8; JOB_BYTES];
        for i in 0..40u64 {
            let first = i * JOB_BYTES as u64;
            pool.submit(&run, first, &mut out).unwrap();
            expected.push_str(&format!("[{first}:{JOB_BYTES}]"));
        }
        pool.drain(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn small_runs_are_gathered_into_one_job() {
        let mut pool = Pool::new(2, tag).unwrap();
        let mut out = Vec::new();
        for i in 0..10u64 {
            pool.submit(&[0u8; 100], 7 + i * 100, &mut out).unwrap();
        }
        pool.drain(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[7:1000]");
    }

    #[test]
    fn one_thread_needs_no_pool() {
        assert!(Pool::new(1, tag).is_none());
    }
}
