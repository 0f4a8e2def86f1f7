//! Shell completions and the man page, generated from the clap definition.
//!
//! `binkit completions --write completions/` refreshes the committed files;
//! a test regenerates them and fails when they are stale.

use std::fs;
use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell as Generator;

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::error::{Error, Outcome, Place, Result};

/// File names in `completions/`, one per shell.
pub const SCRIPTS: [(Shell, &str); 5] = [
    (Shell::Bash, "binkit.bash"),
    (Shell::Zsh, "_binkit"),
    (Shell::Fish, "binkit.fish"),
    (Shell::Powershell, "_binkit.ps1"),
    (Shell::Elvish, "binkit.elv"),
];

/// File name of the man page in `completions/`.
pub const MAN_PAGE: &str = "binkit.1";

/// The completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let generator = match shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
        Shell::Powershell => Generator::PowerShell,
        Shell::Elvish => Generator::Elvish,
    };
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), "binkit", &mut out);
    out
}

/// The man page, in roff.
///
/// # Errors
/// Never in practice: rendering writes into memory.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

/// One man page per subcommand, `binkit-gzip.1` and so on, which the main
/// page's SEE ALSO names: file names and roff.
///
/// # Errors
/// Never in practice: rendering writes into memory.
pub fn subcommand_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut top = Cli::command();
    top.build();
    let mut pages = Vec::new();
    for sub in top.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("binkit-{}", sub.get_name());
        let mut out = Vec::new();
        clap_mangen::Man::new(sub.clone().display_name(name.clone())).render(&mut out)?;
        pages.push((format!("{name}.1"), out));
    }
    Ok(pages)
}

/// Writes every script and the man pages into `dir`.
///
/// # Errors
/// The first file that cannot be written.
pub fn write_all(dir: &Path) -> Result<()> {
    let place = |name: &str| Place::File(dir.join(name));
    for (shell, name) in SCRIPTS {
        fs::write(dir.join(name), script(shell))
            .map_err(|e| Error::io("write", &place(name), e))?;
    }
    let man = man_page().map_err(|e| Error::io("write", &place(MAN_PAGE), e))?;
    fs::write(dir.join(MAN_PAGE), man).map_err(|e| Error::io("write", &place(MAN_PAGE), e))?;
    let pages = subcommand_pages().map_err(|e| Error::io("write", &place(MAN_PAGE), e))?;
    for (name, page) in pages {
        fs::write(dir.join(&name), page).map_err(|e| Error::io("write", &place(&name), e))?;
    }
    Ok(())
}

pub(crate) fn run(args: &CompletionsArgs) -> Result<Outcome> {
    if let Some(dir) = &args.write {
        write_all(dir)?;
        return Ok(Outcome::Yes);
    }
    let bytes = match args.shell {
        Some(shell) => script(shell),
        None => man_page().map_err(|e| Error::io("write", &Place::Stdout, e))?,
    };
    crate::io::stdio::stdout()
        .write_all(&bytes)
        .map_err(|e| Error::io("write", &Place::Stdout, e))?;
    Ok(Outcome::Yes)
}
