//! `binkit grep-log`: grep for logs. Searches whole chunks like ripgrep,
//! reads gzip, xz, zstd and bzip2 by their magic bytes in-process on a thread of their own, and selects
//! records (a timestamped line and its untimestamped followers) by level
//! and time.

pub(crate) mod compressed;
mod input;
mod level;
mod matcher;
mod names;
mod parallel;
mod print;
mod reader;
mod report;
mod run;
mod search;
mod split;
mod stats;
mod syntax;
mod time;

pub use level::{Level, LevelFilter};
pub use matcher::Matcher;
pub use print::{for_options as printer, Colors};
pub(crate) use run::run;
pub use search::{Counting, Found, Line, Options, Searcher, Sink};
pub use stats::Stats;
#[cfg(any(fuzzing, test))]
pub(crate) use {
    level::{heading_level, level_of},
    syntax::{translate, Syntax},
    time::{parse_time_arg, stamp_of, stamp_shaped, timestamp_of},
};
