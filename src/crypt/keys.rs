//! Keys: the master key from a password (Argon2id, PBKDF2) or a key file,
//! the three HKDF subkeys, chunk IVs and chunk tags. Every key lives in a
//! [`Zeroizing`] buffer and is wiped when dropped.

use aes::Aes256;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::format::{Header, Kdf, HEADER_BODY_BYTES};

type HmacSha256 = Hmac<Sha256>;

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

    /// Encrypts chunk `index` in place: `buf` holds the plaintext and is
    /// replaced by ciphertext ‖ tag.
    pub fn seal(&self, header_mac: &[u8; 32], index: u64, last: bool, buf: &mut Vec<u8>) {
        let len = buf.len();
        buf.resize(len / 16 * 16 + 16, 0);
        let iv = self.chunk_iv(index);
        let cipher = cbc::Encryptor::<Aes256>::new_from_slices(&self.aes[..], &iv)
            .expect("key and IV sizes are fixed");
        let ct_len = cipher
            .encrypt_padded::<Pkcs7>(buf, len)
            .expect("room for the padding")
            .len();
        buf.truncate(ct_len);
        let tag: [u8; 32] = self
            .tag_mac(header_mac, index, last, buf)
            .finalize()
            .into_bytes()
            .into();
        buf.extend_from_slice(&tag);
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
    fn sealed_chunks_open_and_any_change_fails() {
        let keys = FileKeys::derive(&Zeroizing::new([7u8; 32]), &[9u8; 16]);
        let hmac = [3u8; 32];
        for len in [0, 1, 15, 16, 17, 100] {
            let plain: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut record = plain.clone();
            keys.seal(&hmac, 5, true, &mut record);
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
