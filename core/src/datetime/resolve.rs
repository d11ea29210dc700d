//! Parsed field values and their cross-validation once matching is done.

use chrono::{Datelike, NaiveDate, Weekday};

/// A date/time field a pattern letter can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Era,
    YearOfEra,
    Year,
    WeekYear,
    Month,
    Day,
    DayOfYear,
    DayOfWeek,
    Quarter,
    WeekOfYear,
    WeekOfMonth,
    AlignedWeek,
    AmPm,
    HourOfDay,
    HourOfAmPm,
    Minute,
    Second,
    Nano,
    MilliOfDay,
    NanoOfDay,
    Offset,
}

const FIELD_COUNT: usize = Field::Offset as usize + 1;

/// Values parsed so far; a field set twice must agree with itself.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fields([Option<i64>; FIELD_COUNT]);

impl Fields {
    /// The value of `field`, if parsed.
    pub(crate) fn get(&self, field: Field) -> Option<i64> {
        self.0[field as usize]
    }

    /// Returns a copy with `field` set, or `None` on a conflicting value.
    pub(crate) fn with(mut self, field: Field, value: i64) -> Option<Self> {
        match self.0[field as usize] {
            Some(old) if old != value => None,
            _ => {
                self.0[field as usize] = Some(value);
                Some(self)
            }
        }
    }

    /// Checks that the parsed fields describe a real date and time.
    pub(crate) fn is_valid(&self) -> bool {
        let Some(year) = self.resolve_year() else {
            return false;
        };
        self.valid_date(year) && self.valid_time()
    }

    /// The proleptic year: `Ok(None)` when unknown, `None` on conflict.
    fn resolve_year(&self) -> Option<Option<i64>> {
        let era = self.get(Field::Era);
        let from_era = self
            .get(Field::YearOfEra)
            .map(|yoe| if era == Some(0) { 1 - yoe } else { yoe });
        let year = match (self.get(Field::Year), from_era) {
            (Some(a), Some(b)) if a != b => return None,
            (a, b) => a.or(b),
        };
        match (year, era) {
            (Some(y), Some(e)) if (y >= 1) != (e == 1) => None,
            _ => Some(year),
        }
    }

    fn valid_date(&self, year: Option<i64>) -> bool {
        let month = self.get(Field::Month);
        if let (Some(m), Some(q)) = (month, self.get(Field::Quarter)) {
            if (m - 1) / 3 + 1 != q {
                return false;
            }
        }
        if let (Some(d), Some(f)) = (self.get(Field::Day), self.get(Field::AlignedWeek)) {
            if (d - 1) / 7 + 1 != f {
                return false;
            }
        }
        match (year, month, self.get(Field::Day)) {
            (Some(y), Some(m), Some(d)) => self.valid_full_date(y, m, d),
            (_, Some(m), Some(d)) => d <= days_in_month(year, m),
            _ => self.valid_partial_date(year),
        }
    }

    fn valid_full_date(&self, y: i64, m: i64, d: i64) -> bool {
        let Some(date) = to_date(y, m, d) else {
            return false;
        };
        let week = date.iso_week();
        let checks = [
            (
                Field::DayOfWeek,
                i64::from(date.weekday().number_from_monday()),
            ),
            (Field::DayOfYear, i64::from(date.ordinal())),
            (Field::WeekYear, i64::from(week.year())),
            (Field::WeekOfYear, i64::from(week.week())),
            (Field::WeekOfMonth, week_of_month(date)),
        ];
        checks
            .iter()
            .all(|&(f, v)| self.get(f).is_none_or(|x| x == v))
    }

    fn valid_partial_date(&self, year: Option<i64>) -> bool {
        if let (Some(y), Some(doy)) = (year, self.get(Field::DayOfYear)) {
            if doy > 365 + i64::from(is_leap(y)) {
                return false;
            }
        }
        match (self.get(Field::WeekYear), self.get(Field::WeekOfYear)) {
            (Some(wy), Some(w)) => i32::try_from(wy).ok().is_some_and(|wy| {
                u32::try_from(w)
                    .ok()
                    .and_then(|w| NaiveDate::from_isoywd_opt(wy, w, Weekday::Mon))
                    .is_some()
            }),
            _ => true,
        }
    }

    fn valid_time(&self) -> bool {
        let hour = self.get(Field::HourOfDay);
        if let (Some(h), Some(ap)) = (hour, self.get(Field::AmPm)) {
            if h / 12 != ap {
                return false;
            }
        }
        match (hour, self.get(Field::HourOfAmPm)) {
            (Some(h), Some(h12)) => h % 12 == h12,
            _ => true,
        }
    }
}

/// Builds a date when the year fits chrono's range.
pub(crate) fn to_date(y: i64, m: i64, d: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

/// Proleptic Gregorian leap year rule.
pub(crate) fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in `month`; February has 29 when the year is unknown.
fn days_in_month(year: Option<i64>, month: i64) -> i64 {
    match month {
        2 if year.is_some_and(|y| !is_leap(y)) => 28,
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// ISO week of month (weeks start Monday, first week has at least 4 days),
/// as Java's `W` with ISO week rules; 0 for days before the first week.
pub(crate) fn week_of_month(date: NaiveDate) -> i64 {
    let day = i64::from(date.day());
    let dow = i64::from(date.weekday().number_from_monday());
    let week_start = (day - dow).rem_euclid(7);
    let offset = if week_start + 1 > 4 {
        7 - week_start
    } else {
        -week_start
    };
    (7 + offset + (day - 1)).div_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(Field, i64)]) -> Fields {
        pairs
            .iter()
            .try_fold(Fields::default(), |f, &(k, v)| f.with(k, v))
            .unwrap()
    }

    #[test]
    fn conflicting_values_are_rejected() {
        let f = Fields::default().with(Field::Month, 2).unwrap();
        assert!(f.with(Field::Month, 2).is_some());
        assert!(f.with(Field::Month, 3).is_none());
    }

    #[test]
    fn calendar_validation() {
        use Field::*;
        assert!(fields(&[(YearOfEra, 2024), (Month, 2), (Day, 29)]).is_valid());
        assert!(!fields(&[(YearOfEra, 2023), (Month, 2), (Day, 29)]).is_valid());
        assert!(!fields(&[(YearOfEra, 1900), (Month, 2), (Day, 29)]).is_valid());
        assert!(fields(&[(YearOfEra, 2000), (Month, 2), (Day, 29)]).is_valid());
        assert!(fields(&[(Month, 2), (Day, 29)]).is_valid());
        assert!(!fields(&[(Month, 4), (Day, 31)]).is_valid());
        assert!(!fields(&[(Year, 2023), (DayOfYear, 366)]).is_valid());
        assert!(!fields(&[(Month, 5), (Quarter, 1)]).is_valid());
    }

    #[test]
    fn era_and_weekday_consistency() {
        use Field::*;
        assert!(fields(&[(Era, 0), (YearOfEra, 1), (Year, 0)]).is_valid());
        assert!(!fields(&[(Era, 1), (Year, 0)]).is_valid());
        // 2024-01-01 was a Monday.
        let monday = [(Year, 2024), (Month, 1), (Day, 1), (DayOfWeek, 1)];
        assert!(fields(&monday).is_valid());
        assert!(!fields(&[(Year, 2024), (Month, 1), (Day, 1), (DayOfWeek, 2)]).is_valid());
    }

    #[test]
    fn clock_consistency() {
        use Field::*;
        assert!(fields(&[(HourOfDay, 13), (AmPm, 1), (HourOfAmPm, 1)]).is_valid());
        assert!(!fields(&[(HourOfDay, 13), (AmPm, 0)]).is_valid());
        assert!(!fields(&[(HourOfDay, 13), (HourOfAmPm, 2)]).is_valid());
    }

    #[test]
    fn iso_week_of_month() {
        // 2024-09-01 is a Sunday: before the first ISO week of September.
        let d = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        assert_eq!(week_of_month(d(9, 1)), 0);
        assert_eq!(week_of_month(d(9, 2)), 1);
        // 2024-01-01 is a Monday.
        assert_eq!(week_of_month(d(1, 1)), 1);
        assert_eq!(week_of_month(d(1, 31)), 5);
    }
}
