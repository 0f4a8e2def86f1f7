//! The `binkit` binary: parse, install signal cleanup, dispatch, exit.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use binkit::cli::Cli;

/// Runs before the Rust runtime replaces closed standard descriptors with
/// `/dev/null`, so that a closed stdout or stdin is an error (EBADF), as
/// with GNU tools, not a silent success. The project's first unsafe-lint
/// exception: an attribute placing a function pointer in `.init_array`; the
/// function makes two `fcntl` calls and stores an atomic, nothing that
/// needs the runtime.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
#[used]
#[link_section = ".init_array"]
static RECORD_CLOSED_STDIO: extern "C" fn() = record_closed_stdio;

#[cfg(target_os = "linux")]
extern "C" fn record_closed_stdio() {
    binkit::io::stdio::record_closed_at_start();
}

/// glibc raises its mmap threshold each time a large block is freed, up to
/// 32 MiB, so that a decoder's dictionary freed after one file (8 MiB for
/// `xz -6`) stays in the heap and the next file's is allocated anew beside
/// it: two grep-log threads on rotated .xz logs then peaked at 36 MiB in
/// one run of two, 27 MiB in the other. A fixed threshold of 1 MiB keeps
/// blocks that large in mmap, returned when freed, and everything smaller
/// (the 256 KiB chunks) in the heap as before. The second unsafe-lint
/// exception: one `mallopt` call, before any thread exists.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn fix_mmap_threshold() {
    // SAFETY: mallopt takes two ints and only sets allocator parameters;
    // called first in main, before any other thread allocates.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn main() -> ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fix_mmap_threshold();
    let args = binkit::cli::spellings(std::env::args_os());
    if let Some(why) = binkit::cli::foreign_word(&args) {
        let sub = args[1].to_string_lossy();
        let line = binkit::messages::printable_str(&why);
        binkit::messages::report_line(&format!("binkit {sub}: {line} (see 'binkit {sub} --help')"));
        return ExitCode::from(2);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
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

/// `--help` and `--version` as clap prints them; a usage error as one line
/// (DESIGN.md), `binkit <subcommand>: invalid value '0' for '--threads <N>': ...`,
/// exit 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        if !e.use_stderr() && binkit::io::stdio::stdout_closed() {
            binkit::messages::report_line("binkit: cannot write: bad file descriptor (<stdout>)");
            return ExitCode::from(2);
        }
        let _ = e.print();
        return if e.use_stderr() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let text = e.to_string();
    let line = text.lines().next().unwrap_or_default();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    let command = std::env::args_os().nth(1).and_then(|arg| {
        Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .find(|name| arg == name.as_str())
    });
    // The name is clap's own, a known subcommand; `line` quotes the user's
    // argument, made printable like any name in a message.
    let line = binkit::messages::printable_str(line);
    match command {
        Some(name) => binkit::messages::report_line(&format!(
            "binkit {name}: {line} (see 'binkit {name} --help')"
        )),
        None => binkit::messages::report_line(&format!("binkit: {line} (see 'binkit --help')")),
    }
    ExitCode::from(2)
}
