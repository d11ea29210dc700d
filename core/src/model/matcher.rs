use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Map, Value};

use super::{Generator, RuleCategory};
use crate::datetime::DatePattern;

/// A regular expression from a contract. Pact regexes must match the whole
/// value (Java `matches()` semantics), so the compiled form is anchored.
///
/// Its syntax is checked when the contract is read; it is compiled when
/// first used, once per distinct regex in the process (contracts repeat the
/// same regexes across interactions, and a stub server loading thousands of
/// path patterns should not compile those it is never asked for).
#[derive(Clone)]
pub struct Pattern {
    source: String,
    compiled: Lazy,
}

/// A regex compiled on first use, shared by every pattern with its source;
/// `None` when it is too large to compile (it then matches nothing).
type Lazy = Arc<OnceLock<Option<regex::Regex>>>;

impl Pattern {
    /// Checks a contract regex. Java's `\Q...\E` quoting is understood.
    pub fn new(source: &str) -> Result<Pattern, regex::Error> {
        let cached = cache().lock().ok().and_then(|c| c.get(source).cloned());
        let compiled = match cached {
            Some(compiled) => compiled,
            None => {
                // The source must be a regex on its own: wrapped unchecked,
                // `a)|(b` would compile as `^(?:a)|(b)$`, which matches `axxx`.
                regex_syntax::Parser::new()
                    .parse(&translate_java_quotes(source))
                    .map_err(|e| regex::Error::Syntax(e.to_string()))?;
                let compiled = Lazy::default();
                if let Ok(mut cache) = cache().lock() {
                    if cache.len() >= CACHE_LIMIT {
                        cache.clear();
                    }
                    cache.insert(source.to_owned(), compiled.clone());
                }
                compiled
            }
        };
        Ok(Pattern {
            source: source.to_owned(),
            compiled,
        })
    }

    /// The regex as written in the contract.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// True when the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| compile(&self.source).ok())
            .as_ref()
            .is_some_and(|regex| regex.is_match(text))
    }
}

/// Distinct regexes kept; beyond this the cache starts over.
const CACHE_LIMIT: usize = 4096;

/// The compiled size a contract regex may reach (regex's default is 10 MB;
/// Unicode classes under large repetitions can exceed it).
const SIZE_LIMIT: usize = 256 << 20;

fn cache() -> &'static Mutex<HashMap<String, Lazy>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Lazy>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// Compiles the anchored form of a contract regex (its syntax was checked).
fn compile(source: &str) -> Result<regex::Regex, regex::Error> {
    let translated = translate_java_quotes(source);
    regex::RegexBuilder::new(&format!("^(?:{translated})$"))
        .size_limit(SIZE_LIMIT)
        .build()
}

/// Java regexes quote literal text with `\Q...\E`; Rust's regex does not.
fn translate_java_quotes(source: &str) -> std::borrow::Cow<'_, str> {
    if !source.contains("\\Q") {
        return source.into();
    }
    let mut out = String::new();
    let mut rest = source;
    while let Some(start) = rest.find("\\Q") {
        out.push_str(&rest[..start]);
        let quoted = &rest[start + 2..];
        let end = quoted.find("\\E").unwrap_or(quoted.len());
        out.push_str(&regex::escape(&quoted[..end]));
        rest = quoted.get(end + 2..).unwrap_or("");
    }
    out.push_str(rest);
    out.into()
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

/// The classes of status codes a `statusCode` matcher accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum StatusClass {
    /// 100–199.
    Info,
    /// 200–299.
    Success,
    /// 300–399.
    Redirect,
    /// 400–499.
    ClientError,
    /// 500–599.
    ServerError,
    /// 100–399.
    NonError,
    /// 400–599.
    Error,
    /// Exactly these codes.
    Codes(Vec<u16>),
}

impl StatusClass {
    /// True when `status` is in the class.
    pub fn contains(&self, status: u16) -> bool {
        match self {
            StatusClass::Info => (100..200).contains(&status),
            StatusClass::Success => (200..300).contains(&status),
            StatusClass::Redirect => (300..400).contains(&status),
            StatusClass::ClientError => (400..500).contains(&status),
            StatusClass::ServerError => (500..600).contains(&status),
            StatusClass::NonError => (100..400).contains(&status),
            StatusClass::Error => (400..600).contains(&status),
            StatusClass::Codes(codes) => codes.contains(&status),
        }
    }

    fn name(&self) -> Option<&'static str> {
        Some(match self {
            StatusClass::Info => "info",
            StatusClass::Success => "success",
            StatusClass::Redirect => "redirect",
            StatusClass::ClientError => "clientError",
            StatusClass::ServerError => "serverError",
            StatusClass::NonError => "nonError",
            StatusClass::Error => "error",
            StatusClass::Codes(_) => return None,
        })
    }

    /// A human description, e.g. `a Successful response (200–299)`.
    pub fn describe(&self) -> String {
        match self {
            StatusClass::Info => "an Informational response (100–199)".into(),
            StatusClass::Success => "a Successful response (200–299)".into(),
            StatusClass::Redirect => "a Redirect response (300–399)".into(),
            StatusClass::ClientError => "a Client Error response (400–499)".into(),
            StatusClass::ServerError => "a Server Error response (500–599)".into(),
            StatusClass::NonError => "a non-error response (100–399)".into(),
            StatusClass::Error => "an error response (400–599)".into(),
            StatusClass::Codes(codes) => format!("one of the statuses {codes:?}"),
        }
    }
}

/// The matchers of an `eachKey` or `eachValue` rule, and the example value
/// some writers (pact-reference) keep beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct EachRules {
    /// Matchers every key (or value) must satisfy.
    pub rules: Vec<Matcher>,
    /// The `value` field as written, kept to be written back.
    pub example: Option<Value>,
}

impl EachRules {
    fn read(
        def: &Map<String, Value>,
        read_variant: &mut dyn FnMut(&Value) -> Result<ArrayVariant, MatcherError>,
    ) -> Result<EachRules, MatcherError> {
        Ok(EachRules {
            rules: nested(def, read_variant)?,
            example: def.get("value").cloned(),
        })
    }

    fn to_json(&self, kind: &str) -> Value {
        let mut out = json!({"match": kind, "rules": list_json(&self.rules)});
        if let (Some(example), Value::Object(map)) = (&self.example, &mut out) {
            map.insert("value".into(), example.clone());
        }
        out
    }
}

/// One variant of an `arrayContains` matcher: an example element and the
/// rules an actual element must satisfy to count as that variant.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayVariant {
    /// Index of the example element in the expected array.
    pub index: usize,
    /// Rules relative to the element (`$` is the element).
    pub rules: RuleCategory,
    /// Generators relative to the element.
    pub generators: Vec<(super::DocPath, Generator)>,
}

/// A matching rule: how an actual value is compared with the example.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// Equal to the example.
    Equality,
    /// The whole value (as text) matches the regex.
    Regex(Pattern),
    /// Same JSON type as the example.
    Type,
    /// Same type; an array with at least this many elements.
    MinType(usize),
    /// Same type; an array with at most this many elements.
    MaxType(usize),
    /// Same type; an array whose length is within the bounds.
    MinMaxType(usize, usize),
    /// The value (as text) contains this text.
    Include(String),
    /// An integer (JSON number without fraction, or such text in V3+).
    Integer,
    /// A number with a fractional part.
    Decimal,
    /// Any number.
    Number,
    /// A boolean.
    Boolean,
    /// `null`.
    Null,
    /// A date in the given Java format (ISO-8601 when none).
    Date(Option<DatePattern>),
    /// A time in the given Java format (ISO-8601 when none).
    Time(Option<DatePattern>),
    /// A date-time in the given Java format (ISO-8601 when none).
    Timestamp(Option<DatePattern>),
    /// The body (or part) has this content type, detected from its bytes.
    ContentType(String),
    /// A map's values match the example's values regardless of keys.
    Values,
    /// Each key of a map satisfies these matchers.
    EachKey(EachRules),
    /// Each value of a map or array satisfies these matchers.
    EachValue(EachRules),
    /// The array contains, for each variant, an element matching it.
    ArrayContains(Vec<ArrayVariant>),
    /// A semantic version string.
    Semver,
    /// The status code is in the class.
    StatusCode(StatusClass),
    /// Not empty: a non-empty string, array or object, or any other value.
    NotEmpty,
}

/// Why a matcher definition could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatcherError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

fn err(message: impl Into<String>, hint: impl Into<String>) -> MatcherError {
    MatcherError {
        message: message.into(),
        hint: hint.into(),
    }
}

/// The `match` names treaty understands.
pub const MATCHER_NAMES: &[&str] = &[
    "equality",
    "regex",
    "type",
    "min",
    "max",
    "include",
    "integer",
    "decimal",
    "number",
    "boolean",
    "null",
    "date",
    "time",
    "timestamp",
    "datetime",
    "contentType",
    "content-type",
    "values",
    "eachKey",
    "eachValue",
    "arrayContains",
    "semver",
    "statusCode",
    "notEmpty",
];

impl Matcher {
    /// Reads one matcher object (`{"match": "regex", "regex": "\\d+"}`).
    /// `read_rules` reads nested rule lists (for `arrayContains`).
    pub fn from_json(
        def: &Map<String, Value>,
        read_variant: &mut dyn FnMut(&Value) -> Result<ArrayVariant, MatcherError>,
    ) -> Result<Matcher, MatcherError> {
        let kind = match def.get("match") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(other) => {
                return Err(err(
                    format!("`match` must be a string, found {other}"),
                    "write the matcher name as a string, e.g. \"match\": \"type\"",
                ))
            }
            None if def.contains_key("min") || def.contains_key("max") => "type",
            None if def.contains_key("regex") => "regex",
            // Legacy forms the specification's own V4 cases use.
            None if def.contains_key("timestamp") => "timestamp",
            None if def.contains_key("date") => "date",
            None if def.contains_key("time") => "time",
            None => {
                return Err(err(
                    "matcher has no `match` field",
                    "add \"match\": \"type\" (or regex, equality ...)",
                ))
            }
        };
        let kind = canonical(kind);
        let min = bound(def, "min")?;
        let max = bound(def, "max")?;
        Ok(match kind {
            "equality" => Matcher::Equality,
            "regex" => Matcher::Regex(pattern(def)?),
            "type" | "min" | "max" => match (min, max) {
                (Some(min), Some(max)) => Matcher::MinMaxType(min, max),
                (Some(min), None) => Matcher::MinType(min),
                (None, Some(max)) => Matcher::MaxType(max),
                (None, None) if kind == "type" => Matcher::Type,
                _ => {
                    return Err(err(
                        format!("a `{kind}` matcher needs a `{kind}` value"),
                        format!("add \"{kind}\": 1"),
                    ))
                }
            },
            "include" => Matcher::Include(string_field(def, "value", kind)?),
            "integer" => Matcher::Integer,
            "decimal" => Matcher::Decimal,
            "number" => Matcher::Number,
            "boolean" => Matcher::Boolean,
            "null" => Matcher::Null,
            "date" => Matcher::Date(format(def, "date")?),
            "time" => Matcher::Time(format(def, "time")?),
            "timestamp" | "datetime" => Matcher::Timestamp(format(def, "timestamp")?),
            "contentType" | "content-type" => {
                Matcher::ContentType(string_field(def, "value", kind)?)
            }
            "values" => Matcher::Values,
            "eachKey" => Matcher::EachKey(EachRules::read(def, read_variant)?),
            "eachValue" => Matcher::EachValue(EachRules::read(def, read_variant)?),
            "arrayContains" => Matcher::ArrayContains(variants(def, read_variant)?),
            "semver" => Matcher::Semver,
            "statusCode" => Matcher::StatusCode(status(def)?),
            "notEmpty" => Matcher::NotEmpty,
            other => {
                return Err(err(
                    format!("unknown matcher `{other}`"),
                    format!("use one of: {}", MATCHER_NAMES.join(", ")),
                ))
            }
        })
    }

    /// The matcher as written in a V3/V4 file.
    pub fn to_json(&self) -> Value {
        match self {
            Matcher::Equality => json!({"match": "equality"}),
            Matcher::Regex(p) => json!({"match": "regex", "regex": p.as_str()}),
            Matcher::Type => json!({"match": "type"}),
            Matcher::MinType(min) => json!({"match": "type", "min": min}),
            Matcher::MaxType(max) => json!({"match": "type", "max": max}),
            Matcher::MinMaxType(min, max) => json!({"match": "type", "min": min, "max": max}),
            Matcher::Include(v) => json!({"match": "include", "value": v}),
            Matcher::Integer => json!({"match": "integer"}),
            Matcher::Decimal => json!({"match": "decimal"}),
            Matcher::Number => json!({"match": "number"}),
            Matcher::Boolean => json!({"match": "boolean"}),
            Matcher::Null => json!({"match": "null"}),
            Matcher::Date(f) => with_format("date", f),
            Matcher::Time(f) => with_format("time", f),
            Matcher::Timestamp(f) => with_format("datetime", f),
            Matcher::ContentType(v) => json!({"match": "contentType", "value": v}),
            Matcher::Values => json!({"match": "values"}),
            Matcher::EachKey(each) => each.to_json("eachKey"),
            Matcher::EachValue(each) => each.to_json("eachValue"),
            Matcher::ArrayContains(variants) => json!({
                "match": "arrayContains",
                "variants": variants.iter().map(ArrayVariant::to_json).collect::<Vec<_>>(),
            }),
            Matcher::Semver => json!({"match": "semver"}),
            Matcher::StatusCode(class) => json!({
                "match": "statusCode",
                "status": match (class.name(), class) {
                    (Some(name), _) => json!(name),
                    (None, StatusClass::Codes(codes)) => json!(codes),
                    (None, _) => Value::Null,
                },
            }),
            Matcher::NotEmpty => json!({"match": "notEmpty"}),
        }
    }

    /// True for matchers that constrain the type of a value and cascade to
    /// its children (type, min/max type).
    pub fn is_type_matcher(&self) -> bool {
        matches!(
            self,
            Matcher::Type | Matcher::MinType(_) | Matcher::MaxType(_) | Matcher::MinMaxType(..)
        )
    }
}

impl ArrayVariant {
    fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("index".into(), json!(self.index));
        out.insert("rules".into(), self.rules.to_json_map());
        if !self.generators.is_empty() {
            let gens: Map<String, Value> = self
                .generators
                .iter()
                .map(|(p, g)| (p.as_str().to_owned(), g.to_json()))
                .collect();
            out.insert("generators".into(), Value::Object(gens));
        }
        Value::Object(out)
    }
}

pub(super) fn list_json(rules: &[Matcher]) -> Value {
    Value::Array(rules.iter().map(Matcher::to_json).collect())
}

fn with_format(kind: &str, format: &Option<DatePattern>) -> Value {
    match format {
        Some(f) => json!({"match": kind, "format": f.source()}),
        None => json!({"match": kind}),
    }
}

/// The kebab-case spellings and `real`, which pact-reference also reads.
fn canonical(kind: &str) -> &str {
    match kind {
        "min-type" => "min",
        "max-type" => "max",
        "real" => "decimal",
        "array-contains" => "arrayContains",
        "status-code" => "statusCode",
        "not-empty" => "notEmpty",
        "each-key" => "eachKey",
        "each-value" => "eachValue",
        other => other,
    }
}

fn bound(def: &Map<String, Value>, key: &str) -> Result<Option<usize>, MatcherError> {
    match def.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().map(|n| n as usize)),
        Some(Value::String(s)) if s.parse::<usize>().is_ok() => Ok(s.parse().ok()),
        Some(other) => Err(err(
            format!("`{key}` must be a non-negative integer, found {other}"),
            format!("write \"{key}\": 1"),
        )),
    }
}

fn pattern(def: &Map<String, Value>) -> Result<Pattern, MatcherError> {
    let source = string_field(def, "regex", "regex")?;
    Pattern::new(&source).map_err(|e| {
        let detail = e.to_string();
        let first = detail.lines().last().unwrap_or("").trim().to_owned();
        err(
            format!("regex `{source}` does not compile: {first}"),
            "fix the regular expression (lookaround and backreferences are not supported)",
        )
    })
}

fn string_field(def: &Map<String, Value>, key: &str, kind: &str) -> Result<String, MatcherError> {
    match def.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) if kind != "regex" && !other.is_null() => Ok(other.to_string()),
        _ => Err(err(
            format!("a `{kind}` matcher needs a string `{key}`"),
            format!("add \"{key}\": \"...\""),
        )),
    }
}

fn format(def: &Map<String, Value>, legacy_key: &str) -> Result<Option<DatePattern>, MatcherError> {
    let Some(text) = def
        .get("format")
        .or_else(|| def.get(legacy_key))
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    DatePattern::parse(text).map(Some).map_err(|e| {
        err(
            format!("date format `{text}` is invalid: {e}"),
            "use a Java DateTimeFormatter pattern such as yyyy-MM-dd'T'HH:mm:ss",
        )
    })
}

fn nested(
    def: &Map<String, Value>,
    read_variant: &mut dyn FnMut(&Value) -> Result<ArrayVariant, MatcherError>,
) -> Result<Vec<Matcher>, MatcherError> {
    let Some(Value::Array(rules)) = def.get("rules") else {
        return Err(err(
            "eachKey/eachValue needs a `rules` array",
            "add \"rules\": [{\"match\": \"type\"}]",
        ));
    };
    rules
        .iter()
        .map(|rule| match rule {
            Value::Object(obj) => Matcher::from_json(obj, read_variant),
            other => Err(err(
                format!("each rule must be an object, found {other}"),
                "write rules as {\"match\": ...} objects",
            )),
        })
        .collect()
}

fn variants(
    def: &Map<String, Value>,
    read_variant: &mut dyn FnMut(&Value) -> Result<ArrayVariant, MatcherError>,
) -> Result<Vec<ArrayVariant>, MatcherError> {
    match def.get("variants") {
        Some(Value::Array(variants)) => variants.iter().map(read_variant).collect(),
        _ => Err(err(
            "arrayContains needs a `variants` array",
            "add \"variants\": [{\"index\": 0, \"rules\": {}}]",
        )),
    }
}

fn status(def: &Map<String, Value>) -> Result<StatusClass, MatcherError> {
    let class = match def.get("status") {
        Some(Value::String(s)) => match s.as_str() {
            "info" | "information" => StatusClass::Info,
            "success" => StatusClass::Success,
            "redirect" => StatusClass::Redirect,
            "clientError" => StatusClass::ClientError,
            "serverError" => StatusClass::ServerError,
            "nonError" => StatusClass::NonError,
            "error" => StatusClass::Error,
            other => {
                return Err(err(
                    format!("unknown status class `{other}`"),
                    "use info, success, redirect, clientError, serverError, nonError, error or a list of codes",
                ))
            }
        },
        Some(Value::Array(codes)) => StatusClass::Codes(
            codes
                .iter()
                .map(|c| {
                    let code = c.as_u64().or_else(|| c.as_str()?.trim().parse().ok());
                    code.and_then(|c| u16::try_from(c).ok())
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| err("status codes must be integers", "write e.g. [200, 201]"))?,
        ),
        // pact-reference reads a missing status as "success".
        None | Some(Value::Null) => StatusClass::Success,
        Some(other) => {
            return Err(err(
                format!("`status` must be a class name or a list of codes, found {other}"),
                "write \"status\": \"success\" or \"status\": [200, 201]",
            ))
        }
    };
    Ok(class)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(v: Value) -> Result<Matcher, MatcherError> {
        Matcher::from_json(v.as_object().unwrap(), &mut |_| Err(err("x", "y")))
    }

    #[test]
    fn reads_every_form() {
        assert_eq!(read(json!({"min": 1})).unwrap(), Matcher::MinType(1));
        assert_eq!(
            read(json!({"match": "type", "min": 1, "max": 3})).unwrap(),
            Matcher::MinMaxType(1, 3)
        );
        assert_eq!(
            read(json!({"match": "date", "date": "yyyy"})).unwrap(),
            Matcher::Date(Some(DatePattern::parse("yyyy").unwrap()))
        );
        assert_eq!(
            read(json!({"match": "statusCode", "status": [200, 201]})).unwrap(),
            Matcher::StatusCode(StatusClass::Codes(vec![200, 201]))
        );
        assert!(read(json!({"match": "bogus"}))
            .unwrap_err()
            .message
            .contains("unknown matcher"));
        assert!(read(json!({"match": "regex", "regex": "("}))
            .unwrap_err()
            .message
            .contains("does not compile"));
        assert!(read(json!({"match": "type", "min": -1})).is_err());
    }

    #[test]
    fn reads_the_aliases_and_legacy_forms_pact_reference_reads() {
        assert_eq!(read(json!({"match": "real"})).unwrap(), Matcher::Decimal);
        assert_eq!(
            read(json!({"match": "min-type", "min": 2})).unwrap(),
            Matcher::MinType(2)
        );
        assert_eq!(
            read(json!({"match": "not-empty"})).unwrap(),
            Matcher::NotEmpty
        );
        assert_eq!(
            read(json!({"timestamp": "yyyy"})).unwrap(),
            Matcher::Timestamp(Some(DatePattern::parse("yyyy").unwrap()))
        );
        assert_eq!(
            read(json!({"match": "status-code"})).unwrap(),
            Matcher::StatusCode(StatusClass::Success)
        );
        assert_eq!(
            read(json!({"match": "statusCode", "status": ["200", 404]})).unwrap(),
            Matcher::StatusCode(StatusClass::Codes(vec![200, 404]))
        );
    }

    #[test]
    fn regexes_match_whole_values() {
        let p = Pattern::new("\\d+").unwrap();
        assert!(p.is_match("123"));
        assert!(!p.is_match("a123"));
        let alt = Pattern::new("red|blue").unwrap();
        assert!(alt.is_match("blue") && !alt.is_match("redblue"));
        let quoted = Pattern::new("\\Qa.b\\E\\d").unwrap();
        assert!(quoted.is_match("a.b1") && !quoted.is_match("axb1"));
    }

    #[test]
    fn round_trips_through_json() {
        for v in [
            json!({"match": "regex", "regex": "\\d+"}),
            json!({"match": "type", "min": 0}),
            json!({"match": "eachKey", "rules": [{"match": "regex", "regex": "[a-z]+"}]}),
            json!({"match": "statusCode", "status": "success"}),
            json!({"match": "datetime", "format": "yyyy"}),
        ] {
            assert_eq!(read(v.clone()).unwrap().to_json(), v);
        }
    }
}
