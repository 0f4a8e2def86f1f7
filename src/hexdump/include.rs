//! `xxd -i`: a C array of the bytes, `cols` (12 by default) a line.
//!
//! With a name (from the file name, or `-n`) the array is wrapped in
//! `unsigned char NAME[] = {` ... `};` and followed by
//! `unsigned int NAME_len = N;`; stdin without `-n` gives the bare lines,
//! as xxd does.

use std::io::{self, Write};

use crate::io::{Stage, BUF_SIZE};

/// xxd's default bytes per line for `-i`.
pub const INCLUDE_COLS_DEFAULT: usize = 12;

/// The `-i` stage.
pub struct IncludeDump<W: Write> {
    inner: W,
    name: Option<String>,
    cols: u64,
    upper: bool,
    count: u64,
    out: Vec<u8>,
}

/// The C identifier xxd derives from a file name: every byte that is not
/// an ASCII letter or digit becomes `_`, and a leading digit gets `__`.
pub fn c_name(file_name: &[u8]) -> String {
    let mut name: String = file_name
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() {
                char::from(b)
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "__");
    }
    name
}

impl<W: Write> IncludeDump<W> {
    /// A stage writing the array (named when `name` is given) to `inner`.
    pub fn new(inner: W, name: Option<String>, cols: usize, upper: bool) -> IncludeDump<W> {
        let mut out = Vec::with_capacity(8 * BUF_SIZE);
        if let Some(name) = &name {
            out.extend_from_slice(format!("unsigned char {name}[] = {{\n").as_bytes());
        }
        IncludeDump {
            inner,
            name,
            cols: cols.max(1) as u64,
            upper,
            count: 0,
            out,
        }
    }
}

impl<W: Write> Write for IncludeDump<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (digits, x): (&[u8; 16], u8) = if self.upper {
            (b"0123456789ABCDEF", b'X')
        } else {
            (b"0123456789abcdef", b'x')
        };
        for piece in buf.chunks(BUF_SIZE) {
            for &b in piece {
                let sep: &[u8] = match self.count {
                    0 => b"  ",
                    n if n % self.cols == 0 => b",\n  ",
                    _ => b", ",
                };
                self.out.extend_from_slice(sep);
                let hex = [
                    b'0',
                    x,
                    digits[usize::from(b >> 4)],
                    digits[usize::from(b & 15)],
                ];
                self.out.extend_from_slice(&hex);
                self.count += 1;
            }
            self.inner.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for IncludeDump<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if self.count > 0 {
            self.out.push(b'\n');
        }
        if let Some(name) = &self.name {
            let footer = format!("}};\nunsigned int {name}_len = {};\n", self.count);
            self.out.extend_from_slice(footer.as_bytes());
        }
        self.inner.write_all(&self.out)?;
        Ok(self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_xxd() {
        assert_eq!(c_name(b"h.txt"), "h_txt");
        assert_eq!(c_name(b"/tmp/h.txt"), "_tmp_h_txt");
        assert_eq!(c_name(b"9a-b.c"), "__9a_b_c");
        assert_eq!(c_name("é".as_bytes()), "__");
    }
}
