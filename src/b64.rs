//! Base64 (RFC 4648), streaming both ways, byte-identical to GNU `base64`.
//!
//! Encoding matches `base64` (lines of 76 characters, `-w N`, `-w 0` with no
//! final newline) and `basenc --base64url`. Decoding accepts LF and CRLF line
//! breaks anywhere and an optional `data:...;base64,` prefix (RFC 2397), and
//! is stricter than GNU on bad input: an invalid character, `=` anywhere but
//! at the end of a group, or a truncated last group is an error at its byte
//! offset. As in GNU, a padded group may end one encoding and another follow
//! (`cat a.b64 b.b64 | base64 -d`).
//! Like GNU, non-canonical trailing bits (`QR==`) are accepted.
//!
//! Memory: the encoder holds 2 carried bytes and one output buffer; the
//! decoder holds at most one write's worth of symbols (plus 3 carried) and
//! its decoded bytes, so both stay near [`BUF_SIZE`] whatever the input.

use std::io::{self, Read, Write};

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{alphabet, DecodeError, DecodeSliceError, Engine};

use crate::cli::B64Args;
use crate::error::{Corruption, Error, Outcome, Result};
use crate::io::progress::Tracked;
use crate::io::{drive, read_head, Input, Output, Stage, BUF_SIZE};

/// GNU base64's default line length, in characters.
pub const WRAP_COLS_DEFAULT: usize = 76;
/// Input encoded per call into the engine: a multiple of 3.
const ENCODE_CHUNK_BYTES: usize = 48 * 1024;
/// Longest `data:` URL header (up to the comma) accepted when decoding.
pub const DATA_URL_HEADER_MAX_BYTES: usize = 1024;
/// How much of the input `--data-url` reads to sniff the MIME type.
const SNIFF_BYTES: usize = 8192;

/// Which 64 characters encode the six-bit values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `A-Z a-z 0-9 + /` (RFC 4648 §4).
    Standard,
    /// `A-Z a-z 0-9 - _` (RFC 4648 §5), for URLs and file names.
    UrlSafe,
}

impl Alphabet {
    fn engine(self, padding: DecodePaddingMode) -> GeneralPurpose {
        let alphabet = match self {
            Alphabet::Standard => &alphabet::STANDARD,
            Alphabet::UrlSafe => &alphabet::URL_SAFE,
        };
        let config = GeneralPurposeConfig::new()
            .with_encode_padding(true)
            .with_decode_padding_mode(padding)
            .with_decode_allow_trailing_bits(true); // GNU accepts `QR==`
        GeneralPurpose::new(alphabet, config)
    }

    /// The SIMD codec, for the bulk of the work; without padding, so that a
    /// `=` inside the bulk is an error and goes to the diagnosing path.
    fn simd(self) -> &'static base64_simd::Base64 {
        match self {
            Alphabet::Standard => &base64_simd::STANDARD_NO_PAD,
            Alphabet::UrlSafe => &base64_simd::URL_SAFE_NO_PAD,
        }
    }

    /// The two characters after `A-Z a-z 0-9`.
    fn extra(self) -> [u8; 2] {
        match self {
            Alphabet::Standard => *b"+/",
            Alphabet::UrlSafe => *b"-_",
        }
    }
}

/// Encoding stage: bytes in, base64 text out.
pub struct B64Encode<W: Write> {
    inner: W,
    engine: GeneralPurpose,
    simd: &'static base64_simd::Base64,
    pad: bool,
    wrap: usize,
    col: usize,
    carry: [u8; 3],
    carried: usize,
    scratch: Vec<u8>,
    out: Vec<u8>,
}

impl<W: Write> B64Encode<W> {
    /// An encoder writing lines of `wrap` characters (0: one line, no final
    /// newline), with or without `=` padding.
    pub fn new(inner: W, alphabet: Alphabet, pad: bool, wrap: usize) -> B64Encode<W> {
        B64Encode {
            inner,
            engine: alphabet.engine(DecodePaddingMode::RequireCanonical),
            simd: alphabet.simd(),
            pad,
            wrap,
            col: 0,
            carry: [0; 3],
            carried: 0,
            scratch: vec![0; ENCODE_CHUNK_BYTES / 3 * 4],
            out: Vec::with_capacity(2 * BUF_SIZE),
        }
    }

    /// Encodes whole 3-byte groups (or, at the end, the padded tail).
    fn encode(&mut self, bytes: &[u8]) {
        let n = if bytes.len() % 3 == 0 {
            let out = base64_simd::Out::from_slice(&mut self.scratch);
            self.simd.encode(bytes, out).len()
        } else {
            self.engine
                .encode_slice(bytes, &mut self.scratch)
                .expect("scratch holds the encoding of a whole chunk")
        };
        let mut chars = &self.scratch[..n];
        if !self.pad {
            while let Some(rest) = chars.strip_suffix(b"=") {
                chars = rest;
            }
        }
        if self.wrap == 0 {
            self.out.extend_from_slice(chars);
            return;
        }
        while !chars.is_empty() {
            let take = (self.wrap - self.col).min(chars.len());
            self.out.extend_from_slice(&chars[..take]);
            chars = &chars[take..];
            self.col += take;
            if self.col == self.wrap {
                self.out.push(b'\n');
                self.col = 0;
            }
        }
    }

    fn drain_out(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.out)?;
        self.out.clear();
        Ok(())
    }
}

impl<W: Write> Write for B64Encode<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        if self.carried > 0 {
            let take = (3 - self.carried).min(rest.len());
            self.carry[self.carried..self.carried + take].copy_from_slice(&rest[..take]);
            self.carried += take;
            rest = &rest[take..];
            if self.carried < 3 {
                return Ok(buf.len());
            }
            self.carried = 0;
            let group = self.carry;
            self.encode(&group);
        }
        while rest.len() >= 3 {
            let take = (rest.len() / 3 * 3).min(ENCODE_CHUNK_BYTES);
            self.encode(&rest[..take]);
            rest = &rest[take..];
            if self.out.len() >= BUF_SIZE {
                self.drain_out()?;
            }
        }
        self.carry[..rest.len()].copy_from_slice(rest);
        self.carried = rest.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain_out()?;
        self.inner.flush()
    }
}

impl<W: Write> Stage for B64Encode<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if self.carried > 0 {
            let tail = self.carry;
            self.encode(&tail[..self.carried]);
        }
        if self.wrap > 0 && self.col > 0 {
            self.out.push(b'\n');
        }
        self.drain_out()?;
        Ok(self.inner)
    }
}

/// How [`B64Decode`] reads its input.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// The alphabet expected.
    pub alphabet: Alphabet,
    /// Skip every byte outside the alphabet (GNU `-i`).
    pub ignore_garbage: bool,
    /// Accept a final group without its `=` padding.
    pub padding_optional: bool,
}

/// Where the decoder is in an optional `data:` URL header.
enum Header {
    /// Fewer than 5 bytes seen: they may still become `data:`.
    Undecided(Vec<u8>),
    /// Inside `data:...`, before the comma.
    Inside(Vec<u8>),
    /// In the payload.
    Done,
}

/// Decoding stage: base64 text in, bytes out.
pub struct B64Decode<W: Write> {
    inner: W,
    engine: GeneralPurpose,
    simd: &'static base64_simd::Base64,
    opts: DecodeOptions,
    keep: [bool; 256],
    header: Header,
    /// Input offset of the next byte `write` receives.
    offset: u64,
    /// Offset of a `\r` that ended the previous write, awaiting its `\n`.
    cr_at: Option<u64>,
    /// Symbols waiting to be decoded: fewer than 4 between writes.
    symbols: Vec<u8>,
    /// `(index in symbols, input offset)` where each contiguous run starts,
    /// to report errors at their offset in the input.
    runs: Vec<(usize, u64)>,
    out: Vec<u8>,
}

impl<W: Write> B64Decode<W> {
    /// A decoder writing decoded bytes to `inner`.
    pub fn new(inner: W, opts: DecodeOptions) -> B64Decode<W> {
        let padding = if opts.padding_optional {
            DecodePaddingMode::Indifferent
        } else {
            DecodePaddingMode::RequireCanonical
        };
        let mut keep = [false; 256];
        for b in (b'A'..=b'Z').chain(b'a'..=b'z').chain(b'0'..=b'9') {
            keep[usize::from(b)] = true;
        }
        for b in opts.alphabet.extra().into_iter().chain([b'=']) {
            keep[usize::from(b)] = true;
        }
        B64Decode {
            inner,
            engine: opts.alphabet.engine(padding),
            simd: opts.alphabet.simd(),
            opts,
            keep,
            header: Header::Undecided(Vec::with_capacity(5)),
            offset: 0,
            cr_at: None,
            symbols: Vec::with_capacity(BUF_SIZE + 4),
            runs: Vec::new(),
            out: Vec::with_capacity(BUF_SIZE),
        }
    }

    /// Consumes an optional `data:...;base64,` header; passes the rest on.
    fn scan_header(&mut self, buf: &[u8], at: u64) -> io::Result<()> {
        match &mut self.header {
            Header::Done => self.take_payload(buf, at),
            Header::Undecided(held) => {
                let take = (5 - held.len()).min(buf.len());
                held.extend_from_slice(&buf[..take]);
                if !b"data:"[..held.len()].eq_ignore_ascii_case(held) {
                    let held = std::mem::take(held);
                    self.header = Header::Done;
                    self.take_payload(&held, 0)?;
                    return self.take_payload(&buf[take..], at + take as u64);
                }
                if held.len() == 5 {
                    self.header = Header::Inside(Vec::new());
                    return self.scan_header(&buf[take..], at + take as u64);
                }
                Ok(())
            }
            Header::Inside(text) => {
                let Some(comma) = memchr::memchr(b',', buf) else {
                    text.extend_from_slice(buf);
                    if text.len() > DATA_URL_HEADER_MAX_BYTES {
                        return Err(Corruption::io("data: URL header is too long", 0));
                    }
                    return Ok(());
                };
                text.extend_from_slice(&buf[..comma]);
                if text.len() > DATA_URL_HEADER_MAX_BYTES {
                    return Err(Corruption::io("data: URL header is too long", 0));
                }
                let lower = text.to_ascii_lowercase();
                if !lower.ends_with(b";base64") {
                    let what = "data: URL is not base64 (no ';base64' before the comma)";
                    return Err(Corruption::io(what, at + comma as u64));
                }
                self.header = Header::Done;
                let next = comma + 1;
                self.take_payload(&buf[next..], at + next as u64)
            }
        }
    }

    /// Splits payload text into lines and queues their symbols.
    fn take_payload(&mut self, buf: &[u8], at: u64) -> io::Result<()> {
        if let Some(cr) = self.cr_at.take() {
            if buf.first() != Some(&b'\n') {
                return Err(bad_byte(b'\r', cr));
            }
        }
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', buf) {
            let line = &buf[start..newline];
            self.push_symbols(line.strip_suffix(b"\r").unwrap_or(line), at + start as u64);
            start = newline + 1;
        }
        let mut last = &buf[start..];
        if !self.opts.ignore_garbage {
            if let Some(rest) = last.strip_suffix(b"\r") {
                self.cr_at = Some(at + (start + rest.len()) as u64);
                last = rest;
            }
        }
        self.push_symbols(last, at + start as u64);
        Ok(())
    }

    fn push_symbols(&mut self, line: &[u8], at: u64) {
        if !self.opts.ignore_garbage {
            if !line.is_empty() {
                self.runs.push((self.symbols.len(), at));
                self.symbols.extend_from_slice(line);
            }
            return;
        }
        let mut i = 0;
        while i < line.len() {
            while i < line.len() && !self.keep[usize::from(line[i])] {
                i += 1;
            }
            let run = i;
            while i < line.len() && self.keep[usize::from(line[i])] {
                i += 1;
            }
            if i > run {
                self.runs.push((self.symbols.len(), at + run as u64));
                self.symbols.extend_from_slice(&line[run..i]);
            }
        }
    }

    /// The input offset of `symbols[index]`.
    fn origin(&self, index: usize) -> u64 {
        let run = self
            .runs
            .partition_point(|r| r.0 <= index)
            .saturating_sub(1);
        self.runs
            .get(run)
            .map_or(self.offset, |&(start, at)| at + (index - start) as u64)
    }

    /// Decodes every whole group of 4 symbols queued. A group padded with
    /// `=` ends one encoding, and the next group starts another, as GNU
    /// `base64 -d` reads `cat a.b64 b.b64`; `=` anywhere else in a group
    /// is an error at its offset.
    fn decode_groups(&mut self) -> io::Result<()> {
        loop {
            let n = self.symbols.len() / 4 * 4;
            if n == 0 {
                return Ok(());
            }
            let end = memchr::memchr(b'=', &self.symbols[..n]).map_or(n, |i| (i / 4 + 1) * 4);
            self.decode_symbols(end)?;
            self.consume(end);
            if end == n {
                return Ok(());
            }
        }
    }

    /// Decodes `symbols[..n]` into `out`: every group but the last with the
    /// SIMD codec, the last (which may hold padding) with the `base64`
    /// crate. Should the SIMD codec refuse, the whole range goes through
    /// the `base64` crate again, which says what is wrong and where.
    fn decode_symbols(&mut self, n: usize) -> io::Result<()> {
        let old = self.out.len();
        self.out.resize(old + n.div_ceil(4) * 3, 0);
        let bulk = n.saturating_sub(1) / 4 * 4;
        let bulk_out = old + bulk / 4 * 3;
        let (bulk_in, bulk_dst) = (&self.symbols[..bulk], &mut self.out[old..bulk_out]);
        let start = if self
            .simd
            .decode(bulk_in, base64_simd::Out::from_slice(bulk_dst))
            .is_ok()
        {
            bulk
        } else {
            0
        };
        let at = old + start / 4 * 3;
        match self
            .engine
            .decode_slice(&self.symbols[start..n], &mut self.out[at..])
        {
            Ok(written) => {
                self.out.truncate(at + written);
                Ok(())
            }
            Err(e) => Err(self.describe(e, start, n)),
        }
    }

    /// Explains a decoding error in `symbols[start..n]`.
    fn describe(&self, err: DecodeSliceError, start: usize, n: usize) -> io::Error {
        let first_pad = || {
            let group = n.saturating_sub(1) / 4 * 4;
            let pad = self.symbols[group..n].iter().position(|&b| b == b'=');
            self.origin(group + pad.unwrap_or(0))
        };
        let err = match err {
            DecodeSliceError::DecodeError(DecodeError::InvalidByte(i, b)) => {
                DecodeSliceError::DecodeError(DecodeError::InvalidByte(start + i, b))
            }
            DecodeSliceError::DecodeError(DecodeError::InvalidLastSymbol(i, b)) => {
                DecodeSliceError::DecodeError(DecodeError::InvalidLastSymbol(start + i, b))
            }
            other => other,
        };
        match err {
            DecodeSliceError::DecodeError(DecodeError::InvalidByte(i, b'=')) => {
                let group = i / 4 * 4;
                if self
                    .symbols
                    .get(group..group + 4)
                    .is_some_and(is_padded_group)
                {
                    // A whole padded group ended the data, and more follows.
                    Corruption::io("data after the final '=' padding", self.origin(group + 4))
                } else {
                    Corruption::io("misplaced '=' padding", self.origin(i))
                }
            }
            DecodeSliceError::DecodeError(DecodeError::InvalidByte(i, b)) => {
                bad_byte(b, self.origin(i))
            }
            DecodeSliceError::DecodeError(DecodeError::InvalidLastSymbol(i, _)) => {
                Corruption::io("invalid last character", self.origin(i))
            }
            DecodeSliceError::DecodeError(DecodeError::InvalidPadding) => {
                Corruption::io("invalid '=' padding", first_pad())
            }
            DecodeSliceError::DecodeError(DecodeError::InvalidLength(_)) => {
                Corruption::io("truncated input", self.offset)
            }
            DecodeSliceError::OutputSliceTooSmall => io::Error::other("decode buffer too small"),
        }
    }

    /// Drops the first `n` symbols, keeping the offset map of the rest.
    fn consume(&mut self, n: usize) {
        if n == self.symbols.len() {
            self.symbols.clear();
            self.runs.clear();
            return;
        }
        let first = self.runs.partition_point(|r| r.0 <= n).saturating_sub(1);
        let at = self.origin(n);
        self.runs.drain(..=first);
        for run in &mut self.runs {
            run.0 -= n;
        }
        self.runs.insert(0, (0, at));
        self.symbols.drain(..n);
    }

    fn drain_out(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.out)?;
        self.out.clear();
        Ok(())
    }
}

/// `xy==` or `xyz=`: a correctly padded last group.
fn is_padded_group(group: &[u8]) -> bool {
    match group {
        [a, b, b'=', b'='] => *a != b'=' && *b != b'=',
        [a, b, c, b'='] => ![a, b, c].contains(&&b'='),
        _ => false,
    }
}

/// The error for a byte that is not part of the alphabet.
fn bad_byte(byte: u8, offset: u64) -> io::Error {
    Corruption::io(crate::error::describe_byte("invalid", byte), offset)
}

impl<W: Write> Write for B64Decode<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let at = self.offset;
        self.offset += buf.len() as u64;
        self.scan_header(buf, at)?;
        self.decode_groups()?;
        if self.out.len() >= BUF_SIZE {
            self.drain_out()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain_out()?;
        self.inner.flush()
    }
}

impl<W: Write> Stage for B64Decode<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        match std::mem::replace(&mut self.header, Header::Done) {
            Header::Undecided(held) => self.take_payload(&held, 0)?,
            Header::Inside(_) => {
                return Err(Corruption::io("data: URL has no ',' before its data", 0));
            }
            Header::Done => {}
        }
        if let Some(cr) = self.cr_at {
            return Err(bad_byte(b'\r', cr));
        }
        self.decode_groups()?;
        match self.symbols.len() {
            0 => {}
            _ if !self.opts.padding_optional => {
                return Err(Corruption::io(
                    "truncated input: last group is incomplete",
                    self.offset,
                ));
            }
            1 => {
                return Err(Corruption::io(
                    "truncated input: a lone last character",
                    self.origin(0),
                ))
            }
            n => self.decode_symbols(n)?,
        }
        self.drain_out()?;
        Ok(self.inner)
    }
}

/// The `data:<mime>;base64,` prefix for content starting with `head`.
pub fn data_url_prefix(head: &[u8]) -> String {
    let mime = match infer::get(head) {
        Some(kind) => kind.mime_type(),
        None if looks_like_text(head) => "text/plain;charset=utf-8",
        None => "application/octet-stream",
    };
    format!("data:{mime};base64,")
}

/// UTF-8 without NUL or control characters other than common whitespace;
/// a character cut at the end of `head` is allowed.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    valid
        && !head
            .iter()
            .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
}

pub(crate) fn run(args: &B64Args) -> Result<Outcome> {
    if let Some(extra) = &args.extra {
        return Err(Error::Usage(format!(
            "extra operand '{}': b64 reads one FILE, as base64 does (cat the files into it)",
            extra.display()
        )));
    }
    let mut input = Input::open(args.file.as_deref())?;
    let output = Output::create(args.out.output.as_deref(), args.out.force)?;
    let (from, to) = (input.place().clone(), output.place().clone());
    let len = input.size();
    let mut reader = Tracked::new(&mut input, &from, len, args.out.quiet);
    let alphabet = if args.url {
        Alphabet::UrlSafe
    } else {
        Alphabet::Standard
    };
    let output = if args.decode {
        let opts = DecodeOptions {
            alphabet,
            ignore_garbage: args.ignore_garbage,
            padding_optional: args.no_pad,
        };
        drive(&mut reader, B64Decode::new(output, opts), &from, &to)?
    } else if args.data_url {
        encode_data_url(&mut reader, output, &from)?
    } else {
        let stage = B64Encode::new(output, alphabet, !args.no_pad, args.wrap);
        drive(&mut reader, stage, &from, &to)?
    };
    reader.finish();
    output.commit()?;
    Ok(Outcome::Yes)
}

/// Writes the whole input as one data URL line.
fn encode_data_url(
    reader: &mut dyn Read,
    mut output: Output,
    from: &crate::Place,
) -> Result<Output> {
    let to = output.place().clone();
    let write_err = |e| crate::Error::io("write", &to, e);
    let head = read_head(reader, SNIFF_BYTES).map_err(|e| crate::Error::io("read", from, e))?;
    output
        .write_all(data_url_prefix(&head).as_bytes())
        .map_err(write_err)?;
    let mut stage = B64Encode::new(output, Alphabet::Standard, true, 0);
    stage.write_all(&head).map_err(write_err)?;
    let mut output = drive(&mut *reader, stage, from, &to)?;
    output.write_all(b"\n").map_err(write_err)?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::pump_with;

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    fn encode_through(
        data: &[u8],
        buf: usize,
        wrap: usize,
        alphabet: Alphabet,
        pad: bool,
    ) -> Vec<u8> {
        let stage = B64Encode::new(Vec::new(), alphabet, pad, wrap);
        let mut stage = stage;
        pump_with(&mut &data[..], &mut stage, &mut vec![0; buf]).unwrap();
        stage.finish().unwrap()
    }

    fn decode_through(text: &[u8], buf: usize, opts: DecodeOptions) -> io::Result<Vec<u8>> {
        let mut stage = B64Decode::new(Vec::new(), opts);
        match pump_with(&mut &text[..], &mut stage, &mut vec![0; buf]) {
            Ok(_) => stage.finish(),
            Err(crate::io::PumpError::Write(e) | crate::io::PumpError::Read(e)) => Err(e),
        }
    }

    const STRICT: DecodeOptions = DecodeOptions {
        alphabet: Alphabet::Standard,
        ignore_garbage: false,
        padding_optional: false,
    };

    fn decode(text: &str) -> io::Result<Vec<u8>> {
        decode_through(text.as_bytes(), BUF_SIZE, STRICT)
    }

    fn corruption(text: &str) -> (String, u64) {
        let err = decode(text).expect_err(text);
        let c = Corruption::find(&err).expect("a corruption report");
        (c.what.clone(), c.offset)
    }

    /// The reference: wrap the engine's one-shot encoding by hand.
    fn reference_encoding(data: &[u8], wrap: usize) -> Vec<u8> {
        let flat = base64::engine::general_purpose::STANDARD
            .encode(data)
            .into_bytes();
        if wrap == 0 {
            return flat;
        }
        let mut out = Vec::new();
        for line in flat.chunks(wrap) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn rfc4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in vectors {
            let got = encode_through(plain.as_bytes(), 7, 0, Alphabet::Standard, true);
            assert_eq!(got, coded.as_bytes());
            assert_eq!(decode(coded).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn encode_is_independent_of_buffer_boundaries() {
        for len in 0..=300 {
            let data = sample(len);
            for wrap in [0, 1, 5, 76] {
                let expected = reference_encoding(&data, wrap);
                for buf in [1, 2, 3, 7, 64, BUF_SIZE] {
                    let got = encode_through(&data, buf, wrap, Alphabet::Standard, true);
                    assert_eq!(got, expected, "len={len} wrap={wrap} buf={buf}");
                }
            }
        }
    }

    #[test]
    fn decode_is_independent_of_buffer_boundaries() {
        for len in 0..=300 {
            let data = sample(len);
            for wrap in [0, 4, 5, 76] {
                let text = reference_encoding(&data, wrap);
                for buf in [1, 2, 3, 7, 64, BUF_SIZE] {
                    let got = decode_through(&text, buf, STRICT).unwrap();
                    assert_eq!(got, data, "len={len} wrap={wrap} buf={buf}");
                }
            }
        }
    }

    #[test]
    fn decode_splits_at_every_offset() {
        let data = sample(200);
        let mut text = reference_encoding(&data, 76);
        // CRLF line ends, which GNU only takes with -i, are accepted too.
        text = String::from_utf8(text)
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes();
        for cut in 0..=text.len() {
            let mut stage = B64Decode::new(Vec::new(), STRICT);
            stage.write_all(&text[..cut]).unwrap();
            stage.write_all(&text[cut..]).unwrap();
            assert_eq!(stage.finish().unwrap(), data, "cut={cut}");
        }
    }

    #[test]
    fn invalid_characters_are_reported_at_their_offset() {
        assert_eq!(corruption("Zm9v*mFy"), ("invalid character '*'".into(), 4));
        assert_eq!(corruption("Zm9v\nYm F5"), ("invalid byte 0x20".into(), 7));
        assert_eq!(corruption("Zm9vYm\rFy"), ("invalid byte 0x0d".into(), 6));
        assert_eq!(corruption("Zm9v-mFy"), ("invalid character '-'".into(), 4));
        assert_eq!(corruption("Zm9vYmFy\r"), ("invalid byte 0x0d".into(), 8));
    }

    /// Padding ends a group, and may end one encoding before another
    /// (GNU reads concatenated encodings: "Zg==" is "f", "Zm8=" is "fo").
    /// Anywhere else in a group `=` is an error at its offset.
    #[test]
    fn padding_ends_a_group_and_another_encoding_may_follow() {
        assert_eq!(decode("Zg==Zg==").unwrap(), b"ff");
        assert_eq!(decode("Zg==\nZm8=\nZm9v\n").unwrap(), b"ffofoo");
        assert_eq!(decode("Zm9vZg==Zm9v").unwrap(), b"fooffoo");
        assert_eq!(corruption("Zg=aZm9v"), ("misplaced '=' padding".into(), 2));
        assert_eq!(corruption("Zm9vZ=9v"), ("misplaced '=' padding".into(), 5));
        assert_eq!(corruption("Zg=Zg=="), ("misplaced '=' padding".into(), 2));
        assert_eq!(
            corruption("Zg====").0,
            "truncated input: last group is incomplete"
        );
        assert_eq!(
            corruption("Zm9=v").0,
            "truncated input: last group is incomplete"
        );
        assert_eq!(corruption("Z===").1, 1);
        assert_eq!(decode("Zg==\n\n").unwrap(), b"f");
    }

    #[test]
    fn truncated_groups_are_errors_unless_padding_is_optional() {
        assert_eq!(corruption("Zm9vY").1, 5);
        assert_eq!(
            corruption("Zm9vYg").0,
            "truncated input: last group is incomplete"
        );
        let lax = DecodeOptions {
            padding_optional: true,
            ..STRICT
        };
        assert_eq!(decode_through(b"Zm9vYg", 3, lax).unwrap(), b"foob");
        assert_eq!(decode_through(b"Zm9vYmE", 3, lax).unwrap(), b"fooba");
        assert_eq!(decode_through(b"Zm9vYg==", 3, lax).unwrap(), b"foob");
        assert!(decode_through(b"Zm9vY", 3, lax).is_err());
    }

    #[test]
    fn non_canonical_trailing_bits_are_accepted_like_gnu() {
        assert_eq!(decode("QR==").unwrap(), b"A");
    }

    #[test]
    fn ignore_garbage_skips_everything_outside_the_alphabet() {
        let opts = DecodeOptions {
            ignore_garbage: true,
            ..STRICT
        };
        assert_eq!(
            decode_through(b"Zm*9v\r\n Ym\tFy!!", 2, opts).unwrap(),
            b"foobar"
        );
        // GNU `base64 -di` gives "ff": padding ends one encoding, garbage
        // between two is skipped.
        assert_eq!(decode_through(b"Zg== ! Zg==", 64, opts).unwrap(), b"ff");
    }

    #[test]
    fn url_alphabet_round_trips_and_rejects_standard_symbols() {
        let data = [0xfb, 0xff, 0xbf];
        assert_eq!(
            encode_through(&data, 64, 0, Alphabet::UrlSafe, true),
            b"-_-_"
        );
        let url = DecodeOptions {
            alphabet: Alphabet::UrlSafe,
            ..STRICT
        };
        assert_eq!(decode_through(b"-_-_", 64, url).unwrap(), data);
        assert!(decode_through(b"+/+/", 64, url).is_err());
    }

    #[test]
    fn no_pad_drops_the_equals_signs() {
        assert_eq!(
            encode_through(b"f", 64, 76, Alphabet::Standard, false),
            b"Zg\n"
        );
        assert_eq!(
            encode_through(b"fo", 64, 0, Alphabet::Standard, false),
            b"Zm8"
        );
    }

    #[test]
    fn data_url_prefix_is_skipped_when_decoding() {
        assert_eq!(decode("data:text/plain;base64,Zm9v").unwrap(), b"foo");
        assert_eq!(decode("DATA:;BASE64,Zm9v").unwrap(), b"foo");
        assert_eq!(
            decode("dat").unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        let (what, offset) = corruption("data:text/plain,foo");
        assert!(what.contains("not base64"), "{what}");
        assert_eq!(offset, 15);
        assert!(corruption("data:text/plain;base64").0.contains("no ','"));
        let long = format!("data:{};base64,Zg==", "x".repeat(2000));
        assert!(corruption(&long).0.contains("too long"));
    }

    #[test]
    fn data_url_mime_comes_from_the_content() {
        assert_eq!(
            data_url_prefix(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "data:image/png;base64,"
        );
        assert_eq!(
            data_url_prefix(b"hello\n"),
            "data:text/plain;charset=utf-8;base64,"
        );
        assert_eq!(
            data_url_prefix(b"\x00\x01\x02"),
            "data:application/octet-stream;base64,"
        );
    }
}
