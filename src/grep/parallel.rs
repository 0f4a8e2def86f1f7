//! Several inputs searched at once, their output printed whole and in
//! input order: inputs go to the workers in batches (many small files
//! together, so threads are not woken for each), each batch gets a bounded
//! channel of output chunks, and the printer drains the channels in order.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};

use super::run::{search_input, write_out, Input, Separated, Summary};
use super::search::{Found, Options};
use crate::error::Result;

/// One input's output on its way to the printer.
enum Message {
    Bytes(Vec<u8>),
    Done(std::result::Result<Found, String>),
}

/// Sends an input's output in chunks; the printer takes them in order.
struct ChannelOut {
    tx: SyncSender<Message>,
    buf: Vec<u8>,
}

impl Write for ChannelOut {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let chunk = std::mem::take(&mut self.buf);
            self.tx
                .send(Message::Bytes(chunk))
                .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "printer stopped"))?;
        }
        Ok(())
    }
}

/// Searches inputs on `threads` workers; each input's output is printed
/// whole and in input order. A worker ahead of the printer blocks once its
/// input has 4 chunks waiting, so memory stays bounded.
pub(super) fn search_all(
    inputs: Box<dyn Iterator<Item = Input> + Send>,
    opts: &Arc<Options>,
    threads: usize,
    summary: &mut Summary,
    out: &mut dyn Write,
) -> Result<bool> {
    let mut failed = false;
    std::thread::scope(|scope| -> Result<()> {
        let (job_tx, job_rx) =
            mpsc::sync_channel::<(Arc<Vec<Input>>, SyncSender<Message>)>(threads);
        let job_rx = Arc::new(Mutex::new(job_rx));
        for _ in 0..threads {
            let (job_rx, opts) = (Arc::clone(&job_rx), Arc::clone(opts));
            scope.spawn(move || loop {
                let next = job_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                let Ok((batch, tx)) = next else { return };
                for input in batch.iter() {
                    let mut sink = ChannelOut {
                        tx: tx.clone(),
                        buf: Vec::new(),
                    };
                    let result = search_input(input, &opts, &mut sink);
                    let result = sink.flush().map_err(|e| e.to_string()).and(result);
                    if tx.send(Message::Done(result)).is_err() {
                        return;
                    }
                }
            });
        }
        // The walk, on a thread of its own: each batch goes to a worker,
        // and its receiver to the printer, in input order.
        let (order_tx, order_rx) = mpsc::channel::<(Arc<Vec<Input>>, Receiver<Message>)>();
        scope.spawn(move || {
            for batch in batches(inputs) {
                let batch = Arc::new(batch);
                let (tx, rx) = mpsc::sync_channel(4);
                if order_tx.send((Arc::clone(&batch), rx)).is_err()
                    || job_tx.send((batch, tx)).is_err()
                {
                    return;
                }
            }
        });
        for (batch, rx) in order_rx {
            for input in batch.iter() {
                print_one(input, &rx, opts, summary, out, &mut failed)?;
            }
        }
        Ok(())
    })?;
    Ok(failed)
}

/// Prints one input's output as it arrives, then its count, name or error.
fn print_one(
    input: &Input,
    rx: &Receiver<Message>,
    opts: &Options,
    summary: &mut Summary,
    out: &mut dyn Write,
    failed: &mut bool,
) -> Result<()> {
    let mut result = Err("a worker thread stopped".to_string());
    let mut separated = Separated {
        inner: &mut *out,
        separate: (opts.context_groups() && summary.printed).then_some(opts.color),
        wrote: false,
    };
    for message in rx {
        match message {
            Message::Bytes(bytes) => write_out(&mut separated, &bytes)?,
            Message::Done(r) => {
                result = r;
                break;
            }
        }
    }
    summary.printed |= separated.wrote;
    *failed |= summary.report(input, result, opts, out)?;
    Ok(())
}

/// Files per batch at most, and bytes: a large file is a batch of its own.
const BATCH_FILES: usize = 32;
const BATCH_BYTES: u64 = 1 << 20;

/// Groups consecutive inputs into batches of small files (each file's
/// size looked up once).
fn batches(inputs: Box<dyn Iterator<Item = Input> + Send>) -> impl Iterator<Item = Vec<Input>> {
    let mut sized = inputs
        .map(|input| {
            let size = match &input {
                Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
                _ => 0,
            };
            (input, size)
        })
        .peekable();
    std::iter::from_fn(move || {
        let mut batch = Vec::new();
        let mut bytes = 0;
        while let Some((input, size)) = sized.next() {
            batch.push(input);
            bytes += size;
            // A large file next goes into a batch of its own.
            let next_is_large = sized.peek().is_some_and(|(_, s)| *s >= BATCH_BYTES);
            if batch.len() == BATCH_FILES || bytes >= BATCH_BYTES || next_is_large {
                break;
            }
        }
        (!batch.is_empty()).then_some(batch)
    })
}
