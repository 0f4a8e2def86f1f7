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
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};

static CLOSED: AtomicU8 = AtomicU8::new(0);
const STDIN: u8 = 1;
const STDOUT: u8 = 2;
const STDERR: u8 = 4;

/// Descriptors 0 to 63 that were open when binkit started: `--pass-fd N`
/// may name only one of those, never one binkit opened itself (a signal
/// pipe, an input), which it would read from, or hang on.
static OPEN_AT_START: AtomicU64 = AtomicU64::new(0);

/// Notes which of stdin, stdout and stderr are unusable (closed, or open
/// the wrong way: stdout read-only, where every write would fail with EBADF
/// and the Rust runtime would drop it silently), and which descriptors
/// below 64 are open. Safe to call before `main`: `fcntl` system calls and
/// atomic stores.
pub fn record_closed_at_start() {
    use rustix::fs::OFlags;
    use rustix::io::Errno;
    let mode = |fd| rustix::fs::fcntl_getfl(fd).map(|f| f & OFlags::RWMODE);
    let mut closed = 0;
    match mode(rustix::stdio::stdin()) {
        Ok(m) if m == OFlags::WRONLY => closed |= STDIN,
        Err(Errno::BADF) => closed |= STDIN,
        _ => {}
    }
    for (fd, bit) in [
        (rustix::stdio::stdout(), STDOUT),
        (rustix::stdio::stderr(), STDERR),
    ] {
        match mode(fd) {
            Ok(m) if m == OFlags::RDONLY => closed |= bit,
            Err(Errno::BADF) => closed |= bit,
            _ => {}
        }
    }
    CLOSED.store(closed, Ordering::Relaxed);
    let mut open = 0u64;
    for fd in 0..64 {
        if probe(fd) {
            open |= 1 << fd;
        }
    }
    OPEN_AT_START.store(open, Ordering::Relaxed);
}

/// Whether descriptor `fd` is open, asked of the kernel.
#[allow(unsafe_code)]
fn probe(fd: i32) -> bool {
    // SAFETY: the borrowed descriptor is only passed to `fcntl(F_GETFD)`,
    // which the kernel answers with EBADF for a descriptor that is not
    // open; nothing reads, writes or closes it.
    let borrowed = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    rustix::io::fcntl_getfd(borrowed).is_ok()
}

/// Whether `fd` was open when binkit started (always true from 64 up,
/// where binkit does not look).
pub fn open_at_start(fd: u32) -> bool {
    fd >= 64 || OPEN_AT_START.load(Ordering::Relaxed) & (1 << fd) != 0
}

/// Whether stdout was closed (or read-only) when binkit started.
pub fn stdout_closed() -> bool {
    CLOSED.load(Ordering::Relaxed) & STDOUT != 0
}

/// Whether stderr was closed (or read-only) when binkit started.
pub fn stderr_closed() -> bool {
    CLOSED.load(Ordering::Relaxed) & STDERR != 0
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
