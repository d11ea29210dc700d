//! Per-letter field definitions shared by matching and formatting:
//! English text tables and numeric widths/ranges.

use super::resolve::Field;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const DAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const QUARTERS: [&str; 4] = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];
const QUARTERS_SHORT: [&str; 4] = ["Q1", "Q2", "Q3", "Q4"];
const ERAS: [&str; 2] = ["Before Christ", "Anno Domini"];
const ERAS_SHORT: [&str; 2] = ["BC", "AD"];
const AM_PM: [&str; 2] = ["AM", "PM"];

/// A field printed and parsed as English text.
pub(crate) struct TextSpec {
    /// The field the text sets.
    pub(crate) field: Field,
    /// Value of the first name; later names count up from it.
    pub(crate) base: i64,
    names: &'static [&'static str],
    narrow: bool,
}

impl TextSpec {
    /// Number of names.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The name at `index`; narrow styles use the first letter.
    pub(crate) fn name(&self, index: usize) -> Option<&'static str> {
        let full = *self.names.get(index)?;
        if self.narrow {
            full.get(..1)
        } else {
            Some(full)
        }
    }

    /// The name for field value `value`.
    pub(crate) fn name_of(&self, value: i64) -> Option<&'static str> {
        usize::try_from(value - self.base)
            .ok()
            .and_then(|i| self.name(i))
    }
}

/// The text definition of `letter` repeated `count` times, if it is text.
pub(crate) fn text_spec(letter: char, count: usize) -> Option<TextSpec> {
    let (field, base, short, full): (_, _, &'static [&'static str], &'static [&'static str]) =
        match letter {
            'G' => (Field::Era, 0, &ERAS_SHORT, &ERAS),
            'a' => (Field::AmPm, 0, &AM_PM, &AM_PM),
            'E' => (Field::DayOfWeek, 1, &DAYS_SHORT, &DAYS),
            'e' | 'c' if count >= 3 => (Field::DayOfWeek, 1, &DAYS_SHORT, &DAYS),
            'M' | 'L' if count >= 3 => (Field::Month, 1, &MONTHS_SHORT, &MONTHS),
            'Q' | 'q' if count >= 3 => (Field::Quarter, 1, &QUARTERS_SHORT, &QUARTERS),
            _ => return None,
        };
    let names = if count >= 4 { full } else { short };
    Some(TextSpec {
        field,
        base,
        names,
        narrow: count == 5,
    })
}

/// A plain numeric field: digit widths and the valid value range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumSpec {
    /// The field the number sets.
    pub(crate) field: Field,
    /// Fewest digits accepted; also the zero-padded print width.
    pub(crate) min_digits: usize,
    /// Most digits accepted.
    pub(crate) max_digits: usize,
    /// Smallest valid value.
    pub(crate) min: i64,
    /// Largest valid value.
    pub(crate) max: i64,
}

/// The numeric definition of `letter` repeated `count` times.
///
/// Years, fractions (`S`), text and zone letters are not covered here.
pub(crate) fn num_spec(letter: char, count: usize) -> Option<NumSpec> {
    let (field, natural, min, max) = match letter {
        'd' => (Field::Day, 2, 1, 31),
        'M' | 'L' => (Field::Month, 2, 1, 12),
        'D' => (Field::DayOfYear, 3, 1, 366),
        'H' => (Field::HourOfDay, 2, 0, 23),
        'k' => (Field::HourOfDay, 2, 1, 24),
        'h' => (Field::HourOfAmPm, 2, 1, 12),
        'K' => (Field::HourOfAmPm, 2, 0, 11),
        'm' => (Field::Minute, 2, 0, 59),
        's' => (Field::Second, 2, 0, 59),
        'w' => (Field::WeekOfYear, 2, 1, 53),
        'W' => (Field::WeekOfMonth, 1, 0, 6),
        'F' => (Field::AlignedWeek, 1, 1, 5),
        'Q' | 'q' => (Field::Quarter, 1, 1, 4),
        'e' | 'c' => (Field::DayOfWeek, 1, 1, 7),
        'n' => (Field::Nano, 19, 0, 999_999_999),
        'A' => (Field::MilliOfDay, 19, 0, 86_399_999),
        'N' => (Field::NanoOfDay, 19, 0, 86_399_999_999_999),
        _ => return None,
    };
    if text_spec(letter, count).is_some() {
        return None;
    }
    let max_digits = match letter {
        'n' | 'A' | 'N' | 'D' => natural,
        _ if count == 1 => natural,
        _ => count,
    };
    Some(NumSpec {
        field,
        min_digits: count,
        max_digits,
        min,
        max,
    })
}

/// Normalises a parsed clock value: `k` 24 is midnight, `h` 12 is zero.
pub(crate) fn normalize(letter: char, value: i64) -> i64 {
    match letter {
        'k' => value % 24,
        'h' => value % 12,
        _ => value,
    }
}

/// The field a year letter (`y`, `u`, `Y`) sets and its valid range.
pub(crate) fn year_field(letter: char) -> Option<(Field, i64, i64)> {
    match letter {
        'y' => Some((Field::YearOfEra, 1, 999_999_999)),
        'u' => Some((Field::Year, -999_999_999, 999_999_999)),
        'Y' => Some((Field::WeekYear, -999_999_999, 999_999_999)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_widths() {
        assert_eq!(text_spec('M', 3).unwrap().name(0), Some("Jan"));
        assert_eq!(text_spec('M', 4).unwrap().name(8), Some("September"));
        assert_eq!(text_spec('M', 5).unwrap().name(0), Some("J"));
        assert_eq!(text_spec('E', 1).unwrap().name_of(7), Some("Sun"));
        assert_eq!(text_spec('E', 4).unwrap().name_of(3), Some("Wednesday"));
        assert_eq!(text_spec('Q', 4).unwrap().name_of(2), Some("2nd quarter"));
        assert_eq!(text_spec('G', 5).unwrap().name_of(1), Some("A"));
        assert!(text_spec('M', 2).is_none());
        assert!(text_spec('e', 2).is_none());
        assert_eq!(text_spec('a', 1).unwrap().name_of(5), None);
    }

    #[test]
    fn numeric_widths() {
        let d = num_spec('d', 1).unwrap();
        assert_eq!((d.min_digits, d.max_digits), (1, 2));
        let dd = num_spec('d', 2).unwrap();
        assert_eq!((dd.min_digits, dd.max_digits), (2, 2));
        let doy = num_spec('D', 1).unwrap();
        assert_eq!((doy.min_digits, doy.max_digits), (1, 3));
        assert!(num_spec('M', 3).is_none());
        assert!(num_spec('y', 4).is_none());
        assert_eq!(normalize('k', 24), 0);
        assert_eq!(normalize('h', 12), 0);
    }
}
