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
pub const MAX_IN_FLIGHT: usize = 3;

/// Formats one run of whole lines whose first byte is at `first` into
/// `out` from index `at` (growing it if needed); returns where it ended.
pub type FormatRun = fn(run: &[u8], first: u64, out: &mut Vec<u8>, at: usize) -> usize;

/// Input gathered into one job: fewer, larger jobs keep the threads busy
/// rather than waiting on each other.
pub const JOB_BYTES: usize = 128 * 1024;

struct Job {
    seq: u64,
    format: FormatRun,
    first: u64,
    input: Vec<u8>,
    output: Vec<u8>,
    /// Bytes of `output` in use; the rest is kept to be reused.
    used: usize,
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
    /// Input being gathered for the next job, its formatter and offset.
    gathering: Option<(FormatRun, u64, Vec<u8>, Vec<u8>)>,
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
            gathering: None,
        })
    }

    /// Adds `run` (which must follow on from the previous one, with the
    /// same `format`) to the job being gathered, and queues that job once it
    /// holds [`JOB_BYTES`]; writes finished jobs, in order, to `out` while
    /// too many are in flight.
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
        // Runs arrive in order and every run given to one pool uses the
        // same formatter, so a job is one stretch of input.
        let (_, _, input, _) = self.gathering.get_or_insert_with(|| {
            let (mut input, output) = self.spare.pop().unwrap_or_default();
            input.clear();
            (format, first, input, output)
        });
        input.extend_from_slice(run);
        if input.len() >= JOB_BYTES {
            self.send(out)?;
        }
        Ok(())
    }

    /// Queues the job being gathered, if any.
    fn send(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let Some((format, first, input, output)) = self.gathering.take() else {
            return Ok(());
        };
        while self.submitted - self.written >= MAX_IN_FLIGHT as u64 {
            self.write_next(out)?;
        }
        let job = Job {
            seq: self.submitted,
            format,
            first,
            input,
            output,
            used: 0,
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
        self.send(out)?;
        while self.written < self.submitted {
            self.write_next(out)?;
        }
        Ok(())
    }

    fn write_next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        loop {
            if let Some(job) = self.ready.remove(&self.written) {
                out.write_all(&job.output[..job.used])?;
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
        job.used = (job.format)(&job.input, job.first, &mut job.output, 0);
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

    fn tag(run: &[u8], first: u64, out: &mut Vec<u8>, at: usize) -> usize {
        let text = format!("[{first}:{}]", run.len());
        out.truncate(at);
        out.extend_from_slice(text.as_bytes());
        at + text.len()
    }

    #[test]
    fn output_keeps_the_input_order() {
        let mut pool = Pool::new(3).unwrap();
        let mut out = Vec::new();
        let mut expected = String::new();
        let run = vec![0u8; JOB_BYTES];
        for i in 0..40u64 {
            let first = i * JOB_BYTES as u64;
            pool.submit(tag, &run, first, &mut out).unwrap();
            expected.push_str(&format!("[{first}:{JOB_BYTES}]"));
        }
        pool.drain(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn small_runs_are_gathered_into_one_job() {
        let mut pool = Pool::new(2).unwrap();
        let mut out = Vec::new();
        for i in 0..10u64 {
            pool.submit(tag, &[0u8; 100], 7 + i * 100, &mut out)
                .unwrap();
        }
        pool.drain(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[7:1000]");
    }

    #[test]
    fn one_thread_needs_no_pool() {
        assert!(Pool::new(1).is_none());
    }
}
