//! Zone offsets (`X`, `x`, `Z`, `O`), zone ids (`VV`) and zone names (`z`).
//!
//! Parsers return every way the start of the input can be read, as
//! `(bytes consumed, offset seconds)`, so the matcher can backtrack.

/// Whether a component of an offset is printed/parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    No,
    Optional,
    Required,
}

/// How a numeric offset such as `+05:30` is written (Java's `+HH:MM` family).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OffsetStyle {
    colon: bool,
    minutes: Need,
    seconds: Need,
    zero: &'static str,
}

/// The numeric offset style for `X`, `x` and `Z` (except `ZZZZ`).
pub(crate) fn offset_style(letter: char, count: usize) -> Option<OffsetStyle> {
    let (count, zero) = match (letter, count) {
        ('X', _) => (count, "Z"),
        ('x', 1) => (1, "+00"),
        ('x', 2 | 4) => (count, "+0000"),
        ('x', _) => (count, "+00:00"),
        ('Z', 1..=3) => (2, "+0000"),
        ('Z', 5) => (5, "Z"),
        _ => return None,
    };
    let (colon, minutes, seconds) = match count {
        1 => (false, Need::Optional, Need::No),
        2 => (false, Need::Required, Need::No),
        3 => (true, Need::Required, Need::No),
        4 => (false, Need::Required, Need::Optional),
        _ => (true, Need::Required, Need::Optional),
    };
    Some(OffsetStyle {
        colon,
        minutes,
        seconds,
        zero,
    })
}

/// Formats `secs` east of UTC in `style`.
pub(crate) fn format_offset(secs: i32, style: OffsetStyle) -> String {
    let (h, m, s) = split(secs);
    if h == 0 && m == 0 && (s == 0 || style.seconds == Need::No) {
        return style.zero.to_owned();
    }
    let sep = if style.colon { ":" } else { "" };
    let mut out = format!("{}{h:02}", sign(secs));
    let show_secs = style.seconds == Need::Required || (style.seconds == Need::Optional && s != 0);
    if style.minutes == Need::Required || m != 0 || show_secs {
        out.push_str(&format!("{sep}{m:02}"));
    }
    if show_secs {
        out.push_str(&format!("{sep}{s:02}"));
    }
    out
}

/// All readings of a numeric offset at the start of `input`.
pub(crate) fn parse_offset(input: &str, style: OffsetStyle) -> Vec<(usize, i32)> {
    let mut out = Vec::new();
    if input.starts_with(style.zero) {
        out.push((style.zero.len(), 0));
    }
    let sep = if style.colon { ":" } else { "" };
    let parts = [Need::Required, style.minutes, style.seconds];
    out.extend(numeric_offsets(input, sep, parts, 2));
    out
}

/// Formats a localized offset (`O` short, `OOOO`/`ZZZZ` full): `GMT+8`, `GMT+08:00`.
pub(crate) fn format_localized(secs: i32, full: bool) -> String {
    let (h, m, s) = split(secs);
    if secs == 0 {
        return "GMT".to_owned();
    }
    let mut out = if full {
        format!("GMT{}{h:02}:{m:02}", sign(secs))
    } else {
        format!("GMT{}{h}", sign(secs))
    };
    if !full && (m != 0 || s != 0) {
        out.push_str(&format!(":{m:02}"));
    }
    if s != 0 {
        out.push_str(&format!(":{s:02}"));
    }
    out
}

/// All readings of a localized offset such as `GMT`, `GMT+8` or `GMT-08:30`.
pub(crate) fn parse_localized(input: &str, full: bool) -> Vec<(usize, i32)> {
    let Some(rest) = input.strip_prefix("GMT") else {
        return Vec::new();
    };
    let (minutes, hour_digits) = if full {
        (Need::Required, 2)
    } else {
        (Need::Optional, 1)
    };
    let parts = [Need::Required, minutes, Need::Optional];
    let mut out = vec![(3, 0)];
    out.extend(
        numeric_offsets(rest, ":", parts, hour_digits)
            .into_iter()
            .map(|(len, secs)| (len + 3, secs)),
    );
    out
}

/// Formats a zone id (`VV`) for a fixed offset, as Java's `ZoneOffset` id.
pub(crate) fn format_zone_id(secs: i32) -> String {
    let style = OffsetStyle {
        colon: true,
        minutes: Need::Required,
        seconds: Need::Optional,
        zero: "Z",
    };
    format_offset(secs, style)
}

/// Lengths of the zone ids (`VV`) at the start of `input`.
pub(crate) fn parse_zone_id(input: &str) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    if input.starts_with('Z') {
        out.push(1);
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = input.strip_prefix(prefix) {
            out.push(prefix.len());
            let parts = [Need::Required, Need::Optional, Need::Optional];
            let offsets = numeric_offsets(rest, ":", parts, 1);
            out.extend(offsets.iter().map(|&(len, _)| prefix.len() + len));
        }
    }
    for sep in [":", ""] {
        let parts = [Need::Required, Need::Optional, Need::Optional];
        out.extend(
            numeric_offsets(input, sep, parts, 2)
                .iter()
                .map(|&(l, _)| l),
        );
    }
    out.extend(region_id(input));
    out
}

/// Formats a zone name (`z`): `UTC` for zero, otherwise `GMT+hh:mm`.
pub(crate) fn format_zone_name(secs: i32, count: usize) -> String {
    match (secs, count) {
        (0, 4) => "Coordinated Universal Time".to_owned(),
        (0, _) => "UTC".to_owned(),
        _ => format_localized(secs, true),
    }
}

/// Lengths of zone names (`z`) at the start of `input`: common English
/// abbreviations and long names, plus everything a zone id accepts.
pub(crate) fn parse_zone_name(input: &str) -> Vec<usize> {
    let mut out = parse_zone_id(input);
    for (abbr, long) in ZONE_NAMES {
        out.extend(
            [abbr, long]
                .into_iter()
                .filter(|n| input.starts_with(*n))
                .map(|n| n.len()),
        );
    }
    out
}

/// Region ids such as `Europe/Paris` (Java's `[A-Za-z][A-Za-z0-9~/._+-]+`,
/// requiring a `/` since ids cannot be checked without a zone database).
fn region_id(input: &str) -> Option<usize> {
    let bytes = input.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || b"~/._+-".contains(b))
        .count();
    let id = &input[..len];
    (id.contains('/') && !id.ends_with('/')).then_some(len)
}

/// Offsets `±H[H]` then optional `sep MM` and `sep SS` parts per `parts`.
fn numeric_offsets(
    input: &str,
    sep: &str,
    parts: [Need; 3],
    hour_digits: usize,
) -> Vec<(usize, i32)> {
    let bytes = input.as_bytes();
    let neg = match bytes.first() {
        Some(b'+') => false,
        Some(b'-') => true,
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for hour_len in hour_digits..=2 {
        collect_offsets(bytes, 1, hour_len, sep, parts, &mut out);
    }
    out.into_iter()
        .map(|(len, secs)| (len, if neg { -secs } else { secs }))
        .collect()
}

/// Reads hours of `hour_len` digits at `at`, then minutes and seconds.
fn collect_offsets(
    bytes: &[u8],
    at: usize,
    hour_len: usize,
    sep: &str,
    parts: [Need; 3],
    out: &mut Vec<(usize, i32)>,
) {
    let Some(h) = number(bytes, at, hour_len).filter(|&h| h <= 18) else {
        return;
    };
    let mut pos = at + hour_len;
    let mut total = h * 3600;
    for (i, need) in parts.into_iter().enumerate().skip(1) {
        if need != Need::Required && total <= 18 * 3600 {
            out.push((pos, total));
        }
        let next = (need != Need::No)
            .then(|| bytes.get(pos..)?.strip_prefix(sep.as_bytes()))
            .flatten()
            .and_then(|_| number(bytes, pos + sep.len(), 2))
            .filter(|&v| v < 60);
        let Some(v) = next else { return };
        pos += sep.len() + 2;
        total += v * if i == 1 { 60 } else { 1 };
    }
    if total <= 18 * 3600 {
        out.push((pos, total));
    }
}

/// Exactly `len` ASCII digits at `at`.
fn number(bytes: &[u8], at: usize, len: usize) -> Option<i32> {
    let digits = bytes.get(at..at + len)?;
    digits.iter().try_fold(0i32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + i32::from(b - b'0'))
    })
}

fn split(secs: i32) -> (i32, i32, i32) {
    let abs = secs.abs();
    (abs / 3600, abs / 60 % 60, abs % 60)
}

fn sign(secs: i32) -> char {
    if secs < 0 {
        '-'
    } else {
        '+'
    }
}

/// Common English zone abbreviations and long names (no zone database is
/// available, so names are accepted without checking the offset).
const ZONE_NAMES: [(&str, &str); 46] = [
    ("UTC", "Coordinated Universal Time"),
    ("GMT", "Greenwich Mean Time"),
    ("EST", "Eastern Standard Time"),
    ("EDT", "Eastern Daylight Time"),
    ("CST", "Central Standard Time"),
    ("CDT", "Central Daylight Time"),
    ("MST", "Mountain Standard Time"),
    ("MDT", "Mountain Daylight Time"),
    ("PST", "Pacific Standard Time"),
    ("PDT", "Pacific Daylight Time"),
    ("AKST", "Alaska Standard Time"),
    ("AKDT", "Alaska Daylight Time"),
    ("HST", "Hawaii Standard Time"),
    ("AST", "Atlantic Standard Time"),
    ("ADT", "Atlantic Daylight Time"),
    ("NST", "Newfoundland Standard Time"),
    ("NDT", "Newfoundland Daylight Time"),
    ("WET", "Western European Standard Time"),
    ("WEST", "Western European Summer Time"),
    ("CET", "Central European Standard Time"),
    ("CEST", "Central European Summer Time"),
    ("EET", "Eastern European Standard Time"),
    ("EEST", "Eastern European Summer Time"),
    ("BST", "British Summer Time"),
    ("IST", "India Standard Time"),
    ("MSK", "Moscow Standard Time"),
    ("JST", "Japan Standard Time"),
    ("KST", "Korean Standard Time"),
    ("HKT", "Hong Kong Standard Time"),
    ("SGT", "Singapore Standard Time"),
    ("AEST", "Australian Eastern Standard Time"),
    ("AEDT", "Australian Eastern Daylight Time"),
    ("ACST", "Australian Central Standard Time"),
    ("ACDT", "Australian Central Daylight Time"),
    ("AWST", "Australian Western Standard Time"),
    ("NZST", "New Zealand Standard Time"),
    ("NZDT", "New Zealand Daylight Time"),
    ("SAST", "South Africa Standard Time"),
    ("WAT", "West Africa Standard Time"),
    ("CAT", "Central Africa Time"),
    ("EAT", "East Africa Time"),
    ("PKT", "Pakistan Standard Time"),
    ("ICT", "Indochina Time"),
    ("BRT", "Brasilia Standard Time"),
    ("ART", "Argentina Standard Time"),
    ("CLT", "Chile Standard Time"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn style(letter: char, count: usize) -> OffsetStyle {
        offset_style(letter, count).unwrap()
    }

    fn full_reads(input: &str, st: OffsetStyle) -> Vec<i32> {
        let reads = parse_offset(input, st);
        reads
            .iter()
            .filter(|r| r.0 == input.len())
            .map(|r| r.1)
            .collect()
    }

    #[test]
    fn formats_offset_styles() {
        let ist = 5 * 3600 + 30 * 60;
        assert_eq!(format_offset(ist, style('X', 1)), "+0530");
        assert_eq!(format_offset(3600, style('X', 1)), "+01");
        assert_eq!(format_offset(ist, style('X', 3)), "+05:30");
        assert_eq!(format_offset(0, style('X', 3)), "Z");
        assert_eq!(format_offset(0, style('x', 3)), "+00:00");
        assert_eq!(format_offset(-3600, style('Z', 1)), "-0100");
        assert_eq!(format_offset(0, style('Z', 1)), "+0000");
        assert_eq!(format_offset(3601, style('X', 5)), "+01:00:01");
        assert_eq!(format_offset(3600, style('X', 4)), "+0100");
    }

    #[test]
    fn parses_offset_styles() {
        assert_eq!(full_reads("Z", style('X', 3)), vec![0]);
        assert_eq!(full_reads("+05:30", style('X', 3)), vec![19800]);
        assert_eq!(full_reads("-0130", style('Z', 1)), vec![-5400]);
        assert_eq!(full_reads("+01", style('X', 1)), vec![3600]);
        assert_eq!(full_reads("+0130", style('X', 1)), vec![5400]);
        assert!(full_reads("+01", style('X', 2)).is_empty());
        assert!(full_reads("+0530", style('X', 3)).is_empty());
        assert!(full_reads("+19:00", style('X', 3)).is_empty());
        assert!(full_reads("+01:60", style('X', 3)).is_empty());
        assert!(full_reads("Z", style('x', 3)).is_empty());
        assert_eq!(full_reads("+01:00:30", style('X', 5)), vec![3630]);
    }

    #[test]
    fn localized_offsets() {
        assert_eq!(format_localized(0, false), "GMT");
        assert_eq!(format_localized(8 * 3600, false), "GMT+8");
        assert_eq!(format_localized(-(8 * 3600 + 1800), false), "GMT-8:30");
        assert_eq!(format_localized(8 * 3600, true), "GMT+08:00");
        let lens = |s: &str, full| -> Vec<usize> {
            parse_localized(s, full).iter().map(|r| r.0).collect()
        };
        assert!(lens("GMT+8:30", false).contains(&8));
        assert!(lens("GMT+08:00", true).contains(&9));
        assert!(!lens("GMT+8", true).contains(&5));
        assert_eq!(lens("UTC", false), Vec::<usize>::new());
    }

    #[test]
    fn zone_ids_and_names() {
        assert!(parse_zone_id("Europe/Paris").contains(&12));
        assert!(parse_zone_id("America/Argentina/Buenos_Aires x").contains(&30));
        assert!(parse_zone_id("Z").contains(&1));
        assert!(parse_zone_id("UTC+01:00").contains(&9));
        assert!(parse_zone_id("+0100").contains(&5));
        assert!(parse_zone_id("Paris").is_empty());
        assert!(parse_zone_name("PST").contains(&3));
        assert!(parse_zone_name("Pacific Standard Time").contains(&21));
        assert!(parse_zone_name("GMT+8").contains(&5));
        assert!(parse_zone_name("Xyz").is_empty());
        assert!(parse_zone_name("日本").is_empty());
        assert_eq!(format_zone_name(0, 1), "UTC");
        assert_eq!(format_zone_name(0, 4), "Coordinated Universal Time");
        assert_eq!(format_zone_name(-18000, 1), "GMT-05:00");
        assert_eq!(format_zone_id(0), "Z");
        assert_eq!(format_zone_id(3600), "+01:00");
    }
}
