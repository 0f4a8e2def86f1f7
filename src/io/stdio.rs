//! Standard streams that were closed when binkit started (`>&-`, `<&-`).
//!
//! The Rust runtime puts `/dev/null` in place of a closed descriptor 0, 1
//! or 2 before `main` runs, so `binkit b64 f >&-` would "succeed" with its
//! output gone and `binkit encrypt <&-` encrypt nothing; GNU tools fail with
//! EBADF. That `/dev/null` cannot be told from one the caller opened (as
//! Python's `subprocess.DEVNULL` does, read-write), so the check runs before
//! the runtime's: [`record_closed_at_start`] is called from the binary's
//! one `.init_array` entry (`src/main.rs`). Every place that reads stdin
//! or writes stdout takes it from here.

use std::io;
use std::sync::atomic::{AtomicU8, Ordering};

static CLOSED: AtomicU8 = AtomicU8::new(0);
const STDIN: u8 = 1;
const STDOUT: u8 = 2;

/// Notes which of stdin and stdout are not open descriptors. Safe to call
/// before `main`: two `fcntl` system calls and an atomic store.
pub fn record_closed_at_start() {
    use rustix::io::{fcntl_getfd, Errno};
    let mut closed = 0;
    if fcntl_getfd(rustix::stdio::stdin()) == Err(Errno::BADF) {
        closed |= STDIN;
    }
    if fcntl_getfd(rustix::stdio::stdout()) == Err(Errno::BADF) {
        closed |= STDOUT;
    }
    CLOSED.store(closed, Ordering::Relaxed);
}

fn closed(which: u8) -> io::Result<()> {
    if CLOSED.load(Ordering::Relaxed) & which == 0 {
        Ok(())
    } else {
        Err(rustix::io::Errno::BADF.into())
    }
}

/// Stdout, whose writes fail with EBADF when it was closed at the start:
/// as with GNU tools, the first write is the error, so that `grep -q` and
/// commands writing nothing there still succeed.
pub fn stdout() -> Stdout {
    Stdout(closed(STDOUT).ok().map(|()| io::stdout()))
}

/// See [`stdout`].
pub struct Stdout(Option<io::Stdout>);

impl io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.0 {
            Some(out) => out.write(buf),
            None => Err(rustix::io::Errno::BADF.into()),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.0 {
            Some(out) => out.write_all(buf),
            None if buf.is_empty() => Ok(()),
            None => Err(rustix::io::Errno::BADF.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.as_mut().map_or(Ok(()), io::Write::flush)
    }
}

/// Stdin, or EBADF when it was closed at the start.
///
/// # Errors
/// EBADF.
pub fn stdin() -> io::Result<io::Stdin> {
    closed(STDIN).map(|()| io::stdin())
}
