//! The binkit encrypted file format, version 1, byte by byte.
//!
//! ```text
//! offset size  field
//!      0    8  magic 89 42 4B 45 4E 43 0D 0A ("\x89BKENC\r\n": text-mode damage shows)
//!      8    1  version, 1
//!      9    1  KDF id: 0 raw 256-bit key, 1 Argon2id, 2 PBKDF2-HMAC-SHA256
//!     10    4  KDF parameter 1 (Argon2id: memory KiB; PBKDF2: iterations; raw: 0)
//!     14    4  KDF parameter 2 (Argon2id: passes; otherwise 0)
//!     18    4  KDF parameter 3 (Argon2id: lanes; otherwise 0)
//!     22   16  salt (random)
//!     38    1  log2 of the chunk size, 12..=24 (default 16: 64 KiB)
//!     39   16  file nonce (random)
//!     55   32  header MAC: HMAC-SHA256(MAC key, bytes 0..55)
//!     87       chunks
//! ```
//!
//! All integers are big-endian. Keys: the master key is the KDF of the
//! password and salt (or the raw key); HKDF-SHA256 with the file nonce as
//! salt expands it into three keys, with info `binkit v1 aes`, `binkit v1 mac`
//! and `binkit v1 iv`.
//!
//! The plaintext is cut into chunks of exactly the chunk size, the last one
//! 1..=chunk size bytes (0 only when the whole plaintext is empty). Chunk `i`
//! (a u64 counter from 0) is stored as
//! `AES-256-CBC(AES key, IV_i, PKCS#7(chunk)) ‖ tag`, where
//! `IV_i = HMAC-SHA256(IV key, i)[..16]` and
//! `tag = HMAC-SHA256(MAC key, header MAC ‖ i ‖ final flag ‖ ciphertext)`,
//! `i` as 8 bytes and the final flag as one byte (1 for the last chunk).
//! A full chunk therefore takes chunk size + 48 bytes; the last chunk is
//! the shorter record at the end of the file, or a full-size one that
//! nothing follows.

use std::fmt;

/// The 8 bytes every binkit encrypted file starts with.
pub const MAGIC: [u8; 8] = *b"\x89BKENC\r\n";
/// The format version this binkit writes and reads.
pub const VERSION: u8 = 1;
/// Header bytes covered by the header MAC.
pub const HEADER_BODY_BYTES: usize = 55;
/// Whole header, MAC included.
pub const HEADER_BYTES: usize = HEADER_BODY_BYTES + 32;
/// Smallest and largest chunk sizes, as powers of two.
pub const CHUNK_LOG2_MIN: u8 = 12;
/// See [`CHUNK_LOG2_MIN`].
pub const CHUNK_LOG2_MAX: u8 = 24;
/// The default chunk size, as a power of two (64 KiB).
pub const CHUNK_LOG2_DEFAULT: u8 = 16;
/// Bytes a chunk's ciphertext and tag add to its plaintext, at most.
pub const CHUNK_OVERHEAD_BYTES: usize = 16 + 32;

/// How the master key is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kdf {
    /// A 256-bit key from a key file.
    Raw,
    /// Argon2id (RFC 9106).
    Argon2id {
        /// Memory in KiB.
        memory_kib: u32,
        /// Passes over the memory.
        passes: u32,
        /// Degree of parallelism.
        lanes: u32,
    },
    /// PBKDF2-HMAC-SHA256.
    Pbkdf2 {
        /// Iterations.
        iterations: u32,
    },
}

impl Kdf {
    /// RFC 9106's second recommended Argon2id setting: 64 MiB, 3 passes, 4 lanes.
    pub const ARGON2ID_DEFAULT: Kdf = Kdf::Argon2id {
        memory_kib: 64 * 1024,
        passes: 3,
        lanes: 4,
    };
    /// OWASP's PBKDF2-HMAC-SHA256 minimum.
    pub const PBKDF2_DEFAULT: Kdf = Kdf::Pbkdf2 {
        iterations: 600_000,
    };

    fn id_and_params(self) -> (u8, [u32; 3]) {
        match self {
            Kdf::Raw => (0, [0, 0, 0]),
            Kdf::Argon2id {
                memory_kib,
                passes,
                lanes,
            } => (1, [memory_kib, passes, lanes]),
            Kdf::Pbkdf2 { iterations } => (2, [iterations, 0, 0]),
        }
    }

    /// Refuses settings that would make a hostile header cost gigabytes
    /// of memory or an hour of CPU (unless the user allows it).
    ///
    /// # Errors
    /// A message naming the parameter.
    pub fn check_cost(self) -> Result<(), String> {
        match self {
            Kdf::Argon2id { memory_kib, .. } if memory_kib > MAX_ARGON2_MEMORY_KIB => {
                Err(format!("Argon2id memory of {memory_kib} KiB is above the {MAX_ARGON2_MEMORY_KIB} KiB limit"))
            }
            Kdf::Argon2id { passes, .. } if passes > MAX_ARGON2_PASSES => {
                Err(format!("Argon2id with {passes} passes is above the {MAX_ARGON2_PASSES} limit"))
            }
            Kdf::Pbkdf2 { iterations } if iterations > MAX_PBKDF2_ITERATIONS => {
                Err(format!("PBKDF2 with {iterations} iterations is above the {MAX_PBKDF2_ITERATIONS} limit"))
            }
            _ => Ok(()),
        }
    }
}

/// Argon2id memory accepted without `--allow-expensive-kdf`: 256 MiB, four
/// times what binkit writes (a 187-byte file must not cost 1 GiB and 13 s
/// before "wrong password", issue 12).
pub const MAX_ARGON2_MEMORY_KIB: u32 = 256 * 1024;
/// Argon2id passes accepted without `--allow-expensive-kdf` (binkit
/// writes 3).
pub const MAX_ARGON2_PASSES: u32 = 10;
/// PBKDF2 iterations accepted without `--allow-expensive-kdf`.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;

/// A parsed header (its MAC is checked once the keys are known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// How the master key is made.
    pub kdf: Kdf,
    /// KDF salt.
    pub salt: [u8; 16],
    /// log2 of the chunk size.
    pub chunk_log2: u8,
    /// HKDF salt.
    pub nonce: [u8; 16],
}

/// Why a header was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// Not a binkit encrypted file.
    Magic,
    /// A version this binkit does not read.
    Version(u8),
    /// An unknown KDF id.
    Kdf(u8),
    /// Argon2id parameters the algorithm does not allow.
    Params,
    /// A chunk size outside 2^12..=2^24.
    ChunkSize(u8),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::Magic => f.write_str("not a binkit encrypted file (bad magic)"),
            HeaderError::Version(v) => write!(
                f,
                "format version {v} is not supported (this binkit reads 1)"
            ),
            HeaderError::Kdf(k) => write!(f, "unknown key derivation id {k}"),
            HeaderError::Params => f.write_str("invalid Argon2id parameters"),
            HeaderError::ChunkSize(c) => write!(f, "chunk size 2^{c} is outside 2^12..2^24"),
        }
    }
}

impl Header {
    /// The chunk size in bytes.
    pub fn chunk_size(&self) -> usize {
        1 << self.chunk_log2
    }

    /// The 55 bytes the header MAC covers.
    pub fn body(&self) -> [u8; HEADER_BODY_BYTES] {
        let mut out = [0u8; HEADER_BODY_BYTES];
        let (id, params) = self.kdf.id_and_params();
        out[..8].copy_from_slice(&MAGIC);
        out[8] = VERSION;
        out[9] = id;
        for (k, p) in params.iter().enumerate() {
            out[10 + 4 * k..14 + 4 * k].copy_from_slice(&p.to_be_bytes());
        }
        out[22..38].copy_from_slice(&self.salt);
        out[38] = self.chunk_log2;
        out[39..55].copy_from_slice(&self.nonce);
        out
    }

    /// Parses the 55 bytes before the header MAC.
    ///
    /// # Errors
    /// The first field that is not acceptable.
    pub fn parse(body: &[u8; HEADER_BODY_BYTES]) -> Result<Header, HeaderError> {
        if body[..8] != MAGIC {
            return Err(HeaderError::Magic);
        }
        if body[8] != VERSION {
            return Err(HeaderError::Version(body[8]));
        }
        let param = |k: usize| {
            u32::from_be_bytes(body[10 + 4 * k..14 + 4 * k].try_into().expect("4 bytes"))
        };
        let kdf = match body[9] {
            0 => Kdf::Raw,
            1 => Kdf::Argon2id {
                memory_kib: param(0),
                passes: param(1),
                lanes: param(2),
            },
            2 => Kdf::Pbkdf2 {
                iterations: param(0),
            },
            other => return Err(HeaderError::Kdf(other)),
        };
        let chunk_log2 = body[38];
        if !(CHUNK_LOG2_MIN..=CHUNK_LOG2_MAX).contains(&chunk_log2) {
            return Err(HeaderError::ChunkSize(chunk_log2));
        }
        Ok(Header {
            kdf,
            salt: body[22..38].try_into().expect("16 bytes"),
            chunk_log2,
            nonce: body[39..55].try_into().expect("16 bytes"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_lays_out_as_documented() {
        let header = Header {
            kdf: Kdf::Argon2id {
                memory_kib: 0x0001_0000,
                passes: 3,
                lanes: 4,
            },
            salt: [0x11; 16],
            chunk_log2: 16,
            nonce: [0x22; 16],
        };
        let body = header.body();
        assert_eq!(&body[..10], b"\x89BKENC\r\n\x01\x01");
        assert_eq!(&body[10..22], &[0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4]);
        assert_eq!(body[38], 16);
        assert_eq!(Header::parse(&body), Ok(header));
    }

    #[test]
    fn hostile_headers_are_refused() {
        let good = Header {
            kdf: Kdf::Raw,
            salt: [0; 16],
            chunk_log2: 12,
            nonce: [0; 16],
        }
        .body();
        let with = |i: usize, v: u8| {
            let mut b = good;
            b[i] = v;
            Header::parse(&b)
        };
        assert_eq!(with(0, 0x88), Err(HeaderError::Magic));
        assert_eq!(with(8, 2), Err(HeaderError::Version(2)));
        assert_eq!(with(9, 3), Err(HeaderError::Kdf(3)));
        assert_eq!(with(38, 11), Err(HeaderError::ChunkSize(11)));
        assert_eq!(with(38, 25), Err(HeaderError::ChunkSize(25)));
        assert!(Kdf::Argon2id {
            memory_kib: u32::MAX,
            passes: 1,
            lanes: 1
        }
        .check_cost()
        .is_err());
        assert!(Kdf::Pbkdf2 {
            iterations: u32::MAX
        }
        .check_cost()
        .is_err());
        assert!(Kdf::ARGON2ID_DEFAULT.check_cost().is_ok());
    }
}
