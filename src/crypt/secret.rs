//! Where passwords and keys come from: a file, an environment variable, an
//! inherited file descriptor, a key file, or a prompt on the terminal.
//! Never from an argument, which every user sees in `ps`. Everything read
//! is held in [`Zeroizing`] buffers.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use super::keys::Secret;
use crate::cli::SecretArgs;
use crate::error::{Error, Place, Result};

/// Longest password file (or descriptor) read.
const MAX_PASSWORD_BYTES: u64 = 64 * 1024;

/// How a password line from a file or descriptor ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// binkit's own files: `\n` or `\r\n` (a password file written on
    /// Windows works).
    LfOrCrLf,
    /// openssl files: only `\n`, a `\r` before it is part of the password,
    /// as `openssl enc -pass file:` reads it.
    Lf,
}

/// The secret the arguments name; without any, asks on the terminal
/// (twice when `confirm`). A line read from a file or descriptor ends as
/// `ends` says.
///
/// # Errors
/// Unreadable sources, an empty password, a malformed key file, no
/// terminal to ask on.
pub fn read_secret(args: &SecretArgs, confirm: bool, ends: LineEnd) -> Result<Secret> {
    if let Some(path) = &args.key_file {
        return Ok(Secret::Key(read_key_file(path)?));
    }
    let from_line = |mut line: Zeroizing<Vec<u8>>| {
        if ends == LineEnd::LfOrCrLf && line.last() == Some(&b'\r') {
            line.pop();
        }
        line
    };
    let password = if let Some(path) = &args.pass_file {
        from_line(first_line(File::open(path), &Place::File(path.clone()))?)
    } else if let Some(var) = &args.pass_env {
        let value = std::env::var_os(var)
            .ok_or_else(|| Error::Usage(format!("--pass-env: {var} is not set")))?;
        Zeroizing::new(std::os::unix::ffi::OsStringExt::into_vec(value))
    } else if args.pass_fd == Some(0) {
        from_line(stdin_line()?)
    } else if let Some(fd) = args.pass_fd {
        from_line(fd_line(fd)?)
    } else {
        prompt(confirm)?
    };
    if password.is_empty() {
        return Err(Error::Usage("the password is empty".into()));
    }
    Ok(Secret::Password(password))
}

/// The first line of a bounded read, without its `\n`.
fn first_line(file: std::io::Result<File>, place: &Place) -> Result<Zeroizing<Vec<u8>>> {
    let file = file.map_err(|e| Error::io("open password source", place, e))?;
    let mut text = Zeroizing::new(Vec::new());
    file.take(MAX_PASSWORD_BYTES)
        .read_to_end(&mut text) // bounded by `take`
        .map_err(|e| Error::io("read password", place, e))?;
    let end = text.iter().position(|&b| b == b'\n').unwrap_or(text.len());
    Ok(Zeroizing::new(text[..end].to_vec()))
}

/// `--pass-fd N`: the first line read from descriptor N itself, a byte at
/// a time, so that nothing after it is taken and a writer that keeps a pipe
/// or socket open does not make binkit wait for its end. (Reopening
/// `/proc/self/fd/N` failed on sockets, ENXIO; reading to the end hung on
/// a socket whose writer waits for an answer.)
#[allow(unsafe_code)]
fn fd_line(fd: u32) -> Result<Zeroizing<Vec<u8>>> {
    use rustix::io::Errno;
    let place = Place::File(format!("descriptor {fd}").into());
    let raw =
        i32::try_from(fd).map_err(|_| Error::Usage(format!("--pass-fd: no descriptor {fd}")))?;
    // Only a descriptor the caller passed: one binkit opened itself (its
    // signal pipe) would be read from, or waited on forever.
    if !crate::io::stdio::open_at_start(fd) {
        return Err(Error::io(
            "open password source",
            &place,
            rustix::io::Errno::BADF.into(),
        ));
    }
    // SAFETY: the caller hands binkit descriptor `fd` to read, as with
    // openssl's `-pass fd:N`; it is only read from, here, and not closed.
    // An fd that is not open makes `fcntl` fail with EBADF (the kernel
    // checks it), before anything else uses it.
    let borrowed = unsafe { std::os::fd::BorrowedFd::borrow_raw(raw) };
    rustix::io::fcntl_getfd(borrowed)
        .map_err(|e| Error::io("open password source", &place, e.into()))?;
    let mut line = Zeroizing::new(Vec::new());
    let mut byte = [0u8; 1];
    while (line.len() as u64) < MAX_PASSWORD_BYTES {
        match rustix::io::read(borrowed, &mut byte) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => line.push(byte[0]),
            Err(Errno::INTR) => {}
            Err(e) => return Err(Error::io("read password", &place, e.into())),
        }
    }
    Ok(line)
}

/// `--pass-fd 0`: exactly the first line of stdin, through the same
/// buffered handle the data is then read from, so that what follows the
/// line is the input (issue 12: the password read swallowed the data, and
/// encrypted nothing with exit 0).
fn stdin_line() -> Result<Zeroizing<Vec<u8>>> {
    use std::io::BufRead;
    let mut line = Zeroizing::new(Vec::new());
    crate::io::stdio::stdin()
        .map_err(|e| Error::io("read password", &Place::Stdin, e))?
        .lock()
        .take(MAX_PASSWORD_BYTES)
        .read_until(b'\n', &mut line)
        .map_err(|e| Error::io("read password", &Place::Stdin, e))?;
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    Ok(line)
}

/// A key file: 32 raw bytes, or 64 hex digits (white space around allowed).
///
/// # Errors
/// Anything else.
pub fn read_key_file(path: &Path) -> Result<Zeroizing<[u8; 32]>> {
    let place = Place::File(path.to_path_buf());
    let file = File::open(path).map_err(|e| Error::io("open key file", &place, e))?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(256)
        .read_to_end(&mut bytes) // bounded by `take`
        .map_err(|e| Error::io("read key file", &place, e))?;
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.len() == 32 {
        key.copy_from_slice(&bytes);
        return Ok(key);
    }
    let text = bytes.trim_ascii();
    if text.len() == 64 && hex::decode_to_slice(text, &mut key[..]).is_ok() {
        return Ok(key);
    }
    Err(Error::Refused {
        what: "a key file holds 32 bytes or 64 hex digits".into(),
        place,
    })
}

fn prompt(confirm: bool) -> Result<Zeroizing<Vec<u8>>> {
    let no_tty = |_| {
        Error::Usage("no password given: use --pass-file, --pass-env, --pass-fd or --key-file (no terminal to ask on)".into())
    };
    let first = Zeroizing::new(rpassword::prompt_password("Password: ").map_err(no_tty)?);
    if confirm {
        let again = Zeroizing::new(rpassword::prompt_password("Password again: ").map_err(no_tty)?);
        if *again != *first {
            return Err(Error::Usage("the passwords do not match".into()));
        }
    }
    Ok(Zeroizing::new(first.as_bytes().to_vec()))
}
