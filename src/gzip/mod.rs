//! gzip (RFC 1952): reading members safely. The command (`binkit gzip`)
//! is not wired yet; [`decode::Gunzip`] is the decoder it will use.

pub mod decode;
pub mod header;
