//! What a file's bytes are: our own signatures where `infer` is silent or
//! too coarse, then `infer`, then the text sniffer; `application/
//! octet-stream` only when nothing fits.

use super::binary::{Bytes, Source};
use super::text;

/// The MIME type of an empty file (as `file` says it).
pub const EMPTY: &str = "inode/x-empty";

/// The type of data nothing recognised.
pub const UNKNOWN: &str = "application/octet-stream";

/// Bytes read from the start of every file.
pub const HEAD: usize = 8 * 1024;

/// Bytes read from the end of formats with an end marker (images).
pub const TAIL: usize = 4 * 1024;

/// Signatures checked before `infer`: (offset, magic, MIME type), each
/// with libmagic's name for the format.
const SIGNATURES: [(usize, &[u8], &str); 25] = [
    (0, b"wOF2", "font/woff2"),
    (0, b"wOFF", "font/woff"),
    (0, b"OTTO", "application/vnd.ms-opentype"),
    (0, b".snd", "audio/basic"),
    (0, b"v/1\x01", "image/x-exr"),
    (0, b"\xde\x12\x04\x95", "application/x-gettext-translation"),
    (0, b"\x95\x04\x12\xde", "application/x-gettext-translation"),
    (
        0,
        b"-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "application/pgp-keys",
    ),
    (0, b"\x00asm", "application/wasm"),
    (
        0,
        b"!<arch>\ndebian-binary",
        "application/vnd.debian.binary-package",
    ),
    (0, b"icns", "image/x-icns"),
    (0, b"\xfe\xed\xfe\xed", "application/x-java-keystore"),
    (0, b"ITSF\x03\x00\x00\x00", "application/vnd.ms-htmlhelp"),
    (0, b"PACK\x00\x00\x00\x02", "application/x-git"),
    (0, b"PACK\x00\x00\x00\x03", "application/x-git"),
    (0, b"JM\x01\x00PK\x03\x04", "application/x-java-jmod"),
    (0, b"GDBM", "application/x-gdbm"),
    (0, b"\x13\x57\x9a\xcd", "application/x-gdbm"),
    (0, b"\x13\x57\x9a\xce", "application/x-gdbm"),
    (0, b"\x13\x57\x9a\xcf", "application/x-gdbm"),
    (0, b"\xcd\x9a\x57\x13", "application/x-gdbm"),
    (0, b"\xce\x9a\x57\x13", "application/x-gdbm"),
    (0, b"\xcf\x9a\x57\x13", "application/x-gdbm"),
    (36, b"acsp", "application/vnd.iccprofile"),
    (0, b"/* XPM */", "image/x-xpixmap"),
];

/// The detected MIME type of a file whose first bytes are `head`
/// (`complete`: that is the whole file), reading past the head through
/// `src` where a format says where to look (a PE header, an ELF's dynamic
/// section).
///
/// # Errors
/// Read errors of `src`.
pub fn detect(head: &[u8], complete: bool, src: &mut dyn Source) -> std::io::Result<&'static str> {
    if head.is_empty() {
        return Ok(EMPTY);
    }
    // One byte is "very short file (no magic)" to libmagic: data.
    if head.len() == 1 && complete {
        return Ok(UNKNOWN);
    }
    if let Some(mime) = super::binary::program_type(head, src)? {
        return Ok(mime);
    }
    // libmagic's (and IANA's) name for ar archives, not infer's.
    Ok(match by_signature(head, complete) {
        "application/x-unix-archive" => "application/x-archive",
        "application/font-sfnt" => "font/sfnt",
        "audio/aiff" => "audio/x-aiff",
        other => other,
    })
}

/// `detect` on the head alone: what a stream's first bytes say.
pub fn mime_of(head: &[u8], complete: bool) -> &'static str {
    detect(head, complete, &mut Bytes(head)).unwrap_or(UNKNOWN)
}

/// Signatures, `infer`, and text: the types the head alone decides.
fn by_signature(head: &[u8], complete: bool) -> &'static str {
    for (offset, magic, mime) in SIGNATURES {
        if head.get(offset..offset + magic.len()) == Some(magic) {
            return mime;
        }
    }
    if let Some(mime) = packets(head) {
        return mime;
    }
    if let Some(kind) = infer::get(head) {
        // infer calls anything starting "MZ" a program; that was judged above.
        let weak_pe = kind.mime_type() == "application/vnd.microsoft.portable-executable";
        // infer's COFF is two bytes (`00 02` is "ia64"): judged below as
        // libmagic judges it, with the header's fields.
        let weak_coff = kind.mime_type() == "application/x-executable";
        // infer's magics of two to four bytes that text can start with
        // ("BMW parts", "ID3 tags", "SQLite notes", a PEM certificate):
        // text to libmagic, whose tests for these formats look further.
        let weak_in_text = WEAK_WHEN_TEXT.contains(&kind.mime_type()) && text::looks_text(head);
        let weak_sfnt = kind.mime_type() == "application/font-sfnt" && !is_sfnt(head);
        if kind.matcher_type() != infer::MatcherType::Text
            && !weak_pe
            && !weak_coff
            && !weak_in_text
            && !weak_sfnt
        {
            if kind.mime_type() == "application/zip" {
                return zip_flavour(head);
            }
            return kind.mime_type();
        }
    }
    if is_v7_tar(head) {
        return "application/x-tar";
    }
    if is_coff_object(head) {
        return "application/x-coff";
    }
    // libmagic's script tests are binary ones: a `#!` line makes a script
    // whatever follows (a self-extractor's archive).
    if head.starts_with(b"#!/") {
        if let Some(mime) = text::script_type(head) {
            return mime;
        }
    }
    text::sniff(head, complete)
        .or_else(|| weak_binary(head))
        .unwrap_or(UNKNOWN)
}

/// Python 2 bytecode magic numbers (1.5 to 2.7 and PyPy), as libmagic's
/// `python` lists them; each is followed by CR LF.
const PYTHON2: [u16; 37] = [
    20121, 50428, 50429, 50823, 50824, 60202, 60203, 60717, 60718, 62011, 62012, 62021, 62041,
    62051, 62061, 62071, 62081, 62091, 62092, 62101, 62111, 62121, 62131, 62151, 62161, 62171,
    62181, 62191, 62201, 62211, 62218, 62219, 62222, 62223, 62227, 62228, 62231,
];

/// Formats known by a small structure rather than one magic string:
/// CPython bytecode (a 16-bit version number, then CR LF), OpenPGP keys
/// (a public- or secret-key packet, version 4 or 5, in the old or the new
/// packet format), AIFF/AIFC, compiled terminfo, binary netpbm.
fn packets(head: &[u8]) -> Option<&'static str> {
    let le16 = |at: usize| {
        head.get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    if head.len() >= 8 && head[2..4] == *b"\r\n" {
        let magic = le16(0).unwrap_or_default();
        if (3000..4000).contains(&magic) || PYTHON2.contains(&magic) {
            return Some("application/x-bytecode.python");
        }
    }
    if let Some(&ctb) = head.first() {
        // Old format: 10tttt ll, the length in 1, 2 or 4 bytes.
        let old = ctb & 0xC0 == 0x80 && matches!((ctb >> 2) & 0xF, 5 | 6) && ctb & 3 != 3;
        let version_at = 1 + [1, 2, 4, 0][usize::from(ctb & 3)];
        let old_key = old && matches!(head.get(version_at), Some(4 | 5));
        // New format: 11tttttt, a one-byte length below 192.
        let new_key = matches!(ctb, 0xC5 | 0xC6)
            && head.get(1).is_some_and(|&l| l < 192)
            && matches!(head.get(2), Some(4 | 5));
        if old_key || new_key {
            return Some("application/pgp-keys");
        }
    }
    // A Type 1 font in PFB segments: 0x80 0x01, a length, the font's
    // PostScript header.
    if head.starts_with(b"\x80\x01")
        && head.get(6..).is_some_and(|rest| {
            rest.starts_with(b"%!PS-AdobeFont") || rest.starts_with(b"%!FontType1")
        })
    {
        return Some("font/x-postscript-pfb");
    }
    if head.starts_with(b"FORM") && matches!(head.get(8..12), Some(b"AIFF" | b"AIFC")) {
        return Some("audio/x-aiff");
    }
    // Compiled terminfo: the magic 0432 (0o1036 for 32-bit numbers), then
    // the names, which start with a letter or digit.
    if matches!(le16(0), Some(0o432 | 0o1036))
        && head.get(16).is_some_and(|&b| b > 32)
        && head.get(12).is_some_and(u8::is_ascii_alphanumeric)
        && head
            .get(13)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'.')
    {
        return Some(if le16(0) == Some(0o432) {
            "application/x-terminfo"
        } else {
            "application/x-terminfo2"
        });
    }
    if let [b'P', kind @ b'4'..=b'6', space, ..] = head {
        if b" \t\r\n".contains(space) {
            return Some(match kind {
                b'4' => "image/x-portable-bitmap",
                b'5' => "image/x-portable-greymap",
                _ => "image/x-portable-pixmap",
            });
        }
    }
    None
}

/// A tar header without the ustar magic (V7 tar): a file name, and the
/// checksum at 148 that is the sum of the header's bytes (the checksum
/// field counted as spaces), as libmagic's `is_tar` checks it.
fn is_v7_tar(head: &[u8]) -> bool {
    let Some(header) = head.get(..512) else {
        return false;
    };
    let field = &header[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ')
        .take_while(u8::is_ascii_digit)
        .collect();
    let Some(claimed) = std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| u32::from_str_radix(d, 8).ok())
    else {
        return false;
    };
    let sum: u32 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(b)
            }
        })
        .sum();
    header[0] != 0 && sum == claimed
}

/// Types whose `infer` magic is short enough to start a text file.
const WEAK_WHEN_TEXT: [&str; 10] = [
    "image/bmp",
    "audio/mpeg",
    "audio/ogg",
    "video/ogg",
    "application/ogg",
    "application/x-shockwave-flash",
    "application/vnd.ms-cab-compressed",
    "application/vnd.sqlite3",
    "image/vnd.adobe.photoshop",
    "application/x-x509-ca-cert",
];

/// A TrueType font's table directory, not only its version number
/// `00 01 00 00` (infer's test): 1 to 100 tables, and `searchRange` 16 times
/// the largest power of two at most the table count, as the format says.
fn is_sfnt(head: &[u8]) -> bool {
    let be16 = |at: usize| {
        head.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let (Some(tables), Some(search)) = (be16(4), be16(6)) else {
        return false;
    };
    (1..=100).contains(&tables) && u32::from(search) == 16 << tables.ilog2()
}

/// A COFF object file as libmagic's `display-coff` takes one: a machine
/// it names, flags without the bits no object has, 1 to 4206 sections, and
/// no `F_EXEC` (an executable COFF has no MIME type in libmagic).
fn is_coff_object(head: &[u8]) -> bool {
    let le16 = |at: usize| {
        head.get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let (Some(machine), Some(sections), Some(flags)) = (le16(0), le16(2), le16(18)) else {
        return false;
    };
    let known = matches!(
        machine,
        0x014C | 0x8664 | 0xAA64 | 0x01C0 | 0x01C2 | 0x01C4 | 0xA641 | 0x0500 | 0x0550
    ) || (machine == 0x0200 && head.get(20).is_some_and(|&b| b > 0x1F));
    known && flags & 0x8E80 == 0 && (1..4207).contains(&sections) && flags & 2 == 0
}

/// The last binary tests libmagic tries, weak ones: Targa images (a few
/// header fields in range), dBASE tables, TeX font metrics, zlib streams
/// (a valid two-byte header).
fn weak_binary(head: &[u8]) -> Option<&'static str> {
    if head.len() >= 18 {
        let tga = head[1] & 0xFE == 0
            && head[2] & 0xC4 == 0
            && head[7] & 0xC0 == 0
            && head[17] & 0xC0 != 0xC0
            && (1..34).contains(&head[2])
            && head[17] & 0x0F != 11
            && matches!(head[16], 1 | 8 | 15 | 16 | 24 | 32);
        if tga {
            return Some("image/x-tga");
        }
    }
    if head.len() >= 33 {
        let header_len = usize::from(u16::from_le_bytes([head[8], head[9]]));
        let record_len = u16::from_le_bytes([head[10], head[11]]);
        let dbf = matches!(
            head[0],
            0x02 | 0x03 | 0x30 | 0x31 | 0x43 | 0x63 | 0x83 | 0x8B | 0xCB | 0xF5 | 0xFB
        ) && (1..=12).contains(&head[2])
            && (1..=31).contains(&head[3])
            && header_len >= 33
            && record_len > 0
            && head.get(header_len - 1) == Some(&0x0D);
        if dbf {
            return Some("application/x-dbf");
        }
    }
    // TeX font metrics: a 16-bit header length of 17 or 18 words at 2.
    if matches!(head.get(2..4), Some(b"\x00\x11" | b"\x00\x12")) {
        return Some("application/x-tex-tfm");
    }
    if let [cmf, flg, ..] = *head {
        let zlib =
            cmf & 0x0F == 8 && cmf & 0x80 == 0 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0;
        if zlib {
            return Some("application/zlib");
        }
    }
    None
}

/// What a ZIP holds, from the entry names in its head: office documents
/// and Java archives are ZIPs whose first entries say what they are.
fn zip_flavour(head: &[u8]) -> &'static str {
    let has = |name: &[u8]| memchr::memmem::find(head, name).is_some();
    if has(b"[Content_Types].xml") || has(b"_rels/.rels") {
        if has(b"word/") {
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        }
        if has(b"xl/") {
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        }
        if has(b"ppt/") {
            return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
        }
    }
    if has(b"AndroidManifest.xml") {
        return "application/vnd.android.package-archive";
    }
    if has(b"META-INF/") {
        return "application/java-archive";
    }
    "application/zip"
}

/// Whether `mime` has an end marker that [`ends_cleanly`] checks.
pub fn has_end_marker(mime: &str) -> bool {
    ends_cleanly(mime, b"").is_some()
}

/// Formats whose end is marked, and whether `tail` (the file's last bytes)
/// ends there; `None` when the format has no marker to check.
pub fn ends_cleanly(mime: &str, tail: &[u8]) -> Option<bool> {
    // Trailing zero bytes are padding some writers add, not data.
    let end = tail.len() - tail.iter().rev().take_while(|&&b| b == 0).count();
    let tail = &tail[..end];
    match mime {
        "image/png" => Some(tail.ends_with(b"IEND\xAE\x42\x60\x82")),
        "image/jpeg" => Some(tail.ends_with(b"\xFF\xD9")),
        "image/gif" => Some(tail.ends_with(b"\x3B")),
        _ => None,
    }
}

/// What the bytes after an image's end look like, for the reason text.
pub fn describe_appended(tail: &[u8]) -> &'static str {
    if memchr::memmem::find(tail, b"PK\x05\x06").is_some() {
        "a ZIP archive"
    } else if memchr::memmem::find(tail, b"<?php").is_some()
        || memchr::memmem::find(tail, b"<script").is_some()
    {
        "script text"
    } else {
        "data"
    }
}

/// `text` with character references written as the ASCII characters they
/// stand for, as an HTML parser resolves them: numeric ones (`&#60;`,
/// `&#x3c;`, and without the `;`, `&#106avascript`), and the named ones
/// that spell markup or a URL scheme (`&lt;`, `&colon;`, `&Tab;`,
/// `&NewLine;`, ...).
fn resolve_references(text: &[u8]) -> Vec<u8> {
    const NAMED: [(&[u8], u8); 16] = [
        (b"lt", b'<'),
        (b"gt", b'>'),
        (b"amp", b'&'),
        (b"quot", b'"'),
        (b"apos", b'\''),
        (b"colon", b':'),
        (b"tab", b'\t'),
        (b"newline", b'\n'),
        (b"sol", b'/'),
        (b"lpar", b'('),
        (b"rpar", b')'),
        (b"equals", b'='),
        (b"period", b'.'),
        (b"comma", b','),
        (b"excl", b'!'),
        (b"num", b'#'),
    ];
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'&' {
            let rest = &text[i + 1..];
            if let Some((value, used)) = numeric_reference(rest) {
                if let Some(c) = u8::try_from(value).ok().filter(u8::is_ascii) {
                    out.push(c);
                    i += 1 + used;
                    continue;
                }
            } else if let Some(end) = rest.iter().take(10).position(|&b| b == b';') {
                let name = rest[..end].to_ascii_lowercase();
                if let Some((_, c)) = NAMED.iter().find(|(n, _)| *n == name.as_slice()) {
                    out.push(*c);
                    i += end + 2;
                    continue;
                }
            }
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

/// A numeric reference after its `&`: its value and the bytes it used
/// (`#`, digits, and a `;` if there is one).
fn numeric_reference(rest: &[u8]) -> Option<(u32, usize)> {
    let body = rest.strip_prefix(b"#")?;
    let (hex, digits_at) = match body.first() {
        Some(b'x' | b'X') => (true, 2),
        _ => (false, 1),
    };
    let digits = rest[digits_at..]
        .iter()
        .take(12)
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return None;
    }
    let text = std::str::from_utf8(&rest[digits_at..digits_at + digits]).ok()?;
    let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).ok()?;
    let end = digits_at + digits;
    let used = end + usize::from(rest.get(end) == Some(&b';'));
    Some((value, used))
}

/// `text` without its ISO-2022 designation sequences (`ESC ( B`, `ESC
/// $ B`, `ESC $ ( D`, ...), if it has any.
fn strip_iso2022_escapes(text: &[u8]) -> Option<Vec<u8>> {
    memchr::memchr(0x1B, text)?;
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == 0x1B {
            let len = match text.get(i + 1..i + 3) {
                Some([b'$', b'(' | b')']) => 4,
                Some([b'(' | b')' | b'$' | b'.' | b'-', _]) => 3,
                Some([b'N' | b'O', _]) => 2,
                _ => 1,
            };
            i += len;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    Some(out)
}

/// Markup in UTF-16 without a byte order mark, which an XML parser finds
/// by its first `<` (XML 1.0, appendix F): decoded.
pub fn utf16_markup_without_bom(head: &[u8]) -> Option<String> {
    let little = match head {
        [b'<', 0, c, 0, ..] if c.is_ascii_graphic() => true,
        [0, b'<', 0, c, ..] if c.is_ascii_graphic() => false,
        _ => return None,
    };
    let mut with_bom = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    with_bom.extend_from_slice(head);
    super::text::decode_utf16(&with_bom)
}

/// `text` with the internal general entities its DTD declares (`<!ENTITY
/// x "...">`) replaced by their values, as often as they nest (eight
/// rounds); `None` when that grows past 1 MiB.
fn expand_entities(text: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    const LIMIT: usize = 1 << 20;
    static DECL: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(
            r#"(?i-u)<!ENTITY\s+([A-Za-z_:][-A-Za-z0-9._:]*)\s+(?:"([^"]*)"|'([^']*)')"#,
        )
        .expect("a valid pattern")
    });
    let entities: Vec<(Vec<u8>, Vec<u8>)> = DECL
        .captures_iter(text)
        .map(|c| {
            let value = c
                .get(2)
                .or_else(|| c.get(3))
                .map_or(&b""[..], |m| m.as_bytes());
            ([b"&", &c[1], b";"].concat(), value.to_vec())
        })
        .collect();
    if entities.is_empty() {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let mut out = text.to_vec();
    for _ in 0..8 {
        let mut changed = false;
        for (name, value) in &entities {
            if memchr::memmem::find(&out, name).is_none() {
                continue;
            }
            let mut next = Vec::with_capacity(out.len());
            let mut rest = &out[..];
            while let Some(at) = memchr::memmem::find(rest, name) {
                next.extend_from_slice(&rest[..at]);
                next.extend_from_slice(value);
                rest = &rest[at + name.len()..];
                if next.len() > LIMIT {
                    return None;
                }
            }
            next.extend_from_slice(rest);
            out = next;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    Some(std::borrow::Cow::Owned(out))
}

/// Elements that run script or embed other documents, by their local name
/// whatever the namespace prefix (`<s:script>`, `<svg:foreignObject>`),
/// and the `<?xml-stylesheet` instruction (XSLT runs code). `lower` is
/// lowercased text.
fn active_element(lower: &[u8]) -> Option<&'static str> {
    // A style sheet that is CSS only styles; XSLT (or an untyped sheet,
    // which a browser may take as XSLT) runs.
    for at in memchr::memmem::find_iter(lower, b"<?xml-stylesheet") {
        let rest = &lower[at..];
        let pi = &rest[..memchr::memmem::find(rest, b"?>")
            .unwrap_or(rest.len())
            .min(1024)];
        let css = memchr::memmem::find(pi, b"text/css").is_some();
        if !css || memchr::memmem::find(pi, b"xsl").is_some() {
            return Some("has an <?xml-stylesheet?> instruction (XSLT)");
        }
    }
    for lt in memchr::memchr_iter(b'<', lower) {
        let rest = &lower[lt + 1..];
        let len = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'))
            .count();
        let name = &rest[..len];
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
        let reason = match local {
            b"script" => "contains a <script> element",
            b"handler" => "contains a <handler> element (SVG Tiny script)",
            b"foreignobject" => "contains a <foreignObject> element (HTML inside the SVG)",
            b"iframe" => "contains an <iframe> element",
            b"include" if name.contains(&b':') => "contains an XInclude <include> element",
            b"embed" => "contains an <embed> element",
            b"object" => "contains an <object> element",
            _ => continue,
        };
        return Some(reason);
    }
    None
}

/// Script in markup: `<script`, `javascript:` URLs, `on...=` handlers.
pub fn has_markup_script(text: &[u8]) -> Option<&'static str> {
    // What a browser reads: UTF-16 decoded, character references
    // (`&#60;script&#62;`, `&#106;avascript:`) resolved.
    let utf16 = super::text::decode_utf16(text).or_else(|| utf16_markup_without_bom(text));
    let text = utf16.as_deref().map_or(text, str::as_bytes);
    // ISO-2022 escape sequences (`ESC ( B`) decode to nothing: `<scr` ESC
    // `(B` `ipt>` is `<script>` to a browser that takes the page as
    // ISO-2022-JP.
    let unescaped = strip_iso2022_escapes(text);
    let text = unescaped.as_deref().unwrap_or(text);
    // The DTD's internal entities, expanded as the parser expands them.
    let Some(expanded) = expand_entities(text) else {
        return Some("has DTD entities that expand past 1 MiB (an entity bomb)");
    };
    let lower: Vec<u8> = resolve_references(&expanded)
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    if let Some(found) = active_element(&lower) {
        return Some(found);
    }
    // A URL's scheme with tabs and newlines in it is the same scheme to a
    // browser (`java\tscript:`).
    let squeezed: Vec<u8> = lower
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace() && *b >= 0x20)
        .collect();
    if memchr::memmem::find(&squeezed, b"javascript:").is_some() {
        return Some("contains a javascript: URL");
    }
    if memchr::memmem::find(&squeezed, b"data:text/html").is_some() {
        return Some("contains a data:text/html URL");
    }
    if memchr::memmem::find(&squeezed, b"data:image/svg+xml").is_some() {
        return Some("contains a data:image/svg+xml URL (an SVG that may hold script)");
    }
    // Handlers a DTD gives every element (`<!ATTLIST svg onload CDATA
    // "...">`) or an animation sets (`<set attributeName="onclick">`).
    static INDIRECT: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(
            r#"(?-u)<!attlist\s+\S+\s+on[a-z]{3,}\s|attributename\s*=\s*["']?\s*on[a-z]{3,}"#,
        )
        .expect("a valid pattern")
    });
    if INDIRECT.is_match(&lower) {
        return Some("sets an on... event handler through its DTD or an animation");
    }
    // An event handler attribute: whitespace, "on", letters, optional
    // spaces, "=".
    let handler = lower.windows(3).enumerate().any(|(i, w)| {
        (w[0].is_ascii_whitespace() || w[0] == b'/') && &w[1..] == b"on" && {
            let rest = &lower[i + 3..];
            let letters = rest.iter().take_while(|b| b.is_ascii_lowercase()).count();
            letters >= 3 && rest[letters..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'=')
        }
    });
    handler.then_some("has an on... event handler attribute")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_fallbacks() {
        assert_eq!(mime_of(b"", true), EMPTY);
        assert_eq!(
            mime_of(b"\xde\x12\x04\x95\0\0\0\0", true),
            "application/x-gettext-translation"
        );
        assert_eq!(mime_of(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", true), "image/png");
        assert_eq!(
            mime_of(b"MZ", true),
            "text/plain",
            "two letters are not a program"
        );
        assert_eq!(mime_of(b".TH LS 1\n", true), "text/troff");
        assert_eq!(mime_of(&[0x80, 0x81, 0x00, 0xff], true), UNKNOWN);
        // CPython 3.11 bytecode: magic 3495 (0x0DA7), CR LF, flags, ...
        let pyc = [
            0xa7, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0xd2, 0x91, 0x32, 0x64, 0x5e, 7, 0, 0,
        ];
        assert_eq!(mime_of(&pyc, true), "application/x-bytecode.python");
        // An old-format public-key packet (tag 6, two length bytes), v4.
        assert_eq!(
            mime_of(&[0x99, 0x02, 0x0d, 0x04, 0x4e, 0x97], true),
            "application/pgp-keys"
        );
        assert_eq!(mime_of(b"ab\r\nline two\r\n", true), "text/plain");
        // A shell wrapper that re-runs itself as Perl (file 5.44 on
        // /usr/bin/pamfixtrunc: text/x-perl).
        assert_eq!(
            mime_of(
                b"#!/bin/sh\nexec perl -x -S \"$0\"\n#!/usr/bin/perl\n",
                true
            ),
            "text/x-perl"
        );
        // Text that starts like a format with a short magic is text
        // (file 5.44: text/plain for each).
        for text in [
            &b"BMW parts list\n"[..],
            b"ID3 tags are read first.\n",
            b"SQLite notes\n",
            b"OggS is the page marker\n",
            b"FWS files\n",
            b"MSCF header\n",
            b"8BPS layers\n",
        ] {
            assert_eq!(mime_of(text, true), "text/plain", "{text:?}");
        }
        // A TrueType font by its table directory; an icon cache that
        // starts 00 01 00 00 00 is none.
        let mut ttf = b"\x00\x01\x00\x00\x00\x0a\x00\x80\x00\x03\x00\x20".to_vec();
        ttf.resize(64, 0);
        assert_eq!(mime_of(&ttf, true), "font/sfnt");
        let mut cache = b"\x00\x01\x00\x00\x00\x00\x00\x0c\x00\x00\x01\x1c".to_vec();
        cache.resize(64, 0);
        assert_eq!(mime_of(&cache, true), UNKNOWN);
        // COFF objects by their header (file: application/x-coff); two
        // bytes that only look like a machine number are none.
        let mut coff = vec![0x4c, 0x01, 0x01, 0x00];
        coff.resize(20, 0);
        coff.extend(b".rsrc\0\0\0");
        assert_eq!(mime_of(&coff, true), "application/x-coff");
        assert_eq!(
            mime_of(&[0x00, 0x02, 0xff, 0xfe, 0x80, 0x81], true),
            UNKNOWN
        );
        // ar archives by libmagic's name (infer says x-unix-archive).
        assert_eq!(
            mime_of(b"!<arch>\nfoo.o/          0", true),
            "application/x-archive"
        );
        // Python without #!, by its statements (file: text/x-script.python).
        for py in [
            &b"# c\nfrom collections import abc\n"[..],
            b"x = 1\n\ndef main(argv):\n    pass\n",
            b"class Thing(object):\n    pass\n",
        ] {
            assert_eq!(mime_of(py, true), "text/x-script.python", "{py:?}");
        }
        // C by its #include lines (file: text/x-c).
        assert_eq!(
            mime_of(b"/* x */\n#include <stdio.h>\nint x;\n", true),
            "text/x-c"
        );
        assert_eq!(mime_of(b"#include \"a.h\"\n", true), "text/x-c");
        for text in [
            &b"Please import the data first.\n"[..],
            b"Add #include <x> to your file.\n",
            b"The class we teach: how to def(end)\n",
            b"import\n",
            // file 5.44: text/plain; a bare `import os` is none of its
            // Python tests (`import a as b` and `from a import b` are).
            b"\"\"\"Doc.\"\"\"\nimport os\n",
            // Found by the sniff fuzz target: these once panicked.
            b"def",
            b"class",
            b"  def\n",
        ] {
            assert_eq!(mime_of(text, true), "text/plain", "{text:?}");
        }
    }

    #[test]
    fn end_markers_and_markup_script() {
        assert_eq!(ends_cleanly("image/jpeg", b"..\xFF\xD9"), Some(true));
        assert_eq!(ends_cleanly("image/jpeg", b"..\xFF\xD9\0\0"), Some(true));
        assert_eq!(
            ends_cleanly("image/jpeg", b"\xFF\xD9PK\x05\x06"),
            Some(false)
        );
        assert_eq!(ends_cleanly("application/pdf", b"x"), None);
        assert!(has_markup_script(b"<svg><SCRIPT>alert(1)</SCRIPT></svg>").is_some());
        assert!(has_markup_script(b"<svg onload =\"x()\">").is_some());
        assert!(has_markup_script(b"<a href=\"JavaScript:x\">").is_some());
        assert!(has_markup_script(b"<svg><text>one = two, on = off</text></svg>").is_none());
        // An entity bomb (each level ten of the one below) is refused.
        let mut bomb = b"<!DOCTYPE svg [<!ENTITY l0 \"xxxxxxxxxxxxxxxx\">".to_vec();
        for level in 1..8 {
            let refs = format!("&l{};", level - 1).repeat(10);
            bomb.extend(format!("<!ENTITY l{level} \"{refs}\">").bytes());
        }
        bomb.extend(b"]><svg>&l7;</svg>");
        assert!(has_markup_script(&bomb).is_some_and(|r| r.contains("entity bomb")));
        // UTF-16 without a byte order mark, either order.
        let svg = "<svg><script>alert(1)</script></svg>";
        let le: Vec<u8> = svg.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = svg.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(has_markup_script(&le).is_some() && has_markup_script(&be).is_some());
        // A CSS style sheet only styles.
        assert!(has_markup_script(
            b"<?xml version=\"1.0\"?><?xml-stylesheet type=\"text/css\" href=\"feed.css\"?><rss/>"
        )
        .is_none());
        // Names that only start like one.
        assert!(has_markup_script(b"<svg><scripts/><objects/><embedded/></svg>").is_none());
        // Issue 15, found by the attacker: what the browser decodes first.
        let utf16: Vec<u8> = "\u{feff}<svg><script>alert(1)</script></svg>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(has_markup_script(&utf16).is_some(), "UTF-16");
        for hidden in [
            &b"<!DOCTYPE svg [<!ENTITY x \"&#60;script&#62;alert(1)&#60;/script&#62;\">]><svg>&x;</svg>"[..],
            b"<a xlink:href=\"&#106;avascript:alert(1)\">",
            b"<a href=\"java\tscript:alert(1)\">",
            b"<a href=\"java&#x09;script:alert(1)\">",
            b"<embed src=\"data:text/html,<b>\"/>",
            // From the attacker: HTML5 named and unterminated references,
            // DTD and animation handlers, nested SVG, XInclude.
            b"<a href=\"javascript&colon;alert(1)\">x</a>",
            b"<a href=\"java&Tab;script:alert(1)\">x</a>",
            b"<a href=\"java&NewLine;script:alert(1)\">x</a>",
            b"<a href=\"&#106avascript:alert(1)\">x</a>",
            b"<!DOCTYPE svg [<!ATTLIST svg onload CDATA \"alert(1)\">]><svg/>",
            b"<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>",
            b"<svg><use href=\"data:image/svg+xml;base64,PHN2Zz4=\"/></svg>",
            b"<svg xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"x\"/></svg>",
            // Second attacker round: ISO-2022-JP escapes inside a name.
            b"<meta charset=\"ISO-2022-JP\"><scr\x1b(Bipt>alert(1)</scr\x1b(Bipt>",
            b"<meta charset=\"ISO-2022-JP\"><img src=x on\x1b(Berror=alert(1)>",
            // Issue 15: by local name, whatever the prefix, and the
            // elements that embed documents.
            b"<svg xmlns:s=\"http://www.w3.org/2000/svg\"><s:script>alert(1)</s:script></svg>",
            b"<svg><foreignObject><body>x</body></foreignObject></svg>",
            b"<svg><iframe srcdoc=\"x\"></iframe></svg>",
            b"<svg><object data=\"x.html\"/></svg>",
            b"<svg><EMBED src=\"x.swf\"/></svg>",
            b"<?xml version=\"1.0\"?><?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><svg/>",
            // Entities that build the element only when expanded.
            b"<!DOCTYPE svg [<!ENTITY a \"&lt;scr\"><!ENTITY b 'ipt&gt;alert(1)'>]><svg>&a;&b;</svg>",
            b"<!DOCTYPE svg [<!ENTITY a \"&b;&b;\"><!ENTITY b \"java\"><!ENTITY c \"&b;script:\">]><svg><a href=\"&c;x\"/></svg>",
        ] {
            assert!(has_markup_script(hidden).is_some(), "{hidden:?}");
        }
    }
}
