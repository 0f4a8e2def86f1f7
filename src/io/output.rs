//! Outputs: stdout, or a file that appears only when the job succeeded.
//!
//! A file output is written to a temporary file in the target's directory,
//! then flushed, fsynced and renamed over the target by [`Output::commit`].
//! Dropped without a commit (an error, a panic), it is deleted; on SIGINT or
//! SIGTERM [`super::signals`] deletes it. An existing target is replaced only
//! with `--force`. Outputs that are not regular files (`/dev/null`, a FIFO)
//! are written directly.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use std::ffi::{OsStr, OsString};
use std::os::fd::OwnedFd;
use std::sync::Arc;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, RenameFlags};

use crate::io::walk::SkipKind;

use super::pump::BUF_SIZE;
use super::signals;
use crate::error::{Error, Place, Result};

/// Where a command's bytes go.
pub struct Output {
    sink: Sink,
    place: Place,
}

enum Sink {
    // `Stdout`, not its lock, so that an output can move to a writer thread.
    Stdout(BufWriter<super::stdio::Stdout>),
    Atomic(AtomicFile),
    Direct(BufWriter<File>),
    Object(super::s3::ObjectWriter),
}

impl Output {
    /// Stdout for `None` or `-`, else an atomic file at `path`.
    ///
    /// # Errors
    /// The target exists and `force` is off, is a directory, or its
    /// directory is missing or not writable.
    pub fn create(path: Option<&Path>, force: bool) -> Result<Output> {
        Output::create_sized(path, force, None)
    }

    /// [`Output::create`], told how many bytes will be written when that
    /// is known: an upload's part size depends on it (S3 takes at most
    /// 10,000 parts).
    ///
    /// # Errors
    /// As [`Output::create`]; for an object, also a size too large for
    /// S3's parts.
    pub fn create_sized(path: Option<&Path>, force: bool, size: Option<u64>) -> Result<Output> {
        let place = Place::from_arg(path, Place::Stdout);
        if let (Place::Object(_), Some(path)) = (&place, path) {
            let url = super::s3::ObjectUrl::from_path(path)
                .expect("an s3:// name")
                .map_err(|what| refused(&what, &place))?;
            return Ok(Output {
                sink: Sink::Object(super::s3::ObjectWriter::create(&url, force, size)?),
                place,
            });
        }
        let Place::File(target) = &place else {
            let stdout = BufWriter::with_capacity(BUF_SIZE, super::stdio::stdout());
            return Ok(Output {
                sink: Sink::Stdout(stdout),
                place,
            });
        };
        match descriptor_named(target) {
            // `-o /dev/stdout` is `-o -`: never a link to replace.
            Some(1) => {
                let stdout = BufWriter::with_capacity(BUF_SIZE, super::stdio::stdout());
                return Ok(Output {
                    sink: Sink::Stdout(stdout),
                    place: Place::Stdout,
                });
            }
            // Another of the caller's descriptors (`/dev/stderr`, `/dev/fd/3`):
            // a pipe, terminal or device is written to; a regular file
            // behind it is refused, -f or not, since reopening it would
            // write over its start (and it may be binkit's own input).
            Some(fd) => {
                let file = open_stream(target, &place, true, Some(fd))?;
                if fd == 2 && super::stdio::stderr_closed() {
                    return Err(Error::io("write", &place, rustix::io::Errno::BADF.into()));
                }
                return Ok(Output {
                    sink: Sink::Direct(BufWriter::with_capacity(BUF_SIZE, file)),
                    place,
                });
            }
            None => {}
        }
        let Ok(entry) = fs::symlink_metadata(target) else {
            return Ok(Output {
                sink: Sink::Atomic(AtomicFile::create(target, force)?),
                place,
            });
        };
        let link = entry.file_type().is_symlink();
        let reached = if link {
            fs::metadata(target).ok()
        } else {
            Some(entry)
        };
        if !link && reached.as_ref().is_some_and(fs::Metadata::is_dir) {
            return Err(refused("output is a directory", &place));
        }
        // A device, FIFO or socket, named or reached through a link: a
        // stream that cannot be replaced atomically, and must not be (with
        // -f, `/dev/null` or a disk must not become a regular file).
        let stream = reached
            .as_ref()
            .filter(|m| !m.is_file() && !m.is_dir())
            .map(SkipKind::of);
        if !force {
            let what = match (link, &stream) {
                (false, None) => return Err(exists_error(&place)),
                (false, Some(kind)) => format!("output is {kind}; use -f to write to it"),
                (true, Some(kind)) => format!(
                    "output is a symlink to {}, {kind}; use -f to write to it",
                    link_target(target)
                ),
                (true, None) => format!(
                    "output is a symlink to {}; use -f to replace the link",
                    link_target(target)
                ),
            };
            return Err(refused(&what, &place));
        }
        let sink = match stream {
            Some(_) => Sink::Direct(BufWriter::with_capacity(
                BUF_SIZE,
                open_stream(target, &place, link, None)?,
            )),
            None => Sink::Atomic(AtomicFile::create(target, force)?),
        };
        Ok(Output { sink, place })
    }

    /// An atomic file at `target` that replaces whatever entry is there,
    /// never writing through it: gzip's in-place outputs (`x.gz` -> `x`).
    /// An existing entry of any kind (file, symlink, FIFO, device) is
    /// refused without `force`, as GNU gzip does; with it the rename
    /// replaces the entry itself (a symlink, not what it points to).
    ///
    /// # Errors
    /// The target exists (without `force`) or is a directory, or its
    /// directory is missing or not writable.
    pub fn replace_entry(target: &Path, force: bool) -> Result<Output> {
        let place = Place::File(target.to_path_buf());
        match fs::symlink_metadata(target) {
            Ok(meta) if meta.is_dir() => Err(refused("output is a directory", &place)),
            Ok(_) if !force => Err(exists_error(&place)),
            _ => Ok(Output {
                sink: Sink::Atomic(AtomicFile::create(target, force)?),
                place,
            }),
        }
    }

    /// [`Output::replace_entry`] for the entry `name` of the directory
    /// `dir` (held open: a walk's directory); `shown` names it in messages.
    ///
    /// # Errors
    /// As [`Output::replace_entry`].
    pub fn replace_entry_at(
        dir: &Arc<OwnedFd>,
        name: &OsStr,
        shown: &Path,
        force: bool,
    ) -> Result<Output> {
        let place = Place::File(shown.to_path_buf());
        if !force && rustix::fs::statat(&**dir, name, AtFlags::SYMLINK_NOFOLLOW).is_ok() {
            return Err(exists_error(&place));
        }
        Ok(Output {
            sink: Sink::Atomic(AtomicFile::create_at(dir, name, shown, force)?),
            place,
        })
    }

    /// Where this output goes, for messages.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// Gives a file output `from`'s mode and modification time when it is
    /// committed, as gzip does for the file it replaces. Other outputs
    /// are left as they are.
    pub fn keep_stamp_of(&mut self, from: &fs::Metadata) {
        if let (Sink::Atomic(file), Ok(modified)) = (&mut self.sink, from.modified()) {
            file.stamp = Some((from.permissions(), modified));
        }
    }

    /// Gives a file output the modification time `modified` on commit
    /// (gzip -N restoring the stored time).
    pub fn set_modified(&mut self, modified: SystemTime) {
        if let Sink::Atomic(file) = &mut self.sink {
            let permissions = file
                .stamp
                .as_ref()
                .map_or_else(|| file.mode.clone(), |(p, _)| p.clone());
            file.stamp = Some((permissions, modified));
        }
    }

    /// Gives a file output `mode` when it is committed (decrypt's 0600).
    pub fn set_mode(&mut self, mode: u32) {
        if let Sink::Atomic(file) = &mut self.sink {
            file.mode = fs::Permissions::from_mode(mode & 0o7777);
            if let Some((permissions, _)) = &mut file.stamp {
                *permissions = file.mode.clone();
            }
        }
    }

    /// True when the bytes go to stdout.
    pub fn is_stdout(&self) -> bool {
        matches!(self.sink, Sink::Stdout(_))
    }

    /// Flushes everything and, for a file, makes it visible under its name.
    ///
    /// # Errors
    /// Write, fsync or rename errors; the target is then untouched.
    pub fn commit(self) -> Result<()> {
        let place = self.place;
        match self.sink {
            Sink::Stdout(mut out) => out.flush().map_err(|e| Error::io("write", &place, e)),
            Sink::Direct(out) => {
                out.into_inner()
                    .map_err(|e| Error::io("write", &place, e.into_error()))?;
                Ok(())
            }
            Sink::Atomic(file) => file.commit(),
            Sink::Object(upload) => upload.commit(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(out) => out.write(buf),
            Sink::Atomic(file) => file.write(buf),
            Sink::Direct(out) => out.write(buf),
            Sink::Object(upload) => upload.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.write_all(buf),
            Sink::Atomic(file) => file.write_all(buf),
            Sink::Direct(out) => out.write_all(buf),
            Sink::Object(upload) => upload.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.flush(),
            Sink::Atomic(file) => file.flush(),
            Sink::Direct(out) => out.flush(),
            Sink::Object(upload) => upload.flush(),
        }
    }
}

/// The process's umask, from `/proc/self/status` (reading it with the
/// umask call would change it for a moment under other threads).
fn umask() -> u32 {
    static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
            .unwrap_or(0o022)
    })
}

/// The descriptor that `path` names as typed: `/dev/stdout` (and
/// `/dev/stdin`, `/dev/stderr`), `/dev/fd/N`, `/proc/self/fd/N`. Those are
/// the caller's own streams, not entries to replace (as root, `-f` would
/// otherwise put a regular file at `/dev/stdout`). A link of the user's
/// that points there is an ordinary symlink: refused without -f, replaced
/// with it.
fn descriptor_named(path: &Path) -> Option<u32> {
    match path.to_str()? {
        "/dev/stdin" => return Some(0),
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    ["/dev/fd", "/proc/self/fd", "/proc/thread-self/fd"]
        .iter()
        .find_map(|dir| path.strip_prefix(dir).ok()?.to_str()?.parse().ok())
}

/// Where the symlink `link` points, for messages.
fn link_target(link: &Path) -> String {
    let to = fs::read_link(link).unwrap_or_default();
    format!("'{}'", crate::messages::printable(to.as_os_str()))
}

/// Opens a device or FIFO for writing, without waiting for a FIFO's reader
/// (a FIFO nobody reads is an error, not a hang). The entry is opened with
/// `O_NOFOLLOW` unless it was a link (a FIFO swapped for a symlink between
/// the check and the open is not followed), and what was opened is checked
/// again: a regular file or directory is never written through.
fn open_stream(target: &Path, place: &Place, follow: bool, fd: Option<u32>) -> Result<File> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let mut flags = OFlags::NONBLOCK;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let file = fs::OpenOptions::new()
        .write(true)
        .custom_flags(i32::try_from(flags.bits()).unwrap_or(0))
        .open(target)
        .map_err(|e| match e.raw_os_error() {
            Some(libc_enxio) if libc_enxio == rustix::io::Errno::NXIO.raw_os_error() => refused(
                "output is a FIFO nobody is reading, or a socket (binkit writes to no socket)",
                place,
            ),
            _ => Error::io("open output", place, e),
        })?;
    let kind = file
        .metadata()
        .map_err(|e| Error::io("open output", place, e))?
        .file_type();
    if kind.is_file() || kind.is_dir() {
        let what = match fd {
            Some(fd) => format!("output is descriptor {fd}, a file: writing there would overwrite its start (it may be binkit's own input); name the file itself"),
            None => "output changed while being opened: not a device or FIFO any more".into(),
        };
        return Err(refused(&what, place));
    }
    debug_assert!(
        kind.is_fifo() || kind.is_char_device() || kind.is_block_device() || kind.is_socket()
    );
    // Writes block as usual once it is open.
    let flags =
        rustix::fs::fcntl_getfl(&file).map_err(|e| Error::io("open output", place, e.into()))?;
    rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK)
        .map_err(|e| Error::io("open output", place, e.into()))?;
    Ok(file)
}

/// The refusal to replace an existing output without `-f`.
pub fn exists_error(place: &Place) -> Error {
    Error::output_exists(place)
}

fn refused(what: &str, place: &Place) -> Error {
    Error::Refused {
        what: what.into(),
        place: place.clone(),
    }
}

/// A temporary file beside its target, renamed into place on commit.
pub struct AtomicFile {
    writer: BufWriter<File>,
    temp: TempName,
    /// The mode the file gets just before it appears.
    mode: fs::Permissions,
    /// Mode and modification time to give the file before it appears.
    stamp: Option<(fs::Permissions, SystemTime)>,
    target: PathBuf,
    force: bool,
    place: Place,
    registration: Registration,
    /// `--patch`: the owner and extended attributes of the file the copy
    /// replaces, given to the copy after its last write (a write by
    /// someone else than root clears file capabilities, a chown clears
    /// set-id bits and capabilities).
    keep: Option<Kept>,
}

/// What a patched copy keeps of the file it replaces.
struct Kept {
    uid: u32,
    gid: u32,
    xattrs: Vec<(std::ffi::CString, Vec<u8>)>,
}

/// What a file was when `--patch` copied it: its identity, size and
/// times. Checked again just before the copy replaces it, so a change made
/// meanwhile (an append, a replacement) is an error, not silently lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// The file's size when it was copied.
    pub fn size(&self) -> u64 {
        self.size
    }
}

impl SyncedFile {
    /// [`SyncedFile::commit`], if the entry it replaces is still the file
    /// `stamp` describes (looked up in the directory held open, so a
    /// renamed parent changes nothing).
    ///
    /// # Errors
    /// The entry changed (nothing is replaced), or the rename failed.
    pub fn commit_over(self, stamp: &Stamp) -> Result<()> {
        let TempName::At(at) = &self.temp;
        let now = rustix::fs::statat(&*at.dir, at.target.as_os_str(), AtFlags::SYMLINK_NOFOLLOW)
            .map_err(|e| Error::io("open", &self.place, e.into()))?;
        let now = Stamp {
            dev: now.st_dev,
            ino: now.st_ino,
            size: u64::try_from(now.st_size).unwrap_or(0),
            mtime: (now.st_mtime, i64::try_from(now.st_mtime_nsec).unwrap_or(0)),
            ctime: (now.st_ctime, i64::try_from(now.st_ctime_nsec).unwrap_or(0)),
        };
        if now != *stamp {
            return Err(refused(
                "--patch: the file changed while it was being patched; it is left as it is now",
                &self.place,
            ));
        }
        self.commit()
    }
}

/// An atomic file whose bytes are written and fsynced, waiting to be
/// renamed into place (`split` renames all its parts only at the end).
pub struct SyncedFile {
    temp: TempName,
    target: PathBuf,
    force: bool,
    place: Place,
    _registration: Registration,
}

/// Keeps a temporary file on the signal handler's list while it exists.
struct Registration(Option<PathBuf>);

impl Registration {
    fn new(path: PathBuf) -> Registration {
        Registration(Some(path))
    }

    /// Forgets the path in a registry the caller already holds.
    fn release_held(mut self, held: &mut signals::Pending) {
        if let (Some(path), Some(set)) = (self.0.take(), held.as_mut()) {
            set.remove(&path);
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            signals::unregister(&path);
        }
    }
}

impl AtomicFile {
    /// A temporary file in `target`'s directory, to become `target`.
    ///
    /// # Errors
    /// A missing or unwritable directory.
    pub fn create(target: &Path, force: bool) -> Result<AtomicFile> {
        let place = Place::File(target.to_path_buf());
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(refused("output directory does not exist", &place));
        }
        let name = target
            .file_name()
            .filter(|_| !target.as_os_str().as_bytes().ends_with(b"/"))
            .ok_or_else(|| refused("output is a directory", &place))?;
        // The directory is held open: the temporary file is created,
        // renamed and removed relative to it, so a directory renamed
        // meanwhile neither strands the temporary file nor lets the
        // output land somewhere else.
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(dir, flags, Mode::empty())
            .map_err(|e| Error::io("open the directory of", &place, e.into()))?;
        AtomicFile::create_at(&Arc::new(fd), name, target, force)
    }

    /// Flushes and fsyncs the bytes; the file is not visible yet.
    ///
    /// # Errors
    /// Write or fsync errors.
    pub fn sync(self) -> Result<SyncedFile> {
        let AtomicFile {
            writer,
            temp,
            mode,
            stamp,
            target,
            force,
            place,
            registration,
            keep,
        } = self;
        let file = writer
            .into_inner()
            .map_err(|e| Error::io("write", &place, e.into_error()))?;
        if let Some(keep) = keep {
            keep.apply(&file)
                .map_err(|e| Error::io("keep the owner and attributes of", &place, e))?;
        }
        let stamped = match stamp {
            Some((permissions, modified)) => file
                .set_permissions(permissions)
                .and_then(|()| file.set_modified(modified)),
            None => file.set_permissions(mode),
        };
        stamped.map_err(|e| Error::io("set the mode and time of", &place, e))?;
        file.sync_all().map_err(|e| Error::io("sync", &place, e))?;
        drop(file);
        Ok(SyncedFile {
            temp,
            target,
            force,
            place,
            _registration: registration,
        })
    }

    fn commit(self) -> Result<()> {
        self.sync()?.commit()
    }

    /// A copy of the regular file `target` beside it, to be patched
    /// ([`AtomicFile::seek_to`]) and renamed over it, with `target`'s
    /// mode, owner and extended attributes; holes stay holes. As `xxd -r`
    /// into it would, this needs `target` to be writable; a symlink is
    /// refused (nothing is written through one), and so, without `force`,
    /// is a file with other hard links (they would keep the old bytes) —
    /// and a file whose owner the copy cannot have (only root can give a
    /// file away: the patched file would change hands).
    ///
    /// # Errors
    /// Those refusals, and errors reading `target` or writing the copy.
    pub fn patching(target: &Path, force: bool) -> Result<(AtomicFile, Stamp)> {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        let place = Place::File(target.to_path_buf());
        let meta = fs::symlink_metadata(target).map_err(|e| Error::io("open", &place, e))?;
        if meta.is_symlink() {
            return Err(refused(
                "--patch: a symlink (name the file it points to)",
                &place,
            ));
        }
        if !meta.is_file() {
            return Err(refused("--patch: not a regular file", &place));
        }
        if meta.nlink() > 1 && !force {
            let what = format!(
                "--patch: has {} other hard link(s), which would keep the old bytes (-f to patch this name only)",
                meta.nlink() - 1
            );
            return Err(refused(&what, &place));
        }
        // Read and write, as xxd needs write: a file its user may not
        // write is refused here, not replaced by a copy they may write.
        let source = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc_nofollow())
            .open(target)
            .map_err(|e| Error::io("open for writing", &place, e))?;
        let opened = source
            .metadata()
            .map_err(|e| Error::io("open", &place, e))?;
        if Stamp::of(&opened) != Stamp::of(&meta) {
            return Err(refused(
                "--patch: the file changed while it was opened",
                &place,
            ));
        }
        let keep =
            Kept::of(&source, &meta).map_err(|e| Error::io("read the attributes of", &place, e))?;
        let mut copy = AtomicFile::create(target, true)?;
        // Only root can give the copy the file's owner: find out now, not
        // after the copy.
        keep.chown(copy.writer.get_ref()).map_err(|_| {
            refused(
                &format!(
                    "--patch: the patched copy could not keep the owner {}:{} (binkit patches a copy and renames it over the file; only root can give a file away)",
                    meta.uid(),
                    meta.gid()
                ),
                &place,
            )
        })?;
        copy_sparse(&source, copy.writer.get_ref(), meta.size())
            .map_err(|e| Error::io("copy", &place, e))?;
        copy.keep = Some(keep);
        copy.seek_to(0).map_err(|e| Error::io("copy", &place, e))?;
        Ok((copy, Stamp::of(&opened)))
    }

    /// Moves the write position to `pos` (`--patch`).
    ///
    /// # Errors
    /// Flushing what was written before, or the seek.
    pub fn seek_to(&mut self, pos: u64) -> io::Result<()> {
        use std::io::Seek;
        self.writer.seek(io::SeekFrom::Start(pos)).map(|_| ())
    }
}

impl Kept {
    fn of(file: &File, meta: &fs::Metadata) -> io::Result<Kept> {
        use std::os::unix::fs::MetadataExt;
        let mut xattrs = Vec::new();
        let names = match rustix::fs::flistxattr_query(file) {
            Ok(0) => Vec::new(),
            Ok(len) => {
                let mut names = vec![0u8; len];
                let len = rustix::fs::flistxattr(file, &mut names[..])?;
                names.truncate(len);
                names
            }
            Err(rustix::io::Errno::NOTSUP) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let name = std::ffi::CString::new(name).map_err(io::Error::other)?;
            let len = rustix::fs::fgetxattr_query(file, name.as_c_str())?;
            let mut value = vec![0u8; len];
            let len = rustix::fs::fgetxattr(file, name.as_c_str(), &mut value[..])?;
            value.truncate(len);
            xattrs.push((name, value));
        }
        Ok(Kept {
            uid: meta.uid(),
            gid: meta.gid(),
            xattrs,
        })
    }

    fn chown(&self, file: &File) -> io::Result<()> {
        rustix::fs::fchown(
            file,
            Some(rustix::fs::Uid::from_raw(self.uid)),
            Some(rustix::fs::Gid::from_raw(self.gid)),
        )?;
        Ok(())
    }

    /// The owner, then the attributes (a chown clears capabilities).
    fn apply(&self, file: &File) -> io::Result<()> {
        self.chown(file)?;
        for (name, value) in &self.xattrs {
            rustix::fs::fsetxattr(
                file,
                name.as_c_str(),
                value,
                rustix::fs::XattrFlags::empty(),
            )
            .map_err(|e| {
                io::Error::other(format!(
                    "extended attribute {}: {}",
                    name.to_string_lossy(),
                    crate::error::os_text(&e.into())
                ))
            })?;
        }
        Ok(())
    }
}

/// Copies the first `len` bytes of `from` into `to` (at the same offsets),
/// skipping holes (SEEK_DATA/SEEK_HOLE) so that a sparse file stays
/// sparse; memory is one 256 KiB buffer.
fn copy_sparse(from: &File, to: &File, len: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    let mut buf = vec![0u8; 256 * 1024];
    let mut at = 0;
    while at < len {
        let data = match rustix::fs::seek(from, rustix::fs::SeekFrom::Data(at)) {
            Ok(data) => data,
            Err(rustix::io::Errno::NXIO) => break, // only a hole is left
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOTSUP) => at,
            Err(e) => return Err(e.into()),
        };
        let hole = match rustix::fs::seek(from, rustix::fs::SeekFrom::Hole(data)) {
            Ok(hole) => hole.min(len),
            Err(_) => len,
        };
        let mut pos = data;
        while pos < hole {
            let want = usize::try_from(hole - pos)
                .unwrap_or(buf.len())
                .min(buf.len());
            let n = from.read_at(&mut buf[..want], pos)?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the file got shorter while it was copied",
                ));
            }
            to.write_all_at(&buf[..n], pos)?;
            pos += n as u64;
        }
        at = hole;
    }
    to.set_len(len)
}

/// `O_NOFOLLOW`, as `OpenOptionsExt::custom_flags` takes it.
fn libc_nofollow() -> i32 {
    i32::try_from(OFlags::NOFOLLOW.bits()).expect("a flag bit")
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl SyncedFile {
    /// The name it will have.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the file into place (no-clobber unless forced) and makes
    /// the rename durable.
    ///
    /// # Errors
    /// The target appeared meanwhile (without force), or the rename failed.
    pub fn commit(self) -> Result<()> {
        let mut held = signals::hold();
        self.commit_held(&mut held)
    }

    /// [`SyncedFile::commit`] with the signal registry already held (so
    /// that the caller can register the placed file in the same hold).
    ///
    /// # Errors
    /// As [`SyncedFile::commit`].
    pub fn commit_held(self, held: &mut signals::Pending) -> Result<()> {
        let SyncedFile {
            temp,
            force,
            place,
            _registration,
            ..
        } = self;
        let persisted = temp.persist(force);
        // The temp name is gone (or will be removed on drop): forget it
        // while still holding.
        _registration.release_held(held);
        persisted.map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => exists_error(&place),
            _ => Error::io("rename output into place", &place, e),
        })
    }
}

/// A temporary file's name until it is renamed into place or removed
/// (on drop).
enum TempName {
    /// In a directory held open.
    At(TempAt),
}

/// A temporary file in a directory held open, under `name`, to become
/// `target` in the same directory: created, renamed and removed relative
/// to the directory, so a directory swapped for a symlink is never
/// followed.
struct TempAt {
    dir: Arc<OwnedFd>,
    name: OsString,
    target: OsString,
    live: bool,
}

impl TempName {
    /// Renames into place (no-clobber unless `force`), then makes the
    /// rename durable where the file system allows.
    fn persist(self, force: bool) -> io::Result<()> {
        match self {
            TempName::At(mut at) => {
                at.rename(force)?;
                at.live = false;
                let _ = rustix::fs::fsync(&*at.dir);
                Ok(())
            }
        }
    }
}

impl TempAt {
    fn rename(&self, force: bool) -> io::Result<()> {
        let (dir, from, to) = (&*self.dir, self.name.as_os_str(), self.target.as_os_str());
        let flags = if force {
            RenameFlags::empty()
        } else {
            RenameFlags::NOREPLACE
        };
        match rustix::fs::renameat_with(dir, from, dir, to, flags) {
            // A file system without RENAME_NOREPLACE: link, which never
            // replaces, then drop the temporary name.
            Err(rustix::io::Errno::INVAL) if !force => {
                rustix::fs::linkat(dir, from, dir, to, AtFlags::empty())?;
                let _ = rustix::fs::unlinkat(dir, from, AtFlags::empty());
                Ok(())
            }
            other => Ok(other?),
        }
    }
}

impl Drop for TempAt {
    fn drop(&mut self) {
        if self.live {
            let _ = rustix::fs::unlinkat(&*self.dir, self.name.as_os_str(), AtFlags::empty());
        }
    }
}

impl AtomicFile {
    /// A temporary file in the directory `dir` (held open), to become its
    /// entry `name`; `shown` is the target's path for messages.
    ///
    /// # Errors
    /// The target is a directory, or the temporary file cannot be created.
    pub fn create_at(
        dir: &Arc<OwnedFd>,
        name: &OsStr,
        shown: &Path,
        force: bool,
    ) -> Result<AtomicFile> {
        let place = Place::File(shown.to_path_buf());
        let existing = rustix::fs::statat(&**dir, name, AtFlags::SYMLINK_NOFOLLOW).ok();
        let kind = existing
            .as_ref()
            .map(|s| FileType::from_raw_mode(s.st_mode));
        if kind == Some(FileType::Directory) {
            return Err(refused("output is a directory", &place));
        }
        let mode = match (&existing, kind) {
            (Some(stat), Some(FileType::RegularFile)) => stat.st_mode & 0o7777,
            _ => 0o666 & !umask(),
        };
        // Created and registered under one hold of the signal registry.
        let mut held = signals::hold();
        let (file, temp_name) =
            create_temp_at(dir, name).map_err(|e| Error::io("create output", &place, e))?;
        let registered = shown.with_file_name(&temp_name);
        signals::register_held(&mut held, &registered);
        drop(held);
        Ok(AtomicFile {
            registration: Registration::new(registered),
            writer: BufWriter::with_capacity(BUF_SIZE, file),
            temp: TempName::At(TempAt {
                dir: Arc::clone(dir),
                name: temp_name,
                target: name.to_os_string(),
                live: true,
            }),
            mode: fs::Permissions::from_mode(mode),
            stamp: None,
            keep: None,
            target: shown.to_path_buf(),
            force,
            place,
        })
    }
}

/// Creates `.NAME.XXXXXXXX` (random) in `dir`, 0600, never through a link.
fn create_temp_at(dir: &OwnedFd, name: &OsStr) -> io::Result<(File, OsString)> {
    let flags = OFlags::RDWR | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..16 {
        let mut random = [0u8; 6];
        getrandom::fill(&mut random).map_err(|_| io::Error::other("no randomness"))?;
        let mut temp = OsString::from(".");
        temp.push(name);
        temp.push(format!(".{}", hex::encode(random)));
        match rustix::fs::openat(dir, temp.as_os_str(), flags, Mode::from_raw_mode(0o600)) {
            Ok(fd) => return Ok((File::from(fd), temp)),
            Err(rustix::io::Errno::EXIST) => last = io::Error::from(io::ErrorKind::AlreadyExists),
            Err(e) => return Err(e.into()),
        }
    }
    Err(last)
}
