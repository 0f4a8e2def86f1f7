//! Reading ahead and writing behind on threads of their own, so that a
//! single-threaded transform (inflate) overlaps with the system calls on
//! either side of it.
//!
//! Both hand [`CHUNK`]-byte buffers over bounded channels and get them back
//! for reuse: memory is at most `DEPTH + 2` chunks per side.

use std::io::{self, Read, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Bytes per hand-over.
pub const CHUNK: usize = 256 * 1024;

/// Chunks queued between the threads.
pub const DEPTH: usize = 2;

/// A reader whose input is read on another thread, [`DEPTH`] chunks ahead.
pub struct ReadAhead {
    filled: Receiver<io::Result<Vec<u8>>>,
    empty: SyncSender<Vec<u8>>,
    current: Vec<u8>,
    at: usize,
    done: bool,
}

impl ReadAhead {
    /// Starts reading `src` on a new thread. The thread is not joined: it
    /// ends at end of input, on an error, or at its next chunk once this
    /// reader is dropped (it may be blocked reading a pipe until then).
    pub fn new<R: Read + Send + 'static>(mut src: R) -> ReadAhead {
        // Straight into the chunks: no buffer in between.
        ReadAhead::feeding(move |chunks| {
            while chunks.fill_from(&mut src)? > 0 {}
            Ok(())
        })
    }

    /// A reader of what `produce` writes, run on a new thread (inflating a
    /// file, say); its error ends the stream where it happened.
    pub fn from_producer<F>(produce: F) -> ReadAhead
    where
        F: FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'static,
    {
        ReadAhead::feeding(move |chunks| produce(chunks))
    }

    /// Runs `feed` on a new thread with the sending side of the channel.
    fn feeding<F>(feed: F) -> ReadAhead
    where
        F: FnOnce(&mut ChannelWriter<Pipe>) -> io::Result<()> + Send + 'static,
    {
        let (filled_tx, filled) = mpsc::sync_channel(DEPTH);
        let (empty, empty_rx) = mpsc::sync_channel::<Vec<u8>>(DEPTH + 2);
        std::thread::spawn(move || {
            let pipe = Pipe {
                filled: filled_tx,
                empty: empty_rx,
            };
            let mut writer = ChannelWriter::new(pipe, CHUNK);
            // What was produced before an error is sent first (a .gz with
            // trailing garbage keeps its lines), then the error.
            let fed = feed(&mut writer);
            let sent = writer.send();
            let end = match fed.and(sent) {
                Ok(()) => Ok(Vec::new()),
                Err(e) => Err(e),
            };
            let _ = writer.sink.filled.send(end);
        });
        ReadAhead {
            filled,
            empty,
            current: Vec::new(),
            at: 0,
            done: false,
        }
    }
}

/// Where a [`ChannelWriter`]'s chunks go.
pub trait ChunkSink {
    /// Sends one chunk.
    ///
    /// # Errors
    /// `BrokenPipe` once the receiving side has gone.
    fn send_chunk(&mut self, chunk: Vec<u8>) -> io::Result<()>;

    /// An emptied buffer that came back for reuse, if any.
    fn reuse(&mut self) -> Option<Vec<u8>> {
        None
    }
}

/// The one channel writer: bytes gathered into chunks of a fixed size and
/// sent to a [`ChunkSink`] as each fills (the producing side of
/// [`ReadAhead`], the sending side of [`WriteBehind`], and grep-log's
/// per-input output on its way to the printer).
pub struct ChannelWriter<S: ChunkSink> {
    sink: S,
    current: Vec<u8>,
    chunk: usize,
}

impl<S: ChunkSink> ChannelWriter<S> {
    /// Chunks of `chunk` bytes (the last may be shorter) for `sink`.
    pub fn new(sink: S, chunk: usize) -> ChannelWriter<S> {
        ChannelWriter {
            sink,
            current: Vec::new(),
            chunk: chunk.max(1),
        }
    }

    /// Reads from `src` into the free end of the current chunk (sending it
    /// when full); returns the bytes read, 0 at the end of `src`.
    fn fill_from(&mut self, src: &mut dyn Read) -> io::Result<usize> {
        let at = self.current.len();
        self.current.resize(self.chunk, 0);
        let n = loop {
            match src.read(&mut self.current[at..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        self.current.truncate(at + *n.as_ref().unwrap_or(&0));
        let n = n?;
        if self.current.len() == self.chunk {
            self.send()?;
        }
        Ok(n)
    }

    /// Sends what is gathered, if anything.
    ///
    /// # Errors
    /// As [`ChunkSink::send_chunk`].
    pub fn send(&mut self) -> io::Result<()> {
        if self.current.is_empty() {
            return Ok(());
        }
        let mut next = self
            .sink
            .reuse()
            .unwrap_or_else(|| Vec::with_capacity(self.chunk));
        next.clear();
        let chunk = std::mem::replace(&mut self.current, next);
        self.sink.send_chunk(chunk)
    }
}

impl<S: ChunkSink> Write for ChannelWriter<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(self.chunk - self.current.len());
        self.current.extend_from_slice(&buf[..n]);
        if self.current.len() == self.chunk {
            self.send()?;
        }
        Ok(n)
    }

    /// Sending happens as chunks fill and at [`ChannelWriter::send`]; the
    /// bytes reach the other side in order either way.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A bounded channel of chunks with a return path for their buffers.
struct Pipe {
    filled: SyncSender<io::Result<Vec<u8>>>,
    empty: Receiver<Vec<u8>>,
}

impl ChunkSink for Pipe {
    fn send_chunk(&mut self, chunk: Vec<u8>) -> io::Result<()> {
        self.filled
            .send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the reader went away"))
    }

    fn reuse(&mut self) -> Option<Vec<u8>> {
        self.empty.try_recv().ok()
    }
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.current.len() {
            if self.done {
                return Ok(0);
            }
            let next = self
                .filled
                .recv()
                .map_err(|_| io::Error::other("the reading thread stopped"))?;
            let next = next.inspect_err(|_| self.done = true)?;
            if next.is_empty() {
                self.done = true;
            }
            let old = std::mem::replace(&mut self.current, next);
            let _ = self.empty.try_send(old);
            self.at = 0;
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A writer whose writes happen on another thread, up to [`DEPTH`] chunks
/// behind. Errors surface on a later write or at [`WriteBehind::finish`].
/// The chunks travel through the same channel writer that feeds a
/// [`ReadAhead`], the other way round.
pub struct WriteBehind<W: Write + Send + 'static> {
    chunks: Option<ChannelWriter<Pipe>>,
    thread: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> WriteBehind<W> {
    /// Starts a thread writing to `dst`.
    pub fn new(mut dst: W) -> WriteBehind<W> {
        let (filled, filled_rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(DEPTH);
        let (empty_tx, empty) = mpsc::sync_channel(DEPTH + 2);
        let thread = std::thread::spawn(move || {
            for chunk in filled_rx {
                let mut chunk = chunk?;
                dst.write_all(&chunk)?;
                chunk.clear();
                let _ = empty_tx.try_send(chunk);
            }
            dst.flush()?;
            Ok(dst)
        });
        WriteBehind {
            chunks: Some(ChannelWriter::new(Pipe { filled, empty }, CHUNK)),
            thread: Some(thread),
        }
    }

    /// Closes the channel and waits for the thread: the writer, or the
    /// first error it met.
    fn join(&mut self) -> io::Result<W> {
        self.chunks = None;
        let thread = self.thread.take().ok_or_else(writer_stopped)?;
        thread.join().map_err(|_| writer_stopped())?
    }

    /// A send failed: the writing thread stopped, and its error is the one
    /// to report.
    fn stopped(&mut self) -> io::Error {
        self.join().err().unwrap_or_else(writer_stopped)
    }

    /// Writes what is buffered, waits for the thread, and hands back the
    /// writer.
    ///
    /// # Errors
    /// The first write error.
    pub fn finish(mut self) -> io::Result<W> {
        let sent = self.chunks.as_mut().map_or(Ok(()), ChannelWriter::send);
        if sent.is_err() {
            return Err(self.stopped());
        }
        self.join()
    }
}

fn writer_stopped() -> io::Error {
    io::Error::other("the writing thread stopped")
}

impl<W: Write + Send + 'static> Write for WriteBehind<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.chunks.as_mut().map(|chunks| chunks.write(buf));
        match written {
            Some(Ok(n)) => Ok(n),
            _ => Err(self.stopped()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        // Bytes reach `dst` in order; `finish` is the point they are all
        // written.
        Ok(())
    }
}

impl<W: Write + Send + 'static> Drop for WriteBehind<W> {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_pass_through_unchanged_and_in_order() {
        let data: Vec<u8> = (0..CHUNK * 5 + 17).map(|i| (i % 251) as u8).collect();
        let mut reader = ReadAhead::new(io::Cursor::new(data.clone()));
        let mut writer = WriteBehind::new(Vec::new());
        let mut buf = vec![0; 1000];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            writer.write_all(&buf[..n]).unwrap();
        }
        assert_eq!(writer.finish().unwrap(), data);
    }

    #[test]
    fn errors_come_through() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        let mut reader = ReadAhead::new(Failing);
        assert_eq!(
            reader.read(&mut [0; 8]).unwrap_err().to_string(),
            "disk on fire"
        );
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
        let mut writer = WriteBehind::new(full.unwrap());
        let wrote = writer.write_all(&vec![1; CHUNK * (DEPTH + 3)]);
        let err = wrote.and_then(|()| writer.finish().map(drop)).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC));
    }
}
