//! HAL: links of a resource (`_links`), templates (`{provider}`), and how
//! an href is resolved against the broker URL the user gave.

use serde_json::Value;

/// One link of a HAL resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The href, possibly a template.
    pub href: String,
    /// Whether `{name}` placeholders are to be expanded.
    pub templated: bool,
    /// The link's `name` (an environment name for `pb:record-deployment`).
    pub name: Option<String>,
    /// The link's `title`.
    pub title: Option<String>,
}

impl Link {
    fn from_value(value: &Value) -> Option<Link> {
        let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
        Some(Link {
            href: text("href")?,
            templated: value.get("templated").and_then(Value::as_bool) == Some(true),
            name: text("name"),
            title: text("title"),
        })
    }

    /// The href with each `{name}` replaced by its percent-encoded value
    /// (a `/` in a branch becomes `%2F`); untemplated links are returned as
    /// they are, as the Pact clients do.
    pub fn expand(&self, values: &[(&str, &str)]) -> String {
        if !self.templated {
            return self.href.clone();
        }
        let mut href = self.href.clone();
        for (name, value) in values {
            href = href.replace(&format!("{{{name}}}"), &encode(value));
        }
        href
    }
}

/// Every link under `relation` in a resource's `_links` (a relation may
/// hold one link or an array of them).
pub fn links(resource: &Value, relation: &str) -> Vec<Link> {
    match resource.get("_links").and_then(|l| l.get(relation)) {
        Some(Value::Array(items)) => items.iter().filter_map(Link::from_value).collect(),
        Some(value) => Link::from_value(value).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The first link under `relation`.
pub fn link(resource: &Value, relation: &str) -> Option<Link> {
    links(resource, relation).into_iter().next()
}

/// Percent-encodes a path segment or query value: everything but the
/// unreserved characters of RFC 3986.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Resolves an href against the broker base URL: the path and query of an
/// absolute href are re-applied to the base URL (a broker behind a proxy
/// may not know its public address), and the base URL's sub-path is
/// prepended when the href lacks it (so `/pact-broker` is kept).
pub fn resolve(base: &reqwest::Url, href: &str) -> String {
    let path_and_query = match reqwest::Url::parse(href) {
        Ok(url) => match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        },
        Err(_) if href.starts_with('/') => href.to_owned(),
        Err(_) => format!("/{href}"),
    };
    let prefix = base.path().trim_end_matches('/');
    let origin = base.origin().ascii_serialization();
    if prefix.is_empty()
        || path_and_query == prefix
        || path_and_query.starts_with(&format!("{prefix}/"))
        || path_and_query.starts_with(&format!("{prefix}?"))
    {
        format!("{origin}{path_and_query}")
    } else {
        format!("{origin}{prefix}{path_and_query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_expand_with_encoded_values_only_when_templated() {
        let doc = json!({"_links": {
            "t": {"href": "/p/{pacticipant}/branches/{branch}", "templated": true},
            "u": {"href": "/p/{pacticipant}"},
        }});
        let t = link(&doc, "t").unwrap();
        assert_eq!(
            t.expand(&[("pacticipant", "A B"), ("branch", "feat/x")]),
            "/p/A%20B/branches/feat%2Fx"
        );
        assert_eq!(
            link(&doc, "u").unwrap().expand(&[("pacticipant", "A")]),
            "/p/{pacticipant}"
        );
    }

    #[test]
    fn relations_hold_one_link_or_an_array() {
        let doc = json!({"_links": {"r": [{"href": "/a", "name": "prod"}, {"href": "/b"}]}});
        let all = links(&doc, "r");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].name.as_deref(), Some("prod"));
        assert!(links(&doc, "missing").is_empty());
    }

    #[test]
    fn hrefs_resolve_against_the_base_keeping_its_sub_path() {
        let base = reqwest::Url::parse("http://proxy:80/pact-broker").unwrap();
        assert_eq!(
            resolve(&base, "http://internal:9292/pact-broker/pacticipants/A"),
            "http://proxy/pact-broker/pacticipants/A"
        );
        assert_eq!(
            resolve(&base, "http://internal:9292/environments?x=1"),
            "http://proxy/pact-broker/environments?x=1"
        );
        assert_eq!(resolve(&base, "/matrix"), "http://proxy/pact-broker/matrix");
        let root = reqwest::Url::parse("http://b:9292/").unwrap();
        assert_eq!(resolve(&root, "http://b:9292/x"), "http://b:9292/x");
    }
}
