//! The one path for per-item errors and warnings (ripgrep's
//! `crates/core/messages.rs`).
//!
//! A subcommand that keeps going after one file failed reports it with
//! [`err_message!`](crate::err_message) and a note with
//! [`message!`](crate::message): stdout is flushed first (so the two
//! streams interleave in order on a terminal), the line is prefixed
//! `binkit <subcommand>: `, and an error sets the flag that `main` turns into
//! exit status 2. Names in messages go through [`printable`] so that a file
//! name cannot rewrite the terminal or forge a log line.

use std::ffi::OsStr;
use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

static COMMAND: OnceLock<&'static str> = OnceLock::new();
static ERRORED: AtomicBool = AtomicBool::new(false);

/// Names the subcommand for the prefix; the first call wins.
pub fn set_command(name: &'static str) {
    let _ = COMMAND.set(name);
}

/// The subcommand's name, as in the `binkit <name>:` prefix.
pub fn command() -> &'static str {
    COMMAND.get().copied().unwrap_or("")
}

/// True once any error was reported: the exit status will be 2.
pub fn errored() -> bool {
    ERRORED.load(Ordering::Relaxed)
}

/// Records that an error was reported.
pub fn set_errored() {
    ERRORED.store(true, Ordering::Relaxed);
}

/// Writes one message line: stdout flushed first, then
/// `binkit <subcommand>: <text>` on stderr, in one write.
pub fn emit(text: fmt::Arguments<'_>) {
    let _ = io::stdout().lock().flush();
    // Whatever the message quotes (a name, a flag's value, a pattern), it
    // stays one line and cannot act on the terminal.
    let text = printable_str(&text.to_string());
    let mut line = String::new();
    let _ = match command() {
        "" => writeln!(line, "binkit: {text}"),
        name => writeln!(line, "binkit {name}: {text}"),
    };
    // A closed stderr has nowhere to say so.
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// Writes `text` as one stderr line without the `binkit <subcommand>:`
/// prefix, for reports in a reference tool's own format (`gzip -v`); the
/// caller makes every name in it [`printable`].
pub fn report_line(text: &str) {
    let _ = io::stdout().lock().flush();
    let _ = io::stderr()
        .lock()
        .write_all(format!("{text}\n").as_bytes());
}

/// Prints a warning or note (no effect on the exit status).
#[macro_export]
macro_rules! message {
    ($($tt:tt)*) => { $crate::messages::emit(format_args!($($tt)*)) }
}

/// Prints an error and records it: the exit status will be 2.
#[macro_export]
macro_rules! err_message {
    ($($tt:tt)*) => {{
        $crate::messages::set_errored();
        $crate::messages::emit(format_args!($($tt)*))
    }}
}

/// A name as it may be printed: control characters (ESC, newline, ...),
/// bidirectional overrides and bytes that are not UTF-8 are escaped, as
/// `\u{1b}` and `\xff`, so a file name cannot move the cursor, colour the
/// terminal, start a forged log line or hide its real extension.
pub fn printable(name: &OsStr) -> String {
    printable_bytes(name.as_bytes())
}

/// [`printable`] for bytes from the data (a stored name, a path in a log).
pub fn printable_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        escape_into(&mut out, chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

/// [`printable`] for text already decoded.
pub fn printable_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
}

/// Unicode characters that reorder text on display (Trojan Source).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_bidi_and_bytes_that_are_not_utf8() {
        // A terminal would act on ESC [ 31 m and start a new line at \n.
        assert_eq!(
            printable(OsStr::from_bytes(b"a\x1b[31mred\nb.log")),
            "a\\u{1b}[31mred\\u{a}b.log"
        );
        assert_eq!(
            printable_str("photo\u{202E}gpj.exe"),
            "photo\\u{202e}gpj.exe"
        );
        assert_eq!(printable_bytes(b"caf\xe9.txt"), "caf\\xe9.txt");
        assert_eq!(printable_str("plain é"), "plain é");
        // Line and paragraph separators end a line on some terminals.
        assert_eq!(printable_str("a\u{2028}b"), "a\\u{2028}b");
    }
}
