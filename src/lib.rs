//! binkit: streaming tools for binary data.
//!
//! Every subcommand is a pipeline: an [`io::Input`] is pumped through one
//! buffer ([`io::pump()`]) into a chain of [`io::Stage`]s (`Write` adapters
//! that hold back at most a bounded number of bytes) and out to an
//! [`io::Output`], which is stdout or a file that appears atomically when
//! the job succeeded. The pure stages ([`b64`], [`hexdump`]) know nothing of
//! files or terminals and can be used on their own.

pub mod b64;
pub mod chunks;
pub mod cli;
pub mod completions;
pub mod crypt;
mod error;
/// Entry points for the cargo-fuzz targets in `fuzz/` (built with
/// `--cfg fuzzing`, and by the unit tests).
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
pub mod grep;
pub mod gzip;
pub mod hexdump;
pub mod io;
pub mod json;
pub mod messages;
pub mod paths;
pub mod sniff;

pub use error::{Corruption, Error, Outcome, Place, Result};

/// Runs the subcommand that `cli` names.
///
/// # Errors
/// Whatever the subcommand fails with; `main` prints it and exits 2.
pub fn dispatch(cli: &cli::Cli) -> Result<Outcome> {
    if let Some(url) = &cli.endpoint_url {
        io::s3::set_endpoint(url);
    }
    io::s3::set_verbose(cli.s3_verbose);
    let outcome = run(cli);
    if let (true, Some(stats)) = (cli.s3_verbose, io::s3::stats()) {
        stats.report();
    }
    outcome
}

fn run(cli: &cli::Cli) -> Result<Outcome> {
    match &cli.cmd {
        cli::Cmd::B64(args) => b64::run(args),
        cli::Cmd::Hexdump(args) => hexdump::run(args),
        cli::Cmd::Split(args) => chunks::split(args),
        cli::Cmd::Join(args) => chunks::join(args),
        cli::Cmd::Gzip(args) => gzip::run(args),
        cli::Cmd::Sniff(args) => sniff::run(args),
        cli::Cmd::GrepLog(args) => grep::run(args),
        cli::Cmd::Encrypt(args) => crypt::encrypt(args),
        cli::Cmd::Decrypt(args) => crypt::decrypt(args),
        cli::Cmd::Completions(args) => completions::run(args),
    }
}
