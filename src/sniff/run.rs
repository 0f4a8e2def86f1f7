//! The `binkit sniff` command: walks the paths (the one walker), sniffs
//! files on several threads (the one ordered map), and prints the reports
//! in walk order as they complete.
//!
//! Only regular files are opened: a file found in a walk relative to its
//! directory with `O_NONBLOCK | O_NOFOLLOW` (no follow unless `-L`) and a
//! second check on the open file, so a FIFO or device swapped in after the
//! walk looked is never read. What the walk did not open is a note on
//! stderr, and under `--check` a failed file. Errors are reported per file
//! and the walk goes on; the status is 2 at the end if any file could not be
//! read, else 1 if any failed the policy or is a mismatch, else 0.

use std::fs::{self, File};
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::Arc;

use super::output::{Done, Printer};
use super::policy::Policy;
use super::{sniff_file, sniff_source, CopyError, Report, Stream};
use crate::cli::SniffArgs;
use crate::error::{Error, Outcome, Result};
use crate::io::ordered::{default_threads, Emit, MapWork, OrderedMap};
use crate::io::s3::ObjectReader;
use crate::io::walk::{Entry, Found, SkipKind, Walk, WalkOptions};
use crate::io::Input;
use crate::messages::printable;

/// Files sniffed or waiting to be printed, per thread: what the printer
/// may hold whatever the tree.
const IN_FLIGHT_PER_THREAD: usize = 16;

/// `binkit sniff`.
///
/// # Errors
/// Usage errors, and write errors on the reports' stream.
pub fn run(args: &SniffArgs) -> Result<Outcome> {
    let policy = Policy {
        allow: args.allow.clone(),
        deny: args.deny.clone(),
        max_size: args.max_size,
        strict: args.check,
        skip_special: args.skip_special,
    };
    let paths = if args.paths.is_empty() {
        // `find ... | xargs binkit sniff --check` with nothing found runs
        // binkit with no paths and stdin on /dev/null: an empty "upload"
        // that passes. Fail instead, as nothing was given to check.
        if stdin_is_null() {
            return Err(Error::Usage(
                "no paths given and stdin is /dev/null: name files, or `-` for stdin".into(),
            ));
        }
        vec!["-".into()]
    } else {
        args.paths.clone()
    };
    let stdin_count = paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 || (args.tee && (paths.len() > 1 || stdin_count == 0)) {
        return Err(Error::Usage(
            "stdin (`-`) can be named once, and --tee needs it as the only path".into(),
        ));
    }
    if args.name.is_some() && stdin_count == 0 {
        return Err(Error::Usage(
            "--name names stdin (`-`), which is not among the paths".into(),
        ));
    }
    let threads = args.threads.unwrap_or_else(|| {
        let local = default_threads().saturating_mul(NonZeroUsize::new(2).expect("2"));
        crate::io::s3::default_jobs(&paths, local)
    });
    let options = WalkOptions {
        recursive: args.recursive,
        follow: args.follow,
        confine: args.check && args.follow,
        shard: args.shard,
    };
    let (tee, follow) = (args.tee, args.follow);
    let name = args.name.clone().unwrap_or_default();
    let work: Arc<MapWork<Entry, Done>> = Arc::new(move |entry, emit: &Emit<Done>| {
        emit.send(sniff_entry(entry, tee, follow, &name, &policy));
    });
    let bound = threads.get() * IN_FLIGHT_PER_THREAD;
    let mut map = OrderedMap::new(threads, bound, 1, work);
    let mut printer = Printer::new(args);
    printer.begin()?;
    let mut print = |done: Option<Done>| done.map_or(Ok(()), |d| printer.take(d));
    for entry in Walk::new(paths, options) {
        map.submit(entry, &mut print)?;
    }
    map.drain(&mut print)?;
    drop(map);
    printer.end()?;
    printer.summary(args.quiet || !(args.recursive || args.paths.len() > 1));
    let c = &printer.counts;
    // DESIGN.md: 1 when a file failed the policy or its content does not
    // match its name (2, for an unreadable one, comes from the messages).
    if c.failed > 0 || c.mismatches > 0 {
        Ok(Outcome::No)
    } else {
        Ok(Outcome::Yes)
    }
}

/// Whether stdin is the null device (major 1, minor 3 on Linux).
fn stdin_is_null() -> bool {
    rustix::fs::fstat(rustix::stdio::stdin()).is_ok_and(|st| {
        rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::CharacterDevice
            && rustix::fs::major(st.st_rdev) == 1
            && rustix::fs::minor(st.st_rdev) == 3
    })
}

fn display(path: &Path) -> String {
    printable(path.as_os_str())
}

fn display_lossy(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn sniff_entry(entry: Entry, tee: bool, follow: bool, name: &str, policy: &Policy) -> Done {
    let report = match entry {
        Entry::Stdin => sniff_stdin(tee, name, policy.max_size.is_some()),
        Entry::File(found) => match sniff_found(&found) {
            Ok(Ok(report)) => Ok(report),
            Ok(Err(kind)) => Ok(Report::not_examined(display_lossy(found.path()), &kind)),
            Err(e) => Err(format!("{}: {e}", display(found.path()))),
        },
        // -L asked for the target, and it is not there: an error.
        Entry::Skipped(s) if follow && matches!(s.kind, SkipKind::Dangling(_)) => {
            let e = io::Error::from_raw_os_error(libc::ENOENT);
            Err(format!("{}: {e}", display(&s.path)))
        }
        Entry::Skipped(s) => Ok(Report::not_examined(display_lossy(&s.path), &s.kind)),
        Entry::Failed { path, error } => Err(format!("{}: {error}", display(&path))),
    };
    match report {
        Ok(mut report) => {
            policy.apply(&mut report);
            Done::Report(Box::new(report))
        }
        Err(message) => Done::Failed(message),
    }
}

/// Sniffs a regular file; anything else is not opened and comes back as
/// the kind it is.
fn sniff_found(found: &Found) -> io::Result<std::result::Result<Report, SkipKind>> {
    let path = found.path();
    #[cfg(debug_assertions)]
    stall_for_tests(path);
    if let Some(listed) = found.object() {
        if listed.url.is_prefix() {
            return Ok(Err(SkipKind::Directory));
        }
        let mut reader = match &listed.meta {
            Some(meta) => ObjectReader::listed(listed.url.clone(), meta.clone()),
            None => ObjectReader::open(&listed.url),
        }
        .map_err(crate::io::s3::to_io)?;
        let name = listed
            .url
            .key()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let size = reader.size();
        let mut report = crate::sniff::sniff_source(&mut reader, listed.url.to_string(), &name)?;
        report.size = Some(size);
        return Ok(Ok(report));
    }
    let mut file = if found.named() {
        // A path the user named is looked at through a final symlink, and
        // opened only when it is a regular file.
        let meta = fs::metadata(path)?;
        if !meta.is_file() {
            return Ok(Err(SkipKind::of(&meta)));
        }
        open_named(path)?
    } else {
        found.open()?
    };
    // What was opened may not be what was looked at.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Err(SkipKind::of(&meta)));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = path.to_string_lossy().into_owned();
    sniff_file(&mut file, shown, &name, meta.len()).map(Ok)
}

/// Test hook, compiled into debug builds only: the file whose name is in
/// `BINKIT_TEST_STALL` is sniffed 3 s late (a slow disk, a hung NFS
/// server), so that a test can watch what the ordered map holds meanwhile.
#[cfg(debug_assertions)]
fn stall_for_tests(path: &Path) {
    if let Some(name) = std::env::var_os("BINKIT_TEST_STALL") {
        if path.file_name() == Some(name.as_os_str()) {
            std::thread::sleep(std::time::Duration::from_secs(3));
        }
    }
}

fn open_named(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

/// Sniffs stdin with every check a file gets ([`Stream`] reads it as far
/// as they ask), judging `name` (`--name`, or none) as a file's. With a size limit or `tee` it is read to its end, its
/// size counted; with `tee` every byte is copied to stdout. A reader of
/// the copy that goes away (`| head`) ends the copy quietly, as a broken
/// pipe ends every binkit command.
fn sniff_stdin(tee: bool, name: &str, sized: bool) -> std::result::Result<Report, String> {
    let failed = |e: io::Error| {
        if let Some(copy) = e.get_ref().and_then(|e| e.downcast_ref::<CopyError>()) {
            let e = io::Error::new(copy.0.kind(), copy.0.to_string());
            return Error::io("write", &crate::error::Place::Stdout, e).to_string();
        }
        Error::io("read", &crate::error::Place::Stdin, e).to_string()
    };
    let mut input = Input::open(None).map_err(|e| e.to_string())?;
    let mut stdout = crate::io::stdio::stdout();
    let copy = tee.then_some(&mut stdout as &mut dyn Write);
    let mut stream = Stream::new(&mut input, copy);
    let mut report = sniff_source(&mut stream, "-".into(), name).map_err(failed)?;
    if tee || sized {
        stream.fill(u64::MAX).map_err(failed)?;
    }
    let (size, ended) = stream.read_so_far();
    let copy_closed = stream.copy_closed;
    drop(stream);
    if tee && !copy_closed {
        match stdout.flush() {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                return Err(Error::io("write", &crate::error::Place::Stdout, e).to_string())
            }
            _ => {}
        }
    }
    report.size = ended.then_some(size);
    Ok(report)
}
