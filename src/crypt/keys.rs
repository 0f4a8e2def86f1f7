//! Keys: the master key from a password (Argon2id, PBKDF2) or a key file,
//! the three HKDF subkeys, chunk IVs and chunk tags. Every key lives in a
//! [`Zeroizing`] buffer and is wiped when dropped.

use aes::Aes256;
use cbc::cipher::array::Array;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::consts::U16;
use cbc::cipher::{
    BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockModeDecrypt,
    BlockModeEncrypt, BlockSizeUser, KeyIvInit,
};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::format::{Header, Kdf, HEADER_BODY_BYTES};

type HmacSha256 = Hmac<Sha256>;

/// Chunks encrypted side by side by [`FileKeys::seal_full`].
pub const SEAL_LANES: usize = 16;

/// CBC over up to [`SEAL_LANES`] records side by side, run inside one AES
/// backend call (`encrypt_with_backend`), so the round keys are loaded once
/// rather than once per group of blocks.
struct Lanes<'a> {
    /// `count` records of `chunk_size + 48` bytes, plaintext and padding
    /// block in place; ciphertext replaces them.
    records: &'a mut [u8],
    count: usize,
    chunk_size: usize,
    /// Each lane's IV, then its last ciphertext block.
    chain: [Array<u8, U16>; SEAL_LANES],
}

impl BlockSizeUser for Lanes<'_> {
    type BlockSize = U16;
}

impl BlockCipherEncClosure for Lanes<'_> {
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(mut self, backend: &B) {
        let record = self.chunk_size + 48;
        let mut blocks = [Array::<u8, U16>::default(); SEAL_LANES];
        for offset in (0..self.chunk_size + 16).step_by(16) {
            for (k, block) in blocks[..self.count].iter_mut().enumerate() {
                let at = k * record + offset;
                for (b, (p, c)) in block
                    .iter_mut()
                    .zip(self.records[at..at + 16].iter().zip(self.chain[k].iter()))
                {
                    *b = p ^ c;
                }
            }
            let (par, tail) = Array::<Array<u8, U16>, B::ParBlocksSize>::slice_as_chunks_mut(
                &mut blocks[..self.count],
            );
            for group in par {
                backend.encrypt_par_blocks_inplace(group);
            }
            backend.encrypt_tail_blocks_inplace(tail);
            for (k, block) in blocks[..self.count].iter().enumerate() {
                let at = k * record + offset;
                self.records[at..at + 16].copy_from_slice(block);
                self.chain[k] = *block;
            }
        }
    }
}

/// A 256-bit key, wiped on drop.
pub type Key = Zeroizing<[u8; 32]>;

/// What the user gave: a password or a raw key.
pub enum Secret {
    /// A password, to go through the header's KDF.
    Password(Zeroizing<Vec<u8>>),
    /// A 256-bit key (KDF id 0).
    Key(Key),
}

/// The master key for `header`.
///
/// # Errors
/// The KDF does not match the secret, or its parameters are invalid.
pub fn master_key(secret: &Secret, header: &Header) -> Result<Key, String> {
    let mut out = Zeroizing::new([0u8; 32]);
    match (secret, header.kdf) {
        (Secret::Key(key), Kdf::Raw) => out.copy_from_slice(&key[..]),
        (Secret::Password(pw), Kdf::Pbkdf2 { iterations }) => {
            if iterations == 0 {
                return Err("PBKDF2 with 0 iterations".into());
            }
            pbkdf2::pbkdf2_hmac::<Sha256>(pw, &header.salt, iterations, &mut out[..]);
        }
        (
            Secret::Password(pw),
            Kdf::Argon2id {
                memory_kib,
                passes,
                lanes,
            },
        ) => {
            let params = argon2::Params::new(memory_kib, passes, lanes, Some(32))
                .map_err(|e| format!("invalid Argon2id parameters: {e}"))?;
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                .hash_password_into(pw, &header.salt, &mut out[..])
                .map_err(|e| format!("Argon2id failed: {e}"))?;
        }
        (Secret::Key(_), _) => {
            return Err(
                "the file was encrypted with a password; give a password, not a key file".into(),
            )
        }
        (Secret::Password(_), Kdf::Raw) => {
            return Err("the file was encrypted with a key file; give --key-file".into())
        }
    }
    Ok(out)
}

/// The three subkeys of one file.
pub struct FileKeys {
    aes: Key,
    mac: Key,
    iv: Key,
}

impl FileKeys {
    /// Expands `master` with HKDF-SHA256, the file nonce as salt.
    pub fn derive(master: &Key, nonce: &[u8; 16]) -> FileKeys {
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(nonce), &master[..]);
        let expand = |info: &[u8]| {
            let mut key = Zeroizing::new([0u8; 32]);
            hkdf.expand(info, &mut key[..])
                .expect("32 bytes is a valid HKDF length");
            key
        };
        FileKeys {
            aes: expand(b"binkit v1 aes"),
            mac: expand(b"binkit v1 mac"),
            iv: expand(b"binkit v1 iv"),
        }
    }

    fn hmac(key: &Key) -> HmacSha256 {
        <HmacSha256 as KeyInit>::new_from_slice(&key[..]).expect("HMAC takes any key length")
    }

    /// The header MAC over the 55 header bytes.
    pub fn header_mac(&self, body: &[u8; HEADER_BODY_BYTES]) -> [u8; 32] {
        let mut mac = Self::hmac(&self.mac);
        mac.update(body);
        mac.finalize().into_bytes().into()
    }

    /// Checks a header MAC in constant time.
    pub fn verify_header(&self, body: &[u8; HEADER_BODY_BYTES], tag: &[u8]) -> bool {
        let mut mac = Self::hmac(&self.mac);
        mac.update(body);
        mac.verify_slice(tag).is_ok()
    }

    fn chunk_iv(&self, index: u64) -> [u8; 16] {
        let mut mac = Self::hmac(&self.iv);
        mac.update(&index.to_be_bytes());
        let full: [u8; 32] = mac.finalize().into_bytes().into();
        full[..16].try_into().expect("16 bytes")
    }

    fn tag_mac(
        &self,
        header_mac: &[u8; 32],
        index: u64,
        last: bool,
        ciphertext: &[u8],
    ) -> HmacSha256 {
        let mut mac = Self::hmac(&self.mac);
        mac.update(header_mac);
        mac.update(&index.to_be_bytes());
        mac.update(&[u8::from(last)]);
        mac.update(ciphertext);
        mac
    }

    /// Appends chunk `index` (`plain`) to `out` as ciphertext ‖ tag.
    #[cfg(test)]
    pub fn seal(
        &self,
        header_mac: &[u8; 32],
        index: u64,
        last: bool,
        plain: &[u8],
        out: &mut Vec<u8>,
    ) {
        let start = out.len();
        out.extend_from_slice(plain);
        self.seal_in_place(header_mac, index, last, out, start);
    }

    /// Turns the chunk `index` at `out[start..]` (plaintext) into its record,
    /// ciphertext ‖ tag, in place: a large chunk is sealed without a copy.
    pub fn seal_in_place(
        &self,
        header_mac: &[u8; 32],
        index: u64,
        last: bool,
        out: &mut Vec<u8>,
        start: usize,
    ) {
        let plain_len = out.len() - start;
        out.resize(start + plain_len / 16 * 16 + 16, 0);
        let iv = self.chunk_iv(index);
        let cipher = cbc::Encryptor::<Aes256>::new_from_slices(&self.aes[..], &iv)
            .expect("key and IV sizes are fixed");
        let ct_len = cipher
            .encrypt_padded::<Pkcs7>(&mut out[start..], plain_len)
            .expect("room for the padding")
            .len();
        out.truncate(start + ct_len);
        let tag: [u8; 32] = self
            .tag_mac(header_mac, index, last, &out[start..])
            .finalize()
            .into_bytes()
            .into();
        out.extend_from_slice(&tag);
    }

    /// Appends full, not-last chunks numbered from `first` to `out`, the
    /// same bytes as [`FileKeys::seal`] on each. CBC is a chain, so one
    /// chunk keeps AES-NI waiting on each block's result; the chains of
    /// different chunks are independent, so their blocks go through AES
    /// side by side ([`SEAL_LANES`] at a time), several times faster.
    pub fn seal_full(
        &self,
        header_mac: &[u8; 32],
        first: u64,
        chunks: &[u8],
        chunk_size: usize,
        out: &mut Vec<u8>,
    ) {
        let aes = <Aes256 as KeyInit>::new_from_slice(&self.aes[..]).expect("32-byte key");
        let record = chunk_size + 16 + 32;
        for (group, lanes) in chunks.chunks(chunk_size * SEAL_LANES).enumerate() {
            let count = lanes.len() / chunk_size;
            let base = out.len();
            out.resize(base + count * record, 0);
            let mut chain = [Array::<u8, U16>::default(); SEAL_LANES];

            for (k, chunk) in lanes.chunks(chunk_size).enumerate() {
                let at = base + k * record;
                out[at..at + chunk_size].copy_from_slice(chunk);
                out[at + chunk_size..at + chunk_size + 16].fill(16); // PKCS#7: a whole block
                let index = first + (group * SEAL_LANES + k) as u64;
                chain[k] = Array::from(self.chunk_iv(index));
            }
            aes.encrypt_with_backend(Lanes {
                records: &mut out[base..base + count * record],
                count,
                chunk_size,
                chain,
            });
            for k in 0..count {
                let at = base + k * record;
                let index = first + (group * SEAL_LANES + k) as u64;
                let ct = &out[at..at + chunk_size + 16];
                let tag: [u8; 32] = self
                    .tag_mac(header_mac, index, false, ct)
                    .finalize()
                    .into_bytes()
                    .into();
                out[at + chunk_size + 16..at + record].copy_from_slice(&tag);
            }
        }
    }

    /// Checks the tag of chunk `index` (ciphertext ‖ tag) in constant time
    /// against the final flag `last`.
    pub fn verify(&self, header_mac: &[u8; 32], index: u64, last: bool, record: &[u8]) -> bool {
        let (ciphertext, tag) = record.split_at(record.len() - 32);
        self.tag_mac(header_mac, index, last, ciphertext)
            .verify_slice(tag)
            .is_ok()
    }

    /// When the record at the end of a file fails, finds whether a prefix
    /// of it is a valid final chunk (data was appended after the file):
    /// returns that prefix's length. Linear: the MAC state is carried from
    /// block to block.
    pub fn final_prefix(&self, header_mac: &[u8; 32], index: u64, record: &[u8]) -> Option<usize> {
        let mut mac = self.tag_mac(header_mac, index, true, &[]);
        let mut ct_len = 0;
        while ct_len + 16 + 32 <= record.len() {
            mac.update(&record[ct_len..ct_len + 16]);
            ct_len += 16;
            if mac
                .clone()
                .verify_slice(&record[ct_len..ct_len + 32])
                .is_ok()
            {
                return Some(ct_len + 32);
            }
        }
        None
    }

    /// Decrypts a chunk whose tag has been verified; returns the plaintext
    /// length, the plaintext at the start of `ciphertext`, or `None` for bad
    /// padding (which a chunk whose tag verified cannot have).
    pub fn open(&self, index: u64, ciphertext: &mut [u8]) -> Option<usize> {
        let iv = self.chunk_iv(index);
        let cipher = cbc::Decryptor::<Aes256>::new_from_slices(&self.aes[..], &iv)
            .expect("key and IV sizes are fixed");
        cipher
            .decrypt_padded::<Pkcs7>(ciphertext)
            .map(<[u8]>::len)
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cbc::cipher::block_padding::NoPadding;

    fn unhex(text: &str) -> Vec<u8> {
        hex::decode(text.replace(' ', "")).unwrap()
    }

    #[test]
    fn nist_sp800_38a_f25_cbc_aes256_encrypt() {
        let key = unhex("603deb1015ca71be2b73aef0857d7781 1f352c073b6108d72d9810a30914dff4");
        let iv = unhex("000102030405060708090a0b0c0d0e0f");
        let plain = unhex(
            "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 \
             30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710",
        );
        let cipher = unhex(
            "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d \
             39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b",
        );
        let mut buf = plain.clone();
        let enc = cbc::Encryptor::<Aes256>::new_from_slices(&key, &iv).unwrap();
        assert_eq!(
            enc.encrypt_padded::<NoPadding>(&mut buf, 64).unwrap(),
            &cipher[..]
        );
        // F.2.6 is the same vector decrypted.
        let dec = cbc::Decryptor::<Aes256>::new_from_slices(&key, &iv).unwrap();
        assert_eq!(
            dec.decrypt_padded::<NoPadding>(&mut buf).unwrap(),
            &plain[..]
        );
    }

    #[test]
    fn rfc4231_hmac_sha256() {
        let cases = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
        ];
        for (key, data, expected) in cases {
            let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&key).unwrap();
            mac.update(&data);
            assert_eq!(hex::encode(mac.finalize().into_bytes()), expected);
        }
    }

    #[test]
    fn rfc5869_hkdf_sha256_case_1() {
        let ikm = [0x0b; 22];
        let salt = unhex("000102030405060708090a0b0c");
        let info = unhex("f0f1f2f3f4f5f6f7f8f9");
        let mut okm = [0u8; 42];
        hkdf::Hkdf::<Sha256>::new(Some(&salt), &ikm)
            .expand(&info, &mut okm)
            .unwrap();
        assert_eq!(
            hex::encode(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
    }

    #[test]
    fn chunks_sealed_side_by_side_match_one_by_one() {
        let keys = FileKeys::derive(&Zeroizing::new([5u8; 32]), &[6u8; 16]);
        let hmac = [8u8; 32];
        let chunk = 4096;
        for count in [1, 3, 8, 11, 16, 17, 33] {
            let data: Vec<u8> = (0..count * chunk).map(|i| (i * 31 % 251) as u8).collect();
            let mut together = Vec::new();
            keys.seal_full(&hmac, 40, &data, chunk, &mut together);
            let mut apart = Vec::new();
            for (k, c) in data.chunks(chunk).enumerate() {
                keys.seal(&hmac, 40 + k as u64, false, c, &mut apart);
            }
            assert!(together == apart, "count={count}");
        }
    }

    #[test]
    fn sealed_chunks_open_and_any_change_fails() {
        let keys = FileKeys::derive(&Zeroizing::new([7u8; 32]), &[9u8; 16]);
        let hmac = [3u8; 32];
        for len in [0, 1, 15, 16, 17, 100] {
            let plain: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut record = b"kept".to_vec();
            keys.seal(&hmac, 5, true, &plain, &mut record);
            assert_eq!(&record[..4], b"kept");
            record.drain(..4);
            assert_eq!(record.len(), len / 16 * 16 + 16 + 32);
            assert!(keys.verify(&hmac, 5, true, &record));
            assert!(
                !keys.verify(&hmac, 5, false, &record),
                "final flag is bound"
            );
            assert!(!keys.verify(&hmac, 4, true, &record), "index is bound");
            for i in 0..record.len() {
                let mut bad = record.clone();
                bad[i] ^= 1;
                assert!(!keys.verify(&hmac, 5, true, &bad), "flip at {i} len {len}");
            }
            let ct_len = record.len() - 32;
            let n = keys.open(5, &mut record[..ct_len]).unwrap();
            assert_eq!(&record[..n], &plain[..]);
        }
    }
}
