//! `--json`: ripgrep's JSON Lines (`begin`, `match`, `context`, `end`, and
//! `summary` after all inputs), so that what reads `rg --json` reads
//! binkit. Each line object also has binkit's `level` and `timestamp` (of
//! the line's record; the timestamp as the line wrote it, fraction and
//! offset kept). With `-c`, `-l` or `-L` an input listed is a `begin` and
//! an `end` whose `stats` hold its count.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::grep::level::Level;
use crate::grep::search::{Found, Line, Options, Sink};

/// ripgrep's "arbitrary data": `{"text": ...}` for UTF-8, else
/// `{"bytes": base64}`.
#[derive(Serialize)]
#[serde(untagged)]
enum Data<'a> {
    Text { text: &'a str },
    Bytes { bytes: String },
}

fn data(bytes: &[u8]) -> Data<'_> {
    use base64::Engine;
    match std::str::from_utf8(bytes) {
        Ok(text) => Data::Text { text },
        Err(_) => Data::Bytes {
            bytes: base64::engine::general_purpose::STANDARD.encode(bytes),
        },
    }
}

/// One message: its type first, as ripgrep writes them.
#[derive(Serialize)]
struct Message<'a, T> {
    #[serde(rename = "type")]
    kind: &'a str,
    data: T,
}

#[derive(Serialize)]
struct Begin<'a> {
    path: Data<'a>,
}

#[derive(Serialize)]
struct LineData<'a> {
    path: Data<'a>,
    lines: Data<'a>,
    line_number: u64,
    absolute_offset: u64,
    submatches: Vec<Submatch<'a>>,
    level: Option<Level>,
    timestamp: Option<String>,
}

#[derive(Serialize)]
struct Submatch<'a> {
    #[serde(rename = "match")]
    matched: Data<'a>,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct End<'a> {
    path: Data<'a>,
    binary_offset: Option<u64>,
    stats: Stats,
}

/// ripgrep's search statistics.
#[derive(Serialize)]
struct Stats {
    elapsed: Elapsed,
    searches: u64,
    searches_with_match: u64,
    bytes_searched: u64,
    bytes_printed: u64,
    matched_lines: u64,
    matches: u64,
}

#[derive(Serialize)]
struct Summary {
    elapsed_total: Elapsed,
    stats: Stats,
}

/// A duration as ripgrep writes one.
#[derive(Serialize)]
struct Elapsed {
    secs: u64,
    nanos: u32,
    human: String,
}

impl From<Duration> for Elapsed {
    fn from(d: Duration) -> Elapsed {
        Elapsed {
            secs: d.as_secs(),
            nanos: d.subsec_nanos(),
            human: format!("{:.6}s", d.as_secs_f64()),
        }
    }
}

/// The JSON Lines printer of one input.
pub struct Json<'a> {
    opts: &'a Options,
    out: &'a mut dyn Write,
    name: &'a [u8],
    begun: bool,
    matches: u64,
    /// `match` messages written (a binary file's match is none).
    matched_lines: u64,
    printed: u64,
    started: Instant,
}

impl<'a> Json<'a> {
    /// The input `name`'s messages, to `out`.
    pub fn new(opts: &'a Options, out: &'a mut dyn Write, name: &'a [u8]) -> Json<'a> {
        Json {
            opts,
            out,
            name,
            begun: false,
            matches: 0,
            matched_lines: 0,
            printed: 0,
            started: Instant::now(),
        }
    }

    /// Only counts or names are asked for.
    fn summary_only(&self) -> bool {
        self.opts.count || self.opts.files_with_matches || self.opts.quiet
    }

    fn write<T: Serialize>(&mut self, kind: &str, data: T) -> io::Result<()> {
        let mut text = serde_json::to_vec(&Message { kind, data })?;
        text.push(b'\n');
        self.printed += text.len() as u64;
        self.out.write_all(&text)
    }

    fn begin(&mut self) -> io::Result<()> {
        if !self.begun {
            self.begun = true;
            let name = self.name;
            self.write("begin", Begin { path: data(name) })?;
        }
        Ok(())
    }

    /// A `match` or `context` message for `line`.
    fn line(&mut self, kind: &str, line: &Line, submatches: &[(usize, usize)]) -> io::Result<()> {
        self.begin()?;
        // -z: the searcher saw NUL and newline swapped (offsets unchanged).
        let mut text = line.text.to_vec();
        let eol = if self.opts.null_data {
            for b in &mut text {
                if *b == 0 {
                    *b = b'\n';
                }
            }
            0
        } else {
            b'\n'
        };
        if line.terminated {
            text.push(eol);
        }
        let name = self.name;
        let message = LineData {
            path: data(name),
            lines: data(&text),
            line_number: line.number,
            absolute_offset: line.offset,
            submatches: submatches
                .iter()
                .map(|&(start, end)| Submatch {
                    matched: data(&text[start..end]),
                    start,
                    end,
                })
                .collect(),
            level: line.level,
            timestamp: line.time.map(|t| t.rfc3339()),
        };
        self.write(kind, message)
    }

    /// Where the pattern matches in a line: a selected line without
    /// `-v`, a context line with it (there the context is what matched),
    /// as rg lists them.
    fn submatches(&self, line: &Line, selected: bool) -> Vec<(usize, usize)> {
        if self.opts.invert == selected || self.opts.matcher.is_none() {
            return Vec::new();
        }
        self.opts.submatches_in(line.text)
    }
}

impl Sink for Json<'_> {
    fn matched(&mut self, line: &Line) -> io::Result<bool> {
        if self.summary_only() {
            return Ok(!(self.opts.files_with_matches || self.opts.quiet));
        }
        let submatches = self.submatches(line, true);
        self.matches += submatches.len() as u64;
        self.matched_lines += 1;
        self.line("match", line, &submatches)?;
        Ok(true)
    }

    fn context(&mut self, line: &Line) -> io::Result<()> {
        let submatches = self.submatches(line, false);
        self.line("context", line, &submatches)
    }

    fn context_break(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn binary_matched(&mut self, _: &Line) -> io::Result<bool> {
        if self.summary_only() {
            return Ok(self.opts.count && !self.opts.files_with_matches);
        }
        self.begin()?;
        Ok(false)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, found: &mut Found) -> io::Result<()> {
        let listed = if self.opts.quiet {
            false
        } else if self.opts.files_with_matches {
            (found.lines > 0) != self.opts.without_match
        } else {
            self.opts.count || self.begun
        };
        if listed {
            self.begin()?;
            let stats = Stats {
                elapsed: self.started.elapsed().into(),
                searches: 1,
                searches_with_match: u64::from(found.lines > 0),
                bytes_searched: found.bytes_searched,
                bytes_printed: self.printed,
                // -c counts a binary file's lines as grep -c does; the
                // line messages count what they showed.
                matched_lines: if self.summary_only() {
                    found.lines
                } else {
                    self.matched_lines
                },
                matches: self.matches,
            };
            let name = self.name;
            let end = End {
                path: data(name),
                binary_offset: found.binary_offset,
                stats,
            };
            self.write("end", end)?;
        }
        found.matches = self.matches;
        if !self.summary_only() {
            found.lines_shown = Some(self.matched_lines);
        }
        found.bytes_printed = self.printed;
        Ok(())
    }
}

/// What all inputs together found, as ripgrep's `summary` message.
#[derive(Debug, Default)]
pub struct Totals {
    /// Inputs searched.
    pub searches: u64,
    /// Inputs with a selected line.
    pub searches_with_match: u64,
    /// Bytes read.
    pub bytes_searched: u64,
    /// Bytes printed.
    pub bytes_printed: u64,
    /// Selected lines.
    pub matched_lines: u64,
    /// Matches in them.
    pub matches: u64,
}

/// ripgrep's `summary` message, after all inputs; `elapsed` since the start.
pub fn summary_message(totals: &Totals, elapsed_total: Duration) -> String {
    let summary = Summary {
        elapsed_total: elapsed_total.into(),
        stats: Stats {
            elapsed: elapsed_total.into(),
            searches: totals.searches,
            searches_with_match: totals.searches_with_match,
            bytes_searched: totals.bytes_searched,
            bytes_printed: totals.bytes_printed,
            matched_lines: totals.matched_lines,
            matches: totals.matches,
        },
    };
    let message = Message {
        kind: "summary",
        data: summary,
    };
    serde_json::to_string(&message).map_or_else(|_| String::new(), |text| text + "\n")
}
