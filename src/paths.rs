//! Safe resolution of names that come from data, not from the user.
//!
//! A chunk name in a manifest or a file name stored in a gzip header is
//! attacker-controlled. [`resolve_under`] turns such a name into a path
//! inside a base directory or refuses it: absolute paths, `..` anywhere,
//! Windows separators and drive prefixes, NUL and control characters, and
//! symlinks (existing or dangling) that lead outside the base. Names are
//! never decoded (`..%2f` is a literal file name) and never "cleaned" by
//! stripping: a name that needs cleaning is refused.
//!
//! The check looks at the file system as it is now; callers that open the
//! result should still open it without following a final symlink.

use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// True when `path` is written as an object name (`s3://...`), which
/// [`crate::io::s3`] reads and writes.
pub fn is_object_name(path: &Path) -> bool {
    path.as_os_str().as_bytes().starts_with(b"s3://")
}

/// Longest name accepted, in bytes (Linux's PATH_MAX).
pub const MAX_NAME_BYTES: usize = 4096;
/// Longest single path component accepted, in bytes (Linux's NAME_MAX).
pub const MAX_COMPONENT_BYTES: usize = 255;

/// Why a data-supplied name was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    /// The name is empty or names the base itself.
    #[error("empty file name")]
    Empty,
    /// The name contains a NUL byte.
    #[error("file name contains a NUL byte")]
    Nul,
    /// The name contains a control character (newline, escape, ...).
    #[error("file name contains a control character")]
    Control,
    /// The name is absolute.
    #[error("file name is an absolute path")]
    Absolute,
    /// The name has a Windows drive prefix such as `C:`.
    #[error("file name has a drive prefix")]
    DrivePrefix,
    /// The name contains a backslash, a path separator on Windows.
    #[error("file name contains a backslash")]
    Backslash,
    /// The name has a `..` component.
    #[error("file name climbs out with '..'")]
    ParentDir,
    /// The name must be a single component but has a `/`.
    #[error("file name contains a directory separator")]
    Separator,
    /// The name or one of its components is too long.
    #[error("file name is too long")]
    TooLong,
    /// A symlink on the way leads outside the base, dangles, or loops.
    #[error("file name goes through a symlink that leads outside its directory")]
    SymlinkEscape,
    /// The base directory itself cannot be resolved.
    #[error("cannot resolve the base directory: {0}")]
    Base(String),
}

/// Checks that `name` is one plain file name: no separators, no `..`.
///
/// # Errors
/// The [`Refusal`] that applies first.
pub fn check_plain_name(name: &[u8]) -> Result<(), Refusal> {
    check_text(name)?;
    if name.contains(&b'/') {
        return Err(Refusal::Separator);
    }
    check_component(name)
}

/// Resolves a relative `name` from the data to a path under `base`.
///
/// # Errors
/// The [`Refusal`] that applies first; see the module documentation.
pub fn resolve_under(base: &Path, name: &[u8]) -> Result<PathBuf, Refusal> {
    check_text(name)?;
    if name.starts_with(b"/") {
        return Err(Refusal::Absolute);
    }
    let parts: Vec<&[u8]> = name
        .split(|&b| b == b'/')
        .filter(|part| !part.is_empty() && *part != b".")
        .collect();
    if parts.is_empty() {
        return Err(Refusal::Empty);
    }
    for part in &parts {
        check_component(part)?;
    }
    let real_base = base
        .canonicalize()
        .map_err(|e| Refusal::Base(e.to_string()))?;
    let mut path = base.to_path_buf();
    for part in parts {
        path.push(OsStr::from_bytes(part));
        check_no_escape(&path, &real_base)?;
    }
    Ok(path)
}

/// Refuses bytes that no data-supplied name may contain.
fn check_text(name: &[u8]) -> Result<(), Refusal> {
    if name.is_empty() {
        return Err(Refusal::Empty);
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(Refusal::TooLong);
    }
    if name.contains(&0) {
        return Err(Refusal::Nul);
    }
    if name.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err(Refusal::Control);
    }
    if name.contains(&b'\\') {
        return Err(Refusal::Backslash);
    }
    if name.len() >= 2 && name[0].is_ascii_alphabetic() && name[1] == b':' {
        return Err(Refusal::DrivePrefix);
    }
    Ok(())
}

fn check_component(part: &[u8]) -> Result<(), Refusal> {
    match part {
        b"" | b"." => Err(Refusal::Empty),
        b".." => Err(Refusal::ParentDir),
        p if p.len() > MAX_COMPONENT_BYTES => Err(Refusal::TooLong),
        _ => Ok(()),
    }
}

/// Refuses `path` when it is a symlink whose target is outside `real_base`.
fn check_no_escape(path: &Path, real_base: &Path) -> Result<(), Refusal> {
    match path.symlink_metadata() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Refusal::Base(e.to_string())),
        Ok(meta) if !meta.file_type().is_symlink() => Ok(()),
        // Dangling links and loops fail to canonicalize: a dangling link
        // would let a later write create its target anywhere.
        Ok(_) => match path.canonicalize() {
            Ok(real) if real.starts_with(real_base) => Ok(()),
            _ => Err(Refusal::SymlinkEscape),
        },
    }
}

/// True when both paths name the same file (device and inode), following
/// links: an output that is one of the job's inputs.
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn base() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        dir
    }

    fn refused(name: &[u8]) -> Refusal {
        let dir = base();
        resolve_under(dir.path(), name).expect_err(&String::from_utf8_lossy(name))
    }

    #[test]
    fn plain_and_nested_names_resolve_inside() {
        let dir = base();
        assert_eq!(
            resolve_under(dir.path(), b"a.part").unwrap(),
            dir.path().join("a.part")
        );
        assert_eq!(
            resolve_under(dir.path(), b"sub/a").unwrap(),
            dir.path().join("sub/a")
        );
        assert_eq!(
            resolve_under(dir.path(), b"./sub//a").unwrap(),
            dir.path().join("sub/a")
        );
    }

    #[test]
    fn encoded_and_lookalike_dots_are_literal_names() {
        let dir = base();
        for name in [
            "..%2f..%2fetc",
            "%2e%2e",
            "\u{ff0e}\u{ff0e}",
            "...",
            "..a",
            "a..",
        ] {
            let got = resolve_under(dir.path(), name.as_bytes()).unwrap();
            assert_eq!(got, dir.path().join(name));
        }
    }

    #[test]
    fn empty_and_dot_names_are_refused() {
        assert_eq!(refused(b""), Refusal::Empty);
        assert_eq!(refused(b"."), Refusal::Empty);
        assert_eq!(refused(b"./"), Refusal::Empty);
        assert_eq!(refused(b"//"), Refusal::Absolute);
    }

    #[test]
    fn absolute_paths_are_refused() {
        assert_eq!(refused(b"/etc/passwd"), Refusal::Absolute);
        assert_eq!(refused(b"//server/share"), Refusal::Absolute);
    }

    #[test]
    fn parent_components_are_refused_anywhere() {
        assert_eq!(refused(b".."), Refusal::ParentDir);
        assert_eq!(refused(b"../etc/passwd"), Refusal::ParentDir);
        assert_eq!(refused(b"sub/../../x"), Refusal::ParentDir);
        assert_eq!(refused(b"sub/.."), Refusal::ParentDir);
        assert_eq!(refused(b"a/./../b"), Refusal::ParentDir);
    }

    #[test]
    fn windows_forms_are_refused() {
        assert_eq!(refused(b"..\\..\\windows\\win.ini"), Refusal::Backslash);
        assert_eq!(refused(b"C:\\evil"), Refusal::Backslash);
        assert_eq!(refused(b"C:evil"), Refusal::DrivePrefix);
        assert_eq!(refused(b"c:/evil"), Refusal::DrivePrefix);
    }

    #[test]
    fn nul_and_control_characters_are_refused() {
        assert_eq!(refused(b"a\0b"), Refusal::Nul);
        assert_eq!(refused(b"a.part\0/../../etc"), Refusal::Nul);
        assert_eq!(refused(b"a\nb"), Refusal::Control);
        assert_eq!(refused(b"\x1b[2Jname"), Refusal::Control);
        assert_eq!(refused(b"del\x7f"), Refusal::Control);
    }

    #[test]
    fn overlong_names_are_refused() {
        assert_eq!(refused(&[b'a'; 256]), Refusal::TooLong);
        assert_eq!(refused(&[b'a'; MAX_NAME_BYTES + 1]), Refusal::TooLong);
        let mut ok = [b'a'; 255].to_vec();
        ok.extend_from_slice(b"/b");
        assert!(resolve_under(base().path(), &ok).is_ok());
    }

    #[test]
    fn symlink_to_a_file_outside_is_refused() {
        let dir = base();
        symlink("/etc/passwd", dir.path().join("part")).unwrap();
        assert_eq!(
            resolve_under(dir.path(), b"part"),
            Err(Refusal::SymlinkEscape)
        );
    }

    #[test]
    fn symlinked_directory_outside_is_refused() {
        let dir = base();
        symlink("/etc", dir.path().join("etc")).unwrap();
        assert_eq!(
            resolve_under(dir.path(), b"etc/passwd"),
            Err(Refusal::SymlinkEscape)
        );
        let outside = tempfile::tempdir().unwrap();
        symlink(outside.path(), dir.path().join("sub/out")).unwrap();
        assert_eq!(
            resolve_under(dir.path(), b"sub/out/x"),
            Err(Refusal::SymlinkEscape)
        );
    }

    #[test]
    fn relative_symlink_climbing_out_is_refused() {
        let dir = base();
        symlink("../../..", dir.path().join("sub/up")).unwrap();
        assert_eq!(
            resolve_under(dir.path(), b"sub/up/etc"),
            Err(Refusal::SymlinkEscape)
        );
    }

    #[test]
    fn dangling_symlinks_and_loops_are_refused() {
        let dir = base();
        symlink("/nonexistent/binkit/target", dir.path().join("dangling")).unwrap();
        assert_eq!(
            resolve_under(dir.path(), b"dangling"),
            Err(Refusal::SymlinkEscape)
        );
        symlink("loop2", dir.path().join("loop1")).unwrap();
        symlink("loop1", dir.path().join("loop2")).unwrap();
        assert_eq!(
            resolve_under(dir.path(), b"loop1/x"),
            Err(Refusal::SymlinkEscape)
        );
    }

    #[test]
    fn symlink_that_stays_inside_is_allowed() {
        let dir = base();
        symlink("sub", dir.path().join("alias")).unwrap();
        assert_eq!(
            resolve_under(dir.path(), b"alias/f").unwrap(),
            dir.path().join("alias/f")
        );
    }

    #[test]
    fn base_reached_through_a_symlink_still_contains_its_names() {
        let dir = base();
        let link = tempfile::tempdir().unwrap();
        let via = link.path().join("via");
        symlink(dir.path(), &via).unwrap();
        assert_eq!(resolve_under(&via, b"sub/x").unwrap(), via.join("sub/x"));
    }

    #[test]
    fn plain_names_have_one_component() {
        assert_eq!(check_plain_name(b"data.00001.part"), Ok(()));
        assert_eq!(check_plain_name(b"sub/x"), Err(Refusal::Separator));
        assert_eq!(check_plain_name(b".."), Err(Refusal::ParentDir));
        assert_eq!(check_plain_name(b"."), Err(Refusal::Empty));
        assert_eq!(check_plain_name(b"/x"), Err(Refusal::Separator));
        assert_eq!(check_plain_name(b"x\0"), Err(Refusal::Nul));
    }
}
