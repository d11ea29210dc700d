//! Building absolute links: the external base URL of a request and
//! percent-encoded path segments.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::state::AppState;

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment (`/` included).
pub(crate) fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// The base URL links are built on, for one request.
#[derive(Debug, Clone)]
pub(crate) struct Links {
    base: String,
}

impl Links {
    /// Links under a base URL (no trailing slash).
    pub(crate) fn new(base: impl Into<String>) -> Links {
        Links {
            base: base.into().trim_end_matches('/').to_owned(),
        }
    }

    /// An absolute URL from encoded path segments.
    pub(crate) fn url(&self, segments: &[&str]) -> String {
        let mut url = self.base.clone();
        for segment in segments {
            url.push('/');
            url.push_str(&encode(segment));
        }
        if segments.is_empty() {
            url.push('/');
        }
        url
    }

    /// An absolute URL from a path written as is (templates, fixed paths).
    pub(crate) fn raw(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A HAL link object.
    pub(crate) fn link(&self, segments: &[&str]) -> Value {
        json!({"href": self.url(segments)})
    }

    /// A templated HAL link.
    pub(crate) fn template(&self, path: &str, title: &str) -> Value {
        json!({"href": self.raw(path), "title": title, "templated": true})
    }
}

/// The external base: the configured public URL, else `X-Forwarded-*`,
/// else the `Host` header over http.
fn base_url(public_url: Option<&str>, headers: &HeaderMap) -> String {
    if let Some(url) = public_url {
        return url.to_owned();
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty() && !v.contains(['/', ' ', '\\', '@', '?', '#']))
    };
    let scheme = header("x-forwarded-proto")
        .filter(|s| s == "http" || s == "https")
        .unwrap_or_else(|| "http".to_owned());
    let host = header("x-forwarded-host")
        .or_else(|| header("host"))
        .unwrap_or_else(|| "localhost".to_owned());
    let host = match header("x-forwarded-port").filter(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        Some(port) if !host.contains(':') && !is_default_port(&scheme, &port) => {
            format!("{host}:{port}")
        }
        _ => host,
    };
    let prefix = headers
        .get("x-forwarded-prefix")
        .and_then(|v| v.to_str().ok())
        .map(|p| p.trim().trim_end_matches('/'))
        .filter(|p| p.starts_with('/') && !p.contains(['?', '#', ' ']))
        .unwrap_or("");
    format!("{scheme}://{host}{prefix}")
}

fn is_default_port(scheme: &str, port: &str) -> bool {
    (scheme == "http" && port == "80") || (scheme == "https" && port == "443")
}

impl FromRequestParts<AppState> for Links {
    type Rejection = BrokerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Links, BrokerError> {
        Ok(Links::new(base_url(
            state.public_url.as_deref(),
            &parts.headers,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn base_follows_config_then_forwarded_headers_then_host() {
        let h = headers(&[("host", "broker:9292")]);
        assert_eq!(
            base_url(Some("https://x.example/b"), &h),
            "https://x.example/b"
        );
        assert_eq!(base_url(None, &h), "http://broker:9292");
        let h = headers(&[
            ("host", "internal:9292"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "ci.example.com"),
            ("x-forwarded-port", "8443"),
            ("x-forwarded-prefix", "/pact-broker/"),
        ]);
        assert_eq!(
            base_url(None, &h),
            "https://ci.example.com:8443/pact-broker"
        );
    }

    #[test]
    fn segments_are_percent_encoded() {
        let links = Links::new("http://b/");
        assert_eq!(
            links.url(&["pacticipants", "feat/x ü"]),
            "http://b/pacticipants/feat%2Fx%20%C3%BC"
        );
        assert_eq!(links.url(&[]), "http://b/");
    }
}
