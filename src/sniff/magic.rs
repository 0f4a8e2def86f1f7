//! libmagic's text rules: which kind of text a file is, as `file
//! --mime-type` says it.
//!
//! libmagic tries its text tests in order of strength and stops at the
//! first that matches; a matching test without a MIME type makes the file
//! `text/plain`. The table below is that list for the tests that name a
//! type (and the few typeless ones that stop the search before them),
//! ported from file 5.45's `magic/Magdir` (`c-lang`, `javascript`, `ruby`,
//! `perl`, `python`, `sgml`, `mail.news`, `diff`, `tex`, `troff`, `make`,
//! `m4`, `lisp`, `assembler`, `msdos`, `gnu`, `images`, `subtitle`,
//! `algol68`), in
//! the order `file -l` of Debian's file 5.44 lists them. A magic `search/N`
//! becomes a window of N bytes, a `regex` one of 8 KiB (libmagic's
//! `regex_max`), `regex/Nl` one of N lines of 80 bytes; a test that
//! continues from the end of the previous match (`>&0`) becomes a lazy
//! `(?s:.*?)` between the two patterns.

use std::sync::LazyLock;

use regex::bytes::Regex;

/// One test: the window of the text it looks at, its pattern(s) (all must
/// match), and the type it gives (`text/plain` for a typeless test).
struct Rule {
    window: usize,
    patterns: &'static [&'static str],
    mime: &'static str,
}

const REGEX: usize = 8192;
/// A `search` without a range: all that was read.
const WHOLE: usize = usize::MAX;
const AT_START: usize = REGEX;

const fn rule(window: usize, pattern: &'static [&'static str], mime: &'static str) -> Rule {
    Rule {
        window,
        patterns: pattern,
        mime,
    }
}

const RFC822: &str = "message/rfc822";
const NEWS: &str = "message/news";
const HTML: &str = "text/html";
const XML: &str = "text/xml";
const JS: &str = "application/javascript";
const CPP: &str = "text/x-c++";
const C: &str = "text/x-c";
const RUBY: &str = "text/x-ruby";
const PERL: &str = "text/x-perl";
const PYTHON: &str = "text/x-script.python";
const TEX: &str = "text/x-tex";
const TROFF: &str = "text/troff";
const DIFF: &str = "text/x-diff";
const LISP: &str = "text/x-lisp";
const ASM: &str = "text/x-asm";
const MAKE: &str = "text/x-makefile";
const PLAIN: &str = "text/plain";
const ALGOL68: &str = "text/x-Algol68";

/// Ruby's `end` line, which several Ruby tests look for last.
macro_rules! ruby_end {
    () => {
        r"^\s*end(?:\s+[;#].*)?$"
    };
}

/// The text tests, strongest first (the strength `file -l` prints).
static RULES: &[Rule] = &[
    // 195: sgml, an XML declaration.
    rule(AT_START, &[r#"\A<\?xml version(?: "|="|=')"#], XML),
    // 170
    rule(AT_START, &[r"\A(?i:<!doctype\s+html)"], HTML),
    rule(AT_START, &[r"\ARelay-Version: "], RFC822),
    // 160: mail.news (and a MIME entity, typeless).
    rule(AT_START, &[r"\AMIME-Version:"], PLAIN),
    rule(AT_START, &[r"\A(?i:delivered-to:)"], RFC822),
    rule(AT_START, &[r"\A(?i:return-path:)"], RFC822),
    // 137: gettext catalogues.
    rule(2100, &[r"\nmsgid(?s:.{0,1024}?)\nmsgstr"], "text/x-po"),
    rule(AT_START, &[r"\AForward to "], RFC822),
    // 129: unified diff.
    rule(
        4096,
        &[r"--- [^\n]{0,1023}\n\+\+\+ [^\n]{0,1023}\n@@"],
        DIFF,
    ),
    rule(AT_START, &[r"\AN#! rnews"], RFC822),
    rule(AT_START, &[r"\AReceived:"], RFC822),
    // 112
    rule(
        REGEX,
        &[r"^export (?:function|class|default|const|var|let|async) "],
        JS,
    ),
    rule(AT_START, &[r"\A#! rnews"], RFC822),
    // 106: netpbm in ASCII, a size after the magic.
    rule(
        AT_START,
        &[r"\AP1[ \t\f\r\n](?:\s|#[^\n]*\n)*[0-9]"],
        "image/x-portable-bitmap",
    ),
    rule(
        AT_START,
        &[r"\AP2[ \t\f\r\n](?:\s|#[^\n]*\n)*[0-9]"],
        "image/x-portable-graymap",
    ),
    rule(
        AT_START,
        &[r"\AP3[ \t\f\r\n](?:\s|#[^\n]*\n)*[0-9]"],
        "image/x-portable-pixmap",
    ),
    rule(AT_START, &[r"\APipe to "], RFC822),
    rule(AT_START, &[r"\AArticle "], NEWS),
    rule(AT_START, &[r"\AWEBVTT"], "text/vtt"),
    // 90
    rule(AT_START, &[r"\A(?i:<html>)"], HTML),
    rule(REGEX, &[r"^(?:const|var|let).*=.*require\("], JS),
    rule(128, &[r"__BUNDLE_START_TIME__="], JS),
    rule(REGEX, &[r"^(?:import|export).* from "], JS),
    // 80
    rule(REGEX, &[r#"module(?:\.|\[["'])exports.*="#], JS),
    rule(AT_START, &[r"\APath:"], NEWS),
    rule(AT_START, &[r"\AXref:"], NEWS),
    rule(AT_START, &[r"\AFrom:"], RFC822),
    rule(AT_START, &[r"\ADate:"], RFC822),
    rule(
        REGEX,
        &[
            r"^\s*require\s'[A-Za-z_/.]+'",
            concat!(r"(?:def [a-z]| do$)(?s:.*?)", ruby_end!()),
        ],
        RUBY,
    ),
    rule(REGEX, &[r#"^(?:import|export) ["']\./"#], JS),
    // 78: Perl modules (typeless: file says text/plain).
    rule(
        REGEX,
        &[r"^package\s+[0-9A-Za-z_:]+\s*(?:\sv?[0-9][0-9.]*)?\s*;"],
        PLAIN,
    ),
    rule(REGEX, &[r"\((?:async )?function[( ]"], JS),
    rule(WHOLE, &[r#""use strict"|'use strict'"#], JS),
    // 71: C++.
    rule(
        REGEX,
        &[r"^using\s+(?:namespace )?std(?:::)?[[:alpha:]]*\s*;"],
        CPP,
    ),
    rule(
        AT_START,
        &[r"\A(?i:<!--)(?s:.{0,4096}?)(?i:<!doctype\s+html|<html>)"],
        HTML,
    ),
    rule(REGEX, &[r"^namespace\s+[_[:alpha:]]{1,30}\s*\{"], CPP),
    // 70: PHP (`commands`).
    rule(AT_START, &[r"\A(?i:<\?php)"], "text/x-php"),
    rule(REGEX, &[r"^\s*protected:"], CPP),
    rule(REGEX, &[r"^\s*template\s*<.*>\s*$"], CPP),
    rule(REGEX, &[r#"^require\(["']"#], JS),
    rule(REGEX, &[r"typeof.*[!=]=="], JS),
    rule(REGEX, &[r"^\s*virtual\s+.*[};]\s*$"], CPP),
    rule(REGEX, &[r"^\s*private:"], CPP),
    rule(
        REGEX,
        &[
            r"^\s*(?:class|module)\s[A-Z]",
            concat!(
                r"(?:(?:modul|includ)e [A-Z]|def [a-z])(?s:.*?)",
                ruby_end!()
            ),
        ],
        RUBY,
    ),
    rule(REGEX, &[r"^\s*public:"], CPP),
    // 63
    rule(REGEX, &[r#"^#import\s+["<]"#], "text/x-objective-c"),
    rule(4096, &[r"\\documentstyle"], TEX),
    rule(1024, &[r"eval '\(exit \$\?0\)' && eval 'exec"], PERL),
    rule(
        1024,
        &[r#"eval ["']exec (?:perl|/bin/perl|/usr/bin/perl|/usr/local/bin/perl)"#],
        PERL,
    ),
    rule(
        REGEX,
        &[r"^\s*(?:class|module)\s[A-Z](?s:.*?)^\s*end(?:\s+[;#if].*)?$"],
        RUBY,
    ),
    rule(4096, &[r"\\documentclass"], TEX),
    // 58
    rule(4096, &[r"def __init__(?s:.{0,64}?)self"], PYTHON),
    rule(4096, &[r"(?i:<!doctype\s+svg)"], "image/svg+xml"),
    rule(4096, &[r"\\contentsline"], TEX),
    rule(
        4096,
        &[r#"if __name__(?s:.{0,64}?)(?:'__main__'|"__main__")"#],
        PYTHON,
    ),
    rule(
        REGEX,
        &[r"^class [_[:alpha:]]+(?:\(.*\))? *:(?:[ \t]+pass)?$"],
        PYTHON,
    ),
    rule(4096, &[r"\\section|\\chapter"], TEX),
    // 55
    rule(AT_START, &[r"\A(?i:<\?xml)"], XML),
    rule(4096, &[r"\\setlength"], TEX),
    rule(
        REGEX,
        &[r"^\s*class\s+[[:alnum:]:_]+\s*\{(?s:.*)\};?$"],
        CPP,
    ),
    rule(REGEX, &[r"^AC_DEFUN\(\["], "text/x-m4"),
    rule(
        4096,
        &[r"try:(?s:.*?)^\s*except.*:$|try:(?s:.{0,4096}?)finally:"],
        PYTHON,
    ),
    rule(
        REGEX,
        &[r"^\s{0,50}def {1,50}[_a-zA-Z]{1,100}(?s:.*?)\([[:alpha:]*_, ]{0,255}\):$"],
        PYTHON,
    ),
    // 53
    rule(AT_START, &[r"\Adiff "], DIFF),
    rule(4096, &[r"(?i:<script>|<script\s|<a\s+href=)"], HTML),
    // 52
    rule(REGEX, &[r"^#include"], C),
    rule(4096, &[r"\(custom-set-variables "], LISP),
    rule(
        80 * 100,
        &[r"^(?:CFLAGS|VPATH|LDFLAGS|all:|\.PRECIOUS)"],
        MAKE,
    ),
    rule(
        REGEX,
        &[r"^from[ \t]+(?:[A-Za-z0-9_]|\.)+[ \t]+import.*$"],
        PYTHON,
    ),
    rule(
        4096,
        &[r"(?i:<html>|<html\s|<style>|<style\s|<table>|<table\s)"],
        HTML,
    ),
    // 51
    rule(4096, &[r"(?i:<head>|<head\s|<title>|<title\s)"], HTML),
    rule(4096, &[r"\\input|\\begin|\\relax"], TEX),
    // 49
    rule(
        REGEX,
        &[concat!(
            r"(?:^\s*def [a-z]|def [[:alpha:]]+::[a-z])(?s:.*?)",
            ruby_end!()
        )],
        RUBY,
    ),
    rule(4096, &[r"(?i:<!doctype\s+html)"], HTML),
    rule(AT_START, &[r"\AThis is Info file"], "text/x-info"),
    // 44
    rule(
        AT_START,
        &[r"\A1[\r\n]+0[01]:[0-9]{2}:[0-9]{2},[0-9]{3} -->"],
        "application/x-subrip",
    ),
    rule(AT_START, &[r"\A\\input texinfo"], "text/x-texinfo"),
    rule(4096, &[r"% -\*-latex-\*-"], TEX),
    rule(80 * 100, &[r"^\.(?:BEGIN|endif|include)"], MAKE),
    // 41: C by its preprocessor lines and declarations, Java, DOS batch.
    rule(REGEX, &[r"^#\s*(?:if|ifn)def(?s:.*?)^#\s*endif$"], C),
    rule(REGEX, &[r"^\s*float(?: \*|\*)(.+)(?:=.*)?;\s*$"], C),
    rule(REGEX, &[r"^union\s+"], C),
    rule(REGEX, &[r"main\((?s:.{0,64}?)String"], "text/x-java"),
    rule(
        AT_START,
        &[r"\A@(?i: +echo +off|echo +off|rem|set )"],
        "text/x-msdos-batch",
    ),
    // 40
    rule(4096, &[r"\((?:setq|defvar|defparam|defun|autoload) "], LISP),
    rule(REGEX, &[r"^dnl "], "text/x-m4"),
    rule(AT_START, &[r#"\A(?:\\"|\.\\"|'\\"|'\.\\")"#], TROFF),
    rule(AT_START, &[r"\A\*\*\* (?s:.{0,1024}?)\n--- "], DIFF),
    rule(AT_START, &[r"\A<\?[\r\n]"], "text/x-php"),
    // 39
    rule(REGEX, &[r"^\s*char(?: \*|\*)(.+)(?:=.*)?;\s*$"], C),
    // 38
    rule(AT_START, &[r"\A(?:Only in |Common subdirectories: )"], DIFF),
    rule(80 * 20, &[r"^\.[A-Za-z][A-Za-z0-9](?:[ \t]|$)"], TROFF),
    rule(
        REGEX,
        &[r"^\s*require\s'[A-Za-z_/.]+'|^\s*include ([A-Z]+[a-z]*::)+"],
        RUBY,
    ),
    // 37
    rule(REGEX, &[r"^#\s*pragma"], C),
    rule(REGEX, &[r"^#\s*(?:if|ifn)def(?s:.*?)^#\s*define"], C),
    rule(REGEX, &[r"^\s*double(?: \*|\*)(.+)(?:=.*)?;\s*$"], C),
    rule(REGEX, &[r"^\s*extern\s+"], C),
    rule(REGEX, &[r"^struct\s+"], C),
    rule(REGEX, &[r"main\((?s:.*?)\)\s*\{"], C),
    rule(
        REGEX,
        &[r"^import [_[:alpha:]]+ as [[:alpha:]]\s*$"],
        PYTHON,
    ),
    // Algol 68 (`algol68`), low in the order.
    rule(REGEX, &[r"\(input,"], ALGOL68),
    rule(4006, &[r"^PROC\s[a-zA-Z0-9_\s]*\s="], ALGOL68),
    rule(1024, &[r"\b(?:MODE|REF)[\t ]|\bFLEX[\t ]\*\["], ALGOL68),
    // 36
    rule(
        REGEX,
        &[r"^[ \t]{0,50}\.(?:asciiz|byte|even|globl|text|file|type)"],
        ASM,
    ),
    rule(AT_START, &[r"\AIndex:"], DIFF),
    // 30
    rule(AT_START, &[r"\A\s*<\?XML"], XML),
    rule(80 * 100, &[r"^SUBDIRS\s+="], MAKE),
];

/// The rules compiled: ASCII classes, `.` any byte but a newline, `^`/`$`
/// at line ends (POSIX's `REG_NEWLINE`, which libmagic uses).
static COMPILED: LazyLock<Vec<Vec<Regex>>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|rule| {
            rule.patterns
                .iter()
                .map(|p| Regex::new(&format!("(?m-u){p}")).expect("a valid rule"))
                .collect()
        })
        .collect()
});

/// The type of the first (strongest) rule that matches `text`, if any.
pub fn text_type(text: &[u8]) -> Option<&'static str> {
    RULES.iter().zip(COMPILED.iter()).find_map(|(rule, res)| {
        let window = &text[..text.len().min(rule.window)];
        res.iter()
            .all(|re| re.is_match(window))
            .then_some(rule.mime)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles() {
        assert_eq!(COMPILED.len(), RULES.len());
    }

    /// Each case is what `file --mime-type` 5.44 prints for the text (the
    /// integration tests run `file` itself on real trees' files).
    #[test]
    fn strongest_rule_wins() {
        let cases: [(&[u8], Option<&str>); 14] = [
            (
                b"#include <vector>\ntemplate <typename T>\nclass X {};\n",
                Some(CPP),
            ),
            (
                b"#include <stdio.h>\nint main(void) { return 0; }\n",
                Some(C),
            ),
            (b"const fs = require('fs');\n", Some(JS)),
            (b"import x from './x.js';\n", Some(JS)),
            (b"From: a@b\nTo: c@d\n\nhi\n", Some(RFC822)),
            (b"<?xml version=\"1.0\"?>\n<html></html>\n", Some(XML)),
            (b"Some text with <a href=\"x\">a link</a>\n", Some(HTML)),
            (b"\t.globl main\nmain:\n", Some(ASM)),
            (b"all: foo\n\tcc foo.c\n", Some(MAKE)),
            (b"dnl comment\nAC_INIT\n", Some("text/x-m4")),
            (b"package Foo;\nuse strict;\n1;\n", Some(PLAIN)),
            (
                b"P3\n# comment\n2 2\n255\n",
                Some("image/x-portable-pixmap"),
            ),
            (
                b"1\n00:00:01,000 --> 00:00:02,000\nHi\n",
                Some("application/x-subrip"),
            ),
            (b"Just some words.\n", None),
        ];
        for (text, mime) in cases {
            assert_eq!(text_type(text), mime, "{:?}", String::from_utf8_lossy(text));
        }
    }
}
