//! The `binkit grep-log` command: arguments to [`Options`], inputs (files,
//! `-r` walks, stdin; gzip recognised by its magic bytes), several inputs
//! searched at once with their output kept in input order, and grep's
//! exit status (0 selected, 1 none, 2 error).

use std::fs::File;
use std::io::{self, Cursor, IsTerminal, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use regex::bytes::RegexBuilder;

use super::level::LevelFilter;
use super::search::{paint, Found, Options, Searcher, NAME_COLOR, SEPARATOR_COLOR};
use super::split;
use super::stats::Stats;
use super::time::parse_time_arg;
use crate::cli::GrepLogArgs;
use crate::error::{sanitize, Corruption, Error, Outcome, Result};
use crate::gzip::decode::{Gunzip, GunzipReader, Limits};
use crate::io::ordered::default_threads;
use crate::io::size::parse_size;
use crate::io::threaded::ReadAhead;
use crate::io::{pump, read_head, Stage};

/// `binkit grep-log`.
///
/// # Errors
/// Usage errors; [`Error::Reported`] when an input failed.
pub fn run(args: &GrepLogArgs) -> Result<Outcome> {
    let (opts, paths) = options(args)?;
    let single = paths.len() <= 1 && !args.recursive;
    let inputs = inputs(args, &paths);
    let opts = Arc::new(opts);
    let threads = args.threads.unwrap_or_else(default_threads).max(1);
    let mut stdout = io::BufWriter::with_capacity(256 * 1024, io::stdout());
    let mut summary = Summary::default();
    // -q stops at the first input with a selected line: one at a time.
    let failed = if threads == 1 || single || opts.quiet {
        let mut failed = false;
        for input in inputs {
            if opts.quiet && summary.selected {
                break;
            }
            let mut out = Separated {
                inner: &mut stdout,
                separate: (opts.context_groups() && summary.printed).then_some(opts.color),
                wrote: false,
            };
            let result = search_input(&input, &opts, &mut out);
            summary.printed |= out.wrote;
            failed |= summary.report(&input, result, &opts, &mut stdout)?;
        }
        failed
    } else {
        super::parallel::search_all(inputs, &opts, threads, &mut summary, &mut stdout)?
    };
    if let Some(stats) = &summary.stats {
        let text = if args.json {
            format!("{}\n", stats.to_json())
        } else {
            stats.render(opts.color)
        };
        write_out(&mut stdout, text.as_bytes())?;
    }
    stdout
        .flush()
        .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
    // grep -q: a selected line means 0 even after an error.
    if (failed || summary.failed) && !(opts.quiet && summary.selected) {
        Err(Error::Reported)
    } else if summary.selected {
        Ok(Outcome::Yes)
    } else {
        Ok(Outcome::No)
    }
}

pub(super) fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<()> {
    out.write_all(bytes)
        .map_err(|e| Error::io("write", &crate::Place::Stdout, e))
}

/// The options, and the paths left after the pattern.
fn options(args: &GrepLogArgs) -> Result<(Options, Vec<PathBuf>)> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let level = args
        .level
        .as_deref()
        .map(LevelFilter::parse)
        .transpose()
        .map_err(Error::Usage)?;
    let time = |t: &Option<String>| t.as_deref().map(|t| parse_time_arg(t, now)).transpose();
    let since = time(&args.since).map_err(Error::Usage)?;
    let until = time(&args.until).map_err(Error::Usage)?;
    let filtering = level.is_some() || since.is_some() || until.is_some() || args.stats;
    let mut rest = args.args.clone();
    let mut patterns = args.patterns.clone();
    if patterns.is_empty() {
        let first_is_path = rest
            .first()
            .is_some_and(|p| p.as_os_str() == "-" || p.exists());
        if !(rest.is_empty() || filtering && first_is_path) {
            let pattern = rest.remove(0);
            patterns.push(pattern.to_string_lossy().into_owned());
        }
    }
    if patterns.is_empty() && !filtering {
        return Err(Error::Usage(
            "no pattern: give PATTERN, -e PATTERN, or --level/--since/--until/--stats".into(),
        ));
    }
    let matcher = if patterns.is_empty() {
        None
    } else {
        let alternatives: Vec<String> = patterns
            .iter()
            .map(|p| {
                let p = if args.fixed_strings {
                    regex::escape(p)
                } else {
                    p.clone()
                };
                if args.line_regexp {
                    format!("^(?:{p})$")
                } else {
                    format!("(?:{p})")
                }
            })
            .collect();
        let re = RegexBuilder::new(&alternatives.join("|"))
            .case_insensitive(args.ignore_case)
            .multi_line(true)
            .unicode(false)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| Error::Usage(format!("bad pattern: {e}")))?;
        Some(re)
    };
    let context = args.context.unwrap_or(0);
    let color = args.color.enabled(io::stdout().is_terminal());
    let max_line = parse_size(&args.max_line).map_err(Error::Usage)?;
    let several = rest.len() > 1 || args.recursive;
    let opts = Options {
        matcher,
        word: args.word_regexp,
        invert: args.invert_match,
        count: args.count,
        files_with_matches: args.files_with_matches,
        quiet: args.quiet,
        byte_offset: args.byte_offset,
        no_messages: args.no_messages,
        only_matching: args.only_matching,
        line_number: args.line_number,
        with_filename: if args.no_filename {
            false
        } else {
            args.with_filename || several
        },
        before: args.before_context.unwrap_or(context),
        after: args.after_context.unwrap_or(context),
        max_count: args.max_count,
        text: args.text,
        max_line: usize::try_from(max_line).unwrap_or(usize::MAX),
        level,
        level_hits: level.map(LevelFilter::candidates),
        since,
        until,
        now,
        json: args.json && !args.stats,
        stats: args.stats,
        color,
    };
    Ok((opts, rest))
}

/// One thing to search.
pub(super) enum Input {
    Stdin,
    /// A file; `walked`: found by -r (binary files are skipped silently).
    File {
        path: PathBuf,
        walked: bool,
    },
    /// A walk error.
    Failed(String),
}

/// The inputs, as the walk finds them: searching starts before a large
/// tree is walked, and the walk is never held in memory.
fn inputs(args: &GrepLogArgs, paths: &[PathBuf]) -> Box<dyn Iterator<Item = Input> + Send> {
    let default = PathBuf::from(if args.recursive { "." } else { "-" });
    let paths = if paths.is_empty() {
        vec![default]
    } else {
        paths.to_vec()
    };
    let (recursive, follow) = (args.recursive, args.follow);
    Box::new(
        paths
            .into_iter()
            .flat_map(move |path| -> Box<dyn Iterator<Item = Input> + Send> {
                if path.as_os_str() == "-" {
                    return Box::new(std::iter::once(Input::Stdin));
                }
                if !(recursive && path.is_dir()) {
                    return Box::new(std::iter::once(Input::File {
                        path,
                        walked: false,
                    }));
                }
                let walker = walkdir::WalkDir::new(path)
                    .follow_links(follow)
                    .sort_by_file_name();
                Box::new(walker.into_iter().filter_map(|entry| match entry {
                    Ok(e) if e.file_type().is_file() => Some(Input::File {
                        path: e.into_path(),
                        walked: true,
                    }),
                    Ok(_) => None,
                    Err(e) => Some(Input::Failed(e.to_string())),
                }))
            }),
    )
}

fn name_of(input: &Input) -> Vec<u8> {
    match input {
        Input::Stdin => b"(standard input)".to_vec(),
        Input::File { path, .. } => path.as_os_str().as_bytes().to_vec(),
        Input::Failed(_) => Vec::new(),
    }
}

/// Searches one input into `out`; its name goes into prefixes.
pub(super) fn search_input(
    input: &Input,
    opts: &Options,
    out: &mut dyn Write,
) -> std::result::Result<Found, String> {
    let name = name_of(input);
    let shown = sanitize(&String::from_utf8_lossy(&name));
    let failed = |e: io::Error| describe(&shown, &e);
    let (mut src, walked, size): (Box<dyn Read + Send>, bool, Option<u64>) = match input {
        Input::Failed(message) => return Err(message.clone()),
        Input::Stdin => (Box::new(io::stdin()), false, None),
        Input::File { path, walked } => {
            if path.is_dir() {
                return Err(format!("{shown}: is a directory (use -r)"));
            }
            let file = File::open(path).map_err(failed)?;
            let size = file.metadata().map_err(failed)?.len();
            if split::applies(opts, size) && !is_gzip_file(&file).map_err(failed)? {
                if let Some(found) =
                    split::count_in_halves(&file, size, opts, *walked).map_err(failed)?
                {
                    return Ok(found);
                }
            }
            (Box::new(file), *walked, Some(size))
        }
    };
    // Gzip by its magic bytes, whatever the name.
    let head = read_head(&mut src, 2).map_err(failed)?;
    let is_gzip = head == [0x1f, 0x8b];
    let rest = Cursor::new(head).chain(src);
    // Large gzip inputs are inflated on a thread of their own; small ones
    // here, where a thread would cost more than it saves.
    let mut reader: Box<dyn Read> = if is_gzip && size.is_some_and(|s| s < INLINE_GZIP) {
        Box::new(GunzipReader::new(rest, Limits::default()))
    } else if is_gzip {
        Box::new(ReadAhead::from_producer(move |out| inflate(rest, out)))
    } else {
        Box::new(rest)
    };
    // -r skips binary files (gzipped text is text).
    Searcher::new(opts, out, &name)
        .skip_binary(walked)
        .search(&mut reader)
        .map_err(failed)
}

fn is_gzip_file(file: &File) -> io::Result<bool> {
    let mut magic = [0; 2];
    let n = std::os::unix::fs::FileExt::read_at(file, &mut magic, 0)?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

/// Gzip files smaller than this are inflated on the searching thread.
const INLINE_GZIP: u64 = 1 << 20;

/// Decompresses all members of `src` into `out` (on the reading thread).
fn inflate(mut src: impl Read, out: &mut dyn Write) -> io::Result<()> {
    let mut stage = Gunzip::new(out, Limits::default());
    pump(&mut src, &mut stage).map_err(|e| match e {
        crate::io::PumpError::Read(e) | crate::io::PumpError::Write(e) => e,
    })?;
    stage.finish().map(drop)
}

fn describe(name: &str, e: &io::Error) -> String {
    match Corruption::find(e) {
        Some(c) => format!(
            "{name}: {} (at byte {} of the compressed data)",
            c.what, c.offset
        ),
        None => format!("{name}: {e}"),
    }
}

/// An input's output that starts with grep's `--` when context groups of
/// an earlier input were printed.
pub(super) struct Separated<'a> {
    pub(super) inner: &'a mut dyn Write,
    /// Write `--` first (in colour or not).
    pub(super) separate: Option<bool>,
    pub(super) wrote: bool,
}

impl Write for Separated<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.wrote && !buf.is_empty() {
            if let Some(color) = self.separate {
                paint(self.inner, color, SEPARATOR_COLOR, b"--")?;
                self.inner.write_all(b"\n")?;
            }
            self.wrote = true;
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What all inputs together found.
#[derive(Default)]
pub(super) struct Summary {
    /// Some input printed lines.
    pub(super) printed: bool,
    selected: bool,
    failed: bool,
    stats: Option<Stats>,
}

impl Summary {
    /// Prints what comes after an input's lines (count, name, notes);
    /// returns true when it failed.
    pub(super) fn report(
        &mut self,
        input: &Input,
        result: std::result::Result<Found, String>,
        opts: &Options,
        out: &mut dyn Write,
    ) -> Result<bool> {
        let found = match result {
            Ok(found) => found,
            Err(message) => {
                out.flush()
                    .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                if !opts.no_messages {
                    let _ = writeln!(io::stderr(), "binkit grep-log: {message}");
                }
                return Ok(true);
            }
        };
        if found.skipped_binary {
            return Ok(false);
        }
        let name = name_of(input);
        self.selected |= found.lines > 0;
        if let Some(stats) = &found.stats {
            self.stats.get_or_insert_with(Stats::default).merge(stats);
            return Ok(false);
        }
        if opts.quiet {
            return Ok(false);
        }
        if opts.count {
            let mut line = Vec::new();
            if opts.with_filename {
                paint(&mut line, opts.color, NAME_COLOR, &name)
                    .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                paint(&mut line, opts.color, SEPARATOR_COLOR, b":")
                    .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            }
            line.extend_from_slice(format!("{}\n", found.lines).as_bytes());
            write_out(out, &line)?;
        } else if opts.files_with_matches && found.lines > 0 {
            let mut line = Vec::new();
            paint(&mut line, opts.color, NAME_COLOR, &name)
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            line.push(b'\n');
            write_out(out, &line)?;
        }
        let shown = sanitize(&String::from_utf8_lossy(&name));
        if found.binary_matched && !opts.count && !opts.files_with_matches {
            out.flush()
                .map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
            let _ = writeln!(
                io::stderr(),
                "binkit grep-log: {shown}: binary file matches"
            );
        }
        if found.too_long > 0 {
            let _ = writeln!(
                io::stderr(),
                "binkit grep-log: {shown}: skipped {} line(s) longer than --max-line",
                found.too_long
            );
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_names() {
        assert_eq!(name_of(&Input::Stdin), b"(standard input)");
        let input = Input::File {
            path: PathBuf::from("a/b.log"),
            walked: false,
        };
        assert_eq!(name_of(&input), b"a/b.log");
    }
}
