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

use super::color::{ByteClass, RESET};
use super::lines::{
    hex8, hex8_letters, push_hex_offset, text_char, Lines, HEX_LOWER, HEX_SPACED_LOWER,
    HEX_SPACED_UPPER, HEX_UPPER, TEXT,
};
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
    /// Formats a run of whole lines.
    fn lines(&mut self, run: &[u8], out: &mut Vec<u8>) {
        let o = &self.opts;
        let end = self.offset + run.len() as u64;
        if o.cols == 16 && o.group == 2 && self.squeeze.is_none() && end <= 1 << 32 {
            let first = u32::try_from(self.offset).expect("checked against 4 GiB");
            if o.color {
                fill_colored_lines16(run, first, self.spaced(), out);
            } else {
                fill_lines16(run, first, o.upper, out);
            }
            self.offset = end;
        } else {
            for line in run.chunks_exact(o.cols) {
                self.line(line, out);
            }
        }
    }

    fn spaced(&self) -> &'static [[u8; 4]; 256] {
        if self.opts.upper {
            &HEX_SPACED_UPPER
        } else {
            &HEX_SPACED_LOWER
        }
    }

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
        if self.opts.color {
            self.format_colored(bytes, out);
        } else {
            self.format_any(bytes, out);
        }
        self.offset += bytes.len() as u64;
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

    /// Any layout, left to right with colour escapes. The escape for each
    /// byte is always copied and the cursor moves past it only when the
    /// class changed: random data changes class at most bytes, and a
    /// branch there would be mispredicted half the time.
    fn format_colored(&self, bytes: &[u8], out: &mut Vec<u8>) {
        push_hex_offset(out, self.offset, 8, false);
        out.extend_from_slice(b": ");
        let start = out.len();
        out.resize(start + 16 * self.opts.cols + 32, 0);
        let line = &mut out[start..];
        let mut pos = 0;
        let mut current = NO_CLASS;
        let mut in_group = 0;
        for p in 0..self.opts.cols {
            if p > 0 && in_group == self.opts.group {
                line[pos] = b' ';
                pos += 1;
                in_group = 0;
            }
            in_group += 1;
            if let Some(&b) = bytes.get(p) {
                paint(line, &mut pos, &mut current, b);
                line[pos..pos + 2].copy_from_slice(&self.hex[usize::from(b)]);
            } else {
                reset(line, &mut pos, &mut current);
                line[pos..pos + 2].copy_from_slice(b"  ");
            }
            pos += 2;
        }
        reset(line, &mut pos, &mut current);
        line[pos..pos + 2].copy_from_slice(b"  ");
        pos += 2;
        for &b in bytes {
            paint(line, &mut pos, &mut current, b);
            line[pos] = TEXT[usize::from(b)];
            pos += 1;
        }
        reset(line, &mut pos, &mut current);
        line[pos] = b'\n';
        out.truncate(start + pos + 1);
    }
}

/// `current` before any colour was set.
const NO_CLASS: u8 = u8::MAX;

/// Each byte's class, as an index into [`ESCAPES`].
static CLASS_OF: [u8; 256] = class_table();
static ESCAPES: [[u8; 5]; 5] = [
    *ByteClass::Nul.escape(),
    *ByteClass::Printable.escape(),
    *ByteClass::Whitespace.escape(),
    *ByteClass::OtherAscii.escape(),
    *ByteClass::NonAscii.escape(),
];

const fn class_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = match ByteClass::of(i as u8) {
            ByteClass::Nul => 0,
            ByteClass::Printable => 1,
            ByteClass::Whitespace => 2,
            ByteClass::OtherAscii => 3,
            ByteClass::NonAscii => 4,
        };
        i += 1;
    }
    table
}

#[inline]
fn paint(line: &mut [u8], pos: &mut usize, current: &mut u8, b: u8) {
    let class = CLASS_OF[usize::from(b)];
    line[*pos..*pos + 5].copy_from_slice(&ESCAPES[usize::from(class)]);
    *pos += if class == *current { 0 } else { 5 };
    *current = class;
}

#[inline]
fn reset(line: &mut [u8], pos: &mut usize, current: &mut u8) {
    if *current != NO_CLASS {
        line[*pos..*pos + RESET.len()].copy_from_slice(RESET);
        *pos += RESET.len();
        *current = NO_CLASS;
    }
}

/// Room for one coloured line of 16 bytes (236 at most) and the slack of
/// the 8-byte stores below: every store lands at `index & 0xff`, so with 8
/// more bytes the compiler can see that none is out of bounds.
const COLORED_ROOM: usize = 256 + 8;

/// Each class's escape in the low 5 bytes of a little-endian u64 (8
/// entries so that `class & 7` needs no bounds check).
static ESCAPES_U64: [u64; 8] = {
    let mut table = [0u64; 8];
    let mut c = 0;
    while c < 5 {
        let e = ESCAPES[c];
        table[c] = u64::from_le_bytes([e[0], e[1], e[2], e[3], e[4], 0, 0, 0]);
        c += 1;
    }
    table
};

/// `if yes { a } else { b }` with a mask, not a branch: the condition is
/// data and unpredictable.
#[inline]
fn choose(yes: bool, a: u64, b: u64) -> u64 {
    let mask = u64::from(yes).wrapping_neg();
    (a & mask) | (b & !mask)
}

/// Coloured lines of 16 bytes in groups of 2. Every element is one 8-byte
/// store: its escape and digits when its class changed, its digits alone
/// when not, so no branch depends on the data (random data changes class
/// at most bytes: a branch there would be mispredicted half the time).
/// What a store writes past its element is overwritten by the next one.
fn fill_colored_lines16(run: &[u8], first: u32, spaced: &[[u8; 4]; 256], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + run.len() / 16 * 240 + COLORED_ROOM, 0);
    let mut pos = start;
    for (k, src) in run.chunks_exact(16).enumerate() {
        let dst: &mut [u8; COLORED_ROOM] = (&mut out[pos..pos + COLORED_ROOM])
            .try_into()
            .expect("room");
        let src: &[u8; 16] = src.try_into().expect("exact chunk");
        let offset = first.wrapping_add(u32::try_from(k * 16).expect("a run is small"));
        dst[..8].copy_from_slice(&hex8(offset.to_be_bytes(), hex8_letters(false)));
        dst[8..10].copy_from_slice(b": ");
        let mut previous = NO_CLASS;
        let mut escapes = 0;
        for i in 0..16 {
            let class = CLASS_OF[usize::from(src[i])];
            let changed = class != previous;
            previous = class;
            let digits = u64::from(u32::from_le_bytes(spaced[usize::from(src[i])]));
            let escape = ESCAPES_U64[usize::from(class & 7)];
            let word = choose(changed, escape | digits << 40, digits);
            let slot = (10 + 2 * i + i / 2 + 5 * escapes) & 0xff;
            dst[slot..slot + 8].copy_from_slice(&word.to_le_bytes());
            escapes += usize::from(changed);
        }
        let hex_end = (10 + 39 + 5 * escapes) & 0xff;
        dst[hex_end..hex_end + 6].copy_from_slice(b"\x1b[0m  ");
        let text = hex_end + 6;
        previous = NO_CLASS;
        escapes = 0;
        for i in 0..16 {
            let class = CLASS_OF[usize::from(src[i])];
            let changed = class != previous;
            previous = class;
            let ch = u64::from(text_char(src[i]));
            let escape = ESCAPES_U64[usize::from(class & 7)];
            let word = choose(changed, escape | ch << 40, ch);
            let slot = (text + i + 5 * escapes) & 0xff;
            dst[slot..slot + 8].copy_from_slice(&word.to_le_bytes());
            escapes += usize::from(changed);
        }
        let end = (text + 16 + 5 * escapes) & 0xff;
        dst[end..end + 5].copy_from_slice(b"\x1b[0m\n");
        pos += end + 5;
    }
    out.truncate(pos);
}

/// One line of the common case: 16 bytes in groups of 2.
const LINE16_BYTES: usize = 68;

/// The common case, 16 bytes in groups of 2 below 4 GiB: each line is a
/// fixed-size array filled at fixed places, so the compiler drops the
/// bounds checks and vectorises the text column.
fn fill_lines16(run: &[u8], first: u32, upper: bool, out: &mut Vec<u8>) {
    let spaced = if upper {
        &HEX_SPACED_UPPER
    } else {
        &HEX_SPACED_LOWER
    };
    let start = out.len();
    out.resize(start + run.len() / 16 * LINE16_BYTES, 0);
    let dst_lines = out[start..].chunks_exact_mut(LINE16_BYTES);
    for (k, (dst, src)) in dst_lines.zip(run.chunks_exact(16)).enumerate() {
        let dst: &mut [u8; LINE16_BYTES] = dst.try_into().expect("exact chunk");
        let src: &[u8; 16] = src.try_into().expect("exact chunk");
        let offset = first.wrapping_add(u32::try_from(k * 16).expect("a run is small"));
        dst[..8].copy_from_slice(&hex8(offset.to_be_bytes(), hex8_letters(false)));
        dst[8..10].copy_from_slice(b": ");
        // Each `hh  ` store leaves the spaces the next store does not cover.
        for g in 0..8 {
            let at = 10 + 5 * g;
            dst[at..at + 4].copy_from_slice(&spaced[usize::from(src[2 * g])]);
            dst[at + 2..at + 6].copy_from_slice(&spaced[usize::from(src[2 * g + 1])]);
        }
        dst[50] = b' ';
        dst[51..67].copy_from_slice(&src.map(text_char));
        dst[67] = b'\n';
    }
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
        self.lines.feed(buf, |run| {
            fmt.lines(run, out);
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
