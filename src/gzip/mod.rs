//! `binkit gzip`: gzip (RFC 1952) compression and decompression.
//!
//! [`Gunzip`] reads any number of members safely; compression uses
//! zlib-rs (through its C interface, for zlib's tuning) in [`GzipEncode`].

mod decode;
mod deflater;
mod encode;
mod header;
mod parallel;
mod run;
mod stored;

pub use decode::{Gunzip, GunzipReader, Limits, Summary};
pub use encode::{GzipEncode, Origin};
pub use header::Header;
pub(crate) use run::run;
