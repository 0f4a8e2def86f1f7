//! Log levels as logs write them: `ERROR`, `[error]`, `[core:warn]`,
//! `level=error`, `"level":"error"`, bunyan/pino numbers (`"level":50`)
//! and a syslog `<PRI>` prefix. A line's level is the first such token in
//! it, so `INFO retrying after ERROR` is an INFO line.

use std::sync::OnceLock;

use regex::bytes::Regex;

/// Severity, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// TRACE
    Trace,
    /// DEBUG
    Debug,
    /// INFO, NOTICE
    Info,
    /// WARN, WARNING
    Warn,
    /// ERROR, ERR, SEVERE
    Error,
    /// FATAL, CRIT, CRITICAL, ALERT, EMERG, PANIC
    Fatal,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 6] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Warn,
        Level::Error,
        Level::Fatal,
    ];

    /// The level a word names, any case; aliases fold together.
    pub fn from_word(word: &[u8]) -> Option<Level> {
        if word.len() > 11 {
            return None;
        }
        let mut lower = [0u8; 11];
        let lower = &mut lower[..word.len()];
        lower.copy_from_slice(word);
        lower.make_ascii_lowercase();
        Some(match &lower[..] {
            b"trace" => Level::Trace,
            b"debug" => Level::Debug,
            b"info" | b"notice" | b"information" => Level::Info,
            b"warn" | b"warning" => Level::Warn,
            b"error" | b"err" | b"severe" => Level::Error,
            b"fatal" | b"crit" | b"critical" | b"alert" | b"emerg" | b"emergency" | b"panic" => {
                Level::Fatal
            }
            _ => return None,
        })
    }

    /// The name printed for this level.
    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }

    /// syslog severity 0..7 (RFC 5424): 0-2 emergency..critical, 3 error,
    /// 4 warning, 5-6 notice/informational, 7 debug.
    fn from_syslog(severity: u32) -> Level {
        match severity {
            0..=2 => Level::Fatal,
            3 => Level::Error,
            4 => Level::Warn,
            5 | 6 => Level::Info,
            _ => Level::Debug,
        }
    }
}

/// What `--level` asks for: one level, or that level and above (`warn+`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelFilter {
    /// The level named.
    pub level: Level,
    /// And everything more severe.
    pub and_above: bool,
}

impl LevelFilter {
    /// Parses `error`, `WARN+`, `warning+`.
    ///
    /// # Errors
    /// An unknown level name.
    pub fn parse(text: &str) -> Result<LevelFilter, String> {
        let (word, and_above) = match text.strip_suffix('+') {
            Some(word) => (word, true),
            None => (text, false),
        };
        let level = Level::from_word(word.as_bytes()).ok_or_else(|| {
            format!("unknown level '{text}': use trace, debug, info, warn, error or fatal, with + for and above")
        })?;
        Ok(LevelFilter { level, and_above })
    }

    /// Does a line of `level` pass?
    pub fn accepts(self, level: Option<Level>) -> bool {
        match level {
            Some(l) if self.and_above => l >= self.level,
            Some(l) => l == self.level,
            None => false,
        }
    }
}

const WORDS: &str = "trace|debug|info|information|notice|warn|warning|error|err|severe|fatal|crit|critical|alert|emerg|emergency|panic";

/// The level-token pattern for `words` (`|`-separated) and bunyan
/// `numbers`.
fn token_pattern(words: &str, numbers: &str) -> String {
    let upper = words.to_ascii_uppercase();
    format!(
        r#"(?x)
        (?-u)
        ^<\d{{1,3}}>
        | \b(?:{upper})\b
        | (?i:\[(?:[a-z_]+:)?(?:{words})\])
        | (?i:"(?:level|lvl|severity|loglevel)"\s*:\s*"(?:{words})")
        | "level"\s*:\s*(?:{numbers})\b
        | (?i:\b(?:level|lvl|severity|loglevel)\s*=\s*"?(?:{words})\b)
        "#
    )
}

impl LevelFilter {
    /// A fast pattern for the lines that may hold an accepted level: the
    /// level words as logs write them (`ERROR`, `error`, `Error`) and
    /// `"level"` (bunyan numbers). A few dozen literals of three bytes or
    /// more, so the regex engine scans with its SIMD (Teddy) prefilter;
    /// `level_of` then decides. A level word in other mixed case
    /// (`eRRor`) is found only when a pattern is also given, and logs whose
    /// lines start with a syslog `<PRI>` are read line by line.
    pub fn candidates(self) -> Regex {
        let accepted: Vec<Level> = Level::ALL
            .into_iter()
            .filter(|&l| self.accepts(Some(l)))
            .collect();
        let words: Vec<&str> = WORDS
            .split('|')
            .filter(|w| Level::from_word(w.as_bytes()).is_some_and(|l| accepted.contains(&l)))
            .collect();
        // "err" finds "error" too: keep only words no other word prefixes.
        let stems = words
            .iter()
            .filter(|w| !words.iter().any(|o| o != *w && w.starts_with(o)));
        let mut literals: Vec<String> = stems
            .flat_map(|w| {
                let capital = format!("{}{}", w[..1].to_ascii_uppercase(), &w[1..]);
                [w.to_ascii_uppercase(), (*w).to_string(), capital]
            })
            .collect();
        literals.push(r#""level""#.to_string());
        Regex::new(&format!("(?-u){}", literals.join("|"))).expect("valid level pattern")
    }
}

fn level_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&token_pattern(WORDS, "[1-6]0")).expect("valid level pattern"))
}

/// The level of the token `line[start..end]` if it is the line's first:
/// the common case of a bare upper-case word (`ERROR`) with nothing that
/// looks like a level before it is decided without a full search.
pub fn level_at(line: &[u8], start: usize, end: usize) -> Option<Level> {
    let word = &line[start..end];
    let is_word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let bare_upper = !word.is_empty()
        && word.iter().all(u8::is_ascii_uppercase)
        && !is_word(start.checked_sub(1).and_then(|i| line.get(i)))
        && !is_word(line.get(end));
    if bare_upper && !may_hold_level(&line[..start]) {
        // A word that is no level ("ERRATA", found by the stem "ERR") says
        // nothing: the line may still have a token after it.
        if let Some(level) = Level::from_word(word) {
            return Some(level);
        }
    }
    level_of(line)
}

/// Could `prefix` hold a level token? A quick scan by hand, erring on
/// the side of yes: an upper-case level word, `[` before a letter, a key
/// such as `level`, or a `<` at the start. Only a no is trusted.
fn may_hold_level(prefix: &[u8]) -> bool {
    if prefix.first() == Some(&b'<') {
        return true;
    }
    let mut at = 0;
    while at < prefix.len() {
        let b = prefix[at];
        if b == b'[' && prefix.get(at + 1).is_some_and(u8::is_ascii_alphabetic) {
            return true;
        }
        if !b.is_ascii_alphabetic() {
            at += 1;
            continue;
        }
        let run = prefix[at..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        // Level words and keys are 3 to 11 letters.
        if (3..=11).contains(&run) {
            let word = &prefix[at..at + run];
            let upper_level = word[0].is_ascii_uppercase()
                && word.iter().all(u8::is_ascii_uppercase)
                && Level::from_word(word).is_some();
            let key = matches!(run, 3 | 5 | 8)
                && ["level", "lvl", "severity", "loglevel"]
                    .iter()
                    .any(|k| word.eq_ignore_ascii_case(k.as_bytes()));
            if upper_level || key {
                return true;
            }
        }
        at += run;
    }
    false
}

/// The level of `line`: its first level token, if any.
pub fn level_of(line: &[u8]) -> Option<Level> {
    // `find` runs the fast engines; the token is then read by hand rather
    // than through capture groups.
    let token = level_regex().find(line)?.as_bytes();
    if let Some(pri) = token.strip_prefix(b"<") {
        let pri = &pri[..pri.len() - 1];
        let pri: u32 = std::str::from_utf8(pri).ok()?.parse().ok()?;
        return Some(Level::from_syslog(pri % 8));
    }
    let end = token.iter().rposition(u8::is_ascii_alphanumeric)? + 1;
    let start = token[..end]
        .iter()
        .rposition(|b| !b.is_ascii_alphanumeric())
        .map_or(0, |i| i + 1);
    let word = &token[start..end];
    if word[0].is_ascii_digit() {
        // bunyan / pino: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
        return Level::ALL.get(usize::from(word[0] - b'1')).copied();
    }
    Level::from_word(word)
}

/// The level of a line that starts a record by a level token of its own,
/// where log formats put one: a syslog `<PRI>` or a klog/glog letter
/// (`E1130 10:00:00`) at the start, an upper-case level word or a
/// bracketed one (`ERROR ...`, `[warn] ...`) first on the line, or a
/// `level=`/`lvl=` or `"level":` field anywhere. A level word inside a
/// message or a trace (`Caused by: ... ERROR`, Go's `panic:`) is not one:
/// such lines continue the record before them.
pub fn heading_level(line: &[u8]) -> Option<Level> {
    if let Some(rest) = line.strip_prefix(b"<") {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if (1..=3).contains(&digits) && rest.get(digits) == Some(&b'>') {
            let pri: u32 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
            return Some(Level::from_syslog(pri % 8));
        }
    }
    if let Some(level) = klog_level(line) {
        return Some(level);
    }
    let bracketed = line.first() == Some(&b'[');
    let word_start = usize::from(bracketed);
    let word_len = line[word_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let word = &line[word_start..word_start + word_len];
    let after = line.get(word_start + word_len);
    let first_word = if bracketed {
        after == Some(&b']')
    } else {
        word.iter().all(u8::is_ascii_uppercase) && matches!(after, None | Some(b' ' | b':' | b'\t'))
    };
    if first_word && !word.is_empty() {
        if let Some(level) = Level::from_word(word) {
            return Some(level);
        }
    }
    field_level(line)
}

/// The text a container runtime wrapped: Docker's json-file
/// (`{"log":"...","stream":...,"time":...}`, still escaped) or CRI's
/// (`2026-...Z stderr F text`).
pub fn container_inner(line: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    let inner = container_text(line)?;
    if !line.starts_with(b"{") || memchr::memchr(b'\\', inner).is_none() {
        return Some(Cow::Borrowed(inner));
    }
    // Docker's text is a JSON string: a JSON log inside it is escaped
    // (`{\"level\":\"error\"}`); its fields are read unescaped.
    let mut text = Vec::with_capacity(inner.len());
    let mut bytes = inner.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            text.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'n') => text.push(b'\n'),
            Some(b't') => text.push(b'\t'),
            Some(b'r') => text.push(b'\r'),
            Some(&other) => text.push(other),
            None => {}
        }
    }
    Some(Cow::Owned(text))
}

/// [`container_inner`] as it is in the line (escaped).
fn container_text(line: &[u8]) -> Option<&[u8]> {
    let docker = line.strip_prefix(b"{\"log\":").map(|rest| {
        let spaces = rest.iter().take_while(|&&b| b == b' ').count();
        &rest[spaces..]
    });
    if let Some(rest) = docker.and_then(|rest| rest.strip_prefix(b"\"")) {
        let mut end = 0;
        while end < rest.len() {
            match rest[end] {
                b'\\' => end += 2,
                b'"' => break,
                _ => end += 1,
            }
        }
        let inner = &rest[..end.min(rest.len())];
        return Some(inner.strip_suffix(b"\\n").unwrap_or(inner));
    }
    // CRI: an RFC 3339 time, the stream, F (full) or P (partial), the text.
    let space = memchr::memchr(b' ', line)?;
    if space < 20 || !line[0].is_ascii_digit() || line.get(4) != Some(&b'-') {
        return None;
    }
    let rest = &line[space + 1..];
    let rest = rest
        .strip_prefix(b"stdout ")
        .or_else(|| rest.strip_prefix(b"stderr "))?;
    rest.strip_prefix(b"F ")
        .or_else(|| rest.strip_prefix(b"P "))
}

/// klog/glog's level letter: `E1130 10:00:00...`.
pub fn klog_level(line: &[u8]) -> Option<Level> {
    if line.len() <= 6
        || !line[1..5].iter().all(u8::is_ascii_digit)
        || line[5] != b' '
        || !line[6].is_ascii_digit()
    {
        return None;
    }
    match line[0] {
        b'I' => Some(Level::Info),
        b'W' => Some(Level::Warn),
        b'E' => Some(Level::Error),
        b'F' => Some(Level::Fatal),
        _ => None,
    }
}

/// journald's `"PRIORITY":"3"` as a syslog severity.
pub fn priority_level(line: &[u8]) -> Option<Level> {
    let at = memchr::memmem::find(line, b"\"PRIORITY\"")?;
    let value = &line[at + 10..];
    let value = value
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| &value[i..])?;
    let d = value.first().filter(|d| (b'0'..=b'7').contains(d))?;
    Some(Level::from_syslog(u32::from(d - b'0')))
}

/// Whether `line[at..]` is a field of the line itself: not inside a quoted
/// value (`msg="upstream said level=error"`) nor, in a JSON line, inside
/// a nested object or array (`{"ctx":{"level":"error"},"level":"info"}`).
pub fn at_top_level(line: &[u8], at: usize) -> bool {
    let json = line.first() == Some(&b'{');
    let (mut depth, mut quoted, mut escaped) = (0i32, false, false);
    for &b in &line[..at.min(line.len())] {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b'{' | b'[' if json && !quoted => depth += 1,
            b'}' | b']' if json && !quoted => depth -= 1,
            _ => {}
        }
    }
    !quoted && (!json || depth == 1)
}

/// A `level=`, `lvl=` or `"level":` field's value as a level; journald's
/// `"PRIORITY":"3"` as a syslog severity.
fn field_level(line: &[u8]) -> Option<Level> {
    if let Some(level) = priority_level(line) {
        return Some(level);
    }
    for key in [&b"level="[..], b"lvl=", b"\"level\":"] {
        let mut from = 0;
        while let Some(at) = memchr::memmem::find(&line[from..], key).map(|i| from + i) {
            from = at + key.len();
            let starts_field = at == 0 || matches!(line[at - 1], b' ' | b'\t' | b'{' | b',');
            if !starts_field || !at_top_level(line, at) {
                continue;
            }
            let value = &line[from..];
            let value = value.strip_prefix(b" ").unwrap_or(value);
            let value = value.strip_prefix(b"\"").unwrap_or(value);
            let len = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            if let Some(level) = Level::from_word(&value[..len]) {
                return Some(level);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14, found by the attacker: a level inside a nested object or
    /// a quoted value is not the line's.
    #[test]
    fn only_the_lines_own_fields_count() {
        let nested = br#"{"ctx":{"level":"error","time":"2001-01-01T00:00:00Z"},"level":"info"}"#;
        assert_eq!(heading_level(nested), Some(Level::Info));
        let quoted = br#"ts=2026-11-30T10:00:00Z msg="upstream said level=error" level=info"#;
        assert_eq!(heading_level(quoted), Some(Level::Info));
        assert!(at_top_level(br#"{"a":1,"level":"x"}"#, 7));
        assert!(!at_top_level(br#"{"a":{"level":"x"}}"#, 6));
        assert!(!at_top_level(br#"msg="a "q" level=x""#, 14));
        assert!(at_top_level(br#"msg="a "q"" level=x"#, 14));
    }

    #[test]
    fn container_lines_are_unwrapped() {
        assert_eq!(
            container_inner(b"{\"log\":\"Traceback (most recent call last):\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-30T10:00:00.1Z\"}").as_deref(),
            Some(&b"Traceback (most recent call last):"[..])
        );
        assert_eq!(
            container_inner(b"{\"log\":\"say \\\"hi\\\"\\n\",\"stream\":\"stdout\"}").as_deref(),
            Some(&b"say \"hi\""[..]),
            "unescaped"
        );
        assert_eq!(
            container_inner(b"2026-11-30T10:00:00.123456789Z stderr F   File \"app.py\", line 3")
                .as_deref(),
            Some(&b"  File \"app.py\", line 3"[..])
        );
        assert_eq!(container_inner(b"2026-11-30T10:00:00Z ERROR plain"), None);
    }

    #[test]
    fn lines_that_head_a_record_by_their_level() {
        let heads: [(&[u8], Level); 9] = [
            (b"ERROR db: timeout", Level::Error),
            (b"WARN: disk 91%", Level::Warn),
            (b"[error] client closed", Level::Error),
            (b"[Warning] low memory", Level::Warn),
            (b"<11>Nov 30 10:00:00 host app: x", Level::Error),
            (b"E1130 10:00:00.000000 1234 main.go:10] boom", Level::Error),
            (
                b"time=2026-11-30T10:00:00Z level=error msg=boom",
                Level::Error,
            ),
            (b"ts=1 lvl=warn msg=\"slow\"", Level::Warn),
            (b"{\"level\":\"info\",\"msg\":\"x\"}", Level::Info),
        ];
        // journald JSON: PRIORITY 3 is err, 4 warning, 6 info.
        assert_eq!(
            heading_level(b"{\"__REALTIME_TIMESTAMP\":\"1796032800000000\",\"PRIORITY\":\"3\",\"MESSAGE\":\"x\"}"),
            Some(Level::Error)
        );
        for (line, level) in heads {
            assert_eq!(
                heading_level(line),
                Some(level),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        // Inside a message or a trace: the record goes on.
        for line in [
            &b"Caused by: java.net.SocketTimeoutException: Read timed out ERROR"[..],
            b"\tat com.example.Pool.get(Pool.java:88)",
            b"panic: runtime error: index out of range",
            b"goroutine 1 [running]:",
            b"Error while reading config",
            b"ERRATA follow",
            b"msg=\"set xlevel=debug\"",
        ] {
            assert_eq!(
                heading_level(line),
                None,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn common_shapes() {
        let cases: [(&[u8], Option<Level>); 14] = [
            (b"2026-11-27 05:51:33 ERROR db: timeout", Some(Level::Error)),
            (b"2026-11-27 05:51:33 WARNING disk 91%", Some(Level::Warn)),
            (
                b"[Fri Nov 27 05:51:33 2026] [error] [client 1.2.3.4] File does not exist",
                Some(Level::Error),
            ),
            (
                b"[Fri Nov 27 05:51:33.1 2026] [proxy:warn] [pid 12] AH01144",
                Some(Level::Warn),
            ),
            (
                b"time=2026-11-27T05:51:33Z level=error msg=\"boom\"",
                Some(Level::Error),
            ),
            (
                b"{\"ts\":1795758693,\"level\":\"error\",\"msg\":\"x\"}",
                Some(Level::Error),
            ),
            (
                b"{\"level\":50,\"time\":1795758693000,\"msg\":\"x\"}",
                Some(Level::Error),
            ),
            (b"<11>Nov 27 05:51:33 host app: failed", Some(Level::Error)),
            (b"<14>Nov 27 05:51:33 host app: fine", Some(Level::Info)),
            (
                b"2026-11-27 05:51:33 INFO retrying after ERROR",
                Some(Level::Info),
            ),
            (
                b"2026-11-27 05:51:33 FATAL out of memory",
                Some(Level::Fatal),
            ),
            (b"\tat com.example.Main.run(Main.java:42)", None),
            (b"an error in lower case prose", None),
            (b"TERRORIST is not a level", None),
        ];
        for (line, level) in cases {
            assert_eq!(level_of(line), level, "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn a_hit_that_is_no_level_word_does_not_hide_a_later_token() {
        let line = b"2026-11-27 05:51:33 ERRATA: ERROR in the manual";
        assert_eq!(level_at(line, 20, 26), Some(Level::Error));
        assert_eq!(level_at(line, 28, 33), Some(Level::Error));
        assert_eq!(level_of(line), Some(Level::Error));
    }

    #[test]
    fn quick_prefix_check_never_says_no_to_a_token() {
        let lines: [&[u8]; 8] = [
            b"2026-11-27T05:51:33Z web01 app[1023]: ",
            b"INFO ",
            b"[core:warn] ",
            b"level=info ",
            b"{\"level\":30, ",
            b"<11>Nov 27 ",
            b"x [Error] ",
            b"msg=\"ok\" LEVEL=x ",
        ];
        for line in lines {
            if level_regex().is_match(line) {
                assert!(may_hold_level(line), "{}", String::from_utf8_lossy(line));
            }
        }
        assert!(!may_hold_level(lines[0]));
    }

    #[test]
    fn filters() {
        let warn_up = LevelFilter::parse("warn+").unwrap();
        assert!(warn_up.accepts(Some(Level::Error)));
        assert!(warn_up.accepts(Some(Level::Warn)));
        assert!(!warn_up.accepts(Some(Level::Info)));
        assert!(!warn_up.accepts(None));
        let err = LevelFilter::parse("ERR").unwrap();
        assert!(err.accepts(Some(Level::Error)) && !err.accepts(Some(Level::Fatal)));
        assert!(LevelFilter::parse("loud").is_err());
    }
}
