//! One generator applied to one value.

use chrono::{DateTime, FixedOffset, Local};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde_json::{Number, Value};

use super::dates::{self, DateKind};
use super::provider_state::{self, as_text};
use super::{random, regex_gen, GenerateError, GeneratorContext};
use crate::model::Generator;

/// Generates a value for `current` (the example) with one generator.
///
/// A generator that does not apply in the context's mode
/// ([`GeneratorMode::applies_to`](super::GeneratorMode::applies_to))
/// returns `current` unchanged. Missing context input (a provider-state
/// value, the mock server URL) is an error for which
/// [`GenerateError::is_missing_input`] is true; the request, response and
/// message functions keep the example then.
///
/// The kind of the result follows the generator, except that `RandomInt`
/// and `RandomDecimal` give text when the example is a string (`"42"`), so a
/// type matcher on the example still matches. `RandomBoolean` always gives a
/// JSON boolean, as Pact does.
pub fn generate_value(
    generator: &Generator,
    current: &Value,
    ctx: &GeneratorContext,
) -> Result<Value, GenerateError> {
    Session::new(ctx).value(generator, current)
}

/// One run of generators: the context, one random source and one clock
/// reading, so every date in a request agrees. Both are made on first use:
/// most requests have no generator, and seeding from the system's entropy
/// is a system call.
pub(crate) struct Session<'c> {
    ctx: &'c GeneratorContext,
    rng: Option<StdRng>,
    now: Option<DateTime<FixedOffset>>,
}

impl<'c> Session<'c> {
    pub(crate) fn new(ctx: &'c GeneratorContext) -> Session<'c> {
        Session {
            ctx,
            rng: None,
            now: ctx.now,
        }
    }

    /// The session's random source.
    fn rng(&mut self) -> &mut StdRng {
        let seed = self.ctx.seed;
        self.rng.get_or_insert_with(|| match seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_entropy(),
        })
    }

    /// The session's clock reading.
    fn now(&mut self) -> DateTime<FixedOffset> {
        *self.now.get_or_insert_with(|| Local::now().fixed_offset())
    }

    /// True when the generator runs in this session's mode.
    pub(crate) fn applies(&self, generator: &Generator) -> bool {
        self.ctx.mode.applies_to(generator)
    }

    pub(crate) fn value(
        &mut self,
        generator: &Generator,
        current: &Value,
    ) -> Result<Value, GenerateError> {
        if !self.applies(generator) {
            return Ok(current.clone());
        }
        let rng: &mut dyn RngCore = self.rng();
        Ok(match generator {
            Generator::RandomInt { min, max } => {
                like(current, Value::from(random::int(rng, *min, *max)?))
            }
            Generator::RandomDecimal { digits } => decimal(rng, *digits, current)?,
            Generator::RandomHexadecimal { digits } => Value::String(random::hex(rng, *digits)?),
            Generator::RandomString { size } => Value::String(random::alphanumeric(rng, *size)?),
            Generator::RandomBoolean => Value::Bool(rng.gen()),
            Generator::Regex { regex } => Value::String(regex_gen::generate(regex, rng)?),
            Generator::Uuid { format } => Value::String(random::uuid(rng, *format)),
            Generator::Date { format, expression } => {
                self.date(DateKind::Date, format, expression)?
            }
            Generator::Time { format, expression } => {
                self.date(DateKind::Time, format, expression)?
            }
            Generator::DateTime { format, expression } => {
                self.date(DateKind::DateTime, format, expression)?
            }
            Generator::ProviderState {
                expression,
                data_type,
            } => provider_state::evaluate(
                expression,
                data_type.as_deref(),
                &self.ctx.provider_state,
            )?,
            Generator::MockServerUrl { example, regex } => Value::String(mock_server_url(
                example,
                regex,
                current,
                self.ctx.mock_server_url.as_deref(),
            )?),
        })
    }

    fn date(
        &mut self,
        kind: DateKind,
        format: &Option<String>,
        expression: &Option<String>,
    ) -> Result<Value, GenerateError> {
        let now = self.now();
        dates::generate(kind, format.as_deref(), expression.as_deref(), now).map(Value::String)
    }
}

/// The generated value as text when the example is a string.
fn like(current: &Value, generated: Value) -> Value {
    match current {
        Value::String(_) => Value::String(as_text(&generated)),
        _ => generated,
    }
}

/// A decimal: text for a string example (or none), a JSON number for a
/// number example (its last digit non-zero so the digit count survives).
fn decimal(rng: &mut dyn RngCore, digits: usize, current: &Value) -> Result<Value, GenerateError> {
    if !current.is_number() {
        return random::decimal(rng, digits, false).map(Value::String);
    }
    let text = random::decimal(rng, digits, true)?;
    let number = match text.parse::<i64>() {
        Ok(n) => Some(Number::from(n)),
        Err(_) => text.parse::<f64>().ok().and_then(Number::from_f64),
    };
    number
        .map(Value::Number)
        .ok_or_else(|| GenerateError::invalid("RandomDecimal", format!("{text} is not a number")))
}

/// The example URL with the part the regex matches replaced by the mock
/// server URL followed by the regex's first group (the part to keep).
///
/// The generator's `example` is used when the regex matches it (as Pact
/// does), the current value otherwise.
fn mock_server_url(
    example: &str,
    regex: &str,
    current: &Value,
    url: Option<&str>,
) -> Result<String, GenerateError> {
    let fail = |reason: String| GenerateError::Regex {
        regex: regex.to_owned(),
        reason,
    };
    let re = regex::Regex::new(regex).map_err(|e| fail(e.to_string()))?;
    if re.captures_len() < 2 {
        return Err(fail(
            "a MockServerURL regex needs a group around the part to keep".into(),
        ));
    }
    let url = url.ok_or(GenerateError::MissingMockServerUrl)?;
    for text in [Some(example), current.as_str()].into_iter().flatten() {
        let Some(caps) = re.captures(text) else {
            continue;
        };
        let Some(whole) = caps.get(0) else {
            continue;
        };
        let kept = caps.get(1).map_or("", |m| m.as_str());
        let base = match kept.starts_with('/') {
            true => url.trim_end_matches('/'),
            false => url,
        };
        return Ok(format!(
            "{}{base}{kept}{}",
            &text[..whole.start()],
            &text[whole.end()..]
        ));
    }
    Err(GenerateError::MockServerUrlNoMatch {
        regex: regex.to_owned(),
        example: example.to_owned(),
    })
}

#[cfg(test)]
#[path = "value_tests.rs"]
mod tests;
