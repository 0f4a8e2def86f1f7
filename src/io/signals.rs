//! Removes unfinished output files when the process is interrupted.
//!
//! Temporary outputs register their path here while they exist. On any
//! signal whose default action ends the process ([`TERMINATING`]: SIGINT,
//! SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, ...) a watcher thread (signal-hook's
//! safe iterator API, so no code runs inside the signal handler itself)
//! deletes them and exits with 128 + the signal number, as a shell
//! expects: 130 for SIGINT, 143 for SIGTERM. (SIGPIPE is ignored by Rust
//! programs: a closed pipe is an error on write, handled where it happens.)
//! The registry is a set: a split with 40,000 parts pending registers and
//! forgets each in constant time.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use signal_hook::consts::signal::{
    SIGALRM, SIGHUP, SIGINT, SIGPROF, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGXCPU,
    SIGXFSZ,
};
use signal_hook::iterator::Signals;

/// The signals that end a process by default and can be caught.
pub const TERMINATING: [i32; 11] = [
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
    SIGXFSZ,
];

/// [`TERMINATING`], and the others whose default action ends the process
/// that can be caught safely (found by the attack on issue 12's fixes:
/// SIGSYS, SIGTRAP, SIGABRT, and on Linux SIGSTKFLT, SIGPWR and the
/// real-time signals left temp files). Not SIGSEGV, SIGBUS, SIGILL or
/// SIGFPE: caught, a real fault would run again and again; the Rust
/// runtime's own SIGSEGV handler reports stack overflows.
fn terminating() -> Vec<i32> {
    use signal_hook::consts::signal::{SIGABRT, SIGSYS, SIGTRAP};
    let mut all = TERMINATING.to_vec();
    all.extend([SIGSYS, SIGTRAP, SIGABRT]);
    #[cfg(target_os = "linux")]
    {
        all.extend([libc::SIGSTKFLT, libc::SIGPWR]);
        all.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    }
    all.retain(|s| !signal_hook::consts::FORBIDDEN.contains(s));
    all
}

static PENDING: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// The registry, held.
pub type Pending = MutexGuard<'static, Option<HashSet<PathBuf>>>;

fn pending() -> Pending {
    // A panic while holding the lock cannot leave the list inconsistent.
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Starts the watcher thread. Call once, early in `main`.
///
/// If the handler cannot be installed the process carries on without it:
/// interrupted runs may then leave a temporary file behind, never a target.
pub fn install_cleanup() {
    let Ok(mut signals) = Signals::new(terminating()) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // The registry stays locked until the process is gone: a
            // temporary file is created only under this lock (see
            // [`register_held`]), so none can appear after the sweep.
            let mut held = pending();
            for path in held.take().unwrap_or_default() {
                let _ = std::fs::remove_file(path);
            }
            // Unfinished uploads are aborted, so no object and no parts
            // are left; the list stays locked, so none starts meanwhile.
            let mut aborts = hold_aborts();
            for (_, abort) in aborts.drain() {
                abort();
            }
            std::process::exit(128 + signal);
        }
    });
}

/// Registers a temporary file for removal on interruption, while the
/// registry is held: create the file
/// and register it under one [`hold`], so that a signal between the two
/// cannot leave it behind.
pub fn register_held(held: &mut Pending, path: &Path) {
    held.get_or_insert_with(HashSet::new)
        .insert(path.to_path_buf());
}

/// Forgets a file while the registry is held (see [`register_held`]).
pub fn unregister_held(held: &mut Pending, path: &Path) {
    if let Some(set) = held.as_mut() {
        set.remove(path);
    }
}

/// What to do on a terminating signal for an unfinished upload (abort it).
pub type Abort = Box<dyn FnOnce() + Send>;

static ABORTS: Mutex<Option<std::collections::HashMap<u64, Abort>>> = Mutex::new(None);
static NEXT_ABORT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The list of uploads to abort, held.
pub struct HeldAborts(MutexGuard<'static, Option<std::collections::HashMap<u64, Abort>>>);

impl HeldAborts {
    fn drain(&mut self) -> impl Iterator<Item = (u64, Abort)> {
        self.0.take().unwrap_or_default().into_iter()
    }
}

/// Holds the list of uploads to abort: start an upload and register it
/// under one hold, so that a signal between the two cannot orphan it.
pub fn hold_aborts() -> HeldAborts {
    HeldAborts(ABORTS.lock().unwrap_or_else(PoisonError::into_inner))
}

/// An upload on the abort list while it is unfinished.
pub struct AbortOnSignal(Option<u64>);

impl AbortOnSignal {
    /// Puts `abort` on the list (held by the caller).
    pub fn register_held(held: &mut HeldAborts, abort: Abort) -> AbortOnSignal {
        let id = NEXT_ABORT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        held.0
            .get_or_insert_with(std::collections::HashMap::new)
            .insert(id, abort);
        AbortOnSignal(Some(id))
    }

    /// Takes the upload off the list: it was completed or aborted.
    pub fn disarm(&mut self) {
        if let Some(id) = self.0.take() {
            if let Some(list) = hold_aborts().0.as_mut() {
                list.remove(&id);
            }
        }
    }
}

impl Drop for AbortOnSignal {
    fn drop(&mut self) {
        self.disarm();
    }
}

/// Forgets a temporary file: it was committed or removed.
pub fn unregister(path: &Path) {
    if let Some(set) = pending().as_mut() {
        set.remove(path);
    }
}

/// Holds the registry while a temporary file is renamed into place, so that
/// a signal arriving meanwhile waits until the rename is done.
pub fn hold() -> Pending {
    pending()
}
