//! The upload policy: allowed and denied types, a size limit, and in
//! `--check` mode no mismatches and no risk flags.

use super::names::{canonical, same_format, Verdict};
use super::Report;

/// A type pattern of `--allow`/`--deny`, parsed when the argument is: a
/// pattern that could match nothing it was meant to is refused then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypePattern {
    /// `*` or `*/*`.
    Any,
    /// `image/*`: every type under one top-level type.
    Major(String),
    /// `*/x-executable`: one subtype under any top-level type.
    Minor(String),
    /// `application/x-*`: the types that start so.
    Prefix(String),
    /// `image/png` (or one of its aliases: `image/jpg`, `font/ttf`, ...).
    Exact(String),
}

/// Top-level types (IANA's, and `inode` for what is not a file).
const MAJORS: [&str; 10] = [
    "application",
    "audio",
    "font",
    "image",
    "inode",
    "message",
    "model",
    "multipart",
    "text",
    "video",
];

impl TypePattern {
    /// Parses one pattern of a comma list (case does not matter).
    ///
    /// # Errors
    /// A pattern that is no type, names no known top-level type, or has a
    /// `*` anywhere but alone, after `/`, or at the end.
    pub fn parse(text: &str) -> Result<TypePattern, String> {
        let pattern = text.trim().to_ascii_lowercase();
        let bad = |why: &str| {
            format!("cannot read type pattern '{text}': {why} (use image/png, image/*, */x-executable, application/x-* or *)")
        };
        if pattern == "*" || pattern == "*/*" {
            return Ok(TypePattern::Any);
        }
        let Some((major, minor)) = pattern.split_once('/') else {
            return Err(bad("a type is major/minor"));
        };
        let valid = |part: &str| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-._*".contains(&b))
        };
        if !valid(major) || !valid(minor) {
            return Err(bad(
                "a type is letters, digits and +-._ on each side of one /",
            ));
        }
        if major == "*" {
            if minor.contains('*') {
                return Err(bad("only one * in */minor"));
            }
            return Ok(TypePattern::Minor(minor.to_string()));
        }
        if !MAJORS.contains(&major) {
            return Err(bad(&format!(
                "'{major}' is no top-level type ({})",
                MAJORS.join(", ")
            )));
        }
        if minor == "*" {
            return Ok(TypePattern::Major(major.to_string()));
        }
        match minor.find('*') {
            None => Ok(TypePattern::Exact(pattern)),
            Some(i) if i == minor.len() - 1 => Ok(TypePattern::Prefix(
                pattern[..pattern.len() - 1].to_string(),
            )),
            Some(_) => Err(bad("a * goes alone, after the /, or at the end")),
        }
    }

    /// Does `mime` match? A type matches under its own name or its
    /// canonical one; `deny` also takes a container's members for the
    /// container (`application/zip` denies `.docx`, `.jar`, `.apk`).
    fn matches(&self, mime: &str, deny: bool) -> bool {
        let names = [mime, canonical(mime)];
        match self {
            TypePattern::Any => true,
            TypePattern::Major(major) => names.iter().any(|n| n.split('/').next() == Some(major)),
            TypePattern::Minor(minor) => names
                .iter()
                .any(|n| n.split_once('/').is_some_and(|(_, m)| m == minor)),
            TypePattern::Prefix(prefix) => names.iter().any(|n| n.starts_with(prefix.as_str())),
            TypePattern::Exact(exact) => {
                let exact = canonical(exact);
                exact == canonical(mime) || deny && container_members(exact, mime)
            }
        }
    }
}

impl std::fmt::Display for TypePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypePattern::Any => f.write_str("*"),
            TypePattern::Major(major) => write!(f, "{major}/*"),
            TypePattern::Minor(minor) => write!(f, "*/{minor}"),
            TypePattern::Prefix(prefix) => write!(f, "{prefix}*"),
            TypePattern::Exact(exact) => f.write_str(exact),
        }
    }
}

/// `container` is a generic container type and `mime` a format built on
/// it: `application/zip` and an OOXML document, a JAR, an APK, an XPI;
/// `application/x-executable` and every ELF kind (PIE, shared library,
/// object); the PE type and MS-DOS programs.
fn container_members(container: &str, mime: &str) -> bool {
    let generic = matches!(
        container,
        "application/zip"
            | "application/x-ole-storage"
            | "application/x-executable"
            | "application/vnd.microsoft.portable-executable"
    );
    generic && same_format(container, mime)
}

/// What a file must satisfy to pass.
#[derive(Debug, Default, Clone)]
pub struct Policy {
    /// Types that pass; empty allows everything.
    pub allow: Vec<TypePattern>,
    /// Types that fail a file.
    pub deny: Vec<TypePattern>,
    /// Largest size that passes.
    pub max_size: Option<u64>,
    /// Mismatches and risk flags fail too, and so does what was not
    /// examined.
    pub strict: bool,
    /// What is not a regular file passes (`--skip-special`).
    pub skip_special: bool,
}

impl Policy {
    /// Sets `report.pass` and adds the reasons it fails.
    pub fn apply(&self, report: &mut Report) {
        // A skipped entry with a flag (a symlink out of the tree) is a
        // finding, not merely something unexamined.
        if report.verdict == Verdict::Skipped && self.skip_special && report.flags.is_empty() {
            report.pass = true;
            return;
        }
        let mut failures = Vec::new();
        if report.verdict == Verdict::Skipped && self.strict {
            failures.push(
                "--check passes only what it examined (--skip-special lets such entries pass)"
                    .to_string(),
            );
        }
        if !self.allow.is_empty() && !self.allow.iter().any(|p| p.matches(report.mime, false)) {
            failures.push(format!("type {} is not allowed", report.mime));
        }
        if let Some(p) = self.deny.iter().find(|p| p.matches(report.mime, true)) {
            failures.push(format!("type {} is denied ({p})", report.mime));
        }
        if let (Some(max), Some(size)) = (self.max_size, report.size) {
            if size > max {
                failures.push(format!("size {size} is over the limit of {max} bytes"));
            }
        }
        if self.strict {
            if report.verdict == Verdict::Mismatch {
                let claimed = report.ext_mime.unwrap_or_default();
                failures.push(format!(
                    "content is {}, the name claims {claimed}",
                    report.mime
                ));
            }
            if !report.flags.is_empty() {
                failures.push(format!("risk flags: {}", report.flags.join(", ")));
            }
        }
        report.pass = failures.is_empty();
        report.reasons.extend(failures);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, mime: &str) -> bool {
        TypePattern::parse(pattern).unwrap().matches(mime, false)
    }

    #[test]
    fn patterns() {
        assert!(matches("image/*", "image/png"));
        assert!(!matches("image/*", "application/pdf"));
        assert!(matches("IMAGE/JPG", "image/jpeg"));
        assert!(matches("*", "application/x-executable"));
        assert!(matches("*/*", "inode/fifo"));
        assert!(matches("text/xml", "application/xml"));
        // Issue 15: these matched nothing, silently.
        assert!(matches("application/x-*", "application/x-executable"));
        assert!(matches("*/x-executable", "application/x-executable"));
        assert!(!matches("*/x-executable", "application/x-sharedlib-not"));
        assert!(matches("font/*", "font/sfnt"));
        assert!(matches("font/ttf", "font/sfnt"), "an alias");
    }

    /// Issue 15: `--deny application/zip` denies what is a ZIP inside;
    /// `--allow application/zip` does not allow a .docx as a ZIP.
    #[test]
    fn a_container_denies_its_members_but_allows_only_itself() {
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        let zip = TypePattern::parse("application/zip").unwrap();
        for member in [
            docx,
            "application/java-archive",
            "application/vnd.android.package-archive",
        ] {
            assert!(zip.matches(member, true), "{member}");
            assert!(!zip.matches(member, false), "{member}");
        }
        assert!(zip.matches("application/zip", false));
    }

    #[test]
    fn patterns_that_would_match_nothing_are_refused() {
        for bad in [
            "png",
            "imag/*",
            "image/p*g",
            "*/x-*",
            "image/",
            "/png",
            "image/png/x",
            "**",
            "image/**",
            "",
        ] {
            assert!(TypePattern::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            TypePattern::parse(" Application/X-* "),
            Ok(TypePattern::Prefix("application/x-".into()))
        );
    }
}
