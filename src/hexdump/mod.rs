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
pub use xxd::{Digits, XxdDump, XxdOptions};

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
/// xxd -b's bytes per line.
const BITS_COLS_DEFAULT: usize = 6;

pub(crate) fn run(args: &HexdumpArgs) -> Result<Outcome> {
    if let Some(why) = refused_letter(args) {
        return Err(Error::Usage(why));
    }
    if args.verbose && !args.canonical {
        // xxd -v: the version.
        println!("binkit hexdump {}", env!("CARGO_PKG_VERSION"));
        return Ok(Outcome::Yes);
    }
    let cols = columns(args)?;
    let length = length(args)?;
    let mut input = Input::open(args.file.as_deref())?;
    if let Some(target) = &args.patch {
        return patch(args, &mut input, target).map_err(long_force);
    }
    let output = Output::create(output_path(args)?, args.force).map_err(|e| {
        let e = long_force(e);
        // xxd -r writes into an existing OUTFILE in place: here that is --patch.
        match (&e, &args.outfile) {
            (Error::Refused { what, place }, Some(out))
                if args.reverse && what.contains("exists") =>
            {
                Error::Refused {
                    what: format!(
                        "{what}; xxd -r would write into it: --patch {}",
                        out.display()
                    ),
                    place: place.clone(),
                }
            }
            _ => e,
        }
    })?;
    let (from, to) = (input.place().clone(), output.place().clone());
    if args.reverse {
        let len = input.size();
        let mut reader = Tracked::new(&mut input, &from, len, args.quiet);
        let output = match format_of(args) {
            None => {
                let stage = PlainUndump::new(output).with_base(reverse_base(args)?, args.max_gap);
                drive(&mut reader, stage, &from, &to)?
            }
            Some(format) => drive(
                &mut reader,
                Undump::new(output, format, args.max_gap)
                    .with_max_fill(args.max_fill)
                    .with_base(reverse_base(args)?),
                &from,
                &to,
            )?,
        };
        reader.finish();
        output.commit()?;
        return Ok(Outcome::Yes);
    }
    let skipped = skip(args, &mut input)?;
    // xxd -o: added to the offsets shown.
    let start = skipped.wrapping_add(args.display_offset.unwrap_or(0));
    let limit = length.unwrap_or(u64::MAX);
    input.read_no_further_than(skipped.saturating_add(limit));
    let len = input.size().map(|n| n.saturating_sub(skipped).min(limit));
    let color = wants_color(args.color, &output);
    let mut reader = Tracked::new((&mut input).take(limit), &from, len, args.quiet);
    let output = if args.canonical {
        let stage = CanonicalDump::new(output, start, args.upper, color).squeezing(!args.verbose);
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
        let digits = if args.letter_b {
            Digits::Bits
        } else if args.letter_e {
            Digits::LittleEndian
        } else {
            Digits::Hex
        };
        let group = group(args, digits, cols)?;
        let opts = XxdOptions {
            cols,
            group,
            upper: args.upper,
            color: color && digits == Digits::Hex && !args.letter_d && !args.letter_big_e,
            autoskip: args.autoskip,
            start,
            digits,
            decimal: args.letter_d,
            ebcdic: args.letter_big_e,
        };
        let stage =
            XxdDump::new(output, opts).with_threads(crate::io::ordered::default_threads().get());
        drive(&mut reader, stage, &from, &to)?
    };
    reader.finish();
    output.commit()?;
    Ok(Outcome::Yes)
}

/// A letter that xxd and hexdump(1) read differently, or that binkit does
/// not have, named with what each tool means by it (never a third meaning
/// without a word: DESIGN.md, "No silent divergence").
fn refused_letter(args: &HexdumpArgs) -> Option<String> {
    let not_here = |letter: &str, xxd: &str, hexdump: &str| {
        Some(format!(
            "-{letter} is not supported: in xxd it is {xxd}, in hexdump(1) {hexdump}"
        ))
    };
    if args.canonical {
        if args.letter_b {
            return not_here("b", "the bits dump", "the one-byte octal display");
        }
        if args.letter_d {
            return not_here("d", "decimal offsets", "the two-byte decimal display");
        }
        if args.letter_e {
            return not_here("e", "the little-endian dump", "a format string");
        }
        if args.letter_big_e {
            return Some("-E with -C: xxd's -E is the EBCDIC text column of its own format; hexdump -C has none".into());
        }
    }
    if let Some(why) = variant_conflict(args) {
        return Some(why);
    }
    if args.letter_x {
        return Some(
            "-x is not supported: in hexdump(1) it is the two-byte hex display (xxd has no -x)"
                .into(),
        );
    }
    if args.canonical && (args.include || args.plain) {
        return Some(format!(
            "-C with {}: binkit's -C is hexdump -C's canonical format (in xxd, -C capitalises -i's variable names)",
            if args.include { "-i" } else { "-p" }
        ));
    }
    if args.canonical && args.display_offset.is_some() {
        return Some("-o with -C: in hexdump(1) -o is the two-byte octal display, in xxd an offset added to the addresses shown; binkit has only xxd's, without -C".into());
    }
    if args.canonical && args.group.is_some() {
        return Some("-g with -C: -C always groups 8 and 8 bytes (hexdump(1) has no -g; in xxd it is the bytes per group)".into());
    }
    if args.canonical && args.autoskip {
        return Some("-a with -C: hexdump -C always shows repeated lines as `*` (-v shows them all); -a is xxd's".into());
    }
    if args.name.is_some() && !args.include && !args.canonical {
        return Some(
            "-n is -i's variable name (xxd -n); with -C it is the length (hexdump -n)".into(),
        );
    }
    if args.reverse && args.skip.is_some() && (args.canonical || args.include) {
        return Some(format!(
            "-s with -r {}: xxd -r -s adds an offset to the addresses of xxd's own dumps (default and -p) only",
            if args.canonical { "-C" } else { "-i" }
        ));
    }
    if args.reverse && args.cols.is_some() && !args.plain {
        return Some("-c with -r: xxd -r -c N reads at most N bytes of each line and drops the rest; binkit reads every byte a line holds, whatever its width (no -c needed)".into());
    }
    if args.canonical && args.outfile.is_some() {
        return Some("-C with two files: hexdump(1) dumps them one after the other, xxd writes the second; binkit dumps one FILE (cat them into it) and writes --output FILE".into());
    }
    if args.patch.is_some() && !args.reverse {
        return Some("--patch FILE writes a dump's bytes into FILE: it needs -r".into());
    }
    if args.patch.is_some() && (args.output.is_some() || args.outfile.is_some()) {
        return Some("--patch FILE and --output: the patched file is FILE; give one".into());
    }
    None
}

/// xxd's `-b -e -d -E` where xxd refuses them, ignores them, or binkit
/// cannot honour them.
fn variant_conflict(args: &HexdumpArgs) -> Option<String> {
    // -b, -e, -p and -i: the last one wins (clap's overrides), as in xxd
    // 2022 (later versions refuse two).
    let variant = [
        (args.letter_b, "-b"),
        (args.letter_e, "-e"),
        (args.letter_d, "-d"),
        (args.letter_big_e, "-E"),
    ];
    let (_, letter) = variant.iter().find(|v| v.0)?;
    if args.reverse {
        return Some(format!(
            "{letter} with -r: xxd -r cannot turn -b or -e dumps back, and reads addresses as hex and ignores the text column (-d, -E)"
        ));
    }
    if args.plain || args.include {
        return Some(format!(
            "{letter} with {}: xxd ignores -d and -E there (they change only the default format's addresses and text column)",
            if args.plain { "-p" } else { "-i" }
        ));
    }
    if args.color == ColorWhen::Always {
        return Some(format!(
            "{letter} with -R always: binkit colours only the plain layout (xxd colours its own way)"
        ));
    }
    None
}

/// hexdump's force is `--force` (`-f` is hexdump(1)'s format file): the
/// shared refusals say so.
fn long_force(e: Error) -> Error {
    match e {
        Error::Refused { what, place } => Error::Refused {
            what: what
                .replace("use -f ", "use --force ")
                .replace("(-f ", "(--force "),
            place,
        },
        other => other,
    }
}

/// `--output FILE` or xxd's second name, not both.
fn output_path(args: &HexdumpArgs) -> Result<Option<&std::path::Path>> {
    match (&args.output, &args.outfile) {
        (Some(_), Some(second)) => Err(Error::Usage(format!(
            "two outputs: --output and '{}' (xxd's second name is the output file); give one",
            second.display()
        ))),
        (output, second) => Ok(output.as_deref().or(second.as_deref())),
    }
}

/// `-r -s`: what xxd adds to the addresses it writes (`-s -N` subtracts);
/// beyond what a file offset can be, refused.
fn reverse_base(args: &HexdumpArgs) -> Result<i64> {
    let (n, negative) = match args.skip {
        None => return Ok(0),
        Some(Skip::FromStart(n)) => (n, false),
        Some(Skip::FromEnd(n)) => (n, true),
    };
    let base = i64::try_from(n).map_err(|_| {
        Error::Usage(format!(
            "-s {}{n:#x} with -r: more than the largest file offset",
            if negative { "-" } else { "" }
        ))
    })?;
    Ok(if negative { -base } else { base })
}

/// `-r --patch FILE`: xxd's `xxd -r dump FILE` on an existing FILE, which
/// writes the dump's bytes at its addresses and keeps the rest. binkit
/// does it on a copy of FILE beside it, renamed over FILE only when the
/// whole dump was read: an error or a signal leaves FILE as it was.
fn patch(args: &HexdumpArgs, input: &mut Input, target: &std::path::Path) -> Result<Outcome> {
    let from = input.place().clone();
    let (copy, stamp) = crate::io::output::AtomicFile::patching(target, args.force)?;
    let to = crate::error::Place::File(target.to_path_buf());
    let seek: reverse::Seek<crate::io::output::AtomicFile> = |file, pos| file.seek_to(pos);
    let len = input.size();
    let mut reader = Tracked::new(input, &from, len, args.quiet);
    let copy = match format_of(args) {
        None => {
            let stage = PlainUndump::new(copy)
                .with_base(reverse_base(args)?, args.max_gap)
                .seeking(seek, stamp.size());
            drive(&mut reader, stage, &from, &to)?
        }
        Some(format) => drive(
            &mut reader,
            Undump::new(copy, format, args.max_gap)
                .with_max_fill(args.max_fill)
                .with_base(reverse_base(args)?)
                .seeking(seek, stamp.size()),
            &from,
            &to,
        )?,
    };
    reader.finish();
    // Whatever changed the file meanwhile would be lost under the copy.
    copy.sync()?.commit_over(&stamp)?;
    Ok(Outcome::Yes)
}

/// `-l`, or with -C `-n` (hexdump(1)'s length); both at once must agree.
fn length(args: &HexdumpArgs) -> Result<Option<u64>> {
    let n = match (&args.name, args.canonical) {
        (Some(text), true) => Some(
            crate::io::size::parse_c_size(text)
                .map_err(|e| Error::Usage(format!("-n (the length, with -C): {e}")))?,
        ),
        _ => None,
    };
    match (n, args.length) {
        (Some(n), Some(l)) if n != l => Err(Error::Usage(format!(
            "-n {n} and -l {l}: two lengths (hexdump -n, xxd -l); give one"
        ))),
        (n, l) => Ok(n.or(l)),
    }
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

/// Bytes per group, with xxd's defaults (2; `-b` 1, `-e` 4) and rules: 0
/// or more than a line means one group; with `-e` a group must be a power
/// of 2 and, in binkit, divide the line (xxd 2022 writes the last group's
/// digits over its own text column otherwise).
fn group(args: &HexdumpArgs, digits: Digits, cols: usize) -> Result<usize> {
    let default = match digits {
        Digits::Hex => XXD_GROUP_DEFAULT,
        Digits::Bits => 1,
        Digits::LittleEndian => 4,
    };
    let group = match args.group {
        Some(g) if (1..=cols).contains(&g) => {
            if digits == Digits::LittleEndian && !g.is_power_of_two() {
                return Err(Error::Usage(format!(
                    "-g {g} with -e: number of octets per group must be a power of 2 (as xxd)"
                )));
            }
            g
        }
        Some(_) => cols,
        None => default.min(cols),
    };
    if digits == Digits::LittleEndian && cols % group != 0 {
        return Err(Error::Usage(format!(
            "-e with -c {cols} and groups of {group}: the line must be whole groups (xxd 2022 overwrites its text column there)"
        )));
    }
    Ok(group)
}

/// Bytes per line, with xxd's defaults and limits for each format.
fn columns(args: &HexdumpArgs) -> Result<usize> {
    let too_many = |n| Error::Usage(format!("-c {n}: at most {MAX_COLS} bytes per line"));
    match args.cols {
        Some(n) if args.canonical && n != 16 => Err(Error::Usage(
            "-c with -C: -C always shows 16 bytes per line (in hexdump(1), -c is the character display; in xxd, the bytes per line)".into(),
        )),
        Some(n) if args.plain => Ok(n),
        // xxd limits -c to 256 for its line formats only; -i takes any.
        Some(n) if args.include && n > 0 => Ok(n),
        Some(n) if n > MAX_COLS => Err(too_many(n)),
        Some(n) if n > 0 => Ok(n),
        _ if args.plain => Ok(PLAIN_COLS_DEFAULT),
        _ if args.include => Ok(INCLUDE_COLS_DEFAULT),
        _ if args.letter_b => Ok(BITS_COLS_DEFAULT),
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
    if let Some(name) = args.name.as_ref().filter(|_| !args.canonical) {
        // xxd makes a C name of -n's too: `my-var` is `my_var`.
        return Some(include::c_name(name.as_bytes()));
    }
    let file = args.file.as_deref().filter(|f| f.as_os_str() != "-")?;
    Some(include::c_name(file.as_os_str().as_bytes()))
}

/// `--color`: auto means stdout is a terminal and `NO_COLOR` is unset.
fn wants_color(when: ColorWhen, output: &Output) -> bool {
    when.enabled(output.is_stdout() && std::io::stdout().is_terminal())
}
