//! `--stats`: selected lines per level, and a histogram over time drawn
//! with bars (or given as JSON), so a spike of errors shows at a glance.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::level::Level;

/// Level slots: the six levels, then lines with none.
const SLOTS: usize = 7;
const NO_LEVEL: usize = 6;

/// Bin widths, in seconds, each a multiple of the one before; past the
/// last, widths double.
const WIDTHS: [i64; 8] = [
    60,
    300,
    900,
    3600,
    6 * 3600,
    86_400,
    7 * 86_400,
    28 * 86_400,
];

/// Most bins kept while counting: past it, bins merge into the next width,
/// so memory does not grow with the span of the timestamps (issue 12: one
/// bin per minute from year 1970 to 292 billion asked for 227 GB).
const MAX_BINS_KEPT: usize = 4096;

/// Bins shown: about this many at most.
const BINS_SHOWN: i128 = 60;

/// Counts gathered while searching.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Lines per level slot.
    pub per_level: [u64; SLOTS],
    /// Lines per bin (Unix seconds of the bin's start), per slot.
    per_bin: BTreeMap<i64, [u64; SLOTS]>,
    /// The bins' width in seconds.
    width: i64,
    /// Lines with no time (before any timestamped line).
    pub untimed: u64,
}

impl Default for Stats {
    fn default() -> Stats {
        Stats {
            per_level: [0; SLOTS],
            per_bin: BTreeMap::new(),
            width: WIDTHS[0],
            untimed: 0,
        }
    }
}

/// The next wider bin width.
fn wider(width: i64) -> i64 {
    WIDTHS
        .into_iter()
        .find(|&w| w > width)
        .unwrap_or_else(|| width.saturating_mul(2))
}

/// The start of the bin of `width` that `t` falls in.
fn bin_of(t: i64, width: i64) -> i64 {
    t.div_euclid(width).saturating_mul(width)
}

fn slot(level: Option<Level>) -> usize {
    level.map_or(NO_LEVEL, |l| l as usize)
}

impl Stats {
    /// Counts one line of a record with `level` and `time`.
    pub fn add(&mut self, level: Option<Level>, time: Option<i64>) {
        let s = slot(level);
        self.per_level[s] += 1;
        match time {
            Some(t) => {
                self.per_bin.entry(bin_of(t, self.width)).or_default()[s] += 1;
                self.keep_bounded();
            }
            None => self.untimed += 1,
        }
    }

    /// Adds another input's counts.
    pub fn merge(&mut self, other: &Stats) {
        for (a, b) in self.per_level.iter_mut().zip(other.per_level) {
            *a += b;
        }
        while self.width < other.width {
            self.coarsen();
        }
        for (start, counts) in &other.per_bin {
            let mine = self.per_bin.entry(bin_of(*start, self.width)).or_default();
            for (a, b) in mine.iter_mut().zip(counts) {
                *a += b;
            }
            self.keep_bounded();
        }
        self.untimed += other.untimed;
    }

    fn keep_bounded(&mut self) {
        while self.per_bin.len() > MAX_BINS_KEPT {
            self.coarsen();
        }
    }

    /// Merges the bins into the next wider width.
    fn coarsen(&mut self) {
        self.width = wider(self.width);
        let old = std::mem::take(&mut self.per_bin);
        for (start, counts) in old {
            let bin = self.per_bin.entry(bin_of(start, self.width)).or_default();
            for (a, b) in bin.iter_mut().zip(counts) {
                *a += b;
            }
        }
    }

    /// A bin width giving at most about 60 bins over the time covered: a
    /// multiple of the kept bins' width.
    fn interval(&self) -> i64 {
        let (Some(&first), Some(&last)) = (self.per_bin.keys().next(), self.per_bin.keys().last())
        else {
            return self.width;
        };
        let span = i128::from(last) - i128::from(first) + i128::from(self.width);
        let mut width = self.width;
        while span / i128::from(width) > BINS_SHOWN && width < i64::MAX / 2 {
            width = wider(width);
        }
        width
    }

    fn bins(&self, width: i64) -> Vec<(i64, [u64; SLOTS])> {
        let mut bins: BTreeMap<i64, [u64; SLOTS]> = BTreeMap::new();
        for (start, counts) in &self.per_bin {
            let bin = bins.entry(bin_of(*start, width)).or_default();
            for (a, b) in bin.iter_mut().zip(counts) {
                *a += b;
            }
        }
        // Empty bins in between are drawn too: a gap is information.
        let (Some(&first), Some(&last)) = (bins.keys().next(), bins.keys().last()) else {
            return Vec::new();
        };
        let steps = (i128::from(last) - i128::from(first)) / i128::from(width);
        (0..=i64::try_from(steps).unwrap_or(0))
            .map(|i| {
                let start = first.saturating_add(i.saturating_mul(width));
                (start, bins.get(&start).copied().unwrap_or_default())
            })
            .collect()
    }

    /// The summary as text: levels, then one bar per bin (errors and worse
    /// drawn apart from the rest).
    pub fn render(&self, color: bool) -> String {
        let mut text = String::new();
        let total: u64 = self.per_level.iter().sum();
        let _ = writeln!(text, "lines: {total}");
        for (i, count) in self.per_level.iter().enumerate().filter(|(_, &c)| c > 0) {
            let name = Level::ALL.get(i).map_or("(none)", |l| l.name());
            let _ = writeln!(text, "  {name:8} {count:>12}");
        }
        let width = self.interval();
        let bins = self.bins(width);
        if bins.is_empty() {
            return text;
        }
        let _ = writeln!(
            text,
            "per {}:  (# error or worse, = the rest)",
            describe(width)
        );
        let most = bins
            .iter()
            .map(|(_, c)| c.iter().sum::<u64>())
            .max()
            .unwrap_or(1)
            .max(1);
        for (start, counts) in bins {
            let all: u64 = counts.iter().sum();
            let bad = counts[Level::Error as usize] + counts[Level::Fatal as usize];
            let scale = |n: u64| {
                usize::try_from(n * 50 / most).unwrap_or(50) + usize::from(n > 0 && n * 50 < most)
            };
            let (bad_w, all_w) = (scale(bad), scale(all));
            let bars = format!(
                "{}{}",
                "#".repeat(bad_w),
                "=".repeat(all_w.saturating_sub(bad_w))
            );
            let bars = if color && bad_w > 0 {
                format!("\x1b[31m{}\x1b[0m{}", &bars[..bad_w], &bars[bad_w..])
            } else {
                bars
            };
            let _ = writeln!(text, "{}  {all:>10} {bad:>8}  {bars}", rfc3339(start));
        }
        text
    }

    /// The summary as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let levels: serde_json::Map<String, serde_json::Value> = self
            .per_level
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                (
                    Level::ALL.get(i).map_or("none", |l| l.name()).to_string(),
                    c.into(),
                )
            })
            .collect();
        let width = self.interval();
        let bins: Vec<serde_json::Value> = self
            .bins(width)
            .into_iter()
            .map(|(start, counts)| {
                let mut bin = serde_json::Map::new();
                bin.insert("start".into(), rfc3339(start).into());
                bin.insert("lines".into(), counts.iter().sum::<u64>().into());
                for (i, &c) in counts.iter().enumerate() {
                    bin.insert(
                        Level::ALL.get(i).map_or("none", |l| l.name()).into(),
                        c.into(),
                    );
                }
                bin.into()
            })
            .collect();
        serde_json::json!({
            "lines": self.per_level.iter().sum::<u64>(),
            "levels": levels,
            "untimed": self.untimed,
            "interval_seconds": width,
            "histogram": bins,
        })
    }
}

fn describe(seconds: i64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{} day(s)", s / 86_400),
        s if s % 3600 == 0 => format!("{} hour(s)", s / 3600),
        s => format!("{} minute(s)", s / 60),
    }
}

/// Unix seconds as `2026-11-27T05:51:00Z`.
pub fn rfc3339(t: i64) -> String {
    crate::grep::time::Stamp::at(t).rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: `{"ts": 0}` then `{"ts": 9223372036854775807}` asked for
    /// 227 GB of bins, and a log spanning years kept one entry per minute.
    #[test]
    fn issue_12_bins_stay_bounded_whatever_the_span() {
        let mut stats = Stats::default();
        stats.add(Some(Level::Info), Some(0));
        stats.add(Some(Level::Error), Some(i64::MAX));
        stats.add(Some(Level::Error), Some(i64::MIN));
        let json = stats.to_json();
        assert!(json["histogram"].as_array().unwrap().len() <= 2 * BINS_SHOWN as usize);
        assert_eq!(json["lines"], 3);
        let mut years = Stats::default();
        for minute in 0..(3 * 365 * 1440) {
            years.add(None, Some(minute * 60));
        }
        assert!(years.per_bin.len() <= MAX_BINS_KEPT);
        let bins = years.bins(years.interval());
        assert!(bins.len() as i128 <= BINS_SHOWN + 1, "{}", bins.len());
        let total: u64 = bins.iter().map(|(_, c)| c.iter().sum::<u64>()).sum();
        assert_eq!(total, 3 * 365 * 1440, "nothing lost in merging");
        let _ = years.render(false);
    }

    #[test]
    fn dates_and_bins() {
        // `date -u -d @1795758693 +%FT%TZ`
        assert_eq!(rfc3339(1_795_758_693), "2026-11-27T05:51:33Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        let mut stats = Stats::default();
        for minute in 0..120 {
            stats.add(Some(Level::Info), Some(1_795_758_000 + minute * 60));
        }
        stats.add(Some(Level::Error), Some(1_795_758_000));
        stats.add(None, None);
        assert_eq!(stats.interval(), 300, "two hours in at most 60 bins");
        let bins = stats.bins(300);
        assert_eq!(bins.len(), 24);
        assert_eq!(
            bins.iter().map(|(_, c)| c.iter().sum::<u64>()).sum::<u64>(),
            121
        );
        let json = stats.to_json();
        assert_eq!(json["levels"]["error"], 1);
        assert_eq!(json["levels"]["none"], 1);
        assert_eq!(json["untimed"], 1);
    }
}
