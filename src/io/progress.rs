//! Progress bars on stderr for long file jobs.
//!
//! Shown only when stderr is a terminal, the input is a file of at least
//! [`PROGRESS_MIN_BYTES`], and `-q` is off: never on a pipe or in CI.

use std::io::{self, IsTerminal, Read};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this finish too fast to need a bar.
pub const PROGRESS_MIN_BYTES: u64 = 64 << 20;

/// A reader that advances a progress bar, when one is wanted.
pub struct Tracked<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Tracked<R> {
    /// Wraps `inner`, whose total size is `len` when known.
    pub fn new(inner: R, len: Option<u64>, quiet: bool) -> Tracked<R> {
        let wanted = !quiet && io::stderr().is_terminal();
        let bar = len.filter(|&n| wanted && n >= PROGRESS_MIN_BYTES).map(|n| {
            let bar = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("the template is valid");
            bar.with_style(style)
        });
        Tracked { inner, bar }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}
