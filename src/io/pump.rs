//! The one read loop in binkit, and the `Stage` shape every transform has.
//!
//! Memory: the pump holds one buffer of [`BUF_SIZE`] bytes; a stage may hold
//! at most [`MAX_STAGE_BYTES`] more.

use std::io::{self, Read, Write};

use crate::error::{Error, Place, Result};

/// Bytes read at a time (ripgrep's line buffer and age's chunk are 64 KiB).
pub const BUF_SIZE: usize = 64 * 1024;

/// No stage holds more than this many bytes at once.
pub const MAX_STAGE_BYTES: usize = 1 << 20;

/// A pipeline stage that may hold bytes back until the input ends.
///
/// Bytes go in with `write`; `finish` writes what was held back (padding,
/// trailers, the last partial line) and hands back what is underneath.
pub trait Stage: Write {
    /// What finishing yields: the inner writer, or a report.
    type Done;

    /// Writes any trailer and ends the stage.
    ///
    /// # Errors
    /// The inner writer's errors, or a [`crate::Corruption`] when the input
    /// ended where the format does not allow it.
    fn finish(self) -> io::Result<Self::Done>;
}

/// Which side of a pump failed.
#[derive(Debug)]
pub enum PumpError {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing into the stage chain failed (output error or corrupt input).
    Write(io::Error),
}

/// Copies `src` into `dst` through one [`BUF_SIZE`] buffer; returns the
/// number of bytes moved.
///
/// # Errors
/// The first read or write error, tagged with its side.
pub fn pump(src: &mut dyn Read, dst: &mut dyn Write) -> Result<u64, PumpError> {
    pump_with(src, dst, &mut vec![0; BUF_SIZE])
}

/// [`pump`] with a caller-supplied buffer; tests use tiny ones to hit every
/// boundary.
///
/// # Errors
/// As [`pump`].
pub fn pump_with(
    src: &mut dyn Read,
    dst: &mut dyn Write,
    buf: &mut [u8],
) -> Result<u64, PumpError> {
    let mut total = 0u64;
    loop {
        let n = match src.read(buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(PumpError::Read(e)),
        };
        dst.write_all(&buf[..n]).map_err(PumpError::Write)?;
        total += n as u64;
    }
}

/// Pumps `src` through `stage` and finishes it; errors name the input
/// (read errors, corrupt data) or the output (write errors).
///
/// # Errors
/// As described; see [`Error::from_stage`].
pub fn drive<S: Stage>(
    src: &mut dyn Read,
    mut stage: S,
    input: &Place,
    output: &Place,
) -> Result<S::Done> {
    match pump(src, &mut stage) {
        Ok(_) => {}
        Err(PumpError::Read(e)) => return Err(Error::io("read", input, e)),
        Err(PumpError::Write(e)) => return Err(Error::from_stage(e, input, output)),
    }
    stage
        .finish()
        .map_err(|e| Error::from_stage(e, input, output))
}

/// Reads up to `limit` bytes from the start of `src`, for sniffing.
///
/// # Errors
/// Read errors other than interruptions.
pub fn read_head(src: &mut dyn Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(limit);
    src.take(limit as u64).read_to_end(&mut head)?; // bounded by `take`
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per call.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn copies_every_byte_whatever_the_buffer_size() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for buf in [1, 3, 7, 64, BUF_SIZE] {
            for step in [1, 5, 1000] {
                let mut out = Vec::new();
                let n = pump_with(&mut Trickle(&data, step), &mut out, &mut vec![0; buf]).unwrap();
                assert_eq!(n, 1000);
                assert_eq!(out, data, "buf={buf} step={step}");
            }
        }
    }

    #[test]
    fn tells_read_errors_from_write_errors() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        assert!(matches!(
            pump(&mut Failing, &mut io::sink()),
            Err(PumpError::Read(_))
        ));
        let mut full: &mut [u8] = &mut [0u8; 2];
        let r = pump(&mut &b"abc"[..], &mut full);
        assert!(matches!(r, Err(PumpError::Write(_))));
    }
}
