//! Cutting a byte stream into dump lines, and the shared digit tables.

use std::io;

/// Lower-case hex digit pairs for every byte.
pub static HEX_LOWER: [[u8; 2]; 256] = hex_table(b"0123456789abcdef");
/// Upper-case hex digit pairs for every byte.
pub static HEX_UPPER: [[u8; 2]; 256] = hex_table(b"0123456789ABCDEF");

const fn hex_table(digits: &[u8; 16]) -> [[u8; 2]; 256] {
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [digits[i >> 4], digits[i & 15]];
        i += 1;
    }
    table
}

/// Hex digit pairs followed by two spaces, for every byte: stored 4 bytes
/// at a time where the next pair overwrites the spaces it does not need.
pub static HEX_SPACED_LOWER: [[u8; 4]; 256] = spaced(&HEX_LOWER);
/// Upper-case [`HEX_SPACED_LOWER`].
pub static HEX_SPACED_UPPER: [[u8; 4]; 256] = spaced(&HEX_UPPER);

const fn spaced(pairs: &[[u8; 2]; 256]) -> [[u8; 4]; 256] {
    let mut table = [[b' '; 4]; 256];
    let mut i = 0;
    while i < 256 {
        table[i][0] = pairs[i][0];
        table[i][1] = pairs[i][1];
        i += 1;
    }
    table
}

/// The text column's character for each byte: itself when printable ASCII,
/// else `.` (so dumps never carry terminal escapes).
pub static TEXT: [u8; 256] = text_table();

const fn text_table() -> [u8; 256] {
    let mut table = [b'.'; 256];
    let mut i = 0x20;
    while i < 0x7f {
        table[i] = i as u8;
        i += 1;
    }
    table
}

/// Appends `value` in hex, at least `min_digits` digits wide.
pub fn push_hex_offset(out: &mut Vec<u8>, value: u64, min_digits: usize, upper: bool) {
    let table = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let digits = hex_digits(value).max(min_digits);
    for shift in (0..digits).rev() {
        let nibble = if shift >= 16 {
            0
        } else {
            (value >> (shift * 4)) & 15
        };
        out.push(table[usize::try_from(nibble).expect("a nibble fits")]);
    }
}

/// How many hex digits `value` needs (at least 1).
pub fn hex_digits(value: u64) -> usize {
    usize::try_from((64 - value.leading_zeros()).div_ceil(4).max(1)).expect("at most 16")
}

/// Input formatted between two checks of the output buffer's size.
pub const BATCH_BYTES: usize = 64 * 1024;

/// Hex digits of 4 bytes at once (SWAR): each nibble is spread into its
/// own byte lane, then turned into `0-9` or, adding `letters` (0x27 for
/// lower case, 0x07 for upper), `a-f`. No lane can carry into the next.
#[inline]
pub fn hex8(bytes: [u8; 4], letters: u64) -> [u8; 8] {
    let x = u64::from(u32::from_be_bytes(bytes));
    let spread =
        ((x & 0xFF00_0000) << 24) | ((x & 0x00FF_0000) << 16) | ((x & 0xFF00) << 8) | (x & 0xFF);
    let nibbles = ((spread & 0x00F0_00F0_00F0_00F0) << 4) | (spread & 0x000F_000F_000F_000F);
    let is_letter = ((nibbles + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    (nibbles + 0x3030_3030_3030_3030 + is_letter * letters).to_be_bytes()
}

/// `letters` for [`hex8`].
pub const fn hex8_letters(upper: bool) -> u64 {
    if upper {
        0x07
    } else {
        0x27
    }
}

/// The text column's character for `b`, branch-free so that a line's
/// worth vectorises.
#[inline]
pub fn text_char(b: u8) -> u8 {
    if b.wrapping_sub(0x20) < 0x5f {
        b
    } else {
        b'.'
    }
}

/// Hands `out` on to `inner` once it holds [`FLUSH_BYTES`] or more.
///
/// # Errors
/// The inner writer's errors.
pub fn spill_if_full(out: &mut Vec<u8>, inner: &mut impl io::Write) -> io::Result<()> {
    if out.len() >= FLUSH_BYTES {
        inner.write_all(out)?;
        out.clear();
    }
    Ok(())
}

/// Output is handed on once this much has been formatted.
pub const FLUSH_BYTES: usize = 4 * crate::io::BUF_SIZE;

/// Cuts a stream into lines of `cols` bytes, carrying the partial last line
/// from one write to the next.
pub struct Lines {
    cols: usize,
    partial: Vec<u8>,
}

impl Lines {
    /// A cutter for lines of `cols` (at least 1) bytes.
    pub fn new(cols: usize) -> Lines {
        Lines {
            cols: cols.max(1),
            partial: Vec::with_capacity(cols),
        }
    }

    /// Calls `lines` with runs of complete lines (a multiple of `cols`
    /// bytes, at most [`BATCH_BYTES`] and a line more) that `buf` finishes.
    ///
    /// # Errors
    /// The first error `lines` returns.
    pub fn feed(
        &mut self,
        mut buf: &[u8],
        mut lines: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        if !self.partial.is_empty() {
            let take = (self.cols - self.partial.len()).min(buf.len());
            self.partial.extend_from_slice(&buf[..take]);
            buf = &buf[take..];
            if self.partial.len() < self.cols {
                return Ok(());
            }
            lines(&self.partial)?;
            self.partial.clear();
        }
        let whole = buf.len() / self.cols * self.cols;
        let batch = (BATCH_BYTES / self.cols).max(1) * self.cols;
        for run in buf[..whole].chunks(batch) {
            lines(run)?;
        }
        self.partial.extend_from_slice(&buf[whole..]);
        Ok(())
    }

    /// The bytes of the unfinished last line.
    pub fn rest(&self) -> &[u8] {
        &self.partial
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match_format() {
        for b in 0..=255u8 {
            assert_eq!(HEX_LOWER[usize::from(b)], *format!("{b:02x}").as_bytes());
            assert_eq!(HEX_UPPER[usize::from(b)], *format!("{b:02X}").as_bytes());
        }
        assert_eq!(TEXT[usize::from(b'A')], b'A');
        assert_eq!(TEXT[0x1b], b'.');
        assert_eq!(TEXT[0x7f], b'.');
        assert_eq!(TEXT[0xe9], b'.');
    }

    #[test]
    fn offsets_grow_past_their_minimum_width() {
        let hex = |v, w| {
            let mut out = Vec::new();
            push_hex_offset(&mut out, v, w, false);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(hex(0x10, 8), "00000010");
        assert_eq!(hex(0x1_0000_0000, 8), "100000000");
        assert_eq!(hex(u64::MAX, 8), "ffffffffffffffff");
        assert_eq!(hex(0, 1), "0");
    }

    #[test]
    fn lines_are_cut_the_same_whatever_the_writes() {
        let data: Vec<u8> = (0..100).collect();
        for step in 1..=17 {
            let mut lines = Lines::new(16);
            let mut got = Vec::new();
            for piece in data.chunks(step) {
                lines
                    .feed(piece, |l| {
                        got.push(l.to_vec());
                        Ok(())
                    })
                    .unwrap();
            }
            assert_eq!(got.len(), 6, "step={step}");
            assert_eq!(got.concat(), data[..96]);
            assert_eq!(lines.rest(), &data[96..]);
        }
    }
}
