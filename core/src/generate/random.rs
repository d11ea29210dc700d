//! Random scalars: integers, decimals, hex, alphanumeric strings, UUIDs.

use rand::distributions::Alphanumeric;
use rand::{Rng, RngCore};

use super::GenerateError;
use crate::model::UuidFormat;

/// The longest string a size or digit count may ask for.
pub(crate) const MAX_LEN: usize = 1_000_000;

fn check_len(generator: &'static str, len: usize) -> Result<(), GenerateError> {
    if len > MAX_LEN {
        return Err(GenerateError::invalid(
            generator,
            format!("{len} characters is more than the {MAX_LEN} treaty generates"),
        ));
    }
    Ok(())
}

/// A random integer in `min..=max`.
pub(crate) fn int(rng: &mut dyn RngCore, min: i64, max: i64) -> Result<i64, GenerateError> {
    if min > max {
        return Err(GenerateError::invalid(
            "RandomInt",
            format!("min {min} is above max {max}"),
        ));
    }
    Ok(rng.gen_range(min..=max))
}

/// A decimal with exactly `digits` digits: the first is never `0`, and
/// from two digits on a `.` sits somewhere strictly inside (`4.07`, `31.5`).
/// With `nonzero_last` the last digit is not `0` either, so the text
/// survives a round trip through a JSON number unchanged.
pub(crate) fn decimal(
    rng: &mut dyn RngCore,
    digits: usize,
    nonzero_last: bool,
) -> Result<String, GenerateError> {
    if digits == 0 {
        return Err(GenerateError::invalid(
            "RandomDecimal",
            "digits must be at least 1",
        ));
    }
    check_len("RandomDecimal", digits)?;
    let mut text = String::with_capacity(digits + 1);
    for i in 0..digits {
        let nonzero = i == 0 || (nonzero_last && i == digits - 1);
        let low = if nonzero { 1 } else { 0 };
        text.push(char::from(b'0' + rng.gen_range(low..=9u8)));
    }
    if digits >= 2 {
        let point = rng.gen_range(1..digits);
        text.insert(point, '.');
    }
    Ok(text)
}

/// `digits` random lower-case hex digits.
pub(crate) fn hex(rng: &mut dyn RngCore, digits: usize) -> Result<String, GenerateError> {
    check_len("RandomHexadecimal", digits)?;
    const HEX: &[u8] = b"0123456789abcdef";
    Ok((0..digits)
        .map(|_| char::from(HEX[rng.gen_range(0..HEX.len())]))
        .collect())
}

/// `size` random ASCII letters and digits.
pub(crate) fn alphanumeric(rng: &mut dyn RngCore, size: usize) -> Result<String, GenerateError> {
    check_len("RandomString", size)?;
    Ok((0..size)
        .map(|_| char::from(rng.sample(Alphanumeric)))
        .collect())
}

/// A random (version 4) UUID in the given text form.
pub(crate) fn uuid(rng: &mut dyn RngCore, format: UuidFormat) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    match format {
        UuidFormat::Simple => id.simple().to_string(),
        UuidFormat::LowerCaseHyphenated => id.hyphenated().to_string(),
        UuidFormat::UpperCaseHyphenated => id.hyphenated().to_string().to_ascii_uppercase(),
        UuidFormat::Urn => id.urn().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use regex::Regex;

    use super::*;

    fn rng(seed: u64) -> StdRng {
        StdRng::seed_from_u64(seed)
    }

    #[test]
    fn decimals_have_exactly_the_digits_asked_for() {
        let shape = Regex::new(r"^(?:[1-9]|[1-9][0-9]*\.[0-9]+)$").unwrap();
        for digits in 1..=30 {
            for seed in 0..20 {
                let d = decimal(&mut rng(seed), digits, false).unwrap();
                assert_eq!(
                    d.chars().filter(char::is_ascii_digit).count(),
                    digits,
                    "{d}"
                );
                assert!(shape.is_match(&d), "{d}");
                assert_eq!(d.contains('.'), digits >= 2, "{d}");
            }
        }
    }

    #[test]
    fn decimals_for_numbers_survive_a_json_round_trip() {
        for digits in 1..=15 {
            for seed in 0..20 {
                let d = decimal(&mut rng(seed), digits, true).unwrap();
                assert!(!d.ends_with('0'), "{d}");
                if d.contains('.') {
                    let n: f64 = d.parse().unwrap();
                    assert_eq!(serde_json::json!(n).to_string(), d);
                }
            }
        }
    }

    #[test]
    fn zero_digit_decimal_is_an_error() {
        let err = decimal(&mut rng(1), 0, false).unwrap_err();
        assert!(matches!(err, GenerateError::InvalidGenerator { .. }));
    }

    #[test]
    fn hex_and_strings_have_their_length_and_alphabet() {
        let h = hex(&mut rng(3), 40).unwrap();
        assert!(Regex::new("^[0-9a-f]{40}$").unwrap().is_match(&h), "{h}");
        let s = alphanumeric(&mut rng(3), 25).unwrap();
        assert!(Regex::new("^[0-9A-Za-z]{25}$").unwrap().is_match(&s), "{s}");
        assert_eq!(hex(&mut rng(3), 0).unwrap(), "");
        assert!(alphanumeric(&mut rng(3), MAX_LEN + 1).is_err());
    }

    #[test]
    fn ints_stay_in_range_and_bad_ranges_fail() {
        assert_eq!(int(&mut rng(1), 5, 5).unwrap(), 5);
        assert!(int(&mut rng(1), i64::MIN, i64::MAX).is_ok());
        assert!(int(&mut rng(1), 6, 5).is_err());
    }

    #[test]
    fn each_uuid_format_is_exact() {
        let cases = [
            (UuidFormat::Simple, r"^[0-9a-f]{32}$"),
            (
                UuidFormat::LowerCaseHyphenated,
                r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
            ),
            (
                UuidFormat::UpperCaseHyphenated,
                r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$",
            ),
            (
                UuidFormat::Urn,
                r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
            ),
        ];
        for (format, pattern) in cases {
            let re = Regex::new(pattern).unwrap();
            for seed in 0..10 {
                let id = uuid(&mut rng(seed), format);
                assert!(re.is_match(&id), "{format:?}: {id}");
            }
        }
    }
}
