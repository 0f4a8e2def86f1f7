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
            if !known()
                .iter()
                .any(|t| t.split_once('/').is_some_and(|(_, m)| m == minor))
            {
                return Err(bad(&format!("no type binkit reports ends in /{minor}")));
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
            None if !is_known(&pattern) => Err(bad(&format!(
                "'{pattern}' is no type binkit reports, nor an alias of one{}",
                suggestion(&pattern)
            ))),
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
            TypePattern::Minor(minor) => {
                names
                    .iter()
                    .any(|n| n.split_once('/').is_some_and(|(_, m)| m == minor))
                    // `*/x-executable` denies as `application/x-executable`
                    // does: every ELF kind.
                    || deny && container_members(&format!("application/{minor}"), mime)
            }
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

/// The types binkit reports (`known_types.txt`).
fn known() -> &'static std::collections::BTreeSet<&'static str> {
    static KNOWN: std::sync::LazyLock<std::collections::BTreeSet<&'static str>> =
        std::sync::LazyLock::new(|| {
            include_str!("known_types.txt")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        });
    &KNOWN
}

/// A type binkit reports, an alias of one, or one `mime_guess` knows (a
/// name's claim).
fn is_known(mime: &str) -> bool {
    known().contains(mime)
        || canonical(mime) != mime
        || known().contains(canonical(mime))
        || mime_guess::get_mime_extensions_str(mime).is_some()
}

/// ", did you mean X?" for the known type closest to `mime` (by edit
/// distance, at most a few letters off), or nothing.
fn suggestion(mime: &str) -> String {
    let distance = |a: &str, b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let here = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
                prev = here;
            }
        }
        row[b.len()]
    };
    known()
        .iter()
        .map(|t| (distance(mime, t), *t))
        .min()
        .filter(|&(d, _)| d <= 3)
        .map(|(_, t)| format!(", did you mean {t}?"))
        .unwrap_or_default()
}

/// `container` is a generic container type and `mime` a format built on
/// it: `application/zip` and an OOXML document, a JAR, an APK, an XPI;
/// `application/x-executable` and every ELF kind (PIE, shared library,
/// object); the PE type and MS-DOS programs, each denying the other (a PE
/// is an MS-DOS program with a PE header).
fn container_members(container: &str, mime: &str) -> bool {
    let generic = matches!(
        container,
        "application/zip"
            | "application/x-ole-storage"
            | "application/x-executable"
            | "application/vnd.microsoft.portable-executable"
            | "application/x-dosexec"
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
        } else if let Some((p, claim)) = report.ext_mime.and_then(|claim| {
            self.deny
                .iter()
                .find(|p| p.matches(claim, true))
                .map(|p| (p, claim))
        }) {
            // A denied name fails whatever the bytes are (a .js that
            // binkit reads as plain text is still JavaScript to a browser).
            failures.push(format!("the name claims {claim}, which is denied ({p})"));
        }
        if let (Some(max), Some(size)) = (self.max_size, report.size) {
            if size > max {
                failures.push(format!("size {size} is over the limit of {max} bytes"));
            }
        }
        if self.strict {
            // A name that claims a format binkit knows, on bytes it cannot
            // recognise, is not what it says (fail closed).
            // (A text name may hold bytes of any text, or one byte.)
            if report.verdict == Verdict::Unknown && report.mime == "application/octet-stream" {
                if let Some(claimed) = report.ext_mime.filter(|c| !super::names::is_textual(c)) {
                    failures.push(format!(
                        "content is not recognised, the name claims {claimed}"
                    ));
                }
            }
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

    /// Every type the detection tables name is a known type, so that a
    /// pattern for it is never refused.
    #[test]
    fn every_type_in_the_tables_is_known() {
        let sources = [
            include_str!("detect.rs"),
            include_str!("magic.rs"),
            include_str!("binary.rs"),
            include_str!("text.rs"),
            include_str!("container.rs"),
            include_str!("names.rs"),
            include_str!("mod.rs"),
        ];
        let re = regex::Regex::new(r#""((?:application|audio|font|image|message|model|text|video|inode)/[A-Za-z0-9.+_-]*[A-Za-z0-9+])""#).unwrap();
        for source in sources {
            for c in re.captures_iter(source) {
                let t = c[1].to_ascii_lowercase();
                assert!(is_known(&t), "{t} is not in known_types.txt");
            }
        }
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
            // From the new user and the attacker: typos and types binkit
            // never reports match nothing.
            "application/x-exectuable",
            "image/foo",
            "application/foobar",
            "*/x-nothing-at-all",
        ] {
            assert!(TypePattern::parse(bad).is_err(), "{bad}");
        }
        let typo = TypePattern::parse("application/x-exectuable").unwrap_err();
        assert!(
            typo.contains("did you mean application/x-executable?"),
            "{typo}"
        );
        // Aliases, name claims and the types binkit reports are known.
        for good in [
            "image/jpg",
            "text/javascript",
            "application/x-php",
            "image/svg+xml",
            "text/x-php",
        ] {
            assert!(TypePattern::parse(good).is_ok(), "{good}");
        }
        // `*/x-executable` denies a PIE and a library as
        // `application/x-executable` does.
        let any_exec = TypePattern::parse("*/x-executable").unwrap();
        assert!(any_exec.matches("application/x-pie-executable", true));
        assert!(any_exec.matches("application/x-sharedlib", true));
        assert!(!any_exec.matches("application/x-pie-executable", false));
        assert_eq!(
            TypePattern::parse(" Application/X-* "),
            Ok(TypePattern::Prefix("application/x-".into()))
        );
    }
}
