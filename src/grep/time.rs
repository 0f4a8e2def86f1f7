//! Timestamps in log lines, as Unix seconds: ISO 8601 / RFC 3339, syslog
//! (`Nov 27 05:51:33`, year inferred), Apache/nginx access logs
//! (`[27/Nov/2026:05:51:33 +0000]`), Apache error logs (`[Fri Nov 27
//! 05:51:33.123 2026]`) and epoch seconds (or milliseconds) or ISO strings
//! under `time`/`ts`/`timestamp` in JSON lines. Times without a zone are
//! taken as UTC.

/// A timestamp as a line wrote it: the instant (Unix seconds and a
/// fraction) and what `--json` shows of it, the fraction's digits and the
/// zone offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Unix seconds (UTC).
    pub secs: i64,
    /// The fraction of the second, in nanoseconds.
    pub nanos: u32,
    /// How many digits of fraction the line wrote (at most 9 kept).
    pub digits: u8,
    /// The zone offset the line wrote, in seconds east of UTC (0 for none).
    pub offset: i32,
}

impl Stamp {
    /// The instant, for ordering: seconds, then nanoseconds.
    pub fn instant(&self) -> (i64, u32) {
        (self.secs, self.nanos)
    }

    /// A whole second in UTC.
    pub fn at(secs: i64) -> Stamp {
        Stamp {
            secs,
            nanos: 0,
            digits: 0,
            offset: 0,
        }
    }

    /// RFC 3339 in the line's own zone, with the line's fraction digits:
    /// `2026-11-30T10:00:00.003+01:00` (`Z` for UTC or no zone).
    pub fn rfc3339(&self) -> String {
        let local = self.secs + i64::from(self.offset);
        let (date, clock) = civil(local);
        let mut text = format!("{date}T{clock}");
        if self.digits > 0 {
            let fraction = format!("{:09}", self.nanos);
            text.push('.');
            text.push_str(&fraction[..usize::from(self.digits)]);
        }
        if self.offset == 0 {
            text.push('Z');
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let off = self.offset.unsigned_abs();
            text.push_str(&format!("{sign}{:02}:{:02}", off / 3600, off % 3600 / 60));
        }
        text
    }
}

/// Unix seconds as a civil date `YYYY-MM-DD` and clock `hh:mm:ss` (Howard
/// Hinnant's algorithm).
fn civil(t: i64) -> (String, String) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ),
    )
}

/// The fraction of a second written at `at` (the digits after `.` or
/// `,`): nanoseconds, the digits kept (at most 9) and where they end.
fn fraction(b: &[u8], mut at: usize) -> (u32, u8, usize) {
    let (mut nanos, mut kept) = (0u32, 0u8);
    while let Some(&d) = b.get(at).filter(|d| d.is_ascii_digit()) {
        if kept < 9 {
            nanos = nanos * 10 + u32::from(d - b'0');
            kept += 1;
        }
        at += 1;
    }
    (nanos * 10u32.pow(9 - u32::from(kept)), kept, at)
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days in `month` of `year` (proleptic Gregorian): `2026-02-31` is no date.
fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Unix seconds of a civil date and time, checked for range.
fn unix(year: i64, month: u32, day: u32, h: u32, m: u32, s: u32) -> Option<i64> {
    // ISO 8601's `24:00:00` is the end of the day: the next day's midnight.
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && (h < 24 && m < 60 && s <= 60 || (h, m, s) == (24, 0, 0));
    valid.then(|| days_from_civil(year, month, day) * 86_400 + i64::from(h * 3600 + m * 60 + s))
}

/// The `n` ASCII digits at `at` as a number.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let field = b.get(at..at + n)?;
    field.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

fn month(b: &[u8], at: usize) -> Option<u32> {
    let name = b.get(at..at + 3)?;
    MONTHS
        .iter()
        .position(|m| &m[..] == name)
        .map(|i| i as u32 + 1)
}

/// `hh:mm:ss` at `at`.
fn clock(b: &[u8], at: usize) -> Option<(u32, u32, u32)> {
    (b.get(at + 2) == Some(&b':') && b.get(at + 5) == Some(&b':'))
        .then(|| {
            Some((
                digits(b, at, 2)?,
                digits(b, at + 3, 2)?,
                digits(b, at + 6, 2)?,
            ))
        })
        .flatten()
}

/// A zone offset in seconds at `at` (`Z`, `+hh:mm`, `+hhmm`, `+hh`) and
/// its length; none means UTC.
/// Zone abbreviations read as offsets: UTC and the common US, European
/// and Asia-Pacific ones that mean one thing. Ambiguous ones (IST is
/// India's, Ireland's and Israel's; AST, ADT) and any other word shaped as
/// a zone are not guessed: the time is unknown (see [`zone`]).
const ZONES: [(&[u8], i64); 33] = [
    (b"UTC", 0),
    (b"UT", 0),
    (b"MDT", -6 * 3600),
    (b"AKST", -9 * 3600),
    (b"AKDT", -8 * 3600),
    (b"HST", -10 * 3600),
    (b"MSK", 3 * 3600),
    (b"JST", 9 * 3600),
    (b"KST", 9 * 3600),
    (b"HKT", 8 * 3600),
    (b"SGT", 8 * 3600),
    (b"AWST", 8 * 3600),
    (b"ACST", 9 * 3600 + 1800),
    (b"ACDT", 10 * 3600 + 1800),
    (b"AEST", 10 * 3600),
    (b"AEDT", 11 * 3600),
    (b"NZST", 12 * 3600),
    (b"NZDT", 13 * 3600),
    (b"GMT", 0),
    (b"WET", 0),
    (b"WEST", 3600),
    (b"BST", 3600),
    (b"CET", 3600),
    (b"CEST", 7200),
    (b"EET", 7200),
    (b"EEST", 10800),
    (b"EST", -5 * 3600),
    (b"EDT", -4 * 3600),
    (b"CST", -6 * 3600),
    (b"CDT", -5 * 3600),
    (b"MST", -7 * 3600),
    (b"PST", -8 * 3600),
    (b"PDT", -7 * 3600),
];

fn zone(b: &[u8], at: usize) -> Option<(i64, usize)> {
    // After a space: an offset (`10:00:00 +0100`) or an abbreviation.
    if b.get(at) == Some(&b' ') {
        if matches!(b.get(at + 1), Some(b'+' | b'-'))
            && b.get(at + 2..at + 6)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        {
            let (offset, len) = zone(b, at + 1)?;
            return Some((offset, len + 1));
        }
        let word = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let after = b.get(at + 1 + word);
        let name = &b[at + 1..at + 1 + word];
        if (2..=5).contains(&word) && !after.is_some_and(u8::is_ascii_alphanumeric) {
            if let Some((_, offset)) = ZONES.iter().find(|(zone, _)| *zone == name) {
                return Some((*offset, word + 1));
            }
            // Shaped as a zone (IST, AST, WIB, ...) but not one known: the
            // time is not known either (a level word is no zone).
            let zone_like = name.ends_with(b"T") || matches!(name, b"WIB" | b"WITA");
            if zone_like && !matches!(name, b"CRIT" | b"ALERT" | b"AUDIT") {
                return None;
            }
        }
        return Some((0, 0));
    }
    match b.get(at) {
        Some(b'Z' | b'z') => Some((0, 1)),
        Some(&sign @ (b'+' | b'-')) => {
            let Some(h) = digits(b, at + 1, 2) else {
                return Some((0, 0));
            };
            let (m, len) = if b.get(at + 3) == Some(&b':') {
                (digits(b, at + 4, 2), 6)
            } else {
                (digits(b, at + 3, 2), 5)
            };
            let (m, len) = m.map_or((0, 3), |m| (m, len));
            // `+99:99` is no offset: the time it would shift is not known
            // (real offsets run from -12:00 to +14:00).
            if h > 23 || m > 59 {
                return None;
            }
            let offset = i64::from(h * 3600 + m * 60);
            Some((if sign == b'-' { -offset } else { offset }, len))
        }
        _ => Some((0, 0)),
    }
}

/// ISO 8601 at `at`: `YYYY-MM-DD[T ]hh:mm[:ss[.frac]][zone]`, with the
/// fraction and the zone as written.
fn iso_stamp(b: &[u8], at: usize) -> Option<Stamp> {
    // Go's log package writes 2026/11/30 10:00:00.
    let sep = b
        .get(at + 4)
        .copied()
        .filter(|c| matches!(c, b'-' | b'/'))?;
    if b.get(at + 7) != Some(&sep) {
        return None;
    }
    let (year, mon, day) = (
        digits(b, at, 4)?,
        digits(b, at + 5, 2)?,
        digits(b, at + 8, 2)?,
    );
    if !matches!(b.get(at + 10), Some(b'T' | b't' | b' ')) || b.get(at + 13) != Some(&b':') {
        return None;
    }
    let (h, m) = (digits(b, at + 11, 2)?, digits(b, at + 14, 2)?);
    let mut end = at + 16;
    let mut s = 0;
    let (mut nanos, mut kept) = (0, 0);
    if b.get(end) == Some(&b':') {
        s = digits(b, end + 1, 2)?;
        end += 3;
        // A separator with no digit after it (`10:00:00.Z`) is not a
        // fraction; the time ends before it, with no zone.
        if matches!(b.get(end), Some(b'.' | b',')) && b.get(end + 1).is_some_and(u8::is_ascii_digit)
        {
            (nanos, kept, end) = fraction(b, end + 1);
        } else if matches!(b.get(end), Some(b'.' | b',')) {
            return unix(i64::from(year), mon, day, h, m, s).map(Stamp::at);
        }
    }
    let (offset, _) = zone(b, end)?;
    Some(Stamp {
        secs: unix(i64::from(year), mon, day, h, m, s)? - offset,
        nanos,
        digits: kept,
        offset: i32::try_from(offset).ok()?,
    })
}

/// Whether `line` begins as an ISO or Go date and time does
/// (`2026-02-30 10:00`, `2026/11/30 25:00`) whether or not the values are
/// a time: such a line starts a record of its own, one with no time, and
/// is never read as part of the record before it.
pub fn stamp_shaped(line: &[u8]) -> bool {
    let mut at = 0;
    if line.first() == Some(&b'<') {
        at = memchr::memchr(b'>', &line[..line.len().min(5)]).map_or(0, |i| i + 1);
    }
    at += usize::from(line.get(at) == Some(&b'['));
    // syslog's `Feb 30 10:00:00`, `Dec  2 25:00:00`.
    if month(line, at).is_some() {
        let Some(head) = line.get(at + 3..at + 15) else {
            return false;
        };
        let digit = |i: usize| head[i].is_ascii_digit();
        return head[0] == b' '
            && (head[1] == b' ' || digit(1))
            && digit(2)
            && head[3] == b' '
            && [4, 5, 7, 8, 10, 11].into_iter().all(digit)
            && head[6] == b':'
            && head[9] == b':';
    }
    let Some(head) = line.get(at..at + 16) else {
        return false;
    };
    let digit = |i: usize| head[i].is_ascii_digit();
    [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
        .into_iter()
        .all(digit)
        && matches!(head[4], b'-' | b'/')
        && head[7] == head[4]
        && matches!(head[10], b'T' | b' ')
        && head[13] == b':'
}

/// The year a syslog line without one most likely belongs to: this year,
/// unless that puts it more than a day in the future.
fn syslog_year(now: i64, mon: u32, day: u32, clock: (u32, u32, u32)) -> Option<i64> {
    // Roughly this year; trying the one after covers an estimate a day off.
    let this_year = 1970 + now.div_euclid(31_556_952);
    for year in [this_year + 1, this_year, this_year - 1] {
        let t = unix(year, mon, day, clock.0, clock.1, clock.2)?;
        if t <= now + 86_400 {
            return Some(t);
        }
    }
    None
}

/// The timestamp of a log line, if it has one in a known place, as Unix
/// seconds.
pub fn timestamp_of(line: &[u8], now: i64) -> Option<i64> {
    stamp_of(line, now).map(|s| s.secs)
}

/// Years 0 to 9999 in Unix seconds: a number past them is not a time
/// (issue 12).
const YEARS: std::ops::Range<i64> = -62_167_219_200..253_402_300_800;

/// The timestamp of a log line as it was written (see [`Stamp`]).
pub fn stamp_of(line: &[u8], now: i64) -> Option<Stamp> {
    timestamp_in_any_year(line, now).filter(|t| YEARS.contains(&t.secs))
}

fn timestamp_in_any_year(line: &[u8], now: i64) -> Option<Stamp> {
    let mut at = 0;
    // A syslog priority, then an optional '['.
    if line.first() == Some(&b'<') {
        at = memchr::memchr(b'>', &line[..line.len().min(5)])? + 1;
    }
    if line.get(at) == Some(&b'[') {
        at += 1;
    }
    // RFC 5424: `<34>1 2026-11-30T...`, the version after the priority.
    if at > 0 && line.get(at).is_some_and(u8::is_ascii_digit) && line.get(at + 1) == Some(&b' ') {
        if let Some(t) = iso_stamp(line, at + 2) {
            return Some(t);
        }
    }
    let first = *line.get(at)?;
    if first.is_ascii_digit() {
        if let Some(t) = iso_stamp(line, at) {
            return Some(t);
        }
    } else if let Some(t) = klog(line, at, now) {
        return Some(t);
    } else if first.is_ascii_lowercase() {
        // A program's name first: Debian's `update-alternatives 2026-...`.
        let word = line[at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
            .count();
        if line.get(at + word) == Some(&b' ') {
            if let Some(t) = iso_stamp(line, at + word + 1) {
                return Some(t);
            }
        }
        if let Some(t) = logfmt_time(line) {
            return Some(t);
        }
    } else if first.is_ascii_uppercase() {
        // syslog "Nov 27 05:51:33", or Apache error "Fri Nov 27 05:51:33.1 2026".
        if let Some(t) = syslog(line, at, now)
            .map(Stamp::at)
            .or_else(|| apache_error(line, at))
            .or_else(|| apt_history(line))
        {
            return Some(t);
        }
    } else if first == b'{' {
        return json_time(line);
    }
    access_log(line)
}

/// apt's history.log: `Start-Date: 2025-06-24  14:36:25` (two spaces
/// between date and time) and `End-Date:` the same.
fn apt_history(line: &[u8]) -> Option<Stamp> {
    let rest = line
        .strip_prefix(b"Start-Date: ")
        .or_else(|| line.strip_prefix(b"End-Date: "))?;
    let spaces = rest.get(10..)?.iter().take_while(|&&c| c == b' ').count();
    if spaces == 0 {
        return None;
    }
    let mut text = rest[..10].to_vec();
    text.push(b' ');
    text.extend_from_slice(rest.get(10 + spaces..18 + spaces)?);
    iso_stamp(&text, 0)
}

/// klog/glog: `E1130 10:00:00.000000 ...` (level letter, month, day; the
/// year inferred as for syslog).
fn klog(b: &[u8], at: usize, now: i64) -> Option<Stamp> {
    if !matches!(b.get(at), Some(b'I' | b'W' | b'E' | b'F')) || b.get(at + 5) != Some(&b' ') {
        return None;
    }
    let (mon, day) = (digits(b, at + 1, 2)?, digits(b, at + 3, 2)?);
    if !(1..=12).contains(&mon) {
        return None;
    }
    let secs = syslog_year(now, mon, day, clock(b, at + 6)?)?;
    Some(with_fraction(Stamp::at(secs), b, at + 14))
}

/// `stamp` with the fraction written at `at` (`.123456`), if there is one.
fn with_fraction(mut stamp: Stamp, b: &[u8], at: usize) -> Stamp {
    if b.get(at) == Some(&b'.') && b.get(at + 1).is_some_and(u8::is_ascii_digit) {
        (stamp.nanos, stamp.digits, _) = fraction(b, at + 1);
    }
    stamp
}

/// logfmt and logrus: `time=2026-...`, `ts=...`, `timestamp=...`, quoted
/// or not, or epoch seconds or milliseconds, as a field anywhere.
fn logfmt_time(line: &[u8]) -> Option<Stamp> {
    for key in [&b"time="[..], b"ts=", b"timestamp=", b"t="] {
        let mut from = 0;
        while let Some(found) = memchr::memmem::find(&line[from..], key).map(|i| from + i) {
            from = found + key.len();
            if found > 0 && line[found - 1] != b' ' || !super::level::at_top_level(line, found) {
                continue;
            }
            let at = from + usize::from(line.get(from) == Some(&b'"'));
            if let Some(t) = iso_stamp(line, at).or_else(|| epoch(line, at)) {
                return Some(t);
            }
        }
    }
    None
}

/// Epoch seconds, milliseconds, microseconds or nanoseconds by their
/// digit count (10, 13, 16, 19), with an optional fraction of seconds.
fn epoch(line: &[u8], at: usize) -> Option<Stamp> {
    let len = line[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    let value: i64 = std::str::from_utf8(&line[at..at + len])
        .ok()?
        .parse()
        .ok()?;
    let (unit, digits) = match len {
        9 | 10 => (1, 0),
        13 => (1000, 3),
        16 => (1_000_000, 6),
        19 => (1_000_000_000, 9),
        _ => return None,
    };
    let mut stamp = Stamp::at(value / unit);
    let part = u32::try_from(value % unit).ok()?;
    stamp.nanos = part * (1_000_000_000 / u32::try_from(unit).ok()?);
    stamp.digits = digits;
    // `1764496800.123` (seconds with a fraction, as Python's time.time()).
    if digits == 0 && line.get(at + len) == Some(&b'.') {
        (stamp.nanos, stamp.digits, _) = fraction(line, at + len + 1);
    }
    Some(stamp)
}

fn syslog(b: &[u8], at: usize, now: i64) -> Option<i64> {
    let mon = month(b, at)?;
    if b.get(at + 3) != Some(&b' ') {
        return None;
    }
    let day = match b.get(at + 4) {
        Some(b' ') => digits(b, at + 5, 1)?,
        _ => digits(b, at + 4, 2)?,
    };
    if b.get(at + 6) != Some(&b' ') {
        return None;
    }
    syslog_year(now, mon, day, clock(b, at + 7)?)
}

fn apache_error(b: &[u8], at: usize) -> Option<Stamp> {
    // "Fri Nov 27 05:51:33[.123456] 2026"
    if b.get(at + 3) != Some(&b' ') {
        return None;
    }
    let mon = month(b, at + 4)?;
    let day = match b.get(at + 8) {
        Some(b' ') => digits(b, at + 9, 1)?,
        _ => digits(b, at + 8, 2)?,
    };
    let (h, m, s) = clock(b, at + 11)?;
    let mut end = at + 19;
    if b.get(end) == Some(&b'.') {
        end += 1;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    let year = digits(b, end + 1, 4)?;
    let secs = unix(i64::from(year), mon, day, h, m, s)?;
    Some(with_fraction(Stamp::at(secs), b, at + 19))
}

/// `[27/Nov/2026:05:51:33 +0000]` within the first 200 bytes.
fn access_log(line: &[u8]) -> Option<Stamp> {
    let head = &line[..line.len().min(200)];
    let at = memchr::memchr(b'[', head)? + 1;
    let b = line;
    if b.get(at + 2) != Some(&b'/') || b.get(at + 6) != Some(&b'/') || b.get(at + 11) != Some(&b':')
    {
        return None;
    }
    let (day, mon, year) = (digits(b, at, 2)?, month(b, at + 3)?, digits(b, at + 7, 4)?);
    let (h, m, s) = clock(b, at + 12)?;
    let (offset, _) = if b.get(at + 20) == Some(&b' ') {
        zone(b, at + 21)?
    } else {
        (0, 0)
    };
    Some(Stamp {
        offset: i32::try_from(offset).ok()?,
        ..Stamp::at(unix(i64::from(year), mon, day, h, m, s)? - offset)
    })
}

/// `"time"`, `"ts"`, `"timestamp"` or `"@timestamp"`: epoch seconds (or
/// milliseconds, 13 digits) or an ISO string.
fn json_time(line: &[u8]) -> Option<Stamp> {
    for key in [
        &b"\"time\""[..],
        b"\"ts\"",
        b"\"timestamp\"",
        b"\"@timestamp\"",
        b"\"asctime\"",
        // journald's export as JSON: microseconds, as a string.
        b"\"__REALTIME_TIMESTAMP\"",
    ] {
        // The line's own field, not one of a nested object's.
        let top =
            memchr::memmem::find_iter(line, key).find(|&at| super::level::at_top_level(line, at));
        let Some(found) = top else {
            continue;
        };
        let mut at = found + key.len();
        while matches!(line.get(at), Some(b' ' | b':')) {
            at += 1;
        }
        if line.get(at) == Some(&b'"') {
            return iso_stamp(line, at + 1).or_else(|| epoch(line, at + 1));
        }
        return epoch(line, at);
    }
    None
}

/// The longest span `--since 30d` may reach back: a century.
const MAX_AGO_SECS: i64 = 100 * 366 * 86_400;

/// `--since`/`--until`: an absolute time (ISO 8601, `2026-11-27 05:51`,
/// a date alone) or a duration ago (`90s`, `30m`, `1h`, `2d`, `1w`).
///
/// # Errors
/// Anything else.
pub fn parse_time_arg(text: &str, now: i64) -> Result<Stamp, String> {
    let t = text.trim();
    let bad = || {
        format!("cannot read time '{text}': use 2026-11-27T05:51:00Z, '2026-11-27 05:51', 2026-11-27, 16:41 (today), @1764496800, today, yesterday, or 30m, 1h, 2d, '1 hour ago'")
    };
    // journalctl's words, in UTC as every time here.
    let midnight = now.div_euclid(86_400) * 86_400;
    match t {
        "now" => return Ok(Stamp::at(now)),
        "today" => return Ok(Stamp::at(midnight)),
        "yesterday" => return Ok(Stamp::at(midnight - 86_400)),
        "tomorrow" => return Ok(Stamp::at(midnight + 86_400)),
        _ => {}
    }
    if let Some(epoch) = t.strip_prefix('@') {
        return epoch
            .parse::<i64>()
            .ok()
            .filter(|t| YEARS.contains(t))
            .map(Stamp::at)
            .ok_or_else(bad);
    }
    // `1 hour ago`, `2 days ago`, `-1h` (journalctl's).
    let spelled = t.strip_suffix(" ago").or_else(|| t.strip_prefix('-'));
    if let Some(span) = spelled {
        let digits = span.bytes().take_while(u8::is_ascii_digit).count();
        let (number, unit) = span.split_at(digits);
        let unit = match unit.trim() {
            "s" | "sec" | "secs" | "second" | "seconds" => "s",
            "m" | "min" | "mins" | "minute" | "minutes" => "m",
            "h" | "hour" | "hours" => "h",
            "d" | "day" | "days" => "d",
            "w" | "week" | "weeks" => "w",
            _ => return Err(bad()),
        };
        if number.is_empty() {
            return Err(bad());
        }
        return parse_time_arg(&format!("{number}{unit}"), now);
    }
    // Digits then one ASCII unit letter; bytes, so that `é` cannot split.
    let relative = t.len() > 1
        && t.as_bytes()[t.len() - 1].is_ascii_alphabetic()
        && t.as_bytes()[..t.len() - 1].iter().all(u8::is_ascii_digit);
    if let Some(unit) = t.chars().last().filter(|_| relative) {
        let number: i64 = t[..t.len() - 1].parse().map_err(|_| bad())?;
        let seconds = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(bad()),
        };
        // A span beyond the representable (`15250284452472w`) is an error,
        // not a time that wrapped around.
        return number
            .checked_mul(seconds)
            .filter(|&ago| ago <= MAX_AGO_SECS)
            .and_then(|ago| now.checked_sub(ago))
            .map(Stamp::at)
            .ok_or_else(bad);
    }
    let b = t.as_bytes();
    // A clock alone is today's (journalctl's `16:41`, `16:41:30`).
    if matches!(b.len(), 5 | 8) && b[2] == b':' {
        let text = format!("{}T{t}", civil(midnight).0);
        let text = if b.len() == 5 { text + ":00" } else { text };
        return iso_stamp(text.as_bytes(), 0).ok_or_else(bad);
    }
    if b.len() == 10 {
        let date = format!("{t}T00:00:00");
        return iso_stamp(date.as_bytes(), 0).ok_or_else(bad);
    }
    iso_stamp(b, 0).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14, found by the attacker: what is not a time is not read as
    /// one. `+99:99` shifts by an unknown amount, so the line has no time
    /// (rather than a wrong one); `2026-02-30` has none but still starts
    /// a record; `24:00:00` is ISO 8601's end of day, the next midnight;
    /// a `.` with no digits after it is no fraction and ends the time.
    #[test]
    fn what_is_no_time_is_not_read_as_one() {
        // 2026-11-30T10:00:00Z is 1796032800 (see `journalctl_time_words`).
        const T: i64 = 1_796_032_800;
        assert_eq!(stamp_of(b"2026-11-30T10:00:00+99:99 x", 0), None);
        assert_eq!(stamp_of(b"2026-11-30T10:00:00+24:00 x", 0), None);
        assert_eq!(stamp_of(b"2026-11-30T10:00:00-0960 x", 0), None);
        assert_eq!(stamp_of(b"2026-11-30 10:00:00 +9999 x", 0), None);
        assert_eq!(stamp_of(b"[30/Nov/2026:10:00:00 +9900] x", 0), None);
        // The largest real offsets still read: +14:00 and -12:00.
        let s = stamp_of(b"2026-11-31T00:00:00+14:00", 0);
        assert_eq!(s, None, "November has 30 days");
        let s = stamp_of(b"2026-12-01T00:00:00+14:00 x", 0).unwrap();
        // Midnight of 1 December at +14:00 is 10:00 on 30 November in UTC.
        assert_eq!((s.secs, s.offset), (T, 14 * 3600));
        let s = stamp_of(b"2026-11-29T22:00:00-12:00 x", 0).unwrap();
        assert_eq!((s.secs, s.offset), (T, -12 * 3600));
        assert_eq!(stamp_of(b"2026-02-30 10:00:00 x", 0), None);
        assert!(stamp_shaped(b"2026-02-30 10:00:00 x"));
        assert!(stamp_shaped(b"<34>[2026/13/45 99:99:99] x"));
        assert!(!stamp_shaped(b"20260230 10:00:00 x"));
        assert!(!stamp_shaped(b"2026-02-30"));
        // syslog's shape with no real date, or no real clock.
        assert!(stamp_shaped(b"Feb 30 10:00:00 host x"));
        assert!(stamp_shaped(b"Dec  2 25:00:00 host x"));
        assert!(!stamp_shaped(b"Feb is short"));
        // A zone that is not known (or not one zone) is no time: not UTC.
        assert_eq!(stamp_of(b"2026-11-30 10:00:00 IST x", 0), None);
        assert_eq!(stamp_of(b"2026-11-30 10:00:00 WAT x", 0), None);
        assert!(stamp_shaped(b"2026-11-30 10:00:00 IST x"));
        // Known ones are read; a level word after the time is no zone.
        let s = stamp_of(b"2026-11-30 19:00:00 JST x", 0).unwrap();
        assert_eq!((s.secs, s.offset), (T, 9 * 3600));
        let s = stamp_of(b"2026-11-30 10:00:00 CRIT x", 0).unwrap();
        assert_eq!((s.secs, s.offset), (T, 0));
        // Issue 14, found by the attacker: the line's own time, not a
        // nested object's or a quoted value's.
        let nested = br#"{"ctx":{"time":"2001-01-01T00:00:00Z"},"time":"2026-11-30T10:00:00Z"}"#;
        assert_eq!(stamp_of(nested, 0).map(|s| s.secs), Some(T));
        let quoted =
            br#"level=error msg="retry from time=2020-01-01T00:00:00Z" ts=2026-11-30T10:00:00Z"#;
        assert_eq!(stamp_of(quoted, 0).map(|s| s.secs), Some(T));
        // klog and Apache error logs keep their fractions.
        let s = stamp_of(b"E1130 10:00:00.300000 7 x.go:1] y", 1_796_032_800).unwrap();
        assert_eq!((s.secs, s.nanos, s.digits), (T, 300_000_000, 6));
        let s = stamp_of(b"[Mon Nov 30 10:00:00.723456 2026] [x:error] y", 0).unwrap();
        assert_eq!((s.secs, s.nanos), (T, 723_456_000));
        // End of day 2026-11-30 is 14 hours after 10:00 that day.
        let s = stamp_of(b"2026-11-30T24:00:00Z x", 0).unwrap();
        assert_eq!(s.secs, T + 14 * 3600);
        assert_eq!(stamp_of(b"2026-11-30T24:00:01Z x", 0), None);
        // `10:00:00.Z`: no fraction, and the Z after the dot is not read.
        let s = stamp_of(b"2026-11-30T11:00:00.+01:00 x", 0).unwrap();
        assert_eq!((s.secs, s.digits, s.offset), (T + 3600, 0, 0));
    }

    /// apt's history.log writes `Start-Date: 2025-06-24  14:36:25`, two
    /// spaces between date and clock (a real line of /var/log/apt).
    /// 2025-06-24T14:36:25Z: 2025-06-24 is day 20263 since 1970
    /// (days_from_civil's algorithm), 20263 * 86400 + 52585.
    #[test]
    fn apt_history_dates() {
        const T: i64 = 20_263 * 86_400 + 14 * 3600 + 36 * 60 + 25;
        assert_eq!(days_from_civil(2025, 6, 24), 20_263);
        for line in [
            &b"Start-Date: 2025-06-24  14:36:25"[..],
            b"End-Date: 2025-06-24  14:36:25",
            b"Start-Date: 2025-06-24 14:36:25",
        ] {
            assert_eq!(timestamp_of(line, 0), Some(T), "{line:?}");
        }
        assert_eq!(timestamp_of(b"Start-Date: 2025-06-24", 0), None);
        assert_eq!(timestamp_of(b"Commandline: apt-get install x", 0), None);
    }

    /// Issue 14: a timestamp keeps its fraction and zone for `--json`.
    /// 2026-11-30T10:00:00Z is 1796032800 (see `journalctl_time_words`).
    #[test]
    fn stamps_keep_fraction_digits_and_offset() {
        const T: i64 = 1_796_032_800;
        let s = stamp_of(b"2026-11-30T11:00:00.003+01:00 x", 0).unwrap();
        assert_eq!(
            (s.secs, s.nanos, s.digits, s.offset),
            (T, 3_000_000, 3, 3600)
        );
        assert_eq!(s.rfc3339(), "2026-11-30T11:00:00.003+01:00");
        // Past nanoseconds: the first nine digits are kept.
        let s = stamp_of(b"2026-11-30T10:00:00,1234567891Z", 0).unwrap();
        assert_eq!((s.nanos, s.digits), (123_456_789, 9));
        assert_eq!(s.rfc3339(), "2026-11-30T10:00:00.123456789Z");
        // West of UTC: the local clock is 8 hours behind.
        let s = stamp_of(b"time=2026-11-30T02:00:00-0800 level=info", 0).unwrap();
        assert_eq!((s.secs, s.offset), (T, -28_800));
        assert_eq!(s.rfc3339(), "2026-11-30T02:00:00-08:00");
        // Epochs: µs and seconds with a fraction, in UTC.
        let s = stamp_of(b"{\"ts\":1796032800000123}", 0).unwrap();
        assert_eq!(s.rfc3339(), "2026-11-30T10:00:00.000123Z");
        let s = stamp_of(b"{\"time\":1796032800.25}", 0).unwrap();
        assert_eq!(s.rfc3339(), "2026-11-30T10:00:00.25Z");
        // No zone is UTC, said as Z.
        assert_eq!(
            stamp_of(b"2026-11-30 10:00:00 x", 0).unwrap().rfc3339(),
            "2026-11-30T10:00:00Z"
        );
    }

    /// Issue 14: `--since` as journalctl takes it. `now` is 2026-11-30
    /// 10:00:00Z (1796032800); its midnight is 36,000 s earlier.
    #[test]
    fn journalctl_time_words() {
        const NOW: i64 = 1_796_032_800;
        const MIDNIGHT: i64 = NOW - 36_000;
        for (text, want) in [
            ("now", NOW),
            ("today", MIDNIGHT),
            ("yesterday", MIDNIGHT - 86_400),
            ("tomorrow", MIDNIGHT + 86_400),
            ("@1764496800", 1_764_496_800),
            ("1 hour ago", NOW - 3600),
            ("2 days ago", NOW - 2 * 86_400),
            ("30 min ago", NOW - 1800),
            ("-1h", NOW - 3600),
            ("1h", NOW - 3600),
        ] {
            assert_eq!(
                parse_time_arg(text, NOW).map(|t| t.secs),
                Ok(want),
                "{text}"
            );
        }
        for text in ["1 fortnight ago", " ago", "@x", "-", "soon"] {
            assert!(parse_time_arg(text, NOW).is_err(), "{text}");
        }
    }

    /// Issue 14: the shapes real services write. 2026-11-30T10:00:00Z is
    /// 1796032800 (Python: datetime(2026, 11, 30, 10, tzinfo=utc)); each
    /// line below says that instant its own way.
    #[test]
    fn the_shapes_services_write() {
        const T: i64 = 1_796_032_800;
        // `now` a day later, for the shapes without a year (klog, syslog).
        let now = T + 86_400;
        let shapes: [&[u8]; 17] = [
            b"time=2026-11-30T10:00:00Z level=error msg=boom",
            b"level=info ts=2026-11-30T10:00:00.123Z caller=main.go:10",
            b"time=\"2026-11-30T10:00:00Z\" level=warning msg=\"logrus\"",
            b"<34>1 2026-11-30T10:00:00.003Z host app 12 - - rfc 5424",
            b"2026/11/30 10:00:00 go's log package",
            b"E1130 10:00:00.000000    1234 main.go:10] klog",
            b"2026-11-30 10:00:00,123 - app - ERROR - python logging",
            b"{\"__REALTIME_TIMESTAMP\":\"1796032800000000\",\"PRIORITY\":\"3\"}",
            b"{\"ts\":1796032800123,\"msg\":\"ms\"}",
            b"{\"ts\":1796032800123456789,\"msg\":\"ns\"}",
            b"{\"asctime\":\"2026-11-30 10:00:00,000\"}",
            b"update-alternatives 2026-11-30 10:00:00: run with --install",
            b"2026-11-30 11:00:00 +0100 an offset after a space",
            b"2026-11-30 11:00:00 CET a zone name",
            b"2026-11-30 02:00:00 PST",
            b"2026-11-30T05:00:00-05:00 offset",
            b"ts=1796032800 epoch seconds",
        ];
        for line in shapes {
            assert_eq!(
                timestamp_of(line, now),
                Some(T),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        // Not times: a zone that is not in the table is not guessed (IST
        // is 5:30, 1:00 or 2:00 east: reading the clock as UTC, as this
        // once did, is wrong in all three), and a key inside a word is no key.
        assert_eq!(timestamp_of(b"2026-11-30 10:00:00 IST", now), None);
        assert_eq!(timestamp_of(b"latest=2026-11-30T10:00:00Z", now), None);
    }

    /// Issue 12: a non-ASCII last character panicked (a byte index inside
    /// `é`), and a huge span wrapped around to the future.
    #[test]
    fn issue_12_hostile_time_arguments_are_errors_not_panics() {
        for text in [
            "é",
            "1é",
            "éé",
            "15250284452472w",
            "9223372036854775807s",
            "-é",
            "é ago",
        ] {
            assert!(parse_time_arg(text, 1_700_000_000).is_err(), "{text}");
        }
        assert_eq!(
            parse_time_arg("1h", 1_700_000_000).map(|t| t.secs),
            Ok(1_700_000_000 - 3600)
        );
    }

    /// 2026-11-27T05:51:33Z, from `date -u -d 2026-11-27T05:51:33Z +%s`.
    const T: i64 = 1_795_758_693;

    #[test]
    fn formats() {
        let now = T + 3600;
        let cases: [&[u8]; 10] = [
            b"2026-11-27T05:51:33Z INFO x",
            b"2026-11-27 05:51:33,123 ERROR x",
            b"2026-11-27T07:51:33+02:00 x",
            b"2026-11-27T00:51:33.5-0500 x",
            b"Nov 27 05:51:33 host sshd[1]: x",
            b"<11>Nov 27 05:51:33 host app: x",
            b"[Fri Nov 27 05:51:33.123456 2026] [error] x",
            b"10.0.0.1 - - [27/Nov/2026:05:51:33 +0000] \"GET / HTTP/1.1\" 200 5",
            b"{\"ts\": 1795758693, \"level\": \"info\"}",
            b"{\"level\":30,\"time\":1795758693000}",
        ];
        for line in cases {
            assert_eq!(
                timestamp_of(line, now),
                Some(T),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert_eq!(timestamp_of(b"\tat Main.run(Main.java:1)", now), None);
        assert_eq!(timestamp_of(b"2026-13-40 00:00:00 x", now), None);
        assert_eq!(timestamp_of(b"", now), None);
        // A syslog date in the future belongs to last year.
        // 2025-12-31T23:00:00Z: `date -u -d 2025-12-31T23:00:00Z +%s`.
        assert_eq!(
            timestamp_of(b"Dec 31 23:00:00 h x", now),
            Some(1_767_222_000)
        );
    }

    #[test]
    fn arguments() {
        assert_eq!(parse_time_arg("1h", T).map(|t| t.secs), Ok(T - 3600));
        assert_eq!(parse_time_arg("30m", T).map(|t| t.secs), Ok(T - 1800));
        assert_eq!(parse_time_arg("2d", T).map(|t| t.secs), Ok(T - 172_800));
        assert_eq!(
            parse_time_arg("2026-11-27 05:51", 0).map(|t| t.secs),
            Ok(T - 33)
        );
        assert_eq!(
            parse_time_arg("2026-11-27", 0).map(|t| t.secs),
            Ok(T - 5 * 3600 - 51 * 60 - 33)
        );
        // journalctl's words (issue 14): yesterday's midnight, in UTC.
        assert_eq!(
            parse_time_arg("yesterday", T).map(|t| t.secs),
            Ok(T.div_euclid(86_400) * 86_400 - 86_400)
        );
        assert_eq!(
            parse_time_arg("2026-11-27T05:51:33Z", 0).map(|t| t.secs),
            Ok(T)
        );
        // A clock alone is today's (journalctl's): T is 21093 s after
        // midnight (05:51:33).
        let midnight = T - 21_093;
        assert_eq!(
            parse_time_arg("16:41", T).map(|t| t.secs),
            Ok(midnight + 16 * 3600 + 41 * 60)
        );
        assert_eq!(
            parse_time_arg("00:00:30", T).map(|t| t.secs),
            Ok(midnight + 30)
        );
        assert!(parse_time_arg("25:00", T).is_err());
    }
}
