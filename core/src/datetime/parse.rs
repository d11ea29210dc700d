//! Checking whether a string conforms to a pattern.
//!
//! Matching is a bounded backtracking search over the pattern's tokens:
//! every field reports all the ways it can read the start of the remaining
//! input, and the parsed values are cross-validated once the whole input is
//! consumed.

use super::fields::{normalize, num_spec, text_spec, year_field, NumSpec, TextSpec};
use super::pattern::{DatePattern, Token};
use super::resolve::{Field, Fields};
use super::zone;

/// Values longer than this (in bytes) never match.
const MAX_VALUE_LEN: usize = 1024;

/// Upper bound on search steps, so pathological inputs stay cheap.
const STEP_BUDGET: usize = 20_000;

/// One way a field can read the input: bytes consumed and the value set.
type Read = (usize, Option<(Field, i64)>);

/// Returns whether the whole of `value` conforms to `pattern`.
///
/// Field ranges are validated (month 1-12, hour 0-23 for `H`, ...), as is
/// the day for its month (and leap year when the year is present), and
/// redundant fields must agree (e.g. `EEE` with the date).
pub fn matches_pattern(pattern: &DatePattern, value: &str) -> bool {
    if value.len() > MAX_VALUE_LEN {
        return false;
    }
    let mut ops = Vec::new();
    flatten(pattern.tokens(), &mut ops);
    let mut matcher = Matcher {
        ops,
        input: value,
        budget: STEP_BUDGET,
    };
    matcher.run(0, 0, Fields::default())
}

impl DatePattern {
    /// Returns whether the whole of `value` conforms to this pattern
    /// (see [`matches_pattern`]).
    pub fn matches(&self, value: &str) -> bool {
        matches_pattern(self, value)
    }
}

/// A flattened token: optional sections become a jump past their end.
#[derive(Debug, Clone, Copy)]
enum Op<'a> {
    Field(char, usize),
    Literal(&'a str),
    Optional { end: usize },
}

fn flatten<'a>(tokens: &'a [Token], ops: &mut Vec<Op<'a>>) {
    for token in tokens {
        match token {
            Token::Field { letter, count } => ops.push(Op::Field(*letter, *count)),
            Token::Literal(s) => ops.push(Op::Literal(s)),
            Token::Optional(inner) => {
                let at = ops.len();
                ops.push(Op::Optional { end: at });
                flatten(inner, ops);
                ops[at] = Op::Optional { end: ops.len() };
            }
        }
    }
}

struct Matcher<'a> {
    ops: Vec<Op<'a>>,
    input: &'a str,
    budget: usize,
}

impl Matcher<'_> {
    fn run(&mut self, pc: usize, pos: usize, fields: Fields) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let rest = self.input.get(pos..).unwrap_or_default();
        match self.ops.get(pc).copied() {
            None => rest.is_empty() && fields.is_valid(),
            Some(Op::Literal(s)) => rest.starts_with(s) && self.run(pc + 1, pos + s.len(), fields),
            Some(Op::Optional { end }) => {
                self.run(pc + 1, pos, fields) || self.run(end, pos, fields)
            }
            Some(Op::Field(letter, count)) => {
                read_field(letter, count, rest)
                    .into_iter()
                    .any(|(len, set)| {
                        let next = match set {
                            Some((field, value)) => fields.with(field, value),
                            None => Some(fields),
                        };
                        next.is_some_and(|f| self.run(pc + 1, pos + len, f))
                    })
            }
        }
    }
}

/// All readings of the field `letter` x `count` at the start of `rest`.
fn read_field(letter: char, count: usize, rest: &str) -> Vec<Read> {
    if let Some(spec) = text_spec(letter, count) {
        return read_text(&spec, rest);
    }
    if let Some(spec) = num_spec(letter, count) {
        return read_number(letter, spec, rest);
    }
    if let Some((field, min, max)) = year_field(letter) {
        return read_year(count, rest)
            .into_iter()
            .filter(|&(_, v)| (min..=max).contains(&v))
            .map(|(len, v)| (len, Some((field, v))))
            .collect();
    }
    if let Some(style) = zone::offset_style(letter, count) {
        return with_offset(zone::parse_offset(rest, style));
    }
    match letter {
        'S' => read_fraction(count, rest),
        'O' | 'Z' => with_offset(zone::parse_localized(rest, count == 4)),
        'V' => without_value(zone::parse_zone_id(rest)),
        'z' => without_value(zone::parse_zone_name(rest)),
        _ => Vec::new(),
    }
}

fn with_offset(reads: Vec<(usize, i32)>) -> Vec<Read> {
    let offset = |(len, secs): (usize, i32)| (len, Some((Field::Offset, i64::from(secs))));
    reads.into_iter().map(offset).collect()
}

fn without_value(lengths: Vec<usize>) -> Vec<Read> {
    lengths.into_iter().map(|len| (len, None)).collect()
}

fn read_text(spec: &TextSpec, rest: &str) -> Vec<Read> {
    (0..spec.len())
        .filter_map(|i| {
            let name = spec.name(i)?;
            let value = spec.base + i64::try_from(i).ok()?;
            rest.starts_with(name)
                .then_some((name.len(), Some((spec.field, value))))
        })
        .collect()
}

fn read_number(letter: char, spec: NumSpec, rest: &str) -> Vec<Read> {
    digits(rest, spec.min_digits, spec.max_digits)
        .into_iter()
        .filter(|&(_, v)| (spec.min..=spec.max).contains(&v))
        .map(|(len, v)| (len, Some((spec.field, normalize(letter, v)))))
        .collect()
}

/// Years: `yy` is two digits based on 2000; `y`/`yyy` allow a minus sign;
/// four or more letters take exactly that many digits unless signed.
fn read_year(count: usize, rest: &str) -> Vec<(usize, i64)> {
    if count == 2 {
        let reads = digits(rest, 2, 2);
        return reads.into_iter().map(|(len, v)| (len, 2000 + v)).collect();
    }
    let (sign, unsigned) = match rest.as_bytes().first() {
        Some(b'-') => (-1, &rest[1..]),
        Some(b'+') if count >= 4 => (1, &rest[1..]),
        _ => (0, rest),
    };
    let (min, max) = match sign {
        1 => (count + 1, 19),
        0 if count >= 4 => (count, count),
        _ => (count, 19),
    };
    let skip = usize::from(sign != 0);
    let reads = digits(unsigned, min, max);
    let signed = |(len, v): (usize, i64)| (len + skip, if sign < 0 { -v } else { v });
    reads.into_iter().map(signed).collect()
}

/// `S...`: exactly `count` digits of the second's fraction.
fn read_fraction(count: usize, rest: &str) -> Vec<Read> {
    let scale = 10i64.pow(9u32.saturating_sub(count as u32));
    let reads = digits(rest, count, count);
    let nano = |(len, v): (usize, i64)| (len, Some((Field::Nano, v * scale)));
    reads.into_iter().map(nano).collect()
}

/// Readings of `min..=max` ASCII digits (max 19), longest first.
fn digits(rest: &str, min: usize, max: usize) -> Vec<(usize, i64)> {
    let available = rest
        .bytes()
        .take(max.min(19))
        .take_while(u8::is_ascii_digit)
        .count();
    (min.max(1)..=available)
        .rev()
        .filter_map(|len| Some((len, rest.get(..len)?.parse::<i64>().ok()?)))
        .collect()
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
