//! Several inputs searched at once on the one ordered map, their output
//! printed whole and in input order: inputs go to the workers in batches
//! (many small files together, so threads are not woken for each), each
//! input's output travels in chunks through the channel writer, and the
//! printer takes the batches in order.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::sync::Arc;

use super::input::{search_input, Input};
use super::report::{write_out, Separated, Summary};
use super::search::{Found, Options};
use crate::error::Result;
use crate::io::ordered::{Emit, MapWork, OrderedMap};
use crate::io::threaded::{ChannelWriter, ChunkSink};
use crate::io::walk::Entry;

/// One input's output on its way to the printer.
enum Message {
    Bytes(Vec<u8>),
    Done(Box<(Input, std::result::Result<Found, String>)>),
}

/// Output chunks (and an input's end) per batch held at most.
const CHUNKS_PER_BATCH: usize = 4;
/// Bytes per output chunk.
const OUTPUT_CHUNK: usize = 64 * 1024;

/// An input's output, sent in chunks to the printer.
struct ToPrinter<'a>(&'a Emit<Message>);

impl ChunkSink for ToPrinter<'_> {
    fn send_chunk(&mut self, chunk: Vec<u8>) -> io::Result<()> {
        if self.0.send(Message::Bytes(chunk)) {
            Ok(())
        } else {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "printer stopped"))
        }
    }
}

/// Searches inputs on `threads` workers; each input's output is printed
/// whole and in input order. At most two batches per thread are out, each
/// holding at most [`CHUNKS_PER_BATCH`] chunks, so memory stays bounded.
pub(super) fn search_all(
    inputs: impl Iterator<Item = Input>,
    opts: &Arc<Options>,
    threads: NonZeroUsize,
    summary: &mut Summary,
    out: &mut dyn Write,
) -> Result<()> {
    let worker_opts = Arc::clone(opts);
    let work: Arc<MapWork<Vec<Input>, Message>> = Arc::new(move |batch, emit| {
        for input in batch {
            let mut sink = ChannelWriter::new(ToPrinter(emit), OUTPUT_CHUNK);
            let result = search_input(&input, &worker_opts, &mut sink);
            let result = sink.send().map_err(|e| e.to_string()).and(result);
            if !emit.send(Message::Done(Box::new((input, result)))) {
                return;
            }
        }
    });
    let bound = threads.get() * 2;
    let mut map = OrderedMap::new(threads, bound, CHUNKS_PER_BATCH, work);
    let mut printer = Printer {
        opts,
        summary,
        out,
        wrote: false,
        sizes: VecDeque::new(),
    };
    for batch in batches(inputs) {
        printer.sizes.push_back(batch.len());
        map.submit(batch, &mut |m| printer.take(m))?;
    }
    map.drain(&mut |m| printer.take(m))
}

/// Takes the messages of the batches in order.
struct Printer<'a> {
    opts: &'a Options,
    summary: &'a mut Summary,
    out: &'a mut dyn Write,
    /// The current input printed something.
    wrote: bool,
    /// Inputs not yet reported, per batch in flight.
    sizes: VecDeque<usize>,
}

impl Printer<'_> {
    fn take(&mut self, message: Option<Message>) -> Result<()> {
        match message {
            Some(Message::Bytes(bytes)) => {
                let mut separated = Separated::new(&mut *self.out, self.opts, self.summary.printed);
                separated.wrote = self.wrote;
                write_out(&mut separated, &bytes)?;
                self.wrote = separated.wrote;
                Ok(())
            }
            Some(Message::Done(done)) => {
                let (input, result) = *done;
                self.summary.printed |= std::mem::take(&mut self.wrote);
                if let Some(left) = self.sizes.front_mut() {
                    *left = left.saturating_sub(1);
                }
                self.summary.report(&input, result, self.opts, self.out)
            }
            // A batch ended; a worker that died ends it early, and its
            // inputs were not searched: say so.
            None => {
                self.wrote = false;
                if self.sizes.pop_front().is_some_and(|left| left > 0) {
                    crate::err_message!("a worker thread stopped");
                }
                Ok(())
            }
        }
    }
}

/// Files per batch at most, and bytes: a large file is a batch of its own.
const BATCH_FILES: usize = 32;
const BATCH_BYTES: u64 = 1 << 20;

/// Groups consecutive inputs into batches of small files (each file's
/// size looked up once).
fn batches(inputs: impl Iterator<Item = Input>) -> impl Iterator<Item = Vec<Input>> {
    let mut sized = inputs
        .map(|input| {
            let size = match &input {
                // An object is a batch of its own: its reads wait on the
                // network, and the batches run at once.
                Entry::File(found) if found.object().is_some() => BATCH_BYTES,
                Entry::File(found) => {
                    std::fs::symlink_metadata(found.path()).map_or(0, |m| m.len())
                }
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
