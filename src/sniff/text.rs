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

/// No NUL, and UTF-8 (a cut last character is fine when the head is not
/// the whole file) or 8-bit text without control characters, as `file`
/// treats ISO-8859 text.
fn is_text(head: &[u8], complete: bool) -> bool {
    if head.is_empty() || memchr::memchr(0, head).is_some() {
        return false;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b | 0x08))
        .count();
    if controls > 0 {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        // Cut inside the last character.
        Err(e) if !complete && e.error_len().is_none() => true,
        // Latin-1 style text: high bytes but none of the C1 controls.
        Err(_) => !head.iter().any(|b| (0x80..0xA0).contains(b)),
    }
}

fn classify(text: &[u8], complete: bool) -> &'static str {
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let body = &text[start..];
    if start == 0 && body.starts_with(b"#!") {
        return script(body);
    }
    let lower: Vec<u8> = body.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml") {
        if contains(&lower, b"<svg") {
            return "image/svg+xml";
        }
        if contains(&lower, b"<!doctype html") || contains(&lower, b"<html") {
            return "text/html";
        }
        return "text/xml";
    }
    if lower.starts_with(b"<svg") {
        return "image/svg+xml";
    }
    const HTML_STARTS: [&[u8]; 8] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<title",
        b"<script",
        b"<style",
        b"<table",
    ];
    if HTML_STARTS.iter().any(|tag| lower.starts_with(tag)) {
        return "text/html";
    }
    if lower.starts_with(b"<!--") && contains(&lower, b"<html") {
        return "text/html";
    }
    if matches!(body.first(), Some(b'{' | b'[')) && is_json(body, complete) {
        return "application/json";
    }
    if is_python(body) {
        return "text/x-script.python";
    }
    if is_c(body) {
        return "text/x-c";
    }
    if is_csv(body) {
        return "text/csv";
    }
    "text/plain"
}

/// C source and headers, as libmagic finds them: a line that is an
/// `#include <...>` or `#include "..."`, in the first 8 KiB.
fn is_c(text: &[u8]) -> bool {
    text[..text.len().min(8192)]
        .split(|&b| b == b'\n')
        .any(|line| {
            let rest = line
                .strip_prefix(b"#include")
                .or_else(|| line.strip_prefix(b"# include"));
            rest.is_some_and(|rest| {
                let rest = rest.trim_ascii_start();
                (rest.starts_with(b"<") && rest.contains(&b'>'))
                    || (rest.starts_with(b"\"") && rest[1..].contains(&b'"'))
            })
        })
}

/// Python source without a `#!` line, by the statements libmagic looks
/// for: a line that is `import a.b [as c]`, `from a import b`,
/// `def f(...):` or `class C(...):`, in the first 8 KiB.
fn is_python(text: &[u8]) -> bool {
    let ident = |w: &[u8]| {
        !w.is_empty()
            && !w[0].is_ascii_digit()
            && w.iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    };
    text[..text.len().min(8192)]
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .any(|line| {
            let words: Vec<&[u8]> = line
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            match words.as_slice() {
                [b"import", name] => ident(name),
                [b"import", name, b"as", alias] => ident(name) && ident(alias),
                [b"from", module, b"import", rest @ ..] => ident(module) && !rest.is_empty(),
                [b"def" | b"class", ..] => {
                    let indented = line.first().is_some_and(u8::is_ascii_whitespace);
                    let head = line.trim_ascii_start();
                    let (is_class, rest) =
                        match (head.strip_prefix(b"class "), head.strip_prefix(b"def ")) {
                            (Some(rest), _) => (true, rest),
                            (None, Some(rest)) => (false, rest),
                            (None, None) => return false,
                        };
                    let name_end = rest
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                        .count();
                    let after = &rest[name_end..];
                    name_end > 0
                        && line.trim_ascii_end().ends_with(b":")
                        && (after.starts_with(b"(") || (is_class && after.starts_with(b":")))
                        && (!indented || !is_class)
                }
                _ => false,
            }
        })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
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

/// Valid JSON to the end of the head (which may be cut short).
fn is_json(body: &[u8], complete: bool) -> bool {
    let mut values =
        serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => values.next().is_none_or(|rest| rest.is_ok()),
        Some(Err(e)) => !complete && e.is_eof(),
        None => false,
    }
}

/// At least two lines, the complete ones (up to ten) all with the same
/// number (one or more) of commas outside double quotes.
fn is_csv(body: &[u8]) -> bool {
    let mut lines = body.split(|&b| b == b'\n').collect::<Vec<_>>();
    lines.pop(); // the last may be cut short, or empty after the final newline
    let lines: Vec<&[u8]> = lines
        .into_iter()
        .filter(|l| !l.is_empty())
        .take(10)
        .collect();
    if lines.len() < 2 {
        return false;
    }
    let commas = |line: &[u8]| {
        let mut quoted = false;
        line.iter()
            .filter(|&&b| {
                if b == b'"' {
                    quoted = !quoted;
                }
                b == b',' && !quoted
            })
            .count()
    };
    let first = commas(lines[0]);
    first > 0 && lines.iter().all(|l| commas(l) == first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_formats_get_their_type() {
        let cases: [(&[u8], &str); 16] = [
            (b"#!/bin/sh\necho hi\n", "text/x-shellscript"),
            (
                b"#!/usr/bin/env python3\nprint(1)\n",
                "text/x-script.python",
            ),
            (b"#!/usr/bin/env -S perl -w\n", "text/x-perl"),
            (b"#!/usr/bin/node\n", "application/javascript"),
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
