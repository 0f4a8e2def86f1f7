//! Everything that touches files, terminals and signals, so that the
//! transforms elsewhere in the library stay pure.

pub mod input;
pub mod ordered;
pub mod output;
pub mod progress;
pub mod pump;
pub mod s3;
pub mod signals;
pub mod size;
pub mod stdio;
pub mod threaded;
pub mod walk;

pub use input::Input;
pub use output::{AtomicFile, Output, SyncedFile};
pub use pump::{drive, pump, pump_with, read_head, PumpError, Stage, BUF_SIZE, MAX_STAGE_BYTES};
