//! `binkit split` and `binkit join`: a file cut into parts that can travel
//! separately, each with its SHA-256 and MD5 in a JSON manifest (see
//! [`manifest`] for the format), and put back together only when every byte
//! checks out.
//!
//! Hashing runs on threads of its own (`digest.rs`): the whole file's
//! SHA-256, each part's SHA-256 and each part's MD5 are three streams over
//! the same shared chunks of [`CHUNK_BYTES`]; the reader never holds more
//! than a few chunks, so memory does not grow with the input.

mod digest;
mod join;
pub mod manifest;
mod split;
mod upload;

pub use manifest::Manifest;

/// `binkit split`: parts in a folder, or with `-o s3://...` one object.
pub(crate) fn split(args: &crate::cli::SplitArgs) -> crate::Result<crate::Outcome> {
    match &args.output {
        Some(output) => upload::split(args, output),
        None => split::run(args),
    }
}

/// `binkit join`: from a manifest on disk, or in object storage.
pub(crate) fn join(args: &crate::cli::JoinArgs) -> crate::Result<crate::Outcome> {
    if crate::paths::is_object_name(&args.manifest) {
        upload::join(args)
    } else {
        join::run(args)
    }
}

/// Bytes handed to the digest threads at a time.
pub const CHUNK_BYTES: usize = 1 << 20;
