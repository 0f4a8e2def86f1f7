//! How selected and context lines are written: grep's prefixes and
//! separators, `-o`, colours as GNU grep's, and `--json` objects.

use std::io::{self, Write};

use super::{Line, Searcher};
use crate::grep::level::Level;

impl Searcher<'_> {
    /// Writes one line: `sep` is `:` for a selected line, `-` for context.
    pub(super) fn print(&mut self, line: &Line, sep: u8) -> io::Result<()> {
        let opts = self.opts;
        // -z: the searcher saw NUL and newline swapped; the line's own
        // newlines go out as they came in, and NUL ends it. Matches are
        // found in the searcher's text: the offsets are the same.
        let unswapped: Vec<u8>;
        let (text, eol): (&[u8], &[u8]) = if opts.null_data {
            unswapped = line
                .text
                .iter()
                .map(|&b| if b == 0 { b'\n' } else { b })
                .collect();
            (&unswapped, b"\0")
        } else {
            (line.text, b"\n")
        };
        if opts.json {
            return self.print_json(line, text);
        }
        let context = opts.before > 0 || opts.after > 0;
        if context {
            if let Some(last) = self.last_printed {
                if let Some(separator) = opts.separator().filter(|_| line.number > last + 1) {
                    paint(self.out, opts.color, &colors().separator, separator)?;
                    self.out.write_all(b"\n")?;
                }
            }
            self.last_printed = Some(line.number);
        }
        if opts.only_matching {
            if sep != b':' {
                return Ok(());
            }
            for (start, end) in self.matches_in(line.text) {
                self.prefix(line.number, line.offset + start as u64, sep)?;
                paint(
                    self.out,
                    opts.color,
                    &colors().selected_match,
                    &text[start..end],
                )?;
                self.out.write_all(eol)?;
            }
            return Ok(());
        }
        self.prefix(line.number, line.offset, sep)?;
        // Matches are coloured in selected lines, or with -v in context
        // lines (the ones that match), as grep's ms= and mc= do.
        let highlight = (sep == b':') != opts.invert;
        if opts.color && opts.matcher.is_some() && highlight {
            let code = if sep == b':' {
                &colors().selected_match
            } else {
                &colors().context_match
            };
            let mut at = 0;
            for (start, end) in self.matches_in(line.text) {
                self.out.write_all(&text[at..start])?;
                paint(self.out, true, code, &text[start..end])?;
                at = end;
            }
            self.out.write_all(&text[at..])?;
        } else {
            self.out.write_all(text)?;
        }
        self.out.write_all(eol)?;
        if opts.line_buffered {
            self.out.flush()?;
        }
        Ok(())
    }

    /// grep's line head: the name and its separator (`-Z`: a NUL instead),
    /// the line number and byte offset each with one (`-T`: padded), and
    /// with `-T` a tab after them when any was written.
    fn prefix(&mut self, number: u64, offset: u64, sep: u8) -> io::Result<()> {
        let color = self.opts.color;
        let width = self.number_width;
        let mut any = false;
        if self.opts.with_filename {
            paint(self.out, color, &colors().name, self.name)?;
            if self.opts.null {
                self.out.write_all(b"\0")?;
            } else {
                paint(self.out, color, &colors().separator, &[sep])?;
            }
            any = true;
        }
        for (on, value, code) in [
            (self.opts.line_number, number, &colors().line),
            (self.opts.byte_offset, offset, &colors().byte),
        ] {
            if on {
                let text = format!("{value:>width$}");
                paint(self.out, color, code, text.as_bytes())?;
                paint(self.out, color, &colors().separator, &[sep])?;
                any = true;
            }
        }
        if self.opts.initial_tab && any {
            self.out.write_all(b"\t")?;
        }
        Ok(())
    }

    fn print_json(&mut self, line: &Line, text: &[u8]) -> io::Result<()> {
        #[derive(serde::Serialize)]
        struct Match<'a> {
            path: &'a str,
            line: u64,
            offset: u64,
            level: Option<Level>,
            timestamp: Option<String>,
            text: &'a str,
        }
        let path = String::from_utf8_lossy(self.name);
        let text = String::from_utf8_lossy(text);
        let record = Match {
            path: &path,
            line: line.number,
            offset: line.offset,
            level: self.record.level,
            timestamp: self.record.time.map(crate::grep::stats::rfc3339),
            text: &text,
        };
        serde_json::to_writer(&mut *self.out, &record)?;
        self.out.write_all(b"\n")
    }
}

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
