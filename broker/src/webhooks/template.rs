//! `${pactbroker.name}` substitution in webhook URLs, headers and bodies.

use std::collections::BTreeMap;

use serde_json::Value;

/// Template parameters for one event (names without the `pactbroker.`
/// prefix). Unknown parameters render as empty strings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    params: BTreeMap<&'static str, String>,
}

impl Context {
    pub(crate) fn new(params: BTreeMap<&'static str, String>) -> Context {
        Context { params }
    }

    pub(crate) fn set(&mut self, name: &'static str, value: String) {
        self.params.insert(name, value);
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// Substitutes every `${pactbroker.x}` in `text`.
    pub(crate) fn substitute(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${pactbroker.") {
            out.push_str(&rest[..start]);
            let after = &rest[start + "${pactbroker.".len()..];
            match after.find('}') {
                Some(end) => {
                    out.push_str(self.get(&after[..end]).unwrap_or_default());
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Substitutes inside every string of a JSON value (keys stay).
fn substitute_value(value: &Value, context: &Context) -> Value {
    match value {
        Value::String(s) => Value::String(context.substitute(s)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| substitute_value(v, context)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), substitute_value(v, context)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Renders a webhook's `request` for an event: URL, header values and
/// body substituted; method, credentials and the rest copied.
pub(crate) fn render(request: &Value, context: &Context) -> Value {
    let mut out = request.clone();
    if let Some(url) = request["url"].as_str() {
        out["url"] = Value::String(context.substitute(url));
    }
    if request["headers"].is_object() {
        out["headers"] = substitute_value(&request["headers"], context);
    }
    if !request["body"].is_null() {
        out["body"] = substitute_value(&request["body"], context);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_known_and_blanks_unknown() {
        let mut context = Context::default();
        context.set("consumerName", "Foo".into());
        assert_eq!(
            context
                .substitute("a=${pactbroker.consumerName}&b=${pactbroker.nope}&c=${pactbroker.x"),
            "a=Foo&b=&c=${pactbroker.x"
        );
    }

    #[test]
    fn renders_url_headers_and_body() {
        let mut context = Context::default();
        context.set("providerName", "Bar \"q\"".into());
        let request = serde_json::json!({
            "method": "POST", "url": "http://h/${pactbroker.providerName}",
            "headers": {"X-P": "${pactbroker.providerName}"},
            "body": {"p": ["${pactbroker.providerName}"]},
        });
        let out = render(&request, &context);
        assert_eq!(out["url"], "http://h/Bar \"q\"");
        assert_eq!(out["headers"]["X-P"], "Bar \"q\"");
        assert_eq!(out["body"]["p"][0], "Bar \"q\"");
    }
}
