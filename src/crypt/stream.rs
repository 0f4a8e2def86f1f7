//! The encrypting and decrypting stages.
//!
//! Both hold one chunk (at most 16 MiB with the largest chunk size, 64 KiB
//! by default) and look one byte ahead: a chunk is the last one only when
//! nothing follows it. The decrypter checks the header MAC before anything
//! else (a wrong password is reported before any output) and each chunk's
//! tag before decrypting it, so only authenticated plaintext is released
//! and no padding check ever runs on unauthenticated data.

use std::io::{self, Write};

use super::format::{Header, HeaderError, CHUNK_OVERHEAD_BYTES, HEADER_BODY_BYTES, HEADER_BYTES};
use super::keys::{master_key, FileKeys, Key, Secret};
use crate::error::Corruption;
use crate::io::ordered::{Batcher, OrderedPool, Work, IN_FLIGHT};
use crate::io::Stage;
use std::sync::Arc;

/// The bytes of chunks that may be in flight at once, shared by the thread
/// count and the chunk size (a decrypted file's header chooses the latter):
/// a job's input and output, for each of the pool's jobs in flight and the
/// one being gathered, stay within it.
const BYTES_IN_FLIGHT: usize = 8 << 20;

/// The plaintext bytes a job is made of, as far as whole chunks allow: half
/// the budget, so that the default 64 KiB chunks stay well under DESIGN.md's
/// 16 MiB, and still 8 chunks side by side, which keep AES-NI busy.
const JOB_BYTES: usize = BYTES_IN_FLIGHT / BUFFERS_ALIVE / 2;

/// The jobs whose buffers can be alive at once: [`IN_FLIGHT`] in the pool,
/// one being gathered, each an input and an output.
const BUFFERS_ALIVE: usize = (IN_FLIGHT + 1) * 2;

/// Full chunks handed to a worker thread (or sealed side by side) at once:
/// [`super::keys::SEAL_LANES`] at most, fewer for larger chunks, at least one.
fn batch_chunks(chunk_size: usize) -> usize {
    (JOB_BYTES / chunk_size.max(1)).clamp(1, super::keys::SEAL_LANES)
}

/// Threads to work on: chunks too large for [`BYTES_IN_FLIGHT`] even one
/// to a job (1 MiB and over) go one at a time on the caller's thread, in place.
fn workers(threads: usize, chunk_size: usize) -> usize {
    if chunk_size.saturating_mul(BUFFERS_ALIVE) >= BYTES_IN_FLIGHT {
        1
    } else {
        threads
    }
}

/// What every chunk of one file is sealed or opened with, shared by the
/// worker threads.
struct ChunkCrypto {
    keys: FileKeys,
    header_mac: [u8; 32],
    chunk_size: usize,
}

impl ChunkCrypto {
    fn record_size(&self) -> usize {
        self.chunk_size + CHUNK_OVERHEAD_BYTES
    }

    /// Input offset of chunk `index`'s record.
    fn offset_of(&self, index: u64) -> u64 {
        HEADER_BYTES as u64 + index * self.record_size() as u64
    }

    /// Verifies record `index` (ciphertext ‖ tag) and decrypts it in
    /// place; returns the plaintext length.
    fn open(&self, index: u64, last: bool, record: &mut [u8]) -> io::Result<usize> {
        let (keys, hm, at, len) = (
            &self.keys,
            &self.header_mac,
            self.offset_of(index),
            record.len(),
        );
        let framed = len >= CHUNK_OVERHEAD_BYTES && (len - 32) % 16 == 0;
        let verified = framed && keys.verify(hm, index, last, record);
        if !verified && last {
            // Bytes appended after a short last chunk hide its end.
            if let Some(end) = keys.final_prefix(hm, index, record) {
                return Err(Corruption::io(
                    format!("data after the final chunk {index}"),
                    at + end as u64,
                ));
            }
        }
        if !framed {
            return Err(Corruption::io(format!("chunk {index} is truncated"), at));
        }
        if !verified {
            let what = match (last, keys.verify(hm, index, !last, record)) {
                (true, true) => {
                    format!("truncated: the file ends after chunk {index}, which is not the last")
                }
                (false, true) => {
                    return Err(Corruption::io(
                        format!("data after the final chunk {index}"),
                        at + len as u64,
                    ));
                }
                _ => format!("chunk {index} was changed, moved or belongs to another file"),
            };
            return Err(Corruption::io(what, at));
        }
        let plain = keys
            .open(index, &mut record[..len - 32])
            .ok_or_else(|| Corruption::io(format!("chunk {index} has bad padding"), at))?;
        let allowed = if last {
            usize::from(index > 0)..=self.chunk_size
        } else {
            self.chunk_size..=self.chunk_size
        };
        if !allowed.contains(&plain) {
            return Err(Corruption::io(
                format!("chunk {index} has a wrong length"),
                at,
            ));
        }
        Ok(plain)
    }

    /// Worker job: seal full (not last) chunks numbered from `first`.
    fn seal_batch(&self, first: u64, plain: &[u8], out: &mut Vec<u8>) {
        self.keys
            .seal_full(&self.header_mac, first, plain, self.chunk_size, out);
    }

    /// Worker job: open full (not last) records numbered from `first`.
    fn open_batch(&self, first: u64, records: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
        for (k, record) in records.chunks(self.record_size()).enumerate() {
            let start = out.len();
            out.extend_from_slice(record);
            let plain = self.open(first + k as u64, false, &mut out[start..])?;
            out.truncate(start + plain);
        }
        Ok(())
    }
}

/// The encrypting stage.
pub struct Encrypt<W: Write> {
    inner: W,
    crypto: Arc<ChunkCrypto>,
    chunk: Vec<u8>,
    index: u64,
    /// Full chunks to a job, or sealed side by side.
    batch: usize,
    batches: Option<Batcher>,
    /// Without threads: full chunks gathered to be sealed side by side.
    gathered: Vec<u8>,
    gathered_first: u64,
    sealed: Vec<u8>,
}

impl<W: Write> Encrypt<W> {
    /// Writes the header for `header` under `master` and returns the stage,
    /// sealing chunks on `threads` threads (1: on the caller's).
    ///
    /// # Errors
    /// Write errors.
    pub fn new(
        mut inner: W,
        header: &Header,
        master: &Key,
        threads: usize,
    ) -> io::Result<Encrypt<W>> {
        let keys = FileKeys::derive(master, &header.nonce);
        let body = header.body();
        let header_mac = keys.header_mac(&body);
        inner.write_all(&body)?;
        inner.write_all(&header_mac)?;
        let crypto = Arc::new(ChunkCrypto {
            keys,
            header_mac,
            chunk_size: header.chunk_size(),
        });
        let chunk_size = header.chunk_size();
        let batch = batch_chunks(chunk_size);
        let batches = (workers(threads, chunk_size) > 1).then(|| {
            let shared = Arc::clone(&crypto);
            let work: Arc<Work> = Arc::new(move |first, plain, out| {
                out.clear();
                shared.seal_batch(first, plain, out);
                Ok(out.len())
            });
            Batcher::new(OrderedPool::new(threads, work), batch * chunk_size)
        });
        Ok(Encrypt {
            inner,
            // Room for the padding and tag: a chunk is sealed in place.
            chunk: Vec::with_capacity(chunk_size + CHUNK_OVERHEAD_BYTES),
            crypto,
            index: 0,
            batch,
            batches,
            gathered: Vec::new(),
            gathered_first: 0,
            sealed: Vec::new(),
        })
    }

    /// Seals the held chunk, known now not to be the last.
    fn push_full(&mut self) -> io::Result<()> {
        match &mut self.batches {
            Some(b) => b.push(self.index, &self.chunk, &mut self.inner)?,
            None if self.batch == 1 => {
                let hm = &self.crypto.header_mac;
                self.crypto
                    .keys
                    .seal_in_place(hm, self.index, false, &mut self.chunk, 0);
                self.inner.write_all(&self.chunk)?;
            }
            None => {
                if self.gathered.is_empty() {
                    self.gathered_first = self.index;
                }
                self.gathered.extend_from_slice(&self.chunk);
                if self.gathered.len() >= self.batch * self.crypto.chunk_size {
                    self.seal_gathered()?;
                }
            }
        }
        self.chunk.clear();
        self.index += 1;
        Ok(())
    }

    fn seal_gathered(&mut self) -> io::Result<()> {
        self.sealed.clear();
        self.crypto
            .seal_batch(self.gathered_first, &self.gathered, &mut self.sealed);
        self.gathered.clear();
        self.inner.write_all(&self.sealed)
    }
}

impl<W: Write> Write for Encrypt<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let n = data.len();
        while !data.is_empty() {
            if self.chunk.len() == self.crypto.chunk_size {
                self.push_full()?; // more follows, so this chunk is not the last
            }
            let take = (self.crypto.chunk_size - self.chunk.len()).min(data.len());
            self.chunk.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for Encrypt<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if let Some(b) = &mut self.batches {
            b.drain(&mut self.inner)?;
        }
        if !self.gathered.is_empty() {
            self.seal_gathered()?;
        }
        let hm = &self.crypto.header_mac;
        self.crypto
            .keys
            .seal_in_place(hm, self.index, true, &mut self.chunk, 0);
        self.inner.write_all(&self.chunk)?;
        Ok(self.inner)
    }
}

enum State {
    /// Reading the header; holds the secret until the keys are made.
    Header {
        secret: Secret,
        allow_expensive: bool,
    },
    /// Reading chunks.
    Chunks(Arc<ChunkCrypto>),
    /// After an error or the end.
    Done,
}

/// The decrypting stage.
pub struct Decrypt<W: Write> {
    inner: W,
    state: State,
    buf: Vec<u8>,
    index: u64,
    threads: usize,
    batches: Option<Batcher>,
}

impl<W: Write> Decrypt<W> {
    /// A decrypter for files encrypted with `secret`, opening chunks on
    /// `threads` threads; KDF parameters over the limits of
    /// [`super::format::Kdf::check_cost`] are refused unless
    /// `allow_expensive`.
    pub fn new(inner: W, secret: Secret, allow_expensive: bool, threads: usize) -> Decrypt<W> {
        Decrypt {
            inner,
            state: State::Header {
                secret,
                allow_expensive,
            },
            buf: Vec::with_capacity(HEADER_BYTES),
            index: 0,
            threads,
            batches: None,
        }
    }

    /// Parses the header and checks its MAC, once all of it is buffered.
    fn open_header(&mut self) -> io::Result<()> {
        let State::Header {
            secret,
            allow_expensive,
        } = std::mem::replace(&mut self.state, State::Done)
        else {
            unreachable!("only called while reading the header");
        };
        let body: [u8; HEADER_BODY_BYTES] =
            self.buf[..HEADER_BODY_BYTES].try_into().expect("buffered");
        let header = Header::parse(&body)
            .map_err(|e| Corruption::io(e.to_string(), header_error_offset(&e)))?;
        if !allow_expensive {
            header.kdf.check_cost().map_err(|e| {
                Corruption::io(
                    format!("{e}; use --allow-expensive-kdf if you trust this file"),
                    10,
                )
            })?;
        }
        let master = master_key(&secret, &header).map_err(|e| Corruption::io(e, 9))?;
        let keys = FileKeys::derive(&master, &header.nonce);
        if !keys.verify_header(&body, &self.buf[HEADER_BODY_BYTES..HEADER_BYTES]) {
            return Err(Corruption::io(
                "wrong password or key, or a damaged header",
                HEADER_BODY_BYTES as u64,
            ));
        }
        let header_mac = self.buf[HEADER_BODY_BYTES..HEADER_BYTES]
            .try_into()
            .expect("32 bytes");
        self.buf.drain(..HEADER_BYTES);
        let crypto = Arc::new(ChunkCrypto {
            keys,
            header_mac,
            chunk_size: header.chunk_size(),
        });
        if workers(self.threads, crypto.chunk_size) > 1 {
            let shared = Arc::clone(&crypto);
            let work: Arc<Work> = Arc::new(move |first, records, out| {
                out.clear();
                shared.open_batch(first, records, out)?;
                Ok(out.len())
            });
            let limit = batch_chunks(crypto.chunk_size) * crypto.record_size();
            self.batches = Some(Batcher::new(OrderedPool::new(self.threads, work), limit));
        }
        self.state = State::Chunks(crypto);
        Ok(())
    }
}

/// Where each header problem sits.
fn header_error_offset(e: &HeaderError) -> u64 {
    match e {
        HeaderError::Magic => 0,
        HeaderError::Version(_) => 8,
        HeaderError::Kdf(_) => 9,
        HeaderError::Params => 10,
        HeaderError::ChunkSize(_) => 38,
    }
}

impl<W: Write> Write for Decrypt<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if matches!(self.state, State::Header { .. }) && self.buf.len() >= HEADER_BYTES {
            self.open_header()?;
        }
        let State::Chunks(crypto) = &self.state else {
            return Ok(data.len());
        };
        let record = crypto.record_size();
        let mut used = 0;
        // A full record with a byte after it cannot be the last one.
        while self.buf.len() - used > record {
            let piece = &mut self.buf[used..used + record];
            match &mut self.batches {
                Some(b) => b.push(self.index, piece, &mut self.inner)?,
                None => {
                    let plain = crypto.open(self.index, false, piece)?;
                    self.inner.write_all(&piece[..plain])?;
                }
            }
            used += record;
            self.index += 1;
        }
        self.buf.drain(..used);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for Decrypt<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if let Some(b) = &mut self.batches {
            b.drain(&mut self.inner)?;
        }
        match &self.state {
            State::Header { .. } => {
                let what = if self.buf.len() >= 8 && self.buf[..8] != super::format::MAGIC {
                    "not a binkit encrypted file (bad magic)"
                } else {
                    "truncated header"
                };
                return Err(Corruption::io(what, self.buf.len() as u64));
            }
            State::Chunks(crypto) if self.buf.is_empty() => {
                let what = format!("truncated: the file ends before chunk {}", self.index);
                return Err(Corruption::io(what, crypto.offset_of(self.index)));
            }
            State::Chunks(crypto) => {
                let plain = crypto.open(self.index, true, &mut self.buf)?;
                self.inner.write_all(&self.buf[..plain])?;
            }
            State::Done => {}
        }
        Ok(self.inner)
    }
}

/// A password [`Secret`] from text (for tests).
#[cfg(test)]
pub(crate) fn password(text: &str) -> Secret {
    Secret::Password(zeroize::Zeroizing::new(text.as_bytes().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::format::Kdf;
    use crate::io::pump_with;

    fn header(kdf: Kdf, chunk_log2: u8) -> Header {
        Header {
            kdf,
            salt: [1; 16],
            chunk_log2,
            nonce: [2; 16],
        }
    }

    fn key_secret() -> Secret {
        Secret::Key(zeroize::Zeroizing::new([0x42; 32]))
    }

    fn encrypt(data: &[u8], chunk_log2: u8, buf: usize) -> Vec<u8> {
        encrypt_on(data, chunk_log2, buf, 1)
    }

    fn encrypt_on(data: &[u8], chunk_log2: u8, buf: usize, threads: usize) -> Vec<u8> {
        let h = header(Kdf::Raw, chunk_log2);
        let master = master_key(&key_secret(), &h).unwrap();
        let mut stage = Encrypt::new(Vec::new(), &h, &master, threads).unwrap();
        pump_with(&mut &data[..], &mut stage, &mut vec![0; buf]).unwrap();
        stage.finish().unwrap()
    }

    fn decrypt(file: &[u8], buf: usize) -> Result<Vec<u8>, (String, u64)> {
        let single = decrypt_on(file, buf, 1);
        assert_eq!(
            decrypt_on(file, buf, 3),
            single,
            "threads change the answer"
        );
        single
    }

    fn decrypt_on(file: &[u8], buf: usize, threads: usize) -> Result<Vec<u8>, (String, u64)> {
        let mut stage = Decrypt::new(Vec::new(), key_secret(), false, threads);
        let pumped = pump_with(&mut &file[..], &mut stage, &mut vec![0; buf]);
        let result = match pumped {
            Ok(_) => stage.finish(),
            Err(crate::io::PumpError::Write(e) | crate::io::PumpError::Read(e)) => Err(e),
        };
        result.map_err(|e| {
            let c = Corruption::find(&e).expect("a corruption report");
            (c.what.clone(), c.offset)
        })
    }

    #[test]
    fn round_trips_at_chunk_boundaries() {
        let chunk = 1 << 12;
        for len in [
            0,
            1,
            15,
            16,
            17,
            chunk - 1,
            chunk,
            chunk + 1,
            3 * chunk,
            3 * chunk + 5,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            for buf in [1, 4096, 65536] {
                if buf == 1 && len > chunk + 1 {
                    continue;
                }
                let file = encrypt(&data, 12, buf);
                assert_eq!(
                    encrypt_on(&data, 12, buf, 3),
                    file,
                    "threads change the bytes"
                );
                // Each chunk of n bytes becomes n rounded down to 16, plus a
                // PKCS#7 block, plus a 32-byte tag.
                let sizes: Vec<usize> = if len == 0 {
                    vec![0]
                } else {
                    (0..len)
                        .step_by(chunk)
                        .map(|s| (len - s).min(chunk))
                        .collect()
                };
                let expected = HEADER_BYTES + sizes.iter().map(|n| n / 16 * 16 + 48).sum::<usize>();
                assert_eq!(file.len(), expected, "len={len}");
                assert_eq!(decrypt(&file, buf), Ok(data.clone()), "len={len} buf={buf}");
            }
        }
    }

    #[test]
    fn tampering_is_caught_with_its_chunk_and_offset() {
        let chunk = 1 << 12;
        let data: Vec<u8> = (0..3 * chunk + 100).map(|i| i as u8).collect();
        let file = encrypt(&data, 12, 65536);
        let record = chunk + 48;
        let c1 = HEADER_BYTES + record;
        // A flipped byte in each chunk and its tag.
        for at in [HEADER_BYTES + 5, c1 + record - 1, file.len() - 1] {
            let mut bad = file.clone();
            bad[at] ^= 0x10;
            let (what, offset) = decrypt(&bad, 65536).unwrap_err();
            assert!(what.contains("was changed"), "{what}");
            assert_eq!(
                offset,
                ((at - HEADER_BYTES) / record * record + HEADER_BYTES) as u64
            );
        }
        // Two chunks swapped, a chunk duplicated, a chunk dropped.
        let (h, c) = file.split_at(HEADER_BYTES);
        let chunks: Vec<&[u8]> = c.chunks(record).collect();
        let join = |order: &[usize]| {
            [
                h.to_vec(),
                order.iter().flat_map(|&i| chunks[i].to_vec()).collect(),
            ]
            .concat()
        };
        assert!(decrypt(&join(&[1, 0, 2, 3]), 4096)
            .unwrap_err()
            .0
            .contains("chunk 0 was changed"));
        assert!(decrypt(&join(&[0, 0, 1, 2, 3]), 4096)
            .unwrap_err()
            .0
            .contains("chunk 1 was changed"));
        assert!(decrypt(&join(&[0, 2, 3]), 4096)
            .unwrap_err()
            .0
            .contains("chunk 1 was changed"));
        // Truncation at a chunk boundary and inside a chunk, data appended.
        let (what, _) = decrypt(&file[..HEADER_BYTES + 2 * record], 4096).unwrap_err();
        assert!(
            what.starts_with("truncated: the file ends after chunk 1"),
            "{what}"
        );
        assert!(decrypt(&file[..HEADER_BYTES + record + 100], 4096)
            .unwrap_err()
            .0
            .contains("chunk 1"));
        assert!(decrypt(&file[..HEADER_BYTES], 4096)
            .unwrap_err()
            .0
            .contains("ends before chunk 0"));
        assert!(decrypt(&file[..40], 4096)
            .unwrap_err()
            .0
            .contains("truncated header"));
        let mut longer = file.clone();
        longer.extend_from_slice(&[0u8; 100]);
        assert!(decrypt(&longer, 4096)
            .unwrap_err()
            .0
            .contains("data after the final chunk 3"));
    }

    #[test]
    fn every_header_byte_is_protected() {
        let file = encrypt(b"secret", 12, 4096);
        for at in 0..HEADER_BYTES {
            let mut bad = file.clone();
            bad[at] ^= 0x01;
            let (what, _) = decrypt(&bad, 4096).unwrap_err();
            assert!(!what.is_empty(), "byte {at}");
        }
    }

    #[test]
    fn wrong_key_is_reported_before_any_output() {
        let file = encrypt(b"secret", 12, 4096);
        let mut stage = Decrypt::new(
            Vec::new(),
            Secret::Key(zeroize::Zeroizing::new([0x43; 32])),
            false,
            1,
        );
        let err = stage.write_all(&file).unwrap_err();
        assert_eq!(
            Corruption::find(&err).unwrap().what,
            "wrong password or key, or a damaged header"
        );
    }

    /// The bytes of `fixtures/fixed-v1.bke` must never change without a
    /// format version bump: every input that shapes them is fixed here.
    #[test]
    fn fixed_file_is_stable() {
        let h = Header {
            kdf: Kdf::Pbkdf2 { iterations: 1000 },
            salt: core::array::from_fn(|i| i as u8),
            chunk_log2: 12,
            nonce: core::array::from_fn(|i| 0x10 + i as u8),
        };
        let plain: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
        let master = master_key(&password("correct horse battery staple"), &h).unwrap();
        let mut stage = Encrypt::new(Vec::new(), &h, &master, 1).unwrap();
        stage.write_all(&plain).unwrap();
        let file = stage.finish().unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fixed-v1.bke");
        if std::env::var_os("BINKIT_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, &file).unwrap();
        }
        assert!(
            std::fs::read(&path).unwrap() == file,
            "fixtures/fixed-v1.bke changed: bump the format version"
        );
    }

    #[test]
    fn passwords_go_through_the_kdf() {
        let h = header(Kdf::Pbkdf2 { iterations: 1000 }, 12);
        let master = master_key(&password("hunter2"), &h).unwrap();
        let mut stage = Encrypt::new(Vec::new(), &h, &master, 1).unwrap();
        stage.write_all(b"data").unwrap();
        let file = stage.finish().unwrap();
        let mut ok = Decrypt::new(Vec::new(), password("hunter2"), false, 1);
        ok.write_all(&file).unwrap();
        assert_eq!(ok.finish().unwrap(), b"data");
        let mut wrong = Decrypt::new(Vec::new(), password("hunter3"), false, 1);
        assert!(wrong.write_all(&file).is_err());
    }
}
