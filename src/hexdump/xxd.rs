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
    hex8, hex8_letters, push_hex_offset, spill_if_full, text_char, Lines, HEX_LOWER,
    HEX_SPACED_LOWER, HEX_SPACED_UPPER, HEX_UPPER, TEXT,
};
use super::parallel::{self, FormatRun};
use crate::io::ordered::Batcher;
use crate::io::{Stage, BUF_SIZE};

pub use super::lines::FLUSH_BYTES;
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
    /// How each byte is written: hex, bits (`-b`) or little-endian
    /// groups (`-e`).
    pub digits: Digits,
    /// Decimal addresses (`-d`).
    pub decimal: bool,
    /// The text column read as EBCDIC (`-E`).
    pub ebcdic: bool,
}

/// xxd's `-b` and `-e`: the digits of each byte and where they go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Digits {
    /// Two hex digits, in order.
    #[default]
    Hex,
    /// Eight binary digits (`-b`).
    Bits,
    /// Two hex digits, each group in reverse byte order (`-e`).
    LittleEndian,
}

impl XxdOptions {
    /// Any of `-b -e -d -E`: laid out by [`Formatter::format_variant`].
    fn is_variant(&self) -> bool {
        self.digits != Digits::Hex || self.decimal || self.ebcdic
    }
}

/// The text column of `-E`: what xxd 2022 shows for each byte read as
/// EBCDIC (measured: `xxd -E` over the 256 byte values; `.` for the bytes
/// whose ASCII counterpart is not printable).
static EBCDIC_TEXT: [u8; 256] = {
    let rows: [&[u8; 32]; 8] = [
        b"................................",
        b"................................",
        b" ...........<(+|&.........!$*);~",
        b"-/.........,%_>?.........`:#@'=\"",
        b".abcdefghi.......jklmnopqr^.....",
        b"..stuvwxyz...[...............]..",
        b"{ABCDEFGHI......}JKLMNOPQR......",
        b"\\.STUVWXYZ......0123456789......",
    ];
    let mut table = [b'.'; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = rows[i / 32][i % 32];
        i += 1;
    }
    table
};

/// The default-format stage.
pub struct XxdDump<W: Write> {
    inner: W,
    lines: Lines,
    fmt: Formatter,
    out: Vec<u8>,
    pool: Option<Batcher>,
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
            pool: None,
        }
    }

    /// Formats the common layout on `threads` threads (output order kept).
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> XxdDump<W> {
        self.pool = self
            .fmt
            .fast_formatter()
            .and_then(|format| parallel::pool(threads, format));
        self
    }
}

impl Formatter {
    /// The fast formatter for the common layout (16 bytes in groups of 2,
    /// no `-a`); it can work on another thread.
    fn fast_formatter(&self) -> Option<FormatRun> {
        let o = &self.opts;
        if o.cols != 16 || o.group != 2 || self.squeeze.is_some() || o.is_variant() {
            return None;
        }
        let format: FormatRun = match (o.color, o.upper) {
            (true, false) => |run, first, out, at| {
                fill_colored_lines16(run, offset32(first), &COLORED_HEX_LOWER, out, at)
            },
            (true, true) => |run, first, out, at| {
                fill_colored_lines16(run, offset32(first), &COLORED_HEX_UPPER, out, at)
            },
            (false, false) => {
                |run, first, out, at| fill_lines16(run, offset32(first), false, out, at)
            }
            (false, true) => {
                |run, first, out, at| fill_lines16(run, offset32(first), true, out, at)
            }
        };
        Some(format)
    }

    /// [`Formatter::fast_formatter`], for a run that ends below 4 GiB.
    fn fast_format(&self, run_len: usize) -> Option<FormatRun> {
        // Addresses wrap past 2^64, as xxd's (`-o -16`).
        let end = self.offset.checked_add(run_len as u64);
        self.fast_formatter()
            .filter(|_| end.is_some_and(|end| end <= 1 << 32))
    }

    /// Formats a run of whole lines.
    fn lines(&mut self, run: &[u8], out: &mut Vec<u8>) {
        if let Some(format) = self.fast_format(run.len()) {
            let end = format(run, self.offset, out, out.len());
            out.truncate(end);
            self.offset = self.offset.wrapping_add(run.len() as u64);
            return;
        }
        for line in run.chunks_exact(self.opts.cols) {
            self.line(line, out);
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
        if self.opts.is_variant() {
            self.format_variant(bytes, out);
        } else if self.opts.color {
            self.format_colored(bytes, out);
        } else {
            self.format_any(bytes, out);
        }
        self.offset = self.offset.wrapping_add(bytes.len() as u64);
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

    /// `-b`, `-e`, `-d` and `-E`, as xxd 2022 lays them out: in a line of
    /// spaces, byte `p`'s digits start at `addr + 1 + (w * x) / g`, where
    /// `w` is a group's width with its space (`2g + 1`, or `8g + 1` for
    /// bits) and `x` is `p`, or with `-e` `p` with its place in the group
    /// reversed (`p ^ (g - 1)`); its text character is at
    /// `addr + 3 + (w * cols - 1) / g + p`, and the line ends after the
    /// last one. `addr` is the address and its colon, `%08x:` or with
    /// `-d` `%08d:`. Uncoloured.
    fn format_variant(&self, bytes: &[u8], out: &mut Vec<u8>) {
        let o = &self.opts;
        let start = out.len();
        if o.decimal {
            // xxd prints `%08ld`: a wrapped address is negative there.
            out.extend_from_slice(
                format!("{:08}:", i64::from_ne_bytes(self.offset.to_ne_bytes())).as_bytes(),
            );
        } else {
            push_hex_offset(out, self.offset, 8, false);
            out.push(b':');
        }
        let addr = out.len() - start;
        let (g, cols) = (o.group, o.cols);
        let width = if o.digits == Digits::Bits {
            8 * g + 1
        } else {
            2 * g + 1
        };
        let text_at = addr + 3 + (width * cols - 1) / g;
        let end = text_at + bytes.len();
        out.resize(start + end + 1, b' ');
        let line = &mut out[start..];
        let text = if o.ebcdic { &EBCDIC_TEXT } else { &TEXT };
        for (p, &b) in bytes.iter().enumerate() {
            let x = if o.digits == Digits::LittleEndian {
                p ^ (g - 1)
            } else {
                p
            };
            let at = addr + 1 + (width * x) / g;
            if o.digits == Digits::Bits {
                for bit in 0..8 {
                    line[at + bit] = if b & (0x80 >> bit) != 0 { b'1' } else { b'0' };
                }
            } else {
                line[at..at + 2].copy_from_slice(&self.hex[usize::from(b)]);
            }
            line[text_at + p] = text[usize::from(b)];
        }
        line[end] = b'\n';
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

/// An offset already checked to be below 4 GiB.
fn offset32(offset: u64) -> u32 {
    u32::try_from(offset).expect("checked against 4 GiB")
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

/// What one byte writes in a coloured line, as one 8-byte store: entry
/// `2b` when its colour is already on, entry `2b + 1` when the escape for
/// its class comes first. Indexing by "changed" instead of branching on it
/// matters: the condition is data, and unpredictable.
struct ColoredHex {
    hex: [u64; 512],
}

static COLORED_HEX_LOWER: ColoredHex = ColoredHex {
    hex: colored_table(&HEX_SPACED_LOWER),
};
static COLORED_HEX_UPPER: ColoredHex = ColoredHex {
    hex: colored_table(&HEX_SPACED_UPPER),
};
static COLORED_TEXT: [u64; 512] = colored_table(&TEXT_SPACED);

/// The text column's character in the `[u8; 4]` shape of the hex tables.
static TEXT_SPACED: [[u8; 4]; 256] = {
    let mut table = [[b' '; 4]; 256];
    let mut i = 0;
    while i < 256 {
        table[i][0] = TEXT[i];
        i += 1;
    }
    table
};

const fn colored_table(plain: &[[u8; 4]; 256]) -> [u64; 512] {
    let mut table = [0u64; 512];
    let mut b = 0;
    while b < 256 {
        let p = plain[b];
        let digits = u32::from_le_bytes(p) as u64;
        let e = ESCAPES[CLASS_OF[b] as usize];
        let escape = u64::from_le_bytes([e[0], e[1], e[2], e[3], e[4], 0, 0, 0]);
        table[2 * b] = digits;
        table[2 * b + 1] = escape | digits << 40;
        b += 1;
    }
    table
}

/// Coloured lines of 16 bytes in groups of 2. Every element is one 8-byte
/// store: its escape and digits when its class changed, its digits alone
/// when not, so no branch depends on the data (random data changes class
/// at most bytes: a branch there would be mispredicted half the time).
/// What a store writes past its element is overwritten by the next one.
fn fill_colored_lines16(
    run: &[u8],
    first: u32,
    words: &ColoredHex,
    out: &mut Vec<u8>,
    at: usize,
) -> usize {
    grow(out, at + run.len() / 16 * 240 + COLORED_ROOM);
    let mut pos = at;
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
        let mut changes = 0u32; // bit i: element i starts a new colour
        for (i, &byte) in src.iter().enumerate() {
            let b = usize::from(byte);
            let is_new = CLASS_OF[b] != previous;
            previous = CLASS_OF[b];
            changes |= u32::from(is_new) << i;
            let changed = usize::from(is_new);
            let slot = (10 + 2 * i + i / 2 + 5 * escapes) & 0xff;
            dst[slot..slot + 8].copy_from_slice(&words.hex[2 * b + changed].to_le_bytes());
            escapes += changed;
        }
        let hex_end = (10 + 39 + 5 * escapes) & 0xff;
        dst[hex_end..hex_end + 6].copy_from_slice(b"\x1b[0m  ");
        let text = hex_end + 6;
        escapes = 0;
        for (i, &byte) in src.iter().enumerate() {
            let b = usize::from(byte);
            let changed = usize::from((changes >> i) & 1 == 1);
            let slot = (text + i + 5 * escapes) & 0xff;
            dst[slot..slot + 8].copy_from_slice(&COLORED_TEXT[2 * b + changed].to_le_bytes());
            escapes += changed;
        }
        let end = (text + 16 + 5 * escapes) & 0xff;
        dst[end..end + 5].copy_from_slice(b"\x1b[0m\n");
        pos += end + 5;
    }
    pos
}

/// Makes `out` at least `len` long. Buffers that are reused keep their
/// length, so they are zeroed once, not for every run.
fn grow(out: &mut Vec<u8>, len: usize) {
    if out.len() < len {
        out.resize(len, 0);
    }
}

/// One line of the common case: 16 bytes in groups of 2.
const LINE16_BYTES: usize = 68;

/// The common case, 16 bytes in groups of 2 below 4 GiB: each line is a
/// fixed-size array filled at fixed places, so the compiler drops the
/// bounds checks and vectorises the text column.
fn fill_lines16(run: &[u8], first: u32, upper: bool, out: &mut Vec<u8>, at: usize) -> usize {
    let spaced = if upper {
        &HEX_SPACED_UPPER
    } else {
        &HEX_SPACED_LOWER
    };
    let end = at + run.len() / 16 * LINE16_BYTES;
    grow(out, end);
    let dst_lines = out[at..end].chunks_exact_mut(LINE16_BYTES);
    for (k, (dst, src)) in dst_lines.zip(run.chunks_exact(16)).enumerate() {
        let dst: &mut [u8; LINE16_BYTES] = dst.try_into().expect("exact chunk");
        let src: &[u8; 16] = src.try_into().expect("exact chunk");
        let offset = first.wrapping_add(u32::try_from(k * 16).expect("a run is small"));
        dst[..8].copy_from_slice(&hex8(offset.to_be_bytes(), hex8_letters(false)));
        dst[8..10].copy_from_slice(b": ");
        // Each `hh  ` store leaves the spaces the next store does not cover.
        for g in 0..8 {
            let p = 10 + 5 * g;
            dst[p..p + 4].copy_from_slice(&spaced[usize::from(src[2 * g])]);
            dst[p + 2..p + 6].copy_from_slice(&spaced[usize::from(src[2 * g + 1])]);
        }
        dst[50] = b' ';
        dst[51..67].copy_from_slice(&src.map(text_char));
        dst[67] = b'\n';
    }
    end
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
        let (fmt, out, inner, pool) = (
            &mut self.fmt,
            &mut self.out,
            &mut self.inner,
            &mut self.pool,
        );
        self.lines.feed(buf, |run| {
            if let Some(pool) = pool {
                if fmt.fast_format(run.len()).is_some() {
                    inner.write_all(out)?;
                    out.clear();
                    pool.push(fmt.offset, run, inner)?;
                    fmt.offset = fmt.offset.wrapping_add(run.len() as u64);
                    return Ok(());
                }
                pool.drain(inner)?;
            }
            fmt.lines(run, out);
            spill_if_full(out, inner)
        })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(pool) = &mut self.pool {
            pool.drain(&mut self.inner)?;
        }
        self.inner.write_all(&self.out)?;
        self.out.clear();
        self.inner.flush()
    }
}

impl<W: Write> Stage for XxdDump<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if let Some(pool) = &mut self.pool {
            pool.drain(&mut self.inner)?;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::pump_with;

    fn dump(data: &[u8], opts: XxdOptions, threads: usize, buf: usize) -> Vec<u8> {
        let mut stage = XxdDump::new(Vec::new(), opts).with_threads(threads);
        pump_with(&mut &data[..], &mut stage, &mut vec![0; buf]).unwrap();
        stage.finish().unwrap()
    }

    #[test]
    fn threads_change_nothing_but_speed() {
        let data: Vec<u8> = (0..300_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for color in [false, true] {
            for upper in [false, true] {
                let opts = XxdOptions {
                    cols: 16,
                    group: 2,
                    upper,
                    color,
                    autoskip: false,
                    start: 5,
                    digits: Digits::Hex,
                    decimal: false,
                    ebcdic: false,
                };
                let serial = dump(&data, opts, 1, BUF_SIZE);
                assert_eq!(dump(&data, opts, 3, BUF_SIZE), serial);
                assert_eq!(dump(&data, opts, 2, 1000), serial);
            }
        }
    }

    #[test]
    fn runs_that_cross_4_gib_fall_back_to_the_serial_path() {
        let data = vec![0x41u8; 64];
        let opts = XxdOptions {
            cols: 16,
            group: 2,
            upper: false,
            color: false,
            autoskip: false,
            start: (1 << 32) - 32,
            digits: Digits::Hex,
            decimal: false,
            ebcdic: false,
        };
        let text = String::from_utf8(dump(&data, opts, 2, 64)).unwrap();
        let offsets: Vec<&str> = text.lines().map(|l| &l[..l.find(':').unwrap()]).collect();
        assert_eq!(offsets, ["ffffffe0", "fffffff0", "100000000", "100000010"]);
    }
}
