//! grep's colours: `GREP_COLORS` read as GNU grep reads it, and the SGR
//! sequences written around coloured text.

use std::io::{self, Write};

/// grep's colours: GNU grep's defaults, changed by `GREP_COLORS` as GNU
/// grep reads it (`ms`, `mc`, `mt` for both, `fn`, `ln`, `bn`, `se`, and
/// `ne` for no erase-to-end-of-line; `sl`, `cx` and `rv` are accepted and
/// not applied). A value other than digits and `;` stops the reading
/// there, as in grep, keeping what came before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colors {
    /// Matched text in a selected line (`ms`).
    pub selected_match: String,
    /// Matched text in a context line (`mc`).
    pub context_match: String,
    /// File names (`fn`).
    pub name: String,
    /// Line numbers (`ln`).
    pub line: String,
    /// Byte offsets (`bn`).
    pub byte: String,
    /// `:`, `-` and `--` (`se`).
    pub separator: String,
    /// Erase to the end of the line after each start and end (not `ne`).
    pub erase: bool,
}

impl Default for Colors {
    fn default() -> Colors {
        Colors {
            selected_match: "01;31".into(),
            context_match: "01;31".into(),
            name: "35".into(),
            line: "32".into(),
            byte: "32".into(),
            separator: "36".into(),
            erase: true,
        }
    }
}

impl Colors {
    /// GNU's defaults changed by `spec` (`GREP_COLORS`'s value).
    pub fn parse(spec: &str) -> Colors {
        let mut colors = Colors::default();
        for cap in spec.split(':') {
            let (name, value) = match cap.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (cap, None),
            };
            if value.is_some_and(|v| !v.bytes().all(|b| b.is_ascii_digit() || b == b';')) {
                break;
            }
            let value = value.map(str::to_string);
            match (name, value) {
                ("mt", Some(v)) => {
                    colors.selected_match.clone_from(&v);
                    colors.context_match = v;
                }
                ("ms", Some(v)) => colors.selected_match = v,
                ("mc", Some(v)) => colors.context_match = v,
                ("fn", Some(v)) => colors.name = v,
                ("ln", Some(v)) => colors.line = v,
                ("bn", Some(v)) => colors.byte = v,
                ("se", Some(v)) => colors.separator = v,
                ("ne", None) => colors.erase = false,
                ("sl" | "cx", Some(_)) | ("rv", None) | ("", None) => {}
                _ => break,
            }
        }
        colors
    }
}

/// The colours, read from `GREP_COLORS` once.
pub fn colors() -> &'static Colors {
    static COLORS: std::sync::OnceLock<Colors> = std::sync::OnceLock::new();
    COLORS.get_or_init(|| {
        std::env::var("GREP_COLORS")
            .map(|s| Colors::parse(&s))
            .unwrap_or_default()
    })
}

/// Writes `text`, in SGR colour `code` as grep writes it (with the
/// erase-to-end-of-line that keeps backgrounds tidy, unless `ne`) when
/// `color`; an empty `code` is no colour, as in grep.
///
/// # Errors
/// The writer's.
pub fn paint(out: &mut dyn Write, color: bool, code: &str, text: &[u8]) -> io::Result<()> {
    if color && !code.is_empty() {
        let erase = if colors().erase { "\x1b[K" } else { "" };
        write!(out, "\x1b[{code}m{erase}")?;
        out.write_all(text)?;
        write!(out, "\x1b[m{erase}")
    } else {
        out.write_all(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grep_colors_as_gnu_grep_reads_them() {
        let c = Colors::parse("mt=01;34:fn=:ln=33:ne");
        assert_eq!(c.selected_match, "01;34");
        assert_eq!(c.context_match, "01;34");
        assert_eq!(c.name, "");
        assert_eq!(c.line, "33");
        assert!(!c.erase);
        // An ill-formed value stops the reading; what came before stays.
        let c = Colors::parse("ln=33:ms=x:fn=34");
        assert_eq!((c.line.as_str(), c.name.as_str()), ("33", "35"));
        assert_eq!(Colors::parse(""), Colors::default());
        assert_eq!(Colors::parse("sl=1:cx=2:rv"), Colors::default());
    }
}
