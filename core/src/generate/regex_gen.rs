//! Random strings that match a regex, generated from `regex-syntax`'s HIR.
//!
//! Each part of the regex is walked once: literals are copied, classes pick
//! one member (printable ASCII members first, so `\d` gives `7`, not an
//! Arabic-Indic digit), alternations pick a branch, repetitions pick a count
//! (unbounded ones at most [`UNBOUNDED_EXTRA`] above their minimum) and
//! look-arounds (`^`, `$`, `\b`) produce nothing. Word boundaries can make a
//! draw fail, so every result is checked against the regex and a few draws
//! are tried before giving up with an error.

use rand::{Rng, RngCore};
use regex_syntax::hir::{Class, ClassBytes, ClassUnicode, Hir, HirKind, Repetition};

use super::GenerateError;

/// How far above its minimum an unbounded repetition (`*`, `+`, `{n,}`)
/// may go.
pub(crate) const UNBOUNDED_EXTRA: u32 = 10;

/// The longest output (in bytes) one draw may produce.
const MAX_OUTPUT: usize = 100_000;

/// The most regex parts one draw may visit (guards `(?:){4000000000}`).
const MAX_STEPS: usize = 1_000_000;

/// Draws tried before a regex is declared impossible to generate from.
const ATTEMPTS: usize = 25;

/// A random string that matches `regex` as a whole.
pub(crate) fn generate(regex: &str, rng: &mut dyn RngCore) -> Result<String, GenerateError> {
    let fail = |reason: String| GenerateError::Regex {
        regex: regex.to_owned(),
        reason,
    };
    let hir = regex_syntax::parse(regex).map_err(|e| fail(last_line(&e.to_string())))?;
    let check = regex::Regex::new(&format!("^(?:{regex})$"))
        .map_err(|e| fail(last_line(&e.to_string())))?;
    for _ in 0..ATTEMPTS {
        let mut draw = Draw {
            rng: &mut *rng,
            out: Vec::new(),
            steps: 0,
        };
        draw.hir(&hir).map_err(fail)?;
        if let Ok(text) = String::from_utf8(draw.out) {
            if check.is_match(&text) {
                return Ok(text);
            }
        }
    }
    Err(fail(format!(
        "no matching value in {ATTEMPTS} draws (word boundaries or byte classes that \
         cannot form text?)"
    )))
}

fn last_line(message: &str) -> String {
    message.lines().last().unwrap_or("").trim().to_owned()
}

struct Draw<'r> {
    rng: &'r mut dyn RngCore,
    out: Vec<u8>,
    steps: usize,
}

impl Draw<'_> {
    fn hir(&mut self, hir: &Hir) -> Result<(), String> {
        self.steps += 1;
        if self.out.len() > MAX_OUTPUT || self.steps > MAX_STEPS {
            return Err(format!(
                "the value would be too long (over {MAX_OUTPUT} bytes)"
            ));
        }
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Ok(()),
            HirKind::Literal(lit) => {
                self.out.extend_from_slice(&lit.0);
                Ok(())
            }
            HirKind::Class(Class::Unicode(class)) => self.unicode(class),
            HirKind::Class(Class::Bytes(class)) => self.bytes(class),
            HirKind::Repetition(rep) => self.repeat(rep),
            HirKind::Capture(cap) => self.hir(&cap.sub),
            HirKind::Concat(subs) => subs.iter().try_for_each(|sub| self.hir(sub)),
            HirKind::Alternation(subs) => {
                let pick = self.rng.gen_range(0..subs.len());
                self.hir(&subs[pick])
            }
        }
    }

    fn repeat(&mut self, rep: &Repetition) -> Result<(), String> {
        let max = rep
            .max
            .unwrap_or_else(|| rep.min.saturating_add(UNBOUNDED_EXTRA));
        let count = self.rng.gen_range(rep.min..=max);
        (0..count).try_for_each(|_| self.hir(&rep.sub))
    }

    fn unicode(&mut self, class: &ClassUnicode) -> Result<(), String> {
        let mut printable = class.clone();
        printable.intersect(&ClassUnicode::new([
            regex_syntax::hir::ClassUnicodeRange::new(' ', '~'),
        ]));
        let source = if printable.ranges().is_empty() {
            class
        } else {
            &printable
        };
        let ranges: Vec<(u32, u32)> = source
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect();
        let code = self.pick(&ranges).ok_or("it has an empty class")?;
        let c = char::from_u32(code).ok_or("a class member is not a character")?;
        let mut buf = [0u8; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn bytes(&mut self, class: &ClassBytes) -> Result<(), String> {
        let all: Vec<(u32, u32)> = class
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect();
        let printable: Vec<(u32, u32)> = all
            .iter()
            .filter_map(|&(lo, hi)| {
                let (lo, hi) = (lo.max(0x20), hi.min(0x7e));
                (lo <= hi).then_some((lo, hi))
            })
            .collect();
        let ranges = if printable.is_empty() { all } else { printable };
        let byte = self.pick(&ranges).ok_or("it has an empty class")?;
        self.out.push(byte as u8);
        Ok(())
    }

    /// A value from inclusive ranges, each member equally likely.
    fn pick(&mut self, ranges: &[(u32, u32)]) -> Option<u32> {
        let total: u64 = ranges.iter().map(|&(lo, hi)| u64::from(hi - lo) + 1).sum();
        if total == 0 {
            return None;
        }
        let mut index = self.rng.gen_range(0..total);
        for &(lo, hi) in ranges {
            let size = u64::from(hi - lo) + 1;
            if index < size {
                return Some(lo + index as u32);
            }
            index -= size;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    const REGEXES: &[&str] = &[
        r"\d{1,8}",
        r"[a-z]{3}-\d+",
        r"^(cat|dog|bird)$",
        r"(red|green|blue)-[0-9a-f]{6}",
        r"[A-Z][a-z]*(\s[A-Z][a-z]*)?",
        r"\w+@\w+\.(com|org)",
        r"[^a-z]{5}",
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}",
        r"[äöüß]{2,4}",
        r"\p{Greek}+",
        r"日本語?",
        r"(?i)hello",
        r"a?b*c+",
        r"(ab){2}|x{3,5}",
        r"\bword\b",
        r".{3}",
        r"[[:alpha:]]{4}",
        r"",
        r"\$\d+\.\d{2}",
    ];

    fn draw(regex: &str, seed: u64) -> String {
        generate(regex, &mut StdRng::seed_from_u64(seed)).unwrap()
    }

    fn full_match(regex: &str) -> regex::Regex {
        regex::Regex::new(&format!("^(?:{regex})$")).unwrap()
    }

    #[test]
    fn output_matches_each_regex() {
        for regex in REGEXES {
            let re = full_match(regex);
            for seed in 0..30 {
                let value = draw(regex, seed);
                assert!(re.is_match(&value), "{regex} gave {value:?}");
            }
        }
    }

    #[test]
    fn digit_classes_give_ascii_digits() {
        for seed in 0..30 {
            let value = draw(r"\d{1,8}", seed);
            assert!((1..=8).contains(&value.len()), "{value}");
            assert!(value.bytes().all(|b| b.is_ascii_digit()), "{value}");
        }
    }

    #[test]
    fn unbounded_repetition_is_bounded() {
        for seed in 0..30 {
            assert!(draw("a*", seed).len() <= UNBOUNDED_EXTRA as usize);
            let plus = draw("b+", seed).len();
            assert!((1..=1 + UNBOUNDED_EXTRA as usize).contains(&plus));
        }
    }

    #[test]
    fn alternation_reaches_every_branch() {
        let seen: std::collections::BTreeSet<String> =
            (0..60).map(|seed| draw("cat|dog|bird", seed)).collect();
        assert_eq!(seen.len(), 3, "{seen:?}");
    }

    #[test]
    fn same_seed_same_value() {
        assert_eq!(draw(r"[a-z]{12}", 7), draw(r"[a-z]{12}", 7));
    }

    #[test]
    fn bad_and_impossible_regexes_are_errors() {
        let mut rng = StdRng::seed_from_u64(1);
        for bad in [
            "(",
            "[z-a]",
            r"a\bb",
            "a{100000}{100000}",
            r"[^\x00-\x{10FFFF}]",
            r"(?-u:\xff)",
        ] {
            let err = generate(bad, &mut rng).unwrap_err();
            assert!(matches!(err, GenerateError::Regex { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn pathological_repetitions_finish() {
        let mut rng = StdRng::seed_from_u64(1);
        for regex in [
            "(?:){4294967295}",
            "(|a){4000000000}",
            r"(?:^){100000000}",
            "(a|b){999999}",
        ] {
            match generate(regex, &mut rng) {
                Ok(value) => assert!(full_match(regex).is_match(&value), "{regex}: {value}"),
                Err(err) => assert!(matches!(err, GenerateError::Regex { .. }), "{regex}: {err}"),
            }
        }
    }

    proptest! {
        #[test]
        fn any_listed_regex_and_seed_gives_a_match(index in 0..REGEXES.len(), seed: u64) {
            let regex = REGEXES[index];
            let value = draw(regex, seed);
            prop_assert!(full_match(regex).is_match(&value), "{} gave {:?}", regex, value);
        }
    }
}
