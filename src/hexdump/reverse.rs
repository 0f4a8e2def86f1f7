//! `-r`: turning a dump back into bytes, for each format binkit writes.
//!
//! Stricter than `xxd -r`, which silently drops what it cannot parse: any
//! character out of place, an odd hex digit, an offset that goes backwards,
//! a `*` with nothing to repeat or a dump cut before its final line is an
//! error at its byte offset in the dump. An offset that jumps ahead is
//! filled with zeros (xxd's behaviour, which `-a` dumps rely on) only up to
//! `max_gap` bytes: a 13-byte line must not be able to ask for 256 MiB;
//! and all the jumps together only up to `max_fill` bytes, so that a
//! 390-byte dump of many jumps cannot write 486 MB either.
//!
//! Memory: one dump line (at most [`MAX_DUMP_LINE_BYTES`]) and one output
//! buffer; gaps are written as zeros in buffer-sized pieces.

use std::io::{self, Write};

use super::xxd::FLUSH_BYTES;
use crate::error::Corruption;
use crate::io::{Stage, BUF_SIZE};

/// Longest dump line accepted (an `xxd -p -c 0` dump has no lines: it is
/// read character by character instead).
pub const MAX_DUMP_LINE_BYTES: usize = 64 * 1024;

/// Which dump format `-r` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpFormat {
    /// xxd's default: `00000000: 4865 6c6c  He..`.
    Xxd,
    /// `hexdump -C`.
    Canonical,
    /// `xxd -i` C include.
    Include,
}

/// Where restored bytes go; knows the position and fills gaps.
struct Sink<W: Write> {
    inner: W,
    pos: u64,
    max_gap: u64,
    /// Zeros that all jumps together may still fill.
    fill_left: u64,
    /// The line before was xxd's `*` (`-a`): the next jump is squeezed
    /// zero lines, bounded by `--max-fill` only.
    after_star: bool,
    /// The last xxd line held only zeros (what a `*` may follow).
    last_zero: bool,
    out: Vec<u8>,
    /// Added to every address (`-r -s`, as xxd: negative subtracts).
    base: i64,
    /// `--patch`: a jump moves the output's position instead of writing
    /// zeros, so the bytes between keep what the file held.
    seek: Option<Seek<W>>,
    /// `--patch`: the patched file's length so far; a jump past it grows
    /// the file, which `--max-gap` and `--max-fill` bound as they bound
    /// zeros.
    end: u64,
}

/// Moves a patched output to an absolute position.
pub type Seek<W> = fn(&mut W, u64) -> io::Result<()>;

impl<W: Write> Sink<W> {
    fn bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.extend_from_slice(bytes);
        self.pos += bytes.len() as u64;
        if self.out.len() >= FLUSH_BYTES {
            self.drain()?;
        }
        Ok(())
    }

    fn drain(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.out)?;
        self.out.clear();
        Ok(())
    }

    /// Checks a jump from the current position to `target`; `one_gap` also
    /// holds it to `--max-gap` (zeros for a skipped offset). A squeeze (a
    /// `*` line: `-C`'s repeat of the line before, `-a`'s zero lines) is
    /// bounded by `--max-fill` only, so that binkit's own dump of 20 MB of
    /// one byte turns back.
    fn jump_to(&self, target: u64, at: u64, one_gap: bool) -> io::Result<u64> {
        let gap = target.checked_sub(self.pos).ok_or_else(|| {
            let what = format!("offset {target:#x} goes back before {:#x}", self.pos);
            Corruption::io(what, at)
        })?;
        if one_gap && gap > self.max_gap {
            let what = format!(
                "offset {target:#x} jumps {gap} bytes ahead, more than --max-gap {}",
                self.max_gap
            );
            return Err(Corruption::io(what, at));
        }
        if gap > self.fill_left {
            let what = format!(
                "offset {target:#x}: the jumps ahead fill more than --max-fill bytes in all"
            );
            return Err(Corruption::io(what, at));
        }
        Ok(gap)
    }

    fn new(inner: W, max_gap: u64, fill_left: u64) -> Sink<W> {
        Sink {
            inner,
            pos: 0,
            max_gap,
            fill_left,
            after_star: false,
            last_zero: false,
            out: Vec::with_capacity(FLUSH_BYTES + BUF_SIZE),
            base: 0,
            seek: None,
            end: 0,
        }
    }

    /// Where a dump's `address` goes, after `-s`.
    fn placed(&self, address: u64, at: u64) -> io::Result<u64> {
        let target = i128::from(address) + i128::from(self.base);
        if target < 0 {
            let what = format!(
                "offset {address:#x} with -s {} is before the start of the output",
                self.base
            );
            return Err(Corruption::io(what, at));
        }
        if target > i128::from(i64::MAX) {
            let what = format!("offset {target:#x} is past the largest file offset");
            return Err(Corruption::io(what, at));
        }
        Ok(u64::try_from(target).expect("checked"))
    }

    /// Fills with zeros up to `target`; when patching, moves there
    /// (forward or back) unless the dump said the bytes are zeros (`*`).
    fn zeros_to(&mut self, target: u64, at: u64) -> io::Result<()> {
        if let Some(seek) = self.seek.filter(|_| !self.after_star) {
            if target != self.pos {
                let edge = self.end.max(self.pos);
                let grow = target.saturating_sub(edge);
                if grow > self.max_gap {
                    let what = format!(
                        "offset {target:#x} is {grow} bytes past the end of the file, more than --max-gap {}",
                        self.max_gap
                    );
                    return Err(Corruption::io(what, at));
                }
                if grow > self.fill_left {
                    let what = format!(
                        "offset {target:#x}: growing the file takes more than --max-fill bytes in all"
                    );
                    return Err(Corruption::io(what, at));
                }
                self.fill_left -= grow;
                self.drain()?;
                seek(&mut self.inner, target)?;
                self.end = edge;
                self.pos = target;
            }
            return Ok(());
        }
        let squeezed = std::mem::take(&mut self.after_star);
        let mut gap = self.jump_to(target, at, !squeezed)?;
        self.fill_left -= gap;
        let zeros = [0u8; BUF_SIZE];
        while gap > 0 {
            let n = usize::try_from(gap).unwrap_or(BUF_SIZE).min(BUF_SIZE);
            self.bytes(&zeros[..n])?;
            gap -= n as u64;
        }
        Ok(())
    }

    /// Repeats `line` up to `target` (`hexdump -C`'s `*`).
    fn repeat_to(&mut self, line: &[u8], target: u64, at: u64) -> io::Result<()> {
        let gap = self.jump_to(target, at, false)?;
        self.fill_left -= gap;
        if line.is_empty() || gap % line.len() as u64 != 0 {
            return Err(Corruption::io("'*' gap is not a whole number of lines", at));
        }
        for _ in 0..gap / line.len() as u64 {
            self.bytes(line)?;
        }
        Ok(())
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn unexpected(c: u8, at: u64) -> io::Error {
    Corruption::io(crate::error::describe_byte("unexpected", c), at)
}

fn odd_digits(at: u64) -> io::Error {
    Corruption::io("odd number of hex digits in a group", at)
}

/// A hex number of up to 16 digits, whole.
fn parse_hex_u64(text: &[u8]) -> Option<u64> {
    if text.is_empty() || text.len() > 16 {
        return None;
    }
    text.iter()
        .try_fold(0u64, |acc, &c| Some(acc << 4 | u64::from(hex_value(c)?)))
}

/// `xxd -r -p`: hex digits and white space, and one `:`, `-` or `,`
/// after a byte (`de:ad:be:ef`, as xxd reads them); anything else, a
/// separator inside a byte or two in a row is an error (xxd drops the rest
/// of the line there, silently).
pub struct PlainUndump<W: Write> {
    sink: Sink<W>,
    high: Option<(u8, u64)>,
    /// The last significant character completed a byte.
    after_byte: bool,
    /// Bytes written so far, or none yet (the first one goes to `-s`).
    started: bool,
    offset: u64,
}

impl<W: Write> PlainUndump<W> {
    /// A stage writing the restored bytes to `inner`.
    pub fn new(inner: W) -> PlainUndump<W> {
        PlainUndump {
            sink: Sink::new(inner, 0, 0),
            high: None,
            after_byte: false,
            started: false,
            offset: 0,
        }
    }

    /// `-r -s`: the first byte goes to `base` (negative: refused, there
    /// is nothing before the start), zeros before it up to `max_gap`.
    #[must_use]
    pub fn with_base(mut self, base: i64, max_gap: u64) -> PlainUndump<W> {
        self.sink.base = base;
        self.sink.max_gap = max_gap;
        self.sink.fill_left = max_gap;
        self
    }

    /// `--patch`: jumps move `inner`'s position with `seek`; `len` is the
    /// patched file's length.
    #[must_use]
    pub fn seeking(mut self, seek: Seek<W>, len: u64) -> PlainUndump<W> {
        self.sink.seek = Some(seek);
        self.sink.end = len;
        self
    }
}

impl<W: Write> Write for PlainUndump<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for (i, &c) in buf.iter().enumerate() {
            let at = self.offset + i as u64;
            match (hex_value(c), self.high) {
                (Some(low), Some((high, _))) => {
                    if !self.started {
                        self.started = true;
                        let target = self.sink.placed(0, at)?;
                        self.sink.zeros_to(target, at)?;
                    }
                    self.sink.out.push(high << 4 | low);
                    self.sink.pos += 1;
                    self.high = None;
                    self.after_byte = true;
                }
                (Some(high), None) => self.high = Some((high, at)),
                (None, _) if c.is_ascii_whitespace() => {}
                (None, None) if matches!(c, b':' | b'-' | b',') && self.after_byte => {
                    self.after_byte = false;
                }
                (None, _) => return Err(unexpected(c, at)),
            }
        }
        self.offset += buf.len() as u64;
        self.sink.drain()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.drain()?;
        self.sink.inner.flush()
    }
}

impl<W: Write> Stage for PlainUndump<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if let Some((_, at)) = self.high {
            return Err(Corruption::io(
                "odd number of hex digits: the last byte is cut",
                at,
            ));
        }
        self.sink.drain()?;
        Ok(self.sink.inner)
    }
}

/// Line-based reverse for the xxd, `-C` and `-i` formats.
pub struct Undump<W: Write> {
    sink: Sink<W>,
    parser: Parser,
    line: Vec<u8>,
    /// Dump offset of the next byte `write` receives.
    offset: u64,
}

enum Parser {
    Xxd,
    Canonical(CanonicalState),
    Include(IncludeState),
}

#[derive(Default)]
struct CanonicalState {
    last: Vec<u8>,
    seen_line: bool,
    repeat: bool,
    ended: bool,
}

#[derive(Default)]
struct IncludeState {
    opened: bool,
    closed: bool,
}

impl<W: Write> Undump<W> {
    /// A stage reading `format`, writing bytes to `inner`, filling at most
    /// `max_gap` bytes for any jump ahead.
    pub fn new(inner: W, format: DumpFormat, max_gap: u64) -> Undump<W> {
        let parser = match format {
            DumpFormat::Xxd => Parser::Xxd,
            DumpFormat::Canonical => Parser::Canonical(CanonicalState::default()),
            DumpFormat::Include => Parser::Include(IncludeState::default()),
        };
        Undump {
            sink: Sink::new(inner, max_gap, u64::MAX),
            parser,
            line: Vec::new(),
            offset: 0,
        }
    }

    /// Fills at most `max_fill` zero bytes over all jumps ahead together
    /// (no bound unless set).
    #[must_use]
    pub fn with_max_fill(mut self, max_fill: u64) -> Undump<W> {
        self.sink.fill_left = max_fill;
        self
    }

    /// `-r -s`: `base` is added to every address of an xxd dump.
    #[must_use]
    pub fn with_base(mut self, base: i64) -> Undump<W> {
        self.sink.base = base;
        self
    }

    /// `--patch`: jumps move `inner`'s position with `seek`; `len` is the
    /// patched file's length.
    #[must_use]
    pub fn seeking(mut self, seek: Seek<W>, len: u64) -> Undump<W> {
        self.sink.seek = Some(seek);
        self.sink.end = len;
        self
    }

    fn line(&mut self, line: &[u8], at: u64) -> io::Result<()> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        match &mut self.parser {
            Parser::Xxd => xxd_line(&mut self.sink, line, at),
            Parser::Canonical(state) => state.line(&mut self.sink, line, at),
            Parser::Include(state) => state.line(&mut self.sink, line, at),
        }
    }
}

/// One line of xxd's default format: `ADDR: hex groups  text`.
fn xxd_line<W: Write>(sink: &mut Sink<W>, line: &[u8], at: u64) -> io::Result<()> {
    if line == b"*" {
        // xxd -a squeezes only runs of zero lines, after showing the first.
        if !sink.last_zero {
            return Err(Corruption::io(
                "'*' after a line that is not all zeros (xxd -a squeezes only zero lines)",
                at,
            ));
        }
        sink.after_star = true; // `-a`: the next address says how many zeros
        return Ok(());
    }
    let colon = line.iter().position(|&c| c == b':');
    let address = colon.and_then(|c| parse_hex_u64(&line[..c]));
    let (Some(colon), Some(address)) = (colon, address) else {
        return Err(Corruption::io("expected a hex address and ':'", at));
    };
    let address = sink.placed(address, at)?;
    sink.zeros_to(address, at)?;
    let mut bytes = Vec::with_capacity(64);
    let mut i = colon + 1;
    if line.get(i) == Some(&b' ') {
        i += 1;
    }
    while i < line.len() {
        let c = line[i];
        if c == b' ' {
            if matches!(line.get(i + 1), None | Some(&b' ')) {
                break; // two spaces: the text column starts
            }
            i += 1;
            continue;
        }
        let high = hex_value(c).ok_or_else(|| unexpected(c, at + i as u64))?;
        let low = match line.get(i + 1).copied() {
            Some(c) => match hex_value(c) {
                Some(low) => low,
                None if c == b' ' => return Err(odd_digits(at + i as u64)),
                None => return Err(unexpected(c, at + i as u64 + 1)),
            },
            None => return Err(odd_digits(at + i as u64)),
        };
        bytes.push(high << 4 | low);
        i += 2;
    }
    sink.last_zero = !bytes.is_empty() && bytes.iter().all(|&b| b == 0);
    sink.bytes(&bytes)
}

impl CanonicalState {
    fn line<W: Write>(&mut self, sink: &mut Sink<W>, line: &[u8], at: u64) -> io::Result<()> {
        if self.ended {
            return Err(Corruption::io("data after the final offset line", at));
        }
        if line == b"*" {
            if !self.seen_line || self.repeat {
                return Err(Corruption::io("'*' with no line to repeat", at));
            }
            if self.last.len() != 16 {
                return Err(Corruption::io(
                    "'*' after a short line (hexdump squeezes only whole lines)",
                    at,
                ));
            }
            self.repeat = true;
            return Ok(());
        }
        let digits = line.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let offset = parse_hex_u64(&line[..digits])
            .ok_or_else(|| Corruption::io("expected a hex offset", at))?;
        let rest = &line[digits..];
        if rest.is_empty() {
            self.ended = true;
            return self.move_to(sink, offset, at);
        }
        let bytes = canonical_bytes(rest, at + digits as u64)?;
        self.move_to(sink, offset, at)?;
        sink.bytes(&bytes)?;
        self.last = bytes;
        self.seen_line = true;
        Ok(())
    }

    /// Moves to the offset a line names: by repeating after `*`, with zeros
    /// before the first line (a dump made with `-s`), else it must match.
    fn move_to<W: Write>(&mut self, sink: &mut Sink<W>, offset: u64, at: u64) -> io::Result<()> {
        if std::mem::take(&mut self.repeat) {
            return sink.repeat_to(&self.last, offset, at);
        }
        if !self.seen_line {
            return sink.zeros_to(offset, at);
        }
        if offset != sink.pos {
            let what = format!("offset {offset:#x} does not follow on from {:#x}", sink.pos);
            return Err(Corruption::io(what, at));
        }
        Ok(())
    }

    fn finish(&self, at: u64) -> io::Result<()> {
        if self.repeat {
            return Err(Corruption::io("truncated dump: it ends after '*'", at));
        }
        if self.seen_line && !self.ended {
            return Err(Corruption::io("truncated dump: no final offset line", at));
        }
        Ok(())
    }
}

/// The bytes of a `-C` line after its offset: `  48 65 ...  |He...|`.
fn canonical_bytes(rest: &[u8], at: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(16);
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            b' ' | b'\t' => i += 1,
            b'|' => break,
            c => {
                let pair = (hex_value(c), rest.get(i + 1).copied().and_then(hex_value));
                let (Some(high), Some(low)) = pair else {
                    return Err(unexpected(c, at + i as u64));
                };
                if rest.get(i + 2).is_some_and(|c| !matches!(c, b' ' | b'\t')) {
                    return Err(unexpected(rest[i + 2], at + (i + 2) as u64));
                }
                if bytes.len() == 16 {
                    return Err(Corruption::io(
                        "more than 16 bytes on a line",
                        at + i as u64,
                    ));
                }
                bytes.push(high << 4 | low);
                i += 2;
            }
        }
    }
    Ok(bytes)
}

impl IncludeState {
    fn line<W: Write>(&mut self, sink: &mut Sink<W>, line: &[u8], at: u64) -> io::Result<()> {
        let text = line.trim_ascii();
        let indent = (line.len() - line.trim_ascii_start().len()) as u64;
        if text.starts_with(b"unsigned char ") {
            if self.opened || sink.pos > 0 || !text.ends_with(b"{") {
                return Err(Corruption::io("misplaced array header", at + indent));
            }
            self.opened = true;
            return Ok(());
        }
        if text == b"};" {
            self.closed = true;
            return Ok(());
        }
        if text.starts_with(b"unsigned int ") {
            return check_length_line(text, sink.pos, at + indent);
        }
        if self.closed {
            return Err(Corruption::io("data after the closing '};'", at + indent));
        }
        let mut column = 0;
        let count = line.split(|&c| c == b',').count();
        for (k, token) in line.split(|&c| c == b',').enumerate() {
            let value = token.trim_ascii();
            let token_at = at + (column + token.len() - token.trim_ascii_start().len()) as u64;
            column += token.len() + 1;
            if value.is_empty() && k + 1 == count {
                break; // the comma that ends a full line
            }
            let digits = value
                .strip_prefix(b"0x")
                .or_else(|| value.strip_prefix(b"0X"))
                .filter(|d| (1..=2).contains(&d.len()));
            let byte = digits.and_then(parse_hex_u64);
            let byte =
                byte.ok_or_else(|| Corruption::io("expected a byte such as 0x4f", token_at))?;
            sink.bytes(&[u8::try_from(byte).expect("two hex digits fit a byte")])?;
        }
        Ok(())
    }

    fn finish(&self, at: u64) -> io::Result<()> {
        if self.opened && !self.closed {
            return Err(Corruption::io("truncated dump: no closing '};'", at));
        }
        Ok(())
    }
}

/// `unsigned int NAME_len = N;` must agree with the bytes read.
fn check_length_line(text: &[u8], count: u64, at: u64) -> io::Result<()> {
    let value = text
        .iter()
        .position(|&c| c == b'=')
        .map(|eq| text[eq + 1..].trim_ascii())
        .and_then(|v| v.strip_suffix(b";"))
        .and_then(|v| std::str::from_utf8(v.trim_ascii()).ok())
        .and_then(|v| v.parse::<u64>().ok());
    match value {
        Some(n) if n == count => Ok(()),
        Some(n) => Err(Corruption::io(
            format!("length line says {n} bytes but the array has {count}"),
            at,
        )),
        None => Err(Corruption::io("malformed length line", at)),
    }
}

impl<W: Write> Write for Undump<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', buf) {
            let piece = &buf[start..newline];
            if self.line.is_empty() {
                self.line(piece, self.offset + start as u64)?;
            } else {
                let mut line = std::mem::take(&mut self.line);
                line.extend_from_slice(piece);
                let at = self.offset + start as u64 - (line.len() - piece.len()) as u64;
                self.line(&line, at)?;
                line.clear();
                self.line = line;
            }
            start = newline + 1;
        }
        self.line.extend_from_slice(&buf[start..]);
        if self.line.len() > MAX_DUMP_LINE_BYTES {
            let at = self.offset + buf.len() as u64 - self.line.len() as u64;
            return Err(Corruption::io("dump line is too long", at));
        }
        self.offset += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.drain()?;
        self.sink.inner.flush()
    }
}

impl<W: Write> Stage for Undump<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        let last = std::mem::take(&mut self.line);
        if !last.is_empty() {
            self.line(&last, self.offset - last.len() as u64)?;
        }
        match &self.parser {
            Parser::Xxd => {}
            Parser::Canonical(state) => state.finish(self.offset)?,
            Parser::Include(state) => state.finish(self.offset)?,
        }
        self.sink.drain()?;
        Ok(self.sink.inner)
    }
}
