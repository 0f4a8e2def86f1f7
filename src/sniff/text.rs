//! Is a file's head text, and which text format: scripts by their `#!`
//! line, XML, SVG, HTML, JSON, CSV, else `text/plain`.

/// The MIME type of `head` if it is text; `complete` says the head is the
/// whole file (a JSON document must then parse to its end).
pub fn sniff(head: &[u8], complete: bool) -> Option<&'static str> {
    let decoded;
    let text: &[u8] = if let Some(utf16) = decode_utf16(head) {
        decoded = utf16;
        decoded.as_bytes()
    } else if is_text(head, complete) {
        head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head)
    } else {
        return None;
    };
    Some(classify(text, complete))
}

/// UTF-16 with a byte order mark, decoded (lossily: a head may end
/// mid-character).
pub(super) fn decode_utf16(head: &[u8]) -> Option<String> {
    let little = match head {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = head[2..].chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    // Control characters other than whitespace mean it was not text.
    let controls = text
        .chars()
        .filter(|&c| c.is_control() && !c.is_whitespace())
        .count();
    (controls == 0).then_some(text)
}

/// Text as libmagic's `text_chars` table has it: no byte other than BEL,
/// BS, HT, LF, VT, FF, CR and ESC below a space, no DEL; bytes from 0x80
/// up are UTF-8, ISO-8859 or another 8-bit code page (KOI8, cp1251), all
/// text to `file`.
/// Whether `head` is text by libmagic's table (see `is_text`).
pub(super) fn looks_text(head: &[u8]) -> bool {
    is_text(head, true)
}

fn is_text(head: &[u8], _complete: bool) -> bool {
    !head.is_empty()
        && !head
            .iter()
            .any(|&b| matches!(b, 0..=6 | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f))
}

fn classify(text: &[u8], complete: bool) -> &'static str {
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let body = &text[start..];
    if start == 0 && is_shebang(body) {
        if has_perl_line(body) {
            return "text/x-perl";
        }
        return script(body);
    }
    // What libmagic decides before its text rules: SVG and PPD by their
    // first bytes (binary tests, tried first), then JSON and CSV.
    let lower: Vec<u8> = body.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<svg")
        || (lower.starts_with(b"<?xml version=") && contains(&lower, b"<svg"))
    {
        return "image/svg+xml";
    }
    if body.starts_with(b"*PPD-Adobe: ") {
        return "application/vnd.cups-ppd";
    }
    if matches!(body.first(), Some(b'{' | b'[')) {
        if let Some(mime) = json_type(body, complete) {
            return mime;
        }
    }
    if is_csv(text, complete) {
        return "text/csv";
    }
    super::magic::text_type(text).unwrap_or("text/plain")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// The script type a `#!` line names, for a file that is not text (a
/// self-extracting archive): only the interpreters libmagic knows.
pub(super) fn script_type(head: &[u8]) -> Option<&'static str> {
    if has_perl_line(head) {
        return Some("text/x-perl");
    }
    Some(script(head)).filter(|&mime| mime != "text/x-script")
}

/// A `#!` line: an interpreter's path follows (`#![attr]` is Rust).
fn is_shebang(body: &[u8]) -> bool {
    body.strip_prefix(b"#!")
        .is_some_and(|rest| rest.trim_ascii_start().starts_with(b"/"))
}

/// libmagic's Perl test, stronger than its shell ones: a `#!` line
/// anywhere in the first 8 KiB whose interpreter is a `.../bin/perl`
/// (a shell wrapper that re-runs itself with `perl -x`).
fn has_perl_line(text: &[u8]) -> bool {
    text[..text.len().min(8192)]
        .split(|&b| b == b'\n')
        .any(|line| {
            line.starts_with(b"#!")
                && memchr::memmem::find_iter(line, b"/bin/perl")
                    .any(|at| line.get(at + 9).is_none_or(|b| b.is_ascii_whitespace()))
        })
}

/// The script type named by a `#!` line: `#!/bin/sh`, `#!/usr/bin/env
/// python3`, `#!/usr/bin/env -S perl -w`.
fn script(body: &[u8]) -> &'static str {
    let line = body[2..].split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut words = line.split_whitespace();
    let mut program = words.next().unwrap_or_default();
    if program.rsplit('/').next() == Some("env") {
        program = words.find(|w| !w.starts_with('-')).unwrap_or_default();
    }
    let name = program.rsplit('/').next().unwrap_or_default();
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match base {
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "mksh" | "ash" | "csh" | "tcsh" | "busybox" => {
            "text/x-shellscript"
        }
        "python" | "pypy" => "text/x-script.python",
        "perl" => "text/x-perl",
        "ruby" => "text/x-ruby",
        "node" | "nodejs" | "deno" => "application/javascript",
        "php" => "text/x-php",
        "awk" | "gawk" | "mawk" | "nawk" => "text/x-awk",
        "tclsh" | "wish" | "expect" => "text/x-tcl",
        "lua" => "text/x-lua",
        "make" => "text/x-makefile",
        _ => "text/x-script",
    }
}

/// JSON as libmagic's `is_json` finds it: one object or array to the end
/// of the head (which may be cut short) is `application/json`; a second
/// value of the same kind after it, `application/x-ndjson`.
fn json_type(body: &[u8], complete: bool) -> Option<&'static str> {
    let mut values =
        serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => {}
        Some(Err(e)) => return (!complete && e.is_eof()).then_some("application/json"),
        None => return None,
    }
    let second_at = values.byte_offset();
    match values.next() {
        None => Some("application/json"),
        Some(second) => {
            let next = body[second_at..].iter().find(|b| !b.is_ascii_whitespace());
            let same_kind = next == body.first();
            match second {
                Ok(_) if same_kind => Some("application/x-ndjson"),
                Err(e) if same_kind && !complete && e.is_eof() => Some("application/x-ndjson"),
                _ => None,
            }
        }
    }
}

/// CSV as libmagic's `is_csv` finds it: the same number (one or more) of
/// commas outside double quotes on every line, over ten lines, or over
/// more than two lines of a whole file (the last, cut short, not counted).
fn is_csv(text: &[u8], complete: bool) -> bool {
    const LINES: usize = 10;
    let (mut fields, mut first, mut lines) = (0, 0, 0);
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        i += 1;
        match b {
            b'"' => i = eat_quote(text, i),
            b',' => fields += 1,
            b'\n' => {
                lines += 1;
                if lines == LINES {
                    return first != 0 && first == fields;
                }
                if first == 0 {
                    if fields == 0 {
                        return false;
                    }
                    first = fields;
                } else if first != fields {
                    return false;
                }
                fields = 0;
            }
            _ => {}
        }
    }
    // libmagic decides this at the end of what it read (up to 1 MiB); a
    // head cut short before the tenth line decides nothing (a minified
    // HTML page's first lines may look like CSV).
    complete && first != 0 && lines > 2
}

/// Where a quoted CSV field ends (`""` is a quote inside it): the index
/// after its closing quote.
fn eat_quote(text: &[u8], mut i: usize) -> usize {
    let mut quote = false;
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c != b'"' {
            if quote {
                return i - 1;
            }
            continue;
        }
        quote = !quote;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_formats_get_their_type() {
        let cases: [(&[u8], &str); 18] = [
            (b"#!/bin/sh\necho hi\n", "text/x-shellscript"),
            (
                b"#!/usr/bin/env python3\nprint(1)\n",
                "text/x-script.python",
            ),
            (b"#!/usr/bin/env -S perl -w\n", "text/x-perl"),
            (b"#!/usr/bin/node\n", "application/javascript"),
            // file 5.44 on /usr/bin/pamfixtrunc: a shell wrapper that
            // re-runs itself with `perl -x` is Perl.
            (
                b"#!/bin/sh\nexec perl -w -x -S -- \"$0\" \"$@\"\n\n#!/usr/bin/perl\nuse strict;\n",
                "text/x-perl",
            ),
            (b"<?xml version=\"1.0\"?>\n<root/>\n", "text/xml"),
            (
                b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                "image/svg+xml",
            ),
            (b"<svg viewBox=\"0 0 1 1\"></svg>", "image/svg+xml"),
            (b"<!DOCTYPE html>\n<html></html>", "text/html"),
            (b"  <HTML><body>x</body></HTML>", "text/html"),
            (b"{\"a\": [1, 2, {\"b\": null}]}\n", "application/json"),
            (b"[1, 2, 3]", "application/json"),
            // file 5.44: one object a line is newline-delimited JSON.
            (b"{\"a\": 1}\n{\"a\": 2}\n", "application/x-ndjson"),
            (b"name,size\na,1\nb,2\n", "text/csv"),
            (b"plain words\n", "text/plain"),
            (b"caf\xc3\xa9\n", "text/plain"),
            (b"caf\xe9 latin-1\n", "text/plain"),
            (b"{not json}", "text/plain"),
        ];
        for (head, mime) in cases {
            assert_eq!(
                sniff(head, true),
                Some(mime),
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn binary_is_not_text_and_cut_heads_are_judged_fairly() {
        assert_eq!(sniff(b"PK\x03\x04\x00\x00", true), None);
        assert_eq!(sniff(b"abc\x01def", true), None);
        assert_eq!(sniff(b"", true), None);
        // A head cut inside a UTF-8 character or a JSON value is still text.
        assert_eq!(sniff(b"caf\xc3", false), Some("text/plain"));
        assert_eq!(sniff(b"{\"a\": [1, 2", false), Some("application/json"));
        assert_eq!(sniff(b"{\"a\": [1, 2", true), Some("text/plain"));
        // UTF-16 with a BOM.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"k\": 1}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(sniff(&utf16, true), Some("application/json"));
    }
}
