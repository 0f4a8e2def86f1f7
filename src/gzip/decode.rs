//! Decompressing gzip streams of any number of members, streaming.
//!
//! What GNU gzip users expect, and what flate2's decoders do not give:
//! every member of `cat a.gz b.gz` is decoded; zero bytes after the last
//! member (tar padding) are accepted silently; other trailing bytes are an
//! error unless `ignore_trailing`; each member's CRC-32 and ISIZE are
//! checked; a truncated stream is an error at its offset; and the bomb
//! guards stop before writing past `max_output` bytes or past `max_ratio`
//! times the input read so far.
//!
//! Memory: the header (at most ~200 KiB with maximal FEXTRA/FNAME/FCOMMENT),
//! the inflate window and one output buffer.

use std::io::{self, Write};

use flate2::{Decompress, FlushDecompress, Status};

use super::header::{self, Header};
use crate::error::Corruption;
use crate::io::{Stage, BUF_SIZE};

/// Inflated bytes per call: larger than the pump's buffer, since inflate
/// runs faster with room to write (64 KiB to 256 KiB measured 8% faster).
const OUT_BUF: usize = 256 * 1024;

/// What the decoder accepts besides well-formed members.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Stop before writing more than this many bytes in all.
    pub max_output: Option<u64>,
    /// Stop before a member's output exceeds this many times its
    /// compressed bytes read (each member alone: a bomb after normal
    /// members is still a bomb).
    pub max_ratio: Option<u64>,
    /// Judge the ratio only once a member has made this much output (at
    /// least one buffer): a log that opens with a run of blank lines
    /// inflates fast at first and is no bomb.
    pub ratio_floor: u64,
    /// Accept (and ignore) anything after the last member.
    pub ignore_trailing: bool,
    /// Copy anything after the last member through, as it is (`gzip -dcf`,
    /// `zcat -f`).
    pub pass_trailing: bool,
}

impl Limits {
    /// The bomb guards for a decoder that has made `total` bytes in all,
    /// `made` of them from the `used` compressed bytes of the current
    /// member or stream; errors are at byte `at` of the input. The ratio is
    /// judged once some output exists (at least one buffer, and
    /// `ratio_floor`), so tiny inputs are not refused.
    ///
    /// # Errors
    /// Past `max_output`, or past `max_ratio`.
    pub fn check(&self, total: u64, made: u64, used: u64, at: u64) -> io::Result<()> {
        if let Some(max) = self.max_output.filter(|&max| total > max) {
            return Err(Corruption::io(
                format!("output would pass --max-output {max} bytes"),
                at,
            ));
        }
        if let Some(ratio) = self.max_ratio {
            let floor = self.ratio_floor.max(BUF_SIZE as u64);
            if made > floor && made / used.max(1) > ratio {
                return Err(Corruption::io(
                    format!("output grows more than {ratio} times the input (--max-ratio)"),
                    at,
                ));
            }
        }
        Ok(())
    }
}

enum State {
    Header,
    Body,
    Trailer,
    /// After a member: another member, zero padding, or garbage.
    Between,
    /// Past the last member, ignoring the rest (`ignore_trailing`).
    Ignoring,
    /// Past the last member, copying the rest through (`pass_trailing`).
    Passing,
}

/// The decoding stage.
pub struct Gunzip<W: Write> {
    inner: W,
    limits: Limits,
    state: State,
    inflate: Decompress,
    crc: crc32fast::Hasher,
    /// Header or trailer bytes gathered so far.
    pending: Vec<u8>,
    out: Vec<u8>,
    /// Input offset of the next byte `write` receives.
    offset: u64,
    /// Input offset where the current member started.
    member_start: u64,
    member_out: u64,
    total_out: u64,
    /// The first member's header (`-N`, `-l` use its name), and how many
    /// members began: constant memory whatever the count (issue 12: every
    /// header was kept, 280 MB for 100 MB of empty members).
    first: Option<Header>,
    member_count: u64,
    /// Compressed (deflate) bytes of the members finished so far.
    deflate_in: u64,
    /// Zero padding was read after a member: nothing else may follow.
    padded: bool,
}

impl<W: Write> Gunzip<W> {
    /// A decoder writing to `inner` under `limits`.
    pub fn new(inner: W, limits: Limits) -> Gunzip<W> {
        Gunzip {
            inner,
            limits,
            state: State::Header,
            inflate: Decompress::new(false),
            crc: crc32fast::Hasher::new(),
            pending: Vec::new(),
            out: vec![0; OUT_BUF],
            offset: 0,
            member_start: 0,
            member_out: 0,
            total_out: 0,
            first: None,
            member_count: 0,
            deflate_in: 0,
            padded: false,
        }
    }

    /// Consumes a prefix of `data`; returns how many bytes.
    fn step(&mut self, data: &[u8]) -> io::Result<usize> {
        match self.state {
            State::Header => self.header(data),
            State::Body => self.body(data),
            State::Trailer => self.trailer(data),
            State::Between => self.between(data),
            State::Ignoring => Ok(data.len()),
            State::Passing => self.inner.write_all(data).map(|()| data.len()),
        }
    }

    fn header(&mut self, data: &[u8]) -> io::Result<usize> {
        let had = self.pending.len();
        // Enough to finish most headers; a long one comes back for more.
        let take = data.len().min(1024);
        self.pending.extend_from_slice(&data[..take]);
        match header::parse(&self.pending) {
            Ok(None) => Ok(take),
            // After a member, bytes that only began like a gzip magic (a
            // lone 0x1f at the end of a write) are trailing data: decided
            // the same way whatever the write boundaries were.
            Err(e) if e.offset < 2 && self.member_count > 0 => {
                if self.limits.pass_trailing {
                    self.inner.write_all(&self.pending)?;
                    self.pending.clear();
                    self.state = State::Passing;
                    return Ok(take);
                }
                self.pending.clear();
                if self.limits.ignore_trailing {
                    self.state = State::Ignoring;
                    return Ok(take);
                }
                Err(Corruption::io(
                    "trailing garbage after the last member",
                    self.member_start,
                ))
            }
            Err(e) => Err(Corruption::io(e.what, self.member_start + e.offset as u64)),
            Ok(Some((parsed, len))) => {
                self.member_count += 1;
                self.first.get_or_insert(parsed);
                self.pending.clear();
                self.inflate.reset(false);
                self.crc = crc32fast::Hasher::new();
                self.member_out = 0;
                self.state = State::Body;
                Ok(len - had)
            }
        }
    }

    /// Inflates from `data` until it is used up, the output buffer has
    /// been drained, or the member's deflate stream ends.
    fn body(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut used = 0;
        loop {
            let (in_before, out_before) = (self.inflate.total_in(), self.inflate.total_out());
            let status = self
                .inflate
                .decompress(&data[used..], &mut self.out, FlushDecompress::None)
                .map_err(|_| Corruption::io("invalid deflate data", self.offset + used as u64))?;
            let took =
                usize::try_from(self.inflate.total_in() - in_before).expect("at most the input");
            let made =
                usize::try_from(self.inflate.total_out() - out_before).expect("at most the buffer");
            self.guard(made as u64, self.offset + (used + took) as u64)?;
            self.crc.update(&self.out[..made]);
            self.inner.write_all(&self.out[..made])?;
            self.member_out += made as u64;
            self.total_out += made as u64;
            used += took;
            if status == Status::StreamEnd {
                self.deflate_in += self.inflate.total_in();
                self.state = State::Trailer;
                return Ok(used);
            }
            let output_full = made == self.out.len();
            if (used == data.len() && !output_full) || (took == 0 && made == 0) {
                return Ok(used);
            }
        }
    }

    /// The bomb guards, checked before `made` more bytes are written with
    /// `read` bytes of input consumed.
    fn guard(&self, made: u64, read: u64) -> io::Result<()> {
        let member_in = read.saturating_sub(self.member_start);
        self.limits.check(
            self.total_out + made,
            self.member_out + made,
            member_in,
            read,
        )
    }

    fn trailer(&mut self, data: &[u8]) -> io::Result<usize> {
        let take = (8 - self.pending.len()).min(data.len());
        self.pending.extend_from_slice(&data[..take]);
        if self.pending.len() < 8 {
            return Ok(take);
        }
        let at = self.offset + take as u64 - 8;
        let crc = u32::from_le_bytes(self.pending[..4].try_into().expect("4 bytes"));
        let isize = u32::from_le_bytes(self.pending[4..8].try_into().expect("4 bytes"));
        if crc != self.crc.clone().finalize() {
            return Err(Corruption::io("CRC-32 does not match the data", at));
        }
        // ISIZE is the length modulo 2^32.
        if u64::from(isize) != self.member_out & 0xffff_ffff {
            return Err(Corruption::io(
                "length (ISIZE) does not match the data",
                at + 4,
            ));
        }
        self.pending.clear();
        self.state = State::Between;
        Ok(take)
    }

    fn between(&mut self, data: &[u8]) -> io::Result<usize> {
        let zeros = data.iter().take_while(|&&b| b == 0).count();
        if zeros > 0 {
            self.padded = true; // tar-style zero padding after the last member
            return Ok(zeros);
        }
        let magic = data[0] == 0x1f && data.get(1).is_none_or(|&b| b == 0x8b);
        if magic && !self.padded {
            self.member_start = self.offset;
            self.state = State::Header;
            return Ok(0);
        }
        if self.limits.pass_trailing {
            self.state = State::Passing;
            return Ok(0);
        }
        if self.limits.ignore_trailing {
            self.state = State::Ignoring;
            return Ok(data.len());
        }
        Err(Corruption::io(
            "trailing garbage after the last member",
            self.offset,
        ))
    }

    /// The writer underneath, to take what was decoded so far.
    pub fn inner_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// Members begun so far.
    pub fn members(&self) -> u64 {
        self.member_count
    }

    /// Checks that the input ended where it may and hands back the inner
    /// writer with what was decoded.
    ///
    /// # Errors
    /// A [`Corruption`]: empty input, or a stream cut short.
    pub fn finish_with_summary(mut self) -> io::Result<(W, Summary)> {
        let summary = self.end()?;
        Ok((self.inner, summary))
    }

    /// The writer underneath, whether or not the input ended well: to
    /// release what was decoded before an error (to stdout, as GNU gzip).
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// Checks that the input ended where it may, writing what inflate still
    /// holds; the summary of the stream.
    ///
    /// # Errors
    /// As [`Gunzip::finish_with_summary`].
    pub fn end(&mut self) -> io::Result<Summary> {
        // Drain what inflate still holds for a body that ended exactly here.
        while matches!(self.state, State::Body) {
            let before = self.inflate.total_out();
            self.body(&[])?;
            if self.inflate.total_out() == before {
                break;
            }
        }
        // One byte, 0x1f, after the last member is trailing data too.
        let stray_byte =
            matches!(self.state, State::Header) && self.member_count > 0 && self.pending.len() < 2;
        match self.state {
            State::Between | State::Ignoring | State::Passing => {}
            _ if stray_byte && self.limits.pass_trailing => {
                self.inner.write_all(&self.pending)?;
            }
            _ if stray_byte && self.limits.ignore_trailing => {}
            _ if stray_byte => {
                return Err(Corruption::io(
                    "trailing garbage after the last member",
                    self.member_start,
                ))
            }
            State::Header if self.member_count == 0 && self.pending.is_empty() => {
                return Err(Corruption::io("empty input: no gzip member", 0))
            }
            _ => return Err(Corruption::io("truncated gzip data", self.offset)),
        }
        Ok(Summary {
            first: self.first.clone(),
            members: self.member_count,
            decompressed: self.total_out,
            deflate_bytes: self.deflate_in,
        })
    }
}

/// What a whole gzip stream held.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The first member's header.
    pub first: Option<Header>,
    /// Members in the stream.
    pub members: u64,
    /// Bytes decompressed, all members together.
    pub decompressed: u64,
    /// Deflate bytes, all members together (without headers and trailers).
    pub deflate_bytes: u64,
}

impl<W: Write> Write for Gunzip<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let n = data.len();
        while !data.is_empty() {
            let used = self.step(data)?;
            if used == 0 && matches!(self.state, State::Body) {
                // Inflate took nothing and made nothing from fresh input.
                return Err(Corruption::io("invalid deflate data", self.offset));
            }
            data = &data[used..];
            self.offset += used as u64;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for Gunzip<W> {
    type Done = W;

    fn finish(self) -> io::Result<W> {
        self.finish_with_summary().map(|(inner, _)| inner)
    }
}

/// Decoding on the reading side, on the caller's thread: for small inputs,
/// where a thread of its own would cost more than it saves.
///
/// Compressed bytes go in `PULL` at a time, so what one step can make is
/// bounded by deflate's ratio (about 1,000:1): a few MiB at most.
pub struct GunzipReader<R: io::Read> {
    src: R,
    decoder: Option<Gunzip<Vec<u8>>>,
    ready: Vec<u8>,
    at: usize,
    /// An error met while decoding, given out after the bytes decoded
    /// before it (a `.gz` with trailing garbage keeps all its lines).
    failed: Option<io::Error>,
}

/// Compressed bytes decoded per step of a [`GunzipReader`].
pub const PULL: usize = 4 * 1024;

impl<R: io::Read> GunzipReader<R> {
    /// Decodes `src` under `limits`.
    pub fn new(src: R, limits: Limits) -> GunzipReader<R> {
        GunzipReader {
            src,
            decoder: Some(Gunzip::new(Vec::new(), limits)),
            ready: Vec::new(),
            at: 0,
            failed: None,
        }
    }
}

impl<R: io::Read> io::Read for GunzipReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.ready.len() {
            if let Some(e) = self.failed.take() {
                return Err(e);
            }
            let Some(decoder) = self.decoder.as_mut() else {
                return Ok(0);
            };
            let mut chunk = [0u8; PULL];
            let n = loop {
                match self.src.read(&mut chunk) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            if n == 0 {
                let decoder = self.decoder.take().expect("checked above");
                self.ready = decoder.finish()?;
            } else {
                let wrote = decoder.write_all(&chunk[..n]);
                self.ready.clear();
                std::mem::swap(&mut self.ready, decoder.inner_mut());
                if let Err(e) = wrote {
                    self.decoder = None;
                    self.failed = Some(e);
                }
            }
            self.at = 0;
        }
        let n = buf.len().min(self.ready.len() - self.at);
        buf[..n].copy_from_slice(&self.ready[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
