//! The split manifest: what `split` writes and `join` trusts only after
//! checking every claim.
//!
//! ```json
//! {
//!   "format": "binkit-split",
//!   "version": 1,
//!   "name": "backup.tar",
//!   "size": 12582912,
//!   "chunk_size": 8388608,
//!   "sha256": "<64 hex digits: SHA-256 of the whole file>",
//!   "s3_etag": "<32 hex digits>-2",
//!   "parts": [
//!     { "index": 1, "file": "backup.tar.00001.part", "size": 8388608,
//!       "sha256": "<64 hex>", "md5": "<32 hex>" },
//!     { "index": 2, "file": "backup.tar.00002.part", "size": 4194304,
//!       "sha256": "<64 hex>", "md5": "<32 hex>" }
//!   ]
//! }
//! ```
//!
//! `md5` and `s3_etag` are there only with `split --s3` or `--md5` (MD5 is
//! the slowest hash); without them `s3_etag` is `null`.
//!
//! `s3_etag` is what S3 reports for a multipart upload of these parts: the
//! MD5 of the concatenated binary part MD5s, then `-N` for N parts (`null`
//! for an empty file, which has no parts). A manifest is refused, before
//! anything is read or written, unless: the format and version are known;
//! every file name is a plain, unique name; indices run 1..=N in order;
//! every part but the last is exactly `chunk_size` and the last is 1 to
//! `chunk_size` bytes; the sizes add up to `size`; there are at most
//! [`MAX_PARTS`] parts; hashes are lower-case hex of the right length; and
//! the ETag agrees with the part MD5s. The manifest file itself is read
//! only up to [`MAX_MANIFEST_BYTES`].

use std::collections::HashSet;
use std::io::Read;

use md5::Md5;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::paths::check_plain_name;

/// The `format` value of a binkit split manifest.
pub const FORMAT: &str = "binkit-split";
/// The manifest version this binkit writes and reads.
pub const VERSION: u32 = 1;
/// Most parts a manifest may list.
pub const MAX_PARTS: usize = 100_000;
/// Largest manifest file read.
pub const MAX_MANIFEST_BYTES: u64 = 32 << 20;

/// A split manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// The original file's base name.
    pub name: String,
    /// Total size in bytes.
    pub size: u64,
    /// Size of every part but the last.
    pub chunk_size: u64,
    /// SHA-256 of the whole file, hex.
    pub sha256: String,
    /// The S3 multipart ETag of these parts, or `None` with no parts.
    pub s3_etag: Option<String>,
    /// The parts, in order.
    pub parts: Vec<Part>,
    /// `split --s3 -o s3://...`: the parts are the byte ranges of this
    /// one object (a plain name beside the manifest), the multipart
    /// upload's parts, not files of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
}

/// One part of a split file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Position, from 1.
    pub index: u64,
    /// Plain file name, in the manifest's directory.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// MD5, hex (for S3): written with `split --s3` or `--md5`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

/// The S3 multipart ETag for parts with these MD5s.
pub fn s3_etag(md5s: &[Vec<u8>]) -> Option<String> {
    if md5s.is_empty() {
        return None;
    }
    let mut outer = Md5::new();
    for md5 in md5s {
        outer.update(md5);
    }
    Some(format!("{}-{}", hex::encode(outer.finalize()), md5s.len()))
}

/// Reads and checks a manifest from at most [`MAX_MANIFEST_BYTES`] of `src`.
///
/// # Errors
/// A message saying what is wrong with it.
pub fn parse(src: impl Read) -> Result<Manifest, String> {
    let mut limited = src.take(MAX_MANIFEST_BYTES + 1);
    // serde_json reads a byte at a time: buffered, a 32 MiB manifest is
    // 4,096 reads, not 32 million (issue 12).
    let buffered = std::io::BufReader::with_capacity(crate::io::BUF_SIZE, &mut limited);
    let manifest: Manifest = serde_json::from_reader(buffered).map_err(|e| {
        if limited.limit() == 0 {
            format!("manifest is larger than {MAX_MANIFEST_BYTES} bytes")
        } else {
            format!("manifest is not valid: {e}")
        }
    })?;
    validate(&manifest)?;
    Ok(manifest)
}

/// Checks every claim a manifest makes that can be checked without the
/// parts; see the module documentation.
///
/// # Errors
/// A message naming the first claim that does not hold.
pub fn validate(m: &Manifest) -> Result<(), String> {
    if m.format != FORMAT {
        return Err(format!(
            "not a binkit split manifest (format {:?})",
            m.format
        ));
    }
    if m.version != VERSION {
        return Err(format!(
            "manifest version {} is not supported (this binkit reads {VERSION})",
            m.version
        ));
    }
    check_plain_name(m.name.as_bytes()).map_err(|e| format!("name {:?}: {e}", m.name))?;
    if let Some(object) = &m.object {
        check_plain_name(object.as_bytes()).map_err(|e| format!("object {object:?}: {e}"))?;
    }
    check_hex("sha256", &m.sha256, 64)?;
    check_sizes(m)?;
    let mut names = HashSet::new();
    for (position, part) in m.parts.iter().enumerate() {
        let expected = position as u64 + 1;
        if part.index != expected {
            return Err(format!(
                "part {expected} is listed with index {}",
                part.index
            ));
        }
        check_plain_name(part.file.as_bytes())
            .map_err(|e| format!("part {expected} file {:?}: {e}", part.file))?;
        if !names.insert(part.file.as_str()) {
            return Err(format!(
                "part {expected} file {:?} is listed twice",
                part.file
            ));
        }
        check_hex(&format!("part {expected} sha256"), &part.sha256, 64)?;
        if let Some(md5) = &part.md5 {
            check_hex(&format!("part {expected} md5"), md5, 32)?;
        }
    }
    check_etag(m)
}

fn check_sizes(m: &Manifest) -> Result<(), String> {
    if m.parts.len() > MAX_PARTS {
        return Err(format!(
            "{} parts is more than the {MAX_PARTS} allowed",
            m.parts.len()
        ));
    }
    if m.chunk_size == 0 && m.size > 0 {
        return Err("chunk_size is 0".into());
    }
    let expected_parts = if m.size == 0 {
        0
    } else {
        m.size.div_ceil(m.chunk_size)
    };
    if expected_parts != m.parts.len() as u64 {
        return Err(format!(
            "{} bytes in chunks of {} make {expected_parts} parts, but {} are listed",
            m.size,
            m.chunk_size,
            m.parts.len()
        ));
    }
    let mut total = 0u64;
    for (position, part) in m.parts.iter().enumerate() {
        let last = position + 1 == m.parts.len();
        let fits = if last {
            (1..=m.chunk_size).contains(&part.size)
        } else {
            part.size == m.chunk_size
        };
        if !fits {
            return Err(format!(
                "part {} claims {} bytes in chunks of {}",
                position + 1,
                part.size,
                m.chunk_size
            ));
        }
        total = total.checked_add(part.size).ok_or("part sizes overflow")?;
    }
    if total != m.size {
        return Err(format!(
            "parts add up to {total} bytes, but size is {}",
            m.size
        ));
    }
    Ok(())
}

fn check_hex(what: &str, text: &str, len: usize) -> Result<(), String> {
    let ok = text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!("{what} is not {len} lower-case hex digits"))
    }
}

/// Part MD5s are all there or none; the ETag, present only with them,
/// agrees with them.
fn check_etag(m: &Manifest) -> Result<(), String> {
    let with = m.parts.iter().filter(|p| p.md5.is_some()).count();
    if with != 0 && with != m.parts.len() {
        return Err("some parts have an md5 and some do not".into());
    }
    let md5s: Vec<Vec<u8>> = m
        .parts
        .iter()
        .filter_map(|p| p.md5.as_ref())
        .map(|md5| hex::decode(md5).expect("checked as hex"))
        .collect();
    if s3_etag(&md5s) != m.s3_etag {
        return Err("s3_etag does not match the part MD5s".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_parts(md5s: [Option<&str>; 2], etag: Option<&str>) -> Manifest {
        let part = |index: u64, md5: Option<&str>| Part {
            index,
            file: format!("x.{index}"),
            size: 1,
            sha256: "0".repeat(64),
            md5: md5.map(str::to_string),
        };
        Manifest {
            format: FORMAT.into(),
            version: VERSION,
            name: "x".into(),
            size: 2,
            chunk_size: 1,
            sha256: "0".repeat(64),
            s3_etag: etag.map(str::to_string),
            parts: vec![part(1, md5s[0]), part(2, md5s[1])],
            object: None,
        }
    }

    /// Issue 13: part MD5s are optional, but all or none, and an ETag only
    /// with them (an ETag without MD5s could not have been checked).
    #[test]
    fn md5s_are_all_or_none_and_the_etag_only_with_them() {
        let zero = "0".repeat(32);
        assert!(validate(&two_parts([None, None], None)).is_ok());
        assert!(validate(&two_parts([Some(&zero), None], None))
            .unwrap_err()
            .contains("some parts have an md5"));
        let md5s = [hex::decode(&zero).unwrap(), hex::decode(&zero).unwrap()];
        let etag = s3_etag(&md5s).unwrap();
        assert!(validate(&two_parts([Some(&zero), Some(&zero)], Some(&etag))).is_ok());
        assert!(validate(&two_parts([None, None], Some(&etag))).is_err());
    }

    /// Issue 16: an uploaded object's manifest names it beside itself,
    /// never by a path (it is a key under the manifest's own prefix).
    #[test]
    fn the_object_is_a_plain_name() {
        let mut m = two_parts([None, None], None);
        m.object = Some("backup.tar".into());
        assert!(validate(&m).is_ok());
        for bad in ["../x", "a/b", "/abs", "", ".", ".."] {
            m.object = Some(bad.into());
            assert!(validate(&m).is_err(), "{bad}");
        }
    }

    /// Issue 12: the manifest was read one byte per `read()`.
    #[test]
    fn issue_12_a_manifest_is_read_in_large_reads() {
        struct Counting<'a>(&'a [u8], usize);
        impl std::io::Read for Counting<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.1 += 1;
                std::io::Read::read(&mut self.0, buf)
            }
        }
        let text = format!(
            "{{\"format\": \"binkit-split\", \"pad\": \"{}\"}}",
            "x".repeat(100_000)
        );
        let mut src = Counting(text.as_bytes(), 0);
        let _ = parse(&mut src);
        // 100 KB in 64 KiB reads: a handful, where it was 100,000.
        assert!(src.1 <= 4, "{} reads", src.1);
    }

    #[test]
    fn s3_etag_is_the_md5_of_the_binary_md5s() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e; the ETag of one empty
        // part is md5 of those 16 bytes: computed here with md5 over bytes.
        let one = hex::decode("d41d8cd98f00b204e9800998ecf8427e").unwrap();
        let expected = format!("{}-1", hex::encode(Md5::digest(&one)));
        assert_eq!(s3_etag(&[one]), Some(expected));
        assert_eq!(s3_etag(&[]), None);
    }
}
