//! `binkit gzip`: gzip (RFC 1952) compression and decompression.
//!
//! [`Gunzip`] reads any number of members safely; compression uses
//! flate2 (zlib-rs backend) through [`GzipEncode`].

mod decode;
mod encode;
mod header;
mod parallel;
mod run;
mod stored;

pub use decode::{Gunzip, GunzipReader, Limits, Summary};
pub use encode::{GzipEncode, Origin};
pub use header::Header;
pub(crate) use run::run;
