//! The one ordered parallel map: items handed to worker threads, their
//! results consumed in the order the items were submitted (ripgrep runs its
//! parallel search the same way everywhere).
//!
//! [`OrderedMap`] is the mechanism: each item's worker sends any number of
//! messages into a bounded channel of its own, and the consumer drains the
//! channels front to back. At most `bound` items are submitted and not yet
//! consumed, and each holds at most `per_item` messages, so what is held
//! is bounded whatever the input: a first item that stalls (a slow disk, a
//! test hook) makes the submitter wait, never makes the map grow.
//!
//! [`OrderedPool`] is the map for byte jobs (hexdump, encryption, gzip
//! blocks): piece in, bytes out, buffers reused, and the first failed job
//! stops the stream there: everything before it has been written, nothing
//! after it is.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// The sending side of one item's messages, given to the work.
pub struct Emit<M> {
    tx: SyncSender<M>,
}

impl<M> Emit<M> {
    /// Sends one message; blocks while the item's channel is full. False
    /// once the consumer has gone (the work should stop).
    pub fn send(&self, message: M) -> bool {
        self.tx.send(message).is_ok()
    }
}

/// What the workers do with an item: send its results through `emit`.
pub type MapWork<T, M> = dyn Fn(T, &Emit<M>) + Send + Sync;

/// Worker threads mapping items to messages, consumed in submission order.
pub struct OrderedMap<T, M> {
    jobs: Option<SyncSender<(T, Emit<M>)>>,
    pending: VecDeque<Receiver<M>>,
    workers: Vec<JoinHandle<()>>,
    bound: usize,
    per_item: usize,
}

impl<T: Send + 'static, M: Send + 'static> OrderedMap<T, M> {
    /// `threads` workers doing `work`; at most `bound` items (at least one)
    /// in flight, each holding at most `per_item` messages.
    pub fn new(
        threads: NonZeroUsize,
        bound: usize,
        per_item: usize,
        work: Arc<MapWork<T, M>>,
    ) -> OrderedMap<T, M> {
        let bound = bound.max(1);
        let (jobs, queue) = mpsc::sync_channel::<(T, Emit<M>)>(bound);
        let queue = Arc::new(Mutex::new(queue));
        let workers = (0..threads.get())
            .map(|_| {
                let (queue, work) = (Arc::clone(&queue), Arc::clone(&work));
                std::thread::spawn(move || loop {
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok((item, emit)) = next else { return };
                    work(item, &emit);
                })
            })
            .collect();
        OrderedMap {
            jobs: Some(jobs),
            pending: VecDeque::new(),
            workers,
            bound,
            per_item,
        }
    }

    /// Items submitted and not yet consumed.
    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    /// Submits `item`; first consumes the oldest items while `bound` are
    /// in flight. `consume` gets each message, then `None` when an item's
    /// messages are all delivered (also when its worker died early).
    ///
    /// # Errors
    /// The first error `consume` returns.
    pub fn submit<E>(
        &mut self,
        item: T,
        consume: &mut dyn FnMut(Option<M>) -> Result<(), E>,
    ) -> Result<(), E> {
        while self.pending.len() >= self.bound {
            self.consume_front(consume)?;
        }
        let (tx, rx) = mpsc::sync_channel(self.per_item);
        self.pending.push_back(rx);
        // The workers live until drop: a send can only fail if every one of
        // them died, and then the item's channel ends at once.
        let _ = self
            .jobs
            .as_ref()
            .expect("open until drop")
            .send((item, Emit { tx }));
        Ok(())
    }

    /// Consumes every item submitted so far.
    ///
    /// # Errors
    /// As [`OrderedMap::submit`].
    pub fn drain<E>(
        &mut self,
        consume: &mut dyn FnMut(Option<M>) -> Result<(), E>,
    ) -> Result<(), E> {
        while !self.pending.is_empty() {
            self.consume_front(consume)?;
        }
        Ok(())
    }

    fn consume_front<E>(
        &mut self,
        consume: &mut dyn FnMut(Option<M>) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(rx) = self.pending.pop_front() else {
            return Ok(());
        };
        for message in &rx {
            consume(Some(message))?;
        }
        consume(None)
    }
}

impl<T, M> Drop for OrderedMap<T, M> {
    fn drop(&mut self) {
        // Receivers first, so that a worker blocked sending gives up.
        self.pending.clear();
        self.jobs = None;
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// Jobs queued or running at once in an [`OrderedPool`].
pub const IN_FLIGHT: usize = 3;

/// The work: piece number `tag` of the input into the output buffer, whose
/// first bytes it returns the length of. The buffer comes back between jobs
/// as it was left, so work that overwrites it need not clear (or zero) it.
pub type Work = dyn Fn(u64, &[u8], &mut Vec<u8>) -> io::Result<usize> + Send + Sync;

/// A byte job: its tag, its input, and the output buffer to fill.
type ByteJob = (u64, Vec<u8>, Vec<u8>);
/// A byte job done: the buffers back, and the work's result.
type ByteDone = (Vec<u8>, Vec<u8>, io::Result<usize>);

/// An [`OrderedMap`] of byte jobs: pieces in, bytes written in order.
pub struct OrderedPool {
    map: OrderedMap<ByteJob, ByteDone>,
    spare: Vec<(Vec<u8>, Vec<u8>)>,
}

impl OrderedPool {
    /// `threads` workers doing `work`, [`IN_FLIGHT`] jobs at most.
    pub fn new(threads: usize, work: Arc<Work>) -> OrderedPool {
        let threads = NonZeroUsize::new(threads).unwrap_or(NonZeroUsize::MIN);
        let map_work: Arc<MapWork<ByteJob, ByteDone>> = Arc::new(
            move |(tag, input, mut output): ByteJob, emit: &Emit<ByteDone>| {
                let result = work(tag, &input, &mut output);
                emit.send((input, output, result));
            },
        );
        OrderedPool {
            map: OrderedMap::new(threads, IN_FLIGHT, 1, map_work),
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
        let output = self.spare.pop().map(|(_, o)| o).unwrap_or_default();
        let spare = &mut self.spare;
        let mut done = false;
        self.map.submit((tag, input, output), &mut |m| {
            write_done(m, &mut done, spare, out)
        })
    }

    /// Writes every job submitted so far.
    ///
    /// # Errors
    /// As [`OrderedPool::submit`].
    pub fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let spare = &mut self.spare;
        let mut done = false;
        self.map
            .drain(&mut |m| write_done(m, &mut done, spare, out))
    }
}

/// Writes one finished byte job (`Some`), or at the end of a job (`None`)
/// checks that it did finish.
fn write_done(
    message: Option<ByteDone>,
    done: &mut bool,
    spare: &mut Vec<(Vec<u8>, Vec<u8>)>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some((input, output, result)) = message else {
        return if std::mem::take(done) {
            Ok(())
        } else {
            Err(worker_failed())
        };
    };
    *done = true;
    let used = result?;
    out.write_all(&output[..used])?;
    spare.push((input, output));
    Ok(())
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
pub fn default_threads() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

fn worker_failed() -> io::Error {
    io::Error::other("a worker thread stopped")
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

    #[test]
    fn a_stalled_first_item_holds_the_map_at_its_bound() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::time::Duration;
        const BOUND: usize = 8;
        let started = Arc::new(AtomicUsize::new(0));
        let (release, stalled) = mpsc::channel::<()>();
        let stalled = Mutex::new(stalled);
        let counter = Arc::clone(&started);
        let work: Arc<MapWork<usize, String>> = Arc::new(move |item, emit| {
            counter.fetch_add(1, Ordering::SeqCst);
            if item == 0 {
                let _ = stalled.lock().unwrap().recv(); // until the test lets go
            }
            // Several messages per item, more than its channel holds.
            for part in 0..3 {
                emit.send(format!("{item}.{part}"));
            }
        });
        let threads = NonZeroUsize::new(4).unwrap();
        let mut map = OrderedMap::new(threads, BOUND, 2, work);
        let out = std::thread::scope(|scope| {
            let submitter = scope.spawn(move || {
                let mut out = Vec::new();
                let mut consume = |m: Option<String>| -> Result<(), ()> {
                    out.push(m.unwrap_or_else(|| "|".into()));
                    Ok(())
                };
                for item in 0..10_000 {
                    map.submit(item, &mut consume).unwrap();
                    assert!(map.in_flight() <= BOUND);
                }
                map.drain(&mut consume).unwrap();
                out
            });
            std::thread::sleep(Duration::from_millis(300));
            // Item 0 stalls: the submitter waits on it, and no worker got
            // more than the bound's items (the queue holds the rest unsent).
            assert!(started.load(Ordering::SeqCst) <= BOUND, "{started:?}");
            release.send(()).unwrap();
            submitter.join().unwrap()
        });
        let expected: Vec<String> = (0..10_000)
            .flat_map(|i| {
                [
                    format!("{i}.0"),
                    format!("{i}.1"),
                    format!("{i}.2"),
                    "|".into(),
                ]
            })
            .collect();
        assert_eq!(out, expected);
    }
}
