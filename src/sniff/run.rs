//! The `binkit sniff` command: walks the paths on one thread, sniffs files
//! on several, and prints the reports in walk order as they complete.
//!
//! Only regular files are opened, and with `O_NONBLOCK | O_NOFOLLOW` (no
//! follow unless `-L`) and a second check on the open file, so a FIFO or
//! device swapped in after the walk looked is never read. Errors are
//! reported per file and the walk goes on; the status is 2 at the end if
//! any file could not be read, else 1 if any failed the policy or is a
//! mismatch, else 0.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, PoisonError};

use super::output::Printer;
use super::policy::Policy;
use super::{detect, sniff_file, sniff_head, Report};
use crate::cli::SniffArgs;
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
pub(super) enum Done {
    /// A file sniffed.
    Report(Box<Report>),
    /// Not a regular file, or a symlink not followed: not opened.
    Skipped,
    /// Could not be read: the message.
    Failed(String),
    /// Worth a line on stderr, not an error (a symlink loop).
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
