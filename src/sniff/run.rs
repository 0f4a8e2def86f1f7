//! The `binkit sniff` command: walks the paths on one thread, sniffs files
//! on several, and prints the reports in walk order as they complete.
//!
//! Only regular files are opened, and with `O_NONBLOCK | O_NOFOLLOW` (no
//! follow unless `-L`) and a second check on the open file, so a FIFO or
//! device swapped in after the walk looked is never read. Errors are
//! reported per file and the walk goes on; the status is 2 at the end if
//! any file could not be read, else 1 if any failed the policy or is a
//! mismatch, else 0.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, PoisonError};

use super::names::Verdict;
use super::policy::Policy;
use super::{detect, sniff_file, sniff_head, Report};
use crate::cli::{ColorWhen, SniffArgs};
use crate::error::{sanitize, Error, Outcome, Result};
use crate::io::ordered::default_threads;
use crate::io::size::parse_size;
use crate::io::{pump, read_head, Input};

/// What the walk found at one place.
enum Job {
    /// A path to sniff; `follow`: stat through a final symlink.
    File { path: PathBuf, follow: bool },
    /// Standard input.
    Stdin,
    /// The walk could not read this place.
    Failed(String),
    /// A symlink loop under `-L`: reported, not an error.
    Loop(String),
}

/// What sniffing one place gave.
enum Done {
    Report(Box<Report>),
    /// Not a regular file, or a symlink not followed: not opened.
    Skipped,
    Failed(String),
    Note(String),
}

/// `binkit sniff`.
///
/// # Errors
/// Usage errors; [`Error::Reported`] when some file could not be read.
pub fn run(args: &SniffArgs) -> Result<Outcome> {
    let policy = Policy {
        allow: args.allow.clone(),
        deny: args.deny.clone(),
        max_size: args
            .max_size
            .as_deref()
            .map(parse_size)
            .transpose()
            .map_err(Error::Usage)?,
        strict: args.check,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    let stdin_count = paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 || (args.tee && (paths.len() > 1 || stdin_count == 0)) {
        return Err(Error::Usage(
            "stdin (`-`) can be named once, and --tee needs it as the only path".into(),
        ));
    }
    let threads = args.threads.unwrap_or(default_threads() * 2);
    if threads == 0 {
        return Err(Error::Usage("--threads must be at least 1".into()));
    }
    let walk = Walk {
        paths,
        recursive: args.recursive,
        follow: args.follow,
    };
    let (done_tx, done_rx) = mpsc::channel::<(u64, Done)>();
    let jobs = walk.start(threads);
    let policy = Arc::new(policy);
    let tee = args.tee;
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (jobs, done_tx, policy) = (Arc::clone(&jobs), done_tx.clone(), Arc::clone(&policy));
            std::thread::spawn(move || loop {
                let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
                let Ok((seq, job)) = next else { return };
                let done = sniff_job(job, tee, &policy);
                if done_tx.send((seq, done)).is_err() {
                    return;
                }
            })
        })
        .collect();
    drop(done_tx);
    let mut printer = Printer::new(args);
    let result = printer.print_in_order(&done_rx);
    drop(done_rx);
    for worker in workers {
        let _ = worker.join();
    }
    result?;
    printer.summary(args.quiet || !(args.recursive || args.paths.len() > 1));
    if printer.counts.unreadable > 0 {
        Err(Error::Reported)
    } else if printer.counts.failed > 0 || printer.counts.mismatches > 0 {
        // DESIGN.md: 1 when a file failed the policy or its content does
        // not match its name.
        Ok(Outcome::No)
    } else {
        Ok(Outcome::Yes)
    }
}

/// The paths to walk.
struct Walk {
    paths: Vec<PathBuf>,
    recursive: bool,
    follow: bool,
}

impl Walk {
    /// Walks on a thread of its own; jobs come out numbered in walk order.
    fn start(self, threads: usize) -> Arc<Mutex<Receiver<(u64, Job)>>> {
        let (tx, rx) = mpsc::sync_channel(threads * 64);
        std::thread::spawn(move || {
            let mut seq = 0u64;
            let mut send = |job: Job| {
                let sent = tx.send((seq, job)).is_ok();
                seq += 1;
                sent
            };
            for path in &self.paths {
                if !self.walk_one(path, &mut send) {
                    return;
                }
            }
        });
        Arc::new(Mutex::new(rx))
    }

    /// Sends the jobs for one command-line path; false once nobody listens.
    fn walk_one(&self, path: &Path, send: &mut dyn FnMut(Job) -> bool) -> bool {
        if path.as_os_str() == "-" {
            return send(Job::Stdin);
        }
        if !(self.recursive && path.is_dir()) {
            // A path the user named is looked at through a final symlink.
            return send(Job::File {
                path: path.to_path_buf(),
                follow: true,
            });
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(self.follow)
            .sort_by_file_name();
        for entry in walker {
            let job = match entry {
                Ok(e) if e.file_type().is_dir() => continue,
                Ok(e) => Job::File {
                    path: e.into_path(),
                    follow: self.follow,
                },
                Err(e) if e.loop_ancestor().is_some() => Job::Loop(format!(
                    "{}: skipped, a symlink loop",
                    display(e.path().unwrap_or(path))
                )),
                Err(e) => {
                    let place = display(e.path().unwrap_or(path));
                    let why = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    Job::Failed(format!("{place}: {why}"))
                }
            };
            if !send(job) {
                return false;
            }
        }
        true
    }
}

fn display(path: &Path) -> String {
    sanitize(&path.to_string_lossy())
}

fn sniff_job(job: Job, tee: bool, policy: &Policy) -> Done {
    let report = match job {
        Job::Failed(message) => return Done::Failed(message),
        Job::Loop(message) => return Done::Note(message),
        Job::Stdin => sniff_stdin(tee),
        Job::File { path, follow } => match sniff_path(&path, follow) {
            Ok(Some(report)) => Ok(report),
            Ok(None) => return Done::Skipped,
            Err(e) => Err(format!("{}: {e}", display(&path))),
        },
    };
    match report {
        Ok(mut report) => {
            policy.apply(&mut report);
            Done::Report(Box::new(report))
        }
        Err(message) => Done::Failed(message),
    }
}

/// Sniffs a regular file; `None` for anything else, which is not opened.
fn sniff_path(path: &Path, follow: bool) -> io::Result<Option<Report>> {
    let meta = if follow {
        fs::metadata(path)
    } else {
        fs::symlink_metadata(path)
    };
    if !meta?.is_file() {
        return Ok(None);
    }
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | nofollow)
        .open(path)?;
    // What was opened may not be what was looked at.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = path.to_string_lossy().into_owned();
    sniff_file(&mut file, shown, &name, meta.len()).map(Some)
}

/// Sniffs stdin's head; with `tee`, copies all of it to stdout.
fn sniff_stdin(tee: bool) -> std::result::Result<Report, String> {
    let failed = |e: io::Error| format!("stdin: {e}");
    let mut input = Input::open(None).map_err(|e| e.to_string())?;
    let head = read_head(&mut input, detect::HEAD).map_err(failed)?;
    let short = head.len() < detect::HEAD;
    if !tee {
        return Ok(sniff_head(&head, short, None));
    }
    let mut out = io::stdout().lock();
    out.write_all(&head).map_err(failed)?;
    let rest = pump(&mut input, &mut out).map_err(|e| match e {
        crate::io::PumpError::Read(e) | crate::io::PumpError::Write(e) => failed(e),
    })?;
    out.flush().map_err(failed)?;
    Ok(sniff_head(
        &head,
        rest == 0 && short,
        Some(head.len() as u64 + rest),
    ))
}

#[derive(Default)]
struct Counts {
    files: u64,
    ok: u64,
    mismatches: u64,
    flagged: u64,
    failed: u64,
    unreadable: u64,
}

enum Format {
    Human { color: bool },
    Json,
    Ndjson,
}

/// Writes reports in walk order, counting as it goes.
struct Printer {
    out: Box<dyn Write>,
    format: Format,
    only_failures: bool,
    counts: Counts,
    /// Human rows waiting to be aligned with their neighbours.
    rows: Vec<Report>,
    first_json: bool,
}

/// Human rows are aligned in groups of this many.
const ALIGN_GROUP: usize = 256;

impl Printer {
    fn new(args: &SniffArgs) -> Printer {
        // With --tee, stdout carries the data; reports go to stderr.
        let to_stderr = args.tee;
        let out: Box<dyn Write> = if to_stderr {
            Box::new(io::stderr())
        } else {
            Box::new(io::BufWriter::new(io::stdout()))
        };
        let terminal = if to_stderr {
            io::stderr().is_terminal()
        } else {
            io::stdout().is_terminal()
        };
        let color = match args.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let format = if args.json {
            Format::Json
        } else if args.ndjson {
            Format::Ndjson
        } else {
            Format::Human { color }
        };
        Printer {
            out,
            format,
            only_failures: args.check,
            counts: Counts::default(),
            rows: Vec::new(),
            first_json: true,
        }
    }

    fn print_in_order(&mut self, done: &Receiver<(u64, Done)>) -> Result<()> {
        let mut next = 0u64;
        let mut waiting = BTreeMap::new();
        if matches!(self.format, Format::Json) {
            self.write(b"[")?;
        }
        for (seq, result) in done {
            waiting.insert(seq, result);
            while let Some(result) = waiting.remove(&next) {
                self.take(result)?;
                next += 1;
            }
        }
        self.flush_rows()?;
        if matches!(self.format, Format::Json) {
            self.write(if self.first_json { b"]\n" } else { b"\n]\n" })?;
        }
        self.out
            .flush()
            .map_err(|e| Error::io("write", &crate::Place::Stdout, e))
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|e| Error::io("write", &crate::Place::Stdout, e))
    }

    fn take(&mut self, result: Done) -> Result<()> {
        let report = match result {
            Done::Report(report) => *report,
            Done::Skipped => return Ok(()),
            Done::Failed(message) => {
                self.counts.unreadable += 1;
                let _ = writeln!(io::stderr(), "binkit sniff: {message}");
                return Ok(());
            }
            Done::Note(message) => {
                let _ = writeln!(io::stderr(), "binkit sniff: {message}");
                return Ok(());
            }
        };
        let c = &mut self.counts;
        c.files += 1;
        c.ok += u64::from(report.verdict == Verdict::Ok);
        c.mismatches += u64::from(report.verdict == Verdict::Mismatch);
        c.flagged += u64::from(!report.flags.is_empty());
        c.failed += u64::from(!report.pass);
        if self.only_failures && report.pass {
            return Ok(());
        }
        match self.format {
            Format::Human { .. } => {
                self.rows.push(report);
                if self.rows.len() == ALIGN_GROUP {
                    self.flush_rows()?;
                }
                Ok(())
            }
            Format::Ndjson => {
                let mut line = serde_json::to_vec(&report).map_err(io::Error::from);
                if let Ok(line) = &mut line {
                    line.push(b'\n');
                }
                let line = line.map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                self.write(&line)
            }
            Format::Json => {
                let item = serde_json::to_vec(&report).map_err(io::Error::from);
                let item = item.map_err(|e| Error::io("write", &crate::Place::Stdout, e))?;
                let sep: &[u8] = if self.first_json { b"\n  " } else { b",\n  " };
                self.first_json = false;
                self.write(sep)?;
                self.write(&item)
            }
        }
    }

    /// Prints the waiting human rows, columns as wide as their widest.
    fn flush_rows(&mut self) -> Result<()> {
        let Format::Human { color } = self.format else {
            return Ok(());
        };
        let rows = std::mem::take(&mut self.rows);
        let paths: Vec<String> = rows.iter().map(|r| sanitize(&r.path)).collect();
        let width = |f: &dyn Fn(usize) -> usize| (0..rows.len()).map(f).max().unwrap_or(0);
        let path_w = width(&|i| paths[i].chars().count());
        let mime_w = width(&|i| rows[i].mime.len());
        let ext_w = width(&|i| rows[i].ext_mime.unwrap_or("-").len());
        let mut text = String::new();
        for (report, path) in rows.iter().zip(&paths) {
            let verdict = match report.verdict {
                Verdict::Ok => ("ok", "32"),
                Verdict::Mismatch => ("mismatch", "31"),
                Verdict::Unknown => ("unknown", "33"),
            };
            let verdict = paint(color, verdict.1, &format!("{:8}", verdict.0));
            let pad = path_w - path.chars().count();
            let mut line = format!(
                "{path}{:pad$}  {:mime_w$}  {:ext_w$}  {verdict}",
                "",
                report.mime,
                report.ext_mime.unwrap_or("-"),
            );
            if !report.flags.is_empty() {
                line.push_str("  ");
                line.push_str(&paint(color, "35", &report.flags.join(",")));
            }
            if !report.pass {
                line.push_str("  ");
                line.push_str(&paint(color, "1;31", "FAIL"));
            }
            text.push_str(line.trim_end());
            text.push('\n');
            if !report.pass || self.only_failures {
                for reason in &report.reasons {
                    text.push_str(&format!("    {}\n", sanitize(reason)));
                }
            }
        }
        self.write(text.as_bytes())
    }

    fn summary(&self, quiet: bool) {
        if quiet {
            return;
        }
        let c = &self.counts;
        let _ = writeln!(
            io::stderr(),
            "binkit sniff: {} files, {} ok, {} mismatches, {} flagged, {} failed, {} unreadable",
            c.files,
            c.ok,
            c.mismatches,
            c.flagged,
            c.failed,
            c.unreadable
        );
    }
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
