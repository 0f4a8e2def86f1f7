//! Incompressible blocks: recognising them cheaply, and writing them as
//! deflate stored blocks instead of searching them for matches.
//!
//! Random, encrypted and already-compressed data does not shrink under
//! deflate; zlib at level 6 spends most of its time finding that out and
//! then emits stored blocks anyway (`gzip -6` makes random data 0.01%
//! larger). Each [`super::parallel::BLOCK`] is first judged on a sample:
//! a byte histogram rules out text and most binary formats at once; what
//! is left is deflated at level 1 in a few slices, and if those save under
//! 1%, the whole block is stored. A block that is incompressible in its
//! samples but not elsewhere costs at most its own size in lost savings.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress};

/// Bytes per sample slice, and slices per block.
const SLICE: usize = 4096;
const SLICES: usize = 4;

/// Below this order-0 entropy (bits per byte) a sample surely compresses.
/// 16 KiB of uniform random bytes measure about 7.99.
const ENTROPY_GATE: f64 = 7.9;

/// The longest stored block deflate allows.
const MAX_STORED: usize = 65_535;

thread_local! {
    static PROBE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

/// True when `block` should be stored rather than compressed.
pub fn looks_incompressible(block: &[u8]) -> bool {
    let slices: Vec<&[u8]> = if block.len() <= SLICE * SLICES {
        vec![block]
    } else {
        let step = (block.len() - SLICE) / (SLICES - 1);
        (0..SLICES)
            .map(|i| &block[i * step..i * step + SLICE])
            .collect()
    };
    if slices.iter().all(|s| s.is_empty()) || entropy(&slices) < ENTROPY_GATE {
        return false;
    }
    PROBE.with(|probe| {
        let mut probe = probe.borrow_mut();
        let mut out = Vec::new();
        let (mut read, mut written) = (0, 0);
        for slice in slices {
            probe.reset();
            out.clear();
            out.reserve(slice.len() + slice.len() / 8 + 64);
            // A slice never needs more room than the capacity given (stored
            // blocks add 5 bytes per 64 KiB); if it did, it is not small.
            if probe
                .compress_vec(slice, &mut out, FlushCompress::Finish)
                .is_err()
            {
                return false;
            }
            read += slice.len();
            written += out.len();
        }
        written * 100 >= read * 99
    })
}

/// Order-0 entropy of the bytes in `slices`, in bits per byte.
#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn entropy(slices: &[&[u8]]) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0usize;
    for slice in slices {
        for &b in *slice {
            counts[usize::from(b)] += 1;
        }
        total += slice.len();
    }
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
        assert!(looks_incompressible(&random));
        let text = "GET /index.html 200\n".repeat(6000);
        assert!(!looks_incompressible(text.as_bytes()));
        // Random bytes repeated: histogram says random, deflate finds the
        // repeats within each slice.
        let repeated = pseudo_random(1000).repeat(130);
        assert!(!looks_incompressible(&repeated));
        assert!(!looks_incompressible(&[]));
        assert!(!looks_incompressible(&[0; 10]));
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
