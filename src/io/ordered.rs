//! Work on independent pieces of a stream on several threads, with the
//! results written back in the order the pieces were read.
//!
//! At most [`IN_FLIGHT`] jobs are out at once and their buffers are reused,
//! so memory stays a few job sizes whatever the input. A failing job stops
//! the stream at that job: everything before it has been written, nothing
//! after it is.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// Jobs queued or running at once.
pub const IN_FLIGHT: usize = 3;

/// The work: piece number `tag` of the input into the output buffer, whose
/// first bytes it returns the length of. The buffer comes back between jobs
/// as it was left, so work that overwrites it need not clear (or zero) it.
pub type Work = dyn Fn(u64, &[u8], &mut Vec<u8>) -> io::Result<usize> + Send + Sync;

struct Job {
    seq: u64,
    tag: u64,
    input: Vec<u8>,
    output: Vec<u8>,
    result: io::Result<usize>,
}

/// Worker threads doing [`Work`], and the bookkeeping that keeps order.
pub struct OrderedPool {
    jobs: Option<SyncSender<Job>>,
    done: Receiver<Job>,
    workers: Vec<JoinHandle<()>>,
    submitted: u64,
    written: u64,
    ready: BTreeMap<u64, Job>,
    spare: Vec<(Vec<u8>, Vec<u8>)>,
}

impl OrderedPool {
    /// `threads` workers doing `work`.
    pub fn new(threads: usize, work: Arc<Work>) -> OrderedPool {
        let (jobs, queue) = mpsc::sync_channel::<Job>(IN_FLIGHT);
        let (finished, done) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let workers = (0..threads.max(1))
            .map(|_| {
                let (queue, finished, work) =
                    (Arc::clone(&queue), finished.clone(), Arc::clone(&work));
                std::thread::spawn(move || loop {
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok(mut job) = next else { return };
                    job.result = work(job.tag, &job.input, &mut job.output);
                    if finished.send(job).is_err() {
                        return;
                    }
                })
            })
            .collect();
        OrderedPool {
            jobs: Some(jobs),
            done,
            workers,
            submitted: 0,
            written: 0,
            ready: BTreeMap::new(),
            spare: Vec::new(),
        }
    }

    /// An empty input buffer, reused when one is free.
    pub fn buffer(&mut self) -> Vec<u8> {
        let (mut input, output) = self.spare.pop().unwrap_or_default();
        input.clear();
        self.spare.push((Vec::new(), output));
        input
    }

    /// Queues `input` as piece `tag`; writes finished jobs, in order, to
    /// `out` while too many are in flight.
    ///
    /// # Errors
    /// The first failed job's error, write errors, or a worker that died.
    pub fn submit(&mut self, tag: u64, input: Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
        while self.submitted - self.written >= IN_FLIGHT as u64 {
            self.write_next(out)?;
        }
        let output = self.spare.pop().map(|(_, o)| o).unwrap_or_default();
        let job = Job {
            seq: self.submitted,
            tag,
            input,
            output,
            result: Ok(0),
        };
        self.jobs
            .as_ref()
            .expect("open until drop")
            .send(job)
            .map_err(|_| worker_failed())?;
        self.submitted += 1;
        Ok(())
    }

    /// Writes every job submitted so far.
    ///
    /// # Errors
    /// As [`OrderedPool::submit`].
    pub fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        while self.written < self.submitted {
            self.write_next(out)?;
        }
        Ok(())
    }

    fn write_next(&mut self, out: &mut dyn Write) -> io::Result<()> {
        loop {
            if let Some(job) = self.ready.remove(&self.written) {
                let used = job.result?;
                out.write_all(&job.output[..used])?;
                self.written += 1;
                self.spare.push((job.input, job.output));
                return Ok(());
            }
            let job = self.done.recv().map_err(|_| worker_failed())?;
            self.ready.insert(job.seq, job);
        }
    }
}

/// Gathers consecutive pieces into jobs of at least `limit` bytes for an
/// [`OrderedPool`]: fewer, larger jobs keep the threads working rather
/// than waiting on each other.
pub struct Batcher {
    pool: OrderedPool,
    pending: Vec<u8>,
    first: u64,
    limit: usize,
}

impl Batcher {
    /// Jobs of at least `limit` bytes for `pool`.
    pub fn new(pool: OrderedPool, limit: usize) -> Batcher {
        Batcher {
            pool,
            pending: Vec::new(),
            first: 0,
            limit,
        }
    }

    /// Adds `piece`, tagged `tag` when it starts a job; pieces must follow
    /// on from each other. Sends the job once it is full.
    ///
    /// # Errors
    /// As [`OrderedPool::submit`].
    pub fn push(&mut self, tag: u64, piece: &[u8], out: &mut dyn Write) -> io::Result<()> {
        if self.pending.is_empty() {
            self.first = tag;
        }
        self.pending.extend_from_slice(piece);
        if self.pending.len() >= self.limit {
            self.send(out)?;
        }
        Ok(())
    }

    fn send(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let next = self.pool.buffer();
        let job = std::mem::replace(&mut self.pending, next);
        self.pool.submit(self.first, job, out)
    }

    /// Sends what is pending and writes every result, in order.
    ///
    /// # Errors
    /// As [`OrderedPool::submit`].
    pub fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.send(out)?;
        self.pool.drain(out)
    }
}

/// Worker threads to use when the user does not say: one per core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn worker_failed() -> io::Error {
    io::Error::other("a worker thread stopped")
}

impl Drop for OrderedPool {
    fn drop(&mut self) {
        self.jobs = None;
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_and_stop_at_the_first_failure() {
        let work: Arc<Work> = Arc::new(|tag, input, out| {
            if tag == 13 {
                return Err(io::Error::other("job 13 failed"));
            }
            out.clear();
            out.extend_from_slice(format!("{tag}:{};", input.len()).as_bytes());
            Ok(out.len())
        });
        let mut pool = OrderedPool::new(3, work);
        let mut out = Vec::new();
        let mut failed = None;
        for tag in 0..20 {
            let mut input = pool.buffer();
            input.resize(usize::try_from(tag).unwrap(), 0);
            if let Err(e) = pool.submit(tag, input, &mut out) {
                failed = Some(e);
                break;
            }
        }
        let err = failed
            .or_else(|| pool.drain(&mut out).err())
            .expect("job 13 fails");
        assert_eq!(err.to_string(), "job 13 failed");
        let expected: String = (0..13).map(|t| format!("{t}:{t};")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
