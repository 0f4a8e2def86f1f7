//! `binkit hexdump`: hex dumps byte-identical to `xxd`, `xxd -p`, `xxd -i`
//! and `hexdump -C`, in colour if asked, and `-r` to turn them back.
//!
//! Options follow xxd (`-s -l -c -g -u -a -r -p -i`) plus `-C` for the
//! util-linux canonical format. Each format is a [`Stage`](crate::io::Stage)
//! that formats whole lines from the input buffer into a large output
//! buffer through lookup tables; memory is one line of carry plus that
//! buffer, whatever the input size.

mod canonical;
mod color;
mod include;
mod lines;
mod parallel;
mod plain;
mod reverse;
mod xxd;

pub use canonical::CanonicalDump;
pub use color::strip_escapes;
pub use include::IncludeDump;
pub use plain::PlainDump;
pub use reverse::{DumpFormat, PlainUndump, Undump};
pub use xxd::{XxdDump, XxdOptions};

use std::io::{IsTerminal, Read};
use std::os::unix::ffi::OsStrExt;

use crate::cli::{ColorWhen, HexdumpArgs};
use crate::error::{Error, Outcome, Result};
use crate::io::progress::Tracked;
use crate::io::size::Skip;
use crate::io::{drive, Input, Output};

use include::INCLUDE_COLS_DEFAULT;
use plain::PLAIN_COLS_DEFAULT;
use xxd::MAX_COLS;

/// xxd's default bytes per line and per group.
const XXD_COLS_DEFAULT: usize = 16;
const XXD_GROUP_DEFAULT: usize = 2;

pub(crate) fn run(args: &HexdumpArgs) -> Result<Outcome> {
    let cols = columns(args)?;
    let mut input = Input::open(args.file.as_deref())?;
    let output = Output::create(args.out.output.as_deref(), args.out.force)?;
    let (from, to) = (input.place().clone(), output.place().clone());
    if args.reverse {
        let max_gap = args.max_gap;
        let len = input.size();
        let mut reader = Tracked::new(&mut input, len, args.out.quiet);
        let output = match format_of(args) {
            None => drive(&mut reader, PlainUndump::new(output), &from, &to)?,
            Some(format) => drive(
                &mut reader,
                Undump::new(output, format, max_gap).with_max_fill(args.max_fill),
                &from,
                &to,
            )?,
        };
        reader.finish();
        output.commit()?;
        return Ok(Outcome::Yes);
    }
    let start = skip(args, &mut input)?;
    let limit = args.length.unwrap_or(u64::MAX);
    let len = input.size().map(|n| n.saturating_sub(start).min(limit));
    let color = wants_color(args.color, &output);
    let mut reader = Tracked::new((&mut input).take(limit), len, args.out.quiet);
    let output = if args.canonical {
        let stage = CanonicalDump::new(output, start, args.upper, color);
        drive(&mut reader, stage, &from, &to)?
    } else if args.plain {
        drive(
            &mut reader,
            PlainDump::new(output, cols, args.upper),
            &from,
            &to,
        )?
    } else if args.include {
        let stage = IncludeDump::new(output, include_name(args), cols, args.upper);
        drive(&mut reader, stage, &from, &to)?
    } else {
        let group = match args.group {
            Some(g) if (1..=cols).contains(&g) => g,
            Some(_) => cols, // xxd: 0 or more than a line means one group
            None => XXD_GROUP_DEFAULT.min(cols),
        };
        let opts = XxdOptions {
            cols,
            group,
            upper: args.upper,
            color,
            autoskip: args.autoskip,
            start,
        };
        let stage =
            XxdDump::new(output, opts).with_threads(crate::io::ordered::default_threads().get());
        drive(&mut reader, stage, &from, &to)?
    };
    reader.finish();
    output.commit()?;
    Ok(Outcome::Yes)
}

/// The reverse format; `None` for plain hex.
fn format_of(args: &HexdumpArgs) -> Option<DumpFormat> {
    if args.plain {
        None
    } else if args.canonical {
        Some(DumpFormat::Canonical)
    } else if args.include {
        Some(DumpFormat::Include)
    } else {
        Some(DumpFormat::Xxd)
    }
}

/// Bytes per line, with xxd's defaults and limits for each format.
fn columns(args: &HexdumpArgs) -> Result<usize> {
    let too_many = |n| Error::Usage(format!("-c {n}: at most {MAX_COLS} bytes per line"));
    match args.cols {
        Some(n) if args.canonical && n != 16 => {
            Err(Error::Usage("-C always shows 16 bytes per line".into()))
        }
        Some(n) if args.plain => Ok(n),
        Some(n) if n > MAX_COLS => Err(too_many(n)),
        Some(n) if n > 0 => Ok(n),
        _ if args.plain => Ok(PLAIN_COLS_DEFAULT),
        _ if args.include => Ok(INCLUDE_COLS_DEFAULT),
        _ => Ok(XXD_COLS_DEFAULT),
    }
}

/// Applies `-s`; returns the offset of the first byte dumped.
fn skip(args: &HexdumpArgs, input: &mut Input) -> Result<u64> {
    match args.skip {
        None => Ok(0),
        Some(Skip::FromStart(count)) => input.skip(count),
        Some(Skip::FromEnd(count)) => input.skip_to_tail(count),
    }
}

fn include_name(args: &HexdumpArgs) -> Option<String> {
    if let Some(name) = &args.name {
        return Some(name.clone());
    }
    let file = args.file.as_deref().filter(|f| f.as_os_str() != "-")?;
    Some(include::c_name(file.as_os_str().as_bytes()))
}

/// `--color`: auto means stdout is a terminal and `NO_COLOR` is unset.
fn wants_color(when: ColorWhen, output: &Output) -> bool {
    when.enabled(output.is_stdout() && std::io::stdout().is_terminal())
}
