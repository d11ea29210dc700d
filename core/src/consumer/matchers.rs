//! The matcher and generator functions of the DSL: each returns a
//! [`Term`] whose example is the value given and whose rules say what else
//! the provider may send (or the consumer may request).
//!
//! A matcher given something invalid (a regex that does not compile, a
//! date format treaty cannot read) panics: it is a mistake in the test.

use serde_json::Value;

use super::pattern::{Step, Term};
use crate::datetime::DatePattern;
use crate::model::{Generator, Matcher, Pattern, StatusClass, UuidFormat};

/// Any value of the same type as `example` (objects: the same fields, each
/// of the same type; arrays: elements like the example's).
pub fn like(example: impl Into<Term>) -> Term {
    Term::matching(example, Matcher::Type)
}

/// A text whose whole value matches `regex`; `example` must match too.
pub fn regex(regex: &str, example: impl Into<String>) -> Term {
    let example = example.into();
    let pattern = Pattern::new(regex)
        .unwrap_or_else(|e| panic!("treaty: regex `{regex}` does not compile: {e}"));
    assert!(
        pattern.is_match(&example),
        "treaty: the example `{example}` does not match its regex `{regex}`"
    );
    Term::matching(example.as_str(), Matcher::Regex(pattern))
}

/// Any integer.
pub fn integer(example: i64) -> Term {
    Term::matching(example, Matcher::Integer)
}

/// Any number with a fractional part.
pub fn decimal(example: f64) -> Term {
    Term::matching(example, Matcher::Decimal)
}

/// Any number: `example` is an integer or a float (`number(12.5)`).
pub fn number(example: impl Into<Value>) -> Term {
    let example = example.into();
    assert!(
        example.is_number(),
        "treaty: the example `{example}` of `number` is not a finite number"
    );
    Term::matching(example, Matcher::Number)
}

/// Any boolean.
pub fn boolean(example: bool) -> Term {
    Term::matching(example, Matcher::Boolean)
}

/// JSON `null` (and nothing else).
pub fn null() -> Term {
    Term::matching(Value::Null, Matcher::Null)
}

fn date_pattern(format: &str) -> DatePattern {
    DatePattern::parse(format)
        .unwrap_or_else(|e| panic!("treaty: date/time format `{format}` is not valid: {e}"))
}

fn dated(example: &str, format: &str, matcher: Matcher, generator: Generator) -> Term {
    let pattern = date_pattern(format);
    assert!(
        pattern.matches(example),
        "treaty: the example `{example}` does not have the format `{format}`"
    );
    Term::matching(example, matcher).generated_by(generator)
}

/// A date-time in a Java `DateTimeFormatter` format such as
/// `yyyy-MM-dd'T'HH:mm:ssXXX`; the contract's users generate the current
/// one.
pub fn datetime(format: &str, example: &str) -> Term {
    let generator = Generator::DateTime {
        format: Some(format.to_owned()),
        expression: None,
    };
    dated(
        example,
        format,
        Matcher::Timestamp(Some(date_pattern(format))),
        generator,
    )
}

/// A date in a Java format such as `yyyy-MM-dd`.
pub fn date(format: &str, example: &str) -> Term {
    let generator = Generator::Date {
        format: Some(format.to_owned()),
        expression: None,
    };
    dated(
        example,
        format,
        Matcher::Date(Some(date_pattern(format))),
        generator,
    )
}

/// A time of day in a Java format such as `HH:mm:ss`.
pub fn time(format: &str, example: &str) -> Term {
    let generator = Generator::Time {
        format: Some(format.to_owned()),
        expression: None,
    };
    dated(
        example,
        format,
        Matcher::Time(Some(date_pattern(format))),
        generator,
    )
}

/// A text that contains `text` (the example is `text` itself).
pub fn include(text: &str) -> Term {
    Term::matching(text, Matcher::Include(text.to_owned()))
}

/// An object whose every key matches `key` (a term such as
/// `regex("[a-z]+", "a")`); the values are matched by `example`'s own
/// rules.
pub fn each_key(example: impl Into<Term>, key: impl Into<Term>) -> Term {
    let rules = key.into().each_rules();
    Term::matching(example, Matcher::EachKey(rules))
}

/// An object whose every value matches `value` (a term such as
/// `like(1)`).
pub fn each_value(example: impl Into<Term>, value: impl Into<Term>) -> Term {
    let value = value.into();
    let mut term = Term::matching(example, Matcher::EachValue(value.each_rules()));
    let nested = Term {
        rules: value
            .rules
            .into_iter()
            .filter(|(p, _)| !p.is_empty())
            .collect(),
        generators: Vec::new(),
        example: Value::Null,
    };
    term.adopt(nested, Step::AnyField);
    term
}

/// An array that contains, somewhere, an element matching each variant
/// (in any order, among any other elements). The example holds the
/// variants' examples.
pub fn array_contains(variants: impl IntoIterator<Item = Term>) -> Term {
    let variants: Vec<Term> = variants.into_iter().collect();
    let rules = variants
        .iter()
        .enumerate()
        .map(|(i, v)| v.variant(i))
        .collect();
    let example = Value::Array(variants.into_iter().map(|v| v.example).collect());
    Term::matching(example, Matcher::ArrayContains(rules))
}

/// A semantic version such as `1.2.3`.
pub fn semver(example: &str) -> Term {
    assert!(
        semver::Version::parse(example).is_ok(),
        "treaty: the example `{example}` is not a semantic version"
    );
    Term::matching(example, Matcher::Semver)
}

/// A response status in `class` (`example` is the status the mock
/// server answers with); for [`ResponseBuilder::status`](super::ResponseBuilder::status).
pub fn status_code(class: StatusClass, example: u16) -> Term {
    assert!(
        class.contains(example),
        "treaty: the status {example} is not {}",
        class.describe()
    );
    Term::matching(example, Matcher::StatusCode(class))
}

/// Any value of the same type as `example` that is not empty (a text,
/// array or object with something in it).
pub fn not_empty(example: impl Into<Term>) -> Term {
    Term::matching(example, Matcher::NotEmpty)
}

/// An array of at least one element like `template`; see [`EachLike`]
/// for bounds and the number of examples.
pub fn each_like(template: impl Into<Term>) -> EachLike {
    EachLike {
        template: template.into(),
        min: 1,
        max: None,
        examples: 1,
    }
}

/// An array whose elements all look like a template: built by
/// [`each_like`], used where a [`Term`] is expected.
#[derive(Debug, Clone)]
#[must_use = "an EachLike does nothing until used as a term"]
pub struct EachLike {
    template: Term,
    min: usize,
    max: Option<usize>,
    examples: usize,
}

impl EachLike {
    /// At least `min` elements (the example gets that many).
    pub fn at_least(mut self, min: usize) -> EachLike {
        self.min = min;
        self.examples = self.examples.max(min);
        self
    }

    /// At most `max` elements.
    pub fn at_most(mut self, max: usize) -> EachLike {
        self.max = Some(max);
        self.examples = self.examples.min(max.max(1));
        self
    }

    /// Put `n` copies of the template in the example.
    pub fn examples(mut self, n: usize) -> EachLike {
        self.examples = n;
        self
    }
}

impl From<EachLike> for Term {
    fn from(each: EachLike) -> Term {
        let element = each.template.example.clone();
        let mut term = Term::literal(Value::Array(vec![element; each.examples]));
        let matcher = match each.max {
            Some(max) => Matcher::MinMaxType(each.min, max),
            None => Matcher::MinType(each.min),
        };
        term.rules.push((Vec::new(), matcher));
        term.adopt(each.template, Step::AnyIndex);
        term
    }
}

/// An integer the contract's users replace with a random one in
/// `min..=max`.
pub fn random_int(min: i64, max: i64, example: i64) -> Term {
    integer(example).generated_by(Generator::RandomInt { min, max })
}

/// A decimal number the users replace with a random one of `digits`
/// digits.
pub fn random_decimal(digits: usize, example: f64) -> Term {
    decimal(example).generated_by(Generator::RandomDecimal { digits })
}

/// A text the users replace with a random alphanumeric one of `size`
/// characters.
pub fn random_string(size: usize, example: &str) -> Term {
    like(example).generated_by(Generator::RandomString { size })
}

/// A text of hexadecimal digits the users replace with random ones.
pub fn random_hex(digits: usize, example: &str) -> Term {
    regex("[0-9a-fA-F]+", example).generated_by(Generator::RandomHexadecimal { digits })
}

/// A boolean the users replace with a random one.
pub fn random_boolean(example: bool) -> Term {
    boolean(example).generated_by(Generator::RandomBoolean)
}

/// A UUID (lower case, hyphenated) the users replace with a random one.
pub fn uuid(example: &str) -> Term {
    regex(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        example,
    )
    .generated_by(Generator::Uuid {
        format: UuidFormat::LowerCaseHyphenated,
    })
}

/// A value the provider fills in from its provider state: `expression`
/// names the state's parameters (`"/orders/${id}"`, `"${id}"`); the
/// consumer side sees `example`, which must have the same type. A plain
/// example is matched by type; a term with a matcher keeps it.
pub fn from_provider_state(expression: &str, example: impl Into<Term>) -> Term {
    let term = example.into();
    let data_type = match term.example {
        Value::Number(ref n) if n.is_i64() || n.is_u64() => "INTEGER",
        Value::Number(_) => "DECIMAL",
        Value::Bool(_) => "BOOLEAN",
        _ => "STRING",
    };
    let generator = Generator::ProviderState {
        expression: expression.to_owned(),
        data_type: Some(data_type.to_owned()),
    };
    // A term with its own matcher (`integer(42)`) keeps it; a plain
    // example is matched by type, as the provider fills in another value.
    let term = if term.root_matchers().is_empty() {
        Term::matching(term, Matcher::Type)
    } else {
        term
    };
    term.generated_by(generator)
}

/// A URL whose base is the mock server's: `example` is a URL of the
/// real provider (`http://localhost:8080/orders/1`), `regex` matches it
/// with a group for the part after the base (`.*(/orders/\d+)$`).
pub fn mock_server_url(regex_text: &str, example: &str) -> Term {
    regex(regex_text, example).generated_by(Generator::MockServerUrl {
        example: example.to_owned(),
        regex: regex_text.to_owned(),
    })
}
