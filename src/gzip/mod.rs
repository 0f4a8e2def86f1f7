//! `binkit gzip`: gzip (RFC 1952) compression and decompression.
//!
//! [`decode::Gunzip`] reads any number of members safely; compression uses
//! flate2 (zlib-rs backend) through [`encode::GzipEncode`].

pub mod decode;
pub mod encode;
pub mod header;
pub mod parallel;
pub mod run;
pub mod stored;
