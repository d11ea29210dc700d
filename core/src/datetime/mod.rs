//! Java date/time format patterns, as carried by Pact date, time and
//! timestamp matchers and generators.
//!
//! A [`DatePattern`] is parsed from a Java `DateTimeFormatter` pattern such
//! as `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`. It can check whether a string
//! conforms to the pattern ([`DatePattern::matches`]) and format a
//! date-time with it ([`DatePattern::format`]).
//!
//! Supported letters: `G y u Y M L d D Q q E e c a h H k K m s S n N A
//! w W F z Z X x O V`, with Java's width rules (e.g. `MMM` = `Jan`,
//! `MMMM` = `January`, `yy` = two-digit year based on 2000, `XXX` =
//! `+05:30` or `Z`). Text is English and case-sensitive, as Java's default
//! formatter. Week-based fields (`Y`, `w`, `W`, `e`, `c`) use ISO rules
//! (weeks start on Monday). Quoted literals (`'T'`, `''`) and optional
//! sections (`[...]`) are supported.
//!
//! Differences from Java: the pad modifier `p`, generic zone names `v`,
//! day periods `B` and modified Julian day `g` are rejected; zone names
//! (`z`) are checked against common English abbreviations/names and zone
//! id syntax, not a zone database; single-letter numeric fields read at
//! most their natural width (`d` reads 1-2 digits, Java up to 19);
//! `A`/`N` are not cross-checked against the clock fields; and optional
//! sections backtrack, so a few strings Java rejects are accepted.
//!
//! When a matcher has no format, Pact accepts ISO-8601 values: see
//! [`matches_iso_date`], [`matches_iso_time`] and [`matches_iso_datetime`].
//!
//! ```
//! use treaty_core::datetime::DatePattern;
//!
//! let pattern = DatePattern::parse("yyyy-MM-dd").unwrap();
//! assert!(pattern.matches("2024-02-29"));
//! assert!(!pattern.matches("2023-02-29"));
//! ```

mod fields;
mod format;
mod iso;
mod parse;
mod pattern;
mod resolve;
mod zone;

pub use iso::{matches_iso_date, matches_iso_datetime, matches_iso_time};
pub use parse::matches_pattern;
pub use pattern::{DatePattern, DatePatternError, Token, MAX_PATTERN_LEN};

/// Pact's default format for date generators: `yyyy-MM-dd`.
pub const DEFAULT_DATE_FORMAT: &str = "yyyy-MM-dd";
/// Pact's default format for time generators: `HH:mm:ss`.
pub const DEFAULT_TIME_FORMAT: &str = "HH:mm:ss";
/// Pact's default format for date-time generators: `yyyy-MM-dd'T'HH:mm:ss`.
pub const DEFAULT_DATETIME_FORMAT: &str = "yyyy-MM-dd'T'HH:mm:ss";

impl DatePattern {
    /// The pattern for [`DEFAULT_DATE_FORMAT`].
    pub fn default_date() -> Self {
        Self::parse(DEFAULT_DATE_FORMAT).expect("default date format is valid")
    }

    /// The pattern for [`DEFAULT_TIME_FORMAT`].
    pub fn default_time() -> Self {
        Self::parse(DEFAULT_TIME_FORMAT).expect("default time format is valid")
    }

    /// The pattern for [`DEFAULT_DATETIME_FORMAT`].
    pub fn default_datetime() -> Self {
        Self::parse(DEFAULT_DATETIME_FORMAT).expect("default date-time format is valid")
    }
}

#[cfg(test)]
mod tests;
