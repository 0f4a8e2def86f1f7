//! Several inputs searched at once, their output printed whole and in
//! input order: each input gets a bounded channel of output chunks, and the
//! printer drains the channels one after another.

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
        let (job_tx, job_rx) = mpsc::sync_channel::<(Arc<Input>, SyncSender<Message>)>(threads);
        let job_rx = Arc::new(Mutex::new(job_rx));
        for _ in 0..threads {
            let (job_rx, opts) = (Arc::clone(&job_rx), Arc::clone(opts));
            scope.spawn(move || loop {
                let next = job_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                let Ok((input, tx)) = next else { return };
                let mut sink = ChannelOut {
                    tx: tx.clone(),
                    buf: Vec::new(),
                };
                let result = search_input(&input, &opts, &mut sink);
                let result = sink.flush().map_err(|e| e.to_string()).and(result);
                let _ = tx.send(Message::Done(result));
            });
        }
        // The walk, on a thread of its own: each input goes to a worker,
        // and its receiver to the printer, in input order.
        let (order_tx, order_rx) = mpsc::channel::<(Arc<Input>, Receiver<Message>)>();
        scope.spawn(move || {
            for input in inputs {
                let input = Arc::new(input);
                let (tx, rx) = mpsc::sync_channel(4);
                if order_tx.send((Arc::clone(&input), rx)).is_err()
                    || job_tx.send((input, tx)).is_err()
                {
                    return;
                }
            }
        });
        for (input, rx) in order_rx {
            let mut result = Err("a worker thread stopped".to_string());
            let mut separated = Separated {
                inner: &mut *out,
                separate: (opts.context_groups() && summary.printed).then_some(opts.color),
                wrote: false,
            };
            for message in rx {
                match message {
                    Message::Bytes(bytes) => write_out(&mut separated, &bytes)?,
                    Message::Done(r) => result = r,
                }
            }
            summary.printed |= separated.wrote;
            failed |= summary.report(&input, result, opts, out)?;
        }
        Ok(())
    })?;
    Ok(failed)
}
