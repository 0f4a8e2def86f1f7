//! `binkit encrypt` / `binkit decrypt`: AES-256-CBC with encrypt-then-MAC
//! per chunk (HMAC-SHA256), streaming, so that decryption releases only
//! authenticated plaintext. [`mod@format`] is the byte-by-byte specification.

pub mod format;
pub mod keys;
pub mod openssl;
pub mod run;
pub mod secret;
pub mod stream;
