//! Errors and outcomes: what a command answers, and how it fails.
//!
//! Library code returns [`Result`]; `main` turns an [`Outcome`] into exit
//! status 0 or 1 and any [`Error`] into one line on stderr and status 2
//! (DESIGN.md, "Errors and exit codes").

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::messages::printable;

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a command that ran to the end answers.
///
/// An error reported on the way ([`crate::err_message!`]) makes the
/// status 2 whatever the answer, but for [`Outcome::YesDespiteErrors`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit status 0: success, or "yes" for commands that answer a question.
    Yes,
    /// Exit status 1: the answer is "no" (nothing matched, a check failed).
    No,
    /// Exit status 0 even when an error was reported: `grep -q`, which
    /// answers "some line matched" as soon as one did.
    YesDespiteErrors,
}

impl Outcome {
    /// The process exit status for this outcome, 2 when an error was
    /// reported along the way.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::YesDespiteErrors => ExitCode::SUCCESS,
            _ if crate::messages::errored() => ExitCode::from(2),
            Outcome::Yes => ExitCode::SUCCESS,
            Outcome::No => ExitCode::from(1),
        }
    }
}

/// Where an input comes from or an output goes, as shown in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Standard input.
    Stdin,
    /// Standard output.
    Stdout,
    /// A file named on the command line (or derived from one).
    File(PathBuf),
    /// An object in object storage, as `s3://bucket/key`.
    Object(String),
}

impl Place {
    /// The place for an optional path where `None` or `-` means `stdio`.
    pub fn from_arg(path: Option<&Path>, stdio: Place) -> Place {
        match path {
            Some(p) if crate::paths::is_object_name(p) => {
                Place::Object(p.to_string_lossy().into_owned())
            }
            Some(p) if p != Path::new("-") => Place::File(p.to_path_buf()),
            _ => stdio,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Stdin => f.write_str("<stdin>"),
            Place::Stdout => f.write_str("<stdout>"),
            Place::File(path) => write!(f, "'{}'", printable(path.as_os_str())),
            Place::Object(url) => write!(f, "'{}'", crate::messages::printable_str(url)),
        }
    }
}

/// Corrupt input found by a pipeline stage, at a byte offset of its input.
///
/// Stages speak `io::Write`, so they carry this inside an `io::Error` of kind
/// `InvalidData`; [`Error::from_stage`] takes it back out and names the file.
#[derive(Debug, thiserror::Error)]
#[error("{what} at byte {offset}")]
pub struct Corruption {
    /// What is wrong, in lower case (`invalid character 0x2a`).
    pub what: String,
    /// Byte offset in the stage's input where the problem starts.
    pub offset: u64,
}

impl Error {
    /// The refusal to replace an existing output without `-f`.
    pub fn output_exists(place: &Place) -> Error {
        Error::Refused {
            what: "output exists; use -f to overwrite it".into(),
            place: place.clone(),
        }
    }
}

impl Corruption {
    /// Wraps a corruption report in an `io::Error` for a `Write` stage.
    pub fn io(what: impl Into<String>, offset: u64) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            Corruption {
                what: what.into(),
                offset,
            },
        )
    }

    /// The corruption report inside `err`, if it carries one.
    pub fn find(err: &io::Error) -> Option<&Corruption> {
        err.get_ref()?.downcast_ref::<Corruption>()
    }
}

/// Everything that makes a command fail (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An operating-system error on a named input or output.
    #[error("cannot {op}: {} ({place})", describe_io(source))]
    Io {
        /// What we were doing: `open input`, `read`, `write`, ...
        op: &'static str,
        /// The file (or stdin/stdout) it happened on.
        place: Place,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// Input that is not valid for the format being read.
    #[error("{what} ({place}, at byte {offset})")]
    Corrupt {
        /// What is wrong.
        what: String,
        /// The input it was found in.
        place: Place,
        /// Byte offset in that input.
        offset: u64,
    },
    /// A refusal that concerns a named file, such as an existing output.
    #[error("{what} ({place})")]
    Refused {
        /// Why the file is refused.
        what: String,
        /// The file.
        place: Place,
    },
    /// Bad usage that clap cannot see (conflicting values, bad sizes).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An I/O error on `place` while doing `op`.
    pub fn io(op: &'static str, place: &Place, source: io::Error) -> Error {
        Error::Io {
            op,
            place: place.clone(),
            source,
        }
    }

    /// Classifies an error raised while writing into a stage chain: a
    /// [`Corruption`] belongs to the input, anything else to the output.
    pub fn from_stage(err: io::Error, input: &Place, output: &Place) -> Error {
        match Corruption::find(&err) {
            Some(c) => Error::Corrupt {
                what: c.what.clone(),
                place: input.clone(),
                offset: c.offset,
            },
            None => Error::io("write", output, err),
        }
    }

    /// True for a write to stdout that failed because the reader went away:
    /// `binkit hexdump big | head` is not an error.
    pub fn is_stdout_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { place: Place::Stdout, source, .. }
            if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// A byte in an error message: `invalid character '*'` when it prints,
/// `invalid byte 0x0d` when it would not (never raw control bytes).
pub fn describe_byte(adjective: &str, byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("{adjective} character '{}'", char::from(byte))
    } else {
        format!("{adjective} byte 0x{byte:02x}")
    }
}

/// An `io::Error` as the C library words it, without Rust's "(os error N)":
/// `No such file or directory`, as GNU grep prints it.
pub fn os_text(err: &io::Error) -> String {
    let mut text = err.to_string();
    if let Some(cut) = text.find(" (os error") {
        text.truncate(cut);
    }
    text
}

/// An `io::Error` as a short lower-case phrase, without "(os error N)".
fn describe_io(err: &io::Error) -> String {
    let text = os_text(err);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_one_lower_case_line() {
        let err = Error::io(
            "open input",
            &Place::File("a b.txt".into()),
            io::Error::from_raw_os_error(2),
        );
        assert_eq!(
            err.to_string(),
            "cannot open input: no such file or directory ('a b.txt')"
        );
    }

    #[test]
    fn corruption_in_a_stage_names_the_input_and_offset() {
        let err = Error::from_stage(
            Corruption::io("invalid character 0x2a", 1027),
            &Place::File("in.b64".into()),
            &Place::Stdout,
        );
        assert_eq!(
            err.to_string(),
            "invalid character 0x2a ('in.b64', at byte 1027)"
        );
    }

    #[test]
    fn only_broken_pipe_on_stdout_is_quiet() {
        let pipe = || io::Error::from(io::ErrorKind::BrokenPipe);
        assert!(Error::io("write", &Place::Stdout, pipe()).is_stdout_broken_pipe());
        assert!(!Error::io("write", &Place::File("f".into()), pipe()).is_stdout_broken_pipe());
    }
}
