//! The pattern engines behind grep-log's one matcher: the `regex` crate
//! for BRE, ERE and fixed strings (translated, see `syntax`), PCRE2 for
//! `-P` (as ripgrep and GNU grep do), which has back-references and
//! look-around. The searcher asks only "is there a match" and "where is
//! the first one from here".
//!
//! A POSIX pattern (BRE, ERE, and `-F`'s strings) matches leftmost-longest,
//! as grep's: `ab\|abcd` in `abcd` is `abcd`, where the `regex` crate
//! (leftmost-first, Perl's rule) says `ab`. The regex finds where the
//! leftmost match starts (both rules agree on that); a lazy DFA built with
//! every match kept then runs from there, anchored, and gives each length
//! a match there can have, the longest first.

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use regex::bytes::Regex;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind};

/// The lazy DFA could not go on (its cache, or a byte it quits on).
struct GaveUp;

type MakeCache = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Every end a match anchored at a start can have (POSIX's longest).
pub struct Ends {
    dfa: DFA,
    caches: Pool<Cache, MakeCache>,
}

impl std::fmt::Debug for Ends {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ends")
    }
}

impl Ends {
    /// The DFA for `pattern`, compiled as grep-log's regexes are (bytes,
    /// ASCII classes, `^`/`$` at line ends); `None` if it cannot be built
    /// within the regex's own size limits.
    pub fn new(pattern: &str, ignore_case: bool) -> Option<Ends> {
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(16 << 20),
            )
            .syntax(
                syntax::Config::new()
                    .case_insensitive(ignore_case)
                    .multi_line(true)
                    .unicode(false)
                    .utf8(false),
            )
            .thompson(
                regex_automata::nfa::thompson::Config::new()
                    .utf8(false)
                    .nfa_size_limit(Some(64 << 20)),
            )
            .build(pattern)
            .ok()?;
        let for_cache = dfa.clone();
        let make: MakeCache = Box::new(move || for_cache.create_cache());
        Some(Ends {
            dfa,
            caches: Pool::new(make),
        })
    }

    /// The longest end `e` of a match of `hay[start..e]` (anchored at
    /// `start`, with `hay`'s bytes before it as look-behind) for which
    /// `accept(e)` holds. `Err` when the DFA gave up (then the caller
    /// keeps the leftmost-first match).
    fn longest(
        &self,
        hay: &[u8],
        start: usize,
        accept: &dyn Fn(usize) -> bool,
    ) -> Result<Option<usize>, GaveUp> {
        let mut cache = self.caches.get();
        let input = Input::new(hay).range(start..).anchored(Anchored::Yes);
        let mut sid = self
            .dfa
            .start_state_forward(&mut cache, &input)
            .map_err(|_| GaveUp)?;
        let mut best = None;
        // A DFA's match states come one byte late: being in one after
        // byte `i` means a match ends at `i`.
        for (i, &b) in hay.iter().enumerate().skip(start) {
            sid = self
                .dfa
                .next_state(&mut cache, sid, b)
                .map_err(|_| GaveUp)?;
            if sid.is_tagged() {
                if sid.is_match() {
                    if accept(i) {
                        best = Some(i);
                    }
                } else if sid.is_dead() {
                    return Ok(best);
                } else if sid.is_quit() {
                    return Err(GaveUp);
                }
            }
        }
        sid = self
            .dfa
            .next_eoi_state(&mut cache, sid)
            .map_err(|_| GaveUp)?;
        if sid.is_match() && accept(hay.len()) {
            best = Some(hay.len());
        }
        Ok(best)
    }
}

/// A compiled pattern.
#[derive(Debug)]
pub enum Matcher {
    /// The `regex` crate (linear time), leftmost-first.
    Rust(Regex),
    /// A POSIX pattern: the `regex` crate to find, leftmost-longest
    /// lengths from `Ends`.
    Posix {
        /// The compiled pattern.
        regex: Regex,
        /// Its match lengths (`None`: too big a DFA; leftmost-first).
        ends: Option<std::sync::Arc<Ends>>,
    },
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
            Matcher::Posix { regex, ends } => Matcher::Posix {
                regex: regex.clone(),
                ends: ends.clone(),
            },
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

    /// A POSIX pattern's matcher: `regex` compiled from `pattern`,
    /// matching leftmost-longest.
    pub fn posix(regex: Regex, pattern: &str, ignore_case: bool) -> Matcher {
        let ends = Ends::new(pattern, ignore_case).map(std::sync::Arc::new);
        Matcher::Posix { regex, ends }
    }

    /// Whether `haystack` has a match.
    pub fn is_match(&self, haystack: &[u8]) -> bool {
        match self {
            Matcher::Rust(re) | Matcher::Posix { regex: re, .. } => re.is_match(haystack),
            Matcher::Perl { regex, failed } => regex.is_match(haystack).unwrap_or_else(|_| {
                failed.store(true, Ordering::Relaxed);
                false
            }),
        }
    }

    /// The first match at or after `at`, as `(start, end)` (not
    /// necessarily the longest: see [`Matcher::find_accepted`]).
    pub fn find_at(&self, haystack: &[u8], at: usize) -> Option<(usize, usize)> {
        match self {
            Matcher::Rust(re) | Matcher::Posix { regex: re, .. } => {
                re.find_at(haystack, at).map(|m| (m.start(), m.end()))
            }
            Matcher::Perl { regex, failed } => match regex.find_at(haystack, at) {
                Ok(m) => m.map(|m| (m.start(), m.end())),
                Err(_) => {
                    failed.store(true, Ordering::Relaxed);
                    None
                }
            },
        }
    }

    /// The first match at or after `at` that `accept(start, end)` takes
    /// (`-w`: no word character around it): leftmost, and for a POSIX
    /// pattern the longest accepted one at its start, as grep finds it
    /// (the longest, then shorter ones at the same start, then later
    /// starts).
    pub fn find_accepted(
        &self,
        haystack: &[u8],
        mut at: usize,
        accept: &dyn Fn(usize, usize) -> bool,
    ) -> Option<(usize, usize)> {
        while at <= haystack.len() {
            let (start, end) = self.find_at(haystack, at)?;
            let longest = match self {
                Matcher::Posix {
                    ends: Some(ends), ..
                } => ends.longest(haystack, start, &|e| accept(start, e)).ok(),
                _ => None,
            };
            match longest {
                Some(Some(end)) => return Some((start, end)),
                Some(None) => {}
                None if accept(start, end) => return Some((start, end)),
                None => {}
            }
            at = start + 1;
        }
        None
    }

    /// The pattern as compiled.
    pub fn as_str(&self) -> &str {
        match self {
            Matcher::Rust(re) | Matcher::Posix { regex: re, .. } => re.as_str(),
            Matcher::Perl { regex, .. } => regex.as_str(),
        }
    }

    /// Whether a match failed since the last call (PCRE2's limits), and
    /// forgets it.
    pub fn take_failure(&self) -> bool {
        match self {
            Matcher::Rust(_) | Matcher::Posix { .. } => false,
            Matcher::Perl { failed, .. } => failed.swap(false, Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// POSIX's rule, checked against GNU grep by hand (`echo abcd | grep
    /// -o 'ab\|abcd'` prints abcd; `-oF -e ab -e abcd` the same; with -w
    /// in `abc ab`, `a\|ab\|abc` is abc, then ab).
    #[test]
    fn posix_patterns_match_leftmost_longest() {
        let posix = |p: &str| Matcher::posix(Regex::new(p).unwrap(), p, false);
        let any = |_: usize, _: usize| true;
        let m = posix("ab|abcd");
        assert_eq!(m.find_accepted(b"xabcd", 0, &any), Some((1, 5)));
        assert_eq!(m.find_accepted(b"xabcd", 2, &any), None);
        // Leftmost before longest: `bcd|a` in `abcd` is `a` at 0.
        assert_eq!(posix("bcd|a").find_accepted(b"abcd", 0, &any), Some((0, 1)));
        // Empty matches are matches: `x*` in `ab` is the empty one at 0.
        assert_eq!(posix("x*").find_accepted(b"ab", 0, &any), Some((0, 0)));
        // Look-behind sees the bytes before the start; `$` the line's end.
        assert_eq!(
            posix(r"\bab|b$").find_accepted(b"cab", 0, &any),
            Some((2, 3))
        );
        let word = |h: &'static [u8]| {
            move |s: usize, e: usize| {
                let w = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
                let before = s.checked_sub(1).is_some_and(|i| w(h[i]));
                !before && !h.get(e).is_some_and(|&b| w(b))
            }
        };
        let m = posix("a|ab|abc");
        let hay = b"abcd abc ab";
        assert_eq!(m.find_accepted(hay, 0, &word(hay)), Some((5, 8)));
        assert_eq!(m.find_accepted(hay, 8, &word(hay)), Some((9, 11)));
        // The regex crate alone says `a`: leftmost-first.
        assert_eq!(
            Matcher::from(Regex::new("a|ab").unwrap()).find_at(b"ab", 0),
            Some((0, 1))
        );
    }

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
