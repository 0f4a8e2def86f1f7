//! What a block holds, judged cheaply: incompressible blocks are written
//! as deflate stored blocks instead of being searched for matches, and
//! the rest are text or binary, which want different match finders.
//!
//! Random, encrypted and already-compressed data does not shrink under
//! deflate; zlib at level 6 spends most of its time finding that out and
//! then emits stored blocks anyway (`gzip -6` makes random data 0.01%
//! larger). Each [`super::parallel::BLOCK`] is first judged on a sample:
//! a byte histogram rules out text and most binary formats at once; what
//! is left is deflated at level 1 in a few slices, and if those save under
//! 1%, the whole block is stored. A block that is incompressible in its
//! samples but not elsewhere costs at most its own size in lost savings.
//!
//! The same histogram tells binary from text: control bytes other than
//! tab, line ends and ESC (colour codes). Text has none; executables and
//! libraries measured 7–78% per block (`/usr/bin/gdb`, libc). Binary
//! blocks are full of 3-byte matches, which only a 3-byte hash finds
//! (see [`super::deflater::Engine::for_gzip`]).

use std::cell::RefCell;

use super::deflater::{Content, Deflater, Engine, Flush};

/// Bytes per sample slice, and slices per block.
const SLICE: usize = 4096;
const SLICES: usize = 4;

/// Below this order-0 entropy (bits per byte) a sample surely compresses.
/// 16 KiB of uniform random bytes measure about 7.99.
const ENTROPY_GATE: f64 = 7.9;

/// The longest stored block deflate allows.
const MAX_STORED: usize = 65_535;

thread_local! {
    static PROBE: RefCell<Deflater> = RefCell::new(Deflater::new(Engine::raw(1)));
}

/// Judges `block` on a sample (see the module's comment): `None` when it
/// is not worth compressing and should be stored.
pub fn classify(block: &[u8]) -> Option<Content> {
    let slices: Vec<&[u8]> = if block.len() <= SLICE * SLICES {
        vec![block]
    } else {
        let step = (block.len() - SLICE) / (SLICES - 1);
        (0..SLICES)
            .map(|i| &block[i * step..i * step + SLICE])
            .collect()
    };
    let mut counts = [0u32; 256];
    for slice in &slices {
        for &b in *slice {
            counts[usize::from(b)] += 1;
        }
    }
    let total: usize = slices.iter().map(|s| s.len()).sum();
    let control: u32 = counts
        .iter()
        .enumerate()
        .filter(|&(b, _)| matches!(b, 0..=8 | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f))
        .map(|(_, &c)| c)
        .sum();
    // More than 1 in 32: the emptiest block of an executable measured 7%.
    let content = if control as usize * 32 > total {
        Content::Binary
    } else {
        Content::Text
    };
    if total == 0 || entropy(&counts, total) < ENTROPY_GATE {
        return Some(content);
    }
    let incompressible = PROBE.with(|probe| {
        let mut probe = probe.borrow_mut();
        let mut out = Vec::new();
        let (mut read, mut written) = (0, 0);
        for slice in slices {
            probe.reset();
            out.clear();
            out.reserve(slice.len() + slice.len() / 8 + 64);
            if probe.deflate_into(slice, Flush::Finish, &mut out).is_err() {
                return false;
            }
            read += slice.len();
            written += out.len();
        }
        written * 100 >= read * 99
    });
    (!incompressible).then_some(content)
}

/// Order-0 entropy of a histogram of `total` bytes, in bits per byte.
#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn entropy(counts: &[u32; 256], total: usize) -> f64 {
    let total = total as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / total;
            -p * p.log2()
        })
        .sum()
}

/// Appends `block` as non-final stored blocks (RFC 1951 §3.2.4): a
/// header byte with BFINAL=0, BTYPE=00 (the stream must be at a byte
/// boundary, as after a sync flush), LEN and its complement, the bytes.
pub fn write_stored(block: &[u8], out: &mut Vec<u8>) {
    for piece in block.chunks(MAX_STORED) {
        let len = u16::try_from(piece.len()).expect("at most 65535");
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pseudo_random(len: usize) -> Vec<u8> {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect()
    }

    #[test]
    fn random_is_stored_and_structure_is_not() {
        let random = pseudo_random(128 * 1024);
        assert_eq!(classify(&random), None);
        let text = "GET /index.html 200\n".repeat(6000);
        assert_eq!(classify(text.as_bytes()), Some(Content::Text));
        // Random bytes repeated: histogram says random, deflate finds the
        // repeats within each slice.
        let repeated = pseudo_random(1000).repeat(130);
        assert_eq!(classify(&repeated), Some(Content::Binary));
        assert_eq!(classify(&[]), Some(Content::Text));
        assert_eq!(classify(&[0; 10]), Some(Content::Binary));
    }

    /// Colour codes (ESC) and UTF-8 leave text text; a few NULs per line,
    /// as in a struct dump, make it binary.
    #[test]
    fn text_is_told_from_binary_by_its_control_bytes() {
        let colour = "\x1b[31mERROR\x1b[0m naïve café 東京 status=500\r\n\t".repeat(3000);
        assert_eq!(classify(colour.as_bytes()), Some(Content::Text));
        let structs: Vec<u8> = (0..40_000u32)
            .flat_map(|i| [b'i', b'd', 0, 0, (i % 251) as u8, 1, 0, 0])
            .collect();
        assert_eq!(classify(&structs), Some(Content::Binary));
    }

    #[test]
    fn stored_blocks_inflate_to_the_input() {
        use flate2::{Decompress, FlushDecompress};
        let data = pseudo_random(150_000);
        let mut stream = Vec::new();
        write_stored(&data, &mut stream);
        // An empty final fixed block closes the stream.
        stream.extend_from_slice(&[0x03, 0x00]);
        assert_eq!(stream.len(), data.len() + 3 * 5 + 2, "three stored blocks");
        let mut out = Vec::with_capacity(data.len() + 1);
        let status = Decompress::new(false)
            .decompress_vec(&stream, &mut out, FlushDecompress::Finish)
            .unwrap();
        assert_eq!(status, flate2::Status::StreamEnd);
        assert_eq!(out, data);
    }
}
