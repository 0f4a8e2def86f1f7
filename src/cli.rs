//! The command line, as one clap definition: `Cli`, its subcommands, and
//! one `...Args` struct per subcommand. No I/O happens here.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use crate::io::size::{parse_c_count, parse_c_size, parse_size, parse_skip, parse_threads, Skip};

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `--mode 644`: permission bits in octal.
fn parse_mode(text: &str) -> Result<u32, String> {
    u32::from_str_radix(text, 8)
        .ok()
        .filter(|&m| m <= 0o777)
        .ok_or_else(|| {
            format!("'{text}' is not a permission mode (600, 0644, ...; no setuid, setgid or sticky bits)")
        })
}

/// binkit: one streaming toolkit for binary data.
#[derive(Debug, Parser)]
#[command(name = "binkit", version, about, long_about = None)]
#[command(propagate_version = true, disable_help_subcommand = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub cmd: Cmd,
    /// The S3 endpoint for s3:// names, over AWS_ENDPOINT_URL (MinIO, Ceph, R2, a test server)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Print each object-storage retry on stderr, and the requests made at the end
    #[arg(long, global = true)]
    pub s3_verbose: bool,
}

/// The subcommands (parsed once per run: their sizes do not matter).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Base64 encode or decode (GNU base64 compatible; URL-safe; data: URLs)
    B64(B64Args),
    /// Hex dump in xxd, `hexdump -C`, plain or C-include form, or reverse one
    Hexdump(HexdumpArgs),
    /// Cut a file into verified parts with a JSON manifest (SHA-256; MD5 and S3 ETag with --md5)
    Split(SplitArgs),
    /// Put parts back together from their manifest, verifying every byte
    Join(JoinArgs),
    /// Encrypt: AES-256-CBC + HMAC-SHA256 per chunk, authenticated and streaming
    Encrypt(EncryptArgs),
    /// Decrypt binkit files (and, unauthenticated, `openssl enc` files)
    Decrypt(DecryptArgs),
    /// Compress or decompress gzip files (`-d`, `-c`, `-k`, `-t`, `-l`, `-r`, `--threads`)
    Gzip(GzipArgs),
    /// What files really are, from their bytes; an upload policy for CI (`--check`)
    Sniff(SniffArgs),
    /// Search logs, plain or gzipped, by pattern, level and time (grep options)
    #[command(
        long_about = "Search logs, plain or gzipped, by pattern, level and time, with grep's options.\n\nThe first argument is the PATTERN (grep's BRE; -E for ERE, -F for fixed strings) unless -e or a filter is given: with --level, --since, --until or --stats, every argument is a path, and a pattern is given with -e."
    )]
    GrepLog(GrepLogArgs),
    /// Print shell completions or the man page (for packagers)
    #[command(hide = true)]
    Completions(CompletionsArgs),
}

impl Cli {
    /// The subcommand's name, as used in the `binkit <name>:` error prefix.
    pub fn name(&self) -> &'static str {
        match self.cmd {
            Cmd::B64(_) => "b64",
            Cmd::Hexdump(_) => "hexdump",
            Cmd::Split(_) => "split",
            Cmd::Join(_) => "join",
            Cmd::Gzip(_) => "gzip",
            Cmd::Sniff(_) => "sniff",
            Cmd::GrepLog(_) => "grep-log",
            Cmd::Encrypt(_) => "encrypt",
            Cmd::Decrypt(_) => "decrypt",
            Cmd::Completions(_) => "completions",
        }
    }
}

/// Where the output goes, shared by every subcommand that writes bytes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write to FILE (atomically: it appears only when complete) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(short, long)]
    pub force: bool,
    /// No progress bar
    #[arg(short, long)]
    pub quiet: bool,
}

/// `binkit b64`.
#[derive(Debug, Args)]
#[command(args_override_self = true)]
pub struct B64Args {
    /// Input file; `-` or none for stdin
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A second file name: refused, as base64 refuses it ("extra operand").
    #[arg(hide = true)]
    pub extra: Option<PathBuf>,
    /// Decode instead of encode
    #[arg(short, long)]
    pub decode: bool,
    /// Wrap encoded lines after COLS characters; 0 for no wrapping
    #[arg(short, long, value_name = "COLS", default_value_t = 76)]
    pub wrap: usize,
    /// When decoding, skip characters outside the alphabet
    #[arg(short, long)]
    pub ignore_garbage: bool,
    /// Use the URL- and file-name-safe alphabet (`-_` for `+/`)
    #[arg(long)]
    pub url: bool,
    /// Encode without `=` padding; when decoding, padding becomes optional
    #[arg(long)]
    pub no_pad: bool,
    /// Encode as one `data:<mime>;base64,...` URL, the MIME type sniffed from the content
    #[arg(long, conflicts_with_all = ["decode", "url", "no_pad"])]
    pub data_url: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutputArgs,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

impl ColorWhen {
    /// Whether to colour output going to a terminal (`terminal`) or not:
    /// `auto` means on a terminal with `NO_COLOR` unset or empty.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// `binkit hexdump`. A letter given twice takes its last value, as xxd
/// reads its options.
#[derive(Debug, Args)]
#[command(args_override_self = true)]
pub struct HexdumpArgs {
    /// Input file; `-` or none for stdin
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Output file, as xxd's second name (the same as --output: created
    /// atomically, an existing file needs -f; with -r see --patch)
    #[arg(value_name = "OUTFILE")]
    pub outfile: Option<PathBuf>,
    /// `hexdump -C` canonical format: offset, 16 spaced bytes, |text|
    #[arg(short = 'C', long)]
    pub canonical: bool,
    /// Plain hex, 30 bytes a line (xxd -p)
    #[arg(short, long, overrides_with_all = ["include", "letter_b", "letter_e"])]
    pub plain: bool,
    /// C include file (xxd -i)
    #[arg(short, long, overrides_with_all = ["plain", "letter_b", "letter_e"])]
    pub include: bool,
    /// Turn a dump (default, -C, -p or -i form) back into bytes
    #[arg(short, long)]
    pub reverse: bool,
    /// Start at OFFSET (0x hex, leading 0 octal, as xxd); negative counts from the end of a file
    #[arg(short, long, value_name = "OFFSET", allow_hyphen_values = true, value_parser = parse_skip)]
    pub skip: Option<Skip>,
    /// Stop after LEN bytes
    #[arg(short, long, value_name = "LEN", allow_hyphen_values = true, value_parser = parse_length)]
    pub length: Option<u64>,
    /// -i: the C variable's name (xxd -n); with -C: stop after LEN bytes (hexdump -n)
    #[arg(short = 'n', long = "name", value_name = "NAME|LEN")]
    pub name: Option<String>,
    /// Add OFF to the offsets shown (xxd -o)
    #[arg(short = 'o', long, value_name = "OFF", allow_hyphen_values = true, value_parser = parse_display_offset)]
    pub display_offset: Option<u64>,
    /// With -C: show every line, no `*` for repeats (hexdump -v); without: the version (xxd -v)
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Bytes per line (default 16; -p: 30, 0 for one line; -i: 12); 0x hex, leading 0 octal, as xxd
    #[arg(short, long, value_name = "N", value_parser = parse_c_count)]
    pub cols: Option<usize>,
    /// Bytes per group in the default format (default 2; 0 for one group)
    #[arg(short, long, value_name = "N", value_parser = parse_c_count)]
    pub group: Option<usize>,
    /// Upper-case hex digits
    #[arg(short, long)]
    pub upper: bool,
    /// Replace runs of zero lines with `*` (xxd -a)
    #[arg(short, long)]
    pub autoskip: bool,
    /// Colour bytes by class: NUL, printable, whitespace, other ASCII, non-ASCII
    #[arg(short = 'R', long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,
    /// With -r: largest jump ahead in offsets (filled with zeros) allowed
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "16MiB",
        requires = "reverse",
        value_parser = parse_size
    )]
    pub max_gap: u64,
    /// With -r: most zero bytes filled by all jumps ahead together
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "256MiB",
        requires = "reverse",
        value_parser = parse_size
    )]
    pub max_fill: u64,
    /// Write to FILE (atomically: it appears only when complete) instead of stdout; no -o, which is xxd's display offset
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -r: write the dump's bytes into FILE at their addresses, keeping
    /// the rest of FILE (xxd -r with an existing output file); done on a
    /// copy that replaces FILE only when the dump was read whole
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,
    /// Replace FILE if it exists; with --patch, patch a file that has other
    /// hard links (they keep the old bytes)
    #[arg(long)]
    pub force: bool,
    /// No progress bar
    #[arg(short, long)]
    pub quiet: bool,
    /// Bits instead of hex, 6 bytes a line (xxd -b)
    #[arg(short = 'b', long = "bits", overrides_with_all = ["plain", "include", "letter_e"])]
    pub letter_b: bool,
    /// Decimal addresses (xxd -d)
    #[arg(short = 'd', long = "decimal")]
    pub letter_d: bool,
    /// Little-endian groups of 4 bytes (xxd -e)
    #[arg(short = 'e', long = "little-endian", overrides_with_all = ["plain", "include", "letter_b"])]
    pub letter_e: bool,
    /// Text column read as EBCDIC (xxd -E)
    #[arg(short = 'E', long = "ebcdic")]
    pub letter_big_e: bool,
    /// hexdump(1)'s -x, which xxd does not have: refused by name (see
    /// `hexdump::refused_letter`).
    #[allow(missing_docs)]
    #[arg(short = 'x', hide = true)]
    pub letter_x: bool,
}

/// xxd's `-o OFF`, with a word for whoever meant an output file.
/// GNU split's sizes: binkit's units, but a lone `b` is 512 bytes (`-b
/// 2b` is 1024, as GNU reads it; binkit's other sizes read `b` as bytes).
fn parse_split_size(text: &str) -> Result<u64, String> {
    match text.trim().strip_suffix('b') {
        Some(blocks) if !blocks.is_empty() && blocks.bytes().all(|b| b.is_ascii_digit()) => blocks
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(512))
            .ok_or_else(|| format!("size '{text}' is too large")),
        _ => parse_size(text),
    }
}

/// `-l LEN`; a negative one, which xxd silently reads as "no limit", is
/// refused with that said.
fn parse_length(text: &str) -> Result<u64, String> {
    if text.trim_start().starts_with('-') {
        return Err("a negative length (xxd reads it as no limit: leave -l out)".into());
    }
    parse_c_size(text)
}

/// A negative offset wraps, as xxd's (`-o -16` shows fffffffffffffff0).
fn parse_display_offset(text: &str) -> Result<u64, String> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    parse_c_size(digits)
        .map(|n| if negative { n.wrapping_neg() } else { n })
        .map_err(|e| format!("{e}; -o is xxd's display offset, the output file is --output FILE"))
}

/// The command line as clap should read it: the spellings users bring from
/// the reference tools that clap cannot express. `binkit help gzip` is
/// `binkit gzip --help` (git's and cargo's habit); in `hexdump`, xxd's
/// single-dash words `-ps`, `-postscript` and `-plain` are `-p` (clap
/// would read `-ps` as `-p -s` and take the file name as the offset).
pub fn spellings<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = args.into_iter().collect();
    if args.len() == 2 && args[1] == "help" {
        args[1] = "--help".into();
        return args;
    }
    if args.len() >= 3 && args[1] == "help" {
        let sub = args.remove(2);
        args[1] = sub;
        args.insert(2, "--help".into());
        args.truncate(3);
        return args;
    }
    if args.get(1).is_some_and(|a| a == "hexdump") {
        xxd_words(&mut args);
    }
    if args.get(1).is_some_and(|a| a == "grep-log") {
        grep_words(&mut args);
    }
    args
}

/// grep's `-NUM` is `-C NUM` (`grep -2 timeout app.log`). Values of the
/// options that take one (`-e -2` is the pattern "-2") and everything
/// after `--` are left alone.
fn grep_words(args: &mut [std::ffi::OsString]) {
    const VALUED: [&str; 9] = [
        "-e", "-f", "-m", "-A", "-B", "-C", "--regexp", "--file", "--label",
    ];
    let mut i = 2;
    while i < args.len() {
        let Some(arg) = args[i].to_str() else {
            i += 1;
            continue;
        };
        if arg == "--" {
            return;
        }
        if VALUED.contains(&arg) {
            i += 2;
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') && arg[1..].bytes().all(|b| b.is_ascii_digit()) {
            args[i] = format!("--context={}", &arg[1..]).into();
        }
        i += 1;
    }
}

/// xxd reads an option by its first two characters: `-ps`, `-plain` and
/// `-pc4` are `-p`, `-include` is `-i`, `-cols 8` is `-c 8`, `-len 16` is
/// `-l 16`, `-version` is `-v`; and `-a` toggles (`-a -a` is off). With
/// `-C` (hexdump(1)'s canonical format, whose letters cluster as getopt's:
/// `-Cv`) nothing is rewritten.
fn xxd_words(args: &mut Vec<std::ffi::OsString>) {
    const BOOLEAN: &str = "abeupidrEvh";
    const WORDS: [(char, &[&str]); 6] = [
        ('c', &["ols"]),
        ('g', &["roup"]),
        ('l', &["en"]),
        ('s', &["kip", "eek"]),
        ('o', &["ffset"]),
        ('n', &["ame"]),
    ];
    const VALUED: [&str; 11] = [
        "-c",
        "-g",
        "-l",
        "-s",
        "-o",
        "-n",
        "-R",
        "--output",
        "--patch",
        "--max-gap",
        "--max-fill",
    ];
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let canonical = args[2..end].iter().any(|a| {
        a.to_str()
            .is_some_and(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('C'))
    });
    if canonical {
        return;
    }
    let mut value_next = false;
    let mut toggles = 0;
    let mut kept = Vec::with_capacity(args.len());
    for (k, arg) in std::mem::take(args).into_iter().enumerate() {
        if k < 2 || k >= end || std::mem::take(&mut value_next) {
            kept.push(arg);
            continue;
        }
        let Some(text) = arg
            .to_str()
            .filter(|t| t.len() > 2 && t.starts_with('-') && !t.starts_with("--"))
        else {
            value_next = arg.to_str().is_some_and(|t| VALUED.contains(&t));
            if arg == "-a" {
                toggles += 1;
                continue;
            }
            kept.push(arg);
            continue;
        };
        let letter = text.chars().nth(1).unwrap_or('-');
        let rest = &text[2..];
        if BOOLEAN.contains(letter) {
            if letter == 'a' {
                toggles += 1;
            } else {
                kept.push(format!("-{letter}").into());
            }
        } else if WORDS
            .iter()
            .any(|(l, words)| *l == letter && words.iter().any(|w| rest.starts_with(w)))
        {
            kept.push(format!("-{letter}").into());
            value_next = true;
        } else {
            kept.push(arg);
        }
    }
    if toggles % 2 == 1 {
        kept.push("-a".into());
    }
    *args = kept;
}

/// `openssl enc` words that binkit's encrypt/decrypt spell otherwise, with
/// what to type instead. Checked before clap, which would read `-out x` as
/// `-o ut x` and write a file named `ut`.
const OPENSSL_WORDS: [(&str, &str); 22] = [
    ("-in", "the input is the FILE argument"),
    ("-out", "-o FILE"),
    (
        "-pass",
        "--pass-file FILE, --pass-env VAR or --pass-fd N (never the password itself)",
    ),
    (
        "-k",
        "--pass-file FILE, --pass-env VAR or --pass-fd N (never the password itself)",
    ),
    ("-kfile", "--pass-file FILE"),
    (
        "-md",
        "--md DIGEST (decrypt; encrypt --openssl writes -md sha256, openssl's default)",
    ),
    ("-iter", "--iter N"),
    (
        "-pbkdf2",
        "nothing: binkit reads and writes -pbkdf2 files by default (--legacy for others)",
    ),
    ("-K", "--raw-key-file FILE --iv HEX"),
    ("-iv", "--iv HEX with --raw-key-file FILE"),
    ("-S", "nothing: binkit draws a random salt"),
    (
        "-nosalt",
        "--raw-key-file FILE --iv HEX (no salt, no password)",
    ),
    ("-salt", "nothing: files are salted"),
    ("-base64", "decrypt -a (encrypt: pipe through binkit b64)"),
    ("-A", "decrypt -a, which reads one line or many"),
    ("-nopad", "nothing: not supported, PKCS#7 padding always"),
    ("-e", "binkit encrypt"),
    ("-d", "binkit decrypt"),
    ("-p", "nothing: binkit never prints keys"),
    ("-P", "nothing: binkit never prints keys"),
    ("-aes-256-cbc", "nothing: AES-256-CBC is the only cipher"),
    ("-v", "nothing: not supported"),
];

/// GNU split's options that binkit's split lacks or spells otherwise.
const SPLIT_WORDS: [(&str, &str); 21] = [
    (
        "-d",
        "in GNU split it asks for numeric suffixes, and binkit's parts are always numbered (NAME.00001.part); the directory is --dir",
    ),
    ("-a", "GNU's suffix length; binkit numbers parts NAME.00001.part, as wide as needed"),
    ("--suffix-length", "GNU's -a; binkit numbers parts NAME.00001.part, as wide as needed"),
    ("--additional-suffix", "GNU's extra suffix; binkit's parts end in .part"),
    ("-C", "GNU's bytes of whole lines per file; binkit cuts exact byte counts (-b)"),
    ("--line-bytes", "GNU's -C; binkit cuts exact byte counts (-b)"),
    ("-l", "GNU's lines per file; binkit cuts byte counts (-b)"),
    ("--lines", "GNU's -l; binkit cuts byte counts (-b)"),
    ("-n", "GNU's N files of size/N bytes, the remainder in the last; binkit's --parts N cuts parts of size/N bytes rounded up, the last smaller"),
    ("--number", "GNU's -n, N files of size/N bytes, the remainder in the last; binkit's --parts N cuts parts of size/N bytes rounded up, the last smaller"),
    ("-e", "GNU's elide empty files; binkit writes no empty part"),
    ("--elide-empty-files", "GNU's -e; binkit writes no empty part"),
    ("-t", "GNU's record separator; binkit cuts bytes"),
    ("--separator", "GNU's -t; binkit cuts bytes"),
    ("-u", "GNU's unbuffered -n r/...; binkit has no round robin"),
    ("--unbuffered", "GNU's -u; binkit has no round robin"),
    ("-x", "GNU's hex suffixes; binkit numbers parts in decimal"),
    ("--hex-suffixes", "GNU's -x; binkit numbers parts in decimal"),
    ("--numeric-suffixes", "GNU's -d; binkit's parts are always numbered"),
    ("--filter", "GNU's shell command per part; binkit writes files and a manifest"),
    ("--verbose", "GNU's line per file opened; binkit's manifest lists them"),
];

/// gzip's and pigz's options that binkit's gzip lacks.
const GZIP_WORDS: &[(&str, &str)] = &[
    (
        "-a",
        "gzip's --ascii, end-of-line conversion (a no-op on Unix); binkit keeps bytes as they are",
    ),
    (
        "--ascii",
        "gzip's end-of-line conversion (a no-op on Unix); binkit keeps bytes as they are",
    ),
    (
        "--synchronous",
        "gzip's synchronous output; binkit always fsyncs the output before removing the input",
    ),
    ("-b", "pigz's block size; binkit's blocks are 128 KiB"),
    (
        "-i",
        "pigz's independent blocks; binkit's blocks each use the previous 32 KiB",
    ),
    ("-z", "pigz's zlib format; binkit writes gzip"),
    ("-K", "pigz's zip format; binkit writes gzip"),
    ("-R", "pigz's --rsyncable; not supported"),
    ("--blocksize", "pigz's -b; binkit's blocks are 128 KiB"),
    (
        "--independent",
        "pigz's -i; binkit's blocks each use the previous 32 KiB",
    ),
    ("--zlib", "pigz's -z; binkit writes gzip"),
    ("--zip", "pigz's -K; binkit writes gzip"),
    (
        "-0",
        "pigz's store-only level (GNU gzip has no -0); binkit's levels are -1..-9",
    ),
    (
        "-11",
        "pigz's zopfli level (GNU gzip reads it as -1 twice); binkit's levels are -1..-9",
    ),
    (
        "-10",
        "GNU gzip reads it as -1 -0 and has no -0 (pigz's -0 only stores); binkit's levels are -1..-9",
    ),
    (
        "-m",
        "gzip's and pigz's --no-time; binkit stores no name or time unless -N",
    ),
    (
        "--no-time",
        "gzip's and pigz's -m; binkit stores no name or time unless -N",
    ),
    (
        "-M",
        "gzip's and pigz's --time; binkit stores the time only with -N, with the name",
    ),
    (
        "--time",
        "gzip's and pigz's -M; binkit stores the time only with -N, with the name",
    ),
    (
        "-T",
        "pigz's older --no-time; binkit stores no name or time unless -N",
    ),
    (
        "-Y",
        "pigz's --synchronous; binkit always fsyncs the output before removing the input",
    ),
    ("-C", "pigz's header comment; binkit writes none"),
    (
        "--comment",
        "pigz's -C, a header comment; binkit writes none",
    ),
    ("-A", "pigz's name for a --zip entry; binkit writes gzip"),
    (
        "--alias",
        "pigz's name for a --zip entry; binkit writes gzip",
    ),
    ("-H", "pigz's Huffman-only coding; not supported"),
    ("--huffman", "pigz's -H, Huffman-only coding; not supported"),
    ("-U", "pigz's run-length coding; not supported"),
    ("--rle", "pigz's -U, run-length coding; not supported"),
    ("-F", "pigz's tuning of -11 (zopfli); binkit has no -11"),
    ("-I", "pigz's tuning of -11 (zopfli); binkit has no -11"),
    ("-J", "pigz's tuning of -11 (zopfli); binkit has no -11"),
    ("-O", "pigz's tuning of -11 (zopfli); binkit has no -11"),
];

/// hexdump(1)'s letters that take a value there and mean something else
/// in binkit (xxd's), or nothing: refused before clap, which would read
/// `-C -c file` as a column count of `file` or `-f fmt data` as force and
/// an output file `data` (and replace it).
const HEXDUMP_WORDS: &[(&str, &str)] = &[(
    "-f",
    "hexdump(1)'s format file (xxd has no -f); binkit's force is --force",
)];
const HEXDUMP_C_WORDS: &[(&str, &str)] = &[
    (
        "-c",
        "with -C: hexdump(1)'s -c is the character display, xxd's the bytes per line (-C always shows 16)",
    ),
    (
        "-o",
        "with -C: hexdump(1)'s -o is the two-byte octal display, xxd's an offset added to the addresses",
    ),
];

/// The first argument that is a reference tool's option which binkit's
/// subcommand lacks or spells otherwise, as a usage message naming both:
/// `openssl enc`'s words for encrypt/decrypt (clap would read `-out x` as
/// `-o ut x` and write a file named `ut`), GNU split's, gzip's and pigz's.
/// A bare "unexpected argument" does not say why (issue 13).
pub fn foreign_word(args: &[std::ffi::OsString]) -> Option<String> {
    let sub = args.get(1)?.to_str()?;
    let table: &[(&str, &str)] = match sub {
        "encrypt" | "decrypt" => &OPENSSL_WORDS,
        "split" => &SPLIT_WORDS,
        "gzip" => GZIP_WORDS,
        "hexdump" => {
            let canonical = args.iter().skip(2).take_while(|a| *a != "--").any(|a| {
                a.to_str()
                    .is_some_and(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('C'))
            });
            if canonical {
                if let Some(why) = hexdump_c_word(args) {
                    return Some(why);
                }
            }
            HEXDUMP_WORDS
        }
        _ => return None,
    };
    // The value of an option that takes one is not a word (`-S -z`).
    let takes_value: &[&str] = match sub {
        "gzip" => &[
            "-S",
            "--suffix",
            "-p",
            "--threads",
            "--max-output",
            "--max-ratio",
        ],
        "split" => &[
            "-s", "-b", "--size", "--bytes", "--parts", "--dir", "--name",
        ],
        _ => &[],
    };
    let words = args.iter().skip(2).take_while(|a| *a != "--");
    let mut value_next = false;
    for arg in words.filter_map(|a| a.to_str()) {
        if std::mem::take(&mut value_next) {
            continue;
        }
        value_next = takes_value.contains(&arg);
        let name = arg.split('=').next().unwrap_or(arg);
        // A letter with its value attached (`-l5`) is that letter too;
        // openssl's words are whole.
        let letter = arg
            .get(..2)
            .filter(|l| !l.starts_with("--") && sub != "encrypt" && sub != "decrypt");
        let found = table
            .iter()
            .find(|(w, _)| *w == name || Some(*w) == letter)
            .map(|(_, why)| *why)
            .or_else(|| {
                (sub == "encrypt" && arg == "-a")
                    .then_some("nothing: pipe the output through binkit b64")
            });
        if let Some(why) = found {
            return Some(match sub {
                "encrypt" | "decrypt" => format!("{arg} is openssl enc's; in binkit {sub}: {why}"),
                _ => format!("{name} is not binkit's: {why}"),
            });
        }
    }
    None
}

/// With `-C`: a letter of [`HEXDUMP_C_WORDS`], as its own argument.
fn hexdump_c_word(args: &[std::ffi::OsString]) -> Option<String> {
    let words = args.iter().skip(2).take_while(|a| *a != "--");
    for arg in words.filter_map(|a| a.to_str()) {
        let letter = arg.get(..2)?;
        if let Some((_, why)) = HEXDUMP_C_WORDS.iter().find(|(w, _)| *w == letter) {
            return Some(format!("{letter} is not binkit's {why}"));
        }
    }
    None
}

/// `binkit split`.
#[derive(Debug, Args)]
#[command(args_override_self = true)]
#[command(group = clap::ArgGroup::new("cut").required(true).args(["size", "parts"]))]
pub struct SplitArgs {
    /// Input file; `-` or none for stdin
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// GNU split's PREFIX: refused by name (binkit's parts are NAME.00001.part, --name NAME).
    #[arg(hide = true)]
    pub prefix: Option<std::ffi::OsString>,
    /// Bytes per part (`8MiB`, `5M`, `100MB`, ...); `-b` as in GNU split
    #[arg(short, short_alias = 'b', long, alias = "bytes", value_name = "SIZE", value_parser = parse_split_size)]
    pub size: Option<u64>,
    /// Split into N parts of near-equal size, the last the smallest (a file only: needs its size); no -n, whose GNU sizes differ
    #[arg(long, value_name = "N")]
    pub parts: Option<u64>,
    /// Directory for the parts and the manifest, made if missing (no -d: GNU's -d is numeric suffixes)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// GNU split's -d (numeric suffixes): refused by name, see `chunks::split`.
    #[arg(short = 'd', hide = true)]
    pub letter_d: bool,
    /// Base name of the parts (default: the input's file name; required for stdin)
    #[arg(long, value_name = "BASE")]
    pub name: Option<String>,
    /// Refuse part sizes that S3 multipart uploads do not accept; implies --md5
    #[arg(long)]
    pub s3: bool,
    /// Upload to the object s3://bucket/key as one multipart upload whose parts are the split parts (implies --s3), the manifest beside it as KEY.manifest.json
    #[arg(short, long, value_name = "s3://BUCKET/KEY", conflicts_with_all = ["dir", "name"])]
    pub output: Option<PathBuf>,
    /// With -o: continue the upload to KEY that an earlier run left unfinished, sending only the parts it lacks
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// Part MD5s and the S3 multipart ETag in the manifest (slower: MD5 runs at ~0.6 GB/s)
    #[arg(long)]
    pub md5: bool,
    /// Replace existing parts and manifest
    #[arg(short, long)]
    pub force: bool,
    /// No progress bar
    #[arg(short, long)]
    pub quiet: bool,
}

/// `binkit join`.
#[derive(Debug, Args)]
pub struct JoinArgs {
    /// The manifest written by `binkit split`
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    /// Verify every part and say which are missing or damaged; write nothing
    #[arg(short, long, conflicts_with_all = ["output", "force"])]
    pub check: bool,
    /// With --check: one JSON object, {"ok", "bad", "parts": [{"index", "file", "status", "size"}]}
    #[arg(long, requires = "check")]
    pub json: bool,
    /// Write to FILE (default: the manifest's name, in the current directory; `-` for stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(short, long)]
    pub force: bool,
}

/// Where a password or key comes from: never an argument, which every user
/// can read in `ps`. With none of these, binkit asks on the terminal.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct SecretArgs {
    /// Read the password from the first line of FILE (binkit files: a final CR is dropped; openssl files keep it, as openssl does)
    #[arg(long, value_name = "FILE")]
    pub pass_file: Option<PathBuf>,
    /// Read the password from the environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub pass_env: Option<String>,
    /// Read the password from file descriptor FD
    #[arg(long, value_name = "FD")]
    pub pass_fd: Option<u32>,
    /// Use the 256-bit key in FILE (32 bytes or 64 hex digits) instead of a password
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// openssl's `-K/-iv -nosalt`: a raw key and IV, no salt, no authentication.
#[derive(Debug, Args)]
pub struct RawKeyArgs {
    /// Like openssl's -K with -nosalt: the raw AES key in FILE (no authentication)
    #[arg(long, value_name = "FILE", requires = "iv", conflicts_with_all = ["key_file", "pass_file", "pass_env", "pass_fd"])]
    pub raw_key_file: Option<PathBuf>,
    /// Like openssl's -iv: the IV in hex, with --raw-key-file
    #[arg(long, value_name = "HEX", requires = "raw_key_file")]
    pub iv: Option<String>,
}

/// Password hashing for new binkit files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KdfChoice {
    /// Argon2id, 64 MiB, 3 passes, 4 lanes (RFC 9106)
    Argon2id,
    /// PBKDF2-HMAC-SHA256, 600,000 iterations unless --iter
    Pbkdf2,
}

/// The digest of openssl's legacy key derivation (no -pbkdf2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LegacyDigest {
    /// OpenSSL 1.1 and later
    Sha256,
    /// OpenSSL 1.0 and earlier, or -md md5
    Md5,
}

/// `binkit encrypt`.
#[derive(Debug, Args)]
pub struct EncryptArgs {
    /// Input file; `-` or none for stdin
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub secret: SecretArgs,
    /// Password hashing
    #[arg(long, value_enum, default_value = "argon2id")]
    pub kdf: KdfChoice,
    /// PBKDF2 iterations (--kdf pbkdf2: at least 600000; --openssl: like openssl's -iter)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub iter: Option<u32>,
    /// Plaintext bytes per authenticated chunk: a power of two from 4KiB to 16MiB
    #[arg(long, value_name = "SIZE", default_value = "64KiB", value_parser = parse_size)]
    pub chunk_size: u64,
    /// Write what `openssl enc -d -aes-256-cbc -pbkdf2` reads (no authentication)
    #[arg(long, conflicts_with = "raw_key_file")]
    pub openssl: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub raw: RawKeyArgs,
    /// Threads sealing or opening chunks (default: one per core)
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<NonZeroUsize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutputArgs,
}

/// `binkit decrypt`.
#[derive(Debug, Args)]
pub struct DecryptArgs {
    /// Input file; `-` or none for stdin
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub secret: SecretArgs,
    /// Accept KDF settings above the limits (over 256 MiB of Argon2 memory or 10 passes, ...)
    #[arg(long)]
    pub allow_expensive_kdf: bool,
    /// Mode of the -o file, in octal (default 600: plaintext is private;
    /// openssl leaves it to the umask)
    #[arg(long, value_name = "OCTAL", value_parser = parse_mode)]
    pub mode: Option<u32>,
    /// openssl files: the -iter the file was made with (default 10000)
    #[arg(long, value_name = "N", conflicts_with = "legacy", value_parser = clap::value_parser!(u32).range(1..))]
    pub iter: Option<u32>,
    /// openssl files made without -pbkdf2: the digest of their key derivation
    #[arg(long, value_enum, value_name = "DIGEST")]
    pub legacy: Option<LegacyDigest>,
    /// openssl -pbkdf2 files: the -md the file was made with (default sha256)
    #[arg(long, value_enum, value_name = "DIGEST", conflicts_with = "legacy")]
    pub md: Option<crate::crypt::Md>,
    /// The input is base64 (openssl enc -a), line breaks anywhere
    #[arg(short = 'a', long)]
    pub base64: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub raw: RawKeyArgs,
    /// Threads sealing or opening chunks (default: one per core)
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<NonZeroUsize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutputArgs,
}

/// `binkit gzip`. A flag given twice is the flag once, as in gzip.
#[derive(Debug, Clone, Args)]
#[command(args_override_self = true)]
#[allow(clippy::struct_excessive_bools)] // gzip's own flags
pub struct GzipArgs {
    /// Files; none or `-` for stdin to stdout
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Decompress
    #[arg(short, long, visible_alias = "uncompress")]
    pub decompress: bool,
    /// Write to stdout; keep the input
    #[arg(short = 'c', long, visible_alias = "to-stdout")]
    pub stdout: bool,
    /// Write to FILE (a file, or s3://bucket/key) and keep the input, like -c; one input
    #[arg(short, long, value_name = "FILE", conflicts_with_all = ["stdout", "test", "list"])]
    pub output: Option<PathBuf>,
    /// Keep the input file
    #[arg(short, long)]
    pub keep: bool,
    /// Replace existing output files
    #[arg(short, long)]
    pub force: bool,
    /// Test the integrity of compressed files; write nothing
    #[arg(short, long)]
    pub test: bool,
    /// List compressed size, uncompressed size, ratio and name of each file
    #[arg(short, long, conflicts_with_all = ["test", "stdout"])]
    pub list: bool,
    /// With -l: one JSON array instead of the table
    #[arg(long, requires = "list")]
    pub json: bool,
    /// Descend into directories, (de)compressing every file in place
    #[arg(short, long)]
    pub recursive: bool,
    /// With -t over s3://: objects tested at once (default 16)
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub jobs: Option<NonZeroUsize>,
    /// Only the files or objects whose name hashes to shard K of N, so that N machines share one tree or bucket
    #[arg(long, value_name = "K/N", value_parser = crate::io::walk::Shard::parse)]
    pub shard: Option<crate::io::walk::Shard>,
    /// Compress: store the file's name and time in the header. Decompress:
    /// restore the stored time, and the stored name in the same directory
    #[arg(short = 'N', long = "name", overrides_with = "no_name")]
    pub name: bool,
    /// Store or restore no name and time (the default)
    #[arg(short = 'n', long = "no-name")]
    pub no_name: bool,
    /// Compression threads (default: one per core); 1 writes one plain deflate stream
    #[arg(short = 'p', long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<NonZeroUsize>,
    /// Compression level: -1 (fastest) .. -9 (smallest); default -6
    #[arg(short = '1', overrides_with_all = ["l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l1: bool,
    #[arg(short = '2', hide = true, overrides_with_all = ["l1", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l2: bool,
    #[arg(short = '3', hide = true, overrides_with_all = ["l1", "l2", "l4", "l5", "l6", "l7", "l8", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l3: bool,
    #[arg(short = '4', hide = true, overrides_with_all = ["l1", "l2", "l3", "l5", "l6", "l7", "l8", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l4: bool,
    #[arg(short = '5', hide = true, overrides_with_all = ["l1", "l2", "l3", "l4", "l6", "l7", "l8", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l5: bool,
    #[arg(short = '6', hide = true, overrides_with_all = ["l1", "l2", "l3", "l4", "l5", "l7", "l8", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l6: bool,
    #[arg(short = '7', hide = true, overrides_with_all = ["l1", "l2", "l3", "l4", "l5", "l6", "l8", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l7: bool,
    #[arg(short = '8', hide = true, overrides_with_all = ["l1", "l2", "l3", "l4", "l5", "l6", "l7", "l9", "fast", "best"])]
    #[allow(missing_docs)]
    pub l8: bool,
    #[arg(short = '9', hide = true, overrides_with_all = ["l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "fast", "best"])]
    #[allow(missing_docs)]
    pub l9: bool,
    /// Same as -1
    #[arg(long, overrides_with_all = ["l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "best"])]
    pub fast: bool,
    /// Same as -9
    #[arg(long, overrides_with_all = ["l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "fast"])]
    pub best: bool,
    /// Accept and ignore data after the last member
    #[arg(long)]
    pub ignore_trailing: bool,
    /// Stop (exit 2) before decompressing more than SIZE bytes
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_output: Option<u64>,
    /// Stop (exit 2) when the output grows more than N times the input
    #[arg(long, value_name = "N")]
    pub max_ratio: Option<u64>,
    /// No progress bar, and no warnings (as gzip -q); errors still print
    #[arg(short, long)]
    pub quiet: bool,
    /// Suffix of compressed files, instead of .gz (gzip -S)
    #[arg(short = 'S', long, value_name = "SUF", default_value = ".gz", allow_hyphen_values = true, value_parser = parse_suffix)]
    pub suffix: String,
    /// Name each file with its compression ratio, on stderr, as gzip -v
    #[arg(short, long)]
    pub verbose: bool,
    /// The license (gzip -L)
    #[arg(short = 'L', long)]
    pub license: bool,
    /// gzip and pigz's --rsyncable: refused by name (see gzip::run)
    #[arg(long, hide = true)]
    pub rsyncable: bool,
}

/// gzip's -S: a non-empty suffix without `/`.
fn parse_suffix(text: &str) -> Result<String, String> {
    if text.is_empty() || text.contains('/') {
        return Err(format!(
            "'{text}' is not a suffix (gzip: non-empty, no '/')"
        ));
    }
    Ok(text.to_string())
}

impl GzipArgs {
    /// The compression level the flags ask for: the last one given, as in
    /// gzip (each level flag overrides the others), else 6.
    pub fn level_value(&self) -> u32 {
        let digits = [
            self.l1, self.l2, self.l3, self.l4, self.l5, self.l6, self.l7, self.l8, self.l9,
        ];
        let digit = digits
            .iter()
            .rposition(|&on| on)
            .map(|i| u32::try_from(i).expect("0..9") + 1);
        digit.unwrap_or(if self.best {
            9
        } else if self.fast {
            1
        } else {
            6
        })
    }
}

/// `binkit sniff`. `-h` is not help: it is `file -h` (do not follow
/// symlinks), which sniff's walk already does, so it is refused rather than
/// printing help and exiting 0 on a CI line that meant to check files.
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct SniffArgs {
    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Files and directories; none or `-` for stdin
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Descend into directories
    #[arg(short, long)]
    pub recursive: bool,
    /// Only the files or objects whose name hashes to shard K of N, so that N machines share one tree or bucket
    #[arg(long, value_name = "K/N", value_parser = crate::io::walk::Shard::parse)]
    pub shard: Option<crate::io::walk::Shard>,
    /// Follow symbolic links (in a walk, and to report dangling ones); with
    /// --check, not a link out of the folder named (flagged outside-tree)
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// One JSON array of results
    #[arg(long, conflicts_with = "ndjson")]
    pub json: bool,
    /// One JSON object per line, as each file is done
    #[arg(long)]
    pub ndjson: bool,
    /// Allowed detected types, comma-separated: `image/png` (or an alias,
    /// `image/jpg`), `image/*`, `*/x-executable`, `application/x-*`, `*`.
    /// `application/zip` allows plain ZIPs only, not a .docx or .jar
    #[arg(long, value_name = "TYPES", value_delimiter = ',', value_parser = crate::sniff::TypePattern::parse)]
    pub allow: Vec<crate::sniff::TypePattern>,
    /// Forbidden detected types, as --allow. `application/zip` also
    /// denies the formats that are ZIPs inside (OOXML, ODF, JAR, APK, XPI)
    #[arg(long, value_name = "TYPES", value_delimiter = ',', value_parser = crate::sniff::TypePattern::parse)]
    pub deny: Vec<crate::sniff::TypePattern>,
    /// Files larger than SIZE fail
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_size: Option<u64>,
    /// Upload gate: a mismatch or any risk flag fails the file too; print
    /// only files that fail; exit 1 if any does
    #[arg(long)]
    pub check: bool,
    /// With stdin: copy it to stdout unchanged (the verdict goes to stderr)
    #[arg(long)]
    pub tee: bool,
    /// With stdin: the name the stream claims to be (an upload's file
    /// name), judged as a file's name is (mismatch, double extensions)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// What is not a regular file (symlink not followed, FIFO, socket,
    /// device, directory without -r) passes --check; it is still listed
    #[arg(long)]
    pub skip_special: bool,
    /// Colour the verdicts
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Threads reading files (default: 2 per core, 16 for s3://; reading is mostly waiting)
    #[arg(long, visible_alias = "jobs", value_name = "N", value_parser = parse_threads)]
    pub threads: Option<NonZeroUsize>,
    /// No summary line
    #[arg(short, long)]
    pub quiet: bool,
}

/// `binkit grep-log`.
#[derive(Debug, Args)]
#[command(disable_help_flag = true, args_override_self = true)]
pub struct GrepLogArgs {
    /// PATTERN (unless -e is given), then files and directories; none or
    /// `-` for stdin. With --level/--since/--until/--stats every argument
    /// is a path (give a pattern with -e).
    #[arg(value_name = "PATTERN] [PATH", value_parser = clap::value_parser!(std::ffi::OsString))]
    pub args: Vec<std::ffi::OsString>,
    /// A pattern (several: any of them); may start with `-`
    #[arg(
        short = 'e',
        long = "regexp",
        value_name = "PATTERN",
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(std::ffi::OsString)
    )]
    pub patterns: Vec<std::ffi::OsString>,
    /// Patterns from FILE, one a line (`-` for stdin); an empty FILE matches nothing
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub pattern_files: Vec<PathBuf>,
    /// Patterns are fixed strings, not regular expressions
    #[arg(short = 'F', long)]
    pub fixed_strings: bool,
    /// Patterns are extended regular expressions (ERE: `a|b`, `(x)+`)
    #[arg(short = 'E', long)]
    pub extended_regexp: bool,
    /// Patterns are basic regular expressions (BRE, the default: `a\|b`, `\(x\)\+`)
    #[arg(short = 'G', long)]
    pub basic_regexp: bool,
    /// Patterns are Perl-compatible (PCRE2: back-references, look-around, lazy repetition)
    #[arg(short = 'P', long)]
    pub perl_regexp: bool,
    /// Ignore case (`-y`, grep's old spelling, too)
    #[arg(
        short = 'i',
        long,
        short_alias = 'y',
        overrides_with = "no_ignore_case"
    )]
    pub ignore_case: bool,
    /// Do not ignore case (undoes an earlier -i, as grep)
    #[arg(long, overrides_with = "ignore_case")]
    pub no_ignore_case: bool,
    /// Binary mode (grep's -U: no effect on POSIX systems, as in grep)
    #[arg(short = 'U', long = "binary")]
    pub binary_mode: bool,
    /// Match whole words only
    #[arg(short = 'w', long)]
    pub word_regexp: bool,
    /// Select lines that do not match
    #[arg(short = 'v', long)]
    pub invert_match: bool,
    /// Print only a count of selected lines per input
    #[arg(short = 'c', long)]
    pub count: bool,
    /// Print only the names of inputs with selected lines
    #[arg(short = 'l', long)]
    pub files_with_matches: bool,
    /// Print only the names of inputs without selected lines (grep -L)
    #[arg(short = 'L', long)]
    pub files_without_match: bool,
    /// Print nothing; exit 0 at the first selected line
    #[arg(short = 'q', long, visible_alias = "silent")]
    pub quiet: bool,
    /// No messages about missing or unreadable files (the status still says)
    #[arg(short = 's', long)]
    pub no_messages: bool,
    /// Match whole lines only
    #[arg(short = 'x', long)]
    pub line_regexp: bool,
    /// Prefix lines (or -o matches) with their byte offset
    #[arg(short = 'b', long)]
    pub byte_offset: bool,
    /// Prefix lines with their line number
    #[arg(short = 'n', long)]
    pub line_number: bool,
    /// Prefix lines with the file name (default with several inputs)
    #[arg(short = 'H', long, overrides_with = "no_filename")]
    pub with_filename: bool,
    /// Never prefix lines with the file name
    #[arg(short = 'h', long)]
    pub no_filename: bool,
    /// Print N lines of context after each selected line
    #[arg(short = 'A', long, value_name = "N")]
    pub after_context: Option<usize>,
    /// Print N lines of context before each selected line
    #[arg(short = 'B', long, value_name = "N")]
    pub before_context: Option<usize>,
    /// Print N lines of context around each selected line
    #[arg(short = 'C', long, value_name = "N")]
    pub context: Option<usize>,
    /// The line between groups of context lines, instead of `--` (grep --group-separator)
    #[arg(long, value_name = "SEP", value_parser = clap::value_parser!(std::ffi::OsString))]
    pub group_separator: Option<std::ffi::OsString>,
    /// No line between groups of context lines (grep --no-group-separator)
    #[arg(long, overrides_with = "group_separator")]
    pub no_group_separator: bool,
    /// Stop after N selected lines per input (negative: no limit, as grep)
    #[arg(short = 'm', long, value_name = "N", allow_negative_numbers = true, value_parser = parse_max_count)]
    pub max_count: Option<u64>,
    /// Print only the matching parts, one per line
    #[arg(short = 'o', long)]
    pub only_matching: bool,
    /// Search binary files as text
    #[arg(short = 'a', long)]
    pub text: bool,
    /// A binary file has no matching lines (grep -I)
    #[arg(short = 'I')]
    pub skip_binary: bool,
    /// How to take a file with a NUL byte: binary ("binary file matches"), text (as -a) or without-match (as -I)
    #[arg(long, value_name = "TYPE", value_enum)]
    pub binary_files: Option<BinaryFiles>,
    /// Search only files whose base name matches GLOB (grep --include)
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip files whose base name matches GLOB (grep --exclude)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Skip directories whose base name matches GLOB (grep --exclude-dir)
    #[arg(long, value_name = "GLOB")]
    pub exclude_dir: Vec<String>,
    /// A NUL byte after each file name instead of `:` or a newline (grep -Z)
    #[arg(short = 'Z', long)]
    pub null: bool,
    /// Lines end with a NUL byte, in the input and the output, not a newline (grep -z)
    #[arg(short = 'z', long)]
    pub null_data: bool,
    /// Line numbers and offsets padded, and a tab before the line (grep -T)
    #[arg(short = 'T', long)]
    pub initial_tab: bool,
    /// The name shown for standard input (grep --label)
    #[arg(long, value_name = "LABEL")]
    pub label: Option<String>,
    /// Write out each line as soon as it is found (grep --line-buffered)
    #[arg(long)]
    pub line_buffered: bool,
    /// Search directories; symlinks inside are not followed, those named on
    /// the command line are (grep -r)
    #[arg(short = 'r', long)]
    pub recursive: bool,
    /// Only the files or objects whose name hashes to shard K of N, so that N machines share one tree or bucket
    #[arg(long, value_name = "K/N", value_parser = crate::io::walk::Shard::parse)]
    pub shard: Option<crate::io::walk::Shard>,
    /// As -r, following every symlink (grep -R)
    #[arg(short = 'R', long = "dereference-recursive")]
    pub follow: bool,
    /// Keep records of this level (`error`), or of it and above (`warn+`)
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Keep records from TIME on: `2026-11-27T05:51:00Z`, `2026-11-27 05:51`, `1h`, `30m`, `2d` ago, and journalctl's `today`, `yesterday`, `@EPOCH`, `1 hour ago`
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Keep records up to TIME (same forms as --since)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Instead of lines: lines per level and a histogram over time
    #[arg(long)]
    pub stats: bool,
    /// Write the output to FILE (a file, or s3://bucket/key), which appears only when the search is done
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --output: replace FILE if it exists
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Selected lines (or --stats) as JSON: one object per line
    #[arg(long)]
    pub json: bool,
    /// Inputs searched at once (default: one per core, 16 for s3://); output keeps input order
    #[arg(long, visible_alias = "jobs", value_name = "N", value_parser = parse_threads)]
    pub threads: Option<NonZeroUsize>,
    /// Longest line searched; longer ones are skipped, an error (exit 2)
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = parse_size)]
    pub max_line: u64,
    /// Stop (exit 2) when a .gz input inflates more than N times its size; 0: no limit
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_ratio: u64,
    /// Colour names, numbers, separators and matches (as GNU grep) and the
    /// --stats bars; `--color` alone is `auto`, as in grep
    #[arg(
        long,
        visible_alias = "colour",
        value_enum,
        value_name = "WHEN",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "auto",
        default_value_t = ColorWhen::Auto
    )]
    pub color: ColorWhen,
    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
}

impl GrepLogArgs {
    /// `-r` or `-R`: directories are walked.
    pub fn walks(&self) -> bool {
        self.recursive || self.follow
    }
}

/// grep's `--binary-files`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BinaryFiles {
    /// `binary file matches` on stderr, no lines
    Binary,
    /// Search it as text (-a)
    Text,
    /// No matching lines (-I)
    WithoutMatch,
}

/// Shells that completions can be generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// bash
    Bash,
    /// zsh
    Zsh,
    /// fish
    Fish,
    /// PowerShell
    Powershell,
    /// elvish
    Elvish,
}

/// `binkit completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for
    #[arg(required_unless_present_any = ["man", "write"])]
    pub shell: Option<Shell>,
    /// Print the man page instead
    #[arg(long, conflicts_with = "shell")]
    pub man: bool,
    /// Write every completion script and the man page into DIR
    #[arg(long, value_name = "DIR", conflicts_with_all = ["shell", "man"])]
    pub write: Option<PathBuf>,
}

/// grep's `-m N`: a negative N is no limit, and one past `u64` is as good
/// as none (GNU grep takes both).
fn parse_max_count(text: &str) -> Result<u64, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid number '{text}'"));
    }
    if text.starts_with('-') {
        return Ok(u64::MAX);
    }
    Ok(text.parse().unwrap_or(u64::MAX))
}
