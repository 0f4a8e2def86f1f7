//! Images walked by their structure, as a decoder would: PNG chunk by
//! chunk to `IEND` with each CRC checked, JPEG segment by segment to
//! `EOI`, GIF block by block to its trailer. What hides in the image (a
//! `<?php` in a `tEXt` chunk or a JPEG comment, an ELF in a private chunk)
//! or after its end is found wherever it is, and an image cut short is
//! `truncated`, not "data after the end".

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

/// What marks script, a program or an archive inside image data, matched
/// without regard to case (PHP's `<?PHP` runs as `<?php` does, HTML's
/// `<SCRIPT>` as `<script>`). Each is four bytes or more, so that image
/// data, which is random to a search, does not hold one by chance.
const MARKERS: [(&[u8], &str); 7] = [
    (b"<?php", "PHP code"),
    (b"<?=", "PHP code"),
    (b"<script", "a <script> element"),
    (b"\x7felf", "an ELF program"),
    (b"#!/", "a #! script"),
    (b"pk\x03\x04", "a ZIP archive"),
    (b"pk\x05\x06", "a ZIP archive"),
];

/// The largest compressed-text chunk inflated, and the most of it read.
const COMPRESSED_CHUNK: u64 = 4 << 20;
const INFLATED_TEXT: u64 = 1 << 20;

/// A zTXt, iTXt (when its flag says compressed) or iCCP chunk's text,
/// inflated (at most [`INFLATED_TEXT`] of it).
fn compressed_text(kind: &[u8; 4], data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let keyword_end = memchr::memchr(0, data)?;
    let rest = &data[keyword_end + 1..];
    let stream = if kind == b"iTXt" {
        // flag, method, language\0, translated keyword\0, text
        let (&flag, rest) = rest.split_first()?;
        if flag != 1 {
            return None;
        }
        let rest = rest.get(1..)?;
        let lang_end = memchr::memchr(0, rest)?;
        let rest = &rest[lang_end + 1..];
        let key_end = memchr::memchr(0, rest)?;
        &rest[key_end + 1..]
    } else {
        rest.get(1..)?
    };
    let mut text = Vec::new();
    flate2::read::ZlibDecoder::new(stream)
        .take(INFLATED_TEXT)
        .read_to_end(&mut text)
        .ok()?;
    Some(text)
}

/// Code in a format binkit does not walk, searched over its raw bytes
/// (pixels too): only markers of five bytes or more, so that a megabyte of
/// image data does not hold one by chance.
pub fn code_in(data: &[u8]) -> Option<&'static str> {
    const STRONG: [(&[u8], &str); 4] = [
        (b"<?php", "PHP code"),
        (b"<script", "a <script> element"),
        (b"<html", "an HTML page"),
        (b"<iframe", "an <iframe> element"),
    ];
    let lower: Vec<u8> = data.iter().map(u8::to_ascii_lowercase).collect();
    if let Some((_, what)) = STRONG
        .iter()
        .find(|(m, _)| memchr::memmem::find(&lower, m).is_some())
    {
        return Some(what);
    }
    // An ELF header: magic, class, byte order, version 1.
    memchr::memmem::find_iter(data, b"\x7fELF")
        .any(|at| matches!(data.get(at + 4..at + 7), Some([1 | 2, 1 | 2, 1])))
        .then_some("an ELF program")
}

/// The first marker in `data`, if any.
fn marker_in(data: &[u8]) -> Option<&'static str> {
    let lower: Vec<u8> = data.iter().map(u8::to_ascii_lowercase).collect();
    MARKERS
        .iter()
        .find(|(m, _)| memchr::memmem::find(&lower, m).is_some())
        .map(|(_, what)| *what)
}

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
        // Compressed text (zTXt, iTXt, iCCP) is inflated and scanned too.
        let compressed = matches!(&kind, b"zTXt" | b"iTXt" | b"iCCP") && len <= COMPRESSED_CHUNK;
        let mut whole = Vec::new();
        while done < len {
            let want = usize::try_from((len - done).min(PIECE as u64)).unwrap_or(PIECE);
            let mut piece = vec![0; want];
            let n = src.read_at(at + 8 + done, &mut piece)?;
            if n < want {
                findings.push(Finding::Truncated);
                return Ok(findings);
            }
            crc.update(&piece);
            if compressed {
                whole.extend_from_slice(&piece);
            }
            // A marker may straddle two pieces: keep the last few bytes.
            let mut scan = std::mem::take(&mut carry);
            scan.extend_from_slice(&piece);
            if hidden.is_none() {
                hidden = marker_in(&scan);
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
        if hidden.is_none() && compressed {
            hidden = compressed_text(&kind, &whole).and_then(|text| marker_in(&text));
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

/// Reads forward through `src` from a position: the byte walks of JPEG
/// and GIF, with what was read kept for the marker scan.
struct Cursor<'a> {
    src: &'a mut dyn Source,
    at: u64,
    buf: Vec<u8>,
    buf_at: u64,
    scan: Vec<u8>,
    hidden: Option<&'static str>,
}

impl<'a> Cursor<'a> {
    fn new(src: &'a mut dyn Source, at: u64) -> Cursor<'a> {
        Cursor {
            src,
            at,
            buf: Vec::new(),
            buf_at: at,
            scan: Vec::new(),
            hidden: None,
        }
    }

    /// The next byte, or `None` at the end.
    fn byte(&mut self) -> io::Result<Option<u8>> {
        // (A step back over a piece's start reads from there again.)
        if self.at < self.buf_at || self.at - self.buf_at >= self.buf.len() as u64 {
            self.look();
            self.buf.resize(PIECE, 0);
            let n = self.src.read_at(self.at, &mut self.buf)?;
            self.buf.truncate(n);
            self.buf_at = self.at;
            if n == 0 {
                return Ok(None);
            }
        }
        let b = self.buf[usize::try_from(self.at - self.buf_at).unwrap_or(0)];
        self.at += 1;
        Ok(Some(b))
    }

    /// Skips `n` bytes; `false` when the end came first.
    fn skip(&mut self, n: u64) -> io::Result<bool> {
        for _ in 0..n {
            if self.byte()?.is_none() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Scans what was read for markers (with a few bytes of overlap).
    fn look(&mut self) {
        let used = usize::try_from(self.at.saturating_sub(self.buf_at)).unwrap_or(0);
        let mut scan = std::mem::take(&mut self.scan);
        scan.extend_from_slice(&self.buf[..used.min(self.buf.len())]);
        if self.hidden.is_none() {
            self.hidden = marker_in(&scan);
        }
        self.scan = scan[scan.len().saturating_sub(8)..].to_vec();
    }

    /// The findings so far, with what the scan found.
    fn finish(mut self, end: Finding, kind: &str) -> io::Result<Vec<Finding>> {
        self.look();
        let mut findings = Vec::new();
        if let Some(what) = self.hidden {
            findings.push(Finding::Hidden(what, kind.to_string()));
        }
        if end == Finding::Clean {
            let at = self.at;
            if let Some(appended) = after_end(self.src, at)? {
                findings.push(Finding::Appended(appended));
            }
        } else {
            findings.push(end);
        }
        if findings.is_empty() {
            findings.push(Finding::Clean);
        }
        Ok(findings)
    }
}

/// Walks the JPEG in `src`: segments to start-of-scan, the scan's data to
/// the next marker, on to `EOI`.
///
/// # Errors
/// Read errors.
pub fn walk_jpeg(src: &mut dyn Source) -> io::Result<Vec<Finding>> {
    let mut c = Cursor::new(src, 2);
    loop {
        // A marker: 0xFF (fill bytes repeat it), then its code.
        let Some(first) = c.byte()? else {
            return c.finish(Finding::Truncated, "JPEG");
        };
        if first != 0xFF {
            let at = c.at - 1;
            return c.finish(Finding::Corrupt(at), "JPEG");
        }
        let mut code = 0xFF;
        while code == 0xFF {
            match c.byte()? {
                Some(b) => code = b,
                None => return c.finish(Finding::Truncated, "JPEG"),
            }
        }
        match code {
            0xD9 => return c.finish(Finding::Clean, "JPEG"),
            // Markers with no length.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let (Some(hi), Some(lo)) = (c.byte()?, c.byte()?) else {
            return c.finish(Finding::Truncated, "JPEG");
        };
        let len = u16::from_be_bytes([hi, lo]);
        if len < 2 {
            let at = c.at - 2;
            return c.finish(Finding::Corrupt(at), "JPEG");
        }
        if !c.skip(u64::from(len - 2))? {
            return c.finish(Finding::Truncated, "JPEG");
        }
        if code == 0xDA {
            // The scan's entropy-coded data runs to a marker that is not a
            // stuffed 0xFF00 nor a restart.
            loop {
                let Some(b) = c.byte()? else {
                    return c.finish(Finding::Truncated, "JPEG");
                };
                if b != 0xFF {
                    continue;
                }
                let Some(next) = c.byte()? else {
                    return c.finish(Finding::Truncated, "JPEG");
                };
                if next == 0 || (0xD0..=0xD7).contains(&next) || next == 0xFF {
                    if next == 0xFF {
                        c.at -= 1;
                    }
                    continue;
                }
                c.at -= 2;
                break;
            }
        }
    }
}

/// Walks the GIF in `src`: the header, colour tables, extension and image
/// blocks with their sub-blocks, to the trailer `;`.
///
/// # Errors
/// Read errors.
pub fn walk_gif(src: &mut dyn Source) -> io::Result<Vec<Finding>> {
    let mut head = [0u8; 13];
    if src.read_at(0, &mut head)? < 13 {
        return Ok(vec![Finding::Truncated]);
    }
    let mut c = Cursor::new(src, 13);
    // A screen width of `/*` or `=1` starts a script: `GIF89a/*...*/=x`
    // and `GIF89a=1;/*...` run where a page loads them as one. Two
    // printable bytes with script punctuation are a width of 8,224 pixels
    // or more.
    let width = &head[6..8];
    // A space or tab before the punctuation (`GIF89a /*`) is JavaScript too.
    let script_header = width
        .iter()
        .all(|b| b.is_ascii_graphic() || matches!(b, b' ' | b'\t'))
        && width.iter().any(|b| b"/*=;(<!".contains(b));
    let table = |flags: u8| {
        if flags & 0x80 != 0 {
            3u64 << ((flags & 7) + 1)
        } else {
            0
        }
    };
    if !c.skip(table(head[10]))? {
        return c.finish(Finding::Truncated, "GIF");
    }
    let end = loop {
        match c.byte()? {
            None => break Finding::Truncated,
            Some(0x3B) => break Finding::Clean,
            Some(0x21) => {
                if c.byte()?.is_none() {
                    break Finding::Truncated;
                }
            }
            Some(0x2C) => {
                let mut descriptor = [0u8; 9];
                let mut short = false;
                for slot in &mut descriptor {
                    match c.byte()? {
                        Some(b) => *slot = b,
                        None => short = true,
                    }
                }
                // The local table, then the LZW code size.
                if short || !c.skip(table(descriptor[8]))? || c.byte()?.is_none() {
                    break Finding::Truncated;
                }
            }
            Some(_) => break Finding::Corrupt(c.at - 1),
        }
        // Sub-blocks: a size, that many bytes, until a size of 0.
        let mut ended = false;
        loop {
            match c.byte()? {
                None => {
                    ended = true;
                    break;
                }
                Some(0) => break,
                Some(n) => {
                    if !c.skip(u64::from(n))? {
                        ended = true;
                        break;
                    }
                }
            }
        }
        if ended {
            break Finding::Truncated;
        }
    };
    let mut findings = c.finish(end, "GIF")?;
    if script_header {
        findings.retain(|f| *f != Finding::Clean);
        findings.push(Finding::Hidden(
            "script punctuation in place of the screen width (GIF89a/*, GIF89a=1;/*)",
            "GIF".into(),
        ));
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
    fn jpeg_and_gif_structure() {
        // A minimal JPEG: SOI, a COM segment, SOS with two data bytes (one
        // a stuffed FF00), EOI.
        let jpeg = b"\xff\xd8\xff\xfe\x00\x05hi!\xff\xda\x00\x02\x12\xff\x00\x34\xff\xd9";
        assert_eq!(walk_jpeg(&mut Bytes(jpeg)).unwrap(), [Finding::Clean]);
        let cut = &jpeg[..jpeg.len() - 2];
        assert_eq!(walk_jpeg(&mut Bytes(cut)).unwrap(), [Finding::Truncated]);
        let upper = b"\xff\xd8\xff\xfe\x00\x0c<?PHP x();\xff\xd9";
        assert_eq!(
            walk_jpeg(&mut Bytes(upper)).unwrap(),
            [Finding::Hidden("PHP code", "JPEG".into())],
            "PHP's tags have no case"
        );
        let php = b"\xff\xd8\xff\xfe\x00\x0c<?php x();\xff\xd9";
        assert_eq!(
            walk_jpeg(&mut Bytes(php)).unwrap(),
            [Finding::Hidden("PHP code", "JPEG".into())]
        );
        let zip = [&jpeg[..], b"PK\x03\x04"].concat();
        assert_eq!(
            walk_jpeg(&mut Bytes(&zip)).unwrap(),
            [Finding::Appended(jpeg.len() as u64)]
        );
        // GIF89a 1x1, no table, one image with a 1-byte sub-block, trailer.
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x01\x44\x00\x3b";
        assert_eq!(walk_gif(&mut Bytes(gif)).unwrap(), [Finding::Clean]);
        let cut = &gif[..gif.len() - 3];
        assert_eq!(walk_gif(&mut Bytes(cut)).unwrap(), [Finding::Truncated]);
        let mut js = gif.to_vec();
        js[6..8].copy_from_slice(b"=1");
        let mut spaced = gif.to_vec();
        spaced[6..8].copy_from_slice(b" /");
        assert!(
            walk_gif(&mut Bytes(&spaced))
                .unwrap()
                .iter()
                .any(|f| matches!(f, Finding::Hidden(..))),
            "GIF89a /*"
        );
        assert!(matches!(
            walk_gif(&mut Bytes(&js)).unwrap()[..],
            [Finding::Hidden(..)]
        ));
        // A comment extension holding a script.
        let comment = [&gif[..13], b"\x21\xfe\x10<script>x()</sc>\x00", &gif[13..]].concat();
        assert_eq!(
            walk_gif(&mut Bytes(&comment)).unwrap(),
            [Finding::Hidden("a <script> element", "GIF".into())]
        );
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
        // Compressed text is inflated: zTXt, and iTXt with its flag set.
        let deflated = {
            use std::io::Write as _;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(b"<?php system($_GET[c]); ?>").unwrap();
            z.finish().unwrap()
        };
        let ztxt = chunk(b"zTXt", &[&b"Comment\0\0"[..], &deflated].concat());
        let found = walk(&png(&[ihdr.clone(), ztxt, idat.clone(), iend.clone()]));
        assert_eq!(found, [Finding::Hidden("PHP code", "zTXt".into())]);
        let itxt = chunk(
            b"iTXt",
            &[&b"Comment\0\x01\0en\0\0"[..], &deflated].concat(),
        );
        let found = walk(&png(&[ihdr.clone(), itxt, idat.clone(), iend.clone()]));
        assert_eq!(found, [Finding::Hidden("PHP code", "iTXt".into())]);
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
