//! The upload policy: allowed and denied types, a size limit, and in
//! `--check` mode no mismatches and no risk flags.

use super::names::{canonical, Verdict};
use super::Report;

/// What a file must satisfy to pass.
#[derive(Debug, Default, Clone)]
pub struct Policy {
    /// Patterns (`image/png`, `image/*`, `*`); empty allows everything.
    pub allow: Vec<String>,
    /// Patterns that fail a file.
    pub deny: Vec<String>,
    /// Largest size that passes.
    pub max_size: Option<u64>,
    /// Mismatches and risk flags fail too, and so does what was not
    /// examined.
    pub strict: bool,
    /// What is not a regular file passes (`--skip-special`).
    pub skip_special: bool,
}

/// Does `mime` match `pattern` (aliases count as the same type)?
fn matches(pattern: &str, mime: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    match pattern.strip_suffix("/*") {
        _ if pattern == "*" || pattern == "*/*" => true,
        Some(major) => mime.split('/').next() == Some(major),
        None => canonical(&pattern) == canonical(mime),
    }
}

impl Policy {
    /// Sets `report.pass` and adds the reasons it fails.
    pub fn apply(&self, report: &mut Report) {
        if report.verdict == Verdict::Skipped && self.skip_special {
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
        if !self.allow.is_empty() && !self.allow.iter().any(|p| matches(p, report.mime)) {
            failures.push(format!("type {} is not allowed", report.mime));
        }
        if let Some(p) = self.deny.iter().find(|p| matches(p, report.mime)) {
            failures.push(format!("type {} is denied ({})", report.mime, p.trim()));
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

    #[test]
    fn patterns() {
        assert!(matches("image/*", "image/png"));
        assert!(!matches("image/*", "application/pdf"));
        assert!(matches("IMAGE/JPG", "image/jpeg"));
        assert!(matches("*", "application/x-executable"));
        assert!(matches("text/xml", "application/xml"));
    }
}
