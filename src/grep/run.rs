//! The `binkit grep-log` command: arguments to [`Options`], inputs from the
//! one walker, searched one at a time or several at once (the output kept
//! in input order), and grep's exit status (0 selected, 1 none, 2 error).

use std::io::{self, IsTerminal};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use regex::bytes::RegexBuilder;

use super::input::{is_searched, search_input};
use super::level::LevelFilter;
use super::matcher::Matcher;
use super::names::NameRules;
use super::parallel::search_all;
use super::print::summary_message;
use super::report::{write_out, Separated, Summary};
use super::search::{required_literal, Options};
use super::syntax::{translate, Syntax};
use super::time::parse_time_arg;
use crate::cli::GrepLogArgs;
use crate::error::{Error, Outcome, Result};
use crate::io::ordered::default_threads;
use crate::io::walk::{Entry, Walk, WalkOptions};

/// `binkit grep-log`.
///
/// # Errors
/// Usage errors and write errors on stdout; an input's error is reported
/// as it is met (exit status 2 at the end, as grep).
/// grep-log's bomb guard looks at a member's ratio only past 64 MiB of its
/// output: an early run of blank lines is no bomb (the attack on issue 12's
/// guard found a 7.6:1 log refused), and 64 MiB is searched in well under a
/// second.
const GUNZIP_RATIO_FLOOR: u64 = 64 << 20;

pub fn run(args: &GrepLogArgs) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let (opts, paths) = options(args)?;
    if cannot_select(args, &opts) {
        return Ok(Outcome::No);
    }
    let single = paths.len() <= 1 && !args.walks();
    let follow = args.follow;
    let jobs = crate::io::s3::default_jobs(&paths, default_threads());
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let rules = NameRules::new(&args.include, &args.exclude, &args.exclude_dir, &argv)?;
    let inputs = inputs(args, paths, rules).filter(move |input| is_searched(input, follow));
    let opts = Arc::new(opts);
    let threads = args.threads.unwrap_or(jobs);
    let output =
        crate::io::Output::create(args.output.as_deref(), args.force).map_err(|e| match e {
            Error::Refused { what, place } if what.starts_with("output exists") => Error::Refused {
                what: "output exists; use --force to overwrite it".into(),
                place,
            },
            other => other,
        })?;
    let mut stdout = io::BufWriter::with_capacity(256 * 1024, output);
    let mut summary = Summary::default();
    // -q stops at the first input with a selected line: one at a time.
    if threads.get() == 1 || single || opts.quiet || opts.line_buffered {
        for input in inputs {
            if opts.quiet && summary.selected {
                break;
            }
            let mut out = Separated::new(&mut stdout, &opts, summary.printed);
            let result = search_input(&input, &opts, &mut out);
            summary.printed |= out.wrote;
            summary.report(&input, result, &opts, &mut stdout)?;
        }
    } else {
        search_all(inputs, &opts, threads, &mut summary, &mut stdout)?;
    }
    if opts.json && !opts.quiet {
        let text = summary_message(&summary.totals, started.elapsed());
        write_out(&mut stdout, text.as_bytes())?;
    }
    if let Some(stats) = &summary.stats {
        let text = if args.json {
            format!("{}\n", stats.to_json())
        } else {
            stats.render(opts.color)
        };
        write_out(&mut stdout, text.as_bytes())?;
    }
    let output = stdout
        .into_inner()
        .map_err(|e| Error::io("write", &crate::Place::Stdout, e.into_error()))?;
    output.commit()?;
    Ok(match (summary.selected, opts.quiet) {
        // grep -q: a selected line means 0 even after an error.
        (true, true) => Outcome::YesDespiteErrors,
        (true, false) => Outcome::Yes,
        (false, _) => Outcome::No,
    })
}

/// The inputs, as the walk finds them: searching starts before a large
/// tree is walked, and the walk is never held in memory.
fn inputs(
    args: &GrepLogArgs,
    paths: Vec<PathBuf>,
    rules: NameRules,
) -> impl Iterator<Item = Entry> + Send {
    let default = PathBuf::from(if args.walks() { "." } else { "-" });
    let paths = if paths.is_empty() {
        vec![default]
    } else {
        paths
    };
    let options = WalkOptions {
        recursive: args.walks(),
        follow: args.follow,
        confine: false,
        shard: args.shard,
    };
    if rules.is_empty() {
        return Box::new(Walk::new(paths, options)) as Box<dyn Iterator<Item = Entry> + Send>;
    }
    let rules = Arc::new(rules);
    let dirs = Arc::clone(&rules);
    let walk = Walk::new(paths, options)
        .skipping_dirs(Box::new(move |path, named| dirs.skips_dir(path, named)));
    Box::new(walk.filter(move |entry| match entry {
        Entry::File(found) => rules.searches(found.path(), found.named()),
        _ => true,
    }))
}

/// The options, and the paths left after the pattern.
/// GNU grep's shortcut, copied for byte-identical output: when it is
/// plain that no line can be selected (`-m 0`, `-f` of an empty file, or
/// `-v` with an empty pattern, which every line matches), grep reads nothing and prints
/// nothing, not even `-c`'s counts, and exits 1 (grep.c, "match nothing").
fn cannot_select(args: &GrepLogArgs, opts: &Options) -> bool {
    let plain = opts.level.is_none() && opts.since.is_none() && opts.until.is_none() && !opts.stats;
    let everything = !args.patterns.is_empty() || opts.matcher.is_some();
    let never = opts
        .matcher
        .as_ref()
        .is_some_and(|re| re.as_str() == r"(?:\b\B)");
    plain
        && (opts.max_count == Some(0)
            || (never && !opts.invert)
            || (opts.invert
                && everything
                && !args.line_regexp
                && !args.word_regexp
                && opts
                    .matcher
                    .as_ref()
                    .is_some_and(|re| re.as_str() == "(?:)")))
}

/// A pattern compiled as every grep-log regex is: bytes, ASCII classes,
/// `^`/`$` at line ends, and room to stay on the fast engines.
fn line_regex(
    pattern: &str,
    ignore_case: bool,
) -> std::result::Result<regex::bytes::Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(ignore_case)
        .multi_line(true)
        .unicode(false)
        .size_limit(64 << 20)
        // The lazy DFA's cache. The regex crate's default, 2 MiB, is too
        // small for a counted repetition such as `(a{1,50}){1,50}b`
        // (2,500 states): the search fell back to the PikeVM, 64 s where
        // ripgrep (1000 MiB by default) takes 0.15 s; 16 MiB takes 0.3 s
        // and 22 MB. The cache fills only as states are made, so plain
        // patterns stay small.
        .dfa_size_limit(16 << 20)
        .build()
}

/// `-f FILE`'s patterns: one a line, the last newline ending the last
/// one (a CR stays, as in grep); `-` is stdin. At most 16 MiB.
fn patterns_from(file: &std::path::Path) -> Result<Vec<String>> {
    use std::io::Read;
    const MOST: u64 = 16 << 20;
    let place = crate::Place::File(file.to_path_buf());
    let mut text = Vec::new();
    let read = if file.as_os_str() == "-" {
        crate::io::stdio::stdin().and_then(|s| s.take(MOST + 1).read_to_end(&mut text))
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MOST + 1).read_to_end(&mut text))
    };
    read.map_err(|e| Error::io("read patterns from", &place, e))?;
    if text.len() as u64 > MOST {
        return Err(Error::Usage(format!(
            "-f {}: more than 16 MiB of patterns",
            file.display()
        )));
    }
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let body = text.strip_suffix(b"\n").unwrap_or(&text);
    Ok(body.split(|&b| b == b'\n').map(placeheld).collect())
}

/// First of the characters that stand for the bytes 0x80..=0xFF of a
/// pattern while it is translated (Unicode's private use area).
const PLACE: u32 = 0xF700;

/// A pattern's bytes as text for the translators: ASCII as it is, every
/// other byte (invalid UTF-8 of a Latin-1 log, or a UTF-8 sequence's
/// bytes) as a placeholder character, written back as `\xHH` by
/// [`unplaced`]. So patterns match bytes as grep's do in the C locale:
/// `$'\xe9'` finds a Latin-1 é (it found nothing: the pattern's invalid
/// UTF-8 became U+FFFD), and `[é]` is the set of é's two bytes.
fn placeheld(pattern: &[u8]) -> String {
    pattern
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                char::from(b)
            } else {
                char::from_u32(PLACE + u32::from(b)).expect("private use")
            }
        })
        .collect()
}

/// The translated pattern with each placeholder as the byte escape both
/// engines read on bytes (`regex` without Unicode, PCRE2 without UTF).
fn unplaced(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match u32::from(c).checked_sub(PLACE) {
            Some(b @ 0x80..=0xff) => out.push_str(&format!("\\x{b:02X}")),
            _ => out.push(c),
        }
    }
    out
}

/// `--binary-files`, or `-I` (without-match), or `-a` (text), as grep.
fn binary_files(args: &GrepLogArgs) -> crate::cli::BinaryFiles {
    use crate::cli::BinaryFiles;
    match (args.binary_files, args.skip_binary, args.text) {
        (Some(chosen), _, _) => chosen,
        (None, true, _) => BinaryFiles::WithoutMatch,
        (None, false, true) => BinaryFiles::Text,
        (None, false, false) => BinaryFiles::Binary,
    }
}

/// How the patterns are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// `-F`
    Fixed,
    /// BRE (`-G`, the default) or ERE (`-E`), translated for the regex crate.
    Posix(Syntax),
    /// `-P`, compiled by PCRE2.
    Perl,
}

/// The pattern syntax `-E`, `-F`, `-G` and `-P` ask for; BRE when none is
/// given, as grep. Two different ones are grep's "conflicting matchers
/// specified".
fn matcher_syntax(args: &GrepLogArgs) -> Result<Pattern> {
    let given = [
        (args.extended_regexp, "-E"),
        (args.fixed_strings, "-F"),
        (args.basic_regexp, "-G"),
        (args.perl_regexp, "-P"),
    ];
    let on: Vec<&str> = given.iter().filter(|g| g.0).map(|g| g.1).collect();
    if on.len() > 1 {
        return Err(Error::Usage(format!(
            "{}: conflicting matchers specified (as grep); give one",
            on.join(" ")
        )));
    }
    match on.first().copied() {
        Some("-P") => Ok(Pattern::Perl),
        Some("-E") => Ok(Pattern::Posix(Syntax::Extended)),
        Some("-F") => Ok(Pattern::Fixed),
        _ => Ok(Pattern::Posix(Syntax::Basic)),
    }
}

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
    let mut rest: Vec<PathBuf> = args.args.iter().map(PathBuf::from).collect();
    let mut patterns: Vec<String> = args
        .patterns
        .iter()
        .map(|p| placeheld(p.as_bytes()))
        .collect();
    for file in &args.pattern_files {
        patterns.extend(patterns_from(file)?);
    }
    let from_files = !args.pattern_files.is_empty();
    // `-f` with no patterns at all (an empty file) matches nothing.
    let nothing = from_files && patterns.is_empty();
    // The positional rule never looks at the file system: without -e or
    // -f, the first argument is the pattern, unless --level, --since,
    // --until or --stats is given, where every argument is a path.
    if patterns.is_empty() && !from_files && !filtering && !rest.is_empty() {
        let pattern = rest.remove(0);
        patterns.push(placeheld(pattern.as_os_str().as_bytes()));
    }
    // A newline in a pattern separates patterns, as in grep
    // (`grep -F "$list"`; `$'x\n'` is `x` and the empty pattern).
    if patterns.iter().any(|p| p.contains('\n')) {
        patterns = patterns
            .iter()
            .flat_map(|p| p.split('\n').map(String::from).collect::<Vec<_>>())
            .collect();
    }
    if nothing {
        // A pattern that never matches: `-v -f /dev/null` selects all.
        patterns.push(String::new());
    }
    if patterns.is_empty() && !filtering {
        return Err(Error::Usage(
            "no pattern: give PATTERN, -e PATTERN, or --level/--since/--until/--stats".into(),
        ));
    }
    let syntax = matcher_syntax(args)?;
    // Each pattern's groups would be renumbered in the alternation, so a
    // back-reference would point into another pattern: grep refuses too.
    if syntax == Pattern::Perl && patterns.len() > 1 {
        return Err(Error::Usage(
            "the -P option only supports a single pattern (as grep); join them with |".into(),
        ));
    }
    let mut required = None;
    let mut word_matcher = None;
    let matcher = if patterns.is_empty() {
        None
    } else {
        let alternatives = patterns
            .iter()
            .map(|p| {
                if nothing {
                    return Ok(r"(?:\b\B)".to_string());
                }
                let p = match syntax {
                    Pattern::Fixed => regex::escape(p),
                    Pattern::Perl => p.clone(),
                    Pattern::Posix(syntax) => translate(p, syntax)
                        .map_err(|why| Error::Usage(format!("bad pattern '{p}': {why}")))?,
                };
                Ok(if args.line_regexp {
                    format!("^(?:{p})$")
                } else {
                    format!("(?:{p})")
                })
            })
            .collect::<Result<Vec<String>>>()?;
        let pattern = unplaced(&alternatives.join("|"));
        let words = format!("(?:^|[^0-9A-Za-z_])(?:{pattern})(?:[^0-9A-Za-z_]|$)");
        if syntax == Pattern::Perl {
            let perl = |p: &str| {
                Matcher::perl(p, args.ignore_case).map_err(|why| {
                    Error::Usage(format!("bad pattern '{}': {why}", patterns.join("|")))
                })
            };
            // grep -P -w is the pattern between look-arounds, so that PCRE
            // backtracks to a shorter match that is a whole word (`foo-?`
            // in `foo-bar` is `foo`): the matcher itself is the word rule.
            if args.word_regexp {
                Some(perl(&format!(
                    r"(?<![0-9A-Za-z_])(?:{pattern})(?![0-9A-Za-z_])"
                ))?)
            } else {
                Some(perl(&pattern)?)
            }
        } else {
            if args.word_regexp {
                word_matcher = line_regex(&words, args.ignore_case).ok().map(Matcher::from);
            }
            let re = line_regex(&pattern, args.ignore_case)
                // The regex crate's message spans lines (the pattern, a caret,
                // the reason): one line, the reason last.
                .map_err(|e| {
                    let text = e.to_string();
                    let reason = text
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or(&text);
                    let reason = reason.trim_start_matches("error: ");
                    Error::Usage(format!("bad pattern '{}': {reason}", patterns.join("|")))
                })?;
            // The same parse the regex crate made, for the literal search.
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(args.ignore_case)
                .multi_line(true)
                .unicode(false)
                .utf8(false)
                .build()
                .parse(&pattern)
                .ok();
            required = hir
                .as_ref()
                .and_then(required_literal)
                .map(|l| memchr::memmem::Finder::new(&l).into_owned());
            Some(Matcher::posix(re, &pattern, args.ignore_case))
        }
    };
    // The summaries (-c, -l, -L, -q, --stats) print no lines, so no context.
    let summary = args.count
        || args.files_with_matches
        || args.files_without_match
        || args.quiet
        || args.stats;
    let context = if summary {
        0
    } else {
        args.context.unwrap_or(0)
    };
    let color = args
        .color
        .enabled(args.output.is_none() && io::stdout().is_terminal());
    let max_line = args.max_line;
    let several = rest.len() > 1 || args.walks();
    let opts = Options {
        matcher,
        required,
        // -P -w's rule is inside its pattern.
        word: args.word_regexp && syntax != Pattern::Perl,
        word_matcher,
        invert: args.invert_match,
        count: args.count,
        // -L is -l's search (stop at the first selected line) with the
        // other inputs listed.
        files_with_matches: args.files_with_matches || args.files_without_match,
        without_match: args.files_without_match && !args.files_with_matches,
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
        before: args.before_context.filter(|_| !summary).unwrap_or(context),
        after: args.after_context.filter(|_| !summary).unwrap_or(context),
        // -m -1 or past u64: no limit (the split -c keeps its fast path).
        max_count: args.max_count.filter(|&m| m != u64::MAX),
        group_separator: args.group_separator.as_ref().map(|s| s.as_bytes().to_vec()),
        no_group_separator: args.no_group_separator,
        // -z: NUL ends lines, so it cannot tell binary files (grep's).
        text: binary_files(args) == crate::cli::BinaryFiles::Text || args.null_data,
        binary_without_match: binary_files(args) == crate::cli::BinaryFiles::WithoutMatch,
        null: args.null,
        null_data: args.null_data,
        initial_tab: args.initial_tab,
        line_buffered: args.line_buffered || (args.output.is_none() && io::stdout().is_terminal()),
        label: args.label.as_ref().map(|l| l.as_bytes().to_vec()),
        strip_dot: args.walks() && rest.is_empty(),
        max_line: usize::try_from(max_line).unwrap_or(usize::MAX),
        gunzip: crate::gzip::Limits {
            max_ratio: (args.max_ratio > 0).then_some(args.max_ratio),
            ratio_floor: GUNZIP_RATIO_FLOOR,
            ..crate::gzip::Limits::default()
        },
        level,
        level_hits: level.map(LevelFilter::candidates),
        since,
        until,
        now,
        json: args.json && !args.stats,
        stats: args.stats,
        annotate: args.json || args.stats,
        count_lines: args.line_number || args.json,
        context_given: !summary
            && (args.context.is_some()
                || args.after_context.is_some()
                || args.before_context.is_some()),
        color,
    };
    Ok((opts, rest))
}
