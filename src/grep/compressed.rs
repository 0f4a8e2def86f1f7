//! Compressed logs read in-process, recognised by their magic bytes
//! whatever their names: gzip (binkit's own decoder), xz, zstd and bzip2
//! (their field-standard crates). Each keeps what `gzip -d` keeps:
//! concatenated streams are read as one, truncation and corruption are
//! errors at a byte offset of the compressed data, and the `--max-ratio`
//! bomb guard holds. Memory is bounded whatever a header claims: xz and
//! zstd refuse streams whose window needs more than [`MAX_WINDOW`].

use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::error::Corruption;
use crate::gzip::Limits;

/// The formats, by magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    Gzip,
    Xz,
    /// xz's legacy `.lzma` (`xz --format=lzma`, `lzma`).
    Lzma,
    Zstd,
    Bzip2,
}

/// Bytes [`Compression::of`] looks at.
pub(crate) const MAGIC_LEN: usize = 13;

/// The largest decoder window accepted: xz's `-9` (64 MiB dictionary)
/// and zstd's `--long` default (2^27 = 128 MiB) fit; `--ultra -22` and
/// `xz --lzma2=dict=1536MiB` are refused by name instead of allocated.
const MAX_WINDOW: u64 = 128 << 20;

/// What xz may allocate: the window and its working set.
const XZ_MEMLIMIT: u64 = MAX_WINDOW + (16 << 20);

/// One byte of a magic: a value or a range.
#[derive(Clone, Copy)]
enum Byte {
    Is(u8),
    In(u8, u8),
}

use Byte::{In, Is};

/// The magics, byte by byte. zstd files may open with a skippable frame
/// (`pzstd` writes one first); bzip2's "BZh" and block size digit are
/// followed by a block's or the stream end's magic (so a text line that
/// starts with `BZh9` is text).
const MAGICS: [(Compression, &[Byte]); 6] = [
    (Compression::Gzip, &[Is(0x1f), Is(0x8b)]),
    (
        Compression::Xz,
        &[Is(0xfd), Is(b'7'), Is(b'z'), Is(b'X'), Is(b'Z'), Is(0)],
    ),
    (Compression::Zstd, &[Is(0x28), Is(0xb5), Is(0x2f), Is(0xfd)]),
    (
        Compression::Zstd,
        &[In(0x50, 0x5f), Is(0x2a), Is(0x4d), Is(0x18)],
    ),
    (
        Compression::Bzip2,
        &[
            Is(b'B'),
            Is(b'Z'),
            Is(b'h'),
            In(b'1', b'9'),
            Is(0x31),
            Is(0x41),
            Is(0x59),
            Is(0x26),
            Is(0x53),
            Is(0x59),
        ],
    ),
    (
        Compression::Bzip2,
        &[
            Is(b'B'),
            Is(b'Z'),
            Is(b'h'),
            In(b'1', b'9'),
            Is(0x17),
            Is(0x72),
            Is(0x45),
            Is(0x38),
            Is(0x50),
            Is(0x90),
        ],
    ),
];

/// How far `head` agrees with a format: not at all, so far (more bytes
/// needed), or wholly.
#[derive(PartialEq, Eq)]
enum Fit {
    No,
    SoFar,
    Yes,
}

fn fit(head: &[u8], magic: &[Byte]) -> Fit {
    let agrees = head.iter().zip(magic).all(|(&b, m)| match *m {
        Is(v) => b == v,
        In(lo, hi) => (lo..=hi).contains(&b),
    });
    match (agrees, head.len() >= magic.len()) {
        (false, _) => Fit::No,
        (true, true) => Fit::Yes,
        (true, false) => Fit::SoFar,
    }
}

/// `.lzma` (xz's legacy format) has no magic, only a header: properties
/// (at most 224), a dictionary size of 2^n or 2^n + 2^(n-1) from 4 KiB,
/// and the size, unknown (all ones) or below 2^38: xz's own test in its
/// "picky" mode. Text never fits (the dictionary's low byte is a NUL).
fn fit_lzma(head: &[u8]) -> Fit {
    let props_ok = head.first().is_none_or(|&p| p <= 224);
    let low_ok = head.get(1).is_none_or(|&b| b == 0);
    if !props_ok || !low_ok {
        return Fit::No;
    }
    if head.len() < 13 {
        return Fit::SoFar;
    }
    let dict = u32::from_le_bytes(head[1..5].try_into().expect("4 bytes"));
    let dict_ok = dict >= 4096 && (dict.is_power_of_two() || (dict & (dict - 1)).is_power_of_two());
    let size = u64::from_le_bytes(head[5..13].try_into().expect("8 bytes"));
    if dict_ok && (size == u64::MAX || size < 1 << 38) {
        Fit::Yes
    } else {
        Fit::No
    }
}

impl Compression {
    /// The format `head` (the first bytes of a file) starts, if any.
    pub(crate) fn of(head: &[u8]) -> Option<Compression> {
        MAGICS
            .iter()
            .find(|(_, magic)| fit(head, magic) == Fit::Yes)
            .map(|&(kind, _)| kind)
            .or_else(|| (fit_lzma(head) == Fit::Yes).then_some(Compression::Lzma))
    }

    /// Whether `head` may still grow into a magic: reading stops as soon
    /// as it cannot, so `tail -f` with a short first line is not held up
    /// waiting for the longest magic.
    fn could_start(head: &[u8]) -> bool {
        Compression::of(head).is_none()
            && (MAGICS
                .iter()
                .any(|(_, magic)| fit(head, magic) == Fit::SoFar)
                || fit_lzma(head) == Fit::SoFar)
    }

    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Xz => "xz",
            Compression::Lzma => "lzma",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
        }
    }
}

/// The first bytes of `src`, up to [`MAGIC_LEN`] or until they cannot be
/// a magic; each read is one `read` call, so a pipe gives what it has.
///
/// # Errors
/// Read errors other than interruptions.
pub(crate) fn read_magic(src: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = vec![0; MAGIC_LEN];
    let mut len = 0;
    while len < MAGIC_LEN && (len == 0 || Compression::could_start(&head[..len])) {
        match src.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(len);
    Ok(head)
}

/// A reader of what `src` (an xz, zstd or bzip2 stream, from its first
/// byte) decompresses to.
///
/// # Errors
/// When the decoder cannot be set up (out of memory).
pub(crate) fn decoder(
    kind: Compression,
    src: impl Read + Send + 'static,
    limits: Limits,
) -> io::Result<Box<dyn Read + Send>> {
    let consumed = Arc::new(AtomicU64::new(0));
    let input = Counted {
        inner: BufReader::with_capacity(64 * 1024, src),
        consumed: Arc::clone(&consumed),
    };
    let inner: Box<dyn Read + Send> = match kind {
        Compression::Xz => {
            let stream = liblzma::stream::Stream::new_stream_decoder(
                XZ_MEMLIMIT,
                liblzma::stream::CONCATENATED,
            )
            .map_err(io::Error::other)?;
            Box::new(liblzma::bufread::XzDecoder::new_stream(input, stream))
        }
        Compression::Lzma => {
            let stream =
                liblzma::stream::Stream::new_lzma_decoder(XZ_MEMLIMIT).map_err(io::Error::other)?;
            Box::new(liblzma::bufread::XzDecoder::new_stream(input, stream))
        }
        Compression::Zstd => {
            let mut d = zstd::stream::read::Decoder::with_buffer(input)?;
            d.window_log_max(MAX_WINDOW.trailing_zeros())?;
            Box::new(d)
        }
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(input)),
        Compression::Gzip => unreachable!("gzip has its own decoder"),
    };
    Ok(Box::new(Checked {
        inner,
        kind,
        consumed,
        produced: 0,
        limits,
    }))
}

/// A buffered reader that counts what its user consumed: the decoder's
/// position in the compressed data, for error offsets.
struct Counted<R> {
    inner: BufReader<R>,
    consumed: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Read> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.consumed.fetch_add(amt as u64, Ordering::Relaxed);
    }
}

/// The decoder's output, with its errors given a byte offset and the
/// bomb guards applied.
struct Checked {
    inner: Box<dyn Read + Send>,
    kind: Compression,
    consumed: Arc<AtomicU64>,
    produced: u64,
    limits: Limits,
}

impl Read for Checked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let at = || self.consumed.load(Ordering::Relaxed);
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => return Err(self.describe(&e, at())),
        };
        if n == 0 && self.produced == 0 && at() == 0 {
            return Err(Corruption::io(
                format!("empty input: no {} stream", self.kind.name()),
                0,
            ));
        }
        self.produced += n as u64;
        self.limits
            .check(self.produced, self.produced, at(), at())?;
        Ok(n)
    }
}

impl Checked {
    fn describe(&self, e: &io::Error, at: u64) -> io::Error {
        let name = self.kind.name();
        if e.kind() == io::ErrorKind::UnexpectedEof {
            return Corruption::io(format!("truncated {name} data"), at);
        }
        let text = e.to_string();
        let lower = text.to_lowercase();
        if lower.contains("memory") || lower.contains("window") || lower.contains("frameparameter")
        {
            return Corruption::io(
                format!(
                    "{name} data needs a window over {} MiB, more than binkit allocates ({text})",
                    MAX_WINDOW >> 20
                ),
                at,
            );
        }
        // The crates' texts are lower case already or one capitalised word
        // ("Unknown frame descriptor").
        Corruption::io(format!("corrupt {name} data ({text})"), at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(kind: Compression, data: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        decoder(kind, io::Cursor::new(data), Limits::default())?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(Compression::of(b"\x1f\x8b\x08"), Some(Compression::Gzip));
        assert_eq!(Compression::of(b"\xfd7zXZ\x00\x00"), Some(Compression::Xz));
        assert_eq!(
            Compression::of(b"\x28\xb5\x2f\xfd\x24"),
            Some(Compression::Zstd)
        );
        assert_eq!(Compression::of(b"BZh91AY&SY"), Some(Compression::Bzip2));
        // "BZh" followed by text is a log line, not bzip2, even with the
        // block size digit (an attacker's first line must not hide a log).
        assert_eq!(Compression::of(b"BZh hello"), None);
        assert_eq!(Compression::of(b"BZh9 user text\n"), None);
        // pzstd's files open with a skippable frame.
        assert_eq!(
            Compression::of(b"\x50\x2a\x4d\x18\x04\x00"),
            Some(Compression::Zstd)
        );
        // .lzma: properties 0x5d, an 8 MiB dictionary, size unknown.
        let lzma = b"\x5d\x00\x00\x80\x00\xff\xff\xff\xff\xff\xff\xff\xff\x00";
        assert_eq!(Compression::of(lzma), Some(Compression::Lzma));
        assert_eq!(Compression::of(b"]\x00\x00\x80\x00 not a size"), None);
        assert_eq!(Compression::of(b"\xfd7zXZ"), None);
        assert_eq!(Compression::of(b""), None);
        // Reading stops where no magic can follow.
        let mut two = &b"ok\nmore"[..];
        struct OneByte<'a>(&'a mut &'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                *self.0 = &self.0[n..];
                Ok(n)
            }
        }
        // "o" could start a .lzma header (properties up to 224); "ok" not.
        assert_eq!(read_magic(&mut OneByte(&mut two)).unwrap(), b"ok");
        let mut xz = &b"\xfd7zXZ\x00\x00\x04"[..];
        assert_eq!(read_magic(&mut OneByte(&mut xz)).unwrap(), b"\xfd7zXZ\x00");
        let mut bz = &b"BZh9 and more"[..];
        assert_eq!(read_magic(&mut OneByte(&mut bz)).unwrap(), b"BZh9 ");
        let mut gz = &b"\x1f\x8b\x08\x00\x00\x00\x00"[..];
        assert_eq!(read_magic(&mut OneByte(&mut gz)).unwrap(), b"\x1f\x8b");
    }

    /// Round trips through each crate's own encoder; concatenated streams
    /// read as one; a cut stream is "truncated" at an offset within it;
    /// garbage is corrupt at an offset.
    #[test]
    fn concatenated_truncated_and_corrupt() {
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("2026-11-30T10:00:{:02}Z ERROR id={i}\n", i % 60).into_bytes())
            .collect();
        let half = text.len() / 2;
        let encode = |kind, part: &[u8]| -> Vec<u8> {
            match kind {
                Compression::Xz => {
                    let mut out = Vec::new();
                    liblzma::read::XzEncoder::new(part, 6)
                        .read_to_end(&mut out)
                        .unwrap();
                    out
                }
                // With a checksum, as the zstd tool writes by default;
                // without one a decoder cannot see every corruption.
                Compression::Zstd => {
                    let mut enc = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
                    enc.include_checksum(true).unwrap();
                    std::io::Write::write_all(&mut enc, part).unwrap();
                    enc.finish().unwrap()
                }
                Compression::Bzip2 => {
                    let mut out = Vec::new();
                    bzip2::read::BzEncoder::new(part, bzip2::Compression::default())
                        .read_to_end(&mut out)
                        .unwrap();
                    out
                }
                Compression::Gzip | Compression::Lzma => unreachable!(),
            }
        };
        for kind in [Compression::Xz, Compression::Zstd, Compression::Bzip2] {
            let mut both = encode(kind, &text[..half]);
            let first_len = both.len();
            both.extend(encode(kind, &text[half..]));
            assert_eq!(Compression::of(&both), Some(kind));
            assert_eq!(read_all(kind, both.clone()).unwrap(), text, "{kind:?}");
            // Cut inside the second stream.
            let cut = first_len + (both.len() - first_len) / 2;
            let e = match read_all(kind, both[..cut].to_vec()) {
                Ok(out) => panic!("{kind:?}: truncated data read as {} bytes", out.len()),
                Err(e) => e,
            };
            let c = Corruption::find(&e).unwrap_or_else(|| panic!("{kind:?}: {e}"));
            assert_eq!(
                c.what,
                format!("truncated {} data", kind.name()),
                "{kind:?}"
            );
            assert!(c.offset <= cut as u64, "{kind:?}: {}", c.offset);
            // Bytes flipped inside the first stream's data.
            let mut bad = both.clone();
            for b in &mut bad[first_len / 2..first_len / 2 + 64] {
                *b ^= 0x55;
            }
            let e = match read_all(kind, bad) {
                Ok(out) => panic!(
                    "{kind:?}: corrupt data read as {} bytes, same: {}",
                    out.len(),
                    out == text
                ),
                Err(e) => e,
            };
            let c = Corruption::find(&e).unwrap_or_else(|| panic!("{kind:?}: {e}"));
            assert!(c.what.contains(kind.name()), "{kind:?}: {}", c.what);
            assert!(c.offset <= both.len() as u64);
        }
    }

    /// A skippable frame first (pzstd), and the legacy .lzma format, each
    /// made by the crates' encoders, read back.
    #[test]
    fn skippable_frames_and_lzma() {
        let text = b"2026-11-30 ERROR one\n2026-11-30 INFO two\n".repeat(500);
        let mut skippable = vec![0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4];
        skippable.extend(zstd::encode_all(&text[..], 3).unwrap());
        assert_eq!(Compression::of(&skippable), Some(Compression::Zstd));
        assert_eq!(read_all(Compression::Zstd, skippable).unwrap(), text);
        let options = liblzma::stream::LzmaOptions::new_preset(6).unwrap();
        let stream = liblzma::stream::Stream::new_lzma_encoder(&options).unwrap();
        let mut lzma = Vec::new();
        liblzma::read::XzEncoder::new_stream(&text[..], stream)
            .read_to_end(&mut lzma)
            .unwrap();
        assert_eq!(Compression::of(&lzma), Some(Compression::Lzma));
        assert_eq!(read_all(Compression::Lzma, lzma).unwrap(), text);
    }

    /// A zstd frame header claiming a 2 GiB window is refused before the
    /// decoder allocates it.
    #[test]
    fn a_claimed_huge_window_is_refused() {
        let mut enc = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
        enc.long_distance_matching(true).unwrap();
        enc.window_log(31).unwrap();
        std::io::Write::write_all(&mut enc, &[b'x'; 1000]).unwrap();
        let frame = enc.finish().unwrap();
        let e = read_all(Compression::Zstd, frame).unwrap_err();
        let c = Corruption::find(&e).unwrap();
        assert!(c.what.contains("window over 128 MiB"), "{}", c.what);
    }
}
