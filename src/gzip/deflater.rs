//! The deflate engine: zlib-rs, through its C interface (libz-rs-sys).
//!
//! flate2 and zlib-rs's safe API take a level and nothing more; binkit's
//! `-6` needs zlib's `deflateTune` as well (see [`Engine::for_gzip`]), so
//! compression talks to zlib-rs the way C programs talk to zlib. This is
//! the only module that does; decompression stays on flate2.

use std::io;

use libz_rs_sys::{
    deflate, deflateEnd, deflateInit2_, deflateReset, deflateSetDictionary, deflateTune, z_stream,
    zlibVersion, Z_BUF_ERROR, Z_DEFAULT_STRATEGY, Z_DEFLATED, Z_FINISH, Z_NO_FLUSH, Z_OK,
    Z_STREAM_END, Z_SYNC_FLUSH,
};

/// How a call ends the input it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flush {
    /// More input follows; output may be held back.
    None,
    /// Everything so far is emitted, ending on a byte boundary (an empty
    /// stored block), and the stream goes on.
    Sync,
    /// The stream ends with a final block.
    Finish,
}

/// What a block to compress holds (`stored::classify` tells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Text (logs, source, prose, JSON): no stray control bytes.
    Text,
    /// Anything else that compresses.
    Binary,
}

/// A zlib-rs level and, where zlib's own parameters for the wanted level
/// differ from zlib-rs's, those parameters (`deflateTune`'s good length,
/// lazy match, nice length, chain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engine {
    level: i32,
    tune: Option<[i32; 4]>,
}

impl Engine {
    /// The engine for gzip's `level` (1..=9) on `content`, chosen so that
    /// each compresses about as small as GNU gzip makes it at that level.
    ///
    /// zlib-rs follows zlib-ng: a 4-byte hash, and its own strategies per
    /// level. Its level 1 (`deflate_quick`) is 21–28% larger than `gzip
    /// -1` on logs, its levels 5 and 6 (`deflate_medium`) up to 3.0% and
    /// 0.9% larger, and its level 9 larger than its level 8. So for text,
    /// `-1` is its level 2 (zlib's level-1 parameters on the greedy
    /// matcher), `-2` its level 3, `-5` and `-6` zlib's own lazy matcher
    /// (`deflate_slow`, its level 7) with zlib's level-5 and level-6
    /// parameters (`-6` with a hash chain of 96, not 128: on the
    /// benchmark's log that costs as many instructions as its level 6,
    /// callgrind 344.5 M against 344.5 M on 4 MB, where 128 cost 2.8% more
    /// and measured 0.9x in the A/B), and `-9` its level 8.
    ///
    /// A 4-byte hash cannot find 3-byte matches, which binaries are full
    /// of: with any parameters zlib-rs was 1.2–3.0% larger than `gzip -6`
    /// on libc and gdb. Its level 9 has a 3-byte rolling hash, as zlib;
    /// binary blocks get that engine, tuned to zlib's parameters for the
    /// level asked (`-6` with zlib's full chain of 128: 96 was 3.1% larger than `gzip
    /// -6` on UTF-32 text). On 32-bit integer records the greedy 4-byte
    /// engine at `-1` was 93% larger than `gzip -1` (an attacker's find).
    ///
    /// Measured, size against gzip at the same level: text on eight
    /// inputs (the benchmark's syslog-style log, two nginx access logs,
    /// JSON lines, logfmt, Debian changelogs, C headers, copyright files,
    /// Python's standard library), binaries on libc and gdb:
    ///
    /// | asked | text           | binaries       |
    /// |-------|----------------|----------------|
    /// | 1     | −7.4% … −4.0%  | −1.1% … +0.2%  |
    /// | 3     | −8.6% … −2.0%  | −4.0% … −3.9%  |
    /// | 5     | −3.5% … −0.2%  | −0.4% … −0.3%  |
    /// | 6     | −4.6% … +0.26% | −0.2% … −0.2%  |
    /// | 9     | −5.8% … +0.27% | −0.3% … −0.3%  |
    pub fn for_gzip(level: u32, content: Content) -> Engine {
        // zlib's configuration_table: good length, lazy, nice, chain.
        const ZLIB_3: [i32; 4] = [4, 6, 32, 32];
        const ZLIB_4: [i32; 4] = [4, 4, 16, 16];
        const ZLIB_5: [i32; 4] = [8, 16, 32, 32];
        const ZLIB_6: [i32; 4] = [8, 16, 128, 96]; // chain 128 in zlib
        const ZLIB_7: [i32; 4] = [8, 32, 128, 256];
        const ZLIB_8: [i32; 4] = [32, 128, 258, 1024];
        const ZLIB_1: [i32; 4] = [4, 4, 8, 4];
        const ZLIB_6_FULL: [i32; 4] = [8, 16, 128, 128];
        let (level, tune) = match (content, level) {
            (Content::Text, ..=1) => (2, None),
            (Content::Text, 2) => (3, None),
            (Content::Binary, ..=1) => (9, Some(ZLIB_1)),
            // One level up, as -3 is: zlib's own parameters lost 2.2%
            // (-2) and 2.1% (-3) on UTF-32 text to gzip.
            (Content::Binary, 2) => (9, Some(ZLIB_3)),
            (Content::Text, 5) => (7, Some(ZLIB_5)),
            (Content::Text, 6) => (7, Some(ZLIB_6)),
            (Content::Text, 9..) => (8, None),
            (Content::Text, other) => (i32::try_from(other).unwrap_or(6), None),
            (Content::Binary, 3) => (9, Some([4, 6, 32, 64])),
            (Content::Binary, 4) => (9, Some(ZLIB_4)),
            (Content::Binary, 5) => (9, Some(ZLIB_5)),
            (Content::Binary, 6) => (9, Some(ZLIB_6_FULL)),
            (Content::Binary, 7) => (9, Some(ZLIB_7)),
            (Content::Binary, 8) => (9, Some(ZLIB_8)),
            (Content::Binary, _) => (9, None),
        };
        Engine { level, tune }
    }

    /// zlib-rs's own `level`, untuned.
    pub fn raw(level: i32) -> Engine {
        Engine { level, tune: None }
    }
}

/// One raw deflate stream (no zlib or gzip wrapper, 32 KiB window).
pub struct Deflater {
    // Boxed: zlib's state points back at its stream, which must not move.
    stream: Box<z_stream>,
    engine: Engine,
}

// SAFETY: the stream and the state it points to are owned by this value
// alone; `next_in` and `next_out` point into caller buffers only for the
// length of a `deflate_into` call.
#[allow(unsafe_code)]
unsafe impl Send for Deflater {}

impl Deflater {
    /// A stream compressing with `engine`.
    pub fn new(engine: Engine) -> Deflater {
        let mut stream = Box::new(z_stream::default());
        let size = i32::try_from(std::mem::size_of::<z_stream>()).expect("a small struct");
        // SAFETY: `stream` is a default (allocator-filled) stream, the
        // version and size are the library's own; -15 asks for raw
        // deflate with a 32 KiB window, 8 is zlib's default memory level.
        #[allow(unsafe_code)]
        let rc = unsafe {
            deflateInit2_(
                &mut *stream,
                engine.level,
                Z_DEFLATED,
                -15,
                8,
                Z_DEFAULT_STRATEGY,
                zlibVersion(),
                size,
            )
        };
        // Only out of memory (which aborts in Rust) or bad arguments,
        // which are constants here, make it fail.
        assert_eq!(rc, Z_OK, "deflateInit2 with fixed arguments");
        let mut deflater = Deflater { stream, engine };
        deflater.tune();
        deflater
    }

    fn tune(&mut self) {
        if let Some([good, lazy, nice, chain]) = self.engine.tune {
            // SAFETY: an initialised stream.
            #[allow(unsafe_code)]
            let rc = unsafe { deflateTune(&mut *self.stream, good, lazy, nice, chain) };
            assert_eq!(rc, Z_OK, "deflateTune on an initialised stream");
        }
    }

    /// Starts a new stream with the same engine (zlib's reset restores the
    /// level's parameters, so the tuning is applied again).
    pub fn reset(&mut self) {
        // SAFETY: an initialised stream.
        #[allow(unsafe_code)]
        let rc = unsafe { deflateReset(&mut *self.stream) };
        assert_eq!(rc, Z_OK, "deflateReset on an initialised stream");
        self.tune();
    }

    /// Presets `dictionary` (its last 32 KiB count) for a stream that has
    /// not compressed anything yet.
    ///
    /// # Errors
    /// When the stream has already begun.
    pub fn set_dictionary(&mut self, dictionary: &[u8]) -> io::Result<()> {
        let len = u32::try_from(dictionary.len()).map_err(io::Error::other)?;
        // SAFETY: the pointer and length describe `dictionary`, which
        // zlib copies into its window before returning.
        #[allow(unsafe_code)]
        let rc = unsafe { deflateSetDictionary(&mut *self.stream, dictionary.as_ptr(), len) };
        if rc == Z_OK {
            Ok(())
        } else {
            Err(io::Error::other(format!("deflateSetDictionary: {rc}")))
        }
    }

    /// Compresses all of `input`, ending it as `flush` says, appending
    /// everything emitted to `out`.
    ///
    /// # Errors
    /// Deflate's (a stream state that cannot happen here: used after it
    /// finished).
    pub fn deflate_into(
        &mut self,
        input: &[u8],
        flush: Flush,
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        let mode = match flush {
            Flush::None => Z_NO_FLUSH,
            Flush::Sync => Z_SYNC_FLUSH,
            Flush::Finish => Z_FINISH,
        };
        let mut taken = 0;
        loop {
            if out.capacity() - out.len() < 1024 {
                out.reserve(64 * 1024);
            }
            let rest = &input[taken..];
            let avail_in = u32::try_from(rest.len()).unwrap_or(u32::MAX);
            let spare = out.spare_capacity_mut();
            let avail_out = u32::try_from(spare.len()).unwrap_or(u32::MAX);
            self.stream.next_in = rest.as_ptr();
            self.stream.avail_in = avail_in;
            self.stream.next_out = spare.as_mut_ptr().cast();
            self.stream.avail_out = avail_out;
            // SAFETY: next_in/avail_in describe the unread part of `input`
            // and next_out/avail_out `out`'s spare capacity, both alive
            // for the call; deflate writes at most avail_out bytes there.
            #[allow(unsafe_code)]
            let rc = unsafe { deflate(&mut *self.stream, mode) };
            let consumed = (avail_in - self.stream.avail_in) as usize;
            let produced = (avail_out - self.stream.avail_out) as usize;
            self.stream.next_in = std::ptr::null();
            self.stream.next_out = std::ptr::null_mut();
            // SAFETY: deflate initialised exactly `produced` bytes of the
            // spare capacity.
            #[allow(unsafe_code)]
            unsafe {
                out.set_len(out.len() + produced);
            }
            taken += consumed;
            match rc {
                Z_STREAM_END => return Ok(()),
                Z_OK | Z_BUF_ERROR => {}
                other => return Err(io::Error::other(format!("deflate: {other}"))),
            }
            // Done when all input is taken and the output was not filled
            // (a full output may hold back more); Finish ends at
            // Z_STREAM_END above.
            if taken == input.len() && self.stream.avail_out > 0 && flush != Flush::Finish {
                return Ok(());
            }
            if rc == Z_BUF_ERROR && consumed == 0 && produced == 0 {
                return Err(io::Error::other("deflate made no progress"));
            }
        }
    }
}

impl Drop for Deflater {
    fn drop(&mut self) {
        // SAFETY: an initialised stream, ended once.
        #[allow(unsafe_code)]
        unsafe {
            deflateEnd(&mut *self.stream);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Decompress, FlushDecompress, Status};

    fn inflate(stream: &[u8], len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 1);
        let status = Decompress::new(false)
            .decompress_vec(stream, &mut out, FlushDecompress::Finish)
            .unwrap();
        assert_eq!(status, Status::StreamEnd);
        out
    }

    #[test]
    fn every_level_round_trips_with_dictionary_sync_and_reset() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("line {} value {}\n", i % 977, i * 7 % 1013).into_bytes())
            .collect();
        for (level, content) in (1..=9).flat_map(|l| [(l, Content::Text), (l, Content::Binary)]) {
            let mut d = Deflater::new(Engine::for_gzip(level, content));
            let mut out = Vec::new();
            d.deflate_into(&text[..100_000], Flush::None, &mut out)
                .unwrap();
            d.deflate_into(&text[100_000..], Flush::Sync, &mut out)
                .unwrap();
            d.deflate_into(&[], Flush::Finish, &mut out).unwrap();
            assert_eq!(inflate(&out, text.len()), text, "level {level}");
            assert!(out.len() < text.len() / 4, "level {level} compresses");
            // A reset keeps the engine: the same input gives the same bytes.
            d.reset();
            let mut again = Vec::new();
            d.deflate_into(&text[..100_000], Flush::None, &mut again)
                .unwrap();
            d.deflate_into(&text[100_000..], Flush::Sync, &mut again)
                .unwrap();
            d.deflate_into(&[], Flush::Finish, &mut again).unwrap();
            assert_eq!(again, out, "level {level} after reset");
        }
        // With the first half as dictionary, the second half refers back
        // into it: inflating needs the same dictionary.
        let (head, tail) = text.split_at(text.len() - 50_000);
        let mut d = Deflater::new(Engine::for_gzip(6, Content::Text));
        d.set_dictionary(head).unwrap();
        let mut out = Vec::new();
        d.deflate_into(tail, Flush::Finish, &mut out).unwrap();
        let mut inflater = Decompress::new(false);
        inflater
            .set_dictionary(&head[head.len() - 32 * 1024..])
            .unwrap();
        let mut back = Vec::with_capacity(tail.len() + 1);
        let status = inflater
            .decompress_vec(&out, &mut back, FlushDecompress::Finish)
            .unwrap();
        assert_eq!(status, Status::StreamEnd);
        assert_eq!(back, tail);
    }

    /// Level 6 is zlib's lazy matching with a chain of 96 and so differs
    /// from zlib-rs's own level 6 and 7; were the tuning lost (say by a
    /// reset), the bytes would equal plain level 7's.
    #[test]
    fn level_six_is_tuned_and_stays_tuned() {
        // Words drawn at random from a small vocabulary: many candidate
        // matches per position, so chain and lazy lengths change choices.
        let words = [
            "GET", "POST", "/api/v1/", "users", "orders", "200", "404", "ms", "id=",
        ];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut text = Vec::new();
        while text.len() < 300_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.extend_from_slice(words[(x % 9) as usize].as_bytes());
            text.extend_from_slice(format!("{} ", x >> 58).as_bytes());
        }
        let compress = |engine: Engine, reset: bool| {
            let mut d = Deflater::new(engine);
            if reset {
                d.reset();
            }
            let mut out = Vec::new();
            d.deflate_into(&text, Flush::Finish, &mut out).unwrap();
            out
        };
        let tuned = compress(Engine::for_gzip(6, Content::Text), false);
        assert!(
            tuned != compress(Engine::raw(7), false),
            "tuned is not level 7"
        );
        assert!(
            tuned != compress(Engine::raw(6), false),
            "tuned is not level 6"
        );
        assert!(
            tuned == compress(Engine::for_gzip(6, Content::Text), true),
            "reset keeps the tuning"
        );
    }
}
