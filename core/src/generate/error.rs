/// Why a generator could not produce a value.
///
/// Two variants are *missing input* ([`GenerateError::is_missing_input`]):
/// a provider-state value or mock server URL that the context does not
/// supply. [`generate_request`](super::generate_request) and its siblings
/// keep the example value in that case, as Pact does; every other error
/// means the contract (or the generator) is wrong and is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// A provider-state expression names a value the context lacks.
    #[error("the provider state supplies no value `{name}` (expression `{expression}`)")]
    MissingProviderState {
        /// The missing name.
        name: String,
        /// The whole expression.
        expression: String,
    },
    /// A `MockServerURL` generator ran without a mock server URL.
    #[error("no mock server URL is known, so the MockServerURL generator cannot run")]
    MissingMockServerUrl,
    /// A generator's own settings are unusable (RandomInt min above max,
    /// zero digits, a size too large to generate).
    #[error("{generator} generator: {reason}")]
    InvalidGenerator {
        /// The generator's type name.
        generator: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A regex that cannot be parsed or generated from.
    #[error("cannot generate a value from regex `{regex}`: {reason}")]
    Regex {
        /// The regex as written.
        regex: String,
        /// What went wrong.
        reason: String,
    },
    /// A date/time expression that cannot be read.
    #[error("invalid date expression `{expression}` at character {position}: {reason}")]
    DateExpression {
        /// The expression as written.
        expression: String,
        /// 0-based character offset of the problem.
        position: usize,
        /// What was expected.
        reason: String,
    },
    /// A date/time format pattern that cannot be read.
    #[error("invalid date format `{format}`: {reason}")]
    DateFormat {
        /// The Java pattern as written.
        format: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A provider-state expression with broken `${...}` syntax.
    #[error("invalid provider state expression `{expression}`: {reason}")]
    Expression {
        /// The expression as written.
        expression: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A `dataType` treaty does not know.
    #[error("unknown dataType `{data_type}`: use STRING, INTEGER, DECIMAL, FLOAT, BOOLEAN or RAW")]
    UnknownDataType {
        /// The type as written.
        data_type: String,
    },
    /// A provider-state value that cannot be converted to its `dataType`.
    #[error("cannot convert {value} to {data_type}")]
    Conversion {
        /// The value, as JSON text.
        value: String,
        /// The requested type.
        data_type: String,
    },
    /// A `MockServerURL` regex that matches neither the example nor the
    /// current value.
    #[error("MockServerURL regex `{regex}` does not match the example `{example}`")]
    MockServerUrlNoMatch {
        /// The regex.
        regex: String,
        /// The example URL.
        example: String,
    },
    /// A generated value that does not fit its place (a status that is not
    /// a number, a path that is an object).
    #[error("generated {part} {value} is not usable: {reason}")]
    InvalidPart {
        /// `path`, `status`, `header`, ...
        part: &'static str,
        /// The generated value, as JSON text.
        value: String,
        /// Why it does not fit.
        reason: &'static str,
    },
    /// A body generator at a path the body's content type cannot address.
    #[error(
        "cannot apply a generator at `{path}` to a {content_type} body: only JSON and form \
         bodies support paths; other bodies take a whole-body generator at `$`"
    )]
    UnsupportedBody {
        /// The generator's path.
        path: String,
        /// The body's content type (`unknown` when none).
        content_type: String,
    },
    /// An error located at one generator of a request, response or message.
    #[error("{category} generator at `{key}` failed")]
    At {
        /// The category (`body`, `header`, `path` ...).
        category: &'static str,
        /// The generator's key: a body path, header or query name, or empty.
        key: String,
        /// What went wrong there.
        #[source]
        source: Box<GenerateError>,
    },
}

impl GenerateError {
    /// True when the context lacked an input (provider-state value, mock
    /// server URL): callers keep the example value instead of failing.
    pub fn is_missing_input(&self) -> bool {
        match self {
            GenerateError::MissingProviderState { .. } | GenerateError::MissingMockServerUrl => {
                true
            }
            GenerateError::At { source, .. } => source.is_missing_input(),
            _ => false,
        }
    }

    /// The innermost error, below any [`GenerateError::At`] locations.
    pub fn root(&self) -> &GenerateError {
        match self {
            GenerateError::At { source, .. } => source.root(),
            other => other,
        }
    }

    pub(crate) fn at(self, category: &'static str, key: &str) -> GenerateError {
        GenerateError::At {
            category,
            key: key.to_owned(),
            source: Box::new(self),
        }
    }

    pub(crate) fn invalid(generator: &'static str, reason: impl Into<String>) -> GenerateError {
        GenerateError::InvalidGenerator {
            generator,
            reason: reason.into(),
        }
    }
}

/// `Ok(Some(v))` for a value, `Ok(None)` when input was missing (keep the
/// example), the error otherwise.
pub(crate) fn keep_on_missing<T>(
    result: Result<T, GenerateError>,
) -> Result<Option<T>, GenerateError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.is_missing_input() => Ok(None),
        Err(e) => Err(e),
    }
}
