//! The gzip member header (RFC 1952 §2.3), parsed from attacker-controlled
//! bytes: every length is checked against what is there, text fields are
//! capped at [`MAX_FIELD_BYTES`], and FHCRC is verified.

/// Longest FNAME, FCOMMENT or FEXTRA accepted.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

const FTEXT: u8 = 1;
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;
const RESERVED: u8 = 0xe0;
/// The deflate compression method, the only one defined.
const CM_DEFLATE: u8 = 8;

/// What a member header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Modification time (Unix seconds; 0: none).
    pub mtime: u32,
    /// The stored file name (FNAME), bytes as stored; never trust it as a path.
    pub name: Option<Vec<u8>>,
    /// The comment (FCOMMENT).
    pub comment: Option<Vec<u8>>,
    /// The operating system byte.
    pub os: u8,
    /// The FTEXT hint.
    pub text: bool,
}

/// Why a header was refused, and where (offset within the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    /// What is wrong.
    pub what: &'static str,
    /// Offset from the start of the member.
    pub offset: usize,
}

fn bad(what: &'static str, offset: usize) -> HeaderError {
    HeaderError { what, offset }
}

/// Parses the header at the start of `buf`: `Ok(None)` when more bytes are
/// needed, else the header and its length.
///
/// # Errors
/// Not gzip, an unknown method, reserved flags, an over-long field, or a
/// header CRC that does not match.
pub fn parse(buf: &[u8]) -> Result<Option<(Header, usize)>, HeaderError> {
    if buf.len() >= 2 && buf[..2] != [0x1f, 0x8b] || buf.len() == 1 && buf[0] != 0x1f {
        return Err(bad("not gzip data (bad magic)", 0));
    }
    if buf.len() < 10 {
        return Ok(None);
    }
    if buf[2] != CM_DEFLATE {
        return Err(bad("unknown compression method", 2));
    }
    let flags = buf[3];
    if flags & RESERVED != 0 {
        return Err(bad("reserved header flags are set", 3));
    }
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let Some(len) = buf.get(at..at + 2) else {
            return Ok(None);
        };
        let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
        at += 2 + len;
        if buf.len() < at {
            return Ok(None);
        }
    }
    let text_field = |at: &mut usize| -> Result<Option<Option<Vec<u8>>>, HeaderError> {
        let rest = &buf[*at..];
        match rest.iter().position(|&b| b == 0) {
            Some(n) if n > MAX_FIELD_BYTES => Err(bad("header text field is too long", *at)),
            Some(n) => {
                let field = rest[..n].to_vec();
                *at += n + 1;
                Ok(Some(Some(field)))
            }
            None if rest.len() > MAX_FIELD_BYTES => Err(bad("header text field is too long", *at)),
            None => Ok(None),
        }
    };
    let name = if flags & FNAME != 0 {
        match text_field(&mut at)? {
            Some(name) => name,
            None => return Ok(None),
        }
    } else {
        None
    };
    let comment = if flags & FCOMMENT != 0 {
        match text_field(&mut at)? {
            Some(comment) => comment,
            None => return Ok(None),
        }
    } else {
        None
    };
    if flags & FHCRC != 0 {
        let Some(stored) = buf.get(at..at + 2) else {
            return Ok(None);
        };
        let crc = crc32fast::hash(&buf[..at]).to_le_bytes();
        if stored != &crc[..2] {
            return Err(bad("header CRC does not match", at));
        }
        at += 2;
    }
    let header = Header {
        mtime: u32::from_le_bytes(buf[4..8].try_into().expect("4 bytes")),
        name,
        comment,
        os: buf[9],
        text: flags & FTEXT != 0,
    };
    Ok(Some((header, at)))
}

/// The header binkit writes: deflate, the given name (FNAME) and time,
/// XFL from the level and OS 255 ("unknown"), as flate2's `GzBuilder`
/// writes it, so one- and many-thread output start alike.
pub fn member_header(level: u32, name: Option<&[u8]>, mtime: u32) -> Vec<u8> {
    let xfl = match level {
        9.. => 2,
        ..=1 => 4,
        _ => 0,
    };
    let flags = if name.is_some() { FNAME } else { 0 };
    let mut header = vec![0x1f, 0x8b, CM_DEFLATE, flags];
    header.extend_from_slice(&mtime.to_le_bytes());
    header.extend_from_slice(&[xfl, 255]);
    if let Some(name) = name {
        header.extend(name.iter().copied().filter(|&b| b != 0));
        header.push(0);
    }
    header
}

/// Writes the member trailer: CRC-32, then ISIZE, the length modulo 2^32
/// (RFC 1952).
///
/// # Errors
/// The writer's.
pub fn write_trailer(out: &mut dyn std::io::Write, crc: u32, length: u64) -> std::io::Result<()> {
    #[allow(clippy::cast_possible_truncation)] // modulo 2^32 is the format
    let isize = length as u32;
    out.write_all(&crc.to_le_bytes())?;
    out.write_all(&isize.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_and_full_headers() {
        let plain = [0x1f, 0x8b, 8, 0, 1, 0, 0, 0, 0, 3];
        let (h, len) = parse(&plain).unwrap().unwrap();
        assert_eq!((h.mtime, h.os, len, h.name), (1, 3, 10, None));
        let mut full = vec![
            0x1f,
            0x8b,
            8,
            FEXTRA | FNAME | FCOMMENT | FHCRC,
            0,
            0,
            0,
            0,
            0,
            255,
        ];
        full.extend_from_slice(&[3, 0, b'a', b'b', b'c']);
        full.extend_from_slice(b"name.txt\0hi\0");
        let crc = crc32fast::hash(&full).to_le_bytes();
        full.extend_from_slice(&crc[..2]);
        let (h, len) = parse(&full).unwrap().unwrap();
        assert_eq!(len, full.len());
        assert_eq!(h.name.as_deref(), Some(&b"name.txt"[..]));
        assert_eq!(h.comment.as_deref(), Some(&b"hi"[..]));
        // Every shorter prefix asks for more.
        for cut in 0..full.len() {
            assert_eq!(parse(&full[..cut]), Ok(None), "cut={cut}");
        }
        let mut wrong = full.clone();
        *wrong.last_mut().unwrap() ^= 1;
        assert_eq!(parse(&wrong).unwrap_err().what, "header CRC does not match");
    }

    #[test]
    fn written_headers_parse_back() {
        let plain = member_header(6, None, 0);
        assert_eq!(plain, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        let named = member_header(9, Some(b"a.txt"), 0x0102_0304);
        let (h, len) = parse(&named).unwrap().unwrap();
        assert_eq!(len, named.len());
        assert_eq!(
            (h.name.as_deref(), h.mtime),
            (Some(&b"a.txt"[..]), 0x0102_0304)
        );
        assert_eq!(named[8], 2, "XFL 2: slowest compression");
    }

    #[test]
    fn hostile_headers_are_refused() {
        assert!(parse(b"PK\x03\x04").is_err());
        assert_eq!(
            parse(&[0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 0])
                .unwrap_err()
                .offset,
            2
        );
        assert_eq!(
            parse(&[0x1f, 0x8b, 8, 0x20, 0, 0, 0, 0, 0, 0])
                .unwrap_err()
                .offset,
            3
        );
        let mut endless = vec![0x1f, 0x8b, 8, FNAME, 0, 0, 0, 0, 0, 0];
        endless.extend(std::iter::repeat_n(b'a', MAX_FIELD_BYTES + 1));
        assert_eq!(
            parse(&endless).unwrap_err().what,
            "header text field is too long"
        );
        // A huge FEXTRA claim only waits for bytes; it allocates nothing.
        let claim = [0x1f, 0x8b, 8, FEXTRA, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
        assert_eq!(parse(&claim), Ok(None));
    }
}
