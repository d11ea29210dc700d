//! Date/time expressions of the `Date`, `Time` and `DateTime` generators,
//! evaluated against a base date-time (normally now).
//!
//! ```text
//! expression := date-part? ('@' time-part)?
//! date-part  := date-base? offset*
//! date-base  := now | today | tomorrow | yesterday
//!             | (next | last) (UNIT | WEEKDAY | MONTH)
//! time-part  := time-base? offset*
//! time-base  := now | noon | midnight | HH:mm[:ss] | (next | last) UNIT
//! offset     := ('+' | '-') N UNIT
//! UNIT       := year | month | fortnight | week | day | hour | minute
//!             | second | millisecond       (each also plural)
//! ```
//!
//! Words are case-insensitive and spaces optional around signs:
//! `tomorrow + 2 hours`, `+1 month - 2 days @ noon`, `next friday @ 09:30`,
//! `@ midnight`. A `Time` generator's expression without `@` is read as a
//! time part (`+ 1 hour`, `noon`). `next june` keeps the day of the month
//! (clamped to the month's length). Pact's `N o'clock` form is refused with
//! an error rather than guessed at.

use chrono::{DateTime, Datelike, FixedOffset, Months, TimeDelta, Timelike, Weekday};

use super::GenerateError;

/// Evaluates `expression` against `base`. With `time_only`, an expression
/// without `@` is a time part.
pub(crate) fn evaluate(
    expression: &str,
    base: DateTime<FixedOffset>,
    time_only: bool,
) -> Result<DateTime<FixedOffset>, GenerateError> {
    let mut parser = Parser::new(expression)?;
    let has_at = parser.tokens.iter().any(|(t, _)| *t == Token::At);
    let mut dt = base;
    if !time_only || has_at {
        dt = parser.part(dt, Part::Date)?;
        if parser.peek() == Some(&Token::At) {
            parser.pos += 1;
        }
    }
    if has_at || time_only {
        dt = parser.part(dt, Part::Time)?;
    }
    match parser.peek() {
        None => Ok(dt),
        Some(_) => Err(parser.error("unexpected text after the expression")),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(i64),
    Clock(u32, u32, u32),
    Plus,
    Minus,
    At,
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Date,
    Time,
}

#[derive(Clone, Copy)]
enum Unit {
    Year,
    Month,
    Fortnight,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<(Token, usize)>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Result<Parser<'a>, GenerateError> {
        let tokens = tokenize(source)?;
        Ok(Parser {
            source,
            tokens,
            pos: 0,
        })
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn error(&self, reason: &str) -> GenerateError {
        let position = match self.tokens.get(self.pos) {
            Some((_, at)) => *at,
            None => self.source.chars().count(),
        };
        expression_error(self.source, position, reason)
    }

    fn part(
        &mut self,
        dt: DateTime<FixedOffset>,
        part: Part,
    ) -> Result<DateTime<FixedOffset>, GenerateError> {
        let mut dt = self.base(dt, part)?;
        while matches!(self.peek(), Some(Token::Plus | Token::Minus)) {
            let start = self.pos;
            let sign = if self.peek() == Some(&Token::Minus) {
                -1
            } else {
                1
            };
            self.pos += 1;
            let Some(&Token::Number(n)) = self.peek() else {
                return Err(self.error("expected a number after the sign"));
            };
            self.pos += 1;
            let unit = self.unit()?;
            dt = shift(dt, unit, sign * n).ok_or_else(|| {
                self.pos = start;
                self.error("the result is out of range")
            })?;
        }
        Ok(dt)
    }

    fn base(
        &mut self,
        dt: DateTime<FixedOffset>,
        part: Part,
    ) -> Result<DateTime<FixedOffset>, GenerateError> {
        let word = match self.peek() {
            Some(Token::Clock(h, m, s)) if part == Part::Time => {
                let (h, m, s) = (*h, *m, *s);
                self.pos += 1;
                return at_time(dt, h, m, s).ok_or_else(|| self.error("no such time of day"));
            }
            Some(Token::Number(_)) if part == Part::Time => {
                return Err(self.error(
                    "times are written HH:mm or HH:mm:ss (Pact's `N o'clock` is not supported)",
                ))
            }
            Some(Token::Word(w)) => w.clone(),
            _ => return Ok(dt),
        };
        self.pos += 1;
        let day = |n: i64| shift(dt, Unit::Day, n);
        let result = match (word.as_str(), part) {
            ("now", _) | ("today", Part::Date) => Some(dt),
            ("tomorrow", Part::Date) => day(1),
            ("yesterday", Part::Date) => day(-1),
            ("noon", Part::Time) => at_time(dt, 12, 0, 0),
            ("midnight", Part::Time) => at_time(dt, 0, 0, 0),
            ("next", _) => return self.relative(dt, 1, part),
            ("last", _) => return self.relative(dt, -1, part),
            _ => {
                self.pos -= 1;
                return Err(self.error(match part {
                    Part::Date => "expected today, now, tomorrow, yesterday, next, last or +/-",
                    Part::Time => "expected now, noon, midnight, HH:mm, next, last or +/-",
                }));
            }
        };
        result.ok_or_else(|| self.error("the result is out of range"))
    }

    /// `next`/`last` followed by a unit, weekday or month name.
    fn relative(
        &mut self,
        dt: DateTime<FixedOffset>,
        sign: i64,
        part: Part,
    ) -> Result<DateTime<FixedOffset>, GenerateError> {
        if let Some(Token::Word(w)) = self.peek() {
            let result = match (weekday(w), month(w)) {
                (Some(day), _) if part == Part::Date => to_weekday(dt, day, sign),
                (_, Some(m)) if part == Part::Date && unit_of(w).is_none() => to_month(dt, m, sign),
                _ => None,
            };
            if let Some(found) = result {
                self.pos += 1;
                return Ok(found);
            }
        }
        let unit = self.unit()?;
        shift(dt, unit, sign).ok_or_else(|| self.error("the result is out of range"))
    }

    fn unit(&mut self) -> Result<Unit, GenerateError> {
        let unit = match self.peek() {
            Some(Token::Word(w)) => unit_of(w),
            _ => None,
        };
        let unit = unit.ok_or_else(|| {
            self.error(
                "expected a unit: year, month, fortnight, week, day, hour, minute, second \
                 or millisecond",
            )
        })?;
        self.pos += 1;
        Ok(unit)
    }
}

fn expression_error(expression: &str, position: usize, reason: &str) -> GenerateError {
    GenerateError::DateExpression {
        expression: expression.to_owned(),
        position,
        reason: reason.to_owned(),
    }
}

fn tokenize(source: &str) -> Result<Vec<(Token, usize)>, GenerateError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let c = chars[i];
        let token = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '+' => Token::Plus,
            '-' => Token::Minus,
            '@' => Token::At,
            c if c.is_ascii_digit() => {
                let (token, next) = number_or_clock(source, &chars, i)?;
                tokens.push((token, start));
                i = next;
                continue;
            }
            c if c.is_alphabetic() => {
                let len = chars[i..]
                    .iter()
                    .take_while(|c| c.is_alphabetic() || **c == '\'')
                    .count();
                let word: String = chars[i..i + len].iter().collect();
                tokens.push((Token::Word(word.to_lowercase()), start));
                i += len;
                continue;
            }
            _ => return Err(expression_error(source, i, "unexpected character")),
        };
        tokens.push((token, start));
        i += 1;
    }
    Ok(tokens)
}

/// `12`, or `12:30` / `12:30:15` as a clock time.
fn number_or_clock(
    source: &str,
    chars: &[char],
    start: usize,
) -> Result<(Token, usize), GenerateError> {
    let mut fields = Vec::new();
    let mut i = start;
    loop {
        let len = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let digits: String = chars[i..i + len].iter().collect();
        let value: i64 = digits
            .parse()
            .map_err(|_| expression_error(source, i, "number too large"))?;
        fields.push(value);
        i += len;
        let more = chars.get(i) == Some(&':') && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if !more || fields.len() == 3 {
            break;
        }
        i += 1;
    }
    let token = match fields[..] {
        [n] => Token::Number(n),
        [h, m] => clock(source, start, h, m, 0)?,
        [h, m, s] => clock(source, start, h, m, s)?,
        _ => return Err(expression_error(source, start, "malformed time")),
    };
    Ok((token, i))
}

fn clock(source: &str, at: usize, h: i64, m: i64, s: i64) -> Result<Token, GenerateError> {
    if !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..60).contains(&s) {
        return Err(expression_error(
            source,
            at,
            "time must be HH:mm or HH:mm:ss in 24-hour form",
        ));
    }
    Ok(Token::Clock(h as u32, m as u32, s as u32))
}

fn unit_of(word: &str) -> Option<Unit> {
    let singular = word.strip_suffix('s').unwrap_or(word);
    Some(match singular {
        "year" => Unit::Year,
        "month" => Unit::Month,
        "fortnight" => Unit::Fortnight,
        "week" => Unit::Week,
        "day" => Unit::Day,
        "hour" => Unit::Hour,
        "minute" => Unit::Minute,
        "second" => Unit::Second,
        "millisecond" => Unit::Millisecond,
        _ => return None,
    })
}

fn shift(dt: DateTime<FixedOffset>, unit: Unit, n: i64) -> Option<DateTime<FixedOffset>> {
    let delta = match unit {
        Unit::Year => return shift_months(dt, n.checked_mul(12)?),
        Unit::Month => return shift_months(dt, n),
        Unit::Fortnight => TimeDelta::try_days(n.checked_mul(14)?)?,
        Unit::Week => TimeDelta::try_weeks(n)?,
        Unit::Day => TimeDelta::try_days(n)?,
        Unit::Hour => TimeDelta::try_hours(n)?,
        Unit::Minute => TimeDelta::try_minutes(n)?,
        Unit::Second => TimeDelta::try_seconds(n)?,
        Unit::Millisecond => TimeDelta::try_milliseconds(n)?,
    };
    dt.checked_add_signed(delta)
}

fn shift_months(dt: DateTime<FixedOffset>, n: i64) -> Option<DateTime<FixedOffset>> {
    let months = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    if n >= 0 {
        dt.checked_add_months(months)
    } else {
        dt.checked_sub_months(months)
    }
}

fn at_time(dt: DateTime<FixedOffset>, h: u32, m: u32, s: u32) -> Option<DateTime<FixedOffset>> {
    dt.with_hour(h)?
        .with_minute(m)?
        .with_second(s)?
        .with_nanosecond(0)
}

fn weekday(word: &str) -> Option<Weekday> {
    let full = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let index = full
        .iter()
        .position(|d| *d == word || (word.len() == 3 && d.starts_with(word)))?;
    Weekday::try_from(index as u8).ok()
}

fn month(word: &str) -> Option<u32> {
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let index = full
        .iter()
        .position(|m| *m == word || (word.len() == 3 && m.starts_with(word)))?;
    Some(index as u32 + 1)
}

/// The nearest `day` strictly after (`sign` 1) or before (-1) `dt`.
fn to_weekday(dt: DateTime<FixedOffset>, day: Weekday, sign: i64) -> Option<DateTime<FixedOffset>> {
    let from = i64::from(dt.weekday().num_days_from_monday());
    let to = i64::from(day.num_days_from_monday());
    let step = if sign > 0 {
        (to - from + 6).rem_euclid(7) + 1
    } else {
        -((from - to + 6).rem_euclid(7) + 1)
    };
    shift(dt, Unit::Day, step)
}

/// The nearest `month` strictly after or before `dt`'s month.
fn to_month(dt: DateTime<FixedOffset>, month: u32, sign: i64) -> Option<DateTime<FixedOffset>> {
    let from = i64::from(dt.month());
    let to = i64::from(month);
    let step = if sign > 0 {
        (to - from + 11).rem_euclid(12) + 1
    } else {
        -((from - to + 11).rem_euclid(12) + 1)
    };
    shift_months(dt, step)
}

#[cfg(test)]
#[path = "expression_tests.rs"]
mod tests;
