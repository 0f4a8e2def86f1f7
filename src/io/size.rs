//! Sizes as people type them: `4096`, `0x1000`, `5M`, `5MiB`, `1.5GB`.
//!
//! As in GNU coreutils, a bare unit letter and the `iB` forms are powers of
//! 1024 (`5M` = `5MiB` = 5,242,880) and the `B` forms are powers of 1000
//! (`5MB` = 5,000,000). Units are case-insensitive.

/// Where `hexdump -s` starts: an offset from the start (`+` optional) or,
/// negative, from the end of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// This many bytes from the start.
    FromStart(u64),
    /// This many bytes before the end.
    FromEnd(u64),
}

/// Parses `-s`'s OFFSET: a [`parse_c_size`], `+offset` or `-offset`.
///
/// # Errors
/// As [`parse_size`].
pub fn parse_skip(text: &str) -> Result<Skip, String> {
    match text.strip_prefix('-') {
        Some(tail) => parse_c_size(tail).map(Skip::FromEnd),
        None => parse_c_size(text.strip_prefix('+').unwrap_or(text)).map(Skip::FromStart),
    }
}

/// A size as xxd and hexdump(1) read offsets and lengths (C's `strtol`
/// with base 0): a leading `0` makes it octal (`0400` is 256), `0x` hex;
/// otherwise [`parse_size`], units included (hexdump's `-n 1k`).
///
/// # Errors
/// As [`parse_size`], and for digits 8 and 9 after a leading `0`.
pub fn parse_c_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits < 2 || !t.starts_with('0') || t[digits..].starts_with('.') {
        return parse_size(text);
    }
    let bad = || format!("invalid octal size '{text}' (a leading 0 means octal, as in xxd)");
    let octal = u64::from_str_radix(&t[..digits], 8).map_err(|_| bad())?;
    let multiplier = unit_multiplier(&t[digits..]).ok_or_else(bad)?;
    octal
        .checked_mul(multiplier)
        .ok_or_else(|| format!("size '{text}' is too large"))
}

/// A count as xxd reads `-c` and `-g` (C's `strtol`, base 0): `0x10` hex,
/// `016` octal (14), else decimal; no units.
///
/// # Errors
/// Anything else, or a count past `usize`.
pub fn parse_c_count(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let bad = || format!("'{text}' is not a count (16, 0x10, 020)");
    let n = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16)
    } else if t.len() > 1 && t.starts_with('0') {
        u64::from_str_radix(&t[1..], 8)
    } else {
        t.parse()
    };
    n.ok().and_then(|n| usize::try_from(n).ok()).ok_or_else(bad)
}

/// Threads per core that `--threads` may ask for: more only costs memory
/// (every worker has its buffers) and start-up time.
pub const THREADS_PER_CORE_MAX: usize = 8;

/// Parses `--threads N`: 1 up to [`THREADS_PER_CORE_MAX`] per core (at
/// least 16), so that no value can exhaust memory or the process table.
///
/// # Errors
/// A message for 0, a value that is not a number, or too many threads.
pub fn parse_threads(text: &str) -> Result<std::num::NonZeroUsize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of threads"))?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let max = (cores * THREADS_PER_CORE_MAX).max(16);
    match std::num::NonZeroUsize::new(n) {
        None => Err("at least 1 thread".into()),
        Some(_) if n > max => Err(format!(
            "at most {max} threads here ({THREADS_PER_CORE_MAX} per core)"
        )),
        Some(n) => Ok(n),
    }
}

/// Parses a size in bytes.
///
/// # Errors
/// A message naming the text when it is not a size, is not a whole number
/// of bytes, or does not fit in 64 bits.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || format!("invalid size '{text}' (examples: 4096, 0x1000, 64K, 5MiB, 1.5GB)");
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).map_err(|_| bad());
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let multiplier = unit_multiplier(unit).ok_or_else(bad)?;
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return Err(bad());
    }
    let digits = format!("{whole}{fraction}");
    let mantissa: u128 = digits.parse().map_err(|_| bad())?;
    let scale = 10u128
        .checked_pow(u32::try_from(fraction.len()).map_err(|_| bad())?)
        .ok_or_else(bad)?;
    let scaled = mantissa
        .checked_mul(u128::from(multiplier))
        .ok_or_else(bad)?;
    if scaled % scale != 0 {
        return Err(format!("size '{text}' is not a whole number of bytes"));
    }
    u64::try_from(scaled / scale).map_err(|_| format!("size '{text}' is too large"))
}

fn unit_multiplier(unit: &str) -> Option<u64> {
    let unit = unit.to_ascii_lowercase();
    let (prefix, base) = match unit.as_str() {
        "" | "b" => return Some(1),
        u if u.len() == 1 => (u, 1024),
        u if u.len() == 3 && u.ends_with("ib") => (&u[..1], 1024),
        u if u.len() == 2 && u.ends_with('b') => (&u[..1], 1000),
        _ => return None,
    };
    let power = "kmgtpe".find(prefix)? + 1;
    u64::checked_pow(base, u32::try_from(power).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_and_hex() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("0x1000"), Ok(4096));
        assert_eq!(parse_size(" 12 "), Ok(12));
        assert_eq!(parse_size("7B"), Ok(7));
    }

    #[test]
    fn binary_and_decimal_units_follow_gnu() {
        assert_eq!(parse_size("5M"), Ok(5 << 20));
        assert_eq!(parse_size("5MiB"), Ok(5 << 20));
        assert_eq!(parse_size("5mib"), Ok(5 << 20));
        assert_eq!(parse_size("5MB"), Ok(5_000_000));
        assert_eq!(parse_size("64k"), Ok(65536));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("1.5K"), Ok(1536));
        assert_eq!(parse_size("1E"), Ok(1 << 60));
    }

    /// xxd's `-c 016` is 14 bytes a line, `-c 0x8` is 8.
    #[test]
    fn c_counts_are_octal_with_a_leading_zero() {
        assert_eq!(parse_c_count("016"), Ok(14));
        assert_eq!(parse_c_count("0x8"), Ok(8));
        assert_eq!(parse_c_count("16"), Ok(16));
        assert_eq!(parse_c_count("0"), Ok(0));
        assert!(parse_c_count("09").is_err());
        assert!(parse_c_count("4K").is_err());
    }

    /// C's strtol with base 0, as xxd and hexdump(1) parse offsets
    /// (`xxd -s 0400` starts at 0x100; `hexdump -n 020` reads 16 bytes).
    #[test]
    fn c_sizes_are_octal_with_a_leading_zero() {
        assert_eq!(parse_c_size("0400"), Ok(0x100));
        assert_eq!(parse_c_size("020"), Ok(16));
        assert_eq!(parse_c_size("0"), Ok(0));
        assert_eq!(parse_c_size("400"), Ok(400));
        assert_eq!(parse_c_size("0x400"), Ok(0x400));
        assert_eq!(parse_c_size("1k"), Ok(1024));
        assert_eq!(parse_c_size("01k"), Ok(1024));
        assert!(parse_c_size("089").is_err());
        assert_eq!(parse_skip("-020"), Ok(Skip::FromEnd(16)));
    }

    #[test]
    fn refuses_what_is_not_a_size() {
        for bad in [
            "", "x", "5X", "5MiBs", "1.2.3", ".", "-5", "5 M", "0xZZ", "5iB", "1.5",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(parse_size("0.1K").unwrap_err().contains("whole number"));
        assert!(parse_size("16E").unwrap_err().contains("too large"));
        assert!(parse_size("99999999999999999999999999999999999999999").is_err());
    }
}
