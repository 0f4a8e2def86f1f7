//! `binkit grep-log`: grep for logs. Searches whole chunks like ripgrep,
//! reads gzip by its magic bytes in-process on its own thread, and selects
//! records (a timestamped line and its untimestamped followers) by level
//! and time.

mod input;
mod level;
mod names;
mod parallel;
mod reader;
mod report;
mod run;
mod search;
mod split;
mod stats;
mod syntax;
mod time;

pub use level::{Level, LevelFilter};
pub(crate) use run::run;
pub use search::{Found, Options, Searcher};
pub use stats::Stats;
#[cfg(any(fuzzing, test))]
pub(crate) use {
    level::{heading_level, level_of},
    syntax::{translate, Syntax},
    time::timestamp_of,
};
