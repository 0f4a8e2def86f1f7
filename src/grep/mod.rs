//! `binkit grep-log`: grep for logs. Searches whole chunks like ripgrep,
//! reads gzip by its magic bytes in-process on its own thread, and selects
//! records (a timestamped line and its untimestamped followers) by level
//! and time.

mod input;
pub mod level;
mod parallel;
pub mod reader;
mod report;
pub mod run;
pub mod search;
pub mod split;
pub mod stats;
pub mod time;
