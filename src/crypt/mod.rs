//! `binkit encrypt` / `binkit decrypt`: AES-256-CBC with encrypt-then-MAC
//! per chunk (HMAC-SHA256), streaming, so that decryption releases only
//! authenticated plaintext. [`mod@format`] is the byte-by-byte specification.

pub mod format;
mod keys;
mod openssl;
mod run;
mod secret;
mod stream;

pub use keys::Secret;
pub use openssl::{KeyIv, KeySource, Md, OpensslDecrypt, OpensslEncrypt, OpensslKdf};
pub(crate) use run::{decrypt, encrypt};
pub use stream::{Decrypt, Encrypt};
