//! Searching one input, the way ripgrep does: the regex runs over a whole
//! chunk of lines and only the lines around its matches are looked at.
//! Filters by level or time, `-v` and `--stats` need every line and take
//! the line-at-a-time path.

mod sink;

pub use sink::{Counting, Line, Sink};

use std::collections::VecDeque;
use std::io::{self, Read};

use regex::bytes::Regex;

use super::level::{
    heading_level, klog_level, level_at, level_of, priority_level, Level, LevelFilter,
};
use super::matcher::Matcher;
use super::reader::{LineReader, Piece};
use super::stats::Stats;
use super::time::{stamp_of, stamp_shaped, timestamp_of, Stamp};

/// Everything that decides which lines are printed and how. The default
/// is grep with no option and no pattern (every line, no prefixes).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The pattern; `None` selects every line (filters only).
    pub matcher: Option<Matcher>,
    /// A literal every match contains, when the regex engine would not
    /// look for it first (see `required_literal`): lines without it are
    /// never given to the regex.
    pub required: Option<memchr::memmem::Finder<'static>>,
    /// `-w`: a match counts only between non-word characters (GNU grep's
    /// rule; word characters are letters, digits and `_`).
    pub word: bool,
    /// `-w`'s line test: the pattern between non-word characters or the
    /// line's ends, as one regex. Trying the leftmost match and then later
    /// starts missed `foobar` for `foo\|foobar` (the leftmost-first match
    /// `foo` is not a word there; grep's longest one is).
    pub word_matcher: Option<Matcher>,
    /// `-v`
    pub invert: bool,
    /// `-c`
    pub count: bool,
    /// `-l`, and `-L`'s search
    pub files_with_matches: bool,
    /// `-L`: list the inputs `-l` would not.
    pub without_match: bool,
    /// `-q`: print nothing, stop at the first selected line.
    pub quiet: bool,
    /// `-b`
    pub byte_offset: bool,
    /// `-s`: no messages about inputs that cannot be read.
    pub no_messages: bool,
    /// `-o`
    pub only_matching: bool,
    /// `-n`
    pub line_number: bool,
    /// Prefix lines with the input's name.
    pub with_filename: bool,
    /// `-B`
    pub before: usize,
    /// `-A`
    pub after: usize,
    /// `--group-separator`: the line between context groups instead of `--`.
    pub group_separator: Option<Vec<u8>>,
    /// `--no-group-separator`: no line between context groups.
    pub no_group_separator: bool,
    /// `-m`
    pub max_count: Option<u64>,
    /// `-a`: search binary files as text.
    pub text: bool,
    /// `-I`: a binary file has no matching lines.
    pub binary_without_match: bool,
    /// `-Z`: a NUL after each file name instead of `:` or a newline.
    pub null: bool,
    /// `-z`: lines end with NUL. The input reaches the searcher with NUL
    /// and newline swapped (`input::NulLines`), so it finds lines as ever; the
    /// printer swaps selected lines back and ends them with NUL.
    pub null_data: bool,
    /// `-T`: numbers padded to the input's widest, a tab before the line.
    pub initial_tab: bool,
    /// `--line-buffered`: each line written out as it is found.
    pub line_buffered: bool,
    /// `--label`: stdin's name.
    pub label: Option<Vec<u8>>,
    /// `-r` with no path: names without the `./` of the walk's root.
    pub strip_dot: bool,
    /// `--max-line`
    pub max_line: usize,
    /// `--max-ratio`: the bomb guard of the `.gz` inputs' inflating.
    pub gunzip: crate::gzip::Limits,
    /// `--level`
    pub level: Option<LevelFilter>,
    /// [`LevelFilter::candidates`] of `level`, built once.
    pub level_hits: Option<Regex>,
    /// `--since`, compared to the nanosecond.
    pub since: Option<Stamp>,
    /// `--until`, compared to the nanosecond: `--until 10:00:00Z` does
    /// not take `10:00:00.5Z`.
    pub until: Option<Stamp>,
    /// Now, for syslog years.
    pub now: i64,
    /// `--json`: one object per selected line.
    pub json: bool,
    /// `--stats`: count instead of printing.
    pub stats: bool,
    /// The printer wants each line's record level and time (`--stats`,
    /// `--json`): every line's record is read.
    pub annotate: bool,
    /// The printer wants line numbers (`-n`, `--json`): they are counted.
    pub count_lines: bool,
    /// `-A`, `-B` or `-C` was given, if only as 0 (not in the summaries).
    pub context_given: bool,
    /// Colour names, numbers, separators and matches as GNU grep does.
    pub color: bool,
}

impl Options {
    /// The line between context groups, if any (`--` by default).
    pub fn separator(&self) -> Option<&[u8]> {
        if self.no_group_separator {
            return None;
        }
        Some(self.group_separator.as_deref().unwrap_or(b"--"))
    }

    /// Output comes in context groups (separated by [`Options::separator`]).
    /// The summary modes have no context (see `run::options`).
    pub fn context_groups(&self) -> bool {
        self.context() && !self.json
    }

    /// Context lines are wanted, or `-A 0`/`-C 0` asked for the groups
    /// without them (grep then still separates matches that are not
    /// adjacent).
    fn context(&self) -> bool {
        self.before > 0 || self.after > 0 || self.context_given
    }

    fn has_record_filters(&self) -> bool {
        self.level.is_some() || self.since.is_some() || self.until.is_some()
    }

    /// `--level` alone: records are found from their level tokens.
    fn level_only(&self) -> bool {
        self.level_hits.is_some()
            && self.matcher.is_none()
            && self.since.is_none()
            && self.until.is_none()
            && !(self.invert || self.annotate)
            && self.before == 0
            && self.after == 0
    }

    /// Whether every line must be looked at.
    fn line_at_a_time(&self) -> bool {
        self.invert
            || self.has_record_filters()
            || self.annotate
            || self.matcher.is_none()
            // PCRE's \A, \z, \G and look-around would see past the line
            // in a chunk: each line is its own subject, as in grep -P.
            || matches!(self.matcher, Some(Matcher::Perl { .. }))
    }
}

/// When `line` starts a record: its time and level, if it has them. A
/// line starts one with a timestamp or a level token of its own; a
/// container's line (Docker json-file, CRI) by what its inner text has,
/// so that a traceback written a line at a time stays one record, with
/// the container's time.
///
/// `rich`: the file's first line has klog's or journald's form, so a
/// timestamped line's level may be there too (looked for only then: the
/// `--level` path meets every hit's line).
fn record_head(line: &[u8], now: i64, rich: bool) -> Option<(Option<Stamp>, Option<Level>)> {
    if let Some(inner) = super::level::container_inner(line) {
        let own = timestamp_of(&inner, now).is_some();
        let heading = heading_level(&inner);
        return (own || heading.is_some())
            .then(|| (stamp_of(line, now), heading.or_else(|| level_of(&inner))));
    }
    match stamp_of(line, now) {
        Some(time) if !rich => Some((Some(time), None)),
        // klog's letter and journald's PRIORITY: the levels of a
        // timestamped line that no level word gives.
        Some(time) => Some((
            Some(time),
            klog_level(line).or_else(|| priority_level(line)),
        )),
        None => heading_level(line)
            .map(|level| (None, Some(level)))
            .or_else(|| stamp_shaped(line).then_some((None, None))),
    }
}

/// What searching one input found.
#[derive(Debug, Default)]
pub struct Found {
    /// Selected lines (for `-c`, `-l` and the status).
    pub lines: u64,
    /// The input has a NUL and a line was selected after it.
    pub binary_matched: bool,
    /// Lines skipped for being longer than `--max-line`.
    pub too_long: u64,
    /// With `--stats`.
    pub stats: Option<Stats>,
    /// Bytes read from the input (decompressed).
    pub bytes_searched: u64,
    /// Lines shaped as a date and time that is none (`Feb 30`, `25:00`,
    /// an unknown zone): their records have no time.
    pub unreadable_times: u64,
    /// The first of them, cut short, for the message.
    pub unreadable_example: Vec<u8>,
    /// The JSON printer's `matched_lines` when it differs from `lines` (a
    /// binary file's match is counted, not shown), for the summary.
    pub lines_shown: Option<u64>,
    /// Where the first NUL of a binary input is.
    pub binary_offset: Option<u64>,
    /// Matches in the selected lines (counted by the JSON printer).
    pub matches: u64,
    /// Bytes the printer wrote (counted by the JSON printer).
    pub bytes_printed: u64,
    /// Lines with a timestamp recognised (counted when records are read).
    pub timestamps: u64,
    /// Why the input was not read to its end (reported after the counts
    /// and names of what was read).
    pub error: Option<String>,
}

/// The record the current line belongs to: a timestamped line and the
/// lines without one that follow it.
#[derive(Default)]
struct Record {
    seen_head: bool,
    selected: bool,
    level: Option<Level>,
    time: Option<Stamp>,
}

/// A line kept for before-context.
struct Kept {
    text: Vec<u8>,
    terminated: bool,
    number: u64,
    offset: u64,
    level: Option<Level>,
    time: Option<Stamp>,
}

/// The searcher for one input.
pub struct Searcher<'a> {
    opts: &'a Options,
    sink: &'a mut dyn Sink,
    found: Found,
    record: Record,
    /// Line number of the next line to be read (1-based).
    next_line: u64,
    /// Byte offset of the next line to be read.
    next_offset: u64,
    /// The number of the last line handed to the sink (with context).
    last_handed: Option<u64>,
    after_left: usize,
    before: VecDeque<Kept>,
    binary: bool,
    skip_binary: bool,
    pri_prefixed: bool,
    /// Stop reading: `-l` found one, `-m` reached with no context left,
    /// or a binary file matched.
    stop: bool,
    /// Where a binary match stopped the search.
    stopped_at: Option<u64>,
    /// The input is a pipe, FIFO or terminal: what was found is written
    /// out before each read that may block (`tail -f | binkit grep-log`).
    interactive: bool,
}

impl<'a> Searcher<'a> {
    /// A searcher telling `sink` what it finds.
    pub fn new(opts: &'a Options, sink: &'a mut dyn Sink) -> Searcher<'a> {
        Searcher {
            opts,
            sink,
            found: Found::default(),
            record: Record::default(),
            next_line: 1,
            next_offset: 0,
            last_handed: None,
            after_left: 0,
            before: VecDeque::new(),
            binary: false,
            skip_binary: false,
            pri_prefixed: false,
            stop: false,
            stopped_at: None,
            interactive: false,
        }
    }

    /// The input may block between lines (a pipe, FIFO or terminal).
    pub fn interactive(mut self, interactive: bool) -> Searcher<'a> {
        self.interactive = interactive;
        self
    }

    /// Starts as if a timestamped line came before: the input is the rest
    /// of a file cut at a record boundary.
    pub fn after_a_record(mut self) -> Searcher<'a> {
        self.record.seen_head = true;
        self
    }

    /// Skips the input without a word if it is binary (`-r`).
    pub fn skip_binary(mut self, skip: bool) -> Searcher<'a> {
        self.skip_binary = skip;
        self
    }

    /// Searches all of `src`.
    ///
    /// # Errors
    /// Read and write errors.
    pub fn search(self, src: &mut dyn Read) -> io::Result<Found> {
        match self.search_partly(src) {
            (found, None) => Ok(found),
            (_, Some(e)) => Err(e),
        }
    }

    /// As [`Searcher::search`], but a read error (a truncated or corrupt
    /// compressed input) ends the search with what was found so far, so
    /// that `-c` can still count it, as zgrep does; write errors too.
    pub fn search_partly(mut self, src: &mut dyn Read) -> (Found, Option<io::Error>) {
        let result = self.search_all(src);
        self.found.bytes_searched = self.stopped_at.unwrap_or(self.next_offset);
        (self.found, result.err())
    }

    fn search_all(&mut self, src: &mut dyn Read) -> io::Result<()> {
        let mut reader = LineReader::new(src, self.opts.max_line);
        let mut first = true;
        while !self.stop {
            if self.interactive {
                self.sink.flush()?;
            }
            let Some(piece) = reader.next_piece()? else {
                break;
            };
            match piece {
                Piece::TooLong(bytes) => {
                    self.found.too_long += 1;
                    self.next_line += 1;
                    self.next_offset += bytes;
                }
                Piece::Lines(chunk, nul_ahead) => {
                    // A NUL anywhere makes the file binary, as in grep: what
                    // was printed stays, and a later match says "binary file
                    // matches" and ends the file (-I: ends it quietly).
                    if !self.binary && !self.opts.text {
                        if let Some(nul) = memchr::memchr(0, chunk).or(nul_ahead) {
                            self.binary = true;
                            self.found.binary_offset = Some(self.next_offset + nul as u64);
                            if self.skip_binary && !first {
                                // grep -I: a NUL found late makes the file one
                                // without a match after all (what was printed
                                // stays): -c says 0 and the status is 1.
                                self.found.lines = 0;
                                break;
                            }
                        }
                    }
                    // Levels in a <PRI> prefix are not found by the level
                    // words: such logs are read line by line. So are klog
                    // (`E1130 ...`) and journald's JSON (`"PRIORITY"`), whose
                    // levels are no words either. Judged on the first lines
                    // of every chunk (a log may open with a banner, or change
                    // shape), and kept once seen.
                    if !self.pri_prefixed {
                        self.pri_prefixed = chunk.split(|&b| b == b'\n').take(16).any(|line| {
                            (line.first() == Some(&b'<')
                                && line.get(1).is_some_and(u8::is_ascii_digit))
                                || (heading_level(line).is_some()
                                    && line.get(1).is_some_and(u8::is_ascii_digit))
                                || memchr::memmem::find(line, b"\"PRIORITY\"").is_some()
                        });
                    }
                    if first {
                        first = false;
                        if self.binary && self.skip_binary {
                            // grep -I: no lines match; -c says 0, -L lists it.
                            break;
                        }
                    }
                    // In a binary file a NUL ends a line too, as in grep
                    // (its "zapped" NULs): `-c`, `-x` and `-v` count and
                    // judge the pieces between them.
                    let zapped: Vec<u8>;
                    let chunk = if self.binary && !self.opts.text {
                        zapped = chunk
                            .iter()
                            .map(|&b| if b == 0 { b'\n' } else { b })
                            .collect();
                        &zapped[..]
                    } else {
                        chunk
                    };
                    if self.opts.level_only() && !self.pri_prefixed {
                        self.records_by_level(chunk)?;
                    } else if self.opts.line_at_a_time() {
                        self.each_line(chunk)?;
                    } else {
                        self.matches_only(chunk)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The fast path: jump from match to match. `searched` is where the
    /// next search starts, `done` where the lines not yet accounted for
    /// (given to `gap`) start: a hit that does not count moves only the
    /// first.
    fn matches_only(&mut self, chunk: &[u8]) -> io::Result<()> {
        let re = self.opts.matcher.as_ref().expect("a pattern on this path");
        let (mut searched, mut done) = (0, 0);
        while searched < chunk.len() && !self.stop {
            // With a required literal, the regex sees only a line that
            // has it (ripgrep's inner-literal search): `(a{1,50}){1,50}b`
            // over lines of `a`s is then a memchr scan, not minutes.
            // The line is then tested alone, which needs only the forward
            // automaton: asking where a match starts as well builds the
            // reverse one, whose lazy DFA thrashes on such a pattern (58 s
            // for 200 lines of 5,000 `a`s and a `b`; ripgrep 0.15 s).
            if let Some(literal) = &self.opts.required {
                let Some(i) = literal.find(&chunk[searched..]) else {
                    break;
                };
                let hit = searched + i;
                let start = memchr::memrchr(b'\n', &chunk[searched..hit])
                    .map_or(searched, |j| searched + j + 1);
                let end = memchr::memchr(b'\n', &chunk[hit..]).map_or(chunk.len(), |j| hit + j + 1);
                searched = end;
                let text = strip_newline(&chunk[start..end]);
                if self.line_matches(text) {
                    self.gap(&chunk[done..start])?;
                    self.selected(text, end - start)?;
                    done = end;
                }
                continue;
            }
            let Some((m_start, m_end)) = re.find_at(chunk, searched) else {
                break;
            };
            // In multi-line mode `^` also matches after the chunk's last
            // newline, where no line is: `^$`, `-x 'x*'` matched there and
            // printed an empty line that is not in the input.
            if m_start == chunk.len() && chunk.ends_with(b"\n") {
                break;
            }
            let start = memchr::memrchr(b'\n', &chunk[..m_start]).map_or(0, |i| i + 1);
            let end =
                memchr::memchr(b'\n', &chunk[m_start..]).map_or(chunk.len(), |i| m_start + i + 1);
            let text = strip_newline(&chunk[start..end]);
            // A match running past the line (a class like [^a] takes the
            // newline), or not a whole word under -w, counts only if the
            // line matches alone.
            let doubtful = m_end > start + text.len()
                || (self.opts.word && !is_word_match(chunk, m_start, m_end));
            searched = end;
            if doubtful && !self.line_matches(text) {
                continue;
            }
            self.gap(&chunk[done..start])?;
            self.selected(text, end - start)?;
            done = end;
        }
        if !self.stop {
            self.gap(&chunk[done..])?;
        }
        Ok(())
    }

    /// `--level` alone: jump between tokens of the accepted levels. A hit
    /// starts a selected record when it is its line's first level token
    /// and the line has a timestamp (then the lines without one after it
    /// are printed too), or when no timestamped line came before it (each
    /// line is then a record). A hit on any other untimestamped line is
    /// inside a record that was either printed whole or not selected.
    fn records_by_level(&mut self, chunk: &[u8]) -> io::Result<()> {
        let hits = self.opts.level_hits.as_ref().expect("level only");
        let filter = self.opts.level.expect("level only");
        let (mut searched, mut done) = (0, 0);
        // Lines before the first timestamped one were checked up to here.
        let mut checked = 0;
        if self.record.selected {
            done = self.continuation(chunk, 0)?;
            searched = done;
        }
        while searched < chunk.len() && !self.stop {
            let Some(m) = hits.find_at(chunk, searched) else {
                break;
            };
            let start = memchr::memrchr(b'\n', &chunk[..m.start()]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &chunk[m.start()..])
                .map_or(chunk.len(), |i| m.start() + i + 1);
            let text = strip_newline(&chunk[start..end]);
            // A line with its own timestamp or level token heads a record.
            let head = record_head(text, self.opts.now, false);
            let timed = head.is_some();
            if !self.record.seen_head {
                self.record.seen_head =
                    timed || self.any_timestamp(&chunk[checked.max(done)..start]);
                checked = end;
            }
            // The hit is a stem ("ERR"): the token is the whole word.
            let word_end = m.start()
                + chunk[m.start()..end]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
            // klog and journald files take the line path (`pri_prefixed`).
            // A container's line: the level of the text it wraps.
            let level = || {
                head.and_then(|(_, level)| level)
                    .or_else(|| level_at(text, m.start() - start, word_end - start))
            };
            searched = end;
            if (self.record.seen_head && !timed) || !filter.accepts(level()) {
                continue;
            }
            self.gap(&chunk[done..start])?;
            self.selected(text, end - start)?;
            done = end;
            if timed {
                self.record.selected = true;
                done = self.continuation(chunk, done)?;
                searched = done;
            }
        }
        if !self.record.seen_head {
            self.record.seen_head = self.any_timestamp(&chunk[checked.max(done)..]);
        }
        if !self.stop {
            self.gap(&chunk[done..])?;
        }
        Ok(())
    }

    /// Prints the untimestamped lines from `pos` that continue a selected
    /// record; returns where the record ended (it stays open at the end of
    /// the chunk).
    fn continuation(&mut self, chunk: &[u8], mut pos: usize) -> io::Result<usize> {
        while pos < chunk.len() && !self.stop {
            let end = memchr::memchr(b'\n', &chunk[pos..]).map_or(chunk.len(), |i| pos + i + 1);
            let text = strip_newline(&chunk[pos..end]);
            if record_head(text, self.opts.now, false).is_some() {
                self.record.selected = false;
                return Ok(pos);
            }
            self.selected(text, end - pos)?;
            pos = end;
        }
        Ok(pos)
    }

    fn any_timestamp(&self, region: &[u8]) -> bool {
        region
            .split(|&b| b == b'\n')
            .any(|line| record_head(line, self.opts.now, false).is_some())
    }

    /// The slow path: every line goes through the filters.
    fn each_line(&mut self, chunk: &[u8]) -> io::Result<()> {
        let mut pos = 0;
        while pos < chunk.len() && !self.stop {
            let end = memchr::memchr(b'\n', &chunk[pos..]).map_or(chunk.len(), |i| pos + i + 1);
            let text = strip_newline(&chunk[pos..end]);
            if self.is_selected(text) {
                self.selected(text, end - pos)?;
            } else {
                self.gap(&chunk[pos..end])?;
            }
            pos = end;
        }
        Ok(())
    }

    fn is_selected(&mut self, text: &[u8]) -> bool {
        let opts = self.opts;
        if opts.has_record_filters() || opts.annotate {
            let head = record_head(text, opts.now, self.pri_prefixed);
            let time = head.and_then(|(time, _)| time);
            let instant = time.map(|t| t.instant());
            self.found.timestamps += u64::from(time.is_some());
            let timed = opts.since.is_some() || opts.until.is_some() || opts.annotate;
            // Shaped as a time that does not read (a container's inner
            // lines carry the container's time, which does).
            if time.is_none() && timed && stamp_shaped(text) && stamp_of(text, opts.now).is_none() {
                self.found.unreadable_times += 1;
                if self.found.unreadable_example.is_empty() {
                    let shown = &text[..text.len().min(40)];
                    self.found.unreadable_example = shown.to_vec();
                }
            }
            // A line with a timestamp or a level token of its own starts a
            // record; one before any such line is a record too.
            if head.is_some() || !self.record.seen_head {
                self.record.seen_head |= head.is_some();
                self.record.time = time;
                self.record.level = head.and_then(|(_, level)| level).or_else(|| level_of(text));
                let level_ok = opts.level.is_none_or(|f| f.accepts(self.record.level));
                let since_ok = opts
                    .since
                    .is_none_or(|s| instant.is_some_and(|t| t >= s.instant()));
                let until_ok = opts
                    .until
                    .is_none_or(|u| instant.is_some_and(|t| t <= u.instant()));
                self.record.selected = level_ok && since_ok && until_ok;
            }
            if !self.record.selected {
                return false;
            }
        }
        opts.line_matches(text) != opts.invert
    }

    fn line_matches(&self, line: &[u8]) -> bool {
        self.opts.line_matches(line)
    }

    /// Lines not selected: after-context, then kept as before-context.
    fn gap(&mut self, region: &[u8]) -> io::Result<()> {
        if region.is_empty() {
            return Ok(());
        }
        let opts = self.opts;
        if !opts.context() {
            if opts.count_lines {
                self.next_line += memchr::memchr_iter(b'\n', region).count() as u64;
            }
            self.next_offset += region.len() as u64;
            if self.stop_after_max() {
                self.stop = true;
            }
            return Ok(());
        }
        let mut rest = region;
        while self.after_left > 0 && !rest.is_empty() {
            let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            let line = self.line(&rest[..end]);
            self.hand_context(&line)?;
            self.advance(end);
            self.after_left -= 1;
            rest = &rest[end..];
        }
        if self.stop_after_max() {
            self.stop = true;
            return Ok(());
        }
        if rest.is_empty() {
            return Ok(());
        }
        // Keep the last `before` lines of what is left.
        let lines = memchr::memchr_iter(b'\n', rest).count() + usize::from(!rest.ends_with(b"\n"));
        let skip = lines.saturating_sub(opts.before);
        let mut at = 0;
        if skip > 0 {
            self.before.clear();
            at = memchr::memchr_iter(b'\n', rest)
                .nth(skip - 1)
                .map_or(rest.len(), |p| p + 1);
        }
        let (mut number, mut offset) = (self.next_line + skip as u64, self.next_offset + at as u64);
        while at < rest.len() {
            let end = memchr::memchr(b'\n', &rest[at..]).map_or(rest.len(), |i| at + i + 1);
            let text = strip_newline(&rest[at..end]);
            self.before.push_back(Kept {
                text: text.to_vec(),
                terminated: text.len() < end - at,
                number,
                offset,
                level: self.record.level,
                time: self.record.time,
            });
            if self.before.len() > opts.before {
                self.before.pop_front();
            }
            number += 1;
            offset += (end - at) as u64;
            at = end;
        }
        let lines_in_rest = lines;
        self.next_line += lines_in_rest as u64;
        self.next_offset += rest.len() as u64;
        Ok(())
    }

    fn stop_after_max(&self) -> bool {
        self.opts.max_count.is_some_and(|m| self.found.lines >= m) && self.after_left == 0
    }

    fn advance(&mut self, bytes: usize) {
        self.next_line += 1;
        self.next_offset += bytes as u64;
    }

    /// The line `bytes` (with its newline, if any) at the current position,
    /// in the current record.
    fn line<'b>(&self, bytes: &'b [u8]) -> Line<'b> {
        let text = strip_newline(bytes);
        Line {
            text,
            terminated: text.len() < bytes.len(),
            number: self.next_line,
            offset: self.next_offset,
            level: self.record.level,
            time: self.record.time,
        }
    }

    /// Tells the sink of a break when `number` does not follow the last
    /// line handed over (context groups only).
    fn mark(&mut self, number: u64) -> io::Result<()> {
        if self.opts.context() {
            if self.last_handed.is_some_and(|last| number > last + 1) {
                self.sink.context_break()?;
            }
            self.last_handed = Some(number);
        }
        Ok(())
    }

    fn hand_context(&mut self, line: &Line) -> io::Result<()> {
        // A line holding the NUL or after it is not text to show: in a
        // binary file only what came before the NUL is context.
        let past_nul = self
            .found
            .binary_offset
            .is_some_and(|nul| line.offset + line.text.len() as u64 >= nul);
        if self.binary && past_nul {
            return Ok(());
        }
        self.mark(line.number)?;
        self.sink.context(line)
    }

    /// A selected line of `len` bytes with its newline.
    fn selected(&mut self, text: &[u8], len: usize) -> io::Result<()> {
        let opts = self.opts;
        if opts.max_count.is_some_and(|m| self.found.lines >= m) {
            // Past -m: what follows is at most after-context.
            self.stop = self.after_left == 0;
            return self.gap_line(text, len);
        }
        self.found.lines += 1;
        let mut line = self.line(text);
        line.terminated = len > text.len();
        if self.binary {
            // A NUL was seen: the line is not printed (grep's "binary
            // file matches"); counting goes on.
            self.found.binary_matched = true;
            self.stop = !self.sink.binary_matched(&line)?;
            if self.stop {
                // What was searched ends with the line that matched.
                self.stopped_at = Some(line.offset + len as u64);
            }
        } else {
            while let Some(kept) = self.before.pop_front() {
                let context = Line {
                    text: &kept.text,
                    terminated: kept.terminated,
                    number: kept.number,
                    offset: kept.offset,
                    level: kept.level,
                    time: kept.time,
                };
                self.hand_context(&context)?;
            }
            self.mark(line.number)?;
            self.stop = !self.sink.matched(&line)?;
            self.after_left = opts.after;
        }
        self.advance(len);
        Ok(())
    }

    /// One line that turned out not to be selected after all (past -m).
    fn gap_line(&mut self, text: &[u8], len: usize) -> io::Result<()> {
        if self.after_left > 0 {
            let mut line = self.line(text);
            line.terminated = len > text.len();
            self.hand_context(&line)?;
            self.after_left -= 1;
        }
        self.advance(len);
        self.stop = self.after_left == 0;
        Ok(())
    }
}

impl Options {
    /// Does the pattern match within `line` (as whole words under -w)?
    pub fn line_matches(&self, line: &[u8]) -> bool {
        match &self.matcher {
            None => true,
            Some(re) if !self.word => re.is_match(line),
            Some(_) => match &self.word_matcher {
                Some(word) => word.is_match(line),
                None => self.first_match(line, 0).is_some(),
            },
        }
    }

    /// The first match in `line` from `at` on, under -w the first that is
    /// a whole word (trying each later start when one is not).
    fn first_match(&self, line: &[u8], at: usize) -> Option<(usize, usize)> {
        let re = self.matcher.as_ref()?;
        let word = self.word;
        re.find_accepted(line, at, &|start, end| {
            !word || is_word_match(line, start, end)
        })
    }

    /// The non-empty matches in `line`, for -o, colour and JSON's
    /// submatches (the whole line when there is no pattern, only filters).
    pub fn matches_in(&self, line: &[u8]) -> Vec<(usize, usize)> {
        if self.matcher.is_none() {
            return vec![(0, line.len())];
        }
        let mut found = Vec::new();
        let mut at = 0;
        while let Some((start, end)) = self.first_match(line, at) {
            if end > start {
                found.push((start, end));
            }
            at = if end > start { end } else { start + 1 };
        }
        found
    }
}

impl Options {
    /// Every match in `line`, empty ones too, as ripgrep's JSON lists
    /// them: an empty match right where the one before ended is not
    /// another (`x*` in `xyz` is `x`, then the empty ones at 2 and 3).
    pub fn submatches_in(&self, line: &[u8]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let (mut at, mut last_end) = (0, None);
        while let Some((start, end)) = self.first_match(line, at) {
            if start < end || last_end != Some(end) {
                found.push((start, end));
            }
            last_end = Some(end);
            at = if end > start { end } else { start + 1 };
        }
        found
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `text[start..end]` has no word character just before or after it.
fn is_word_match(text: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|i| text[i]);
    !before.is_some_and(is_word_byte) && !text.get(end).copied().is_some_and(is_word_byte)
}

fn strip_newline(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

/// A literal that every match of `hir` must contain, worth searching for
/// first: the longest literal of a top-level concatenation (through
/// groups and repetitions of at least one), unless the pattern starts
/// with a literal, which the regex engine already looks for itself.
pub fn required_literal(hir: &regex_syntax::hir::Hir) -> Option<Vec<u8>> {
    use regex_syntax::hir::HirKind;
    fn inside(hir: &regex_syntax::hir::Hir) -> Option<Vec<u8>> {
        match hir.kind() {
            HirKind::Literal(lit) => Some(lit.0.to_vec()),
            HirKind::Capture(c) => inside(&c.sub),
            HirKind::Repetition(r) if r.min >= 1 => inside(&r.sub),
            HirKind::Concat(subs) => subs.iter().filter_map(inside).max_by_key(Vec::len),
            _ => None,
        }
    }
    let starts_with_literal = match hir.kind() {
        HirKind::Literal(_) => true,
        HirKind::Concat(subs) => subs
            .iter()
            .find(|s| !matches!(s.kind(), HirKind::Look(_)))
            .is_some_and(|s| matches!(s.kind(), HirKind::Literal(_))),
        _ => false,
    };
    if starts_with_literal {
        return None;
    }
    // A literal across lines cannot be found within one.
    inside(hir).filter(|l| !l.is_empty() && !l.contains(&b'\n'))
}
