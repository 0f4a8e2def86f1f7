//! xxd's default format: `00000000: 4865 6c6c 6f0a  Hello.`
//!
//! Layout, as xxd computes it: with `g` bytes a group and `c` a line, byte
//! `p` of a line sits at column `2p + p/g` of the hex area, which is
//! `2c + (c-1)/g` wide; two spaces follow, then the text column. The
//! address is `%08x` (wider past 4 GiB, always lower case). A partial last
//! line ends right after its last text character. `-a` replaces runs of
//! all-zero lines by `*` exactly as xxd's `xxdline()` does.
//!
//! Memory: one line of carry and an output buffer flushed every
//! [`FLUSH_BYTES`].

use std::io::{self, Write};

use super::color::Painter;
use super::lines::{push_hex_offset, Lines, HEX_LOWER, HEX_UPPER, TEXT};
use crate::io::{Stage, BUF_SIZE};

/// Output is handed on once this much has been formatted.
pub const FLUSH_BYTES: usize = 4 * BUF_SIZE;
/// xxd's limit on bytes per line.
pub const MAX_COLS: usize = 256;

/// How the default format is laid out.
#[derive(Debug, Clone, Copy)]
pub struct XxdOptions {
    /// Bytes per line, 1..=256.
    pub cols: usize,
    /// Bytes per group, 1..=cols.
    pub group: usize,
    /// Upper-case hex digits (the address stays lower case, as in xxd).
    pub upper: bool,
    /// Colour bytes by class.
    pub color: bool,
    /// Squeeze runs of zero lines (`-a`).
    pub autoskip: bool,
    /// Address of the first byte.
    pub start: u64,
}

/// The default-format stage.
pub struct XxdDump<W: Write> {
    inner: W,
    lines: Lines,
    fmt: Formatter,
    out: Vec<u8>,
}

struct Formatter {
    opts: XxdOptions,
    hex: &'static [[u8; 2]; 256],
    /// Width of the hex area of a full line.
    hex_width: usize,
    offset: u64,
    squeeze: Option<ZeroSqueeze>,
    scratch: Vec<u8>,
}

impl<W: Write> XxdDump<W> {
    /// A stage dumping into `inner`.
    pub fn new(inner: W, opts: XxdOptions) -> XxdDump<W> {
        let hex = if opts.upper { &HEX_UPPER } else { &HEX_LOWER };
        XxdDump {
            inner,
            lines: Lines::new(opts.cols),
            fmt: Formatter {
                opts,
                hex,
                hex_width: 2 * opts.cols + (opts.cols - 1) / opts.group,
                offset: opts.start,
                squeeze: opts.autoskip.then(ZeroSqueeze::default),
                scratch: Vec::new(),
            },
            out: Vec::with_capacity(FLUSH_BYTES + BUF_SIZE),
        }
    }
}

impl Formatter {
    /// Formats one line (full, or the partial last one) and emits it.
    fn line(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let Some(mut squeeze) = self.squeeze.take() else {
            self.format(bytes, out);
            return;
        };
        let mut line = std::mem::take(&mut self.scratch);
        line.clear();
        self.format(bytes, &mut line);
        let zero = bytes.len() == self.opts.cols && bytes.iter().all(|&b| b == 0);
        squeeze.line(&line, if zero { 0 } else { 1 }, out);
        self.scratch = line;
        self.squeeze = Some(squeeze);
    }

    fn format(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let o = &self.opts;
        let end = self.offset + bytes.len() as u64;
        if o.color {
            self.format_colored(bytes, out);
        } else if o.cols == 16 && o.group == 2 && bytes.len() == 16 && end <= 1 << 32 {
            let offset = u32::try_from(self.offset).expect("checked against 4 GiB");
            line16(offset, bytes, self.hex, out);
        } else {
            self.format_any(bytes, out);
        }
        self.offset = end;
    }

    /// Any layout, through a space-filled template.
    fn format_any(&self, bytes: &[u8], out: &mut Vec<u8>) {
        let start = out.len();
        push_hex_offset(out, self.offset, 8, false);
        out.extend_from_slice(b": ");
        let hex_at = out.len() - start;
        let text_at = hex_at + self.hex_width + 2;
        out.resize(start + text_at + bytes.len() + 1, b' ');
        let line = &mut out[start..];
        for (p, &b) in bytes.iter().enumerate() {
            let at = hex_at + 2 * p + p / self.opts.group;
            line[at..at + 2].copy_from_slice(&self.hex[usize::from(b)]);
            line[text_at + p] = TEXT[usize::from(b)];
        }
        line[text_at + bytes.len()] = b'\n';
    }

    /// Any layout, written left to right with colour escapes.
    fn format_colored(&self, bytes: &[u8], out: &mut Vec<u8>) {
        push_hex_offset(out, self.offset, 8, false);
        out.extend_from_slice(b": ");
        let mut painter = Painter::new();
        for p in 0..self.opts.cols {
            if p > 0 && p % self.opts.group == 0 {
                out.push(b' ');
            }
            match bytes.get(p) {
                Some(&b) => {
                    painter.paint(b, out);
                    out.extend_from_slice(&self.hex[usize::from(b)]);
                }
                None => {
                    painter.reset(out);
                    out.extend_from_slice(b"  ");
                }
            }
        }
        painter.reset(out);
        out.extend_from_slice(b"  ");
        for &b in bytes {
            painter.paint(b, out);
            out.push(TEXT[usize::from(b)]);
        }
        painter.reset(out);
        out.push(b'\n');
    }
}

/// The common case, 16 bytes in groups of 2 below 4 GiB, in one fixed-size
/// template the compiler can fill without bounds checks.
#[inline]
fn line16(offset: u32, bytes: &[u8], hex: &[[u8; 2]; 256], out: &mut Vec<u8>) {
    let b: &[u8; 16] = bytes.try_into().expect("a full line");
    let mut l = [b' '; 68];
    for (i, o) in offset.to_be_bytes().into_iter().enumerate() {
        l[2 * i..2 * i + 2].copy_from_slice(&HEX_LOWER[usize::from(o)]);
    }
    l[8] = b':';
    for i in 0..8 {
        let at = 10 + 5 * i;
        l[at..at + 2].copy_from_slice(&hex[usize::from(b[2 * i])]);
        l[at + 2..at + 4].copy_from_slice(&hex[usize::from(b[2 * i + 1])]);
    }
    for i in 0..16 {
        l[51 + i] = TEXT[usize::from(b[i])];
    }
    l[67] = b'\n';
    out.extend_from_slice(&l);
}

/// xxd's `xxdline()`: the first zero line is shown, a single following one
/// too, longer runs become `*`, and the last line of the input always shows.
#[derive(Default)]
struct ZeroSqueeze {
    zero_seen: i64,
    held: Vec<u8>,
    last: Vec<u8>,
}

impl ZeroSqueeze {
    /// `nonzero` is 1 for a line to show, 0 for a zero line, -1 at the end.
    fn line(&mut self, line: &[u8], nonzero: i8, out: &mut Vec<u8>) {
        if nonzero == 0 && self.zero_seen == 1 {
            self.held.clear();
            self.held.extend_from_slice(line);
        }
        let show = if nonzero != 0 {
            true
        } else {
            self.zero_seen += 1;
            self.zero_seen == 1
        };
        if show {
            if nonzero != 0 {
                if nonzero < 0 {
                    self.zero_seen -= 1;
                }
                if self.zero_seen == 2 {
                    out.extend_from_slice(&self.held);
                }
                if self.zero_seen > 2 {
                    out.extend_from_slice(b"*\n");
                }
            }
            if nonzero >= 0 || self.zero_seen > 0 {
                out.extend_from_slice(line);
            }
            if nonzero != 0 {
                self.zero_seen = 0;
            }
        }
        if nonzero >= 0 {
            self.last.clear();
            self.last.extend_from_slice(line);
        }
    }

    /// Shows what a run of zero lines at the very end still owes.
    fn finish(&mut self, out: &mut Vec<u8>) {
        let last = std::mem::take(&mut self.last);
        self.line(&last, -1, out);
    }
}

impl<W: Write> Write for XxdDump<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (fmt, out, inner) = (&mut self.fmt, &mut self.out, &mut self.inner);
        self.lines.feed(buf, |line| {
            fmt.line(line, out);
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

impl<W: Write> Stage for XxdDump<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        let rest = self.lines.rest().to_vec();
        if !rest.is_empty() {
            // xxd always shows the partial last line, zero or not.
            let squeeze = self.fmt.squeeze.take();
            let mut line = Vec::new();
            self.fmt.format(&rest, &mut line);
            match squeeze {
                Some(mut s) => s.line(&line, 1, &mut self.out),
                None => self.out.extend_from_slice(&line),
            }
        } else if let Some(squeeze) = &mut self.fmt.squeeze {
            squeeze.finish(&mut self.out);
        }
        self.inner.write_all(&self.out)?;
        Ok(self.inner)
    }
}
