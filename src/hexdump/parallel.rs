//! Formatting runs of dump lines on worker threads, written in order.
//!
//! A run's output depends only on its bytes and its first offset, so runs
//! can be formatted anywhere as long as they are written back in the order
//! they were read. At most [`MAX_IN_FLIGHT`] runs are out at once, and
//! their buffers are reused, so memory stays a few MiB whatever the input.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// Runs queued or being formatted at once.
pub const MAX_IN_FLIGHT: usize = 4;

/// Formats one run of whole lines whose first byte is at `first`.
pub type FormatRun = fn(run: &[u8], first: u64, out: &mut Vec<u8>);

struct Job {
    seq: u64,
    format: FormatRun,
    first: u64,
    input: Vec<u8>,
    output: Vec<u8>,
}

/// Worker threads and the bookkeeping that keeps their output in order.
pub struct Pool {
    jobs: Option<SyncSender<Job>>,
    done: Receiver<Job>,
    workers: Vec<JoinHandle<()>>,
    submitted: u64,
    written: u64,
    ready: BTreeMap<u64, Job>,
    spare: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Pool {
    /// A pool of `threads` workers, or `None` when one thread would do.
    pub fn new(threads: usize) -> Option<Pool> {
        if threads < 2 {
            return None;
        }
        let (jobs, queue) = mpsc::sync_channel::<Job>(MAX_IN_FLIGHT);
        let (finished, done) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let workers = (0..threads)
            .map(|_| {
                let (queue, finished) = (Arc::clone(&queue), finished.clone());
                std::thread::spawn(move || work(&queue, &finished))
            })
            .collect();
        Some(Pool {
            jobs: Some(jobs),
            done,
            workers,
            submitted: 0,
            written: 0,
            ready: BTreeMap::new(),
            spare: Vec::new(),
        })
    }

    /// Queues `run` for formatting; writes finished runs, in order, to
    /// `out` while too many are in flight.
    ///
    /// # Errors
    /// Write errors, or a worker that died.
    pub fn submit(
        &mut self,
        format: FormatRun,
        run: &[u8],
        first: u64,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        while self.submitted - self.written >= MAX_IN_FLIGHT as u64 {
            self.write_next(out)?;
        }
        let (mut input, output) = self.spare.pop().unwrap_or_default();
        input.clear();
        input.extend_from_slice(run);
        let job = Job {
            seq: self.submitted,
            format,
            first,
            input,
            output,
        };
        self.jobs
            .as_ref()
            .expect("jobs are open until drop")
            .send(job)
            .map_err(|_| worker_failed())?;
        self.submitted += 1;
        Ok(())
    }

    /// Writes every run submitted so far.
    ///
    /// # Errors
    /// Write errors, or a worker that died.
    pub fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        while self.written < self.submitted {
            self.write_next(out)?;
        }
        Ok(())
    }

    fn write_next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        loop {
            if let Some(job) = self.ready.remove(&self.written) {
                out.write_all(&job.output)?;
                self.written += 1;
                self.spare.push((job.input, job.output));
                return Ok(());
            }
            let job = self.done.recv().map_err(|_| worker_failed())?;
            self.ready.insert(job.seq, job);
        }
    }
}

fn worker_failed() -> io::Error {
    io::Error::other("a formatting thread stopped")
}

fn work(queue: &Mutex<Receiver<Job>>, finished: &mpsc::Sender<Job>) {
    loop {
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(mut job) = next else { return };
        job.output.clear();
        (job.format)(&job.input, job.first, &mut job.output);
        if finished.send(job).is_err() {
            return;
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.jobs = None; // workers see the queue close and return
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(run: &[u8], first: u64, out: &mut Vec<u8>) {
        out.extend_from_slice(format!("[{first}:{}]", run.len()).as_bytes());
    }

    #[test]
    fn output_keeps_the_input_order() {
        let mut pool = Pool::new(3).unwrap();
        let mut out = Vec::new();
        let mut expected = String::new();
        for i in 0..100u64 {
            let run = vec![0u8; usize::try_from(i % 7).unwrap()];
            pool.submit(tag, &run, i, &mut out).unwrap();
            expected.push_str(&format!("[{i}:{}]", i % 7));
        }
        pool.drain(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn one_thread_needs_no_pool() {
        assert!(Pool::new(1).is_none());
    }
}
