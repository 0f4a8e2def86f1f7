//! The one walker: the paths of a command line, directories expanded with
//! `-r`, as a stream of [`Entry`]s.
//!
//! The rules (DESIGN.md, "Safe path resolution") live here once:
//!
//! - symbolic links found in a walk are not followed unless asked (`-L`);
//!   a path named on the command line is looked at through a final link,
//!   as `grep -r` and `find -H` do;
//! - with `-L`, a link back to a directory being walked is a loop, reported
//!   and not entered;
//! - FIFOs, sockets and devices found in a walk are never opened;
//! - every entry the walker does not hand over to be opened comes out as
//!   [`Entry::Skipped`] with its kind, or [`Entry::Failed`] with the error:
//!   nothing is dropped, and each subcommand decides what a skip means
//!   (`sniff --check` fails it, gzip warns, grep-log is quiet like grep);
//! - a directory is opened relative to the descriptor of its parent, and a
//!   file relative to the descriptor of the directory it was found in, with
//!   `O_NOFOLLOW`: a directory swapped for a symlink between the walk and
//!   the open is never followed out of the tree.
//!
//! Memory: one directory's names at a time per level of depth (packed in
//! one buffer), sorted by name so that runs are reproducible; a walk's
//! result is never held whole. Open descriptors: one per level of depth.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::File;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, CWD};

use super::s3::{self, ObjectUrl};

/// What the walk found at one place.
#[derive(Debug)]
pub enum Entry {
    /// `-` on the command line: standard input.
    Stdin,
    /// A file to open with [`Found::open`]: a regular file found in a walk,
    /// or any path named on the command line that is not walked.
    File(Found),
    /// Not opened, and why.
    Skipped(Skipped),
    /// A place that could not be read (a directory without permission).
    Failed {
        /// Where.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
}

/// A file the walk hands over.
#[derive(Debug)]
pub struct Found {
    path: PathBuf,
    /// The directory it was found in, and its name there; `None` for a
    /// path named on the command line, which is opened as given.
    at: Option<(Arc<OwnedFd>, OsString)>,
    follow: bool,
    /// An object: listed (its size and ETag known) or named.
    object: Option<Box<Listed>>,
}

/// An object a walk found in object storage, or one named.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Its name.
    pub url: ObjectUrl,
    /// What the listing said of it (`None` for a name not listed).
    pub meta: Option<s3::Listing>,
}

/// An entry the walk did not hand over.
#[derive(Debug)]
pub struct Skipped {
    /// Where.
    pub path: PathBuf,
    /// What it is.
    pub kind: SkipKind,
}

/// Why an entry was not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipKind {
    /// A symbolic link, not followed (no `-L`); its target.
    Symlink(PathBuf),
    /// A link (with `-L`) whose target does not exist.
    Dangling(PathBuf),
    /// A link (with `-L`) back to a directory being walked.
    Loop,
    /// A link (with `-L`, confined) whose target is outside the directory
    /// named on the command line that it was found in; its target.
    Outside(PathBuf),
    /// A named pipe.
    Fifo,
    /// A Unix socket.
    Socket,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A directory named without `-r`.
    Directory,
    /// Anything else.
    Other,
}

impl SkipKind {
    /// What a file that is not regular is, from its metadata.
    pub fn of(meta: &std::fs::Metadata) -> SkipKind {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_dir() {
            SkipKind::Directory
        } else if t.is_fifo() {
            SkipKind::Fifo
        } else if t.is_socket() {
            SkipKind::Socket
        } else if t.is_char_device() {
            SkipKind::CharDevice
        } else if t.is_block_device() {
            SkipKind::BlockDevice
        } else {
            SkipKind::Other
        }
    }
}

impl fmt::Display for SkipKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = |t: &Path| crate::messages::printable(t.as_os_str());
        match self {
            SkipKind::Symlink(to) if to.as_os_str().is_empty() => f.write_str("a symlink"),
            SkipKind::Symlink(to) => write!(f, "a symlink to {}", target(to)),
            SkipKind::Dangling(to) => write!(f, "a dangling symlink to {}", target(to)),
            SkipKind::Loop => f.write_str("a symlink loop"),
            SkipKind::Outside(to) => write!(f, "a symlink out of the tree, to {}", target(to)),
            SkipKind::Fifo => f.write_str("a FIFO"),
            SkipKind::Socket => f.write_str("a socket"),
            SkipKind::CharDevice => f.write_str("a character device"),
            SkipKind::BlockDevice => f.write_str("a block device"),
            SkipKind::Directory => f.write_str("a directory"),
            SkipKind::Other => f.write_str("not a regular file"),
        }
    }
}

impl Found {
    /// The path as named or found (the root joined with the names below it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory it was found in (held open) and its name there;
    /// `None` for a path named on the command line.
    pub fn at(&self) -> Option<(&Arc<OwnedFd>, &OsStr)> {
        self.at.as_ref().map(|(dir, name)| (dir, name.as_os_str()))
    }

    /// True for a path named on the command line (not found by a walk).
    pub fn named(&self) -> bool {
        self.at.is_none() && self.object.as_ref().is_none_or(|o| o.meta.is_none())
    }

    /// The object this is, when it is one (`s3://`).
    pub fn object(&self) -> Option<&Listed> {
        self.object.as_deref()
    }

    /// Opens the file for reading. A file found in a walk is opened
    /// relative to its directory, without blocking on a FIFO or taking a
    /// terminal, and only if it still is a regular file; a named path is
    /// opened as given (what it is, the caller checks).
    ///
    /// # Errors
    /// The open's error; for a walked entry that is no longer a regular
    /// file, `InvalidInput` saying so.
    pub fn open(&self) -> io::Result<File> {
        let flags = OFlags::RDONLY | OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let Some((dir, name)) = &self.at else {
            // Blocking, as any tool opens what it was told to: a FIFO the
            // user named (`<(command)`) is read.
            return File::open(&self.path);
        };
        let flags = if self.follow {
            flags
        } else {
            flags | OFlags::NOFOLLOW
        };
        let file = File::from(rustix::fs::openat(
            &**dir,
            name.as_os_str(),
            flags,
            Mode::empty(),
        )?);
        if !file.metadata()?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no longer a regular file",
            ));
        }
        Ok(file)
    }
}

/// How to walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Descend into directories named on the command line (`-r`).
    pub recursive: bool,
    /// Follow symbolic links found in the walk (`-L`).
    pub follow: bool,
    /// With `follow`: not a link whose target lies outside the directory
    /// named on the command line (`sniff --check -L`: a link out of an
    /// upload folder is itself the finding).
    pub confine: bool,
    /// `--shard K/N`: only the entries whose name hashes to shard K
    /// (1-based) of N, so that N machines share one tree or bucket.
    pub shard: Option<Shard>,
}

/// One of N shards of a walk (`--shard K/N`, K from 1 to N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which one, from 1.
    pub k: u64,
    /// How many.
    pub n: u64,
}

impl Shard {
    /// Parses `K/N` (1 <= K <= N).
    ///
    /// # Errors
    /// Anything else, with the reason.
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let bad = || format!("'{text}' is not K/N with 1 <= K <= N (--shard 2/8)");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// True when `name` (an object's key, or a path below a named
    /// directory, as bytes) falls in this shard. The hash is FNV-1a over
    /// the name, fixed across machines and versions: shards computed on
    /// different machines partition the same listing.
    pub fn holds(&self, name: &[u8]) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in name {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash % self.n == self.k - 1
    }
}

/// Which directories a walk does not enter: given the directory's path
/// and whether it was named on the command line.
pub type SkipDir = Box<dyn Fn(&Path, bool) -> bool + Send>;

/// The walk over a command line's paths; an iterator of [`Entry`]s.
pub struct Walk {
    roots: std::vec::IntoIter<PathBuf>,
    options: WalkOptions,
    /// grep's `--exclude-dir`: directories passed over without a word.
    skip_dir: Option<SkipDir>,
    stack: Vec<Level>,
    /// The path of the deepest directory: one buffer for the whole walk,
    /// so memory grows with the depth, not with its square.
    path: PathBuf,
    /// The real path of the directory named on the command line being
    /// walked, for `confine`.
    root_real: Option<PathBuf>,
    /// The object-storage prefix being listed.
    listing: Option<Listing>,
}

/// A prefix being listed, a page (1,000 keys) at a time: a million keys
/// never sit in memory.
struct Listing {
    base: ObjectUrl,
    prefix: String,
    page: std::collections::VecDeque<s3::ListedKey>,
    /// The next page's token; `None` with `started` when there is none.
    token: Option<String>,
    started: bool,
    /// Anything listed yet.
    any: bool,
    /// `-r s3://b/name` where nothing lies under `name/`: the object
    /// `name` itself, as `-r file` is the file.
    fallback: Option<ObjectUrl>,
}

/// One directory being walked.
struct Level {
    fd: Arc<OwnedFd>,
    /// (device, inode), for loop detection under `-L`.
    id: (u64, u64),
    names: Names,
    next: usize,
}

impl Walk {
    /// Walks `roots` in order; `-` is stdin.
    pub fn new(roots: Vec<PathBuf>, options: WalkOptions) -> Walk {
        Walk {
            roots: roots.into_iter(),
            options,
            skip_dir: None,
            stack: Vec::new(),
            path: PathBuf::new(),
            root_real: None,
            listing: None,
        }
    }

    /// Does not enter the directories `skip` picks (grep's `--exclude-dir`).
    #[must_use]
    pub fn skipping_dirs(mut self, skip: SkipDir) -> Walk {
        self.skip_dir = Some(skip);
        self
    }

    fn skipped_dir(&self, path: &Path, named: bool) -> bool {
        self.skip_dir.as_ref().is_some_and(|skip| skip(path, named))
    }

    /// The entry for a command-line path.
    fn root(&mut self, path: PathBuf) -> Option<Entry> {
        if path.as_os_str() == "-" {
            return Some(Entry::Stdin);
        }
        if let Some(url) = ObjectUrl::from_path(&path) {
            return self.object_root(path, url);
        }
        if !self.options.recursive || !path.is_dir() {
            return Some(Entry::File(Found {
                path,
                at: None,
                follow: true,
                object: None,
            }));
        }
        if self.skipped_dir(&path, true) {
            return None;
        }
        if self.options.confine {
            self.root_real = std::fs::canonicalize(&path).ok();
        }
        // A named directory is entered through a final symlink.
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        match rustix::fs::openat(CWD, &path, flags, Mode::empty()) {
            Ok(fd) => self.enter(fd, path),
            Err(e) => Some(failed(path, e.into())),
        }
    }

    /// The entry for an `s3://` name on the command line: the object, or
    /// with `-r` the listing of the prefix.
    fn object_root(
        &mut self,
        path: PathBuf,
        url: std::result::Result<ObjectUrl, String>,
    ) -> Option<Entry> {
        let url = match url {
            Ok(url) => url,
            Err(why) => {
                return Some(failed(
                    path,
                    io::Error::new(io::ErrorKind::InvalidInput, why),
                ))
            }
        };
        if !self.options.recursive {
            // A prefix named without -r is handed over as a directory
            // named without -r is: each subcommand says what it says of
            // one (grep-log and gzip: an error; sniff: a skipped line).
            return Some(Entry::File(Found {
                path,
                at: None,
                follow: true,
                object: Some(Box::new(Listed { url, meta: None })),
            }));
        }
        let prefix = match url.key() {
            "" => String::new(),
            key if key.ends_with('/') => key.to_string(),
            key => format!("{key}/"),
        };
        let fallback = (!url.is_prefix()).then(|| url.clone());
        self.listing = Some(Listing {
            base: url,
            prefix,
            page: std::collections::VecDeque::new(),
            token: None,
            started: false,
            any: false,
            fallback,
        });
        let _ = path;
        None
    }

    /// The next object of the listing under way.
    fn list_step(&mut self) -> Option<Option<Entry>> {
        let listing = self.listing.as_mut()?;
        if listing.page.is_empty() && (!listing.started || listing.token.is_some()) {
            let page = s3::client().and_then(|client| {
                client.list_page(&listing.base, &listing.prefix, listing.token.as_deref())
            });
            listing.started = true;
            match page {
                Ok((keys, token)) => {
                    listing.page.extend(keys);
                    listing.token = token;
                }
                Err(e) => {
                    let base = listing.base.to_string();
                    self.listing = None;
                    return Some(Some(failed(PathBuf::from(base), s3::to_io(e))));
                }
            }
        }
        let Some(listed) = listing.page.pop_front() else {
            let listing = self.listing.take()?;
            return match listing.fallback {
                Some(url) if !listing.any => Some(Some(Entry::File(Found {
                    path: PathBuf::from(url.to_string()),
                    at: None,
                    follow: true,
                    object: Some(Box::new(Listed { url, meta: None })),
                }))),
                _ => Some(None),
            };
        };
        listing.any = true;
        if listed.key.ends_with('/') {
            // A console's "folder" marker (`logs/`, empty): no object to
            // read, as `aws s3 cp --recursive` passes it over.
            return Some(None);
        }
        let name = format!("s3://{}/{}", listing.base.bucket(), listed.key);
        Some(Some(match ObjectUrl::parse(&name) {
            Ok(url) => Entry::File(Found {
                path: PathBuf::from(&name),
                at: None,
                follow: false,
                object: Some(Box::new(Listed {
                    url,
                    meta: Some(listed.meta),
                })),
            }),
            // A key binkit does not address: this entry's error alone.
            Err(why) => failed(
                PathBuf::from(name),
                io::Error::new(io::ErrorKind::InvalidInput, why),
            ),
        }))
    }

    /// True when `entry` is in this walk's shard (always, without one).
    fn in_shard(&self, entry: &Entry) -> bool {
        let Some(shard) = self.options.shard else {
            return true;
        };
        let path = match entry {
            Entry::Stdin => return true,
            Entry::File(found) => match found.object() {
                Some(listed) => return shard.holds(listed.url.key().as_bytes()),
                None => found.path(),
            },
            Entry::Skipped(s) => &s.path,
            Entry::Failed { path, .. } => path,
        };
        shard.holds(path.as_os_str().as_bytes())
    }

    /// Reads a directory's names and puts it on the stack.
    fn enter(&mut self, fd: OwnedFd, path: PathBuf) -> Option<Entry> {
        let read = || -> io::Result<(Names, (u64, u64))> {
            let stat = rustix::fs::fstat(&fd)?;
            let mut names = Names::default();
            for entry in rustix::fs::Dir::read_from(&fd)? {
                let entry = entry?;
                let name = entry.file_name().to_bytes();
                if name != b"." && name != b".." {
                    names.push(name, entry.file_type());
                }
            }
            names.sort();
            Ok((names, (stat.st_dev, stat.st_ino)))
        };
        match read() {
            // Under -L a directory can be its own ancestor through a link
            // above it (`d/up -> ..` reaches `d` again): a loop.
            Ok((_, id)) if self.stack.iter().any(|level| level.id == id) => {
                Some(skipped(path, SkipKind::Loop))
            }
            Ok((names, id)) => {
                self.stack.push(Level {
                    fd: Arc::new(fd),
                    id,
                    names,
                    next: 0,
                });
                self.path = path;
                None
            }
            Err(e) => Some(failed(path, e)),
        }
    }

    /// The entry for the next name in the deepest directory, if any.
    fn step(&mut self) -> Option<Option<Entry>> {
        let level = self.stack.last_mut()?;
        let Some((name, file_type)) = level.names.get(level.next) else {
            self.stack.pop();
            self.path.pop();
            return Some(None);
        };
        let name = OsStr::from_bytes(name).to_os_string();
        level.next += 1;
        let path = self.path.join(&name);
        let dir = Arc::clone(&level.fd);
        Some(self.classify(dir, name, path, file_type))
    }

    fn classify(
        &mut self,
        dir: Arc<OwnedFd>,
        name: OsString,
        path: PathBuf,
        file_type: FileType,
    ) -> Option<Entry> {
        let file_type = if file_type == FileType::Unknown {
            match rustix::fs::statat(&*dir, name.as_os_str(), AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => FileType::from_raw_mode(stat.st_mode),
                Err(e) => return Some(failed(path, e.into())),
            }
        } else {
            file_type
        };
        match file_type {
            FileType::RegularFile => Some(Entry::File(Found {
                path,
                at: Some((dir, name)),
                follow: false,
                object: None,
            })),
            FileType::Directory => {
                if self.skipped_dir(Path::new(&name), false) {
                    return None;
                }
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                match rustix::fs::openat(&*dir, name.as_os_str(), flags, Mode::empty()) {
                    Ok(fd) => self.enter(fd, path),
                    Err(e) => Some(failed(path, e.into())),
                }
            }
            FileType::Symlink => self.symlink(dir, name, path),
            other => Some(skipped(path, kind_of(other))),
        }
    }

    /// A symlink in a walk: reported, or with `-L` followed.
    fn symlink(&mut self, dir: Arc<OwnedFd>, name: OsString, path: PathBuf) -> Option<Entry> {
        let target = rustix::fs::readlinkat(&*dir, name.as_os_str(), Vec::new())
            .map(|t| PathBuf::from(OsString::from_vec(t.into_bytes())))
            .unwrap_or_default();
        if !self.options.follow {
            return Some(skipped(path, SkipKind::Symlink(target)));
        }
        let stat = match rustix::fs::statat(&*dir, name.as_os_str(), AtFlags::empty()) {
            Ok(stat) => stat,
            Err(rustix::io::Errno::NOENT) => {
                return Some(skipped(path, SkipKind::Dangling(target)))
            }
            Err(rustix::io::Errno::LOOP) => return Some(skipped(path, SkipKind::Loop)),
            Err(e) => return Some(failed(path, e.into())),
        };
        if self.options.confine {
            // Fail closed: a target that cannot be resolved is outside.
            let inside = std::fs::canonicalize(&path)
                .ok()
                .zip(self.root_real.as_ref())
                .is_some_and(|(real, root)| real.starts_with(root));
            if !inside {
                return Some(skipped(path, SkipKind::Outside(target)));
            }
        }
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Some(Entry::File(Found {
                path,
                at: Some((dir, name)),
                follow: true,
                object: None,
            })),
            FileType::Directory => {
                if self.skipped_dir(Path::new(&name), false) {
                    return None;
                }
                let id = (stat.st_dev, stat.st_ino);
                if self.stack.iter().any(|level| level.id == id) {
                    return Some(skipped(path, SkipKind::Loop));
                }
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                match rustix::fs::openat(&*dir, name.as_os_str(), flags, Mode::empty()) {
                    Ok(fd) => self.enter(fd, path),
                    Err(e) => Some(failed(path, e.into())),
                }
            }
            other => Some(skipped(path, kind_of(other))),
        }
    }
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let entry = self.next_any()?;
            if self.in_shard(&entry) {
                return Some(entry);
            }
        }
    }
}

impl Walk {
    fn next_any(&mut self) -> Option<Entry> {
        loop {
            if self.listing.is_some() {
                match self.list_step() {
                    Some(Some(entry)) => return Some(entry),
                    _ => continue,
                }
            }
            match self.step() {
                Some(Some(entry)) => return Some(entry),
                Some(None) => continue,
                None => {}
            }
            let root = self.roots.next()?;
            if let Some(entry) = self.root(root) {
                return Some(entry);
            }
        }
    }
}

fn failed(path: PathBuf, error: io::Error) -> Entry {
    Entry::Failed { path, error }
}

fn skipped(path: PathBuf, kind: SkipKind) -> Entry {
    Entry::Skipped(Skipped { path, kind })
}

fn kind_of(file_type: FileType) -> SkipKind {
    match file_type {
        FileType::Fifo => SkipKind::Fifo,
        FileType::Socket => SkipKind::Socket,
        FileType::CharacterDevice => SkipKind::CharDevice,
        FileType::BlockDevice => SkipKind::BlockDevice,
        FileType::Directory => SkipKind::Directory,
        _ => SkipKind::Other,
    }
}

/// One directory's names, packed in one buffer: a directory of 100,000
/// files costs a few MiB, not 100,000 allocations.
#[derive(Default)]
struct Names {
    bytes: Vec<u8>,
    /// (start, length, type) of each name in `bytes`.
    spans: Vec<(usize, usize, FileType)>,
}

impl Names {
    fn push(&mut self, name: &[u8], file_type: FileType) {
        self.spans.push((self.bytes.len(), name.len(), file_type));
        self.bytes.extend_from_slice(name);
    }

    fn sort(&mut self) {
        let bytes = &self.bytes;
        self.spans
            .sort_unstable_by(|a, b| bytes[a.0..a.0 + a.1].cmp(&bytes[b.0..b.0 + b.1]));
    }

    fn get(&self, i: usize) -> Option<(&[u8], FileType)> {
        let &(start, len, file_type) = self.spans.get(i)?;
        Some((&self.bytes[start..start + len], file_type))
    }
}

#[cfg(test)]
mod tests;
