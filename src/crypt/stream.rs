//! The encrypting and decrypting stages.
//!
//! Both hold one chunk (at most 16 MiB with the largest chunk size, 64 KiB
//! by default) and look one byte ahead: a chunk is the last one only when
//! nothing follows it. The decrypter checks the header MAC before anything
//! else (a wrong password is reported before any output) and each chunk's
//! tag before decrypting it, so only authenticated plaintext is released
//! and no padding check ever runs on unauthenticated data.

use std::io::{self, Write};

use zeroize::Zeroizing;

use super::format::{Header, HeaderError, CHUNK_OVERHEAD_BYTES, HEADER_BODY_BYTES, HEADER_BYTES};
use super::keys::{master_key, FileKeys, Key, Secret};
use crate::error::Corruption;
use crate::io::Stage;

/// The encrypting stage.
pub struct Encrypt<W: Write> {
    inner: W,
    keys: FileKeys,
    header_mac: [u8; 32],
    chunk_size: usize,
    buf: Vec<u8>,
    index: u64,
}

impl<W: Write> Encrypt<W> {
    /// Writes the header for `header` under `master` and returns the stage.
    ///
    /// # Errors
    /// Write errors.
    pub fn new(mut inner: W, header: &Header, master: &Key) -> io::Result<Encrypt<W>> {
        let keys = FileKeys::derive(master, &header.nonce);
        let body = header.body();
        let header_mac = keys.header_mac(&body);
        inner.write_all(&body)?;
        inner.write_all(&header_mac)?;
        Ok(Encrypt {
            inner,
            keys,
            header_mac,
            chunk_size: header.chunk_size(),
            buf: Vec::with_capacity(header.chunk_size() + CHUNK_OVERHEAD_BYTES),
            index: 0,
        })
    }

    fn seal(&mut self, last: bool) -> io::Result<()> {
        self.keys
            .seal(&self.header_mac, self.index, last, &mut self.buf);
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        self.index += 1;
        Ok(())
    }
}

impl<W: Write> Write for Encrypt<W> {
    fn write(&mut self, mut data: &[u8]) -> io::Result<usize> {
        let n = data.len();
        while !data.is_empty() {
            if self.buf.len() == self.chunk_size {
                self.seal(false)?; // more follows, so this chunk is not the last
            }
            let take = (self.chunk_size - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
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
        self.seal(true)?;
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
    Chunks {
        keys: FileKeys,
        header_mac: [u8; 32],
        chunk_size: usize,
    },
    /// After an error or the end.
    Done,
}

/// The decrypting stage.
pub struct Decrypt<W: Write> {
    inner: W,
    state: State,
    buf: Vec<u8>,
    /// Input offset of `buf[0]`.
    offset: u64,
    index: u64,
}

impl<W: Write> Decrypt<W> {
    /// A decrypter for files encrypted with `secret`; KDF parameters over
    /// the limits of [`super::format::Kdf::check_cost`] are refused unless
    /// `allow_expensive`.
    pub fn new(inner: W, secret: Secret, allow_expensive: bool) -> Decrypt<W> {
        Decrypt {
            inner,
            state: State::Header {
                secret,
                allow_expensive,
            },
            buf: Vec::with_capacity(HEADER_BYTES),
            offset: 0,
            index: 0,
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
        self.offset = HEADER_BYTES as u64;
        self.buf
            .reserve(header.chunk_size() + CHUNK_OVERHEAD_BYTES + 1);
        self.state = State::Chunks {
            keys,
            header_mac,
            chunk_size: header.chunk_size(),
        };
        Ok(())
    }

    /// Verifies and decrypts the record `buf[..len]` and passes its
    /// plaintext on.
    fn open_record(&mut self, len: usize, last: bool) -> io::Result<()> {
        let State::Chunks {
            keys,
            header_mac,
            chunk_size,
        } = &self.state
        else {
            unreachable!("only called after the header");
        };
        let (index, at) = (self.index, self.offset);
        let record = &mut self.buf[..len];
        let framed = len >= CHUNK_OVERHEAD_BYTES && (len - 32) % 16 == 0;
        if !(framed && keys.verify(header_mac, index, last, record)) && last {
            // Bytes appended after a short last chunk hide its end.
            if let Some(end) = keys.final_prefix(header_mac, index, record) {
                return Err(Corruption::io(
                    format!("data after the final chunk {index}"),
                    at + end as u64,
                ));
            }
        }
        if !framed {
            return Err(Corruption::io(format!("chunk {index} is truncated"), at));
        }
        if !keys.verify(header_mac, index, last, record) {
            let what = match (last, keys.verify(header_mac, index, !last, record)) {
                (true, true) => {
                    format!("truncated: the file ends after chunk {index}, which is not the last")
                }
                (false, true) => format!("data after the final chunk {index}"),
                _ => format!("chunk {index} was changed, moved or belongs to another file"),
            };
            let at = if !last && what.starts_with("data after") {
                at + len as u64
            } else {
                at
            };
            return Err(Corruption::io(what, at));
        }
        let ct_len = len - 32;
        let plain = keys
            .open(index, &mut record[..ct_len])
            .ok_or_else(|| Corruption::io(format!("chunk {index} has bad padding"), at))?;
        let allowed = if last {
            usize::from(index > 0)..=*chunk_size
        } else {
            *chunk_size..=*chunk_size
        };
        if !allowed.contains(&plain) {
            return Err(Corruption::io(
                format!("chunk {index} has a wrong length"),
                at,
            ));
        }
        self.inner.write_all(&self.buf[..plain])?;
        self.buf.drain(..len);
        self.offset += len as u64;
        self.index += 1;
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
        if let State::Chunks { chunk_size, .. } = self.state {
            let record = chunk_size + CHUNK_OVERHEAD_BYTES;
            // A full record with a byte after it cannot be the last one.
            while self.buf.len() > record {
                self.open_record(record, false)?;
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for Decrypt<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        match self.state {
            State::Header { .. } => {
                let what = if self.buf.len() >= 8 && self.buf[..8] != super::format::MAGIC {
                    "not a binkit encrypted file (bad magic)"
                } else {
                    "truncated header"
                };
                return Err(Corruption::io(what, self.buf.len() as u64));
            }
            State::Chunks { .. } if self.buf.is_empty() => {
                let what = format!("truncated: the file ends before chunk {}", self.index);
                return Err(Corruption::io(what, self.offset));
            }
            State::Chunks { .. } => self.open_record(self.buf.len(), true)?,
            State::Done => {}
        }
        self.buf = Vec::new();
        Ok(self.inner)
    }
}

/// A secret's bytes, for tests and the CLI: the raw key or password.
pub fn password(text: &str) -> Secret {
    Secret::Password(Zeroizing::new(text.as_bytes().to_vec()))
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
        Secret::Key(Zeroizing::new([0x42; 32]))
    }

    fn encrypt(data: &[u8], chunk_log2: u8, buf: usize) -> Vec<u8> {
        let h = header(Kdf::Raw, chunk_log2);
        let master = master_key(&key_secret(), &h).unwrap();
        let mut stage = Encrypt::new(Vec::new(), &h, &master).unwrap();
        pump_with(&mut &data[..], &mut stage, &mut vec![0; buf]).unwrap();
        stage.finish().unwrap()
    }

    fn decrypt(file: &[u8], buf: usize) -> Result<Vec<u8>, (String, u64)> {
        let mut stage = Decrypt::new(Vec::new(), key_secret(), false);
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
        let mut stage = Decrypt::new(Vec::new(), Secret::Key(Zeroizing::new([0x43; 32])), false);
        let err = stage.write_all(&file).unwrap_err();
        assert_eq!(
            Corruption::find(&err).unwrap().what,
            "wrong password or key, or a damaged header"
        );
    }

    #[test]
    fn passwords_go_through_the_kdf() {
        let h = header(Kdf::Pbkdf2 { iterations: 1000 }, 12);
        let master = master_key(&password("hunter2"), &h).unwrap();
        let mut stage = Encrypt::new(Vec::new(), &h, &master).unwrap();
        stage.write_all(b"data").unwrap();
        let file = stage.finish().unwrap();
        let mut ok = Decrypt::new(Vec::new(), password("hunter2"), false);
        ok.write_all(&file).unwrap();
        assert_eq!(ok.finish().unwrap(), b"data");
        let mut wrong = Decrypt::new(Vec::new(), password("hunter3"), false);
        assert!(wrong.write_all(&file).is_err());
    }
}
