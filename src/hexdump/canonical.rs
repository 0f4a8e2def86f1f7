//! `hexdump -C`: `00000000  48 65 6c 6c 6f 0a  ...  |Hello.|`
//!
//! Sixteen bytes a line, an extra space after the eighth, the text between
//! bars; a run of lines identical to the one before is shown as one `*`;
//! a last line holds the offset where the input ended (nothing at all for
//! an empty input that starts at 0, as util-linux does).

use std::io::{self, Write};

use super::color::Painter;
use super::lines::{
    push_hex_offset, spill_if_full, text_char, Lines, HEX_LOWER, HEX_SPACED_LOWER,
    HEX_SPACED_UPPER, HEX_UPPER, TEXT,
};
use super::xxd::FLUSH_BYTES;
use crate::io::{Stage, BUF_SIZE};

const COLS: usize = 16;

/// A full line before its offset, hex and text are filled in.
const TEMPLATE16: [u8; LINE_BYTES] =
    *b"00000000                                                    |................|\n";
/// Length of a full line.
const LINE_BYTES: usize = 79;

/// A full line below 4 GiB, filled at fixed places in a fixed-size array.
/// Each byte's `hh  ` is stored whole; the next byte's store overwrites the
/// second space, and the spaces left where the layout wants them.
#[inline(always)]
fn fill_line(dst: &mut [u8; LINE_BYTES], b: &[u8; COLS], offset: u64, spaced: &[[u8; 4]; 256]) {
    *dst = TEMPLATE16;
    let offset = u32::try_from(offset).expect("checked against 4 GiB");
    for (i, o) in offset.to_be_bytes().into_iter().enumerate() {
        dst[2 * i..2 * i + 2].copy_from_slice(&HEX_LOWER[usize::from(o)]);
    }
    for i in 0..COLS {
        let at = 10 + 3 * i + i / 8;
        dst[at..at + 4].copy_from_slice(&spaced[usize::from(b[i])]);
    }
    dst[61..77].copy_from_slice(&b.map(text_char));
}

/// The `-C` stage.
pub struct CanonicalDump<W: Write> {
    inner: W,
    lines: Lines,
    fmt: Formatter,
    out: Vec<u8>,
}

struct Formatter {
    hex: &'static [[u8; 2]; 256],
    spaced: &'static [[u8; 4]; 256],
    color: bool,
    offset: u64,
    previous: Option<[u8; COLS]>,
    squeezing: bool,
    /// Repeated lines shown as one `*` (hexdump's default; `-v`: off).
    squeeze: bool,
}

impl<W: Write> CanonicalDump<W> {
    /// A stage dumping into `inner`; `start` is the address of the first
    /// byte.
    pub fn new(inner: W, start: u64, upper: bool, color: bool) -> CanonicalDump<W> {
        CanonicalDump {
            inner,
            lines: Lines::new(COLS),
            fmt: Formatter {
                hex: if upper { &HEX_UPPER } else { &HEX_LOWER },
                spaced: if upper {
                    &HEX_SPACED_UPPER
                } else {
                    &HEX_SPACED_LOWER
                },
                color,
                offset: start,
                previous: None,
                squeezing: false,
                squeeze: true,
            },
            out: Vec::with_capacity(FLUSH_BYTES + BUF_SIZE),
        }
    }
}

impl<W: Write> CanonicalDump<W> {
    /// Whether repeated lines become one `*` (hexdump -v: `false`).
    #[must_use]
    pub fn squeezing(mut self, squeeze: bool) -> CanonicalDump<W> {
        self.fmt.squeeze = squeeze;
        self
    }
}

impl Formatter {
    /// Formats a run of whole lines.
    fn lines(&mut self, run: &[u8], out: &mut Vec<u8>) {
        if self.color || self.offset + run.len() as u64 > 1 << 32 {
            for line in run.chunks_exact(COLS) {
                self.full_line(line, out);
            }
            return;
        }
        let lines = run.chunks_exact(COLS);
        let first: Option<[u8; COLS]> = run.get(..COLS).and_then(|l| l.try_into().ok());
        let repeats = self.squeeze
            && (self.previous.is_some() && self.previous == first
                || lines.clone().zip(lines.skip(1)).any(|(a, b)| a == b));
        if !repeats {
            // No line equals the one before (random data, most text): every
            // line has its place, filled without tracking a position.
            let start = out.len();
            out.resize(start + run.len() / COLS * LINE_BYTES, 0);
            let dst_lines = out[start..].chunks_exact_mut(LINE_BYTES);
            for (k, (dst, src)) in dst_lines.zip(run.chunks_exact(COLS)).enumerate() {
                let dst: &mut [u8; LINE_BYTES] = dst.try_into().expect("exact chunk");
                let src: &[u8; COLS] = src.try_into().expect("exact chunk");
                fill_line(dst, src, self.offset + (k * COLS) as u64, self.spaced);
            }
            if let Some(last) = run.chunks_exact(COLS).last() {
                self.previous = last.try_into().ok();
                self.squeezing = false;
            }
            self.offset += (run.len() / COLS * COLS) as u64;
            return;
        }
        // Room for every line, then cut back to what squeezing left.
        let start = out.len();
        out.resize(start + run.len() / COLS * LINE_BYTES, 0);
        let mut pos = start;
        for src in run.chunks_exact(COLS) {
            let line: [u8; COLS] = src.try_into().expect("exact chunk");
            if self.squeeze && self.previous == Some(line) {
                if !self.squeezing {
                    out[pos..pos + 2].copy_from_slice(b"*\n");
                    pos += 2;
                    self.squeezing = true;
                }
            } else {
                self.squeezing = false;
                self.previous = Some(line);
                let dst: &mut [u8; LINE_BYTES] =
                    (&mut out[pos..pos + LINE_BYTES]).try_into().expect("room");
                fill_line(dst, &line, self.offset, self.spaced);
                pos += LINE_BYTES;
            }
            self.offset += COLS as u64;
        }
        out.truncate(pos);
    }

    fn full_line(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let line: [u8; COLS] = bytes.try_into().expect("a full line");
        if self.squeeze && self.previous == Some(line) {
            if !self.squeezing {
                out.extend_from_slice(b"*\n");
                self.squeezing = true;
            }
        } else {
            self.squeezing = false;
            self.previous = Some(line);
            self.format_any(bytes, out);
        }
        self.offset += COLS as u64;
    }

    /// Any line, partial or coloured, left to right.
    fn format_any(&self, bytes: &[u8], out: &mut Vec<u8>) {
        let mut painter = Painter::new();
        push_hex_offset(out, self.offset, 8, false);
        out.push(b' ');
        for i in 0..COLS {
            out.push(b' ');
            if i == 8 {
                out.push(b' ');
            }
            match bytes.get(i) {
                Some(&b) => {
                    if self.color {
                        painter.paint(b, out);
                    }
                    out.extend_from_slice(&self.hex[usize::from(b)]);
                }
                None => {
                    painter.reset(out);
                    out.extend_from_slice(b"  ");
                }
            }
        }
        painter.reset(out);
        out.extend_from_slice(b"  |");
        for &b in bytes {
            if self.color {
                painter.paint(b, out);
            }
            out.push(TEXT[usize::from(b)]);
        }
        painter.reset(out);
        out.extend_from_slice(b"|\n");
    }
}

impl<W: Write> Write for CanonicalDump<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (fmt, out, inner) = (&mut self.fmt, &mut self.out, &mut self.inner);
        self.lines.feed(buf, |run| {
            fmt.lines(run, out);
            spill_if_full(out, inner)
        })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.out)?;
        self.out.clear();
        self.inner.flush()
    }
}

impl<W: Write> Stage for CanonicalDump<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        let rest = self.lines.rest();
        if !rest.is_empty() {
            self.fmt.format_any(rest, &mut self.out);
            self.fmt.offset += rest.len() as u64;
        }
        if self.fmt.offset > 0 {
            push_hex_offset(&mut self.out, self.fmt.offset, 8, false);
            self.out.push(b'\n');
        }
        self.inner.write_all(&self.out)?;
        Ok(self.inner)
    }
}
