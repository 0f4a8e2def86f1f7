//! The `binkit gzip` command: files in place (FILE -> FILE.gz and back),
//! or stdin to stdout, or `-t` to test.
//!
//! A file is replaced only after its counterpart is complete and fsynced;
//! a decompression that fails late leaves no output file and the input
//! untouched. With several files, each failure is reported and the others
//! still run; the status is then 2.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::decode::{Gunzip, Limits};
use super::encode::GzipEncode;
use crate::cli::GzipArgs;
use crate::error::{Error, Outcome, Place, Result};
use crate::io::progress::Tracked;
use crate::io::size::parse_size;
use crate::io::{drive, Input, Output};

/// `binkit gzip`.
///
/// # Errors
/// The error of a single file, or [`Error::Reported`] when several failed.
pub fn run(args: &GzipArgs) -> Result<Outcome> {
    let limits = Limits {
        max_output: args
            .max_output
            .as_deref()
            .map(parse_size)
            .transpose()
            .map_err(Error::Usage)?,
        max_ratio: args.max_ratio,
        ignore_trailing: args.ignore_trailing,
    };
    let stdin = [PathBuf::from("-")];
    let files = if args.files.is_empty() {
        &stdin[..]
    } else {
        &args.files[..]
    };
    if files.len() == 1 {
        return one(args, &files[0], &limits).map(|()| Outcome::Yes);
    }
    let mut failed = false;
    for file in files {
        if let Err(e) = one(args, file, &limits) {
            let _ = writeln!(std::io::stderr(), "binkit gzip: {e}");
            failed = true;
        }
    }
    if failed {
        Err(Error::Reported)
    } else {
        Ok(Outcome::Yes)
    }
}

/// Compresses, decompresses or tests one file (or stdin).
fn one(args: &GzipArgs, file: &Path, limits: &Limits) -> Result<()> {
    let is_stdin = file == Path::new("-");
    let mut input = Input::open(Some(file))?;
    let (from, size) = (input.place().clone(), input.size());
    let mut reader = Tracked::new(&mut input, size, args.quiet);
    if args.test {
        let stage = Gunzip::new(std::io::sink(), *limits);
        drive(&mut reader, stage, &from, &Place::Stdout)?;
        return Ok(());
    }
    let target = if args.stdout || is_stdin {
        None
    } else {
        Some(target_name(file, args.decompress)?)
    };
    let output = Output::create(target.as_deref(), args.force)?;
    let to = output.place().clone();
    let output = if args.decompress {
        drive(&mut reader, Gunzip::new(output, *limits), &from, &to)?
    } else {
        drive(
            &mut reader,
            GzipEncode::new(output, args.level_value()),
            &from,
            &to,
        )?
    };
    reader.finish();
    output.commit()?;
    if target.is_some() && !args.keep {
        std::fs::remove_file(file).map_err(|e| Error::io("remove input", &from, e))?;
    }
    Ok(())
}

/// FILE -> FILE.gz; FILE.gz -> FILE and FILE.tgz -> FILE.tar.
fn target_name(file: &Path, decompress: bool) -> Result<PathBuf> {
    let name = file.as_os_str().to_string_lossy();
    let refuse = |what: &str| Error::Refused {
        what: what.into(),
        place: Place::File(file.to_path_buf()),
    };
    if !decompress {
        if name.ends_with(".gz") || name.ends_with(".tgz") {
            return Err(refuse("already has a .gz suffix"));
        }
        let mut out = file.as_os_str().to_owned();
        out.push(".gz");
        return Ok(PathBuf::from(out));
    }
    let stem = |suffix: &str| {
        file.to_str()
            .and_then(|f| f.strip_suffix(suffix))
            .filter(|s| !s.is_empty() && !s.ends_with('/'))
    };
    if let Some(base) = stem(".gz") {
        return Ok(PathBuf::from(base));
    }
    if let Some(base) = stem(".tgz") {
        return Ok(PathBuf::from(format!("{base}.tar")));
    }
    Err(refuse("unknown suffix: expected .gz or .tgz"))
}
