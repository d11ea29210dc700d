use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::matcher::MatcherError;
use super::{Category, DocPath};

/// The text forms a [`Generator::Uuid`] can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UuidFormat {
    /// 32 lower-case hex digits, no hyphens.
    Simple,
    /// `xxxxxxxx-xxxx-...` in lower case (the default).
    #[default]
    LowerCaseHyphenated,
    /// `XXXXXXXX-XXXX-...` in upper case.
    UpperCaseHyphenated,
    /// `urn:uuid:xxxxxxxx-...`.
    Urn,
}

impl UuidFormat {
    fn as_str(self) -> &'static str {
        match self {
            UuidFormat::Simple => "simple",
            UuidFormat::LowerCaseHyphenated => "lower-case-hyphenated",
            UuidFormat::UpperCaseHyphenated => "upper-case-hyphenated",
            UuidFormat::Urn => "URN",
        }
    }
}

/// A generator: how to replace an example value with a fresh one when the
/// contract is used (random values, dates, values from provider states, the
/// mock server's URL).
#[derive(Debug, Clone, PartialEq)]
pub enum Generator {
    /// A random integer in `min..=max`.
    RandomInt {
        /// Lower bound.
        min: i64,
        /// Upper bound.
        max: i64,
    },
    /// A random decimal number with this many digits.
    RandomDecimal {
        /// Number of digits.
        digits: usize,
    },
    /// A random string of hex digits.
    RandomHexadecimal {
        /// Number of digits.
        digits: usize,
    },
    /// A random alphanumeric string.
    RandomString {
        /// Length.
        size: usize,
    },
    /// A random boolean.
    RandomBoolean,
    /// A random string matching a regex.
    Regex {
        /// The regex.
        regex: String,
    },
    /// A random UUID.
    Uuid {
        /// Text form.
        format: UuidFormat,
    },
    /// The current date (plus an expression), formatted.
    Date {
        /// Java date format; ISO when absent.
        format: Option<String>,
        /// Offset expression such as `+ 1 day`.
        expression: Option<String>,
    },
    /// The current time (plus an expression), formatted.
    Time {
        /// Java time format; ISO when absent.
        format: Option<String>,
        /// Offset expression such as `+ 2 hours`.
        expression: Option<String>,
    },
    /// The current date-time (plus an expression), formatted.
    DateTime {
        /// Java date-time format; ISO when absent.
        format: Option<String>,
        /// Offset expression.
        expression: Option<String>,
    },
    /// A value filled from provider-state data: `${name}` expressions.
    ProviderState {
        /// The expression, e.g. `/users/${id}`.
        expression: String,
        /// The type to convert the result to (`STRING`, `INTEGER`, ...).
        data_type: Option<String>,
    },
    /// The mock server's URL replacing the example's base.
    MockServerUrl {
        /// The example URL.
        example: String,
        /// Regex whose first group is the part to keep.
        regex: String,
    },
}

/// The generator `type` names treaty understands.
pub const GENERATOR_NAMES: &[&str] = &[
    "RandomInt",
    "RandomDecimal",
    "RandomHexadecimal",
    "RandomString",
    "RandomBoolean",
    "Regex",
    "Uuid",
    "Date",
    "Time",
    "DateTime",
    "ProviderState",
    "MockServerURL",
];

fn err(message: impl Into<String>, hint: impl Into<String>) -> MatcherError {
    MatcherError {
        message: message.into(),
        hint: hint.into(),
    }
}

impl Generator {
    /// Reads a generator object (`{"type": "RandomInt", "min": 0, "max": 9}`).
    pub fn from_json(def: &Map<String, Value>) -> Result<Generator, MatcherError> {
        let Some(kind) = def.get("type").and_then(Value::as_str) else {
            return Err(err(
                "generator has no `type`",
                "add \"type\": \"RandomInt\" (or another generator)",
            ));
        };
        let int = |key: &str, default: i64| -> Result<i64, MatcherError> {
            match def.get(key) {
                None | Some(Value::Null) => Ok(default),
                Some(v) => v
                    .as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                    .ok_or_else(|| {
                        err(
                            format!("`{key}` must be an integer, found {v}"),
                            format!("write \"{key}\": 10"),
                        )
                    }),
            }
        };
        let size = |key: &str, default: usize| -> Result<usize, MatcherError> {
            let n = int(key, default as i64)?;
            usize::try_from(n).map_err(|_| {
                err(
                    format!("`{key}` must not be negative"),
                    format!("write \"{key}\": 10"),
                )
            })
        };
        let text = |key: &str| def.get(key).and_then(Value::as_str).map(str::to_owned);
        let required = |key: &str| {
            text(key).ok_or_else(|| {
                err(
                    format!("a {kind} generator needs a string `{key}`"),
                    format!("add \"{key}\": \"...\""),
                )
            })
        };
        Ok(match kind {
            "RandomInt" => {
                let (min, max) = (int("min", 0)?, int("max", 2147483647)?);
                if min > max {
                    return Err(err(
                        format!("RandomInt min {min} is above max {max}"),
                        "swap min and max",
                    ));
                }
                Generator::RandomInt { min, max }
            }
            "RandomDecimal" => Generator::RandomDecimal {
                digits: size("digits", 10)?,
            },
            "RandomHexadecimal" => Generator::RandomHexadecimal {
                digits: size("digits", 10)?,
            },
            "RandomString" => Generator::RandomString {
                size: size("size", 10)?,
            },
            "RandomBoolean" => Generator::RandomBoolean,
            "Regex" => {
                let regex = required("regex")?;
                if let Err(e) = regex_syntax_check(&regex) {
                    return Err(err(
                        format!("regex `{regex}` does not compile: {e}"),
                        "fix the regular expression",
                    ));
                }
                Generator::Regex { regex }
            }
            "Uuid" => Generator::Uuid {
                format: match text("format").as_deref() {
                    None | Some("lower-case-hyphenated") => UuidFormat::LowerCaseHyphenated,
                    Some("simple") => UuidFormat::Simple,
                    Some("upper-case-hyphenated") => UuidFormat::UpperCaseHyphenated,
                    Some("URN") | Some("urn") => UuidFormat::Urn,
                    Some(other) => {
                        return Err(err(
                            format!("unknown UUID format `{other}`"),
                            "use simple, lower-case-hyphenated, upper-case-hyphenated or URN",
                        ))
                    }
                },
            },
            "Date" => Generator::Date {
                format: text("format"),
                expression: text("expression"),
            },
            "Time" => Generator::Time {
                format: text("format"),
                expression: text("expression"),
            },
            "DateTime" | "Timestamp" => Generator::DateTime {
                format: text("format"),
                expression: text("expression"),
            },
            "ProviderState" => Generator::ProviderState {
                expression: required("expression")?,
                data_type: text("dataType"),
            },
            "MockServerURL" => Generator::MockServerUrl {
                example: required("example")?,
                regex: required("regex")?,
            },
            other => {
                return Err(err(
                    format!("unknown generator `{other}`"),
                    format!("use one of: {}", GENERATOR_NAMES.join(", ")),
                ))
            }
        })
    }

    /// The generator as written in a V3/V4 file.
    pub fn to_json(&self) -> Value {
        let dated = |kind: &str, format: &Option<String>, expression: &Option<String>| {
            let mut m = Map::new();
            m.insert("type".into(), json!(kind));
            if let Some(f) = format {
                m.insert("format".into(), json!(f));
            }
            if let Some(e) = expression {
                m.insert("expression".into(), json!(e));
            }
            Value::Object(m)
        };
        match self {
            Generator::RandomInt { min, max } => {
                json!({"type": "RandomInt", "min": min, "max": max})
            }
            Generator::RandomDecimal { digits } => {
                json!({"type": "RandomDecimal", "digits": digits})
            }
            Generator::RandomHexadecimal { digits } => {
                json!({"type": "RandomHexadecimal", "digits": digits})
            }
            Generator::RandomString { size } => json!({"type": "RandomString", "size": size}),
            Generator::RandomBoolean => json!({"type": "RandomBoolean"}),
            Generator::Regex { regex } => json!({"type": "Regex", "regex": regex}),
            Generator::Uuid { format } => json!({"type": "Uuid", "format": format.as_str()}),
            Generator::Date { format, expression } => dated("Date", format, expression),
            Generator::Time { format, expression } => dated("Time", format, expression),
            Generator::DateTime { format, expression } => dated("DateTime", format, expression),
            Generator::ProviderState {
                expression,
                data_type,
            } => match data_type {
                Some(t) => {
                    json!({"type": "ProviderState", "expression": expression, "dataType": t})
                }
                None => json!({"type": "ProviderState", "expression": expression}),
            },
            Generator::MockServerUrl { example, regex } => {
                json!({"type": "MockServerURL", "example": example, "regex": regex})
            }
        }
    }
}

/// Checks a generator's regex without compiling it (the generator walks
/// its syntax tree).
fn regex_syntax_check(regex: &str) -> Result<(), String> {
    regex_syntax::Parser::new()
        .parse(regex)
        .map(|_| ())
        .map_err(|e| e.to_string().lines().last().unwrap_or("").trim().to_owned())
}

/// All generators of a request, response or message, by category and key
/// (body path, header or query name, [`DocPath::whole`] for path/status).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Generators {
    /// Generators by category, then key.
    pub categories: BTreeMap<Category, BTreeMap<DocPath, Generator>>,
}

impl Generators {
    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.categories.values().all(BTreeMap::is_empty)
    }

    /// Adds (or replaces) a generator.
    pub fn add(&mut self, category: Category, key: DocPath, generator: Generator) {
        self.categories
            .entry(category)
            .or_default()
            .insert(key, generator);
    }

    /// The generators of a category.
    pub fn category(&self, category: Category) -> Option<&BTreeMap<DocPath, Generator>> {
        self.categories.get(&category).filter(|c| !c.is_empty())
    }
}
