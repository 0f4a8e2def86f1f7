//! GNU grep's pattern syntaxes, translated into the `regex` crate's: BRE
//! (grep's default and `-G`) and ERE (`-E`), as GNU grep reads them in
//! the C locale. A pure function of the pattern, so every rule below is a
//! unit test.
//!
//! BRE: `\(` `\)` group, `\{m,n\}` counts, `\|` `\+` `\?` (GNU extensions)
//! are operators and their unescaped forms are literals; `*` is literal
//! at the start of the pattern or of a group or alternative (after `^` as
//! well); `^` is an anchor only at those starts and `$` only at the ends,
//! else both are literals. ERE: the operators are unescaped, and `{` that
//! does not start a valid count is a literal (as GNU grep). Both: bracket
//! expressions are POSIX (a `\` inside is a literal, `]` first is a
//! member, `[:alpha:]` classes), `\<` `\>` `\b` `\B` `\w` `\W` `\s` `\S`
//! `` \` `` `\'` are GNU's, and any other escaped character is itself.
//! Back-references (`\1`..`\9`) have no counterpart in the `regex` crate:
//! they are refused with a pointer to `-P` (PCRE2, which has them).

/// Which of grep's syntaxes a pattern is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Basic (grep's default, `-G`).
    Basic,
    /// Extended (`-E`).
    Extended,
}

/// The pattern in the `regex` crate's syntax (used with `unicode(false)`).
///
/// # Errors
/// A message for what cannot be translated: back-references, an
/// unmatched `\(` or `(`, a bracket expression that does not close, a bad
/// count, a trailing backslash, equivalence classes and collating symbols.
pub fn translate(pattern: &str, syntax: Syntax) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    // How many groups are open, and whether the next character is at the
    // start of the pattern, of a group or of an alternative (where BRE's
    // `*` and `^` change meaning), or right after a `^` anchor there.
    let mut depth = 0usize;
    let mut at_start = true;
    // Where the last atom starts in `out`, where the open groups do, and
    // whether the last token was a repetition: POSIX stacks repetitions
    // (`a+?` is `(a+)?`), where the regex crate reads `+?` as lazy.
    let (mut atom, mut opens, mut repeated) = (0usize, Vec::new(), false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = at_start;
        at_start = false;
        let before = out.len();
        let depth_before = depth;
        match (c, syntax) {
            ('\\', _) => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err("trailing backslash".into());
                };
                i += 1;
                match (next, syntax) {
                    ('(', Syntax::Basic) => {
                        depth += 1;
                        out.push('(');
                        at_start = true;
                    }
                    (')', Syntax::Basic) => {
                        if depth == 0 {
                            return Err("unmatched \\)".into());
                        }
                        depth -= 1;
                        out.push(')');
                    }
                    ('|', Syntax::Basic) => {
                        out.push('|');
                        at_start = true;
                    }
                    ('{', Syntax::Basic) => {
                        if start {
                            out.push_str("\\{");
                        } else {
                            let (count, used) = interval(&chars[i + 1..], true)?
                                .ok_or("bad \\{...\\} count (or give -E for a literal {)")?;
                            out.push_str(&count);
                            i += used;
                        }
                    }
                    ('+' | '?', Syntax::Basic) if !start => out.push(next),
                    ('1'..='9', _) => {
                        return Err(format!(
                            "back-reference \\{next}: binkit's BRE and ERE engine has none; write it for -P (PCRE2), which has them"
                        ))
                    }
                    ('<', _) => out.push_str("\\b{start}"),
                    ('>', _) => out.push_str("\\b{end}"),
                    ('b' | 'B' | 'w' | 'W' | 's' | 'S', _) => {
                        out.push('\\');
                        out.push(next);
                    }
                    // The buffer's ends, in grep: a line's, since grep
                    // matches line by line.
                    ('`', _) => out.push('^'),
                    ('\'', _) => out.push('$'),
                    (other, _) => push_literal(&mut out, other),
                }
            }
            ('[', _) => {
                i = bracket(&chars, i, &mut out)?;
            }
            // ERE: a repetition at the start repeats the empty expression
            // (GNU grep warns and matches as if it were not there).
            ('*' | '+' | '?', Syntax::Extended) if start => at_start = true,
            ('*', _) if start => out.push_str("\\*"),
            ('*', _) => out.push('*'),
            ('^', _) if start => {
                out.push('^');
                at_start = true;
            }
            ('^', Syntax::Basic) => out.push_str("\\^"),
            ('^', Syntax::Extended) => out.push('^'),
            ('$', Syntax::Basic) if !at_end(&chars, i + 1) => out.push_str("\\$"),
            ('$', _) => out.push('$'),
            ('.', _) => out.push('.'),
            // ERE's operators.
            ('(', Syntax::Extended) => {
                depth += 1;
                out.push('(');
                at_start = true;
            }
            (')', Syntax::Extended) if depth > 0 => {
                depth -= 1;
                out.push(')');
            }
            ('|', Syntax::Extended) => {
                out.push('|');
                at_start = true;
            }
            ('+' | '?', Syntax::Extended) => out.push(c),
            ('{', Syntax::Extended) => match interval(&chars[i + 1..], false)? {
                Some(_) if start => {
                    return Err(
                        "a {...} count at the start repeats nothing (GNU grep warns and reads it its own way)"
                            .into(),
                    )
                }
                Some((count, used)) => {
                    out.push_str(&count);
                    i += used;
                }
                None => out.push_str("\\{"),
            },
            (other, _) => push_literal(&mut out, other),
        }
        // What the token was: a repetition, a group's open or close, or
        // an atom.
        let pushed = &out[before..];
        let repetition = !pushed.is_empty()
            && (matches!(pushed, "*" | "+" | "?")
                || (pushed.starts_with('{') && pushed.ends_with('}')));
        if repetition {
            if repeated {
                out.insert(before, ')');
                out.insert_str(atom, "(?:");
            }
            repeated = true;
        } else if !pushed.is_empty() {
            repeated = false;
            if depth > depth_before {
                opens.push(before);
            } else if depth < depth_before {
                atom = opens.pop().unwrap_or(0);
            } else {
                atom = before;
            }
        }
        i += 1;
    }
    if depth > 0 {
        return Err(match syntax {
            Syntax::Basic => "unmatched \\(".into(),
            Syntax::Extended => "unmatched (".into(),
        });
    }
    Ok(out)
}

/// A BRE `$` is an anchor at the end of the pattern, of a group or of an
/// alternative (`\)` or `\|` next).
fn at_end(chars: &[char], next: usize) -> bool {
    match chars.get(next) {
        None => true,
        Some('\\') => matches!(chars.get(next + 1), Some(')' | '|')),
        Some(_) => false,
    }
}

/// `c` as a literal in the regex crate's syntax.
fn push_literal(out: &mut String, c: char) {
    if regex_syntax::is_meta_character(c) {
        out.push('\\');
    }
    out.push(c);
}

/// A count after its `{` (BRE: after `\{`, closed by `\}`): `m`, `m,`,
/// `,n` (GNU: 0 to n) or `m,n`; returns it in the regex crate's syntax
/// and how many characters it took, or `None` when it is not a count.
/// A count in form whose numbers are not one (over 32767, GNU's
/// RE_DUP_MAX, or `{2,1}`) is an error, as in GNU grep, never a literal.
fn interval(chars: &[char], basic: bool) -> Result<Option<(String, usize)>, String> {
    let Some((body, used)) = interval_text(chars, basic) else {
        return Ok(None);
    };
    let number = |s: &str| -> Result<Option<u32>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        s.parse()
            .ok()
            .filter(|&n| n <= 32_767)
            .map(Some)
            .ok_or_else(|| {
                format!("count {s} is over 32767 (GNU grep: regular expression too big)")
            })
    };
    let text = match body.split_once(',') {
        None => format!("{{{}}}", number(&body)?.ok_or("an empty count")?),
        Some((low, high)) => {
            let low = number(low)?.unwrap_or(0);
            match number(high)? {
                Some(high) if high < low => {
                    return Err(format!(
                        "count {{{body}}} ends before it starts (invalid content of {{}})"
                    ))
                }
                Some(high) => format!("{{{low},{high}}}"),
                None => format!("{{{low},}}"),
            }
        }
    };
    Ok(Some((text, used)))
}

/// A count's text between its braces, if it is a count's shape (digits
/// and at most one comma), and the characters it takes with its close.
fn interval_text(chars: &[char], basic: bool) -> Option<(String, usize)> {
    let close = if basic {
        (0..chars.len()).find(|&k| chars[k] == '\\' && chars.get(k + 1) == Some(&'}'))?
    } else {
        chars.iter().position(|&c| c == '}')?
    };
    let body: String = chars[..close].iter().collect();
    let shaped =
        body.bytes().all(|b| b.is_ascii_digit() || b == b',') && body.matches(',').count() <= 1;
    let used = close + if basic { 2 } else { 1 };
    (shaped && !body.is_empty()).then_some((body, used))
}

/// Copies the POSIX bracket expression starting at `chars[open]` (`[`)
/// into `out` as a regex class; returns the index of its closing `]`.
fn bracket(chars: &[char], open: usize, out: &mut String) -> Result<usize, String> {
    let unclosed = || "unmatched [ (a bracket expression that does not close)".to_string();
    let mut i = open + 1;
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let c = *chars.get(i).ok_or_else(unclosed)?;
        match c {
            ']' if !first => {
                // `[:alpha:]` is a typo of `[[:alpha:]]`, which GNU grep
                // refuses rather than match the set {:, a, l, p, h}.
                let members = open + 1 + usize::from(chars.get(open + 1) == Some(&'^'));
                if chars.get(members) == Some(&':') && i > members + 1 && chars[i - 1] == ':' {
                    return Err("character class syntax is [[:space:]], not [:space:]".into());
                }
                out.push(']');
                return Ok(i);
            }
            '[' if matches!(chars.get(i + 1), Some(':' | '=' | '.')) => {
                let kind = chars[i + 1];
                let end = (i + 2..chars.len().saturating_sub(1))
                    .find(|&k| chars[k] == kind && chars[k + 1] == ']')
                    .ok_or_else(unclosed)?;
                let name: String = chars[i + 2..end].iter().collect();
                if kind != ':' {
                    return Err(format!(
                        "[{kind}{name}{kind}]: equivalence classes and collating symbols are not supported"
                    ));
                }
                const CLASSES: [&str; 12] = [
                    "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print",
                    "punct", "space", "upper", "xdigit",
                ];
                if !CLASSES.contains(&name.as_str()) {
                    return Err(format!("[:{name}:]: not a character class"));
                }
                out.push_str(&format!("[:{name}:]"));
                i = end + 1;
            }
            // Members the regex crate would read as syntax of its own.
            '\\' | '[' | '&' | '~' | '^' => {
                out.push('\\');
                out.push(c);
            }
            '-' if chars.get(i + 1) == Some(&'-') => out.push_str("\\-"),
            other => out.push(other),
        }
        first = false;
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(p: &str) -> String {
        translate(p, Syntax::Basic).unwrap()
    }

    fn extended(p: &str) -> String {
        translate(p, Syntax::Extended).unwrap()
    }

    #[test]
    fn bre_operators_are_escaped_and_plain_ones_literal() {
        assert_eq!(basic(r"libc6\|zlib"), "libc6|zlib");
        assert_eq!(basic(r"\(ab\)*c"), "(ab)*c");
        assert_eq!(basic(r"a\{2,3\}"), "a{2,3}");
        assert_eq!(basic(r"a\{,3\}"), "a{0,3}");
        assert_eq!(basic(r"a\{2\}"), "a{2}");
        assert_eq!(basic(r"a\{2,\}"), "a{2,}");
        assert_eq!(basic(r"a\+b\?"), "a+b?");
        // Unescaped, they are characters.
        assert_eq!(basic("a|b(c)+d?{1}"), r"a\|b\(c\)\+d\?\{1\}");
    }

    #[test]
    fn bre_star_and_anchors_depend_on_their_place() {
        assert_eq!(basic("*a"), r"\*a");
        assert_eq!(basic("^*a"), r"^\*a");
        assert_eq!(basic(r"\(*a\)"), r"(\*a)");
        assert_eq!(basic(r"x\|*a"), r"x|\*a");
        assert_eq!(basic("a*"), "a*");
        assert_eq!(basic("a^b"), r"a\^b");
        assert_eq!(basic("a$b"), r"a\$b");
        assert_eq!(basic("^a$"), "^a$");
        assert_eq!(basic(r"\(^a$\)"), "(^a$)");
        assert_eq!(basic(r"a$\|^b"), "a$|^b");
        assert_eq!(basic("^$"), "^$");
    }

    #[test]
    fn ere_is_mostly_the_regex_crates() {
        assert_eq!(extended("a|b(c)+d?"), "a|b(c)+d?");
        assert_eq!(extended("a{2,3}"), "a{2,3}");
        // A `{` that does not start a count is a literal, as in GNU grep.
        assert_eq!(extended("a{"), r"a\{");
        assert_eq!(extended("a{x}"), r"a\{x\}");
        // A repetition at the start repeats nothing: GNU grep -E '*x'
        // matches the lines with an x (measured: 4 of 10 in the test's
        // sample), as if the `*` were not there.
        assert_eq!(extended("*a"), "a");
        assert_eq!(extended("+a|?b"), "a|b");
        assert_eq!(extended("(*a)"), "(a)");
        assert_eq!(extended(r"\(a\)"), r"\(a\)");
        assert_eq!(extended("a)"), r"a\)");
    }

    #[test]
    fn gnu_escapes_and_literals() {
        assert_eq!(basic(r"\<word\>"), r"\b{start}word\b{end}");
        assert_eq!(basic(r"\bx\B\w\W\s\S"), r"\bx\B\w\W\s\S");
        assert_eq!(basic(r"\`a\'"), "^a$");
        assert_eq!(basic(r"a\.b\*c\[d\]e\\f"), r"a\.b\*c\[d\]e\\f");
        // A stray backslash before an ordinary character is that character.
        assert_eq!(basic(r"\a\%"), r"a%");
        assert_eq!(basic("a.b"), "a.b");
        assert_eq!(basic("#&~-"), r"\#\&\~\-");
    }

    #[test]
    fn brackets_are_posix() {
        assert_eq!(basic("[]a]"), "[]a]");
        assert_eq!(basic("[^]a]"), "[^]a]");
        assert_eq!(basic(r"[\]"), r"[\\]");
        assert_eq!(basic("[a-z0-9_]"), "[a-z0-9_]");
        assert_eq!(basic("[[:digit:][:alpha:]-]"), "[[:digit:][:alpha:]-]");
        assert_eq!(basic("[a&&b~~c]"), r"[a\&\&b\~\~c]");
        assert_eq!(basic("[a[b]"), r"[a\[b]");
        assert_eq!(basic("[a^]"), r"[a\^]");
        assert_eq!(basic("[|()]"), "[|()]");
    }

    #[test]
    fn what_cannot_be_translated_is_refused_with_why() {
        let err = |p, s| translate(p, s).unwrap_err();
        // GNU grep: "Regular expression too big" past RE_DUP_MAX (32767),
        // "Invalid content of \{\}" for a count that ends before it starts:
        // errors, not the literal text they once matched.
        assert!(err("x{40000}", Syntax::Extended).contains("32767"));
        assert!(err("x{0,32768}", Syntax::Extended).contains("32767"));
        assert!(err(r"x\{70000\}", Syntax::Basic).contains("32767"));
        assert!(err("a{2,1}", Syntax::Extended).contains("ends before"));
        assert_eq!(extended("a{1"), r"a\{1");
        assert_eq!(extended("a{x}"), r"a\{x\}");
        // POSIX stacks repetitions: `a+?` is `(a+)?` (GNU grep), not the
        // regex crate's lazy `+?`; the atom may be a group or a class.
        assert_eq!(extended("x+?y"), "(?:x+)?y");
        assert_eq!(extended("(ab)+?"), "(?:(ab)+)?");
        assert_eq!(extended("[ab]+{2}"), "(?:[ab]+){2}");
        assert_eq!(basic(r"x\+\?q"), "(?:x+)?q");
        assert_eq!(extended("a*b+"), "a*b+");
        // GNU grep: "character class syntax is [[:space:]], not [:space:]".
        assert!(err("[:alpha:]", Syntax::Basic).contains("[[:space:]]"));
        assert!(err("x[:digit:]y", Syntax::Extended).contains("[[:space:]]"));
        assert!(err("[^:alpha:]", Syntax::Basic).contains("[[:space:]]"));
        assert_eq!(basic("[:a]"), "[:a]");
        assert_eq!(basic("[[:alpha:]:]"), "[[:alpha:]:]");
        assert!(err(r"\(a\)\1", Syntax::Basic).contains("has none"));
        assert!(err(r"(a)\1", Syntax::Extended).contains("back-reference"));
        assert_eq!(err(r"\(a", Syntax::Basic), r"unmatched \(");
        assert_eq!(err("(a", Syntax::Extended), "unmatched (");
        assert_eq!(err(r"a\)", Syntax::Basic), r"unmatched \)");
        assert!(err("[abc", Syntax::Basic).starts_with("unmatched ["));
        assert!(err("[[:nope:]]", Syntax::Basic).contains("not a character class"));
        assert!(err("[[=a=]]", Syntax::Basic).contains("equivalence"));
        assert_eq!(err("a\\", Syntax::Basic), "trailing backslash");
        assert!(err("{1}a", Syntax::Extended).contains("repeats nothing"));
        assert!(err(r"a\{3,1\}", Syntax::Basic).contains("count"));
        assert!(err(r"a\{x\}", Syntax::Basic).contains("count"));
    }

    #[test]
    fn every_translation_compiles() {
        for p in [
            r"libc6\|zlib",
            r"\(ab\)*c",
            "*a",
            "[]a]",
            r"[\]",
            "a{",
            "a{x}",
            "a^b|c",
            r"\<w\>",
            "[[:space:]]x",
            "^$",
            "a$b",
        ] {
            for s in [Syntax::Basic, Syntax::Extended] {
                if let Ok(t) = translate(p, s) {
                    regex::bytes::RegexBuilder::new(&t)
                        .unicode(false)
                        .build()
                        .unwrap_or_else(|e| panic!("{p} ({s:?}) -> {t}: {e}"));
                }
            }
        }
    }
}
