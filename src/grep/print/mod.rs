//! The printers: sinks for what the searcher finds. [`Standard`] writes
//! grep's lines, [`Summary`] counts and names (`-c`, `-l`, `-L`, `-q`),
//! [`Json`] ripgrep's JSON Lines and [`Tally`] the `--stats` counts.

mod color;
mod json;
mod standard;
mod summary;

pub use color::{colors, paint, Colors};
pub use json::{summary_message, Json, Totals};
pub use standard::Standard;
pub use summary::Summary;

use std::io::{self, Write};

use super::search::{Found, Line, Options, Sink};
use super::stats::Stats;

/// The printer `opts` ask for, writing the input `name`'s output to `out`
/// (`size`: the input's, when known, for `-T`).
pub fn for_options<'a>(
    opts: &'a Options,
    out: &'a mut dyn Write,
    name: &'a [u8],
    size: Option<u64>,
) -> Box<dyn Sink + 'a> {
    if opts.stats {
        Box::new(Tally::default())
    } else if opts.json {
        Box::new(Json::new(opts, out, name))
    } else if opts.count || opts.files_with_matches || opts.quiet {
        Box::new(Summary::new(opts, out, name))
    } else {
        Box::new(Standard::new(opts, out, name, size))
    }
}

/// The line between context groups (`--` unless `--group-separator`),
/// within an input and between inputs: the one writer of it.
///
/// # Errors
/// The writer's.
pub fn write_separator(out: &mut dyn Write, opts: &Options) -> io::Result<()> {
    if let Some(separator) = opts.separator() {
        paint(out, opts.color, &colors().separator, separator)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `--stats`: the selected lines counted by level and time.
#[derive(Default)]
pub struct Tally(Stats);

impl Sink for Tally {
    fn matched(&mut self, line: &Line) -> io::Result<bool> {
        self.0.add(line.level, line.time.map(|t| t.secs));
        Ok(true)
    }
    fn context(&mut self, _: &Line) -> io::Result<()> {
        Ok(())
    }
    fn context_break(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn binary_matched(&mut self, line: &Line) -> io::Result<bool> {
        self.matched(line)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, found: &mut Found) -> io::Result<()> {
        found.stats = Some(std::mem::take(&mut self.0));
        Ok(())
    }
}
