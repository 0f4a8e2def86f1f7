//! The `encrypt` and `decrypt` commands: pick the format, get the secret,
//! wire the stage between input and output.

use std::io::Read;

use zeroize::Zeroizing;

use super::format::{Header, Kdf, CHUNK_LOG2_MAX, CHUNK_LOG2_MIN};
use super::keys::{master_key, Secret};
use super::openssl::{self, KeyIv, KeySource, OpensslDecrypt, OpensslEncrypt, OpensslKdf};
use super::secret::{read_key_file, read_secret, LineEnd};
use super::stream::{Decrypt, Encrypt};
use crate::cli::{DecryptArgs, EncryptArgs, KdfChoice, LegacyDigest};
use crate::error::{Error, Outcome, Result};
use crate::io::progress::Tracked;
use crate::io::{drive, read_head, Input, Output};
use std::num::NonZeroUsize;

/// The mode of a decrypted file unless `--mode` says otherwise.
const DECRYPTED_MODE: u32 = 0o600;

/// `Salted__` in base64: how every `openssl enc -a` file made with a
/// password starts.
const SALTED_BASE64: &[u8] = b"U2FsdGVk";

/// The bytes of a base64 input (`-a`), decoded on a thread of its own as
/// GNU base64 -d would; a decoding error ends the stream with its offset in
/// the base64 text.
fn base64_decoded(mut input: Input) -> crate::io::threaded::ReadAhead {
    crate::io::threaded::ReadAhead::from_producer(move |out| {
        let opts = crate::b64::DecodeOptions {
            alphabet: crate::b64::Alphabet::Standard,
            ignore_garbage: false,
            padding_optional: false,
        };
        let mut stage = crate::b64::B64Decode::new(out, opts);
        crate::io::pump(&mut input, &mut stage).map_err(|e| match e {
            crate::io::PumpError::Read(e) | crate::io::PumpError::Write(e) => e,
        })?;
        crate::io::Stage::finish(stage).map(drop)
    })
}

/// Fewest PBKDF2 iterations binkit writes (OWASP's recommendation).
pub const PBKDF2_MIN_ITERATIONS: u32 = 600_000;

/// What encrypt writes, and with which key.
enum Sealing {
    /// `openssl enc -K/-iv -nosalt`.
    Raw(KeyIv),
    /// `openssl enc -pbkdf2`, salted.
    Openssl(Zeroizing<Vec<u8>>),
    /// The binkit format.
    Binkit(Secret),
}

/// `binkit encrypt`.
///
/// # Errors
/// Bad options, unreadable secrets, I/O errors.
pub fn encrypt(args: &EncryptArgs) -> Result<Outcome> {
    let mut input = Input::open(args.file.as_deref())?;
    let chunk_log2 = chunk_log2(args.chunk_size)?;
    let sealing = match &args.raw.raw_key_file {
        Some(key_file) => Sealing::Raw(raw_key_iv(key_file, args.raw.iv.as_deref())?),
        None => match read_secret(&args.secret, true, line_end(args.openssl))? {
            Secret::Password(password) if args.openssl => Sealing::Openssl(password),
            Secret::Key(_) if args.openssl => {
                let what = "--openssl needs a password, not a key file (or use --raw-key-file)";
                return Err(Error::Usage(what.into()));
            }
            secret => Sealing::Binkit(secret),
        },
    };
    if !matches!(sealing, Sealing::Binkit(_)) {
        warn_unauthenticated();
    }
    let (from, size) = (input.place().clone(), input.size());
    let output = Output::create(args.out.output.as_deref(), args.out.force)?;
    let to = output.place().clone();
    let write_err = |e| Error::io("write", &to, e);
    let mut reader = Tracked::new(&mut input, &from, size, args.out.quiet);
    let output = match sealing {
        Sealing::Raw(k) => {
            let stage = OpensslEncrypt::new(output, &k, None).map_err(write_err)?;
            drive(&mut reader, stage, &from, &to)?
        }
        Sealing::Openssl(password) => {
            let salt: [u8; 8] = random();
            let iterations = args.iter.unwrap_or(openssl::PBKDF2_ITER_DEFAULT);
            let kdf = OpensslKdf::Pbkdf2 {
                iterations,
                md: openssl::Md::Sha256,
            };
            let k = openssl::derive(&password, &salt, kdf);
            let stage = OpensslEncrypt::new(output, &k, Some(&salt)).map_err(write_err)?;
            drive(&mut reader, stage, &from, &to)?
        }
        Sealing::Binkit(secret) => {
            let header = Header {
                kdf: kdf_for(&secret, args)?,
                salt: random(),
                chunk_log2,
                nonce: random(),
            };
            let master = master_key(&secret, &header).map_err(Error::Usage)?;
            let stage =
                Encrypt::new(output, &header, &master, threads(args.threads)).map_err(write_err)?;
            drive(&mut reader, stage, &from, &to)?
        }
    };
    finish(output)
}

/// What decrypt reads, and with which key.
enum Opening {
    /// An `openssl enc` file (no authentication).
    Openssl(KeySource),
    /// A binkit file.
    Binkit(Secret),
}

/// `binkit decrypt`.
///
/// # Errors
/// Bad options, unreadable secrets, wrong keys, tampered input, I/O errors.
pub fn decrypt(args: &DecryptArgs) -> Result<Outcome> {
    let raw = Input::open(args.file.as_deref())?;
    let (from, size) = (raw.place().clone(), raw.size());
    let mut input: Box<dyn Read> = if args.base64 {
        Box::new(base64_decoded(raw))
    } else {
        Box::new(raw)
    };
    let head = read_head(&mut input, 8).map_err(|e| Error::io("read", &from, e))?;
    let salted = head == openssl::SALTED_MAGIC;
    if !args.base64 && head.starts_with(SALTED_BASE64) {
        return Err(Error::Usage(format!(
            "{from} is base64 (it starts with U2FsdGVkX1, 'Salted__' in base64: openssl enc -a): add -a"
        )));
    }
    let opening = match &args.raw.raw_key_file {
        Some(key_file) => Opening::Openssl(KeySource::Raw(raw_key_iv(
            key_file,
            args.raw.iv.as_deref(),
        )?)),
        None => match (read_secret(&args.secret, false, line_end(salted))?, salted) {
            (Secret::Password(password), true) => {
                Opening::Openssl(KeySource::Password(password, openssl_kdf(args)))
            }
            (Secret::Key(_), true) => {
                let what = "an openssl 'Salted__' file needs its password, not a key file";
                return Err(Error::Usage(what.into()));
            }
            (secret, false) => Opening::Binkit(secret),
        },
    };
    if matches!(opening, Opening::Openssl(_)) {
        warn_unauthenticated();
    }
    let mut output = Output::create(args.out.output.as_deref(), args.out.force)?;
    // Plaintext is private unless asked otherwise (issue 12).
    output.set_mode(args.mode.unwrap_or(DECRYPTED_MODE));
    let to = output.place().clone();
    let mut reader = Tracked::new(
        std::io::Cursor::new(head).chain(&mut input),
        &from,
        size,
        args.out.quiet,
    );
    let output = match opening {
        Opening::Openssl(source) => {
            drive(&mut reader, OpensslDecrypt::new(output, source), &from, &to)?
        }
        Opening::Binkit(secret) => {
            let stage = Decrypt::new(
                output,
                secret,
                args.allow_expensive_kdf,
                threads(args.threads),
            );
            drive(&mut reader, stage, &from, &to)?
        }
    };
    finish(output)
}

/// Password lines end as openssl reads them for openssl files.
fn line_end(openssl: bool) -> LineEnd {
    if openssl {
        LineEnd::Lf
    } else {
        LineEnd::LfOrCrLf
    }
}

/// How the `openssl enc` file at hand derived its key, per the options.
fn openssl_kdf(args: &DecryptArgs) -> OpensslKdf {
    match (args.legacy, args.iter) {
        (Some(LegacyDigest::Sha256), _) => OpensslKdf::LegacySha256,
        (Some(LegacyDigest::Md5), _) => OpensslKdf::LegacyMd5,
        (None, iter) => OpensslKdf::Pbkdf2 {
            iterations: iter.unwrap_or(openssl::PBKDF2_ITER_DEFAULT),
            md: args.md.unwrap_or(openssl::Md::Sha256),
        },
    }
}

fn finish(output: Output) -> Result<Outcome> {
    output.commit()?;
    Ok(Outcome::Yes)
}

fn warn_unauthenticated() {
    crate::message!(
        "warning: openssl enc files carry no authentication; a wrong key or a damaged file may go unnoticed"
    );
}

/// The header's KDF for a new file.
fn kdf_for(secret: &Secret, args: &EncryptArgs) -> Result<Kdf> {
    Ok(match (secret, args.kdf) {
        (Secret::Key(_), _) => Kdf::Raw,
        (Secret::Password(_), KdfChoice::Argon2id) => Kdf::ARGON2ID_DEFAULT,
        (Secret::Password(_), KdfChoice::Pbkdf2) => {
            let iterations = args.iter.unwrap_or(PBKDF2_MIN_ITERATIONS);
            if iterations < PBKDF2_MIN_ITERATIONS {
                return Err(Error::Usage(format!(
                    "--iter {iterations}: PBKDF2 needs at least {PBKDF2_MIN_ITERATIONS}"
                )));
            }
            Kdf::Pbkdf2 { iterations }
        }
    })
}

/// `--chunk-size` as a power of two within the format's range.
fn chunk_log2(size: u64) -> Result<u8> {
    let log2 = u8::try_from(size.trailing_zeros()).expect("at most 64");
    if !size.is_power_of_two() || !(CHUNK_LOG2_MIN..=CHUNK_LOG2_MAX).contains(&log2) {
        return Err(Error::Usage(format!(
            "--chunk-size {size}: a power of two from 4KiB to 16MiB"
        )));
    }
    Ok(log2)
}

/// `--raw-key-file` and `--iv`, as openssl's `-K` and `-iv`.
fn raw_key_iv(key_file: &std::path::Path, iv: Option<&str>) -> Result<KeyIv> {
    let key = read_key_file(key_file)?;
    let text = iv.unwrap_or_default();
    let mut iv = [0u8; 16];
    hex::decode_to_slice(text, &mut iv)
        .map_err(|_| Error::Usage(format!("--iv {text:?}: 32 hex digits")))?;
    let mut owned = Zeroizing::new([0u8; 32]);
    owned.copy_from_slice(&key[..]);
    Ok(KeyIv { key: owned, iv })
}

/// `--threads`, or one per core.
fn threads(asked: Option<NonZeroUsize>) -> usize {
    asked
        .unwrap_or_else(crate::io::ordered::default_threads)
        .get()
}

/// Random bytes from the operating system.
fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).expect("the operating system provides randomness");
    out
}
