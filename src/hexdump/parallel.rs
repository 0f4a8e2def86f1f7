//! Formatting runs of dump lines on worker threads, written in order.
//!
//! A run's output depends only on its bytes and its first offset, so runs
//! can be formatted anywhere as long as they are written back in the order
//! they were read ([`OrderedPool`]); a [`Batcher`] gathers small runs into
//! jobs of [`JOB_BYTES`] first.

use std::sync::Arc;

use crate::io::ordered::{Batcher, OrderedPool, Work};

/// Formats one run of whole lines whose first byte is at `first` into
/// `out` from index `at` (growing it if needed); returns where it ended.
pub type FormatRun = fn(run: &[u8], first: u64, out: &mut Vec<u8>, at: usize) -> usize;

/// Input gathered into one job.
pub const JOB_BYTES: usize = 128 * 1024;

/// Worker threads formatting with one [`FormatRun`], in jobs of
/// [`JOB_BYTES`], or `None` when one thread would do. Output buffers keep
/// their length between jobs, so they are not zeroed again.
pub fn pool(threads: usize, format: FormatRun) -> Option<Batcher> {
    if threads < 2 {
        return None;
    }
    let work: Arc<Work> = Arc::new(move |first, input, out| Ok(format(input, first, out, 0)));
    Some(Batcher::new(OrderedPool::new(threads, work), JOB_BYTES))
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
        let mut pool = pool(3, tag).unwrap();
        let mut out = Vec::new();
        let mut expected = String::new();
        let run = vec![0u8; JOB_BYTES];
        for i in 0..40u64 {
            let first = i * JOB_BYTES as u64;
            pool.push(first, &run, &mut out).unwrap();
            expected.push_str(&format!("[{first}:{JOB_BYTES}]"));
        }
        pool.drain(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn small_runs_are_gathered_into_one_job() {
        let mut pool = pool(2, tag).unwrap();
        let mut out = Vec::new();
        for i in 0..10u64 {
            pool.push(7 + i * 100, &[0u8; 100], &mut out).unwrap();
        }
        pool.drain(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[7:1000]");
    }

    #[test]
    fn one_thread_needs_no_pool() {
        assert!(pool(1, tag).is_none());
    }
}
