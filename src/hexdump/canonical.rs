//! `hexdump -C`: `00000000  48 65 6c 6c 6f 0a  ...  |Hello.|`
//!
//! Sixteen bytes a line, an extra space after the eighth, the text between
//! bars; a run of lines identical to the one before is shown as one `*`;
//! a last line holds the offset where the input ended (nothing at all for
//! an empty input that starts at 0, as util-linux does).

use std::io::{self, Write};

use super::color::Painter;
use super::lines::{hex8, hex8_letters, push_hex_offset, text_char, Lines, HEX_LOWER, HEX_UPPER, TEXT};
use super::xxd::FLUSH_BYTES;
use crate::io::{Stage, BUF_SIZE};

const COLS: usize = 16;

/// A full line before its offset, hex and text are filled in.
const TEMPLATE16: [u8; 79] = *b"00000000                                                    |................|\n";

/// The `-C` stage.
pub struct CanonicalDump<W: Write> {
    inner: W,
    lines: Lines,
    fmt: Formatter,
    out: Vec<u8>,
}

struct Formatter {
    hex: &'static [[u8; 2]; 256],
    color: bool,
    offset: u64,
    previous: Option<[u8; COLS]>,
    squeezing: bool,
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
                color,
                offset: start,
                previous: None,
                squeezing: false,
            },
            out: Vec::with_capacity(FLUSH_BYTES + BUF_SIZE),
        }
    }
}

impl Formatter {
    fn full_line(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let line: [u8; COLS] = bytes.try_into().expect("a full line");
        if self.previous == Some(line) {
            if !self.squeezing {
                out.extend_from_slice(b"*\n");
                self.squeezing = true;
            }
        } else {
            self.squeezing = false;
            self.previous = Some(line);
            if self.color || self.offset >= 1 << 32 {
                self.format_any(bytes, out);
            } else {
                self.format16(&line, out);
            }
        }
        self.offset += COLS as u64;
    }

    #[inline]
    fn format16(&self, b: &[u8; COLS], out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&TEMPLATE16);
        let l: &mut [u8; 79] = (&mut out[start..]).try_into().expect("one template");
        let offset = u32::try_from(self.offset).expect("checked against 4 GiB");
        l[..8].copy_from_slice(&hex8(offset.to_be_bytes(), hex8_letters(false)));
        for i in 0..COLS {
            let at = 10 + 3 * i + i / 8;
            l[at..at + 2].copy_from_slice(&self.hex[usize::from(b[i])]);
        }
        for i in 0..COLS {
            l[61 + i] = text_char(b[i]);
        }
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
            for line in run.chunks_exact(COLS) {
                fmt.full_line(line, out);
            }
            if out.len() >= FLUSH_BYTES {
                inner.write_all(out)?;
                out.clear();
            }
            Ok(())
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
