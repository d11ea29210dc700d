//! `ProviderState` generators: values the provider's state set-up returned,
//! substituted into `${name}` expressions and converted by `dataType`.
//!
//! * `${id}` alone keeps the value's JSON type (a number stays a number);
//! * `/users/${id}/orders/${order}` builds a string (strings are inserted
//!   as they are, `null` as nothing, other values as JSON text);
//! * an expression without `${` is a bare name, looked up whole (as Pact
//!   does): `id` is the same as `${id}`;
//! * `dataType` then converts: `RAW` (the default) keeps the result,
//!   `STRING`, `INTEGER`, `DECIMAL`/`FLOAT` and `BOOLEAN` convert it, and a
//!   value that does not convert is an error.
//!
//! A name the provider state does not supply is
//! [`GenerateError::MissingProviderState`], so the example value is kept.

use serde_json::{Map, Number, Value};

use super::GenerateError;

/// Evaluates an expression against the provider-state values.
pub(crate) fn evaluate(
    expression: &str,
    data_type: Option<&str>,
    state: &Map<String, Value>,
) -> Result<Value, GenerateError> {
    let data_type = DataType::parse(data_type)?;
    let raw = substitute(expression, state)?;
    data_type.convert(raw)
}

fn substitute(expression: &str, state: &Map<String, Value>) -> Result<Value, GenerateError> {
    let lookup = |name: &str| {
        state
            .get(name)
            .cloned()
            .ok_or_else(|| GenerateError::MissingProviderState {
                name: name.to_owned(),
                expression: expression.to_owned(),
            })
    };
    let parts = split(expression)?;
    match parts.as_slice() {
        [] => Ok(Value::String(String::new())),
        [Part::Name(name)] => lookup(name),
        [Part::Text(name)] => lookup(name.trim()),
        parts => {
            let mut out = String::new();
            for part in parts {
                match part {
                    Part::Text(text) => out.push_str(text),
                    Part::Name(name) => out.push_str(&as_text(&lookup(name)?)),
                }
            }
            Ok(Value::String(out))
        }
    }
}

#[derive(Debug, PartialEq)]
enum Part<'a> {
    Text(&'a str),
    Name(&'a str),
}

fn split(expression: &str) -> Result<Vec<Part<'_>>, GenerateError> {
    let bad = |reason| GenerateError::Expression {
        expression: expression.to_owned(),
        reason,
    };
    let mut parts = Vec::new();
    let mut rest = expression;
    while let Some(start) = rest.find("${") {
        if start > 0 {
            parts.push(Part::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| bad("`${` has no closing `}`"))?;
        let name = after[..end].trim();
        if name.is_empty() {
            return Err(bad("`${}` names nothing"));
        }
        parts.push(Part::Name(name));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    Ok(parts)
}

/// A JSON value as text: strings as they are, `null` as nothing, others as
/// JSON.
pub(crate) fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataType {
    Raw,
    String,
    Integer,
    Decimal,
    Boolean,
}

impl DataType {
    fn parse(name: Option<&str>) -> Result<DataType, GenerateError> {
        let Some(name) = name else {
            return Ok(DataType::Raw);
        };
        Ok(match name.to_ascii_uppercase().as_str() {
            "RAW" => DataType::Raw,
            "STRING" => DataType::String,
            "INTEGER" => DataType::Integer,
            "DECIMAL" | "FLOAT" => DataType::Decimal,
            "BOOLEAN" => DataType::Boolean,
            _ => {
                return Err(GenerateError::UnknownDataType {
                    data_type: name.to_owned(),
                })
            }
        })
    }

    fn convert(self, value: Value) -> Result<Value, GenerateError> {
        let fail = |value: &Value, data_type: &str| GenerateError::Conversion {
            value: value.to_string(),
            data_type: data_type.to_owned(),
        };
        match self {
            DataType::Raw => Ok(value),
            DataType::String => Ok(Value::String(as_text(&value))),
            DataType::Integer => to_integer(&value).ok_or_else(|| fail(&value, "INTEGER")),
            DataType::Decimal => to_decimal(&value).ok_or_else(|| fail(&value, "DECIMAL")),
            DataType::Boolean => to_bool(&value).ok_or_else(|| fail(&value, "BOOLEAN")),
        }
    }
}

fn to_integer(value: &Value) -> Option<Value> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(value.clone()),
        Value::Number(n) => {
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f.abs() < 9.0e15).then(|| Value::from(f as i64))
        }
        Value::String(s) => s.trim().parse::<i64>().ok().map(Value::from),
        _ => None,
    }
}

fn to_decimal(value: &Value) -> Option<Value> {
    let f = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    Number::from_f64(f).map(Value::Number)
}

fn to_bool(value: &Value) -> Option<Value> {
    match value {
        Value::Bool(_) => Some(value.clone()),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn state() -> Map<String, Value> {
        json!({"id": 1000, "name": "Mary", "ok": true, "price": "12.5", "none": null, "tags": ["a"]})
            .as_object()
            .unwrap()
            .clone()
    }

    fn eval(expression: &str, data_type: Option<&str>) -> Result<Value, GenerateError> {
        evaluate(expression, data_type, &state())
    }

    #[test]
    fn a_lone_expression_keeps_the_json_type() {
        assert_eq!(eval("${id}", None).unwrap(), json!(1000));
        assert_eq!(eval("${ ok }", None).unwrap(), json!(true));
        assert_eq!(eval("${tags}", None).unwrap(), json!(["a"]));
        assert_eq!(eval("id", None).unwrap(), json!(1000));
    }

    #[test]
    fn mixed_expressions_build_strings() {
        assert_eq!(eval("/path/${id}", None).unwrap(), json!("/path/1000"));
        assert_eq!(
            eval("${name}-${id}-${ok}-${none}!", None).unwrap(),
            json!("Mary-1000-true-!")
        );
        assert_eq!(
            eval("no names here ${id}", None).unwrap(),
            json!("no names here 1000")
        );
    }

    #[test]
    fn data_types_convert() {
        assert_eq!(eval("${id}", Some("STRING")).unwrap(), json!("1000"));
        assert_eq!(eval("${price}", Some("DECIMAL")).unwrap(), json!(12.5));
        assert_eq!(eval("${price}", Some("float")).unwrap(), json!(12.5));
        assert_eq!(eval("${id}", Some("INTEGER")).unwrap(), json!(1000));
        assert_eq!(eval("${id}0", Some("INTEGER")).unwrap(), json!(10000));
        assert_eq!(eval("${ok}", Some("BOOLEAN")).unwrap(), json!(true));
        assert_eq!(eval("${ok}", Some("RAW")).unwrap(), json!(true));
        assert_eq!(eval("${ok}", Some("Boolean")).unwrap(), json!(true));
    }

    #[test]
    fn conversion_failures_and_unknown_types_are_errors() {
        let err = eval("${name}", Some("INTEGER")).unwrap_err();
        assert!(matches!(err, GenerateError::Conversion { .. }), "{err}");
        let err = eval("${id}", Some("BOOLEAN")).unwrap_err();
        assert!(matches!(err, GenerateError::Conversion { .. }), "{err}");
        let err = eval("${id}", Some("DATE")).unwrap_err();
        assert!(
            matches!(err, GenerateError::UnknownDataType { .. }),
            "{err}"
        );
    }

    #[test]
    fn missing_names_are_missing_input() {
        let err = eval("/users/${userId}", None).unwrap_err();
        assert!(err.is_missing_input(), "{err}");
        assert!(
            matches!(err, GenerateError::MissingProviderState { ref name, .. } if name == "userId")
        );
        assert!(eval("nothing", None).unwrap_err().is_missing_input());
    }

    #[test]
    fn broken_expressions_are_errors() {
        for bad in ["${id", "a ${} b", "${"] {
            let err = eval(bad, None).unwrap_err();
            assert!(
                matches!(err, GenerateError::Expression { .. }),
                "{bad}: {err}"
            );
        }
    }
}
