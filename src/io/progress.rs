//! Progress bars on stderr for long file jobs.
//!
//! Shown only when stderr is a terminal, the input is a file of at least
//! [`PROGRESS_MIN_BYTES`], and `-q` is off: never on a pipe or in CI.

use std::io::{self, IsTerminal, Read};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Place;

/// Longest file name shown before a bar; longer ones keep their end.
const NAME_CHARS: usize = 24;

/// The input's file name as the bar shows it: the last component, made
/// printable, its last [`NAME_CHARS`] characters.
fn short_name(from: &Place) -> String {
    let name = match from {
        Place::File(path) => {
            let last = path.file_name().unwrap_or(path.as_os_str());
            crate::messages::printable(last)
        }
        other => other.to_string(),
    };
    let count = name.chars().count();
    if count <= NAME_CHARS {
        return name;
    }
    let tail: String = name.chars().skip(count - (NAME_CHARS - 1)).collect();
    format!("…{tail}")
}

/// Inputs smaller than this finish too fast to need a bar.
pub const PROGRESS_MIN_BYTES: u64 = 64 << 20;

/// A reader that advances a progress bar, when one is wanted.
pub struct Tracked<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Tracked<R> {
    /// Wraps `inner`, read from `from`, whose total size is `len` when
    /// known. The bar names the file and fits the terminal's width (it
    /// wrapped at 80 columns, issue 13).
    pub fn new(inner: R, from: &Place, len: Option<u64>, quiet: bool) -> Tracked<R> {
        let wanted = !quiet && io::stderr().is_terminal();
        let bar = len.filter(|&n| wanted && n >= PROGRESS_MIN_BYTES).map(|n| {
            let bar = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{prefix} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("the template is valid");
            bar.with_style(style).with_prefix(short_name(from))
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
