//! The pattern engines behind grep-log's one matcher: the `regex` crate
//! for BRE, ERE and fixed strings (translated, see `syntax`), PCRE2 for
//! `-P` (as ripgrep and GNU grep do), which has back-references and
//! look-around. The searcher asks only "is there a match" and "where is
//! the first one from here".

use std::sync::atomic::{AtomicBool, Ordering};

use regex::bytes::Regex;

/// A compiled pattern.
#[derive(Debug)]
pub enum Matcher {
    /// The `regex` crate (linear time).
    Rust(Regex),
    /// PCRE2, with JIT where the platform has it. A match that fails (its
    /// backtracking or depth limit reached, GNU grep's "exceeded PCRE's
    /// backtracking limit") counts as no match and is remembered, so that
    /// the input is reported as not fully searched.
    Perl {
        /// The compiled pattern.
        regex: pcre2::bytes::Regex,
        /// A match failed since [`Matcher::take_failure`] last looked.
        failed: AtomicBool,
    },
}

impl Clone for Matcher {
    /// A clone has its own failure flag (each search thread reports its
    /// own inputs).
    fn clone(&self) -> Matcher {
        match self {
            Matcher::Rust(re) => Matcher::Rust(re.clone()),
            Matcher::Perl { regex, .. } => Matcher::Perl {
                regex: regex.clone(),
                failed: AtomicBool::new(false),
            },
        }
    }
}

impl From<Regex> for Matcher {
    fn from(re: Regex) -> Matcher {
        Matcher::Rust(re)
    }
}

impl Matcher {
    /// `-P`'s engine for `pattern`: bytes (no UTF), `^`/`$` at line ends,
    /// as grep-log's other patterns.
    ///
    /// # Errors
    /// PCRE2's message for a pattern it cannot compile.
    pub fn perl(pattern: &str, ignore_case: bool) -> Result<Matcher, String> {
        let regex = pcre2::bytes::RegexBuilder::new()
            .caseless(ignore_case)
            .multi_line(true)
            .utf(false)
            .jit_if_available(true)
            .build(pattern)
            .map_err(|e| e.to_string())?;
        Ok(Matcher::Perl {
            regex,
            failed: AtomicBool::new(false),
        })
    }

    /// Whether `haystack` has a match.
    pub fn is_match(&self, haystack: &[u8]) -> bool {
        match self {
            Matcher::Rust(re) => re.is_match(haystack),
            Matcher::Perl { regex, failed } => regex.is_match(haystack).unwrap_or_else(|_| {
                failed.store(true, Ordering::Relaxed);
                false
            }),
        }
    }

    /// The first match at or after `at`, as `(start, end)`.
    pub fn find_at(&self, haystack: &[u8], at: usize) -> Option<(usize, usize)> {
        match self {
            Matcher::Rust(re) => re.find_at(haystack, at).map(|m| (m.start(), m.end())),
            Matcher::Perl { regex, failed } => match regex.find_at(haystack, at) {
                Ok(m) => m.map(|m| (m.start(), m.end())),
                Err(_) => {
                    failed.store(true, Ordering::Relaxed);
                    None
                }
            },
        }
    }

    /// The pattern as compiled.
    pub fn as_str(&self) -> &str {
        match self {
            Matcher::Rust(re) => re.as_str(),
            Matcher::Perl { regex, .. } => regex.as_str(),
        }
    }

    /// Whether a match failed since the last call (PCRE2's limits), and
    /// forgets it.
    pub fn take_failure(&self) -> bool {
        match self {
            Matcher::Rust(_) => false,
            Matcher::Perl { failed, .. } => failed.swap(false, Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_has_back_references_look_around_and_line_anchors() {
        let m = Matcher::perl(r"(\w)\1", false).unwrap();
        assert!(m.is_match(b"hello"));
        assert!(!m.is_match(b"helo"));
        let m = Matcher::perl(r"foo(?!bar)", false).unwrap();
        assert_eq!(m.find_at(b"foobar foobaz", 0), Some((7, 10)));
        let m = Matcher::perl(r"^b$", true).unwrap();
        assert_eq!(m.find_at(b"a\nB\nc", 0), Some((2, 3)));
        // Bytes, not UTF-8: an invalid sequence is searchable.
        let m = Matcher::perl(r"\xff+", false).unwrap();
        assert_eq!(m.find_at(b"a\xff\xffb", 0), Some((1, 3)));
        assert!(Matcher::perl(r"(", false).is_err());
    }

    /// Catastrophic backtracking hits PCRE2's limit: no match, and the
    /// failure is remembered once.
    #[test]
    fn a_match_past_the_limits_is_a_failure_not_a_silent_miss() {
        let m = Matcher::perl(r"(a+)+$", false).unwrap();
        let line = [b"a".repeat(5000), b"!".to_vec()].concat();
        let _ = m.is_match(&line);
        let hit = Matcher::perl(r"(?:(a|b)*)*c", false).unwrap();
        let long = b"ab".repeat(20_000);
        let _ = hit.is_match(&long);
        assert!(
            m.take_failure() || hit.take_failure(),
            "a limit was reached"
        );
        assert!(!m.take_failure() && !hit.take_failure(), "and forgotten");
    }
}
