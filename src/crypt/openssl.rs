//! `openssl enc -aes-256-cbc` files, for interop.
//!
//! Layouts: with a salt, `Salted__` + 8-byte salt + ciphertext; with
//! `-K/-iv -nosalt`, the bare ciphertext. The ciphertext is AES-256-CBC of
//! the PKCS#7-padded plaintext. Key and IV come from PBKDF2-HMAC-SHA256
//! (`-pbkdf2`, 10,000 iterations unless `-iter`), from the legacy
//! `EVP_BytesToKey` with one round of SHA-256 (OpenSSL 1.1 and later) or
//! MD5 (older files), or are given raw.
//!
//! These files carry no authentication: a wrong password or a damaged
//! file is only noticed when the padding happens to be wrong (about 255
//! times in 256). binkit says so on stderr whenever it reads one.

use std::io::{self, Write};

use aes::Aes256;
use cbc::cipher::array::Array;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::consts::U16;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use md5::Md5;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::Corruption;
use crate::io::Stage;

/// The 8 bytes a salted `openssl enc` file starts with.
pub const SALTED_MAGIC: &[u8; 8] = b"Salted__";
/// `openssl enc -pbkdf2`'s default iteration count.
pub const PBKDF2_ITER_DEFAULT: u32 = 10_000;

/// How `openssl enc` turned the password into key and IV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpensslKdf {
    /// `-pbkdf2 [-iter N] [-md DIGEST]`.
    Pbkdf2 {
        /// Iterations.
        iterations: u32,
        /// The HMAC's digest (`-md`; openssl's default sha256).
        md: Md,
    },
    /// `EVP_BytesToKey` with one round of SHA-256 (no `-pbkdf2`, OpenSSL ≥ 1.1).
    LegacySha256,
    /// `EVP_BytesToKey` with one round of MD5 (`-md md5`, older files).
    LegacyMd5,
}

/// The digests `openssl enc -pbkdf2 -md` takes that binkit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Md {
    /// openssl's default
    Sha256,
    /// -md sha512
    Sha512,
    /// -md sha1
    Sha1,
}

impl std::fmt::Display for OpensslKdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpensslKdf::Pbkdf2 { iterations, md } => {
                let md = match md {
                    Md::Sha256 => "sha256",
                    Md::Sha512 => "sha512",
                    Md::Sha1 => "sha1",
                };
                write!(f, "-pbkdf2 -iter {iterations} -md {md}")
            }
            OpensslKdf::LegacySha256 => f.write_str("no -pbkdf2, -md sha256"),
            OpensslKdf::LegacyMd5 => f.write_str("no -pbkdf2, -md md5"),
        }
    }
}

/// An AES-256 key and CBC IV, wiped on drop.
pub struct KeyIv {
    /// The key.
    pub key: Zeroizing<[u8; 32]>,
    /// The IV.
    pub iv: [u8; 16],
}

/// Derives key and IV as `openssl enc` does.
pub fn derive(password: &[u8], salt: &[u8; 8], kdf: OpensslKdf) -> KeyIv {
    let mut both = Zeroizing::new([0u8; 48]);
    match kdf {
        OpensslKdf::Pbkdf2 { iterations, md } => match md {
            Md::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut both[..]),
            Md::Sha512 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, &mut both[..]);
            }
            Md::Sha1 => {
                pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, &mut both[..])
            }
        },
        OpensslKdf::LegacySha256 => bytes_to_key::<Sha256>(password, salt, &mut both[..]),
        OpensslKdf::LegacyMd5 => bytes_to_key::<Md5>(password, salt, &mut both[..]),
    }
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&both[..32]);
    KeyIv {
        key,
        iv: both[32..].try_into().expect("16 bytes"),
    }
}

/// `EVP_BytesToKey` with one iteration: D_i = H(D_{i-1} ‖ password ‖ salt).
fn bytes_to_key<D: Digest>(password: &[u8], salt: &[u8], out: &mut [u8]) {
    let mut previous: Vec<u8> = Vec::new();
    let mut filled = 0;
    while filled < out.len() {
        let mut h = D::new();
        h.update(&previous);
        h.update(password);
        h.update(salt);
        previous = h.finalize().to_vec();
        let n = previous.len().min(out.len() - filled);
        out[filled..filled + n].copy_from_slice(&previous[..n]);
        filled += n;
    }
}

/// Encrypts like `openssl enc -aes-256-cbc`, streaming.
pub struct OpensslEncrypt<W: Write> {
    inner: W,
    cipher: cbc::Encryptor<Aes256>,
    buf: Vec<u8>,
}

impl<W: Write> OpensslEncrypt<W> {
    /// Writes `Salted__` and the salt when given, then encrypts under `k`.
    ///
    /// # Errors
    /// Write errors.
    pub fn new(mut inner: W, k: &KeyIv, salt: Option<&[u8; 8]>) -> io::Result<Self> {
        if let Some(salt) = salt {
            inner.write_all(SALTED_MAGIC)?;
            inner.write_all(salt)?;
        }
        let cipher =
            cbc::Encryptor::<Aes256>::new_from_slices(&k.key[..], &k.iv).expect("fixed sizes");
        Ok(OpensslEncrypt {
            inner,
            cipher,
            buf: Vec::new(),
        })
    }
}

impl<W: Write> Write for OpensslEncrypt<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        let whole = self.buf.len() / 16 * 16;
        let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(&mut self.buf[..whole]);
        self.cipher.encrypt_blocks(blocks);
        self.inner.write_all(&self.buf[..whole])?;
        self.buf.drain(..whole);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for OpensslEncrypt<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        let len = self.buf.len();
        self.buf.resize(16, 0);
        let last = self
            .cipher
            .encrypt_padded::<Pkcs7>(&mut self.buf, len)
            .expect("one block of room");
        self.inner.write_all(last)?;
        Ok(self.inner)
    }
}

/// Where the decrypter's key comes from.
pub enum KeySource {
    /// Key and IV given (`-K/-iv -nosalt`).
    Raw(KeyIv),
    /// A password, with the salt read from the `Salted__` header.
    Password(Zeroizing<Vec<u8>>, OpensslKdf),
}

/// Decrypts `openssl enc -aes-256-cbc` data, streaming; the last block is
/// held back until the end, where its padding is checked and removed.
pub struct OpensslDecrypt<W: Write> {
    inner: W,
    source: Option<KeySource>,
    /// The derivation tried, for the message when the padding is wrong.
    tried: Option<OpensslKdf>,
    cipher: Option<cbc::Decryptor<Aes256>>,
    buf: Vec<u8>,
    /// Input offset of `buf[0]`.
    offset: u64,
}

impl<W: Write> OpensslDecrypt<W> {
    /// A decrypter for data encrypted under `source`.
    pub fn new(inner: W, source: KeySource) -> Self {
        let tried = match &source {
            KeySource::Password(_, kdf) => Some(*kdf),
            KeySource::Raw(_) => None,
        };
        OpensslDecrypt {
            inner,
            tried,
            source: Some(source),
            cipher: None,
            buf: Vec::new(),
            offset: 0,
        }
    }

    /// Makes the cipher once the key is known (after the salt, if any).
    fn start(&mut self) -> io::Result<bool> {
        if self.cipher.is_some() {
            return Ok(true);
        }
        let k = match self.source.take().expect("taken once") {
            KeySource::Raw(k) => k,
            KeySource::Password(password, kdf) => {
                if self.buf.len() < 16 {
                    self.source = Some(KeySource::Password(password, kdf));
                    return Ok(false);
                }
                if &self.buf[..8] != SALTED_MAGIC {
                    return Err(Corruption::io(
                        "not a salted openssl file (no 'Salted__')",
                        0,
                    ));
                }
                let salt: [u8; 8] = self.buf[8..16].try_into().expect("8 bytes");
                self.buf.drain(..16);
                self.offset = 16;
                derive(&password, &salt, kdf)
            }
        };
        self.cipher = Some(
            cbc::Decryptor::<Aes256>::new_from_slices(&k.key[..], &k.iv).expect("fixed sizes"),
        );
        Ok(true)
    }
}

impl<W: Write> Write for OpensslDecrypt<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if !self.start()? {
            return Ok(data.len());
        }
        // Every whole block but the last: the last carries the padding.
        let ready = self.buf.len().saturating_sub(1) / 16 * 16;
        let cipher = self.cipher.as_mut().expect("started");
        let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(&mut self.buf[..ready]);
        cipher.decrypt_blocks(blocks);
        self.inner.write_all(&self.buf[..ready])?;
        self.buf.drain(..ready);
        self.offset += ready as u64;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Stage for OpensslDecrypt<W> {
    type Done = W;

    fn finish(mut self) -> io::Result<W> {
        if !self.start()? {
            return Err(Corruption::io("truncated: no salt", self.buf.len() as u64));
        }
        if self.buf.len() != 16 {
            let what = "truncated: the ciphertext is not a whole number of blocks";
            return Err(Corruption::io(what, self.offset + self.buf.len() as u64));
        }
        let cipher = self.cipher.take().expect("started");
        let tried = self.tried;
        let plain = cipher.decrypt_padded::<Pkcs7>(&mut self.buf).map_err(|_| {
            // The file does not say how its key was made: name what was
            // tried and the options that change it.
            let what = match tried {
                Some(kdf) => format!(
                    "wrong password, or the file was made with other openssl options (bad padding; tried aes-256-cbc {kdf}; try --iter N, --md sha512|sha1, --legacy sha256|md5)"
                ),
                None => "wrong key or IV, or a damaged file (bad padding)".into(),
            };
            Corruption::io(what, self.offset)
        })?;
        self.inner.write_all(plain)?;
        Ok(self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::pump_with;

    #[test]
    fn round_trips_at_block_boundaries_and_refuses_truncation() {
        let k = derive(
            b"pw",
            b"saltsalt",
            OpensslKdf::Pbkdf2 {
                iterations: 10,
                md: Md::Sha256,
            },
        );
        for len in [0, 1, 15, 16, 17, 100] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut enc = OpensslEncrypt::new(Vec::new(), &k, Some(b"saltsalt")).unwrap();
            pump_with(&mut &data[..], &mut enc, &mut [0; 7]).unwrap();
            let file = enc.finish().unwrap();
            assert_eq!(file.len(), 16 + len / 16 * 16 + 16);
            let source = KeySource::Password(
                Zeroizing::new(b"pw".to_vec()),
                OpensslKdf::Pbkdf2 {
                    iterations: 10,
                    md: Md::Sha256,
                },
            );
            let mut dec = OpensslDecrypt::new(Vec::new(), source);
            pump_with(&mut &file[..], &mut dec, &mut [0; 5]).unwrap();
            assert_eq!(dec.finish().unwrap(), data);
            let source = KeySource::Password(
                Zeroizing::new(b"pw".to_vec()),
                OpensslKdf::Pbkdf2 {
                    iterations: 10,
                    md: Md::Sha256,
                },
            );
            let mut cut = OpensslDecrypt::new(Vec::new(), source);
            cut.write_all(&file[..file.len() - 1]).unwrap();
            assert!(cut.finish().is_err());
        }
    }

    #[test]
    fn bytes_to_key_matches_its_definition() {
        // D1 = MD5(pw ‖ salt), D2 = MD5(D1 ‖ pw ‖ salt), D3 = ...: key = D1 ‖ D2, iv = D3.
        let k = derive(b"password", b"12345678", OpensslKdf::LegacyMd5);
        let d1 = Md5::digest(b"password12345678");
        let d2 = Md5::digest([d1.as_slice(), b"password12345678"].concat());
        let d3 = Md5::digest([d2.as_slice(), b"password12345678"].concat());
        assert_eq!(&k.key[..16], d1.as_slice());
        assert_eq!(&k.key[16..], d2.as_slice());
        assert_eq!(&k.iv[..], d3.as_slice());
    }
}
