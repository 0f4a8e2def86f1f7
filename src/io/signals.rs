//! Removes unfinished output files when the process is interrupted.
//!
//! Temporary outputs register their path here while they exist. On SIGINT
//! or SIGTERM a watcher thread (signal-hook's safe iterator API, so no code
//! runs inside the signal handler itself) deletes them and exits with
//! 128 + the signal number, as a shell expects: 130 and 143.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock cannot leave the list inconsistent.
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Starts the watcher thread. Call once, early in `main`.
///
/// If the handler cannot be installed the process carries on without it:
/// interrupted runs may then leave a temporary file behind, never a target.
pub fn install_cleanup() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            for path in pending().drain(..) {
                let _ = std::fs::remove_file(path);
            }
            std::process::exit(128 + signal);
        }
    });
}

/// Registers a temporary file for removal on interruption.
pub fn register(path: &Path) {
    pending().push(path.to_path_buf());
}

/// Forgets a temporary file: it was committed or removed.
pub fn unregister(path: &Path) {
    pending().retain(|p| p != path);
}

/// Holds the registry while a temporary file is renamed into place, so that
/// a signal arriving meanwhile waits until the rename is done.
pub fn hold() -> MutexGuard<'static, Vec<PathBuf>> {
    pending()
}
