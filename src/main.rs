//! The `binkit` binary: parse, install signal cleanup, dispatch, exit.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use binkit::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse(); // clap prints usage errors itself and exits 2
    binkit::io::signals::install_cleanup();
    match binkit::dispatch(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) if e.is_stdout_broken_pipe() => ExitCode::SUCCESS,
        Err(binkit::Error::Reported) => ExitCode::from(2),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "binkit {}: {e}", cli.name());
            ExitCode::from(2)
        }
    }
}
