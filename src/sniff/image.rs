//! PNG walked by its structure, chunk by chunk to `IEND`, each CRC
//! checked, as a decoder would: what hides in a chunk (a `<?php` in a
//! `tEXt`, an ELF in a private chunk) or after the end is found wherever
//! it is, and an image cut short is `truncated`, not "data after the end".

use std::io;

use super::binary::Source;

/// What the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// `IEND` reached, every CRC right, nothing after it.
    Clean,
    /// The file ends inside a chunk or before `IEND`.
    Truncated,
    /// A chunk's CRC is wrong or its header impossible, at this offset.
    Corrupt(u64),
    /// Bytes after `IEND` (not zero padding), from this offset.
    Appended(u64),
    /// Script or a program header inside a chunk: what, and the chunk.
    Hidden(&'static str, String),
}

/// The most of one chunk read to check it; a chunk claiming more is read
/// in pieces (its CRC is over all of it).
const PIECE: usize = 64 * 1024;

/// What marks script or a program inside image data.
const MARKERS: [(&[u8], &str); 5] = [
    (b"<?php", "PHP code"),
    (b"<?=", "PHP code"),
    (b"<script", "a <script> element"),
    (b"\x7fELF", "an ELF program"),
    (b"#!/", "a #! script"),
];

/// Walks the PNG in `src`.
///
/// # Errors
/// Read errors.
pub fn walk_png(src: &mut dyn Source) -> io::Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut at = 8u64;
    let mut header = [0u8; 8];
    loop {
        if src.read_at(at, &mut header)? < 8 {
            findings.push(Finding::Truncated);
            return Ok(findings);
        }
        let len = u64::from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        let kind = [header[4], header[5], header[6], header[7]];
        if len > 0x7fff_ffff || !kind.iter().all(u8::is_ascii_alphabetic) {
            findings.push(Finding::Corrupt(at));
            return Ok(findings);
        }
        let name = String::from_utf8_lossy(&kind).into_owned();
        let mut crc = crc32fast::Hasher::new();
        crc.update(&kind);
        let mut done = 0u64;
        let mut carry: Vec<u8> = Vec::new();
        let mut hidden = None;
        while done < len {
            let want = usize::try_from((len - done).min(PIECE as u64)).unwrap_or(PIECE);
            let mut piece = vec![0; want];
            let n = src.read_at(at + 8 + done, &mut piece)?;
            if n < want {
                findings.push(Finding::Truncated);
                return Ok(findings);
            }
            crc.update(&piece);
            // A marker may straddle two pieces: keep the last few bytes.
            let mut scan = std::mem::take(&mut carry);
            scan.extend_from_slice(&piece);
            if hidden.is_none() {
                hidden = MARKERS
                    .iter()
                    .find(|(m, _)| memchr::memmem::find(&scan, m).is_some())
                    .map(|(_, what)| *what);
            }
            carry = scan[scan.len().saturating_sub(8)..].to_vec();
            done += want as u64;
        }
        let mut stored = [0u8; 4];
        if src.read_at(at + 8 + len, &mut stored)? < 4 {
            findings.push(Finding::Truncated);
            return Ok(findings);
        }
        if crc.finalize() != u32::from_be_bytes(stored) {
            findings.push(Finding::Corrupt(at));
            return Ok(findings);
        }
        if let Some(what) = hidden {
            findings.push(Finding::Hidden(what, name.clone()));
        }
        at += 12 + len;
        if &kind == b"IEND" {
            break;
        }
    }
    if let Some(appended) = after_end(src, at)? {
        findings.push(Finding::Appended(appended));
    }
    if findings.is_empty() {
        findings.push(Finding::Clean);
    }
    Ok(findings)
}

/// Where data after the image's end begins, if there is any that is not
/// zero padding: read forward from `end` to the end of `src`.
fn after_end(src: &mut dyn Source, end: u64) -> io::Result<Option<u64>> {
    let mut at = end;
    let mut piece = vec![0; PIECE];
    loop {
        let n = src.read_at(at, &mut piece)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(i) = piece[..n].iter().position(|&b| b != 0) {
            return Ok(Some(at + i as u64));
        }
        at += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::super::binary::Bytes;
    use super::*;

    /// A PNG chunk: length, type, data, CRC over type and data.
    pub fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        c.extend_from_slice(&crc.finalize().to_be_bytes());
        c
    }

    fn png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        for c in chunks {
            p.extend_from_slice(c);
        }
        p
    }

    fn walk(bytes: &[u8]) -> Vec<Finding> {
        walk_png(&mut Bytes(bytes)).unwrap()
    }

    #[test]
    fn png_structure() {
        let ihdr = chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        let idat = chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0, 0, 0, 2, 0, 1]);
        let iend = chunk(b"IEND", b"");
        let clean = png(&[ihdr.clone(), idat.clone(), iend.clone()]);
        assert_eq!(walk(&clean), [Finding::Clean]);
        // Zero padding after IEND is no data.
        assert_eq!(
            walk(&[clean.clone(), vec![0; 100]].concat()),
            [Finding::Clean]
        );
        // Cut inside IDAT, or before IEND: truncated, not appended.
        assert_eq!(walk(&clean[..clean.len() - 15]), [Finding::Truncated]);
        assert_eq!(
            walk(&png(&[ihdr.clone(), idat.clone()])),
            [Finding::Truncated]
        );
        // PHP in a tEXt chunk, an ELF in a private one, behind a fake IEND.
        let php = chunk(b"tEXt", b"Comment\0<?php system($_GET[c]); ?>");
        let found = walk(&png(&[ihdr.clone(), php, idat.clone(), iend.clone()]));
        assert_eq!(found, [Finding::Hidden("PHP code", "tEXt".into())]);
        let elf = chunk(b"prVt", b"\x7fELF\x02\x01\x01\0");
        let found = walk(&png(&[ihdr.clone(), elf, idat.clone(), iend.clone()]));
        assert_eq!(found, [Finding::Hidden("an ELF program", "prVt".into())]);
        // A fake IEND (wrong CRC) followed by more: corrupt where it is.
        let mut fake = png(&[ihdr.clone(), idat.clone()]);
        let at = fake.len() as u64;
        fake.extend_from_slice(b"\0\0\0\0IEND\xde\xad\xbe\xef<?php ?>");
        assert_eq!(walk(&fake), [Finding::Corrupt(at)]);
        // A ZIP after the real end.
        let mut zip = clean.clone();
        zip.extend_from_slice(b"PK\x03\x04rest");
        assert_eq!(walk(&zip), [Finding::Appended(clean.len() as u64)]);
        // A length past 2^31 is no chunk.
        let mut huge = png(&[ihdr]);
        huge.extend_from_slice(b"\xff\xff\xff\xffIDAT");
        assert!(matches!(walk(&huge)[..], [Finding::Corrupt(_)]));
    }
}
