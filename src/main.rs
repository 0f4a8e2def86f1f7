//! The `binkit` binary: parse, install signal cleanup, dispatch, exit.

use std::process::ExitCode;

use clap::Parser;

use binkit::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse(); // clap prints usage errors itself and exits 2
    binkit::io::signals::install_cleanup();
    binkit::messages::set_command(cli.name());
    match binkit::dispatch(&cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) if e.is_stdout_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            binkit::err_message!("{e}");
            ExitCode::from(2)
        }
    }
}
