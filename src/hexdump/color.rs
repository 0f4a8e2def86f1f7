//! Byte classes and their colours, as hexyl draws them.
//!
//! The text column still shows `.` for every control byte, so colour never
//! lets the data write escape sequences of its own; an escape is emitted
//! only where the class changes, and every line ends with a reset.

/// A byte's class, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteClass {
    /// 0x00.
    Nul,
    /// Printable ASCII other than space: 0x21..=0x7e.
    Printable,
    /// Space, tab, newline, vertical tab, form feed, carriage return.
    Whitespace,
    /// Other ASCII: control bytes and DEL.
    OtherAscii,
    /// 0x80..=0xff.
    NonAscii,
}

impl ByteClass {
    /// The class of `b`.
    pub const fn of(b: u8) -> ByteClass {
        match b {
            0 => ByteClass::Nul,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => ByteClass::Whitespace,
            0x21..=0x7e => ByteClass::Printable,
            0x80..=0xff => ByteClass::NonAscii,
            _ => ByteClass::OtherAscii,
        }
    }

    /// The SGR escape that starts this class's colour (5 bytes each).
    pub const fn escape(self) -> &'static [u8; 5] {
        match self {
            ByteClass::Nul => b"\x1b[90m",
            ByteClass::Printable => b"\x1b[36m",
            ByteClass::Whitespace => b"\x1b[32m",
            ByteClass::OtherAscii => b"\x1b[35m",
            ByteClass::NonAscii => b"\x1b[33m",
        }
    }
}

/// Ends any colour.
pub const RESET: &[u8] = b"\x1b[0m";

/// Appends text for bytes while tracking the current colour.
pub struct Painter {
    current: Option<ByteClass>,
}

impl Painter {
    /// A painter with no colour active.
    pub const fn new() -> Painter {
        Painter { current: None }
    }

    /// Switches to the colour of `b` if it is not active yet.
    #[inline]
    pub fn paint(&mut self, b: u8, out: &mut Vec<u8>) {
        let class = ByteClass::of(b);
        if self.current != Some(class) {
            out.extend_from_slice(class.escape());
            self.current = Some(class);
        }
    }

    /// Ends the active colour, if any.
    #[inline]
    pub fn reset(&mut self, out: &mut Vec<u8>) {
        if self.current.take().is_some() {
            out.extend_from_slice(RESET);
        }
    }
}

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

/// Removes SGR escapes, for tests that compare coloured and plain output.
pub fn strip_escapes(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == 0x1b {
            while i < text.len() && text[i] != b'm' {
                i += 1;
            }
        } else {
            out.push(text[i]);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_every_byte_as_hexyl_does() {
        assert_eq!(ByteClass::of(0), ByteClass::Nul);
        assert_eq!(ByteClass::of(b'A'), ByteClass::Printable);
        assert_eq!(ByteClass::of(b'~'), ByteClass::Printable);
        assert_eq!(ByteClass::of(b' '), ByteClass::Whitespace);
        assert_eq!(ByteClass::of(b'\r'), ByteClass::Whitespace);
        assert_eq!(ByteClass::of(0x1b), ByteClass::OtherAscii);
        assert_eq!(ByteClass::of(0x7f), ByteClass::OtherAscii);
        assert_eq!(ByteClass::of(0x80), ByteClass::NonAscii);
        assert_eq!(ByteClass::of(0xff), ByteClass::NonAscii);
    }

    #[test]
    fn escapes_only_where_the_class_changes() {
        let mut out = Vec::new();
        let mut painter = Painter::new();
        for b in *b"ab\0\0c" {
            painter.paint(b, &mut out);
            out.push(b);
        }
        painter.reset(&mut out);
        assert_eq!(out, b"\x1b[36mab\x1b[90m\0\0\x1b[36mc\x1b[0m");
        assert_eq!(strip_escapes(&out), b"ab\0\0c");
    }
}
