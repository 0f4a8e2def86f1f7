//! JSON conventions (DESIGN.md): text or a path that is not UTF-8 appears
//! as `{"bytes": "<base64>"}`, as in ripgrep, so a script can reopen it.

use base64::Engine;

/// `bytes` as a JSON string when they are UTF-8, else `{"bytes": base64}`.
pub fn text_or_bytes(bytes: &[u8]) -> serde_json::Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => serde_json::json!({
            "bytes": base64::engine::general_purpose::STANDARD.encode(bytes)
        }),
    }
}

/// A path by [`text_or_bytes`].
pub fn path(path: &std::path::Path) -> serde_json::Value {
    text_or_bytes(std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_a_string_and_the_rest_base64() {
        assert_eq!(text_or_bytes(b"a/b.txt"), serde_json::json!("a/b.txt"));
        // RFC 4648: 0xff 0xfe is "//4=".
        assert_eq!(
            text_or_bytes(b"\xff\xfe"),
            serde_json::json!({"bytes": "//4="})
        );
    }
}
