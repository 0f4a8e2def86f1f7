//! What containers hold: a ZIP's entries by its central directory (what
//! unzip and office suites read), a PDF's actions and scripts by its names
//! (also inside compressed streams).

use std::io::{self, Read};

use super::binary::Source;

/// What a check found: its flag and reason.
pub type Finding = (&'static str, String);

/// At most this much of a PDF is read, raw, for its names; a larger one
/// is `not-fully-scanned`.
pub const PDF_LIMIT: u64 = 64 << 20;

/// At most this much is inflated from one PDF stream, and from all of a
/// PDF's streams together.
const PDF_STREAM_LIMIT: u64 = 4 << 20;
const PDF_INFLATE_LIMIT: u64 = 64 << 20;

/// PDF names that run something or act by themselves: (name, flag, what).
const PDF_NAMES: [(&[u8], &str, &str); 8] = [
    (b"JavaScript", "script", "JavaScript"),
    (b"JS", "script", "JavaScript (/JS)"),
    (b"Launch", "launch", "a /Launch action (runs a program)"),
    (b"EmbeddedFile", "embedded-file", "an embedded file"),
    (b"EmbeddedFiles", "embedded-file", "embedded files"),
    (b"AA", "auto-action", "actions run on events (/AA)"),
    (b"RichMedia", "embedded-file", "rich media (Flash or video)"),
    (b"XFA", "script", "an XFA form (which runs scripts)"),
];

/// The flags of a PDF: script, launch actions, embedded files, actions
/// that run on opening (`/OpenAction` with an action, not just a page to
/// show), found in its bytes and in its Flate object streams. PDF names are
/// compared after their `#xx` escapes are decoded (`/J#61vaScript`).
///
/// # Errors
/// Read errors of `src`.
pub fn pdf_findings(src: &mut dyn Source) -> io::Result<Vec<Finding>> {
    let mut found = Vec::new();
    let mut at = 0u64;
    let mut inflated = 0u64;
    // Chunks overlap so that a name or a stream's start across a chunk
    // boundary is seen whole.
    // The source's scan step (a stream's is small enough for its window of
    // what it read last, at least 64 KiB behind its end, so that stdin is
    // read as far as a file is). What is found does not depend on it: a
    // stream's dictionary that starts in the chunk before is read whole.
    let chunk_size = src.scan_chunk();
    const OVERLAP: usize = 4096;
    let cap = src.known_size().map_or(chunk_size + OVERLAP, |size| {
        (chunk_size + OVERLAP).min(usize::try_from(size).unwrap_or(usize::MAX).max(64 * 1024))
    });
    let mut buf = vec![0; cap];
    loop {
        if at >= PDF_LIMIT {
            found.push((
                "not-fully-scanned",
                format!(
                    "only the first {} MiB of the PDF were scanned",
                    PDF_LIMIT >> 20
                ),
            ));
            break;
        }
        let n = src.read_at(at, &mut buf)?;
        let chunk = &buf[..n];
        scan_pdf_names(chunk, &mut found);
        // Flate streams that start in this chunk (not in its overlap).
        let own = n.min(chunk_size);
        for start in memchr::memmem::find_iter(chunk, b"stream").filter(|&i| i < own) {
            let dict_from = start.saturating_sub(1024);
            // A dictionary that began in the chunk before: its 1 KiB read
            // from the source, as if the chunk had started earlier.
            let before;
            let dict: &[u8] = if start < 1024 && at > 0 {
                let from = (at + start as u64).saturating_sub(1024);
                let mut head = vec![0; usize::try_from(at + start as u64 - from).unwrap_or(0)];
                let got = src.read_at(from, &mut head)?;
                head.truncate(got);
                before = head;
                &before
            } else {
                &chunk[dict_from..start]
            };
            // Only object streams hide dictionaries (and their names) in
            // compressed bytes; a page's content stream holds drawing
            // operators, and a script's or a file's stream is named by
            // its uncompressed dictionary, found above.
            let object_stream = memchr::memmem::find(dict, b"ObjStm").is_some()
                || memchr::memmem::find(dict, b"Obj#53tm").is_some();
            if !object_stream || chunk[..start].ends_with(b"end") {
                continue;
            }
            let mut data = start + 6;
            if chunk.get(data) == Some(&b'\r') {
                data += 1;
            }
            if chunk.get(data) == Some(&b'\n') {
                data += 1;
            }
            if inflated >= PDF_INFLATE_LIMIT {
                break;
            }
            let filters = stream_filters(dict);
            let text = decode_stream(src, at + data as u64, &filters)?;
            inflated += text.len() as u64;
            scan_pdf_names(&text, &mut found);
        }
        if n < chunk_size + OVERLAP {
            // The end, unless a stream could not give back what an object
            // stream's inflation read past: then what was not scanned is
            // said (fail closed), never passed over.
            let scanned = at + n as u64;
            if src.size()?.is_some_and(|size| size > scanned) {
                found.push((
                    "not-fully-scanned",
                    format!("the PDF was scanned to byte {scanned} only"),
                ));
            }
            break;
        }
        at += chunk_size as u64;
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(f.clone()));
    Ok(found)
}

/// A PDF stream filter binkit decodes to see the names inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Flate,
    AsciiHex,
    Ascii85,
}

/// The filters a stream dictionary names (`/Filter /FlateDecode`, or an
/// array of them, in the order they are undone), the abbreviated names
/// too; `None` for one binkit does not decode.
fn stream_filters(dict: &[u8]) -> Vec<Option<Filter>> {
    let Some(at) = memchr::memmem::rfind(dict, b"/Filter") else {
        return Vec::new();
    };
    let rest = &dict[at + 7..];
    let rest = rest.trim_ascii_start();
    let list = if rest.starts_with(b"[") {
        &rest[1..rest.iter().position(|&b| b == b']').unwrap_or(rest.len())]
    } else {
        let end = rest[1.min(rest.len())..]
            .iter()
            .position(|&b| is_pdf_delimiter(b))
            .map_or(rest.len(), |e| e + 1);
        &rest[..end]
    };
    list.split(|&b| b == b'/')
        .map(<[u8]>::trim_ascii)
        .filter(|name| !name.is_empty())
        .map(|name| match decode_pdf_name(name).as_slice() {
            b"FlateDecode" | b"Fl" => Some(Filter::Flate),
            b"ASCIIHexDecode" | b"AHx" => Some(Filter::AsciiHex),
            b"ASCII85Decode" | b"A85" => Some(Filter::Ascii85),
            _ => None,
        })
        .collect()
}

/// The stream at `offset` of `src` with `filters` undone: its raw bytes
/// to `endstream` (at most [`PDF_STREAM_LIMIT`]), each filter's output
/// at most that too. A filter binkit does not decode ends the decoding;
/// what came before is still scanned (an unfiltered stream is scanned as
/// it is).
fn decode_stream(
    src: &mut dyn Source,
    offset: u64,
    filters: &[Option<Filter>],
) -> io::Result<Vec<u8>> {
    let mut raw = super::binary::read_at(src, offset, PDF_STREAM_LIMIT as usize)?;
    if let Some(end) = memchr::memmem::find(&raw, b"endstream") {
        raw.truncate(end);
    }
    let mut data = raw;
    for filter in filters {
        data = match filter {
            Some(Filter::Flate) => {
                let mut out = Vec::new();
                // A corrupt stream ends the inflation; what came before
                // still counts.
                let _ = flate2::read::ZlibDecoder::new(&data[..])
                    .take(PDF_STREAM_LIMIT)
                    .read_to_end(&mut out);
                out
            }
            Some(Filter::AsciiHex) => ascii_hex(&data),
            Some(Filter::Ascii85) => ascii85(&data),
            None => break,
        };
    }
    Ok(data)
}

/// ASCIIHexDecode: hex digit pairs, white space ignored, to `>`.
fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = data
        .iter()
        .copied()
        .take_while(|&b| b != b'>')
        .filter_map(|b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0))
        .collect()
}

/// ASCII85Decode: groups of five base-85 digits (`!`..`u`) to four bytes,
/// `z` for four zeros, white space ignored, to `~>`.
fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut group = [0u8; 5];
    let mut len = 0;
    let data = data.strip_prefix(b"<~").unwrap_or(data);
    for &b in data {
        match b {
            b'~' => break,
            b'z' if len == 0 => out.extend([0; 4]),
            b'!'..=b'u' => {
                group[len] = b - b'!';
                len += 1;
                if len == 5 {
                    let v = group.iter().fold(0u64, |v, &d| v * 85 + u64::from(d));
                    out.extend(&(v as u32).to_be_bytes());
                    len = 0;
                }
            }
            _ => {}
        }
    }
    if len > 1 {
        for d in &mut group[len..] {
            *d = 84;
        }
        let v = group.iter().fold(0u64, |v, &d| v * 85 + u64::from(d));
        out.extend(&(v as u32).to_be_bytes()[..len - 1]);
    }
    out
}

/// The PDF names of `text` that are in [`PDF_NAMES`], and `/OpenAction`
/// with an action dictionary.
fn scan_pdf_names(text: &[u8], found: &mut Vec<Finding>) {
    // A link or an action whose URI is script.
    let lower = text.to_ascii_lowercase();
    if memchr::memmem::find(&lower, b"javascript:").is_some() {
        found.push(("script", "the PDF holds a javascript: URI".into()));
    }
    for slash in memchr::memchr_iter(b'/', text) {
        let raw: &[u8] = {
            let rest = &text[slash + 1..];
            let end = rest
                .iter()
                .position(|&b| is_pdf_delimiter(b))
                .unwrap_or(rest.len());
            &rest[..end.min(64)]
        };
        if raw.is_empty() {
            continue;
        }
        let name = decode_pdf_name(raw);
        if name == b"OpenAction" {
            // An action dictionary runs on opening; a destination array
            // (`[3 0 R /Fit]`) only shows a page, and a reference points to
            // either (an action it points to that runs code is flagged by
            // its own /JS or /Launch).
            let after = text[slash + 1 + raw.len()..].trim_ascii_start();
            if after.starts_with(b"<<") {
                found.push((
                    "auto-action",
                    "an action runs when the PDF is opened (/OpenAction)".into(),
                ));
            }
            continue;
        }
        if let Some((_, flag, what)) = PDF_NAMES.iter().find(|(n, ..)| *n == name.as_slice()) {
            found.push((flag, format!("the PDF holds {what}")));
        }
    }
}

/// PDF's white-space and delimiter characters, which end a name.
fn is_pdf_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\0()<>[]{}/%".contains(&b)
}

/// A PDF name with its `#xx` escapes decoded.
fn decode_pdf_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#' {
            let hex = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// A ZIP's entry names, from the central directory its end record points
/// to; `None` when there is no readable end record. At most
/// [`CENTRAL_LIMIT`] bytes of directory are read; `Some((names, false))`
/// when it was larger.
pub fn zip_names(src: &mut dyn Source) -> io::Result<Option<(Vec<Vec<u8>>, bool)>> {
    const REACH: u64 = 65_535 + 22;
    let Some(size) = src.size()? else {
        return Ok(None);
    };
    let tail_at = size - size.min(REACH);
    let mut tail = vec![0; (size - tail_at) as usize];
    let n = src.read_at(tail_at, &mut tail)?;
    tail.truncate(n);
    let le = |b: &[u8], at: usize, n: usize| {
        b.get(at..at + n)
            .map(|b| b.iter().rev().fold(0u64, |v, &x| v << 8 | u64::from(x)))
    };
    let Some(record) = memchr::memmem::rfind(&tail, b"PK\x05\x06") else {
        return Ok(None);
    };
    let (Some(cd_size), Some(cd_at)) = (le(&tail, record + 12, 4), le(&tail, record + 16, 4))
    else {
        return Ok(None);
    };
    let whole = cd_size <= CENTRAL_LIMIT;
    // No more than the file holds before the end record (the size is the
    // archive's claim).
    let mut dir = vec![0; cd_size.min(CENTRAL_LIMIT).min(size) as usize];
    let n = src.read_at(cd_at, &mut dir)?;
    dir.truncate(n);
    let mut names = Vec::new();
    let mut i = 0;
    while dir.get(i..i + 4) == Some(b"PK\x01\x02") {
        let (Some(name_len), Some(extra), Some(comment)) = (
            le(&dir, i + 28, 2),
            le(&dir, i + 30, 2),
            le(&dir, i + 32, 2),
        ) else {
            break;
        };
        let name_at = i + 46;
        let Some(name) = dir.get(name_at..name_at + name_len as usize) else {
            break;
        };
        names.push(name.to_vec());
        // The Info-ZIP Unicode Path field (0x7075) names the entry for
        // unzip and 7-Zip whatever the plain name says: judged too.
        let extra_at = name_at + name_len as usize;
        if let Some(fields) = dir.get(extra_at..extra_at + extra as usize) {
            let mut f = 0;
            while let (Some(id), Some(len)) = (le(fields, f, 2), le(fields, f + 2, 2)) {
                if let (0x7075, Some(body)) = (id, fields.get(f + 4..f + 4 + len as usize)) {
                    if body.len() > 5 {
                        names.push(body[5..].to_vec());
                    }
                }
                f += 4 + len as usize;
            }
        }
        i = name_at + (name_len + extra + comment) as usize;
    }
    let complete = whole && n as u64 == cd_size;
    Ok(Some((names, complete)))
}

/// The most central directory read: 16 MiB (some 200,000 entries).
pub const CENTRAL_LIMIT: u64 = 16 << 20;

/// Entry extensions that run when opened on some system.
const RUNNABLE: [&str; 22] = [
    "exe", "dll", "scr", "com", "pif", "msi", "cpl", "sys", "vbs", "vbe", "js", "jse", "wsf",
    "wsh", "hta", "bat", "cmd", "ps1", "lnk", "jar", "elf", "sh",
];

/// What a ZIP's entry names say: its flavour (a JAR by its manifest, an
/// APK by its Android manifest and code, OOXML and ODF) and its risks
/// (programs and scripts inside, VBA macros, paths that climb out).
pub fn zip_findings(names: &[Vec<u8>]) -> (Option<&'static str>, Vec<Finding>) {
    let has = |want: &[u8]| names.iter().any(|n| n.as_slice() == want);
    let flavour = if has(b"AndroidManifest.xml") && has(b"classes.dex") {
        Some("application/vnd.android.package-archive")
    } else if has(b"[Content_Types].xml") {
        let under = |dir: &[u8]| names.iter().any(|n| n.starts_with(dir));
        if under(b"word/") {
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        } else if under(b"xl/") {
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        } else if under(b"ppt/") {
            Some("application/vnd.openxmlformats-officedocument.presentationml.presentation")
        } else {
            None
        }
    } else if has(b"META-INF/MANIFEST.MF") && !has(b"mimetype") {
        Some("application/java-archive")
    } else {
        None
    };
    let mut found = Vec::new();
    for name in names {
        let shown = crate::messages::printable_str(&String::from_utf8_lossy(name));
        let base = name
            .rsplit(|&b| b == b'/' || b == b'\\')
            .next()
            .unwrap_or(name);
        // Windows drops trailing dots and spaces: `evil.exe.` is evil.exe.
        let base = &base[..base.len()
            - base
                .iter()
                .rev()
                .take_while(|&&b| b == b'.' || b == b' ')
                .count()];
        let ext = base
            .iter()
            .rposition(|&b| b == b'.')
            .map(|dot| base[dot + 1..].to_ascii_lowercase());
        if ext.is_some_and(|e| RUNNABLE.iter().any(|r| r.as_bytes() == e.as_slice())) {
            found.push(("executable", format!("the archive holds {shown}")));
        }
        if base.eq_ignore_ascii_case(b"vbaProject.bin") {
            found.push(("macro", format!("the document holds VBA macros ({shown})")));
        }
        let climbs = name.starts_with(b"/")
            || name.starts_with(b"\\")
            || name.get(1) == Some(&b':')
            || name
                .split(|&b| b == b'/' || b == b'\\')
                .any(|part| part == b"..");
        if climbs {
            found.push((
                "path-traversal",
                format!("an entry's path leaves the folder it is extracted to: {shown}"),
            ));
        }
    }
    (flavour, found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sniff::binary::Bytes;

    fn flags(pdf: &[u8]) -> Vec<&'static str> {
        let mut f: Vec<_> = pdf_findings(&mut Bytes(pdf))
            .unwrap()
            .into_iter()
            .map(|(flag, _)| flag)
            .collect();
        f.sort_unstable();
        f.dedup();
        f
    }

    #[test]
    fn pdf_actions_and_scripts_by_their_names() {
        assert!(flags(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n").is_empty());
        // A destination to show is no action.
        assert!(flags(b"%PDF-1.4\n<< /OpenAction [3 0 R /Fit] >>").is_empty());
        assert_eq!(
            flags(b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
            ["auto-action", "script"]
        );
        assert_eq!(flags(b"%PDF-1.4\n<< /S /J#61vaScript >>"), ["script"]);
        assert_eq!(
            flags(b"%PDF-1.4\n<< /S /Launch /F (cmd.exe) >>"),
            ["launch"]
        );
        assert_eq!(
            flags(b"%PDF-1.4\n<< /EmbeddedFiles 5 0 R >>"),
            ["embedded-file"]
        );
        assert_eq!(
            flags(b"%PDF-1.4\n<< /AA << /O 4 0 R >> >>"),
            ["auto-action"]
        );
        // Inside a Flate stream (an object stream hides its objects so).
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, b"<< /S /JavaScript /JS (x) >>").unwrap();
        let packed = z.finish().unwrap();
        let mut pdf =
            b"%PDF-1.5\n4 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\r\n".to_vec();
        pdf.extend(&packed);
        pdf.extend(b"\nendstream\nendobj\n");
        assert_eq!(flags(&pdf), ["script"]);
        // The second attacker round: object streams in ASCIIHex, and in
        // ASCII85 over Flate.
        let hex: String = b"3 0 << /S /JavaScript /JS (app.alert(1)) >>"
            .iter()
            .map(|b| format!("{b:02X} "))
            .collect();
        let pdf = format!(
            "%PDF-1.5\n4 0 obj << /Type /ObjStm /Filter /ASCIIHexDecode >>\nstream\n{hex}>\nendstream\n"
        );
        assert_eq!(flags(pdf.as_bytes()), ["script"]);
        let a85 = ascii85_encode(&packed);
        let mut pdf =
            b"%PDF-1.5\n4 0 obj << /Type /ObjStm /Filter [/A85 /FlateDecode] >>\nstream\n".to_vec();
        pdf.extend(a85.as_bytes());
        pdf.extend(b"~>\nendstream\n");
        assert_eq!(flags(&pdf), ["script"]);
        // Words in text are not names.
        assert!(flags(b"%PDF-1.4\n(JavaScript and JS are words here)").is_empty());
    }

    /// ASCII85 as PostScript writes it (the reference: Adobe's PLRM).
    fn ascii85_encode(data: &[u8]) -> String {
        let mut out = String::new();
        for chunk in data.chunks(4) {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            let mut v = u32::from_be_bytes(word);
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = (v % 85) as u8 + b'!';
                v /= 85;
            }
            out.extend(digits[..chunk.len() + 1].iter().map(|&d| d as char));
        }
        out
    }

    #[test]
    fn ascii_filters_decode() {
        assert_eq!(ascii_hex(b"48 65 6C6c 6F>"), b"Hello");
        assert_eq!(ascii_hex(b"7>"), [0x70]);
        // "Man " is "9jqo^" (the PLRM's example).
        assert_eq!(ascii85(b"9jqo^~>"), b"Man ");
        assert_eq!(ascii85(b"<~z~>"), [0; 4]);
        for text in [
            &b"a"[..],
            b"ab",
            b"abc",
            b"abcd",
            b"abcde",
            b"any carnal pleas",
        ] {
            assert_eq!(ascii85(ascii85_encode(text).as_bytes()), text, "{text:?}");
        }
    }

    #[test]
    fn zip_names_say_flavour_and_risks() {
        let names = |list: &[&str]| {
            list.iter()
                .map(|n| n.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        let (flavour, found) = zip_findings(&names(&["META-INF/MANIFEST.MF", "a/B.class"]));
        assert_eq!(flavour, Some("application/java-archive"));
        assert!(found.is_empty());
        let (flavour, found) = zip_findings(&names(&[
            "[Content_Types].xml",
            "word/document.xml",
            "word/vbaProject.bin",
            "invoice.pdf.exe",
            "../../etc/cron.d/x",
        ]));
        assert_eq!(
            flavour,
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        let kinds: Vec<_> = found.iter().map(|f| f.0).collect();
        assert_eq!(kinds, ["macro", "executable", "path-traversal"]);
        let (flavour, _) = zip_findings(&names(&["AndroidManifest.xml", "classes.dex"]));
        assert_eq!(flavour, Some("application/vnd.android.package-archive"));
    }
}
