//! grep's `--include`, `--exclude` and `--exclude-dir`: which files and
//! directories are searched, by wildcard (globset, `*`/`?`/`[...]`, with
//! `/` matched like any character, as fnmatch without FNM_PATHNAME).
//!
//! grep's rules: a walked entry is judged by its base name, one named on
//! the command line by any "name suffix" (the whole name, or what follows
//! a `/`). Among `--include` and `--exclude` the last one that matches
//! decides; when none matches, the file is searched unless the first of
//! them is an `--include`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use globset::{Glob, GlobMatcher};

use crate::error::{Error, Result};

/// `--include` and `--exclude` in command-line order, and `--exclude-dir`.
pub struct NameRules {
    files: Vec<(bool, GlobMatcher)>,
    dirs: Vec<GlobMatcher>,
}

impl NameRules {
    /// The rules, ordered as `argv` gives them (the parsed lists when
    /// `argv` cannot be read the same way).
    ///
    /// # Errors
    /// A glob that does not parse.
    pub fn new(
        include: &[String],
        exclude: &[String],
        dirs: &[String],
        argv: &[OsString],
    ) -> Result<NameRules> {
        let glob = |text: &str| {
            Glob::new(text)
                .map(|g| g.compile_matcher())
                .map_err(|e| Error::Usage(format!("bad glob {text:?}: {}", e.kind())))
        };
        let ordered = order(argv).filter(|o| {
            o.iter().filter(|(inc, _)| *inc).count() == include.len()
                && o.iter().filter(|(inc, _)| !*inc).count() == exclude.len()
        });
        let ordered = ordered.unwrap_or_else(|| {
            let inc = include.iter().map(|g| (true, g.clone()));
            inc.chain(exclude.iter().map(|g| (false, g.clone())))
                .collect()
        });
        Ok(NameRules {
            files: ordered
                .iter()
                .map(|(inc, g)| Ok((*inc, glob(g)?)))
                .collect::<Result<_>>()?,
            dirs: dirs.iter().map(|g| glob(g)).collect::<Result<_>>()?,
        })
    }

    /// No rule at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty()
    }

    /// Whether a file is searched.
    pub fn searches(&self, path: &Path, named: bool) -> bool {
        let Some((first_include, _)) = self.files.first() else {
            return true;
        };
        let names = candidates(path, named);
        let last = self
            .files
            .iter()
            .rev()
            .find(|(_, glob)| names.iter().any(|n| glob.is_match(n)));
        match last {
            Some((include, _)) => *include,
            None => !first_include,
        }
    }

    /// Whether a directory is passed over.
    pub fn skips_dir(&self, path: &Path, named: bool) -> bool {
        let names = candidates(path, named);
        self.dirs
            .iter()
            .any(|glob| names.iter().any(|n| glob.is_match(n)))
    }
}

/// The names a rule is tried on: a walked entry's base name; a named one's
/// whole name and each part after a `/`.
fn candidates(path: &Path, named: bool) -> Vec<&Path> {
    let bytes = path.as_os_str().as_bytes();
    if !named {
        return vec![Path::new(path.file_name().unwrap_or(path.as_os_str()))];
    }
    let mut names = vec![path];
    for (i, _) in bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'/' && i + 1 < bytes.len())
    {
        if bytes[i + 1] != b'/' {
            names.push(Path::new(std::ffi::OsStr::from_bytes(&bytes[i + 1..])));
        }
    }
    names
}

/// `--include` and `--exclude` values in the order `argv` has them (after
/// `grep-log`, before `--`), skipping the values of options that take one;
/// `None` when something there cannot be read as text.
fn order(argv: &[OsString]) -> Option<Vec<(bool, String)>> {
    const VALUED: [&str; 21] = [
        "-e",
        "--regexp",
        "-f",
        "--file",
        "-m",
        "--max-count",
        "-A",
        "--after-context",
        "-B",
        "--before-context",
        "-C",
        "--context",
        "--level",
        "--since",
        "--until",
        "--label",
        "--max-line",
        "--max-ratio",
        "--threads",
        "--binary-files",
        "--exclude-dir",
    ];
    let start = argv.iter().position(|a| a == "grep-log")? + 1;
    let mut out = Vec::new();
    let mut args = argv[start..].iter();
    while let Some(arg) = args.next() {
        let arg = arg.to_str()?;
        if arg == "--" {
            break;
        }
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        match name {
            "--include" | "--exclude" => {
                let value = match value {
                    Some(v) => v,
                    None => args.next()?.to_str()?.to_string(),
                };
                out.push((name == "--include", value));
            }
            _ if value.is_none() && VALUED.contains(&name) => {
                args.next();
            }
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(argv: &[&str], include: &[&str], exclude: &[&str]) -> NameRules {
        let argv: Vec<OsString> = argv.iter().map(OsString::from).collect();
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        NameRules::new(&own(include), &own(exclude), &[], &argv).unwrap()
    }

    #[test]
    fn the_last_matching_rule_wins_and_the_first_sets_the_default() {
        // grep -r --include='*.log' --exclude='a*': a.log out, b.txt out.
        let r = rules(
            &[
                "binkit",
                "grep-log",
                "--include",
                "*.log",
                "--exclude",
                "a*",
            ],
            &["*.log"],
            &["a*"],
        );
        assert!(!r.searches(Path::new("d/a.log"), false));
        assert!(!r.searches(Path::new("d/b.txt"), false));
        assert!(r.searches(Path::new("d/c.log"), false));
        // The other order: a.log in (the include is last), b.txt in.
        let r = rules(
            &[
                "binkit",
                "grep-log",
                "--exclude",
                "a*",
                "--include",
                "*.log",
            ],
            &["*.log"],
            &["a*"],
        );
        assert!(r.searches(Path::new("d/a.log"), false));
        assert!(r.searches(Path::new("d/b.txt"), false));
    }

    #[test]
    fn named_files_match_by_any_name_suffix() {
        let r = rules(
            &["binkit", "grep-log", "--exclude", "*.txt"],
            &[],
            &["*.txt"],
        );
        assert!(!r.searches(Path::new("sub/d.gz.txt"), true));
        let r = rules(&["binkit", "grep-log", "--exclude", "d.*"], &[], &["d.*"]);
        assert!(!r.searches(Path::new("sub/d.gz.txt"), true));
        assert!(r.searches(Path::new("sub/e.txt"), true));
        // A walked file is judged by its base name only.
        let r = rules(&["binkit", "grep-log", "--exclude", "sub*"], &[], &["sub*"]);
        assert!(r.searches(Path::new("sub/e.txt"), false));
    }

    #[test]
    fn values_of_other_options_are_not_rules() {
        // `-e --include` is a pattern; clap saw one --exclude, *.gz.
        let r = rules(
            &["binkit", "grep-log", "-e", "--include", "--exclude", "*.gz"],
            &[],
            &["*.gz"],
        );
        assert!(!r.searches(Path::new("x.gz"), false));
        assert!(r.searches(Path::new("x.log"), false));
    }
}
